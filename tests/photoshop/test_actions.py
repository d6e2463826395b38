"""The Photoshop job actions: lookup, waiting with backoff, and every error they map."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import re
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion
import voluptuous as vol

from custom_components.cloud_status.const import DOMAIN
from custom_components.cloud_status.photoshop.actions import (
    SERVICE_GET_PHOTOSHOP_JOB,
    SERVICE_TRACK_PHOTOSHOP_JOB,
)
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from tests.conftest import load_json_fixture
from tests.photoshop_helpers import (
    CLIENT_ID,
    FAILED_ERRORS,
    JOB_ID,
    SUCCEEDED_OUTPUTS,
    TOKEN,
    TOKEN_URL,
    Held,
    JobServer,
    job_body,
    mock_token,
    status_url,
)

# 3 KiB of data, as a Photoshop API job embeds it in its status.
EMBEDDED_BASE64 = "QUJD" * 1024


@pytest.fixture(autouse=True)
def _no_request_spacing(no_request_spacing: None) -> None:
    """Every test here runs without the entry's request gap."""


async def _get_job(
    hass: HomeAssistant, entry: MockConfigEntry, job_id: str = JOB_ID, **fields: Any
) -> ServiceResponse:
    return await hass.services.async_call(
        DOMAIN,
        SERVICE_GET_PHOTOSHOP_JOB,
        {"config_entry_id": entry.entry_id, "job_id": job_id, **fields},
        blocking=True,
        return_response=True,
    )


async def test_actions_are_registered_without_entries(hass: HomeAssistant) -> None:
    """Both actions exist as soon as the integration is set up, before any entry."""
    assert await async_setup_component(hass, DOMAIN, {})

    assert hass.services.has_service(DOMAIN, SERVICE_GET_PHOTOSHOP_JOB)
    assert hass.services.has_service(DOMAIN, SERVICE_TRACK_PHOTOSHOP_JOB)


async def test_get_job_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
    snapshot: SnapshotAssertion,
) -> None:
    """One request with the bearer token and the client id; the answer as documented."""
    server.script(JOB_ID, job_body("succeeded", **SUCCEEDED_OUTPUTS))

    response = await _get_job(hass, entry)

    assert response == snapshot
    assert response is not None
    assert response["timed_out"] is False
    [(method, url, _, headers)] = [
        call for call in aioclient_mock.mock_calls if "/v2/status/" in str(call[1])
    ]
    assert (method, str(url)) == ("GET", status_url())
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["x-api-key"] == CLIENT_ID


async def test_get_job_pending_answers_at_once(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """Without `wait`, an unfinished job is reported as it is."""
    server.script(JOB_ID, job_body("pending"))

    response = await _get_job(hass, entry)

    assert response is not None
    assert (response["status"], response["timed_out"]) == ("pending", False)
    assert len(server.requested()) == 1


async def test_get_job_unknown_status_reported_as_it_came(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """A status the documentation does not list is passed on, not refused."""
    server.script(JOB_ID, job_body("Queued_For_Review"))

    response = await _get_job(hass, entry)

    assert response is not None
    assert response["status"] == "Queued_For_Review"


async def test_embedded_output_replaced_by_its_size(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    snapshot: SnapshotAssertion,
) -> None:
    """Embedded base64 content never reaches the response: only its decoded size."""
    outputs = {
        "result": {
            "outputs": [
                {
                    "destination": {"embedded": "base64", "content": EMBEDDED_BASE64},
                    "mediaType": "image/png",
                },
                {
                    "destination": {"url": "https://storage.example.com/b.psd"},
                    "mediaType": "image/vnd.adobe.photoshop",
                },
            ]
        }
    }
    server.script(JOB_ID, job_body("succeeded", **outputs))

    response = await _get_job(hass, entry)

    assert response == snapshot
    assert response is not None
    assert response["outputs"][0] == {
        "url": None,
        "mediaType": "image/png",
        "content_bytes": 3072,
    }
    assert EMBEDDED_BASE64 not in str(response)


@pytest.mark.parametrize(
    "given",
    [
        JOB_ID.upper(),
        f"  {JOB_ID}  ",
        f"https://photoshop-api.adobe.io/v2/status/{JOB_ID}",
        f"https://image.adobe.io/lrService/status/{JOB_ID}",
        f"https://image.adobe.io/pie/psdService/status/{JOB_ID}",
    ],
)
async def test_job_id_taken_from_a_uuid_or_status_url(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer, given: str
) -> None:
    """Whatever form the id comes in, the v2 endpoint is asked for its UUID."""
    server.script(JOB_ID, job_body("running"))

    response = await _get_job(hass, entry, given)

    assert response is not None
    assert response["job_id"] == JOB_ID
    assert len(server.requested(JOB_ID)) == 1


@pytest.mark.parametrize(
    "given",
    [
        "",
        "not-a-job",
        f"{JOB_ID}x",
        f"https://image.adobe.io/pie/psdService/documentManifest/{JOB_ID}",
        f"ftp://image.adobe.io/lrService/status/{JOB_ID}",
    ],
)
@pytest.mark.parametrize(
    "action", [SERVICE_GET_PHOTOSHOP_JOB, SERVICE_TRACK_PHOTOSHOP_JOB]
)
async def test_malformed_job_id_refused_before_any_request(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    action: str,
    given: str,
) -> None:
    """A malformed id is the caller's mistake: a translated validation error, no request."""
    with pytest.raises(ServiceValidationError) as exc_info:
        await hass.services.async_call(
            DOMAIN,
            action,
            {"config_entry_id": entry.entry_id, "job_id": given},
            blocking=True,
            return_response=action == SERVICE_GET_PHOTOSHOP_JOB,
        )

    assert exc_info.value.translation_key == "invalid_job_id"
    assert "is not a Photoshop API job ID" in str(exc_info.value)
    assert server.requested() == []


def _token_requests(aioclient_mock: AiohttpClientMocker) -> int:
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]) == TOKEN_URL)


