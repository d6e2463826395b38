"""What a loaded entry holds: one runtime-data class per kind of entry.

A status entry (every provider that reads a status page) holds its status coordinator;
a Photoshop API entry holds its job tracker. Platforms pick their entity builders by
`kind`, so no code has to ask which coordinator an entry has.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Component

if TYPE_CHECKING:
    from .coordinator import CloudStatusCoordinator


class EntryKind(StrEnum):
    """What an entry watches."""

    STATUS = "status"
    PHOTOSHOP = "photoshop"


type UnloadPlatforms = Callable[[], Awaitable[bool]]


class RuntimeData(ABC):
    """The entry's live objects and how they start, stop and describe themselves."""

    kind: ClassVar[EntryKind]

    @abstractmethod
    async def async_first_refresh(self) -> None:
        """Fetch once before the platforms are set up (raises ConfigEntry errors)."""

    def async_start(self) -> None:  # noqa: B027 (most entries start nothing)
        """Start background work once the platforms are set up."""

    async def async_unload(self, unload_platforms: UnloadPlatforms) -> bool:
        """Unload the platforms (and stop what runs besides the coordinator)."""
        return await unload_platforms()

    @abstractmethod
    def diagnostics(self) -> dict[str, Any]:
        """Return what support needs (never a secret)."""

    def known_components(self) -> Mapping[str, Component]:
        """Return the components of the latest poll (none without a status page)."""
        return {}


type CloudStatusConfigEntry = ConfigEntry[RuntimeData]
# A platform's entity builder for one kind of entry: it adds that kind's entities.
type EntityBuilder = Callable[[Any, AddConfigEntryEntitiesCallback], None]


def add_entities_by_kind(
    entry: CloudStatusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    builders: Mapping[EntryKind, EntityBuilder],
) -> None:
    """Run the platform's builder for the entry's kind (a kind without one: none)."""
    if (build := builders.get(entry.runtime_data.kind)) is not None:
        build(entry.runtime_data, async_add_entities)


@dataclass(slots=True)
class StatusRuntimeData(RuntimeData):
    """A status entry: its coordinator polls the provider."""

    coordinator: CloudStatusCoordinator
    kind: ClassVar[EntryKind] = EntryKind.STATUS

    @override
    async def async_first_refresh(self) -> None:
        await self.coordinator.async_config_entry_first_refresh()

    @override
    def diagnostics(self) -> dict[str, Any]:
        return self.coordinator.diagnostics()

    @override
    def known_components(self) -> Mapping[str, Component]:
        return self.coordinator.data.snapshot.components
