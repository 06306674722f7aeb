"""The fake's SIP media application: invokes a registered handler the way the service does.

Pure functions, independent of HTTP: :class:`~chime_calls.testing.ChimeFake` calls
:func:`simulate_outbound_call` when a ``CreateSipMediaApplicationCall`` lands on an application
with a registered handler, and :func:`simulate_update` on ``UpdateSipMediaApplicationCall``.

What is modelled, after AWS's PSTN audio documentation:

* Events have AWS's shape: ``SchemaVersion`` ``"1.0"``, ``Sequence`` counting invocations,
  ``InvocationEventType``, ``CallDetails`` (``TransactionId``, ``AwsAccountId``, ``AwsRegion``,
  ``SipMediaApplicationId``, ``Participants``, and ``TransactionAttributes`` as the handler last
  returned them) and ``ActionData``. ``NEW_OUTBOUND_CALL`` carries the ``ArgumentsMap`` at
  ``ActionData.Parameters.Arguments`` (``Type`` ``CallCreateRequest``); ``CALL_UPDATE_REQUESTED``
  carries the update's ``Arguments`` (``Type`` ``CallUpdateRequest``).
* Answered call: ``NEW_OUTBOUND_CALL`` -> ``RINGING`` -> ``CALL_ANSWERED``. Actions returned to
  ``NEW_OUTBOUND_CALL``, ``RINGING`` and ``HANGUP`` are ignored, as the service does (their
  ``TransactionAttributes`` are kept).
* Busy: ``NEW_OUTBOUND_CALL`` -> ``HANGUP`` (``SipResponseCode`` ``"486"``). No answer:
  ``NEW_OUTBOUND_CALL`` -> ``RINGING`` -> ``HANGUP`` (``"480"``). Failed: ``NEW_OUTBOUND_CALL``
  -> ``HANGUP`` (``"503"``).
* Actions run one at a time in order. Each sends its result event to the handler
  (``ACTION_SUCCESSFUL`` or ``ACTION_FAILED`` with ``ErrorType`` / ``ErrorMessage`` in
  ``ActionData``); a non-empty answer replaces the actions still queued, as an update does, an
  empty one lets the queue continue. ``JoinChimeMeeting`` asks the fake's ``join`` whether the
  token is good for the meeting (failure: ``InvalidActionParameter``, AWS's documented type);
  on success a ``LEG-B`` meeting leg appears.
* Hang-ups follow AWS's two-leg rules: ``Hangup`` of ``LEG-B`` (the meeting leg) leaves the
  meeting and reports ``ACTION_SUCCESSFUL``; ``Hangup`` of ``LEG-A``, the callee hanging up
  (:func:`simulate_remote_hangup`) or the meeting ending disconnect only that leg and send
  ``HANGUP``. While another leg is still connected the service runs what the handler answers
  to ``HANGUP``; a handler that leaves the meeting leg up after leg A ended gets outcome
  ``"failed"`` (the service would keep billing it).
* A response that is not a valid SMA response (not a mapping, wrong ``SchemaVersion``, more
  than 10 actions, an unknown action) is answered with ``INVALID_LAMBDA_RESPONSE``. More than
  :data:`MAX_EVENTS` events ends the simulation as ``"failed"``; so does a handler exception
  (kept on :attr:`SmaCallRecord.error`).
* ``TransactionAttributes`` a handler returns are stored (the set replaces the stored one, as
  the service does) and echoed in ``CallDetails`` of later events, including those returned to
  ``NEW_OUTBOUND_CALL`` and ``RINGING``, whose actions the service ignores.

Not modelled: DTMF, recording, bridging to a real second number (``CallAndBridge`` connects at
once), timing.
"""

from __future__ import annotations

import contextlib
import copy
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from chime_calls.values import mask_phone_number

__all__ = [
    "MAX_EVENTS",
    "SmaCallRecord",
    "simulate_outbound_call",
    "simulate_remote_hangup",
    "simulate_update",
]

#: Invocations after which a call is declared stuck (a handler answering every event with
#: actions that fail forever).
MAX_EVENTS = 50

Handler = Callable[[dict[str, Any], Any], "dict[str, Any] | None"]
Join = Callable[[str | None, str], str | None]

