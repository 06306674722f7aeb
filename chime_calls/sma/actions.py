"""Typed SIP media application actions and the Lambda response that carries them.

Each action is a frozen attrs class whose ``Action.to_dict`` produces exactly the JSON the
PSTN audio service documents (``{"Type": ..., "Parameters": {...}}``, AWS's member names,
optional members left out rather than sent as ``null``). Constraints the documentation states
(required members, enumerations, ranges) are checked at construction and reported as a
``ValidationError`` naming the field, so a bad action fails in the handler's
own code and tests, not as an ``ACTION_FAILED`` or ``INVALID_LAMBDA_RESPONSE`` mid-call.
``parse_action`` reads an action back from its JSON with the same checks (the fake uses it
to answer a bad parameter the way the service does).

The six actions almost every handler uses live here; the other thirteen AWS documents
(digits, recording, bots, Voice Focus, meeting attendees) load from a private module the
first time one is used, which keeps ``import chime_calls.sma`` cheap in a Lambda cold start.

Join tokens, phone numbers and SIP headers are wrapped in the package's sensitive value types:
an action's repr never shows them.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from chime_calls import _rules
from chime_calls._rules import Violation, _Struct
from chime_calls.errors import ValidationError
from chime_calls.values import JoinToken, PhoneNumber, SensitiveMap, mask_phone_number

if TYPE_CHECKING:
    from typing_extensions import Self

    from chime_calls.sma._more_actions import (
        ModifyChimeMeetingAttendees,
        PauseCallRecording,
        PlayAudioAndGetDigits,
        ReceiveDigits,
        RecordAudio,
        ResumeCallRecording,
        SendDigits,
        SpeakAndGetDigits,
        SpeechParameters,
        StartBotConversation,
        StartCallRecording,
        StopCallRecording,
        VoiceFocus,
        WelcomeMessage,
    )

__all__ = [
    "ACTION_TYPES",
    "MAX_ACTIONS",
    "MAX_TRANSACTION_ATTRIBUTES",
    "MAX_TRANSACTION_ATTRIBUTES_BYTES",
    "SCHEMA_VERSION",
    "Action",
    "AudioSource",
    "BridgeEndpoint",
    "CallAndBridge",
    "Hangup",
    "JoinChimeMeeting",
    "ModifyChimeMeetingAttendees",
    "Pause",
    "PauseCallRecording",
    "PlayAudio",
    "PlayAudioAndGetDigits",
    "ReceiveDigits",
    "RecordAudio",
    "ResumeCallRecording",
    "SendDigits",
    "Speak",
    "SpeakAndGetDigits",
    "SpeechParameters",
    "StartBotConversation",
    "StartCallRecording",
    "StopCallRecording",
    "VoiceFocus",
    "WelcomeMessage",
    "parse_action",
    "response",
]

SCHEMA_VERSION = "1.0"
#: Actions one Lambda response may carry (AWS: "a maximum of 10 actions for each invocation").
MAX_ACTIONS = 10
#: ``TransactionAttributes`` entries the service stores per call (AWS: "a maximum of 100
#: key/value pairs").
MAX_TRANSACTION_ATTRIBUTES = 100
#: ``TransactionAttributes`` payload limit (AWS: "a maximum payload size of 20 KB"), counted
#: as the UTF-8 bytes of the JSON object.
MAX_TRANSACTION_ATTRIBUTES_BYTES = 20 * 1024

_MORE = "chime_calls.sma._more_actions"
_LAZY_ACTIONS = frozenset(
    {
        "ModifyChimeMeetingAttendees",
        "PauseCallRecording",
        "PlayAudioAndGetDigits",
        "ReceiveDigits",
        "RecordAudio",
        "ResumeCallRecording",
        "SendDigits",
        "SpeakAndGetDigits",
        "StartBotConversation",
        "StartCallRecording",
        "StopCallRecording",
        "VoiceFocus",
    }
)
_LAZY = _LAZY_ACTIONS | {"SpeechParameters", "WelcomeMessage"}

LEGS = ("LEG-A", "LEG-B")
DTMF = frozenset("0123456789#*")
# Besides custom ``x-`` headers, AWS passes these two standard headers through.
_STANDARD_SIP_HEADERS = frozenset({"user-to-user", "diversion"})
_CALL_TIMEOUT = _rules.IntRule("CallTimeoutSeconds", min_value=1, max_value=120)
POSITIVE = _rules.IntRule("PositiveInteger", min_value=1)
SPEAK_TEXT_MAX = 1000  # AWS: "Text is limited to 1,000 characters"

_A = TypeVar("_A", bound="Action")


# --- shared checks (also used by the other action module) ----------------------------------------


def required_text(value: object, field: str, out: list[Violation]) -> None:
    if not isinstance(value, str) or not value.strip():
        out.append(Violation(field, "required", "must be a non-empty string"))


def optional_enum(
    value: object, allowed: tuple[str, ...], field: str, out: list[Violation]
) -> None:
    if value is not None and value not in allowed:
        shown = ", ".join(a or repr(a) for a in allowed)
        out.append(Violation(field, "enum", f"must be one of {shown}"))


def optional_text(value: object, field: str, out: list[Violation]) -> None:
    if value is not None:
        required_text(value, field, out)


def optional_int(value: object, rule: _rules.IntRule, field: str, out: list[Violation]) -> None:
    if value is not None:
        rule.check(value, field, out)


def leg(
    call_id: object,
    tag: object,
    where: str,
    out: list[Violation],
    tags: tuple[str, ...] = LEGS,
) -> None:
    """``CallId`` / ``ParticipantTag``: both optional (default: the leg the event was about).
    An empty ``CallId`` counts as left out, as published handlers send it."""
    if call_id != "":
        optional_text(call_id, f"{where}.call_id", out)
    optional_enum(tag, tags, f"{where}.participant_tag", out)


def digits(
    values: tuple[object, ...], allowed: frozenset[str], where: str, out: list[Violation]
) -> None:
    for i, digit in enumerate(values):
        if digit not in allowed:
            out.append(
                Violation(f"{where}[{i}]", "enum", f"must be one of {''.join(sorted(allowed))}")
            )


def text_length(value: object, limit: int, field: str, out: list[Violation]) -> None:
    if isinstance(value, str) and len(value) > limit:
        out.append(Violation(field, "length", f"at most {limit} characters"))


# --- wire mapping --------------------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


def to_int(value: Any) -> Any:
    """AWS's own examples send numbers both as JSON numbers and as digit strings."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


