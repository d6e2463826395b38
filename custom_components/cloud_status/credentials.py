"""What entries with the same credentials share: request spacing and IMS access tokens.

The Statuspage management API allows one request per second per API key, however many
pages (entries) use the key and whether the config flow is asking too. Adobe IMS tokens
live for a day and are shared by every entry with equal credentials.

Nothing here outlives its users: the shared objects are held weakly, so a key typed
into a form or a secret replaced by reauth is forgotten once no entry or flow uses it.
A spacer also stays for `SPACER_LINGER` seconds after it was last handed out, and for
as long as a request slot or a pause it booked lies ahead: an entry set up right after
the flow that checked its key (or reloaded by reauth) still waits its turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
import hashlib
from typing import Any
from weakref import WeakValueDictionary

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
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
# How long a spacer is kept after it was handed out, when nobody holds it any more.
SPACER_LINGER = 60.0


@dataclass(slots=True)
class SharedCredentials:
    """Objects keyed by a hash of the credentials they serve (never the secret).

    Both maps hold their objects weakly: an object lives as long as a client uses it.
    `kept` holds the spacers that linger, with the timer that lets them go.
    """

    spacers: WeakValueDictionary[str, RequestSpacer] = field(
        default_factory=WeakValueDictionary
    )
    token_providers: WeakValueDictionary[str, ImsTokenProvider] = field(
        default_factory=WeakValueDictionary
    )
    kept: dict[str, tuple[RequestSpacer, CALLBACK_TYPE]] = field(default_factory=dict)


DATA_SHARED: HassKey[SharedCredentials] = HassKey(DOMAIN)


def _shared(hass: HomeAssistant) -> SharedCredentials:
    return hass.data.setdefault(DATA_SHARED, SharedCredentials())


def statuspage_request_spacer(hass: HomeAssistant, api_key: str) -> RequestSpacer:
    """Return the spacer every user of this Statuspage API key goes through."""
    digest = hashlib.sha256(api_key.encode()).hexdigest()
    shared = _shared(hass)
    if (spacer := shared.spacers.get(digest)) is None:
        spacer = RequestSpacer(STATUSPAGE_MANAGE_REQUEST_INTERVAL)
        shared.spacers[digest] = spacer
    _keep(hass, shared, digest, spacer, SPACER_LINGER)
    return spacer


@callback
def _keep(
    hass: HomeAssistant,
    shared: SharedCredentials,
    digest: str,
    spacer: RequestSpacer,
    seconds: float,
) -> None:
    """Hold the spacer for `seconds` more (the timer refers to its key, not to it)."""
    if (kept := shared.kept.pop(digest, None)) is not None:
        kept[1]()
    release = HassJob(
        partial(_release, hass, shared, digest),
        f"{DOMAIN} release a request spacer",
        cancel_on_shutdown=True,
    )
    shared.kept[digest] = (spacer, async_call_later(hass, seconds, release))


@callback
def _release(
    hass: HomeAssistant, shared: SharedCredentials, digest: str, _now: datetime
) -> None:
    """Let the spacer go, unless a slot or a pause it booked is still ahead."""
    spacer, _ = shared.kept.pop(digest)
    if (wait := spacer.wait) > 0:
        _keep(hass, shared, digest, spacer, wait)


def build_token_provider(
    hass: HomeAssistant, data: dict[str, Any], *, shared: bool = True
) -> ImsTokenProvider:
    """Return the IMS token provider for an Adobe entry's data.

    Entries with equal credentials share one provider, so one token, for as long as
    one of them holds it. The config flow asks for an unshared one: credentials it is
    still checking must not be handed to entries.
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
    return _shared(hass).token_providers.setdefault(provider.cache_key, provider)
