"""Type-checked, never run: pins the public typing contract (mypy --strict typing_tests)."""

from __future__ import annotations

import boto3
from typing_extensions import assert_type

import chime_calls
from chime_calls import (
    Attendee,
    ChimeCalls,
    DialOut,
    JoinToken,
    Meeting,
    MeetingDialOut,
    PhoneNumber,
    SipMediaApplicationCall,
    ValidationError,
)


def facade(session: boto3.Session) -> None:
    calls = ChimeCalls(session=session, namespace="sdk", region_name="us-east-1")
    meeting = calls.create_meeting(external_meeting_id="standup", media_region="us-east-1")
    assert_type(meeting, Meeting)
    assert_type(meeting.meeting_id, str)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    assert_type(attendee, Attendee)
    assert_type(attendee.join_token, JoinToken | None)
    token = attendee.join_token
    assert token is not None
    assert_type(token.reveal(), str)
    assert_type(calls.get_meeting(meeting_id=meeting.meeting_id), Meeting)
    assert_type(calls.delete_meeting(meeting_id=meeting.meeting_id), None)
    dial = calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=PhoneNumber("+12065550100"),
        to_phone_number="+14255550199",
        join_token=token,
    )
    assert_type(dial, MeetingDialOut)
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-1",
        from_phone_number="+12065550100",
        to_phone_number="+14255550199",
        sip_headers={"X-Campaign": "c1"},
        arguments_map={"ticket": "42"},
    )
    assert_type(call, SipMediaApplicationCall)
    assert_type(
        calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number="+12065550100",
            to_phone_number="+14255550199",
            join_token=token,
        ),
        DialOut,
    )


def typed_send(calls: ChimeCalls, meeting_id: str) -> None:
    from chime_calls.models import AttendeesPage, ListAttendeesRequest

    assert_type(calls.send(chime_calls.GetMeetingRequest(meeting_id=meeting_id)), Meeting)
    assert_type(calls.send(chime_calls.DeleteMeetingRequest(meeting_id=meeting_id)), None)
    assert_type(calls.send(ListAttendeesRequest(meeting_id=meeting_id)), AttendeesPage)
    assert_type(calls.list_attendees(meeting_id=meeting_id, max_results=10), AttendeesPage)
    calls.list_attendees(meeting_id=meeting_id, max_result=10)  # type: ignore[call-arg]
    calls.send("GetMeeting")  # type: ignore[arg-type]
    request: chime_calls.Request[Meeting] = chime_calls.GetMeetingRequest(meeting_id=meeting_id)
    assert_type(calls.send(request), Meeting)


def errors(exc: Exception) -> None:
    if isinstance(exc, chime_calls.ServiceError):
        assert_type(exc.code, str)
        assert_type(exc.status_code, int | None)
        assert_type(exc.request_id, str | None)
        assert_type(exc.retryable, bool)
        assert_type(exc.outcome_unknown, bool)
    if isinstance(exc, ValidationError):
        assert_type(exc.fields, tuple[str, ...])
    if isinstance(exc, chime_calls.ChimeCallsError):  # on every error, None where absent
        assert_type(exc.operation, str | None)
        assert_type(exc.service, str | None)
        assert_type(exc.retry_after, float | None)
        assert_type(exc.unredacted_cause, BaseException | None)
        exc.namespace  # type: ignore[attr-defined]  # (only on service and transport errors)
    if isinstance(exc, chime_calls.ServiceError):
        exc.namespace  # type: ignore[deprecated]  # deprecated: use .service
    assert_type(chime_calls.is_retry_safe(exc), bool)


def wrong_types_are_caught(calls: ChimeCalls) -> None:
    calls.get_meeting(meeting_id=42)  # type: ignore[arg-type]
    calls.create_meeting(tags=7)  # type: ignore[arg-type]


def fake_api() -> None:
    from chime_calls.testing import ChimeFake, MagicNumbers, PlacedCall, mock_chime

    with mock_chime(legacy_access=False) as chime:
        assert_type(chime, ChimeFake)
        chime.fail_next("CreateMeeting", "ThrottlingException", times=2)
        chime.lose_answer("CreateSipMediaApplicationCall", kind="503")
        chime.fail_connection(None, kind="dns")
        chime.fail_connection(None, kind="smoke-signal")  # type: ignore[arg-type]
        assert_type(chime.calls, list[PlacedCall])
        assert_type(chime.attempts("GetMeeting"), int)
        assert_type(MagicNumbers.BUSY, str)


def meetings_backend(calls: ChimeCalls) -> None:
    """The meetings surface: operations, pages, flows and join info keep their types."""
    from collections.abc import Iterator
    from typing import Any

    from chime_calls import CreateMeetingRequest
    from chime_calls import meetings as m
    from chime_calls.models import AttendeesPage

    batch = calls.batch_create_attendee(meeting_id="m", attendees=["alice", "bob"])
    assert_type(batch, m.CreatedAttendees)
    assert_type(batch.errors, tuple[m.CreateAttendeeError, ...])
    both = calls.create_meeting_with_attendees(
        external_meeting_id="standup", media_region="us-east-1", attendees=["alice"]
    )
    assert_type(both, m.MeetingWithAttendees)
    assert_type(calls.get_attendee(meeting_id="m", attendee_id="a"), Attendee)
    assert_type(calls.delete_attendee(meeting_id="m", attendee_id="a"), None)
    assert_type(calls.iter_attendees(meeting_id="m"), Iterator[Attendee])
    assert_type(calls.iter_attendee_pages(meeting_id="m"), Iterator[AttendeesPage])
    outcomes = calls.add_attendees(meeting_id="m", attendees=["alice"])
    assert_type(outcomes, m.AttendeeOutcomes)
    new = calls.create_meeting_with_all_attendees(
        meeting=CreateMeetingRequest(external_meeting_id="standup", media_region="us-east-1"),
        attendees=["alice"],
    )
    assert_type(new, m.NewMeeting)
    info = calls.join_meeting(
        external_meeting_id="room", media_region="us-east-1", external_user_id="alice"
    )
    assert_type(info, m.JoinInfo)
    assert_type(info.reveal_for_client(), dict[str, Any])
    assert_type(calls.live_meeting(external_meeting_id="room", media_region="us-east-1"), Meeting)
    assert_type(m.capabilities(audio="Receive"), chime_calls.AttendeeCapabilities)
    m.capabilities(audio="Mute")  # type: ignore[arg-type]
    calls.join_meeting(external_meeting_id="room", media_region="us-east-1")  # type: ignore[call-arg]
