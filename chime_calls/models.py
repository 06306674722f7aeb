"""Frozen request and result types of the seed operations.

A request type names its operation's facts once, in its ``@operation`` spec (operation,
service per namespace, kind, rate, result), and its fields; every constraint comes from the
generated model data (``chime_calls._spec`` explains the derivation). Requests accept plain
Python values (``str``, mappings with snake_case or AWS PascalCase keys, lists) or the typed
objects, and check every member when constructed, collecting all violations into one
``ValidationError``; the few constraints that differ between the legacy
``chime`` model and the dedicated namespaces are checked again for the namespace the request is
sent to.

Results are parsed leniently, as Smithy prescribes for output: unknown members are ignored,
absent ones are ``None``, and nothing AWS returns is rejected, except the absence of what a
result cannot be without (an ID), which is reported as an error instead of an empty result.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs

from chime_calls._contract import ARG_CORRELATION_ID, ARG_JOIN_TOKEN, ARG_MEETING_ID
from chime_calls._policy import OperationKind
from chime_calls._rules import Violation
from chime_calls._spec import Model, Request, operation, to_struct
from chime_calls.namespaces import LEGACY, MEETINGS, VOICE
from chime_calls.values import (
    ClientRequestToken,
    ExternalId,
    JoinToken,
    NotificationTarget,
    PhoneNumber,
    SensitiveMap,
    SensitiveValue,
)

__all__ = [
    "Attendee",
    "AttendeeCapabilities",
    "AttendeeFeatures",
    "AttendeesPage",
    "AudioFeatures",
    "ContentFeatures",
    "CreateAttendeeRequest",
    "CreateMeetingDialOutRequest",
    "CreateMeetingRequest",
    "CreateSipMediaApplicationCallRequest",
    "DeleteMeetingRequest",
    "DialOut",
    "DialOutRequest",
    "GetMeetingRequest",
    "ListAttendeesRequest",
    "MediaPlacement",
    "Meeting",
    "MeetingDialOut",
    "MeetingFeatures",
    "NotificationsConfiguration",
    "SipMediaApplicationCall",
    "Tag",
    "UpdateSipMediaApplicationCallRequest",
    "VideoFeatures",
]

IDEMPOTENT = OperationKind.IDEMPOTENT
CALL_PLACING = OperationKind.CALL_PLACING
AT_MOST_ONCE = OperationKind.AT_MOST_ONCE

# --- converters (named, so mypy's attrs plugin types ``__init__``: plain values in, typed out) ---
# Wrong types pass through unchanged so validation can report them with their field path; each
# returns early for the already-typed value, since converters run on every construction.


def _reveal(value: object) -> Any:
    return value.reveal() if isinstance(value, (SensitiveValue, SensitiveMap)) else value


def _phone(value: str | PhoneNumber) -> PhoneNumber:
    if type(value) is PhoneNumber:
        return value
    if type(value) is str:
        return PhoneNumber._unchecked(value)
    coerced: PhoneNumber = PhoneNumber.coerce(value)
    return coerced


def _join_token(value: str | JoinToken) -> JoinToken:
    if type(value) is str:
        return JoinToken._unchecked(value)
    coerced: JoinToken = JoinToken.coerce(value)
    return coerced


def _request_token(value: str | ClientRequestToken | None) -> ClientRequestToken:
    if type(value) is ClientRequestToken:
        return value
    if value is None:  # (a facade method passes None for "generate one")
        return ClientRequestToken._unchecked(_new_uuid4())
    coerced: ClientRequestToken = ClientRequestToken.coerce(value)
    return coerced


def _external_id(value: str | ExternalId) -> ExternalId:
    if type(value) is str:
        return ExternalId._unchecked(value)
    coerced: ExternalId = ExternalId.coerce(value)
    return coerced


def _opt_external_id(value: str | ExternalId | None) -> ExternalId | None:
    if value is None or type(value) is ExternalId:
        return value
    return _external_id(value)


def _opt_target(value: str | NotificationTarget | None) -> NotificationTarget | None:
    if value is None:
        return None
    coerced: NotificationTarget = NotificationTarget.coerce(value)
    return coerced


def _sensitive_map(value: Mapping[str, str]) -> SensitiveMap:
    coerced: SensitiveMap = SensitiveMap.coerce(value)
    return coerced


def _opt_sensitive_map(value: Mapping[str, str] | None) -> SensitiveMap | None:
    if value is None or type(value) is SensitiveMap:
        return value
    return _sensitive_map(value)


def _new_uuid4() -> str:
    return str(uuid.uuid4())


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None or type(value) is tuple:
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return cast("tuple[str, ...] | None", value)  # reported by validation
    return tuple(value)


# --- nested structures ----------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeCapabilities(Model):
    """What an attendee may send and receive (``SendReceive``, ``Send``, ``Receive``, ``None``).

    AWS refuses content ``SendReceive`` or ``Receive`` unless video is ``SendReceive`` or
    ``Receive`` too (AttendeeCapabilities, Amazon Chime SDK API Reference); a request carrying
    such a combination is refused before sending. ``chime_calls.meetings`` has presets.
    """

    audio: str
    video: str
    content: str

    def _documented_rules(self, path: str, out: list[Violation]) -> None:
        if self.content in _RECEIVING and self.video not in _RECEIVING:
            out.append(
                Violation(
                    f"{path}.content",
                    "documented",
                    f"cannot be {self.content!r} unless video is 'SendReceive' or 'Receive' "
                    "(AWS answers 400 otherwise)",
                )
            )


_RECEIVING = frozenset({"SendReceive", "Receive"})


def _capabilities(
    value: AttendeeCapabilities | Mapping[str, Any] | None,
) -> AttendeeCapabilities | None:
    return None if value is None else to_struct(AttendeeCapabilities, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AudioFeatures(Model):
    echo_reduction: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VideoFeatures(Model):
    max_resolution: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ContentFeatures(Model):
    max_resolution: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeFeatures(Model):
    max_count: int | None = None


def _audio(value: AudioFeatures | Mapping[str, Any] | None) -> AudioFeatures | None:
    return None if value is None else to_struct(AudioFeatures, value)


def _video(value: VideoFeatures | Mapping[str, Any] | None) -> VideoFeatures | None:
    return None if value is None else to_struct(VideoFeatures, value)


def _content(value: ContentFeatures | Mapping[str, Any] | None) -> ContentFeatures | None:
    return None if value is None else to_struct(ContentFeatures, value)


def _attendee_features(
    value: AttendeeFeatures | Mapping[str, Any] | None,
) -> AttendeeFeatures | None:
    return None if value is None else to_struct(AttendeeFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingFeatures(Model):
    """``MeetingFeaturesConfiguration``; chime-sdk-meetings only."""

    audio: AudioFeatures | None = attrs.field(default=None, converter=_audio)
    video: VideoFeatures | None = attrs.field(default=None, converter=_video)
    content: ContentFeatures | None = attrs.field(default=None, converter=_content)
    attendee: AttendeeFeatures | None = attrs.field(default=None, converter=_attendee_features)


def _features(value: MeetingFeatures | Mapping[str, Any] | None) -> MeetingFeatures | None:
    return None if value is None else to_struct(MeetingFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class NotificationsConfiguration(Model):
    """Where the service sends meeting events. Each target must allow the service principal
    ``meetings.chime.amazonaws.com`` (legacy: ``chime.amazonaws.com``) to publish/invoke."""

    lambda_function_arn: NotificationTarget | None = attrs.field(
        default=None, converter=_opt_target
    )
    sns_topic_arn: NotificationTarget | None = attrs.field(default=None, converter=_opt_target)
    sqs_queue_arn: NotificationTarget | None = attrs.field(default=None, converter=_opt_target)


def _notifications(
    value: NotificationsConfiguration | Mapping[str, Any] | None,
) -> NotificationsConfiguration | None:
    return None if value is None else to_struct(NotificationsConfiguration, value)


# The SDK model's tag keys and values are not sensitive (the legacy meeting tags were): tags are
# labels an application chooses to show. Error messages that echo them are still scrubbed.
_PRINTABLE = {"printable": "tags are labels; only the legacy model marks them sensitive"}


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Tag(Model):
    key: str = attrs.field(metadata=_PRINTABLE)
    value: str = attrs.field(metadata=_PRINTABLE)


def _tags(
    value: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None,
) -> tuple[Tag, ...] | None:
    """``{"team": "ops"}``, ``[Tag(...)]`` or ``[{"Key": ..., "Value": ...}]`` -> tuple of Tag."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return tuple(Tag(key=k, value=v) for k, v in value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # reported by validation
    return tuple(to_struct(Tag, item) for item in value)


