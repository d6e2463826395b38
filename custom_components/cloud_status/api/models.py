"""The provider-neutral snapshot every client produces.

Entities, events and the calendar read only these classes, so a new provider only needs a
client that fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum

# Members of a group are named "Group \u2013 Component" (an en dash).
GROUP_SEPARATOR = " \u2013 "


class ComponentStatus(StrEnum):
    """A component's status, normalized across providers."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNKNOWN = "unknown"

    @classmethod
    def from_raw(cls, value: object) -> ComponentStatus:
        """Map a provider string to a member, case-insensitively; anything else is UNKNOWN."""
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        return cls.UNKNOWN

    @property
    def severity(self) -> int:
        """Rank used to find the worst status (UNKNOWN ranks below everything)."""
        return _SEVERITY[self]

    @property
    def is_problem(self) -> bool:
        """Whether this status counts as a problem (maintenance does not)."""
        return self in _PROBLEM_STATUSES


_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)

_SEVERITY = {
    ComponentStatus.UNKNOWN: -1,
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.UNDER_MAINTENANCE: 1,
    ComponentStatus.DEGRADED_PERFORMANCE: 2,
    ComponentStatus.PARTIAL_OUTAGE: 3,
    ComponentStatus.MAJOR_OUTAGE: 4,
}

_PROBLEM_STATUSES = frozenset(
    status
    for status, severity in _SEVERITY.items()
    if severity >= _SEVERITY[ComponentStatus.DEGRADED_PERFORMANCE]
)

# The states an entity may show; UNKNOWN becomes Home Assistant's own "unknown".
KNOWN_STATUSES: tuple[str, ...] = tuple(
    status.value for status in ComponentStatus if status is not ComponentStatus.UNKNOWN
)


class MaintenancePhase(IntEnum):
    """Where a maintenance window stands."""

    SCHEDULED = 0
    IN_PROGRESS = 1
    COMPLETED = 2


@dataclass(frozen=True, slots=True)
class Component:
    """One monitored component (a component group is a component too)."""

    id: str
    name: str
    status: ComponentStatus
    raw_status: str | None = None
    group_id: str | None = None
    group_name: str | None = None
    is_group: bool = False
    description: str | None = None

    @property
    def display_name(self) -> str:
        """The name users see: "Group \u2013 Component" for members of a known group."""
        if self.group_name:
            return f"{self.group_name}{GROUP_SEPARATOR}{self.name}"
        return self.name


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as the provider reports it."""

    id: str
    name: str
    status: str
    impact: str
    url: str | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    resolved_at: datetime | None = None
    components: tuple[str, ...] = ()
    latest_update: str | None = None
    latest_update_id: str | None = None
    update_count: int = 0

    @property
    def sort_time(self) -> datetime | None:
        """When the incident began, for newest-first ordering."""
        return self.started_at or self.created_at


@dataclass(frozen=True, slots=True)
class Maintenance:
    """A maintenance window (scheduled, in progress or completed)."""

    id: str
    name: str
    status: str
    phase: MaintenancePhase
    impact: str = "maintenance"
    url: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    updated_at: datetime | None = None
    components: tuple[str, ...] = ()
    latest_update: str | None = None
    latest_update_id: str | None = None


@dataclass(frozen=True, slots=True)
class PageInfo:
    """The monitored page or account."""

    id: str
    name: str
    url: str | None = None
    time_zone: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatusSnapshot:
    """Everything one poll learned about a provider."""

    page: PageInfo
    components: dict[str, Component] = field(default_factory=dict)
    incidents: tuple[Incident, ...] = ()
    maintenances: tuple[Maintenance, ...] = ()
    indicator: str | None = None
    description: str | None = None
    # The provider's own overall status, where it reports one besides its components.
    reported_status: ComponentStatus | None = None
    # Providers that report only how many incidents are open and maintenances are in
    # progress (CloudSigma without detail endpoints) set these and leave the lists empty.
    incident_count: int | None = None
    maintenance_count: int | None = None
    # Whether `indicator` is one of the provider's known overall values (Statuspage);
    # it then vouches for the overall status even when no component's status is known.
    indicator_known: bool = False

    @property
    def overall_status(self) -> ComponentStatus:
        """The worst status; under_maintenance while a window is open and nothing is worse.

        Unknown when nothing is known: no component's status, no overall status of the
        provider's own, and no maintenance in progress.
        """
        statuses = [component.status for component in self.components.values()]
        if self.reported_status is not None:
            statuses.append(self.reported_status)
        worst = max(
            statuses, key=_SEVERITY.__getitem__, default=ComponentStatus.UNKNOWN
        )
        if (
            worst.severity < ComponentStatus.UNDER_MAINTENANCE.severity
            and self.maintenance_in_progress
        ):
            return ComponentStatus.UNDER_MAINTENANCE
        if worst is ComponentStatus.UNKNOWN and self.indicator_known:
            return ComponentStatus.OPERATIONAL
        return worst

    @property
    def counts_only(self) -> bool:
        """Whether incidents and maintenances are known only as counts."""
        return self.incident_count is not None or self.maintenance_count is not None

    @property
    def open_incident_count(self) -> int:
        """How many incidents are unresolved."""
        if self.incident_count is not None:
            return self.incident_count
        return len(self.incidents)

    @property
    def maintenance_in_progress(self) -> bool:
        """Whether a maintenance window is in progress."""
        if self.maintenance_count is not None:
            return self.maintenance_count > 0
        return any(
            maintenance.phase is MaintenancePhase.IN_PROGRESS
            for maintenance in self.maintenances
        )

    @property
    def active_maintenances(self) -> tuple[Maintenance, ...]:
        """Maintenances in progress."""
        return tuple(
            m for m in self.maintenances if m.phase is MaintenancePhase.IN_PROGRESS
        )

    @property
    def upcoming_maintenances(self) -> tuple[Maintenance, ...]:
        """Maintenances that have not started, earliest first."""
        scheduled = [
            m for m in self.maintenances if m.phase is MaintenancePhase.SCHEDULED
        ]
        return tuple(
            sorted(
                scheduled,
                key=lambda m: (m.starts_at is None, m.starts_at or _FAR_FUTURE),
            )
        )

    @property
    def has_problem(self) -> bool:
        """Whether anything is degraded or worse, or an incident is open."""
        if self.open_incident_count > 0:
            return True
        if self.reported_status is not None and self.reported_status.is_problem:
            return True
        return any(
            component.status in _PROBLEM_STATUSES
            for component in self.components.values()
        )
