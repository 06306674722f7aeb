"""What happens to one request, decided once for every facade: the rules, not the I/O.

A facade drives an ``Exchange`` the way httpx layers ``send``:

    exchange = Exchange(prepare(request, namespace), route, policy)
    while True:
        clock.sleep(exchange.pace())                 # an async facade awaits instead
        try:
            response = route.method(**exchange.params)   # one attempt: the only I/O
        except Exception as exc:
            step = exchange.failed(exc)              # decide: retry, give up, or done
        except BaseException as exc:                 # cancelled in flight (async facade)
            exchange.interrupted(exc)                # outcome unknown: noted, never re-sent
            raise
        else:
            step = exchange.succeeded(response)
        if step.retry_in is not None:
            clock.sleep(step.retry_in)
            continue
        if step.error is not None:
            raise step.error                         # outside ``except``: nothing chained
        return step.result

``prepare`` validates and serialises (nothing is sent for a bad request); the exchange paces,
translates errors (``chime_calls.errors.translate``), decides whether another attempt is
safe for the operation's kind, logs one record per attempt, and parses the answer into the
spec's result type. The sync ``ChimeCalls`` and the async
``chime_calls.aio.AsyncChimeCalls`` differ only in how they send and how they wait.
"""

from __future__ import annotations

import contextvars
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import attrs

from chime_calls import errors as _errors
from chime_calls._clock import Clock
from chime_calls._clock import current as current_clock
from chime_calls._fields import fields, flatten, hints, member_name
from chime_calls._policy import OperationKind, Pacer, RetryPolicy
from chime_calls._spec import OperationSpec, Request, ResponseShapeError, parse_result, snake
from chime_calls.namespaces import check_operation

__all__ = [
    "Exchange",
    "Policy",
    "Prepared",
    "Route",
    "Step",
    "check_modelled",
    "current_clock",
    "make_route",
    "note_status",
    "prepare",
    "snake",
    "spec_of",
]

logger = logging.getLogger("chime_calls")

#: The HTTP status of the answer botocore is parsing, per thread and per task: an exception
#: after it arrived means AWS answered, so a 2xx that could not be read is no transport failure.
_STATUS: contextvars.ContextVar[int | None] = contextvars.ContextVar("chime_calls_status")


def note_status(response_dict: Mapping[str, Any] | None = None, **_: Any) -> None:
    """botocore ``before-parse`` handler, registered on every client a facade uses."""
    if response_dict is not None:
        _STATUS.set(response_dict.get("status_code"))


def spec_of(request: object) -> OperationSpec:
    """The request's spec; a ``TypeError`` naming what ``send`` takes for anything else."""
    spec = getattr(type(request), "spec", None)
    if not isinstance(request, Request) or not isinstance(spec, OperationSpec):
        raise TypeError(
            "send() takes a chime_calls request, e.g. chime_calls.GetMeetingRequest("
            f"meeting_id=...), not {type(request).__name__}"
        )
    return spec


class Prepared(NamedTuple):
    request: Request[Any]
    spec: OperationSpec
    namespace: str
    service: str


def prepare(request: Request[Any], spec: OperationSpec, namespace: str) -> Prepared:
    """Check the request against the namespace before anything else happens."""
    service = spec.services.get(namespace)
    if service is None:
        raise _errors.UnsupportedOperationError(
            f"chime-calls sends {spec.operation} only in the "
            f"{' and '.join(map(repr, spec.namespaces))} namespace; {spec.legacy_advice()}",
            operation=spec.operation,
            namespace=namespace,
            replacement=spec.replacement(),
        )
    request.validate_for(namespace)
    return Prepared(request, spec, namespace, service)


class Route(NamedTuple):
    """Where a prepared request goes: the client's method, the installed operation model, and
    the members this request type can carry that the installed model lacks (found once)."""

    service: str
    method: Callable[..., Any]
    operation_model: Any
    unmodelled: tuple[tuple[str, ...], ...]


def make_route(prepared: Prepared, client: Any) -> Route:
    """Check the operation against the client's installed model, once per namespace."""
    spec = prepared.spec
    service_model = client.meta.service_model
    check_operation(
        service_model,
        spec.operation,
        prepared.namespace,
        spec.replacement(),
        spec.legacy_advice(),
    )
    operation_model = service_model.operation_model(spec.operation)
    return Route(
        prepared.service,
        getattr(client, snake(spec.operation)),
        operation_model,
        tuple(unmodelled(type(prepared.request), operation_model.input_shape)),
    )


