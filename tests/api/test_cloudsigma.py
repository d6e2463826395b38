"""The CloudSigma client: URL normalization, parsing, paging, detail probing, errors."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import socket
from typing import Any

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
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    Component,
    ComponentStatus,
    InvalidUrlError,
    MaintenancePhase,
    StatusSnapshot,
)
from custom_components.cloud_status.api.cloudsigma import (
    CLOUDSIGMA_HOST,
    DEFAULT_CLOUDSIGMA_URL,
    DETAIL_RETRY_SECONDS,
    MAX_COMPONENT_PAGES,
    STATUS_PATH,
    CloudSigmaClient,
    CloudSigmaStatus,
    normalize_cloudsigma_url,
    parse_components,
    parse_incidents,
    parse_maintenances,
    parse_status,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

STATUS_OK = "cloudsigma_status_operational.json"
STATUS_OUTAGE = "cloudsigma_status_outage.json"
PAGE1 = "cloudsigma_components_page1.json"
PAGE2 = "cloudsigma_components_page2.json"
OUTAGE_PAGE2 = "cloudsigma_components_outage_page2.json"
INCIDENTS = "cloudsigma_incidents.json"
MAINTENANCES = "cloudsigma_maintenances.json"
SHARED_CLOUDSIGMA = SHARED_PAYLOADS / "cloudsigma"
API_KEY = "sk_live_9f8e7d6c5b4a39281706"
PAGE_URL = "https://statuspage.cloudsigma.com"

MNL_S3 = "55aed683-3a33-5d29-b101-b705e6221536"
TYO_COMPUTE = "31a7bfdf-703a-54ab-8079-cca6e94492ad"
PER_STORAGE = "c8005719-5bbd-54f9-b24a-b84a64031c83"


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _all_components() -> list[dict[str, Any]]:
    return [*load_json_fixture(PAGE1), *load_json_fixture(PAGE2)]


def _fixture_components() -> dict[str, Component]:
    return parse_components(_all_components())


# --- normalize_cloudsigma_url ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (DEFAULT_CLOUDSIGMA_URL, "https://statuspage.cloudsigma.com"),
        ("statuspage.cloudsigma.com", "https://statuspage.cloudsigma.com"),
        ("https://statuspage.cloudsigma.com/", "https://statuspage.cloudsigma.com"),
        (
            "https://statuspage.cloudsigma.com/api/v1/status",
            "https://statuspage.cloudsigma.com",
        ),
        (
            "statuspage.cloudsigma.com/api/v1/components?page=2#x",
            "https://statuspage.cloudsigma.com",
        ),
        (
            "https://statuspage.cloudsigma.com/api/v1",
            "https://statuspage.cloudsigma.com",
        ),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://example.com/status/api/v1/status", "https://example.com/status"),
        ("https://example.com/status/", "https://example.com/status"),
        ("https://example.com/api/v10", "https://example.com/api/v10"),
        (
            "https://example.com/x/api/v2/summary.json",
            "https://example.com/x/api/v2/summary.json",
        ),
        ("  HTTPS://StatusPage.CloudSigma.com  ", "https://statuspage.cloudsigma.com"),
    ],
)
def test_normalize_cloudsigma_url(raw: str, expected: str) -> None:
    """Pasted addresses become scheme://host[:port][/prefix]; only /api/v1... is cut."""
    url = normalize_cloudsigma_url(raw)

    assert str(url) == expected
    assert not str(url).endswith("/")
    assert url.query_string == ""
    assert url.fragment == ""
    assert str(url.joinpath(STATUS_PATH)) == f"{expected}/{STATUS_PATH}"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "https://statuspage.cloud sigma.com",
        "ftp://statuspage.cloudsigma.com",
        "https://",
        "statuspage.cloudsigma.com:port",
        "http://xn--",
        "https://xn--a.cloudsigma.com",
        "xn--zz.com/api/v1/status",
        f"https://{'a' * 64}.cloudsigma.com",
        "https://status..cloudsigma.com",
    ],
    ids=[
        "empty",
        "blank",
        "space",
        "ftp",
        "no-host",
        "bad-port",
        "idna-empty",
        "idna-invalid",
        "idna-incomplete",
        "label-too-long",
        "empty-label",
    ],
)
def test_normalize_cloudsigma_url_invalid(raw: str) -> None:
    """Statuspage's rules apply: empty input, spaces, other schemes, no host are refused.

    So are hosts that are no DNS name: broken IDNA labels (yarl's decoding raises
    UnicodeError for them), labels over 63 characters, empty labels.
    """
    with pytest.raises(InvalidUrlError):
        normalize_cloudsigma_url(raw)
    fake_session: Any = object()
    with pytest.raises(InvalidUrlError):
        CloudSigmaClient(fake_session, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "https://user:hunter2@statuspage.cloudsigma.com/",
        "https://user@statuspage.cloudsigma.com/api/v1/status",
        "user:hunter2@statuspage.cloudsigma.com",
    ],
    ids=["user-password", "user", "scheme-less"],
)
def test_normalize_cloudsigma_url_refuses_credentials(raw: str) -> None:
    """A user or password in the address is refused, also by the client, and not quoted."""
    with pytest.raises(InvalidUrlError, match="user name or password") as exc_info:
        normalize_cloudsigma_url(raw)
    assert "hunter2" not in str(exc_info.value)

    fake_session: Any = object()
    with pytest.raises(InvalidUrlError, match="user name or password"):
        CloudSigmaClient(fake_session, raw)
    with pytest.raises(InvalidUrlError, match="user name or password"):
        CloudSigmaClient(fake_session, URL(raw))


# --- /status -------------------------------------------------------------------------------


def test_parse_status_operational_fixture() -> None:
    """Every documented field of /status is read."""
    status = parse_status(load_json_fixture(STATUS_OK))

    assert status == CloudSigmaStatus(
        status=ComponentStatus.OPERATIONAL,
        raw_status="operational",
        indicators={
            "operational": 153,
            "degraded_performance": 0,
            "partial_outage": 0,
            "major_outage": 0,
            "under_maintenance": 0,
        },
        active_incidents=0,
        scheduled_maintenance=1,
        last_updated=_utc(2026, 11, 20, 6, 30),
    )


