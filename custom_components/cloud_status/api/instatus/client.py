"""The Instatus client (summary.json and the component list) and its detector."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import aiohttp
from yarl import URL

from ..detection import Detected, Probe, detection_base_url, url_key
from ..errors import CloudStatusNotFoundError, CloudStatusParseError
from ..http import MAX_BODY_BYTES, HttpResponse, Validators, fetch
from ..models import StatusSnapshot
from ..parsing import clean_name, loads
from ..statuspage import base_url_string
from .parsing import (
    COMPONENT_PATHS,
    PAGE_STATUSES,
    SUMMARY_PATH,
    parse_components,
    parse_summary,
)


class _Endpoint:
    """One JSON document read with conditional requests; remembers its last body."""

    __slots__ = ("body", "pending", "validators")

    def __init__(self) -> None:
        self.validators = Validators()
        self.body: bytes | None = None
        self.pending: HttpResponse | None = None

    def take(self, response: HttpResponse) -> tuple[bytes, bool]:
        """Return the body to parse and whether it changed."""
        not_modified = response.status == HTTPStatus.NOT_MODIFIED
        if not_modified or response.body == self.body:
            if self.body is None:
                raise CloudStatusParseError("the page answered 304 to a first request")
            # A 304 keeps the validators it answered; the same body sent again may
            # come with new ones.
            self.pending = None if not_modified else response
            return self.body, False
        self.pending = response
        return response.body, True

    def commit(self, body: bytes) -> None:
        """Keep what a successful parse read (and its validators)."""
        if self.pending is not None:
            self.validators.remember(self.pending.headers)
        self.body = body
        self.pending = None


class InstatusClient:
    """Read one public Instatus page: summary.json and its component list."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        *,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session and the page's base URL."""
        self._session = session
        self.base_url = (
            base_url if isinstance(base_url, URL) else detection_base_url(base_url)
        )
        self._max_bytes = max_bytes
        self._summary = _Endpoint()
        self._components = _Endpoint()
        # The component list's path once one answered (v2, else v3).
        self.components_path: str | None = None

    async def _get(self, path: str, endpoint: _Endpoint) -> HttpResponse:
        return await fetch(
            self._session,
            self.base_url.joinpath(path),
            headers=endpoint.validators.headers(),
            max_bytes=self._max_bytes,
        )

    async def _get_components(self) -> HttpResponse:
        if self.components_path is not None:
            try:
                return await self._get(self.components_path, self._components)
            except CloudStatusNotFoundError:
                # The page moved to the other version: look again, from the start.
                self.components_path = None
                self._components = _Endpoint()
        for path in COMPONENT_PATHS:
            try:
                response = await self._get(path, self._components)
            except CloudStatusNotFoundError:
                continue
            self.components_path = path
            return response
        raise CloudStatusParseError("the page has no component list (v2 and v3: 404)")

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Poll the page; None when neither document changed since the last poll."""
        summary_body, summary_changed = self._summary.take(
            await self._get(SUMMARY_PATH, self._summary)
        )
        components_body, components_changed = self._components.take(
            await self._get_components()
        )
        if not summary_changed and not components_changed:
            self._summary.commit(summary_body)
            self._components.commit(components_body)
            return None
        snapshot = parse_summary(
            loads(summary_body),
            parse_components(loads(components_body)),
            self.base_url,
        )
        self._summary.commit(summary_body)
        self._components.commit(components_body)
        return snapshot


def detected_page(payload: Any) -> str | None:
    """Return the page's name when a summary.json body is an Instatus one, else None."""
    if not isinstance(payload, dict) or not isinstance(
        page := payload.get("page"), dict
    ):
        return None
    status = page.get("status")
    if not isinstance(status, str) or status.upper() not in PAGE_STATUSES:
        return None
    name = page.get("name")
    return clean_name(name) if isinstance(name, str) and name.strip() else ""


async def detect(probe: Probe) -> Detected | None:
    """Recognise an Instatus page by `/summary.json` whose `page.status` is Instatus's."""
    if (name := detected_page(await probe.get_json(SUMMARY_PATH))) is None:
        return None
    key = url_key(probe.base_url)
    return Detected(key=key, title=name or key, url=base_url_string(probe.base_url))
