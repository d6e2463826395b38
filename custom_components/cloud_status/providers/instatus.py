"""Instatus status pages: `/summary.json` and the component list, two requests a poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api.instatus import InstatusClient, detect
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "instatus"


class InstatusCoordinator(PlatformCoordinator):
    """An Instatus page."""

    provider = ID
    manufacturer = "Instatus"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return InstatusClient(session, data[CONF_URL])


# Detection: `/summary.json` whose `page.status` is UP, HASISSUES or UNDERMAINTENANCE;
# unique id `instatus:{host}{path}`, title `page.name` (SPEC).
PROVIDER = page_platform(InstatusCoordinator, detect)
