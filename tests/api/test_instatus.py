"""The Instatus client: dates, summary and component parsing, the two-request poll, detection.

The fixtures under tests/fixtures/instatus are written by this project from the shape the
vendor documents (https://instatus.com/help/api/public-data: summary.json with
`activeIncidents`/`activeMaintenances`, JavaScript `Date.toString()` dates, `duration` in
minutes as a string; https://instatus.com/help/webhooks: the component vocabulary) and from
the recorded Perplexity bodies (v2 components with `group: null`); the v3 `children`
nesting follows a peer client. The real bodies in ../shared/payloads/instatus are read by
`test_real_bodies_parse`, skipped when that folder is absent.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
import json
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDict
import pytest
from yarl import URL

from custom_components.cloud_status.api import (
    CloudStatusNotFoundError,
    CloudStatusParseError,
    ComponentStatus,
    MaintenancePhase,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from custom_components.cloud_status.api.instatus import (
    InstatusClient,
    detect,
    detected_page,
    parse_components,
    parse_instatus_time,
    parse_summary,
)
from custom_components.cloud_status.api.instatus.parsing import (
    parse_incident,
    parse_maintenance,
)
from custom_components.cloud_status.api.models import PageInfo
from tests.conftest import SHARED_PAYLOADS, load_json_fixture

type ServerFactory = Callable[..., Awaitable[TestServer]]

BASE = URL("https://status.example.io")
PAGE = PageInfo(id="status.example.io", name="Example", url="https://status.example.io")
REAL = SHARED_PAYLOADS / "instatus"


def _fixture(name: str) -> Any:
    return load_json_fixture(f"instatus/{name}")


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)",
            datetime(2022, 6, 11, 18, 55, 50, tzinfo=UTC),
        ),
        (
            "Sat Jun 11 2022 20:55:50 GMT+0200 (Central European Summer Time)",
            datetime(2022, 6, 11, 18, 55, 50, tzinfo=UTC),
        ),
        ("Jun 1 2022 18:55:50 GMT-0530", datetime(2022, 6, 2, 0, 25, 50, tzinfo=UTC)),
        ("2022-06-11T18:55:50.000Z", datetime(2022, 6, 11, 18, 55, 50, tzinfo=UTC)),
        ("2022-06-11T18:55:50", datetime(2022, 6, 11, 18, 55, 50, tzinfo=UTC)),
    ],
)
def test_javascript_and_iso_dates(value: str, expected: datetime) -> None:
    """Both formats are read, with their offsets; a time without a zone is UTC."""
    assert parse_instatus_time(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "Sat Jux 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)",
        "Sat Feb 30 2022 18:55:50 GMT+0000",
        "Invalid Date",
        "",
        None,
        True,
    ],
)
def test_unreadable_dates_are_none(value: Any) -> None:
    """An unknown month, an impossible day or JavaScript's "Invalid Date" give no time."""
    assert parse_instatus_time(value) is None


# --- summary.json -----------------------------------------------------------------------


def test_summary_with_issues() -> None:
    """HASISSUES: open incidents (resolved ones dropped) and both maintenance phases."""
    components = parse_components(_fixture("components_v2.json"))
    snapshot = parse_summary(_fixture("summary_hasissues.json"), components, BASE)

    assert snapshot.page == PageInfo(
        id="status.example.io", name="Example Cloud", url="https://status.example.io"
    )
    assert snapshot.indicator == "HASISSUES"
    assert snapshot.reported_status is ComponentStatus.DEGRADED_PERFORMANCE
    assert snapshot.indicator_known
    assert snapshot.overall_status is ComponentStatus.PARTIAL_OUTAGE
    (incident,) = snapshot.incidents
    assert incident.id == "cl4a8n3070721qtmzvts760c4"
    assert incident.name == "We're facing an issue with our API"
    assert incident.status == "investigating"
    assert incident.impact == "partial_outage"
    assert incident.started_at == datetime(2026, 11, 20, 7, 45, 12, tzinfo=UTC)
    assert (
        incident.url == "https://status.example.io/incident/cl4a8n3070721qtmzvts760c4"
    )
    running, upcoming = snapshot.maintenances
    assert running.phase is MaintenancePhase.IN_PROGRESS
    assert running.status == "inprogress"
    assert running.starts_at == datetime(2026, 11, 20, 7, tzinfo=UTC)
    assert running.ends_at == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert upcoming.phase is MaintenancePhase.SCHEDULED
    assert upcoming.id == "cl4a8nlv50918qtmzdlw61net"
    assert upcoming.ends_at == datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert snapshot.maintenance_in_progress


