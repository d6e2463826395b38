"""The Status.io client: the public status API, its codes and containers, detection.

tests/fixtures/statusio/status.json is written from the documented shape
(kb.status.io/developers/public-status-api) and the recorded bodies' fields; the real
bodies in ../shared/payloads/statusio/ (Docker, GitLab) are read by a parametrized test
that skips when they are absent. page.html is written by hand: the page id appears in
an api.status.io address and in the `statuspageId` script variable a peer
(TheLion/statuspage-HA) reads; no recorded Status.io page HTML exists.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import importlib.util
import json
from pathlib import Path
import sys
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
from custom_components.cloud_status.api.detection import Probe
from custom_components.cloud_status.api.statusio import (
    StatusioClient,
    api_url,
    claimed_page_id,
    claims,
    detect,
    find_mirror,
    find_page_id,
    map_code,
    parse_status,
)
from tests.conftest import SHARED_PAYLOADS, load_fixture, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

PAGE_ID = "6650a1b2c3d4e5f601234500"
WEBSITE = "6650a1b2c3d4e5f601234501"
EU_WEST = "6650a1b2c3d4e5f601234601"
SHARED_STATUSIO = SHARED_PAYLOADS / "statusio"
DEMO_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"


def _status() -> Any:
    return load_json_fixture("statusio/status.json")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (100, ComponentStatus.OPERATIONAL),
        (200, ComponentStatus.UNDER_MAINTENANCE),
        (300, ComponentStatus.DEGRADED_PERFORMANCE),
        (400, ComponentStatus.PARTIAL_OUTAGE),
        (500, ComponentStatus.MAJOR_OUTAGE),
        (600, ComponentStatus.MAJOR_OUTAGE),
        ("400", ComponentStatus.PARTIAL_OUTAGE),
        (700, ComponentStatus.UNKNOWN),
        ("9" * 5000, ComponentStatus.UNKNOWN),
        ("\u0663", ComponentStatus.UNKNOWN),
        (True, ComponentStatus.UNKNOWN),
        (None, ComponentStatus.UNKNOWN),
    ],
)
def test_code_mapping(raw: object, expected: ComponentStatus) -> None:
    """Codes map as the README's table says (200 is maintenance); others are unknown."""
    assert map_code(raw) is expected


def test_parse_status() -> None:
    """Components with containers are groups; containers are "Component \u2013 X"."""
    snapshot = parse_status(_status(), PAGE_ID, "https://status.acme.example", "Acme")

    assert snapshot.page.id == PAGE_ID
    assert snapshot.page.name == "Acme"
    assert snapshot.page.url == "https://status.acme.example"
    assert snapshot.page.updated_at == datetime(
        2026, 5, 4, 10, 27, 51, 719000, tzinfo=UTC
    )
    assert snapshot.indicator == "300"
    assert snapshot.description == "Degraded Performance"
    assert snapshot.reported_status is ComponentStatus.DEGRADED_PERFORMANCE
    names = {c.id: c.display_name for c in snapshot.components.values()}
    assert names == {
        WEBSITE: "Website",
        f"{WEBSITE}-{EU_WEST}": "Website \u2013 EU West",
        f"{WEBSITE}-6650a1b2c3d4e5f601234602": "Website \u2013 US East",
        "6650a1b2c3d4e5f601234502": "API",
        f"6650a1b2c3d4e5f601234502-{EU_WEST}": "API \u2013 EU West",
        "6650a1b2c3d4e5f601234503": "Billing",
    }
    website = snapshot.components[WEBSITE]
    assert website.is_group
    assert website.raw_status == "300"
    assert not snapshot.components["6650a1b2c3d4e5f601234503"].is_group
    member = snapshot.components[f"{WEBSITE}-{EU_WEST}"]
    assert member.group_id == WEBSITE
    assert member.status is ComponentStatus.DEGRADED_PERFORMANCE
    (incident,) = snapshot.incidents
    assert incident.status == "identified"
    assert incident.impact == "degraded_performance"
    assert incident.latest_update == "A cache node is overloaded; we are replacing it."
    assert incident.update_count == 2
    assert incident.components == ("Website",)
    assert incident.url == "https://status.acme.example"
    (maintenance,) = snapshot.maintenances
    assert maintenance.phase is MaintenancePhase.SCHEDULED
    assert maintenance.components == ("Billing",)
    assert maintenance.starts_at == datetime(2026, 5, 10, 22, tzinfo=UTC)
    assert snapshot.upcoming_maintenances == (maintenance,)


