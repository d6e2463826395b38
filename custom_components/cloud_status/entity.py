"""Base entities shared by every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import override

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Component
from .const import DOMAIN
from .coordinator import CloudStatusConfigEntry, CloudStatusCoordinator


class CloudStatusEntity(CoordinatorEntity[CloudStatusCoordinator]):
    """An entity of a Cloud Status device, written only when what it shows changes."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CloudStatusCoordinator,
        description: EntityDescription,
        unique_suffix: str | None = None,
    ) -> None:
        """Attach the entity to the entry's single service device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        self._attr_unique_id = f"{entry.unique_id}_{unique_suffix or description.key}"
        self._attr_device_info = DeviceInfo(
            entry_type=DeviceEntryType.SERVICE,
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=entry.title,
            manufacturer=coordinator.manufacturer,
            configuration_url=coordinator.configuration_url,
        )
        self._written_fingerprint: object = None

    def _fingerprint(self) -> object:
        """Everything this entity shows; a poll that leaves it equal writes nothing."""
        return (self.state, self.extra_state_attributes)

    def _current_fingerprint(self) -> object:
        return (self.available, self._fingerprint() if self.available else None)

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self._written_fingerprint = self._current_fingerprint()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        fingerprint = self._current_fingerprint()
        if fingerprint == self._written_fingerprint:
            return
        self._written_fingerprint = fingerprint
        self.async_write_ha_state()


class CloudStatusComponentEntity(CloudStatusEntity):
    """An entity that follows one component."""

    def __init__(
        self,
        coordinator: CloudStatusCoordinator,
        description: EntityDescription,
        component: Component,
    ) -> None:
        """Name the entity after the component's display name."""
        super().__init__(coordinator, description, f"{component.id}_{description.key}")
        self.component_id = component.id
        self._attr_translation_placeholders = {"component": component.display_name}

    @property
    def component(self) -> Component | None:
        """The component in the latest snapshot, if it is still there."""
        return self.coordinator.data.snapshot.components.get(self.component_id)

    @property
    @override
    def available(self) -> bool:
        return super().available and self.component is not None


def add_component_entities(
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[CloudStatusCoordinator, Component], Iterable[Entity]],
) -> None:
    """Add entities for the selected components now, and for new ones after each poll."""
    coordinator = entry.runtime_data
    known: set[str] = set()

    @callback
    def add_new_components() -> None:
        components = coordinator.data.snapshot.components
        known.intersection_update(components)
        new = [
            component
            for component_id, component in components.items()
            if component_id not in known and coordinator.wants_component(component_id)
        ]
        if not new:
            return
        known.update(component.id for component in new)
        async_add_entities(
            entity for component in new for entity in build(coordinator, component)
        )

    add_new_components()
    entry.async_on_unload(coordinator.async_add_listener(add_new_components))
