"""The Statuspage management API (v1) client: requests, pagination, groups, errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime
from http import HTTPStatus
from itertools import pairwise
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusServerError,
    ComponentStatus,
    MaintenancePhase,
    StatusSnapshot,
)
from custom_components.cloud_status.api.ratelimit import RequestSpacer
from custom_components.cloud_status.api.statuspage_manage import (
    DEFAULT_RATE_LIMIT_PAUSE,
    EARLY_GROUP_REFRESH_INTERVAL,
    MANAGE_API_URL,
    MAX_COMPONENT_PAGES,
    MAX_PAUSED_WAIT,
    PAGE_REFRESH_INTERVAL,
    ManagedPage,
    StatuspageManageClient,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

API_KEY = "5f1e9c3a7b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"
PAGE_ID = "k3lq8w1yzt0v"
BASE = str(MANAGE_API_URL)
PAGE_URL = f"{BASE}/pages/{PAGE_ID}"
COMPONENTS_URL = f"{PAGE_URL}/components"
GROUPS_URL = f"{PAGE_URL}/component-groups"
UNRESOLVED_URL = f"{PAGE_URL}/incidents/unresolved"
ACTIVE_URL = f"{PAGE_URL}/incidents/active_maintenance"
UPCOMING_URL = f"{PAGE_URL}/incidents/upcoming"
START = 5000.0

MANAGE_PAYLOADS = SHARED_PAYLOADS / "statuspage_v1_manage"

type Responder = Callable[[str, URL, Any], Awaitable[AiohttpClientMockResponse]]


class FakeClock:
    """A monotonic clock that moves when the spacer sleeps on it or a test moves it."""

    def __init__(self) -> None:
        """Start at START."""
        self.now = START

    def __call__(self) -> float:
        """Return the current time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield once, then let `seconds` pass."""
        await asyncio.sleep(0)
        self.now += seconds


def _utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _component(
    component_id: str,
    name: str = "Component",
    status: str = "operational",
    group_id: str | None = None,
    *,
    group: bool = False,
) -> dict[str, Any]:
    return {
        "id": component_id,
        "page_id": PAGE_ID,
        "group_id": group_id,
        "group": group,
        "name": name,
        "description": None,
        "position": 1,
        "status": status,
        "showcase": True,
        "only_show_if_degraded": False,
    }


def _numbered(first: int, count: int) -> list[dict[str, Any]]:
    return [
        _component(f"cmp{number:09d}", f"Service {number}")
        for number in range(first, first + count)
    ]


def _query(page: int) -> str:
    return f"?page={page}&per_page=100"


@pytest.fixture
def clock() -> FakeClock:
    """Return a fresh fake clock."""
    return FakeClock()


@pytest.fixture
def spacer(clock: FakeClock) -> RequestSpacer:
    """Return a 1 s spacer on the fake clock."""
    return RequestSpacer(1.0, clock=clock, sleep=clock.sleep)


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a session answered by the mocker."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


@pytest.fixture
def client(
    session: aiohttp.ClientSession, spacer: RequestSpacer, clock: FakeClock
) -> StatuspageManageClient:
    """Return a client on the fake clock."""
    return StatuspageManageClient(session, API_KEY, spacer=spacer, clock=clock)


def _mock_page(
    aioclient_mock: AiohttpClientMocker,
    *,
    page: Any = None,
    components: Any = None,
    groups: Any = None,
    unresolved: Any = None,
    active: Any = None,
    upcoming: Any = None,
) -> None:
    """Answer every endpoint of one poll; components and groups on any page number."""
    fixtures = {
        PAGE_URL: (page, "statuspage_manage_page.json"),
        COMPONENTS_URL: (components, "statuspage_manage_components.json"),
        GROUPS_URL: (groups, "statuspage_manage_component_groups.json"),
        UNRESOLVED_URL: (unresolved, "statuspage_manage_incidents_unresolved.json"),
        ACTIVE_URL: (active, "statuspage_manage_incidents_active_maintenance.json"),
        UPCOMING_URL: (upcoming, "statuspage_manage_incidents_upcoming.json"),
    }
    for url, (body, fixture) in fixtures.items():
        aioclient_mock.get(
            url, json=load_json_fixture(fixture) if body is None else body
        )


def _paths(aioclient_mock: AiohttpClientMocker) -> list[str]:
    return [str(url).removeprefix(BASE) for _, url, _, _ in aioclient_mock.mock_calls]


# --- requests -----------------------------------------------------------------------


async def test_first_poll_requests_and_headers(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """The first poll reads page, components, groups and the three incident lists."""
    _mock_page(aioclient_mock)

    await client.async_get_snapshot(PAGE_ID)

    assert _paths(aioclient_mock) == [
        f"/pages/{PAGE_ID}",
        f"/pages/{PAGE_ID}/components{_query(1)}",
        f"/pages/{PAGE_ID}/component-groups{_query(1)}",
        f"/pages/{PAGE_ID}/incidents/unresolved",
        f"/pages/{PAGE_ID}/incidents/active_maintenance",
        f"/pages/{PAGE_ID}/incidents/upcoming",
    ]
    for method, url, _, headers in aioclient_mock.mock_calls:
        assert method == "GET"
        assert headers["Authorization"] == f"OAuth {API_KEY}"
        assert headers["Accept"] == "application/json"
        assert API_KEY not in str(url)
    assert client.requests_per_poll == 6


async def test_later_polls_cost_four_requests(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """Within the hour, page details and groups are reused: 4 requests a poll."""
    _mock_page(aioclient_mock)
    first = await client.async_get_snapshot(PAGE_ID)
    aioclient_mock.mock_calls.clear()
    clock.now += 120.0

    second = await client.async_get_snapshot(PAGE_ID)

    assert client.requests_per_poll == 4
    assert _paths(aioclient_mock) == [
        f"/pages/{PAGE_ID}/components{_query(1)}",
        f"/pages/{PAGE_ID}/incidents/unresolved",
        f"/pages/{PAGE_ID}/incidents/active_maintenance",
        f"/pages/{PAGE_ID}/incidents/upcoming",
    ]
    assert second == first


async def test_requests_are_spaced_one_second_apart(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """Every request waits for the spacer: a 6-request poll spans 5 s of the clock."""
    _mock_page(aioclient_mock)

    await client.async_get_snapshot(PAGE_ID)

    assert clock() == START + 5.0


async def test_pages_listing(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """GET /pages gives the key's pages with their human addresses."""
    aioclient_mock.get(
        f"{BASE}/pages", json=load_json_fixture("statuspage_manage_pages.json")
    )

    pages = await client.async_get_pages()

    assert pages == [
        ManagedPage(
            id=PAGE_ID,
            name="Acme Cloud",
            url="https://status.acme.example",
            time_zone="Europe/Berlin",
            updated_at=_utc(2026, 11, 18, 16, 40, 5),
        ),
        ManagedPage(
            id="p7x2m9c4r1ba",
            name="Acme Internal",
            url="https://acmeinternal.statuspage.io",
            time_zone="UTC",
            updated_at=_utc(2026, 10, 2, 7),
        ),
    ]
    assert aioclient_mock.mock_calls[0][3]["Authorization"] == f"OAuth {API_KEY}"
    assert client.requests_per_poll == 0


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"domain": "status.acme.example", "subdomain": "acme", "url": "https://a"},
            "https://status.acme.example",
        ),
        ({"domain": "https://status.acme.example"}, "https://status.acme.example"),
        ({"domain": None, "subdomain": "acme"}, "https://acme.statuspage.io"),
        (
            {"domain": "", "subdomain": "acme", "url": "https://a"},
            "https://acme.statuspage.io",
        ),
        ({"url": "https://www.acme.example"}, "https://www.acme.example"),
        ({"url": "www.acme.example"}, "https://www.acme.example"),
        ({}, None),
    ],
    ids=[
        "domain",
        "domain-scheme",
        "subdomain",
        "empty-domain",
        "url",
        "url-bare",
        "none",
    ],
)
async def test_page_url(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    fields: dict[str, Any],
    expected: str | None,
) -> None:
    """The page's own domain, else its statuspage.io address, else its website."""
    aioclient_mock.get(
        f"{BASE}/pages", json=[{"id": PAGE_ID, "name": "Acme", **fields}]
    )

    (page,) = await client.async_get_pages()

    assert page.url == expected
    assert page.time_zone is None
    assert page.updated_at is None