def test_parse_status_outage_fixture() -> None:
    """An outage: status, counts and a timestamp with microseconds."""
    status = parse_status(load_json_fixture(STATUS_OUTAGE))

    assert status.status is ComponentStatus.PARTIAL_OUTAGE
    assert status.active_incidents == 2
    assert status.scheduled_maintenance == 0
    assert sum(status.indicators.values()) == 153
    assert status.last_updated == datetime(2026, 11, 20, 7, 45, 12, 345678, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MAJOR_OUTAGE", ComponentStatus.MAJOR_OUTAGE),
        (" Under_Maintenance ", ComponentStatus.UNDER_MAINTENANCE),
        ("on_fire", ComponentStatus.UNKNOWN),
    ],
)
def test_parse_status_values_are_case_insensitive(
    raw: str, expected: ComponentStatus
) -> None:
    """Statuses map case-insensitively; an unknown one is UNKNOWN, and raw is kept."""
    status = parse_status({"status": raw})

    assert status.status is expected
    assert status.raw_status == raw


@pytest.mark.parametrize("raw", [None, 3, "", ["operational"]])
def test_parse_status_unreadable_status_value(raw: Any) -> None:
    """A status that is not a string is UNKNOWN with no raw text."""
    status = parse_status({"status": raw})

    assert status.status is ComponentStatus.UNKNOWN
    assert status.raw_status is None


def test_parse_status_missing_fields_have_defaults() -> None:
    """Without indicators, counts and last_updated: {}, 0, 0 and None."""
    status = parse_status({"status": "operational"})

    assert status.indicators == {}
    assert status.active_incidents == 0
    assert status.scheduled_maintenance == 0
    assert status.last_updated is None


@pytest.mark.parametrize("bad", [-1, "3", True, 1.5, None, {"n": 1}], ids=repr)
def test_parse_status_bad_counts_are_zero(bad: Any) -> None:
    """Counts that are not non-negative integers read as 0."""
    status = parse_status(
        {"status": "operational", "active_incidents": bad, "scheduled_maintenance": bad}
    )

    assert status.active_incidents == 0
    assert status.scheduled_maintenance == 0


@pytest.mark.parametrize("bad", [[1, 2], "operational", 5, None])
def test_parse_status_bad_indicators_are_empty(bad: Any) -> None:
    """Indicators that are not an object are empty."""
    assert parse_status({"status": "operational", "indicators": bad}).indicators == {}


def test_parse_status_indicators_keep_only_counts() -> None:
    """Keys are lower-cased; values that are not counts are left out."""
    status = parse_status(
        {
            "status": "operational",
            "indicators": {
                "OPERATIONAL": 12,
                "Partial_Outage": 1,
                "major_outage": "0",
                "degraded_performance": -2,
                "under_maintenance": None,
            },
        }
    )

    assert status.indicators == {"operational": 12, "partial_outage": 1}


@pytest.mark.parametrize("value", ["yesterday", "", 12.5e30, True, {"at": 1}], ids=repr)
def test_parse_status_unreadable_last_updated(value: Any) -> None:
    """An unreadable last_updated is None, never an error."""
    status = parse_status({"status": "operational", "last_updated": value})

    assert status.last_updated is None
    assert status.status is ComponentStatus.OPERATIONAL


def test_parse_status_epoch_last_updated() -> None:
    """last_updated in epoch milliseconds is read too."""
    status = parse_status({"status": "operational", "last_updated": 1795186800000})

    assert status.last_updated == _utc(2026, 11, 20, 15, 0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "status is list, not an object"),
        ("operational", "status is str, not an object"),
        ({"indicators": {}}, "status has no 'status'"),
        ({}, "status has no 'status'"),
    ],
)
def test_parse_status_wrong_shapes(payload: Any, message: str) -> None:
    """A body that is not a /status answer is a parse error."""
    with pytest.raises(CloudStatusParseError, match=message):
        parse_status(payload)


# --- /components -----------------------------------------------------------------------


def test_parse_components_fixture_pages() -> None:
    """Both fixture pages: 153 components in position order, fields kept."""
    components = _fixture_components()

    assert len(components) == 153
    first = next(iter(components.values()))
    assert first.name == "Zurich (ZRH)"
    assert first.description == "Zurich, Switzerland"
    assert first.status is ComponentStatus.OPERATIONAL
    assert first.raw_status == "operational"
    assert first.group_id is None
    assert not first.is_group
    assert all(component.display_name for component in components.values())


def test_parse_components_sorts_by_position_stably() -> None:
    """Position decides; equal positions and entries without one keep provider order."""
    components = parse_components(
        [
            {"id": "no-pos-1", "name": "No position 1"},
            {"id": "c", "name": "C", "position": 3},
            {"id": "a", "name": "A", "position": 1},
            {"id": "b2", "name": "B2", "position": 2.0},
            {"id": "b1", "name": "B1", "position": 2},
            {"id": "no-pos-2", "name": "No position 2", "position": None},
            {"id": "bool-pos", "name": "Bool position", "position": True},
            {"id": "text-pos", "name": "Text position", "position": "0"},
        ]
    )

    assert list(components) == [
        "a",
        "b2",
        "b1",
        "c",
        "no-pos-1",
        "no-pos-2",
        "bool-pos",
        "text-pos",
    ]


def test_parse_components_without_positions_keep_provider_order() -> None:
    """Without any position the provider's order stays."""
    ids = ["z", "m", "a"]

    assert list(parse_components([{"id": i, "name": i} for i in ids])) == ids


def test_parse_components_tolerant_fields() -> None:
    """Numeric ids, unknown statuses, names from code or id, cleaned names."""
    components = parse_components(
        [
            {"id": 17, "name": "-- Legacy API", "status": "Degraded_Performance"},
            {"id": "x1", "code": "fra", "status": "exploded"},
            {"id": "x2", "name": "   ", "status": None, "description": "  "},
            {"id": "x1", "name": "Duplicate of x1", "status": "major_outage"},
        ]
    )

    assert list(components) == ["17", "x1", "x2"]
    assert components["17"].name == "Legacy API"
    assert components["17"].status is ComponentStatus.DEGRADED_PERFORMANCE
    assert components["17"].raw_status == "Degraded_Performance"
    assert components["x1"].name == "fra"
    assert components["x1"].status is ComponentStatus.UNKNOWN
    assert components["x1"].raw_status == "exploded"
    assert components["x2"].name == "x2"
    assert components["x2"].raw_status is None
    assert components["x2"].description is None


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["zrh"], "component is str, not an object"),
        ([{"name": "No id"}], "component has no 'id'"),
        ([{"id": True, "name": "Bool id"}], "component has no 'id'"),
    ],
)
def test_parse_components_errors(items: list[Any], message: str) -> None:
    """Entries that are not objects or have no id are parse errors."""
    with pytest.raises(CloudStatusParseError, match=message):
        parse_components(items)


# --- the published doc examples ------------------------------------------------------------


def _shared(name: str) -> Any:
    path = SHARED_CLOUDSIGMA / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return json.loads(path.read_text(encoding="utf-8"))


