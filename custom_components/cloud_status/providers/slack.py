"""Slack's status feed, found by its host: one request a poll (`api.slack`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

from homeassistant.const import CONF_URL

from ..api import slack
from ..api.detection import Detected, Probe
from .platform import PlatformCoordinator, SnapshotClient, page_platform

ID = "slack"


class SlackCoordinator(PlatformCoordinator):
    """Slack's status feed."""

    provider = ID
    manufacturer = "Slack"

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        # The feed's address is the entry's `url` (the real feed unless a demo's).
        return slack.SlackClient(session, data.get(CONF_URL) or slack.FEED_URL)


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise Slack's status hosts (unique id `slack:slack-status.com`)."""
    return await slack.detect(probe)


# Slack's hosts can only be Slack: nothing else is tried for them.
PROVIDER = page_platform(SlackCoordinator, async_detect, claims=slack.claims)
