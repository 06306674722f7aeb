"""The fake's SIP media application: invokes a registered handler the way the service does.

Independent of HTTP: ``ChimeFake`` calls ``simulate_outbound_call``
when a ``CreateSipMediaApplicationCall`` lands on an application with a registered handler,
``simulate_update`` on ``UpdateSipMediaApplicationCall``, and the other ``simulate_*``
functions when a test presses digits, hangs up a leg or advances the clock. Sources, one AWS
Chime SDK developer guide page each: "Understanding telephony events", "Responding to
invocations with action lists", "Getting next actions from the Lambda function", "Updating
in-progress calls", "Using TransactionAttributes", "Ending a call", "Receiving caller input",
and each action's page (chime-calls docs sma and chime-calls docs testing link them).

The cadence is AWS's: **one invocation per action list**. The actions a handler returns run in
order; the Lambda is invoked again with ``ACTION_SUCCESSFUL`` (``ActionData`` of the last
action) once the whole list has run, with ``ACTION_FAILED`` as soon as one fails (the rest of
the list is dropped), or with ``HANGUP`` when a ``Hangup`` ends leg A. Other events arrive
between lists: ``CALL_UPDATE_REQUESTED``, ``DIGITS_RECEIVED`` (``ReceiveDigits``), ``HANGUP`` of
a leg hung up from the far side. An answer with actions to such an event replaces the actions
still queued; an empty one keeps them (the answer to ``HANGUP`` always replaces them). A
``RecordAudio`` in progress is interrupted (``ACTION_INTERRUPTED``, whose answer is ignored);
a digit gather is not interruptible: it finishes first, silently, then the new list runs.

What takes time: only what waits for the caller. The gather actions wait for
``simulate_digits`` or for their timeouts on the clock (``RepeatDurationInMilliseconds``
per attempt, ``InBetweenDigitsDurationInMilliseconds`` between digits, ``Repeat`` attempts);
``RecordAudio`` waits for a terminator digit or ``DurationInSeconds``; ``ReceiveDigits`` matches
an entry after ``InBetweenDigitsDurationInMilliseconds`` of quiet and discards it after
``FlushDigitsDurationInMilliseconds``. ``simulate_tick`` fires what is due. Speech, audio,
``Pause``, ``SendDigits`` and bridging complete at once; silence detection is not modelled.

Answers are checked like the service checks them: not a mapping, a ``SchemaVersion`` other than
``1.0``, more than 10 actions, an action type AWS does not document, more than 100
``TransactionAttributes`` (or over 20 KB), or a non-string attribute value get
``INVALID_LAMBDA_RESPONSE``; an action whose parameters break a documented constraint fails with
``ACTION_FAILED`` and AWS's error type (read with ``chime_calls.sma.parse_action``).
Answers to ``NEW_OUTBOUND_CALL``, ``RINGING`` and ``ACTION_INTERRUPTED`` are ignored (their
``TransactionAttributes`` are kept). More than ``MAX_EVENTS`` events ends the simulation
as ``"failed"``; so does a handler exception (kept on ``SmaCallRecord.error``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import io
import re
import uuid
import wave
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from chime_calls._clock import Clock, VirtualClock
from chime_calls.values import mask_phone_number

__all__ = [
    "DIAL_IN_NUMBER",
    "MAX_EVENTS",
    "Recording",
    "SmaCallRecord",
    "SmaEnvironment",
    "describe_action_error",
    "refusal",
    "simulate_digits",
    "simulate_inbound_call",
    "simulate_outbound_call",
    "simulate_remote_hangup",
    "simulate_tick",
    "simulate_update",
]

#: Invocations after which a call is declared stuck (a handler answering every event with
#: actions that fail forever). AWS allows 1,000 per call; a test needs far fewer.
MAX_EVENTS = 50
#: The ``To`` of the meeting leg after ``JoinChimeMeeting`` (its ``From`` is ``"SMA"``), as in
#: AWS's "Ending a call" example.
DIAL_IN_NUMBER = "+17035550122"

Handler = Callable[[dict[str, Any], Any], "dict[str, Any] | None"]
Join = Callable[[str | None, str], str | None]
BotAnswer = Mapping[str, Any] | Callable[[Mapping[str, Any]], Mapping[str, Any]]

_IGNORED_RESPONSES = frozenset({"NEW_OUTBOUND_CALL", "RINGING", "ACTION_INTERRUPTED"})
_MAX_ACTIONS = 10  # per response, as AWS documents
_HANGUP_CODES = {"busy": 486, "no-answer": 480, "failed": 503}
_INTERRUPTIBLE = frozenset({"PlayAudio", "RecordAudio", "Pause"})
_MISSING_TYPE = frozenset({"Speak", "SpeakAndGetDigits", "VoiceFocus"})
_LEG_MESSAGE = "CallId or ParticipantTag parameter for the action is invalid."
# Error types and messages AWS documents for particular parameters ("Debugging unexpected
# ACTION_FAILED events" and the action pages); any other bad parameter gets
# InvalidActionParameter naming the member.
_DOCUMENTED_ERRORS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("CallAndBridge", "caller_id_number"): ("InvalidActionParameter", "Invalid caller ID."),
    ("CallAndBridge", "endpoints"): ("InvalidActionParameter", "Endpoint parameter is invalid."),
    ("CallAndBridge", "call_timeout_seconds"): (
        "InvalidActionParameter",
        "MaxCallTimeout parameter is invalid. Timeout must be between 0 and 120 seconds.",
    ),
    ("CallAndBridge", "ringback_tone"): (
        "InvalidAudioSource",
        "Ringtone parameter value is invalid.",
    ),
    ("PlayAudio", "audio_source"): (
        "InvalidAudioSource",
        "Audio Source parameter value is invalid.",
    ),
    ("PlayAudioAndGetDigits", "audio_source"): (
        "InvalidAudioSource",
        "Audio Source parameter value is invalid.",
    ),
    ("PlayAudioAndGetDigits", "failure_audio_source"): (
        "InvalidAudioSource",
        "Audio Source parameter value is invalid.",
    ),
    ("JoinChimeMeeting", "join_token"): (
        "InvalidActionParameter",
        "JoinToken parameter value is invalid.",
    ),
    ("SendDigits", "tone_duration_ms"): (
        "InvalidActionParameter",
        "ToneDuration parameter value is invalid.",
    ),
    ("ModifyChimeMeetingAttendees", "operation"): (
        "InvalidActionParameter",
        "The ModifyChimeMeetingAttendees Operation parameter value is invalid",
    ),
    ("ModifyChimeMeetingAttendees", "meeting_id"): (
        "InvalidActionParameter",
        "Meeting ID parameter value is invalid.",
    ),
    ("ModifyChimeMeetingAttendees", "attendee_list"): (
        "InvalidActionParameter",
        "Attendee List parameter value is invalid.",
    ),
}


def _count(value: Sequence[Any]) -> str:
    return f"<{len(value)}>"


def _masked_number(value: str) -> str:
    return repr(mask_phone_number(value))


def _hidden_map(value: Mapping[str, str]) -> str:
    return f"<{len(value)} redacted entries>"


@attrs.frozen(kw_only=True)
class Recording:
    """An audio file the fake delivered the way AWS would (``RecordAudio`` or
    ``StartCallRecording``): a silent WAV of the recorded (virtual) duration at
    ``s3://bucket/key``. ``stored_in`` says where it really went: ``"s3"`` (written with a
    boto3 S3 client, which moto's ``mock_aws`` served) or ``"memory"`` (moto was not active,
    so nothing left the process: only ``body`` holds it)."""

    action: str
    transaction_id: str
    call_id: str
    bucket: str
    key: str
    stored_in: str
    duration_seconds: float
    body: bytes = attrs.field(repr=False)
    metadata: Mapping[str, str] = attrs.field(factory=dict, repr=False)

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


#: Where recordings go: the delivered ``Recording`` (``stored_in`` set), or AWS's error
#: type when the destination cannot be written.
Store = Callable[[Recording], "Recording | str"]


def _keep(recording: Recording) -> Recording | str:
    return attrs.evolve(recording, stored_in="memory")


@attrs.define(kw_only=True)
class SmaEnvironment:
    """What the simulated application can see of the rest of the fake.

    ``join(meeting_id, join_token)`` says why a token cannot join (``None``: it can);
    ``attendees(meeting_id)`` lists a live meeting's attendee IDs (``None``: no such meeting);
    ``bots`` maps Lex bot alias ARNs to the ``IntentResult`` their conversation ends with (or a
    function of the action's parameters returning it); ``store(recording)`` delivers a
    recording (returning it with ``stored_in`` set) or names AWS's error type;
    ``bucket_ok(region, bucket)`` says whether a recording destination is reachable;
    ``fail(action)`` makes an action fail with ``(error type, message)`` whatever its parameters
    (``None``: it runs), as a service-side failure would (``chime-calls sma check`` uses it).
    """

    clock: Clock = attrs.field(factory=VirtualClock)
    join: Join = attrs.field(default=lambda meeting_id, token: "no meetings in this fake")
    attendees: Callable[[str], frozenset[str] | None] = attrs.field(default=lambda _: None)
    bots: Mapping[str, BotAnswer] = attrs.field(factory=dict)
    store: Store = _keep
    bucket_ok: Callable[[str, str], bool] = attrs.field(default=lambda region, bucket: True)
    fail: Callable[[Mapping[str, Any]], tuple[str, str] | None] = attrs.field(
        default=lambda action: None
    )


@attrs.frozen(kw_only=True)
class SmaCallRecord:
    """What the simulated SIP media application did with one placed call.

    ``outcome``: ``"ringing"`` (the callee has not picked up yet: a
    ``chime_calls.testing.ChimeFake.callee_rule`` with ``ring_seconds``), ``"joined"``
    (in the meeting now), ``"hung-up"`` (every leg ended),
    ``"unanswered"`` (busy or no answer: ``reason`` says which), ``"connected"`` (answered, not
    in a meeting, nothing failed), ``"failed"`` (an action failed and the call stayed up without
    joining, the handler raised or answered invalidly, the loop guard fired, or the meeting leg
    was left up after the callee's leg ended).
    ``joined_meeting_id`` is the meeting the callee joined (kept after a hang-up; ``None`` if the
    ``JoinChimeMeeting`` named no meeting). ``reason`` is the first thing that went wrong.
    ``events`` / ``actions`` are every event sent and every action returned, in order (they hold
    join tokens and numbers, so the repr shows only their number); ``spoken`` the texts that
    were spoken (``Speak`` and the gather prompts); ``played`` the ``s3://`` audio that ran;
    ``received_digits`` every ``ReceivedDigits`` delivered; ``recordings`` the files delivered;
    ``muted`` the attendees a ``ModifyChimeMeetingAttendees`` left muted; ``waiting_for`` the
    action that waits for the caller (digits, a recording), if any.
    """

    transaction_id: str
    sip_media_application_id: str
    outcome: str
    joined_meeting_id: str | None = None
    reason: str | None = None
    events: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=_count)
    actions: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=_count)
    spoken: tuple[str, ...] = ()
    played: tuple[str, ...] = ()
    received_digits: tuple[str, ...] = attrs.field(default=(), repr=_count)
    recordings: tuple[Recording, ...] = ()
    muted: frozenset[str] = frozenset()
    waiting_for: str | None = None
    in_meeting: bool = False
    ended: bool = False
    region: str = ""
    account_id: str = ""
    from_number: str = attrs.field(default="", repr=_masked_number)
    to_number: str = attrs.field(default="", repr=_masked_number)
    transaction_attributes: Mapping[str, str] = attrs.field(factory=dict, repr=_hidden_map)
    participants: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=False)
    error: BaseException | None = attrs.field(default=None, repr=False, eq=False)
    state: Any = attrs.field(default=None, repr=False, eq=False)

    @property
    def event_types(self) -> tuple[str, ...]:
        """``InvocationEventType`` of every event, in order: handy in assertions."""
        return tuple(str(e.get("InvocationEventType")) for e in self.events)

    @property
    def sequences(self) -> tuple[int, ...]:
        """``Sequence`` of every event, in order."""
        return tuple(int(e.get("Sequence", 0)) for e in self.events)


class _Stop(Exception):  # noqa: N818 - control flow inside the simulation only
    """The simulation ends (handler raised, loop guard)."""


@attrs.define(eq=False)
class _Gather:
    """A ``PlayAudioAndGetDigits`` / ``SpeakAndGetDigits`` waiting for the caller."""

    action: Any
    data: dict[str, Any]
    call_id: str
    deadline: float
    attempt: int = 1
    buffer: str = ""
    digit_deadline: float | None = None
    interruptible: bool = False


@attrs.define(eq=False)
class _Record:
    """A ``RecordAudio`` waiting for a terminator or its duration."""

    action: Any
    data: dict[str, Any]
    call_id: str
    started: float
    deadline: float | None
    interruptible: bool = True


@attrs.define(eq=False)
class _Listener:
    """A ``ReceiveDigits`` listening in the background."""

    action: Any
    data: dict[str, Any]
    buffer: str = ""
    quiet_deadline: float | None = None
    flush_deadline: float | None = None


@attrs.define(eq=False)
class _CallRecording:
    """A ``StartCallRecording`` session on one leg."""

    track: str
    bucket: str
    key: str
    started: float
    paused: bool = False
    stopped: bool = False


_Outcome = tuple[str, dict[str, Any] | None]  # ("ok" | "failed" | "hangup" | "wait", data)


@attrs.define(eq=False)
class _Call:
    """Mutable state of one simulated call (kept on ``SmaCallRecord.state``)."""

    handler: Handler
    env: SmaEnvironment
    transaction_id: str
    sip_media_application_id: str
    region: str
    account_id: str
    from_number: str
    to_number: str
    participants: list[dict[str, Any]]
    sip_rule_id: str | None = None
    transaction_attributes: dict[str, str] = attrs.field(factory=dict)
    events: list[dict[str, Any]] = attrs.field(factory=list)
    actions: list[dict[str, Any]] = attrs.field(factory=list)
    spoken: list[str] = attrs.field(factory=list)
    played: list[str] = attrs.field(factory=list)
    received_digits: list[str] = attrs.field(factory=list)
    recordings: list[Recording] = attrs.field(factory=list)
    muted: set[str] = attrs.field(factory=set)
    joined_meeting_id: str | None = None
    in_meeting: bool = False
    ended: bool = False
    unanswered: bool = False
    failed: bool = False
    reason: str | None = None
    error: BaseException | None = None
    queue: list[dict[str, Any]] = attrs.field(factory=list)
    current: _Gather | _Record | None = None
    orphaned: bool = False
    listeners: dict[str, _Listener] = attrs.field(factory=dict)
    call_recordings: dict[str, _CallRecording] = attrs.field(factory=dict)
    at: float | None = None  # the simulated instant while timers fire in order
    # the callee's behaviour on the clock (ChimeFake.callee_rule): when the phone is picked up
    # (or gives up ringing) and how it ends, and when an answered callee hangs up
    pickup: tuple[float, str] | None = None
    talk_seconds: float | None = None
    leaves_at: float | None = None

    # --- the record ------------------------------------------------------------------------

    def record(self) -> SmaCallRecord:
        return SmaCallRecord(
            transaction_id=self.transaction_id,
            sip_media_application_id=self.sip_media_application_id,
            outcome=self._outcome(),
            joined_meeting_id=self.joined_meeting_id,
            reason=self.reason,
            events=tuple(copy.deepcopy(self.events)),
            actions=tuple(copy.deepcopy(self.actions)),
            spoken=tuple(self.spoken),
            played=tuple(self.played),
            received_digits=tuple(self.received_digits),
            recordings=tuple(self.recordings),
            muted=frozenset(self.muted),
            waiting_for=None if self.current is None else str(self.current.data["Type"]),
            in_meeting=self.in_meeting,
            ended=self.ended,
            region=self.region,
            account_id=self.account_id,
            from_number=self.from_number,
            to_number=self.to_number,
            transaction_attributes=dict(self.transaction_attributes),
            participants=tuple(copy.deepcopy(self.participants)),
            error=self.error,
            state=self,
        )

    def _outcome(self) -> str:  # noqa: PLR0911 - one per outcome
        if self.pickup is not None:
            return "ringing"
        if self.error is not None or self.failed:
            return "failed"
        if self.unanswered:
            return "unanswered"
        if self.ended:
            return "hung-up"
        if self.dangling():
            return "failed"
        if self.in_meeting:
            return "joined"
        return "failed" if self.reason is not None else "connected"

    def note(self, reason: str) -> None:
        """Remember the first thing that went wrong."""
        if self.reason is None:
            self.reason = reason

    @property
    def now(self) -> float:
        return self.env.clock.now() if self.at is None else self.at

    # --- legs ------------------------------------------------------------------------------

    def leg(self, tag: str) -> dict[str, Any] | None:
        return next((p for p in self.participants if p["ParticipantTag"] == tag), None)

    def leg_for(self, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
        """The leg an action names: ``CallId``, else ``ParticipantTag``, else the invoked leg
        (``LEG-A``: the fake plays the application's own calls)."""
        call_id = parameters.get("CallId")
        if call_id not in (None, ""):
            return next((p for p in self.participants if p["CallId"] == call_id), None)
        return self.leg(str(parameters.get("ParticipantTag") or "LEG-A"))

    def by_call_id(self, call_id: str) -> dict[str, Any] | None:
        return next((p for p in self.participants if p["CallId"] == call_id), None)

    def connected(self) -> list[dict[str, Any]]:
        return [p for p in self.participants if p.get("Status") == "Connected"]

    def disconnect(self, leg: dict[str, Any]) -> None:
        """One leg ends: what ran on it stops, its call recording is delivered; the call ends
        with its last connected leg."""
        leg["Status"] = "Disconnected"
        if leg["ParticipantTag"] == "LEG-B":
            self.in_meeting = False
        self.listeners.pop(leg["CallId"], None)
        if self.current is not None and self.current.call_id == leg["CallId"]:
            if isinstance(self.current, _Record):
                self._deliver_recording(self.current)
            self.current = None
            self.orphaned = False
        recording = self.call_recordings.get(leg["CallId"])
        if recording is not None and not recording.stopped:
            self._deliver_call_recording(leg["CallId"], recording)
        self.ended = not self.connected()
        if self.ended:
            self.queue = []

    def dangling(self) -> bool:
        """Leg A ended but another leg (the meeting leg) is still up, and billed."""
        leg_a = self.leg("LEG-A")
        return bool(leg_a and leg_a.get("Status") == "Disconnected" and self.connected())

    def settle(self) -> None:
        if self.dangling():
            self.note("LEG-A ended but the handler left LEG-B connected")

    def add_leg(self, tag: str, *, to_number: str, from_number: str) -> dict[str, Any]:
        self.participants = [p for p in self.participants if p["ParticipantTag"] != tag]
        leg = _participant(
            tag,
            to_number=to_number,
            from_number=from_number,
            status="Connected",
            direction="Outbound",
            now=self.now,
        )
        self.participants.append(leg)
        return leg

    # --- invoking the handler --------------------------------------------------------------

    def invoke(
        self, event_type: str, action_data: Mapping[str, Any] | None = None, **top: Any
    ) -> object:
        """Send one event; return the handler's answer."""
        if len(self.events) >= MAX_EVENTS:
            self.note(f"loop guard: more than {MAX_EVENTS} events without the call settling")
            self.failed = True
            raise _Stop
        details: dict[str, Any] = {
            "TransactionId": self.transaction_id,
            "AwsAccountId": self.account_id,
            "AwsRegion": self.region,
            "SipMediaApplicationId": self.sip_media_application_id,
            "Participants": copy.deepcopy(self.participants),
        }
        if self.sip_rule_id is not None:
            details["SipRuleId"] = self.sip_rule_id
        if self.transaction_attributes:
            details["TransactionAttributes"] = dict(self.transaction_attributes)
        event: dict[str, Any] = {
            "SchemaVersion": "1.0",
            "Sequence": len(self.events) + 1,
            "InvocationEventType": event_type,
        }
        if action_data is not None:
            event["ActionData"] = copy.deepcopy(dict(action_data))
        event.update(top)
        event["CallDetails"] = details
        self.events.append(copy.deepcopy(event))
        try:
            return self.handler(event, _LambdaContext())
        except Exception as exc:  # recorded on the record; the fake decides whether to raise
            self.error = exc
            self.note(f"handler raised {type(exc).__name__}")
            raise _Stop from exc

    def refusal(self, answer: object) -> tuple[str, str] | None:
        """Why the service refuses an answer (error type and message), or ``None``."""
        return refusal(answer)

    def accept(self, answer: object, event_type: str) -> list[dict[str, Any]] | None:
        """The actions of a handler's answer; ``None`` for an answer to ignore. An invalid
        answer is met with ``INVALID_LAMBDA_RESPONSE`` until the handler answers validly."""
        ignored = event_type in _IGNORED_RESPONSES or (
            event_type == "HANGUP" and not self.connected()
        )
        while True:
            if answer is None:
                return None if ignored else []
            if isinstance(answer, Mapping):
                listed = answer.get("Actions")
                if isinstance(listed, list):
                    self.actions.extend(
                        copy.deepcopy(dict(a)) for a in listed if isinstance(a, Mapping)
                    )
            why = self.refusal(answer)
            if why is None:
                assert isinstance(answer, Mapping)  # noqa: S101 - refusal() checked it
                attributes = answer.get("TransactionAttributes")
                if attributes is not None:  # {} clears them, as AWS documents
                    self.transaction_attributes = dict(attributes)
                return None if ignored else [dict(a) for a in answer.get("Actions", [])]
            if ignored:
                return None
            self.note(f"INVALID_LAMBDA_RESPONSE: {why[0]}")
            answer = self.invoke("INVALID_LAMBDA_RESPONSE", ErrorType=why[0], ErrorMessage=why[1])
            event_type = "INVALID_LAMBDA_RESPONSE"

    def notify(
        self, event_type: str, action_data: Mapping[str, Any] | None = None, **top: Any
    ) -> None:
        """Send an event and take in the answer; ``run`` then runs it."""
        actions = self.accept(self.invoke(event_type, action_data, **top), event_type)
        if actions is None or (not actions and event_type != "HANGUP"):
            return  # nothing new: what was queued goes on
        self.queue = actions
        current = self.current
        if current is None:
            return
        if current.interruptible:
            self.current = None
            if isinstance(current, _Record):
                self._deliver_recording(current)
            self.notify("ACTION_INTERRUPTED", current.data)
        else:
            self.orphaned = True  # it finishes first; its list was replaced, so no event

    def run(self) -> None:
        """Run queued actions until the list is done, something waits, or the call ended."""
        while not self.ended and self.current is None and self.queue:
            action = self.queue.pop(0)
            kind, data = self.apply(action)
            if kind != "wait":
                self.complete(kind, data)

    def complete(self, kind: str, data: Mapping[str, Any] | None) -> None:
        """An action finished: the list goes on, or the Lambda hears how it ended."""
        if kind == "ok" and self.queue:
            return
        if kind != "ok":
            self.queue = []
        event = {"ok": "ACTION_SUCCESSFUL", "failed": "ACTION_FAILED", "hangup": "HANGUP"}[kind]
        self.notify(event, data)

    def finish_current(self, kind: str, data: dict[str, Any]) -> None:
        """The waiting action is done (digits, a recording, a timeout)."""
        self.current = None
        if self.orphaned:
            self.orphaned = False
        else:
            self.complete(kind, data)
        self.run()

    # --- actions ---------------------------------------------------------------------------

    def apply(self, action: Mapping[str, Any]) -> _Outcome:
        """Run one action: done (``ok`` / ``failed`` / ``hangup``) or waiting (``wait``)."""
        from chime_calls.errors import ValidationError
        from chime_calls.sma.actions import parse_action

        kind = str(action["Type"])
        raw = action.get("Parameters")
        parameters: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
        data: dict[str, Any] = {"Type": kind, "Parameters": parameters}
        try:
            typed = parse_action(action)
        except ValidationError as exc:
            return self._failed(data, *describe_action_error(kind, exc))
        leg = self.leg_for(parameters)
        if leg is None or leg.get("Status") != "Connected":
            return self._failed(data, "InvalidActionParameter", _LEG_MESSAGE)
        if parameters.get("ParticipantTag") == "":
            parameters["ParticipantTag"] = leg["ParticipantTag"]  # AWS echoes the real tag
        forced = self.env.fail(action)
        if forced is not None:
            return self._failed(data, *forced)
        runner = getattr(self, f"_run_{kind}", None)
        if runner is None:
            return "ok", data
        outcome: _Outcome = runner(typed, data, leg)
        return outcome

    def _failed(
        self, data: dict[str, Any], error_type: str, message: str, why: str | None = None
    ) -> _Outcome:
        self.note(f"ACTION_FAILED: {error_type}" + (f" ({why})" if why else ""))
        return "failed", {**data, "ErrorType": error_type, "ErrorMessage": message}

    def _run_JoinChimeMeeting(  # noqa: N802 - named after the action
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        leg_b = self.leg("LEG-B")
        if leg_b is not None and leg_b.get("Status") == "Connected":
            return self._failed(data, "InvalidActionParameter", "Invalid action on the call.")
        why = self.env.join(action.meeting_id, action.join_token.reveal())
        if why is not None:
            return self._failed(
                data, "InvalidActionParameter", "JoinToken parameter value is invalid.", why
            )
        self.joined_meeting_id = action.meeting_id
        self.in_meeting = True
        self.add_leg("LEG-B", to_number=DIAL_IN_NUMBER, from_number="SMA")
        return "ok", data

    def _run_Hangup(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        self.disconnect(leg)
        if leg["ParticipantTag"] == "LEG-B":
            return "ok", data
        return "hangup", _hangup_data(leg, action.sip_response_code)

    def _run_Speak(self, action: Any, data: dict[str, Any], leg: dict[str, Any]) -> _Outcome:  # noqa: N802
        self.spoken.append(action.text)
        return "ok", data

    def _run_PlayAudio(self, action: Any, data: dict[str, Any], leg: dict[str, Any]) -> _Outcome:  # noqa: N802
        self.played.append(_uri(action.audio_source))
        data["Parameters"].setdefault(
            "Repeat", 1
        )  # AWS echoes the default (TransactionAttributes page)
        return "ok", data

    def _run_CallAndBridge(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        from chime_calls.testing._faults import MagicNumbers

        endpoint = action.endpoints[0]
        if endpoint.uri in (MagicNumbers.BUSY, MagicNumbers.NO_ANSWER):
            return self._failed(data, "CallNotAnswered", "Call not answered")
        self.add_leg("LEG-B", to_number=endpoint.uri, from_number=action.caller_id_number.reveal())
        return "ok", data

    def _run_ModifyChimeMeetingAttendees(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        if not self.in_meeting:
            return self._failed(
                data, "InvalidActionParameter", "Call is not connected to Chime Meeting."
            )
        if action.meeting_id != self.joined_meeting_id:
            return self._failed(
                data, "InvalidActionParameter", "Meeting ID parameter value is invalid."
            )
        known = self.env.attendees(action.meeting_id) or frozenset()
        if not all(attendee in known for attendee in action.attendee_list):
            failed = self._failed(
                data,
                "InvalidActionParameter",
                "One or more attendees are not part of this meeting. All attendees must be "
                "part of this meeting.",
            )
            assert failed[1] is not None  # noqa: S101
            failed[1]["ErrorList"] = []  # as in AWS's example failure event
            return failed
        if action.operation == "Mute":
            self.muted.update(action.attendee_list)
        else:
            self.muted.difference_update(action.attendee_list)
        return "ok", data

    def _run_StartBotConversation(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        data = {"CallId": leg["CallId"], **data}
        leg_b = self.leg("LEG-B")
        if self.in_meeting or (leg_b is not None and leg_b.get("Status") == "Connected"):
            return self._failed(data, "InvalidActionParameter", "Invalid action on the call.")
        bot = self.env.bots.get(action.bot_alias_arn)
        if bot is None:
            return self._failed(data, "ResourceNotFound", "A specified bot is not found.")
        result = dict(bot(data["Parameters"]) if callable(bot) else bot)
        data["IntentResult"] = {"SessionId": leg["CallId"], **result}
        return "ok", data

    # digits -------------------------------------------------------------------------------

    def _run_PlayAudioAndGetDigits(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        return self._gather(action, data, leg)

    def _run_SpeakAndGetDigits(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        return self._gather(action, data, leg)

    def _gather(self, action: Any, data: dict[str, Any], leg: dict[str, Any]) -> _Outcome:
        self._prompt(action, failure=False)
        self.current = _Gather(
            action=action,
            data=data,
            call_id=leg["CallId"],
            deadline=self.now + action.repeat_duration_ms / 1000,
        )
        return "wait", None

    def _prompt(self, action: Any, *, failure: bool) -> None:
        if action.type == "SpeakAndGetDigits":
            self.spoken.append((action.failure_speech if failure else action.speech).text)
        else:
            self.played.append(
                _uri(action.failure_audio_source if failure else action.audio_source)
            )

    def _run_ReceiveDigits(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        self.listeners[leg["CallId"]] = _Listener(action=action, data=copy.deepcopy(data))
        return "ok", {**data, "ReceivedDigits": ""}  # as in AWS's "Receiving caller input"

    def digit(self, call_id: str, digit: str) -> None:
        """The caller on ``call_id`` presses ``digit`` now."""
        current = self.current
        if isinstance(current, _Gather) and current.call_id == call_id:
            self._gather_digit(current, digit)
        elif isinstance(current, _Record) and current.call_id == call_id:
            if digit in current.action.recording_terminators:
                self._finish_recording(current)
        elif call_id in self.listeners:
            listener = self.listeners[call_id]
            if not listener.buffer:
                listener.flush_deadline = self.now + listener.action.flush_digits_ms / 1000
            listener.buffer += digit
            listener.quiet_deadline = self.now + listener.action.in_between_digits_ms / 1000
        # Otherwise the service discards it (no gather and no ReceiveDigits on that leg).

    def _gather_digit(self, gather: _Gather, digit: str) -> None:
        action = gather.action
        if digit in action.effective_terminators:
            self._end_attempt(gather)
            return
        gather.buffer += digit
        gather.digit_deadline = self.now + action.effective_in_between_ms / 1000
        if len(gather.buffer) >= action.effective_max:
            self._end_attempt(gather)

    def _end_attempt(self, gather: _Gather) -> None:
        action, entered = gather.action, gather.buffer
        regex = action.input_digits_regex
        valid = (
            bool(entered)
            and action.effective_min <= len(entered) <= action.effective_max
            and (regex is None or re.fullmatch(regex, entered) is not None)
        )
        if valid:
            self.received_digits.append(entered)
            self.finish_current("ok", {**gather.data, "ReceivedDigits": entered})
            return
        self._prompt(action, failure=True)
        if gather.attempt >= action.attempts:
            error = ("InvalidDigitsReceived", "Invalid digits received.")
            if not entered:
                error = ("InputTimeLimitExceeded", "Input time limit exceeded.")
            self.note(f"ACTION_FAILED: {error[0]}")
            self.finish_current(
                "failed", {**gather.data, "ErrorType": error[0], "ErrorMessage": error[1]}
            )
            return
        gather.attempt += 1
        gather.buffer = ""
        gather.digit_deadline = None
        gather.deadline = self.now + action.repeat_duration_ms / 1000
        self._prompt(action, failure=False)

    def tick(self) -> None:
        """Fire what is due on the clock, in time order (attempt and digit timeouts,
        recording durations, ``ReceiveDigits`` timers), each at its own instant."""
        target = self.env.clock.now()
        while not self.ended:
            due = self._next_due()
            if due is None or due[0] > target:
                return
            self.at = due[0]
            try:
                due[1]()
            finally:
                self.at = None

    def _next_due(self) -> tuple[float, Callable[[], None]] | None:
        timers: list[tuple[float, Callable[[], None]]] = []
        if self.pickup is not None:
            due_at, answer = self.pickup
            timers.append((due_at, functools.partial(self._pick_up, answer)))
        if self.leaves_at is not None:
            timers.append((self.leaves_at, self._callee_leaves))
        current = self.current
        if isinstance(current, _Gather):
            due = current.digit_deadline if current.buffer else current.deadline
            if due is not None:
                timers.append((due, lambda: self._end_attempt(current)))
        elif isinstance(current, _Record) and current.deadline is not None:
            timers.append((current.deadline, lambda: self._finish_recording(current)))
        for call_id, listener in self.listeners.items():
            deadlines = [d for d in (listener.quiet_deadline, listener.flush_deadline) if d]
            if deadlines and listener.buffer:
                timers.append((min(deadlines), functools.partial(self._listen, call_id, listener)))
        return min(timers, key=lambda t: t[0]) if timers else None

    def due(self, now: float) -> bool:
        """Whether a timer of this call falls due by ``now``."""
        upcoming = None if self.ended else self._next_due()
        return upcoming is not None and upcoming[0] <= now

    def _pick_up(self, answer: str) -> None:
        """The phone stops ringing: the callee answers, or the call ends unanswered."""
        self.pickup = None
        leg_a = self.participants[0]
        if answer == "answered":
            leg_a["Status"] = "Connected"
            if self.talk_seconds is not None:
                self.leaves_at = self.now + self.talk_seconds
            self.notify("CALL_ANSWERED")
            self.run()
            return
        leg_a["Status"] = "Disconnected"
        self.ended = True
        self.unanswered = answer != "failed"
        self.failed = answer == "failed"
        self.note(answer if answer != "failed" else "call failed")
        self.notify("HANGUP", _hangup_data(leg_a, _HANGUP_CODES[answer]))

    def _callee_leaves(self) -> None:
        """An answered callee hangs up after talking for ``talk_seconds``."""
        self.leaves_at = None
        leg_a = self.leg("LEG-A")
        if leg_a is None or leg_a.get("Status") != "Connected":
            return
        self.disconnect(leg_a)
        self.notify("HANGUP", _hangup_data(leg_a, 0))
        self.run()

    def _listen(self, call_id: str, listener: _Listener) -> None:
        """A ``ReceiveDigits`` timer fired: the entry so far matches (``DIGITS_RECEIVED``) or is
        discarded."""
        entered = listener.buffer
        listener.buffer, listener.quiet_deadline, listener.flush_deadline = "", None, None
        if re.fullmatch(listener.action.input_digits_regex, entered) is None:
            return  # not an entry the application asked for: discarded
        self.received_digits.append(entered)
        self.notify("DIGITS_RECEIVED", {**listener.data, "ReceivedDigits": entered})
        self.run()

    # recording ----------------------------------------------------------------------------

    def _run_RecordAudio(self, action: Any, data: dict[str, Any], leg: dict[str, Any]) -> _Outcome:  # noqa: N802
        seconds = action.duration_seconds
        self.current = _Record(
            action=action,
            data=data,
            call_id=leg["CallId"],
            started=self.now,
            deadline=None if seconds is None else self.now + seconds,
        )
        return "wait", None

    def _deliver_recording(self, state: _Record) -> tuple[str, str | None]:
        """Store what ``RecordAudio`` recorded so far: its key, and AWS's error type if the
        destination refused it."""
        action = state.action
        count = sum(1 for r in self.recordings if r.action == "RecordAudio") + 1
        name = f"{state.call_id}-recording-{count}.wav"
        key = f"{action.prefix.rstrip('/')}/{name}" if action.prefix else name
        made = self._recording(
            "RecordAudio", state.call_id, action.bucket_name, key, state.started, "INCOMING"
        )
        return key, self._store(made)

    def _store(self, recording: Recording) -> str | None:
        delivered = self.env.store(recording)
        if isinstance(delivered, str):
            return delivered
        self.recordings.append(delivered)
        return None

    def _finish_recording(self, state: _Record) -> None:
        key, error = self._deliver_recording(state)
        if error is not None:
            self.note(f"ACTION_FAILED: {error}")
            failure = {"ErrorType": error, "ErrorMessage": "Error while accessing destination"}
            self.finish_current("failed", {**state.data, **failure})
            return
        destination = {"Type": "S3", "BucketName": state.action.bucket_name, "Key": key}
        self.finish_current("ok", {**state.data, "RecordingDestination": destination})

    def _recording(  # noqa: PLR0917 - private, called twice
        self, kind: str, call_id: str, bucket: str, key: str, started: float, track: str
    ) -> Recording:
        duration = max(0.0, self.now - started)
        return Recording(
            action=kind,
            transaction_id=self.transaction_id,
            call_id=call_id,
            bucket=bucket,
            key=key,
            stored_in="pending",
            duration_seconds=duration,
            body=_silent_wav(duration, channels=2 if track == "BOTH" else 1),
            metadata={
                "transaction-id": self.transaction_id,
                "call-id": call_id,
                "recording-duration": f"{duration:.3f}",
                "recording-audio-file-format": "audio/wav",
            },
        )

    def _run_StartCallRecording(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        if leg["CallId"] in self.call_recordings:  # AWS: "only start and stop ... once"
            return self._failed(
                data, "InvalidActionParameter", "CallId parameter for action is invalid"
            )
        bucket, _, prefix = action.location.partition("/")
        if not self.env.bucket_ok(self.region, bucket):
            return self._failed(data, "NoAccessToDestination", "Error while accessing destination")
        started = datetime.datetime.fromtimestamp(self.now, tz=datetime.timezone.utc)
        stamp = started.strftime("%Y-%m-%d-%H-%M-%S-") + f"{started.microsecond // 1000:03d}"
        key = (
            f"{prefix.strip('/') or 'Amazon-Chime-SMA-Call-Recordings'}/"
            f"{started:%Y/%m/%d}/{stamp}_{self.transaction_id}_{leg['CallId']}.wav"
        )
        self.call_recordings[leg["CallId"]] = _CallRecording(
            track=action.track, bucket=bucket, key=key, started=self.now
        )
        return "ok", {
            **data,
            "CallRecordingDestination": {"Type": "S3", "Location": f"{bucket}/{key}"},
        }

    def _recording_on(self, data: dict[str, Any], leg: dict[str, Any]) -> _CallRecording | None:
        recording = self.call_recordings.get(leg["CallId"])
        return None if recording is None or recording.stopped else recording

    def _run_StopCallRecording(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        recording = self._recording_on(data, leg)
        if recording is None:
            return self._failed(
                data, "InvalidActionParameter", "CallId parameter for action is invalid"
            )
        self._deliver_call_recording(leg["CallId"], recording)
        return "ok", data

    def _run_PauseCallRecording(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        return self._toggle(data, leg, paused=True)

    def _run_ResumeCallRecording(  # noqa: N802
        self, action: Any, data: dict[str, Any], leg: dict[str, Any]
    ) -> _Outcome:
        return self._toggle(data, leg, paused=False)

    def _toggle(self, data: dict[str, Any], leg: dict[str, Any], *, paused: bool) -> _Outcome:
        recording = self._recording_on(data, leg)
        if recording is None:
            return self._failed(
                data, "InvalidActionParameter", "CallId parameter for action is invalid"
            )
        recording.paused = paused
        return "ok", data

    def _deliver_call_recording(self, call_id: str, recording: _CallRecording) -> None:
        recording.stopped = True
        made = self._recording(
            "StartCallRecording",
            call_id,
            recording.bucket,
            recording.key,
            recording.started,
            recording.track,
        )
        if self._store(made) is not None:
            self.note("call recording could not be delivered")


def refusal(answer: object) -> tuple[str, str] | None:  # noqa: PLR0911 - one per rule
    """Why the service refuses a handler's answer (error type and message), or ``None``."""
    from chime_calls.sma.actions import ACTION_TYPES, attributes_violations

    if not isinstance(answer, Mapping):
        return "InvalidResponse", "Invalid Lambda response"
    if answer.get("SchemaVersion") != "1.0":
        return "SchemaVersionMismatch", "Schema version is not supported"
    actions = answer.get("Actions", [])
    if not isinstance(actions, list) or len(actions) > _MAX_ACTIONS:
        return "InvalidResponse", f"Actions must be a list of at most {_MAX_ACTIONS} actions"
    if not all(isinstance(a, Mapping) and a.get("Type") in ACTION_TYPES for a in actions):
        return "InvalidResponse", "Action type is not supported"
    attributes = answer.get("TransactionAttributes")
    if attributes is not None:
        problems = attributes_violations(attributes)
        if any(p.rule == "size" for p in problems):
            return (
                "TransactionAttributesInvalidMapSize",
                "Transaction Attributes has too many mappings. Maximum number of mappings is 100",
            )
        if problems:
            return "InvalidResponse", "Transaction Attributes keys and values must be strings"
    return None


def describe_action_error(kind: str, error: Exception) -> tuple[str, str]:
    """AWS's error type and message for parameters ``parse_action`` refused (what
    ``ACTION_FAILED`` says)."""
    from chime_calls.sma.actions import action_class

    problems = getattr(error, "violations", ())
    first = problems[0] if problems else None
    field = first.field.split(".")[1].split("[")[0] if first and "." in first.field else ""
    if (kind, field) in _DOCUMENTED_ERRORS:
        return _DOCUMENTED_ERRORS[kind, field]
    if field in ("call_id", "participant_tag"):
        return "InvalidActionParameter", _LEG_MESSAGE
    cls = action_class(kind)
    member = next((w.aws for w in (cls.wire if cls else ()) if w.attr == field), field or kind)
    if first is not None and first.rule == "required" and kind in _MISSING_TYPE:
        return "MissingRequiredActionParameter", f"{member} is a required parameter."
    if first is not None and first.rule == "length" and kind in _MISSING_TYPE:
        return "MissingRequiredActionParameter", f"{member} is limited to 1,000 characters"
    return "InvalidActionParameter", f"{member} parameter value is invalid."


def _uri(source: Any) -> str:
    return f"s3://{source.bucket_name}/{source.key}"


def _silent_wav(seconds: float, *, channels: int) -> bytes:
    """A WAV of silence (8 kHz, 16-bit), what a recording of a fake caller sounds like."""
    frames = int(seconds * 8000)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * channels * frames)
    return buffer.getvalue()


def _hangup_data(leg: Mapping[str, Any], code: object) -> dict[str, Any]:
    """``ActionData`` of ``HANGUP``: AWS sends ``SipResponseCode`` as a number."""
    return {
        "Type": "Hangup",
        "Parameters": {
            "SipResponseCode": int(str(code)) if str(code).isdigit() else 0,
            "CallId": leg["CallId"],
            "ParticipantTag": leg["ParticipantTag"],
        },
    }


class _LambdaContext:
    """Enough of a Lambda context object for handlers that log or read it."""

    function_name = "chime-calls-fake-sma-handler"
    function_version = "$LATEST"
    memory_limit_in_mb = 128
    log_group_name = "/aws/lambda/chime-calls-fake-sma-handler"
    log_stream_name = "fake"

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = (
            "arn:aws:lambda:us-east-1:123456789012:function:chime-calls-fake-sma-handler"
        )

    def get_remaining_time_in_millis(self) -> int:
        return 3000


def _participant(
    tag: str,
    *,
    to_number: str,
    from_number: str,
    status: str | None,
    direction: str,
    now: float,
) -> dict[str, Any]:
    leg: dict[str, Any] = {
        "CallId": str(uuid.uuid4()),
        "ParticipantTag": tag,
        "To": to_number,
        "From": from_number,
        "Direction": direction,
        "StartTimeInMilliseconds": str(int(now * 1000)),
    }
    if status is not None:
        leg["Status"] = status
    return leg


def _environment(join: Join, env: SmaEnvironment | None) -> SmaEnvironment:
    if env is None:
        return SmaEnvironment(join=join)
    return attrs.evolve(env, join=join)


def _new_call(
    handler: Handler,
    env: SmaEnvironment,
    *,
    transaction_id: str,
    sip_media_application_id: str,
    region: str,
    account_id: str,
    from_number: str,
    to_number: str,
    direction: str,
    status: str | None,
) -> _Call:
    return _Call(
        handler=handler,
        env=env,
        transaction_id=transaction_id,
        sip_media_application_id=sip_media_application_id,
        region=region,
        account_id=account_id,
        from_number=from_number,
        to_number=to_number,
        participants=[
            _participant(
                "LEG-A",
                to_number=to_number,
                from_number=from_number,
                status=status,
                direction=direction,
                now=env.clock.now(),
            )
        ],
    )


def _ring(call: _Call, arguments: Mapping[str, str], answer: str, ring_seconds: float) -> None:
    create = {"Type": "CallCreateRequest", "Parameters": {"Arguments": dict(arguments)}}
    # AWS's documented NEW_OUTBOUND_CALL has no ActionData when there are no arguments.
    call.notify("NEW_OUTBOUND_CALL", create if arguments else None)
    if answer not in ("busy", "failed"):
        call.notify("RINGING")
    if ring_seconds > 0:
        call.pickup = (call.now + ring_seconds, answer)
        return
    call._pick_up(answer)


def simulate_outbound_call(
    handler: Handler,
    *,
    transaction_id: str,
    sip_media_application_id: str,
    region: str,
    account_id: str,
    from_number: str,
    to_number: str,
    sip_headers: Mapping[str, str],
    arguments: Mapping[str, str],
    join: Join,
    answer: str = "answered",
    env: SmaEnvironment | None = None,
    ring_seconds: float = 0.0,
    talk_seconds: float | None = None,
) -> SmaCallRecord:
    """Play the SIP media application for a call placed by ``CreateSipMediaApplicationCall``.

    ``answer`` is how the callee behaves: ``"answered"``, ``"busy"``, ``"no-answer"`` or
    ``"failed"`` (the network could not reach the number), after ``ring_seconds`` of the
    clock (the call is ``"ringing"`` until then); an answered callee hangs up after
    ``talk_seconds`` (``None``: never). ``join(meeting_id, join_token)``
    returns ``None`` when the token admits its holder to the meeting, else the reason why not.
    ``sip_headers`` are accepted but not put in the events: AWS's documented outbound-call
    events do not carry them.
    """
    if answer not in ("answered", *_HANGUP_CODES):
        raise ValueError(f"answer must be answered, busy, no-answer or failed, not {answer!r}")
    call = _new_call(
        handler,
        _environment(join, env),
        transaction_id=transaction_id,
        sip_media_application_id=sip_media_application_id,
        region=region,
        account_id=account_id,
        from_number=from_number,
        to_number=to_number,
        direction="Outbound",
        status=None,
    )
    call.talk_seconds = talk_seconds
    with contextlib.suppress(_Stop):
        _ring(call, arguments, answer, ring_seconds)
    call.settle()
    return call.record()


def simulate_inbound_call(
    handler: Handler,
    *,
    transaction_id: str,
    sip_media_application_id: str,
    region: str,
    account_id: str,
    from_number: str,
    to_number: str,
    env: SmaEnvironment,
    sip_rule_id: str | None = None,
) -> SmaCallRecord:
    """A caller dials a number whose SIP rule targets the application: ``NEW_INBOUND_CALL``
    (leg A ``Inbound`` and ``Connected``), then whatever the handler answers."""
    call = _new_call(
        handler,
        env,
        transaction_id=transaction_id,
        sip_media_application_id=sip_media_application_id,
        region=region,
        account_id=account_id,
        from_number=from_number,
        to_number=to_number,
        direction="Inbound",
        status="Connected",
    )
    call.sip_rule_id = sip_rule_id or str(uuid.uuid4())
    with contextlib.suppress(_Stop):
        call.notify("NEW_INBOUND_CALL")
        call.run()
    call.settle()
    return call.record()


def _resume(handler: Handler, record: SmaCallRecord, join: Join | None) -> _Call:
    call = record.state
    if not isinstance(call, _Call):  # pragma: no cover - records come from this module
        raise TypeError("the record was not made by the simulator")
    call.handler = handler
    if join is not None:
        call.env = attrs.evolve(call.env, join=join)
    return call


def _step(call: _Call, step: Callable[[], None]) -> SmaCallRecord:
    with contextlib.suppress(_Stop):
        step()
        call.run()
    call.settle()
    return call.record()


def simulate_update(
    handler: Handler, record: SmaCallRecord, arguments: Mapping[str, str], *, join: Join
) -> SmaCallRecord:
    """Deliver an ``UpdateSipMediaApplicationCall`` to a running call's handler.

    The handler gets ``CALL_UPDATE_REQUESTED`` with ``arguments``; actions it answers with
    replace those still queued. A call that has ended, or whose simulation failed, is returned
    as is.
    """
    if record.ended or record.error is not None:
        return record
    call = _resume(handler, record, join)
    update = {"Type": "CallUpdateRequest", "Parameters": {"Arguments": dict(arguments)}}
    return _step(call, lambda: call.notify("CALL_UPDATE_REQUESTED", update))


def simulate_remote_hangup(
    handler: Handler,
    record: SmaCallRecord,
    tag: str,
    *,
    join: Join,
    sip_response_code: int = 0,
) -> SmaCallRecord:
    """Leg ``tag`` of a running call ends from the far side.

    ``"LEG-A"``: the callee hangs up. ``"LEG-B"``: the meeting leg drops (the meeting was
    deleted). The handler gets ``HANGUP`` for that leg; what it answers runs while another leg
    is still connected. A call without that connected leg is returned as is.
    """
    if record.error is not None:
        return record
    leg = next(
        (
            p
            for p in record.participants
            if p["ParticipantTag"] == tag and p.get("Status") == "Connected"
        ),
        None,
    )
    if leg is None:
        return record
    call = _resume(handler, record, join)
    live = call.leg(tag)
    assert live is not None  # noqa: S101 - the record is a snapshot of this call

    def hang_up() -> None:
        call.disconnect(live)
        call.notify("HANGUP", _hangup_data(live, sip_response_code))

    return _step(call, hang_up)


def simulate_digits(
    handler: Handler, record: SmaCallRecord, digits: str, *, participant_tag: str = "LEG-A"
) -> SmaCallRecord:
    """The caller on ``participant_tag`` presses ``digits`` (one after another, at the clock's
    current time). A gather takes them, a ``RecordAudio`` stops on a terminator, a
    ``ReceiveDigits`` buffers them; otherwise the service discards them."""
    if record.ended or record.error is not None:
        return record
    call = _resume(handler, record, None)
    leg = call.leg(participant_tag)
    if leg is None or leg.get("Status") != "Connected":
        raise ValueError(f"{participant_tag} is not connected")
    bad = sorted(set(digits) - set("0123456789*#"))
    if bad:
        raise ValueError(f"not DTMF digits: {''.join(bad)}")

    def press() -> None:
        for digit in digits:
            if call.ended:
                break
            call.digit(leg["CallId"], digit)
            call.run()

    return _step(call, press)


def simulate_tick(handler: Handler, record: SmaCallRecord) -> SmaCallRecord:
    """Fire the call's timers that are due at the clock's current time."""
    if record.ended or record.error is not None:
        return record
    call = _resume(handler, record, None)
    return _step(call, call.tick)
