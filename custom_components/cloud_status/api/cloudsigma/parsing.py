"""CloudSigma status page bodies: status, components, incidents, maintenances.

`/status` gives the overall status with counts, `/components` the component list;
the incident and maintenance lists (not in the public docs) are read in the shapes seen
so far: a bare list, or one wrapped in an object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
import re
from typing import Any

from ..errors import CloudStatusParseError
from ..models import Component, ComponentStatus, Incident, Maintenance, MaintenancePhase
from ..parsing import clean_name, parse_time, require_dict, require_str

_EPOCH = datetime.min.replace(tzinfo=UTC)
_LIST_KEYS = ("items", "results", "data")
_RESOLVED_INCIDENT_STATUSES = frozenset(
    {"resolved", "completed", "closed", "postmortem"}
)
_MAINTENANCE_PHASES = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "planned": MaintenancePhase.SCHEDULED,
    "upcoming": MaintenancePhase.SCHEDULED,
    "in_progress": MaintenancePhase.IN_PROGRESS,
    "started": MaintenancePhase.IN_PROGRESS,
    "active": MaintenancePhase.IN_PROGRESS,
    "ongoing": MaintenancePhase.IN_PROGRESS,
    "verifying": MaintenancePhase.IN_PROGRESS,
    "completed": MaintenancePhase.COMPLETED,
    "complete": MaintenancePhase.COMPLETED,
    "finished": MaintenancePhase.COMPLETED,
    "ended": MaintenancePhase.COMPLETED,
    "cancelled": MaintenancePhase.COMPLETED,
    "canceled": MaintenancePhase.COMPLETED,
}
_START_KEYS = ("scheduled_for", "starts_at", "start_at", "scheduled_start")
_END_KEYS = ("scheduled_until", "ends_at", "end_at", "scheduled_end")
_UPDATE_TIME_KEYS = ("display_at", "created_at", "updated_at")


@dataclass(frozen=True, slots=True)
class CloudSigmaStatus:
    """What `GET {base}/api/v1/status` says."""

    status: ComponentStatus
    raw_status: str | None
    indicators: dict[str, int]
    active_incidents: int
    scheduled_maintenance: int
    last_updated: datetime | None


def parse_status(payload: Any) -> CloudSigmaStatus:
    """Read a `/status` body; only a missing `status` key makes it unreadable."""
    body = require_dict(payload, "status")
    if "status" not in body:
        raise CloudStatusParseError("status has no 'status'")
    raw_status = body["status"]
    return CloudSigmaStatus(
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) and raw_status else None,
        indicators=_indicators(body.get("indicators")),
        active_incidents=_count(body.get("active_incidents")) or 0,
        scheduled_maintenance=_count(body.get("scheduled_maintenance")) or 0,
        last_updated=parse_time(body.get("last_updated")),
    )


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _indicators(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {
        str(key).strip().lower(): count
        for key, raw in value.items()
        if (count := _count(raw)) is not None
    }


def parse_components(items: Iterable[Any]) -> dict[str, Component]:
    """Read `/components` entries, ordered by `position` where they have one.

    The sort is stable: entries without a position follow in the provider's order.
    """
    entries = sorted(
        (require_dict(item, "component") for item in items), key=_position_key
    )
    components: dict[str, Component] = {}
    for entry in entries:
        component = _parse_component(entry)
        components.setdefault(component.id, component)
    return components


def _position_key(entry: dict[str, Any]) -> tuple[int, float]:
    position = entry.get("position")
    if isinstance(position, (int, float)) and not isinstance(position, bool):
        return 0, position
    return 1, 0.0


def _parse_component(entry: dict[str, Any]) -> Component:
    component_id = require_str(entry, "id", "component")
    raw_status = entry.get("status")
    name = _text(entry, "name") or _text(entry, "code") or component_id
    return Component(
        id=component_id,
        name=clean_name(name),
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) else None,
        description=_text(entry, "description"),
    )


def _text(container: dict[str, Any], key: str) -> str | None:
    value = container.get(key)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _id_text(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _status_word(value: str | None, default: str) -> str:
    """Lower-case a status and write "In Progress" / "in-progress" as "in_progress"."""
    if value is None:
        return default
    return re.sub(r"[\s-]+", "_", value.lower())


def _find_list(payload: Any, own_key: str) -> list[Any]:
    """Return the list a detail endpoint answered, bare or wrapped in an object."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in (*_LIST_KEYS, own_key):
            if isinstance(value := payload.get(key), list):
                return value
    raise CloudStatusParseError(f"{own_key} is {type(payload).__name__}, not a list")


