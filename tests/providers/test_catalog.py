"""**Popular service**: pick a service by name; its address is detected as in status_page.

The catalog is pointed at the scripted loopback server (tests/scripted_server.py), so
what the step sends and creates is compared with what **Any status page** does with the
same address.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from aiohttp import web
import pytest

from custom_components.cloud_status import catalog as catalog_module
from custom_components.cloud_status.catalog import load_catalog
from custom_components.cloud_status.config_flow import CloudStatusConfigFlow
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.providers import PROVIDERS
from custom_components.cloud_status.providers.catalog import (
    CONF_SERVICE,
    STEP_ID,
    async_step_catalog,
    listed_first,
)
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData
from homeassistant.helpers.selector import SelectSelector, SelectSelectorMode

from ..conftest import PAGE_ID, load_json_fixture
from ..scripted_server import ScriptedServer

SUMMARY = "/api/v2/summary.json"
BETTERSTACK_INDEX = "/index.json"
NAME = "Example Cloud Service"


@pytest.fixture(autouse=True)
def catalog_step() -> Iterator[None]:
    """Attach the step to the flow and its menu, unless config_flow.py already does."""
    if "async_step_catalog" in vars(CloudStatusConfigFlow):
        yield
        return
    original_user = CloudStatusConfigFlow.async_step_user

    async def step(
        self: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        return await async_step_catalog(self, PROVIDERS.values(), user_input)

    async def user(
        self: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        menu = await original_user(self, user_input)
        return self.async_show_menu(
            step_id="user", menu_options=[STEP_ID, *menu["menu_options"]]
        )

    with (
        patch.object(CloudStatusConfigFlow, "async_step_catalog", step, create=True),
        patch.object(CloudStatusConfigFlow, "async_step_user", user),
    ):
        yield


@pytest.fixture
def catalog_file(tmp_path: Path) -> Iterator[Path]:
    """Replace the shipped catalog with a file the test fills."""
    path = tmp_path / "catalog.json"
    with patch.object(catalog_module, "CATALOG_PATH", path):
        yield path


def _write(path: Path, server: ScriptedServer, platform: str = "statuspage") -> None:
    path.write_text(
        json.dumps([{"name": NAME, "url": server.url, "platform": platform}]),
        encoding="utf-8",
    )


async def _open(hass: HomeAssistant, step_id: str) -> FlowResult[Any, str]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step_id}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    return result


async def _pick(hass: HomeAssistant, name: str = NAME) -> FlowResult[Any, str]:
    result = await _open(hass, STEP_ID)
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_SERVICE: name}
    )


async def _paste(hass: HomeAssistant, url: str) -> FlowResult[Any, str]:
    result = await _open(hass, "status_page")
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: url}
    )


def _statuspage(server: ScriptedServer) -> None:
    server.json(SUMMARY, load_json_fixture("statuspage_summary_operational.json"))


async def test_the_step_shows_a_sorted_drop_down_of_the_catalog(
    hass: HomeAssistant,
) -> None:
    """The shipped services, by name, in a sorted drop-down."""
    result = await _open(hass, STEP_ID)

    selector = result["data_schema"].schema[CONF_SERVICE]
    assert isinstance(selector, SelectSelector)
    assert selector.config["mode"] == SelectSelectorMode.DROPDOWN
    assert selector.config["sort"] is True
    assert selector.config["multiple"] is False
    options = selector.config["options"]
    names = [service.name for service in load_catalog()]
    assert options == [{"value": name, "label": name} for name in names]
    assert {"GitHub", "Cloudflare", "Slack", "AWS", "Docker Hub"} <= set(names)
    assert result["errors"] == {}


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_statuspage_service_is_the_entry_its_address_creates(
    hass: HomeAssistant, scripted_server: ScriptedServer, catalog_file: Path
) -> None:
    """Same request, data, unique id and title as status_page with the same address."""
    _statuspage(scripted_server)
    _write(catalog_file, scripted_server)

    picked = await _pick(hass)
    picked_requests = list(scripted_server.seen)
    assert picked["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_remove(picked["result"].entry_id)
    scripted_server.seen.clear()
    pasted = await _paste(hass, scripted_server.url)

    assert pasted["type"] is FlowResultType.CREATE_ENTRY
    assert picked_requests == scripted_server.seen == [SUMMARY]
    assert picked["title"] == pasted["title"] == "Example"
    assert (
        picked["data"]
        == pasted["data"]
        == {CONF_PROVIDER: "statuspage", CONF_URL: scripted_server.url}
    )
    assert picked["result"].unique_id == pasted["result"].unique_id
    assert picked["result"].unique_id == f"statuspage:{PAGE_ID}"


@pytest.mark.usefixtures("mock_setup_entry")
@pytest.mark.parametrize("catalog_first", [True, False])
async def test_a_service_added_either_way_is_one_entry(
    hass: HomeAssistant,
    scripted_server: ScriptedServer,
    catalog_file: Path,
    catalog_first: bool,
) -> None:
    """Whichever way the page came first, the other aborts `already_configured`."""
    _statuspage(scripted_server)
    _write(catalog_file, scripted_server)

    if catalog_first:
        first, second = await _pick(hass), await _paste(hass, scripted_server.url)
    else:
        first, second = await _paste(hass, scripted_server.url), await _pick(hass)

    assert first["type"] is FlowResultType.CREATE_ENTRY
    assert second["type"] is FlowResultType.ABORT
    assert second["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


@pytest.mark.usefixtures("mock_setup_entry")
async def test_a_page_that_moved_platform_is_found_by_detection(
    hass: HomeAssistant, scripted_server: ScriptedServer, catalog_file: Path
) -> None:
    """Listed as Statuspage, now on Better Stack: detection finds Better Stack."""
    scripted_server.json(
        BETTERSTACK_INDEX, load_json_fixture("betterstack/index_incident.json")
    )
    _write(catalog_file, scripted_server, platform="statuspage")

    result = await _pick(hass)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {
        CONF_PROVIDER: "betterstack",
        CONF_URL: scripted_server.url,
    }
    assert result["result"].unique_id == "betterstack:424242"
    assert result["title"] == "Example Cloud"
    assert scripted_server.seen[0] == SUMMARY


@pytest.mark.usefixtures("mock_setup_entry")
async def test_the_listed_platform_is_tried_first(
    hass: HomeAssistant, scripted_server: ScriptedServer, catalog_file: Path
) -> None:
    """A Better Stack service asks Better Stack first: no earlier platform's probe."""
    scripted_server.json(
        BETTERSTACK_INDEX, load_json_fixture("betterstack/index_incident.json")
    )
    _write(catalog_file, scripted_server, platform="betterstack")

    result = await _pick(hass)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "betterstack:424242"
    assert set(scripted_server.seen) == {BETTERSTACK_INDEX}


