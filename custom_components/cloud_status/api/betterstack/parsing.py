"""Better Stack index.json into the snapshot: JSON:API page, resources, reports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from yarl import URL

from ..detection import url_key
from ..errors import CloudStatusParseError
from ..models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from ..parsing import (
    clean_name,
    newest,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list_at,
)
from ..statuspage import base_url_string

INDEX_PATH = "index.json"
PAGE_TYPE = "status_page"

# data.attributes.aggregate_state and a resource's status (doc).
STATUSES: dict[str, ComponentStatus] = {
    "operational": ComponentStatus.OPERATIONAL,
    "degraded": ComponentStatus.DEGRADED_PERFORMANCE,
    "downtime": ComponentStatus.MAJOR_OUTAGE,
    "maintenance": ComponentStatus.UNDER_MAINTENANCE,
    # The resource is shown but nothing checks it: its state is not known.
    "not_monitored": ComponentStatus.UNKNOWN,
}
MAINTENANCE_REPORT = "maintenance"
# A report's aggregate_state once it is over (recorded: Together AI).
RESOLVED_STATE = "resolved"


def _status(raw: Any) -> ComponentStatus:
    if isinstance(raw, str):
        return STATUSES.get(raw.strip().lower(), ComponentStatus.UNKNOWN)
    return ComponentStatus.UNKNOWN


def _id(value: Any) -> str | None:
    """Read an id as text: JSON:API ids are strings, some references integers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _require_id(item: dict[str, Any], what: str) -> str:
    if (value := _id(item.get("id"))) is None:
        raise CloudStatusParseError(f"{what} has no 'id'")
    return value


def _attributes(item: dict[str, Any], what: str) -> dict[str, Any]:
    return require_dict(item.get("attributes"), f"{what} attributes")


class _Document:
    """The `included` resources of an index.json, by type and id."""

    def __init__(self, included: list[Any]) -> None:
        self.sections: dict[str, dict[str, Any]] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, dict[str, Any]] = {}
        self.updates: dict[str, dict[str, Any]] = {}
        tables = {
            "status_page_section": self.sections,
            "status_page_resource": self.resources,
            "status_report": self.reports,
            "status_update": self.updates,
        }
        for raw in included:
            item = require_dict(raw, "included item")
            kind = item.get("type")
            table = tables.get(kind) if isinstance(kind, str) else None
            if table is not None:
                table[_require_id(item, str(kind))] = item


def _components(document: _Document) -> dict[str, Component]:
    section_names: dict[str, str] = {}
    for section_id, section in document.sections.items():
        name = optional_str(_attributes(section, "section"), "name")
        if name and name.strip():
            section_names[section_id] = clean_name(name)
    components: dict[str, Component] = {}
    for resource_id, resource in document.resources.items():
        attributes = _attributes(resource, "resource")
        name = optional_str(attributes, "public_name") or optional_str(
            attributes, "resource_name"
        )
        if not name or not name.strip():
            raise CloudStatusParseError(f"resource {resource_id} has no name")
        raw_status = attributes.get("status")
        group_id = _id(attributes.get("status_page_section_id"))
        components[resource_id] = Component(
            id=resource_id,
            name=clean_name(name),
            status=_status(raw_status),
            raw_status=raw_status if isinstance(raw_status, str) else None,
            group_id=group_id,
            group_name=section_names.get(group_id or ""),
            description=optional_str(attributes, "explanation"),
        )
    return components


def _updates(
    report: dict[str, Any], document: _Document
) -> list[tuple[datetime | None, str, dict[str, Any]]]:
    relationships = report.get("relationships")
    links: list[Any] = []
    if isinstance(relationships, dict) and isinstance(
        related := relationships.get("status_updates"), dict
    ):
        links = optional_list(related, "data", "status_updates")
    found: list[tuple[datetime | None, str, dict[str, Any]]] = []
    for link in links:
        update_id = _id(link.get("id")) if isinstance(link, dict) else None
        update = document.updates.get(update_id or "")
        if update_id is None or update is None:
            continue
        attributes = _attributes(update, "status update")
        found.append(
            (parse_time(attributes.get("published_at")), update_id, attributes)
        )
    return found


def _affected(
    attributes: dict[str, Any], components: dict[str, Component]
) -> tuple[tuple[str, ...], list[ComponentStatus]]:
    names: list[str] = []
    statuses: list[ComponentStatus] = []
    for raw in optional_list(attributes, "affected_resources", "affected_resources"):
        if not isinstance(raw, dict):
            continue
        statuses.append(_status(raw.get("status")))
        known = components.get(_id(raw.get("status_page_resource_id")) or "")
        if known is not None:
            names.append(known.display_name)
    return tuple(names), statuses


def _worst(statuses: list[ComponentStatus]) -> str:
    known = [status for status in statuses if status is not ComponentStatus.UNKNOWN]
    if not known:
        return "none"
    return max(known, key=lambda status: status.severity).value


