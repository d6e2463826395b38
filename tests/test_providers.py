"""The provider registry: every provider found by its id, an unknown one refused clearly."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.config_flow import CloudStatusConfigFlow
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import (
    PROVIDERS,
    UnknownProviderError,
    flow_steps,
    get_provider,
)
from custom_components.cloud_status.providers.base import ProviderModule
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import PAGE_URL

FUTURE_DATA = {CONF_PROVIDER: "carrier_pigeon", CONF_URL: PAGE_URL}


@pytest.fixture
def future_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Add an entry a newer version made, for a provider this version does not know."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="From the future",
        data=FUTURE_DATA,
        unique_id="carrier_pigeon:coop",
    )
    entry.add_to_hass(hass)
    return entry


def test_every_provider_is_found_by_its_id() -> None:
    """Each provider is found by its id; a provider's first step (its menu option) is its id."""
    for provider_id, module in PROVIDERS.items():
        assert get_provider(provider_id) is module
        assert module.manufacturer
        if module.steps:
            assert next(iter(module.steps)) == provider_id
        else:
            assert module.detect is not None, "a provider needs a form or detection"


@pytest.mark.parametrize("provider_id", [None, "", "carrier_pigeon", 3])
def test_an_unknown_provider_is_an_error_not_a_fallback(provider_id: object) -> None:
    """No other provider's code runs for an id the registry does not hold."""
    with pytest.raises(UnknownProviderError):
        get_provider(provider_id)


def test_two_providers_may_not_declare_one_step() -> None:
    """A step id taken twice is found when the flow is built, not when a user hits it."""
    statuspage = PROVIDERS["statuspage"]
    clash = ProviderModule(
        id="copycat",
        manufacturer="Copycat",
        steps={"statuspage": next(iter(statuspage.steps.values()))},
        create_runtime=statuspage.create_runtime,
        reconfigure=statuspage.reconfigure,
    )
    with (
        patch.dict(PROVIDERS, {"copycat": clash}),
        pytest.raises(ValueError, match="statuspage"),
    ):
        flow_steps()


async def test_unknown_provider_entry_stops_with_a_translated_error(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    future_entry: MockConfigEntry,
) -> None:
    """The entry is not set up, sends nothing, and says which provider it names."""
    assert not await hass.config_entries.async_setup(future_entry.entry_id)
    assert future_entry.state is ConfigEntryState.SETUP_ERROR
    assert future_entry.error_reason_translation_key == "unknown_provider"
    assert future_entry.error_reason_translation_placeholders == {
        "provider": "carrier_pigeon"
    }
    assert aioclient_mock.call_count == 0


async def test_unknown_provider_entry_offers_no_flows(
    hass: HomeAssistant, future_entry: MockConfigEntry
) -> None:
    """Options, reauth and reconfigure refuse it instead of guessing a provider."""
    assert not CloudStatusConfigFlow.async_supports_options_flow(future_entry)

    result = await future_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unknown_provider"

    result = await future_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unknown_provider"

    result = await hass.config_entries.options.async_init(future_entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_options"


async def test_unknown_provider_entry_can_be_deleted(
    hass: HomeAssistant, future_entry: MockConfigEntry
) -> None:
    """Deleting it removes it, although no provider cleans up after it."""
    assert (await hass.config_entries.async_remove(future_entry.entry_id))[
        "require_restart"
    ] is False
    assert hass.config_entries.async_get_entry(future_entry.entry_id) is None


async def test_reauth_of_a_provider_without_a_secret_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A public page has nothing to re-enter: reauth ends at once."""
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_secret"
