"""Slack in Home Assistant: found by its host, set up, polled, and bad answers.

Bodies: tests/fixtures/slack/ (written from the documented shape, see
tests/api/test_slack.py). The provider is put first in the registry here, where the
lead's registry puts the known vendor hosts.
"""

from __future__ import annotations

from collections.abc import Generator
import copy
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
from custom_components.cloud_status.providers import PROVIDERS, slack
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

FEED = "https://slack-status.com/api/v2.0.0/current"
POLL = timedelta(seconds=121)
OVERALL = "sensor.slack_overall_status"
PROBLEM = "binary_sensor.slack_problem"
MESSAGING = "sensor.slack_messaging"
HUDDLES = "sensor.slack_huddles"
POSTS_FILES = "sensor.slack_posts_files"
EVERYTHING_ELSE = re.compile(r".*")
DEMO_SERVER = Path(__file__).resolve().parents[2] / "scripts" / "demo_status_server.py"


@pytest.fixture(autouse=True)
def registered() -> Generator[None]:
    """Register Slack first, as known vendor hosts come first in detection order."""
    with patch.dict(PROVIDERS, {slack.ID: slack.PROVIDER, **PROVIDERS}, clear=True):
        yield


def _active() -> Any:
    return load_json_fixture("slack/current_active.json")


def _mock_feed(aioclient_mock: AiohttpClientMocker, **answer: Any) -> None:
    aioclient_mock.get(FEED, **(answer or {"json": _active()}))


def _entry(url: str = FEED) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Slack",
        data={CONF_PROVIDER: slack.ID, CONF_URL: url},
        unique_id="slack:slack-status.com",
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
    "raw",
    ["status.slack.com", "https://slack-status.com/", f"{FEED}", "status.slack.com/x"],
)
async def test_status_page_detects_slack_by_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, raw: str
) -> None:
    """Slack's hosts: no other platform is asked; one poll of the real feed."""
    _mock_feed(aioclient_mock)
    aioclient_mock.get(EVERYTHING_ELSE, status=404)

    result = await _detect(hass, raw)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Slack"
    assert result["result"].unique_id == "slack:slack-status.com"
    assert result["data"] == {CONF_PROVIDER: "slack", CONF_URL: FEED}
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [FEED]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_twice_is_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The other host of the same feed is the same entry."""
    _mock_feed(aioclient_mock)
    _entry().add_to_hass(hass)

    result = await _detect(hass, "slack-status.com")

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_other_addresses_are_not_slack(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Slack's detector, asked about another host, sends nothing and declines."""
    source, errors = await async_detect(hass, "status.example.com", [slack.PROVIDER])

    assert source is None
    assert errors == {"base": "not_a_status_page"}
    assert aioclient_mock.call_count == 0


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            {"text": "<!DOCTYPE html><title>Just a moment...</title>"},
            "access_denied",
        ),
        ({"status": 403, "text": "Forbidden"}, "access_denied"),
        ({"json": {"page": {"id": "x"}, "components": []}}, "not_a_status_page"),
        ({"status": 503}, "cannot_connect"),
    ],
    ids=["bot_wall_html", "forbidden", "other_shape", "server_error"],
)
async def test_status_page_errors(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    error: str,
) -> None:
    """The validating poll's failures are form errors; HTML is a bot wall."""
    _mock_feed(aioclient_mock, **answer)

    result = await _detect(hass, "status.slack.com")

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}


def test_default_poll() -> None:
    """Slack is polled every 120 s by default."""
    assert slack.PROVIDER.default_scan_interval == 120


