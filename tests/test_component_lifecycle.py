"""Components that appear, vanish, come back, are renamed or deselected.

A component that disappears keeps its entities (unavailable) and every registry setting
the user made for 24 hours of successful polls; the clock survives reloads and restarts.
"""

from __future__ import annotations

import copy
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.const import CONF_COMPONENTS
from custom_components.cloud_status.memory import STORAGE_VERSION, storage_key
from homeassistant.const import CONF_SCAN_INTERVAL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .conftest import ENTRY_ID, SUMMARY_URL
from .helpers import next_poll, setup_entry

WEBSITE_ID = "cmpweb000001"
WEBSITE_STATUS_UID = f"statuspage:examplepage01_{WEBSITE_ID}_component_status"
WEBSITE_PROBLEM_UID = f"statuspage:examplepage01_{WEBSITE_ID}_component_problem"
WEBSITE = "sensor.example_website"
WEBSITE_PROBLEM = "binary_sensor.example_website_problem"
HOUR = timedelta(hours=1)


def _without_website(payload: dict[str, Any]) -> dict[str, Any]:
    trimmed = copy.deepcopy(payload)
    trimmed["components"] = [c for c in trimmed["components"] if c["id"] != WEBSITE_ID]
    return trimmed


def _website_entries(entity_registry: er.EntityRegistry) -> dict[str, er.RegistryEntry]:
    found: dict[str, er.RegistryEntry] = {}
    for platform, unique_id in (
        ("sensor", WEBSITE_STATUS_UID),
        ("binary_sensor", WEBSITE_PROBLEM_UID),
    ):
        entity_id = entity_registry.async_get_entity_id(
            platform, "cloud_status", unique_id
        )
        if entity_id is not None:
            registry_entry = entity_registry.async_get(entity_id)
            assert registry_entry is not None
            found[unique_id] = registry_entry
    return found


def _customize_website(entity_registry: er.EntityRegistry) -> None:
    """Change what a user can change in the entity settings dialog."""
    entity_registry.async_update_entity(
        WEBSITE, name="Our shop", icon="mdi:shopping", area_id="office"
    )
    entity_registry.async_update_entity(
        WEBSITE_PROBLEM, disabled_by=None, name="Shop trouble"
    )


