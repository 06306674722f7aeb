"""Dial-out end to end: meeting -> attendee -> dial-out -> the SMA's Lambda -> joined.

Every request goes through real boto3 clients answered by the fake, and the fake plays the SIP
media application with :class:`chime_calls.sma.DialOutHandler` as its Lambda.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

from chime_calls import ChimeCalls, LegacyNamespaceRefusedError
from chime_calls.models import ARG_CORRELATION_ID, ARG_JOIN_TOKEN, ARG_MEETING_ID
from chime_calls.sma import (
    DialOutHandler,
    InvocationEvent,
    JoinChimeMeeting,
    Speak,
    hangup_arguments,
    parse_event,
    speak_arguments,
)
from chime_calls.testing import ChimeFake, MagicNumbers, PlacedCall, mock_chime
from chime_calls.testing._sma import SmaCallRecord
from tests.conftest import FROM, REGION, TO, make_calls, make_session, needs_legacy_botocore

SMA = "sma-1"


@pytest.fixture
def handler(fake: ChimeFake) -> DialOutHandler:
    lambda_handler = DialOutHandler()
    fake.register_sma_handler(SMA, lambda_handler)
    return lambda_handler


@pytest.fixture(autouse=True)
def _sma_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="chime_calls")


def package_log(caplog: pytest.LogCaptureFixture) -> str:
    """Everything chime_calls logged (botocore's own DEBUG log is its business)."""
    return "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith("chime_calls")
    )


def meeting_with_attendee(calls: ChimeCalls, media_region: str = REGION) -> tuple[str, str, str]:
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=media_region)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="phone-1")
    assert attendee.join_token is not None
    return meeting.meeting_id, attendee.attendee_id, attendee.join_token.reveal()


def sma_record(call: PlacedCall) -> SmaCallRecord:
    assert call.sma is not None, "no SIP media application handler ran for this call"
    return call.sma


def joined_attendee(fake: ChimeFake, record: SmaCallRecord) -> str:
    """The attendee whose token the successful JoinChimeMeeting carried."""
    joins = [a for a in record.actions if a["Type"] == "JoinChimeMeeting"]
    token = joins[-1]["Parameters"]["JoinToken"]
    (attendee,) = [a for a in fake.attendees if a.join_token == token]
    return attendee.attendee_id


def dial(calls: ChimeCalls, meeting_id: str, token: str, to: str = TO, **kwargs: Any) -> str:
    return calls.dial_out(
        meeting_id=meeting_id,
        from_phone_number=FROM,
        to_phone_number=to,
        join_token=token,
        **kwargs,
    ).transaction_id


# --- the path that works -------------------------------------------------------------------------


@pytest.mark.usefixtures("handler")
def test_plain_boto3_dial_out_joins_the_callee(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    session = make_session()
    meetings = session.client("chime-sdk-meetings")
    meeting_id = meetings.create_meeting(ExternalMeetingId="standup", MediaRegion=REGION)[
        "Meeting"
    ]["MeetingId"]
    meetings.create_attendee(MeetingId=meeting_id, ExternalUserId="someone-else")
    attendee = meetings.create_attendee(MeetingId=meeting_id, ExternalUserId="phone-1")["Attendee"]
    response = session.client("chime-sdk-voice").create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId=SMA,
        ArgumentsMap={
            ARG_MEETING_ID: meeting_id,
            ARG_JOIN_TOKEN: attendee["JoinToken"],
            ARG_CORRELATION_ID: "ticket-4711",
        },
    )
    (call,) = fake.sip_media_application_calls
    assert call.transaction_id == response["SipMediaApplicationCall"]["TransactionId"]
    record = sma_record(call)
    assert record.outcome == "joined"
    assert call.joined_meeting_id == meeting_id
    assert joined_attendee(fake, record) == attendee["AttendeeId"]
    assert record.event_types == (
        "NEW_OUTBOUND_CALL",
        "RINGING",
        "CALL_ANSWERED",
        "ACTION_SUCCESSFUL",
    )
    # The token is stored only until the join succeeded.
    assert dict(record.transaction_attributes) == {
        ARG_MEETING_ID: meeting_id,
        ARG_CORRELATION_ID: "ticket-4711",
    }
    assert f"dial-out ticket-4711 (transaction {call.transaction_id})" in package_log(caplog)
    assert f"callee joined meeting {meeting_id}" in package_log(caplog)


