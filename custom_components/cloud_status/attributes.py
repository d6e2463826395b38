"""How incidents and maintenances look in entity attributes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .api import Incident, Maintenance
from .const import MAX_LISTED_ITEMS


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def incident_attributes(incident: Incident) -> dict[str, Any]:
    """Describe one incident for the `incidents` attribute."""
    return {
        "id": incident.id,
        "name": incident.name,
        "status": incident.status,
        "impact": incident.impact,
        "started_at": _iso(incident.sort_time),
        "updated_at": _iso(incident.updated_at),
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
        "starts_at": _iso(maintenance.starts_at),
        "ends_at": _iso(maintenance.ends_at),
        "url": maintenance.url,
        "components": list(maintenance.components),
    }


def newest_incidents(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """List at most MAX_LISTED_ITEMS incidents, newest first."""
    dated = sorted(
        incidents,
        key=lambda incident: _iso(incident.sort_time) or "",
        reverse=True,
    )
    return [incident_attributes(incident) for incident in dated[:MAX_LISTED_ITEMS]]


def listed_maintenances(maintenances: Iterable[Maintenance]) -> list[dict[str, Any]]:
    """List at most MAX_LISTED_ITEMS maintenances in the given order."""
    return [
        maintenance_attributes(maintenance)
        for maintenance in list(maintenances)[:MAX_LISTED_ITEMS]
    ]
