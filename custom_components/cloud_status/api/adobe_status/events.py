"""Adobe Status events: `/events` into incidents, maintenances and product statuses.

An open incident sets the status of its products by severity (the worst wins); a
maintenance in progress puts its products without one under maintenance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from ..parsing import clean_name, optional_list, optional_str, require_dict, require_str
from .history import (
    ProductUpdate,
    is_set,
    lowered,
    newest_title,
    newest_update,
    parse_event_time,
    product_history,
    unique_updates,
    update_id_of,
)
from .messages import AdobeMessages
from .registry import AdobeProduct

STATUS_PAGE_URL: Final = "https://status.adobe.com"

PAGE_INFO: Final = PageInfo(id="adobe_status", name="Adobe Status", url=STATUS_PAGE_URL)

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
    updates: list[ProductUpdate]


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
                    updates=product_history(product),
                )
            )
    return affected


def _is_open(product: _AffectedProduct) -> bool:
    """Open: no end time, and neither the product nor its newest update is closed."""
    if is_set(product.raw.get("endedOn")):
        return False
    newest = newest_update(product.updates)
    statuses = {lowered(optional_str(product.raw, "status"))}
    if newest is not None:
        statuses.add(lowered(newest.status))
    return statuses.isdisjoint(_CLOSED_STATUSES)


def _severity(product: _AffectedProduct) -> str | None:
    if severity := optional_str(product.raw, "severity"):
        return severity.strip()
    newest = newest_update(update for update in product.updates if update.severity)
    return newest.severity if newest else None


def _severity_rank(severity: str | None) -> int:
    """Rank severities for "worst": known ones by status, then none, then unknown."""
    status = _SEVERITY_STATUS.get(lowered(severity))
    if status is not None:
        return status.severity
    return 0 if lowered(severity) == _NO_SEVERITY else -1


@dataclass(slots=True)
class _ProductState:
    """What the events say about one product."""

    severities: list[str | None] = field(default_factory=list)
    maintenance: str | None = None

    def status(self) -> tuple[ComponentStatus, str | None]:
        known = [
            severity
            for severity in self.severities
            if lowered(severity) in _SEVERITY_STATUS
        ]
        if known:
            worst = max(known, key=_severity_rank)
            return _SEVERITY_STATUS[lowered(worst)], worst
        unknown = [
            severity
            for severity in self.severities
            if lowered(severity) != _NO_SEVERITY
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
    updates = unique_updates(
        update for product in open_products for update in product.updates
    )
    newest = newest_update(updates)
    worst = max(severities, key=_severity_rank)
    status = (newest.status if newest else None) or optional_str(
        open_products[0].raw, "status"
    )
    starts = [
        started
        for product in open_products
        if (started := parse_event_time(product.raw.get("startedOn"))) is not None
    ]
    return Incident(
        id=incident_id,
        name=newest_title(updates, messages.incident_text)
        or f"Adobe incident {incident_id}",
        status=lowered(status) or "opened",
        impact=lowered(worst) or "unknown",
        url=STATUS_PAGE_URL,
        started_at=min(starts, default=None),
        updated_at=newest.time if newest else None,
        components=tuple(product.name for product in open_products),
        latest_update=messages.incident_text(newest.message_token) if newest else None,
        latest_update_id=update_id_of(newest),
        update_count=len(updates),
    )


def _maintenance_phase(item: dict[str, Any], status: str) -> MaintenancePhase | None:
    """Scheduled, in progress, or None for finished and canceled windows."""
    if status in _MAINTENANCE_DONE:
        return None
    if (phase := _MAINTENANCE_PHASES.get(status)) is not None:
        return phase
    # An undocumented status: judge by the window's own times.
    if is_set(item.get("completedOn")):
        return None
    if is_set(item.get("startedOn")):
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
    updates = unique_updates(
        update for product in products for update in product.updates
    )
    newest = newest_update(updates)
    raw_status = optional_str(item, "status") or (newest.status if newest else None)
    status = lowered(raw_status) or "scheduled"
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
        name=newest_title(updates, messages.maintenance_text)
        or f"Adobe maintenance {maintenance_id}",
        status=status,
        phase=phase,
        url=STATUS_PAGE_URL,
        starts_at=parse_event_time(item.get("scheduledDate"))
        or parse_event_time(item.get("startedOn")),
        ends_at=parse_event_time(item.get("completedOn")),
        updated_at=newest.time if newest else None,
        components=tuple(product.name for product in products),
        latest_update=messages.maintenance_text(newest.message_token)
        if newest
        else None,
        latest_update_id=update_id_of(newest),
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


__all__ = ["PAGE_INFO", "STATUS_PAGE_URL", "parse_events"]
