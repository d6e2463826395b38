"""Heroku's status feed: the parser, the client and detection by host.

tests/fixtures/heroku/ is written from the shape of the recorded bodies (systems Apps,
Data, Tools; incidents and scheduled items with `updates`) and the Heroku CLI's reading
of the feed; the real bodies in ../shared/payloads/vendors/ are read by a parametrized
test that skips when they are absent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusParseError,
    CloudStatusResponseTooLargeError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.heroku import (
    FEED_URL,
    HerokuClient,
    claims,
    detect,
    map_color,
    parse_current_status,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

SHARED_VENDORS = SHARED_PAYLOADS / "vendors"


def _status() -> Any:
    return load_json_fixture("heroku/current_status.json")


def _systems(*colors: Any) -> list[dict[str, Any]]:
    return [
        {"system": name, "status": color}
        for name, color in zip(("Apps", "Data", "Tools"), colors, strict=False)
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("green", ComponentStatus.OPERATIONAL),
        ("Yellow", ComponentStatus.PARTIAL_OUTAGE),
        ("red", ComponentStatus.MAJOR_OUTAGE),
        (" blue ", ComponentStatus.UNDER_MAINTENANCE),
        ("purple", ComponentStatus.UNKNOWN),
        (None, ComponentStatus.UNKNOWN),
        (3, ComponentStatus.UNKNOWN),
    ],
)
def test_color_mapping(raw: object, expected: ComponentStatus) -> None:
    """Heroku's four colors; anything else is unknown."""
    assert map_color(raw) is expected


# --- the parser --------------------------------------------------------------------------


def test_parse_current_status() -> None:
    """Systems are components; listed incidents are open whatever `resolved` says."""
    snapshot = parse_current_status(_status())

    assert {c.id: (c.name, c.status) for c in snapshot.components.values()} == {
        "apps": ("Apps", ComponentStatus.PARTIAL_OUTAGE),
        "data": ("Data", ComponentStatus.UNDER_MAINTENANCE),
        "tools": ("Tools", ComponentStatus.OPERATIONAL),
    }
    assert snapshot.components["data"].raw_status == "blue"
    assert snapshot.overall_status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.indicator == "yellow"
    assert snapshot.has_problem
    assert snapshot.page.name == "Heroku"
    assert snapshot.page.url == "https://status.heroku.com"

    # Incident 3000 says `resolved: true` but is still listed: it is open.
    assert [i.id for i in snapshot.incidents] == ["3001", "3000"]
    latency, logs = snapshot.incidents
    assert latency.status == "monitoring"
    assert latency.impact == "partial_outage"
    assert latency.latest_update == "A fix has been deployed; we are monitoring."
    assert latency.latest_update_id == "9102"
    assert latency.update_count == 2
    assert latency.url == "https://status.heroku.com/incidents/3001"
    assert latency.started_at == datetime(2026, 5, 4, 9, 12, tzinfo=UTC)
    assert latency.components == ()
    assert logs.impact == "partial_outage"
    assert snapshot.description == "Increased router latency in the EU region"

    running, upcoming, stale = snapshot.maintenances
    assert running.phase is MaintenancePhase.IN_PROGRESS
    assert running.status == "maintenance"
    assert running.starts_at == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    assert running.ends_at is None
    assert upcoming.phase is MaintenancePhase.SCHEDULED
    assert upcoming.starts_at is None
    # The window of April 2 is still listed, long over: completed, not in progress.
    assert stale.phase is MaintenancePhase.COMPLETED
    assert stale.ends_at == datetime(2026, 4, 2, 13, 0, tzinfo=UTC)
    assert snapshot.active_maintenances == (running,)


def test_parse_all_green() -> None:
    """Nothing listed: operational, no problem, no description."""
    snapshot = parse_current_status(
        load_json_fixture("heroku/current_status_green.json")
    )

    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert not snapshot.has_problem
    assert snapshot.description is None
    assert snapshot.indicator == "green"


