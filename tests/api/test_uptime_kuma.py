"""The Uptime Kuma client: page addresses, parsing, conditional polls and detection.

The fixtures under tests/fixtures/uptime_kuma/ are written for these tests after the
shape of the recorded open-slum.org answers (../shared/payloads/uptime_kuma/); no
recorded `maintenanceList` entry exists, so the maintenance follows the fields of
Uptime Kuma's `Maintenance.toPublicJSON` (timeslotList, status "under-maintenance").
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
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.uptime_kuma import (
    KumaPage,
    UptimeKumaClient,
    api_page_of,
    detect,
    page_of,
    parse_heartbeats,
    parse_status_page,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

SHARED_KUMA = SHARED_PAYLOADS / "uptime_kuma"
SHARED_PAGE = "slum_status-page_2026-06-22_5_groups_19_monitors_pinned_incident_no_maintenance.json"
SHARED_BEATS = "slum_status-page-heartbeat_2026-06-22_19_monitors_10_up_9_down.json"
PAGE = KumaPage(URL("https://kuma.example.com"), "example")


def _page() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptime_kuma/status_page.json")
    return payload


def _beats() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptime_kuma/heartbeat.json")
    return payload


# --- addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base", "slug", "key"),
    [
        ("https://open-slum.org/status/slum", "https://open-slum.org/", "slum", None),
        ("https://h.example/kuma/status/main", "https://h.example/kuma", "main", None),
        ("http://10.0.0.2:3001/status/home", "http://10.0.0.2:3001/", "home", None),
    ],
)
def test_page_of(url: str, base: str, slug: str, key: str | None) -> None:
    """The base is what comes before /status/, the slug what follows it."""
    page = page_of(URL(url))

    assert page is not None
    assert str(page.base_url) == base
    assert page.slug == slug
    assert page.page_url == url


def test_page_keys() -> None:
    """The key names host, port and path prefix (SPEC's unique id)."""
    assert page_of(URL("https://open-slum.org/status/slum")).key == "open-slum.org/slum"  # type: ignore[union-attr]
    assert (
        page_of(URL("http://10.0.0.2:3001/kuma/status/home")).key  # type: ignore[union-attr]
        == "10.0.0.2:3001/kuma/home"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://kuma.example.com/",
        "https://kuma.example.com/dashboard",
        "https://kuma.example.com/status/",
        "https://kuma.example.com/status/a/b",
    ],
)
def test_page_of_other_paths(url: str) -> None:
    """Without `/status/{slug}` at the end there is no page to read."""
    assert page_of(URL(url)) is None


# --- parsing -----------------------------------------------------------------------------


def test_parse_status_page() -> None:
    """Monitors get their newest beat's status and their group's name."""
    snapshot = parse_status_page(_page(), parse_heartbeats(_beats()), PAGE)

    assert snapshot.page.id == "kuma.example.com/example"
    assert snapshot.page.name == "Example Services"
    assert snapshot.page.url == "https://kuma.example.com/status/example"
    assert {
        component.id: (component.display_name, component.status, component.raw_status)
        for component in snapshot.components.values()
    } == {
        "11": ("Websites \u2013 Homepage", ComponentStatus.OPERATIONAL, "1"),
        "12": ("Websites \u2013 Shop", ComponentStatus.DEGRADED_PERFORMANCE, "2"),
        "21": ("Backend \u2013 API", ComponentStatus.MAJOR_OUTAGE, "0"),
        "22": ("Backend \u2013 Database", ComponentStatus.UNDER_MAINTENANCE, "3"),
    }
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert not any(component.is_group for component in snapshot.components.values())


def test_parse_pinned_incident_and_maintenance() -> None:
    """The pinned incident is an open incident; listed maintenances are in progress."""
    snapshot = parse_status_page(_page(), {}, PAGE)

    (incident,) = snapshot.incidents
    assert incident.id == "7"
    assert incident.name == "Database failover"
    assert incident.status == "pinned"
    assert incident.impact == "major"
    assert incident.started_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert incident.updated_at == datetime(2026, 11, 20, 10, 15, tzinfo=UTC)
    assert (
        incident.latest_update == "The primary database failed over; writes are slow."
    )
    assert incident.latest_update_id == "7@2026-11-20 10:15:00"
    assert incident.url == "https://kuma.example.com/status/example"
    (maintenance,) = snapshot.maintenances
    assert maintenance.id == "3"
    assert maintenance.phase is MaintenancePhase.IN_PROGRESS
    assert maintenance.starts_at == datetime(2026, 11, 20, 8, tzinfo=UTC)
    assert maintenance.ends_at == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert maintenance.latest_update == "Disks are replaced one by one."