def test_parse_status_variants() -> None:
    """Resolved incidents drop; odd messages, missing lists and duplicates are read."""
    payload = _status()
    result = payload["result"]
    result["status"].append(copy.deepcopy(result["status"][0]))
    result["status"].append({"id": 5, "status_code": 900})
    result["incidents"] = [
        {"_id": "i1", "messages": [{"state": 400, "datetime": "2026-05-04T11:00Z"}]},
        {"_id": "i2", "messages": [{"state": 250, "status": 1}, None]},
        {"_id": "i3", "components_affected": [None, {"_id": "x"}, {"id": "y"}]},
    ]
    result["maintenance"] = {"active": [{"_id": "m1", "name": " Work "}]}

    snapshot = parse_status(payload, PAGE_ID)

    assert snapshot.page.name == "Status.io"
    assert snapshot.page.url == str(api_url(PAGE_ID))
    assert snapshot.components["5"].name == "5"
    assert snapshot.components["5"].raw_status == "900"
    assert snapshot.components["5"].status is ComponentStatus.UNKNOWN
    assert [(i.id, i.status, i.impact) for i in snapshot.incidents] == [
        ("i2", "250", "none"),
        ("i3", "unknown", "none"),
    ]
    assert snapshot.incidents[1].components == ()
    (maintenance,) = snapshot.maintenances
    assert maintenance.phase is MaintenancePhase.IN_PROGRESS
    assert maintenance.status == "in_progress"
    assert maintenance.name == "Work"
    assert maintenance.latest_update is None


def test_parse_status_without_details() -> None:
    """No incidents and no maintenance keys: none of either."""
    payload = _status()
    del payload["result"]["incidents"]
    payload["result"]["maintenance"] = None

    snapshot = parse_status(payload, PAGE_ID)

    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p.clear(),
        lambda p: p.update(result=None),
        lambda p: p["result"].update(status_overall=None),
        lambda p: p["result"].pop("status"),
        lambda p: p["result"].update(status=None),
        lambda p: p["result"]["status"].append(None),
        lambda p: p["result"]["status"].append({"name": "no id"}),
        lambda p: p["result"]["status"][0]["containers"].append({"name": "no id"}),
        lambda p: p["result"].update(maintenance=[1]),
        lambda p: p["result"]["incidents"].append({"name": "no id"}),
    ],
    ids=[
        "empty",
        "null_result",
        "null_overall",
        "missing_list",
        "null_list",
        "null_component",
        "component_without_id",
        "container_without_id",
        "maintenance_not_object",
        "incident_without_id",
    ],
)
def test_parse_status_refuses_broken_bodies(mutate: Callable[[Any], Any]) -> None:
    """A missing or null object or list, or an entry without an id: parse error."""
    payload = _status()
    mutate(payload)

    with pytest.raises(CloudStatusParseError):
        parse_status(payload, PAGE_ID)


def test_parse_status_refuses_other_shapes() -> None:
    """A list, or another platform's JSON, is not a status body."""
    for payload in ([], {"page": {"id": "x"}, "status": {}}):
        with pytest.raises(CloudStatusParseError):
            parse_status(payload, PAGE_ID)


@pytest.mark.parametrize(
    ("name", "overall", "components"),
    [
        (
            "docker_status_2020-07-16_partial_service_disruption_400.json",
            ComponentStatus.PARTIAL_OUTAGE,
            16,
        ),
        (
            "gitlab_status_2020-02-09_security_issue_600.json",
            ComponentStatus.MAJOR_OUTAGE,
            26,
        ),
        (
            "gitlab_status_2020-09-05_planned_maintenance_200.json",
            ComponentStatus.UNDER_MAINTENANCE,
            30,
        ),
    ],
)
def test_shared_real_bodies(
    name: str, overall: ComponentStatus, components: int
) -> None:
    """The recorded Docker and GitLab bodies parse with every status known."""
    path = SHARED_STATUSIO / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")

    snapshot = parse_status(json.loads(path.read_text(encoding="utf-8")), PAGE_ID)

    assert snapshot.overall_status is overall
    assert len(snapshot.components) == components
    assert all(
        c.status is not ComponentStatus.UNKNOWN for c in snapshot.components.values()
    )
    assert len(snapshot.incidents) == 1
    assert all(
        c.group_id in snapshot.components
        for c in snapshot.components.values()
        if c.group_id
    )


