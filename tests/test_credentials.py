"""Sharing by credentials: one request spacer per Statuspage key, one IMS token each.

Shared objects live exactly as long as an entry or a flow uses them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from datetime import timedelta
from functools import partial
import gc
from itertools import pairwise
import time
from typing import Any
from unittest.mock import patch
from weakref import WeakSet, ref

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
    AiohttpClientMockResponse,
)
from yarl import URL

from custom_components.cloud_status.api.adobe_ims import (
    ImsTokenProvider,
    JwtTokenProvider,
    OAuthServerToServerTokenProvider,
)
from custom_components.cloud_status.api.ratelimit import RequestSpacer
from custom_components.cloud_status.const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PAGE_ID,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    DOMAIN,
)
from custom_components.cloud_status.credentials import (
    SPACER_LINGER,
    build_token_provider,
    statuspage_request_spacer,
)
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_API_KEY, CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant

from .conftest import load_json_fixture
from .helpers import setup_entry
from .photoshop_helpers import NEW_CLIENT_SECRET, JobServer, mock_token, photoshop_data

OAUTH = {
    CONF_AUTH_METHOD: "oauth",
    CONF_CLIENT_ID: "client",
    CONF_CLIENT_SECRET: "secret",
    CONF_SCOPES: "openid,AdobeID",
}


def test_one_spacer_per_api_key(hass: HomeAssistant) -> None:
    """Every user of a key gets the same spacer; another key gets its own."""
    first = statuspage_request_spacer(hass, "key-one")
    assert statuspage_request_spacer(hass, "key-one") is first
    assert statuspage_request_spacer(hass, "key-two") is not first
    assert first.interval == 1.0


async def test_equal_credentials_share_a_token_provider(hass: HomeAssistant) -> None:
    """Equal credentials share one provider (one token); different ones do not."""
    provider = build_token_provider(hass, OAUTH)
    assert isinstance(provider, OAuthServerToServerTokenProvider)
    assert build_token_provider(hass, dict(OAUTH)) is provider
    assert build_token_provider(hass, {**OAUTH, CONF_SCOPES: "openid"}) is not provider
    assert build_token_provider(hass, {**OAUTH, CONF_CLIENT_SECRET: "new"}) is not (
        provider
    )


async def test_flow_providers_are_not_kept(hass: HomeAssistant) -> None:
    """Credentials still being checked get a provider of their own, not remembered."""
    unshared = build_token_provider(hass, OAUTH, shared=False)
    assert build_token_provider(hass, OAUTH) is not unshared


async def test_jwt_provider_uses_the_entry_host(hass: HomeAssistant) -> None:
    """A JWT entry gets a JWT provider for its IMS host."""
    data: dict[str, Any] = {
        CONF_AUTH_METHOD: "jwt",
        CONF_CLIENT_ID: "client",
        CONF_CLIENT_SECRET: "secret",
        CONF_ORG_ID: "org@AdobeOrg",
        CONF_TECHNICAL_ACCOUNT_ID: "tech@techacct.adobe.com",
        CONF_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----",
        CONF_IMS_HOST: "ims-na1-stg1.adobelogin.com",
    }
    provider = build_token_provider(hass, data)
    assert isinstance(provider, JwtTokenProvider)
    assert provider.ims_host == "ims-na1-stg1.adobelogin.com"


# --- lifetime: shared while used, released when nobody uses them -----------------------

MANAGE_API = "https://api.statuspage.io/v1"
API_KEY = "0123456789abcdef0123456789abcdef"
PAGE_ID = "k3lq8w1yzt0v"
OTHER_PAGE_ID = "p7x2m9c4r1ba"
PAGE_ENDPOINTS = {
    "": "statuspage_manage_page.json",
    "/components": "statuspage_manage_components.json",
    "/component-groups": "statuspage_manage_component_groups.json",
    "/incidents/unresolved": "statuspage_manage_incidents_unresolved.json",
    "/incidents/active_maintenance": "statuspage_manage_incidents_active_maintenance.json",
    "/incidents/upcoming": "statuspage_manage_incidents_upcoming.json",
}


class SpacerClock:
    """The frozen monotonic clock, plus whatever the spacers slept (never waited)."""

    def __init__(self) -> None:
        """Start with nothing slept."""
        self.slept = 0.0

    def __call__(self) -> float:
        """Return the time the spacers see."""
        return time.monotonic() + self.slept

    async def sleep(self, seconds: float) -> None:
        """Move this clock on instead of waiting."""
        self.slept += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture
def spacer_clock(freezer: FrozenDateTimeFactory) -> Generator[SpacerClock]:
    """Let the spacers of Statuspage keys sleep on a clock that does not wait."""
    clock = SpacerClock()
    with patch(
        "custom_components.cloud_status.credentials.RequestSpacer",
        partial(RequestSpacer, clock=clock, sleep=clock.sleep),
    ):
        yield clock


@pytest.fixture
def request_times(
    aioclient_mock: AiohttpClientMocker, spacer_clock: SpacerClock
) -> list[float]:
    """Answer the management API for both pages; log when each request was sent."""
    times: list[float] = []

    def answer(payload: Any) -> Any:
        async def side_effect(
            method: str, url: URL, data: Any
        ) -> AiohttpClientMockResponse:
            times.append(spacer_clock())
            return AiohttpClientMockResponse(method, url, json=payload)

        return side_effect

    aioclient_mock.get(
        f"{MANAGE_API}/pages",
        side_effect=answer(load_json_fixture("statuspage_manage_pages.json")),
    )
    for page_id in (PAGE_ID, OTHER_PAGE_ID):
        for suffix, fixture in PAGE_ENDPOINTS.items():
            payload = load_json_fixture(fixture)
            if suffix == "":
                payload = {**payload, "id": page_id}
            aioclient_mock.get(
                f"{MANAGE_API}/pages/{page_id}{suffix}", side_effect=answer(payload)
            )
    return times


def _manage_entry(page_id: str, entry_id: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=page_id,
        data={
            CONF_PROVIDER: "statuspage_manage",
            CONF_API_KEY: API_KEY,
            CONF_PAGE_ID: page_id,
        },
        unique_id=f"statuspage:{page_id}",
        entry_id=entry_id,
    )


async def _start_flow(hass: HomeAssistant, step: str) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


def _alive[T](kind: type[T], before: WeakSet[Any]) -> list[T]:
    """Return the objects of `kind` in memory that were not there `before`."""
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, kind) and o not in before]


def _existing(kind: type[Any]) -> WeakSet[Any]:
    gc.collect()
    return WeakSet(o for o in gc.get_objects() if isinstance(o, kind))


async def _linger_past(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(timedelta(seconds=SPACER_LINGER + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_a_key_typed_into_a_flow_is_forgotten(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A flow's key keeps its spacer a minute after its last use, then nothing."""
    before = _existing(RequestSpacer)
    aioclient_mock.get(
        f"{MANAGE_API}/pages", status=401, json={"error": "Could not authenticate"}
    )
    result = await _start_flow(hass, "statuspage_manage")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    hass.config_entries.flow.async_abort(result["flow_id"])

    assert len(_alive(RequestSpacer, before)) == 1
    await _linger_past(hass, freezer)
    assert _alive(RequestSpacer, before) == []


