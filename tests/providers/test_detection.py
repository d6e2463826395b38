"""Any status page: the platform is detected from the address, first match wins."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from unittest.mock import AsyncMock, patch

from aiohttp import web
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.cloud_status.api import StatusSnapshot
from custom_components.cloud_status.api.detection import Detected, Probe
from custom_components.cloud_status.config_flow import CloudStatusConfigFlow
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import PROVIDERS, detection
from custom_components.cloud_status.providers.base import ProviderModule
from custom_components.cloud_status.providers.platform import (
    PlatformCoordinator,
    SnapshotClient,
    page_platform,
)
from custom_components.cloud_status.validation import ValidatedSource
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType

from ..conftest import PAGE_ID, load_json_fixture
from ..scripted_server import ScriptedServer

SUMMARY = "/api/v2/summary.json"
CLOUDSIGMA_STATUS = "/api/v1/status"


async def _submit(hass: HomeAssistant, url: str) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "status_page"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "status_page"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url}
    )


def _cloudsigma_status() -> dict[str, Any]:
    return load_json_fixture("cloudsigma_status_operational.json")


@pytest.mark.usefixtures("mock_setup_entry")
async def test_statuspage_page_is_found_with_one_request(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """An Atlassian page is the first platform tried: one request, then the entry."""
    scripted_server.json(
        SUMMARY, load_json_fixture("statuspage_summary_operational.json")
    )

    result = await _submit(hass, f"{scripted_server.url}/")

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Example"
    assert result["data"] == {
        CONF_PROVIDER: "statuspage",
        CONF_URL: scripted_server.url,
    }
    assert result["result"].unique_id == f"statuspage:{PAGE_ID}"
    assert scripted_server.seen == [SUMMARY]


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_page_added_either_way_is_one_entry(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """The page added through `statuspage` aborts `already_configured` here."""
    scripted_server.json(
        SUMMARY, load_json_fixture("statuspage_summary_operational.json")
    )
    MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"statuspage:{PAGE_ID}",
        data={CONF_PROVIDER: "statuspage", CONF_URL: "https://status.example.com"},
    ).add_to_hass(hass)

    result = await _submit(hass, scripted_server.url)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("mock_setup_entry")
async def test_cloudsigma_is_tried_after_statuspage(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """Statuspage's 404 means "not this platform"; CloudSigma's status then matches."""
    scripted_server.json(CLOUDSIGMA_STATUS, _cloudsigma_status())

    result = await _submit(hass, scripted_server.url)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_PROVIDER: "cloudsigma",
        CONF_URL: scripted_server.url,
    }
    assert result["result"].unique_id == "cloudsigma:127.0.0.1"
    assert scripted_server.seen == [SUMMARY, CLOUDSIGMA_STATUS]


async def test_a_sorry_page_is_not_cloudsigma(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """Sorry answers CloudSigma's path with a `page` object: not CloudSigma."""
    scripted_server.json(
        CLOUDSIGMA_STATUS, {**_cloudsigma_status(), "page": {"name": "Sorry"}}
    )

    result = await _submit(hass, scripted_server.url)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}


@pytest.mark.parametrize(
    "body",
    [
        {"status": "ok"},
        {"indicators": "none", "page": None},
        {"indicators": {"api": 1}},
        ["not", "an", "object"],
    ],
)
async def test_json_that_is_not_cloudsigma_is_not_cloudsigma(
    hass: HomeAssistant, scripted_server: ScriptedServer, body: Any
) -> None:
    """Other JSON at CloudSigma's path is another platform's (or none)."""
    scripted_server.json(CLOUDSIGMA_STATUS, body)

    result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "not_a_status_page"}


async def test_nothing_found_is_not_a_status_page_and_no_credential_is_sent(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """Every platform is tried once; nothing carries a credential."""
    result = await _submit(hass, f"{scripted_server.url}/status")

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_a_status_page"}
    assert len(scripted_server.seen) == len(set(scripted_server.seen))
    assert all("Authorization" not in headers for headers in scripted_server.headers)
    assert all(
        not key.lower().startswith("x-") or key.lower() == "x-forwarded-for"
        for headers in scripted_server.headers
        for key in headers
    )


async def test_html_everywhere_is_not_a_status_page(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """A site that answers every path with its HTML is no platform, not a parse error."""
    html = "<!doctype html><html><head><title>Shop</title></head></html>"
    for path in (SUMMARY, CLOUDSIGMA_STATUS, "/"):
        scripted_server.text(path, html)

    result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "not_a_status_page"}


async def test_a_redirect_to_the_home_page_is_not_this_platform(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """summary.json moved to the site's HTML home page: detection goes on."""
    scripted_server.redirect(SUMMARY, "/")
    scripted_server.text("/", "<!doctype html><title>Home</title>")
    scripted_server.json(CLOUDSIGMA_STATUS, _cloudsigma_status())

    result = await _submit(hass, scripted_server.url)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PROVIDER] == "cloudsigma"


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, "access_denied"), (401, "access_denied"), (500, "cannot_connect")],
)
async def test_every_probe_refused_or_failing(
    hass: HomeAssistant, scripted_server: ScriptedServer, status: int, error: str
) -> None:
    """Bot walls refuse every probe: access_denied; a broken server: cannot_connect."""
    scripted_server.default = lambda _: web.Response(
        status=status, text="<html>no</html>", content_type="text/html"
    )

    result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": error}


