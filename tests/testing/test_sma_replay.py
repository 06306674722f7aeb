"""The fake replays the event sequences and handler responses AWS publishes.

Each test names its source: a page of AWS's "Amazon Chime SDK Developer Guide" (PSTN audio
service). Where a page's example belongs to a call with earlier events than the replay, the
test says which sequence number AWS shows and why the replay's differs.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chime_calls.sma import parse_event
from chime_calls.testing import ChimeFake
from tests.conftest import FROM, TO, make_session

GUIDE = "https://docs.aws.amazon.com/chime-sdk/latest/dg/"
SMA = "sma-replay"
BUCKET = "mtg1-sipmedia-app-iad"  # AWS's example bucket


class Replay:
    """A handler answering each event type with a published response, recording the events."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(copy.deepcopy(event))
        parse_event(event)  # every event the fake sends parses
        answer = self.answers.get(event["InvocationEventType"])
        answer = answer(event) if callable(answer) else answer
        return answer if answer is not None else {"SchemaVersion": "1.0", "Actions": []}

    @property
    def types(self) -> list[str]:
        return [e["InvocationEventType"] for e in self.events]

    @property
    def sequences(self) -> list[int]:
        return [e["Sequence"] for e in self.events]


def leg_a(event: dict[str, Any]) -> dict[str, Any]:
    return dict(event["CallDetails"]["Participants"][0])


def inbound(fake: ChimeFake, handler: Replay) -> str:
    fake.provision_sip_media_application(SMA, phone_number=TO, handler=handler)
    return fake.receive_call(SMA, from_phone_number=FROM, to_phone_number=TO).transaction_id


def outbound(fake: ChimeFake, handler: Replay, arguments: dict[str, str] | None = None) -> str:
    fake.provision_sip_media_application(SMA, phone_number=FROM, handler=handler)
    params: dict[str, Any] = {
        "FromPhoneNumber": FROM,
        "ToPhoneNumber": TO,
        "SipMediaApplicationId": SMA,
    }
    if arguments:
        params["ArgumentsMap"] = arguments
    voice = make_session("us-east-1").client("chime-sdk-voice")
    return str(
        voice.create_sip_media_application_call(**params)["SipMediaApplicationCall"][
            "TransactionId"
        ]
    )


# --- GUIDE use-create-call-api.html: "Making an outbound call" -----------------------------------


def test_outbound_call_events_as_documented(fake: ChimeFake) -> None:
    handler = Replay()
    outbound(fake, handler)
    assert handler.types == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    # AWS's page shows Sequence 1 on all three; its "Understanding telephony events" page says
    # the sequence "is incremented" per invocation, which the fake does.
    assert handler.sequences == [1, 2, 3]
    new, ringing, answered = handler.events
    assert "ActionData" not in new  # no ArgumentsMap: no ActionData, as in AWS's example
    for event in (new, ringing):
        assert set(leg_a(event)) == {
            "CallId",
            "ParticipantTag",
            "To",
            "From",
            "Direction",
            "StartTimeInMilliseconds",
        }
    assert leg_a(answered)["Status"] == "Connected"
    assert leg_a(answered)["Direction"] == "Outbound"


# --- GUIDE set-trans-attributes.html, attribute-trans-success.html, clear-trans-attributes.html ---

SET_RESPONSE = {  # "Setting TransactionAttributes", verbatim
    "SchemaVersion": "1.0",
    "Actions": [
        {
            "Type": "PlayAudio",
            "Parameters": {
                "ParticipantTag": "LEG-A",
                "AudioSource": {"Type": "S3", "BucketName": BUCKET, "Key": "Welcome3.wav"},
            },
        }
    ],
    "TransactionAttributes": {"key1": "value1", "key2": "value2"},
}
SUCCESS_ACTION_DATA = {  # "Handling ACTION_SUCCESSFUL events", verbatim
    "Type": "PlayAudio",
    "Parameters": {
        "AudioSource": {"Type": "S3", "BucketName": BUCKET, "Key": "Welcome3.wav"},
        "Repeat": 1,
        "ParticipantTag": "LEG-A",
    },
}


def test_setting_transaction_attributes_replays_the_documented_success_event(
    fake: ChimeFake,
) -> None:
    handler = Replay(NEW_INBOUND_CALL=SET_RESPONSE)
    inbound(fake, handler)
    assert handler.types == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL"]
    success = handler.events[1]
    assert success["Sequence"] == 2  # as on AWS's page
    assert success["ActionData"] == SUCCESS_ACTION_DATA
    assert success["CallDetails"]["TransactionAttributes"] == {"key1": "value1", "key2": "value2"}
    assert leg_a(success)["Direction"] == "Inbound"
    assert leg_a(success)["Status"] == "Connected"
    assert set(success["CallDetails"]) >= {"SipRuleId", "SipMediaApplicationId", "AwsAccountId"}


