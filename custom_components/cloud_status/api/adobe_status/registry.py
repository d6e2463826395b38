"""The Adobe Status product registry: clouds, their products, the daily refresh.

`/clouds` + `/products` (and the event texts) change rarely: the client keeps a
`DailyCache` of each, fetches it again once `REGISTRY_REFRESH` seconds have passed and
keeps the old copy when a refresh fails for any reason but refused credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ..errors import CloudStatusAuthError, CloudStatusError
from ..parsing import (
    clean_name,
    optional_list,
    optional_str,
    require_dict,
    require_list,
    require_str,
)

REGISTRY_REFRESH: Final = 86400.0


@dataclass(frozen=True, slots=True)
class AdobeProduct:
    """A product on status.adobe.com, with the cloud it belongs to."""

    id: str
    name: str
    cloud_id: str | None = None
    cloud_name: str | None = None


@dataclass(frozen=True, slots=True)
class _Cloud:
    id: str
    name: str
    product_ids: tuple[str, ...]


def _parse_clouds(payload: Any) -> list[_Cloud]:
    clouds: list[_Cloud] = []
    for item in require_list(payload, "clouds"):
        cloud = require_dict(item, "cloud")
        cloud_id = require_str(cloud, "id", "cloud")
        product_ids = tuple(
            product_id
            for product in optional_list(cloud, "cloudProducts", "cloudProducts")
            if isinstance(product, dict)
            and (product_id := optional_str(product, "id")) is not None
        )
        clouds.append(
            _Cloud(
                id=cloud_id,
                name=clean_name(optional_str(cloud, "name") or cloud_id),
                product_ids=product_ids,
            )
        )
    return clouds


def parse_clouds(payload: Any) -> list[tuple[str, str]]:
    """Return (id, name) of every cloud in a `/clouds` answer."""
    return [(cloud.id, cloud.name) for cloud in _parse_clouds(payload)]


def _product_order(product: AdobeProduct) -> tuple[bool, str, str, str]:
    return (
        product.cloud_name is None,
        (product.cloud_name or "").casefold(),
        product.name.casefold(),
        product.id,
    )


def parse_products(clouds_payload: Any, products_payload: Any) -> list[AdobeProduct]:
    """Join `/products` with the clouds that list them; sorted by cloud, then name."""
    cloud_of: dict[str, _Cloud] = {}
    for cloud in _parse_clouds(clouds_payload):
        for product_id in cloud.product_ids:
            cloud_of.setdefault(product_id, cloud)
    products: dict[str, AdobeProduct] = {}
    for item in require_list(products_payload, "products"):
        raw = require_dict(item, "product")
        product_id = require_str(raw, "id", "product")
        if product_id in products:
            continue
        owner = cloud_of.get(product_id)
        products[product_id] = AdobeProduct(
            id=product_id,
            name=clean_name(optional_str(raw, "name") or product_id),
            cloud_id=owner.id if owner else None,
            cloud_name=owner.name if owner else None,
        )
    return sorted(products.values(), key=_product_order)


class DailyCache[T]:
    """A copy of rarely changing data, due again `REGISTRY_REFRESH` seconds after it."""

    __slots__ = ("_clock", "fetched_at", "value")

    def __init__(self, clock: Callable[[], float]) -> None:
        """Start empty: the first use is due."""
        self._clock = clock
        self.value: T | None = None
        self.fetched_at = 0.0

    def is_due(self) -> bool:
        """Whether there is no copy yet, or it is old enough to fetch again."""
        return self.value is None or self._clock() - self.fetched_at >= REGISTRY_REFRESH

    def store(self, value: T) -> None:
        """Keep a freshly fetched copy."""
        self.value = value
        self.fetched_at = self._clock()

    def may_keep_after(self, err: CloudStatusError) -> bool:
        """Whether a failed refresh may fall back to the cached copy.

        Without a copy there is nothing to fall back to; refused credentials must reach
        the caller, which asks the user to sign in again.
        """
        return self.value is not None and not isinstance(err, CloudStatusAuthError)


__all__ = [
    "REGISTRY_REFRESH",
    "AdobeProduct",
    "DailyCache",
    "parse_clouds",
    "parse_products",
]
