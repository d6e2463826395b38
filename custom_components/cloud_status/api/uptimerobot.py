"""UptimeRobot public status pages: the monitor list and the event feed, two requests.

A page (on `stats.uptimerobot.com/{token}` or a custom domain) names its API in its
HTML: `window.pspApiPath = '.../api/getMonitorList/{token}'` and
`window.eventsApiPath = '.../api/getEventFeed/{token}'` (peer: TheLion/statuspage-HA
`providers/uptimerobot.py`, "verified against status.uptimerobot.com"). No recorded
answer of either endpoint exists; the shapes here are the peer's:

- getMonitorList: `{status: "ok", data: [{monitorId, name, statusClass, groupId,
  groupName, dailyRatios, 30dRatio, lastDowntime{date "YYYY-MM-DD HH:MM:SS", ...}}]}`;
- getEventFeed: `{status: true, results: [{type maintenance|incident|announcement, id,
  title, content, date "Feb 5, 2026", time "16:30", timestamp (epoch s), status 0|1|2,
  endDate}]}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
import re
from typing import Any, Final

import aiohttp
from yarl import URL

from .conditional import Endpoint
from .detection import Detected, Probe, html_title
from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, is_host_name
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
    require_list_at,
    require_str,
)
from .statuspage import base_url_string

# The page's public token (in its address, not a credential).
CONF_TOKEN: Final = "token"  # noqa: S105
CONF_API_URL: Final = "api_url"
MONITOR_LIST: Final = "getMonitorList"
EVENT_FEED: Final = "getEventFeed"

# statusClass of a monitor (the peer's mapping).
STATUS_CLASSES: Final = {
    "success": ComponentStatus.OPERATIONAL,
    "warning": ComponentStatus.DEGRADED_PERFORMANCE,
    "danger": ComponentStatus.MAJOR_OUTAGE,
    "paused": ComponentStatus.UNDER_MAINTENANCE,
}
# An event's status: 0 ongoing or upcoming, 1 in progress, 2 completed (peer).
_COMPLETED: Final = 2
_IN_PROGRESS: Final = 1
# The group UptimeRobot puts ungrouped monitors in ("Monitors (default)").
_DEFAULT_GROUP_ID: Final = "0"
_MONITOR_LIST_URL = re.compile(
    r"""['"]([^'"\s<>]*/""" + MONITOR_LIST + r"""/([A-Za-z0-9_-]{1,128}))/?['"]"""
)
_FEED_DATE_FORMAT = "%b %d, %Y %H:%M"


def event_feed_url(api_url: URL) -> URL:
    """Return the event feed beside a monitor list: `.../getEventFeed/{token}`."""
    token = api_url.name
    return api_url.parent.parent.joinpath(EVENT_FEED, token)


