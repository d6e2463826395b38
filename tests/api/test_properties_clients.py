"""Property-based tests of every client of api/, driven through a tiny fake session.

Each scenario breaks up to two of a client's endpoints: an error status, a transport
fault, a body that is arbitrary JSON, a mutated real answer or raw bytes, with odd
ETag, Last-Modified, Retry-After, Content-Type and Location headers. The other endpoints
give the real answers of tests/fixtures. The property: a call returns its documented
result (with aware, convertible datetimes) or raises one of the project's
`CloudStatusError`s, never anything else; a request the client sends carries no header
aiohttp would refuse, and a poll ends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
import functools
from typing import Any
from unittest.mock import patch

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.adobe_ims import (
    JwtTokenProvider,
    OAuthServerToServerTokenProvider,
    load_private_key,
)
from custom_components.cloud_status.api.adobe_status import (
    REGISTRY_REFRESH,
    AdobeStatusClient,
)
from custom_components.cloud_status.api.cloudsigma import (
    DETAIL_RETRY_SECONDS,
    CloudSigmaClient,
)
from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.photoshop import PhotoshopClient
from custom_components.cloud_status.api.ratelimit import RequestSpacer
from custom_components.cloud_status.api.statuspage import StatuspageClient
from custom_components.cloud_status.api.statuspage_manage import (
    PAGE_REFRESH_INTERVAL,
    StatuspageManageClient,
)

from .conftest import (
    ADOBE_KEYS,
    CLOUDSIGMA_KEYS,
    IMS_KEYS,
    PHOTOSHOP_KEYS,
    STATUSPAGE_KEYS,
    Answer,
    FakeSession,
    accepted,
    answers,
    bodies,
    check_result,
    dumps,
    fixture_bytes,
    fixture_json,
    ran,
    run,
)

JOB_ID = "0e9b6d31-52c4-4f7a-8a19-c3e7f04b2d65"
IMS_TOKEN_URL = URL("https://ims-na1.adobelogin.com/ims/token/v3")
IMS_JWT_URL = URL("https://ims-na1.adobelogin.com/ims/exchange/jwt")
NOT_FOUND = Answer(status=404, body=b'{"error_code": "404", "message": "Not found"}')


class FakeClock:
    """A clock that only moves when told to (and when the fake sleep sleeps)."""

    def __init__(self) -> None:
        """Start at an arbitrary point."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Read the clock."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Sleep without waiting."""
        self.now += max(0.0, seconds)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An endpoint's real answer (decoded) and the keys its parser reads."""

    original: Any
    keys: tuple[str, ...]


def broken_answers(
    endpoints: dict[str, Endpoint], max_broken: int = 2
) -> st.SearchStrategy[dict[str, Answer]]:
    """Fuzzed answers for up to `max_broken` of the endpoints (none: the happy path)."""
    fuzzed = {
        name: answers(bodies(endpoint.original, endpoint.keys))
        for name, endpoint in endpoints.items()
    }

    @st.composite
    def strategy(draw: st.DrawFn) -> dict[str, Answer]:
        names = draw(st.sets(st.sampled_from(sorted(endpoints)), max_size=max_broken))
        return {name: draw(fuzzed[name]) for name in sorted(names)}

    return strategy()


async def settle(name: str, call: Awaitable[Any]) -> Any:
    """Await a client call; our own errors are an accepted outcome (None)."""
    try:
        result = await call
    except CloudStatusError:
        return None
    check_result(result)
    accepted(name)
    return result


def valid(original: Any) -> Answer:
    """Return the real answer, as sent."""
    return Answer(body=dumps(original))


# --- Statuspage (public) ----------------------------------------------------------------

SUMMARIES = (
    "statuspage_summary_operational.json",
    "statuspage_summary_incident.json",
    "api_summary_edge_cases.json",
)
ANSWERED_URLS = (
    None,
    "https://status.example.com/api/v2/summary.json?x=1",
    "https://moved.example.com/prefix/api/v2/summary.json",
    "https://moved.example.com/elsewhere",
)


SUMMARY_ANSWERS = st.one_of(
    [answers(bodies(fixture_json(name), STATUSPAGE_KEYS)) for name in SUMMARIES]
    + [answers(st.just(fixture_bytes(name)), ok_only=True) for name in SUMMARIES]
)


