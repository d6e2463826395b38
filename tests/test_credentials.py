"""Sharing by credentials: one request spacer per Statuspage key, one IMS token each."""

from __future__ import annotations

from typing import Any

from custom_components.cloud_status.api.adobe_ims import (
    JwtTokenProvider,
    OAuthServerToServerTokenProvider,
)
from custom_components.cloud_status.const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
)
from custom_components.cloud_status.credentials import (
    build_token_provider,
    statuspage_request_spacer,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant

OAUTH = {
    CONF_AUTH_METHOD: "oauth",
    CONF_CLIENT_ID: "client",
    CONF_CLIENT_SECRET: "secret",
    CONF_SCOPES: "openid,AdobeID",
}


def test_one_spacer_per_api_key(hass: HomeAssistant) -> None:
    """Every user of a key gets the same spacer; another key gets its own."""
    first = statuspage_request_spacer(hass, "key-one")
    assert statuspage_request_spacer(hass, "key-one") is first
    assert statuspage_request_spacer(hass, "key-two") is not first
    assert first.interval == 1.0


async def test_equal_credentials_share_a_token_provider(hass: HomeAssistant) -> None:
    """Equal credentials share one provider (one token); different ones do not."""
    provider = build_token_provider(hass, OAUTH)
    assert isinstance(provider, OAuthServerToServerTokenProvider)
    assert build_token_provider(hass, dict(OAUTH)) is provider
    assert build_token_provider(hass, {**OAUTH, CONF_SCOPES: "openid"}) is not provider
    assert build_token_provider(hass, {**OAUTH, CONF_CLIENT_SECRET: "new"}) is not (
        provider
    )


async def test_flow_providers_are_not_kept(hass: HomeAssistant) -> None:
    """Credentials still being checked get a provider of their own, not remembered."""
    unshared = build_token_provider(hass, OAUTH, shared=False)
    assert build_token_provider(hass, OAUTH) is not unshared


async def test_jwt_provider_uses_the_entry_host(hass: HomeAssistant) -> None:
    """A JWT entry gets a JWT provider for its IMS host."""
    data: dict[str, Any] = {
        CONF_AUTH_METHOD: "jwt",
        CONF_CLIENT_ID: "client",
        CONF_CLIENT_SECRET: "secret",
        CONF_ORG_ID: "org@AdobeOrg",
        CONF_TECHNICAL_ACCOUNT_ID: "tech@techacct.adobe.com",
        CONF_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----",
        CONF_IMS_HOST: "ims-na1-stg1.adobelogin.com",
    }
    provider = build_token_provider(hass, data)
    assert isinstance(provider, JwtTokenProvider)
    assert provider.ims_host == "ims-na1-stg1.adobelogin.com"