def _id_of(value: Any, what: str) -> str:
    """Return an id (an integer or a string) as a string."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        raise CloudStatusParseError(f"{what} has no id")
    return str(value)


def parse_monitor_list(payload: Any) -> dict[str, Component]:
    """Turn a getMonitorList body into components, by monitor id.

    Monitors of a named group are "Group \u2013 Monitor"; the default group (id 0,
    "Monitors (default)") names nothing. Groups have no status of their own, so they
    are not components. A body without its `data` list is a parse error.
    """
    body = require_dict(payload, "monitor list")
    components: dict[str, Component] = {}
    for raw in require_list_at(body, "data", "monitor list"):
        item = require_dict(raw, "monitor")
        monitor_id = _id_of(item.get("monitorId"), "monitor")
        status_class = item.get("statusClass")
        raw_status = status_class if isinstance(status_class, str) else None
        group_id = item.get("groupId")
        group_name = optional_str(item, "groupName")
        in_group = (
            group_name is not None
            and group_id not in (None, "")
            and not isinstance(group_id, bool)
            and str(group_id) != _DEFAULT_GROUP_ID
        )
        components.setdefault(
            monitor_id,
            Component(
                id=monitor_id,
                name=clean_name(require_str(item, "name", "monitor")),
                status=STATUS_CLASSES.get(
                    (raw_status or "").lower(), ComponentStatus.UNKNOWN
                ),
                raw_status=raw_status,
                group_id=str(group_id) if in_group else None,
                group_name=clean_name(group_name) if in_group and group_name else None,
            ),
        )
    return components


def _event_time(item: dict[str, Any]) -> datetime | None:
    """When an event starts: its epoch `timestamp`, else its `date` and `time` (UTC)."""
    stamp = item.get("timestamp")
    if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
        return parse_time(stamp * 1000)
    text = f"{optional_str(item, 'date') or ''} {optional_str(item, 'time') or ''}"
    try:
        return datetime.strptime(text.strip(), _FEED_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _end_time(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_time(value * 1000)
    return parse_time(value)


def parse_event_feed(
    payload: Any, page: PageInfo, now: datetime
) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]]:
    """Turn a getEventFeed body into open incidents and current or coming maintenances.

    Completed events (status 2) and announcements are left out. A maintenance with
    status 0 is scheduled until its start, then in progress until its end.
    """
    body = require_dict(payload, "event feed")
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for raw in require_list_at(body, "results", "event feed"):
        item = require_dict(raw, "event")
        kind = optional_str(item, "type")
        status = item.get("status")
        if status == _COMPLETED or kind not in ("incident", "maintenance"):
            continue
        event_id = _id_of(item.get("id"), "event")
        starts = _event_time(item)
        content = optional_str(item, "content")
        if kind == "incident":
            incidents.append(
                Incident(
                    id=event_id,
                    name=optional_str(item, "title") or "",
                    status="in_progress" if status == _IN_PROGRESS else "ongoing",
                    impact="unknown",
                    url=page.url,
                    started_at=starts,
                    latest_update=content,
                    latest_update_id=f"{event_id}@{status}",
                    update_count=1,
                )
            )
            continue
        ends = _end_time(item.get("endDate"))
        if ends is not None and ends <= now:
            continue
        started = status == _IN_PROGRESS or (starts is not None and starts <= now)
        maintenances.append(
            Maintenance(
                id=event_id,
                name=optional_str(item, "title") or "",
                status="in_progress" if started else "scheduled",
                phase=MaintenancePhase.IN_PROGRESS
                if started
                else MaintenancePhase.SCHEDULED,
                url=page.url,
                starts_at=starts,
                ends_at=ends,
                latest_update=content,
                latest_update_id=f"{event_id}@{status}",
            )
        )
    return tuple(incidents), tuple(maintenances)


class UptimeRobotClient:
    """Poll one UptimeRobot status page: its monitor list, then its event feed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_url: str | URL,
        *,
        page_url: str | None = None,
        token: str | None = None,
        max_bytes: int = MAX_BODY_BYTES,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Take the shared session and the page's monitor list URL."""
        self._session = session
        self.api_url = URL(str(api_url))
        self.token = token or self.api_url.name
        host = URL(page_url).host if page_url else None
        self.page = PageInfo(
            id=self.token, name=host or self.api_url.host or self.token, url=page_url
        )
        self._max_bytes = max_bytes
        self._clock = clock
        self._monitors = Endpoint(self.api_url)
        self._events = Endpoint(event_feed_url(self.api_url))
        self._last_day: tuple[tuple[Incident, ...], tuple[Maintenance, ...]] = ((), ())
        self._last_components: dict[str, Component] | None = None

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read both endpoints; None when neither changed and no window began or ended.

        What an answer brought is kept only once both parsed, so a failed poll leaves
        the state of the last good one.
        """
        monitors = await self._monitors.read(self._session, max_bytes=self._max_bytes)
        events = await self._events.read(self._session, max_bytes=self._max_bytes)
        # The monitor list is the large answer: the same bytes give the same monitors.
        if monitors.changed or self._last_components is None:
            components = parse_monitor_list(loads(monitors.body))
        else:
            components = self._last_components
        incidents, maintenances = parse_event_feed(
            loads(events.body), self.page, self._clock()
        )
        unchanged = (
            not monitors.changed
            and not events.changed
            and (incidents, maintenances) == self._last_day
        )
        monitors.keep()
        events.keep()
        self._last_day = (incidents, maintenances)
        self._last_components = components
        if unchanged:
            return None
        return StatusSnapshot(
            page=self.page,
            components=components,
            incidents=incidents,
            maintenances=maintenances,
        )


@dataclass(frozen=True, slots=True)
class PagePointer:
    """What a page's HTML says about its API."""

    api_url: URL
    token: str


def find_monitor_list(html: str, page_url: URL) -> PagePointer | None:
    """Find the monitor list URL a page's HTML names (resolved against the page)."""
    # A pointer inside JSON has its slashes escaped.
    if (match := _MONITOR_LIST_URL.search(html.replace("\\/", "/"))) is None:
        return None
    try:
        api_url = page_url.join(URL(match.group(1)))
    except ValueError:
        return None
    if api_url.scheme not in ("http", "https") or not is_host_name(api_url):
        return None
    return PagePointer(api_url.with_query(None).with_fragment(None), match.group(2))


async def detect(probe: Probe) -> Detected | None:
    """Recognise a page whose HTML names `.../getMonitorList/{token}` (the shared read)."""
    if (html := await probe.page_html()) is None:
        return None
    if (pointer := find_monitor_list(html, probe.base_url)) is None:
        return None
    return Detected(
        key=pointer.token,
        title=html_title(html) or probe.base_url.host or pointer.token,
        url=base_url_string(probe.base_url),
        data={CONF_TOKEN: pointer.token, CONF_API_URL: str(pointer.api_url)},
    )


__all__ = [
    "CONF_API_URL",
    "CONF_TOKEN",
    "STATUS_CLASSES",
    "PagePointer",
    "UptimeRobotClient",
    "detect",
    "event_feed_url",
    "find_monitor_list",
    "parse_event_feed",
    "parse_monitor_list",
]
