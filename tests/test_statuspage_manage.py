"""The Statuspage management API provider in Home Assistant.

The per-key request spacer runs on a fake clock here: its waits advance the clock
instead of the wall clock, so the tests are fast and can measure request spacing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from datetime import timedelta
from functools import partial
from itertools import pairwise
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
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from yarl import URL

from custom_components.cloud_status.api.ratelimit import RequestSpacer
from custom_components.cloud_status.api.statuspage_manage import ManagedPage
from custom_components.cloud_status.const import CONF_PAGE_ID, CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.credentials import statuspage_request_spacer
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_URL, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .conftest import load_json_fixture
from .helpers import advance, only_platform, select_options, setup_entry

API = "https://api.statuspage.io/v1"
API_KEY = "0123456789abcdef0123456789abcdef"
NEW_API_KEY = "fedcba9876543210fedcba9876543210"
PAGE_ID = "k3lq8w1yzt0v"
OTHER_PAGE_ID = "p7x2m9c4r1ba"
ENTRY_ID = "01JSTATUSPAGEMANAGEENTRY0"
POLL = timedelta(seconds=121)
PAGE_ENDPOINTS = {
    "": "statuspage_manage_page.json",
    "/components": "statuspage_manage_components.json",
    "/component-groups": "statuspage_manage_component_groups.json",
    "/incidents/unresolved": "statuspage_manage_incidents_unresolved.json",
    "/incidents/active_maintenance": "statuspage_manage_incidents_active_maintenance.json",
    "/incidents/upcoming": "statuspage_manage_incidents_upcoming.json",
}


class FakeClock:
    """A monotonic clock that only moves when the spacer sleeps."""

    def __init__(self) -> None:
        """Start at an arbitrary time."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture(autouse=True)
def clock() -> Generator[FakeClock]:
    """Give every spacer the fake clock."""
    fake = FakeClock()
    with patch(
        "custom_components.cloud_status.credentials.RequestSpacer",
        partial(RequestSpacer, clock=fake, sleep=fake.sleep),
    ):
        yield fake


@pytest.fixture
def request_log(
    aioclient_mock: AiohttpClientMocker, clock: FakeClock
) -> list[tuple[float, str, str]]:
    """Answer every page endpoint from the fixtures and log (time, key, path)."""
    log: list[tuple[float, str, str]] = []

    def answer(payload: Any, status: int = 200) -> Any:
        async def side_effect(
            method: str, url: URL, data: Any
        ) -> AiohttpClientMockResponse:
            log.append((clock.now, "", url.path))
            return AiohttpClientMockResponse(method, url, status=status, json=payload)

        return side_effect

    aioclient_mock.get(
        f"{API}/pages",
        side_effect=answer(load_json_fixture("statuspage_manage_pages.json")),
    )
    for page_id in (PAGE_ID, OTHER_PAGE_ID):
        for suffix, fixture in PAGE_ENDPOINTS.items():
            payload = load_json_fixture(fixture)
            if suffix == "":
                payload = {**payload, "id": page_id}
            aioclient_mock.get(
                f"{API}/pages/{page_id}{suffix}", side_effect=answer(payload)
            )
    return log


def _entry(page_id: str = PAGE_ID, entry_id: str = ENTRY_ID) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Acme Cloud",
        data={
            CONF_PROVIDER: "statuspage_manage",
            CONF_API_KEY: API_KEY,
            CONF_PAGE_ID: page_id,
        },
        unique_id=f"statuspage:{page_id}",
        entry_id=entry_id,
    )


async def _start_flow(hass: HomeAssistant) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "statuspage_manage"}
    )


# --- config flow -----------------------------------------------------------------------


