"""The Better Stack client: JSON:API parsing, ids of either type, reports, one request a poll.

The fixtures under tests/fixtures/betterstack are written by this project in the shape of
the recorded Together AI index.json (../shared/payloads/betterstack, read by
`test_real_body_parses` and skipped when absent) and of the vendor's documentation
(https://betterstack.com/docs/uptime/status-pages/subscribing-to-status-updates/subscribing-to-api):
`status_page_section_id` an integer while every id is a string, an open `manual` report,
a resolved one whose `ends_at` is null, a future `maintenance` report, a
`not_monitored` resource.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusParseError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.betterstack import (
    BetterStackClient,
    detect,
    detected_page,
    parse_index,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

BASE = URL("https://status.example.io")
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)
REAL = SHARED_PAYLOADS / "betterstack"
REAL_INDEX = (
    REAL / "together_index_2026-09-04_operational_22_resources_maintenance_report"
    "_resolved_trimmed.json"
)


def _fixture(name: str) -> Any:
    return load_json_fixture(f"betterstack/{name}")


def _parse(payload: Any, now: datetime = NOW) -> Any:
    return parse_index(payload, BASE, now)[0]


def test_page_and_components() -> None:
    """Integer page id read as text; sections name their resources; empty ones do not."""
    snapshot = _parse(_fixture("index_incident.json"))

    assert snapshot.page.id == "424242"
    assert snapshot.page.name == "Example Cloud"
    assert snapshot.page.url == "https://status.example.io"
    assert snapshot.page.time_zone == "UTC"
    assert snapshot.indicator == "downtime"
    assert snapshot.reported_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    names = {c.id: c.display_name for c in snapshot.components.values()}
    assert names == {
        "8001": "API",
        "8002": "Website",
        "8003": "Regions \u2013 EU West",
        "8004": "Regions \u2013 US East",
        "8005": "Legacy dashboard",
    }
    api = snapshot.components["8001"]
    assert api.status is ComponentStatus.MAJOR_OUTAGE
    assert api.group_id == "501"
    assert api.description == "REST API"
    assert snapshot.components["8002"].description is None
    assert snapshot.components["8003"].status is ComponentStatus.DEGRADED_PERFORMANCE
    legacy = snapshot.components["8005"]
    assert legacy.status is ComponentStatus.UNKNOWN
    assert legacy.raw_status == "not_monitored"


def test_reports_become_incidents_and_maintenances() -> None:
    """An open manual report is an incident; the resolved one (ends_at null) is not."""
    snapshot = _parse(_fixture("index_incident.json"))

    (incident,) = snapshot.incidents
    assert incident.id == "930001"
    assert incident.name == "Elevated API error rates"
    assert incident.status == "downtime"
    assert incident.impact == "major_outage"
    assert incident.components == ("API", "Regions \u2013 EU West")
    assert incident.started_at == datetime(2026, 11, 20, 7, 45, 12, tzinfo=UTC)
    assert incident.updated_at == datetime(2026, 11, 20, 7, 55, tzinfo=UTC)
    assert incident.latest_update == "We found the cause and are rolling back."
    assert incident.latest_update_id == "5400002"
    assert incident.update_count == 2
    assert incident.url == "https://status.example.io"
    (maintenance,) = snapshot.maintenances
    assert maintenance.phase is MaintenancePhase.SCHEDULED
    assert maintenance.status == "scheduled"
    assert maintenance.components == ("Regions \u2013 US East",)
    assert maintenance.starts_at == datetime(2026, 11, 27, 22, tzinfo=UTC)
    assert maintenance.ends_at == datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert maintenance.latest_update == "We will upgrade the network in EU."


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (datetime(2026, 11, 27, 21, 59, tzinfo=UTC), MaintenancePhase.SCHEDULED),
        (datetime(2026, 11, 27, 22, 0, tzinfo=UTC), MaintenancePhase.IN_PROGRESS),
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), MaintenancePhase.COMPLETED),
    ],
)
def test_maintenance_phase_follows_the_clock(
    now: datetime, phase: MaintenancePhase
) -> None:
    """Before its start scheduled, then in progress, completed once its end passed."""
    snapshot, boundary = parse_index(_fixture("index_incident.json"), BASE, now)

    assert snapshot.maintenances[0].phase is phase
    expected_boundary = {
        MaintenancePhase.SCHEDULED: datetime(2026, 11, 27, 22, tzinfo=UTC),
        MaintenancePhase.IN_PROGRESS: datetime(2026, 11, 27, 23, 30, tzinfo=UTC),
        MaintenancePhase.COMPLETED: None,
    }[phase]
    assert boundary == expected_boundary


def test_resolved_maintenance_and_ended_incident() -> None:
    """`resolved` closes a maintenance whatever its times; a past `ends_at` an incident."""
    payload = _fixture("index_incident.json")
    reports = {i["id"]: i for i in payload["included"] if i["type"] == "status_report"}
    reports["930002"]["attributes"]["aggregate_state"] = "Resolved"
    reports["930001"]["attributes"]["ends_at"] = "2026-11-20T07:59:00Z"

    snapshot, boundary = parse_index(payload, BASE, NOW)

    assert snapshot.incidents == ()
    assert snapshot.maintenances[0].phase is MaintenancePhase.COMPLETED
    assert boundary is None


def test_open_incident_with_a_planned_end_is_a_boundary() -> None:
    """An incident whose `ends_at` is ahead closes by itself when that moment comes."""
    payload = _fixture("index_incident.json")
    for item in payload["included"]:
        if item["id"] == "930001":
            item["attributes"]["ends_at"] = "2026-11-20T09:00:00Z"
        if item["id"] == "930002":
            item["attributes"]["report_type"] = "automatic"

    snapshot, boundary = parse_index(payload, BASE, NOW)

    assert [incident.id for incident in snapshot.incidents] == ["930001", "930002"]
    assert boundary == datetime(2026, 11, 20, 9, tzinfo=UTC)


def test_quiet_page() -> None:
    """Operational, no reports, nothing unknown."""
    snapshot = _parse(_fixture("index_operational.json"))

    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    assert snapshot.indicator_known


def test_odd_but_valid_parts() -> None:
    """Unknown types, links to nothing, missing names, an unknown aggregate state."""
    payload = {
        "data": {
            "id": "p1",
            "type": "status_page",
            "attributes": {"aggregate_state": "exploded", "company_name": " "},
        },
        "included": [
            {"id": "x", "type": "status_page_monitor", "attributes": None},
            {"id": 9, "type": "status_page_section", "attributes": {"name": None}},
            {
                "id": "r1",
                "type": "status_page_resource",
                "attributes": {
                    "resource_name": "Fallback",
                    "status": 5,
                    "status_page_section_id": 9,
                },
            },
            {
                "id": "rep",
                "type": "status_report",
                "attributes": {
                    "affected_resources": [
                        "junk",
                        {"status_page_resource_id": 404, "status": "unknown"},
                        {"status_page_resource_id": True, "status": "degraded"},
                    ],
                },
                "relationships": {
                    "status_updates": {
                        "data": [
                            "junk",
                            {"id": None},
                            {"id": "missing"},
                            {"id": "u1"},
                            {"id": "u2"},
                        ]
                    }
                },
            },
            {"id": "u1", "type": "status_update", "attributes": {"message": "first"}},
            {"id": "u2", "type": "status_update", "attributes": {"message": "second"}},
            {
                "id": "rep2",
                "type": "status_report",
                "attributes": {"affected_resources": [{"status": "nope"}]},
                "relationships": {"status_updates": None},
            },
        ],
    }

    snapshot = _parse(payload)

    assert snapshot.page.name == "status.example.io"
    assert snapshot.reported_status is ComponentStatus.UNKNOWN
    assert not snapshot.indicator_known
    component = snapshot.components["r1"]
    assert component.display_name == "Fallback"
    assert component.group_id == "9"
    assert component.raw_status is None
    first, second = snapshot.incidents
    assert first.status == "unknown"
    assert first.impact == "degraded_performance"
    assert first.components == ()
    # Without times, the provider's order decides: the first listed is the newest.
    assert first.latest_update == "first"
    assert first.update_count == 2
    assert second.impact == "none"
    assert second.latest_update is None


def test_no_aggregate_state() -> None:
    """A page without its own state leaves the overall status to its resources."""
    payload = _fixture("index_operational.json")
    del payload["data"]["attributes"]["aggregate_state"]

    snapshot = _parse(payload)

    assert snapshot.reported_status is None
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL


def _broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    payload = copy.deepcopy(_fixture("index_operational.json"))
    change(payload)
    return payload


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "not an object"),
        ({"data": None}, "data is NoneType"),
        ({"data": {"type": "status_page_resource"}}, "not a status page"),
        (_broken(lambda p: p.pop("included")), "has no 'included' list"),
        (_broken(lambda p: p.update(included=None)), "has no 'included' list"),
        (_broken(lambda p: p["data"].update(id=None)), "has no 'id'"),
        (_broken(lambda p: p["data"].update(attributes=None)), "attributes is"),
        (_broken(lambda p: p["included"].append(None)), "included item is"),
        (
            _broken(lambda p: p["included"][2].update(attributes=None)),
            "resource attributes is",
        ),
        (
            _broken(lambda p: p["included"][2]["attributes"].update(public_name="")),
            "has no name",
        ),
        (_broken(lambda p: p["included"][2].update(id="")), "has no 'id'"),
    ],
)
def test_wrong_shapes(payload: Any, message: str) -> None:
    """Another shape, a missing or null list, null where an object is: parse errors."""
    with pytest.raises(CloudStatusParseError, match=message):
        _parse(payload)


@pytest.mark.skipif(not REAL_INDEX.is_file(), reason="../shared/payloads is absent")
def test_real_body_parses() -> None:
    """The recorded Together AI page: 22 resources in sections, one past maintenance."""
    payload = json.loads(REAL_INDEX.read_text(encoding="utf-8"))
    snapshot = _parse(payload)

    assert snapshot.page.id == "197766"
    assert snapshot.page.name == "Together AI"
    assert len(snapshot.components) == 22
    assert snapshot.components["8475065"].display_name == "Website \u2013 Website"
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert snapshot.incidents == ()
    (maintenance,) = snapshot.maintenances
    assert maintenance.phase is MaintenancePhase.COMPLETED
    # 6 of its 8 affected resources were trimmed away by the source.
    assert len(maintenance.components) == 2
    assert maintenance.latest_update == "Maintenance ended"
    assert detected_page(payload) == ("197766", "Together AI")


# --- the client against a real server ---------------------------------------------------


class FakeBetterStack:
    """A Better Stack page on 127.0.0.1 that plays back answers to /index.json."""

    def __init__(self) -> None:
        """Start with nothing queued."""
        self.answers: list[tuple[int, bytes, dict[str, str]]] = []
        self.requests: list[CIMultiDict[str]] = []
        self.server: TestServer | None = None

    def add(self, payload: Any = None, status: int = 200, **headers: str) -> None:
        """Queue an answer (JSON unless bytes); the last one repeats."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.answers.append((status, body, headers))

    async def handle(self, request: web.Request) -> web.Response:
        """Answer with the next queued answer."""
        self.requests.append(request.headers.copy())
        if not self.answers:
            return web.Response(status=404)
        status, body, headers = (
            self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        )
        return web.Response(status=status, body=body, headers=headers)

    @property
    def base(self) -> str:
        """The page's address."""
        assert self.server is not None
        return str(self.server.make_url("/"))


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session and close it after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def fake(aiohttp_server: ServerFactory) -> FakeBetterStack:
    """Serve a fake page at /index.json."""
    page = FakeBetterStack()
    app = web.Application()
    app.router.add_get("/index.json", page.handle)
    page.server = await aiohttp_server(app)
    return page


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """Tell the time."""
        return self.now


