"""Property-based tests of the UptimeRobot parsers, detector and client.

Arbitrary JSON (objects that use the keys the parsers read), mutations of the project's
fixtures (built from the documented shape: no recorded body exists) and raw bodies;
only the project's own errors may escape, and every datetime is aware and convertible.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.models import PageInfo
from custom_components.cloud_status.api.uptimerobot import (
    UptimeRobotClient,
    find_monitor_list,
    parse_event_feed,
    parse_monitor_list,
)

from .conftest import (
    Answer,
    FakeSession,
    accepted,
    answers,
    bodies,
    check_result,
    fixture_bytes,
    fixture_json,
    json_values,
    mutated,
    ran,
    run,
)

ROBOT_KEYS = (
    "status",
    "data",
    "monitorId",
    "name",
    "statusClass",
    "groupId",
    "groupName",
    "results",
    "type",
    "id",
    "title",
    "content",
    "date",
    "time",
    "timestamp",
    "endDate",
)
MONITORS = fixture_json("uptimerobot/monitor_list.json")
EVENTS = fixture_json("uptimerobot/event_feed.json")
PAGE = PageInfo(id="t", name="status.example.com", url="https://status.example.com")
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
API_URL = "https://status.uptimerobot.com/api/getMonitorList/m7Xk2pQ9rT"


@given(st.one_of(json_values(ROBOT_KEYS), mutated(MONITORS)))
def test_parse_monitor_list(payload: Any) -> None:
    """Monitor lists parse or fail with our error."""
    name = "uptimerobot.parse_monitor_list"
    ran(name)
    try:
        result = parse_monitor_list(payload)
    except CloudStatusError:
        return
    check_result(result)
    accepted(name)


@given(st.one_of(json_values(ROBOT_KEYS), mutated(EVENTS)))
def test_parse_event_feed(payload: Any) -> None:
    """Event feeds parse or fail with our error."""
    name = "uptimerobot.parse_event_feed"
    ran(name)
    try:
        result = parse_event_feed(payload, PAGE, NOW)
    except CloudStatusError:
        return
    check_result(result)
    accepted(name)


@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda prefix, path: f"<script>x = '{prefix}{path}';</script>",
            st.sampled_from(("", "http://", "https://", "//", "/", "ftp://", "\\/")),
            st.text(max_size=60).map(lambda text: f"{text}/getMonitorList/{text[:5]}"),
        ),
        st.just(fixture_bytes("uptimerobot/page.html").decode()),
    )
)
def test_find_monitor_list(html: str) -> None:
    """Any HTML gives a pointer with an http(s) URL, or none."""
    name = "uptimerobot.find_monitor_list"
    ran(name)
    pointer = find_monitor_list(html, URL("https://status.example.com/page"))
    if pointer is not None:
        assert pointer.api_url.scheme in ("http", "https")
        assert pointer.token
        accepted(name)


@given(
    monitors=answers(bodies(MONITORS, ROBOT_KEYS)),
    events=answers(bodies(EVENTS, ROBOT_KEYS)),
)
def test_client(monitors: Answer, events: Answer) -> None:
    """Two polls with broken answers, odd headers and faults end in a result or our error."""
    name = "uptimerobot.UptimeRobotClient"
    ran(name)

    def router(method: str, url: URL) -> Answer:
        return events if "getEventFeed" in url.path else monitors

    async def scenario() -> None:
        client = UptimeRobotClient(
            FakeSession(router), API_URL, page_url="https://status.example.com"
        )
        for _ in range(2):
            try:
                result = await client.async_get_snapshot()
            except CloudStatusError:
                continue
            check_result(result)
            accepted(name)

    run(scenario())
