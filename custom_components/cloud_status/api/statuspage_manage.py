"""Client for the Atlassian Statuspage management API (v1), for page owners.

With an API key, owners monitor their own pages, private and audience-specific ones too.
Every request carries `Authorization: OAuth <key>` and first waits its turn at the
key's `RequestSpacer`: the API allows 1 request/s per key over a rolling 60 s window,
across every entry and the config flow that use the key.

What one poll costs:
- `GET /pages/{id}/components?page=N&per_page=100`: one request per 100 components
  (a component count that is an exact multiple of 100 costs one more, empty, page);
- `GET /pages/{id}/incidents/unresolved`, `.../active_maintenance`, `.../upcoming`: 3;
- `GET /pages/{id}` and `GET /pages/{id}/component-groups?page=1&per_page=100` change
  rarely: on the first poll, then once an hour; the groups also early (at most every
  10 minutes) while a component names a group that is not known.

So a page with up to 100 components costs 4 requests per poll (6 on the first one):
at the default 120 s interval, 30 polls x 4 + 2 = 122 requests an hour, about one every
30 s, far below the limit. Every further 100 components adds 30 an hour; a component
whose group stays unknown adds at most 6 an hour. With the spacer, a poll of 4 requests
takes at least 3 s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
import re
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from .errors import (
    CloudStatusAuthError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
)
from .http import fetch, is_header_value
from .models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from .parsing import (
    clean_name,
    loads,
    optional_str,
    parse_time,
    require_dict,
    require_list,
    require_str,
)
from .ratelimit import RequestSpacer
from .statuspage import parse_incident, parse_maintenance

MANAGE_API_URL: Final = URL("https://api.statuspage.io/v1")
# Pause after a 420/429 without Retry-After: the API measures over 60 s rolling.
DEFAULT_RATE_LIMIT_PAUSE: Final = 60.0
# The longest a request waits for its turn at the key's spacer. Longer waits only happen
# during a 420/429 pause of the key; a poll or form then fails fast with a rate-limit
# error instead of sleeping for a minute.
MAX_PAUSED_WAIT: Final = 10.0
# The API's own ceiling for per_page.
MAX_PER_PAGE: Final = 100
# 2,000 components at 100 a page; beyond that a poll would take too long at 1 request/s.
MAX_COMPONENT_PAGES: Final = 20
# How long page details and component groups are reused before they are fetched again.
PAGE_REFRESH_INTERVAL: Final = 3600.0
# The least time between two group fetches caused by a component naming an unknown group.
EARLY_GROUP_REFRESH_INTERVAL: Final = 600.0

# Statuspage ids are short alphanumeric strings; anything else must not reach a URL path.
_PAGE_ID = re.compile(r"[A-Za-z0-9_-]+")
# Statuses only maintenances have: such an item is not an incident.
_MAINTENANCE_STATUSES = frozenset({"scheduled", "in_progress", "verifying"})


@dataclass(frozen=True, slots=True)
class ManagedPage:
    """A page the API key may manage."""

    id: str
    name: str
    # The human status page (not the "url" field alone: that is the company's website).
    url: str | None
    time_zone: str | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class _PageCache:
    """What rarely changes on one page, and when it was fetched (clock time)."""

    page_id: str
    page: ManagedPage | None = None
    page_fetched_at: float = 0.0
    groups: dict[str, str] | None = None
    groups_fetched_at: float = 0.0


class StatuspageManageClient:
    """Read the pages of one management API key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        spacer: RequestSpacer | None = None,
        base_url: URL = MANAGE_API_URL,
        per_page: int = MAX_PER_PAGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the shared session, the key and the key's spacer (shared by its users)."""
        if base_url.scheme != "https" or not base_url.host:
            raise ValueError("the management API is reached over https only")
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        self._session = session
        self._headers: Mapping[str, str] = {"Authorization": f"OAuth {api_key}"}
        # A key with a control character cannot travel in a header (aiohttp refuses it).
        self._key_usable = is_header_value(api_key)
        self._spacer = RequestSpacer(1.0) if spacer is None else spacer
        self._base_url = base_url
        self._per_page = per_page
        self._clock = clock
        self._cache: _PageCache | None = None
        self._request_count = 0
        self._requests_per_poll = 0

    def __repr__(self) -> str:
        """Show where the client points, never its key."""
        return f"{type(self).__name__}(base_url={str(self._base_url)!r})"

    @property
    def requests_per_poll(self) -> int:
        """How many requests the last `async_get_snapshot` made."""
        return self._requests_per_poll

    async def async_get_pages(self) -> list[ManagedPage]:
        """Return the pages the key may manage (GET /pages)."""
        items = require_list(await self._get_json(self._base_url / "pages"), "pages")
        return [_parse_page(require_dict(item, "page")) for item in items]

    async def async_get_snapshot(self, page_id: str) -> StatusSnapshot:
        """Poll one page: its components, incidents and maintenances."""
        if not _PAGE_ID.fullmatch(page_id):
            raise ValueError("not a Statuspage page id")
        first_request = self._request_count
        try:
            return await self._poll(page_id)
        finally:
            self._requests_per_poll = self._request_count - first_request

    async def _poll(self, page_id: str) -> StatusSnapshot:
        # Ages are measured from poll starts, which keep the polling rhythm.
        started = self._clock()
        page_url = self._base_url / "pages" / page_id
        cache = self._cache_for(page_id)
        page = await self._page(cache, page_url, started)
        raw_components = await self._components(page_url)
        group_names = await self._group_names(cache, page_url, raw_components, started)
        components = {
            component.id: component
            for component in (
                _parse_member(item, group_names)
                for item in raw_components
                if item.get("group") is not True
            )
        }
        page_info = PageInfo(
            id=page.id,
            name=page.name,
            url=page.url,
            time_zone=page.time_zone,
            updated_at=page.updated_at,
        )
        incidents = await self._incidents(page_url, page_info, components)
        maintenances = await self._maintenances(page_url, page_info, components)
        return StatusSnapshot(
            page=page_info,
            components=components,
            incidents=incidents,
            maintenances=maintenances,
        )

    def _cache_for(self, page_id: str) -> _PageCache:
        if self._cache is None or self._cache.page_id != page_id:
            self._cache = _PageCache(page_id)
        return self._cache

    async def _page(self, cache: _PageCache, page_url: URL, now: float) -> ManagedPage:
        if cache.page is None or now - cache.page_fetched_at >= PAGE_REFRESH_INTERVAL:
            cache.page = _parse_page(
                require_dict(await self._get_json(page_url), "page")
            )
            cache.page_fetched_at = now
        return cache.page

    async def _components(self, page_url: URL) -> list[dict[str, Any]]:
        """Read every page of components, stopping at a short or repeated one."""
        collected: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number in range(1, MAX_COMPONENT_PAGES + 1):
            url = (page_url / "components").with_query(
                page=number, per_page=self._per_page
            )
            batch = [
                require_dict(item, "component")
                for item in require_list(await self._get_json(url), "components")
            ]
            fresh = {
                component_id: item
                for item in batch
                if (component_id := require_str(item, "id", "component")) not in seen
            }
            if batch and not fresh:
                break  # The API ignored `page` and repeated itself.
            seen.update(fresh)
            collected.extend(fresh.values())
            if len(batch) < self._per_page:
                break
        return collected

    async def _group_names(
        self,
        cache: _PageCache,
        page_url: URL,
        raw_components: list[dict[str, Any]],
        now: float,
    ) -> dict[str, str]:
        """Return group id -> name, refreshing the group list when it is due."""
        listed = {
            require_str(item, "id", "component"): clean_name(
                require_str(item, "name", "component")
            )
            for item in raw_components
            if item.get("group") is True
        }
        wanted = {
            group_id
            for item in raw_components
            if item.get("group") is not True
            and (group_id := optional_str(item, "group_id"))
        }
        if cache.groups is None:
            due = True
        else:
            age = now - cache.groups_fetched_at
            unknown = bool(wanted - listed.keys() - cache.groups.keys())
            due = age >= PAGE_REFRESH_INTERVAL or (
                unknown and age >= EARLY_GROUP_REFRESH_INTERVAL
            )
        if due:
            cache.groups = await self._groups(page_url)
            cache.groups_fetched_at = now
        # Groups in the component list were read just now: their names win.
        return {**(cache.groups or {}), **listed}

    async def _groups(self, page_url: URL) -> dict[str, str]:
        url = (page_url / "component-groups").with_query(page=1, per_page=MAX_PER_PAGE)
        groups = [
            require_dict(item, "component group")
            for item in require_list(await self._get_json(url), "component groups")
        ]
        return {
            require_str(group, "id", "component group"): clean_name(
                require_str(group, "name", "component group")
            )
            for group in groups
        }

    async def _incidents(
        self, page_url: URL, page: PageInfo, components: dict[str, Component]
    ) -> tuple[Incident, ...]:
        items = await self._incident_list(page_url / "incidents" / "unresolved")
        return tuple(
            incident
            for item in items
            if (optional_str(item, "status") or "").lower() not in _MAINTENANCE_STATUSES
            and (incident := parse_incident(item, page, components)) is not None
        )

    async def _maintenances(
        self, page_url: URL, page: PageInfo, components: dict[str, Component]
    ) -> tuple[Maintenance, ...]:
        active = await self._incident_list(
            page_url / "incidents" / "active_maintenance"
        )
        upcoming = await self._incident_list(page_url / "incidents" / "upcoming")
        by_id: dict[str, Maintenance] = {}
        for item in (*active, *upcoming):
            maintenance = parse_maintenance(item, page, components)
            known = by_id.get(maintenance.id)
            if known is None or (
                maintenance.phase is MaintenancePhase.IN_PROGRESS
                and known.phase is not MaintenancePhase.IN_PROGRESS
            ):
                by_id[maintenance.id] = maintenance
        return tuple(by_id.values())

    async def _incident_list(self, url: URL) -> list[dict[str, Any]]:
        return [
            require_dict(item, "incident")
            for item in require_list(await self._get_json(url), "incidents")
        ]

    async def _get_json(self, url: URL) -> Any:
        """GET a URL in the key's turn; a 420/429 pauses every user of the key.

        While the key is paused, raise `CloudStatusRateLimitError` without a request; a
        key no header can carry is refused (`CloudStatusAuthError`) without one too.
        """
        if not self._key_usable:
            raise CloudStatusAuthError(
                "the API key has characters an HTTP header cannot carry"
            )
        await self._spacer.acquire(max_wait=MAX_PAUSED_WAIT)
        self._request_count += 1
        try:
            response = await fetch(self._session, url, headers=self._headers)
        except CloudStatusRateLimitError as err:
            # Retry-After: 0 means "now", not "unsaid".
            self._spacer.pause(
                DEFAULT_RATE_LIMIT_PAUSE if err.retry_after is None else err.retry_after
            )
            raise
        return loads(response.body)


