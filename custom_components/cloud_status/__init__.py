"""The Cloud Status integration: cloud provider health as Home Assistant entities."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .health import forget_entry
from .memory import async_remove_memory
from .photoshop.actions import async_setup_services
from .providers import UnknownProviderError, create_runtime, provider_of
from .runtime import CloudStatusConfigEntry

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
    runtime = create_runtime(hass, entry)
    await runtime.async_first_refresh()
    entry.runtime_data = runtime
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    runtime.async_start()
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> bool:
    """Unload the platforms; the coordinator shuts down with the entry."""
    return await entry.runtime_data.async_unload(
        lambda: hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    )


async def async_remove_entry(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> None:
    """Drop what a deleted entry leaves: repair issues, health, memory, stored jobs."""
    forget_entry(hass, entry.entry_id)
    await async_remove_memory(hass, entry.entry_id)
    try:
        provider = provider_of(entry.data)
    except UnknownProviderError:
        return
    await provider.async_remove_entry_data(hass, entry.entry_id)