@pytest.mark.usefixtures("handler")
def test_chime_calls_dial_out_then_speak_then_hang_up(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting_id, attendee_id, token = meeting_with_attendee(calls)
    dial_out = calls.dial_out(
        meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )
    assert dial_out.path == "sip-media-application"
    uuid.UUID(dial_out.correlation_id)  # generated when not given
    call = fake.calls[-1]
    assert call.transaction_id == dial_out.transaction_id
    assert call.arguments_map[ARG_CORRELATION_ID] == dial_out.correlation_id
    record = sma_record(call)
    assert (record.outcome, call.joined_meeting_id) == ("joined", meeting_id)
    assert joined_attendee(fake, record) == attendee_id

    calls.update_sip_media_application_call(
        sip_media_application_id=SMA,
        transaction_id=dial_out.transaction_id,
        arguments=speak_arguments("The host has joined"),
    )
    record = sma_record(fake.calls[-1])
    assert record.spoken == ("The host has joined",)
    assert record.outcome == "joined"

    calls.update_sip_media_application_call(
        sip_media_application_id=SMA,
        transaction_id=dial_out.transaction_id,
        arguments=hangup_arguments(),
    )
    record = sma_record(fake.calls[-1])
    # Leg A hung up, then the handler ended the meeting leg the service leaves up.
    assert record.event_types[-3:] == ("CALL_UPDATE_REQUESTED", "HANGUP", "ACTION_SUCCESSFUL")
    assert (record.outcome, record.ended, record.in_meeting) == ("hung-up", True, False)
    assert [u.arguments for u in fake.call_updates] == [
        speak_arguments("The host has joined"),
        hangup_arguments(),
    ]


@pytest.mark.usefixtures("handler")
def test_unsupported_update_leaves_the_call_in_the_meeting(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture
) -> None:
    meeting_id, _, token = meeting_with_attendee(calls)
    transaction_id = dial(calls, meeting_id, token)
    calls.update_sip_media_application_call(
        sip_media_application_id=SMA, transaction_id=transaction_id, arguments={"Action": "Dance"}
    )
    assert sma_record(fake.calls[-1]).outcome == "joined"
    assert "ignoring update without a supported 'Action'" in package_log(caplog)


@pytest.mark.usefixtures("handler")
def test_meeting_ending_hangs_up_the_phone(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token)
    calls.delete_meeting(meeting_id=meeting_id)
    record = sma_record(fake.calls[-1])
    assert record.event_types[-2:] == ("HANGUP", "HANGUP")
    assert (record.outcome, record.ended) == ("hung-up", True)


@pytest.mark.usefixtures("handler")
def test_callee_hanging_up_ends_the_meeting_leg(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting_id, _, token = meeting_with_attendee(calls)
    transaction_id = dial(calls, meeting_id, token)
    record = sma_record(fake.hang_up_callee(transaction_id))
    assert record.event_types[-2:] == ("HANGUP", "ACTION_SUCCESSFUL")
    assert (record.outcome, record.in_meeting) == ("hung-up", False)


# --- what goes wrong -----------------------------------------------------------------------------


@pytest.mark.usefixtures("handler")
@pytest.mark.parametrize(
    ("number", "reason", "sip"),
    [(MagicNumbers.BUSY, "busy", "486"), (MagicNumbers.NO_ANSWER, "no-answer", "480")],
)
def test_unanswered_calls(
    fake: ChimeFake,
    calls: ChimeCalls,
    caplog: pytest.LogCaptureFixture,
    number: str,
    reason: str,
    sip: str,
) -> None:
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token, to=number)
    call = fake.calls[-1]
    record = sma_record(call)
    assert (record.outcome, record.reason, call.joined_meeting_id) == ("unanswered", reason, None)
    assert "JoinChimeMeeting" not in [a["Type"] for a in record.actions]
    assert f"a leg ended (SIP {sip})" in package_log(caplog)


@pytest.mark.usefixtures("handler")
@pytest.mark.parametrize("case", ["other meeting", "deleted attendee", "ended meeting"])
def test_a_token_the_meeting_does_not_accept_hangs_up(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    meeting_id, attendee_id, token = meeting_with_attendee(calls)
    expected = {
        "other meeting": "join token does not belong to an attendee of the meeting",
        "deleted attendee": "attendee was deleted",
        "ended meeting": "meeting has ended",
    }[case]
    if case == "other meeting":
        _, _, token = meeting_with_attendee(calls)
    elif case == "deleted attendee":
        calls.client("chime-sdk-meetings").delete_attendee(
            MeetingId=meeting_id, AttendeeId=attendee_id
        )
    else:
        calls.delete_meeting(meeting_id=meeting_id)
    dial(calls, meeting_id, token)
    call = fake.calls[-1]
    record = sma_record(call)
    assert call.joined_meeting_id is None
    assert record.outcome == "hung-up"
    assert record.reason == f"ACTION_FAILED: InvalidActionParameter ({expected})"
    assert record.event_types[-2:] == ("ACTION_FAILED", "HANGUP")
    assert "JoinChimeMeeting failed with InvalidActionParameter" in package_log(caplog)


@pytest.mark.usefixtures("handler")
def test_missing_join_token_is_reported_and_the_call_ended(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    make_session().client("chime-sdk-voice").create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId=SMA,
        ArgumentsMap={ARG_MEETING_ID: str(uuid.uuid4()), ARG_CORRELATION_ID: "no-token"},
    )
    record = sma_record(fake.calls[-1])
    assert (record.outcome, record.joined_meeting_id) == ("hung-up", None)
    text = package_log(caplog)
    assert "dial-out no-token" in text
    assert "ArgumentsMap lacks JoinToken" in text
    assert "answered but no join token" in text


def test_a_raising_lambda_is_recorded_not_raised(fake: ChimeFake, calls: ChimeCalls) -> None:
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["InvocationEventType"] == "CALL_ANSWERED":
            raise KeyError("JoinToken")
        return {"SchemaVersion": "1.0", "Actions": []}

    fake.register_sma_handler(SMA, lambda_handler)
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token)  # the API call itself succeeded
    record = sma_record(fake.calls[-1])
    assert (record.outcome, record.reason) == ("failed", "handler raised KeyError")
    assert [type(e) for e in fake.handler_errors] == [KeyError]


def test_an_extended_handler_that_raises_still_hangs_up(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture
) -> None:
    class WithLookup(DialOutHandler):
        def on_answered(self, event: InvocationEvent) -> list[Any]:
            raise ConnectionError("the CRM is down")

    fake.register_sma_handler(SMA, WithLookup())
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token)
    record = sma_record(fake.calls[-1])
    assert (record.outcome, record.joined_meeting_id) == ("hung-up", None)
    assert fake.handler_errors == []
    assert "ConnectionError while handling CALL_ANSWERED; hanging up" in package_log(caplog)