def test_parse_edited_incident_and_odd_maintenances() -> None:
    """An unedited incident keys on its creation; maintenance statuses map to phases."""
    payload = _page()
    payload["incident"] = {
        "id": 8,
        "title": "Notice",
        "style": "info",
        "createdDate": None,
    }
    payload["maintenanceList"] = [
        {"id": 1, "title": "Later", "status": "scheduled", "timeslotList": []},
        {"id": "2", "status": "ended"},
        {"id": 3, "status": "something-new", "timeslotList": ["odd"]},
    ]
    snapshot = parse_status_page(payload, {}, PAGE)

    (incident,) = snapshot.incidents
    assert incident.impact == "none"
    assert incident.latest_update_id == "8"
    assert incident.created_at is None
    assert [(m.id, m.phase, m.starts_at) for m in snapshot.maintenances] == [
        ("1", MaintenancePhase.SCHEDULED, None),
        ("2", MaintenancePhase.COMPLETED, None),
        ("3", MaintenancePhase.IN_PROGRESS, None),
    ]
    warning = _page()
    warning["incident"]["style"] = "warning"
    warning["incident"]["lastUpdatedDate"] = None
    (incident,) = parse_status_page(warning, {}, PAGE).incidents
    assert incident.impact == "minor"
    assert incident.updated_at == incident.created_at
    assert incident.latest_update_id == "7@2026-11-20 09:30:00"


@pytest.mark.parametrize(
    ("beats", "raw_status"),
    [
        ([{"status": 7}], "7"),
        ([{"status": "up"}], "up"),
        ([{"status": True}], "True"),
        ([{"time": "2026-11-20 10:19:00.000"}], None),
        (["odd"], None),
        ([], None),
    ],
)
def test_unknown_heartbeat_status(beats: list[Any], raw_status: str | None) -> None:
    """A status no table maps, or no beat at all, is unknown with the raw value."""
    latest = parse_heartbeats({"heartbeatList": {"11": beats}})
    snapshot = parse_status_page(_page(), latest, PAGE)

    homepage = snapshot.components["11"]
    assert homepage.status is ComponentStatus.UNKNOWN
    assert homepage.raw_status == raw_status
    assert snapshot.components["21"].status is ComponentStatus.UNKNOWN


def test_newest_beat_is_the_last() -> None:
    """The last element of a monitor's beats is its current status."""
    latest = parse_heartbeats(_beats())

    assert latest == {"11": 1, "12": 2, "21": 0, "22": 3}


def test_empty_page() -> None:
    """A page without groups is a page without components, not an error."""
    payload = _page()
    payload["publicGroupList"] = []
    payload["incident"] = None
    del payload["maintenanceList"]
    snapshot = parse_status_page(payload, {}, PAGE)

    assert snapshot.components == {}
    assert snapshot.incidents == snapshot.maintenances == ()
    assert snapshot.overall_status is ComponentStatus.UNKNOWN


def test_title_falls_back_to_the_slug() -> None:
    """A page without a title is named by its slug."""
    payload = _page()
    payload["config"] = {}
    assert parse_status_page(payload, {}, PAGE).page.name == "example"


def _without(key: str) -> dict[str, Any]:
    payload = _page()
    del payload[key]
    return payload


def _with(key: str, value: Any) -> dict[str, Any]:
    payload = _page()
    payload[key] = value
    return payload


def _group_with(key: str, value: Any) -> dict[str, Any]:
    payload = _page()
    payload["publicGroupList"][0][key] = value
    return payload


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param([], id="a_list"),
        pytest.param(_without("publicGroupList"), id="no_group_list"),
        pytest.param(_with("publicGroupList", None), id="null_group_list"),
        pytest.param(_with("publicGroupList", {}), id="group_list_object"),
        pytest.param(_without("config"), id="no_config"),
        pytest.param(_with("config", None), id="null_config"),
        pytest.param(_with("publicGroupList", [None]), id="null_group"),
        pytest.param(_group_with("monitorList", None), id="null_monitor_list"),
        pytest.param(_group_with("monitorList", [None]), id="null_monitor"),
        pytest.param(_group_with("monitorList", [{"name": "x"}]), id="no_monitor_id"),
        pytest.param(_group_with("monitorList", [{"id": 1.5}]), id="float_id"),
        pytest.param(_group_with("monitorList", [{"id": 1}]), id="no_name"),
        pytest.param(_with("incident", "pinned"), id="incident_not_object"),
        pytest.param(_with("incident", {"title": "x"}), id="incident_without_id"),
        pytest.param(_with("maintenanceList", [None]), id="null_maintenance"),
    ],
)
def test_status_page_of_another_shape(payload: Any) -> None:
    """A missing list, null where an object belongs or another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_status_page(payload, {}, PAGE)


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {},
        {"heartbeatList": None},
        {"heartbeatList": []},
        {"heartbeatList": {"11": None}},
        {"heartbeatList": {"11": {"status": 1}}},
    ],
)
def test_heartbeats_of_another_shape(payload: Any) -> None:
    """Beats that are not `{heartbeatList: {id: [beats]}}` are a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_heartbeats(payload)


