"""Helpers shared by the platform tests."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult

from .conftest import SUMMARY_URL

POLL = timedelta(seconds=61)


@contextmanager
def only_platform(platform: Platform) -> Generator[None]:
    """Set up a single platform, so a snapshot holds only its entities."""
    with patch("custom_components.cloud_status.PLATFORMS", [platform]):
        yield


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add and set up a config entry."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta = POLL
) -> None:
    """Move the clock on and run whatever became due."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    # Scheduled polls run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def next_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    aioclient_mock: AiohttpClientMocker,
    *,
    json: Any | None = None,
    **response: Any,
) -> None:
    """Answer the next summary request as given, then let one poll run."""
    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=json, **response)
    await advance(hass, freezer)


def suggested_value(result: FlowResult[Any, str], key: str) -> Any:
    """Return the value a form pre-fills for a field."""
    for marker in result["data_schema"].schema:
        if marker == key:
            return (marker.description or {}).get("suggested_value")
    msg = f"no field {key!r}"
    raise AssertionError(msg)


def default_value(result: FlowResult[Any, str], key: str) -> Any:
    """Return the default of a form field."""
    for marker in result["data_schema"].schema:
        if marker == key:
            return marker.default()
    msg = f"no field {key!r}"
    raise AssertionError(msg)


def select_options(result: FlowResult[Any, str], key: str) -> list[dict[str, str]]:
    """Return the options of a select field."""
    for marker, selector in result["data_schema"].schema.items():
        if marker == key:
            return list(selector.config["options"])
    msg = f"no field {key!r}"
    raise AssertionError(msg)
