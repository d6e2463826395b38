"""Status.io pages: the public status API, `https://api.status.io/1.0/status/{page_id}`.

One request a poll (conditional when the API sent validators; the same bytes again are
"unchanged", None). A page is named by its id, 24 hex digits, found in the page's HTML
(an `api.status.io/1.0/...` address, or a `statuspageId` next to a mention of
status.io), or given as the API address or the bare id. Each entry of `status` is a
component; its `containers` are its members ("Component \u2013 Container"), and a
component without containers stands alone.
"""

from __future__ import annotations

import re
from typing import Any, Final

import aiohttp
from yarl import URL

from .conditional import Endpoint
from .detection import Detected, Probe, html_title
from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, is_host_name
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
    newest_first,
    optional_list,
    parse_time,
    require_dict,
    require_list_at,
)
from .statuspage import base_url_string

API_BASE: Final = URL("https://api.status.io/1.0/status/")
PAGE_ID_KEY: Final = "page_id"
# Entry data: where the status API is read when the page names a mirror of it.
API_URL_KEY: Final = "api_url"
PLATFORM_NAME: Final = "Status.io"

# Recorded (Docker, GitLab): 100 Operational, 200 Planned Maintenance, 400 Partial
# Service Disruption, 600 Security Issue; 300 and 500 as commonly cited.
STATUS_CODES: Final = {
    100: ComponentStatus.OPERATIONAL,
    200: ComponentStatus.UNDER_MAINTENANCE,
    300: ComponentStatus.DEGRADED_PERFORMANCE,
    400: ComponentStatus.PARTIAL_OUTAGE,
    500: ComponentStatus.MAJOR_OUTAGE,
    600: ComponentStatus.MAJOR_OUTAGE,
}
# The `state` of an incident's messages (a peer's reading: TheLion/statuspage-HA).
INCIDENT_STATES: Final = {
    100: "investigating",
    200: "identified",
    300: "monitoring",
    400: "resolved",
}

_ID = r"[0-9a-fA-F]{24}"
_MAX_DIGITS = 6
_BARE_ID = re.compile(_ID)
_API_ADDRESS = re.compile(
    rf"(?:https?://)?api\.status\.io/1\.0/status/({_ID})/?", re.IGNORECASE
)
# In a page's HTML: an address of the public API naming the page...
_HTML_API = re.compile(
    rf"api\.status\.io/1\.0/[a-z_]+/({_ID})(?![0-9a-f])", re.IGNORECASE
)
# ... or the page's script variable, believed only next to a mention of status.io.
_HTML_VARIABLE = re.compile(
    rf"""statuspage_?id["']?\s*[:=]\s*["']({_ID})["']""", re.IGNORECASE
)
_MENTION = re.compile(r"(?<![\w-])status\.io(?![\w-])", re.IGNORECASE)
# ... or a quoted address of the status API served elsewhere (a mirror, the demo page).
_HTML_MIRROR = re.compile(
    rf"""["']([^"'\s<>]*/1\.0/status/)({_ID})["']""", re.IGNORECASE
)


def claimed_page_id(raw: str) -> str | None:
    """Return the page id of an address only Status.io has: the API's or a bare id."""
    text = raw.strip()
    if _BARE_ID.fullmatch(text):
        return text.lower()
    if (match := _API_ADDRESS.fullmatch(text)) is not None:
        return match.group(1).lower()
    return None


def claims(raw: str) -> bool:
    """Whether an address can only be a Status.io page (no other platform is tried)."""
    return claimed_page_id(raw) is not None


def find_page_id(html: str) -> str | None:
    """Return the Status.io page id a page's HTML names, strictly; None otherwise."""
    if (match := _HTML_API.search(html)) is not None:
        return match.group(1).lower()
    for pattern in (_HTML_VARIABLE, _HTML_MIRROR):
        if (match := pattern.search(html)) is not None and _MENTION.search(html):
            return match.groups()[-1].lower()
    return None