def test_summary_without_lists_is_a_quiet_page() -> None:
    """Instatus leaves empty lists out: no incidents, no maintenances, operational."""
    snapshot = parse_summary(_fixture("summary_up.json"), {}, BASE)

    assert snapshot.incidents == ()
    assert snapshot.maintenances == ()
    assert snapshot.reported_status is ComponentStatus.OPERATIONAL
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL


@pytest.mark.parametrize(
    ("page", "reported", "known"),
    [
        ({"status": "UNDERMAINTENANCE"}, ComponentStatus.UNDER_MAINTENANCE, True),
        ({"status": "up"}, ComponentStatus.OPERATIONAL, True),
        ({"status": "SOMEMAJOROUTAGE"}, ComponentStatus.UNKNOWN, False),
        ({}, None, False),
    ],
)
def test_page_status_vocabulary(
    page: dict[str, Any], reported: ComponentStatus | None, known: bool
) -> None:
    """Known values map; an unknown one is UNKNOWN with its raw text; none is none."""
    snapshot = parse_summary({"page": page}, {}, URL("http://127.0.0.1:8099/instatus"))

    assert snapshot.reported_status is reported
    assert snapshot.indicator_known is known
    assert snapshot.indicator == page.get("status")
    # Without a name or URL the page is named by its address.
    assert snapshot.page.name == "127.0.0.1:8099/instatus"
    assert snapshot.page.url == "http://127.0.0.1:8099/instatus"


@pytest.mark.parametrize(
    ("item", "expected_id"),
    [
        ({"id": 42, "name": "x"}, "42"),
        ({"id": " cuid1 ", "url": "https://p/incident/other"}, "cuid1"),
        ({"url": "https://p/incident/abc/"}, "abc"),
    ],
)
def test_incident_ids(item: dict[str, Any], expected_id: str) -> None:
    """Its own id, else the end of its URL."""
    incident = parse_incident(item, PAGE)
    assert incident is not None
    assert incident.id == expected_id


def test_incident_without_id_or_url_has_a_stable_digest() -> None:
    """Two polls of the same incident give it the same id; another incident another id."""
    item = {"name": "API errors", "started": "Fri Nov 20 2026 07:45:12 GMT+0000"}
    first = parse_incident(dict(item), PAGE)
    again = parse_incident(dict(item), PAGE)
    other = parse_incident({**item, "name": "Login errors", "url": "/"}, PAGE)

    assert first is not None
    assert again is not None
    assert other is not None
    assert first.id == again.id
    assert first.id.startswith("incident-")
    assert other.id != first.id
    assert first.url == PAGE.url
    assert first.status == "unknown"
    assert first.impact == "none"


@pytest.mark.parametrize(
    ("impact", "expected"),
    [
        ("MAJOROUTAGE", "major_outage"),
        ("minoroutage", "partial_outage"),
        ("DEGRADEDPERFORMANCE", "degraded_performance"),
        ("SOMETHINGNEW", "somethingnew"),
        ("  ", "none"),
        (3, "none"),
    ],
)
def test_incident_impact(impact: Any, expected: str) -> None:
    """The impact uses the component vocabulary; anything else is kept lower-cased."""
    incident = parse_incident({"id": "i", "impact": impact}, PAGE)
    assert incident is not None
    assert incident.impact == expected


def test_resolved_incident_is_dropped() -> None:
    """RESOLVED in any case is not open."""
    assert parse_incident({"id": "i", "status": "resolved"}, PAGE) is None


