"""The Sorry\u2122 client: page, paged components, present notices, detection.

No recorded Sorry body exists (the vendor's own example at status.sorryapp.com/api has a
trailing comma, so it is not JSON). The fixtures under tests/fixtures/sorry/ are written
from the documented shapes: the public page API (status.sorryapp.com/api: `page` with
`state` and `links`, `components` with `parent_id` and `meta.next_page`) and the notice
object of docs.sorryapp.com/v1/notices (`type`, `state`, `timeline_state`, `subject`,
`synopsis`, `link`, `began_at`, `begins_at`, `ends_at`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import importlib.util
from pathlib import Path
import sys
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusResponseTooLargeError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.detection import Probe
from custom_components.cloud_status.api.sorry import (
    MAX_COMPONENT_PAGES,
    SorryClient,
    detect,
    map_state,
    parse_components,
    parse_notices,
    parse_page,
)
from tests.conftest import load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
DEMO_SCRIPT = SCRIPTS / "demo_status_server.py"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from demo_platforms import sorry as demo_sorry  # noqa: E402


def _fixture(name: str) -> Any:
    return load_json_fixture(f"sorry/{name}")


def _all_components() -> list[dict[str, Any]]:
    return [
        *_fixture("components_page1.json")["components"],
        *_fixture("components_page2.json")["components"],
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("operational", ComponentStatus.OPERATIONAL),
        ("degraded", ComponentStatus.PARTIAL_OUTAGE),
        ("partially-degraded", ComponentStatus.DEGRADED_PERFORMANCE),
        ("Partially_Degraded", ComponentStatus.DEGRADED_PERFORMANCE),
        ("under_maintenance", ComponentStatus.UNDER_MAINTENANCE),
        ("on_fire", ComponentStatus.UNKNOWN),
        (None, ComponentStatus.UNKNOWN),
        (3, ComponentStatus.UNKNOWN),
    ],
)
def test_state_mapping(raw: object, expected: ComponentStatus) -> None:
    """The documented states map as the README's table says; others are unknown."""
    assert map_state(raw) is expected


def test_parse_page() -> None:
    """The page's name, state (raw and mapped), own URL and update time."""
    page = parse_page(_fixture("page.json"))

    assert page.name == "Acme Status"
    assert page.state is ComponentStatus.PARTIAL_OUTAGE
    assert page.raw_state == "degraded"
    assert page.url == "https://status.acme.example"
    assert page.updated_at == datetime(2026, 5, 4, 10, 27, 51, 719000, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload",
    [[], {"page": None}, {"page": []}, {"other": {}}, {"page": {"name": "x"}}],
    ids=["list", "null_page", "page_list", "no_page", "no_state"],
)
def test_parse_page_refuses_other_shapes(payload: Any) -> None:
    """Another shape, a missing or null page, a page without state: a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_page(payload)


def test_parse_components_groups_by_parent() -> None:
    """A parent is a group; children are "Parent \u2013 Child"; int ids become str."""
    components = parse_components(_all_components())

    assert list(components) == ["1", "2", "3", "4"]
    platform, api, dashboard, help_center = components.values()
    assert platform.is_group
    assert platform.group_id is None
    assert platform.description == "Everything we host."
    assert api.display_name == "Platform \u2013 API"
    assert api.group_id == "1"
    assert api.status is ComponentStatus.PARTIAL_OUTAGE
    assert api.raw_status == "degraded"
    assert dashboard.status is ComponentStatus.DEGRADED_PERFORMANCE
    assert dashboard.description == "app.acme.example"
    assert help_center.display_name == "Help Center"
    assert not help_center.is_group


def test_parse_components_orders_duplicates_and_orphans() -> None:
    """Position orders; a repeated id keeps the first; an unknown parent names nothing."""
    components = parse_components(
        [
            {"id": "b", "name": " - Late ", "state": "operational", "position": 2},
            {"id": "a", "name": "Early", "state": 7, "position": 1, "parent_id": 99},
            {"id": "b", "name": "Again", "state": "degraded"},
            {"id": 5, "state": "operational", "position": True},
        ]
    )

    assert list(components) == ["a", "b", "5"]
    assert components["b"].name == "Late"
    assert components["a"].group_id == "99"
    assert components["a"].display_name == "Early"
    assert components["a"].raw_status is None
    assert components["a"].status is ComponentStatus.UNKNOWN
    assert components["5"].name == "5"


@pytest.mark.parametrize(
    "entry", [{"name": "x"}, {"id": None}, {"id": ""}, {"id": True}, {"id": 1.5}]
)
def test_parse_components_needs_ids(entry: dict[str, Any]) -> None:
    """A component without a usable id is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_components([entry])


