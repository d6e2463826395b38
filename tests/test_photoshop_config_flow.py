"""The Photoshop API provider's config flow: credentials, errors, reauth, reconfigure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import aiohttp
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.const import (
    CONF_AUTH_METHOD,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    CONF_SCOPES,
    DOMAIN,
)
from custom_components.cloud_status.credentials import DATA_SHARED
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import load_json_fixture
from .helpers import default_value, setup_entry, suggested_value
from .photoshop_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    NEW_CLIENT_SECRET,
    SCOPES,
    TITLE,
    TOKEN_URL,
    UNIQUE_ID,
    mock_token,
    photoshop_data,
    photoshop_entry,
)

TRANSLATIONS = (
    Path(__file__).parents[1]
    / "custom_components"
    / DOMAIN
    / "translations"
    / "en.json"
)
TOKEN_PROVIDER = (
    "custom_components.cloud_status.api.adobe_ims."
    "OAuthServerToServerTokenProvider.async_get_token"
)
ADOBE_STATUS_SCOPES = (
    "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
)
CREDENTIALS = {
    CONF_CLIENT_ID: CLIENT_ID,
    CONF_CLIENT_SECRET: CLIENT_SECRET,
    CONF_SCOPES: SCOPES,
}
REFUSED = {
    "status": 400,
    "json": load_json_fixture("adobe_ims_400_invalid_client.json"),
}


def _token_form(
    client_secret: str = CLIENT_SECRET, scope: str = SCOPES
) -> dict[str, str]:
    """Return the form an OAuth Server-to-Server token request must send."""
    return {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": client_secret,
        "scope": scope,
    }


def _token_requests(aioclient_mock: AiohttpClientMocker) -> list[Any]:
    """Return the form of every request made to the IMS token URL, checking it is a POST."""
    calls = [call for call in aioclient_mock.mock_calls if str(call[1]) == TOKEN_URL]
    assert all(method.upper() == "POST" for method, *_ in calls)
    return [data for _, _, data, _ in calls]


def _fields(result: ConfigFlowResult) -> list[str]:
    schema = result["data_schema"]
    assert schema is not None
    return [str(marker) for marker in schema.schema]


async def _start_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the flow and pick the Photoshop menu option."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "photoshop" in result["menu_options"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "photoshop"}
    )


async def _submit(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


# --- user step ---------------------------------------------------------------------------


async def test_flow_creates_the_entry(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Valid credentials, pasted with spaces around them, make the entry."""
    mock_token(aioclient_mock)
    result = await _start_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "photoshop"
    assert result["errors"] == {}
    assert _fields(result) == [CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_SCOPES]
    assert default_value(result, CONF_SCOPES) == "openid,AdobeID,read_organizations"

    result = await _submit(
        hass,
        result,
        {
            CONF_CLIENT_ID: f"  {CLIENT_ID}\n",
            CONF_CLIENT_SECRET: f"\t{CLIENT_SECRET} ",
            CONF_SCOPES: " openid, AdobeID ,, read_organizations ",
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == TITLE
    assert result["data"] == {
        CONF_PROVIDER: "photoshop",
        CONF_CLIENT_ID: CLIENT_ID,
        CONF_CLIENT_SECRET: CLIENT_SECRET,
        CONF_SCOPES: SCOPES,
    }
    assert result["result"].unique_id == UNIQUE_ID
    assert _token_requests(aioclient_mock) == [_token_form()]
    # Credentials the flow checks are not kept among the entries' shared providers.
    shared = hass.data.get(DATA_SHARED)
    assert shared is None or not shared.token_providers
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize("scopes", ["", "   ", " , ,, "])
async def test_blank_scopes_fall_back_to_the_photoshop_defaults(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    scopes: str,
) -> None:
    """No scopes at all means Photoshop's default scopes, not Adobe Status's."""
    mock_token(aioclient_mock)
    result = await _start_flow(hass)

    result = await _submit(hass, result, {**CREDENTIALS, CONF_SCOPES: scopes})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_SCOPES] == "openid,AdobeID,read_organizations"
    assert result["data"][CONF_SCOPES] != ADOBE_STATUS_SCOPES
    assert _token_requests(aioclient_mock) == [_token_form()]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (REFUSED, "invalid_auth"),
        (
            {
                "status": 401,
                "json": load_json_fixture("adobe_ims_401_invalid_client.json"),
            },
            "invalid_auth",
        ),
        (
            {
                "status": 500,
                "json": load_json_fixture("adobe_ims_500_internal_error.json"),
            },
            "cannot_connect",
        ),
        ({"status": 404}, "cannot_connect"),
        ({"status": 429, "headers": {"Retry-After": "5"}}, "rate_limited"),
        ({"exc": aiohttp.ClientError()}, "cannot_connect"),
        ({"exc": TimeoutError()}, "cannot_connect"),
        # No address to blame: an unreadable IMS answer is IMS failing.
        ({"text": "<html>Adobe IMS</html>"}, "cannot_connect"),
    ],
    ids=[
        "ims_400_invalid_client",
        "ims_401",
        "ims_500",
        "ims_404",
        "ims_429",
        "client_error",
        "timeout",
        "not_json",
    ],
)
async def test_flow_errors_keep_the_input_then_recover(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    answer: dict[str, Any],
    error: str,
) -> None:
    """A refused or failed token request is a form error; a corrected submit works."""
    mock_token(aioclient_mock, **answer)
    result = await _start_flow(hass)
    entered = {**CREDENTIALS, CONF_SCOPES: "openid,creative_sdk"}

    result = await _submit(hass, result, entered)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "photoshop"
    assert result["errors"] == {"base": error}
    assert _token_requests(aioclient_mock) == [_token_form(scope="openid,creative_sdk")]
    for key, value in entered.items():
        assert suggested_value(result, key) == value
    assert hass.config_entries.async_entries(DOMAIN) == []

    aioclient_mock.clear_requests()
    mock_token(aioclient_mock)
    result = await _submit(hass, result, CREDENTIALS)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == photoshop_data()
    assert result["result"].unique_id == UNIQUE_ID


