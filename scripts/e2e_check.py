"""The checks of scripts/e2e, against a running scripts/develop stack.

Onboards Home Assistant through its REST API, adds the demo's pages through the
config-flow REST API (the Statuspage and CloudSigma demos through their menu options,
every platform of scripts/demo_platforms through `status_page`), checks the entities and
their states, waits for one step of the demo's story and checks that an event fired and
reached the logbook, then opens the dashboard in headless Chromium (Playwright driving
Debian's /usr/bin/chromium) and checks that it shows Cloud Status entities. Prints one
line per check; exits non-zero at the first failure.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import sys
import time
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_platforms
import demo_status_server

DOMAIN = "cloud_status"
STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
USER = {
    "name": "E2E",
    "username": "e2e",
    "password": "e2e-password-1",
    "language": "en",
}
# Problems that made the development instance unusable before (issue 16): any of these in
# Home Assistant's log fails the run.
LOG_PROBLEMS = (
    "Attempting install of",  # Home Assistant installs a package at start
    "Unable to install package",
    "ModuleNotFoundError",
    "Invalid config for",
    "Error setting up entry",
    "Setup failed for",
)


def platform_pages(demo_url: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Return (menu option, address, name) of every platform page, and what is skipped.

    A vendor's feed is found by its real host only (`demo_platforms.detected_by_address`):
    its demo cannot be added through Any status page.
    """
    pages: list[tuple[str, str, str]] = []
    skipped: list[str] = []
    for platform in demo_platforms.platforms():
        if not demo_platforms.detected_by_address(platform):
            skipped.append(f"{platform.NAME} (found by its vendor's host only)")
            continue
        address = demo_platforms.page_address(platform, demo_url)
        pages.append(("status_page", address, platform.NAME))
    return pages, skipped


BLUEPRINT_COUNT = len(
    list(
        (
            Path(__file__).resolve().parents[1] / "blueprints/automation/cloud_status"
        ).glob("*.yaml")
    )
)


class CheckFailedError(Exception):
    """A check of the run failed."""


def ok(message: str) -> None:
    print(f"e2e: ok   {message}", flush=True)


def info(message: str) -> None:
    print(f"e2e:      {message}", flush=True)


async def wait_for[T](
    what: str,
    probe: Callable[[], Awaitable[T | None]],
    seconds: float,
    interval: float = 1.0,
) -> T:
    """Call `probe` until it returns something other than None (or fail after `seconds`)."""
    deadline = time.monotonic() + seconds
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if (result := await probe()) is not None:
                return result
        except (aiohttp.ClientError, TimeoutError) as err:
            last_error = err
        await asyncio.sleep(interval)
    detail = f" (last error: {last_error!r})" if last_error else ""
    raise CheckFailedError(f"timed out after {seconds:g} s waiting for {what}{detail}")


class Hass:
    """Home Assistant's REST and websocket APIs, with one user's token."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to Home Assistant at `url`."""
        self.session = session
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"
        self.token: dict[str, Any] = {}
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ws_id = 0

    @property
    def headers(self) -> dict[str, str]:
        """Return the authorization header of the user's token."""
        return {"Authorization": f"Bearer {self.token['access_token']}"}

    async def request(
        self, method: str, path: str, body: Any = None, *, auth: bool = True
    ) -> Any:
        """Send one REST request; fail on an HTTP error."""
        headers = self.headers if auth else {}
        async with self.session.request(
            method, self.url + path, json=body, headers=headers
        ) as response:
            text = await response.text()
            if response.status >= 400:
                raise CheckFailedError(
                    f"{method} {path}: HTTP {response.status}: {text}"
                )
            return json.loads(text) if text else None

    async def exchange(self, code: str) -> dict[str, Any]:
        """Exchange an authorization code for tokens."""
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as response:
            if response.status != 200:
                raise CheckFailedError(f"/auth/token: HTTP {response.status}")
            token: dict[str, Any] = await response.json()
            return token

    async def ws(self, message: dict[str, Any]) -> Any:
        """Send one websocket command and return its result."""
        if self._ws is None:
            self._ws = await self.session.ws_connect(f"{self.url}/api/websocket")
            await self._ws.receive_json()  # auth_required
            await self._ws.send_json(
                {"type": "auth", "access_token": self.token["access_token"]}
            )
            if (await self._ws.receive_json())["type"] != "auth_ok":
                raise CheckFailedError("websocket authentication failed")
        self._ws_id += 1
        await self._ws.send_json({"id": self._ws_id, **message})
        while True:
            answer = await self._ws.receive_json()
            if answer.get("id") == self._ws_id and answer["type"] == "result":
                if not answer["success"]:
                    raise CheckFailedError(
                        f"websocket {message['type']}: {answer['error']}"
                    )
                return answer["result"]

    async def close(self) -> None:
        """Close the websocket."""
        if self._ws is not None:
            await self._ws.close()


