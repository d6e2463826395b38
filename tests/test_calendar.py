"""The maintenance calendar."""

from __future__ import annotations

from datetime import UTC, datetime
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

from .conftest import SUMMARY_URL, load_json_fixture
from .helpers import next_poll, only_platform, setup_entry

CALENDAR = "calendar.example_maintenance_calendar"


async def _events(hass: HomeAssistant, start: str, end: str) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    events: list[dict[str, Any]] = response[CALENDAR]["events"]  # type: ignore[index,assignment]
    return events


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "mock_summary")
@pytest.mark.parametrize(
    "summary_payload",
    [
        load_json_fixture("statuspage_summary_operational.json"),
        load_json_fixture("statuspage_summary_incident.json"),
    ],
    ids=["scheduled", "in_progress"],
)
async def test_calendar(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The calendar shows the running maintenance, else the next one."""
    with only_platform(Platform.CALENDAR):
        await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
async def test_calendar_lists_scheduled_running_and_completed(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Scheduled and running windows are listed, and completed ones stay for a week."""
    payload = load_json_fixture("statuspage_summary_incident.json")
    aioclient_mock.get("https://status.example.com/api/v2/summary.json", json=payload)
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get(CALENDAR).state == STATE_ON
    assert hass.states.get(CALENDAR).attributes["message"] == (
        "Network switch replacement"
    )

    events = await _events(
        hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
    )
    assert [event["summary"] for event in events] == [
        "Network switch replacement",
        "Database upgrade",
    ]
    assert events[1]["description"] == "We will upgrade the primary database."
    assert datetime.fromisoformat(events[1]["start"]) == datetime(
        2026, 12, 1, 2, tzinfo=UTC
    )

    # The running window ends and disappears from the summary.
    payload["scheduled_maintenances"] = payload["scheduled_maintenances"][:1]
    await next_poll(hass, freezer, aioclient_mock, json=payload)
    assert hass.states.get(CALENDAR).state == STATE_OFF
    events = await _events(
        hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
    )
    assert [event["summary"] for event in events] == [
        "Network switch replacement",
        "Database upgrade",
    ]

    # A narrow window only returns what overlaps it.
    events = await _events(
        hass, "2026-11-30T00:00:00+00:00", "2026-12-02T00:00:00+00:00"
    )
    assert [event["summary"] for event in events] == ["Database upgrade"]

    # Eight days later the completed window is gone, even though the page is unchanged.
    freezer.move_to(datetime.fromisoformat("2026-11-28T10:00:00+00:00"))
    await next_poll(hass, freezer, aioclient_mock, json=payload)
    assert mock_config_entry.runtime_data.coordinator.last_poll.outcome == "unchanged"
    events = await _events(
        hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
    )
    assert [event["summary"] for event in events] == ["Database upgrade"]


async def test_maintenance_without_times(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
) -> None:
    """A window without an end lasts an hour; one without any time is left out."""
    first = summary_payload["scheduled_maintenances"][0]
    first["scheduled_until"] = None
    undated = dict(first, id="mnt000000009", scheduled_for=None, updated_at=None)
    summary_payload["scheduled_maintenances"].append(undated)
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)
    events = await _events(
        hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
    )
    assert len(events) == 1
    assert datetime.fromisoformat(events[0]["end"]) == datetime(
        2026, 12, 1, 3, tzinfo=UTC
    )


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("mock_summary")
async def test_cancelled_maintenance_leaves_the_calendar(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """A window dropped before its start was cancelled: it is not kept as completed."""
    await setup_entry(hass, mock_config_entry)
    assert (
        len(
            await _events(
                hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
            )
        )
        == 1
    )

    summary_payload["scheduled_maintenances"] = []
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert (
        await _events(hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00")
        == []
    )
    maintenance_event = hass.states.get("event.example_maintenance")
    assert maintenance_event.attributes["event_type"] == "maintenance_completed"
    assert maintenance_event.attributes["status"] == "cancelled"


async def test_running_window_without_times_yields_to_the_next(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
) -> None:
    """A running window with no time at all cannot be shown; the next one is."""
    scheduled = summary_payload["scheduled_maintenances"][0]
    running = dict(
        scheduled,
        id="mnt000000008",
        name="Undated work",
        status="in_progress",
        scheduled_for=None,
        updated_at=None,
    )
    summary_payload["scheduled_maintenances"] = [running, scheduled]
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)

    state = hass.states.get(CALENDAR)
    assert state.attributes["message"] == scheduled["name"]
    assert state.state == STATE_OFF


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
async def test_window_completed_in_place_is_listed_once(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A window the page still lists as completed shows once, as a recent one."""
    payload = load_json_fixture("statuspage_summary_incident.json")
    aioclient_mock.get(SUMMARY_URL, json=payload)
    await setup_entry(hass, mock_config_entry)

    running = payload["scheduled_maintenances"][1]
    running["status"] = "completed"
    await next_poll(hass, freezer, aioclient_mock, json=payload)

    events = await _events(
        hass, "2026-11-01T00:00:00+00:00", "2026-12-31T00:00:00+00:00"
    )
    assert [event["summary"] for event in events] == [
        "Network switch replacement",
        "Database upgrade",
    ]
    assert hass.states.get(CALENDAR).state == STATE_OFF
