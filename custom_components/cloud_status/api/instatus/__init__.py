"""Client for public Instatus status pages: `/summary.json` and the component list.

A poll reads `{base}/summary.json` (the page's state, its open incidents and its
maintenance windows; a list that is empty is left out) and the component list,
`{base}/v2/components.json`, or `{base}/v3/components.json` on pages that answer the
first with a 404. The path that answered is remembered, so a poll is two requests.
Dates come as JavaScript `Date.toString()` text ("Sat Jun 11 2022 18:55:50 GMT+0000
(Coordinated Universal Time)") or ISO 8601; both are read.
Doc: https://instatus.com/help/api/public-data, https://instatus.com/help/webhooks.
"""

from __future__ import annotations

from .client import InstatusClient, detect, detected_page
from .parsing import (
    COMPONENT_PATHS,
    COMPONENT_STATUSES,
    MAINTENANCE_PHASES,
    PAGE_STATUSES,
    SUMMARY_PATH,
    parse_components,
    parse_incident,
    parse_instatus_time,
    parse_maintenance,
    parse_summary,
)

__all__ = [
    "COMPONENT_PATHS",
    "COMPONENT_STATUSES",
    "MAINTENANCE_PHASES",
    "PAGE_STATUSES",
    "SUMMARY_PATH",
    "InstatusClient",
    "detect",
    "detected_page",
    "parse_components",
    "parse_incident",
    "parse_instatus_time",
    "parse_maintenance",
    "parse_summary",
]
