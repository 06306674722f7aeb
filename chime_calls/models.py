"""Frozen request and response types for the operations chime-calls wraps.

Requests accept plain Python values (``str``, mappings, lists) or the typed objects, and check
every member against the service model's constraints when constructed, collecting all
violations into one :class:`~chime_calls.ValidationError`. The few constraints that differ
between the legacy ``chime`` model and the dedicated namespaces (CreateMeeting's tags and media
region, which members are required) are checked again for the namespace the request is sent to.

Responses are parsed leniently, as Smithy prescribes for output: unknown members are ignored,
absent ones are ``None``, and nothing AWS returns is rejected.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeGuard, TypeVar, cast

import attrs

from chime_calls import _rules
from chime_calls._rules import Violation, _Struct
from chime_calls.errors import ValidationError
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

_T = TypeVar("_T")
Namespace = str | None  # "sdk", "legacy", or None for the rules both share

# Legacy `chime` model (botocore <= 1.37.1) differences for CreateMeeting's tags.
_LEGACY_TAG_KEY = _rules.StringRule("TagKey", min_len=1, max_len=128, sensitive=True)
_LEGACY_TAG_VALUE = _rules.StringRule("TagValue", min_len=1, max_len=256, sensitive=True)
_LEGACY_TAG_LIST = _rules.SizeRule("MeetingTagList", min_len=1, max_len=50)
# ... and its MediaRegion, an unconstrained String (the SDK model bounds it to 2..64).
_LEGACY_MEDIA_REGION = _rules.StringRule("String")


# --- helpers ----------------------------------------------------------------------------------


def _check_sensitive(
    value: object, cls: type[SensitiveValue], rule: _rules.StringRule, field: str, out: list[Any]
) -> None:
    if isinstance(value, cls):
        rule.check(value.reveal(), field, out)
    else:
        rule.check(value, field, out)


def _reveal(value: object) -> Any:
    return value.reveal() if isinstance(value, (SensitiveValue, SensitiveMap)) else value


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    # A dict is by far the common case; the ABC check costs several times more.
    return type(value) is dict or isinstance(value, Mapping)


_MEMBER_NAMES: dict[type[Any], dict[str, str]] = {}


def _member_names(cls: type[Any]) -> dict[str, str]:
    """Both spellings of a structure's members (``"Audio"`` and ``"audio"``) -> field name."""
    names = _MEMBER_NAMES.get(cls)
    if names is None:
        aws: dict[str, str] = cls._aws_names
        names = _MEMBER_NAMES[cls] = {**{v: v for v in aws.values()}, **aws}
    return names


def _to_struct(cls: type[_T], value: object) -> _T | None:
    """Accept an instance, or a mapping with snake_case or AWS PascalCase keys.

    Anything else is returned unchanged (typed as the struct only for the converters' sake)
    so that validation can report it with its field path.
    """
    if value is None or isinstance(value, cls):
        return value
    if _is_mapping(value):
        names = _member_names(cls)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            name = names.get(key)
            if name is None:
                return value  # type: ignore[return-value] # unknown member: validation reports it
            kwargs[name] = item
        try:
            return cls(**kwargs)
        except TypeError:  # a required member is missing: reported by validation
            return value  # type: ignore[return-value]
    return value  # type: ignore[return-value]


def _check_struct(value: object, cls: type[Any], field: str, out: list[Violation]) -> None:
    if value is None:
        return
    if isinstance(value, cls):
        value._check(field, out)
        return
    if isinstance(value, Mapping):
        allowed = ", ".join(sorted(cls._aws_names.values()))
        out.append(
            Violation(field, "members", f"has unknown or missing members; expected {allowed}")
        )
        return
    out.append(Violation(field, "type", f"must be a {cls.__name__} or a mapping"))


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _required(value: object, field: str, out: list[Violation]) -> bool:
    if value is None:
        out.append(Violation(field, "required", "is required"))
        return False
    return True


def _raise_if(out: list[Violation]) -> None:
    if out:
        raise ValidationError(out)


def _get(d: Mapping[str, Any] | None, key: str) -> Any:
    return d.get(key) if _is_mapping(d) else None


def _wrap(cls: type[SensitiveValue], value: Any) -> Any:
    return cls._unchecked(value) if isinstance(value, str) else None


# Named converters: mypy's attrs plugin types ``__init__`` from them (plain str in, typed out).
# Wrong types pass through unchanged so validation can report them with their field path.