@pytest.mark.usefixtures("request_log")
async def test_flow_creates_entry_for_chosen_page(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
) -> None:
    """Key, then a page picked from the key's pages; the key goes in an OAuth header."""
    result = await _start_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage_manage"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f"  {API_KEY} "}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage_manage_page"
    assert select_options(result, CONF_PAGE_ID) == [
        {"value": PAGE_ID, "label": "Acme Cloud"},
        {"value": OTHER_PAGE_ID, "label": "Acme Internal"},
    ]
    method, url, _, headers = aioclient_mock.mock_calls[0]
    assert (method, str(url)) == ("GET", f"{API}/pages")
    assert headers["Authorization"] == f"OAuth {API_KEY}"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PAGE_ID: OTHER_PAGE_ID}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Acme Internal"
    assert result["data"] == {
        CONF_PROVIDER: "statuspage_manage",
        CONF_API_KEY: API_KEY,
        CONF_PAGE_ID: OTHER_PAGE_ID,
    }
    assert result["result"].unique_id == f"statuspage:{OTHER_PAGE_ID}"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 401, "json": {"error": "Could not authenticate"}}, "invalid_auth"),
        ({"status": 403, "json": {"message": "Forbidden"}}, "invalid_auth"),
        ({"status": 420, "headers": {"Retry-After": "30"}}, "rate_limited"),
        ({"status": 429}, "rate_limited"),
        ({"status": 500, "text": "oops"}, "cannot_connect"),
        ({"status": 404}, "cannot_connect"),
        ({"json": []}, "no_pages"),
        ({"text": "<html>"}, "not_a_status_page"),
    ],
    ids=["401", "403", "420", "429", "500", "404", "no_pages", "html"],
)
async def test_flow_errors_then_recovers(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    mock_setup_entry: AsyncMock,
    clock: FakeClock,
    answer: dict[str, Any],
    error: str,
) -> None:
    """Each failure is a form error; the same flow then reaches an entry."""
    aioclient_mock.get(f"{API}/pages", **answer)
    result = await _start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "statuspage_manage"
    assert result["errors"] == {"base": error}

    clock.now += 61  # past any Retry-After pause of the key
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{API}/pages", json=load_json_fixture("statuspage_manage_pages.json")
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PAGE_ID: PAGE_ID}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_flow_unexpected_error(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """An unexpected exception is `unknown`."""
    result = await _start_flow(hass)
    with patch(
        "custom_components.cloud_status.providers.statuspage_manage.StatuspageManageClient.async_get_pages",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: API_KEY}
        )
    assert result["errors"] == {"base": "unknown"}


@pytest.mark.usefixtures("request_log")
async def test_flow_offers_only_pages_not_configured(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """A page added publicly or through the API is not offered again."""
    MockConfigEntry(
        domain=DOMAIN,
        data={CONF_PROVIDER: "statuspage", CONF_URL: "https://acme.statuspage.io"},
        unique_id=f"statuspage:{PAGE_ID}",
    ).add_to_hass(hass)
    result = await _start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert select_options(result, CONF_PAGE_ID) == [
        {"value": OTHER_PAGE_ID, "label": "Acme Internal"}
    ]

    _entry(OTHER_PAGE_ID, "01JOTHERENTRY000000000000").add_to_hass(hass)
    result = await _start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# --- polling and entities ----------------------------------------------------------


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "request_log")
async def test_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Same entities as a public page; members named after their group."""
    entry = _entry()
    with only_platform(Platform.SENSOR):
        await setup_entry(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_poll_requests_and_events(
    hass: HomeAssistant,
    request_log: list[tuple[float, str, str]],
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A poll reads the lists (page and groups only hourly); changes fire events."""
    await setup_entry(hass, _entry())
    assert len(request_log) == 6
    assert hass.states.get("sensor.acme_cloud_network_edge_proxy").state == (
        "degraded_performance"
    )
    assert hass.states.get("sensor.acme_cloud_active_incidents").state == "2"

    unresolved = load_json_fixture("statuspage_manage_incidents_unresolved.json")
    aioclient_mock.clear_requests()
    request_log.clear()
    for page_id in (PAGE_ID,):
        for suffix, fixture in PAGE_ENDPOINTS.items():
            payload = unresolved[1:] if "unresolved" in suffix else None
            aioclient_mock.get(
                f"{API}/pages/{page_id}{suffix}",
                json=payload if payload is not None else load_json_fixture(fixture),
            )
    await advance(hass, freezer, POLL)

    assert [str(call[1].path) for call in aioclient_mock.mock_calls] == [
        f"/v1/pages/{PAGE_ID}/components",
        f"/v1/pages/{PAGE_ID}/incidents/unresolved",
        f"/v1/pages/{PAGE_ID}/incidents/active_maintenance",
        f"/v1/pages/{PAGE_ID}/incidents/upcoming",
    ]
    assert hass.states.get("sensor.acme_cloud_active_incidents").state == "1"
    event = hass.states.get("event.acme_cloud_incident")
    assert event.attributes["event_type"] == "incident_resolved"
    assert event.attributes["id"] == "inc0api00001"


