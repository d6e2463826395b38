"""AWS Health Dashboard (public): current events, for the regions picked after the address."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, override

import aiohttp
import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..api import aws_health
from ..api.detection import Probe
from ..const import CONF_PROVIDER
from ..runtime import StatusRuntimeData
from ..validation import ValidatedSource
from .base import ProviderModule
from .platform import PlatformCoordinator, SnapshotClient

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "aws_health"
TITLE = aws_health.TITLE
STEP_REGIONS = "aws_health_regions"
CONF_REGIONS = "regions"


class AwsHealthCoordinator(PlatformCoordinator):
    """The public AWS Health Dashboard."""

    provider = ID
    manufacturer = "Amazon Web Services"
    # SPEC: 300 s, as for Google Cloud.
    default_scan_interval = 300

    @classmethod
    @override
    def create_client(
        cls, session: aiohttp.ClientSession, data: Mapping[str, Any]
    ) -> SnapshotClient:
        return aws_health.AwsHealthClient(
            session, data[CONF_URL], data.get(CONF_REGIONS) or ()
        )


def unique_id(picked: Iterable[str]) -> str:
    """`aws_health:{picked region codes, sorted, comma-separated, or "all"}`."""
    return f"{ID}:{','.join(sorted(picked)) or 'all'}"


def regions_schema(seen: Iterable[str], selected: list[str]) -> vol.Schema:
    """Build a multi-select of the public regions and any other the feed or entry names."""
    codes = sorted({*aws_health.REGIONS, *seen, *selected})
    options = [
        SelectOptionDict(
            value=code,
            label=f"{code} \u2013 {name}"
            if (name := aws_health.REGIONS.get(code))
            else code,
        )
        for code in codes
    ]
    # Optional with a suggested value, not a default: clearing the list means "all".
    return vol.Schema(
        {
            vol.Optional(CONF_REGIONS): SelectSelector(
                SelectSelectorConfig(
                    options=options, multiple=True, mode=SelectSelectorMode.DROPDOWN
                )
            )
        }
    )


def _picked(user_input: Mapping[str, Any]) -> list[str]:
    return sorted({str(region) for region in user_input.get(CONF_REGIONS, [])})


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise the dashboard's host, read the feed once, then ask for the regions."""
    found = await aws_health.detect(probe)
    if found is None:
        return None
    detected, regions = found
    return ValidatedSource(
        unique_id=unique_id(()),
        title=detected.title,
        data={CONF_PROVIDER: ID, CONF_URL: detected.url},
        next_step=STEP_REGIONS,
        learned={CONF_REGIONS: sorted(regions)},
    )


async def async_step_regions(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick the regions to watch (none: every region)."""
    source: ValidatedSource = flow.pending["source"]
    if user_input is not None:
        picked = _picked(user_input)
        return await flow.async_create_source(
            ValidatedSource(
                unique_id=unique_id(picked),
                title=source.title,
                data={**source.data, CONF_REGIONS: picked},
            )
        )
    return flow.async_show_form(
        step_id=STEP_REGIONS,
        data_schema=flow.add_suggested_values_to_schema(
            regions_schema(source.learned[CONF_REGIONS], []), {CONF_REGIONS: []}
        ),
    )


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Change the regions the entry watches; its unique id follows the selection."""
    selected: list[str] = list(entry.data.get(CONF_REGIONS) or [])
    if user_input is not None:
        picked = _picked(user_input)
        new_id = unique_id(picked)
        if new_id != entry.unique_id and new_id in flow.configured_unique_ids():
            return flow.async_abort(reason="already_configured")
        return flow.async_update_reload_and_abort(
            entry, unique_id=new_id, data_updates={CONF_REGIONS: picked}
        )
    return flow.show_reconfigure(
        entry, regions_schema((), selected), {CONF_REGIONS: selected}, {}
    )


# Only health.aws.amazon.com is claimed: for it nothing else is tried.
PROVIDER = ProviderModule(
    id=ID,
    manufacturer=AwsHealthCoordinator.manufacturer,
    create_runtime=lambda hass, entry: StatusRuntimeData(
        AwsHealthCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=AwsHealthCoordinator.default_scan_interval,
    detect=async_detect,
    claims=aws_health.claims,
    extra_steps={STEP_REGIONS: async_step_regions},
)
