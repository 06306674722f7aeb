"""Every constraint chime-calls enforces equals the installed botocore model's, member by member.

If AWS changes a pattern, a length, an enum or a sensitivity flag, these tests fail instead of
the SDK silently becoming stricter (blocking real calls) or looser (sending what AWS rejects).
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from chime_calls import _rules, models
from chime_calls.namespaces import LEGACY, MEETINGS, VOICE

SESSION = botocore.session.get_session()


def _model(service: str) -> Any:
    return SESSION.get_service_model(service)


def _has(service: str, operation: str) -> bool:
    return operation in _model(service).operation_names


def _member(service: str, operation: str, path: str) -> Any:
    shape = _model(service).operation_model(operation).input_shape
    for part in path.split("."):
        shape = shape.member if part == "[]" else shape.members[part]
    return shape


def _assert_string_rule(shape: Any, rule: _rules.StringRule) -> None:
    meta = shape.metadata
    assert shape.name == rule.shape
    assert meta.get("min") == rule.min_len
    assert meta.get("max") == rule.max_len
    assert meta.get("pattern") == rule.pattern
    assert (tuple(shape.enum) or None) == rule.enum
    assert bool(meta.get("sensitive")) == rule.sensitive


SDK_STRINGS = [
    (VOICE, "CreateSipMediaApplicationCall", "FromPhoneNumber", _rules.E164_PHONE_NUMBER),
    (VOICE, "CreateSipMediaApplicationCall", "ToPhoneNumber", _rules.E164_PHONE_NUMBER),
    (VOICE, "CreateSipMediaApplicationCall", "SipMediaApplicationId", _rules.NON_EMPTY),
    (VOICE, "UpdateSipMediaApplicationCall", "SipMediaApplicationId", _rules.NON_EMPTY),
    (VOICE, "UpdateSipMediaApplicationCall", "TransactionId", _rules.NON_EMPTY),
    (MEETINGS, "CreateMeeting", "ClientRequestToken", _rules.CLIENT_REQUEST_TOKEN),
    (MEETINGS, "CreateMeeting", "MediaRegion", _rules.MEDIA_REGION),
    (MEETINGS, "CreateMeeting", "MeetingHostId", _rules.EXTERNAL_ID),
    (MEETINGS, "CreateMeeting", "PrimaryMeetingId", _rules.PRIMARY_MEETING_ID),
    (MEETINGS, "CreateMeeting", "TenantIds.[]", _rules.TENANT_ID),
    (MEETINGS, "CreateMeeting", "Tags.[].Key", _rules.TAG_KEY),
    (MEETINGS, "CreateMeeting", "Tags.[].Value", _rules.TAG_VALUE),
    (MEETINGS, "CreateMeeting", "NotificationsConfiguration.SnsTopicArn", _rules.ARN),
    (MEETINGS, "CreateMeeting", "NotificationsConfiguration.SqsQueueArn", _rules.ARN),
    (MEETINGS, "CreateMeeting", "NotificationsConfiguration.LambdaFunctionArn", _rules.ARN),
    (
        MEETINGS,
        "CreateMeeting",
        "MeetingFeatures.Audio.EchoReduction",
        _rules.MEETING_FEATURE_STATUS,
    ),
    (MEETINGS, "CreateMeeting", "MeetingFeatures.Video.MaxResolution", _rules.VIDEO_RESOLUTION),
    (
        MEETINGS,
        "CreateMeeting",
        "MeetingFeatures.Content.MaxResolution",
        _rules.CONTENT_RESOLUTION,
    ),
    (
        MEETINGS,
        "CreateMeeting",
        "MediaPlacementNetworkType",
        _rules.MEDIA_PLACEMENT_NETWORK_TYPE,
    ),
    (MEETINGS, "CreateAttendee", "MeetingId", _rules.GUID),
    (MEETINGS, "CreateAttendee", "Capabilities.Audio", _rules.MEDIA_CAPABILITY),
    (MEETINGS, "CreateAttendee", "Capabilities.Video", _rules.MEDIA_CAPABILITY),
    (MEETINGS, "CreateAttendee", "Capabilities.Content", _rules.MEDIA_CAPABILITY),
    (MEETINGS, "GetMeeting", "MeetingId", _rules.GUID),
    (MEETINGS, "DeleteMeeting", "MeetingId", _rules.GUID),
    (LEGACY, "CreateMeetingDialOut", "MeetingId", _rules.GUID),
    (LEGACY, "CreateMeetingDialOut", "FromPhoneNumber", _rules.E164_PHONE_NUMBER),
    (LEGACY, "CreateMeetingDialOut", "ToPhoneNumber", _rules.E164_PHONE_NUMBER),
    (LEGACY, "CreateMeetingDialOut", "JoinToken", _rules.JOIN_TOKEN_DIAL_OUT),
]


@pytest.mark.parametrize(("service", "operation", "path", "rule"), SDK_STRINGS)
def test_string_rules_match_the_model(
    service: str, operation: str, path: str, rule: _rules.StringRule
) -> None:
    if not _has(service, operation):
        pytest.skip(f"{service} {operation} is not in this botocore")
    try:
        shape = _member(service, operation, path)
    except KeyError:
        pytest.skip(f"{path} is not in this botocore's {operation}")
    _assert_string_rule(shape, rule)


@pytest.mark.parametrize(
    ("operation", "path"),
    [("CreateMeeting", "ExternalMeetingId"), ("CreateAttendee", "ExternalUserId")],
)
def test_external_ids_share_one_rule(operation: str, path: str) -> None:
    shape = _member(MEETINGS, operation, path)
    meta = shape.metadata
    rule = _rules.EXTERNAL_ID
    assert (meta.get("min"), meta.get("max"), meta.get("pattern")) == (
        rule.min_len,
        rule.max_len,
        rule.pattern,
    )
    assert meta.get("sensitive") is True


def test_join_token_response_rule_matches() -> None:
    shape = _model(MEETINGS).shape_for("JoinTokenString")
    _assert_string_rule(shape, _rules.JOIN_TOKEN)


def test_attendee_max_matches() -> None:
    shape = _member(MEETINGS, "CreateMeeting", "MeetingFeatures.Attendee.MaxCount")
    assert shape.name == _rules.ATTENDEE_MAX.shape
    assert shape.metadata.get("min") == _rules.ATTENDEE_MAX.min_value
    assert shape.metadata.get("max") == _rules.ATTENDEE_MAX.max_value


@pytest.mark.parametrize(
    ("operation", "path", "rule"),
    [
        ("CreateMeeting", "TenantIds", _rules.TENANT_ID_LIST),
        ("CreateMeeting", "Tags", _rules.TAG_LIST),
    ],
)
def test_list_sizes_match(operation: str, path: str, rule: _rules.SizeRule) -> None:
    shape = _member(MEETINGS, operation, path)
    assert (shape.name, shape.metadata.get("min"), shape.metadata.get("max")) == (
        rule.shape,
        rule.min_len,
        rule.max_len,
    )


@pytest.mark.parametrize(
    ("operation", "member", "shape_name"),
    [
        ("CreateSipMediaApplicationCall", "SipHeaders", "SipHeadersMap"),
        ("CreateSipMediaApplicationCall", "ArgumentsMap", "SMACreateCallArgumentsMap"),
        ("UpdateSipMediaApplicationCall", "Arguments", "SMAUpdateCallArgumentsMap"),
    ],
)
def test_sip_maps_match(operation: str, member: str, shape_name: str) -> None:
    shape = _member(VOICE, operation, member)
    assert shape.name == shape_name
    assert shape.metadata.get("min") == _rules.SMA_MAP.size.min_len
    assert shape.metadata.get("max") == _rules.SMA_MAP.size.max_len
    for part, rule in ((shape.key, _rules.SMA_MAP.key), (shape.value, _rules.SMA_MAP.value)):
        meta = dict(part.metadata)
        assert meta.pop("sensitive", False) == rule.sensitive
        assert meta == {}, f"{shape_name} {part.name} gained constraints: {meta}"


REQUESTS: list[tuple[type[models._Request], str, dict[str, Any]]] = [
    (
        models.CreateMeetingRequest,
        MEETINGS,
        {
            "external_meeting_id": "standup",
            "media_region": "us-east-1",
            "meeting_host_id": "host",
            "notifications_configuration": {"sns_topic_arn": "arn:aws:sns:us-east-1:1:t"},
            "meeting_features": {"audio": {"echo_reduction": "AVAILABLE"}},
            "primary_meeting_id": "pm",
            "tenant_ids": ["tenant-1"],
            "tags": {"team": "ops"},
        },
    ),
    (
        models.CreateAttendeeRequest,
        MEETINGS,
        {
            "meeting_id": "11111111-2222-3333-4444-555555555555",
            "external_user_id": "alice",
            "capabilities": {"audio": "SendReceive", "video": "None", "content": "None"},
        },
    ),
    (
        models.GetMeetingRequest,
        MEETINGS,
        {"meeting_id": "11111111-2222-3333-4444-555555555555"},
    ),
    (
        models.DeleteMeetingRequest,
        MEETINGS,
        {"meeting_id": "11111111-2222-3333-4444-555555555555"},
    ),
    (
        models.CreateMeetingDialOutRequest,
        LEGACY,
        {
            "meeting_id": "11111111-2222-3333-4444-555555555555",
            "from_phone_number": "+12065550100",
            "to_phone_number": "+14255550199",
            "join_token": "dG9rZW4",
        },
    ),
    (
        models.CreateSipMediaApplicationCallRequest,
        VOICE,
        {
            "sip_media_application_id": "sma",
            "from_phone_number": "+12065550100",
            "to_phone_number": "+14255550199",
            "sip_headers": {"X-A": "1"},
            "arguments_map": {"k": "v"},
        },
    ),
    (
        models.UpdateSipMediaApplicationCallRequest,
        VOICE,
        {"sip_media_application_id": "sma", "transaction_id": "t", "arguments": {"k": "v"}},
    ),
]


@pytest.mark.parametrize(("cls", "service", "kwargs"), REQUESTS)
def test_requests_emit_only_modelled_members_and_all_required_ones(
    cls: type[models._Request], service: str, kwargs: dict[str, Any]
) -> None:
    """Our serialisation names exist in the model, and what the model requires we require."""
    operation_model = _model(service).operation_model(cls.operation)
    shape = operation_model.input_shape
    params = cls(**kwargs).to_params()
    assert set(params) <= set(shape.members)
    assert set(shape.required_members) <= set(params)


def test_sensitive_members_are_wrapped() -> None:
    """Every sensitive top-level member of the wrapped operations is held in a redacting type."""
    from chime_calls.values import SensitiveMap, SensitiveValue

    for cls, service, kwargs in REQUESTS:
        request = cls(**kwargs)
        shape = _model(service).operation_model(cls.operation).input_shape
        params = request.to_params()
        by_aws = {
            aws: attr
            for attr in (a.name for a in request.__attrs_attrs__)  # type: ignore[attr-defined]
            for aws in params
            if aws.lower() == attr.replace("_", "").lower()
        }
        for aws, attr in by_aws.items():
            member = shape.members[aws]
            sensitive = member.metadata.get("sensitive") or (
                member.type_name == "map" and member.value.metadata.get("sensitive")
            )
            if sensitive:
                assert isinstance(getattr(request, attr), (SensitiveValue, SensitiveMap)), aws


def _require_legacy(operation: str) -> None:
    if not _has(LEGACY, operation):
        pytest.skip(f"this botocore no longer models legacy {operation}")


@pytest.mark.legacy_botocore
def test_legacy_create_meeting_rules_match() -> None:
    _require_legacy("CreateMeeting")
    assert _member(LEGACY, "CreateMeeting", "Tags.[].Key").metadata == {
        "min": models._LEGACY_TAG_KEY.min_len,
        "max": models._LEGACY_TAG_KEY.max_len,
        "sensitive": True,
    }
    assert _member(LEGACY, "CreateMeeting", "Tags.[].Value").metadata == {
        "min": models._LEGACY_TAG_VALUE.min_len,
        "max": models._LEGACY_TAG_VALUE.max_len,
        "sensitive": True,
    }
    tags = _member(LEGACY, "CreateMeeting", "Tags")
    assert (tags.metadata.get("min"), tags.metadata.get("max")) == (
        models._LEGACY_TAG_LIST.min_len,
        models._LEGACY_TAG_LIST.max_len,
    )
    region = _member(LEGACY, "CreateMeeting", "MediaRegion")
    assert region.metadata == {}  # unconstrained in the legacy model
    required = _model(LEGACY).operation_model("CreateMeeting").input_shape.required_members
    assert list(required) == ["ClientRequestToken"]


@pytest.mark.legacy_botocore
@pytest.mark.parametrize(
    ("operation", "path", "rule"),
    [
        ("CreateSipMediaApplicationCall", "FromPhoneNumber", _rules.E164_PHONE_NUMBER),
        ("CreateSipMediaApplicationCall", "SipMediaApplicationId", _rules.NON_EMPTY),
        ("UpdateSipMediaApplicationCall", "TransactionId", _rules.NON_EMPTY),
        ("CreateAttendee", "MeetingId", _rules.GUID),
        ("GetMeeting", "MeetingId", _rules.GUID),
        ("CreateMeeting", "ClientRequestToken", _rules.CLIENT_REQUEST_TOKEN),
    ],
)
def test_legacy_rules_shared_with_sdk_match(
    operation: str, path: str, rule: _rules.StringRule
) -> None:
    _require_legacy(operation)
    _assert_string_rule(_member(LEGACY, operation, path), rule)