def test_shared_status_doc_example() -> None:
    """CloudSigma's own /status example parses."""
    status = parse_status(_shared("GET_status_DOC_EXAMPLE.json"))

    assert status.status is ComponentStatus.OPERATIONAL
    assert status.raw_status == "operational"
    assert status.indicators["operational"] == 18
    assert set(status.indicators) == {
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "under_maintenance",
    }
    assert status.active_incidents == 0
    assert status.scheduled_maintenance == 1
    assert status.last_updated == _utc(2026, 2, 28, 6, 30)


def test_shared_components_doc_example() -> None:
    """CloudSigma's own /components example parses, placeholder id and all."""
    body = _shared("GET_components_DOC_EXAMPLE_ELIDED.json")

    components = parse_components(body)

    assert len(components) == len(body)
    zurich = components["a1b2c3d4-..."]
    assert zurich.name == "Zurich (ZRH)"
    assert zurich.status is ComponentStatus.OPERATIONAL
    assert zurich.description == "Zurich, Switzerland"


# --- incidents and maintenances (detail endpoints) ----------------------------------------


def test_parse_incidents_fixture() -> None:
    """Open incidents are read tolerantly; resolved and postmortem ones are left out."""
    incidents = parse_incidents(
        load_json_fixture(INCIDENTS), PAGE_URL, _fixture_components()
    )

    assert [incident.id for incident in incidents] == [
        "3d0c5a8e-6b1f-4c57-a0a4-2f6f0f6b9a11",
        "48213",
    ]
    manila, tokyo = incidents
    assert manila.name == "Degraded object storage performance in Manila"
    assert manila.status == "monitoring"
    assert manila.impact == "minor"
    assert manila.created_at == _utc(2026, 11, 20, 6, 2)
    assert manila.started_at == _utc(2026, 11, 20, 5, 55)
    assert manila.updated_at == _utc(2026, 11, 20, 7, 10)
    assert manila.resolved_at is None
    assert manila.components == ("MNL Object Storage",)
    # Listed oldest first, then out of order: the timestamp decides.
    assert manila.latest_update == (
        "A fix has been deployed; we are monitoring request latency."
    )
    assert manila.latest_update_id == "b8a2e1f0-0003-4c1e-9f3e-5c1d2a7e0003"
    assert manila.update_count == 3
    assert manila.url == (
        "https://statuspage.cloudsigma.com/incidents/3d0c5a8e-6b1f-4c57-a0a4-2f6f0f6b9a11"
    )

    assert tokyo.name == "Tokyo compute and network outage"
    assert tokyo.status == "identified"
    assert tokyo.impact == "major"
    assert tokyo.started_at == _utc(2026, 11, 20, 7, 12)
    assert tokyo.created_at == _utc(2026, 11, 20, 7, 20)
    assert tokyo.updated_at == _utc(2026, 11, 20, 7, 41)
    assert tokyo.components == ("TYO Compute", "TYO Networking", "TYO Edge Routers")
    assert tokyo.latest_update == (
        "Power feed B in our Tokyo facility failed; hosts are being restarted."
    )
    assert tokyo.latest_update_id == "90412"
    assert tokyo.update_count == 2
    assert tokyo.url == "https://stspg.cloudsigma.com/tyo48213"


@pytest.mark.parametrize(
    "status", ["resolved", "Completed", "CLOSED", "postmortem", " resolved "]
)
def test_parse_incidents_drops_finished(status: str) -> None:
    """Finished incidents are not open, whatever their case."""
    assert parse_incidents([{"id": "i", "status": status}], PAGE_URL, {}) == ()


def test_parse_incidents_defaults() -> None:
    """A bare incident: no name, unknown status, impact none, the page URL."""
    (incident,) = parse_incidents([{"id": "bare"}], PAGE_URL, {})

    assert incident.name == ""
    assert incident.status == "unknown"
    assert incident.impact == "none"
    assert incident.url == PAGE_URL
    assert incident.components == ()
    assert incident.latest_update is None
    assert incident.latest_update_id is None
    assert incident.update_count == 0
    assert incident.sort_time is None


def test_parse_incidents_tolerates_odd_fields() -> None:
    """Odd components and updates are skipped or read as far as they go."""
    known = {
        "c1": Component(id="c1", name="Compute", status=ComponentStatus.OPERATIONAL)
    }
    (incident,) = parse_incidents(
        [
            {
                "id": "odd",
                "name": "  Spaced name  ",
                "status": "In Progress",
                "impact": 3,
                "severity": "Critical",
                "components": [
                    "c1",
                    7,
                    None,
                    True,
                    "  ",
                    {"id": 1, "name": "By object"},
                    {"name": "Name only"},
                    {"id": "c1", "name": "Ignored: known id wins"},
                    {"id": "gone"},
                ],
                "updates": [
                    "not an update",
                    {"message": "no time, listed first"},
                    {"id": 5, "body": "  ", "message": "also no time"},
                ],
            }
        ],
        None,
        known,
    )

    assert incident.name == "Spaced name"
    assert incident.status == "in_progress"
    assert incident.impact == "critical"
    assert incident.url is None
    assert incident.components == ("Compute", "7", "By object", "Name only", "Compute")
    assert incident.latest_update == "no time, listed first"
    assert incident.latest_update_id is None
    assert incident.update_count == 2


@pytest.mark.parametrize("updates", [None, "text", {"id": 1}, []])
def test_parse_incidents_updates_that_are_not_a_list(updates: Any) -> None:
    """Updates that are missing or not a list mean no latest update."""
    (incident,) = parse_incidents(
        [{"id": "i", "updates": updates, "components": "c1"}], PAGE_URL, {}
    )

    assert incident.latest_update is None
    assert incident.update_count == 0
    assert incident.components == ()


def test_parse_incidents_prefers_updates_over_incident_updates() -> None:
    """`updates` is read when present, `incident_updates` otherwise."""
    (both,) = parse_incidents(
        [
            {
                "id": "i",
                "updates": [{"body": "from updates"}],
                "incident_updates": [{"body": "from incident_updates"}],
            }
        ],
        PAGE_URL,
        {},
    )

    assert both.latest_update == "from updates"


