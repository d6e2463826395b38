"""The UptimeRobot client: the page's API pointer, parsing, polls and detection.

No recorded answer of an UptimeRobot status page exists. The fixtures under
tests/fixtures/uptimerobot/ are written for these tests from the documented shape (a
peer's docstring "verified against status.uptimerobot.com": TheLion/statuspage-HA
`providers/uptimerobot.py`): the page HTML with `window.pspApiPath`, getMonitorList
`{status, data[{monitorId, name, statusClass, groupId, groupName, ...}]}` and
getEventFeed `{status, results[{type, id, title, content, date, time, timestamp,
status, endDate}]}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusParseError,
    CloudStatusResponseTooLargeError,
    ComponentStatus,
    MaintenancePhase,
    PageInfo,
)
from custom_components.cloud_status.api.detection import Probe
from custom_components.cloud_status.api.uptimerobot import (
    UptimeRobotClient,
    detect,
    event_feed_url,
    find_monitor_list,
    parse_event_feed,
    parse_monitor_list,
)
from tests.conftest import load_fixture, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

TOKEN = "m7Xk2pQ9rT"
API_URL = f"https://status.uptimerobot.com/api/getMonitorList/{TOKEN}"
PAGE = PageInfo(id=TOKEN, name="status.example.com", url="https://status.example.com")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _monitors() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptimerobot/monitor_list.json")
    return payload


def _events() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptimerobot/event_feed.json")
    return payload


# --- the page's pointer --------------------------------------------------------------------


def test_find_monitor_list() -> None:
    """The page's HTML names the monitor list URL and its token."""
    pointer = find_monitor_list(
        load_fixture("uptimerobot/page.html"), URL("https://status.example.com")
    )

    assert pointer is not None
    assert str(pointer.api_url) == API_URL
    assert pointer.token == TOKEN


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<script>window.pspApiPath = '/api/getMonitorList/abc';</script>",
            "https://status.example.com/api/getMonitorList/abc",
        ),
        (
            '{"pspApiPath":"https:\\/\\/stats.uptimerobot.com\\/api\\/getMonitorList\\/xY-1"}',
            "https://stats.uptimerobot.com/api/getMonitorList/xY-1",
        ),
        (
            '<script>window.pspApiPath = "//cdn.example.net/api/getMonitorList/q/";</script>',
            "https://cdn.example.net/api/getMonitorList/q",
        ),
    ],
)
def test_find_monitor_list_forms(html: str, expected: str) -> None:
    """Relative, escaped and scheme-relative paths resolve against the page."""
    pointer = find_monitor_list(html, URL("https://status.example.com/page"))

    assert pointer is not None
    assert str(pointer.api_url) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<html><title>Status</title></html>",
        "<script>window.pspApiPath = 'ftp://x.example/api/getMonitorList/abc';</script>",
        "<script>x = 'getMonitorList/abc';</script>",
        "<script>x = 'http://[::1/getMonitorList/abc';</script>",
        # An IDNA label that does not decode: not a host one can reach (no crash).
        "<script>window.pspApiPath = 'https://xn--a/api/getMonitorList/abc';</script>",
    ],
)
def test_find_monitor_list_nothing(html: str) -> None:
    """No pointer, or one that is not an http(s) URL, finds nothing."""
    assert find_monitor_list(html, URL("https://status.example.com")) is None


def test_event_feed_url() -> None:
    """The event feed lives beside the monitor list."""
    assert str(event_feed_url(URL(API_URL))) == (
        f"https://status.uptimerobot.com/api/getEventFeed/{TOKEN}"
    )


# --- parsing -----------------------------------------------------------------------------


def test_parse_monitor_list() -> None:
    """Each statusClass maps to the normalized statuses; named groups prefix the name."""
    components = parse_monitor_list(_monitors())

    assert {
        component.id: (component.display_name, component.status, component.raw_status)
        for component in components.values()
    } == {
        "778224452": ("API v2", ComponentStatus.OPERATIONAL, "success"),
        "778224453": (
            "Web \u2013 Dashboard",
            ComponentStatus.DEGRADED_PERFORMANCE,
            "warning",
        ),
        "778224454": ("Web \u2013 Checkout", ComponentStatus.MAJOR_OUTAGE, "danger"),
        "778224455": (
            "Files \u2013 Legacy FTP",
            ComponentStatus.UNDER_MAINTENANCE,
            "paused",
        ),
    }
    assert components["778224453"].group_id == "41"
    assert components["778224452"].group_id is None


