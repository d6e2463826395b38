"""Base entities shared by every platform."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set as AbstractSet
from functools import lru_cache
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Component
from .const import DOMAIN
from .coordinator import CloudStatusCoordinator
from .photoshop.tracker import PhotoshopJobCoordinator


def service_device_info(
    coordinator: CloudStatusCoordinator | PhotoshopJobCoordinator,
) -> DeviceInfo:
    """Describe the entry's single service device."""
    entry = coordinator.config_entry
    return _device_info(
        str(entry.unique_id),
        entry.title,
        coordinator.manufacturer,
        coordinator.configuration_url,
    )


# One DeviceInfo for all the entities of an entry (over a thousand on a large page)
# instead of one each: Home Assistant only reads it.
@lru_cache(maxsize=32)
def _device_info(
    unique_id: str, title: str, manufacturer: str, configuration_url: str | None
) -> DeviceInfo:
    return DeviceInfo(
        entry_type=DeviceEntryType.SERVICE,
        identifiers={(DOMAIN, unique_id)},
        name=title,
        manufacturer=manufacturer,
        configuration_url=configuration_url,
    )


async def async_move_unique_ids(
    hass: HomeAssistant, entry: ConfigEntry, new_unique_id: str
) -> None:
    """Carry an entry's device and entities over to its new unique id.

    Both are named after the entry's unique id; an entry whose unique id follows a
    choice (the products or regions picked) keeps its entities, their settings and
    their history only if their ids move with it.
    """
    old = str(entry.unique_id)

    @callback
    def moved(entity: er.RegistryEntry) -> dict[str, str] | None:
        if not entity.unique_id.startswith(f"{old}_"):
            return None
        return {"new_unique_id": f"{new_unique_id}{entity.unique_id[len(old) :]}"}

    await er.async_migrate_entries(hass, entry.entry_id, moved)
    devices = dr.async_get(hass)
    if (device := devices.async_get_device(identifiers={(DOMAIN, old)})) is not None:
        devices.async_update_device(
            device.id, new_identifiers={(DOMAIN, new_unique_id)}
        )


class CloudStatusEntity(CoordinatorEntity[CloudStatusCoordinator]):
    """An entity of a Cloud Status device, written only when what it shows changes.

    Write suppression has one mechanism: the entity keeps a fingerprint of what it last
    wrote (availability and `_fingerprint()`) and writes when an update changes it.
    Trade-off: every listener call computes and compares one fingerprint, and every
    entity holds one; in exchange no state is built for the hundreds of entities a poll
    leaves alone, and a component entity's fingerprint is its Component or a few of its
    fields, which an unchanged component keeps as they were (see parse_summary), so
    equality ends at identity. Polls that change nothing reach no entity: the
    coordinator keeps its data object and has always_update=False.
    """

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
        # Identity first: `==` of a dataclass runs its __eq__ even on the same object.
        if fingerprint is self._written_fingerprint:
            return
        changed = fingerprint != self._written_fingerprint
        # An equal one is kept too: the old objects can go, and the next poll ends at
        # identity.
        self._written_fingerprint = fingerprint
        if changed:
            self._write_changed_state()

    def _write_changed_state(self) -> None:
        """Write the state, which the latest update changed."""
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

    @property
    def component(self) -> Component | None:
        """The component in the latest snapshot, if it is still there."""
        return self.coordinator.data.snapshot.components.get(self.component_id)

    @property
    @override
    def available(self) -> bool:
        return super().available and self.component is not None

    def _component_fingerprint(self, component: Component) -> object:
        """Return what this entity shows of its (present) component, name included.

        The name must be part of it: a renamed component renames its entities when
        their fingerprint changes. By default the whole component.
        """
        return component

    @override
    def _current_fingerprint(self) -> object:
        # Hundreds of these run on every poll: `available` and `component` inlined.
        coordinator = self.coordinator
        if not coordinator.last_update_success:
            return None
        component = coordinator.data.snapshot.components.get(self.component_id)
        return None if component is None else self._component_fingerprint(component)

    @override
    def _write_changed_state(self) -> None:
        component = self.component
        if component is not None and component.display_name != self._display_name:
            self._follow_rename(component.display_name)
        super()._write_changed_state()

    def _follow_rename(self, display_name: str) -> None:
        """Name the entity after the component's new name, without a reload."""
        self._display_name = display_name
        self._attr_translation_placeholders = {"component": display_name}
        # Home Assistant caches the name it built from the old placeholders.
        self.__dict__.pop("name", None)
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
    # The components that have entities (present, or absent and kept). When they are
    # exactly the present ones, as after most polls, the snapshot's keys stand for them:
    # no copy of hundreds of ids per platform.
    known: AbstractSet[str] = frozenset()

    @callback
    def add_new_components() -> None:
        nonlocal known
        components = coordinator.data.snapshot.components
        new_ids = components.keys() - known
        if not new_ids and len(known) == len(components):
            known = components.keys()
            return
        known = (
            known & (components.keys() | coordinator.absent_component_ids)
        ) | new_ids
        if not new_ids:
            return
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
