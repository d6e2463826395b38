"""Slack's status feed: `https://slack-status.com/api/v2.0.0/current`, one request a poll.

The feed (docs.slack.dev/reference/slack-status-api) has an overall `status` ("ok", or
"active" while an issue is open) and `active_incidents`: issues of `type` "incident",
"outage" or "notice" whose `status` is "active" (or, for planned maintenance,
"scheduled", "completed" or "cancelled"; "resolved" once over). An issue names the
Slack `services` it touches.

The feed lists only the services an issue touches, so the components are the services
Slack documents for this endpoint (`SERVICES`) plus any other service an issue names,
as it is named. A service is a major outage while an open `outage` names it, a partial
outage while an open `incident` does, and operational otherwise. A `notice` is
informational: it is no incident (it turns no `problem` on) and changes no service; its
title shows in the overall `description` when nothing worse is open. Scheduled and
completed issues are maintenance windows (the feed gives no planned times). Timestamps
carry the local offset of Slack's servers (`-07:00`); they are compared as instants.

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
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list_at,
)

FEED_URL: Final = URL("https://slack-status.com/api/v2.0.0/current")
FEED_PATH: Final = "/api/v2.0.0/current"
HOSTS: Final = frozenset({"slack-status.com", "status.slack.com"})
PAGE_KEY: Final = "slack-status.com"
TITLE: Final = "Slack"

# The services the v2.0.0 `current` endpoint documents, in Slack's order.
SERVICES: Final = (
    "Login/SSO",
    "Messaging",
    "Notifications",
    "Search",
    "Workspace/Org Administration",
    "Canvases",
    "Connectivity",
    "Files",
    "Huddles",
    "Apps/Integrations/APIs",
    "Workflows",
)
# What an open issue of each type means for the services it names.
TYPE_STATUS: Final = {
    "outage": ComponentStatus.MAJOR_OUTAGE,
    "incident": ComponentStatus.PARTIAL_OUTAGE,
}
NOTICE: Final = "notice"
OVERALL_STATUSES: Final = frozenset({"ok", "active"})
_CLOSED: Final = frozenset({"resolved", "cancelled"})
_MAINTENANCE_PHASES: Final = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "completed": MaintenancePhase.COMPLETED,
}
_EPOCH = datetime.min.replace(tzinfo=UTC)


def claims(raw: str) -> bool:
    """Whether an address is Slack's status page (then nothing else is tried)."""
    return typed_host(raw) in HOSTS


def _id(item: dict[str, Any]) -> str:
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    raise CloudStatusParseError("Slack issue has no 'id'")


def _lower(item: dict[str, Any], key: str) -> str | None:
    value = optional_str(item, key)
    return value.strip().lower() or None if value is not None else None


def _services(item: dict[str, Any]) -> list[str]:
    names = (
        clean_name(name)
        for name in optional_list(item, "services", "services")
        if isinstance(name, str) and name.strip()
    )
    return list(dict.fromkeys(names))