# --- addresses and HTML ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (PAGE_ID, PAGE_ID),
        (f"  {PAGE_ID.upper()} ", PAGE_ID),
        (f"https://api.status.io/1.0/status/{PAGE_ID}", PAGE_ID),
        (f"api.status.io/1.0/status/{PAGE_ID}/", PAGE_ID),
        (f"https://status.example.com/{PAGE_ID}", None),
        (PAGE_ID[:-1], None),
        ("status.gitlab.com", None),
    ],
)
def test_claims(raw: str, expected: str | None) -> None:
    """Only a bare id or the API's address is claimed."""
    assert claimed_page_id(raw) == expected
    assert claims(raw) is (expected is not None)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (f'<link href="https://api.status.io/1.0/status/{PAGE_ID}">', PAGE_ID),
        (f"fetch('//api.status.io/1.0/incidents/{PAGE_ID.upper()}')", PAGE_ID),
        (f"<script>var statuspageId = '{PAGE_ID}';</script> status.io", PAGE_ID),
        (f'{{"statuspage_id": "{PAGE_ID}"}} Powered by Status.io', PAGE_ID),
        # The variable without a mention of status.io, or only a lookalike name.
        (f"<script>var statuspageId = '{PAGE_ID}';</script>", None),
        (f"<script>var statuspageId = '{PAGE_ID}';</script> mystatus.io", None),
        # A bare 24-hex string anywhere (a Mongo id, a hash) is not a page id.
        (f"<div data-id='{PAGE_ID}'>status.io</div>", None),
        (f"api.status.io/1.0/status/{PAGE_ID}abc", None),
        ("<html>nothing</html>", None),
    ],
)
def test_find_page_id(html: str, expected: str | None) -> None:
    """The id counts only in a Status.io context."""
    assert find_page_id(html) == expected


# --- the client ------------------------------------------------------------------------


@dataclass
class FakeApi:
    """The status API: one body, optional ETag."""

    body: Any = field(default_factory=_status)
    etag: str | None = None
    seen: list[dict[str, str]] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append(dict(request.headers))
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        headers = {"ETag": self.etag} if self.etag else {}
        if isinstance(self.body, str):
            return web.Response(text=self.body, content_type="text/html")
        return web.json_response(self.body, headers=headers)


@pytest.fixture
async def api(aiohttp_server: ServerFactory) -> FakeApi:
    """Serve the fake API at /1.0/status/{id}."""
    fake = FakeApi()
    app = web.Application()
    app.router.add_get(f"/1.0/status/{PAGE_ID}", fake.handle)
    fake.server = await aiohttp_server(app)
    return fake


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _client(api: FakeApi, session: aiohttp.ClientSession, **kwargs: Any) -> Any:
    assert api.server is not None
    return StatusioClient(
        session, PAGE_ID, api_base=api.server.make_url("/1.0/status/"), **kwargs
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_client_polls_conditionally(
    api: FakeApi, session: aiohttp.ClientSession
) -> None:
    """One request a poll; the ETag comes back; 304 and equal bodies are None."""
    api.etag = '"v1"'
    client = _client(api, session, page_url="https://status.acme.example")

    first = await client.async_get_snapshot()
    assert first is not None
    assert first.page.name == "status.acme.example"
    assert await client.async_get_snapshot() is None
    assert api.seen[1]["If-None-Match"] == '"v1"'

    api.etag = None
    assert await client.async_get_snapshot() is None
    api.body = copy.deepcopy(api.body)
    api.body["result"]["status"][2]["status_code"] = 500
    changed = await client.async_get_snapshot()
    assert changed is not None
    assert changed.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert len(api.seen) == 4


@pytest.mark.usefixtures("socket_enabled")
async def test_client_failures(api: FakeApi, session: aiohttp.ClientSession) -> None:
    """HTML is a parse error; a body over the cap is refused."""
    with pytest.raises(CloudStatusResponseTooLargeError):
        await _client(api, session, max_bytes=100).async_get_snapshot()
    api.body = "<html>maintenance</html>"
    with pytest.raises(CloudStatusParseError):
        await _client(api, session).async_get_snapshot()


def test_client_ignores_the_api_address_as_page() -> None:
    """Given the API's own address, the snapshot names the page "Status.io"."""
    fake_session: Any = object()
    client = StatusioClient(fake_session, PAGE_ID, page_url=str(api_url(PAGE_ID)))

    assert client.page_url is None
    assert client.url == URL(f"https://api.status.io/1.0/status/{PAGE_ID}")


# --- detection -------------------------------------------------------------------------


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_from_html(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """The page's HTML names the id: the title is the page's, the URL its address."""
    html = load_fixture("statusio/page.html")

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)
    base = server.make_url("/")
    probe = Probe(session, str(base), base)

    detected = await detect(probe)

    assert detected is not None
    assert detected.key == PAGE_ID
    assert detected.title == "Acme & Co Status"
    assert detected.url == str(base).rstrip("/")
    assert detected.data == {"page_id": PAGE_ID}
    assert probe.requests == 1


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("html", "title"),
    [(f"api.status.io/1.0/status/{PAGE_ID}", "127.0.0.1"), ("<html></html>", None)],
    ids=["untitled", "not_statusio"],
)
async def test_detect_without_title_or_id(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    html: str,
    title: str | None,
) -> None:
    """No title: the host; no id: not Status.io."""

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)
    base = server.make_url("/")

    detected = await detect(Probe(session, str(base), base))

    assert (detected.title if detected else None) == title


