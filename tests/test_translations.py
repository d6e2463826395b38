"""Entity, error and repair texts exist (flow texts: test_config_flow.py).

Custom integrations read translations/en.json only, so a missing key shows raw.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import string
from typing import Any

import pytest
import yaml

from custom_components.cloud_status.api import KNOWN_STATUSES
from custom_components.cloud_status.binary_sensor import (
    BINARY_SENSORS,
    COMPONENT_BINARY_SENSOR,
)
from custom_components.cloud_status.calendar import CALENDAR
from custom_components.cloud_status.event import EVENTS
from custom_components.cloud_status.photoshop.actions import (
    GET_PHOTOSHOP_JOB_SCHEMA,
    TRACK_PHOTOSHOP_JOB_SCHEMA,
)
from custom_components.cloud_status.photoshop.entities import JOB_EVENT, TRACKED_JOBS
from custom_components.cloud_status.sensor import COMPONENT_SENSOR, SENSORS
from homeassistant.helpers.entity import EntityDescription

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "cloud_status"
EN: dict[str, Any] = json.loads((INTEGRATION / "translations" / "en.json").read_text())
ICONS: dict[str, Any] = json.loads((INTEGRATION / "icons.json").read_text())

ENTITIES: list[tuple[str, EntityDescription]] = [
    *(("sensor", d) for d in (*SENSORS, COMPONENT_SENSOR)),
    *(("binary_sensor", d) for d in (*BINARY_SENSORS, COMPONENT_BINARY_SENSOR)),
    *(("event", d) for d in EVENTS),
    ("calendar", CALENDAR),
    ("sensor", TRACKED_JOBS),
    ("event", JOB_EVENT),
]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    ("platform", "description"),
    ENTITIES,
    ids=lambda value: getattr(value, "key", value),
)
def test_entity_names_states_and_icons(
    platform: str, description: EntityDescription
) -> None:
    """Each entity has a name, a text per state or event type, and an icon."""
    key = description.translation_key
    assert key is not None
    assert key == description.key
    texts = EN["entity"][platform][key]
    assert texts["name"]
    for option in getattr(description, "options", None) or ():
        assert texts["state"][option]
    for event_type in getattr(description, "event_types", None) or ():
        assert texts["state_attributes"]["event_type"]["state"][event_type]
    assert ICONS["entity"][platform][key]["default"].startswith("mdi:")


def test_enum_sensors_offer_every_known_status() -> None:
    """Both enum sensors list exactly the normalized statuses, each with an icon."""
    for description in (SENSORS[0], COMPONENT_SENSOR):
        assert description.options == list(KNOWN_STATUSES)
        icons = ICONS["entity"]["sensor"][description.key]["state"]
        assert set(icons) == set(KNOWN_STATUSES)


@pytest.mark.parametrize("issue_key", ["page_not_found", "jwt_credentials_retired"])
def test_repair_issue_text(issue_key: str) -> None:
    """Each repair issue has a title and a description with its placeholder."""
    issue = EN["issues"][issue_key]
    assert _placeholders(issue["title"]) == {"title"}
    assert _placeholders(issue["description"]) == {"title"}


@pytest.mark.parametrize(
    ("action", "schema"),
    [
        ("get_photoshop_job", GET_PHOTOSHOP_JOB_SCHEMA),
        ("track_photoshop_job", TRACK_PHOTOSHOP_JOB_SCHEMA),
    ],
)
def test_actions_are_described(action: str, schema: Any) -> None:
    """services.yaml, the schema and en.json name the same fields; the action has an icon."""
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
    fields = set(services[action]["fields"])
    assert fields == {str(key) for key in schema.schema}
    texts = EN["services"][action]
    assert texts["name"]
    assert texts["description"]
    assert set(texts["fields"]) == fields
    for field in fields:
        assert texts["fields"][field]["name"]
        assert texts["fields"][field]["description"]
    assert ICONS["services"][action]["service"].startswith("mdi:")


@pytest.mark.parametrize(
    ("key", "placeholders"),
    [
        ("invalid_job_id", set()),
        ("too_many_jobs", {"limit"}),
        ("not_a_photoshop_entry", {"title"}),
        ("entry_unloaded", {"title"}),
    ],
)
def test_action_validation_texts(key: str, placeholders: set[str]) -> None:
    """The validation errors raised outside the error mapping have their text."""
    assert _placeholders(EN["exceptions"][key]["message"]) == placeholders


def _strings(node: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [
            item
            for key, value in node.items()
            for item in _strings(value, f"{path}.{key}")
        ]
    return [(path, node)] if isinstance(node, str) else []


@pytest.mark.parametrize(("path", "text"), _strings(EN), ids=lambda value: value)
def test_texts_follow_hassfest_rules(path: str, text: str) -> None:
    """No URLs (they go in placeholders), no HTML-like tags, no single-quoted {x}."""
    assert not re.search(r"https?://", text), path
    assert not re.search(r"<[A-Za-z/!]", text), path
    assert not re.search(r"'\{\w+\}'", text), path
