"""One coordinator per config entry: poll the provider, map errors, derive events."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from http import HTTPStatus
import time
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_SECRET,
    CONF_SCAN_INTERVAL,
    CONF_URL,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
    ComponentStatus,
    InvalidUrlError,
    Maintenance,
    StatuspageClient,
    StatusSnapshot,
    base_url_string,
)
from .api.adobe_ims import JwtCredentialsRejectedError
from .api.adobe_status import AdobeStatusClient
from .api.cloudsigma import CloudSigmaClient
from .api.statuspage_manage import StatuspageManageClient
from .changes import COMPLETED, MAINTENANCE_COMPLETED, StatusChange, diff_snapshots
from .const import (
    CONF_AUTH_METHOD,
    CONF_COMPONENTS,
    CONF_PAGE_ID,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    DEFAULT_SCAN_INTERVALS,
    DOMAIN,
    LOGGER,
    MANUFACTURERS,
    NOT_FOUND_REPAIR_AFTER,
    Provider,
)
from .credentials import build_token_provider, statuspage_request_spacer
from .job_tracker import PhotoshopJobCoordinator
from .memory import EntryMemory

COMPONENT_ENTITY_KEYS = ("component_status", "component_problem")
SECRET_KEYS = (CONF_API_KEY, CONF_CLIENT_SECRET)
JWT_MIGRATION_URL = "https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/migration/"

# A status provider's entry holds its status coordinator; a photoshop entry its jobs.
type CloudStatusConfigEntry = ConfigEntry[
    CloudStatusCoordinator | PhotoshopJobCoordinator
]


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


@dataclass(slots=True)
class EntryHealth:
    """What must outlive one coordinator: set-up retries and reloads build new ones."""

    not_found_since: datetime | None = None
    retry_not_before: datetime | None = None


DATA_HEALTH: HassKey[dict[str, EntryHealth]] = HassKey(f"{DOMAIN}_entry_health")


def entry_health(hass: HomeAssistant, entry_id: str) -> EntryHealth:
    """Return the entry's health record, created on first use."""
    return hass.data.setdefault(DATA_HEALTH, {}).setdefault(entry_id, EntryHealth())


def issue_ids(entry_id: str) -> tuple[str, str]:
    """Return the ids of the repair issues an entry may raise."""
    return f"page_not_found_{entry_id}", f"jwt_credentials_retired_{entry_id}"


def forget_entry(hass: HomeAssistant, entry_id: str) -> None:
    """Drop what a deleted entry leaves behind: its health record and repair issues."""
    hass.data.get(DATA_HEALTH, {}).pop(entry_id, None)
    for issue_id in issue_ids(entry_id):
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def _not_sooner(retry_after: float | None, minimum: float) -> float | None:
    """Return the delay a Retry-After asks for, but never less than `minimum`."""
    return None if retry_after is None else max(retry_after, minimum)