def test_listed_first_keeps_the_registry_order_otherwise() -> None:
    """The named provider moves to the front; an id not in the registry moves none."""
    providers = list(PROVIDERS.values())

    moved = listed_first(providers, "cachet")
    assert moved[0].id == "cachet"
    assert moved[1:] == [provider for provider in providers if provider.id != "cachet"]
    assert listed_first(providers, "not_a_provider") == providers


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, "access_denied"), (404, "not_a_status_page"), (503, "cannot_connect")],
)
async def test_errors_of_detection_are_shown_on_the_form(
    hass: HomeAssistant,
    scripted_server: ScriptedServer,
    catalog_file: Path,
    status: int,
    error: str,
) -> None:
    """Nothing matched: the form again, with detection's error and the pick kept."""
    scripted_server.default = lambda _: web.Response(status=status, text="no")
    _write(catalog_file, scripted_server)

    result = await _pick(hass)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == STEP_ID
    assert result["errors"] == {"base": error}
    field = next(iter(result["data_schema"].schema))
    assert field.description == {"suggested_value": NAME}


async def test_a_name_not_in_the_catalog_is_refused_by_the_form(
    hass: HomeAssistant,
) -> None:
    """The drop-down accepts only the catalog's names."""
    result = await _open(hass, STEP_ID)

    with pytest.raises(InvalidData):
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_SERVICE: "Not a popular service"}
        )
