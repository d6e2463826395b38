"""Atlassian Statuspage, public pages: `{base}/api/v2/summary.json`, one request a poll."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..api import (
    InvalidUrlError,
    StatuspageClient,
    StatusSnapshot,
    base_url_string,
    normalize_page_url,
)
from ..api.detection import Probe
from ..const import CONF_PROVIDER
from ..coordinator import CloudStatusCoordinator
from ..flow_helpers import async_address_step, async_reconfigure_address
from ..runtime import CloudStatusConfigEntry, StatusRuntimeData
from ..validation import Errors, ValidatedSource, attempt
from .base import ProviderModule

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "statuspage"
MANUFACTURER = "Atlassian Statuspage"


def page_unique_id(page_id: str) -> str:
    """Name the entry of a Statuspage page, however it was added (public or by key)."""
    return f"{ID}:{page_id}"


class StatuspageCoordinator(CloudStatusCoordinator):
    """A public Atlassian Statuspage, read through summary.json."""

    provider = ID
    manufacturer = MANUFACTURER
    default_scan_interval = 60

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client on Home Assistant's shared session."""
        super().__init__(hass, entry)
        self.client = StatuspageClient(
            async_get_clientsession(hass), entry.data[CONF_URL]
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return super().configuration_url or base_url_string(self.client.base_url)

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_summary()


async def async_validate(
    hass: HomeAssistant, raw_url: str
) -> tuple[ValidatedSource | None, Errors]:
    """Read the page's summary.json; return the source, or the form errors."""
    try:
        base_url = normalize_page_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    client = StatuspageClient(async_get_clientsession(hass), base_url)
    snapshot, errors = await attempt(
        client.async_get_summary(),
        "validating a Statuspage address",
        credential_sent=False,
    )
    if errors:
        return None, errors
    # A fresh client sends no validators, so "unchanged" can only be a broken answer.
    if snapshot is None:
        return None, {"base": "not_a_status_page"}
    return ValidatedSource(
        unique_id=page_unique_id(snapshot.page.id),
        title=snapshot.page.name,
        data={
            CONF_PROVIDER: ID,
            CONF_URL: base_url_string(client.resolved_base_url),
        },
    ), {}


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise an Atlassian Statuspage (or incident.io) page by its summary.json."""
    client = StatuspageClient(probe.session, probe.base_url)
    if (snapshot := await probe.attempt(client.async_get_summary())) is None:
        return None
    return ValidatedSource(
        unique_id=page_unique_id(snapshot.page.id),
        title=snapshot.page.name,
        data={CONF_PROVIDER: ID, CONF_URL: base_url_string(client.resolved_base_url)},
    )


async def async_step(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for the address of a public Atlassian Statuspage."""
    return await async_address_step(flow, ID, async_validate, user_input)


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Point the entry at a new address of the same page."""
    return await async_reconfigure_address(flow, entry, async_validate, user_input)


PROVIDER = ProviderModule(
    id=ID,
    manufacturer=MANUFACTURER,
    steps={ID: async_step},
    create_runtime=lambda hass, entry: StatusRuntimeData(
        StatuspageCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=StatuspageCoordinator.default_scan_interval,
    detect=async_detect,
)
