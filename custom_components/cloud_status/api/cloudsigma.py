"""Client for the CloudSigma status page API (`{base}/api/v1`).

The public API gives an overall status with counts (`/status`) and the paged component
list (`/components`). Incident and maintenance lists are not in the public docs: with an
API key the client probes `/incidents` and `/maintenances` and falls back to the counts
of `/status` when they are not there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
import re
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from .errors import (
    CloudStatusAuthError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusServerError,
)
from .http import MAX_BODY_BYTES, fetch
from .models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from .parsing import (
    clean_name,
    loads,
    parse_time,
    require_dict,
    require_list,
    require_str,
)
from .statuspage import normalize_page_url

DEFAULT_CLOUDSIGMA_URL: Final = "https://statuspage.cloudsigma.com"
CLOUDSIGMA_HOST: Final = "statuspage.cloudsigma.com"
CLOUDSIGMA_NAME: Final = "CloudSigma"
STATUS_PATH: Final = "api/v1/status"
COMPONENTS_PATH: Final = "api/v1/components"
INCIDENTS_PATH: Final = "api/v1/incidents"
MAINTENANCES_PATH: Final = "api/v1/maintenances"
DEFAULT_PER_PAGE: Final = 100
MAX_COMPONENT_PAGES: Final = 100
DETAIL_RETRY_SECONDS: Final = 24 * 60 * 60.0

_API_PATH = re.compile(r"/api/v1(?:/|$)")
# A key that is not visible ASCII could not travel in a header; aiohttp would reject it
# with an error that quotes it.
_HEADER_SAFE_KEY = re.compile(r"[!-~]+")
_EPOCH = datetime.min.replace(tzinfo=UTC)
# Answers that mean "this endpoint is not there, or not usable the way we call it".
_DETAILS_MISSING_STATUSES = frozenset(
    {
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.METHOD_NOT_ALLOWED,
        HTTPStatus.GONE,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        HTTPStatus.NOT_IMPLEMENTED,
    }
)
_LIST_KEYS = ("items", "results", "data")
_RESOLVED_INCIDENT_STATUSES = frozenset(
    {"resolved", "completed", "closed", "postmortem"}
)
_MAINTENANCE_PHASES = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "planned": MaintenancePhase.SCHEDULED,
    "upcoming": MaintenancePhase.SCHEDULED,
    "in_progress": MaintenancePhase.IN_PROGRESS,
    "started": MaintenancePhase.IN_PROGRESS,
    "active": MaintenancePhase.IN_PROGRESS,
    "ongoing": MaintenancePhase.IN_PROGRESS,
    "verifying": MaintenancePhase.IN_PROGRESS,
    "completed": MaintenancePhase.COMPLETED,
    "complete": MaintenancePhase.COMPLETED,
    "finished": MaintenancePhase.COMPLETED,
    "ended": MaintenancePhase.COMPLETED,
    "cancelled": MaintenancePhase.COMPLETED,
    "canceled": MaintenancePhase.COMPLETED,
}
_START_KEYS = ("scheduled_for", "starts_at", "start_at", "scheduled_start")
_END_KEYS = ("scheduled_until", "ends_at", "end_at", "scheduled_end")
_UPDATE_TIME_KEYS = ("display_at", "created_at", "updated_at")


def normalize_cloudsigma_url(raw: str) -> URL:
    """Turn what people paste into the status page's base URL.

    Validation is Statuspage's (scheme-less means https, http is allowed, anything else is
    `InvalidUrlError`); the API suffix removed is `/api/v1...`. The result is
    `scheme://host[:port][/prefix]` without a trailing slash.
    """
    checked = normalize_page_url(raw)
    text = raw.strip()
    path = URL(text if "://" in text else f"https://{text}").path
    if (match := _API_PATH.search(path)) is not None:
        path = path[: match.start()]
    return checked.with_path(path.rstrip("/"))


@dataclass(frozen=True, slots=True)
class CloudSigmaStatus:
    """What `GET {base}/api/v1/status` says."""

    status: ComponentStatus
    raw_status: str | None
    indicators: dict[str, int]
    active_incidents: int
    scheduled_maintenance: int
    last_updated: datetime | None


def parse_status(payload: Any) -> CloudSigmaStatus:
    """Read a `/status` body; only a missing `status` key makes it unreadable."""
    body = require_dict(payload, "status")
    if "status" not in body:
        raise CloudStatusParseError("status has no 'status'")
    raw_status = body["status"]
    return CloudSigmaStatus(
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) and raw_status else None,
        indicators=_indicators(body.get("indicators")),
        active_incidents=_count(body.get("active_incidents")) or 0,
        scheduled_maintenance=_count(body.get("scheduled_maintenance")) or 0,
        last_updated=parse_time(body.get("last_updated")),
    )


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _indicators(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {
        str(key).strip().lower(): count
        for key, raw in value.items()
        if (count := _count(raw)) is not None
    }


def parse_components(items: Iterable[Any]) -> dict[str, Component]:
    """Read `/components` entries, ordered by `position` where they have one.

    The sort is stable: entries without a position follow in the provider's order.
    """
    entries = sorted(
        (require_dict(item, "component") for item in items), key=_position_key
    )
    components: dict[str, Component] = {}
    for entry in entries:
        component = _parse_component(entry)
        components.setdefault(component.id, component)
    return components


def _position_key(entry: dict[str, Any]) -> tuple[int, float]:
    position = entry.get("position")
    if isinstance(position, (int, float)) and not isinstance(position, bool):
        return 0, position
    return 1, 0.0


def _parse_component(entry: dict[str, Any]) -> Component:
    component_id = require_str(entry, "id", "component")
    raw_status = entry.get("status")
    name = _text(entry, "name") or _text(entry, "code") or component_id
    return Component(
        id=component_id,
        name=clean_name(name),
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) else None,
        description=_text(entry, "description"),
    )


def _text(container: dict[str, Any], key: str) -> str | None:
    value = container.get(key)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _id_text(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _status_word(value: str | None, default: str) -> str:
    """Lower-case a status and write "In Progress" / "in-progress" as "in_progress"."""
    if value is None:
        return default
    return re.sub(r"[\s-]+", "_", value.lower())


def _find_list(payload: Any, own_key: str) -> list[Any]:
    """Return the list a detail endpoint answered, bare or wrapped in an object."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in (*_LIST_KEYS, own_key):
            if isinstance(value := payload.get(key), list):
                return value
    raise CloudStatusParseError(f"{own_key} is {type(payload).__name__}, not a list")


