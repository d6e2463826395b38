"""Property-based tests of the Uptime Kuma parsers and client: no input crashes them.

Arbitrary JSON (objects that use the keys the parsers read), mutations of the project's
fixtures and raw bodies; only the project's own errors may escape, and every datetime
of a result is aware and convertible.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.parsing import loads
from custom_components.cloud_status.api.uptime_kuma import (
    KumaPage,
    UptimeKumaClient,
    parse_heartbeats,
    parse_status_page,
)

from .conftest import (
    Answer,
    FakeSession,
    accepted,
    answers,
    bodies,
    check_result,
    fixture_json,
    json_values,
    mutated,
    ran,
    run,
)

KUMA_KEYS = (
    "config",
    "title",
    "incident",
    "id",
    "style",
    "content",
    "createdDate",
    "lastUpdatedDate",
    "publicGroupList",
    "name",
    "monitorList",
    "maintenanceList",
    "status",
    "timeslotList",
    "startDate",
    "endDate",
    "description",
    "heartbeatList",
    "time",
)
PAGE_BODY = fixture_json("uptime_kuma/status_page.json")
BEATS_BODY = fixture_json("uptime_kuma/heartbeat.json")
PAGE = KumaPage(URL("https://kuma.example.com"), "example")


def _parse(page: Any, beats: Any) -> None:
    name = "uptime_kuma.parse_status_page"
    ran(name)
    try:
        snapshot = parse_status_page(page, parse_heartbeats(beats), PAGE)
    except CloudStatusError:
        return
    check_result(snapshot)
    accepted(name)


@given(
    page=st.one_of(json_values(KUMA_KEYS), mutated(PAGE_BODY)),
    beats=st.one_of(json_values(KUMA_KEYS), mutated(BEATS_BODY), st.just(BEATS_BODY)),
)
def test_parsers(page: Any, beats: Any) -> None:
    """Arbitrary and mutated bodies parse or fail with our error."""
    _parse(page, beats)


@given(
    page=answers(bodies(PAGE_BODY, KUMA_KEYS)),
    beats=answers(bodies(BEATS_BODY, KUMA_KEYS)),
)
def test_client(page: Answer, beats: Answer) -> None:
    """Two polls with broken answers, odd headers and faults end in a result or our error."""
    name = "uptime_kuma.UptimeKumaClient"
    ran(name)

    def router(method: str, url: URL) -> Answer:
        return beats if "heartbeat" in url.path else page

    async def scenario() -> None:
        client = UptimeKumaClient(
            FakeSession(router), "https://kuma.example.com", "example"
        )
        for _ in range(2):
            try:
                result = await client.async_get_snapshot()
            except CloudStatusError:
                continue
            check_result(result)
            accepted(name)

    run(scenario())


def test_loads_is_what_the_client_uses() -> None:
    """The fixtures themselves parse (the strategies start from valid bodies)."""
    snapshot = parse_status_page(
        loads(b'{"config": {}, "publicGroupList": []}'),
        parse_heartbeats(BEATS_BODY),
        PAGE,
    )
    assert snapshot.components == {}
