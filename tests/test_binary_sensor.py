"""Binary sensor entities."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import load_json_fixture
from .helpers import next_poll, only_platform, setup_entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "mock_summary")
@pytest.mark.parametrize(
    "summary_payload",
    [
        load_json_fixture("statuspage_summary_operational.json"),
        load_json_fixture("statuspage_summary_incident.json"),
    ],
    ids=["operational", "incident"],
)
async def test_binary_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Every binary sensor, its state and attributes."""
    with only_platform(Platform.BINARY_SENSOR):
        await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


@pytest.mark.usefixtures("mock_summary", "entity_registry_enabled_by_default")
async def test_maintenance_is_not_a_problem(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A component under maintenance is not a problem; the overall status says so."""
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get("binary_sensor.example_problem").state == STATE_OFF

    summary_payload["components"][1]["status"] = "under_maintenance"
    summary_payload["scheduled_maintenances"][0]["status"] = "in_progress"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    assert hass.states.get("binary_sensor.example_website_problem").state == STATE_OFF
    assert hass.states.get("binary_sensor.example_problem").state == STATE_OFF
    assert hass.states.get("binary_sensor.example_maintenance_active").state == STATE_ON
    assert hass.states.get("sensor.example_overall_status").state == "under_maintenance"

    summary_payload["components"][1]["status"] = "major_outage"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert hass.states.get("binary_sensor.example_website_problem").state == STATE_ON
    assert hass.states.get("binary_sensor.example_problem").state == STATE_ON
    assert hass.states.get("sensor.example_overall_status").state == "major_outage"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_open_incident_is_a_problem(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """An open incident turns `problem` on even while every component is operational."""
    payload = load_json_fixture("statuspage_summary_incident.json")
    for component in payload["components"]:
        component["status"] = "operational"
    aioclient_mock.get("https://status.example.com/api/v2/summary.json", json=payload)
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get("binary_sensor.example_problem").state == STATE_ON
    assert hass.states.get("binary_sensor.example_incident_active").state == STATE_ON
    assert hass.states.get("binary_sensor.example_api_problem").state == STATE_OFF
