"""The Cachet client: detection by ping, and a poll of four paged lists.

A poll reads the components, the component groups, the incidents and the schedules,
each list page by page (`?page=N&per_page=100`) until the server's pagination says it
ended, or a page is short, empty or repeats what was read, and never past `MAX_PAGES`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

import aiohttp
from yarl import URL

from ..detection import Detected, Probe, host_title, url_key
from ..errors import CloudStatusNotFoundError, CloudStatusParseError
from ..http import MAX_BODY_BYTES, fetch
from ..models import PageInfo, StatusSnapshot
from ..parsing import loads, require_dict, require_list_at, unseen
from ..statuspage import base_url_string, normalize_page_url
from .parsing import item_id, parse_components, parse_incidents, parse_schedules

CONF_API_VERSION: Final = "api_version"
PING_ANSWER: Final = "Pong!"
PER_PAGE: Final = 100
MAX_PAGES: Final = 20
# Each major version's paths: ping, components, groups, incidents, schedules.
PATHS: Final = {
    2: {
        "ping": "api/v1/ping",
        "components": "api/v1/components",
        "groups": "api/v1/components/groups",
        "incidents": "api/v1/incidents",
        "schedules": "api/v1/schedules",
    },
    3: {
        "ping": "api/ping",
        "components": "api/components",
        "groups": "api/component-groups",
        "incidents": "api/incidents",
        "schedules": "api/schedules",
    },
}
# 3.x lists a group's members only when asked (cachethq/cachet#4624). 2.x returns the
# incidents oldest first unless asked otherwise: newest first, the open ones are read
# even when the history is longer than MAX_PAGES.
_EXTRA_QUERY: Final = {
    (3, "groups"): {"include": "components"},
    (2, "incidents"): {"sort": "id", "order": "desc"},
}


def _has_next(body: dict[str, Any], count: int, per_page: int) -> bool:
    """Whether the server says another page follows (else: whether this one was full)."""
    meta = body.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    pagination = meta.get("pagination")
    if isinstance(pagination, dict):
        current, total = pagination.get("current_page"), pagination.get("total_pages")
        if isinstance(current, int) and isinstance(total, int):
            return current < total
        meta = pagination
    links = body.get("links")
    if isinstance(links, dict) and "next" in links:
        return bool(links["next"])
    size = meta.get("per_page")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        per_page = size
    return count >= per_page


class CachetClient:
    """Poll one Cachet page of major version 2 or 3; None when nothing changed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        api_version: int,
        *,
        per_page: int = PER_PAGE,
        max_bytes: int = MAX_BODY_BYTES,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Take the shared session, the page's base URL and its major version."""
        if api_version not in PATHS:
            raise CloudStatusParseError(f"unknown Cachet API version {api_version!r}")
        self._session = session
        self.base_url = (
            base_url if isinstance(base_url, URL) else normalize_page_url(base_url)
        )
        self.api_version = api_version
        self._paths = PATHS[api_version]
        self._per_page = max(1, per_page)
        self._max_bytes = max_bytes
        self._clock = clock
        self._last_bodies: list[bytes] | None = None
        self.page = PageInfo(
            id=url_key(self.base_url),
            name=self.base_url.host or url_key(self.base_url),
            url=base_url_string(self.base_url),
        )

    def list_url(self, name: str, page: int) -> URL:
        """Return the address of one page of a list."""
        query: dict[str, str | int] = {"page": page, "per_page": self._per_page}
        query.update(_EXTRA_QUERY.get((self.api_version, name), {}))
        return self.base_url.joinpath(self._paths[name]).with_query(query)

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read the four lists; None when every page answered exactly as last time."""
        bodies: list[bytes] = []
        components = await self._read_list("components", bodies, complete=True)
        groups = await self._read_list("groups", bodies, optional=True)
        incidents = await self._read_list("incidents", bodies)
        schedules = await self._read_list("schedules", bodies, optional=True)
        if bodies == self._last_bodies:
            return None
        now = self._clock()
        parsed = parse_components(components, groups)
        open_incidents, scheduled = parse_incidents(
            incidents, parsed, version=self.api_version, now=now
        )
        maintenances = parse_schedules(schedules, parsed, now=now) + scheduled
        self._last_bodies = bodies
        return StatusSnapshot(
            page=self.page,
            components=parsed,
            incidents=open_incidents,
            maintenances=maintenances,
        )

    async def _read_list(
        self,
        name: str,
        bodies: list[bytes],
        *,
        complete: bool = False,
        optional: bool = False,
    ) -> list[Any]:
        """Read every page of a list, at most `MAX_PAGES`.

        An optional list that answers 404 (groups; schedules, which older 2.x servers
        lack) is empty. A list that must be `complete` (the components: a list cut
        short would make entities unavailable) and does not end within `MAX_PAGES`
        fails the poll; the others keep what was read.
        """
        items: list[Any] = []
        seen: set[str] = set()
        for number in range(1, MAX_PAGES + 1):
            try:
                response = await fetch(
                    self._session,
                    self.list_url(name, number),
                    max_bytes=self._max_bytes,
                )
            except CloudStatusNotFoundError:
                if not optional or number > 1:
                    raise
                return []
            bodies.append(response.body)
            body = require_dict(loads(response.body), name)
            batch = require_list_at(body, "data", name)
            fresh = unseen(
                batch, seen, lambda item: item_id(require_dict(item, name), name)
            )
            items.extend(fresh)
            if not fresh or not _has_next(body, len(batch), self._per_page):
                return items
        if complete:
            raise CloudStatusParseError(f"{name} did not end within {MAX_PAGES} pages")
        return items


def _pong(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("data") == PING_ANSWER


async def detect(probe: Probe) -> Detected | None:
    """Recognise Cachet by its ping: 2.x first (`/api/v1/ping`), then 3.x (`/api/ping`)."""
    for version in (2, 3):
        if _pong(await probe.get_json(PATHS[version]["ping"])):
            base = probe.base_url
            return Detected(
                key=url_key(base),
                title=host_title("Cachet", base),
                url=base_url_string(base),
                data={CONF_API_VERSION: version},
            )
    return None
