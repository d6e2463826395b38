"""The Cachet client: 2.x and 3.x lists, paging, statuses, incidents, schedules, ping.

Fixtures in tests/fixtures/cachet/ are written for these tests. The 2.x components
follow the recorded Yoti body; the 2.x incidents, groups and schedules are BUILT FROM
THE DOCUMENTED SHAPE (cachethq/docs 2.x): no real 2.x incident body exists. The 3.x
ones follow the recorded v3 demo incidents and Cachet's API resources (cachethq/core
`src/Http/Resources`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.api import (
    CloudStatusNotFoundError,
    CloudStatusParseError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.cachet import (
    CONF_API_VERSION,
    MAX_PAGES,
    CachetClient,
    detect,
    parse_components,
    parse_incidents,
    parse_schedules,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

BASE = "https://status.example.org"
SHARED_CACHET = SHARED_PAYLOADS / "cachet"
NOW_V2 = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
NOW_V3 = datetime(2024, 10, 27, 9, 0, tzinfo=UTC)
V2 = {
    "api/v1/components": "cachet/v2_components.json",
    "api/v1/components/groups": "cachet/v2_groups.json",
    "api/v1/incidents": "cachet/v2_incidents.json",
    "api/v1/schedules": "cachet/v2_schedules.json",
}
V3 = {
    "api/components": "cachet/v3_components.json",
    "api/component-groups": "cachet/v3_groups.json",
    "api/incidents": "cachet/v3_incidents.json",
    "api/schedules": "cachet/v3_schedules.json",
}


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Return a session answered by aioclient_mock."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


def mock_lists(
    aioclient_mock: AiohttpClientMocker,
    lists: dict[str, str],
    base: str = BASE,
    **overrides: dict[str, Any],
) -> None:
    """Answer each list path with its fixture (or the given answer)."""
    for path, fixture in lists.items():
        answer = overrides.get(path) or {"json": load_json_fixture(fixture)}
        aioclient_mock.get(f"{base}/{path}", **answer)


def _data(fixture: str) -> list[Any]:
    items: list[Any] = load_json_fixture(fixture)["data"]
    return items


# --- parsing -----------------------------------------------------------------------


def test_v2_components() -> None:
    """Int or string statuses, group names, disabled components left out, ids as str."""
    components = parse_components(
        _data(V2["api/v1/components"]), _data(V2["api/v1/components/groups"])
    )

    assert list(components) == ["1", "2", "3"]
    assert components["1"].status is ComponentStatus.OPERATIONAL
    assert components["1"].display_name == "Platform \u2013 API"
    assert components["1"].description == "The public API"
    assert components["2"].status is ComponentStatus.PARTIAL_OUTAGE
    assert components["2"].raw_status == "3"
    assert components["3"].status is ComponentStatus.DEGRADED_PERFORMANCE
    assert components["3"].group_id is None
    assert components["3"].display_name == "Mail"


def test_v3_components() -> None:
    """3.x: string ids, `{human, value}` or plain statuses, members from the groups."""
    components = parse_components(
        _data(V3["api/components"]), _data(V3["api/component-groups"])
    )

    assert components["1"].status is ComponentStatus.OPERATIONAL
    assert components["2"].status is ComponentStatus.DEGRADED_PERFORMANCE
    assert components["2"].raw_status == "2"
    assert components["2"].display_name == "Docs \u2013 Documentation"
    assert components["3"].status is ComponentStatus.UNKNOWN
    assert components["3"].raw_status == "0"


@pytest.mark.parametrize(
    ("status", "expected", "raw"),
    [
        (1, ComponentStatus.OPERATIONAL, "1"),
        ("4", ComponentStatus.MAJOR_OUTAGE, "4"),
        ({"human": "Major Outage", "value": 4}, ComponentStatus.MAJOR_OUTAGE, "4"),
        (
            {"human": "Major Outage", "value": "2"},
            ComponentStatus.DEGRADED_PERFORMANCE,
            "2",
        ),
        (9, ComponentStatus.UNKNOWN, "9"),
        ("broken", ComponentStatus.UNKNOWN, "broken"),
        (True, ComponentStatus.UNKNOWN, "True"),
        (None, ComponentStatus.UNKNOWN, None),
        ("9" * 40, ComponentStatus.UNKNOWN, "9" * 40),
    ],
)
def test_component_status_values(
    status: Any, expected: ComponentStatus, raw: str | None
) -> None:
    """Known values map; unknown ones are unknown with the raw value kept."""
    components = parse_components([{"id": 7, "name": "X", "status": status}], [])
    assert components["7"].status is expected
    assert components["7"].raw_status == raw


def test_group_relationships_are_lenient() -> None:
    """Groups without usable relationships still name their members by group_id."""
    groups = [
        {"id": 1, "name": "A", "relationships": "odd"},
        {"id": 2, "name": "B", "relationships": {"components": {"data": "x"}}},
        {
            "id": "3",
            "attributes": {"name": "C"},
            "relationships": {"components": {"data": [None, {"id": True}]}},
        },
    ]
    components = parse_components(
        [
            {"id": 1, "name": "One", "status": 1, "group_id": 2},
            {"id": 2, "name": "Two", "status": 1, "component_group_id": "3"},
            {"id": 3, "name": "Three", "status": 1, "group_id": 1.5},
        ],
        groups,
    )
    assert components["1"].display_name == "B \u2013 One"
    assert components["2"].display_name == "C \u2013 Two"
    # A group id that is neither an integer nor a string names no group.
    assert components["3"].display_name == "Three"


@pytest.mark.parametrize(
    ("items", "groups"),
    [
        ([None], []),
        ([{"id": 1, "status": 1}], []),
        ([{"name": "x", "status": 1}], []),
        ([{"id": "1", "attributes": None}], []),
        ([], [{"id": 1}]),
    ],
    ids=["null-item", "no-name", "no-id", "null-attributes", "group-no-name"],
)
def test_wrong_shapes_raise(items: list[Any], groups: list[Any]) -> None:
    """Null where an object is expected, or missing names and ids, are errors."""
    with pytest.raises(CloudStatusParseError):
        parse_components(items, groups)


def test_v2_incidents() -> None:
    """Fixed incidents are closed; a future 2.x status 0 is an upcoming maintenance."""
    components = parse_components(
        _data(V2["api/v1/components"]), _data(V2["api/v1/components/groups"])
    )
    incidents, maintenances = parse_incidents(
        _data(V2["api/v1/incidents"]), components, version=2, now=NOW_V2
    )

    assert [incident.id for incident in incidents] == ["11"]
    incident = incidents[0]
    assert incident.status == "investigating"
    assert incident.impact == "none"
    assert incident.components == ("Platform \u2013 Dashboard",)
    assert incident.started_at == datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
    assert incident.created_at == datetime(2026, 9, 1, 9, 31, tzinfo=UTC)
    assert incident.latest_update == "We are looking into errors on the dashboard."
    (maintenance,) = maintenances
    assert maintenance.id == "incident-12"
    assert maintenance.phase is MaintenancePhase.SCHEDULED
    assert maintenance.starts_at == datetime(2026, 9, 20, 22, 0, tzinfo=UTC)
    assert maintenance.components == ("Platform \u2013 API",)


def test_past_scheduled_incident_is_left_out() -> None:
    """A 2.x scheduled incident whose time has come is no longer announced."""
    items = [
        {"id": 1, "name": "Past", "status": 0, "scheduled_at": "2020-01-01 00:00:00"}
    ]
    assert parse_incidents(items, {}, version=2, now=NOW_V2) == ((), ())


def test_v3_incidents() -> None:
    """3.x: `{human, value}` statuses and `{human, string}` dates; 0 is unknown, open."""
    items = [
        *_data(V3["api/incidents"]),
        {"id": "5", "attributes": {"name": "Odd", "status": {"value": 0}}},
        {"id": "6", "attributes": {"name": "Odder", "status": "x"}},
    ]
    incidents, maintenances = parse_incidents(items, {}, version=3, now=NOW_V3)

    assert [incident.id for incident in incidents] == ["2", "5", "6"]
    assert incidents[0].status == "investigating"
    assert incidents[0].started_at == datetime(2024, 10, 27, 8, 31, 59, tzinfo=UTC)
    assert incidents[1].status == "unknown"
    assert incidents[2].status == "unknown"
    assert maintenances == ()


def test_schedules() -> None:
    """Upcoming and running schedules are maintenances; completed ones are left out."""
    v2 = parse_schedules(_data(V2["api/v1/schedules"]), {}, now=NOW_V2)
    v3 = parse_schedules(_data(V3["api/schedules"]), {}, now=NOW_V3)

    assert [(m.id, m.phase) for m in v2] == [("5", MaintenancePhase.IN_PROGRESS)]
    assert v2[0].ends_at == datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    assert v2[0].status == "in_progress"
    assert [(m.id, m.phase) for m in v3] == [("7", MaintenancePhase.SCHEDULED)]
    assert v3[0].starts_at == datetime(2024, 11, 2, 1, 0, tzinfo=UTC)
    assert v3[0].ends_at is None


@pytest.mark.parametrize(
    ("item", "phase"),
    [
        ({"scheduled_at": "2026-09-02 00:00:00"}, MaintenancePhase.SCHEDULED),
        (
            {
                "scheduled_at": "2026-08-01 00:00:00",
                "completed_at": "2026-08-02 00:00:00",
            },
            None,
        ),
        ({"scheduled_at": "2026-08-01 00:00:00"}, MaintenancePhase.IN_PROGRESS),
        ({}, MaintenancePhase.IN_PROGRESS),
    ],
)
def test_schedule_without_known_status(
    item: dict[str, Any], phase: MaintenancePhase | None
) -> None:
    """An unknown schedule status is judged by its times."""
    items = [{"id": 1, "name": "S", "status": 7, **item}]
    maintenances = parse_schedules(items, {}, now=NOW_V2)
    assert [m.phase for m in maintenances] == ([phase] if phase is not None else [])


@pytest.mark.skipif(not SHARED_CACHET.is_dir(), reason="shared payloads are absent")
@pytest.mark.parametrize(
    "name",
    [
        "yoti_v1-components_2020-10_7_operational_2_groups.json",
        "v3demo_api-incidents_2024-10-27_investigating_and_fixed.json",
    ],
)
def test_shared_payloads(name: str) -> None:
    """The recorded bodies parse: Yoti's 7 operational components, the v3 incidents."""
    payload = json.loads((SHARED_CACHET / name).read_text(encoding="utf-8"))
    if "components" in name:
        components = parse_components(payload["data"], [])
        assert len(components) == len(payload["data"])
        assert {c.status for c in components.values()} == {ComponentStatus.OPERATIONAL}
        assert all(isinstance(key, str) for key in components)
    else:
        incidents, _ = parse_incidents(payload["data"], {}, version=3, now=NOW_V3)
        assert [(i.id, i.status) for i in incidents] == [("2", "investigating")]


