"""No answer body makes a client raise anything but a parse error (issue 12).

Each client reads each of its endpoints answering 200 with HTML, truncated JSON, bytes
that are not UTF-8, a BOM, `null` where an object or list belongs, missing fields and
wrong types: the poll fails with CloudStatusParseError, the error the coordinator maps
to `invalid_response` and the flow to `not_a_status_page`. Bodies go through a real
server on 127.0.0.1 where the client's address can be chosen; the management API and
IMS are https-only, so aiohttp's mocker answers for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
import json
import time

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.api import CloudStatusParseError, StatuspageClient
from custom_components.cloud_status.api.adobe_ims import (
    DEFAULT_IMS_HOST,
    ImsTokenProvider,
    OAuthServerToServerTokenProvider,
)
from custom_components.cloud_status.api.adobe_status import AdobeStatusClient
from custom_components.cloud_status.api.cloudsigma import CloudSigmaClient
from custom_components.cloud_status.api.ratelimit import RequestSpacer
from custom_components.cloud_status.api.statuspage import SUMMARY_PATH
from custom_components.cloud_status.api.statuspage_manage import (
    MANAGE_API_URL,
    StatuspageManageClient,
)
from tests.conftest import load_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

# Bodies no endpoint of any client accepts.
BAD_BODIES: dict[str, bytes] = {
    "html": b"<!DOCTYPE html><html><body><h1>Just a moment...</h1></body></html>",
    "empty": b"",
    "truncated": b'{"page": {"id": "p", "name": "P"}, "components": [{"id": "c"',
    "not-utf8": b'{"page": {"id": "p", "name": "\xff\xfe\xfd"}, "components": []}',
    "utf16-bom": '{"page": {}}'.encode("utf-16"),
    "utf8-bom": b'\xef\xbb\xbf{"page": {"id": "p", "name": "P"}, "components": []}',
    "null": b"null",
    "string": b'"All Systems Operational"',
    "number": b"42",
    "nan": b"NaN",
}
# Bodies that are JSON of the wrong shape for endpoints that answer an object...
BAD_OBJECTS: dict[str, bytes] = {
    **BAD_BODIES,
    "array": b"[]",
    "no-fields": b"{}",
    "wrong-types": b'{"page": [], "status": 7, "components": "all", "incidents": {}}',
}
# ... and for endpoints that answer a list.
BAD_LISTS: dict[str, bytes] = {
    **BAD_BODIES,
    "object": b'{"items": []}',
    "null-items": b"[null]",
    "string-items": b'["id-1"]',
    "items-without-ids": b'[{"name": "A"}, {"name": "B"}]',
    "ids-of-wrong-type": b'[{"id": ["x"], "name": "A"}]',
}

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def mocked_session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a session answered by the mocker (https-only APIs)."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


async def _serve(
    aiohttp_server: ServerFactory, answers: dict[str, bytes], default: bytes = b"[]"
) -> TestServer:
    """Answer each path below / with its body (a 200), other paths with `default`."""

    async def handle(request: web.Request) -> web.Response:
        body = answers.get(request.path.lstrip("/"), default)
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/{path:.*}", handle)
    server: TestServer = await aiohttp_server(app)
    return server


# --- Statuspage (public) -------------------------------------------------------------


@pytest.mark.parametrize("body", list(BAD_OBJECTS.values()), ids=list(BAD_OBJECTS))
async def test_statuspage_summary(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession, body: bytes
) -> None:
    """A summary.json that is not a summary fails the poll."""
    server = await _serve(aiohttp_server, {SUMMARY_PATH: body})
    client = StatuspageClient(session, str(server.make_url("/")))

    with pytest.raises(CloudStatusParseError):
        await client.async_get_summary()


# --- CloudSigma ----------------------------------------------------------------------


# /status is readable with any "status" value (it only decides the reported status).
STATUS_CASES = {
    name: body for name, body in BAD_OBJECTS.items() if name != "wrong-types"
}


@pytest.mark.parametrize("body", list(STATUS_CASES.values()), ids=list(STATUS_CASES))
async def test_cloudsigma_status(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession, body: bytes
) -> None:
    """A /status that is not CloudSigma's status fails the poll."""
    server = await _serve(aiohttp_server, {"api/v1/status": body})
    client = CloudSigmaClient(session, str(server.make_url("/")))

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot()