# --- the recorded open-slum.org answers ----------------------------------------------------


def _shared(name: str) -> Any:
    path = SHARED_KUMA / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("page_file", "beats_file"), [(SHARED_PAGE, SHARED_BEATS)])
def test_shared_payloads(page_file: str, beats_file: str) -> None:
    """The recorded page: 5 groups, 19 monitors (10 up, 9 down), a pinned incident."""
    page = KumaPage(URL("https://open-slum.org"), "slum")
    snapshot = parse_status_page(
        _shared(page_file), parse_heartbeats(_shared(beats_file)), page
    )

    assert snapshot.page.id == "open-slum.org/slum"
    assert snapshot.page.name == "SLUM: The Shadow Library Uptime Monitor"
    assert len(snapshot.components) == 19
    statuses = [component.status for component in snapshot.components.values()]
    assert statuses.count(ComponentStatus.OPERATIONAL) == 10
    assert statuses.count(ComponentStatus.MAJOR_OUTAGE) == 9
    # Group names end in a newline in the recording.
    assert (
        snapshot.components["52"].display_name
        == "Anna's Archive \u2013 Anna's Archive GL"
    )
    (incident,) = snapshot.incidents
    assert incident.name == "Unstable due to high traffic"
    assert incident.impact == "minor"
    assert incident.started_at == datetime(2026, 1, 5, 14, 45, 42, tzinfo=UTC)
    assert snapshot.maintenances == ()


# --- the client ----------------------------------------------------------------------------


@dataclass
class Kuma:
    """A scripted Uptime Kuma instance: bodies, ETags and what it was asked."""

    page: bytes = b""
    beats: bytes = b""
    etags: bool = True
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    server: TestServer | None = None

    def set(self, page: Any = None, beats: Any = None) -> None:
        """Change what the server answers."""
        if page is not None:
            self.page = page if isinstance(page, bytes) else json.dumps(page).encode()
        if beats is not None:
            self.beats = (
                beats if isinstance(beats, bytes) else json.dumps(beats).encode()
            )

    def url(self, path: str = "") -> str:
        """Return an address on the server."""
        assert self.server is not None
        return str(self.server.make_url(path))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append((request.path, request.headers.get("If-None-Match")))
        if request.path == "/api/status-page/example":
            body = self.page
        elif request.path == "/api/status-page/heartbeat/example":
            body = self.beats
        else:
            return web.Response(status=404)
        etag = f'W/"{hash(body) & 0xFFFFFF:x}"'
        if self.etags and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304)
        headers = {"ETag": etag} if self.etags else {}
        return web.Response(body=body, content_type="application/json", headers=headers)


@pytest.fixture
async def kuma(aiohttp_server: ServerFactory, socket_enabled: None) -> Kuma:
    instance = Kuma()
    instance.set(_page(), _beats())
    app = web.Application()
    app.router.add_get("/{tail:.*}", instance.handle)
    instance.server = await aiohttp_server(app)
    return instance


async def test_client_polls_both_endpoints(kuma: Kuma) -> None:
    """A poll is two requests; unchanged answers (304) give None."""
    async with aiohttp.ClientSession() as session:
        client = UptimeKumaClient(session, kuma.url("/"), "example")
        first = await client.async_get_snapshot()
        assert first is not None
        assert first.components["21"].status is ComponentStatus.MAJOR_OUTAGE
        assert [path for path, _ in kuma.seen] == [
            "/api/status-page/example",
            "/api/status-page/heartbeat/example",
        ]
        assert all(etag is None for _, etag in kuma.seen)

        assert await client.async_get_snapshot() is None
        assert all(etag is not None for _, etag in kuma.seen[2:])

        beats = _beats()
        beats["heartbeatList"]["21"].append(
            {"status": 1, "time": "2026-11-20 10:20:10"}
        )
        kuma.set(beats=beats)
        changed = await client.async_get_snapshot()
        assert changed is not None
        assert changed.components["21"].status is ComponentStatus.OPERATIONAL
        assert len(kuma.seen) == 6


async def test_client_without_validators_compares_bodies(kuma: Kuma) -> None:
    """Without ETags an equal body is unchanged too."""
    kuma.etags = False
    async with aiohttp.ClientSession() as session:
        client = UptimeKumaClient(session, kuma.url("/"), "example")
        assert await client.async_get_snapshot() is not None
        assert await client.async_get_snapshot() is None
        kuma.set(page=load_json_fixture("uptime_kuma/status_page_operational.json"))
        assert await client.async_get_snapshot() is not None