def test_invalid_actions_come_back_as_invalid_lambda_response(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture
) -> None:
    class Typo(DialOutHandler):
        def on_answered(self, event: InvocationEvent) -> list[Any]:
            return [{"Type": "JoinMeeting", "Parameters": {}}]  # not an SMA action

    fake.register_sma_handler(SMA, Typo())
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token)
    record = sma_record(fake.calls[-1])
    assert record.event_types[2:] == ("CALL_ANSWERED", "INVALID_LAMBDA_RESPONSE", "HANGUP")
    assert record.outcome == "hung-up"
    assert record.reason is not None
    assert record.reason.startswith("INVALID_LAMBDA_RESPONSE")
    assert "rejected this handler's response: InvalidResponse; hanging up" in package_log(caplog)


def test_a_raw_lambda_answering_garbage_fails_the_call(fake: ChimeFake, calls: ChimeCalls) -> None:
    fake.register_sma_handler(SMA, lambda event, context: {"Actions": "join please"})
    meeting_id, _, token = meeting_with_attendee(calls)
    dial(calls, meeting_id, token)
    record = sma_record(fake.calls[-1])
    assert record.outcome == "failed"
    assert "INVALID_LAMBDA_RESPONSE" in record.event_types


# --- the legacy path -----------------------------------------------------------------------------


@needs_legacy_botocore
def test_legacy_namespace_dials_out_with_create_meeting_dial_out(fake: ChimeFake) -> None:
    legacy = make_calls(namespace="legacy", sip_media_application_id=SMA)
    meeting_id, _, token = meeting_with_attendee(legacy, media_region="us-east-1")
    dial_out = legacy.dial_out(
        meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )
    assert dial_out.path == "legacy"
    (call,) = fake.dial_outs
    assert (call.transaction_id, call.joined_meeting_id) == (dial_out.transaction_id, meeting_id)
    assert call.sma is None
    assert {r.operation for r in fake.requests} >= {"CreateMeetingDialOut"}
    assert "CreateSipMediaApplicationCall" not in {r.operation for r in fake.requests}


def test_accounts_refused_the_legacy_call_use_the_sma_path() -> None:
    with mock_chime(legacy_access=False) as fake:
        fake.provision_sip_media_application(
            SMA, phone_number=FROM, region=REGION, handler=DialOutHandler()
        )
        calls = make_calls(sip_media_application_id=SMA)
        meeting_id, _, token = meeting_with_attendee(calls)
        with pytest.raises(LegacyNamespaceRefusedError):
            make_calls(namespace="legacy").dial_out(
                meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
            )
        assert fake.calls == []
        dial(calls, meeting_id, token)
        assert fake.calls[-1].joined_meeting_id == meeting_id


