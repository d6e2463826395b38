"""Selectors and form steps that several providers share.

The shapes that repeat: an address form (optionally with a key) that validates the
address the way a poll would, and a reconfigure form that points an entry at a new
address of the same source.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .validation import Errors, ValidatedSource

if TYPE_CHECKING:
    from .config_flow import CloudStatusConfigFlow

# A text input, not a URL input: people paste scheme-less addresses such as
# `githubstatus.com`, which the browser's URL validation would refuse.
URL_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="url")
)
SECRET_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
)
TEXT_SELECTOR = TextSelector()
PRIVATE_KEY_SELECTOR = TextSelector(TextSelectorConfig(multiline=True))

URL_SCHEMA = vol.Schema({vol.Required(CONF_URL): URL_SELECTOR})

type AddressCheck = Callable[
    [HomeAssistant, str], Awaitable[tuple[ValidatedSource | None, Errors]]
]


async def async_address_step(
    flow: CloudStatusConfigFlow,
    step_id: str,
    validate: AddressCheck,
    user_input: dict[str, Any] | None,
) -> ConfigFlowResult:
    """Ask for a status page address; create the entry once the address answers."""
    errors: Errors = {}
    if user_input is not None:
        source, errors = await validate(flow.hass, user_input[CONF_URL])
        if source is not None:
            return await flow.async_create_source(source)
    return flow.async_show_form(
        step_id=step_id,
        data_schema=flow.add_suggested_values_to_schema(URL_SCHEMA, user_input),
        errors=errors,
    )


async def async_reconfigure_address(
    flow: CloudStatusConfigFlow,
    entry: ConfigEntry,
    validate: AddressCheck,
    user_input: dict[str, Any] | None,
) -> ConfigFlowResult:
    """Point an entry at a new address of the same page (another page: wrong_page)."""
    errors: Errors = {}
    if user_input is not None:
        source, errors = await validate(flow.hass, user_input[CONF_URL])
        if source is not None:
            await flow.async_set_unique_id(source.unique_id)
            flow.abort_if_unique_id_mismatch(reason="wrong_page")
            # The new source's data replaces the old: a key it no longer has (a
            # Status.io mirror, say) must not outlive the address it came from.
            return flow.async_update_reload_and_abort(entry, data=source.data)
    return flow.show_reconfigure(entry, URL_SCHEMA, user_input or entry.data, errors)
