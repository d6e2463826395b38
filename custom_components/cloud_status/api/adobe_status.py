"""Client for the Adobe Status API (`https://status.adobe.io/api/v1`).

A poll is one `GET /events` for the selected products. The product list (`/clouds` +
`/products`) and the event texts (`/messages/{locale}`) change rarely and are fetched at
most once a day. Events refer to their texts by token (`titleToken`, `messageToken`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
import re
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from .adobe_ims import ImsTokenProvider, call_with_token
from .errors import (
    CloudStatusAuthError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusServerError,
)
from .http import fetch
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
    optional_list,
    optional_str,
    parse_epoch_ms_text,
    parse_time,
    require_dict,
    require_list,
    require_str,
)

STATUS_API_URL: Final = URL("https://status.adobe.io/api/v1")
# Adobe's public client id for the Status API gateway, the same for everyone.
STATUS_API_KEY: Final = "StatusAdobeIOClient"
STATUS_PAGE_URL: Final = "https://status.adobe.com"
REGISTRY_REFRESH: Final = 86400.0
FALLBACK_LOCALE: Final = "en"

PAGE_INFO: Final = PageInfo(id="adobe_status", name="Adobe Status", url=STATUS_PAGE_URL)

_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_EPOCH = datetime.min.replace(tzinfo=UTC)
_SEVERITY_STATUS: Final = {
    "major": ComponentStatus.MAJOR_OUTAGE,
    "minor": ComponentStatus.PARTIAL_OUTAGE,
    "potential": ComponentStatus.DEGRADED_PERFORMANCE,
    "trivial": ComponentStatus.DEGRADED_PERFORMANCE,
}
# A documented severity that asks for no impact, like Statuspage's impact "none".
_NO_SEVERITY: Final = "none"
_CLOSED_STATUSES: Final = frozenset({"closed", "dismissed"})
_MAINTENANCE_PHASES: Final = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "started": MaintenancePhase.IN_PROGRESS,
}
_MAINTENANCE_DONE: Final = frozenset({"completed", "canceled", "cancelled"})
_UNSET: Final = frozenset({"", "0"})


@dataclass(frozen=True, slots=True)
class AdobeProduct:
    """A product on status.adobe.com, with the cloud it belongs to."""

    id: str
    name: str
    cloud_id: str | None = None
    cloud_name: str | None = None


@dataclass(frozen=True, slots=True)
class AdobeMessages:
    """The event texts of one locale, by token."""

    incident: Mapping[str, str] = field(default_factory=dict)
    maintenance: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether any text is known."""
        return bool(self.incident or self.maintenance)

    def incident_text(self, token: str | None) -> str | None:
        """Return an incident text (a maintenance text with the same token will do)."""
        if not token:
            return None
        return self.incident.get(token) or self.maintenance.get(token)

    def maintenance_text(self, token: str | None) -> str | None:
        """Return a maintenance text (an incident text with the same token will do)."""
        if not token:
            return None
        return self.maintenance.get(token) or self.incident.get(token)


# --- registry -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cloud:
    id: str
    name: str
    product_ids: tuple[str, ...]


def _parse_clouds(payload: Any) -> list[_Cloud]:
    clouds: list[_Cloud] = []
    for item in require_list(payload, "clouds"):
        cloud = require_dict(item, "cloud")
        cloud_id = require_str(cloud, "id", "cloud")
        product_ids = tuple(
            product_id
            for product in optional_list(cloud, "cloudProducts", "cloudProducts")
            if isinstance(product, dict)
            and (product_id := optional_str(product, "id")) is not None
        )
        clouds.append(
            _Cloud(
                id=cloud_id,
                name=clean_name(optional_str(cloud, "name") or cloud_id),
                product_ids=product_ids,
            )
        )
    return clouds


def parse_clouds(payload: Any) -> list[tuple[str, str]]:
    """Return (id, name) of every cloud in a `/clouds` answer."""
    return [(cloud.id, cloud.name) for cloud in _parse_clouds(payload)]


def _product_order(product: AdobeProduct) -> tuple[bool, str, str, str]:
    return (
        product.cloud_name is None,
        (product.cloud_name or "").casefold(),
        product.name.casefold(),
        product.id,
    )


