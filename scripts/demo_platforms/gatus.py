"""The demo story as a Gatus instance: `/gatus/api/v1/endpoints/statuses`.

Every component that is not a group is an endpoint, named after its group; its newest
result follows the component's status. Gatus pages results, not endpoints: page 1 holds
each endpoint's newest result, later pages older (here: none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Answer, html_answer, json_answer

PREFIX = "/gatus"
NAME = "Gatus"
STATUSES_PATH = "api/v1/endpoints/statuses"
_HTML = "<!DOCTYPE html><html><head><title>Gatus</title></head><body></body></html>"
# (success, condition outcomes) of the newest result for each normalized status.
_RESULTS: dict[str, tuple[bool, tuple[bool, ...]]] = {
    "operational": (True, (True, True)),
    "under_maintenance": (True, (True, True)),
    "degraded_performance": (False, (True, False)),
    "partial_outage": (False, (True, False)),
    "major_outage": (False, (False, False)),
}
_CONDITIONS = ("[STATUS] == 200", "[RESPONSE_TIME] < 500")


def _key(group: str, name: str) -> str:
    """Gatus's key: `<group>_<name>` with ` /_,.#+&` replaced by `-`."""
    table = str.maketrans(dict.fromkeys(" /_,.#+&", "-"))
    return f"{group.lower().translate(table)}_{name.lower().translate(table)}"


def endpoints(summary: dict[str, Any], *, with_results: bool = True) -> list[Any]:
    """Return the endpoint statuses of a `summary_at` body (linear in its size)."""
    groups = {
        item["id"]: item["name"] for item in summary["components"] if item["group"]
    }
    listed: list[Any] = []
    for item in summary["components"]:
        if item["group"]:
            continue
        group = groups.get(item["group_id"] or "", "")
        success, outcomes = _RESULTS.get(item["status"], (False, (False, False)))
        result = {
            "status": 200 if success else 503,
            "hostname": "demo.invalid",
            "duration": 25_000_000,
            "conditionResults": [
                {"condition": condition, "success": outcome}
                for condition, outcome in zip(_CONDITIONS, outcomes, strict=True)
            ],
            "success": success,
            "timestamp": item["updated_at"],
        }
        listed.append(
            {
                "name": item["name"],
                "group": group,
                "key": _key(group, item["name"]),
                "results": [result] if with_results else [],
            }
        )
    return listed


def respond(
    path: str, query: Mapping[str, str], summary: dict[str, Any]
) -> Answer | None:
    """Answer the endpoint statuses (page 1 has the newest results) and the page."""
    if path == STATUSES_PATH:
        return json_answer(
            endpoints(summary, with_results=query.get("page", "1") == "1")
        )
    if path == "":
        return html_answer(_HTML)
    return None
