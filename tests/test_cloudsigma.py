"""The CloudSigma provider in Home Assistant: flow, entities, count-only mode, reauth."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_URL, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import entity_registry as er

from .conftest import load_json_fixture
from .helpers import advance, default_value, only_platform, setup_entry, suggested_value

BASE = "https://statuspage.cloudsigma.com"
OTHER_BASE = "https://status.example.net"
API_KEY = "sk_live_cloudsigma_0123456789"
NEW_API_KEY = "sk_live_cloudsigma_renewed_42"
ENTRY_ID = "01JCLOUDSIGMAENTRY0000000"
UNIQUE_ID = "cloudsigma:statuspage.cloudsigma.com"


def _mock_cloudsigma(
    aioclient_mock: AiohttpClientMocker,
    base: str = BASE,
    *,
    status: Any = None,
    components: Any = None,
    incidents: dict[str, Any] | None = None,
    maintenances: dict[str, Any] | None = None,
) -> None:
    """Answer the CloudSigma endpoints (detail endpoints only when given)."""
    aioclient_mock.get(
        f"{base}/api/v1/status",
        json=status or load_json_fixture("cloudsigma_status_outage.json"),
    )
    aioclient_mock.get(
        f"{base}/api/v1/components",
        json=components or load_json_fixture("cloudsigma_components_small.json"),
    )
    if incidents is not None:
        aioclient_mock.get(f"{base}/api/v1/incidents", **incidents)
    if maintenances is not None:
        aioclient_mock.get(f"{base}/api/v1/maintenances", **maintenances)


DETAILS = {
    "incidents": {"json": load_json_fixture("cloudsigma_incidents.json")},
    "maintenances": {"json": load_json_fixture("cloudsigma_maintenances.json")},
}


def _entry(*, api_key: str | None = None) -> MockConfigEntry:
    data: dict[str, Any] = {CONF_PROVIDER: "cloudsigma", CONF_URL: BASE}
    if api_key:
        data[CONF_API_KEY] = api_key
    return MockConfigEntry(
        domain=DOMAIN,
        title="CloudSigma",
        data=data,
        unique_id=UNIQUE_ID,
        entry_id=ENTRY_ID,
    )


async def _start_flow(hass: HomeAssistant) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert "cloudsigma" in result["menu_options"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "cloudsigma"}
    )


# --- config flow -----------------------------------------------------------------------


async def test_flow_default_url_without_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """The default address needs no key; only the public /status is read."""
    _mock_cloudsigma(aioclient_mock)
    result = await _start_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "cloudsigma"
    assert default_value(result, CONF_URL) == BASE

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "CloudSigma"
    assert result["data"] == {CONF_PROVIDER: "cloudsigma", CONF_URL: BASE}
    assert result["result"].unique_id == UNIQUE_ID
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [
        f"{BASE}/api/v1/status"
    ]


async def test_flow_other_deployment_with_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Another deployment is named by its host; a key is checked by a full poll."""
    _mock_cloudsigma(aioclient_mock, OTHER_BASE, **DETAILS)
    result = await _start_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: "status.example.net/api/v1/status", CONF_API_KEY: f" {API_KEY} "},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "status.example.net"
    assert result["data"] == {
        CONF_PROVIDER: "cloudsigma",
        CONF_URL: OTHER_BASE,
        CONF_API_KEY: API_KEY,
    }
    assert result["result"].unique_id == "cloudsigma:status.example.net"
    requested = {call[1].path for call in aioclient_mock.mock_calls}
    assert {"/api/v1/incidents", "/api/v1/maintenances"} <= requested
    assert all(
        call[3]["Authorization"] == f"Bearer {API_KEY}"
        for call in aioclient_mock.mock_calls
    )


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"text": "<html>Maintenance</html>"}, "not_a_status_page"),
        ({"status": 404, "json": {"detail": "Not Found"}}, "not_a_status_page"),
        ({"status": 500, "json": {"detail": "Server error"}}, "cannot_connect"),
        ({"status": 429, "headers": {"Retry-After": "5"}}, "rate_limited"),
    ],
    ids=["html", "not_found", "server_error", "rate_limited"],
)
async def test_flow_errors_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
    error: str,
) -> None:
    """Each failure is a form error that keeps the input; a retry then succeeds."""
    aioclient_mock.get(f"{BASE}/api/v1/status", **answer)
    result = await _start_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert suggested_value(result, CONF_URL) == BASE

    aioclient_mock.clear_requests()
    _mock_cloudsigma(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_flow_invalid_url_and_wrong_key(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """A bad address is an error on the field; a refused key is invalid_auth."""
    _mock_cloudsigma(
        aioclient_mock,
        incidents={"status": 401, "json": {"detail": "Invalid API key"}},
        maintenances={"status": 401, "json": {"detail": "Invalid API key"}},
    )
    result = await _start_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "ftp://statuspage.cloudsigma.com"}
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE, CONF_API_KEY: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE, CONF_API_KEY: "   "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_API_KEY not in result["data"]


async def test_flow_unexpected_error(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """An unexpected exception is `unknown`, logged with its traceback."""
    result = await _start_flow(hass)
    with patch(
        "custom_components.cloud_status.providers.cloudsigma.CloudSigmaClient.async_get_status",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: BASE}
        )
    assert result["errors"] == {"base": "unknown"}


async def test_flow_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The same deployment cannot be added twice."""
    _entry().add_to_hass(hass)
    _mock_cloudsigma(aioclient_mock)
    result = await _start_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "https://statuspage.cloudsigma.com/"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_adds_key_and_refuses_other_host(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Reconfigure changes the address or key of the same deployment only."""
    entry = _entry()
    _mock_cloudsigma(aioclient_mock, **DETAILS)
    _mock_cloudsigma(aioclient_mock, OTHER_BASE)
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert suggested_value(result, CONF_URL) == BASE

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: "not a url"}
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: BASE, CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == API_KEY

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: OTHER_BASE}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data[CONF_URL] == BASE


