"""The facades' operation methods, one line each (see :mod:`chime_calls._ops`).

Each line names the request type that defines the operation; the method takes that type's
keyword arguments and returns its result type, on ``ChimeCalls`` as on ``AsyncChimeCalls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chime_calls._flows import Flow, Items, Pages
from chime_calls._ops import Group, M, Op, lazy_module

if TYPE_CHECKING:
    from chime_calls import meetings, models
else:
    models = lazy_module("chime_calls.models")
    meetings = lazy_module("chime_calls.meetings")

__all__ = ["CallOperations", "MeetingOperations"]


def _attendees(page: models.AttendeesPage) -> tuple[models.Attendee, ...]:
    return page.attendees


class MeetingOperations(Group[M]):
    """chime-sdk-meetings: meetings and their attendees (docs/meetings.md)."""

    create_meeting = Op(lambda: models.CreateMeetingRequest)
    get_meeting = Op(lambda: models.GetMeetingRequest)
    delete_meeting = Op(lambda: models.DeleteMeetingRequest)
    create_attendee = Op(lambda: models.CreateAttendeeRequest)
    list_attendees = Op(lambda: models.ListAttendeesRequest)
    create_meeting_with_attendees = Op(lambda: meetings.CreateMeetingWithAttendeesRequest)
    batch_create_attendee = Op(lambda: meetings.BatchCreateAttendeeRequest)
    get_attendee = Op(lambda: meetings.GetAttendeeRequest)
    delete_attendee = Op(lambda: meetings.DeleteAttendeeRequest)
    update_attendee_capabilities = Op(lambda: meetings.UpdateAttendeeCapabilitiesRequest)
    batch_update_attendee_capabilities_except = Op(
        lambda: meetings.BatchUpdateAttendeeCapabilitiesExceptRequest
    )
    start_meeting_transcription = Op(lambda: meetings.StartMeetingTranscriptionRequest)
    stop_meeting_transcription = Op(lambda: meetings.StopMeetingTranscriptionRequest)
    # (chime-sdk-meetings' TagResource & co.: named for what they tag, so the voice namespace's
    # operations of the same AWS names can have their own methods)
    tag_meeting = Op(lambda: meetings.TagResourceRequest)
    untag_meeting = Op(lambda: meetings.UntagResourceRequest)
    list_meeting_tags = Op(lambda: meetings.ListTagsForResourceRequest)
    # every page, and every attendee of every page, of ListAttendees
    iter_attendee_pages = Pages(lambda: models.ListAttendeesRequest)
    iter_attendees = Items(lambda: models.ListAttendeesRequest, _attendees)
    # flows: several requests each (chime_calls/_flows.py)
    add_attendees = Flow(lambda: meetings._add_attendees)
    create_meeting_with_all_attendees = Flow(lambda: meetings._create_meeting_with_all_attendees)
    live_meeting = Flow(lambda: meetings._live_meeting)
    join_meeting = Flow(lambda: meetings._join_meeting)


class CallOperations(Group[M]):
    """Placing calls: a SIP media application call, or the legacy meeting dial-out."""

    create_sip_media_application_call = Op(lambda: models.CreateSipMediaApplicationCallRequest)
    create_meeting_dial_out = Op(lambda: models.CreateMeetingDialOutRequest)
