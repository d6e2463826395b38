"""Heroku in Home Assistant: found by its host, set up, polled, and bad answers.

Bodies: tests/fixtures/heroku/ (written from the recorded shape, see
tests/api/test_heroku.py). The provider is put first in the registry here, where the
lead's registry puts the known vendor hosts.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime, timedelta
import importlib
import importlib.util
from pathlib import Path
import re
import sys
from types import ModuleType
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import PROVIDERS, heroku
from custom_components.cloud_status.providers.detection import async_detect
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    CONF_URL,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_json_fixture
from ..helpers import advance, only_platform, setup_entry

FEED = "https://status.heroku.com/api/v4/current-status"
POLL = timedelta(seconds=121)
OVERALL = "sensor.heroku_overall_status"
PROBLEM = "binary_sensor.heroku_problem"
APPS = "sensor.heroku_apps"
DATA = "sensor.heroku_data"
TOOLS = "sensor.heroku_tools"
EVERYTHING_ELSE = re.compile(r".*")
DEMO_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"


@pytest.fixture(autouse=True)
def registered() -> Generator[None]:
    """Register Heroku first, as known vendor hosts come first in detection order."""
    with patch.dict(PROVIDERS, {heroku.ID: heroku.PROVIDER, **PROVIDERS}, clear=True):
        yield


def _status() -> Any:
    return load_json_fixture("heroku/current_status.json")


def _mock_feed(aioclient_mock: AiohttpClientMocker, **answer: Any) -> None:
    aioclient_mock.get(FEED, **(answer or {"json": _status()}))


def _entry(url: str = FEED) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Heroku",
        data={CONF_PROVIDER: heroku.ID, CONF_URL: url},
        unique_id="heroku:status.heroku.com",
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
@pytest.mark.parametrize(
    "raw", ["status.heroku.com", "https://status.heroku.com/incidents/3001", FEED]
)
async def test_status_page_detects_heroku_by_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, raw: str
) -> None:
    """Heroku's host: no other platform is asked; one poll of the real feed."""
    _mock_feed(aioclient_mock)
    aioclient_mock.get(EVERYTHING_ELSE, status=404)

    result = await _detect(hass, raw)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Heroku"
    assert result["result"].unique_id == "heroku:status.heroku.com"
    assert result["data"] == {CONF_PROVIDER: "heroku", CONF_URL: FEED}
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [FEED]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_twice_is_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Heroku's feed is one entry."""
    _mock_feed(aioclient_mock)
    _entry().add_to_hass(hass)

    result = await _detect(hass, "https://status.heroku.com/")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_other_addresses_are_not_heroku(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Heroku's detector, asked about another host, sends nothing and declines."""
    source, errors = await async_detect(hass, "status.example.com", [heroku.PROVIDER])

    assert source is None
    assert errors == {"base": "not_a_status_page"}
    assert aioclient_mock.call_count == 0


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"text": "<html><title>Attention Required!</title></html>"}, "access_denied"),
        ({"status": 401}, "access_denied"),
        ({"json": {"page": {"id": "x"}, "components": []}}, "not_a_status_page"),
        ({"status": 429, "headers": {"Retry-After": "30"}}, "rate_limited"),
    ],
    ids=["bot_wall_html", "unauthorized", "other_shape", "rate_limited"],
)
async def test_status_page_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    error: str,
) -> None:
    """The validating poll's failures are form errors; HTML is a bot wall."""
    _mock_feed(aioclient_mock, **answer)

    result = await _detect(hass, "status.heroku.com")

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}


def test_default_poll() -> None:
    """Heroku is polled every 120 s by default."""
    assert heroku.PROVIDER.default_scan_interval == 120


@pytest.mark.freeze_time("2026-05-04T11:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The sensors of Heroku's feed: Apps, Data, Tools, overall, incidents."""
    _mock_feed(aioclient_mock)
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)

    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_states_and_a_component_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """States after setup, then Apps recover and the incidents leave the list."""
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get(APPS).state == "partial_outage"
    assert hass.states.get(DATA).state == "under_maintenance"
    assert hass.states.get(TOOLS).state == "operational"
    assert hass.states.get(PROBLEM).state == STATE_ON
    # Both listed incidents are open, though one says `resolved: true`.
    assert hass.states.get("sensor.heroku_active_incidents").state == "2"
    # The in-progress window is on; the stale one of April is not counted.
    assert hass.states.get("binary_sensor.heroku_maintenance_active").state == STATE_ON
    assert entry.runtime_data.coordinator.configuration_url == (
        "https://status.heroku.com"
    )

    body = _status()
    body["status"][0]["status"] = "green"
    body["incidents"] = []
    aioclient_mock.clear_requests()
    _mock_feed(aioclient_mock, json=body)
    await advance(hass, freezer, POLL)

    assert hass.states.get(APPS).state == "operational"
    assert hass.states.get(OVERALL).state == "under_maintenance"
    assert hass.states.get(PROBLEM).state == STATE_OFF
    assert hass.states.get("sensor.heroku_active_incidents").state == "0"


