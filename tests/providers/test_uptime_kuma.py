"""Uptime Kuma in Home Assistant: detection, the entry, entities, failures, reconfigure.

The bodies are this project's fixtures (tests/fixtures/uptime_kuma/), written after the
shape of the recorded open-slum.org answers.
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
from yarl import URL

from custom_components.cloud_status.api.uptime_kuma import (
    KumaPage,
    parse_heartbeats,
    parse_status_page,
)
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_json_fixture
from ..helpers import advance, only_platform, setup_entry

BASE = "https://kuma.example.com"
PAGE_URL = f"{BASE}/status/example"
PAGE_API = f"{BASE}/api/status-page/example"
BEATS_API = f"{BASE}/api/status-page/heartbeat/example"
UNIQUE_ID = "uptime_kuma:kuma.example.com/example"
POLL = 121
ANYTHING = re.compile(r".*")
DEMO_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"


def _page() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptime_kuma/status_page.json")
    return payload


def _beats() -> dict[str, Any]:
    payload: dict[str, Any] = load_json_fixture("uptime_kuma/heartbeat.json")
    return payload


def _serve(
    aioclient_mock: AiohttpClientMocker,
    page: dict[str, Any] | None = None,
    beats: dict[str, Any] | None = None,
    *,
    base: str = BASE,
    slug: str = "example",
) -> None:
    """Answer the page's two endpoints; everything else (other platforms) is a 404."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{base}/api/status-page/{slug}", json=page or _page())
    aioclient_mock.get(
        f"{base}/api/status-page/heartbeat/{slug}", json=beats or _beats()
    )
    aioclient_mock.get(ANYTHING, status=404, text="Not Found")


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Example Services",
        data={CONF_PROVIDER: "uptime_kuma", CONF_URL: BASE, "slug": "example"},
        unique_id=UNIQUE_ID,
        entry_id="01JUPTIMEKUMAENTRY0000000",
    )


def _paths(aioclient_mock: AiohttpClientMocker) -> list[str]:
    return [str(url) for _, url, _, _ in aioclient_mock.mock_calls]


async def test_status_page_flow_detects_uptime_kuma(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, no_platforms: None
) -> None:
    """The address of a page is detected after the earlier platforms saw 404s."""
    _serve(aioclient_mock)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "kuma.example.com/status/example/"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example Services"
    assert result["result"].unique_id == UNIQUE_ID
    assert result["data"] == {
        CONF_PROVIDER: "uptime_kuma",
        CONF_URL: BASE,
        "slug": "example",
    }
    paths = _paths(aioclient_mock)
    # Statuspage and CloudSigma were asked first, under the page's address.
    assert paths[0] == f"{PAGE_URL}/api/v2/summary.json"
    assert f"{PAGE_URL}/api/v1/status" in paths
    # Detection, then the validating poll (the page and its heartbeats); each earlier
    # probe asked something else.
    first = paths.index(PAGE_API)
    assert paths[first : first + 3] == [PAGE_API, PAGE_API, BEATS_API]
    assert not [path for path in paths[:first] if "status-page" in path]


