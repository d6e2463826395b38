"""The provider registry: one module per provider, found here by its id.

Adding a provider means adding its module to `PROVIDERS`; nothing else in the
integration names providers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError

from ..api import InvalidUrlError
from ..const import CONF_PROVIDER, DOMAIN
from ..runtime import CloudStatusConfigEntry, RuntimeData
from . import (
    adobe_status,
    aws_health,
    betterstack,
    cachet,
    cloudsigma,
    gatus,
    google_cloud,
    heroku,
    instatus,
    photoshop,
    slack,
    sorry,
    statusio,
    statuspage,
    statuspage_manage,
    uptime_kuma,
    uptimerobot,
)
from .base import FlowStep, ProviderModule, UnknownProviderError

# Menu order for the providers with a form of their own; detection order (SPEC) for
# those that **Any status page** tries: the vendors' feeds (found by their hosts) first.
PROVIDERS: dict[str, ProviderModule] = {
    module.id: module
    for module in (
        slack.PROVIDER,
        heroku.PROVIDER,
        google_cloud.PROVIDER,
        aws_health.PROVIDER,
        statuspage.PROVIDER,
        statuspage_manage.PROVIDER,
        adobe_status.PROVIDER,
        cloudsigma.PROVIDER,
        photoshop.PROVIDER,
        instatus.PROVIDER,
        betterstack.PROVIDER,
        sorry.PROVIDER,
        statusio.PROVIDER,
        uptimerobot.PROVIDER,
        uptime_kuma.PROVIDER,
        gatus.PROVIDER,
        cachet.PROVIDER,
    )
}


def get_provider(provider_id: object) -> ProviderModule:
    """Return the module of a provider id; an unknown id is an error, never a fallback."""
    if isinstance(provider_id, str) and (module := PROVIDERS.get(provider_id)):
        return module
    raise UnknownProviderError(f"unknown provider {provider_id!r}")


def provider_of(data: Mapping[str, Any]) -> ProviderModule:
    """Return the module of the provider an entry's data names."""
    return get_provider(data.get(CONF_PROVIDER))


def create_runtime(hass: HomeAssistant, entry: CloudStatusConfigEntry) -> RuntimeData:
    """Build the entry's runtime data with its provider's module.

    An unknown provider, or an address stored by an older version that today's checks
    refuse, stops the entry with a translated error instead of a traceback.
    """
    try:
        return provider_of(entry.data).create_runtime(hass, entry)
    except UnknownProviderError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_provider",
            translation_placeholders={"provider": str(entry.data.get(CONF_PROVIDER))},
        ) from err
    except InvalidUrlError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_stored_url",
            translation_placeholders={"url": str(entry.data.get(CONF_URL))},
        ) from err


def flow_steps() -> dict[str, FlowStep]:
    """Every provider's config-flow steps, by step id."""
    steps: dict[str, FlowStep] = {}
    for module in PROVIDERS.values():
        for step_id, step in (*module.steps.items(), *module.extra_steps.items()):
            if step_id in steps:
                raise ValueError(f"two providers declare the step {step_id!r}")
            steps[step_id] = step
    return steps


__all__ = [
    "PROVIDERS",
    "ProviderModule",
    "UnknownProviderError",
    "create_runtime",
    "flow_steps",
    "get_provider",
    "provider_of",
]
