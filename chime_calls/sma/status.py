"""Call status events: one normalized stream per outbound call, from its SMA invocations.

A SIP media application's Lambda sees a call as raw invocation events (``NEW_OUTBOUND_CALL``,
``RINGING``, ``CALL_ANSWERED``, ``ACTION_SUCCESSFUL``, ``HANGUP``, ...). ``StatusTracker``
turns them into the statuses a caller wants, each once per call and in this order:

```text
initiated -> ringing -> answered -> joined -> completed
           (or, unanswered)  -> busy | no-answer | failed
```

with the time of each step, the SIP response code and a reason on the final one, and the
ring, talk and total durations. Each ``StatusEvent`` is keyed by the dial-out correlation
ID (``ArgumentsMap["CorrelationId"]``) and the transaction ID, and goes to every *sink*: any
callable taking the event (a Python callback), or one of the AWS sinks of
``chime_calls.sma.sinks`` (EventBridge, SQS, SNS); and to a call ledger
(``chime_calls.ledger``), which also hangs up a second call placed for a correlation ID
it has already seen. Events carry no secret: numbers are masked, join tokens are never read.

The tracker keeps what it needs between invocations (when each step happened) in a few
``TransactionAttributes`` of its own (keys starting ``chime-calls.``), which the service
echoes on every later event of the call: a Lambda keeps no state between invocations.
``chime_calls.sma.DialOutHandler`` takes ``sinks=`` and ``ledger=``; any other handler
gets the same with ``track_status``. Schema and examples: ``chime-calls docs campaigns``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from chime_calls._contract import ARG_CORRELATION_ID
from chime_calls._rules import _Struct
from chime_calls.sma._logger import LoggerAttribute
from chime_calls.sma.events import LEG_A, LEG_B, EventType, InvalidEventError, parse_event
from chime_calls.values import PhoneNumber, mask_phone_number

if TYPE_CHECKING:
    import logging

    from chime_calls._clock import Clock
    from chime_calls.sma.events import InvocationEvent

__all__ = [
    "FINAL_STATUSES",
    "SCHEMA",
    "CallStatus",
    "StatusEvent",
    "StatusLedger",
    "StatusSink",
    "StatusTracker",
    "status_rank",
    "track_status",
]

#: ``schema`` of every ``StatusEvent.to_dict``; a later incompatible change bumps it.
SCHEMA: Final = "chime-calls.call-status/1"
_PREFIX: Final = "chime-calls."
# TransactionAttributes the tracker keeps: when each step happened (epoch milliseconds), the
# error that spoiled the call, whether the application asked to join or to hang up, and
# whether this transaction duplicates an earlier call of its correlation ID.
_INITIATED: Final = _PREFIX + "initiated"
_RINGING: Final = _PREFIX + "ringing"
_ANSWERED: Final = _PREFIX + "answered"
_JOINED: Final = _PREFIX + "joined"
_FINAL: Final = _PREFIX + "final"
_JOINING: Final = _PREFIX + "joining"
_HANGING_UP: Final = _PREFIX + "hanging-up"
_ERROR: Final = _PREFIX + "error"
_DUPLICATE: Final = _PREFIX + "duplicate"
_CORRELATION: Final = _PREFIX + "correlation-id"
_MEETING_ENDED: Final = _PREFIX + "meeting-ended"
# Events whose answer the service ignores (their TransactionAttributes are still kept).
_NO_ACTIONS: Final = frozenset({EventType.NEW_OUTBOUND_CALL, EventType.RINGING})


class CallStatus:
    """The statuses of an outbound call, in the order they happen."""

    INITIATED: Final = "initiated"
    RINGING: Final = "ringing"
    ANSWERED: Final = "answered"
    JOINED: Final = "joined"
    COMPLETED: Final = "completed"
    BUSY: Final = "busy"
    NO_ANSWER: Final = "no-answer"
    FAILED: Final = "failed"


#: The statuses that end a call: exactly one of them closes each call's stream.
FINAL_STATUSES: Final = frozenset(
    {CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED}
)
_RANK: Final = {
    CallStatus.INITIATED: 1,
    CallStatus.RINGING: 2,
    CallStatus.ANSWERED: 3,
    CallStatus.JOINED: 4,
    **dict.fromkeys(FINAL_STATUSES, 5),
}
# SIP response codes of a call that was never answered (RFC 3261, section 21): AWS does not
# document which codes its HANGUP carries for an unanswered outbound call, so they are read by
# their SIP meaning; anything else is a failure.
_BUSY_CODES: Final = frozenset({486, 600, 603})
_NO_ANSWER_CODES: Final = frozenset({408, 480, 487})


def status_rank(status: str) -> int:
    """Where ``status`` comes in a call (1 initiated ... 5 any final status; 0 unknown), so a
    store can refuse to replace a later status with an earlier one."""
    return _RANK.get(status, 0)


def _masked(value: PhoneNumber | None) -> str | None:
    return None if value is None else mask_phone_number(value.reveal())


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StatusEvent(_Struct):
    """One step of one call.

    ``time`` is epoch seconds (when the Lambda was invoked for the step, on the tracker's
    clock). ``sequence`` is the SMA invocation's ``Sequence``: it grows along a call, so
    consumers can order events that arrive out of order. ``ring_seconds`` is from initiated to
    answered (or to the end of an unanswered call), ``talk_seconds`` from answered to the end,
    ``duration_seconds`` from initiated to the end. ``duplicate`` marks a second call placed
    for a correlation ID a ledger had already seen. Numbers are held as
    ``chime_calls.PhoneNumber`` (masked in reprs) and masked in ``to_dict``.
    """

    status: str
    transaction_id: str
    correlation_id: str | None = None
    time: float
    sequence: int | None = None
    sip_media_application_id: str | None = None
    region: str | None = None
    to_number: PhoneNumber | None = None
    from_number: PhoneNumber | None = None
    meeting_id: str | None = None
    sip_response_code: int | None = None
    reason: str | None = None
    error_type: str | None = None
    ring_seconds: float | None = None
    talk_seconds: float | None = None
    duration_seconds: float | None = None
    duplicate: bool = False

    @property
    def final(self) -> bool:
        """Whether this status ends the call."""
        return self.status in FINAL_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data, numbers masked.

        The schema: ``chime-calls docs campaigns``."""
        return {
            "schema": SCHEMA,
            "status": self.status,
            "final": self.final,
            "correlation_id": self.correlation_id,
            "transaction_id": self.transaction_id,
            "time": self.time,
            "sequence": self.sequence,
            "sip_media_application_id": self.sip_media_application_id,
            "region": self.region,
            "to": _masked(self.to_number),
            "from": _masked(self.from_number),
            "meeting_id": self.meeting_id,
            "sip_response_code": self.sip_response_code,
            "reason": self.reason,
            "error_type": self.error_type,
            "ring_seconds": self.ring_seconds,
            "talk_seconds": self.talk_seconds,
            "duration_seconds": self.duration_seconds,
            "duplicate": self.duplicate,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusEvent:
        """Read an event back from ``to_dict`` (what a consumer of a sink receives).
        ``to_number`` and ``from_number`` are ``None``: the message only had their masked
        forms (``data["to"]``, ``data["from"]``)."""
        return cls(
            status=str(data["status"]),
            transaction_id=str(data["transaction_id"]),
            correlation_id=data.get("correlation_id"),
            time=float(data["time"]),
            sequence=data.get("sequence"),
            sip_media_application_id=data.get("sip_media_application_id"),
            region=data.get("region"),
            meeting_id=data.get("meeting_id"),
            sip_response_code=data.get("sip_response_code"),
            reason=data.get("reason"),
            error_type=data.get("error_type"),
            ring_seconds=data.get("ring_seconds"),
            talk_seconds=data.get("talk_seconds"),
            duration_seconds=data.get("duration_seconds"),
            duplicate=bool(data.get("duplicate", False)),
        )


#: A sink: any callable taking a ``StatusEvent`` (``chime_calls.sma.sinks`` has the AWS
#: ones). A sink that raises is logged and skipped; the call goes on.
StatusSink = Callable[[StatusEvent], object]


class StatusLedger(Protocol):
    """What the tracker needs of a call ledger (``chime_calls.ledger`` implements it)."""

    def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
        """Record that the application saw ``transaction_id`` start for ``correlation_id``;
        ``False`` when an earlier transaction already did (this call is a duplicate)."""
        ...

    def record_status(self, event: StatusEvent) -> None:
        """Keep the call's latest status."""
        ...


class StatusTracker:
    """Turns a call's invocation events into ``StatusEvent``s and publishes them.

    ``sinks`` each receive every event, in order; ``ledger`` records them too and catches
    duplicates: a second ``NEW_OUTBOUND_CALL`` for a correlation ID the ledger has seen is not
    handed to the application at all, and is hung up as soon as the service accepts actions
    (it ignores them on ``NEW_OUTBOUND_CALL`` and ``RINGING``, so the second phone does ring:
    the place side's ledger claim is what prevents that). ``clock`` (default: the active
    fake's clock, else the system's) stamps the events.
    """

    #: Where it logs (``chime_calls.sma`` unless given ``logger=``).
    logger = LoggerAttribute()

    def __init__(
        self,
        sinks: Iterable[StatusSink] = (),
        *,
        ledger: StatusLedger | None = None,
        clock: Clock | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.sinks = tuple(sinks)
        for sink in self.sinks:
            if not callable(sink):
                raise TypeError(f"a status sink must be callable, not {type(sink).__name__}")
        self.ledger = ledger
        self._clock = clock
        self.logger = logger

    def __repr__(self) -> str:
        return f"StatusTracker(sinks={len(self.sinks)}, ledger={self.ledger!r})"

    def now(self) -> float:
        if self._clock is not None:
            return self._clock.time()
        from chime_calls import _clock

        return _clock.current().time()

    def run(self, event: InvocationEvent, answer: Callable[[], Any]) -> Any:
        """Track ``event``, publish what it changed, and return ``answer()`` (the
        application's response) with the tracker's attributes merged in; a duplicate call is
        answered here instead (hung up), without calling ``answer``."""
        state = {k: v for k, v in event.transaction_attributes.items() if k.startswith(_PREFIX)}
        before = dict(state)
        events = self._observe(event, state)
        for status in events:
            self.publish(status)
        response = self._duplicate_answer(event) if state.get(_DUPLICATE) else answer()
        _note_response(response, state, event)
        if state == before and not before:
            return response
        return _merge(response, state, event)

    def publish(self, status: StatusEvent) -> None:
        """Send one event to the ledger and every sink; a failing one is logged and skipped."""
        if self.ledger is not None and not status.duplicate:
            self._guarded("ledger", self.ledger.record_status, status)
        for sink in self.sinks:
            self._guarded(type(sink).__name__, sink, status)

    def _guarded(self, name: str, target: Callable[[StatusEvent], object], status: Any) -> None:
        try:
            target(status)
        except Exception as exc:  # noqa: BLE001 - a sink must never take the call down
            self.logger.error(
                "call status %s of transaction %s not delivered to %s: %s",
                status.status,
                status.transaction_id,
                name,
                type(exc).__name__,
            )

    # --- what an invocation means ------------------------------------------------------------

    def _observe(self, event: InvocationEvent, state: dict[str, str]) -> list[StatusEvent]:
        kind = event.event_type
        now = self.now()
        out: list[StatusEvent] = []
        correlation = event.arguments.get(ARG_CORRELATION_ID) or state.get(_CORRELATION)
        if correlation and kind == EventType.NEW_OUTBOUND_CALL:
            state[_CORRELATION] = correlation
        if kind == EventType.NEW_OUTBOUND_CALL and _INITIATED not in state:
            state[_INITIATED] = _ms(now)
            if correlation and self.ledger is not None and not self._first(correlation, event):
                state[_DUPLICATE] = "1"
            out.append(self._event(event, state, CallStatus.INITIATED, now))
        elif kind == EventType.RINGING and _RINGING not in state:
            state[_RINGING] = _ms(now)
            out.append(self._event(event, state, CallStatus.RINGING, now))
        elif kind == EventType.CALL_ANSWERED and _ANSWERED not in state:
            state[_ANSWERED] = _ms(now)
            out.append(self._event(event, state, CallStatus.ANSWERED, now))
        elif kind in (EventType.ACTION_FAILED, EventType.INVALID_LAMBDA_RESPONSE):
            action = event.action_data.type if event.action_data is not None else None
            if kind == EventType.INVALID_LAMBDA_RESPONSE or action == "JoinChimeMeeting":
                state[_ERROR] = event.error_type or "unknown error"
                state.pop(_JOINING, None)
        leg_b = event.call_details.leg_b
        if (
            _JOINING in state
            and _JOINED not in state
            and leg_b is not None
            and leg_b.connected
            and _FINAL not in state
        ):
            state[_JOINED] = _ms(now)
            out.append(self._event(event, state, CallStatus.JOINED, now))
        if kind == EventType.HANGUP and _JOINED in state and _hangup_tag(event) == LEG_B:
            state[_MEETING_ENDED] = "1"
        if kind == EventType.HANGUP and _FINAL not in state and _leg_a_ended(event):
            final = self._final(event, state, now)
            state[_FINAL] = final.status
            out.append(final)
        return out

    def _first(self, correlation: str, event: InvocationEvent) -> bool:
        assert self.ledger is not None  # noqa: S101 - checked by the caller
        try:
            first = self.ledger.note_outbound(correlation, event.transaction_id)
        except Exception as exc:  # noqa: BLE001 - an unreachable ledger must not end the call
            self.logger.error(
                "dial-out %s (transaction %s): the ledger could not be asked whether the call "
                "is a duplicate (%s); handling it as the first",
                correlation,
                event.transaction_id,
                type(exc).__name__,
            )
            return True
        if not first:
            self.logger.warning(
                "dial-out %s (transaction %s): a call was already placed for this correlation "
                "ID; this one is hung up as soon as it is answered",
                correlation,
                event.transaction_id,
            )
        return first

    def _final(self, event: InvocationEvent, state: Mapping[str, str], now: float) -> StatusEvent:
        code = _sip_code(event)
        if _ANSWERED in state:
            if _MEETING_ENDED in state:
                reason = "the meeting leg ended"
            elif _HANGING_UP in state:
                reason = "hung up by the application"
            else:
                reason = "hung up by the callee"
            return self._event(
                event, state, CallStatus.COMPLETED, now, sip_response_code=code, reason=reason
            )
        if code in _BUSY_CODES:
            status, reason = CallStatus.BUSY, f"SIP {code}: busy or declined"
        elif code in _NO_ANSWER_CODES:
            status, reason = CallStatus.NO_ANSWER, f"SIP {code}: not answered"
        else:
            status = CallStatus.FAILED
            reason = f"SIP {code}: the call could not be completed" if code else "not connected"
        return self._event(event, state, status, now, sip_response_code=code, reason=reason)

    def _event(
        self,
        event: InvocationEvent,
        state: Mapping[str, str],
        status: str,
        now: float,
        **extra: Any,
    ) -> StatusEvent:
        details = event.call_details
        leg = details.leg_a
        started = _seconds(state.get(_INITIATED))
        if started is None and leg is not None and leg.start_time_ms is not None:
            started = leg.start_time_ms / 1000
        answered = _seconds(state.get(_ANSWERED))
        ring = talk = total = None
        if started is not None and status not in (CallStatus.INITIATED, CallStatus.RINGING):
            ring = _round((answered if answered is not None else now) - started)
        if status in FINAL_STATUSES:
            total = _round(now - started) if started is not None else None
            talk = _round(now - answered) if answered is not None else None
        if status == CallStatus.JOINED:
            ring = None
        return StatusEvent(
            status=status,
            transaction_id=event.transaction_id,
            correlation_id=state.get(_CORRELATION),
            time=now,
            sequence=event.sequence,
            sip_media_application_id=details.sip_media_application_id,
            region=details.aws_region,
            to_number=leg.to_number if leg is not None else None,
            from_number=leg.from_number if leg is not None else None,
            meeting_id=_meeting_id(event),
            error_type=state.get(_ERROR),
            ring_seconds=ring,
            talk_seconds=talk,
            duration_seconds=total,
            duplicate=bool(state.get(_DUPLICATE)),
            **extra,
        )

    def _duplicate_answer(self, event: InvocationEvent) -> dict[str, Any]:
        from chime_calls.sma.actions import Hangup, response

        if event.event_type in _NO_ACTIONS or not event.call_details.connected_legs:
            return response()
        leg = event.call_details.leg_a
        return response(Hangup(call_id=leg.call_id if leg is not None else None))


def track_status(
    handler: Callable[[Any, Any], Any],
    sinks: Iterable[StatusSink] = (),
    *,
    ledger: StatusLedger | None = None,
    clock: Clock | None = None,
    logger: logging.Logger | None = None,
) -> Callable[[Any, Any], Any]:
    """Wrap any SIP media application handler ``(event, context) -> response`` so each call
    it handles publishes its status events (and, with a ``ledger``, so a duplicate call never
    reaches it). An event that does not describe a call goes to ``handler`` untouched."""
    tracker = StatusTracker(sinks, ledger=ledger, clock=clock, logger=logger)

    def tracked(event: Any, context: Any = None) -> Any:
        try:
            parsed = parse_event(event)
        except InvalidEventError:
            return handler(event, context)
        return tracker.run(parsed, lambda: handler(event, context))

    tracked.tracker = tracker  # type: ignore[attr-defined]
    tracked.__wrapped__ = handler  # type: ignore[attr-defined]
    return tracked


# --- helpers -------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return str(round(seconds * 1000))


def _seconds(ms: str | None) -> float | None:
    if ms is None or not ms.isdigit():
        return None
    return int(ms) / 1000


def _round(seconds: float) -> float:
    return round(max(0.0, seconds), 3)


def _sip_code(event: InvocationEvent) -> int | None:
    if event.action_data is None:
        return None
    code = event.action_data.parameters.get("SipResponseCode")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    return int(code) if isinstance(code, str) and code.isdigit() else None


def _hangup_tag(event: InvocationEvent) -> str | None:
    """The leg a ``HANGUP`` reports on (``ActionData.Parameters.ParticipantTag``)."""
    if event.action_data is None:
        return None
    tag = event.action_data.parameters.get("ParticipantTag")
    return tag.upper() if isinstance(tag, str) else None


def _leg_a_ended(event: InvocationEvent) -> bool:
    """This ``HANGUP`` ends the callee's leg (or it had already ended)."""
    if _hangup_tag(event) == LEG_A:
        return True
    leg = event.call_details.leg_a
    return leg is None or not leg.connected


def _meeting_id(event: InvocationEvent) -> str | None:
    from chime_calls._contract import ARG_MEETING_ID

    return event.arguments.get(ARG_MEETING_ID) or event.transaction_attributes.get(ARG_MEETING_ID)


def _note_response(response: object, state: dict[str, str], event: InvocationEvent) -> None:
    """Remember what the application asked for: a join, or a hang-up of the callee's leg."""
    actions = response.get("Actions") if isinstance(response, Mapping) else None
    if not isinstance(actions, list):
        return
    leg_a = event.call_details.leg_a
    for action in actions:
        parameters = action.get("Parameters") if isinstance(action, Mapping) else None
        if not isinstance(parameters, Mapping):
            parameters = {}
        kind = action.get("Type") if isinstance(action, Mapping) else None
        if kind == "JoinChimeMeeting":
            state[_JOINING] = "1"
        elif kind == "Hangup":
            call_id = parameters.get("CallId")
            if call_id:
                ends_a = leg_a is not None and call_id == leg_a.call_id
            else:
                ends_a = parameters.get("ParticipantTag") in (None, "", LEG_A)
            if ends_a:
                state[_HANGING_UP] = "1"


def _merge(response: Any, state: Mapping[str, str], event: InvocationEvent) -> Any:
    """``response`` with the tracker's attributes in its ``TransactionAttributes``: the
    service replaces the stored set with what a response carries, so the stored ones are sent
    along when the application sent none."""
    if not isinstance(response, Mapping):
        return response
    given = response.get("TransactionAttributes")
    if given is None:
        merged = dict(event.transaction_attributes.reveal())
    elif isinstance(given, Mapping):
        merged = dict(given)
    else:
        return response
    merged.update(state)
    return {**response, "TransactionAttributes": merged}
