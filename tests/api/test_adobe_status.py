"""The Adobe Status API client: registry, messages, events-to-snapshot, requests per poll."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncGenerator
import copy
from datetime import UTC, datetime
from functools import partial
import json
from pathlib import Path
import re
import time
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
import yaml
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
from custom_components.cloud_status.api.adobe_ims import (
    DEFAULT_IMS_HOST,
    ImsTokenProvider,
)
from custom_components.cloud_status.api.adobe_status import (
    REGISTRY_REFRESH,
    STATUS_API_KEY,
    STATUS_API_URL,
    STATUS_PAGE_URL,
    AdobeMessages,
    AdobeProduct,
    AdobeStatusClient,
    locale_candidates,
    parse_clouds,
    parse_events,
    parse_messages,
    parse_products,
)
from tests.conftest import SHARED_PAYLOADS, load_fixture, load_json_fixture

BASE = str(STATUS_API_URL)
ANALYTICS = "503462"
TARGET = "503467"
AEM = "503470"
PHOTOSHOP = "503474"
ILLUSTRATOR = "503476"
EXPRESS = "503478"
ACROBAT_SIGN = "503480"
ACROBAT = "503482"
DEVELOPER_CONSOLE = "503490"
RETIRED = "503499"

# Sorted by cloud name (Creative < Document < Experience), then product name; no cloud last.
SORTED_PRODUCTS = [
    AdobeProduct(EXPRESS, "Adobe Express", "503459", "Adobe Creative Cloud"),
    AdobeProduct(ILLUSTRATOR, "Adobe Illustrator", "503459", "Adobe Creative Cloud"),
    AdobeProduct(PHOTOSHOP, "Adobe Photoshop", "503459", "Adobe Creative Cloud"),
    AdobeProduct(ACROBAT, "Adobe Acrobat", "503461", "Adobe Document Cloud"),
    AdobeProduct(ACROBAT_SIGN, "Adobe Acrobat Sign", "503461", "Adobe Document Cloud"),
    AdobeProduct(ANALYTICS, "Adobe Analytics", "503457", "Adobe Experience Cloud"),
    AdobeProduct(AEM, "Adobe Experience Manager", "503457", "Adobe Experience Cloud"),
    AdobeProduct(TARGET, "Adobe Target", "503457", "Adobe Experience Cloud"),
    AdobeProduct(DEVELOPER_CONSOLE, "Adobe Developer Console"),
]


def _utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- fakes ---------------------------------------------------------------------------


class FakeTokenProvider(ImsTokenProvider):
    """Hand out token-1, token-2, ... without IMS."""

    _method = "fake"

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Start with no token issued."""
        super().__init__(
            session, ims_host=DEFAULT_IMS_HOST, clock=time.monotonic, cache_key="fake"
        )
        self.issued = 0

    async def _async_request_token(self) -> tuple[str, float]:
        self.issued += 1
        return f"token-{self.issued}", 86400.0


def _response(
    url: URL, status: int = 200, body: Any = None, headers: dict[str, str] | None = None
) -> AiohttpClientMockResponse:
    if body is None:
        text = ""
    elif isinstance(body, str):
        text = body
    else:
        text = json.dumps(body)
    return AiohttpClientMockResponse(
        "get", url, status=status, text=text, headers=headers or {}
    )


