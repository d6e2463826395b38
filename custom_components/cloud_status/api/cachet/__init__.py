"""Cachet status pages, 2.x (`/api/v1/…`) and 3.x (`/api/…`)."""

from .client import (
    CONF_API_VERSION,
    MAX_PAGES,
    PATHS,
    PER_PAGE,
    PING_ANSWER,
    CachetClient,
    detect,
)
from .parsing import (
    COMPONENT_STATUSES,
    parse_components,
    parse_incidents,
    parse_schedules,
)

__all__ = [
    "COMPONENT_STATUSES",
    "CONF_API_VERSION",
    "MAX_PAGES",
    "PATHS",
    "PER_PAGE",
    "PING_ANSWER",
    "CachetClient",
    "detect",
    "parse_components",
    "parse_incidents",
    "parse_schedules",
]
