"""The shared HTTP plumbing: fetch against a real server on 127.0.0.1, and Retry-After."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import gzip
import socket
from typing import Any
from unittest.mock import AsyncMock, Mock

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from custom_components.cloud_status.api.http import (
    MAX_BODY_BYTES,
    MAX_RETRY_AFTER,
    USER_AGENT,
    Validators,
    _declared_over,
    _read_error_details,
    error_details,
    fetch,
    is_header_value,
    is_host_name,
    parse_retry_after,
    request,
)

type ServerFactory = Callable[..., Awaitable[TestServer]]
type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
PATH = "/api/v2/summary.json"

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session and close it after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def _serve(aiohttp_server: ServerFactory, handler: Handler) -> TestServer:
    app = web.Application()
    app.router.add_get(PATH, handler)
    return await aiohttp_server(app)


async def _stream(
    request: web.Request, size: int, *, content_length: int | None = None
) -> web.StreamResponse:
    """Send `size` bytes of JSON-ish filler, chunked unless a length is declared."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    if content_length is None:
        response.enable_chunked_encoding()
    else:
        response.content_length = content_length
    await response.prepare(request)
    chunk = b" " * (64 * 1024)
    sent = 0
    try:
        while sent < size:
            part = chunk[: size - sent]
            await response.write(part)
            sent += len(part)
        await response.write_eof()
    except ConnectionError:
        pass  # the client hung up once it had seen enough
    return response


# --- parse_retry_after ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Fri, 20 Nov 2026 12:02:00 GMT", 120.0),
        ("Fri, 20 Nov 2026 13:00:00 +0100", 0.0),
        ("Fri, 20 Nov 2026 12:00:30 -0000", 30.0),
        ("Fri, 20 Nov 2026 11:00:00 GMT", 0.0),
    ],
    ids=[
        "seconds",
        "seconds-padded",
        "zero",
        "fraction",
        "negative-clamped",
        "http-date",
        "http-date-offset",
        "http-date-naive",
        "http-date-past",
    ],
)
def test_parse_retry_after(value: str, expected: float) -> None:
    """Delta seconds and HTTP dates become a non-negative delay."""
    assert parse_retry_after(value, NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "soon", "Fri, 99 Foo 2026 25:61:00 GMT"],
    ids=["missing", "empty", "blank", "word", "broken-date"],
)
def test_parse_retry_after_unreadable(value: str | None) -> None:
    """A missing or unreadable header asks for no particular delay."""
    assert parse_retry_after(value, NOW) is None


@pytest.mark.parametrize("value", ["inf", "Infinity", "1e400", "nan"])
def test_parse_retry_after_rejects_non_finite(value: str) -> None:
    """A non-finite delay is unreadable: an infinite Retry-After would stop polling for good.

    The coordinator hands retry_after to UpdateFailed, and DataUpdateCoordinator schedules the
    next refresh with loop.call_at(now + retry_after): with inf it never fires again.
    """
    assert parse_retry_after(value, NOW) is None


@pytest.mark.parametrize(
    "value",
    ["31536000", "Sat, 20 Nov 2027 12:00:00 GMT"],
    ids=["seconds", "http-date"],
)
def test_parse_retry_after_is_capped(value: str) -> None:
    """An absurdly long delay (a year) is capped so polling resumes within a day."""
    assert parse_retry_after(value, NOW) == MAX_RETRY_AFTER == 86400


def test_parse_retry_after_defaults_to_now() -> None:
    """Without `now`, an HTTP date is measured from the current time."""
    when = datetime.now(UTC) + timedelta(minutes=10)
    delay = parse_retry_after(format_datetime(when, usegmt=True))
    assert delay is not None
    assert 590 <= delay <= 600


# --- fetch: success ----------------------------------------------------------------


