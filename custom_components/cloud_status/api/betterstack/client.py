"""The Better Stack client (index.json, one request a poll) and its detector."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import aiohttp
from yarl import URL

from ..detection import Detected, Probe, detection_base_url, url_key
from ..errors import CloudStatusParseError
from ..http import MAX_BODY_BYTES, Validators, fetch
from ..models import StatusSnapshot
from ..parsing import clean_name, loads, optional_str
from ..statuspage import base_url_string
from .parsing import INDEX_PATH, page_of, parse_index


class BetterStackClient:
    """Read one Better Stack status page's index.json, with conditional requests."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL,
        *,
        max_bytes: int = MAX_BODY_BYTES,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Take the shared session and the page's base URL."""
        self._session = session
        self.base_url = (
            base_url if isinstance(base_url, URL) else detection_base_url(base_url)
        )
        self._max_bytes = max_bytes
        self._clock = clock
        self._validators = Validators()
        self._last_body: bytes | None = None
        # When the last body's maintenance windows next start or end.
        self._next_boundary: datetime | None = None

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Poll index.json; None when it did not change and no window began or ended."""
        response = await fetch(
            self._session,
            self.base_url.joinpath(INDEX_PATH),
            headers=self._validators.headers(),
            max_bytes=self._max_bytes,
        )
        now = self._clock()
        not_modified = response.status == HTTPStatus.NOT_MODIFIED
        unchanged = not_modified or response.body == self._last_body
        body = response.body
        if unchanged:
            if self._last_body is None:
                raise CloudStatusParseError("the page answered 304 to a first request")
            if not not_modified:
                # The same body sent again may come with new validators.
                self._validators.remember(response.headers)
            if self._next_boundary is None or now < self._next_boundary:
                return None
            # Same body, but a maintenance window began or ended since: read it again.
            body = self._last_body
        snapshot, self._next_boundary = parse_index(loads(body), self.base_url, now)
        if not unchanged:
            self._validators.remember(response.headers)
        self._last_body = body
        return snapshot


def detected_page(payload: Any) -> tuple[str, str] | None:
    """Return (page id, company name) when an index.json body is a Better Stack page."""
    try:
        page_id, attributes = page_of(payload)
    except CloudStatusParseError:
        return None
    name = optional_str(attributes, "company_name")
    return page_id, clean_name(name) if name and name.strip() else ""


async def detect(probe: Probe) -> Detected | None:
    """Recognise a Better Stack page by `/index.json` with `data.type == "status_page"`."""
    if (found := detected_page(await probe.get_json(INDEX_PATH))) is None:
        return None
    page_id, name = found
    return Detected(
        key=page_id,
        title=name or url_key(probe.base_url),
        url=base_url_string(probe.base_url),
    )
