"""The demo story as an Instatus page: `/instatus/summary.json` and `/instatus/v2/components.json`.

summary.json carries the page state and the open incident and maintenance windows with
JavaScript `Date.toString()` dates (keys left out when their list is empty, as Instatus
does); the component list links members to their group with `group: {id, name}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/instatus"
NAME = "Instatus"

_STATUSES = {
    "operational": "OPERATIONAL",
    "degraded_performance": "DEGRADEDPERFORMANCE",
    "partial_outage": "PARTIALOUTAGE",
    "major_outage": "MAJOROUTAGE",
    "under_maintenance": "UNDERMAINTENANCE",
}
_IMPACTS = {
    "none": "DEGRADEDPERFORMANCE",
    "minor": "PARTIALOUTAGE",
    "major": "MAJOROUTAGE",
    "critical": "MAJOROUTAGE",
}
_MAINTENANCE_STATUSES = {"scheduled": "NOTSTARTEDYET", "in_progress": "INPROGRESS"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
_MONTHS += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def js_date(iso: str) -> str:
    """Write an ISO time the way JavaScript's `Date.toString()` does, in UTC."""
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:02d} "
        f"{moment.year} {moment:%H:%M:%S} GMT+0000 (Coordinated Universal Time)"
    )


def _page_status(summary: dict[str, Any]) -> str:
    indicator = summary.get("status", {}).get("indicator", "none")
    return {"none": "UP", "maintenance": "UNDERMAINTENANCE"}.get(indicator, "HASISSUES")


def summary_json(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the summary.json of the story's current moment."""
    page = summary["page"]
    body: dict[str, Any] = {
        "page": {
            "name": page["name"],
            "url": f"{page['url']}{PREFIX}",
            "status": _page_status(summary),
        }
    }
    incidents = [
        {
            "name": incident["name"],
            "started": js_date(incident["started_at"] or incident["created_at"]),
            "status": incident["status"].upper(),
            "impact": _IMPACTS.get(incident["impact"], "PARTIALOUTAGE"),
            "url": f"{page['url']}{PREFIX}/incident/{incident['id']}",
        }
        for incident in summary.get("incidents", [])
    ]
    maintenances = [
        {
            "name": maintenance["name"],
            "start": js_date(maintenance["scheduled_for"]),
            "status": _MAINTENANCE_STATUSES.get(maintenance["status"], "NOTSTARTEDYET"),
            "duration": str(_minutes(maintenance)),
            "url": f"{page['url']}{PREFIX}/maintenance/{maintenance['id']}",
        }
        for maintenance in summary.get("scheduled_maintenances", [])
        if maintenance["status"] in _MAINTENANCE_STATUSES
    ]
    if incidents:
        body["activeIncidents"] = incidents
    if maintenances:
        body["activeMaintenances"] = maintenances
    return body


def _minutes(maintenance: dict[str, Any]) -> int:
    start = datetime.fromisoformat(maintenance["scheduled_for"])
    end = datetime.fromisoformat(maintenance["scheduled_until"])
    return max(1, round((end - start).total_seconds() / 60))


def components_json(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the v2 component list: groups are components, members link to them."""
    names = {item["id"]: item["name"] for item in summary["components"]}
    return {
        "components": [
            {
                "id": item["id"],
                "name": item["name"],
                "description": item.get("description") or "",
                "status": _STATUSES.get(item["status"], item["status"].upper()),
                "group": (
                    {"id": item["group_id"], "name": names.get(item["group_id"], "")}
                    if item.get("group_id")
                    else None
                ),
            }
            for item in summary["components"]
        ]
    }


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer a GET under /instatus."""
    path = path.strip("/")
    if path == "summary.json":
        return json_answer(summary_json(summary))
    if path == "v2/components.json":
        return json_answer(components_json(summary))
    if path == "":
        return html_answer(
            f"<html><head><title>{summary['page']['name']}</title></head>"
            "<body>An Instatus page of the demo story.</body></html>"
        )
    return None
