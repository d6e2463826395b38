"""Event entities: incidents and maintenances as they change, and ended Photoshop jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .changes import INCIDENT_EVENT_TYPES, MAINTENANCE_EVENT_TYPES, ChangeKind
from .coordinator import CloudStatusCoordinator, CloudStatusData
from .entity import CloudStatusEntity
from .photoshop.entities import JOB_EVENT, PhotoshopJobEventEntity
from .photoshop.runtime import PhotoshopRuntimeData
from .runtime import (
    CloudStatusConfigEntry,
    EntityBuilder,
    EntryKind,
    StatusRuntimeData,
    add_entities_by_kind,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CloudStatusEventEntityDescription(EventEntityDescription):
    """An event entity fed by one kind of change."""

    kind: ChangeKind


EVENTS: tuple[CloudStatusEventEntityDescription, ...] = (
    CloudStatusEventEntityDescription(
        key="incident",
        translation_key="incident",
        kind=ChangeKind.INCIDENT,
        event_types=INCIDENT_EVENT_TYPES,
    ),
    CloudStatusEventEntityDescription(
        key="maintenance",
        translation_key="maintenance",
        kind=ChangeKind.MAINTENANCE,
        event_types=MAINTENANCE_EVENT_TYPES,
    ),
)


def _add_status_events(
    runtime: StatusRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    async_add_entities(
        CloudStatusEventEntity(runtime.coordinator, description)
        for description in EVENTS
    )


def _add_photoshop_events(
    runtime: PhotoshopRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    async_add_entities([PhotoshopJobEventEntity(runtime.coordinator, JOB_EVENT)])


ENTITY_BUILDERS: dict[EntryKind, EntityBuilder] = {
    EntryKind.STATUS: _add_status_events,
    EntryKind.PHOTOSHOP: _add_photoshop_events,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the incident and maintenance event entities (or a Photoshop job event)."""
    add_entities_by_kind(entry, async_add_entities, ENTITY_BUILDERS)


class CloudStatusEventEntity(CloudStatusEntity, EventEntity):
    """Fires one event per change seen between two successful polls."""

    entity_description: CloudStatusEventEntityDescription

    def __init__(
        self,
        coordinator: CloudStatusCoordinator,
        description: CloudStatusEventEntityDescription,
    ) -> None:
        """Start from the data found at set-up, which never fires anything."""
        super().__init__(coordinator, description)
        self._handled_data: CloudStatusData | None = coordinator.data

    @override
    def _fingerprint(self) -> object:
        return None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        data = self.coordinator.data
        if data is self._handled_data:
            # Only availability can have changed (a failed poll or its recovery).
            super()._handle_coordinator_update()
            return
        self._handled_data = data
        for change in data.changes:
            if change.kind is self.entity_description.kind:
                self._trigger_event(change.event_type, dict(change.data))
                self.async_write_ha_state()
        super()._handle_coordinator_update()
