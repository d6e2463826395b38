"""Gatus in Home Assistant: detection by the status_page step, setup, polls, failures.

The bodies are tests/fixtures/gatus/, written in the shape Gatus's own API test expects
(no live Gatus body was found; see tests/api/test_gatus.py).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
import importlib
import importlib.util
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

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import gatus
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_json_fixture
from ..helpers import advance, only_platform, setup_entry

BASE = "https://gatus.example.net"
OTHER = "https://gatus.other.example"
STATUSES = "/api/v1/endpoints/statuses"
POLL = timedelta(seconds=121)
OVERALL = "sensor.gatus_example_net_overall_status"
API = "sensor.gatus_example_net_core_api"
DATABASE = "sensor.gatus_example_net_core_database"
EVERYTHING_ELSE = re.compile(r".*")
DEMO_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"


def load_demo_server() -> ModuleType:
    """Import the demo server by path (it puts scripts/ on sys.path for its platforms)."""
    if (loaded := sys.modules.get("demo_status_server")) is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("demo_status_server", DEMO_SERVER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _endpoints() -> list[dict[str, Any]]:
    endpoints: list[dict[str, Any]] = load_json_fixture("gatus/endpoint_statuses.json")
    return endpoints


def _mock(aioclient_mock: AiohttpClientMocker, base: str = BASE, **answer: Any) -> None:
    """Answer Gatus's endpoint statuses at `base` (with `answer` when given)."""
    aioclient_mock.get(f"{base}{STATUSES}", **(answer or {"json": _endpoints()}))


def _not_found(aioclient_mock: AiohttpClientMocker) -> None:
    """Every other request (the earlier platforms' probes) answers 404."""
    aioclient_mock.get(EVERYTHING_ELSE, status=404)


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="gatus.example.net",
        data={CONF_PROVIDER: gatus.ID, CONF_URL: BASE},
        unique_id="gatus:gatus.example.net",
    )


async def _detect(hass: HomeAssistant, url: str) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url}
    )


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_detects_gatus(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Earlier probes get 404s; Gatus answers; the entry is SPEC's."""
    _mock(aioclient_mock)
    _not_found(aioclient_mock)

    result = await _detect(hass, f"{BASE}{STATUSES}")

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "gatus.example.net"
    assert result["result"].unique_id == "gatus:gatus.example.net"
    assert result["data"] == {CONF_PROVIDER: "gatus", CONF_URL: BASE}
    asked = [str(call[1]) for call in aioclient_mock.mock_calls]
    assert f"{BASE}/api/v2/summary.json" in asked
    # Detection's one request, then the validating poll (one page).
    assert asked[-2:] == [
        f"{BASE}{STATUSES}?page=1&pageSize=1",
        f"{BASE}{STATUSES}?page=1&pageSize=20",
    ]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_with_a_broken_poll_is_an_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A Gatus list whose endpoint has a null result: a form error, no entry."""
    endpoints = _endpoints()
    endpoints[0]["results"] = [None]
    aioclient_mock.get(f"{BASE}{STATUSES}?page=1&pageSize=1", json=_endpoints())
    _mock(aioclient_mock, json=endpoints)
    _not_found(aioclient_mock)

    result = await _detect(hass, BASE)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every endpoint is a component; groups prefix the names."""
    _mock(aioclient_mock)
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)

    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get(API).state == "operational"
    assert hass.states.get(API).attributes["friendly_name"].endswith("Core \u2013 API")
    assert hass.states.get(DATABASE).state == "partial_outage"
    assert hass.states.get("sensor.gatus_example_net_queue").state == STATE_UNKNOWN
    assert hass.states.get("sensor.gatus_example_net_active_incidents").state == "0"


async def test_a_component_changes(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new newest result changes the component's state at the next poll."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())
    changed = _endpoints()
    changed[1]["results"].append({"success": True, "conditionResults": []})
    aioclient_mock.clear_requests()
    _mock(aioclient_mock, json=changed)

    await advance(hass, freezer, POLL)

    assert hass.states.get(DATABASE).state == "operational"
    assert aioclient_mock.call_count == 1


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<html><body>Gatus</body></html>"}, id="html"),
        pytest.param({"json": {"endpoints": []}}, id="other-shape"),
        pytest.param({"json": None}, id="missing-list"),
        pytest.param({"json": [None]}, id="null-object"),
        pytest.param({"content": b""}, id="empty-page"),
        pytest.param(
            {"content": b"[" + b" " * (5 * 1024 * 1024) + b"]"}, id="over-5mb"
        ),
    ],
)
async def test_bad_answers_make_entities_unavailable(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    answer: dict[str, Any],
) -> None:
    """A failed poll: every entity unavailable, nothing removed; the next good poll heals."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock(aioclient_mock, **answer)
    await advance(hass, freezer, POLL)

    assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
    assert hass.states.get(API).state == STATE_UNAVAILABLE
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )

    aioclient_mock.clear_requests()
    _mock(aioclient_mock)
    await advance(hass, freezer, POLL)
    assert hass.states.get(API).state == "operational"


async def test_unknown_status_is_unknown_and_logged_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A result whose success is not a boolean: unknown, logged once."""
    endpoints = _endpoints()
    endpoints[0]["results"][-1]["success"] = "maybe"
    _mock(aioclient_mock, json=endpoints)
    await setup_entry(hass, _entry())

    assert hass.states.get(API).state == STATE_UNKNOWN
    changed = copy.deepcopy(endpoints)
    changed[2]["name"] = "Site"
    aioclient_mock.clear_requests()
    _mock(aioclient_mock, json=changed)
    await advance(hass, freezer, POLL)
    assert caplog.text.count("'maybe'") == 1


async def test_empty_list_keeps_the_registry(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """An empty endpoint list is a list: the components go unavailable, kept for now."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock(aioclient_mock, json=[])
    await advance(hass, freezer, POLL)

    assert hass.states.get(API).state == STATE_UNAVAILABLE
    assert hass.states.get(OVERALL).state == STATE_UNKNOWN
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address of the same instance succeeds; another instance is wrong_page."""
    _mock(aioclient_mock)
    _mock(aioclient_mock, OTHER)
    _not_found(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: f"gatus.example.net{STATUSES}"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == BASE

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data[CONF_URL] == BASE


async def test_demo_answer_parses(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's Gatus view is read by the client, in every phase."""
    server = load_demo_server()
    demo = importlib.import_module("demo_platforms.gatus")
    started = datetime(2026, 1, 1, tzinfo=UTC)
    incident = server.summary_at(0.3 * 600, started)
    _, body, _ = demo.respond(STATUSES.lstrip("/"), {"page": "1"}, incident)
    _mock(aioclient_mock, json=body)
    await setup_entry(hass, _entry())
    assert hass.states.get(OVERALL).state == "partial_outage"
    assert (
        demo.respond(STATUSES.lstrip("/"), {"page": "2"}, incident)[1][0]["results"]
        == []
    )
    assert demo.respond("", {}, incident)[0] == 200
    assert demo.respond("nothing", {}, incident) is None
