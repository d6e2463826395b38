"""Which component entities leave the entity registry, and when.

A deselected component's entities go at once. A component missing from a successful
poll starts its absence clock (kept in the entry's memory, so it survives reloads and
restarts); its entities leave the registry after 24 hours of absence from every
successful poll, so a provider that drops components for a while costs the user none
of their entity settings.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .const import LOGGER
from .memory import EntryMemory

COMPONENT_ENTITY_KEYS = ("component_status", "component_problem")


class ComponentPruner:
    """Prune one entry's component entities after each successful poll."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, memory: EntryMemory
    ) -> None:
        """Read the registry only when the set of components changed."""
        self._hass = hass
        self._entry = entry
        self._memory = memory
        self._pruned_for: frozenset[str] | None = None

    def prune(
        self,
        present: Collection[str],
        selected: frozenset[str] | None,
        now: datetime,
    ) -> None:
        """Apply the rules to the components of a successful poll."""
        present_ids = frozenset(present)
        memory = self._memory
        registry = er.async_get(self._hass)
        if present_ids != self._pruned_for:
            self._pruned_for = present_ids
            in_registry: set[str] = set()
            for entity_id, component_id in self._component_entries(registry):
                if selected is not None and component_id not in selected:
                    LOGGER.debug("Removing %s: component deselected", entity_id)
                    registry.async_remove(entity_id)
                else:
                    in_registry.add(component_id)
            memory.forget_missing(
                (memory.missing_component_ids - in_registry)
                | (in_registry & present_ids)
            )
            memory.note_missing(in_registry - present_ids, now)
        if expired := set(memory.absent_too_long(now)):
            for entity_id, component_id in self._component_entries(registry):
                if component_id in expired:
                    LOGGER.debug("Removing %s: component gone for a day", entity_id)
                    registry.async_remove(entity_id)
            memory.forget_missing(expired)

    def _component_entries(self, registry: er.EntityRegistry) -> list[tuple[str, str]]:
        """(entity id, component id) of every per-component entity of the entry."""
        prefix = f"{self._entry.unique_id}_"
        suffixes = tuple(f"_{key}" for key in COMPONENT_ENTITY_KEYS)
        found: list[tuple[str, str]] = []
        for registry_entry in er.async_entries_for_config_entry(
            registry, self._entry.entry_id
        ):
            unique_id = registry_entry.unique_id
            if unique_id.startswith(prefix) and unique_id.endswith(suffixes):
                component_id = unique_id.removeprefix(prefix).rsplit("_component_", 1)
                found.append((registry_entry.entity_id, component_id[0]))
        return found
