"""The job tracker of a Photoshop entry: scheduling, polling rounds and job events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_CLIENT_ID, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from ..api import CloudStatusAuthError, CloudStatusError
from ..api.photoshop import JobWaitResult, PhotoshopClient
from ..api.ratelimit import RequestSpacer
from ..const import DOMAIN, LOGGER, MAX_TRACKED_JOBS, PHOTOSHOP_REQUEST_INTERVAL
from ..credentials import build_token_provider
from .action_tasks import ActionTasks
from .polling import async_poll
from .responses import end_event, job_data
from .store import TrackedJob, TrackedJobStore

if TYPE_CHECKING:
    from .runtime import PhotoshopConfigEntry

# How long an action's request may queue behind the entry's others (or a 429 pause)
# before the action reports the limit.
ACTION_MAX_WAIT = 5.0

type JobListener = Callable[[str, dict[str, Any]], None]


class PhotoshopJobCoordinator(DataUpdateCoordinator[dict[str, TrackedJob]]):
    """The jobs an entry tracks; its data maps job id to tracked job."""

    config_entry: PhotoshopConfigEntry
    provider: ClassVar[str] = "photoshop"
    manufacturer: ClassVar[str] = "Adobe"

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
        self._store = TrackedJobStore(hass, entry.entry_id)
        self._jobs: dict[str, TrackedJob] = {}
        self._job_listeners: list[JobListener] = []
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._timer_job = HassJob(self._handle_timer, cancel_on_shutdown=True)
        self._poll_task: asyncio.Task[None] | None = None
        self._actions = ActionTasks(hass, entry)
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
    def configuration_url(self) -> str:
        """Where the user manages the credential."""
        return "https://developer.adobe.com/console"

    # --- set-up -------------------------------------------------------------------

    @override
    async def _async_setup(self) -> None:
        self._jobs.update(await self._store.async_load(dt_util.utcnow()))
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
        if tasks := self._actions.cancel():
            await asyncio.wait(tasks)
        await self._store.async_save()

    @callback
    def _async_on_hass_stop(self, _event: Event) -> None:
        self._actions.cancel()

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
            return await self._actions.async_run(
                self.client.wait_for_job(job_id, wait_seconds)
            )
        job = await self._actions.async_run(
            self.client.get_job(job_id, max_wait=ACTION_MAX_WAIT)
        )
        return JobWaitResult(job, timed_out=False)

    async def async_track_job(self, job_id: str, track_seconds: float) -> None:
        """Look the job up now, then watch it until it ends or `track_seconds` pass.

        A job that has already ended fires its event at once. Tracking a job again
        gives it the new time-out.
        """
        self._check_room_for(job_id)
        await self._actions.async_run(self._async_track(job_id, track_seconds))

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
            self._fire(end_event(job), job_data(job, job_id))
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
        answer = await async_poll(self.client, tracked.job_id)
        if answer.error is not None:
            self._poll_failed(tracked, answer.error)
        # Unless it was tracked again (or ended) while the request ran.
        if self._jobs.get(tracked.job_id) is tracked and (
            ended := answer.apply(tracked, dt_util.utcnow())
        ):
            self._end(tracked, *ended)
        return answer.error is not None

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
        if self._store.async_changed(self._jobs):
            self.async_set_updated_data(dict(self._jobs))
        self._schedule()