@pytest.mark.parametrize(
    ("item", "phase"),
    [
        ({"resolved": True, "updates": []}, MaintenancePhase.COMPLETED),
        ({"updates": [{"update_type": "Completed"}]}, MaintenancePhase.COMPLETED),
        ({"upcoming": True, "updates": [{"update_type": "maintenance"}]},
         MaintenancePhase.SCHEDULED),
        ({"updates": []}, MaintenancePhase.SCHEDULED),
        ({"updates": [{"update_type": "scheduled"}]}, MaintenancePhase.SCHEDULED),
        ({"updates": [{"update_type": "maintenance"}]}, MaintenancePhase.IN_PROGRESS),
    ],
)  # fmt: skip
def test_maintenance_phases(item: dict[str, Any], phase: MaintenancePhase) -> None:
    """Ended windows are completed; upcoming ones scheduled; the rest in progress."""
    body = {"status": _systems("green"), "scheduled": [{"id": 1, **item}]}

    (window,) = parse_current_status(body).maintenances

    assert window.phase is phase


def test_an_incident_without_updates() -> None:
    """No updates: status `open`, no impact, the page as its address."""
    body = {"status": _systems("green"), "incidents": [{"id": "7", "updates": None}]}

    (incident,) = parse_current_status(body).incidents

    assert (incident.id, incident.status, incident.impact) == ("7", "open", "none")
    assert incident.url == "https://status.heroku.com"
    assert incident.latest_update_id is None
    assert incident.name == ""


def test_updates_newest_first_by_time() -> None:
    """The newest update wins whatever its place; an update id may be text."""
    updates = [
        {"id": "u1", "created_at": "2026-05-04T09:00:00Z", "update_type": "issue"},
        {"created_at": "2026-05-04T10:00:00Z", "update_type": "Monitoring"},
        "not an update",
    ]
    body = {"status": _systems("green"), "incidents": [{"id": 1, "updates": updates}]}

    (incident,) = parse_current_status(body).incidents

    assert incident.status == "monitoring"
    assert incident.latest_update_id == "2026-05-04T10:00:00Z"
    assert incident.update_count == 2


def test_unknown_and_repeated_systems() -> None:
    """An unknown color is unknown with its raw value; a repeated system keeps its first."""
    body = {
        "status": [
            {"system": "Apps", "status": "purple"},
            {"system": "apps", "status": "red"},
            {"system": "Data"},
        ]
    }

    snapshot = parse_current_status(body)

    assert list(snapshot.components) == ["apps", "data"]
    assert snapshot.components["apps"].status is ComponentStatus.UNKNOWN
    assert snapshot.components["apps"].raw_status == "purple"
    assert snapshot.components["data"].raw_status is None
    assert snapshot.overall_status is ComponentStatus.UNKNOWN
    assert snapshot.incidents == snapshot.maintenances == ()


def test_an_empty_system_list() -> None:
    """No systems: an empty page, nothing known."""
    snapshot = parse_current_status({"status": []})

    assert snapshot.components == {}
    assert snapshot.indicator is None
    assert snapshot.overall_status is ComponentStatus.UNKNOWN


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("status"),
        lambda b: b.update(status=None),
        lambda b: b.update(status={"Apps": "green"}),
        lambda b: b["status"].append(None),
        lambda b: b["status"][0].pop("system"),
        lambda b: b.update(incidents={}),
        lambda b: b["incidents"].append(None),
        lambda b: b["incidents"][0].pop("id"),
        lambda b: b["scheduled"][0].update(id=False),
        lambda b: b["scheduled"][0].update(updates="none"),
    ],
    ids=[
        "missing_list",
        "null_list",
        "object_list",
        "null_system",
        "no_system_name",
        "incidents_object",
        "null_incident",
        "incident_without_id",
        "boolean_id",
        "updates_text",
    ],
)
def test_broken_bodies(mutate: Callable[[Any], Any]) -> None:
    """A missing system list or a malformed item is a parse error."""
    body = _status()
    mutate(body)

    with pytest.raises(CloudStatusParseError):
        parse_current_status(body)


