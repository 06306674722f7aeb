"""Typed SIP media application actions and the Lambda response that carries them.

Each action is a frozen attrs class whose :meth:`Action.to_dict` produces exactly the JSON the
PSTN audio service documents (``{"Type": ..., "Parameters": {...}}``, AWS's member names,
optional members left out rather than sent as ``null``). Constraints the documentation states
(required members, enumerations, ranges) are checked at construction and reported as a
:class:`~chime_calls.ValidationError` naming the field, so a bad action fails in the handler's
own code and tests, not as an ``ACTION_FAILED`` or ``INVALID_LAMBDA_RESPONSE`` mid-call.

Join tokens, phone numbers and SIP headers are wrapped in the package's sensitive value types:
an action's repr never shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from chime_calls import _rules
from chime_calls._rules import Violation
from chime_calls.errors import ValidationError
from chime_calls.values import JoinToken, PhoneNumber, SensitiveMap, mask_phone_number

__all__ = [
    "MAX_ACTIONS",
    "MAX_TRANSACTION_ATTRIBUTES",
    "SCHEMA_VERSION",
    "Action",
    "AudioSource",
    "BridgeEndpoint",
    "CallAndBridge",
    "Hangup",
    "JoinChimeMeeting",
    "Pause",
    "PlayAudio",
    "Speak",
    "response",
]

SCHEMA_VERSION = "1.0"
#: Actions one Lambda response may carry (AWS: "a maximum of 10 actions for each invocation").
MAX_ACTIONS = 10
#: ``TransactionAttributes`` entries the service stores per call.
MAX_TRANSACTION_ATTRIBUTES = 100

_PARTICIPANT_TAGS = ("LEG-A", "LEG-B")
_DTMF = frozenset("0123456789#*")
# Besides custom ``x-`` headers, AWS passes these two standard headers through.
_STANDARD_SIP_HEADERS = frozenset({"user-to-user", "diversion"})
_CALL_TIMEOUT = _rules.IntRule("CallTimeoutSeconds", min_value=1, max_value=120)
_POSITIVE = _rules.IntRule("PositiveInteger", min_value=1)
_SPEAK_TEXT_MAX = 1000  # AWS: "Text is limited to 1,000 characters"


def _required_text(value: object, field: str, out: list[Violation]) -> None:
    if not isinstance(value, str) or not value.strip():
        out.append(Violation(field, "required", "must be a non-empty string"))


def _optional_enum(
    value: object, allowed: tuple[str, ...], field: str, out: list[Violation]
) -> None:
    if value is not None and value not in allowed:
        out.append(Violation(field, "enum", f"must be one of {', '.join(allowed)}"))


def _optional_text(value: object, field: str, out: list[Violation]) -> None:
    if value is not None:
        _required_text(value, field, out)


def _leg(call_id: object, tag: object, where: str, out: list[Violation]) -> None:
    """``CallId`` / ``ParticipantTag``: both optional (default: the leg the event was about)."""
    _optional_text(call_id, f"{where}.call_id", out)
    _optional_enum(tag, _PARTICIPANT_TAGS, f"{where}.participant_tag", out)


def _drop_none(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


def _opt_sensitive_map(value: object) -> SensitiveMap | Any:
    return SensitiveMap.coerce(value)


def _masked_number(value: str) -> str:
    return repr(mask_phone_number(value)) if isinstance(value, str) else repr(value)


def _join_token(value: object) -> JoinToken | Any:
    return JoinToken.coerce(value)


def _phone(value: object) -> PhoneNumber | Any:
    return PhoneNumber.coerce(value)


class Action:
    """Base of the typed actions: ``Type`` plus ``Parameters``.

    Subclass it (set ``type`` and implement :meth:`parameters`) for an action this module does
    not model; :func:`response` also accepts plain ``{"Type": ..., "Parameters": ...}`` dicts.
    """

    type: ClassVar[str]

    def parameters(self) -> dict[str, Any]:
        """The ``Parameters`` object, with real (revealed) values."""
        raise NotImplementedError

    def violations(self) -> list[Violation]:
        """What breaks the documented constraints (empty when the action is valid)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        return {"Type": self.type, "Parameters": self.parameters()}

    def __attrs_post_init__(self) -> None:
        problems = self.violations()
        if problems:
            raise ValidationError(problems)


