"""The Adobe Status provider in Home Assistant: both IMS methods, products, reauth, repair."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import AsyncMock, patch
from urllib.parse import parse_qs

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
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

from custom_components.cloud_status.const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    DOMAIN,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .conftest import load_json_fixture
from .helpers import (
    advance,
    default_value,
    only_platform,
    select_options,
    setup_entry,
    suggested_value,
)

IMS = "https://ims-na1.adobelogin.com"
TOKEN_URL = f"{IMS}/ims/token/v3"
EXCHANGE_URL = f"{IMS}/ims/exchange/jwt"
STATUS = "https://status.adobe.io/api/v1"
CLIENT_ID = "a68bc04e5f6a4b7c8d9e0f1a2b3c4d5e"
CLIENT_SECRET = "p8e-SECRET-client-secret-value"
NEW_CLIENT_SECRET = "p8e-RENEWED-client-secret"
ORG_ID = "C74F69D7594880280A495D09@AdobeOrg"
TECH_ACCOUNT = "6657031C5C095BB40A4980B7@techacct.adobe.com"
DEFAULT_SCOPES = (
    "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
)
ENTRY_ID = "01JADOBESTATUSENTRY000000"
UNIQUE_ID = f"adobe_status:{CLIENT_ID}"
ANALYTICS, PHOTOSHOP = "503462", "503474"
TOKEN = load_json_fixture("adobe_ims_token_v3_200.json")["access_token"]


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def private_key_pem() -> str:
    """Return a fresh RSA key in PEM, as the Developer Console hands it out."""
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def _mock_status(
    aioclient_mock: AiohttpClientMocker,
    *,
    events: Any = None,
    token: dict[str, Any] | None = None,
) -> None:
    aioclient_mock.post(
        TOKEN_URL,
        **(token or {"json": load_json_fixture("adobe_ims_token_v3_200.json")}),
    )
    aioclient_mock.post(
        EXCHANGE_URL, json=load_json_fixture("adobe_ims_exchange_jwt_200.json")
    )
    aioclient_mock.get(
        f"{STATUS}/clouds", json=load_json_fixture("adobe_status_clouds.json")
    )
    aioclient_mock.get(
        f"{STATUS}/products", json=load_json_fixture("adobe_status_products.json")
    )
    aioclient_mock.get(
        f"{STATUS}/messages/en", json=load_json_fixture("adobe_status_messages_en.json")
    )
    aioclient_mock.get(
        f"{STATUS}/events",
        json=events
        if events is not None
        else load_json_fixture("adobe_status_events.json"),
    )


def _oauth_data(products: list[str] | None = None) -> dict[str, Any]:
    return {
        CONF_PROVIDER: "adobe_status",
        CONF_AUTH_METHOD: "oauth",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_SCOPES: DEFAULT_SCOPES,
        CONF_PRODUCTS: [ANALYTICS, PHOTOSHOP] if products is None else products,
    }


def _jwt_data(private_key_pem: str) -> dict[str, Any]:
    return {
        CONF_PROVIDER: "adobe_status",
        CONF_AUTH_METHOD: "jwt",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_TECHNICAL_ACCOUNT_ID: TECH_ACCOUNT,
        CONF_ORG_ID: ORG_ID,
        CONF_PRIVATE_KEY: private_key_pem,
        CONF_IMS_HOST: "ims-na1.adobelogin.com",
        CONF_PRODUCTS: [ANALYTICS],
    }


def _entry(data: dict[str, Any]) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Adobe Status",
        data=data,
        unique_id=UNIQUE_ID,
        entry_id=ENTRY_ID,
    )


async def _start_flow(hass: HomeAssistant, method: str) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "adobe_status"}
    )
    assert result["step_id"] == "adobe_status"
    assert default_value(result, CONF_AUTH_METHOD) == "oauth"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_AUTH_METHOD: method}
    )


def _calls(aioclient_mock: AiohttpClientMocker, url: str) -> list[Any]:
    return [call for call in aioclient_mock.mock_calls if str(call[1]).startswith(url)]


# --- config flow -----------------------------------------------------------------------


async def test_oauth_flow_picks_products(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """OAuth Server-to-Server credentials, then a product selection."""
    _mock_status(aioclient_mock)
    result = await _start_flow(hass, "oauth")
    assert result["step_id"] == "adobe_oauth"
    assert default_value(result, CONF_SCOPES) == DEFAULT_SCOPES

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: f" {CLIENT_ID} ",
            CONF_CLIENT_SECRET: CLIENT_SECRET,
            CONF_SCOPES: "openid, AdobeID,,read_organizations",
        },
    )
    assert result["step_id"] == "adobe_products"
    options = select_options(result, CONF_PRODUCTS)
    assert {
        "value": PHOTOSHOP,
        "label": "Adobe Creative Cloud \u2013 Adobe Photoshop",
    } in (options)
    assert suggested_value(result, CONF_PRODUCTS) == []

    (token_call,) = _calls(aioclient_mock, TOKEN_URL)
    form = parse_qs(token_call[2]) if isinstance(token_call[2], str) else token_call[2]
    assert form["grant_type"] in ("client_credentials", ["client_credentials"])
    status_call = _calls(aioclient_mock, f"{STATUS}/clouds")[0]
    assert status_call[1].query["api_key"] == "StatusAdobeIOClient"
    assert status_call[3]["Authorization"] == f"Bearer {TOKEN}"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [ANALYTICS, PHOTOSHOP]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Adobe Status"
    assert result["data"] == {
        **_oauth_data(),
        CONF_SCOPES: "openid,AdobeID,read_organizations",
    }
    assert result["result"].unique_id == UNIQUE_ID


async def test_jwt_flow_checks_the_key_before_any_request(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    private_key_pem: str,
) -> None:
    """A PEM that does not parse, or a bad IMS host, is refused without a request."""
    _mock_status(aioclient_mock)
    result = await _start_flow(hass, "jwt")
    assert result["step_id"] == "adobe_jwt"
    assert default_value(result, CONF_IMS_HOST) == "ims-na1.adobelogin.com"
    fields = {
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_TECHNICAL_ACCOUNT_ID: TECH_ACCOUNT,
        CONF_ORG_ID: ORG_ID,
        CONF_IMS_HOST: "ims-na1.adobelogin.com",
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {**fields, CONF_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nnope"},
    )
    assert result["errors"] == {CONF_PRIVATE_KEY: "invalid_private_key"}
    assert suggested_value(result, CONF_ORG_ID) == ORG_ID

    for bad_host in ("ims host/x", "xn--a.adobelogin.com", "ims..adobelogin.com"):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {**fields, CONF_PRIVATE_KEY: private_key_pem, CONF_IMS_HOST: bad_host},
        )
        assert result["errors"] == {"base": "invalid_ims_host"}, bad_host
    assert aioclient_mock.mock_calls == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            **fields,
            CONF_PRIVATE_KEY: private_key_pem,
            CONF_IMS_HOST: "https://IMS-NA1.adobelogin.com/",
        },
    )
    assert result["step_id"] == "adobe_products"
    assert len(_calls(aioclient_mock, EXCHANGE_URL)) == 1
    assert _calls(aioclient_mock, TOKEN_URL) == []

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        **_jwt_data(private_key_pem.strip()),
        CONF_PRODUCTS: [],
    }


@pytest.mark.parametrize(
    ("token", "clouds", "error"),
    [
        (
            {
                "status": 400,
                "json": load_json_fixture("adobe_ims_400_invalid_client.json"),
            },
            None,
            "invalid_auth",
        ),
        (
            {
                "status": 401,
                "json": load_json_fixture("adobe_ims_401_invalid_client.json"),
            },
            None,
            "invalid_auth",
        ),
        (
            {
                "status": 500,
                "json": load_json_fixture("adobe_ims_500_internal_error.json"),
            },
            None,
            "cannot_connect",
        ),
        (
            None,
            {"status": 403, "json": load_json_fixture("adobe_gateway_403003.json")},
            "invalid_auth",
        ),
        (None, {"status": 429, "headers": {"Retry-After": "5"}}, "rate_limited"),
        (None, {"status": 404}, "cannot_connect"),
        (None, {"text": "<html>"}, "not_a_status_page"),
    ],
    ids=["ims_400", "ims_401", "ims_500", "gateway_403003", "429", "404", "html"],
)
async def test_oauth_flow_errors_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    token: dict[str, Any] | None,
    clouds: dict[str, Any] | None,
    error: str,
) -> None:
    """IMS and Status API refusals are form errors; the same flow then succeeds."""
    if token is not None:
        aioclient_mock.post(TOKEN_URL, **token)
    else:
        aioclient_mock.post(
            TOKEN_URL, json=load_json_fixture("adobe_ims_token_v3_200.json")
        )
        aioclient_mock.get(f"{STATUS}/clouds", **(clouds or {}))
    result = await _start_flow(hass, "oauth")
    credentials = {
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_SCOPES: DEFAULT_SCOPES,
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )
    assert result["step_id"] == "adobe_oauth"
    assert result["errors"] == {"base": error}

    aioclient_mock.clear_requests()
    _mock_status(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_flow_unexpected_error_and_failing_product_list(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """An unexpected exception is `unknown`; a product list that fails is a form error."""
    _mock_status(aioclient_mock)
    credentials = {
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_SCOPES: "",
    }
    result = await _start_flow(hass, "oauth")
    with patch(
        "custom_components.cloud_status.providers.adobe_status.AdobeStatusClient.async_get_clouds",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], credentials
        )
    assert result["errors"] == {"base": "unknown"}

    aioclient_mock.clear_requests()
    _mock_status(aioclient_mock)
    aioclient_mock.clear_requests()
    aioclient_mock.post(
        TOKEN_URL, json=load_json_fixture("adobe_ims_token_v3_200.json")
    )
    aioclient_mock.get(
        f"{STATUS}/clouds", json=load_json_fixture("adobe_status_clouds.json")
    )
    aioclient_mock.get(f"{STATUS}/products", status=500)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )
    assert result["step_id"] == "adobe_oauth"
    assert result["errors"] == {"base": "cannot_connect"}

    aioclient_mock.clear_requests()
    _mock_status(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], credentials
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [PHOTOSHOP]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Empty scopes fall back to the defaults Adobe documents for the Status API.
    assert result["data"][CONF_SCOPES] == DEFAULT_SCOPES


async def test_flow_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The same client cannot be added twice."""
    _entry(_oauth_data()).add_to_hass(hass)
    _mock_status(aioclient_mock)
    result = await _start_flow(hass, "oauth")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: CLIENT_ID,
            CONF_CLIENT_SECRET: "x",
            CONF_SCOPES: DEFAULT_SCOPES,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("no_platforms")