def _newest_note(item: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Return the newest note (by `date_created`; ties: first listed) and the count."""
    notes = [n for n in optional_list(item, "notes", "notes") if isinstance(n, dict)]
    latest = newest(notes, lambda note: parse_time(note.get("date_created")))
    return latest or {}, len(notes)


def _time(value: Any) -> datetime | None:
    """Read a timestamp with Slack's local offset as the same instant in UTC."""
    parsed = parse_time(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def _text(item: dict[str, Any], key: str) -> str | None:
    value = optional_str(item, key)
    return value.strip() or None if value is not None else None


class _Issues:
    """The feed's issues, sorted into incidents, notices and maintenance windows."""

    def __init__(self, page_url: str) -> None:
        self.page_url = page_url
        self.incidents: list[Incident] = []
        self.notices: list[tuple[datetime, int, str]] = []
        self.maintenances: list[Maintenance] = []
        # Each service by component id: its first name, and what open incidents say.
        self.services: dict[
            str, tuple[str, list[tuple[ComponentStatus, str | None]]]
        ] = {}
        for name in SERVICES:
            self._service(name)

    def _service(self, name: str) -> str:
        """Register a service; return the name it goes by (the first spelling seen)."""
        return self.services.setdefault(service_id(name), (name, []))[0]

    def add(self, item: dict[str, Any]) -> None:
        issue_id = _id(item)
        status = _lower(item, "status") or "active"
        kind = _lower(item, "type")
        services = tuple(dict.fromkeys(self._service(n) for n in _services(item)))
        if status in _CLOSED:
            return
        name = clean_name(_text(item, "title") or "")
        created = _time(item.get("date_created"))
        updated = _time(item.get("date_updated"))
        note, count = _newest_note(item)
        url = _text(item, "url") or self.page_url
        if (phase := _MAINTENANCE_PHASES.get(status)) is not None:
            self.maintenances.append(
                Maintenance(
                    id=issue_id,
                    name=name,
                    status=status,
                    phase=phase,
                    url=url,
                    updated_at=updated,
                    components=services,
                    latest_update=_text(note, "body"),
                    latest_update_id=_text(note, "date_created"),
                )
            )
            return
        if kind == NOTICE:
            self.notices.append(
                (updated or created or _EPOCH, -len(self.notices), name)
            )
            return
        impact = TYPE_STATUS.get(kind or "", ComponentStatus.UNKNOWN)
        for service in services:
            self.services[service_id(service)][1].append((impact, kind))
        self.incidents.append(
            Incident(
                id=issue_id,
                name=name,
                status=status,
                impact=kind or "unknown",
                url=url,
                created_at=created,
                started_at=created,
                updated_at=updated,
                components=services,
                latest_update=_text(note, "body"),
                latest_update_id=_text(note, "date_created"),
                update_count=count,
            )
        )

    def components(self) -> dict[str, Component]:
        components: dict[str, Component] = {}
        for component_id, (name, seen) in self.services.items():
            status, raw = max(
                seen,
                key=lambda pair: pair[0].severity,
                default=(ComponentStatus.OPERATIONAL, None),
            )
            components[component_id] = Component(
                id=component_id, name=name, status=status, raw_status=raw
            )
        return components

    def description(self) -> str | None:
        """Return the newest open incident's title, else the newest notice's."""
        if (latest := newest(self.incidents, lambda item: item.sort_time)) is not None:
            return latest.name or None
        if self.notices:
            return max(self.notices)[2] or None
        return None

    def reported(self, raw: str | None) -> ComponentStatus | None:
        """Return Slack's own overall status: the worst open incident, by its type."""
        if raw is None:
            return None
        if raw not in OVERALL_STATUSES:
            return ComponentStatus.UNKNOWN
        return max(
            (
                TYPE_STATUS[incident.impact]
                for incident in self.incidents
                if incident.impact in TYPE_STATUS
            ),
            key=lambda status: status.severity,
            default=ComponentStatus.OPERATIONAL,
        )


def parse_current(
    payload: Any, page_url: str = "https://slack-status.com"
) -> StatusSnapshot:
    """Turn a `current` body into the snapshot; `active_incidents` must be a list."""
    body = require_dict(payload, "Slack status")
    items = require_list_at(body, "active_incidents", "Slack status")
    issues = _Issues(page_url)
    for item in items:
        issues.add(require_dict(item, "Slack issue"))
    raw = _lower(body, "status")
    return StatusSnapshot(
        page=PageInfo(
            id=PAGE_KEY,
            name=TITLE,
            url=page_url,
            updated_at=_time(body.get("date_updated")),
        ),
        components=issues.components(),
        incidents=tuple(issues.incidents),
        maintenances=tuple(issues.maintenances),
        indicator=raw,
        description=issues.description(),
        reported_status=issues.reported(raw),
        indicator_known=raw in OVERALL_STATUSES,
    )


class SlackClient:
    """Read Slack's `current` feed, with conditional requests where it allows them."""

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
            lambda read: parse_current(
                feed_json(read.body, read.headers), self.page_url
            ),
            max_bytes=self._max_bytes,
        )


async def detect(probe: Probe) -> Detected | None:
    """Recognise Slack's hosts; the validating poll reads the real feed."""
    if probe.base_url.host not in HOSTS:
        return None
    return Detected(key=PAGE_KEY, title=TITLE, url=str(FEED_URL))