async def onboard(hass: Hass) -> str:
    """Run every onboarding step through the REST API; return a code for the browser."""

    async def onboarding_answers() -> list[dict[str, Any]] | None:
        async with hass.session.get(f"{hass.url}/api/onboarding") as response:
            return await response.json() if response.status == 200 else None

    steps = await wait_for("the onboarding API", onboarding_answers, 120)
    if any(step["done"] for step in steps):
        raise CheckFailedError(f"the instance is not fresh: {steps}")
    result = await hass.request(
        "POST",
        "/api/onboarding/users",
        {"client_id": hass.client_id, **USER},
        auth=False,
    )
    hass.token = await hass.exchange(result["auth_code"])
    # What the UI's core_config step sets first (no "country not configured" repair).
    await hass.ws({"type": "config/core/update", "country": "DE", "currency": "EUR"})
    await hass.request("POST", "/api/onboarding/core_config", {})
    await hass.request("POST", "/api/onboarding/analytics", {})
    result = await hass.request(
        "POST",
        "/api/onboarding/integration",
        {"client_id": hass.client_id, "redirect_uri": f"{hass.url}/?auth_callback=1"},
    )
    steps = await hass.request("GET", "/api/onboarding", auth=False)
    if not all(step["done"] for step in steps):
        raise CheckFailedError(f"onboarding is not done: {steps}")
    ok("onboarded through the REST API (users, core_config, analytics, integration)")
    code: str = result["auth_code"]
    return code


def _fill(schema: list[dict[str, Any]]) -> dict[str, Any]:
    """Answer a follow-up form: empty multi-selects (= all), defaults elsewhere."""
    answer: dict[str, Any] = {}
    for field in schema:
        selector = field.get("selector", {})
        if selector.get("select", {}).get("multiple"):
            answer[field["name"]] = []
        elif "default" in field:
            answer[field["name"]] = field["default"]
    return answer


async def add_page(hass: Hass, menu_option: str, url: str) -> dict[str, Any]:
    """Add one page through the config flow's REST API; return the created entry."""
    flow = await hass.request(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "show_advanced_options": False},
    )
    if flow["type"] != "menu" or menu_option not in flow["menu_options"]:
        raise CheckFailedError(f"the menu lacks {menu_option}: {flow}")
    path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    result = await hass.request("POST", path, {"next_step_id": menu_option})
    answer: dict[str, Any] = {"url": url}
    for _ in range(4):
        if result["type"] != "form":
            break
        if result.get("errors"):
            raise CheckFailedError(
                f"{menu_option} {url}: form errors {result['errors']}"
            )
        result = await hass.request("POST", path, answer)
        answer = _fill(result.get("data_schema", []))
    if result["type"] != "create_entry":
        raise CheckFailedError(f"{menu_option} {url}: the flow ended with {result}")
    entry: dict[str, Any] = result["result"]
    return entry


