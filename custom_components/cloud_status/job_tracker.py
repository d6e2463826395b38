"""Adobe Photoshop API jobs: look one up, wait for it, or track it in the background.

A `photoshop` entry has no status page to poll. Its coordinator holds the jobs that
`track_photoshop_job` handed it, polls each on its own backoff schedule, fires the
entry's `job` event when one ends, and keeps the list in a `Store` so that tracking
survives a restart. The actions' requests run in tasks that unloading and Home
Assistant's shutdown cancel: an unloaded entry sends nothing more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_CLIENT_ID, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import create_eager_task

from .api import (
    CloudStatusAuthError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
)
from .api.photoshop import (
    BACKOFF_FIRST,
    JOB_SUCCEEDED,
    RATE_LIMIT_PAUSE,
    JobWaitResult,
    PhotoshopClient,
    PhotoshopJob,
    next_backoff,
)
from .api.ratelimit import RequestSpacer
from .attributes import iso_or_none
from .const import (
    DOMAIN,
    LOGGER,
    MANUFACTURERS,
    MAX_TRACKED_JOBS,
    PHOTOSHOP_REQUEST_INTERVAL,
    Provider,
)
from .credentials import build_token_provider

JOB_SUCCEEDED_EVENT = "job_succeeded"
JOB_FAILED_EVENT = "job_failed"
JOB_TIMED_OUT_EVENT = "job_timed_out"
JOB_EVENT_TYPES = [JOB_SUCCEEDED_EVENT, JOB_FAILED_EVENT, JOB_TIMED_OUT_EVENT]
# The status a `job_failed` event gives a tracked job that the API no longer knows.
JOB_NOT_FOUND = "not_found"

# How long a request may queue behind the entry's others (or a 429 pause) before it
# gives up: a background poll then moves to its next step, an action reports the limit.
POLL_MAX_WAIT = 2.0
ACTION_MAX_WAIT = 5.0

STORAGE_VERSION = 1
# Coalesces the writes of one polling round; unloading writes at once.
STORAGE_SAVE_DELAY = 5.0

type PhotoshopConfigEntry = ConfigEntry[PhotoshopJobCoordinator]
type JobListener = Callable[[str, dict[str, Any]], None]


def storage_key(entry_id: str) -> str:
    """Return the name of the file that keeps an entry's tracked jobs."""
    return f"{DOMAIN}.photoshop_jobs.{entry_id}"


