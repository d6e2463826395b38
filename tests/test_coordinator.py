"""Polling: failures, recovery, Retry-After, conditional requests, dynamic components."""

from __future__ import annotations

from datetime import timedelta
import json
import logging
from pathlib import Path
from string import Formatter
from typing import Any
from unittest.mock import patch

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.api import CloudStatusError
from custom_components.cloud_status.const import CONF_COMPONENTS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_SCAN_INTERVAL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import SUMMARY_URL, load_fixture
from .helpers import advance, next_poll, setup_entry

OVERALL = "sensor.example_overall_status"
EN = json.loads(
    (
        Path(__file__).parents[1]
        / "custom_components/cloud_status/translations/en.json"
    ).read_text()
)
HTML_PAGE = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"

BAD_ANSWERS: list[Any] = [
    pytest.param({"text": HTML_PAGE}, "invalid_response", id="html_error_page"),
    pytest.param(
        {"text": load_fixture("statuspage_summary_operational.json")[:500]},
        "invalid_response",
        id="truncated_json",
    ),
    pytest.param(
        {"json": ["not", "a", "summary"]}, "invalid_response", id="wrong_shape"
    ),
    pytest.param({"json": {"components": []}}, "invalid_response", id="missing_page"),
    pytest.param(
        {"json": {"page": {"name": "No id"}, "components": []}},
        "invalid_response",
        id="missing_page_id",
    ),
    pytest.param({"json": {"page": None}}, "invalid_response", id="null_page"),
    pytest.param(
        {"json": {"page": {"id": "examplepage01", "name": "Example"}}},
        "invalid_response",
        id="missing_components",
    ),
    pytest.param(
        {
            "json": {
                "page": {"id": "examplepage01", "name": "Example"},
                "components": None,
            }
        },
        "invalid_response",
        id="null_components",
    ),
    pytest.param(
        {"json": {"page": {"id": "x", "name": "X"}, "components": [None]}},
        "invalid_response",
        id="null_component",
    ),
    pytest.param({"status": 500}, "server_error", id="http_500"),
    pytest.param({"status": 503, "text": HTML_PAGE}, "server_error", id="http_503"),
    pytest.param({"exc": TimeoutError()}, "timeout", id="timeout"),
    pytest.param(
        {"exc": aiohttp.ClientConnectorError(None, OSError(111, "refused"))},  # type: ignore[arg-type]
        "cannot_connect",
        id="unreachable_host",
    ),
    pytest.param(
        {"status": 429, "headers": {"Retry-After": "120"}}, "rate_limited", id="429"
    ),
    pytest.param({"status": 404}, "not_found", id="http_404"),
    pytest.param({"status": 403}, "access_denied", id="http_403"),
    pytest.param(
        {"content": b"{" + b" " * (5 * 1024 * 1024) + b"}"},
        "response_too_large",
        id="body_over_5_mb",
    ),
]


@pytest.mark.parametrize(("answer", "translation_key"), BAD_ANSWERS)
async def test_bad_first_answer_means_not_ready(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    caplog: pytest.LogCaptureFixture,
    answer: dict[str, Any],
    translation_key: str,
) -> None:
    """A bad answer at set-up retries later, with a translated reason and no traceback."""
    aioclient_mock.get(SUMMARY_URL, **answer)
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.error_reason_translation_key == translation_key
    # Home Assistant itself adds the full exception at debug level only.
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and r.exc_info]