def test_clearing_transaction_attributes_with_an_empty_object(fake: ChimeFake) -> None:
    clear = {**SET_RESPONSE, "TransactionAttributes": {}}
    play_again = {k: v for k, v in SET_RESPONSE.items() if k != "TransactionAttributes"}
    answers = iter([clear, play_again])
    handler = Replay(NEW_INBOUND_CALL=SET_RESPONSE, ACTION_SUCCESSFUL=lambda e: next(answers, None))
    inbound(fake, handler)
    stored = [e["CallDetails"].get("TransactionAttributes") for e in handler.events]
    # Set, then {} erases them; leaving the member out afterwards changes nothing.
    assert stored == [None, {"key1": "value1", "key2": "value2"}, None, None]


# --- GUIDE attribute-trans-invalid.html: "Invalid inputs" ----------------------------------------


@pytest.mark.parametrize(
    ("attributes", "error_type"),
    [
        # AWS's example sends 11 entries and says the maximum is 10, while its "Using
        # TransactionAttributes" page documents 100: the fake enforces the documented 100.
        ({f"key{i}": f"value{i}" for i in range(1, 102)}, "TransactionAttributesInvalidMapSize"),
        ({"big": "x" * (21 * 1024)}, "TransactionAttributesInvalidMapSize"),
        ({"count": 1}, "InvalidResponse"),
    ],
)
def test_invalid_transaction_attributes_answer_invalid_lambda_response(
    fake: ChimeFake, attributes: dict[str, Any], error_type: str
) -> None:
    handler = Replay(NEW_INBOUND_CALL={**SET_RESPONSE, "TransactionAttributes": attributes})
    transaction_id = inbound(fake, handler)
    invalid = handler.events[1]
    assert (invalid["InvocationEventType"], invalid["Sequence"]) == ("INVALID_LAMBDA_RESPONSE", 2)
    assert invalid["ErrorType"] == error_type  # top level, as on AWS's page
    assert "TransactionAttributes" not in invalid["CallDetails"]
    assert fake.calls[-1].transaction_id == transaction_id
    assert fake.calls[-1].sma is not None
    assert fake.calls[-1].sma.played == ()  # the refused answer's actions never ran


# --- GUIDE case-4.html: "Receiving caller input" (ReceiveDigits) ----------------------------------

RECEIVE = {
    "Type": "ReceiveDigits",
    "Parameters": {
        "InputDigitsRegex": r"^\d{2}#$",
        "InBetweenDigitsDurationInMilliseconds": 5000,
        "FlushDigitsDurationInMilliseconds": 10000,
    },
}


