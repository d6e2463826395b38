"""Better Stack status pages: `/index.json`, one request a poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api.betterstack import BetterStackClient, detect
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "betterstack"


class BetterstackCoordinator(PlatformCoordinator):
    """A Better Stack page."""

    provider = ID
    manufacturer = "Better Stack"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return BetterStackClient(session, data[CONF_URL])


# Detection: `/index.json` with `data.type == "status_page"`; unique id
# `betterstack:{data.id}`, title `data.attributes.company_name` (SPEC).
PROVIDER = page_platform(BetterstackCoordinator, detect)
