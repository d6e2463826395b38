"""The public Statuspage client: URL normalization, summary parsing, conditional requests."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
import json
import logging
from pathlib import Path
import re
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    ComponentStatus,
    InvalidUrlError,
    MaintenancePhase,
    StatuspageClient,
    StatusSnapshot,
    base_url_string,
    normalize_page_url,
    parse_summary,
    parsing,
)
from custom_components.cloud_status.api.parsing import (
    clean_name,
    loads,
    optional_list,
    parse_time,
    require_str,
)
from custom_components.cloud_status.api.statuspage import SUMMARY_PATH, ComponentCache
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

EDGE_CASES = "api_summary_edge_cases.json"
MINIMAL = "api_summary_minimal.json"
PARSE_SUMMARY = "custom_components.cloud_status.api.statuspage.parse_summary"
PARSING_LOGGER = "custom_components.cloud_status.api.parsing"
EDGE_LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- normalize_page_url ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("githubstatus.com", "https://githubstatus.com"),
        ("https://www.githubstatus.com/", "https://www.githubstatus.com"),
        (
            "https://www.githubstatus.com/api/v2/summary.json",
            "https://www.githubstatus.com",
        ),
        ("https://xxxxxxxx.statuspage.io", "https://xxxxxxxx.statuspage.io"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://example.com/status/", "https://example.com/status"),
        (
            "https://example.com/status/api/v2/components.json",
            "https://example.com/status",
        ),
        ("  www.githubstatus.com/?utm=x#top  ", "https://www.githubstatus.com"),
        ("HTTPS://WWW.GitHubStatus.com", "https://www.githubstatus.com"),
        ("http://[::1]:8080/status/", "http://[::1]:8080/status"),
        ("status.example.com.", "https://status.example.com."),
        ("http://status_page.lan", "http://status_page.lan"),
        ("https://xn--9ca.example.com", "https://xn--9ca.example.com"),
        ("https://\u00e9.example.com", "https://xn--9ca.example.com"),
        (f"https://{'a' * 63}.example.com", f"https://{'a' * 63}.example.com"),
    ],
)
def test_normalize_page_url(raw: str, expected: str) -> None:
    """Whatever people paste becomes scheme://host[:port][/prefix] without a trailing slash."""
    url = normalize_page_url(raw)

    assert base_url_string(url) == expected
    assert url.query_string == ""
    assert url.fragment == ""
    assert str(url.joinpath(SUMMARY_PATH)) == f"{expected}/{SUMMARY_PATH}"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "https://www.git hubstatus.com",
        "githubstatus.com\t/x",
        "ftp://x",
        "file:///etc/passwd",
        "https://",
        "githubstatus.com:notaport",
        "http://xn--",
        "xn--a",
        "https://xn--a.example.com",
        "xn--zz.com",
        "https://xn--.example.com/api/v2/summary.json",
        f"https://{'a' * 64}.example.com",
        "a..b",
        "https://.example.com",
        "http://.",
        f"{'a.' * 127}com",
        "https://-status.example.com",
        "https://status-.example.com",
        "https://st%61tus.example.com",
    ],
    ids=[
        "empty",
        "blank",
        "space",
        "tab",
        "ftp",
        "file",
        "no-host",
        "bad-port",
        "idna-empty",
        "idna-invalid",
        "idna-invalid-label",
        "idna-incomplete",
        "idna-empty-label",
        "label-too-long",
        "empty-label",
        "leading-dot",
        "only-a-dot",
        "name-too-long",
        "leading-hyphen",
        "trailing-hyphen",
        "percent",
    ],
)
def test_normalize_page_url_invalid(raw: str) -> None:
    """Empty input, whitespace, other schemes and missing hosts are refused.

    So are hosts that are no DNS name: broken IDNA labels (yarl's decoding raises
    UnicodeError for `xn--`), labels over 63 characters, empty labels, names over 253.
    """
    with pytest.raises(InvalidUrlError) as exc_info:
        normalize_page_url(raw)

    assert isinstance(exc_info.value, ValueError)
    assert exc_info.value.args == (raw,)


@pytest.mark.parametrize(
    "raw",
    [
        "https://user:hunter2@status.example.com/",
        "https://user@status.example.com",
        "user:hunter2@status.example.com/api/v2/summary.json",
        "HTTP://user:hunter2@status.example.com:8080/status",
        "https://:hunter2@status.example.com",
        "https://user:hunter2@status.example.com?next=/x",
        "https://user:hunter2@status.example.com#frag",
    ],
    ids=[
        "user-password",
        "user",
        "scheme-less",
        "port-and-path",
        "password-only",
        "query",
        "fragment",
    ],
)
def test_normalize_page_url_refuses_credentials(raw: str) -> None:
    """An address with a user or password is refused, and the error does not quote it."""
    with pytest.raises(InvalidUrlError, match="user name or password") as exc_info:
        normalize_page_url(raw)

    assert "hunter2" not in str(exc_info.value)
    assert "user:" not in str(exc_info.value)
    assert "user@" not in str(exc_info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "https://user:hunter2 @status.example.com",
        "ftp://user:hunter2@status.example.com",
        "https://user:hunter2@status.example.com:port",
    ],
    ids=["space", "ftp", "bad-port"],
)
def test_invalid_url_with_an_at_is_not_quoted(raw: str) -> None:
    """Whatever else is wrong with an address that has an @, the error never quotes it."""
    with pytest.raises(InvalidUrlError) as exc_info:
        normalize_page_url(raw)

    assert "hunter2" not in str(exc_info.value)
    assert str(exc_info.value) in {
        "not a status page address",
        "a status page address must not hold a user name or password",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://status.example.com/@team", "https://status.example.com/@team"),
        ("https://status.example.com?by=a@b", "https://status.example.com"),
        ("https://status.example.com/#a@b", "https://status.example.com"),
    ],
    ids=["path", "query", "fragment"],
)
def test_at_outside_the_authority_is_no_credential(raw: str, expected: str) -> None:
    """An @ in the path, query or fragment is not a user name."""
    url = normalize_page_url(raw)

    assert base_url_string(url) == expected
    assert url.user is None
    assert url.password is None


