"""Config flow for Cloud Status: one entry per monitored source."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, override

import voluptuous as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import (
    CONF_API_KEY,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_SCAN_INTERVAL,
    CONF_URL,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api.adobe_ims import DEFAULT_IMS_HOST, DEFAULT_STATUS_SCOPES
from .api.adobe_status import AdobeProduct, AdobeStatusClient
from .api.cloudsigma import DEFAULT_CLOUDSIGMA_URL
from .api.models import GROUP_SEPARATOR
from .api.statuspage_manage import ManagedPage
from .const import (
    CONF_AUTH_METHOD,
    CONF_COMPONENTS,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PAGE_ID,
    CONF_PRIVATE_KEY,
    CONF_PRODUCTS,
    CONF_PROVIDER,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    DEFAULT_PHOTOSHOP_SCOPES,
    DEFAULT_SCAN_INTERVALS,
    DOMAIN,
    IMPLEMENTED_PROVIDERS,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    PHOTOSHOP_TITLE,
    AuthMethod,
    Provider,
)
from .coordinator import CloudStatusConfigEntry, CloudStatusCoordinator
from .credentials import build_token_provider
from .validation import (
    Errors,
    ValidatedSource,
    async_validate_adobe,
    async_validate_cloudsigma,
    async_validate_ims_credentials,
    async_validate_statuspage,
    async_validate_statuspage_key,
    attempt,
    clean_text_fields,
    cloudsigma_unique_id,
)

ADOBE_STATUS_TITLE = "Adobe Status"
CONF_REMOVE_API_KEY = "remove_api_key"
JWT_ONLY_KEYS = (
    CONF_TECHNICAL_ACCOUNT_ID,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_IMS_HOST,
)

# A text input, not a URL input: people paste scheme-less addresses such as
# `githubstatus.com`, which the browser's URL validation would refuse.
URL_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.TEXT, autocomplete="url")
)
SECRET_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="off")
)
TEXT_SELECTOR = TextSelector()
PRIVATE_KEY_SELECTOR = TextSelector(TextSelectorConfig(multiline=True))

STATUSPAGE_SCHEMA = vol.Schema({vol.Required(CONF_URL): URL_SELECTOR})
API_KEY_SCHEMA = vol.Schema({vol.Required(CONF_API_KEY): SECRET_SELECTOR})
CLOUDSIGMA_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL, default=DEFAULT_CLOUDSIGMA_URL): URL_SELECTOR,
        vol.Optional(CONF_API_KEY): SECRET_SELECTOR,
    }
)
# Reconfigure of a CloudSigma entry that has a key: the key field starts empty.
CLOUDSIGMA_RECONFIGURE_SCHEMA = CLOUDSIGMA_SCHEMA.extend(
    {vol.Optional(CONF_REMOVE_API_KEY, default=False): BooleanSelector()}
)
ADOBE_METHOD_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_AUTH_METHOD, default=AuthMethod.OAUTH.value): SelectSelector(
            SelectSelectorConfig(
                options=[method.value for method in AuthMethod],
                mode=SelectSelectorMode.LIST,
                translation_key=CONF_AUTH_METHOD,
            )
        )
    }
)
ADOBE_OAUTH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(
            CONF_SCOPES, default=",".join(DEFAULT_STATUS_SCOPES)
        ): TEXT_SELECTOR,
    }
)
ADOBE_JWT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(CONF_TECHNICAL_ACCOUNT_ID): TEXT_SELECTOR,
        vol.Required(CONF_ORG_ID): TEXT_SELECTOR,
        vol.Required(CONF_PRIVATE_KEY): PRIVATE_KEY_SELECTOR,
        vol.Required(CONF_IMS_HOST, default=DEFAULT_IMS_HOST): TEXT_SELECTOR,
    }
)
PHOTOSHOP_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(
            CONF_SCOPES, default=",".join(DEFAULT_PHOTOSHOP_SCOPES)
        ): TEXT_SELECTOR,
    }
)
SCOPES_SCHEMA = vol.Schema({vol.Required(CONF_SCOPES): TEXT_SELECTOR})
REAUTH_SCHEMAS: dict[str, vol.Schema] = {
    Provider.STATUSPAGE_MANAGE: API_KEY_SCHEMA,
    Provider.CLOUDSIGMA: API_KEY_SCHEMA,
    Provider.PHOTOSHOP: vol.Schema({vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR}),
    AuthMethod.OAUTH: vol.Schema({vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR}),
    AuthMethod.JWT: vol.Schema(
        {
            vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
            vol.Required(CONF_PRIVATE_KEY): PRIVATE_KEY_SELECTOR,
        }
    ),
}


def _product_options(products: list[AdobeProduct]) -> list[SelectOptionDict]:
    return [
        SelectOptionDict(
            value=product.id,
            label=f"{product.cloud_name}{GROUP_SEPARATOR}{product.name}"
            if product.cloud_name
            else product.name,
        )
        for product in products
    ]


def _products_schema(products: list[AdobeProduct], selected: list[str]) -> vol.Schema:
    """Build a multi-select of Adobe products; ids no longer offered stay selectable."""
    options = _product_options(products)
    known = {product.id for product in products}
    options.extend(
        SelectOptionDict(value=product_id, label=product_id)
        for product_id in selected
        if product_id not in known
    )
    # Optional with a suggested value, not a default: clearing the list means "all".
    return vol.Schema(
        {
            vol.Optional(CONF_PRODUCTS): SelectSelector(
                SelectSelectorConfig(
                    options=options,
                    multiple=True,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            )
        }
    )


class CloudStatusConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a monitored source: pick a provider, then describe the source."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing learned."""
        self._data: dict[str, Any] = {}
        self._pages: list[ManagedPage] = []
        self._products: list[AdobeProduct] = []

    @staticmethod
    @callback
    @override
    def async_get_options_flow(
        config_entry: ConfigEntry,
    ) -> CloudStatusOptionsFlow:
        """Return the options flow (poll interval and components)."""
        return CloudStatusOptionsFlow()

    @classmethod
    @callback
    @override
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Offer options to status entries; Photoshop job entries have none."""
        return config_entry.data.get(CONF_PROVIDER) != Provider.PHOTOSHOP

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer one menu option per implemented provider."""
        return self.async_show_menu(
            step_id="user",
            menu_options=[provider.value for provider in IMPLEMENTED_PROVIDERS],
        )

    # --- public Statuspage ----------------------------------------------------------

    async def async_step_statuspage(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the address of a public Atlassian Statuspage."""
        errors: Errors = {}
        if user_input is not None:
            source, errors = await async_validate_statuspage(
                self.hass, user_input[CONF_URL]
            )
            if source is not None:
                return await self._async_create_source(source)
        return self.async_show_form(
            step_id=Provider.STATUSPAGE.value,
            data_schema=self.add_suggested_values_to_schema(
                STATUSPAGE_SCHEMA, user_input
            ),
            errors=errors,
        )

    # --- Statuspage management API --------------------------------------------------

    async def async_step_statuspage_manage(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Statuspage API key and list the pages it can see."""
        errors: Errors = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            pages, errors = await async_validate_statuspage_key(self.hass, api_key)
            if pages is not None:
                self._data = {
                    CONF_PROVIDER: Provider.STATUSPAGE_MANAGE.value,
                    CONF_API_KEY: api_key,
                }
                self._pages = pages
                return await self.async_step_statuspage_manage_page()
        return self.async_show_form(
            step_id=Provider.STATUSPAGE_MANAGE.value,
            data_schema=API_KEY_SCHEMA,
            errors=errors,
        )

    async def async_step_statuspage_manage_page(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick one of the key's pages that is not configured yet."""
        configured = self._async_current_ids(include_ignore=False)
        available = [
            page
            for page in self._pages
            if f"{Provider.STATUSPAGE.value}:{page.id}" not in configured
        ]
        if not available:
            return self.async_abort(reason="already_configured")
        if user_input is not None:
            page = next(
                (p for p in available if p.id == user_input[CONF_PAGE_ID]), None
            )
            if page is None:
                # Added by another flow while this form was open.
                return self.async_abort(reason="already_configured")
            return await self._async_create_source(
                ValidatedSource(
                    unique_id=f"{Provider.STATUSPAGE.value}:{page.id}",
                    title=page.name,
                    data={**self._data, CONF_PAGE_ID: page.id},
                )
            )
        schema = vol.Schema(
            {
                vol.Required(CONF_PAGE_ID): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=page.id, label=page.name)
                            for page in available
                        ],
                        mode=SelectSelectorMode.LIST,
                    )
                )
            }
        )
        return self.async_show_form(
            step_id="statuspage_manage_page", data_schema=schema
        )

    # --- CloudSigma -----------------------------------------------------------------

    async def async_step_cloudsigma(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the CloudSigma status page address and an optional API key."""
        errors: Errors = {}
        if user_input is not None:
            if (unique_id := cloudsigma_unique_id(user_input[CONF_URL])) is not None:
                await self.async_set_unique_id(unique_id)
                self._abort_if_unique_id_configured()
            source, errors = await async_validate_cloudsigma(
                self.hass,
                user_input[CONF_URL],
                user_input.get(CONF_API_KEY),
            )
            if source is not None:
                return await self._async_create_source(source)
        return self.async_show_form(
            step_id=Provider.CLOUDSIGMA.value,
            data_schema=self.add_suggested_values_to_schema(
                CLOUDSIGMA_SCHEMA, user_input
            ),
            errors=errors,
        )

    # --- Adobe Status ---------------------------------------------------------------

    async def async_step_adobe_status(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask how the Adobe Developer Console credential authenticates."""
        if user_input is not None:
            if user_input[CONF_AUTH_METHOD] == AuthMethod.JWT:
                return await self.async_step_adobe_jwt()
            return await self.async_step_adobe_oauth()
        return self.async_show_form(
            step_id=Provider.ADOBE_STATUS.value, data_schema=ADOBE_METHOD_SCHEMA
        )

    async def async_step_adobe_oauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for an OAuth Server-to-Server credential."""
        return await self._async_adobe_credentials(
            "adobe_oauth", AuthMethod.OAUTH, ADOBE_OAUTH_SCHEMA, user_input
        )

    async def async_step_adobe_jwt(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Service Account (JWT) credential."""
        return await self._async_adobe_credentials(
            "adobe_jwt", AuthMethod.JWT, ADOBE_JWT_SCHEMA, user_input
        )

    async def _async_adobe_credentials(
        self,
        step_id: str,
        method: AuthMethod,
        schema: vol.Schema,
        user_input: dict[str, Any] | None,
    ) -> ConfigFlowResult:
        errors: Errors = {}
        if user_input is not None:
            data = {
                CONF_PROVIDER: Provider.ADOBE_STATUS.value,
                CONF_AUTH_METHOD: method.value,
                **clean_text_fields(user_input),
            }
            await self.async_set_unique_id(
                f"{Provider.ADOBE_STATUS.value}:{data[CONF_CLIENT_ID]}"
            )
            # A duplicate is refused before any request, unless it is the JWT entry
            # this OAuth credential replaces.
            jwt_entry = self._jwt_entry_to_migrate(data)
            if jwt_entry is None:
                self._abort_if_unique_id_configured()
            client, errors = await async_validate_adobe(self.hass, data)
            if client is not None:
                if jwt_entry is not None:
                    return self._async_migrate_jwt_entry(jwt_entry, data)
                products, errors = await attempt(
                    client.async_get_products(),
                    "listing Adobe products",
                    credential_sent=True,
                    not_found="cannot_connect",
                )
                if products is not None:
                    self._data = data
                    self._products = products
                    return await self.async_step_adobe_products()
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    def _jwt_entry_to_migrate(self, data: dict[str, Any]) -> ConfigEntry | None:
        """Return the JWT entry of this client that an OAuth credential moves over."""
        if data[CONF_AUTH_METHOD] != AuthMethod.OAUTH:
            return None
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, f"{Provider.ADOBE_STATUS.value}:{data[CONF_CLIENT_ID]}"
        )
        if entry is None or entry.data.get(CONF_AUTH_METHOD) != AuthMethod.JWT:
            return None
        return entry

    def _async_migrate_jwt_entry(
        self, entry: ConfigEntry, data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Move an existing JWT entry of this client to the OAuth credential just given.

        Adobe retired Service Account (JWT) credentials; the migrated credential keeps
        the project's client id, so the entry, its entities and history carry over.
        """
        kept = {
            key: value for key, value in entry.data.items() if key not in JWT_ONLY_KEYS
        }
        return self.async_update_reload_and_abort(
            entry, data={**kept, **data}, reason="migrated_to_oauth"
        )

    async def async_step_adobe_products(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the Adobe products to watch (none picked: all of them)."""
        if user_input is not None:
            return self.async_create_entry(
                title=ADOBE_STATUS_TITLE,
                data={
                    **self._data,
                    CONF_PRODUCTS: list(user_input.get(CONF_PRODUCTS, [])),
                },
            )
        return self.async_show_form(
            step_id="adobe_products",
            data_schema=self.add_suggested_values_to_schema(
                _products_schema(self._products, []), {CONF_PRODUCTS: []}
            ),
        )

    # --- Photoshop API jobs ----------------------------------------------------------

    async def async_step_photoshop(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the OAuth Server-to-Server credential of a Photoshop API project."""
        errors: Errors = {}
        if user_input is not None:
            data = {
                CONF_PROVIDER: Provider.PHOTOSHOP.value,
                **clean_text_fields(user_input, DEFAULT_PHOTOSHOP_SCOPES),
            }
            await self.async_set_unique_id(
                f"{Provider.PHOTOSHOP.value}:{data[CONF_CLIENT_ID]}"
            )
            self._abort_if_unique_id_configured()
            errors = await async_validate_ims_credentials(self.hass, data)
            if not errors:
                return self.async_create_entry(title=PHOTOSHOP_TITLE, data=data)
        return self.async_show_form(
            step_id=Provider.PHOTOSHOP.value,
            data_schema=self.add_suggested_values_to_schema(
                PHOTOSHOP_SCHEMA, user_input
            ),
            errors=errors,
        )

    async def _async_create_source(self, source: ValidatedSource) -> ConfigFlowResult:
        await self.async_set_unique_id(source.unique_id)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=source.title, data=source.data)

    # --- reauth ---------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: dict[str, Any]) -> ConfigFlowResult:
        """Ask for a new secret: the provider refused the entry's."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the renewed secret and check it before storing it."""
        entry = self._get_reauth_entry()
        provider = Provider(entry.data[CONF_PROVIDER])
        form = (
            entry.data[CONF_AUTH_METHOD]
            if provider is Provider.ADOBE_STATUS
            else provider.value
        )
        errors: Errors = {}
        if user_input is not None:
            updates = clean_text_fields(user_input)
            errors = await self._async_check_secret(entry, updates)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMAS[form],
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def _async_check_secret(
        self, entry: ConfigEntry, updates: dict[str, Any]
    ) -> Errors:
        """Validate an entry's data with new secrets; return the form errors."""
        data = {**entry.data, **updates}
        if any(not value for value in updates.values()):
            return {"base": "invalid_auth"}
        match Provider(data[CONF_PROVIDER]):
            case Provider.STATUSPAGE_MANAGE:
                pages, errors = await async_validate_statuspage_key(
                    self.hass, data[CONF_API_KEY]
                )
                if pages is not None and all(
                    page.id != data[CONF_PAGE_ID] for page in pages
                ):
                    return {"base": "page_not_visible"}
                return errors
            case Provider.CLOUDSIGMA:
                _, errors = await async_validate_cloudsigma(
                    self.hass, data[CONF_URL], data[CONF_API_KEY]
                )
                return errors
            case Provider.PHOTOSHOP:
                return await async_validate_ims_credentials(self.hass, data)
            case _:
                _, errors = await async_validate_adobe(self.hass, data)
                return errors

    # --- reconfigure ----------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how an entry reaches its source, keeping entities and history."""
        entry = self._get_reconfigure_entry()
        handlers: dict[
            Provider,
            Callable[[ConfigEntry, dict[str, Any] | None], Awaitable[ConfigFlowResult]],
        ] = {
            Provider.STATUSPAGE: self._async_reconfigure_statuspage,
            Provider.STATUSPAGE_MANAGE: self._async_reconfigure_statuspage_manage,
            Provider.CLOUDSIGMA: self._async_reconfigure_cloudsigma,
            Provider.ADOBE_STATUS: self._async_reconfigure_adobe,
            Provider.PHOTOSHOP: self._async_reconfigure_photoshop,
        }
        return await handlers[Provider(entry.data[CONF_PROVIDER])](entry, user_input)

    async def _async_reconfigure_statuspage(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Point a Statuspage entry at a new address of the same page."""
        errors: Errors = {}
        if user_input is not None:
            source, errors = await async_validate_statuspage(
                self.hass, user_input[CONF_URL]
            )
            if source is not None:
                await self.async_set_unique_id(source.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_page")
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_URL: source.data[CONF_URL]}
                )
        return self._show_reconfigure(
            entry, STATUSPAGE_SCHEMA, user_input or entry.data, errors
        )

    async def _async_reconfigure_statuspage_manage(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Give a management-API entry another key that can see the same page."""
        errors: Errors = {}
        if user_input is not None:
            updates = clean_text_fields(user_input)
            errors = await self._async_check_secret(entry, updates)
            if errors == {"base": "page_not_visible"}:
                return self.async_abort(reason="wrong_page")
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self._show_reconfigure(entry, API_KEY_SCHEMA, None, errors)

    async def _async_reconfigure_cloudsigma(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change a CloudSigma entry's address or API key (same deployment)."""
        stored_key: str | None = entry.data.get(CONF_API_KEY)
        errors: Errors = {}
        if user_input is not None:
            # The key field starts empty: left empty, it keeps the stored key unless
            # the user asks for it to be removed; a key typed in replaces it.
            api_key = (user_input.get(CONF_API_KEY) or "").strip() or None
            if api_key is None and not user_input.get(CONF_REMOVE_API_KEY):
                api_key = stored_key
            # Another deployment is refused before the stored key could go to it.
            if (unique_id := cloudsigma_unique_id(user_input[CONF_URL])) is not None:
                await self.async_set_unique_id(unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_page")
            source, errors = await async_validate_cloudsigma(
                self.hass, user_input[CONF_URL], api_key
            )
            if source is not None:
                return self.async_update_reload_and_abort(entry, data=source.data)
        # A stored secret never goes back to the browser, not even masked.
        shown = user_input or entry.data
        suggested = {
            key: shown[key] for key in (CONF_URL, CONF_REMOVE_API_KEY) if key in shown
        }
        schema = CLOUDSIGMA_RECONFIGURE_SCHEMA if stored_key else CLOUDSIGMA_SCHEMA
        return self._show_reconfigure(entry, schema, suggested, errors)

    async def _async_reconfigure_adobe(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change which Adobe products the entry watches."""
        selected: list[str] = list(entry.data.get(CONF_PRODUCTS, []))
        if user_input is not None:
            return self.async_update_reload_and_abort(
                entry,
                data_updates={CONF_PRODUCTS: list(user_input.get(CONF_PRODUCTS, []))},
            )
        client = AdobeStatusClient(
            async_get_clientsession(self.hass),
            build_token_provider(self.hass, dict(entry.data)),
            locale=self.hass.config.language,
        )
        products, errors = await attempt(
            client.async_get_products(),
            "listing Adobe products",
            credential_sent=True,
            not_found="cannot_connect",
        )
        return self._show_reconfigure(
            entry,
            _products_schema(products or [], selected),
            {CONF_PRODUCTS: selected},
            errors,
        )

    async def _async_reconfigure_photoshop(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the scopes a Photoshop entry asks IMS for."""
        errors: Errors = {}
        if user_input is not None:
            updates = clean_text_fields(user_input, DEFAULT_PHOTOSHOP_SCOPES)
            errors = await async_validate_ims_credentials(
                self.hass, {**entry.data, **updates}
            )
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        return self._show_reconfigure(
            entry, SCOPES_SCHEMA, user_input or entry.data, errors
        )

    def _show_reconfigure(
        self,
        entry: ConfigEntry,
        schema: vol.Schema,
        suggested: Any,
        errors: Errors,
    ) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={"name": entry.title},
        )


class CloudStatusOptionsFlow(OptionsFlowWithReload):
    """Poll interval and the components that get entities; saving reloads the entry."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        if self.config_entry.data.get(CONF_PROVIDER) == Provider.PHOTOSHOP:
            # The UI offers no options for these entries; the REST API still could.
            return self.async_abort(reason="no_options")
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_COMPONENTS: list(user_input.get(CONF_COMPONENTS, [])),
                }
            )
        options = self.config_entry.options
        selected: list[str] = list(options.get(CONF_COMPONENTS, []))
        interval = options.get(
            CONF_SCAN_INTERVAL,
            DEFAULT_SCAN_INTERVALS[Provider(self.config_entry.data[CONF_PROVIDER])],
        )
        schema = vol.Schema(
            {
                vol.Required(CONF_SCAN_INTERVAL, default=interval): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL,
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                ),
                # Pre-filled as a suggestion, not a default: a default would come back
                # when the user clears the list, and an empty list means "all".
                vol.Optional(CONF_COMPONENTS): SelectSelector(
                    SelectSelectorConfig(
                        options=self._component_options(selected),
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                {CONF_COMPONENTS: selected},
            ),
        )

    def _component_options(self, selected: list[str]) -> list[SelectOptionDict]:
        """List the page's components, plus selected ids the page no longer has."""
        entry: CloudStatusConfigEntry = self.config_entry
        # Only status entries have options, and only a loaded one knows its components.
        coordinator = (
            entry.runtime_data if entry.state is ConfigEntryState.LOADED else None
        )
        components = (
            coordinator.data.snapshot.components
            if isinstance(coordinator, CloudStatusCoordinator)
            else {}
        )
        labels = {
            component_id: component.display_name
            for component_id, component in components.items()
        }
        for component_id in selected:
            labels.setdefault(component_id, component_id)
        return [
            SelectOptionDict(value=component_id, label=label)
            for component_id, label in sorted(
                labels.items(), key=lambda item: (item[1].casefold(), item[0])
            )
        ]
