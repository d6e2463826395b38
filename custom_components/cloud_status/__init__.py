"""The Cloud Status integration: cloud provider health as Home Assistant entities."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant

from .coordinator import CloudStatusConfigEntry, create_coordinator, forget_entry

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
]


async def async_setup_entry(hass: HomeAssistant, entry: CloudStatusConfigEntry) -> bool:
    """Poll the provider once, then set up the platforms."""
    coordinator = create_coordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> bool:
    """Unload the platforms; the coordinator shuts down with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> None:
    """Drop the deleted entry's repair issues and health record."""
    forget_entry(hass, entry.entry_id)
