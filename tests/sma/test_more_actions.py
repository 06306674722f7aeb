"""Every action AWS documents: typed, serialized as AWS's pages show, read back, limits checked.

Expected JSON is each action page's example (AWS's "Supported actions for the Amazon Chime SDK
PSTN audio service", https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html).
"""

from __future__ import annotations

from typing import Any

import pytest

from chime_calls import ValidationError
from chime_calls.sma import (
    ACTION_TYPES,
    Action,
    AudioSource,
    Hangup,
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
    parse_action,
    parse_event,
)

from ._events import CALL_ID, MEETING_ID, event

BOT = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"
ATTENDEE = "0d0b8197-e912-418f-9dd7-35005da707c4"
S3 = {"Type": "S3", "BucketName": "bucket-name"}

DOCUMENTED: list[tuple[Action, dict[str, Any]]] = [
    (  # play-audio-get-digits.html
        PlayAudioAndGetDigits(
            call_id=CALL_ID,
            participant_tag="LEG-A",
            input_digits_regex=r"^\d{2}#$",
            audio_source=AudioSource(bucket_name="bucket-name", key="audio-file-1.wav"),
            failure_audio_source=AudioSource(
                bucket_name="bucket-name", key="audio-file-failure.wav"
            ),
            min_digits=3,
            max_digits=5,
            terminator_digits=["#"],
            in_between_digits_ms=5000,
            repeat=3,
            repeat_duration_ms=10000,
        ),
        {
            "CallId": CALL_ID,
            "ParticipantTag": "LEG-A",
            "InputDigitsRegex": r"^\d{2}#$",
            "AudioSource": {**S3, "Key": "audio-file-1.wav"},
            "FailureAudioSource": {**S3, "Key": "audio-file-failure.wav"},
            "MinNumberOfDigits": 3,
            "MaxNumberOfDigits": 5,
            "TerminatorDigits": ["#"],
            "InBetweenDigitsDurationInMilliseconds": 5000,
            "Repeat": 3,
            "RepeatDurationInMilliseconds": 10000,
        },
    ),
    (  # speak-and-get-digits.html
        SpeakAndGetDigits(
            call_id=CALL_ID,
            speech=SpeechParameters(
                text="Hello World",
                engine="neural",
                language_code="en-US",
                text_type="text",
                voice_id="Joanna",
            ),
            failure_speech=SpeechParameters(text="Hello World"),
            min_digits=3,
            max_digits=5,
            terminator_digits=["#"],
            in_between_digits_ms=5000,
            repeat=3,
            repeat_duration_ms=10000,
        ),
        {
            "CallId": CALL_ID,
            "SpeechParameters": {
                "Text": "Hello World",
                "Engine": "neural",
                "LanguageCode": "en-US",
                "TextType": "text",
                "VoiceId": "Joanna",
            },
            "FailureSpeechParameters": {"Text": "Hello World"},
            "MinNumberOfDigits": 3,
            "MaxNumberOfDigits": 5,
            "TerminatorDigits": ["#"],
            "InBetweenDigitsDurationInMilliseconds": 5000,
            "Repeat": 3,
            "RepeatDurationInMilliseconds": 10000,
        },
    ),
    (  # listen-to-digits.html
        ReceiveDigits(
            call_id=CALL_ID,
            participant_tag="LEG-A",
            input_digits_regex=r"^\d{2}#$",
            in_between_digits_ms=1000,
            flush_digits_ms=10000,
        ),
        {
            "CallId": CALL_ID,
            "ParticipantTag": "LEG-A",
            "InputDigitsRegex": r"^\d{2}#$",
            "InBetweenDigitsDurationInMilliseconds": 1000,
            "FlushDigitsDurationInMilliseconds": 10000,
        },
    ),
    (  # send-digits.html
        SendDigits(call_id=CALL_ID, digits=",,*1234,56,7890ABCD#", tone_duration_ms=100),
        {"CallId": CALL_ID, "Digits": ",,*1234,56,7890ABCD#", "ToneDurationInMilliseconds": 100},
    ),
    (  # record-audio.html
        RecordAudio(
            call_id=CALL_ID,
            duration_seconds=10,
            silence_duration_seconds=3,
            silence_threshold=100,
            recording_terminators=["#"],
            bucket_name="valid-bucket-name",
            prefix="valid-prefix-name",
        ),
        {
            "CallId": CALL_ID,
            "DurationInSeconds": "10",
            "SilenceDurationInSeconds": 3,
            "SilenceThreshold": 100,
            "RecordingTerminators": ["#"],
            "RecordingDestination": {
                "Type": "S3",
                "BucketName": "valid-bucket-name",
                "Prefix": "valid-prefix-name",
            },
        },
    ),
    (  # start-call-recording.html
        StartCallRecording(call_id=CALL_ID, track="BOTH", location="valid-bucket-name"),
        {
            "CallId": CALL_ID,
            "Track": "BOTH",
            "Destination": {"Type": "S3", "Location": "valid-bucket-name"},
        },
    ),
    (StopCallRecording(call_id=CALL_ID), {"CallId": CALL_ID}),
    (PauseCallRecording(call_id=CALL_ID), {"CallId": CALL_ID}),
    (ResumeCallRecording(call_id=CALL_ID), {"CallId": CALL_ID}),
    (  # start-bot-conversation.html
        StartBotConversation(
            call_id=CALL_ID,
            bot_alias_arn=BOT,
            locale_id="en_US",
            session_attributes={"mykey1": "myvalue1"},
            dialog_action_type="ElicitIntent",
            welcome_messages=[WelcomeMessage(content="Welcome. How can I help you?")],
        ),
        {
            "CallId": CALL_ID,
            "BotAliasArn": BOT,
            "LocaleId": "en_US",
            "Configuration": {
                "SessionState": {
                    "SessionAttributes": {"mykey1": "myvalue1"},
                    "DialogAction": {"Type": "ElicitIntent"},
                },
                "WelcomeMessages": [
                    {"Content": "Welcome. How can I help you?", "ContentType": "PlainText"}
                ],
            },
        },
    ),
    (VoiceFocus(enable=True, call_id=CALL_ID), {"Enable": True, "CallId": CALL_ID}),  # voice-focus
    (  # mute-unmute.html
        ModifyChimeMeetingAttendees(
            operation="Mute",
            meeting_id=MEETING_ID,
            call_id=CALL_ID,
            participant_tag="LEG-B",
            attendee_list=[ATTENDEE],
        ),
        {
            "Operation": "Mute",
            "MeetingId": MEETING_ID,
            "CallId": CALL_ID,
            "ParticipantTag": "LEG-B",
            "AttendeeList": [ATTENDEE],
        },
    ),
]