async def test_entries_and_a_flow_with_one_key_share_its_spacer(
    hass: HomeAssistant,
    request_times: list[float],
    freezer: FrozenDateTimeFactory,
) -> None:
    """One spacer per key while any entry or flow uses it; none once all are gone."""
    before = _existing(RequestSpacer)
    first = _manage_entry(PAGE_ID, "01JFIRSTMANAGEENTRY000000")
    second = _manage_entry(OTHER_PAGE_ID, "01JSECONDMANAGEENTRY00000")
    await setup_entry(hass, first)
    await setup_entry(hass, second)
    assert second.state is ConfigEntryState.LOADED

    result = await _start_flow(hass, "statuspage_manage")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["reason"] == "already_configured"  # both pages are
    [spacer] = _alive(RequestSpacer, before)
    # The flow went through the entries' spacer: its request waited its turn.
    assert len(request_times) == 6 + 6 + 1
    assert min(b - a for a, b in pairwise(request_times)) >= 1.0

    await _linger_past(hass, freezer)
    assert await hass.config_entries.async_unload(first.entry_id)
    assert _alive(RequestSpacer, before) == [spacer]  # the second entry holds it

    assert await hass.config_entries.async_remove(second.entry_id)
    await _linger_past(hass, freezer)
    del spacer
    assert _alive(RequestSpacer, before) == []