class CloudStatusCoordinator(DataUpdateCoordinator[CloudStatusData]):
    """Base for every status provider: error mapping, change detection, registry pruning."""

    config_entry: CloudStatusConfigEntry
    provider: Provider
    # Whether a 403 says the entry's own secret was refused (Statuspage, CloudSigma).
    forbidden_means_bad_secret = True

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Set up polling at the entry's interval."""
        interval = entry.options.get(
            CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVALS[self.provider]
        )
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
        self._logged_unknown_statuses: set[str] = set()
        self._pruned_for: frozenset[str] | None = None
        self._health = entry_health(hass, entry.entry_id)

    @property
    def supports_reauth(self) -> bool:
        """Whether a refused secret can be renewed by the user.

        Entries without one (public pages, CloudSigma without a key) have nothing the
        user could re-enter: for them a refusal is a plain failure.
        """
        return any(self.config_entry.data.get(key) for key in SECRET_KEYS)

    @property
    def absent_component_ids(self) -> frozenset[str]:
        """Components missing from the provider whose entities are kept for now."""
        return self.memory.missing_component_ids

    @property
    def manufacturer(self) -> str:
        """Who runs the provider, shown on the device."""
        return MANUFACTURERS[self.provider]

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
                self._track_not_found()
            raise self._failure(err) from err
        if snapshot is None:
            if self.data is None:
                raise self._empty_first_answer(started)
            self._record_poll(started, "unchanged")
            self._clear_not_found()
            return self._unchanged_data()
        self._record_poll(started, "updated")
        self._clear_not_found()
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
        self._prune_components(self.data.snapshot.components, now)
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
        self._log_unknown_statuses(snapshot)
        self._prune_components(snapshot.components, now)
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
        return self._translate_error(
            err, min_retry_after=(self.update_interval or timedelta()).total_seconds()
        )

    @property
    def _not_found_issue_id(self) -> str:
        return issue_ids(self.config_entry.entry_id)[0]

    def _clear_not_found(self) -> None:
        """End a 404 streak after a success: only a success removes its repair issue."""
        if self._health.not_found_since is not None:
            self._health.not_found_since = None
            ir.async_delete_issue(self.hass, DOMAIN, self._not_found_issue_id)

    def _track_not_found(self) -> None:
        """Raise a repair issue after NOT_FOUND_REPAIR_AFTER of 404s with no success.

        Other failures in between neither end the streak nor restart its clock.
        """
        health = self._health
        now = dt_util.utcnow()
        if health.not_found_since is None:
            health.not_found_since = now
        elif now - health.not_found_since >= NOT_FOUND_REPAIR_AFTER:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._not_found_issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="page_not_found",
                translation_placeholders={"title": self.config_entry.title},
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

    def _translate_error(
        self, err: CloudStatusError, *, min_retry_after: float = 0.0
    ) -> Exception:
        """Map a client error to what Home Assistant expects from a coordinator."""
        if (
            isinstance(err, CloudStatusAuthError)
            and self.supports_reauth
            and (self.forbidden_means_bad_secret or err.status != HTTPStatus.FORBIDDEN)
        ):
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            )
        retry_after: float | None = None
        placeholders: dict[str, str] = {}
        match err:
            case CloudStatusRateLimitError():
                key = "rate_limited"
                retry_after = _not_sooner(err.retry_after, min_retry_after)
                placeholders["retry_after"] = (
                    "?" if retry_after is None else f"{retry_after:g}"
                )
            case CloudStatusAuthError():
                key = "access_denied"
            case CloudStatusNotFoundError():
                key = "not_found"
            case CloudStatusTimeoutError():
                key = "timeout"
            case CloudStatusServerError():
                key = "server_error"
                placeholders["status"] = str(err.status)
            case CloudStatusConnectionError():
                key = "cannot_connect"
                placeholders["error"] = str(err)
            case CloudStatusResponseTooLargeError():
                key = "response_too_large"
            case CloudStatusParseError():
                key = "invalid_response"
                placeholders["error"] = str(err)
            case _:
                key = "update_failed"
                placeholders["error"] = type(err).__name__
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
            retry_after=retry_after,
        )

    def _log_unknown_statuses(self, snapshot: StatusSnapshot) -> None:
        if (
            snapshot.reported_status is ComponentStatus.UNKNOWN
            and (raw := f"overall:{snapshot.indicator}")
            not in self._logged_unknown_statuses
        ):
            self._logged_unknown_statuses.add(raw)
            LOGGER.warning(
                "%s: the provider reports the unknown overall status %r; only its "
                "components decide the overall status",
                self.config_entry.title,
                snapshot.indicator,
            )
        for component in snapshot.components.values():
            if component.status is not ComponentStatus.UNKNOWN:
                continue
            raw = component.raw_status or "<missing>"
            if raw in self._logged_unknown_statuses:
                continue
            self._logged_unknown_statuses.add(raw)
            LOGGER.warning(
                "%s: component %s reports the unknown status %r; its state is unknown",
                self.config_entry.title,
                component.display_name,
                raw,
            )

    def _prune_components(self, present: Collection[str], now: datetime) -> None:
        """Drop the entities of deselected components at once, of vanished ones late.

        A component missing from a successful poll starts its absence clock; its
        entities leave the registry after 24 hours of absence from every successful
        poll, so a provider that drops components for a while costs the user none of
        their entity settings. The registry is read only when the set of components
        changed.
        """
        present_ids = frozenset(present)
        registry = er.async_get(self.hass)
        if present_ids != self._pruned_for:
            self._pruned_for = present_ids
            selected = self.selected_component_ids
            in_registry: dict[str, list[str]] = {}
            for entity_id, component_id in self._component_registry_entries(registry):
                if selected is not None and component_id not in selected:
                    LOGGER.debug("Removing %s: component deselected", entity_id)
                    registry.async_remove(entity_id)
                else:
                    in_registry.setdefault(component_id, []).append(entity_id)
            self.memory.forget_missing(
                (self.memory.missing_component_ids - in_registry.keys())
                | (in_registry.keys() & present_ids)
            )
            self.memory.note_missing(in_registry.keys() - present_ids, now)
        if expired := self.memory.absent_too_long(now):
            gone = set(expired)
            for entity_id, component_id in self._component_registry_entries(registry):
                if component_id in gone:
                    LOGGER.debug("Removing %s: component gone for a day", entity_id)
                    registry.async_remove(entity_id)
            self.memory.forget_missing(gone)

    def _component_registry_entries(
        self, registry: er.EntityRegistry
    ) -> list[tuple[str, str]]:
        """(entity id, component id) of every per-component entity of the entry."""
        prefix = f"{self.config_entry.unique_id}_"
        suffixes = tuple(f"_{key}" for key in COMPONENT_ENTITY_KEYS)
        found: list[tuple[str, str]] = []
        for entry in er.async_entries_for_config_entry(
            registry, self.config_entry.entry_id
        ):
            unique_id = entry.unique_id
            if unique_id.startswith(prefix) and unique_id.endswith(suffixes):
                component_id = unique_id.removeprefix(prefix).rsplit("_component_", 1)
                found.append((entry.entity_id, component_id[0]))
        return found