@pytest.mark.parametrize(("answer", "translation_key"), BAD_ANSWERS)
@pytest.mark.usefixtures("mock_summary")
async def test_bad_answer_at_run_time(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    summary_payload: dict[str, Any],
    answer: dict[str, Any],
    translation_key: str,
    entity_registry: er.EntityRegistry,
) -> None:
    """Entities go unavailable, the failure and the recovery are each logged once.

    Nothing the user set up is lost: entry data, options and every registry entry.
    """
    await setup_entry(hass, mock_config_entry)
    options_before = dict(mock_config_entry.options)
    data_before = dict(mock_config_entry.data)
    registry_before = _registry_entries(entity_registry, mock_config_entry)
    coordinator = mock_config_entry.runtime_data.coordinator
    caplog.clear()

    await next_poll(hass, freezer, aioclient_mock, **answer)
    assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
    assert hass.states.get("sensor.example_api").state == STATE_UNAVAILABLE
    assert hass.states.get("event.example_incident").state == STATE_UNAVAILABLE
    assert coordinator.last_exception.translation_key == translation_key
    message = EN["exceptions"][translation_key]["message"]
    placeholders = coordinator.last_exception.translation_placeholders or {}
    assert {name for _, name, _, _ in Formatter().parse(message) if name} == set(
        placeholders
    )
    # Long enough for any Retry-After in the table.
    for _ in range(3):
        aioclient_mock.clear_requests()
        aioclient_mock.get(SUMMARY_URL, **answer)
        await advance(hass, freezer, timedelta(seconds=121))

    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    # Home Assistant itself adds the full error at debug level only.
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and r.exc_info]

    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    await advance(hass, freezer, timedelta(seconds=121))
    assert hass.states.get(OVERALL).state == "operational"
    assert caplog.text.count("data recovered") == 1
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert dict(mock_config_entry.options) == options_before
    assert dict(mock_config_entry.data) == data_before
    assert _registry_entries(entity_registry, mock_config_entry) == registry_before


def _registry_entries(
    entity_registry: er.EntityRegistry, entry: MockConfigEntry
) -> dict[str, er.RegistryEntry]:
    return {
        registry_entry.unique_id: registry_entry
        for registry_entry in er.async_entries_for_config_entry(
            entity_registry, entry.entry_id
        )
    }


@pytest.mark.usefixtures("mock_summary")
async def test_retry_after_delays_next_poll(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """After a 429 the next request waits for Retry-After, not the poll interval."""
    await setup_entry(hass, mock_config_entry)

    await next_poll(
        hass, freezer, aioclient_mock, status=429, headers={"Retry-After": "600"}
    )
    assert hass.states.get(OVERALL).state == STATE_UNAVAILABLE
    assert "600" in str(mock_config_entry.runtime_data.coordinator.last_exception)

    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    for _ in range(9):  # 9 polls of 61 s = 549 s, less than 600 s
        await advance(hass, freezer)
    assert aioclient_mock.call_count == 0

    # A refresh asked for inside the window sends nothing, and diagnostics say so.
    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant", "update_entity", {"entity_id": OVERALL}, blocking=True
    )
    assert aioclient_mock.call_count == 0
    last_poll = mock_config_entry.runtime_data.coordinator.last_poll
    assert last_poll.outcome == "deferred"
    assert last_poll.finished_at == dt_util.utcnow()
    assert "Retry-After" in last_poll.error

    await advance(hass, freezer, timedelta(seconds=60))
    assert aioclient_mock.call_count == 1
    assert hass.states.get(OVERALL).state == "operational"
    # The same body as before the 429.
    assert mock_config_entry.runtime_data.coordinator.last_poll.outcome == "unchanged"


