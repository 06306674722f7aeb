"""Fault injection and magic numbers: the failures resilience tests need, on demand.

Each fault names the moment it strikes, because that decides whether a retry is safe:

* ``connect``: the request never reaches the service (connection refused, DNS, connect
  timeout); nothing changes.
* ``error`` / ``throttle``: the service answers with an error; nothing changes.
* ``lost``: the service acts (a meeting is created, a phone rings) and then the answer is lost
  (read timeout, dropped connection, a 5xx from a proxy); the client cannot tell.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import threading
from collections.abc import Callable
from typing import Literal

import attrs

from chime_calls._shapes.names import OperationName

__all__ = [
    "CalleeRule",
    "ConnectKind",
    "Fault",
    "LostKind",
    "MagicNumbers",
    "OperationName",
    "RateLimiter",
    "UnfiredFaultsError",
    "UnfiredFaultsWarning",
    "operation_name",
]

ConnectKind = Literal["refused", "dns", "connect-timeout"]
LostKind = Literal["read-timeout", "connection-closed", "tls", "500", "503", "504"]


@attrs.define(kw_only=True)
class Fault:
    """One queued fault; ``remaining`` counts the requests it will still hit."""

    kind: Literal["error", "throttle", "connect", "lost"]
    operation: str | None
    remaining: int
    times: int = attrs.field(default=attrs.Factory(lambda self: self.remaining, takes_self=True))
    code: str | None = None
    status: int | None = None
    message: str | None = None
    retry_after: float | datetime.datetime | None = None
    variant: str | None = None

    def matches(self, operation: str) -> bool:
        return self.remaining > 0 and self.operation in (None, operation)

    def describe(self) -> str:
        """``throttle('CreateMeeting'): 2 of 3 left``: how a test would have written it."""
        call = {"error": "fail_next", "connect": "fail_connection", "lost": "lose_answer"}.get(
            self.kind, self.kind
        )
        target = "None" if self.operation is None else repr(self.operation)
        detail = f", {self.code!r}" if self.kind == "error" else ""
        detail += f", kind={self.variant!r}" if self.variant is not None else ""
        return f"{call}({target}{detail}): {self.remaining} of {self.times} left"


class UnfiredFaultsError(AssertionError):
    """Faults were still queued when the fake deactivated: the code under test never sent the
    requests they were meant for, so the test did not test what it says."""


class UnfiredFaultsWarning(UserWarning):
    """Like ``UnfiredFaultsError``, as a warning (the default of ``mock_chime()``)."""


@functools.cache
def _spellings() -> dict[str, str]:
    """Every accepted spelling -> AWS's name: the operations of the generated data of the three
    services (``chime_calls._shapes``), in AWS's spelling and in snake_case."""
    from chime_calls import _shapes
    from chime_calls._fields import snake

    names: dict[str, str] = {}
    for service in _shapes.MODULES:
        for name in _shapes.load(service).OPERATIONS:
            names[name] = name
            names[snake(name)] = name
    return names


def operation_name(name: object) -> str:
    """AWS's name of ``name`` (``"CreateMeeting"`` or ``"create_meeting"``), or ``ValueError``
    naming the valid names, so a misspelt fault fails at once instead of never firing."""
    spellings = _spellings()
    if isinstance(name, str) and name in spellings:
        return spellings[name]
    close = difflib.get_close_matches(str(name), sorted(spellings), n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    valid = ", ".join(sorted(set(spellings.values())))
    raise ValueError(
        f"{name!r} is not an operation of chime-sdk-meetings, chime-sdk-voice or chime{hint} "
        f"Use AWS's name or its snake_case form; valid names: {valid}"
    )


class MagicNumbers:
    """Destination numbers with fixed outcomes, in the spirit of telephony test credentials.

    They live in the NANP 500 area code so they never collide with the fictional 555-01xx
    numbers used in examples. Used as ``ToPhoneNumber`` of CreateSipMediaApplicationCall or
    CreateMeetingDialOut:

    | number | outcome |
    |---|---|
    | ``BUSY`` | placed; the callee is busy (the SMA handler sees a failed call) |
    | ``NO_ANSWER`` | placed; nobody picks up |
    | ``THROTTLED`` | never placed: always answered 429 (the service's throttle code) |
    | ``FAILURE`` | never placed: always answered 500 ServiceFailureException |
    | ``UNAVAILABLE`` | never placed: always 503 ServiceUnavailableException, Retry-After 1 |
    | ``ANSWER_LOST`` | placed, then the answer is lost (read timeout): outcome unknown |
    """

    BUSY = "+15005550001"
    NO_ANSWER = "+15005550002"
    THROTTLED = "+15005550003"
    FAILURE = "+15005550004"
    UNAVAILABLE = "+15005550005"
    ANSWER_LOST = "+15005550006"


@attrs.frozen(kw_only=True)
class CalleeRule:
    """How a callee behaves (``chime_calls.testing.ChimeFake.callee_rule``)."""

    match: str | Callable[[str], bool] | None = None
    answer: str = "answered"
    ring_seconds: float = 0.0
    talk_seconds: float | None = None

    def applies(self, number: str) -> bool:
        if self.match is None:
            return True
        if isinstance(self.match, str):
            return self.match == number
        return bool(self.match(number))


class RateLimiter:
    """A token bucket per (region, operation): bursts beyond the rate are throttled."""

    def __init__(self, per_second: float, burst: int | None) -> None:
        self.per_second = per_second
        self.burst = float(burst if burst is not None else max(1, int(per_second)))
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}
        self._lock = threading.Lock()

    def allow(self, region: str, now: float) -> bool:
        with self._lock:
            tokens = self._tokens.get(region, self.burst)
            elapsed = now - self._stamp.get(region, now)
            tokens = min(self.burst, tokens + elapsed * self.per_second)
            self._stamp[region] = now
            if tokens >= 1:
                self._tokens[region] = tokens - 1
                return True
            self._tokens[region] = tokens
            return False
