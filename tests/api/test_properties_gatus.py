"""Property tests of the Gatus parser and client: any body gives a snapshot or our error."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from yarl import URL

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.gatus import (
    GatusClient,
    parse_endpoints,
    parse_statuses,
)
from custom_components.cloud_status.api.models import PageInfo
from custom_components.cloud_status.api.parsing import loads

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

GATUS_KEYS = (
    "key",
    "name",
    "group",
    "results",
    "success",
    "conditionResults",
    "condition",
    "status",
    "timestamp",
    "errors",
)
PAGE = PageInfo(id="gatus.example.net", name="gatus.example.net")
ORIGINAL = fixture_json("gatus/endpoint_statuses.json")


@given(payload=mutated(ORIGINAL) | json_values(GATUS_KEYS))
def test_parser_never_fails_unexpectedly(payload: Any) -> None:
    """Mutated or arbitrary JSON parses into a sound snapshot or raises our error."""
    ran("gatus.parse_statuses")
    try:
        snapshot = parse_statuses(parse_endpoints(payload), PAGE)
    except CloudStatusError:
        return
    accepted("gatus.parse_statuses")
    check_result(snapshot)


@given(answer=answers(bodies(ORIGINAL, GATUS_KEYS)))
def test_client_never_fails_unexpectedly(answer: Answer) -> None:
    """Any answer (statuses, faults, odd bodies) gives a snapshot, None or our error."""
    ran("gatus.client")

    def router(method: str, url: URL) -> Answer:
        return answer

    async def poll() -> Any:
        client = GatusClient(FakeSession(router), "https://gatus.example.net")  # type: ignore[arg-type]
        return await client.async_get_snapshot()

    try:
        result = run(poll())
    except CloudStatusError:
        return
    accepted("gatus.client")
    check_result(result)
    if result is not None:
        assert set(result.components) <= {
            item["key"] for item in loads(answer.body) if isinstance(item, dict)
        }
