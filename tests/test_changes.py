"""Change detection between two successive snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from custom_components.cloud_status.api import (
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from custom_components.cloud_status.changes import (
    INCIDENT_CREATED,
    INCIDENT_EVENT_TYPES,
    INCIDENT_RESOLVED,
    INCIDENT_UPDATED,
    MAINTENANCE_COMPLETED,
    MAINTENANCE_EVENT_TYPES,
    MAINTENANCE_SCHEDULED,
    MAINTENANCE_STARTED,
    ChangeKind,
    StatusChange,
    diff_snapshots,
    incident_event_data,
    maintenance_event_data,
)

PAGE = PageInfo(id="page", name="Page", url="https://status.example.com")
STARTS = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
ENDS = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
# During the window: a scheduled window that vanishes now has had its chance to run.
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)

INCIDENT = Incident(
    id="inc-1",
    name="Elevated errors",
    status="investigating",
    impact="minor",
    url="https://stspg.io/inc1",
    latest_update="We are investigating.",
    latest_update_id="upd-1",
    update_count=1,
)
OTHER_INCIDENT = Incident(
    id="inc-2", name="Slow API", status="identified", impact="major"
)

_PHASE_STATUS = {
    MaintenancePhase.SCHEDULED: "scheduled",
    MaintenancePhase.IN_PROGRESS: "in_progress",
    MaintenancePhase.COMPLETED: "completed",
}


def _maintenance(
    phase: MaintenancePhase, mid: str = "mnt-1", status: str | None = None
) -> Maintenance:
    return Maintenance(
        id=mid,
        name="Database upgrade",
        status=status or _PHASE_STATUS[phase],
        phase=phase,
        url="https://stspg.io/mnt1",
        starts_at=STARTS,
        ends_at=ENDS,
    )


def _snapshot(
    incidents: tuple[Incident, ...] = (), maintenances: tuple[Maintenance, ...] = ()
) -> StatusSnapshot:
    return StatusSnapshot(page=PAGE, incidents=incidents, maintenances=maintenances)


def _types(changes: tuple[StatusChange, ...]) -> list[tuple[ChangeKind, str, str]]:
    return [(c.kind, c.event_type, c.data["id"]) for c in changes]


def test_event_type_lists() -> None:
    """The event entities offer exactly the documented types."""
    assert INCIDENT_EVENT_TYPES == [
        "incident_created",
        "incident_updated",
        "incident_resolved",
    ]
    assert MAINTENANCE_EVENT_TYPES == [
        "maintenance_scheduled",
        "maintenance_started",
        "maintenance_completed",
    ]


def test_identical_snapshots_give_nothing() -> None:
    """Nothing changed, nothing fires."""
    snapshot = _snapshot(
        (INCIDENT, OTHER_INCIDENT),
        (
            _maintenance(MaintenancePhase.SCHEDULED),
            _maintenance(MaintenancePhase.IN_PROGRESS, "mnt-2"),
            _maintenance(MaintenancePhase.COMPLETED, "mnt-3"),
        ),
    )
    assert diff_snapshots(snapshot, snapshot, NOW) == ()
    assert diff_snapshots(_snapshot(), _snapshot(), NOW) == ()


def test_incident_created() -> None:
    """A new unresolved incident fires incident_created with its data."""
    changes = diff_snapshots(_snapshot(), _snapshot((INCIDENT,)), NOW)

    assert changes == (
        StatusChange(
            kind=ChangeKind.INCIDENT,
            event_type=INCIDENT_CREATED,
            data={
                "id": "inc-1",
                "name": "Elevated errors",
                "status": "investigating",
                "impact": "minor",
                "url": "https://stspg.io/inc1",
            },
        ),
    )


@pytest.mark.parametrize(
    "changed",
    [
        replace(
            INCIDENT,
            latest_update="Fix deployed.",
            latest_update_id="upd-2",
            update_count=2,
        ),
        replace(INCIDENT, latest_update_id="upd-2"),
        replace(INCIDENT, update_count=2),
        replace(INCIDENT, status="identified"),
        replace(INCIDENT, impact="major"),
    ],
    ids=["new-update", "update-id", "update-count", "status", "impact"],
)
def test_incident_updated(changed: Incident) -> None:
    """A new update, a status change or an impact change fires incident_updated once."""
    changes = diff_snapshots(_snapshot((INCIDENT,)), _snapshot((changed,)), NOW)

    assert _types(changes) == [(ChangeKind.INCIDENT, INCIDENT_UPDATED, "inc-1")]
    assert changes[0].data == incident_event_data(changed)
    assert changes[0].data["status"] == changed.status
    assert changes[0].data["impact"] == changed.impact


def test_incident_name_or_time_change_is_not_an_update() -> None:
    """Only updates, status and impact count; a renamed incident fires nothing."""
    renamed = replace(
        INCIDENT, name="Renamed", updated_at=datetime(2026, 11, 20, tzinfo=UTC)
    )
    assert diff_snapshots(_snapshot((INCIDENT,)), _snapshot((renamed,)), NOW) == ()


def test_incident_resolved_on_vanish() -> None:
    """An incident that leaves the unresolved list fires incident_resolved, status resolved."""
    changes = diff_snapshots(
        _snapshot((INCIDENT, OTHER_INCIDENT)), _snapshot((OTHER_INCIDENT,)), NOW
    )

    assert _types(changes) == [(ChangeKind.INCIDENT, INCIDENT_RESOLVED, "inc-1")]
    assert changes[0].data == {
        "id": "inc-1",
        "name": "Elevated errors",
        "status": "resolved",
        "impact": "minor",
        "url": "https://stspg.io/inc1",
    }


def test_maintenance_scheduled_started_completed() -> None:
    """A window is announced, starts and completes: one event per step."""
    nothing = _snapshot()
    scheduled = _snapshot(maintenances=(_maintenance(MaintenancePhase.SCHEDULED),))
    started = _snapshot(maintenances=(_maintenance(MaintenancePhase.IN_PROGRESS),))
    verifying = _snapshot(
        maintenances=(_maintenance(MaintenancePhase.IN_PROGRESS, status="verifying"),)
    )
    completed = _snapshot(maintenances=(_maintenance(MaintenancePhase.COMPLETED),))

    first = diff_snapshots(nothing, scheduled, NOW)
    assert _types(first) == [(ChangeKind.MAINTENANCE, MAINTENANCE_SCHEDULED, "mnt-1")]
    assert first[0].data == {
        "id": "mnt-1",
        "name": "Database upgrade",
        "status": "scheduled",
        "impact": "maintenance",
        "url": "https://stspg.io/mnt1",
        "starts_at": "2026-11-27T07:00:00+00:00",
        "ends_at": "2026-11-27T09:00:00+00:00",
    }

    second = diff_snapshots(scheduled, started, NOW)
    assert _types(second) == [(ChangeKind.MAINTENANCE, MAINTENANCE_STARTED, "mnt-1")]
    assert second[0].data["status"] == "in_progress"

    assert diff_snapshots(started, verifying, NOW) == ()

    third = diff_snapshots(verifying, completed, NOW)
    assert _types(third) == [(ChangeKind.MAINTENANCE, MAINTENANCE_COMPLETED, "mnt-1")]
    assert third[0].data["status"] == "completed"

    assert diff_snapshots(completed, completed, NOW) == ()
    assert diff_snapshots(completed, nothing, NOW) == ()


def test_maintenance_completed_on_vanish() -> None:
    """A window that disappears while in progress fires maintenance_completed."""
    running = _snapshot(maintenances=(_maintenance(MaintenancePhase.IN_PROGRESS),))

    changes = diff_snapshots(running, _snapshot(), NOW)

    assert _types(changes) == [(ChangeKind.MAINTENANCE, MAINTENANCE_COMPLETED, "mnt-1")]
    assert changes[0].data["status"] == "completed"
    assert changes[0].data["starts_at"] == "2026-11-27T07:00:00+00:00"


def test_maintenance_first_seen_in_progress_fires_started() -> None:
    """A window first seen already running fires maintenance_started."""
    changes = diff_snapshots(
        _snapshot(),
        _snapshot(maintenances=(_maintenance(MaintenancePhase.IN_PROGRESS),)),
        NOW,
    )
    assert _types(changes) == [(ChangeKind.MAINTENANCE, MAINTENANCE_STARTED, "mnt-1")]


def test_maintenance_scheduled_straight_to_completed() -> None:
    """A window seen scheduled and next completed fires maintenance_completed."""
    changes = diff_snapshots(
        _snapshot(maintenances=(_maintenance(MaintenancePhase.SCHEDULED),)),
        _snapshot(maintenances=(_maintenance(MaintenancePhase.COMPLETED),)),
        NOW,
    )
    assert _types(changes) == [(ChangeKind.MAINTENANCE, MAINTENANCE_COMPLETED, "mnt-1")]


def test_completed_maintenance_never_fires_again() -> None:
    """First seen completed, or reopened after completion: no event."""
    completed = _snapshot(maintenances=(_maintenance(MaintenancePhase.COMPLETED),))
    reopened = _snapshot(maintenances=(_maintenance(MaintenancePhase.IN_PROGRESS),))

    assert diff_snapshots(_snapshot(), completed, NOW) == ()
    assert diff_snapshots(completed, reopened, NOW) == ()


def test_maintenance_without_dates() -> None:
    """A window without times sends null starts_at and ends_at."""
    undated = Maintenance(
        id="m", name="TBA", status="scheduled", phase=MaintenancePhase.SCHEDULED
    )
    data = maintenance_event_data(undated)
    assert data["starts_at"] is None
    assert data["ends_at"] is None
    assert data["url"] is None
    assert diff_snapshots(_snapshot(), _snapshot(maintenances=(undated,)), NOW)[
        0
    ].data == (data)


def test_order_incidents_then_maintenances() -> None:
    """Incidents come first (new and updated in provider order, then resolved), then maintenances."""
    updated = replace(OTHER_INCIDENT, status="monitoring")
    brand_new = Incident(id="inc-3", name="New", status="investigating", impact="none")
    old = _snapshot(
        (INCIDENT, OTHER_INCIDENT),
        (
            _maintenance(MaintenancePhase.SCHEDULED, "mnt-1"),
            _maintenance(MaintenancePhase.IN_PROGRESS, "mnt-gone"),
        ),
    )
    new = _snapshot(
        (brand_new, updated),
        (
            _maintenance(MaintenancePhase.SCHEDULED, "mnt-new"),
            _maintenance(MaintenancePhase.IN_PROGRESS, "mnt-1"),
        ),
    )

    assert _types(diff_snapshots(old, new, NOW)) == [
        (ChangeKind.INCIDENT, INCIDENT_CREATED, "inc-3"),
        (ChangeKind.INCIDENT, INCIDENT_UPDATED, "inc-2"),
        (ChangeKind.INCIDENT, INCIDENT_RESOLVED, "inc-1"),
        (ChangeKind.MAINTENANCE, MAINTENANCE_SCHEDULED, "mnt-new"),
        (ChangeKind.MAINTENANCE, MAINTENANCE_STARTED, "mnt-1"),
        (ChangeKind.MAINTENANCE, MAINTENANCE_COMPLETED, "mnt-gone"),
    ]


def test_scheduled_maintenance_vanishing_before_its_start_is_cancelled() -> None:
    """A window dropped before it was due fires maintenance_completed as cancelled."""
    scheduled = _maintenance(MaintenancePhase.SCHEDULED)
    early = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    changes = diff_snapshots(_snapshot(maintenances=(scheduled,)), _snapshot(), early)
    assert [(c.event_type, c.data["status"]) for c in changes] == [
        (MAINTENANCE_COMPLETED, "cancelled")
    ]
    # Once its start has passed, the page dropping it means it was done.
    changes = diff_snapshots(_snapshot(maintenances=(scheduled,)), _snapshot(), NOW)
    assert [(c.event_type, c.data["status"]) for c in changes] == [
        (MAINTENANCE_COMPLETED, "completed")
    ]


def test_counts_only_snapshots_give_nothing() -> None:
    """Switching between lists and counts is not every incident resolving."""
    listed = _snapshot((INCIDENT, OTHER_INCIDENT))
    counted = replace(_snapshot(), incident_count=2, maintenance_count=0)

    assert diff_snapshots(listed, counted, NOW) == ()
    assert diff_snapshots(counted, listed, NOW) == ()
    assert diff_snapshots(counted, replace(counted, incident_count=0), NOW) == ()
