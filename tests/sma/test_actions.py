"""Actions serialize to the SMA schema exactly; documented constraints fail at construction."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import attrs
import pytest

from chime_calls import ValidationError
from chime_calls.sma import (
    MAX_ACTIONS,
    MAX_TRANSACTION_ATTRIBUTES,
    Action,
    AudioSource,
    BridgeEndpoint,
    CallAndBridge,
    Hangup,
    JoinChimeMeeting,
    Pause,
    PlayAudio,
    Speak,
    response,
)

from ._events import CALL_ID, FROM, JOIN_TOKEN, MEETING_ID, TO

VC_ARN = "arn:aws:chime:us-east-1:123456789012:vc/abcdefg1hijklm2nopq3rs"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            JoinChimeMeeting(join_token=JOIN_TOKEN, meeting_id=MEETING_ID, call_id=CALL_ID),
            {
                "Type": "JoinChimeMeeting",
                "Parameters": {"JoinToken": JOIN_TOKEN, "CallId": CALL_ID, "MeetingId": MEETING_ID},
            },
        ),
        (
            JoinChimeMeeting(join_token=JOIN_TOKEN, participant_tag="LEG-A"),
            {
                "Type": "JoinChimeMeeting",
                "Parameters": {"JoinToken": JOIN_TOKEN, "ParticipantTag": "LEG-A"},
            },
        ),
        (
            Speak(
                text="Hello",
                call_id=CALL_ID,
                engine="neural",
                voice_id="Joanna",
                text_type="text",
                language_code="en-US",
            ),
            {
                "Type": "Speak",
                "Parameters": {
                    "Text": "Hello",
                    "CallId": CALL_ID,
                    "Engine": "neural",
                    "LanguageCode": "en-US",
                    "TextType": "text",
                    "VoiceId": "Joanna",
                },
            },
        ),
        (
            PlayAudio(
                audio_source=AudioSource(bucket_name="b", key="k.wav"),
                participant_tag="LEG-A",
                playback_terminators=["1", "8", "#"],
                repeat=5,
            ),
            {
                "Type": "PlayAudio",
                "Parameters": {
                    "ParticipantTag": "LEG-A",
                    "PlaybackTerminators": ["1", "8", "#"],
                    "Repeat": "5",
                    "AudioSource": {"Type": "S3", "BucketName": "b", "Key": "k.wav"},
                },
            },
        ),
        (
            Pause(duration_ms=3000, call_id=CALL_ID),
            {"Type": "Pause", "Parameters": {"CallId": CALL_ID, "DurationInMilliseconds": "3000"}},
        ),
        (
            Hangup(call_id=CALL_ID, participant_tag="LEG-A"),
            {
                "Type": "Hangup",
                "Parameters": {
                    "CallId": CALL_ID,
                    "ParticipantTag": "LEG-A",
                    "SipResponseCode": "0",
                },
            },
        ),
        (
            CallAndBridge(
                caller_id_number=FROM,
                call_timeout_seconds=30,
                endpoints=[BridgeEndpoint(bridge_endpoint_type="PSTN", uri=TO)],
            ),
            {
                "Type": "CallAndBridge",
                "Parameters": {
                    "CallTimeoutSeconds": 30,
                    "CallerIdNumber": FROM,
                    "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": TO}],
                },
            },
        ),
        (
            CallAndBridge(
                caller_id_number=FROM,
                sip_headers={"x-floor": "3"},
                ringback_tone=AudioSource(bucket_name="b", key="ring.wav"),
                endpoints=[BridgeEndpoint(bridge_endpoint_type="AWS", uri="5550100", arn=VC_ARN)],
            ),
            {
                "Type": "CallAndBridge",
                "Parameters": {
                    "CallerIdNumber": FROM,
                    "RingbackTone": {"Type": "S3", "BucketName": "b", "Key": "ring.wav"},
                    "Endpoints": [{"BridgeEndpointType": "AWS", "Arn": VC_ARN, "Uri": "5550100"}],
                    "SipHeaders": {"x-floor": "3"},
                },
            },
        ),
    ],
)
def test_to_dict_is_the_sma_schema(action: Action, expected: dict[str, Any]) -> None:
    assert action.to_dict() == expected
    json.dumps(action.to_dict())  # what Lambda will serialize


@pytest.mark.parametrize(
    ("build", "fields"),
    [
        (lambda: JoinChimeMeeting(join_token="x"), ["JoinChimeMeeting.join_token"]),
        (
            lambda: JoinChimeMeeting(join_token=JOIN_TOKEN, meeting_id="standup"),
            ["JoinChimeMeeting.meeting_id"],
        ),
        (
            lambda: JoinChimeMeeting(join_token=JOIN_TOKEN, participant_tag="LEG-B"),
            ["JoinChimeMeeting.participant_tag"],
        ),
        (lambda: JoinChimeMeeting(join_token=None), ["JoinChimeMeeting.join_token"]),
        (lambda: Speak(text=" ", call_id=""), ["Speak.text", "Speak.call_id"]),
        (
            lambda: Speak(text="hi", call_id=CALL_ID, engine="turbo", text_type="html"),
            ["Speak.engine", "Speak.text_type"],
        ),
        (
            lambda: PlayAudio(audio_source=AudioSource(bucket_name="", key="k")),
            ["PlayAudio.audio_source.bucket_name"],
        ),
        (lambda: Speak(text="x" * 1001, call_id=CALL_ID), ["Speak.text"]),
        (
            lambda: PlayAudio(
                audio_source=AudioSource(bucket_name="b", key="k"),
                call_id=CALL_ID,
                playback_terminators=["1", "A"],
                repeat=0,
            ),
            ["PlayAudio.playback_terminators[1]", "PlayAudio.repeat"],
        ),
        (lambda: Pause(duration_ms=0), ["Pause.duration_ms"]),
        (lambda: Pause(duration_ms=True), ["Pause.duration_ms"]),
        (lambda: Hangup(sip_response_code="404"), ["Hangup.sip_response_code"]),
        (lambda: Hangup(participant_tag="LEG-C"), ["Hangup.participant_tag"]),
        (
            lambda: CallAndBridge(caller_id_number="0555", endpoints=[]),
            ["CallAndBridge.caller_id_number", "CallAndBridge.endpoints"],
        ),
        (
            lambda: CallAndBridge(
                caller_id_number=FROM,
                call_timeout_seconds=121,
                endpoints=[BridgeEndpoint(bridge_endpoint_type="AWS", uri="1")],
            ),
            ["CallAndBridge.endpoints[0].arn", "CallAndBridge.call_timeout_seconds"],
        ),
        (
            lambda: CallAndBridge(
                caller_id_number=FROM,
                sip_headers={"floor": "3"},
                endpoints=[BridgeEndpoint(bridge_endpoint_type="SIP", uri=TO)],
            ),
            [
                "CallAndBridge.endpoints[0].bridge_endpoint_type",
                "CallAndBridge.sip_headers[#0].key",
            ],
        ),
        (
            lambda: CallAndBridge(
                caller_id_number=FROM,
                endpoints=[BridgeEndpoint(bridge_endpoint_type="PSTN", uri="+0123")],
            ),
            ["CallAndBridge.endpoints[0].uri"],
        ),
    ],
)
def test_constraints_fail_at_construction_naming_the_field(build: Any, fields: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    assert list(info.value.fields) == fields


def test_reprs_and_errors_never_show_tokens_numbers_or_headers() -> None:
    join = JoinChimeMeeting(join_token=JOIN_TOKEN, meeting_id=MEETING_ID)
    bridge = CallAndBridge(
        caller_id_number=FROM,
        sip_headers={"x-secret": "s3cr3t-value"},
        endpoints=[BridgeEndpoint(bridge_endpoint_type="PSTN", uri=TO)],
    )
    text = repr(join) + repr(bridge) + str(join)
    for secret in (JOIN_TOKEN, FROM, TO, "s3cr3t-value", "x-secret"):
        assert secret not in text
    assert MEETING_ID in text
    with pytest.raises(ValidationError) as info:
        JoinChimeMeeting(join_token="t" * 2049)
    assert "t" * 20 not in str(info.value)


def test_response_wraps_actions_in_order_with_transaction_attributes() -> None:
    body = response(
        Speak(text="One moment", call_id=CALL_ID),
        {"Type": "ModifyChimeMeetingAttendees", "Parameters": {"Operation": "Mute"}},
        Hangup(),
        transaction_attributes={"MeetingId": MEETING_ID},
    )
    assert body == {
        "SchemaVersion": "1.0",
        "Actions": [
            {"Type": "Speak", "Parameters": {"Text": "One moment", "CallId": CALL_ID}},
            {"Type": "ModifyChimeMeetingAttendees", "Parameters": {"Operation": "Mute"}},
            {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}},
        ],
        "TransactionAttributes": {"MeetingId": MEETING_ID},
    }
    assert response() == {"SchemaVersion": "1.0", "Actions": []}
    # AWS: "Passing an empty map ({}) erases any stored values"; None leaves them alone.
    assert response(transaction_attributes={})["TransactionAttributes"] == {}
    assert "TransactionAttributes" not in response(transaction_attributes=None)


def test_response_rejects_what_the_service_would_reject() -> None:
    with pytest.raises(ValidationError) as info:
        response({"Parameters": {}}, transaction_attributes={"n": 1})  # type: ignore[dict-item]
    assert info.value.fields == ("actions[0]", "transaction_attributes[#0]")


def test_response_limits_come_from_the_documentation() -> None:
    ten = [Pause(duration_ms=100)] * MAX_ACTIONS
    assert len(response(*ten)["Actions"]) == 10
    with pytest.raises(ValidationError) as too_many:
        response(*ten, Hangup())
    assert too_many.value.fields == ("actions",)
    attributes = {f"k{i}": "v" for i in range(MAX_TRANSACTION_ATTRIBUTES)}
    assert len(response(transaction_attributes=attributes)["TransactionAttributes"]) == 100
    with pytest.raises(ValidationError) as too_big:
        response(transaction_attributes={**attributes, "one-more": "v"})
    assert too_big.value.fields == ("transaction_attributes",)


def test_play_audio_defaults_to_the_invoked_leg() -> None:
    """AWS documents both CallId and ParticipantTag as optional for PlayAudio."""
    play = PlayAudio(audio_source=AudioSource(bucket_name="b", key="k.wav"))
    assert play.to_dict()["Parameters"] == {
        "AudioSource": {"Type": "S3", "BucketName": "b", "Key": "k.wav"}
    }


@pytest.mark.parametrize("header", ["User-to-User", "Diversion", "X-Account-Id", "x-floor"])
def test_call_and_bridge_accepts_the_headers_aws_passes_through(header: str) -> None:
    bridge = CallAndBridge(
        caller_id_number=FROM,
        sip_headers={header: "v"},
        endpoints=[BridgeEndpoint(bridge_endpoint_type="AWS", uri="5550100", arn=VC_ARN)],
    )
    assert bridge.to_dict()["Parameters"]["SipHeaders"] == {header: "v"}


def test_custom_action_subclass() -> None:
    @attrs.frozen(kw_only=True)
    class Mute(Action):
        type: ClassVar[str] = "ModifyChimeMeetingAttendees"
        meeting_id: str

        def parameters(self) -> dict[str, Any]:
            return {"Operation": "Mute", "MeetingId": self.meeting_id}

    assert response(Mute(meeting_id=MEETING_ID))["Actions"] == [
        {
            "Type": "ModifyChimeMeetingAttendees",
            "Parameters": {"Operation": "Mute", "MeetingId": MEETING_ID},
        }
    ]


def test_actions_are_frozen_and_hashable() -> None:
    hangup = Hangup(call_id=CALL_ID)
    assert hangup == Hangup(call_id=CALL_ID)
    assert len({hangup, Hangup(call_id=CALL_ID)}) == 1
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        hangup.call_id = "other"  # type: ignore[misc]
