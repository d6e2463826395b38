"""Client for Gatus status pages: `{base}/api/v1/endpoints/statuses`.

The answer is a list of endpoints (`key`, `name`, `group`, `results` oldest first). An
endpoint's status is its newest result: success is operational; a failure is a major
outage, or a partial outage when only some of its conditions failed; no result is
unknown. Gatus pages each endpoint's *results* with `page`/`pageSize` (TwiN/gatus
`api/endpoint_status.go`, `api/util.go`), so page 1 already lists every endpoint; the
client still follows pages, bounded, for a server that pages the endpoints themselves:
it stops on a short, empty or repeated page, and after `MAX_PAGES`. Gatus has no
incidents and no maintenance windows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from yarl import URL

from .detection import Detected, Probe, host_title, url_key
from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, Validators, fetch
from .models import Component, ComponentStatus, PageInfo, StatusSnapshot
from .parsing import (
    clean_name,
    loads,
    optional_list,
    optional_str,
    require_dict,
    require_list,
    require_str,
    unseen,
)
from .statuspage import base_url_string, normalize_page_url

STATUSES_PATH: Final = "api/v1/endpoints/statuses"
# Gatus's own default page size (api/util.go DefaultPageSize).
PAGE_SIZE: Final = 20
MAX_PAGES: Final = 50
RAW_SUCCESS: Final = "success"
RAW_FAILURE: Final = "failure"


def parse_endpoints(payload: Any) -> list[dict[str, Any]]:
    """Return the endpoint objects of one page; anything but a list of objects raises."""
    return [
        require_dict(item, "endpoint")
        for item in require_list(payload, "endpoint statuses")
    ]


def endpoint_status(endpoint: dict[str, Any]) -> tuple[ComponentStatus, str | None]:
    """Return an endpoint's status from its newest result, with the raw value.

    No result (an empty list, or `null`, Go's empty slice) is unknown without a raw
    value; a result whose `success` is not a boolean is unknown with it.
    """
    results = optional_list(endpoint, "results", "results")
    if not results:
        return ComponentStatus.UNKNOWN, None
    last = require_dict(results[-1], "result")
    success = last.get("success")
    if success is True:
        return ComponentStatus.OPERATIONAL, RAW_SUCCESS
    if success is not False:
        return ComponentStatus.UNKNOWN, repr(success)
    outcomes = [
        condition.get("success")
        for condition in optional_list(last, "conditionResults", "conditionResults")
        if isinstance(condition, dict)
    ]
    if True in outcomes and False in outcomes:
        return ComponentStatus.PARTIAL_OUTAGE, RAW_FAILURE
    return ComponentStatus.MAJOR_OUTAGE, RAW_FAILURE


def parse_component(endpoint: dict[str, Any]) -> Component:
    """Turn one endpoint into a component; its group prefixes the name (see `display_name`)."""
    status, raw_status = endpoint_status(endpoint)
    group = optional_str(endpoint, "group")
    return Component(
        id=require_str(endpoint, "key", "endpoint"),
        name=clean_name(require_str(endpoint, "name", "endpoint")),
        status=status,
        raw_status=raw_status,
        group_name=clean_name(group) if group and group.strip() else None,
    )


def parse_statuses(endpoints: list[dict[str, Any]], page: PageInfo) -> StatusSnapshot:
    """Build the snapshot of every endpoint read (first occurrence of a key wins)."""
    components: dict[str, Component] = {}
    for endpoint in endpoints:
        component = parse_component(endpoint)
        components.setdefault(component.id, component)
    return StatusSnapshot(page=page, components=components)


@dataclass(frozen=True, slots=True)
class _Page:
    """One page as read: its body, how many endpoints and which keys it lists."""

    body: bytes
    size: int
    keys: tuple[str, ...]
    batch: list[dict[str, Any]] | None = None

    def forget(self) -> _Page:
        """Keep what paging needs, not the decoded endpoints."""
        return _Page(self.body, self.size, self.keys)


def _decode(body: bytes) -> list[dict[str, Any]]:
    return parse_endpoints(loads(body))


class GatusClient:
    """Poll one Gatus instance; None when every page answered as last time."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        *,
        page_size: int = PAGE_SIZE,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session and the instance's base URL."""
        self._session = session
        self.base_url = (
            base_url if isinstance(base_url, URL) else normalize_page_url(base_url)
        )
        self._page_size = max(1, page_size)
        self._max_bytes = max_bytes
        self._validators: dict[int, Validators] = {}
        self._last_bodies: list[bytes] = []
        self._pages: dict[int, _Page] = {}
        self.page = PageInfo(
            id=url_key(self.base_url),
            name=self.base_url.host or url_key(self.base_url),
            url=base_url_string(self.base_url),
        )

    def page_url(self, page: int) -> URL:
        """Return the address of one page of endpoint statuses."""
        return self.base_url.joinpath(STATUSES_PATH).with_query(
            page=page, pageSize=self._page_size
        )

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read every page; None when each one answered exactly as last time.

        A page whose body is the one read last time is not decoded again to find where
        paging ends (its count and keys are remembered); it is decoded only when another
        page changed and the snapshot has to be built.
        """
        bodies: list[bytes] = []
        pages: list[_Page] = []
        # Validators are kept once the poll has parsed: a poll that fails is read
        # afresh next time, never answered 304 for a body it could not read.
        answered: list[tuple[int, Mapping[str, str] | None]] = []
        seen: set[str] = set()
        for number in range(1, MAX_PAGES + 1):
            body, headers = await self._get_page(number)
            answered.append((number, headers))
            page = self._read_page(number, body)
            bodies.append(body)
            pages.append(page)
            fresh = [key for key in page.keys if key not in seen]
            seen.update(fresh)
            # A server that ignores `page` repeats what we have: nothing fresh ends it.
            if not fresh or page.size < self._page_size:
                break
        else:
            raise CloudStatusParseError(
                f"endpoint statuses did not end within {MAX_PAGES} pages"
            )
        if bodies == self._last_bodies:
            self._keep_validators(answered)
            return None
        endpoints: list[dict[str, Any]] = []
        taken: set[str] = set()
        for page in pages:
            batch = page.batch if page.batch is not None else _decode(page.body)
            endpoints.extend(unseen(batch, taken, _endpoint_key))
        snapshot = parse_statuses(endpoints, self.page)
        self._keep_validators(answered)
        self._last_bodies = bodies
        self._pages = {number: page.forget() for number, page in enumerate(pages, 1)}
        return snapshot

    def _keep_validators(
        self, answered: list[tuple[int, Mapping[str, str] | None]]
    ) -> None:
        for number, headers in answered:
            if headers is not None:
                self._validators[number].remember(headers)

    def _read_page(self, number: int, body: bytes) -> _Page:
        """Return a page's count and keys, decoding it only when its body is new."""
        known = self._pages.get(number)
        if known is not None and known.body == body:
            return known
        batch = _decode(body)
        keys = tuple(_endpoint_key(item) for item in batch)
        return _Page(body, len(batch), keys, batch)

    async def _get_page(self, number: int) -> tuple[bytes, Mapping[str, str] | None]:
        """Return a page's body and, unless it was a 304, the headers to keep."""
        validators = self._validators.setdefault(number, Validators())
        response = await fetch(
            self._session,
            self.page_url(number),
            headers=validators.headers(),
            max_bytes=self._max_bytes,
        )
        if response.status == HTTPStatus.NOT_MODIFIED:
            if number > len(self._last_bodies):
                raise CloudStatusParseError("304 for a page never read")
            return self._last_bodies[number - 1], None
        return response.body, response.headers


def _endpoint_key(item: dict[str, Any]) -> str:
    return require_str(item, "key", "endpoint")


def looks_like_gatus(payload: Any) -> bool:
    """Whether a decoded answer is Gatus's endpoint list: each item a key and results."""
    return isinstance(payload, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("key"), str)
        and "results" in item
        for item in payload
    )


async def detect(probe: Probe) -> Detected | None:
    """Recognise Gatus by its endpoint-status list (one request)."""
    payload = await probe.get_json(f"{STATUSES_PATH}?page=1&pageSize=1")
    if payload is None or not looks_like_gatus(payload):
        return None
    base = probe.base_url
    return Detected(
        key=url_key(base),
        title=host_title("Gatus", base),
        url=base_url_string(base),
    )
