"""Turn a legacy ``chime`` request into its dedicated-namespace equivalent, differences explicit.

A conversion never fills in what the legacy service defaulted: CreateMeeting without
``ExternalMeetingId`` or ``MediaRegion`` is refused until the caller says which values to use,
legacy attendee tags are refused until the caller agrees to drop them, and meeting tags come back
as a separate TagResource step. What else changes (regional endpoint, notification principal)
is returned as ``Note`` objects. Nothing sensitive (phone numbers,
tokens, external IDs) ever appears in a note, an error or a repr.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from chime_calls._rules import Violation
from chime_calls.errors import ValidationError
from chime_calls.migration.mapping import NOTES, Note
from chime_calls.models import (
    CreateAttendeeRequest,
    CreateMeetingDialOutRequest,
    CreateMeetingRequest,
    CreateSipMediaApplicationCallRequest,
    DeleteMeetingRequest,
    DialOutRequest,
    GetMeetingRequest,
    Tag,
    UpdateSipMediaApplicationCallRequest,
    _reveal,
)
from chime_calls.namespaces import MEETINGS, VOICE

__all__ = [
    "CONVERTIBLE",
    "Conversion",
    "MigrationError",
    "TagResourceStep",
    "convert",
    "convert_create_attendee",
    "convert_create_meeting",
    "convert_create_meeting_dial_out",
    "convert_create_sip_media_application_call",
    "convert_delete_meeting",
    "convert_get_meeting",
    "convert_update_sip_media_application_call",
]

_R = TypeVar("_R")


class MigrationError(ValidationError):
    """A legacy request cannot be converted without a decision only the caller can make.

    ``violations`` names each field and what to pass; values are never included.
    """


@attrs.frozen(kw_only=True, repr=False)
class TagResourceStep:
    """Tags the legacy CreateMeeting carried, to apply with TagResource once the meeting exists.

    The SDK namespace tags by ARN, which is only known after CreateMeeting returns; keeping the
    step separate also means a missing tagging permission cannot block meeting creation.
    """

    service: str = MEETINGS
    operation: str = "TagResource"
    tags: tuple[Tag, ...]

    def to_params(self, resource_arn: str) -> dict[str, Any]:
        """The TagResource request for the created meeting's ``MeetingArn``."""
        return {
            "ResourceARN": resource_arn,
            "Tags": [{"Key": t.key, "Value": t.value} for t in self.tags],
        }

    def __repr__(self) -> str:  # tag values can be anything: show only how many
        return f"TagResourceStep(service={self.service!r}, tags=<{len(self.tags)} tags>)"


@attrs.frozen(kw_only=True)
class Conversion(Generic[_R]):
    """A converted request: send ``request`` to ``service``'s ``operation``, then the
    ``follow_ups`` in order, after reading the ``notes``."""

    legacy_operation: str
    service: str
    operation: str
    request: _R
    follow_ups: tuple[TagResourceStep, ...] = ()
    notes: tuple[Note, ...] = ()


def _fail(*problems: tuple[str, str]) -> MigrationError:
    return MigrationError([Violation(field, "migration", text) for field, text in problems])


def _params(
    legacy: object, model: type[Any], allowed: tuple[str, ...], operation: str
) -> dict[str, Any]:
    """Legacy boto3 kwargs (PascalCase, as passed to the ``chime`` client) or a request model."""
    if isinstance(legacy, model):
        params: dict[str, Any] = legacy.to_params()
        return params
    if not isinstance(legacy, Mapping):
        raise TypeError(f"expected {model.__name__} or a mapping of {operation} parameters")
    unknown = sorted(str(k) for k in legacy if k not in allowed)
    if unknown:
        raise _fail(
            *(
                (k, f"is not a legacy {operation} parameter (expected {', '.join(allowed)})")
                for k in unknown
            )
        )
    return dict(legacy)


def _get(params: Mapping[str, Any], key: str) -> Any:
    """A member or ``None``; the request model validates presence and type."""
    return params.get(key)


def _pick(legacy: object, explicit: object, field: str, member: str, hint: str) -> object:
    if legacy is not None and explicit is not None and _reveal(legacy) != _reveal(explicit):
        raise _fail((field, f"the legacy {member} and the explicit {field}= differ; pass one"))
    value = legacy if legacy is not None else explicit
    if value is None:
        raise _fail(
            (field, f"is required in {MEETINGS} and the legacy request has no {member}; {hint}")
        )
    return value


_EXTERNAL_HINT = "pass external_meeting_id= (your own ID for the meeting, 2-64 characters)"
_REGION_HINT = (
    "pass media_region='us-east-1' to keep the legacy default, or the region nearest the attendees"
)


def _notes(*ids: str) -> tuple[Note, ...]:
    return tuple(NOTES[i] for i in ids)


_MEETING_MEMBERS = (
    "ClientRequestToken",
    "ExternalMeetingId",
    "MeetingHostId",
    "MediaRegion",
    "Tags",
    "NotificationsConfiguration",
)