@pytest.mark.parametrize(
    ("answer", "error", "key", "message"),
    [
        ((404, {"error_code": "unknown_job_id", "message": "Job not found"}, {}),
         HomeAssistantError, "job_not_found",
         f"Adobe does not know the Photoshop API job {JOB_ID} (HTTP 404)"),
        ((400, {"error_code": "validation_error", "message": "Invalid job id"}, {}),
         ServiceValidationError, "invalid_job_id", "This is not a Photoshop API job ID"),
        ((403, {"error_code": "403421", "message": "Quota exhausted"}, {}),
         HomeAssistantError, "quota_exhausted",
         "The Photoshop API quota of this credential is exhausted (403421)"),
        ((403, {"error_code": "unauthorized_forbidden",
                "message": "The user is not entitled to call this service"}, {}),
         HomeAssistantError, "photoshop_access_denied",
         ("Adobe refused access to the Photoshop API: "
          "The user is not entitled to call this service")),
        ((403, {"error_code": "403003"}, {}),
         HomeAssistantError, "photoshop_access_denied",
         "Adobe refused access to the Photoshop API: 403003"),
        ((403, "<html>Forbidden</html>", {}),
         HomeAssistantError, "photoshop_access_denied",
         "Adobe refused access to the Photoshop API: "),
        ((429, {"error_code": "unauthorized_rate_limited", "message": "Slow down"},
          {"Retry-After": "30"}),
         HomeAssistantError, "job_rate_limited",
         "Adobe is limiting requests; try again in 30 seconds"),
        ((429, {"error_code": "unauthorized_rate_limited"}, {}),
         HomeAssistantError, "job_rate_limited",
         "Adobe is limiting requests; try again in ? seconds"),
        ((500, {"error_code": "runtime_error", "message": "Try again"}, {}),
         HomeAssistantError, "cannot_connect", "Could not reach the provider: HTTP 500"),
        ((502, "<html>Bad gateway</html>", {}),
         HomeAssistantError, "cannot_connect", "Could not reach the provider: HTTP 502"),
        ((200, "<html>maintenance</html>", {}),
         HomeAssistantError, "invalid_response", "The provider's answer could not be read"),
        ((200, '{"jobId": "x", "status": ', {}),
         HomeAssistantError, "invalid_response", "The provider's answer could not be read"),
        ((200, '{"status": "running", "pad": "' + "x" * (5 * 1024 * 1024) + '"}', {}),
         HomeAssistantError, "response_too_large",
         "The provider's answer was larger than 5 MB and was refused"),
    ],
    ids=[
        "404", "400", "403-quota", "403-not-entitled", "403-gateway", "403-html",
        "429", "429-no-retry-after", "500", "502", "html", "truncated", "too-large",
    ],
)  # fmt: skip
async def test_provider_errors_are_translated(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
    answer: tuple[int, Any, dict[str, str]],
    error: type[HomeAssistantError],
    key: str,
    message: str,
) -> None:
    """Each provider failure is a translated error with every placeholder filled.

    Only a 401 renews the token: every other answer costs one request and no token.
    """
    server.script(JOB_ID, answer)
    tokens_before = _token_requests(aioclient_mock)

    with pytest.raises(error) as exc_info:
        await _get_job(hass, entry)

    assert exc_info.value.translation_domain == DOMAIN
    assert exc_info.value.translation_key == key
    text = str(exc_info.value)
    assert text.startswith(message)
    assert re.search(r"\{\w+\}", text) is None  # every placeholder filled
    assert len(server.requested()) == 1
    assert _token_requests(aioclient_mock) == tokens_before
    assert entry.state.recoverable  # the entry stays loaded
    await hass.async_block_till_done()
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_time_out_is_cannot_connect(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A provider that does not answer in time is `cannot_connect`."""
    aioclient_mock.clear_requests()
    mock_token(aioclient_mock)
    aioclient_mock.get(status_url(), exc=TimeoutError())

    with pytest.raises(HomeAssistantError) as exc_info:
        await _get_job(hass, entry)

    assert exc_info.value.translation_key == "cannot_connect"
    assert str(exc_info.value).startswith("Could not reach the provider: ")
    assert "no answer within" in str(exc_info.value)


async def test_refused_token_is_renewed_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A 401 drops the token; the second try with a new token answers."""
    server.script(
        JOB_ID,
        (401, {"error_code": "401013", "message": "Oauth token is not valid"}, {}),
        job_body("running"),
    )
    tokens_before = sum(
        1 for call in aioclient_mock.mock_calls if str(call[1]) == TOKEN_URL
    )

    response = await _get_job(hass, entry)

    assert response is not None
    assert response["status"] == "running"
    token_requests = sum(
        1 for call in aioclient_mock.mock_calls if str(call[1]) == TOKEN_URL
    )
    assert token_requests == tokens_before + 1
    assert len(server.requested()) == 2


async def test_refused_twice_starts_reauth(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """A token refused again after renewal means the credential needs renewing."""
    server.script(
        JOB_ID,
        (401, {"error_code": "401013", "message": "Oauth token is not valid"}, {}),
    )

    with pytest.raises(HomeAssistantError) as exc_info:
        await _get_job(hass, entry)

    assert exc_info.value.translation_key == "auth_failed"
    assert str(exc_info.value) == (
        "The provider refused the credentials; please re-authenticate"
    )
    await hass.async_block_till_done()
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["source"] == SOURCE_REAUTH
    assert flow["context"]["entry_id"] == entry.entry_id
    assert len(server.requested()) == 2


async def _run_waiting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    steps: list[float],
    **fields: Any,
) -> ServiceResponse:
    """Call get_photoshop_job with wait, moving the clock on by `steps` meanwhile."""
    call = asyncio.ensure_future(_get_job(hass, entry, wait=True, **fields))
    await hass.async_block_till_done()
    for seconds in steps:
        assert not call.done()
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    return await asyncio.wait_for(call, 1)


async def test_wait_until_succeeded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    snapshot: SnapshotAssertion,
) -> None:
    """Pending → running → succeeded, polled at once, then after 2 s and 3 s."""
    server.script(
        JOB_ID,
        job_body("pending"),
        job_body("running"),
        job_body("succeeded", **SUCCEEDED_OUTPUTS),
    )
    started = dt_util.utcnow()

    response = await _run_waiting(hass, freezer, entry, [2, 3])

    assert response == snapshot
    assert [(when - started).total_seconds() for when in server.requested()] == [
        0,
        2,
        5,
    ]


