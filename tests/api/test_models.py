"""The provider-neutral snapshot model."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from custom_components.cloud_status.api import (
    KNOWN_STATUSES,
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)

PAGE = PageInfo(id="page", name="Page")
S = ComponentStatus


def _component(cid: str, status: ComponentStatus, **kwargs: object) -> Component:
    return Component(id=cid, name=cid.title(), status=status, **kwargs)  # type: ignore[arg-type]


def _maintenance(
    mid: str, phase: MaintenancePhase, starts_at: datetime | None = None
) -> Maintenance:
    return Maintenance(
        id=mid, name=mid, status=phase.name.lower(), phase=phase, starts_at=starts_at
    )


def _snapshot(
    *statuses: ComponentStatus,
    maintenances: tuple[Maintenance, ...] = (),
    incidents: tuple[Incident, ...] = (),
) -> StatusSnapshot:
    components = {
        f"c{index}": _component(f"c{index}", status)
        for index, status in enumerate(statuses)
    }
    return StatusSnapshot(
        page=PAGE,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("operational", S.OPERATIONAL),
        ("MAJOR_OUTAGE", S.MAJOR_OUTAGE),
        ("Partial_Outage", S.PARTIAL_OUTAGE),
        ("  degraded_performance\n", S.DEGRADED_PERFORMANCE),
        ("under_maintenance", S.UNDER_MAINTENANCE),
        ("Operational_ish", S.UNKNOWN),
        ("major outage", S.UNKNOWN),
        ("", S.UNKNOWN),
        (None, S.UNKNOWN),
        (3, S.UNKNOWN),
    ],
)
def test_status_from_raw(raw: object, expected: ComponentStatus) -> None:
    """Statuses map case-insensitively; anything else is UNKNOWN, never an error."""
    assert ComponentStatus.from_raw(raw) is expected


def test_status_severity_ranking() -> None:
    """Rank: operational < maintenance < degraded < partial < major; unknown lowest."""
    ranked = sorted(ComponentStatus, key=lambda status: status.severity)
    assert ranked == [
        S.UNKNOWN,
        S.OPERATIONAL,
        S.UNDER_MAINTENANCE,
        S.DEGRADED_PERFORMANCE,
        S.PARTIAL_OUTAGE,
        S.MAJOR_OUTAGE,
    ]


def test_status_is_problem() -> None:
    """Degraded or worse is a problem; maintenance and unknown are not."""
    assert {status for status in ComponentStatus if status.is_problem} == {
        S.DEGRADED_PERFORMANCE,
        S.PARTIAL_OUTAGE,
        S.MAJOR_OUTAGE,
    }


def test_known_statuses() -> None:
    """Entities may show every status but UNKNOWN, in rank order."""
    assert KNOWN_STATUSES == (
        "operational",
        "under_maintenance",
        "degraded_performance",
        "partial_outage",
        "major_outage",
    )


def test_display_name() -> None:
    """A member of a known group is "Group <en dash> Component"."""
    member = _component("eu", S.OPERATIONAL, group_id="g", group_name="Regions")
    orphan = _component("eu", S.OPERATIONAL, group_id="gone")
    assert member.display_name == "Regions \u2013 Eu"
    assert orphan.display_name == "Eu"


def test_incident_sort_time() -> None:
    """An incident sorts by started_at, else created_at."""
    created = datetime(2026, 11, 20, 10, tzinfo=UTC)
    started = datetime(2026, 11, 20, 9, tzinfo=UTC)
    incident = Incident(id="i", name="i", status="investigating", impact="minor")
    assert incident.sort_time is None
    assert Incident(
        id="i", name="i", status="s", impact="i", created_at=created
    ).sort_time == (created)
    assert (
        Incident(
            id="i",
            name="i",
            status="s",
            impact="i",
            created_at=created,
            started_at=started,
        ).sort_time
        == started
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), S.UNKNOWN),
        ((S.OPERATIONAL, S.OPERATIONAL), S.OPERATIONAL),
        ((S.OPERATIONAL, S.UNDER_MAINTENANCE), S.UNDER_MAINTENANCE),
        ((S.UNDER_MAINTENANCE, S.DEGRADED_PERFORMANCE), S.DEGRADED_PERFORMANCE),
        ((S.PARTIAL_OUTAGE, S.DEGRADED_PERFORMANCE), S.PARTIAL_OUTAGE),
        ((S.MAJOR_OUTAGE, S.PARTIAL_OUTAGE, S.OPERATIONAL), S.MAJOR_OUTAGE),
        ((S.UNKNOWN,), S.UNKNOWN),
        ((S.UNKNOWN, S.DEGRADED_PERFORMANCE), S.DEGRADED_PERFORMANCE),
    ],
)
def test_overall_status_is_worst_component(
    statuses: tuple[ComponentStatus, ...], expected: ComponentStatus
) -> None:
    """The overall status is the worst component status; UNKNOWN is ignored."""
    assert _snapshot(*statuses).overall_status is expected


@pytest.mark.parametrize(
    ("statuses", "phase", "expected"),
    [
        ((S.OPERATIONAL,), MaintenancePhase.IN_PROGRESS, S.UNDER_MAINTENANCE),
        ((), MaintenancePhase.IN_PROGRESS, S.UNDER_MAINTENANCE),
        ((S.UNKNOWN,), MaintenancePhase.IN_PROGRESS, S.UNDER_MAINTENANCE),
        ((S.OPERATIONAL,), MaintenancePhase.SCHEDULED, S.OPERATIONAL),
        ((S.OPERATIONAL,), MaintenancePhase.COMPLETED, S.OPERATIONAL),
        (
            (S.DEGRADED_PERFORMANCE,),
            MaintenancePhase.IN_PROGRESS,
            S.DEGRADED_PERFORMANCE,
        ),
        ((S.MAJOR_OUTAGE,), MaintenancePhase.IN_PROGRESS, S.MAJOR_OUTAGE),
    ],
)
def test_overall_status_under_maintenance(
    statuses: tuple[ComponentStatus, ...],
    phase: MaintenancePhase,
    expected: ComponentStatus,
) -> None:
    """A maintenance in progress makes it under_maintenance only when nothing is worse."""
    snapshot = _snapshot(*statuses, maintenances=(_maintenance("m", phase),))
    assert snapshot.overall_status is expected


def test_has_problem() -> None:
    """Degraded components and open incidents are problems; maintenance is not."""
    incident = Incident(id="i", name="Outage", status="investigating", impact="none")
    in_progress = (_maintenance("m", MaintenancePhase.IN_PROGRESS),)

    assert not _snapshot(S.OPERATIONAL).has_problem
    assert not _snapshot(S.UNDER_MAINTENANCE, maintenances=in_progress).has_problem
    assert not _snapshot(S.UNKNOWN).has_problem
    assert _snapshot(S.OPERATIONAL, S.DEGRADED_PERFORMANCE).has_problem
    assert _snapshot(S.MAJOR_OUTAGE).has_problem
    assert _snapshot(S.OPERATIONAL, incidents=(incident,)).has_problem


def test_upcoming_and_active_maintenances() -> None:
    """Upcoming: not started, earliest first, undated last; active: in progress."""
    early = datetime(2026, 11, 21, 2, tzinfo=UTC)
    late = datetime(2026, 11, 28, 2, tzinfo=UTC)
    snapshot = _snapshot(
        maintenances=(
            _maintenance("undated", MaintenancePhase.SCHEDULED),
            _maintenance("late", MaintenancePhase.SCHEDULED, late),
            _maintenance("running", MaintenancePhase.IN_PROGRESS, early),
            _maintenance("done", MaintenancePhase.COMPLETED, early),
            _maintenance("early", MaintenancePhase.SCHEDULED, early),
        )
    )

    assert [m.id for m in snapshot.upcoming_maintenances] == [
        "early",
        "late",
        "undated",
    ]
    assert [m.id for m in snapshot.active_maintenances] == ["running"]
    assert _snapshot().upcoming_maintenances == ()
    assert _snapshot().active_maintenances == ()


def test_models_are_frozen() -> None:
    """Snapshots are immutable values."""
    component = _component("c", S.OPERATIONAL)
    with pytest.raises(AttributeError):
        component.status = S.MAJOR_OUTAGE  # type: ignore[misc]


def test_reported_status_joins_the_components() -> None:
    """A provider's own overall status counts like one more component."""
    snapshot = replace(_snapshot(S.OPERATIONAL), reported_status=S.PARTIAL_OUTAGE)
    assert snapshot.overall_status is S.PARTIAL_OUTAGE
    assert snapshot.has_problem

    quiet = replace(_snapshot(S.DEGRADED_PERFORMANCE), reported_status=S.OPERATIONAL)
    assert quiet.overall_status is S.DEGRADED_PERFORMANCE
    unknown = replace(_snapshot(S.OPERATIONAL), reported_status=S.UNKNOWN)
    assert unknown.overall_status is S.OPERATIONAL
    assert not unknown.has_problem


def test_counts_only_snapshot() -> None:
    """Counts stand in for the lists when a provider reports only counts."""
    listed = _snapshot(
        S.OPERATIONAL,
        incidents=(Incident(id="i", name="x", status="investigating", impact="minor"),),
    )
    assert not listed.counts_only
    assert listed.open_incident_count == 1

    counted = replace(_snapshot(S.OPERATIONAL), incident_count=2, maintenance_count=0)
    assert counted.counts_only
    assert counted.open_incident_count == 2
    assert counted.has_problem
    assert not counted.maintenance_in_progress
    assert counted.overall_status is S.OPERATIONAL

    in_maintenance = replace(counted, incident_count=0, maintenance_count=1)
    assert in_maintenance.maintenance_in_progress
    assert not in_maintenance.has_problem
    assert in_maintenance.overall_status is S.UNDER_MAINTENANCE
