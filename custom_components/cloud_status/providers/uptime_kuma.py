"""Uptime Kuma public status pages (`{base}/status/{slug}`): page and heartbeats a poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api.uptime_kuma import CONF_SLUG, UptimeKumaClient, detect
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "uptime_kuma"


class UptimeKumaCoordinator(PlatformCoordinator):
    """A Uptime Kuma page."""

    provider = ID
    manufacturer = "Uptime Kuma"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return UptimeKumaClient(session, data[CONF_URL], data[CONF_SLUG])


PROVIDER = page_platform(UptimeKumaCoordinator, detect)