def parse_products(clouds_payload: Any, products_payload: Any) -> list[AdobeProduct]:
    """Join `/products` with the clouds that list them; sorted by cloud, then name."""
    cloud_of: dict[str, _Cloud] = {}
    for cloud in _parse_clouds(clouds_payload):
        for product_id in cloud.product_ids:
            cloud_of.setdefault(product_id, cloud)
    products: dict[str, AdobeProduct] = {}
    for item in require_list(products_payload, "products"):
        raw = require_dict(item, "product")
        product_id = require_str(raw, "id", "product")
        if product_id in products:
            continue
        owner = cloud_of.get(product_id)
        products[product_id] = AdobeProduct(
            id=product_id,
            name=clean_name(optional_str(raw, "name") or product_id),
            cloud_id=owner.id if owner else None,
            cloud_name=owner.name if owner else None,
        )
    return sorted(products.values(), key=_product_order)


def _texts(container: dict[str, Any], key: str) -> dict[str, str]:
    raw = container.get(key)
    texts: dict[str, str] = {}
    if not isinstance(raw, dict):
        return texts
    for map_key, message in raw.items():
        if not isinstance(message, dict) or not (
            text := optional_str(message, "textMessage")
        ):
            continue
        texts.setdefault(map_key, text.strip())
        if token := optional_str(message, "token"):
            texts.setdefault(token, text.strip())
    return texts


def parse_messages(payload: Any) -> AdobeMessages:
    """Read a `/messages/{locale}` answer into texts by token."""
    incident: dict[str, str] = {}
    maintenance: dict[str, str] = {}
    for item in require_list(payload, "messages"):
        entry = require_dict(item, "messages entry")
        for token, text in _texts(entry, "incidentMessages").items():
            incident.setdefault(token, text)
        for token, text in _texts(entry, "maintenanceMessages").items():
            maintenance.setdefault(token, text)
    return AdobeMessages(incident=incident, maintenance=maintenance)


def locale_candidates(locale: str) -> tuple[str, ...]:
    """Locales to try for texts: as given, its language, then English."""
    text = locale.strip()
    if not _LOCALE.fullmatch(text):
        return (FALLBACK_LOCALE,)
    language = re.split(r"[-_]", text, maxsplit=1)[0]
    return tuple(dict.fromkeys((text, language, FALLBACK_LOCALE)))


# --- events -------------------------------------------------------------------------


def _time(value: Any) -> datetime | None:
    """Read ISO 8601 or epoch milliseconds, also as text ("1667412000000")."""
    if isinstance(value, str) and (digits := value.strip()).isdecimal():
        return parse_epoch_ms_text(digits)
    return parse_time(value)


