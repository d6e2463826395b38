"""UptimeRobot in Home Assistant: detection, the entry, entities, failures, reconfigure.

No recorded UptimeRobot answer exists: the bodies are this project's fixtures
(tests/fixtures/uptimerobot/), built from the documented shape (see
tests/api/test_uptimerobot.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import importlib
import importlib.util
import json
from pathlib import Path
import re
import sys
from types import ModuleType
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.cloud_status.api.models import PageInfo
from custom_components.cloud_status.api.uptimerobot import (
    parse_event_feed,
    parse_monitor_list,
)
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_fixture, load_json_fixture
from ..helpers import advance, only_platform, setup_entry

PAGE_URL = "https://status.example.com"
TOKEN = "m7Xk2pQ9rT"
API = "https://status.uptimerobot.com/api"
MONITORS_API = f"{API}/getMonitorList/{TOKEN}"
EVENTS_API = f"{API}/getEventFeed/{TOKEN}"
UNIQUE_ID = f"uptimerobot:{TOKEN}"
POLL = timedelta(seconds=121)
ANYTHING = re.compile(r".*")
DEMO_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"
pytestmark = pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")


def _monitors() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptimerobot/monitor_list.json")
    return payload


def _events() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptimerobot/event_feed.json")
    return payload


def _serve(
    aioclient_mock: AiohttpClientMocker,
    monitors: dict[str, Any] | None = None,
    *,
    html: str | None = None,
    page: str = f"{PAGE_URL}/",
) -> None:
    """Answer the page and its API; everything else (other platforms) is a 404."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(page, text=html or load_fixture("uptimerobot/page.html"))
    aioclient_mock.get(MONITORS_API, json=monitors or _monitors())
    aioclient_mock.get(EVENTS_API, json=_events())
    aioclient_mock.get(ANYTHING, status=404, text="Not Found")


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Example & Co Status",
        data={
            CONF_PROVIDER: "uptimerobot",
            CONF_URL: PAGE_URL,
            "token": TOKEN,
            "api_url": MONITORS_API,
        },
        unique_id=UNIQUE_ID,
        entry_id="01JUPTIMEROBOTENTRY000000",
    )


def _paths(aioclient_mock: AiohttpClientMocker) -> list[str]:
    return [str(url) for _, url, _, _ in aioclient_mock.mock_calls]


async def test_status_page_flow_detects_uptimerobot(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, no_platforms: None
) -> None:
    """The page's HTML names its API, after the earlier platforms saw 404s."""
    _serve(aioclient_mock)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.com"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example & Co Status"
    assert result["result"].unique_id == UNIQUE_ID
    assert result["data"] == {
        CONF_PROVIDER: "uptimerobot",
        CONF_URL: PAGE_URL,
        "token": TOKEN,
        "api_url": MONITORS_API,
    }
    paths = _paths(aioclient_mock)
    assert paths[0] == f"{PAGE_URL}/api/v2/summary.json"
    assert f"{PAGE_URL}/api/v1/status" in paths
    # The page's HTML is read once, whoever reads it.
    assert paths.count(f"{PAGE_URL}/") == 1
    first = paths.index(MONITORS_API)
    assert paths[first : first + 2] == [MONITORS_API, EVENTS_API]


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
    platform: Platform,
) -> None:
    """Overall status, incident, maintenance and one sensor per monitor."""
    _serve(aioclient_mock)
    entry = _entry()
    with only_platform(platform):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


def _component_state(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, monitor_id: str
) -> str:
    entity_id = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_{monitor_id}_component_status"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


async def test_states_and_one_monitor_change(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """States follow statusClass; one monitor's change changes its entity only."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert _component_state(hass, entity_registry, "778224454") == "major_outage"
    assert _component_state(hass, entity_registry, "778224455") == "under_maintenance"
    incidents = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_active_incidents"
    )
    assert hass.states.get(incidents).state == "1"  # type: ignore[arg-type,union-attr]

    monitors = _monitors()
    monitors["data"][2]["statusClass"] = "success"
    _serve(aioclient_mock, monitors)
    await advance(hass, freezer, POLL)

    assert _component_state(hass, entity_registry, "778224454") == "operational"
    assert (
        _component_state(hass, entity_registry, "778224453") == "degraded_performance"
    )
    assert _paths(aioclient_mock) == [MONITORS_API, EVENTS_API]


def _with(key: str, value: Any) -> dict[str, Any]:
    payload = _monitors()
    payload[key] = value
    return payload


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<html><title>Just a moment</title></html>"}, id="html"),
        pytest.param({"json": {"status": "fail"}}, id="other_shape"),
        pytest.param({"json": {"status": "ok"}}, id="missing_list"),
        pytest.param({"json": _with("data", [None])}, id="null_object"),
        pytest.param(
            {"content": b"{" + b" " * (5 * 1024 * 1024) + b"}"}, id="over_5_mb"
        ),
    ],
)
async def test_bad_answers_make_entities_unavailable(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    answer: dict[str, Any],
) -> None:
    """A failed poll makes every entity unavailable and removes nothing."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = {
        item.entity_id
        for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }

    aioclient_mock.clear_requests()
    aioclient_mock.get(MONITORS_API, **answer)
    aioclient_mock.get(EVENTS_API, json=_events())
    await advance(hass, freezer, POLL)

    assert registered
    assert {
        item.entity_id
        for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    } == registered
    for entity_id in registered:
        state = hass.states.get(entity_id)
        assert state is None or state.state == STATE_UNAVAILABLE