class _Report:
    """What incidents and maintenances share: title, times, updates, affected names."""

    def __init__(
        self,
        report_id: str,
        report: dict[str, Any],
        document: _Document,
        components: dict[str, Component],
    ) -> None:
        self.id = report_id
        self.attributes = _attributes(report, "status report")
        self.name = optional_str(self.attributes, "title") or ""
        self.state = (optional_str(self.attributes, "aggregate_state") or "").strip()
        self.starts_at = parse_time(self.attributes.get("starts_at"))
        self.ends_at = parse_time(self.attributes.get("ends_at"))
        self.components, self.statuses = _affected(self.attributes, components)
        updates = _updates(report, document)
        self.update_count = len(updates)
        latest = newest(updates, lambda update: update[0])
        self.updated_at = latest[0] if latest else None
        self.latest_update_id = latest[1] if latest else None
        self.latest_update = optional_str(latest[2], "message") if latest else None

    @property
    def resolved(self) -> bool:
        return self.state.lower() == RESOLVED_STATE

    def over_by(self, now: datetime) -> bool:
        return self.resolved or (self.ends_at is not None and self.ends_at <= now)


def _incident(report: _Report, url: str | None) -> Incident:
    return Incident(
        id=report.id,
        name=report.name,
        status=report.state.lower() or "unknown",
        impact=_worst(report.statuses),
        url=url,
        created_at=report.starts_at,
        started_at=report.starts_at,
        updated_at=report.updated_at,
        components=report.components,
        latest_update=report.latest_update,
        latest_update_id=report.latest_update_id,
        update_count=report.update_count,
    )


def _maintenance(report: _Report, url: str | None, now: datetime) -> Maintenance:
    if report.over_by(now):
        phase = MaintenancePhase.COMPLETED
    elif report.starts_at is not None and report.starts_at > now:
        phase = MaintenancePhase.SCHEDULED
    else:
        phase = MaintenancePhase.IN_PROGRESS
    return Maintenance(
        id=report.id,
        name=report.name,
        status=("scheduled", "in_progress", "completed")[phase],
        phase=phase,
        url=url,
        starts_at=report.starts_at,
        ends_at=report.ends_at,
        updated_at=report.updated_at,
        components=report.components,
        latest_update=report.latest_update,
        latest_update_id=report.latest_update_id,
    )


def page_of(payload: Any) -> tuple[str, dict[str, Any]]:
    """Return the page's id and attributes; a parse error unless it is a status page."""
    body = require_dict(payload, "index.json")
    data = require_dict(body.get("data"), "data")
    if data.get("type") != PAGE_TYPE:
        raise CloudStatusParseError(
            f"data is a {data.get('type')!r}, not a status page"
        )
    return _require_id(data, "status page"), _attributes(data, "status page")


def parse_index(
    payload: Any, base_url: URL, now: datetime | None = None
) -> tuple[StatusSnapshot, datetime | None]:
    """Turn an index.json body into the snapshot.

    Also returns the next moment a maintenance window starts or ends: the same body
    means another snapshot from then on. `included` must be there (missing or null is
    a parse error); reports that are resolved, or whose end has passed, are not open.
    """
    now = now or datetime.now(UTC)
    page_id, attributes = page_of(payload)
    document = _Document(require_list_at(payload, "included", "index.json"))
    components = _components(document)
    url = base_url_string(base_url)
    name = optional_str(attributes, "company_name")
    page = PageInfo(
        id=page_id,
        name=clean_name(name) if name and name.strip() else url_key(base_url),
        url=url,
        time_zone=optional_str(attributes, "timezone"),
        updated_at=parse_time(attributes.get("updated_at")),
    )
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    boundaries: list[datetime] = []
    for report_id, raw in document.reports.items():
        report = _Report(report_id, raw, document, components)
        if optional_str(report.attributes, "report_type") == MAINTENANCE_REPORT:
            maintenances.append(_maintenance(report, url, now))
            if not report.resolved:
                boundaries.extend(
                    moment
                    for moment in (report.starts_at, report.ends_at)
                    if moment is not None and moment > now
                )
        elif not report.over_by(now):
            incidents.append(_incident(report, url))
            if report.ends_at is not None:
                boundaries.append(report.ends_at)
    raw_state = optional_str(attributes, "aggregate_state")
    reported = _status(raw_state) if raw_state else None
    snapshot = StatusSnapshot(
        page=page,
        components=components,
        incidents=tuple(incidents),
        maintenances=tuple(maintenances),
        indicator=raw_state,
        description=optional_str(attributes, "announcement"),
        reported_status=reported,
        indicator_known=reported is not None
        and reported is not ComponentStatus.UNKNOWN,
    )
    return snapshot, min(boundaries, default=None)
