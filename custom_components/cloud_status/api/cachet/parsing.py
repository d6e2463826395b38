"""Reading Cachet's lists (2.x flat objects, 3.x JSON:API-like) into the snapshot model.

2.x (`/api/v1/…`) items are flat objects with integer ids and statuses (older servers
send statuses as strings: "1") and dates "YYYY-MM-DD HH:MM:SS". 3.x (`/api/…`) items are
`{id (string), type, attributes{…}}` whose enum fields are `{human, value}` and dates
`{human, string}`. Dates carry no zone: they are UTC. Ids become strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from ..models import Component, ComponentStatus, Incident, Maintenance, MaintenancePhase
from ..parsing import (
    clean_name,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_str,
)

# cachethq/docs `component-statuses`: 0 Unknown (3.x), 1 Operational, 2 Performance
# Issues, 3 Partial Outage, 4 Major Outage.
COMPONENT_STATUSES: Final[dict[int | None, ComponentStatus]] = {
    0: ComponentStatus.UNKNOWN,
    1: ComponentStatus.OPERATIONAL,
    2: ComponentStatus.DEGRADED_PERFORMANCE,
    3: ComponentStatus.PARTIAL_OUTAGE,
    4: ComponentStatus.MAJOR_OUTAGE,
}
# cachethq/docs `incident-statuses`: 0 Scheduled (2.x; Unknown in 3.x), 1 Investigating,
# 2 Identified, 3 Watching, 4 Fixed.
INCIDENT_FIXED: Final = 4
INCIDENT_SCHEDULED: Final = 0
_INCIDENT_NAMES: Final[dict[int | None, str]] = {
    1: "investigating",
    2: "identified",
    3: "watching",
    4: "fixed",
}
# Schedules: 0 Upcoming, 1 In progress, 2 Complete.
_SCHEDULE_PHASES: Final[dict[int | None, MaintenancePhase]] = {
    0: MaintenancePhase.SCHEDULED,
    1: MaintenancePhase.IN_PROGRESS,
    2: MaintenancePhase.COMPLETED,
}
_PHASE_NAMES: Final = {
    MaintenancePhase.SCHEDULED: "scheduled",
    MaintenancePhase.IN_PROGRESS: "in_progress",
    MaintenancePhase.COMPLETED: "completed",
}
NO_IMPACT: Final = "none"


def item_id(item: dict[str, Any], what: str) -> str:
    """Return an item's id as a string (3.x sends strings, 2.x integers)."""
    return require_str(item, "id", what)


def attributes(item: Any, what: str) -> tuple[str, dict[str, Any]]:
    """Return (id, fields) of a list item of either version."""
    entry = require_dict(item, what)
    if "attributes" in entry:
        return item_id(entry, what), require_dict(entry["attributes"], what)
    return item_id(entry, what), entry


def enum_value(value: Any) -> int | None:
    """Read an enum field: an int, a string of digits, or 3.x's `{human, value}`."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal() and len(value) < 6:  # noqa: PLR2004
        return int(value.strip())
    return None


def raw_enum(value: Any) -> str | None:
    """Return the provider's own value of an enum field as text (logs, attributes)."""
    if isinstance(value, dict):
        value = value.get("value")
    if value is None:
        return None
    return value if isinstance(value, str) else repr(value)


def read_time(fields: dict[str, Any], *keys: str) -> datetime | None:
    """Return the first readable time among `keys` (3.x wraps it as `{string}`)."""
    for key in keys:
        value = fields.get(key)
        if isinstance(value, dict):
            value = value.get("string")
        if (parsed := parse_time(value)) is not None:
            return parsed
    return None