# --- parsing helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T10:20:00.000-05:00", _utc(2026, 11, 20, 15, 20)),
        ("2026-11-20T15:20:00Z", _utc(2026, 11, 20, 15, 20)),
        ("2026-11-20T15:20:00", _utc(2026, 11, 20, 15, 20)),
        (1795186800000, _utc(2026, 11, 20, 15, 0)),
        (1795186800500.0, _utc(2026, 11, 20, 15, 0) + timedelta(milliseconds=500)),
        (0, _utc(1970, 1, 1)),
    ],
    ids=["iso-offset", "iso-z", "iso-naive", "epoch-ms", "epoch-ms-float", "epoch-0"],
)
def test_parse_time(value: Any, expected: datetime) -> None:
    """ISO 8601 strings (naive ones are UTC) and epoch milliseconds are read."""
    parsed = parse_time(value)

    assert parsed == expected
    assert parsed is not None
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    "value",
    [None, "", "garbage", "2026-13-45T99:00:00Z", True, float("nan"), [1]],
    ids=["none", "empty", "garbage", "bad-date", "bool", "nan", "list"],
)
def test_parse_time_unreadable(value: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Anything that is not a readable time is None, never an error, and not logged."""
    assert parse_time(value) is None
    assert not caplog.records


@pytest.fixture
def fresh_time_log() -> None:
    """Forget which ignored times were logged (another test may have logged the same)."""
    parsing._logged_times.clear()


@pytest.mark.usefixtures("fresh_time_log")
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T23:59:59.999999+00:00",
        "0001-01-02T00:00:00+00:01",
        "0001-01-01",
        "9999-12-31T23:59",
        "9999-12-31T00:00:00Z",
        "9999-12-30T23:59:59-00:01",
        "9999-12-31T12:00:00-13:00",
        -62135596800000,
        -62135596800000.0,
        253402214400000,
        10**20,
        -(10**20),
        float("inf"),
        1e300,
    ],
    ids=[
        "year-1",
        "year-1-last-microsecond",
        "year-1-by-offset",
        "year-1-date",
        "year-9999-naive",
        "year-9999-last-day",
        "year-9999-by-offset",
        "year-9999-utc-overflow",
        "epoch-ms-year-1",
        "epoch-ms-year-1-float",
        "epoch-ms-year-9999-last-day",
        "epoch-ms-huge",
        "epoch-ms-huge-negative",
        "epoch-ms-inf",
        "epoch-ms-float-huge",
    ],
)
def test_parse_time_outside_what_home_assistant_holds(
    value: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A time Home Assistant cannot convert to UTC and local time is missing, logged once.

    Only instants from 0001-01-02 to 9999-12-30 (UTC) survive every zone's offset.
    """
    caplog.set_level(logging.WARNING, logger=PARSING_LOGGER)

    assert parse_time(value) is None
    assert parse_time(value) is None

    logged = [r for r in caplog.records if r.name == PARSING_LOGGER]
    assert len(logged) == 1
    assert "outside the times Home Assistant can hold" in logged[0].getMessage()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0001-01-02T00:00:00Z", datetime(1, 1, 2, tzinfo=UTC)),
        ("9999-12-30T23:59:59.999999Z", EDGE_LATEST),
        (-62135510400000, datetime(1, 1, 2, tzinfo=UTC)),
        (253402214399000, datetime(9999, 12, 30, 23, 59, 59, tzinfo=UTC)),
    ],
    ids=["earliest", "latest", "epoch-ms-earliest", "epoch-ms-latest"],
)
def test_parse_time_edges_convert_in_every_zone(value: Any, expected: datetime) -> None:
    """The earliest and latest times kept convert to UTC and to any zone's local time."""
    parsed = parse_time(value)

    assert parsed == expected
    assert parsed is not None
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns", "UTC"):
        assert parsed.astimezone(ZoneInfo(zone)) == expected
    for hours in (-23, 23):
        assert parsed.astimezone(timezone(timedelta(hours=hours, minutes=59)))


@pytest.mark.usefixtures("fresh_time_log")
def test_parse_time_log_memory_is_bounded(caplog: pytest.LogCaptureFixture) -> None:
    """Ignored times are remembered up to a bound: an old one is logged again later."""
    caplog.set_level(logging.WARNING, logger=PARSING_LOGGER)
    first = "0001-01-01T00:00:01Z"
    parse_time(first)
    for second in range(1000):
        parse_time(f"0001-01-01T00:{second // 60:02d}:{second % 60:02d}.5Z")
    caplog.clear()

    parse_time(first)

    assert len(caplog.records) == 1
    assert first in caplog.records[0].getMessage()


