"""Binary sensors: problem, incident and maintenance flags, and one problem flag per component."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Component, ComponentStatus
from .attributes import listed_maintenances
from .coordinator import CloudStatusCoordinator, CloudStatusData
from .entity import (
    CloudStatusComponentEntity,
    CloudStatusEntity,
    add_component_entities,
)
from .runtime import (
    CloudStatusConfigEntry,
    EntityBuilder,
    EntryKind,
    StatusRuntimeData,
    add_entities_by_kind,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CloudStatusBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A page-level binary sensor."""

    is_on_fn: Callable[[CloudStatusData], bool]
    attributes_fn: Callable[[CloudStatusData], Mapping[str, Any]] | None = None


@dataclass(frozen=True, kw_only=True)
class CloudStatusComponentBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A binary sensor of one component."""

    is_on_fn: Callable[[Component], bool | None]


BINARY_SENSORS: tuple[CloudStatusBinarySensorEntityDescription, ...] = (
    CloudStatusBinarySensorEntityDescription(
        key="problem",
        translation_key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: data.snapshot.has_problem,
    ),
    CloudStatusBinarySensorEntityDescription(
        key="incident_active",
        translation_key="incident_active",
        is_on_fn=lambda data: data.snapshot.open_incident_count > 0,
    ),
    CloudStatusBinarySensorEntityDescription(
        key="maintenance_active",
        translation_key="maintenance_active",
        is_on_fn=lambda data: data.snapshot.maintenance_in_progress,
        attributes_fn=lambda data: {
            "maintenances": listed_maintenances(data.snapshot.active_maintenances)
        },
    ),
)

COMPONENT_BINARY_SENSOR = CloudStatusComponentBinarySensorEntityDescription(
    key="component_problem",
    translation_key="component_problem",
    device_class=BinarySensorDeviceClass.PROBLEM,
    # component_status already shows the state; users enable the ones they automate.
    entity_registry_enabled_default=False,
    is_on_fn=lambda component: (
        None
        if component.status is ComponentStatus.UNKNOWN
        else component.status.is_problem
    ),
)


def _add_status_binary_sensors(
    runtime: StatusRuntimeData, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    coordinator = runtime.coordinator
    async_add_entities(
        CloudStatusBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
    )
    add_component_entities(
        coordinator,
        async_add_entities,
        lambda coordinator, component: [
            CloudStatusComponentBinarySensor(
                coordinator, COMPONENT_BINARY_SENSOR, component
            )
        ],
    )


# Photoshop API entries have no binary sensors.
ENTITY_BUILDERS: dict[EntryKind, EntityBuilder] = {
    EntryKind.STATUS: _add_status_binary_sensors,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the page-level binary sensors and one problem sensor per selected component."""
    add_entities_by_kind(entry, async_add_entities, ENTITY_BUILDERS)


class CloudStatusBinarySensor(CloudStatusEntity, BinarySensorEntity):
    """A flag about the whole page."""

    entity_description: CloudStatusBinarySensorEntityDescription
    _unrecorded_attributes = frozenset({"maintenances"})

    @property
    @override
    def is_on(self) -> bool:
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)


class CloudStatusComponentBinarySensor(CloudStatusComponentEntity, BinarySensorEntity):
    """On while one component is degraded or worse."""

    entity_description: CloudStatusComponentBinarySensorEntityDescription

    def __init__(
        self,
        coordinator: CloudStatusCoordinator,
        description: CloudStatusComponentBinarySensorEntityDescription,
        component: Component,
    ) -> None:
        """Follow one component."""
        super().__init__(coordinator, description, component)

    @override
    def _component_fingerprint(self, component: Component) -> object:
        return (component.status, component.name, component.group_name)

    @property
    @override
    def is_on(self) -> bool | None:
        component = self.component
        return (
            None if component is None else self.entity_description.is_on_fn(component)
        )
