"""Client for the Adobe Status API (`https://status.adobe.io/api/v1`).

A poll is one `GET /events` for the selected products. The product list (`/clouds` +
`/products`) and the event texts (`/messages/{locale}`) change rarely and are fetched at
most once a day. Events refer to their texts by token (`titleToken`, `messageToken`).

`registry` reads the clouds and products and holds the daily cache, `messages` the texts
and locales, `history` and `events` turn events into the snapshot, `client` asks the API.
"""

from .client import STATUS_API_KEY, STATUS_API_URL, AdobeStatusClient
from .events import PAGE_INFO, STATUS_PAGE_URL, parse_events
from .messages import FALLBACK_LOCALE, AdobeMessages, locale_candidates, parse_messages
from .registry import REGISTRY_REFRESH, AdobeProduct, parse_clouds, parse_products

__all__ = [
    "FALLBACK_LOCALE",
    "PAGE_INFO",
    "REGISTRY_REFRESH",
    "STATUS_API_KEY",
    "STATUS_API_URL",
    "STATUS_PAGE_URL",
    "AdobeMessages",
    "AdobeProduct",
    "AdobeStatusClient",
    "locale_candidates",
    "parse_clouds",
    "parse_events",
    "parse_messages",
    "parse_products",
]
