"""A local Atlassian Statuspage look-alike for trying Cloud Status without the internet.

It serves `GET /api/v2/summary.json` in the Statuspage v2 shape, with ETag and
Last-Modified validators (304 on If-None-Match / If-Modified-Since). What it reports is a
pure function of the time since the story started, repeating every cycle (600 s by
default). The story starts when a status page of the server is first read (any data
path: summary.json, CloudSigma's API or a platform's page under its prefix), which is
what adding the page in Home Assistant does; the HTML index page does not start it.
`--start-at-launch` starts it with the server instead. With a cycle of 10 minutes, in
minutes since that first read:

    minute 0-2  all operational; a maintenance is scheduled for minute 7
    minute 2    incident "Elevated API error rates" opens (investigating):
                API partial_outage, Regions - EU West degraded_performance
    minute 4    incident update: identified
    minute 5    incident update: monitoring
    minute 6    incident resolved (it leaves the summary), components operational
    minute 7-9  maintenance in progress, Website under_maintenance
    minute 9    maintenance completed (it leaves the summary); next cycle's maintenance
                is scheduled

The same story is also told in the shape of CloudSigma's public status API:
`GET /api/v1/status` (the worst component status, counts per status, open incidents,
maintenances in progress) and `GET /api/v1/components?page=N&per_page=M` (a bare list of
the components that are not groups; EU West's status is sent upper-case). There are no
incident or maintenance lists (`/api/v1/incidents` is a 404), so Cloud Status reads it in
count-only mode. Unknown paths answer 404 with CloudSigma's `{"detail": "Not Found"}`.

Run it with `python scripts/demo_status_server.py --port 8099` (aiohttp and the standard
library only) and add `http://127.0.0.1:8099` in Home Assistant as an Atlassian Statuspage,
or as a CloudSigma status page without an API key.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
import hashlib
import html
from itertools import pairwise
import json
import logging
from pathlib import Path
import re
import sys
import time
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Handler

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_platforms

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8099
DEFAULT_CYCLE_SECONDS: Final = 600.0
MIN_CYCLE_SECONDS: Final = 10.0
SUMMARY_PATH: Final = "/api/v2/summary.json"
CLOUDSIGMA_STATUS_PATH: Final = "/api/v1/status"
CLOUDSIGMA_COMPONENTS_PATH: Final = "/api/v1/components"
CLOUDSIGMA_DEFAULT_PER_PAGE: Final = 100
CLOUDSIGMA_MAX_PER_PAGE: Final = 100

PAGE_ID: Final = "cldstsdemo01"
PAGE_NAME: Final = "Cloud Status Demo"

# Where each phase starts, as a fraction of the cycle (minute / 10 for a 10-minute cycle).
INCIDENT_OPENS: Final = 0.2
INCIDENT_IDENTIFIED: Final = 0.4
INCIDENT_MONITORING: Final = 0.5
INCIDENT_RESOLVED: Final = 0.6
MAINTENANCE_STARTS: Final = 0.7
MAINTENANCE_ENDS: Final = 0.9

_LOGGER = logging.getLogger("demo_status_server")

# Components in page order: (id, name, description, group id or None).
_API = "cmpdemoapi01"
_WEBSITE = "cmpdemoweb01"
_REGIONS = "grpdemoreg01"
_EU_WEST = "cmpdemoeuw01"
_US_EAST = "cmpdemouse01"
_COMPONENTS: Final[tuple[tuple[str, str, str | None, str | None], ...]] = (
    (_API, "API", "REST and GraphQL API", None),
    (_WEBSITE, "Website", None, None),
    (_REGIONS, "Regions", None, None),
    (_EU_WEST, "EU West", None, _REGIONS),
    (_US_EAST, "US East", None, _REGIONS),
)
_GROUP_MEMBERS: Final = {_REGIONS: [_EU_WEST, _US_EAST]}

_INCIDENT_NAME: Final = "Elevated API error rates"
_INCIDENT_STAGES: Final = (
    # (starts at, status, update body)
    (INCIDENT_OPENS, "investigating", "We are investigating elevated API error rates."),
    (
        INCIDENT_IDENTIFIED,
        "identified",
        "We found the cause, a faulty deployment, and are rolling it back.",
    ),
    (
        INCIDENT_MONITORING,
        "monitoring",
        "The rollback is complete. We are monitoring error rates.",
    ),
)
_INCIDENT_IMPACT: Final = {
    _API: "partial_outage",
    _EU_WEST: "degraded_performance",
    _REGIONS: "degraded_performance",
}

_MAINTENANCE_NAME: Final = "Website hosting upgrade"
_MAINTENANCE_SCHEDULED_BODY: Final = (
    "We will upgrade the website's hosting. The website may be unavailable."
)
_MAINTENANCE_STARTED_BODY: Final = "The upgrade is in progress."
_MAINTENANCE_IMPACT: Final = {_WEBSITE: "under_maintenance"}


@dataclass(frozen=True, slots=True)
class Phase:
    """Where the demo stands within its cycle."""

    cycle: int
    name: str
    starts_at: float
    """Seconds since the server started at which this phase began."""
    ends_at: float
    """Seconds since the server started at which the next phase begins."""


def phase_at(
    elapsed_seconds: float, cycle_seconds: float = DEFAULT_CYCLE_SECONDS
) -> Phase:
    """Return the phase of the cycle `elapsed_seconds` after the start."""
    elapsed = max(0.0, elapsed_seconds)
    cycle = int(elapsed // cycle_seconds)
    offset = elapsed - cycle * cycle_seconds
    bounds = (
        (0.0, "operational"),
        (INCIDENT_OPENS, "incident_investigating"),
        (INCIDENT_IDENTIFIED, "incident_identified"),
        (INCIDENT_MONITORING, "incident_monitoring"),
        (INCIDENT_RESOLVED, "incident_resolved"),
        (MAINTENANCE_STARTS, "maintenance_in_progress"),
        (MAINTENANCE_ENDS, "maintenance_completed"),
        (1.0, ""),
    )
    cycle_start = cycle * cycle_seconds
    for (start, name), (end, _) in pairwise(bounds):
        if offset < end * cycle_seconds:
            return Phase(
                cycle=cycle,
                name=name,
                starts_at=cycle_start + start * cycle_seconds,
                ends_at=cycle_start + end * cycle_seconds,
            )
    # Floating-point rounding at the very end of a cycle.
    return phase_at(cycle_start + cycle_seconds, cycle_seconds)  # pragma: no cover


def _iso(moment: datetime) -> str:
    """Format a time the way Statuspage does: `2026-11-20T10:00:00.000Z`."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _component(
    component_id: str,
    status: str,
    *,
    created: datetime,
    updated: datetime,
    name: str | None = None,
    description: str | None = None,
    group_id: str | None = None,
    position: int = 1,
) -> dict[str, Any]:
    known = next(item for item in _COMPONENTS if item[0] == component_id)
    body: dict[str, Any] = {
        "id": component_id,
        "name": name or known[1],
        "status": status,
        "created_at": _iso(created),
        "updated_at": _iso(updated),
        "position": position,
        "description": description,
        "showcase": True,
        "start_date": None,
        "group_id": group_id,
        "page_id": PAGE_ID,
        "group": component_id in _GROUP_MEMBERS,
        "only_show_if_degraded": False,
    }
    if component_id in _GROUP_MEMBERS:
        body["components"] = list(_GROUP_MEMBERS[component_id])
    return body