@pytest.mark.parametrize(
    ("status_class", "raw"),
    [("exploded", "exploded"), (3, None), (None, None)],
)
def test_unknown_status_class(status_class: Any, raw: str | None) -> None:
    """A statusClass no table maps is unknown, with the raw value kept."""
    payload = _monitors()
    payload["data"][0]["statusClass"] = status_class
    component = parse_monitor_list(payload)["778224452"]

    assert component.status is ComponentStatus.UNKNOWN
    assert component.raw_status == raw


@pytest.mark.parametrize(
    ("group_id", "group_name", "display"),
    [
        (None, "Web", "API v2"),
        ("", "Web", "API v2"),
        (True, "Web", "API v2"),
        (7, None, "API v2"),
        ("7", "Ops", "Ops \u2013 API v2"),
    ],
)
def test_groups(group_id: Any, group_name: Any, display: str) -> None:
    """Only a named group with a real id names its members."""
    payload = _monitors()
    payload["data"][0]["groupId"] = group_id
    payload["data"][0]["groupName"] = group_name

    assert parse_monitor_list(payload)["778224452"].display_name == display


def test_duplicate_monitor_counts_once() -> None:
    """A monitor listed twice is one component (the first)."""
    payload = _monitors()
    payload["data"].append({**payload["data"][0], "name": "Again"})

    assert parse_monitor_list(payload)["778224452"].name == "API v2"


