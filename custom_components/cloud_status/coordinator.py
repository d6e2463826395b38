"""The status coordinator every status provider builds on: fetch, map errors, diff.

A provider module subclasses it with its client and `_async_fetch_snapshot`. What must
outlive one coordinator lives elsewhere: the entry's health (`health.py`), its memory
of completed maintenances and absent components (`memory.py`), and the pruning of
component entities (`pruning.py`).
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from http import HTTPStatus
import time
from typing import Any, ClassVar, override

from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    CloudStatusAuthError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
    Maintenance,
    StatusSnapshot,
)
from .changes import COMPLETED, MAINTENANCE_COMPLETED, StatusChange, diff_snapshots
from .const import CONF_COMPONENTS, DOMAIN, LOGGER
from .failures import UnknownStatusLog, translate_error
from .health import entry_health, record_not_found, record_success
from .memory import EntryMemory
from .pruning import ComponentPruner
from .runtime import CloudStatusConfigEntry


@dataclass(frozen=True, slots=True)
class CloudStatusData:
    """What entities read: the latest snapshot and what changed since the one before."""

    snapshot: StatusSnapshot
    changes: tuple[StatusChange, ...] = ()
    completed_maintenances: tuple[Maintenance, ...] = ()


@dataclass(slots=True)
class PollRecord:
    """Timing and outcome of the latest poll, for diagnostics."""

    finished_at: datetime
    duration: float
    outcome: str
    error: str | None = None


class CloudStatusCoordinator(DataUpdateCoordinator[CloudStatusData]):
    """Poll one status provider; what entities read is the snapshot and its changes."""

    config_entry: CloudStatusConfigEntry
    provider: ClassVar[str]
    manufacturer: ClassVar[str]
    default_scan_interval: ClassVar[int]
    # The entry data that holds a secret the user could re-enter.
    secret_keys: ClassVar[tuple[str, ...]] = ()
    # Whether a 403 says the entry's own secret was refused (Statuspage, CloudSigma).
    forbidden_means_bad_secret: ClassVar[bool] = True

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Set up polling at the entry's interval."""
        interval = entry.options.get(CONF_SCAN_INTERVAL, self.default_scan_interval)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=timedelta(seconds=interval),
            always_update=False,
        )
        self.last_poll: PollRecord | None = None
        self.memory = EntryMemory(hass, entry.entry_id)
        self._pruner = ComponentPruner(hass, entry, self.memory)
        self._unknown_statuses = UnknownStatusLog(entry.title)
        self._health = entry_health(hass, entry.entry_id)

    @property
    def supports_reauth(self) -> bool:
        """Whether a refused secret can be renewed by the user.

        Entries without one (public pages, CloudSigma without a key) have nothing the
        user could re-enter: for them a refusal is a plain failure.
        """
        return any(self.config_entry.data.get(key) for key in self.secret_keys)

    @property
    def absent_component_ids(self) -> frozenset[str]:
        """Components missing from the provider whose entities are kept for now."""
        return self.memory.missing_component_ids

    @property
    def selected_component_ids(self) -> frozenset[str] | None:
        """The components that get entities; None means all of them."""
        selected = self.config_entry.options.get(CONF_COMPONENTS) or ()
        return frozenset(selected) or None

    @property
    def configuration_url(self) -> str | None:
        """The human status page."""
        if self.data is not None and self.data.snapshot.page.url:
            return self.data.snapshot.page.url
        return None

    def client_diagnostics(self) -> dict[str, Any]:
        """Return what the provider's client can tell support (never a secret)."""
        return {}

    def diagnostics(self) -> dict[str, Any]:
        """Return the poll's settings, outcome, snapshot and recent changes."""
        data = self.data
        return {
            "provider": self.provider,
            "update_interval_seconds": (
                self.update_interval.total_seconds() if self.update_interval else None
            ),
            "last_update_success": self.last_update_success,
            "last_poll": asdict(self.last_poll) if self.last_poll else None,
            "client": self.client_diagnostics(),
            "snapshot": asdict(data.snapshot),
            "recent_changes": [asdict(change) for change in data.changes],
            "completed_maintenances": [
                asdict(maintenance) for maintenance in data.completed_maintenances
            ],
        }

    @abstractmethod
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        """Poll the provider; None means nothing changed since the last poll."""

    @override
    async def _async_setup(self) -> None:
        await self.memory.async_load()

    @override
    async def async_shutdown(self) -> None:
        await super().async_shutdown()
        await self.memory.async_flush()

    @override
    async def _async_update_data(self) -> CloudStatusData:
        started = time.monotonic()
        self._respect_retry_after(started)
        try:
            snapshot = await self._async_fetch_snapshot()
        except CloudStatusError as err:
            self._record_poll(started, type(err).__name__, str(err))
            if isinstance(err, CloudStatusNotFoundError):
                record_not_found(
                    self.hass, self.config_entry.entry_id, self.config_entry.title
                )
            raise self._failure(err) from err
        if snapshot is None:
            if self.data is None:
                raise self._empty_first_answer(started)
            self._record_poll(started, "unchanged")
            record_success(self.hass, self.config_entry.entry_id)
            return self._unchanged_data()
        self._record_poll(started, "updated")
        record_success(self.hass, self.config_entry.entry_id)
        return self._build_data(snapshot)

    def _empty_first_answer(self, started: float) -> UpdateFailed:
        """Fail a first poll that answered "unchanged": it can only be a broken answer."""
        self._record_poll(started, "invalid_response", "empty first answer")
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="invalid_response",
            translation_placeholders={"error": "empty first answer"},
        )

    def _unchanged_data(self) -> CloudStatusData:
        """Keep the data object (no listener runs) unless a completed window aged out."""
        now = dt_util.utcnow()
        self._pruner.prune(
            self.data.snapshot.components, self.selected_component_ids, now
        )
        completed = self.memory.recent_completed(now)
        if completed == self.data.completed_maintenances:
            return self.data
        return replace(self.data, changes=(), completed_maintenances=completed)

    def _build_data(self, snapshot: StatusSnapshot) -> CloudStatusData:
        now = dt_util.utcnow()
        changes: tuple[StatusChange, ...] = ()
        if self.data is not None:
            changes = diff_snapshots(self.data.snapshot, snapshot, now)
            latest = {m.id: m for m in self.data.snapshot.maintenances} | {
                m.id: m for m in snapshot.maintenances
            }
            for change in changes:
                if (
                    change.event_type == MAINTENANCE_COMPLETED
                    and change.data["status"] == COMPLETED
                ):
                    self.memory.add_completed(latest[change.data["id"]], now)
        self._unknown_statuses.note(snapshot)
        self._pruner.prune(snapshot.components, self.selected_component_ids, now)
        return CloudStatusData(
            snapshot=snapshot,
            changes=changes,
            completed_maintenances=self.memory.recent_completed(now),
        )

    def _respect_retry_after(self, started: float) -> None:
        """Send nothing until a provider's Retry-After has passed.

        Home Assistant's set-up retries come after 5, 10, 20 … seconds whatever the
        provider asked, and build a new coordinator each time: the entry's health record
        remembers the deadline across them.
        """
        not_before = self._health.retry_not_before
        if not_before is None:
            return
        wait = (not_before - dt_util.utcnow()).total_seconds()
        if wait <= 0:
            self._health.retry_not_before = None
            return
        self._record_poll(
            started, "deferred", f"waiting {wait:.0f} s more for the Retry-After"
        )
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"retry_after": f"{wait:.0f}"},
            retry_after=wait,
        )

    def _failure(self, err: CloudStatusError) -> Exception:
        """Translate a client error; a Retry-After never makes polling faster."""
        if isinstance(err, CloudStatusRateLimitError) and err.retry_after is not None:
            self._health.retry_not_before = dt_util.utcnow() + timedelta(
                seconds=err.retry_after
            )
        refused_secret = (
            isinstance(err, CloudStatusAuthError)
            and self.supports_reauth
            and (self.forbidden_means_bad_secret or err.status != HTTPStatus.FORBIDDEN)
        )
        return translate_error(
            err,
            reauth=refused_secret,
            min_retry_after=(self.update_interval or timedelta()).total_seconds(),
        )

    def _record_poll(
        self, started: float, outcome: str, error: str | None = None
    ) -> None:
        self.last_poll = PollRecord(
            finished_at=dt_util.utcnow(),
            duration=round(time.monotonic() - started, 4),
            outcome=outcome,
            error=error,
        )
