"""The Adobe Status API client: requests with an IMS token, daily caches.

A poll is one `GET /events` for the selected products. The product list (`/clouds` +
`/products`) and the event texts (`/messages/{locale}`) change rarely and are fetched at
most once a day; a failed refresh keeps the copy it has unless the credentials were
refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from http import HTTPStatus
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from ..adobe_ims import ImsTokenProvider, call_with_token
from ..errors import CloudStatusError, CloudStatusNotFoundError, CloudStatusServerError
from ..http import fetch
from ..models import StatusSnapshot
from ..parsing import loads
from .events import parse_events
from .messages import FALLBACK_LOCALE, AdobeMessages, locale_candidates, parse_messages
from .registry import AdobeProduct, DailyCache, parse_clouds, parse_products

STATUS_API_URL: Final = URL("https://status.adobe.io/api/v1")
# Adobe's public client id for the Status API gateway, the same for everyone.
STATUS_API_KEY: Final = "StatusAdobeIOClient"


class AdobeStatusClient:
    """Read Adobe Status for a set of products with an IMS token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_provider: ImsTokenProvider,
        *,
        locale: str = FALLBACK_LOCALE,
        base_url: URL = STATUS_API_URL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the shared session, the IMS token provider and the texts' language."""
        self._session = session
        self._token_provider = token_provider
        self._locales = locale_candidates(locale)
        self._base_url = base_url
        self._products: DailyCache[list[AdobeProduct]] = DailyCache(clock)
        self._messages: DailyCache[AdobeMessages] = DailyCache(clock)
        self.messages_locale: str | None = None

    def __repr__(self) -> str:
        """Describe the client (the token provider shows no credential either)."""
        return f"<AdobeStatusClient base_url={str(self._base_url)!r}>"

    async def _async_get_json(
        self, path: str, query: Sequence[tuple[str, str]] = ()
    ) -> Any:
        url = self._base_url.joinpath(path).with_query(
            [*query, ("api_key", STATUS_API_KEY)]
        )

        async def get(token: str) -> bytes:
            response = await fetch(
                self._session, url, headers={"Authorization": f"Bearer {token}"}
            )
            return response.body

        return loads(await call_with_token(self._token_provider, get))

    async def async_get_clouds(self) -> list[tuple[str, str]]:
        """Return (id, name) of every cloud; a cheap credentials check."""
        return parse_clouds(await self._async_get_json("clouds"))

    async def async_get_products(self) -> list[AdobeProduct]:
        """Return every product with its cloud, sorted by cloud then product name."""
        clouds = await self._async_get_json("clouds")
        products = parse_products(clouds, await self._async_get_json("products"))
        self._products.store(products)
        return products

    async def _async_get_messages(self) -> AdobeMessages:
        """Fetch the texts in the first locale that has any (English last).

        A locale the API does not know answers 404 or 400: the next one is tried.
        """
        for locale in self._locales:
            try:
                payload = await self._async_get_json(f"messages/{locale}")
            except CloudStatusNotFoundError:
                continue
            except CloudStatusServerError as err:
                if err.status != HTTPStatus.BAD_REQUEST:
                    raise
                continue
            if messages := parse_messages(payload):
                self.messages_locale = locale
                return messages
        self.messages_locale = None
        return AdobeMessages()

    async def _async_refresh_products(self) -> None:
        """Fetch the product list when it is due; a failed refresh keeps the old one."""
        if not self._products.is_due():
            return
        try:
            await self.async_get_products()
        except CloudStatusError as err:
            if not self._products.may_keep_after(err):
                raise

    async def _async_refresh_messages(self) -> None:
        """Fetch the texts when they are due; a failed refresh keeps the old ones."""
        if not self._messages.is_due():
            return
        try:
            messages = await self._async_get_messages()
        except CloudStatusError as err:
            if not self._messages.may_keep_after(err):
                raise
            return
        self._messages.store(messages)

    async def async_get_snapshot(self, product_ids: Sequence[str]) -> StatusSnapshot:
        """Poll the events of the selected products (all when none is selected).

        The product list and the texts are refreshed once a day. When a refresh fails
        and a copy exists, this poll uses the copy and the next poll tries again;
        refused credentials always fail the poll.
        """
        await self._async_refresh_products()
        await self._async_refresh_messages()
        selected = tuple(dict.fromkeys(product_ids))
        payload = await self._async_get_json(
            "events", [("productIds", product_id) for product_id in selected]
        )
        return parse_events(
            payload, self._products.value or [], selected, self._messages.value
        )


__all__ = ["STATUS_API_KEY", "STATUS_API_URL", "AdobeStatusClient"]
