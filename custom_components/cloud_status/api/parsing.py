"""Small, strict readers for untrusted JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from .errors import CloudStatusParseError


def loads(body: bytes) -> Any:
    """Decode a JSON body, turning every decoding problem into a parse error."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as err:
        snippet = body[:40].decode("utf-8", "replace").strip()
        raise CloudStatusParseError(
            f"answer is not JSON (starts with {snippet!r})"
        ) from err


def require_dict(value: Any, what: str) -> dict[str, Any]:
    """Return value if it is a JSON object."""
    if not isinstance(value, dict):
        raise CloudStatusParseError(f"{what} is {type(value).__name__}, not an object")
    return value


def require_list(value: Any, what: str) -> list[Any]:
    """Return value if it is a JSON array."""
    if not isinstance(value, list):
        raise CloudStatusParseError(f"{what} is {type(value).__name__}, not an array")
    return value


def optional_list(container: dict[str, Any], key: str, what: str) -> list[Any]:
    """Return container[key] as a list; absent or null is empty."""
    value = container.get(key)
    if value is None:
        return []
    return require_list(value, what)


def require_str(container: dict[str, Any], key: str, what: str) -> str:
    """Return a non-empty string field, else raise."""
    value = container.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise CloudStatusParseError(f"{what} has no {key!r}")
    return value


def optional_str(container: dict[str, Any], key: str) -> str | None:
    """Return a string field, or None when it is absent, null or not a string."""
    value = container.get(key)
    return value if isinstance(value, str) and value else None


def parse_time(value: Any) -> datetime | None:
    """Read an ISO 8601 string or epoch milliseconds; anything unreadable is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except OverflowError, OSError, ValueError:
            return None
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def clean_name(value: str) -> str:
    """Strip the leading dashes and spaces some providers put in names."""
    return value.lstrip("-\u2013\u2014 \t").strip() or value.strip()