async def test_oauth_flow_migrates_a_jwt_entry(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    private_key_pem: str,
) -> None:
    """OAuth credentials of a client that has a JWT entry move that entry over."""
    _mock_status(aioclient_mock)
    entry = _entry(_jwt_data(private_key_pem))
    await setup_entry(hass, entry)

    result = await _start_flow(hass, "oauth")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: CLIENT_ID,
            CONF_CLIENT_SECRET: NEW_CLIENT_SECRET,
            CONF_SCOPES: DEFAULT_SCOPES,
        },
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "migrated_to_oauth"
    assert entry.data == {
        CONF_PROVIDER: "adobe_status",
        CONF_AUTH_METHOD: "oauth",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: NEW_CLIENT_SECRET,
        CONF_SCOPES: DEFAULT_SCOPES,
        CONF_PRODUCTS: [ANALYTICS],
    }
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_changes_products(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Reconfigure changes the product selection; a vanished id stays selectable."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data([ANALYTICS, "999999"]))
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert suggested_value(result, CONF_PRODUCTS) == [ANALYTICS, "999999"]
    assert {"value": "999999", "label": "999999"} in select_options(
        result, CONF_PRODUCTS
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PRODUCTS: [PHOTOSHOP]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_PRODUCTS] == [PHOTOSHOP]


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_when_products_cannot_be_listed(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A failing product list is shown as an error; the current selection stays."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data([ANALYTICS]))
    await setup_entry(hass, entry)
    aioclient_mock.clear_requests()
    aioclient_mock.post(
        TOKEN_URL, json=load_json_fixture("adobe_ims_token_v3_200.json")
    )
    aioclient_mock.get(f"{STATUS}/clouds", status=503)

    result = await entry.start_reconfigure_flow(hass)

    assert result["errors"] == {"base": "cannot_connect"}
    assert select_options(result, CONF_PRODUCTS) == [
        {"value": ANALYTICS, "label": ANALYTICS}
    ]


# --- polling and entities ----------------------------------------------------------


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Each selected product is a component with Adobe's product name."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data())
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_events_across_polls_and_one_request_per_poll(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After set-up a poll is one /events request; closed events fire resolved."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data())
    await setup_entry(hass, entry)
    assert (
        hass.states.get("sensor.adobe_status_adobe_analytics").state == "major_outage"
    )
    assert hass.states.get("sensor.adobe_status_adobe_photoshop").state == (
        "degraded_performance"
    )
    events_call = _calls(aioclient_mock, f"{STATUS}/events")[0]
    assert events_call[1].query.getall("productIds") == [ANALYTICS, PHOTOSHOP]

    aioclient_mock.clear_requests()
    _mock_status(
        aioclient_mock, events=load_json_fixture("adobe_status_events_empty.json")
    )
    await advance(hass, freezer, entry.runtime_data.coordinator.update_interval * 1.01)

    assert [str(call[1].path) for call in aioclient_mock.mock_calls] == [
        "/api/v1/events"
    ]
    assert hass.states.get("sensor.adobe_status_adobe_analytics").state == "operational"
    event = hass.states.get("event.adobe_status_incident")
    assert event.attributes["event_type"] == "incident_resolved"


async def test_expired_token_is_renewed_once_then_reauth(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 401 gets one fresh token; a second 401 starts reauth."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data())
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    aioclient_mock.post(
        TOKEN_URL, json=load_json_fixture("adobe_ims_token_v3_200.json")
    )
    aioclient_mock.get(
        f"{STATUS}/events",
        status=401,
        json=load_json_fixture("adobe_gateway_401013.json"),
    )
    await advance(hass, freezer, entry.runtime_data.coordinator.update_interval * 1.01)

    assert len(_calls(aioclient_mock, TOKEN_URL)) == 1
    assert len(_calls(aioclient_mock, f"{STATUS}/events")) == 2
    assert hass.states.get("sensor.adobe_status_overall_status").state == (
        STATE_UNAVAILABLE
    )
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_forbidden_is_not_a_refused_secret(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A gateway 403 renews no token and starts no reauth: the secret is not the problem."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data())
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    aioclient_mock.post(
        TOKEN_URL, json=load_json_fixture("adobe_ims_token_v3_200.json")
    )
    aioclient_mock.get(
        f"{STATUS}/events",
        status=403,
        json=load_json_fixture("adobe_gateway_403003.json"),
    )
    await advance(hass, freezer, entry.runtime_data.coordinator.update_interval * 1.01)

    assert _calls(aioclient_mock, TOKEN_URL) == []
    assert len(_calls(aioclient_mock, f"{STATUS}/events")) == 1
    assert hass.states.get("sensor.adobe_status_overall_status").state == (
        STATE_UNAVAILABLE
    )
    assert (
        entry.runtime_data.coordinator.last_exception.translation_key == "access_denied"
    )
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("no_platforms")
async def test_reauth_oauth_asks_for_the_secret(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """OAuth reauth asks for the client secret only and checks it."""
    _mock_status(aioclient_mock)
    entry = _entry(_oauth_data())
    await setup_entry(hass, entry)

    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert [str(key) for key in result["data_schema"].schema] == [CONF_CLIENT_SECRET]

    aioclient_mock.clear_requests()
    aioclient_mock.post(
        TOKEN_URL,
        status=400,
        json=load_json_fixture("adobe_ims_400_invalid_client.json"),
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    aioclient_mock.clear_requests()
    _mock_status(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_SECRET: NEW_CLIENT_SECRET}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_CLIENT_SECRET] == NEW_CLIENT_SECRET


async def test_refused_jwt_raises_repair_and_reauth(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    private_key_pem: str,
) -> None:
    """IMS refusing a JWT raises the retirement repair issue and starts reauth."""
    aioclient_mock.post(
        EXCHANGE_URL,
        status=400,
        json=load_json_fixture("adobe_ims_400_invalid_token_signature.json"),
    )
    entry = _entry(_jwt_data(private_key_pem))
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    issue = issue_registry.async_get_issue(
        DOMAIN, f"jwt_credentials_retired_{ENTRY_ID}"
    )
    assert issue is not None
    assert issue.translation_key == "jwt_credentials_retired"
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"])
    assert {str(key) for key in result["data_schema"].schema} == {
        CONF_CLIENT_SECRET,
        CONF_PRIVATE_KEY,
    }

    # Fixed credentials: the next successful poll removes the issue.
    aioclient_mock.clear_requests()
    _mock_status(aioclient_mock)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_CLIENT_SECRET: NEW_CLIENT_SECRET, CONF_PRIVATE_KEY: private_key_pem},
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reauth_successful"
    assert entry.state is ConfigEntryState.LOADED
    assert (
        issue_registry.async_get_issue(DOMAIN, f"jwt_credentials_retired_{ENTRY_ID}")
        is None
    )


async def test_diagnostics_redact_credentials(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
    private_key_pem: str,
) -> None:
    """Secrets, key, org and account ids and tokens never reach diagnostics."""
    _mock_status(aioclient_mock)
    entry = _entry(_jwt_data(private_key_pem))
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    text = json.dumps(diagnostics)
    for secret in (CLIENT_SECRET, "PRIVATE KEY", ORG_ID, TECH_ACCOUNT, TOKEN):
        assert secret not in text
    assert diagnostics["client"]["auth_method"] == "jwt"
    assert diagnostics["client"]["token_expires_in"] > 0
