"""Config flow for Cloud Status: one entry per monitored source.

The menu, re-authentication and reconfigure are the same for every provider and look
the provider up in the registry; each provider's own steps live in its module and are
attached to the flow below.
"""

from __future__ import annotations

from typing import Any, override

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.core import callback

from .const import DOMAIN
from .options_flow import CloudStatusOptionsFlow
from .providers import PROVIDERS, UnknownProviderError, flow_steps, provider_of
from .providers.catalog import STEP_ID as CATALOG_STEP, async_step_catalog
from .providers.detection import STEP_ID as STATUS_PAGE_STEP, async_step_status_page
from .validation import Errors, ValidatedSource, clean_text_fields


class CloudStatusConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a monitored source: pick a provider, then describe the source."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing learned."""
        # What a provider's steps learn before the entry is created.
        self.pending: dict[str, Any] = {}

    @staticmethod
    @callback
    @override
    def async_get_options_flow(
        config_entry: ConfigEntry,
    ) -> CloudStatusOptionsFlow:
        """Return the options flow (poll interval and components)."""
        return CloudStatusOptionsFlow()

    @classmethod
    @callback
    @override
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Offer options to entries that poll; Photoshop job entries have none."""
        try:
            return provider_of(config_entry.data).default_scan_interval is not None
        except UnknownProviderError:
            return False

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the catalog and any status page, then each provider with a form."""
        return self.async_show_menu(
            step_id="user",
            menu_options=[
                CATALOG_STEP,
                STATUS_PAGE_STEP,
                *(provider.id for provider in PROVIDERS.values() if provider.steps),
            ],
        )

    async def async_step_catalog(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a popular service by name; its address is detected as any page's."""
        return await async_step_catalog(self, PROVIDERS.values(), user_input)

    async def async_step_status_page(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take any status page's address; the platform is detected."""
        return await async_step_status_page(self, PROVIDERS.values(), user_input)

    # --- what provider steps use ----------------------------------------------------

    async def async_create_source(self, source: ValidatedSource) -> ConfigFlowResult:
        """Create the entry of a validated source, unless it exists already."""
        await self.async_set_unique_id(source.unique_id)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=source.title, data=source.data)

    def abort_if_unique_id_configured(self) -> None:
        """Abort with already_configured when an entry has the flow's unique id."""
        self._abort_if_unique_id_configured()

    def abort_if_unique_id_mismatch(self, *, reason: str) -> None:
        """Abort when the flow's unique id is not the reconfigured entry's."""
        self._abort_if_unique_id_mismatch(reason=reason)

    def configured_unique_ids(self) -> set[str | None]:
        """Return the unique ids of configured entries (ignored ones do not count)."""
        return self._async_current_ids(include_ignore=False)

    def show_reconfigure(
        self,
        entry: ConfigEntry,
        schema: vol.Schema,
        suggested: Any,
        errors: Errors,
    ) -> ConfigFlowResult:
        """Show the reconfigure form of a provider."""
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def async_check_secret(
        self, entry: ConfigEntry, updates: dict[str, Any]
    ) -> Errors:
        """Validate an entry's data with new secrets; return the form errors."""
        check = provider_of(entry.data).check_secret
        if check is None or any(not value for value in updates.values()):
            return {"base": "invalid_auth"}
        return await check(self.hass, {**entry.data, **updates})

    # --- reauth ---------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: dict[str, Any]) -> ConfigFlowResult:
        """Ask for a new secret: the provider refused the entry's."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the renewed secret and check it before storing it."""
        entry = self._get_reauth_entry()
        try:
            provider = provider_of(entry.data)
        except UnknownProviderError:
            return self.async_abort(reason="unknown_provider")
        if provider.reauth_schema is None:
            return self.async_abort(reason="no_secret")
        errors: Errors = {}
        if user_input is not None:
            updates = clean_text_fields(user_input)
            errors = await self.async_check_secret(entry, updates)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=provider.reauth_schema(entry.data),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    # --- reconfigure ----------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an entry reaches its source, keeping entities and history."""
        entry = self._get_reconfigure_entry()
        try:
            provider = provider_of(entry.data)
        except UnknownProviderError:
            return self.async_abort(reason="unknown_provider")
        return await provider.reconfigure(self, entry, user_input)


# Each provider's steps become `async_step_<id>` methods of the flow.
for _step_id, _step in flow_steps().items():
    setattr(CloudStatusConfigFlow, f"async_step_{_step_id}", _step)
