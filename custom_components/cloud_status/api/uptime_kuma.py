"""Uptime Kuma public status pages: `{base}/status/{slug}`, two requests a poll.

`/api/status-page/{slug}` gives the page (config, pinned incident, public groups of
monitors, maintenances in progress) and `/api/status-page/heartbeat/{slug}` the recent
beats of every monitor, oldest first. Both are public and undocumented (maintainer in
louislam/uptime-kuma#4348 and #5399); the shapes here are those of the recorded
open-slum.org answers. Times are "YYYY-MM-DD HH:MM:SS[.mmm]" in UTC without a zone.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Any, Final

import aiohttp
from yarl import URL

from .conditional import Endpoint
from .detection import Detected, Probe, url_key
from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES
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
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list,
    require_list_at,
    require_str,
)
from .statuspage import InvalidUrlError, base_url_string, normalize_page_url

CONF_SLUG: Final = "slug"
PAGE_SEGMENT: Final = "status"
STATUS_PAGE_PATH: Final = "api/status-page"
HEARTBEAT_PATH: Final = "api/status-page/heartbeat"
_API_PAGE = re.compile(r"(.*)/api/status-page/(?:heartbeat/)?([^/]+)")

# The `status` of a heartbeat (Uptime Kuma's UP/DOWN/PENDING/MAINTENANCE constants).
HEARTBEAT_STATUSES: Final = {
    0: ComponentStatus.MAJOR_OUTAGE,
    1: ComponentStatus.OPERATIONAL,
    2: ComponentStatus.DEGRADED_PERFORMANCE,
    3: ComponentStatus.UNDER_MAINTENANCE,
}
# A pinned incident's `style` (the colour of its banner) as an impact.
_INCIDENT_IMPACTS: Final = {"danger": "major", "warning": "minor"}
_MAINTENANCE_PHASES: Final = {
    "under-maintenance": MaintenancePhase.IN_PROGRESS,
    "scheduled": MaintenancePhase.SCHEDULED,
    "ended": MaintenancePhase.COMPLETED,
    "inactive": MaintenancePhase.COMPLETED,
}


@dataclass(frozen=True, slots=True)
class KumaPage:
    """Where one status page lives: the instance's base URL and the page's slug."""

    base_url: URL
    slug: str

    @property
    def key(self) -> str:
        """`host[:port][/path]/slug`: the page's part of the unique id."""
        return f"{url_key(self.base_url)}/{self.slug}"

    @property
    def page_url(self) -> str:
        """The address people open."""
        return f"{base_url_string(self.base_url)}/{PAGE_SEGMENT}/{self.slug}"

    @property
    def status_page_url(self) -> URL:
        """The page's configuration, groups and monitors."""
        return self.base_url.joinpath(STATUS_PAGE_PATH, self.slug)

    @property
    def heartbeat_url(self) -> URL:
        """The monitors' recent beats."""
        return self.base_url.joinpath(HEARTBEAT_PATH, self.slug)


def page_of(url: URL) -> KumaPage | None:
    """Split `{base}/status/{slug}` into base and slug; None for any other path."""
    before, found, slug = url.path.rstrip("/").rpartition(f"/{PAGE_SEGMENT}/")
    if not found or not slug or "/" in slug:
        return None
    return KumaPage(url.with_path(before or "/"), slug)


def api_page_of(raw: str) -> KumaPage | None:
    """Split a pasted API address, `{base}/api/status-page/[heartbeat/]{slug}`."""
    try:
        url = normalize_page_url(raw)
    except InvalidUrlError:
        return None
    if (match := _API_PAGE.fullmatch(url.path.rstrip("/"))) is None:
        return None
    return KumaPage(url.with_path(match.group(1) or "/"), match.group(2))


