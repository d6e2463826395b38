"""One background poll of a tracked job, and what its answer means for the job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..api import CloudStatusError, CloudStatusNotFoundError, CloudStatusRateLimitError
from ..api.photoshop import RATE_LIMIT_PAUSE, PhotoshopClient, PhotoshopJob
from .responses import (
    JOB_FAILED_EVENT,
    JOB_NOT_FOUND,
    JOB_TIMED_OUT_EVENT,
    bare_job_data,
    end_event,
    job_data,
)
from .store import TrackedJob

# How long a poll may queue behind the entry's other requests (or a 429 pause) before
# it gives up and the job moves to its next step.
POLL_MAX_WAIT = 2.0

type JobEnd = tuple[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class PollAnswer:
    """What one poll got: the job's status, an error, or that the API has no such job."""

    job: PhotoshopJob | None = None
    error: CloudStatusError | None = None
    not_found: bool = False

    def apply(self, tracked: TrackedJob, now: datetime) -> JobEnd | None:
        """Return the event (type, data) of a job this answer ends; else book its next poll.

        A job the API does not know (any more) has ended: asking again would not change
        that. One the answer leaves running times out at its deadline.
        """
        job = self.job
        if self.not_found:
            return JOB_FAILED_EVENT, bare_job_data(tracked.job_id, JOB_NOT_FOUND)
        if job is not None and job.finished:
            return end_event(job), job_data(job, tracked.job_id)
        if job is not None:
            tracked.status = job.status
        if now >= tracked.deadline:
            return JOB_TIMED_OUT_EVENT, bare_job_data(tracked.job_id, tracked.status)
        not_before = 0.0
        if isinstance(self.error, CloudStatusRateLimitError):
            retry_after = self.error.retry_after
            not_before = RATE_LIMIT_PAUSE if retry_after is None else retry_after
        tracked.step(now, not_before=not_before)
        return None


async def async_poll(client: PhotoshopClient, job_id: str) -> PollAnswer:
    """Ask for a job's status once; a refusal or failure is an answer too.

    A job the API answers 404 for is not a failed request: it was answered.
    """
    try:
        return PollAnswer(job=await client.get_job(job_id, max_wait=POLL_MAX_WAIT))
    except CloudStatusNotFoundError:
        return PollAnswer(not_found=True)
    except CloudStatusError as err:
        return PollAnswer(error=err)
