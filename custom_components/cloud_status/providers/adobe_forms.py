"""The forms of the Adobe Status provider: credential method, credentials, products."""

from __future__ import annotations

import voluptuous as vol

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from ..api.adobe_ims import DEFAULT_IMS_HOST, DEFAULT_STATUS_SCOPES
from ..api.adobe_status import AdobeProduct
from ..api.models import GROUP_SEPARATOR
from ..const import (
    CONF_AUTH_METHOD,
    CONF_IMS_HOST,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_PRODUCTS,
    CONF_SCOPES,
    CONF_TECHNICAL_ACCOUNT_ID,
    AuthMethod,
)
from ..flow_helpers import PRIVATE_KEY_SELECTOR, SECRET_SELECTOR, TEXT_SELECTOR

JWT_ONLY_KEYS = (
    CONF_TECHNICAL_ACCOUNT_ID,
    CONF_ORG_ID,
    CONF_PRIVATE_KEY,
    CONF_IMS_HOST,
)

METHOD_SCHEMA = vol.Schema(
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
OAUTH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(
            CONF_SCOPES, default=",".join(DEFAULT_STATUS_SCOPES)
        ): TEXT_SELECTOR,
    }
)
JWT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CLIENT_ID): TEXT_SELECTOR,
        vol.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
        vol.Required(CONF_TECHNICAL_ACCOUNT_ID): TEXT_SELECTOR,
        vol.Required(CONF_ORG_ID): TEXT_SELECTOR,
        vol.Required(CONF_PRIVATE_KEY): PRIVATE_KEY_SELECTOR,
        vol.Required(CONF_IMS_HOST, default=DEFAULT_IMS_HOST): TEXT_SELECTOR,
    }
)
REAUTH_SCHEMAS: dict[AuthMethod, vol.Schema] = {
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


def products_schema(products: list[AdobeProduct], selected: list[str]) -> vol.Schema:
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
