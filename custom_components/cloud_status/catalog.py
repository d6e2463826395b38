"""The catalog of popular services: a data file shipped with the integration.

`catalog.json` lists services by the names people know, each with its status page's
address and the platform that serves it (the provider tried first). Where each entry
comes from is kept for maintainers in `docs/catalog-sources.md`, not in the shipped file.
The file is read once per Home Assistant instance, in the executor, and validated then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .api import InvalidUrlError
from .api.detection import detection_base_url
from .const import DOMAIN

CATALOG_PATH = Path(__file__).parent / "catalog.json"
DATA_CATALOG: HassKey[Catalog] = HassKey(f"{DOMAIN}_catalog")
_FIELDS = ("name", "url", "platform")


class CatalogError(ValueError):
    """The catalog file is not a valid list of services."""


@dataclass(frozen=True, slots=True)
class CatalogService:
    """One popular service: its name, its status page's address and its platform."""

    name: str
    url: str
    platform: str


class Catalog:
    """The services of the catalog, in file order, found by name."""

    def __init__(self, services: tuple[CatalogService, ...]) -> None:
        """Index the services by name (names are unique, ignoring case)."""
        self.services = services
        self._by_name = {service.name.casefold(): service for service in services}

    def __iter__(self) -> Iterator[CatalogService]:
        """Iterate over the services in file order."""
        return iter(self.services)

    def __len__(self) -> int:
        """Return the number of services."""
        return len(self.services)

    def __getitem__(self, name: str) -> CatalogService:
        """Return the service of a name (ignoring case); KeyError when there is none."""
        return self._by_name[name.casefold()]

    def get(self, name: str) -> CatalogService | None:
        """Return the service of a name (ignoring case), or None."""
        return self._by_name.get(name.casefold())


def parse_catalog(raw: Any) -> Catalog:
    """Validate the decoded catalog file: a list of unique, well-formed services.

    Raises `CatalogError` naming the first entry that is wrong.
    """
    if not isinstance(raw, list) or not raw:
        raise CatalogError("the catalog must be a non-empty list of services")
    services: list[CatalogService] = []
    names: set[str] = set()
    addresses: set[str] = set()
    for index, item in enumerate(raw):
        service = _service(index, item)
        name = service.name.casefold()
        address = str(detection_base_url(service.url)).casefold()
        if name in names:
            raise CatalogError(f"entry {index}: duplicate name {service.name!r}")
        if address in addresses:
            raise CatalogError(f"entry {index}: duplicate address {address}")
        names.add(name)
        addresses.add(address)
        services.append(service)
    return Catalog(tuple(services))


def _service(index: int, item: Any) -> CatalogService:
    if not isinstance(item, dict) or sorted(item) != sorted(_FIELDS):
        raise CatalogError(f"entry {index}: expected exactly the keys {_FIELDS}")
    values = [item[key] for key in _FIELDS]
    if not all(
        isinstance(value, str) and value.strip() == value and value for value in values
    ):
        raise CatalogError(
            f"entry {index}: every field must be a non-empty, trimmed text"
        )
    service = CatalogService(*values)
    try:
        detection_base_url(service.url)
    except InvalidUrlError as err:
        # The error's own text: it never quotes an address that may hold a credential.
        raise CatalogError(f"entry {index}: not an address: {err}") from err
    return service


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Read and validate a catalog file (blocking: run it in the executor)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CatalogError(f"cannot read {path.name}: {err}") from err
    return parse_catalog(raw)


async def async_get_catalog(hass: HomeAssistant) -> Catalog:
    """Return the catalog, read once per Home Assistant instance, off the event loop."""
    if (catalog := hass.data.get(DATA_CATALOG)) is None:
        catalog = await hass.async_add_executor_job(load_catalog, CATALOG_PATH)
        hass.data[DATA_CATALOG] = catalog
    return catalog
