"""Heroku's status feed, found by its host: one request a poll (`api.heroku`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api import heroku
from ..api.detection import Detected, Probe
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "heroku"


class HerokuCoordinator(PlatformCoordinator):
    """Heroku's status feed."""

    provider = ID
    manufacturer = "Heroku"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        # The feed's address is the entry's `url` (the real feed unless a demo's).
        return heroku.HerokuClient(session, data.get(CONF_URL) or heroku.FEED_URL)


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise Heroku's status hosts (unique id `heroku:status.heroku.com`)."""
    return await heroku.detect(probe)


# Heroku's hosts can only be Heroku: nothing else is tried for them.
PROVIDER = page_platform(HerokuCoordinator, async_detect, claims=heroku.claims)
