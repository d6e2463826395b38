"""Fixtures shared by the Cloud Status tests."""

from __future__ import annotations

from collections.abc import Generator
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker
from syrupy.assertion import SnapshotAssertion

from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant

from .photoshop_helpers import JobServer, mock_token, photoshop_entry

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_PAYLOADS = Path(__file__).resolve().parents[2] / "shared" / "payloads"

PAGE_URL = "https://status.example.com"
SUMMARY_URL = f"{PAGE_URL}/api/v2/summary.json"
PAGE_ID = "examplepage01"
ENTRY_ID = "01JCLOUDSTATUSENTRY000000"


def load_fixture(name: str) -> str:
    """Return the text of tests/fixtures/<name>."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def load_json_fixture(name: str) -> Any:
    """Return the parsed JSON of tests/fixtures/<name>."""
    return json.loads(load_fixture(name))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/ in every test."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable every entity, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Store snapshots with Home Assistant's extension (stable ids, tests/snapshots)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def no_platforms() -> Generator[None]:
    """Set entries up without platforms: for tests about the flows."""
    with patch("custom_components.cloud_status.PLATFORMS", []):
        yield


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Keep config-flow tests from setting up the entry they create."""
    with patch(
        "custom_components.cloud_status.async_setup_entry", return_value=True
    ) as mock:
        yield mock


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Return a public Statuspage entry for the Example page."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Example",
        data={CONF_PROVIDER: "statuspage", CONF_URL: PAGE_URL},
        unique_id=f"statuspage:{PAGE_ID}",
        entry_id=ENTRY_ID,
    )


@pytest.fixture
def summary_payload() -> dict[str, Any]:
    """Return the operational Example page summary (tests may change it before setup)."""
    payload: dict[str, Any] = load_json_fixture("statuspage_summary_operational.json")
    return payload


@pytest.fixture
def mock_summary(
    aioclient_mock: AiohttpClientMocker, summary_payload: dict[str, Any]
) -> AiohttpClientMocker:
    """Answer summary.json with the summary payload."""
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    return aioclient_mock


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_summary: AiohttpClientMocker,
) -> MockConfigEntry:
    """Set up the Example entry against the mocked summary."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
def no_request_spacing() -> Generator[None]:
    """Let a Photoshop entry's requests follow each other at once.

    Under a frozen clock the entry's 0.25 s gap would never pass.
    """
    with patch(
        "custom_components.cloud_status.photoshop.tracker.PHOTOSHOP_REQUEST_INTERVAL", 0
    ):
        yield


@pytest.fixture
def server(aioclient_mock: AiohttpClientMocker, no_request_spacing: None) -> JobServer:
    """Serve IMS tokens and scripted Photoshop job statuses."""
    mock_token(aioclient_mock)
    job_server = JobServer()
    job_server.register(aioclient_mock)
    return job_server


@pytest.fixture
async def entry(hass: HomeAssistant, server: JobServer) -> MockConfigEntry:
    """Set up a Photoshop API entry against the job server."""
    config_entry = photoshop_entry()
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


pytest_plugins = ["tests.scripted_server"]