# --- results --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MediaPlacement(Model):
    """The URLs a client SDK needs to join the meeting's media."""

    audio_host_url: str | None = None
    audio_fallback_url: str | None = None
    signaling_url: str | None = None
    turn_control_url: str | None = None
    screen_data_url: str | None = None
    screen_viewing_url: str | None = None
    screen_sharing_url: str | None = None
    event_ingestion_url: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Meeting(Model):
    """A meeting as AWS describes it.

    ``client_request_token`` is set on the result of ``ChimeCalls.create_meeting``: sending
    the same token again (within the service's idempotency window) returns this same meeting,
    so keep it if you may need to retry later.
    """

    meeting_id: str
    meeting_arn: str | None = None
    external_meeting_id: ExternalId | None = None
    meeting_host_id: ExternalId | None = None
    media_region: str | None = None
    media_placement: MediaPlacement | None = None
    meeting_features: MeetingFeatures | None = None
    primary_meeting_id: str | None = None
    tenant_ids: tuple[str, ...] | None = None
    client_request_token: ClientRequestToken | None = attrs.field(
        default=None, metadata={"local": True}
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Attendee(Model):
    """An attendee. ``join_token`` is the bearer secret a client uses to join."""

    attendee_id: str
    external_user_id: ExternalId | None = None
    join_token: JoinToken | None = None
    capabilities: AttendeeCapabilities | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeesPage(Model):
    """One page of a meeting's attendees; ``next_token`` asks for the next (``None``: last)."""

    attendees: tuple[Attendee, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingDialOut(Model):
    """Result of a dial-out: the transaction ID identifies the outbound call."""

    transaction_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplicationCall(Model):
    """A SIP media application call, identified by its transaction ID."""

    transaction_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DialOut(Model):
    """A dial-out in progress: ``path`` is ``"legacy"`` or ``"sip-media-application"``."""

    transaction_id: str
    path: str
    correlation_id: str


# --- requests -------------------------------------------------------------------------------


@operation(
    "CreateMeeting",
    service=MEETINGS,
    legacy=True,
    kind=IDEMPOTENT,
    rate=10.0,
    unwrap="Meeting",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateMeetingRequest(Request[Meeting]):
    """Create a meeting (``CreateMeeting``).

    ``external_meeting_id`` and ``media_region`` are required in the SDK namespace (optional in
    legacy). The idempotency token (``client_request_token``) is generated when not given and
    reused on every retry, so a retried CreateMeeting cannot create a second meeting; it is on
    the result (``meeting.client_request_token``) so a later retry of your own can reuse it and
    get the same meeting back.
    """

    external_meeting_id: ExternalId | None = attrs.field(default=None, converter=_opt_external_id)
    media_region: str | None = None
    meeting_host_id: ExternalId | None = attrs.field(default=None, converter=_opt_external_id)
    notifications_configuration: NotificationsConfiguration | None = attrs.field(
        default=None, converter=_notifications
    )
    meeting_features: MeetingFeatures | None = attrs.field(default=None, converter=_features)
    primary_meeting_id: str | None = None
    tenant_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=_tags)
    media_placement_network_type: str | None = None
    client_request_token: ClientRequestToken = attrs.field(
        factory=lambda: ClientRequestToken._unchecked(_new_uuid4()),
        converter=_request_token,
    )

    def _finish(self, result: Meeting) -> Meeting:
        object.__setattr__(result, "client_request_token", self.client_request_token)
        return result


@operation(
    "CreateAttendee",
    service=MEETINGS,
    legacy=True,
    kind=AT_MOST_ONCE,  # no idempotency token: a retry could add the attendee twice
    rate=10.0,
    unwrap="Attendee",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateAttendeeRequest(Request[Attendee]):
    """Add an attendee (``CreateAttendee``); the result carries its join token."""

    meeting_id: str
    external_user_id: ExternalId = attrs.field(converter=_external_id)
    capabilities: AttendeeCapabilities | None = attrs.field(default=None, converter=_capabilities)


@operation(
    "GetMeeting", service=MEETINGS, legacy=True, kind=IDEMPOTENT, rate=10.0, unwrap="Meeting"
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetMeetingRequest(Request[Meeting]):
    """Describe a meeting (``GetMeeting``); a deleted or unknown one is NotFoundError."""

    meeting_id: str


@operation(
    "ListAttendees",
    service=MEETINGS,
    kind=IDEMPOTENT,
    rate=10.0,
    page_tokens=("next_token", "next_token"),
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListAttendeesRequest(Request[AttendeesPage]):
    """One page of a meeting's attendees (``ListAttendees``): up to ``max_results`` (1..100)
    after ``next_token``."""

    meeting_id: str
    next_token: str | None = None
    max_results: int | None = None


@operation(
    "DeleteMeeting",
    service=MEETINGS,
    legacy=True,
    kind=IDEMPOTENT,
    rate=10.0,
    gone_after_retry=True,  # NotFound after an unknown outcome: an earlier attempt deleted it
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteMeetingRequest(Request[None]):
    """End a meeting for everyone (``DeleteMeeting``)."""

    meeting_id: str


@operation(
    "CreateMeetingDialOut",
    service=LEGACY,  # no dedicated namespace has it
    legacy=True,
    kind=CALL_PLACING,
    successor="chime-sdk-voice CreateSipMediaApplicationCall",
    advice=(
        "ring the phone with ChimeCalls(namespace='sdk', sip_media_application_id=...)"
        ".dial_out(...) instead, which places a chime-sdk-voice CreateSipMediaApplicationCall "
        "answered by a SIP media application (chime-calls docs dial-out)"
    ),
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateMeetingDialOutRequest(Request[MeetingDialOut]):
    """Ring a phone into a meeting (legacy ``CreateMeetingDialOut``, in every namespace: no
    dedicated namespace has it). Its JoinToken also has a pattern.

    AWS refuses it for accounts that never used the legacy API
    (``LegacyNamespaceRefusedError``), and ended support for the Amazon Chime
    service on 2026-02-20; ``dial_out`` with a SIP media application is the path to use
    (chime-calls docs dial-out).
    """

    meeting_id: str
    from_phone_number: PhoneNumber = attrs.field(converter=_phone)
    to_phone_number: PhoneNumber = attrs.field(converter=_phone)
    join_token: JoinToken = attrs.field(converter=_join_token)


@operation(
    "CreateSipMediaApplicationCall",
    service=VOICE,
    legacy=True,
    kind=CALL_PLACING,
    rate=1.0,
    unwrap="SipMediaApplicationCall",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateSipMediaApplicationCallRequest(Request[SipMediaApplicationCall]):
    """Place an outbound call through a SIP media application (``CreateSipMediaApplicationCall``):
    rings ``to_phone_number`` and starts the application's Lambda. ``arguments_map`` (SDK
    namespace only) reaches the Lambda; ``sip_headers`` do not (AWS drops them there)."""

    sip_media_application_id: str
    from_phone_number: PhoneNumber = attrs.field(converter=_phone)
    to_phone_number: PhoneNumber = attrs.field(converter=_phone)
    sip_headers: SensitiveMap | None = attrs.field(default=None, converter=_opt_sensitive_map)
    arguments_map: SensitiveMap | None = attrs.field(default=None, converter=_opt_sensitive_map)


@operation(
    "UpdateSipMediaApplicationCall",
    service=VOICE,
    legacy=True,
    kind=AT_MOST_ONCE,  # no token, and an update invokes the Lambda again
    unwrap="SipMediaApplicationCall",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateSipMediaApplicationCallRequest(Request[SipMediaApplicationCall]):
    """``UpdateSipMediaApplicationCall``: hands new arguments to the running call's Lambda
    (event ``CALL_UPDATE_REQUESTED``), e.g. to play a message or hang up."""

    sip_media_application_id: str
    transaction_id: str
    arguments: SensitiveMap = attrs.field(factory=SensitiveMap, converter=_sensitive_map)


# --- dial-out, either path -----------------------------------------------------------------------

# ArgumentsMap keys of the SIP media application dial-out contract (chime-calls docs dial-out):
# the Lambda (``chime_calls.sma.dial_out_handler``) reads them to answer with JoinChimeMeeting.
# Defined in a light module of their own, so the Lambda reads them without these models.

_GUID = {"*": (MEETINGS, "GuidString")}
_E164 = {"*": (VOICE, "E164PhoneNumber")}
# The legacy operation adds a pattern to the token; the SIP media application path carries it
# in ArgumentsMap as the meetings namespace issued it.
_DIAL_OUT_TOKEN = {"legacy": (LEGACY, "JoinTokenString"), "sdk": (MEETINGS, "JoinTokenString")}
# Our own ID (no AWS member): 1..128 characters, not only whitespace (voice NonEmptyString128).
_CORRELATION = {"*": (VOICE, "NonEmptyString128")}


@operation("DialOut", service=None, kind=CALL_PLACING, virtual=("sdk", "legacy"))
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DialOutRequest(Request[DialOut]):
    """Ring a phone into a meeting, by whichever path the namespace has.

    Legacy: ``CreateMeetingDialOut``. SDK: ``CreateSipMediaApplicationCall`` on a configured SIP
    media application, whose Lambda joins the answered call to the meeting with the join token
    carried in ``ArgumentsMap``. ``correlation_id`` (generated when not given) travels with the
    call so the Lambda's logs can be matched to the request.
    """

    meeting_id: str = attrs.field(metadata={"shape": _GUID})
    from_phone_number: PhoneNumber = attrs.field(converter=_phone, metadata={"shape": _E164})
    to_phone_number: PhoneNumber = attrs.field(converter=_phone, metadata={"shape": _E164})
    join_token: JoinToken = attrs.field(converter=_join_token, metadata={"shape": _DIAL_OUT_TOKEN})
    correlation_id: str = attrs.field(factory=_new_uuid4, metadata={"shape": _CORRELATION})

    def to_legacy(self) -> CreateMeetingDialOutRequest:
        return CreateMeetingDialOutRequest(
            meeting_id=self.meeting_id,
            from_phone_number=self.from_phone_number,
            to_phone_number=self.to_phone_number,
            join_token=self.join_token,
        )

    def to_sip_media_application_call(
        self, sip_media_application_id: str
    ) -> CreateSipMediaApplicationCallRequest:
        return CreateSipMediaApplicationCallRequest(
            sip_media_application_id=sip_media_application_id,
            from_phone_number=self.from_phone_number,
            to_phone_number=self.to_phone_number,
            arguments_map={
                ARG_MEETING_ID: self.meeting_id,
                ARG_JOIN_TOKEN: self.join_token.reveal(),
                ARG_CORRELATION_ID: self.correlation_id,
            },
        )


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
