"""Tests for the Cloud Status config and options flows."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import AsyncMock, patch

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import voluptuous as vol

from custom_components.cloud_status.const import (
    CONF_AUTH_METHOD,
    CONF_COMPONENTS,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    DOMAIN,
    AuthMethod,
)
from custom_components.cloud_status.coordinator import CloudStatusCoordinator
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_SCAN_INTERVAL,
    CONF_URL,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.setup import async_setup_component

from .conftest import PAGE_ID, PAGE_URL, SUMMARY_URL, load_fixture, load_json_fixture
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
PAGE_DATA = {CONF_PROVIDER: "statuspage", CONF_URL: PAGE_URL}


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
        result["flow_id"], {"next_step_id": "statuspage"}
    )


async def test_menu_lists_implemented_providers(hass: HomeAssistant) -> None:
    """The first step is a menu: catalog, any status page, then each provider's form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )

    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "user"
    assert result["menu_options"] == [
        "catalog",
        "status_page",
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
        # No credential was sent: a refusal is the server's door, not a wrong key.
        pytest.param({"status": 401}, "access_denied", id="unauthorized"),
        pytest.param({"status": 403}, "access_denied", id="forbidden"),
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
        "custom_components.cloud_status.providers.statuspage.StatuspageClient.async_get_summary",
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
    old_coordinator: CloudStatusCoordinator = entry.runtime_data.coordinator
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
    assert entry.runtime_data.coordinator is not old_coordinator
    assert str(entry.runtime_data.coordinator.client.base_url) == f"{OTHER_PAGE_URL}/"
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
    old_coordinator: CloudStatusCoordinator = entry.runtime_data.coordinator
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
    new_coordinator: CloudStatusCoordinator = entry.runtime_data.coordinator
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


@pytest.mark.usefixtures("no_platforms")
async def test_options_reload_the_entry_without_an_update_listener(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Saving changed options reloads the entry; saving them unchanged does not."""
    entry = init_integration
    first: CloudStatusCoordinator = entry.runtime_data.coordinator
    assert entry.update_listeners == []
    assert entry.supports_reconfigure is True
    assert entry.supports_options is True

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300, CONF_COMPONENTS: []}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_SCAN_INTERVAL: 300, CONF_COMPONENTS: []}
    assert entry.state is ConfigEntryState.LOADED
    second: CloudStatusCoordinator = entry.runtime_data.coordinator
    assert second is not first
    assert second.update_interval == timedelta(seconds=300)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 300, CONF_COMPONENTS: []}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.runtime_data.coordinator is second


# --- refusals: access_denied without a credential, invalid_auth with one -------------

CLOUDSIGMA_URL = "https://statuspage.cloudsigma.com"
CLOUDSIGMA_STATUS_URL = f"{CLOUDSIGMA_URL}/api/v1/status"
CLOUDSIGMA_KEY = "sk_live_cloudsigma_0123456789"
NEW_CLOUDSIGMA_KEY = "sk_live_cloudsigma_renewed_42"
CLOUDSIGMA_UNIQUE_ID = "cloudsigma:statuspage.cloudsigma.com"
REFUSALS = [
    pytest.param({"status": 401, "json": {"detail": "Not authenticated"}}, id="401"),
    pytest.param({"status": 403, "text": "<html>Access denied</html>"}, id="403"),
]
# Addresses the IDNA codec cannot decode: the form must say so, not crash.
UNDECODABLE_URLS = ["http://xn--", "https://xn--/api/v2/summary.json"]


def _mock_cloudsigma(
    aioclient_mock: AiohttpClientMocker, status: dict[str, Any] | None = None
) -> None:
    """Answer every CloudSigma endpoint a full poll reads (`status` replaces /status)."""
    aioclient_mock.get(
        CLOUDSIGMA_STATUS_URL,
        **(status or {"json": load_json_fixture("cloudsigma_status_outage.json")}),
    )
    for path, fixture in (
        ("components", "cloudsigma_components_small.json"),
        ("incidents", "cloudsigma_incidents.json"),
        ("maintenances", "cloudsigma_maintenances.json"),
    ):
        aioclient_mock.get(
            f"{CLOUDSIGMA_URL}/api/v1/{path}", json=load_json_fixture(fixture)
        )


def _cloudsigma_entry(api_key: str | None = None) -> MockConfigEntry:
    data: dict[str, Any] = {
        CONF_PROVIDER: "cloudsigma",
        CONF_URL: CLOUDSIGMA_URL,
    }
    if api_key is not None:
        data[CONF_API_KEY] = api_key
    return MockConfigEntry(
        domain=DOMAIN, title="CloudSigma", data=data, unique_id=CLOUDSIGMA_UNIQUE_ID
    )


async def _start_cloudsigma_flow(hass: HomeAssistant) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "cloudsigma"}
    )


def _authorizations(aioclient_mock: AiohttpClientMocker) -> list[str | None]:
    """Return the Authorization header of every request sent, in order."""
    return [(call[3] or {}).get("Authorization") for call in aioclient_mock.mock_calls]


@pytest.mark.parametrize("answer", REFUSALS)
async def test_statuspage_reconfigure_refused_is_access_denied(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    summary_payload: dict[str, Any],
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
) -> None:
    """A new address that turns the request away is `access_denied`: no key was sent."""
    mock_config_entry.add_to_hass(hass)
    aioclient_mock.get(OTHER_SUMMARY_URL, **answer)

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_PAGE_URL}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "access_denied"}
    assert suggested_value(result, CONF_URL) == OTHER_PAGE_URL
    assert _authorizations(aioclient_mock) == [None]
    assert mock_config_entry.data == PAGE_DATA

    aioclient_mock.clear_requests()
    aioclient_mock.get(OTHER_SUMMARY_URL, json=summary_payload)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_PAGE_URL}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert mock_config_entry.data[CONF_URL] == OTHER_PAGE_URL


@pytest.mark.parametrize("answer", REFUSALS)
@pytest.mark.parametrize(
    ("api_key", "authorization", "error"),
    [
        pytest.param(None, None, "access_denied", id="without_key"),
        pytest.param("   ", None, "access_denied", id="blank_key"),
        pytest.param(
            CLOUDSIGMA_KEY, f"Bearer {CLOUDSIGMA_KEY}", "invalid_auth", id="with_key"
        ),
    ],
)
async def test_cloudsigma_refusal_names_the_key_only_when_one_was_sent(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
    api_key: str | None,
    authorization: str | None,
    error: str,
) -> None:
    """A refused /status is `invalid_auth` with a key, `access_denied` without one."""
    aioclient_mock.get(CLOUDSIGMA_STATUS_URL, **answer)
    user_input = {CONF_URL: CLOUDSIGMA_URL}
    if api_key is not None:
        user_input[CONF_API_KEY] = api_key
    result = await _start_cloudsigma_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "cloudsigma"
    assert result["errors"] == {"base": error}
    assert _authorizations(aioclient_mock) == [authorization]

    aioclient_mock.clear_requests()
    _mock_cloudsigma(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"].get(CONF_API_KEY) == ((api_key or "").strip() or None)


@pytest.mark.parametrize("answer", REFUSALS)
@pytest.mark.parametrize(
    ("stored_key", "error"),
    [
        pytest.param(None, "access_denied", id="without_key"),
        pytest.param(CLOUDSIGMA_KEY, "invalid_auth", id="stored_key"),
    ],
)
async def test_cloudsigma_reconfigure_refused(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
    stored_key: str | None,
    error: str,
) -> None:
    """Reconfigure names the key only when the check sent one (here the stored key)."""
    entry = _cloudsigma_entry(stored_key)
    entry.add_to_hass(hass)
    aioclient_mock.get(CLOUDSIGMA_STATUS_URL, **answer)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: CLOUDSIGMA_URL}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": error}
    assert suggested_value(result, CONF_URL) == CLOUDSIGMA_URL
    assert _authorizations(aioclient_mock) == [
        f"Bearer {stored_key}" if stored_key else None
    ]
    assert entry.data == _cloudsigma_entry(stored_key).data
    assert mock_setup_entry.mock_calls == []


# --- addresses the IDNA codec refuses -------------------------------------------------


@pytest.mark.parametrize("pasted", UNDECODABLE_URLS)
async def test_statuspage_undecodable_address_is_invalid_url(
    hass: HomeAssistant,
    mock_summary: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    pasted: str,
) -> None:
    """An address with an empty punycode label is `invalid_url`, without a request."""
    result = await _start_statuspage_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: pasted}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_URL: "invalid_url"}
    assert mock_summary.call_count == 0

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: PAGE_URL}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("pasted", UNDECODABLE_URLS)
async def test_statuspage_reconfigure_undecodable_address_is_invalid_url(
    hass: HomeAssistant,
    mock_summary: AiohttpClientMocker,
    mock_config_entry: MockConfigEntry,
    mock_setup_entry: AsyncMock,
    pasted: str,
) -> None:
    """Reconfigure refuses the same addresses on the field and keeps the entry."""
    mock_config_entry.add_to_hass(hass)

    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: pasted}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_URL: "invalid_url"}
    assert mock_summary.call_count == 0
    assert mock_config_entry.data == PAGE_DATA


@pytest.mark.parametrize("pasted", UNDECODABLE_URLS)
async def test_cloudsigma_undecodable_address_is_invalid_url(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    pasted: str,
) -> None:
    """The CloudSigma form refuses them too, with or without a key."""
    _mock_cloudsigma(aioclient_mock)
    result = await _start_cloudsigma_flow(hass)

    for user_input in (
        {CONF_URL: pasted},
        {CONF_URL: pasted, CONF_API_KEY: CLOUDSIGMA_KEY},
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )

        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {CONF_URL: "invalid_url"}
    assert aioclient_mock.call_count == 0

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: CLOUDSIGMA_URL}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("pasted", UNDECODABLE_URLS)
async def test_cloudsigma_reconfigure_undecodable_address_is_invalid_url(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    pasted: str,
) -> None:
    """CloudSigma reconfigure refuses them on the field and keeps the entry."""
    entry = _cloudsigma_entry(CLOUDSIGMA_KEY)
    entry.add_to_hass(hass)
    _mock_cloudsigma(aioclient_mock)

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: pasted}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_URL: "invalid_url"}
    assert aioclient_mock.call_count == 0
    assert entry.data == _cloudsigma_entry(CLOUDSIGMA_KEY).data


# --- CloudSigma reconfigure: the stored key stays on the server -----------------------


def _schema_values(result: FlowResult[Any, str]) -> list[Any]:
    """Return every default and suggested value the form carries."""
    values: list[Any] = []
    for marker in result["data_schema"].schema:
        values.append((marker.description or {}).get("suggested_value"))
        if marker.default is not vol.UNDEFINED:
            values.append(marker.default())
    return values


async def test_cloudsigma_reconfigure_never_sends_the_stored_key(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Neither the form nor its re-display after an error carries the stored key."""
    assert await async_setup_component(hass, "config", {})
    entry = _cloudsigma_entry(CLOUDSIGMA_KEY)
    entry.add_to_hass(hass)
    aioclient_mock.get(CLOUDSIGMA_STATUS_URL, status=500)
    client = await hass_client()

    # What the browser receives, through the frontend's own API.
    response = await client.post(
        "/api/config/config_entries/flow",
        json={"handler": DOMAIN, "entry_id": entry.entry_id},
    )
    assert response.status == HTTPStatus.OK
    shown = await response.json()
    assert shown["step_id"] == "reconfigure"
    assert CLOUDSIGMA_KEY not in json.dumps(shown)
    fields = {field["name"]: field for field in shown["data_schema"]}
    assert set(fields) == {CONF_URL, CONF_API_KEY, "remove_api_key"}
    assert "default" not in fields[CONF_API_KEY]
    assert "suggested_value" not in (fields[CONF_API_KEY].get("description") or {})

    response = await client.post(
        f"/api/config/config_entries/flow/{shown['flow_id']}",
        json={CONF_URL: CLOUDSIGMA_URL},
    )
    assert response.status == HTTPStatus.OK
    shown = await response.json()
    assert shown["errors"] == {"base": "cannot_connect"}
    assert CLOUDSIGMA_KEY not in json.dumps(shown)

    # The same through the flow manager: no default or suggestion holds the key.
    result = await entry.start_reconfigure_flow(hass)
    assert CLOUDSIGMA_KEY not in _schema_values(result)
    assert suggested_value(result, CONF_API_KEY) is None
    assert entry.data[CONF_API_KEY] == CLOUDSIGMA_KEY


@pytest.mark.parametrize(
    ("user_input", "sent", "stored"),
    [
        pytest.param({}, CLOUDSIGMA_KEY, CLOUDSIGMA_KEY, id="field_omitted_keeps"),
        pytest.param(
            {CONF_API_KEY: ""}, CLOUDSIGMA_KEY, CLOUDSIGMA_KEY, id="empty_keeps"
        ),
        pytest.param(
            {CONF_API_KEY: "  "}, CLOUDSIGMA_KEY, CLOUDSIGMA_KEY, id="blank_keeps"
        ),
        pytest.param(
            {CONF_API_KEY: f" {NEW_CLOUDSIGMA_KEY} "},
            NEW_CLOUDSIGMA_KEY,
            NEW_CLOUDSIGMA_KEY,
            id="new_key_replaces",
        ),
        pytest.param({"remove_api_key": True}, None, None, id="remove_ticked_removes"),
        pytest.param(
            {"remove_api_key": False}, CLOUDSIGMA_KEY, CLOUDSIGMA_KEY, id="unticked"
        ),
        pytest.param(
            {CONF_API_KEY: NEW_CLOUDSIGMA_KEY, "remove_api_key": True},
            NEW_CLOUDSIGMA_KEY,
            NEW_CLOUDSIGMA_KEY,
            id="typed_key_wins",
        ),
    ],
)
async def test_cloudsigma_reconfigure_key_field(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    user_input: dict[str, Any],
    sent: str | None,
    stored: str | None,
) -> None:
    """Left empty the key field keeps the stored key, checked with a full poll."""
    entry = _cloudsigma_entry(CLOUDSIGMA_KEY)
    entry.add_to_hass(hass)
    _mock_cloudsigma(aioclient_mock)

    result = await entry.start_reconfigure_flow(hass)
    assert default_value(result, "remove_api_key") is False
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: CLOUDSIGMA_URL, **user_input}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data.get(CONF_API_KEY) == stored
    assert "remove_api_key" not in entry.data
    authorizations = set(_authorizations(aioclient_mock))
    assert authorizations == {f"Bearer {sent}" if sent else None}
    # Without a key only /status is read; with one, the full poll a set-up makes.
    paths = {str(call[1].path) for call in aioclient_mock.mock_calls}
    assert ("/api/v1/incidents" in paths) is (sent is not None)
    assert len(mock_setup_entry.mock_calls) == 1


async def test_cloudsigma_reconfigure_without_stored_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """An entry without a key has nothing to remove; a typed key is added."""
    entry = _cloudsigma_entry()
    entry.add_to_hass(hass)
    _mock_cloudsigma(aioclient_mock)

    result = await entry.start_reconfigure_flow(hass)

    assert [str(marker) for marker in result["data_schema"].schema] == [
        CONF_URL,
        CONF_API_KEY,
    ]
    assert suggested_value(result, CONF_URL) == CLOUDSIGMA_URL
    assert suggested_value(result, CONF_API_KEY) is None

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: CLOUDSIGMA_URL, CONF_API_KEY: CLOUDSIGMA_KEY}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == CLOUDSIGMA_KEY