@pytest.mark.parametrize(
    ("item", "phase", "ends_at"),
    [
        (
            {"status": "COMPLETED", "start": "2026-11-20T07:00:00Z", "duration": "30"},
            MaintenancePhase.COMPLETED,
            datetime(2026, 11, 20, 7, 30, tzinfo=UTC),
        ),
        (
            {"status": "POSTPONED", "start": "2026-11-20T07:00:00Z", "duration": 1.5},
            MaintenancePhase.SCHEDULED,
            datetime(2026, 11, 20, 7, 1, 30, tzinfo=UTC),
        ),
        ({"start": "2026-11-20T07:00:00Z"}, MaintenancePhase.SCHEDULED, None),
        ({"duration": "60"}, MaintenancePhase.SCHEDULED, None),
        ({"start": "2026-11-20T07:00Z", "duration": "soon"}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": True}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": [60]}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": "0"}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": "-5"}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": "inf"}, None, None),
        ({"start": "2026-11-20T07:00Z", "duration": 1e12}, None, None),
        # Within a century of the last time Home Assistant holds, or past datetime's.
        ({"start": "9999-12-30T00:00:00Z", "duration": "1440"}, None, None),
        ({"start": "9950-01-01T00:00:00Z", "duration": 60 * 24 * 366 * 90}, None, None),
    ],
)
def test_maintenance_phase_and_end(
    item: dict[str, Any], phase: MaintenancePhase | None, ends_at: datetime | None
) -> None:
    """The status gives the phase (unknown: scheduled); start + duration the end."""
    maintenance = parse_maintenance({"name": "m", **item}, PAGE)

    assert maintenance.phase is (phase or MaintenancePhase.SCHEDULED)
    assert maintenance.ends_at == ends_at
    assert maintenance.id.startswith("maintenance-")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "not an object"),
        ({"page": None}, "page is NoneType"),
        ({"page": {"status": "UP"}, "activeIncidents": {}}, "not an array"),
        ({"page": {"status": "UP"}, "activeIncidents": [None]}, "incident is"),
        ({"page": {"status": "UP"}, "activeMaintenances": ["x"]}, "maintenance is"),
    ],
)
def test_summary_wrong_shapes(payload: Any, message: str) -> None:
    """A summary that is not Instatus's shape is a parse error, never a quiet page."""
    with pytest.raises(CloudStatusParseError, match=message):
        parse_summary(payload, {}, BASE)


# --- components.json --------------------------------------------------------------------


def test_v2_components_with_groups() -> None:
    """`group` links a member to its group, whose name prefixes the member's."""
    components = parse_components(_fixture("components_v2.json"))

    api = components["clyi6jhgg31469ihojbwbsmeeg"]
    assert api.status is ComponentStatus.PARTIAL_OUTAGE
    assert api.raw_status == "PARTIALOUTAGE"
    assert api.description == "REST API"
    assert components["clyiakn7i60113hvojwho6za6j"].description is None
    regions = components["cmr18ih7201l20rqmap66regn"]
    assert regions.is_group
    assert regions.status is ComponentStatus.PARTIAL_OUTAGE
    eu_west = components["cmr18ih7201l20rqmap66euw1"]
    assert eu_west.display_name == "Regions \u2013 EU West"
    assert eu_west.group_id == regions.id
    # Without a name in the link, the group's own entry names it.
    us_east = components["cmr18ih7201l20rqmap66use1"]
    assert us_east.display_name == "Regions \u2013 US East"
    assert us_east.status is ComponentStatus.UNDER_MAINTENANCE
    assert not us_east.is_group


def test_v3_components_nested() -> None:
    """v3 nests members under `children`; they are named after their group."""
    components = parse_components(_fixture("components_v3.json"))

    assert list(components) == [
        "clyi6jhgg31469ihojbwbsmeeg",
        "cmr18ih7201l20rqmap66regn",
        "cmr18ih7201l20rqmap66euw1",
        "cmr18ih7201l20rqmap66use1",
    ]
    assert components["cmr18ih7201l20rqmap66regn"].is_group
    assert not components["clyi6jhgg31469ihojbwbsmeeg"].is_group
    us_east = components["cmr18ih7201l20rqmap66use1"]
    assert us_east.display_name == "Regions \u2013 US East"
    assert us_east.status is ComponentStatus.MAJOR_OUTAGE


