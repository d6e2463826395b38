"""The history of an event's product on Adobe Status: its updates, the newest of them.

An update has a time (ISO 8601 or epoch milliseconds, also as text), a status, a
severity and the tokens of its title and message texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from ..parsing import optional_list, optional_str, parse_epoch_ms_text, parse_time

_EPOCH = datetime.min.replace(tzinfo=UTC)
_UNSET: Final = frozenset({"", "0"})


def parse_event_time(value: Any) -> datetime | None:
    """Read ISO 8601 or epoch milliseconds, also as text ("1667412000000")."""
    if isinstance(value, str) and (digits := value.strip()).isdecimal():
        return parse_epoch_ms_text(digits)
    return parse_time(value)


def is_set(value: Any) -> bool:
    """Whether a field holds a value: not missing, false, zero, "0" or blank."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip() not in _UNSET
    return bool(value != 0)


def lowered(value: str | None) -> str:
    """Return a status or severity stripped and lower-cased ("" for none)."""
    return (value or "").strip().lower()


@dataclass(frozen=True, slots=True)
class ProductUpdate:
    """One history entry of an event's product."""

    id: str | None
    time: datetime | None
    title_token: str | None
    message_token: str | None
    status: str | None
    severity: str | None
    position: int

    @property
    def order(self) -> tuple[datetime, int]:
        """Sort by time; without a readable time, later entries count as newer."""
        return (self.time or _EPOCH, self.position)


def product_history(product: dict[str, Any]) -> list[ProductUpdate]:
    """Read the history entries of one product of an event."""
    raw = product.get("history")
    # The DTOs list history; the older nested schema keys it by id.
    items = (
        list(raw.values())
        if isinstance(raw, dict)
        else optional_list(product, "history", "history")
    )
    return [
        ProductUpdate(
            id=optional_str(entry, "id"),
            time=parse_event_time(entry.get("messageTime")),
            title_token=optional_str(entry, "titleToken"),
            message_token=optional_str(entry, "messageToken"),
            status=optional_str(entry, "status"),
            severity=optional_str(entry, "severity"),
            position=position,
        )
        for position, entry in enumerate(items)
        if isinstance(entry, dict)
    ]


def newest_update(updates: Iterable[ProductUpdate]) -> ProductUpdate | None:
    """Return the newest update, None when there is none."""
    return max(updates, key=lambda update: update.order, default=None)


def unique_updates(updates: Iterable[ProductUpdate]) -> list[ProductUpdate]:
    """Drop repeats of an update that several products of one event share."""
    seen: set[str] = set()
    unique: list[ProductUpdate] = []
    for update in updates:
        if update.id is not None:
            if update.id in seen:
                continue
            seen.add(update.id)
        unique.append(update)
    return unique


def newest_title(
    updates: list[ProductUpdate], text_of: Callable[[str | None], str | None]
) -> str | None:
    """Return the text of the newest title token that has one."""
    for update in sorted(updates, key=lambda update: update.order, reverse=True):
        if title := text_of(update.title_token):
            return title
    return None


def update_id_of(update: ProductUpdate | None) -> str | None:
    """Identify an update: by its id, else by its time."""
    if update is None:
        return None
    if update.id is not None:
        return update.id
    return update.time.isoformat() if update.time else None


__all__ = [
    "ProductUpdate",
    "is_set",
    "lowered",
    "newest_title",
    "newest_update",
    "parse_event_time",
    "product_history",
    "unique_updates",
    "update_id_of",
]
