"""Better Stack in Home Assistant: detected from its address, set up, polled, bad answers.

Bodies are this project's fixtures (tests/fixtures/betterstack, in the recorded Together AI
shape; see tests/api/test_betterstack.py) and the demo server's Better Stack view.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
import sys
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from yarl import URL

from custom_components.cloud_status.api.betterstack import BetterStackClient
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..conftest import load_json_fixture
from ..helpers import advance, setup_entry

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from demo_platforms import betterstack as demo
import demo_status_server

BASE = "https://status.example.io"
ALIAS = "https://example-cloud.betteruptime.com"
OTHER = "https://status.other.example"
UNIQUE_ID = "betterstack:424242"
POLL = timedelta(seconds=121)
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


def _fixture(name: str = "index_incident.json") -> Any:
    return load_json_fixture(f"betterstack/{name}")


def _mock_page(
    aioclient_mock: AiohttpClientMocker,
    base: str = BASE,
    index: dict[str, Any] | None = None,
) -> None:
    """Answer detection and polls: the probes of earlier platforms get 404s."""
    for path in ("api/v2/summary.json", "api/v1/status", "summary.json"):
        aioclient_mock.get(f"{base}/{path}", status=404)
    aioclient_mock.get(f"{base}/index.json", json=index or _fixture())


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Example Cloud",
        data={CONF_PROVIDER: "betterstack", CONF_URL: BASE},
        unique_id=UNIQUE_ID,
    )


async def _next_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    **answer: Any,
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE}/index.json", **answer)
    await advance(hass, freezer, POLL)


async def test_detected_from_its_address(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """**Any status page** finds Better Stack after three earlier probes said 404."""
    _mock_page(aioclient_mock)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://status.example.io/index.json"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example Cloud"
    assert result["data"] == {CONF_PROVIDER: "betterstack", CONF_URL: BASE}
    assert result["result"].unique_id == UNIQUE_ID
    assert [call[1].path for call in aioclient_mock.mock_calls][:5] == [
        "/api/v2/summary.json",
        "/api/v1/status",
        "/summary.json",
        "/index.json",
        "/index.json",
    ]


@pytest.mark.freeze_time(NOW)
async def test_entities_and_one_component_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Page entities, a sensor per resource (named after their section), one request a poll."""
    _mock_page(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    overall = hass.states.get("sensor.example_cloud_overall_status")
    assert overall is not None
    assert overall.state == "major_outage"
    assert overall.attributes["indicator"] == "downtime"
    incidents = hass.states.get("sensor.example_cloud_active_incidents")
    assert incidents is not None
    assert incidents.state == "1"
    assert incidents.attributes["incidents"][0]["components"] == [
        "API",
        "Regions \u2013 EU West",
    ]
    assert hass.states.get("sensor.example_cloud_next_maintenance").state == (
        "2026-11-27T22:00:00+00:00"
    )
    assert hass.states.get("sensor.example_cloud_regions_eu_west").state == (
        "degraded_performance"
    )
    # not_monitored: the state is unknown.
    assert hass.states.get("sensor.example_cloud_legacy_dashboard").state == (
        STATE_UNKNOWN
    )
    registered = entity_registry.async_get("sensor.example_cloud_api")
    assert registered is not None
    assert registered.unique_id == f"{UNIQUE_ID}_8001_component_status"

    index = _fixture()
    index["included"][2]["attributes"]["status"] = "operational"
    await _next_poll(hass, freezer, aioclient_mock, json=index)

    assert hass.states.get("sensor.example_cloud_api").state == "operational"
    assert aioclient_mock.call_count == 1


@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize(
    "answer",
    [
        {"text": "<!DOCTYPE html><html><body>Just a moment...</body></html>"},
        {"json": {"page": {"status": "UP"}}},
        {"json": {"data": _fixture()["data"]}},
        {"json": {"data": None, "included": []}},
        {"content": b'{"data": null' + b" " * (5 * 1024 * 1024) + b"}"},
    ],
    ids=["html", "other_shape", "missing_list", "null_object", "over_5_mb"],
)
async def test_bad_answers_fail_the_poll(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
    answer: dict[str, Any],
) -> None:
    """Each is a failed poll: every entity unavailable, nothing removed, then recovery."""
    _mock_page(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    await _next_poll(hass, freezer, aioclient_mock, **answer)

    assert hass.states.get("sensor.example_cloud_overall_status").state == (
        STATE_UNAVAILABLE
    )
    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNAVAILABLE
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )

    await _next_poll(hass, freezer, aioclient_mock, json=_fixture())
    assert hass.states.get("sensor.example_cloud_api").state == "major_outage"


@pytest.mark.freeze_time(NOW)
async def test_unknown_status_and_empty_page(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown value is `unknown` and logged; an empty page is still a page."""
    index = _fixture("index_operational.json")
    index["included"][2]["attributes"]["status"] = "on_fire"
    _mock_page(aioclient_mock, index=index)
    await setup_entry(hass, _entry())

    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNKNOWN
    assert "'on_fire'" in caplog.text

    empty = _fixture("index_operational.json")
    empty["included"] = []
    await _next_poll(hass, freezer, aioclient_mock, json=empty)

    assert hass.states.get("sensor.example_cloud_overall_status").state == "operational"
    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNAVAILABLE


async def test_reconfigure_same_page_and_another_page(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The page's other address (same `data.id`) is accepted; another page is refused."""
    _mock_page(aioclient_mock)
    _mock_page(aioclient_mock, ALIAS)
    other = _fixture()
    other["data"]["id"] = "777"
    _mock_page(aioclient_mock, OTHER, index=other)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: ALIAS}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == ALIAS

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"


async def test_demo_answer_reads_with_the_client(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's Better Stack view is what the client reads, at every phase."""
    started = datetime(2026, 1, 1, tzinfo=UTC)
    base = "http://127.0.0.1:8099/betterstack"
    for seconds, overall in (
        (0, "operational"),
        (300, "major_outage"),
        (450, "under_maintenance"),
    ):
        summary = demo_status_server.summary_at(seconds, started)
        answer = demo.respond("index.json", {}, summary)
        assert answer is not None
        aioclient_mock.clear_requests()
        aioclient_mock.get(f"{base}/index.json", json=answer[1])
        client = BetterStackClient(
            async_get_clientsession(hass),
            URL(base),
            clock=lambda at=seconds: started + timedelta(seconds=at),
        )

        snapshot = await client.async_get_snapshot()

        assert snapshot is not None
        assert snapshot.overall_status.value == overall
        assert snapshot.page.name == "Cloud Status Demo"
        assert snapshot.components["cmpdemoeuw01"].display_name == (
            "Regions \u2013 EU West"
        )
        if seconds == 300:
            (incident,) = snapshot.incidents
            assert incident.latest_update is not None
        if seconds == 450:
            assert snapshot.maintenance_in_progress
    summary = demo_status_server.summary_at(0, started)
    page = demo.respond("", {}, summary)
    assert page is not None
    assert "Cloud Status Demo" in page[1]
    assert demo.respond("nothing", {}, summary) is None
