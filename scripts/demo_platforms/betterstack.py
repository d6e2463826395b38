"""The demo story as a Better Stack page: `/betterstack/index.json` (JSON:API).

Statuspage groups become sections (top-level components share an unnamed one), the
other components resources (`status_page_section_id` an integer, as Better Stack sends
it), the open incident a `manual` status report with `ends_at: null` and the maintenance
a `maintenance` report, each with its updates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/betterstack"
NAME = "Better Stack"
PAGE_ID = "424242"

_STATUSES = {
    "operational": "operational",
    "degraded_performance": "degraded",
    "partial_outage": "downtime",
    "major_outage": "downtime",
    "under_maintenance": "maintenance",
}
_AGGREGATE = {"none": "operational", "minor": "degraded", "maintenance": "maintenance"}


def _ref(kind: str, item_id: str) -> dict[str, str]:
    return {"id": item_id, "type": kind}


def _report(
    item: dict[str, Any], report_type: str, state: str, ends_at: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    updates = [
        {
            "id": update["id"],
            "type": "status_update",
            "attributes": {
                "message": update["body"],
                "published_at": update["display_at"],
                "published_at_timezone": None,
                "notify_subscribers": True,
                "affected_resources": [],
            },
        }
        for update in item.get("incident_updates", [])
    ]
    report = {
        "id": item["id"],
        "type": "status_report",
        "attributes": {
            "title": item["name"],
            "report_type": report_type,
            "starts_at": item.get("scheduled_for") or item["started_at"],
            "ends_at": ends_at,
            "affected_resources": [
                {
                    "status_page_resource_id": component["id"],
                    "status": _STATUSES.get(component["status"], "downtime"),
                }
                for component in item.get("components", [])
            ],
            "aggregate_state": state,
        },
        "relationships": {
            "status_updates": {
                "data": [_ref("status_update", u["id"]) for u in updates]
            }
        },
    }
    return report, updates


def index_json(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the index.json of the story's current moment."""
    sections: dict[str, int] = {"": 1}
    included: list[dict[str, Any]] = [
        {
            "id": "1",
            "type": "status_page_section",
            "attributes": {"name": "", "position": 0},
        }
    ]
    groups = {
        item["id"]: item["name"] for item in summary["components"] if item.get("group")
    }
    for position, name in enumerate(groups.values(), start=1):
        sections[name] = position + 1
        included.append(
            {
                "id": str(position + 1),
                "type": "status_page_section",
                "attributes": {"name": name, "position": position},
            }
        )
    resources = [item for item in summary["components"] if not item.get("group")]
    for position, item in enumerate(resources):
        included.append(
            {
                "id": item["id"],
                "type": "status_page_resource",
                "attributes": {
                    "status_page_section_id": sections[
                        groups.get(item.get("group_id"), "")
                    ],
                    "resource_type": "Monitor",
                    "public_name": item["name"],
                    "explanation": item.get("description") or "",
                    "position": position,
                    "availability": 1.0,
                    "status": _STATUSES.get(item["status"], item["status"]),
                },
            }
        )
    reports: list[dict[str, Any]] = []
    for incident in summary.get("incidents", []):
        worst = {c["status"] for c in incident.get("components", [])}
        state = "Downtime" if worst & {"partial_outage", "major_outage"} else "Degraded"
        report, updates = _report(incident, "manual", state, None)
        reports.append(report)
        included.extend([report, *updates])
    for maintenance in summary.get("scheduled_maintenances", []):
        report, updates = _report(
            maintenance, "maintenance", "Maintenance", maintenance["scheduled_until"]
        )
        reports.append(report)
        included.extend([report, *updates])
    page = summary["page"]
    indicator = summary.get("status", {}).get("indicator", "none")
    return {
        "data": {
            "id": PAGE_ID,
            "type": "status_page",
            "attributes": {
                "company_name": page["name"],
                "company_url": page["url"],
                "timezone": "UTC",
                "announcement": None,
                "aggregate_state": _AGGREGATE.get(indicator, "downtime"),
                "updated_at": page["updated_at"],
            },
            "relationships": {
                "sections": {
                    "data": [
                        _ref("status_page_section", str(i)) for i in sections.values()
                    ]
                },
                "resources": {
                    "data": [_ref("status_page_resource", r["id"]) for r in resources]
                },
                "status_reports": {
                    "data": [_ref("status_report", r["id"]) for r in reports]
                },
            },
        },
        "included": included,
    }


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer a GET under /betterstack."""
    path = path.strip("/")
    if path == "index.json":
        return json_answer(index_json(summary))
    if path == "":
        return html_answer(
            f"<html><head><title>{summary['page']['name']}</title></head>"
            "<body>A Better Stack page of the demo story.</body></html>"
        )
    return None
