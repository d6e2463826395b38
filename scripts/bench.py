"""Benchmark the poll path on a 539-component Statuspage (not a test).

Runs a real Home Assistant instance (no network: HTTP is answered by an in-process fake
session), sets up one Cloud Status entry for the page and drives polls with
``coordinator.async_refresh()``:

(a) the page answers 200 with the same body as before, no validators;
(b) the page answers 304 because If-None-Match matches the ETag it gave;
(c) the page alternates between two bodies that differ in one component's status.

For each it reports the median CPU time per poll next to the median CPU time of plain
``json.loads`` of the same body, measured in the same run, how often the body was parsed,
and the state writes per poll. Before those polls it measures, with tracemalloc, the
memory the loaded entry holds (default entities, after set-up and a few polls), and how
much of it the integration's own code allocated.

It exits 1 when a target is broken:
(a) and (b) parse nothing; (c) writes at most the changed component's two entities plus
the page-level entities whose value changed; the integration's own memory stays under
1 MiB; (c) costs at most 1.5 times json.loads of the same body; and, on the shared Duo
page, no scenario's poll/json.loads ratio is more than BASELINE_TOLERANCE above the
ratio recorded in BASELINE (the figures before issue 13). Ratios to json.loads measured in
the same run keep the comparison fair on a faster or slower machine; a busy machine can
still push a timing past its tolerance, so rerun before believing one.

Usage: scripts/bench [--iterations N] [--synthetic] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
import gc
import json
import logging
from pathlib import Path
import re
import sys
import tempfile
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

import orjson

REPO = Path(__file__).resolve().parents[1]
for _path in (REPO, REPO / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# Home Assistant first: it swaps voluptuous for probatio before anything imports it.
import homeassistant  # noqa: E402, F401

# isort: split

import bench_platforms  # noqa: E402
from bench_platforms import FakeResponse, median_us  # noqa: E402
import demo_platforms  # noqa: E402
from multidict import CIMultiDict  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    async_test_home_assistant,
)
from yarl import URL  # noqa: E402

from custom_components.cloud_status import PLATFORMS  # noqa: E402
from custom_components.cloud_status.api import (  # noqa: E402
    ComponentStatus,
    StatusSnapshot,
    parse_summary,
    statuspage,
)
from custom_components.cloud_status.const import CONF_PROVIDER, DOMAIN  # noqa: E402
from homeassistant import loader  # noqa: E402
from homeassistant.const import CONF_URL, EVENT_STATE_CHANGED  # noqa: E402
from homeassistant.core import Event, HomeAssistant, callback  # noqa: E402
from homeassistant.helpers import entity_registry as er  # noqa: E402
from homeassistant.helpers.entity import Entity  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402

DUO_PAGE = (
    REPO.parent
    / "shared"
    / "payloads"
    / "statuspage_v2"
    / "duo_components_2021-12-03_539_components_69_groups.json"
)
PAGE_URL = "https://status.bench.invalid"
DEFAULT_ITERATIONS = 200
WARMUP = 3
SYNTHETIC_COMPONENTS = 539
SYNTHETIC_GROUPS = 69
FLIP_FROM = ComponentStatus.OPERATIONAL.value
FLIP_TO = ComponentStatus.DEGRADED_PERFORMANCE.value
ETAG = '"bench-etag-a"'

# Page-level entities (unique-id key) and the value each one shows.
PAGE_LEVEL_VALUES: dict[str, Callable[[StatusSnapshot], object]] = {
    "overall_status": lambda s: s.overall_status,
    "problem": lambda s: s.has_problem,
    "active_incidents": lambda s: (len(s.incidents), s.incidents),
    "incident_active": lambda s: bool(s.incidents),
    "maintenance_active": lambda s: s.active_maintenances,
    "next_maintenance": lambda s: s.upcoming_maintenances,
    "maintenance_calendar": lambda s: s.maintenances,
    "description": lambda s: (s.description, s.indicator),
}
# "description" is not an entity: the overall_status sensor shows it as attributes.
_SHOWN_BY = {"description": "overall_status"}

SCENARIOS = {
    "a": "(a) unchanged 200 body",
    "b": "(b) 304 Not Modified",
    "c": "(c) one component changes",
}

# Targets of issue 13.
OWN_MEMORY_LIMIT = 1024 * 1024
C_JSON_LOADS_LIMIT = 1.5
# The figures on Duo's page before issue 13 (commit 0703b0d: a raw-dict component cache,
# one DeviceInfo per entity, a fingerprint plus an identity check per entity): medians of
# five runs of 200 to 500 polls on an idle 2-core machine.
BASELINE: dict[str, Any] = {
    "commit": "0703b0d",
    "scenarios": {
        "a": {"median_cpu_us": 43.3, "ratio": 0.070},
        "b": {"median_cpu_us": 18.4, "ratio": 0.028},
        "c": {"median_cpu_us": 817.0, "ratio": 1.241},
    },
    "memory": {"total_bytes": 10_844_479, "own_bytes": 2_014_115},
}
# How far above its baseline ratio a scenario may land before it counts as slower: the
# spread of repeated runs on one machine.
BASELINE_TOLERANCE = 0.25


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True, slots=True)
class Page:
    """The benchmarked page: body A, body B (one component flipped) and what changed."""

    name: str
    source: str  # "shared" or "synthetic"
    path: str | None
    components: int
    groups: int
    body_a: bytes
    body_b: bytes
    page_id: str
    changed_component_id: str
    changed_component_name: str


def synthetic_summary(
    components: int = SYNTHETIC_COMPONENTS, groups: int = SYNTHETIC_GROUPS
) -> dict[str, Any]:
    """Build a components.json-shaped page: `groups` groups holding the others."""
    page_id = "benchpage0001"
    stamp = "2021-12-03T19:08:50.524-05:00"
    members = components - groups
    items: list[dict[str, Any]] = []
    for g in range(groups):
        group_id = f"grp{g:09d}"
        count = members // groups + (1 if g < members % groups else 0)
        child_ids = [f"c{g:03d}x{m:07d}" for m in range(count)]
        items.append(
            {
                "id": group_id,
                "name": f"Region {g + 1:02d}",
                "status": "operational",
                "created_at": stamp,
                "updated_at": stamp,
                "position": g + 1,
                "description": None,
                "showcase": False,
                "start_date": None,
                "group_id": None,
                "page_id": page_id,
                "group": True,
                "only_show_if_degraded": False,
                "components": child_ids,
            }
        )
        items.extend(
            {
                "id": child_id,
                "name": f"Service {m + 1}",
                "status": "operational",
                "created_at": stamp,
                "updated_at": stamp,
                "position": m + 1,
                "description": (
                    "HTTPS (tcp/443) and LDAP(S) (tcp/389, tcp/636) endpoints."
                ),
                "showcase": False,
                "start_date": None,
                "group_id": group_id,
                "page_id": page_id,
                "group": False,
                "only_show_if_degraded": False,
            }
            for m, child_id in enumerate(child_ids)
        )
    return {
        "page": {
            "id": page_id,
            "name": "Synthetic",
            "url": PAGE_URL,
            "time_zone": "Etc/UTC",
            "updated_at": stamp,
        },
        "components": items,
    }


def _flip_one(body_a: bytes) -> tuple[bytes, dict[str, Any]]:
    """Return body B (first operational non-group component degraded) and that component.

    The flip is done in the bytes, so A and B differ only in that one status value; if the
    layout defeats that, both bodies are re-serialized instead.
    """
    payload = json.loads(body_a)
    target = next(
        item
        for item in payload["components"]
        if not item.get("group") and item.get("status") == FLIP_FROM
    )
    expected = json.loads(body_a)
    next(c for c in expected["components"] if c["id"] == target["id"])["status"] = (
        FLIP_TO
    )
    id_match = re.search(
        rb'"id"\s*:\s*"' + re.escape(target["id"].encode()) + rb'"', body_a
    )
    if id_match:
        # The component's status is the first "status" key after its id, before the
        # next object starts.
        status_re = re.compile(rb'("status"\s*:\s*")' + FLIP_FROM.encode() + rb'"')
        end = body_a.find(b"}", id_match.end())
        found = status_re.search(body_a, id_match.end(), end)
        if found is None:  # "status" may come before "id" in the object
            start = body_a.rfind(b"{", 0, id_match.start())
            found = status_re.search(body_a, start, id_match.start())
        if found is not None:
            body_b = (
                body_a[: found.start()]
                + found.group(1)
                + FLIP_TO.encode()
                + b'"'
                + body_a[found.end() :]
            )
            if json.loads(body_b) == expected:
                return body_b, target
    return json.dumps(expected).encode(), target


def load_page(*, synthetic: bool = False, path: Path = DUO_PAGE) -> Page:
    """Read the Duo page from ../shared, or generate one of the same shape."""
    if not synthetic and path.is_file():
        body_a = path.read_bytes()
        source, where = "shared", str(path)
    else:
        body_a = json.dumps(synthetic_summary(), indent=4).encode()
        source, where = "synthetic", None
    payload = json.loads(body_a)
    body_b, target = _flip_one(body_a)
    if len(body_b) != len(body_a) + len(FLIP_TO) - len(FLIP_FROM):
        # _flip_one fell back to re-serializing: A must be serialized the same way.
        body_a = json.dumps(payload).encode()
    return Page(
        name=payload["page"]["name"],
        source=source,
        path=where,
        components=len(payload["components"]),
        groups=sum(1 for item in payload["components"] if item.get("group") is True),
        body_a=body_a,
        body_b=body_b,
        page_id=payload["page"]["id"],
        changed_component_id=target["id"],
        changed_component_name=target["name"],
    )


# --------------------------------------------------------------------------- fake HTTP


@dataclass(slots=True)
class FakeStatusServer:
    """Stands in for the aiohttp session: answers summary.json by scenario.

    mode "a": 200 with body A and no validators, whatever the request says.
    mode "b": 304 when If-None-Match is our ETag, else 200 with body A and the ETag.
    mode "c": 200 alternating body B, body A, ... with no validators.
    """

    page: Page
    mode: str = "a"
    served: Counter[int] = field(default_factory=Counter)
    _flip: bool = False

    def request(
        self,
        method: str,
        url: URL,
        *,
        headers: dict[str, str] | None = None,
        data: object = None,
    ) -> FakeResponse:
        """Answer one GET (what `session.request(...)` returns)."""
        assert method == "GET"  # noqa: S101
        headers = headers or {}
        status, body, extra = 200, self.page.body_a, {}
        if self.mode == "b":
            if headers.get("If-None-Match") == ETAG:
                status, body = 304, b""
            else:
                extra = {"ETag": ETAG}
        elif self.mode == "c":
            self._flip = not self._flip
            body = self.page.body_b if self._flip else self.page.body_a
        self.served[status] += 1
        response_headers = CIMultiDict({"Content-Type": "application/json", **extra})
        if status == 200:
            response_headers["Content-Length"] = str(len(body))
        return FakeResponse(status, URL(str(url)), response_headers, body)

    def reset_flip(self) -> None:
        """Make the next mode-"c" answer body B."""
        self._flip = False


# --------------------------------------------------------------------------- counting


@dataclass(slots=True)
class Counters:
    """What happened during the polls being measured."""

    decodes: int = 0
    parses: int = 0
    writes: list[str] = field(default_factory=list)
    state_changes: list[str] = field(default_factory=list)

    def reset(self) -> None:
        """Start counting from zero."""
        self.decodes = 0
        self.parses = 0
        self.writes.clear()
        self.state_changes.clear()


@contextmanager
def counting(hass: HomeAssistant, counters: Counters) -> Iterator[None]:
    """Count JSON decodes, parse_summary calls, state writes and state_changed events."""
    real_loads = statuspage.loads
    real_parse = statuspage.parse_summary
    real_write = Entity.async_write_ha_state

    def loads(body: bytes) -> Any:
        counters.decodes += 1
        return real_loads(body)

    def parse(payload: Any, *args: Any) -> StatusSnapshot:
        counters.parses += 1
        return real_parse(payload, *args)

    @callback
    def write(self: Entity) -> None:
        counters.writes.append(self.entity_id)
        real_write(self)

    @callback
    def on_state_changed(event: Event[Any]) -> None:
        counters.state_changes.append(event.data["entity_id"])

    unlisten = hass.bus.async_listen(EVENT_STATE_CHANGED, on_state_changed)
    try:
        with (
            patch.object(statuspage, "loads", loads),
            patch.object(statuspage, "parse_summary", parse),
            patch.object(Entity, "async_write_ha_state", write),
        ):
            yield
    finally:
        unlisten()


# --------------------------------------------------------------------------- measuring


def _time_json_loads(bodies: list[bytes], iterations: int) -> float:
    for body in bodies:
        json.loads(body)
    samples: list[int] = []
    for i in range(iterations):
        body = bodies[i % len(bodies)]
        start = time.process_time_ns()
        json.loads(body)
        samples.append(time.process_time_ns() - start)
    return median_us(samples)


def _time_orjson_loads(body: bytes, iterations: int) -> float:
    samples: list[int] = []
    for _ in range(iterations):
        start = time.process_time_ns()
        orjson.loads(body)
        samples.append(time.process_time_ns() - start)
    return median_us(samples)


def expected_writes(page: Page, unique_prefix: str) -> tuple[set[str], list[str]]:
    """Return the unique ids (c) may write, and the page-level keys that change."""
    before = parse_summary(orjson.loads(page.body_a))
    after = parse_summary(orjson.loads(page.body_b))
    changed_components = [
        cid
        for cid, component in after.components.items()
        if before.components.get(cid) != component
    ]
    if changed_components != [page.changed_component_id]:
        raise RuntimeError(f"flip changed {changed_components}, expected one component")
    page_keys = sorted(
        {
            _SHOWN_BY.get(key, key)
            for key, value in PAGE_LEVEL_VALUES.items()
            if value(before) != value(after)
        }
    )
    cid = page.changed_component_id
    allowed = {
        f"{unique_prefix}_{cid}_component_status",
        f"{unique_prefix}_{cid}_component_problem",
        *(f"{unique_prefix}_{key}" for key in page_keys),
    }
    return allowed, page_keys


# --------------------------------------------------------------------------- memory

PACKAGE_DIR = REPO / "custom_components" / DOMAIN
MEMORY_POLLS = 4  # polls after set-up before memory is counted: B, A, B, A
MEMORY_TOP_LINES = 8
MIB = 1024 * 1024


async def _load_code(hass: HomeAssistant) -> None:
    """Import and set up everything an entry needs that is not the entry itself.

    Module code, Home Assistant's platform components and the integration's own set-up
    are loaded once per process, whatever the number of entries: they are not what a
    loaded entry holds, so they are loaded before memory is counted.
    """
    integration = await loader.async_get_integration(hass, DOMAIN)
    await integration.async_get_platforms([str(platform) for platform in PLATFORMS])
    for domain in (DOMAIN, *PLATFORMS):
        if not await async_setup_component(hass, str(domain), {}):
            raise RuntimeError(f"setting up {domain} failed")
    await hass.async_block_till_done()


def memory_figures(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot
) -> dict[str, Any]:
    """Split what was allocated between two snapshots and is still held, by owner.

    An allocation is the integration's own when the line that made it is in
    custom_components/cloud_status (its component cache, its last body, its
    entities' objects, ...); everything else (Home Assistant's states, registry
    entries, entity internals, ...) is Home Assistant's. The bench's own allocations
    (its fake server and counters) are left out of both.
    """
    own_by_file: defaultdict[str, int] = defaultdict(int)
    own_by_line: Counter[str] = Counter()
    home_assistant = 0
    for stat in after.compare_to(before, "lineno"):
        if stat.size_diff == 0:
            continue
        frame = stat.traceback[0]
        path = Path(frame.filename)
        if path == Path(__file__).resolve():
            continue
        if path.is_relative_to(PACKAGE_DIR):
            name = path.relative_to(PACKAGE_DIR).as_posix()
            own_by_file[name] += stat.size_diff
            own_by_line[f"{name}:{frame.lineno}"] += stat.size_diff
        else:
            home_assistant += stat.size_diff
    own = sum(own_by_file.values())
    return {
        "total_bytes": own + home_assistant,
        "own_bytes": own,
        "home_assistant_bytes": home_assistant,
        "own_by_file": dict(
            sorted(own_by_file.items(), key=lambda item: item[1], reverse=True)
        ),
        "own_top_lines": dict(own_by_line.most_common(MEMORY_TOP_LINES)),
    }


async def _traced_setup(
    hass: HomeAssistant, entry: MockConfigEntry, server: FakeStatusServer
) -> dict[str, Any]:
    """Set the entry up and poll a few times under tracemalloc; return its memory."""
    await _load_code(hass)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        entry.add_to_hass(hass)
        if not await hass.config_entries.async_setup(entry.entry_id):
            raise RuntimeError(f"setting up the entry failed: {entry.state}")
        await hass.async_block_till_done()
        server.mode = "c"
        server.reset_flip()
        for _ in range(MEMORY_POLLS):
            await coordinator_of(entry).async_refresh()
            await hass.async_block_till_done()
        server.mode = "a"
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    figures = memory_figures(before, after)
    figures["polls"] = MEMORY_POLLS
    figures["states"] = sum(
        1
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if hass.states.get(entity.entity_id) is not None
    )
    return figures


# Where the Statuspage coordinator takes Home Assistant's session from: its provider
# module since issue 13, coordinator.py before.
# Where the providers take their HTTP session from: the bench hands them a fake one.
PLATFORM_SESSION_GETTER = (
    "custom_components.cloud_status.providers.platform.async_get_clientsession"
)
SESSION_GETTER = (
    "custom_components.cloud_status.providers.statuspage.async_get_clientsession"
)


def coordinator_of(entry: MockConfigEntry) -> Any:
    """Return the entry's status coordinator."""
    return entry.runtime_data.coordinator


