"""Cachet status pages (2.x and 3.x): components, groups, open incidents, schedules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api import cachet
from ..api.detection import Detected, Probe
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "cachet"


class CachetCoordinator(PlatformCoordinator):
    """A Cachet page."""

    provider = ID
    manufacturer = "Cachet"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return cachet.CachetClient(
            session, data[CONF_URL], data[cachet.CONF_API_VERSION]
        )


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise Cachet by its ping endpoint (one probe per major version)."""
    return await cachet.detect(probe)


PROVIDER = page_platform(CachetCoordinator, async_detect)
