"""Sensors: overall status, incident count, next maintenance and one per component."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import KNOWN_STATUSES, Component, ComponentStatus
from .attributes import iso_or_none, listed_maintenances, newest_incidents
from .coordinator import CloudStatusCoordinator, CloudStatusData
from .entity import (
    CloudStatusComponentEntity,
    CloudStatusEntity,
    add_component_entities,
)
from .photoshop.entities import TRACKED_JOBS, TrackedJobsSensor
from .photoshop.runtime import PhotoshopRuntimeData
from .runtime import (
    CloudStatusConfigEntry,
    EntityBuilder,
    EntryKind,
    StatusRuntimeData,
    add_entities_by_kind,
)

PARALLEL_UPDATES = 0


def _state_of(status: ComponentStatus) -> str | None:
    return None if status is ComponentStatus.UNKNOWN else status.value


def _next_maintenance_attributes(data: CloudStatusData) -> dict[str, Any]:
    upcoming = data.snapshot.upcoming_maintenances
    if not upcoming:
        return {"upcoming": []}
    following = upcoming[0]
    return {
        "name": following.name,
        "ends_at": iso_or_none(following.ends_at),
        "url": following.url,
        "components": list(following.components),
        "upcoming": listed_maintenances(upcoming),
    }


@dataclass(frozen=True, kw_only=True)
class CloudStatusSensorEntityDescription(SensorEntityDescription):
    """A page-level sensor."""

    value_fn: Callable[[CloudStatusData], StateType | datetime]
    attributes_fn: Callable[[CloudStatusData], Mapping[str, Any]]


@dataclass(frozen=True, kw_only=True)
class CloudStatusComponentSensorEntityDescription(SensorEntityDescription):
    """A sensor of one component."""

    value_fn: Callable[[Component], StateType]
    attributes_fn: Callable[[Component], Mapping[str, Any]]


SENSORS: tuple[CloudStatusSensorEntityDescription, ...] = (
    CloudStatusSensorEntityDescription(
        key="overall_status",
        translation_key="overall_status",
        device_class=SensorDeviceClass.ENUM,
        options=list(KNOWN_STATUSES),
        value_fn=lambda data: _state_of(data.snapshot.overall_status),
        attributes_fn=lambda data: {
            "description": data.snapshot.description,
            "indicator": data.snapshot.indicator,
        },
    ),
    CloudStatusSensorEntityDescription(
        key="active_incidents",
        translation_key="active_incidents",
        value_fn=lambda data: data.snapshot.open_incident_count,
        attributes_fn=lambda data: {
            "incidents": newest_incidents(data.snapshot.incidents)
        },
    ),
    CloudStatusSensorEntityDescription(
        key="next_maintenance",
        translation_key="next_maintenance",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: (
            upcoming[0].starts_at
            if (upcoming := data.snapshot.upcoming_maintenances)
            else None
        ),
        attributes_fn=_next_maintenance_attributes,
    ),
)

COMPONENT_SENSOR = CloudStatusComponentSensorEntityDescription(
    key="component_status",
    translation_key="component_status",
    device_class=SensorDeviceClass.ENUM,
    options=list(KNOWN_STATUSES),
    value_fn=lambda component: _state_of(component.status),
    attributes_fn=lambda component: {
        "group": component.group_name,
        "description": component.description,
        "component_id": component.id,
    },
)


def _add_status_sensors(
    runtime: StatusRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    coordinator = runtime.coordinator
    async_add_entities(
        CloudStatusSensor(coordinator, description) for description in SENSORS
    )
    add_component_entities(
        coordinator,
        async_add_entities,
        lambda coordinator, component: [
            CloudStatusComponentSensor(coordinator, COMPONENT_SENSOR, component)
        ],
    )


def _add_photoshop_sensors(
    runtime: PhotoshopRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    async_add_entities([TrackedJobsSensor(runtime.coordinator, TRACKED_JOBS)])


ENTITY_BUILDERS: dict[EntryKind, EntityBuilder] = {
    EntryKind.STATUS: _add_status_sensors,
    EntryKind.PHOTOSHOP: _add_photoshop_sensors,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the page-level sensors and one status sensor per selected component."""
    add_entities_by_kind(entry, async_add_entities, ENTITY_BUILDERS)


class CloudStatusSensor(CloudStatusEntity, SensorEntity):
    """A sensor about the whole page."""

    entity_description: CloudStatusSensorEntityDescription
    # Lists can be long and change often; history of the count is enough.
    _unrecorded_attributes = frozenset({"incidents", "upcoming"})

    @property
    @override
    def native_value(self) -> StateType | datetime:
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        return self.entity_description.attributes_fn(self.coordinator.data)


class CloudStatusComponentSensor(CloudStatusComponentEntity, SensorEntity):
    """The normalized status of one component."""

    entity_description: CloudStatusComponentSensorEntityDescription
    # They do not change with the state; recording them on every change wastes space.
    _unrecorded_attributes = frozenset({"group", "description", "component_id"})

    def __init__(
        self,
        coordinator: CloudStatusCoordinator,
        description: CloudStatusComponentSensorEntityDescription,
        component: Component,
    ) -> None:
        """Follow one component."""
        super().__init__(coordinator, description, component)

    @property
    @override
    def native_value(self) -> StateType:
        component = self.component
        return (
            None if component is None else self.entity_description.value_fn(component)
        )

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        component = self.component
        if component is None:
            return None
        return self.entity_description.attributes_fn(component)