@contextmanager
def _no_http_server() -> Iterator[None]:
    with (
        patch("homeassistant.components.http.HomeAssistantHTTP.async_bind"),
        patch("homeassistant.components.http.HomeAssistantHTTP.start"),
    ):
        yield


@asynccontextmanager
async def bench_home_assistant() -> AsyncIterator[HomeAssistant]:
    """Run Home Assistant with custom_components/ enabled; stop it on exit."""
    # _no_http_server: what the disable_http_server fixture does; the calendar needs
    # http, and nothing here may bind a port.
    with (
        tempfile.TemporaryDirectory(prefix="cloud_status_bench_") as config_dir,
        _no_http_server(),
    ):
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            # What the enable_custom_integrations fixture does.
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            try:
                yield hass
            finally:
                await hass.async_block_till_done()
                await hass.async_stop(force=True)


async def measure(
    hass: HomeAssistant, page: Page, iterations: int = DEFAULT_ITERATIONS
) -> dict[str, Any]:
    """Set up the page on hass, run the three scenarios and return the figures."""
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    server = FakeStatusServer(page)
    unique_prefix = f"statuspage:{page.page_id}"
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=page.name,
        data={CONF_PROVIDER: "statuspage", CONF_URL: PAGE_URL},
        unique_id=unique_prefix,
    )
    allowed_unique_ids, page_keys = expected_writes(page, unique_prefix)
    counters = Counters()
    results: dict[str, Any] = {}

    with patch(SESSION_GETTER, return_value=server):
        memory = await _traced_setup(hass, entry, server)
    try:
        coordinator = coordinator_of(entry)
        registry = er.async_get(hass)
        entity_ids = {
            e.unique_id: e.entity_id
            for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        }
        allowed_entity_ids = sorted(
            entity_ids.get(uid, f"<unique id {uid}>") for uid in allowed_unique_ids
        )

        with counting(hass, counters):
            for key in SCENARIOS:
                results[key] = await _run_scenario(
                    hass, coordinator, server, counters, key=key, iterations=iterations
                )
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    c = results["c"]
    allowance = len(allowed_unique_ids)
    written = set(c["_written"])
    sample = c["_sample"]
    for row in results.values():
        del row["_written"], row["_sample"]
    unexpected = sorted(written - set(allowed_entity_ids))
    targets = {
        "a_no_parsing": results["a"]["parses_per_poll"] == 0
        and results["a"]["decodes_per_poll"] == 0,
        "b_no_parsing": results["b"]["parses_per_poll"] == 0
        and results["b"]["decodes_per_poll"] == 0,
        "b_answered_304": results["b"]["http_status"].get("304", 0) == iterations,
        "c_writes": c["max_writes_per_poll"] <= allowance and not unexpected,
        "own_memory_under_1_mib": memory["own_bytes"] < OWN_MEMORY_LIMIT,
    }
    timing_targets = timing_targets_of(results, page)
    return {
        "page": {
            "name": page.name,
            "source": page.source,
            "path": page.path,
            "components": page.components,
            "groups": page.groups,
            "body_bytes": len(page.body_a),
            "entities": len(entity_ids),
        },
        "iterations": iterations,
        "orjson_loads_us": round(_time_orjson_loads(page.body_a, iterations), 1),
        "memory": memory,
        "scenarios": {
            key: {"label": SCENARIOS[key], **results[key]} for key in SCENARIOS
        },
        "c_detail": {
            "changed_component": {
                "id": page.changed_component_id,
                "name": page.changed_component_name,
                "flip": f"{FLIP_FROM} <-> {FLIP_TO}",
            },
            "page_level_values_changed": page_keys,
            "allowed_writes_per_poll": allowance,
            "allowed_entity_ids": allowed_entity_ids,
            "sample_poll_written_entity_ids": sample,
            "unexpected_entity_ids": unexpected,
        },
        "baseline": BASELINE if page.source == "shared" else None,
        "targets": targets,
        "timing_targets": timing_targets,
        "ok": all(targets.values()) and all(timing_targets.values()),
    }