@pytest.mark.parametrize(("action", "parameters"), DOCUMENTED, ids=lambda v: getattr(v, "type", ""))
def test_serializes_as_documented_and_reads_back(
    action: Action, parameters: dict[str, Any]
) -> None:
    assert action.to_dict() == {"Type": action.type, "Parameters": parameters}
    assert parse_action(action.to_dict()) == action


def test_every_documented_action_has_a_class() -> None:
    assert len(ACTION_TYPES) == 18
    typed = {a.type for a, _ in DOCUMENTED} | {
        "JoinChimeMeeting",
        "Speak",
        "PlayAudio",
        "Pause",
        "Hangup",
        "CallAndBridge",
    }
    assert typed == ACTION_TYPES


@pytest.mark.parametrize(
    ("build", "fields"),
    [
        (lambda: SendDigits(call_id=CALL_ID, digits="1" * 51), ["SendDigits.digits"]),
        (lambda: SendDigits(call_id=CALL_ID, digits="1E"), ["SendDigits.digits"]),
        (
            lambda: SendDigits(call_id=CALL_ID, digits="1", tone_duration_ms=49),
            ["SendDigits.tone_duration_ms"],
        ),
        (
            lambda: ReceiveDigits(
                input_digits_regex="(", in_between_digits_ms=0, flush_digits_ms=1
            ),
            ["ReceiveDigits.input_digits_regex", "ReceiveDigits.in_between_digits_ms"],
        ),
        (
            lambda: RecordAudio(bucket_name="b", recording_terminators=[], silence_threshold=1001),
            ["RecordAudio.silence_threshold", "RecordAudio.recording_terminators"],
        ),
        (
            lambda: StartCallRecording(call_id=CALL_ID, track="LEFT", location="b"),
            ["StartCallRecording.track"],
        ),
        (
            lambda: StartBotConversation(
                bot_alias_arn="arn:aws:lex:us-east-1:1:bot/x",
                participant_tag="LEG-B",
                welcome_messages=[WelcomeMessage(content="hi")],
            ),
            [
                "StartBotConversation.participant_tag",
                "StartBotConversation.bot_alias_arn",
                "StartBotConversation.dialog_action_type",
            ],
        ),
        (lambda: VoiceFocus(enable="yes", call_id=CALL_ID), ["VoiceFocus.enable"]),  # type: ignore[arg-type]
        (
            lambda: ModifyChimeMeetingAttendees(
                operation="Kick", meeting_id=MEETING_ID, attendee_list=[ATTENDEE] * 101
            ),
            ["ModifyChimeMeetingAttendees.operation", "ModifyChimeMeetingAttendees.attendee_list"],
        ),
        (
            lambda: PlayAudioAndGetDigits(
                audio_source=AudioSource(bucket_name="b", key="k"),
                failure_audio_source=AudioSource(bucket_name="b", key="f"),
                repeat_duration_ms=0,
                min_digits=5,
                max_digits=4,
                terminator_digits=["A"],
            ),
            [
                "PlayAudioAndGetDigits.max_digits",
                "PlayAudioAndGetDigits.terminator_digits[0]",
                "PlayAudioAndGetDigits.repeat_duration_ms",
            ],
        ),
        (
            lambda: SpeakAndGetDigits(
                call_id=CALL_ID,
                speech=SpeechParameters(text="x" * 1001),
                failure_speech=SpeechParameters(text="", engine="turbo"),
                repeat_duration_ms=1000,
            ),
            [
                "SpeakAndGetDigits.speech.text",
                "SpeakAndGetDigits.failure_speech.text",
                "SpeakAndGetDigits.failure_speech.engine",
            ],
        ),
    ],
)
def test_documented_limits_fail_at_construction(build: Any, fields: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    assert list(info.value.fields) == fields


def test_hangup_accepts_every_participant_tag_aws_accepts() -> None:
    for tag in ("", "LEG-A", "LEG-B"):
        assert Hangup(participant_tag=tag).to_dict()["Parameters"]["ParticipantTag"] == tag


def test_parse_action_reads_what_published_handlers_send() -> None:
    """Numbers as digit strings and empty CallId/Prefix, as in AWS's own samples."""
    record = parse_action(
        {
            "Type": "RecordAudio",
            "Parameters": {
                "CallId": "",
                "DurationInSeconds": "10",
                "RecordingTerminators": ["#"],
                "RecordingDestination": {"Type": "S3", "BucketName": "b", "Prefix": ""},
            },
        }
    )
    assert isinstance(record, RecordAudio)
    assert (record.duration_seconds, record.prefix) == (10, "")
    with pytest.raises(ValidationError) as info:
        parse_action({"Type": "SendDigits", "Parameters": {"Digits": "1"}})
    assert info.value.fields == ("SendDigits.call_id",)
    with pytest.raises(ValidationError):
        parse_action({"Type": "Teleport"})


def test_repr_hides_digits_and_session_attributes() -> None:
    text = repr(SendDigits(call_id=CALL_ID, digits="4711")) + repr(
        StartBotConversation(bot_alias_arn=BOT, session_attributes={"card": "4111"})
    )
    assert "4711" not in text
    assert "4111" not in text


# --- typed action data in events ---------------------------------------------------------------


def test_join_failure_error_field_reaches_error_type_and_message() -> None:
    """join-chime-meeting.html documents ``"Error": "ErrorJoiningMeeting: Error while joining
    meeting."`` on the failed event."""
    raw = event(
        "ACTION_FAILED",
        action_data={
            "Type": "JoinChimeMeeting",
            "Parameters": {"JoinToken": "t0ken", "CallId": CALL_ID},
            "Error": "ErrorJoiningMeeting: Error while joining meeting.",
        },
    )
    parsed = parse_event(raw)
    assert (parsed.error_type, parsed.error_message) == (
        "ErrorJoiningMeeting",
        "Error while joining meeting.",
    )


def test_received_digits_error_list_and_destinations_are_typed() -> None:
    parsed = parse_event(
        event(
            "ACTION_FAILED",
            action_data={
                "Type": "ModifyChimeMeetingAttendees",
                "Parameters": {},
                "ErrorType": "InvalidActionParameter",
                "ErrorMessage": "",
                "ErrorList": [{"AttendeeId": ATTENDEE}],
                "ReceivedDigits": "97531",
                "RecordingDestination": {"Type": "S3", "BucketName": "b", "Key": "k.wav"},
            },
        )
    )
    data = parsed.action_data
    assert data is not None
    assert data.error_list == ({"AttendeeId": ATTENDEE},)
    assert parsed.received_digits == "97531"
    assert data.recording_destination == {"Type": "S3", "BucketName": "b", "Key": "k.wav"}
    assert "97531" not in repr(parsed)


def test_the_package_is_lazy_and_its_exports_agree() -> None:
    """``import chime_calls.sma`` loads no submodule; every exported name resolves."""
    import json
    import subprocess
    import sys

    from chime_calls import sma

    code = (
        "import sys, json; import chime_calls.sma; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('chime_calls'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [
        "chime_calls",
        "chime_calls._public",
        "chime_calls._version",
        "chime_calls.sma",
    ]
    for name in sma.__all__:
        assert getattr(sma, name) is not None
    assert sma.PlayAudioAndGetDigits.__module__ == "chime_calls.sma"