async def entities_by_entry(hass: Hass) -> dict[str, list[dict[str, Any]]]:
    registry = await hass.ws({"type": "config/entity_registry/list"})
    by_entry: dict[str, list[dict[str, Any]]] = {}
    for item in registry:
        if item["platform"] == DOMAIN:
            by_entry.setdefault(item["config_entry_id"], []).append(item)
    return by_entry


def _by_key(entities: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [item for item in entities if item.get("translation_key") == key]


async def check_entities(
    hass: Hass, entries: dict[str, dict[str, Any]], *, count_only: set[str]
) -> dict[str, dict[str, str]]:
    """Every entry has its entities, with valid states; return entity ids by key."""

    async def all_available() -> dict[str, Any] | None:
        states = {
            item["entity_id"]: item for item in await hass.request("GET", "/api/states")
        }
        registry = await entities_by_entry(hass)
        for entry_id in entries:
            overall = _by_key(registry.get(entry_id, []), "overall_status")
            if not overall or states.get(overall[0]["entity_id"], {}).get("state") in {
                None,
                "unavailable",
            }:
                return None
        return {"states": states, "registry": registry}

    found = await wait_for("every entry's entities", all_available, 90)
    states, registry = found["states"], found["registry"]
    ids: dict[str, dict[str, str]] = {}
    for entry_id, entry in entries.items():
        ids[entry_id] = _check_entry(
            entry["title"] + (" (counts only)" if entry_id in count_only else ""),
            registry.get(entry_id, []),
            states,
        )
    return ids


ENTRY_KEYS = (
    "overall_status",
    "problem",
    "incident_active",
    "active_incidents",
    "maintenance_active",
    "next_maintenance",
    "incident",
    "maintenance",
    "maintenance_calendar",
)


def _check_entry(
    title: str, entities: list[dict[str, Any]], states: dict[str, dict[str, Any]]
) -> dict[str, str]:
    """Check one entry's entities and states; return its entity ids by key."""
    keys = {}
    for key in ENTRY_KEYS:
        match = _by_key(entities, key)
        if len(match) != 1:
            raise CheckFailedError(f"{title}: {len(match)} entities for {key}")
        keys[key] = match[0]["entity_id"]
    overall = states[keys["overall_status"]]["state"]
    if overall not in STATUSES:
        raise CheckFailedError(f"{title}: overall_status is {overall!r}")
    for key in ("problem", "incident_active", "maintenance_active"):
        if (state := states[keys[key]]["state"]) not in {"on", "off"}:
            raise CheckFailedError(f"{title}: {keys[key]} is {state!r}")
    count = states[keys["active_incidents"]]["state"]
    if not count.isdigit():
        raise CheckFailedError(f"{title}: active_incidents is {count!r}")
    components = [item["entity_id"] for item in _by_key(entities, "component_status")]
    if not components:
        raise CheckFailedError(f"{title}: no component entities")
    bad = {
        entity_id: states.get(entity_id, {}).get("state")
        for entity_id in components
        if states.get(entity_id, {}).get("state") not in STATUSES
    }
    if bad:
        raise CheckFailedError(f"{title}: component states {bad}")
    problems = _by_key(entities, "component_problem")
    if any(item["disabled_by"] != "integration" for item in problems):
        raise CheckFailedError(f"{title}: a component problem sensor is enabled")
    ok(
        f"{title}: overall {overall}, {count} incident(s), "
        f"{len(components)} components, {len(entities)} entities"
    )
    return keys


async def wait_for_incident_event(
    hass: Hass,
    *,
    session: aiohttp.ClientSession,
    demo_url: str,
    entry_title: str,
    keys: dict[str, str],
    cycle_seconds: float,
) -> str:
    """Wait for the story's incident, poll the entry, check the event and the logbook."""
    since = datetime.now(UTC) - timedelta(minutes=5)

    async def incident_open() -> bool | None:
        async with session.get(
            f"{demo_url}{demo_status_server.SUMMARY_PATH}"
        ) as response:
            body = await response.json()
        return True if body["incidents"] else None

    await wait_for(
        "the demo's incident to open", incident_open, cycle_seconds * 0.6, 0.5
    )
    ok("the demo story reached its incident")
    # Cloud Status polls every 60 s; ask for the poll now instead of waiting for it.
    await hass.request(
        "POST",
        "/api/services/homeassistant/update_entity",
        {"entity_id": keys["overall_status"]},
    )
    event_entity = keys["incident"]

    async def event_fired() -> dict[str, Any] | None:
        state = await hass.request("GET", f"/api/states/{event_entity}")
        fired = state["attributes"].get("event_type") == "incident_created"
        return state if fired else None

    state = await wait_for(f"{event_entity} to fire", event_fired, 60)
    attributes = state["attributes"]
    missing = {"id", "name", "status", "impact", "url"} - set(attributes)
    if missing:
        raise CheckFailedError(f"{event_entity}: event data lacks {missing}")
    ok(
        f"{entry_title}: {event_entity} fired incident_created "
        f"({attributes['name']!r}, {attributes['status']})"
    )

    async def in_logbook() -> list[dict[str, Any]] | None:
        entries = await hass.request(
            "GET", f"/api/logbook/{since.isoformat()}?entity={event_entity}"
        )
        return entries or None

    logbook = await wait_for("the event in the logbook", in_logbook, 30)
    ok(f"the logbook has {len(logbook)} entr(y/ies) for {event_entity}")
    return event_entity


async def check_instance_health(hass: Hass, log_path: Path) -> None:
    """Check for the issue's symptoms: get_services failing, "Invalid config", installs."""
    services = await hass.ws({"type": "get_services"})
    if DOMAIN not in services:
        raise CheckFailedError(f"get_services lacks {DOMAIN}")
    notifications = await hass.ws({"type": "persistent_notification/get"})
    for item in notifications:
        if (
            "invalid config"
            in (item.get("title") or "").lower() + item["message"].lower()
        ):
            raise CheckFailedError(f"notification: {item['message']}")
    text = await asyncio.to_thread(log_path.read_text, "utf-8", "replace")
    problems = [
        line
        for line in text.splitlines()
        if any(problem in line for problem in LOG_PROBLEMS)
    ]
    if problems:
        raise CheckFailedError("Home Assistant's log:\n" + "\n".join(problems[:10]))
    blueprints = await hass.ws({"type": "blueprint/list", "domain": "automation"})
    ours = sorted(path for path in blueprints if path.startswith(f"{DOMAIN}/"))
    if len(ours) != BLUEPRINT_COUNT or any(
        "error" in blueprints[path] for path in ours
    ):
        raise CheckFailedError(f"the instance's Cloud Status blueprints: {ours}")
    ok(f"the instance offers the blueprints {', '.join(ours)}")
    issues = await hass.ws({"type": "repairs/list_issues"})
    for issue in issues["issues"]:
        info(f"repair issue: {issue['domain']}.{issue['issue_id']}")
    ok(
        f"get_services answers ({len(services)} domains), no 'Invalid config' "
        "notification, nothing installed, no set-up errors in the log"
    )


DASHBOARD = "cloud-status"
# A markdown card listing every Cloud Status status sensor that is not operational.
NOT_OPERATIONAL = """\
{% set ns = namespace(count=0) %}
{%- for entity in integration_entities('cloud_status') | select('match', 'sensor[.]')
    if states(entity) in ['degraded_performance', 'partial_outage', 'major_outage',
    'under_maintenance'] %}{% set ns.count = ns.count + 1 %}
- **{{ state_attr(entity, 'friendly_name') }}**: {{ state_translated(entity) }}
{%- endfor %}
{% if not ns.count %}Everything is operational.{% endif %}"""


async def create_dashboard(
    hass: Hass, entries: dict[str, dict[str, Any]], ids: dict[str, dict[str, str]]
) -> None:
    """Create a dashboard of built-in cards: what is not operational, then each entry."""
    registry = await entities_by_entry(hass)
    watched = [
        item["entity_id"]
        for entry_id in entries
        for item in registry.get(entry_id, [])
        if item.get("translation_key") in {"overall_status", "component_status"}
    ]
    first = next(iter(entries))
    cards: list[dict[str, Any]] = [
        # The README's recipe: no entity ids, so it works with any entries.
        {"type": "markdown", "title": "Not operational", "content": NOT_OPERATIONAL},
        {
            "type": "entity-filter",
            "entities": watched,
            "state_filter": [{"operator": "!=", "value": "operational"}],
            "card": {"type": "entities", "title": "Not operational (entity filter)"},
            "show_empty": False,
        },
        {
            "type": "markdown",
            "title": "Open incidents",
            "content": (
                "{% for incident in state_attr('"
                + ids[first]["active_incidents"]
                + "', 'incidents') or [] %}**[{{ incident.name }}]({{ incident.url }})**"
                ": {{ incident.status }} ({{ incident.impact }})<br>"
                "{{ incident.latest_update }}\n{% else %}No open incidents."
                "{% endfor %}"
            ),
        },
        {"type": "logbook", "target": {"entity_id": [ids[first]["incident"]]}},
    ]
    cards += [
        {
            "type": "entities",
            "title": entries[entry_id]["title"],
            "entities": [
                keys["overall_status"],
                keys["problem"],
                keys["active_incidents"],
                keys["maintenance_active"],
                keys["next_maintenance"],
            ],
        }
        for entry_id, keys in ids.items()
    ]
    await hass.ws(
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD,
            "title": "Cloud Status",
            "icon": "mdi:cloud-check",
            "mode": "storage",
            "show_in_sidebar": True,
            "require_admin": False,
        }
    )
    await hass.ws(
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD,
            "config": {"views": [{"title": "Cloud Status", "cards": cards}]},
        }
    )
    ok(f"created the dashboard /{DASHBOARD} ({len(cards)} built-in cards)")