def timing_targets_of(results: dict[str, Any], page: Page) -> dict[str, bool]:
    """(c) within 1.5 json.loads; on Duo's page, no scenario slower than its baseline."""
    targets = {"c_within_1_5_json_loads": results["c"]["ratio"] <= C_JSON_LOADS_LIMIT}
    if page.source == "shared":
        targets.update(
            {
                f"{key}_not_slower": results[key]["ratio"]
                <= BASELINE["scenarios"][key]["ratio"] * (1 + BASELINE_TOLERANCE)
                for key in SCENARIOS
            }
        )
    return targets


async def _run_scenario(
    hass: HomeAssistant,
    coordinator: Any,
    server: FakeStatusServer,
    counters: Counters,
    *,
    key: str,
    iterations: int,
) -> dict[str, Any]:
    # Prime: an unconditional request, so the client holds this scenario's validators
    # (and, for "c", the data equals body A before the first flip to B).
    coordinator.client = statuspage.StatuspageClient(
        server, coordinator.client.base_url
    )
    server.mode = key
    server.reset_flip()
    if key == "c":
        server.mode = "a"
    await coordinator.async_refresh()
    server.mode = key
    for _ in range(WARMUP if key != "c" else 0):
        await coordinator.async_refresh()
    await hass.async_block_till_done()

    server.served.clear()
    counters.reset()
    bodies = {"a": [server.page.body_a], "b": [server.page.body_a]}.get(
        key, [server.page.body_b, server.page.body_a]
    )
    samples: list[int] = []
    writes_per_poll: list[int] = []
    changes_per_poll: list[int] = []
    sample_written: list[str] = []
    written: set[str] = set()
    for i in range(iterations):
        writes_before = len(counters.writes)
        changes_before = len(counters.state_changes)
        start = time.process_time_ns()
        await coordinator.async_refresh()
        samples.append(time.process_time_ns() - start)
        # Anything the poll scheduled runs here, outside the timed part.
        await hass.async_block_till_done()
        if not coordinator.last_update_success:
            raise RuntimeError(
                f"poll {i} of {key} failed: {coordinator.last_exception!r}"
            )
        new_writes = counters.writes[writes_before:]
        writes_per_poll.append(len(new_writes))
        changes_per_poll.append(len(counters.state_changes) - changes_before)
        written.update(new_writes)
        if i == 0:
            sample_written = sorted(new_writes)

    # The baseline right after, in its own loop (interleaving it would pollute the
    # caches and the GC counts the polls see): plain json.loads of the body the polls
    # were answered with (body A for the 304; B and A alternately for the flip).
    median_poll = median_us(samples)
    median_loads = _time_json_loads(bodies, iterations)
    return {
        "median_cpu_us": round(median_poll, 1),
        "json_loads_us": round(median_loads, 1),
        "ratio": round(median_poll / median_loads, 3),
        "parses_per_poll": counters.parses / iterations,
        "decodes_per_poll": counters.decodes / iterations,
        "writes_per_poll": sum(writes_per_poll) / iterations,
        "max_writes_per_poll": max(writes_per_poll),
        "state_changed_per_poll": sum(changes_per_poll) / iterations,
        "http_status": {str(k): v for k, v in sorted(server.served.items())},
        "_sample": sample_written,
        "_written": sorted(written),
    }


