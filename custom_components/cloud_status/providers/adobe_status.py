"""Adobe Status: the open events of the products you pick, read with an IMS token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, override

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..api import StatusSnapshot
from ..api.adobe_ims import (
    InvalidPrivateKeyError,
    JwtCredentialsRejectedError,
    is_valid_ims_host,
    load_private_key,
    normalize_ims_host,
)
from ..api.adobe_status import AdobeProduct, AdobeStatusClient
from ..const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_PRIVATE_KEY,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    DOMAIN,
    AuthMethod,
)
from ..coordinator import CloudStatusCoordinator
from ..credentials import build_token_provider
from ..health import jwt_issue_id
from ..runtime import CloudStatusConfigEntry, StatusRuntimeData
from ..validation import Errors, attempt, clean_text_fields
from .adobe_forms import (
    JWT_ONLY_KEYS,
    JWT_SCHEMA,
    METHOD_SCHEMA,
    OAUTH_SCHEMA,
    REAUTH_SCHEMAS,
    products_schema,
)
from .base import ProviderModule

if TYPE_CHECKING:
    from ..config_flow import CloudStatusConfigFlow

ID = "adobe_status"
MANUFACTURER = "Adobe"
TITLE = "Adobe Status"
JWT_MIGRATION_URL = "https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/migration/"


class AdobeStatusCoordinator(CloudStatusCoordinator):
    """Adobe Status: the selected products' open events, read with an IMS token."""

    provider = ID
    manufacturer = MANUFACTURER
    default_scan_interval = 120
    secret_keys = (CONF_CLIENT_SECRET,)
    # Adobe's gateway answers 403 for its own public api_key (403003) or a missing
    # entitlement: the user's client secret is not the problem.
    forbidden_means_bad_secret = False

    def __init__(self, hass: HomeAssistant, entry: CloudStatusConfigEntry) -> None:
        """Build the client on the token provider shared by equal credentials."""
        super().__init__(hass, entry)
        self.token_provider = build_token_provider(hass, dict(entry.data))
        self.client = AdobeStatusClient(
            async_get_clientsession(hass),
            self.token_provider,
            locale=hass.config.language,
        )

    @override
    def client_diagnostics(self) -> dict[str, Any]:
        return {
            "auth_method": self.config_entry.data.get(CONF_AUTH_METHOD),
            "token_expires_in": self.token_provider.expires_in,
        }

    @override
    async def _async_fetch_snapshot(self) -> StatusSnapshot | None:
        issue_id = jwt_issue_id(self.config_entry.entry_id)
        try:
            snapshot = await self.client.async_get_snapshot(
                self.config_entry.data.get(CONF_PRODUCTS) or ()
            )
        except JwtCredentialsRejectedError:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                learn_more_url=JWT_MIGRATION_URL,
                translation_key="jwt_credentials_retired",
                translation_placeholders={"title": self.config_entry.title},
            )
            raise
        ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        return snapshot


