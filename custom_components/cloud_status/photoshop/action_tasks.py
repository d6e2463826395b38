"""The requests of running Photoshop job actions, in tasks that unloading cancels."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.async_ import create_eager_task

from ..const import DOMAIN


class ActionTasks:
    """Run each action's requests in a task of its own, which unloading cancels.

    Not tasks Home Assistant waits for: a wait may last an hour.
    """

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Belong to the entry whose title an `entry_unloaded` error names."""
        self._hass = hass
        self._entry = entry
        self._tasks: set[asyncio.Task[Any]] = set()

    async def async_run[T](self, request: Coroutine[Any, Any, T]) -> T:
        """Return what `request` returns; raise `entry_unloaded` if it was cancelled."""
        task = create_eager_task(
            request, name=f"{DOMAIN} Photoshop job action", loop=self._hass.loop
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            return await task
        except asyncio.CancelledError:
            if (current := asyncio.current_task()) is not None and current.cancelling():
                raise  # the action itself was cancelled, not by unloading
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="entry_unloaded",
                translation_placeholders={"title": self._entry.title},
            ) from None

    @callback
    def cancel(self) -> list[asyncio.Task[Any]]:
        """Cancel every running action's task; return them, to wait for."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        return tasks
