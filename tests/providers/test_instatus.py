"""Instatus in Home Assistant: detected from its address, set up, polled, bad answers, reconfigure.

Bodies are this project's fixtures (tests/fixtures/instatus, built from the documented
shape; see tests/api/test_instatus.py) and the demo server's Instatus view.
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

from custom_components.cloud_status.api.instatus import InstatusClient
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
from demo_platforms import instatus as demo
import demo_status_server

BASE = "https://status.example.io"
OTHER = "https://status.other.example"
UNIQUE_ID = "instatus:status.example.io"
POLL = timedelta(seconds=121)
NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


def _fixture(name: str) -> Any:
    return load_json_fixture(f"instatus/{name}")


def _mock_page(
    aioclient_mock: AiohttpClientMocker,
    base: str = BASE,
    *,
    summary: dict[str, Any] | None = None,
    components: dict[str, Any] | None = None,
    name: str = "Example Cloud",
) -> None:
    """Answer what detection and a poll ask: earlier platforms' probes get 404s."""
    aioclient_mock.get(f"{base}/api/v2/summary.json", status=404)
    aioclient_mock.get(f"{base}/api/v1/status", status=404)
    body = summary or _fixture("summary_hasissues.json")
    body["page"]["name"] = name
    aioclient_mock.get(f"{base}/summary.json", json=body)
    aioclient_mock.get(
        f"{base}/v2/components.json", json=components or _fixture("components_v2.json")
    )


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Example Cloud",
        data={CONF_PROVIDER: "instatus", CONF_URL: BASE},
        unique_id=UNIQUE_ID,
    )


async def _next_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    summary: dict[str, Any],
    components: Any,
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{BASE}/summary.json", json=summary)
    aioclient_mock.get(f"{BASE}/v2/components.json", **components)
    await advance(hass, freezer, POLL)


