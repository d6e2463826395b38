"""The checks the config flow runs before it stores a source.

Each check reads the source the way a poll would and returns what it learned, or the
form errors to show; none raises.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusNotFoundError,
    CloudStatusRateLimitError,
    InvalidUrlError,
    StatuspageClient,
    base_url_string,
    normalize_page_url,
)
from .api.adobe_ims import (
    DEFAULT_STATUS_SCOPES,
    InvalidPrivateKeyError,
    is_valid_ims_host,
    load_private_key,
    normalize_ims_host,
    parse_scopes,
)
from .api.adobe_status import AdobeStatusClient
from .api.cloudsigma import CloudSigmaClient, normalize_cloudsigma_url
from .api.statuspage_manage import ManagedPage, StatuspageManageClient
from .const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_PRIVATE_KEY,
    CONF_PROVIDER,
    CONF_SCOPES,
    LOGGER,
    AuthMethod,
    Provider,
)
from .credentials import build_token_provider, statuspage_request_spacer

type Errors = dict[str, str]


@dataclass(frozen=True, slots=True)
class ValidatedSource:
    """What a successful validation learned: enough to create or update an entry."""

    unique_id: str
    title: str
    data: dict[str, Any]


def form_error(err: CloudStatusError, *, not_found: str, credential_sent: bool) -> str:
    """Name the form error for a client error.

    A refusal is `invalid_auth` only when the request carried a credential the user
    gave; without one it is the server turning us away (a bot wall, a firewall).
    """
    match err:
        case CloudStatusRateLimitError():
            return "rate_limited"
        case CloudStatusAuthError():
            return "invalid_auth" if credential_sent else "access_denied"
        case CloudStatusConnectionError():
            return "cannot_connect"
        case CloudStatusNotFoundError():
            return not_found
        case _:
            return "not_a_status_page"


async def attempt[T](
    call: Awaitable[T],
    context: str,
    *,
    credential_sent: bool,
    not_found: str = "not_a_status_page",
) -> tuple[T | None, Errors]:
    """Await a client call; on failure, return the form error instead.

    `credential_sent` says whether the call sends a credential the user gave.
    """
    try:
        return await call, {}
    except CloudStatusError as err:
        LOGGER.debug(
            "Validation failed while %s: %s (%s, provider code %s)",
            context,
            err,
            type(err).__name__,
            err.error_code,
        )
        return None, {
            "base": form_error(
                err, not_found=not_found, credential_sent=credential_sent
            )
        }
    except Exception:  # noqa: BLE001
        LOGGER.exception("Unexpected error while %s", context)
        return None, {"base": "unknown"}


async def async_validate_statuspage(
    hass: HomeAssistant, raw_url: str
) -> tuple[ValidatedSource | None, Errors]:
    """Read the page's summary.json; return the source, or the form errors."""
    try:
        base_url = normalize_page_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    client = StatuspageClient(async_get_clientsession(hass), base_url)
    snapshot, errors = await attempt(
        client.async_get_summary(),
        "validating a Statuspage address",
        credential_sent=False,
    )
    if errors:
        return None, errors
    # A fresh client sends no validators, so "unchanged" can only be a broken answer.
    if snapshot is None:
        return None, {"base": "not_a_status_page"}
    return ValidatedSource(
        unique_id=f"{Provider.STATUSPAGE.value}:{snapshot.page.id}",
        title=snapshot.page.name,
        data={
            CONF_PROVIDER: Provider.STATUSPAGE.value,
            CONF_URL: base_url_string(client.resolved_base_url),
        },
    ), {}


async def async_validate_statuspage_key(
    hass: HomeAssistant, api_key: str
) -> tuple[list[ManagedPage] | None, Errors]:
    """List the pages an API key can see; return them, or the form errors."""
    # The key's spacer is shared with its entries: after a 429 the client fails fast
    # with a rate-limit error instead of waiting out the pause.
    client = StatuspageManageClient(
        async_get_clientsession(hass),
        api_key,
        spacer=statuspage_request_spacer(hass, api_key),
    )
    pages, errors = await attempt(
        client.async_get_pages(),
        "listing the pages of a Statuspage API key",
        credential_sent=True,
        not_found="cannot_connect",
    )
    if pages is not None and not pages:
        return None, {"base": "no_pages"}
    return pages, errors


