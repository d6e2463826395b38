"""Adobe Photoshop API job status (`GET /v2/status/{jobId}`) with an IMS token.

A job id comes as a bare UUID or as a v1 or v2 status URL. A job is polled once, or
until it finishes, with exponential backoff (2 s, x1.5, capped at 30 s). Embedded
output content is never kept: only its decoded size is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
import logging
import math
import re
import time
from typing import Any, Final
from urllib.parse import quote

import aiohttp
import orjson
from yarl import URL

from .adobe_ims import ImsTokenProvider, call_with_token
from .errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
)
from .http import DEFAULT_TIMEOUT, fetch
from .parsing import loads, optional_str, parse_time, require_dict
from .ratelimit import RequestSpacer

_LOGGER = logging.getLogger(__name__)

PHOTOSHOP_API_URL: Final = URL("https://photoshop-api.adobe.io")
STATUS_PATH: Final = ("v2", "status")
BACKOFF_FIRST: Final = 2.0
BACKOFF_FACTOR: Final = 1.5
BACKOFF_MAX: Final = 30.0
RATE_LIMIT_PAUSE: Final = 60.0
# A poll may queue this long behind the entry's other requests even at the deadline:
# its turn comes within a fraction of a second, well inside one backoff step.
QUEUE_GRACE: Final = 2.0

JOB_PENDING: Final = "pending"
JOB_RUNNING: Final = "running"
JOB_SUCCEEDED: Final = "succeeded"
JOB_FAILED: Final = "failed"
FINISHED_STATUSES: Final = frozenset({JOB_SUCCEEDED, JOB_FAILED})

QUOTA_ERROR_CODE: Final = "403421"

_UUID_PATTERN = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_BARE_UUID = re.compile(_UUID_PATTERN)
# The status endpoints of v2 and of the v1 services (Lightroom, Photoshop, Sensei, masking).
_STATUS_URL_PATH = re.compile(
    r"/(?:v2/status|lrService/status|pie/psdService/status|sensei/status|v1/status)"
    rf"/(?P<uuid>{_UUID_PATTERN})/?"
)
_URL_SCHEMES = frozenset({"http", "https"})
_NOT_A_JOB_ID = "not a Photoshop job id or status URL"

# Standard and URL-safe base64 alphabets; everything else ('=', whitespace) is no data.
_BASE64_ALPHABET = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
)
_NOT_BASE64 = bytes(byte for byte in range(128) if byte not in _BASE64_ALPHABET)

# Failures of a later poll that the next backoff step may get past.
_TRANSIENT_ERRORS = (
    CloudStatusConnectionError,
    CloudStatusRateLimitError,
    CloudStatusParseError,
)


class InvalidJobIdError(ValueError):
    """The text is neither a job UUID nor a Photoshop status URL holding one."""


class PhotoshopJobRejectedError(CloudStatusError):
    """The Photoshop API refused the job id as malformed (HTTP 400)."""


class PhotoshopQuotaExhaustedError(CloudStatusError):
    """The credentials' Photoshop API quota is used up (HTTP 403)."""


class PhotoshopAccessDeniedError(CloudStatusError):
    """The credentials may not use the Photoshop API (HTTP 403: entitlement, block, scope)."""


# --- job ids and backoff -------------------------------------------------------------


def parse_job_id(value: str) -> str:
    """Return the canonical (lower-case) job UUID of a bare id or a v1/v2 status URL.

    Raise `InvalidJobIdError` for anything else; the message never quotes the input,
    which may hold a credential.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text or any(char.isspace() for char in text):
        raise InvalidJobIdError(_NOT_A_JOB_ID)
    if _BARE_UUID.fullmatch(text):
        return text.lower()
    try:
        url = URL(text)
    except ValueError, TypeError:
        raise InvalidJobIdError(_NOT_A_JOB_ID) from None
    if (
        url.scheme not in _URL_SCHEMES
        or not url.raw_host
        or (match := _STATUS_URL_PATH.fullmatch(url.raw_path)) is None
    ):
        raise InvalidJobIdError(_NOT_A_JOB_ID)
    return match["uuid"].lower()


def next_backoff(delay: float) -> float:
    """Return the pause that follows `delay`: 1.5 times longer, capped at 30 s."""
    return min(delay * BACKOFF_FACTOR, BACKOFF_MAX)


def backoff_delays() -> Iterator[float]:
    """Yield the pauses between polls: 2, 3, 4.5, 6.75, ... capped at 30 s, forever."""
    delay = BACKOFF_FIRST
    while True:
        yield delay
        delay = next_backoff(delay)


# --- parsing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobOutput:
    """One output of a job: where it is, its type and, when embedded, its size."""

    url: str | None
    media_type: str | None
    content_bytes: int | None

    def as_dict(self) -> dict[str, Any]:
        """Return the action's output shape; `content_bytes` only for embedded outputs."""
        result: dict[str, Any] = {"url": self.url, "mediaType": self.media_type}
        if self.content_bytes is not None:
            result["content_bytes"] = self.content_bytes
        return result


