"""The demo story as the Google Cloud Service Health feed: `/google_cloud/incidents.json`.

Every component that is not a group is a product (`products.json`). Each open incident
of the story is an open Google incident over its products, and a product that is
degraded or worse outside any incident gets an incident of its own; its `status_impact`
follows the worst status of its products. Google has no maintenance windows.

Detection claims only `status.cloud.google.com`; the demo and the bench create the entry
directly with `url` = `http://127.0.0.1:8099/google_cloud`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/google_cloud"
NAME = "Google Cloud"
_HTML = (
    "<!DOCTYPE html><html><head><title>Google Cloud Service Health</title></head>"
    "<body></body></html>"
)
# A component's status as Google's status_impact (the client maps it back).
_IMPACTS = {
    "degraded_performance": "SERVICE_INFORMATION",
    "partial_outage": "SERVICE_DISRUPTION",
    "major_outage": "SERVICE_OUTAGE",
}
_SEVERITY = {"SERVICE_INFORMATION": "low", "SERVICE_DISRUPTION": "medium"}
_RANK = ("SERVICE_INFORMATION", "SERVICE_DISRUPTION", "SERVICE_OUTAGE")


def products(summary: dict[str, Any]) -> list[dict[str, str]]:
    """Return the products: every component that is not a group."""
    return [
        {"id": item["id"], "title": item["name"]}
        for item in summary["components"]
        if not item["group"]
    ]


def _incident(
    incident_id: str, name: str, begin: str, affected: list[dict[str, Any]]
) -> dict[str, Any]:
    impacts = [
        _IMPACTS[item["status"]] for item in affected if item["status"] in _IMPACTS
    ]
    impact = max(impacts, key=_RANK.index, default="SERVICE_INFORMATION")
    return {
        "id": incident_id,
        "service_name": "Multiple Products"
        if len(affected) > 1
        else affected[0]["name"],
        "begin": begin,
        "end": None,
        "created": begin,
        "modified": begin,
        "severity": _SEVERITY.get(impact, "high"),
        "status_impact": impact,
        "external_desc": name,
        "uri": f"incidents/{incident_id}",
        "affected_products": [{"id": c["id"], "title": c["name"]} for c in affected],
        "most_recent_update": {
            "created": begin,
            "modified": begin,
            "text": name,
            "status": impact,
        },
    }


def incidents(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the open incidents of a `summary_at` body (linear in its size)."""
    listed: list[dict[str, Any]] = []
    covered: set[str] = set()
    for incident in summary["incidents"]:
        affected = [item for item in incident["components"] if not item["group"]]
        if not affected:
            continue
        covered.update(item["id"] for item in affected)
        listed.append(
            _incident(
                incident["id"],
                incident["name"],
                incident["started_at"] or incident["created_at"],
                affected,
            )
        )
    for item in summary["components"]:
        if item["group"] or item["id"] in covered or item["status"] not in _IMPACTS:
            continue
        listed.append(
            _incident(f"demo{item['id']}", item["name"], item["updated_at"], [item])
        )
    return listed


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer incidents.json, products.json and the dashboard page."""
    if path == "incidents.json":
        return json_answer(incidents(summary))
    if path == "products.json":
        return json_answer({"products": products(summary)})
    if path == "":
        return html_answer(_HTML)
    return None


def entry_data(base_url: str) -> dict[str, Any]:
    """Return the data of the entry that reads this demo (found by real host only)."""
    return {
        "provider": "google_cloud",
        "url": f"{base_url.rstrip('/')}{PREFIX}",
        "products": [],
    }
