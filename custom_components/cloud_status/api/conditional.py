"""One polled address with conditional requests, and the body it answered last.

A poll reads its endpoints, parses what changed and only then keeps the new bodies and
validators (`EndpointRead.keep`), so a poll that fails to parse leaves the state of the
last good one and is not mistaken for "unchanged" next time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus

import aiohttp
from yarl import URL

from .errors import CloudStatusParseError
from .http import MAX_BODY_BYTES, Validators, fetch


class Endpoint:
    """One address: its validators and the last body kept."""

    __slots__ = ("body", "url", "validators")

    def __init__(self, url: URL) -> None:
        """Start with nothing read."""
        self.url = url
        self.validators = Validators()
        self.body: bytes | None = None

    async def read(
        self, session: aiohttp.ClientSession, *, max_bytes: int = MAX_BODY_BYTES
    ) -> EndpointRead:
        """GET the address, sending the validators kept; a 304 gives the kept body.

        A 304 to a request that carried no validator is a broken answer.
        """
        response = await fetch(
            session, self.url, headers=self.validators.headers(), max_bytes=max_bytes
        )
        if response.status != HTTPStatus.NOT_MODIFIED:
            return EndpointRead(self, response.body, response.headers)
        if self.body is None:
            raise CloudStatusParseError("answered 304 to an unconditional request")
        return EndpointRead(self, self.body, None)

    async def read_parsed[T](
        self,
        session: aiohttp.ClientSession,
        parse: Callable[[EndpointRead], T],
        *,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> T | None:
        """Read and parse the address alone; None when the body is the one kept.

        What the answer brought is kept once `parse` returned.
        """
        read = await self.read(session, max_bytes=max_bytes)
        if not read.changed:
            read.keep()
            return None
        parsed = parse(read)
        read.keep()
        return parsed


@dataclass(frozen=True, slots=True)
class EndpointRead:
    """What one request brought: the body to parse, and what to keep once it parsed."""

    endpoint: Endpoint
    body: bytes
    headers: Mapping[str, str] | None

    @property
    def changed(self) -> bool:
        """Whether the body differs from the one kept (a 304 never does)."""
        return self.body != self.endpoint.body

    def keep(self) -> None:
        """Keep the body and validators for the next poll."""
        if self.headers is not None:
            self.endpoint.validators.remember(self.headers)
        self.endpoint.body = self.body