@dataclass(frozen=True, slots=True)
class JobError:
    """One entry of a failed job's `errorDetails`."""

    code: str | None
    message: str | None

    def as_dict(self) -> dict[str, str | None]:
        """Return the action's error shape."""
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class PhotoshopJob:
    """A job's status as the API reported it."""

    job_id: str
    status: str
    created: datetime | None
    modified: datetime | None
    outputs: tuple[JobOutput, ...]
    errors: tuple[JobError, ...]

    @property
    def finished(self) -> bool:
        """Whether the job has ended (succeeded or failed)."""
        return self.status.lower() in FINISHED_STATUSES


@dataclass(frozen=True, slots=True)
class JobWaitResult:
    """The last status seen by `wait_for_job`, and whether the wait ran out."""

    job: PhotoshopJob
    timed_out: bool


def base64_decoded_size(content: str) -> int:
    """Return how many bytes a base64 text decodes to, without decoding it.

    Counts the characters of the standard and URL-safe alphabets; padding and
    whitespace carry no data.
    """
    data = content.encode("ascii", "ignore").translate(None, _NOT_BASE64)
    return len(data) * 3 // 4


def _json_size(content: Any) -> int | None:
    try:
        return len(orjson.dumps(content))
    except orjson.JSONEncodeError:
        # Nested deeper than orjson writes: the size stays unknown.
        return None


def _embedded_size(kind: object, content: Any) -> int | None:
    if content is None:
        return None
    if isinstance(content, str):
        if isinstance(kind, str) and kind.lower() == "base64":
            return base64_decoded_size(content)
        return len(content.encode())
    return _json_size(content)


def _parse_output(item: dict[str, Any]) -> JobOutput:
    destination = item.get("destination")
    if not isinstance(destination, dict):
        destination = {}
    content_bytes = None
    if "embedded" in destination:
        content = (
            destination["content"] if "content" in destination else item.get("content")
        )
        content_bytes = _embedded_size(destination["embedded"], content)
    return JobOutput(
        url=optional_str(item, "url") or optional_str(destination, "url"),
        media_type=optional_str(item, "mediaType"),
        content_bytes=content_bytes,
    )