def test_parse_maintenances_fixture() -> None:
    """Phases from many status words; start and end from any of the known keys.

    The completed and the cancelled window of the fixture are left out.
    """
    maintenances = parse_maintenances(
        load_json_fixture(MAINTENANCES), PAGE_URL, _fixture_components()
    )

    by_name = {maintenance.name: maintenance for maintenance in maintenances}
    assert list(by_name) == [
        "Zurich storage firmware upgrade",
        "Frankfurt core switch replacement",
        "San Jose hypervisor kernel updates",
    ]

    zurich = by_name["Zurich storage firmware upgrade"]
    assert zurich.phase is MaintenancePhase.SCHEDULED
    assert zurich.status == "scheduled"
    assert zurich.impact == "maintenance"
    assert zurich.starts_at == _utc(2026, 12, 2, 22)
    assert zurich.ends_at == _utc(2026, 12, 3, 2)
    assert zurich.components == ("ZRH Block Storage",)
    assert zurich.latest_update is not None
    assert zurich.latest_update.startswith("Drives will be upgraded")
    assert zurich.latest_update_id == "m-upd-1"
    assert zurich.url == PAGE_URL

    frankfurt = by_name["Frankfurt core switch replacement"]
    assert frankfurt.phase is MaintenancePhase.IN_PROGRESS
    assert frankfurt.impact == "minor"
    assert frankfurt.starts_at == _utc(2026, 11, 20, 5)
    assert frankfurt.ends_at == _utc(2026, 11, 20, 9)
    assert frankfurt.updated_at == _utc(2026, 11, 20, 5, 1)
    assert frankfurt.components == ("FRA Networking",)
    assert frankfurt.url is not None
    assert frankfurt.url.endswith("/maintenances/7a4e0c1b-1d2f-4e8a-9b3c-11aa22bb0002")

    san_jose = by_name["San Jose hypervisor kernel updates"]
    assert san_jose.id == "5120"
    assert san_jose.phase is MaintenancePhase.IN_PROGRESS
    assert san_jose.starts_at == _utc(2026, 11, 20, 6)
    assert san_jose.ends_at == _utc(2026, 11, 20, 10)


@pytest.mark.parametrize(
    ("status", "phase"),
    [
        (None, MaintenancePhase.SCHEDULED),
        ("Planned", MaintenancePhase.SCHEDULED),
        ("something new", MaintenancePhase.SCHEDULED),
        ("In Progress", MaintenancePhase.IN_PROGRESS),
        ("in-progress", MaintenancePhase.IN_PROGRESS),
        ("ACTIVE", MaintenancePhase.IN_PROGRESS),
        ("verifying", MaintenancePhase.IN_PROGRESS),
    ],
)
def test_parse_maintenance_phases(status: str | None, phase: MaintenancePhase) -> None:
    """Status words map to phases; unknown ones count as scheduled."""
    (maintenance,) = parse_maintenances([{"id": "m", "status": status}], None, {})

    assert maintenance.phase is phase
    assert maintenance.starts_at is None
    assert maintenance.ends_at is None
    assert maintenance.url is None


@pytest.mark.parametrize(
    "status",
    ["completed", "Complete", "finished", "ended", "cancelled", "Canceled"],
)
def test_parse_maintenances_leaves_out_finished_windows(status: str) -> None:
    """Completed and cancelled windows are left out; open ones around them stay."""
    maintenances = parse_maintenances(
        [
            {"id": "before", "status": "scheduled"},
            {"id": "done", "status": status},
            {"id": "after", "status": "in_progress"},
        ],
        None,
        {},
    )

    assert [maintenance.id for maintenance in maintenances] == ["before", "after"]


def test_parse_maintenance_first_readable_time_wins() -> None:
    """An unreadable scheduled_for falls through to starts_at; severity stands in for impact."""
    (maintenance,) = parse_maintenances(
        [
            {
                "id": "m",
                "scheduled_for": "soon",
                "starts_at": "2026-12-01T10:00:00Z",
                "start_at": "2026-12-09T10:00:00Z",
                "end_at": 1795186800000,
                "severity": "Major",
            }
        ],
        PAGE_URL,
        {},
    )

    assert maintenance.starts_at == _utc(2026, 12, 1, 10)
    assert maintenance.ends_at == _utc(2026, 11, 20, 15)
    assert maintenance.impact == "major"


@pytest.mark.parametrize(
    ("parse", "key"),
    [(parse_incidents, "incidents"), (parse_maintenances, "maintenances")],
)
@pytest.mark.parametrize("wrapper", ["items", "results", "data", "own"])
def test_detail_lists_in_an_object(
    parse: Callable[..., tuple[Any, ...]], key: str, wrapper: str
) -> None:
    """The list may come bare or inside an object under a known key."""
    items = [{"id": "x", "name": "X"}]
    payload = {"total": 1, (key if wrapper == "own" else wrapper): items}

    assert [item.id for item in parse(payload, PAGE_URL, {})] == ["x"]
    assert [item.id for item in parse(items, PAGE_URL, {})] == ["x"]


@pytest.mark.parametrize(
    ("parse", "key"),
    [(parse_incidents, "incidents"), (parse_maintenances, "maintenances")],
)
@pytest.mark.parametrize(
    "payload",
    [{"detail": "Not Found"}, {"items": {"id": "x"}}, "none", None, 3],
    ids=["detail", "items-object", "str", "null", "number"],
)
def test_detail_lists_wrong_shapes(
    parse: Callable[..., tuple[Any, ...]], key: str, payload: Any
) -> None:
    """Anything that holds no list is a parse error naming the endpoint."""
    with pytest.raises(CloudStatusParseError, match=f"{key} is .*, not a list"):
        parse(payload, PAGE_URL, {})


@pytest.mark.parametrize(
    ("parse", "what"),
    [(parse_incidents, "incident"), (parse_maintenances, "maintenance")],
)
@pytest.mark.parametrize(
    ("items", "message"),
    [(["x"], "is str, not an object"), ([{"name": "no id"}], "has no 'id'")],
)
def test_detail_items_need_an_id(
    parse: Callable[..., tuple[Any, ...]], what: str, items: list[Any], message: str
) -> None:
    """Every listed incident or maintenance must be an object with an id."""
    with pytest.raises(CloudStatusParseError, match=f"{what} {message}"):
        parse(items, PAGE_URL, {})


# --- the client against a fake CloudSigma on 127.0.0.1 ----------------------------------


@dataclass(frozen=True, slots=True)
class SeenRequest:
    """One request the fake page answered."""

    path: str
    endpoint: str
    query: dict[str, str]
    url: str
    headers: CIMultiDict[str]