async def async_validate(
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


async def async_check_secret(hass: HomeAssistant, data: dict[str, Any]) -> Errors:
    """Check the entry's credential with the (new) secrets."""
    _, errors = await async_validate(hass, data)
    return errors


async def _async_products(
    client: AdobeStatusClient,
) -> tuple[list[AdobeProduct] | None, Errors]:
    return await attempt(
        client.async_get_products(),
        "listing Adobe products",
        credential_sent=True,
        not_found="cannot_connect",
    )


async def async_step(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask how the Adobe Developer Console credential authenticates."""
    if user_input is not None:
        if user_input[CONF_AUTH_METHOD] == AuthMethod.JWT:
            return await async_step_jwt(flow)
        return await async_step_oauth(flow)
    return flow.async_show_form(step_id=ID, data_schema=METHOD_SCHEMA)


async def async_step_oauth(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for an OAuth Server-to-Server credential."""
    return await _async_credentials(
        flow, "adobe_oauth", AuthMethod.OAUTH, OAUTH_SCHEMA, user_input
    )


async def async_step_jwt(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Ask for a Service Account (JWT) credential."""
    return await _async_credentials(
        flow, "adobe_jwt", AuthMethod.JWT, JWT_SCHEMA, user_input
    )


async def _async_credentials(
    flow: CloudStatusConfigFlow,
    step_id: str,
    method: AuthMethod,
    schema: vol.Schema,
    user_input: dict[str, Any] | None,
) -> ConfigFlowResult:
    errors: Errors = {}
    if user_input is not None:
        data = {
            CONF_PROVIDER: ID,
            CONF_AUTH_METHOD: method.value,
            **clean_text_fields(user_input),
        }
        await flow.async_set_unique_id(f"{ID}:{data[CONF_CLIENT_ID]}")
        # A duplicate is refused before any request, unless it is the JWT entry this
        # OAuth credential replaces.
        jwt_entry = _jwt_entry_to_migrate(flow, data)
        if jwt_entry is None:
            flow.abort_if_unique_id_configured()
        client, errors = await async_validate(flow.hass, data)
        if client is not None:
            if jwt_entry is not None:
                return _migrate_jwt_entry(flow, jwt_entry, data)
            products, errors = await _async_products(client)
            if products is not None:
                flow.pending = {"data": data, "products": products}
                return await async_step_products(flow)
    return flow.async_show_form(
        step_id=step_id,
        data_schema=flow.add_suggested_values_to_schema(schema, user_input),
        errors=errors,
    )


def _jwt_entry_to_migrate(
    flow: CloudStatusConfigFlow, data: dict[str, Any]
) -> ConfigEntry | None:
    """Return the JWT entry of this client that an OAuth credential moves over."""
    if data[CONF_AUTH_METHOD] != AuthMethod.OAUTH:
        return None
    entry = flow.hass.config_entries.async_entry_for_domain_unique_id(
        DOMAIN, f"{ID}:{data[CONF_CLIENT_ID]}"
    )
    if entry is None or entry.data.get(CONF_AUTH_METHOD) != AuthMethod.JWT:
        return None
    return entry


def _migrate_jwt_entry(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, data: dict[str, Any]
) -> ConfigFlowResult:
    """Move an existing JWT entry of this client to the OAuth credential just given.

    Adobe retired Service Account (JWT) credentials; the migrated credential keeps the
    project's client id, so the entry, its entities and history carry over.
    """
    kept = {key: value for key, value in entry.data.items() if key not in JWT_ONLY_KEYS}
    return flow.async_update_reload_and_abort(
        entry, data={**kept, **data}, reason="migrated_to_oauth"
    )


async def async_step_products(
    flow: CloudStatusConfigFlow, user_input: dict[str, Any] | None = None
) -> ConfigFlowResult:
    """Pick the Adobe products to watch (none picked: all of them)."""
    if user_input is not None:
        return flow.async_create_entry(
            title=TITLE,
            data={
                **flow.pending["data"],
                CONF_PRODUCTS: list(user_input.get(CONF_PRODUCTS, [])),
            },
        )
    return flow.async_show_form(
        step_id="adobe_products",
        data_schema=flow.add_suggested_values_to_schema(
            products_schema(flow.pending["products"], []), {CONF_PRODUCTS: []}
        ),
    )


async def async_reconfigure(
    flow: CloudStatusConfigFlow, entry: ConfigEntry, user_input: dict[str, Any] | None
) -> ConfigFlowResult:
    """Change which Adobe products the entry watches."""
    selected: list[str] = list(entry.data.get(CONF_PRODUCTS, []))
    if user_input is not None:
        return flow.async_update_reload_and_abort(
            entry,
            data_updates={CONF_PRODUCTS: list(user_input.get(CONF_PRODUCTS, []))},
        )
    client = AdobeStatusClient(
        async_get_clientsession(flow.hass),
        build_token_provider(flow.hass, dict(entry.data)),
        locale=flow.hass.config.language,
    )
    products, errors = await _async_products(client)
    return flow.show_reconfigure(
        entry,
        products_schema(products or [], selected),
        {CONF_PRODUCTS: selected},
        errors,
    )


def _reauth_schema(data: Mapping[str, Any]) -> vol.Schema:
    return REAUTH_SCHEMAS[AuthMethod(data[CONF_AUTH_METHOD])]


PROVIDER = ProviderModule(
    id=ID,
    manufacturer=MANUFACTURER,
    steps={
        ID: async_step,
        "adobe_oauth": async_step_oauth,
        "adobe_jwt": async_step_jwt,
        "adobe_products": async_step_products,
    },
    create_runtime=lambda hass, entry: StatusRuntimeData(
        AdobeStatusCoordinator(hass, entry)
    ),
    reconfigure=async_reconfigure,
    default_scan_interval=AdobeStatusCoordinator.default_scan_interval,
    secret_keys=AdobeStatusCoordinator.secret_keys,
    reauth_schema=_reauth_schema,
    check_secret=async_check_secret,
)