async def test_unknown_status_and_empty_page(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown statusClass is unknown (logged once); an empty list keeps entities."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    monitors = _monitors()
    monitors["data"][2]["statusClass"] = "exploded"
    _serve(aioclient_mock, monitors)
    await advance(hass, freezer, POLL)
    assert _component_state(hass, entity_registry, "778224454") == "unknown"
    assert caplog.text.count("reports the unknown status 'exploded'") == 1

    _serve(aioclient_mock, {"status": "ok", "data": []})
    await advance(hass, freezer, POLL)
    overall = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_overall_status"
    )
    assert hass.states.get(overall).state != STATE_UNAVAILABLE  # type: ignore[arg-type,union-attr]
    assert entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_778224454_component_status"
    )


async def _reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, url: str
) -> dict[str, Any]:
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url}
    )
    return dict(result)


async def test_reconfigure_same_page(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The page's other address (same token) is the same entry."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    _serve(aioclient_mock, page=f"https://stats.uptimerobot.com/{TOKEN}")

    result = await _reconfigure(hass, entry, f"https://stats.uptimerobot.com/{TOKEN}")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == f"https://stats.uptimerobot.com/{TOKEN}"


async def test_reconfigure_other_page(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A page with another token is another page: `wrong_page`."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    other = load_fixture("uptimerobot/page.html").replace(TOKEN, "otherToken1")
    aioclient_mock.clear_requests()
    aioclient_mock.get("https://other.example.com/", text=other)
    aioclient_mock.get(f"{API}/getMonitorList/otherToken1", json=_monitors())
    aioclient_mock.get(f"{API}/getEventFeed/otherToken1", json=_events())
    aioclient_mock.get(ANYTHING, status=404)

    result = await _reconfigure(hass, entry, "https://other.example.com")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data["token"] == TOKEN


# --- the demo ------------------------------------------------------------------------------


def _demo() -> tuple[ModuleType, ModuleType]:
    """Load the demo server by path (scripts/ is not a package) and this platform."""
    spec = importlib.util.spec_from_file_location("demo_status_server", DEMO_SERVER)
    assert spec is not None
    assert spec.loader is not None
    server = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = server
    spec.loader.exec_module(server)
    return server, importlib.import_module("demo_platforms.uptimerobot")


@pytest.mark.parametrize("elapsed", [0.0, 130.0, 330.0, 450.0])
def test_demo_answers_parse(elapsed: float) -> None:
    """The demo's page names its API; its answers, at each phase, parse."""
    server, demo = _demo()
    started = datetime(2026, 11, 20, tzinfo=UTC)
    summary = server.summary_at(elapsed, started)
    html = demo.respond("", {}, summary)
    assert f"{demo.PREFIX}/api/getMonitorList/{demo.TOKEN}" in html[1]
    assert demo.respond("api/v2/summary.json", {}, summary) is None
    monitors = json.loads(
        json.dumps(demo.respond(f"api/getMonitorList/{demo.TOKEN}", {}, summary)[1])
    )
    events = json.loads(
        json.dumps(demo.respond(f"api/getEventFeed/{demo.TOKEN}", {}, summary)[1])
    )
    components = parse_monitor_list(monitors)
    page = PageInfo(id=demo.TOKEN, name="demo")
    incidents, maintenances = parse_event_feed(
        events, page, started + timedelta(seconds=elapsed)
    )
    members = [item for item in summary["components"] if not item["group"]]
    assert [component.name for component in components.values()] == [
        item["name"] for item in members
    ]
    assert len(incidents) == len(summary["incidents"])
    assert len(maintenances) == len(summary["scheduled_maintenances"])
    running = [
        item
        for item in summary["scheduled_maintenances"]
        if item["status"] == "in_progress"
    ]
    assert len([m for m in maintenances if m.phase.name == "IN_PROGRESS"]) == len(
        running
    )
