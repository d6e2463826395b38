"""Finding which status platform serves an address: the probe every platform's check uses.

Each platform's `detect(probe)` asks for what only that platform answers (one request,
or the page's HTML, which is read once for all of them) and returns a `Detected` when it
matches. An answer that is HTML, a redirect to another path, a 404 or anything that is
not JSON means "not this platform" (`None`), never an error; a refusal (401/403) is
counted, so that detection can say `access_denied` when nothing matched, and so are
time-outs and 5xx answers (`cannot_connect` when every probe failed that way). Requests
never carry a credential.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from http import HTTPStatus
import re
from typing import Any

import aiohttp
from yarl import URL

from .errors import (
    CloudStatusAuthError,
    CloudStatusConnectionError,
    CloudStatusError,
    CloudStatusParseError,
    CloudStatusRateLimitError,
    CloudStatusServerError,
    CloudStatusTimeoutError,
)
from .http import HttpResponse, fetch
from .parsing import loads
from .statuspage import normalize_page_url

# One probe may take this long; the whole detection is bounded by its caller.
PROBE_TIMEOUT = 8.0
_HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml"}
# What people paste after a page's address: API paths of the platforms we read.
_API_SUFFIX = re.compile(
    r"/(?:api(?:/.*)?|summary\.json|index\.json|v[23]/(?:summary|components)\.json)$"
)
_TITLE = re.compile(r"<title[^>]*>([^<]{1,300})</title>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Detected:
    """A platform recognised the address.

    `key` is the platform's part of the unique id (after `{provider}:`), `url` the base
    URL to store, `data` anything else the entry keeps (a page id, a token, a slug).
    """

    key: str
    title: str
    url: str
    data: dict[str, Any] = field(default_factory=dict)


def detection_base_url(raw: str) -> URL:
    """Normalize what was pasted, dropping an API path of any platform we read.

    Raises `InvalidUrlError` as `normalize_page_url` does.
    """
    url = normalize_page_url(raw)
    path = _API_SUFFIX.sub("", url.path).rstrip("/")
    return url.with_path(path or "/")


def url_key(url: URL) -> str:
    """Return `host[:port][/path]` of a base URL: the key of platforms named by address."""
    port = "" if url.is_default_port() else f":{url.port}"
    path = url.path.rstrip("/")
    return f"{url.host}{port}{path}"


def host_title(platform: str, url: URL) -> str:
    """Name an entry after its host, readably.

    A host that starts with a digit (an IP address) would give entity ids that start
    with digits, unusable as `states.sensor.…` in templates: the platform's name goes
    first then ("Gatus 127.0.0.1").
    """
    host = url.host or url_key(url)
    return f"{platform} {host}" if host[:1].isdigit() else host


def html_title(html: str) -> str | None:
    """Return the text of a page's `<title>`, unescaped and stripped, if it has one."""
    if (match := _TITLE.search(html)) is None:
        return None
    text = " ".join(match.group(1).split())
    for escaped, plain in (("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"')):
        text = text.replace(escaped, plain)
    return text or None


class Probe:
    """The requests detection may send for one address, and what they met."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        raw: str,
        base_url: URL,
        *,
        request_timeout: float = PROBE_TIMEOUT,
    ) -> None:
        """Take the shared session, what the user typed and its normalized base URL."""
        self.session = session
        self.raw = raw.strip()
        self.base_url = base_url
        self.request_timeout = request_timeout
        self.requests = 0
        # Probes refused (401/403), and probes that timed out or met a 5xx.
        self.refused = 0
        self.failed = 0
        self.rate_limited: CloudStatusRateLimitError | None = None
        self._html: str | None = None
        self._html_read = False

    def url(self, path: str) -> URL:
        """Return a path under the base URL (a path with a query keeps it)."""
        relative, _, query = path.partition("?")
        url = self.base_url.joinpath(relative) if relative else self.base_url
        return url.with_query(query) if query else url

    async def get_json(self, target: str | URL) -> Any | None:
        """GET a path under the base (or an absolute URL) and decode its JSON.

        None when the answer is not this platform's: HTML or other non-JSON, a 404 or
        another failure status, or a redirect to another path (a site's home page).
        """
        if (response := await self._answer(target)) is None:
            return None
        try:
            return loads(response.body)
        except CloudStatusParseError:
            return None

    async def get_text(self, target: str | URL) -> str | None:
        """GET a path (or URL) and return its body as text; None as for `get_json`."""
        if (response := await self._answer(target)) is None:
            return None
        return response.body.decode("utf-8", "replace")

    async def _answer(self, target: str | URL) -> HttpResponse | None:
        """GET a path or URL; None unless it answered 200 at that very path."""
        url = target if isinstance(target, URL) else self.url(target)
        response = await self._get(url)
        if response is None or response.url.path.rstrip("/") != url.path.rstrip("/"):
            return None
        return response

    async def page_html(self) -> str | None:
        """Return the page's own HTML, read once for every platform that looks in it."""
        if not self._html_read:
            self._html_read = True
            response = await self._get(self.base_url, headers=_HTML_ACCEPT)
            if response is not None:
                self._html = response.body.decode("utf-8", "replace")
        return self._html

    async def attempt[T](self, call: Awaitable[T]) -> T | None:
        """Await one request of a platform's own client, as a probe.

        A refusal, a rate limit, a time-out, a 5xx, a 404 or an unreadable answer
        gives None (and is counted); only an unreachable host raises.
        """
        self.requests += 1
        try:
            return await call
        except CloudStatusAuthError:
            self.refused += 1
        except CloudStatusRateLimitError as err:
            self.rate_limited = err
        except CloudStatusTimeoutError, CloudStatusServerError:
            self.failed += 1
        except CloudStatusConnectionError:
            # The host cannot be reached: no other platform will do better.
            raise
        except CloudStatusError:
            pass
        return None

    async def _get(
        self, url: URL, headers: dict[str, str] | None = None
    ) -> HttpResponse | None:
        response = await self.attempt(
            fetch(
                self.session,
                url,
                headers=headers,
                request_timeout=self.request_timeout,
            )
        )
        if response is None or response.status != HTTPStatus.OK:
            return None
        return response
