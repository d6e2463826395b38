"""Adobe Status event texts: `/messages/{locale}` by token, and the locales to try.

Events refer to their texts by token (`titleToken`, `messageToken`); a locale the API
has no texts for falls back to its language, then to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import re
from typing import Any, Final

from ..parsing import optional_str, require_dict, require_list

FALLBACK_LOCALE: Final = "en"

_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, slots=True)
class AdobeMessages:
    """The event texts of one locale, by token."""

    incident: Mapping[str, str] = field(default_factory=dict)
    maintenance: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether any text is known."""
        return bool(self.incident or self.maintenance)

    def incident_text(self, token: str | None) -> str | None:
        """Return an incident text (a maintenance text with the same token will do)."""
        if not token:
            return None
        return self.incident.get(token) or self.maintenance.get(token)

    def maintenance_text(self, token: str | None) -> str | None:
        """Return a maintenance text (an incident text with the same token will do)."""
        if not token:
            return None
        return self.maintenance.get(token) or self.incident.get(token)


def _texts(container: dict[str, Any], key: str) -> dict[str, str]:
    raw = container.get(key)
    texts: dict[str, str] = {}
    if not isinstance(raw, dict):
        return texts
    for map_key, message in raw.items():
        if not isinstance(message, dict) or not (
            text := optional_str(message, "textMessage")
        ):
            continue
        texts.setdefault(map_key, text.strip())
        if token := optional_str(message, "token"):
            texts.setdefault(token, text.strip())
    return texts


def parse_messages(payload: Any) -> AdobeMessages:
    """Read a `/messages/{locale}` answer into texts by token."""
    incident: dict[str, str] = {}
    maintenance: dict[str, str] = {}
    for item in require_list(payload, "messages"):
        entry = require_dict(item, "messages entry")
        for token, text in _texts(entry, "incidentMessages").items():
            incident.setdefault(token, text)
        for token, text in _texts(entry, "maintenanceMessages").items():
            maintenance.setdefault(token, text)
    return AdobeMessages(incident=incident, maintenance=maintenance)


def locale_candidates(locale: str) -> tuple[str, ...]:
    """Locales to try for texts: as given, its language, then English."""
    text = locale.strip()
    if not _LOCALE.fullmatch(text):
        return (FALLBACK_LOCALE,)
    language = re.split(r"[-_]", text, maxsplit=1)[0]
    return tuple(dict.fromkeys((text, language, FALLBACK_LOCALE)))


__all__ = [
    "FALLBACK_LOCALE",
    "AdobeMessages",
    "locale_candidates",
    "parse_messages",
]