def _legacy_meeting(legacy: CreateMeetingRequest | Mapping[str, Any]) -> CreateMeetingRequest:
    """The legacy request as a model; a model passed in keeps every field it has."""
    if isinstance(legacy, CreateMeetingRequest):
        return legacy
    params = _params(legacy, CreateMeetingRequest, _MEETING_MEMBERS, "CreateMeeting")
    token = _get(params, "ClientRequestToken")
    return CreateMeetingRequest(
        external_meeting_id=_get(params, "ExternalMeetingId"),
        media_region=_get(params, "MediaRegion"),
        meeting_host_id=_get(params, "MeetingHostId"),
        notifications_configuration=_get(params, "NotificationsConfiguration"),
        tags=_get(params, "Tags"),
        **({} if token is None else {"client_request_token": token}),
    )


def convert_create_meeting(
    legacy: CreateMeetingRequest | Mapping[str, Any],
    *,
    external_meeting_id: str | None = None,
    media_region: str | None = None,
) -> Conversion[CreateMeetingRequest]:
    """Legacy CreateMeeting -> chime-sdk-meetings CreateMeeting (+ TagResource for its tags).

    ``external_meeting_id`` / ``media_region`` supply what the legacy request left out (the
    legacy service used us-east-1 as the media region); they must agree with the legacy values
    when both are present. Raises ``MigrationError`` listing every missing decision.
    The legacy ``ClientRequestToken`` is kept, so a retry of a half-migrated call stays
    idempotent; without one a new token is generated.
    """
    base = _legacy_meeting(legacy)
    problems: list[Violation] = []
    chosen: dict[str, Any] = {}
    for field, member, explicit, hint in (
        ("external_meeting_id", "ExternalMeetingId", external_meeting_id, _EXTERNAL_HINT),
        ("media_region", "MediaRegion", media_region, _REGION_HINT),
    ):
        try:
            chosen[field] = _pick(getattr(base, field), explicit, field, member, hint)
        except MigrationError as exc:
            problems.extend(exc.violations)
    if problems:
        raise MigrationError(problems)
    with_tags = attrs.evolve(base, **chosen)
    with_tags.validate_for("sdk")  # every SDK rule, the tags' included, before anything is sent
    note_ids = ["regional-endpoint"]
    if with_tags.notifications_configuration:
        note_ids.append("notification-principal")
    follow_ups: tuple[TagResourceStep, ...] = ()
    if with_tags.tags:
        note_ids.append("tags-to-tag-resource")
        follow_ups = (TagResourceStep(tags=with_tags.tags),)
    return Conversion(
        legacy_operation="CreateMeeting",
        service=MEETINGS,
        operation="CreateMeeting",
        request=attrs.evolve(with_tags, tags=None),
        follow_ups=follow_ups,
        notes=_notes(*note_ids),
    )


def convert_create_attendee(
    legacy: CreateAttendeeRequest | Mapping[str, Any], *, drop_attendee_tags: bool = False
) -> Conversion[CreateAttendeeRequest]:
    """Legacy CreateAttendee -> chime-sdk-meetings CreateAttendee.

    Legacy attendee tags have no SDK equivalent: the conversion refuses them unless
    ``drop_attendee_tags=True`` says losing them is intended.
    """
    params = _params(
        legacy, CreateAttendeeRequest, ("MeetingId", "ExternalUserId", "Tags"), "CreateAttendee"
    )
    note_ids = ["regional-endpoint"]
    if _get(params, "Tags"):
        if not drop_attendee_tags:
            raise _fail(
                ("Tags", f"attendee tags do not exist in {MEETINGS}; pass drop_attendee_tags=True")
            )
        note_ids.append("attendee-tags")
    request = CreateAttendeeRequest(
        meeting_id=_get(params, "MeetingId"),
        external_user_id=_get(params, "ExternalUserId"),
        capabilities=_get(params, "Capabilities"),
    )
    return _done("CreateAttendee", MEETINGS, request, note_ids)


def _meeting_id(legacy: object, model: type[Any], operation: str) -> str:
    params = _params(legacy, model, ("MeetingId",), operation)
    meeting_id: str = _get(params, "MeetingId")  # validated by the request model
    return meeting_id


def convert_get_meeting(
    legacy: GetMeetingRequest | Mapping[str, Any],
) -> Conversion[GetMeetingRequest]:
    """Legacy GetMeeting -> chime-sdk-meetings GetMeeting (same members)."""
    meeting_id = _meeting_id(legacy, GetMeetingRequest, "GetMeeting")
    return _done("GetMeeting", MEETINGS, GetMeetingRequest(meeting_id=meeting_id))


def convert_delete_meeting(
    legacy: DeleteMeetingRequest | Mapping[str, Any],
) -> Conversion[DeleteMeetingRequest]:
    """Legacy DeleteMeeting -> chime-sdk-meetings DeleteMeeting (same members)."""
    meeting_id = _meeting_id(legacy, DeleteMeetingRequest, "DeleteMeeting")
    return _done("DeleteMeeting", MEETINGS, DeleteMeetingRequest(meeting_id=meeting_id))


