"""Soak: one public Statuspage entry polled 300+ times against a misbehaving loopback server.

The answers follow a seeded shuffle of valid and changed bodies, 304s, 500s, 429s with
Retry-After, HTML, truncated JSON, answers slower than the client's time-out, reset
connections and bodies over the 5 MB cap. After each poll the entities, the log, the
state writes and the requests are checked; after the unload nothing of the entry may run
or ask again.

Under `freezer` the event loop's clock is the frozen one, so the polls come from the
coordinator's own timer as the test moves the clock, and the client's real 15 s time-out
and 5 MB cap cost no wall time. Every check of every poll is collected, so a failing run
reports all it found; run with `-s` to see the soak figures.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
import hashlib
import json
import logging
from pathlib import Path
import random
import time
from typing import Any, ClassVar

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.cloud_status.api import http as api_http
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN
from custom_components.cloud_status.coordinator import CloudStatusCoordinator
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_URL,
    EVENT_STATE_CHANGED,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles

from .conftest import PAGE_ID, load_json_fixture

SEED = 20261120
TITLE = "Example"
UNIQUE_ID = f"statuspage:{PAGE_ID}"
LOGGER_NAME = "custom_components.cloud_status"
# The test server's own complaints, and the loop's slow-step warnings that time travel
# causes (the frozen clock jumps inside one step).
IGNORED_LOGGERS = ("aiohttp", "asyncio")
PACKAGE_DIR = str(Path(__file__).resolve().parents[1] / "custom_components")

# The client's real time-out and body cap: the frozen clock makes waiting free.
BODY_CAP = api_http.MAX_BODY_BYTES
SLOW_BY = api_http.DEFAULT_TIMEOUT * 2
POLL_SECONDS = 60

# How many polls of each answer the shuffled schedule holds; a changed body closes it,
# and every 429 whose window is still open is followed by a manual refresh inside it.
SCHEDULE: dict[str, int] = {
    "valid": 48,
    "changed": 78,
    "not_modified": 32,
    "server_error": 22,
    "rate_limited": 24,
    "html": 20,
    "truncated": 20,
    "slow": 14,
    "reset": 22,
    "oversized": 20,
}
SUCCESSES = frozenset({"valid", "changed", "not_modified"})
# The translation key each failure must end in; "refused" is a poll inside a
# Retry-After window, which must not reach the server.
FAILURE_KEYS = {
    "server_error": "server_error",
    "rate_limited": "rate_limited",
    "refused": "rate_limited",
    "html": "invalid_response",
    "truncated": "invalid_response",
    "slow": "timeout",
    "reset": "cannot_connect",
    "oversized": "response_too_large",
}

STATUSES = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
PROBLEMS = frozenset({"degraded_performance", "partial_outage", "major_outage"})
INDICATORS = {
    "operational": ("none", "All Systems Operational"),
    "under_maintenance": ("maintenance", "Service Under Maintenance"),
    "degraded_performance": ("minor", "Minor Service Outage"),
    "partial_outage": ("major", "Partial System Outage"),
    "major_outage": ("critical", "Major System Outage"),
}
RESOLVED = frozenset({"resolved", "postmortem", "completed"})
RENAMES = {
    "cmpapi000001": ("API", "Public API", "API v2"),
    "cmpweb000001": ("Website", "  Web site\n", "Marketing site"),
    "cmpcdn000001": ("CDN", "Edge network"),
    "grpregions01": ("Regions", "Data centres"),
    "cmpeuw000001": ("EU West", "Frankfurt"),
    "cmpblob00001": ("Blob storage", "- Object storage"),
}
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>Just a moment...</h1></body></html>"


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _http_date(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def _clean(name: str) -> str:
    return name.lstrip("-\u2013\u2014 \t").strip()


# ---------------------------------------------------------------------------------------
# The page the server shows, and what Home Assistant must show for it


class Page:
    """The summary document, changed the way a real page changes."""

    def __init__(self, rng: random.Random) -> None:
        """Start from the soak fixture."""
        self.rng = rng
        self.doc: dict[str, Any] = load_json_fixture("soak_summary.json")
        self.incident_number = 0
        self.changes: Counter[str] = Counter()

    def body(self) -> bytes:
        """Return the document as the server sends it."""
        return json.dumps(self.doc, indent=1).encode()

    @property
    def components(self) -> dict[str, dict[str, Any]]:
        """The components by id."""
        return {item["id"]: item for item in self.doc["components"]}

    def open_incidents(self) -> list[dict[str, Any]]:
        """Return the incidents a poll reports as unresolved."""
        return [i for i in self.doc["incidents"] if i["status"] not in RESOLVED]

    def change(self, now: datetime) -> str:
        """Change one thing, as a provider would between two polls; return what."""
        # Incidents the previous change marked resolved leave the list now.
        self.doc["incidents"] = self.open_incidents()
        kinds = ["component", "component", "incident_opens", "rename"]
        if self.open_incidents():
            kinds += ["incident_updates", "incident_updates", "incident_resolves"]
        if len(self.open_incidents()) >= 3:
            kinds.remove("incident_opens")
        kind = self.rng.choice(kinds)
        stamp = _iso(now)
        if kind == "component":
            component = self.rng.choice(self.doc["components"])
            component["status"] = self.rng.choice(
                [s for s in STATUSES if s != component["status"]]
            )
            component["updated_at"] = stamp
        elif kind == "rename":
            component_id = self.rng.choice(sorted(RENAMES))
            component = self.components[component_id]
            component["name"] = self.rng.choice(
                [n for n in RENAMES[component_id] if n != component["name"]]
            )
        elif kind == "incident_opens":
            self._open_incident(stamp)
        elif kind == "incident_updates":
            incident = self.rng.choice(self.open_incidents())
            incident["status"] = self.rng.choice(
                [s for s in ("identified", "monitoring") if s != incident["status"]]
            )
            incident["impact"] = self.rng.choice(("minor", "major", "critical"))
            self._add_update(incident, stamp)
        else:
            incident = self.rng.choice(self.open_incidents())
            self._add_update(incident, stamp, status="resolved")
            if self.rng.random() < 0.5:
                self.doc["incidents"].remove(incident)  # gone at once
            else:
                incident["status"] = "resolved"  # listed once more as resolved
                incident["resolved_at"] = stamp
        self.changes[kind] += 1
        self._set_indicator()
        self.doc["page"]["updated_at"] = stamp
        return kind

    def _open_incident(self, stamp: str) -> None:
        self.incident_number += 1
        number = self.incident_number
        affected = self.rng.sample(self.doc["components"], 2)
        incident: dict[str, Any] = {
            "id": f"soakinc{number:05d}",
            "name": f"Incident {number}",
            "status": "investigating",
            "impact": "minor",
            "shortlink": f"https://stspg.io/soak{number}",
            "created_at": stamp,
            "started_at": stamp,
            "updated_at": stamp,
            "monitoring_at": None,
            "resolved_at": None,
            "page_id": PAGE_ID,
            "incident_updates": [],
            "components": [{"id": c["id"], "name": c["name"]} for c in affected],
        }
        self._add_update(incident, stamp)
        self.doc["incidents"].insert(0, incident)

    @staticmethod
    def _add_update(
        incident: dict[str, Any], stamp: str, status: str | None = None
    ) -> None:
        updates = incident["incident_updates"]
        updates.insert(
            0,
            {
                "id": f"{incident['id']}u{len(updates) + 1:03d}",
                "status": status or incident["status"],
                "body": f"{incident['name']}: update {len(updates) + 1}",
                "created_at": stamp,
                "display_at": stamp,
                "updated_at": stamp,
            },
        )
        incident["updated_at"] = stamp

    def _set_indicator(self) -> None:
        worst = max((c["status"] for c in self.doc["components"]), key=STATUSES.index)
        indicator, description = INDICATORS[worst]
        self.doc["status"] = {"indicator": indicator, "description": description}


@dataclass(frozen=True)
class Shown:
    """What the entities must show for one valid body."""

    overall: str
    indicator: str
    problem: bool
    incidents: dict[str, tuple[str, str]]  # id -> (status, latest update)
    components: dict[str, tuple[str, str]]  # id -> (status, display name)

    @classmethod
    def of(cls, page: Page) -> Shown:
        """Work out, independently of the integration, what a body means."""
        components = page.components
        shown: dict[str, tuple[str, str]] = {}
        for component_id, item in components.items():
            name = _clean(item["name"])
            group = components.get(item.get("group_id") or "")
            if group is not None:
                name = f"{_clean(group['name'])} \u2013 {name}"
            shown[component_id] = (item["status"], name)
        statuses = [status for status, _ in shown.values()]
        incidents = {
            i["id"]: (i["status"], i["incident_updates"][0]["body"])
            for i in page.open_incidents()
        }
        return cls(
            overall=max(statuses, key=STATUSES.index),
            indicator=page.doc["status"]["indicator"],
            problem=bool(incidents) or any(s in PROBLEMS for s in statuses),
            incidents=incidents,
            components=shown,
        )


# ---------------------------------------------------------------------------------------
# The loopback server


@dataclass
class Answer:
    """What the server answers to every request of one poll."""

    kind: str
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    flavour: str = ""


@dataclass
class SoakServer:
    """Answers summary.json as the test says, and remembers what it was asked."""

    answer: Answer = field(default_factory=lambda: Answer("valid"))
    requests: int = 0
    # The validators of the latest valid 200: the only ones a request may carry.
    valid_etag: str | None = None
    valid_last_modified: str | None = None
    valid_body: bytes = b""
    conditional_requests: int = 0
    not_modified_sent: int = 0
    not_modified_unconditional: int = 0
    validator_mismatches: list[str] = field(default_factory=list)
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    slow_started: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request according to the current answer."""
        self.requests += 1
        answer = self.answer
        validators = (
            request.headers.get("If-None-Match"),
            request.headers.get("If-Modified-Since"),
        )
        conditional = validators != (None, None)
        if conditional:
            self.conditional_requests += 1
            if validators != (self.valid_etag, self.valid_last_modified):
                self.validator_mismatches.append(
                    f"request {self.requests} ({answer.kind}) sent "
                    f"If-None-Match={validators[0]!r} "
                    f"If-Modified-Since={validators[1]!r}; the body shown had "
                    f"ETag={self.valid_etag!r} Last-Modified="
                    f"{self.valid_last_modified!r}"
                )
        if answer.kind == "not_modified":
            return self._not_modified(conditional=conditional)
        if answer.kind in self._SIMPLE:
            return self._SIMPLE[answer.kind](self, answer)
        return await self._STREAMED[answer.kind](self, request, answer)

    def _not_modified(self, *, conditional: bool) -> web.Response:
        if not conditional:
            # Nothing to compare: a real server sends the body.
            self.not_modified_unconditional += 1
            return self._valid(
                Answer(
                    "valid", self.valid_body, self.valid_etag, self.valid_last_modified
                )
            )
        self.not_modified_sent += 1
        headers = {"ETag": self.valid_etag} if self.valid_etag else {}
        return web.Response(status=304, headers=headers)

    def _server_error(self, answer: Answer) -> web.Response:
        return web.Response(status=500, text="Internal Server Error")

    def _rate_limited(self, answer: Answer) -> web.Response:
        headers = (
            {} if answer.retry_after is None else {"Retry-After": answer.retry_after}
        )
        return web.Response(status=429, text="Rate limited", headers=headers)

    def _html(self, answer: Answer) -> web.Response:
        return web.Response(
            body=HTML_PAGE, content_type="text/html", headers=self._bogus()
        )

    def _truncated(self, answer: Answer) -> web.Response:
        return web.Response(
            body=answer.body, content_type="application/json", headers=self._bogus()
        )

    async def _slow(self, request: web.Request, answer: Answer) -> web.StreamResponse:
        self.slow_started.set()
        with suppress(TimeoutError):
            async with asyncio.timeout(SLOW_BY):
                await self.closing.wait()
        # The client is gone by now.
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        with suppress(ConnectionError):
            await response.prepare(request)
            await response.write(answer.body)
            await response.write_eof()
        return response

    def _valid(self, answer: Answer) -> web.Response:
        self.valid_body = answer.body
        self.valid_etag = answer.etag
        self.valid_last_modified = answer.last_modified
        headers = {}
        if answer.etag is not None:
            headers["ETag"] = answer.etag
        if answer.last_modified is not None:
            headers["Last-Modified"] = answer.last_modified
        return web.Response(
            body=answer.body, content_type="application/json", headers=headers
        )

    def _bogus(self) -> dict[str, str]:
        """Return validators of an answer the client must not keep."""
        return {
            "ETag": f'"bogus-{self.requests}"',
            "Last-Modified": _http_date(dt_util.utcnow()),
        }

    async def _reset(self, request: web.Request, answer: Answer) -> web.StreamResponse:
        transport = request.transport
        assert transport is not None
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if answer.flavour == "before_headers":
            transport.abort()
            return response
        response.content_length = len(answer.body)
        await response.prepare(request)
        await response.write(answer.body[: len(answer.body) // 2])
        await asyncio.sleep(0)
        transport.abort()
        return response

    async def _oversized(
        self, request: web.Request, answer: Answer
    ) -> web.StreamResponse:
        if answer.flavour == "declared":
            return web.Response(body=answer.body, content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        with suppress(ConnectionError):  # the client stops reading at its cap
            await response.prepare(request)
            for start in range(0, len(answer.body), 64 * 1024):
                await response.write(answer.body[start : start + 64 * 1024])
            await response.write_eof()
        return response

    _SIMPLE: ClassVar[dict[str, Callable[[SoakServer, Answer], web.Response]]] = {
        "valid": _valid,
        "changed": _valid,
        "server_error": _server_error,
        "rate_limited": _rate_limited,
        "html": _html,
        "truncated": _truncated,
    }
    _STREAMED: ClassVar[
        dict[
            str,
            Callable[[SoakServer, web.Request, Answer], Awaitable[web.StreamResponse]],
        ]
    ] = {"slow": _slow, "reset": _reset, "oversized": _oversized}


@asynccontextmanager
async def serve(server: SoakServer) -> AsyncIterator[str]:
    """Run the server on 127.0.0.1 and yield its base URL."""
    app = web.Application()
    app.router.add_get("/api/v2/summary.json", server.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.closing.set()
        await runner.cleanup()


# ---------------------------------------------------------------------------------------
# The soak


@dataclass
class Figures:
    """What the soak did, for the closing note."""

    polls: int = 0
    successes: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    streaks: int = 0
    recoveries: int = 0
    error_lines: int = 0
    recovery_lines: int = 0
    requests: int = 0
    wall: float = 0.0


class Soak:
    """Drives the polls and checks what follows each one."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        caplog: pytest.LogCaptureFixture,
        server: SoakServer,
        entry: MockConfigEntry,
    ) -> None:
        """Take the running entry and its server."""
        self.hass = hass
        self.freezer = freezer
        self.caplog = caplog
        self.server = server
        self.entry = entry
        self.rng = random.Random(SEED + 1)  # noqa: S311 (seeded, not secret)
        self.page = Page(self.rng)
        self.shown = Shown.of(self.page)
        self.figures = Figures()
        self.violations: list[str] = []
        self.log_index = 0
        self.last_success = True
        self.not_before: datetime | None = None
        self.modified_at = dt_util.utcnow()
        self.entity_ids: dict[str, str] = {}  # unique id -> entity id
        self.user_named: set[str] = set()
        self.writes: Counter[str] = Counter()  # state writes per entity, this poll

    @property
    def coordinator(self) -> CloudStatusCoordinator:
        """The entry's coordinator."""
        coordinator = self.entry.runtime_data.coordinator
        assert isinstance(coordinator, CloudStatusCoordinator)
        return coordinator

    def first_answer(self) -> Answer:
        """Return the answer the entry is set up with."""
        return self._valid_answer(self.page.body())

    def check(self, ok: object, message: str) -> None:
        """Collect a failed check instead of stopping at it."""
        if not ok:
            self.fail(message)

    def fail(self, message: str) -> None:
        """Collect a violation."""
        self.violations.append(message)

    def _valid_answer(self, body: bytes, kind: str = "valid") -> Answer:
        etag = f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16]}"'
        last_modified = _http_date(self.modified_at)
        validators = self.rng.choice(("both", "both", "etag", "date", "none"))
        return Answer(
            kind,
            body,
            etag if validators in ("both", "etag") else None,
            last_modified if validators in ("both", "date") else None,
        )

    def _answer(self, kind: str) -> Answer:
        rng = self.rng
        body = self.page.body()
        if kind == "valid":
            return self._valid_answer(body)
        if kind == "changed":
            what = self.page.change(dt_util.utcnow())
            self.figures.answers[f"changed:{what}"] += 1
            self.modified_at = dt_util.utcnow()
            return self._valid_answer(self.page.body(), "changed")
        if kind == "rate_limited":
            return self._rate_limited_answer()
        answer = Answer(kind, body)
        if kind == "truncated":
            answer.body = body[: rng.randrange(1, len(body) - 1)]
        elif kind == "reset":
            answer.flavour = rng.choice(("before_headers", "mid_body"))
        elif kind == "oversized":
            # Valid JSON but for its size, sent with and without a Content-Length.
            answer.body = body[:-1] + b" " * (BODY_CAP + 1024) + b"}"
            answer.flavour = rng.choice(("declared", "chunked"))
        return answer

    def _rate_limited_answer(self) -> Answer:
        """Ask for a pause in seconds or as a date, none, or no pause at all."""
        choice = self.rng.choice(("absent", "date", "0", "5", "30", "90", "300"))
        now = dt_util.utcnow()
        if choice == "absent":
            return Answer("rate_limited")
        if choice == "date":
            self.not_before = now + timedelta(seconds=self.rng.choice((45, 120)))
            return Answer("rate_limited", retry_after=_http_date(self.not_before))
        self.not_before = now + timedelta(seconds=int(choice))
        return Answer("rate_limited", retry_after=choice)

    async def poll(self, kind: str, number: int) -> None:
        """Let time pass to the next poll, set the server's answer and check everything.

        The loop's clock is the frozen one: polls come from the coordinator's own timer
        as time moves on, and a slow answer waits until the clock passes the client's
        time-out. A refused poll is a manual refresh inside a Retry-After window.
        """
        hass = self.hass
        now = dt_util.utcnow()
        window = (
            (self.not_before - now).total_seconds()
            if self.not_before is not None
            else 0.0
        )
        if kind == "refused":
            self.freezer.tick(timedelta(seconds=window / 2))
        else:
            self.freezer.tick(timedelta(seconds=max(window, POLL_SECONDS) + 1))
        answer = self._answer(kind) if kind != "refused" else Answer(kind)
        self.server.answer = answer
        requests_before = self.server.requests
        if kind == "refused":
            await self.coordinator.async_refresh()
        else:
            async_fire_time_changed(hass)
            if kind == "slow":
                await self._until_slow_answer_started()
                self.freezer.tick(timedelta(seconds=api_http.DEFAULT_TIMEOUT + 1))
                async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        requests = self.server.requests - requests_before
        self.figures.requests += requests

        success = kind in SUCCESSES
        label = (
            f"poll {number} ({kind}{f' {answer.flavour}' if answer.flavour else ''})"
        )
        self.figures.polls += 1
        self.figures.answers[kind] += 1
        if success:
            self.figures.successes += 1
            self.shown = Shown.of(self.page)
        else:
            self.figures.failures[kind] += 1
        if kind == "refused":
            self.check(
                requests == 0, f"{label}: {requests} requests inside Retry-After"
            )
        elif kind == "reset" and answer.flavour == "before_headers":
            # aiohttp sends an idempotent request once more when the server hangs up.
            self.check(requests in (1, 2), f"{label}: {requests} requests")
        else:
            self.check(requests == 1, f"{label}: {requests} requests")

        coordinator = self.coordinator
        self.check(
            coordinator.last_update_success is success,
            f"{label}: last_update_success is {coordinator.last_update_success}"
            f" ({coordinator.last_exception!r})",
        )
        if not success:
            error = coordinator.last_exception
            key = error.translation_key if isinstance(error, UpdateFailed) else None
            self.check(
                key == FAILURE_KEYS[kind],
                f"{label}: failed with {key!r} ({error!r}), not {FAILURE_KEYS[kind]!r}",
            )
        self._check_entities(label, success=success)
        self._check_writes(label, kind, success=success)
        self._check_log(label, success=success)
        self.last_success = success

    async def _until_slow_answer_started(self) -> None:
        """Let the loop run until the slow request is in (a frozen clock never times out)."""
        started = self.server.slow_started
        deadline = _wall_clock() + 10
        # Event.wait under asyncio.timeout would wait for the frozen clock forever.
        while not started.is_set() and _wall_clock() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0)
        assert started.is_set(), "the slow request never reached the server"
        started.clear()

    def _check_writes(self, label: str, kind: str, *, success: bool) -> None:
        """Check that a poll which changes nothing shown writes no state.

        That is a 304 or an identical body after a success, and a failure after a
        failure.
        """
        writes, self.writes = self.writes, Counter()
        quiet = (
            success and kind in ("valid", "not_modified") and self.last_success
        ) or (not success and not self.last_success)
        if quiet:
            self.check(not writes, f"{label}: wrote {dict(writes)}")

    @callback
    def count_write(self, event: Event[EventStateChangedData]) -> None:
        """Count a state write of one of the entry's entities."""
        if event.data["entity_id"] in self.entity_ids.values():
            self.writes[event.data["entity_id"]] += 1

    def _check_entities(self, label: str, *, success: bool) -> None:
        states = self.hass.states
        for entity_id in self.entity_ids.values():
            state = states.get(entity_id)
            if state is None:
                self.fail(f"{label}: {entity_id} has no state")
                continue
            self.check(
                (state.state == STATE_UNAVAILABLE) is not success,
                f"{label}: {entity_id} is {state.state!r} after a "
                f"{'success' if success else 'failure'}",
            )
        if not success:
            return
        shown = self.shown
        overall = states.get(self._entity("overall_status"))
        assert overall is not None
        self.check(
            overall.state == shown.overall,
            f"{label}: overall_status {overall.state!r}, served {shown.overall!r}",
        )
        self.check(
            overall.attributes.get("indicator") == shown.indicator,
            f"{label}: indicator {overall.attributes.get('indicator')!r}, "
            f"served {shown.indicator!r}",
        )
        self._check_state("problem", STATE_ON if shown.problem else STATE_OFF, label)
        self._check_state(
            "incident_active", STATE_ON if shown.incidents else STATE_OFF, label
        )
        self._check_state("active_incidents", str(len(shown.incidents)), label)
        incidents = states.get(self._entity("active_incidents"))
        assert incidents is not None
        listed = {
            item["id"]: (item["status"], item["latest_update"])
            for item in incidents.attributes.get("incidents", [])
        }
        self.check(
            listed == shown.incidents,
            f"{label}: incidents {listed}, served {shown.incidents}",
        )
        for component_id, (status, name) in shown.components.items():
            problem = STATE_ON if status in PROBLEMS else STATE_OFF
            for key, state_value, friendly in (
                ("component_status", status, f"{TITLE} {name}"),
                ("component_problem", problem, f"{TITLE} {name} problem"),
            ):
                entity_id = self._entity(f"{component_id}_{key}")
                state = states.get(entity_id)
                assert state is not None
                self.check(
                    state.state == state_value,
                    f"{label}: {entity_id} is {state.state!r}, served {state_value!r}",
                )
                if entity_id not in self.user_named:
                    self.check(
                        state.attributes.get("friendly_name") == friendly,
                        f"{label}: {entity_id} is named "
                        f"{state.attributes.get('friendly_name')!r}, served {friendly!r}",
                    )

    def _check_state(self, key: str, expected: str, label: str) -> None:
        state = self.hass.states.get(self._entity(key))
        assert state is not None
        self.check(
            state.state == expected,
            f"{label}: {key} is {state.state!r}, served {expected!r}",
        )

    def _entity(self, key: str) -> str:
        return self.entity_ids[f"{UNIQUE_ID}_{key}"]

    def _check_log(self, label: str, *, success: bool) -> None:
        records = self.caplog.records[self.log_index :]
        self.log_index = len(self.caplog.records)
        ours = [r for r in records if r.name.startswith(LOGGER_NAME)]
        errors = [r for r in ours if r.levelno >= logging.ERROR]
        recoveries = [
            r for r in ours if r.levelno == logging.INFO and "recovered" in r.message
        ]
        self.figures.error_lines += len(errors)
        self.figures.recovery_lines += len(recoveries)
        starts_streak = not success and self.last_success
        recovers = success and not self.last_success
        self.figures.streaks += starts_streak
        self.figures.recoveries += recovers
        self.check(
            len(errors) == int(starts_streak),
            f"{label}: {len(errors)} error lines "
            f"{[r.getMessage() for r in errors]}, expected {int(starts_streak)}",
        )
        self.check(
            len(recoveries) == int(recovers),
            f"{label}: {len(recoveries)} recovery lines, expected {int(recovers)}",
        )
        for record in records:
            text = record.getMessage()
            if "Unexpected error" in text or (
                record.levelno >= logging.INFO and record.exc_info
            ):
                self.fail(f"{label}: {record.name} logged {text!r} (traceback)")
            elif record.levelno >= logging.WARNING and not record.name.startswith(
                IGNORED_LOGGERS
            ):
                self.check(
                    record in errors,
                    f"{label}: {record.name} logged {record.levelname} {text!r}",
                )

    def summary(self) -> str:
        """Return the soak figures, one block."""
        f = self.figures
        failures = ", ".join(f"{k} {v}" for k, v in sorted(f.failures.items()))
        changes = ", ".join(
            f"{k.removeprefix('changed:')} {v}"
            for k, v in sorted(f.answers.items())
            if k.startswith("changed:")
        )
        server = self.server
        return "\n".join(
            (
                (
                    f"soak (seed {SEED}): {f.polls} polls (and the set-up's) in "
                    f"{f.wall:.1f} s wall time, {f.requests} requests"
                ),
                (
                    f"  successes {f.successes}: valid {f.answers['valid']}, changed "
                    f"{f.answers['changed']}, 304 asked {f.answers['not_modified']} "
                    f"({server.not_modified_sent} sent; "
                    f"{server.not_modified_unconditional} requests had no "
                    "validators to answer, so got the body)"
                ),
                f"  changes: {changes}",
                f"  failures {sum(f.failures.values())}: {failures}",
                (
                    f"  failure streaks {f.streaks}, error lines {f.error_lines}; "
                    f"recoveries {f.recoveries}, recovery lines {f.recovery_lines}"
                ),
                (
                    f"  conditional requests {server.conditional_requests}, "
                    f"validator mismatches {len(server.validator_mismatches)}"
                ),
                f"  violations {len(self.violations)}",
            )
        )


def _wall_clock() -> float:
    """Return real seconds: freezegun stops time.monotonic and perf_counter, not this."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _schedule(rng: random.Random) -> list[str]:
    """Return the seeded order of the answers, ending with a success."""
    kinds = [kind for kind, count in SCHEDULE.items() for _ in range(count)]
    rng.shuffle(kinds)
    return [*kinds, "changed"]


def _integration_timers(hass: HomeAssistant) -> list[asyncio.TimerHandle]:
    """Return the timers whose callback is the integration's.

    The harness's lingering-timer check skips the coordinator's refresh timer: it is
    cancelled when Home Assistant stops, not when the entry unloads.
    """
    found = []
    for handle in get_scheduled_timer_handles(hass.loop):
        if handle.cancelled():
            continue
        owner = getattr(getattr(handle, "_callback", None), "__self__", None)
        module = type(owner).__module__ if owner is not None else ""
        if module.startswith(LOGGER_NAME):
            found.append(handle)
    return found


def _integration_tasks() -> list[asyncio.Task[Any]]:
    """Return the unfinished tasks that run the integration's code."""
    found = []
    for task in asyncio.all_tasks():
        code = getattr(task.get_coro(), "cr_code", None)
        if not task.done() and code is not None and PACKAGE_DIR in code.co_filename:
            found.append(task)
    return found


def _customize(hass: HomeAssistant, entity_ids: dict[str, str]) -> dict[str, Any]:
    """Set what a user sets in the entity registry; return it for the final check."""
    registry = er.async_get(hass)
    area = ar.async_get(hass).async_create("Office")
    named = entity_ids[f"{UNIQUE_ID}_cmpapi000001_component_status"]
    placed = entity_ids[f"{UNIQUE_ID}_cmpeuw000001_component_problem"]
    hidden = entity_ids[f"{UNIQUE_ID}_cmpblob00001_component_status"]
    registry.async_update_entity(named, name="My API", icon="mdi:api")
    registry.async_update_entity(placed, area_id=area.id)
    registry.async_update_entity(hidden, hidden_by=er.RegistryEntryHider.USER)
    return {
        named: {"name": "My API", "icon": "mdi:api"},
        placed: {"area_id": area.id},
        hidden: {"hidden_by": er.RegistryEntryHider.USER},
    }


def _set_up_entry(hass: HomeAssistant, url: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=TITLE,
        data={CONF_PROVIDER: "statuspage", CONF_URL: url},
        unique_id=UNIQUE_ID,
    )
    entry.add_to_hass(hass)
    return entry


def _check_registry(
    soak: Soak, registered: set[tuple[str, str]], customized: dict[str, Any]
) -> None:
    """Everything the user set survives, and no entity came or went."""
    registry = er.async_get(soak.hass)
    now = {
        (e.unique_id, e.entity_id)
        for e in er.async_entries_for_config_entry(registry, soak.entry.entry_id)
    }
    soak.check(now == registered, f"the entity registry changed: {registered ^ now}")
    for entity_id, settings in customized.items():
        registry_entry = registry.async_get(entity_id)
        soak.check(
            registry_entry is not None
            and all(getattr(registry_entry, k) == v for k, v in settings.items()),
            f"{entity_id} lost its settings {settings}: {registry_entry}",
        )
    named = soak.hass.states.get(next(iter(customized)))
    assert named is not None
    soak.check(
        named.attributes.get("friendly_name") == "My API",
        f"the user's name is gone: {named.attributes.get('friendly_name')!r}",
    )


async def _check_unload(soak: Soak, freezer: FrozenDateTimeFactory) -> None:
    """Once unloaded, the entry leaves no timer or task and sends nothing, ever."""
    hass = soak.hass
    assert _integration_timers(hass), "the refresh timer was not found"
    assert await hass.config_entries.async_unload(soak.entry.entry_id)
    await hass.async_block_till_done()
    assert soak.entry.state is ConfigEntryState.NOT_LOADED
    requests = soak.server.requests
    for _ in range(24):
        freezer.tick(timedelta(minutes=5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    soak.check(
        soak.server.requests == requests,
        f"{soak.server.requests - requests} requests after the unload",
    )
    soak.check(
        not _integration_timers(hass),
        f"timers after the unload: {_integration_timers(hass)}",
    )
    soak.check(
        not _integration_tasks(), f"tasks after the unload: {_integration_tasks()}"
    )


@pytest.mark.freeze_time("2026-11-20T10:00:00+00:00")
@pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")
async def test_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """300+ polls of misbehaving answers leave nothing wrong, lost or running."""
    started = _wall_clock()
    server = SoakServer()
    async with serve(server) as url:
        entry = _set_up_entry(hass, url)
        soak = Soak(hass, freezer, caplog, server, entry)
        server.answer = soak.first_answer()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is ConfigEntryState.LOADED

        entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        soak.entity_ids = {e.unique_id: e.entity_id for e in entries}
        # 8 components with 2 entities each, and the page's 9 entities.
        assert len(soak.entity_ids) == 8 * 2 + 9
        registered = {(e.unique_id, e.entity_id) for e in entries}
        customized = _customize(hass, soak.entity_ids)
        soak.user_named = {next(iter(customized))}
        await hass.async_block_till_done()
        soak.log_index = len(caplog.records)
        unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, soak.count_write)

        number = 0
        for kind in _schedule(random.Random(SEED)):  # noqa: S311 (seeded, not secret)
            number += 1
            await soak.poll(kind, number)
            if (
                kind == "rate_limited"
                and soak.not_before is not None
                and soak.not_before > dt_util.utcnow()
            ):
                number += 1
                await soak.poll("refused", number)

        unsubscribe()
        _check_registry(soak, registered, customized)
        await _check_unload(soak, freezer)

    soak.figures.wall = _wall_clock() - started
    for mismatch in server.validator_mismatches:
        soak.fail(mismatch)
    summary = soak.summary()
    print(f"\n{summary}")  # noqa: T201
    assert soak.figures.polls >= 300
    for kind in (*SCHEDULE, "refused"):
        assert soak.figures.answers[kind] >= 5, kind
    assert soak.figures.streaks >= 30, "too few failure streaks"
    shown = "\n".join(soak.violations[:40])
    assert not soak.violations, f"{summary}\nfirst violations:\n{shown}"
