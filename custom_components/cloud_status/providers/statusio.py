"""Status.io pages: `https://api.status.io/1.0/status/{page_id}`, one request a poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp
from yarl import URL

from homeassistant.const import CONF_URL

from ..api.detection import Detected, Probe
from ..api.statusio import (
    API_BASE,
    API_URL_KEY,
    PAGE_ID_KEY,
    StatusioClient,
    claims,
    detect,
)
from ..const import CONF_PAGE_ID
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "statusio"


class StatusioCoordinator(PlatformCoordinator):
    """A Status.io page."""

    provider = ID
    manufacturer = "Status.io"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        mirror = data.get(API_URL_KEY)
        return StatusioClient(
            session,
            data[CONF_PAGE_ID],
            page_url=data.get(CONF_URL),
            api_base=URL(mirror) if mirror else API_BASE,
        )


async def async_detect(probe: Probe) -> Detected | None:
    """Find the page id (unique id `statusio:{id}`) in the address or the page's HTML."""
    detected = await detect(probe)
    if detected is None:
        return None
    data = {**detected.data, CONF_PAGE_ID: detected.data[PAGE_ID_KEY]}
    return Detected(detected.key, detected.title, detected.url, data)


# A bare id or an api.status.io address can only be Status.io: nothing else is tried.
PROVIDER = page_platform(StatusioCoordinator, async_detect, claims=claims)