async def test_refused_key_starts_reauth(
    hass: HomeAssistant,
    request_log: list[tuple[float, str, str]],
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A revoked key starts reauth; the entry and its entities stay."""
    entry = _entry()
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{API}/pages/{PAGE_ID}/components",
        status=401,
        json={"error": "Could not authenticate"},
    )
    await advance(hass, freezer, POLL)

    assert hass.states.get("sensor.acme_cloud_overall_status").state == (
        STATE_UNAVAILABLE
    )
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]

    aioclient_mock.clear_requests()
    aioclient_mock.get(f"{API}/pages", status=401, json={"error": "Nope"})
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_KEY: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{API}/pages",
        json=[
            p
            for p in load_json_fixture("statuspage_manage_pages.json")
            if p["id"] != PAGE_ID
        ],
    )
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_KEY: "other-account"}
    )
    assert result["errors"] == {"base": "page_not_visible"}

    aioclient_mock.clear_requests()
    request_log.clear()
    for suffix, fixture in PAGE_ENDPOINTS.items():
        aioclient_mock.get(
            f"{API}/pages/{PAGE_ID}{suffix}", json=load_json_fixture(fixture)
        )
    aioclient_mock.get(
        f"{API}/pages", json=load_json_fixture("statuspage_manage_pages.json")
    )
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_KEY: NEW_API_KEY}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == NEW_API_KEY
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.acme_cloud_overall_status").state != (
        STATE_UNAVAILABLE
    )
    assert all(
        call[3]["Authorization"] == f"OAuth {NEW_API_KEY}"
        for call in aioclient_mock.mock_calls
    )


@pytest.mark.usefixtures("request_log")
async def test_reconfigure_changes_key(hass: HomeAssistant) -> None:
    """Reconfigure takes another key that sees the same page."""
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"

    with patch(
        "custom_components.cloud_status.providers.statuspage_manage.StatuspageManageClient.async_get_pages",
        return_value=[],
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "empty-account"}
        )
    assert result["errors"] == {"base": "no_pages"}
    assert entry.data[CONF_API_KEY] == API_KEY

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: NEW_API_KEY}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == NEW_API_KEY


async def test_rate_limit_pauses_every_user_of_the_key(
    hass: HomeAssistant,
    request_log: list[tuple[float, str, str]],
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    clock: FakeClock,
) -> None:
    """A 429 makes entities unavailable and holds the key's next request back."""
    entry = _entry()
    await setup_entry(hass, entry)

    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{API}/pages/{PAGE_ID}/components",
        status=429,
        headers={"Retry-After": "90"},
    )
    await advance(hass, freezer, POLL)

    assert hass.states.get("sensor.acme_cloud_overall_status").state == (
        STATE_UNAVAILABLE
    )
    spacer = statuspage_request_spacer(hass, API_KEY)
    assert spacer.next_slot >= clock.now + 89
    assert entry.runtime_data.coordinator.last_update_success is False

    # The config flow shares the pause: it says so at once instead of waiting.
    aioclient_mock.clear_requests()
    result = await _start_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["errors"] == {"base": "rate_limited"}
    assert aioclient_mock.mock_calls == []


