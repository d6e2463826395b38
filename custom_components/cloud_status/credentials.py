"""What entries with the same credentials share: request spacing and IMS access tokens.

The Statuspage management API allows one request per second per API key, however many
pages (entries) use the key and whether the config flow is asking too. Adobe IMS tokens
live for a day and are shared by every entry with equal credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
from typing import Any

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.hass_dict import HassKey

from .api.adobe_ims import (
    DEFAULT_IMS_HOST,
    ImsTokenProvider,
    JwtTokenProvider,
    OAuthServerToServerTokenProvider,
    parse_scopes,
)
from .api.ratelimit import RequestSpacer
from .const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    DOMAIN,
    AuthMethod,
)

# Statuspage: 1 request/s per API key, measured over a rolling minute.
STATUSPAGE_MANAGE_REQUEST_INTERVAL = 1.0


@dataclass(slots=True)
class SharedCredentials:
    """Objects keyed by a hash of the credentials they serve (never the secret)."""

    spacers: dict[str, RequestSpacer] = field(default_factory=dict)
    token_providers: dict[str, ImsTokenProvider] = field(default_factory=dict)


DATA_SHARED: HassKey[SharedCredentials] = HassKey(DOMAIN)


def _shared(hass: HomeAssistant) -> SharedCredentials:
    return hass.data.setdefault(DATA_SHARED, SharedCredentials())


def statuspage_request_spacer(hass: HomeAssistant, api_key: str) -> RequestSpacer:
    """Return the spacer every user of this Statuspage API key goes through."""
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    spacers = _shared(hass).spacers
    if (spacer := spacers.get(digest)) is None:
        spacer = spacers[digest] = RequestSpacer(STATUSPAGE_MANAGE_REQUEST_INTERVAL)
    return spacer


def build_token_provider(
    hass: HomeAssistant, data: dict[str, Any], *, shared: bool = True
) -> ImsTokenProvider:
    """Return the IMS token provider for an Adobe entry's data.

    Entries with equal credentials share one provider, so one token. The config flow
    asks for an unshared one: credentials it is still checking must not be kept.
    """
    session = async_get_clientsession(hass)
    provider: ImsTokenProvider
    if data.get(CONF_AUTH_METHOD) == AuthMethod.JWT:
        provider = JwtTokenProvider(
            session,
            data[CONF_CLIENT_ID],
            data[CONF_CLIENT_SECRET],
            data[CONF_ORG_ID],
            data[CONF_TECHNICAL_ACCOUNT_ID],
            data[CONF_PRIVATE_KEY],
            ims_host=data.get(CONF_IMS_HOST) or DEFAULT_IMS_HOST,
        )
    else:
        provider = OAuthServerToServerTokenProvider(
            session,
            data[CONF_CLIENT_ID],
            data[CONF_CLIENT_SECRET],
            parse_scopes(data[CONF_SCOPES]),
        )
    if not shared:
        return provider
    providers = _shared(hass).token_providers
    return providers.setdefault(provider.cache_key, provider)
