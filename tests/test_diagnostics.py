"""Config entry diagnostics."""

from __future__ import annotations

import json

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN, Provider
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant

from .conftest import ENTRY_ID, PAGE_ID, PAGE_URL
from .helpers import setup_entry


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
            CONF_PROVIDER: Provider.STATUSPAGE,
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