def as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def to_tuple(value: Any) -> tuple[Any, ...]:
    """``converter=tuple`` as a Python function: attrs reads a converter's signature, and for a
    builtin that means compiling tokenize's regular expressions, a few milliseconds of a
    Lambda's cold start."""
    return tuple(value)


@attrs.frozen(repr=False, eq=False)
class Wire(_Struct):
    """One ``Parameters`` member: its AWS name, the attribute, and how to read and write it."""

    aws: str
    attr: str
    load: Callable[[Any], Any] = _same
    dump: Callable[[Any], Any] = _same


class Action(_Struct):
    """Base of the typed actions: ``Type`` plus ``Parameters``.

    Subclass it (set ``type`` and implement ``parameters``) for an action this module does
    not model; ``response`` also accepts plain ``{"Type": ..., "Parameters": ...}`` dicts.
    """

    type: ClassVar[str]
    #: How each attribute maps to a member of ``Parameters`` (the typed actions declare it).
    wire: ClassVar[tuple[Wire, ...]] = ()

    def parameters(self) -> dict[str, Any]:
        """The ``Parameters`` object, with real (revealed) values."""
        if not self.wire:
            raise NotImplementedError
        out: dict[str, Any] = {}
        for member in self.wire:
            value = getattr(self, member.attr)
            if value is not None and value != ():
                out[member.aws] = member.dump(value)
        return out

    def violations(self) -> list[Violation]:
        """What breaks the documented constraints (empty when the action is valid)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        return {"Type": self.type, "Parameters": self.parameters()}

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> Self:
        """Read the action from its ``Parameters``; ``ValidationError`` when
        a member is missing or breaks a documented constraint."""
        return build(cls, parameters, cls.wire)

    def __attrs_post_init__(self) -> None:
        problems = self.violations()
        if problems:
            raise ValidationError(problems)


def build(cls: builtins.type[_A], parameters: Mapping[str, Any], wire: tuple[Wire, ...]) -> _A:
    """Construct ``cls`` from the ``Parameters`` members named in ``wire``."""
    kwargs: dict[str, Any] = {}
    missing: list[Violation] = []
    required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}  # type: ignore[arg-type]
    for member in wire:
        value = parameters.get(member.aws)
        if value is None:
            if member.attr in required:
                missing.append(
                    Violation(f"{cls.type}.{member.attr}", "required", f"{member.aws} is required")
                )
            continue
        kwargs[member.attr] = member.load(value)
    if missing:
        raise ValidationError(missing)
    try:
        return cls(**kwargs)
    except ValidationError:
        raise
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(
            [Violation(cls.type, "type", "a parameter has the wrong type")]
        ) from None


def _opt_sensitive_map(value: object) -> SensitiveMap | Any:
    return SensitiveMap.coerce(value)


def _masked_number(value: str) -> str:
    return repr(mask_phone_number(value)) if isinstance(value, str) else repr(value)


def _join_token(value: object) -> JoinToken | Any:
    return JoinToken.coerce(value)


def _phone(value: object) -> PhoneNumber | Any:
    return PhoneNumber.coerce(value)


def _reveal(value: Any) -> Any:
    return value.reveal()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class JoinChimeMeeting(Action):
    """Put the call leg into a meeting with an attendee's join token.

    ``meeting_id`` is required by AWS for meetings created in the ``chime-sdk-meetings``
    namespace (optional only for legacy ``chime`` meetings). ``call_id`` or
    ``participant_tag`` (``LEG-A`` only) pick the leg; by default the invoked leg.
    """

    type: ClassVar[str] = "JoinChimeMeeting"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("JoinToken", "join_token", dump=_reveal),
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("MeetingId", "meeting_id"),
    )
    join_token: JoinToken = attrs.field(converter=_join_token)
    meeting_id: str | None = None
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        if isinstance(self.join_token, JoinToken):
            _rules.JOIN_TOKEN.check(self.join_token.reveal(), "JoinChimeMeeting.join_token", out)
        else:
            out.append(Violation("JoinChimeMeeting.join_token", "type", "must be a string"))
        if self.meeting_id is not None:
            _rules.GUID.check(self.meeting_id, "JoinChimeMeeting.meeting_id", out)
        leg(self.call_id, self.participant_tag, "JoinChimeMeeting", out, ("LEG-A",))
        return out


def speech_checks(
    speech: Any, where: str, out: list[Violation], call_id: object = attrs.NOTHING
) -> None:
    """``Text`` (1..1000 characters) and the Amazon Polly options of ``Speak`` and
    ``SpeakAndGetDigits``; ``call_id`` too when the action requires one."""
    required_text(speech.text, f"{where}.text", out)
    text_length(speech.text, SPEAK_TEXT_MAX, f"{where}.text", out)
    if call_id is not attrs.NOTHING:
        required_text(call_id, f"{where}.call_id", out)
    optional_enum(speech.engine, ("standard", "neural"), f"{where}.engine", out)
    optional_enum(speech.text_type, ("text", "ssml"), f"{where}.text_type", out)
    optional_text(speech.language_code, f"{where}.language_code", out)
    optional_text(speech.voice_id, f"{where}.voice_id", out)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Speak(Action):
    """Speak ``text`` on a leg with Amazon Polly (plain text, or SSML with ``text_type="ssml"``).

    AWS requires ``CallId`` for this action and limits ``text`` to 1,000 characters.
    ``engine`` defaults to ``standard`` and ``voice_id`` to ``Joanna`` on the service side
    when left out.
    """

    type: ClassVar[str] = "Speak"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("Text", "text"),
        Wire("CallId", "call_id"),
        Wire("Engine", "engine"),
        Wire("LanguageCode", "language_code"),
        Wire("TextType", "text_type"),
        Wire("VoiceId", "voice_id"),
    )
    text: str
    call_id: str
    engine: str | None = None
    language_code: str | None = None
    text_type: str | None = None
    voice_id: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        speech_checks(self, "Speak", out, self.call_id)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AudioSource(_Struct):
    """An audio file in S3 (the only source AWS supports). The bucket must grant
    ``s3:GetObject`` to ``voiceconnector.chime.amazonaws.com``."""

    bucket_name: str
    key: str

    def violations(self, where: str) -> list[Violation]:
        out: list[Violation] = []
        required_text(self.bucket_name, f"{where}.bucket_name", out)
        required_text(self.key, f"{where}.key", out)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"Type": "S3", "BucketName": self.bucket_name, "Key": self.key}

    @classmethod
    def load(cls, value: Any) -> AudioSource | Any:
        """From ``{"Type": "S3", "BucketName": ..., "Key": ...}``; anything else is returned as
        is, for the owning action to report."""
        if isinstance(value, Mapping) and value.get("Type", "S3") == "S3":
            return cls(bucket_name=value.get("BucketName", ""), key=value.get("Key", ""))
        return value


def _to_dict(value: Any) -> Any:
    return value.to_dict()


def audio_checks(
    source: object, where: str, out: list[Violation], *, required: bool = True
) -> None:
    if isinstance(source, AudioSource):
        out.extend(source.violations(where))
    elif source is not None or required:
        out.append(Violation(where, "type", "must be an AudioSource (Type S3)"))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PlayAudio(Action):
    """Play an S3 audio file on a leg, ``repeat`` times, stoppable by ``playback_terminators``
    (DTMF digits ``0-9``, ``#``, ``*``). ``call_id`` or ``participant_tag`` (``LEG-A`` /
    ``LEG-B``) pick the leg; by default the leg the event was about."""

    type: ClassVar[str] = "PlayAudio"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("PlaybackTerminators", "playback_terminators", as_tuple, list),
        # AWS's examples send the count as a string.
        Wire("Repeat", "repeat", to_int, str),
        Wire("AudioSource", "audio_source", AudioSource.load, _to_dict),
    )
    audio_source: AudioSource
    call_id: str | None = None
    participant_tag: str | None = None
    playback_terminators: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    repeat: int | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        leg(self.call_id, self.participant_tag, "PlayAudio", out)
        audio_checks(self.audio_source, "PlayAudio.audio_source", out)
        digits(self.playback_terminators, DTMF, "PlayAudio.playback_terminators", out)
        optional_int(self.repeat, POSITIVE, "PlayAudio.repeat", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Pause(Action):
    """Silence on a leg for ``duration_ms`` milliseconds."""

    type: ClassVar[str] = "Pause"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("DurationInMilliseconds", "duration_ms", to_int, str),
    )
    duration_ms: int
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        POSITIVE.check(self.duration_ms, "Pause.duration_ms", out)
        leg(self.call_id, self.participant_tag, "Pause", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Hangup(Action):
    """End a leg. ``sip_response_code``: ``"0"`` normal termination (default), ``"480"``
    unavailable, ``"486"`` busy -- the values AWS allows. ``participant_tag`` may be ``""``
    (AWS then ends the leg the event was about, and echoes ``LEG-A`` back)."""

    type: ClassVar[str] = "Hangup"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("SipResponseCode", "sip_response_code", str),
    )
    call_id: str | None = None
    participant_tag: str | None = None
    sip_response_code: str = "0"

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        leg(self.call_id, self.participant_tag, "Hangup", out, ("", *LEGS))
        optional_enum(self.sip_response_code, ("0", "480", "486"), "Hangup.sip_response_code", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class BridgeEndpoint(_Struct):
    """Where ``CallAndBridge`` calls: ``"PSTN"`` (``uri`` is an E.164 number) or
    ``"AWS"`` (a Voice Connector or group: ``arn`` required, ``uri`` the user part)."""

    bridge_endpoint_type: str
    uri: str = attrs.field(repr=_masked_number)
    arn: str | None = None

    def violations(self, where: str) -> list[Violation]:
        out: list[Violation] = []
        optional_enum(
            self.bridge_endpoint_type, ("PSTN", "AWS"), f"{where}.bridge_endpoint_type", out
        )
        required_text(self.uri, f"{where}.uri", out)
        if self.bridge_endpoint_type == "PSTN" and isinstance(self.uri, str):
            _rules.E164_PHONE_NUMBER.check(self.uri, f"{where}.uri", out)
        if self.bridge_endpoint_type == "AWS":
            if self.arn is None:
                out.append(Violation(f"{where}.arn", "required", "is required for AWS endpoints"))
            else:
                _rules.ARN.check(self.arn, f"{where}.arn", out)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "BridgeEndpointType": self.bridge_endpoint_type,
                "Arn": self.arn,
                "Uri": self.uri,
            }.items()
            if v is not None
        }


def _load_endpoints(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return tuple(
        BridgeEndpoint(
            bridge_endpoint_type=item.get("BridgeEndpointType", ""),
            uri=item.get("Uri", ""),
            arn=item.get("Arn"),
        )
        if isinstance(item, Mapping)
        else item
        for item in value
    )


def _dump_endpoints(value: tuple[BridgeEndpoint, ...]) -> list[dict[str, Any]]:
    return [endpoint.to_dict() for endpoint in value]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CallAndBridge(Action):
    """Call another endpoint and bridge it to the current leg.

    ``caller_id_number`` must be a number you own (or leg A's From number); ``sip_headers`` are
    custom ``x-`` headers plus ``User-to-User`` and ``Diversion``; ``call_timeout_seconds`` is
    1..120 (AWS default 30).
    """

    type: ClassVar[str] = "CallAndBridge"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallTimeoutSeconds", "call_timeout_seconds", to_int),
        Wire("CallerIdNumber", "caller_id_number", dump=_reveal),
        Wire("RingbackTone", "ringback_tone", AudioSource.load, _to_dict),
        Wire("Endpoints", "endpoints", _load_endpoints, _dump_endpoints),
        Wire("SipHeaders", "sip_headers", dump=_reveal),
    )
    caller_id_number: PhoneNumber = attrs.field(converter=_phone)
    endpoints: tuple[BridgeEndpoint, ...] = attrs.field(converter=to_tuple)
    call_timeout_seconds: int | None = None
    sip_headers: SensitiveMap | None = attrs.field(default=None, converter=_opt_sensitive_map)
    ringback_tone: AudioSource | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        if isinstance(self.caller_id_number, PhoneNumber):
            _rules.E164_PHONE_NUMBER.check(
                self.caller_id_number.reveal(), "CallAndBridge.caller_id_number", out
            )
        else:
            out.append(Violation("CallAndBridge.caller_id_number", "type", "must be a string"))
        if not self.endpoints:
            out.append(Violation("CallAndBridge.endpoints", "required", "needs an endpoint"))
        for i, endpoint in enumerate(self.endpoints):
            if isinstance(endpoint, BridgeEndpoint):
                out.extend(endpoint.violations(f"CallAndBridge.endpoints[{i}]"))
            else:
                out.append(
                    Violation(f"CallAndBridge.endpoints[{i}]", "type", "must be a BridgeEndpoint")
                )
        optional_int(
            self.call_timeout_seconds, _CALL_TIMEOUT, "CallAndBridge.call_timeout_seconds", out
        )
        if self.sip_headers is not None:
            if not isinstance(self.sip_headers, SensitiveMap):
                out.append(Violation("CallAndBridge.sip_headers", "type", "must map str to str"))
            else:
                for i, key in enumerate(self.sip_headers):
                    lowered = key.lower()
                    if not lowered.startswith("x-") and lowered not in _STANDARD_SIP_HEADERS:
                        out.append(
                            Violation(
                                f"CallAndBridge.sip_headers[#{i}].key",
                                "pattern",
                                "must be User-to-User, Diversion or a custom header "
                                "starting with 'x-'",
                            )
                        )
        audio_checks(self.ringback_tone, "CallAndBridge.ringback_tone", out, required=False)
        return out


_CORE_ACTIONS: dict[str, type[Action]] = {
    cls.type: cls for cls in (JoinChimeMeeting, Speak, PlayAudio, Pause, Hangup, CallAndBridge)
}
#: Every action type AWS documents for the PSTN audio service.
ACTION_TYPES = frozenset(_CORE_ACTIONS) | _LAZY_ACTIONS


def action_class(action_type: str) -> type[Action] | None:
    """The typed class for an action ``Type`` (``None`` for one AWS does not document)."""
    if action_type in _CORE_ACTIONS:
        return _CORE_ACTIONS[action_type]
    if action_type in _LAZY_ACTIONS:
        cls: type[Action] = globals()["__getattr__"](action_type)
        return cls
    return None


def parse_action(action: Mapping[str, Any]) -> Action:
    """The typed action for ``{"Type": ..., "Parameters": {...}}``.

    Raises ``ValidationError`` for an unknown ``Type`` or parameters that
    break a documented constraint, naming the field like the constructors do.
    """
    action_type = action.get("Type") if isinstance(action, Mapping) else None
    cls = action_class(action_type) if isinstance(action_type, str) else None
    if cls is None:
        raise ValidationError([Violation("Type", "enum", "is not an action AWS documents")])
    parameters = action.get("Parameters")
    return cls.from_parameters(parameters if isinstance(parameters, Mapping) else {})


def attributes_violations(attributes: object) -> list[Violation]:
    """What AWS refuses in a response's ``TransactionAttributes``."""
    out: list[Violation] = []
    if not isinstance(attributes, Mapping):
        return [Violation("transaction_attributes", "type", "must map str to str")]
    if len(attributes) > MAX_TRANSACTION_ATTRIBUTES:
        out.append(
            Violation(
                "transaction_attributes", "size", f"at most {MAX_TRANSACTION_ATTRIBUTES} entries"
            )
        )
    typed = True
    for i, (key, value) in enumerate(attributes.items()):
        if not isinstance(key, str) or not isinstance(value, str):
            typed = False
            out.append(Violation(f"transaction_attributes[#{i}]", "type", "must map str to str"))
    import json  # (not at import: a handler that stores no attributes never needs it)

    if typed and len(json.dumps(dict(attributes)).encode()) > MAX_TRANSACTION_ATTRIBUTES_BYTES:
        out.append(
            Violation(
                "transaction_attributes",
                "size",
                f"at most {MAX_TRANSACTION_ATTRIBUTES_BYTES // 1024} KB as JSON",
            )
        )
    return out


def response(
    *actions: Action | Mapping[str, Any],
    transaction_attributes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The Lambda's answer: ``{"SchemaVersion": "1.0", "Actions": [...]}``.

    Actions run in the order given, at most ``MAX_ACTIONS`` of them.
    ``transaction_attributes`` (string to string, at most ``MAX_TRANSACTION_ATTRIBUTES``
    entries and 20 KB) are stored by the service and echoed in
    ``CallDetails.TransactionAttributes`` of later events; the service replaces the stored set
    with the one given. ``None`` leaves the stored set alone; ``{}`` clears it, as AWS
    documents. Plain mappings pass through for actions not modelled here.
    """
    out: list[Violation] = []
    if len(actions) > MAX_ACTIONS:
        out.append(Violation("actions", "size", f"at most {MAX_ACTIONS} actions per response"))
    serialized: list[dict[str, Any]] = []
    for i, action in enumerate(actions):
        if isinstance(action, Action):
            serialized.append(action.to_dict())
        elif isinstance(action, Mapping) and isinstance(action.get("Type"), str):
            serialized.append(dict(action))
        else:
            out.append(Violation(f"actions[{i}]", "type", "must be an Action or a dict with Type"))
    body: dict[str, Any] = {"SchemaVersion": SCHEMA_VERSION, "Actions": serialized}
    if transaction_attributes is not None:
        out.extend(attributes_violations(transaction_attributes))
        body["TransactionAttributes"] = dict(transaction_attributes)
    if out:
        raise ValidationError(out)
    return body


if not TYPE_CHECKING:  # type checkers see the imports above

    def __getattr__(name: str) -> Any:
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(_MORE), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
