"""The AWS Health client: decoding by byte-order mark, events, the picked regions, detection.

tests/fixtures/aws_health/currentevents.json is written for these tests in the shape of
the recorded (trimmed) currentevents of ../shared/payloads/vendors (no copy); the tests
encode it as the live feed is sent: UTF-16 with a byte-order mark.
"""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.cloud_status.api import (
    CloudStatusAuthError,
    CloudStatusParseError,
    ComponentStatus,
    PageInfo,
)
from custom_components.cloud_status.api.aws_health import (
    FEED_URL,
    AwsHealthClient,
    build_snapshot,
    claims,
    decode_feed,
    detect,
    epoch_seconds,
    parse_event,
    parse_events,
    region_of,
)
from custom_components.cloud_status.api.detection import Probe, detection_base_url
from tests.conftest import SHARED_PAYLOADS, load_fixture, load_json_fixture

EVENTS = f"{FEED_URL}/public/currentevents"
DASHBOARD = f"{FEED_URL}/health/status"
PAGE = PageInfo(id="aws_health", name="AWS", url=DASHBOARD)
SHARED_AWS = sorted((SHARED_PAYLOADS / "vendors").glob("aws_health_*.json"))


@pytest.fixture
async def session(
    aioclient_mock: AiohttpClientMocker,
) -> AsyncGenerator[aiohttp.ClientSession]:
    """Return a session answered by aioclient_mock."""
    client_session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield client_session
    await client_session.close()


def _events() -> list[dict[str, Any]]:
    payload: list[dict[str, Any]] = load_json_fixture("aws_health/currentevents.json")
    return payload


def utf16(value: Any, *, big_endian: bool = True) -> bytes:
    """Encode as the live feed: UTF-16 with its byte-order mark."""
    text = value if isinstance(value, str) else json.dumps(value)
    if big_endian:
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _snapshot(selected: frozenset[str] = frozenset(), events: Any = None) -> Any:
    return build_snapshot(
        parse_events(_events() if events is None else events, DASHBOARD),
        selected,
        PAGE,
    )


def _recorded(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- decoding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            utf16(load_fixture("aws_health/currentevents.json")), id="utf16-be"
        ),
        pytest.param(
            utf16(load_fixture("aws_health/currentevents.json"), big_endian=False),
            id="utf16-le",
        ),
        pytest.param(
            codecs.BOM_UTF8 + load_fixture("aws_health/currentevents.json").encode(),
            id="utf8-bom",
        ),
        pytest.param(load_fixture("aws_health/currentevents.json").encode(), id="utf8"),
    ],
)
def test_decoded_by_its_mark(body: bytes) -> None:
    """UTF-16 either way round or UTF-8, with or without a mark: the same events."""
    assert decode_feed(body) == _events()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(json.dumps(_events()).encode("utf-16-le"), id="utf16-without-bom"),
        pytest.param(utf16(_events())[:-1], id="bom-truncated-odd"),
        pytest.param(utf16(_events())[:-10], id="bom-truncated-even"),
        pytest.param(
            codecs.BOM_UTF16_BE + "[\ud800]".encode("utf-16-be", "surrogatepass"),
            id="lone-surrogate",
        ),
        pytest.param(b"", id="empty"),
    ],
)
def test_undecodable_bodies_are_parse_errors(body: bytes) -> None:
    """UTF-16 without a mark, a marked body that breaks off: parse errors."""
    with pytest.raises(CloudStatusParseError):
        decode_feed(body)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            b"<html><body>403 ERROR The request could not be satisfied", id="utf8"
        ),
        pytest.param(utf16("\n<!DOCTYPE html><html></html>"), id="utf16"),
    ],
)
def test_html_is_a_bot_wall(body: bytes) -> None:
    """CloudFront's bot wall answers HTML: a refusal (access_denied)."""
    with pytest.raises(CloudStatusAuthError):
        decode_feed(body)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1791010800", datetime(2026, 10, 3, 7, 0, tzinfo=UTC)),
        (1791010800, datetime(2026, 10, 3, 7, 0, tzinfo=UTC)),
        (1791010800.5, datetime(2026, 10, 3, 7, 0, 0, 500000, tzinfo=UTC)),
        ("9" * 40, None),
        ("soon", None),
        (True, None),
        (None, None),
    ],
)
def test_epoch_seconds(value: Any, expected: datetime | None) -> None:
    """Epoch seconds as text or a number; anything else (or out of range) is None."""
    assert epoch_seconds(value) == expected


