"""What a status entry remembers across reloads and restarts, kept in a `Store`.

Two memories: the maintenances seen completing in the last 7 days (the calendar shows
them), and since when each component has been missing from successful polls (its
entities leave the registry only after 24 hours of absence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import Maintenance, MaintenancePhase
from .const import COMPONENT_ABSENCE_GRACE, DOMAIN, LOGGER, RECENT_MAINTENANCE_WINDOW

STORAGE_VERSION = 1
# Coalesces the writes of busy polls; unloading and stopping write at once.
STORAGE_SAVE_DELAY = 10.0

_MAINTENANCE_TEXT_FIELDS = (
    "id",
    "name",
    "status",
    "impact",
    "url",
    "latest_update",
    "latest_update_id",
)
_MAINTENANCE_TIME_FIELDS = ("starts_at", "ends_at", "updated_at")


def storage_key(entry_id: str) -> str:
    """Return the name of the file that keeps an entry's memory."""
    return f"{DOMAIN}.memory.{entry_id}"


async def async_remove_memory(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the memory of an entry that is being removed."""
    await Store[dict[str, Any]](
        hass, STORAGE_VERSION, storage_key(entry_id)
    ).async_remove()


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    parsed = dt_util.parse_datetime(value)
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _stored_maintenance(maintenance: Maintenance, seen_at: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        key: getattr(maintenance, key) for key in _MAINTENANCE_TEXT_FIELDS
    }
    for key in _MAINTENANCE_TIME_FIELDS:
        when: datetime | None = getattr(maintenance, key)
        record[key] = None if when is None else when.isoformat()
    record["components"] = list(maintenance.components)
    record["seen_at"] = seen_at.isoformat()
    return record


def _loaded_maintenance(record: object) -> tuple[Maintenance, datetime] | None:
    """Rebuild a stored completed maintenance; None when the record is unreadable."""
    if not isinstance(record, dict):
        return None
    texts = {key: record.get(key) for key in _MAINTENANCE_TEXT_FIELDS}
    seen_at = _time(record.get("seen_at"))
    components = record.get("components")
    if (
        not isinstance(texts["id"], str)
        or seen_at is None
        or not all(value is None or isinstance(value, str) for value in texts.values())
        or not isinstance(components, list)
        or not all(isinstance(name, str) for name in components)
    ):
        return None
    maintenance = Maintenance(
        id=texts["id"],
        name=texts["name"] or "",
        status="completed",
        phase=MaintenancePhase.COMPLETED,
        impact=texts["impact"] or "maintenance",
        url=texts["url"],
        starts_at=_time(record.get("starts_at")),
        ends_at=_time(record.get("ends_at")),
        updated_at=_time(record.get("updated_at")),
        components=tuple(components),
        latest_update=texts["latest_update"],
        latest_update_id=texts["latest_update_id"],
    )
    return maintenance, seen_at


@dataclass(slots=True)
class _Contents:
    completed: dict[str, tuple[Maintenance, datetime]]
    missing_since: dict[str, datetime]


class EntryMemory:
    """An entry's completed maintenances and component absence clocks, on disk."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Name the entry's store; nothing is read until `async_load`."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry_id)
        )
        self._contents = _Contents(completed={}, missing_since={})
        self._dirty = False

    async def async_load(self) -> None:
        """Read what the entry remembered; an unreadable file is logged and ignored."""
        try:
            stored = await self._store.async_load()
        except HomeAssistantError as err:
            LOGGER.warning(
                "Could not read %s, starting afresh: %s", self._store.key, err
            )
            stored = None
        if not isinstance(stored, dict):
            return
        completed = stored.get("completed_maintenances")
        for record in completed if isinstance(completed, list) else ():
            if (loaded := _loaded_maintenance(record)) is not None:
                self._contents.completed[loaded[0].id] = loaded
        missing = stored.get("missing_since")
        for component_id, since in (
            missing if isinstance(missing, dict) else {}
        ).items():
            if (when := _time(since)) is not None:
                self._contents.missing_since[component_id] = when

    # --- completed maintenances -----------------------------------------------------

    def add_completed(self, maintenance: Maintenance, when: datetime) -> None:
        """Remember a maintenance that was seen completing at `when`."""
        self._contents.completed[maintenance.id] = (
            replace(maintenance, status="completed", phase=MaintenancePhase.COMPLETED),
            when,
        )
        self._changed()

    def recent_completed(self, now: datetime) -> tuple[Maintenance, ...]:
        """Return the maintenances seen completing in the last 7 days; drop older ones."""
        horizon = now - RECENT_MAINTENANCE_WINDOW
        completed = self._contents.completed
        if expired := [key for key, (_, seen) in completed.items() if seen < horizon]:
            for key in expired:
                del completed[key]
            self._changed()
        return tuple(maintenance for maintenance, _ in completed.values())

    # --- component absence ----------------------------------------------------------

    @property
    def missing_component_ids(self) -> frozenset[str]:
        """Components whose entities are kept while their absence clock runs."""
        return frozenset(self._contents.missing_since)

    def note_missing(self, component_ids: Iterable[str], now: datetime) -> None:
        """Start the clock of each component that has none yet."""
        missing = self._contents.missing_since
        for component_id in component_ids:
            if component_id not in missing:
                missing[component_id] = now
                self._changed()

    def forget_missing(self, component_ids: Iterable[str]) -> None:
        """Stop the clocks of components that came back or left the registry."""
        missing = self._contents.missing_since
        for component_id in component_ids:
            if missing.pop(component_id, None) is not None:
                self._changed()

    def absent_too_long(self, now: datetime) -> list[str]:
        """Components missing from every successful poll for 24 hours or more."""
        return [
            component_id
            for component_id, since in self._contents.missing_since.items()
            if now - since >= COMPONENT_ABSENCE_GRACE
        ]

    # --- storage --------------------------------------------------------------------

    def _changed(self) -> None:
        self._dirty = True
        self._store.async_delay_save(self._data, STORAGE_SAVE_DELAY)

    def _data(self) -> dict[str, Any]:
        self._dirty = False
        return {
            "completed_maintenances": [
                _stored_maintenance(maintenance, seen)
                for maintenance, seen in self._contents.completed.values()
            ],
            "missing_since": {
                component_id: since.isoformat()
                for component_id, since in self._contents.missing_since.items()
            },
        }

    async def async_flush(self) -> None:
        """Write pending changes now (the entry unloads, or Home Assistant stops)."""
        if self._dirty:
            await self._store.async_save(self._data())
