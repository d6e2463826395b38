"""API clients for Cloud Status providers. Free of Home Assistant imports."""

from .errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from .models import (
    KNOWN_STATUSES,
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from .statuspage import (
    InvalidUrlError,
    StatuspageClient,
    base_url_string,
    normalize_page_url,
    parse_summary,
)

__all__ = [
    "KNOWN_STATUSES",
    "CloudStatusAuthError",
    "CloudStatusConnectionError",
    "CloudStatusError",
    "CloudStatusNotFoundError",
    "CloudStatusParseError",
    "CloudStatusRateLimitError",
    "CloudStatusResponseTooLargeError",
    "CloudStatusServerError",
    "CloudStatusTimeoutError",
    "Component",
    "ComponentStatus",
    "Incident",
    "InvalidUrlError",
    "Maintenance",
    "MaintenancePhase",
    "PageInfo",
    "StatusSnapshot",
    "StatuspageClient",
    "base_url_string",
    "normalize_page_url",
    "parse_summary",
]
