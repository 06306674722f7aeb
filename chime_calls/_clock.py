"""Time for the facade's waits: retries, ``Retry-After`` and pacing.

Production code waits on the system clock. A test can hand the facade a ``VirtualClock``
(``ChimeCalls(clock=...)``), and while a ``chime_calls.testing.mock_chime`` fake is active
every facade without a clock of its own waits on the fake's virtual clock: waits advance it
instead of sleeping, so a retry after ``Retry-After: 20`` takes no real time, and the fake's
quotas, orders and timers see the time pass. Nobody patches ``time.sleep``.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["SYSTEM", "Clock", "SystemClock", "VirtualClock", "current"]


class Clock(Protocol):
    """What the facade and the fake need of time. ``monotonic`` for intervals, ``time`` (epoch
    seconds, also as ``now``) for HTTP dates and SIP media application timers, ``sleep`` /
    ``asleep`` to wait."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time."""

    __slots__ = ()

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        import asyncio  # (not at import: asyncio costs more to load than this whole package)

        await asyncio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM = SystemClock()


class VirtualClock:
    """Time that moves only when told to: by ``advance``, or by someone waiting on it.

    ``sleep(seconds)`` returns at once and moves the clock forward, recording the wait in
    ``sleeps``; callbacks scheduled with ``call_later`` run, in order, as the time they
    were due passes, and ``on_advance`` listeners after every move. Thread-safe; callbacks
    run outside the clock's lock. ``time()`` (and ``now()``, the same) starts at the real epoch
    time of creation, so HTTP dates stay plausible, and moves with the clock.

    *New in 0.2.0.*
    """

    def __init__(self, *, start: float | None = None) -> None:
        self._epoch = time.time() if start is None else start
        self._now = 0.0
        self._lock = threading.Lock()
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._listeners: list[Callable[[], None]] = []
        self._sleepers: list[tuple[float, int, Any]] = []  # asyncio waits: (deadline, n, future)
        self._seq = itertools.count()
        #: Every wait the clock was asked for, in seconds, in order.
        self.sleeps: list[float] = []

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now:.3f}, timers={len(self._timers)})"

    def monotonic(self) -> float:
        return self._now

    def time(self) -> float:
        return self._epoch + self._now

    def now(self) -> float:
        """Epoch seconds, as ``time``."""
        return self._epoch + self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
        self.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock in an asyncio task.

        Tasks waiting at the same time wake one at a time, in the order their waits end, each
        with the clock moved to its own deadline, and each gets a turn of the event loop before
        the clock moves on. So concurrent waits overlap as they would in real time (five tasks
        waiting 1 s each take 1 s, not 5), and a paced request reaches a fake at its own time,
        not in a burst with the others once all the waits are over.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self.sleeps.append(seconds)
            heapq.heappush(self._sleepers, (self._now + seconds, next(self._seq), waiter))
            first = len(self._sleepers) == 1
        if first:
            loop.call_soon(self._wake_next, loop)
        await waiter

    def _wake_next(self, loop: Any) -> None:
        """Wake the sleeper whose wait ends first, then (after its turn) the next one."""
        with self._lock:
            deadline, _, waiter = heapq.heappop(self._sleepers)
            more = bool(self._sleepers)
        if not waiter.done():  # (a cancelled waiter does not move the clock)
            self.advance(max(0.0, deadline - self._now))
            waiter.set_result(None)
        if more:
            loop.call_soon(self._wake_next, loop)

    def advance(self, seconds: float) -> None:
        """Move the clock forward, running each timer that falls due on the way, at its time."""
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            target = self._now + seconds
        while True:
            with self._lock:
                if not (self._timers and self._timers[0][0] <= target):
                    self._now = max(self._now, target)
                    break
                due, _, callback = heapq.heappop(self._timers)
                self._now = max(self._now, due)
            callback()
        for listener in list(self._listeners):
            listener()

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        """Run ``callback`` once ``delay`` seconds of this clock have passed."""
        with self._lock:
            heapq.heappush(self._timers, (self._now + max(0.0, delay), next(self._seq), callback))

    def on_advance(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every move of the clock (the fake's timers use it)."""
        with self._lock:
            self._listeners.append(listener)


_active: list[Clock] = []
_active_lock = threading.Lock()


def current() -> Clock:
    """The clock of the innermost active fake, else the system clock."""
    return _active[-1] if _active else SYSTEM


def push(clock: Clock) -> None:
    with _active_lock:
        _active.append(clock)


def pop(clock: Clock) -> None:
    with _active_lock:
        for index in range(len(_active) - 1, -1, -1):
            if _active[index] is clock:
                del _active[index]
                return