@pytest.mark.parametrize(
    ("key", "region"),
    [
        ("ec2-us-east-1", "us-east-1"),
        ("multipleservices-us-gov-west-1", "us-gov-west-1"),
        ("sagemaker-a2i-runtime-ap-southeast-5", "ap-southeast-5"),
        ("us-east-1", "us-east-1"),
        ("iam", None),
        ("ec2", None),
    ],
)
def test_region_of(key: str, region: str | None) -> None:
    """A service key ends with its region code, when it has one."""
    assert region_of(key) == region


# --- events ------------------------------------------------------------------------


def test_every_region_when_none_is_picked() -> None:
    """Services per region are the components; open events are the incidents."""
    snapshot = _snapshot()
    assert {c.id: (c.display_name, c.status) for c in snapshot.components.values()} == {
        "ec2-us-east-1": (
            "Amazon Elastic Compute Cloud (us-east-1)",
            ComponentStatus.PARTIAL_OUTAGE,
        ),
        "lambda-us-east-1": (
            "AWS Lambda (us-east-1)",
            ComponentStatus.DEGRADED_PERFORMANCE,
        ),
        "s3-eu-central-1": (
            "Amazon Simple Storage Service (eu-central-1)",
            ComponentStatus.MAJOR_OUTAGE,
        ),
        "rds-us-west-2": (
            "Amazon Relational Database Service (us-west-2)",
            ComponentStatus.OPERATIONAL,
        ),
    }
    assert snapshot.components["ec2-us-east-1"].raw_status == "2"
    assert snapshot.components["rds-us-west-2"].raw_status == "0"
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert snapshot.indicator == "3"
    ec2 = snapshot.incidents[0]
    assert ec2.id.startswith("arn:aws:health:us-east-1::event/EC2/")
    assert ec2.name == "Increased API error rates"
    assert (ec2.status, ec2.impact, ec2.url) == ("open", "degraded", DASHBOARD)
    assert ec2.started_at == datetime(2026, 10, 3, 7, 0, tzinfo=UTC)
    assert ec2.updated_at == datetime(2026, 10, 3, 7, 30, tzinfo=UTC)
    assert (
        ec2.latest_update
        == "We have identified the cause and are working on mitigation."
    )
    assert ec2.latest_update_id == "1791012600"
    assert ec2.update_count == 2
    assert ec2.components == (
        "Amazon Elastic Compute Cloud (us-east-1)",
        "AWS Lambda (us-east-1)",
    )
    assert [i.impact for i in snapshot.incidents] == ["degraded", "disrupted"]


def test_components_follow_the_picked_regions() -> None:
    """Picked us-west-2: only its service, operational; the other events touch nothing."""
    snapshot = _snapshot(frozenset({"us-west-2"}))
    assert list(snapshot.components) == ["rds-us-west-2"]
    assert snapshot.incidents == ()
    assert snapshot.overall_status is ComponentStatus.OPERATIONAL
    assert not snapshot.has_problem
    nothing = _snapshot(frozenset({"ap-south-1"}))
    assert nothing.components == {}
    assert nothing.overall_status is ComponentStatus.OPERATIONAL


def test_an_event_over_two_regions_names_only_the_picked_one() -> None:
    """An event whose services span regions: only the picked region's are its components."""
    events = _events()
    events[0]["impacted_services"]["ec2-eu-central-1"] = {
        "service_name": "Amazon Elastic Compute Cloud",
        "current": "3",
    }
    snapshot = _snapshot(frozenset({"eu-central-1"}), events)
    assert set(snapshot.components) == {"ec2-eu-central-1", "s3-eu-central-1"}
    assert snapshot.incidents[0].components == (
        "Amazon Elastic Compute Cloud (eu-central-1)",
    )


