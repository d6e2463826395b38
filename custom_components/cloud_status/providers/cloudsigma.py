"""CloudSigma's status service: `/api/v1/status`, its components, and with a key details."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, override

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import BooleanSelector

from ..api import (
    CloudStatusParseError,
    InvalidUrlError,
    StatusSnapshot,
    base_url_string,
)
from ..api.cloudsigma import (
    DEFAULT_CLOUDSIGMA_URL,
    STATUS_PATH,
    CloudSigmaClient,
    normalize_cloudsigma_url,
    parse_status,
)
from ..api.detection import Probe
from ..const import CONF_PROVIDER
from ..coordinator import CloudStatusCoordinator
from ..flow_helpers import SECRET_SELECTOR, URL_SELECTOR
from ..runtime import CloudStatusConfigEntry, StatusRuntimeData
from ..validation import Errors, ValidatedSource, attempt
from .base import ProviderModule

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "cloudsigma"
MANUFACTURER = "CloudSigma"
CONF_REMOVE_API_KEY = "remove_api_key"

SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL, default=DEFAULT_CLOUDSIGMA_URL): URL_SELECTOR,
        vol.Optional(CONF_API_KEY): SECRET_SELECTOR,
    }
)
# Reconfigure of an entry that has a key: the key field starts empty.
RECONFIGURE_SCHEMA = SCHEMA.extend(
    {vol.Optional(CONF_REMOVE_API_KEY, default=False): BooleanSelector()}
)
API_KEY_SCHEMA = vol.Schema({vol.Required(CONF_API_KEY): SECRET_SELECTOR})


class CloudSigmaCoordinator(CloudStatusCoordinator):
    """A CloudSigma status page: /status and every page of /components."""

    provider = ID
    manufacturer = MANUFACTURER
    default_scan_interval = 60
    secret_keys = (CONF_API_KEY,)

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client, with the API key when the entry has one."""
        super().__init__(hass, entry)
        self.client = CloudSigmaClient(
            async_get_clientsession(hass),
            entry.data[CONF_URL],
            entry.data.get(CONF_API_KEY) or None,
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return base_url_string(self.client.base_url)

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {"details_available": self.client.details_available}

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_snapshot()


def unique_id_of(raw_url: str) -> str | None:
    """Name the entry a CloudSigma address makes, without a request (None: no address).

    The name depends on the address alone, so a duplicate or another deployment can be
    refused before anything, a stored key above all, is sent.
    """
    try:
        base_url = normalize_cloudsigma_url(raw_url)
    except InvalidUrlError:
        return None
    return f"{ID}:{base_url.host or ''}"


async def async_validate(
    hass: HomeAssistant, raw_url: str, api_key: str | None
) -> tuple[ValidatedSource | None, Errors]:
    """Read the CloudSigma status (and, with a key, a full poll); return the source.

    A key of only spaces counts as no key.
    """
    api_key = (api_key or "").strip() or None
    try:
        base_url = normalize_cloudsigma_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    client = CloudSigmaClient(async_get_clientsession(hass), base_url, api_key)
    # Only a full poll uses the key: /status is public and would accept any key.
    check = client.async_get_snapshot() if api_key else client.async_get_status()
    _, errors = await attempt(
        check,
        "validating a CloudSigma status page",
        credential_sent=api_key is not None,
    )
    if errors:
        return None, errors
    data: dict[str, Any] = {
        CONF_PROVIDER: ID,
        CONF_URL: base_url_string(client.base_url),
    }
    if api_key:
        data[CONF_API_KEY] = api_key
    return ValidatedSource(
        unique_id=f"{ID}:{client.host}", title=client.page_name, data=data
    ), {}


async def async_check_secret(hass: HomeAssistant, data: dict[str, Any]) -> Errors:
    """Check the entry's page with the (new) key: a full poll."""
    _, errors = await async_validate(hass, data[CONF_URL], data[CONF_API_KEY])
    return errors


async def async_step(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for the CloudSigma status page address and an optional API key."""
    errors: Errors = {}
    if user_input is not None:
        if (unique_id := unique_id_of(user_input[CONF_URL])) is not None:
            await flow.async_set_unique_id(unique_id)
            flow.abort_if_unique_id_configured()
        source, errors = await async_validate(
            flow.hass, user_input[CONF_URL], user_input.get(CONF_API_KEY)
        )
        if source is not None:
            return await flow.async_create_source(source)
    return flow.async_show_form(
        step_id=ID,
        data_schema=flow.add_suggested_values_to_schema(SCHEMA, user_input),
        errors=errors,
    )


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Change the entry's address or API key (same deployment)."""
    stored_key: str | None = entry.data.get(CONF_API_KEY)
    errors: Errors = {}
    if user_input is not None:
        # The key field starts empty: left empty, it keeps the stored key unless the
        # user asks for it to be removed; a key typed in replaces it.
        api_key = (user_input.get(CONF_API_KEY) or "").strip() or None
        if api_key is None and not user_input.get(CONF_REMOVE_API_KEY):
            api_key = stored_key
        # Another deployment is refused before the stored key could go to it.
        if (unique_id := unique_id_of(user_input[CONF_URL])) is not None:
            await flow.async_set_unique_id(unique_id)
            flow.abort_if_unique_id_mismatch(reason="wrong_page")
        source, errors = await async_validate(flow.hass, user_input[CONF_URL], api_key)
        if source is not None:
            return flow.async_update_reload_and_abort(entry, data=source.data)
    # A stored secret never goes back to the browser, not even masked.
    shown = user_input or entry.data
    suggested = {
        key: shown[key] for key in (CONF_URL, CONF_REMOVE_API_KEY) if key in shown
    }
    schema = RECONFIGURE_SCHEMA if stored_key else SCHEMA
    return flow.show_reconfigure(entry, schema, suggested, errors)


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise CloudSigma's status service by `/api/v1/status` (a Sorry page has `page`)."""
    payload = await probe.get_json(STATUS_PATH)
    if (
        not isinstance(payload, dict)
        or "page" in payload
        or "indicators" not in payload
    ):
        return None
    try:
        parse_status(payload)
    except CloudStatusParseError:
        return None
    client = CloudSigmaClient(probe.session, probe.base_url)
    return ValidatedSource(
        unique_id=f"{ID}:{client.host}",
        title=client.page_name,
        data={CONF_PROVIDER: ID, CONF_URL: base_url_string(client.base_url)},
    )


def _reauth_schema(data: Mapping[str, Any]) -> vol.Schema:
    return API_KEY_SCHEMA


PROVIDER = ProviderModule(
    id=ID,
    manufacturer=MANUFACTURER,
    steps={ID: async_step},
    create_runtime=lambda hass, entry: StatusRuntimeData(
        CloudSigmaCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=CloudSigmaCoordinator.default_scan_interval,
    secret_keys=CloudSigmaCoordinator.secret_keys,
    reauth_schema=_reauth_schema,
    check_secret=async_check_secret,
    detect=async_detect,
)
