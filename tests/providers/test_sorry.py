"""Sorry\u2122 in Home Assistant: detection by the status_page step, setup, polls, failures.

The bodies are tests/fixtures/sorry/, written from the documented shape (no recorded
Sorry body exists; see tests/api/test_sorry.py).
"""

from __future__ import annotations

from datetime import timedelta
import re
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
from custom_components.cloud_status.providers import sorry
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_json_fixture
from ..helpers import advance, only_platform, setup_entry

BASE = "https://status.acme.example"
OTHER = "https://status.other.example"
POLL = timedelta(seconds=121)
OVERALL = "sensor.acme_status_overall_status"
API = "sensor.acme_status_platform_api"
EVERYTHING_ELSE = re.compile(r".*")


def _fixture(name: str) -> Any:
    return load_json_fixture(f"sorry/{name}")


def _mock(
    aioclient_mock: AiohttpClientMocker,
    base: str = BASE,
    *,
    page: Any = None,
    components: Any = None,
    notices: Any = None,
    **answer: Any,
) -> None:
    """Answer a Sorry page at `base`; `answer` replaces the first component page."""
    aioclient_mock.get(f"{base}/api/v1/", json=page or _fixture("page.json"))
    if answer:
        aioclient_mock.get(f"{base}/api/v1/components?page=1", **answer)
    else:
        aioclient_mock.get(
            f"{base}/api/v1/components?page=1",
            json=components or _fixture("components_page1.json"),
        )
    aioclient_mock.get(
        f"{base}/api/v1/components?page=2", json=_fixture("components_page2.json")
    )
    aioclient_mock.get(
        f"{base}/api/v1/notices?timeline_state=present",
        json=notices or _fixture("notices_present.json"),
    )


def _not_found(aioclient_mock: AiohttpClientMocker) -> None:
    """Every other request (the earlier platforms' probes) answers 404."""
    aioclient_mock.get(EVERYTHING_ELSE, status=404)


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Acme Status",
        data={CONF_PROVIDER: sorry.ID, CONF_URL: BASE},
        unique_id="sorry:status.acme.example",
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
async def test_status_page_detects_sorry(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Earlier probes miss (CloudSigma refuses a `page` at /api/v1/status); Sorry wins."""
    aioclient_mock.get(f"{BASE}/api/v1/status", json=_fixture("page.json"))
    _mock(aioclient_mock)
    _not_found(aioclient_mock)

    result = await _detect(hass, f"{BASE}/api/v1/")

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Acme Status"
    assert result["result"].unique_id == "sorry:status.acme.example"
    assert result["data"] == {CONF_PROVIDER: "sorry", CONF_URL: BASE}
    asked = [str(call[1]) for call in aioclient_mock.mock_calls]
    assert f"{BASE}/api/v2/summary.json" in asked
    assert f"{BASE}/api/v1/status" in asked
    # Detection's one request, then the validating poll: page, two pages, notices.
    assert asked[-5:] == [
        f"{BASE}/api/v1/",
        f"{BASE}/api/v1/",
        f"{BASE}/api/v1/components?page=1",
        f"{BASE}/api/v1/components?page=2",
        f"{BASE}/api/v1/notices?timeline_state=present",
    ]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_with_a_broken_poll_is_an_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A page that is Sorry but whose components do not parse: a form error."""
    _mock(aioclient_mock, components={"meta": {}})
    _not_found(aioclient_mock)

    result = await _detect(hass, BASE)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}


@pytest.mark.freeze_time("2026-05-04T11:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The sensors of a Sorry page: overall, counts, one per component."""
    _mock(aioclient_mock)
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)

    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_states_and_a_component_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """States after setup, then one component recovers on the next poll."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())

    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get(API).state == "partial_outage"
    assert hass.states.get(API).name == "Acme Status Platform \u2013 API"
    assert hass.states.get("sensor.acme_status_active_incidents").state == "1"
    assert hass.states.get("binary_sensor.acme_status_maintenance_active").state == "on"

    components = _fixture("components_page1.json")
    components["components"][1]["state"] = "operational"
    aioclient_mock.clear_requests()
    _mock(aioclient_mock, components=components)
    await advance(hass, freezer, POLL)

    assert hass.states.get(API).state == "operational"


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        ({"text": "<html><body>Down for maintenance</body></html>"}, None),
        ({"json": {"data": [{"id": 1}]}}, None),
        ({"json": {"meta": {"next_page": None}}}, None),
        ({"json": {"components": None}}, None),
        ({"json": {"components": [None]}}, None),
        ({"text": "x" * (5 * 1024 * 1024 + 1)}, None),
        (
            {"json": {"components": [{"id": 2, "state": "on_fire", "parent_id": 1}]}},
            STATE_UNKNOWN,
        ),
    ],
    ids=[
        "html",
        "other_shape",
        "missing_list",
        "null_list",
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
) -> None:
    """Each bad answer fails the poll (entities unavailable), removing nothing.

    An unknown status is no failure: that component's state is unknown.
    """
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock(aioclient_mock, **answer)
    await advance(hass, freezer, POLL)

    if state is None:
        assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
        assert hass.states.get(API).state == STATE_UNAVAILABLE
    else:
        assert hass.states.get(API).state == state
        assert hass.states.get(OVERALL).state == "partial_outage"
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
    """A page with no components: theirs go unavailable, none is removed yet."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock(aioclient_mock, json={"components": [], "meta": {"next_page": None}})
    await advance(hass, freezer, POLL)

    assert hass.states.get(API).state == STATE_UNAVAILABLE
    assert hass.states.get(OVERALL).state == "partial_outage"
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address of the same page is taken; another page is `wrong_page`."""
    _mock(aioclient_mock)
    _mock(aioclient_mock, OTHER)
    _not_found(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.acme.example/api/v1/components"}
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