async def test_wait_until_failed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A failed job ends the wait with its errors."""
    server.script(JOB_ID, job_body("pending"), job_body("failed", **FAILED_ERRORS))

    response = await _run_waiting(hass, freezer, entry, [2])

    assert response is not None
    assert response["status"] == "failed"
    assert response["timed_out"] is False
    assert response["errors"] == [
        {"code": "400401", "message": "The value provided is not valid."}
    ]


async def test_wait_times_out_with_the_last_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """The last check lands on the deadline; the answer says the wait ran out."""
    server.script(JOB_ID, job_body("pending"), job_body("running"))
    started = dt_util.utcnow()

    response = await _run_waiting(hass, freezer, entry, [2, 3, 4.5, 0.5], timeout=10)

    assert response is not None
    assert (response["status"], response["timed_out"]) == ("running", True)
    assert [(when - started).total_seconds() for when in server.requested()] == [
        0,
        2,
        5,
        9.5,
        10,
    ]


async def test_wait_rides_out_a_server_error(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A 503 in the middle of a wait is retried on the next step."""
    server.script(
        JOB_ID,
        job_body("running"),
        (503, "<html>busy</html>", {}),
        job_body("succeeded"),
    )

    response = await _run_waiting(hass, freezer, entry, [2, 3])

    assert response is not None
    assert response["status"] == "succeeded"


