"""Client for the Google Cloud Service Health feed: `incidents.json` and `products.json`.

`incidents.json` is an array of every incident of the last months (170 to 400 kB): `id`,
`begin`/`end` (ISO 8601; `end` absent or null while the incident is open), `severity`
(low, medium, high), `status_impact` (SERVICE_INFORMATION, SERVICE_DISRUPTION,
SERVICE_OUTAGE), `affected_products[{id, title}]`, `most_recent_update{text, status, ...}`
and `uri`. `products.json` is `{"products": [{id, title}]}`: the components. It is read
on the first poll and then at most once a day (an hour after a failed read); a read that
fails while the incidents answer keeps the list already read.

Only the picked products are components (none picked: every product), and an incident
counts only when it affects a picked product (an incident naming no product counts only
when nothing is picked). A product's status is the worst `status_impact` of the open
incidents that affect it. A feed answering HTML is a bot wall: a refusal, not a parse
error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
import logging
from typing import Any, Final

import aiohttp
from yarl import URL

from .detection import Detected, Probe
from .errors import CloudStatusError, CloudStatusParseError
from .feeds import feed_json, typed_host
from .http import MAX_BODY_BYTES, Validators, fetch
from .models import Component, ComponentStatus, Incident, PageInfo, StatusSnapshot
from .parsing import (
    clean_name,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list,
    require_list_at,
    require_str,
)

_LOGGER = logging.getLogger(__name__)

HOST: Final = "status.cloud.google.com"
FEED_URL: Final = f"https://{HOST}"
INCIDENTS_PATH: Final = "incidents.json"
PRODUCTS_PATH: Final = "products.json"
PAGE_ID: Final = "google_cloud"
TITLE: Final = "Google Cloud"
PRODUCTS_MAX_AGE: Final = timedelta(days=1)
PRODUCTS_RETRY: Final = timedelta(hours=1)
# status_impact (recorded: SERVICE_INFORMATION; peers: the other two).
IMPACTS: Final = {
    "SERVICE_INFORMATION": ComponentStatus.DEGRADED_PERFORMANCE,
    "SERVICE_DISRUPTION": ComponentStatus.PARTIAL_OUTAGE,
    "SERVICE_OUTAGE": ComponentStatus.MAJOR_OUTAGE,
}


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An open incident with what decides its scope and the statuses it gives."""

    incident: Incident
    products: tuple[tuple[str, str], ...]
    status: ComponentStatus
    raw_status: str | None


def parse_products(payload: Any) -> dict[str, str]:
    """Return the product list as {id: title}; the first of a repeated id wins."""
    items = require_list_at(require_dict(payload, "product list"), "products", "list")
    products: dict[str, str] = {}
    for item in items:
        product = require_dict(item, "product")
        title = clean_name(require_str(product, "title", "product"))
        products.setdefault(require_str(product, "id", "product"), title)
    return products


def parse_incident(item: Any, base_url: URL) -> OpenIncident | None:
    """Read one incident; None once it has ended (`end` neither absent nor null)."""
    raw = require_dict(item, "incident")
    if raw.get("end") not in (None, ""):
        return None
    incident_id = require_str(raw, "id", "incident")
    products: list[tuple[str, str]] = []
    for entry in optional_list(raw, "affected_products", "affected_products"):
        product = require_dict(entry, "affected product")
        product_id = require_str(product, "id", "affected product")
        title = optional_str(product, "title")
        products.append((product_id, clean_name(title) if title else product_id))
    impact = optional_str(raw, "status_impact")
    update = raw.get("most_recent_update")
    update = {} if update is None else require_dict(update, "most_recent_update")
    updates = raw.get("updates")
    description = optional_str(raw, "external_desc") or ""
    name = description.strip().splitlines()[0] if description.strip() else None
    uri = optional_str(raw, "uri")
    incident = Incident(
        id=incident_id,
        name=name or optional_str(raw, "service_name") or incident_id,
        status=(optional_str(update, "status") or "open").lower(),
        impact=(optional_str(raw, "severity") or impact or "unknown").lower(),
        url=str(base_url.joinpath(uri.lstrip("/"))) if uri else str(base_url),
        created_at=parse_time(raw.get("created")),
        started_at=parse_time(raw.get("begin")),
        updated_at=parse_time(raw.get("modified")),
        latest_update=optional_str(update, "text"),
        latest_update_id=optional_str(update, "modified")
        or optional_str(update, "created"),
        update_count=len(updates) if isinstance(updates, list) else 0,
    )
    return OpenIncident(
        incident=incident,
        products=tuple(products),
        status=IMPACTS.get((impact or "").upper(), ComponentStatus.UNKNOWN),
        raw_status=impact,
    )


def parse_incidents(payload: Any, base_url: URL) -> list[OpenIncident]:
    """Return the open incidents of the feed (the first of a repeated id wins)."""
    found: dict[str, OpenIncident] = {}
    for item in require_list(payload, "incident list"):
        if (parsed := parse_incident(item, base_url)) is not None:
            found.setdefault(parsed.incident.id, parsed)
    return list(found.values())


def _worst(
    statuses: Iterable[tuple[ComponentStatus, str | None]],
) -> tuple[ComponentStatus, str | None] | None:
    return max(statuses, key=lambda pair: pair[0].severity, default=None)


