"""Sorry\u2122 status pages: the page, its components and present notices (`/api/v1/`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api.detection import Detected, Probe
from ..api.sorry import SorryClient, detect
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "sorry"


class SorryCoordinator(PlatformCoordinator):
    """A Sorry page."""

    provider = ID
    manufacturer = "Sorry"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return SorryClient(session, data[CONF_URL])


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise a Sorry page by `/api/v1/` (unique id `sorry:{host}{path}`)."""
    return await detect(probe)


PROVIDER = page_platform(SorryCoordinator, async_detect)