def unmodelled(cls: type[Any], shape: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Member paths a value of ``cls`` may carry that the installed ``shape`` does not model.

    ``ArgumentsMap`` on legacy CreateSipMediaApplicationCall, ``MeetingFeatures`` on legacy
    CreateMeeting, ``MediaPlacementNetworkType`` on a botocore too old to model it: sending them
    anyway would be silently dropped or refused, so a request that sets one is refused first.
    """
    found: list[tuple[str, ...]] = []
    annotations = hints(cls)
    members = shape.members if shape is not None else {}  # (no input: no members)
    for field in fields(cls):
        if "shape" in field.metadata:
            continue
        name = member_name(field)
        if name not in members:
            found.append((*prefix, name))
            continue
        member = members[name]
        for kind in flatten(annotations.get(field.name)):
            if isinstance(kind, type) and attrs.has(kind) and member.type_name == "structure":
                found += unmodelled(kind, member, (*prefix, name))
    return found


def check_modelled(route: Route, params: Mapping[str, Any], prepared: Prepared) -> None:
    """Raise when the request sets a member the installed model lacks (see ``unmodelled``)."""
    present = []
    for path in route.unmodelled:
        value: Any = params
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            present.append(".".join(path))
    if present:
        check_members_failed(prepared, route, present)


def check_members_failed(prepared: Prepared, route: Route, names: list[str]) -> None:
    spec = prepared.spec
    advice = spec.legacy_advice()
    hint = (
        f" To send them, {advice}."
        if prepared.namespace == "legacy" and advice
        else " Upgrade botocore to a version whose model has them."
    )
    raise _errors.UnsupportedOperationError(
        f"{spec.operation} in the '{route.service}' namespace does not accept "
        f"{', '.join(names)}.{hint}",
        operation=spec.operation,
        namespace=prepared.namespace,
        replacement=spec.replacement() if prepared.namespace == "legacy" else None,
        service=route.service,
    )


class Policy:
    """The facade-wide settings an exchange follows."""

    __slots__ = ("pacer", "retry", "rng")

    def __init__(self, retry: RetryPolicy, pacer: Pacer | None) -> None:
        self.retry = retry
        self.pacer = pacer
        self.rng = random.Random()  # noqa: S311 - jitter, not cryptography


class Step(NamedTuple):
    """What the facade does next: wait and retry, raise, or return."""

    retry_in: float | None = None
    error: _errors.ChimeCallsError | None = None
    result: Any = None


class Exchange:
    """One request's attempts, from the first to the outcome."""

    __slots__ = (
        "attempt",
        "clock",
        "debug",
        "kind",
        "operation",
        "params",
        "policy",
        "prepared",
        "secrets",
        "service",
        "started",
        "unknown_before",
    )

    def __init__(
        self, prepared: Prepared, params: dict[str, Any], policy: Policy, clock: Clock
    ) -> None:
        spec = prepared.spec
        self.prepared = prepared
        self.params = params
        self.policy = policy
        self.clock = clock
        self.operation = spec.operation
        self.service = prepared.service
        self.kind = spec.kind
        self.attempt = 0
        self.started = 0.0
        self.unknown_before = False  # an earlier attempt may have taken effect
        self.secrets: list[str] | None = None  # computed only if an error needs scrubbing
        self.debug = logger.isEnabledFor(logging.DEBUG)

    def pace(self) -> float:
        """Start an attempt; seconds to wait first (pacing), 0 when none."""
        self.attempt += 1
        pacer = self.policy.pacer
        wait = (
            pacer.reserve(self.operation, self.prepared.spec.rate, self.clock)
            if pacer is not None
            else 0.0
        )
        _STATUS.set(None)
        if self.debug:
            self.started = time.perf_counter()
        return wait

    def succeeded(self, response: Mapping[str, Any]) -> Step:
        try:
            result = parse_result(self.prepared.spec, response)
        except ResponseShapeError as exc:
            meta = response.get("ResponseMetadata") or {}
            return self._decide(
                self._invalid(
                    f"the answer has no {exc.path} ({exc.path} {exc.problem})",
                    meta.get("HTTPStatusCode"),
                    meta.get("RequestId"),
                )
            )
        if self.debug:
            self._log((response.get("ResponseMetadata") or {}).get("RequestId"), "ok")
        request = self.prepared.request
        return Step(result=request._finish(result) if request._finishes else result)

    def failed(self, exc: BaseException) -> Step:
        """The attempt raised: translate it, then decide."""
        status = _STATUS.get(None)
        if status is not None and 200 <= status < 300 and not _is_botocore(exc):
            error: _errors.ChimeCallsError = self._invalid(
                f"the answer could not be read ({type(exc).__name__})", status, None
            )
            error._unredacted = exc
        else:
            if self.secrets is None:
                self.secrets = self.prepared.request.sensitive_values()
            error = _errors.translate(
                exc,
                operation=self.operation,
                service=self.service,
                secrets=self.secrets,
                idempotent=self.kind is OperationKind.IDEMPOTENT,
                legacy_advice=self.prepared.spec.legacy_advice(),
            )
        return self._decide(error)

    def _decide(self, error: _errors.ChimeCallsError) -> Step:
        """Whether another attempt is safe and worth it, after ``error``."""
        if (
            self.unknown_before
            and self.prepared.spec.gone_after_retry
            and isinstance(error, _errors.NotFoundError)
        ):
            # An earlier attempt may have done it (deleted the meeting): the goal state holds.
            self._log(error.request_id, "gone-after-retry")
            return Step(result=parse_result(self.prepared.spec, {}))
        delay = None
        retry = self.policy.retry
        if error.retryable and self.attempt < retry.max_attempts:
            delay = retry.delay(self.attempt, error.retry_after, self.policy.rng)
        outcome = type(error).__name__
        if delay is None:
            self._log(error.request_id, outcome)
            return self._give_up(error)
        self.unknown_before = self.unknown_before or error.outcome_unknown
        self._log(error.request_id, f"{outcome}; retry")
        return Step(retry_in=delay)

    def _invalid(
        self, what: str, status: int | None, request_id: str | None
    ) -> _errors.InvalidResponseError:
        effect = (
            "; the call may have been placed" if self.kind is OperationKind.CALL_PLACING else ""
        )
        return _errors.InvalidResponseError(
            f"AWS accepted {self.operation} (HTTP {status}) but {what}{effect}",
            operation=self.operation,
            service=self.service,
            status_code=status,
            request_id=request_id,
            idempotent=self.kind is OperationKind.IDEMPOTENT,
        )

    def interrupted(self, exc: BaseException) -> None:
        """The caller stopped the attempt in flight (a cancelled asyncio task, Ctrl-C).

        The request may have reached AWS, so unless the operation is idempotent its outcome is
        unknown. Nothing is re-sent and ``exc`` goes on as it is (an asyncio cancellation must,
        or timeouts and task groups break), with a note saying so (Python 3.11+) and, for a
        call-placing operation, the same WARNING as any other unknown outcome.
        """
        if self.kind is OperationKind.IDEMPOTENT:
            return
        placing = self.kind is OperationKind.CALL_PLACING
        effect = "the call may have been placed" if placing else "it may have taken effect"
        add_note = getattr(exc, "add_note", None)
        if add_note is not None:
            add_note(
                f"chime-calls: {self.operation} was in flight when {type(exc).__name__} "
                f"stopped it: outcome unknown ({effect}); it is NOT being re-sent"
            )
        self._log(None, f"{type(exc).__name__} in flight")
        self._warn_unknown(type(exc).__name__)

    def _give_up(self, error: _errors.ChimeCallsError) -> Step:
        if error.outcome_unknown:
            self._warn_unknown(type(error).__name__)
        return Step(error=error)

    def _warn_unknown(self, what: str) -> None:
        if self.kind is OperationKind.CALL_PLACING:
            logger.warning(
                "%s (%s): outcome unknown after attempt %d (%s); the call may have been placed "
                "and is NOT being re-sent",
                self.operation,
                self.service,
                self.attempt,
                what,
                extra={"chime_operation": self.operation, "chime_service": self.service},
            )

    def _log(self, request_id: str | None, outcome: str) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            latency_ms = (time.perf_counter() - self.started) * 1000 if self.started else 0.0
            logger.debug(
                "%s (%s) attempt %d: %s in %.1f ms, request %s",
                self.operation,
                self.service,
                self.attempt,
                outcome,
                latency_ms,
                request_id,
                extra={
                    "chime_operation": self.operation,
                    "chime_service": self.service,
                    "chime_attempt": self.attempt,
                    "chime_latency_ms": latency_ms,
                    "chime_request_id": request_id,
                    "chime_outcome": outcome,
                },
            )


def _is_botocore(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("botocore")