def convert_create_sip_media_application_call(
    legacy: CreateSipMediaApplicationCallRequest | Mapping[str, Any],
) -> Conversion[CreateSipMediaApplicationCallRequest]:
    """Legacy CreateSipMediaApplicationCall -> chime-sdk-voice (which adds ``ArgumentsMap``)."""
    members = ("SipMediaApplicationId", "FromPhoneNumber", "ToPhoneNumber", "SipHeaders")
    params = _params(
        legacy, CreateSipMediaApplicationCallRequest, members, "CreateSipMediaApplicationCall"
    )
    request = CreateSipMediaApplicationCallRequest(
        sip_media_application_id=_get(params, "SipMediaApplicationId"),
        from_phone_number=_get(params, "FromPhoneNumber"),
        to_phone_number=_get(params, "ToPhoneNumber"),
        sip_headers=_get(params, "SipHeaders"),
        arguments_map=_get(params, "ArgumentsMap"),
    )
    return _done("CreateSipMediaApplicationCall", VOICE, request)


def convert_update_sip_media_application_call(
    legacy: UpdateSipMediaApplicationCallRequest | Mapping[str, Any],
) -> Conversion[UpdateSipMediaApplicationCallRequest]:
    """Legacy UpdateSipMediaApplicationCall -> chime-sdk-voice (same members)."""
    members = ("SipMediaApplicationId", "TransactionId", "Arguments")
    params = _params(
        legacy, UpdateSipMediaApplicationCallRequest, members, "UpdateSipMediaApplicationCall"
    )
    request = UpdateSipMediaApplicationCallRequest(
        sip_media_application_id=_get(params, "SipMediaApplicationId"),
        transaction_id=_get(params, "TransactionId"),
        arguments=_get(params, "Arguments"),
    )
    return _done("UpdateSipMediaApplicationCall", VOICE, request)


def convert_create_meeting_dial_out(
    legacy: CreateMeetingDialOutRequest | Mapping[str, Any],
    *,
    sip_media_application_id: str,
    correlation_id: str | None = None,
) -> Conversion[CreateSipMediaApplicationCallRequest]:
    """Legacy CreateMeetingDialOut -> chime-sdk-voice CreateSipMediaApplicationCall.

    The call rings the number through your SIP media application; its ``ArgumentsMap`` carries
    the meeting ID, join token and a correlation ID, which the application's Lambda (e.g.
    ``chime_calls.sma.dial_out_handler``) uses to join the answered call to the meeting.
    """
    members = ("MeetingId", "FromPhoneNumber", "ToPhoneNumber", "JoinToken")
    params = _params(legacy, CreateMeetingDialOutRequest, members, "CreateMeetingDialOut")
    extra = {} if correlation_id is None else {"correlation_id": correlation_id}
    dial_out = DialOutRequest(
        meeting_id=_get(params, "MeetingId"),
        from_phone_number=_get(params, "FromPhoneNumber"),
        to_phone_number=_get(params, "ToPhoneNumber"),
        join_token=_get(params, "JoinToken"),
        **extra,
    )
    request = dial_out.to_sip_media_application_call(sip_media_application_id)
    return Conversion(
        legacy_operation="CreateMeetingDialOut",
        service=VOICE,
        operation="CreateSipMediaApplicationCall",
        request=request,
        notes=_notes("regional-endpoint", "sip-media-application"),
    )


def _done(
    operation: str, service: str, request: _R, note_ids: list[str] | None = None
) -> Conversion[_R]:
    return Conversion(
        legacy_operation=operation,
        service=service,
        operation=operation,
        request=request,
        notes=_notes(*(note_ids or ["regional-endpoint"])),
    )


_CONVERTERS: Mapping[str, Callable[..., Conversion[Any]]] = {
    "CreateAttendee": convert_create_attendee,
    "CreateMeeting": convert_create_meeting,
    "CreateMeetingDialOut": convert_create_meeting_dial_out,
    "CreateSipMediaApplicationCall": convert_create_sip_media_application_call,
    "DeleteMeeting": convert_delete_meeting,
    "GetMeeting": convert_get_meeting,
    "UpdateSipMediaApplicationCall": convert_update_sip_media_application_call,
}

#: The legacy operations chime-calls wraps and can convert.
CONVERTIBLE: frozenset[str] = frozenset(_CONVERTERS)


def convert(operation: str, legacy: Any, **options: Any) -> Conversion[Any]:
    """Convert by legacy operation name (``CreateMeeting``); ``options`` go to its converter."""
    try:
        converter = _CONVERTERS[operation]
    except KeyError:
        raise _fail(
            ("operation", f"{operation!r} is not one of {', '.join(sorted(_CONVERTERS))}")
        ) from None
    return converter(legacy, **options)