@attrs.frozen(kw_only=True)
class JoinChimeMeeting(Action):
    """Put the call leg into a meeting with an attendee's join token.

    ``meeting_id`` is required by AWS for meetings created in the ``chime-sdk-meetings``
    namespace (optional only for legacy ``chime`` meetings). ``call_id`` or
    ``participant_tag`` (``LEG-A`` only) pick the leg; by default the invoked leg.
    """

    type: ClassVar[str] = "JoinChimeMeeting"
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
        _optional_text(self.call_id, "JoinChimeMeeting.call_id", out)
        _optional_enum(self.participant_tag, ("LEG-A",), "JoinChimeMeeting.participant_tag", out)
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "JoinToken": self.join_token.reveal(),
                "CallId": self.call_id,
                "ParticipantTag": self.participant_tag,
                "MeetingId": self.meeting_id,
            }
        )


@attrs.frozen(kw_only=True)
class Speak(Action):
    """Speak ``text`` on a leg with Amazon Polly (plain text, or SSML with ``text_type="ssml"``).

    AWS requires ``CallId`` for this action and limits ``text`` to 1,000 characters.
    ``engine`` defaults to ``standard`` and ``voice_id`` to ``Joanna`` on the service side
    when left out.
    """

    type: ClassVar[str] = "Speak"
    text: str
    call_id: str
    engine: str | None = None
    language_code: str | None = None
    text_type: str | None = None
    voice_id: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        _required_text(self.text, "Speak.text", out)
        if isinstance(self.text, str) and len(self.text) > _SPEAK_TEXT_MAX:
            out.append(Violation("Speak.text", "length", f"at most {_SPEAK_TEXT_MAX} characters"))
        _required_text(self.call_id, "Speak.call_id", out)
        _optional_enum(self.engine, ("standard", "neural"), "Speak.engine", out)
        _optional_enum(self.text_type, ("text", "ssml"), "Speak.text_type", out)
        _optional_text(self.language_code, "Speak.language_code", out)
        _optional_text(self.voice_id, "Speak.voice_id", out)
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "Text": self.text,
                "CallId": self.call_id,
                "Engine": self.engine,
                "LanguageCode": self.language_code,
                "TextType": self.text_type,
                "VoiceId": self.voice_id,
            }
        )


@attrs.frozen(kw_only=True)
class AudioSource:
    """An audio file in S3 (the only source AWS supports). The bucket must grant
    ``s3:GetObject`` to ``voiceconnector.chime.amazonaws.com``."""

    bucket_name: str
    key: str

    def violations(self, where: str) -> list[Violation]:
        out: list[Violation] = []
        _required_text(self.bucket_name, f"{where}.bucket_name", out)
        _required_text(self.key, f"{where}.key", out)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"Type": "S3", "BucketName": self.bucket_name, "Key": self.key}


@attrs.frozen(kw_only=True)
class PlayAudio(Action):
    """Play an S3 audio file on a leg, ``repeat`` times, stoppable by ``playback_terminators``
    (DTMF digits ``0-9``, ``#``, ``*``). ``call_id`` or ``participant_tag`` (``LEG-A`` /
    ``LEG-B``) pick the leg; by default the leg the event was about."""

    type: ClassVar[str] = "PlayAudio"
    audio_source: AudioSource
    call_id: str | None = None
    participant_tag: str | None = None
    playback_terminators: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    repeat: int | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        _leg(self.call_id, self.participant_tag, "PlayAudio", out)
        if isinstance(self.audio_source, AudioSource):
            out.extend(self.audio_source.violations("PlayAudio.audio_source"))
        else:
            out.append(Violation("PlayAudio.audio_source", "type", "must be an AudioSource"))
        for i, digit in enumerate(self.playback_terminators):
            if digit not in _DTMF:
                out.append(
                    Violation(f"PlayAudio.playback_terminators[{i}]", "enum", "must be 0-9, # or *")
                )
        if self.repeat is not None:
            _POSITIVE.check(self.repeat, "PlayAudio.repeat", out)
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "CallId": self.call_id,
                "ParticipantTag": self.participant_tag,
                "PlaybackTerminators": list(self.playback_terminators) or None,
                # AWS's examples send the count as a string.
                "Repeat": None if self.repeat is None else str(self.repeat),
                "AudioSource": self.audio_source.to_dict(),
            }
        )


@attrs.frozen(kw_only=True)
class Pause(Action):
    """Silence on a leg for ``duration_ms`` milliseconds."""

    type: ClassVar[str] = "Pause"
    duration_ms: int
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        _POSITIVE.check(self.duration_ms, "Pause.duration_ms", out)
        _leg(self.call_id, self.participant_tag, "Pause", out)
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "CallId": self.call_id,
                "ParticipantTag": self.participant_tag,
                "DurationInMilliseconds": str(self.duration_ms),
            }
        )


