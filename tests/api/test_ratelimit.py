"""The request spacer: one credential's requests kept apart, fairly, with pauses."""

from __future__ import annotations

import asyncio
from itertools import pairwise
import math
import time

import pytest

from custom_components.cloud_status.api import CloudStatusRateLimitError
from custom_components.cloud_status.api.ratelimit import MAX_PAUSE, RequestSpacer

START = 1000.0


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it (or a test moves it)."""

    def __init__(self, start: float = START) -> None:
        """Start at `start` seconds."""
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        """Return the current time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield to the loop once, then wake `seconds` after the call.

        Sleepers overlap as on a real clock: two that sleep 30 s at once both wake
        30 s later, not one after the other.
        """
        self.sleeps.append(seconds)
        wake_at = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, wake_at)


@pytest.fixture
def clock() -> FakeClock:
    """Return a fresh fake clock."""
    return FakeClock()


def _spacer(clock: FakeClock, interval: float = 1.0) -> RequestSpacer:
    return RequestSpacer(interval, clock=clock, sleep=clock.sleep)


async def test_first_request_is_immediate_and_books_the_next_slot(
    clock: FakeClock,
) -> None:
    """A fresh spacer lets the first caller through at once and books now + interval."""
    spacer = _spacer(clock, 2.5)
    assert spacer.next_slot == START

    await spacer.acquire()

    assert clock.sleeps == []
    assert spacer.next_slot == START + 2.5
    assert spacer.interval == 2.5


async def test_concurrent_acquirers_are_spaced_and_served_fifo(
    clock: FakeClock,
) -> None:
    """Many callers at once: starts are >= interval apart, in the order they asked."""
    spacer = _spacer(clock)
    started: list[tuple[int, float]] = []

    async def caller(number: int) -> None:
        await spacer.acquire()
        started.append((number, clock()))

    tasks = [asyncio.create_task(caller(number)) for number in range(10)]
    await asyncio.gather(*tasks)

    assert [number for number, _ in started] == list(range(10))
    times = [at for _, at in started]
    assert times[0] == START
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(times))
    # Nobody waits longer than needed: exactly one interval between neighbours.
    assert times[-1] == START + 9.0


async def test_late_joiner_queues_behind_earlier_waiters(clock: FakeClock) -> None:
    """A caller that arrives while others wait does not overtake them."""
    spacer = _spacer(clock)
    order: list[str] = []

    async def caller(name: str) -> None:
        await spacer.acquire()
        order.append(name)

    first = asyncio.create_task(caller("first"))
    second = asyncio.create_task(caller("second"))
    await asyncio.sleep(0)  # first is through, second sleeps on the clock
    late = asyncio.create_task(caller("late"))
    await asyncio.gather(first, second, late)

    assert order == ["first", "second", "late"]
    assert clock() == START + 2.0


async def test_no_wait_after_idling_longer_than_the_interval(clock: FakeClock) -> None:
    """A caller after a quiet spell is not delayed at all."""
    spacer = _spacer(clock)
    await spacer.acquire()
    clock.now += 5.0

    await spacer.acquire()

    assert clock.sleeps == []
    assert spacer.next_slot == START + 6.0


async def test_caller_inside_the_interval_waits_only_the_rest(
    clock: FakeClock,
) -> None:
    """0.4 s after a request, the next caller waits the remaining 0.6 s."""
    spacer = _spacer(clock)
    await spacer.acquire()
    clock.now += 0.4

    await spacer.acquire()

    assert clock.sleeps == [pytest.approx(0.6)]
    assert clock() == pytest.approx(START + 1.0)


async def test_pause_blocks_everyone_until_it_ends(clock: FakeClock) -> None:
    """After a 429, nobody is let through before the pause is over."""
    spacer = _spacer(clock)
    await spacer.acquire()
    spacer.pause(30.0)
    started: list[float] = []

    async def caller() -> None:
        await spacer.acquire()
        started.append(clock())

    await asyncio.gather(caller(), caller(), caller())

    assert started == [START + 30.0, START + 31.0, START + 32.0]


async def test_pause_reaches_callers_already_waiting(clock: FakeClock) -> None:
    """A pause that starts while a caller sleeps extends that caller's wait too."""
    spacer = _spacer(clock)
    await spacer.acquire()
    waiter = asyncio.create_task(spacer.acquire())
    await asyncio.sleep(0)  # the waiter is now inside its 1 s sleep
    assert clock.sleeps == [1.0]

    spacer.pause(20.0)
    await waiter

    assert clock() == START + 20.0
    assert clock.sleeps == [1.0, 19.0]
    assert spacer.next_slot == START + 21.0


async def test_max_wait_refuses_to_sleep_through_a_pause(clock: FakeClock) -> None:
    """During a pause, a caller with a short max_wait fails at once with the rest of it."""
    spacer = _spacer(clock)
    await spacer.acquire()
    spacer.pause(30.0)
    clock.now += 5.0

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await spacer.acquire(max_wait=10.0)

    assert exc_info.value.retry_after == pytest.approx(25.0)
    assert clock.sleeps == []
    # No slot was booked, and the spacer is free for the next caller.
    assert spacer.next_slot == START + 30.0
    assert spacer.wait == pytest.approx(25.0)
    await spacer.acquire()
    assert clock() == START + 30.0
    assert spacer.next_slot == START + 31.0


async def test_max_wait_leaves_normal_spacing_alone(clock: FakeClock) -> None:
    """Waits of one interval, even exactly max_wait long, are slept as usual."""
    spacer = _spacer(clock, 2.0)
    started: list[float] = []

    async def caller() -> None:
        await spacer.acquire(max_wait=2.0)
        started.append(clock())

    await asyncio.gather(*(caller() for _ in range(5)))

    assert started == [START, START + 2.0, START + 4.0, START + 6.0, START + 8.0]
    assert clock.sleeps == [2.0, 2.0, 2.0, 2.0]


