"""Config flow for Cloud Status: one entry per monitored source."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, override

import voluptuous as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_URL
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    InvalidUrlError,
    StatuspageClient,
    base_url_string,
    normalize_page_url,
)
from .const import (
    CONF_COMPONENTS,
    CONF_PROVIDER,
    DEFAULT_SCAN_INTERVALS,
    DOMAIN,
    IMPLEMENTED_PROVIDERS,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    Provider,
)
from .coordinator import CloudStatusConfigEntry, CloudStatusCoordinator

# A text input, not a URL input: people paste scheme-less addresses such as
# `githubstatus.com`, which the browser's URL validation would refuse.
STATUSPAGE_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="url")
        )
    }
)


@dataclass(frozen=True, slots=True)
class ValidatedSource:
    """What a successful validation learned: enough to create or update an entry."""

    unique_id: str
    title: str
    data: dict[str, Any]


async def async_validate_statuspage(
    hass: HomeAssistant, raw_url: str
) -> tuple[ValidatedSource | None, dict[str, str]]:
    """Read the page's summary.json; return the source, or the form errors."""
    try:
        base_url = normalize_page_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    client = StatuspageClient(async_get_clientsession(hass), base_url)
    try:
        snapshot = await client.async_get_summary()
    except CloudStatusRateLimitError:
        error = "rate_limited"
    except CloudStatusAuthError:
        error = "invalid_auth"
    except CloudStatusNotFoundError, CloudStatusParseError:
        error = "not_a_status_page"
    except CloudStatusConnectionError:
        error = "cannot_connect"
    except Exception:  # noqa: BLE001
        LOGGER.exception("Unexpected error while validating a Statuspage address")
        error = "unknown"
    else:
        # A fresh client sends no validators, so "unchanged" can only be a broken answer.
        if snapshot is None:
            return None, {"base": "not_a_status_page"}
        return ValidatedSource(
            unique_id=f"{Provider.STATUSPAGE.value}:{snapshot.page.id}",
            title=snapshot.page.name,
            data={
                CONF_PROVIDER: Provider.STATUSPAGE.value,
                CONF_URL: base_url_string(client.resolved_base_url),
            },
        ), {}
    return None, {"base": error}


class CloudStatusConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a monitored source: pick a provider, then describe the source."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(
        config_entry: ConfigEntry,
    ) -> CloudStatusOptionsFlow:
        """Return the options flow (poll interval and components)."""
        return CloudStatusOptionsFlow()

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer one menu option per implemented provider."""
        return self.async_show_menu(
            step_id="user",
            menu_options=[provider.value for provider in IMPLEMENTED_PROVIDERS],
        )

    async def async_step_statuspage(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the address of a public Atlassian Statuspage."""
        errors: dict[str, str] = {}
        if user_input is not None:
            source, errors = await async_validate_statuspage(
                self.hass, user_input[CONF_URL]
            )
            if source is not None:
                await self.async_set_unique_id(source.unique_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=source.title, data=source.data)
        return self.async_show_form(
            step_id=Provider.STATUSPAGE.value,
            data_schema=self.add_suggested_values_to_schema(
                STATUSPAGE_SCHEMA,
                user_input,
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an entry reaches its source, keeping entities and history."""
        entry = self._get_reconfigure_entry()
        handlers: dict[
            Provider,
            Callable[[ConfigEntry, dict[str, Any] | None], Awaitable[ConfigFlowResult]],
        ] = {Provider.STATUSPAGE: self._async_reconfigure_statuspage}
        return await handlers[Provider(entry.data[CONF_PROVIDER])](entry, user_input)

    async def _async_reconfigure_statuspage(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Point a Statuspage entry at a new address of the same page."""
        errors: dict[str, str] = {}
        if user_input is not None:
            source, errors = await async_validate_statuspage(
                self.hass, user_input[CONF_URL]
            )
            if source is not None:
                await self.async_set_unique_id(source.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_page")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_URL: source.data[CONF_URL]}
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                STATUSPAGE_SCHEMA,
                user_input or entry.data,
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )


class CloudStatusOptionsFlow(OptionsFlowWithReload):
    """Poll interval and the components that get entities; saving reloads the entry."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_COMPONENTS: list(user_input.get(CONF_COMPONENTS, [])),
                }
            )
        options = self.config_entry.options
        selected: list[str] = list(options.get(CONF_COMPONENTS, []))
        interval = options.get(
            CONF_SCAN_INTERVAL,
            DEFAULT_SCAN_INTERVALS[Provider(self.config_entry.data[CONF_PROVIDER])],
        )
        schema = vol.Schema(
            {
                vol.Required(CONF_SCAN_INTERVAL, default=interval): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL,
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                ),
                # Pre-filled as a suggestion, not a default: a default would come back
                # when the user clears the list, and an empty list means "all".
                vol.Optional(CONF_COMPONENTS): SelectSelector(
                    SelectSelectorConfig(
                        options=self._component_options(selected),
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                {CONF_COMPONENTS: selected},
            ),
        )

    def _component_options(self, selected: list[str]) -> list[SelectOptionDict]:
        """List the page's components, plus selected ids the page no longer has."""
        labels: dict[str, str] = {}
        entry: CloudStatusConfigEntry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            coordinator: CloudStatusCoordinator = entry.runtime_data
            labels = {
                component_id: component.display_name
                for component_id, component in coordinator.data.snapshot.components.items()
            }
        for component_id in selected:
            labels.setdefault(component_id, component_id)
        return [
            SelectOptionDict(value=component_id, label=label)
            for component_id, label in sorted(
                labels.items(), key=lambda item: (item[1].casefold(), item[0])
            )
        ]