def _error_code(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value else None


def _parse_error(item: dict[str, Any]) -> JobError:
    return JobError(
        code=_error_code(item.get("errorCode")),
        message=optional_str(item, "message"),
    )


def _objects(value: object) -> list[dict[str, Any]]:
    """Return the objects of a list (others skipped); a lone object is a list of one."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def parse_job_status(body: bytes, requested_id: str) -> PhotoshopJob:
    """Parse a `/v2/status/{jobId}` answer; `requested_id` stands in for a missing jobId."""
    payload = require_dict(loads(body), "job status")
    status = payload.get("status")
    if not isinstance(status, str) or not status:
        raise CloudStatusParseError("job status has no 'status'")
    result = payload.get("result")
    outputs = result.get("outputs") if isinstance(result, dict) else None
    return PhotoshopJob(
        job_id=optional_str(payload, "jobId") or requested_id,
        status=status,
        created=parse_time(payload.get("createdTime")),
        modified=parse_time(payload.get("modifiedTime")),
        outputs=tuple(_parse_output(item) for item in _objects(outputs)),
        errors=tuple(
            _parse_error(item) for item in _objects(payload.get("errorDetails"))
        ),
    )


# --- client --------------------------------------------------------------------------


def _forbidden(err: CloudStatusAuthError) -> CloudStatusError:
    """Tell a used-up quota from a refusal that a new token would not change."""
    if err.error_code == QUOTA_ERROR_CODE or "quota" in (err.detail or "").lower():
        return PhotoshopQuotaExhaustedError(
            "the Photoshop API quota is exhausted",
            error_code=err.error_code,
            detail=err.detail,
        )
    return PhotoshopAccessDeniedError(
        "the Photoshop API denied access",
        error_code=err.error_code,
        detail=err.detail,
    )


class PhotoshopClient:
    """Read Photoshop API job statuses with an IMS token and the credentials' client id."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_provider: ImsTokenProvider,
        client_id: str,
        *,
        spacer: RequestSpacer | None = None,
        base_url: URL = PHOTOSHOP_API_URL,
        request_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Take the shared session, the token provider, the client id (`x-api-key`)."""
        self._session = session
        self._token_provider = token_provider
        self._client_id = client_id
        self._spacer = spacer
        self._base_url = base_url
        self._request_timeout = request_timeout

    def __repr__(self) -> str:
        """Show where the client points, never a credential."""
        return f"<{type(self).__name__} base_url={str(self._base_url)!r}>"

    def status_url(self, job_id: str) -> URL:
        """Return the v2 status URL of a job; the id is quoted as one path segment."""
        segment = quote(job_id, safe="").replace(".", "%2E")
        return self._base_url.joinpath(*STATUS_PATH, segment, encoded=True)

    async def get_job(self, job_id: str, *, max_wait: float = math.inf) -> PhotoshopJob:
        """Fetch a job's status once.

        A refused token (401) is renewed and the request sent once more. `max_wait`
        bounds the wait for the spacer: a longer rate-limit pause raises instead.
        """
        url = self.status_url(job_id)

        async def attempt(token: str) -> bytes:
            if self._spacer is not None:
                await self._spacer.acquire(max_wait)
            return await self._fetch(url, token)

        body = await call_with_token(self._token_provider, attempt)
        return parse_job_status(body, job_id)

    async def _fetch(self, url: URL, token: str) -> bytes:
        headers = {"Authorization": f"Bearer {token}", "x-api-key": self._client_id}
        try:
            response = await fetch(
                self._session,
                url,
                headers=headers,
                request_timeout=self._request_timeout,
            )
        except CloudStatusRateLimitError as err:
            if self._spacer is not None:
                self._spacer.pause(
                    RATE_LIMIT_PAUSE if err.retry_after is None else err.retry_after
                )
            raise
        except CloudStatusAuthError as err:
            # Not an auth error from here on: call_with_token must not renew the token.
            if err.status == HTTPStatus.FORBIDDEN:
                raise _forbidden(err) from err
            raise
        except CloudStatusServerError as err:
            if err.status == HTTPStatus.BAD_REQUEST:
                raise PhotoshopJobRejectedError(
                    "the Photoshop API refused the job id",
                    error_code=err.error_code,
                    detail=err.detail,
                ) from err
            raise
        return response.body

    async def wait_for_job(
        self,
        job_id: str,
        # The deadline is part of the polling (last check lands on it), not a cancel.
        timeout: float,  # noqa: ASYNC109
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> JobWaitResult:
        """Poll a job with backoff until it finishes or `timeout` seconds have passed.

        The first request is immediate and its errors propagate. A later poll that
        fails transiently (connection, server error, rate limit, bad answer) is retried
        on the next step, unless the deadline has passed. The last check lands on the
        deadline, so this returns no later than one backoff step after `timeout`.
        """
        if not timeout >= 0:  # also refuses NaN
            raise ValueError("timeout must be a number of seconds, at least 0")
        # Looked up per call, not bound at import: a patched clock (tests) is seen.
        clock = clock or time.monotonic
        sleep = sleep or asyncio.sleep
        deadline = clock() + timeout
        job = await self.get_job(job_id, max_wait=max(QUEUE_GRACE, deadline - clock()))
        delays = backoff_delays()
        while not job.finished:
            now = clock()
            if now >= deadline:
                return JobWaitResult(job, timed_out=True)
            await sleep(min(next(delays), deadline - now))
            try:
                job = await self.get_job(
                    job_id, max_wait=max(QUEUE_GRACE, deadline - clock())
                )
            except CloudStatusResponseTooLargeError:
                raise  # the same job answers the same size again
            except _TRANSIENT_ERRORS as err:
                if clock() >= deadline:
                    # The last status seen stands; the wait ran out either way.
                    return JobWaitResult(job, timed_out=True)
                _LOGGER.debug("Photoshop job poll failed, retrying: %s", err)
        return JobWaitResult(job, timed_out=False)


__all__ = [
    "BACKOFF_FACTOR",
    "BACKOFF_FIRST",
    "BACKOFF_MAX",
    "JOB_FAILED",
    "JOB_PENDING",
    "JOB_RUNNING",
    "JOB_SUCCEEDED",
    "PHOTOSHOP_API_URL",
    "RATE_LIMIT_PAUSE",
    "InvalidJobIdError",
    "JobError",
    "JobOutput",
    "JobWaitResult",
    "PhotoshopAccessDeniedError",
    "PhotoshopClient",
    "PhotoshopJob",
    "PhotoshopJobRejectedError",
    "PhotoshopQuotaExhaustedError",
    "backoff_delays",
    "base64_decoded_size",
    "next_backoff",
    "parse_job_id",
    "parse_job_status",
]