def _browser_tokens(hass: Hass, token: dict[str, Any]) -> str:
    """Return the script that logs the browser in (the frontend's hassTokens)."""
    tokens = {
        "hassUrl": hass.url,
        "clientId": hass.client_id,
        "access_token": token["access_token"],
        "refresh_token": token["refresh_token"],
        "token_type": "Bearer",
        "expires_in": token["expires_in"],
        "expires": int(time.time() * 1000) + token["expires_in"] * 1000,
    }
    return (
        f"window.localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
    )


async def check_browser(
    hass: Hass, code: str, shots: Path, titles: list[str], chromium: str
) -> None:
    """Open the dashboard in headless Chromium; it must render Cloud Status entities."""
    from playwright.async_api import async_playwright  # noqa: PLC0415

    login = _browser_tokens(hass, await hass.exchange(code))
    await asyncio.to_thread(shots.mkdir, parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox"]
        )
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.add_init_script(login)
            page = await context.new_page()
            await _check_dashboard(page, hass, shots, titles)
            await page.goto(f"{hass.url}/lovelace/0", wait_until="load")
            await page.get_by_text("Overview").first.wait_for(timeout=30_000)
            await page.wait_for_timeout(1500)
            await page.screenshot(path=str(shots / "overview.png"), full_page=True)
            await page.goto(f"{hass.url}/config/integrations/integration/{DOMAIN}")
            await page.get_by_text(titles[0]).first.wait_for(timeout=30_000)
            await page.wait_for_timeout(1000)
            path = shots / "integration.png"
            await page.screenshot(path=str(path), full_page=True)
            ok(f"the integration page lists the entries; screenshot {path}")
        finally:
            await browser.close()