async def test_detect_claimed_addresses_send_nothing() -> None:
    """A bare id or the API address: detected without a request, titled "Status.io"."""
    fake_session: Any = object()
    for raw in (PAGE_ID, f"https://api.status.io/1.0/status/{PAGE_ID}"):
        probe = Probe(fake_session, raw, URL("https://unused.example"))

        detected = await detect(probe)

        assert detected is not None
        assert detected.key == PAGE_ID
        assert detected.title == "Status.io"
        assert detected.url == f"https://api.status.io/1.0/status/{PAGE_ID}"
        assert probe.requests == 0


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_when_the_page_does_not_answer(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A 404 for the page: not Status.io."""
    server = await aiohttp_server(web.Application())
    base = server.make_url("/")

    assert await detect(Probe(session, str(base), base)) is None


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
    """The demo's /statusio HTML names an id; its API answer parses into the story."""
    spec = importlib.util.spec_from_file_location("demo_status_server", DEMO_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    ticks = iter((0.0,))
    server = await aiohttp_server(
        module.create_app(
            clock=lambda: next(ticks, elapsed),
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    )
    base = server.make_url("/statusio")

    detected = await detect(Probe(session, str(base), base))
    assert detected is not None
    assert detected.title == "Status.io demo"
    client = StatusioClient(
        session,
        detected.key,
        page_url=detected.url,
        api_base=server.make_url("/statusio/1.0/status/"),
    )
    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    names = {c.display_name for c in snapshot.components.values()}
    assert {"API", "Website", "Regions", "Regions \u2013 EU West"} <= names
    assert len(snapshot.incidents) == incidents
    assert snapshot.maintenance_in_progress is maintenance
    assert len(snapshot.maintenances) == 1
    assert all(
        c.status is not ComponentStatus.UNKNOWN for c in snapshot.components.values()
    )
    sys.path.insert(0, str(DEMO_SCRIPT.parent))
    from demo_platforms import statusio as demo  # noqa: PLC0415

    assert demo.respond("elsewhere", {}, {"page": {"id": "x"}}) is None


MIRROR_ID = "5b36dc6502d06804c08349f7"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            f'<script src="/statusio/1.0/status/{MIRROR_ID}"></script> Status.io',
            "/statusio/1.0/status/",
        ),
        (
            f"<a href='https://mirror.example.com/x/1.0/status/{MIRROR_ID}'>status.io</a>",
            "https://mirror.example.com/x/1.0/status/",
        ),
        (f'"https://api.status.io/1.0/status/{MIRROR_ID}" Status.io', None),
        (f'"/1.0/status/{MIRROR_ID}" and no mention', None),
        (f'"ftp://files.example.com/1.0/status/{MIRROR_ID}" Status.io', None),
        (f'"http://[::1/1.0/status/{MIRROR_ID}" Status.io', None),
        ("no address at all, Status.io", None),
        # An IDNA label that does not decode: not a host one can reach (no crash).
        (f'"https://xn--a/1.0/status/{MIRROR_ID}" Status.io', None),
    ],
)
def test_find_mirror(html: str, expected: str | None) -> None:
    """A page that serves the status API itself names where; api.status.io is the default."""
    page = URL("https://status.example.com/page")
    mirror = find_mirror(html, page)
    if expected is None:
        assert mirror is None
    else:
        assert mirror == page.join(URL(expected))


def test_a_mirror_alone_names_the_page_id() -> None:
    """The mirror's address carries the id, believed next to a mention of status.io."""
    html = f'<script src="/statusio/1.0/status/{MIRROR_ID.upper()}"></script> Status.io'
    assert find_page_id(html) == MIRROR_ID
    assert find_page_id(html.replace("Status.io", "")) is None
