"""What a loaded Photoshop API entry holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, override

from homeassistant.config_entries import ConfigEntry

from ..runtime import EntryKind, RuntimeData, UnloadPlatforms
from .tracker import PhotoshopJobCoordinator


@dataclass(slots=True)
class PhotoshopRuntimeData(RuntimeData):
    """A Photoshop API entry: its tracker watches the jobs handed to it."""

    coordinator: PhotoshopJobCoordinator
    kind: ClassVar[EntryKind] = EntryKind.PHOTOSHOP

    @override
    async def async_first_refresh(self) -> None:
        await self.coordinator.async_config_entry_first_refresh()

    @override
    def async_start(self) -> None:
        self.coordinator.async_start()

    @override
    async def async_unload(self, unload_platforms: UnloadPlatforms) -> bool:
        """Pause while the platforms go, so no job ends unseen; stop once they are gone.

        When they could not be unloaded, polling goes on.
        """
        await self.coordinator.async_pause()
        if not await unload_platforms():
            self.coordinator.async_resume()
            return False
        await self.coordinator.async_stop()
        return True

    @override
    def diagnostics(self) -> dict[str, Any]:
        return {"provider": self.coordinator.provider, **self.coordinator.diagnostics()}


type PhotoshopConfigEntry = ConfigEntry[PhotoshopRuntimeData]
