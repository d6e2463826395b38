"""Atlassian Statuspage, management API: the pages a key sees, private ones too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, override

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..api import StatusSnapshot
from ..api.statuspage_manage import ManagedPage, StatuspageManageClient
from ..const import CONF_PAGE_ID, CONF_PROVIDER
from ..coordinator import CloudStatusCoordinator
from ..credentials import statuspage_request_spacer
from ..flow_helpers import SECRET_SELECTOR
from ..runtime import CloudStatusConfigEntry, StatusRuntimeData
from ..validation import Errors, ValidatedSource, attempt, clean_text_fields
from .base import ProviderModule
from .statuspage import MANUFACTURER, page_unique_id

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "statuspage_manage"
PAGE_STEP = "statuspage_manage_page"
API_KEY_SCHEMA = vol.Schema({vol.Required(CONF_API_KEY): SECRET_SELECTOR})


class StatuspageManageCoordinator(CloudStatusCoordinator):
    """A page its owner reads through the Statuspage management API (also private pages)."""

    provider = ID
    manufacturer = MANUFACTURER
    default_scan_interval = 120
    secret_keys = (CONF_API_KEY,)

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client; its requests share the key's one-per-second budget."""
        super().__init__(hass, entry)
        api_key: str = entry.data[CONF_API_KEY]
        self.client = StatuspageManageClient(
            async_get_clientsession(hass),
            api_key,
            spacer=statuspage_request_spacer(hass, api_key),
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return super().configuration_url or "https://manage.statuspage.io"

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {"requests_per_poll": self.client.requests_per_poll}

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_snapshot(
            self.config_entry.data[CONF_PAGE_ID]
        )


async def async_validate_key(
    hass: HomeAssistant, api_key: str
) -> tuple[list[ManagedPage] | None, Errors]:
    """List the pages an API key can see; return them, or the form errors."""
    # The key's spacer is shared with its entries: after a 429 the client fails fast
    # with a rate-limit error instead of waiting out the pause.
    client = StatuspageManageClient(
        async_get_clientsession(hass),
        api_key,
        spacer=statuspage_request_spacer(hass, api_key),
    )
    pages, errors = await attempt(
        client.async_get_pages(),
        "listing the pages of a Statuspage API key",
        credential_sent=True,
        not_found="cannot_connect",
    )
    if pages is not None and not pages:
        return None, {"base": "no_pages"}
    return pages, errors


async def async_check_secret(hass: HomeAssistant, data: dict[str, Any]) -> Errors:
    """Check that the (new) key still sees the entry's page."""
    pages, errors = await async_validate_key(hass, data[CONF_API_KEY])
    if pages is not None and all(page.id != data[CONF_PAGE_ID] for page in pages):
        return {"base": "page_not_visible"}
    return errors


async def async_step(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for a Statuspage API key and list the pages it can see."""
    errors: Errors = {}
    if user_input is not None:
        api_key = user_input[CONF_API_KEY].strip()
        pages, errors = await async_validate_key(flow.hass, api_key)
        if pages is not None:
            flow.pending = {CONF_PROVIDER: ID, CONF_API_KEY: api_key, "pages": pages}
            return await async_step_page(flow)
    return flow.async_show_form(step_id=ID, data_schema=API_KEY_SCHEMA, errors=errors)


async def async_step_page(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick one of the key's pages that is not configured yet."""
    configured = flow.configured_unique_ids()
    pages: list[ManagedPage] = flow.pending["pages"]
    available = [page for page in pages if page_unique_id(page.id) not in configured]
    if not available:
        return flow.async_abort(reason="already_configured")
    if user_input is not None:
        page = next((p for p in available if p.id == user_input[CONF_PAGE_ID]), None)
        if page is None:
            # Added by another flow while this form was open.
            return flow.async_abort(reason="already_configured")
        return await flow.async_create_source(
            ValidatedSource(
                unique_id=page_unique_id(page.id),
                title=page.name,
                data={
                    CONF_PROVIDER: ID,
                    CONF_API_KEY: flow.pending[CONF_API_KEY],
                    CONF_PAGE_ID: page.id,
                },
            )
        )
    schema = vol.Schema(
        {
            vol.Required(CONF_PAGE_ID): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=page.id, label=page.name)
                        for page in available
                    ],
                    mode=SelectSelectorMode.LIST,
                )
            )
        }
    )
    return flow.async_show_form(step_id=PAGE_STEP, data_schema=schema)


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Give the entry another key that can see the same page."""
    errors: Errors = {}
    if user_input is not None:
        updates = clean_text_fields(user_input)
        errors = await flow.async_check_secret(entry, updates)
        if errors == {"base": "page_not_visible"}:
            return flow.async_abort(reason="wrong_page")
        if not errors:
            return flow.async_update_reload_and_abort(entry, data_updates=updates)
    return flow.show_reconfigure(entry, API_KEY_SCHEMA, None, errors)


def _reauth_schema(data: Mapping[str, Any]) -> vol.Schema:
    return API_KEY_SCHEMA


PROVIDER = ProviderModule(
    id=ID,
    manufacturer=MANUFACTURER,
    steps={ID: async_step, PAGE_STEP: async_step_page},
    create_runtime=lambda hass, entry: StatusRuntimeData(
        StatuspageManageCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=StatuspageManageCoordinator.default_scan_interval,
    secret_keys=StatuspageManageCoordinator.secret_keys,
    reauth_schema=_reauth_schema,
    check_secret=async_check_secret,
)
