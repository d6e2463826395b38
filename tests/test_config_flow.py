"""Tests for the Cloud Status config and options flows."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import aiohttp
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.config_flow import CloudStatusOptionsFlow
from custom_components.cloud_status.const import (
    CONF_COMPONENTS,
    CONF_PROVIDER,
    DOMAIN,
    Provider,
)
from custom_components.cloud_status.coordinator import CloudStatusCoordinator
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType

from .conftest import PAGE_ID, PAGE_URL, SUMMARY_URL, load_fixture
from .helpers import default_value, suggested_value

TRANSLATIONS = (
    Path(__file__).parents[1]
    / "custom_components"
    / DOMAIN
    / "translations"
    / "en.json"
)
OTHER_PAGE_URL = "https://abcd1234.statuspage.io"
OTHER_SUMMARY_URL = f"{OTHER_PAGE_URL}/api/v2/summary.json"
PAGE_DATA = {CONF_PROVIDER: Provider.STATUSPAGE.value, CONF_URL: PAGE_URL}


def _component_choices(result: FlowResult[Any, str]) -> list[dict[str, str]]:
    """Return the options of the components multi-select."""
    for marker, selector in result["data_schema"].schema.items():
        if marker == CONF_COMPONENTS:
            assert selector.config["multiple"] is True
            return list(selector.config["options"])
    msg = "no components field"
    raise AssertionError(msg)


async def _start_statuspage_flow(hass: HomeAssistant) -> FlowResult[Any, str]:
    """Open the flow and pick the Statuspage menu option."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": Provider.STATUSPAGE.value}
    )


async def test_menu_lists_implemented_providers(hass: HomeAssistant) -> None:
    """The first step is a menu with only the providers that exist."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == [
        "statuspage",
        "statuspage_manage",
        "adobe_status",
        "cloudsigma",
        "photoshop",
    ]

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "statuspage"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage"
    assert result["errors"] == {}
    assert suggested_value(result, CONF_URL) is None


@pytest.mark.parametrize(
    ("pasted", "base_url"),
    [
        ("githubstatus.com", "https://githubstatus.com"),
        ("https://www.githubstatus.com/", "https://www.githubstatus.com"),
        (
            "https://www.githubstatus.com/api/v2/summary.json",
            "https://www.githubstatus.com",
        ),
        ("https://xxxxxxxx.statuspage.io", "https://xxxxxxxx.statuspage.io"),
        ("  http://127.0.0.1:8080  ", "http://127.0.0.1:8080"),
    ],
)
async def test_user_flow_accepts_pasted_urls(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    mock_setup_entry: AsyncMock,
    pasted: str,
    base_url: str,
) -> None:
    """Every form people paste ends as the page's base URL without a trailing slash."""
    aioclient_mock.get(f"{base_url}/api/v2/summary.json", json=summary_payload)
    result = await _start_statuspage_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: pasted}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example"
    assert result["data"] == {CONF_PROVIDER: "statuspage", CONF_URL: base_url}
    assert result["result"].unique_id == f"statuspage:{PAGE_ID}"
    assert result["result"].options == {}
    assert aioclient_mock.call_count == 1
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize(
    "pasted", ["", "   ", "ftp://x", "has space.com", "https://", "http://:8080"]
)
async def test_user_flow_invalid_url_then_recovers(
    hass: HomeAssistant,
    mock_summary: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    pasted: str,
) -> None:
    """An address that cannot be a page is flagged on the field, without a request."""
    result = await _start_statuspage_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: pasted}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage"
    assert result["errors"] == {CONF_URL: "invalid_url"}
    assert suggested_value(result, CONF_URL) == pasted
    assert mock_summary.call_count == 0

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: PAGE_URL}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == PAGE_DATA
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param({"status": 500}, "cannot_connect", id="server_error"),
        pytest.param({"status": 503}, "cannot_connect", id="unavailable"),
        pytest.param({"exc": TimeoutError()}, "cannot_connect", id="timeout"),
        pytest.param(
            {"exc": aiohttp.ClientConnectionError()}, "cannot_connect", id="refused"
        ),
        pytest.param(
            {"text": "<!DOCTYPE html><html><body>Status</body></html>"},
            "not_a_status_page",
            id="html",
        ),
        pytest.param(
            {"text": '{"page": {"id": "examplepage01", "na'},
            "not_a_status_page",
            id="truncated_json",
        ),
        pytest.param({"json": []}, "not_a_status_page", id="wrong_shape"),
        pytest.param(
            {"json": {"page": {"id": "x"}}}, "not_a_status_page", id="no_page_name"
        ),
        pytest.param(
            {
                "text": load_fixture("statuspage_summary_operational.json"),
                "headers": {"Content-Length": str(6 * 1024 * 1024)},
            },
            "not_a_status_page",
            id="too_large",
        ),
        pytest.param({"status": 304}, "not_a_status_page", id="not_modified"),
        pytest.param({"status": 404}, "not_a_status_page", id="not_found"),
        pytest.param({"status": 401}, "invalid_auth", id="unauthorized"),
        pytest.param({"status": 403}, "invalid_auth", id="forbidden"),
        pytest.param(
            {"status": 429, "headers": {"Retry-After": "30"}},
            "rate_limited",
            id="rate_limited",
        ),
    ],
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
    error: str,
) -> None:
    """Each failure of the real client maps to a form error; a retry then succeeds."""
    aioclient_mock.get(SUMMARY_URL, **answer)
    result = await _start_statuspage_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.com/"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage"
    assert result["errors"] == {"base": error}
    assert suggested_value(result, CONF_URL) == "status.example.com/"
    assert aioclient_mock.call_count == 1
    assert mock_setup_entry.mock_calls == []

    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.com/"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example"
    assert result["data"] == PAGE_DATA
    assert result["result"].unique_id == f"statuspage:{PAGE_ID}"
    assert len(mock_setup_entry.mock_calls) == 1


