"""What the job event and the `get_photoshop_job` action say about a job."""

from __future__ import annotations

from typing import Any

from ..api.photoshop import JOB_SUCCEEDED, JobWaitResult, PhotoshopJob
from ..attributes import iso_or_none

JOB_SUCCEEDED_EVENT = "job_succeeded"
JOB_FAILED_EVENT = "job_failed"
JOB_TIMED_OUT_EVENT = "job_timed_out"
JOB_EVENT_TYPES = [JOB_SUCCEEDED_EVENT, JOB_FAILED_EVENT, JOB_TIMED_OUT_EVENT]
# The status a `job_failed` event gives a tracked job that the API no longer knows.
JOB_NOT_FOUND = "not_found"


def job_data(job: PhotoshopJob, job_id: str) -> dict[str, Any]:
    """Return what an event says about a job: id, status, outputs and errors.

    `job_id` is the id the job was asked for, whatever spelling Adobe answers with.
    """
    return {
        "job_id": job_id,
        "status": job.status,
        "outputs": [output.as_dict() for output in job.outputs],
        "errors": [error.as_dict() for error in job.errors],
    }


def bare_job_data(job_id: str, status: str | None) -> dict[str, Any]:
    """Return an event's data for a job that ended without a final answer."""
    return {"job_id": job_id, "status": status, "outputs": [], "errors": []}


def end_event(job: PhotoshopJob) -> str:
    """Return the event type of a job that has ended."""
    return (
        JOB_SUCCEEDED_EVENT if job.status.lower() == JOB_SUCCEEDED else JOB_FAILED_EVENT
    )


def job_response(result: JobWaitResult) -> dict[str, Any]:
    """Return the JSON-serialisable answer of `get_photoshop_job`."""
    job = result.job
    return {
        **job_data(job, job.job_id),
        "created": iso_or_none(job.created),
        "modified": iso_or_none(job.modified),
        "timed_out": result.timed_out,
    }
