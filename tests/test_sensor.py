"""Sensor entities."""

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

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import SUMMARY_URL, load_json_fixture
from .helpers import next_poll, only_platform, setup_entry


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "mock_summary")
@pytest.mark.parametrize(
    "summary_payload",
    [
        load_json_fixture("statuspage_summary_operational.json"),
        load_json_fixture("statuspage_summary_incident.json"),
    ],
    ids=["operational", "incident"],
)
async def test_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Every sensor, its state and attributes."""
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


@pytest.mark.usefixtures("mock_summary")
async def test_group_member_names(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Members of a group are named "Group \u2013 Component"; the group by its own name."""
    await setup_entry(hass, mock_config_entry)
    member = hass.states.get("sensor.example_regions_eu_west")
    assert member is not None
    assert member.attributes["friendly_name"] == "Example Regions \u2013 EU West"
    assert member.attributes["group"] == "Regions"
    group = hass.states.get("sensor.example_regions")
    assert group is not None
    assert group.attributes["group"] is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unknown_component_status(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown status shows as unknown, is logged once, and breaks nothing."""
    summary_payload["components"][1]["status"] = "sort_of_fine"
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)

    assert hass.states.get("sensor.example_website").state == STATE_UNKNOWN
    assert (
        hass.states.get("binary_sensor.example_website_problem").state == STATE_UNKNOWN
    )
    assert hass.states.get("sensor.example_overall_status").state == "operational"
    assert caplog.text.count("'sort_of_fine'") == 1

    summary_payload["components"][0]["status"] = "degraded_performance"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert hass.states.get("sensor.example_api").state == "degraded_performance"
    assert caplog.text.count("'sort_of_fine'") == 1


@pytest.mark.usefixtures("mock_summary")
async def test_incidents_newest_first_across_utc_offsets(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """Incidents are ordered by time, not by text, when the page's UTC offset changed."""
    await setup_entry(hass, mock_config_entry)
    incident = load_json_fixture("statuspage_summary_incident.json")["incidents"][0]
    # 01:20-05:00 (06:20Z) is later than 01:50-04:00 (05:50Z), though it sorts first as text.
    later = dict(
        incident, id="inclater0001", started_at="2026-11-01T01:20:00.000-05:00"
    )
    earlier = dict(
        incident, id="incearly0001", started_at="2026-11-01T01:50:00.000-04:00"
    )
    summary_payload["incidents"] = [earlier, later]
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    incidents = hass.states.get("sensor.example_active_incidents").attributes[
        "incidents"
    ]
    assert [item["id"] for item in incidents] == ["inclater0001", "incearly0001"]


@pytest.mark.usefixtures("mock_summary", "entity_registry_enabled_by_default")
async def test_component_entities_without_their_component(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """While a vanished component's entities wait for removal, nothing is invented."""
    await setup_entry(hass, mock_config_entry)
    summary_payload["components"] = [
        component
        for component in summary_payload["components"]
        if component["name"] != "Website"
    ]
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    for entity_id in (
        "sensor.example_website",
        "binary_sensor.example_website_problem",
    ):
        state = hass.states.get(entity_id)
        assert state.state == STATE_UNAVAILABLE
        assert "component_id" not in state.attributes
        domain = entity_id.split(".")[0]
        entity = hass.data["entity_components"][domain].get_entity(entity_id)
        assert entity.available is False
        assert entity.extra_state_attributes is None
        assert entity.state is None if domain == "binary_sensor" else True
    sensor = hass.data["entity_components"]["sensor"].get_entity(
        "sensor.example_website"
    )
    assert sensor.native_value is None
    problem = hass.data["entity_components"]["binary_sensor"].get_entity(
        "binary_sensor.example_website_problem"
    )
    assert problem.is_on is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, STATE_UNKNOWN),
        ({"indicator": "sideways", "description": "?"}, STATE_UNKNOWN),
        ({"description": "No indicator"}, STATE_UNKNOWN),
        (
            {"indicator": "none", "description": "All Systems Operational"},
            "operational",
        ),
    ],
    ids=["no_status", "unknown_indicator", "no_indicator", "page_says_operational"],
)
async def test_overall_status_is_unknown_when_nothing_is_known(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    status: dict[str, str] | None,
    expected: str,
) -> None:
    """Every component unknown and no overall status from the page: unknown, not fine."""
    for component in summary_payload["components"]:
        component["status"] = "sort_of_fine"
    summary_payload["scheduled_maintenances"] = []
    if status is None:
        del summary_payload["status"]
    else:
        summary_payload["status"] = status
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get("sensor.example_overall_status").state == expected
    assert hass.states.get("sensor.example_api").state == STATE_UNKNOWN
