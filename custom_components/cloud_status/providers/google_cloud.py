"""Google Cloud: the Service Health feed, for the products picked after the address."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, override

import aiohttp
import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..api import google_cloud
from ..api.detection import Probe
from ..const import CONF_PRODUCTS, CONF_PROVIDER
from ..runtime import StatusRuntimeData
from ..validation import ValidatedSource, attempt
from .base import ProviderModule
from .platform import PlatformCoordinator, SnapshotClient

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "google_cloud"
TITLE = google_cloud.TITLE
STEP_PRODUCTS = "google_cloud_products"


class GoogleCloudCoordinator(PlatformCoordinator):
    """The Google Cloud Service Health feed."""

    provider = ID
    manufacturer = "Google"
    # A 170-400 kB body (SPEC: 300 s).
    default_scan_interval = 300

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return google_cloud.GoogleCloudClient(
            session, data[CONF_URL], data.get(CONF_PRODUCTS) or ()
        )


def unique_id(picked: Iterable[str]) -> str:
    """`google_cloud:{picked product ids, sorted, comma-separated, or "all"}`."""
    return f"{ID}:{','.join(sorted(picked)) or 'all'}"


def products_schema(products: Mapping[str, str], selected: list[str]) -> vol.Schema:
    """Build a multi-select of the products by title; picked ids no longer listed stay."""
    options = [
        SelectOptionDict(value=product_id, label=title)
        for product_id, title in sorted(products.items(), key=lambda item: item[1])
    ]
    options.extend(
        SelectOptionDict(value=product_id, label=product_id)
        for product_id in selected
        if product_id not in products
    )
    # Optional with a suggested value, not a default: clearing the list means "all".
    return vol.Schema(
        {
            vol.Optional(CONF_PRODUCTS): SelectSelector(
                SelectSelectorConfig(
                    options=options, multiple=True, mode=SelectSelectorMode.DROPDOWN
                )
            )
        }
    )


def _picked(user_input: Mapping[str, Any]) -> list[str]:
    return sorted({str(product) for product in user_input.get(CONF_PRODUCTS, [])})


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise the dashboard's host, read the feed once, then ask for the products."""
    found = await google_cloud.detect(probe)
    if found is None:
        return None
    detected, products = found
    return ValidatedSource(
        unique_id=unique_id(()),
        title=detected.title,
        data={CONF_PROVIDER: ID, CONF_URL: detected.url},
        next_step=STEP_PRODUCTS,
        learned={CONF_PRODUCTS: products},
    )


async def async_step_products(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick the products to watch (none: every product)."""
    source: ValidatedSource = flow.pending["source"]
    if user_input is not None:
        picked = _picked(user_input)
        return await flow.async_create_source(
            ValidatedSource(
                unique_id=unique_id(picked),
                title=source.title,
                data={**source.data, CONF_PRODUCTS: picked},
            )
        )
    return flow.async_show_form(
        step_id=STEP_PRODUCTS,
        data_schema=flow.add_suggested_values_to_schema(
            products_schema(source.learned[CONF_PRODUCTS], []), {CONF_PRODUCTS: []}
        ),
    )


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Change the products the entry watches; its unique id follows the selection."""
    selected: list[str] = list(entry.data.get(CONF_PRODUCTS) or [])
    if user_input is not None:
        picked = _picked(user_input)
        new_id = unique_id(picked)
        if new_id != entry.unique_id and new_id in flow.configured_unique_ids():
            return flow.async_abort(reason="already_configured")
        return flow.async_update_reload_and_abort(
            entry, unique_id=new_id, data_updates={CONF_PRODUCTS: picked}
        )
    client = google_cloud.GoogleCloudClient(
        async_get_clientsession(flow.hass), entry.data[CONF_URL]
    )
    products, errors = await attempt(
        client.async_get_products(),
        "listing Google Cloud products",
        credential_sent=False,
        not_found="cannot_connect",
    )
    return flow.show_reconfigure(
        entry,
        products_schema(products or {}, selected),
        {CONF_PRODUCTS: selected},
        errors,
    )


# Only status.cloud.google.com is claimed: for it nothing else is tried.
PROVIDER = ProviderModule(
    id=ID,
    manufacturer=GoogleCloudCoordinator.manufacturer,
    create_runtime=lambda hass, entry: StatusRuntimeData(
        GoogleCloudCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=GoogleCloudCoordinator.default_scan_interval,
    detect=async_detect,
    claims=google_cloud.claims,
    extra_steps={STEP_PRODUCTS: async_step_products},
)
