"""Tests for scripts/demo_status_server.py, the local demo Statuspage of scripts/develop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import importlib.util
import json
from pathlib import Path
import sys
from types import ModuleType
from typing import Any

import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.cloud_status.api.cloudsigma import CloudSigmaClient
from custom_components.cloud_status.api.models import ComponentStatus, MaintenancePhase
from custom_components.cloud_status.api.statuspage import parse_summary

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "demo_status_server.py"
STARTED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CYCLE = 600.0
SUMMARY_PATH = "/api/v2/summary.json"

API = "cmpdemoapi01"
WEBSITE = "cmpdemoweb01"
REGIONS = "grpdemoreg01"
EU_WEST = "cmpdemoeuw01"
US_EAST = "cmpdemouse01"


def _load_demo() -> ModuleType:
    """Import the script by path: scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location("demo_status_server", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while the class is being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


demo = _load_demo()


def _summary(minute: float, cycle: float = CYCLE) -> dict[str, Any]:
    result: dict[str, Any] = demo.summary_at(
        minute * cycle / 10, STARTED_AT, cycle_seconds=cycle
    )
    return result


OPERATIONAL = dict.fromkeys((API, WEBSITE, REGIONS, EU_WEST, US_EAST), "operational")
INCIDENT = {
    **OPERATIONAL,
    API: "partial_outage",
    REGIONS: "degraded_performance",
    EU_WEST: "degraded_performance",
}
MAINTENANCE = {**OPERATIONAL, WEBSITE: "under_maintenance"}


@pytest.mark.parametrize(
    ("minute", "phase", "statuses", "incident", "maintenance", "indicator"),
    [
        (0, "operational", OPERATIONAL, None, "scheduled", "none"),
        (1.99, "operational", OPERATIONAL, None, "scheduled", "none"),
        (2, "incident_investigating", INCIDENT, "investigating", "scheduled", "minor"),
        (4, "incident_identified", INCIDENT, "identified", "scheduled", "minor"),
        (5, "incident_monitoring", INCIDENT, "monitoring", "scheduled", "minor"),
        (6, "incident_resolved", OPERATIONAL, None, "scheduled", "none"),
        (7, "maintenance_in_progress", MAINTENANCE, None, "in_progress", "maintenance"),
        (
            8.5,
            "maintenance_in_progress",
            MAINTENANCE,
            None,
            "in_progress",
            "maintenance",
        ),
        (9, "maintenance_completed", OPERATIONAL, None, "scheduled", "none"),
        (10, "operational", OPERATIONAL, None, "scheduled", "none"),
        (12, "incident_investigating", INCIDENT, "investigating", "scheduled", "minor"),
    ],
)
def test_phases(
    minute: float,
    phase: str,
    statuses: dict[str, str],
    incident: str | None,
    maintenance: str,
    indicator: str,
) -> None:
    """Each phase of the cycle reports the statuses it announces."""
    assert demo.phase_at(minute * 60, CYCLE).name == phase
    body = _summary(minute)
    assert {item["id"]: item["status"] for item in body["components"]} == statuses
    assert [item["status"] for item in body["incidents"]] == (
        [incident] if incident else []
    )
    assert [item["status"] for item in body["scheduled_maintenances"]] == [maintenance]
    assert body["status"]["indicator"] == indicator


def test_shape_matches_statuspage() -> None:
    """The body has the summary.json keys our parser and real pages use."""
    body = _summary(3)
    assert set(body) == {
        "page",
        "components",
        "incidents",
        "scheduled_maintenances",
        "status",
    }
    assert set(body["page"]) == {"id", "name", "url", "time_zone", "updated_at"}
    group = next(item for item in body["components"] if item["group"])
    assert group["components"] == [EU_WEST, US_EAST]
    members = [item for item in body["components"] if item["group_id"] == REGIONS]
    assert {item["id"] for item in members} == {EU_WEST, US_EAST}
    incident = body["incidents"][0]
    assert {"id", "name", "status", "impact", "shortlink", "started_at"} <= set(
        incident
    )
    assert incident["incident_updates"][0]["incident_id"] == incident["id"]
    maintenance = body["scheduled_maintenances"][0]
    assert {"scheduled_for", "scheduled_until", "incident_updates"} <= set(maintenance)
    # Statuspage times: ISO 8601 in UTC with milliseconds.
    assert body["page"]["updated_at"] == "2026-11-20T10:02:00.000Z"
    assert maintenance["scheduled_for"] == "2026-11-20T10:07:00.000Z"
    assert maintenance["scheduled_until"] == "2026-11-20T10:09:00.000Z"


def test_every_moment_parses_without_unknown_statuses() -> None:
    """Over two cycles, our parser reads every body and knows every status."""
    for step in range(0, int(2 * CYCLE), 15):
        snapshot = parse_summary(demo.summary_at(step, STARTED_AT))
        assert snapshot.page.name == "Cloud Status Demo"
        assert len(snapshot.components) == 5
        for component in snapshot.components.values():
            assert component.status is not ComponentStatus.UNKNOWN, step
        assert snapshot.overall_status is not ComponentStatus.UNKNOWN


def test_parsed_names_and_overall_status() -> None:
    """Group members get group-prefixed names; overall follows the phase."""
    incident = parse_summary(_summary(3))
    assert incident.components[EU_WEST].display_name == "Regions \u2013 EU West"
    assert incident.overall_status is ComponentStatus.PARTIAL_OUTAGE
    assert incident.has_problem
    assert incident.incidents[0].components == ("API", "Regions \u2013 EU West")

    maintenance = parse_summary(_summary(8))
    assert maintenance.overall_status is ComponentStatus.UNDER_MAINTENANCE
    assert not maintenance.has_problem
    assert [m.phase for m in maintenance.maintenances] == [MaintenancePhase.IN_PROGRESS]

    calm = parse_summary(_summary(0))
    assert calm.overall_status is ComponentStatus.OPERATIONAL
    assert not calm.has_problem
    upcoming = calm.upcoming_maintenances[0]
    assert upcoming.starts_at == STARTED_AT + timedelta(minutes=7)
    assert upcoming.ends_at == STARTED_AT + timedelta(minutes=9)


def test_incident_id_is_stable_across_its_updates() -> None:
    """The incident keeps its id while it gains updates; the next cycle's is new."""
    incidents = [parse_summary(_summary(minute)).incidents for minute in (2, 4, 5)]
    assert [len(found) for found in incidents] == [1, 1, 1]
    ids = {found[0].id for found in incidents}
    assert len(ids) == 1
    assert [found[0].status for found in incidents] == [
        "investigating",
        "identified",
        "monitoring",
    ]
    assert [found[0].update_count for found in incidents] == [1, 2, 3]
    assert len({found[0].latest_update_id for found in incidents}) == 3
    assert parse_summary(_summary(6)).incidents == ()
    assert parse_summary(_summary(12)).incidents[0].id not in ids


def test_maintenance_id_is_stable_until_it_completes() -> None:
    """The maintenance keeps its id from scheduled to in progress; then the next one."""
    scheduled = parse_summary(_summary(0)).maintenances[0]
    running = parse_summary(_summary(7)).maintenances[0]
    following = parse_summary(_summary(9)).maintenances[0]
    assert scheduled.id == running.id
    assert scheduled.phase is MaintenancePhase.SCHEDULED
    assert running.phase is MaintenancePhase.IN_PROGRESS
    assert following.id != running.id
    assert following.phase is MaintenancePhase.SCHEDULED
    assert following.starts_at == STARTED_AT + timedelta(minutes=17)
    assert parse_summary(_summary(10)).maintenances[0].id == following.id


def test_body_only_changes_with_the_phase() -> None:
    """Within a phase the body is identical, so its ETag is too."""
    assert _summary(2.1) == _summary(3.9)
    assert _summary(0) == _summary(1.5)
    assert _summary(3) != _summary(4)


def test_cycle_length_scales_the_timeline() -> None:
    """A 60 s cycle runs the same story ten times faster."""
    assert demo.phase_at(12, 60).name == "incident_investigating"
    assert demo.phase_at(42, 60).name == "maintenance_in_progress"
    assert demo.phase_at(61, 60).cycle == 1
    body = demo.summary_at(12, STARTED_AT, cycle_seconds=60)
    assert body["incidents"][0]["created_at"] == "2026-11-20T10:00:12.000Z"


def test_naive_start_and_page_url() -> None:
    """A naive start counts as UTC; links point at the given page URL."""
    body = demo.summary_at(
        150, STARTED_AT.replace(tzinfo=None), page_url="http://127.0.0.1:9000"
    )
    assert body["page"]["url"] == "http://127.0.0.1:9000"
    assert body["incidents"][0]["shortlink"].startswith("http://127.0.0.1:9000/")
    assert body == demo.summary_at(150, STARTED_AT, page_url="http://127.0.0.1:9000")


def test_cycle_too_short_is_refused() -> None:
    """The app and the command line refuse cycles under 10 s."""
    with pytest.raises(ValueError, match="at least"):
        demo.create_app(cycle_seconds=5)
    with pytest.raises(SystemExit):
        demo._parse_args(["--cycle-seconds", "5"])
    args = demo._parse_args(["--port", "9001", "--cycle-seconds", "60"])
    assert (args.host, args.port, args.cycle_seconds) == ("127.0.0.1", 9001, 60.0)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at an arbitrary monotonic reading."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current reading."""
        return self.now


@pytest.mark.usefixtures("socket_enabled")
async def test_app_serves_summary_with_validators(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """200 with ETag and Last-Modified, then 304 for either validator, 200 on change."""
    clock = FakeClock()
    app = demo.create_app(
        cycle_seconds=CYCLE,
        page_url="http://127.0.0.1:8099/",
        started_at=STARTED_AT,
        clock=clock,
    )
    client = await aiohttp_client(app)

    response = await client.get(SUMMARY_PATH)
    assert response.status == 200
    assert response.content_type == "application/json"
    etag = response.headers["ETag"]
    last_modified = response.headers["Last-Modified"]
    assert etag.startswith('"')
    assert last_modified == format_datetime(STARTED_AT, usegmt=True)
    body = json.loads(await response.read())
    assert body == demo.summary_at(0, STARTED_AT)
    assert parse_summary(body).page.url == "http://127.0.0.1:8099"

    response = await client.get(SUMMARY_PATH, headers={"If-None-Match": etag})
    assert response.status == 304
    assert response.headers["ETag"] == etag
    assert await response.read() == b""

    response = await client.get(SUMMARY_PATH, headers={"If-None-Match": f"W/{etag}"})
    assert response.status == 304

    response = await client.get(
        SUMMARY_PATH, headers={"If-Modified-Since": last_modified}
    )
    assert response.status == 304

    # If-None-Match wins over If-Modified-Since (RFC 9110).
    response = await client.get(
        SUMMARY_PATH,
        headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified},
    )
    assert response.status == 200

    response = await client.get(SUMMARY_PATH, headers={"If-Modified-Since": "junk"})
    assert response.status == 200

    clock.now += 130  # minute 2:10, the incident is open
    response = await client.get(SUMMARY_PATH, headers={"If-None-Match": etag})
    assert response.status == 200
    assert response.headers["ETag"] != etag
    body = json.loads(await response.read())
    assert body["incidents"][0]["status"] == "investigating"
    response = await client.get(
        SUMMARY_PATH, headers={"If-Modified-Since": last_modified}
    )
    assert response.status == 200
    assert response.headers["Last-Modified"] == format_datetime(
        STARTED_AT + timedelta(minutes=2), usegmt=True
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_app_index_page(aiohttp_client: ClientSessionGenerator) -> None:
    """The root page says what the server is and what to paste."""
    clock = FakeClock()
    app = demo.create_app(started_at=STARTED_AT, clock=clock)
    client = await aiohttp_client(app)
    clock.now += 150
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    text = await response.text()
    assert "Cloud Status Demo" in text
    assert "http://127.0.0.1:8099" in text
    assert "Elevated API error rates (investigating)" in text
    assert SUMMARY_PATH in text
    # Every platform found by address, with the address to paste.
    assert "Instatus: <code>http://127.0.0.1:8099/instatus</code>" in text
    assert "Uptime Kuma: <code>http://127.0.0.1:8099/kuma/status/demo</code>" in text
    assert "/slack" not in text
    body = json.loads(await (await client.get(SUMMARY_PATH)).read())
    shortlink = body["incidents"][0]["shortlink"].removeprefix("http://127.0.0.1:8099")
    assert (await client.get(shortlink)).status == 200


def test_timeline_follows_the_cycle() -> None:
    """The start-up timeline prints the phase times for the chosen cycle."""
    assert demo.timeline()[1].startswith("2:00 incident opens")
    lines = demo.timeline(60)
    assert lines[0] == "0:00 all operational, a maintenance is scheduled for 0:42"
    assert lines[-1] == "1:00 the cycle starts again"


# ---------------------------------------------------------------------------------------
# The CloudSigma view of the story

CLOUDSIGMA_STATUS_PATH = "/api/v1/status"
CLOUDSIGMA_COMPONENTS_PATH = "/api/v1/components"
MEMBERS = (API, WEBSITE, EU_WEST, US_EAST)
"""The components CloudSigma lists: every one but the Regions group, in page order."""


def _indicators(**counts: int) -> dict[str, int]:
    return {
        "operational": 0,
        "degraded_performance": 0,
        "partial_outage": 0,
        "major_outage": 0,
        "under_maintenance": 0,
    } | counts


@pytest.mark.parametrize(
    ("minute", "status", "indicators", "incidents", "maintenances"),
    [
        (0, "operational", _indicators(operational=4), 0, 0),
        (
            3,
            "partial_outage",
            _indicators(operational=2, degraded_performance=1, partial_outage=1),
            1,
            0,
        ),
        (
            5.5,
            "partial_outage",
            _indicators(operational=2, degraded_performance=1, partial_outage=1),
            1,
            0,
        ),
        (6, "operational", _indicators(operational=4), 0, 0),
        (8, "under_maintenance", _indicators(operational=3, under_maintenance=1), 0, 1),
        (9.5, "operational", _indicators(operational=4), 0, 0),
    ],
)
def test_cloudsigma_status_follows_the_story(
    minute: float,
    status: str,
    indicators: dict[str, int],
    incidents: int,
    maintenances: int,
) -> None:
    """`/api/v1/status` tells the summary's story: worst status, counts, open items."""
    summary = _summary(minute)
    body = demo.cloudsigma_status(summary)
    assert body == {
        "status": status,
        "indicators": indicators,
        "active_incidents": incidents,
        "scheduled_maintenance": maintenances,
        "last_updated": datetime.fromisoformat(
            summary["page"]["updated_at"]
        ).isoformat(),
    }
    # Every incident the summary lists is open; a scheduled maintenance does not count.
    assert len(summary["incidents"]) == incidents


def test_cloudsigma_components_flatten_the_groups() -> None:
    """`/api/v1/components` lists the non-group components; EU West's status shouts."""
    calm = demo.cloudsigma_components(_summary(0))
    assert [item["id"] for item in calm] == list(MEMBERS)
    assert [item["position"] for item in calm] == [1, 2, 3, 4]
    assert [item["code"] for item in calm] == ["api", "web", "euw", "use"]
    assert calm[0] == {
        "id": API,
        "name": "API",
        "code": "api",
        "status": "operational",
        "description": "REST and GraphQL API",
        "position": 1,
    }
    assert calm[2]["status"] == "OPERATIONAL"

    incident = demo.cloudsigma_components(_summary(3))
    assert {item["id"]: item["status"] for item in incident} == {
        API: "partial_outage",
        WEBSITE: "operational",
        EU_WEST: "DEGRADED_PERFORMANCE",
        US_EAST: "operational",
    }


def _base_url(client: Any) -> str:
    return str(client.make_url("/"))


async def _demo_client(aiohttp_client: ClientSessionGenerator, clock: FakeClock) -> Any:
    app = demo.create_app(cycle_seconds=CYCLE, started_at=STARTED_AT, clock=clock)
    return await aiohttp_client(app)


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("minute", "overall", "incidents", "maintenances"),
    [
        (0.5, ComponentStatus.OPERATIONAL, 0, 0),
        (3, ComponentStatus.PARTIAL_OUTAGE, 1, 0),
        (8, ComponentStatus.UNDER_MAINTENANCE, 0, 1),
    ],
)
async def test_cloudsigma_client_agrees_with_the_summary(
    aiohttp_client: ClientSessionGenerator,
    minute: float,
    overall: ComponentStatus,
    incidents: int,
    maintenances: int,
) -> None:
    """The integration's CloudSigma client reads the same moment as the Statuspage view."""
    clock = FakeClock()
    client = await _demo_client(aiohttp_client, clock)
    clock.now += minute * 60

    snapshot = await CloudSigmaClient(
        client.session, _base_url(client)
    ).async_get_snapshot()
    summary = parse_summary(json.loads(await (await client.get(SUMMARY_PATH)).read()))

    assert summary.overall_status is overall
    assert snapshot.reported_status is overall
    assert snapshot.overall_status is summary.overall_status
    assert snapshot.has_problem is summary.has_problem
    assert snapshot.counts_only
    assert (snapshot.incidents, snapshot.maintenances) == ((), ())
    assert snapshot.incident_count == len(summary.incidents) == incidents
    assert snapshot.maintenance_count == len(summary.active_maintenances)
    assert snapshot.maintenance_count == maintenances
    assert snapshot.maintenance_in_progress is summary.maintenance_in_progress
    assert snapshot.page.updated_at == summary.page.updated_at

    members = [c.id for c in summary.components.values() if not c.is_group]
    assert list(snapshot.components) == members == list(MEMBERS)
    for component_id, component in snapshot.components.items():
        assert component.status is summary.components[component_id].status
        assert component.name == summary.components[component_id].name
        assert component.status is not ComponentStatus.UNKNOWN


@pytest.mark.usefixtures("socket_enabled")
async def test_cloudsigma_client_reads_the_upper_case_status(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """EU West arrives as DEGRADED_PERFORMANCE and reads as degraded_performance."""
    clock = FakeClock()
    client = await _demo_client(aiohttp_client, clock)
    clock.now += 150
    snapshot = await CloudSigmaClient(
        client.session, _base_url(client)
    ).async_get_snapshot()
    eu_west = snapshot.components[EU_WEST]
    assert eu_west.raw_status == "DEGRADED_PERFORMANCE"
    assert eu_west.status is ComponentStatus.DEGRADED_PERFORMANCE
    assert snapshot.components[API].status is ComponentStatus.PARTIAL_OUTAGE


@pytest.mark.usefixtures("socket_enabled")
async def test_cloudsigma_client_pages_and_falls_back_to_counts(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """Small pages still give every component; with a key, the 404 details mean counts."""
    clock = FakeClock()
    client = await _demo_client(aiohttp_client, clock)
    clock.now += 150
    reader = CloudSigmaClient(
        client.session, f"{_base_url(client)}api/v1/status", "demo-key", per_page=3
    )
    snapshot = await reader.async_get_snapshot()
    assert list(snapshot.components) == list(MEMBERS)
    assert not reader.details_available
    assert snapshot.counts_only
    assert snapshot.incident_count == 1


@pytest.mark.usefixtures("socket_enabled")
async def test_cloudsigma_components_paging_and_validation(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """page/per_page slice the list; bad values get a FastAPI-style 422."""
    client = await _demo_client(aiohttp_client, FakeClock())

    async def ids(query: dict[str, str]) -> list[str]:
        response = await client.get(CLOUDSIGMA_COMPONENTS_PATH, params=query)
        assert response.status == 200
        assert response.content_type == "application/json"
        return [item["id"] for item in await response.json()]

    assert await ids({}) == list(MEMBERS)
    assert await ids({"per_page": "3"}) == list(MEMBERS[:3])
    assert await ids({"page": "2", "per_page": "3"}) == [US_EAST]
    assert await ids({"page": "3", "per_page": "2"}) == []
    assert await ids({"page": " 1 ", "per_page": "100"}) == list(MEMBERS)

    async def errors(query: dict[str, str]) -> list[dict[str, Any]]:
        response = await client.get(CLOUDSIGMA_COMPONENTS_PATH, params=query)
        assert response.status == 422
        detail: list[dict[str, Any]] = (await response.json())["detail"]
        return detail

    (error,) = await errors({"page": "0"})
    assert error["loc"] == ["query", "page"]
    assert error["type"] == "greater_than_equal"
    assert "greater than or equal to 1" in error["msg"]

    both = await errors({"page": "two", "per_page": "101"})
    assert [(item["loc"], item["type"]) for item in both] == [
        (["query", "page"], "int_parsing"),
        (["query", "per_page"], "less_than_equal"),
    ]
    assert both[0]["input"] == "two"
    assert all(item["msg"] for item in both)

    (error,) = await errors({"per_page": ""})
    assert error["loc"] == ["query", "per_page"]
    assert error["type"] == "int_parsing"


@pytest.mark.usefixtures("socket_enabled")
async def test_unknown_paths_answer_json_not_found(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """No detail endpoints: 404 with CloudSigma's error body; a wrong method is a 405."""
    client = await _demo_client(aiohttp_client, FakeClock())
    for path in ("/api/v1/incidents", "/api/v1/maintenances", "/api/v2/nothing"):
        response = await client.get(path)
        assert response.status == 404, path
        assert response.content_type == "application/json"
        assert await response.json() == {"detail": "Not Found"}

    response = await client.post(CLOUDSIGMA_STATUS_PATH)
    assert response.status == 405
    assert await response.json() == {"detail": "Method Not Allowed"}
    assert "GET" in response.headers["Allow"]

    # The Statuspage side keeps answering, with its validators.
    response = await client.get(SUMMARY_PATH)
    assert response.status == 200
    assert "ETag" in response.headers
    response = await client.get(
        SUMMARY_PATH, headers={"If-None-Match": response.headers["ETag"]}
    )
    assert response.status == 304


@pytest.mark.usefixtures("socket_enabled")
async def test_cloudsigma_status_endpoint(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """`/api/v1/status` serves the same body `cloudsigma_status` builds, as JSON."""
    clock = FakeClock()
    client = await _demo_client(aiohttp_client, clock)
    clock.now += 420  # minute 7, the maintenance is in progress
    response = await client.get(CLOUDSIGMA_STATUS_PATH)
    assert response.status == 200
    assert response.content_type == "application/json"
    body = await response.json()
    assert body == demo.cloudsigma_status(demo.summary_at(420, STARTED_AT))
    assert body["last_updated"] == "2026-11-20T10:07:00+00:00"
    index = await (await client.get("/")).text()
    assert CLOUDSIGMA_STATUS_PATH in index
    assert "CloudSigma status page" in index


# ---------------------------------------------------------------------------------------
# When the story starts


def _first_read_paths() -> list[str]:
    """Return a data path of each view: Statuspage, CloudSigma, every platform."""
    return [
        SUMMARY_PATH,
        CLOUDSIGMA_STATUS_PATH,
        f"{CLOUDSIGMA_COMPONENTS_PATH}?page=1",
        *(platform.PREFIX for platform in demo.demo_platforms.platforms()),
    ]


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("first_read", _first_read_paths())
async def test_story_starts_at_the_first_read(
    aiohttp_client: ClientSessionGenerator, first_read: str
) -> None:
    """However long the server ran before, the incident opens 2 min after the first read."""
    clock = FakeClock()
    app = demo.create_app(
        cycle_seconds=CYCLE,
        started_at=STARTED_AT,
        clock=clock,
        start_on_first_read=True,
    )
    client = await aiohttp_client(app)
    clock.now += 1234  # the newcomer onboards first; the index page starts nothing
    index = await (await client.get("/")).text()
    assert "the story has not started" in index

    await client.get(first_read)  # adding the page in Home Assistant
    clock.now += 119
    body = await (await client.get(SUMMARY_PATH)).json()
    assert body["incidents"] == []
    assert body["page"]["updated_at"] == "2026-11-20T10:00:00.000Z"

    clock.now += 1  # 2:00 after the first read
    body = await (await client.get(SUMMARY_PATH)).json()
    assert [item["status"] for item in body["incidents"]] == ["investigating"]
    assert body["incidents"][0]["created_at"] == "2026-11-20T10:02:00.000Z"
    index = await (await client.get("/")).text()
    assert "cycle 0, incident investigating, 120 s since the story started" in index


@pytest.mark.usefixtures("socket_enabled")
async def test_story_without_a_start_time_starts_at_the_wall_clock_of_the_first_read(
    aiohttp_client: ClientSessionGenerator,
) -> None:
    """With no `started_at`, the story's times count from the first read's moment."""
    clock = FakeClock()
    app = demo.create_app(cycle_seconds=CYCLE, clock=clock, start_on_first_read=True)
    client = await aiohttp_client(app)
    clock.now += 600  # a whole cycle before the first read: no effect
    before = datetime.now(UTC).replace(microsecond=0)
    response = await client.get(SUMMARY_PATH)
    after = datetime.now(UTC)
    body = await response.json()
    updated = datetime.fromisoformat(body["page"]["updated_at"])
    assert before <= updated <= after
    assert body["incidents"] == []
    assert app[demo.DEMO_STATE].elapsed() == 0


def test_command_line_starts_the_story_at_the_first_read_unless_told() -> None:
    """`--start-at-launch` restores the old behaviour (the story starts with the server)."""
    assert demo._parse_args([]).start_at_launch is False
    assert demo._parse_args(["--start-at-launch"]).start_at_launch is True
