"""Property tests of the Cachet parsers and client: a snapshot or our error, never else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.cachet import (
    CachetClient,
    parse_components,
    parse_incidents,
    parse_schedules,
)
from custom_components.cloud_status.api.errors import CloudStatusError

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

CACHET_KEYS = (
    "id",
    "name",
    "status",
    "value",
    "human",
    "string",
    "attributes",
    "relationships",
    "components",
    "data",
    "meta",
    "links",
    "next",
    "pagination",
    "per_page",
    "current_page",
    "total_pages",
    "group_id",
    "enabled",
    "component_id",
    "scheduled_at",
    "completed_at",
    "scheduled",
    "completed",
    "occurred",
)
NOW = datetime(2026, 9, 1, 10, tzinfo=UTC)
V2 = {
    name: fixture_json(f"cachet/v2_{name}.json")
    for name in ("components", "groups", "incidents", "schedules")
}
V3 = {
    name: fixture_json(f"cachet/v3_{name}.json")
    for name in ("components", "groups", "incidents", "schedules")
}


def _lists(payload: Any) -> list[Any]:
    data = payload.get("data") if isinstance(payload, dict) else None
    return data if isinstance(data, list) else []


@given(
    version=st.sampled_from((2, 3)),
    lists=st.sampled_from((V2, V3)).flatmap(
        lambda original: st.fixed_dictionaries(
            {
                name: mutated(body) | json_values(CACHET_KEYS)
                for name, body in original.items()
            }
        )
    ),
)
def test_parsers_never_fail_unexpectedly(version: int, lists: dict[str, Any]) -> None:
    """Mutated or arbitrary lists parse into sound models or raise our error."""
    ran("cachet.parse")
    try:
        components = parse_components(
            _lists(lists["components"]), _lists(lists["groups"])
        )
        incidents = parse_incidents(
            _lists(lists["incidents"]), components, version=version, now=NOW
        )
        schedules = parse_schedules(_lists(lists["schedules"]), components, now=NOW)
    except CloudStatusError:
        return
    accepted("cachet.parse")
    check_result((components, incidents, schedules))


@given(
    version=st.sampled_from((2, 3)),
    answer=answers(bodies(V2["components"], CACHET_KEYS)),
)
def test_client_never_fails_unexpectedly(version: int, answer: Answer) -> None:
    """Any answer to every request gives a snapshot, None or our error."""
    ran("cachet.client")

    def router(method: str, url: URL) -> Answer:
        return answer

    async def poll() -> Any:
        client = CachetClient(
            FakeSession(router),  # type: ignore[arg-type]
            "https://status.example.org",
            version,
            clock=lambda: NOW,
        )
        return await client.async_get_snapshot()

    try:
        result = run(poll())
    except CloudStatusError:
        return
    accepted("cachet.client")
    check_result(result)
