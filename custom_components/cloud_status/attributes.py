"""How incidents and maintenances look in entity attributes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .api import Incident, Maintenance
from .const import MAX_LISTED_ITEMS

_DATELESS = datetime.min.replace(tzinfo=UTC)


def iso_or_none(value: datetime | None) -> str | None:
    """Write a time the way attributes and event data carry it."""
    return value.isoformat() if value else None


def incident_attributes(incident: Incident) -> dict[str, Any]:
    """Describe one incident for the `incidents` attribute."""
    return {
        "id": incident.id,
        "name": incident.name,
        "status": incident.status,
        "impact": incident.impact,
        "started_at": iso_or_none(incident.sort_time),
        "updated_at": iso_or_none(incident.updated_at),
        "url": incident.url,
        "components": list(incident.components),
        "latest_update": incident.latest_update,
    }


def maintenance_attributes(maintenance: Maintenance) -> dict[str, Any]:
    """Describe one maintenance window for the maintenance attributes."""
    return {
        "id": maintenance.id,
        "name": maintenance.name,
        "status": maintenance.status,
        "starts_at": iso_or_none(maintenance.starts_at),
        "ends_at": iso_or_none(maintenance.ends_at),
        "url": maintenance.url,
        "components": list(maintenance.components),
    }


def newest_incidents(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """List at most MAX_LISTED_ITEMS incidents, newest first."""
    dated = sorted(
        incidents,
        # By time, not by text: pages change UTC offset (DST) between incidents.
        key=lambda incident: incident.sort_time or _DATELESS,
        reverse=True,
    )
    return [incident_attributes(incident) for incident in dated[:MAX_LISTED_ITEMS]]


def listed_maintenances(maintenances: Iterable[Maintenance]) -> list[dict[str, Any]]:
    """List at most MAX_LISTED_ITEMS maintenances in the given order."""
    return [
        maintenance_attributes(maintenance)
        for maintenance in list(maintenances)[:MAX_LISTED_ITEMS]
    ]
