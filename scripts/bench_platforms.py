"""The platform rows of scripts/bench: every demo platform on the benchmarked page.

Each platform of `scripts/demo_platforms` turns the benchmarked Statuspage summary into
its own API's bodies. The entry is created the way **Any status page** creates it (the
platform's detector, then its validating poll), then polled:

(a) every body is the same as before;
(c) one component's status flips on every poll.

Each row gives the median CPU time per poll next to `json.loads` of the bodies that poll
read (measured right after, in the same run), and the requests a poll sends. The bodies
are built before the timed polls, so the fake server's work is not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import json
import statistics
import time
from types import ModuleType
from typing import Any, Self

import demo_platforms
from multidict import CIMultiDict
import orjson
from pytest_homeassistant_custom_component.common import MockConfigEntry
from yarl import URL

from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.const import DOMAIN
from custom_components.cloud_status.providers import PROVIDERS
from homeassistant.core import HomeAssistant

BENCH_HOST = "http://platforms.bench.invalid"
WARMUP = 3
_TEXT = (
    "Customers may have experienced elevated error rates and increased latency. "
    "Our engineering team identified the cause and mitigated the issue. "
) * 4


def _google_resolved(index: int) -> dict[str, Any]:
    day = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}"
    return {
        "id": f"benchResolved{index:06d}",
        "number": str(10_000 + index),
        "service_name": "Multiple Products",
        "begin": f"{day}T10:00:00+00:00",
        "end": f"{day}T12:30:00+00:00",
        "created": f"{day}T10:05:00+00:00",
        "modified": f"{day}T12:35:00+00:00",
        "severity": "low",
        "status_impact": "SERVICE_INFORMATION",
        "external_desc": f"Resolved incident {index}",
        "uri": f"incidents/benchResolved{index:06d}",
        "affected_products": [
            {"id": f"benchProduct{index % 40:02d}", "title": f"Product {index % 40}"}
        ],
        "most_recent_update": {
            "created": f"{day}T12:35:00+00:00",
            "text": _TEXT,
            "status": "AVAILABLE",
        },
    }


def _aws_resolved(index: int) -> dict[str, Any]:
    when = 1_767_225_600 + index * 3_600
    region = ("us-east-1", "eu-west-1", "ap-southeast-2")[index % 3]
    return {
        "date": str(when),
        "arn": f"arn:aws:health:{region}::event/BENCH/{index:06d}",
        "region_name": region,
        "status": "0",
        "service": f"ec2-{region}",
        "service_name": "Amazon Elastic Compute Cloud",
        "summary": f"Resolved event {index}",
        "end_time": str(when + 7_200),
        "event_log": [
            {"summary": "Resolved", "message": _TEXT, "status": 0, "timestamp": when}
        ],
        "impacted_services": {
            f"ec2-{region}": {"service_name": "EC2", "current": "0", "max": "2"}
        },
    }


# The recorded vendor feeds are trimmed; real ones carry their resolved history
# (Google Cloud's incidents.json is 170-400 kB): the bench adds that history.
HISTORY: dict[str, tuple[str, Callable[[int], dict[str, Any]], int]] = {
    "google_cloud": ("incidents.json", _google_resolved, 300_000),
    "aws_health": ("public/currentevents", _aws_resolved, 100_000),
}


class FakeContent:
    """A response body read in chunks, as aiohttp's `content` is."""

    __slots__ = ("_body", "_pos")

    def __init__(self, body: bytes) -> None:
        """Start at the first byte."""
        self._body = body
        self._pos = 0

    async def read(self, n: int = -1) -> bytes:
        """Return the next `n` bytes (all that is left for -1)."""
        if n < 0:
            n = len(self._body) - self._pos
        chunk = self._body[self._pos : self._pos + n]
        self._pos += len(chunk)
        return chunk


class FakeResponse:
    """What the fake sessions of scripts/bench answer (`session.request(...)`)."""

    def __init__(
        self, status: int, url: URL, headers: CIMultiDict[str], body: bytes
    ) -> None:
        """Hold an answer that is already complete."""
        self.status = status
        self.url = url
        self.headers = headers
        self.content = FakeContent(body)

    async def __aenter__(self) -> Self:
        """Enter `async with session.request(...)`."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Nothing to release."""


def median_us(samples_ns: list[int]) -> float:
    """Return the median of CPU-time samples, in microseconds."""
    return statistics.median(samples_ns) / 1000


@dataclass(slots=True)
class PlatformServer:
    """Stands in for the session: answers with a demo platform's view of a summary."""

    module: ModuleType
    summary: dict[str, Any]
    cache: dict[tuple[int, str], tuple[int, bytes, str]] = field(default_factory=dict)
    read: list[bytes] = field(default_factory=list)
    requests: int = 0

    def answer(self, url: URL) -> tuple[int, bytes, str]:
        """Return (status, body, content type) for a URL, built once per summary."""
        key = (id(self.summary), str(url))
        if (cached := self.cache.get(key)) is None:
            path = url.path.removeprefix(self.module.PREFIX).lstrip("/")
            answer = self.module.respond(path, dict(url.query), self.summary)
            if answer is None:
                cached = (404, b"Not Found", "text/plain")
            else:
                status, body, content_type = answer
                if isinstance(body, list):
                    body = body + self.history(path)
                data = body.encode() if isinstance(body, str) else orjson.dumps(body)
                cached = (status, data, content_type)
            self.cache[key] = cached
        return cached

    def history(self, path: str) -> list[dict[str, Any]]:
        """Return the resolved items a real feed carries besides the demo's open ones."""
        provider_id = self.module.__name__.rsplit(".", 1)[-1]
        if (history := HISTORY.get(provider_id)) is None or history[0] != path:
            return []
        items: list[dict[str, Any]] = []
        size = 0
        while size < history[2]:
            items.append(history[1](len(items)))
            size += len(orjson.dumps(items[-1]))
        return items

    def request(
        self,
        method: str,
        url: URL,
        *,
        headers: dict[str, str] | None = None,
        data: object = None,
    ) -> FakeResponse:
        """Answer one GET (what `session.request(...)` returns)."""
        self.requests += 1
        status, body, content_type = self.answer(URL(str(url)))
        self.read.append(body)
        response_headers = CIMultiDict(
            {"Content-Type": content_type, "Content-Length": str(len(body))}
        )
        return FakeResponse(status, URL(str(url)), response_headers, body)


