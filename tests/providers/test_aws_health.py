"""AWS Health in Home Assistant: detection, the region picker, setup, polls, failures.

Bodies: tests/fixtures/aws_health/ (see tests/api/test_aws_health.py), sent UTF-16 with a
byte-order mark as the live feed is, and, when ../shared is beside the project, the
recorded currentevents.
"""

from __future__ import annotations

import codecs
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
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import PROVIDERS, aws_health
from custom_components.cloud_status.providers.aws_health import CONF_REGIONS
from custom_components.cloud_status.providers.detection import async_detect
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL, STATE_OFF, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from ..conftest import SHARED_PAYLOADS, load_json_fixture
from ..helpers import advance, select_options, setup_entry, suggested_value
from .test_gatus import load_demo_server

FEED = "https://health.aws.amazon.com"
EVENTS = f"{FEED}/public/currentevents"
POLL = timedelta(seconds=301)
OVERALL = "sensor.aws_overall_status"
EC2 = "sensor.aws_amazon_elastic_compute_cloud_us_east_1"
LAMBDA = "sensor.aws_aws_lambda_us_east_1"
S3 = "sensor.aws_amazon_simple_storage_service_eu_central_1"
RDS = "sensor.aws_amazon_relational_database_service_us_west_2"
ACTIVE = "sensor.aws_active_incidents"
PROBLEM = "binary_sensor.aws_problem"
SHARED_AWS = sorted((SHARED_PAYLOADS / "vendors").glob("aws_health_*.json"))


@pytest.fixture(autouse=True)
def registered() -> Generator[None]:
    """Register AWS Health first, and its picker step on the flow."""
    others = {key: value for key, value in PROVIDERS.items() if key != aws_health.ID}
    with (
        patch.dict(
            PROVIDERS, {aws_health.ID: aws_health.PROVIDER, **others}, clear=True
        ),
        patch.object(
            CloudStatusConfigFlow,
            f"async_step_{aws_health.STEP_REGIONS}",
            aws_health.async_step_regions,
            create=True,
        ),
    ):
        yield


def _events() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = load_json_fixture("aws_health/currentevents.json")
    return payload


def utf16(value: Any) -> bytes:
    """Encode as the live feed: UTF-16 big-endian with its byte-order mark."""
    return codecs.BOM_UTF16_BE + json.dumps(value).encode("utf-16-be")


def _mock(
    aioclient_mock: AiohttpClientMocker, events: Any = None, **answer: Any
) -> None:
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        EVENTS,
        **(answer or {"content": utf16(_events() if events is None else events)}),
    )