def test_an_event_with_no_region_counts_only_for_all() -> None:
    """No region in the ARN or the service keys: a component without a region, all only."""
    event = {
        "status": "1",
        "service": "iam",
        "service_name": "AWS Identity and Access Management",
        "summary": "Delayed propagation",
        "date": "1791010800",
    }
    everything = _snapshot(events=[event])
    assert (
        everything.components["iam"].display_name
        == "AWS Identity and Access Management"
    )
    assert everything.incidents[0].id == "iam:1791010800"
    assert everything.incidents[0].latest_update is None
    picked = _snapshot(frozenset({"us-east-1"}), [event])
    assert picked.components == {}
    assert picked.incidents == ()


def test_sparse_and_odd_events() -> None:
    """No arn, no service, an unknown code, a global region, numbers for strings."""
    bare = parse_event({"status": 3}, 4, DASHBOARD)
    assert bare.incident is not None
    assert bare.incident.id == "event-4"
    assert bare.incident.name == "event-4"
    assert bare.components == ()
    odd = parse_event(
        {
            "arn": "arn:aws:health:global::event/IAM/X/Y",
            "status": "7",
            "service_name": "AWS IAM",
            "impacted_services": {"iam": {"current": None}},
            "event_log": [
                {"message": "first", "timestamp": "later"},
                {"message": "second", "timestamp": 1791010800},
                {"message": "third", "timestamp": None},
            ],
        },
        0,
        DASHBOARD,
    )
    assert odd.regions == frozenset({"global"})
    ((component, region),) = odd.components
    assert (component.name, component.status, component.raw_status, region) == (
        "iam (global)",
        ComponentStatus.UNKNOWN,
        "7",
        "global",
    )
    assert odd.incident is not None
    assert (odd.incident.name, odd.incident.impact) == ("AWS IAM", "7")
    assert odd.incident.latest_update == "second"
    unknown = parse_event({"arn": "x", "status": True}, 0, DASHBOARD)
    assert unknown.incident is not None
    assert unknown.incident.impact == "unknown"
    assert unknown.status is ComponentStatus.UNKNOWN


def test_a_resolved_event_is_no_incident() -> None:
    """Status 0, or an end_time whatever the status: resolved, its services operational."""
    events = _events()
    events[1]["end_time"] = "1791003600"
    snapshot = _snapshot(events=events)
    assert snapshot.components["s3-eu-central-1"].status is ComponentStatus.OPERATIONAL
    assert [i.name for i in snapshot.incidents] == ["Increased API error rates"]


def test_the_worst_event_wins_a_shared_component() -> None:
    """Two events over one service: the worse status shows; a repeated arn is one incident."""
    events = _events()
    twin = json.loads(json.dumps(events[0]))
    twin["impacted_services"]["ec2-us-east-1"]["current"] = "3"
    repeat = json.loads(json.dumps(events[0]))
    snapshot = _snapshot(events=[events[0], twin, repeat])
    assert snapshot.components["ec2-us-east-1"].status is ComponentStatus.MAJOR_OUTAGE
    assert len(snapshot.incidents) == 1


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"events": []}, id="other-shape"),
        pytest.param(None, id="missing-list"),
        pytest.param([None], id="null-event"),
        pytest.param([{"impacted_services": []}], id="services-not-object"),
        pytest.param([{"impacted_services": {"a-us-east-1": None}}], id="null-service"),
        pytest.param([{"status": "1", "event_log": {}}], id="log-not-list"),
        pytest.param([{"status": "1", "event_log": [None]}], id="null-log-entry"),
    ],
)
def test_bad_event_lists_raise(payload: Any) -> None:
    """An event list of another shape is a parse error."""
    with pytest.raises(CloudStatusParseError):
        parse_events(payload, DASHBOARD)


