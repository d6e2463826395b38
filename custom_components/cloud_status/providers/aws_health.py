"""AWS Health Dashboard (public): current events, for the regions picked after the address."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, override

import aiohttp

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import SelectOptionDict

from ..api import aws_health
from ..api.detection import Probe
from ..runtime import StatusRuntimeData
from ..validation import Errors, ValidatedSource
from .base import ProviderModule
from .pickers import Picker
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


def region_options(seen: Iterable[str], selected: list[str]) -> list[SelectOptionDict]:
    """List the public regions and any other the feed or the entry names, by code."""
    return [
        SelectOptionDict(
            value=code,
            label=f"{code} \u2013 {name}"
            if (name := aws_health.REGIONS.get(code))
            else code,
        )
        for code in sorted({*aws_health.REGIONS, *seen, *selected})
    ]


async def _known_regions(
    hass: HomeAssistant, entry: ConfigEntry
) -> tuple[Iterable[str], Errors]:
    return (), {}


PICKER = Picker(
    provider=ID,
    step_id=STEP_REGIONS,
    key=CONF_REGIONS,
    options=region_options,
    read_choices=_known_regions,
)
unique_id = PICKER.unique_id


async def async_detect(probe: Probe) -> ValidatedSource | None:
    """Recognise the dashboard's host, read the feed once, then ask for the regions."""
    if (found := await aws_health.detect(probe)) is None:
        return None
    detected, regions = found
    return PICKER.detected(detected.title, detected.url, sorted(regions), CONF_URL)


async def async_step_regions(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick the regions to watch (none: every region)."""
    return await PICKER.async_step(flow, user_input)


# Only health.aws.amazon.com is claimed: for it nothing else is tried.
PROVIDER = ProviderModule(
    id=ID,
    manufacturer=AwsHealthCoordinator.manufacturer,
    create_runtime=lambda hass, entry: StatusRuntimeData(
        AwsHealthCoordinator(hass, entry)
    ),
    reconfigure=PICKER.async_reconfigure,
    default_scan_interval=AwsHealthCoordinator.default_scan_interval,
    detect=async_detect,
    claims=aws_health.claims,
    extra_steps={STEP_REGIONS: async_step_regions},
)