async def test_a_rate_limited_probe_says_so(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """Nothing matched and one probe was told to slow down: rate_limited."""
    scripted_server.json(SUMMARY, {}, status=429, **{"Retry-After": "30"})

    result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "rate_limited"}


async def test_a_refusal_wins_over_a_rate_limit(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """A bot wall that also rate-limits is reported as the wall."""
    scripted_server.json(SUMMARY, {}, status=429)
    scripted_server.json(CLOUDSIGMA_STATUS, {}, status=403)

    result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "access_denied"}


async def test_an_unreachable_host_stops_at_once(
    hass: HomeAssistant, socket_enabled: None, unused_tcp_port: int
) -> None:
    """Nothing listens: cannot_connect after the first probe, not one per platform."""
    with patch.object(
        Probe, "attempt", autospec=True, side_effect=Probe.attempt
    ) as attempt:
        result = await _submit(hass, f"http://127.0.0.1:{unused_tcp_port}")

    assert result["errors"] == {"base": "cannot_connect"}
    assert attempt.call_count == 1


async def test_detection_is_bounded_in_time(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """A server that answers nothing in time ends detection with cannot_connect."""
    answered = asyncio.Event()

    async def stall(_: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        answered.set()
        return web.Response(status=404)

    scripted_server.answers[SUMMARY] = stall
    with patch.object(detection, "DETECTION_TIMEOUT", 0.2):
        result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "cannot_connect"}
    assert not answered.is_set()
    await answered.wait()


@pytest.mark.parametrize("pasted", ["", "ftp://example.com", "has space.com"])
async def test_an_impossible_address_is_flagged_on_the_field(
    hass: HomeAssistant, pasted: str
) -> None:
    """An address that cannot be a page: invalid_url, no request."""
    result = await _submit(hass, pasted)

    assert result["errors"] == {CONF_URL: "invalid_url"}


async def test_an_unexpected_error_is_unknown(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """A bug in a detector is logged and shown as `unknown`, never a traceback."""
    statuspage = PROVIDERS["statuspage"]
    broken = ProviderModule(
        id=statuspage.id,
        manufacturer=statuspage.manufacturer,
        create_runtime=statuspage.create_runtime,
        reconfigure=statuspage.reconfigure,
        detect=AsyncMock(side_effect=RuntimeError("boom")),
    )
    with patch.dict(PROVIDERS, {"statuspage": broken}):
        result = await _submit(hass, scripted_server.url)

    assert result["errors"] == {"base": "unknown"}


# --- claims and the shared platform wrapper ---------------------------------------------


def _module(
    provider_id: str,
    found: ValidatedSource | None,
    claims: bool | None = None,
) -> ProviderModule:
    statuspage = PROVIDERS["statuspage"]
    return ProviderModule(
        id=provider_id,
        manufacturer=provider_id,
        create_runtime=statuspage.create_runtime,
        reconfigure=statuspage.reconfigure,
        detect=AsyncMock(return_value=found),
        claims=None if claims is None else lambda _raw: claims,
    )


async def test_an_address_claimed_by_a_provider_tries_only_that_one(
    hass: HomeAssistant,
) -> None:
    """A vendor host or a bare page id is not probed on every platform."""
    found = ValidatedSource("claimer:x", "X", {CONF_PROVIDER: "claimer"})
    first = _module("first", None)
    claimer = _module("claimer", found, claims=True)
    bystander = _module("bystander", None, claims=False)

    source, errors = await detection.async_detect(
        hass, "5b36dc6502d06804c08349f7", (first, claimer, bystander)
    )

    assert (source, errors) == (found, {})
    assert first.detect.await_count == 0  # type: ignore[union-attr]
    assert bystander.detect.await_count == 0  # type: ignore[union-attr]


class _UnchangedClient:
    async def async_get_snapshot(self) -> StatusSnapshot | None:
        return None


class _FakeCoordinator(PlatformCoordinator):
    provider = "fake"
    manufacturer = "Fake"

    @classmethod
    def create_client(cls, _session: Any, _data: Mapping[str, Any]) -> SnapshotClient:
        return _UnchangedClient()


async def test_a_detected_page_must_answer_a_poll(hass: HomeAssistant) -> None:
    """The validating poll is a first poll: "unchanged" there is a broken answer."""

    async def found(probe: Probe) -> Detected:
        return Detected(key="k", title="T", url="https://t.example")

    module = page_platform(_FakeCoordinator, found)

    source, errors = await detection.async_detect(hass, "t.example", (module,))

    assert source is None
    assert errors == {"base": "not_a_status_page"}


async def test_a_source_that_needs_a_picker_goes_on_to_its_step(
    hass: HomeAssistant, scripted_server: ScriptedServer
) -> None:
    """A hyperscaler's source asks for products or regions before the entry exists."""
    found = ValidatedSource(
        "picky:x",
        "Picky",
        {CONF_PROVIDER: "picky"},
        next_step="picky_regions",
        learned={"regions": ["eu-central-1"]},
    )
    seen: list[ValidatedSource] = []

    async def picker(
        flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None
    ) -> FlowResult[Any, str]:
        seen.append(flow.pending["source"])
        return flow.async_show_form(step_id="picky_regions")

    picky = _module("picky", found, claims=True)
    with (
        patch.dict(PROVIDERS, {"picky": picky}),
        patch.object(
            CloudStatusConfigFlow, "async_step_picky_regions", picker, create=True
        ),
    ):
        result = await _submit(hass, scripted_server.url)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "picky_regions"
    assert seen == [found]
