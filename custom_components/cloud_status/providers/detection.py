"""**Any status page**: try the detecting providers on an address, first match wins."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..api import CloudStatusError, InvalidUrlError
from ..api.detection import Probe, detection_base_url
from ..const import LOGGER
from ..flow_helpers import URL_SCHEMA
from ..validation import Errors, ValidatedSource, form_error
from .base import ProviderModule

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

STEP_ID = "status_page"
# The whole detection, every probe included.
DETECTION_TIMEOUT = 20.0


async def async_detect(
    hass: HomeAssistant, raw_url: str, providers: Iterable[ProviderModule]
) -> tuple[ValidatedSource | None, Errors]:
    """Find the provider that serves an address; return its source, or the form errors.

    Providers are tried in the order given, each with at most one request of its own
    (the page's HTML is shared), and nothing is tried after the first match.
    """
    try:
        base_url = detection_base_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    detecting = [
        (provider, provider.detect)
        for provider in providers
        if provider.detect is not None
    ]
    claiming = [
        (provider, detect)
        for provider, detect in detecting
        if provider.claims is not None and provider.claims(raw_url.strip())
    ]
    probe = Probe(async_get_clientsession(hass), raw_url, base_url)
    try:
        async with asyncio.timeout(DETECTION_TIMEOUT):
            for _, detect in claiming or detecting:
                if (source := await detect(probe)) is not None:
                    return source, {}
    except TimeoutError:
        LOGGER.debug("Detection gave up after %s s at %s", DETECTION_TIMEOUT, base_url)
        return None, {"base": "cannot_connect"}
    except CloudStatusError as err:
        LOGGER.debug("Detection failed at %s: %s", base_url, err)
        return None, {
            "base": form_error(
                err, not_found="not_a_status_page", credential_sent=False
            )
        }
    except Exception:  # noqa: BLE001
        LOGGER.exception("Unexpected error while detecting the platform of a page")
        return None, {"base": "unknown"}
    return None, {"base": _nothing_found(probe)}


def _nothing_found(probe: Probe) -> str:
    if probe.refused:
        return "access_denied"
    if probe.rate_limited is not None:
        return "rate_limited"
    if probe.requests and probe.failed == probe.requests:
        return "cannot_connect"
    return "not_a_status_page"


async def async_step_status_page(
    flow: CloudStatusConfigFlow,
    providers: Iterable[ProviderModule],
    user_input: dict[str, Any] | None,
) -> ConfigFlowResult:
    """Ask for any status page's address; create the entry of the platform found."""
    errors: Errors = {}
    if user_input is not None:
        source, errors = await async_detect(flow.hass, user_input[CONF_URL], providers)
        if source is not None:
            return await async_continue_with(flow, source)
    schema: vol.Schema = flow.add_suggested_values_to_schema(URL_SCHEMA, user_input)
    return flow.async_show_form(step_id=STEP_ID, data_schema=schema, errors=errors)


async def async_continue_with(
    flow: CloudStatusConfigFlow, source: ValidatedSource
) -> ConfigFlowResult:
    """Create the entry of a detected source, or go on to the step it still needs."""
    if source.next_step is None:
        return await flow.async_create_source(source)
    flow.pending["source"] = source
    next_step: Callable[[dict[str, Any] | None], Awaitable[ConfigFlowResult]] = getattr(
        flow, f"async_step_{source.next_step}"
    )
    return await next_step(None)