class FakeStatusApi:
    """status.adobe.io: a JSON body per path, queued errors first, else 404."""

    def __init__(self, mocker: AiohttpClientMocker) -> None:
        """Serve the recorded-style fixtures for every status.adobe.io path."""
        self.mocker = mocker
        self.bodies: dict[str, Any] = {
            "clouds": load_json_fixture("adobe_status_clouds.json"),
            "products": load_json_fixture("adobe_status_products.json"),
            "messages/en": load_json_fixture("adobe_status_messages_en.json"),
            "events": load_json_fixture("adobe_status_events.json"),
        }
        self.queue: dict[str, list[AiohttpClientMockResponse]] = defaultdict(list)
        mocker.get(
            re.compile(r"^https://status\.adobe\.io/api/v1/"), side_effect=self._answer
        )

    async def _answer(
        self, method: str, url: URL, data: Any
    ) -> AiohttpClientMockResponse:
        path = url.path.removeprefix("/api/v1/")
        if self.queue[path]:
            return self.queue[path].pop(0)
        if path in self.bodies:
            return _response(url, body=self.bodies[path])
        return _response(url, status=404)

    def fail(self, path: str, status: int, body: Any = None, **headers: str) -> None:
        """Answer the next request for `path` with an error."""
        self.queue[path].append(_response(URL(f"{BASE}/{path}"), status, body, headers))

    @property
    def urls(self) -> list[URL]:
        """Return the URL of every request so far."""
        return [call[1] for call in self.mocker.mock_calls]

    @property
    def paths(self) -> list[str]:
        """Return the path below /api/v1/ of every request so far."""
        return [url.path.removeprefix("/api/v1/") for url in self.urls]

    def clear(self) -> None:
        """Forget the requests so far."""
        self.mocker.mock_calls.clear()


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at an arbitrary moment."""
        self.now = 5000.0

    def __call__(self) -> float:
        """Return the current reading."""
        return self.now


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a session whose requests the mocker answers."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


@pytest.fixture
def api(aioclient_mock: AiohttpClientMocker) -> FakeStatusApi:
    """Return the fake Status API."""
    return FakeStatusApi(aioclient_mock)


@pytest.fixture
def tokens(session: aiohttp.ClientSession) -> FakeTokenProvider:
    """Return the fake token provider."""
    return FakeTokenProvider(session)


@pytest.fixture
def clock() -> FakeClock:
    """Return a hand-driven clock."""
    return FakeClock()


@pytest.fixture
def client(
    session: aiohttp.ClientSession, tokens: FakeTokenProvider, clock: FakeClock
) -> AdobeStatusClient:
    """Return a client in English on the fake clock."""
    return AdobeStatusClient(session, tokens, clock=clock)


def _products() -> list[AdobeProduct]:
    return parse_products(
        load_json_fixture("adobe_status_clouds.json"),
        load_json_fixture("adobe_status_products.json"),
    )


def _messages() -> AdobeMessages:
    return parse_messages(load_json_fixture("adobe_status_messages_en.json"))


def _event_product(product_id: str = ANALYTICS, **fields: Any) -> dict[str, Any]:
    product: dict[str, Any] = {
        "id": product_id,
        "name": "Adobe Analytics",
        "severity": "Major",
        "status": "Opened",
        "startedOn": 1793952000000,
        "history": [],
    }
    product.update(fields)
    return product


def _incident(*products: dict[str, Any], incident_id: str = "INC-1") -> dict[str, Any]:
    return {"id": incident_id, "products": list(products or (_event_product(),))}


def _maintenance(
    status: str | None = "Scheduled", *products: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "MNT-1",
        "products": list(products or ({"id": AEM, "name": "AEM", "history": []},)),
    }
    if status is not None:
        item["status"] = status
    item.update(fields)
    return item


def _snapshot(
    incidents: list[dict[str, Any]] | None = None,
    maintenances: list[dict[str, Any]] | None = None,
    selected: tuple[str, ...] = (),
) -> StatusSnapshot:
    return parse_events(
        {"incidents": incidents or [], "maintenances": maintenances or []},
        _products(),
        selected,
        _messages(),
    )


# --- registry -------------------------------------------------------------------------


async def test_get_clouds(
    client: AdobeStatusClient, api: FakeStatusApi, tokens: FakeTokenProvider
) -> None:
    """/clouds gives (id, name) pairs, asked with the bearer token and the API key."""
    clouds = await client.async_get_clouds()

    assert clouds == [
        ("503457", "Adobe Experience Cloud"),
        ("503459", "Adobe Creative Cloud"),
        ("503461", "Adobe Document Cloud"),
    ]
    assert len(api.mocker.mock_calls) == 1
    method, url, _, headers = api.mocker.mock_calls[0]
    assert method == "GET"
    assert url == URL(f"{BASE}/clouds?api_key={STATUS_API_KEY}")
    assert headers["Authorization"] == "Bearer token-1"
    assert tokens.issued == 1


async def test_get_products(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """Products carry their cloud and are sorted by cloud, then product name."""
    products = await client.async_get_products()

    assert products == SORTED_PRODUCTS
    assert products[-1] == AdobeProduct(DEVELOPER_CONSOLE, "Adobe Developer Console")
    assert RETIRED not in {product.id for product in products}
    assert api.paths == ["clouds", "products"]
    assert all(url.query["api_key"] == STATUS_API_KEY for url in api.urls)


def test_parse_products_tolerates_odd_entries() -> None:
    """Repeats, missing names and odd cloud entries do not break the product list."""
    clouds = [
        {"id": "c1", "cloudProducts": [{"id": "p1"}, "p2", {"name": "no id"}, None]},
        {"id": "c2", "name": "Second", "cloudProducts": [{"id": "p1"}, {"id": "p2"}]},
        {"id": "c3", "name": "Third", "cloudProducts": None},
    ]
    products = [
        {"id": "p1", "name": " - First product"},
        {"id": "p1", "name": "Repeated"},
        {"id": "p2"},
        {"id": 17, "name": "Numeric id"},
    ]

    assert parse_products(clouds, products) == [
        AdobeProduct("p1", "First product", "c1", "c1"),
        AdobeProduct("p2", "p2", "c2", "Second"),
        AdobeProduct("17", "Numeric id"),
    ]
    assert parse_clouds(clouds) == [("c1", "c1"), ("c2", "Second"), ("c3", "Third")]


@pytest.mark.parametrize(
    ("clouds", "products"),
    [
        ({"clouds": []}, []),
        (["not an object"], []),
        ([{"name": "no id"}], []),
        ([], {"products": []}),
        ([], [17]),
        ([], [{"name": "no id"}]),
        ([{"id": "c", "cloudProducts": "p1"}], []),
    ],
)
def test_parse_registry_rejects_wrong_shapes(clouds: Any, products: Any) -> None:
    """Wrong JSON types and missing ids are parse errors, never KeyError/TypeError."""
    with pytest.raises(CloudStatusParseError):
        parse_products(clouds, products)


async def test_registry_not_json(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """An HTML page instead of JSON is a parse error."""
    api.bodies["clouds"] = "<html><body>Gateway</body></html>"

    with pytest.raises(CloudStatusParseError):
        await client.async_get_clouds()


# --- messages and locales ---------------------------------------------------------------


def test_parse_messages() -> None:
    """Texts are found by map key and by their token; html-only or odd entries are skipped."""
    payload = [
        {
            "languageCode": "en",
            "incidentMessages": {
                "key.a": {"token": "token.a", "textMessage": " Text A "},
                "key.b": {"htmlMessage": "<p>only html</p>"},
                "key.c": "not an object",
            },
            "maintenanceMessages": None,
        },
        {
            "incidentMessages": {"key.a": {"textMessage": "Ignored repeat"}},
            "maintenanceMessages": {"m.1": {"textMessage": "Maintenance one"}},
        },
    ]
    messages = parse_messages(payload)

    assert messages.incident == {"key.a": "Text A", "token.a": "Text A"}
    assert messages.maintenance == {"m.1": "Maintenance one"}
    assert messages.incident_text("token.a") == "Text A"
    assert messages.incident_text("m.1") == "Maintenance one"
    assert messages.maintenance_text("key.a") == "Text A"
    assert messages.incident_text("key.b") is None
    assert messages.incident_text(None) is None
    assert messages.maintenance_text("") is None
    assert messages
    assert not AdobeMessages()
    assert not parse_messages([])


@pytest.mark.parametrize("payload", [{"incidentMessages": {}}, ["entry"], "text"])
def test_parse_messages_rejects_wrong_shapes(payload: Any) -> None:
    """A messages answer that is not a list of objects is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_messages(payload)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ("en",)),
        ("de", ("de", "en")),
        ("en-GB", ("en-GB", "en")),
        ("de-AT", ("de-AT", "de", "en")),
        ("zh_Hans", ("zh_Hans", "zh", "en")),
        (" fr ", ("fr", "en")),
        ("../../secret", ("en",)),
        ("", ("en",)),
    ],
)
def test_locale_candidates(locale: str, expected: tuple[str, ...]) -> None:
    """The given locale, then its language, then English; odd input means English."""
    assert locale_candidates(locale) == expected


async def test_locale_used_when_available(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakeStatusApi,
) -> None:
    """German texts are used when /messages/de has them; unknown tokens fall back."""
    api.bodies["messages/de"] = load_json_fixture("adobe_status_messages_de.json")
    client = AdobeStatusClient(session, tokens, locale="de")

    snapshot = await client.async_get_snapshot([ANALYTICS, AEM])

    assert api.paths == ["clouds", "products", "messages/de", "events"]
    assert client.messages_locale == "de"
    incident = snapshot.incidents[0]
    assert incident.name == "Berichte sind nicht verfügbar"
    assert incident.latest_update == (
        "Die Ursache wurde gefunden; eine Korrektur wird ausgerollt."
    )
    assert snapshot.maintenances[0].name == "Datenbank-Upgrade"
    assert snapshot.maintenances[0].latest_update is None


@pytest.mark.parametrize(
    ("locale", "de_answer", "expected_paths"),
    [
        ("de", 404, ["messages/de", "messages/en"]),
        ("de", [], ["messages/de", "messages/en"]),
        ("de", [{"languageCode": "de"}], ["messages/de", "messages/en"]),
        ("en-GB", None, ["messages/en-GB", "messages/en"]),
        ("de-AT", None, ["messages/de-AT", "messages/de", "messages/en"]),
    ],
    ids=["de-404", "de-empty-list", "de-no-texts", "en-GB", "de-AT"],
)
async def test_locale_falls_back_to_english(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakeStatusApi,
    locale: str,
    de_answer: Any,
    expected_paths: list[str],
) -> None:
    """A locale that is missing (404) or empty falls back to English texts."""
    if isinstance(de_answer, list):
        api.bodies["messages/de"] = de_answer
    client = AdobeStatusClient(session, tokens, locale=locale)

    snapshot = await client.async_get_snapshot([ANALYTICS])

    assert [
        path for path in api.paths if path.startswith("messages/")
    ] == expected_paths
    assert client.messages_locale == "en"
    assert snapshot.incidents[0].name == "Reporting is unavailable"