async def test_user_flow_unexpected_error_then_recovers(
    hass: HomeAssistant,
    mock_summary: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug in the client is logged with its traceback and shown as `unknown`."""
    result = await _start_statuspage_flow(hass)

    with patch(
        "custom_components.cloud_status.validation.StatuspageClient.async_get_summary",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: PAGE_URL}
        )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while validating a Statuspage address" in caplog.text
    assert "RuntimeError: boom" in caplog.text

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: PAGE_URL}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == PAGE_DATA
    assert len(mock_setup_entry.mock_calls) == 1


async def test_user_flow_already_configured(
    hass: HomeAssistant,
    mock_summary: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The same page, even under another spelling of its address, is added once."""
    mock_config_entry.add_to_hass(hass)
    result = await _start_statuspage_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "status.example.com/api/v2/summary.json"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1
    assert mock_config_entry.data == PAGE_DATA
    assert mock_setup_entry.mock_calls == []


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_moves_entry_to_new_address(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
) -> None:
    """A new address of the same page is stored and the entry reloads onto it."""
    entry = init_integration
    old_coordinator: CloudStatusCoordinator = entry.runtime_data
    aioclient_mock.get(OTHER_SUMMARY_URL, json=summary_payload)

    result = await entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {}
    assert result["description_placeholders"] == {"name": "Example"}
    assert suggested_value(result, CONF_URL) == PAGE_URL

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: f"{OTHER_PAGE_URL}/"}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == {CONF_PROVIDER: "statuspage", CONF_URL: OTHER_PAGE_URL}
    assert entry.unique_id == f"statuspage:{PAGE_ID}"
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not old_coordinator
    assert str(entry.runtime_data.client.base_url) == f"{OTHER_PAGE_URL}/"
    # One request from the flow, one from the reloaded entry's first refresh.
    assert [str(call[1]) for call in aioclient_mock.mock_calls].count(
        OTHER_SUMMARY_URL
    ) == 2


async def test_reconfigure_other_page_aborts(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """An address that belongs to another page leaves the entry untouched."""
    mock_config_entry.add_to_hass(hass)
    summary_payload["page"]["id"] = "otherpage999"
    aioclient_mock.get(OTHER_SUMMARY_URL, json=summary_payload)

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_PAGE_URL}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert mock_config_entry.data == PAGE_DATA
    assert mock_setup_entry.mock_calls == []


async def test_reconfigure_error_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
) -> None:
    """Reconfigure shares the validation: an error re-shows the input, a retry works."""
    mock_config_entry.add_to_hass(hass)
    aioclient_mock.get(OTHER_SUMMARY_URL, status=500)

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_PAGE_URL}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "cannot_connect"}
    assert suggested_value(result, CONF_URL) == OTHER_PAGE_URL

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "ftp://status.example.com"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_URL: "invalid_url"}

    aioclient_mock.clear_requests()
    aioclient_mock.get(OTHER_SUMMARY_URL, json=summary_payload)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_PAGE_URL}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_URL] == OTHER_PAGE_URL
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.usefixtures("no_platforms")
async def test_options_on_loaded_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A loaded entry offers its page's components; saving stores options and reloads."""
    entry = init_integration
    old_coordinator: CloudStatusCoordinator = entry.runtime_data
    # A selected component the page no longer lists stays visible so it can be removed.
    hass.config_entries.async_update_entry(
        entry, options={CONF_SCAN_INTERVAL: 90, CONF_COMPONENTS: ["cmpgone00001"]}
    )

    result = await hass.config_entries.options.async_init(entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert default_value(result, CONF_SCAN_INTERVAL) == 90
    assert suggested_value(result, CONF_COMPONENTS) == ["cmpgone00001"]
    assert _component_choices(result) == [
        {"value": "cmpapi000001", "label": "API"},
        {"value": "cmpgone00001", "label": "cmpgone00001"},
        {"value": "grpregions01", "label": "Regions"},
        {"value": "cmpeuw000001", "label": "Regions \u2013 EU West"},
        {"value": "cmpuse000001", "label": "Regions \u2013 US East"},
        {"value": "cmpweb000001", "label": "Website"},
    ]

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_SCAN_INTERVAL: 120.0, CONF_COMPONENTS: ["cmpapi000001", "cmpeuw000001"]},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {
        CONF_SCAN_INTERVAL: 120,
        CONF_COMPONENTS: ["cmpapi000001", "cmpeuw000001"],
    }
    assert isinstance(entry.options[CONF_SCAN_INTERVAL], int)
    assert entry.state is ConfigEntryState.LOADED
    new_coordinator: CloudStatusCoordinator = entry.runtime_data
    assert new_coordinator is not old_coordinator
    assert new_coordinator.update_interval == timedelta(seconds=120)
    assert new_coordinator.selected_component_ids == frozenset(
        {"cmpapi000001", "cmpeuw000001"}
    )