async def test_schema_limits(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Timeouts outside their ranges are refused by the schema."""
    with pytest.raises(vol.Invalid):
        await _get_job(hass, entry, timeout=0)
    with pytest.raises(vol.Invalid):
        await _get_job(hass, entry, timeout=3601)
    for timeout in (59, 86401):
        with pytest.raises(vol.Invalid):
            await hass.services.async_call(
                DOMAIN,
                SERVICE_TRACK_PHOTOSHOP_JOB,
                {
                    "config_entry_id": entry.entry_id,
                    "job_id": JOB_ID,
                    "timeout": timeout,
                },
                blocking=True,
            )


async def test_get_job_needs_a_response_variable(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """get_photoshop_job only answers: calling it without asking for the answer fails."""
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            SERVICE_GET_PHOTOSHOP_JOB,
            {"config_entry_id": entry.entry_id, "job_id": JOB_ID},
            blocking=True,
        )


async def test_entry_must_be_a_loaded_photoshop_entry(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Another provider's entry, an unknown id and an unloaded entry are refused."""
    mock_config_entry.add_to_hass(hass)  # a Statuspage entry, not loaded
    with pytest.raises(ServiceValidationError) as exc_info:
        await _get_job(hass, mock_config_entry)
    assert exc_info.value.translation_key == "service_config_entry_not_loaded"

    aioclient_mock.get(
        "https://status.example.com/api/v2/summary.json",
        json=load_json_fixture("statuspage_summary_operational.json"),
    )
    with patch("custom_components.cloud_status.PLATFORMS", []):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
    with pytest.raises(ServiceValidationError) as exc_info:
        await _get_job(hass, mock_config_entry)
    assert exc_info.value.translation_key == "not_a_photoshop_entry"
    assert "is not an Adobe Photoshop API entry" in str(exc_info.value)

    with pytest.raises(ServiceValidationError) as exc_info:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_GET_PHOTOSHOP_JOB,
            {"config_entry_id": "no-such-entry", "job_id": JOB_ID},
            blocking=True,
            return_response=True,
        )
    assert exc_info.value.translation_key == "service_config_entry_not_found"


async def test_track_maps_errors_like_get(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """Tracking an unknown job fails at once, and nothing is tracked."""
    with pytest.raises(HomeAssistantError) as exc_info:
        await hass.services.async_call(
            DOMAIN,
            SERVICE_TRACK_PHOTOSHOP_JOB,
            {"config_entry_id": entry.entry_id, "job_id": JOB_ID},
            blocking=True,
        )

    assert exc_info.value.translation_key == "job_not_found"
    assert entry.runtime_data.coordinator.tracked_jobs == {}


async def test_waiting_action_ends_when_its_entry_unloads(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Unloading ends a wait at once with `entry_unloaded`; nothing is sent after."""
    server.script(JOB_ID, job_body("running"))
    call = asyncio.ensure_future(_get_job(hass, entry, wait=True, timeout=3600))
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(server.requested()) == 2

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    assert call.done()
    with pytest.raises(HomeAssistantError) as exc_info:
        await call
    assert exc_info.value.translation_key == "entry_unloaded"
    assert str(exc_info.value) == (
        "Adobe Photoshop API was unloaded while the action ran; "
        "try again once it is loaded"
    )
    sent = len(aioclient_mock.mock_calls)
    for _ in range(20):
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert len(aioclient_mock.mock_calls) == sent


async def test_lookup_in_flight_ends_when_its_entry_unloads(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """A single lookup whose answer has not come is ended by unloading too."""
    in_flight = Held(job_body("running"))
    server.script(JOB_ID, in_flight)
    call = asyncio.ensure_future(_get_job(hass, entry))
    await hass.async_block_till_done()

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    in_flight.release.set()

    with pytest.raises(HomeAssistantError) as exc_info:
        await call
    assert exc_info.value.translation_key == "entry_unloaded"


async def test_cancelled_wait_stops_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A caller that gives up (its task cancelled) ends the wait: no more requests."""
    server.script(JOB_ID, job_body("running"))
    call = asyncio.ensure_future(_get_job(hass, entry, wait=True, timeout=3600))
    await hass.async_block_till_done()

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    for _ in range(5):
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    assert len(server.requested()) == 1
    assert entry.state is ConfigEntryState.LOADED


async def test_waiting_action_does_not_hold_up_shutdown(
    hass: HomeAssistant, entry: MockConfigEntry, server: JobServer
) -> None:
    """Home Assistant stopping ends a wait at once instead of waiting up to an hour."""
    server.script(JOB_ID, job_body("running"))
    call = hass.async_create_task(_get_job(hass, entry, wait=True, timeout=3600))
    await asyncio.sleep(0)
    assert len(server.requested()) == 1

    await asyncio.wait_for(hass.async_stop(), 10)

    assert call.done()
    with pytest.raises(HomeAssistantError) as exc_info:
        await call
    assert exc_info.value.translation_key == "entry_unloaded"
    assert len(server.requested()) == 1
