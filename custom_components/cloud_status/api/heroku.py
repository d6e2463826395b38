"""Heroku's status feed: `https://status.heroku.com/api/v4/current-status`, one request.

The feed (the Heroku CLI's `heroku status` reads it) has `status`, the systems (Apps,
Data, Tools) each `green`, `yellow`, `red` or `blue` (maintenance), `incidents` and
`scheduled`, each item with `updates` (`update_type`, `contents`, `status_prod`,
`status_dev`). The systems are the components, named as the feed names them.

Heroku leaves `resolved: false` on incidents that are over, so an incident is open
exactly while it is in `incidents`, whatever its flags say. `scheduled` keeps windows
that have ended: a window is completed once its newest update is `resolved` (or
`completed`) or it says `resolved: true`, upcoming while `upcoming` is true or its
newest update is still `scheduled`, and in progress otherwise. The feed gives no
planned times: a window's start is when its first `maintenance` update came, its end
when its `resolved` update came.

A feed that answers HTML is a bot wall: a refusal (`CloudStatusAuthError`), so that the
form says `access_denied` and the entry's failure reads "access denied".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import aiohttp
from yarl import URL

from .conditional import Endpoint
from .detection import Detected, Probe
from .errors import CloudStatusParseError
from .feeds import feed_json, page_url_of, service_id, typed_host
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
    newest,
    newest_first,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list_at,
    require_str,
)

FEED_URL: Final = URL("https://status.heroku.com/api/v4/current-status")
FEED_PATH: Final = "/api/v4/current-status"
HOSTS: Final = frozenset({"status.heroku.com"})
PAGE_KEY: Final = "status.heroku.com"
TITLE: Final = "Heroku"

# Recorded bodies have green, yellow and blue; red as the Heroku CLI and peers read it.
COLORS: Final = {
    "green": ComponentStatus.OPERATIONAL,
    "yellow": ComponentStatus.PARTIAL_OUTAGE,
    "red": ComponentStatus.MAJOR_OUTAGE,
    "blue": ComponentStatus.UNDER_MAINTENANCE,
}
_ENDED: Final = frozenset({"resolved", "completed"})
_STARTED: Final = "maintenance"
_NOT_STARTED: Final = "scheduled"


def claims(raw: str) -> bool:
    """Whether an address is Heroku's status page (then nothing else is tried)."""
    return typed_host(raw) in HOSTS


def map_color(value: object) -> ComponentStatus:
    """Map a Heroku color; anything else is UNKNOWN."""
    if not isinstance(value, str):
        return ComponentStatus.UNKNOWN
    return COLORS.get(value.strip().lower(), ComponentStatus.UNKNOWN)


def _id(item: dict[str, Any], what: str) -> str:
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    raise CloudStatusParseError(f"{what} has no 'id'")


def _text(item: dict[str, Any], key: str) -> str | None:
    value = optional_str(item, key)
    return value.strip() or None if value is not None else None


