"""An entry's health across coordinators: Retry-After deadlines and the 404 repair.

Set-up retries and reloads build a new coordinator each time, so what must outlive one
lives here, in `hass.data`, until the entry is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, NOT_FOUND_REPAIR_AFTER


@dataclass(slots=True)
class EntryHealth:
    """What must outlive one coordinator."""

    not_found_since: datetime | None = None
    retry_not_before: datetime | None = None


DATA_HEALTH: HassKey[dict[str, EntryHealth]] = HassKey(f"{DOMAIN}_entry_health")


def entry_health(hass: HomeAssistant, entry_id: str) -> EntryHealth:
    """Return the entry's health record, created on first use."""
    return hass.data.setdefault(DATA_HEALTH, {}).setdefault(entry_id, EntryHealth())


def not_found_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue for a page that answers 404 for a day."""
    return f"page_not_found_{entry_id}"


def jwt_issue_id(entry_id: str) -> str:
    """Return the id of the repair issue for a refused Adobe JWT credential."""
    return f"jwt_credentials_retired_{entry_id}"


def forget_entry(hass: HomeAssistant, entry_id: str) -> None:
    """Drop what a deleted entry leaves behind: its health record and repair issues."""
    hass.data.get(DATA_HEALTH, {}).pop(entry_id, None)
    for issue_id in (not_found_issue_id(entry_id), jwt_issue_id(entry_id)):
        ir.async_delete_issue(hass, DOMAIN, issue_id)


def record_success(hass: HomeAssistant, entry_id: str) -> None:
    """End a 404 streak: only a success removes its repair issue."""
    health = entry_health(hass, entry_id)
    if health.not_found_since is not None:
        health.not_found_since = None
        ir.async_delete_issue(hass, DOMAIN, not_found_issue_id(entry_id))


def record_not_found(hass: HomeAssistant, entry_id: str, title: str) -> None:
    """Raise a repair issue after NOT_FOUND_REPAIR_AFTER of 404s with no success.

    Other failures in between neither end the streak nor restart its clock.
    """
    health = entry_health(hass, entry_id)
    now = dt_util.utcnow()
    if health.not_found_since is None:
        health.not_found_since = now
    elif now - health.not_found_since >= NOT_FOUND_REPAIR_AFTER:
        ir.async_create_issue(
            hass,
            DOMAIN,
            not_found_issue_id(entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="page_not_found",
            translation_placeholders={"title": title},
        )