# --------------------------------------------------------------------------- output


def format_table(figures: dict[str, Any]) -> str:
    """Render the figures as the table printed by default."""
    page = figures["page"]
    rows = figures["scenarios"]
    c = figures["c_detail"]
    changed = c["changed_component"]
    lines = [
        (
            f"page: {page['name']} ({page['components']} components,"
            f" {page['groups']} groups), body {page['body_bytes'] / 1000:.0f} KB,"
            f" {page['entities']} entities, iterations {figures['iterations']}"
        )
    ]
    if page["source"] == "synthetic":
        lines.append(
            f"NOTE: {DUO_PAGE} not found (or --synthetic):"
            " using a synthetic page generated in code."
        )
    baseline = figures["baseline"]
    header = (
        f"{'scenario':<28} {'median CPU':>11} {'json.loads':>11} {'ratio':>7}"
        f" {'baseline':>19} {'parses/poll':>12} {'state writes/poll':>18}"
    )
    lines += ["", header, "-" * len(header)]
    for key, row in rows.items():
        if baseline is None:
            before = "n/a"
        else:
            then = baseline["scenarios"][key]
            before = f"{then['median_cpu_us']:.1f} µs {then['ratio']:.3f}"
        lines.append(
            f"{row['label']:<28} {row['median_cpu_us']:>8.1f} µs"
            f" {row['json_loads_us']:>8.1f} µs {row['ratio']:>7.3f} {before:>19}"
            f" {row['parses_per_poll']:>12g} {row['writes_per_poll']:>18g}"
        )
    lines += [
        "",
        (
            "median CPU = time.process_time per coordinator.async_refresh();"
            " json.loads = stdlib on the same body, right after the polls;"
            " ratio = poll / json.loads"
        ),
        (
            f"baseline = commit {BASELINE['commit']} on this page (median CPU, ratio);"
            f" a scenario is slower when its ratio exceeds the baseline's by more than"
            f" {BASELINE_TOLERANCE:.0%}"
            if baseline is not None
            else "baseline: recorded for the shared Duo page only"
        ),
        (
            "orjson.loads of the same body (the integration decodes with orjson):"
            f" {figures['orjson_loads_us']:.1f} µs"
        ),
        (
            f"answers served: (a) {rows['a']['http_status']}, (b) {rows['b']['http_status']},"
            f" (c) {rows['c']['http_status']}"
        ),
        (
            "parses/poll = parse_summary calls; JSON decodes/poll:"
            f" (a) {rows['a']['decodes_per_poll']:g}, (b) {rows['b']['decodes_per_poll']:g},"
            f" (c) {rows['c']['decodes_per_poll']:g}"
        ),
        (
            f"(c) flips {changed['name']!r} ({changed['id']}) {changed['flip']};"
            " page-level values that change:"
            f" {', '.join(c['page_level_values_changed']) or 'none'}"
        ),
        (
            f"(c) allowed writes/poll: {c['allowed_writes_per_poll']};"
            f" max in one poll: {rows['c']['max_writes_per_poll']};"
            f" state_changed events/poll: {rows['c']['state_changed_per_poll']:g}"
        ),
        f"(c) allowed: {', '.join(c['allowed_entity_ids'])}",
        f"(c) written in one sample poll: {', '.join(c['sample_poll_written_entity_ids'])}",
    ]
    if c["unexpected_entity_ids"]:
        lines.append(f"(c) UNEXPECTED writes: {', '.join(c['unexpected_entity_ids'])}")
    lines += ["", *format_memory(figures["memory"], baseline), ""]
    targets = {**figures["targets"], **figures["timing_targets"]}
    lines.extend(
        f"target {name:<24} {'ok' if ok else 'BROKEN'}" for name, ok in targets.items()
    )
    return "\n".join(lines)


