"""The actions fewer handlers use: digits, recording, bots, Voice Focus, meeting attendees.

Loaded the first time one of them is named (``chime_calls.sma.actions`` and
``chime_calls.sma`` export them lazily), so a Lambda that only speaks and joins meetings does
not pay for them. Limits and defaults are those of AWS's "Supported actions for the Amazon
Chime SDK PSTN audio service" pages, one page per action (chime-calls docs sma links each).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from chime_calls import _rules
from chime_calls._rules import Violation, _Struct
from chime_calls.errors import ValidationError
from chime_calls.sma.actions import (
    DTMF,
    POSITIVE,
    Action,
    AudioSource,
    Wire,
    as_tuple,
    audio_checks,
    build,
    digits,
    leg,
    optional_enum,
    optional_int,
    optional_text,
    required_text,
    speech_checks,
    to_int,
    to_tuple,
)
from chime_calls.values import SensitiveMap

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "ModifyChimeMeetingAttendees",
    "PauseCallRecording",
    "PlayAudioAndGetDigits",
    "ReceiveDigits",
    "RecordAudio",
    "ResumeCallRecording",
    "SendDigits",
    "SpeakAndGetDigits",
    "SpeechParameters",
    "StartBotConversation",
    "StartCallRecording",
    "StopCallRecording",
    "VoiceFocus",
    "WelcomeMessage",
]

_NON_NEGATIVE = _rules.IntRule("NonNegativeInteger", min_value=0)
_TONE_MS = _rules.IntRule("ToneDurationInMilliseconds", min_value=50, max_value=24000)
_SILENCE_S = _rules.IntRule("SilenceDurationInSeconds", min_value=0, max_value=1000)
_SILENCE_LEVEL = _rules.IntRule("SilenceThreshold", min_value=1, max_value=1000)
_SEND_DIGITS = frozenset("0123456789*#ABCD,")
_SEND_DIGITS_MAX = 50  # AWS: "Send up to 50 dual tone multi-frequency (DTMF) digits"
_ATTENDEES_MAX = 100  # AWS: AttendeeList "maximum of 100"
_BOT_CONFIGURATION_MAX = 10 * 1024  # AWS: "limited to 10 KB"
_BOT_ALIAS_ARN = re.compile(r"arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias/[^/\s]+/[^/\s]+")
_MAX_DIGITS_DEFAULT = 128


def _regex(value: object, field: str, out: list[Violation], *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or not value:
        out.append(Violation(field, "required", "must be a non-empty regular expression"))
        return
    try:
        re.compile(value)
    except re.error:
        out.append(Violation(field, "pattern", "must be a valid regular expression"))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class _Gather(Action):
    """What the two digit-gathering actions share (AWS documents the same members)."""

    repeat_duration_ms: int
    input_digits_regex: str | None = None
    min_digits: int | None = None
    max_digits: int | None = None
    terminator_digits: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    in_between_digits_ms: int | None = None
    repeat: int | None = None

    shared_wire: ClassVar[tuple[Wire, ...]] = (
        Wire("InputDigitsRegex", "input_digits_regex"),
        Wire("MinNumberOfDigits", "min_digits", to_int),
        Wire("MaxNumberOfDigits", "max_digits", to_int),
        Wire("TerminatorDigits", "terminator_digits", as_tuple, list),
        Wire("InBetweenDigitsDurationInMilliseconds", "in_between_digits_ms", to_int),
        Wire("Repeat", "repeat", to_int),
        Wire("RepeatDurationInMilliseconds", "repeat_duration_ms", to_int),
    )

    def gather_violations(self, out: list[Violation]) -> None:
        where = self.type
        _regex(self.input_digits_regex, f"{where}.input_digits_regex", out, required=False)
        optional_int(self.min_digits, _NON_NEGATIVE, f"{where}.min_digits", out)
        optional_int(self.max_digits, POSITIVE, f"{where}.max_digits", out)
        low, high = self.min_digits, self.max_digits
        if isinstance(low, int) and isinstance(high, int) and high < low:
            out.append(Violation(f"{where}.max_digits", "min", "must be at least min_digits"))
        digits(self.terminator_digits, DTMF, f"{where}.terminator_digits", out)
        optional_int(self.in_between_digits_ms, POSITIVE, f"{where}.in_between_digits_ms", out)
        optional_int(self.repeat, POSITIVE, f"{where}.repeat", out)
        POSITIVE.check(self.repeat_duration_ms, f"{where}.repeat_duration_ms", out)

    # What the service does when members are left out (the fake plays them).
    @property
    def effective_min(self) -> int:
        return self.min_digits or 0

    @property
    def effective_max(self) -> int:
        return self.max_digits or _MAX_DIGITS_DEFAULT

    @property
    def effective_terminators(self) -> tuple[str, ...]:
        return self.terminator_digits or ("#",)

    @property
    def effective_in_between_ms(self) -> int:
        return self.in_between_digits_ms or self.repeat_duration_ms

    @property
    def attempts(self) -> int:
        return self.repeat or 1


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PlayAudioAndGetDigits(_Gather):
    """Play ``audio_source`` and collect DTMF digits; on a wrong or missing entry play
    ``failure_audio_source`` and try again, ``repeat`` attempts of ``repeat_duration_ms`` each.

    AWS defaults: ``min_digits`` 0, ``max_digits`` 128, terminator ``#``, one attempt, and an
    in-between-digits wait equal to ``repeat_duration_ms``. The digits arrive in the next
    ``ACTION_SUCCESSFUL`` as ``ActionData.ReceivedDigits``.
    """

    type: ClassVar[str] = "PlayAudioAndGetDigits"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("AudioSource", "audio_source", AudioSource.load, AudioSource.to_dict),
        Wire("FailureAudioSource", "failure_audio_source", AudioSource.load, AudioSource.to_dict),
        *_Gather.shared_wire,
    )
    audio_source: AudioSource
    failure_audio_source: AudioSource
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        leg(self.call_id, self.participant_tag, self.type, out)
        audio_checks(self.audio_source, f"{self.type}.audio_source", out)
        audio_checks(self.failure_audio_source, f"{self.type}.failure_audio_source", out)
        self.gather_violations(out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SpeechParameters(_Struct):
    """What ``SpeakAndGetDigits`` says: ``Text`` plus the Amazon Polly options of
    ``Speak`` (failure speech inherits the main speech's options)."""

    text: str
    engine: str | None = None
    language_code: str | None = None
    text_type: str | None = None
    voice_id: str | None = None

    def violations(self, where: str) -> list[Violation]:
        out: list[Violation] = []
        speech_checks(self, where, out)
        return out

    def to_dict(self) -> dict[str, Any]:
        members = {
            "Text": self.text,
            "Engine": self.engine,
            "LanguageCode": self.language_code,
            "TextType": self.text_type,
            "VoiceId": self.voice_id,
        }
        return {k: v for k, v in members.items() if v is not None}

    @classmethod
    def load(cls, value: Any) -> SpeechParameters | Any:
        if not isinstance(value, Mapping):
            return value
        return cls(
            text=value.get("Text", ""),
            engine=value.get("Engine"),
            language_code=value.get("LanguageCode"),
            text_type=value.get("TextType"),
            voice_id=value.get("VoiceId"),
        )


def _speech(value: object, where: str, out: list[Violation]) -> None:
    if isinstance(value, SpeechParameters):
        out.extend(value.violations(where))
    else:
        out.append(Violation(where, "type", "must be SpeechParameters"))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SpeakAndGetDigits(_Gather):
    """Speak ``speech`` and collect DTMF digits; on a wrong or missing entry speak
    ``failure_speech`` and try again. ``call_id`` is required (AWS). Defaults as for
    ``PlayAudioAndGetDigits``."""

    type: ClassVar[str] = "SpeakAndGetDigits"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("SpeechParameters", "speech", SpeechParameters.load, SpeechParameters.to_dict),
        Wire(
            "FailureSpeechParameters",
            "failure_speech",
            SpeechParameters.load,
            SpeechParameters.to_dict,
        ),
        *_Gather.shared_wire,
    )
    call_id: str
    speech: SpeechParameters
    failure_speech: SpeechParameters

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        required_text(self.call_id, f"{self.type}.call_id", out)
        _speech(self.speech, f"{self.type}.speech", out)
        _speech(self.failure_speech, f"{self.type}.failure_speech", out)
        self.gather_violations(out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ReceiveDigits(Action):
    """Listen for DTMF digits in the background: the list goes on at once
    (``ACTION_SUCCESSFUL`` with an empty ``ReceivedDigits``), and each entry that matches
    ``input_digits_regex`` later arrives as a ``DIGITS_RECEIVED`` event. All three timing
    members are required (AWS)."""

    type: ClassVar[str] = "ReceiveDigits"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("InputDigitsRegex", "input_digits_regex"),
        Wire("InBetweenDigitsDurationInMilliseconds", "in_between_digits_ms", to_int),
        Wire("FlushDigitsDurationInMilliseconds", "flush_digits_ms", to_int),
    )
    input_digits_regex: str
    in_between_digits_ms: int
    flush_digits_ms: int
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        leg(self.call_id, self.participant_tag, self.type, out)
        _regex(self.input_digits_regex, f"{self.type}.input_digits_regex", out, required=True)
        POSITIVE.check(self.in_between_digits_ms, f"{self.type}.in_between_digits_ms", out)
        POSITIVE.check(self.flush_digits_ms, f"{self.type}.flush_digits_ms", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SendDigits(Action):
    """Send up to 50 DTMF signals on a leg: ``0-9``, ``*``, ``#``, ``A-D``, and ``,`` for a
    half-second pause. ``tone_duration_ms`` is 50..24000 (AWS default 250)."""

    type: ClassVar[str] = "SendDigits"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("Digits", "digits"),
        Wire("ToneDurationInMilliseconds", "tone_duration_ms", to_int),
    )
    call_id: str
    digits: str = attrs.field(repr=lambda value: f"<{len(value)} digits>")
    tone_duration_ms: int | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        required_text(self.call_id, f"{self.type}.call_id", out)
        if not isinstance(self.digits, str) or not self.digits:
            out.append(Violation(f"{self.type}.digits", "required", "must be a non-empty string"))
        else:
            if len(self.digits) > _SEND_DIGITS_MAX:
                out.append(
                    Violation(f"{self.type}.digits", "length", f"at most {_SEND_DIGITS_MAX}")
                )
            if not set(self.digits) <= _SEND_DIGITS:
                out.append(Violation(f"{self.type}.digits", "pattern", "only 0-9 * # A-D ,"))
        optional_int(self.tone_duration_ms, _TONE_MS, f"{self.type}.tone_duration_ms", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class RecordAudio(Action):
    """Record a leg into S3 (``bucket_name``, optional ``prefix``) until
    ``duration_seconds`` pass, a ``recording_terminators`` digit is pressed, or
    ``silence_duration_seconds`` of silence (below ``silence_threshold``, 1..1000) is heard.
    The object's key arrives in ``ActionData.RecordingDestination`` of ``ACTION_SUCCESSFUL``.
    Interruptible: an update that returns new actions stops it (``ACTION_INTERRUPTED``)."""

    type: ClassVar[str] = "RecordAudio"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        # AWS's example sends the duration as a string and the silence members as numbers.
        Wire("DurationInSeconds", "duration_seconds", to_int, str),
        Wire("SilenceDurationInSeconds", "silence_duration_seconds", to_int),
        Wire("SilenceThreshold", "silence_threshold", to_int),
        Wire("RecordingTerminators", "recording_terminators", as_tuple, list),
    )
    bucket_name: str
    recording_terminators: tuple[str, ...] = attrs.field(converter=to_tuple)
    prefix: str | None = None
    call_id: str | None = None
    participant_tag: str | None = None
    duration_seconds: int | None = None
    silence_duration_seconds: int | None = None
    silence_threshold: int | None = None

    @property
    def destination(self) -> dict[str, str]:
        out = {"Type": "S3", "BucketName": self.bucket_name}
        if self.prefix is not None:
            out["Prefix"] = self.prefix
        return out

    def parameters(self) -> dict[str, Any]:
        return {**super().parameters(), "RecordingDestination": self.destination}

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> Self:
        destination = parameters.get("RecordingDestination")
        flat = dict(parameters)
        if isinstance(destination, Mapping) and destination.get("Type", "S3") == "S3":
            flat["BucketName"] = destination.get("BucketName")
            flat["Prefix"] = destination.get("Prefix")
        extra = (Wire("BucketName", "bucket_name"), Wire("Prefix", "prefix"))
        return build(cls, flat, cls.wire + extra)

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        leg(self.call_id, self.participant_tag, self.type, out)
        required_text(self.bucket_name, f"{self.type}.bucket_name", out)
        if self.prefix is not None and not isinstance(self.prefix, str):  # "" is no prefix
            out.append(Violation(f"{self.type}.prefix", "type", "must be a string"))
        optional_int(self.duration_seconds, POSITIVE, f"{self.type}.duration_seconds", out)
        optional_int(
            self.silence_duration_seconds, _SILENCE_S, f"{self.type}.silence_duration_seconds", out
        )
        optional_int(self.silence_threshold, _SILENCE_LEVEL, f"{self.type}.silence_threshold", out)
        if not self.recording_terminators:
            out.append(Violation(f"{self.type}.recording_terminators", "required", "needs a digit"))
        digits(self.recording_terminators, DTMF, f"{self.type}.recording_terminators", out)
        return out