def test_parse_notices() -> None:
    """Open unplanned notices are incidents; planned ones under way are maintenances."""
    components = parse_components(_all_components())

    incidents, maintenances = parse_notices(
        _fixture("notices_present.json"), "https://page", components
    )

    (incident,) = incidents
    assert incident.id == "198717"
    assert incident.name == "API errors"
    assert incident.status == "identified"
    assert incident.impact == "none"
    assert incident.url.endswith("8jctnh1ykjlxuv3r-api-errors")
    assert incident.started_at == datetime(2026, 5, 4, 10, 20, tzinfo=UTC)
    assert incident.latest_update == "Some API requests fail. We are on it."
    assert incident.update_count == 1
    (maintenance,) = maintenances
    assert maintenance.phase is MaintenancePhase.IN_PROGRESS
    assert maintenance.status == "underway"
    assert maintenance.starts_at == datetime(2026, 5, 4, 8, tzinfo=UTC)
    assert maintenance.ends_at == datetime(2026, 5, 4, 12, tzinfo=UTC)


def test_parse_notices_variants() -> None:
    """Latest update, components, states without a phase, closed and other kinds."""
    components = parse_components(_all_components())
    notices = {
        "notices": [
            {
                "id": "n1",
                "type": "unplanned",
                "state": "investigating",
                "latest_update": {"id": 7, "content": "Looking."},
                "components": [2, {"id": "4"}, {"id": "x", "name": "Gone"}, {}, None],
            },
            {"id": "n2", "type": "planned", "state": "scheduled", "began_at": None},
            {"id": "n3", "type": "planned", "state": "complete"},
            {"id": "n4", "type": "planned", "began_at": "2026-05-04T08:00:00Z"},
            {"id": "n5", "type": "unplanned", "state": "false_alarm"},
            {"id": "n6", "type": "general", "state": "open"},
            {"id": "n7", "state": "identified"},
        ]
    }

    incidents, maintenances = parse_notices(notices, None, components)

    (incident,) = incidents
    assert incident.latest_update == "Looking."
    assert incident.latest_update_id == "7"
    assert incident.components == ("Platform \u2013 API", "Help Center", "Gone")
    assert incident.name == "n1"
    assert incident.url is None
    assert [(m.id, m.phase) for m in maintenances] == [
        ("n2", MaintenancePhase.SCHEDULED),
        ("n4", MaintenancePhase.IN_PROGRESS),
    ]
    assert maintenances[1].status == "unknown"
    assert maintenances[1].starts_at == datetime(2026, 5, 4, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload",
    [[], {"notices": None}, {}, {"notices": [None]}, {"notices": [{"type": "x"}]}],
    ids=["list", "null", "missing", "null_notice", "no_id"],
)
def test_parse_notices_refuses_other_shapes(payload: Any) -> None:
    """No notice list, or a notice that is not an object with an id: parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_notices(payload, None, {})


# --- the client against a fake page ------------------------------------------------------


@dataclass
class FakeSorry:
    """A Sorry page: the page body, component pages by number, present notices."""

    page: Any = field(default_factory=lambda: _fixture("page.json"))
    component_pages: dict[int, Any] = field(
        default_factory=lambda: {
            1: _fixture("components_page1.json"),
            2: _fixture("components_page2.json"),
        }
    )
    notices: Any = field(default_factory=lambda: _fixture("notices_present.json"))
    etag: bool = False
    seen: list[str] = field(default_factory=list)
    conditional: list[str] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def base(self) -> str:
        """The page's base URL."""
        assert self.server is not None
        return str(self.server.make_url("/status"))

    def _answer(self, request: web.Request, body: Any) -> web.StreamResponse:
        text = body if isinstance(body, str) else None
        response = (
            web.Response(text=text, content_type="text/html")
            if text is not None
            else web.json_response(body)
        )
        if self.etag:
            tag = f'"{hash(response.body)}"'
            if request.headers.get("If-None-Match") == tag:
                self.conditional.append(request.path_qs)
                return web.Response(status=304, headers={"ETag": tag})
            response.headers["ETag"] = tag
        return response

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append(request.path_qs)
        endpoint = request.match_info["endpoint"]
        if endpoint == "":
            return self._answer(request, self.page)
        if endpoint == "components":
            number = int(request.query.get("page", "1"))
            if number not in self.component_pages:
                return self._answer(request, {"components": [], "meta": {}})
            return self._answer(request, self.component_pages[number])
        assert request.query["timeline_state"] == "present"
        return self._answer(request, self.notices)