async def test_an_entry_made_by_a_flow_keeps_the_flows_spacing(
    hass: HomeAssistant, request_times: list[float]
) -> None:
    """The new entry's first request still waits a second after the flow's last."""
    result = await _start_flow(hass, "statuspage_manage")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PAGE_ID: PAGE_ID}
    )
    await hass.async_block_till_done()

    assert result["result"].state is ConfigEntryState.LOADED
    assert len(request_times) == 1 + 6
    assert min(b - a for a, b in pairwise(request_times)) >= 1.0


async def test_a_pause_outlives_the_flow_that_met_it(
    hass: HomeAssistant,
    aioclient_mock: AiohttpClientMocker,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 429 met by a flow still holds the key back for the next flow."""
    before = _existing(RequestSpacer)
    aioclient_mock.get(f"{MANAGE_API}/pages", status=429, headers={"Retry-After": "90"})
    result = await _start_flow(hass, "statuspage_manage")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["errors"] == {"base": "rate_limited"}
    hass.config_entries.flow.async_abort(result["flow_id"])
    await _linger_past(hass, freezer)  # a minute on: the pause still runs

    aioclient_mock.clear_requests()
    result = await _start_flow(hass, "statuspage_manage")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: API_KEY}
    )
    assert result["errors"] == {"base": "rate_limited"}
    assert aioclient_mock.mock_calls == []
    hass.config_entries.flow.async_abort(result["flow_id"])

    await _linger_past(hass, freezer)  # past the pause and the linger
    assert _alive(RequestSpacer, before) == []


def _providers_key(hass: HomeAssistant, data: dict[str, Any]) -> str:
    return build_token_provider(hass, data, shared=False).cache_key


def _providers_of(
    hass: HomeAssistant, data: dict[str, Any], before: WeakSet[Any]
) -> list[ImsTokenProvider]:
    """Return the token providers for these credentials made since `before`."""
    key = _providers_key(hass, data)
    return [p for p in _alive(ImsTokenProvider, before) if p.cache_key == key]


async def test_entries_with_equal_credentials_share_one_provider(
    hass: HomeAssistant, server: JobServer, aioclient_mock: AiohttpClientMocker
) -> None:
    """Two entries, one provider and one token; removing both leaves none."""
    before = _existing(ImsTokenProvider)
    entries = [
        MockConfigEntry(
            domain=DOMAIN, title=f"Photoshop {n}", data=photoshop_data(), entry_id=n
        )
        for n in ("01JPHOTOSHOPONE0000000000", "01JPHOTOSHOPTWO0000000000")
    ]
    for entry in entries:
        await setup_entry(hass, entry)
        assert entry.state is ConfigEntryState.LOADED

    assert len(_providers_of(hass, photoshop_data(), before)) == 1
    assert sum(1 for call in aioclient_mock.mock_calls if call[0] == "POST") == 1

    assert await hass.config_entries.async_remove(entries[0].entry_id)
    assert len(_providers_of(hass, photoshop_data(), before)) == 1
    assert await hass.config_entries.async_remove(entries[1].entry_id)
    assert _providers_of(hass, photoshop_data(), before) == []


async def test_a_secret_replaced_by_reauth_is_forgotten(
    hass: HomeAssistant, entry: MockConfigEntry, aioclient_mock: AiohttpClientMocker
) -> None:
    """After reauth reloads the entry, no provider holds the old secret."""
    old, new = photoshop_data(), photoshop_data(client_secret=NEW_CLIENT_SECRET)
    before = _existing(ImsTokenProvider)
    [in_use] = (p for p in before if p.cache_key == _providers_key(hass, old))
    used = ref(in_use)
    del in_use

    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    [flow] = entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_CLIENT_SECRET: NEW_CLIENT_SECRET}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "reauth_successful"
    assert entry.state is ConfigEntryState.LOADED
    gc.collect()
    assert used() is None
    assert len(_providers_of(hass, new, before)) == 1


async def test_credentials_typed_into_a_flow_are_forgotten(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """Credentials IMS refused in a flow leave no provider once the flow ends."""
    before = _existing(ImsTokenProvider)
    mock_token(
        aioclient_mock,
        status=401,
        json=load_json_fixture("adobe_ims_401_invalid_client.json"),
    )
    result = await _start_flow(hass, "photoshop")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            key: photoshop_data()[key]
            for key in (CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_SCOPES)
        },
    )
    assert result["errors"] == {"base": "invalid_auth"}
    hass.config_entries.flow.async_abort(result["flow_id"])

    assert _providers_of(hass, photoshop_data(), before) == []
