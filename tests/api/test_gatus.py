"""The Gatus client: endpoint parsing, paging, unchanged answers, errors and detection.

Fixtures in tests/fixtures/gatus/ are written for these tests in the shape Gatus's own API
test expects (TwiN/gatus `api/endpoint_status_test.go`); no live Gatus body was found.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import copy
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusParseError,
    CloudStatusResponseTooLargeError,
    ComponentStatus,
    PageInfo,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.gatus import (
    MAX_PAGES,
    GatusClient,
    detect,
    endpoint_status,
    parse_endpoints,
    parse_statuses,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

BASE = "https://gatus.example.net"
STATUSES = f"{BASE}/api/v1/endpoints/statuses"
FIXTURE = "gatus/endpoint_statuses.json"
SHARED_GATUS = SHARED_PAYLOADS / "gatus"
PAGE = PageInfo(id="gatus.example.net", name="gatus.example.net", url=BASE)


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Return a session answered by aioclient_mock."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


def _fixture() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = load_json_fixture(FIXTURE)
    return payload


# --- parsing -----------------------------------------------------------------------


def test_parse_fixture() -> None:
    """Last result decides; some conditions failing is partial; no results unknown."""
    snapshot = parse_statuses(parse_endpoints(_fixture()), PAGE)

    components = snapshot.components
    assert list(components) == ["core_api", "core_database", "_website", "_queue"]
    assert components["core_api"].status is ComponentStatus.OPERATIONAL
    assert components["core_api"].display_name == "Core \u2013 API"
    assert components["core_database"].status is ComponentStatus.PARTIAL_OUTAGE
    assert components["core_database"].raw_status == "failure"
    assert components["_website"].status is ComponentStatus.MAJOR_OUTAGE
    # An empty group string names no group.
    assert components["_website"].display_name == "Website"
    assert components["_queue"].status is ComponentStatus.UNKNOWN
    assert components["_queue"].raw_status is None
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()


@pytest.mark.parametrize(
    ("result", "expected", "raw"),
    [
        ({"success": True}, ComponentStatus.OPERATIONAL, "success"),
        ({"success": False}, ComponentStatus.MAJOR_OUTAGE, "failure"),
        (
            {"success": False, "conditionResults": [{"success": False}, "odd"]},
            ComponentStatus.MAJOR_OUTAGE,
            "failure",
        ),
        ({"success": "yes"}, ComponentStatus.UNKNOWN, "'yes'"),
        ({}, ComponentStatus.UNKNOWN, "None"),
    ],
)
def test_endpoint_status(
    result: dict[str, Any], expected: ComponentStatus, raw: str
) -> None:
    """Only a boolean success is known; anything else is unknown with its raw value."""
    assert endpoint_status({"key": "k", "results": [result]}) == (expected, raw)


def test_results_null_is_no_result() -> None:
    """Go writes an empty slice as null: no result, unknown."""
    assert endpoint_status({"key": "k", "results": None}) == (
        ComponentStatus.UNKNOWN,
        None,
    )


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {"endpoints": []},
        [None],
        ["endpoint"],
        [{"name": "no key", "results": []}],
        [{"key": "k", "results": []}],
        [{"key": "k", "name": "n", "results": [None]}],
        [{"key": "k", "name": "n", "results": {"success": True}}],
    ],
    ids=[
        "null",
        "object",
        "null-item",
        "string-item",
        "no-key",
        "no-name",
        "null-result",
        "results-object",
    ],
)
def test_wrong_shapes_raise(payload: Any) -> None:
    """Another shape, a missing list or null where an object is expected is an error."""
    with pytest.raises(CloudStatusParseError):
        parse_statuses(parse_endpoints(payload), PAGE)


def test_duplicate_keys_first_wins() -> None:
    """A key listed twice keeps its first endpoint."""
    endpoints = _fixture()
    endpoints.append({**endpoints[0], "name": "Again"})
    snapshot = parse_statuses(parse_endpoints(endpoints), PAGE)
    assert snapshot.components["core_api"].name == "API"


@pytest.mark.skipif(not SHARED_GATUS.is_dir(), reason="shared payloads are absent")
@pytest.mark.parametrize(
    "path",
    sorted(SHARED_GATUS.glob("*.json")) if SHARED_GATUS.is_dir() else [],
    ids=lambda path: path.name,
)
def test_shared_payloads(path: Path) -> None:
    """The bodies Gatus's own API test expects parse; every endpoint is a component."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    snapshot = parse_statuses(parse_endpoints(payload), PAGE)
    assert set(snapshot.components) == {item["key"] for item in payload}
    for item in payload:
        component = snapshot.components[item["key"]]
        assert component.display_name == f"{item['group']} \u2013 {item['name']}"
        if not item["results"]:
            assert component.status is ComponentStatus.UNKNOWN
        elif item["results"][-1]["success"]:
            assert component.status is ComponentStatus.OPERATIONAL
        else:
            # The recorded failure failed two of its three conditions.
            assert component.status is ComponentStatus.PARTIAL_OUTAGE


# --- the client --------------------------------------------------------------------