class StatuspageCoordinator(CloudStatusCoordinator):
    """A public Atlassian Statuspage, read through summary.json."""

    provider = Provider.STATUSPAGE

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client on Home Assistant's shared session."""
        super().__init__(hass, entry)
        self.client = StatuspageClient(
            async_get_clientsession(hass), entry.data[CONF_URL]
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return super().configuration_url or base_url_string(self.client.base_url)

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_summary()


class StatuspageManageCoordinator(CloudStatusCoordinator):
    """A page its owner reads through the Statuspage management API (also private pages)."""

    provider = Provider.STATUSPAGE_MANAGE

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client; its requests share the key's one-per-second budget."""
        super().__init__(hass, entry)
        api_key: str = entry.data[CONF_API_KEY]
        self.client = StatuspageManageClient(
            async_get_clientsession(hass),
            api_key,
            spacer=statuspage_request_spacer(hass, api_key),
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return super().configuration_url or "https://manage.statuspage.io"

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {"requests_per_poll": self.client.requests_per_poll}

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_snapshot(
            self.config_entry.data[CONF_PAGE_ID]
        )


class CloudSigmaCoordinator(CloudStatusCoordinator):
    """A CloudSigma status page: /status and every page of /components."""

    provider = Provider.CLOUDSIGMA

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client, with the API key when the entry has one."""
        super().__init__(hass, entry)
        self.client = CloudSigmaClient(
            async_get_clientsession(hass),
            entry.data[CONF_URL],
            entry.data.get(CONF_API_KEY) or None,
        )

    @property
    @override
    def configuration_url(self) -> str | None:
        return base_url_string(self.client.base_url)

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {"details_available": self.client.details_available}

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        return await self.client.async_get_snapshot()


class AdobeStatusCoordinator(CloudStatusCoordinator):
    """Adobe Status: the selected products' open events, read with an IMS token."""

    provider = Provider.ADOBE_STATUS
    # Adobe's gateway answers 403 for its own public api_key (403003) or a missing
    # entitlement: the user's client secret is not the problem.
    forbidden_means_bad_secret = False

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client on the token provider shared by equal credentials."""
        super().__init__(hass, entry)
        self.token_provider = build_token_provider(hass, dict(entry.data))
        self.client = AdobeStatusClient(
            async_get_clientsession(hass),
            self.token_provider,
            locale=hass.config.language,
        )

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {
            "auth_method": self.config_entry.data.get(CONF_AUTH_METHOD),
            "token_expires_in": self.token_provider.expires_in,
        }

    @property
    def _jwt_issue_id(self) -> str:
        return issue_ids(self.config_entry.entry_id)[1]

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        try:
            snapshot = await self.client.async_get_snapshot(
                self.config_entry.data.get(CONF_PRODUCTS) or ()
            )
        except JwtCredentialsRejectedError:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._jwt_issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                learn_more_url=JWT_MIGRATION_URL,
                translation_key="jwt_credentials_retired",
                translation_placeholders={"title": self.config_entry.title},
            )
            raise
        ir.async_delete_issue(self.hass, DOMAIN, self._jwt_issue_id)
        return snapshot


COORDINATORS: dict[Provider, type[CloudStatusCoordinator]] = {
    Provider.STATUSPAGE: StatuspageCoordinator,
    Provider.STATUSPAGE_MANAGE: StatuspageManageCoordinator,
    Provider.ADOBE_STATUS: AdobeStatusCoordinator,
    Provider.CLOUDSIGMA: CloudSigmaCoordinator,
}


def create_coordinator(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> CloudStatusCoordinator | PhotoshopJobCoordinator:
    """Build the coordinator for the entry's provider.

    An address stored by an older version that today's checks refuse stops the entry
    with a translated error (Reconfigure fixes it) instead of a traceback.
    """
    provider = Provider(entry.data[CONF_PROVIDER])
    if provider is Provider.PHOTOSHOP:
        return PhotoshopJobCoordinator(hass, entry)
    try:
        return COORDINATORS[provider](hass, entry)
    except InvalidUrlError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_stored_url",
            translation_placeholders={"url": str(entry.data.get(CONF_URL))},
        ) from err