async def test_conditional_requests(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """Validators are sent back; a 304 keeps every entity as it was."""
    aioclient_mock.get(
        SUMMARY_URL,
        json=summary_payload,
        headers={"ETag": 'W/"abc"', "Last-Modified": "Fri, 20 Nov 2026 10:00:00 GMT"},
    )
    await setup_entry(hass, mock_config_entry)
    last_updated = hass.states.get(OVERALL).last_updated

    await next_poll(hass, freezer, aioclient_mock, status=304)
    _, _, _, headers = aioclient_mock.mock_calls[0]
    assert headers["If-None-Match"] == 'W/"abc"'
    assert headers["If-Modified-Since"] == "Fri, 20 Nov 2026 10:00:00 GMT"
    assert hass.states.get(OVERALL).state == "operational"
    assert hass.states.get(OVERALL).last_updated == last_updated
    assert mock_config_entry.runtime_data.coordinator.last_poll.outcome == "unchanged"


@pytest.mark.usefixtures("mock_summary", "entity_registry_enabled_by_default")
async def test_one_component_change_writes_only_what_changed(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """A changed component rewrites its entities and the page entities that changed."""
    await setup_entry(hass, mock_config_entry)
    written: list[str] = []
    hass.bus.async_listen(
        "state_changed", lambda event: written.append(event.data["entity_id"])
    )

    summary_payload["components"][1]["status"] = "degraded_performance"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert sorted(written) == [
        "binary_sensor.example_problem",
        "binary_sensor.example_website_problem",
        "sensor.example_overall_status",
        "sensor.example_website",
    ]

    written.clear()
    summary_payload["components"][1]["status"] = "partial_outage"
    summary_payload["page"]["updated_at"] = "2026-11-20T11:00:00.000Z"
    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert sorted(written) == [
        "sensor.example_overall_status",
        "sensor.example_website",
    ]


@pytest.mark.usefixtures("mock_summary")
async def test_component_selection(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    mock_config_entry: MockConfigEntry,
    summary_payload: dict[str, Any],
) -> None:
    """Only the selected components get entities; overall status still sees them all."""
    await setup_entry(hass, mock_config_entry)
    assert hass.states.get("sensor.example_website") is not None

    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={CONF_SCAN_INTERVAL: 120, CONF_COMPONENTS: ["cmpapi000001"]},
    )
    await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    component_sensors = [
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            entity_registry, mock_config_entry.entry_id
        )
        if entry.translation_key in ("component_status", "component_problem")
    ]
    assert sorted(component_sensors) == [
        "binary_sensor.example_api_problem",
        "sensor.example_api",
    ]
    assert mock_config_entry.runtime_data.coordinator.update_interval == timedelta(
        seconds=120
    )

    summary_payload["components"][1]["status"] = "major_outage"
    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await advance(hass, freezer, timedelta(seconds=121))
    assert hass.states.get(OVERALL).state == "major_outage"
    assert hass.states.get("sensor.example_website") is None


