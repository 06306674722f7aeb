"""The fake's SIP media application: event shapes, action semantics, failure modes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from chime_calls.sma import parse_event
from chime_calls.testing import ChimeFake, MagicNumbers
from chime_calls.testing._sma import (
    MAX_EVENTS,
    SmaCallRecord,
    simulate_outbound_call,
    simulate_remote_hangup,
    simulate_update,
)
from tests.conftest import FROM, TO, make_session

TOKEN = "dG9rZW4tZm9yLXRoZS1waG9uZQ"
MEETING = str(uuid.uuid4())
ARGS = {"MeetingId": MEETING, "JoinToken": TOKEN}
Answer = dict[str, Any] | None


def good_join(meeting_id: str | None, token: str) -> str | None:
    return None if (meeting_id, token) == (MEETING, TOKEN) else "join token does not fit"


class Scripted:
    """A raw Lambda: answers each event type from a script, records what it saw."""

    def __init__(self, **script: Callable[[dict[str, Any]], Answer]) -> None:
        self.script = script
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> Answer:
        assert context.function_name  # a Lambda context object, as AWS passes
        self.events.append(event)
        reply = self.script.get(str(event["InvocationEventType"]))
        return reply(event) if reply else {"SchemaVersion": "1.0", "Actions": []}


def actions(*items: dict[str, Any], **attributes: str) -> Callable[[dict[str, Any]], Answer]:
    def reply(event: dict[str, Any]) -> Answer:
        body: dict[str, Any] = {"SchemaVersion": "1.0", "Actions": list(items)}
        if attributes:
            body["TransactionAttributes"] = dict(attributes)
        return body

    return reply


def join_leg_a(event: dict[str, Any]) -> Answer:
    call_id = event["CallDetails"]["Participants"][0]["CallId"]
    return actions(
        {
            "Type": "JoinChimeMeeting",
            "Parameters": {"JoinToken": TOKEN, "CallId": call_id, "MeetingId": MEETING},
        }
    )(event)


def place(handler: Any, answer: str = "answered", **kwargs: Any) -> SmaCallRecord:
    params: dict[str, Any] = {
        "transaction_id": str(uuid.uuid4()),
        "sip_media_application_id": "sma-1",
        "region": "us-east-1",
        "account_id": "123456789012",
        "from_number": FROM,
        "to_number": TO,
        "sip_headers": {},
        "arguments": ARGS,
        "join": good_join,
        "answer": answer,
    }
    params.update(kwargs)
    return simulate_outbound_call(handler, **params)


# --- events ---------------------------------------------------------------------------------------


def test_answered_call_sends_aws_shaped_events_in_order() -> None:
    handler = Scripted(NEW_OUTBOUND_CALL=actions(MeetingId=MEETING))
    record = place(handler)
    assert record.event_types == ("NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED")
    assert [e["Sequence"] for e in handler.events] == [1, 2, 3]
    first, _, answered = handler.events
    assert first["SchemaVersion"] == "1.0"
    assert first["ActionData"] == {"Type": "CallCreateRequest", "Parameters": {"Arguments": ARGS}}
    details = first["CallDetails"]
    assert details["SipMediaApplicationId"] == "sma-1"
    assert details["AwsRegion"] == "us-east-1"
    (leg,) = details["Participants"]
    assert (leg["ParticipantTag"], leg["Direction"], leg["To"], leg["From"]) == (
        "LEG-A",
        "Outbound",
        TO,
        FROM,
    )
    assert "Status" not in leg  # not connected yet, as in AWS's example
    assert "ActionData" not in answered
    assert answered["CallDetails"]["Participants"][0]["Status"] == "Connected"
    # Attributes returned to NEW_OUTBOUND_CALL are echoed on later events.
    assert answered["CallDetails"]["TransactionAttributes"] == {"MeetingId": MEETING}
    assert record.outcome == "connected"
    for raw in handler.events:  # every event the fake sends parses
        assert parse_event(raw).transaction_id == record.transaction_id


def test_actions_returned_before_the_answer_are_ignored() -> None:
    hangup = {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}
    record = place(Scripted(NEW_OUTBOUND_CALL=actions(hangup), RINGING=actions(hangup)))
    assert record.event_types == ("NEW_OUTBOUND_CALL", "RINGING", "CALL_ANSWERED")
    assert record.outcome == "connected"
    assert len(record.actions) == 2  # recorded all the same


@pytest.mark.parametrize(
    ("answer", "events", "code", "outcome"),
    [
        ("busy", ("NEW_OUTBOUND_CALL", "HANGUP"), 486, "unanswered"),
        ("no-answer", ("NEW_OUTBOUND_CALL", "RINGING", "HANGUP"), 480, "unanswered"),
        ("failed", ("NEW_OUTBOUND_CALL", "HANGUP"), 503, "failed"),
    ],
)
def test_calls_that_are_never_answered(
    answer: str, events: tuple[str, ...], code: int, outcome: str
) -> None:
    """AWS's HANGUP carries SipResponseCode as a number ("Understanding telephony events")."""
    handler = Scripted()
    record = place(handler, answer)
    assert record.event_types == events
    hangup = handler.events[-1]
    assert hangup["ActionData"]["Parameters"]["SipResponseCode"] == code
    assert hangup["CallDetails"]["Participants"][0]["Status"] == "Disconnected"
    assert (record.outcome, record.ended, record.in_meeting) == (outcome, True, False)
    assert record.reason in (answer, "call failed")


