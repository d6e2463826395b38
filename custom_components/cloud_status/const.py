"""Constants for the Cloud Status integration."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "cloud_status"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_COMPONENTS: Final = "components"


class Provider(StrEnum):
    """The kinds of source a config entry can monitor."""

    STATUSPAGE = "statuspage"


# Providers the config flow's menu offers, in menu order.
IMPLEMENTED_PROVIDERS: Final = (Provider.STATUSPAGE,)

DEFAULT_SCAN_INTERVALS: Final[dict[Provider, int]] = {Provider.STATUSPAGE: 60}
MIN_SCAN_INTERVAL: Final = 30
MAX_SCAN_INTERVAL: Final = 3600

MANUFACTURERS: Final[dict[Provider, str]] = {
    Provider.STATUSPAGE: "Atlassian Statuspage"
}

# How long a completed maintenance stays on the calendar, and how many items attributes list.
RECENT_MAINTENANCE_WINDOW: Final = timedelta(days=7)
MAX_LISTED_ITEMS: Final = 20

# A page that answers 404 this long, without a break, gets a repair issue.
NOT_FOUND_REPAIR_AFTER: Final = timedelta(hours=24)
