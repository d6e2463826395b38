"""The CloudSigma status page client: base URLs, paged components, optional details.

The public API gives an overall status with counts (`/status`) and the paged component
list (`/components`). With an API key the client probes `/incidents` and
`/maintenances` and falls back to the counts of `/status` for a day when they are not
there.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
import re
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from ..detection import host_title
from ..errors import (
    CloudStatusAuthError,
    CloudStatusNotFoundError,
    CloudStatusParseError,
    CloudStatusServerError,
)
from ..http import MAX_BODY_BYTES, fetch
from ..models import Component, Incident, Maintenance, PageInfo, StatusSnapshot
from ..parsing import loads, require_dict, require_list, require_str, unseen
from ..statuspage import normalize_page_url
from .parsing import (
    CloudSigmaStatus,
    parse_components,
    parse_incidents,
    parse_maintenances,
    parse_status,
)

DEFAULT_CLOUDSIGMA_URL: Final = "https://statuspage.cloudsigma.com"
CLOUDSIGMA_HOST: Final = "statuspage.cloudsigma.com"
CLOUDSIGMA_NAME: Final = "CloudSigma"
STATUS_PATH: Final = "api/v1/status"
COMPONENTS_PATH: Final = "api/v1/components"
INCIDENTS_PATH: Final = "api/v1/incidents"
MAINTENANCES_PATH: Final = "api/v1/maintenances"
DEFAULT_PER_PAGE: Final = 100
MAX_COMPONENT_PAGES: Final = 100
DETAIL_RETRY_SECONDS: Final = 24 * 60 * 60.0

_API_PATH = re.compile(r"/api/v1(?:/|$)")
# A key that is not visible ASCII could not travel in a header; aiohttp would reject it
# with an error that quotes it.
_HEADER_SAFE_KEY = re.compile(r"[!-~]+")
# Answers that mean "this endpoint is not there, or not usable the way we call it".
_DETAILS_MISSING_STATUSES = frozenset(
    {
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.METHOD_NOT_ALLOWED,
        HTTPStatus.GONE,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        HTTPStatus.NOT_IMPLEMENTED,
    }
)


def normalize_cloudsigma_url(raw: str) -> URL:
    """Turn what people paste into the status page's base URL.

    Validation is Statuspage's (scheme-less means https, http is allowed, anything else is
    `InvalidUrlError`); the API suffix removed is `/api/v1...`. The result is
    `scheme://host[:port][/prefix]` without a trailing slash.
    """
    checked = normalize_page_url(raw)
    text = raw.strip()
    path = URL(text if "://" in text else f"https://{text}").path
    if (match := _API_PATH.search(path)) is not None:
        path = path[: match.start()]
    return checked.with_path(path.rstrip("/"))


class CloudSigmaClient:
    """Poll one CloudSigma status page: overall status, components and, with a key, details."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        api_key: str | None = None,
        *,
        max_bytes: int = MAX_BODY_BYTES,
        per_page: int = DEFAULT_PER_PAGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Take the shared session, the page's base URL and an optional API key."""
        self._session = session
        self.base_url = normalize_cloudsigma_url(str(base_url))
        self.host: str = self.base_url.host or ""
        self._api_key = (api_key or "").strip() or None
        self._max_bytes = max_bytes
        self._per_page = max(1, per_page)
        self._clock = clock
        self._details_available = False
        self._next_detail_probe: float | None = None

    def __repr__(self) -> str:
        """Describe the client without its API key."""
        key = "'<redacted>'" if self._api_key else None
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, api_key={key}, "
            f"details_available={self._details_available})"
        )

    @property
    def details_available(self) -> bool:
        """Whether the last probe found the incident and maintenance endpoints."""
        return self._details_available

    @property
    def page_name(self) -> str:
        """Name the page: CloudSigma for its own host, else the host (readably)."""
        if self.host == CLOUDSIGMA_HOST:
            return CLOUDSIGMA_NAME
        return host_title(CLOUDSIGMA_NAME, self.base_url)

    async def async_get_status(self) -> CloudSigmaStatus:
        """Fetch the overall status with one request (the config flow validates with it)."""
        return parse_status(await self._get_json(self.base_url.joinpath(STATUS_PATH)))

    async def async_get_snapshot(self) -> StatusSnapshot:
        """Poll everything: status, every component page and, when available, details."""
        status = await self.async_get_status()
        components = parse_components(await self._async_get_component_entries())
        page = PageInfo(
            id=self.host,
            name=self.page_name,
            url=str(self.base_url),
            updated_at=status.last_updated,
        )
        details = (
            await self._async_get_details(page.url, components)
            if self._should_probe_details()
            else None
        )
        if details is None:
            return StatusSnapshot(
                page=page,
                components=components,
                indicator=status.raw_status,
                reported_status=status.status,
                incident_count=status.active_incidents,
                maintenance_count=status.scheduled_maintenance,
            )
        incidents, maintenances = details
        return StatusSnapshot(
            page=page,
            components=components,
            incidents=incidents,
            maintenances=maintenances,
            indicator=status.raw_status,
            reported_status=status.status,
        )

    async def _async_get_component_entries(self) -> list[dict[str, Any]]:
        """Read every page of `/components`, stopping where the list ends or repeats."""
        url = self.base_url.joinpath(COMPONENTS_PATH)
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        for page in range(1, MAX_COMPONENT_PAGES + 1):
            batch = require_list(
                await self._get_json(
                    url.with_query(page=page, per_page=self._per_page)
                ),
                "components",
            )
            fresh = unseen(
                (require_dict(item, "component") for item in batch),
                seen,
                lambda entry: require_str(entry, "id", "component"),
            )
            entries.extend(fresh)
            # A server that ignores `page` repeats what we have: nothing fresh ends it.
            if not fresh or len(batch) < self._per_page:
                return entries
        raise CloudStatusParseError(
            f"components did not end within {MAX_COMPONENT_PAGES} pages"
        )

    def _should_probe_details(self) -> bool:
        if self._api_key is None:
            return False
        return (
            self._next_detail_probe is None or self._clock() >= self._next_detail_probe
        )

    async def _async_get_details(
        self, page_url: str | None, components: dict[str, Component]
    ) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]] | None:
        """Fetch incidents and maintenances; None (and counts for a day) if they are missing."""
        try:
            incidents = parse_incidents(
                await self._get_json(self.base_url.joinpath(INCIDENTS_PATH)),
                page_url,
                components,
            )
            maintenances = parse_maintenances(
                await self._get_json(self.base_url.joinpath(MAINTENANCES_PATH)),
                page_url,
                components,
            )
        except CloudStatusNotFoundError, CloudStatusParseError:
            self._use_counts()
            return None
        except CloudStatusServerError as err:
            if err.status not in _DETAILS_MISSING_STATUSES:
                raise
            self._use_counts()
            return None
        self._details_available = True
        self._next_detail_probe = None
        return incidents, maintenances

    def _use_counts(self) -> None:
        self._details_available = False
        self._next_detail_probe = self._clock() + DETAIL_RETRY_SECONDS

    def _headers(self) -> dict[str, str]:
        if self._api_key is None:
            return {}
        if not _HEADER_SAFE_KEY.fullmatch(self._api_key):
            raise CloudStatusAuthError(
                "the API key has characters an HTTP header cannot carry"
            )
        return {"Authorization": f"Bearer {self._api_key}"}

    async def _get_json(self, url: URL) -> Any:
        response = await fetch(
            self._session, url, headers=self._headers(), max_bytes=self._max_bytes
        )
        return loads(response.body)


__all__ = [
    "CLOUDSIGMA_HOST",
    "CLOUDSIGMA_NAME",
    "COMPONENTS_PATH",
    "DEFAULT_CLOUDSIGMA_URL",
    "DEFAULT_PER_PAGE",
    "DETAIL_RETRY_SECONDS",
    "INCIDENTS_PATH",
    "MAINTENANCES_PATH",
    "MAX_COMPONENT_PAGES",
    "STATUS_PATH",
    "CloudSigmaClient",
    "normalize_cloudsigma_url",
]
