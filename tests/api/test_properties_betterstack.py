"""Property-based tests of the Better Stack parser: no body crashes it.

Arbitrary JSON (with the keys it reads), mutations of this project's Better Stack
fixtures and raw bodies: only `CloudStatusError`s escape, and every time in a result is
aware and convertible to any zone, whatever the clock says.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.betterstack import detected_page, parse_index
from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.parsing import loads

from .conftest import accepted, bodies, check_result, fixture_json, per_parser, ran

KEYS = (
    "data",
    "id",
    "type",
    "attributes",
    "included",
    "relationships",
    "status_updates",
    "company_name",
    "aggregate_state",
    "timezone",
    "updated_at",
    "name",
    "public_name",
    "resource_name",
    "status",
    "status_page_section_id",
    "explanation",
    "title",
    "report_type",
    "starts_at",
    "ends_at",
    "affected_resources",
    "status_page_resource_id",
    "message",
    "published_at",
    "status_page",
    "status_page_section",
    "status_page_resource",
    "status_report",
    "status_update",
    "maintenance",
    "resolved",
)
BASE = URL("https://status.example.io")
# Hypothesis wants naive bounds and adds the zone itself.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC).replace(tzinfo=None)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC).replace(tzinfo=None)
CLOCKS = st.datetimes(min_value=_EARLIEST, max_value=_LATEST, timezones=st.just(UTC))


@per_parser(2)
@given(body=bodies(fixture_json("betterstack/index_incident.json"), KEYS), now=CLOCKS)
def test_index_with_reports(body: bytes, now: datetime) -> None:
    """The fixture with reports and updates, valid, mutated, arbitrary or raw."""
    _run(body, now)


@per_parser(2)
@given(
    body=bodies(fixture_json("betterstack/index_operational.json"), KEYS), now=CLOCKS
)
def test_index_quiet(body: bytes, now: datetime) -> None:
    """The quiet page's fixture."""
    _run(body, now)


def _run(body: bytes, now: datetime) -> None:
    ran("betterstack.parse_index")
    try:
        payload = loads(body)
        detected_page(payload)
        snapshot, boundary = parse_index(payload, BASE, now)
    except CloudStatusError:
        return
    check_result(snapshot)
    assert boundary is None or boundary > now
    accepted("betterstack.parse_index")
