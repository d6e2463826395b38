"""The demo story as Heroku's status feed under `/heroku`.

`/heroku/api/v4/current-status` answers what
`https://status.heroku.com/api/v4/current-status` would. Heroku's own feed has three
systems (Apps, Data, Tools); here every component that is not a group is a system,
named "Group \u2013 Component", so the benchmark's large page stays large. Colors:
operational green, degraded or partial yellow, major red, maintenance blue. A
maintenance is `upcoming` with a `scheduled` update until it starts, then gets a
`maintenance` update.

Heroku is detected by its host, so the demo page is not: an entry reads it when its data
says so, `{"provider": "heroku", "url":
"http://127.0.0.1:8099/heroku/api/v4/current-status"}` (unique id
`heroku:status.heroku.com`, title "Heroku").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/heroku"
NAME = "Heroku"
FEED_PATH = "api/v4/current-status"
_COLORS = {
    "operational": "green",
    "degraded_performance": "yellow",
    "partial_outage": "yellow",
    "major_outage": "red",
    "under_maintenance": "blue",
}
_IMPACT = {"critical": "red", "major": "red", "minor": "yellow", "none": "green"}


def systems(summary: dict[str, Any]) -> list[dict[str, str]]:
    """Return the systems: every component that is not a group (linear in size)."""
    groups = {
        item["id"]: item["name"] for item in summary["components"] if item["group"]
    }
    return [
        {
            "system": f"{groups[item['group_id']]} \u2013 {item['name']}"
            if item.get("group_id") in groups
            else item["name"],
            "status": _COLORS.get(item["status"], "green"),
        }
        for item in summary["components"]
        if not item["group"]
    ]


def _updates(item: dict[str, Any], color: str, kinds: Mapping[str, str]) -> list[Any]:
    return [
        {
            "id": update["id"],
            "incident_id": item["id"],
            "created_at": update.get("created_at"),
            "updated_at": update.get("updated_at"),
            "update_type": kinds.get(update.get("status", ""), update.get("status")),
            "contents": update.get("body"),
            "title": item["name"],
            "status_dev": "green",
            "status_prod": color,
        }
        for update in item.get("incident_updates") or []  # newest first
    ]


def _item(item: dict[str, Any], updates: list[Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "created_at": item.get("created_at"),
        "updated_at": item.get("updated_at"),
        "title": item["name"],
        # Heroku leaves this false on incidents that are over; nobody should trust it.
        "resolved": False,
        "full_url": item.get("shortlink"),
        "updates": updates,
    }


def current_status(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the `current-status` feed for the story's moment."""
    incidents = [
        _item(
            item,
            _updates(item, _IMPACT.get(item.get("impact", ""), "yellow"), {}),
        )
        for item in summary.get("incidents", [])
    ]
    scheduled = [
        {
            **_item(
                item,
                _updates(item, "blue", {"in_progress": "maintenance"}),
            ),
            "upcoming": item["status"] == "scheduled",
        }
        for item in summary.get("scheduled_maintenances", [])
    ]
    return {"status": systems(summary), "incidents": incidents, "scheduled": scheduled}


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the `current-status` feed, and a page that says where it is."""
    path = path.strip("/")
    if path == FEED_PATH:
        return json_answer(current_status(summary))
    if path == "":
        return html_answer(
            "<!DOCTYPE html><html><head><title>Heroku Status (demo)</title></head>"
            f'<body><a href="{PREFIX}/{FEED_PATH}">current-status</a></body></html>'
        )
    return None


def entry_data(base_url: str) -> dict[str, str]:
    """Return the data of the entry that reads this demo (found by real host only)."""
    return {"provider": "heroku", "url": f"{base_url.rstrip('/')}{PREFIX}/{FEED_PATH}"}