async def test_cloudsigma_duplicate_is_refused_before_any_request(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """The entry's name comes from the address: a duplicate sends nothing."""
    entry = _cloudsigma_entry(CLOUDSIGMA_KEY)
    entry.add_to_hass(hass)
    _mock_cloudsigma(aioclient_mock)
    result = await _start_cloudsigma_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: "statuspage.cloudsigma.com/api/v1/", CONF_API_KEY: "other"},
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert aioclient_mock.call_count == 0
    assert entry.data[CONF_API_KEY] == CLOUDSIGMA_KEY


async def test_cloudsigma_reconfigure_to_another_host_sends_no_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Another deployment aborts before the kept key could be sent to it."""
    entry = _cloudsigma_entry(CLOUDSIGMA_KEY)
    entry.add_to_hass(hass)
    aioclient_mock.get(
        "https://status.example.net/api/v1/status",
        json=load_json_fixture("cloudsigma_status_outage.json"),
    )

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://status.example.net"}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert aioclient_mock.call_count == 0
    assert entry.data == _cloudsigma_entry(CLOUDSIGMA_KEY).data


# --- Adobe: a duplicate is refused before any request ---------------------------------

ADOBE_CLIENT_ID = "a68bc04e5f6a4b7c8d9e0f1a2b3c4d5e"
ADOBE_SECRET = "p8e-SECRET-client-secret-value"
ADOBE_TOKEN_URL = "https://ims-na1.adobelogin.com/ims/token/v3"
ADOBE_EXCHANGE_URL = "https://ims-na1.adobelogin.com/ims/exchange/jwt"
ADOBE_STATUS_URL = "https://status.adobe.io/api/v1"
ADOBE_SCOPES = (
    "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
)
ADOBE_OAUTH_INPUT = {
    CONF_CLIENT_ID: ADOBE_CLIENT_ID,
    CONF_CLIENT_SECRET: ADOBE_SECRET,
    CONF_SCOPES: ADOBE_SCOPES,
}
ADOBE_JWT_INPUT = {
    CONF_CLIENT_ID: ADOBE_CLIENT_ID,
    CONF_CLIENT_SECRET: ADOBE_SECRET,
    CONF_TECHNICAL_ACCOUNT_ID: "6657031C5C095BB40A4980B7@techacct.adobe.com",
    CONF_ORG_ID: "C74F69D7594880280A495D09@AdobeOrg",
    CONF_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nnot checked\n-----END PRIVATE KEY-----",
    CONF_IMS_HOST: "ims-na1.adobelogin.com",
}


def _adobe_entry(method: str) -> MockConfigEntry:
    fields = ADOBE_JWT_INPUT if method == AuthMethod.JWT else ADOBE_OAUTH_INPUT
    return MockConfigEntry(
        domain=DOMAIN,
        title="Adobe Status",
        unique_id=f"adobe_status:{ADOBE_CLIENT_ID}",
        data={
            CONF_PROVIDER: "adobe_status",
            CONF_AUTH_METHOD: method,
            **fields,
            CONF_PRODUCTS: [],
        },
    )


def _mock_adobe(aioclient_mock: AiohttpClientMocker, **token: Any) -> None:
    aioclient_mock.post(
        ADOBE_TOKEN_URL,
        **(token or {"json": load_json_fixture("adobe_ims_token_v3_200.json")}),
    )
    aioclient_mock.post(
        ADOBE_EXCHANGE_URL, json=load_json_fixture("adobe_ims_exchange_jwt_200.json")
    )
    aioclient_mock.get(
        f"{ADOBE_STATUS_URL}/clouds", json=load_json_fixture("adobe_status_clouds.json")
    )
    aioclient_mock.get(
        f"{ADOBE_STATUS_URL}/products",
        json=load_json_fixture("adobe_status_products.json"),
    )


async def _start_adobe_flow(hass: HomeAssistant, method: str) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "adobe_status"}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_AUTH_METHOD: method}
    )


@pytest.mark.parametrize(
    ("configured", "submitted"),
    [
        (AuthMethod.OAUTH, AuthMethod.OAUTH),
        (AuthMethod.JWT, AuthMethod.JWT),
        (AuthMethod.OAUTH, AuthMethod.JWT),
    ],
)
async def test_adobe_duplicate_is_refused_before_any_request(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    configured: AuthMethod,
    submitted: AuthMethod,
) -> None:
    """A client that already has an entry aborts without asking IMS or Adobe."""
    entry = _adobe_entry(configured)
    entry.add_to_hass(hass)
    _mock_adobe(aioclient_mock)
    result = await _start_adobe_flow(hass, submitted)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            **(ADOBE_JWT_INPUT if submitted == AuthMethod.JWT else ADOBE_OAUTH_INPUT),
            CONF_CLIENT_ID: f" {ADOBE_CLIENT_ID} ",
            CONF_CLIENT_SECRET: "another secret",
        },
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert aioclient_mock.call_count == 0
    assert entry.data[CONF_CLIENT_SECRET] == ADOBE_SECRET
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert mock_setup_entry.mock_calls == []


async def test_adobe_oauth_for_a_jwt_client_is_checked_before_the_move(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """OAuth credentials that would replace a JWT entry's are checked first."""
    entry = _adobe_entry(AuthMethod.JWT)
    entry.add_to_hass(hass)
    _mock_adobe(
        aioclient_mock,
        status=400,
        json=load_json_fixture("adobe_ims_400_invalid_client.json"),
    )
    result = await _start_adobe_flow(hass, AuthMethod.OAUTH)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ADOBE_OAUTH_INPUT
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "adobe_oauth"
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data[CONF_AUTH_METHOD] == AuthMethod.JWT
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [ADOBE_TOKEN_URL]

    aioclient_mock.clear_requests()
    _mock_adobe(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ADOBE_OAUTH_INPUT
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "migrated_to_oauth"
    assert entry.data[CONF_AUTH_METHOD] == AuthMethod.OAUTH
    assert CONF_PRIVATE_KEY not in entry.data
    # The move reads no product list: the entry keeps its selection.
    assert [str(call[1].path) for call in aioclient_mock.mock_calls] == [
        "/ims/token/v3",
        "/api/v1/clouds",
    ]


async def test_adobe_jwt_reauth_refuses_an_unreadable_private_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """A private key that does not parse is flagged on its field, before any request."""
    entry = _adobe_entry(AuthMethod.JWT)
    entry.add_to_hass(hass)
    _mock_adobe(aioclient_mock)

    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_CLIENT_SECRET: "renewed", CONF_PRIVATE_KEY: "not a key"},
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["errors"] == {CONF_PRIVATE_KEY: "invalid_private_key"}
    assert aioclient_mock.call_count == 0
    assert entry.data[CONF_CLIENT_SECRET] == ADOBE_SECRET


