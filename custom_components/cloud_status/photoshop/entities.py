"""The entities of a Photoshop API entry: its tracked-jobs sensor and its job event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.components.sensor import (
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from ..entity import service_device_info
from .responses import JOB_EVENT_TYPES
from .tracker import PhotoshopJobCoordinator

TRACKED_JOBS = SensorEntityDescription(
    key="tracked_jobs",
    translation_key="tracked_jobs",
    state_class=SensorStateClass.MEASUREMENT,
)

JOB_EVENT = EventEntityDescription(
    key="job", translation_key="job", event_types=JOB_EVENT_TYPES
)


class PhotoshopJobsEntity(CoordinatorEntity[PhotoshopJobCoordinator]):
    """An entity of a Photoshop API entry's service device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: PhotoshopJobCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the entry's service device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.config_entry.unique_id}_{description.key}"
        self._attr_device_info = service_device_info(coordinator)


class TrackedJobsSensor(PhotoshopJobsEntity, SensorEntity):
    """How many Photoshop jobs the entry is watching, and which."""

    # The list changes with every job; the count's history is enough.
    _unrecorded_attributes = frozenset({"jobs"})

    @property
    @override
    def native_value(self) -> int:
        return len(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        return {
            "jobs": [
                {
                    "job_id": job.job_id,
                    "status": job.status,
                    "timeout_at": job.deadline.isoformat(),
                }
                for job in self.coordinator.data.values()
            ]
        }


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
