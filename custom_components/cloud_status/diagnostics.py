"""Diagnostics: the entry (secrets redacted), the last snapshot and the last poll."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_CLIENT_ID
from homeassistant.core import HomeAssistant

from .providers import PROVIDERS
from .runtime import CloudStatusConfigEntry

# Adobe sends the client id as the `x-api-key`: it is a credential too.
TO_REDACT = {
    CONF_API_KEY,
    CONF_CLIENT_ID,
    "access_token",
    "client_secret",
    "org_id",
    "private_key",
    "technical_account_id",
    "token",
    *(key for provider in PROVIDERS.values() for key in provider.secret_keys),
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: CloudStatusConfigEntry
) -> dict[str, Any]:
    """Return what support needs to see, without credentials.

    A credential is also cut out wherever else it shows: the unique id of an Adobe
    entry is `adobe_status:{client_id}` or `photoshop:{client_id}`.
    """
    credentials = {
        value
        for key, value in entry.data.items()
        if key in TO_REDACT and isinstance(value, str) and value
    }
    return _scrub(await _diagnostics(entry), credentials)


async def _diagnostics(entry: CloudStatusConfigEntry) -> dict[str, Any]:
    return {
        "entry": {
            "title": entry.title,
            "unique_id": entry.unique_id,
            "data": async_redact_data(dict(entry.data), TO_REDACT),
            "options": async_redact_data(dict(entry.options), TO_REDACT),
        },
        **entry.runtime_data.diagnostics(),
    }


def _scrub[T](value: T, credentials: Collection[str]) -> T:
    """Return `value` with every credential in its texts (keys too) replaced."""
    result: Any = value
    if isinstance(value, str):
        for credential in credentials:
            result = result.replace(credential, REDACTED)
    elif isinstance(value, dict):
        result = {
            _scrub(key, credentials): _scrub(item, credentials)
            for key, item in value.items()
        }
    elif isinstance(value, list):
        result = [_scrub(item, credentials) for item in value]
    elif isinstance(value, tuple):
        result = tuple(_scrub(item, credentials) for item in value)
    return result  # type: ignore[no-any-return]