@pytest.fixture(scope="module")
def private_key_pem() -> str:
    """Return a fresh RSA key in PEM, as the Developer Console hands it out."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        pytest.param(
            {
                "status": 400,
                "json": load_json_fixture("adobe_ims_400_invalid_token_signature.json"),
            },
            "invalid_auth",
            id="refused",
        ),
        pytest.param(
            {
                "status": 500,
                "json": load_json_fixture("adobe_ims_500_internal_error.json"),
            },
            "cannot_connect",
            id="ims_500",
        ),
    ],
)
async def test_adobe_jwt_exchange_errors_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    private_key_pem: str,
    answer: dict[str, Any],
    error: str,
) -> None:
    """A refused or failed JWT exchange is a form error; the same flow then works."""
    aioclient_mock.post(ADOBE_EXCHANGE_URL, **answer)
    credentials = {**ADOBE_JWT_INPUT, CONF_PRIVATE_KEY: private_key_pem}
    result = await _start_adobe_flow(hass, AuthMethod.JWT)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "adobe_jwt"
    assert result["errors"] == {"base": error}
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [ADOBE_EXCHANGE_URL]

    aioclient_mock.clear_requests()
    _mock_adobe(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )
    assert result["step_id"] == "adobe_products"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_AUTH_METHOD] == AuthMethod.JWT


async def test_same_source_in_two_flows_is_set_up_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """A second flow for a source another open flow is setting up aborts politely."""
    aioclient_mock.post(ADOBE_TOKEN_URL, status=500)
    first = await _start_adobe_flow(hass, AuthMethod.OAUTH)
    first = await hass.config_entries.flow.async_configure(
        first["flow_id"], ADOBE_OAUTH_INPUT
    )
    assert first["errors"] == {"base": "cannot_connect"}
    aioclient_mock.clear_requests()

    second = await _start_adobe_flow(hass, AuthMethod.OAUTH)
    second = await hass.config_entries.flow.async_configure(
        second["flow_id"], ADOBE_OAUTH_INPUT
    )

    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_in_progress"
    assert aioclient_mock.call_count == 0
    # Home Assistant's own text: custom integrations need none of their own.
    assert second["translation_domain"] == "homeassistant"


def test_flow_translations_exist() -> None:
    """Every step, field, error and abort the flows use has English text."""
    strings = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    config = strings["config"]

    assert set(config["step"]["user"]["menu_options"]) == {
        "catalog",
        "status_page",
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
        "access_denied",
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
    # The refusal of a request without a credential: plain text, nothing to follow.
    access_denied = config["error"]["access_denied"]
    assert "://" not in access_denied
    assert not re.search(r"<[^>]*>", access_denied)
    reconfigure = config["step"]["reconfigure"]
    assert reconfigure["data"]["remove_api_key"]
    assert reconfigure["data_description"]["remove_api_key"]
    assert set(strings["selector"]["auth_method"]["options"]) == {"oauth", "jwt"}
    init = strings["options"]["step"]["init"]
    assert set(init["data"]) == {CONF_SCAN_INTERVAL, CONF_COMPONENTS}
    assert set(init["data_description"]) == {CONF_SCAN_INTERVAL, CONF_COMPONENTS}
