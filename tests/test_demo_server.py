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
    body = json.loads(await (await client.get(SUMMARY_PATH)).read())
    shortlink = body["incidents"][0]["shortlink"].removeprefix("http://127.0.0.1:8099")
    assert (await client.get(shortlink)).status == 200


def test_timeline_follows_the_cycle() -> None:
    """The start-up timeline prints the phase times for the chosen cycle."""
    assert demo.timeline()[1].startswith("2:00 incident opens")
    lines = demo.timeline(60)
    assert lines[0] == "0:00 all operational, a maintenance is scheduled for 0:42"
    assert lines[-1] == "1:00 the cycle starts again"
