"""The tracked jobs of a Photoshop entry, and how they are kept across restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..api.photoshop import BACKOFF_FIRST, next_backoff
from ..const import DOMAIN

STORAGE_VERSION = 1
# Coalesces the writes of one polling round; unloading writes at once.
STORAGE_SAVE_DELAY = 5.0


def storage_key(entry_id: str) -> str:
    """Return the name of the file that keeps an entry's tracked jobs."""
    return f"{DOMAIN}.photoshop_jobs.{entry_id}"


def jobs_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Return the store of an entry's tracked jobs."""
    return Store(hass, STORAGE_VERSION, storage_key(entry_id))


async def async_remove_stored_jobs(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the tracked jobs of an entry that is being removed."""
    await jobs_store(hass, entry_id).async_remove()


@dataclass(slots=True)
class TrackedJob:
    """A job watched in the background, and where it is in its backoff schedule."""

    job_id: str
    deadline: datetime
    status: str | None
    next_poll: datetime
    delay: float = BACKOFF_FIRST

    def stored(self) -> dict[str, Any]:
        """Return what survives a restart: the schedule starts afresh after one."""
        return {
            "job_id": self.job_id,
            "deadline": self.deadline.isoformat(),
            "status": self.status,
        }

    @classmethod
    def from_stored(cls, data: Any, now: datetime) -> TrackedJob | None:
        """Rebuild a stored job, due at once; None when the record is unreadable."""
        if not isinstance(data, dict):
            return None
        job_id = data.get("job_id")
        deadline = dt_util.parse_datetime(str(data.get("deadline")))
        status = data.get("status")
        if not isinstance(job_id, str) or deadline is None or deadline.tzinfo is None:
            return None
        return cls(
            job_id=job_id,
            deadline=deadline,
            status=status if isinstance(status, str) else None,
            next_poll=now,
        )

    def step(self, now: datetime, *, not_before: float = 0.0) -> None:
        """Book the next poll: one backoff step on (or `not_before` seconds, if later).

        The poll never comes after the deadline: the last one lands on it.
        """
        delay = max(self.delay, not_before)
        self.next_poll = min(now + timedelta(seconds=delay), self.deadline)
        self.delay = next_backoff(self.delay)


def stored_jobs(jobs: dict[str, TrackedJob]) -> dict[str, Any]:
    """Return the stored form of the tracked jobs."""
    return {"jobs": [job.stored() for job in jobs.values()]}


class TrackedJobStore:
    """An entry's tracked jobs on disk: read once, written when the list changes."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Name the entry's store; nothing is read until `async_load`."""
        self._store = jobs_store(hass, entry_id)
        self._last_stored: dict[str, Any] | None = None

    async def async_load(self, now: datetime) -> dict[str, TrackedJob]:
        """Return the readable stored jobs by id, all due at `now`."""
        stored = await self._store.async_load() or {}
        jobs: dict[str, TrackedJob] = {}
        records = stored.get("jobs")
        for record in records if isinstance(records, list) else []:
            if (job := TrackedJob.from_stored(record, now)) is not None:
                jobs[job.job_id] = job
        self._last_stored = stored_jobs(jobs)
        return jobs

    @callback
    def async_changed(self, jobs: dict[str, TrackedJob]) -> bool:
        """Write the jobs soon if what is stored changed; return whether it did."""
        stored = stored_jobs(jobs)
        if stored == self._last_stored:
            return False
        self._last_stored = stored
        # Only a changed list resets the store's delay, so busy polling never
        # postpones the write indefinitely.
        self._store.async_delay_save(lambda: stored, STORAGE_SAVE_DELAY)
        return True

    async def async_save(self) -> None:
        """Write the jobs now (unloading does).

        Nothing was loaded when set-up failed before reading the store: what is on
        disk stays as it is.
        """
        if self._last_stored is not None:
            await self._store.async_save(self._last_stored)
