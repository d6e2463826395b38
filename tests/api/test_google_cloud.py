"""The Google Cloud client: products, open incidents, the picked scope, caching, detection.

Fixtures in tests/fixtures/google_cloud/ are written for these tests in the shape of the
recorded (trimmed) incidents.json of ../shared/payloads/vendors and the documented
fields (`created`, `modified`, `updates`, `most_recent_update`), and of the
`{"products": [{id, title}]}` list a peer project records; they are no copies.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
import json
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusParseError,
    CloudStatusServerError,
    ComponentStatus,
    PageInfo,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.google_cloud import (
    FEED_URL,
    GoogleCloudClient,
    build_snapshot,
    claims,
    detect,
    parse_incident,
    parse_incidents,
    parse_products,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

INCIDENTS = f"{FEED_URL}/incidents.json"
PRODUCTS = f"{FEED_URL}/products.json"
BASE = URL(FEED_URL)
PAGE = PageInfo(id="google_cloud", name="Google Cloud")
COMPUTE = "cmp1EngineAaaaaaaaaa"
STORAGE = "gcs2StorageBbbbbbbbb"
BIGQUERY = "bq3QueryCcccccccccc"
GEMINI = "vx4GeminiDddddddddd"
SHARED_GCLOUD = sorted((SHARED_PAYLOADS / "vendors").glob("gcloud_*.json"))


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Return a session answered by aioclient_mock."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


def _incidents() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = load_json_fixture("google_cloud/incidents.json")
    return payload


def _products() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("google_cloud/products.json")
    return payload


def _snapshot(selected: frozenset[str] = frozenset(), incidents: Any = None) -> Any:
    return build_snapshot(
        parse_incidents(_incidents() if incidents is None else incidents, BASE),
        parse_products(_products()),
        selected,
        PAGE,
    )


class Clock:
    """A settable clock for the product list's schedule."""

    def __init__(self) -> None:
        """Start at a fixed time."""
        self.now = datetime(2026, 10, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        """Return the time."""
        return self.now


# --- parsing -----------------------------------------------------------------------


def test_products_parse() -> None:
    """Ids are strings (numbers too), titles cleaned; a repeated id keeps the first."""
    payload = _products()
    payload["products"].append({"id": COMPUTE, "title": "Duplicate"})
    payload["products"].append({"id": 42, "title": " - Numbered\n"})
    products = parse_products(payload)
    assert products[COMPUTE] == "Google Compute Engine"
    assert products["42"] == "Numbered"
    assert len(products) == 5


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param([], id="not-an-object"),
        pytest.param({}, id="missing-list"),
        pytest.param({"products": None}, id="null-list"),
        pytest.param({"products": [None]}, id="null-product"),
        pytest.param({"products": [{"id": "a"}]}, id="no-title"),
    ],
)
def test_bad_products_raise(payload: Any) -> None:
    """A product list of another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_products(payload)


def test_open_incidents_parse() -> None:
    """`end` null or absent is open; an ended incident is left out."""
    incidents = parse_incidents(_incidents(), BASE)
    assert [item.incident.id for item in incidents] == [
        "inc0OutageOpen000001",
        "inc1InfoOpen00000002",
    ]
    outage = incidents[0]
    assert outage.status is ComponentStatus.MAJOR_OUTAGE
    assert outage.raw_status == "SERVICE_OUTAGE"
    assert outage.products == ((COMPUTE, "Google Compute Engine"),)
    incident = outage.incident
    assert incident.name == "Compute Engine VM creation failures in us-central1"
    assert incident.status == "service_outage"
    assert incident.impact == "high"
    assert incident.url == f"{FEED_URL}/incidents/inc0OutageOpen000001"
    assert incident.started_at == datetime(2026, 10, 2, 8, 10, tzinfo=UTC)
    assert incident.created_at == datetime(2026, 10, 2, 8, 20, 11, tzinfo=UTC)
    assert incident.latest_update == "Mitigation in progress."
    assert incident.latest_update_id == "2026-10-02T09:05:42+00:00"
    assert incident.update_count == 2
    assert incidents[1].status is ComponentStatus.DEGRADED_PERFORMANCE
    assert incidents[1].incident.update_count == 0


def test_end_present_but_null_is_open() -> None:
    """`end: null` (and an empty `end`) keep an incident open; a date ends it."""
    item = _incidents()[2]
    item["end"] = None
    assert parse_incident(item, BASE) is not None
    item["end"] = ""
    assert parse_incident(item, BASE) is not None
    item["end"] = "2026-09-20T12:00:00+00:00"
    assert parse_incident(item, BASE) is None


def test_sparse_incident() -> None:
    """No products, no update, no uri, no description: defaults, never an error."""
    parsed = parse_incident(
        {
            "id": 7,
            "most_recent_update": None,
            "service_name": "Multiple Products",
            "status_impact": "SERVICE_CONFUSION",
            "affected_products": [{"id": "p1"}],
        },
        BASE,
    )
    assert parsed is not None
    assert parsed.incident.id == "7"
    assert parsed.incident.name == "Multiple Products"
    assert parsed.incident.status == "open"
    assert parsed.incident.impact == "service_confusion"
    assert parsed.incident.url == FEED_URL
    assert parsed.products == (("p1", "p1"),)
    assert parsed.status is ComponentStatus.UNKNOWN
    bare = parse_incident({"id": "x"}, BASE)
    assert bare is not None
    assert bare.incident.name == "x"
    assert bare.incident.impact == "unknown"
    assert bare.products == ()


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"incidents": []}, id="other-shape"),
        pytest.param(None, id="missing-list"),
        pytest.param([None], id="null-incident"),
        pytest.param([{"id": "a", "affected_products": [None]}], id="null-product"),
        pytest.param([{"id": "a", "most_recent_update": []}], id="update-not-object"),
        pytest.param([{"end": None}], id="no-id"),
    ],
)
def test_bad_incidents_raise(payload: Any) -> None:
    """An incident list of another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_incidents(payload, BASE)