def _update(
    update_id: str,
    parent_id: str,
    *,
    status: str,
    body: str,
    at: datetime,
    affected: dict[str, str],
) -> dict[str, Any]:
    names = {item[0]: item[1] for item in _COMPONENTS}
    return {
        "id": update_id,
        "status": status,
        "body": body,
        "incident_id": parent_id,
        "created_at": _iso(at),
        "updated_at": _iso(at),
        "display_at": _iso(at),
        "affected_components": [
            {
                "code": component_id,
                "name": names[component_id],
                "old_status": "operational",
                "new_status": new_status,
            }
            for component_id, new_status in affected.items()
            if component_id not in _GROUP_MEMBERS
        ],
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _incident(
    cycle: int,
    offset: float,
    at: Callable[[float], datetime],
    *,
    created: datetime,
    page_url: str,
) -> dict[str, Any] | None:
    """Return the cycle's incident as the summary lists it, or None when it is not open."""
    if not INCIDENT_OPENS <= offset < INCIDENT_RESOLVED:
        return None
    incident_id = f"incdemo{cycle:05d}"
    opened = at(INCIDENT_OPENS)
    stages = [stage for stage in _INCIDENT_STAGES if stage[0] <= offset]
    updates = [
        _update(
            f"incupd{cycle:05d}{number}",
            incident_id,
            status=status,
            body=body,
            at=at(start),
            affected=_INCIDENT_IMPACT,
        )
        for number, (start, status, body) in enumerate(stages, start=1)
    ]
    status = stages[-1][1]
    last_change = at(stages[-1][0])
    components = [
        _component(
            component_id,
            _INCIDENT_IMPACT[component_id],
            created=created,
            updated=opened,
            group_id=group_id,
        )
        for component_id, _, _, group_id in _COMPONENTS
        if component_id in _INCIDENT_IMPACT and component_id not in _GROUP_MEMBERS
    ]
    return {
        "id": incident_id,
        "name": _INCIDENT_NAME,
        "status": status,
        "created_at": _iso(opened),
        "updated_at": _iso(last_change),
        "monitoring_at": _iso(at(INCIDENT_MONITORING))
        if status == "monitoring"
        else None,
        "resolved_at": None,
        "impact": "minor",
        "shortlink": f"{page_url}/incidents/{incident_id}",
        "started_at": _iso(opened),
        "page_id": PAGE_ID,
        "incident_updates": list(reversed(updates)),  # newest first, like Statuspage
        "components": components,
    }


def _maintenance(
    cycle: int,
    at: Callable[[float], datetime],
    *,
    in_progress: bool,
    announced: datetime,
    created: datetime,
    page_url: str,
) -> dict[str, Any]:
    """Return the maintenance of `cycle`; `at` gives times within that cycle."""
    maintenance_id = f"mntdemo{cycle:05d}"
    affected = _MAINTENANCE_IMPACT if in_progress else {_WEBSITE: "operational"}
    updates = [
        _update(
            f"mntupd{cycle:05d}1",
            maintenance_id,
            status="scheduled",
            body=_MAINTENANCE_SCHEDULED_BODY,
            at=announced,
            affected={_WEBSITE: "operational"},
        )
    ]
    if in_progress:
        updates.append(
            _update(
                f"mntupd{cycle:05d}2",
                maintenance_id,
                status="in_progress",
                body=_MAINTENANCE_STARTED_BODY,
                at=at(MAINTENANCE_STARTS),
                affected=affected,
            )
        )
    return {
        "id": maintenance_id,
        "name": _MAINTENANCE_NAME,
        "status": "in_progress" if in_progress else "scheduled",
        "created_at": _iso(announced),
        "updated_at": _iso(at(MAINTENANCE_STARTS) if in_progress else announced),
        "monitoring_at": None,
        "resolved_at": None,
        "impact": "maintenance",
        "shortlink": f"{page_url}/maintenances/{maintenance_id}",
        "started_at": _iso(at(MAINTENANCE_STARTS) if in_progress else announced),
        "page_id": PAGE_ID,
        "incident_updates": list(reversed(updates)),
        "components": [
            _component(
                _WEBSITE,
                affected[_WEBSITE],
                created=created,
                updated=at(MAINTENANCE_STARTS) if in_progress else announced,
            )
        ],
        "scheduled_for": _iso(at(MAINTENANCE_STARTS)),
        "scheduled_until": _iso(at(MAINTENANCE_ENDS)),
    }


def _page_status(*, incident_open: bool, maintenance_running: bool) -> tuple[str, str]:
    """Return the page's (indicator, description), worded like Statuspage."""
    if incident_open:
        return "minor", "Partial System Outage"
    if maintenance_running:
        return "maintenance", "Service Under Maintenance"
    return "none", "All Systems Operational"


def summary_at(
    elapsed_seconds: float,
    started_at: datetime,
    *,
    cycle_seconds: float = DEFAULT_CYCLE_SECONDS,
    page_url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
) -> dict[str, Any]:
    """Return the summary.json body `elapsed_seconds` after a start at `started_at`.

    A pure function: every time in the body is derived from `started_at` and the phase
    boundaries, never from the clock, so the body (and its ETag) only changes when the
    phase does.
    """
    if started_at.tzinfo is None:
        started_at = started_at.replace(tzinfo=UTC)
    phase = phase_at(elapsed_seconds, cycle_seconds)
    cycle = phase.cycle
    offset = (phase.starts_at - cycle * cycle_seconds) / cycle_seconds

    def at_in(cycle_number: int) -> Callable[[float], datetime]:
        def at(fraction: float) -> datetime:
            seconds = (cycle_number + fraction) * cycle_seconds
            return started_at + timedelta(seconds=max(0.0, seconds))

        return at

    at = at_in(cycle)

    def last_change(boundaries: tuple[float, ...]) -> datetime:
        """When a status that flips at these fractions of each cycle last flipped."""
        if passed := [fraction for fraction in boundaries if fraction <= offset]:
            return at(max(passed))
        return at_in(cycle - 1)(max(boundaries)) if cycle > 0 else started_at

    statuses = dict.fromkeys((item[0] for item in _COMPONENTS), "operational")
    changed = dict.fromkeys(statuses, started_at)
    changed.update(
        dict.fromkeys(
            _INCIDENT_IMPACT, last_change((INCIDENT_OPENS, INCIDENT_RESOLVED))
        )
    )
    changed.update(
        dict.fromkeys(
            _MAINTENANCE_IMPACT, last_change((MAINTENANCE_STARTS, MAINTENANCE_ENDS))
        )
    )
    incident = _incident(cycle, offset, at, created=started_at, page_url=page_url)
    if incident is not None:
        statuses.update(_INCIDENT_IMPACT)
    maintenance_running = MAINTENANCE_STARTS <= offset < MAINTENANCE_ENDS
    if maintenance_running:
        statuses.update(_MAINTENANCE_IMPACT)

    # The maintenance this summary lists: this cycle's until it completes, then the next's.
    if offset >= MAINTENANCE_ENDS:
        maintenance = _maintenance(
            cycle + 1,
            at_in(cycle + 1),
            in_progress=False,
            announced=at(MAINTENANCE_ENDS),
            created=started_at,
            page_url=page_url,
        )
    else:
        announced = at_in(cycle - 1)(MAINTENANCE_ENDS) if cycle > 0 else started_at
        maintenance = _maintenance(
            cycle,
            at,
            in_progress=maintenance_running,
            announced=announced,
            created=started_at,
            page_url=page_url,
        )

    components = [
        _component(
            component_id,
            statuses[component_id],
            created=started_at,
            updated=changed[component_id],
            description=description,
            group_id=group_id,
            position=position,
        )
        for position, (component_id, _, description, group_id) in enumerate(
            _COMPONENTS, start=1
        )
    ]
    indicator, description = _page_status(
        incident_open=incident is not None, maintenance_running=maintenance_running
    )
    page_updated = started_at + timedelta(seconds=phase.starts_at)
    return {
        "page": {
            "id": PAGE_ID,
            "name": PAGE_NAME,
            "url": page_url,
            "time_zone": "Etc/UTC",
            "updated_at": _iso(page_updated),
        },
        "components": components,
        "incidents": [incident] if incident is not None else [],
        "scheduled_maintenances": [maintenance],
        "status": {"indicator": indicator, "description": description},
    }


# ---------------------------------------------------------------------------------------
# The CloudSigma view of the same story

# CloudSigma has no component groups: it lists the components that are not groups.
_CLOUDSIGMA_CODES: Final = {
    _API: "api",
    _WEBSITE: "web",
    _EU_WEST: "euw",
    _US_EAST: "use",
}
# CloudSigma compares statuses case-insensitively; this component's is sent upper-case
# ("DEGRADED_PERFORMANCE" during the incident) so that the demo exercises it.
_UPPER_CASE_STATUS_COMPONENT: Final = _EU_WEST
# Normalized statuses, best first (the worst one is the overall status).
CLOUDSIGMA_STATUSES: Final = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)

