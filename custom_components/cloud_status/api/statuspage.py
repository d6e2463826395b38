"""Client for public Atlassian Statuspage pages (v2 JSON API, summary.json only)."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
import re
from typing import Any

import aiohttp
from yarl import URL

from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, Validators, fetch, is_host_name
from .models import (
    Component,
    ComponentStatus,
    Incident,
    Maintenance,
    MaintenancePhase,
    PageInfo,
    StatusSnapshot,
)
from .parsing import (
    clean_name,
    loads,
    optional_list,
    optional_str,
    parse_time,
    require_dict,
    require_list_at,
    require_str,
)

SUMMARY_PATH = "api/v2/summary.json"
_ALLOWED_SCHEMES = frozenset({"http", "https"})
_USERINFO_REFUSED = "a status page address must not hold a user name or password"
_NOT_QUOTED = "not a status page address"
_EPOCH = datetime.min.replace(tzinfo=UTC)
# status.indicator of a summary: https://doers.statuspage.io/api/v2/summary/
_KNOWN_INDICATORS = frozenset({"none", "minor", "major", "critical", "maintenance"})
_RESOLVED_INCIDENT_STATUSES = frozenset({"resolved", "postmortem", "completed"})
_MAINTENANCE_PHASES = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "in_progress": MaintenancePhase.IN_PROGRESS,
    "verifying": MaintenancePhase.IN_PROGRESS,
    "completed": MaintenancePhase.COMPLETED,
}


class InvalidUrlError(ValueError):
    """What the user typed cannot be a status page address."""


def normalize_page_url(raw: str) -> URL:
    """Turn what people paste into the page's base URL.

    `githubstatus.com`, `https://www.githubstatus.com/`, `.../api/v2/summary.json` all give
    `scheme://host[:port][/path-prefix]` without a trailing slash. An address with a user
    name or password is refused: credentials must never be stored or shown with it, and
    so is a host that is neither an IP address nor a DNS name (empty labels, labels over
    63 characters, `xn--` labels that do not decode).
    """
    text = raw.strip()
    if not text or any(char.isspace() for char in text):
        raise _invalid_url(raw)
    if "://" not in text:
        text = f"https://{text}"
    if "@" in (authority := _authority(text)):
        raise InvalidUrlError(_USERINFO_REFUSED)
    # Host names are case-insensitive; yarl lower-cases only the labels IDNA 2008 takes
    # (not "Status" in "Status.\u2603.com"), and the stored address must be one spelling.
    scheme, _, rest = text.partition("://")
    text = f"{scheme}://{authority.lower()}{rest.removeprefix(authority)}"
    try:
        url = URL(text)
    except ValueError as err:
        raise _invalid_url(raw) from err
    if url.scheme not in _ALLOWED_SCHEMES or not is_host_name(url):
        raise _invalid_url(raw)
    path = url.path
    if (index := path.find("/api/v2")) != -1:
        path = path[:index]
    path = path.rstrip("/")
    return url.with_path(path or "/").with_query(None).with_fragment(None)


def _authority(text: str) -> str:
    """Return the `[userinfo@]host[:port]` part of an address that has a scheme."""
    return re.split(r"[/?#]", text.partition("://")[2], maxsplit=1)[0]


def _invalid_url(raw: str) -> InvalidUrlError:
    """Quote what was typed, unless it may hold a credential (anything with an @)."""
    return InvalidUrlError(_NOT_QUOTED if "@" in raw else raw)


def base_url_string(url: URL) -> str:
    """Return the stored form of a base URL: no trailing slash."""
    return str(url).rstrip("/")


class StatuspageClient:
    """Read one public Statuspage's summary, with conditional requests."""

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
            base_url if isinstance(base_url, URL) else normalize_page_url(base_url)
        )
        self._max_bytes = max_bytes
        self._validators = Validators()
        # The body itself, not a digest of it: comparing a 331 KB body costs about 3 µs,
        # hashing it 44 µs (zlib.crc32) to 500 µs (blake2b), more than a whole poll of an
        # unchanged page (scripts/bench).
        self._last_body: bytes | None = None
        self._component_cache: ComponentCache = {}
        self.resolved_base_url: URL = self.base_url

    @property
    def summary_url(self) -> URL:
        """Where summary.json lives."""
        return self.base_url.joinpath(SUMMARY_PATH)

    async def async_get_summary(self) -> StatusSnapshot | None:
        """Fetch and parse summary.json; None means unchanged since the last call.

        Validators the answer carries are sent back next time only when they are valid
        header values (see `Validators`); an answer that fails to parse leaves the old
        ones.
        """
        response = await fetch(
            self._session,
            self.summary_url,
            headers=self._validators.headers(),
            max_bytes=self._max_bytes,
        )
        if response.status == HTTPStatus.NOT_MODIFIED:
            return None
        if response.body == self._last_body:
            self._validators.remember(response.headers)
            return None
        snapshot = parse_summary(loads(response.body), self._component_cache)
        self._validators.remember(response.headers)
        self._last_body = response.body
        self.resolved_base_url = _base_of(response.url, self.summary_url, self.base_url)
        return snapshot


