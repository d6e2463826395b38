"""Google Cloud: the Service Health feed, for the products picked after the address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, override

import aiohttp

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import SelectOptionDict

from ..api import google_cloud
from ..api.detection import Probe
from ..const import CONF_PRODUCTS
from ..runtime import StatusRuntimeData
from ..validation import Errors, ValidatedSource, attempt
from .base import ProviderModule
from .pickers import Picker
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


def product_options(
    products: Mapping[str, str], selected: list[str]
) -> list[SelectOptionDict]:
    """List the products by title; picked ids Google no longer lists stay pickable."""
    options = [
        SelectOptionDict(value=product_id, label=title)
        for product_id, title in sorted(products.items(), key=lambda item: item[1])
    ]
    options.extend(
        SelectOptionDict(value=product_id, label=product_id)
        for product_id in selected
        if product_id not in products
    )
    return options


async def _read_products(
    hass: HomeAssistant, entry: ConfigEntry
) -> tuple[Mapping[str, str], Errors]:
    client = google_cloud.GoogleCloudClient(
        async_get_clientsession(hass), entry.data[CONF_URL]
    )
    products, errors = await attempt(
        client.async_get_products(),
        "listing Google Cloud products",
        credential_sent=False,
        not_found="cannot_connect",
    )
    return products or {}, errors


PICKER = Picker(
    provider=ID,
    step_id=STEP_PRODUCTS,
    key=CONF_PRODUCTS,
    options=product_options,
    read_choices=_read_products,
)
unique_id = PICKER.unique_id


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise the dashboard's host, read the feed once, then ask for the products."""
    if (found := await google_cloud.detect(probe)) is None:
        return None
    detected, products = found
    return PICKER.detected(detected.title, detected.url, products, CONF_URL)


async def async_step_products(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick the products to watch (none: every product)."""
    return await PICKER.async_step(flow, user_input)


# Only status.cloud.google.com is claimed: for it nothing else is tried.
PROVIDER = ProviderModule(
    id=ID,
    manufacturer=GoogleCloudCoordinator.manufacturer,
    create_runtime=lambda hass, entry: StatusRuntimeData(
        GoogleCloudCoordinator(hass, entry)
    ),
    reconfigure=PICKER.async_reconfigure,
    default_scan_interval=GoogleCloudCoordinator.default_scan_interval,
    detect=async_detect,
    claims=google_cloud.claims,
    extra_steps={STEP_PRODUCTS: async_step_products},
)