def build_snapshot(
    incidents: list[OpenIncident],
    products: dict[str, str],
    selected: frozenset[str],
    page: PageInfo,
) -> StatusSnapshot:
    """Build the snapshot of the picked products (none picked: every product)."""
    names = dict(products)
    for open_incident in incidents:
        for product_id, title in open_incident.products:
            names.setdefault(product_id, title)
    watched = (
        names if not selected else {k: v for k, v in names.items() if k in selected}
    )
    hits: dict[str, list[tuple[ComponentStatus, str | None]]] = {}
    listed: list[Incident] = []
    scoped: list[tuple[ComponentStatus, str | None]] = []
    for open_incident in incidents:
        ids = [pid for pid, _ in open_incident.products if pid in watched]
        if selected and not ids:
            continue
        pair = (open_incident.status, open_incident.raw_status)
        scoped.append(pair)
        for product_id in ids:
            hits.setdefault(product_id, []).append(pair)
        titles = tuple(dict.fromkeys(watched[pid] for pid in ids))
        listed.append(replace(open_incident.incident, components=titles))
    components: dict[str, Component] = {}
    for product_id, title in watched.items():
        status, raw = _worst(hits.get(product_id, ())) or (
            ComponentStatus.OPERATIONAL,
            None,
        )
        components[product_id] = Component(
            id=product_id, name=title, status=status, raw_status=raw
        )
    reported, indicator = _worst(scoped) or (ComponentStatus.OPERATIONAL, None)
    return StatusSnapshot(
        page=page,
        components=components,
        incidents=tuple(listed),
        reported_status=reported,
        indicator=indicator,
    )


def _now() -> datetime:
    return datetime.now(UTC)


class GoogleCloudClient:
    """Poll the feed for the picked products; None when nothing changed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL = FEED_URL,
        products: Iterable[str] = (),
        *,
        max_bytes: int = MAX_BODY_BYTES,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        """Take the shared session, the feed's base URL and the picked product ids."""
        self._session = session
        self.base_url = URL(str(base_url).rstrip("/"))
        self.selected = frozenset(str(product) for product in products)
        self._max_bytes = max_bytes
        self._clock = clock
        self._incident_validators = Validators()
        self._product_validators = Validators()
        self._incidents_body: bytes | None = None
        self.products: dict[str, str] | None = None
        self._products_due: datetime | None = None
        self._fresh_products = False
        self.page = PageInfo(id=PAGE_ID, name=TITLE, url=f"{self.base_url}/")

    async def async_get_products(self) -> dict[str, str]:
        """Read the product list now (the flow's picker); it replaces the cached one."""
        response = await fetch(
            self._session,
            self.base_url.joinpath(PRODUCTS_PATH),
            headers=self._product_validators.headers() if self.products else None,
            max_bytes=self._max_bytes,
        )
        if response.status == HTTPStatus.NOT_MODIFIED and self.products is not None:
            return self.products
        products = parse_products(feed_json(response.body))
        self._product_validators.remember(response.headers)
        self._fresh_products = products != self.products
        self.products = products
        return products

    async def _refresh_products(self) -> dict[str, str]:
        now = self._clock()
        if (
            self.products is not None
            and self._products_due
            and now < self._products_due
        ):
            return self.products
        try:
            products = await self.async_get_products()
        except CloudStatusError as err:
            if self.products is None:
                raise
            _LOGGER.debug("Keeping the Google Cloud product list read before: %s", err)
            self._products_due = now + PRODUCTS_RETRY
            return self.products
        self._products_due = now + PRODUCTS_MAX_AGE
        return products

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read the incidents (and the product list when due); None when unchanged."""
        products = await self._refresh_products()
        response = await fetch(
            self._session,
            self.base_url.joinpath(INCIDENTS_PATH),
            headers=self._incident_validators.headers(),
            max_bytes=self._max_bytes,
        )
        if response.status == HTTPStatus.NOT_MODIFIED:
            if self._incidents_body is None:
                raise CloudStatusParseError("304 for an incident list never read")
            body = self._incidents_body
        else:
            body = response.body
        if body == self._incidents_body and not self._fresh_products:
            return None
        incidents = parse_incidents(feed_json(body), self.base_url)
        snapshot = build_snapshot(incidents, products, self.selected, self.page)
        if response.status != HTTPStatus.NOT_MODIFIED:
            self._incident_validators.remember(response.headers)
        self._incidents_body = body
        self._fresh_products = False
        return snapshot


def claims(raw: str) -> bool:
    """Whether an address is the Google Cloud status dashboard's."""
    return typed_host(raw) == HOST


async def detect(probe: Probe) -> tuple[Detected, dict[str, str]] | None:
    """Recognise the dashboard by its host; read the feed once, as a poll would.

    Returns what the entry stores and the product list for the picker.
    """
    if not claims(probe.raw):
        return None
    client = GoogleCloudClient(probe.session, FEED_URL)
    # A fresh client's first poll always parses (it has no body to compare with).
    await client.async_get_snapshot()
    return Detected(key="all", title=TITLE, url=FEED_URL), client.products or {}
