"""Property-based tests of the Instatus parsers: no body crashes them.

Arbitrary JSON (with the keys they read), mutations of this project's Instatus fixtures
and raw bodies (HTML, truncated JSON, invalid UTF-8): only `CloudStatusError`s escape,
and every time in a result is aware and convertible to any zone.
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, strategies as st
from yarl import URL

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.instatus import (
    detected_page,
    parse_components,
    parse_instatus_time,
    parse_summary,
)
from custom_components.cloud_status.api.parsing import loads

from .conftest import (
    accepted,
    bodies,
    check_result,
    fixture_json,
    json_scalars,
    odd_strings,
    per_parser,
    ran,
)

KEYS = (
    "page",
    "name",
    "url",
    "status",
    "activeIncidents",
    "activeMaintenances",
    "started",
    "start",
    "duration",
    "impact",
    "id",
    "updatedAt",
    "components",
    "group",
    "children",
    "isParent",
    "description",
)
BASE = URL("https://status.example.io")
JS_DATES = st.builds(
    "{} {} {} {} {:02d}:{:02d}:{:02d} GMT{}{:04d} (x)".format,
    st.sampled_from(("Sat", "Xyz")),
    st.sampled_from(("Jan", "Feb", "Jun", "Dec", "Foo")),
    st.integers(0, 40),
    st.integers(0, 9999),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from("+-"),
    st.integers(0, 9999),
)


def _run(name: str, call: Any) -> None:
    ran(name)
    try:
        result = call()
    except CloudStatusError:
        return
    check_result(result)
    accepted(name)


@per_parser(2)
@given(
    summary=bodies(fixture_json("instatus/summary_hasissues.json"), KEYS),
    components=bodies(fixture_json("instatus/components_v2.json"), KEYS),
)
def test_summary_and_v2_components(summary: bytes, components: bytes) -> None:
    """A poll's two bodies, each valid, mutated, arbitrary or raw."""
    _run(
        "instatus.parse_summary",
        lambda: parse_summary(
            loads(summary), parse_components(loads(components)), BASE
        ),
    )
    with contextlib.suppress(CloudStatusError):
        detected_page(loads(summary))


@per_parser(2)
@given(components=bodies(fixture_json("instatus/components_v3.json"), KEYS))
def test_v3_components(components: bytes) -> None:
    """The nested v3 list."""
    _run("instatus.parse_components", lambda: parse_components(loads(components)))


@given(value=st.one_of(JS_DATES, json_scalars, odd_strings))
def test_dates(value: Any) -> None:
    """JavaScript and ISO dates, valid or not, give an aware time or None."""
    ran("instatus.parse_instatus_time")
    check_result(parse_instatus_time(value))
    accepted("instatus.parse_instatus_time")