def _parse_page(item: dict[str, Any]) -> ManagedPage:
    page_id = require_str(item, "id", "page")
    if not _PAGE_ID.fullmatch(page_id):
        raise CloudStatusParseError("page has an id that is not a Statuspage id")
    return ManagedPage(
        id=page_id,
        name=require_str(item, "name", "page"),
        url=_human_url(item),
        time_zone=optional_str(item, "time_zone"),
        updated_at=parse_time(item.get("updated_at")),
    )


def _human_url(item: dict[str, Any]) -> str | None:
    """Return where people read the page: its own domain, else its statuspage.io address.

    The "url" field is the company website the page's logo links to; it is the last
    resort.
    """
    if domain := optional_str(item, "domain"):
        return _with_scheme(domain.strip())
    if subdomain := optional_str(item, "subdomain"):
        return f"https://{subdomain.strip()}.statuspage.io"
    if url := optional_str(item, "url"):
        return _with_scheme(url.strip())
    return None


def _with_scheme(address: str) -> str:
    return address if "://" in address else f"https://{address}"


def _parse_member(item: dict[str, Any], group_names: dict[str, str]) -> Component:
    raw_status = item.get("status")
    group_id = optional_str(item, "group_id")
    return Component(
        id=require_str(item, "id", "component"),
        name=clean_name(require_str(item, "name", "component")),
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) else None,
        group_id=group_id,
        group_name=group_names.get(group_id) if group_id else None,
        description=optional_str(item, "description"),
    )


__all__ = [
    "DEFAULT_RATE_LIMIT_PAUSE",
    "MANAGE_API_URL",
    "MAX_PAUSED_WAIT",
    "ManagedPage",
    "StatuspageManageClient",
]
