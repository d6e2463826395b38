"""Gatus status pages: `{base}/api/v1/endpoints/statuses`, every page, each poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api import gatus
from ..api.detection import Detected, Probe
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "gatus"


class GatusCoordinator(PlatformCoordinator):
    """A Gatus page."""

    provider = ID
    manufacturer = "Gatus"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return gatus.GatusClient(session, data[CONF_URL])


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise Gatus by its endpoint-status list."""
    return await gatus.detect(probe)


PROVIDER = page_platform(GatusCoordinator, async_detect)