async def _check_dashboard(
    page: Any, hass: Hass, shots: Path, titles: list[str]
) -> None:
    await page.goto(f"{hass.url}/{DASHBOARD}/0", wait_until="load")
    # Playwright's text locators look into shadow roots, where Lit renders.
    try:
        await page.get_by_text("Overall status").first.wait_for(timeout=60_000)
    except Exception as err:
        path = shots / "dashboard-failed.png"
        await page.screenshot(path=str(path), full_page=True)
        raise CheckFailedError(
            "the dashboard did not show Cloud Status entities within 60 s "
            f"({err}); see {path}"
        ) from err
    await page.wait_for_timeout(2000)  # let the remaining cards settle
    text = await page.evaluate(_VISIBLE_TEXT)
    if "Loading" in text:
        raise CheckFailedError("the dashboard still says Loading")
    if "Not operational" not in text or "Partial outage" not in text:
        raise CheckFailedError("the dashboard does not list the partial outage")
    path = shots / "dashboard.png"
    await page.screenshot(path=str(path), full_page=True)
    recipe = shots / "not_operational.png"
    await page.locator("hui-markdown-card").first.screenshot(path=str(recipe))
    shown = [name for name in titles if name in text]
    ok(
        f"the dashboard rendered Cloud Status entities ({len(shown)} of "
        f"{len(titles)} entries named on it); screenshots {path}, {recipe}"
    )