# --- entities ----------------------------------------------------------------------


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("api_key", "details"),
    [(None, {}), (API_KEY, DETAILS)],
    ids=["counts_only", "details"],
)
@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
    api_key: str | None,
    details: dict[str, Any],
    platform: Platform,
) -> None:
    """Components, overall status and incident entities, with and without details."""
    _mock_cloudsigma(aioclient_mock, **details)
    entry = _entry(api_key=api_key)
    with only_platform(platform):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_count_only_mode(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Without a key, incidents and maintenance come from the counts of /status."""
    status = load_json_fixture("cloudsigma_status_operational.json")
    _mock_cloudsigma(aioclient_mock, status=status)
    await setup_entry(hass, _entry())

    assert hass.states.get("sensor.cloudsigma_active_incidents").state == "0"
    assert hass.states.get("binary_sensor.cloudsigma_incident_active").state == "off"
    # scheduled_maintenance counts windows in progress
    assert hass.states.get("binary_sensor.cloudsigma_maintenance_active").state == "on"
    assert (
        hass.states.get("sensor.cloudsigma_overall_status").state
        == "degraded_performance"
    )
    assert hass.states.get("sensor.cloudsigma_frankfurt_fra").state == (
        "degraded_performance"
    )
    assert hass.states.get("sensor.cloudsigma_manila_mnl").state == "operational"
    incidents = hass.states.get("sensor.cloudsigma_active_incidents")
    assert incidents.attributes["incidents"] == []


async def test_reported_status_counts_when_worse(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Overall status is the worse of /status and the components."""
    status = load_json_fixture("cloudsigma_status_outage.json")
    status["status"] = "MAJOR_OUTAGE"
    _mock_cloudsigma(aioclient_mock, status=status)
    await setup_entry(hass, _entry())

    assert hass.states.get("sensor.cloudsigma_overall_status").state == "major_outage"
    assert hass.states.get("binary_sensor.cloudsigma_problem").state == "on"


async def test_refused_without_key_is_a_plain_failure(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a key there is nothing to re-enter: a 401 makes entities unavailable."""
    _mock_cloudsigma(aioclient_mock)
    entry = _entry()
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{BASE}/api/v1/status", status=401, json={"detail": "Not authenticated"}
    )
    await advance(hass, freezer)

    assert hass.states.get("sensor.cloudsigma_overall_status").state == (
        STATE_UNAVAILABLE
    )
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert entry.state is ConfigEntryState.LOADED


async def test_refused_key_starts_reauth(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A refused key starts reauth; a new key is checked, stored and reloads the entry."""
    _mock_cloudsigma(aioclient_mock, **DETAILS)
    entry = _entry(api_key=API_KEY)
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    _mock_cloudsigma(
        aioclient_mock,
        incidents={"status": 403, "json": {"detail": "Forbidden"}},
        maintenances={"status": 403, "json": {"detail": "Forbidden"}},
    )
    await advance(hass, freezer)

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_KEY: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    aioclient_mock.clear_requests()
    _mock_cloudsigma(aioclient_mock, **DETAILS)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_KEY: NEW_API_KEY}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_API_KEY
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.cloudsigma_active_incidents").state == "2"


async def test_diagnostics_redact_key(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """The key never reaches diagnostics; whether details are available does."""
    _mock_cloudsigma(aioclient_mock, **DETAILS)
    entry = _entry(api_key=API_KEY)
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert API_KEY not in json.dumps(diagnostics)
    assert diagnostics["entry"]["data"][CONF_API_KEY] == "**REDACTED**"
    assert diagnostics["client"] == {"details_available": True}


async def test_unknown_overall_status_is_logged_once(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown /status value is logged once; the components decide."""
    status = load_json_fixture("cloudsigma_status_operational.json")
    status["status"] = "mostly_fine"
    _mock_cloudsigma(aioclient_mock, status=status)
    await setup_entry(hass, _entry())
    await advance(hass, freezer)

    assert hass.states.get("sensor.cloudsigma_overall_status").state == (
        "degraded_performance"
    )
    assert caplog.text.count("unknown overall status 'mostly_fine'") == 1


@pytest.mark.usefixtures("no_platforms")
async def test_reauth_refuses_a_blank_key(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key of spaces is not a key."""
    _mock_cloudsigma(aioclient_mock, **DETAILS)
    entry = _entry(api_key=API_KEY)
    await setup_entry(hass, entry)

    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "   "}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data[CONF_API_KEY] == API_KEY
