"""Property tests of the Status.io parser and page-id finder.

The property: `parse_status` returns a snapshot (aware, convertible datetimes) or raises
one of the project's `CloudStatusError`s; `find_page_id` and `claimed_page_id` return
None or 24 lower-case hex digits, never raise.
"""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.parsing import loads
from custom_components.cloud_status.api.statusio import (
    claimed_page_id,
    find_page_id,
    parse_status,
)

from .conftest import (
    accepted,
    check_result,
    dumps,
    fixture_bytes,
    fixture_json,
    json_values,
    mutated,
    per_parser,
    ran,
    raw_bodies,
)

NAME = "statusio.parse_status"
FIXTURE = "statusio/status.json"
PAGE_ID = "6650a1b2c3d4e5f601234500"
KEYS = (
    "result", "status_overall", "status", "status_code", "updated", "id", "name",
    "containers", "incidents", "_id", "messages", "details", "state", "datetime",
    "datetime_open", "components_affected", "maintenance", "active", "upcoming",
    "datetime_planned_start", "datetime_planned_end",
)  # fmt: skip
PAGE_ID_SHAPE = re.compile(r"[0-9a-f]{24}")


def _parse(body: bytes, page_url: str | None) -> None:
    ran(NAME)
    try:
        snapshot = parse_status(loads(body), PAGE_ID, page_url)
    except CloudStatusError:
        return
    check_result(snapshot)
    accepted(NAME)


@per_parser(3)
@given(body=json_values(KEYS), page_url=st.sampled_from((None, "https://s.example")))
def test_arbitrary_json(body: object, page_url: str | None) -> None:
    """Arbitrary JSON with the keys the parser reads fails only with our errors."""
    _parse(dumps(body), page_url)


@per_parser(3)
@given(body=mutated(fixture_json(FIXTURE)))
def test_mutated_fixture(body: object) -> None:
    """The documented answer with keys dropped or values nulled, retyped or odd."""
    _parse(dumps(body), None)


@per_parser(3)
@given(body=raw_bodies(fixture_bytes(FIXTURE)))
def test_raw_bytes(body: bytes) -> None:
    """HTML, truncated JSON, invalid UTF-8 and random bytes."""
    _parse(body, None)


@given(
    text=st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda a, b, c: f"{a}{b}{c}",
            st.text(max_size=40),
            st.sampled_from(
                (
                    "api.status.io/1.0/status/",
                    "statuspageId = '",
                    "status.io ",
                    PAGE_ID,
                    PAGE_ID.upper(),
                )
            ),
            st.text(alphabet="0123456789abcdefABCDEF'\" ", max_size=40),
        ),
    )
)
def test_page_id_finders(text: str) -> None:
    """What the finders return is a lower-case 24-hex id or None; they never raise."""
    for found in (find_page_id(text), claimed_page_id(text)):
        assert found is None or PAGE_ID_SHAPE.fullmatch(found)
