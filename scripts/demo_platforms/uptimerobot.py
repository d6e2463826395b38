"""The demo story as an UptimeRobot status page: `{PREFIX}`, its API under it.

The page's HTML names the monitor list (`window.pspApiPath`, relative here, as the demo
does not know its own host); Statuspage's component groups become monitor groups
(others are in "Monitors (default)", id 0), the open incident and the maintenance are
events of the feed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/uptimerobot"
NAME = "UptimeRobot"
TOKEN = "demoR0b0tPage"  # noqa: S105 (a public page token)
DEFAULT_GROUP = "Monitors (default)"

_CLASSES = {
    "operational": "success",
    "degraded_performance": "warning",
    "partial_outage": "warning",
    "major_outage": "danger",
    "under_maintenance": "paused",
}
_RUNNING = frozenset({"in_progress", "verifying"})


def page_html(summary: dict[str, Any]) -> str:
    """Return the page: a title and the pointers to its API."""
    api = f"{PREFIX}/api"
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{summary['page']['name']}</title></head><body><script>"
        f"window.pspApiPath = '{api}/getMonitorList/{TOKEN}';"
        f"window.eventsApiPath = '{api}/getEventFeed/{TOKEN}';"
        "</script></body></html>"
    )


def monitor_list(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the body of getMonitorList: every component that is not a group."""
    groups = {
        item["id"]: (index, item["name"])
        for index, item in enumerate(
            (item for item in summary["components"] if item.get("group")), start=1
        )
    }
    data = []
    members = (item for item in summary["components"] if not item.get("group"))
    for number, item in enumerate(members, start=1):
        group_id, group_name = groups.get(
            item.get("group_id") or "", (0, DEFAULT_GROUP)
        )
        data.append(
            {
                "monitorId": 800000000 + number,
                "name": item["name"],
                "statusClass": _CLASSES.get(item["status"], "success"),
                "groupId": group_id,
                "groupName": group_name,
                "dailyRatios": [],
                "30dRatio": {"ratio": "100.000", "label": "success"},
                "lastDowntime": None,
            }
        )
    return {"status": "ok", "data": data}


def _event(
    item: dict[str, Any], kind: str, at: str | None, status: int
) -> dict[str, Any]:
    moment = datetime.fromisoformat(at) if at else None
    updates = item.get("incident_updates") or []
    return {
        "type": kind,
        "id": int("".join(char for char in item["id"] if char.isdigit()) or "0"),
        "title": item["name"],
        "content": updates[0]["body"] if updates else "",
        "date": f"{moment:%b} {moment.day}, {moment.year}" if moment else "",
        "time": f"{moment:%H:%M}" if moment else "",
        "timestamp": int(moment.timestamp()) if moment else None,
        "status": status,
        "endDate": None,
    }


def event_feed(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the body of getEventFeed: the open incident and the maintenance."""
    results = [
        _event(item, "incident", item.get("started_at") or item.get("created_at"), 0)
        for item in summary["incidents"]
    ]
    results.extend(
        _event(
            item,
            "maintenance",
            item.get("scheduled_for"),
            1 if item.get("status") in _RUNNING else 0,
        )
        for item in summary["scheduled_maintenances"]
    )
    return {"status": True, "results": results}


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the page and its two API endpoints."""
    if path == "":
        return html_answer(page_html(summary))
    if path == f"api/getMonitorList/{TOKEN}":
        return json_answer(monitor_list(summary))
    if path == f"api/getEventFeed/{TOKEN}":
        return json_answer(event_feed(summary))
    return None
