"""Event entities: incidents and maintenances as they change, and ended Photoshop jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .changes import INCIDENT_EVENT_TYPES, MAINTENANCE_EVENT_TYPES, ChangeKind
from .coordinator import CloudStatusConfigEntry, CloudStatusCoordinator, CloudStatusData
from .entity import CloudStatusEntity, PhotoshopJobsEntity
from .job_tracker import JOB_EVENT_TYPES, PhotoshopJobCoordinator

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CloudStatusEventEntityDescription(EventEntityDescription):
    """An event entity fed by one kind of change."""

    kind: ChangeKind


JOB_EVENT = EventEntityDescription(
    key="job", translation_key="job", event_types=JOB_EVENT_TYPES
)

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
    if isinstance(coordinator, PhotoshopJobCoordinator):
        async_add_entities([PhotoshopJobEventEntity(coordinator, JOB_EVENT)])
        return
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


class PhotoshopJobEventEntity(PhotoshopJobsEntity, EventEntity):
    """Fires once for each tracked job that succeeds, fails or times out."""

    # Outputs may be many and carry long pre-signed URLs; the event type is enough.
    _unrecorded_attributes = frozenset({"outputs", "errors"})

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_job_listener(self._job_ended))

    @callback
    def _job_ended(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