def cloudsigma_unique_id(raw_url: str) -> str | None:
    """Name the entry a CloudSigma address makes, without a request (None: no address).

    The name depends on the address alone, so a duplicate or another deployment can be
    refused before anything, a stored key above all, is sent.
    """
    try:
        base_url = normalize_cloudsigma_url(raw_url)
    except InvalidUrlError:
        return None
    return f"{Provider.CLOUDSIGMA.value}:{base_url.host or ''}"


async def async_validate_cloudsigma(
    hass: HomeAssistant, raw_url: str, api_key: str | None
) -> tuple[ValidatedSource | None, Errors]:
    """Read the CloudSigma status (and, with a key, a full poll); return the source.

    A key of only spaces counts as no key.
    """
    api_key = (api_key or "").strip() or None
    try:
        base_url = normalize_cloudsigma_url(raw_url)
    except InvalidUrlError:
        return None, {CONF_URL: "invalid_url"}
    client = CloudSigmaClient(async_get_clientsession(hass), base_url, api_key)
    # Only a full poll uses the key: /status is public and would accept any key.
    check = client.async_get_snapshot() if api_key else client.async_get_status()
    _, errors = await attempt(
        check,
        "validating a CloudSigma status page",
        credential_sent=api_key is not None,
    )
    if errors:
        return None, errors
    data: dict[str, Any] = {
        CONF_PROVIDER: Provider.CLOUDSIGMA.value,
        CONF_URL: base_url_string(client.base_url),
    }
    if api_key:
        data[CONF_API_KEY] = api_key
    return ValidatedSource(
        unique_id=f"{Provider.CLOUDSIGMA.value}:{client.host}",
        title=client.page_name,
        data=data,
    ), {}


async def async_validate_adobe(
    hass: HomeAssistant, data: dict[str, Any]
) -> tuple[AdobeStatusClient | None, Errors]:
    """Check Adobe credentials: the key parses, IMS issues a token, /clouds answers."""
    if data.get(CONF_AUTH_METHOD) == AuthMethod.JWT:
        try:
            await hass.async_add_executor_job(load_private_key, data[CONF_PRIVATE_KEY])
        except InvalidPrivateKeyError:
            return None, {CONF_PRIVATE_KEY: "invalid_private_key"}
        data[CONF_IMS_HOST] = normalize_ims_host(data[CONF_IMS_HOST])
        if not is_valid_ims_host(data[CONF_IMS_HOST]):
            return None, {"base": "invalid_ims_host"}
    client = AdobeStatusClient(
        async_get_clientsession(hass),
        build_token_provider(hass, data, shared=False),
        locale=hass.config.language,
    )
    _, errors = await attempt(
        client.async_get_clouds(),
        "validating Adobe credentials",
        credential_sent=True,
        not_found="cannot_connect",
    )
    return (None, errors) if errors else (client, {})


async def async_validate_ims_credentials(
    hass: HomeAssistant, data: dict[str, Any]
) -> Errors:
    """Check OAuth Server-to-Server credentials: IMS issues a token for them."""
    _, errors = await attempt(
        build_token_provider(hass, data, shared=False).async_get_token(),
        "requesting an IMS token",
        credential_sent=True,
        not_found="cannot_connect",
    )
    # There is no address to check here: an unreadable IMS answer is IMS failing.
    if errors == {"base": "not_a_status_page"}:
        return {"base": "cannot_connect"}
    return errors


def clean_text_fields(
    user_input: dict[str, Any], default_scopes: Sequence[str] = DEFAULT_STATUS_SCOPES
) -> dict[str, Any]:
    """Strip what people paste around ids and secrets; normalize the scope list."""
    cleaned = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in user_input.items()
    }
    if CONF_SCOPES in cleaned:
        cleaned[CONF_SCOPES] = ",".join(
            parse_scopes(cleaned[CONF_SCOPES]) or default_scopes
        )
    return cleaned
