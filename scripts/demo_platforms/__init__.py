"""The demo status server's other platforms: one module per platform, found here.

Each module is the demo's Statuspage story (`summary`, a Statuspage v2 summary.json of
the current moment) seen through one platform's API, under a path prefix of its own:

    PREFIX = "/gatus"            # the demo page's address is http://127.0.0.1:8099/gatus
    NAME = "Gatus"               # shown on the demo's index page

    def respond(path: str, query: Mapping[str, str], summary: dict[str, Any]) -> Answer | None:
        '''Answer a GET of `path` (what follows PREFIX, "" for the page itself).'''

A page whose address is not the prefix itself names its path in `PAGE` (Uptime Kuma's
`/status/{slug}`). A vendor's feed, found only by its real host, cannot be added by its
demo address: its module says how an entry reads the demo with `entry_data(base_url)`
(the entry's data, `base_url` being the demo server's address), which `scripts/bench`
uses; the demo's index page and `scripts/e2e` leave it out of "Any status page".

An `Answer` is (status, body, content type): a dict or list body is sent as JSON, a str
as it is (a page's HTML). None is a 404. `scripts/bench` uses the same functions to
build each platform's body from a large recorded page, so a platform's demo shape is
also its benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping
import importlib
import pkgutil
from types import ModuleType
from typing import Any, Protocol

type Answer = tuple[int, Any, str]

JSON = "application/json"
HTML = "text/html"


class DemoPlatform(Protocol):
    """What a platform module of the demo server provides."""

    PREFIX: str
    NAME: str

    def respond(
        self, path: str, query: Mapping[str, str], summary: dict[str, Any]
    ) -> Answer | None:
        """Answer a GET under the platform's prefix."""
        ...


def json_answer(body: Any, status: int = 200) -> Answer:
    """Answer with a JSON body."""
    return status, body, JSON


def html_answer(body: str, status: int = 200) -> Answer:
    """Answer with a page's HTML."""
    return status, body, HTML


def page_address(module: ModuleType, base_url: str) -> str:
    """Return the address of a platform's demo page, for Any status page."""
    return f"{base_url.rstrip('/')}{module.PREFIX}{getattr(module, 'PAGE', '')}"


def detected_by_address(module: ModuleType) -> bool:
    """Whether Any status page finds the platform from its demo address."""
    return not hasattr(module, "entry_data")


def platforms() -> list[ModuleType]:
    """Every platform module of this package, by name."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]
