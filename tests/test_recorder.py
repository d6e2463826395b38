"""What the recorder keeps: long or static attributes stay out of the history."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import SUMMARY_URL, load_json_fixture
from .helpers import setup_entry

# Entity id -> the attributes it shows but the recorder must not keep.
UNRECORDED = {
    "sensor.example_active_incidents": {"incidents"},
    "sensor.example_next_maintenance": {"upcoming"},
    "binary_sensor.example_maintenance_active": {"maintenances"},
    "sensor.example_api": {"group", "description", "component_id"},
    "sensor.example_regions_us_east": {"group", "description", "component_id"},
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """Start the recorder before Home Assistant's test instance (the conftest's twin)."""


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unrecorded_attributes(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The attributes are on the states but not in what the recorder stored."""
    start = dt_util.utcnow() - timedelta(minutes=1)
    aioclient_mock.get(
        SUMMARY_URL, json=load_json_fixture("statuspage_summary_incident.json")
    )
    await setup_entry(hass, mock_config_entry)
    for entity_id, attributes in UNRECORDED.items():
        state = hass.states.get(entity_id)
        assert state is not None
        assert attributes <= state.attributes.keys(), entity_id
    freezer.tick(timedelta(seconds=5))
    await async_wait_recording_done(hass)

    recorded = await hass.async_add_executor_job(
        get_significant_states, hass, start, None, list(UNRECORDED)
    )
    assert set(recorded) == set(UNRECORDED)
    for entity_id, attributes in UNRECORDED.items():
        for state in recorded[entity_id]:
            assert not attributes & state.attributes.keys(), entity_id
            assert "friendly_name" in state.attributes