@attrs.frozen(kw_only=True)
class Hangup(Action):
    """End a leg. ``sip_response_code``: ``"0"`` normal termination (default), ``"480"``
    unavailable, ``"486"`` busy -- the values AWS allows."""

    type: ClassVar[str] = "Hangup"
    call_id: str | None = None
    participant_tag: str | None = None
    sip_response_code: str = "0"

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        _leg(self.call_id, self.participant_tag, "Hangup", out)
        _optional_enum(self.sip_response_code, ("0", "480", "486"), "Hangup.sip_response_code", out)
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "CallId": self.call_id,
                "ParticipantTag": self.participant_tag,
                "SipResponseCode": self.sip_response_code,
            }
        )


@attrs.frozen(kw_only=True)
class BridgeEndpoint:
    """Where :class:`CallAndBridge` calls: ``"PSTN"`` (``uri`` is an E.164 number) or
    ``"AWS"`` (a Voice Connector or group: ``arn`` required, ``uri`` the user part)."""

    bridge_endpoint_type: str
    uri: str = attrs.field(repr=_masked_number)
    arn: str | None = None

    def violations(self, where: str) -> list[Violation]:
        out: list[Violation] = []
        _optional_enum(
            self.bridge_endpoint_type, ("PSTN", "AWS"), f"{where}.bridge_endpoint_type", out
        )
        _required_text(self.uri, f"{where}.uri", out)
        if self.bridge_endpoint_type == "PSTN" and isinstance(self.uri, str):
            _rules.E164_PHONE_NUMBER.check(self.uri, f"{where}.uri", out)
        if self.bridge_endpoint_type == "AWS":
            if self.arn is None:
                out.append(Violation(f"{where}.arn", "required", "is required for AWS endpoints"))
            else:
                _rules.ARN.check(self.arn, f"{where}.arn", out)
        return out

    def to_dict(self) -> dict[str, Any]:
        return _drop_none(
            {"BridgeEndpointType": self.bridge_endpoint_type, "Arn": self.arn, "Uri": self.uri}
        )


@attrs.frozen(kw_only=True)
class CallAndBridge(Action):
    """Call another endpoint and bridge it to the current leg.

    ``caller_id_number`` must be a number you own (or leg A's From number); ``sip_headers`` are
    custom ``x-`` headers plus ``User-to-User`` and ``Diversion``; ``call_timeout_seconds`` is
    1..120 (AWS default 30).
    """

    type: ClassVar[str] = "CallAndBridge"
    caller_id_number: PhoneNumber = attrs.field(converter=_phone)
    endpoints: tuple[BridgeEndpoint, ...] = attrs.field(converter=tuple)
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
            out.extend(endpoint.violations(f"CallAndBridge.endpoints[{i}]"))
        if self.call_timeout_seconds is not None:
            _CALL_TIMEOUT.check(
                self.call_timeout_seconds, "CallAndBridge.call_timeout_seconds", out
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
        if self.ringback_tone is not None:
            out.extend(self.ringback_tone.violations("CallAndBridge.ringback_tone"))
        return out

    def parameters(self) -> dict[str, Any]:
        return _drop_none(
            {
                "CallTimeoutSeconds": self.call_timeout_seconds,
                "CallerIdNumber": self.caller_id_number.reveal(),
                "RingbackTone": self.ringback_tone.to_dict() if self.ringback_tone else None,
                "Endpoints": [endpoint.to_dict() for endpoint in self.endpoints],
                "SipHeaders": self.sip_headers.reveal() if self.sip_headers else None,
            }
        )


def response(
    *actions: Action | Mapping[str, Any],
    transaction_attributes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The Lambda's answer: ``{"SchemaVersion": "1.0", "Actions": [...]}``.

    Actions run in the order given, at most :data:`MAX_ACTIONS` of them.
    ``transaction_attributes`` (string to string, at most :data:`MAX_TRANSACTION_ATTRIBUTES`)
    are stored by the service and echoed in ``CallDetails.TransactionAttributes`` of later
    events; the service replaces the stored set with the one given. They are left out when
    ``None`` or empty (an explicit ``{}`` would erase the stored ones: return
    ``{"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": {}}`` yourself for that).
    Plain mappings pass through for actions not modelled here.
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
    if transaction_attributes:
        if len(transaction_attributes) > MAX_TRANSACTION_ATTRIBUTES:
            out.append(
                Violation(
                    "transaction_attributes",
                    "size",
                    f"at most {MAX_TRANSACTION_ATTRIBUTES} entries",
                )
            )
        for i, (key, value) in enumerate(transaction_attributes.items()):
            if not isinstance(key, str) or not isinstance(value, str):
                out.append(
                    Violation(f"transaction_attributes[#{i}]", "type", "must map str to str")
                )
        body["TransactionAttributes"] = dict(transaction_attributes)
    if out:
        raise ValidationError(out)
    return body