def test_repeated_incident_keeps_the_first() -> None:
    """The same id twice: the first one is read."""
    incidents = _incidents()
    twin = {**incidents[0], "status_impact": "SERVICE_INFORMATION"}
    parsed = parse_incidents([incidents[0], twin], BASE)
    assert len(parsed) == 1
    assert parsed[0].status is ComponentStatus.MAJOR_OUTAGE


# --- the picked products -----------------------------------------------------------


def test_every_product_when_none_is_picked() -> None:
    """Every product is a component, with the worst status of its open incidents."""
    snapshot = _snapshot()
    assert {key: c.status for key, c in snapshot.components.items()} == {
        COMPUTE: ComponentStatus.MAJOR_OUTAGE,
        STORAGE: ComponentStatus.OPERATIONAL,
        BIGQUERY: ComponentStatus.DEGRADED_PERFORMANCE,
        GEMINI: ComponentStatus.OPERATIONAL,
    }
    assert snapshot.components[COMPUTE].raw_status == "SERVICE_OUTAGE"
    assert snapshot.components[STORAGE].raw_status is None
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.indicator == "SERVICE_OUTAGE"
    assert [i.components for i in snapshot.incidents] == [
        ("Google Compute Engine",),
        ("BigQuery",),
    ]


def test_an_incident_outside_the_picked_products_touches_nothing() -> None:
    """Picked: Storage and Gemini. The open incidents are elsewhere: all operational."""
    snapshot = _snapshot(frozenset({STORAGE, GEMINI}))
    assert set(snapshot.components) == {STORAGE, GEMINI}
    assert snapshot.incidents == ()
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert not snapshot.has_problem


def test_an_incident_lists_only_the_picked_products() -> None:
    """An incident over two products, one picked: it names only the picked one."""
    incidents = _incidents()
    incidents[2]["end"] = None
    snapshot = _snapshot(frozenset({GEMINI}), incidents)
    assert snapshot.components[GEMINI].status is ComponentStatus.PARTIAL_OUTAGE
    assert [i.components for i in snapshot.incidents] == [("Vertex Gemini API",)]


def test_an_incident_without_products_counts_only_for_all() -> None:
    """An incident naming no product: listed when nothing is picked, else ignored."""
    incidents = [{"id": "orphan", "status_impact": "SERVICE_DISRUPTION"}]
    everything = _snapshot(incidents=incidents)
    assert [i.id for i in everything.incidents] == ["orphan"]
    assert everything.incidents[0].components == ()
    assert everything.overall_status is ComponentStatus.PARTIAL_OUTAGE
    assert all(
        c.status is ComponentStatus.OPERATIONAL for c in everything.components.values()
    )
    picked = _snapshot(frozenset({COMPUTE}), incidents)
    assert picked.incidents == ()
    assert picked.overall_status is ComponentStatus.OPERATIONAL


