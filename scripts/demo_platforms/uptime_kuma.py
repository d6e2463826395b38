"""The demo story as an Uptime Kuma status page: `{PREFIX}/status/demo`.

Statuspage's component groups become public groups (components outside a group go
into "Services"), each component a monitor whose newest beat carries its status; the
open incident is the pinned one and a maintenance in progress is listed, as Uptime
Kuma lists only those.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/kuma"
NAME = "Uptime Kuma"
SLUG = "demo"
PAGE = f"/status/{SLUG}"
UNGROUPED = "Services"

# Normalized status -> heartbeat status (0 DOWN, 1 UP, 2 PENDING, 3 MAINTENANCE).
_BEATS = {
    "operational": 1,
    "degraded_performance": 2,
    "partial_outage": 0,
    "major_outage": 0,
    "under_maintenance": 3,
}
_STYLES = {"minor": "warning", "major": "danger", "critical": "danger"}
_RUNNING = frozenset({"in_progress", "verifying"})


def _kuma_time(iso: str | None) -> str | None:
    """`2026-11-20T10:00:00.000Z` -> `2026-11-20 10:00:00.000` (UTC, no zone)."""
    return iso.replace("T", " ").removesuffix("Z") if iso else None


def _number(text: str) -> int:
    """Return a stable integer id from a Statuspage id (Uptime Kuma's ids are integers)."""
    return int("".join(char for char in text if char.isdigit()) or "0")


def _members(summary: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Return the monitors: every component that is not a group, numbered from 1."""
    members = [item for item in summary["components"] if not item.get("group")]
    return list(enumerate(members, start=1))


def status_page(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the body of `/api/status-page/{slug}`."""
    groups = {
        item["id"]: {
            "id": index,
            "name": item["name"],
            "weight": index,
            "monitorList": [],
        }
        for index, item in enumerate(
            (item for item in summary["components"] if item.get("group")), start=2
        )
    }
    ungrouped: dict[str, Any] = {
        "id": 1,
        "name": UNGROUPED,
        "weight": 1,
        "monitorList": [],
    }
    for number, item in _members(summary):
        group = groups.get(item.get("group_id") or "", ungrouped)
        group["monitorList"].append(
            {"id": number, "name": item["name"], "sendUrl": 0, "type": "http"}
        )
    public = [group for group in (ungrouped, *groups.values()) if group["monitorList"]]
    incident = None
    if summary["incidents"]:
        first = summary["incidents"][0]
        updates = first.get("incident_updates") or []
        incident = {
            "id": _number(first["id"]),
            "style": _STYLES.get(first.get("impact"), "info"),
            "title": first["name"],
            "content": updates[0]["body"] if updates else first["name"],
            "pin": 1,
            "createdDate": _kuma_time(first.get("created_at"))[:19],  # type: ignore[index]
            "lastUpdatedDate": _kuma_time(first.get("updated_at")),
        }
    maintenances = [
        {
            "id": _number(item["id"]),
            "title": item["name"],
            "description": (item.get("incident_updates") or [{}])[0].get("body", ""),
            "strategy": "single",
            "active": True,
            "timeslotList": [
                {
                    "startDate": _kuma_time(item.get("scheduled_for")),
                    "endDate": _kuma_time(item.get("scheduled_until")),
                }
            ],
            "status": "under-maintenance",
        }
        for item in summary["scheduled_maintenances"]
        if item.get("status") in _RUNNING
    ]
    return {
        "config": {
            "slug": SLUG,
            "title": summary["page"]["name"],
            "description": "The Cloud Status demo story, as Uptime Kuma shows it.",
            "icon": "/icon.svg",
            "theme": "light",
            "published": True,
            "showTags": False,
            "customCSS": "",
            "footerText": None,
            "showPoweredBy": True,
            "googleAnalyticsId": None,
            "showCertificateExpiry": False,
        },
        "incident": incident,
        "publicGroupList": public,
        "maintenanceList": maintenances,
    }


def heartbeats(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the body of `/api/status-page/heartbeat/{slug}`: one beat per monitor."""
    beats: dict[str, Any] = {}
    uptime: dict[str, Any] = {}
    for number, item in _members(summary):
        status = _BEATS.get(item["status"], 1)
        beats[str(number)] = [
            {
                "status": status,
                "time": _kuma_time(item.get("updated_at")),
                "msg": "" if status == 1 else item["status"],
                "ping": 42 if status == 1 else None,
            }
        ]
        uptime[f"{number}_24"] = 1 if status == 1 else 0
    return {"heartbeatList": beats, "uptimeList": uptime}


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the page, its configuration and its heartbeats."""
    if path == f"status/{SLUG}":
        title = summary["page"]["name"]
        return html_answer(
            f"<!DOCTYPE html><html><head><title>{title}</title></head></html>"
        )
    if path == f"api/status-page/{SLUG}":
        return json_answer(status_page(summary))
    if path == f"api/status-page/heartbeat/{SLUG}":
        return json_answer(heartbeats(summary))
    return None