async def test_status_page_flow_without_a_slug(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An instance's root is no Uptime Kuma page: nothing asks its status-page API."""
    _serve(aioclient_mock)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}
    assert not [path for path in _paths(aioclient_mock) if "status-page" in path]


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
    """States follow the newest beat; a new beat changes one monitor only."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert _component_state(hass, entity_registry, "21") == "major_outage"
    assert _component_state(hass, entity_registry, "12") == "degraded_performance"
    assert _component_state(hass, entity_registry, "22") == "under_maintenance"
    overall = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_overall_status"
    )
    assert overall is not None
    assert hass.states.get(overall).state == "major_outage"  # type: ignore[union-attr]

    beats = _beats()
    beats["heartbeatList"]["21"].append({"status": 1, "time": "2026-11-20 10:21:00"})
    _serve(aioclient_mock, beats=beats)
    await advance(hass, freezer, _seconds(POLL))

    assert _component_state(hass, entity_registry, "21") == "operational"
    assert _component_state(hass, entity_registry, "11") == "operational"
    assert _paths(aioclient_mock) == [PAGE_API, BEATS_API]


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)


def _with(key: str, value: Any) -> dict[str, Any]:
    payload = _page()
    payload[key] = value
    return payload


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<html><title>Uptime Kuma</title></html>"}, id="html"),
        pytest.param({"json": {"data": []}}, id="other_shape"),
        pytest.param({"json": {"config": {"title": "x"}}}, id="missing_list"),
        pytest.param({"json": _with("config", None)}, id="null_object"),
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
    aioclient_mock.get(PAGE_API, **answer)
    aioclient_mock.get(BEATS_API, json=_beats())
    await advance(hass, freezer, _seconds(POLL))

    assert registered
    assert {
        item.entity_id
        for item in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    } == registered
    for entity_id in registered:
        state = hass.states.get(entity_id)
        assert state is None or state.state == STATE_UNAVAILABLE
    assert entry.data[CONF_URL] == BASE


async def test_unknown_status_and_empty_page(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown beat status is unknown (logged once); an empty page keeps entities."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    beats = _beats()
    beats["heartbeatList"]["21"].append({"status": 9, "time": "2026-11-20 10:21:00"})
    _serve(aioclient_mock, beats=beats)
    await advance(hass, freezer, _seconds(POLL))
    assert _component_state(hass, entity_registry, "21") == "unknown"
    assert caplog.text.count("reports the unknown status '9'") == 1

    empty = _page()
    empty["publicGroupList"] = []
    _serve(aioclient_mock, page=empty)
    await advance(hass, freezer, _seconds(POLL))
    overall = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_overall_status"
    )
    assert hass.states.get(overall).state != STATE_UNAVAILABLE  # type: ignore[arg-type,union-attr]
    assert entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{UNIQUE_ID}_21_component_status"
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
    """Another address of the same page (its API address here) is the same entry."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await _reconfigure(hass, entry, "https://kuma.example.com/status/example/")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == BASE


async def test_reconfigure_other_page(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another page of the instance is another entry: `wrong_page`."""
    _serve(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE}/api/status-page/other", json=_page())
    aioclient_mock.get(f"{BASE}/api/status-page/heartbeat/other", json=_beats())
    aioclient_mock.get(ANYTHING, status=404)

    result = await _reconfigure(hass, entry, f"{BASE}/status/other")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data["slug"] == "example"


# --- the demo ------------------------------------------------------------------------------


def _demo() -> tuple[ModuleType, ModuleType]:
    """Load the demo server by path (scripts/ is not a package) and this platform."""
    spec = importlib.util.spec_from_file_location("demo_status_server", DEMO_SERVER)
    assert spec is not None
    assert spec.loader is not None
    server = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = server
    spec.loader.exec_module(server)
    return server, importlib.import_module("demo_platforms.uptime_kuma")


@pytest.mark.parametrize("elapsed", [0.0, 130.0, 330.0, 450.0])
async def test_demo_answers_parse(elapsed: float) -> None:
    """The demo's page and heartbeats, at each phase of the story, parse."""
    server, demo = _demo()
    summary = server.summary_at(elapsed, datetime(2026, 11, 20, tzinfo=UTC))
    page_answer = demo.respond(f"api/status-page/{demo.SLUG}", {}, summary)
    beats_answer = demo.respond(f"api/status-page/heartbeat/{demo.SLUG}", {}, summary)
    html = demo.respond(f"status/{demo.SLUG}", {}, summary)
    assert demo.respond("status/demo/api/v2/summary.json", {}, summary) is None
    assert html[2] == "text/html"
    page = json.loads(json.dumps(page_answer[1]))
    beats = json.loads(json.dumps(beats_answer[1]))
    snapshot = parse_status_page(
        page,
        parse_heartbeats(beats),
        KumaPage(URL("http://127.0.0.1:8099/kuma"), demo.SLUG),
    )
    members = [item for item in summary["components"] if not item["group"]]
    assert len(snapshot.components) == len(members)
    assert snapshot.page.name == summary["page"]["name"]
    assert len(snapshot.incidents) == len(summary["incidents"])
    running = [
        item
        for item in summary["scheduled_maintenances"]
        if item["status"] == "in_progress"
    ]
    assert len(snapshot.maintenances) == len(running)
    # Uptime Kuma has no partial outage: a partly down monitor is DOWN.
    kuma_status = {"partial_outage": "major_outage"}
    assert [component.status.value for component in snapshot.components.values()] == [
        kuma_status.get(item["status"], item["status"]) for item in members
    ]