def group_names(items: list[Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Return group names by id, and (3.x, `include=components`) group ids by member id."""
    names: dict[str, str] = {}
    members: dict[str, str] = {}
    for item in items:
        group_id, fields = attributes(item, "component group")
        names[group_id] = clean_name(require_str(fields, "name", "component group"))
        relationships = item.get("relationships")
        if not isinstance(relationships, dict):
            continue
        related = relationships.get("components")
        data = related.get("data") if isinstance(related, dict) else None
        for member in data if isinstance(data, list) else ():
            if isinstance(member, dict) and (member_id := enum_id(member.get("id"))):
                members[member_id] = group_id
    return names, members


def enum_id(value: Any) -> str | None:
    """Read an id that may be absent, null, 0 (2.x: no group), an int or a string."""
    if isinstance(value, bool) or value in (None, 0, "", "0"):
        return None
    if isinstance(value, (int, str)):
        return str(value)
    return None


def parse_component(
    item: Any, names: dict[str, str], members: dict[str, str]
) -> Component | None:
    """Turn a component into the model; a disabled component (hidden by Cachet) is None."""
    component_id, fields = attributes(item, "component")
    if fields.get("enabled") is False:
        return None
    raw = fields.get("status")
    value = enum_value(raw)
    status = COMPONENT_STATUSES.get(value, ComponentStatus.UNKNOWN)
    group_id = (
        enum_id(fields.get("group_id"))
        or enum_id(fields.get("component_group_id"))
        or members.get(component_id)
    )
    return Component(
        id=component_id,
        name=clean_name(require_str(fields, "name", "component")),
        status=status,
        raw_status=raw_enum(raw),
        group_id=group_id,
        group_name=names.get(group_id) if group_id else None,
        description=optional_str(fields, "description"),
    )


def parse_components(items: list[Any], groups: list[Any]) -> dict[str, Component]:
    """Every enabled component by id, members named after their group."""
    names, members = group_names(groups)
    components: dict[str, Component] = {}
    for item in items:
        if (component := parse_component(item, names, members)) is not None:
            components[component.id] = component
    return components


def parse_incidents(
    items: list[Any],
    components: dict[str, Component],
    *,
    version: int,
    now: datetime,
) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]]:
    """Return the open incidents, and (2.x) the scheduled ones as upcoming maintenances.

    Fixed (4) incidents are closed. On 2.x a status 0 is a scheduled maintenance, shown
    until its time comes (as Cachet 2.x's page does); on 3.x a 0 is an unknown status
    and the incident stays open.
    """
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for item in items:
        incident_id, fields = attributes(item, "incident")
        value = enum_value(fields.get("status"))
        if value == INCIDENT_FIXED:
            continue
        name = clean_name(require_str(fields, "name", "incident"))
        affected = _affected(fields, components)
        if value == INCIDENT_SCHEDULED and version == 2:  # noqa: PLR2004
            starts = read_time(fields, "scheduled_at", "occurred_at")
            if starts is not None and starts > now:
                maintenances.append(
                    Maintenance(
                        id=f"incident-{incident_id}",
                        name=name,
                        status="scheduled",
                        phase=MaintenancePhase.SCHEDULED,
                        starts_at=starts,
                        updated_at=read_time(fields, "updated_at", "updated"),
                        components=affected,
                        latest_update=optional_str(fields, "message"),
                    )
                )
            continue
        incidents.append(
            Incident(
                id=incident_id,
                name=name,
                status=_INCIDENT_NAMES.get(value, "unknown"),
                impact=NO_IMPACT,
                created_at=read_time(fields, "created_at", "created"),
                started_at=read_time(fields, "occurred_at", "occurred", "created_at"),
                updated_at=read_time(fields, "updated_at", "updated"),
                components=affected,
                latest_update=optional_str(fields, "message"),
            )
        )
    return tuple(incidents), tuple(maintenances)


def parse_schedules(
    items: list[Any], components: dict[str, Component], *, now: datetime
) -> tuple[Maintenance, ...]:
    """Return the upcoming and running schedules; completed ones are left out.

    A status outside 0..2 is judged by the times: before the start it is upcoming,
    after the completion time completed, else in progress.
    """
    maintenances: list[Maintenance] = []
    for item in items:
        schedule_id, fields = attributes(item, "schedule")
        starts = read_time(fields, "scheduled_at", "scheduled")
        ends = read_time(fields, "completed_at", "completed")
        phase = _SCHEDULE_PHASES.get(enum_value(fields.get("status")))
        if phase is None:
            if starts is not None and now < starts:
                phase = MaintenancePhase.SCHEDULED
            elif ends is not None and ends <= now:
                phase = MaintenancePhase.COMPLETED
            else:
                phase = MaintenancePhase.IN_PROGRESS
        if phase is MaintenancePhase.COMPLETED:
            continue
        maintenances.append(
            Maintenance(
                id=schedule_id,
                name=clean_name(require_str(fields, "name", "schedule")),
                status=_PHASE_NAMES[phase],
                phase=phase,
                starts_at=starts,
                ends_at=ends,
                updated_at=read_time(fields, "updated_at", "updated"),
                components=_affected(fields, components),
                latest_update=optional_str(fields, "message"),
            )
        )
    return tuple(maintenances)


def _affected(
    fields: dict[str, Any], components: dict[str, Component]
) -> tuple[str, ...]:
    """Display names of the components an incident or schedule names, where known."""
    ids = [enum_id(fields.get("component_id"))]
    ids.extend(
        enum_id(entry.get("id")) if isinstance(entry, dict) else None
        for entry in optional_list(fields, "components", "components")
    )
    names: list[str] = []
    for component_id in ids:
        known = components.get(component_id or "")
        if known is not None and known.display_name not in names:
            names.append(known.display_name)
    return tuple(names)
