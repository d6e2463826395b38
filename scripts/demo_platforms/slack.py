"""The demo story as Slack's status feed under `/slack`.

`/slack/api/v2.0.0/current` answers what `https://slack-status.com/api/v2.0.0/current`
would. Slack's feed lists only the services an open issue touches, so each open incident
is an issue (`outage` for a major or critical impact, `incident` for a minor one, a
`notice` for none) naming its components as services, and each component that is worse
than operational without an incident naming it gets an issue of its own. A maintenance
is an issue of type `notice`: `scheduled` until it starts, `active` while it runs.

Slack is detected by its host, so the demo page is not: an entry reads it when its data
says so, `{"provider": "slack", "url": "http://127.0.0.1:8099/slack/api/v2.0.0/current"}`
(unique id `slack:slack-status.com`, title "Slack").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/slack"
NAME = "Slack"
FEED_PATH = "api/v2.0.0/current"
_TYPES = {"critical": "outage", "major": "outage", "minor": "incident"}
_WORSE = {"degraded_performance", "partial_outage", "major_outage"}


def _names(summary: dict[str, Any]) -> dict[str, str]:
    """Return each component's display name ("Group \u2013 Component")."""
    groups = {
        item["id"]: item["name"] for item in summary["components"] if item["group"]
    }
    return {
        item["id"]: f"{groups[item['group_id']]} \u2013 {item['name']}"
        if item.get("group_id") in groups
        else item["name"]
        for item in summary["components"]
    }


def _notes(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"date_created": update.get("created_at"), "body": update.get("body")}
        for update in item.get("incident_updates") or []
    ]


def _issue(
    item: dict[str, Any], kind: str, status: str, services: list[str]
) -> dict[str, Any]:
    return {
        "id": item["id"],
        "date_created": item.get("started_at") or item.get("created_at"),
        "date_updated": item.get("updated_at"),
        "title": item["name"],
        "type": kind,
        "status": status,
        "url": item.get("shortlink"),
        "services": services,
        "notes": _notes(item),
    }


def current(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the `current` feed for the story's moment (linear in its size)."""
    names = _names(summary)
    issues: list[dict[str, Any]] = []
    named: set[str] = set()
    for item in summary.get("incidents", []):
        ids = [c["id"] for c in item.get("components") or []]
        named.update(ids)
        kind = _TYPES.get(item.get("impact", ""), "notice")
        issues.append(_issue(item, kind, "active", [names.get(i, i) for i in ids]))
    updated = summary["page"].get("updated_at")
    for component in summary["components"]:
        if component["status"] in _WORSE and component["id"] not in named:
            issue = {
                "id": f"c-{component['id']}",
                "name": f"{names[component['id']]}: {component['status']}",
                "created_at": component.get("updated_at"),
                "updated_at": component.get("updated_at"),
            }
            kind = "outage" if component["status"] == "major_outage" else "incident"
            issues.append(_issue(issue, kind, "active", [names[component["id"]]]))
    for item in summary.get("scheduled_maintenances", []):
        status = "active" if item["status"] == "in_progress" else "scheduled"
        services = [names.get(c["id"], c["id"]) for c in item.get("components") or []]
        issues.append(_issue(item, "notice", status, services))
    return {
        "status": "active" if issues else "ok",
        "date_created": updated,
        "date_updated": updated,
        "active_incidents": issues,
    }


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the `current` feed, and a page that says where it is."""
    path = path.strip("/")
    if path == FEED_PATH:
        return json_answer(current(summary))
    if path == "":
        return html_answer(
            "<!DOCTYPE html><html><head><title>Slack Status (demo)</title></head>"
            f'<body><a href="{PREFIX}/{FEED_PATH}">current</a></body></html>'
        )
    return None


def entry_data(base_url: str) -> dict[str, str]:
    """Return the data of the entry that reads this demo (found by real host only)."""
    return {"provider": "slack", "url": f"{base_url.rstrip('/')}{PREFIX}/{FEED_PATH}"}
