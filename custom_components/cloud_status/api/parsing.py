"""Small, strict readers for untrusted JSON."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
import logging
import math
from typing import Any, Final, Literal

import orjson

from .errors import CloudStatusParseError

_LOGGER = logging.getLogger(__name__)

# The instants Home Assistant can hold: each converts to UTC and to local time in every
# zone (offsets stay within a day) without leaving datetime's years 1 to 9999.
EARLIEST_TIME: Final = datetime(1, 1, 2, tzinfo=UTC)
LATEST_TIME: Final = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)
# How many distinct ignored timestamps are remembered, so that each is logged once.
_LOGGED_TIMES_MAX = 256
# Sorts before every real time: what has none comes last among the newest first.
_EPOCH = datetime.min.replace(tzinfo=UTC)
# Epoch milliseconds of year 9999 have 15 digits.
_MAX_EPOCH_DIGITS = 20
_LOGGED_TEXT_MAX = 80
_LOGGED_INT_BITS = 256
_logged_times: OrderedDict[str, None] = OrderedDict()


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


def require_list_at(container: dict[str, Any], key: str, what: str) -> list[Any]:
    """Return container[key], a list that must be there: absent or null raises too."""
    value = container.get(key)
    if value is None:
        raise CloudStatusParseError(f"{what} has no {key!r} list")
    return require_list(value, key)


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
    """Read an ISO 8601 string or epoch milliseconds; anything unreadable is None.

    A naive time is UTC. A readable time outside `EARLIEST_TIME`..`LATEST_TIME` (year 1,
    year 9999, epoch values beyond them) is None too, and logged once per value: Home
    Assistant could not convert it to UTC or to local time.
    """
    try:
        parsed = _read_time(value)
        in_range = (
            parsed is None or EARLIEST_TIME <= parsed.astimezone(UTC) <= LATEST_TIME
        )
    except OverflowError:
        in_range = False
    if not in_range:
        _log_ignored(value)
        return None
    return parsed


def _read_time(value: Any) -> datetime | None:
    """Read a time without judging its range; OverflowError when it has none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except OSError, ValueError:
            raise OverflowError from None
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_epoch_ms_text(digits: str) -> datetime | None:
    """Read epoch milliseconds written as decimal digits ("1667412000000"), like parse_time."""
    if len(digits) > _MAX_EPOCH_DIGITS:
        # Python refuses int() of thousands of digits; such a time is far out of range.
        _log_ignored(digits)
        return None
    return parse_time(int(digits))


def _log_ignored(value: float | str) -> None:
    """Log an ignored timestamp the first time it is seen; the memory is bounded."""
    text = _short_text(value)
    if text in _logged_times:
        _logged_times.move_to_end(text)
        return
    _logged_times[text] = None
    if len(_logged_times) > _LOGGED_TIMES_MAX:
        _logged_times.popitem(last=False)
    _LOGGER.warning(
        "Ignoring the timestamp %s: it is outside the times Home Assistant can hold",
        text,
    )


def _short_text(value: float | str) -> str:
    if isinstance(value, int) and value.bit_length() > _LOGGED_INT_BITS:
        # repr() of an int of thousands of digits raises; its sign and size will do.
        return f"{'-' if value < 0 else ''}2**{value.bit_length() - 1}..."
    text = repr(value)
    return f"{text[:_LOGGED_TEXT_MAX]}..." if len(text) > _LOGGED_TEXT_MAX else text


def clean_name(value: str) -> str:
    """Strip the leading dashes and spaces some providers put in names."""
    return value.lstrip("-\u2013\u2014 \t").strip() or value.strip()


def newest_first[T](
    items: Iterable[T],
    when: Callable[[T], datetime | None],
    *,
    ties: Literal["first", "last"] = "first",
) -> list[T]:
    """Return the items newest first; those without a time come last.

    Equal times keep the listed order (`ties="first"`) or reverse it (`"last"`).
    """
    listed = list(items)
    sign = -1 if ties == "first" else 1
    order = sorted(
        range(len(listed)),
        key=lambda index: (when(listed[index]) or _EPOCH, sign * index),
        reverse=True,
    )
    return [listed[index] for index in order]


def newest[T](items: Iterable[T], when: Callable[[T], datetime | None]) -> T | None:
    """Return the newest item (equal times: the first listed); None without items."""
    found = max(
        enumerate(items),
        key=lambda pair: (when(pair[1]) or _EPOCH, -pair[0]),
        default=None,
    )
    return found[1] if found is not None else None


def unseen[T](items: Iterable[T], seen: set[str], key: Callable[[T], str]) -> list[T]:
    """Return the items whose key is not in `seen` (first of a repeat), adding theirs.

    Paging stops on a page that adds nothing: a server that ignores the page number
    answers what was read already.
    """
    fresh: list[T] = []
    for item in items:
        if (item_key := key(item)) not in seen:
            seen.add(item_key)
            fresh.append(item)
    return fresh