def _entry(regions: list[str] | None = None) -> MockConfigEntry:
    picked = sorted(regions or [])
    return MockConfigEntry(
        domain=DOMAIN,
        title="AWS",
        data={CONF_PROVIDER: aws_health.ID, CONF_URL: FEED, CONF_REGIONS: picked},
        unique_id=aws_health.unique_id(picked),
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
async def test_status_page_detects_aws_and_picks_regions(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Only the AWS feed is asked; the picker lists the regions; the entry is SPEC's."""
    _mock(aioclient_mock)

    result = await _detect(hass, "https://health.aws.amazon.com/health/status")

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "aws_health_regions"
    options = {o["value"]: o["label"] for o in select_options(result, CONF_REGIONS)}
    assert options["eu-central-1"] == "eu-central-1 \u2013 Europe (Frankfurt)"
    assert "global" in options
    assert suggested_value(result, CONF_REGIONS) == []
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [EVENTS]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_REGIONS: ["us-east-1", "eu-central-1"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "AWS"
    assert result["result"].unique_id == "aws_health:eu-central-1,us-east-1"
    assert result["data"] == {
        CONF_PROVIDER: "aws_health",
        CONF_URL: FEED,
        CONF_REGIONS: ["eu-central-1", "us-east-1"],
    }


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_region_only_the_feed_names_is_offered(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A region the built-in list lacks, named by the feed, is offered by its code."""
    events = _events()
    events[0]["arn"] = "arn:aws:health:xx-newplace-1::event/EC2/X/Y"
    events[0]["impacted_services"] = {
        "ec2-xx-newplace-1": {"service_name": "EC2", "current": "2"}
    }
    _mock(aioclient_mock, events)
    result = await _detect(hass, "health.aws.amazon.com")
    options = {o["value"]: o["label"] for o in select_options(result, CONF_REGIONS)}
    assert options["xx-newplace-1"] == "xx-newplace-1"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["result"].unique_id == "aws_health:all"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param(
            {"text": "<html><body>403 ERROR</body></html>"}, "access_denied", id="html"
        ),
        pytest.param({"status": 403}, "access_denied", id="403"),
        pytest.param(
            {"content": json.dumps(_events()).encode("utf-16-le")},
            "not_a_status_page",
            id="utf16-without-bom",
        ),
        pytest.param(
            {"content": utf16(_events())[:-1]}, "not_a_status_page", id="bom-truncated"
        ),
    ],
)
async def test_a_refused_or_broken_feed_is_a_form_error(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    answer: dict[str, Any],
    error: str,
) -> None:
    """A bot wall says access_denied; an undecodable body not_a_status_page."""
    _mock(aioclient_mock, **answer)
    result = await _detect(hass, "health.aws.amazon.com")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "status_page"
    assert result["errors"] == {"base": error}


async def test_other_addresses_are_not_aws(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Another address is not claimed, and the AWS detector sends nothing for it."""
    source, errors = await async_detect(
        hass, "status.example.com", [aws_health.PROVIDER]
    )
    assert source is None
    assert errors == {"base": "not_a_status_page"}
    assert aioclient_mock.call_count == 0


# --- entities ----------------------------------------------------------------------


async def test_every_region_and_a_change(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Services per region have a status; an event that ends turns them operational."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry())

    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get(EC2).state == "partial_outage"
    assert hass.states.get(LAMBDA).state == "degraded_performance"
    assert hass.states.get(S3).state == "major_outage"
    assert hass.states.get(RDS).state == "operational"
    assert hass.states.get(ACTIVE).state == "2"

    events = _events()
    events[1]["status"] = "0"
    events[1]["end_time"] = "1791003600"
    _mock(aioclient_mock, events)
    await advance(hass, freezer, POLL)

    assert hass.states.get(S3).state == "operational"
    assert hass.states.get(OVERALL).state == "partial_outage"
    assert hass.states.get(ACTIVE).state == "1"


async def test_an_event_outside_the_picked_regions_touches_no_entity(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Picked us-west-2: the open us-east-1 and eu-central-1 events change nothing."""
    _mock(aioclient_mock)
    await setup_entry(hass, _entry(["us-west-2"]))

    assert hass.states.get(RDS).state == "operational"
    assert hass.states.get(EC2) is None
    assert hass.states.get(OVERALL).state == "operational"
    assert hass.states.get(ACTIVE).state == "0"
    assert hass.states.get(PROBLEM).state == STATE_OFF


async def test_an_event_with_no_region(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """An event naming no region: listed for an all-regions entry only."""
    events = [*_events(), {"status": "1", "service": "iam", "summary": "Delays"}]
    _mock(aioclient_mock, events)
    await setup_entry(hass, _entry())
    assert hass.states.get(ACTIVE).state == "3"
    assert hass.states.get("sensor.aws_iam").state == "degraded_performance"


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"text": "<!DOCTYPE html><html>bot wall</html>"}, id="html"),
        pytest.param({"content": utf16({"events": []})}, id="other-shape"),
        pytest.param({"content": utf16(None)}, id="missing-list"),
        pytest.param({"content": utf16([None])}, id="null-object"),
        pytest.param({"content": b""}, id="empty-page"),
        pytest.param(
            {"content": json.dumps(_events()).encode("utf-16-le")},
            id="utf16-without-bom",
        ),
        pytest.param({"content": utf16(_events())[:-3]}, id="bom-truncated"),
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
    assert hass.states.get(EC2).state == STATE_UNAVAILABLE
    assert (
        len(er.async_entries_for_config_entry(entity_registry, entry.entry_id))
        == registered
    )

    _mock(aioclient_mock)
    await advance(hass, freezer, POLL)
    assert hass.states.get(EC2).state == "partial_outage"


async def test_a_bot_wall_at_run_time_is_a_translated_refusal(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """CloudFront's HTML instead of the feed: the translated access_denied."""
    _mock(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    _mock(aioclient_mock, text="<html>Request blocked</html>")
    await advance(hass, freezer, POLL)

    error = entry.runtime_data.coordinator.last_exception
    assert error.translation_key == "access_denied"
    assert error.translation_domain == DOMAIN


async def test_unknown_code_is_unknown_and_logged_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A status code no table knows: the service's state is unknown, logged once."""
    events = _events()
    events[0]["impacted_services"]["lambda-us-east-1"]["current"] = "9"
    _mock(aioclient_mock, events)
    await setup_entry(hass, _entry())
    assert hass.states.get(LAMBDA).state == STATE_UNKNOWN

    events[1]["summary"] = "Elevated error rates, recovering"
    _mock(aioclient_mock, events)
    await advance(hass, freezer, POLL)
    assert caplog.text.count("'9'") == 1


# --- reconfigure -------------------------------------------------------------------


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_changes_the_regions(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The picker shows the current selection; a new one changes the unique id."""
    _mock(aioclient_mock)
    entry = _entry(["us-west-2"])
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert suggested_value(result, CONF_REGIONS) == ["us-west-2"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_REGIONS: ["us-west-2", "eu-west-1"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == "aws_health:eu-west-1,us-west-2"
    assert entry.data[CONF_REGIONS] == ["eu-west-1", "us-west-2"]


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_to_another_entrys_selection_is_refused(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A selection another entry already watches aborts already_configured."""
    _mock(aioclient_mock)
    entry = _entry(["us-west-2"])
    await setup_entry(hass, entry)
    await setup_entry(hass, _entry())

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.unique_id == "aws_health:us-west-2"


# --- the real body and the demo ----------------------------------------------------


@pytest.mark.skipif(not SHARED_AWS, reason="../shared/payloads is absent")
@pytest.mark.parametrize("path", SHARED_AWS, ids=lambda path: path.name)
async def test_set_up_from_the_real_body(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker, path: Any
) -> None:
    """The recorded feed (as UTF-16 with a mark) through the flow and the picker."""
    body = json.loads(path.read_text(encoding="utf-8"))
    _mock(aioclient_mock, body)
    result = await _detect(hass, "health.aws.amazon.com")
    assert result["step_id"] == "aws_health_regions"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_REGIONS: ["me-central-1"]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "aws_health:me-central-1"
    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get(ACTIVE).state == "1"
    assert (
        hass.states.get("sensor.aws_amazon_bedrock_me_central_1").state
        == "major_outage"
    )
    assert hass.states.get("sensor.aws_amazon_bedrock_me_south_1") is None


async def test_demo_answer_parses(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The demo server's AWS view is read by the client, in every phase."""
    server = load_demo_server()
    demo = importlib.import_module("demo_platforms.aws_health")
    started = datetime(2026, 1, 1, tzinfo=UTC)
    incident = server.summary_at(0.3 * 600, started)
    _, events, _ = demo.respond("public/currentevents", {}, incident)
    _mock(aioclient_mock, json=events)
    await setup_entry(hass, _entry())
    assert hass.states.get(OVERALL).state == "partial_outage"
    calm = server.summary_at(0.05 * 600, started)
    assert demo.respond("public/currentevents", {}, calm)[1] == []
    assert demo.respond("health/status", {}, incident)[0] == 200
    assert demo.respond("nothing", {}, incident) is None
