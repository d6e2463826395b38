"""Options: the poll interval and the components that get entities."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import voluptuous as vol

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .api import Component
from .const import CONF_COMPONENTS, MAX_SCAN_INTERVAL, MIN_SCAN_INTERVAL
from .providers import UnknownProviderError, provider_of
from .runtime import CloudStatusConfigEntry


class CloudStatusOptionsFlow(OptionsFlowWithReload):
    """Poll interval and the components that get entities; saving reloads the entry."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        try:
            default_interval = provider_of(self.config_entry.data).default_scan_interval
        except UnknownProviderError:
            default_interval = None
        if default_interval is None:
            # The UI offers no options for these entries; the REST API still could.
            return self.async_abort(reason="no_options")
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_COMPONENTS: list(user_input.get(CONF_COMPONENTS, [])),
                }
            )
        options = self.config_entry.options
        selected: list[str] = list(options.get(CONF_COMPONENTS, []))
        interval = options.get(CONF_SCAN_INTERVAL, default_interval)
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
                schema, {CONF_COMPONENTS: selected}
            ),
        )

    def _component_options(self, selected: list[str]) -> list[SelectOptionDict]:
        """List the page's components, plus selected ids the page no longer has."""
        labels = {
            component_id: component.display_name
            for component_id, component in self._known_components().items()
        }
        for component_id in selected:
            labels.setdefault(component_id, component_id)
        return [
            SelectOptionDict(value=component_id, label=label)
            for component_id, label in sorted(
                labels.items(), key=lambda item: (item[1].casefold(), item[0])
            )
        ]

    def _known_components(self) -> Mapping[str, Component]:
        """Return the components of a loaded entry's latest poll (else none)."""
        entry: CloudStatusConfigEntry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return {}
        return entry.runtime_data.known_components()