@pytest.mark.usefixtures("socket_enabled")
async def test_client_conditional_requests_and_window_boundaries(
    fake: FakeBetterStack, session: aiohttp.ClientSession
) -> None:
    """One request a poll; a 304 is unchanged until a maintenance window starts."""
    fake.add(_fixture("index_incident.json"), ETag='"v1"')
    fake.add(b"", status=304)
    clock = Clock(NOW)
    client = BetterStackClient(session, fake.base, clock=clock)

    first = await client.async_get_snapshot()
    unchanged = await client.async_get_snapshot()
    clock.now = datetime(2026, 11, 27, 22, 5, tzinfo=UTC)
    started = await client.async_get_snapshot()
    again = await client.async_get_snapshot()

    assert first is not None
    assert first.maintenances[0].phase is MaintenancePhase.SCHEDULED
    assert unchanged is None
    assert started is not None
    assert started.maintenances[0].phase is MaintenancePhase.IN_PROGRESS
    assert again is None
    assert len(fake.requests) == 4
    assert "If-None-Match" not in fake.requests[0]
    assert all(request["If-None-Match"] == '"v1"' for request in fake.requests[1:])


@pytest.mark.usefixtures("socket_enabled")
async def test_client_same_bytes_refresh_validators(
    fake: FakeBetterStack, session: aiohttp.ClientSession
) -> None:
    """The same body again is unchanged, and its new validators are sent next time."""
    body = json.dumps(_fixture("index_operational.json")).encode()
    fake.add(body, ETag='"a"')
    fake.add(body, ETag='"b"')
    client = BetterStackClient(session, URL(fake.base))

    assert await client.async_get_snapshot() is not None
    assert await client.async_get_snapshot() is None
    assert await client.async_get_snapshot() is None
    assert fake.requests[2]["If-None-Match"] == '"b"'


