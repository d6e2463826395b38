"""What every status platform found by address shares.

Its coordinator, detection and reconfigure: a platform's provider module only names
its client and its detector.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, override

import aiohttp

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..api import CloudStatusParseError, StatusSnapshot
from ..api.detection import Detected, Probe
from ..const import CONF_PROVIDER
from ..coordinator import CloudStatusCoordinator
from ..flow_helpers import async_reconfigure_address
from ..runtime import CloudStatusConfigEntry, StatusRuntimeData
from ..validation import Errors, ValidatedSource
from .base import ProviderModule
from .detection import async_detect as async_detect_among

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

# The default poll of the platforms found by address (SPEC: 120 s).
PLATFORM_SCAN_INTERVAL = 120


class SnapshotClient(Protocol):
    """A platform's API client: one poll, None when nothing changed."""

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Poll the platform."""
        ...


type PlatformDetect = Callable[[Probe], Awaitable[Detected | None]]


class PlatformCoordinator(CloudStatusCoordinator):
    """Poll a platform with the client its provider module builds from the entry data."""

    default_scan_interval = PLATFORM_SCAN_INTERVAL
    client: SnapshotClient

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client on Home Assistant's shared session."""
        super().__init__(hass, entry)
        self.client = self.create_client(async_get_clientsession(hass), entry.data)

    @classmethod
    @abstractmethod
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        """Build the platform's client from an entry's data."""

    @property
    @override
    def configuration_url(self) -> str | None:
        return super().configuration_url or self.config_entry.data.get(CONF_URL)

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_snapshot()


def page_platform(
    coordinator: type[PlatformCoordinator],
    detect: PlatformDetect,
    *,
    claims: Callable[[str], bool] | None = None,
) -> ProviderModule:
    """Describe a platform found by address: no menu option, detection and reconfigure."""
    provider_id = coordinator.provider

    async def async_detect(probe: Probe) -> ValidatedSource | None:
        """Recognise the address, then read it once as a poll would."""
        if (detected := await detect(probe)) is None:
            return None
        data = {CONF_PROVIDER: provider_id, CONF_URL: detected.url, **detected.data}
        client = coordinator.create_client(probe.session, data)
        # A fresh client sends no validators, so "unchanged" can only be a broken answer.
        if await client.async_get_snapshot() is None:
            raise CloudStatusParseError("the first poll answered nothing")
        return ValidatedSource(
            unique_id=f"{provider_id}:{detected.key}", title=detected.title, data=data
        )

    async def async_validate(
        hass: HomeAssistant, raw_url: str
    ) -> tuple[ValidatedSource | None, Errors]:
        return await async_detect_among(hass, raw_url, (module,))

    async def async_reconfigure(
        flow: CloudStatusConfigFlow,
        entry: ConfigEntry,
        user_input: dict[str, Any] | None,
    ) -> ConfigFlowResult:
        """Point the entry at a new address of the same page on the same platform."""
        return await async_reconfigure_address(flow, entry, async_validate, user_input)

    module = ProviderModule(
        id=provider_id,
        manufacturer=coordinator.manufacturer,
        create_runtime=lambda hass, entry: StatusRuntimeData(coordinator(hass, entry)),
        reconfigure=async_reconfigure,
        default_scan_interval=coordinator.default_scan_interval,
        detect=async_detect,
        claims=claims,
    )
    return module