def test_component_links_of_every_form() -> None:
    """A group given as an id string, an int id, a link without an id, a self-link."""
    components = parse_components(
        {
            "components": [
                {"id": "g", "name": "Group", "status": "OPERATIONAL"},
                {"id": "a", "name": "A", "status": "NEW", "group": "g"},
                {"id": 7, "name": "Seven", "status": None, "group": {"id": 1}},
                {
                    "id": "p",
                    "name": "Parent",
                    "children": [
                        {
                            "id": "c",
                            "name": "Child",
                            "group": {"name": " Named "},
                            "children": [{"id": "gc", "name": "Grandchild"}],
                        }
                    ],
                },
                {"id": "s", "name": "Self", "group": {"id": "s", "name": "Self"}},
                {"id": "b", "name": "B", "group": {"id": True}},
            ]
        }
    )

    assert components["a"].display_name == "Group \u2013 A"
    assert components["a"].status is ComponentStatus.UNKNOWN
    assert components["a"].raw_status == "NEW"
    assert components["g"].is_group
    # A group id no component has: the member keeps its own name.
    assert components["7"].group_id == "1"
    assert components["7"].display_name == "Seven"
    assert components["7"].raw_status is None
    assert components["c"].display_name == "Named \u2013 Child"
    assert components["gc"].display_name == "Parent \u2013 Grandchild"
    assert components["s"].group_id is None
    assert components["s"].display_name == "Self"
    assert components["b"].group_id is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "not an object"),
        ({}, "has no 'components' list"),
        ({"components": None}, "has no 'components' list"),
        ({"components": [None]}, "component is NoneType"),
        ({"components": [{"name": "x"}]}, "has no 'id'"),
        ({"components": [{"id": "x"}]}, "has no 'name'"),
        ({"components": [{"id": "x", "name": "x", "children": {}}]}, "not an array"),
    ],
)
def test_components_wrong_shapes(payload: Any, message: str) -> None:
    """A missing or null list, or a component that is not an object, fails the poll."""
    with pytest.raises(CloudStatusParseError, match=message):
        parse_components(payload)


@pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/payloads is not beside the repo"
)
def test_real_bodies_parse() -> None:
    """The recorded Perplexity summary and component list read as an operational page."""
    components = parse_components(
        json.loads(
            (REAL / "perplexity_v2-components_3_operational_trimmed.json").read_text()
        )
    )
    snapshot = parse_summary(
        json.loads(
            (REAL / "perplexity_summary_UP_no_active_arrays_trimmed.json").read_text()
        ),
        components,
        URL("https://status.perplexity.com"),
    )

    assert snapshot.page.name == "Perplexity"
    assert [c.name for c in snapshot.components.values()] == [
        "Website",
        "API",
        "Computer",
    ]
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert (
        detected_page(
            json.loads(
                (
                    REAL / "perplexity_summary_UP_no_active_arrays_trimmed.json"
                ).read_text()
            )
        )
        == "Perplexity"
    )


# --- the client against a real server ---------------------------------------------------


class FakeInstatus:
    """An Instatus page on 127.0.0.1: queued answers per path, and the requests seen."""

    def __init__(self) -> None:
        """Start with nothing queued."""
        self.answers: dict[str, list[tuple[int, bytes, dict[str, str]]]] = {}
        self.requests: list[tuple[str, CIMultiDict[str]]] = []
        self.server: TestServer | None = None

    def add(
        self, path: str, payload: Any = None, status: int = 200, **headers: str
    ) -> None:
        """Queue an answer for a path (JSON unless bytes)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.answers.setdefault(path, []).append((status, body, headers))

    async def handle(self, request: web.Request) -> web.Response:
        """Answer with the path's next answer (the last one repeats); 404 without."""
        path = request.path.removeprefix("/page/")
        self.requests.append((path, request.headers.copy()))
        queue = self.answers.get(path)
        if not queue:
            return web.Response(status=404, text="Not Found")
        status, body, headers = queue.pop(0) if len(queue) > 1 else queue[0]
        return web.Response(status=status, body=body, headers=headers)

    @property
    def base(self) -> str:
        """The page's address."""
        assert self.server is not None
        return str(self.server.make_url("/page"))

    def paths(self) -> list[str]:
        """Return the paths requested, in order."""
        return [path for path, _ in self.requests]


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain client session and close it after the test."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
async def fake(aiohttp_server: ServerFactory) -> FakeInstatus:
    """Serve a fake Instatus page under /page."""
    page = FakeInstatus()
    app = web.Application()
    app.router.add_get("/{tail:.*}", page.handle)
    page.server = await aiohttp_server(app)
    return page