def _time(value: Any) -> datetime | None:
    parsed = parse_time(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def _updates(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Return an item's updates, newest first (by `created_at`; ties: first listed)."""
    updates = [
        update
        for update in optional_list(item, "updates", "updates")
        if isinstance(update, dict)
    ]
    return newest_first(updates, lambda update: _time(update.get("created_at")))


def _update_type(update: dict[str, Any]) -> str | None:
    value = _text(update, "update_type")
    return value.lower() if value is not None else None


def _impact(update: dict[str, Any]) -> str:
    """Return the worst of an update's production and development colors, normalized."""
    worst = max(
        (map_color(update.get(key)) for key in ("status_prod", "status_dev")),
        key=lambda status: status.severity,
    )
    return worst.value if worst is not ComponentStatus.UNKNOWN else "none"


def parse_systems(items: list[Any]) -> dict[str, Component]:
    """Read `status`: each system a component (a repeated system keeps its first)."""
    components: dict[str, Component] = {}
    for item in items:
        entry = require_dict(item, "Heroku system")
        name = clean_name(require_str(entry, "system", "Heroku system"))
        color = _text(entry, "status")
        components.setdefault(
            service_id(name),
            Component(
                id=service_id(name),
                name=name,
                status=map_color(color),
                raw_status=color.lower() if color is not None else None,
            ),
        )
    return components


def _incident(item: dict[str, Any], page_url: str) -> Incident:
    updates = _updates(item)
    newest = updates[0] if updates else {}
    return Incident(
        id=_id(item, "Heroku incident"),
        name=clean_name(_text(item, "title") or ""),
        # Open while listed: `resolved` and `state` are not trusted.
        status=_update_type(newest) or "open",
        impact=_impact(newest),
        url=_text(item, "full_url") or page_url,
        created_at=_time(item.get("created_at")),
        started_at=_time(item.get("created_at")),
        updated_at=_time(item.get("updated_at")),
        latest_update=_text(newest, "contents"),
        latest_update_id=_update_id(newest),
        update_count=len(updates),
    )


def _update_id(update: dict[str, Any]) -> str | None:
    value = update.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(update, "id") or _text(update, "created_at")


def _phase(item: dict[str, Any], newest_type: str | None) -> MaintenancePhase:
    if item.get("resolved") is True or newest_type in _ENDED:
        return MaintenancePhase.COMPLETED
    if item.get("upcoming") is True or newest_type in (None, _NOT_STARTED):
        return MaintenancePhase.SCHEDULED
    return MaintenancePhase.IN_PROGRESS


def _first_time(
    updates: list[dict[str, Any]], kinds: frozenset[str]
) -> datetime | None:
    """Return when the earliest update of one of these kinds came."""
    times = [
        time
        for update in updates
        if _update_type(update) in kinds
        and (time := _time(update.get("created_at"))) is not None
    ]
    return min(times, default=None)


def _maintenance(item: dict[str, Any], page_url: str) -> Maintenance:
    updates = _updates(item)
    newest = updates[0] if updates else {}
    newest_type = _update_type(newest)
    phase = _phase(item, newest_type)
    return Maintenance(
        id=_id(item, "Heroku maintenance"),
        name=clean_name(_text(item, "title") or ""),
        status=newest_type or _NOT_STARTED,
        phase=phase,
        url=_text(item, "full_url") or page_url,
        starts_at=_first_time(updates, frozenset({_STARTED})),
        ends_at=_first_time(updates, _ENDED)
        if phase is MaintenancePhase.COMPLETED
        else None,
        updated_at=_time(item.get("updated_at")),
        latest_update=_text(newest, "contents"),
        latest_update_id=_update_id(newest),
    )


def parse_current_status(
    payload: Any, page_url: str = "https://status.heroku.com"
) -> StatusSnapshot:
    """Turn a `current-status` body into the snapshot; `status` must be a list."""
    body = require_dict(payload, "Heroku status")
    components = parse_systems(require_list_at(body, "status", "Heroku status"))
    incidents = tuple(
        _incident(require_dict(item, "Heroku incident"), page_url)
        for item in optional_list(body, "incidents", "incidents")
    )
    maintenances = tuple(
        _maintenance(require_dict(item, "Heroku maintenance"), page_url)
        for item in optional_list(body, "scheduled", "scheduled")
    )
    worst = max(
        components.values(),
        key=lambda component: component.status.severity,
        default=None,
    )
    latest = newest(incidents, lambda incident: incident.sort_time)
    return StatusSnapshot(
        page=PageInfo(id=PAGE_KEY, name=TITLE, url=page_url),
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        indicator=worst.raw_status if worst is not None else None,
        description=(latest.name or None) if latest is not None else None,
    )


class HerokuClient:
    """Read Heroku's `current-status` feed, with conditional requests where allowed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        feed_url: str | URL = FEED_URL,
        *,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session and the feed's address (the real one by default)."""
        self._session = session
        self.url = URL(feed_url)
        self.page_url = page_url_of(self.url, FEED_PATH)
        self._max_bytes = max_bytes
        self._feed = Endpoint(self.url)

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Fetch and parse the feed; None means unchanged since the last call."""
        return await self._feed.read_parsed(
            self._session,
            lambda read: parse_current_status(
                feed_json(read.body, read.headers), self.page_url
            ),
            max_bytes=self._max_bytes,
        )


async def detect(probe: Probe) -> Detected | None:
    """Recognise Heroku's host; the validating poll reads the real feed."""
    if probe.base_url.host not in HOSTS:
        return None
    return Detected(key=PAGE_KEY, title=TITLE, url=str(FEED_URL))
