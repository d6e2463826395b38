"""The demo story as a Cachet 2.x page: `/cachet/api/v1/…`.

Components that are not groups are Cachet components (integer ids, statuses 1..4),
Statuspage groups are component groups, the open incident is an incident and the
maintenance a schedule. Lists are paged like Cachet's (`page`, `per_page`,
`meta.pagination`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/cachet"
NAME = "Cachet"
_HTML = "<!DOCTYPE html><html><head><title>Cachet</title></head><body></body></html>"
_DEFAULT_PER_PAGE = 20
# Cachet components have no maintenance status: the schedule tells it.
_COMPONENT_STATUS = {
    "operational": 1,
    "under_maintenance": 1,
    "degraded_performance": 2,
    "partial_outage": 3,
    "major_outage": 4,
}
_INCIDENT_STATUS = {"investigating": 1, "identified": 2, "monitoring": 3, "resolved": 4}
_SCHEDULE_STATUS = {"scheduled": 0, "in_progress": 1, "verifying": 1, "completed": 2}


def _time(value: str | None) -> str | None:
    """Cachet's "YYYY-MM-DD HH:MM:SS" (UTC, no zone) of an ISO 8601 time."""
    if not value:
        return None
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")


def lists(summary: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Return every Cachet list of a `summary_at` body, by API path (linear work)."""
    numbers: dict[str, int] = {}
    groups: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for item in summary["components"]:
        numbers[item["id"]] = len(numbers) + 1
        (groups if item["group"] else members).append(item)
    components = [
        {
            "id": numbers[item["id"]],
            "name": item["name"],
            "description": item["description"] or "",
            "link": "",
            "status": _COMPONENT_STATUS.get(item["status"], 0),
            "order": item["position"],
            "group_id": numbers.get(item["group_id"] or "", 0),
            "created_at": _time(item["created_at"]),
            "updated_at": _time(item["updated_at"]),
            "deleted_at": None,
            "enabled": True,
        }
        for item in members
    ]
    component_groups = [
        {"id": numbers[item["id"]], "name": item["name"], "order": item["position"]}
        for item in groups
    ]
    incidents = [
        {
            "id": number,
            "component_id": numbers.get(
                next(iter(item["components"]), {}).get("id", ""), 0
            ),
            "name": item["name"],
            "status": _INCIDENT_STATUS.get(item["status"], 1),
            "visible": 1,
            "message": item["incident_updates"][0]["body"]
            if item["incident_updates"]
            else "",
            "occurred_at": _time(item["started_at"]),
            "created_at": _time(item["created_at"]),
            "updated_at": _time(item["updated_at"]),
        }
        for number, item in enumerate(summary["incidents"], start=1)
    ]
    schedules = [
        {
            "id": number,
            "name": item["name"],
            "message": item["incident_updates"][0]["body"]
            if item["incident_updates"]
            else "",
            "status": _SCHEDULE_STATUS.get(item["status"], 0),
            "scheduled_at": _time(item["scheduled_for"]),
            "completed_at": _time(item["scheduled_until"]),
            "created_at": _time(item["created_at"]),
            "updated_at": _time(item["updated_at"]),
        }
        for number, item in enumerate(summary["scheduled_maintenances"], start=1)
    ]
    return {
        "api/v1/components": components,
        "api/v1/components/groups": component_groups,
        "api/v1/incidents": incidents,
        "api/v1/schedules": schedules,
    }


def _number(query: Mapping[str, str], key: str, default: int) -> int:
    value = query.get(key, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the ping, one page of a list, or the page itself."""
    if path == "api/v1/ping":
        return json_answer({"data": "Pong!"})
    if path == "":
        return html_answer(_HTML)
    if (items := lists(summary).get(path)) is None:
        return None
    page = _number(query, "page", 1)
    per_page = _number(query, "per_page", _DEFAULT_PER_PAGE)
    total_pages = max(1, -(-len(items) // per_page))
    batch = items[(page - 1) * per_page : page * per_page]
    return json_answer(
        {
            "meta": {
                "pagination": {
                    "total": len(items),
                    "count": len(batch),
                    "per_page": per_page,
                    "current_page": page,
                    "total_pages": total_pages,
                    "links": {"next_page": None, "previous_page": None},
                }
            },
            "data": batch,
        }
    )