@st.composite
def summary_answers(draw: st.DrawFn) -> Answer:
    answer = draw(SUMMARY_ANSWERS)
    return replace(answer, url=draw(st.sampled_from(ANSWERED_URLS)))


@given(polls=st.lists(summary_answers(), min_size=1, max_size=3))
def test_statuspage_client(polls: list[Answer]) -> None:
    """Polls of summary.json with validators, redirects and broken answers."""
    name = "statuspage.StatuspageClient"
    ran(name)
    queue = list(polls)

    def router(method: str, url: URL) -> Answer:
        assert url == URL("https://status.example.com/api/v2/summary.json")
        return queue[0]

    async def scenario() -> None:
        client = StatuspageClient(FakeSession(router), "https://status.example.com")
        while queue:
            await settle(name, client.async_get_summary())
            assert client.resolved_base_url.host
            queue.pop(0)

    run(scenario())


# --- Statuspage management API ----------------------------------------------------------

MANAGE_PAGE_ID = "k3lq8w1yzt0v"
MANAGE_ENDPOINTS = {
    "pages": Endpoint(fixture_json("statuspage_manage_pages.json"), STATUSPAGE_KEYS),
    "page": Endpoint(fixture_json("statuspage_manage_page.json"), STATUSPAGE_KEYS),
    "components": Endpoint(
        fixture_json("statuspage_manage_components.json"), STATUSPAGE_KEYS
    ),
    "component-groups": Endpoint(
        fixture_json("statuspage_manage_component_groups.json"), STATUSPAGE_KEYS
    ),
    "unresolved": Endpoint(
        fixture_json("statuspage_manage_incidents_unresolved.json"), STATUSPAGE_KEYS
    ),
    "active_maintenance": Endpoint(
        fixture_json("statuspage_manage_incidents_active_maintenance.json"),
        STATUSPAGE_KEYS,
    ),
    "upcoming": Endpoint(
        fixture_json("statuspage_manage_incidents_upcoming.json"), STATUSPAGE_KEYS
    ),
}


def _manage_endpoint(url: URL) -> str:
    parts = url.parts[2:]  # after "/v1"
    if parts == ("pages",):
        return "pages"
    assert parts[:2] == ("pages", MANAGE_PAGE_ID), url
    return parts[-1] if len(parts) > 2 else "page"


def _page_of(items: list[Any], url: URL) -> list[Any]:
    number, size = int(url.query["page"]), int(url.query["per_page"])
    return items[(number - 1) * size : number * size]


@given(
    broken=broken_answers(MANAGE_ENDPOINTS),
    per_page=st.integers(min_value=1, max_value=8),
)
def test_statuspage_manage_client(broken: dict[str, Answer], per_page: int) -> None:
    """Pages, two snapshots an hour apart, paged components, broken endpoints."""
    name = "statuspage_manage.StatuspageManageClient"
    ran(name)
    clock = FakeClock()

    def router(method: str, url: URL) -> Answer:
        name = _manage_endpoint(url)
        if name in broken:
            return broken[name]
        original = MANAGE_ENDPOINTS[name].original
        if name == "components":
            return valid(_page_of(original, url))
        return valid(original)

    async def scenario() -> None:
        client = StatuspageManageClient(
            FakeSession(router),
            "key",
            spacer=RequestSpacer(0.0, clock=clock, sleep=clock.sleep),
            base_url=URL("https://api.statuspage.io/v1"),
            per_page=per_page,
            clock=clock,
        )
        await settle(name, client.async_get_pages())
        await settle(name, client.async_get_snapshot(MANAGE_PAGE_ID))
        clock.now += PAGE_REFRESH_INTERVAL
        await settle(name, client.async_get_snapshot(MANAGE_PAGE_ID))

    run(scenario())


# --- CloudSigma -------------------------------------------------------------------------

CLOUDSIGMA_ENDPOINTS = {
    "status": Endpoint(fixture_json("cloudsigma_status_outage.json"), CLOUDSIGMA_KEYS),
    "components": Endpoint(
        fixture_json("cloudsigma_components_small.json"), CLOUDSIGMA_KEYS
    ),
    "incidents": Endpoint(fixture_json("cloudsigma_incidents.json"), CLOUDSIGMA_KEYS),
    "maintenances": Endpoint(
        fixture_json("cloudsigma_maintenances.json"), CLOUDSIGMA_KEYS
    ),
}


