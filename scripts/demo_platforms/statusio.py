"""The demo story as a Status.io page under `/statusio`.

The page (`/statusio`) is HTML that names the page id in an `api.status.io` address;
`/statusio/1.0/status/{id}` answers what `https://api.status.io/1.0/status/{id}` would.
Statuspage groups become components whose containers are the group's members; the
other components have no containers. The client reads the real API host, so an entry
made from this page polls api.status.io: offline, this demo serves detection and the
benchmark, not a running entry.
"""

from __future__ import annotations

from collections.abc import Mapping
import hashlib
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/statusio"
NAME = "Status.io"

_CODES = {
    "operational": (100, "Operational"),
    "under_maintenance": (200, "Planned Maintenance"),
    "degraded_performance": (300, "Degraded Performance"),
    "partial_outage": (400, "Partial Service Disruption"),
    "major_outage": (500, "Service Disruption"),
}


def page_id(summary: dict[str, Any]) -> str:
    """Return the demo page's 24-hex id, derived from the story's page id."""
    return hashlib.sha256(str(summary["page"]["id"]).encode()).hexdigest()[:24]


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    code, text = _CODES.get(item["status"], (100, "Operational"))
    return {
        "id": item["id"],
        "name": item["name"],
        "updated": item.get("updated_at"),
        "status": text,
        "status_code": code,
    }


def _messages(item: dict[str, Any], status: int) -> list[dict[str, Any]]:
    states = {"investigating": 100, "identified": 200, "monitoring": 300}
    return [
        {
            "details": update.get("body"),
            "state": states.get(update.get("status", ""), 100),
            "status": status,
            "datetime": update.get("display_at") or update.get("created_at"),
        }
        for update in reversed(item.get("incident_updates") or [])
    ]


def _affected(item: dict[str, Any]) -> list[dict[str, str]]:
    return [{"name": c["name"], "_id": c["id"]} for c in item.get("components") or []]


def status_body(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the status API's answer for the story's moment."""
    raw = summary.get("components", [])
    members: dict[str, list[dict[str, Any]]] = {}
    for item in raw:
        if item.get("group_id"):
            members.setdefault(item["group_id"], []).append(_entry(item))
    status = [
        {**_entry(item), "containers": members.get(item["id"], [])}
        for item in raw
        if not item.get("group_id")
    ]
    worst = max((entry["status_code"] for entry in status), default=100)
    overall_text = next(t for c, t in _CODES.values() if c == worst)
    incidents = [
        {
            "name": item["name"],
            "_id": item["id"],
            "datetime_open": item.get("started_at") or item.get("created_at"),
            "messages": _messages(item, 400),
            "containers_affected": [],
            "components_affected": _affected(item),
        }
        for item in summary.get("incidents", [])
    ]
    active, upcoming = [], []
    for item in summary.get("scheduled_maintenances", []):
        window = {
            "name": item["name"],
            "_id": item["id"],
            "datetime_open": item.get("created_at"),
            "datetime_planned_start": item.get("scheduled_for"),
            "datetime_planned_end": item.get("scheduled_until"),
            "messages": _messages(item, 200),
            "containers_affected": [],
            "components_affected": _affected(item),
        }
        (active if item["status"] == "in_progress" else upcoming).append(window)
    return {
        "result": {
            "status_overall": {
                "updated": summary["page"].get("updated_at"),
                "status": overall_text,
                "status_code": worst,
            },
            "status": status,
            "incidents": incidents,
            "maintenance": {"active": active, "upcoming": upcoming},
        }
    }


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the page's HTML or the status API."""
    identifier = page_id(summary)
    path = path.strip("/")
    if path == "":
        return html_answer(
            "<!DOCTYPE html><html><head>"
            f"<title>{summary['page']['name']}</title></head><body>"
            # The demo serves the status API itself, so the page names this mirror.
            f'<script src="{PREFIX}/1.0/status/{identifier}"></script>'
            "<p>Powered by Status.io</p></body></html>"
        )
    if path == f"1.0/status/{identifier}":
        return json_answer(status_body(summary))
    return None
