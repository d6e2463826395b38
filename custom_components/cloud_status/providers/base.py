"""The contract of a provider module: what the rest of the integration needs from it.

Each provider module builds one `ProviderModule`; the registry (`providers/__init__.py`)
lists them, and the config flow, the set-up, the options and diagnostics look them up
there instead of knowing any provider by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant

from ..api.detection import Probe
from ..runtime import CloudStatusConfigEntry, RuntimeData
from ..validation import Errors, ValidatedSource

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

# A config-flow step: called with the flow and the form's input (None: show the form).
type FlowStep = Callable[
    [CloudStatusConfigFlow, dict[str, Any] | None], Awaitable[ConfigFlowResult]
]
# The reconfigure step of one provider, with the entry being reconfigured.
type ReconfigureStep = Callable[
    [CloudStatusConfigFlow, ConfigEntry, dict[str, Any] | None],
    Awaitable[ConfigFlowResult],
]
type SecretCheck = Callable[[HomeAssistant, dict[str, Any]], Awaitable[Errors]]
# Recognise an address (see `api.detection`): the entry to create, or None.
type Detector = Callable[[Probe], Awaitable[ValidatedSource | None]]


class UnknownProviderError(LookupError):
    """An entry or flow names a provider this version does not have."""


async def _nothing_stored(hass: HomeAssistant, entry_id: str) -> None:
    """Remove nothing: the provider keeps no files of its own."""


@dataclass(frozen=True, kw_only=True)
class ProviderModule:
    """One provider, as the registry knows it.

    `steps` are its config-flow steps, the first being the menu option (its id is the
    provider id). `reauth_schema` and `check_secret` exist for providers with a secret:
    the schema asks for the secret fields (it may depend on the entry's data), the check
    validates the entry's data with the new secrets. `secret_keys` name the entry data
    that is secret: diagnostics redact them, and an entry with one of them set can be
    re-authenticated.

    `detect` makes the provider one of those **Any status page** tries, in registry
    order; `claims` marks addresses only this provider can serve (a vendor's host, a
    Status.io page id): when a provider claims what was typed, only the claiming ones
    are tried. A detected source with a `next_step` continues in one of the provider's
    `extra_steps`, which finds the source in `flow.pending["source"]`.
    """

    id: str
    manufacturer: str
    steps: Mapping[str, FlowStep] = field(default_factory=dict)
    create_runtime: Callable[[HomeAssistant, CloudStatusConfigEntry], RuntimeData]
    reconfigure: ReconfigureStep
    # None: the entry has no options (no poll, no components).
    default_scan_interval: int | None = None
    secret_keys: tuple[str, ...] = ()
    reauth_schema: Callable[[Mapping[str, Any]], vol.Schema] | None = None
    check_secret: SecretCheck | None = None
    # Files the provider keeps for an entry, removed with the entry.
    async_remove_entry_data: Callable[[HomeAssistant, str], Awaitable[None]] = field(
        default=_nothing_stored
    )
    detect: Detector | None = None
    claims: Callable[[str], bool] | None = None
    # Steps reached from another step, never from the menu (a picker after detection).
    extra_steps: Mapping[str, FlowStep] = field(default_factory=dict)
