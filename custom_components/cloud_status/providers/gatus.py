"""Gatus status pages (placeholder until its client lands: detects nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

import aiohttp

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
        raise NotImplementedError


async def async_detect(probe: Probe) -> Detected | None:
    """Recognise nothing yet."""
    return None


PROVIDER = page_platform(GatusCoordinator, async_detect)