# (Each returns early for the already-typed value: converters run on every construction.)


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


def _request_token(value: str | ClientRequestToken) -> ClientRequestToken:
    if type(value) is ClientRequestToken:
        return value
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


def _tenants(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return cast("tuple[str, ...] | None", value)
    return tuple(value)


# --- nested structures --------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeCapabilities(_Struct):
    """What an attendee may send and receive (``SendReceive``, ``Send``, ``Receive``, ``None``)."""

    audio: str
    video: str
    content: str
    _aws_names: ClassVar[dict[str, str]] = {
        "Audio": "audio",
        "Video": "video",
        "Content": "content",
    }

    def _check(self, field: str, out: list[Violation]) -> None:
        for name in ("audio", "video", "content"):
            _rules.MEDIA_CAPABILITY.check(getattr(self, name), f"{field}.{name}", out)

    def to_aws(self) -> dict[str, Any]:
        return {"Audio": self.audio, "Video": self.video, "Content": self.content}

    @classmethod
    def from_aws(cls, d: Any) -> AttendeeCapabilities | None:
        if not _is_mapping(d):
            return None
        return cls(audio=d.get("Audio", ""), video=d.get("Video", ""), content=d.get("Content", ""))


def _capabilities(
    value: AttendeeCapabilities | Mapping[str, Any] | None,
) -> AttendeeCapabilities | None:
    return None if value is None else _to_struct(AttendeeCapabilities, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AudioFeatures(_Struct):
    echo_reduction: str | None = None
    _aws_names: ClassVar[dict[str, str]] = {"EchoReduction": "echo_reduction"}

    def _check(self, field: str, out: list[Violation]) -> None:
        if self.echo_reduction is not None:
            _rules.MEETING_FEATURE_STATUS.check(self.echo_reduction, f"{field}.echo_reduction", out)

    def to_aws(self) -> dict[str, Any]:
        return _drop_none({"EchoReduction": self.echo_reduction})


def _audio(value: AudioFeatures | Mapping[str, Any] | None) -> AudioFeatures | None:
    return None if value is None else _to_struct(AudioFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class VideoFeatures(_Struct):
    max_resolution: str | None = None
    _aws_names: ClassVar[dict[str, str]] = {"MaxResolution": "max_resolution"}

    def _check(self, field: str, out: list[Violation]) -> None:
        if self.max_resolution is not None:
            _rules.VIDEO_RESOLUTION.check(self.max_resolution, f"{field}.max_resolution", out)

    def to_aws(self) -> dict[str, Any]:
        return _drop_none({"MaxResolution": self.max_resolution})


def _video(value: VideoFeatures | Mapping[str, Any] | None) -> VideoFeatures | None:
    return None if value is None else _to_struct(VideoFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ContentFeatures(_Struct):
    max_resolution: str | None = None
    _aws_names: ClassVar[dict[str, str]] = {"MaxResolution": "max_resolution"}

    def _check(self, field: str, out: list[Violation]) -> None:
        if self.max_resolution is not None:
            _rules.CONTENT_RESOLUTION.check(self.max_resolution, f"{field}.max_resolution", out)

    def to_aws(self) -> dict[str, Any]:
        return _drop_none({"MaxResolution": self.max_resolution})


def _content(value: ContentFeatures | Mapping[str, Any] | None) -> ContentFeatures | None:
    return None if value is None else _to_struct(ContentFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class AttendeeFeatures(_Struct):
    max_count: int | None = None
    _aws_names: ClassVar[dict[str, str]] = {"MaxCount": "max_count"}

    def _check(self, field: str, out: list[Violation]) -> None:
        if self.max_count is not None:
            _rules.ATTENDEE_MAX.check(self.max_count, f"{field}.max_count", out)

    def to_aws(self) -> dict[str, Any]:
        return _drop_none({"MaxCount": self.max_count})


def _attendee_features(
    value: AttendeeFeatures | Mapping[str, Any] | None,
) -> AttendeeFeatures | None:
    return None if value is None else _to_struct(AttendeeFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingFeatures(_Struct):
    """``MeetingFeaturesConfiguration``; chime-sdk-meetings only."""

    audio: AudioFeatures | None = attrs.field(default=None, converter=_audio)
    video: VideoFeatures | None = attrs.field(default=None, converter=_video)
    content: ContentFeatures | None = attrs.field(default=None, converter=_content)
    attendee: AttendeeFeatures | None = attrs.field(default=None, converter=_attendee_features)
    _aws_names: ClassVar[dict[str, str]] = {
        "Audio": "audio",
        "Video": "video",
        "Content": "content",
        "Attendee": "attendee",
    }
    _parts: ClassVar[tuple[tuple[str, str, type[Any]], ...]] = (
        ("audio", "Audio", AudioFeatures),
        ("video", "Video", VideoFeatures),
        ("content", "Content", ContentFeatures),
        ("attendee", "Attendee", AttendeeFeatures),
    )

    def _check(self, field: str, out: list[Violation]) -> None:
        for name, _, cls in self._parts:
            value = getattr(self, name)
            if value is not None:  # (no path to format for absent parts)
                _check_struct(value, cls, f"{field}.{name}", out)

    def to_aws(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, aws, _ in self._parts:
            part = getattr(self, name)
            if part is not None:
                out[aws] = part.to_aws()
        return out

    @classmethod
    def from_aws(cls, d: Any) -> MeetingFeatures | None:
        if not _is_mapping(d):
            return None
        # (Built directly, as _features does: every field is already of its final type.)
        return _new_features(
            _part(AudioFeatures, "echo_reduction", _get(d["Audio"], "EchoReduction"))
            if "Audio" in d
            else None,
            _part(VideoFeatures, "max_resolution", _get(d["Video"], "MaxResolution"))
            if "Video" in d
            else None,
            _part(ContentFeatures, "max_resolution", _get(d["Content"], "MaxResolution"))
            if "Content" in d
            else None,
            _part(AttendeeFeatures, "max_count", _get(d["Attendee"], "MaxCount"))
            if "Attendee" in d
            else None,
        )


# Direct construction of the feature structures: their attrs ``__init__`` only stores each
# field through its converter, which is the identity for the values passed here, so this builds
# the same frozen instance without four converter calls per structure (it runs per request and
# per response).
_new = object.__new__
_set = object.__setattr__


def _part(cls: type[_T], name: str, value: object) -> _T:
    inst = _new(cls)
    _set(inst, name, value)
    return inst


def _new_features(audio: Any, video: Any, content: Any, attendee: Any) -> MeetingFeatures:
    inst = _new(MeetingFeatures)
    _set(inst, "audio", audio)
    _set(inst, "video", video)
    _set(inst, "content", content)
    _set(inst, "attendee", attendee)
    return inst


# Either spelling of a part -> (slot in MeetingFeatures, class, both spellings of its member).
_FEATURE_PARTS: dict[str, tuple[int, type[Any], str, str]] = {}
for _i, (_name, _aws, _cls) in enumerate(MeetingFeatures._parts):
    ((_member_aws, _member),) = _cls._aws_names.items()
    _FEATURE_PARTS[_name] = _FEATURE_PARTS[_aws] = (_i, _cls, _member, _member_aws)
del _i, _name, _aws, _cls, _member_aws, _member


def _features(value: MeetingFeatures | Mapping[str, Any] | None) -> MeetingFeatures | None:
    if value is None:
        return None
    if type(value) is dict:
        # The common case, plain dicts of known members (either spelling), converted in one
        # pass; anything else takes the general path, which leaves it for validation.
        parts: list[Any] = [None, None, None, None]
        for key, part in value.items():
            spec = _FEATURE_PARTS.get(key)
            if spec is None or type(part) is not dict or len(part) > 1:
                return _to_struct(MeetingFeatures, value)
            slot, cls, field, aws = spec
            if parts[slot] is not None:  # both spellings given: the general path decides
                return _to_struct(MeetingFeatures, value)
            if part:
                ((member, item),) = part.items()
                if member not in (aws, field):
                    return _to_struct(MeetingFeatures, value)
                parts[slot] = _part(cls, field, item)
            else:
                parts[slot] = _part(cls, field, None)
        return _new_features(*parts)
    return _to_struct(MeetingFeatures, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class NotificationsConfiguration(_Struct):
    """Where the service sends meeting events. Each target must allow the service principal
    ``meetings.chime.amazonaws.com`` (legacy: ``chime.amazonaws.com``) to publish/invoke."""

    lambda_function_arn: NotificationTarget | None = attrs.field(
        default=None, converter=_opt_target
    )
    sns_topic_arn: NotificationTarget | None = attrs.field(default=None, converter=_opt_target)
    sqs_queue_arn: NotificationTarget | None = attrs.field(default=None, converter=_opt_target)
    _aws_names: ClassVar[dict[str, str]] = {
        "LambdaFunctionArn": "lambda_function_arn",
        "SnsTopicArn": "sns_topic_arn",
        "SqsQueueArn": "sqs_queue_arn",
    }

    def _check(self, field: str, out: list[Violation]) -> None:
        for name in self._aws_names.values():
            value = getattr(self, name)
            if value is not None:
                _check_sensitive(value, NotificationTarget, _rules.ARN, f"{field}.{name}", out)

    def to_aws(self) -> dict[str, Any]:
        return _drop_none({aws: _reveal(getattr(self, n)) for aws, n in self._aws_names.items()})


def _notifications(
    value: NotificationsConfiguration | Mapping[str, Any] | None,
) -> NotificationsConfiguration | None:
    return None if value is None else _to_struct(NotificationsConfiguration, value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Tag(_Struct):
    key: str
    value: str


def _tags_converter(
    value: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None,
) -> tuple[Tag, ...] | None:
    """``{"team": "ops"}``, ``[Tag(...)]`` or ``[{"Key": ..., "Value": ...}]`` -> tuple of Tag."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return tuple(Tag(key=k, value=v) for k, v in value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value
    tags: list[Any] = []
    for item in value:
        if isinstance(item, Mapping) and set(item) <= {"Key", "Value", "key", "value"}:
            tags.append(
                Tag(
                    key=cast(str, item.get("Key", item.get("key"))),
                    value=cast(str, item.get("Value", item.get("value"))),
                )
            )
        else:
            tags.append(item)
    return tuple(tags)


def _check_tags(tags: object, field: str, namespace: Namespace, out: list[Violation]) -> None:
    if tags is None:
        return
    if not isinstance(tags, tuple):
        out.append(Violation(field, "type", "must be a mapping or a list of tags"))
        return
    legacy = namespace == "legacy"
    (_LEGACY_TAG_LIST if legacy else _rules.TAG_LIST).check(len(tags), field, out)
    key_rule = _LEGACY_TAG_KEY if legacy else _rules.TAG_KEY
    value_rule = _LEGACY_TAG_VALUE if legacy else _rules.TAG_VALUE
    for i, tag in enumerate(tags):
        if not isinstance(tag, Tag):
            out.append(Violation(f"{field}[{i}]", "type", "must be a Tag or {'Key', 'Value'}"))
            continue
        key_rule.check(tag.key, f"{field}[{i}].key", out)
        value_rule.check(tag.value, f"{field}[{i}].value", out)


# --- responses ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MediaPlacement(_Struct):
    """The URLs a client SDK needs to join the meeting's media."""

    audio_host_url: str | None = None
    audio_fallback_url: str | None = None
    signaling_url: str | None = None
    turn_control_url: str | None = None
    screen_data_url: str | None = None
    screen_viewing_url: str | None = None
    screen_sharing_url: str | None = None
    event_ingestion_url: str | None = None

    @classmethod
    def from_aws(cls, d: Any) -> MediaPlacement | None:
        if not _is_mapping(d):
            return None
        # Built directly (no converters, no validators: the same instance ``cls(...)`` makes).
        inst = _new(cls)
        get = d.get
        for name, aws in _PLACEMENT_MEMBERS:
            _set(inst, name, get(aws))
        return inst


_PLACEMENT_MEMBERS = tuple(
    (a.name, "".join(w.capitalize() for w in a.name.split("_")))
    for a in attrs.fields(MediaPlacement)
)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Meeting(_Struct):
    """A meeting as AWS describes it.

    ``client_request_token`` is set on the result of :meth:`ChimeCalls.create_meeting`: sending
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
    client_request_token: ClientRequestToken | None = None

    @classmethod
    def from_aws(
        cls, d: Mapping[str, Any], *, client_request_token: ClientRequestToken | None = None
    ) -> Meeting:
        # Built directly, as MediaPlacement is: Meeting has no converters or validators.
        get = d.get
        tenants = get("TenantIds")
        inst = _new(cls)
        _set(inst, "meeting_id", str(get("MeetingId", "")))
        _set(inst, "meeting_arn", get("MeetingArn"))
        _set(inst, "external_meeting_id", _wrap(ExternalId, get("ExternalMeetingId")))
        _set(inst, "meeting_host_id", _wrap(ExternalId, get("MeetingHostId")))
        _set(inst, "media_region", get("MediaRegion"))
        _set(inst, "media_placement", MediaPlacement.from_aws(get("MediaPlacement")))
        _set(inst, "meeting_features", MeetingFeatures.from_aws(get("MeetingFeatures")))
        _set(inst, "primary_meeting_id", get("PrimaryMeetingId"))
        _set(inst, "tenant_ids", tuple(tenants) if isinstance(tenants, list) else None)
        _set(inst, "client_request_token", client_request_token)
        return inst


# Meeting, MediaPlacement and the feature structures are built directly (object.__new__ plus
# the fields), which is only the same as calling the class while none of their fields has a
# converter or validator, and while from_aws sets every field: a change to either fails here.
def _check_direct_construction() -> None:
    direct = (Meeting, MediaPlacement, MeetingFeatures, *(c for _, _, c in MeetingFeatures._parts))
    for cls in direct:
        for field in attrs.fields(cls):
            if field.converter is not None and cls is not MeetingFeatures:
                raise AssertionError(f"{cls.__name__}.{field.name} has a converter")
            if field.validator is not None:
                raise AssertionError(f"{cls.__name__}.{field.name} has a validator")
    if tuple(a.name for a in attrs.fields(Meeting)) != (
        "meeting_id",
        "meeting_arn",
        "external_meeting_id",
        "meeting_host_id",
        "media_region",
        "media_placement",
        "meeting_features",
        "primary_meeting_id",
        "tenant_ids",
        "client_request_token",
    ) or tuple(p for p, *_ in MeetingFeatures._parts) != tuple(
        a.name for a in attrs.fields(MeetingFeatures)
    ):
        raise AssertionError("Meeting.from_aws / MeetingFeatures construction misses a field")


_check_direct_construction()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Attendee(_Struct):
    """An attendee. ``join_token`` is the bearer secret a client uses to join."""

    attendee_id: str
    external_user_id: ExternalId | None = None
    join_token: JoinToken | None = None
    capabilities: AttendeeCapabilities | None = None

    @classmethod
    def from_aws(cls, d: Mapping[str, Any]) -> Attendee:
        return cls(
            attendee_id=str(d.get("AttendeeId", "")),
            external_user_id=_wrap(ExternalId, d.get("ExternalUserId")),
            join_token=_wrap(JoinToken, d.get("JoinToken")),
            capabilities=AttendeeCapabilities.from_aws(d.get("Capabilities")),
        )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MeetingDialOut(_Struct):
    """Result of a dial-out: the transaction ID identifies the outbound call."""

    transaction_id: str


@attrs.frozen(kw_only=True, repr=False, eq=False)
class SipMediaApplicationCall(_Struct):
    """A SIP media application call, identified by its transaction ID."""

    transaction_id: str


# --- requests -----------------------------------------------------------------------------------


class _Request(_Struct):
    """Validates on construction (rules every namespace shares) and per namespace on send."""

    operation: str

    def __attrs_post_init__(self) -> None:
        _raise_if(self.violations(None))

    def violations(self, namespace: Namespace) -> list[Violation]:
        raise NotImplementedError

    def validate_for(self, namespace: str) -> None:
        """Raise unless the request is valid for ``namespace``.

        Construction already checked every rule the namespaces share (the instance is frozen,
        so they still hold); only the rules that differ by namespace are checked here.
        ``tests/test_param_validation_proof.py`` checks that this raises exactly when
        ``violations(namespace)`` is non-empty.
        """
        _raise_if(self._namespace_violations(namespace))

    def _namespace_violations(self, namespace: str) -> list[Violation]:
        """What ``violations(namespace)`` adds to ``violations(None)``: nothing, unless a
        subclass's rules depend on the namespace."""
        return []

    def to_params(self) -> dict[str, Any]:
        raise NotImplementedError

    def sensitive_values(self) -> list[str]:
        """Real values of sensitive members, to scrub from error messages AWS echoes."""
        found: list[str] = []
        for value in attrs.astuple(self, recurse=False):  # type: ignore[arg-type]
            if isinstance(value, SensitiveValue):
                found.append(value.reveal())
            elif isinstance(value, SensitiveMap):
                for k, v in value.items():
                    found.extend((k, v))
            elif isinstance(value, NotificationsConfiguration):
                found.extend(v.reveal() for v in attrs.astuple(value, recurse=False) if v)
            elif isinstance(value, tuple) and value and all(isinstance(t, Tag) for t in value):
                found.extend(str(t.key) for t in value)
                found.extend(str(t.value) for t in value)
        return found


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateMeetingRequest(_Request):
    """``CreateMeeting``. ``external_meeting_id`` and ``media_region`` are required in the SDK
    namespace (optional in legacy). The ``client_request_token`` is generated when not given and
    reused on every retry, so a retried CreateMeeting cannot create a second meeting."""

    operation = "CreateMeeting"
    external_meeting_id: ExternalId | None = attrs.field(default=None, converter=_opt_external_id)
    media_region: str | None = None
    meeting_host_id: ExternalId | None = attrs.field(default=None, converter=_opt_external_id)
    notifications_configuration: NotificationsConfiguration | None = attrs.field(
        default=None,
        converter=_notifications,
    )
    meeting_features: MeetingFeatures | None = attrs.field(default=None, converter=_features)
    primary_meeting_id: str | None = None
    tenant_ids: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=_tenants,
    )
    tags: tuple[Tag, ...] | None = attrs.field(default=None, converter=_tags_converter)
    media_placement_network_type: str | None = None
    client_request_token: ClientRequestToken = attrs.field(
        factory=lambda: ClientRequestToken._unchecked(_new_uuid4()),
        converter=_request_token,
    )

    def _required_for(self, namespace: Namespace, out: list[Violation]) -> None:
        if namespace == "sdk":
            _required(self.external_meeting_id, "external_meeting_id", out)
            _required(self.media_region, "media_region", out)

    def _namespace_violations(self, namespace: str) -> list[Violation]:
        out: list[Violation] = []
        self._required_for(namespace, out)
        if namespace == "sdk" and self.media_region is not None:
            _rules.MEDIA_REGION.check(self.media_region, "media_region", out)
        _check_tags(self.tags, "tags", namespace, out)
        return out

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        self._required_for(namespace, out)
        if self.external_meeting_id is not None:
            _check_sensitive(
                self.external_meeting_id,
                ExternalId,
                _rules.EXTERNAL_ID,
                "external_meeting_id",
                out,
            )
        if self.media_region is not None:
            rule = _rules.MEDIA_REGION if namespace == "sdk" else _LEGACY_MEDIA_REGION
            rule.check(self.media_region, "media_region", out)
        if self.meeting_host_id is not None:
            _check_sensitive(
                self.meeting_host_id, ExternalId, _rules.EXTERNAL_ID, "meeting_host_id", out
            )
        _check_struct(
            self.notifications_configuration,
            NotificationsConfiguration,
            "notifications_configuration",
            out,
        )
        _check_struct(self.meeting_features, MeetingFeatures, "meeting_features", out)
        if self.primary_meeting_id is not None:
            _rules.PRIMARY_MEETING_ID.check(self.primary_meeting_id, "primary_meeting_id", out)
        if self.tenant_ids is not None:
            if isinstance(self.tenant_ids, tuple):
                _rules.TENANT_ID_LIST.check(len(self.tenant_ids), "tenant_ids", out)
                for i, tenant in enumerate(self.tenant_ids):
                    _rules.TENANT_ID.check(tenant, f"tenant_ids[{i}]", out)
            else:
                out.append(Violation("tenant_ids", "type", "must be a list of strings"))
        if namespace is not None:  # tag rules differ between the legacy and SDK models
            _check_tags(self.tags, "tags", namespace, out)
        elif self.tags is not None and not isinstance(self.tags, tuple):
            out.append(Violation("tags", "type", "must be a mapping or a list of tags"))
        if self.media_placement_network_type is not None:
            _rules.MEDIA_PLACEMENT_NETWORK_TYPE.check(
                self.media_placement_network_type, "media_placement_network_type", out
            )
        _check_sensitive(
            self.client_request_token,
            ClientRequestToken,
            _rules.CLIENT_REQUEST_TOKEN,
            "client_request_token",
            out,
        )
        return out

    def to_params(self) -> dict[str, Any]:
        # Built member by member (absent ones left out) rather than filtered: it runs per call.
        params: dict[str, Any] = {"ClientRequestToken": _reveal(self.client_request_token)}
        if self.external_meeting_id is not None:
            params["ExternalMeetingId"] = _reveal(self.external_meeting_id)
        if self.media_region is not None:
            params["MediaRegion"] = self.media_region
        if self.meeting_host_id is not None:
            params["MeetingHostId"] = _reveal(self.meeting_host_id)
        if self.notifications_configuration:
            params["NotificationsConfiguration"] = self.notifications_configuration.to_aws()
        if self.meeting_features:
            params["MeetingFeatures"] = self.meeting_features.to_aws()
        if self.primary_meeting_id is not None:
            params["PrimaryMeetingId"] = self.primary_meeting_id
        if self.tenant_ids is not None:
            params["TenantIds"] = list(self.tenant_ids)
        if self.tags is not None:
            params["Tags"] = [{"Key": t.key, "Value": t.value} for t in self.tags]
        if self.media_placement_network_type is not None:
            params["MediaPlacementNetworkType"] = self.media_placement_network_type
        return params


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateAttendeeRequest(_Request):
    operation = "CreateAttendee"
    meeting_id: str
    external_user_id: ExternalId = attrs.field(converter=_external_id)
    capabilities: AttendeeCapabilities | None = attrs.field(
        default=None,
        converter=_capabilities,
    )

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.GUID.check(self.meeting_id, "meeting_id", out)
        _check_sensitive(
            self.external_user_id, ExternalId, _rules.EXTERNAL_ID, "external_user_id", out
        )
        _check_struct(self.capabilities, AttendeeCapabilities, "capabilities", out)
        return out

    def to_params(self) -> dict[str, Any]:
        return _drop_none(
            {
                "MeetingId": self.meeting_id,
                "ExternalUserId": _reveal(self.external_user_id),
                "Capabilities": self.capabilities.to_aws() if self.capabilities else None,
            }
        )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class GetMeetingRequest(_Request):
    operation = "GetMeeting"
    meeting_id: str

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.GUID.check(self.meeting_id, "meeting_id", out)
        return out

    def to_params(self) -> dict[str, Any]:
        return {"MeetingId": self.meeting_id}


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DeleteMeetingRequest(GetMeetingRequest):
    operation = "DeleteMeeting"


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateMeetingDialOutRequest(_Request):
    """``CreateMeetingDialOut`` (legacy namespace only). Its JoinToken also has a pattern."""

    operation = "CreateMeetingDialOut"
    meeting_id: str
    from_phone_number: PhoneNumber = attrs.field(converter=_phone)
    to_phone_number: PhoneNumber = attrs.field(converter=_phone)
    join_token: JoinToken = attrs.field(converter=_join_token)

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.GUID.check(self.meeting_id, "meeting_id", out)
        for name in ("from_phone_number", "to_phone_number"):
            _check_sensitive(getattr(self, name), PhoneNumber, _rules.E164_PHONE_NUMBER, name, out)
        _check_sensitive(self.join_token, JoinToken, _rules.JOIN_TOKEN_DIAL_OUT, "join_token", out)
        return out

    def to_params(self) -> dict[str, Any]:
        return {
            "MeetingId": self.meeting_id,
            "FromPhoneNumber": _reveal(self.from_phone_number),
            "ToPhoneNumber": _reveal(self.to_phone_number),
            "JoinToken": _reveal(self.join_token),
        }


def _map_rule(shape: str) -> _rules.MapRule:
    return attrs.evolve(_rules.SMA_MAP, size=attrs.evolve(_rules.SMA_MAP.size, shape=shape))


# Built once: the three SIP maps share SMA_MAP's constraints and differ only in shape name.
_MAP_RULES = {
    shape: _map_rule(shape)
    for shape in ("SipHeadersMap", "SMACreateCallArgumentsMap", "SMAUpdateCallArgumentsMap")
}


def _check_map(value: object, field: str, out: list[Violation], shape: str) -> None:
    if value is None:
        return
    _MAP_RULES[shape].check(value, field, out)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CreateSipMediaApplicationCallRequest(_Request):
    """``CreateSipMediaApplicationCall``: rings ``to_phone_number`` and starts the SIP media
    application's Lambda. ``arguments_map`` (SDK namespace only) reaches the Lambda."""

    operation = "CreateSipMediaApplicationCall"
    sip_media_application_id: str
    from_phone_number: PhoneNumber = attrs.field(converter=_phone)
    to_phone_number: PhoneNumber = attrs.field(converter=_phone)
    sip_headers: SensitiveMap | None = attrs.field(default=None, converter=_opt_sensitive_map)
    arguments_map: SensitiveMap | None = attrs.field(default=None, converter=_opt_sensitive_map)

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.NON_EMPTY.check(self.sip_media_application_id, "sip_media_application_id", out)
        for name in ("from_phone_number", "to_phone_number"):
            _check_sensitive(getattr(self, name), PhoneNumber, _rules.E164_PHONE_NUMBER, name, out)
        _check_map(self.sip_headers, "sip_headers", out, "SipHeadersMap")
        _check_map(self.arguments_map, "arguments_map", out, "SMACreateCallArgumentsMap")
        return out

    def to_params(self) -> dict[str, Any]:
        return _drop_none(
            {
                "SipMediaApplicationId": self.sip_media_application_id,
                "FromPhoneNumber": _reveal(self.from_phone_number),
                "ToPhoneNumber": _reveal(self.to_phone_number),
                "SipHeaders": _reveal(self.sip_headers),
                "ArgumentsMap": _reveal(self.arguments_map),
            }
        )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class UpdateSipMediaApplicationCallRequest(_Request):
    """``UpdateSipMediaApplicationCall``: hands new arguments to the running call's Lambda
    (event ``CALL_UPDATE_REQUESTED``), e.g. to play a message or hang up."""

    operation = "UpdateSipMediaApplicationCall"
    sip_media_application_id: str
    transaction_id: str
    arguments: SensitiveMap = attrs.field(factory=SensitiveMap, converter=_sensitive_map)

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.NON_EMPTY.check(self.sip_media_application_id, "sip_media_application_id", out)
        _rules.NON_EMPTY.check(self.transaction_id, "transaction_id", out)
        if _required(self.arguments, "arguments", out):
            _check_map(self.arguments, "arguments", out, "SMAUpdateCallArgumentsMap")
        return out

    def to_params(self) -> dict[str, Any]:
        return {
            "SipMediaApplicationId": self.sip_media_application_id,
            "TransactionId": self.transaction_id,
            "Arguments": _reveal(self.arguments),
        }


# --- dial-out, either path -----------------------------------------------------------------------

#: ArgumentsMap keys of the SIP media application dial-out contract (docs/dial-out.md): the
#: Lambda (``chime_calls.sma.dial_out_handler``) reads them to answer with JoinChimeMeeting.
ARG_MEETING_ID = "MeetingId"
ARG_JOIN_TOKEN = "JoinToken"  # noqa: S105 - a key name, not a secret
ARG_CORRELATION_ID = "CorrelationId"
_CORRELATION_ID = _rules.StringRule("CorrelationId", min_len=1)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DialOutRequest(_Request):
    """Ring a phone into a meeting, by whichever path the namespace has.

    Legacy: ``CreateMeetingDialOut``. SDK: ``CreateSipMediaApplicationCall`` on a configured SIP
    media application, whose Lambda joins the answered call to the meeting with the join token
    carried in ``ArgumentsMap``. ``correlation_id`` (generated when not given) travels with the
    call so the Lambda's logs can be matched to the request.
    """

    operation = "DialOut"
    meeting_id: str
    from_phone_number: PhoneNumber = attrs.field(converter=_phone)
    to_phone_number: PhoneNumber = attrs.field(converter=_phone)
    join_token: JoinToken = attrs.field(converter=_join_token)
    correlation_id: str = attrs.field(factory=_new_uuid4)

    def violations(self, namespace: Namespace) -> list[Violation]:
        out: list[Violation] = []
        _rules.GUID.check(self.meeting_id, "meeting_id", out)
        for name in ("from_phone_number", "to_phone_number"):
            _check_sensitive(getattr(self, name), PhoneNumber, _rules.E164_PHONE_NUMBER, name, out)
        # The legacy operation adds a pattern to the token; the SMA path carries it as is.
        token_rule = _rules.JOIN_TOKEN_DIAL_OUT if namespace == "legacy" else _rules.JOIN_TOKEN
        _check_sensitive(self.join_token, JoinToken, token_rule, "join_token", out)
        _CORRELATION_ID.check(self.correlation_id, "correlation_id", out)
        return out

    def _namespace_violations(self, namespace: str) -> list[Violation]:
        out: list[Violation] = []
        if namespace == "legacy":  # the legacy operation adds a pattern to the token
            _check_sensitive(
                self.join_token, JoinToken, _rules.JOIN_TOKEN_DIAL_OUT, "join_token", out
            )
        return out

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


@attrs.frozen(kw_only=True, repr=False, eq=False)
class DialOut(_Struct):
    """A dial-out in progress: ``path`` is ``"legacy"`` or ``"sip-media-application"``."""

    transaction_id: str
    path: str
    correlation_id: str