def test_products_only_in_incidents_and_unknown_picks() -> None:
    """A product the list lacks comes from its incident; a picked id nobody names is none."""
    incidents = [
        {
            "id": "new",
            "status_impact": "SERVICE_WEIRD",
            "affected_products": [{"id": "fresh", "title": "Fresh Product"}],
        }
    ]
    snapshot = _snapshot(frozenset({"fresh", "gone"}), incidents)
    assert list(snapshot.components) == ["fresh"]
    fresh = snapshot.components["fresh"]
    assert fresh.name == "Fresh Product"
    assert fresh.status is ComponentStatus.UNKNOWN
    assert fresh.raw_status == "SERVICE_WEIRD"


# --- the client --------------------------------------------------------------------


def _answer(
    aioclient_mock: AiohttpClientMocker,
    incidents: Any = None,
    products: Any = None,
    **extra: Any,
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        INCIDENTS,
        **(extra or {"json": _incidents() if incidents is None else incidents}),
    )
    if isinstance(products, dict) and "status" in products:
        aioclient_mock.get(PRODUCTS, **products)
    else:
        aioclient_mock.get(PRODUCTS, json=products or _products())


def _urls(aioclient_mock: AiohttpClientMocker) -> list[str]:
    return [str(call[1]) for call in aioclient_mock.mock_calls]


async def test_first_poll_reads_products_then_incidents(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """Products, then incidents; an unchanged body later is None, without products."""
    _answer(aioclient_mock)
    client = GoogleCloudClient(session, FEED_URL, [COMPUTE], clock=Clock())
    snapshot = await client.async_get_snapshot()
    assert snapshot is not None
    assert list(snapshot.components) == [COMPUTE]
    assert snapshot.page.url == f"{FEED_URL}/"
    assert _urls(aioclient_mock) == [PRODUCTS, INCIDENTS]

    _answer(aioclient_mock)
    assert await client.async_get_snapshot() is None
    assert _urls(aioclient_mock) == [INCIDENTS]


async def test_conditional_requests(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """An ETag is sent back; a 304 is None; a 304 before any body is an error."""
    aioclient_mock.get(INCIDENTS, json=_incidents(), headers={"ETag": '"v1"'})
    aioclient_mock.get(PRODUCTS, json=_products())
    client = GoogleCloudClient(session, clock=Clock())
    assert await client.async_get_snapshot() is not None
    _answer(aioclient_mock, status=304)
    assert await client.async_get_snapshot() is None
    assert aioclient_mock.mock_calls[0][3]["If-None-Match"] == '"v1"'

    fresh = GoogleCloudClient(session, clock=Clock())
    fresh.products = {}
    fresh._products_due = datetime.max.replace(tzinfo=UTC)
    with pytest.raises(CloudStatusParseError, match="never read"):
        await fresh.async_get_snapshot()


async def test_products_are_read_daily_and_a_change_is_a_new_snapshot(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """After a day the list is read again (with its validator); a new product shows."""
    clock = Clock()
    aioclient_mock.get(INCIDENTS, json=_incidents())
    aioclient_mock.get(PRODUCTS, json=_products(), headers={"ETag": '"p1"'})
    client = GoogleCloudClient(session, clock=clock)
    await client.async_get_snapshot()

    clock.now += timedelta(hours=23)
    _answer(aioclient_mock)
    assert await client.async_get_snapshot() is None
    assert _urls(aioclient_mock) == [INCIDENTS]

    clock.now += timedelta(hours=2)
    products = _products()
    products["products"].append({"id": "new1", "title": "Cloud Run"})
    # The incidents answer 304: the body read before is used with the new list.
    _answer(aioclient_mock, products=products, status=304)
    snapshot = await client.async_get_snapshot()
    assert snapshot is not None
    assert snapshot.components["new1"].name == "Cloud Run"
    assert aioclient_mock.mock_calls[0][3]["If-None-Match"] == '"p1"'

    clock.now += timedelta(days=1, seconds=1)
    _answer(aioclient_mock, products={"status": 304})
    assert await client.async_get_snapshot() is None
    assert _urls(aioclient_mock) == [PRODUCTS, INCIDENTS]


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 500}, id="server-error"),
        pytest.param({"status": 200, "text": "<html>wall</html>"}, id="html"),
        pytest.param({"status": 200, "json": {"items": []}}, id="other-shape"),
    ],
)
async def test_a_failing_product_list_keeps_the_cached_one(
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    failure: dict[str, Any],
) -> None:
    """The incidents answer, the products fail: the list read before stays; retry in an hour."""
    clock = Clock()
    _answer(aioclient_mock)
    client = GoogleCloudClient(session, clock=clock)
    await client.async_get_snapshot()

    clock.now += timedelta(days=2)
    incidents = _incidents()
    incidents[1]["end"] = "2026-10-02T11:00:00+00:00"
    _answer(aioclient_mock, incidents, products=failure)
    snapshot = await client.async_get_snapshot()
    assert snapshot is not None
    assert len(snapshot.components) == 4
    assert snapshot.components[BIGQUERY].status is ComponentStatus.OPERATIONAL

    clock.now += timedelta(minutes=30)
    _answer(aioclient_mock, incidents)
    await client.async_get_snapshot()
    assert _urls(aioclient_mock) == [INCIDENTS]
    clock.now += timedelta(minutes=31)
    _answer(aioclient_mock, incidents)
    await client.async_get_snapshot()
    assert _urls(aioclient_mock) == [PRODUCTS, INCIDENTS]


