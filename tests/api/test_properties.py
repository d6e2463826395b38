"""Property-based tests of every parser of api/: no input from a provider crashes one.

Each parser gets arbitrary JSON (objects that use the keys it reads), mutations of the
project's fixtures (keys dropped, values nulled, retyped, huge or odd, lists truncated)
and raw bodies (HTML, truncated JSON, invalid UTF-8, BOMs, random bytes). The property:
the only exceptions that escape are the project's own `CloudStatusError`s, and every
datetime in a result is aware and convertible to UTC and to a zone 14 hours either side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
import functools
import math
import re
from typing import Any

from hypothesis import example, given, settings, strategies as st
import pytest

from custom_components.cloud_status.api.adobe_ims.tokens import parse_token_answer
from custom_components.cloud_status.api.adobe_status import (
    AdobeMessages,
    parse_clouds,
    parse_events,
    parse_messages,
    parse_products,
)
from custom_components.cloud_status.api.cloudsigma import (
    parse_components,
    parse_incidents,
    parse_maintenances,
    parse_status,
)
from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.http import (
    MAX_RETRY_AFTER,
    error_details,
    parse_retry_after,
)
from custom_components.cloud_status.api.models import ComponentStatus, StatusSnapshot
from custom_components.cloud_status.api.parsing import (
    clean_name,
    loads,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list,
    require_str,
)
from custom_components.cloud_status.api.photoshop import parse_job_status
from custom_components.cloud_status.api.statuspage import ComponentCache, parse_summary
from custom_components.cloud_status.api.statuspage_manage import _parse_page

from .conftest import (
    ADOBE_KEYS,
    CLOUDSIGMA_KEYS,
    ERROR_KEYS,
    HEADER_VALUES,
    IMS_KEYS,
    PHOTOSHOP_KEYS,
    STATUSPAGE_KEYS,
    accepted,
    check_result,
    dumps,
    fixture_bytes,
    fixture_json,
    json_scalars,
    json_values,
    mutated,
    per_parser,
    ran,
    raw_bodies,
)

# The product list and texts parse_events works with, from the real fixtures.
ADOBE_PRODUCTS = parse_products(
    fixture_json("adobe_status_clouds.json"), fixture_json("adobe_status_products.json")
)
ADOBE_MESSAGES = parse_messages(fixture_json("adobe_status_messages_en.json"))
ADOBE_PRODUCT_IDS = tuple(product.id for product in ADOBE_PRODUCTS)
CLOUDSIGMA_COMPONENTS = parse_components(
    fixture_json("cloudsigma_components_small.json")
)
JOB_ID = "0e9b6d31-52c4-4f7a-8a19-c3e7f04b2d65"


@dataclass(frozen=True, slots=True)
class Parser:
    """One parser: how a body reaches it, its real answers and the keys it reads."""

    name: str
    # Parse a body the way the client does; may draw extra inputs (selections, ...).
    parse: Callable[[bytes, st.DrawFn], Any]
    fixtures: tuple[str, ...]
    keys: tuple[str, ...]

    def __repr__(self) -> str:
        """Name the parser in test ids and failure reports."""
        return self.name


def _summary(body: bytes, draw: st.DrawFn) -> StatusSnapshot:
    cache: ComponentCache = {}
    if draw(st.booleans()):
        # A cache filled by a valid answer first: the next parse reuses what is equal.
        parse_summary(fixture_json("statuspage_summary_incident.json"), cache)
    return parse_summary(loads(body), cache)


def _events(body: bytes, draw: st.DrawFn) -> StatusSnapshot:
    selected = draw(
        st.lists(
            st.one_of(st.sampled_from(ADOBE_PRODUCT_IDS), st.text(max_size=8)),
            max_size=4,
        )
    )
    messages = draw(st.sampled_from((None, AdobeMessages(), ADOBE_MESSAGES)))
    return parse_events(loads(body), ADOBE_PRODUCTS, selected, messages)


def _products(body: bytes, draw: st.DrawFn) -> Any:
    clouds = fixture_json("adobe_status_clouds.json")
    products = fixture_json("adobe_status_products.json")
    if draw(st.booleans()):
        return parse_products(loads(body), products)
    return parse_products(clouds, loads(body))


def _page_url(draw: st.DrawFn) -> str | None:
    return draw(st.sampled_from((None, "https://statuspage.cloudsigma.com")))


PARSERS = (
    Parser(
        "statuspage.parse_summary",
        _summary,
        (
            "statuspage_summary_operational.json",
            "statuspage_summary_incident.json",
            "api_summary_edge_cases.json",
            "api_summary_minimal.json",
        ),
        STATUSPAGE_KEYS,
    ),
    Parser(
        "statuspage_manage.parse_page",
        lambda body, _: _parse_page(require_dict(loads(body), "page")),
        ("statuspage_manage_page.json",),
        STATUSPAGE_KEYS,
    ),
    Parser(
        "cloudsigma.parse_status",
        lambda body, _: parse_status(loads(body)),
        ("cloudsigma_status_operational.json", "cloudsigma_status_outage.json"),
        CLOUDSIGMA_KEYS,
    ),
    Parser(
        "cloudsigma.parse_components",
        lambda body, _: parse_components(require_list(loads(body), "components")),
        ("cloudsigma_components_small.json", "cloudsigma_components_page2.json"),
        CLOUDSIGMA_KEYS,
    ),
    Parser(
        "cloudsigma.parse_incidents",
        lambda body, draw: parse_incidents(
            loads(body), _page_url(draw), CLOUDSIGMA_COMPONENTS
        ),
        ("cloudsigma_incidents.json",),
        CLOUDSIGMA_KEYS,
    ),
    Parser(
        "cloudsigma.parse_maintenances",
        lambda body, draw: parse_maintenances(
            loads(body), _page_url(draw), CLOUDSIGMA_COMPONENTS
        ),
        ("cloudsigma_maintenances.json",),
        CLOUDSIGMA_KEYS,
    ),
    Parser(
        "adobe_status.parse_clouds",
        lambda body, _: parse_clouds(loads(body)),
        ("adobe_status_clouds.json",),
        ADOBE_KEYS,
    ),
    Parser(
        "adobe_status.parse_products",
        _products,
        ("adobe_status_clouds.json", "adobe_status_products.json"),
        ADOBE_KEYS,
    ),
    Parser(
        "adobe_status.parse_messages",
        lambda body, _: parse_messages(loads(body)),
        ("adobe_status_messages_en.json", "adobe_status_messages_de.json"),
        ADOBE_KEYS,
    ),
    Parser(
        "adobe_status.parse_events",
        _events,
        ("adobe_status_events.json", "adobe_status_events_empty.json"),
        ADOBE_KEYS,
    ),
    Parser(
        "adobe_ims.parse_token_answer",
        lambda body, draw: parse_token_answer(
            body, draw(st.sampled_from((1.0, 0.001)))
        ),
        ("adobe_ims_token_v3_200.json", "adobe_ims_exchange_jwt_200.json"),
        IMS_KEYS,
    ),
    Parser(
        "photoshop.parse_job_status",
        lambda body, _: parse_job_status(body, JOB_ID),
        (
            "photoshop_status_pending.json",
            "photoshop_status_running.json",
            "photoshop_status_failed_two_errors.json",
            "photoshop_status_succeeded_urls.json",
            "photoshop_status_succeeded_embedded_base64.json",
        ),
        PHOTOSHOP_KEYS,
    ),
    Parser(
        "http.error_details",
        lambda body, _: _checked_error_details(body),
        (
            "adobe_gateway_401013.json",
            "adobe_gateway_403003.json",
            "adobe_ims_400_invalid_client.json",
            "adobe_ims_500_internal_error.json",
            "photoshop_403_quota.json",
            "photoshop_404_unknown_job_id.json",
        ),
        ERROR_KEYS,
    ),
)


def _checked_error_details(body: bytes) -> tuple[str | None, str | None]:
    """error_details never raises, and gives short, non-blank texts or None."""
    result = error_details(body)
    for text in result:
        assert text is None or (isinstance(text, str) and text.strip()), result
        assert text is None or len(text) <= 300, len(text or "")
    return result


def _parse(parser: Parser, body: bytes, draw: st.DrawFn) -> None:
    ran(parser.name)
    try:
        result = parser.parse(body, draw)
    except CloudStatusError:
        return
    check_result(result)
    accepted(parser.name)


@pytest.mark.parametrize("parser", PARSERS, ids=repr)
@per_parser(3)
@given(data=st.data())
def test_arbitrary_json(parser: Parser, data: st.DataObject) -> None:
    """Arbitrary JSON, with the keys the parser reads, fails only with our errors."""
    _parse(parser, dumps(data.draw(json_values(parser.keys))), data.draw)


@functools.cache
def _mutated_bodies(fixtures: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    return st.one_of([mutated(fixture_json(name)).map(dumps) for name in fixtures])


@functools.cache
def _raw_bodies(fixtures: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    return st.one_of([raw_bodies(fixture_bytes(name)) for name in fixtures])


@pytest.mark.parametrize("parser", PARSERS, ids=repr)
@per_parser(3)
@given(data=st.data())
def test_mutated_fixtures(parser: Parser, data: st.DataObject) -> None:
    """A real answer with keys dropped or values nulled, retyped, huge or odd."""
    _parse(parser, data.draw(_mutated_bodies(parser.fixtures)), data.draw)


@pytest.mark.parametrize("parser", PARSERS, ids=repr)
@per_parser(3)
@given(data=st.data())
def test_raw_bytes(parser: Parser, data: st.DataObject) -> None:
    """HTML, truncated JSON, invalid UTF-8, BOMs and random bytes."""
    _parse(parser, data.draw(_raw_bodies(parser.fixtures)), data.draw)


# Timestamps Home Assistant cannot hold, and numbers that break int() or float().
ODD_TIMES: tuple[Any, ...] = (
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-14:00",
    62135596800000,
    -62135596800000,
    253402300800000,
    -(2**63),
    2**64 - 1,
    1e308,
    "62135596800000",
    "253402300800000",
    "9" * 5000,
    "\u0663" * 20,
    "",
    None,
    True,
)
_TIME_KEY = re.compile(r"(?:_at|_for|_until|On|Time|Date|_updated|expires_in)$")


def _with_times(value: Any, replacement: Any) -> Any:
    """Return a copy of `value` with every timestamp-like field set to `replacement`."""
    if isinstance(value, list):
        return [_with_times(item, replacement) for item in value]
    if isinstance(value, dict):
        return {
            key: replacement
            if _TIME_KEY.search(key) and not isinstance(item, (dict, list))
            else _with_times(item, replacement)
            for key, item in value.items()
        }
    return value


@pytest.mark.parametrize("parser", PARSERS, ids=repr)
@settings(max_examples=3)
@given(data=st.data())
def test_odd_times_everywhere(parser: Parser, data: st.DataObject) -> None:
    """Every timestamp of every fixture set, in turn, to each value out of range or odd.

    The values are fixed, so CI checks each of them whatever the profile; only the
    parser's extra inputs (selections, caches) are drawn.
    """
    for replacement in ODD_TIMES:
        for name in parser.fixtures:
            body = dumps(_with_times(fixture_json(name), replacement))
            _parse(parser, body, data.draw)


# --- the small readers every parser uses ------------------------------------------------


@given(body=raw_bodies(b'{"page": {"id": "x", "name": "y"}}'))
def test_loads(body: bytes) -> None:
    """Decoding a body raises only a parse error."""
    ran("parsing.loads")
    try:
        loads(body)
    except CloudStatusError:
        return
    accepted("parsing.loads")


@per_parser(2)
@given(value=json_values(max_leaves=4))
def test_parse_time(value: Any) -> None:
    """A timestamp is None or an aware datetime every zone can show."""
    ran("parsing.parse_time")
    result = parse_time(value)
    assert result is None or isinstance(result, datetime)
    check_result(result)
    if result is not None:
        accepted("parsing.parse_time")


@per_parser(2)
@given(
    value=st.one_of(
        st.integers(min_value=-(2**63), max_value=2**64 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(timezones=st.sampled_from((UTC, None))).map(
            lambda moment: moment.isoformat()
        ),
    )
)
def test_parse_time_extremes(value: Any) -> None:
    """Epoch milliseconds and ISO texts across the whole range of datetime."""
    ran("parsing.parse_time")
    result = parse_time(value)
    check_result(result)
    if result is not None:
        accepted("parsing.parse_time")


@given(
    container=st.dictionaries(st.sampled_from(("k", "x")), json_values(max_leaves=4))
)
def test_field_readers(container: dict[str, Any]) -> None:
    """The field readers give the documented type or raise a parse error."""
    ran("parsing.field_readers")
    assert optional_str(container, "k") is None or isinstance(
        optional_str(container, "k"), str
    )
    for read in (
        lambda: require_str(container, "k", "thing"),
        lambda: optional_list(container, "k", "things"),
        lambda: require_dict(container.get("k"), "thing"),
        lambda: require_list(container.get("k"), "things"),
    ):
        try:
            read()
        except CloudStatusError:
            continue
        accepted("parsing.field_readers")


@given(text=st.one_of(st.text(), st.sampled_from(("", " ", "--", "\u2013 a"))))
def test_clean_name(text: str) -> None:
    """Cleaning a name always gives text."""
    ran("parsing.clean_name")
    assert isinstance(clean_name(text), str)
    accepted("parsing.clean_name")


@given(value=json_scalars)
def test_component_status_from_raw(value: Any) -> None:
    """Any raw status maps to a member."""
    ran("models.ComponentStatus.from_raw")
    assert isinstance(ComponentStatus.from_raw(value), ComponentStatus)
    accepted("models.ComponentStatus.from_raw")


# --- Retry-After ------------------------------------------------------------------------


@given(
    value=st.one_of(
        st.none(),
        HEADER_VALUES,
        st.integers().map(str),
        st.floats().map(str),
        st.datetimes(timezones=st.sampled_from((UTC, None))).map(
            lambda moment: moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
        ),
    ),
    now=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
)
# Dates no datetime holds, or whose delay from `now` is out of range.
@example(value="Mon, 01 Jan 99999999999999999999 00:00:00 GMT", now=None)
@example(value="Fri, 31 Dec 9999 23:59:59 -1400", now=datetime.min.replace(tzinfo=UTC))
def test_parse_retry_after(value: str | None, now: datetime | None) -> None:
    """Retry-After is None or a finite delay between 0 and a day."""
    ran("http.parse_retry_after")
    delay = parse_retry_after(value, now)
    assert delay is None or (
        math.isfinite(delay) and 0.0 <= delay <= MAX_RETRY_AFTER
    ), delay
    if delay is not None:
        accepted("http.parse_retry_after")