# --- the client --------------------------------------------------------------------


@pytest.mark.parametrize(("version", "lists"), [(2, V2), (3, V3)])
async def test_poll(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    version: int,
    lists: dict[str, str],
) -> None:
    """Four requests a poll; the same answers again are None."""
    mock_lists(aioclient_mock, lists)
    now = NOW_V2 if version == 2 else NOW_V3
    client = CachetClient(session, BASE, version, clock=lambda: now)

    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    assert snapshot.page.name == "status.example.org"
    assert len(snapshot.incidents) == 1
    assert len(snapshot.maintenances) == 2 if version == 2 else 1
    assert aioclient_mock.call_count == 4
    queries = [call[1].query for call in aioclient_mock.mock_calls]
    assert all(q["page"] == "1" and q["per_page"] == "100" for q in queries)
    if version == 3:
        assert queries[1]["include"] == "components"

    assert await client.async_get_snapshot() is None
    assert aioclient_mock.call_count == 8


async def test_optional_lists_may_be_missing(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Older 2.x servers have no schedules; a 404 there (or on groups) means none."""
    mock_lists(
        aioclient_mock,
        V2,
        **{
            "api/v1/schedules": {"status": 404},
            "api/v1/components/groups": {"status": 404},
        },
    )
    snapshot = await CachetClient(
        session, BASE, 2, clock=lambda: NOW_V2
    ).async_get_snapshot()

    assert snapshot is not None
    assert snapshot.components["1"].display_name == "API"
    assert [m.id for m in snapshot.maintenances] == ["incident-12"]


async def test_components_404_fails(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The component list must be there."""
    mock_lists(aioclient_mock, V2, **{"api/v1/components": {"status": 404}})
    with pytest.raises(CloudStatusNotFoundError):
        await CachetClient(session, BASE, 2).async_get_snapshot()


@pytest.mark.parametrize(
    "answer",
    [
        {"json": {"meta": {}}},
        {"json": {"data": None}},
        {"json": [1, 2]},
        {"text": "<html></html>"},
        {"content": b""},
    ],
    ids=["missing-list", "null-list", "other-shape", "html", "empty"],
)
async def test_bad_component_answers(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
) -> None:
    """A missing list, null, another shape, HTML or an empty body fail the poll."""
    mock_lists(aioclient_mock, V2, **{"api/v1/components": answer})
    with pytest.raises(CloudStatusParseError):
        await CachetClient(session, BASE, 2).async_get_snapshot()


def _page(ids: range, **meta: Any) -> dict[str, Any]:
    return {
        "data": [{"id": i, "name": f"C{i}", "status": 1} for i in ids],
        **meta,
    }


async def test_paging_v2_follows_total_pages(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """2.x: `meta.pagination` says how many pages there are."""
    url = f"{BASE}/api/v1/components"

    def pagination(current: int) -> dict[str, Any]:
        return {"meta": {"pagination": {"current_page": current, "total_pages": 2}}}

    aioclient_mock.get(
        url, params={"page": "2"}, json=_page(range(3, 4), **pagination(2))
    )
    aioclient_mock.get(
        url, params={"page": "1"}, json=_page(range(1, 3), **pagination(1))
    )
    mock_lists(
        aioclient_mock, {k: v for k, v in V2.items() if k != "api/v1/components"}
    )

    snapshot = await CachetClient(
        session, BASE, 2, clock=lambda: NOW_V2
    ).async_get_snapshot()

    assert snapshot is not None
    assert list(snapshot.components) == ["1", "2", "3"]


async def test_paging_v3_follows_links_and_per_page(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """3.x: `links.next`, else a page as full as the server's `per_page` goes on."""
    url = f"{BASE}/api/components"
    # A per_page that is not a positive integer is not used: ours (2) is, so a page
    # with one item is short.
    aioclient_mock.get(
        url, params={"page": "4"}, json=_page(range(7, 8), meta={"per_page": 0})
    )
    aioclient_mock.get(
        url, params={"page": "3"}, json=_page(range(5, 7), meta={"per_page": 0})
    )
    aioclient_mock.get(
        url, params={"page": "2"}, json=_page(range(3, 5), meta={"per_page": 2})
    )
    aioclient_mock.get(
        url,
        params={"page": "1"},
        json=_page(range(1, 3), links={"next": f"{url}?page=2"}, meta="odd"),
    )
    mock_lists(aioclient_mock, {k: v for k, v in V3.items() if k != "api/components"})

    client = CachetClient(session, BASE, 3, per_page=2, clock=lambda: NOW_V3)
    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    # Page 3 is full (2 of our 2) and goes on; page 4 has one: short, the end.
    assert list(snapshot.components) == ["1", "2", "3", "4", "5", "6", "7"]


async def test_repeated_page_stops(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A server that ignores `page` repeats page 1: the list ends there."""
    mock_lists(aioclient_mock, V2)
    client = CachetClient(session, BASE, 2, per_page=1, clock=lambda: NOW_V2)
    aioclient_mock.clear_requests()
    full = {"meta": {"pagination": {"per_page": 1}}}
    aioclient_mock.get(f"{BASE}/api/v1/components", json=_page(range(1, 2), **full))
    mock_lists(
        aioclient_mock, {k: v for k, v in V2.items() if k != "api/v1/components"}
    )

    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    assert list(snapshot.components) == ["1"]
    component_calls = [
        c for c in aioclient_mock.mock_calls if c[1].path.endswith("components")
    ]
    assert len(component_calls) == 2


async def test_paging_is_bounded(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Components that never end fail the poll; incidents keep what was read."""
    for number in range(1, MAX_PAGES + 1):
        page = _page(range(number, number + 1), meta={"per_page": 1})
        aioclient_mock.get(
            f"{BASE}/api/v1/components", params={"page": str(number)}, json=page
        )
    with pytest.raises(CloudStatusParseError, match="did not end"):
        await CachetClient(session, BASE, 2).async_get_snapshot()

    aioclient_mock.clear_requests()
    mock_lists(aioclient_mock, {k: v for k, v in V2.items() if k != "api/v1/incidents"})
    for number in range(1, MAX_PAGES + 1):
        page = {
            "data": [{"id": number, "name": "I", "status": 1}],
            "meta": {"per_page": 1},
        }
        aioclient_mock.get(
            f"{BASE}/api/v1/incidents", params={"page": str(number)}, json=page
        )
    snapshot = await CachetClient(
        session, BASE, 2, clock=lambda: NOW_V2
    ).async_get_snapshot()
    assert snapshot is not None
    assert len(snapshot.incidents) == MAX_PAGES


async def test_optional_list_404_on_a_later_page_fails(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Only a list that is absent from its first page is treated as empty."""
    url = f"{BASE}/api/v1/schedules"
    aioclient_mock.get(url, params={"page": "2"}, status=404)
    aioclient_mock.get(
        url, params={"page": "1"}, json=_page(range(1, 2), meta={"per_page": 1})
    )
    mock_lists(aioclient_mock, {k: v for k, v in V2.items() if k != "api/v1/schedules"})
    with pytest.raises(CloudStatusNotFoundError):
        await CachetClient(session, BASE, 2).async_get_snapshot()


def test_unknown_version() -> None:
    """Only majors 2 and 3 exist."""
    with pytest.raises(CloudStatusParseError):
        CachetClient(aiohttp.ClientSession.__new__(aiohttp.ClientSession), BASE, 4)


# --- detection ---------------------------------------------------------------------


def _probe(session: aiohttp.ClientSession, raw: str = BASE) -> Probe:
    return Probe(session, raw, detection_base_url(raw))


async def test_detect_v2(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """2.x answers `/api/v1/ping` first: one request."""
    aioclient_mock.get(f"{BASE}/api/v1/ping", json={"data": "Pong!"})
    probe = _probe(session, f"{BASE}/api/v1/components")

    detected = await detect(probe)

    assert detected is not None
    assert (detected.key, detected.title, detected.url) == (
        "status.example.org",
        "status.example.org",
        BASE,
    )
    assert detected.data == {CONF_API_VERSION: 2}
    assert probe.requests == 1


async def test_detect_v3(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """3.x: `/api/v1/ping` is a 404, `/api/ping` answers."""
    aioclient_mock.get(f"{BASE}/status/api/v1/ping", status=404)
    aioclient_mock.get(f"{BASE}/status/api/ping", json={"data": "Pong!"})
    probe = _probe(session, f"{BASE}/status")

    detected = await detect(probe)

    assert detected is not None
    assert detected.key == "status.example.org/status"
    assert detected.data == {CONF_API_VERSION: 3}
    assert probe.requests == 2


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 404},
        {"text": "<html>Pong!</html>"},
        {"json": {"data": "pong"}},
        {"json": []},
    ],
)
async def test_detect_nothing(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
) -> None:
    """Anything but `{"data": "Pong!"}` is not Cachet."""
    aioclient_mock.get(f"{BASE}/api/v1/ping", **answer)
    aioclient_mock.get(f"{BASE}/api/ping", **answer)
    assert await detect(_probe(session)) is None


async def test_incidents_are_asked_newest_first_on_2x(
    session: aiohttp.ClientSession,
) -> None:
    """2.x is asked for its incidents newest first.

    Unasked it lists them oldest first, and a long history would hide the open ones
    behind the page limit. 3.x is not asked (an unknown sort is refused there).
    """
    v2 = CachetClient(session, BASE, 2).list_url("incidents", 1)
    assert (v2.query["sort"], v2.query["order"]) == ("id", "desc")
    assert "sort" not in CachetClient(session, BASE, 3).list_url("incidents", 1).query
    assert "sort" not in CachetClient(session, BASE, 2).list_url("components", 1).query
