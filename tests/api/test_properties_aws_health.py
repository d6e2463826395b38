"""Property tests of the AWS Health parser and client: any body gives a snapshot or our error."""

from __future__ import annotations

import codecs
import json
from typing import Any

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.aws_health import (
    AwsHealthClient,
    build_snapshot,
    decode_feed,
    parse_events,
)
from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.models import PageInfo

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

AWS_KEYS = (
    "date",
    "arn",
    "region_name",
    "status",
    "service",
    "service_name",
    "summary",
    "event_log",
    "message",
    "timestamp",
    "impacted_services",
    "current",
    "max",
    "end_time",
)
PAGE = PageInfo(id="aws_health", name="AWS")
EVENTS = fixture_json("aws_health/currentevents.json")


def _utf16(body: bytes) -> bytes:
    try:
        return codecs.BOM_UTF16_BE + body.decode("utf-8").encode("utf-16-be")
    except UnicodeDecodeError:
        return codecs.BOM_UTF16_LE + body


@given(payload=mutated(EVENTS) | json_values(AWS_KEYS))
def test_parser_never_fails_unexpectedly(payload: Any) -> None:
    """Mutated or arbitrary events parse into a sound snapshot or raise our error."""
    ran("aws_health.parse_events")
    try:
        events = parse_events(payload, "https://health.aws.amazon.com/health/status")
    except CloudStatusError:
        return
    accepted("aws_health.parse_events")
    for selected in (frozenset(), frozenset({"us-east-1"})):
        check_result(build_snapshot(events, selected, PAGE))


@given(body=bodies(EVENTS, AWS_KEYS), encode=st.booleans())
def test_decoder_never_fails_unexpectedly(body: bytes, encode: bool) -> None:
    """Any body, UTF-8 or re-encoded as UTF-16 with a mark, decodes or raises our error."""
    ran("aws_health.decode_feed")
    raw = _utf16(body) if encode else body
    try:
        decoded = decode_feed(raw)
    except CloudStatusError:
        return
    accepted("aws_health.decode_feed")
    json.dumps(decoded)


@given(answer=answers(bodies(EVENTS, AWS_KEYS).map(_utf16)))
def test_client_never_fails_unexpectedly(answer: Answer) -> None:
    """Any answer (statuses, faults, odd bodies) gives a snapshot, None or our error."""
    ran("aws_health.client")

    def router(method: str, url: URL) -> Answer:
        return answer

    async def poll() -> Any:
        client = AwsHealthClient(FakeSession(router), regions=["eu-central-1"])  # type: ignore[arg-type]
        return await client.async_get_snapshot()

    try:
        result = run(poll())
    except CloudStatusError:
        return
    accepted("aws_health.client")
    check_result(result)
