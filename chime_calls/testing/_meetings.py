"""The fake's chime-sdk-meetings operations: meetings and attendees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chime_calls.testing._answers import Answer, Ctx, Operation

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake

__all__ = ["OPERATIONS"]


def _create_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    return {"Meeting": fake._new_meeting(ctx, params).data}


def _create_meeting_with_attendees(
    fake: ChimeFake, ctx: Ctx, params: dict[str, Any]
) -> dict[str, Any]:
    token = params.get("ClientRequestToken")
    replay = token is not None and (ctx.service, ctx.region, str(token)) in fake._tokens
    meeting = fake._new_meeting(ctx, params)
    if replay:
        attendees = list(meeting.attendees.values())
    else:
        attendees = [fake._new_attendee(ctx, meeting, item) for item in params["Attendees"]]
    return {"Meeting": meeting.data, "Attendees": attendees, "Errors": []}


def _get_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    return {"Meeting": fake._live_meeting(ctx, params["MeetingId"]).data}


def _delete_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    fake._live_meeting(ctx, params["MeetingId"]).deleted = True
    fake._meeting_ended(params["MeetingId"])
    return {}


def _create_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"], ended="The meeting has ended")
    return {"Attendee": fake._new_attendee(ctx, meeting, params)}


def _batch_create_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    attendees: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in params["Attendees"]:
        try:
            attendees.append(fake._new_attendee(ctx, meeting, item))
        except Answer as answer:
            errors.append(
                {
                    "ExternalUserId": item.get("ExternalUserId"),
                    "ErrorCode": answer.code.removesuffix("Exception"),
                    "ErrorMessage": answer.message,
                }
            )
    return {"Attendees": attendees, "Errors": errors}


def _get_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    return {"Attendee": fake._live_attendee(meeting, params["AttendeeId"])}


def _delete_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    fake._live_attendee(meeting, params["AttendeeId"])
    meeting.deleted_attendees.add(params["AttendeeId"])
    return {}


def _list_attendees(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    live = [
        data
        for attendee_id, data in meeting.attendees.items()
        if attendee_id not in meeting.deleted_attendees
    ]
    start = int(params.get("NextToken") or 0)
    size = int(params.get("MaxResults") or 100)
    page = live[start : start + size]
    body: dict[str, Any] = {"Attendees": page}
    if start + size < len(live):
        body["NextToken"] = str(start + size)
    return body


OPERATIONS: dict[str, Operation] = {
    "CreateMeeting": _create_meeting,
    "CreateMeetingWithAttendees": _create_meeting_with_attendees,
    "GetMeeting": _get_meeting,
    "DeleteMeeting": _delete_meeting,
    "CreateAttendee": _create_attendee,
    "BatchCreateAttendee": _batch_create_attendee,
    "GetAttendee": _get_attendee,
    "DeleteAttendee": _delete_attendee,
    "ListAttendees": _list_attendees,
}
