"""Instatus bodies into the snapshot: summary.json, components.json, their dates."""

from __future__ import annotations

from datetime import datetime, timedelta
import hashlib
import math
import re
from typing import Any

from yarl import URL

from ..detection import url_key
from ..models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from ..parsing import (
    LATEST_TIME,
    clean_name,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list_at,
    require_str,
)
from ..statuspage import base_url_string

SUMMARY_PATH = "summary.json"
COMPONENT_PATHS = ("v2/components.json", "v3/components.json")

# page.status (doc: public-data).
PAGE_STATUSES: dict[str, ComponentStatus] = {
    "UP": ComponentStatus.OPERATIONAL,
    # Something is wrong; the components (or an incident) say how badly.
    "HASISSUES": ComponentStatus.DEGRADED_PERFORMANCE,
    "UNDERMAINTENANCE": ComponentStatus.UNDER_MAINTENANCE,
}
# Component status and incident impact (doc: webhooks).
COMPONENT_STATUSES: dict[str, ComponentStatus] = {
    "OPERATIONAL": ComponentStatus.OPERATIONAL,
    "UNDERMAINTENANCE": ComponentStatus.UNDER_MAINTENANCE,
    "DEGRADEDPERFORMANCE": ComponentStatus.DEGRADED_PERFORMANCE,
    "PARTIALOUTAGE": ComponentStatus.PARTIAL_OUTAGE,
    "MINOROUTAGE": ComponentStatus.PARTIAL_OUTAGE,
    "MAJOROUTAGE": ComponentStatus.MAJOR_OUTAGE,
}
MAINTENANCE_PHASES: dict[str, MaintenancePhase] = {
    "NOTSTARTEDYET": MaintenancePhase.SCHEDULED,
    "INPROGRESS": MaintenancePhase.IN_PROGRESS,
    "COMPLETED": MaintenancePhase.COMPLETED,
}
_RESOLVED = "RESOLVED"
_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Oct",
            "Nov",
            "Dec",
        ],
        start=1,
    )
}
# JavaScript's Date.toString(), e.g. Sat Jun 11 2022 18:55:50 GMT+0000 (UTC).
_JS_DATE = re.compile(
    r"(?:[A-Z][a-z]{2} )?(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}) (?P<year>\d{4}) "
    r"(?P<time>\d{2}:\d{2}:\d{2}) GMT(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})"
    r"(?: \([^)]{0,80}\))?",
    re.ASCII,
)
# A maintenance longer than this many minutes (a century) gets no end time.
_MAX_DURATION_MINUTES = 100 * 366 * 24 * 60


def parse_instatus_time(value: Any) -> datetime | None:
    """Read a JavaScript `Date.toString()` text or ISO 8601; anything else is None."""
    if isinstance(value, str) and (match := _JS_DATE.fullmatch(value.strip())):
        month = _MONTHS.get(match["month"])
        if month is None:
            return None
        offset = f"{match['sign']}{match['hours']}:{match['minutes']}"
        value = (
            f"{match['year']}-{month:02d}-{int(match['day']):02d}T{match['time']}"
            f"{offset}"
        )
    return parse_time(value)


def _minutes(value: Any) -> float | None:
    """Read a duration in minutes, given as a number or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    minutes = float(value)
    if not math.isfinite(minutes) or not 0 < minutes <= _MAX_DURATION_MINUTES:
        return None
    return minutes


def _end_of(start: datetime | None, duration: Any) -> datetime | None:
    minutes = _minutes(duration)
    if start is None or minutes is None:
        return None
    try:
        end = start + timedelta(minutes=minutes)
    except OverflowError:
        return None
    return end if end <= LATEST_TIME else None


def _stable_id(kind: str, item: dict[str, Any]) -> str:
    """Return an item's id: its own, else the end of its URL, else a digest of it."""
    own = item.get("id")
    if isinstance(own, int) and not isinstance(own, bool):
        return str(own)
    if isinstance(own, str) and own.strip():
        return own.strip()
    if (url := optional_str(item, "url")) and (
        tail := url.rstrip("/").rsplit("/", 1)[-1]
    ):
        return tail
    seed = f"{item.get('name')!r}|{item.get('started', item.get('start'))!r}"
    return f"{kind}-{hashlib.sha256(seed.encode('utf-8', 'replace')).hexdigest()[:16]}"


