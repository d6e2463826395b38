"""Spacing of the requests that share one credential.

Statuspage allows each API key 1 request/s (measured over a rolling 60 s window), and
every config entry and the config flow that use the same key share that budget. One
`RequestSpacer` per key, shared by all of them, keeps their requests apart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import math
import time

from .errors import CloudStatusRateLimitError

# An absurd pause would stop every entry of the key for good; a day is the ceiling.
MAX_PAUSE = 86400.0


def _monotonic() -> float:
    return time.monotonic()


class RequestSpacer:
    """Keeps the requests that share one credential at least `interval` seconds apart.

    Spacing is measured start to start, whoever makes the requests, and callers are
    served in the order they asked (FIFO) under concurrency.
    """

    def __init__(
        self,
        interval: float = 1.0,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """Take the minimum gap between two requests, in seconds of `clock`.

        The default clock is `time.monotonic`, looked up at each reading rather than
        bound here, so a clock patched later (time-travel tests) is the one used.
        """
        if not math.isfinite(interval) or interval < 0:
            raise ValueError("interval must be a finite number of seconds, at least 0")
        self._interval = interval
        self._clock = clock or _monotonic
        self._sleep = sleep or asyncio.sleep
        self._next_slot = -math.inf
        self._turn = asyncio.Lock()

    def __repr__(self) -> str:
        """Show the interval (a spacer knows nothing secret)."""
        return f"{type(self).__name__}(interval={self._interval:g})"

    @property
    def interval(self) -> float:
        """The minimum gap between two requests, in seconds."""
        return self._interval

    @property
    def next_slot(self) -> float:
        """Clock time of the earliest next request (now when nothing is booked)."""
        return max(self._next_slot, self._clock())

    @property
    def wait(self) -> float:
        """Seconds until the next request may start (0 when it may start now)."""
        return max(0.0, self._next_slot - self._clock())

    async def acquire(self, max_wait: float = math.inf) -> None:
        """Return when the caller may send its request, and book that slot.

        When the wait still ahead is longer than `max_wait` seconds (a pause after a
        420/429), raise `CloudStatusRateLimitError` with that wait instead of sleeping
        through it; no slot is booked then.
        """
        while True:
            async with self._turn:
                # Ordinary spacing is slept holding the turn, so later callers queue
                # behind in order. A loop, not one sleep: a real event loop may wake a
                # timer slightly early.
                while 0 < (delay := self.wait) <= self._interval:
                    if delay > max_wait:
                        raise CloudStatusRateLimitError(retry_after=delay)
                    await self._sleep(delay)
                if delay <= 0:
                    self._next_slot = self._clock() + self._interval
                    return
                if delay > max_wait:
                    raise CloudStatusRateLimitError(retry_after=delay)
            # A pause is slept outside the queue: callers behind this one that will
            # not wait that long must be able to fail at once.
            await self._sleep(delay)

    def pause(self, seconds: float) -> None:
        """Let nobody send before now + seconds; extends a pause, never shortens it."""
        if not seconds > 0:  # also refuses NaN
            return
        until = self._clock() + min(seconds, MAX_PAUSE)
        self._next_slot = max(self._next_slot, until)