def test_unknown_answer_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="answered, busy, no-answer or failed"):
        place(Scripted(), "voicemail")


# --- actions --------------------------------------------------------------------------------------


def test_join_adds_a_meeting_leg_and_reports_success() -> None:
    handler = Scripted(CALL_ANSWERED=join_leg_a)
    record = place(handler)
    assert record.event_types[-1] == "ACTION_SUCCESSFUL"
    assert (record.outcome, record.joined_meeting_id, record.in_meeting) == (
        "joined",
        MEETING,
        True,
    )
    legs = handler.events[-1]["CallDetails"]["Participants"]
    assert [(leg["ParticipantTag"], leg["Status"]) for leg in legs] == [
        ("LEG-A", "Connected"),
        ("LEG-B", "Connected"),
    ]


def test_join_with_a_token_the_meeting_refuses_fails_with_aws_error_type() -> None:
    handler = Scripted(CALL_ANSWERED=join_leg_a)
    record = place(handler, join=lambda meeting_id, token: "attendee was deleted")
    failed = handler.events[-1]
    assert failed["InvocationEventType"] == "ACTION_FAILED"
    assert failed["ActionData"]["ErrorType"] == "InvalidActionParameter"
    assert record.outcome == "failed"
    assert record.reason == "ACTION_FAILED: InvalidActionParameter (attendee was deleted)"


def test_join_on_a_leg_that_does_not_exist_fails() -> None:
    join = {"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": TOKEN, "CallId": "nope"}}
    record = place(Scripted(CALL_ANSWERED=actions(join)))
    assert record.event_types[-1] == "ACTION_FAILED"
    assert not record.in_meeting


def test_one_invocation_per_action_list() -> None:
    """AWS: ACTION_SUCCESSFUL "after the last action in the list completes successfully"
    ("Getting next actions from the Lambda function"): the Lambda never sees the middle."""
    speak = {"Type": "Speak", "Parameters": {"Text": "one", "CallId": "x"}}
    play = {
        "Type": "PlayAudio",
        "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "b", "Key": "k.wav"}},
    }
    handler = Scripted(CALL_ANSWERED=lambda event: actions(play, with_call_id(speak, event))(event))
    record = place(handler)
    assert record.event_types == (
        "NEW_OUTBOUND_CALL",
        "RINGING",
        "CALL_ANSWERED",
        "ACTION_SUCCESSFUL",
    )
    assert record.sequences == (1, 2, 3, 4)
    assert handler.events[-1]["ActionData"]["Type"] == "Speak"  # the last action of the list
    assert (record.played, record.spoken) == (("s3://b/k.wav",), ("one",))


