"""Adobe Photoshop API job status (`GET /v2/status/{jobId}`) with an IMS token.

A job is polled once, or until it finishes, with exponential backoff (2 s, x1.5,
capped at 30 s). What a job id and a job status are, and how an answer parses, is in
`photoshop_jobs`; its names are re-exported here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from http import HTTPStatus
import logging
import math
import time
from typing import Final
from urllib.parse import quote

import aiohttp
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
from .photoshop_jobs import (
    JOB_FAILED,
    JOB_PENDING,
    JOB_RUNNING,
    JOB_SUCCEEDED,
    InvalidJobIdError,
    JobError,
    JobOutput,
    JobWaitResult,
    PhotoshopJob,
    base64_decoded_size,
    parse_job_id,
    parse_job_status,
)
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

QUOTA_ERROR_CODE: Final = "403421"

# Failures of a later poll that the next backoff step may get past.
_TRANSIENT_ERRORS = (
    CloudStatusConnectionError,
    CloudStatusRateLimitError,
    CloudStatusParseError,
)


class PhotoshopJobRejectedError(CloudStatusError):
    """The Photoshop API refused the job id as malformed (HTTP 400)."""


class PhotoshopQuotaExhaustedError(CloudStatusError):
    """The credentials' Photoshop API quota is used up (HTTP 403)."""


class PhotoshopAccessDeniedError(CloudStatusError):
    """The credentials may not use the Photoshop API (HTTP 403: entitlement, block, scope)."""


# --- backoff -------------------------------------------------------------------------


def next_backoff(delay: float) -> float:
    """Return the pause that follows `delay`: 1.5 times longer, capped at 30 s."""
    return min(delay * BACKOFF_FACTOR, BACKOFF_MAX)


def backoff_delays() -> Iterator[float]:
    """Yield the pauses between polls: 2, 3, 4.5, 6.75, ... capped at 30 s, forever."""
    delay = BACKOFF_FIRST
    while True:
        yield delay
        delay = next_backoff(delay)


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
