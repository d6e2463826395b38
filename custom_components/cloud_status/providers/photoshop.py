"""Adobe Photoshop API jobs: no status page, actions and a completion event instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant

from ..const import (
    CONF_PROVIDER,
    CONF_SCOPES,
    DEFAULT_PHOTOSHOP_SCOPES,
    PHOTOSHOP_TITLE,
)
from ..credentials import build_token_provider
from ..flow_helpers import SECRET_SELECTOR, TEXT_SELECTOR
from ..photoshop.runtime import PhotoshopRuntimeData
from ..photoshop.store import async_remove_stored_jobs
from ..photoshop.tracker import PhotoshopJobCoordinator
from ..runtime import CloudStatusConfigEntry
from ..validation import Errors, attempt, clean_text_fields
from .base import ProviderModule

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "photoshop"
SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(
            CONF_SCOPES, default=",".join(DEFAULT_PHOTOSHOP_SCOPES)
        ): TEXT_SELECTOR,
    }
)
SCOPES_SCHEMA = vol.Schema({vol.Required(CONF_SCOPES): TEXT_SELECTOR})
REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR})


async def async_check_secret(hass: HomeAssistant, data: dict[str, Any]) -> Errors:
    """Check OAuth Server-to-Server credentials: IMS issues a token for them."""
    _, errors = await attempt(
        build_token_provider(hass, data, shared=False).async_get_token(),
        "requesting an IMS token",
        credential_sent=True,
        not_found="cannot_connect",
    )
    # There is no address to check here: an unreadable IMS answer is IMS failing.
    if errors == {"base": "not_a_status_page"}:
        return {"base": "cannot_connect"}
    return errors


async def async_step(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for the OAuth Server-to-Server credential of a Photoshop API project."""
    errors: Errors = {}
    if user_input is not None:
        data = {
            CONF_PROVIDER: ID,
            **clean_text_fields(user_input, DEFAULT_PHOTOSHOP_SCOPES),
        }
        await flow.async_set_unique_id(f"{ID}:{data[CONF_CLIENT_ID]}")
        flow.abort_if_unique_id_configured()
        errors = await async_check_secret(flow.hass, data)
        if not errors:
            return flow.async_create_entry(title=PHOTOSHOP_TITLE, data=data)
    return flow.async_show_form(
        step_id=ID,
        data_schema=flow.add_suggested_values_to_schema(SCHEMA, user_input),
        errors=errors,
    )


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Change the scopes the entry asks IMS for."""
    errors: Errors = {}
    if user_input is not None:
        updates = clean_text_fields(user_input, DEFAULT_PHOTOSHOP_SCOPES)
        errors = await async_check_secret(flow.hass, {**entry.data, **updates})
        if not errors:
            return flow.async_update_reload_and_abort(entry, data_updates=updates)
    return flow.show_reconfigure(entry, SCOPES_SCHEMA, user_input or entry.data, errors)


def _create_runtime(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> PhotoshopRuntimeData:
    return PhotoshopRuntimeData(PhotoshopJobCoordinator(hass, entry))


def _reauth_schema(data: Mapping[str, Any]) -> vol.Schema:
    return REAUTH_SCHEMA


PROVIDER = ProviderModule(
    id=ID,
    manufacturer="Adobe",
    steps={ID: async_step},
    create_runtime=_create_runtime,
    reconfigure=async_reconfigure,
    secret_keys=(CONF_CLIENT_SECRET,),
    reauth_schema=_reauth_schema,
    check_secret=async_check_secret,
    async_remove_entry_data=async_remove_stored_jobs,
)