@pytest.mark.parametrize("body", list(BAD_LISTS.values()), ids=list(BAD_LISTS))
async def test_cloudsigma_components(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession, body: bytes
) -> None:
    """A /components that is not a list of components fails the poll."""
    status = load_fixture("cloudsigma_status_operational.json").encode()
    server = await _serve(
        aiohttp_server, {"api/v1/status": status, "api/v1/components": body}
    )
    client = CloudSigmaClient(session, str(server.make_url("/")))

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot()


# --- Adobe Status --------------------------------------------------------------------


class _Tokens(ImsTokenProvider):
    """Hand out one token without IMS."""

    _method = "fake"

    def __init__(self, session: aiohttp.ClientSession) -> None:
        """Keep no credential."""
        super().__init__(
            session, ims_host=DEFAULT_IMS_HOST, clock=time.monotonic, cache_key="k"
        )

    async def _async_request_token(self) -> tuple[str, float]:
        return "token", 86400.0


ADOBE_GOOD = {
    "api/v1/clouds": "adobe_status_clouds.json",
    "api/v1/products": "adobe_status_products.json",
    "api/v1/messages/en": "adobe_status_messages_en.json",
    "api/v1/events": "adobe_status_events.json",
}
# What Adobe's answers may leave out: message entries without texts, and the event
# lists of a quiet day ({} is "no incidents, no maintenances").
ADOBE_ACCEPTED = {
    ("api/v1/messages/en", "items-without-ids"),
    ("api/v1/messages/en", "ids-of-wrong-type"),
    ("api/v1/events", "no-fields"),
}
ADOBE_CASES = [
    pytest.param(path, body, id=f"{path.rsplit('/', 1)[-1]}-{name}")
    for path, kinds in (
        ("api/v1/clouds", BAD_LISTS),
        ("api/v1/products", BAD_LISTS),
        ("api/v1/messages/en", BAD_LISTS),
        ("api/v1/events", BAD_OBJECTS),
    )
    for name, body in kinds.items()
    if (path, name) not in ADOBE_ACCEPTED
]


@pytest.mark.parametrize(("path", "body"), ADOBE_CASES)
async def test_adobe_status(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    path: str,
    body: bytes,
) -> None:
    """An Adobe Status endpoint answering a body of the wrong shape fails the poll."""
    answers = {key: load_fixture(name).encode() for key, name in ADOBE_GOOD.items()}
    answers[path] = body
    server = await _serve(aiohttp_server, answers)
    client = AdobeStatusClient(
        session, _Tokens(session), base_url=server.make_url("/api/v1")
    )

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot([])


# --- Statuspage management API (https only: the mocker answers) ----------------------

PAGE_ID = "k3lq8w1yzt0v"
MANAGE_PAGE = f"{MANAGE_API_URL}/pages/{PAGE_ID}"
MANAGE_GOOD = {
    MANAGE_PAGE: "statuspage_manage_page.json",
    f"{MANAGE_PAGE}/components": "statuspage_manage_components.json",
    f"{MANAGE_PAGE}/component-groups": "statuspage_manage_component_groups.json",
    f"{MANAGE_PAGE}/incidents/unresolved": "statuspage_manage_incidents_unresolved.json",
    f"{MANAGE_PAGE}/incidents/active_maintenance": (
        "statuspage_manage_incidents_active_maintenance.json"
    ),
    f"{MANAGE_PAGE}/incidents/upcoming": "statuspage_manage_incidents_upcoming.json",
}
MANAGE_CASES = [
    pytest.param(url, body, id=f"{url.removeprefix(MANAGE_PAGE) or '/page'}-{name}")
    for url in MANAGE_GOOD
    for name, body in (BAD_OBJECTS if url == MANAGE_PAGE else BAD_LISTS).items()
]


