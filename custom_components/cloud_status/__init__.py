"""The Cloud Status integration: cloud provider health as Home Assistant entities."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import CONF_PROVIDER, DOMAIN, Provider
from .coordinator import CloudStatusConfigEntry, create_coordinator, forget_entry
from .job_tracker import PhotoshopJobCoordinator, async_remove_stored_jobs
from .memory import async_remove_memory
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, once for every entry."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: CloudStatusConfigEntry) -> bool:
    """Poll the provider once (or check the credentials), then set up the platforms."""
    coordinator = create_coordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if isinstance(coordinator, PhotoshopJobCoordinator):
        coordinator.async_start()
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> bool:
    """Unload the platforms; the coordinator shuts down with the entry.

    A Photoshop entry pauses its polling while the platforms unload, so that no job
    ends while its event entity goes; it stops only once they are gone, and polls on
    if they could not be unloaded.
    """
    coordinator = entry.runtime_data
    if not isinstance(coordinator, PhotoshopJobCoordinator):
        return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    await coordinator.async_pause()
    if not await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        coordinator.async_resume()
        return False
    await coordinator.async_stop()
    return True


async def async_remove_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> None:
    """Drop what a deleted entry leaves: repair issues, health, stored jobs or memory."""
    forget_entry(hass, entry.entry_id)
    if entry.data.get(CONF_PROVIDER) == Provider.PHOTOSHOP:
        await async_remove_stored_jobs(hass, entry.entry_id)
    else:
        await async_remove_memory(hass, entry.entry_id)