def parse_incidents(
    payload: Any, page_url: str | None, components: dict[str, Component]
) -> tuple[Incident, ...]:
    """Read an incident list; resolved, completed, closed and postmortem ones are left out."""
    return tuple(
        incident
        for item in _find_list(payload, "incidents")
        if (
            incident := _parse_incident(
                require_dict(item, "incident"), page_url, components
            )
        )
        is not None
    )


def parse_maintenances(
    payload: Any, page_url: str | None, components: dict[str, Component]
) -> tuple[Maintenance, ...]:
    """Read a maintenance list; completed and cancelled windows are left out.

    Like a Statuspage summary, the snapshot lists only scheduled and in-progress
    windows: whoever watches the snapshots notices when a window ends.
    """
    return tuple(
        maintenance
        for item in _find_list(payload, "maintenances")
        if (
            maintenance := _parse_maintenance(
                require_dict(item, "maintenance"), page_url, components
            )
        ).phase
        is not MaintenancePhase.COMPLETED
    )


def _parse_incident(
    item: dict[str, Any], page_url: str | None, components: dict[str, Component]
) -> Incident | None:
    status = _status_word(_text(item, "status"), "unknown")
    if status in _RESOLVED_INCIDENT_STATUSES:
        return None
    body, update_id, update_count = _latest_update(item)
    return Incident(
        id=require_str(item, "id", "incident"),
        name=_text(item, "name") or _text(item, "title") or "",
        status=status,
        impact=(_text(item, "impact") or _text(item, "severity") or "none").lower(),
        url=_text(item, "url") or _text(item, "shortlink") or page_url,
        created_at=parse_time(item.get("created_at")),
        started_at=parse_time(item.get("started_at")),
        updated_at=parse_time(item.get("updated_at")),
        resolved_at=parse_time(item.get("resolved_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
        update_count=update_count,
    )


def _parse_maintenance(
    item: dict[str, Any], page_url: str | None, components: dict[str, Component]
) -> Maintenance:
    status = _status_word(_text(item, "status"), "scheduled")
    body, update_id, _ = _latest_update(item)
    return Maintenance(
        id=require_str(item, "id", "maintenance"),
        name=_text(item, "name") or _text(item, "title") or "",
        status=status,
        phase=_MAINTENANCE_PHASES.get(status, MaintenancePhase.SCHEDULED),
        impact=(
            _text(item, "impact") or _text(item, "severity") or "maintenance"
        ).lower(),
        url=_text(item, "url") or _text(item, "shortlink") or page_url,
        starts_at=_first_time(item, _START_KEYS),
        ends_at=_first_time(item, _END_KEYS),
        updated_at=parse_time(item.get("updated_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
    )


def _first_time(item: dict[str, Any], keys: Iterable[str]) -> datetime | None:
    for key in keys:
        if (when := parse_time(item.get(key))) is not None:
            return when
    return None


def _affected(
    item: dict[str, Any], components: dict[str, Component]
) -> tuple[str, ...]:
    raw = item.get("components")
    if not isinstance(raw, list):
        return ()
    return tuple(
        name for entry in raw if (name := _affected_name(entry, components)) is not None
    )


def _affected_name(entry: object, components: dict[str, Component]) -> str | None:
    """Name a component given by id or by object: known ones by their display name."""
    if isinstance(entry, dict):
        known = components.get(_id_text(entry.get("id")) or "")
        return known.display_name if known else _text(entry, "name")
    component_id = _id_text(entry)
    if component_id is None:
        return None
    known = components.get(component_id)
    return known.display_name if known else component_id


def _latest_update(item: dict[str, Any]) -> tuple[str | None, str | None, int]:
    raw = item.get("updates")
    if raw is None:
        raw = item.get("incident_updates")
    updates = [
        update
        for update in (raw if isinstance(raw, list) else [])
        if isinstance(update, dict)
    ]
    if not updates:
        return None, None, 0
    # A readable timestamp decides; without one the first listed counts as the newest.
    newest = max(
        enumerate(updates),
        key=lambda pair: (_first_time(pair[1], _UPDATE_TIME_KEYS) or _EPOCH, -pair[0]),
    )[1]
    return (
        _text(newest, "body") or _text(newest, "message"),
        _id_text(newest.get("id")),
        len(updates),
    )


__all__ = [
    "CloudSigmaStatus",
    "parse_components",
    "parse_incidents",
    "parse_maintenances",
    "parse_status",
]
