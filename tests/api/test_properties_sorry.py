"""Property tests of the Sorry\u2122 parsers: arbitrary, mutated and raw bodies.

The property: a parser returns its documented result (aware, convertible datetimes) or
raises one of the project's `CloudStatusError`s, never anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.parsing import (
    loads,
    require_dict,
    require_list_at,
)
from custom_components.cloud_status.api.sorry import (
    parse_components,
    parse_notices,
    parse_page,
)

from .conftest import (
    accepted,
    check_result,
    dumps,
    fixture_bytes,
    fixture_json,
    json_values,
    mutated,
    per_parser,
    ran,
    raw_bodies,
)

KEYS = (
    "page", "state", "links", "name", "url", "updated_at", "components", "id",
    "parent_id", "position", "description", "meta", "next_page", "notices", "type",
    "subject", "synopsis", "link", "began_at", "begins_at", "ends_at", "latest_update",
    "content", "created_at", "timeline_state",
)  # fmt: skip
COMPONENTS = parse_components(fixture_json("sorry/components_page1.json")["components"])


def _components(body: bytes) -> Any:
    payload = require_dict(loads(body), "components body")
    return parse_components(
        [
            require_dict(item, "component")
            for item in require_list_at(payload, "components", "body")
        ]
    )


PARSERS: dict[str, tuple[Callable[[bytes], Any], str]] = {
    "sorry.parse_page": (lambda body: parse_page(loads(body)), "sorry/page.json"),
    "sorry.parse_components": (_components, "sorry/components_page1.json"),
    "sorry.parse_notices": (
        lambda body: parse_notices(loads(body), "https://p", COMPONENTS),
        "sorry/notices_present.json",
    ),
}


def _parse(name: str, body: bytes) -> None:
    ran(name)
    try:
        result = PARSERS[name][0](body)
    except CloudStatusError:
        return
    check_result(result)
    accepted(name)


@pytest.mark.parametrize("name", PARSERS)
@per_parser(3)
@given(data=st.data())
def test_arbitrary_json(name: str, data: st.DataObject) -> None:
    """Arbitrary JSON with the keys the parsers read fails only with our errors."""
    _parse(name, dumps(data.draw(json_values(KEYS))))


@pytest.mark.parametrize("name", PARSERS)
@per_parser(3)
@given(data=st.data())
def test_mutated_fixtures(name: str, data: st.DataObject) -> None:
    """A documented answer with keys dropped or values nulled, retyped or odd."""
    _parse(name, dumps(data.draw(mutated(fixture_json(PARSERS[name][1])))))


@pytest.mark.parametrize("name", PARSERS)
@per_parser(3)
@given(data=st.data())
def test_raw_bytes(name: str, data: st.DataObject) -> None:
    """HTML, truncated JSON, invalid UTF-8 and random bytes."""
    _parse(name, data.draw(raw_bodies(fixture_bytes(PARSERS[name][1]))))