@pytest.mark.usefixtures("fresh_time_log")
def test_parse_time_logs_a_short_text_of_a_long_value(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The log line quotes at most the start of an absurd value."""
    caplog.set_level(logging.WARNING, logger=PARSING_LOGGER)
    value = 10**300

    assert parse_time(value) is None

    message = caplog.records[0].getMessage()
    assert len(message) < 200
    assert message.count("0") < 100


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("API", "API"),
        ("-- Legacy Console", "Legacy Console"),
        (" \u2013 Edge ", "Edge"),
        ("\u2014\tTabbed", "Tabbed"),
        ("Multi-Region", "Multi-Region"),
        ("---", "---"),
    ],
)
def test_clean_name(raw: str, expected: str) -> None:
    """Leading dashes and spaces go; a name made only of dashes is kept."""
    assert clean_name(raw) == expected


def test_require_str_accepts_numbers_only_as_ids() -> None:
    """Numeric ids become strings; booleans and empty strings are refused."""
    assert require_str({"id": 12345}, "id", "incident") == "12345"
    assert require_str({"id": 1.5}, "id", "incident") == "1.5"
    for bad in (True, "", None, ["x"]):
        with pytest.raises(CloudStatusParseError, match="incident has no 'id'"):
            require_str({"id": bad}, "id", "incident")


def test_optional_list_and_loads_errors() -> None:
    """Null lists are empty; objects in their place and non-JSON bodies are parse errors."""
    assert optional_list({"x": None}, "x", "things") == []
    assert optional_list({}, "x", "things") == []
    with pytest.raises(CloudStatusParseError, match="things is dict, not an array"):
        optional_list({"x": {}}, "x", "things")
    with pytest.raises(CloudStatusParseError, match="starts with '<html>'"):
        loads(b"<html>")
    assert loads(b'{"a": [1]}') == {"a": [1]}


# --- parse_summary on our own fixture ------------------------------------------------


@pytest.fixture
def edge_snapshot() -> StatusSnapshot:
    """Return the edge-case summary, parsed."""
    return parse_summary(load_json_fixture(EDGE_CASES))


def test_parse_page_and_status(edge_snapshot: StatusSnapshot) -> None:
    """Page info and the provider's indicator and description are kept."""
    page = edge_snapshot.page
    assert page.id == "apipage00001"
    assert page.name == "API Test Page"
    assert page.url == "https://status.api-test.example"
    assert page.time_zone == "America/New_York"
    assert page.updated_at == _utc(2026, 11, 20, 15, 20)
    assert edge_snapshot.indicator == "major"
    assert edge_snapshot.description == "Partial System Outage"


def test_parse_component_statuses(edge_snapshot: StatusSnapshot) -> None:
    """Statuses map case-insensitively; unknown values are UNKNOWN with the raw value kept."""
    components = edge_snapshot.components
    assert list(components) == [
        "cmp-api",
        "grp-regions",
        "cmp-euw",
        "cmp-orphan",
        "cmp-fuzzy",
        "cmp-db",
        "cmp-legacy",
        "cmp-hooks",
        "grp-edge",
        "cmp-edge-a",
    ]
    assert components["cmp-fuzzy"].status is ComponentStatus.UNKNOWN
    assert components["cmp-fuzzy"].raw_status == "Operational_ish"
    assert components["cmp-db"].status is ComponentStatus.MAJOR_OUTAGE
    assert components["cmp-db"].raw_status == "MAJOR_OUTAGE"
    assert components["cmp-hooks"].status is ComponentStatus.UNKNOWN
    assert components["cmp-hooks"].raw_status is None
    assert components["cmp-legacy"].status is ComponentStatus.UNDER_MAINTENANCE
    assert components["cmp-api"].description == "REST API"
    assert components["grp-regions"].description is None


def test_parse_component_names_and_groups(edge_snapshot: StatusSnapshot) -> None:
    """Members are "Group <en dash> Component"; orphans keep their name; dashes go."""
    names = {cid: c.display_name for cid, c in edge_snapshot.components.items()}
    assert names == {
        "cmp-api": "API",
        "grp-regions": "Regions",
        "cmp-euw": "Regions \u2013 EU West",
        "cmp-orphan": "Orphan",
        "cmp-fuzzy": "Fuzzy",
        "cmp-db": "Database",
        "cmp-legacy": "Legacy Console",
        "cmp-hooks": "Webhooks",
        "grp-edge": "Edge",
        "cmp-edge-a": "Edge \u2013 Edge A",
    }
    euw = edge_snapshot.components["cmp-euw"]
    assert (euw.group_id, euw.group_name, euw.is_group) == (
        "grp-regions",
        "Regions",
        False,
    )
    orphan = edge_snapshot.components["cmp-orphan"]
    assert (orphan.group_id, orphan.group_name) == ("grp-missing", None)
    regions = edge_snapshot.components["grp-regions"]
    assert regions.is_group
    assert regions.group_id is None
    assert regions.status is ComponentStatus.DEGRADED_PERFORMANCE


def test_parse_drops_resolved_incidents(edge_snapshot: StatusSnapshot) -> None:
    """Resolved and postmortem incidents (any case) are not open incidents."""
    assert [incident.id for incident in edge_snapshot.incidents] == [
        "inc-open",
        "12345",
    ]


def test_parse_open_incident(edge_snapshot: StatusSnapshot) -> None:
    """An open incident keeps its texts, times, affected components and newest update."""
    incident = edge_snapshot.incidents[0]
    assert incident.name == "Elevated error rates"
    assert incident.status == "identified"
    assert incident.impact == "major"
    assert incident.url == "https://stspg.io/abc123"
    assert incident.created_at == _utc(2026, 11, 20, 14, 58)
    assert incident.started_at == _utc(2026, 11, 20, 14, 55)
    assert incident.updated_at == _utc(2026, 11, 20, 15, 20)
    assert incident.resolved_at is None
    assert incident.sort_time == incident.started_at
    assert incident.components == (
        "Database",
        "Regions \u2013 EU West",
        "Retired Service",
    )
    assert incident.latest_update == "A fix is being deployed."
    assert incident.latest_update_id == "upd-3"
    assert incident.update_count == 4


def test_parse_bare_incident_defaults(edge_snapshot: StatusSnapshot) -> None:
    """Missing fields get defaults; epoch milliseconds and garbage times are handled."""
    incident = edge_snapshot.incidents[1]
    assert incident.id == "12345"
    assert incident.name == ""
    assert incident.status == "unknown"
    assert incident.impact == "none"
    assert incident.url == "https://status.api-test.example"
    assert incident.created_at == _utc(2026, 11, 20, 15, 0)
    assert incident.started_at is None
    assert incident.updated_at == _utc(2026, 11, 20, 15, 0)
    assert incident.sort_time == incident.created_at
    assert incident.components == ()
    assert incident.latest_update is None
    assert incident.latest_update_id is None
    assert incident.update_count == 0


def test_parse_maintenance_phases(edge_snapshot: StatusSnapshot) -> None:
    """Maintenance statuses map to phases; verifying counts as in progress."""
    phases = {m.id: (m.status, m.phase) for m in edge_snapshot.maintenances}
    assert phases == {
        "mnt-late": ("scheduled", MaintenancePhase.SCHEDULED),
        "mnt-progress": ("in_progress", MaintenancePhase.IN_PROGRESS),
        "mnt-verify": ("verifying", MaintenancePhase.IN_PROGRESS),
        "mnt-done": ("completed", MaintenancePhase.COMPLETED),
        "mnt-early": ("scheduled", MaintenancePhase.SCHEDULED),
        "mnt-undated": ("scheduled", MaintenancePhase.SCHEDULED),
    }
    assert [m.id for m in edge_snapshot.upcoming_maintenances] == [
        "mnt-early",
        "mnt-late",
        "mnt-undated",
    ]
    assert [m.id for m in edge_snapshot.active_maintenances] == [
        "mnt-progress",
        "mnt-verify",
    ]


def test_parse_maintenance_details(edge_snapshot: StatusSnapshot) -> None:
    """A maintenance keeps its window, impact, link, components and latest update."""
    by_id = {m.id: m for m in edge_snapshot.maintenances}
    late = by_id["mnt-late"]
    assert late.name == "Database upgrade"
    assert late.impact == "maintenance"
    assert late.url == "https://stspg.io/mnt1"
    assert late.starts_at == _utc(2026, 11, 27, 7, 0)
    assert late.ends_at == _utc(2026, 11, 27, 9, 0)
    assert late.updated_at == _utc(2026, 11, 20, 13, 0)
    assert late.components == ("Database",)
    assert late.latest_update == "Scheduled upgrade of the database."
    assert late.latest_update_id == "mupd-1"

    progress = by_id["mnt-progress"]
    assert progress.impact == "minor"
    assert progress.url == "https://status.api-test.example"
    assert progress.components == ("Legacy Console",)
    assert progress.latest_update is None

    assert by_id["mnt-verify"].impact == "maintenance"
    assert by_id["mnt-undated"].starts_at is None


def test_parse_unknown_maintenance_status_is_scheduled() -> None:
    """A maintenance status we do not know counts as scheduled, not as an error."""
    snapshot = parse_summary(
        {
            "page": {"id": "p", "name": "P"},
            "components": [],
            "scheduled_maintenances": [{"id": "m", "status": "Postponed"}],
        }
    )
    assert snapshot.maintenances[0].status == "postponed"
    assert snapshot.maintenances[0].phase is MaintenancePhase.SCHEDULED
    assert snapshot.maintenances[0].url is None


def test_parse_minimal_summary_without_optional_sections() -> None:
    """A page with its id, name and an empty component list parses to an empty snapshot."""
    snapshot = parse_summary(
        {"page": {"id": "p", "name": "P"}, "components": [], "status": "weird"}
    )
    assert snapshot.components == {}
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    assert snapshot.indicator is None
    assert snapshot.description is None
    # No indicator and no component: nothing says the page is fine (SPEC).
    assert snapshot.overall_status is ComponentStatus.UNKNOWN


def test_parse_snapshot_summary_properties(edge_snapshot: StatusSnapshot) -> None:
    """The parsed snapshot's overall status is the worst component's."""
    assert edge_snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert edge_snapshot.has_problem


def test_latest_update_is_newest_by_time_across_utc_offsets() -> None:
    """The newest update wins by time, even when the page's UTC offset changed (DST end).

    On 2026-11-01 New York falls back from -04:00 to -05:00: 01:20-05:00 (06:20Z) is later
    than 01:50-04:00 (05:50Z), although it sorts earlier as a string.
    """
    snapshot = parse_summary(
        {
            "page": {"id": "p", "name": "P", "time_zone": "America/New_York"},
            "components": [],
            "incidents": [
                {
                    "id": "i",
                    "status": "monitoring",
                    "incident_updates": [
                        {
                            "id": "after-fall-back",
                            "body": "A fix is in place; monitoring.",
                            "display_at": "2026-11-01T01:20:00.000-05:00",
                        },
                        {
                            "id": "before-fall-back",
                            "body": "We are investigating.",
                            "display_at": "2026-11-01T01:50:00.000-04:00",
                        },
                    ],
                }
            ],
        }
    )
    incident = snapshot.incidents[0]
    assert incident.latest_update_id == "after-fall-back"
    assert incident.latest_update == "A fix is in place; monitoring."


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("2026-11-20T10:00:00.000-05:00", "2026-11-20T10:00:00.000-05:00"),
        ("2026-11-20T10:00:00.000-05:00", "2026-11-20T15:00:00Z"),
        (None, None),
        ("garbage", "also garbage"),
    ],
    ids=["same-text", "same-instant", "no-times", "unreadable"],
)
def test_latest_update_tie_keeps_provider_order(
    first: str | None, second: str | None
) -> None:
    """Updates at the same instant (or without times) keep Statuspage's newest-first order."""
    snapshot = parse_summary(
        {
            "page": {"id": "p", "name": "P"},
            "components": [],
            "incidents": [
                {
                    "id": "i",
                    "status": "investigating",
                    "incident_updates": [
                        {"id": "listed-first", "body": "Newer", "display_at": first},
                        {"id": "listed-second", "body": "Older", "display_at": second},
                    ],
                }
            ],
        }
    )
    assert snapshot.incidents[0].latest_update_id == "listed-first"
    assert snapshot.incidents[0].latest_update == "Newer"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "summary is list"),
        ({"page": None}, "page is NoneType"),
        ({}, "page is NoneType"),
        ({"page": {"name": "P"}}, "page has no 'id'"),
        ({"page": {"id": "p"}}, "page has no 'name'"),
        ({"page": {"id": "p", "name": "P"}, "components": {}}, "components is dict"),
        ({"page": {"id": "p", "name": "P"}, "components": ["x"]}, "component is str"),
        ({"page": {"id": "p", "name": "P"}, "components": [{"name": "A"}]}, "'id'"),
        (
            {
                "page": {"id": "p", "name": "P"},
                "components": [{"id": "g", "group": True}],
            },
            "'name'",
        ),
        ({"page": {"id": "p", "name": "P"}}, "summary has no 'components' list"),
        (
            {"page": {"id": "p", "name": "P"}, "components": None},
            "summary has no 'components' list",
        ),
        (
            {"page": {"id": "p", "name": "P"}, "components": [], "incidents": [{}]},
            "incident has no",
        ),
        (
            {"page": {"id": "p", "name": "P"}, "components": [], "incidents": [None]},
            "incident is",
        ),
        (
            {
                "page": {"id": "p", "name": "P"},
                "components": [],
                "scheduled_maintenances": [{}],
            },
            "maintenance has no",
        ),
        (
            {
                "page": {"id": "p", "name": "P"},
                "components": [],
                "incidents": [{"id": "i", "incident_updates": {}}],
            },
            "incident_updates is dict",
        ),
    ],
    ids=[
        "list",
        "page-null",
        "page-missing",
        "no-page-id",
        "no-page-name",
        "components-object",
        "component-string",
        "component-no-id",
        "group-no-name",
        "components-missing",
        "components-null",
        "incident-no-id",
        "incident-null",
        "maintenance-no-id",
        "updates-object",
    ],
)
def test_parse_summary_wrong_shapes(payload: Any, message: str) -> None:
    """Bodies that are not a summary raise a parse error that says what is wrong."""
    with pytest.raises(CloudStatusParseError, match=message):
        parse_summary(payload)