def _time_json_loads(bodies: list[bytes], iterations: int) -> float:
    samples: list[int] = []
    for _ in range(iterations):
        start = time.process_time_ns()
        for body in bodies:
            if body[:1] in (b"{", b"["):
                json.loads(body)
        samples.append(time.process_time_ns() - start)
    return median_us(samples)


async def _entry_for(
    hass: HomeAssistant, provider_id: str, server: PlatformServer
) -> MockConfigEntry:
    module = server.module
    if not demo_platforms.detected_by_address(module):
        return MockConfigEntry(
            domain=DOMAIN,
            title=module.NAME,
            data=module.entry_data(BENCH_HOST),
            unique_id=f"{provider_id}:bench",
        )
    provider = PROVIDERS[provider_id]
    assert provider.detect is not None  # noqa: S101
    raw = demo_platforms.page_address(module, BENCH_HOST)
    probe = Probe(server, raw, detection_base_url(raw))  # type: ignore[arg-type]
    source = await provider.detect(probe)
    if source is None:
        raise RuntimeError(f"{provider_id}: the demo page was not detected")
    return MockConfigEntry(
        domain=DOMAIN, title=source.title, data=source.data, unique_id=source.unique_id
    )


async def measure_platform(
    hass: HomeAssistant,
    module: ModuleType,
    summaries: tuple[dict[str, Any], dict[str, Any]],
    iterations: int,
    session_patch: Callable[[Any], Any],
) -> dict[str, Any]:
    """Set the platform's entry up on the summaries and time (a) and (c)."""
    provider_id = module.__name__.rsplit(".", 1)[-1]
    server = PlatformServer(module, summaries[0])
    entry = await _entry_for(hass, provider_id, server)
    entry.add_to_hass(hass)
    with session_patch(server):
        if not await hass.config_entries.async_setup(entry.entry_id):
            raise RuntimeError(f"{provider_id}: the entry did not set up")
        await hass.async_block_till_done()
    try:
        coordinator = entry.runtime_data.coordinator
        rows = {}
        for key in ("a", "c"):
            samples: list[int] = []
            bodies: list[bytes] = []
            requests = 0
            for i in range(WARMUP + iterations):
                if key == "c":
                    server.summary = summaries[(i + 1) % 2]
                server.read.clear()
                before = server.requests
                start = time.process_time_ns()
                await coordinator.async_refresh()
                elapsed = time.process_time_ns() - start
                await hass.async_block_till_done()
                if not coordinator.last_update_success:
                    raise RuntimeError(
                        f"{provider_id} ({key}): {coordinator.last_exception!r}"
                    )
                if i >= WARMUP:
                    samples.append(elapsed)
                    requests = server.requests - before
                    bodies = list(server.read)
            poll = median_us(samples)
            loads = _time_json_loads(bodies, iterations)
            rows[key] = {
                "median_cpu_us": round(poll, 1),
                "json_loads_us": round(loads, 1),
                "ratio": round(poll / loads, 3) if loads else None,
                "requests_per_poll": requests,
                "body_bytes": sum(len(body) for body in bodies),
            }
        components = len(coordinator.data.snapshot.components)
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    return {"provider": provider_id, "components": components, **rows}


def format_rows(rows: list[dict[str, Any]]) -> list[str]:
    """Render the platform rows."""
    lines = [
        "",
        (
            "platforms (the same page through each demo platform's API; (a) unchanged, "
            "(c) one component changes)"
        ),
        (
            f"{'platform':<14}{'components':>11}{'requests':>10}{'bytes/poll':>12}"
            f"{'(a) CPU':>11}{'ratio':>8}{'(c) CPU':>11}{'ratio':>8}{'json.loads':>12}"
        ),
    ]
    for row in rows:
        a, c = row["a"], row["c"]
        lines.append(
            f"{row['provider']:<14}{row['components']:>11}{c['requests_per_poll']:>10}"
            f"{c['body_bytes']:>12,}{a['median_cpu_us']:>8.1f} µs{_ratio(a):>8}"
            f"{c['median_cpu_us']:>8.1f} µs{_ratio(c):>8}"
            f"{c['json_loads_us']:>9.1f} µs"
        )
    lines.append(
        "ratio = poll / json.loads of the bodies that poll read (all of its requests)"
    )
    return lines


def _ratio(row: dict[str, Any]) -> str:
    return "-" if row["ratio"] is None else f"{row['ratio']:.3f}"
