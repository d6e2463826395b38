"""Slack's status feed: the parser, the client and detection by host.

tests/fixtures/slack/ is written from the documented shape
(docs.slack.dev/reference/slack-status-api: fields, types, statuses, services) with the
recorded body's habits (integer ids, `-07:00` offsets); the real body in
../shared/payloads/vendors/ is read by a test that skips when it is absent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusParseError,
    CloudStatusResponseTooLargeError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.slack import (
    FEED_PATH,
    FEED_URL,
    SERVICES,
    SlackClient,
    claims,
    detect,
    page_url_of,
    parse_current,
    service_id,
)
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

SHARED_SLACK = (
    SHARED_PAYLOADS / "vendors" / "slack_current_2020-07-30_active_two_incidents.json"
)


def _active() -> Any:
    return load_json_fixture("slack/current_active.json")


def _issue(**fields: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "title": "Something",
        "type": "incident",
        "status": "active",
        "services": ["Messaging"],
        **fields,
    }


def _body(*issues: dict[str, Any], status: str = "active") -> dict[str, Any]:
    return {"status": status, "active_incidents": list(issues)}


# --- the parser --------------------------------------------------------------------------


def test_parse_active_feed() -> None:
    """Outages and incidents set their services; notices, resolved issues do not."""
    snapshot = parse_current(_active())

    statuses = {c.id: c.status for c in snapshot.components.values()}
    assert list(statuses)[: len(SERVICES)] == [service_id(s) for s in SERVICES]
    assert statuses == {
        "login_sso": ComponentStatus.OPERATIONAL,
        "messaging": ComponentStatus.MAJOR_OUTAGE,
        "notifications": ComponentStatus.OPERATIONAL,
        "search": ComponentStatus.OPERATIONAL,
        "workspace_org_administration": ComponentStatus.OPERATIONAL,
        "canvases": ComponentStatus.OPERATIONAL,
        "connectivity": ComponentStatus.MAJOR_OUTAGE,
        "files": ComponentStatus.OPERATIONAL,
        "huddles": ComponentStatus.PARTIAL_OUTAGE,
        "apps_integrations_apis": ComponentStatus.OPERATIONAL,
        "workflows": ComponentStatus.OPERATIONAL,
        # Not in Slack's list: named as the issue names it.
        "posts_files": ComponentStatus.PARTIAL_OUTAGE,
    }
    assert snapshot.components["posts_files"].name == "Posts/Files"
    assert snapshot.components["messaging"].raw_status == "outage"
    assert snapshot.components["search"].raw_status is None
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.reported_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.indicator == "active"
    assert snapshot.has_problem

    assert [i.id for i in snapshot.incidents] == ["2101", "2102"]
    outage = snapshot.incidents[0]
    assert outage.impact == "outage"
    assert outage.status == "active"
    assert outage.components == ("Messaging", "Connectivity")
    assert outage.latest_update == (
        "We've identified the cause and are rolling out a fix."
    )
    assert outage.update_count == 2
    assert outage.url == "https://slack-status.com/2026-05/aa11bb22cc33dd44"
    # Local offsets become the same instants in UTC.
    assert outage.started_at == datetime(2026, 5, 4, 9, 40, tzinfo=UTC)
    assert outage.started_at.tzinfo is UTC
    assert snapshot.incidents[1].started_at == datetime(2026, 5, 4, 10, 20, tzinfo=UTC)
    # The newest open incident (10:20 UTC, though its local time reads later) is the
    # description.
    assert snapshot.description == "Huddles may fail to connect"
    assert snapshot.page.updated_at == datetime(2026, 5, 4, 11, 10, tzinfo=UTC)
    assert snapshot.page.name == "Slack"
    assert snapshot.page.id == "slack-status.com"

    (window,) = snapshot.maintenances
    assert window.phase is MaintenancePhase.SCHEDULED
    assert window.components == ("Workflows",)
    assert window.latest_update == "Workflows will be unavailable for up to 30 minutes."
    assert not snapshot.maintenance_in_progress


def test_parse_ok_feed() -> None:
    """All is well: every documented service operational, nothing open."""
    snapshot = parse_current(load_json_fixture("slack/current_ok.json"))

    assert len(snapshot.components) == len(SERVICES)
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert not snapshot.has_problem
    assert snapshot.incidents == ()
    assert snapshot.description is None
    assert snapshot.indicator == "ok"
    assert snapshot.indicator_known


def test_a_notice_is_informational() -> None:
    """A notice is no incident, changes no service, and only shows as description."""
    body = _active()
    body["active_incidents"] = [body["active_incidents"][2]]

    snapshot = parse_current(body)

    assert snapshot.incidents == ()
    assert snapshot.open_incident_count == 0
    assert not snapshot.has_problem
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert snapshot.description == "Changes to how link previews are generated"
    assert all(
        c.status is ComponentStatus.OPERATIONAL for c in snapshot.components.values()
    )


def test_the_newest_notice_is_the_description() -> None:
    """Several notices: the newest by time; an untitled one gives no description."""
    older = _issue(id=1, type="notice", title="Old", date_updated="2026-05-01T00:00Z")
    newer = _issue(id=2, type="notice", title="New", date_updated="2026-05-02T00:00Z")

    assert parse_current(_body(newer, older)).description == "New"
    assert parse_current(_body(_issue(type="notice", title=""))).description is None


@pytest.mark.parametrize(
    ("kind", "status", "raw"),
    [
        ("outage", ComponentStatus.MAJOR_OUTAGE, "outage"),
        ("Incident", ComponentStatus.PARTIAL_OUTAGE, "incident"),
        ("maintenance", ComponentStatus.UNKNOWN, "maintenance"),
        (None, ComponentStatus.UNKNOWN, None),
    ],
)
def test_issue_types(
    kind: str | None, status: ComponentStatus, raw: str | None
) -> None:
    """Known types set the service; another type is unknown, yet an open incident."""
    snapshot = parse_current(_body(_issue(type=kind)))

    assert snapshot.components["messaging"].status is status
    assert snapshot.components["messaging"].raw_status == raw
    assert snapshot.open_incident_count == 1
    assert snapshot.has_problem
    expected = status if status is not ComponentStatus.UNKNOWN else None
    assert snapshot.reported_status is (expected or ComponentStatus.OPERATIONAL)


def test_the_worst_issue_wins_for_a_service() -> None:
    """A service named by an incident and an outage is a major outage."""
    snapshot = parse_current(
        _body(_issue(id=1, type="incident"), _issue(id=2, type="outage"))
    )

    assert snapshot.components["messaging"].status is ComponentStatus.MAJOR_OUTAGE


def test_an_incident_without_services_still_counts_overall() -> None:
    """No service named: every component operational, overall still an outage."""
    snapshot = parse_current(_body(_issue(type="outage", services=[])))

    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert all(
        c.status is ComponentStatus.OPERATIONAL for c in snapshot.components.values()
    )


@pytest.mark.parametrize(
    ("status", "reported", "known"),
    [
        ("ok", ComponentStatus.OPERATIONAL, True),
        ("ACTIVE", ComponentStatus.OPERATIONAL, True),
        ("broken", ComponentStatus.UNKNOWN, False),
        (None, None, False),
    ],
)
def test_overall_status(
    status: str | None, reported: ComponentStatus | None, known: bool
) -> None:
    """Slack's own status: known values vouch for the page; others are unknown."""
    body: dict[str, Any] = {"active_incidents": []}
    if status is not None:
        body["status"] = status

    snapshot = parse_current(body)

    assert snapshot.reported_status is reported
    assert snapshot.indicator_known is known
    assert snapshot.indicator == (status.lower() if status else None)