@pytest.mark.parametrize(
    ("page", "beats"),
    [
        pytest.param(b"<html><title>Uptime Kuma</title></html>", None, id="html_page"),
        pytest.param(None, b"<!DOCTYPE html><html></html>", id="html_beats"),
        pytest.param({"data": []}, None, id="other_shape"),
    ],
)
async def test_client_bad_answers(kuma: Kuma, page: Any, beats: Any) -> None:
    """A broken answer fails the poll; the next good one is read afresh."""
    async with aiohttp.ClientSession() as session:
        client = UptimeKumaClient(session, kuma.url("/"), "example")
        assert await client.async_get_snapshot() is not None
        good_page, good_beats = kuma.page, kuma.beats
        kuma.set(page, beats)
        with pytest.raises(CloudStatusParseError):
            await client.async_get_snapshot()
        kuma.page, kuma.beats = good_page, good_beats
        # The good bodies were kept from the first poll: unchanged.
        assert await client.async_get_snapshot() is None


async def test_client_body_over_the_cap(kuma: Kuma) -> None:
    """A body over the cap is a parse error (the cap is lowered for the test)."""
    async with aiohttp.ClientSession() as session:
        client = UptimeKumaClient(session, kuma.url("/"), "example", max_bytes=256)
        with pytest.raises(CloudStatusResponseTooLargeError):
            await client.async_get_snapshot()


async def test_client_304_to_a_first_request(kuma: Kuma) -> None:
    """A 304 to a request without validators is broken, not unchanged."""

    async def not_modified(request: web.Request) -> web.StreamResponse:
        return web.Response(status=304)

    app = web.Application()
    app.router.add_get("/{tail:.*}", not_modified)
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        client = UptimeKumaClient(session, server.make_url("/"), "example")
        with pytest.raises(CloudStatusParseError):
            await client.async_get_snapshot()


# --- detection -----------------------------------------------------------------------------


async def _detect(kuma: Kuma, path: str) -> tuple[Any, Probe]:
    async with aiohttp.ClientSession() as session:
        url = URL(kuma.url(path))
        probe = Probe(session, str(url), url)
        return await detect(probe), probe


async def test_detect(kuma: Kuma) -> None:
    """`{base}/status/{slug}` is found by one request of its status page."""
    detected, probe = await _detect(kuma, "/status/example")

    port = URL(kuma.url("/")).port
    assert detected is not None
    assert detected.key == f"127.0.0.1:{port}/example"
    assert detected.title == "Example Services"
    assert detected.url == kuma.url("/").rstrip("/")
    assert detected.data == {"slug": "example"}
    assert probe.requests == 1
    assert kuma.seen == [("/api/status-page/example", None)]


async def test_detect_from_the_api_address(kuma: Kuma) -> None:
    """The page's API address, pasted, is the same page (one request)."""
    async with aiohttp.ClientSession() as session:
        raw = kuma.url("/api/status-page/example")
        probe = Probe(session, raw, detection_base_url(raw))
        detected = await detect(probe)

    assert detected is not None
    assert detected.data == {"slug": "example"}
    assert probe.requests == 1


async def test_detect_without_a_status_path(kuma: Kuma) -> None:
    """An address without `/status/` sends nothing."""
    detected, probe = await _detect(kuma, "/dashboard")

    assert detected is None
    assert probe.requests == 0
    assert kuma.seen == []


@pytest.mark.parametrize(
    "page",
    [
        b"<html><body>Not Kuma</body></html>",
        {"config": None, "publicGroupList": []},
        {"config": {"title": "x"}},
        [],
    ],
)
async def test_detect_other_answers(kuma: Kuma, page: Any) -> None:
    """HTML or JSON of another shape is not this platform."""
    kuma.set(page=page)
    detected, _ = await _detect(kuma, "/status/example")

    assert detected is None


async def test_detect_untitled_page(kuma: Kuma) -> None:
    """A page without a title is named by its slug."""
    kuma.set(page={"config": {}, "publicGroupList": []})
    detected, _ = await _detect(kuma, "/status/example")

    assert detected is not None
    assert detected.title == "example"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://open-slum.org/api/status-page/slum",
            ("https://open-slum.org/", "slum"),
        ),
        (
            "http://10.0.0.2:3001/kuma/api/status-page/heartbeat/home",
            ("http://10.0.0.2:3001/kuma", "home"),
        ),
        ("open-slum.org/api/status-page/slum/", ("https://open-slum.org/", "slum")),
        ("https://open-slum.org/status/slum", None),
        ("https://open-slum.org/api/status-page/", None),
        ("ftp://open-slum.org/api/status-page/slum", None),
    ],
)
def test_api_page_of(raw: str, expected: tuple[str, str] | None) -> None:
    """The status page's own API address, pasted, names the instance and the slug."""
    page = api_page_of(raw)
    if expected is None:
        assert page is None
    else:
        assert page is not None
        assert (str(page.base_url), page.slug) == expected
