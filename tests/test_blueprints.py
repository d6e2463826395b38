"""The automation blueprints of blueprints/automation/cloud_status, run by Home Assistant.

Each blueprint is loaded by Home Assistant's blueprint machinery from a config dir that
links the project's folder, instantiated with `use_blueprint` against a real Cloud Status
entry (the Example page), and driven by the entry's polls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import async_mock_service
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import homeassistant.util.dt as dt_util

from .conftest import load_json_fixture
from .helpers import advance, next_poll

BLUEPRINTS = Path(__file__).resolve().parents[1] / "blueprints" / "automation"
FOLDER = "cloud_status"
INCIDENT_NOTIFICATION = f"{FOLDER}/incident_notification.yaml"
MAINTENANCE_REMINDER = f"{FOLDER}/maintenance_reminder.yaml"
SERVICE_DOWN = f"{FOLDER}/service_down_fallback.yaml"

INCIDENT_EVENT = "event.example_incident"
NEXT_MAINTENANCE = "sensor.example_next_maintenance"
API_STATUS = "sensor.example_api"


@pytest.fixture
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """Point the config dir at a folder whose blueprints link the project's files.

    As scripts/develop does: a real folder of links to the files (Home Assistant's
    blueprint list does not descend into a linked folder).
    """
    folder = tmp_path / "blueprints" / "automation" / FOLDER
    folder.mkdir(parents=True)
    for path in (BLUEPRINTS / FOLDER).glob("*.yaml"):
        (folder / path.name).symlink_to(path)
    hass.config.config_dir = str(tmp_path)
    return tmp_path


async def _automation(
    hass: HomeAssistant, path: str, inputs: dict[str, Any], alias: str = "Test"
) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": alias,
                "use_blueprint": {"path": path, "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{alias.lower()}")
    assert state is not None
    assert state.state == "on"


@pytest.mark.usefixtures("config_dir")
async def test_every_blueprint_loads(hass: HomeAssistant) -> None:
    """Home Assistant loads each file as a valid automation blueprint, with its inputs."""
    loaded = await async_get_blueprints(hass).async_get_blueprints()
    ours = {path: item for path, item in loaded.items() if path.startswith(FOLDER)}
    assert set(ours) == {INCIDENT_NOTIFICATION, MAINTENANCE_REMINDER, SERVICE_DOWN}
    inputs = {
        path: set(item.inputs)  # type: ignore[union-attr]
        for path, item in ours.items()
    }
    assert inputs == {
        INCIDENT_NOTIFICATION: {
            "incident_events",
            "event_types",
            "minimum_impact",
            "components",
            "notify",
        },
        MAINTENANCE_REMINDER: {"next_maintenance", "minutes_before", "remind"},
        SERVICE_DOWN: {
            "status_entities",
            "down_statuses",
            "down_for",
            "fallback",
            "recovery",
        },
    }
    for path, item in ours.items():
        metadata = item.metadata  # type: ignore[union-attr]
        assert metadata["domain"] == "automation"
        assert metadata["source_url"].endswith(f"/blueprints/automation/{path}")


def _notify_inputs(**inputs: Any) -> dict[str, Any]:
    return {
        "incident_events": [INCIDENT_EVENT],
        "notify": [
            {
                "action": "test.notify",
                "data": {
                    "title": "{{ title }}",
                    "message": "{{ message }}",
                    "components": "{{ components }}",
                    "impact": "{{ incident.impact }}",
                },
            }
        ],
        **inputs,
    }


@pytest.mark.usefixtures("config_dir", "init_integration")
@pytest.mark.parametrize(
    ("inputs", "sent"),
    [
        ({}, True),
        ({"minimum_impact": "major"}, True),
        ({"minimum_impact": "critical"}, False),
        ({"components": ["EU West"]}, True),
        ({"components": ["regions \u2013 eu west"]}, True),
        ({"components": ["US East"]}, False),
        ({"event_types": ["incident_resolved"]}, False),
    ],
    ids=[
        "defaults",
        "major-reaches-major",
        "major-below-critical",
        "member-by-name",
        "member-by-display-name",
        "other-component",
        "only-resolutions",
    ],
)
async def test_incident_notification_filters(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    inputs: dict[str, Any],
    sent: bool,
) -> None:
    """A new incident (major, on API and EU West) is sent only when it passes."""
    calls = async_mock_service(hass, "test", "notify")
    await _automation(hass, INCIDENT_NOTIFICATION, _notify_inputs(**inputs))

    await next_poll(
        hass,
        freezer,
        aioclient_mock,
        json=load_json_fixture("statuspage_summary_incident.json"),
    )
    await hass.async_block_till_done()

    if not sent:
        assert calls == []
        return
    assert len(calls) == 1
    data = calls[0].data
    assert data["title"] == "Example: incident opened"
    assert data["message"].startswith(
        "Elevated API error rates: identified (major impact), affecting API, "
        "Regions \u2013 EU West."
    )
    assert data["components"] == ["API", "Regions \u2013 EU West"]
    assert data["impact"] == "major"


@pytest.mark.usefixtures("config_dir", "init_integration")
async def test_incident_notification_sends_the_resolution_despite_the_filter(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The resolution of an incident passes a component filter; a failed poll is quiet."""
    calls = async_mock_service(hass, "test", "notify")
    await _automation(
        hass, INCIDENT_NOTIFICATION, _notify_inputs(components=["EU West"])
    )
    incident = load_json_fixture("statuspage_summary_incident.json")
    await next_poll(hass, freezer, aioclient_mock, json=incident)
    # A failed poll and the recovery re-show the last event: that is no new event.
    await next_poll(hass, freezer, aioclient_mock, status=500)
    await next_poll(hass, freezer, aioclient_mock, json=incident)
    await next_poll(
        hass,
        freezer,
        aioclient_mock,
        json=load_json_fixture("statuspage_summary_operational.json"),
    )
    await hass.async_block_till_done()

    assert [call.data["title"] for call in calls] == [
        "Example: incident opened",
        "Example: incident resolved",
    ]
    assert calls[1].data["components"] == []