def test_issue_statuses() -> None:
    """Resolved and cancelled are over; completed is a past window; none is active."""
    snapshot = parse_current(
        _body(
            _issue(id=1, status="resolved"),
            _issue(id=2, status="cancelled"),
            _issue(id=3, status="completed", type="notice"),
            _issue(id=4, status=None, services=["Search", 7, " "]),
        )
    )

    assert [i.id for i in snapshot.incidents] == ["4"]
    assert snapshot.incidents[0].status == "active"
    assert snapshot.incidents[0].components == ("Search",)
    assert snapshot.incidents[0].url == "https://slack-status.com"
    (window,) = snapshot.maintenances
    assert window.phase is MaintenancePhase.COMPLETED
    assert window.latest_update is None
    assert snapshot.components["messaging"].status is ComponentStatus.OPERATIONAL


def test_notes_newest_first_by_time() -> None:
    """The newest note wins whatever its place; ties go to the first listed."""
    notes = [
        {"date_created": "2026-05-04T00:30:00-07:00", "body": "older"},
        {"date_created": "2026-05-04T09:00:00+01:00", "body": "newest"},
        {"date_created": "2026-05-04T08:00:00Z", "body": "same instant, later"},
        "not a note",
    ]

    (incident,) = parse_current(_body(_issue(notes=notes))).incidents

    assert incident.latest_update == "newest"
    assert incident.latest_update_id == "2026-05-04T09:00:00+01:00"
    assert incident.update_count == 3


