"""The picker a hyperscaler's feed asks after its address: products or regions.

An unfiltered hyperscaler entry is red for months over a product or region the user
never uses, so the flow asks which ones count (none picked: all). The picks are stored
in the entry's data under the picker's key and name the entry: `{provider}:{the picks,
sorted, comma-separated, or "all"}`. Reconfigure changes them; the unique id follows,
and the entry's device and entities move with it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..const import CONF_PROVIDER
from ..entity import async_move_unique_ids
from ..validation import Errors, ValidatedSource

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

# The choices to offer: what detection learned (or reconfigure reads) and what is picked.
type PickerOptions = Callable[[Any, list[str]], list[SelectOptionDict]]
# Reconfigure reads the choices again: (choices, form errors).
type ChoiceReader = Callable[
    [HomeAssistant, ConfigEntry], Awaitable[tuple[Any, Errors]]
]


@dataclass(frozen=True, slots=True)
class Picker:
    """One provider's picker: its step, the entry data key and how to list choices."""

    provider: str
    step_id: str
    key: str
    options: PickerOptions
    read_choices: ChoiceReader

    def unique_id(self, picked: Iterable[str]) -> str:
        """Name the entry after its picks (none: "all")."""
        return f"{self.provider}:{','.join(sorted(picked)) or 'all'}"

    def schema(self, choices: Any, selected: list[str]) -> vol.Schema:
        """Build a multi-select of the choices; optional, as clearing it means all."""
        return vol.Schema(
            {
                vol.Optional(self.key): SelectSelector(
                    SelectSelectorConfig(
                        options=self.options(choices, selected),
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                )
            }
        )

    def picked(self, user_input: Mapping[str, Any]) -> list[str]:
        """Return the picks of a submitted form, sorted and without repeats."""
        return sorted({str(value) for value in user_input.get(self.key, [])})

    def detected(
        self, title: str, url: str, choices: Any, data_key: str
    ) -> ValidatedSource:
        """Return the source detection found; it goes on to this picker."""
        return ValidatedSource(
            unique_id=self.unique_id(()),
            title=title,
            data={CONF_PROVIDER: self.provider, data_key: url},
            next_step=self.step_id,
            learned={self.key: choices},
        )

    async def async_step(
        self, flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Ask for the picks, then create the entry they name."""
        source: ValidatedSource = flow.pending["source"]
        if user_input is not None:
            picked = self.picked(user_input)
            return await flow.async_create_source(
                ValidatedSource(
                    unique_id=self.unique_id(picked),
                    title=source.title,
                    data={**source.data, self.key: picked},
                )
            )
        return flow.async_show_form(
            step_id=self.step_id,
            data_schema=flow.add_suggested_values_to_schema(
                self.schema(source.learned[self.key], []), {self.key: []}
            ),
        )

    async def async_reconfigure(
        self,
        flow: CloudStatusConfigFlow,
        entry: ConfigEntry,
        user_input: dict[str, Any] | None,
    ) -> ConfigFlowResult:
        """Change the picks; another entry with the same picks: already_configured."""
        selected: list[str] = list(entry.data.get(self.key) or [])
        if user_input is not None:
            picked = self.picked(user_input)
            new_id = self.unique_id(picked)
            if new_id != entry.unique_id:
                if new_id in flow.configured_unique_ids():
                    return flow.async_abort(reason="already_configured")
                await async_move_unique_ids(flow.hass, entry, new_id)
            return flow.async_update_reload_and_abort(
                entry, unique_id=new_id, data_updates={self.key: picked}
            )
        choices, errors = await self.read_choices(flow.hass, entry)
        return flow.show_reconfigure(
            entry, self.schema(choices, selected), {self.key: selected}, errors
        )