_IGNORED_RESPONSES = frozenset({"NEW_OUTBOUND_CALL", "RINGING"})
_MAX_ACTIONS = 10  # per response, as AWS documents
_HANGUP_CODES = {"busy": "486", "no-answer": "480", "failed": "503"}
_KNOWN_ACTIONS = frozenset(
    {
        "JoinChimeMeeting",
        "Speak",
        "SpeakAndGetDigits",
        "PlayAudio",
        "PlayAudioAndGetDigits",
        "Pause",
        "Hangup",
        "CallAndBridge",
        "ModifyChimeMeetingAttendees",
        "ReceiveDigits",
        "RecordAudio",
        "SendDigits",
        "StartBotConversation",
        "StartCallRecording",
        "StopCallRecording",
        "PauseCallRecording",
        "ResumeCallRecording",
        "VoiceFocus",
    }
)


def _count(value: Sequence[Any]) -> str:
    return f"<{len(value)}>"


def _masked_number(value: str) -> str:
    return repr(mask_phone_number(value))


def _hidden_map(value: Mapping[str, str]) -> str:
    return f"<{len(value)} redacted entries>"


@attrs.frozen(kw_only=True)
class SmaCallRecord:
    """What the simulated SIP media application did with one placed call.

    ``outcome``: ``"joined"`` (in the meeting now), ``"hung-up"`` (every leg ended),
    ``"unanswered"`` (busy or no answer: ``reason`` says which), ``"connected"`` (answered, not
    in a meeting, nothing failed), ``"failed"`` (an action failed and the call stayed up without
    joining, the handler raised or answered invalidly, the loop guard fired, or the meeting leg
    was left up after the callee's leg ended).
    ``joined_meeting_id`` is the meeting the callee joined (kept after a hang-up; ``None`` if the
    ``JoinChimeMeeting`` named no meeting). ``reason`` is the first thing that went wrong.
    ``events`` / ``actions`` are every event sent and every action returned, in order (they hold
    join tokens and numbers, so the repr shows only their number); ``spoken`` the texts of the
    ``Speak`` actions that ran; ``played`` the ``s3://`` audio that ran.
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
    in_meeting: bool = False
    ended: bool = False
    region: str = ""
    account_id: str = ""
    from_number: str = attrs.field(default="", repr=_masked_number)
    to_number: str = attrs.field(default="", repr=_masked_number)
    transaction_attributes: Mapping[str, str] = attrs.field(factory=dict, repr=_hidden_map)
    participants: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=False)
    error: BaseException | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def event_types(self) -> tuple[str, ...]:
        """``InvocationEventType`` of every event, in order: handy in assertions."""
        return tuple(str(e.get("InvocationEventType")) for e in self.events)


class _Stop(Exception):  # noqa: N818 - control flow inside the simulation only
    """The simulation ends (handler raised, loop guard)."""


@attrs.define
class _Call:
    """Mutable state of one simulated call."""

    handler: Handler
    join: Join
    transaction_id: str
    sip_media_application_id: str
    region: str
    account_id: str
    from_number: str
    to_number: str
    participants: list[dict[str, Any]]
    transaction_attributes: dict[str, str] = attrs.field(factory=dict)
    events: list[dict[str, Any]] = attrs.field(factory=list)
    actions: list[dict[str, Any]] = attrs.field(factory=list)
    spoken: list[str] = attrs.field(factory=list)
    played: list[str] = attrs.field(factory=list)
    joined_meeting_id: str | None = None
    in_meeting: bool = False
    ended: bool = False
    unanswered: bool = False
    failed: bool = False
    reason: str | None = None
    error: BaseException | None = None

    @classmethod
    def resume(cls, handler: Handler, join: Join, record: SmaCallRecord) -> _Call:
        return cls(
            handler=handler,
            join=join,
            transaction_id=record.transaction_id,
            sip_media_application_id=record.sip_media_application_id,
            region=record.region,
            account_id=record.account_id,
            from_number=record.from_number,
            to_number=record.to_number,
            participants=[dict(p) for p in record.participants],
            transaction_attributes=dict(record.transaction_attributes),
            events=[dict(e) for e in record.events],
            actions=[dict(a) for a in record.actions],
            spoken=list(record.spoken),
            played=list(record.played),
            joined_meeting_id=record.joined_meeting_id,
            in_meeting=record.in_meeting,
            ended=record.ended,
            unanswered=record.outcome == "unanswered",
            reason=record.reason,
            error=record.error,
        )

    # --- the record ------------------------------------------------------------------------

    def record(self) -> SmaCallRecord:
        return SmaCallRecord(
            transaction_id=self.transaction_id,
            sip_media_application_id=self.sip_media_application_id,
            outcome=self._outcome(),
            joined_meeting_id=self.joined_meeting_id,
            reason=self.reason,
            events=tuple(self.events),
            actions=tuple(self.actions),
            spoken=tuple(self.spoken),
            played=tuple(self.played),
            in_meeting=self.in_meeting,
            ended=self.ended,
            region=self.region,
            account_id=self.account_id,
            from_number=self.from_number,
            to_number=self.to_number,
            transaction_attributes=dict(self.transaction_attributes),
            participants=tuple(copy.deepcopy(self.participants)),
            error=self.error,
        )

    def _outcome(self) -> str:
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

    # --- legs ------------------------------------------------------------------------------

    def leg(self, tag: str) -> dict[str, Any] | None:
        return next((p for p in self.participants if p["ParticipantTag"] == tag), None)

    def leg_for(self, parameters: Mapping[str, Any]) -> dict[str, Any] | None:
        call_id = parameters.get("CallId")
        if call_id is not None:
            return next((p for p in self.participants if p["CallId"] == call_id), None)
        return self.leg(str(parameters.get("ParticipantTag") or "LEG-A"))

    def connected(self) -> list[dict[str, Any]]:
        return [p for p in self.participants if p.get("Status") == "Connected"]

    def disconnect(self, leg: dict[str, Any]) -> None:
        """One leg ends; the call ends with its last connected leg."""
        leg["Status"] = "Disconnected"
        if leg["ParticipantTag"] == "LEG-B":
            self.in_meeting = False
        self.ended = not self.connected()

    def dangling(self) -> bool:
        """Leg A ended but another leg (the meeting leg) is still up, and billed."""
        leg_a = self.leg("LEG-A")
        return bool(leg_a and leg_a.get("Status") == "Disconnected" and self.connected())

    def settle(self) -> None:
        if self.dangling():
            self.note("LEG-A ended but the handler left LEG-B connected")

    def add_leg(self, tag: str, *, to_number: str, from_number: str) -> dict[str, Any]:
        self.participants = [p for p in self.participants if p["ParticipantTag"] != tag]
        leg = _participant(tag, to_number=to_number, from_number=from_number, status="Connected")
        self.participants.append(leg)
        return leg

    # --- invoking the handler --------------------------------------------------------------

    def invoke(
        self, event_type: str, action_data: Mapping[str, Any] | None = None, **top: Any
    ) -> dict[str, Any] | None:
        """Send one event; return the handler's answer (``None`` for no answer)."""
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
            answer = self.handler(event, _LambdaContext())
        except Exception as exc:  # recorded on the record; the fake decides whether to raise
            self.error = exc
            self.note(f"handler raised {type(exc).__name__}")
            raise _Stop from exc
        return answer

    def actions_of(self, answer: object, *, ignored: bool) -> list[dict[str, Any]] | None:
        """The actions of a handler's answer; ``None`` when the answer is invalid.

        Answers to events whose response the service ignores are recorded, never checked.
        """
        if answer is None:
            return []
        if not isinstance(answer, Mapping):
            return [] if ignored else None
        attributes = answer.get("TransactionAttributes")
        if isinstance(attributes, Mapping):
            self.transaction_attributes = {str(k): str(v) for k, v in attributes.items()}
        actions = answer.get("Actions", [])
        listed = actions if isinstance(actions, list) else []
        self.actions.extend(copy.deepcopy(dict(a)) for a in listed if isinstance(a, Mapping))
        if ignored:
            return []
        valid = (
            answer.get("SchemaVersion") == "1.0"
            and isinstance(actions, list)
            and len(actions) <= _MAX_ACTIONS
            and all(isinstance(a, Mapping) and a.get("Type") in _KNOWN_ACTIONS for a in actions)
        )
        return [dict(a) for a in actions] if valid else None

    def respond(self, event_type: str, action_data: Mapping[str, Any] | None = None) -> None:
        """Send an event and run what the handler answers, until the call settles."""
        queue = self._answer(self.invoke(event_type, action_data), event_type)
        while queue and not self.ended:
            action = queue.pop(0)
            result_type, result_data = self.apply(action)
            new = self._answer(self.invoke(result_type, result_data), result_type)
            # The answer to HANGUP is the new plan for the legs left, even an empty one.
            if new or result_type == "HANGUP":
                queue = new

    def _answer(self, answer: object, event_type: str) -> list[dict[str, Any]]:
        # HANGUP answers count only while a leg is left to act on.
        ignored = event_type in _IGNORED_RESPONSES or (
            event_type == "HANGUP" and not self.connected()
        )
        actions = self.actions_of(answer, ignored=ignored)
        while actions is None:
            self.note("INVALID_LAMBDA_RESPONSE: the handler's answer is not a valid SMA response")
            retry = self.invoke(
                "INVALID_LAMBDA_RESPONSE",
                ErrorType="InvalidResponse",
                ErrorMessage="Invalid Lambda response",
            )
            actions = self.actions_of(retry, ignored=False)
        return actions

    # --- actions ---------------------------------------------------------------------------

    def apply(self, action: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Run one action; return its result event type and ``ActionData``."""
        kind = str(action["Type"])
        raw_parameters = action.get("Parameters")
        parameters: dict[str, Any] = (
            dict(raw_parameters) if isinstance(raw_parameters, Mapping) else {}
        )
        data: dict[str, Any] = {"Type": kind, "Parameters": parameters}
        if kind == "JoinChimeMeeting":
            return self._join(data, parameters)
        if kind == "Hangup":
            return self._hangup(data, parameters)
        if kind in ("Speak", "SpeakAndGetDigits"):
            text = parameters.get("Text")
            if not isinstance(text, str) or not text:
                return self._failed(data, "InvalidActionParameter", "Text parameter is missing.")
            self.spoken.append(text)
        elif kind in ("PlayAudio", "PlayAudioAndGetDigits"):
            source = parameters.get("AudioSource")
            if not isinstance(source, Mapping) or not source.get("Key"):
                return self._failed(data, "InvalidActionParameter", "AudioSource is invalid.")
            self.played.append(f"s3://{source.get('BucketName')}/{source.get('Key')}")
        elif kind == "CallAndBridge":
            endpoints = parameters.get("Endpoints")
            first = endpoints[0] if isinstance(endpoints, list) and endpoints else {}
            self.add_leg(
                "LEG-B",
                to_number=str(first.get("Uri", "") if isinstance(first, Mapping) else ""),
                from_number=str(parameters.get("CallerIdNumber", "")),
            )
        return "ACTION_SUCCESSFUL", data

    def _failed(
        self, data: dict[str, Any], error_type: str, message: str, why: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        self.note(f"ACTION_FAILED: {error_type}" + (f" ({why})" if why else ""))
        return "ACTION_FAILED", {**data, "ErrorType": error_type, "ErrorMessage": message}

    def _join(
        self, data: dict[str, Any], parameters: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        token = parameters.get("JoinToken")
        meeting_id = parameters.get("MeetingId")
        leg = self.leg_for(parameters)
        if leg is None or leg.get("Status") != "Connected":
            return self._failed(
                data, "InvalidActionParameter", "CallId or ParticipantTag parameter is invalid."
            )
        if not isinstance(token, str) or not token:
            return self._failed(data, "InvalidActionParameter", "JoinToken parameter is missing.")
        if meeting_id is not None and not isinstance(meeting_id, str):
            return self._failed(data, "InvalidActionParameter", "MeetingId parameter is invalid.")
        why = self.join(meeting_id, token)
        if why is not None:
            return self._failed(
                data, "InvalidActionParameter", "JoinToken parameter value is invalid.", why
            )
        self.joined_meeting_id = meeting_id
        self.in_meeting = True
        self.add_leg("LEG-B", to_number=self.to_number, from_number=self.from_number)
        return "ACTION_SUCCESSFUL", data

    def _hangup(
        self, data: dict[str, Any], parameters: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        leg = self.leg_for(parameters)
        if leg is None or leg.get("Status") != "Connected":
            return self._failed(
                data, "InvalidActionParameter", "CallId or ParticipantTag parameter is invalid."
            )
        self.disconnect(leg)
        if leg["ParticipantTag"] == "LEG-B":
            return "ACTION_SUCCESSFUL", data
        parameters = {
            "CallId": leg["CallId"],
            "ParticipantTag": leg["ParticipantTag"],
            **parameters,
        }
        return "HANGUP", {"Type": "Hangup", "Parameters": parameters}


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
    tag: str, *, to_number: str, from_number: str, status: str | None
) -> dict[str, Any]:
    leg: dict[str, Any] = {
        "CallId": str(uuid.uuid4()),
        "ParticipantTag": tag,
        "To": to_number,
        "From": from_number,
        "Direction": "Outbound",
        "StartTimeInMilliseconds": str(int(time.time() * 1000)),
    }
    if status is not None:
        leg["Status"] = status
    return leg


def _ring(call: _Call, arguments: Mapping[str, str], answer: str) -> None:
    create = {"Type": "CallCreateRequest", "Parameters": {"Arguments": dict(arguments)}}
    call._answer(call.invoke("NEW_OUTBOUND_CALL", create), "NEW_OUTBOUND_CALL")
    if answer not in ("busy", "failed"):
        call._answer(call.invoke("RINGING"), "RINGING")
    leg_a = call.participants[0]
    if answer == "answered":
        leg_a["Status"] = "Connected"
        call.respond("CALL_ANSWERED")
        return
    leg_a["Status"] = "Disconnected"
    call.ended = True
    call.unanswered = answer != "failed"
    call.failed = answer == "failed"
    call.note(answer if answer != "failed" else "call failed")
    hangup = {
        "Type": "Hangup",
        "Parameters": {
            "CallId": leg_a["CallId"],
            "ParticipantTag": "LEG-A",
            "SipResponseCode": _HANGUP_CODES[answer],
        },
    }
    call._answer(call.invoke("HANGUP", hangup), "HANGUP")


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
) -> SmaCallRecord:
    """Play the SIP media application for a call placed by ``CreateSipMediaApplicationCall``.

    ``answer`` is how the callee behaves: ``"answered"``, ``"busy"``, ``"no-answer"`` or
    ``"failed"`` (the network could not reach the number). ``join(meeting_id, join_token)``
    returns ``None`` when the token admits its holder to the meeting, else the reason why not.
    ``sip_headers`` are accepted but not put in the events: AWS's documented outbound-call
    events do not carry them.
    """
    if answer not in ("answered", *_HANGUP_CODES):
        raise ValueError(f"answer must be answered, busy, no-answer or failed, not {answer!r}")
    call = _Call(
        handler=handler,
        join=join,
        transaction_id=transaction_id,
        sip_media_application_id=sip_media_application_id,
        region=region,
        account_id=account_id,
        from_number=from_number,
        to_number=to_number,
        participants=[
            _participant("LEG-A", to_number=to_number, from_number=from_number, status=None)
        ],
    )
    with contextlib.suppress(_Stop):
        _ring(call, arguments, answer)
    call.settle()
    return call.record()


def simulate_update(
    handler: Handler, record: SmaCallRecord, arguments: Mapping[str, str], *, join: Join
) -> SmaCallRecord:
    """Deliver an ``UpdateSipMediaApplicationCall`` to a running call's handler.

    The handler gets ``CALL_UPDATE_REQUESTED`` with ``arguments``; what it answers runs like
    any other actions. A call that has ended, or whose simulation failed, is returned as is.
    """
    if record.ended or record.error is not None:
        return record
    call = _Call.resume(handler, join, record)
    update = {"Type": "CallUpdateRequest", "Parameters": {"Arguments": dict(arguments)}}
    with contextlib.suppress(_Stop):
        call.respond("CALL_UPDATE_REQUESTED", update)
    call.settle()
    return call.record()


def simulate_remote_hangup(
    handler: Handler,
    record: SmaCallRecord,
    tag: str,
    *,
    join: Join,
    sip_response_code: str = "0",
) -> SmaCallRecord:
    """Leg ``tag`` of a running call ends from the far side.

    ``"LEG-A"``: the callee hangs up. ``"LEG-B"``: the meeting leg drops (the meeting was
    deleted). The handler gets ``HANGUP`` for that leg; what it answers runs while another leg
    is still connected. A call without that connected leg is returned as is.
    """
    if record.error is not None:
        return record
    call = _Call.resume(handler, join, record)
    leg = call.leg(tag)
    if leg is None or leg.get("Status") != "Connected":
        return record
    call.disconnect(leg)
    hangup = {
        "Type": "Hangup",
        "Parameters": {
            "CallId": leg["CallId"],
            "ParticipantTag": tag,
            "SipResponseCode": sip_response_code,
        },
    }
    with contextlib.suppress(_Stop):
        call.respond("HANGUP", hangup)
    call.settle()
    return call.record()