def _mib(size: int) -> str:
    return f"{size / MIB:.2f} MiB"


def format_memory(memory: dict[str, Any], baseline: dict[str, Any] | None) -> list[str]:
    """Render the memory figures: total, Home Assistant's and the integration's share."""
    before = ""
    if baseline is not None:
        then = baseline["memory"]
        before = (
            f" (baseline {_mib(then['total_bytes'])}, own {_mib(then['own_bytes'])})"
        )
    return [
        (
            f"memory the loaded entry holds (tracemalloc, after set-up and"
            f" {memory['polls']} polls, {memory['states']} states):"
            f" {_mib(memory['total_bytes'])}{before}"
        ),
        (
            f"  Home Assistant {_mib(memory['home_assistant_bytes'])}; the integration's"
            f" own {_mib(memory['own_bytes'])} ({memory['own_bytes']:,} bytes,"
            f" target under {_mib(OWN_MEMORY_LIMIT)})"
        ),
        "  own by file: "
        + ", ".join(
            f"{name} {size / 1024:.0f} KiB"
            for name, size in memory["own_by_file"].items()
            if size >= 1024
        ),
        "  own, largest lines: "
        + ", ".join(
            f"{line} {size / 1024:.0f} KiB"
            for line, size in memory["own_top_lines"].items()
        ),
    ]