@pytest.mark.parametrize("body", [None, [], "green", {"page": {"id": "x"}}])
def test_other_shapes(body: Any) -> None:
    """Another JSON shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_current_status(body)


@pytest.mark.parametrize(
    ("name", "overall", "incidents", "phases"),
    [
        (
            "heroku_current-status_2019-10-24_yellow_open_incident_EDITED_BY_SOURCE.json",
            ComponentStatus.PARTIAL_OUTAGE,
            1,
            [],
        ),
        (
            "heroku_current-status_2020-11-09_data_blue_scheduled_maintenance.json",
            ComponentStatus.UNDER_MAINTENANCE,
            0,
            [MaintenancePhase.COMPLETED],
        ),
    ],
)
def test_shared_real_bodies(
    name: str,
    overall: ComponentStatus,
    incidents: int,
    phases: list[MaintenancePhase],
) -> None:
    """The recorded bodies parse: three systems, every color known."""
    path = SHARED_VENDORS / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")

    snapshot = parse_current_status(json.loads(path.read_text(encoding="utf-8")))

    assert snapshot.overall_status is overall
    assert list(snapshot.components) == ["apps", "data", "tools"]
    assert all(
        c.status is not ComponentStatus.UNKNOWN for c in snapshot.components.values()
    )
    assert len(snapshot.incidents) == incidents
    assert [m.phase for m in snapshot.maintenances] == phases


# --- addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("status.heroku.com", True),
        ("https://status.heroku.com/api/v4/current-status", True),
        ("https://STATUS.heroku.com/incidents/2120", True),
        ("heroku.com", False),
        ("status.heroku.com.evil.example", False),
        ("ftp://status.heroku.com", False),
    ],
)
def test_claims(raw: str, expected: bool) -> None:
    """Only Heroku's status host is claimed."""
    assert claims(raw) is expected


async def test_detect_by_host_sends_nothing() -> None:
    """Heroku's host is recognised without a request; the entry keeps the real feed."""
    session: Any = object()
    raw = "status.heroku.com"
    probe = Probe(session, raw, detection_base_url(raw))

    detected = await detect(probe)

    assert detected is not None
    assert (detected.key, detected.title) == ("status.heroku.com", "Heroku")
    assert detected.url == "https://status.heroku.com/api/v4/current-status"
    assert probe.requests == 0

    other = "https://status.example.com"
    assert await detect(Probe(session, other, detection_base_url(other))) is None


# --- the client ----------------------------------------------------------------------


@dataclass
class FakeFeed:
    """The `current-status` endpoint: one body, optional ETag, or a given answer."""

    body: Any = field(default_factory=_status)
    etag: str | None = None
    text: str | None = None
    seen: list[dict[str, str]] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append(dict(request.headers))
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        if self.text is not None:
            return web.Response(text=self.text, content_type="text/html")
        headers = {"ETag": self.etag} if self.etag else {}
        return web.json_response(self.body, headers=headers)


@pytest.fixture
async def feed(aiohttp_server: ServerFactory) -> FakeFeed:
    """Serve the fake feed at /heroku/api/v4/current-status."""
    fake = FakeFeed()
    app = web.Application()
    app.router.add_get("/heroku/api/v4/current-status", fake.handle)
    fake.server = await aiohttp_server(app)
    return fake


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _client(feed: FakeFeed, session: aiohttp.ClientSession, **kwargs: Any) -> Any:
    assert feed.server is not None
    return HerokuClient(
        session, feed.server.make_url("/heroku/api/v4/current-status"), **kwargs
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_client_polls_conditionally(
    feed: FakeFeed, session: aiohttp.ClientSession
) -> None:
    """One request a poll; the ETag comes back; 304 and equal bodies are None."""
    feed.etag = '"v1"'
    client = _client(feed, session)

    first = await client.async_get_snapshot()
    assert first is not None
    assert first.page.url == str(client.url.with_path("/heroku"))
    assert await client.async_get_snapshot() is None
    assert feed.seen[1]["If-None-Match"] == '"v1"'

    feed.etag = None
    assert await client.async_get_snapshot() is None
    feed.body = copy.deepcopy(feed.body)
    feed.body["status"][0]["status"] = "red"
    changed = await client.async_get_snapshot()
    assert changed is not None
    assert changed.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert len(feed.seen) == 4


@pytest.mark.usefixtures("socket_enabled")
async def test_client_failures(feed: FakeFeed, session: aiohttp.ClientSession) -> None:
    """A body over the cap is refused; an HTML answer is a bot wall (a refusal)."""
    with pytest.raises(CloudStatusResponseTooLargeError):
        await _client(feed, session, max_bytes=100).async_get_snapshot()
    feed.text = "<html><title>Attention Required!</title></html>"
    with pytest.raises(CloudStatusAuthError):
        await _client(feed, session).async_get_snapshot()


def test_client_defaults_to_the_real_feed() -> None:
    """Without an address the client reads Heroku's own feed."""
    fake_session: Any = object()
    client = HerokuClient(fake_session)

    assert client.url == FEED_URL
    assert client.page_url == "https://status.heroku.com"