def test_two_spellings_of_a_service_are_one_component() -> None:
    """Names that make the same id share one component under the first spelling."""
    snapshot = parse_current(_body(_issue(services=["login / sso", "MESSAGING"])))

    assert snapshot.components["login_sso"].name == "Login/SSO"
    assert snapshot.components["login_sso"].status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.incidents[0].components == ("Login/SSO", "Messaging")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Apps/Integrations/APIs", "apps_integrations_apis"),
        ("Workspace/Org Administration", "workspace_org_administration"),
        ("\u30cf\u30c9\u30eb", "\u30cf\u30c9\u30eb"),
    ],
)
def test_service_id(name: str, expected: str) -> None:
    """Ids are lower-case words joined by `_`; a name without any is its own id."""
    assert service_id(name) == expected


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("active_incidents"),
        lambda b: b.update(active_incidents=None),
        lambda b: b.update(active_incidents={}),
        lambda b: b["active_incidents"].append(None),
        lambda b: b["active_incidents"][0].pop("id"),
        lambda b: b["active_incidents"][0].update(id=True),
        lambda b: b["active_incidents"][0].update(services="Messaging"),
        lambda b: b["active_incidents"][0].update(notes={}),
    ],
    ids=[
        "missing_list",
        "null_list",
        "object_list",
        "null_issue",
        "no_id",
        "boolean_id",
        "services_text",
        "notes_object",
    ],
)
def test_broken_bodies(mutate: Callable[[Any], Any]) -> None:
    """A missing issue list or a malformed issue is a parse error."""
    body = _active()
    mutate(body)

    with pytest.raises(CloudStatusParseError):
        parse_current(body)


@pytest.mark.parametrize("body", [None, [], "ok", {"page": {"id": "x"}}])
def test_other_shapes(body: Any) -> None:
    """Another JSON shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_current(body)


def test_shared_real_body() -> None:
    """The recorded 2020 body (two incidents, -07:00 offsets) parses."""
    if not SHARED_SLACK.is_file():
        pytest.skip(f"{SHARED_SLACK} is not available")

    snapshot = parse_current(json.loads(SHARED_SLACK.read_text(encoding="utf-8")))

    assert snapshot.overall_status is ComponentStatus.PARTIAL_OUTAGE
    assert snapshot.components["notifications"].status is (
        ComponentStatus.PARTIAL_OUTAGE
    )
    assert snapshot.components["apps_integrations_apis"].status is (
        ComponentStatus.PARTIAL_OUTAGE
    )
    assert [i.id for i in snapshot.incidents] == ["878", "879"]
    assert snapshot.incidents[0].started_at == datetime(
        2020, 7, 30, 22, 12, 34, tzinfo=UTC
    )
    assert snapshot.incidents[1].url == (
        "https://status.slack.com/2020-07/7d32ad54b0703c47"
    )
    assert all(
        c.status is not ComponentStatus.UNKNOWN for c in snapshot.components.values()
    )


# --- addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("status.slack.com", True),
        ("https://slack-status.com/", True),
        ("https://slack-status.com/api/v2.0.0/current", True),
        ("HTTP://Status.Slack.com/2020-07/ea58a170d343b2ad", True),
        ("slack.com", False),
        ("status.slack.com.example.net", False),
        ("ftp://status.slack.com", False),
        ("", False),
    ],
)
def test_claims(raw: str, expected: bool) -> None:
    """Only Slack's two status hosts are claimed; bad addresses are not."""
    assert claims(raw) is expected


@pytest.mark.parametrize(
    ("feed", "page"),
    [
        (str(FEED_URL), "https://slack-status.com"),
        (
            "http://127.0.0.1:8099/slack/api/v2.0.0/current",
            "http://127.0.0.1:8099/slack",
        ),
        ("http://127.0.0.1:8099/other?x=1", "http://127.0.0.1:8099/other"),
    ],
)
def test_page_url_of(feed: str, page: str) -> None:
    """The page is the feed's address without the feed's path."""
    assert page_url_of(URL(feed), FEED_PATH) == page


