"""Validators a provider sends that cannot be sent back never wedge a client (issue 12).

aiohttp's own server refuses to write a control character into a header, so these tests
use a small HTTP/1.1 server on 127.0.0.1 that writes its answers byte for byte, as a
misbehaving provider (or a proxy in front of it) does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import json
from typing import Any

import aiohttp
from multidict import CIMultiDict
import pytest
from yarl import URL

from custom_components.cloud_status.api import CloudStatusParseError, StatuspageClient
from custom_components.cloud_status.api.http import fetch
from custom_components.cloud_status.api.statuspage import SUMMARY_PATH
from tests.conftest import load_json_fixture

pytestmark = pytest.mark.usefixtures("socket_enabled")

GOOD_DATE = "Fri, 20 Nov 2026 10:00:00 GMT"


class RawServer:
    """Answer each connection with the next queued raw answer; record request headers."""

    def __init__(self) -> None:
        """Start with nothing queued."""
        self.answers: list[bytes] = []
        self.requests: list[CIMultiDict[str]] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and wait for the open connections."""
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def base(self) -> str:
        """The page's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def add(self, body: bytes, *header_lines: bytes, status: bytes = b"200 OK") -> None:
        """Queue an answer whose extra header lines go out exactly as given."""
        head = [
            b"HTTP/1.1 " + status,
            b"Content-Type: application/json",
            b"Content-Length: " + str(len(body)).encode(),
            b"Connection: close",
            *header_lines,
        ]
        self.answers.append(b"\r\n".join(head) + b"\r\n\r\n" + body)

    def add_summary(self, description: str, *header_lines: bytes) -> None:
        """Queue a 200 summary.json whose status description is `description`."""
        payload: dict[str, Any] = load_json_fixture("api_summary_minimal.json")
        payload["status"]["description"] = description
        self.add(json.dumps(payload).encode(), *header_lines)

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            writer.close()
            return
        headers: CIMultiDict[str] = CIMultiDict()
        for line in head.decode("latin-1").split("\r\n")[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.add(name, value.strip())
        self.requests.append(headers)
        writer.write(self.answers.pop(0))
        await writer.drain()
        writer.close()
        await writer.wait_closed()


@pytest.fixture
async def raw_server() -> AsyncGenerator[RawServer]:
    """Yield a started raw server."""
    server = RawServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.mark.parametrize(
    ("header_lines", "sent_etag", "sent_date"),
    [
        ((b"ETag: \x11",), None, None),
        ((b'ETag: "a\x01b"', b"Last-Modified: " + GOOD_DATE.encode()), None, GOOD_DATE),
        ((b'ETag: "v1"', b"Last-Modified: Fri\x11 20 Nov"), '"v1"', None),
        ((b'ETag: W/"\x1b[31m"', b"Last-Modified: \x7f"), None, None),
        ((b"ETag: \x80\xff",), None, None),
    ],
    ids=[
        "etag-control",
        "etag-control-good-date",
        "date-control-good-etag",
        "both-control",
        "etag-not-ascii",
    ],
)
async def test_unsendable_validators_are_dropped(
    raw_server: RawServer,
    session: aiohttp.ClientSession,
    header_lines: tuple[bytes, ...],
    sent_etag: str | None,
    sent_date: str | None,
) -> None:
    """A validator that is no valid header value is never echoed; the next poll succeeds.

    Before, the second request echoed an `If-None-Match` with a control character,
    aiohttp raised "Forbidden control character detected in headers" and every later
    poll failed the same way until a restart.
    """
    raw_server.add_summary("one", *header_lines)
    raw_server.add_summary("two")
    raw_server.add_summary("three")
    client = StatuspageClient(session, raw_server.base)

    first = await client.async_get_summary()
    second = await client.async_get_summary()
    third = await client.async_get_summary()

    assert first is not None
    assert first.description == "one"
    assert second is not None
    assert second.description == "two"
    assert third is not None
    assert third.description == "three"
    assert raw_server.requests[1].get("If-None-Match") == sent_etag
    assert raw_server.requests[1].get("If-Modified-Since") == sent_date
    # "two" carried no validators: the third poll is unconditional.
    assert "If-None-Match" not in raw_server.requests[2]
    assert "If-Modified-Since" not in raw_server.requests[2]


async def test_unsendable_validator_on_an_unchanged_body_is_dropped_too(
    raw_server: RawServer, session: aiohttp.ClientSession
) -> None:
    """An identical body refreshes the validators: a bad one there replaces the good."""
    raw_server.add_summary("same", b'ETag: "v1"')
    raw_server.add_summary("same", b"ETag: \x11")
    raw_server.add_summary("changed")
    client = StatuspageClient(session, raw_server.base)

    assert await client.async_get_summary() is not None
    assert await client.async_get_summary() is None
    changed = await client.async_get_summary()

    assert changed is not None
    assert changed.description == "changed"
    assert raw_server.requests[1]["If-None-Match"] == '"v1"'
    assert "If-None-Match" not in raw_server.requests[2]


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": "\x11"},
        {"If-Modified-Since": "Fri\r\nX-Injected: 1"},
        {"Authorization": "Bearer secret-token\n"},
    ],
    ids=["control", "crlf", "newline-in-secret"],
)
async def test_a_header_aiohttp_refuses_is_a_parse_error(
    raw_server: RawServer, session: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    """The ValueError aiohttp raises for a refused header value never leaves `request`.

    It becomes a parse error that quotes no header value (it may be a secret), nothing
    is sent, and the next request goes out normally.
    """
    url = URL(raw_server.base).joinpath(SUMMARY_PATH)
    raw_server.add_summary("after")

    with pytest.raises(CloudStatusParseError) as caught:
        await fetch(session, url, headers=headers)

    assert "secret-token" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert raw_server.requests == []
    response = await fetch(session, url)
    assert response.status == 200
    assert len(raw_server.requests) == 1