class FakeCloudSigma:
    """A CloudSigma status page that pages components and records every request.

    `incidents` / `maintenances` of None answer 404 like FastAPI does; `queued` answers
    for an endpoint take precedence over the defaults.
    """

    def __init__(self) -> None:
        """Serve the operational fixtures and no detail endpoints."""
        self.status: Any = load_json_fixture(STATUS_OK)
        self.components: list[Any] = _all_components()
        self.ignore_paging = False
        self.incidents: Any = None
        self.maintenances: Any = None
        self.queued: dict[str, list[tuple[int, bytes, dict[str, str]]]] = {}
        self.requests: list[SeenRequest] = []
        self.server: TestServer | None = None

    def queue(
        self,
        endpoint: str,
        status: int = 200,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next request to an endpoint with this."""
        self.queued.setdefault(endpoint, []).append((status, body, headers or {}))

    def queue_json(self, endpoint: str, payload: Any, status: int = 200) -> None:
        """Answer the next request to an endpoint with this JSON."""
        headers = {"Content-Type": "application/json"}
        self.queue(endpoint, status, json.dumps(payload).encode(), headers)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Record the request and answer it."""
        endpoint = request.match_info["endpoint"]
        self.requests.append(
            SeenRequest(
                path=request.path,
                endpoint=endpoint,
                query=dict(request.query),
                url=str(request.url),
                headers=request.headers.copy(),
            )
        )
        if queued := self.queued.get(endpoint):
            status, body, headers = queued.pop(0)
            return web.Response(status=status, body=body, headers=headers)
        if endpoint == "status":
            return web.json_response(self.status)
        if endpoint == "components":
            return web.json_response(self._page(request.query))
        payload = {"incidents": self.incidents, "maintenances": self.maintenances}.get(
            endpoint
        )
        if payload is None:
            return web.json_response({"detail": "Not Found"}, status=404)
        return web.json_response(payload)

    def _page(self, query: Any) -> list[Any]:
        page = 1 if self.ignore_paging else int(query.get("page", "1"))
        per_page = int(query.get("per_page", "100"))
        return self.components[(page - 1) * per_page : page * per_page]

    @property
    def base(self) -> str:
        """The page's base URL, as a user would type it."""
        assert self.server is not None
        return str(self.server.make_url("/"))

    def endpoints(self) -> list[str]:
        """Return the endpoints asked for, in order."""
        return [seen.endpoint for seen in self.requests]


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at an arbitrary point."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


def _mode(client: CloudSigmaClient) -> str:
    return "details" if client.details_available else "counts"


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session and close it after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def fake(aiohttp_server: ServerFactory) -> FakeCloudSigma:
    """Serve a fake CloudSigma page at / (and at any path prefix)."""
    page = FakeCloudSigma()
    app = web.Application()
    app.router.add_get("/{prefix:.*}api/v1/{endpoint}", page.handle)
    page.server = await aiohttp_server(app)
    return page


@pytest.fixture
def clock() -> FakeClock:
    """Return a clock the test controls."""
    return FakeClock()


def test_client_normalizes_its_url() -> None:
    """Text or URL, the base is normalized; host and page name follow from it."""
    fake_session: Any = object()

    default = CloudSigmaClient(fake_session, DEFAULT_CLOUDSIGMA_URL)
    pasted = CloudSigmaClient(
        fake_session, URL("https://statuspage.cloudsigma.com/api/v1/status")
    )
    other = CloudSigmaClient(fake_session, "status.example.net:8443/cs/api/v1/")

    assert default.base_url == URL(DEFAULT_CLOUDSIGMA_URL)
    assert default.host == CLOUDSIGMA_HOST
    assert default.page_name == "CloudSigma"
    assert pasted.base_url == default.base_url
    assert str(other.base_url) == "https://status.example.net:8443/cs"
    assert other.host == "status.example.net"
    assert other.page_name == "status.example.net"
    assert not default.details_available
    with pytest.raises(InvalidUrlError):
        CloudSigmaClient(fake_session, "ftp://statuspage.cloudsigma.com")


def test_client_repr_hides_the_key() -> None:
    """repr() says whether a key is set, never what it is."""
    fake_session: Any = object()

    with_key = CloudSigmaClient(fake_session, DEFAULT_CLOUDSIGMA_URL, API_KEY)
    without_key = CloudSigmaClient(fake_session, DEFAULT_CLOUDSIGMA_URL, "   ")

    assert API_KEY not in repr(with_key)
    assert "<redacted>" in repr(with_key)
    assert "api_key=None" in repr(without_key)
    assert "https://statuspage.cloudsigma.com" in repr(with_key)


@pytest.mark.usefixtures("socket_enabled")
async def test_get_status_is_one_request_without_auth(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """async_get_status asks /api/v1/status once, with no Authorization header."""
    client = CloudSigmaClient(session, fake.base)

    status = await client.async_get_status()

    assert status.status is ComponentStatus.OPERATIONAL
    (seen,) = fake.requests
    assert seen.path == "/api/v1/status"
    assert seen.query == {}
    assert "Authorization" not in seen.headers
    assert "X-API-Key" not in seen.headers
    assert seen.headers["Accept"] == "application/json"


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_without_key_reads_every_page(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A poll without a key: status, two component pages, counts only, no probes."""
    client = CloudSigmaClient(session, fake.base)

    snapshot = await client.async_get_snapshot()

    assert fake.endpoints() == ["status", "components", "components"]
    assert [seen.query for seen in fake.requests[1:]] == [
        {"page": "1", "per_page": "100"},
        {"page": "2", "per_page": "100"},
    ]
    assert len(load_json_fixture(PAGE1)) == 100
    assert len(snapshot.components) == 153
    assert list(snapshot.components) == [c["id"] for c in _all_components()]
    assert all("Authorization" not in seen.headers for seen in fake.requests)
    assert _mode(client) == "counts"
    host = URL(fake.base).host
    assert snapshot.page.id == host
    # An IP address would start the entity ids with digits: the platform leads.
    assert snapshot.page.name == f"CloudSigma {host}"
    assert snapshot.page.url == fake.base.rstrip("/")
    assert snapshot.page.updated_at == _utc(2026, 11, 20, 6, 30)
    assert snapshot.reported_status is ComponentStatus.OPERATIONAL
    assert snapshot.indicator == "operational"
    assert snapshot.description is None
    assert snapshot.counts_only
    assert snapshot.incident_count == 0
    assert snapshot.maintenance_count == 1
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    # The doc-style fixture reports one maintenance window, so the page is in maintenance.
    assert snapshot.maintenance_in_progress
    assert snapshot.overall_status is ComponentStatus.UNDER_MAINTENANCE
    assert not snapshot.has_problem


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_outage_is_worse_of_status_and_components(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """/status says partial_outage, a component is down: overall is major_outage."""
    fake.status = load_json_fixture(STATUS_OUTAGE)
    fake.components = [*load_json_fixture(PAGE1), *load_json_fixture(OUTAGE_PAGE2)]
    client = CloudSigmaClient(session, fake.base)

    snapshot = await client.async_get_snapshot()

    assert snapshot.reported_status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.components[PER_STORAGE].status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.components[TYO_COMPUTE].status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.components[MNL_S3].status is ComponentStatus.DEGRADED_PERFORMANCE
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.open_incident_count == 2
    assert not snapshot.maintenance_in_progress
    assert snapshot.has_problem


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_reported_status_alone_can_make_it_worse(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """All components operational but /status says major_outage: overall follows /status."""
    fake.status = {"status": "major_outage", "active_incidents": 1}
    client = CloudSigmaClient(session, fake.base)

    snapshot = await client.async_get_snapshot()

    assert all(
        c.status is ComponentStatus.OPERATIONAL for c in snapshot.components.values()
    )
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_unknown_status_is_not_an_error(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """Unknown statuses become UNKNOWN; missing last_updated is None."""
    fake.status = {"status": "partially_on_fire", "active_incidents": 0}
    fake.components = [
        {"id": "a", "name": "A", "status": "operational"},
        {"id": "b", "name": "B", "status": "wobbly"},
    ]
    client = CloudSigmaClient(session, fake.base)

    snapshot = await client.async_get_snapshot()

    assert snapshot.reported_status is ComponentStatus.UNKNOWN
    assert snapshot.indicator == "partially_on_fire"
    assert snapshot.components["b"].status is ComponentStatus.UNKNOWN
    assert snapshot.components["b"].raw_status == "wobbly"
    assert snapshot.page.updated_at is None
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_names_cloudsigma_by_its_host(
    session: aiohttp.ClientSession,
) -> None:
    """On statuspage.cloudsigma.com the page is called CloudSigma (no network needed)."""

    async def handler(request: web.Request) -> web.Response:
        if request.path.endswith("/status"):
            return web.json_response({"status": "operational"})
        return web.json_response([])

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    async with TestServer(app) as server:
        page_url = f"http://{CLOUDSIGMA_HOST}:{server.port}"
        connector = aiohttp.TCPConnector(resolver=_LoopbackResolver())
        async with aiohttp.ClientSession(connector=connector) as local:
            client = CloudSigmaClient(local, page_url)
            snapshot = await client.async_get_snapshot()

    assert snapshot.page.id == CLOUDSIGMA_HOST
    assert snapshot.page.name == "CloudSigma"
    assert snapshot.page.url == page_url
    assert snapshot.components == {}


class _LoopbackResolver(aiohttp.abc.AbstractResolver):
    """Resolve every host name to 127.0.0.1 (sockets may only reach the loopback)."""

    async def resolve(
        self, host: str, port: int = 0, family: int = 0
    ) -> list[aiohttp.abc.ResolveResult]:
        """Answer with the loopback address."""
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        """Nothing to release."""


@pytest.mark.usefixtures("socket_enabled")
async def test_snapshot_under_a_path_prefix(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A self-hosted page below a prefix is asked below that prefix."""
    client = CloudSigmaClient(session, f"{fake.base}status/api/v1/status")

    snapshot = await client.async_get_snapshot()

    assert [seen.path for seen in fake.requests] == [
        "/status/api/v1/status",
        "/status/api/v1/components",
        "/status/api/v1/components",
    ]
    assert snapshot.page.url == f"{fake.base}status"


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("per_page", "pages"),
    [(50, 4), (51, 4), (153, 2), (200, 1)],
)
async def test_paging_with_other_page_sizes(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, per_page: int, pages: int
) -> None:
    """A short page ends the list; a full last page needs one more (empty) page."""
    client = CloudSigmaClient(session, fake.base, per_page=per_page)

    snapshot = await client.async_get_snapshot()

    component_requests = [s for s in fake.requests if s.endpoint == "components"]
    assert len(component_requests) == pages
    assert [s.query["page"] for s in component_requests] == [
        str(n) for n in range(1, pages + 1)
    ]
    assert {s.query["per_page"] for s in component_requests} == {str(per_page)}
    assert len(snapshot.components) == 153


@pytest.mark.usefixtures("socket_enabled")
async def test_paging_nonsense_page_size_is_one(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """per_page below 1 is raised to 1."""
    fake.components = fake.components[:2]
    client = CloudSigmaClient(session, fake.base, per_page=0)

    snapshot = await client.async_get_snapshot()

    assert [s.query.get("per_page") for s in fake.requests[1:]] == ["1", "1", "1"]
    assert len(snapshot.components) == 2


@pytest.mark.usefixtures("socket_enabled")
async def test_paging_server_that_ignores_page_stops(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A server that repeats page 1 for every page is read once, not forever."""
    fake.ignore_paging = True
    client = CloudSigmaClient(session, fake.base)

    snapshot = await client.async_get_snapshot()

    assert fake.endpoints() == ["status", "components", "components"]
    assert len(snapshot.components) == 100
    assert list(snapshot.components) == [c["id"] for c in load_json_fixture(PAGE1)]


@pytest.mark.usefixtures("socket_enabled")
async def test_paging_overlapping_pages_keep_each_component_once(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A page that partly repeats the last one adds only what is new."""
    first = [{"id": f"c{n}", "name": f"C{n}", "position": n} for n in range(3)]
    fake.queue_json("components", first)
    fake.queue_json("components", [first[2], {"id": "c3", "name": "C3"}, first[0]])
    fake.queue_json("components", [])
    client = CloudSigmaClient(session, fake.base, per_page=3)

    snapshot = await client.async_get_snapshot()

    assert list(snapshot.components) == ["c0", "c1", "c2", "c3"]
    assert fake.endpoints().count("components") == 3


@pytest.mark.usefixtures("socket_enabled")
async def test_paging_has_a_hard_cap(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A list that never ends is a parse error after MAX_COMPONENT_PAGES pages."""
    fake.components = [
        {"id": f"c{n}", "name": f"C{n}"} for n in range(MAX_COMPONENT_PAGES + 5)
    ]
    client = CloudSigmaClient(session, fake.base, per_page=1)

    with pytest.raises(CloudStatusParseError, match="did not end within 100 pages"):
        await client.async_get_snapshot()

    assert fake.endpoints().count("components") == MAX_COMPONENT_PAGES


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"items": []}', "components is dict, not an array"),
        (b'{"detail": "Not Found"}', "components is dict, not an array"),
        (b'["zrh"]', "component is str, not an object"),
        (b'[{"name": "no id"}]', "component has no 'id'"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "not JSON"),
        (b'[{"id": "a", "name": "A"}, {"id": "b", "na', "not JSON"),
        (b"null", "components is NoneType, not an array"),
        (b'[{"id": "a", "name": "\xff\xfe"}]', "not JSON"),
    ],
    ids=[
        "object",
        "detail-object",
        "item-str",
        "item-no-id",
        "html",
        "truncated",
        "null",
        "invalid-utf8",
    ],
)
async def test_bad_component_pages(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, body: bytes, message: str
) -> None:
    """A component page that is not an array of objects with ids is a parse error."""
    fake.queue("components", 200, body, {"Content-Type": "text/html"})
    client = CloudSigmaClient(session, fake.base)

    with pytest.raises(CloudStatusParseError, match=message):
        await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><head><title>502 Bad Gateway</title></head></html>", "not JSON"),
        (b'{"status": "operational", "indicators": {"operational": 1', "not JSON"),
        (b"", "not JSON"),
        (b"[]", "status is list"),
        (b'{"ok": true}', "status has no 'status'"),
    ],
    ids=["html", "truncated", "empty", "list", "other-json"],
)
async def test_bad_status_bodies(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, body: bytes, message: str
) -> None:
    """A 200 from /status that is not its JSON is a parse error (not_a_status_page)."""
    fake.queue("status", 200, body, {"Content-Type": "text/html"})
    client = CloudSigmaClient(session, fake.base)

    with pytest.raises(CloudStatusParseError, match=message):
        await client.async_get_status()


@pytest.mark.usefixtures("socket_enabled")
async def test_client_honours_max_bytes(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """The client's max_bytes reaches the bounded read."""
    client = CloudSigmaClient(session, fake.base, max_bytes=1000)

    assert (await client.async_get_status()).status is ComponentStatus.OPERATIONAL
    with pytest.raises(CloudStatusResponseTooLargeError):
        await client.async_get_snapshot()


# --- documented error answers ---------------------------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("status", "error", "detail"),
    [
        (400, CloudStatusServerError, "Invalid parameter: per_page"),
        (401, CloudStatusAuthError, "Invalid or missing API key"),
        (403, CloudStatusAuthError, "Insufficient permissions"),
        (404, CloudStatusNotFoundError, "Not Found"),
        (422, CloudStatusServerError, "Validation error"),
        (500, CloudStatusServerError, "Internal server error"),
    ],
)
@pytest.mark.parametrize("endpoint", ["status", "components"])
async def test_documented_errors_carry_detail(
    fake: FakeCloudSigma,
    session: aiohttp.ClientSession,
    status: int,
    error: type[CloudStatusError],
    detail: str,
    endpoint: str,
) -> None:
    """Each documented error status raises its class with the body's detail."""
    fake.queue_json(endpoint, {"detail": detail}, status=status)
    client = CloudSigmaClient(session, fake.base, API_KEY)

    with pytest.raises(error) as exc_info:
        await client.async_get_snapshot()

    assert type(exc_info.value) is error
    assert exc_info.value.detail == detail
    assert detail in str(exc_info.value)
    assert API_KEY not in str(exc_info.value)
    assert API_KEY not in repr(exc_info.value)
    if isinstance(exc_info.value, CloudStatusServerError):
        assert exc_info.value.status == status


@pytest.mark.usefixtures("socket_enabled")
async def test_fastapi_validation_error_detail(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A FastAPI 422 list of errors gives the first message."""
    fake.queue_json(
        "components",
        {
            "detail": [
                {
                    "loc": ["query", "per_page"],
                    "msg": "Input should be less than or equal to 100",
                    "type": "less_than_equal",
                },
                {"loc": ["query", "page"], "msg": "second", "type": "int_parsing"},
            ]
        },
        status=422,
    )
    client = CloudSigmaClient(session, fake.base)

    with pytest.raises(CloudStatusServerError) as exc_info:
        await client.async_get_snapshot()

    assert exc_info.value.status == 422
    assert exc_info.value.detail == "Input should be less than or equal to 100"


@pytest.mark.usefixtures("socket_enabled")
async def test_error_with_html_body_has_no_detail(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """A 500 from a proxy (HTML) is a server error without detail."""
    fake.queue("status", 500, b"<html>oops</html>", {"Content-Type": "text/html"})
    client = CloudSigmaClient(session, fake.base)

    with pytest.raises(CloudStatusServerError) as exc_info:
        await client.async_get_status()

    assert exc_info.value.detail is None
    assert str(exc_info.value) == "HTTP 500"


# --- the API key -------------------------------------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
async def test_key_goes_in_the_authorization_header_of_every_request(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """With a key every request carries `Authorization: Bearer`, and no URL has it."""
    fake.incidents = load_json_fixture(INCIDENTS)
    fake.maintenances = load_json_fixture(MAINTENANCES)
    client = CloudSigmaClient(session, fake.base, f"  {API_KEY}\n")

    await client.async_get_snapshot()

    assert fake.endpoints() == [
        "status",
        "components",
        "components",
        "incidents",
        "maintenances",
    ]
    for seen in fake.requests:
        assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
        assert API_KEY not in seen.url
        assert "X-API-Key" not in seen.headers
    assert API_KEY not in repr(client)


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("key", ["sk_live_abc\r\nX-Evil: 1", "sk live", "sk_l\u00efve"])
async def test_key_that_cannot_be_a_header_is_an_auth_error(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, key: str
) -> None:
    """A key a header cannot carry fails as invalid auth, unsent and unquoted."""
    client = CloudSigmaClient(session, fake.base, key)

    with pytest.raises(CloudStatusAuthError) as exc_info:
        await client.async_get_status()

    assert key not in str(exc_info.value)
    assert "sk_l" not in str(exc_info.value)
    assert fake.requests == []


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("status", [401, 403])
async def test_detail_probe_refusing_the_key_is_an_auth_error(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, status: int
) -> None:
    """401/403 from the detail endpoints propagate (reauth); the mode is unchanged."""
    fake.incidents = []
    fake.maintenances = []
    fake.queue_json("incidents", {"detail": "Invalid API key"}, status=status)
    client = CloudSigmaClient(session, fake.base, API_KEY)

    with pytest.raises(CloudStatusAuthError) as exc_info:
        await client.async_get_snapshot()

    assert exc_info.value.detail == "Invalid API key"
    assert API_KEY not in str(exc_info.value)
    assert _mode(client) == "counts"
    # Not switched to counts: the next poll asks again.
    snapshot = await client.async_get_snapshot()
    assert _mode(client) == "details"
    assert not snapshot.counts_only


# --- detail mode and the fallback to counts --------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
async def test_detail_mode_lists_incidents_and_maintenances(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """With a key and detail endpoints, the snapshot has lists instead of counts."""
    fake.status = load_json_fixture(STATUS_OUTAGE)
    fake.components = [*load_json_fixture(PAGE1), *load_json_fixture(OUTAGE_PAGE2)]
    fake.incidents = load_json_fixture(INCIDENTS)
    fake.maintenances = load_json_fixture(MAINTENANCES)
    client = CloudSigmaClient(session, fake.base, API_KEY)

    snapshot = await client.async_get_snapshot()

    assert _mode(client) == "details"
    assert not snapshot.counts_only
    assert snapshot.incident_count is None
    assert snapshot.maintenance_count is None
    assert [i.name for i in snapshot.incidents] == [
        "Degraded object storage performance in Manila",
        "Tokyo compute and network outage",
    ]
    assert snapshot.incidents[1].components[:2] == ("TYO Compute", "TYO Networking")
    assert snapshot.open_incident_count == 2
    # The completed and the cancelled window of the fixture are not listed.
    assert len(snapshot.maintenances) == 3
    assert {m.name for m in snapshot.active_maintenances} == {
        "Frankfurt core switch replacement",
        "San Jose hypervisor kernel updates",
    }
    assert [m.name for m in snapshot.upcoming_maintenances] == [
        "Zurich storage firmware upgrade"
    ]
    assert snapshot.maintenances[0].url == fake.base.rstrip("/")
    assert snapshot.reported_status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE


@pytest.mark.usefixtures("socket_enabled")
async def test_no_key_never_probes(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    """Without a key the detail endpoints are never asked, even when they exist."""
    fake.incidents = []
    fake.maintenances = []
    client = CloudSigmaClient(session, fake.base, clock=clock)

    for _ in range(2):
        snapshot = await client.async_get_snapshot()
        clock.now += DETAIL_RETRY_SECONDS * 2

    assert "incidents" not in fake.endpoints()
    assert snapshot.counts_only
    assert _mode(client) == "counts"


async def _poll(
    client: CloudSigmaClient, fake: FakeCloudSigma
) -> tuple[StatusSnapshot, list[str]]:
    before = len(fake.requests)
    snapshot = await client.async_get_snapshot()
    return snapshot, [s.endpoint for s in fake.requests[before:]]


@pytest.mark.usefixtures("socket_enabled")
async def test_missing_detail_endpoints_fall_back_for_a_day(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    """404 on the probe: counts, no probe for 24 h, then a new probe that may succeed."""
    fake.status = load_json_fixture(STATUS_OUTAGE)
    client = CloudSigmaClient(session, fake.base, API_KEY, clock=clock)

    snapshot, asked = await _poll(client, fake)
    assert asked == ["status", "components", "components", "incidents"]
    assert _mode(client) == "counts"
    assert snapshot.counts_only
    assert snapshot.incident_count == 2
    assert snapshot.maintenance_count == 0
    assert snapshot.incidents == ()

    clock.now += DETAIL_RETRY_SECONDS - 1
    snapshot, asked = await _poll(client, fake)
    assert asked == ["status", "components", "components"]
    assert snapshot.incident_count == 2

    clock.now += 1
    fake.incidents = load_json_fixture(INCIDENTS)
    fake.maintenances = load_json_fixture(MAINTENANCES)
    snapshot, asked = await _poll(client, fake)
    assert asked[-2:] == ["incidents", "maintenances"]
    assert _mode(client) == "details"
    assert snapshot.incident_count is None
    assert len(snapshot.incidents) == 2

    # Once found, the endpoints are asked on every poll.
    snapshot, asked = await _poll(client, fake)
    assert asked[-2:] == ["incidents", "maintenances"]
    assert _mode(client) == "details"


@pytest.mark.usefixtures("socket_enabled")
async def test_detail_endpoints_that_vanish_fall_back(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    """Detail mode switches to counts when the endpoints disappear later."""
    fake.incidents = []
    fake.maintenances = []
    client = CloudSigmaClient(session, fake.base, API_KEY, clock=clock)
    await client.async_get_snapshot()
    assert _mode(client) == "details"

    fake.maintenances = None
    snapshot, asked = await _poll(client, fake)

    assert asked[-2:] == ["incidents", "maintenances"]
    assert _mode(client) == "counts"
    assert snapshot.counts_only
    assert snapshot.incidents == ()
    _, asked = await _poll(client, fake)
    assert "incidents" not in asked


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (405, b'{"detail": "Method Not Allowed"}'),
        (400, b'{"detail": "Bad Request"}'),
        (422, b'{"detail": [{"loc": ["query", "q"], "msg": "Field required"}]}'),
        (501, b""),
        (200, b'{"detail": "Not here"}'),
        (200, b'{"incidents": {"count": 2}}'),
        (200, b"<!doctype html><html><body>status page app</body></html>"),
        (200, b'[{"name": "no id"}]'),
    ],
    ids=[
        "405",
        "400",
        "422",
        "501",
        "object-without-list",
        "list-is-object",
        "html-app-shell",
        "item-without-id",
    ],
)
async def test_unusable_detail_answers_fall_back(
    fake: FakeCloudSigma,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    status: int,
    body: bytes,
) -> None:
    """Answers that hold no usable list mean counts, and no probe for a day."""
    fake.incidents = []
    fake.maintenances = []
    fake.queue("incidents", status, body, {"Content-Type": "application/json"})
    client = CloudSigmaClient(session, fake.base, API_KEY, clock=clock)

    snapshot = await client.async_get_snapshot()

    assert snapshot.counts_only
    assert _mode(client) == "counts"
    _, asked = await _poll(client, fake)
    assert "incidents" not in asked


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("status", [500, 502, 503])
async def test_detail_server_errors_fail_the_poll(
    fake: FakeCloudSigma, session: aiohttp.ClientSession, clock: FakeClock, status: int
) -> None:
    """A temporary failure of a detail endpoint fails the poll without giving up on it."""
    fake.incidents = []
    fake.maintenances = []
    fake.queue_json("maintenances", {"detail": "try again"}, status=status)
    client = CloudSigmaClient(session, fake.base, API_KEY, clock=clock)

    with pytest.raises(CloudStatusServerError) as exc_info:
        await client.async_get_snapshot()

    assert exc_info.value.status == status
    snapshot, asked = await _poll(client, fake)
    assert asked[-2:] == ["incidents", "maintenances"]
    assert _mode(client) == "details"
    assert not snapshot.counts_only


@pytest.mark.usefixtures("socket_enabled")
async def test_detail_lists_are_parsed_against_this_poll_components(
    fake: FakeCloudSigma, session: aiohttp.ClientSession
) -> None:
    """Affected components are named from the components of the same poll."""
    renamed = copy.deepcopy(fake.components)
    for entry in renamed:
        if entry["id"] == MNL_S3:
            entry["name"] = "Manila Object Storage"
    fake.components = renamed
    fake.incidents = load_json_fixture(INCIDENTS)
    fake.maintenances = []
    client = CloudSigmaClient(session, fake.base, API_KEY)

    snapshot = await client.async_get_snapshot()

    assert snapshot.incidents[0].components == ("Manila Object Storage",)
    assert snapshot.maintenances == ()
