"""Retry and pacing policy, owned by the facade instead of botocore.

botocore's retry modes re-send any operation after a 5xx or a read timeout, which for a
call-placing request can ring the callee twice; its ``standard`` mode also skips the voice
namespace's ``ThrottledClientException``, retries the meetings quota error as if it were a
throttle, and ignores ``Retry-After``. So the facade's clients are created with botocore retries
pinned off (``total_max_attempts=1``, which ``AWS_MAX_ATTEMPTS`` / ``AWS_RETRY_MODE`` cannot
override), and this module decides instead, per operation kind (docs/reliability.md).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from enum import Enum

import attrs

from chime_calls._rules import _Struct

__all__ = ["OperationKind", "Pacing", "RetryPolicy", "kind_of"]


class OperationKind(Enum):
    """How safe it is to send an operation twice."""

    #: Same request, same effect: GetMeeting, DeleteMeeting, CreateMeeting with its token.
    IDEMPOTENT = "idempotent"
    #: Rings a phone: re-sent only when the request provably never reached AWS or was throttled.
    CALL_PLACING = "call-placing"
    #: Not idempotent, no phone rings (CreateAttendee, UpdateSipMediaApplicationCall):
    #: same rule as call-placing, without the warning.
    AT_MOST_ONCE = "at-most-once"


_KINDS: Mapping[str, OperationKind] = {
    "GetMeeting": OperationKind.IDEMPOTENT,
    "DeleteMeeting": OperationKind.IDEMPOTENT,
    "CreateMeeting": OperationKind.IDEMPOTENT,
    "CreateSipMediaApplicationCall": OperationKind.CALL_PLACING,
    "CreateMeetingDialOut": OperationKind.CALL_PLACING,
    "CreateAttendee": OperationKind.AT_MOST_ONCE,
    "UpdateSipMediaApplicationCall": OperationKind.AT_MOST_ONCE,
}


def kind_of(operation: str) -> OperationKind:
    return _KINDS.get(operation, OperationKind.AT_MOST_ONCE)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class RetryPolicy(_Struct):
    """How often and how patiently the facade retries what is safe to retry.

    ``max_attempts`` counts the first attempt (1 turns retries off). Waits use full jitter,
    ``uniform(0, min(max_delay, base_delay * 2**retry))``; a server's ``Retry-After`` is a floor
    when ``honour_retry_after`` is set, and a ``Retry-After`` longer than ``max_retry_after``
    ends the retries (the error is raised so the caller can schedule the work later).

    .. versionadded:: 0.1.0
    """

    max_attempts: int = attrs.field(default=3, validator=attrs.validators.ge(1))
    base_delay: float = attrs.field(default=0.2, validator=attrs.validators.ge(0))
    max_delay: float = attrs.field(default=5.0, validator=attrs.validators.ge(0))
    honour_retry_after: bool = True
    max_retry_after: float = attrs.field(default=20.0, validator=attrs.validators.ge(0))

    @classmethod
    def off(cls) -> RetryPolicy:
        """Exactly one attempt; errors carry ``retryable`` for the caller's own loop."""
        return cls(max_attempts=1)

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before retry number ``retry`` (1-based), or None to give up."""
        wait = rng.uniform(0.0, min(self.max_delay, self.base_delay * (2 ** (retry - 1))))
        if retry_after is not None and self.honour_retry_after:
            if retry_after > self.max_retry_after:
                return None
            wait = max(wait, retry_after)
        return wait


# Documented default quotas (per account and region, adjustable in Service Quotas).
_DOCUMENTED_RATES: Mapping[str, float] = {
    "CreateSipMediaApplicationCall": 1.0,
    "CreateMeeting": 10.0,
    "CreateAttendee": 10.0,
    "GetMeeting": 10.0,
    "DeleteMeeting": 10.0,
}


def _as_dict(value: Mapping[str, float]) -> dict[str, float]:
    return dict(value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Pacing(_Struct):
    """Client-side request pacing per operation (requests per second), off by default.

    Use :meth:`documented_quotas` to stay under AWS's published default rates, or give your
    account's raised quotas. ``burst`` requests may go back to back before pacing applies.
    Pacing is shared by all threads using one facade.

    .. versionadded:: 0.1.0
    """

    rates: Mapping[str, float] = attrs.field(factory=dict, converter=_as_dict)
    burst: int = attrs.field(default=1, validator=attrs.validators.ge(1))

    @classmethod
    def documented_quotas(cls, *, burst: int = 1) -> Pacing:
        return cls(rates=_DOCUMENTED_RATES, burst=burst)


class _Pacer:
    """Token buckets for a :class:`Pacing`; ``acquire`` blocks the calling thread."""

    def __init__(self, pacing: Pacing | None) -> None:
        self._rates = dict(pacing.rates) if pacing else {}
        self._burst = float(pacing.burst) if pacing else 1.0
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}
        self._lock = threading.Lock()

    def acquire(self, operation: str) -> float:
        """Wait for a token; returns the seconds waited."""
        rate = self._rates.get(operation)
        if not rate:
            return 0.0
        with self._lock:
            now = time.monotonic()
            tokens = self._tokens.get(operation, self._burst)
            last = self._stamp.get(operation, now)
            tokens = min(self._burst, tokens + (now - last) * rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
            # Reserve the token now so concurrent callers queue up behind each other.
            self._tokens[operation] = tokens - 1.0
            self._stamp[operation] = now
        if wait > 0:
            time.sleep(wait)
        return wait
