"""Hypothesis profiles, example counting and shared pieces of the property-based tests.

Profiles (chosen by `CLOUD_STATUS_HYPOTHESIS_PROFILE`, default `ci`):
- `ci`: 50 examples per test, derandomized (CI is deterministic), no deadline;
- `fuzz` (`scripts/fuzz`): `CLOUD_STATUS_FUZZ_EXAMPLES` examples per test (10,000 by
  default), random, no deadline; a failure prints the blob that reproduces it.

Neither profile keeps an example database: nothing is written into the working tree.
Every property test counts the inputs it ran per parser or client; the counts are printed
at the end of the run.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
import copy
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime, timedelta, timezone
import functools
import os
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp.http_writer import _serialize_headers
from hypothesis import HealthCheck, settings, strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
import orjson
import pytest
from yarl import URL

from custom_components.cloud_status.api.models import StatusSnapshot

PROFILE_ENV = "CLOUD_STATUS_HYPOTHESIS_PROFILE"
FUZZ_EXAMPLES_ENV = "CLOUD_STATUS_FUZZ_EXAMPLES"
FIXTURES = Path(__file__).parent.parent / "fixtures"

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=max(1, int(os.environ.get(FUZZ_EXAMPLES_ENV, "10000"))),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get(PROFILE_ENV, "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """Silence hypothesis's warning about its own PRNG on Python 3.14 (not ours)."""
    config.addinivalue_line(
        "filterwarnings",
        "ignore:It looks like `register_random` was passed"
        ":hypothesis.errors.HypothesisWarning",
    )


# --- example counts ---------------------------------------------------------------------

EXAMPLES: Counter[str] = Counter()
ACCEPTED: Counter[str] = Counter()


def ran(name: str) -> None:
    """Count one input given to the parser or client `name`."""
    EXAMPLES[name] += 1


def accepted(name: str) -> None:
    """Count one call of `name` that returned a result instead of raising our error."""
    ACCEPTED[name] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many inputs each parser and client ran, and how many it accepted."""
    if not EXAMPLES:
        return
    profile = os.environ.get(PROFILE_ENV, "ci")
    terminalreporter.write_sep(
        "-", f"property-based inputs per parser ({profile} profile)"
    )
    width = max(len(name) for name in EXAMPLES)
    terminalreporter.write_line(
        f"{'parser or client':<{width}}  {'inputs':>9}  accepted"
    )
    for name, count in sorted(EXAMPLES.items()):
        terminalreporter.write_line(
            f"{name:<{width}}  {count:>9,}  {ACCEPTED[name]:>8,}"
        )
    terminalreporter.write_line(
        f"{'total':<{width}}  {sum(EXAMPLES.values()):>9,}  "
        f"{sum(ACCEPTED.values()):>8,}  ({len(EXAMPLES)} parsers and clients,"
        f" fewest inputs {min(EXAMPLES.values()):,})"
    )


# --- fixtures as data -------------------------------------------------------------------


@functools.cache
def fixture_bytes(name: str) -> bytes:
    """Return the bytes of tests/fixtures/<name> (read once)."""
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    """Return a fresh decoded copy of tests/fixtures/<name>."""
    return orjson.loads(fixture_bytes(name))


def dumps(value: Any) -> bytes:
    """Encode like a provider would (orjson refuses nothing the strategies make)."""
    return orjson.dumps(value)


# --- strategies: JSON -------------------------------------------------------------------

# What orjson decodes: 64-bit integers (larger ones become floats), finite floats.
json_ints = st.integers(min_value=-(2**63), max_value=2**64 - 1)
json_floats = st.floats(allow_nan=False, allow_infinity=False)

# Strings a provider may send where we expect ids, names, statuses and timestamps.
ODD_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\t\n",
    "\x00",
    "\x11",
    "null",
    "None",
    "nan",
    "NaN",
    "inf",
    "-1",
    "0",
    "1e400",
    "9" * 5000,
    "x" * 10000,
    "\u202e\u0644\u0627",
    "\U0001f525",
    "-- \u2013 \u2014",
    "\u0663\u0663",
    "\u00b2",
    "operational",
    "MAJOR_OUTAGE",
    "In Progress",
    "resolved",
    "completed",
    "started",
    "scheduled",
    "succeeded",
    "failed",
    "base64",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999+00:00",
    "2026-02-30T00:00:00Z",
    "2026-11-20T07:45:12.345678+00:00",
    "2026-11-20T07:45:12Z",
    "2026-11-20",
    "T12:00",
    "62135596800000",
    "-62135596800000",
    "253402300800000",
    "1793952000000",
    "Fri, 31 Dec 9999 23:59:59 GMT",
)
HUGE_NUMBERS: tuple[int | float, ...] = (
    0,
    -1,
    2**31,
    2**63 - 1,
    -(2**63),
    2**64 - 1,
    1.8446744073709552e19,
    1e308,
    -1e308,
    5e-324,
    62135596800000,
    -62135596800000,
    253402300800000,
    253402300799999,
    -62135596799999,
    1793952000000,
)

odd_strings = st.sampled_from(ODD_STRINGS)
huge_numbers = st.sampled_from(HUGE_NUMBERS)
json_text = st.one_of(st.text(max_size=40), odd_strings)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    json_ints,
    json_floats,
    huge_numbers,
    json_text,
)


@functools.cache
def json_keys(known: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Object keys: arbitrary text and, when given, the keys the parser looks for."""
    if not known:
        return st.text(max_size=12)
    return st.one_of(st.sampled_from(known), st.text(max_size=12))


