"""Event entities: incidents and maintenances as they change between two polls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .changes import INCIDENT_EVENT_TYPES, MAINTENANCE_EVENT_TYPES, ChangeKind
from .coordinator import CloudStatusConfigEntry, CloudStatusCoordinator, CloudStatusData
from .entity import CloudStatusEntity

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


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the incident and maintenance event entities."""
    coordinator = entry.runtime_data
    async_add_entities(
        CloudStatusEventEntity(coordinator, description) for description in EVENTS
    )


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