# --- the client --------------------------------------------------------------------


async def test_client_polls_and_skips_unchanged(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """UTF-16 body; ETag sent back; 304 or the same body: None."""
    aioclient_mock.get(EVENTS, content=utf16(_events()), headers={"ETag": '"e1"'})
    client = AwsHealthClient(session, FEED_URL, ["us-east-1"])
    snapshot = await client.async_get_snapshot()
    assert snapshot is not None
    assert set(snapshot.components) == {"ec2-us-east-1", "lambda-us-east-1"}
    assert snapshot.page.url == DASHBOARD
    assert client.regions_seen == {"us-east-1", "eu-central-1", "us-west-2"}
    assert await client.async_get_snapshot() is None

    aioclient_mock.clear_requests()
    aioclient_mock.get(EVENTS, status=304)
    assert await client.async_get_snapshot() is None
    assert aioclient_mock.mock_calls[0][3]["If-None-Match"] == '"e1"'

    with pytest.raises(CloudStatusParseError, match="never read"):
        await AwsHealthClient(session).async_get_snapshot()


async def test_the_client_reads_its_url_from_the_entry(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """A feed at another base (the demo, the bench) is read there."""
    base = "http://127.0.0.1:8099/aws_health"
    aioclient_mock.get(f"{base}/public/currentevents", json=[])
    snapshot = await AwsHealthClient(session, base).async_get_snapshot()
    assert snapshot is not None
    assert snapshot.page.url == f"{base}/health/status"


# --- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("health.aws.amazon.com", True),
        ("https://health.aws.amazon.com/health/status", True),
        ("https://health.aws.amazon.com/public/currentevents", True),
        ("aws.amazon.com", False),
        ("status.example.com", False),
        ("ftp://health.aws.amazon.com", False),
    ],
)
def test_claims(raw: str, expected: bool) -> None:
    """Only the dashboard's host is claimed."""
    assert claims(raw) is expected


async def test_detect(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession
) -> None:
    """Another host is not asked; the dashboard's is read once, with its regions."""
    other = "status.example.com"
    assert await detect(Probe(session, other, detection_base_url(other))) is None
    assert aioclient_mock.call_count == 0

    aioclient_mock.get(EVENTS, content=utf16(_events()))
    raw = "health.aws.amazon.com/health/status"
    found = await detect(Probe(session, raw, detection_base_url(raw)))
    assert found is not None
    detected, regions = found
    assert (detected.key, detected.title, detected.url) == ("all", "AWS", FEED_URL)
    assert regions == {"us-east-1", "eu-central-1", "us-west-2"}


# --- the real bodies ---------------------------------------------------------------


@pytest.mark.skipif(not SHARED_AWS, reason="../shared/payloads is absent")
@pytest.mark.parametrize("path", SHARED_AWS, ids=lambda path: path.name)
async def test_real_bodies(
    aioclient_mock: AiohttpClientMocker, session: aiohttp.ClientSession, path: Path
) -> None:
    """The recorded feed, sent as AWS does (UTF-16 BE with its mark), per region."""
    text = _recorded(path)
    aioclient_mock.get(EVENTS, content=utf16(text))
    snapshot = await AwsHealthClient(
        session, regions=["me-central-1"]
    ).async_get_snapshot()
    assert snapshot is not None
    assert {c.display_name for c in snapshot.components.values()} == {
        "AWS Sign-In (me-central-1)",
        "AWS Security Token Service (me-central-1)",
        "Amazon Bedrock (me-central-1)",
    }
    assert snapshot.overall_status is ComponentStatus.MAJOR_OUTAGE
    assert len(snapshot.incidents) == 1
    resolved = build_snapshot(
        parse_events(json.loads(text), DASHBOARD),
        frozenset({"us-west-2"}),
        PAGE,
    )
    assert resolved.incidents == ()
    assert resolved.overall_status is ComponentStatus.OPERATIONAL
