"""Typed views of the events a SIP media application sends its Lambda.

AWS documents the event shape (``SchemaVersion``, ``Sequence``, ``InvocationEventType``,
``CallDetails``, ``ActionData``) but adds fields over time and spells a few differently across
its own examples (``SipMediaApplicationId`` / ``SipApplicationId``, ``InvocationEventType`` /
``InvocationEvent``). ``parse_event`` therefore reads what it knows, keeps the original
mapping on ``InvocationEvent.raw``, ignores the rest, and never refuses an event type it does
not know: a new AWS event must not crash a deployed handler. It raises
``InvalidEventError`` only when the event cannot describe a call at all.

Events carry phone numbers, join tokens (in ``ArgumentsMap`` and in the echoed
``JoinChimeMeeting`` parameters) and whatever the application put in ``TransactionAttributes``,
so every such field is masked in reprs: numbers as ``PhoneNumber``, maps as
``SensitiveMap``, action parameters and the raw event not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from chime_calls._rules import Violation, _Struct
from chime_calls.errors import ValidationError
from chime_calls.values import PhoneNumber, SensitiveMap

__all__ = [
    "KNOWN_EVENT_TYPES",
    "LEG_A",
    "LEG_B",
    "ActionData",
    "CallDetails",
    "EventType",
    "Intent",
    "IntentResult",
    "Interpretation",
    "InvalidEventError",
    "InvocationEvent",
    "Participant",
    "Slot",
    "parse_event",
]

LEG_A: Final = "LEG-A"
LEG_B: Final = "LEG-B"


class EventType:
    """The ``InvocationEventType`` values AWS documents. Events of other types still parse."""

    NEW_INBOUND_CALL: Final = "NEW_INBOUND_CALL"
    NEW_OUTBOUND_CALL: Final = "NEW_OUTBOUND_CALL"
    RINGING: Final = "RINGING"
    CALL_ANSWERED: Final = "CALL_ANSWERED"
    ACTION_SUCCESSFUL: Final = "ACTION_SUCCESSFUL"
    ACTION_FAILED: Final = "ACTION_FAILED"
    ACTION_INTERRUPTED: Final = "ACTION_INTERRUPTED"
    HANGUP: Final = "HANGUP"
    CALL_UPDATE_REQUESTED: Final = "CALL_UPDATE_REQUESTED"
    DIGITS_RECEIVED: Final = "DIGITS_RECEIVED"
    INVALID_LAMBDA_RESPONSE: Final = "INVALID_LAMBDA_RESPONSE"


KNOWN_EVENT_TYPES: Final = frozenset(
    value for name, value in vars(EventType).items() if name.isupper()
)


class InvalidEventError(ValidationError):
    """The event cannot describe a call: not a mapping, no event type, no transaction ID.

    A ``ValidationError`` (so also a ``ValueError``): like any validation
    error it lists every problem with its field path (e.g. ``CallDetails.TransactionId``) and
    never the offending values, which in an SMA event are phone numbers and join tokens.
    """


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Participant(_Struct):
    """One call leg in ``CallDetails.Participants``.

    ``to_number`` / ``from_number`` are wrapped without validation: AWS documents E.164, but a
    leg bridged to a Voice Connector can carry a SIP URI (or ``"SMA"``), and a handler must not
    fail on it. ``participant_tag`` is kept as sent (AWS's own examples say ``Leg-A`` as well as
    ``LEG-A``); ``is_leg`` compares case-insensitively. ``sip_headers`` are the
    ``User-to-User``, ``Diversion`` and ``x-`` headers of the leg, when AWS sends any.
    """

    call_id: str | None = None
    participant_tag: str | None = None
    to_number: PhoneNumber | None = None
    from_number: PhoneNumber | None = None
    direction: str | None = None
    start_time_ms: int | None = None
    status: str | None = None
    sip_headers: SensitiveMap = attrs.field(factory=SensitiveMap)

    @property
    def connected(self) -> bool:
        return self.status == "Connected"

    def is_leg(self, tag: str) -> bool:
        """Whether this is the ``tag`` leg (``"LEG-A"``, ``"LEG-B"``), ignoring case."""
        return self.participant_tag is not None and self.participant_tag.upper() == tag.upper()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CallDetails(_Struct):
    """``CallDetails``: the transaction, the application and its call legs.

    ``transaction_attributes`` are the ones the handler returned last, echoed back by the
    service; they are a ``SensitiveMap`` because applications keep meeting
    context (sometimes tokens) in them.
    """

    transaction_id: str
    aws_account_id: str | None = None
    aws_region: str | None = None
    sip_media_application_id: str | None = None
    sip_rule_id: str | None = None
    participants: tuple[Participant, ...] = ()
    transaction_attributes: SensitiveMap = attrs.field(factory=SensitiveMap)

    def participant(self, tag: str) -> Participant | None:
        """The leg tagged ``tag`` (``"LEG-A"``, ``"LEG-B"``, any case), if present."""
        return next((p for p in self.participants if p.is_leg(tag)), None)

    @property
    def leg_a(self) -> Participant | None:
        """The PSTN leg of a dial-out (``LEG-A``; the first leg if none is tagged so)."""
        leg = self.participant(LEG_A)
        if leg is None and self.participants:
            leg = self.participants[0]
        return leg

    @property
    def leg_b(self) -> Participant | None:
        """The second leg: the meeting leg after ``JoinChimeMeeting``, or a bridged call."""
        return self.participant(LEG_B)

    @property
    def connected_legs(self) -> tuple[Participant, ...]:
        """Legs whose ``Status`` is ``Connected``."""
        return tuple(p for p in self.participants if p.connected)


def _hidden(value: object) -> str:
    return "None" if value is None else "<hidden>"


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Slot(_Struct):
    """One slot of a Lex intent. What the caller said is application data (card numbers,
    dates of birth), so the repr hides it."""

    original_value: str | None = attrs.field(default=None, repr=_hidden)
    interpreted_value: str | None = attrs.field(default=None, repr=_hidden)
    resolved_values: tuple[str, ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Intent(_Struct):
    """``Intent`` of a Lex result: ``state`` ``Fulfilled`` / ``ReadyForFulfillment`` /
    ``Failed`` ..., ``confirmation_state`` ``Confirmed`` / ``Denied`` / ``None``; ``slots`` maps
    slot names to a ``Slot``, or ``None`` for a slot not filled."""

    name: str | None = None
    state: str | None = None
    confirmation_state: str | None = None
    slots: Mapping[str, Slot | None] = attrs.field(factory=dict, repr=False)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Interpretation(_Struct):
    """One intent Lex considered, with its ``NluConfidence.Score`` (0.0 to 1.0)."""

    intent: Intent | None = None
    nlu_confidence: float | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class IntentResult(_Struct):
    """``ActionData.IntentResult`` of a ``StartBotConversation``: what the bot gathered.

    ``session_id`` is the call ID AWS used as the Lex session; ``intent`` is the session
    state's intent (the best interpretation); ``session_attributes`` come back from the bot.
    """

    session_id: str | None = None
    intent: Intent | None = None
    session_attributes: SensitiveMap = attrs.field(factory=SensitiveMap)
    interpretations: tuple[Interpretation, ...] = ()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ActionData(_Struct):
    """``ActionData``: the action an event reports on, or the request that caused it.

    ``type`` is the action (``"JoinChimeMeeting"``, ``"Hangup"``, ...) or ``"CallCreateRequest"``
    / ``"CallUpdateRequest"``. ``parameters`` echo what the handler sent, join tokens included,
    so they never appear in a repr. What an action produced is typed too:
    ``received_digits`` (the gather actions, ``ReceiveDigits``, ``DIGITS_RECEIVED``; hidden in
    the repr, since digits are often PINs), ``intent_result`` (``StartBotConversation``),
    ``recording_destination`` (``RecordAudio``: ``Type``, ``BucketName``, ``Key``),
    ``call_recording_destination`` (``StartCallRecording``: ``Type``, ``Location``) and
    ``error_list`` (``ModifyChimeMeetingAttendees``). ``error_type`` / ``error_message`` are
    read from ``ErrorType`` / ``ErrorMessage``, or from the ``"Error": "Type: message"`` form
    AWS documents for ``JoinChimeMeeting``, ``RecordAudio`` and ``StartCallRecording``.
    """

    type: str | None = None
    parameters: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    error_type: str | None = None
    error_message: str | None = None
    received_digits: str | None = attrs.field(default=None, repr=_hidden)
    intent_result: IntentResult | None = None
    recording_destination: Mapping[str, str] | None = None
    call_recording_destination: Mapping[str, str] | None = None
    error_list: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=False)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class InvocationEvent(_Struct):
    """One invocation of the SIP media application's Lambda.

    ``arguments`` is the ``ArgumentsMap`` given to ``CreateSipMediaApplicationCall`` (on
    ``NEW_OUTBOUND_CALL``) or the ``Arguments`` of ``UpdateSipMediaApplicationCall`` (on
    ``CALL_UPDATE_REQUESTED``), found at ``ActionData.Parameters.Arguments``; empty otherwise.
    ``error_type`` / ``error_message`` come from ``ActionData`` (or the top level, where some
    events put them). ``raw`` is the event as received, for fields this class does not model.
    """

    event_type: str
    call_details: CallDetails
    sequence: int | None = None
    schema_version: str | None = None
    action_data: ActionData | None = None
    error_type: str | None = None
    error_message: str | None = None
    arguments: SensitiveMap = attrs.field(factory=SensitiveMap)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def transaction_id(self) -> str:
        return self.call_details.transaction_id

    @property
    def transaction_attributes(self) -> SensitiveMap:
        return self.call_details.transaction_attributes

    @property
    def is_known_type(self) -> bool:
        return self.event_type in KNOWN_EVENT_TYPES

    @property
    def received_digits(self) -> str | None:
        """``ActionData.ReceivedDigits``: what the caller entered, if this event carries it."""
        return self.action_data.received_digits if self.action_data else None

    @property
    def intent_result(self) -> IntentResult | None:
        """``ActionData.IntentResult`` of a finished bot conversation."""
        return self.action_data.intent_result if self.action_data else None


# --- parsing -------------------------------------------------------------------------------------


def parse_event(event: object) -> InvocationEvent:
    """Parse a Lambda event from a SIP media application.

    Unknown fields are ignored and unknown event types kept as they are. Raises
    ``InvalidEventError`` only for an event that is not a mapping, has no string
    ``InvocationEventType``, or has no ``CallDetails`` mapping with a string ``TransactionId``.
    """
    out: list[Violation] = []
    if not isinstance(event, Mapping):
        raise InvalidEventError(
            [Violation("event", "type", f"must be a mapping, not {type(event).__name__}")]
        )
    event_type = event.get("InvocationEventType", event.get("InvocationEvent"))
    if not isinstance(event_type, str) or not event_type:
        out.append(Violation("InvocationEventType", "required", "must be a non-empty string"))
    details = _call_details(event.get("CallDetails"), out)
    if out or details is None or not isinstance(event_type, str):
        raise InvalidEventError(out)
    action_data = _action_data(event.get("ActionData"))
    parameters = action_data.parameters if action_data is not None else {}
    return InvocationEvent(
        event_type=event_type,
        call_details=details,
        sequence=_int(event.get("Sequence")),
        schema_version=_str(event.get("SchemaVersion")),
        action_data=action_data,
        error_type=(action_data.error_type if action_data else None)
        or _str(event.get("ErrorType")),
        error_message=(action_data.error_message if action_data else None)
        or _str(event.get("ErrorMessage")),
        arguments=_string_map(parameters.get("Arguments")),
        raw=event,
    )


def _call_details(value: object, out: list[Violation]) -> CallDetails | None:
    if not isinstance(value, Mapping):
        out.append(Violation("CallDetails", "required", "must be a mapping"))
        return None
    transaction_id = value.get("TransactionId")
    if not isinstance(transaction_id, str) or not transaction_id:
        out.append(Violation("CallDetails.TransactionId", "required", "must be a non-empty string"))
        return None
    return CallDetails(
        transaction_id=transaction_id,
        aws_account_id=_str(value.get("AwsAccountId")),
        aws_region=_str(value.get("AwsRegion")),
        sip_media_application_id=_str(
            value.get("SipMediaApplicationId", value.get("SipApplicationId"))
        ),
        sip_rule_id=_str(value.get("SipRuleId")),
        participants=_participants(value.get("Participants")),
        transaction_attributes=_string_map(value.get("TransactionAttributes")),
    )


def _participants(value: object) -> tuple[Participant, ...]:
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        return ()
    return tuple(
        Participant(
            call_id=_str(item.get("CallId")),
            participant_tag=_str(item.get("ParticipantTag")),
            to_number=_number(item.get("To")),
            from_number=_number(item.get("From")),
            direction=_str(item.get("Direction")),
            start_time_ms=_int(item.get("StartTimeInMilliseconds")),
            status=_str(item.get("Status")),
            sip_headers=_string_map(item.get("SipHeaders")),
        )
        for item in value
        if isinstance(item, Mapping)
    )


def _action_data(value: object) -> ActionData | None:
    if not isinstance(value, Mapping):
        return None
    parameters = value.get("Parameters")
    error_type = _str(value.get("ErrorType"))
    error_message = _str(value.get("ErrorMessage"))
    combined = _str(value.get("Error"))  # "ErrorJoiningMeeting: Error while joining meeting."
    if combined and error_type is None:
        head, sep, tail = combined.partition(":")
        error_type = head.strip() if sep else None
        error_message = error_message or (tail.strip() if sep else combined)
    errors = value.get("ErrorList")
    return ActionData(
        type=_str(value.get("Type")),
        parameters=parameters if isinstance(parameters, Mapping) else {},
        error_type=error_type,
        error_message=error_message,
        received_digits=_str(value.get("ReceivedDigits")),
        intent_result=_intent_result(value.get("IntentResult")),
        recording_destination=_plain_map(value.get("RecordingDestination")),
        call_recording_destination=_plain_map(value.get("CallRecordingDestination")),
        error_list=tuple(e for e in errors if isinstance(e, Mapping))
        if isinstance(errors, list)
        else (),
    )


def _plain_map(value: object) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _slot(value: object) -> Slot | None:
    if not isinstance(value, Mapping):
        return None
    inner = value.get("Value")
    inner = inner if isinstance(inner, Mapping) else {}
    resolved = inner.get("ResolvedValues")
    return Slot(
        original_value=_str(inner.get("OriginalValue")),
        interpreted_value=_str(inner.get("InterpretedValue")),
        resolved_values=tuple(r for r in resolved if isinstance(r, str))
        if isinstance(resolved, list)
        else (),
    )


def _intent(value: object) -> Intent | None:
    if not isinstance(value, Mapping):
        return None
    slots = value.get("Slots")
    return Intent(
        name=_str(value.get("Name")),
        state=_str(value.get("State")),
        confirmation_state=_str(value.get("ConfirmationState")),
        slots={str(k): _slot(v) for k, v in slots.items()} if isinstance(slots, Mapping) else {},
    )


def _intent_result(value: object) -> IntentResult | None:
    if not isinstance(value, Mapping):
        return None
    state = value.get("SessionState")
    state = state if isinstance(state, Mapping) else {}
    interpretations = value.get("Interpretations")
    parsed: list[Interpretation] = []
    for item in interpretations if isinstance(interpretations, list) else []:
        if not isinstance(item, Mapping):
            continue
        confidence = item.get("NluConfidence")
        score = confidence.get("Score") if isinstance(confidence, Mapping) else None
        parsed.append(
            Interpretation(
                intent=_intent(item.get("Intent")),
                nlu_confidence=float(score)
                if isinstance(score, (int, float)) and not isinstance(score, bool)
                else None,
            )
        )
    return IntentResult(
        session_id=_str(value.get("SessionId")),
        intent=_intent(state.get("Intent")),
        session_attributes=_string_map(state.get("SessionAttributes")),
        interpretations=tuple(parsed),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    """AWS sends ``Sequence`` as a number and ``StartTimeInMilliseconds`` as a digit string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _number(value: object) -> PhoneNumber | None:
    # Wrapped, not validated: a SIP URI or a withheld number must not break the handler.
    return PhoneNumber._unchecked(value) if isinstance(value, str) else None


def _string_map(value: object) -> SensitiveMap:
    if not isinstance(value, Mapping):
        return SensitiveMap()
    return SensitiveMap(
        {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}
    )
