"""DialOutHandler on AWS-shaped events: what it answers, what it stores, what it logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from chime_calls.models import ARG_CORRELATION_ID, ARG_JOIN_TOKEN, ARG_MEETING_ID
from chime_calls.sma import (
    UPDATE_ACTION,
    DialOutHandler,
    InvocationEvent,
    dial_out_handler,
    hangup_arguments,
    speak_arguments,
)
from chime_calls.values import JoinToken

from ._events import (
    ARGUMENTS,
    CALL_ID,
    CORRELATION_ID,
    FROM,
    JOIN_TOKEN,
    MEETING_ID,
    TO,
    event,
    new_outbound_call,
)

MEETING_LEG = "6f1c2b0a-3d4e-4f50-8a6b-7c8d9e0f1a2b"
SECRETS = (JOIN_TOKEN, FROM, TO, "2065550100", "4255550199")


def with_meeting_leg(raw: dict[str, Any], status: str = "Connected") -> dict[str, Any]:
    raw["CallDetails"]["Participants"].append(
        {
            "CallId": MEETING_LEG,
            "ParticipantTag": "LEG-B",
            "To": TO,
            "From": FROM,
            "Direction": "Outbound",
            "StartTimeInMilliseconds": "1668005597000",
            "Status": status,
        }
    )
    return raw


def update(arguments: dict[str, str], *, in_meeting: bool = True) -> dict[str, Any]:
    raw = event(
        "CALL_UPDATE_REQUESTED",
        action_data={"Type": "CallUpdateRequest", "Parameters": {"Arguments": arguments}},
        attributes={ARG_MEETING_ID: MEETING_ID, ARG_CORRELATION_ID: CORRELATION_ID},
    )
    return with_meeting_leg(raw) if in_meeting else raw


def failed(action: str, message: str = "x", *, in_meeting: bool = False) -> dict[str, Any]:
    raw = event(
        "ACTION_FAILED",
        action_data={
            "Type": action,
            "Parameters": {"JoinToken": JOIN_TOKEN, "CallId": CALL_ID},
            "ErrorType": "InvalidActionParameter",
            "ErrorMessage": message,
        },
        attributes=dict(ARGUMENTS),
    )
    return with_meeting_leg(raw) if in_meeting else raw


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def handler() -> DialOutHandler:
    return DialOutHandler()


@pytest.fixture(autouse=True)
def _capture(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="chime_calls.sma")


# --- the happy path ------------------------------------------------------------------------------


def test_new_outbound_call_stores_the_contract_and_runs_nothing(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    answer = handler(new_outbound_call(), None)
    assert answer == {"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": ARGUMENTS}
    assert f"dial-out {CORRELATION_ID}" in logged(caplog)
    assert MEETING_ID in logged(caplog)
    assert_no_secrets(logged(caplog))


def test_answered_call_joins_the_meeting_named_in_the_arguments(handler: DialOutHandler) -> None:
    answer = handler(event("CALL_ANSWERED", sequence=3, attributes=dict(ARGUMENTS)))
    assert answer["Actions"] == [
        {
            "Type": "JoinChimeMeeting",
            "Parameters": {"JoinToken": JOIN_TOKEN, "CallId": CALL_ID, "MeetingId": MEETING_ID},
        }
    ]
    assert answer["TransactionAttributes"] == ARGUMENTS  # kept until the join succeeded


def test_successful_join_drops_the_token_from_the_stored_attributes(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    raw = event(
        "ACTION_SUCCESSFUL",
        action_data={"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": JOIN_TOKEN}},
        attributes=dict(ARGUMENTS),
    )
    answer = handler(with_meeting_leg(raw))
    assert answer["Actions"] == []
    assert answer["TransactionAttributes"] == {
        ARG_MEETING_ID: MEETING_ID,
        ARG_CORRELATION_ID: CORRELATION_ID,
    }
    assert "callee joined meeting" in logged(caplog)


def test_carry_join_token_false_never_stores_it() -> None:
    answer = DialOutHandler(carry_join_token=False)(new_outbound_call())
    assert ARG_JOIN_TOKEN not in answer["TransactionAttributes"]
    assert answer["TransactionAttributes"][ARG_MEETING_ID] == MEETING_ID


def test_join_token_hook_reads_an_application_store() -> None:
    """The extension point for carry_join_token=False: the token comes from elsewhere."""
    store = {CORRELATION_ID: JOIN_TOKEN}

    class FromStore(DialOutHandler):
        def join_token(self, event: InvocationEvent) -> JoinToken | None:
            correlation_id = self.correlation_id(event)
            token = store.get(correlation_id or "")
            return JoinToken(token) if token else None

    handler = FromStore(carry_join_token=False)
    stored = handler(new_outbound_call())["TransactionAttributes"]
    answer = handler(event("CALL_ANSWERED", attributes=stored))
    assert answer["Actions"][0]["Parameters"]["JoinToken"] == JOIN_TOKEN


def test_the_ready_instance_is_a_plain_dial_out_handler() -> None:
    assert isinstance(dial_out_handler, DialOutHandler)
    assert repr(dial_out_handler) == "DialOutHandler(carry_join_token=True)"
    assert dial_out_handler(new_outbound_call())["Actions"] == []


# --- what goes wrong -----------------------------------------------------------------------------


def test_missing_contract_keys_are_named_not_shown(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    handler(new_outbound_call({ARG_CORRELATION_ID: CORRELATION_ID, "Other": JOIN_TOKEN}))
    text = logged(caplog)
    assert "ArgumentsMap lacks MeetingId, JoinToken" in text
    assert_no_secrets(text)


def test_answered_without_a_token_hangs_up(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    answer = handler(event("CALL_ANSWERED", attributes={ARG_MEETING_ID: MEETING_ID}))
    assert answer["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": CALL_ID, "SipResponseCode": "0"}}
    ]
    assert "no join token" in logged(caplog)


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({ARG_MEETING_ID: "standup", ARG_JOIN_TOKEN: JOIN_TOKEN}, "meeting_id"),
        ({ARG_MEETING_ID: MEETING_ID, ARG_JOIN_TOKEN: "x"}, "join_token"),
    ],
)
def test_answered_with_invalid_arguments_hangs_up_naming_the_field(
    handler: DialOutHandler,
    caplog: pytest.LogCaptureFixture,
    attributes: dict[str, str],
    field: str,
) -> None:
    answer = handler(event("CALL_ANSWERED", attributes=attributes))
    assert [action["Type"] for action in answer["Actions"]] == ["Hangup"]
    assert f"JoinChimeMeeting.{field}" in logged(caplog)
    assert_no_secrets(logged(caplog))


def test_failed_join_logs_aws_reason_scrubbed_and_hangs_up(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    message = f"JoinToken {JOIN_TOKEN} for {TO} is invalid."
    answer = handler(failed("JoinChimeMeeting", message))
    assert [action["Type"] for action in answer["Actions"]] == ["Hangup"]
    text = logged(caplog)
    assert "JoinChimeMeeting failed with InvalidActionParameter" in text
    assert "hanging up" in text
    assert "<redacted>" in text
    assert_no_secrets(text)


def test_failed_message_keeps_an_in_meeting_callee(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    assert handler(failed("Speak", in_meeting=True))["Actions"] == []
    assert "stays in the meeting" in logged(caplog)
    # The same failure before the join ends the call.
    assert [a["Type"] for a in handler(failed("Speak"))["Actions"]] == ["Hangup"]


def test_failed_hangup_is_not_answered_with_another_hangup(handler: DialOutHandler) -> None:
    assert handler(failed("Hangup"))["Actions"] == []


def test_leg_a_hanging_up_ends_the_meeting_leg(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    raw = with_meeting_leg(
        event(
            "HANGUP",
            action_data={"Type": "Hangup", "Parameters": {"CallId": CALL_ID}},
            status="Disconnected",
        )
    )
    answer = handler(raw)
    assert answer["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": MEETING_LEG, "SipResponseCode": "0"}}
    ]
    assert "hanging up 1 remaining leg" in logged(caplog)


def test_meeting_leg_dropping_ends_leg_a(handler: DialOutHandler) -> None:
    raw = with_meeting_leg(
        event("HANGUP", action_data={"Type": "Hangup", "Parameters": {"CallId": MEETING_LEG}}),
        status="Disconnected",
    )
    assert [a["Parameters"]["CallId"] for a in handler(raw)["Actions"]] == [CALL_ID]


def test_unanswered_hangup_needs_nothing(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    raw = event(
        "HANGUP",
        action_data={"Type": "Hangup", "Parameters": {"SipResponseCode": "486"}},
        status="Disconnected",
    )
    assert handler(raw)["Actions"] == []
    assert "(SIP 486)" in logged(caplog)


@pytest.mark.parametrize(("in_meeting", "actions"), [(False, ["Hangup"]), (True, [])])
def test_invalid_lambda_response(
    handler: DialOutHandler,
    caplog: pytest.LogCaptureFixture,
    in_meeting: bool,
    actions: list[str],
) -> None:
    raw = event("INVALID_LAMBDA_RESPONSE", ErrorType="InvalidResponse", ErrorMessage="bad")
    answer = handler(with_meeting_leg(raw) if in_meeting else raw)
    assert [a["Type"] for a in answer["Actions"]] == actions
    assert "rejected this handler's response: InvalidResponse" in logged(caplog)


def test_a_raising_hook_is_logged_by_type_and_ends_the_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(DialOutHandler):
        def on_answered(self, event: InvocationEvent) -> list[Any]:
            raise RuntimeError(f"lookup failed for {JOIN_TOKEN} / {TO}")

    answer = Broken()(event("CALL_ANSWERED", attributes=dict(ARGUMENTS)))
    assert [a["Type"] for a in answer["Actions"]] == ["Hangup"]
    assert answer["TransactionAttributes"] == ARGUMENTS
    text = logged(caplog)
    assert "RuntimeError while handling CALL_ANSWERED; hanging up" in text
    assert_no_secrets(text)


def test_a_hook_returning_an_invalid_response_is_caught() -> None:
    class TooChatty(DialOutHandler):
        def on_answered(self, event: InvocationEvent) -> list[Any]:
            return [{"Type": "Pause", "Parameters": {"DurationInMilliseconds": "1"}}] * 11

    answer = TooChatty()(event("CALL_ANSWERED", attributes=dict(ARGUMENTS)))
    assert [a["Type"] for a in answer["Actions"]] == ["Hangup"]


def test_unusable_events_get_an_empty_answer(
    handler: DialOutHandler, caplog: pytest.LogCaptureFixture
) -> None:
    assert handler({"InvocationEventType": "RINGING"}) == {"SchemaVersion": "1.0", "Actions": []}
    assert "CallDetails" in logged(caplog)


def test_event_types_aws_adds_later_keep_the_stored_attributes(handler: DialOutHandler) -> None:
    answer = handler(event("DIGITS_RECEIVED", attributes=dict(ARGUMENTS)))
    assert answer == {"SchemaVersion": "1.0", "Actions": [], "TransactionAttributes": ARGUMENTS}
    assert handler(event("SOMETHING_NEW"))["Actions"] == []


# --- the UpdateSipMediaApplicationCall contract --------------------------------------------------


def test_update_hangup(handler: DialOutHandler) -> None:
    answer = handler(update(hangup_arguments(sip_response_code="480")))
    assert answer["Actions"] == [
        {"Type": "Hangup", "Parameters": {"CallId": CALL_ID, "SipResponseCode": "480"}}
    ]


def test_update_speak_with_options(handler: DialOutHandler) -> None:
    args = speak_arguments("The host has joined", voice_id="Matthew", engine="neural")
    assert args == {
        UPDATE_ACTION: "Speak",
        "Text": "The host has joined",
        "VoiceId": "Matthew",
        "Engine": "neural",
    }
    assert handler(update(args))["Actions"] == [
        {
            "Type": "Speak",
            "Parameters": {
                "Text": "The host has joined",
                "CallId": CALL_ID,
                "Engine": "neural",
                "VoiceId": "Matthew",
            },
        }
    ]


def test_update_play_audio(handler: DialOutHandler) -> None:
    args = {UPDATE_ACTION: "PlayAudio", "BucketName": "prompts", "Key": "hold.wav", "Repeat": "2"}
    assert handler(update(args))["Actions"] == [
        {
            "Type": "PlayAudio",
            "Parameters": {
                "CallId": CALL_ID,
                "Repeat": "2",
                "AudioSource": {"Type": "S3", "BucketName": "prompts", "Key": "hold.wav"},
            },
        }
    ]


@pytest.mark.parametrize(
    ("arguments", "logged_text"),
    [
        ({UPDATE_ACTION: "Speak"}, "- Speak.text: must be a non-empty string"),
        ({UPDATE_ACTION: "Hangup", "SipResponseCode": "404"}, "Hangup.sip_response_code"),
        ({UPDATE_ACTION: "Transfer", "To": TO}, "among its 2 arguments"),
        ({"JoinToken": JOIN_TOKEN}, "without a supported 'Action'"),
    ],
)
def test_unsupported_or_invalid_updates_are_logged_and_ignored(
    handler: DialOutHandler,
    caplog: pytest.LogCaptureFixture,
    arguments: dict[str, str],
    logged_text: str,
) -> None:
    assert handler(update(arguments))["Actions"] == []
    assert logged_text in logged(caplog)
    assert_no_secrets(logged(caplog))


def test_transaction_attributes_survive_every_event(handler: DialOutHandler) -> None:
    stored = {ARG_MEETING_ID: MEETING_ID, ARG_CORRELATION_ID: CORRELATION_ID}
    assert handler(update(speak_arguments("hi")))["TransactionAttributes"] == stored
