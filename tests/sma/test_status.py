"""Call status events: each call's steps, in order, from the invocations the fake sends a real
handler, through real boto3 clients (CreateSipMediaApplicationCall answered by the fake)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chime_calls import ChimeCalls
from chime_calls.ledger import MemoryLedger
from chime_calls.sma import (
    FINAL_STATUSES,
    CallStatus,
    DialOutHandler,
    Speak,
    StatusEvent,
    response,
    track_status,
)
from chime_calls.sma.status import SCHEMA, StatusTracker, status_rank
from chime_calls.testing import ChimeFake, MagicNumbers, mock_chime

REGION = "eu-west-2"
TO = "+14255550199"


@pytest.fixture
def fake() -> Iterator[ChimeFake]:
    with mock_chime(quotas=False) as chime:
        yield chime


def _calls(fake: ChimeFake, handler: Any) -> tuple[ChimeCalls, str]:
    sma = fake.provision_sip_media_application("sma-1", region=REGION, handler=handler)
    calls = ChimeCalls(session=boto3.Session(region_name=REGION), sip_media_application_id="sma-1")
    return calls, sma.phone_number


def _dial_out(calls: ChimeCalls, from_number: str, to: str = TO, cid: str = "c-1") -> str:
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="phone")
    assert attendee.join_token is not None
    return calls.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=from_number,
        to_phone_number=to,
        join_token=attendee.join_token,
        correlation_id=cid,
    ).transaction_id


def reminder(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A campaign's handler: says its piece and hangs up."""
    if event["InvocationEventType"] == "CALL_ANSWERED":
        leg = event["CallDetails"]["Participants"][0]
        return response(Speak(text="Your appointment is tomorrow", call_id=leg["CallId"]))
    if event["InvocationEventType"] == "ACTION_SUCCESSFUL":
        return response({"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}})
    return response()


def test_a_joined_call_reports_each_step_once_in_order_with_times(fake: ChimeFake) -> None:
    seen: list[StatusEvent] = []
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append]))
    fake.callee_rule(ring_seconds=4, talk_seconds=30)
    start = fake.clock.time()
    transaction = _dial_out(calls, from_number)
    fake.advance(60)
    assert [e.status for e in seen] == ["initiated", "ringing", "answered", "joined", "completed"]
    assert {e.transaction_id for e in seen} == {transaction}
    assert {e.correlation_id for e in seen} == {"c-1"}
    assert [e.sequence for e in seen] == sorted(e.sequence or 0 for e in seen)
    initiated, _, answered, joined, completed = seen
    assert initiated.time == pytest.approx(start, abs=0.01)
    assert answered.time == pytest.approx(start + 4, abs=0.01)  # stamped when it happened,
    assert completed.time == pytest.approx(start + 34, abs=0.01)  # not when the test looked
    assert answered.ring_seconds == pytest.approx(4)
    assert completed.talk_seconds == pytest.approx(30)
    assert completed.duration_seconds == pytest.approx(34)
    assert completed.reason == "hung up by the callee"
    assert completed.final
    assert not joined.final
    assert joined.meeting_id == fake.calls[0].joined_meeting_id


@pytest.mark.parametrize(
    ("number", "status", "code"),
    [
        (MagicNumbers.BUSY, CallStatus.BUSY, 486),
        (MagicNumbers.NO_ANSWER, CallStatus.NO_ANSWER, 480),
    ],
)
def test_unanswered_calls_end_busy_or_unanswered(
    fake: ChimeFake, number: str, status: str, code: int
) -> None:
    seen: list[StatusEvent] = []
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append]))
    _dial_out(calls, from_number, to=number)
    assert seen[-1].status == status
    assert seen[-1].sip_response_code == code
    assert seen[-1].talk_seconds is None
    assert CallStatus.ANSWERED not in [e.status for e in seen]


def test_a_call_the_network_cannot_complete_fails(fake: ChimeFake) -> None:
    seen: list[StatusEvent] = []
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append]))
    fake.callee_rule(TO, answer="failed", ring_seconds=2)
    _dial_out(calls, from_number)
    assert [e.status for e in seen] == ["initiated"]  # still trying
    fake.advance(2)
    assert [e.status for e in seen] == ["initiated", "failed"]
    assert seen[-1].sip_response_code == 503
    assert seen[-1].ring_seconds == pytest.approx(2)


def test_who_ended_the_call_is_the_reason(fake: ChimeFake) -> None:
    seen: list[StatusEvent] = []
    handler = track_status(reminder, [seen.append])
    calls, from_number = _calls(fake, handler)
    calls.create_sip_media_application_call(
        sip_media_application_id="sma-1",
        from_phone_number=from_number,
        to_phone_number=TO,
        arguments_map={"CorrelationId": "c-9"},
    )
    assert [e.status for e in seen] == ["initiated", "ringing", "answered", "completed"]
    assert seen[-1].reason == "hung up by the application"
    assert fake.calls[0].sma is not None
    assert fake.calls[0].sma.spoken == ("Your appointment is tomorrow",)

    # the meeting ends under a joined callee: the handler hangs up leg A
    fake.register_sma_handler("sma-1", DialOutHandler(sinks=[seen.append]))
    transaction = _dial_out(calls, from_number, cid="c-2")
    seen.clear()
    meeting_id = fake.calls[-1].joined_meeting_id
    assert meeting_id is not None
    calls.delete_meeting(meeting_id=meeting_id)
    assert [(e.status, e.reason) for e in seen] == [("completed", "the meeting leg ended")]
    assert seen[0].transaction_id == transaction