def _with(key: str, value: Any) -> dict[str, Any]:
    payload = _monitors()
    payload[key] = value
    return payload


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param([], id="a_list"),
        pytest.param({"status": "ok"}, id="no_data"),
        pytest.param(_with("data", None), id="null_data"),
        pytest.param(_with("data", {}), id="data_object"),
        pytest.param(_with("data", [None]), id="null_monitor"),
        pytest.param(_with("data", [{"name": "x"}]), id="no_id"),
        pytest.param(_with("data", [{"monitorId": 1}]), id="no_name"),
        pytest.param(_with("data", [{"monitorId": [], "name": "x"}]), id="list_id"),
    ],
)
def test_monitor_list_of_another_shape(payload: Any) -> None:
    """A missing list, null where an object belongs or another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_monitor_list(payload)


def test_parse_event_feed() -> None:
    """Open incidents and coming maintenances; completed events and announcements go."""
    incidents, maintenances = parse_event_feed(_events(), PAGE, NOW)

    (incident,) = incidents
    assert incident.id == "51001"
    assert incident.name == "Checkout errors"
    assert incident.status == "ongoing"
    assert incident.started_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert incident.latest_update == "Payments fail for some cards."
    assert incident.url == "https://status.example.com"
    (maintenance,) = maintenances
    assert maintenance.id == "51002"
    assert maintenance.phase is MaintenancePhase.SCHEDULED
    assert maintenance.starts_at == datetime(2026, 11, 22, 2, tzinfo=UTC)


def test_maintenance_phases_follow_the_clock() -> None:
    """Status 0 is scheduled until its start, in progress after; a past end drops it."""
    payload = _events()
    started = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
    _, (running,) = parse_event_feed(payload, PAGE, started)
    assert running.phase is MaintenancePhase.IN_PROGRESS

    payload["results"][1]["endDate"] = "2026-11-22 02:20:00"
    assert parse_event_feed(payload, PAGE, started)[1] == ()
    payload["results"][1]["endDate"] = 1795316400  # 03:00 UTC, epoch seconds
    (window,) = parse_event_feed(payload, PAGE, started)[1]
    assert window.ends_at == datetime(2026, 11, 22, 3, tzinfo=UTC)


def test_event_status_one_is_in_progress() -> None:
    """Status 1 is in progress whatever the clock says."""
    payload = _events()
    payload["results"][0]["status"] = 1
    payload["results"][1]["status"] = 1
    (incident,), (maintenance,) = parse_event_feed(payload, PAGE, NOW)

    assert incident.status == "in_progress"
    assert maintenance.phase is MaintenancePhase.IN_PROGRESS


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {"date": "Nov 22, 2026", "time": "02:00"},
            datetime(2026, 11, 22, 2, tzinfo=UTC),
        ),
        ({"date": "22.11.2026", "time": "02:00"}, None),
        ({"timestamp": True}, None),
        ({}, None),
    ],
)
def test_event_times_without_a_timestamp(
    event: dict[str, Any], expected: datetime | None
) -> None:
    """Without an epoch timestamp the feed's date and time are read, as UTC."""
    payload = {"results": [{"type": "maintenance", "id": 1, "status": 0, **event}]}
    _, (maintenance,) = parse_event_feed(payload, PAGE, NOW)

    assert maintenance.starts_at == expected
    assert maintenance.phase is MaintenancePhase.SCHEDULED


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param([], id="a_list"),
        pytest.param({"status": True}, id="no_results"),
        pytest.param({"results": None}, id="null_results"),
        pytest.param({"results": [None]}, id="null_event"),
        pytest.param({"results": [{"type": "incident", "status": 0}]}, id="no_id"),
    ],
)
def test_event_feed_of_another_shape(payload: Any) -> None:
    """A missing list, null where an object belongs or another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_event_feed(payload, PAGE, NOW)


# --- the client ----------------------------------------------------------------------------


@dataclass
class Robot:
    """A scripted UptimeRobot page and API on one host."""

    html: str = ""
    monitors: bytes = b""
    events: bytes = b""
    etags: bool = True
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    server: TestServer | None = None

    def set(self, monitors: Any = None, events: Any = None) -> None:
        """Change what the server answers."""
        if monitors is not None:
            self.monitors = (
                monitors
                if isinstance(monitors, bytes)
                else json.dumps(monitors).encode()
            )
        if events is not None:
            self.events = (
                events if isinstance(events, bytes) else json.dumps(events).encode()
            )

    def url(self, path: str = "") -> str:
        """Return an address on the server."""
        assert self.server is not None
        return str(self.server.make_url(path))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append((request.path, request.headers.get("If-None-Match")))
        if request.path == "/page":
            return web.Response(text=self.html, content_type="text/html")
        if request.path == f"/api/getMonitorList/{TOKEN}":
            body = self.monitors
        elif request.path == f"/api/getEventFeed/{TOKEN}":
            body = self.events
        else:
            return web.Response(status=404)
        etag = f'"{hash(body) & 0xFFFFFF:x}"'
        if self.etags and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304)
        headers = {"ETag": etag} if self.etags else {}
        return web.Response(body=body, content_type="application/json", headers=headers)


@pytest.fixture
async def robot(aiohttp_server: ServerFactory, socket_enabled: None) -> Robot:
    instance = Robot()
    instance.set(_monitors(), _events())
    app = web.Application()
    app.router.add_get("/{tail:.*}", instance.handle)
    instance.server = await aiohttp_server(app)
    instance.html = load_fixture("uptimerobot/page.html").replace(
        "https://status.uptimerobot.com", instance.url("/").rstrip("/")
    )
    return instance


def _client(
    session: aiohttp.ClientSession, robot: Robot, clock: list[datetime], **kwargs: Any
) -> UptimeRobotClient:
    return UptimeRobotClient(
        session,
        robot.url(f"/api/getMonitorList/{TOKEN}"),
        page_url="https://status.example.com",
        clock=lambda: clock[0],
        **kwargs,
    )


async def test_client_polls_both_endpoints(robot: Robot) -> None:
    """A poll is two requests; unchanged answers give None until a window starts."""
    clock = [NOW]
    async with aiohttp.ClientSession() as session:
        client = _client(session, robot, clock)
        first = await client.async_get_snapshot()
        assert first is not None
        assert first.page == PAGE
        assert first.overall_status is ComponentStatus.MAJOR_OUTAGE
        assert [path for path, _ in robot.seen] == [
            f"/api/getMonitorList/{TOKEN}",
            f"/api/getEventFeed/{TOKEN}",
        ]

        assert await client.async_get_snapshot() is None
        assert all(etag is not None for _, etag in robot.seen[2:])

        # The maintenance's start passes: the same bodies now mean something else.
        clock[0] = datetime(2026, 11, 22, 2, 1, tzinfo=UTC)
        started = await client.async_get_snapshot()
        assert started is not None
        assert started.maintenance_in_progress

        monitors = _monitors()
        monitors["data"][2]["statusClass"] = "success"
        robot.set(monitors=monitors)
        changed = await client.async_get_snapshot()
        assert changed is not None
        assert changed.components["778224454"].status is ComponentStatus.OPERATIONAL


async def test_client_without_validators_compares_bodies(robot: Robot) -> None:
    """Without ETags an equal body is unchanged too."""
    robot.etags = False
    async with aiohttp.ClientSession() as session:
        client = _client(session, robot, [NOW])
        assert await client.async_get_snapshot() is not None
        assert await client.async_get_snapshot() is None
        robot.set(events=load_json_fixture("uptimerobot/event_feed_empty.json"))
        assert (snapshot := await client.async_get_snapshot()) is not None
        assert snapshot.incidents == ()


def test_client_defaults() -> None:
    """Token and page name come from the addresses when not given."""
    client = UptimeRobotClient(None, API_URL)  # type: ignore[arg-type]

    assert client.token == TOKEN
    assert client.page.name == "status.uptimerobot.com"
    assert client.page.url is None


@pytest.mark.parametrize(
    ("monitors", "events"),
    [
        pytest.param(b"<html><title>Cloudflare</title></html>", None, id="html"),
        pytest.param({"status": "fail", "error": "not found"}, None, id="other_shape"),
        pytest.param(None, {"status": True, "results": None}, id="null_results"),
    ],
)
async def test_client_bad_answers(robot: Robot, monitors: Any, events: Any) -> None:
    """A broken answer fails the poll and keeps nothing of it."""
    async with aiohttp.ClientSession() as session:
        client = _client(session, robot, [NOW])
        assert await client.async_get_snapshot() is not None
        good = robot.monitors, robot.events
        robot.set(monitors, events)
        with pytest.raises(CloudStatusParseError):
            await client.async_get_snapshot()
        robot.monitors, robot.events = good
        assert await client.async_get_snapshot() is None


async def test_client_body_over_the_cap(robot: Robot) -> None:
    """A body over the cap fails (the cap is lowered for the test)."""
    async with aiohttp.ClientSession() as session:
        client = _client(session, robot, [NOW], max_bytes=128)
        with pytest.raises(CloudStatusResponseTooLargeError):
            await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_client_304_to_a_first_request() -> None:
    """A 304 to a request without validators is broken, not unchanged."""

    async def not_modified(request: web.Request) -> web.StreamResponse:
        return web.Response(status=304)

    app = web.Application()
    app.router.add_get("/{tail:.*}", not_modified)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = UptimeRobotClient(
            session, server.make_url(f"/api/getMonitorList/{TOKEN}")
        )
        with pytest.raises(CloudStatusParseError):
            await client.async_get_snapshot()


# --- detection -----------------------------------------------------------------------------


async def _detect(robot: Robot) -> tuple[Any, Probe]:
    async with aiohttp.ClientSession() as session:
        url = URL(robot.url("/page"))
        probe = Probe(session, str(url), url)
        return await detect(probe), probe


async def test_detect(robot: Robot) -> None:
    """The page's HTML names the monitor list: one request, the shared HTML read."""
    detected, probe = await _detect(robot)

    assert detected is not None
    assert detected.key == TOKEN
    assert detected.title == "Example & Co Status"
    assert detected.url == robot.url("/page")
    assert detected.data == {
        "token": TOKEN,
        "api_url": robot.url(f"/api/getMonitorList/{TOKEN}"),
    }
    assert probe.requests == 1
    assert robot.seen == [("/page", None)]


async def test_detect_untitled_page(robot: Robot) -> None:
    """A page without a title is named by its host."""
    robot.html = f"<script>window.pspApiPath = '/api/getMonitorList/{TOKEN}';</script>"
    detected, _ = await _detect(robot)

    assert detected is not None
    assert detected.title == "127.0.0.1"


@pytest.mark.parametrize("html", ["<html><title>Other</title></html>", None])
async def test_detect_other_pages(robot: Robot, html: str | None) -> None:
    """A page without the pointer, or no page at all, is not this platform."""
    if html is None:
        detected, _ = await _detect_missing(robot)
    else:
        robot.html = html
        detected, _ = await _detect(robot)

    assert detected is None


async def _detect_missing(robot: Robot) -> tuple[Any, Probe]:
    async with aiohttp.ClientSession() as session:
        url = URL(robot.url("/missing"))
        probe = Probe(session, str(url), url)
        return await detect(probe), probe