async def test_a_failing_product_list_without_a_cache_fails_the_poll(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """At set-up there is no list to keep: the poll fails."""
    _answer(aioclient_mock, products={"status": 503})
    client = GoogleCloudClient(session, clock=Clock())
    with pytest.raises(CloudStatusServerError):
        await client.async_get_snapshot()


async def test_a_bot_wall_is_a_refusal(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """HTML where the incidents should be: a refusal (access_denied), not a parse error."""
    _answer(aioclient_mock, text="  <!DOCTYPE html><title>Sorry</title>")
    with pytest.raises(CloudStatusAuthError):
        await GoogleCloudClient(session, clock=Clock()).async_get_snapshot()


async def test_the_client_reads_its_url_from_the_entry(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """A feed at another base (the demo, the bench) is read there."""
    base = "http://127.0.0.1:8099/google_cloud/"
    aioclient_mock.get(f"{base}products.json", json=_products())
    aioclient_mock.get(f"{base}incidents.json", json=[])
    snapshot = await GoogleCloudClient(session, base).async_get_snapshot()
    assert snapshot is not None
    assert snapshot.page.url == base


# --- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("status.cloud.google.com", True),
        ("https://status.cloud.google.com/incidents.json", True),
        ("HTTPS://Status.Cloud.Google.com/summary", True),
        ("cloud.google.com", False),
        ("status.example.com", False),
        ("https://", False),
    ],
)
def test_claims(raw: str, expected: bool) -> None:
    """Only the dashboard's host is claimed."""
    assert claims(raw) is expected


async def test_detect(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """Another host is not asked; the dashboard's is read once, with its products."""
    other = "status.example.com"
    assert await detect(Probe(session, other, detection_base_url(other))) is None
    assert aioclient_mock.call_count == 0

    _answer(aioclient_mock)
    raw = "status.cloud.google.com/"
    found = await detect(Probe(session, raw, detection_base_url(raw)))
    assert found is not None
    detected, products = found
    assert (detected.key, detected.title, detected.url) == (
        "all",
        "Google Cloud",
        FEED_URL,
    )
    assert products[GEMINI] == "Vertex Gemini API"


# --- the real bodies ---------------------------------------------------------------


@pytest.mark.skipif(not SHARED_GCLOUD, reason="../shared/payloads is absent")
@pytest.mark.parametrize("path", SHARED_GCLOUD, ids=lambda path: path.name)
async def test_real_bodies(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession, path: Any
) -> None:
    """The recorded feed parses; reopened, its products turn degraded."""
    body = json.loads(path.read_text(encoding="utf-8"))
    products = {
        "products": [
            product for incident in body for product in incident["affected_products"]
        ]
    }
    _answer(aioclient_mock, body, products=products)
    snapshot = await GoogleCloudClient(session, clock=Clock()).async_get_snapshot()
    assert snapshot is not None
    assert snapshot.incidents == ()
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    reopened = [{**incident, "end": None} for incident in body]
    opened = build_snapshot(
        parse_incidents(reopened, BASE), parse_products(products), frozenset(), PAGE
    )
    assert opened.overall_status is ComponentStatus.DEGRADED_PERFORMANCE
    assert {i.name for i in opened.incidents} == {
        incident["external_desc"] for incident in body
    }