@pytest.mark.freeze_time("2026-05-04T11:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The sensors of Slack's feed: the documented services and one more, overall."""
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
    """States after setup, then the outage ends on the next poll."""
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get(OVERALL).attributes["description"] == (
        "Huddles may fail to connect"
    )
    assert hass.states.get(MESSAGING).state == "major_outage"
    assert hass.states.get(HUDDLES).state == "partial_outage"
    assert hass.states.get(POSTS_FILES).state == "partial_outage"
    assert hass.states.get("sensor.slack_workflows").state == "operational"
    assert hass.states.get(PROBLEM).state == STATE_ON
    assert hass.states.get("sensor.slack_active_incidents").state == "2"
    assert hass.states.get("binary_sensor.slack_maintenance_active").state == STATE_OFF
    device = entry.runtime_data.coordinator.configuration_url
    assert device == "https://slack-status.com"

    body = _active()
    body["active_incidents"] = body["active_incidents"][1:]
    aioclient_mock.clear_requests()
    _mock_feed(aioclient_mock, json=body)
    await advance(hass, freezer, POLL)

    assert hass.states.get(MESSAGING).state == "operational"
    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get("sensor.slack_active_incidents").state == "1"


async def test_a_notice_turns_no_problem_on(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Only a notice is open: operational, no problem, no incident, its title shown."""
    body = _active()
    body["active_incidents"] = [body["active_incidents"][2]]
    _mock_feed(aioclient_mock, json=body)
    await setup_entry(hass, _entry())

    assert hass.states.get(PROBLEM).state == STATE_OFF
    assert hass.states.get("binary_sensor.slack_incident_active").state == STATE_OFF
    assert hass.states.get(OVERALL).state == "operational"
    assert hass.states.get(OVERALL).attributes["description"] == (
        "Changes to how link previews are generated"
    )


def _broken(mutate: Any) -> dict[str, Any]:
    body = _active()
    mutate(body)
    return {"json": body}


@pytest.mark.parametrize(
    ("answer", "state", "failure"),
    [
        ({"text": "<html><body>Just a moment...</body></html>"}, None, "access_denied"),
        ({"json": {"page": {"id": "x"}, "components": []}}, None, "invalid_response"),
        (_broken(lambda b: b.pop("active_incidents")), None, "invalid_response"),
        (
            _broken(lambda b: b["active_incidents"].__setitem__(0, None)),
            None,
            "invalid_response",
        ),
        ({"text": "x" * (5 * 1024 * 1024 + 1)}, None, "response_too_large"),
        (
            _broken(lambda b: b["active_incidents"][0].update(type="maintenance")),
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

    An unknown issue type is no failure: the services it names are unknown.
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
        assert hass.states.get(MESSAGING).state == STATE_UNAVAILABLE
        assert coordinator.last_exception.translation_key == failure
    else:
        assert hass.states.get(MESSAGING).state == state
        assert hass.states.get(HUDDLES).state == "partial_outage"
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
    """Nothing open: the documented services are operational, the extra one goes."""
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock_feed(aioclient_mock, json=load_json_fixture("slack/current_ok.json"))
    await advance(hass, freezer, POLL)

    assert hass.states.get(MESSAGING).state == "operational"
    assert hass.states.get(POSTS_FILES).state == STATE_UNAVAILABLE
    assert hass.states.get(OVERALL).state == "operational"
    assert hass.states.get(PROBLEM).state == STATE_OFF
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Slack's other host is the same feed; another site is not Slack at all.

    Slack has one feed, so no address can name another Slack page: there is no
    `wrong_page` here, only a form error for an address that is not Slack's.
    """
    _mock_feed(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://status.slack.com"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == FEED

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.heroku.com"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}
    assert entry.data[CONF_URL] == FEED


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


@pytest.mark.parametrize(
    ("fraction", "overall", "problem", "description"),
    [
        (0.1, "operational", STATE_OFF, None),
        (0.3, "partial_outage", STATE_ON, "Elevated API error rates"),
        (0.8, "operational", STATE_OFF, "Website hosting upgrade"),
    ],
    ids=["quiet", "incident", "maintenance"],
)
async def test_demo_answer_parses(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    fraction: float,
    overall: str,
    problem: str,
    description: str | None,
) -> None:
    """An entry pointed at the demo's feed by its data reads every phase of the story."""
    server = _load_demo_server()
    demo = importlib.import_module("demo_platforms.slack")
    summary = server.summary_at(fraction * 600, datetime(2026, 1, 1, tzinfo=UTC))
    status, body, _ = demo.respond(demo.FEED_PATH, {}, summary)
    url = f"http://127.0.0.1:8099{demo.PREFIX}/{demo.FEED_PATH}"
    aioclient_mock.get(url, json=body)
    entry = _entry(url)
    await setup_entry(hass, entry)

    assert status == 200
    assert hass.states.get(OVERALL).state == overall
    assert hass.states.get(PROBLEM).state == problem
    assert hass.states.get(OVERALL).attributes["description"] == description
    assert entry.runtime_data.coordinator.configuration_url == (
        "http://127.0.0.1:8099/slack"
    )
    assert demo.respond("", {}, summary)[0] == 200
    assert demo.respond("nothing", {}, summary) is None


def test_demo_names_components_without_an_incident() -> None:
    """A component worse than operational that no incident names gets its own issue."""
    server = _load_demo_server()
    demo = importlib.import_module("demo_platforms.slack")
    summary = copy.deepcopy(
        server.summary_at(0.1 * 600, datetime(2026, 1, 1, tzinfo=UTC))
    )
    member = next(c for c in summary["components"] if c["group_id"])
    member["status"] = "major_outage"
    summary["components"][0]["status"] = "degraded_performance"

    issues = demo.current(summary)["active_incidents"]

    by_id = {issue["id"]: issue for issue in issues}
    assert by_id[f"c-{member['id']}"]["type"] == "outage"
    assert "\u2013" in by_id[f"c-{member['id']}"]["services"][0]
    first = summary["components"][0]
    assert by_id[f"c-{first['id']}"]["type"] == "incident"
    assert by_id[f"c-{first['id']}"]["services"] == [first["name"]]
