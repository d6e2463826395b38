"""HTTP plumbing shared by the API clients: bounded reads, status mapping, Retry-After."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
import math
from typing import NoReturn

import aiohttp
from multidict import CIMultiDict
import orjson
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
    "HomeAssistant-CloudStatus/0.3 (+https://github.com/cloud-status/cloud_status)"
)
_READ_CHUNK = 64 * 1024
_MAX_ERROR_BODY = 4096
_MAX_DETAIL_CHARS = 300
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


def error_details(body: bytes) -> tuple[str | None, str | None]:
    """Return the (code, message) a provider's JSON error body gives, if any.

    Understands the shapes our providers use: `{"detail": ...}` (CloudSigma, also a
    FastAPI list or a `{code, message}` object), `{"error": ..., "error_description": ...}`
    (Adobe IMS), `{"error_code": ..., "message": ...}` (Adobe's gateway) and
    `{"error": "Could not authenticate"}` or `{"message": ...}` (Statuspage).
    """
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(payload, dict):
        return None, None
    code = _text(payload.get("error_code")) or _text(payload.get("code"))
    message = (
        _text(payload.get("error_description"))
        or _detail_text(payload.get("detail"))
        or _text(payload.get("message"))
    )
    error = _text(payload.get("error"))
    if error is not None:
        # IMS sends a machine code in "error"; Statuspage sends a sentence there.
        if code is None and " " not in error:
            code = error
        elif message is None:
            message = error
    if code is None and isinstance(payload.get("detail"), dict):
        code = _text(payload["detail"].get("code"))
    return code, message


def _text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value[:_MAX_DETAIL_CHARS]
    return None


def _detail_text(value: object) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("message")) or _text(value.get("msg"))
    if isinstance(value, list) and value:
        return _detail_text(value[0]) if isinstance(value[0], dict) else None
    return _text(value)


async def _read_error_details(
    response: aiohttp.ClientResponse,
) -> tuple[str | None, str | None]:
    try:
        body = await response.content.read(_MAX_ERROR_BODY)
    except aiohttp.ClientError, TimeoutError:
        return None, None
    return error_details(body)


async def request(
    session: aiohttp.ClientSession,
    method: str,
    url: URL,
    *,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
    request_timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BODY_BYTES,
) -> HttpResponse:
    """Send a request and return its answer, mapping failures to our errors.

    2xx and 304 are returned; 401/403, 404, 420/429 and every other status raise, with
    the provider's error code and message when its body has them. `form` is sent
    urlencoded. The URL is left out of error messages on purpose: it may carry
    credentials.
    """
    request_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if headers:
        request_headers.update(headers)
    try:
        async with asyncio.timeout(request_timeout):
            async with session.request(
                method,
                url,
                headers=request_headers,
                data=dict(form) if form is not None else None,
            ) as response:
                status = response.status
                if status == HTTPStatus.NOT_MODIFIED:
                    body = b""
                elif 200 <= status < 300:  # noqa: PLR2004
                    body = await _read_bounded(response, max_bytes)
                else:
                    code, detail = await _read_error_details(response)
                    _raise_for_status(status, response.headers, code, detail)
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


def _raise_for_status(
    status: int,
    headers: Mapping[str, str],
    code: str | None,
    detail: str | None,
) -> NoReturn:
    if status in _RATE_LIMIT_STATUSES:
        raise CloudStatusRateLimitError(
            parse_retry_after(headers.get("Retry-After")),
            error_code=code,
            detail=detail,
        )
    if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        raise CloudStatusAuthError(
            f"HTTP {status}", status=status, error_code=code, detail=detail
        )
    if status == HTTPStatus.NOT_FOUND:
        raise CloudStatusNotFoundError("HTTP 404", error_code=code, detail=detail)
    raise CloudStatusServerError(status, error_code=code, detail=detail)


async def fetch(
    session: aiohttp.ClientSession,
    url: URL,
    *,
    headers: Mapping[str, str] | None = None,
    request_timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BODY_BYTES,
) -> HttpResponse:
    """GET a URL (see `request`)."""
    return await request(
        session,
        "GET",
        url,
        headers=headers,
        request_timeout=request_timeout,
        max_bytes=max_bytes,
    )