@pytest.mark.usefixtures("mock_summary")
async def test_component_problem_sensors_are_disabled_by_default(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """component_status already shows the state: the problem twins start disabled."""
    await setup_entry(hass, mock_config_entry)
    problem = entity_registry.async_get(WEBSITE_PROBLEM)
    assert problem is not None
    assert problem.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(WEBSITE_PROBLEM) is None
    assert hass.states.get(WEBSITE) is not None
    page_problem = entity_registry.async_get("binary_sensor.example_problem")
    assert page_problem is not None
    assert page_problem.disabled_by is None


@pytest.mark.usefixtures("mock_summary")
async def test_new_component_is_added_without_a_reload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """A component that appears gets its entities at the next poll."""
    await setup_entry(hass, mock_config_entry)
    new_component = copy.deepcopy(summary_payload["components"][0])
    new_component.update(id="cmpcdn000001", name="CDN", status="major_outage")
    summary_payload["components"].append(new_component)
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert hass.states.get("sensor.example_cdn").state == "major_outage"


@pytest.mark.usefixtures("mock_summary", "entity_registry_enabled_by_default")
async def test_vanished_component_leaves_the_registry_after_a_day(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    summary_payload: dict[str, Any],
) -> None:
    """Unavailable at once, removed after 24 h of successful polls without it.

    Failed polls neither remove nor reset anything, and a reload keeps the clock.
    """
    await setup_entry(hass, mock_config_entry)
    without = _without_website(summary_payload)

    await next_poll(hass, freezer, aioclient_mock, json=without)
    assert hass.states.get(WEBSITE).state == STATE_UNAVAILABLE
    assert hass.states.get(WEBSITE_PROBLEM).state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.example_api").state == "operational"
    assert len(_website_entries(entity_registry)) == 2

    freezer.tick(12 * HOUR)
    await next_poll(hass, freezer, aioclient_mock, status=503)
    await next_poll(hass, freezer, aioclient_mock, json=without)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert len(_website_entries(entity_registry)) == 2
    assert hass.states.get(WEBSITE).state == STATE_UNAVAILABLE

    freezer.tick(11 * HOUR)
    await next_poll(hass, freezer, aioclient_mock, json=without)
    assert len(_website_entries(entity_registry)) == 2

    # Failed polls past the 24 hours remove nothing; the next success does.
    freezer.tick(HOUR)
    await next_poll(hass, freezer, aioclient_mock, status=500)
    assert len(_website_entries(entity_registry)) == 2
    await next_poll(hass, freezer, aioclient_mock, json=without)
    assert _website_entries(entity_registry) == {}
    assert hass.states.get(WEBSITE) is None
    assert (
        mock_config_entry.runtime_data.coordinator.absent_component_ids == frozenset()
    )

    # Back after its removal: fresh entities, without a reload.
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert hass.states.get(WEBSITE).state == "operational"
    assert len(_website_entries(entity_registry)) == 2


@pytest.mark.usefixtures("mock_summary")
async def test_component_back_within_a_day_keeps_every_setting(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    summary_payload: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Names, icon, area and the enabled flag the user chose all survive the gap."""
    await setup_entry(hass, mock_config_entry)
    _customize_website(entity_registry)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    before = _website_entries(entity_registry)

    await next_poll(
        hass, freezer, aioclient_mock, json=_without_website(summary_payload)
    )
    freezer.tick(23 * HOUR)
    await next_poll(
        hass, freezer, aioclient_mock, json=_without_website(summary_payload)
    )
    assert hass.states.get(WEBSITE).state == STATE_UNAVAILABLE

    summary_payload["components"][1]["status"] = "major_outage"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    state = hass.states.get(WEBSITE)
    assert state.state == "major_outage"
    assert state.attributes["friendly_name"] == "Our shop"
    assert hass.states.get(WEBSITE_PROBLEM).state == "on"
    after = _website_entries(entity_registry)
    for unique_id, registry_entry in before.items():
        kept = after[unique_id]
        assert kept.id == registry_entry.id
        assert (kept.name, kept.icon, kept.area_id, kept.disabled_by) == (
            registry_entry.name,
            registry_entry.icon,
            registry_entry.area_id,
            registry_entry.disabled_by,
        )
    assert (
        mock_config_entry.runtime_data.coordinator.absent_component_ids == frozenset()
    )
    # The same entity objects come back: no second entity with the same unique id.
    assert "already exists" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # Its clock restarts from zero when it vanishes again.
    await next_poll(
        hass, freezer, aioclient_mock, json=_without_website(summary_payload)
    )
    freezer.tick(23 * HOUR)
    await next_poll(
        hass, freezer, aioclient_mock, json=_without_website(summary_payload)
    )
    assert len(_website_entries(entity_registry)) == 2


async def test_absence_clock_survives_a_restart(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    hass_storage: dict[str, Any],
    summary_payload: dict[str, Any],
) -> None:
    """A component missing for 23 h before a restart goes one hour after it."""
    key = storage_key(ENTRY_ID)
    missing_since = dt_util.utcnow() - 23 * HOUR
    hass_storage[key] = {
        "version": STORAGE_VERSION,
        "key": key,
        "data": {
            "completed_maintenances": [],
            "missing_since": {WEBSITE_ID: missing_since.isoformat()},
        },
    }
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "sensor",
        "cloud_status",
        WEBSITE_STATUS_UID,
        config_entry=mock_config_entry,
        suggested_object_id="example_website",
    )
    aioclient_mock.get(SUMMARY_URL, json=_without_website(summary_payload))
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert set(_website_entries(entity_registry)) == {WEBSITE_STATUS_UID}

    freezer.tick(HOUR)
    await next_poll(
        hass, freezer, aioclient_mock, json=_without_website(summary_payload)
    )
    assert _website_entries(entity_registry) == {}

    # What is stored follows: the clock is gone once the entities are.
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert hass_storage[key]["data"]["missing_since"] == {}


@pytest.mark.usefixtures("mock_summary")
async def test_an_unchanged_page_still_ages_the_clock(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    summary_payload: dict[str, Any],
) -> None:
    """A 304 is a successful poll too: the day runs out while the page is unchanged."""
    await setup_entry(hass, mock_config_entry)
    await next_poll(
        hass,
        freezer,
        aioclient_mock,
        json=_without_website(summary_payload),
        headers={"ETag": '"v2"'},
    )
    freezer.tick(24 * HOUR)
    await next_poll(hass, freezer, aioclient_mock, status=304)
    assert mock_config_entry.runtime_data.coordinator.last_poll.outcome == "unchanged"
    assert _website_entries(entity_registry) == {}


@pytest.mark.usefixtures("mock_summary")
async def test_deselected_component_goes_at_once(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Deselecting in the options removes the component's entities with the reload."""
    await setup_entry(hass, mock_config_entry)
    assert len(_website_entries(entity_registry)) == 2
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={CONF_SCAN_INTERVAL: 60, CONF_COMPONENTS: ["cmpapi000001"]},
    )
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert _website_entries(entity_registry) == {}
    assert (
        mock_config_entry.runtime_data.coordinator.absent_component_ids == frozenset()
    )


@pytest.mark.usefixtures("mock_summary", "entity_registry_enabled_by_default")
async def test_renamed_component_and_group_rename_their_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    summary_payload: dict[str, Any],
) -> None:
    """Names follow a rename at the next poll, without a reload; ids stay."""
    await setup_entry(hass, mock_config_entry)
    member = "sensor.example_regions_eu_west"
    member_problem = "binary_sensor.example_regions_eu_west_problem"
    assert hass.states.get(member).attributes["friendly_name"] == (
        "Example Regions \u2013 EU West"
    )

    summary_payload["components"][1]["name"] = "Web shop"
    summary_payload["components"][2]["name"] = "Locations"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    assert hass.states.get(WEBSITE).attributes["friendly_name"] == "Example Web shop"
    assert hass.states.get(WEBSITE_PROBLEM).attributes["friendly_name"] == (
        "Example Web shop problem"
    )
    # A member whose own JSON did not change follows its group's new name.
    assert hass.states.get(member).attributes["friendly_name"] == (
        "Example Locations \u2013 EU West"
    )
    assert hass.states.get(member_problem).attributes["friendly_name"] == (
        "Example Locations \u2013 EU West problem"
    )
    assert hass.states.get(member).attributes["group"] == "Locations"
    registry_entry = entity_registry.async_get(WEBSITE)
    assert registry_entry is not None
    assert registry_entry.original_name == "Web shop"
    assert registry_entry.entity_id == WEBSITE
