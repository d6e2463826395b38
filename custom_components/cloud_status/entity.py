"""Base entities shared by every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import override

from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Component
from .const import DOMAIN
from .coordinator import CloudStatusCoordinator
from .job_tracker import PhotoshopJobCoordinator


def service_device_info(
    coordinator: CloudStatusCoordinator | PhotoshopJobCoordinator,
) -> DeviceInfo:
    """Describe the entry's single service device."""
    entry = coordinator.config_entry
    return DeviceInfo(
        entry_type=DeviceEntryType.SERVICE,
        identifiers={(DOMAIN, str(entry.unique_id))},
        name=entry.title,
        manufacturer=coordinator.manufacturer,
        configuration_url=coordinator.configuration_url,
    )


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
        self._attr_device_info = service_device_info(coordinator)
        self._written_fingerprint: object = None

    def _fingerprint(self) -> object:
        """Everything this entity shows; a poll that leaves it equal writes nothing."""
        return (self.state, self.extra_state_attributes)

    def _current_fingerprint(self) -> object:
        available = self.available
        return (available, self._fingerprint() if available else None)

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
        self._display_name = component.display_name
        self._attr_translation_placeholders = {"component": self._display_name}
        self._seen: tuple[bool, Component | None] = (False, None)

    @property
    def component(self) -> Component | None:
        """The component in the latest snapshot, if it is still there."""
        return self.coordinator.data.snapshot.components.get(self.component_id)

    @property
    @override
    def available(self) -> bool:
        return super().available and self.component is not None

    @override
    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        self._seen = (self.coordinator.last_update_success, self.component)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        # Hundreds of these run on every poll; an unchanged component keeps its object
        # (see parse_summary), so identity settles most of them without more work.
        seen = (self.coordinator.last_update_success, self.component)
        if seen[0] is self._seen[0] and seen[1] is self._seen[1]:
            return
        self._seen = seen
        if seen[1] is not None and seen[1].display_name != self._display_name:
            self._follow_rename(seen[1].display_name)
        super()._handle_coordinator_update()

    def _follow_rename(self, display_name: str) -> None:
        """Name the entity after the component's new name, without a reload."""
        self._display_name = display_name
        self._attr_translation_placeholders = {"component": display_name}
        # Home Assistant caches the name it built from the old placeholders.
        self.__dict__.pop("name", None)
        self._written_fingerprint = None
        er.async_get(self.hass).async_update_entity(
            self.entity_id, original_name=self.name
        )


def add_component_entities(
    coordinator: CloudStatusCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    build: Callable[[CloudStatusCoordinator, Component], Iterable[Entity]],
) -> None:
    """Add entities for the selected components now, and for new ones after each poll.

    A component that vanished keeps its entities (unavailable) while its absence clock
    runs; only one whose entities left the registry gets new ones when it comes back.
    """
    known: set[str] = set()

    @callback
    def add_new_components() -> None:
        components = coordinator.data.snapshot.components
        new_ids = components.keys() - known
        known.intersection_update(components.keys() | coordinator.absent_component_ids)
        if not new_ids:
            return
        known.update(new_ids)
        selected = coordinator.selected_component_ids
        async_add_entities(
            entity
            for component_id, component in components.items()
            if component_id in new_ids
            and (selected is None or component_id in selected)
            for entity in build(coordinator, component)
        )

    add_new_components()
    coordinator.config_entry.async_on_unload(
        coordinator.async_add_listener(add_new_components)
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