async def test_not_modified_first_answer_is_not_ready(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """A 304 to a request that sent no validators carries no status: retry set-up."""
    aioclient_mock.get(SUMMARY_URL, status=304)
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.error_reason_translation_key == "invalid_response"


async def test_unexpected_client_error_is_a_translated_failure(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
) -> None:
    """An error class the coordinator has no special case for still fails cleanly."""
    aioclient_mock.get(SUMMARY_URL, json={})
    with patch(
        "custom_components.cloud_status.providers.statuspage.StatuspageClient.async_get_summary",
        side_effect=CloudStatusError("odd"),
    ):
        await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.error_reason_translation_key == "update_failed"


async def test_page_without_url_links_to_the_configured_address(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    device_registry: dr.DeviceRegistry,
    summary_payload: dict[str, Any],
) -> None:
    """When the page gives no URL of its own, the device links to what the user gave."""
    del summary_payload["page"]["url"]
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    await setup_entry(hass, mock_config_entry)
    device = device_registry.async_get_device_by_identifier(
        ("cloud_status", "statuspage:examplepage01"), mock_config_entry.entry_id
    )
    assert device is not None
    assert device.configuration_url == "https://status.example.com"


@pytest.mark.usefixtures("mock_summary")
async def test_repair_issue_after_a_day_of_404(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    summary_payload: dict[str, Any],
) -> None:
    """24 hours of 404s without a success raise a repair issue; only a success ends it.

    Other failures in between neither remove the issue nor restart its clock.
    """
    await setup_entry(hass, mock_config_entry)
    issue_id = f"page_not_found_{mock_config_entry.entry_id}"

    await next_poll(hass, freezer, aioclient_mock, status=404)
    freezer.tick(timedelta(hours=12))
    await next_poll(hass, freezer, aioclient_mock, exc=TimeoutError())
    await next_poll(hass, freezer, aioclient_mock, status=503)
    await next_poll(hass, freezer, aioclient_mock, status=404)
    assert issue_registry.async_get_issue("cloud_status", issue_id) is None

    freezer.tick(timedelta(hours=12))
    await next_poll(hass, freezer, aioclient_mock, status=404)
    issue = issue_registry.async_get_issue("cloud_status", issue_id)
    assert issue is not None
    assert issue.translation_key == "page_not_found"
    assert issue.translation_placeholders == {"title": "Example"}

    # A 503 after a day of 404s leaves the issue: the entry still fails.
    await next_poll(hass, freezer, aioclient_mock, status=503)
    await next_poll(hass, freezer, aioclient_mock, text="<html>bot wall</html>")
    assert issue_registry.async_get_issue("cloud_status", issue_id) is not None

    await next_poll(hass, freezer, aioclient_mock, json=summary_payload)
    assert issue_registry.async_get_issue("cloud_status", issue_id) is None
    assert hass.states.get(OVERALL).state == "operational"

    # The clock starts afresh after the success.
    await next_poll(hass, freezer, aioclient_mock, status=404)
    freezer.tick(timedelta(hours=23))
    await next_poll(hass, freezer, aioclient_mock, status=404)
    assert issue_registry.async_get_issue("cloud_status", issue_id) is None


@pytest.mark.usefixtures("mock_summary")
@pytest.mark.parametrize("retry_after", ["0", "5"])
async def test_short_retry_after_never_speeds_polling_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
    retry_after: str,
) -> None:
    """A Retry-After shorter than the poll interval keeps the interval."""
    await setup_entry(hass, mock_config_entry)
    await next_poll(
        hass, freezer, aioclient_mock, status=429, headers={"Retry-After": retry_after}
    )

    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    for _ in range(5):
        await advance(hass, freezer, timedelta(seconds=10))
    assert aioclient_mock.call_count == 0

    await advance(hass, freezer, timedelta(seconds=11))
    assert aioclient_mock.call_count == 1
    assert hass.states.get(OVERALL).state == "operational"


async def test_retry_after_holds_across_set_up_retries(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    summary_payload: dict[str, Any],
) -> None:
    """Set-up retries come every few seconds; none of them asks before Retry-After."""
    aioclient_mock.get(SUMMARY_URL, status=429, headers={"Retry-After": "120"})
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert aioclient_mock.call_count == 1

    aioclient_mock.clear_requests()
    aioclient_mock.get(SUMMARY_URL, json=summary_payload)
    for _ in range(3):  # retries after 5, 10 and 20 s, all within the 120 s
        await advance(hass, freezer, timedelta(seconds=21))
    assert aioclient_mock.call_count == 0
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY

    await advance(hass, freezer, timedelta(seconds=120))
    assert aioclient_mock.call_count == 1
    assert mock_config_entry.state is ConfigEntryState.LOADED


async def test_repair_issue_counts_404s_across_set_up_retries(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A page deleted before a restart still gets its repair issue after a day."""
    issue_id = f"page_not_found_{mock_config_entry.entry_id}"
    aioclient_mock.get(SUMMARY_URL, status=404)
    await setup_entry(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY

    await advance(hass, freezer, timedelta(hours=12))
    assert issue_registry.async_get_issue("cloud_status", issue_id) is None
    await advance(hass, freezer, timedelta(hours=12, minutes=1))

    assert aioclient_mock.call_count == 3
    assert issue_registry.async_get_issue("cloud_status", issue_id) is not None

    # Deleting the entry takes its issue along.
    assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue("cloud_status", issue_id) is None
