"""The fake's chime-sdk-meetings operations: meetings, attendees, capabilities, transcription,
tags, and the rules AWS applies to them (limits, reserved IDs, auto-end).

Sources, where no model states the rule (chime-calls docs testing repeats them):

* Media regions: the "Available values" of ``MediaRegion`` in the CreateMeeting API reference
  (Amazon Chime SDK API Reference; the botocore model documents the same list).
* ``ExternalUserId`` is "an idempotency token" and values beginning with ``aws:`` are reserved
  (the same reference, ``CreateAttendeeRequestItem`` / ``Attendee``; case insensitive).
* Attendees per meeting: 250, ``MeetingFeatures.Attendee.MaxCount`` below that, and 25 when
  video is FHD or content UHD (``AttendeeFeatures`` in the reference).
* Capabilities: content ``SendReceive``/``Receive`` needs video ``SendReceive``/``Receive``;
  a meeting whose video (content) resolution is ``None`` refuses any video (content)
  capability but ``None``; with video ``None`` and content not, the default attendee gets
  video ``Receive`` (``AttendeeCapabilities`` in the reference).
* Auto-end: ``AutoEndPolicy``.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from chime_calls.testing._answers import LEGACY, MEETINGS, Answer, Ctx, Operation, quota_code

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake

__all__ = ["ATTENDEE_MAX", "MEDIA_REGIONS", "OPERATIONS", "AutoEndPolicy"]

ATTENDEE_MAX = 250
#: Attendees of a meeting whose video is FHD or content UHD (``AttendeeFeatures``).
_HIGH_RESOLUTION_MAX = 25
_TAGS_MAX = 50
#: Chime SDK media regions: CreateMeeting ``MediaRegion`` "Available values", and in the AWS
#: GovCloud (US) Regions (Amazon Chime SDK API Reference).
MEDIA_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ca-central-1",
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "us-gov-east-1",
        "us-gov-west-1",
    }
)
_RECEIVING = frozenset({"SendReceive", "Receive"})
_ALL = {"Audio": "SendReceive", "Video": "SendReceive", "Content": "SendReceive"}
_ENDED = "The meeting has ended"


@attrs.frozen(kw_only=True)
class AutoEndPolicy:
    """When the fake ends a meeting on its own, in seconds of ``ChimeFake.clock``
    (``None`` turns a rule off).

    AWS's pages disagree, so every rule is a setting: ``empty_for`` (no attendee connected,
    from creation or since the last one left: 5 minutes, Amazon Chime SDK Developer Guide,
    "Creating meetings"), ``alone_for`` (exactly one attendee connected: 30 minutes, in the
    guide's earlier text, quoted in amazon-chime-sdk-js issue 1793) and ``max_duration`` (24
    hours in the guide; users report about 6, amazon-chime-sdk-js issues 2553 and 2645). A
    replica meeting also ends with its primary. Attendees connect and leave with
    ``ChimeFake.attendee_joined`` / ``attendee_left``; a call leg joined
    by a SIP media application or a dial-out counts as connected.

    *New in 0.2.0.*
    """

    empty_for: float | None = 300.0
    alone_for: float | None = 1800.0
    max_duration: float | None = 86400.0

    @classmethod
    def never(cls) -> AutoEndPolicy:
        """Meetings end only when deleted."""
        return cls(empty_for=None, alone_for=None, max_duration=None)


@attrs.define(kw_only=True)
class _Meeting:
    """A meeting as the fake keeps it (``FakeMeeting`` is its snapshot)."""

    meeting_id: str
    service: str
    region: str
    data: dict[str, Any]
    token: str | None
    tags: dict[str, str]
    notifications: dict[str, str] | None
    #: what the request that created it carried, without its token; and its answer
    request: tuple[str, dict[str, Any]] = ("", {})
    answer: dict[str, Any] = attrs.Factory(dict)
    max_attendees: int = ATTENDEE_MAX
    deleted: bool = False  # ended: deleted, or ended by the auto-end policy
    ended_reason: str | None = None
    attendees: dict[str, dict[str, Any]] = attrs.Factory(dict)
    deleted_attendees: set[str] = attrs.Factory(set)
    by_user: dict[str, str] = attrs.Factory(dict)  # external user ID -> live attendee ID
    transcription: dict[str, Any] | None = None
    # auto-end bookkeeping, on the fake's clock
    created_at: float = 0.0
    connected: set[str] = attrs.Factory(set)
    empty_since: float | None = 0.0
    alone_since: float | None = None
    timer: int = 0

    @property
    def live_attendees(self) -> int:
        return len(self.attendees) - len(self.deleted_attendees)

    def deadline(self, policy: AutoEndPolicy) -> tuple[float, str] | None:
        """When and why the policy ends the meeting as it stands (``None``: never)."""
        due: list[tuple[float, str]] = []
        if policy.max_duration is not None:
            due.append(
                (self.created_at + policy.max_duration, f"active for {policy.max_duration:g} s")
            )
        if policy.empty_for is not None and self.empty_since is not None:
            due.append(
                (
                    self.empty_since + policy.empty_for,
                    f"nobody connected for {policy.empty_for:g} s",
                )
            )
        if policy.alone_for is not None and self.alone_since is not None:
            due.append(
                (
                    self.alone_since + policy.alone_for,
                    f"one attendee alone for {policy.alone_for:g} s",
                )
            )
        return min(due) if due else None

    def presence_changed(self, now: float) -> None:
        count = len(self.connected)
        self.empty_since = now if count == 0 else None
        self.alone_since = now if count == 1 else None


def region_code(region: str) -> str:
    parts = region.split("-")
    return "".join(part[0] for part in parts[:-1]) + parts[-1]


def meeting_data(
    ctx: Ctx, account_id: str, meeting_id: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """A new meeting as AWS describes it (MediaPlacement URLs of the media region)."""
    media_region = params.get("MediaRegion") or "us-east-1"
    code = region_code(media_region)
    return {
        "MeetingId": meeting_id,
        "MeetingHostId": params.get("MeetingHostId"),
        "ExternalMeetingId": params.get("ExternalMeetingId"),
        "MediaRegion": media_region,
        "MediaPlacement": {
            "AudioHostUrl": f"{uuid.uuid4().hex}.k.m3.{code}.app.chime.aws:3478",
            "AudioFallbackUrl": f"wss://haxrp.m3.{code}.app.chime.aws:443/calls/{meeting_id}",
            "SignalingUrl": f"wss://signal.m3.{code}.app.chime.aws/control/{meeting_id}",
            "TurnControlUrl": (
                f"https://{meeting_id[-4:]}.cell.{ctx.region}.meetings.chime.aws/v2/turn_sessions"
            ),
            "ScreenDataUrl": f"wss://bitpw.m3.{code}.app.chime.aws:443/v2/screen/{meeting_id}",
            "ScreenViewingUrl": (
                f"wss://bitpw.m3.{code}.app.chime.aws:443/ws/connect?passcode=null"
                f"&viewer_uuid=null&X-BitHub-Call-Id={meeting_id}"
            ),
            "ScreenSharingUrl": f"wss://bitpw.m3.{code}.app.chime.aws:443/v2/screen/{meeting_id}",
            "EventIngestionUrl": f"https://data.svc.{code}.ingest.chime.aws/v1/client-events",
        },
        "MeetingFeatures": params.get("MeetingFeatures"),
        "PrimaryMeetingId": params.get("PrimaryMeetingId"),
        "TenantIds": params.get("TenantIds"),
        "MeetingArn": f"arn:aws:chime:{ctx.region}:{account_id}:meeting/{meeting_id}",
    }


def check_new_meeting(params: Mapping[str, Any]) -> int:
    """Refuse what AWS refuses of a new meeting; the number of attendees it may have."""
    media_region = params.get("MediaRegion") or "us-east-1"
    if media_region not in MEDIA_REGIONS:
        raise Answer("BadRequestException", f"Invalid MediaRegion: {media_region}")
    _not_reserved(params.get("ExternalMeetingId"), "ExternalMeetingId")
    features = params.get("MeetingFeatures") or {}
    high = (features.get("Video") or {}).get("MaxResolution") == "FHD" or (
        features.get("Content") or {}
    ).get("MaxResolution") == "UHD"
    limit = _HIGH_RESOLUTION_MAX if high else ATTENDEE_MAX
    max_count = (features.get("Attendee") or {}).get("MaxCount")
    return min(limit, max_count) if max_count is not None else limit


def _not_reserved(value: str | None, member: str) -> None:
    if value is not None and value[:4].lower() == "aws:":
        raise Answer(
            "BadRequestException",
            f"{member} values that begin with aws: are reserved",
        )


def capabilities_for(meeting: _Meeting, asked: Mapping[str, str] | None) -> dict[str, str]:
    """The capabilities an attendee gets (AWS's default when none are asked), or a 400."""
    features = meeting.data.get("MeetingFeatures") or {}
    no_video = (features.get("Video") or {}).get("MaxResolution") == "None"
    no_content = (features.get("Content") or {}).get("MaxResolution") == "None"
    if asked is None:
        caps = dict(_ALL)
        if no_video:
            caps["Video"] = "None" if no_content else "Receive"
        if no_content:
            caps["Content"] = "None"
        return caps
    caps = dict(asked)
    if caps["Content"] in _RECEIVING and caps["Video"] not in _RECEIVING:
        raise Answer(
            "BadRequestException",
            "Content capabilities SendReceive or Receive require video capabilities "
            "SendReceive or Receive",
        )
    for kind, off in (("Video", no_video), ("Content", no_content)):
        if off and caps[kind] != "None":
            raise Answer(
                "BadRequestException",
                f"The meeting has {kind} MaxResolution None: {kind} capabilities must be None",
            )
    return caps


def new_attendee(ctx: Ctx, meeting: _Meeting, params: Mapping[str, Any]) -> dict[str, Any]:
    """An attendee for ``params`` (CreateAttendee's, or one batch item): the live attendee of
    that external user ID if there is one (AWS's rule), else a new one within the limits."""
    external_user_id = params["ExternalUserId"]
    _not_reserved(external_user_id, "ExternalUserId")
    existing = meeting.by_user.get(external_user_id)
    if existing is not None:
        return meeting.attendees[existing]
    capabilities = capabilities_for(meeting, params.get("Capabilities"))
    if meeting.live_attendees >= meeting.max_attendees:
        raise Answer(
            quota_code(ctx.service),
            f"The meeting already has the maximum of {meeting.max_attendees} attendees",
        )
    attendee_id = str(uuid.uuid4())
    secret = f"{attendee_id}:{uuid.uuid4()}".encode()
    data = {
        "ExternalUserId": external_user_id,
        "AttendeeId": attendee_id,
        "JoinToken": base64.b64encode(secret).decode().rstrip("="),
        "Capabilities": capabilities,
    }
    meeting.attendees[attendee_id] = data
    meeting.by_user[external_user_id] = attendee_id
    return data


def _batch_error(item: Mapping[str, Any], answer: Answer) -> dict[str, Any]:
    return {
        "ExternalUserId": item.get("ExternalUserId"),
        "ErrorCode": answer.code.removesuffix("Exception"),
        "ErrorMessage": answer.message,
    }


def _create_each(ctx: Ctx, meeting: _Meeting, items: list[dict[str, Any]]) -> dict[str, Any]:
    attendees: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in items:
        try:
            attendees.append(new_attendee(ctx, meeting, item))
        except Answer as answer:
            errors.append(_batch_error(item, answer))
    return {"Attendees": attendees, "Errors": errors}


# --- operations ---------------------------------------------------------------------------------


def _create_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting, replayed = fake._new_meeting(ctx, params)
    if not replayed:
        meeting.answer = {"Meeting": meeting.data}
    return meeting.answer


def _create_meeting_with_attendees(
    fake: ChimeFake, ctx: Ctx, params: dict[str, Any]
) -> dict[str, Any]:
    meeting, replayed = fake._new_meeting(ctx, params)
    if not replayed:  # a replay answers what the first request was answered
        meeting.answer = {
            "Meeting": meeting.data,
            **_create_each(ctx, meeting, params["Attendees"]),
        }
    return meeting.answer


def _get_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    return {"Meeting": fake._live_meeting(ctx, params["MeetingId"]).data}


def _delete_meeting(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    fake._end_meeting(fake._live_meeting(ctx, params["MeetingId"]), "deleted")
    return {}


def _create_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"], ended=_ENDED)
    return {"Attendee": new_attendee(ctx, meeting, params)}


def _batch_create_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"], ended=_ENDED)
    return _create_each(ctx, meeting, params["Attendees"])


def _get_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    return {"Attendee": fake._live_attendee(meeting, params["AttendeeId"])}


def _delete_attendee(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    attendee_id = params["AttendeeId"]
    data = fake._live_attendee(meeting, attendee_id)
    meeting.deleted_attendees.add(attendee_id)
    meeting.by_user.pop(data["ExternalUserId"], None)
    fake._disconnect(meeting, attendee_id)
    return {}


def _list_attendees(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    live = [
        data
        for attendee_id, data in meeting.attendees.items()
        if attendee_id not in meeting.deleted_attendees
    ]
    token = params.get("NextToken")
    start = _page_start(token) if token is not None else 0
    size = int(params.get("MaxResults") or 100)
    body: dict[str, Any] = {"Attendees": live[start : start + size]}
    if start + size < len(live):
        body["NextToken"] = base64.urlsafe_b64encode(f"attendees:{start + size}".encode()).decode()
    return body


def _page_start(token: str) -> int:
    try:
        kind, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind == "attendees" and number.isdigit():
            return int(number)
    except (ValueError, UnicodeError):
        pass
    raise Answer("BadRequestException", "Invalid NextToken")


def _update_attendee_capabilities(
    fake: ChimeFake, ctx: Ctx, params: dict[str, Any]
) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    data = fake._live_attendee(meeting, params["AttendeeId"])
    data["Capabilities"] = capabilities_for(meeting, params["Capabilities"])
    return {"Attendee": data}


def _batch_update_capabilities_except(
    fake: ChimeFake, ctx: Ctx, params: dict[str, Any]
) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    capabilities = capabilities_for(meeting, params["Capabilities"])
    excluded = {item["AttendeeId"] for item in params["ExcludedAttendeeIds"]}
    for attendee_id, data in meeting.attendees.items():
        if attendee_id not in excluded and attendee_id not in meeting.deleted_attendees:
            data["Capabilities"] = dict(capabilities)
    return {}


def _start_transcription(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = fake._live_meeting(ctx, params["MeetingId"])
    configuration = params["TranscriptionConfiguration"]
    if not configuration.get("EngineTranscribeSettings") and not configuration.get(
        "EngineTranscribeMedicalSettings"
    ):
        raise Answer(
            "BadRequestException",
            "TranscriptionConfiguration must contain EngineTranscribeSettings or "
            "EngineTranscribeMedicalSettings",
        )
    meeting.transcription = dict(configuration)  # (starting again replaces the configuration)
    return {}


def _stop_transcription(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    fake._live_meeting(ctx, params["MeetingId"]).transcription = None
    return {}


def _tagged(fake: ChimeFake, ctx: Ctx, arn: str) -> _Meeting:
    """The live meeting ``arn`` names, in the request's region (tags are regional)."""
    for meeting in list(fake._meetings.values()):
        if meeting.data["MeetingArn"] == arn and meeting.region == ctx.region:
            fake._expire(meeting)
            if not meeting.deleted:
                return meeting
    raise Answer("ResourceNotFoundException", "The resource that you want to tag couldn't be found")


def _tag_resource(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = _tagged(fake, ctx, params["ResourceARN"])
    tags = {**meeting.tags, **{tag["Key"]: tag["Value"] for tag in params["Tags"]}}
    if len(tags) > _TAGS_MAX:
        raise Answer("TooManyTagsException", f"A resource can have at most {_TAGS_MAX} tags")
    meeting.tags = tags
    return {}


def _untag_resource(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = _tagged(fake, ctx, params["ResourceARN"])
    for key in params["TagKeys"]:
        meeting.tags.pop(key, None)  # (absent keys are no error)
    return {}


def _list_tags(fake: ChimeFake, ctx: Ctx, params: dict[str, Any]) -> dict[str, Any]:
    meeting = _tagged(fake, ctx, params["ResourceARN"])
    return {"Tags": [{"Key": key, "Value": value} for key, value in meeting.tags.items()]}


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
    "UpdateAttendeeCapabilities": _update_attendee_capabilities,
    "BatchUpdateAttendeeCapabilitiesExcept": _batch_update_capabilities_except,
    "StartMeetingTranscription": _start_transcription,
    "StopMeetingTranscription": _stop_transcription,
}
# chime-sdk-voice has operations of the same names, for its own resources
_TAGS: dict[str, Operation] = {
    "TagResource": _tag_resource,
    "UntagResource": _untag_resource,
    "ListTagsForResource": _list_tags,
}
#: service -> the operations this module answers for it (botocore <= 1.37.1 models the
#: legacy forms of the meeting operations on ``chime``)
SERVED: dict[str, dict[str, Operation]] = {
    MEETINGS: {**OPERATIONS, **_TAGS},
    LEGACY: OPERATIONS,
}
