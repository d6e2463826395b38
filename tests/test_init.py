"""Set-up, unload and failure handling of a config entry."""

from __future__ import annotations

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_URL
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


@pytest.mark.parametrize(
    ("provider", "url"),
    [("statuspage", "https://a..b"), ("cloudsigma", "https://xn--a")],
)
async def test_stored_address_refused_today_stops_the_entry_cleanly(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    provider: str,
    url: str,
) -> None:
    """An address an older version stored but today's checks refuse: a translated error."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Old",
        data={CONF_PROVIDER: provider, CONF_URL: url},
        unique_id=f"{provider}:old",
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "invalid_stored_url"
    assert aioclient_mock.call_count == 0
    assert "Use Reconfigure" in caplog.text