async def test_detect_by_host_sends_nothing() -> None:
    """Slack's host is recognised without a request; the entry keeps the real feed."""
    session: Any = object()
    raw = "https://status.slack.com/"
    probe = Probe(session, raw, detection_base_url(raw))

    detected = await detect(probe)

    assert detected is not None
    assert (detected.key, detected.title) == ("slack-status.com", "Slack")
    assert detected.url == "https://slack-status.com/api/v2.0.0/current"
    assert detected.data == {}
    assert probe.requests == 0

    other = "https://status.example.com"
    assert await detect(Probe(session, other, detection_base_url(other))) is None


# --- the client ----------------------------------------------------------------------


@dataclass
class FakeFeed:
    """The `current` endpoint: one body, optional ETag, or a given answer."""

    body: Any = field(default_factory=_active)
    etag: str | None = None
    text: str | None = None
    content_type: str = "text/html"
    seen: list[dict[str, str]] = field(default_factory=list)
    server: TestServer | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        self.seen.append(dict(request.headers))
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        if self.text is not None:
            return web.Response(text=self.text, content_type=self.content_type)
        headers = {"ETag": self.etag} if self.etag else {}
        return web.json_response(self.body, headers=headers)


@pytest.fixture
async def feed(aiohttp_server: ServerFactory) -> FakeFeed:
    """Serve the fake feed at /slack/api/v2.0.0/current."""
    fake = FakeFeed()
    app = web.Application()
    app.router.add_get("/slack/api/v2.0.0/current", fake.handle)
    fake.server = await aiohttp_server(app)
    return fake


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _client(feed: FakeFeed, session: aiohttp.ClientSession, **kwargs: Any) -> Any:
    assert feed.server is not None
    return SlackClient(
        session, feed.server.make_url("/slack/api/v2.0.0/current"), **kwargs
    )


@pytest.mark.usefixtures("socket_enabled")
async def test_client_polls_conditionally(
    feed: FakeFeed, session: aiohttp.ClientSession
) -> None:
    """One request a poll; the ETag comes back; 304 and equal bodies are None."""
    feed.etag = '"v1"'
    client = _client(feed, session)

    first = await client.async_get_snapshot()
    assert first is not None
    assert first.page.url == str(client.url.with_path("/slack"))
    assert await client.async_get_snapshot() is None
    assert feed.seen[1]["If-None-Match"] == '"v1"'

    feed.etag = None
    assert await client.async_get_snapshot() is None
    feed.body = copy.deepcopy(feed.body)
    feed.body["active_incidents"] = feed.body["active_incidents"][1:]
    changed = await client.async_get_snapshot()
    assert changed is not None
    assert changed.components["messaging"].status is ComponentStatus.OPERATIONAL
    assert len(feed.seen) == 4


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("text", "content_type"),
    [
        ("<!DOCTYPE html><html><title>Just a moment...</title></html>", "text/html"),
        ('  <html lang="en">blocked</html>', "text/plain"),
        ('{"status": "ok", "active_incidents": []}', "text/html"),
    ],
)
async def test_client_refuses_an_html_answer(
    feed: FakeFeed, session: aiohttp.ClientSession, text: str, content_type: str
) -> None:
    """HTML (by its type or its first byte) is a bot wall: a refusal, not a parse error."""
    feed.text, feed.content_type = text, content_type

    with pytest.raises(CloudStatusAuthError, match="HTML"):
        await _client(feed, session).async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_client_failures(feed: FakeFeed, session: aiohttp.ClientSession) -> None:
    """A body over the cap is refused; text that is not JSON is a parse error."""
    with pytest.raises(CloudStatusResponseTooLargeError):
        await _client(feed, session, max_bytes=100).async_get_snapshot()
    feed.text, feed.content_type = "status: ok", "text/plain"
    with pytest.raises(CloudStatusParseError):
        await _client(feed, session).async_get_snapshot()


def test_client_defaults_to_the_real_feed() -> None:
    """Without an address the client reads Slack's own feed."""
    fake_session: Any = object()
    client = SlackClient(fake_session)

    assert client.url == FEED_URL
    assert client.page_url == "https://slack-status.com"