async def test_locale_refused_with_400_falls_back(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakeStatusApi,
) -> None:
    """A locale the API answers with 400 is skipped like a missing one."""
    api.bodies["messages/de"] = load_json_fixture("adobe_status_messages_de.json")
    api.fail("messages/de-AT", 400)
    client = AdobeStatusClient(session, tokens, locale="de-AT")

    snapshot = await client.async_get_snapshot([ANALYTICS])

    assert [path for path in api.paths if path.startswith("messages/")] == [
        "messages/de-AT",
        "messages/de",
    ]
    assert client.messages_locale == "de"
    assert snapshot.incidents[0].name == "Berichte sind nicht verfügbar"


async def test_every_locale_refused_with_400_means_no_texts(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakeStatusApi,
) -> None:
    """400 for the locale, its language and English: the poll works without texts."""
    for path in ("messages/de-AT", "messages/de", "messages/en"):
        api.fail(path, 400)
    client = AdobeStatusClient(session, tokens, locale="de-AT")

    snapshot = await client.async_get_snapshot([ANALYTICS])

    assert client.messages_locale is None
    assert snapshot.incidents[0].name == "Adobe incident INC-1001"


async def test_no_texts_anywhere(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """Without any messages, names fall back to the event ids and the poll works."""
    del api.bodies["messages/en"]

    snapshot = await client.async_get_snapshot([ANALYTICS, AEM])

    assert client.messages_locale is None
    assert snapshot.incidents[0].name == "Adobe incident INC-1001"
    assert snapshot.incidents[0].latest_update is None
    assert snapshot.maintenances[0].name == "Adobe maintenance MNT-2001"


async def test_messages_error_fails_the_poll_and_is_retried(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """A server error on /messages fails this poll; the next poll asks again."""
    api.fail("messages/en", 500)

    with pytest.raises(CloudStatusServerError):
        await client.async_get_snapshot([])
    api.clear()
    snapshot = await client.async_get_snapshot([])

    assert api.paths == ["messages/en", "events"]
    assert snapshot.incidents[0].name == "Reporting is unavailable"


# --- polls and requests ------------------------------------------------------------------


async def test_requests_per_poll_and_daily_refresh(
    client: AdobeStatusClient, api: FakeStatusApi, clock: FakeClock
) -> None:
    """First poll: registry, texts, events. Then one request per poll until a day passed."""
    await client.async_get_snapshot([ANALYTICS])
    assert api.paths == ["clouds", "products", "messages/en", "events"]

    for _ in range(3):
        api.clear()
        clock.now += 120
        await client.async_get_snapshot([ANALYTICS])
        assert api.paths == ["events"]

    api.clear()
    clock.now += REGISTRY_REFRESH
    await client.async_get_snapshot([ANALYTICS])
    assert api.paths == ["clouds", "products", "messages/en", "events"]

    api.clear()
    await client.async_get_snapshot([ANALYTICS])
    assert api.paths == ["events"]


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("clouds", 503, CloudStatusServerError),
        ("products", 429, CloudStatusRateLimitError),
        ("products", 400, CloudStatusServerError),
        ("products", 404, CloudStatusNotFoundError),
    ],
)
async def test_failed_product_refresh_keeps_the_old_list(
    client: AdobeStatusClient,
    api: FakeStatusApi,
    clock: FakeClock,
    path: str,
    status: int,
    error: type[CloudStatusError],
) -> None:
    """A day later the refresh fails: the poll uses the old list, the next one retries."""
    await client.async_get_snapshot([])
    api.bodies["products"] = [{"id": ANALYTICS, "name": "Adobe Analytics Renamed"}]
    clock.now += REGISTRY_REFRESH
    api.clear()
    api.fail(path, status)

    stale = await client.async_get_snapshot([])

    assert api.paths == [
        *(["clouds"] if path == "clouds" else ["clouds", "products"]),
        "messages/en",
        "events",
    ]
    assert list(stale.components) == [product.id for product in SORTED_PRODUCTS]
    assert stale.components[ANALYTICS].name == "Adobe Analytics"

    api.clear()
    clock.now += 120
    fresh = await client.async_get_snapshot([])

    assert api.paths == ["clouds", "products", "events"]
    assert list(fresh.components) == [ANALYTICS]
    assert fresh.components[ANALYTICS].name == "Adobe Analytics Renamed"
    # The error type is what the poll would have raised without an old list.
    api.fail(path, status)
    with pytest.raises(error):
        await client.async_get_products()


@pytest.mark.parametrize(
    ("status", "headers"),
    [(500, {}), (429, {"Retry-After": "30"}), (404, {})],
    ids=["500", "429", "404-on-the-fallback-too"],
)
async def test_failed_messages_refresh_keeps_the_old_texts(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    api: FakeStatusApi,
    clock: FakeClock,
    status: int,
    headers: dict[str, str],
) -> None:
    """A failed daily refresh of the texts keeps the old ones; the next poll retries."""
    api.bodies["messages/de"] = load_json_fixture("adobe_status_messages_de.json")
    client = AdobeStatusClient(session, tokens, locale="de", clock=clock)
    await client.async_get_snapshot([ANALYTICS])
    clock.now += REGISTRY_REFRESH
    api.clear()
    if status == 404:
        # de is gone and English fails: an error, not "no texts".
        del api.bodies["messages/de"]
        api.fail("messages/en", 500)
    else:
        api.fail("messages/de", status, **headers)

    stale = await client.async_get_snapshot([ANALYTICS])

    assert "events" in api.paths
    assert client.messages_locale == "de"
    assert stale.incidents[0].name == "Berichte sind nicht verfügbar"

    api.clear()
    clock.now += 120
    retried = await client.async_get_snapshot([ANALYTICS])

    assert [path for path in api.paths if path.startswith("messages/")]
    if status == 404:
        assert client.messages_locale == "en"
        assert retried.incidents[0].name == "Reporting is unavailable"
    else:
        assert client.messages_locale == "de"
        assert retried.incidents[0].name == "Berichte sind nicht verfügbar"

    api.clear()
    clock.now += 120
    await client.async_get_snapshot([ANALYTICS])
    assert api.paths == ["events"]


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("path", ["clouds", "products", "messages/en"])
async def test_refused_refresh_fails_the_poll_despite_a_copy(
    client: AdobeStatusClient,
    api: FakeStatusApi,
    clock: FakeClock,
    path: str,
    status: int,
) -> None:
    """Refused credentials on a daily refresh always reach the caller.

    A 401 is retried once with a fresh token; a 403 is not (a new token would not help).
    """
    await client.async_get_snapshot([])
    clock.now += REGISTRY_REFRESH
    api.clear()
    for _ in range(2):
        api.fail(path, status)

    with pytest.raises(CloudStatusAuthError) as caught:
        await client.async_get_snapshot([])

    assert caught.value.status == status
    assert "events" not in api.paths
    assert api.paths.count(path) == (2 if status == 401 else 1)


