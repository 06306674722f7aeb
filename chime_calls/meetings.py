"""Everything a meetings backend does with chime-sdk-meetings (chime-calls docs meetings).

* The request and result types of the operations ``chime_calls.models`` does not have
  (CreateMeetingWithAttendees, BatchCreateAttendee, GetAttendee, DeleteAttendee, attendee
  capabilities, transcription, tags); ``ChimeCalls`` has a method for each.
* ``join_info``: the ``{"Meeting": ..., "Attendee": ...}`` a browser or mobile Chime SDK
  client joins with, in AWS's exact shape. It is the one deliberate way a join token leaves the
  server: ``JoinInfo.reveal_for_client``.
* Flows the facade runs as one method each (``calls.add_attendees``,
  ``calls.create_meeting_with_all_attendees``, ``calls.join_meeting``, ``calls.live_meeting``):
  attendees at any scale with one outcome per attendee, and a live meeting for an external
  meeting ID that replaces an ended one safely, from any number of servers at once.
* Capabilities: ``WATCH_ONLY``, ``MUTED``, ``capabilities``.

Results are parsed leniently and keep the answer they were parsed from (``Model.to_aws()``
gives back the members this package does not model yet).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from chime_calls._policy import OperationKind
from chime_calls._rules import ListRule, Violation, _Struct, rule_for
from chime_calls._spec import Model, Request, operation, to_struct
from chime_calls.errors import (
    ChimeCallsError,
    InvalidResponseError,
    NotFoundError,
    ServiceError,
    TransportError,
    ValidationError,
    scrub,
)
from chime_calls.models import (
    Attendee,
    AttendeeCapabilities,
    CreateAttendeeRequest,
    CreateMeetingRequest,
    GetMeetingRequest,
    Meeting,
    MeetingFeatures,
    NotificationsConfiguration,
    Tag,
    _capabilities,
    _external_id,
    _features,
    _notifications,
    _opt_external_id,
    _request_token,
    _strings,
    _tags,
)
from chime_calls.namespaces import MEETINGS
from chime_calls.values import ClientRequestToken, ExternalId

if TYPE_CHECKING:
    from chime_calls._flows import Steps

__all__ = [
    "MUTED",
    "SEND_RECEIVE",
    "WATCH_ONLY",
    "AttendeeIdItem",
    "AttendeeOutcome",
    "AttendeeOutcomes",
    "BatchCreateAttendeeRequest",
    "BatchUpdateAttendeeCapabilitiesExceptRequest",
    "CreateAttendeeError",
    "CreateMeetingWithAttendeesRequest",
    "CreatedAttendees",
    "DeleteAttendeeRequest",
    "EngineTranscribeMedicalSettings",
    "EngineTranscribeSettings",
    "GetAttendeeRequest",
    "JoinInfo",
    "ListTagsForResourceRequest",
    "MediaCapability",
    "MeetingTags",
    "MeetingWithAttendees",
    "NewAttendee",
    "NewMeeting",
    "StartMeetingTranscriptionRequest",
    "StopMeetingTranscriptionRequest",
    "TagResourceRequest",
    "TranscriptionConfiguration",
    "UntagResourceRequest",
    "UpdateAttendeeCapabilitiesRequest",
    "capabilities",
    "join_info",
    "live_meeting_token",
]

IDEMPOTENT = OperationKind.IDEMPOTENT
AT_MOST_ONCE = OperationKind.AT_MOST_ONCE
#: AWS's default rate for each chime-sdk-meetings API (requests per second, adjustable).
_MEETINGS_RATE = 10.0
_ARN = {"member": "ResourceARN"}

# --- capabilities -------------------------------------------------------------------------------

#: What an attendee may do with one kind of media (the model's ``MediaCapabilities``).
MediaCapability = Literal["SendReceive", "Send", "Receive", "None"]


def capabilities(
    *,
    audio: MediaCapability = "SendReceive",
    video: MediaCapability = "SendReceive",
    content: MediaCapability = "SendReceive",
) -> AttendeeCapabilities:
    """Typed ``AttendeeCapabilities``; each kind defaults to AWS's default,
    ``SendReceive``. Checked when a request carrying them is built (enum values, and content
    ``SendReceive``/``Receive`` only with video ``SendReceive``/``Receive``)."""
    return AttendeeCapabilities(audio=audio, video=video, content=content)


#: AWS's default when a request names no capabilities.
SEND_RECEIVE = capabilities()
#: A viewer: hears, sees and sees shared content, sends nothing (a webinar audience).
WATCH_ONLY = capabilities(audio="Receive", video="Receive", content="Receive")
#: Cannot be heard; video and content unchanged. With
#: ``batch_update_attendee_capabilities_except(excluded_attendee_ids=[host], capabilities=MUTED)``
#: it mutes everyone but the host.
MUTED = capabilities(audio="Receive")


# --- nested structures --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class NewAttendee(Model):
    """An attendee to create (``CreateAttendeeRequestItem``). Where a list of attendees is
    taken, a plain ``str`` is an ``external_user_id`` with the default capabilities."""

    external_user_id: ExternalId = attrs.field(converter=_external_id)
    capabilities: AttendeeCapabilities | None = attrs.field(default=None, converter=_capabilities)


_BOTO3_ITEM = frozenset({"ExternalUserId", "Capabilities"})


def _new_attendee(value: object) -> Any:
    if type(value) is dict and "ExternalUserId" in value and value.keys() <= _BOTO3_ITEM:
        # (the items boto3 code passes, without to_struct's general key matching)
        return NewAttendee(
            external_user_id=value["ExternalUserId"], capabilities=value.get("Capabilities")
        )
    if isinstance(value, (str, ExternalId)):
        return NewAttendee(external_user_id=value)
    return to_struct(NewAttendee, value)  # anything else is reported by validation


def _new_attendees(
    value: Iterable[str | NewAttendee | Mapping[str, Any]],
) -> tuple[NewAttendee, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return cast("tuple[NewAttendee, ...]", value)  # reported by validation
    return tuple([_new_attendee(item) for item in value])


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeIdItem(Model):
    """One attendee ID in ``ExcludedAttendeeIds``."""

    attendee_id: str


def _attendee_ids(
    value: Iterable[str | AttendeeIdItem | Mapping[str, str]],
) -> tuple[AttendeeIdItem, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return cast("tuple[AttendeeIdItem, ...]", value)  # reported by validation
    return tuple(
        AttendeeIdItem(attendee_id=item)
        if isinstance(item, str)
        else to_struct(AttendeeIdItem, item)
        for item in value
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class EngineTranscribeSettings(Model):
    """Amazon Transcribe settings of a meeting's live transcription."""

    language_code: str | None = None
    vocabulary_filter_method: str | None = None
    vocabulary_filter_name: str | None = None
    vocabulary_name: str | None = None
    region: str | None = None
    enable_partial_results_stabilization: bool | None = None
    partial_results_stability: str | None = None
    content_identification_type: str | None = None
    content_redaction_type: str | None = None
    pii_entity_types: str | None = None
    language_model_name: str | None = None
    identify_language: bool | None = None
    language_options: str | None = None
    preferred_language: str | None = None
    vocabulary_names: str | None = None
    vocabulary_filter_names: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class EngineTranscribeMedicalSettings(Model):
    """Amazon Transcribe Medical settings of a meeting's live transcription."""

    language_code: str
    specialty: str
    type: str
    vocabulary_name: str | None = None
    region: str | None = None
    content_identification_type: str | None = None