def _base_of(answered: URL, asked: URL, base: URL) -> URL:
    """Return the base URL of the address that answered (after redirects)."""
    if answered == asked:
        return base
    path = answered.path
    if (index := path.find(f"/{SUMMARY_PATH}")) == -1:
        # Redirected somewhere summary.json cannot be derived from: keep what was asked.
        return base
    return answered.with_path(path[:index] or "/").with_query(None)


# Each component of the previous parse by id, except those whose raw name is not their
# name (names are cleaned): a raw field can then be compared with the Component's own,
# and the decoded JSON need not be kept.
type ComponentCache = dict[str, Component]


def parse_summary(
    payload: Any, component_cache: ComponentCache | None = None
) -> StatusSnapshot:
    """Turn a summary.json (or components.json) body into the shared snapshot.

    The component list must be there: a body without it (key missing or null) is a
    parse error, never a page without components. An empty list is a list. Incidents
    and maintenances may be left out (none).

    With a cache, a component whose fields that parsing reads (and group name) did not
    change keeps its Component object: most polls change a component or two out of
    hundreds, and the entities of the others then find "unchanged" at the first,
    identity, step of an equality test. Each raw field is compared with what the
    Component keeps of it (the raw status, group id and description when they are
    strings, else None; the name, as only components whose name needed no cleaning
    are cached), so equal fields give an equal Component.
    """
    body = require_dict(payload, "summary")
    page_raw = require_dict(body.get("page"), "page")
    page = PageInfo(
        id=require_str(page_raw, "id", "page"),
        name=require_str(page_raw, "name", "page"),
        url=optional_str(page_raw, "url"),
        time_zone=optional_str(page_raw, "time_zone"),
        updated_at=parse_time(page_raw.get("updated_at")),
    )
    raw_components = [
        require_dict(item, "component")
        for item in require_list_at(body, "components", "summary")
    ]
    group_names = {
        require_str(item, "id", "component"): clean_name(
            require_str(item, "name", "component")
        )
        for item in raw_components
        if item.get("group") is True
    }
    previous = component_cache or {}
    parsed: ComponentCache = {}
    components: dict[str, Component] = {}
    for item in raw_components:
        raw_id = item.get("id")
        cached = previous.get(raw_id) if isinstance(raw_id, str) else None
        if (
            cached is not None
            and item.get("name") == cached.name
            and item.get("status") == cached.raw_status
            and item.get("group_id") == cached.group_id
            and item.get("description") == cached.description
            and (item.get("group") is True) is cached.is_group
            and cached.group_name == group_names.get(cached.group_id or "")
        ):
            components[cached.id] = parsed[cached.id] = cached
            continue
        component = _parse_component(item, group_names)
        components[component.id] = component
        if component.name == item.get("name"):
            parsed[component.id] = component

    incidents = tuple(
        incident
        for item in optional_list(body, "incidents", "incidents")
        if (
            incident := parse_incident(require_dict(item, "incident"), page, components)
        )
        is not None
    )
    maintenances = tuple(
        parse_maintenance(require_dict(item, "maintenance"), page, components)
        for item in optional_list(
            body, "scheduled_maintenances", "scheduled_maintenances"
        )
    )
    status_raw = body.get("status")
    status = status_raw if isinstance(status_raw, dict) else {}
    if component_cache is not None:
        component_cache.clear()
        component_cache.update(parsed)
    return StatusSnapshot(
        page=page,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        indicator=optional_str(status, "indicator"),
        description=optional_str(status, "description"),
        indicator_known=optional_str(status, "indicator") in _KNOWN_INDICATORS,
    )


