"""Client for the public AWS Health Dashboard: `https://health.aws.amazon.com/public/currentevents`.

The body is UTF-16 with a byte-order mark (big-endian observed), or UTF-8; it is decoded
by its mark. It is an array of events: `arn` (`arn:aws:health:{region}::event/...`),
`status` (a string at the top level: "0" resolved, "1" informational, "2" degraded, "3"
disrupted), `date` (epoch seconds, as a string), `service`, `service_name`, `summary`,
`event_log[{summary, message, status (a number), timestamp (epoch seconds)}]`,
`impacted_services{"{service}-{region}": {service_name, current, max}}` and `end_time`
(only once resolved).

The components are the services per region the feed names (`AWS Sign-In (us-west-2)`),
in the picked regions only (none picked: every region); an event outside them touches
no entity. AWS lists no catalogue in this feed, so a component exists while an event
names it. An event is open while its status is not 0 and it has no `end_time`. An event
that names no region counts only when nothing is picked. A feed answering HTML (a
CloudFront bot wall) is a refusal.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
import re
from typing import Any, Final

import aiohttp
from yarl import URL

from .detection import Detected, Probe
from .errors import CloudStatusAuthError, CloudStatusParseError
from .feeds import typed_host
from .http import MAX_BODY_BYTES, Validators, fetch
from .models import Component, ComponentStatus, Incident, PageInfo, StatusSnapshot
from .parsing import (
    clean_name,
    loads,
    optional_str,
    parse_epoch_ms_text,
    parse_time,
    require_dict,
    require_list,
)

HOST: Final = "health.aws.amazon.com"
FEED_URL: Final = f"https://{HOST}"
EVENTS_PATH: Final = "public/currentevents"
DASHBOARD_PATH: Final = "health/status"
PAGE_ID: Final = "aws_health"
TITLE: Final = "AWS"
# ayoahha/ai-status adapters/aws.mjs, from the dashboard's own bundle.
CODES: Final = {
    "0": ComponentStatus.OPERATIONAL,
    "1": ComponentStatus.DEGRADED_PERFORMANCE,
    "2": ComponentStatus.PARTIAL_OUTAGE,
    "3": ComponentStatus.MAJOR_OUTAGE,
}
CODE_NAMES: Final = {
    "0": "resolved",
    "1": "informational",
    "2": "degraded",
    "3": "disrupted",
}
RESOLVED: Final = "0"
# The public regions (docs.aws.amazon.com/global-infrastructure, "AWS Region billing
# codes"), and the health dashboard's "global" for global services.
REGIONS: Final = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "ca-central-1": "Canada (Central)",
    "ca-west-1": "Canada West (Calgary)",
    "mx-central-1": "Mexico (Central)",
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)",
    "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-6": "Asia Pacific (New Zealand)",
    "ap-southeast-7": "Asia Pacific (Thailand)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-central-2": "Europe (Zurich)",
    "eu-north-1": "Europe (Stockholm)",
    "eu-south-1": "Europe (Milan)",
    "eu-south-2": "Europe (Spain)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "il-central-1": "Israel (Tel Aviv)",
    "me-central-1": "Middle East (UAE)",
    "me-south-1": "Middle East (Bahrain)",
    "sa-east-1": "South America (S\u00e3o Paulo)",
    "us-gov-east-1": "AWS GovCloud (US-East)",
    "us-gov-west-1": "AWS GovCloud (US-West)",
    "global": "Global",
}
_REGION_SUFFIX = re.compile(r"(?:^|-)([a-z]{2}(?:-[a-z]+)+-\d{1,2})$")
_ARN = re.compile(r"arn:aws:health:([a-z0-9-]{1,40}):")
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)


def decode_feed(body: bytes) -> Any:
    """Decode the feed by its byte-order mark (none: UTF-8); HTML is a bot wall."""
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            body = body[len(mark) :]
            if encoding != "utf-8":
                try:
                    body = body.decode(encoding).encode("utf-8")
                except UnicodeDecodeError as err:
                    raise CloudStatusParseError(
                        f"the {encoding} body breaks off"
                    ) from err
            break
    if body.lstrip()[:1] == b"<":
        raise CloudStatusAuthError("the feed answered HTML, not JSON (a bot wall?)")
    return loads(body)


def _code(value: Any) -> str | None:
    """Return a status code as text ("3"), from a string or a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _status(code: str | None) -> ComponentStatus:
    return CODES.get(code or "", ComponentStatus.UNKNOWN)


