"""The facades' operation methods, one line each (see :mod:`chime_calls._ops`).

Each line names the request type that defines the operation; the method takes that type's
keyword arguments and returns its result type, on ``ChimeCalls`` as on ``AsyncChimeCalls``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chime_calls._ops import Group, M, Op, lazy_module

if TYPE_CHECKING:
    from chime_calls import models
else:
    models = lazy_module("chime_calls.models")

__all__ = ["CallOperations", "MeetingOperations"]


class MeetingOperations(Group[M]):
    """chime-sdk-meetings: meetings and their attendees."""

    create_meeting = Op(lambda: models.CreateMeetingRequest)
    get_meeting = Op(lambda: models.GetMeetingRequest)
    delete_meeting = Op(lambda: models.DeleteMeetingRequest)
    create_attendee = Op(lambda: models.CreateAttendeeRequest)
    list_attendees = Op(lambda: models.ListAttendeesRequest)


class CallOperations(Group[M]):
    """Placing calls: a SIP media application call, or the legacy meeting dial-out."""

    create_sip_media_application_call = Op(lambda: models.CreateSipMediaApplicationCallRequest)
    create_meeting_dial_out = Op(lambda: models.CreateMeetingDialOutRequest)
