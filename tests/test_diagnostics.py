"""Config entry diagnostics."""

from __future__ import annotations

import json

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant

from .conftest import ENTRY_ID, PAGE_ID, PAGE_URL
from .helpers import setup_entry
from .photoshop_helpers import CLIENT_ID as PHOTOSHOP_CLIENT_ID, JobServer
from .test_adobe_status import (
    CLIENT_ID as ADOBE_CLIENT_ID,
    _entry as adobe_entry,
    _mock_status as mock_adobe_status,
    _oauth_data as adobe_oauth_data,
)


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold the entry, the snapshot and the last poll."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics == snapshot(exclude=props("duration", "finished_at"))
    assert diagnostics["last_poll"]["outcome"] == "updated"


@pytest.mark.usefixtures("mock_summary")
async def test_diagnostics_redact_secrets(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Credentials never reach diagnostics."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Example",
        data={
            CONF_PROVIDER: "statuspage",
            CONF_URL: PAGE_URL,
            CONF_API_KEY: "sk-very-secret",
            "client_secret": "also-secret",
            "private_key": "-----BEGIN PRIVATE KEY-----",
        },
        unique_id=f"statuspage:{PAGE_ID}",
        entry_id=ENTRY_ID,
    )
    await setup_entry(hass, entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for secret in ("sk-very-secret", "also-secret", "BEGIN PRIVATE KEY"):
        assert secret not in text
    assert diagnostics["entry"]["data"][CONF_API_KEY] == "**REDACTED**"


async def test_adobe_client_id_is_redacted_everywhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """Adobe's client id is the x-api-key: gone from the data and the unique id."""
    mock_adobe_status(aioclient_mock)
    entry = adobe_entry(adobe_oauth_data())
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert ADOBE_CLIENT_ID not in json.dumps(diagnostics)
    assert diagnostics["entry"]["data"]["client_id"] == "**REDACTED**"
    assert diagnostics["entry"]["unique_id"] == "adobe_status:**REDACTED**"
    assert diagnostics["provider"] == "adobe_status"


async def test_photoshop_client_id_is_redacted_everywhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: MockConfigEntry,
    server: JobServer,
) -> None:
    """A Photoshop entry's client id is cut out of its unique id too."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert PHOTOSHOP_CLIENT_ID not in json.dumps(diagnostics)
    assert diagnostics["entry"]["data"]["client_id"] == "**REDACTED**"
    assert diagnostics["entry"]["unique_id"] == "photoshop:**REDACTED**"