async def test_first_product_list_error_fails_the_poll(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Without a product list to fall back to, a registry error fails the poll."""
    api.fail("products", 503)

    with pytest.raises(CloudStatusServerError) as caught:
        await client.async_get_snapshot([])

    assert caught.value.status == 503
    assert api.paths == ["clouds", "products"]


async def test_product_list_refresh_counts_for_the_poll(
    client: AdobeStatusClient, api: FakeStatusApi, clock: FakeClock
) -> None:
    """Products fetched by the config flow's call are not fetched again by the poll."""
    await client.async_get_products()
    api.clear()

    await client.async_get_snapshot([])

    assert api.paths == ["messages/en", "events"]


async def test_events_query(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """The selected ids go as repeated productIds (no repeats), with the API key."""
    await client.async_get_snapshot([PHOTOSHOP, ANALYTICS, PHOTOSHOP])

    events_url = api.urls[-1]
    assert events_url.path == "/api/v1/events"
    assert events_url.query.getall("productIds") == [PHOTOSHOP, ANALYTICS]
    assert events_url.query.getall("api_key") == [STATUS_API_KEY]
    headers = api.mocker.mock_calls[-1][3]
    assert headers["Authorization"] == "Bearer token-1"


async def test_events_query_without_selection(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """No selection: no productIds filter at all."""
    await client.async_get_snapshot([])

    assert "productIds" not in api.urls[-1].query
    assert api.urls[-1].query["api_key"] == STATUS_API_KEY


async def test_custom_base_url(
    session: aiohttp.ClientSession,
    tokens: FakeTokenProvider,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Another base URL (a proxy, a test server) is used for every path."""
    aioclient_mock.get("http://127.0.0.1:8080/status/api/v1/clouds", json=[])
    client = AdobeStatusClient(
        session, tokens, base_url=URL("http://127.0.0.1:8080/status/api/v1")
    )

    assert await client.async_get_clouds() == []
    assert aioclient_mock.mock_calls[0][1].query["api_key"] == STATUS_API_KEY
    assert "token" not in repr(client)
    assert "127.0.0.1:8080" in repr(client)


async def test_product_disappears(
    client: AdobeStatusClient, api: FakeStatusApi, clock: FakeClock
) -> None:
    """A selected product missing from the refreshed list is simply not a component."""
    first = await client.async_get_snapshot([ANALYTICS, TARGET])
    assert list(first.components) == [ANALYTICS, TARGET]

    api.bodies["products"] = [
        product for product in api.bodies["products"] if product["id"] != TARGET
    ]
    clock.now += REGISTRY_REFRESH
    second = await client.async_get_snapshot([ANALYTICS, TARGET])

    assert list(second.components) == [ANALYTICS]
    assert second.components[ANALYTICS].status is ComponentStatus.MAJOR_OUTAGE
    # The incident still names the product as the event does.
    assert second.incidents[0].components == ("Adobe Analytics", "Adobe Target")


async def test_unknown_selected_id_is_ignored(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """An id that is not in the product list gives no component and no error."""
    snapshot = await client.async_get_snapshot(["999999", ILLUSTRATOR])

    assert list(snapshot.components) == [ILLUSTRATOR]
    assert snapshot.components[ILLUSTRATOR].status is ComponentStatus.OPERATIONAL


# --- the events fixture, end to end ------------------------------------------------------


async def test_snapshot_of_all_products(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Every product is a component with the worst status its open events give."""
    snapshot = await client.async_get_snapshot([])

    assert snapshot.page.id == "adobe_status"
    assert snapshot.page.name == "Adobe Status"
    assert snapshot.page.url == STATUS_PAGE_URL
    assert list(snapshot.components) == [product.id for product in SORTED_PRODUCTS]
    statuses = {
        product_id: (component.status, component.raw_status)
        for product_id, component in snapshot.components.items()
    }
    assert statuses == {
        ANALYTICS: (ComponentStatus.MAJOR_OUTAGE, "Major"),
        TARGET: (ComponentStatus.PARTIAL_OUTAGE, "Minor"),
        AEM: (ComponentStatus.UNDER_MAINTENANCE, "Started"),
        PHOTOSHOP: (ComponentStatus.DEGRADED_PERFORMANCE, "Potential"),
        ILLUSTRATOR: (ComponentStatus.OPERATIONAL, None),
        EXPRESS: (ComponentStatus.DEGRADED_PERFORMANCE, "Trivial"),
        ACROBAT_SIGN: (ComponentStatus.UNKNOWN, "Critical"),
        ACROBAT: (ComponentStatus.OPERATIONAL, None),
        DEVELOPER_CONSOLE: (ComponentStatus.OPERATIONAL, None),
    }
    analytics = snapshot.components[ANALYTICS]
    assert analytics.name == "Adobe Analytics"
    assert analytics.description == "Adobe Experience Cloud"
    assert analytics.group_id is None
    assert analytics.group_name is None
    assert not analytics.is_group
    assert snapshot.components[DEVELOPER_CONSOLE].description is None
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.has_problem


async def test_snapshot_incidents(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Open incidents only, with texts, newest update, impact and affected products."""
    snapshot = await client.async_get_snapshot([])

    assert [incident.id for incident in snapshot.incidents] == [
        "INC-1001",
        "INC-1002",
        "INC-1003",
        "INC-1006",
    ]
    reporting, documents, templates, unknown = snapshot.incidents

    assert reporting.name == "Reporting is unavailable"
    assert reporting.status == "opened"
    assert reporting.impact == "major"
    assert reporting.url == STATUS_PAGE_URL
    assert reporting.started_at == _utc(2026, 11, 6, 8, 0)
    assert reporting.updated_at == _utc(2026, 11, 6, 8, 45)
    assert reporting.components == ("Adobe Analytics", "Adobe Target")
    assert reporting.latest_update == (
        "The cause has been identified and a fix is being deployed."
    )
    assert reporting.latest_update_id == "u-1001-2"
    assert reporting.update_count == 2  # shared by both products, counted once

    assert documents.name == "Cloud documents may fail to sync"
    assert documents.status == "discovery"
    assert documents.impact == "potential"
    assert documents.started_at == _utc(2026, 11, 6, 9, 30)
    assert documents.updated_at == _utc(2026, 11, 6, 9, 30)

    assert templates.impact == "trivial"
    assert templates.started_at == _utc(2026, 11, 6, 10, 0)
    assert templates.updated_at == _utc(2026, 11, 6, 10, 15)
    assert templates.latest_update == "We are monitoring the situation."
    assert templates.latest_update_id == "u-1003-2"
    assert templates.update_count == 2

    assert unknown.name == "Adobe incident INC-1006"
    assert unknown.impact == "critical"
    assert unknown.latest_update is None
    assert unknown.components == ("Adobe Acrobat Sign",)


async def test_snapshot_maintenances(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Started and Scheduled windows are kept; Completed and Canceled ones are not."""
    snapshot = await client.async_get_snapshot([])

    assert [maintenance.id for maintenance in snapshot.maintenances] == [
        "MNT-2001",
        "MNT-2002",
    ]
    upgrade, network = snapshot.maintenances
    assert upgrade.name == "Database upgrade"
    assert upgrade.status == "started"
    assert upgrade.phase is MaintenancePhase.IN_PROGRESS
    assert upgrade.impact == "maintenance"
    assert upgrade.url == STATUS_PAGE_URL
    assert upgrade.starts_at == _utc(2026, 11, 6, 7, 0)
    assert upgrade.ends_at is None
    assert upgrade.updated_at == _utc(2026, 11, 6, 7, 0)
    assert upgrade.components == ("Adobe Experience Manager",)
    assert upgrade.latest_update == "Maintenance is in progress."
    assert upgrade.latest_update_id == "m-2001-2"

    assert network.name == "Network maintenance"
    assert network.phase is MaintenancePhase.SCHEDULED
    assert network.starts_at == _utc(2026, 11, 10, 2, 0)
    assert network.components == ("Adobe Photoshop", "Adobe Acrobat")
    assert network.latest_update == "Maintenance is scheduled."

    assert snapshot.maintenance_in_progress
    assert snapshot.upcoming_maintenances == (network,)


async def test_snapshot_of_a_selection(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Components and event products are limited to the selection."""
    snapshot = await client.async_get_snapshot([TARGET, ACROBAT])

    assert list(snapshot.components) == [ACROBAT, TARGET]
    assert [incident.id for incident in snapshot.incidents] == ["INC-1001"]
    assert snapshot.incidents[0].components == ("Adobe Target",)
    assert snapshot.incidents[0].impact == "minor"
    assert [maintenance.id for maintenance in snapshot.maintenances] == ["MNT-2002"]
    assert snapshot.maintenances[0].components == ("Adobe Acrobat",)


# --- severities, open and closed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "status", "impact"),
    [
        ("Major", ComponentStatus.MAJOR_OUTAGE, "major"),
        ("Minor", ComponentStatus.PARTIAL_OUTAGE, "minor"),
        ("Potential", ComponentStatus.DEGRADED_PERFORMANCE, "potential"),
        ("Trivial", ComponentStatus.DEGRADED_PERFORMANCE, "trivial"),
        ("MAJOR", ComponentStatus.MAJOR_OUTAGE, "major"),
        (" minor ", ComponentStatus.PARTIAL_OUTAGE, "minor"),
        ("Critical", ComponentStatus.UNKNOWN, "critical"),
        ("None", ComponentStatus.OPERATIONAL, "none"),
        (None, ComponentStatus.UNKNOWN, "unknown"),
    ],
)
def test_severity_mapping(
    severity: str | None, status: ComponentStatus, impact: str
) -> None:
    """Each severity gives its status; unknown ones give UNKNOWN and keep the raw value."""
    snapshot = _snapshot([_incident(_event_product(severity=severity))])

    component = snapshot.components[ANALYTICS]
    assert component.status is status
    if status is not ComponentStatus.OPERATIONAL:
        assert component.raw_status == (severity.strip() if severity else None)
    assert snapshot.incidents[0].impact == impact


def test_severity_from_history_when_product_has_none() -> None:
    """Without a product severity, the newest update's severity counts."""
    product = _event_product(
        severity=None,
        history=[
            {"id": "a", "messageTime": 1, "severity": "Major"},
            {"id": "b", "messageTime": 2, "severity": "Minor"},
            {"id": "c", "messageTime": 3},
        ],
    )
    snapshot = _snapshot([_incident(product)])

    assert snapshot.components[ANALYTICS].status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.incidents[0].impact == "minor"


@pytest.mark.parametrize(
    ("severities", "maintenance", "status", "raw"),
    [
        (["Minor", "Major"], None, ComponentStatus.MAJOR_OUTAGE, "Major"),
        (
            ["Trivial", "Potential"],
            None,
            ComponentStatus.DEGRADED_PERFORMANCE,
            "Trivial",
        ),
        (["Critical", "Minor"], None, ComponentStatus.PARTIAL_OUTAGE, "Minor"),
        (["Critical"], "Started", ComponentStatus.UNKNOWN, "Critical"),
        (["None"], "Started", ComponentStatus.UNDER_MAINTENANCE, "Started"),
        (["Minor"], "Started", ComponentStatus.PARTIAL_OUTAGE, "Minor"),
        ([], "Started", ComponentStatus.UNDER_MAINTENANCE, "Started"),
        ([], "Scheduled", ComponentStatus.OPERATIONAL, None),
    ],
)
def test_worst_status_wins(
    severities: list[str],
    maintenance: str | None,
    status: ComponentStatus,
    raw: str | None,
) -> None:
    """Known severities beat unknown ones; incidents beat an in-progress maintenance."""
    incidents = [
        _incident(_event_product(severity=severity), incident_id=f"INC-{index}")
        for index, severity in enumerate(severities)
    ]
    maintenances = (
        [_maintenance(maintenance, {"id": ANALYTICS, "history": []})]
        if maintenance
        else []
    )
    component = _snapshot(incidents, maintenances).components[ANALYTICS]

    assert (component.status, component.raw_status) == (status, raw)


@pytest.mark.parametrize(
    "fields",
    [
        {"endedOn": 1793960000000},
        {"endedOn": "2026-11-06T10:00:00Z"},
        {"endedOn": "1793960000000"},
        {"endedOn": "velit exercitation"},
        {"status": "Closed"},
        {"status": "CLOSED"},
        {"status": "Dismissed"},
        {"history": [{"id": "h", "messageTime": 5, "status": "Closed"}]},
        {
            "history": [
                {"id": "h1", "messageTime": 5, "status": "Dismissed"},
                {"id": "h0", "messageTime": 1, "status": "Opened"},
            ]
        },
    ],
)
def test_closed_products_are_not_open(fields: dict[str, Any]) -> None:
    """An end time, or Closed/Dismissed on the product or its newest update, closes it."""
    snapshot = _snapshot([_incident(_event_product(**fields))])

    assert snapshot.incidents == ()
    assert snapshot.components[ANALYTICS].status is ComponentStatus.OPERATIONAL


@pytest.mark.parametrize(
    "fields",
    [
        {"endedOn": None},
        {"endedOn": ""},
        {"endedOn": 0},
        {"endedOn": "0"},
        {"endedOn": False},
        {"status": "Empty"},
        {"status": None},
        {
            "history": [
                {"id": "h0", "messageTime": 1, "status": "Closed"},
                {"id": "h1", "messageTime": 5, "status": "Opened"},
            ]
        },
    ],
)
def test_open_products(fields: dict[str, Any]) -> None:
    """No end time and no closing status: the event is open."""
    snapshot = _snapshot([_incident(_event_product(**fields))])

    assert [incident.id for incident in snapshot.incidents] == ["INC-1"]
    assert snapshot.components[ANALYTICS].status is ComponentStatus.MAJOR_OUTAGE


def test_incident_open_on_one_product_only() -> None:
    """Only the products still open count for components, impact and start."""
    snapshot = _snapshot(
        [
            _incident(
                _event_product(ANALYTICS, severity="Major", endedOn=1793960000000),
                _event_product(TARGET, severity="Minor", startedOn=1793953200000),
            )
        ]
    )

    incident = snapshot.incidents[0]
    assert incident.components == ("Adobe Target",)
    assert incident.impact == "minor"
    assert incident.started_at == _utc(2026, 11, 6, 8, 20)
    assert snapshot.components[ANALYTICS].status is ComponentStatus.OPERATIONAL
    assert snapshot.components[TARGET].status is ComponentStatus.PARTIAL_OUTAGE


def test_incident_status_and_update_fallbacks() -> None:
    """Without history: the product's status, no update; without any status: "opened"."""
    with_status = _snapshot([_incident(_event_product(status="Opened"))]).incidents[0]
    assert with_status.status == "opened"
    assert with_status.updated_at is None
    assert with_status.latest_update is None
    assert with_status.latest_update_id is None
    assert with_status.update_count == 0
    assert with_status.name == "Adobe incident INC-1"

    bare = _snapshot([_incident(_event_product(status=None))]).incidents[0]
    assert bare.status == "opened"


def test_update_ids_and_order_without_ids() -> None:
    """Updates without ids are told apart by time; equal times: the later entry wins."""
    product = _event_product(
        history=[
            {
                "messageTime": 1793952000000,
                "messageToken": "incident.message.investigating",
            },
            {
                "messageTime": 1793952000000,
                "messageToken": "incident.message.identified",
            },
            {"messageToken": "incident.message.monitoring"},
        ]
    )
    incident = _snapshot([_incident(product)]).incidents[0]

    assert incident.update_count == 3
    assert incident.latest_update == (
        "The cause has been identified and a fix is being deployed."
    )
    assert incident.latest_update_id == "2026-11-06T08:00:00+00:00"

    untimed = _event_product(history=[{"messageToken": "incident.message.monitoring"}])
    incident = _snapshot([_incident(untimed)]).incidents[0]
    assert incident.latest_update == "We are monitoring the situation."
    assert incident.latest_update_id is None
    assert incident.updated_at is None


def test_title_from_an_older_update() -> None:
    """If the newest update's title token is unknown, an older known title is used."""
    product = _event_product(
        history=[
            {"id": "1", "messageTime": 1, "titleToken": "incident.title.login"},
            {
                "id": "2",
                "messageTime": 2,
                "titleToken": "incident.title.never_heard_of",
            },
        ]
    )
    assert _snapshot([_incident(product)]).incidents[0].name == "Users cannot sign in"


def test_history_in_nested_schema_and_odd_entries() -> None:
    """History keyed by id (the nested schema) works; non-object entries are skipped."""
    product = _event_product(
        history={
            "h1": {"id": "h1", "messageTime": 1, "titleToken": "incident.title.login"},
            "h2": "not an object",
        }
    )
    incident = _snapshot([_incident(product)]).incidents[0]
    assert incident.name == "Users cannot sign in"
    assert incident.update_count == 1

    listed = _event_product(history=[None, 3, {"value": "<Error: faked>"}])
    incident = _snapshot([_incident(listed)]).incidents[0]
    assert incident.update_count == 1
    assert incident.name == "Adobe incident INC-1"


def test_product_name_from_event_when_not_in_registry() -> None:
    """With no selection, an event on an unlisted product names it as the event does."""
    snapshot = _snapshot(
        [
            _incident(_event_product("777", name=" - Adobe Mystery")),
            _incident(_event_product("778", name=None), incident_id="INC-2"),
        ]
    )

    assert snapshot.incidents[0].components == ("Adobe Mystery",)
    assert snapshot.incidents[1].components == ("778",)
    assert "777" not in snapshot.components


def test_events_outside_the_selection_are_left_out() -> None:
    """Events that touch no selected product are not part of the snapshot."""
    snapshot = _snapshot(
        [_incident(_event_product(TARGET))],
        [_maintenance("Started", {"id": TARGET})],
        selected=(ANALYTICS,),
    )

    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    assert list(snapshot.components) == [ANALYTICS]


# --- maintenances ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "fields", "expected_status", "phase"),
    [
        ("Scheduled", {}, "scheduled", MaintenancePhase.SCHEDULED),
        ("Started", {}, "started", MaintenancePhase.IN_PROGRESS),
        ("STARTED", {}, "started", MaintenancePhase.IN_PROGRESS),
        ("Completed", {}, None, None),
        ("Canceled", {}, None, None),
        ("Cancelled", {}, None, None),
        ("Empty", {}, "empty", MaintenancePhase.SCHEDULED),
        ("Empty", {"startedOn": 1793948400000}, "empty", MaintenancePhase.IN_PROGRESS),
        ("Empty", {"completedOn": "1793948400000"}, None, None),
        (
            "Paused",
            {"startedOn": "2026-11-06T07:00:00Z"},
            "paused",
            MaintenancePhase.IN_PROGRESS,
        ),
        (None, {}, "scheduled", MaintenancePhase.SCHEDULED),
    ],
)
def test_maintenance_status_mapping(
    status: str | None,
    fields: dict[str, Any],
    expected_status: str | None,
    phase: MaintenancePhase | None,
) -> None:
    """Scheduled and Started are kept; done ones go; unknown ones are judged by times."""
    snapshot = _snapshot(maintenances=[_maintenance(status, **fields)])

    if phase is None:
        assert snapshot.maintenances == ()
        assert snapshot.components[AEM].status is ComponentStatus.OPERATIONAL
        return
    maintenance = snapshot.maintenances[0]
    assert maintenance.status == expected_status
    assert maintenance.phase is phase
    expected = (
        ComponentStatus.UNDER_MAINTENANCE
        if phase is MaintenancePhase.IN_PROGRESS
        else ComponentStatus.OPERATIONAL
    )
    assert snapshot.components[AEM].status is expected


def test_maintenance_status_from_history() -> None:
    """Without a status of its own, the newest update's status counts."""
    product = {
        "id": AEM,
        "history": [
            {"id": "1", "messageTime": 1, "status": "Scheduled"},
            {"id": "2", "messageTime": 2, "status": "Started"},
        ],
    }
    snapshot = _snapshot(maintenances=[_maintenance(None, product)])

    assert snapshot.maintenances[0].phase is MaintenancePhase.IN_PROGRESS
    assert snapshot.components[AEM].raw_status == "Started"


def test_maintenance_times() -> None:
    """starts_at is scheduledDate (else startedOn); ends_at is completedOn."""
    started_only = _snapshot(
        maintenances=[_maintenance("Started", startedOn="1793948400000")]
    ).maintenances[0]
    assert started_only.starts_at == _utc(2026, 11, 6, 7, 0)
    assert started_only.ends_at is None

    with_end = _snapshot(
        maintenances=[
            _maintenance(
                "Scheduled",
                scheduledDate="2026-11-10T02:00:00.000+0000",
                completedOn=1793930400000,
            )
        ]
    ).maintenances[0]
    assert with_end.starts_at == _utc(2026, 11, 10, 2, 0)
    assert with_end.ends_at == _utc(2026, 11, 6, 2, 0)


# --- timestamps ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1793952000000, _utc(2026, 11, 6, 8, 0)),
        ("1793952000000", _utc(2026, 11, 6, 8, 0)),
        (" 1793952000000 ", _utc(2026, 11, 6, 8, 0)),
        ("2026-11-06T08:00:00.000+0000", _utc(2026, 11, 6, 8, 0)),
        ("2026-11-06T09:00:00+01:00", _utc(2026, 11, 6, 8, 0)),
        ("2026-11-06T08:00:00Z", _utc(2026, 11, 6, 8, 0)),
        ("2026-11-06T08:00:00", _utc(2026, 11, 6, 8, 0)),
        ("veniam", None),
        (True, None),
        ([], None),
        (None, None),
        # Outside what Home Assistant can convert (years 1 and 9999): missing.
        (-62135596800000, None),
        ("-62135596800000", None),
        ("253402300799000", None),
        ("0001-01-01T00:00:00.000+0000", None),
        ("9999-12-31T23:59", None),
        # int() refuses thousands of digits; such a time is missing, not an error.
        pytest.param("9" * 5000, None, id="5000-digits"),
        pytest.param("1" * 25, None, id="25-digits"),
    ],
)
def test_timestamps(value: Any, expected: datetime | None) -> None:
    """Epoch milliseconds (also as text) and ISO 8601 strings; anything else is None."""
    product = _event_product(
        startedOn=value, history=[{"id": "h", "messageTime": value}]
    )
    incident = _snapshot([_incident(product)]).incidents[0]

    assert incident.started_at == expected
    assert incident.updated_at == expected


# --- wrong shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "events",
        {"incidents": {"id": "INC-1"}},
        {"incidents": ["INC-1"]},
        {"incidents": [{"products": []}]},
        {"incidents": [{"id": "INC-1", "products": "503462"}]},
        {"incidents": [{"id": "INC-1", "products": ["503462"]}]},
        {"incidents": [{"id": "INC-1", "products": [{"name": "no id"}]}]},
        {"incidents": [{"id": "INC-1", "products": [{"id": "1", "history": "x"}]}]},
        {"maintenances": [{"products": []}]},
        {"maintenances": [{"id": "MNT-1", "products": [{"name": "no id"}]}]},
        {"maintenances": 3},
    ],
)
def test_events_wrong_shapes(payload: Any) -> None:
    """Wrong JSON types and missing ids are parse errors."""
    with pytest.raises(CloudStatusParseError):
        parse_events(payload, _products())


def test_events_empty_and_without_messages() -> None:
    """An empty answer (or missing lists) means every product is operational."""
    payloads: list[Any] = [load_json_fixture("adobe_status_events_empty.json"), {}]
    for payload in payloads:
        snapshot = parse_events(payload, _products())
        assert snapshot.incidents == ()
        assert snapshot.maintenances == ()
        assert {component.status for component in snapshot.components.values()} == {
            ComponentStatus.OPERATIONAL
        }
        assert not snapshot.has_problem


def test_events_repeated_product_in_list() -> None:
    """A product listed twice in the registry is one component."""
    products = [*_products(), AdobeProduct(ANALYTICS, "Duplicate")]
    snapshot = parse_events({}, products)

    assert snapshot.components[ANALYTICS].name == "Adobe Analytics"


# --- errors ---------------------------------------------------------------------------------


async def test_expired_token_is_renewed_once(
    client: AdobeStatusClient, api: FakeStatusApi, tokens: FakeTokenProvider
) -> None:
    """A 401 on /events drops the token; the retry with a new one succeeds."""
    await client.async_get_snapshot([])
    api.clear()
    api.fail("events", 401, load_json_fixture("adobe_gateway_401013.json"))

    snapshot = await client.async_get_snapshot([])

    assert snapshot.incidents
    assert api.paths == ["events", "events"]
    assert [call[3]["Authorization"] for call in api.mocker.mock_calls] == [
        "Bearer token-1",
        "Bearer token-2",
    ]
    assert tokens.issued == 2


async def test_forbidden_events_keep_the_token(
    client: AdobeStatusClient, api: FakeStatusApi, tokens: FakeTokenProvider
) -> None:
    """A 403 on /events is raised at once; the next poll sends the same token again."""
    await client.async_get_snapshot([])
    api.clear()
    api.fail("events", 403, load_json_fixture("adobe_gateway_403003.json"))

    with pytest.raises(CloudStatusAuthError) as caught:
        await client.async_get_snapshot([])
    assert caught.value.status == 403
    assert caught.value.error_code == "403003"
    assert api.paths == ["events"]

    api.clear()
    assert await client.async_get_snapshot([])
    assert [call[3]["Authorization"] for call in api.mocker.mock_calls] == [
        "Bearer token-1"
    ]
    assert tokens.issued == 1


async def test_refused_twice_propagates(
    client: AdobeStatusClient, api: FakeStatusApi, tokens: FakeTokenProvider
) -> None:
    """Refused again with a fresh token: the auth error (with its code) propagates."""
    body = load_json_fixture("adobe_gateway_401013.json")
    api.fail("clouds", 401, body)
    api.fail("clouds", 401, body)

    with pytest.raises(CloudStatusAuthError) as caught:
        await client.async_get_clouds()

    assert caught.value.error_code == "401013"
    assert caught.value.detail == body["message"]
    assert tokens.issued == 2
    assert api.paths == ["clouds", "clouds"]


def _gateway_body(source: Path | None) -> str:
    if source is None:
        return load_fixture("adobe_gateway_403003.json")
    if not source.is_file():
        pytest.skip(f"shared payload {source.name} is not available")
    return source.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "source",
    [None, SHARED_PAYLOADS / "adobe_ims" / "gateway_403_api_key_invalid_REAL.json"],
    ids=["own-fixture", "shared-real"],
)
async def test_gateway_api_key_invalid(
    client: AdobeStatusClient,
    api: FakeStatusApi,
    tokens: FakeTokenProvider,
    source: Path | None,
) -> None:
    """The gateway's 403003 body reaches the caller as an auth error with its code.

    It is raised as it is: the token is not dropped and IMS is not asked for another.
    """
    body = _gateway_body(source)
    api.fail("clouds", 403, body)
    api.fail("clouds", 403, body)

    with pytest.raises(CloudStatusAuthError) as caught:
        await client.async_get_clouds()

    assert caught.value.status == 403
    assert api.paths == ["clouds"]
    assert tokens.issued == 1
    assert tokens.expires_in is not None
    assert caught.value.error_code == "403003"
    assert caught.value.detail == json.loads(body)["message"]
    assert caught.value.detail in (
        "API key not valid for this service",
        "Api Key is invalid",
    )


