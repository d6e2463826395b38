"""Diagnostics: the entry (secrets redacted), the last snapshot and the last poll."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .coordinator import CloudStatusConfigEntry
from .job_tracker import PhotoshopJobCoordinator

TO_REDACT = {
    CONF_API_KEY,
    "access_token",
    "client_secret",
    "org_id",
    "private_key",
    "technical_account_id",
    "token",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> dict[str, Any]:
    """Return what support needs to see, without credentials."""
    coordinator = entry.runtime_data
    entry_info = {
        "title": entry.title,
        "unique_id": entry.unique_id,
        "data": async_redact_data(dict(entry.data), TO_REDACT),
        "options": async_redact_data(dict(entry.options), TO_REDACT),
    }
    if isinstance(coordinator, PhotoshopJobCoordinator):
        return {
            "entry": entry_info,
            "provider": coordinator.provider.value,
            **coordinator.diagnostics(),
        }
    data = coordinator.data
    return {
        "entry": entry_info,
        "provider": coordinator.provider.value,
        "update_interval_seconds": (
            coordinator.update_interval.total_seconds()
            if coordinator.update_interval
            else None
        ),
        "last_update_success": coordinator.last_update_success,
        "last_poll": asdict(coordinator.last_poll) if coordinator.last_poll else None,
        "client": coordinator.client_diagnostics(),
        "snapshot": asdict(data.snapshot),
        "recent_changes": [asdict(change) for change in data.changes],
        "completed_maintenances": [
            asdict(maintenance) for maintenance in data.completed_maintenances
        ],
    }