async def test_pause_makes_queued_waiters_with_max_wait_fail(
    clock: FakeClock,
) -> None:
    """Callers already waiting when a pause starts fail instead of sleeping through it."""
    spacer = _spacer(clock)
    await spacer.acquire()
    sleeping = asyncio.create_task(spacer.acquire(max_wait=5.0))
    queued = asyncio.create_task(spacer.acquire(max_wait=5.0))
    patient = asyncio.create_task(spacer.acquire())
    await asyncio.sleep(0)  # the first waiter sleeps its 1 s, the others queue
    assert clock.sleeps == [1.0]

    spacer.pause(30.0)
    results = await asyncio.gather(sleeping, queued, patient, return_exceptions=True)

    assert [type(result) for result in results[:2]] == [
        CloudStatusRateLimitError,
        CloudStatusRateLimitError,
    ]
    assert [
        result.retry_after
        for result in results[:2]
        if isinstance(result, CloudStatusRateLimitError)
    ] == [pytest.approx(29.0), pytest.approx(29.0)]
    # Only the caller without max_wait slept through the pause and booked a slot.
    assert results[2] is None
    assert clock.sleeps == [1.0, 29.0]
    assert spacer.next_slot == START + 31.0


async def test_pause_never_shortens_an_existing_pause(clock: FakeClock) -> None:
    """A shorter pause, zero, a negative or a NaN pause leaves a longer one in place."""
    spacer = _spacer(clock)
    spacer.pause(30.0)
    for seconds in (5.0, 0.0, -10.0, math.nan):
        spacer.pause(seconds)

    assert spacer.next_slot == START + 30.0

    await spacer.acquire()
    assert clock() == START + 30.0


async def test_pause_extends_a_booked_slot(clock: FakeClock) -> None:
    """A pause longer than what is booked moves the next slot out."""
    spacer = _spacer(clock)
    await spacer.acquire()
    spacer.pause(0.5)
    assert spacer.next_slot == START + 1.0

    spacer.pause(45.0)
    assert spacer.next_slot == START + 45.0


def test_pause_is_capped_at_a_day(clock: FakeClock) -> None:
    """An absurd (even infinite) pause stops the key for a day at most."""
    spacer = _spacer(clock)
    spacer.pause(math.inf)

    assert spacer.next_slot == START + MAX_PAUSE


async def test_cancelled_waiter_does_not_book_a_slot(clock: FakeClock) -> None:
    """A caller cancelled while waiting frees its turn for the next one."""
    gate = asyncio.Event()
    sleeps: list[float] = []

    async def blocking_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await gate.wait()
        clock.now += seconds

    spacer = RequestSpacer(1.0, clock=clock, sleep=blocking_sleep)
    await spacer.acquire()
    cancelled = asyncio.create_task(spacer.acquire())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled

    clock.now += 1.0
    await spacer.acquire()

    assert sleeps == [1.0]
    assert spacer.next_slot == START + 2.0


async def test_real_clock_spacing() -> None:
    """With the real clock and sleep, starts are at least the interval apart."""
    spacer = RequestSpacer(0.05)
    started: list[float] = []

    async def caller() -> None:
        await spacer.acquire()
        started.append(time.monotonic())

    await asyncio.gather(caller(), caller(), caller())

    assert all(later - earlier >= 0.05 for earlier, later in pairwise(started))


@pytest.mark.parametrize("interval", [-1.0, math.nan, math.inf])
def test_invalid_interval(interval: float) -> None:
    """A negative or non-finite interval is refused."""
    with pytest.raises(ValueError, match="interval"):
        RequestSpacer(interval)


def test_repr() -> None:
    """The repr shows the interval."""
    assert repr(RequestSpacer(1.0)) == "RequestSpacer(interval=1)"


async def test_wait_tells_how_long_the_next_request_waits() -> None:
    """`wait` is 0 when idle and the remaining pause or gap otherwise."""
    now = [100.0]
    spacer = RequestSpacer(1.0, clock=lambda: now[0])
    assert spacer.wait == 0.0
    await spacer.acquire()
    assert spacer.wait == 1.0
    spacer.pause(30)
    now[0] += 10
    assert spacer.wait == 20.0
    now[0] += 25
    assert spacer.wait == 0.0


async def test_caller_sleeping_through_a_pause_does_not_hold_up_the_queue(
    clock: FakeClock,
) -> None:
    """One caller waits out a pause; one behind it that will not wait fails at once."""
    spacer = _spacer(clock)
    spacer.pause(60.0)
    outcome: list[tuple[str, float]] = []

    async def patient() -> None:
        await spacer.acquire(max_wait=300.0)
        outcome.append(("patient", clock()))

    async def hasty() -> None:
        with pytest.raises(CloudStatusRateLimitError) as exc_info:
            await spacer.acquire(max_wait=2.0)
        outcome.append(("hasty refused", clock()))
        assert exc_info.value.retry_after == pytest.approx(60.0)

    await asyncio.gather(patient(), hasty())

    assert outcome == [("hasty refused", START), ("patient", START + 60.0)]


async def test_max_wait_shorter_than_the_spacing_is_refused(clock: FakeClock) -> None:
    """A caller that will not wait even one gap is refused, and books nothing."""
    spacer = _spacer(clock, 1.0)
    await spacer.acquire()
    clock.now += 0.25

    with pytest.raises(CloudStatusRateLimitError) as exc_info:
        await spacer.acquire(max_wait=0.5)

    assert exc_info.value.retry_after == pytest.approx(0.75)
    assert spacer.next_slot == pytest.approx(START + 1.0)
    assert clock.sleeps == []