# --- snapshot -----------------------------------------------------------------------


@pytest.fixture
async def snapshot_from_fixtures(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> StatusSnapshot:
    """Poll the Acme page from the fixtures."""
    _mock_page(aioclient_mock)
    return await client.async_get_snapshot(PAGE_ID)


def test_page_info(snapshot_from_fixtures: StatusSnapshot) -> None:
    """Page details come from GET /pages/{id}; the API has no page status."""
    page = snapshot_from_fixtures.page
    assert page.id == PAGE_ID
    assert page.name == "Acme Cloud"
    assert page.url == "https://status.acme.example"
    assert page.time_zone == "Europe/Berlin"
    assert page.updated_at == _utc(2026, 11, 18, 16, 40, 5)
    assert snapshot_from_fixtures.indicator is None
    assert snapshot_from_fixtures.description is None
    assert snapshot_from_fixtures.reported_status is None


def test_components_and_group_names(snapshot_from_fixtures: StatusSnapshot) -> None:
    """Groups get no component; members are named "Group - Component"."""
    components = snapshot_from_fixtures.components
    assert "grp0network1" not in components
    names = {cid: component.display_name for cid, component in components.items()}
    assert names == {
        "cmp0edge0001": "Network \u2013 Edge Proxy",
        "cmp0dns00001": "Network \u2013 DNS",
        "cmp0api00001": "API",
        "cmp0db000001": "Storage \u2013 Database",
        "cmp0legacy01": "Legacy Billing",
        "cmp0queue001": "Queue",
    }
    statuses = {cid: component.status for cid, component in components.items()}
    assert statuses == {
        "cmp0edge0001": ComponentStatus.DEGRADED_PERFORMANCE,
        "cmp0dns00001": ComponentStatus.OPERATIONAL,
        "cmp0api00001": ComponentStatus.OPERATIONAL,
        "cmp0db000001": ComponentStatus.UNDER_MAINTENANCE,
        "cmp0legacy01": ComponentStatus.UNKNOWN,
        "cmp0queue001": ComponentStatus.PARTIAL_OUTAGE,
    }
    assert not any(component.is_group for component in components.values())
    edge = components["cmp0edge0001"]
    assert edge.group_id == "grp0network1"
    assert edge.group_name == "Network"
    assert edge.description == "TLS termination and routing"
    assert edge.raw_status == "degraded_performance"
    # A dangling group id keeps the id (as the public client does) but gives no name.
    legacy = components["cmp0legacy01"]
    assert legacy.group_id == "grp0deleted1"
    assert legacy.group_name is None
    assert legacy.raw_status == ""
    assert components["cmp0queue001"].raw_status == "Partial_Outage"
    assert snapshot_from_fixtures.overall_status is ComponentStatus.PARTIAL_OUTAGE


def test_incidents(snapshot_from_fixtures: StatusSnapshot) -> None:
    """Unresolved incidents map like the public client's; resolved ones are dropped."""
    incidents = {incident.id: incident for incident in snapshot_from_fixtures.incidents}
    assert set(incidents) == {"inc0api00001", "inc0edge0001"}
    api = incidents["inc0api00001"]
    assert api.name == "Elevated API error rates"
    assert api.status == "identified"
    assert api.impact == "minor"
    assert api.url == "https://stspg.io/acme01"
    # A component the page no longer has keeps the name the incident gives it.
    assert api.components == ("API", "Reporting")
    assert api.latest_update == (
        "A faulty deploy was identified and is being rolled back."
    )
    assert api.latest_update_id == "upd0api00002"
    assert api.update_count == 2
    assert api.created_at == _utc(2026, 11, 20, 9, 12, 2)
    assert api.sort_time == api.created_at
    assert api.updated_at == _utc(2026, 11, 20, 9, 41, 10)
    edge = incidents["inc0edge0001"]
    assert edge.components == ("Network \u2013 Edge Proxy",)
    assert edge.url == "https://status.acme.example"
    assert edge.impact == "major"
    assert snapshot_from_fixtures.has_problem


def test_maintenances(snapshot_from_fixtures: StatusSnapshot) -> None:
    """Active and upcoming maintenances are merged by id; in progress wins."""
    maintenances = {m.id: m for m in snapshot_from_fixtures.maintenances}
    assert set(maintenances) == {"mnt0db000001", "mnt0net00001"}
    database = maintenances["mnt0db000001"]
    assert database.phase is MaintenancePhase.IN_PROGRESS
    assert database.status == "in_progress"
    assert database.starts_at == _utc(2026, 11, 20, 9)
    assert database.ends_at == _utc(2026, 11, 20, 11)
    assert database.components == ("Storage \u2013 Database",)
    assert database.latest_update == "Scheduled maintenance is currently in progress."
    assert database.url == "https://stspg.io/acme02"
    network = maintenances["mnt0net00001"]
    assert network.phase is MaintenancePhase.SCHEDULED
    assert network.url == "https://status.acme.example"
    assert snapshot_from_fixtures.maintenance_in_progress
    assert snapshot_from_fixtures.upcoming_maintenances == (network,)


def _maintenance(maintenance_id: str, status: str) -> dict[str, Any]:
    return {
        "id": maintenance_id,
        "name": f"Window {maintenance_id}",
        "status": status,
        "impact": "maintenance",
        "components": [],
        "incident_updates": [],
        "scheduled_for": "2026-11-25T02:00:00Z",
        "scheduled_until": "2026-11-25T03:00:00Z",
    }


@pytest.mark.parametrize(
    ("active", "upcoming"),
    [
        ([_maintenance("m1", "scheduled")], [_maintenance("m1", "in_progress")]),
        ([_maintenance("m1", "verifying")], [_maintenance("m1", "scheduled")]),
        ([], [_maintenance("m1", "in_progress"), _maintenance("m1", "scheduled")]),
    ],
    ids=["upcoming-is-newer", "active-first", "same-list"],
)
async def test_maintenance_dedupe_prefers_in_progress(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    active: list[dict[str, Any]],
    upcoming: list[dict[str, Any]],
) -> None:
    """A maintenance listed twice is kept once, in progress if either copy says so."""
    _mock_page(aioclient_mock, active=active, upcoming=upcoming)

    snapshot = await client.async_get_snapshot(PAGE_ID)

    (maintenance,) = snapshot.maintenances
    assert maintenance.id == "m1"
    assert maintenance.phase is MaintenancePhase.IN_PROGRESS


async def test_scheduled_items_in_unresolved_are_not_incidents(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """An item with a maintenance status in the unresolved list is not an incident."""
    unresolved = [
        {**_maintenance("m1", status), "id": f"m-{status}"}
        for status in ("scheduled", "In_Progress", "verifying", "completed")
    ]
    unresolved.append({"id": "i1", "name": "Outage", "status": "monitoring"})
    _mock_page(aioclient_mock, unresolved=unresolved, active=[], upcoming=[])

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert [incident.id for incident in snapshot.incidents] == ["i1"]
    assert snapshot.incidents[0].impact == "none"
    assert snapshot.maintenances == ()


async def test_empty_page(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """A page without components, groups, incidents or maintenances is fine."""
    _mock_page(
        aioclient_mock, components=[], groups=[], unresolved=[], active=[], upcoming=[]
    )

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert snapshot.components == {}
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    # No component and no overall status from the management API: unknown (SPEC).
    assert snapshot.overall_status is ComponentStatus.UNKNOWN
    assert client.requests_per_poll == 6


# --- pagination ---------------------------------------------------------------------


def _mock_components_pages(
    aioclient_mock: AiohttpClientMocker, *pages: list[dict[str, Any]]
) -> None:
    for number, body in enumerate(pages, start=1):
        aioclient_mock.get(f"{COMPONENTS_URL}{_query(number)}", json=body)
    _mock_page(aioclient_mock, groups=[])


async def test_components_over_two_pages(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """150 components arrive over a full page and a short one."""
    _mock_components_pages(aioclient_mock, _numbered(0, 100), _numbered(100, 50))

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert len(snapshot.components) == 150
    assert list(snapshot.components) == [f"cmp{n:09d}" for n in range(150)]
    component_calls = [p for p in _paths(aioclient_mock) if "/components" in p]
    assert component_calls == [
        f"/pages/{PAGE_ID}/components{_query(1)}",
        f"/pages/{PAGE_ID}/components{_query(2)}",
    ]
    assert client.requests_per_poll == 7


async def test_full_page_then_empty_page(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """Exactly 100 components cost one more, empty, page and yield exactly 100."""
    _mock_components_pages(aioclient_mock, _numbered(0, 100), [])

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert len(snapshot.components) == 100
    assert sum("/components" in p for p in _paths(aioclient_mock)) == 2


async def test_repeated_page_stops(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """An API that ignores `page` and repeats itself does not loop or duplicate."""
    _mock_page(aioclient_mock, components=_numbered(0, 100), groups=[])

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert len(snapshot.components) == 100
    assert sum("/components" in p for p in _paths(aioclient_mock)) == 2


async def test_repeated_page_of_numeric_ids_stops(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """Numeric ids count as the same component on every page: a repeat still stops."""
    components = [
        {**component, "id": 1000 + number}
        for number, component in enumerate(_numbered(0, 100))
    ]
    _mock_page(aioclient_mock, components=components, groups=[])

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert len(snapshot.components) == 100
    assert "1000" in snapshot.components
    assert sum("/components" in p for p in _paths(aioclient_mock)) == 2


async def test_overlapping_pages_are_deduplicated(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """A component shifted onto the next page while paging is kept once."""
    _mock_components_pages(aioclient_mock, _numbered(0, 100), _numbered(99, 11))

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert len(snapshot.components) == 110


async def test_page_cap(
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    spacer: RequestSpacer,
    clock: FakeClock,
) -> None:
    """An endless run of full pages stops at the page cap."""
    served = 0

    async def endless(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        nonlocal served
        served += 1
        return AiohttpClientMockResponse(method, url, json=_numbered(served * 2, 2))

    aioclient_mock.get(COMPONENTS_URL, side_effect=endless)
    _mock_page(aioclient_mock, groups=[])
    client = StatuspageManageClient(
        session, API_KEY, spacer=spacer, per_page=2, clock=clock
    )

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert served == MAX_COMPONENT_PAGES
    assert len(snapshot.components) == 2 * MAX_COMPONENT_PAGES
    assert "per_page=2" in _paths(aioclient_mock)[1]


# --- page details and groups: refresh -----------------------------------------------


async def test_page_and_groups_refresh_hourly(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """Page details and groups are read again once an hour, with their new names."""
    components = [
        item
        for item in load_json_fixture("statuspage_manage_components.json")
        if item["group_id"] != "grp0deleted1"  # that one would refresh groups early
    ]
    _mock_page(aioclient_mock, components=components)
    await client.async_get_snapshot(PAGE_ID)
    first_poll_at = START

    clock.now = first_poll_at + PAGE_REFRESH_INTERVAL - 10
    await client.async_get_snapshot(PAGE_ID)
    assert client.requests_per_poll == 4

    aioclient_mock.clear_requests()
    page = load_json_fixture("statuspage_manage_page.json")
    page["name"] = "Acme Cloud Platform"
    groups = load_json_fixture("statuspage_manage_component_groups.json")
    groups[1]["name"] = "Data"
    _mock_page(aioclient_mock, page=page, components=components, groups=groups)
    clock.now = first_poll_at + PAGE_REFRESH_INTERVAL + 10

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert client.requests_per_poll == 6
    assert snapshot.page.name == "Acme Cloud Platform"
    assert snapshot.components["cmp0db000001"].display_name == "Data \u2013 Database"


async def test_unknown_group_refreshes_groups_early(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """A component in a group not known yet makes the groups be read again, after 10 min."""
    components = load_json_fixture("statuspage_manage_components.json")
    _mock_page(aioclient_mock, components=components)
    await client.async_get_snapshot(PAGE_ID)

    aioclient_mock.clear_requests()
    components.append(_component("cmp0cdn00001", "CDN", "operational", "grp0edge0001"))
    groups = load_json_fixture("statuspage_manage_component_groups.json")
    groups.append({"id": "grp0edge0001", "name": "Edge"})
    _mock_page(aioclient_mock, components=components, groups=groups)

    # Within 10 minutes of the last group read, the name waits.
    clock.now = START + EARLY_GROUP_REFRESH_INTERVAL - 20
    snapshot = await client.async_get_snapshot(PAGE_ID)
    assert client.requests_per_poll == 4
    assert snapshot.components["cmp0cdn00001"].display_name == "CDN"

    clock.now = START + EARLY_GROUP_REFRESH_INTERVAL + 5
    snapshot = await client.async_get_snapshot(PAGE_ID)
    assert client.requests_per_poll == 5
    assert any("component-groups" in p for p in _paths(aioclient_mock))
    assert snapshot.components["cmp0cdn00001"].display_name == "Edge \u2013 CDN"


async def test_dangling_group_refreshes_at_most_every_ten_minutes(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """A group id that points at no group costs one group read per 10 minutes at most."""
    _mock_page(aioclient_mock)  # cmp0legacy01 names the missing grp0deleted1
    group_reads: list[float] = []
    for minute in range(0, 32, 2):
        clock.now = START + minute * 60
        aioclient_mock.mock_calls.clear()
        await client.async_get_snapshot(PAGE_ID)
        if any("component-groups" in p for p in _paths(aioclient_mock)):
            group_reads.append(minute)

    assert group_reads == [0, 10, 20, 30]


async def test_group_in_component_list_names_members_without_refresh(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """A group entry in the component list names its members at once, fresher than the group list."""
    components = load_json_fixture("statuspage_manage_components.json")
    _mock_page(aioclient_mock, components=components)
    await client.async_get_snapshot(PAGE_ID)

    aioclient_mock.clear_requests()
    components[0]["name"] = "- Networking"
    components.append(_component("grp0search01", "Search", group=True))
    components.append(
        _component("cmp0index001", "Indexer", "major_outage", "grp0search01")
    )
    _mock_page(aioclient_mock, components=components)
    clock.now += 60

    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert client.requests_per_poll == 4
    names = {c.id: c.display_name for c in snapshot.components.values()}
    assert names["cmp0index001"] == "Search \u2013 Indexer"
    assert names["cmp0edge0001"] == "Networking \u2013 Edge Proxy"
    assert "grp0search01" not in snapshot.components


async def test_other_page_starts_afresh(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """Polling another page id reads that page's details and groups."""
    _mock_page(aioclient_mock)
    await client.async_get_snapshot(PAGE_ID)

    other = "p7x2m9c4r1ba"
    other_url = f"{BASE}/pages/{other}"
    aioclient_mock.get(other_url, json={"id": other, "name": "Acme Internal"})
    for suffix in (
        "/components",
        "/component-groups",
        "/incidents/unresolved",
        "/incidents/active_maintenance",
        "/incidents/upcoming",
    ):
        aioclient_mock.get(f"{other_url}{suffix}", json=[])

    snapshot = await client.async_get_snapshot(other)

    assert client.requests_per_poll == 6
    assert snapshot.page.name == "Acme Internal"
    assert snapshot.page.url is None


async def test_failed_refresh_is_retried_next_poll(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    clock: FakeClock,
) -> None:
    """A poll that fails reading the groups reads them again the next time."""
    aioclient_mock.get(GROUPS_URL, status=HTTPStatus.BAD_GATEWAY)
    _mock_page(aioclient_mock)
    with pytest.raises(CloudStatusServerError):
        await client.async_get_snapshot(PAGE_ID)
    assert client.requests_per_poll == 3

    aioclient_mock.clear_requests()
    _mock_page(aioclient_mock)
    clock.now += 120

    snapshot = await client.async_get_snapshot(PAGE_ID)

    # The page details were kept; the groups are read again.
    assert client.requests_per_poll == 5
    assert snapshot.components["cmp0db000001"].group_name == "Storage"


# --- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error", "detail"),
    [
        (
            401,
            {"error": "Could not authenticate"},
            CloudStatusAuthError,
            "Could not authenticate",
        ),
        (
            403,
            {"message": "You are not authorized to access this resource."},
            CloudStatusAuthError,
            "You are not authorized to access this resource.",
        ),
        (
            404,
            {"message": "The requested resource could not be found."},
            CloudStatusNotFoundError,
            "The requested resource could not be found.",
        ),
        (
            500,
            {"message": "Internal Server Error"},
            CloudStatusServerError,
            "Internal Server Error",
        ),
        (503, None, CloudStatusServerError, None),
    ],
    ids=["401", "403", "404", "500", "503"],
)
async def test_http_errors(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    spacer: RequestSpacer,
    clock: FakeClock,
    status: int,
    body: dict[str, str] | None,
    error: type[CloudStatusError],
    detail: str | None,
) -> None:
    """Errors carry Statuspage's message and never the key; they do not pause the key."""
    aioclient_mock.get(PAGE_URL, status=status, json=body)

    with pytest.raises(error) as exc_info:
        await client.async_get_snapshot(PAGE_ID)

    assert exc_info.value.detail == detail
    assert API_KEY not in str(exc_info.value)
    assert API_KEY not in repr(exc_info.value)
    if isinstance(exc_info.value, CloudStatusServerError):
        assert exc_info.value.status == status
    assert spacer.next_slot == clock() + 1.0
    assert client.requests_per_poll == 1


@pytest.mark.parametrize(
    ("status", "headers", "pause"),
    [
        (429, {}, DEFAULT_RATE_LIMIT_PAUSE),
        (420, {}, DEFAULT_RATE_LIMIT_PAUSE),
        (429, {"Retry-After": "17"}, 17.0),
        (420, {"Retry-After": "90"}, 90.0),
    ],
    ids=["429", "420", "429-retry-after", "420-retry-after"],
)
async def test_rate_limit_pauses_the_key(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    spacer: RequestSpacer,
    clock: FakeClock,
    status: int,
    headers: dict[str, str],
    pause: float,
) -> None:
    """420/429 raise with Retry-After, and nobody uses the key until the pause ends.

    A request asked for during the pause fails fast without reaching the API; one asked
    for at most MAX_PAUSED_WAIT before the pause ends waits for it.
    """
    aioclient_mock.get(
        f"{BASE}/pages",
        status=status,
        headers=headers,
        json={"error": "Rate limit exceeded"},
    )

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await client.async_get_pages()

    expected_retry_after = float(headers["Retry-After"]) if headers else None
    assert exc_info.value.retry_after == expected_retry_after
    assert exc_info.value.detail == "Rate limit exceeded"
    assert spacer.next_slot == START + pause

    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE}/pages", json=[])
    with pytest.raises(CloudStatusRateLimitError) as paused:
        await client.async_get_pages()
    assert paused.value.retry_after == pytest.approx(pause)
    assert aioclient_mock.mock_calls == []
    assert clock() == START

    clock.now += pause - MAX_PAUSED_WAIT
    assert await client.async_get_pages() == []
    assert clock() == START + pause
    assert len(aioclient_mock.mock_calls) == 1


@pytest.mark.parametrize("status", [429, 420])
async def test_retry_after_zero_does_not_pause_the_key(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    spacer: RequestSpacer,
    clock: FakeClock,
    status: int,
) -> None:
    """Retry-After: 0 asks for no pause: the next request waits only its usual second.

    A missing Retry-After pauses the key for DEFAULT_RATE_LIMIT_PAUSE; a zero one is an
    answer, not a missing one.
    """
    aioclient_mock.get(
        f"{BASE}/pages", status=status, headers={"Retry-After": "0"}, json={}
    )

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await client.async_get_pages()

    assert exc_info.value.retry_after == 0.0
    assert spacer.next_slot == START + 1.0

    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE}/pages", json=[])
    assert await client.async_get_pages() == []
    assert clock() == START + 1.0
    assert len(aioclient_mock.mock_calls) == 1


@pytest.mark.parametrize(
    "url",
    [COMPONENTS_URL, GROUPS_URL, UNRESOLVED_URL, ACTIVE_URL, UPCOMING_URL],
    ids=["components", "groups", "unresolved", "active", "upcoming"],
)
async def test_list_endpoint_answering_an_object(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient, url: str
) -> None:
    """Lists are bare JSON arrays; an object instead is a parse error."""
    aioclient_mock.get(url, json={"components": []})
    _mock_page(aioclient_mock)

    with pytest.raises(CloudStatusParseError, match="not an array"):
        await client.async_get_snapshot(PAGE_ID)


@pytest.mark.parametrize("api_key", [f"{API_KEY}\n", f"{API_KEY}\x11", "", "caf\u00e9"])
async def test_key_no_header_can_carry_is_refused_without_a_request(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession, api_key: str
) -> None:
    """A key with a control character would make aiohttp raise; it is an auth error.

    Nothing is sent, and the error does not quote the key.
    """
    client = StatuspageManageClient(session, api_key)

    with pytest.raises(CloudStatusAuthError) as exc_info:
        await client.async_get_pages()
    with pytest.raises(CloudStatusAuthError):
        await client.async_get_snapshot(PAGE_ID)

    assert aioclient_mock.mock_calls == []
    if api_key:
        assert api_key.strip() not in str(exc_info.value)


@pytest.mark.parametrize("body", ["null", "", "{}"], ids=["null", "empty", "object"])
async def test_missing_component_list_is_a_parse_error(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient, body: str
) -> None:
    """A components answer without a list fails the poll: never "no components" (SPEC)."""
    aioclient_mock.get(COMPONENTS_URL, text=body)
    _mock_page(aioclient_mock)

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot(PAGE_ID)


async def test_missing_later_component_page_is_a_parse_error(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """A later page of components that is null fails the poll too."""
    aioclient_mock.get(f"{COMPONENTS_URL}{_query(1)}", json=_numbered(1, 100))
    aioclient_mock.get(f"{COMPONENTS_URL}{_query(2)}", text="null")
    _mock_page(aioclient_mock, groups=[])

    with pytest.raises(CloudStatusParseError, match="components is NoneType"):
        await client.async_get_snapshot(PAGE_ID)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (f"{BASE}/pages", {"page": {}}),
        (f"{BASE}/pages", ["8m2l51279rpl"]),
        (f"{BASE}/pages", [{"id": PAGE_ID}]),
        (f"{BASE}/pages", [{"name": "Acme"}]),
        (f"{BASE}/pages", [{"id": "../admin", "name": "Acme"}]),
    ],
    ids=["object", "string-items", "no-name", "no-id", "odd-id"],
)
async def test_bad_pages_listing(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    url: str,
    body: Any,
) -> None:
    """Wrong JSON shapes in GET /pages are parse errors."""
    aioclient_mock.get(url, json=body)

    with pytest.raises(CloudStatusParseError):
        await client.async_get_pages()


@pytest.mark.parametrize(
    "override",
    [
        {"page": ["not", "an", "object"]},
        {"page": {"name": "Acme"}},
        {"components": [["x"]]},
        {"components": [{"name": "No id"}]},
        {"components": [{"id": "c1", "status": "operational"}]},
        {"components": [{"id": "g1", "group": True}]},
        {"groups": [{"id": "grp0network1"}]},
        {"groups": ["grp0network1"]},
        {"unresolved": ["inc"]},
        {"unresolved": [{"name": "No id", "status": "investigating"}]},
        {"upcoming": [{"name": "No id", "status": "scheduled"}]},
    ],
    ids=[
        "page-list",
        "page-no-id",
        "component-list",
        "component-no-id",
        "component-no-name",
        "group-entry-no-name",
        "group-no-name",
        "group-string",
        "incident-string",
        "incident-no-id",
        "maintenance-no-id",
    ],
)
async def test_bad_payloads(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    override: dict[str, Any],
) -> None:
    """Missing fields and wrong types anywhere are parse errors, nothing else."""
    _mock_page(aioclient_mock, **override)

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot(PAGE_ID)


async def test_html_answer(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """An HTML page instead of JSON is a parse error."""
    aioclient_mock.get(f"{BASE}/pages", text="<!DOCTYPE html><html>Log in</html>")

    with pytest.raises(CloudStatusParseError, match="not JSON"):
        await client.async_get_pages()


# --- construction and secrets ------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    [URL("http://api.statuspage.io/v1"), URL("ftp://api.statuspage.io/v1"), URL("/v1")],
    ids=["http", "ftp", "relative"],
)
def test_base_url_must_be_https(session: aiohttp.ClientSession, base_url: URL) -> None:
    """The key is only ever sent over https."""
    with pytest.raises(ValueError, match="https"):
        StatuspageManageClient(session, API_KEY, base_url=base_url)


@pytest.mark.parametrize("per_page", [0, 101])
def test_per_page_bounds(session: aiohttp.ClientSession, per_page: int) -> None:
    """per_page must be one the API honours."""
    with pytest.raises(ValueError, match="per_page"):
        StatuspageManageClient(session, API_KEY, per_page=per_page)


@pytest.mark.parametrize("page_id", ["", "../pages", "abc/def", "a b", "x?y=1"])
async def test_invalid_page_id(
    aioclient_mock: AiohttpClientMocker,
    client: StatuspageManageClient,
    page_id: str,
) -> None:
    """A page id that could change the request path is refused before any request."""
    with pytest.raises(ValueError, match="page id"):
        await client.async_get_snapshot(page_id)

    assert aioclient_mock.call_count == 0


async def test_custom_base_url(
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    spacer: RequestSpacer,
) -> None:
    """Another https base URL is used as given."""
    aioclient_mock.get("https://statuspage.test/v1/pages", json=[])
    client = StatuspageManageClient(
        session, API_KEY, spacer=spacer, base_url=URL("https://statuspage.test/v1")
    )

    assert await client.async_get_pages() == []
    assert str(aioclient_mock.mock_calls[0][1]) == "https://statuspage.test/v1/pages"


def test_default_spacer(session: aiohttp.ClientSession) -> None:
    """Without a shared spacer, a client keeps its own 1 request/s."""
    client = StatuspageManageClient(session, API_KEY)

    assert client._spacer.interval == 1.0
    assert client.requests_per_poll == 0


def test_repr_hides_the_key(client: StatuspageManageClient) -> None:
    """Neither repr nor str of the client shows the key."""
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert repr(client) == f"StatuspageManageClient(base_url={BASE!r})"


# --- sharing one key ----------------------------------------------------------------


async def test_two_clients_sharing_a_spacer_never_overlap(
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    spacer: RequestSpacer,
    clock: FakeClock,
) -> None:
    """Two entries with one key, polled at once: requests >= 1 s apart, all of them."""
    sent_at: list[float] = []

    def recording(body: Any) -> Responder:
        async def respond(
            method: str, url: URL, data: Any
        ) -> AiohttpClientMockResponse:
            sent_at.append(clock())
            return AiohttpClientMockResponse(method, url, json=body)

        return respond

    other = "p7x2m9c4r1ba"
    for page_id, name in ((PAGE_ID, "Acme Cloud"), (other, "Acme Internal")):
        url = f"{BASE}/pages/{page_id}"
        aioclient_mock.get(url, side_effect=recording({"id": page_id, "name": name}))
        aioclient_mock.get(f"{url}/components", side_effect=recording(_numbered(0, 3)))
        for suffix in (
            "/component-groups",
            "/incidents/unresolved",
            "/incidents/active_maintenance",
            "/incidents/upcoming",
        ):
            aioclient_mock.get(f"{url}{suffix}", side_effect=recording([]))
    aioclient_mock.get(f"{BASE}/pages", side_effect=recording([]))
    first = StatuspageManageClient(session, API_KEY, spacer=spacer, clock=clock)
    second = StatuspageManageClient(session, API_KEY, spacer=spacer, clock=clock)

    await asyncio.gather(
        first.async_get_snapshot(PAGE_ID),
        second.async_get_snapshot(other),
        StatuspageManageClient(session, API_KEY, spacer=spacer).async_get_pages(),
    )

    assert len(sent_at) == 13
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(sent_at))
    assert first.requests_per_poll == second.requests_per_poll == 6


async def test_rate_limit_on_one_client_pauses_the_other(
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    spacer: RequestSpacer,
    clock: FakeClock,
) -> None:
    """A 429 seen by one entry makes every other entry of the key fail fast, unsent."""
    aioclient_mock.get(f"{BASE}/pages", status=429, headers={"Retry-After": "30"})
    sent_at: list[float] = []

    async def respond(method: str, url: URL, data: Any) -> AiohttpClientMockResponse:
        sent_at.append(clock())
        return AiohttpClientMockResponse(method, url, json=[])

    aioclient_mock.get(f"{BASE}/pages/{PAGE_ID}/components", side_effect=respond)
    _mock_page(aioclient_mock, groups=[])
    limited = StatuspageManageClient(session, API_KEY, spacer=spacer, clock=clock)
    other = StatuspageManageClient(session, API_KEY, spacer=spacer, clock=clock)

    with pytest.raises(CloudStatusRateLimitError):
        await limited.async_get_pages()
    clock.now += 12.0
    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await other.async_get_snapshot(PAGE_ID)

    assert exc_info.value.retry_after == pytest.approx(18.0)
    assert other.requests_per_poll == 0
    assert _paths(aioclient_mock) == ["/pages"]
    assert clock() == START + 12.0

    # Close to the end of the pause, the next poll waits for it instead.
    clock.now += 18.0 - MAX_PAUSED_WAIT
    await other.async_get_snapshot(PAGE_ID)
    # The page details request went first, at the end of the pause.
    assert sent_at == [START + 31.0]
    assert other.requests_per_poll == 6


# --- real payloads ------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _shared_payloads() -> dict[str, Any]:
    if not MANAGE_PAYLOADS.is_dir():
        pytest.skip("shared payloads are not available")
    return {
        path.name: _load_json(path)
        for path in sorted(MANAGE_PAYLOADS.glob("GET_*.json"))
    }


def _payload(payloads: dict[str, Any], prefix: str) -> list[Any]:
    return [body for name, body in payloads.items() if name.startswith(prefix)]


async def test_every_shared_payload_parses(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """Every recorded v1 body parses, each wrapped in the list its endpoint returns."""
    payloads = _shared_payloads()
    handled = {
        "GET_pages_": "page",
        "GET_components_": "component",
        "GET_component-groups_": "group",
        "GET_incidents_": "incident",
        "GET_incident_update_": "update",
    }
    unhandled = [
        name
        for name in payloads
        if not any(name.startswith(prefix) for prefix in handled)
    ]
    assert unhandled == [], "a new shared payload needs a place in this test"

    pages = _payload(payloads, "GET_pages_")
    components = _payload(payloads, "GET_components_")
    groups = _payload(payloads, "GET_component-groups_")
    incidents = _payload(payloads, "GET_incidents_")
    updates = _payload(payloads, "GET_incident_update_")
    # The recorded incident is resolved; an open copy must come through as well.
    open_incidents = [
        {**incident, "id": f"open-{incident['id']}", "status": "identified"}
        for incident in incidents
    ]
    # A lone update is the incident_updates list of an unresolved incident.
    updated = [
        {
            "id": "with-update",
            "name": "Update carrier",
            "status": "investigating",
            "impact": "minor",
            "incident_updates": updates,
        }
    ]
    aioclient_mock.get(f"{BASE}/pages", json=pages)
    _mock_page(
        aioclient_mock,
        page=pages[0],
        components=components,
        groups=groups,
        unresolved=incidents + open_incidents + updated,
        active=[],
        upcoming=[],
    )

    listed = await client.async_get_pages()
    snapshot = await client.async_get_snapshot(PAGE_ID)

    assert [page.id for page in listed] == [page["id"] for page in pages]
    assert listed[0].url == "https://ctrlvsolutions.statuspage.io"
    assert listed[0].time_zone == "UTC"
    assert snapshot.page.name == "Ctrlv Solutions"
    assert set(snapshot.components) == {c["id"] for c in components}
    for raw in components:
        parsed_component = snapshot.components[raw["id"]]
        assert parsed_component.status is ComponentStatus.from_raw(raw["status"])
        assert parsed_component.name == raw["name"]
    by_id = {incident.id: incident for incident in snapshot.incidents}
    assert set(by_id) == {f"open-{i['id']}" for i in incidents} | {"with-update"}
    for incident in incidents:
        parsed = by_id[f"open-{incident['id']}"]
        assert parsed.name == incident["name"]
        assert parsed.url == incident["shortlink"]
        assert parsed.update_count == len(incident["incident_updates"])
        assert parsed.latest_update == incident["incident_updates"][0]["body"]
        # Every affected component keeps a name, known ones their display name.
        assert len(parsed.components) == len(incident["components"])
    assert by_id["with-update"].latest_update == updates[0]["body"]


async def test_shared_group_names_a_member(
    aioclient_mock: AiohttpClientMocker, client: StatuspageManageClient
) -> None:
    """The recorded group and incident agree: the member is "Backend - Fraud Detection Service"."""
    payloads = _shared_payloads()
    (group,) = _payload(payloads, "GET_component-groups_")
    (incident,) = _payload(payloads, "GET_incidents_")
    members = [c for c in incident["components"] if c["group_id"] == group["id"]]
    assert members, "the recorded incident names a member of the recorded group"
    _mock_page(
        aioclient_mock,
        components=incident["components"],
        groups=[group],
        unresolved=[],
        active=[],
        upcoming=[],
    )

    snapshot = await client.async_get_snapshot(PAGE_ID)

    for member in members:
        assert snapshot.components[member["id"]].display_name == (
            f"{group['name']} \u2013 {member['name']}"
        )
    for raw in incident["components"]:
        assert snapshot.components[raw["id"]].status is ComponentStatus(raw["status"])


async def test_shared_openapi_lists_the_endpoints_used() -> None:
    """The vendor's spec documents every path the client calls, as arrays where listed."""
    specs = sorted(MANAGE_PAYLOADS.glob("*openapi*.json"))
    if not specs:
        pytest.skip("shared payloads are not available")
    for spec_path in specs:
        paths = _load_json(spec_path)["paths"]
        for path in (
            "/pages",
            "/pages/{page_id}/components",
            "/pages/{page_id}/component-groups",
            "/pages/{page_id}/incidents/unresolved",
            "/pages/{page_id}/incidents/active_maintenance",
            "/pages/{page_id}/incidents/upcoming",
        ):
            schema = paths[path]["get"]["responses"]["200"]["content"][
                "application/json"
            ]["schema"]
            assert schema["type"] == "array", (spec_path.name, path)
        assert "/pages/{page_id}" in paths
