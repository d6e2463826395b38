"""Incident and maintenance events across polls."""

from __future__ import annotations

import copy
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import (
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .conftest import SUMMARY_URL, load_json_fixture
from .helpers import next_poll, only_platform, setup_entry

INCIDENT_EVENT = "event.example_incident"
MAINTENANCE_EVENT = "event.example_maintenance"


def _capture(hass: HomeAssistant) -> list[tuple[str, str, dict[str, Any]]]:
    """Record (entity, event type, event data) for every event fired.

    An entity that comes back from unavailable re-shows its last event; that is
    not a new event, so a state equal to the last one recorded is skipped.
    """
    fired: list[tuple[str, str, dict[str, Any]]] = []
    last_shown: dict[str, tuple[str, dict[str, Any]]] = {}

    @callback
    def _listener(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        entity_id = event.data["entity_id"]
        if (
            new is None
            or entity_id not in (INCIDENT_EVENT, MAINTENANCE_EVENT)
            or new.state in (STATE_UNKNOWN, STATE_UNAVAILABLE)
        ):
            return
        attributes = dict(new.attributes)
        if last_shown.get(entity_id) == (new.state, attributes):
            return
        last_shown[entity_id] = (new.state, dict(attributes))
        event_type = attributes.pop("event_type")
        for key in ("event_types", "friendly_name"):
            attributes.pop(key)
        fired.append((entity_id, event_type, attributes))

    hass.bus.async_listen(EVENT_STATE_CHANGED, _listener)
    return fired


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "mock_summary")
async def test_event_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The event entities exist with their event types, and nothing fired yet."""
    with only_platform(Platform.EVENT):
        await setup_entry(hass, mock_config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_no_events_at_start_up_or_reload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """What is already open at start-up or after a reload is state, not an event."""
    fired = _capture(hass)
    aioclient_mock.get(
        "https://status.example.com/api/v2/summary.json",
        json=load_json_fixture("statuspage_summary_incident.json"),
    )
    await setup_entry(hass, mock_config_entry)
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert fired == []
    assert hass.states.get(INCIDENT_EVENT).state == STATE_UNKNOWN


@pytest.mark.usefixtures("mock_summary")
async def test_incident_lifecycle(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """An incident opens, is updated twice, changes impact and resolves."""
    await setup_entry(hass, mock_config_entry)
    fired = _capture(hass)

    incident = copy.deepcopy(
        load_json_fixture("statuspage_summary_incident.json")["incidents"][0]
    )
    incident["status"] = "investigating"
    incident["incident_updates"] = incident["incident_updates"][1:]
    summary_payload["incidents"] = [incident]
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    # Same incident, unchanged: nothing fires even though the page's timestamp moved.
    summary_payload["page"]["updated_at"] = "2026-11-20T09:31:00.000Z"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    incident["status"] = "identified"
    incident["incident_updates"].insert(
        0, {"id": "incupd000002", "status": "identified", "body": "Found it."}
    )
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    incident["impact"] = "critical"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    summary_payload["incidents"] = []
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    expected_base = {
        "id": "inc000000001",
        "name": "Elevated API error rates",
        "url": "https://stspg.io/inc1",
    }
    assert fired == [
        (
            INCIDENT_EVENT,
            "incident_created",
            {**expected_base, "status": "investigating", "impact": "major"},
        ),
        (
            INCIDENT_EVENT,
            "incident_updated",
            {**expected_base, "status": "identified", "impact": "major"},
        ),
        (
            INCIDENT_EVENT,
            "incident_updated",
            {**expected_base, "status": "identified", "impact": "critical"},
        ),
        (
            INCIDENT_EVENT,
            "incident_resolved",
            {**expected_base, "status": "resolved", "impact": "critical"},
        ),
    ]


async def test_maintenance_lifecycle(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A maintenance is scheduled, starts and completes; events come in that order."""
    maintenance = summary_payload["scheduled_maintenances"].pop()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)
    fired = _capture(hass)

    summary_payload["scheduled_maintenances"] = [maintenance]
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    maintenance["status"] = "in_progress"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    maintenance["status"] = "verifying"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    maintenance["status"] = "completed"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    summary_payload["scheduled_maintenances"] = []
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)

    assert [(entity, event_type) for entity, event_type, _ in fired] == [
        (MAINTENANCE_EVENT, "maintenance_scheduled"),
        (MAINTENANCE_EVENT, "maintenance_started"),
        (MAINTENANCE_EVENT, "maintenance_completed"),
    ]
    assert fired[0][2] == {
        "id": "mnt000000001",
        "name": "Database upgrade",
        "status": "scheduled",
        "impact": "maintenance",
        "url": "https://stspg.io/mnt1",
        "starts_at": "2026-12-01T02:00:00+00:00",
        "ends_at": "2026-12-01T04:00:00+00:00",
    }
    assert fired[2][2]["status"] == "completed"


async def test_events_in_one_poll_fire_in_order(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """One poll that resolves an incident, opens another and ends a window fires all."""
    payload = load_json_fixture("statuspage_summary_incident.json")
    aioclient_mock.get("https://status.example.com/api/v2/summary.json", json=payload)
    await setup_entry(hass, mock_config_entry)
    fired = _capture(hass)

    new_incident = copy.deepcopy(payload["incidents"][0])
    new_incident.update(
        id="inc000000002", name="Login failures", status="investigating"
    )
    payload["incidents"] = [new_incident]
    payload["scheduled_maintenances"] = payload["scheduled_maintenances"][:1]
    await next_poll(hass, freezer, aioclient_mock, json=payload)

    assert [(event_type, data["id"]) for _, event_type, data in fired] == [
        ("incident_created", "inc000000002"),
        ("incident_resolved", "inc000000001"),
        ("maintenance_completed", "mnt000000002"),
    ]


@pytest.mark.usefixtures("mock_summary")
async def test_failed_poll_fires_nothing_twice(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A failure and its recovery make the entity unavailable and back, with no repeat."""
    await setup_entry(hass, mock_config_entry)
    fired = _capture(hass)
    summary_payload["incidents"] = load_json_fixture(
        "statuspage_summary_incident.json"
    )["incidents"]
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert len(fired) == 1

    await next_poll(hass, freezer, aioclient_mock, status=500)
    assert hass.states.get(INCIDENT_EVENT).state == STATE_UNAVAILABLE
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert hass.states.get(INCIDENT_EVENT).state not in (
        STATE_UNAVAILABLE,
        STATE_UNKNOWN,
    )
    assert len(fired) == 1