def epoch_seconds(value: Any) -> Any:
    """Read epoch seconds (a number or decimal digits); anything else is None."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return parse_epoch_ms_text(value.strip() + "000")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_time(value * 1000)
    return None


def region_of(key: str) -> str | None:
    """Return the region code a service key ends with (`sts-us-west-2`)."""
    match = _REGION_SUFFIX.search(key)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Event:
    """One event with the components it names and what decides its scope."""

    incident: Incident | None
    regions: frozenset[str]
    components: tuple[tuple[Component, str | None], ...]
    status: ComponentStatus
    raw_status: str | None


def parse_event(item: Any, position: int, page_url: str) -> Event:
    """Read one event of the feed."""
    raw = require_dict(item, "event")
    code = _code(raw.get("status"))
    is_open = code != RESOLVED and raw.get("end_time") in (None, "")
    service = optional_str(raw, "service")
    arn = optional_str(raw, "arn")
    arn_match = _ARN.match(arn or "")
    event_region = (arn_match.group(1) if arn_match else None) or region_of(
        service or ""
    )
    impacted = raw.get("impacted_services")
    impacted = {} if impacted is None else require_dict(impacted, "impacted_services")
    named = [
        (key, require_dict(value, "impacted service"))
        for key, value in impacted.items()
    ]
    if not named and service and not service.startswith("multipleservices"):
        named.append((service, {"service_name": raw.get("service_name")}))
    components: list[tuple[Component, str | None]] = []
    for key, service_item in named:
        current = _code(service_item.get("current")) or code
        name = clean_name(optional_str(service_item, "service_name") or key)
        region = region_of(key) or event_region
        components.append(
            (
                Component(
                    id=key,
                    name=f"{name} ({region})" if region else name,
                    status=_status(current) if is_open else ComponentStatus.OPERATIONAL,
                    raw_status=current if is_open else RESOLVED,
                ),
                region,
            )
        )
    regions = {region for _, region in components if region}
    if event_region:
        regions.add(event_region)
    incident = None
    if is_open:
        fallback = f"{service}:{raw.get('date')}" if service else f"event-{position}"
        incident = _incident(raw, code, arn or fallback, page_url)
    return Event(incident, frozenset(regions), tuple(components), _status(code), code)


def _incident(
    raw: dict[str, Any], code: str | None, event_id: str, page_url: str
) -> Incident:
    log = raw.get("event_log")
    entries = [
        require_dict(entry, "event_log entry")
        for entry in ([] if log is None else require_list(log, "event_log"))
    ]
    newest: dict[str, Any] = {}
    newest_at = None
    for entry in entries:
        when = epoch_seconds(entry.get("timestamp"))
        if not newest or (
            when is not None and (newest_at is None or when >= newest_at)
        ):
            newest, newest_at = entry, when
    summary = optional_str(raw, "summary")
    return Incident(
        id=event_id,
        name=clean_name(summary)
        if summary
        else optional_str(raw, "service_name") or event_id,
        status="open",
        impact=CODE_NAMES.get(code or "", code or "unknown"),
        url=page_url,
        started_at=epoch_seconds(raw.get("date")),
        updated_at=newest_at,
        latest_update=optional_str(newest, "message"),
        latest_update_id=_code(newest.get("timestamp")),
        update_count=len(entries),
    )


def parse_events(payload: Any, page_url: str) -> list[Event]:
    """Read every event of the feed."""
    return [
        parse_event(item, position, page_url)
        for position, item in enumerate(require_list(payload, "event list"))
    ]


def build_snapshot(
    events: list[Event], selected: frozenset[str], page: PageInfo
) -> StatusSnapshot:
    """Build the snapshot of the picked regions (none picked: every region)."""
    components: dict[str, Component] = {}
    incidents: dict[str, Incident] = {}
    scoped: list[tuple[ComponentStatus, str | None]] = []
    for event in events:
        if selected and not event.regions & selected:
            continue
        watched = [
            component
            for component, region in event.components
            if not selected or region in selected
        ]
        for component in watched:
            known = components.get(component.id)
            if known is None or component.status.severity > known.status.severity:
                components[component.id] = component
        if event.incident is not None and event.incident.id not in incidents:
            scoped.append((event.status, event.raw_status))
            incidents[event.incident.id] = replace(
                event.incident, components=tuple(c.display_name for c in watched)
            )
    reported, indicator = max(
        scoped,
        key=lambda pair: pair[0].severity,
        default=(ComponentStatus.OPERATIONAL, None),
    )
    return StatusSnapshot(
        page=page,
        components=components,
        incidents=tuple(incidents.values()),
        reported_status=reported,
        indicator=indicator,
    )


def regions_named(events: Iterable[Event]) -> set[str]:
    """Return every region code the events name."""
    return {region for event in events for region in event.regions}


class AwsHealthClient:
    """Poll the current events for the picked regions; None when nothing changed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str | URL = FEED_URL,
        regions: Iterable[str] = (),
        *,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        """Take the shared session, the dashboard's base URL and the picked regions."""
        self._session = session
        self.base_url = URL(str(base_url).rstrip("/"))
        self.selected = frozenset(str(region) for region in regions)
        self._max_bytes = max_bytes
        self._validators = Validators()
        self._body: bytes | None = None
        # Every region the feed named, picked or not (the reconfigure picker offers them).
        self.regions_seen: set[str] = set()
        dashboard = str(self.base_url.joinpath(DASHBOARD_PATH))
        self.page = PageInfo(id=PAGE_ID, name=TITLE, url=dashboard)

    async def async_get_snapshot(self) -> StatusSnapshot | None:
        """Read the current events; None when they answered as last time."""
        response = await fetch(
            self._session,
            self.base_url.joinpath(EVENTS_PATH),
            headers=self._validators.headers(),
            max_bytes=self._max_bytes,
        )
        if response.status == HTTPStatus.NOT_MODIFIED:
            if self._body is None:
                raise CloudStatusParseError("304 for an event list never read")
            return None
        if response.body == self._body:
            return None
        events = parse_events(decode_feed(response.body), self.page.url or "")
        snapshot = build_snapshot(events, self.selected, self.page)
        self.regions_seen |= regions_named(events)
        self._validators.remember(response.headers)
        self._body = response.body
        return snapshot


def claims(raw: str) -> bool:
    """Whether an address is the AWS Health Dashboard's."""
    return typed_host(raw) == HOST


async def detect(probe: Probe) -> tuple[Detected, set[str]] | None:
    """Recognise the dashboard by its host; read the feed once, as a poll would.

    Returns what the entry stores and the regions the feed names, for the picker.
    """
    if not claims(probe.raw):
        return None
    client = AwsHealthClient(probe.session, FEED_URL)
    # A fresh client's first poll always parses (it has no body to compare with).
    await client.async_get_snapshot()
    return Detected(key="all", title=TITLE, url=FEED_URL), client.regions_seen