def _impact(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        return "none"
    status = COMPONENT_STATUSES.get(value.strip().upper())
    return status.value if status else value.strip().lower()


def parse_incident(item: dict[str, Any], page: PageInfo) -> Incident | None:
    """Map one of `activeIncidents`; None once it is resolved."""
    raw_status = (optional_str(item, "status") or "unknown").strip()
    if raw_status.upper() == _RESOLVED:
        return None
    started = parse_instatus_time(item.get("started"))
    return Incident(
        id=_stable_id("incident", item),
        name=optional_str(item, "name") or "",
        status=raw_status.lower(),
        impact=_impact(item.get("impact")),
        url=optional_str(item, "url") or page.url,
        created_at=started,
        started_at=started,
        updated_at=parse_instatus_time(item.get("updatedAt")),
    )


def parse_maintenance(item: dict[str, Any], page: PageInfo) -> Maintenance:
    """Map one of `activeMaintenances` (its end is its start plus `duration` minutes)."""
    raw_status = (optional_str(item, "status") or "NOTSTARTEDYET").strip()
    starts = parse_instatus_time(item.get("start"))
    return Maintenance(
        id=_stable_id("maintenance", item),
        name=optional_str(item, "name") or "",
        status=raw_status.lower(),
        phase=MAINTENANCE_PHASES.get(raw_status.upper(), MaintenancePhase.SCHEDULED),
        url=optional_str(item, "url") or page.url,
        starts_at=starts,
        ends_at=_end_of(starts, item.get("duration")),
        updated_at=parse_instatus_time(item.get("updatedAt")),
    )


def _component_status(raw: Any) -> ComponentStatus:
    if isinstance(raw, str):
        return COMPONENT_STATUSES.get(raw.strip().upper(), ComponentStatus.UNKNOWN)
    return ComponentStatus.UNKNOWN


def _flatten(items: list[Any]) -> list[tuple[dict[str, Any], str | None]]:
    """Every component with the id of the one it is nested in (v3 `children`)."""
    flat: list[tuple[dict[str, Any], str | None]] = []
    for raw in items:
        item = require_dict(raw, "component")
        flat.append((item, None))
        parent_id = require_str(item, "id", "component")
        # Instatus nests one level: children of children are read as members too.
        stack = list(optional_list(item, "children", "children"))
        while stack:
            child = require_dict(stack.pop(0), "component")
            flat.append((child, parent_id))
            stack.extend(optional_list(child, "children", "children"))
    return flat


def _group_of(item: dict[str, Any], parent_id: str | None) -> tuple[str | None, Any]:
    """Return the id of a component's group and the group's own name, where given."""
    group = item.get("group")
    if isinstance(group, dict):
        group_id = group.get("id")
        if isinstance(group_id, (str, int)) and not isinstance(group_id, bool):
            return str(group_id) or None, group.get("name")
        return parent_id, group.get("name")
    if isinstance(group, str) and group:
        return group, None
    return parent_id, None


def parse_components(payload: Any) -> dict[str, Component]:
    """Turn a components.json body (v2 `group` links or v3 `children`) into components.

    The list must be there: a body without it (or with `null`) is a parse error.
    """
    body = require_dict(payload, "components.json")
    flat = _flatten(require_list_at(body, "components", "components.json"))
    names = {
        require_str(item, "id", "component"): clean_name(
            require_str(item, "name", "component")
        )
        for item, _ in flat
    }
    links = [(item, *_group_of(item, parent)) for item, parent in flat]
    group_ids = {group_id for _, group_id, _ in links if group_id}
    components: dict[str, Component] = {}
    for item, linked_id, group_name in links:
        component_id = require_str(item, "id", "component")
        raw_status = item.get("status")
        group_id = None if linked_id == component_id else linked_id
        name = (
            clean_name(group_name)
            if isinstance(group_name, str) and group_name.strip()
            else names.get(group_id or "")
        )
        components[component_id] = Component(
            id=component_id,
            name=names[component_id],
            status=_component_status(raw_status),
            raw_status=raw_status if isinstance(raw_status, str) else None,
            group_id=group_id,
            group_name=name if group_id else None,
            is_group=component_id in group_ids
            or item.get("isParent") is True
            or bool(item.get("children")),
            description=optional_str(item, "description"),
        )
    return components


def parse_summary(
    payload: Any, components: dict[str, Component], base_url: URL
) -> StatusSnapshot:
    """Turn a summary.json body and the parsed component list into the snapshot."""
    body = require_dict(payload, "summary.json")
    page_raw = require_dict(body.get("page"), "page")
    raw_status = optional_str(page_raw, "status")
    page = PageInfo(
        id=url_key(base_url),
        name=clean_name(optional_str(page_raw, "name") or "") or url_key(base_url),
        url=optional_str(page_raw, "url") or base_url_string(base_url),
    )
    incidents = tuple(
        incident
        for item in optional_list(body, "activeIncidents", "activeIncidents")
        if (incident := parse_incident(require_dict(item, "incident"), page))
        is not None
    )
    maintenances = tuple(
        parse_maintenance(require_dict(item, "maintenance"), page)
        for item in optional_list(body, "activeMaintenances", "activeMaintenances")
    )
    reported = (
        PAGE_STATUSES.get(raw_status.strip().upper(), ComponentStatus.UNKNOWN)
        if raw_status
        else None
    )
    return StatusSnapshot(
        page=page,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        indicator=raw_status,
        reported_status=reported,
        indicator_known=reported is not None
        and reported is not ComponentStatus.UNKNOWN,
    )