def _engine(value: object) -> Any:
    return None if value is None else to_struct(EngineTranscribeSettings, value)


def _medical(value: object) -> Any:
    return None if value is None else to_struct(EngineTranscribeMedicalSettings, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class TranscriptionConfiguration(Model):
    """Which engine transcribes the meeting: AWS requires one of the two."""

    engine_transcribe_settings: EngineTranscribeSettings | None = attrs.field(
        default=None, converter=_engine
    )
    engine_transcribe_medical_settings: EngineTranscribeMedicalSettings | None = attrs.field(
        default=None, converter=_medical
    )

    def _documented_rules(self, path: str, out: list[Violation]) -> None:
        if (
            self.engine_transcribe_settings is None
            and self.engine_transcribe_medical_settings is None
        ):
            out.append(
                Violation(
                    path,
                    "documented",
                    "must contain engine_transcribe_settings or "
                    "engine_transcribe_medical_settings (StartMeetingTranscription)",
                )
            )


def _transcription(value: object) -> TranscriptionConfiguration:
    return to_struct(TranscriptionConfiguration, value)


# --- results ------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateAttendeeError(Model):
    """An attendee a batch did not create, with AWS's ``ErrorCode`` and ``ErrorMessage``
    (scrubbed of the request's external user IDs)."""

    external_user_id: ExternalId | None = None
    error_code: str | None = None
    error_message: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreatedAttendees(Model):
    """BatchCreateAttendee's answer: partial success is normal, so read ``errors`` too."""

    attendees: tuple[Attendee, ...] = ()
    errors: tuple[CreateAttendeeError, ...] = ()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingWithAttendees(Model):
    """CreateMeetingWithAttendees' answer: the meeting, the attendees created, the errors.

    ``meeting.client_request_token`` is the request's token: send it again to get this same
    meeting back while it lives.
    """

    meeting: Meeting
    attendees: tuple[Attendee, ...] = ()
    errors: tuple[CreateAttendeeError, ...] = ()

    def join_info(self, external_user_id: str | ExternalId) -> JoinInfo:
        """The join info of the attendee created for ``external_user_id`` (``KeyError``: none)."""
        return join_info(self.meeting, _find(self.attendees, external_user_id))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingTags(Model):
    """ListTagsForResource's answer."""

    tags: tuple[Tag, ...] = ()


# --- requests -----------------------------------------------------------------------------------


def _scrub_errors(errors: tuple[CreateAttendeeError, ...], request: Request[Any]) -> None:
    """AWS's per-attendee messages may echo the external user ID: scrub them like errors."""
    if not errors:
        return
    secrets = request.sensitive_values()
    for error in errors:
        if error.error_message:
            object.__setattr__(error, "error_message", scrub(error.error_message, secrets))


@operation("CreateMeetingWithAttendees", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateMeetingWithAttendeesRequest(Request[MeetingWithAttendees]):
    """Create a meeting with its first attendees (``CreateMeetingWithAttendees``, 1..20).

    Answers 200 with per-attendee ``errors``: partial success is normal. The idempotency token
    is generated when not given and reused on every retry, as for ``create_meeting``. For any
    number of attendees use ``create_meeting_with_all_attendees``.
    """

    external_meeting_id: ExternalId = attrs.field(converter=_external_id)
    media_region: str
    attendees: tuple[NewAttendee, ...] = attrs.field(converter=_new_attendees)
    meeting_host_id: ExternalId | None = attrs.field(default=None, converter=_opt_external_id)
    meeting_features: MeetingFeatures | None = attrs.field(default=None, converter=_features)
    notifications_configuration: NotificationsConfiguration | None = attrs.field(
        default=None, converter=_notifications
    )
    primary_meeting_id: str | None = None
    tenant_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=_tags)
    media_placement_network_type: str | None = None
    client_request_token: ClientRequestToken = attrs.field(
        factory=lambda: _request_token(None), converter=_request_token
    )

    def _finish(self, result: MeetingWithAttendees) -> MeetingWithAttendees:
        object.__setattr__(result.meeting, "client_request_token", self.client_request_token)
        _scrub_errors(result.errors, self)
        return result


@operation(
    "BatchCreateAttendee",
    service=MEETINGS,
    # ExternalUserId is "an idempotency token" (the model's documentation): AWS answers a
    # repeated one with the attendee it already created, so a re-send cannot add anyone twice.
    kind=IDEMPOTENT,
    rate=_MEETINGS_RATE,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class BatchCreateAttendeeRequest(Request[CreatedAttendees]):
    """Add 1..100 attendees (``BatchCreateAttendee``). Answers 200 with per-attendee
    ``errors``; for any number of attendees use ``add_attendees``."""

    meeting_id: str
    attendees: tuple[NewAttendee, ...] = attrs.field(converter=_new_attendees)

    def _finish(self, result: CreatedAttendees) -> CreatedAttendees:
        _scrub_errors(result.errors, self)
        return result


@operation("GetAttendee", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE, unwrap="Attendee")
@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetAttendeeRequest(Request[Attendee]):
    """Describe an attendee (``GetAttendee``), join token included."""

    meeting_id: str
    attendee_id: str


@operation(
    "DeleteAttendee",
    service=MEETINGS,
    kind=IDEMPOTENT,
    rate=_MEETINGS_RATE,
    gone_after_retry=True,  # NotFound after an unknown outcome: an earlier attempt deleted it
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteAttendeeRequest(Request[None]):
    """Remove an attendee and invalidate their join token (``DeleteAttendee``)."""

    meeting_id: str
    attendee_id: str


@operation(
    "UpdateAttendeeCapabilities",
    service=MEETINGS,
    kind=IDEMPOTENT,  # sets the capabilities: twice is the same as once
    rate=_MEETINGS_RATE,
    unwrap="Attendee",
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateAttendeeCapabilitiesRequest(Request[Attendee]):
    """Change what one attendee may send and receive (``UpdateAttendeeCapabilities``)."""

    meeting_id: str
    attendee_id: str
    capabilities: AttendeeCapabilities = attrs.field(converter=_capabilities)


@operation(
    "BatchUpdateAttendeeCapabilitiesExcept",
    service=MEETINGS,
    kind=IDEMPOTENT,
    rate=_MEETINGS_RATE,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class BatchUpdateAttendeeCapabilitiesExceptRequest(Request[None]):
    """Set the capabilities of every attendee except ``excluded_attendee_ids`` (1..250 IDs, or
    ``AttendeeIdItem``): ``capabilities=MUTED, excluded_attendee_ids=[host]`` mutes all but
    the host."""

    meeting_id: str
    excluded_attendee_ids: tuple[AttendeeIdItem, ...] = attrs.field(converter=_attendee_ids)
    capabilities: AttendeeCapabilities = attrs.field(converter=_capabilities)


@operation(
    "StartMeetingTranscription",
    service=MEETINGS,
    kind=AT_MOST_ONCE,  # AWS does not say that starting twice is harmless
    rate=_MEETINGS_RATE,
)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StartMeetingTranscriptionRequest(Request[None]):
    """Start live transcription (``StartMeetingTranscription``); an invalid Transcribe
    configuration is reported later, as a ``TranscriptFailed`` meeting event."""

    meeting_id: str
    transcription_configuration: TranscriptionConfiguration = attrs.field(converter=_transcription)


@operation("StopMeetingTranscription", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StopMeetingTranscriptionRequest(Request[None]):
    """Stop live transcription (``StopMeetingTranscription``)."""

    meeting_id: str


@operation("TagResource", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class TagResourceRequest(Request[None]):
    """Tag a meeting by its ARN (``TagResource``; ``{"team": "ops"}`` or ``Tag`` objects)."""

    resource_arn: str = attrs.field(metadata=_ARN)
    tags: tuple[Tag, ...] = attrs.field(converter=_tags)


@operation("UntagResource", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class UntagResourceRequest(Request[None]):
    """Remove tags from a meeting by key (``UntagResource``); absent keys are no error."""

    resource_arn: str = attrs.field(metadata=_ARN)
    tag_keys: tuple[str, ...] = attrs.field(converter=_strings)


@operation("ListTagsForResource", service=MEETINGS, kind=IDEMPOTENT, rate=_MEETINGS_RATE)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ListTagsForResourceRequest(Request[MeetingTags]):
    """A meeting's tags (``ListTagsForResource``)."""

    resource_arn: str = attrs.field(metadata=_ARN)


# --- join info ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class JoinInfo(_Struct):
    """A meeting and one of its attendees, for that attendee's client to join with.

    Its repr and str redact the join token like every other object of this package; only
    ``reveal_for_client`` gives it out.
    """

    meeting: Meeting
    attendee: Attendee

    def reveal_for_client(self) -> dict[str, Any]:
        """``{"Meeting": {...}, "Attendee": {...}}`` exactly as the Chime SDK client libraries
        (JS, iOS, Android) take it: AWS's PascalCase shape with ``MediaPlacement``, the real
        join token, members AWS added that this package does not model, no
        ``ResponseMetadata``; plain ``dict``/``list``/``str`` values, ready for ``json.dumps``.

        The join token is a bearer secret for the meeting: send this only to the client the
        attendee belongs to, over TLS, and never log it.
        """
        return {"Meeting": self.meeting.to_aws(), "Attendee": self.attendee.to_aws()}


def join_info(meeting: Meeting, attendee: Attendee) -> JoinInfo:
    """The join info of ``attendee`` in ``meeting`` (see ``JoinInfo.reveal_for_client``).

    Raises ``ValidationError`` when the attendee has no join token (a client
    cannot join without one; ``get_attendee`` returns it).
    """
    if not isinstance(meeting, Meeting) or not isinstance(attendee, Attendee):
        raise TypeError(
            "join_info() takes a chime_calls.Meeting and a chime_calls.Attendee, not "
            f"{type(meeting).__name__} and {type(attendee).__name__}"
        )
    if attendee.join_token is None:
        raise ValidationError(
            [Violation("attendee.join_token", "required", "is required: a client joins with it")]
        )
    return JoinInfo(meeting=meeting, attendee=attendee)


def _find(attendees: Iterable[Attendee], external_user_id: str | ExternalId) -> Attendee:
    for attendee in attendees:
        if attendee.external_user_id is not None and attendee.external_user_id == external_user_id:
            return attendee
    raise KeyError("no attendee with that external user ID")  # (the ID itself is sensitive)


# --- attendees at scale -------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeOutcome(_Struct):
    """What became of one attendee asked for.

    ``status``: ``"created"`` (``attendee`` is set), ``"failed"`` (AWS's per-attendee
    ``error_code`` and ``error_message``, or the whole request's ``error``), or ``"not_sent"``
    (an earlier request failed with ``error``, so this one was not sent). Asking again for a
    failed or unsent attendee is safe: AWS returns the attendee it may already have created.
    """

    external_user_id: ExternalId
    status: Literal["created", "failed", "not_sent"]
    attendee: Attendee | None = None
    error_code: str | None = None
    error_message: str | None = None
    error: ChimeCallsError | None = None

    @property
    def ok(self) -> bool:
        return self.status == "created"


@attrs.frozen(repr=False, eq=False)
class AttendeeOutcomes(_Struct):
    """One ``AttendeeOutcome`` per attendee asked for, in the order asked (an external user
    ID given twice is created once; both places get the same outcome). Nothing is dropped."""

    outcomes: tuple[AttendeeOutcome, ...] = ()

    def __iter__(self) -> Iterator[AttendeeOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def __getitem__(self, index: int) -> AttendeeOutcome:
        return self.outcomes[index]

    @property
    def ok(self) -> bool:
        """Every attendee was created."""
        return all(outcome.ok for outcome in self.outcomes)

    @property
    def created(self) -> tuple[Attendee, ...]:
        return tuple(o.attendee for o in self.outcomes if o.attendee is not None)

    @property
    def failed(self) -> tuple[AttendeeOutcome, ...]:
        """The outcomes that are not ``created`` (failed or not sent): ask again for these."""
        return tuple(o for o in self.outcomes if not o.ok)

    @property
    def error(self) -> ChimeCallsError | None:
        """The error that failed a whole request, if one did (later requests were not sent)."""
        return next((o.error for o in self.outcomes if o.error is not None), None)

    def get(self, external_user_id: str | ExternalId) -> AttendeeOutcome:
        """The outcome for ``external_user_id`` (``KeyError``: it was not asked for)."""
        for outcome in self.outcomes:
            if outcome.external_user_id == external_user_id:
                return outcome
        raise KeyError("that external user ID was not asked for")


@attrs.frozen(kw_only=True, repr=False, eq=False)
class NewMeeting(_Struct):
    """A meeting created by ``create_meeting_with_all_attendees``, with one outcome per
    attendee."""

    meeting: Meeting
    attendees: AttendeeOutcomes

    def join_info(self, external_user_id: str | ExternalId) -> JoinInfo:
        """The join info of the attendee created for ``external_user_id`` (``KeyError``: it was
        not created)."""
        return join_info(self.meeting, _find(self.attendees.created, external_user_id))


AttendeeLike = str | ExternalId | NewAttendee | Mapping[str, Any]


def _max_items(shape: str) -> int:
    """How many attendees one request takes, from the installed model's list shape."""
    rule = rule_for(MEETINGS, shape)
    assert isinstance(rule, ListRule)  # noqa: S101 - the generated data says so
    return rule.max_len or 1


def _checked(attendees: Iterable[AttendeeLike]) -> list[NewAttendee]:
    """Every attendee converted and checked before anything is sent (one ValidationError naming
    each bad ``attendees[i]``)."""
    if isinstance(attendees, (str, bytes, Mapping)) or not isinstance(attendees, Iterable):
        raise ValidationError(
            [
                Violation(
                    "attendees",
                    "type",
                    "must be a list of attendees (external user IDs, NewAttendee or mappings), "
                    f"not {type(attendees).__name__}",
                )
            ]
        )
    items = [_new_attendee(item) for item in attendees]
    rule = rule_for(MEETINGS, "CreateAttendeeRequestItem")
    out: list[Violation] = []
    for index, item in enumerate(items):
        rule.check(item, f"attendees[{index}]", out)
    if out:
        raise ValidationError(out)
    return items


def _checked_attendee(
    external_user_id: str | ExternalId,
    capabilities: AttendeeCapabilities | Mapping[str, Any] | None,
) -> NewAttendee:
    item = NewAttendee(external_user_id=external_user_id, capabilities=capabilities)
    out: list[Violation] = []
    rule_for(MEETINGS, "CreateAttendeeRequestItem").check(item, "", out)
    if out:  # ("" + ".external_user_id": the parameters' own names)
        raise ValidationError([Violation(v.field.lstrip("."), v.rule, v.message) for v in out])
    return item


def _plain(value: ExternalId | str) -> str:
    """The text of an external ID (a result built by hand may hold a plain ``str``)."""
    return value.reveal() if isinstance(value, ExternalId) else value


class _Ledger:
    """The outcomes so far, by external user ID, for the attendees asked for in order."""

    def __init__(self, items: Sequence[NewAttendee]) -> None:
        self.items = items
        self.unique: list[NewAttendee] = []
        self.by_id: dict[str, AttendeeOutcome] = {}
        seen: set[str] = set()
        for item in items:
            key = item.external_user_id.reveal()
            if key not in seen:
                seen.add(key)
                self.unique.append(item)

    def answered(
        self,
        chunk: Sequence[NewAttendee],
        attendees: Iterable[Attendee],
        errors: Iterable[CreateAttendeeError],
    ) -> None:
        created = {_plain(a.external_user_id): a for a in attendees if a.external_user_id}
        failed = {_plain(e.external_user_id): e for e in errors if e.external_user_id}
        for item in chunk:
            key = item.external_user_id.reveal()
            attendee = created.get(key)
            error = failed.get(key)
            if attendee is not None:
                outcome = AttendeeOutcome(
                    external_user_id=item.external_user_id, status="created", attendee=attendee
                )
            elif error is not None:
                outcome = AttendeeOutcome(
                    external_user_id=item.external_user_id,
                    status="failed",
                    error_code=error.error_code,
                    error_message=error.error_message,
                )
            else:
                outcome = AttendeeOutcome(
                    external_user_id=item.external_user_id,
                    status="failed",
                    error_message="AWS's answer listed this attendee neither as created nor as "
                    "failed",
                )
            self.by_id[key] = outcome

    def request_failed(self, chunk: Sequence[NewAttendee], error: ChimeCallsError) -> None:
        code = error.code if isinstance(error, ServiceError) else type(error).__name__
        message = getattr(error, "message", None) or str(error)
        for item in chunk:
            self.by_id[item.external_user_id.reveal()] = AttendeeOutcome(
                external_user_id=item.external_user_id,
                status="failed",
                error_code=code,
                error_message=message,
                error=error,
            )

    def not_sent(self, chunk: Sequence[NewAttendee], error: ChimeCallsError) -> None:
        for item in chunk:
            self.by_id[item.external_user_id.reveal()] = AttendeeOutcome(
                external_user_id=item.external_user_id, status="not_sent", error=error
            )

    def outcomes(self) -> AttendeeOutcomes:
        return AttendeeOutcomes(
            tuple(self.by_id[item.external_user_id.reveal()] for item in self.items)
        )


#: Failures of a request that AWS or the network caused: the attendees of that request get a
#: failed outcome. Anything else (bad input, an unusable facade) is raised: nothing was sent.
_REQUEST_FAILURES = (ServiceError, TransportError, InvalidResponseError)


def _batches(meeting_id: str, pending: Sequence[NewAttendee], ledger: _Ledger) -> Steps[None]:
    size = _max_items("CreateAttendeeRequestItemList")
    chunks = [pending[start : start + size] for start in range(0, len(pending), size)]
    stopped: ChimeCallsError | None = None
    for chunk in chunks:
        if stopped is not None:
            ledger.not_sent(chunk, stopped)
            continue
        try:
            result = yield BatchCreateAttendeeRequest(meeting_id=meeting_id, attendees=chunk)
        except _REQUEST_FAILURES as exc:
            stopped = exc
        else:
            ledger.answered(chunk, result.attendees, result.errors)
            continue
        ledger.request_failed(chunk, stopped)


def _add_attendees(
    *, meeting_id: str, attendees: Iterable[AttendeeLike]
) -> Steps[AttendeeOutcomes]:
    """Add any number of attendees to a meeting: BatchCreateAttendee in chunks of the model's
    maximum (100), paced at AWS's documented rate, with one outcome per attendee.

    Attendees are external user IDs, ``NewAttendee`` objects or
    mappings, all checked before anything is sent. A request that fails as a whole fails its
    attendees and leaves the rest ``not_sent``; re-sending is safe (AWS returns an attendee it
    already created for the same external user ID), and the facade retries what is safe.
    """
    ledger = _Ledger(_checked(attendees))
    GetMeetingRequest(meeting_id=meeting_id)  # (checks the ID before anything is sent)
    yield from _batches(meeting_id, ledger.unique, ledger)
    return ledger.outcomes()


def _create_meeting_with_all_attendees(
    *, meeting: CreateMeetingRequest, attendees: Iterable[AttendeeLike]
) -> Steps[NewMeeting]:
    """Create a meeting with any number of attendees: CreateMeetingWithAttendees with the first
    20 (the model's maximum), then BatchCreateAttendee for the rest, paced at AWS's documented
    rates, with one outcome per attendee (see ``add_attendees``). ``meeting`` is the
    CreateMeeting request to create it with (its ``client_request_token`` included)."""
    if not isinstance(meeting, CreateMeetingRequest):
        raise TypeError(
            "meeting= takes a chime_calls.CreateMeetingRequest, not " + type(meeting).__name__
        )
    ledger = _Ledger(_checked(attendees))
    if not ledger.unique:
        created = yield meeting
        return NewMeeting(meeting=created, attendees=ledger.outcomes())
    first = ledger.unique[: _max_items("CreateMeetingWithAttendeesRequestItemList")]
    request = CreateMeetingWithAttendeesRequest(
        **attrs.asdict(meeting, recurse=False), attendees=first
    )
    answer = yield request
    ledger.answered(first, answer.attendees, answer.errors)
    yield from _batches(answer.meeting.meeting_id, ledger.unique[len(first) :], ledger)
    return NewMeeting(meeting=answer.meeting, attendees=ledger.outcomes())


# --- a live meeting for an external meeting ID --------------------------------------------------

#: How many ended meetings the search for a live one steps over before giving up.
_MAX_HOPS = 10


def live_meeting_token(
    external_meeting_id: str | ExternalId, previous_meeting_id: str | None = None
) -> ClientRequestToken:
    """The ``ClientRequestToken`` of the meeting that follows ``previous_meeting_id`` for
    ``external_meeting_id`` (``None``: the first one).

    Deterministic, so every server that finds the same meeting ended asks for the same
    successor and gets the same new meeting back; a function of the ended meeting's ID, so a
    new token follows each ended meeting (a token returns its meeting only while it lives).
    """
    ext = (
        external_meeting_id.reveal()
        if isinstance(external_meeting_id, ExternalId)
        else external_meeting_id
    )
    text = f"chime-calls live meeting\n{ext}\n{previous_meeting_id or ''}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return ClientRequestToken._unchecked(digest)  # 64 hex digits: within 2..64 [-_a-zA-Z0-9]


def _template(
    external_meeting_id: str | ExternalId,
    media_region: str,
    meeting_features: MeetingFeatures | Mapping[str, Any] | None,
    notifications_configuration: NotificationsConfiguration | Mapping[str, Any] | None,
    tags: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None,
) -> CreateMeetingRequest:
    return CreateMeetingRequest(
        external_meeting_id=external_meeting_id,
        media_region=media_region,
        meeting_features=meeting_features,
        notifications_configuration=notifications_configuration,
        tags=tags,
        client_request_token=live_meeting_token(external_meeting_id),
    )


class _Dead(Exception):  # noqa: N818 - control flow between the walk's steps
    """The meeting the walk tried has ended (or is gone)."""


def _walk(
    template: CreateMeetingRequest,
    known_meeting_id: str | None,
    use: Any,
) -> Steps[Any]:
    """Find the live meeting of ``template``'s external meeting ID and ``use`` it.

    ``known_meeting_id`` (the ID your application stored) is tried first. Then CreateMeeting
    with ``live_meeting_token`` of the last meeting found ended: it returns the same meeting
    to every server while that meeting lives, and a new one once it has ended. ``use(meeting,
    verified)`` returns the result, or raises ``_Dead`` when the meeting has ended.
    """
    ext = template.external_meeting_id
    assert ext is not None  # noqa: S101 - the SDK namespace requires it, checked on building
    previous: str | None = None
    if known_meeting_id is not None:
        GetMeetingRequest(meeting_id=known_meeting_id)  # (checks the ID before sending)
        previous = known_meeting_id
        found: Meeting | None = None
        try:
            found = yield GetMeetingRequest(meeting_id=known_meeting_id)
        except NotFoundError:
            found = None
        if found is not None:
            if found.external_meeting_id is not None and found.external_meeting_id != ext:
                raise ValidationError(
                    [
                        Violation(
                            "known_meeting_id",
                            "meeting",
                            "is the ID of a meeting of another external meeting ID",
                        )
                    ]
                )
            try:
                done = yield from use(found, True)
            except _Dead:
                pass
            else:
                return done
    for _ in range(_MAX_HOPS):
        meeting = yield attrs.evolve(
            template, client_request_token=live_meeting_token(ext, previous)
        )
        try:
            done = yield from use(meeting, False)
        except _Dead:
            previous = meeting.meeting_id
            continue
        return done
    raise ChimeCallsError(
        f"{_MAX_HOPS} meetings of this external meeting ID in a row had ended; store the "
        "meeting ID you get and pass it as known_meeting_id"
    )


def _alive(meeting: Meeting, verified: bool) -> Steps[Meeting]:
    if verified:
        return meeting
    try:
        yield GetMeetingRequest(meeting_id=meeting.meeting_id)
    except NotFoundError:
        raise _Dead from None
    return meeting


def _live_meeting(
    *,
    external_meeting_id: str | ExternalId,
    media_region: str,
    known_meeting_id: str | None = None,
    meeting_features: MeetingFeatures | Mapping[str, Any] | None = None,
    notifications_configuration: NotificationsConfiguration | Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None = None,
) -> Steps[Meeting]:
    """A live meeting for ``external_meeting_id``: the one that exists, or a new one when it
    has ended (AWS ends meetings on its own; see chime-calls docs meetings).

    Any number of servers may ask at once: they all get the same meeting (CreateMeeting with a
    ``live_meeting_token`` derived from the external ID and the last
    ended meeting). Pass the ID you stored as ``known_meeting_id`` to skip the search.
    """
    template = _template(
        external_meeting_id, media_region, meeting_features, notifications_configuration, tags
    )
    found: Meeting = yield from _walk(template, known_meeting_id, _alive)
    return found


def _join_meeting(
    *,
    external_meeting_id: str | ExternalId,
    media_region: str,
    external_user_id: str | ExternalId,
    capabilities: AttendeeCapabilities | Mapping[str, Any] | None = None,
    known_meeting_id: str | None = None,
    meeting_features: MeetingFeatures | Mapping[str, Any] | None = None,
    notifications_configuration: NotificationsConfiguration | Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None = None,
) -> Steps[JoinInfo]:
    """Put ``external_user_id`` into the live meeting of ``external_meeting_id`` and return
    the ``JoinInfo`` for their client: the backend's one call.

    The meeting is found or created as ``live_meeting`` does; one that has ended (CreateAttendee
    answers "The meeting has ended") is replaced by its successor, the same one on every
    server. The same external user ID asking again gets the same attendee back (AWS's rule).
    """
    template = _template(
        external_meeting_id, media_region, meeting_features, notifications_configuration, tags
    )
    item = _checked_attendee(external_user_id, capabilities)

    def attend(meeting: Meeting, verified: bool) -> Steps[JoinInfo]:
        try:
            attendee = yield CreateAttendeeRequest(
                meeting_id=meeting.meeting_id,
                external_user_id=item.external_user_id,
                capabilities=item.capabilities,
            )
        except NotFoundError:
            raise _Dead from None
        return join_info(meeting, attendee)

    info: JoinInfo = yield from _walk(template, known_meeting_id, attend)
    return info


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
