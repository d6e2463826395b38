"""UptimeRobot public status pages: the monitor list and the event feed a poll."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api.uptimerobot import CONF_API_URL, CONF_TOKEN, UptimeRobotClient, detect
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "uptimerobot"


class UptimerobotCoordinator(PlatformCoordinator):
    """A UptimeRobot page."""

    provider = ID
    manufacturer = "UptimeRobot"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return UptimeRobotClient(
            session,
            data[CONF_API_URL],
            page_url=data.get(CONF_URL),
            token=data.get(CONF_TOKEN),
        )


PROVIDER = page_platform(UptimerobotCoordinator, detect)