async def test_flow_unexpected_error_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """An exception nobody expected is `unknown`, not a crash of the flow."""
    mock_token(aioclient_mock)
    result = await _start_flow(hass)

    with patch(TOKEN_PROVIDER, side_effect=RuntimeError("boom")):
        result = await _submit(hass, result, CREDENTIALS)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert aioclient_mock.mock_calls == []

    result = await _submit(hass, result, CREDENTIALS)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert _token_requests(aioclient_mock) == [_token_form()]


async def test_flow_already_configured(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The same Photoshop client cannot be added twice."""
    entry = photoshop_entry()
    entry.add_to_hass(hass)
    mock_token(aioclient_mock)
    result = await _start_flow(hass)

    result = await _submit(
        hass, result, {**CREDENTIALS, CONF_CLIENT_SECRET: NEW_CLIENT_SECRET}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [entry]
    assert entry.data == photoshop_data()
    assert aioclient_mock.mock_calls == []  # refused before asking IMS


async def test_adobe_status_entry_of_the_same_client_does_not_collide(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """An Adobe Status entry with the same client id has another unique id prefix."""
    status_entry = MockConfigEntry(
        domain=DOMAIN,
        title="Adobe Status",
        unique_id=f"adobe_status:{CLIENT_ID}",
        data={
            CONF_PROVIDER: "adobe_status",
            CONF_AUTH_METHOD: "oauth",
            CONF_CLIENT_ID: CLIENT_ID,
            CONF_CLIENT_SECRET: CLIENT_SECRET,
            CONF_SCOPES: ADOBE_STATUS_SCOPES,
            CONF_PRODUCTS: [],
        },
    )
    status_entry.add_to_hass(hass)
    mock_token(aioclient_mock)
    result = await _start_flow(hass)

    result = await _submit(hass, result, CREDENTIALS)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == UNIQUE_ID
    assert {entry.unique_id for entry in hass.config_entries.async_entries(DOMAIN)} == {
        f"adobe_status:{CLIENT_ID}",
        UNIQUE_ID,
    }


# --- reauth ------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_platforms")
async def test_reauth_asks_for_the_client_secret_only(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Reauth checks the new secret with IMS and stores it; the rest stays."""
    mock_token(aioclient_mock)
    entry = photoshop_entry()
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED

    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    (flow,) = entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert _fields(result) == [CONF_CLIENT_SECRET]
    assert result["description_placeholders"] == {"name": TITLE}

    aioclient_mock.clear_requests()
    mock_token(aioclient_mock, **REFUSED)
    result = await _submit(hass, result, {CONF_CLIENT_SECRET: "wrong"})

    assert result["errors"] == {"base": "invalid_auth"}
    assert _token_requests(aioclient_mock) == [_token_form(client_secret="wrong")]

    aioclient_mock.clear_requests()
    result = await _submit(hass, result, {CONF_CLIENT_SECRET: "   "})

    assert result["errors"] == {"base": "invalid_auth"}
    assert aioclient_mock.mock_calls == []

    mock_token(aioclient_mock)
    result = await _submit(hass, result, {CONF_CLIENT_SECRET: f" {NEW_CLIENT_SECRET} "})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data == photoshop_data(client_secret=NEW_CLIENT_SECRET)
    assert entry.unique_id == UNIQUE_ID
    # The check, then the reloaded entry's own token: both with the new secret.
    assert _token_requests(aioclient_mock)[0] == _token_form(
        client_secret=NEW_CLIENT_SECRET
    )
    assert entry.state is ConfigEntryState.LOADED


# --- reconfigure -------------------------------------------------------------------------


@pytest.mark.usefixtures("no_platforms")
async def test_reconfigure_changes_the_scopes(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Reconfigure offers only the scopes; new ones get a token before they are kept."""
    mock_token(aioclient_mock)
    entry = photoshop_entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _fields(result) == [CONF_SCOPES]
    assert suggested_value(result, CONF_SCOPES) == SCOPES
    assert result["description_placeholders"] == {"name": TITLE}

    aioclient_mock.clear_requests()
    mock_token(aioclient_mock, **REFUSED)
    result = await _submit(hass, result, {CONF_SCOPES: "openid,not_granted"})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    assert suggested_value(result, CONF_SCOPES) == "openid,not_granted"
    assert _token_requests(aioclient_mock) == [_token_form(scope="openid,not_granted")]
    assert entry.data == photoshop_data()

    aioclient_mock.clear_requests()
    mock_token(aioclient_mock)
    result = await _submit(
        hass, result, {CONF_SCOPES: " openid, AdobeID ,, creative_sdk "}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data == photoshop_data(scopes="openid,AdobeID,creative_sdk")
    assert _token_requests(aioclient_mock)[0] == _token_form(
        scope="openid,AdobeID,creative_sdk"
    )
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_blank_scopes_mean_the_defaults(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Clearing the scopes stores Photoshop's default scopes."""
    entry = photoshop_entry(scopes="openid,creative_sdk")
    entry.add_to_hass(hass)
    mock_token(aioclient_mock)

    result = await entry.start_reconfigure_flow(hass)
    assert suggested_value(result, CONF_SCOPES) == "openid,creative_sdk"
    result = await _submit(hass, result, {CONF_SCOPES: "  "})
    await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert entry.data == photoshop_data()
    assert _token_requests(aioclient_mock) == [_token_form()]


async def test_reconfigure_cannot_connect(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """IMS out of reach keeps the stored scopes and shows the error."""
    entry = photoshop_entry()
    entry.add_to_hass(hass)
    mock_token(aioclient_mock, exc=aiohttp.ClientError())

    result = await entry.start_reconfigure_flow(hass)
    result = await _submit(hass, result, {CONF_SCOPES: "openid"})

    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "cannot_connect"}
    assert entry.data == photoshop_data()


# --- options and texts ---------------------------------------------------------------


async def test_photoshop_entries_have_no_options(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Only status entries offer the options flow."""
    entry = photoshop_entry()
    entry.add_to_hass(hass)
    mock_config_entry.add_to_hass(hass)

    assert entry.supports_options is False
    assert entry.supports_reconfigure is True
    assert mock_config_entry.supports_options is True

    # The UI hides the options; a direct request (REST API) is refused politely.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_options"


def test_photoshop_flow_translations_exist() -> None:
    """Every text the Photoshop steps show exists in English."""
    config = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))["config"]
    fields = {CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_SCOPES}

    assert config["step"]["user"]["menu_options"]["photoshop"]
    step = config["step"]["photoshop"]
    assert step["title"]
    assert step["description"]
    assert set(step["data"]) == fields
    assert set(step["data_description"]) == fields
    assert all(step["data"].values())
    assert all(step["data_description"].values())
    assert config["step"]["reauth_confirm"]["data"][CONF_CLIENT_SECRET]
    assert config["step"]["reconfigure"]["data"][CONF_SCOPES]
    assert config["step"]["reconfigure"]["data_description"][CONF_SCOPES]
    assert {"invalid_auth", "cannot_connect", "unknown"} <= set(config["error"])
    assert {
        "already_configured",
        "reauth_successful",
        "reconfigure_successful",
    } <= set(config["abort"])