@pytest.mark.usefixtures("config_dir", "init_integration")
async def test_incident_notification_default_is_a_persistent_notification(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Without a notification action, the blueprint creates a persistent notification."""
    calls = async_mock_service(hass, "persistent_notification", "create")
    await _automation(
        hass, INCIDENT_NOTIFICATION, {"incident_events": [INCIDENT_EVENT]}
    )
    await next_poll(
        hass,
        freezer,
        aioclient_mock,
        json=load_json_fixture("statuspage_summary_incident.json"),
    )
    await hass.async_block_till_done()
    assert [call.data["title"] for call in calls] == ["Example: incident opened"]


async def _tick_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    await advance(hass, freezer, moment - dt_util.utcnow())
    await hass.async_block_till_done()


@pytest.mark.usefixtures("config_dir", "init_integration")
async def test_maintenance_reminder_comes_once_before_the_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The Database upgrade starts at 02:00: a 30-minute reminder comes at 01:29, once."""
    starts = dt_util.parse_datetime("2026-12-01T02:00:00+00:00")
    assert starts is not None
    state = hass.states.get(NEXT_MAINTENANCE)
    assert state is not None
    assert dt_util.parse_datetime(state.state) == starts
    calls = async_mock_service(hass, "test", "remind")
    freezer.move_to(starts - timedelta(minutes=40))
    await _automation(
        hass,
        MAINTENANCE_REMINDER,
        {
            "next_maintenance": [NEXT_MAINTENANCE],
            "minutes_before": 30,
            "remind": [
                {
                    "action": "test.remind",
                    "data": {
                        "title": "{{ title }}",
                        "message": "{{ message }}",
                        "name": "{{ maintenance.name }}",
                    },
                }
            ],
        },
    )
    # The minute ticks at 01:27 and 01:28 (32 and 31 minutes ahead) stay quiet.
    await _tick_to(hass, freezer, starts - timedelta(minutes=32, seconds=59.5))
    await _tick_to(hass, freezer, starts - timedelta(minutes=31, seconds=59.5))
    assert calls == []

    # 01:29: the last tick at least 30 minutes ahead.
    await _tick_to(hass, freezer, starts - timedelta(minutes=30, seconds=59.5))
    assert len(calls) == 1
    assert calls[0].data["title"] == "Example: maintenance in 30 min"
    assert calls[0].data["name"] == "Database upgrade"
    assert calls[0].data["message"].startswith("Database upgrade starts at ")

    for minutes in (29, 28, 1):
        await _tick_to(hass, freezer, starts - timedelta(minutes=minutes, seconds=59.5))
    assert len(calls) == 1
    # Its once-a-minute trigger goes with the automation.
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "automation.test"}, blocking=True
    )


def _fallback_inputs() -> dict[str, Any]:
    return {
        "status_entities": [API_STATUS],
        "down_for": {"minutes": 3},
        "fallback": [
            {
                "action": "test.fallback",
                "data": {"service": "{{ service }}", "status": "{{ status }}"},
            }
        ],
        "recovery": [
            {
                "action": "test.recovery",
                "data": {"service": "{{ service }}", "status": "{{ status }}"},
            }
        ],
    }


@pytest.mark.usefixtures("config_dir", "init_integration")
async def test_service_down_runs_the_fallback_then_the_recovery(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """API in a partial outage for 3 minutes: fallback once; operational: recovery."""
    fallback: list[ServiceCall] = async_mock_service(hass, "test", "fallback")
    recovery: list[ServiceCall] = async_mock_service(hass, "test", "recovery")
    await _automation(hass, SERVICE_DOWN, _fallback_inputs())
    incident = load_json_fixture("statuspage_summary_incident.json")
    await next_poll(hass, freezer, aioclient_mock, json=incident)
    state = hass.states.get(API_STATUS)
    assert state is not None
    assert state.state == "partial_outage"
    await next_poll(hass, freezer, aioclient_mock, json=incident)
    assert fallback == []  # down for 61 s only

    for _ in range(3):
        await next_poll(hass, freezer, aioclient_mock, json=incident)
    await hass.async_block_till_done()
    assert len(fallback) == 1
    assert fallback[0].data == {"service": "Example API", "status": "partial_outage"}
    assert recovery == []

    await next_poll(
        hass,
        freezer,
        aioclient_mock,
        json=load_json_fixture("statuspage_summary_operational.json"),
    )
    await hass.async_block_till_done()
    assert len(fallback) == 1
    assert [call.data for call in recovery] == [
        {"service": "Example API", "status": "operational"}
    ]


@pytest.mark.usefixtures("config_dir", "init_integration")
async def test_service_down_ignores_failed_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Unavailable is not down, and back into the same outage is not a new one."""
    fallback = async_mock_service(hass, "test", "fallback")
    recovery = async_mock_service(hass, "test", "recovery")
    await _automation(hass, SERVICE_DOWN, _fallback_inputs())
    incident = load_json_fixture("statuspage_summary_incident.json")
    for _ in range(5):
        await next_poll(hass, freezer, aioclient_mock, json=incident)
    assert len(fallback) == 1

    await next_poll(hass, freezer, aioclient_mock, status=500)
    state = hass.states.get(API_STATUS)
    assert state is not None
    assert state.state == "unavailable"
    for _ in range(5):
        await next_poll(hass, freezer, aioclient_mock, json=incident)
    await hass.async_block_till_done()
    assert len(fallback) == 1
    assert recovery == []
