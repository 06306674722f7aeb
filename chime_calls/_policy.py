"""Retry and pacing policy, owned by the facade instead of botocore.

botocore's retry modes re-send any operation after a 5xx or a read timeout, which for a
call-placing request can ring the callee twice; its ``standard`` mode also skips the voice
namespace's ``ThrottledClientException``, retries the meetings quota error as if it were a
throttle, and ignores ``Retry-After``. So the facade's clients are created with botocore retries
pinned off (``total_max_attempts=1``, which ``AWS_MAX_ATTEMPTS`` / ``AWS_RETRY_MODE`` cannot
override), and this module decides instead, per operation kind (chime-calls docs reliability).

Both configuration types check what they are given when constructed and raise ``TypeError``
(wrong type) or ``ValueError`` (out of range) naming the parameter, never later at a call.
"""

from __future__ import annotations

import difflib
import math
import random
import threading
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

import attrs

from chime_calls._rules import _Struct

if TYPE_CHECKING:
    from chime_calls._clock import Clock

__all__ = ["OperationKind", "Pacing", "RetryPolicy"]


class OperationKind(Enum):
    """How safe it is to send an operation twice."""

    #: Same request, same effect: GetMeeting, DeleteMeeting, CreateMeeting with its token.
    IDEMPOTENT = "idempotent"
    #: Rings a phone: re-sent only when the request provably never reached AWS or was throttled.
    CALL_PLACING = "call-placing"
    #: Not idempotent, no phone rings (CreateAttendee, UpdateSipMediaApplicationCall):
    #: same rule as call-placing, without the warning.
    AT_MOST_ONCE = "at-most-once"


def _number(name: str, *, minimum: float, integer: bool = False) -> Any:
    """An attrs validator: a finite int (or float) >= ``minimum``, else a message naming it."""
    what = "an int" if integer else "a number"

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if not ok_type or isinstance(value, bool):
            raise TypeError(
                f"{type(instance).__name__}.{name} must be {what} >= {minimum:g}, "
                f"not {type(value).__name__}"
            )
        assert isinstance(value, (int, float))  # noqa: S101 - narrowed above
        if not math.isfinite(value) or value < minimum:
            raise ValueError(f"{type(instance).__name__}.{name} must be {what} >= {minimum:g}")

    return check


@attrs.frozen(kw_only=True, repr=False, eq=False)
class RetryPolicy(_Struct):
    """How often and how patiently the facade retries what is safe to retry.

    ``max_attempts`` counts the first attempt (1 turns retries off). Waits use full jitter,
    ``uniform(0, min(max_delay, base_delay * 2**(retry - 1)))`` before retry number ``retry``
    (1, 2, ...); a server's ``Retry-After`` is a floor when ``honour_retry_after`` is set, and a
    ``Retry-After`` longer than ``max_retry_after`` ends the retries (the error is raised so the
    caller can schedule the work later).

    *New in 0.1.0.*
    """

    max_attempts: int = attrs.field(
        default=3, validator=_number("max_attempts", minimum=1, integer=True)
    )
    base_delay: float = attrs.field(default=0.2, validator=_number("base_delay", minimum=0))
    max_delay: float = attrs.field(default=5.0, validator=_number("max_delay", minimum=0))
    honour_retry_after: bool = attrs.field(default=True)
    max_retry_after: float = attrs.field(
        default=20.0, validator=_number("max_retry_after", minimum=0)
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.honour_retry_after, bool):
            raise TypeError(
                "RetryPolicy.honour_retry_after must be a bool, not "
                f"{type(self.honour_retry_after).__name__}"
            )

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


#: Slower than one request an hour is almost certainly a mistake (1e-9 would block for decades).
MIN_RATE = 1 / 3600


def _rates(value: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"Pacing.rates must be a mapping of operation name to requests per second, not "
            f"{type(value).__name__}"
        )
    return dict(value)


def _check_rates(
    instance: Pacing, attribute: attrs.Attribute[Any], rates: dict[str, float]
) -> None:
    known = known_operations()
    for operation, rate in rates.items():
        if operation not in known:
            close = difflib.get_close_matches(str(operation), sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"Pacing.rates: {operation!r} is not an operation of chime-sdk-meetings, "
                f"chime-sdk-voice or chime (use AWS's name, e.g. 'CreateSipMediaApplicationCall')"
                f"{hint}"
            )
        if not isinstance(rate, (int, float)) or isinstance(rate, bool):
            raise TypeError(
                f"Pacing.rates[{operation!r}] must be a number of requests per second, not "
                f"{type(rate).__name__}"
            )
        if not math.isfinite(rate) or rate < MIN_RATE:
            raise ValueError(
                f"Pacing.rates[{operation!r}] must be a finite rate of at least one request an "
                f"hour ({MIN_RATE:.6f}/s), not {rate!r}"
            )


def known_operations() -> frozenset[str]:
    """Every operation name in the generated data of the three services."""
    from chime_calls import _shapes

    names: set[str] = set()
    for service in _shapes.MODULES:
        names.update(_shapes.load(service).OPERATIONS)
    return frozenset(names)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Pacing(_Struct):
    """Client-side request pacing per operation (requests per second), off by default.

    ``rates`` maps AWS operation names to your account's rates; ``documented=True`` paces every
    other operation at AWS's published default quota (each request type's spec states it).
    ``burst`` requests may go back to back before pacing applies. Pacing is shared by all
    threads using one facade, and waits on the facade's clock.

    *New in 0.1.0.*
    """

    rates: Mapping[str, float] = attrs.field(factory=dict, converter=_rates, validator=_check_rates)
    burst: int = attrs.field(default=1, validator=_number("burst", minimum=1, integer=True))
    documented: bool = False

    @classmethod
    def documented_quotas(cls, *, burst: int = 1) -> Pacing:
        """Stay under AWS's published default rates (CreateSipMediaApplicationCall 1/s, the
        meetings operations 10/s, ...)."""
        return cls(documented=True, burst=burst)

    def rate_for(self, operation: str, documented_rate: float | None) -> float | None:
        rate = self.rates.get(operation)
        if rate is None and self.documented:
            rate = documented_rate
        return rate


class Pacer:
    """Token buckets for a ``Pacing``. ``reserve`` takes a token and says how long the
    caller must wait for it; the caller waits on its own clock (a thread sleeps, a task awaits)."""

    def __init__(self, pacing: Pacing | None) -> None:
        self._pacing = pacing
        self._burst = float(pacing.burst) if pacing else 1.0
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, operation: str, documented_rate: float | None, clock: Clock) -> float:
        """Seconds to wait before sending ``operation`` (0 when unpaced)."""
        if self._pacing is None:
            return 0.0
        rate = self._pacing.rate_for(operation, documented_rate)
        if not rate:
            return 0.0
        with self._lock:
            now = clock.monotonic()
            tokens = self._tokens.get(operation, self._burst)
            last = self._stamp.get(operation, now)
            tokens = min(self._burst, tokens + (now - last) * rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
            # Reserve the token now so concurrent callers queue up behind each other.
            self._tokens[operation] = tokens - 1.0
            self._stamp[operation] = now
        return wait


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
