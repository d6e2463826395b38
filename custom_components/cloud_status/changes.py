"""Turn two successive snapshots into the incident and maintenance events users see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .api import Incident, Maintenance, MaintenancePhase, StatusSnapshot
from .attributes import iso_or_none


class ChangeKind(StrEnum):
    """Which event entity a change belongs to."""

    INCIDENT = "incident"
    MAINTENANCE = "maintenance"


INCIDENT_CREATED = "incident_created"
INCIDENT_UPDATED = "incident_updated"
INCIDENT_RESOLVED = "incident_resolved"
INCIDENT_EVENT_TYPES = [INCIDENT_CREATED, INCIDENT_UPDATED, INCIDENT_RESOLVED]

MAINTENANCE_SCHEDULED = "maintenance_scheduled"
MAINTENANCE_STARTED = "maintenance_started"
MAINTENANCE_COMPLETED = "maintenance_completed"
# The `status` of a maintenance_completed event for a window that left the page.
COMPLETED = "completed"
CANCELLED = "cancelled"

MAINTENANCE_EVENT_TYPES = [
    MAINTENANCE_SCHEDULED,
    MAINTENANCE_STARTED,
    MAINTENANCE_COMPLETED,
]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One event to fire: its entity, its type and its data."""

    kind: ChangeKind
    event_type: str
    data: Mapping[str, Any]


def incident_event_data(
    incident: Incident, status: str | None = None
) -> dict[str, Any]:
    """Build the data of an `incident` event."""
    return {
        "id": incident.id,
        "name": incident.name,
        "status": status or incident.status,
        "impact": incident.impact,
        "url": incident.url,
    }


def maintenance_event_data(
    maintenance: Maintenance, status: str | None = None
) -> dict[str, Any]:
    """Build the data of a `maintenance` event."""
    return {
        "id": maintenance.id,
        "name": maintenance.name,
        "status": status or maintenance.status,
        "impact": maintenance.impact,
        "url": maintenance.url,
        "starts_at": iso_or_none(maintenance.starts_at),
        "ends_at": iso_or_none(maintenance.ends_at),
    }


def _incident_changed(old: Incident, new: Incident) -> bool:
    return (
        old.status != new.status
        or old.impact != new.impact
        or old.latest_update_id != new.latest_update_id
        or old.update_count != new.update_count
    )


def diff_snapshots(
    old: StatusSnapshot, new: StatusSnapshot, now: datetime
) -> tuple[StatusChange, ...]:
    """List the events between two successful polls, incidents first, in provider order.

    When either poll knew incidents and maintenances only as counts, there is nothing to
    compare: a switch between the two modes must not read as everything resolving.
    """
    if old.counts_only or new.counts_only:
        return ()
    changes: list[StatusChange] = []
    old_incidents = {incident.id: incident for incident in old.incidents}
    new_ids = {incident.id for incident in new.incidents}
    for incident in new.incidents:
        previous = old_incidents.get(incident.id)
        if previous is None:
            event_type = INCIDENT_CREATED
        elif _incident_changed(previous, incident):
            event_type = INCIDENT_UPDATED
        else:
            continue
        changes.append(
            StatusChange(ChangeKind.INCIDENT, event_type, incident_event_data(incident))
        )
    changes.extend(
        StatusChange(
            ChangeKind.INCIDENT,
            INCIDENT_RESOLVED,
            incident_event_data(incident, "resolved"),
        )
        for incident in old.incidents
        if incident.id not in new_ids
    )
    changes.extend(_maintenance_changes(old, new, now))
    return tuple(changes)


def vanished_status(maintenance: Maintenance, now: datetime) -> str:
    """Say how a maintenance that left the page ended.

    Pages drop finished windows, but also cancelled ones: a window that vanished before
    it was due to start was cancelled.
    """
    if maintenance.phase is MaintenancePhase.SCHEDULED and (
        maintenance.starts_at is None or maintenance.starts_at > now
    ):
        return CANCELLED
    return COMPLETED


def _maintenance_changes(
    old: StatusSnapshot, new: StatusSnapshot, now: datetime
) -> list[StatusChange]:
    changes: list[StatusChange] = []
    old_maintenances = {m.id: m for m in old.maintenances}
    new_ids = {m.id for m in new.maintenances}
    for maintenance in new.maintenances:
        previous = old_maintenances.get(maintenance.id)
        before = previous.phase if previous else None
        if before is maintenance.phase:
            continue
        event_type = {
            MaintenancePhase.SCHEDULED: MAINTENANCE_SCHEDULED,
            MaintenancePhase.IN_PROGRESS: MAINTENANCE_STARTED,
            MaintenancePhase.COMPLETED: MAINTENANCE_COMPLETED,
        }[maintenance.phase]
        if before is MaintenancePhase.COMPLETED or (
            before is None and maintenance.phase is MaintenancePhase.COMPLETED
        ):
            continue
        changes.append(
            StatusChange(
                ChangeKind.MAINTENANCE, event_type, maintenance_event_data(maintenance)
            )
        )
    changes.extend(
        StatusChange(
            ChangeKind.MAINTENANCE,
            MAINTENANCE_COMPLETED,
            maintenance_event_data(maintenance, vanished_status(maintenance, now)),
        )
        for maintenance in old.maintenances
        if maintenance.id not in new_ids
        and maintenance.phase is not MaintenancePhase.COMPLETED
    )
    return changes