# The order CloudSigma's documentation lists the `indicators` in.
_INDICATOR_ORDER: Final = (
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
)


def _cloudsigma_members(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in summary["components"] if not item["group"]]


def cloudsigma_components(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every `GET /api/v1/components` entry for a `summary_at` body, in order.

    Deriving it from the summary keeps the two views of the story in step.
    """
    components: list[dict[str, Any]] = []
    for position, item in enumerate(_cloudsigma_members(summary), start=1):
        status = item["status"]
        if item["id"] == _UPPER_CASE_STATUS_COMPONENT:
            status = status.upper()
        components.append(
            {
                "id": item["id"],
                "name": item["name"],
                "code": _CLOUDSIGMA_CODES[item["id"]],
                "status": status,
                "description": item["description"],
                "position": position,
            }
        )
    return components


def cloudsigma_status(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the `GET /api/v1/status` body for a `summary_at` body.

    `status` is the worst component status, `active_incidents` the open incidents and
    `scheduled_maintenance` the maintenances in progress.
    """
    statuses = [item["status"] for item in _cloudsigma_members(summary)]
    updated = datetime.fromisoformat(summary["page"]["updated_at"])
    return {
        "status": max(statuses, key=CLOUDSIGMA_STATUSES.index),
        "indicators": {status: statuses.count(status) for status in _INDICATOR_ORDER},
        "active_incidents": len(summary["incidents"]),
        "scheduled_maintenance": sum(
            item["status"] == "in_progress"
            for item in summary["scheduled_maintenances"]
        ),
        "last_updated": updated.isoformat(),
    }


# ---------------------------------------------------------------------------------------
# The web app


@dataclass(slots=True)
class _DemoState:
    started_at: datetime | None
    """Wall-clock time of the story's start (None: now, when it starts)."""
    started_monotonic: float | None
    """Monotonic reading at the story's start; None until the first read starts it."""
    cycle_seconds: float
    page_url: str
    clock: Callable[[], float]
    last_phase: tuple[int, str] | None = None

    @property
    def started(self) -> bool:
        return self.started_monotonic is not None

    def start(self, path: str) -> None:
        """Start the story now unless it has started."""
        if self.started_monotonic is not None:
            return
        self.started_monotonic = self.clock()
        if self.started_at is None:
            self.started_at = datetime.now(UTC)
        _LOGGER.info(
            "the story starts now (first read: %s); the incident opens in %.0f s",
            path,
            INCIDENT_OPENS * self.cycle_seconds,
        )

    def elapsed(self) -> float:
        if self.started_monotonic is None:
            return 0.0
        return max(0.0, self.clock() - self.started_monotonic)

    def start_time(self) -> datetime:
        """When the story started (now, for a story that has not started)."""
        return self.started_at or datetime.now(UTC)


DEMO_STATE: Final = web.AppKey("demo_state", _DemoState)


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _not_modified_since(request: web.Request, last_modified: datetime) -> bool:
    if (value := request.headers.get("If-Modified-Since")) is None:
        return False
    try:
        since = parsedate_to_datetime(value)
    except TypeError, ValueError, IndexError:
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or any(
        candidate.removeprefix("W/") == etag for candidate in candidates
    )


def _current(
    state: _DemoState, request: web.Request | None = None
) -> tuple[Phase, dict[str, Any]]:
    """Return the story's phase and summary; a data `request` starts the story."""
    if request is not None:
        state.start(request.path)
    elapsed = state.elapsed()
    phase = phase_at(elapsed, state.cycle_seconds)
    if state.started and state.last_phase != (phase.cycle, phase.name):
        state.last_phase = (phase.cycle, phase.name)
        _LOGGER.info(
            "cycle %d: %s (next change in %.0f s)",
            phase.cycle,
            phase.name.replace("_", " "),
            phase.ends_at - elapsed,
        )
    body = summary_at(
        elapsed,
        state.start_time(),
        cycle_seconds=state.cycle_seconds,
        page_url=state.page_url,
    )
    return phase, body


async def _summary(request: web.Request) -> web.StreamResponse:
    state = request.app[DEMO_STATE]
    phase, body = _current(state, request)
    payload = json.dumps(body, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(payload).hexdigest()[:32]}"'
    last_modified = state.start_time() + timedelta(seconds=phase.starts_at)
    headers = {
        "ETag": etag,
        "Last-Modified": _http_date(last_modified),
        "Cache-Control": "max-age=0, private, must-revalidate",
    }
    if (if_none_match := request.headers.get("If-None-Match")) is not None:
        not_modified = _etag_matches(if_none_match, etag)
    else:
        not_modified = _not_modified_since(request, last_modified)
    if not_modified:
        return web.Response(status=304, headers=headers)
    return web.Response(
        body=payload,
        headers=headers,
        content_type="application/json",
        charset="utf-8",
    )


def _query_int(
    request: web.Request, name: str, default: int, maximum: int | None = None
) -> tuple[int, dict[str, Any] | None]:
    """Read a positive integer query parameter; say why not the way FastAPI does."""
    raw = request.query.get(name)
    if raw is None:
        return default, None
    error: dict[str, Any] = {"loc": ["query", name], "input": raw}
    if re.fullmatch(r"[+-]?[0-9]{1,18}", raw.strip()) is None:
        return default, error | {
            "type": "int_parsing",
            "msg": "Input should be a valid integer, unable to parse string as an "
            "integer",
        }
    value = int(raw)
    if value < 1:
        return default, error | {
            "type": "greater_than_equal",
            "msg": "Input should be greater than or equal to 1",
            "ctx": {"ge": 1},
        }
    if maximum is not None and value > maximum:
        return default, error | {
            "type": "less_than_equal",
            "msg": f"Input should be less than or equal to {maximum}",
            "ctx": {"le": maximum},
        }
    return value, None


async def _cloudsigma_status(request: web.Request) -> web.Response:
    _, body = _current(request.app[DEMO_STATE], request)
    return web.json_response(cloudsigma_status(body))


async def _cloudsigma_components(request: web.Request) -> web.Response:
    page, page_error = _query_int(request, "page", 1)
    per_page, per_page_error = _query_int(
        request, "per_page", CLOUDSIGMA_DEFAULT_PER_PAGE, CLOUDSIGMA_MAX_PER_PAGE
    )
    if errors := [error for error in (page_error, per_page_error) if error]:
        return web.json_response({"detail": errors}, status=422)
    _, body = _current(request.app[DEMO_STATE], request)
    start = (page - 1) * per_page
    return web.json_response(cloudsigma_components(body)[start : start + per_page])


@web.middleware
async def _json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer unknown paths (and other HTTP errors) with CloudSigma's `{"detail": ...}`."""
    try:
        return await handler(request)
    except web.HTTPError as err:  # 4xx and 5xx only; redirects pass through
        headers = {
            key: value
            for key, value in err.headers.items()
            if key.lower() not in {"content-type", "content-length"}
        }
        return web.json_response(
            {"detail": err.reason}, status=err.status, headers=headers
        )


_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<meta http-equiv="refresh" content="30">
<style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;
padding:0 1rem;line-height:1.5}}code{{background:#eee;padding:0 .25rem}}</style>
</head><body>
<h1>{name}</h1>
<p>A local stand-in for an Atlassian Statuspage, a CloudSigma status page and a page on
each other platform Cloud Status reads, made for
trying the <strong>Cloud Status</strong> Home Assistant integration without the internet.
Its state changes on its own every few minutes (an incident opens, is updated and
resolves; a maintenance is scheduled and runs), repeating every {cycle:g} s.</p>
<p>Now: <strong>{description}</strong> ({progress}).</p>
<ul>{incidents}</ul>
<p>In Home Assistant: Settings &rarr; Devices &amp; services &rarr; Add Integration
&rarr; Cloud Status &rarr; Atlassian Statuspage (or CloudSigma status page, without an
API key), and enter <code>{page_url}</code>.</p>
<p>Data: <a href="{summary}">{summary}</a> (Statuspage),
<a href="{cloudsigma_status}">{cloudsigma_status}</a> and
<a href="{cloudsigma_components}">{cloudsigma_components}</a> (CloudSigma)</p>
<p>The same story on the other platforms: Add Integration &rarr; Cloud Status &rarr; Any
status page, and enter one of these addresses.</p>
<ul>{platforms}</ul>
</body></html>
"""


async def _index(request: web.Request) -> web.Response:
    state = request.app[DEMO_STATE]
    phase, body = _current(state)
    items = [
        f"<li>Incident: {html.escape(item['name'])} ({item['status']})</li>"
        for item in body["incidents"]
    ] + [
        f"<li>Maintenance: {html.escape(item['name'])} ({item['status']}, "
        f"{item['scheduled_for']} to {item['scheduled_until']})</li>"
        for item in body["scheduled_maintenances"]
    ]
    if state.started:
        progress = (
            f"cycle {phase.cycle}, {phase.name.replace('_', ' ')}, "
            f"{state.elapsed():.0f} s since the story started"
        )
    else:
        progress = (
            "the story has not started: it starts when Home Assistant first reads "
            "one of this server's status pages"
        )
    text = _INDEX.format(
        name=html.escape(PAGE_NAME),
        cycle=state.cycle_seconds,
        description=html.escape(body["status"]["description"]),
        progress=progress,
        incidents="".join(items),
        page_url=html.escape(state.page_url),
        summary=SUMMARY_PATH,
        cloudsigma_status=CLOUDSIGMA_STATUS_PATH,
        cloudsigma_components=CLOUDSIGMA_COMPONENTS_PATH,
        platforms="".join(
            f"<li>{html.escape(module.NAME)}: <code>"
            f"{html.escape(demo_platforms.page_address(module, state.page_url))}</code></li>"
            for module in demo_platforms.platforms()
            if demo_platforms.detected_by_address(module)
        ),
    )
    return web.Response(text=text, content_type="text/html")


def _platform_handler(platform: Any) -> Handler:
    """Serve one platform's view of the demo story (see `demo_platforms`)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        _, summary = _current(request.app[DEMO_STATE], request)
        # One name per platform, so that the entries (and their entity ids) differ.
        summary = {
            **summary,
            "page": {**summary["page"], "name": f"{platform.NAME} demo"},
        }
        path = request.match_info.get("tail", "")
        answer = platform.respond(path, request.query, summary)
        if answer is None:
            raise web.HTTPNotFound
        status, body, content_type = answer
        text = body if isinstance(body, str) else json.dumps(body)
        return web.Response(
            status=status, text=text, content_type=content_type, charset="utf-8"
        )

    return handle


def create_app(
    *,
    cycle_seconds: float = DEFAULT_CYCLE_SECONDS,
    page_url: str = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
    started_at: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    start_on_first_read: bool = False,
) -> web.Application:
    """Build the demo app; `clock` (monotonic seconds) is replaceable for tests.

    The story starts now, or with `start_on_first_read` at the first read of a data
    path (what the command line does unless given `--start-at-launch`).
    """
    if cycle_seconds < MIN_CYCLE_SECONDS:
        msg = f"cycle_seconds must be at least {MIN_CYCLE_SECONDS:g}"
        raise ValueError(msg)
    app = web.Application(middlewares=[_json_errors])
    if start_on_first_read:
        started_monotonic = None
    else:
        started_monotonic = clock()
        started_at = started_at or datetime.now(UTC)
    app[DEMO_STATE] = _DemoState(
        started_at=started_at,
        started_monotonic=started_monotonic,
        cycle_seconds=cycle_seconds,
        page_url=page_url.rstrip("/"),
        clock=clock,
    )
    app.router.add_get(SUMMARY_PATH, _summary)
    app.router.add_get(CLOUDSIGMA_STATUS_PATH, _cloudsigma_status)
    app.router.add_get(CLOUDSIGMA_COMPONENTS_PATH, _cloudsigma_components)
    for platform in demo_platforms.platforms():
        handler = _platform_handler(platform)
        app.router.add_get(platform.PREFIX, handler)
        app.router.add_get(platform.PREFIX + "/{tail:.*}", handler)
    app.router.add_get("/", _index)
    app.router.add_get("/incidents/{id}", _index)
    app.router.add_get("/maintenances/{id}", _index)
    return app


def timeline(cycle_seconds: float = DEFAULT_CYCLE_SECONDS) -> list[str]:
    """Describe one cycle, with its times as minutes:seconds into the cycle."""

    def mark(fraction: float) -> str:
        minutes, seconds = divmod(round(fraction * cycle_seconds), 60)
        return f"{minutes:d}:{seconds:02d}"

    return [
        f"{mark(0)} all operational, a maintenance is scheduled for {mark(MAINTENANCE_STARTS)}",
        f"{mark(INCIDENT_OPENS)} incident opens (investigating): API partial outage",
        f"{mark(INCIDENT_IDENTIFIED)} incident update: identified",
        f"{mark(INCIDENT_MONITORING)} incident update: monitoring",
        f"{mark(INCIDENT_RESOLVED)} incident resolved, all operational",
        f"{mark(MAINTENANCE_STARTS)} maintenance in progress: Website under maintenance",
        f"{mark(MAINTENANCE_ENDS)} maintenance completed; the next one is scheduled",
        f"{mark(1.0)} the cycle starts again",
    ]


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Serve a demo Atlassian Statuspage (v2 summary.json) and CloudSigma "
        "status API (v1 status and components) whose state changes every few minutes."
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="default %(default)s")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="default %(default)s"
    )
    parser.add_argument(
        "--cycle-seconds",
        type=float,
        default=DEFAULT_CYCLE_SECONDS,
        help="length of one incident + maintenance cycle (default %(default)g, "
        f"at least {MIN_CYCLE_SECONDS:g})",
    )
    parser.add_argument(
        "--start-at-launch",
        action="store_true",
        help="start the story when the server starts, not at the first read of a "
        "status page",
    )
    args = parser.parse_args(argv)
    if args.cycle_seconds < MIN_CYCLE_SECONDS:
        parser.error(f"--cycle-seconds must be at least {MIN_CYCLE_SECONDS:g}")
    return args