def with_call_id(action: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    call_id = event["CallDetails"]["Participants"][0]["CallId"]
    return {**action, "Parameters": {**action["Parameters"], "CallId": call_id}}


def test_pause_pause_hangup_is_answered_with_hangup_only() -> None:
    pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": "1000"}}
    hangup = {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}
    handler = Scripted(CALL_ANSWERED=actions(pause, pause, hangup))
    record = place(handler)
    assert record.event_types[3:] == ("HANGUP",)
    assert handler.events[-1]["ActionData"]["Parameters"]["SipResponseCode"] == 0


def test_a_failed_action_drops_the_rest_of_the_list() -> None:
    """AWS: "clears the remaining actions in the list after the failed one"."""
    bad = {"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "b"}}}
    never = {"Type": "Speak", "Parameters": {"Text": "never", "CallId": "x"}}
    handler = Scripted(CALL_ANSWERED=actions(bad, never))
    record = place(handler)
    assert record.event_types[3:] == ("ACTION_FAILED",)
    failed = handler.events[-1]["ActionData"]
    assert (failed["ErrorType"], failed["ErrorMessage"]) == (
        "InvalidAudioSource",
        "Audio Source parameter value is invalid.",
    )
    assert record.spoken == ()


def test_invalid_answers_get_invalid_lambda_response() -> None:
    too_many = [{"Type": "Pause", "Parameters": {"DurationInMilliseconds": "1"}}] * 11
    bad = iter(
        [
            {"SchemaVersion": "2.0", "Actions": []},
            {"SchemaVersion": "1.0", "Actions": too_many},
            {"SchemaVersion": "1.0", "Actions": [{"Type": "Teleport"}]},
            {"SchemaVersion": "1.0", "Actions": []},
        ]
    )
    handler = Scripted(
        CALL_ANSWERED=lambda event: next(bad), INVALID_LAMBDA_RESPONSE=lambda event: next(bad)
    )
    record = place(handler)
    assert record.event_types[2:] == ("CALL_ANSWERED",) + ("INVALID_LAMBDA_RESPONSE",) * 3
    assert handler.events[-1]["ErrorType"] == "InvalidResponse"
    assert record.outcome == "failed"
    assert record.reason is not None
    assert record.reason.startswith("INVALID_LAMBDA_RESPONSE")


def test_handler_exception_ends_the_simulation_and_is_kept() -> None:
    def boom(event: dict[str, Any]) -> Answer:
        raise RuntimeError("bug in the handler")

    record = place(Scripted(CALL_ANSWERED=boom))
    assert record.outcome == "failed"
    assert record.reason == "handler raised RuntimeError"
    assert isinstance(record.error, RuntimeError)


def test_loop_guard() -> None:
    pause = {"Type": "Pause", "Parameters": {"DurationInMilliseconds": "1000"}}
    record = place(Scripted(CALL_ANSWERED=actions(pause), ACTION_SUCCESSFUL=actions(pause)))
    assert len(record.events) == MAX_EVENTS
    assert record.outcome == "failed"
    assert record.reason == f"loop guard: more than {MAX_EVENTS} events without the call settling"


def test_reason_is_the_first_thing_that_went_wrong() -> None:
    failing = {"Type": "Speak", "Parameters": {"CallId": "x"}}  # no Text: always fails
    record = place(Scripted(CALL_ANSWERED=actions(failing), ACTION_FAILED=actions(failing)))
    assert len(record.events) == MAX_EVENTS
    assert record.reason == "ACTION_FAILED: MissingRequiredActionParameter"


# --- hang-ups: AWS's two-leg rules ----------------------------------------------------------------


def hangup_tag(tag: str) -> Callable[[dict[str, Any]], Answer]:
    return actions({"Type": "Hangup", "Parameters": {"ParticipantTag": tag}})


def test_hanging_up_the_meeting_leg_leaves_leg_a_up() -> None:
    handler = Scripted(CALL_ANSWERED=join_leg_a)
    record = place(handler)
    handler.script["CALL_UPDATE_REQUESTED"] = hangup_tag("LEG-B")
    after = simulate_update(handler, record, {"Action": "Leave"}, join=good_join)
    assert after.event_types[-2:] == ("CALL_UPDATE_REQUESTED", "ACTION_SUCCESSFUL")
    assert (after.outcome, after.in_meeting, after.ended) == ("connected", False, False)
    assert after.joined_meeting_id == MEETING  # kept: where the callee had been


def test_hanging_up_leg_a_runs_the_answer_to_hangup() -> None:
    handler = Scripted(CALL_ANSWERED=join_leg_a, HANGUP=hangup_tag("LEG-B"))
    record = place(handler)
    handler.script["CALL_UPDATE_REQUESTED"] = hangup_tag("LEG-A")
    after = simulate_update(handler, record, {"Action": "Hangup"}, join=good_join)
    assert after.event_types[-3:] == ("CALL_UPDATE_REQUESTED", "HANGUP", "ACTION_SUCCESSFUL")
    assert (after.outcome, after.ended, after.in_meeting) == ("hung-up", True, False)
    assert after.reason is None


def test_a_meeting_leg_left_up_after_leg_a_ended_is_a_failure() -> None:
    handler = Scripted(CALL_ANSWERED=join_leg_a)  # answers HANGUP with nothing
    record = place(handler)
    after = simulate_remote_hangup(handler, record, "LEG-A", join=good_join)
    assert after.event_types[-1] == "HANGUP"
    assert (after.outcome, after.ended, after.in_meeting) == ("failed", False, True)
    assert after.reason == "LEG-A ended but the handler left LEG-B connected"


def test_remote_hangup_of_a_leg_that_is_not_up_changes_nothing() -> None:
    record = place(Scripted(), "busy")
    assert simulate_remote_hangup(Scripted(), record, "LEG-A", join=good_join) is record
    assert simulate_update(Scripted(), record, {"Action": "Hangup"}, join=good_join) is record


def test_hanging_up_a_disconnected_leg_fails() -> None:
    handler = Scripted(CALL_ANSWERED=hangup_tag("LEG-B"))  # there is no LEG-B yet
    record = place(handler)
    assert record.event_types[-1] == "ACTION_FAILED"
    assert record.outcome == "failed"


def test_record_repr_hides_tokens_numbers_and_attributes() -> None:
    record = place(Scripted(NEW_OUTBOUND_CALL=actions(JoinToken=TOKEN), CALL_ANSWERED=join_leg_a))
    text = repr(record)
    for secret in (TOKEN, FROM, TO):
        assert secret not in text
    assert "+1********99" in text
    assert "<1 redacted entries>" in text


# --- through the fake -----------------------------------------------------------------------------


def meeting_and_token(region: str = "us-east-1") -> tuple[str, str]:
    client = make_session(region).client("chime-sdk-meetings")
    meeting_id = client.create_meeting(ExternalMeetingId="standup", MediaRegion=region)["Meeting"][
        "MeetingId"
    ]
    token = client.create_attendee(MeetingId=meeting_id, ExternalUserId="phone-1")["Attendee"][
        "JoinToken"
    ]
    return meeting_id, token


def place_via_boto3(arguments: dict[str, str], to: str = TO) -> str:
    voice = make_session().client("chime-sdk-voice")  # the fixture's sma-1 is in REGION
    return str(
        voice.create_sip_media_application_call(
            FromPhoneNumber=FROM,
            ToPhoneNumber=to,
            SipMediaApplicationId="sma-1",
            ArgumentsMap=arguments,
        )["SipMediaApplicationCall"]["TransactionId"]
    )


def join_from_arguments(*, with_meeting_id: bool) -> Scripted:
    stored: dict[str, str] = {}

    def remember(event: dict[str, Any]) -> Answer:
        stored.update(event["ActionData"]["Parameters"]["Arguments"])
        return None

    def join(event: dict[str, Any]) -> Answer:
        parameters = {"JoinToken": stored["JoinToken"]}
        if with_meeting_id:
            parameters["MeetingId"] = stored["MeetingId"]
        return actions({"Type": "JoinChimeMeeting", "Parameters": parameters})(event)

    return Scripted(NEW_OUTBOUND_CALL=remember, CALL_ANSWERED=join, HANGUP=hangup_tag("LEG-A"))


def test_sdk_meetings_need_the_meeting_id_in_join_chime_meeting(fake: ChimeFake) -> None:
    meeting_id, token = meeting_and_token()
    fake.register_sma_handler("sma-1", join_from_arguments(with_meeting_id=False))
    place_via_boto3({"MeetingId": meeting_id, "JoinToken": token})
    assert fake.calls[-1].joined_meeting_id is None
    assert fake.calls[-1].reason == (
        "ACTION_FAILED: InvalidActionParameter "
        "(MeetingId is required for a chime-sdk-meetings meeting)"
    )
    fake.register_sma_handler("sma-1", join_from_arguments(with_meeting_id=True))
    fake.advance(1)  # AWS's quota: one CreateSipMediaApplicationCall per second
    place_via_boto3({"MeetingId": meeting_id, "JoinToken": token})
    assert fake.calls[-1].joined_meeting_id == meeting_id


def test_deleting_the_meeting_drops_the_meeting_leg(fake: ChimeFake) -> None:
    meeting_id, token = meeting_and_token()
    fake.register_sma_handler("sma-1", join_from_arguments(with_meeting_id=True))
    place_via_boto3({"MeetingId": meeting_id, "JoinToken": token})
    assert fake.calls[0].sma is not None
    assert fake.calls[0].sma.outcome == "joined"
    make_session("us-east-1").client("chime-sdk-meetings").delete_meeting(MeetingId=meeting_id)
    sma = fake.calls[0].sma
    assert sma is not None
    assert sma.event_types[-2:] == ("HANGUP", "HANGUP")  # LEG-B dropped, then the handler's
    assert (sma.outcome, sma.in_meeting, sma.ended) == ("hung-up", False, True)


def test_hang_up_callee(fake: ChimeFake) -> None:
    meeting_id, token = meeting_and_token()
    handler = join_from_arguments(with_meeting_id=True)
    fake.register_sma_handler("sma-1", handler)
    transaction_id = place_via_boto3({"MeetingId": meeting_id, "JoinToken": token})
    handler.script["HANGUP"] = hangup_tag("LEG-B")
    call = fake.hang_up_callee(transaction_id)
    assert call.sma is not None
    assert call.sma.event_types[-2:] == ("HANGUP", "ACTION_SUCCESSFUL")
    assert call.sma.outcome == "hung-up"
    with pytest.raises(KeyError):
        fake.hang_up_callee(str(uuid.uuid4()))


def test_busy_magic_number_reaches_the_handler_as_a_hangup(fake: ChimeFake) -> None:
    handler = Scripted()
    fake.register_sma_handler("sma-1", handler)
    place_via_boto3(ARGS, to=MagicNumbers.BUSY)
    assert [e["InvocationEventType"] for e in handler.events] == ["NEW_OUTBOUND_CALL", "HANGUP"]
    assert fake.calls[0].answer == "busy"


def test_handler_errors_are_collected_once(fake: ChimeFake) -> None:
    def boom(event: dict[str, Any]) -> Answer:
        raise RuntimeError("bug")

    fake.register_sma_handler("sma-1", Scripted(CALL_ANSWERED=boom))
    transaction_id = place_via_boto3(ARGS)
    make_session().client("chime-sdk-voice").update_sip_media_application_call(
        SipMediaApplicationId="sma-1", TransactionId=transaction_id, Arguments={"Action": "x"}
    )
    assert len(fake.handler_errors) == 1
    assert fake.calls[0].sma is not None
    assert fake.calls[0].sma.outcome == "failed"


def test_without_a_handler_calls_are_recorded_but_not_simulated(fake: ChimeFake) -> None:
    place_via_boto3(ARGS)
    assert fake.calls[0].sma is None
    assert fake.calls[0].joined_meeting_id is None