@pytest.mark.usefixtures("socket_enabled")
async def test_client_refuses_a_304_to_a_first_request(
    fake: FakeBetterStack, session: aiohttp.ClientSession
) -> None:
    """Nothing was asked conditionally, so a 304 cannot mean "unchanged"."""
    fake.add(b"", status=304)
    client = BetterStackClient(session, fake.base)

    with pytest.raises(CloudStatusParseError, match="304"):
        await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_client_keeps_old_validators_after_a_bad_answer(
    fake: FakeBetterStack, session: aiohttp.ClientSession
) -> None:
    """A body that does not parse leaves the last good validators."""
    fake.add(_fixture("index_operational.json"), ETag='"good"')
    fake.add({"data": None}, ETag='"bad"')
    client = BetterStackClient(session, fake.base)

    await client.async_get_snapshot()
    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot()
    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot()

    assert fake.requests[2]["If-None-Match"] == '"good"'


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"data": {"id": 5, "type": "status_page", "attributes": {}}}, ("5", "")),
        ({"data": {"id": "5", "type": "status_page"}}, None),
        ({"data": {"id": "5", "type": "page", "attributes": {}}}, None),
        ({"page": {"status": "UP"}}, None),
        (None, None),
    ],
)
def test_detected_page(payload: Any, expected: tuple[str, str] | None) -> None:
    """Only a JSON:API `status_page` document with attributes is Better Stack."""
    assert detected_page(payload) == expected


@pytest.mark.usefixtures("socket_enabled")
async def test_detect(fake: FakeBetterStack, session: aiohttp.ClientSession) -> None:
    """One request to /index.json; the key is the page id, the title its company."""
    fake.add(_fixture("index_incident.json"))
    raw = f"{fake.base}index.json"
    probe = Probe(session, raw, detection_base_url(raw))

    found = await detect(probe)

    assert found is not None
    assert found.key == "424242"
    assert found.title == "Example Cloud"
    assert found.url == fake.base.rstrip("/")
    assert probe.requests == 1


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_nameless_page_and_other_answers(
    fake: FakeBetterStack, session: aiohttp.ClientSession
) -> None:
    """A page without a company name is titled by its host; HTML is not Better Stack."""
    fake.add({"data": {"id": "7", "type": "status_page", "attributes": {}}})
    fake.add(b"<html>Not here</html>")
    probe = Probe(session, fake.base, detection_base_url(fake.base))

    found = await detect(probe)
    assert found is not None
    assert found.title == f"127.0.0.1:{URL(fake.base).port}"
    assert await detect(probe) is None
