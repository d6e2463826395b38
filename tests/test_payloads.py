"""Set the integration up on real status pages recorded by others (../shared/payloads)."""

from __future__ import annotations

import json
import re

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import SHARED_PAYLOADS, SUMMARY_URL
from .helpers import setup_entry

STATUSPAGE_V2 = SHARED_PAYLOADS / "statuspage_v2"
REAL_BODIES = (
    sorted(
        {
            path
            for path in STATUSPAGE_V2.glob("*.json")
            # Summaries and component lists; not the incident lists that mention
            # "affected_components" in their names.
            if re.search(r"_(?:summary|components)_\d{4}-\d{2}", path.name)
        }
    )
    if STATUSPAGE_V2.is_dir()
    else []
)
# Page-level entities: overall_status, problem, incident_active, active_incidents,
# maintenance_active, next_maintenance, the two event entities and the calendar.
PAGE_LEVEL_ENTITIES = 9
DUO = STATUSPAGE_V2 / "duo_components_2021-12-03_539_components_69_groups.json"

pytestmark = pytest.mark.skipif(
    not REAL_BODIES, reason="../shared/payloads/statuspage_v2 is not beside the repo"
)


@pytest.mark.parametrize(
    "raw", [pytest.param(path.read_bytes(), id=path.stem) for path in REAL_BODIES]
)
async def test_real_page_sets_up(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
    raw: bytes,
) -> None:
    """Each real body sets up every entity it implies, without an error."""
    components = json.loads(raw).get("components") or []
    aioclient_mock.get(SUMMARY_URL, content=raw)

    await setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.LOADED
    entries = er.async_entries_for_config_entry(
        entity_registry, mock_config_entry.entry_id
    )
    assert len(entries) == PAGE_LEVEL_ENTITIES + 2 * len(components)
    assert hass.states.get("sensor.example_overall_status").state in {
        "operational",
        "under_maintenance",
        "degraded_performance",
        "partial_outage",
        "major_outage",
    }


@pytest.mark.skipif(
    not DUO.is_file(),
    reason="Duo's recorded page is not available",
)
async def test_duo_page_creates_all_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    aioclient_mock: AiohttpClientMocker,
    entity_registry: er.EntityRegistry,
) -> None:
    """Duo's 539 components (69 of them groups) all get their two entities."""
    raw = DUO.read_bytes()
    aioclient_mock.get(SUMMARY_URL, content=raw)
    await setup_entry(hass, mock_config_entry)

    entries = er.async_entries_for_config_entry(
        entity_registry, mock_config_entry.entry_id
    )
    by_key: dict[str | None, int] = {}
    for entry in entries:
        by_key[entry.translation_key] = by_key.get(entry.translation_key, 0) + 1
    assert by_key["component_status"] == 539
    assert by_key["component_problem"] == 539
    snapshot = mock_config_entry.runtime_data.coordinator.data.snapshot
    assert sum(component.is_group for component in snapshot.components.values()) == 69
    named_in_group = [
        state
        for state in hass.states.async_all("sensor")
        if state.attributes.get("group")
    ]
    assert named_in_group
    misnamed = [
        state.attributes["friendly_name"]
        for state in named_in_group
        if not state.attributes["friendly_name"].startswith(
            f"Example {state.attributes['group']} \u2013 "
        )
    ]
    assert misnamed == []
