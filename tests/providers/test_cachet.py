"""Cachet in Home Assistant: detection (2.x and 3.x), setup, polls, failures.

The bodies are tests/fixtures/cachet/. The 2.x incidents, groups and schedules are
BUILT FROM THE DOCUMENTED SHAPE (no real 2.x incident body exists); see
tests/api/test_cachet.py.
"""

from __future__ import annotations

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
from custom_components.cloud_status.providers import cachet
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_json_fixture
from ..helpers import advance, only_platform, setup_entry

BASE = "https://status.example.org"
OTHER = "https://status.other.example"
POLL = timedelta(seconds=121)
OVERALL = "sensor.status_example_org_overall_status"
API = "sensor.status_example_org_platform_api"
DASHBOARD = "sensor.status_example_org_platform_dashboard"
EVERYTHING_ELSE = re.compile(r".*")
V2 = {
    "api/v1/components": "v2_components.json",
    "api/v1/components/groups": "v2_groups.json",
    "api/v1/incidents": "v2_incidents.json",
    "api/v1/schedules": "v2_schedules.json",
}
V3 = {
    "api/components": "v3_components.json",
    "api/component-groups": "v3_groups.json",
    "api/incidents": "v3_incidents.json",
    "api/schedules": "v3_schedules.json",
}

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


def _mock(
    aioclient_mock: AiohttpClientMocker,
    base: str = BASE,
    lists: dict[str, str] = V2,
    **answers: dict[str, Any],
) -> None:
    """Answer a Cachet page's four lists at `base` (`answers` by path replace them)."""
    for path, fixture in lists.items():
        answer = answers.get(path) or {"json": load_json_fixture(f"cachet/{fixture}")}
        aioclient_mock.get(f"{base}/{path}", **answer)


def _ping(
    aioclient_mock: AiohttpClientMocker, base: str = BASE, version: int = 2
) -> None:
    if version == 3:
        aioclient_mock.get(f"{base}/api/v1/ping", status=404)
    path = "api/v1/ping" if version == 2 else "api/ping"
    aioclient_mock.get(f"{base}/{path}", json={"data": "Pong!"})


def _not_found(aioclient_mock: AiohttpClientMocker) -> None:
    """Every other request (the earlier platforms' probes) answers 404."""
    aioclient_mock.get(EVERYTHING_ELSE, status=404)


def _entry(version: int = 2) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="status.example.org",
        data={CONF_PROVIDER: cachet.ID, CONF_URL: BASE, "api_version": version},
        unique_id="cachet:status.example.org",
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


@pytest.mark.freeze_time("2026-09-01T10:00:00+00:00")
@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(("version", "lists"), [(2, V2), (3, V3)])
async def test_status_page_detects_cachet(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    version: int,
    lists: dict[str, str],
) -> None:
    """Earlier probes get 404s; the ping answers; the entry stores the major version."""
    _ping(aioclient_mock, version=version)
    _mock(aioclient_mock, lists=lists)
    _not_found(aioclient_mock)

    result = await _detect(hass, f"{BASE}/")

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "status.example.org"
    assert result["result"].unique_id == "cachet:status.example.org"
    assert result["data"] == {
        CONF_PROVIDER: "cachet",
        CONF_URL: BASE,
        "api_version": version,
    }
    asked = [str(call[1]) for call in aioclient_mock.mock_calls]
    assert f"{BASE}/api/v2/summary.json" in asked
    assert f"{BASE}/api/v1/endpoints/statuses?page=1&pageSize=1" in asked
    # The ping(s), then the validating poll: four lists.
    assert len(asked[asked.index(f"{BASE}/api/v1/ping") :]) == 4 + (version - 1)


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_with_a_broken_poll_is_an_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A page that pongs but whose components do not parse: a form error."""
    _ping(aioclient_mock)
    _mock(aioclient_mock, **{"api/v1/components": {"json": {"data": None}}})
    _not_found(aioclient_mock)

    result = await _detect(hass, BASE)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}


@pytest.mark.freeze_time("2026-09-01T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Components with group names; the open incident; maintenances."""
    _mock(aioclient_mock)
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)

    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get(API).state == "operational"
    assert hass.states.get(DASHBOARD).state == "partial_outage"
    assert hass.states.get("sensor.status_example_org_legacy") is None
    incidents = hass.states.get("sensor.status_example_org_active_incidents")
    assert incidents.state == "1"
    assert incidents.attributes["incidents"][0]["name"] == "Dashboard errors"


@pytest.mark.freeze_time("2024-10-27T09:00:00+00:00")
async def test_v3_entry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A 3.x entry polls the 3.x paths."""
    _mock(aioclient_mock, lists=V3)
    await setup_entry(hass, _entry(3))

    assert hass.states.get("sensor.status_example_org_docs_documentation").state == (
        "degraded_performance"
    )
    assert hass.states.get("sensor.status_example_org_dns").state == STATE_UNKNOWN


async def test_a_component_changes(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A component's new status shows at the next poll."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())
    components = load_json_fixture("cachet/v2_components.json")
    components["data"][1]["status"] = 1
    aioclient_mock.clear_requests()
    _mock(aioclient_mock, **{"api/v1/components": {"json": components}})

    await advance(hass, freezer, POLL)

    assert hass.states.get(DASHBOARD).state == "operational"
    assert aioclient_mock.call_count == 4


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<html><body>Cachet</body></html>"}, id="html"),
        pytest.param({"json": [1, 2]}, id="other-shape"),
        pytest.param({"json": {"meta": {}}}, id="missing-list"),
        pytest.param({"json": {"data": [None]}}, id="null-object"),
        pytest.param({"content": b""}, id="empty-page"),
        pytest.param(
            {"content": b"{" + b" " * (5 * 1024 * 1024) + b"}"}, id="over-5mb"
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
    """A failed poll: every entity unavailable, nothing removed; a good poll heals."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock(aioclient_mock, **{"api/v1/components": answer})
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
    """A status outside 0..4: unknown, logged once."""
    components = load_json_fixture("cachet/v2_components.json")
    components["data"][0]["status"] = 7
    _mock(aioclient_mock, **{"api/v1/components": {"json": components}})
    await setup_entry(hass, _entry())
    assert hass.states.get(API).state == STATE_UNKNOWN

    components["data"][2]["name"] = "Email"
    aioclient_mock.clear_requests()
    _mock(aioclient_mock, **{"api/v1/components": {"json": components}})
    await advance(hass, freezer, POLL)
    assert caplog.text.count("unknown status '7'") == 1


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address of the same page succeeds; another page is wrong_page."""
    _ping(aioclient_mock)
    _ping(aioclient_mock, OTHER)
    _mock(aioclient_mock)
    _mock(aioclient_mock, OTHER)
    _not_found(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.org/api/v1/components"}
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


async def test_demo_answer_parses(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's Cachet view answers the ping and every list the client reads."""
    server = load_demo_server()
    demo = importlib.import_module("demo_platforms.cachet")
    started = datetime(2026, 1, 1, tzinfo=UTC)
    summary = server.summary_at(0.3 * 600, started)
    for path in V2:
        _, body, _ = demo.respond(path, {"page": "1", "per_page": "100"}, summary)
        aioclient_mock.get(f"{BASE}/{path}", json=body)
    await setup_entry(hass, _entry())

    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get("sensor.status_example_org_active_incidents").state == "1"
    assert demo.respond("api/v1/ping", {}, summary)[1] == {"data": "Pong!"}
    assert demo.respond("", {}, summary)[0] == 200
    assert demo.respond("api/v1/nothing", {}, summary) is None
