"""Google Cloud in Home Assistant: detection, the product picker, setup, polls, failures.

Bodies: tests/fixtures/google_cloud/ (see tests/api/test_google_cloud.py) and, when
../shared is beside the project, the recorded incidents.json.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime, timedelta
import importlib
import json
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.config_flow import CloudStatusConfigFlow
from custom_components.cloud_status.const import CONF_PRODUCTS, CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import PROVIDERS, google_cloud
from custom_components.cloud_status.providers.detection import async_detect
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_OFF, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er

from ..conftest import SHARED_PAYLOADS, load_json_fixture
from ..helpers import advance, select_options, setup_entry, suggested_value
from .test_gatus import load_demo_server

FEED = "https://status.cloud.google.com"
INCIDENTS = f"{FEED}/incidents.json"
PRODUCTS = f"{FEED}/products.json"
POLL = timedelta(seconds=301)
COMPUTE = "cmp1EngineAaaaaaaaaa"
STORAGE = "gcs2StorageBbbbbbbbb"
BIGQUERY = "bq3QueryCcccccccccc"
GEMINI = "vx4GeminiDddddddddd"
OVERALL = "sensor.google_cloud_overall_status"
ENGINE = "sensor.google_cloud_google_compute_engine"
BQ = "sensor.google_cloud_bigquery"
GCS = "sensor.google_cloud_cloud_storage"
ACTIVE = "sensor.google_cloud_active_incidents"
PROBLEM = "binary_sensor.google_cloud_problem"
SHARED_GCLOUD = sorted((SHARED_PAYLOADS / "vendors").glob("gcloud_*.json"))


@pytest.fixture(autouse=True)
def registered() -> Generator[None]:
    """Register Google Cloud first, and its picker step on the flow."""
    others = {key: value for key, value in PROVIDERS.items() if key != google_cloud.ID}
    with (
        patch.dict(
            PROVIDERS, {google_cloud.ID: google_cloud.PROVIDER, **others}, clear=True
        ),
        patch.object(
            CloudStatusConfigFlow,
            f"async_step_{google_cloud.STEP_PRODUCTS}",
            google_cloud.async_step_products,
            create=True,
        ),
    ):
        yield


def _incidents() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = load_json_fixture("google_cloud/incidents.json")
    return payload


def _mock(
    aioclient_mock: AiohttpClientMocker,
    incidents: Any = None,
    products: Any = None,
    **answer: Any,
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        INCIDENTS,
        **(answer or {"json": _incidents() if incidents is None else incidents}),
    )
    aioclient_mock.get(
        PRODUCTS,
        **(
            products
            if isinstance(products, dict) and "status" in products
            else {"json": products or load_json_fixture("google_cloud/products.json")}
        ),
    )


def _entry(products: list[str] | None = None) -> MockConfigEntry:
    picked = sorted(products or [])
    return MockConfigEntry(
        domain=DOMAIN,
        title="Google Cloud",
        data={CONF_PROVIDER: google_cloud.ID, CONF_URL: FEED, CONF_PRODUCTS: picked},
        unique_id=google_cloud.unique_id(picked),
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


# --- the flow ----------------------------------------------------------------------


@pytest.mark.usefixtures("mock_setup_entry")
async def test_status_page_detects_google_cloud_and_picks_products(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Only Google's feed is asked; the picker lists the products; the entry is SPEC's."""
    _mock(aioclient_mock)

    result = await _detect(hass, "https://status.cloud.google.com/summary")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "google_cloud_products"
    assert [option["label"] for option in select_options(result, CONF_PRODUCTS)] == [
        "BigQuery",
        "Cloud Storage",
        "Google Compute Engine",
        "Vertex Gemini API",
    ]
    assert suggested_value(result, CONF_PRODUCTS) == []
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [PRODUCTS, INCIDENTS]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [GEMINI, COMPUTE]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Google Cloud"
    assert result["result"].unique_id == f"google_cloud:{COMPUTE},{GEMINI}"
    assert result["data"] == {
        CONF_PROVIDER: "google_cloud",
        CONF_URL: FEED,
        CONF_PRODUCTS: [COMPUTE, GEMINI],
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_no_product_picked_is_all_and_twice_is_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An empty selection is `google_cloud:all`; adding it again aborts."""
    _mock(aioclient_mock)
    result = await _detect(hass, "status.cloud.google.com")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "google_cloud:all"
    assert result["data"][CONF_PRODUCTS] == []

    result = await _detect(hass, "status.cloud.google.com")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: []}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param(
            {"text": "<html><body>Access denied</body></html>"},
            "access_denied",
            id="html",
        ),
        pytest.param({"status": 403}, "access_denied", id="403"),
        pytest.param(
            {"json": {"incidents": []}}, "not_a_status_page", id="other-shape"
        ),
    ],
)
async def test_a_refused_feed_is_a_form_error(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    error: str,
) -> None:
    """A bot wall (HTML or 403) says access_denied; another shape not_a_status_page."""
    _mock(aioclient_mock, **answer)
    result = await _detect(hass, "status.cloud.google.com")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "status_page"
    assert result["errors"] == {"base": error}


async def test_other_addresses_are_not_google_cloud(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address is not claimed, and Google's detector sends nothing for it."""
    source, errors = await async_detect(
        hass, "status.example.com", [google_cloud.PROVIDER]
    )
    assert source is None
    assert errors == {"base": "not_a_status_page"}
    assert aioclient_mock.call_count == 0


# --- entities ----------------------------------------------------------------------


async def test_every_product_and_a_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every product has a status; an incident that ends turns it operational."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())

    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get(ENGINE).state == "major_outage"
    assert hass.states.get(BQ).state == "degraded_performance"
    assert hass.states.get(GCS).state == "operational"
    assert hass.states.get(ACTIVE).state == "2"
    listed = hass.states.get(ACTIVE).attributes["incidents"]
    assert listed[0]["name"] == "Compute Engine VM creation failures in us-central1"
    assert listed[0]["components"] == ["Google Compute Engine"]

    incidents = _incidents()
    incidents[0]["end"] = "2026-10-02T10:00:00+00:00"
    _mock(aioclient_mock, incidents)
    await advance(hass, freezer, POLL)

    assert hass.states.get(ENGINE).state == "operational"
    assert hass.states.get(OVERALL).state == "degraded_performance"
    assert hass.states.get(ACTIVE).state == "1"
    # The product list is not read again within the day.
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [INCIDENTS]


async def test_an_incident_outside_the_picked_products_touches_no_entity(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Picked Cloud Storage: the open Compute and BigQuery incidents change nothing."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry([STORAGE]))

    assert hass.states.get(GCS).state == "operational"
    assert hass.states.get(ENGINE) is None
    assert hass.states.get(OVERALL).state == "operational"
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(PROBLEM).state == STATE_OFF


async def test_a_failing_product_list_keeps_the_entities(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A day later the product list fails while the incidents answer: nothing changes."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())

    freezer.tick(timedelta(days=1))
    _mock(aioclient_mock, products={"status": 500})
    await advance(hass, freezer, POLL)

    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [PRODUCTS, INCIDENTS]
    assert hass.states.get(GCS).state == "operational"
    assert hass.states.get(ENGINE).state == "major_outage"


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<!DOCTYPE html><html>bot wall</html>"}, id="html"),
        pytest.param({"json": {"incidents": []}}, id="other-shape"),
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

    _mock(aioclient_mock, **answer)
    await advance(hass, freezer, POLL)

    assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
    assert hass.states.get(ENGINE).state == STATE_UNAVAILABLE
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )

    _mock(aioclient_mock)
    await advance(hass, freezer, POLL)
    assert hass.states.get(ENGINE).state == "major_outage"


async def test_a_bot_wall_at_run_time_is_a_translated_refusal(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """HTML instead of the feed: the poll fails with the translated access_denied."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    _mock(aioclient_mock, text="<html>Please enable JavaScript</html>")
    await advance(hass, freezer, POLL)

    error = entry.runtime_data.coordinator.last_exception
    assert error.translation_key == "access_denied"
    assert error.translation_domain == DOMAIN


async def test_unknown_impact_is_unknown_and_logged_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An impact no table knows: the product's state is unknown, logged once."""
    incidents = _incidents()
    incidents[1]["status_impact"] = "SERVICE_PUZZLE"
    _mock(aioclient_mock, incidents)
    await setup_entry(hass, _entry())
    assert hass.states.get(BQ).state == STATE_UNKNOWN

    incidents[0]["modified"] = "2026-10-02T09:30:00+00:00"
    _mock(aioclient_mock, incidents)
    await advance(hass, freezer, POLL)
    assert caplog.text.count("'SERVICE_PUZZLE'") == 1


# --- reconfigure -------------------------------------------------------------------


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_changes_the_products(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The picker shows the current selection; a new one changes the unique id."""
    _mock(aioclient_mock)
    entry = _entry([STORAGE, "retired0"])
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert suggested_value(result, CONF_PRODUCTS) == [STORAGE, "retired0"]
    assert "retired0" in [
        option["value"] for option in select_options(result, CONF_PRODUCTS)
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [BIGQUERY, STORAGE]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == f"google_cloud:{BIGQUERY},{STORAGE}"
    assert entry.data[CONF_PRODUCTS] == [BIGQUERY, STORAGE]

    # The same selection again keeps the entry's own unique id.
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [STORAGE, BIGQUERY]}
    )
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_keeps_the_entities_and_the_device(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """New products rename the entry, not its entities: same entity ids, one device."""
    _mock(aioclient_mock)
    entry = _entry([STORAGE])
    await setup_entry(hass, entry)
    before = {
        entity.entity_id: entity.unique_id
        for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    entity_registry.async_update_entity(next(iter(before)), name="My renamed sensor")
    # An entity of the entry not named after it is left as it is.
    foreign = entity_registry.async_get_or_create(
        "sensor", DOMAIN, "not-ours", config_entry=entry
    )

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [BIGQUERY, STORAGE]}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    new_prefix = f"google_cloud:{BIGQUERY},{STORAGE}_"
    after = {
        entity.entity_id: entity.unique_id
        for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    # Every entity kept its entity id and moved to the new prefix; the new product
    # adds its own.
    assert set(before) <= set(after)
    assert all(after[entity_id].startswith(new_prefix) for entity_id in before)
    assert entity_registry.async_get(next(iter(before))).name == "My renamed sensor"
    assert entity_registry.async_get(foreign.entity_id).unique_id == "not-ours"
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert [device.identifiers for device in devices] == [
        {(DOMAIN, f"google_cloud:{BIGQUERY},{STORAGE}")}
    ]
    shown = [
        entity_id
        for entity_id in before
        if not entity_registry.async_get(entity_id).disabled
    ]
    assert shown
    assert all(
        hass.states.get(entity_id).state != STATE_UNAVAILABLE for entity_id in shown
    )


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_to_another_entrys_selection_is_refused(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A selection another entry already watches aborts already_configured."""
    _mock(aioclient_mock)
    entry = _entry([STORAGE])
    await setup_entry(hass, entry)
    await setup_entry(hass, _entry())

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.unique_id == f"google_cloud:{STORAGE}"


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_when_the_product_list_fails(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The list cannot be read: the form says so and still offers the selection."""
    _mock(aioclient_mock)
    entry = _entry([STORAGE])
    await setup_entry(hass, entry)
    _mock(aioclient_mock, products={"status": 503})

    result = await entry.start_reconfigure_flow(hass)
    assert result["errors"] == {"base": "cannot_connect"}
    assert [option["value"] for option in select_options(result, CONF_PRODUCTS)] == [
        STORAGE
    ]


# --- the real body and the demo ----------------------------------------------------


@pytest.mark.skipif(not SHARED_GCLOUD, reason="../shared/payloads is absent")
@pytest.mark.parametrize("path", SHARED_GCLOUD, ids=lambda path: path.name)
async def test_set_up_from_the_real_body(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, path: Any
) -> None:
    """The recorded feed through the flow and the picker, then set up (reopened)."""
    body = json.loads(path.read_text(encoding="utf-8"))
    products = {
        "products": [
            product for incident in body for product in incident["affected_products"]
        ]
    }
    picked = products["products"][0]
    _mock(aioclient_mock, body, products)
    result = await _detect(hass, "status.cloud.google.com")
    assert picked["title"] in [
        o["label"] for o in select_options(result, CONF_PRODUCTS)
    ]

    # Set up on the same feed with its incident reopened (`end: null`).
    _mock(aioclient_mock, [{**incident, "end": None} for incident in body], products)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [picked["id"]]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"google_cloud:{picked['id']}"
    assert hass.states.get(OVERALL).state == "degraded_performance"
    assert hass.states.get(ACTIVE).state == "1"
    entity_id = er.async_get(hass).async_get_entity_id(
        "sensor", DOMAIN, f"google_cloud:{picked['id']}_{picked['id']}_component_status"
    )
    assert entity_id is not None
    assert hass.states.get(entity_id).state == "degraded_performance"


async def test_demo_answer_parses(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's Google Cloud view is read by the client, in every phase."""
    server = load_demo_server()
    demo = importlib.import_module("demo_platforms.google_cloud")
    started = datetime(2026, 1, 1, tzinfo=UTC)
    incident = server.summary_at(0.3 * 600, started)
    _, incidents, _ = demo.respond("incidents.json", {}, incident)
    _, products, _ = demo.respond("products.json", {}, incident)
    _mock(aioclient_mock, incidents, products)
    await setup_entry(hass, _entry())
    assert hass.states.get(OVERALL).state == "partial_outage"
    calm = server.summary_at(0.05 * 600, started)
    assert demo.respond("incidents.json", {}, calm)[1] == []
    assert demo.respond("", {}, incident)[0] == 200
    assert demo.respond("nothing", {}, incident) is None