class _OnCall(Action):
    """The call-recording actions that take only the leg's ``CallId`` (required)."""

    wire: ClassVar[tuple[Wire, ...]] = (Wire("CallId", "call_id"),)
    call_id: str

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        required_text(self.call_id, f"{self.type}.call_id", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StartCallRecording(Action):
    """Record a leg's ``INCOMING``, ``OUTGOING`` or ``BOTH`` tracks (stereo for both) into
    S3 at ``location`` (a bucket, optionally ``bucket/prefix``). The file is delivered when
    recording stops or the call ends; its path arrives in
    ``ActionData.CallRecordingDestination`` of ``ACTION_SUCCESSFUL``. Once per leg."""

    type: ClassVar[str] = "StartCallRecording"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("CallId", "call_id"),
        Wire("Track", "track"),
    )
    call_id: str
    track: str
    location: str

    def parameters(self) -> dict[str, Any]:
        return {**super().parameters(), "Destination": {"Type": "S3", "Location": self.location}}

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> Self:
        destination = parameters.get("Destination")
        flat = dict(parameters)
        if isinstance(destination, Mapping) and destination.get("Type", "S3") == "S3":
            flat["Location"] = destination.get("Location")
        return build(cls, flat, (*cls.wire, Wire("Location", "location")))

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        required_text(self.call_id, f"{self.type}.call_id", out)
        if self.track not in ("BOTH", "INCOMING", "OUTGOING"):
            out.append(
                Violation(f"{self.type}.track", "enum", "must be BOTH, INCOMING or OUTGOING")
            )
        required_text(self.location, f"{self.type}.location", out)
        if isinstance(self.location, str) and self.location.startswith("/"):
            out.append(Violation(f"{self.type}.location", "pattern", "must start with a bucket"))
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StopCallRecording(_OnCall):
    """Stop recording a leg and deliver the file. Recording also stops when the call ends,
    and cannot start again on that leg."""

    type: ClassVar[str] = "StopCallRecording"
    call_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PauseCallRecording(_OnCall):
    """Pause a leg's recording (it records a tone, then silence, and bills the pause)."""

    type: ClassVar[str] = "PauseCallRecording"
    call_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ResumeCallRecording(_OnCall):
    """Resume a paused recording (after a brief tone)."""

    type: ClassVar[str] = "ResumeCallRecording"
    call_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class WelcomeMessage(_Struct):
    """A message the bot says first: ``content_type`` ``PlainText`` or ``SSML``."""

    content: str
    content_type: str | None = "PlainText"

    def to_dict(self) -> dict[str, str | None]:
        return {"Content": self.content, "ContentType": self.content_type}


