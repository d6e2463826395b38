"""Property tests of the Heroku feed parser and its host check.

The property: `parse_current_status` returns a snapshot (aware, convertible datetimes) or
raises one of the project's `CloudStatusError`s; `claims` answers True or False for any
text, never raises.
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.heroku import claims, parse_current_status
from custom_components.cloud_status.api.parsing import loads

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

NAME = "heroku.parse_current_status"
FIXTURE = "heroku/current_status.json"
KEYS = (
    "status", "system", "incidents", "scheduled", "id", "title", "created_at",
    "updated_at", "full_url", "resolved", "upcoming", "updates", "update_type",
    "contents", "status_prod", "status_dev",
)  # fmt: skip


def _parse(body: bytes) -> None:
    ran(NAME)
    try:
        snapshot = parse_current_status(loads(body))
    except CloudStatusError:
        return
    check_result(snapshot)
    accepted(NAME)


@per_parser(3)
@given(body=json_values(KEYS))
def test_arbitrary_json(body: object) -> None:
    """Arbitrary JSON with the keys the parser reads fails only with our errors."""
    _parse(dumps(body))


@per_parser(3)
@given(body=mutated(fixture_json(FIXTURE)))
def test_mutated_fixture(body: object) -> None:
    """The documented answer with keys dropped or values nulled, retyped or odd."""
    _parse(dumps(body))


@per_parser(3)
@given(body=raw_bodies(fixture_bytes(FIXTURE)))
def test_raw_bytes(body: bytes) -> None:
    """HTML, truncated JSON, invalid UTF-8 and random bytes."""
    _parse(body)


@given(
    scheme=st.sampled_from(("", "https://", "http://", "ftp://", " ")),
    host=st.sampled_from(("status.heroku.com", "heroku.com", "STATUS.HEROKU.COM")),
    rest=st.one_of(st.just(""), st.text(max_size=40)),
    text=st.text(max_size=200),
)
def test_claims_never_raises(scheme: str, host: str, rest: str, text: str) -> None:
    """Any text is claimed or not, never an error; the hosts themselves are claimed."""
    assert isinstance(claims(text), bool)
    claimed = claims(f"{scheme}{host}{rest}")
    if rest == "" and scheme.strip() in ("", "https://", "http://"):
        assert claimed is (host.lower() == "status.heroku.com")