def test_events_carry_no_secret(fake: ChimeFake, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[StatusEvent] = []
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append]))
    with caplog.at_level(logging.DEBUG, logger="chime_calls"):
        _dial_out(calls, from_number)
    token = fake.calls[0].arguments_map["JoinToken"]
    for event in seen:
        for text in (json.dumps(event.to_dict()), repr(event), str(event)):
            assert TO not in text
            assert TO[1:] not in text
            assert from_number[1:] not in text
            assert token not in text
        assert event.to_dict()["to"] == "+1********99"
        assert event.to_dict()["schema"] == SCHEMA
    assert token not in caplog.text


def test_from_dict_reads_what_to_dict_wrote(fake: ChimeFake) -> None:
    seen: list[StatusEvent] = []
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append]))
    _dial_out(calls, from_number)
    for event in seen:
        again = StatusEvent.from_dict(json.loads(json.dumps(event.to_dict())))
        assert again.to_dict() == {**event.to_dict(), "to": None, "from": None}


def test_a_failing_sink_is_logged_and_the_call_goes_on(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[StatusEvent] = []

    def broken(event: StatusEvent) -> None:
        raise ConnectionError(f"queue down for {TO}")

    calls, from_number = _calls(fake, DialOutHandler(sinks=[broken, seen.append]))
    with caplog.at_level(logging.ERROR, logger="chime_calls.sma"):
        _dial_out(calls, from_number)
    assert fake.calls[0].sma is not None
    assert fake.calls[0].sma.outcome == "joined"
    assert [e.status for e in seen] == ["initiated", "ringing", "answered", "joined"]
    assert "not delivered to function: ConnectionError" in caplog.text
    assert TO[1:] not in caplog.text


def test_the_tracker_keeps_the_handlers_attributes_and_its_own(fake: ChimeFake) -> None:
    seen: list[StatusEvent] = []

    def keeps_its_own(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["InvocationEventType"] == "NEW_OUTBOUND_CALL":
            return response(transaction_attributes={"mine": "1"})  # replaces the stored set
        return response()

    calls, from_number = _calls(fake, track_status(keeps_its_own, [seen.append]))
    fake.callee_rule(ring_seconds=3, talk_seconds=5)
    calls.create_sip_media_application_call(
        sip_media_application_id="sma-1", from_phone_number=from_number, to_phone_number=TO
    )
    fake.advance(10)
    record = fake.calls[0].sma
    assert record is not None
    assert record.transaction_attributes["mine"] == "1"
    assert seen[-1].status == "completed"
    assert seen[-1].ring_seconds == pytest.approx(3)  # from the attributes it kept
    assert seen[-1].correlation_id is None  # no CorrelationId: keyed by transaction only


def test_a_second_call_for_a_correlation_id_is_hung_up_and_never_joined(
    fake: ChimeFake,
) -> None:
    seen: list[StatusEvent] = []
    ledger = MemoryLedger()
    calls, from_number = _calls(fake, DialOutHandler(sinks=[seen.append], ledger=ledger))
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="phone")
    assert attendee.join_token is not None
    # a plain boto3 client at its default retries re-sends the POST after a 500
    fake.lose_answer("CreateSipMediaApplicationCall", kind="500")
    voice = boto3.client("chime-sdk-voice", region_name=REGION)
    voice.create_sip_media_application_call(
        FromPhoneNumber=from_number,
        ToPhoneNumber=TO,
        SipMediaApplicationId="sma-1",
        ArgumentsMap={
            "MeetingId": meeting.meeting_id,
            "JoinToken": attendee.join_token.reveal(),
            "CorrelationId": "ticket-1",
        },
    )
    first, second = fake.calls
    assert first.sma is not None
    assert second.sma is not None
    assert first.sma.outcome == "joined"
    assert second.sma.outcome == "hung-up"
    assert second.joined_meeting_id is None
    assert "JoinChimeMeeting" not in [a["Type"] for a in second.sma.actions]
    entry = ledger.get("ticket-1")
    assert entry is not None
    assert entry.sma_transaction_id == first.transaction_id
    assert entry.duplicates == 1
    assert entry.status == "joined"  # the duplicate's own end is not the call's
    duplicates = [e for e in seen if e.transaction_id == second.transaction_id]
    assert duplicates
    assert all(e.duplicate for e in duplicates)
    assert not any(e.duplicate for e in seen if e.transaction_id == first.transaction_id)


def test_an_unreachable_ledger_lets_the_call_go_on(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    class Down(MemoryLedger):
        def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
            raise TimeoutError

    calls, from_number = _calls(fake, DialOutHandler(ledger=Down()))
    with caplog.at_level(logging.ERROR, logger="chime_calls.sma"):
        _dial_out(calls, from_number)
    assert fake.calls[0].sma is not None
    assert fake.calls[0].sma.outcome == "joined"
    assert "handling it as the first" in caplog.text


def test_statuses_rank_in_call_order() -> None:
    order = ["initiated", "ringing", "answered", "joined"]
    assert [status_rank(s) for s in order] == [1, 2, 3, 4]
    assert {status_rank(s) for s in FINAL_STATUSES} == {5}
    assert status_rank("something new") == 0


def test_a_sink_must_be_callable() -> None:
    with pytest.raises(TypeError, match="must be callable"):
        StatusTracker(["not a sink"])  # type: ignore[list-item]


def test_events_that_do_not_describe_a_call_reach_the_handler_untouched() -> None:
    got: list[object] = []

    def handler(event: object, context: Any) -> dict[str, Any]:
        got.append(event)
        return response()

    tracked = track_status(handler)
    assert tracked({"not": "an event"}, None) == response()
    assert got == [{"not": "an event"}]
