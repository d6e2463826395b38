"""What a status entry remembers survives reloads and restarts (Home Assistant's Store)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.memory import STORAGE_VERSION, storage_key
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .conftest import ENTRY_ID, SUMMARY_URL, load_json_fixture
from .helpers import next_poll, setup_entry

CALENDAR = "calendar.example_maintenance_calendar"
KEY = storage_key(ENTRY_ID)
COMPLETED_RECORD: dict[str, Any] = {
    "id": "mnt000000002",
    "name": "Network switch replacement",
    "status": "completed",
    "impact": "maintenance",
    "url": "https://stspg.io/mnt2",
    "latest_update": "Replacing the switch.",
    "latest_update_id": "upd2",
    "starts_at": "2026-11-20T09:00:00+00:00",
    "ends_at": "2026-11-20T11:00:00+00:00",
    "updated_at": "2026-11-20T09:00:00+00:00",
    "components": ["API"],
    "seen_at": "2026-11-20T10:01:01+00:00",
}


async def _summaries(hass: HomeAssistant) -> list[str]:
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": CALENDAR,
            "start_date_time": "2026-11-01T00:00:00+00:00",
            "end_date_time": "2026-12-31T00:00:00+00:00",
        },
        blocking=True,
        return_response=True,
    )
    return [event["summary"] for event in response[CALENDAR]["events"]]  # type: ignore[index,union-attr]


async def _complete_the_running_window(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("statuspage_summary_incident.json")
    aioclient_mock.get(SUMMARY_URL, json=payload)
    await setup_entry(hass, entry)
    payload["scheduled_maintenances"] = payload["scheduled_maintenances"][:1]
    await next_poll(hass, freezer, aioclient_mock, json=payload)
    assert hass.states.get(CALENDAR).state == STATE_OFF
    assert await _summaries(hass) == ["Network switch replacement", "Database upgrade"]
    return payload


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.parametrize(
    "options",
    [{"scan_interval": 60, "components": []}, {"scan_interval": 90, "components": []}],
    ids=["reload", "options_saved"],
)
async def test_completed_maintenances_survive_a_reload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    options: dict[str, Any],
) -> None:
    """A reload (also the one saving the options makes) keeps the calendar's memory."""
    await _complete_the_running_window(hass, mock_config_entry, aioclient_mock, freezer)

    hass.config_entries.async_update_entry(mock_config_entry, options=options)
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert await _summaries(hass) == ["Network switch replacement", "Database upgrade"]
    stored = hass_storage[KEY]["data"]["completed_maintenances"]
    assert [record["id"] for record in stored] == ["mnt000000002"]


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
async def test_memory_is_written_when_home_assistant_stops(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A pending write reaches the disk on Home Assistant's final write."""
    await _complete_the_running_window(hass, mock_config_entry, aioclient_mock, freezer)
    assert KEY not in hass_storage  # coalesced, not yet written

    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()

    record = hass_storage[KEY]["data"]["completed_maintenances"][0]
    assert record["id"] == "mnt000000002"
    assert record["name"] == "Network switch replacement"
    assert record["status"] == "completed"
    assert datetime.fromisoformat(record["seen_at"]) > datetime.fromisoformat(
        "2026-11-20T10:00:00+00:00"
    )


@pytest.mark.freeze_time("2026-11-21T10:00:00+00:00")
async def test_completed_maintenances_survive_a_restart(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """After a restart the calendar lists what the last run saw completing, for 7 days."""
    hass_storage[KEY] = {
        "version": STORAGE_VERSION,
        "key": KEY,
        "data": {"completed_maintenances": [COMPLETED_RECORD], "missing_since": {}},
    }
    payload: dict[str, Any] = load_json_fixture("statuspage_summary_incident.json")
    payload["scheduled_maintenances"] = payload["scheduled_maintenances"][:1]
    aioclient_mock.get(SUMMARY_URL, json=payload)
    await setup_entry(hass, mock_config_entry)

    assert await _summaries(hass) == ["Network switch replacement", "Database upgrade"]

    freezer.tick(timedelta(days=7))
    await next_poll(hass, freezer, aioclient_mock, json=payload)
    assert await _summaries(hass) == ["Database upgrade"]


@pytest.mark.freeze_time("2026-11-21T10:00:00+00:00")
@pytest.mark.parametrize(
    "data",
    [
        "not a dict",
        {"completed_maintenances": "nope", "missing_since": []},
        {
            "completed_maintenances": [
                None,
                {"id": 5},
                {**COMPLETED_RECORD, "seen_at": "yesterday"},
                {**COMPLETED_RECORD, "components": "API"},
                {**COMPLETED_RECORD, "name": 7},
            ],
            "missing_since": {"cmpapi000001": "soon", "cmpweb000001": None},
        },
    ],
    ids=["not_a_dict", "wrong_types", "bad_records"],
)
async def test_unreadable_memory_is_ignored(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
    data: Any,
) -> None:
    """A damaged memory never stops the entry: it starts with nothing remembered."""
    hass_storage[KEY] = {"version": STORAGE_VERSION, "key": KEY, "data": data}
    payload: dict[str, Any] = load_json_fixture("statuspage_summary_incident.json")
    payload["scheduled_maintenances"] = payload["scheduled_maintenances"][:1]
    aioclient_mock.get(SUMMARY_URL, json=payload)
    await setup_entry(hass, mock_config_entry)

    assert mock_config_entry.runtime_data.coordinator.last_update_success
    assert await _summaries(hass) == ["Database upgrade"]
    assert (
        mock_config_entry.runtime_data.coordinator.absent_component_ids == frozenset()
    )


async def test_removing_the_entry_deletes_its_memory(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    hass_storage: dict[str, Any],
) -> None:
    """Nothing of a deleted entry stays on disk."""
    hass_storage[KEY] = {
        "version": STORAGE_VERSION,
        "key": KEY,
        "data": {"completed_maintenances": [COMPLETED_RECORD], "missing_since": {}},
    }
    aioclient_mock.get(
        SUMMARY_URL, json=load_json_fixture("statuspage_summary_operational.json")
    )
    await setup_entry(hass, mock_config_entry)

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert KEY not in hass_storage


async def test_store_that_cannot_be_read_starts_afresh(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A memory file Home Assistant cannot decode is logged, and the entry loads."""
    aioclient_mock.get(
        SUMMARY_URL, json=load_json_fixture("statuspage_summary_operational.json")
    )
    with patch(
        "homeassistant.helpers.storage.Store.async_load",
        side_effect=HomeAssistantError("Error while loading JSON"),
    ):
        await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.runtime_data.coordinator.last_update_success
    assert f"Could not read {KEY}" in caplog.text