async def async_remove_stored_jobs(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the tracked jobs of an entry that is being removed."""
    await _jobs_store(hass, entry_id).async_remove()


def _jobs_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, storage_key(entry_id))


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


def _bare_job_data(job_id: str, status: str | None) -> dict[str, Any]:
    """Return an event's data for a job that ended without a final answer."""
    return {"job_id": job_id, "status": status, "outputs": [], "errors": []}


def job_response(result: JobWaitResult) -> dict[str, Any]:
    """Return the JSON-serialisable answer of `get_photoshop_job`."""
    job = result.job
    return {
        **job_data(job, job.job_id),
        "created": iso_or_none(job.created),
        "modified": iso_or_none(job.modified),
        "timed_out": result.timed_out,
    }


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


class PhotoshopJobCoordinator(DataUpdateCoordinator[dict[str, TrackedJob]]):
    """The jobs an entry tracks; its data maps job id to tracked job."""

    config_entry: PhotoshopConfigEntry
    provider = Provider.PHOTOSHOP

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Build the client; every request of the entry goes through one spacer."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=None,
        )
        self.token_provider = build_token_provider(hass, dict(entry.data))
        self.spacer = RequestSpacer(PHOTOSHOP_REQUEST_INTERVAL)
        self.client = PhotoshopClient(
            async_get_clientsession(hass),
            self.token_provider,
            entry.data[CONF_CLIENT_ID],
            spacer=self.spacer,
        )
        self._store = _jobs_store(hass, entry.entry_id)
        self._jobs: dict[str, TrackedJob] = {}
        self._job_listeners: list[JobListener] = []
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._timer_job = HassJob(self._handle_timer, cancel_on_shutdown=True)
        self._poll_task: asyncio.Task[None] | None = None
        self._action_tasks: set[asyncio.Task[Any]] = set()
        self._last_stored: dict[str, Any] | None = None
        self._failing = False
        self._auth_failed = False
        self._paused = False
        self._stopped = False
        self._last_round: dict[str, Any] | None = None
        # A waiting action must not hold up Home Assistant's shutdown.
        entry.async_on_unload(
            hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._async_on_hass_stop)
        )

    @property
    def manufacturer(self) -> str:
        """Who runs the API, shown on the device."""
        return MANUFACTURERS[self.provider]

    @property
    def configuration_url(self) -> str:
        """Where the user manages the credential."""
        return "https://developer.adobe.com/console"

    # --- set-up -------------------------------------------------------------------

    @override
    async def _async_setup(self) -> None:
        stored = await self._store.async_load() or {}
        now = dt_util.utcnow()
        jobs = stored.get("jobs")
        for record in jobs if isinstance(jobs, list) else []:
            if (job := TrackedJob.from_stored(record, now)) is not None:
                self._jobs[job.job_id] = job
        self._last_stored = self._stored()
        if self._jobs:
            LOGGER.debug("%s: resuming %d tracked jobs", self.name, len(self._jobs))

    @override
    async def _async_update_data(self) -> dict[str, TrackedJob]:
        """Check at set-up that IMS issues a token for the entry's credentials."""
        try:
            await self.token_provider.async_get_token()
        except CloudStatusAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except CloudStatusError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        return dict(self._jobs)

    @callback
    def async_start(self) -> None:
        """Start polling the tracked jobs (those restored from storage are due now)."""
        self._schedule()

    async def async_pause(self) -> None:
        """Stop background polling until `async_resume`; unloading calls this first.

        A round in flight is cancelled, not finished: no job ends (and fires its event)
        while the platforms unload. Whatever the round would have seen is seen again
        by the next round, here after a resume or by the next coordinator, which polls
        the stored jobs at once.
        """
        self._paused = True
        self._cancel_timer()
        if self._polling and (task := self._poll_task) is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    @callback
    def async_resume(self) -> None:
        """Poll again after a pause (the platforms did not unload)."""
        self._paused = False
        self._schedule()

    async def async_stop(self) -> None:
        """Stop polling and the actions for good and write the jobs.

        Unloading calls this once the platforms are gone. An action still running ends
        with the `entry_unloaded` error and sends nothing more.
        """
        self._stopped = True
        await self.async_pause()
        if tasks := self._cancel_actions():
            await asyncio.wait(tasks)
        # Nothing was loaded when set-up failed before reading the store: what is on
        # disk stays as it is.
        if self._last_stored is not None:
            await self._store.async_save(self._last_stored)

    @callback
    def _cancel_actions(self) -> list[asyncio.Task[Any]]:
        tasks = list(self._action_tasks)
        for task in tasks:
            task.cancel()
        return tasks

    @callback
    def _async_on_hass_stop(self, _event: Event) -> None:
        self._cancel_actions()

    @override
    async def async_shutdown(self) -> None:
        await super().async_shutdown()
        if not self._stopped:
            await self.async_stop()

    # --- what actions and entities call -------------------------------------------

    @property
    def tracked_jobs(self) -> dict[str, TrackedJob]:
        """The jobs tracked right now, by id."""
        return self._jobs

    @callback
    def async_add_job_listener(self, listener: JobListener) -> CALLBACK_TYPE:
        """Call `listener(event_type, data)` when a tracked job ends or times out."""
        self._job_listeners.append(listener)
        return lambda: self._job_listeners.remove(listener)

    def diagnostics(self) -> dict[str, Any]:
        """Return the tracking state support needs (never a secret)."""
        return {
            "token_expires_in": self.token_provider.expires_in,
            "polls_failing": self._failing,
            "stopped_for_reauth": self._auth_failed,
            "last_round": self._last_round,
            "tracked_jobs": [asdict(job) for job in self._jobs.values()],
        }

    async def async_get_job(
        self, job_id: str, *, wait: bool, wait_seconds: float
    ) -> JobWaitResult:
        """Read a job once, or wait (with backoff) until it ends or time runs out."""
        if wait:
            return await self._async_action(
                self.client.wait_for_job(job_id, wait_seconds)
            )
        job = await self._async_action(
            self.client.get_job(job_id, max_wait=ACTION_MAX_WAIT)
        )
        return JobWaitResult(job, timed_out=False)

    async def async_track_job(self, job_id: str, track_seconds: float) -> None:
        """Look the job up now, then watch it until it ends or `track_seconds` pass.

        A job that has already ended fires its event at once. Tracking a job again
        gives it the new time-out.
        """
        self._check_room_for(job_id)
        await self._async_action(self._async_track(job_id, track_seconds))

    async def _async_track(self, job_id: str, track_seconds: float) -> None:
        # Runs as an action task: once the answer is in, nothing here waits, so
        # unloading either cancels the lookup or finds the job in the list it stores.
        before = self._jobs.get(job_id)
        job = await self.client.get_job(job_id, max_wait=ACTION_MAX_WAIT)
        if before is not None and self._jobs.get(job_id) is not before:
            return  # it ended (event fired) or was tracked anew meanwhile
        now = dt_util.utcnow()
        if job.finished and not self._paused:
            self._jobs.pop(job_id, None)
            self._fire(_end_event(job), job_data(job, job_id))
        else:
            self._check_room_for(job_id)
            tracked = TrackedJob(
                job_id=job_id,
                deadline=now + timedelta(seconds=track_seconds),
                status=job.status,
                next_poll=now,
            )
            if not job.finished:
                tracked.step(now)
            # else: the platforms are unloading and the event might go unseen; the
            # job stays due and its end is seen by the next round.
            self._jobs[job_id] = tracked
        self._changed()

    async def _async_action[T](self, request: Coroutine[Any, Any, T]) -> T:
        """Run an action's requests in a task of their own, which unloading cancels.

        Not a task Home Assistant waits for: a wait may last an hour.
        """
        task = create_eager_task(
            request, name=f"{DOMAIN} Photoshop job action", loop=self.hass.loop
        )
        self._action_tasks.add(task)
        task.add_done_callback(self._action_tasks.discard)
        try:
            return await task
        except asyncio.CancelledError:
            if (current := asyncio.current_task()) is not None and current.cancelling():
                raise  # the action itself was cancelled, not by unloading
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="entry_unloaded",
                translation_placeholders={"title": self.config_entry.title},
            ) from None

    def _check_room_for(self, job_id: str) -> None:
        if job_id not in self._jobs and len(self._jobs) >= MAX_TRACKED_JOBS:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="too_many_jobs",
                translation_placeholders={"limit": str(MAX_TRACKED_JOBS)},
            )

    # --- background polling -------------------------------------------------------

    @property
    def _polling(self) -> bool:
        # The task starts eagerly, so a round may be over before it is stored.
        return self._poll_task is not None and not self._poll_task.done()

    @callback
    def _schedule(self) -> None:
        self._cancel_timer()
        if (
            self._paused
            or self._stopped
            or self._auth_failed
            or self._polling
            or not self._jobs
        ):
            return
        when = min(job.next_poll for job in self._jobs.values())
        self._unsub_timer = async_track_point_in_utc_time(
            self.hass, self._timer_job, when
        )

    @callback
    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None

    @callback
    def _handle_timer(self, _now: datetime) -> None:
        self._unsub_timer = None
        self._poll_task = self.config_entry.async_create_background_task(
            self.hass, self._async_poll_due(), f"{DOMAIN} poll Photoshop jobs"
        )

    async def _async_poll_due(self) -> None:
        """Poll every job that is due, one request each, side by side.

        The entry's spacer lets at most four requests a second start, however many
        jobs are due; a slow answer for one job does not hold up the others.
        """
        now = dt_util.utcnow()
        due = [job for job in self._jobs.values() if job.next_poll <= now]
        try:
            failures = await asyncio.gather(*(self._async_poll(job) for job in due))
        except asyncio.CancelledError:
            self._poll_task = None
            raise
        self._poll_task = None
        self._last_round = {
            "finished_at": dt_util.utcnow(),
            "duration": round((dt_util.utcnow() - now).total_seconds(), 3),
            "jobs_polled": len(due),
            "requests_failed": sum(failures),
        }
        if self._failing and not any(failures):
            self._failing = False
            LOGGER.info("%s: checking Photoshop jobs works again", self.name)
        self._changed()

    async def _async_poll(self, tracked: TrackedJob) -> bool:
        """Poll one job and act on the answer; return whether the request failed."""
        not_before = 0.0
        job: PhotoshopJob | None = None
        try:
            job = await self.client.get_job(tracked.job_id, max_wait=POLL_MAX_WAIT)
        except CloudStatusNotFoundError:
            # The API does not know the job (any more): asking again will not change
            # that. Answered, so not a failed request.
            if self._jobs.get(tracked.job_id) is tracked:
                self._end(
                    tracked,
                    JOB_FAILED_EVENT,
                    _bare_job_data(tracked.job_id, JOB_NOT_FOUND),
                )
            return False
        except CloudStatusError as err:
            self._poll_failed(tracked, err)
            if isinstance(err, CloudStatusRateLimitError):
                not_before = (
                    RATE_LIMIT_PAUSE if err.retry_after is None else err.retry_after
                )
        if self._jobs.get(tracked.job_id) is not tracked:
            return job is None  # tracked again (or ended) while the request ran
        if job is not None and job.finished:
            self._end(tracked, _end_event(job), job_data(job, tracked.job_id))
            return False
        if job is not None:
            tracked.status = job.status
        now = dt_util.utcnow()
        if now >= tracked.deadline:
            self._end(
                tracked,
                JOB_TIMED_OUT_EVENT,
                _bare_job_data(tracked.job_id, tracked.status),
            )
        else:
            tracked.step(now, not_before=not_before)
        return job is None

    def _poll_failed(self, tracked: TrackedJob, err: CloudStatusError) -> None:
        if isinstance(err, CloudStatusAuthError) and not self._auth_failed:
            # Every further poll would fetch a token and be refused again: stop until
            # the user renews the secret (the reload then resumes the stored jobs).
            self._auth_failed = True
            self.config_entry.async_start_reauth(self.hass)
        if self._failing:
            LOGGER.debug("%s: job %s: %s", self.name, tracked.job_id, err)
            return
        self._failing = True
        LOGGER.warning(
            "%s: checking Photoshop job %s failed (%s: %s); tracked jobs are retried "
            "on their schedule until they time out",
            self.name,
            tracked.job_id,
            type(err).__name__,
            err,
        )

    # --- bookkeeping ----------------------------------------------------------------

    @callback
    def _end(self, tracked: TrackedJob, event_type: str, data: dict[str, Any]) -> None:
        del self._jobs[tracked.job_id]
        self._fire(event_type, data)
        # The sensor drops the job before an automation triggered by the event looks.
        self._changed()

    @callback
    def _fire(self, event_type: str, data: dict[str, Any]) -> None:
        LOGGER.debug("%s: %s %s", self.name, event_type, data["job_id"])
        for listener in list(self._job_listeners):
            listener(event_type, data)

    @callback
    def _changed(self) -> None:
        """Store and show the jobs when what is stored changed; book the next poll."""
        stored = self._stored()
        if stored != self._last_stored:
            self._last_stored = stored
            # Only a changed list resets the store's delay, so busy polling never
            # postpones the write indefinitely.
            self._store.async_delay_save(lambda: stored, STORAGE_SAVE_DELAY)
            self.async_set_updated_data(dict(self._jobs))
        self._schedule()

    def _stored(self) -> dict[str, Any]:
        return {"jobs": [job.stored() for job in self._jobs.values()]}


def _end_event(job: PhotoshopJob) -> str:
    return (
        JOB_SUCCEEDED_EVENT if job.status.lower() == JOB_SUCCEEDED else JOB_FAILED_EVENT
    )