async def test_deleted_page_raises_repair_after_a_day(
    hass: HomeAssistant,
    request_log: list[tuple[float, str, str]],
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """404s are translated failures; after 24 h of them a repair issue appears."""
    entry = _entry()
    await setup_entry(hass, entry)
    aioclient_mock.clear_requests()
    aioclient_mock.get(
        f"{API}/pages/{PAGE_ID}/components",
        status=404,
        json={"error": "The requested resource could not be found."},
    )
    await advance(hass, freezer, POLL)
    assert issue_registry.async_get_issue(DOMAIN, f"page_not_found_{ENTRY_ID}") is None

    await advance(hass, freezer, timedelta(hours=24))
    await advance(hass, freezer, POLL)
    assert (
        issue_registry.async_get_issue(DOMAIN, f"page_not_found_{ENTRY_ID}") is not None
    )


async def test_two_pages_one_key_share_one_request_per_second(
    hass: HomeAssistant,
    request_log: list[tuple[float, str, str]],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two entries on one key never send two requests less than a second apart."""
    first = _entry()
    second = _entry(OTHER_PAGE_ID, "01JOTHERENTRY000000000000")
    first.add_to_hass(hass)
    second.add_to_hass(hass)
    # Setting up the integration sets up both of its entries, concurrently.
    await hass.config_entries.async_setup(first.entry_id)
    await hass.async_block_till_done()
    assert second.state is ConfigEntryState.LOADED
    for _ in range(3):
        await advance(hass, freezer, POLL)

    paths = {path for _, _, path in request_log}
    assert any(OTHER_PAGE_ID in path for path in paths)
    assert any(f"/{PAGE_ID}/" in path for path in paths)
    times = [when for when, _, _ in request_log]
    assert len(times) == 6 + 6 + 3 * (4 + 4)
    assert times == sorted(times)
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= 1.0


async def test_diagnostics_redact_key(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    request_log: list[tuple[float, str, str]],
) -> None:
    """The key never reaches diagnostics; the request count per poll does."""
    entry = _entry()
    await setup_entry(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    assert API_KEY not in json.dumps(diagnostics)
    assert diagnostics["entry"]["data"][CONF_API_KEY] == "**REDACTED**"
    assert diagnostics["client"] == {"requests_per_poll": 6}


@pytest.mark.usefixtures("request_log")
async def test_page_configured_while_the_picker_was_open(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """Two flows picked the same page: the second one aborts instead of failing."""
    first = await _start_flow(hass)
    first = await hass.config_entries.flow.async_configure(
        first["flow_id"], {CONF_API_KEY: API_KEY}
    )
    second = await _start_flow(hass)
    second = await hass.config_entries.flow.async_configure(
        second["flow_id"], {CONF_API_KEY: API_KEY}
    )
    result = await hass.config_entries.flow.async_configure(
        first["flow_id"], {CONF_PAGE_ID: PAGE_ID}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY

    result = await hass.config_entries.flow.async_configure(
        second["flow_id"], {CONF_PAGE_ID: PAGE_ID}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("request_log")
async def test_reconfigure_with_another_accounts_key_aborts(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """A key that cannot see the entry's page belongs elsewhere: wrong_page."""
    entry = _entry()
    await setup_entry(hass, entry)

    result = await entry.start_reconfigure_flow(hass)
    with patch(
        "custom_components.cloud_status.providers.statuspage_manage.StatuspageManageClient.async_get_pages",
        return_value=[ManagedPage(id="zzzzzzzzzzzz", name="Someone else", url=None)],
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: NEW_API_KEY}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_page"
    assert entry.data[CONF_API_KEY] == API_KEY