def _id_of(value: Any, what: str) -> str:
    """Return an id (an integer or a string) as a string."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
        raise CloudStatusParseError(f"{what} has no id")
    return str(value)


def parse_heartbeats(payload: Any) -> dict[str, Any]:
    """Return the newest beat's status of each monitor (by id) from a heartbeat body.

    The value is the raw `status` of the last beat, or None when a monitor has no beat.
    """
    body = require_dict(payload, "heartbeat answer")
    beats = require_dict(body.get("heartbeatList"), "heartbeatList")
    latest: dict[str, Any] = {}
    for monitor_id, items in beats.items():
        monitor_beats = require_list(items, "heartbeats")
        newest = monitor_beats[-1] if monitor_beats else None
        latest[monitor_id] = newest.get("status") if isinstance(newest, dict) else None
    return latest


def _status_of(raw: Any) -> tuple[ComponentStatus, str | None]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return HEARTBEAT_STATUSES.get(raw, ComponentStatus.UNKNOWN), str(raw)
    return ComponentStatus.UNKNOWN, None if raw is None else str(raw)[:40]


def parse_status_page(
    payload: Any, latest: dict[str, Any], page: KumaPage
) -> StatusSnapshot:
    """Turn the status page body and the newest beats into the shared snapshot.

    Each monitor of a public group is a component named "Group \u2013 Monitor" (the
    groups carry no status of their own, so they get no entities); a monitor listed in
    two groups counts once, in the first.
    """
    body = require_dict(payload, "status page")
    config = require_dict(body.get("config"), "config")
    info = PageInfo(
        id=page.key,
        name=(clean_name(title) if (title := optional_str(config, "title")) else "")
        or page.slug,
        url=page.page_url,
    )
    components: dict[str, Component] = {}
    for group_raw in require_list_at(body, "publicGroupList", "status page"):
        group = require_dict(group_raw, "public group")
        group_name = clean_name(optional_str(group, "name") or "") or None
        for monitor_raw in require_list_at(group, "monitorList", "public group"):
            monitor = require_dict(monitor_raw, "monitor")
            monitor_id = _id_of(monitor.get("id"), "monitor")
            if monitor_id in components:
                continue
            status, raw_status = _status_of(latest.get(monitor_id))
            components[monitor_id] = Component(
                id=monitor_id,
                name=clean_name(require_str(monitor, "name", "monitor")),
                status=status,
                raw_status=raw_status,
                group_name=group_name,
            )
    incident_raw = body.get("incident")
    incidents = (
        (_parse_incident(require_dict(incident_raw, "incident"), info),)
        if incident_raw is not None
        else ()
    )
    maintenances = tuple(
        _parse_maintenance(require_dict(item, "maintenance"), info)
        for item in optional_list(body, "maintenanceList", "maintenanceList")
    )
    return StatusSnapshot(
        page=info,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
    )


def _parse_incident(item: dict[str, Any], page: PageInfo) -> Incident:
    """Read the pinned incident: an open message with a title, a text and a style."""
    incident_id = _id_of(item.get("id"), "incident")
    created = parse_time(item.get("createdDate"))
    updated = parse_time(item.get("lastUpdatedDate"))
    changed = optional_str(item, "lastUpdatedDate") or optional_str(item, "createdDate")
    return Incident(
        id=incident_id,
        name=optional_str(item, "title") or "",
        status="pinned",
        impact=_INCIDENT_IMPACTS.get(optional_str(item, "style") or "", "none"),
        url=page.url,
        created_at=created,
        started_at=created,
        updated_at=updated or created,
        latest_update=optional_str(item, "content"),
        latest_update_id=f"{incident_id}@{changed}" if changed else incident_id,
        update_count=1,
    )


def _parse_maintenance(item: dict[str, Any], page: PageInfo) -> Maintenance:
    """Read a maintenance of the page (Uptime Kuma lists those in progress)."""
    status = optional_str(item, "status") or "under-maintenance"
    slots = optional_list(item, "timeslotList", "timeslotList")
    slot = slots[0] if slots and isinstance(slots[0], dict) else {}
    return Maintenance(
        id=_id_of(item.get("id"), "maintenance"),
        name=optional_str(item, "title") or "",
        status=status,
        phase=_MAINTENANCE_PHASES.get(status, MaintenancePhase.IN_PROGRESS),
        url=page.url,
        starts_at=parse_time(slot.get("startDate")),
        ends_at=parse_time(slot.get("endDate")),
        latest_update=optional_str(item, "description"),
    )


class UptimeKumaClient:
    """Poll one Uptime Kuma status page: the page, then its heartbeats."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        slug: str,
        *,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session, the instance's base URL and the page's slug."""
        self._session = session
        self.page = KumaPage(URL(str(base_url)), slug)
        self._max_bytes = max_bytes
        self._page = Endpoint(self.page.status_page_url)
        self._heartbeats = Endpoint(self.page.heartbeat_url)

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read both endpoints; None when neither changed since the last poll.

        What an answer brought (body, validators) is kept only once both parsed, so a
        failed poll leaves the state of the last good one.
        """
        page = await self._page.read(self._session, max_bytes=self._max_bytes)
        beats = await self._heartbeats.read(self._session, max_bytes=self._max_bytes)
        if not page.changed and not beats.changed:
            page.keep()
            beats.keep()
            return None
        snapshot = parse_status_page(
            loads(page.body), parse_heartbeats(loads(beats.body)), self.page
        )
        page.keep()
        beats.keep()
        return snapshot


async def detect(probe: Probe) -> Detected | None:
    """Recognise `{base}/status/{slug}` by `/api/status-page/{slug}` (one request).

    The API's own address, pasted, names the page too.
    """
    page = page_of(probe.base_url) or api_page_of(probe.raw)
    if page is None:
        return None
    payload = await probe.get_json(page.status_page_url)
    if not isinstance(payload, dict) or not isinstance(
        config := payload.get("config"), dict
    ):
        return None
    if not isinstance(payload.get("publicGroupList"), list):
        return None
    title = optional_str(config, "title")
    return Detected(
        key=page.key,
        title=(clean_name(title) if title else "") or page.slug,
        url=base_url_string(page.base_url),
        data={CONF_SLUG: page.slug},
    )


__all__ = [
    "CONF_SLUG",
    "HEARTBEAT_STATUSES",
    "KumaPage",
    "UptimeKumaClient",
    "detect",
    "page_of",
    "parse_heartbeats",
    "parse_status_page",
]
