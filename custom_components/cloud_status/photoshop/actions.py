"""Actions: read, wait for and track Adobe Photoshop API jobs."""

from __future__ import annotations

import voluptuous as vol

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, service

from ..api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
)
from ..api.photoshop import (
    InvalidJobIdError,
    PhotoshopAccessDeniedError,
    PhotoshopJobRejectedError,
    PhotoshopQuotaExhaustedError,
    parse_job_id,
)
from ..const import DOMAIN
from .responses import job_response
from .runtime import PhotoshopConfigEntry, PhotoshopRuntimeData

SERVICE_GET_PHOTOSHOP_JOB = "get_photoshop_job"
SERVICE_TRACK_PHOTOSHOP_JOB = "track_photoshop_job"

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_JOB_ID = "job_id"
ATTR_WAIT = "wait"
ATTR_TIMEOUT = "timeout"

# The job id is checked by the action, not the schema: a malformed one gets our own
# translated message instead of a generic "invalid value".
GET_PHOTOSHOP_JOB_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_JOB_ID): cv.string,
        vol.Optional(ATTR_WAIT, default=False): cv.boolean,
        vol.Optional(ATTR_TIMEOUT, default=300): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=3600)
        ),
    }
)
TRACK_PHOTOSHOP_JOB_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_JOB_ID): cv.string,
        vol.Optional(ATTR_TIMEOUT, default=3600): vol.All(
            vol.Coerce(int), vol.Range(min=60, max=86400)
        ),
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the Photoshop job actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_PHOTOSHOP_JOB,
        _async_get_photoshop_job,
        schema=GET_PHOTOSHOP_JOB_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_TRACK_PHOTOSHOP_JOB,
        _async_track_photoshop_job,
        schema=TRACK_PHOTOSHOP_JOB_SCHEMA,
    )


async def _async_get_photoshop_job(call: ServiceCall) -> ServiceResponse:
    entry, job_id = _resolve(call)
    coordinator = entry.runtime_data.coordinator
    try:
        result = await coordinator.async_get_job(
            job_id, wait=call.data[ATTR_WAIT], wait_seconds=call.data[ATTR_TIMEOUT]
        )
    except CloudStatusError as err:
        raise _action_error(call.hass, entry, job_id, err) from err
    return job_response(result)


async def _async_track_photoshop_job(call: ServiceCall) -> None:
    entry, job_id = _resolve(call)
    coordinator = entry.runtime_data.coordinator
    try:
        await coordinator.async_track_job(job_id, call.data[ATTR_TIMEOUT])
    except CloudStatusError as err:
        raise _action_error(call.hass, entry, job_id, err) from err


def _resolve(call: ServiceCall) -> tuple[PhotoshopConfigEntry, str]:
    """Return the loaded photoshop entry the call names, and the job's UUID."""
    entry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    if not isinstance(entry.runtime_data, PhotoshopRuntimeData):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_a_photoshop_entry",
            translation_placeholders={"title": entry.title},
        )
    try:
        job_id = parse_job_id(call.data[ATTR_JOB_ID])
    except InvalidJobIdError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_job_id",
        ) from err
    return entry, job_id


def _action_error(
    hass: HomeAssistant,
    entry: PhotoshopConfigEntry,
    job_id: str,
    err: CloudStatusError,
) -> HomeAssistantError:
    """Translate a client error into what the action raises."""
    placeholders = {"job_id": job_id}
    error_class: type[HomeAssistantError] = HomeAssistantError
    match err:
        case PhotoshopJobRejectedError():
            error_class = ServiceValidationError
            key = "invalid_job_id"
        case CloudStatusNotFoundError():
            key = "job_not_found"
        case PhotoshopQuotaExhaustedError():
            key = "quota_exhausted"
        case PhotoshopAccessDeniedError():
            key = "photoshop_access_denied"
            placeholders["error"] = err.detail or err.error_code or str(err)
        case CloudStatusAuthError():
            entry.async_start_reauth(hass)
            key = "auth_failed"
        case CloudStatusRateLimitError():
            key = "job_rate_limited"
            placeholders["retry_after"] = (
                "?" if err.retry_after is None else f"{err.retry_after:.0f}"
            )
        case CloudStatusConnectionError():
            key = "cannot_connect"
            placeholders["error"] = str(err)
        case CloudStatusResponseTooLargeError():
            key = "response_too_large"
        case _:
            key = "invalid_response"
            placeholders["error"] = str(err)
    return error_class(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )
