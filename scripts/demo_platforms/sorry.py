"""The demo story as a Sorry\u2122 page under `/sorry`: `/api/v1/` and its lists.

Statuspage groups become parents (`parent_id`), the components are served 25 a page
with `meta.next_page`, the open incident is an `unplanned` notice and the maintenance
a `planned` one (`underway` while in progress, else `scheduled`, which is a `future`
notice and so not in `?timeline_state=present`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, json_answer

PREFIX = "/sorry"
NAME = "Sorry\u2122"
PER_PAGE = 25

_STATES = {
    "operational": "operational",
    "degraded_performance": "partially-degraded",
    "partial_outage": "degraded",
    "major_outage": "degraded",
    "under_maintenance": "under_maintenance",
}
_SEVERITY = ("operational", "under_maintenance", "partially-degraded", "degraded")


def _components(summary: dict[str, Any]) -> list[dict[str, Any]]:
    raw = summary.get("components", [])
    numbers = {item["id"]: index for index, item in enumerate(raw, start=1)}
    return [
        {
            "id": numbers[item["id"]],
            "state": _STATES.get(item["status"], item["status"]),
            "name": item["name"],
            "description": item.get("description"),
            "parent_id": numbers.get(item.get("group_id") or ""),
            "created_at": item.get("created_at"),
            "updated_at": item.get("updated_at"),
        }
        for item in raw
    ]


def _page(summary: dict[str, Any], components: list[dict[str, Any]]) -> dict[str, Any]:
    states = [item["state"] for item in components]
    state = max(
        (s for s in states if s in _SEVERITY),
        key=_SEVERITY.index,
        default="operational",
    )
    page = summary["page"]
    return {
        "page": {
            "name": page["name"],
            "state": state,
            "url": page.get("url"),
            "links": {
                "components": {"href": "/v1/components", "count": len(components)},
                "notices": {"href": "/v1/notices", "count": 0},
            },
            "created_at": page.get("updated_at"),
            "updated_at": page.get("updated_at"),
        }
    }


def _notice(item: dict[str, Any], *, planned: bool) -> dict[str, Any]:
    updates = item.get("incident_updates") or [{}]
    if planned:
        underway = item["status"] == "in_progress"
        state, timeline = (
            ("underway", "present") if underway else ("scheduled", "future")
        )
    else:
        state, timeline = item["status"], "present"
    notice: dict[str, Any] = {
        "id": item["id"],
        "type": "planned" if planned else "unplanned",
        "state": state,
        "timeline_state": timeline,
        "subject": item["name"],
        "synopsis": updates[-1].get("body"),
        "latest_update": {
            "id": updates[0].get("id"),
            "content": updates[0].get("body"),
        },
        "link": item.get("shortlink"),
        "began_at": item.get("started_at"),
        "ended_at": None,
        "created_at": item.get("created_at"),
        "updated_at": item.get("updated_at"),
    }
    if planned:
        notice["begins_at"] = item.get("scheduled_for")
        notice["ends_at"] = item.get("scheduled_until")
    return notice


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the page, a page of components, or the notices."""
    path = path.strip("/")
    if path == "api/v1":
        return json_answer(_page(summary, _components(summary)))
    if path == "api/v1/components":
        components = _components(summary)
        number = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 1
        start = (max(1, number) - 1) * PER_PAGE
        batch = components[start : start + PER_PAGE]
        more = start + PER_PAGE < len(components)
        return json_answer(
            {
                "components": batch,
                "meta": {
                    "count": len(batch),
                    "total_count": len(components),
                    "next_page": f"/api/v1/components?page={number + 1}"
                    if more
                    else None,
                },
            }
        )
    if path == "api/v1/notices":
        notices = [
            _notice(item, planned=False) for item in summary.get("incidents", [])
        ]
        notices += [
            _notice(item, planned=True)
            for item in summary.get("scheduled_maintenances", [])
        ]
        if (wanted := query.get("timeline_state")) is not None:
            notices = [n for n in notices if n["timeline_state"] == wanted]
        return json_answer({"notices": notices, "meta": {"next_page": None}})
    return None