@pytest.mark.parametrize(("url", "body"), MANAGE_CASES)
async def test_statuspage_manage_poll(
    aioclient_mock: AiohttpClientMocker,
    mocked_session: aiohttp.ClientSession,
    url: str,
    body: bytes,
) -> None:
    """A management endpoint answering a body of the wrong shape fails the poll."""
    aioclient_mock.get(url, content=body)
    for other, name in MANAGE_GOOD.items():
        aioclient_mock.get(other, text=load_fixture(name))
    client = StatuspageManageClient(mocked_session, "key", spacer=RequestSpacer(0.0))

    with pytest.raises(CloudStatusParseError):
        await client.async_get_snapshot(PAGE_ID)


@pytest.mark.parametrize("body", list(BAD_LISTS.values()), ids=list(BAD_LISTS))
async def test_statuspage_manage_pages(
    aioclient_mock: AiohttpClientMocker,
    mocked_session: aiohttp.ClientSession,
    body: bytes,
) -> None:
    """A GET /pages that is not a list of pages fails the form's check."""
    aioclient_mock.get(f"{MANAGE_API_URL}/pages", content=body)
    client = StatuspageManageClient(mocked_session, "key", spacer=RequestSpacer(0.0))

    with pytest.raises(CloudStatusParseError):
        await client.async_get_pages()


# --- Adobe IMS (https only: the mocker answers) ---------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        *BAD_OBJECTS.values(),
        json.dumps({"access_token": "t", "expires_in": "9" * 5000}).encode(),
        json.dumps({"access_token": ["t"], "expires_in": 86399}).encode(),
    ],
    ids=[*BAD_OBJECTS, "expires-in-too-long", "token-list"],
)
async def test_ims_token_answer(
    aioclient_mock: AiohttpClientMocker,
    mocked_session: aiohttp.ClientSession,
    body: bytes,
) -> None:
    """An IMS 200 without a usable token fails the token request."""
    aioclient_mock.post(f"https://{DEFAULT_IMS_HOST}/ims/token/v3", content=body)
    provider = OAuthServerToServerTokenProvider(
        mocked_session, "client-id", "client-secret", ["openid"]
    )

    with pytest.raises(CloudStatusParseError):
        await provider.async_get_token()


async def test_the_good_answers_poll(
    aiohttp_server: ServerFactory,
    aioclient_mock: AiohttpClientMocker,
    session: aiohttp.ClientSession,
    mocked_session: aiohttp.ClientSession,
) -> None:
    """With the good answers every client polls: each failure above is its bad body's."""
    summary = load_fixture("api_summary_minimal.json").encode()
    status = load_fixture("cloudsigma_status_operational.json").encode()
    adobe = {key: load_fixture(name).encode() for key, name in ADOBE_GOOD.items()}
    server = await _serve(
        aiohttp_server,
        {SUMMARY_PATH: summary, "api/v1/status": status, **adobe},
    )
    base = str(server.make_url("/"))
    for url, name in MANAGE_GOOD.items():
        aioclient_mock.get(url, text=load_fixture(name))
    aioclient_mock.post(
        f"https://{DEFAULT_IMS_HOST}/ims/token/v3",
        json={"access_token": "t", "expires_in": 86399},
    )

    assert await StatuspageClient(session, base).async_get_summary() is not None
    assert await CloudSigmaClient(session, base).async_get_snapshot()
    adobe_client = AdobeStatusClient(
        session, _Tokens(session), base_url=server.make_url("/api/v1")
    )
    assert (await adobe_client.async_get_snapshot([])).components
    manage = StatuspageManageClient(mocked_session, "key", spacer=RequestSpacer(0.0))
    assert (await manage.async_get_snapshot(PAGE_ID)).components
    provider = OAuthServerToServerTokenProvider(
        mocked_session, "client-id", "client-secret", ["openid"]
    )
    assert await provider.async_get_token() == "t"
    assert len(ADOBE_CASES) == 3 * len(BAD_LISTS) + len(BAD_OBJECTS) - len(
        ADOBE_ACCEPTED
    )