# --- the join token stays in the request ---------------------------------------------------------


@pytest.mark.usefixtures("handler")
@pytest.mark.chime_fake(quotas=False)  # four calls back to back; about what is logged
def test_join_token_and_numbers_never_reach_logs_or_reprs(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture
) -> None:
    meeting_id, _, token = meeting_with_attendee(calls)
    dial_out = calls.dial_out(
        meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )
    calls.update_sip_media_application_call(
        sip_media_application_id=SMA,
        transaction_id=dial_out.transaction_id,
        arguments=speak_arguments("Welcome"),
    )
    _, _, other_token = meeting_with_attendee(calls)
    dial(calls, meeting_id, other_token)  # a failing join logs AWS's error too
    calls.update_sip_media_application_call(
        sip_media_application_id=SMA,
        transaction_id=dial_out.transaction_id,
        arguments=hangup_arguments(),
    )
    records = [sma_record(call) for call in fake.calls]
    assert [r.outcome for r in records] == ["hung-up", "hung-up"]
    shown = [
        package_log(caplog),
        repr(dial_out),
        repr(calls),
        repr(fake.calls),
        repr(fake.call_updates),
        *(repr(r) for r in records),
        *(repr(parse_event(e)) for r in records for e in r.events),
    ]
    # The log records' arguments too, not only the formatted messages.
    shown += [repr(rec.args) for rec in caplog.records if rec.name.startswith("chime_calls")]
    text = "\n".join(shown)
    assert "callee joined meeting" in text  # the log is there, the secrets are not
    for secret in (token, other_token, FROM, TO):
        assert secret not in text
    # The token did travel in the request: that is where it belongs.
    (sma_call,) = [r for r in fake.requests if r.operation == "CreateSipMediaApplicationCall"][:1]
    assert sma_call.params["ArgumentsMap"][ARG_JOIN_TOKEN] == token


# --- the examples in docs/dial-out.md and docs/sma.md --------------------------------------------


def test_docs_testing_example() -> None:
    with mock_chime() as chime:
        sma = chime.provision_sip_media_application(handler=DialOutHandler())
        calls = ChimeCalls(
            region_name="us-east-1", sip_media_application_id=sma.sip_media_application_id
        )
        meeting = calls.create_meeting(external_meeting_id="standup", media_region="us-east-1")
        attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="p1")
        assert attendee.join_token is not None
        dial_out = calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=sma.phone_number,
            to_phone_number="+14255550199",
            join_token=attendee.join_token,
        )
        call = chime.calls[-1]
        assert sma_record(call).outcome == "joined"
        assert call.joined_meeting_id == meeting.meeting_id
        calls.update_sip_media_application_call(
            transaction_id=dial_out.transaction_id, arguments=hangup_arguments()
        )
        assert sma_record(chime.calls[-1]).outcome == "hung-up"


class Greeting(DialOutHandler):
    """The extension example of docs/sma.md."""

    def on_answered(self, event: InvocationEvent) -> list[Any]:
        actions = list(super().on_answered(event))
        leg = event.call_details.leg_a
        if isinstance(actions[0], JoinChimeMeeting) and leg and leg.call_id:
            greeting = Speak(text="Connecting you to the meeting", call_id=leg.call_id)
            return [greeting, *actions]
        return actions  # a Hangup: nothing to greet


@pytest.mark.parametrize(
    ("bad_token", "outcome", "spoken"), [(False, "joined", 1), (True, "hung-up", 0)]
)
def test_docs_greeting_extension(
    fake: ChimeFake, calls: ChimeCalls, bad_token: bool, outcome: str, spoken: int
) -> None:
    fake.register_sma_handler(SMA, Greeting())
    meeting_id, _, token = meeting_with_attendee(calls)
    if bad_token:
        make_session().client("chime-sdk-voice").create_sip_media_application_call(
            FromPhoneNumber=FROM,
            ToPhoneNumber=TO,
            SipMediaApplicationId=SMA,
            ArgumentsMap={ARG_MEETING_ID: meeting_id},
        )
    else:
        dial(calls, meeting_id, token)
    record = sma_record(fake.calls[-1])
    assert record.outcome == outcome
    assert record.spoken == ("Connecting you to the meeting",) * spoken
    if not bad_token:  # [Speak, JoinChimeMeeting] is one list: one ACTION_SUCCESSFUL (AWS)
        assert record.event_types[3:] == ("ACTION_SUCCESSFUL",)
        assert record.events[-1]["ActionData"]["Type"] == "JoinChimeMeeting"