@pytest.mark.usefixtures("no_platforms")
async def test_options_defaults_and_interval_bounds(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without options the provider's default interval and "all components" are shown."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert default_value(result, CONF_SCAN_INTERVAL) == 60
    assert suggested_value(result, CONF_COMPONENTS) == []
    for marker, selector in result["data_schema"].schema.items():
        if marker == CONF_SCAN_INTERVAL:
            assert selector.config["min"] == 30
            assert selector.config["max"] == 3600
            assert selector.config["unit_of_measurement"] == "s"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 60}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {CONF_SCAN_INTERVAL: 60, CONF_COMPONENTS: []}


async def test_options_on_entry_not_loaded(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """An entry that is not loaded offers only the ids already selected."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Example",
        data=PAGE_DATA,
        unique_id=f"statuspage:{PAGE_ID}",
        options={
            CONF_SCAN_INTERVAL: 300,
            CONF_COMPONENTS: ["cmpweb000001", "cmpapi000001"],
        },
    )
    entry.add_to_hass(hass)
    assert entry.state is ConfigEntryState.NOT_LOADED

    result = await hass.config_entries.options.async_init(entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert default_value(result, CONF_SCAN_INTERVAL) == 300
    assert suggested_value(result, CONF_COMPONENTS) == ["cmpweb000001", "cmpapi000001"]
    assert _component_choices(result) == [
        {"value": "cmpapi000001", "label": "cmpapi000001"},
        {"value": "cmpweb000001", "label": "cmpweb000001"},
    ]

    # Clearing the selection omits the field: that means every component.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 45}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 45, CONF_COMPONENTS: []}
    # OptionsFlowWithReload reloads on change, which sets the entry up.
    assert len(mock_setup_entry.mock_calls) == 1


async def test_options_flow_class(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """The options flow reloads the entry itself; no update listener is needed."""
    mock_config_entry.add_to_hass(hass)

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    flow = hass.config_entries.options._progress[result["flow_id"]]

    assert isinstance(flow, CloudStatusOptionsFlow)
    assert flow.automatic_reload is True
    assert mock_config_entry.update_listeners == []
    assert mock_config_entry.supports_reconfigure is True
    assert mock_config_entry.supports_options is True


def test_flow_translations_exist() -> None:
    """Every step, field, error and abort the flows use has English text."""
    strings = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    config = strings["config"]

    assert set(config["step"]["user"]["menu_options"]) == {
        "statuspage",
        "statuspage_manage",
        "adobe_status",
        "cloudsigma",
        "photoshop",
    }
    for step in config["step"].values():
        assert step["title"]
        assert set(step.get("data_description", {})) <= set(step.get("data", {}))
    assert "{name}" in config["step"]["reconfigure"]["description"]
    assert "{name}" in config["step"]["reauth_confirm"]["description"]
    assert {
        "invalid_url",
        "cannot_connect",
        "not_a_status_page",
        "invalid_auth",
        "no_pages",
        "rate_limited",
        "invalid_private_key",
        "unknown",
    } <= set(config["error"])
    assert {
        "already_configured",
        "reauth_successful",
        "reconfigure_successful",
        "wrong_page",
    } <= set(config["abort"])
    assert set(strings["selector"]["auth_method"]["options"]) == {"oauth", "jwt"}
    init = strings["options"]["step"]["init"]
    assert set(init["data"]) == {CONF_SCAN_INTERVAL, CONF_COMPONENTS}
    assert set(init["data_description"]) == {CONF_SCAN_INTERVAL, CONF_COMPONENTS}
