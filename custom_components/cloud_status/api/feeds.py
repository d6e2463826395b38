"""What the vendors' own status feeds share: one fixed address, JSON or a bot wall."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from yarl import URL

from .detection import detection_base_url
from .errors import CloudStatusAuthError
from .parsing import loads
from .statuspage import InvalidUrlError

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def feed_json(body: bytes, headers: Mapping[str, str] | None = None) -> Any:
    """Decode a feed's JSON; an HTML answer is a bot wall, refused like a 403."""
    content_type = (headers or {}).get("Content-Type", "").lower()
    if "html" in content_type or body.lstrip()[:1] == b"<":
        raise CloudStatusAuthError("the feed answered with an HTML page (a bot wall?)")
    return loads(body)


def page_url_of(feed_url: URL, feed_path: str) -> str:
    """Return the human page of a feed address: the address without the feed's path."""
    path = feed_url.path.removesuffix(feed_path).rstrip("/")
    return str(feed_url.with_path(path or "/").with_query(None)).rstrip("/")


def service_id(name: str) -> str:
    """Return a service's component id: its name in lower case, `_` between words."""
    return _NOT_SLUG.sub("_", name.lower()).strip("_") or name


def typed_host(raw: str) -> str | None:
    """Return the host of what was typed, None when it is no address.

    A vendor's `claims` compares it with the vendor's own hosts.
    """
    try:
        return detection_base_url(raw).host
    except InvalidUrlError:
        return None
