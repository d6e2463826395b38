"""**Popular service**: pick a service by name; its stored address is then detected.

Choosing a service does what typing its address into **Any status page** does: the same
detection (the catalog's platform is only tried first, since pages move between
platforms), so the same request, unique id and title, and a service added either way
aborts `already_configured`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..catalog import Catalog, async_get_catalog
from ..validation import Errors
from .base import ProviderModule
from .detection import async_continue_with, async_detect

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

STEP_ID = "catalog"
CONF_SERVICE = "service"


def catalog_schema(catalog: Catalog) -> vol.Schema:
    """Build the drop-down of the catalog's services by name, sorted and searchable.

    Home Assistant's frontend renders a single-choice select selector in drop-down mode
    as its generic picker, which filters the options as the user types.
    """
    return vol.Schema(
        {
            vol.Required(CONF_SERVICE): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=service.name, label=service.name)
                        for service in catalog
                    ],
                    mode=SelectSelectorMode.DROPDOWN,
                    sort=True,
                )
            )
        }
    )


def listed_first(
    providers: Iterable[ProviderModule], platform: str
) -> list[ProviderModule]:
    """Every provider in registry order, the one the catalog names moved to the front."""
    return sorted(providers, key=lambda provider: provider.id != platform)


async def async_step_catalog(
    flow: CloudStatusConfigFlow,
    providers: Iterable[ProviderModule],
    user_input: dict[str, Any] | None,
) -> ConfigFlowResult:
    """Offer the popular services; detect the chosen one's page and create its entry."""
    catalog = await async_get_catalog(flow.hass)
    errors: Errors = {}
    if user_input is not None:
        # The selector accepts only the catalog's names.
        service = catalog[user_input[CONF_SERVICE]]
        source, errors = await async_detect(
            flow.hass, service.url, listed_first(providers, service.platform)
        )
        if source is not None:
            return await async_continue_with(flow, source)
    schema = flow.add_suggested_values_to_schema(catalog_schema(catalog), user_input)
    return flow.async_show_form(step_id=STEP_ID, data_schema=schema, errors=errors)