def with_call(action: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    parameters = {"CallId": leg_a(event)["CallId"], **action["Parameters"]}
    return {"SchemaVersion": "1.0", "Actions": [{**action, "Parameters": parameters}]}


def test_receive_digits_replays_the_documented_pair_of_events(fake: ChimeFake) -> None:
    handler = Replay(NEW_INBOUND_CALL=lambda e: with_call(RECEIVE, e))
    transaction_id = inbound(fake, handler)
    success = handler.events[-1]
    assert success["InvocationEventType"] == "ACTION_SUCCESSFUL"
    expected = {"ReceivedDigits": "", **with_call(RECEIVE, success)["Actions"][0]}
    assert success["ActionData"] == expected
    fake.press_digits(transaction_id, "11#")
    assert handler.types[-1] == "ACTION_SUCCESSFUL"  # nothing until 5 s of quiet
    fake.advance(5)
    received = handler.events[-1]
    assert received["InvocationEventType"] == "DIGITS_RECEIVED"
    # AWS's pair is Sequence 4 then 5: consecutive, one invocation each.
    assert received["Sequence"] == success["Sequence"] + 1
    assert received["ActionData"] == {**expected, "ReceivedDigits": "11#"}
    assert parse_event(received).received_digits == "11#"


def test_receive_digits_discards_an_entry_that_does_not_match(fake: ChimeFake) -> None:
    handler = Replay(NEW_INBOUND_CALL=lambda e: with_call(RECEIVE, e))
    transaction_id = inbound(fake, handler)
    fake.press_digits(transaction_id, "123")
    fake.advance(10)
    assert handler.types == ["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL"]


# --- GUIDE use-case-2.html / play-audio-get-digits.html -------------------------------------------

GATHER = {  # "Getting next actions from the Lambda function", the ACTION_SUCCESSFUL parameters
    "Type": "PlayAudioAndGetDigits",
    "Parameters": {
        "AudioSource": {"Type": "S3", "BucketName": "bucket-name", "Key": "audio-file.wav"},
        "FailureAudioSource": {
            "Type": "S3",
            "BucketName": "bucket-name",
            "Key": "failure-audio-file.wav",
        },
        "MinNumberOfDigits": 3,
        "MaxNumberOfDigits": 5,
        "TerminatorDigits": ["#"],
        "InBetweenDigitsDurationInMilliseconds": 5000,
        "Repeat": 3,
        "RepeatDurationInMilliseconds": 10000,
    },
}


def test_play_audio_and_get_digits_success_as_documented(fake: ChimeFake) -> None:
    handler = Replay(CALL_ANSWERED=lambda e: with_call(GATHER, e))
    transaction_id = outbound(fake, handler)
    assert handler.types == ["NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED"]
    call = fake.press_digits(transaction_id, "123#")
    success = handler.events[-1]
    assert (success["InvocationEventType"], success["Sequence"]) == ("ACTION_SUCCESSFUL", 4)
    assert success["ActionData"] == {
        **with_call(GATHER, success)["Actions"][0],
        "ReceivedDigits": "123",  # AWS's example value; the terminator is not part of it
    }
    assert call.sma is not None
    assert call.sma.received_digits == ("123",)
    assert call.sma.played == ("s3://bucket-name/audio-file.wav",)


def test_gather_times_out_on_the_clock_after_every_attempt(fake: ChimeFake) -> None:
    handler = Replay(CALL_ANSWERED=lambda e: with_call(GATHER, e))
    transaction_id = outbound(fake, handler)
    fake.advance(29.999)
    assert handler.types[-1] == "CALL_ANSWERED"  # three attempts of 10 s, not yet over
    fake.advance(0.001)
    failed = handler.events[-1]["ActionData"]
    assert (handler.types[-1], failed["ErrorType"]) == ("ACTION_FAILED", "InputTimeLimitExceeded")
    record = fake.calls[-1].sma
    assert record is not None
    main, failure = "s3://bucket-name/audio-file.wav", "s3://bucket-name/failure-audio-file.wav"
    assert record.played == (main, failure, main, failure, main, failure)
    assert transaction_id == record.transaction_id


def test_wrong_digits_use_up_the_attempts(fake: ChimeFake) -> None:
    handler = Replay(CALL_ANSWERED=lambda e: with_call(GATHER, e))
    transaction_id = outbound(fake, handler)
    for _ in range(3):
        fake.press_digits(transaction_id, "1#")  # fewer than MinNumberOfDigits
    assert handler.events[-1]["ActionData"]["ErrorType"] == "InvalidDigitsReceived"
    assert len(handler.events) == 4  # one ACTION_FAILED for the whole action


def test_digits_then_the_in_between_timeout_complete_the_entry(fake: ChimeFake) -> None:
    handler = Replay(CALL_ANSWERED=lambda e: with_call(GATHER, e))
    transaction_id = outbound(fake, handler)
    fake.press_digits(transaction_id, "4711")
    fake.advance(5)  # InBetweenDigitsDurationInMilliseconds without a terminator
    assert handler.events[-1]["ActionData"]["ReceivedDigits"] == "4711"


# --- GUIDE speak-and-get-digits.html ----------------------------------------------------------


def test_speak_and_get_digits_speaks_and_collects(fake: ChimeFake) -> None:
    action = {
        "Type": "SpeakAndGetDigits",
        "Parameters": {
            "SpeechParameters": {"Text": "Hello World", "Engine": "neural", "VoiceId": "Joanna"},
            "FailureSpeechParameters": {"Text": "Hello World"},
            "MinNumberOfDigits": 3,
            "MaxNumberOfDigits": 5,
            "TerminatorDigits": ["#"],
            "InBetweenDigitsDurationInMilliseconds": 5000,
            "Repeat": 3,
            "RepeatDurationInMilliseconds": 10000,
        },
    }
    handler = Replay(CALL_ANSWERED=lambda e: with_call(action, e))
    transaction_id = outbound(fake, handler)
    fake.press_digits(transaction_id, "12345")  # MaxNumberOfDigits ends the entry at once
    assert handler.events[-1]["ActionData"]["ReceivedDigits"] == "12345"
    assert fake.calls[-1].sma is not None
    assert fake.calls[-1].sma.spoken == ("Hello World",)


# --- GUIDE case-5.html: "Ending a call"; join-chime-meeting.html ----------------------------------


def test_meeting_leg_and_its_hangup_as_documented(fake: ChimeFake) -> None:
    meetings = make_session("us-east-1").client("chime-sdk-meetings")
    meeting_id = meetings.create_meeting(ExternalMeetingId="m1", MediaRegion="us-east-1")[
        "Meeting"
    ]["MeetingId"]
    token = meetings.create_attendee(MeetingId=meeting_id, ExternalUserId="p1")["Attendee"][
        "JoinToken"
    ]
    join = {"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": token, "MeetingId": meeting_id}}
    handler = Replay(CALL_ANSWERED=lambda e: with_call(join, e))
    outbound(fake, handler)
    legs = handler.events[-1]["CallDetails"]["Participants"]
    assert [(p["ParticipantTag"], p["To"], p["From"], p["Direction"]) for p in legs] == [
        ("LEG-A", TO, FROM, "Outbound"),
        ("LEG-B", "+17035550122", "SMA", "Outbound"),  # AWS: the meeting dial-in, from "SMA"
    ]
    meetings.delete_meeting(MeetingId=meeting_id)
    hangup = handler.events[-1]
    assert hangup["InvocationEventType"] == "HANGUP"
    assert hangup["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-B"
    assert [p["Status"] for p in hangup["CallDetails"]["Participants"]] == [
        "Connected",
        "Disconnected",
    ]


# --- handler responses as published handlers write them ---------------------------------------


def test_hangup_with_an_empty_participant_tag_is_echoed_as_leg_a(fake: ChimeFake) -> None:
    """AWS's Hangup page allows ParticipantTag to default to the invoked leg; handlers in AWS's
    samples send ``"ParticipantTag": ""``, and AWS echoes the leg's real tag."""
    hangup = {"Type": "Hangup", "Parameters": {"SipResponseCode": "0", "ParticipantTag": ""}}
    handler = Replay(CALL_ANSWERED={"SchemaVersion": "1.0", "Actions": [hangup]})
    outbound(fake, handler)
    event = handler.events[-1]
    assert event["InvocationEventType"] == "HANGUP"
    assert event["ActionData"]["Parameters"]["ParticipantTag"] == "LEG-A"
    assert event["ActionData"]["Parameters"]["SipResponseCode"] == 0


def test_call_and_bridge_with_a_placeholder_caller_id_fails_like_aws(fake: ChimeFake) -> None:
    """AWS's "Debugging unexpected ACTION_FAILED events": "Invalid caller ID."."""
    bridge = {
        "Type": "CallAndBridge",
        "Parameters": {
            "CallTimeoutSeconds": 30,
            "CallerIdNumber": "+1NPANXXXXXX",
            "Endpoints": [{"Uri": "+14255550100", "BridgeEndpointType": "PSTN"}],
        },
    }
    handler = Replay(CALL_ANSWERED={"SchemaVersion": "1.0", "Actions": [bridge]})
    outbound(fake, handler)
    failed = handler.events[-1]
    assert failed["InvocationEventType"] == "ACTION_FAILED"
    assert failed["ActionData"]["ErrorType"] == "InvalidActionParameter"
    assert failed["ActionData"]["ErrorMessage"] == "Invalid caller ID."
    assert len(failed["CallDetails"]["Participants"]) == 1  # nothing was bridged


# --- recordings: GUIDE record-audio.html, start-call-recording.html -------------------------------


def record_answer(event: dict[str, Any]) -> dict[str, Any]:
    record = {
        "Type": "RecordAudio",
        "Parameters": {
            "DurationInSeconds": "10",
            "RecordingTerminators": ["#"],
            "RecordingDestination": {"Type": "S3", "BucketName": BUCKET, "Prefix": "voicemail"},
        },
    }
    return with_call(record, event)


def test_record_audio_writes_to_s3_under_moto(fake: ChimeFake) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        handler = Replay(CALL_ANSWERED=record_answer)
        transaction_id = outbound(fake, handler)
        fake.advance(4)
        fake.press_digits(transaction_id, "#")
        success = handler.events[-1]["ActionData"]
        destination = success["RecordingDestination"]
        assert destination["BucketName"] == BUCKET
        assert re.fullmatch(r"voicemail/[0-9a-f-]{36}-recording-1\.wav", destination["Key"])
        stored = s3.get_object(Bucket=BUCKET, Key=destination["Key"])
        assert stored["Body"].read()[:4] == b"RIFF"
    (recording,) = fake.recordings
    assert (recording.stored_in, recording.duration_seconds) == ("s3", 4.0)
    assert parse_event(handler.events[-1]).action_data is not None


def test_record_audio_to_a_missing_bucket_fails_like_aws(fake: ChimeFake) -> None:
    with mock_aws():
        handler = Replay(CALL_ANSWERED=record_answer)
        outbound(fake, handler)
        fake.advance(10)  # DurationInSeconds
    failed = handler.events[-1]["ActionData"]
    assert (handler.types[-1], failed["ErrorType"]) == ("ACTION_FAILED", "NoAccessToDestination")
    assert fake.recordings == []


def test_without_moto_recordings_stay_in_memory_and_say_so(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    handler = Replay(CALL_ANSWERED=record_answer)
    outbound(fake, handler)
    fake.advance(10)
    (recording,) = fake.recordings
    assert recording.stored_in == "memory"
    assert recording.body[:4] == b"RIFF"
    assert "moto's mock_aws is not active" in caplog.text


def test_call_recording_is_delivered_when_the_call_ends(fake: ChimeFake) -> None:
    start = {
        "Type": "StartCallRecording",
        "Parameters": {"Track": "BOTH", "Destination": {"Type": "S3", "Location": BUCKET}},
    }
    hangup = {"Type": "Hangup", "Parameters": {}}
    answers = iter([{"SchemaVersion": "1.0", "Actions": [hangup]}])
    handler = Replay(
        CALL_ANSWERED=lambda e: with_call(start, e),
        CALL_UPDATE_REQUESTED=lambda e: next(answers),
    )
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        transaction_id = outbound(fake, handler)
        location = handler.events[-1]["ActionData"]["CallRecordingDestination"]["Location"]
        assert location.startswith(f"{BUCKET}/Amazon-Chime-SMA-Call-Recordings/")
        assert location.endswith(f"_{transaction_id}_{leg_a(handler.events[-1])['CallId']}.wav")
        assert fake.recordings == []  # delivered when recording stops
        fake.advance(30)
        make_session("us-east-1").client("chime-sdk-voice").update_sip_media_application_call(
            SipMediaApplicationId=SMA, TransactionId=transaction_id, Arguments={"a": "b"}
        )
        key = location.split("/", 1)[1]
        head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["Metadata"]["transaction-id"] == transaction_id
    assert fake.recordings[0].duration_seconds == 30.0


# --- GUIDE start-bot-conversation.html -------------------------------------------------------

BOT = "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"  # AWS's example


def test_bot_conversation_answers_with_the_configured_intent(fake: ChimeFake) -> None:
    fake.register_bot(BOT, "BookHotel", slots={"City": "Seattle", "Nights": None})
    start = {
        "Type": "StartBotConversation",
        "Parameters": {
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
    }
    handler = Replay(NEW_INBOUND_CALL=lambda e: with_call(start, e))
    inbound(fake, handler)
    event = parse_event(handler.events[-1])
    result = event.intent_result
    assert result is not None
    assert result.session_id == leg_a(handler.events[-1])["CallId"]  # AWS uses the call ID
    assert result.intent is not None
    assert (result.intent.name, result.intent.state) == ("BookHotel", "ReadyForFulfillment")
    city = result.intent.slots["City"]
    assert city is not None
    assert city.interpreted_value == "Seattle"
    assert result.intent.slots["Nights"] is None


def test_an_unknown_bot_fails_with_resource_not_found(fake: ChimeFake) -> None:
    start = {"Type": "StartBotConversation", "Parameters": {"BotAliasArn": BOT}}
    handler = Replay(NEW_INBOUND_CALL=lambda e: with_call(start, e))
    inbound(fake, handler)
    assert handler.events[-1]["ActionData"]["ErrorType"] == "ResourceNotFound"


# --- GUIDE update-sip-call.html: interruptible actions ---------------------------------------


def test_an_update_interrupts_a_recording(fake: ChimeFake) -> None:
    speak = {"Type": "Speak", "Parameters": {"Text": "Thanks"}}
    handler = Replay(
        CALL_ANSWERED=record_answer,
        CALL_UPDATE_REQUESTED=lambda e: with_call(speak, e),
    )
    transaction_id = outbound(fake, handler)
    make_session("us-east-1").client("chime-sdk-voice").update_sip_media_application_call(
        SipMediaApplicationId=SMA, TransactionId=transaction_id, Arguments={"stop": "1"}
    )
    assert handler.types[3:] == ["CALL_UPDATE_REQUESTED", "ACTION_INTERRUPTED", "ACTION_SUCCESSFUL"]
    assert handler.events[4]["ActionData"]["Type"] == "RecordAudio"
    assert handler.sequences == list(range(1, 7))