@functools.cache
def json_values(
    known_keys: tuple[str, ...] = (), max_leaves: int = 30
) -> st.SearchStrategy[Any]:
    """Arbitrary JSON, with objects that often use the keys the parser looks for."""
    return st.recursive(
        json_scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(json_keys(known_keys), children, max_size=6),
        ),
        max_leaves=max_leaves,
    )


# The keys the parsers read, so arbitrary JSON reaches past the first lookup.
STATUSPAGE_KEYS = (
    "page",
    "id",
    "name",
    "url",
    "time_zone",
    "updated_at",
    "components",
    "group",
    "group_id",
    "status",
    "description",
    "incidents",
    "scheduled_maintenances",
    "indicator",
    "impact",
    "shortlink",
    "created_at",
    "started_at",
    "resolved_at",
    "incident_updates",
    "body",
    "display_at",
    "scheduled_for",
    "scheduled_until",
    "domain",
    "subdomain",
)
CLOUDSIGMA_KEYS = (
    "status",
    "indicators",
    "active_incidents",
    "scheduled_maintenance",
    "last_updated",
    "id",
    "name",
    "code",
    "description",
    "position",
    "items",
    "results",
    "data",
    "incidents",
    "maintenances",
    "title",
    "impact",
    "severity",
    "url",
    "components",
    "updates",
    "incident_updates",
    "body",
    "message",
    "created_at",
    "updated_at",
    "display_at",
    "starts_at",
    "scheduled_for",
    "ends_at",
    "scheduled_until",
)
ADOBE_KEYS = (
    "id",
    "name",
    "cloudProducts",
    "incidents",
    "maintenances",
    "products",
    "severity",
    "status",
    "startedOn",
    "endedOn",
    "completedOn",
    "scheduledDate",
    "history",
    "messageTime",
    "titleToken",
    "messageToken",
    "incidentMessages",
    "maintenanceMessages",
    "token",
    "textMessage",
)
IMS_KEYS = ("access_token", "expires_in", "token_type", "error", "error_description")
PHOTOSHOP_KEYS = (
    "jobId",
    "status",
    "createdTime",
    "modifiedTime",
    "result",
    "outputs",
    "destination",
    "embedded",
    "content",
    "url",
    "mediaType",
    "errorDetails",
    "errorCode",
    "message",
)
ERROR_KEYS = (
    "error",
    "error_code",
    "code",
    "error_description",
    "detail",
    "message",
    "msg",
)

# --- strategies: mutations of real answers ----------------------------------------------


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a decoded JSON value, depth first."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items: Iterator[tuple[Any, Any]]
        if isinstance(node, dict):
            items = iter(node.items())
        elif isinstance(node, list):
            items = iter(enumerate(node))
        else:
            continue
        for key, child in items:
            found.append((node, key))
            stack.append(child)
    return found


_REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    huge_numbers,
    odd_strings,
    st.just([]),
    st.just({}),
    json_values(max_leaves=6),
)


@st.composite
def mutated(draw: st.DrawFn, original: Any, max_mutations: int = 4) -> Any:
    """Return a copy of `original` with keys dropped, values nulled, retyped or odd."""
    value = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
        slots = _slots(value)
        if not slots:
            return draw(_REPLACEMENTS)
        container, key = draw(st.sampled_from(slots))
        operation = draw(
            st.sampled_from(("drop", "replace", "replace", "truncate", "duplicate"))
        )
        if operation == "drop":
            del container[key]
        elif operation == "truncate" and isinstance(container[key], (list, dict)):
            child = container[key]
            keep = draw(st.integers(min_value=0, max_value=max(0, len(child) - 1)))
            if isinstance(child, list):
                del child[keep:]
            else:
                for extra in list(child)[keep:]:
                    del child[extra]
        elif operation == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))
        else:
            container[key] = draw(_REPLACEMENTS)
    return value