async def test_fetch_returns_answer_and_sends_default_headers(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A 200 comes back whole, with the default Accept and User-Agent sent."""
    seen: list[web.Request] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request)
        return web.json_response({"ok": True}, headers={"ETag": '"v1"'})

    server = await _serve(aiohttp_server, handler)
    url = server.make_url(PATH)
    response = await fetch(session, url)

    assert response.status == 200
    assert response.url == url
    assert response.body == b'{"ok": true}'
    assert response.headers["etag"] == '"v1"'
    assert len(seen) == 1
    assert seen[0].headers["Accept"] == "application/json"
    assert seen[0].headers["User-Agent"] == USER_AGENT
    assert "If-None-Match" not in seen[0].headers


async def test_fetch_merges_extra_headers(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """Caller headers are added to, and may override, the defaults."""
    seen: list[web.Request] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request)
        return web.Response(status=204)

    server = await _serve(aiohttp_server, handler)
    response = await fetch(
        session,
        server.make_url(PATH),
        headers={"Authorization": "OAuth secret", "Accept": "text/plain"},
    )

    assert response.status == 204
    assert response.body == b""
    assert seen[0].headers["Authorization"] == "OAuth secret"
    assert seen[0].headers["Accept"] == "text/plain"
    assert seen[0].headers["User-Agent"] == USER_AGENT


async def test_fetch_returns_304_without_body(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A 304 is an answer, not an error, and has an empty body."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=304, headers={"ETag": '"v1"'})

    server = await _serve(aiohttp_server, handler)
    response = await fetch(session, server.make_url(PATH))

    assert response.status == 304
    assert response.body == b""


# --- fetch: HTTP status mapping ------------------------------------------------------


@pytest.mark.parametrize("status", [429, 420])
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"Retry-After": "42"}, 42.0),
        ({"Retry-After": "HTTP-DATE+90"}, 90.0),
        ({}, None),
    ],
    ids=["seconds", "http-date", "absent"],
)
async def test_fetch_rate_limited(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    status: int,
    header: dict[str, str],
    expected: float | None,
) -> None:
    """429 and 420 raise with the Retry-After delay (seconds or HTTP date) or None."""
    if header.get("Retry-After") == "HTTP-DATE+90":
        when = datetime.now(UTC) + timedelta(seconds=90)
        header = {"Retry-After": format_datetime(when, usegmt=True)}

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers=header, text="slow down")

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await fetch(session, server.make_url(PATH))

    if expected is None:
        assert exc_info.value.retry_after is None
        assert str(exc_info.value) == "rate limited"
    else:
        assert exc_info.value.retry_after == pytest.approx(expected, abs=2)
        assert "retry after" in str(exc_info.value)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, CloudStatusAuthError),
        (403, CloudStatusAuthError),
        (404, CloudStatusNotFoundError),
    ],
)
async def test_fetch_client_errors(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    status: int,
    error: type[CloudStatusError],
) -> None:
    """401/403 are auth errors and 404 is not-found; none of them is a connection error."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status)

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(error) as exc_info:
        await fetch(session, server.make_url(PATH))

    assert not isinstance(exc_info.value, CloudStatusConnectionError)
    assert str(status) in str(exc_info.value)
    if isinstance(exc_info.value, CloudStatusAuthError):
        assert exc_info.value.status == status


@pytest.mark.parametrize("status", [500, 502, 503, 300, 418])
async def test_fetch_other_statuses_are_server_errors(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession, status: int
) -> None:
    """Every other status is a server error that keeps the status code."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, text="<html>oops</html>")

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusServerError) as exc_info:
        await fetch(session, server.make_url(PATH))

    assert exc_info.value.status == status
    assert str(exc_info.value) == f"HTTP {status}"
    assert isinstance(exc_info.value, CloudStatusConnectionError)


# --- fetch: body size ----------------------------------------------------------------


async def test_fetch_refuses_declared_length_over_default_limit(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A Content-Length over 5 MB is refused from the header alone."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b" " * (MAX_BODY_BYTES + 1))

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusResponseTooLargeError) as exc_info:
        await fetch(session, server.make_url(PATH))

    assert f"answer of {MAX_BODY_BYTES + 1} bytes" in str(exc_info.value)
    assert isinstance(exc_info.value, CloudStatusParseError)


async def test_fetch_refuses_declared_length_without_reading_body(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A huge declared length fails at once, even when the body never comes."""
    release = asyncio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_length = 10 * MAX_BODY_BYTES
        await response.prepare(request)
        await response.write(b"{")
        await release.wait()
        return response

    server = await _serve(aiohttp_server, handler)
    try:
        with pytest.raises(CloudStatusResponseTooLargeError):
            await fetch(session, server.make_url(PATH), request_timeout=5)
    finally:
        release.set()


async def test_fetch_refuses_chunked_body_over_default_limit(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A chunked body without Content-Length is cut off once it passes 5 MB."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return await _stream(request, MAX_BODY_BYTES + 1)

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusResponseTooLargeError) as exc_info:
        await fetch(session, server.make_url(PATH))

    assert str(exc_info.value) == f"answer exceeds the {MAX_BODY_BYTES} byte limit"


@pytest.mark.parametrize(
    ("size", "too_large"),
    [(999, False), (1000, False), (1001, True), (200_000, True)],
)
async def test_fetch_chunked_limit_boundary(
    aiohttp_server: ServerFactory,
    session: aiohttp.ClientSession,
    size: int,
    too_large: bool,
) -> None:
    """A streamed body of exactly max_bytes is accepted; one byte more is refused."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return await _stream(request, size)

    server = await _serve(aiohttp_server, handler)
    if too_large:
        with pytest.raises(CloudStatusResponseTooLargeError):
            await fetch(session, server.make_url(PATH), max_bytes=1000)
    else:
        response = await fetch(session, server.make_url(PATH), max_bytes=1000)
        assert len(response.body) == size


async def test_fetch_declared_length_boundary(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A Content-Length equal to max_bytes is read in full."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 1000)

    server = await _serve(aiohttp_server, handler)
    response = await fetch(session, server.make_url(PATH), max_bytes=1000)

    assert response.body == b"x" * 1000


async def test_fetch_limit_counts_decompressed_bytes(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A small gzip body that inflates past the limit is refused (no compression bomb)."""
    compressed = gzip.compress(b" " * 200_000)
    assert len(compressed) < 1000

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=compressed, headers={"Content-Encoding": "gzip"})

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusResponseTooLargeError):
        await fetch(session, server.make_url(PATH), max_bytes=1000)