@pytest.mark.usefixtures("socket_enabled")
async def test_poll_reads_summary_and_v2_then_sends_validators(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """Two requests a poll; 304s on both cost no parsing; a change is read again."""
    fake.add("summary.json", _fixture("summary_up.json"), ETag='"s1"')
    fake.add("summary.json", status=304, payload=b"")
    fake.add("summary.json", _fixture("summary_hasissues.json"), ETag='"s2"')
    fake.add("v2/components.json", _fixture("components_v2.json"), ETag='"c1"')
    fake.add("v2/components.json", status=304, payload=b"")
    client = InstatusClient(session, fake.base)

    first = await client.async_get_snapshot()
    second = await client.async_get_snapshot()
    third = await client.async_get_snapshot()

    assert first is not None
    assert first.page.id == f"127.0.0.1:{URL(fake.base).port}/page"
    assert len(first.components) == 5
    assert second is None
    assert third is not None
    assert third.indicator == "HASISSUES"
    assert len(third.components) == 5
    assert fake.paths() == ["summary.json", "v2/components.json"] * 3
    (_, summary_first), (_, components_first) = fake.requests[:2]
    assert "If-None-Match" not in summary_first
    assert "If-None-Match" not in components_first
    (_, summary_second), (_, components_second) = fake.requests[2:4]
    assert summary_second["If-None-Match"] == '"s1"'
    assert components_second["If-None-Match"] == '"c1"'
    assert fake.requests[5][1]["If-None-Match"] == '"c1"'


@pytest.mark.usefixtures("socket_enabled")
async def test_identical_bodies_are_unchanged(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """A server without validators that sends the same bytes again: nothing changed."""
    fake.add("summary.json", _fixture("summary_up.json"))
    fake.add("v2/components.json", _fixture("components_v2.json"))
    client = InstatusClient(session, URL(fake.base))

    assert await client.async_get_snapshot() is not None
    assert await client.async_get_snapshot() is None


@pytest.mark.usefixtures("socket_enabled")
async def test_v3_is_remembered_after_v2_answers_404(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """v2 is tried once; from then on a poll asks v3 only: two requests, not three."""
    fake.add("summary.json", _fixture("summary_up.json"))
    fake.add("v3/components.json", _fixture("components_v3.json"))
    client = InstatusClient(session, fake.base)

    first = await client.async_get_snapshot()
    await client.async_get_snapshot()

    assert first is not None
    assert len(first.components) == 4
    assert client.components_path == "v3/components.json"
    assert fake.paths() == [
        "summary.json",
        "v2/components.json",
        "v3/components.json",
        "summary.json",
        "v3/components.json",
    ]


@pytest.mark.usefixtures("socket_enabled")
async def test_remembered_path_that_disappears_is_looked_for_again(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """A page that drops v2 later is read through v3 in the same poll."""
    fake.add("summary.json", _fixture("summary_up.json"))
    fake.add("v2/components.json", _fixture("components_v2.json"))
    fake.add("v2/components.json", status=404, payload=b"gone")
    fake.add("v3/components.json", _fixture("components_v3.json"))
    client = InstatusClient(session, fake.base)

    await client.async_get_snapshot()
    second = await client.async_get_snapshot()

    assert second is not None
    assert len(second.components) == 4
    assert fake.paths()[2:] == [
        "summary.json",
        "v2/components.json",
        "v2/components.json",
        "v3/components.json",
    ]


@pytest.mark.usefixtures("socket_enabled")
async def test_no_component_list_fails_the_poll(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """Both component paths 404: a parse error (invalid_response), not an empty page."""
    fake.add("summary.json", _fixture("summary_up.json"))
    client = InstatusClient(session, fake.base)

    with pytest.raises(CloudStatusParseError, match="no component list"):
        await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_summary_404_is_not_found(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """A page that is gone answers 404 on summary.json: the 404 reaches the coordinator."""
    client = InstatusClient(session, fake.base)

    with pytest.raises(CloudStatusNotFoundError):
        await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_304_to_a_first_request_is_a_parse_error(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """Nothing was asked conditionally, so a 304 cannot mean "unchanged"."""
    fake.add("summary.json", status=304, payload=b"")
    client = InstatusClient(session, fake.base)

    with pytest.raises(CloudStatusParseError, match="304"):
        await client.async_get_snapshot()


@pytest.mark.usefixtures("socket_enabled")
async def test_failed_parse_keeps_the_old_validators(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """A broken answer's validators are not sent back; the next good one is read."""
    fake.add("summary.json", _fixture("summary_up.json"), ETag='"good"')
    fake.add("summary.json", b"<html>oops</html>", ETag='"bad"')
    fake.add("summary.json", _fixture("summary_hasissues.json"))
    fake.add("v2/components.json", _fixture("components_v2.json"))
    client = InstatusClient(session, fake.base)

    await client.async_get_snapshot()
    with pytest.raises(CloudStatusParseError, match="not JSON"):
        await client.async_get_snapshot()
    third = await client.async_get_snapshot()

    assert third is not None
    assert fake.requests[4][1]["If-None-Match"] == '"good"'


# --- detection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"page": {"name": " Example ", "status": "HASISSUES"}}, "Example"),
        ({"page": {"status": "undermaintenance"}}, ""),
        ({"page": {"name": "X", "status": "operational"}}, None),
        ({"page": {"name": "X", "status": None}}, None),
        ({"page": "UP"}, None),
        ([], None),
        (None, None),
    ],
)
def test_detected_page(payload: Any, expected: str | None) -> None:
    """Only a `page` whose status is Instatus's own vocabulary is Instatus."""
    assert detected_page(payload) == expected


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_from_any_pasted_form(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """One request to /summary.json; the key is host:port/path, the title page.name."""
    fake.add("summary.json", _fixture("summary_hasissues.json"))
    raw = f"{fake.base}/summary.json"
    probe = Probe(session, raw, detection_base_url(raw))

    found = await detect(probe)

    assert found is not None
    assert found.key == f"127.0.0.1:{URL(fake.base).port}/page"
    assert found.title == "Example Cloud"
    assert found.url == fake.base
    assert fake.paths() == ["summary.json"]


@pytest.mark.usefixtures("socket_enabled")
async def test_detect_names_a_nameless_page_by_address(
    fake: FakeInstatus, session: aiohttp.ClientSession
) -> None:
    """A summary without a page name is titled by its address."""
    fake.add("summary.json", {"page": {"status": "UP"}})
    probe = Probe(session, fake.base, detection_base_url(fake.base))

    found = await detect(probe)

    assert found is not None
    assert found.title == found.key


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    "answer",
    [
        {"payload": b"<html><title>Status</title></html>"},
        {"payload": {"page": {"id": "x", "name": "Statuspage"}, "status": {}}},
        {"payload": b"", "status": 404},
    ],
    ids=["html", "statuspage_shape", "not_found"],
)
async def test_detect_other_answers_are_not_instatus(
    fake: FakeInstatus, session: aiohttp.ClientSession, answer: dict[str, Any]
) -> None:
    """HTML, another platform's JSON or a 404: not this platform, and no error."""
    fake.add("summary.json", **answer)
    probe = Probe(session, fake.base, detection_base_url(fake.base))

    assert await detect(probe) is None


def test_client_takes_text_or_url() -> None:
    """Text is normalized (an API path pasted is dropped); a URL is used as given."""
    fake_session: Any = object()
    given = URL("http://127.0.0.1:8080/prefix")
    assert InstatusClient(fake_session, given).base_url is given
    client = InstatusClient(fake_session, "status.example.io/v2/components.json")
    assert client.base_url == URL("https://status.example.io/")
    assert client.components_path is None


def test_dates_stay_in_range() -> None:
    """A maintenance near the end of time gets no end, not an overflow."""
    start = datetime(9999, 12, 1, tzinfo=UTC)
    maintenance = parse_maintenance(
        {"id": "m", "start": start.isoformat(), "duration": "60"}, PAGE
    )
    assert maintenance.ends_at == start + timedelta(hours=1)
