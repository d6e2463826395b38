"""A calendar of scheduled, running and recently completed maintenances."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Maintenance, MaintenancePhase
from .entity import CloudStatusEntity
from .runtime import (
    CloudStatusConfigEntry,
    EntityBuilder,
    EntryKind,
    StatusRuntimeData,
    add_entities_by_kind,
)

PARALLEL_UPDATES = 0

# Used when a provider gives a start but no end.
DEFAULT_MAINTENANCE_LENGTH = timedelta(hours=1)

CALENDAR = CalendarEntityDescription(
    key="maintenance_calendar", translation_key="maintenance_calendar"
)


def _add_status_calendar(
    runtime: StatusRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    async_add_entities([MaintenanceCalendar(runtime.coordinator, CALENDAR)])


# Photoshop API entries have no calendar.
ENTITY_BUILDERS: dict[EntryKind, EntityBuilder] = {
    EntryKind.STATUS: _add_status_calendar,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the maintenance calendar."""
    add_entities_by_kind(entry, async_add_entities, ENTITY_BUILDERS)


def _calendar_event(maintenance: Maintenance) -> CalendarEvent | None:
    start = maintenance.starts_at or maintenance.updated_at
    if start is None:
        return None
    end = maintenance.ends_at
    if end is None or end <= start:
        end = start + DEFAULT_MAINTENANCE_LENGTH
    return CalendarEvent(
        start=start,
        end=end,
        summary=maintenance.name,
        description=maintenance.latest_update,
        uid=maintenance.id,
        location=maintenance.url,
    )


class MaintenanceCalendar(CloudStatusEntity, CalendarEntity):
    """Maintenance windows as calendar events."""

    def _events(self) -> list[CalendarEvent]:
        data = self.coordinator.data
        # Completed windows come only from what was seen completing (and for a week);
        # a window is listed once, in its current phase.
        current = [
            maintenance
            for maintenance in data.snapshot.maintenances
            if maintenance.phase is not MaintenancePhase.COMPLETED
        ]
        current_ids = {maintenance.id for maintenance in current}
        maintenances = (
            *current,
            *(m for m in data.completed_maintenances if m.id not in current_ids),
        )
        events = [
            event
            for maintenance in maintenances
            if (event := _calendar_event(maintenance)) is not None
        ]
        return sorted(events, key=lambda event: event.start_datetime_local)

    @override
    def _fingerprint(self) -> object:
        return self.event

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return the running maintenance, else the next scheduled one."""
        snapshot = self.coordinator.data.snapshot
        for phase_list in (
            snapshot.active_maintenances,
            snapshot.upcoming_maintenances,
        ):
            for maintenance in phase_list:
                if (event := _calendar_event(maintenance)) is not None:
                    return event
        return None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        return [
            event
            for event in self._events()
            if event.end_datetime_local > start_date
            and event.start_datetime_local < end_date
        ]
