"""Set-up, unload and failure handling of a config entry."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.cloud_status.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .conftest import PAGE_ID


async def test_load_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The entry loads, creates its device, and unloads cleanly."""
    assert init_integration.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"statuspage:{PAGE_ID}"), init_integration.entry_id
    )
    assert device is not None
    assert device.name == "Example"
    assert device.manufacturer == "Atlassian Statuspage"
    assert device.configuration_url == "https://example.statuspage.io"
    assert device.entry_type is dr.DeviceEntryType.SERVICE

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
