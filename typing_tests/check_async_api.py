"""Type-checked, never run: the async facade's typing contract (mypy --strict typing_tests).

Every operation method of ``AsyncChimeCalls`` is typed from its request type, as on
``ChimeCalls``, and returns a coroutine of the same result type.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine
from typing import Any

from typing_extensions import assert_type

from chime_calls import (
    Attendee,
    DialOut,
    GetMeetingRequest,
    JoinToken,
    Meeting,
    MeetingDialOut,
    PhoneNumber,
    SipMediaApplicationCall,
)
from chime_calls.aio import AsyncChimeCalls
from chime_calls.models import AttendeesPage, ListAttendeesRequest


async def facade() -> None:
    async with AsyncChimeCalls(region_name="us-east-1", sip_media_application_id="sma-1") as calls:
        assert_type(calls, AsyncChimeCalls)
        pending = calls.create_meeting(external_meeting_id="standup", media_region="us-east-1")
        meeting = await assert_type(pending, Coroutine[Any, Any, Meeting])
        assert_type(meeting, Meeting)
        attendee = await calls.create_attendee(
            meeting_id=meeting.meeting_id, external_user_id="alice"
        )
        assert_type(attendee, Attendee)
        token = attendee.join_token
        assert_type(token, JoinToken | None)
        assert token is not None
        assert_type(await calls.get_meeting(meeting_id=meeting.meeting_id), Meeting)
        assert_type(await calls.delete_meeting(meeting_id=meeting.meeting_id), None)
        assert_type(
            await calls.list_attendees(meeting_id=meeting.meeting_id, max_results=10),
            AttendeesPage,
        )
        assert_type(
            await calls.create_meeting_dial_out(
                meeting_id=meeting.meeting_id,
                from_phone_number=PhoneNumber("+12065550100"),
                to_phone_number="+14255550199",
                join_token=token,
            ),
            MeetingDialOut,
        )
        assert_type(
            await calls.create_sip_media_application_call(
                sip_media_application_id="sma-1",
                from_phone_number="+12065550100",
                to_phone_number="+14255550199",
            ),
            SipMediaApplicationCall,
        )
        dial = await calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number="+12065550100",
            to_phone_number="+14255550199",
            join_token=token,
        )
        assert_type(dial, DialOut)
        assert_type(
            await calls.update_sip_media_application_call(
                transaction_id=dial.transaction_id, arguments={"action": "hangup"}
            ),
            SipMediaApplicationCall,
        )
        assert_type(await calls.send(GetMeetingRequest(meeting_id=meeting.meeting_id)), Meeting)
        pages = calls.pages(ListAttendeesRequest(meeting_id=meeting.meeting_id))
        assert_type(pages, AsyncIterator[AttendeesPage])
        async for page in pages:
            assert_type(page, AttendeesPage)
        calls.pages(GetMeetingRequest(meeting_id=meeting.meeting_id))  # type: ignore[type-var]
    await calls.aclose()


async def wrong_types_are_caught(calls: AsyncChimeCalls) -> None:
    await calls.get_meeting(meeting_id=42)  # type: ignore[arg-type]
    meeting: Meeting = calls.get_meeting(meeting_id="m")  # type: ignore[assignment]
    del meeting
