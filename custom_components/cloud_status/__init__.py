"""The Cloud Status integration: cloud provider health as Home Assistant entities."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import CONF_PROVIDER, DOMAIN, Provider
from .coordinator import CloudStatusConfigEntry, create_coordinator, forget_entry
from .job_tracker import PhotoshopJobCoordinator, async_remove_stored_jobs
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
    """Unload the platforms; the coordinator shuts down with the entry."""
    if isinstance(coordinator := entry.runtime_data, PhotoshopJobCoordinator):
        # Before the event entity goes: no job may end unseen meanwhile.
        await coordinator.async_stop()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> None:
    """Drop what a deleted entry leaves: repair issues, health record, tracked jobs."""
    forget_entry(hass, entry.entry_id)
    if entry.data.get(CONF_PROVIDER) == Provider.PHOTOSHOP:
        await async_remove_stored_jobs(hass, entry.entry_id)
