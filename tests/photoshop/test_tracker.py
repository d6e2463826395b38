"""Photoshop entries: set-up, background tracking, the job event, and stored jobs."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.cloud_status.const import DOMAIN, PHOTOSHOP_REQUEST_INTERVAL
from custom_components.cloud_status.photoshop.actions import SERVICE_TRACK_PHOTOSHOP_JOB
from custom_components.cloud_status.photoshop.store import storage_key
from custom_components.cloud_status.photoshop.tracker import PhotoshopJobCoordinator
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from tests.conftest import load_json_fixture
from tests.helpers import advance, only_platform, setup_entry
from tests.photoshop_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    ENTRY_ID,
    EVENT,
    FAILED_ERRORS,
    JOB_ID,
    OTHER_JOB_ID,
    SENSOR,
    SUCCEEDED_OUTPUTS,
    TOKEN,
    Held,
    JobServer,
    job_body,
    mock_token,
    photoshop_entry,
)

THIRD_JOB_ID = "3b241101-e2bb-4255-8caf-4136c566a962"


@pytest.fixture(autouse=True)
def _no_request_spacing(no_request_spacing: None) -> None:
    """Every test here runs without the entry's request gap."""


@pytest.fixture
def job_events(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect what the job event entity fires: its event type and data."""
    fired: list[dict[str, Any]] = []

    @callback
    def collect(event: Event[Any]) -> None:
        new_state: State | None = event.data["new_state"]
        if new_state is not None and new_state.state not in (
            STATE_UNKNOWN,
            "unavailable",
        ):
            fired.append(dict(new_state.attributes))

    async_track_state_change_event(hass, EVENT, collect)
    return fired


async def _track(hass: HomeAssistant, job_id: str = JOB_ID, **fields: Any) -> None:
    await hass.services.async_call(
        DOMAIN,
        SERVICE_TRACK_PHOTOSHOP_JOB,
        {"config_entry_id": ENTRY_ID, "job_id": job_id, **fields},
        blocking=True,
    )
    await hass.async_block_till_done()


def _seconds(server: JobServer, job_id: str, since: Any) -> list[float]:
    return [(when - since).total_seconds() for when in server.requested(job_id)]


def _tracked(hass: HomeAssistant) -> list[str]:
    state = hass.states.get(SENSOR)
    assert state is not None
    return [job["job_id"] for job in state.attributes["jobs"]]


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.EVENT])
async def test_entities(
    hass: HomeAssistant,
    server: JobServer,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """A photoshop entry has the tracked-jobs sensor and the job event."""
    config_entry = photoshop_entry()
    with only_platform(platform):
        await setup_entry(hass, config_entry)

    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)


async def test_status_platforms_skip_photoshop_entries(
    hass: HomeAssistant, entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Every platform is set up, but only the sensor and event platforms add entities."""
    assert entry.state is ConfigEntryState.LOADED
    assert sorted(
        entity.domain
        for entity in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
    ) == ["event", "sensor"]
    assert isinstance(entry.runtime_data.coordinator, PhotoshopJobCoordinator)
    assert entry.runtime_data.coordinator.client is not None
    # Nothing for the options' component picker: a job tracker has no components.
    assert entry.runtime_data.known_components() == {}


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """IMS refusing the credential at set-up asks the user for a new secret."""
    mock_token(
        aioclient_mock,
        status=401,
        json=load_json_fixture("adobe_ims_401_invalid_client.json"),
    )
    config_entry = photoshop_entry()
    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH


async def test_unreachable_ims_retries_set_up(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """IMS not answering is temporary: set-up is retried, no reauth."""
    mock_token(aioclient_mock, status=503, text="busy")
    config_entry = photoshop_entry()
    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_tracked_job_succeeds(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """Polled at once, after 2 s and 3 s; the event fires once and the job is dropped."""
    server.script(
        JOB_ID,
        job_body("pending"),
        job_body("running"),
        job_body("succeeded", **SUCCEEDED_OUTPUTS),
    )
    started = dt_util.utcnow()

    await _track(hass)
    assert hass.states.get(SENSOR).state == "1"
    assert hass.states.get(SENSOR).attributes["jobs"] == [
        {
            "job_id": JOB_ID,
            "status": "pending",
            "timeout_at": (started + timedelta(hours=1)).isoformat(),
        }
    ]

    await advance(hass, freezer, timedelta(seconds=2))
    assert hass.states.get(SENSOR).attributes["jobs"][0]["status"] == "running"
    assert job_events == []

    await advance(hass, freezer, timedelta(seconds=3))
    assert job_events == [
        {
            "event_type": "job_succeeded",
            "job_id": JOB_ID,
            "status": "succeeded",
            "outputs": [
                {
                    "url": "https://storage.example.com/out/hero.jpg",
                    "mediaType": "image/jpeg",
                }
            ],
            "errors": [],
            "friendly_name": "Adobe Photoshop API Job",
            "event_types": ["job_succeeded", "job_failed", "job_timed_out"],
        }
    ]
    assert hass.states.get(SENSOR).state == "0"

    for _ in range(5):
        await advance(hass, freezer, timedelta(seconds=30))
    assert _seconds(server, JOB_ID, started) == [0, 2, 5]
    assert len(job_events) == 1


async def test_tracked_job_fails(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """A failed job fires job_failed with its errors, once."""
    server.script(JOB_ID, job_body("running"), job_body("failed", **FAILED_ERRORS))

    await _track(hass)
    await advance(hass, freezer, timedelta(seconds=2))
    await advance(hass, freezer, timedelta(seconds=60))

    assert [(e["event_type"], e["status"], e["errors"]) for e in job_events] == [
        (
            "job_failed",
            "failed",
            [{"code": "400401", "message": "The value provided is not valid."}],
        )
    ]


async def test_tracked_job_times_out_with_its_last_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """The backoff is capped at 30 s; the last check lands on the deadline."""
    server.script(JOB_ID, job_body("pending"), job_body("running"))
    started = dt_util.utcnow()

    await _track(hass, timeout=120)
    expected, at, delay = [0.0], 0.0, 2.0
    while at < 120:
        step = min(delay, 120 - at)
        await advance(hass, freezer, timedelta(seconds=step))
        at += step
        expected.append(at)
        delay = min(delay * 1.5, 30)

    assert _seconds(server, JOB_ID, started) == expected
    assert [(e["event_type"], e["status"]) for e in job_events] == [
        ("job_timed_out", "running")
    ]
    assert _tracked(hass) == []


async def test_finished_job_fires_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """Tracking a job that already ended fires its event at once; nothing is tracked."""
    server.script(JOB_ID, job_body("succeeded", **SUCCEEDED_OUTPUTS))

    await _track(hass)
    await advance(hass, freezer, timedelta(seconds=60))

    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    assert _tracked(hass) == []
    assert len(server.requested()) == 1


async def test_tracking_again_renews_the_timeout(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """A job tracked twice is one job with the later time-out; it ends once."""
    server.script(JOB_ID, job_body("running"))
    started = dt_util.utcnow()
    await _track(hass, timeout=60)
    await advance(hass, freezer, timedelta(seconds=30))
    await _track(hass, timeout=600)

    assert _tracked(hass) == [JOB_ID]
    assert (
        hass.states.get(SENSOR).attributes["jobs"][0]["timeout_at"]
        == (started + timedelta(seconds=630)).isoformat()
    )
    await advance(hass, freezer, timedelta(seconds=60))
    assert job_events == []

    server.script(JOB_ID, job_body("succeeded"))
    await advance(hass, freezer, timedelta(seconds=30))
    assert [e["event_type"] for e in job_events] == ["job_succeeded"]


async def test_many_jobs_one_request_each_per_step(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """Jobs due together are polled once each, through the entry's one spacer."""
    for job_id in (JOB_ID, OTHER_JOB_ID, THIRD_JOB_ID):
        server.script(job_id, job_body("running", job_id=job_id))
        await _track(hass, job_id)
    assert len(server.requested()) == 3

    await advance(hass, freezer, timedelta(seconds=2))
    assert len(server.requested()) == 6
    await advance(hass, freezer, timedelta(seconds=1))
    assert len(server.requested()) == 6
    await advance(hass, freezer, timedelta(seconds=2))
    assert len(server.requested()) == 9
    assert sorted(_tracked(hass)) == sorted((JOB_ID, OTHER_JOB_ID, THIRD_JOB_ID))


async def test_requests_of_an_entry_share_one_spacer(
    hass: HomeAssistant, server: JobServer
) -> None:
    """Without the test patch, an entry spaces its requests by 0.25 s (4 per second)."""
    with patch(
        "custom_components.cloud_status.photoshop.tracker.PHOTOSHOP_REQUEST_INTERVAL",
        PHOTOSHOP_REQUEST_INTERVAL,
    ):
        config_entry = photoshop_entry()
        await setup_entry(hass, config_entry)

    assert PHOTOSHOP_REQUEST_INTERVAL == 0.25
    assert (
        config_entry.runtime_data.coordinator.spacer.interval
        == PHOTOSHOP_REQUEST_INTERVAL
    )


async def test_tracking_limit(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """Beyond the limit, tracking another job is refused before any request."""
    for job_id in (JOB_ID, OTHER_JOB_ID, THIRD_JOB_ID):
        server.script(job_id, job_body("running", job_id=job_id))
    with patch("custom_components.cloud_status.photoshop.tracker.MAX_TRACKED_JOBS", 2):
        await _track(hass, JOB_ID)
        await _track(hass, OTHER_JOB_ID)
        await _track(hass, JOB_ID)  # tracked already: renewing is allowed
        with pytest.raises(ServiceValidationError) as exc_info:
            await _track(hass, THIRD_JOB_ID)

    assert exc_info.value.translation_key == "too_many_jobs"
    assert "already tracks 2 jobs" in str(exc_info.value)
    assert server.requested(THIRD_JOB_ID) == []


async def test_failures_keep_the_job_and_log_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Server errors and time-outs are retried on schedule; one warning, one recovery."""
    server.script(
        JOB_ID,
        job_body("running"),
        (502, "<html>Bad gateway</html>", {}),
        (500, {"error_code": "runtime_error", "message": "Try again"}, {}),
        (503, "<html>Service unavailable</html>", {}),
        job_body("succeeded"),
    )
    await _track(hass)
    caplog.set_level(logging.INFO)
    caplog.clear()

    for seconds in (2, 3, 4.5):
        await advance(hass, freezer, timedelta(seconds=seconds))
    assert _tracked(hass) == [JOB_ID]
    assert job_events == []

    await advance(hass, freezer, timedelta(seconds=6.75))
    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    warnings = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1
    assert "checking Photoshop job" in warnings[0].getMessage()
    assert CLIENT_SECRET not in caplog.text
    assert "works again" in caplog.text


async def test_refused_token_in_background_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A token refused twice while tracking starts reauth; the job is kept."""
    server.script(
        JOB_ID,
        job_body("running"),
        (401, {"error_code": "401013", "message": "Oauth token is not valid"}, {}),
    )
    await _track(hass)
    await advance(hass, freezer, timedelta(seconds=2))

    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert _tracked(hass) == [JOB_ID]


async def test_rate_limit_defers_the_next_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """After a 429, the job is asked again no sooner than Retry-After."""
    server.script(
        JOB_ID,
        job_body("running"),
        (429, {"error_code": "unauthorized_rate_limited"}, {"Retry-After": "20"}),
        job_body("running"),
    )
    started = dt_util.utcnow()
    await _track(hass)
    for _ in range(12):
        await advance(hass, freezer, timedelta(seconds=2))

    assert _seconds(server, JOB_ID, started)[:3] == [0, 2, 22]


async def test_jobs_survive_a_reload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    hass_storage: dict[str, Any],
    job_events: list[dict[str, Any]],
) -> None:
    """Unloading writes the jobs; after the reload they are polled again at once."""
    server.script(JOB_ID, job_body("running"))
    await _track(hass)

    assert await hass.config_entries.async_unload(ENTRY_ID)
    await hass.async_block_till_done()
    stored = hass_storage[storage_key(ENTRY_ID)]["data"]
    assert [job["job_id"] for job in stored["jobs"]] == [JOB_ID]
    assert stored["jobs"][0]["status"] == "running"

    server.script(JOB_ID, job_body("succeeded"))
    assert await hass.config_entries.async_setup(ENTRY_ID)
    await hass.async_block_till_done()
    await advance(hass, freezer, timedelta(seconds=1))

    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    assert _tracked(hass) == []


async def test_jobs_survive_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    server: JobServer,
    hass_storage: dict[str, Any],
    job_events: list[dict[str, Any]],
) -> None:
    """Stored jobs are resumed; one whose time-out passed meanwhile ends after one check."""
    now = dt_util.utcnow()
    hass_storage[storage_key(ENTRY_ID)] = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key(ENTRY_ID),
        "data": {
            "jobs": [
                {
                    "job_id": JOB_ID,
                    "deadline": (now + timedelta(hours=1)).isoformat(),
                    "status": "running",
                },
                {
                    "job_id": OTHER_JOB_ID,
                    "deadline": (now - timedelta(minutes=5)).isoformat(),
                    "status": "pending",
                },
                {"job_id": THIRD_JOB_ID, "deadline": "not a time"},
                "garbage",
            ]
        },
    }
    server.script(JOB_ID, job_body("running"), job_body("succeeded"))
    server.script(OTHER_JOB_ID, job_body("running", job_id=OTHER_JOB_ID))

    await setup_entry(hass, photoshop_entry())
    assert sorted(_tracked(hass)) == sorted((JOB_ID, OTHER_JOB_ID))

    await advance(hass, freezer, timedelta(seconds=1))
    assert [(e["event_type"], e["job_id"], e["status"]) for e in job_events] == [
        ("job_timed_out", OTHER_JOB_ID, "running")
    ]
    assert _tracked(hass) == [JOB_ID]

    await advance(hass, freezer, timedelta(seconds=2))
    assert [e["event_type"] for e in job_events][-1] == "job_succeeded"
    assert _tracked(hass) == []
    assert server.requested(THIRD_JOB_ID) == []


async def test_removing_the_entry_deletes_its_jobs(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    hass_storage: dict[str, Any],
) -> None:
    """A deleted entry leaves no stored jobs behind."""
    server.script(JOB_ID, job_body("running"))
    await _track(hass)
    assert await hass.config_entries.async_unload(ENTRY_ID)
    assert storage_key(ENTRY_ID) in hass_storage

    assert await hass.config_entries.async_remove(ENTRY_ID)
    await hass.async_block_till_done()

    assert storage_key(ENTRY_ID) not in hass_storage


@pytest.fixture
def at_ten(freezer: FrozenDateTimeFactory) -> None:
    """Freeze the clock at a fixed instant (before any access token is made)."""
    freezer.move_to("2026-11-23T10:00:00+00:00")


@pytest.mark.usefixtures("at_ten")
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics show the tracked jobs and the last round; credentials are redacted."""
    server.script(JOB_ID, job_body("running"))
    await _track(hass)
    await advance(hass, freezer, timedelta(seconds=2))

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    # The token's remaining life runs on the real monotonic clock.
    assert 86000 < diagnostics.pop("token_expires_in") <= 86400
    assert diagnostics == snapshot
    text = str(diagnostics)
    assert CLIENT_SECRET not in text
    assert TOKEN not in text
    assert CLIENT_ID not in text  # Adobe's x-api-key


async def test_tracking_again_during_a_poll_round(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """Jobs tracked anew while a round polls them keep the new record; no double event."""
    for job_id in (JOB_ID, OTHER_JOB_ID):
        server.script(job_id, job_body("running", job_id=job_id))
        await _track(hass, job_id)
    coordinator: PhotoshopJobCoordinator = entry.runtime_data.coordinator
    original_get_job = coordinator.client.get_job
    retracked: list[str] = []

    async def get_job_then_track_both_again(job_id: str, **kwargs: Any) -> Any:
        job = await original_get_job(job_id, **kwargs)
        if not retracked:
            retracked.append(job_id)
            for again in (JOB_ID, OTHER_JOB_ID):
                await coordinator.async_track_job(again, 600)
        return job

    with patch.object(coordinator.client, "get_job", get_job_then_track_both_again):
        await advance(hass, freezer, timedelta(seconds=2))

    # Two tracked, two polled by the round, two tracked anew: the new records stand.
    assert len(server.requested()) == 6
    assert {job.job_id: job.deadline for job in coordinator.tracked_jobs.values()} == {
        JOB_ID: dt_util.utcnow() + timedelta(seconds=600),
        OTHER_JOB_ID: dt_util.utcnow() + timedelta(seconds=600),
    }

    for job_id in (JOB_ID, OTHER_JOB_ID):
        server.script(job_id, job_body("succeeded", job_id=job_id))
    await advance(hass, freezer, timedelta(seconds=3))
    assert sorted((e["event_type"], e["job_id"]) for e in job_events) == sorted(
        [("job_succeeded", JOB_ID), ("job_succeeded", OTHER_JOB_ID)]
    )


async def test_unload_stops_a_round_in_flight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    hass_storage: dict[str, Any],
    job_events: list[dict[str, Any]],
) -> None:
    """Unloading cancels the round, writes the jobs, and nothing polls afterwards."""
    in_flight = Held(job_body("succeeded"))
    server.script(JOB_ID, job_body("running"), in_flight)
    await _track(hass)
    # The round's request gets no answer: the round stays in flight.
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(server.requested()) == 2

    assert await hass.config_entries.async_unload(ENTRY_ID)
    await hass.async_block_till_done()
    in_flight.release.set()
    for _ in range(4):
        await advance(hass, freezer, timedelta(seconds=30))

    assert len(server.requested()) == 2
    assert job_events == []
    stored = hass_storage[storage_key(ENTRY_ID)]["data"]["jobs"]
    assert [job["job_id"] for job in stored] == [JOB_ID]

    assert await hass.config_entries.async_remove(ENTRY_ID)
    await advance(hass, freezer, timedelta(seconds=30))
    assert storage_key(ENTRY_ID) not in hass_storage


async def test_track_that_outlives_its_entry_fails(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A track call whose answer comes after the entry unloaded says so."""
    in_flight = Held(job_body("running"))
    server.script(JOB_ID, in_flight)
    call = asyncio.ensure_future(_track(hass))
    await hass.async_block_till_done()

    assert await hass.config_entries.async_unload(ENTRY_ID)
    in_flight.release.set()

    with pytest.raises(HomeAssistantError) as exc_info:
        await call
    assert exc_info.value.translation_key == "entry_unloaded"


async def test_job_ending_while_tracked_again_fires_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """A job that ends while a second track call waits is not tracked again."""
    server.script(JOB_ID, job_body("running"))
    await _track(hass)
    second_look = Held(job_body("running"))
    server.script(JOB_ID, second_look, job_body("succeeded"))
    call = asyncio.ensure_future(_track(hass))
    await hass.async_block_till_done()

    await advance(hass, freezer, timedelta(seconds=2))  # the round sees it succeed
    second_look.release.set()
    await call
    for _ in range(3):
        await advance(hass, freezer, timedelta(seconds=30))

    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    assert _tracked(hass) == []


async def test_busy_polling_does_not_postpone_the_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    hass_storage: dict[str, Any],
) -> None:
    """Rounds that change nothing leave the pending write alone: it lands in 5 s."""
    server.script(JOB_ID, job_body("running"))
    await _track(hass)
    assert storage_key(ENTRY_ID) not in hass_storage

    await advance(hass, freezer, timedelta(seconds=2))  # a round, nothing changed
    await advance(hass, freezer, timedelta(seconds=3))

    stored = hass_storage[storage_key(ENTRY_ID)]["data"]["jobs"]
    assert [job["job_id"] for job in stored] == [JOB_ID]


async def test_refused_token_stops_background_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """After a refusal nothing more is sent until the entry is re-authenticated."""
    server.script(
        JOB_ID,
        job_body("running"),
        (401, {"error_code": "401013", "message": "Oauth token is not valid"}, {}),
    )
    await _track(hass)
    await advance(hass, freezer, timedelta(seconds=2))
    sent = len(aioclient_mock.mock_calls)

    for _ in range(10):
        await advance(hass, freezer, timedelta(seconds=30))

    assert len(aioclient_mock.mock_calls) == sent
    assert len(hass.config_entries.flow.async_progress_by_handler(DOMAIN)) == 1


async def test_one_failing_job_does_not_flap_the_log(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A job that keeps failing beside a healthy one is reported once, not every step."""
    server.script(JOB_ID, job_body("running"), (500, "<html>oops</html>", {}))
    server.script(OTHER_JOB_ID, job_body("running", job_id=OTHER_JOB_ID))
    await _track(hass, JOB_ID)
    await _track(hass, OTHER_JOB_ID)
    caplog.set_level(logging.INFO)
    caplog.clear()

    for _ in range(20):
        await advance(hass, freezer, timedelta(seconds=30))

    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert [r.levelno for r in ours if r.levelno >= logging.INFO] == [logging.WARNING]


async def test_unreadable_store_is_left_alone(
    hass: HomeAssistant, server: JobServer, hass_storage: dict[str, Any]
) -> None:
    """A set-up that could not read the stored jobs does not overwrite them."""
    stored = {
        "version": 1,
        "minor_version": 1,
        "key": storage_key(ENTRY_ID),
        "data": {"jobs": [{"job_id": JOB_ID, "deadline": "2030-01-01T00:00:00+00:00"}]},
    }
    hass_storage[storage_key(ENTRY_ID)] = stored
    config_entry = photoshop_entry()
    with patch(
        "custom_components.cloud_status.photoshop.store.Store.async_load",
        side_effect=OSError("disk unreadable"),
    ):
        await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY

    await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()

    assert hass_storage[storage_key(ENTRY_ID)] == stored


async def test_job_unknown_to_the_api_fails_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A tracked job that answers 404 ends with job_failed (not_found); no retries."""
    server.script(
        JOB_ID,
        job_body("running"),
        (404, {"error_code": "unknown_job_id", "message": "Job not found"}, {}),
    )
    started = dt_util.utcnow()
    await _track(hass)
    caplog.clear()

    await advance(hass, freezer, timedelta(seconds=2))

    assert [(e["event_type"], e["status"]) for e in job_events] == [
        ("job_failed", "not_found")
    ]
    assert job_events[0]["job_id"] == JOB_ID
    assert (job_events[0]["outputs"], job_events[0]["errors"]) == ([], [])
    assert _tracked(hass) == []
    for _ in range(10):
        await advance(hass, freezer, timedelta(seconds=30))
    assert _seconds(server, JOB_ID, started) == [0, 2]
    assert not [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and r.levelno >= logging.WARNING
    ]


async def test_forbidden_while_tracking_keeps_the_token(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A 403 is not a refused token: no new token, no reauth; the job is polled on."""
    server.script(
        JOB_ID,
        job_body("running"),
        (403, {"error_code": "403003", "message": "Api Key is invalid"}, {}),
        job_body("running"),
    )
    started = dt_util.utcnow()
    await _track(hass)
    tokens = sum(1 for call in aioclient_mock.mock_calls if call[0] == "POST")

    await advance(hass, freezer, timedelta(seconds=2))
    await advance(hass, freezer, timedelta(seconds=3))

    assert _seconds(server, JOB_ID, started) == [0, 2, 5]
    assert sum(1 for call in aioclient_mock.mock_calls if call[0] == "POST") == tokens
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert _tracked(hass) == [JOB_ID]


async def test_failed_unload_keeps_tracking(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """When the platforms do not unload, the entry's jobs are still polled and end."""
    server.script(JOB_ID, job_body("running"), job_body("succeeded"))
    await _track(hass)

    with patch.object(
        hass.config_entries, "async_unload_platforms", return_value=False
    ):
        assert not await hass.config_entries.async_unload(ENTRY_ID)
    assert entry.state is ConfigEntryState.FAILED_UNLOAD

    await advance(hass, freezer, timedelta(seconds=2))
    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    assert _tracked(hass) == []


async def test_nothing_ends_unseen_while_the_platforms_unload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    hass_storage: dict[str, Any],
    job_events: list[dict[str, Any]],
) -> None:
    """A job whose end is seen while the event entity goes is kept, and fires later."""
    lookup = Held(job_body("succeeded"))
    server.script(JOB_ID, lookup)
    call = asyncio.ensure_future(_track(hass))
    await hass.async_block_till_done()
    unload_platforms = hass.config_entries.async_unload_platforms

    async def answer_while_unloading(*args: Any) -> bool:
        lookup.release.set()
        await call  # the track call is answered meanwhile: the job has ended
        return await unload_platforms(*args)

    with patch.object(
        hass.config_entries, "async_unload_platforms", answer_while_unloading
    ):
        assert await hass.config_entries.async_unload(ENTRY_ID)
    assert job_events == []
    stored = hass_storage[storage_key(ENTRY_ID)]["data"]["jobs"]
    assert [job["job_id"] for job in stored] == [JOB_ID]

    assert await hass.config_entries.async_setup(ENTRY_ID)
    await hass.async_block_till_done()
    await advance(hass, freezer, timedelta(seconds=1))

    assert [e["event_type"] for e in job_events] == ["job_succeeded"]
    assert _tracked(hass) == []


async def test_late_not_found_spares_a_job_tracked_anew(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    job_events: list[dict[str, Any]],
) -> None:
    """A 404 that lands after the job was tracked again (and found) ends nothing."""
    stale = Held(
        (404, {"error_code": "unknown_job_id", "message": "Job not found"}, {})
    )
    server.script(JOB_ID, job_body("running"), stale, job_body("running"))
    await _track(hass)
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()  # the round waits for its answer

    await _track(hass, timeout=600)
    stale.release.set()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert job_events == []
    assert _tracked(hass) == [JOB_ID]