@given(
    broken=broken_answers(CLOUDSIGMA_ENDPOINTS),
    per_page=st.integers(min_value=1, max_value=4),
    api_key=st.sampled_from((None, "key", "k\u00e9y")),
)
def test_cloudsigma_client(
    broken: dict[str, Answer], per_page: int, api_key: str | None
) -> None:
    """Status, paged components and (with a key) the detail endpoints, twice."""
    name = "cloudsigma.CloudSigmaClient"
    ran(name)
    clock = FakeClock()

    def router(method: str, url: URL) -> Answer:
        name = url.parts[-1]
        if name in broken:
            return broken[name]
        original = CLOUDSIGMA_ENDPOINTS[name].original
        if name == "components":
            return valid(_page_of(original, url))
        return valid(original)

    async def scenario() -> None:
        client = CloudSigmaClient(
            FakeSession(router),
            "https://statuspage.cloudsigma.com",
            api_key,
            per_page=per_page,
            clock=clock,
        )
        await settle(name, client.async_get_snapshot())
        clock.now += DETAIL_RETRY_SECONDS
        await settle(name, client.async_get_snapshot())

    run(scenario())


# --- Adobe IMS and Adobe Status ---------------------------------------------------------

IMS_ENDPOINTS = {
    "token": Endpoint(fixture_json("adobe_ims_token_v3_200.json"), IMS_KEYS),
}
ADOBE_ENDPOINTS = {
    **IMS_ENDPOINTS,
    "clouds": Endpoint(fixture_json("adobe_status_clouds.json"), ADOBE_KEYS),
    "products": Endpoint(fixture_json("adobe_status_products.json"), ADOBE_KEYS),
    "en": Endpoint(fixture_json("adobe_status_messages_en.json"), ADOBE_KEYS),
    "de": Endpoint(fixture_json("adobe_status_messages_de.json"), ADOBE_KEYS),
    "events": Endpoint(fixture_json("adobe_status_events.json"), ADOBE_KEYS),
}


def _oauth_provider(session: FakeSession) -> OAuthServerToServerTokenProvider:
    return OAuthServerToServerTokenProvider(session, "client-id", "secret", ["openid"])


@given(
    broken=broken_answers(ADOBE_ENDPOINTS),
    locale=st.sampled_from(("en", "de-DE", "de", "fr", "x", "\u00e4\u00e4")),
    selected=st.lists(st.sampled_from(("503462", "503474", "nope")), max_size=3),
)
def test_adobe_status_client(
    broken: dict[str, Answer], locale: str, selected: list[str]
) -> None:
    """The credentials check, then two polls a day apart (registry and texts refresh)."""
    name = "adobe_status.AdobeStatusClient"
    ran(name)
    clock = FakeClock()

    def router(method: str, url: URL) -> Answer:
        name = "token" if url == IMS_TOKEN_URL else url.parts[-1]
        if name in broken:
            return broken[name]
        if name not in ADOBE_ENDPOINTS:
            return NOT_FOUND  # a locale without texts
        return valid(ADOBE_ENDPOINTS[name].original)

    async def scenario() -> None:
        session = FakeSession(router)
        client = AdobeStatusClient(
            session, _oauth_provider(session), locale=locale, clock=clock
        )
        await settle(name, client.async_get_clouds())
        await settle(name, client.async_get_snapshot(selected))
        clock.now += REGISTRY_REFRESH
        await settle(name, client.async_get_snapshot(selected))

    run(scenario())


@given(
    tokens=st.lists(
        answers(bodies(fixture_json("adobe_ims_token_v3_200.json"), IMS_KEYS)),
        min_size=1,
        max_size=3,
    )
)
def test_oauth_token_provider(tokens: list[Answer]) -> None:
    """OAuth Server-to-Server: token answers of every kind, then a refused token."""
    name = "adobe_ims.OAuthServerToServerTokenProvider"
    ran(name)
    queue = list(tokens)

    def router(method: str, url: URL) -> Answer:
        assert (method, url) == ("POST", IMS_TOKEN_URL)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    async def scenario() -> None:
        provider = _oauth_provider(FakeSession(router))
        for _ in tokens:
            token = await settle(name, provider.async_get_token())
            assert token is None or isinstance(token, str)
            assert provider.expires_in is None or provider.expires_in >= 0
            if token is not None:
                provider.invalidate(token)

    run(scenario())


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