def _session_map(value: object) -> SensitiveMap | Any:
    return SensitiveMap.coerce(value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class StartBotConversation(Action):
    """Hand the caller to an Amazon Lex V2 bot; the conversation's result arrives as
    ``ActionData.IntentResult`` of ``ACTION_SUCCESSFUL``.

    ``bot_alias_arn`` is ``arn:aws:lex:<region>:<account>:bot-alias/<botId>/<aliasId>`` in the
    SIP media application's region; ``locale_id`` defaults to ``en_US`` (AWS).
    ``participant_tag`` can only be ``LEG-A``, and the call must be neither bridged nor in a
    meeting. Welcome messages need ``dialog_action_type="ElicitIntent"``; the whole
    ``Configuration`` is limited to 10 KB of JSON.
    """

    type: ClassVar[str] = "StartBotConversation"
    bot_alias_arn: str
    call_id: str | None = None
    participant_tag: str | None = None
    locale_id: str | None = None
    session_attributes: SensitiveMap | None = attrs.field(default=None, converter=_session_map)
    dialog_action_type: str | None = None
    welcome_messages: tuple[WelcomeMessage, ...] = attrs.field(default=(), converter=to_tuple)

    def configuration(self) -> dict[str, Any] | None:
        state: dict[str, Any] = {}
        if self.session_attributes is not None:
            state["SessionAttributes"] = self.session_attributes.reveal()
        if self.dialog_action_type is not None:
            state["DialogAction"] = {"Type": self.dialog_action_type}
        config: dict[str, Any] = {}
        if state:
            config["SessionState"] = state
        if self.welcome_messages:
            config["WelcomeMessages"] = [m.to_dict() for m in self.welcome_messages]
        return config or None

    def parameters(self) -> dict[str, Any]:
        members = {
            "CallId": self.call_id,
            "ParticipantTag": self.participant_tag,
            "BotAliasArn": self.bot_alias_arn,
            "LocaleId": self.locale_id,
            "Configuration": self.configuration(),
        }
        return {k: v for k, v in members.items() if v is not None}

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> Self:
        config = parameters.get("Configuration")
        config = config if isinstance(config, Mapping) else {}
        state = config.get("SessionState")
        state = state if isinstance(state, Mapping) else {}
        dialog = state.get("DialogAction")
        messages = config.get("WelcomeMessages")
        problems: list[Violation] = []
        if not isinstance(parameters.get("BotAliasArn"), str):
            problems.append(Violation(f"{cls.type}.bot_alias_arn", "required", "is required"))
        if problems:
            raise ValidationError(problems)
        return cls(
            bot_alias_arn=parameters["BotAliasArn"],
            call_id=parameters.get("CallId"),
            participant_tag=parameters.get("ParticipantTag"),
            locale_id=parameters.get("LocaleId"),
            session_attributes=state.get("SessionAttributes"),
            dialog_action_type=dialog.get("Type") if isinstance(dialog, Mapping) else None,
            welcome_messages=tuple(_messages(messages)),
        )

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        where = self.type
        leg(self.call_id, self.participant_tag, where, out, ("LEG-A",))
        if not isinstance(self.bot_alias_arn, str) or not _BOT_ALIAS_ARN.fullmatch(
            self.bot_alias_arn
        ):
            out.append(
                Violation(
                    f"{where}.bot_alias_arn",
                    "pattern",
                    "must be arn:aws:lex:<region>:<account>:bot-alias/<botId>/<aliasId>",
                )
            )
        optional_text(self.locale_id, f"{where}.locale_id", out)
        if self.session_attributes is not None and not isinstance(
            self.session_attributes, SensitiveMap
        ):
            out.append(Violation(f"{where}.session_attributes", "type", "must map str to str"))
        optional_enum(
            self.dialog_action_type,
            ("Delegate", "ElicitIntent"),
            f"{where}.dialog_action_type",
            out,
        )
        for i, message in enumerate(self.welcome_messages):
            field = f"{where}.welcome_messages[{i}]"
            if not isinstance(message, WelcomeMessage):
                out.append(Violation(field, "type", "must be a WelcomeMessage"))
                continue
            optional_enum(message.content_type, ("PlainText", "SSML"), f"{field}.content_type", out)
            if message.content_type is None:
                out.append(Violation(f"{field}.content_type", "required", "is required"))
        if self.welcome_messages and self.dialog_action_type != "ElicitIntent":
            out.append(
                Violation(
                    f"{where}.dialog_action_type",
                    "required",
                    "must be ElicitIntent when welcome messages are given",
                )
            )
        if not out:
            size = len(json.dumps(self.configuration() or {}).encode())
            if size > _BOT_CONFIGURATION_MAX:
                out.append(Violation(f"{where}.configuration", "size", "at most 10 KB as JSON"))
        return out


def _messages(value: object) -> list[Any]:
    return [
        WelcomeMessage(content=m.get("Content", ""), content_type=m.get("ContentType"))
        if isinstance(m, Mapping)
        else m
        for m in (value if isinstance(value, list) else [])
    ]


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VoiceFocus(Action):
    """Turn Amazon Voice Focus noise suppression on or off for a leg (both members required)."""

    type: ClassVar[str] = "VoiceFocus"
    wire: ClassVar[tuple[Wire, ...]] = (Wire("Enable", "enable"), Wire("CallId", "call_id"))
    enable: bool
    call_id: str

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        if not isinstance(self.enable, bool):
            out.append(Violation(f"{self.type}.enable", "type", "must be true or false"))
        required_text(self.call_id, f"{self.type}.call_id", out)
        return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ModifyChimeMeetingAttendees(Action):
    """``Mute`` or ``Unmute`` up to 100 attendees of the meeting the call joined with
    ``JoinChimeMeeting`` (run it on the meeting leg, ``LEG-B``)."""

    type: ClassVar[str] = "ModifyChimeMeetingAttendees"
    wire: ClassVar[tuple[Wire, ...]] = (
        Wire("Operation", "operation"),
        Wire("MeetingId", "meeting_id"),
        Wire("CallId", "call_id"),
        Wire("ParticipantTag", "participant_tag"),
        Wire("AttendeeList", "attendee_list", as_tuple, list),
    )
    operation: str
    meeting_id: str
    attendee_list: tuple[str, ...] = attrs.field(converter=to_tuple)
    call_id: str | None = None
    participant_tag: str | None = None

    def violations(self) -> list[Violation]:
        out: list[Violation] = []
        where = self.type
        optional_enum(self.operation, ("Mute", "Unmute"), f"{where}.operation", out)
        if self.operation is None:
            out.append(Violation(f"{where}.operation", "required", "is required"))
        _rules.GUID.check(self.meeting_id, f"{where}.meeting_id", out)
        leg(self.call_id, self.participant_tag, where, out)
        if not self.attendee_list:
            out.append(Violation(f"{where}.attendee_list", "required", "needs an attendee"))
        if len(self.attendee_list) > _ATTENDEES_MAX:
            out.append(
                Violation(f"{where}.attendee_list", "size", f"at most {_ATTENDEES_MAX} attendees")
            )
        for i, attendee in enumerate(self.attendee_list[: _ATTENDEES_MAX + 1]):
            _rules.GUID.check(attendee, f"{where}.attendee_list[{i}]", out)
        return out