async def test_one_page_is_one_request(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Fewer endpoints than a page holds: one request; the same body again is None."""
    aioclient_mock.get(STATUSES, json=_fixture())
    client = GatusClient(session, BASE)

    snapshot = await client.async_get_snapshot()
    assert snapshot is not None
    assert snapshot.page.id == "gatus.example.net"
    assert aioclient_mock.call_count == 1
    url = aioclient_mock.mock_calls[0][1]
    assert url.query == {"page": "1", "pageSize": "20"}

    assert await client.async_get_snapshot() is None
    assert aioclient_mock.call_count == 2


async def test_repeated_page_stops(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Gatus pages results, not endpoints: page 2 repeats the keys and ends the poll."""
    aioclient_mock.get(STATUSES, json=_fixture())
    client = GatusClient(session, BASE, page_size=2)

    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    assert len(snapshot.components) == 4
    assert aioclient_mock.call_count == 2


async def test_paged_endpoints_are_read_until_short(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A server that pages endpoints is read page by page until a short page."""
    endpoints = _fixture()
    aioclient_mock.get(STATUSES, params={"page": "2"}, json=endpoints[2:3])
    aioclient_mock.get(STATUSES, params={"page": "1"}, json=endpoints[:2])
    client = GatusClient(session, BASE, page_size=2)

    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    assert list(snapshot.components) == ["core_api", "core_database", "_website"]
    assert aioclient_mock.call_count == 2


async def test_paging_is_bounded(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A server that always has a fresh full page fails the poll after MAX_PAGES."""
    for number in range(1, MAX_PAGES + 2):
        aioclient_mock.get(
            STATUSES,
            params={"page": str(number)},
            json=[{"key": f"k{number}", "name": "n", "results": []}],
        )
    client = GatusClient(session, BASE, page_size=1)

    with pytest.raises(CloudStatusParseError, match="did not end"):
        await client.async_get_snapshot()
    assert aioclient_mock.call_count == MAX_PAGES


async def test_not_modified_reuses_the_body(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """Validators are sent back; a 304 is the last body: unchanged, None."""
    aioclient_mock.get(STATUSES, json=_fixture(), headers={"ETag": '"v1"'})
    client = GatusClient(session, BASE)
    assert await client.async_get_snapshot() is not None

    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUSES, status=304)
    assert await client.async_get_snapshot() is None
    assert aioclient_mock.mock_calls[0][3]["If-None-Match"] == '"v1"'


async def test_validators_of_an_unreadable_answer_are_not_kept(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A poll that fails to parse keeps the last good validators.

    Otherwise the next poll is answered 304 for a body it never read, and stale data
    shows as current.
    """
    aioclient_mock.get(STATUSES, json=_fixture(), headers={"ETag": '"v1"'})
    client = GatusClient(session, BASE)
    assert await client.async_get_snapshot() is not None

    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUSES, json=[{"name": "no key"}], headers={"ETag": '"v2"'})
    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot()

    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUSES, json=_fixture(), headers={"ETag": '"v3"'})
    await client.async_get_snapshot()
    assert aioclient_mock.mock_calls[0][3]["If-None-Match"] == '"v1"'


async def test_not_modified_without_a_body_is_an_error(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A 304 for a page never read cannot be used."""
    aioclient_mock.get(STATUSES, status=304)
    with pytest.raises(CloudStatusParseError):
        await GatusClient(session, BASE).async_get_snapshot()


async def test_a_change_is_seen(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """A new newest result gives a new snapshot."""
    endpoints = _fixture()
    aioclient_mock.get(STATUSES, json=endpoints)
    client = GatusClient(session, BASE)
    await client.async_get_snapshot()

    changed = copy.deepcopy(endpoints)
    changed[2]["results"].append({"success": True, "conditionResults": []})
    aioclient_mock.clear_requests()
    aioclient_mock.get(STATUSES, json=changed)
    snapshot = await client.async_get_snapshot()

    assert snapshot is not None
    assert snapshot.components["_website"].status is ComponentStatus.OPERATIONAL


async def test_body_over_the_cap(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """The 5 MB cap (here lowered) refuses the answer."""
    aioclient_mock.get(STATUSES, json=_fixture())
    with pytest.raises(CloudStatusResponseTooLargeError):
        await GatusClient(session, BASE, max_bytes=100).async_get_snapshot()


@pytest.mark.parametrize("body", [b"", b"<html><body>Gatus</body></html>"])
async def test_not_json(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker, body: bytes
) -> None:
    """An empty page or HTML is a parse error."""
    aioclient_mock.get(STATUSES, content=body)
    with pytest.raises(CloudStatusParseError):
        await GatusClient(session, BASE).async_get_snapshot()


# --- detection ---------------------------------------------------------------------


def _probe(session: aiohttp.ClientSession, raw: str = BASE) -> Probe:
    return Probe(session, raw, detection_base_url(raw))


async def test_detect(
    session: aiohttp.ClientSession, aioclient_mock: AiohttpClientMocker
) -> None:
    """One request; the key is host and path, the title the host."""
    aioclient_mock.get(f"{BASE}/status/api/v1/endpoints/statuses", json=_fixture())
    probe = _probe(session, f"{BASE}/status/api/v1/endpoints/statuses")

    detected = await detect(probe)

    assert detected is not None
    assert detected.key == "gatus.example.net/status"
    assert detected.title == "gatus.example.net"
    assert detected.url == f"{BASE}/status"
    assert detected.data == {}
    assert probe.requests == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 404},
        {"text": "<html></html>"},
        {"json": {"page": {}}},
        {"json": [{"name": "x"}]},
        {"json": [1]},
    ],
    ids=["404", "html", "object", "no-key", "not-objects"],
)
async def test_detect_other_answers(
    session: aiohttp.ClientSession,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
) -> None:
    """Anything but Gatus's endpoint list is not Gatus."""
    aioclient_mock.get(STATUSES, **answer)
    assert await detect(_probe(session)) is None


def test_page_url() -> None:
    """Pages are asked for with Gatus's parameters."""
    client = GatusClient(aiohttp.ClientSession.__new__(aiohttp.ClientSession), BASE)
    assert client.page_url(3) == URL(f"{STATUSES}?page=3&pageSize=20")
