"""A scripted status server on 127.0.0.1 for detection tests: unknown paths answer 404."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
import inspect
from typing import Any

from aiohttp import web
import pytest


@dataclass
class ScriptedServer:
    """Answers by path; records every request's path and headers."""

    answers: dict[str, Callable[[web.Request], Any]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    # The answer for paths the script does not name (None: 404).
    default: Callable[[web.Request], Any] | None = None

    def json(self, path: str, body: Any, status: int = 200, **headers: str) -> None:
        """Answer `path` with a JSON body."""
        self.answers[path] = lambda _: web.json_response(
            body, status=status, headers=headers
        )

    def text(
        self, path: str, body: str, status: int = 200, content_type: str = "text/html"
    ) -> None:
        """Answer `path` with a text body (a page's HTML, by default)."""
        self.answers[path] = lambda _: web.Response(
            text=body, status=status, content_type=content_type
        )

    def redirect(self, path: str, to: str) -> None:
        """Answer `path` with a 301 to `to`."""

        def answer(_: web.Request) -> web.StreamResponse:
            raise web.HTTPMovedPermanently(location=to)

        self.answers[path] = answer

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request from the script."""
        self.seen.append(request.path_qs)
        self.headers.append(dict(request.headers))
        answer = (
            self.answers.get(request.path_qs)
            or self.answers.get(request.path)
            or self.default
        )
        if answer is None:
            return web.Response(status=404, text="Not Found")
        response = answer(request)
        if inspect.isawaitable(response):
            return await response
        return response


@pytest.fixture
async def scripted_server(socket_enabled: None) -> AsyncIterator[ScriptedServer]:
    """Run a scripted server on 127.0.0.1; its base URL is `server.url`."""
    server = ScriptedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield server
    finally:
        await runner.cleanup()