# Text of the page, shadow roots included (innerText does not enter them).
_VISIBLE_TEXT = """() => {
  const parts = [];
  const walk = (node) => {
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) parts.push(child.textContent.trim());
      else walk(child);
    }
  };
  walk(document.body);
  return parts.filter(Boolean).join(' ');
}"""


async def run(args: argparse.Namespace) -> list[str]:
    passed: list[str] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        hass = Hass(session, args.hass_url)
        try:
            code = await onboard(hass)
            passed.append("onboarding")
            demo_url = args.demo_url.rstrip("/")
            platforms, skipped = platform_pages(demo_url)
            pages = [
                ("statuspage", demo_url, "Statuspage demo"),
                ("cloudsigma", demo_url, "CloudSigma demo"),
                *platforms,
            ]
            for item in skipped:
                info(f"not added: {item}")
            entries: dict[str, dict[str, Any]] = {}
            failed: list[str] = []
            count_only: set[str] = set()
            for option, url, name in pages:
                try:
                    entry = await add_page(hass, option, url)
                except CheckFailedError as err:
                    failed.append(f"{name}: {err}")
                    print(f"e2e: FAIL {name}: {err}", flush=True)
                    continue
                entries[entry["entry_id"]] = entry
                if option == "cloudsigma":
                    count_only.add(entry["entry_id"])
                ok(f"added {name} ({option}, {url}) as {entry['title']!r}")
            if failed:
                raise CheckFailedError(f"{len(failed)} page(s) could not be added")
            passed.append(f"{len(entries)} pages added")
            ids = await check_entities(hass, entries, count_only=count_only)
            passed.append("entities and states")
            statuspage = next(iter(entries))
            await wait_for_incident_event(
                hass,
                session=session,
                demo_url=demo_url,
                entry_title=entries[statuspage]["title"],
                keys=ids[statuspage],
                cycle_seconds=args.cycle_seconds,
            )
            passed.append("event and logbook")
            await check_instance_health(hass, Path(args.log))
            passed.append("instance health")
            await create_dashboard(hass, entries, ids)
            titles = [entry["title"] for entry in entries.values()]
            await check_browser(hass, code, Path(args.shots), titles, args.chromium)
            passed.append("browser")
        finally:
            await hass.close()
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hass-url", required=True)
    parser.add_argument("--demo-url", required=True)
    parser.add_argument("--cycle-seconds", type=float, required=True)
    parser.add_argument("--log", required=True, help="Home Assistant's log file")
    parser.add_argument("--shots", required=True, help="folder for screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    try:
        passed = asyncio.run(run(args))
    except CheckFailedError as err:
        print(f"e2e: FAIL {err}", flush=True)
        sys.exit(1)
    print(f"e2e: checks passed: {', '.join(passed)}", flush=True)


if __name__ == "__main__":
    main()