@pytest.fixture
async def fake(aiohttp_server: ServerFactory) -> FakeSorry:
    """Serve a fake Sorry page under /status."""
    page = FakeSorry()
    app = web.Application()
    app.router.add_get("/status/api/v1/{endpoint:.*}", page.handle)
    page.server = await aiohttp_server(app)
    return page


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.mark.usefixtures("socket_enabled")
async def test_poll_reads_page_every_component_page_and_notices(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """Four requests: the page, two component pages (next_page null ends), notices."""
    snapshot = await SorryClient(session, fake.base + "/").async_get_snapshot()

    assert fake.seen == [
        "/status/api/v1/",
        "/status/api/v1/components?page=1",
        "/status/api/v1/components?page=2",
        "/status/api/v1/notices?timeline_state=present",
    ]
    assert snapshot is not None
    assert snapshot.page.id == f"{URL(fake.base).host}:{URL(fake.base).port}/status"
    assert snapshot.page.name == "Acme Status"
    assert snapshot.page.url == "https://status.acme.example"
    assert len(snapshot.components) == 4
    assert snapshot.reported_status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.indicator == "degraded"
    assert snapshot.overall_status is ComponentStatus.PARTIAL_OUTAGE
    assert len(snapshot.incidents) == 1
    assert snapshot.maintenance_in_progress


@pytest.mark.usefixtures("socket_enabled")
async def test_unchanged_answers_are_none_and_conditional(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """With ETags every request is conditional; all 304 or equal bodies give None."""
    fake.etag = True
    client = SorryClient(session, fake.base)
    assert await client.async_get_snapshot() is not None

    assert await client.async_get_snapshot() is None
    assert len(fake.conditional) == 4

    fake.etag = False
    assert await client.async_get_snapshot() is None

    fake.notices = {"notices": [], "meta": {"next_page": None}}
    changed = await client.async_get_snapshot()
    assert changed is not None
    assert changed.incidents == ()
    assert not changed.maintenance_in_progress


@pytest.mark.usefixtures("socket_enabled")
async def test_a_failed_parse_keeps_nothing(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """A poll that fails to parse is not remembered: the same answers fail again."""
    client = SorryClient(session, fake.base)
    fake.page = {"page": None}

    for _ in range(2):
        with pytest.raises(CloudStatusParseError):
            await client.async_get_snapshot()

    fake.page = _fixture("page.json")
    assert await client.async_get_snapshot() is not None


@pytest.mark.usefixtures("socket_enabled")
async def test_unsolicited_304_is_a_parse_error(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A 304 to a request that asked for none has no body to reuse."""

    async def not_modified(_: web.Request) -> web.Response:
        return web.Response(status=304)

    app = web.Application()
    app.router.add_get("/{tail:.*}", not_modified)
    server = await aiohttp_server(app)

    with pytest.raises(CloudStatusParseError):
        await SorryClient(session, str(server.make_url("/"))).async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("pages", "requests"),
    [
        # Short second page: it ends the list without asking meta.
        (
            {1: {"components": [{"id": 1}, {"id": 2}]}, 2: {"components": [{"id": 3}]}},
            2,
        ),
        # Repeated page (a server ignoring `page`): nothing new ends it.
        ({n: {"components": [{"id": 1}]} for n in range(1, 5)}, 2),
        # Empty page.
        ({1: {"components": [{"id": 1}]}, 2: {"components": []}}, 2),
        # next_page null on a full first page.
        ({1: {"components": [{"id": 1}], "meta": {"next_page": None}}}, 1),
    ],
    ids=["short", "repeated", "empty", "next_page_null"],
)
async def test_paging_stops(
    fake: FakeSorry,
    session: aiohttp.ClientSession,
    pages: dict[int, Any],
    requests: int,
) -> None:
    """Paging ends on a short, repeated or empty page, or when meta says so."""
    fake.component_pages = pages

    await SorryClient(session, fake.base).async_get_snapshot()

    assert len([path for path in fake.seen if "components" in path]) == requests


@pytest.mark.usefixtures("socket_enabled")
async def test_paging_is_bounded(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """A list that never ends is a parse error after MAX_COMPONENT_PAGES pages."""
    fake.component_pages = {
        n: {"components": [{"id": n}]} for n in range(1, MAX_COMPONENT_PAGES + 5)
    }

    with pytest.raises(CloudStatusParseError, match="did not end"):
        await SorryClient(session, fake.base).async_get_snapshot()

    assert len(fake.seen) == 1 + MAX_COMPONENT_PAGES


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    "components",
    [
        "<html><body>Sorry</body></html>",
        {"meta": {}},
        {"components": None},
        {"components": [None]},
        [],
    ],
    ids=["html", "missing_list", "null_list", "null_component", "other_shape"],
)
async def test_bad_component_answers_fail_the_poll(
    fake: FakeSorry, session: aiohttp.ClientSession, components: Any
) -> None:
    """HTML, a missing or null list, a null entry or another shape: a parse error."""
    fake.component_pages = {1: components}

    with pytest.raises(CloudStatusParseError):
        await SorryClient(session, fake.base).async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_empty_page_and_unknown_states(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """No components and an unknown page state: a snapshot whose status is unknown."""
    fake.page = copy.deepcopy(fake.page)
    fake.page["page"]["state"] = "on_fire"
    del fake.page["page"]["url"]
    del fake.page["page"]["name"]
    fake.component_pages = {1: {"components": [], "meta": {"next_page": None}}}
    fake.notices = {"notices": []}

    snapshot = await SorryClient(session, fake.base).async_get_snapshot()

    assert snapshot is not None
    assert snapshot.components == {}
    assert snapshot.reported_status is ComponentStatus.UNKNOWN
    assert snapshot.indicator == "on_fire"
    assert snapshot.overall_status is ComponentStatus.UNKNOWN
    assert snapshot.page.url == fake.base
    assert snapshot.page.name == "127.0.0.1"


@pytest.mark.usefixtures("socket_enabled")
async def test_size_cap_and_not_found(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """A body over the cap is refused; a 404 is the page gone."""
    with pytest.raises(CloudStatusResponseTooLargeError):
        await SorryClient(session, fake.base, max_bytes=100).async_get_snapshot()
    with pytest.raises(CloudStatusNotFoundError):
        await SorryClient(session, fake.base + "/x").async_get_snapshot()


# --- detection ---------------------------------------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_a_sorry_page(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """`/api/v1/` with a page that has state and links: one request, key host:port/path."""
    base = URL(fake.base)
    probe = Probe(session, fake.base, base)

    detected = await detect(probe)

    assert detected is not None
    assert detected.key == f"127.0.0.1:{base.port}/status"
    assert detected.title == "Acme Status"
    assert detected.url == fake.base
    assert detected.data == {}
    assert fake.seen == ["/status/api/v1/"]


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    "page",
    [
        "<html>home</html>",
        [],
        {"page": "x"},
        {"page": {"state": "operational"}},
        {"page": {"state": 1, "links": {}}},
        {"status": "operational", "indicators": {}},
    ],
    ids=["html", "list", "page_text", "no_links", "state_not_text", "cloudsigma"],
)
async def test_detect_refuses_other_answers(
    fake: FakeSorry, session: aiohttp.ClientSession, page: Any
) -> None:
    """Anything but a page object with a state and links is not Sorry."""
    fake.page = page

    assert await detect(Probe(session, fake.base, URL(fake.base))) is None


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_without_name_uses_the_host(
    fake: FakeSorry, session: aiohttp.ClientSession
) -> None:
    """A page without a name is titled by its host."""
    fake.page = {"page": {"state": "operational", "links": {}}}

    detected = await detect(Probe(session, fake.base, URL(fake.base)))

    assert detected is not None
    assert detected.title == "127.0.0.1"


# --- the demo server's Sorry page -----------------------------------------------------


def _demo_app(elapsed: float) -> web.Application:
    """Return the demo server's app, its clock `elapsed` seconds into the story."""
    spec = importlib.util.spec_from_file_location("demo_status_server", DEMO_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    ticks = iter((0.0,))
    app: web.Application = module.create_app(
        clock=lambda: next(ticks, elapsed), started_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    return app


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("elapsed", "incidents", "maintenance"),
    [(100.0, 0, False), (300.0, 1, False), (480.0, 0, True)],
    ids=["operational", "incident", "maintenance"],
)
async def test_demo_page_is_detected_and_polled(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    elapsed: float,
    incidents: int,
    maintenance: bool,
) -> None:
    """The demo's /sorry page is detected and polled into the story's snapshot."""
    server = await aiohttp_server(_demo_app(elapsed))
    base = server.make_url("/sorry")

    assert await detect(Probe(session, str(base), base)) is not None
    snapshot = await SorryClient(session, base).async_get_snapshot()

    assert snapshot is not None
    assert snapshot.page.name == "Sorry\u2122 demo"
    names = {c.display_name for c in snapshot.components.values()}
    assert {"API", "Website", "Regions", "Regions \u2013 EU West"} <= names
    assert len(snapshot.incidents) == incidents
    assert snapshot.maintenance_in_progress is maintenance
    assert all(
        c.status is not ComponentStatus.UNKNOWN for c in snapshot.components.values()
    )


def test_demo_pages_scale() -> None:
    """A 539-component page is served 25 a page, in linear time."""
    components = [
        {"id": f"c{n}", "name": f"C{n}", "status": "operational", "group_id": None}
        for n in range(539)
    ]
    summary = {"page": {"name": "Big", "id": "big"}, "components": components}

    last = demo_sorry.respond("api/v1/components", {"page": "22"}, summary)
    beyond = demo_sorry.respond("api/v1/components", {"page": "x"}, summary)

    assert last is not None
    assert len(last[1]["components"]) == 539 - 21 * 25
    assert last[1]["meta"]["next_page"] is None
    assert beyond is not None
    assert beyond[1]["components"][0]["id"] == 1
    assert demo_sorry.respond("elsewhere", {}, summary) is None
