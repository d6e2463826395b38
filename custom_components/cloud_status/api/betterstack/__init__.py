"""Client for Better Stack status pages: `{base}/index.json`, one request a poll.

The document is JSON:API: `data` is the page (`type: "status_page"`, its
`aggregate_state`), `included` holds its sections, resources (the components),
status reports (incidents and maintenance windows) and their updates. Ids are strings
but a resource's `status_page_section_id` is an integer, so every id is read as text.
A resolved report keeps `ends_at: null`; it is closed by its `aggregate_state`.
Doc: https://betterstack.com/docs/uptime/status-pages/subscribing-to-status-updates/subscribing-to-api
"""

from __future__ import annotations

from .client import BetterStackClient, detect, detected_page
from .parsing import INDEX_PATH, PAGE_TYPE, STATUSES, page_of, parse_index

__all__ = [
    "INDEX_PATH",
    "PAGE_TYPE",
    "STATUSES",
    "BetterStackClient",
    "detect",
    "detected_page",
    "page_of",
    "parse_index",
]