async def run(iterations: int, *, synthetic: bool) -> dict[str, Any]:
    page = load_page(synthetic=synthetic)
    async with bench_home_assistant() as hass:
        figures = await measure(hass, page, iterations)
        summaries = (_as_summary(page.body_a), _as_summary(page.body_b))
        figures["platforms"] = [
            await bench_platforms.measure_platform(
                hass, module, summaries, iterations, _platform_session
            )
            for module in demo_platforms.platforms()
        ]
        return figures


def _as_summary(body: bytes) -> dict[str, Any]:
    """Return the page as a whole summary.json (Duo's recording has only components)."""
    summary: dict[str, Any] = json.loads(body)
    summary.setdefault("status", {"indicator": "none", "description": "OK"})
    summary.setdefault("incidents", [])
    summary.setdefault("scheduled_maintenances", [])
    return summary


def _platform_session(server: Any) -> Any:
    return patch(PLATFORM_SESSION_GETTER, return_value=server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--iterations",
        type=int,
        default=DEFAULT_ITERATIONS,
        help=f"polls per scenario (default {DEFAULT_ITERATIONS})",
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use the generated 539-component page even when ../shared has Duo's",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.iterations < 1:
        parser.error("--iterations must be at least 1")

    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    # "custom integration ... not tested by Home Assistant" on every load.
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    # "zlib_ng and isal are not available": irrelevant here, nothing is compressed.
    logging.getLogger("aiohttp_fast_zlib").setLevel(logging.ERROR)

    figures = asyncio.run(run(args.iterations, synthetic=args.synthetic))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(format_table(figures))
        print("\n".join(bench_platforms.format_rows(figures["platforms"])))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