# --- strategies: raw bodies -------------------------------------------------------------

HTML_BODIES: tuple[bytes, ...] = (
    (
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
        b"<body>Checking your browser</body></html>"
    ),
    b"<html><body><h1>502 Bad Gateway</h1></body></html>",
    b"<?xml version='1.0'?><Error><Code>AccessDenied</Code></Error>",
)
ODD_BODIES: tuple[bytes, ...] = (
    b"",
    b" ",
    b"\x00",
    b"null",
    b"true",
    b"0",
    b"[]",
    b"{}",
    b'""',
    b"NaN",
    b"1e400",
    b'{"a": 1e400}',
    b"[" * 2000 + b"]" * 2000,
    b'{"a":' * 1100 + b"1" + b"}" * 1100,
    b'"\\ud800"',
    b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b"\xed\xa0\x80",
    b"\xc3\x28",
)


@st.composite
def damaged(draw: st.DrawFn, valid: bytes) -> bytes:
    """Damage a valid body: truncate it, add a BOM or bytes that are not UTF-8."""
    kind = draw(st.sampled_from(("truncate", "bom", "utf16", "invalid", "append")))
    if kind == "truncate":
        return valid[: draw(st.integers(min_value=0, max_value=max(0, len(valid) - 1)))]
    if kind == "bom":
        return b"\xef\xbb\xbf" + valid
    if kind == "utf16":
        return valid.decode("utf-8").encode("utf-16")
    at = draw(st.integers(min_value=0, max_value=len(valid)))
    junk = draw(
        st.sampled_from((b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\x80\x80"))
    )
    if kind == "invalid":
        return valid[:at] + junk + valid[at:]
    return valid + junk


@functools.cache
def raw_bodies(valid: bytes | None = None) -> st.SearchStrategy[bytes]:
    """Bodies that are not the documented JSON: HTML, odd, random or damaged valid."""
    options: list[st.SearchStrategy[bytes]] = [
        st.sampled_from(HTML_BODIES),
        st.sampled_from(ODD_BODIES),
        st.binary(max_size=200),
        st.text(max_size=60).map(str.encode),
    ]
    if valid is not None:
        options.append(damaged(valid))
    return st.one_of(options)


def bodies(original: Any, known_keys: tuple[str, ...] = ()) -> st.SearchStrategy[bytes]:
    """Any body for an endpoint whose real answer is `original` (decoded)."""
    return st.one_of(
        st.just(dumps(original)),
        mutated(original).map(dumps),
        json_values(known_keys).map(dumps),
        raw_bodies(dumps(original)),
    )


# --- strategies: headers ----------------------------------------------------------------

# What aiohttp hands over for header bytes that are not UTF-8 (surrogateescape).
HEADER_VALUES = st.one_of(
    st.text(max_size=30),
    odd_strings,
    st.binary(max_size=12).map(lambda raw: raw.decode("utf-8", "surrogateescape")),
    st.sampled_from(
        (
            '"abc"',
            'W/"abc"',
            "\x11",
            "a\x7fb",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0001 00:00:00 +1400",
            "Mon, 01 Jan 99999999999999999999 00:00:00 GMT",
            "Thu, 01 Jan 1970 00:00:00 -9999",
            "0",
            "-5",
            "120",
            "1e400",
            "1e308",
            "nan",
            "inf",
        )
    ),
)
HEADER_NAMES = ("ETag", "Last-Modified", "Retry-After", "Content-Type", "Location")
response_headers = st.lists(
    st.tuples(st.sampled_from(HEADER_NAMES), HEADER_VALUES), max_size=4
)


def per_parser(share: int) -> settings:
    """Return settings for one of `share` tests of a parser: they split its examples."""
    return settings(max_examples=max(1, -(-settings.default.max_examples // share)))


# --- a tiny HTTP session ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One canned HTTP answer, or a transport fault instead of it."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    # None, "connect" (no answer), "timeout" or "payload" (the body breaks off).
    fault: str | None = None
    # Declare a Content-Length: the true one, or (an int) more than the client reads.
    content_length: int | bool = False
    # Where the answer came from, when a redirect moved the request.
    url: str | None = None


ERROR_STATUSES = (
    204,
    301,
    304,
    400,
    401,
    403,
    404,
    405,
    410,
    418,
    420,
    422,
    429,
    500,
    501,
    502,
    503,
    599,
)


@st.composite
def answers(
    draw: st.DrawFn, body: st.SearchStrategy[bytes], *, ok_only: bool = False
) -> Answer:
    """Draw an answer with `body`; unless `ok_only`, maybe an error status or a fault."""
    status = (
        200
        if ok_only
        else draw(st.one_of(st.just(200), st.sampled_from(ERROR_STATUSES)))
    )
    fault = (
        None
        if ok_only
        else draw(
            st.sampled_from(
                (None, None, None, None, None, "connect", "timeout", "payload")
            )
        )
    )
    length: int | bool = draw(st.sampled_from((False, True, 6 * 1024 * 1024)))
    return Answer(
        status=status,
        body=draw(body),
        headers=tuple(draw(response_headers)),
        fault=fault,
        content_length=length,
    )


class _Stream:
    def __init__(self, body: bytes, *, breaks: bool) -> None:
        self._body = body
        self._position = 0
        # A broken transfer delivers the first half of the body, then fails.
        self._breaks = breaks
        self._end = len(body) // 2 if breaks else len(body)

    async def read(self, n: int = -1) -> bytes:
        if self._position >= self._end:
            if self._breaks:
                raise aiohttp.ClientPayloadError("Response payload is not completed")
            return b""
        end = self._end if n < 0 else min(self._end, self._position + n)
        chunk = self._body[self._position : end]
        self._position = end
        return chunk


class _Response:
    def __init__(self, url: URL, answer: Answer) -> None:
        self.status = answer.status
        self.url = url if answer.url is None else URL(answer.url)
        headers = CIMultiDict(answer.headers)
        if answer.content_length is not False:
            declared = (
                len(answer.body)
                if answer.content_length is True
                else answer.content_length
            )
            headers["Content-Length"] = str(declared)
        self.headers = CIMultiDictProxy(headers)
        self.content = _Stream(answer.body, breaks=answer.fault == "payload")


class _RequestContext:
    def __init__(self, session: FakeSession, method: str, url: URL) -> None:
        self._session = session
        self._method = method
        self._url = url

    async def __aenter__(self) -> _Response:
        answer = self._session.answer(self._method, self._url)
        if answer.fault == "connect":
            raise aiohttp.ClientConnectionError("Connection reset by peer")
        if answer.fault == "timeout":
            raise TimeoutError
        return _Response(self._url, answer)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


type Router = Callable[[str, URL], Answer]


class FakeSession:
    """Stands in for `aiohttp.ClientSession`: answers each request from `router`.

    Like aiohttp, it refuses to send a header value with a control character or one that
    is not UTF-8 (aiohttp's own header serializer decides). It fails the test when a
    client sends more than `max_requests` requests: a poll must end.
    """

    def __init__(self, router: Router, *, max_requests: int = 500) -> None:
        """Take the function that answers (method, url)."""
        self._router = router
        self._max_requests = max_requests
        self.requests: list[tuple[str, URL, dict[str, str]]] = []

    def request(
        self,
        method: str,
        url: URL,
        *,
        headers: Mapping[str, str] | None = None,
        data: Any = None,
    ) -> _RequestContext:
        """Send a request (the header check happens where aiohttp writes them)."""
        sent = dict(headers or {})
        _serialize_headers(f"{method} {url.raw_path_qs} HTTP/1.1", CIMultiDict(sent))
        self.requests.append((method, url, sent))
        assert len(self.requests) <= self._max_requests, "the client does not stop"
        return _RequestContext(self, method, url)

    def answer(self, method: str, url: URL) -> Answer:
        """Return the answer for a request."""
        return self._router(method, url)


def run[T](coroutine: Any) -> T:
    """Run a coroutine to completion in a fresh event loop."""
    result: T = asyncio.run(coroutine)
    return result


# --- properties of results --------------------------------------------------------------

_ZONES = (UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)))


def check_result(value: Any) -> None:
    """Assert every datetime in a parse result is aware and convertible to any zone.

    A snapshot's derived properties (what entities read) must compute as well.
    """
    seen: set[int] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, datetime):
            assert node.tzinfo is not None, f"naive datetime {node!r}"
            assert node.utcoffset() is not None, f"naive datetime {node!r}"
            for zone in _ZONES:
                node.astimezone(zone).isoformat()
        elif isinstance(node, StatusSnapshot):
            stack.extend(
                (
                    node.overall_status,
                    node.has_problem,
                    node.counts_only,
                    node.open_incident_count,
                    node.maintenance_in_progress,
                    node.active_maintenances,
                    node.upcoming_maintenances,
                    [component.display_name for component in node.components.values()],
                    [incident.sort_time for incident in node.incidents],
                )
            )
            stack.extend(getattr(node, item.name) for item in fields(node))
        elif is_dataclass(node) and not isinstance(node, type):
            stack.extend(getattr(node, item.name) for item in fields(node))
        elif isinstance(node, Mapping):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
