"""HTTP plumbing shared by the API clients.

Bounded reads, status mapping, Retry-After, and the validators of conditional requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
import ipaddress
import math
import re
from typing import NoReturn

import aiohttp
from multidict import CIMultiDict
import orjson
from yarl import URL

from .errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
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
# A Content-Length longer than this many digits is over any limit we would read.
_MAX_LENGTH_DIGITS = 18
# RFC 9110 field-value: visible ASCII, with spaces and tabs only inside. (obs-text, the
# bytes 0x80-0xFF, is left out: aiohttp would send it re-encoded, not as received.)
_FIELD_VALUE = re.compile(r"[!-~](?:[ \t!-~]*[!-~])?")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?", re.IGNORECASE)
_MAX_HOST_NAME = 253
_REFUSED_REQUEST = "the request could not be sent (a header value was refused)"


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


def is_header_value(value: str) -> bool:
    """Whether `value` may be sent as a header value (RFC 9110 field-value, ASCII only).

    Empty values are refused too: an empty validator asks for nothing.
    """
    return _FIELD_VALUE.fullmatch(value) is not None


class Validators:
    """The ETag and Last-Modified of the last answer, for the next conditional request.

    Only values that could be sent back as they came are kept: a validator with a control
    character (or anything else a header value may not hold) is dropped, and the next
    request goes without it.
    """

    __slots__ = ("_etag", "_last_modified")

    def __init__(self) -> None:
        """Start with nothing to send: the first request is unconditional."""
        self._etag: str | None = None
        self._last_modified: str | None = None

    def remember(self, headers: Mapping[str, str]) -> None:
        """Keep the validators of an answer, replacing the old ones; drop unsendable ones."""
        self._etag = _acceptable(headers.get("ETag"))
        self._last_modified = _acceptable(headers.get("Last-Modified"))

    def headers(self) -> dict[str, str]:
        """Return the conditional request headers for what is kept."""
        headers: dict[str, str] = {}
        if self._etag is not None:
            headers["If-None-Match"] = self._etag
        if self._last_modified is not None:
            headers["If-Modified-Since"] = self._last_modified
        return headers


def is_host_name(url: URL) -> bool:
    """Whether the URL names a host one can connect to: an IP address or a DNS name.

    A DNS name has at most 253 characters in labels of 1 to 63 letters, digits, hyphens
    (not first or last) and underscores, and its IDNA (`xn--`) labels decode. yarl gives
    the host lower-cased and IDNA-encoded already.
    """
    raw = url.raw_host
    if not raw:
        return False
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        pass
    else:
        return True
    name = raw.removesuffix(".")
    if not 0 < len(name) <= _MAX_HOST_NAME or not all(
        _HOST_LABEL.fullmatch(label) for label in name.split(".")
    ):
        return False
    try:
        # yarl decodes IDNA here, and raises UnicodeError for labels like "xn--a".
        return url.host is not None
    except UnicodeError:
        return False


def _acceptable(value: str | None) -> str | None:
    return value if value is not None and is_header_value(value) else None


def _declared_over(value: str | None, limit: int) -> bool:
    """Whether a Content-Length declares more than `limit` bytes (unreadable ones do not)."""
    if value is None or not (value.isascii() and value.isdigit()):
        return False
    digits = value.lstrip("0")
    # Python refuses int() of a very long digit string; such a length is over any limit.
    return len(digits) > _MAX_LENGTH_DIGITS or int(digits or "0") > limit


async def _read_bounded(response: aiohttp.ClientResponse, limit: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if _declared_over(declared, limit):
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
    except aiohttp.ClientError, OSError:
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
    urlencoded. The URL and the header values are left out of error messages on
    purpose: they may carry credentials.

    Nothing but our errors leaves: a request aiohttp refuses to send (a header value
    with a control character, which must never be a provider's validator echoed back)
    is a parse error.
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
    except ValueError:
        # aiohttp's message names the problem, not the value; the value may be a secret.
        raise CloudStatusParseError(_REFUSED_REQUEST) from None
    except OSError as err:
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