# --- fetch: transport failures -------------------------------------------------------


async def test_fetch_timeout(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A server slower than the timeout gives a timeout error."""
    release = asyncio.Event()

    async def handler(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({})

    server = await _serve(aiohttp_server, handler)
    try:
        with pytest.raises(CloudStatusTimeoutError) as exc_info:
            await fetch(session, server.make_url(PATH), request_timeout=0.1)
    finally:
        release.set()

    assert str(exc_info.value) == "no answer within 0.1 s"
    assert isinstance(exc_info.value.__cause__, TimeoutError)
    assert isinstance(exc_info.value, CloudStatusConnectionError)


async def test_fetch_unreachable_host(session: aiohttp.ClientSession) -> None:
    """A closed port on 127.0.0.1 gives a connection error (not a timeout)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(CloudStatusConnectionError) as exc_info:
        await fetch(session, URL(f"http://127.0.0.1:{port}{PATH}"), request_timeout=5)

    assert not isinstance(exc_info.value, CloudStatusTimeoutError)
    assert isinstance(exc_info.value.__cause__, aiohttp.ClientConnectorError)
    assert str(exc_info.value) == type(exc_info.value.__cause__).__name__
    assert str(port) not in str(exc_info.value)


async def test_fetch_body_cut_short(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """A connection that drops before the declared length is a connection error."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_length = 100
        await response.prepare(request)
        await response.write(b'{"page": ')
        assert request.transport is not None
        request.transport.close()
        return response

    server = await _serve(aiohttp_server, handler)
    with pytest.raises(CloudStatusConnectionError) as exc_info:
        await fetch(session, server.make_url(PATH))

    assert isinstance(exc_info.value.__cause__, aiohttp.ClientError)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"detail": "Invalid API key"}', (None, "Invalid API key")),
        (
            b'{"detail": [{"loc": ["query", "page"], "msg": "must be > 0"}]}',
            (None, "must be > 0"),
        ),
        (b'{"detail": ["not an object"]}', (None, None)),
        (
            b'{"detail": {"code": "scope_missing", "message": "Needs status:read"}}',
            ("scope_missing", "Needs status:read"),
        ),
        (
            b'{"error": "invalid_client", "error_description": "bad secret"}',
            ("invalid_client", "bad secret"),
        ),
        (
            b'{"error_code": "403003", "message": "Api Key is invalid"}',
            ("403003", "Api Key is invalid"),
        ),
        (
            b'{"error_code": 401013, "message": "Oauth token is not valid"}',
            ("401013", "Oauth token is not valid"),
        ),
        (b'{"error": "Could not authenticate"}', (None, "Could not authenticate")),
        (b'{"error": "Not allowed", "message": "Key revoked"}', (None, "Key revoked")),
        (b'{"message": "  The page is gone  "}', (None, "The page is gone")),
        (b'{"code": true, "message": ""}', (None, None)),
        (b"[1, 2]", (None, None)),
        (b"<html>Bad gateway</html>", (None, None)),
        (b"", (None, None)),
    ],
    ids=[
        "detail",
        "fastapi_list",
        "detail_list_of_text",
        "structured_detail",
        "ims",
        "gateway",
        "numeric_code",
        "statuspage_error",
        "error_and_message",
        "statuspage_message",
        "empty_values",
        "array",
        "html",
        "empty",
    ],
)
def test_error_details(body: bytes, expected: tuple[str | None, str | None]) -> None:
    """Providers' error bodies give their code and message; anything else gives none."""
    assert error_details(body) == expected


def test_error_details_are_bounded() -> None:
    """A provider's message is cut to a few hundred characters."""
    _, message = error_details(b'{"message": "' + b"x" * 5000 + b'"}')
    assert message is not None
    assert len(message) == 300


async def test_error_body_reaches_the_exception(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """The error's code and message come from the body; the URL does not appear."""

    async def refuse(request: web.Request) -> web.Response:
        return web.json_response(
            {"error": "invalid_scope", "error_description": "metascopes differ"},
            status=400,
        )

    server = await _serve(aiohttp_server, refuse)
    with pytest.raises(CloudStatusServerError) as caught:
        await fetch(session, server.make_url(PATH).with_query(api_key="s3cr3t"))
    assert caught.value.status == 400
    assert caught.value.error_code == "invalid_scope"
    assert caught.value.detail == "metascopes differ"
    assert str(caught.value) == "HTTP 400: metascopes differ"
    assert "s3cr3t" not in str(caught.value)


async def test_post_sends_the_form(
    aiohttp_server: ServerFactory, session: aiohttp.ClientSession
) -> None:
    """`request` sends a urlencoded form with the method asked for."""
    received: dict[str, str] = {}

    async def token(request: web.Request) -> web.Response:
        received.update(await request.post())  # type: ignore[arg-type]
        received["method"] = request.method
        return web.json_response({"access_token": "t"})

    app = web.Application()
    app.router.add_post("/ims/token/v3", token)
    server = await aiohttp_server(app)
    response = await request(
        session,
        "POST",
        server.make_url("/ims/token/v3"),
        form={"grant_type": "client_credentials", "client_id": "abc"},
    )
    assert response.status == 200
    assert received == {
        "grant_type": "client_credentials",
        "client_id": "abc",
        "method": "POST",
    }


async def test_unreadable_error_body_still_maps_the_status() -> None:
    """An error body that breaks off while read still gives the status's error."""
    content = Mock()
    content.read = AsyncMock(side_effect=aiohttp.ClientPayloadError("cut"))
    response = Mock(content=content)
    assert await _read_error_details(response) == (None, None)


# --- validators and header values -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"33a64df551425fcc55e4d42a148795d9f25f89d4"', True),
        ('W/"0815"', True),
        ("Fri, 20 Nov 2026 10:00:00 GMT", True),
        ("a\tb", True),
        ("x", True),
        ("", False),
        (" ", False),
        (" leading", False),
        ("trailing\t", False),
        ("\x11", False),
        ('"a\x00b"', False),
        ("a\r\nSet-Cookie: x", False),
        ("del\x7f", False),
        ('"caf\u00e9"', False),
        ("\udcff", False),
    ],
    ids=[
        "strong-etag",
        "weak-etag",
        "http-date",
        "inner-tab",
        "one-char",
        "empty",
        "blank",
        "leading-space",
        "trailing-tab",
        "control",
        "nul",
        "crlf",
        "del",
        "not-ascii",
        "surrogate",
    ],
)
def test_is_header_value(value: str, expected: bool) -> None:
    """Visible ASCII with inner spaces and tabs (RFC 9110 field-value, no obs-text)."""
    assert is_header_value(value) is expected


def test_validators_build_the_conditional_headers() -> None:
    """Nothing at first; then what the last answer gave, each header on its own."""
    validators = Validators()
    assert validators.headers() == {}

    validators.remember(
        CIMultiDict({"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 10:00:00 GMT"})
    )
    assert validators.headers() == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Fri, 20 Nov 2026 10:00:00 GMT",
    }

    validators.remember(CIMultiDict({"etag": '"v2"'}))
    assert validators.headers() == {"If-None-Match": '"v2"'}

    validators.remember(CIMultiDict({"ETag": "\x11", "Last-Modified": "Fri"}))
    assert validators.headers() == {"If-Modified-Since": "Fri"}

    validators.remember(CIMultiDict())
    assert validators.headers() == {}


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("http://127.0.0.1:8080/", True),
        ("http://[::1]/", True),
        ("http://[fe80::1%25eth0]/", True),
        ("https://status.example.com/", True),
        ("https://status.example.com./", True),
        ("http://localhost/", True),
        ("http://status_page.lan/", True),
        ("https://xn--9ca.example.com/", True),
        (f"https://{'a' * 63}.com/", True),
        (f"https://{'a.' * 125}com/", True),
        ("/relative", False),
        ("http://xn--/", False),
        ("http://xn--a.com/", False),
        ("http://xn--zz.com/", False),
        (f"https://{'a' * 64}.com/", False),
        (f"https://{'a.' * 126}com/", False),
        ("http://a..b/", False),
        ("http://./", False),
        ("http://-a.com/", False),
        ("http://a-.com/", False),
        ("http://a%41.com/", False),
    ],
)
def test_is_host_name(address: str, expected: bool) -> None:
    """IP addresses and DNS names whose labels are 1-63 characters and decode."""
    assert is_host_name(URL(address)) is expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (None, False),
        ("100", False),
        ("101", True),
        ("0000000000000000000000000100", False),
        ("9" * 30, True),
        ("9" * 5000, True),
        ("\u00b2", False),
        ("\u0661\u0660\u0660\u0660", False),
        ("-1", False),
        ("", False),
    ],
    ids=[
        "absent",
        "at-limit",
        "over",
        "leading-zeros",
        "long",
        "too-long-for-int",
        "superscript",
        "arabic-digits",
        "negative",
        "empty",
    ],
)
def test_declared_length_over_the_limit(declared: str | None, expected: bool) -> None:
    """Only plain ASCII digits count; any number of them is read without an error."""
    assert _declared_over(declared, 100) is expected


class _RaisingSession:
    """A session whose request fails before any answer, as aiohttp may."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def request(self, *args: object, **kwargs: object) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValueError("Forbidden control character detected in headers."), "parse"),
        (UnicodeEncodeError("latin-1", "\u20ac", 0, 1, "no"), "parse"),
        (ConnectionResetError(104, "Connection reset by peer"), "connection"),
        (OSError(113, "No route to host"), "connection"),
    ],
    ids=["value-error", "unicode-error", "reset", "os-error"],
)
async def test_request_maps_what_aiohttp_lets_through(
    error: Exception, expected: str
) -> None:
    """A ValueError from sending is a parse error, an OSError a connection error."""
    session: Any = _RaisingSession(error)

    with pytest.raises(CloudStatusError) as caught:
        await fetch(session, URL("http://127.0.0.1/x"), headers={"X": "secret"})

    if expected == "parse":
        assert isinstance(caught.value, CloudStatusParseError)
        assert caught.value.__cause__ is None
    else:
        assert isinstance(caught.value, CloudStatusConnectionError)
        assert not isinstance(caught.value, CloudStatusTimeoutError)
        assert caught.value.__cause__ is error
    assert "secret" not in str(caught.value)