PRIVATE_KEY = _private_key_pem()
# Loading an RSA key checks it, which takes longer than the rest of an example: the
# key is not what this test varies, so it is loaded once.
LOAD_KEY_ONCE = functools.cache(load_private_key)


@given(token=answers(bodies(fixture_json("adobe_ims_exchange_jwt_200.json"), IMS_KEYS)))
def test_jwt_token_provider(token: Answer) -> None:
    """Service Account (JWT): the exchange answers every kind of body."""
    name = "adobe_ims.JwtTokenProvider"
    ran(name)

    def router(method: str, url: URL) -> Answer:
        assert (method, url) == ("POST", IMS_JWT_URL)
        return token

    async def scenario() -> None:
        provider = JwtTokenProvider(
            FakeSession(router),
            "client-id",
            "secret",
            "org@AdobeOrg",
            "tech@techacct.adobe.com",
            PRIVATE_KEY,
        )
        result = await settle(name, provider.async_get_token())
        assert result is None or isinstance(result, str)

    with patch(f"{JwtTokenProvider.__module__}.load_private_key", LOAD_KEY_ONCE):
        run(scenario())


# --- Photoshop --------------------------------------------------------------------------

PHOTOSHOP_STATUSES = (
    "photoshop_status_pending.json",
    "photoshop_status_running.json",
    "photoshop_status_failed_two_errors.json",
    "photoshop_status_succeeded_urls.json",
    "photoshop_status_succeeded_embedded_base64.json",
    "photoshop_404_unknown_job_id.json",
    "photoshop_403_quota.json",
)


JOB_ANSWERS = st.one_of(
    [answers(bodies(fixture_json(name), PHOTOSHOP_KEYS)) for name in PHOTOSHOP_STATUSES]
    + [
        answers(st.just(fixture_bytes(name)), ok_only=True)
        for name in PHOTOSHOP_STATUSES
    ]
)


def _photoshop(
    session: FakeSession, clock: FakeClock, *, spaced: bool
) -> PhotoshopClient:
    return PhotoshopClient(
        session,
        _oauth_provider(session),
        "client-id",
        spacer=RequestSpacer(1.0, clock=clock, sleep=clock.sleep) if spaced else None,
    )


def _job_router(
    statuses: list[Answer], token: Answer | None
) -> Callable[[str, URL], Answer]:
    queue = list(statuses)

    def router(method: str, url: URL) -> Answer:
        if url == IMS_TOKEN_URL:
            return token or valid(IMS_ENDPOINTS["token"].original)
        assert url.path == f"/v2/status/{JOB_ID}", url
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return router


@given(
    statuses=st.lists(JOB_ANSWERS, min_size=1, max_size=6),
    token=st.one_of(
        st.none(), answers(bodies(IMS_ENDPOINTS["token"].original, IMS_KEYS))
    ),
    timeout=st.sampled_from((0.0, 1.0, 30.0, 600.0)),
    spaced=st.booleans(),
)
def test_photoshop_client(
    statuses: list[Answer], token: Answer | None, timeout: float, spaced: bool
) -> None:
    """One status check, then a wait with backoff over a run of answers."""
    name = "photoshop.PhotoshopClient"
    ran(name)
    clock = FakeClock()

    async def scenario() -> None:
        session = FakeSession(_job_router(statuses, token))
        client = _photoshop(session, clock, spaced=spaced)
        await settle(name, client.get_job(JOB_ID))
        started = clock.now
        result = await settle(
            name, client.wait_for_job(JOB_ID, timeout, clock=clock, sleep=clock.sleep)
        )
        if result is not None:
            # The last check lands on the deadline: at most one backoff step later.
            assert clock.now - started <= timeout + 30.0 + 1.0
            assert result.timed_out or result.job.finished

    run(scenario())