def find_mirror(html: str, page_url: URL) -> URL | None:
    """Return the status API base a page names on a host of its own, if it does.

    Believed only next to a mention of status.io; an address on api.status.io itself
    is the default and gives None.
    """
    if (match := _HTML_MIRROR.search(html)) is None or not _MENTION.search(html):
        return None
    try:
        base = page_url.join(URL(match.group(1)))
    except ValueError:
        return None
    if base.scheme not in ("http", "https") or not is_host_name(base):
        return None
    if base.raw_host == API_BASE.raw_host:
        return None
    return base


def api_url(page_id: str) -> URL:
    """Return the public status API address of a page."""
    return API_BASE.joinpath(page_id)


def map_code(value: object) -> ComponentStatus:
    """Map a Status.io status code (an integer, or its digits); others are UNKNOWN."""
    code = _code(value)
    if code is None:
        return ComponentStatus.UNKNOWN
    return STATUS_CODES.get(code, ComponentStatus.UNKNOWN)


def _code(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and (digits := value.strip()).isascii():
        return int(digits) if digits.isdigit() and len(digits) <= _MAX_DIGITS else None
    return None


def _raw_code(value: object) -> str | None:
    code = _code(value)
    return str(code) if code is not None else None


def _text(container: dict[str, Any], key: str) -> str | None:
    value = container.get(key)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None


def _require_id(entry: dict[str, Any], key: str, what: str) -> str:
    value = entry.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and (value := value.strip()):
        return value
    raise CloudStatusParseError(f"{what} has no {key!r}")


def parse_status(
    payload: Any, page_id: str, page_url: str | None = None, name: str | None = None
) -> StatusSnapshot:
    """Turn a status API body into the snapshot.

    `result`, its `status_overall` and its `status` list must be there; incidents and
    maintenance may be left out (none).
    """
    result = require_dict(require_dict(payload, "status body").get("result"), "result")
    overall = require_dict(result.get("status_overall"), "status_overall")
    components = parse_components(require_list_at(result, "status", "result"))
    names = {component.id: component.display_name for component in components.values()}
    url = page_url or str(api_url(page_id))
    maintenance = result.get("maintenance")
    maintenance = require_dict(maintenance, "maintenance") if maintenance else {}
    maintenances = tuple(
        _maintenance(require_dict(item, "maintenance"), phase, url, names)
        for key, phase in (
            ("active", MaintenancePhase.IN_PROGRESS),
            ("upcoming", MaintenancePhase.SCHEDULED),
        )
        for item in optional_list(maintenance, key, f"maintenance {key}")
    )
    incidents = tuple(
        incident
        for item in optional_list(result, "incidents", "incidents")
        if (incident := _incident(require_dict(item, "incident"), url, names))
        is not None
    )
    return StatusSnapshot(
        page=PageInfo(
            id=page_id,
            name=name or PLATFORM_NAME,
            url=url,
            updated_at=parse_time(overall.get("updated")),
        ),
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        indicator=_raw_code(overall.get("status_code")),
        description=_text(overall, "status"),
        reported_status=map_code(overall.get("status_code")),
    )


def parse_components(items: list[Any]) -> dict[str, Component]:
    """Read `status`: each entry a component, its containers its members.

    A container may serve several components (GitLab's "Google Compute Engine"), so
    a member's id is `{component id}-{container id}`.
    """
    components: dict[str, Component] = {}
    for item in items:
        entry = require_dict(item, "component")
        component_id = _require_id(entry, "id", "component")
        if component_id in components:
            continue
        name = clean_name(_text(entry, "name") or component_id)
        containers = [
            require_dict(container, "container")
            for container in optional_list(entry, "containers", "containers")
        ]
        components[component_id] = Component(
            id=component_id,
            name=name,
            status=map_code(entry.get("status_code")),
            raw_status=_raw_code(entry.get("status_code")),
            is_group=bool(containers),
            description=_text(entry, "status"),
        )
        for container in containers:
            container_id = _require_id(container, "id", "container")
            member_id = f"{component_id}-{container_id}"
            components.setdefault(
                member_id,
                Component(
                    id=member_id,
                    name=clean_name(_text(container, "name") or container_id),
                    status=map_code(container.get("status_code")),
                    raw_status=_raw_code(container.get("status_code")),
                    group_id=component_id,
                    group_name=name,
                    description=_text(container, "status"),
                ),
            )
    return components


def _messages(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Return an item's messages, newest first (by `datetime`; ties: last listed)."""
    messages = [
        message
        for message in optional_list(item, "messages", "messages")
        if isinstance(message, dict)
    ]
    return newest_first(
        messages, lambda message: parse_time(message.get("datetime")), ties="last"
    )


def _affected(item: dict[str, Any], names: dict[str, str]) -> tuple[str, ...]:
    affected: list[str] = []
    for entry in optional_list(item, "components_affected", "components_affected"):
        if not isinstance(entry, dict):
            continue
        raw_id = entry.get("_id") or entry.get("id")
        known = names.get(raw_id) if isinstance(raw_id, str) else None
        if (name := known or _text(entry, "name")) is not None:
            affected.append(name)
    return tuple(affected)


def _incident(item: dict[str, Any], url: str, names: dict[str, str]) -> Incident | None:
    messages = _messages(item)
    newest = messages[0] if messages else {}
    state = _code(newest.get("state"))
    status = INCIDENT_STATES.get(state, str(state)) if state is not None else "unknown"
    if status == "resolved":
        return None
    impact = map_code(newest.get("status"))
    return Incident(
        id=_require_id(item, "_id", "incident"),
        name=clean_name(_text(item, "name") or ""),
        status=status,
        impact=impact.value if impact is not ComponentStatus.UNKNOWN else "none",
        url=url,
        started_at=parse_time(item.get("datetime_open")),
        updated_at=parse_time(newest.get("datetime")),
        components=_affected(item, names),
        latest_update=_text(newest, "details"),
        latest_update_id=_text(newest, "datetime"),
        update_count=len(messages),
    )


def _maintenance(
    item: dict[str, Any],
    phase: MaintenancePhase,
    url: str,
    names: dict[str, str],
) -> Maintenance:
    messages = _messages(item)
    newest = messages[0] if messages else {}
    return Maintenance(
        id=_require_id(item, "_id", "maintenance"),
        name=clean_name(_text(item, "name") or ""),
        status="in_progress" if phase is MaintenancePhase.IN_PROGRESS else "scheduled",
        phase=phase,
        url=url,
        starts_at=parse_time(item.get("datetime_planned_start")),
        ends_at=parse_time(item.get("datetime_planned_end")),
        updated_at=parse_time(newest.get("datetime")),
        components=_affected(item, names),
        latest_update=_text(newest, "details"),
        latest_update_id=_text(newest, "datetime"),
    )


class StatusioClient:
    """Read one Status.io page's public status, with conditional requests."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        page_id: str,
        *,
        page_url: str | None = None,
        api_base: URL = API_BASE,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session, the page id and the page's address if known."""
        self._session = session
        self.page_id = page_id
        # The API's own address names no page one could show.
        self.page_url = (
            page_url if page_url and claimed_page_id(page_url) is None else None
        )
        self.url = api_base.joinpath(page_id)
        self._max_bytes = max_bytes
        self._feed = Endpoint(self.url)

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Fetch and parse the status; None means unchanged since the last call."""
        return await self._feed.read_parsed(
            self._session,
            lambda read: parse_status(
                loads(read.body),
                self.page_id,
                self.page_url,
                URL(self.page_url).host if self.page_url else None,
            ),
            max_bytes=self._max_bytes,
        )


async def detect(probe: Probe) -> Detected | None:
    """Find the page id: in what was typed (the API address, the bare id) or the HTML."""
    if (page_id := claimed_page_id(probe.raw)) is not None:
        return Detected(
            key=page_id,
            title=PLATFORM_NAME,
            url=str(api_url(page_id)),
            data={PAGE_ID_KEY: page_id},
        )
    html = await probe.page_html()
    if html is None or (page_id := find_page_id(html)) is None:
        return None
    base = probe.base_url
    data = {PAGE_ID_KEY: page_id}
    if (mirror := find_mirror(html, base)) is not None:
        data[API_URL_KEY] = str(mirror)
    return Detected(
        key=page_id,
        title=html_title(html) or (base.host or ""),
        url=base_url_string(base),
        data=data,
    )
