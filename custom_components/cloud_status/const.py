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
CONF_PAGE_ID: Final = "page_id"
CONF_AUTH_METHOD: Final = "auth_method"
CONF_SCOPES: Final = "scopes"
CONF_TECHNICAL_ACCOUNT_ID: Final = "technical_account_id"
CONF_ORG_ID: Final = "org_id"
CONF_PRIVATE_KEY: Final = "private_key"
CONF_IMS_HOST: Final = "ims_host"
CONF_PRODUCTS: Final = "products"


class AuthMethod(StrEnum):
    """How an Adobe entry gets its IMS access token."""

    OAUTH = "oauth"
    JWT = "jwt"


MIN_SCAN_INTERVAL: Final = 30
MAX_SCAN_INTERVAL: Final = 3600

# How long a completed maintenance stays on the calendar, and how many items attributes list.
RECENT_MAINTENANCE_WINDOW: Final = timedelta(days=7)
MAX_LISTED_ITEMS: Final = 20

# A component missing from every successful poll this long leaves the entity registry.
COMPONENT_ABSENCE_GRACE: Final = timedelta(hours=24)

# A page that answers 404 this long, without a break, gets a repair issue.
NOT_FOUND_REPAIR_AFTER: Final = timedelta(hours=24)

# Photoshop API jobs.
PHOTOSHOP_TITLE: Final = "Adobe Photoshop API"
DEFAULT_PHOTOSHOP_SCOPES: Final = ("openid", "AdobeID", "read_organizations")
# Every request of one entry, tracked jobs and actions alike: at most 4 per second.
PHOTOSHOP_REQUEST_INTERVAL: Final = 0.25
# 100 jobs at the 30 s backoff ceiling make 3.3 requests per second: within the budget.
MAX_TRACKED_JOBS: Final = 100
