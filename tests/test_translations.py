"""Entity, error and repair texts exist (flow texts: test_config_flow.py).

Custom integrations read translations/en.json only, so a missing key shows raw.
"""

from __future__ import annotations

import json
from pathlib import Path
import string
from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.cloud_status.api import (
    KNOWN_STATUSES,
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusResponseTooLargeError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from custom_components.cloud_status.binary_sensor import (
    BINARY_SENSORS,
    COMPONENT_BINARY_SENSOR,
)
from custom_components.cloud_status.calendar import CALENDAR
from custom_components.cloud_status.coordinator import StatuspageCoordinator
from custom_components.cloud_status.event import EVENTS
from custom_components.cloud_status.sensor import COMPONENT_SENSOR, SENSORS
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.entity import EntityDescription

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "cloud_status"
EN: dict[str, Any] = json.loads((INTEGRATION / "translations" / "en.json").read_text())
ICONS: dict[str, Any] = json.loads((INTEGRATION / "icons.json").read_text())

ENTITIES: list[tuple[str, EntityDescription]] = [
    *(("sensor", d) for d in (*SENSORS, COMPONENT_SENSOR)),
    *(("binary_sensor", d) for d in (*BINARY_SENSORS, COMPONENT_BINARY_SENSOR)),
    *(("event", d) for d in EVENTS),
    ("calendar", CALENDAR),
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


@pytest.mark.parametrize(
    "error",
    [
        CloudStatusRateLimitError(30),
        CloudStatusRateLimitError(None),
        CloudStatusAuthError("HTTP 403"),
        CloudStatusNotFoundError("HTTP 404"),
        CloudStatusTimeoutError("slow"),
        CloudStatusServerError(502),
        CloudStatusConnectionError("refused"),
        CloudStatusResponseTooLargeError("big"),
        CloudStatusParseError("broken"),
        CloudStatusError("other"),
    ],
    ids=lambda error: type(error).__name__,
)
@pytest.mark.parametrize(
    "entry_data", [{}, {"api_key": "secret"}], ids=["public", "key"]
)
def test_run_time_errors_are_translated(
    error: CloudStatusError, entry_data: dict[str, str]
) -> None:
    """Each client error becomes an exception whose message exists, placeholders and all."""
    coordinator = StatuspageCoordinator.__new__(StatuspageCoordinator)
    coordinator.config_entry = SimpleNamespace(data=entry_data)  # type: ignore[assignment]
    translated = coordinator._translate_error(error)
    key = translated.translation_key  # type: ignore[attr-defined]
    message = EN["exceptions"][key]["message"]
    placeholders = translated.translation_placeholders or {}  # type: ignore[attr-defined]
    assert _placeholders(message) == set(placeholders)
    if isinstance(error, CloudStatusAuthError) and entry_data:
        assert isinstance(translated, ConfigEntryAuthFailed)
        assert key == "auth_failed"


@pytest.mark.parametrize("issue_key", ["page_not_found", "jwt_credentials_retired"])
def test_repair_issue_text(issue_key: str) -> None:
    """Each repair issue has a title and a description with its placeholder."""
    issue = EN["issues"][issue_key]
    assert _placeholders(issue["title"]) == {"title"}
    assert _placeholders(issue["description"]) == {"title"}
