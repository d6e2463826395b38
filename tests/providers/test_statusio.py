"""Status.io in Home Assistant: detection (HTML, API address, bare id), setup, polls.

Bodies: tests/fixtures/statusio/ (written from the documented shape; the page HTML by
hand, see tests/api/test_statusio.py).
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

from custom_components.cloud_status.const import CONF_PAGE_ID, CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import statusio
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_UNAVAILABLE, STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import load_fixture, load_json_fixture
from ..helpers import advance, only_platform, setup_entry

BASE = "https://status.acme.example"
PAGE_ID = "6650a1b2c3d4e5f601234500"
OTHER_ID = "6650a1b2c3d4e5f6012345ff"
API_URL = f"https://api.status.io/1.0/status/{PAGE_ID}"
POLL = timedelta(seconds=121)
OVERALL = "sensor.acme_co_status_overall_status"
EU_WEST = "sensor.acme_co_status_website_eu_west"
EVERYTHING_ELSE = re.compile(r".*")


def _status() -> Any:
    return load_json_fixture("statusio/status.json")


def _mock_page(aioclient_mock: AiohttpClientMocker, base: str = BASE) -> None:
    aioclient_mock.get(base, text=load_fixture("statusio/page.html"))


def _mock_api(
    aioclient_mock: AiohttpClientMocker, page_id: str = PAGE_ID, **answer: Any
) -> None:
    aioclient_mock.get(
        f"https://api.status.io/1.0/status/{page_id}", **(answer or {"json": _status()})
    )


def _not_found(aioclient_mock: AiohttpClientMocker) -> None:
    aioclient_mock.get(EVERYTHING_ELSE, status=404)


def _entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Acme & Co Status",
        data={CONF_PROVIDER: statusio.ID, CONF_URL: BASE, CONF_PAGE_ID: PAGE_ID},
        unique_id=f"statusio:{PAGE_ID}",
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
async def test_status_page_detects_statusio_from_html(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Earlier platforms miss (404s); the page's HTML names the id; one API poll."""
    _mock_page(aioclient_mock)
    _mock_api(aioclient_mock)
    _not_found(aioclient_mock)

    result = await _detect(hass, BASE)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Acme & Co Status"
    assert result["result"].unique_id == f"statusio:{PAGE_ID}"
    assert result["data"] == {
        CONF_PROVIDER: "statusio",
        CONF_URL: BASE,
        CONF_PAGE_ID: PAGE_ID,
    }
    asked = [str(call[1]) for call in aioclient_mock.mock_calls]
    assert f"{BASE}/api/v2/summary.json" in asked
    assert f"{BASE}/api/v1/" in asked
    assert asked[-1] == API_URL
    assert asked.count(f"{BASE}/") == 1


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize(
    "raw", [API_URL, PAGE_ID, f"api.status.io/1.0/status/{PAGE_ID}"]
)
async def test_status_page_claims_api_address_and_bare_id(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, raw: str
) -> None:
    """The API address or the bare id: no other platform is asked, title Status.io."""
    _mock_api(aioclient_mock)

    result = await _detect(hass, raw)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Status.io"
    assert result["result"].unique_id == f"statusio:{PAGE_ID}"
    assert result["data"] == {
        CONF_PROVIDER: "statusio",
        CONF_URL: API_URL,
        CONF_PAGE_ID: PAGE_ID,
    }
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [API_URL]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_with_a_broken_api_is_an_error(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The id was found but the API answers another shape: a form error."""
    _mock_api(aioclient_mock, json={"result": None})

    result = await _detect(hass, PAGE_ID)

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
    """The sensors of a Status.io page: components, their containers, overall."""
    _mock_api(aioclient_mock)
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)

    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_states_and_a_component_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """States after setup, then a container recovers on the next poll."""
    _mock_api(aioclient_mock)
    await setup_entry(hass, _entry())

    assert hass.states.get(OVERALL).state == "degraded_performance"
    assert hass.states.get(OVERALL).attributes["description"] == "Degraded Performance"
    assert hass.states.get(EU_WEST).state == "degraded_performance"
    assert hass.states.get(EU_WEST).name == "Acme & Co Status Website \u2013 EU West"
    assert hass.states.get("sensor.acme_co_status_active_incidents").state == "1"
    assert hass.states.get("sensor.acme_co_status_next_maintenance").state == (
        "2026-05-10T22:00:00+00:00"
    )

    body = _status()
    body["result"]["status"][0]["containers"][0]["status_code"] = 100
    aioclient_mock.clear_requests()
    _mock_api(aioclient_mock, json=body)
    await advance(hass, freezer, POLL)

    assert hass.states.get(EU_WEST).state == "operational"


def _broken(mutate: Any) -> dict[str, Any]:
    body = _status()
    mutate(body)
    return {"json": body}


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        ({"text": "<html><body>Status.io maintenance</body></html>"}, None),
        ({"json": {"page": {"id": "x"}, "components": []}}, None),
        (_broken(lambda b: b["result"].pop("status")), None),
        (_broken(lambda b: b["result"].update(status_overall=None)), None),
        ({"text": "x" * (5 * 1024 * 1024 + 1)}, None),
        (
            _broken(
                lambda b: b["result"]["status"][0]["containers"][0].update(
                    status_code=700
                )
            ),
            STATE_UNKNOWN,
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
) -> None:
    """Each bad answer fails the poll (entities unavailable), removing nothing.

    An unknown status code is no failure: that component's state is unknown.
    """
    _mock_api(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock_api(aioclient_mock, **answer)
    await advance(hass, freezer, POLL)

    if state is None:
        assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
        assert hass.states.get(EU_WEST).state == STATE_UNAVAILABLE
    else:
        assert hass.states.get(EU_WEST).state == state
        assert hass.states.get(OVERALL).state == "degraded_performance"
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
    _mock_api(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)
    registered = len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))

    aioclient_mock.clear_requests()
    _mock_api(
        aioclient_mock, json=_broken(lambda b: b["result"].update(status=[]))["json"]
    )
    await advance(hass, freezer, POLL)

    assert hass.states.get(EU_WEST).state == STATE_UNAVAILABLE
    assert hass.states.get(OVERALL).state == "degraded_performance"
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )


async def test_reconfigure(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The same page by its id is taken; another page's id is `wrong_page`.

    The new address's data replaces the old: a mirror the old address named is gone.
    """
    _mock_api(aioclient_mock)
    _mock_api(aioclient_mock, OTHER_ID)
    entry = _entry()
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "api_url": "https://api.status.io/1.0/status/"}
    )
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: PAGE_ID}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_URL] == API_URL
    assert entry.data[CONF_PAGE_ID] == PAGE_ID
    assert "api_url" not in entry.data

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_ID}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data[CONF_PAGE_ID] == PAGE_ID


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_without_an_id_is_not_statusio(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A page whose HTML names no Status.io id is not detected, and no API is asked."""
    aioclient_mock.get(BASE, text="<html><title>Acme</title>status.io fan page</html>")
    _not_found(aioclient_mock)

    result = await _detect(hass, BASE)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}
    assert not any(
        "api.status.io" in str(call[1]) for call in aioclient_mock.mock_calls
    )