def main(argv: list[str] | None = None) -> None:
    """Run the demo server until interrupted."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[demo] %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.INFO)
    page_url = f"http://{args.host}:{args.port}"
    app = create_app(
        cycle_seconds=args.cycle_seconds,
        page_url=page_url,
        start_on_first_read=not args.start_at_launch,
    )
    print(
        f"[demo] {PAGE_NAME}: {page_url}{SUMMARY_PATH} "
        f"(cycle {args.cycle_seconds:g} s); stop with Ctrl+C",
        flush=True,
    )
    print(
        f"[demo]   CloudSigma: {page_url}{CLOUDSIGMA_STATUS_PATH} and "
        f"{page_url}{CLOUDSIGMA_COMPONENTS_PATH} (no incident or maintenance lists)",
        flush=True,
    )
    if args.start_at_launch:
        print("[demo]   the story starts now; times into each cycle:", flush=True)
    else:
        print(
            "[demo]   the story starts at the first read of a status page (adding "
            "it in Home Assistant); times since then, in each cycle:",
            flush=True,
        )
    for line in timeline(args.cycle_seconds):
        print(f"[demo]   {line}", flush=True)
    web.run_app(
        app,
        host=args.host,
        port=args.port,
        print=None,
        access_log_format='%a "%r" %s %b',
    )


if __name__ == "__main__":
    main()