# --- the client against a real server -------------------------------------------------


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session and close it after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


class FakePage:
    """A Statuspage on 127.0.0.1 that plays back queued answers and records requests."""

    def __init__(self) -> None:
        """Start with no answers and no requests."""
        self.answers: list[tuple[int, bytes, dict[str, str]]] = []
        self.requests: list[CIMultiDict[str]] = []
        self.server: TestServer | None = None

    def add(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue one answer."""
        self.answers.append((status, body, headers or {}))

    def add_json(self, payload: Any, headers: dict[str, str] | None = None) -> bytes:
        """Queue a 200 JSON answer and return its body."""
        body = json.dumps(payload).encode()
        self.add(200, body, {"Content-Type": "application/json", **(headers or {})})
        return body

    async def handle(self, request: web.Request) -> web.Response:
        """Answer with the next queued answer."""
        self.requests.append(request.headers.copy())
        status, body, headers = self.answers.pop(0)
        return web.Response(status=status, body=body, headers=headers)

    @property
    def base(self) -> str:
        """The page's base URL, as a user would type it."""
        assert self.server is not None
        return str(self.server.make_url("/"))


@pytest.fixture
async def page(aiohttp_server: ServerFactory) -> FakePage:
    """Serve a fake page at /api/v2/summary.json."""
    fake = FakePage()
    app = web.Application()
    app.router.add_get(f"/{SUMMARY_PATH}", fake.handle)
    fake.server = await aiohttp_server(app)
    return fake


def _summary(description: str = "All Systems Operational") -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture(MINIMAL)
    payload["status"]["description"] = description
    return payload


def test_client_takes_url_or_text() -> None:
    """A URL is used as given; text is normalized; summary.json hangs off the base."""
    fake_session: Any = object()
    given = URL("http://127.0.0.1:8080/prefix")
    assert StatuspageClient(fake_session, given).base_url is given

    client = StatuspageClient(fake_session, "www.githubstatus.com/api/v2/summary.json")
    assert client.base_url == URL("https://www.githubstatus.com/")
    assert client.resolved_base_url == client.base_url
    assert client.summary_url == URL("https://www.githubstatus.com/api/v2/summary.json")
    with pytest.raises(InvalidUrlError):
        StatuspageClient(fake_session, "ftp://x")


@pytest.mark.usefixtures("socket_enabled")
async def test_client_sends_validators_after_a_200_that_had_them(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """The first request is unconditional; the next one sends the ETag and Last-Modified."""
    last_modified = "Fri, 20 Nov 2026 10:00:00 GMT"
    page.add_json(_summary(), {"ETag": 'W/"abc"', "Last-Modified": last_modified})
    page.add(304, headers={"ETag": 'W/"abc"'})
    client = StatuspageClient(session, page.base)

    first = await client.async_get_summary()
    second = await client.async_get_summary()

    assert first is not None
    assert first.page.id == "apiminimal01"
    assert second is None
    initial, conditional = page.requests
    assert initial["Accept"] == "application/json"
    assert initial["User-Agent"].startswith("HomeAssistant-CloudStatus/")
    assert "If-None-Match" not in initial
    assert "If-Modified-Since" not in initial
    assert conditional["If-None-Match"] == 'W/"abc"'
    assert conditional["If-Modified-Since"] == last_modified
    assert conditional["Accept"] == "application/json"


@pytest.mark.usefixtures("socket_enabled")
async def test_client_sends_only_the_validators_it_was_given(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """No validators → no conditional headers; an ETag alone → If-None-Match alone."""
    page.add_json(_summary("one"))
    page.add_json(_summary("two"), {"ETag": '"v2"'})
    page.add_json(_summary("three"))
    client = StatuspageClient(session, page.base)

    for _ in range(3):
        assert await client.async_get_summary() is not None

    first, second, third = page.requests
    assert "If-None-Match" not in first
    assert "If-None-Match" not in second
    assert "If-Modified-Since" not in second
    assert third["If-None-Match"] == '"v2"'
    assert "If-Modified-Since" not in third


@pytest.mark.usefixtures("socket_enabled")
async def test_client_304_costs_no_parsing(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """A 304 returns None without parsing, and the validators are sent again next time."""
    page.add_json(_summary(), {"ETag": '"v1"'})
    page.add(304)
    page.add(304)
    client = StatuspageClient(session, page.base)

    with patch(PARSE_SUMMARY, wraps=parse_summary) as parse:
        assert await client.async_get_summary() is not None
        assert parse.call_count == 1
        assert await client.async_get_summary() is None
        assert await client.async_get_summary() is None
        assert parse.call_count == 1

    assert [request.get("If-None-Match") for request in page.requests] == [
        None,
        '"v1"',
        '"v1"',
    ]


@pytest.mark.usefixtures("socket_enabled")
async def test_client_identical_body_is_unchanged(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """The same body twice gives None the second time; a changed body a new snapshot."""
    page.add_json(_summary())
    page.add_json(_summary())
    page.add_json(_summary("Minor Service Outage"))
    client = StatuspageClient(session, page.base)

    with patch(PARSE_SUMMARY, wraps=parse_summary) as parse:
        first = await client.async_get_summary()
        second = await client.async_get_summary()
        third = await client.async_get_summary()

    assert first is not None
    assert first.description == "All Systems Operational"
    assert second is None
    assert third is not None
    assert third.description == "Minor Service Outage"
    assert parse.call_count == 2


@pytest.mark.usefixtures("socket_enabled")
async def test_client_identical_body_refreshes_validators(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """An identical body under a new ETag is unchanged, and the new ETag is sent next."""
    page.add_json(_summary(), {"ETag": '"node-a"'})
    page.add_json(_summary(), {"ETag": '"node-b"', "Last-Modified": "Fri"})
    page.add(304)
    client = StatuspageClient(session, page.base)

    assert await client.async_get_summary() is not None
    assert await client.async_get_summary() is None
    assert await client.async_get_summary() is None

    assert page.requests[1]["If-None-Match"] == '"node-a"'
    assert "If-Modified-Since" not in page.requests[1]
    assert page.requests[2]["If-None-Match"] == '"node-b"'
    assert page.requests[2]["If-Modified-Since"] == "Fri"


@pytest.mark.usefixtures("socket_enabled")
async def test_client_sends_back_only_ascii_validators(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """A validator that is not visible ASCII is dropped; a good one beside it is kept."""
    page.add_json(_summary("one"), {"ETag": '"caf\u00e9"', "Last-Modified": "x"})
    page.add_json(
        _summary("two"), {"ETag": '"v2"', "Last-Modified": "Fri \u00e9t\u00e9"}
    )
    page.add(304)
    client = StatuspageClient(session, page.base)

    assert await client.async_get_summary() is not None
    assert await client.async_get_summary() is not None
    assert await client.async_get_summary() is None

    assert "If-None-Match" not in page.requests[1]
    assert page.requests[1]["If-Modified-Since"] == "x"
    assert page.requests[2]["If-None-Match"] == '"v2"'
    assert "If-Modified-Since" not in page.requests[2]


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("components", [None, "missing"])
async def test_client_summary_without_components_fails_the_poll(
    page: FakePage, session: aiohttp.ClientSession, components: str | None
) -> None:
    """A summary without its component list is a failed poll, never "no components".

    The failed answer leaves nothing behind: the next poll still sends the last good
    answer's validators and knows its body.
    """
    page.add_json(_summary(), {"ETag": '"v1"'})
    broken = _summary()
    if components == "missing":
        del broken["components"]
    else:
        broken["components"] = None
    page.add_json(broken, {"ETag": '"v2"'})
    page.add_json(_summary(), {"ETag": '"v1"'})
    client = StatuspageClient(session, page.base)

    first = await client.async_get_summary()
    with pytest.raises(CloudStatusParseError, match="no 'components' list"):
        await client.async_get_summary()
    third = await client.async_get_summary()

    assert first is not None
    assert list(first.components) == ["cmp-site"]
    assert third is None  # the body of the last good answer: unchanged
    assert page.requests[2]["If-None-Match"] == '"v1"'


@pytest.mark.usefixtures("socket_enabled")
async def test_client_keeps_no_validators_from_a_bad_answer(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """A 200 that fails to parse leaves no ETag or body behind; the retry is unconditional."""
    page.add(200, b"<html>maintenance</html>", {"ETag": '"broken"'})
    page.add_json(_summary())
    client = StatuspageClient(session, page.base)

    with pytest.raises(CloudStatusParseError):
        await client.async_get_summary()
    assert await client.async_get_summary() is not None

    assert "If-None-Match" not in page.requests[1]


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("status", [429, 420])
@pytest.mark.parametrize("form", ["seconds", "http-date"])
async def test_client_rate_limited(
    page: FakePage, session: aiohttp.ClientSession, status: int, form: str
) -> None:
    """429 and 420 raise a rate-limit error carrying Retry-After in seconds."""
    value = (
        "30"
        if form == "seconds"
        else format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    )
    page.add(status, b"Too Many Requests", {"Retry-After": value})
    client = StatuspageClient(session, page.base)

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await client.async_get_summary()

    assert exc_info.value.retry_after == pytest.approx(30, abs=2)


@pytest.mark.usefixtures("socket_enabled")
async def test_client_rate_limited_without_retry_after(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """A 429 without Retry-After has no delay."""
    page.add(429)
    client = StatuspageClient(session, page.base)

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await client.async_get_summary()

    assert exc_info.value.retry_after is None


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, CloudStatusServerError),
        (503, CloudStatusServerError),
        (401, CloudStatusAuthError),
        (403, CloudStatusAuthError),
        (404, CloudStatusNotFoundError),
    ],
)
async def test_client_http_errors(
    page: FakePage,
    session: aiohttp.ClientSession,
    status: int,
    error: type[CloudStatusError],
) -> None:
    """HTTP failures raise the matching client error."""
    page.add(status, b"<html>nope</html>", {"Content-Type": "text/html"})
    client = StatuspageClient(session, page.base)

    with pytest.raises(error) as exc_info:
        await client.async_get_summary()

    if isinstance(exc_info.value, CloudStatusServerError):
        assert exc_info.value.status == status


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><body>Error</body></html>", "not JSON"),
        (b"", "not JSON"),
        (b'{"page": {"id": "p", "name": "P"}, "components": [', "not JSON"),
        (b"[]", "summary is list"),
        (b'{"page": null}', "page is NoneType"),
        (b'{"page": {"id": "p", "name": "P"}, "components": {}}', "not an array"),
        (b'{"page": {"name": "No Id"}}', "page has no 'id'"),
        (b'{"page": {"id": "p", "name": "P"}}', "summary has no 'components' list"),
        (
            b'{"page": {"id": "p", "name": "P"}, "components": null, "incidents": []}',
            "summary has no 'components' list",
        ),
        (b'{"page": {"id": "p", "name": "\xff"}, "components": []}', "not JSON"),
    ],
    ids=[
        "html",
        "empty",
        "truncated",
        "list",
        "page-null",
        "components-object",
        "no-page-id",
        "components-missing",
        "components-null",
        "not-utf8",
    ],
)
async def test_client_parse_errors(
    page: FakePage, session: aiohttp.ClientSession, body: bytes, message: str
) -> None:
    """A 200 whose body is not a summary raises a parse error."""
    page.add(200, body, {"Content-Type": "text/html"})
    client = StatuspageClient(session, page.base)

    with pytest.raises(CloudStatusParseError, match=message):
        await client.async_get_summary()


@pytest.mark.usefixtures("socket_enabled")
async def test_client_honours_max_bytes(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """The client's max_bytes reaches the bounded read."""
    page.add_json({"page": {"id": "p", "name": "P" * 500}})
    client = StatuspageClient(session, page.base, max_bytes=100)

    with pytest.raises(CloudStatusResponseTooLargeError):
        await client.async_get_summary()


async def _redirecting_server(
    aiohttp_server: ServerFactory, target: str, payload: dict[str, Any]
) -> TestServer:
    async def old(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(target)

    async def new(request: web.Request) -> web.Response:
        return web.json_response(payload)

    app = web.Application()
    app.router.add_get(f"/old/{SUMMARY_PATH}", old)
    app.router.add_get(target, new)
    return await aiohttp_server(app)


@pytest.mark.usefixtures("socket_enabled")
async def test_client_resolved_base_url_follows_redirect(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """After a redirect to another prefix, resolved_base_url is the new base."""
    server = await _redirecting_server(
        aiohttp_server, f"/new/{SUMMARY_PATH}", _summary()
    )
    client = StatuspageClient(session, str(server.make_url("/old/")))
    assert client.summary_url == server.make_url(f"/old/{SUMMARY_PATH}")

    snapshot = await client.async_get_summary()

    assert snapshot is not None
    assert client.base_url == server.make_url("/old")
    assert client.resolved_base_url == server.make_url("/new")
    assert base_url_string(client.resolved_base_url) == str(server.make_url("/new"))


@pytest.mark.usefixtures("socket_enabled")
async def test_client_resolved_base_url_without_redirect(
    page: FakePage, session: aiohttp.ClientSession
) -> None:
    """Without a redirect the resolved base is the configured base."""
    page.add_json(_summary())
    client = StatuspageClient(session, page.base)

    assert await client.async_get_summary() is not None
    assert client.resolved_base_url is client.base_url
    assert base_url_string(client.resolved_base_url) == page.base.rstrip("/")


@pytest.mark.usefixtures("socket_enabled")
async def test_client_resolved_base_url_after_redirect_off_the_api_path(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A base from which summary.json cannot be reached is never reported.

    The config flow stores resolved_base_url; summary.json below it must lead back to the
    answer (or at least to the address that redirected there).
    """
    server = await _redirecting_server(aiohttp_server, "/feeds/status.json", _summary())
    client = StatuspageClient(session, str(server.make_url("/old")))

    assert await client.async_get_summary() is not None
    assert client.resolved_base_url.joinpath(SUMMARY_PATH) in {
        client.summary_url,
        server.make_url("/feeds/status.json"),
    }


# --- recorded payloads from the shared folder --------------------------------------------

SHARED_STATUSPAGE = SHARED_PAYLOADS / "statuspage_v2"
# "{source}_{summary|components}_{date}...": not "..._incidents_..._with_affected_components".
SHARED_KIND = re.compile(r"_(?:summary|components)_\d{4}-\d{2}")
SHARED_FILES: list[Path] = (
    sorted(
        path
        for path in SHARED_STATUSPAGE.glob("*.json")
        if SHARED_KIND.search(path.name)
    )
    if SHARED_STATUSPAGE.is_dir()
    else []
)
DUO = "duo_components_2021-12-03_539_components_69_groups.json"


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, id=path.name) for path in SHARED_FILES]
    or [pytest.param(None, id="no-shared-payloads")],
)
def test_shared_statuspage_payloads_parse(path: Path | None) -> None:
    """Every recorded summary/components body parses, one component per array entry."""
    if path is None:
        pytest.skip(f"{SHARED_STATUSPAGE} is not available")
    body = json.loads(path.read_text(encoding="utf-8"))

    snapshot = parse_summary(body)

    assert len(snapshot.components) == len(body["components"])
    assert snapshot.page.id
    assert snapshot.overall_status in ComponentStatus
    for component in snapshot.components.values():
        assert component.display_name
        assert not component.display_name.startswith(("-", " "))


def test_shared_duo_components_groups() -> None:
    """Duo's recorded components.json: 539 components of which 69 are groups."""
    path = SHARED_STATUSPAGE / DUO
    if not path.is_file():
        pytest.skip(f"{path} is not available")

    snapshot = parse_summary(json.loads(path.read_text(encoding="utf-8")))

    assert len(snapshot.components) == 539
    groups = [c for c in snapshot.components.values() if c.is_group]
    assert len(groups) == 69
    group_ids = {group.id for group in groups}
    members = [c for c in snapshot.components.values() if c.group_id in group_ids]
    assert members
    assert all("\u2013" in member.display_name for member in members)


# --- reuse of unchanged components between parses ---------------------------------------


def test_component_cache_keeps_unchanged_components_identical() -> None:
    """With a cache, an unchanged component is the same object in the next snapshot."""
    payload = load_json_fixture("statuspage_summary_operational.json")
    cache: ComponentCache = {}
    first = parse_summary(payload, cache)
    # Each poll decodes a fresh body; the cache compares against the previous one.
    payload = copy.deepcopy(payload)
    payload["components"][1]["status"] = "major_outage"
    second = parse_summary(payload, cache)

    assert second.components["cmpapi000001"] is first.components["cmpapi000001"]
    assert second.components["cmpweb000001"] is not first.components["cmpweb000001"]
    assert second.components["cmpweb000001"].status is ComponentStatus.MAJOR_OUTAGE
    assert set(cache) == set(second.components)


def test_component_cache_notices_a_renamed_group() -> None:
    """A member whose own JSON is unchanged is rebuilt when its group is renamed."""
    payload = load_json_fixture("statuspage_summary_operational.json")
    cache: ComponentCache = {}
    first = parse_summary(payload, cache)
    payload = copy.deepcopy(payload)
    payload["components"][2]["name"] = "Locations"
    second = parse_summary(payload, cache)

    assert first.components["cmpeuw000001"].display_name == "Regions \u2013 EU West"
    assert second.components["cmpeuw000001"].display_name == "Locations \u2013 EU West"


def test_component_cache_survives_a_broken_body() -> None:
    """A body that fails to parse leaves the cache as the last good parse made it."""
    payload = load_json_fixture("statuspage_summary_operational.json")
    cache: ComponentCache = {}
    first = parse_summary(payload, cache)
    broken = load_json_fixture("statuspage_summary_operational.json")
    broken["components"][1]["status"] = "major_outage"
    broken["incidents"] = [{"name": "no id"}]
    with pytest.raises(CloudStatusParseError):
        parse_summary(broken, cache)

    assert cache["cmpweb000001"] is first.components["cmpweb000001"]
    assert cache["cmpweb000001"].status is ComponentStatus.OPERATIONAL


def test_component_cache_ignores_fields_parsing_never_reads() -> None:
    """A new updated_at or position keeps the Component; the JSON itself is not kept."""
    payload = load_json_fixture("statuspage_summary_operational.json")
    cache: ComponentCache = {}
    first = parse_summary(payload, cache)
    payload = copy.deepcopy(payload)
    for item in payload["components"]:
        item["updated_at"] = "2026-11-21T10:00:00.000Z"
        item["position"] += 10
    second = parse_summary(payload, cache)

    assert all(
        second.components[key] is component
        for key, component in first.components.items()
    )
    # The cache holds those Components, not the decoded JSON.
    assert cache == second.components
    assert all(cache[key] is second.components[key] for key in cache)


_ORIGINAL = object()
# Values a reused Component must not hide: equal to what it keeps under `==` (True == 1
# == 1.0, "" and None both unset) yet parsed differently, or parsed the same.
_SWAPS: tuple[tuple[str, object, object], ...] = (
    ("group", True, 1),
    ("group", False, 0),
    ("group", False, None),
    ("name", 1, 1.0),
    ("name", 1, True),
    ("name", " - EU West", "EU West"),
    ("name", "EU West", " - EU West"),
    ("name", "-\n-EU West", "-EU West"),
    ("status", "operational", " Operational"),
    ("status", 1, True),
    ("status", None, 0),
    ("status", "", None),
    ("description", "", None),
    ("description", 1, None),
    ("description", "x", "x "),
    ("group_id", "grpregions01", 1),
    ("group_id", "", None),
    ("group_id", _ORIGINAL, "nosuchgroup1"),
)


@pytest.mark.parametrize(("key", "before", "after"), _SWAPS)
def test_component_cache_gives_what_a_fresh_parse_gives(
    key: str, before: object, after: object
) -> None:
    """Whatever a field turns into, a cached parse equals a parse without the cache."""
    payload = load_json_fixture("statuspage_summary_operational.json")
    # EU West, a member of the Regions group.
    if before is not _ORIGINAL:
        payload["components"][3][key] = before
    cache: ComponentCache = {}
    parse_summary(payload, cache)
    payload = copy.deepcopy(payload)
    payload["components"][3][key] = after

    def outcome(cache: ComponentCache | None) -> object:
        try:
            snapshot = parse_summary(copy.deepcopy(payload), cache)
        except CloudStatusParseError as err:
            return str(err)
        return snapshot.components

    assert outcome(cache) == outcome(None)