def _parse_component(item: dict[str, Any], group_names: dict[str, str]) -> Component:
    raw_status = item.get("status")
    group_id = optional_str(item, "group_id")
    return Component(
        id=require_str(item, "id", "component"),
        name=clean_name(require_str(item, "name", "component")),
        status=ComponentStatus.from_raw(raw_status),
        raw_status=raw_status if isinstance(raw_status, str) else None,
        group_id=group_id,
        group_name=group_names.get(group_id) if group_id else None,
        is_group=item.get("group") is True,
        description=optional_str(item, "description"),
    )


def _affected(
    item: dict[str, Any], components: dict[str, Component]
) -> tuple[str, ...]:
    names: list[str] = []
    for raw in optional_list(item, "components", "affected components"):
        if not isinstance(raw, dict):
            continue
        component_id = optional_str(raw, "id")
        known = components.get(component_id or "")
        name = known.display_name if known else optional_str(raw, "name")
        if name:
            names.append(name)
    return tuple(names)


def _update_time(update: dict[str, Any]) -> datetime | None:
    return parse_time(update.get("display_at") or update.get("created_at"))


def _latest_update(item: dict[str, Any]) -> tuple[str | None, str | None, int]:
    updates = [
        update
        for update in optional_list(item, "incident_updates", "incident_updates")
        if isinstance(update, dict)
    ]
    if not updates:
        return None, None, 0
    # Statuspage lists updates newest first; a readable timestamp beats that order.
    newest = max(
        enumerate(updates),
        key=lambda pair: (
            _update_time(pair[1]) or _EPOCH,
            -pair[0],
        ),
    )[1]
    return optional_str(newest, "body"), optional_str(newest, "id"), len(updates)


def parse_incident(
    item: dict[str, Any], page: PageInfo, components: dict[str, Component]
) -> Incident | None:
    """Map one Statuspage incident (v1 or v2 shape) to the shared model; None once resolved."""
    status = (optional_str(item, "status") or "unknown").lower()
    if status in _RESOLVED_INCIDENT_STATUSES:
        return None
    body, update_id, update_count = _latest_update(item)
    return Incident(
        id=require_str(item, "id", "incident"),
        name=optional_str(item, "name") or "",
        status=status,
        impact=(optional_str(item, "impact") or "none").lower(),
        url=optional_str(item, "shortlink") or page.url,
        created_at=parse_time(item.get("created_at")),
        started_at=parse_time(item.get("started_at")),
        updated_at=parse_time(item.get("updated_at")),
        resolved_at=parse_time(item.get("resolved_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
        update_count=update_count,
    )


def parse_maintenance(
    item: dict[str, Any], page: PageInfo, components: dict[str, Component]
) -> Maintenance:
    """Map one Statuspage scheduled maintenance (v1 or v2 shape) to the shared model."""
    status = (optional_str(item, "status") or "scheduled").lower()
    body, update_id, _ = _latest_update(item)
    return Maintenance(
        id=require_str(item, "id", "maintenance"),
        name=optional_str(item, "name") or "",
        status=status,
        phase=_MAINTENANCE_PHASES.get(status, MaintenancePhase.SCHEDULED),
        impact=(optional_str(item, "impact") or "maintenance").lower(),
        url=optional_str(item, "shortlink") or page.url,
        starts_at=parse_time(item.get("scheduled_for")),
        ends_at=parse_time(item.get("scheduled_until")),
        updated_at=parse_time(item.get("updated_at")),
        components=_affected(item, components),
        latest_update=body,
        latest_update_id=update_id,
    )


__all__ = [
    "CloudStatusParseError",
    "InvalidUrlError",
    "StatuspageClient",
    "base_url_string",
    "normalize_page_url",
    "parse_incident",
    "parse_maintenance",
    "parse_summary",
]