async def test_detected_from_its_address(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """**Any status page** finds Instatus after Statuspage and CloudSigma said 404."""
    _mock_page(aioclient_mock)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.io/summary.json"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example Cloud"
    assert result["data"] == {CONF_PROVIDER: "instatus", CONF_URL: BASE}
    assert result["result"].unique_id == UNIQUE_ID
    paths = [call[1].path for call in aioclient_mock.mock_calls]
    # Two probes that found nothing, the detecting probe, then the validating poll.
    assert paths[:5] == [
        "/api/v2/summary.json",
        "/api/v1/status",
        "/summary.json",
        "/summary.json",
        "/v2/components.json",
    ]


@pytest.mark.freeze_time(NOW)
async def test_entities_and_one_component_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The page's entities and one per component; a changed component follows a poll."""
    _mock_page(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    state = hass.states.get("sensor.example_cloud_overall_status")
    assert state is not None
    assert state.state == "partial_outage"
    assert state.attributes["indicator"] == "HASISSUES"
    assert hass.states.get("sensor.example_cloud_active_incidents").state == "1"
    assert (
        hass.states.get("binary_sensor.example_cloud_maintenance_active").state == "on"
    )
    assert hass.states.get("sensor.example_cloud_next_maintenance").state == (
        "2026-11-27T22:00:00+00:00"
    )
    assert hass.states.get("sensor.example_cloud_regions_eu_west").state == (
        "partial_outage"
    )
    assert hass.states.get("sensor.example_cloud_api").state == "partial_outage"
    device = entity_registry.async_get("sensor.example_cloud_api")
    assert device is not None
    assert (
        device.unique_id == f"{UNIQUE_ID}_clyi6jhgg31469ihojbwbsmeeg_component_status"
    )

    components = _fixture("components_v2.json")
    components["components"][0]["status"] = "OPERATIONAL"
    await _next_poll(
        hass,
        freezer,
        aioclient_mock,
        _fixture("summary_hasissues.json"),
        {"json": components},
    )

    assert hass.states.get("sensor.example_cloud_api").state == "operational"
    assert aioclient_mock.call_count == 2


@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize(
    "answer",
    [
        {"text": "<!DOCTYPE html><html><body>Just a moment...</body></html>"},
        {"json": {"data": {"type": "status_page"}}},
        {"json": {"components": None}},
        {"json": {"components": [None]}},
        # Valid JSON of an empty page, padded past the 5 MB cap.
        {"content": b'{"components": []' + b" " * (5 * 1024 * 1024) + b"}"},
    ],
    ids=["html", "other_shape", "missing_list", "null_object", "over_5_mb"],
)
async def test_bad_component_answers_fail_the_poll(
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

    await _next_poll(hass, freezer, aioclient_mock, _fixture("summary_up.json"), answer)

    assert hass.states.get("sensor.example_cloud_overall_status").state == (
        STATE_UNAVAILABLE
    )
    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNAVAILABLE
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )

    await _next_poll(
        hass,
        freezer,
        aioclient_mock,
        _fixture("summary_up.json"),
        {"json": _fixture("components_v2.json")},
    )
    assert hass.states.get("sensor.example_cloud_api").state == "partial_outage"


@pytest.mark.freeze_time(NOW)
@pytest.mark.parametrize(
    "summary",
    [{"page": None}, {"page": {"status": "UP"}, "activeIncidents": "none"}],
    ids=["null_page", "incidents_not_a_list"],
)
async def test_bad_summary_fails_the_poll(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary: dict[str, Any],
) -> None:
    """`null` where the page object is, or a list that is not one: a failed poll."""
    _mock_page(aioclient_mock)
    await setup_entry(hass, _entry())

    await _next_poll(
        hass,
        freezer,
        aioclient_mock,
        summary,
        {"json": _fixture("components_v2.json")},
    )

    assert hass.states.get("sensor.example_cloud_overall_status").state == (
        STATE_UNAVAILABLE
    )


@pytest.mark.freeze_time(NOW)
async def test_unknown_status_and_empty_page(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown value is `unknown` and logged once; an empty page is a valid page."""
    components = _fixture("components_v2.json")
    components["components"][0]["status"] = "ONFIRE"
    _mock_page(
        aioclient_mock, summary=_fixture("summary_up.json"), components=components
    )
    await setup_entry(hass, _entry())

    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNKNOWN
    assert "'ONFIRE'" in caplog.text

    await _next_poll(
        hass,
        freezer,
        aioclient_mock,
        _fixture("summary_up.json"),
        {"json": {"components": []}},
    )

    assert hass.states.get("sensor.example_cloud_overall_status").state == "operational"
    # A component that disappears is unavailable at once, not removed.
    assert hass.states.get("sensor.example_cloud_api").state == STATE_UNAVAILABLE


async def test_reconfigure_same_page_and_another_page(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address form of the same page is accepted; another page is refused."""
    _mock_page(aioclient_mock)
    _mock_page(aioclient_mock, OTHER, name="Other")
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://status.example.io/v2/components.json"}
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


async def test_demo_answer_reads_with_the_client(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's Instatus view is what the client reads, at every phase."""
    started = datetime(2026, 1, 1, tzinfo=UTC)
    base = "http://127.0.0.1:8099/instatus"
    for seconds, overall in (
        (0, "operational"),
        (300, "partial_outage"),
        (450, "under_maintenance"),
    ):
        summary = demo_status_server.summary_at(seconds, started)
        aioclient_mock.clear_requests()
        for path in ("summary.json", "v2/components.json", "nothing"):
            answer = demo.respond(path, {}, summary)
            if answer is None:
                assert path == "nothing"
                continue
            aioclient_mock.get(f"{base}/{path}", json=answer[1])
        client = InstatusClient(async_get_clientsession(hass), URL(base))

        snapshot = await client.async_get_snapshot()

        assert snapshot is not None
        assert snapshot.overall_status.value == overall
        assert snapshot.page.name == "Cloud Status Demo"
        assert (
            snapshot.components["cmpdemoeuw01"].display_name == "Regions \u2013 EU West"
        )
        if seconds == 300:
            (incident,) = snapshot.incidents
            assert incident.started_at == started + timedelta(minutes=2)
        if seconds == 450:
            assert snapshot.maintenance_in_progress
    page = demo.respond("", {}, demo_status_server.summary_at(0, started))
    assert page is not None
    assert "<title>Cloud Status Demo</title>" in page[1]