async def test_stale_window_is_not_in_progress(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Only an ended window is listed: no maintenance is in progress."""
    body = load_json_fixture("heroku/current_status_green.json")
    body["scheduled"] = [_status()["scheduled"][2]]
    _mock_feed(aioclient_mock, json=body)
    await setup_entry(hass, _entry())

    assert hass.states.get("binary_sensor.heroku_maintenance_active").state == (
        STATE_OFF
    )
    assert hass.states.get(OVERALL).state == "operational"


def _broken(mutate: Any) -> dict[str, Any]:
    body = _status()
    mutate(body)
    return {"json": body}


@pytest.mark.parametrize(
    ("answer", "state", "failure"),
    [
        ({"text": "<!DOCTYPE html><p>blocked</p>"}, None, "access_denied"),
        ({"json": {"page": {"id": "x"}, "components": []}}, None, "invalid_response"),
        (_broken(lambda b: b.pop("status")), None, "invalid_response"),
        (
            _broken(lambda b: b["incidents"].__setitem__(0, None)),
            None,
            "invalid_response",
        ),
        ({"text": "x" * (5 * 1024 * 1024 + 1)}, None, "response_too_large"),
        (
            _broken(lambda b: b["status"][0].update(status="purple")),
            STATE_UNKNOWN,
            None,
        ),
    ],
    ids=[
        "html",
        "other_shape",
        "missing_list",
        "null_object",
        "over_5_mb",
        "unknown_status",
    ],
)
async def test_bad_input_makes_entities_unavailable(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
    answer: dict[str, Any],
    state: str | None,
    failure: str | None,
) -> None:
    """Each bad answer fails the poll with a translated reason, removing nothing.

    An unknown color is no failure: that system's state is unknown.
    """
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock_feed(aioclient_mock, **answer)
    await advance(hass, freezer, POLL)

    coordinator = entry.runtime_data.coordinator
    if state is None:
        assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
        assert hass.states.get(APPS).state == STATE_UNAVAILABLE
        assert coordinator.last_exception.translation_key == failure
    else:
        assert hass.states.get(APPS).state == state
        assert hass.states.get(DATA).state == "under_maintenance"
        assert coordinator.last_update_success
    assert entry.state is ConfigEntryState.LOADED
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


async def test_empty_page(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """No systems: theirs go unavailable, none is removed yet."""
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock_feed(aioclient_mock, json={"status": [], "incidents": [], "scheduled": []})
    await advance(hass, freezer, POLL)

    assert hass.states.get(APPS).state == STATE_UNAVAILABLE
    assert hass.states.get(OVERALL).state == STATE_UNKNOWN
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address on Heroku's host is the same feed; another site is not Heroku.

    Heroku has one feed, so no address can name another Heroku page: there is no
    `wrong_page` here, only a form error for an address that is not Heroku's.
    """
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://status.heroku.com/incidents/2120"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == FEED

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.slack.com"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}
    assert entry.data[CONF_URL] == FEED


@pytest.mark.parametrize(
    ("fraction", "overall", "incidents", "maintenance"),
    [
        (0.1, "operational", "0", STATE_OFF),
        (0.3, "partial_outage", "1", STATE_OFF),
        (0.8, "under_maintenance", "0", STATE_ON),
    ],
    ids=["quiet", "incident", "maintenance"],
)
async def test_demo_answer_parses(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    fraction: float,
    overall: str,
    incidents: str,
    maintenance: str,
) -> None:
    """An entry pointed at the demo's feed by its data reads every phase of the story."""
    server = _load_demo_server()
    demo = importlib.import_module("demo_platforms.heroku")
    summary = server.summary_at(fraction * 600, datetime(2026, 1, 1, tzinfo=UTC))
    status, body, _ = demo.respond(demo.FEED_PATH, {}, summary)
    url = f"http://127.0.0.1:8099{demo.PREFIX}/{demo.FEED_PATH}"
    aioclient_mock.get(url, json=body)
    entry = _entry(url)
    await setup_entry(hass, entry)

    assert status == 200
    assert hass.states.get(OVERALL).state == overall
    assert hass.states.get("sensor.heroku_active_incidents").state == incidents
    assert hass.states.get("binary_sensor.heroku_maintenance_active").state == (
        maintenance
    )
    systems = entry.runtime_data.coordinator.data.snapshot.components
    assert len(systems) == sum(1 for c in summary["components"] if not c["group"])
    assert entry.runtime_data.coordinator.configuration_url == (
        "http://127.0.0.1:8099/heroku"
    )
    assert demo.respond("", {}, summary)[0] == 200
    assert demo.respond("nothing", {}, summary) is None


def _load_demo_server() -> ModuleType:
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