def parse_incidents(
    payload: Any, page_url: str | None, components: dict[str, Component]
) -> tuple[Incident, ...]:
    """Read an incident list; resolved, completed, closed and postmortem ones are left out."""
    return tuple(
        incident
        for item in _find_list(payload, "incidents")
        if (
            incident := _parse_incident(
                require_dict(item, "incident"), page_url, components
            )
        )
        is not None
    )


def parse_maintenances(
    payload: Any, page_url: str | None, components: dict[str, Component]
) -> tuple[Maintenance, ...]:
    """Read a maintenance list; completed and cancelled windows are left out.

    Like a Statuspage summary, the snapshot lists only scheduled and in-progress
    windows: whoever watches the snapshots notices when a window ends.
    """
    return tuple(
        maintenance
        for item in _find_list(payload, "maintenances")
        if (
            maintenance := _parse_maintenance(
                require_dict(item, "maintenance"), page_url, components
            )
        ).phase
        is not MaintenancePhase.COMPLETED
    )


def _parse_incident(
    item: dict[str, Any], page_url: str | None, components: dict[str, Component]
) -> Incident | None:
    status = _status_word(_text(item, "status"), "unknown")
    if status in _RESOLVED_INCIDENT_STATUSES:
        return None
    body, update_id, update_count = _latest_update(item)
    return Incident(
        id=require_str(item, "id", "incident"),
        name=_text(item, "name") or _text(item, "title") or "",
        status=status,
        impact=(_text(item, "impact") or _text(item, "severity") or "none").lower(),
        url=_text(item, "url") or _text(item, "shortlink") or page_url,
        created_at=parse_time(item.get("created_at")),
        started_at=parse_time(item.get("started_at")),
        updated_at=parse_time(item.get("updated_at")),
        resolved_at=parse_time(item.get("resolved_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
        update_count=update_count,
    )


def _parse_maintenance(
    item: dict[str, Any], page_url: str | None, components: dict[str, Component]
) -> Maintenance:
    status = _status_word(_text(item, "status"), "scheduled")
    body, update_id, _ = _latest_update(item)
    return Maintenance(
        id=require_str(item, "id", "maintenance"),
        name=_text(item, "name") or _text(item, "title") or "",
        status=status,
        phase=_MAINTENANCE_PHASES.get(status, MaintenancePhase.SCHEDULED),
        impact=(
            _text(item, "impact") or _text(item, "severity") or "maintenance"
        ).lower(),
        url=_text(item, "url") or _text(item, "shortlink") or page_url,
        starts_at=_first_time(item, _START_KEYS),
        ends_at=_first_time(item, _END_KEYS),
        updated_at=parse_time(item.get("updated_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
    )


def _first_time(item: dict[str, Any], keys: Iterable[str]) -> datetime | None:
    for key in keys:
        if (when := parse_time(item.get(key))) is not None:
            return when
    return None


def _affected(
    item: dict[str, Any], components: dict[str, Component]
) -> tuple[str, ...]:
    raw = item.get("components")
    if not isinstance(raw, list):
        return ()
    return tuple(
        name for entry in raw if (name := _affected_name(entry, components)) is not None
    )


def _affected_name(entry: object, components: dict[str, Component]) -> str | None:
    """Name a component given by id or by object: known ones by their display name."""
    if isinstance(entry, dict):
        known = components.get(_id_text(entry.get("id")) or "")
        return known.display_name if known else _text(entry, "name")
    component_id = _id_text(entry)
    if component_id is None:
        return None
    known = components.get(component_id)
    return known.display_name if known else component_id


def _latest_update(item: dict[str, Any]) -> tuple[str | None, str | None, int]:
    raw = item.get("updates")
    if raw is None:
        raw = item.get("incident_updates")
    updates = [
        update
        for update in (raw if isinstance(raw, list) else [])
        if isinstance(update, dict)
    ]
    if not updates:
        return None, None, 0
    # A readable timestamp decides; without one the first listed counts as the newest.
    newest = max(
        enumerate(updates),
        key=lambda pair: (_first_time(pair[1], _UPDATE_TIME_KEYS) or _EPOCH, -pair[0]),
    )[1]
    return (
        _text(newest, "body") or _text(newest, "message"),
        _id_text(newest.get("id")),
        len(updates),
    )


class CloudSigmaClient:
    """Poll one CloudSigma status page: overall status, components and, with a key, details."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        api_key: str | None = None,
        *,
        max_bytes: int = MAX_BODY_BYTES,
        per_page: int = DEFAULT_PER_PAGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the shared session, the page's base URL and an optional API key."""
        self._session = session
        self.base_url = normalize_cloudsigma_url(str(base_url))
        self.host: str = self.base_url.host or ""
        self._api_key = (api_key or "").strip() or None
        self._max_bytes = max_bytes
        self._per_page = max(1, per_page)
        self._clock = clock
        self._details_available = False
        self._next_detail_probe: float | None = None

    def __repr__(self) -> str:
        """Describe the client without its API key."""
        key = "'<redacted>'" if self._api_key else None
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key={key}, "
            f"details_available={self._details_available})"
        )

    @property
    def details_available(self) -> bool:
        """Whether the last probe found the incident and maintenance endpoints."""
        return self._details_available

    @property
    def page_name(self) -> str:
        """Name the page: CloudSigma for its own host, else the host itself."""
        return CLOUDSIGMA_NAME if self.host == CLOUDSIGMA_HOST else self.host

    async def async_get_status(self) -> CloudSigmaStatus:
        """Fetch the overall status with one request (the config flow validates with it)."""
        return parse_status(await self._get_json(self.base_url.joinpath(STATUS_PATH)))

    async def async_get_snapshot(self) -> StatusSnapshot:
        """Poll everything: status, every component page and, when available, details."""
        status = await self.async_get_status()
        components = parse_components(await self._async_get_component_entries())
        page = PageInfo(
            id=self.host,
            name=self.page_name,
            url=str(self.base_url),
            updated_at=status.last_updated,
        )
        details = (
            await self._async_get_details(page.url, components)
            if self._should_probe_details()
            else None
        )
        if details is None:
            return StatusSnapshot(
                page=page,
                components=components,
                indicator=status.raw_status,
                reported_status=status.status,
                incident_count=status.active_incidents,
                maintenance_count=status.scheduled_maintenance,
            )
        incidents, maintenances = details
        return StatusSnapshot(
            page=page,
            components=components,
            incidents=incidents,
            maintenances=maintenances,
            indicator=status.raw_status,
            reported_status=status.status,
        )

    async def _async_get_component_entries(self) -> list[dict[str, Any]]:
        """Read every page of `/components`, stopping where the list ends or repeats."""
        url = self.base_url.joinpath(COMPONENTS_PATH)
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        for page in range(1, MAX_COMPONENT_PAGES + 1):
            batch = require_list(
                await self._get_json(
                    url.with_query(page=page, per_page=self._per_page)
                ),
                "components",
            )
            fresh = _unseen_entries(batch, seen)
            entries.extend(fresh)
            # A server that ignores `page` repeats what we have: nothing fresh ends it.
            if not fresh or len(batch) < self._per_page:
                return entries
        raise CloudStatusParseError(
            f"components did not end within {MAX_COMPONENT_PAGES} pages"
        )

    def _should_probe_details(self) -> bool:
        if self._api_key is None:
            return False
        return (
            self._next_detail_probe is None or self._clock() >= self._next_detail_probe
        )

    async def _async_get_details(
        self, page_url: str | None, components: dict[str, Component]
    ) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]] | None:
        """Fetch incidents and maintenances; None (and counts for a day) if they are missing."""
        try:
            incidents = parse_incidents(
                await self._get_json(self.base_url.joinpath(INCIDENTS_PATH)),
                page_url,
                components,
            )
            maintenances = parse_maintenances(
                await self._get_json(self.base_url.joinpath(MAINTENANCES_PATH)),
                page_url,
                components,
            )
        except CloudStatusNotFoundError, CloudStatusParseError:
            self._use_counts()
            return None
        except CloudStatusServerError as err:
            if err.status not in _DETAILS_MISSING_STATUSES:
                raise
            self._use_counts()
            return None
        self._details_available = True
        self._next_detail_probe = None
        return incidents, maintenances

    def _use_counts(self) -> None:
        self._details_available = False
        self._next_detail_probe = self._clock() + DETAIL_RETRY_SECONDS

    def _headers(self) -> dict[str, str]:
        if self._api_key is None:
            return {}
        if not _HEADER_SAFE_KEY.fullmatch(self._api_key):
            raise CloudStatusAuthError(
                "the API key has characters an HTTP header cannot carry"
            )
        return {"Authorization": f"Bearer {self._api_key}"}

    async def _get_json(self, url: URL) -> Any:
        response = await fetch(
            self._session, url, headers=self._headers(), max_bytes=self._max_bytes
        )
        return loads(response.body)


def _unseen_entries(batch: list[Any], seen: set[str]) -> list[dict[str, Any]]:
    """Return the entries of a page whose ids were not seen before, and remember them."""
    fresh: list[dict[str, Any]] = []
    for item in batch:
        entry = require_dict(item, "component")
        component_id = require_str(entry, "id", "component")
        if component_id not in seen:
            seen.add(component_id)
            fresh.append(entry)
    return fresh


__all__ = [
    "CLOUDSIGMA_HOST",
    "DEFAULT_CLOUDSIGMA_URL",
    "CloudSigmaClient",
    "CloudSigmaStatus",
    "normalize_cloudsigma_url",
    "parse_components",
    "parse_incidents",
    "parse_maintenances",
    "parse_status",
]