def _is_set(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip() not in _UNSET
    return bool(value != 0)


def _lower(value: str | None) -> str:
    return (value or "").strip().lower()


@dataclass(frozen=True, slots=True)
class _Update:
    """One history entry of an event's product."""

    id: str | None
    time: datetime | None
    title_token: str | None
    message_token: str | None
    status: str | None
    severity: str | None
    position: int

    @property
    def order(self) -> tuple[datetime, int]:
        # Without a readable time, later entries count as newer.
        return (self.time or _EPOCH, self.position)


def _history(product: dict[str, Any]) -> list[_Update]:
    raw = product.get("history")
    # The DTOs list history; the older nested schema keys it by id.
    items = (
        list(raw.values())
        if isinstance(raw, dict)
        else optional_list(product, "history", "history")
    )
    return [
        _Update(
            id=optional_str(entry, "id"),
            time=_time(entry.get("messageTime")),
            title_token=optional_str(entry, "titleToken"),
            message_token=optional_str(entry, "messageToken"),
            status=optional_str(entry, "status"),
            severity=optional_str(entry, "severity"),
            position=position,
        )
        for position, entry in enumerate(items)
        if isinstance(entry, dict)
    ]


def _newest(updates: Iterable[_Update]) -> _Update | None:
    return max(updates, key=lambda update: update.order, default=None)


def _unique(updates: Iterable[_Update]) -> list[_Update]:
    """Drop repeats of an update that several products of one event share."""
    seen: set[str] = set()
    unique: list[_Update] = []
    for update in updates:
        if update.id is not None:
            if update.id in seen:
                continue
            seen.add(update.id)
        unique.append(update)
    return unique


@dataclass(frozen=True, slots=True)
class _Scope:
    """The products a snapshot is about: the selection, or every product."""

    products: Mapping[str, AdobeProduct]
    selected: frozenset[str]

    def wants(self, product_id: str) -> bool:
        return not self.selected or product_id in self.selected

    def name_of(self, product_id: str, product: dict[str, Any]) -> str:
        if known := self.products.get(product_id):
            return known.name
        return clean_name(optional_str(product, "name") or product_id)


@dataclass(frozen=True, slots=True)
class _AffectedProduct:
    """A wanted product of an event, with its own history."""

    id: str
    name: str
    raw: dict[str, Any]
    updates: list[_Update]


def _affected(item: dict[str, Any], what: str, scope: _Scope) -> list[_AffectedProduct]:
    affected: list[_AffectedProduct] = []
    for raw_product in optional_list(item, "products", f"{what} products"):
        product = require_dict(raw_product, f"{what} product")
        product_id = require_str(product, "id", f"{what} product")
        if scope.wants(product_id):
            affected.append(
                _AffectedProduct(
                    id=product_id,
                    name=scope.name_of(product_id, product),
                    raw=product,
                    updates=_history(product),
                )
            )
    return affected


def _title(
    updates: list[_Update], text_of: Callable[[str | None], str | None]
) -> str | None:
    for update in sorted(updates, key=lambda update: update.order, reverse=True):
        if title := text_of(update.title_token):
            return title
    return None


def _update_id(update: _Update | None) -> str | None:
    if update is None:
        return None
    if update.id is not None:
        return update.id
    return update.time.isoformat() if update.time else None


def _is_open(product: _AffectedProduct) -> bool:
    """Open: no end time, and neither the product nor its newest update is closed."""
    if _is_set(product.raw.get("endedOn")):
        return False
    newest = _newest(product.updates)
    statuses = {_lower(optional_str(product.raw, "status"))}
    if newest is not None:
        statuses.add(_lower(newest.status))
    return statuses.isdisjoint(_CLOSED_STATUSES)


def _severity(product: _AffectedProduct) -> str | None:
    if severity := optional_str(product.raw, "severity"):
        return severity.strip()
    newest = _newest(update for update in product.updates if update.severity)
    return newest.severity if newest else None


def _severity_rank(severity: str | None) -> int:
    """Rank severities for "worst": known ones by status, then none, then unknown."""
    status = _SEVERITY_STATUS.get(_lower(severity))
    if status is not None:
        return status.severity
    return 0 if _lower(severity) == _NO_SEVERITY else -1


@dataclass(slots=True)
class _ProductState:
    """What the events say about one product."""

    severities: list[str | None] = field(default_factory=list)
    maintenance: str | None = None

    def status(self) -> tuple[ComponentStatus, str | None]:
        known = [
            severity
            for severity in self.severities
            if _lower(severity) in _SEVERITY_STATUS
        ]
        if known:
            worst = max(known, key=_severity_rank)
            return _SEVERITY_STATUS[_lower(worst)], worst
        unknown = [
            severity for severity in self.severities if _lower(severity) != _NO_SEVERITY
        ]
        if unknown:
            return ComponentStatus.UNKNOWN, unknown[0]
        if self.maintenance is not None:
            return ComponentStatus.UNDER_MAINTENANCE, self.maintenance
        return ComponentStatus.OPERATIONAL, None


def _parse_incident(
    item: dict[str, Any],
    scope: _Scope,
    messages: AdobeMessages,
    states: dict[str, _ProductState],
) -> Incident | None:
    incident_id = require_str(item, "id", "incident")
    open_products = [
        product for product in _affected(item, "incident", scope) if _is_open(product)
    ]
    if not open_products:
        return None
    severities = [_severity(product) for product in open_products]
    for product, severity in zip(open_products, severities, strict=True):
        states.setdefault(product.id, _ProductState()).severities.append(severity)
    updates = _unique(update for product in open_products for update in product.updates)
    newest = _newest(updates)
    worst = max(severities, key=_severity_rank)
    status = (newest.status if newest else None) or optional_str(
        open_products[0].raw, "status"
    )
    starts = [
        started
        for product in open_products
        if (started := _time(product.raw.get("startedOn"))) is not None
    ]
    return Incident(
        id=incident_id,
        name=_title(updates, messages.incident_text) or f"Adobe incident {incident_id}",
        status=_lower(status) or "opened",
        impact=_lower(worst) or "unknown",
        url=STATUS_PAGE_URL,
        started_at=min(starts, default=None),
        updated_at=newest.time if newest else None,
        components=tuple(product.name for product in open_products),
        latest_update=messages.incident_text(newest.message_token) if newest else None,
        latest_update_id=_update_id(newest),
        update_count=len(updates),
    )


def _maintenance_phase(item: dict[str, Any], status: str) -> MaintenancePhase | None:
    """Scheduled, in progress, or None for finished and canceled windows."""
    if status in _MAINTENANCE_DONE:
        return None
    if (phase := _MAINTENANCE_PHASES.get(status)) is not None:
        return phase
    # An undocumented status: judge by the window's own times.
    if _is_set(item.get("completedOn")):
        return None
    if _is_set(item.get("startedOn")):
        return MaintenancePhase.IN_PROGRESS
    return MaintenancePhase.SCHEDULED


def _parse_maintenance(
    item: dict[str, Any],
    scope: _Scope,
    messages: AdobeMessages,
    states: dict[str, _ProductState],
) -> Maintenance | None:
    maintenance_id = require_str(item, "id", "maintenance")
    products = _affected(item, "maintenance", scope)
    if not products:
        return None
    updates = _unique(update for product in products for update in product.updates)
    newest = _newest(updates)
    raw_status = optional_str(item, "status") or (newest.status if newest else None)
    status = _lower(raw_status) or "scheduled"
    phase = _maintenance_phase(item, status)
    if phase is None:
        return None
    if phase is MaintenancePhase.IN_PROGRESS:
        for product in products:
            states.setdefault(product.id, _ProductState()).maintenance = (
                raw_status or "Started"
            )
    return Maintenance(
        id=maintenance_id,
        name=_title(updates, messages.maintenance_text)
        or f"Adobe maintenance {maintenance_id}",
        status=status,
        phase=phase,
        url=STATUS_PAGE_URL,
        starts_at=_time(item.get("scheduledDate")) or _time(item.get("startedOn")),
        ends_at=_time(item.get("completedOn")),
        updated_at=newest.time if newest else None,
        components=tuple(product.name for product in products),
        latest_update=messages.maintenance_text(newest.message_token)
        if newest
        else None,
        latest_update_id=_update_id(newest),
    )


def parse_events(
    payload: Any,
    products: Sequence[AdobeProduct],
    selected: Sequence[str] = (),
    messages: AdobeMessages | None = None,
) -> StatusSnapshot:
    """Turn an `/events` answer into the shared snapshot.

    Components are the selected products that exist in `products` (all of them when
    nothing is selected), in the order of `products`.
    """
    body = require_dict(payload, "events")
    texts = messages or AdobeMessages()
    scope = _Scope(
        products={product.id: product for product in products},
        selected=frozenset(selected),
    )
    states: dict[str, _ProductState] = {}
    incidents = tuple(
        incident
        for item in optional_list(body, "incidents", "incidents")
        if (
            incident := _parse_incident(
                require_dict(item, "incident"), scope, texts, states
            )
        )
        is not None
    )
    maintenances = tuple(
        maintenance
        for item in optional_list(body, "maintenances", "maintenances")
        if (
            maintenance := _parse_maintenance(
                require_dict(item, "maintenance"), scope, texts, states
            )
        )
        is not None
    )
    components: dict[str, Component] = {}
    for product in products:
        if not scope.wants(product.id) or product.id in components:
            continue
        status, raw_status = states.get(product.id, _ProductState()).status()
        components[product.id] = Component(
            id=product.id,
            name=product.name,
            status=status,
            raw_status=raw_status,
            description=product.cloud_name,
        )
    return StatusSnapshot(
        page=PAGE_INFO,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
    )


# --- client -------------------------------------------------------------------------


class AdobeStatusClient:
    """Read Adobe Status for a set of products with an IMS token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_provider: ImsTokenProvider,
        *,
        locale: str = FALLBACK_LOCALE,
        base_url: URL = STATUS_API_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the shared session, the IMS token provider and the texts' language."""
        self._session = session
        self._token_provider = token_provider
        self._locales = locale_candidates(locale)
        self._base_url = base_url
        self._clock = clock
        self._products: list[AdobeProduct] | None = None
        self._products_at = 0.0
        self._messages: AdobeMessages | None = None
        self._messages_at = 0.0
        self.messages_locale: str | None = None

    def __repr__(self) -> str:
        """Describe the client (the token provider shows no credential either)."""
        return f"<AdobeStatusClient base_url={str(self._base_url)!r}>"

    async def _async_get_json(
        self, path: str, query: Sequence[tuple[str, str]] = ()
    ) -> Any:
        url = self._base_url.joinpath(path).with_query(
            [*query, ("api_key", STATUS_API_KEY)]
        )

        async def get(token: str) -> bytes:
            response = await fetch(
                self._session, url, headers={"Authorization": f"Bearer {token}"}
            )
            return response.body

        return loads(await call_with_token(self._token_provider, get))

    def _stale(self, fetched_at: float) -> bool:
        return self._clock() - fetched_at >= REGISTRY_REFRESH

    async def async_get_clouds(self) -> list[tuple[str, str]]:
        """Return (id, name) of every cloud; a cheap credentials check."""
        return parse_clouds(await self._async_get_json("clouds"))

    async def async_get_products(self) -> list[AdobeProduct]:
        """Return every product with its cloud, sorted by cloud then product name."""
        clouds = await self._async_get_json("clouds")
        products = parse_products(clouds, await self._async_get_json("products"))
        self._products = products
        self._products_at = self._clock()
        return products

    async def _async_get_messages(self) -> AdobeMessages:
        """Fetch the texts in the first locale that has any (English last).

        A locale the API does not know answers 404 or 400: the next one is tried.
        """
        for locale in self._locales:
            try:
                payload = await self._async_get_json(f"messages/{locale}")
            except CloudStatusNotFoundError:
                continue
            except CloudStatusServerError as err:
                if err.status != HTTPStatus.BAD_REQUEST:
                    raise
                continue
            if messages := parse_messages(payload):
                self.messages_locale = locale
                return messages
        self.messages_locale = None
        return AdobeMessages()

    async def _async_refresh_products(self) -> None:
        """Fetch the product list when it is due; a failed refresh keeps the old one."""
        if self._products is not None and not self._stale(self._products_at):
            return
        try:
            await self.async_get_products()
        except CloudStatusError as err:
            if not _may_keep_stale(err, self._products):
                raise

    async def _async_refresh_messages(self) -> None:
        """Fetch the texts when they are due; a failed refresh keeps the old ones."""
        if self._messages is not None and not self._stale(self._messages_at):
            return
        try:
            messages = await self._async_get_messages()
        except CloudStatusError as err:
            if not _may_keep_stale(err, self._messages):
                raise
            return
        self._messages = messages
        self._messages_at = self._clock()

    async def async_get_snapshot(self, product_ids: Sequence[str]) -> StatusSnapshot:
        """Poll the events of the selected products (all when none is selected).

        The product list and the texts are refreshed once a day. When a refresh fails
        and a copy exists, this poll uses the copy and the next poll tries again;
        refused credentials always fail the poll.
        """
        await self._async_refresh_products()
        await self._async_refresh_messages()
        selected = tuple(dict.fromkeys(product_ids))
        payload = await self._async_get_json(
            "events", [("productIds", product_id) for product_id in selected]
        )
        return parse_events(payload, self._products or [], selected, self._messages)


def _may_keep_stale(err: CloudStatusError, cached: object | None) -> bool:
    """Whether a failed refresh may fall back to the cached copy.

    Without a copy there is nothing to fall back to; refused credentials must reach the
    caller, which asks the user to sign in again.
    """
    return cached is not None and not isinstance(err, CloudStatusAuthError)


__all__ = [
    "FALLBACK_LOCALE",
    "PAGE_INFO",
    "REGISTRY_REFRESH",
    "STATUS_API_KEY",
    "STATUS_API_URL",
    "STATUS_PAGE_URL",
    "AdobeMessages",
    "AdobeProduct",
    "AdobeStatusClient",
    "locale_candidates",
    "parse_clouds",
    "parse_events",
    "parse_messages",
    "parse_products",
]
