"""Sorry\u2122 status pages: the public page API under `{base}/api/v1/`.

A poll reads the page (`/api/v1/`: its name, overall `state` and `links`), every page of
`/api/v1/components` (paged: `meta.next_page`; the client stops on an empty, short or
repeated page and after `MAX_COMPONENT_PAGES`) and the notices that are under way
(`/api/v1/notices?timeline_state=present`). Each request is conditional when the server
sent validators; a poll whose answers are all unchanged (304 or the same bytes) is
None. Components nest through `parent_id`: a parent is a group, its children are named
"Parent \u2013 Child".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any, Final

import aiohttp
from yarl import URL

from .detection import Detected, Probe, url_key
from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, Validators, fetch
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
    unseen,
)
from .statuspage import base_url_string, normalize_page_url

PAGE_PATH: Final = "api/v1/"
COMPONENTS_PATH: Final = "api/v1/components"
NOTICES_PATH: Final = "api/v1/notices"
PRESENT_NOTICES: Final = {"timeline_state": "present"}
MAX_COMPONENT_PAGES: Final = 40

# Public page doc (status.sorryapp.com/api): operational, degraded, under_maintenance;
# management doc (docs.sorryapp.com/v1/components): partially-degraded too.
STATE_MAP: Final = {
    "operational": ComponentStatus.OPERATIONAL,
    "partially_degraded": ComponentStatus.DEGRADED_PERFORMANCE,
    "degraded": ComponentStatus.PARTIAL_OUTAGE,
    "under_maintenance": ComponentStatus.UNDER_MAINTENANCE,
}
# docs.sorryapp.com/v1/notices: unplanned notices end resolved or false_alarm,
# planned ones go scheduled -> underway -> complete.
_CLOSED_INCIDENT_STATES: Final = frozenset({"resolved", "false_alarm"})
_MAINTENANCE_PHASES: Final = {
    "scheduled": MaintenancePhase.SCHEDULED,
    "underway": MaintenancePhase.IN_PROGRESS,
    "complete": MaintenancePhase.COMPLETED,
}


def map_state(value: object) -> ComponentStatus:
    """Map a Sorry page or component state; anything else is UNKNOWN."""
    if not isinstance(value, str):
        return ComponentStatus.UNKNOWN
    return STATE_MAP.get(
        value.strip().lower().replace("-", "_"), ComponentStatus.UNKNOWN
    )


def _id_text(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _require_id(entry: dict[str, Any], what: str) -> str:
    if (text := _id_text(entry.get("id"))) is None:
        raise CloudStatusParseError(f"{what} has no 'id'")
    return text


def _text(container: dict[str, Any], key: str) -> str | None:
    value = container.get(key)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


@dataclass(frozen=True, slots=True)
class SorryPage:
    """What `/api/v1/` says about the page."""

    name: str | None
    state: ComponentStatus
    raw_state: str | None
    url: str | None
    updated_at: datetime | None


def parse_page(payload: Any) -> SorryPage:
    """Read the page body: a `page` object with a `state` (and `links`)."""
    page = require_dict(require_dict(payload, "page body").get("page"), "page")
    if "state" not in page:
        raise CloudStatusParseError("page has no 'state'")
    raw_state = page["state"]
    return SorryPage(
        name=_text(page, "name"),
        state=map_state(raw_state),
        raw_state=raw_state if isinstance(raw_state, str) and raw_state else None,
        url=optional_str(page, "url"),
        updated_at=parse_time(page.get("updated_at")),
    )


def parse_components(entries: list[dict[str, Any]]) -> dict[str, Component]:
    """Turn component entries into components; a parent is a group of its children."""
    ordered = sorted(entries, key=_position_key)
    names: dict[str, str] = {}
    parents: set[str] = set()
    for entry in ordered:
        component_id = _require_id(entry, "component")
        names.setdefault(component_id, clean_name(_text(entry, "name") or component_id))
        if (parent := _id_text(entry.get("parent_id"))) is not None:
            parents.add(parent)
    components: dict[str, Component] = {}
    for entry in ordered:
        component_id = _require_id(entry, "component")
        if component_id in components:
            continue
        parent = _id_text(entry.get("parent_id"))
        raw_state = entry.get("state")
        components[component_id] = Component(
            id=component_id,
            name=names[component_id],
            status=map_state(raw_state),
            raw_status=raw_state if isinstance(raw_state, str) else None,
            group_id=parent,
            group_name=names.get(parent) if parent is not None else None,
            is_group=component_id in parents,
            description=_text(entry, "description"),
        )
    return components


def _position_key(entry: dict[str, Any]) -> tuple[int, float]:
    position = entry.get("position")
    if isinstance(position, (int, float)) and not isinstance(position, bool):
        return 0, position
    return 1, 0.0


def parse_notices(
    payload: Any, page_url: str | None, components: dict[str, Component]
) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]]:
    """Read the present notices: open unplanned ones, planned ones not complete."""
    body = require_dict(payload, "notices body")
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for item in require_list_at(body, "notices", "notices body"):
        notice = require_dict(item, "notice")
        notice_id = _require_id(notice, "notice")
        state = (_text(notice, "state") or "unknown").lower()
        name = _text(notice, "subject") or notice_id
        url = _text(notice, "link") or _text(notice, "url") or page_url
        affected = _affected(notice, components)
        update, update_id = _latest_update(notice)
        kind = (_text(notice, "type") or "").lower()
        if kind == "planned":
            phase = _MAINTENANCE_PHASES.get(state, MaintenancePhase.IN_PROGRESS)
            if phase is MaintenancePhase.COMPLETED:
                continue
            maintenances.append(
                Maintenance(
                    id=notice_id,
                    name=name,
                    status=state,
                    phase=phase,
                    url=url,
                    starts_at=parse_time(notice.get("begins_at"))
                    or parse_time(notice.get("began_at")),
                    ends_at=parse_time(notice.get("ends_at")),
                    updated_at=parse_time(notice.get("updated_at")),
                    components=affected,
                    latest_update=update,
                    latest_update_id=update_id,
                )
            )
        elif kind == "unplanned" and state not in _CLOSED_INCIDENT_STATES:
            incidents.append(
                Incident(
                    id=notice_id,
                    name=name,
                    status=state,
                    # Sorry gives notices no severity.
                    impact="none",
                    url=url,
                    created_at=parse_time(notice.get("created_at")),
                    started_at=parse_time(notice.get("began_at")),
                    updated_at=parse_time(notice.get("updated_at")),
                    components=affected,
                    latest_update=update,
                    latest_update_id=update_id,
                    update_count=1 if update is not None else 0,
                )
            )
    return tuple(incidents), tuple(maintenances)


def _latest_update(notice: dict[str, Any]) -> tuple[str | None, str | None]:
    latest = notice.get("latest_update")
    if isinstance(latest, dict) and (content := _text(latest, "content")):
        return content, _id_text(latest.get("id"))
    return _text(notice, "synopsis"), None


def _affected(
    notice: dict[str, Any], components: dict[str, Component]
) -> tuple[str, ...]:
    names: list[str] = []
    for entry in optional_list(notice, "components", "notice components"):
        raw_id = entry.get("id") if isinstance(entry, dict) else entry
        known = components.get(_id_text(raw_id) or "")
        if known is not None:
            names.append(known.display_name)
        elif isinstance(entry, dict) and (name := _text(entry, "name")):
            names.append(name)
    return tuple(names)


def _next_page_announced(body: dict[str, Any]) -> bool:
    """Whether `meta.next_page` asks for another page (no meta: maybe)."""
    meta = body.get("meta")
    if isinstance(meta, dict) and "next_page" in meta:
        return bool(meta["next_page"])
    return True


class SorryClient:
    """Poll one Sorry page: the page, every page of components, present notices."""

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
        # Per URL: the validators and the body of its last answer that parsed.
        self._validators: dict[str, Validators] = {}
        self._bodies: dict[str, bytes] = {}
        # This poll's answers, kept once the whole poll parsed.
        self._pending: list[tuple[str, bytes, Mapping[str, str] | None]] = []
        self._changed = False

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Poll the page; None when every answer is the one of the last poll."""
        self._pending = []
        self._changed = False
        page_body = await self._get(self.base_url.joinpath(PAGE_PATH))
        entries = await self._component_entries()
        notices_body = await self._get(
            self.base_url.joinpath(NOTICES_PATH).with_query(PRESENT_NOTICES)
        )
        if not self._changed:
            self._commit()
            return None
        page = parse_page(page_body)
        components = parse_components(entries)
        page_url = page.url or base_url_string(self.base_url)
        incidents, maintenances = parse_notices(notices_body, page_url, components)
        self._commit()
        return StatusSnapshot(
            page=PageInfo(
                id=url_key(self.base_url),
                name=page.name or (self.base_url.host or ""),
                url=page_url,
                updated_at=page.updated_at,
            ),
            components=components,
            incidents=incidents,
            maintenances=maintenances,
            indicator=page.raw_state,
            reported_status=page.state,
        )

    async def _component_entries(self) -> list[dict[str, Any]]:
        """Read every page of components; stop on an empty, short or repeated page."""
        url = self.base_url.joinpath(COMPONENTS_PATH)
        entries: list[dict[str, Any]] = []
        seen: set[str] = set()
        page_size = 0
        for number in range(1, MAX_COMPONENT_PAGES + 1):
            body = require_dict(
                await self._get(url.with_query(page=number)), "components body"
            )
            batch = [
                require_dict(item, "component")
                for item in require_list_at(body, "components", "components body")
            ]
            fresh = unseen(batch, seen, lambda entry: _require_id(entry, "component"))
            entries.extend(fresh)
            page_size = page_size or len(batch)
            if not fresh or len(batch) < page_size or not _next_page_announced(body):
                return entries
        raise CloudStatusParseError(
            f"components did not end within {MAX_COMPONENT_PAGES} pages"
        )

    async def _get(self, url: URL) -> Any:
        """GET a URL conditionally and decode it; note whether its body changed."""
        key = str(url)
        validators = self._validators.get(key)
        response = await fetch(
            self._session,
            url,
            headers=validators.headers() if validators else None,
            max_bytes=self._max_bytes,
        )
        last = self._bodies.get(key)
        body = response.body
        headers: Mapping[str, str] | None = response.headers
        if response.status == HTTPStatus.NOT_MODIFIED:
            if last is None:
                raise CloudStatusParseError("a 304 answer to an unconditional request")
            # The validators sent stay: a 304 need not repeat them.
            body, headers = last, None
        payload = loads(body)
        self._pending.append((key, body, headers))
        self._changed = self._changed or body != last
        return payload

    def _commit(self) -> None:
        """Keep this poll's bodies and validators: it parsed."""
        for key, body, headers in self._pending:
            self._bodies[key] = body
            if headers is not None:
                self._validators.setdefault(key, Validators()).remember(headers)
        self._pending = []


async def detect(probe: Probe) -> Detected | None:
    """Recognise a Sorry page by `/api/v1/`: a `page` with a `state` and `links`."""
    payload = await probe.get_json(PAGE_PATH)
    if not isinstance(payload, dict) or not isinstance(
        page := payload.get("page"), dict
    ):
        return None
    if not isinstance(page.get("state"), str) or not isinstance(
        page.get("links"), dict
    ):
        return None
    base = probe.base_url
    return Detected(
        key=url_key(base),
        title=_text(page, "name") or (base.host or ""),
        url=base_url_string(base),
    )
