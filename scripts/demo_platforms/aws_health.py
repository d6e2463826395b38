"""The demo story as the AWS Health Dashboard: `/aws_health/public/currentevents`.

Each component that is not a group is a service in one region: the members of the
story's n-th group are in the n-th of `REGIONS` (cycling), the rest in the first. Each
open incident of the story is an open event per region over its services, and a service
that is degraded or worse outside any incident gets an event of its own. The status
codes follow the worst status (1 informational, 2 degraded, 3 disrupted). AWS has no
maintenance windows in this feed. The body is JSON (UTF-8): the demo interface sends
text; the live feed is UTF-16 with a byte-order mark, which the client decodes the same.

Detection claims only `health.aws.amazon.com`; the demo and the bench create the entry
directly with `url` = `http://127.0.0.1:8099/aws_health`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/aws_health"
NAME = "AWS Health"
EVENTS_PATH = "public/currentevents"
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
_HTML = (
    "<!DOCTYPE html><html><head><title>AWS Health Dashboard</title></head>"
    "<body></body></html>"
)
_CODES = {"degraded_performance": 1, "partial_outage": 2, "major_outage": 3}


def regions(summary: dict[str, Any]) -> dict[str, str]:
    """Return each service's region (by its group's position among the groups)."""
    groups = [item["id"] for item in summary["components"] if item["group"]]
    index = {group_id: number for number, group_id in enumerate(groups)}
    return {
        item["id"]: REGIONS[index.get(item["group_id"] or "", 0) % len(REGIONS)]
        for item in summary["components"]
        if not item["group"]
    }


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def _event(
    event_id: str,
    region: str,
    summary: str,
    begin: str,
    affected: list[dict[str, Any]],
) -> dict[str, Any]:
    code = max((_CODES.get(item["status"], 0) for item in affected), default=1) or 1
    when = _epoch(begin)
    return {
        "date": str(when),
        "arn": f"arn:aws:health:{region}::event/DEMO/{event_id}",
        "region_name": region,
        "status": str(code),
        "service": f"multipleservices-{region}",
        "service_name": "Multiple services",
        "summary": summary,
        "event_log": [
            {"summary": summary, "message": summary, "status": code, "timestamp": when}
        ],
        "impacted_services": {
            f"{item['id']}-{region}": {
                "service_name": item["name"],
                "current": str(_CODES.get(item["status"], 0)),
                "max": str(code),
            }
            for item in affected
        },
    }


def events(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the current events of a `summary_at` body (linear in its size)."""
    region_of = regions(summary)
    listed: list[dict[str, Any]] = []
    covered: set[str] = set()
    for incident in summary["incidents"]:
        by_region: dict[str, list[dict[str, Any]]] = {}
        for item in incident["components"]:
            if not item["group"]:
                by_region.setdefault(region_of[item["id"]], []).append(item)
                covered.add(item["id"])
        begin = incident["started_at"] or incident["created_at"]
        listed.extend(
            _event(f"{incident['id']}-{region}", region, incident["name"], begin, items)
            for region, items in by_region.items()
        )
    for item in summary["components"]:
        if item["group"] or item["id"] in covered or item["status"] not in _CODES:
            continue
        region = region_of[item["id"]]
        listed.append(
            _event(
                f"demo{item['id']}", region, item["name"], item["updated_at"], [item]
            )
        )
    return listed


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the current events and the dashboard page."""
    if path == EVENTS_PATH:
        return json_answer(events(summary))
    if path in ("", "health/status"):
        return html_answer(_HTML)
    return None


def entry_data(base_url: str) -> dict[str, Any]:
    """Return the data of the entry that reads this demo (found by real host only)."""
    return {
        "provider": "aws_health",
        "url": f"{base_url.rstrip('/')}{PREFIX}",
        "regions": [],
    }