async def test_rate_limited(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """A 429 with Retry-After is a rate-limit error carrying the delay; no retry."""
    await client.async_get_snapshot([])
    api.clear()
    api.fail(
        "events",
        429,
        load_json_fixture("adobe_gateway_429.json"),
        **{"Retry-After": "5"},
    )

    with pytest.raises(CloudStatusRateLimitError) as caught:
        await client.async_get_snapshot([])

    assert caught.value.retry_after == 5
    assert api.paths == ["events"]


async def test_server_error_on_events(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """A 5xx on /events is a server error with its status."""
    api.fail("events", 503)

    with pytest.raises(CloudStatusServerError) as caught:
        await client.async_get_snapshot([])

    assert caught.value.status == 503


async def test_events_not_found(client: AdobeStatusClient, api: FakeStatusApi) -> None:
    """A 404 on /events is not a missing locale: it propagates."""
    api.fail("events", 404)

    with pytest.raises(CloudStatusNotFoundError):
        await client.async_get_snapshot([])


# --- the vendor's spec and Postman collection ----------------------------------------------

SHARED_STATUS = SHARED_PAYLOADS / "adobe_status"
POSTMAN = (
    SHARED_STATUS / "AdobeStatusAPI.postman_collection_SCHEMA_GENERATED_EXAMPLES.json"
)
SPEC = SHARED_STATUS / "statusapi-spec_openapi_2023-07_oauth_s2s.yaml"
# Postman request name -> the path our client asks for.
POSTMAN_ENDPOINTS = {
    "Events": "events",
    "Clouds": "clouds",
    "Products": "products",
    "Messages By Locale": "messages/en",
}


def _postman_examples() -> dict[str, list[dict[str, Any]]]:
    if not POSTMAN.is_file():
        pytest.skip("the Adobe Status Postman collection is not available")
    collection = json.loads(POSTMAN.read_text(encoding="utf-8"))
    found: dict[str, list[dict[str, Any]]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"])
            elif item["name"] in POSTMAN_ENDPOINTS:
                found[POSTMAN_ENDPOINTS[item["name"]]] = item["response"]

    walk(collection["item"])
    assert set(found) == set(POSTMAN_ENDPOINTS.values())
    return found


def _postman_ok_body(examples: list[dict[str, Any]]) -> Any:
    bodies = [
        json.loads(example["body"]) for example in examples if example["code"] == 200
    ]
    assert len(bodies) == 1
    return bodies[0]


async def test_postman_success_examples(
    client: AdobeStatusClient, api: FakeStatusApi
) -> None:
    """Every JSON example of the endpoints we use goes through the client without error."""
    examples = _postman_examples()
    for path, responses in examples.items():
        api.bodies[path] = _postman_ok_body(responses)
    clouds_body = api.bodies["clouds"]
    products_body = api.bodies["products"]

    clouds = await client.async_get_clouds()
    products = await client.async_get_products()
    snapshot = await client.async_get_snapshot([])

    assert clouds == [(cloud["id"], cloud["name"]) for cloud in clouds_body]
    assert {product.id for product in products} == {p["id"] for p in products_body}
    assert all(product.cloud_id is None for product in products)
    assert set(snapshot.components) == {p["id"] for p in products_body}
    assert {c.status for c in snapshot.components.values()} == {
        ComponentStatus.OPERATIONAL
    }
    # Every incident product has an endedOn and both windows are done (Canceled, or
    # "Empty" with a completedOn): nothing is open in the generated example.
    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    assert client.messages_locale == "en"


def test_postman_events_example_when_open() -> None:
    """The generated events, with the end times removed, give open incidents."""
    examples = _postman_examples()
    events = copy.deepcopy(_postman_ok_body(examples["events"]))
    for incident in events["incidents"]:
        for product in incident["products"]:
            product.pop("endedOn")
    for maintenance in events["maintenances"]:
        maintenance["status"] = "Started"
    messages = parse_messages(_postman_ok_body(examples["messages/en"]))

    snapshot = parse_events(events, [], (), messages)

    # Each incident has one product whose status is Opened (the other is Closed).
    assert [incident.impact for incident in snapshot.incidents] == ["minor", "minor"]
    assert all(
        incident.name.startswith("Adobe incident ") for incident in snapshot.incidents
    )
    assert all(incident.update_count == 2 for incident in snapshot.incidents)
    assert [m.phase for m in snapshot.maintenances] == [
        MaintenancePhase.IN_PROGRESS
    ] * 2
    assert messages.incident_text("voluptate_ab") == "aliquip"
    assert messages.maintenance_text("dolor") == "est aliquip eu"


POSTMAN_ERRORS: dict[int, type[CloudStatusError]] = {
    400: CloudStatusServerError,
    401: CloudStatusAuthError,
    403: CloudStatusAuthError,
    404: CloudStatusNotFoundError,
    500: CloudStatusServerError,
}


def test_postman_error_examples_are_all_tested() -> None:
    """The collection documents exactly the error statuses the next test covers."""
    for path, examples in _postman_examples().items():
        codes = {example["code"] for example in examples if example["code"] != 200}
        assert codes == set(POSTMAN_ERRORS), path


@pytest.mark.parametrize("status", list(POSTMAN_ERRORS))
@pytest.mark.parametrize("path", list(POSTMAN_ENDPOINTS.values()))
async def test_postman_error_examples(
    client: AdobeStatusClient, api: FakeStatusApi, path: str, status: int
) -> None:
    """The collection's error examples (empty text/plain bodies) map by status."""
    bodies = [
        example["body"]
        for example in _postman_examples()[path]
        if example["code"] == status
    ]
    assert len(bodies) == 1
    for _ in range(2):  # a 401 is retried once with a fresh token
        api.fail(path, status, bodies[0])
    poll = (
        client.async_get_products
        if path in ("clouds", "products")
        else partial(client.async_get_snapshot, [])
    )

    if path == "messages/en" and status in {400, 404}:
        # A missing or refused locale only means "no texts".
        snapshot = await poll()
        assert isinstance(snapshot, StatusSnapshot)
        assert snapshot.incidents[0].name == "Adobe incident INC-1001"
        return
    with pytest.raises(POSTMAN_ERRORS[status]):
        await poll()
    assert api.paths.count(path) == (2 if status == 401 else 1)


def _spec_enum(schema: str, field: str) -> list[str]:
    if not SPEC.is_file():
        pytest.skip("the Adobe Status OpenAPI spec is not available")
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    values: list[str] = spec["components"]["schemas"][schema]["properties"][field][
        "enum"
    ]
    return values


def test_spec_severities_are_all_known() -> None:
    """Every severity the spec documents maps to a known status, never UNKNOWN."""
    for severity in _spec_enum("IncidentProductDto", "severity"):
        snapshot = _snapshot([_incident(_event_product(severity=severity))])
        assert snapshot.components[ANALYTICS].status is not ComponentStatus.UNKNOWN
        assert snapshot.incidents[0].impact == severity.lower()


def test_spec_incident_statuses() -> None:
    """Of the documented statuses, Closed and Dismissed end an event; the rest are open."""
    statuses = _spec_enum("IncidentHistoryEventDto", "status") + _spec_enum(
        "IncidentProductDto", "status"
    )
    for status in statuses:
        snapshot = _snapshot([_incident(_event_product(status=status))])
        assert bool(snapshot.incidents) is (status not in ("Closed", "Dismissed"))


def test_spec_maintenance_statuses() -> None:
    """Every documented maintenance status is handled without error."""
    kept = {}
    for status in _spec_enum("MaintenanceDto", "status"):
        snapshot = _snapshot(maintenances=[_maintenance(status)])
        kept[status] = tuple(m.phase for m in snapshot.maintenances)
    assert kept == {
        "Canceled": (),
        "Completed": (),
        "Empty": (MaintenancePhase.SCHEDULED,),
        "Scheduled": (MaintenancePhase.SCHEDULED,),
        "Started": (MaintenancePhase.IN_PROGRESS,),
    }
