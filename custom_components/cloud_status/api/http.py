"""HTTP plumbing shared by the API clients: bounded reads, status mapping, Retry-After."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
import math

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_RETRY_AFTER = 86400.0
DEFAULT_TIMEOUT = 15.0
USER_AGENT = (
    "HomeAssistant-CloudStatus/0.1 (+https://github.com/cloud-status/cloud_status)"
)
_READ_CHUNK = 64 * 1024
_RATE_LIMIT_STATUSES = frozenset({HTTPStatus.TOO_MANY_REQUESTS, 420})


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A fully read HTTP answer."""

    status: int
    url: URL
    headers: Mapping[str, str]
    body: bytes


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the delay a Retry-After header asks for, in seconds (delta or HTTP date)."""
    if value is None or not (value := value.strip()):
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # inf/nan would stop polling for good; an absurd delay is capped at a day.
        return (
            min(max(0.0, seconds), MAX_RETRY_AFTER) if math.isfinite(seconds) else None
        )
    try:
        when = parsedate_to_datetime(value)
    except TypeError, ValueError, IndexError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delay = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(0.0, delay), MAX_RETRY_AFTER)


async def _read_bounded(response: aiohttp.ClientResponse, limit: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise CloudStatusResponseTooLargeError(
            f"answer of {declared} bytes exceeds the {limit} byte limit"
        )
    chunks: list[bytes] = []
    size = 0
    stream = response.content
    while chunk := await stream.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise CloudStatusResponseTooLargeError(
                f"answer exceeds the {limit} byte limit"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch(
    session: aiohttp.ClientSession,
    url: URL,
    *,
    headers: Mapping[str, str] | None = None,
    request_timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BODY_BYTES,
) -> HttpResponse:
    """GET a URL and return its answer, mapping transport and HTTP failures to our errors.

    2xx and 304 are returned; 401/403, 404, 420/429 and every other status raise.
    The URL in error messages is left out on purpose: it may carry credentials.
    """
    request_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if headers:
        request_headers.update(headers)
    try:
        async with asyncio.timeout(request_timeout):
            async with session.get(url, headers=request_headers) as response:
                status = response.status
                if status in _RATE_LIMIT_STATUSES:
                    raise CloudStatusRateLimitError(
                        parse_retry_after(response.headers.get("Retry-After"))
                    )
                if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                    raise CloudStatusAuthError(f"HTTP {status}")
                if status == HTTPStatus.NOT_FOUND:
                    raise CloudStatusNotFoundError("HTTP 404")
                if status == HTTPStatus.NOT_MODIFIED:
                    body = b""
                elif 200 <= status < 300:  # noqa: PLR2004
                    body = await _read_bounded(response, max_bytes)
                else:
                    raise CloudStatusServerError(status)
                return HttpResponse(
                    status=status,
                    url=response.url,
                    headers=CIMultiDict(response.headers),
                    body=body,
                )
    except TimeoutError as err:
        raise CloudStatusTimeoutError(
            f"no answer within {request_timeout:g} s"
        ) from err
    except aiohttp.ClientError as err:
        raise CloudStatusConnectionError(type(err).__name__) from err
