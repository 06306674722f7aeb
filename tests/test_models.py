"""Request models: every violation at once, with field paths; serialisation; lenient parsing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chime_calls import (
    Attendee,
    AttendeeCapabilities,
    CreateAttendeeRequest,
    CreateMeetingDialOutRequest,
    CreateMeetingRequest,
    CreateSipMediaApplicationCallRequest,
    GetMeetingRequest,
    Meeting,
    MeetingFeatures,
    PhoneNumber,
    Tag,
    UpdateSipMediaApplicationCallRequest,
    ValidationError,
)

GUID = "11111111-2222-3333-4444-555555555555"


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.fields)


def test_every_violation_is_listed_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        CreateSipMediaApplicationCallRequest(
            sip_media_application_id="   ",
            from_phone_number="+12065550100\n",
            to_phone_number="555-0199",
            sip_headers={f"X-{i}": "v" for i in range(21)},
            arguments_map={"k": 1},  # type: ignore[dict-item]
        )
    assert _fields(info) == {
        "sip_media_application_id",
        "from_phone_number",
        "to_phone_number",
        "sip_headers",
        "arguments_map[#0].value",
    }
    rules = {v.field: v.rule for v in info.value.violations}
    assert rules["sip_headers"] == "max_items"
    assert rules["from_phone_number"] == "pattern"
    assert isinstance(info.value, ValueError)
    text = str(info.value)
    assert text.startswith("5 invalid fields")
    assert "555-0199" not in text
    assert "+12065550100" not in text


def test_sensitive_map_paths_never_show_keys() -> None:
    with pytest.raises(ValidationError) as info:
        CreateSipMediaApplicationCallRequest(
            sip_media_application_id="sma",
            from_phone_number="+12065550100",
            to_phone_number="+14255550199",
            sip_headers={"X-Secret-Key": 7},  # type: ignore[dict-item]
        )
    assert info.value.fields == ("sip_headers[#0].value",)
    assert "X-Secret-Key" not in str(info.value)


@pytest.mark.parametrize(
    "number",
    [
        "+12065550100",
        "12065550100",
        "+123",  # E.164 allows 2..15 digits after the country digit's leading 1-9
        "+123456789012345",
    ],
)
def test_valid_numbers_are_accepted(number: str) -> None:
    request = CreateSipMediaApplicationCallRequest(
        sip_media_application_id="sma", from_phone_number=number, to_phone_number=number
    )
    assert request.to_params()["ToPhoneNumber"] == number


@pytest.mark.parametrize(
    "number",
    ["", "+", "+0123", "+1", "+1234567890123456", "+1 206 555 0100", "+1\uff12\uff10\uff16"],
)
def test_invalid_numbers_are_rejected(number: str) -> None:
    with pytest.raises(ValidationError) as info:
        CreateSipMediaApplicationCallRequest(
            sip_media_application_id="sma", from_phone_number="+12065550100", to_phone_number=number
        )
    assert info.value.fields == ("to_phone_number",)


def test_typed_values_are_accepted_as_well_as_strings() -> None:
    request = CreateMeetingDialOutRequest(
        meeting_id=GUID,
        from_phone_number=PhoneNumber("+12065550100"),
        to_phone_number="+14255550199",
        join_token="dG9rZW4",
    )
    assert request.to_params() == {
        "MeetingId": GUID,
        "FromPhoneNumber": "+12065550100",
        "ToPhoneNumber": "+14255550199",
        "JoinToken": "dG9rZW4",
    }
    assert "+14255550199" not in repr(request)
    assert "dG9rZW4" not in repr(request)


def test_dial_out_join_token_has_the_dial_out_pattern() -> None:
    with pytest.raises(ValidationError) as info:
        CreateMeetingDialOutRequest(
            meeting_id=GUID,
            from_phone_number="+12065550100",
            to_phone_number="+14255550199",
            join_token="has=padding",
        )
    assert info.value.fields == ("join_token",)


def test_create_meeting_accepts_plain_values_and_serialises_like_aws() -> None:
    request = CreateMeetingRequest(
        external_meeting_id="standup",
        media_region="eu-west-2",
        meeting_host_id="host-1",
        notifications_configuration={"SnsTopicArn": "arn:aws:sns:eu-west-2:123456789012:t"},
        meeting_features={"audio": {"echo_reduction": "AVAILABLE"}, "Attendee": {"MaxCount": 5}},
        tenant_ids=["tenant-1"],
        tags={"team": "ops"},
        media_placement_network_type="DualStack",
        client_request_token="my-token-1",
    )
    request.validate_for("sdk")
    assert request.to_params() == {
        "ClientRequestToken": "my-token-1",
        "ExternalMeetingId": "standup",
        "MediaRegion": "eu-west-2",
        "MeetingHostId": "host-1",
        "NotificationsConfiguration": {"SnsTopicArn": "arn:aws:sns:eu-west-2:123456789012:t"},
        "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}, "Attendee": {"MaxCount": 5}},
        "TenantIds": ["tenant-1"],
        "Tags": [{"Key": "team", "Value": "ops"}],
        "MediaPlacementNetworkType": "DualStack",
    }
    assert isinstance(request.meeting_features, MeetingFeatures)
    assert request.tags == (Tag(key="team", value="ops"),)


@pytest.mark.parametrize(
    "tags",
    [
        {"team": "ops"},
        [Tag(key="team", value="ops")],
        [{"Key": "team", "Value": "ops"}],
        [{"key": "team", "value": "ops"}],
    ],
)
def test_tag_forms(tags: Any) -> None:
    assert CreateMeetingRequest(tags=tags).tags == (Tag(key="team", value="ops"),)


def test_client_request_token_is_generated_once() -> None:
    request = CreateMeetingRequest(external_meeting_id="m1", media_region="us-east-1")
    token = request.client_request_token.reveal()
    assert 2 <= len(token) <= 64
    assert request.to_params()["ClientRequestToken"] == token
    assert request.to_params()["ClientRequestToken"] == token
    other = CreateMeetingRequest(external_meeting_id="m1", media_region="us-east-1")
    assert other.client_request_token != request.client_request_token


def test_sdk_requires_what_legacy_does_not() -> None:
    request = CreateMeetingRequest()
    request.validate_for("legacy")
    with pytest.raises(ValidationError) as info:
        request.validate_for("sdk")
    assert _fields(info) == {"external_meeting_id", "media_region"}


def test_tag_rules_follow_the_namespace() -> None:
    empty_value = CreateMeetingRequest(
        external_meeting_id="m1", media_region="us-east-1", tags={"team": ""}
    )
    empty_value.validate_for("sdk")  # SDK TagValue min 0
    with pytest.raises(ValidationError) as info:
        empty_value.validate_for("legacy")  # legacy TagValue min 1
    assert info.value.fields == ("tags[0].value",)

    spaced_key = CreateMeetingRequest(
        external_meeting_id="m1", media_region="us-east-1", tags={"my team": "ops"}
    )
    spaced_key.validate_for("legacy")  # legacy TagKey has no pattern
    with pytest.raises(ValidationError) as info:
        spaced_key.validate_for("sdk")
    assert info.value.fields == ("tags[0].key",)

    with pytest.raises(ValidationError, match="at most 50"):
        CreateMeetingRequest(
            external_meeting_id="m1",
            media_region="us-east-1",
            tags={f"k{i}": "v" for i in range(51)},
        ).validate_for("sdk")
    with pytest.raises(ValidationError, match="at least 1"):
        CreateMeetingRequest(tags=[]).validate_for("legacy")


def test_media_region_rule_follows_the_namespace() -> None:
    request = CreateMeetingRequest(external_meeting_id="m1", media_region="x")
    request.validate_for("legacy")
    with pytest.raises(ValidationError, match="at least 2"):
        request.validate_for("sdk")


def test_nested_structures_report_paths() -> None:
    with pytest.raises(ValidationError) as info:
        CreateMeetingRequest(
            meeting_features={
                "audio": {"echo_reduction": "MAYBE"},
                "video": {"max_resolution": "8K"},
                "attendee": {"max_count": 251},
            },
            notifications_configuration={"sqs_queue_arn": "not-an-arn"},
            tenant_ids=["aaaa", "ok-tenant", "t"],
            primary_meeting_id="x",
            media_placement_network_type="Ipv6Only",
            client_request_token="has space but fine; too long? " + "x" * 40,
        )
    assert _fields(info) == {
        "meeting_features.audio.echo_reduction",
        "meeting_features.video.max_resolution",
        "meeting_features.attendee.max_count",
        "notifications_configuration.sqs_queue_arn",
        "tenant_ids[0]",
        "tenant_ids[2]",
        "primary_meeting_id",
        "media_placement_network_type",
        "client_request_token",
    }


def test_unknown_or_missing_nested_members_are_reported() -> None:
    with pytest.raises(ValidationError) as info:
        CreateMeetingRequest(meeting_features={"audio": {"bogus": 1}, "Colour": {}})
    # each unknown key by its own path, with the members it could have been
    assert info.value.fields == ("meeting_features.audio.bogus", "meeting_features.Colour")
    assert "did you mean" not in str(info.value)  # nothing close to "bogus" or "Colour"
    with pytest.raises(ValidationError, match=r"audo: .*did you mean 'audio'\?"):
        CreateMeetingRequest(meeting_features={"audo": {"echo_reduction": "AVAILABLE"}})
    with pytest.raises(ValidationError) as info:
        CreateAttendeeRequest(
            meeting_id=GUID, external_user_id="al", capabilities={"audio": "Send"}
        )
    assert info.value.fields == ("capabilities.video", "capabilities.content")
    assert {v.rule for v in info.value.violations} == {"required"}
    with pytest.raises(ValidationError, match="must be a"):
        CreateAttendeeRequest(meeting_id=GUID, external_user_id="al", capabilities="all")  # type: ignore[arg-type]


def test_attendee_request() -> None:
    request = CreateAttendeeRequest(
        meeting_id=GUID,
        external_user_id="alice",
        capabilities=AttendeeCapabilities(audio="SendReceive", video="Receive", content="None"),
    )
    assert request.to_params() == {
        "MeetingId": GUID,
        "ExternalUserId": "alice",
        "Capabilities": {"Audio": "SendReceive", "Video": "Receive", "Content": "None"},
    }
    with pytest.raises(ValidationError) as info:
        CreateAttendeeRequest(meeting_id="nope", external_user_id="a")
    assert _fields(info) == {"meeting_id", "external_user_id"}


def test_wrong_types_are_violations_not_crashes() -> None:
    with pytest.raises(ValidationError) as info:
        GetMeetingRequest(meeting_id=None)  # type: ignore[arg-type]
    assert info.value.violations[0].rule == "required"
    with pytest.raises(ValidationError) as info:
        GetMeetingRequest(meeting_id=5)  # type: ignore[arg-type]
    assert info.value.violations[0].rule == "type"
    with pytest.raises(ValidationError) as info:
        CreateMeetingRequest(tenant_ids="tenant", tags=5)  # type: ignore[arg-type]
    assert _fields(info) == {"tenant_ids", "tags"}


def test_update_call_requires_arguments_and_checks_ids() -> None:
    request = UpdateSipMediaApplicationCallRequest(
        sip_media_application_id="sma", transaction_id="t-1", arguments={}
    )
    assert request.to_params() == {
        "SipMediaApplicationId": "sma",
        "TransactionId": "t-1",
        "Arguments": {},
    }
    with pytest.raises(ValidationError) as info:
        UpdateSipMediaApplicationCallRequest(
            sip_media_application_id="\u3000",
            transaction_id="\ufeff",
            arguments=None,  # type: ignore[arg-type]
        )
    assert _fields(info) == {"sip_media_application_id", "transaction_id", "arguments"}


def test_sensitive_values_lists_everything_to_scrub() -> None:
    request = CreateMeetingRequest(
        external_meeting_id="ext-meeting",
        meeting_host_id="host-1",
        notifications_configuration={"sns_topic_arn": "arn:aws:sns:us-east-1:1:t"},
        tags={"k": "v"},
        client_request_token="tok-1",
    )
    assert set(request.sensitive_values()) >= {
        "ext-meeting",
        "host-1",
        "arn:aws:sns:us-east-1:1:t",
        "tok-1",
    }
    call = CreateSipMediaApplicationCallRequest(
        sip_media_application_id="sma",
        from_phone_number="+12065550100",
        to_phone_number="+14255550199",
        arguments_map={"secret-key": "secret-value"},
    )
    assert {"+12065550100", "+14255550199", "secret-key", "secret-value"} <= set(
        call.sensitive_values()
    )


def test_responses_parse_leniently() -> None:
    meeting = Meeting.from_aws(
        {
            "MeetingId": GUID,
            "ExternalMeetingId": "standup",
            "MediaRegion": "eu-west-2",
            "MediaPlacement": {"AudioHostUrl": "h:3478", "BrandNewUrl": "x"},
            "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}, "Hologram": {}},
            "TenantIds": ["t1"],
            "SomethingAwsAddedLater": {"nested": [1, 2]},
        }
    )
    assert meeting.meeting_id == GUID
    assert meeting.external_meeting_id is not None
    assert meeting.external_meeting_id.reveal() == "standup"
    assert meeting.media_placement is not None
    assert meeting.media_placement.audio_host_url == "h:3478"
    assert meeting.media_placement.signaling_url is None
    assert meeting.tenant_ids == ("t1",)
    assert meeting.meeting_host_id is None
    assert meeting.meeting_features is not None
    assert meeting.meeting_features.audio is not None
    assert meeting.meeting_features.video is None
    assert "standup" not in repr(meeting)

    attendee = Attendee.from_aws({"AttendeeId": GUID, "JoinToken": "secret-join", "New": 1})
    assert attendee.join_token is not None
    assert attendee.join_token.reveal() == "secret-join"
    assert attendee.capabilities is None
    assert "secret-join" not in repr(attendee)
    # lenient, but not about what a result cannot be without: the facade reports it as an
    # InvalidResponseError instead of returning a meeting with an empty ID
    with pytest.raises(ValueError, match="MeetingId is missing"):
        Meeting.from_aws({})


_PART_KEYS = ("audio", "Audio", "video", "Video", "content", "Content", "attendee", "Attendee")
_MEMBER_KEYS = ("echo_reduction", "EchoReduction", "max_resolution", "MaxResolution")
_MEMBER_KEYS += ("max_count", "MaxCount", "bogus")
_values = st.one_of(st.none(), st.sampled_from(["AVAILABLE", "HD", "x"]), st.integers(0, 300))
_parts = st.one_of(
    st.dictionaries(st.sampled_from(_MEMBER_KEYS), _values, max_size=2),
    st.sampled_from(["AVAILABLE", None, 5]),
)


@given(st.dictionaries(st.sampled_from((*_PART_KEYS, "Colour")), _parts, max_size=5))
def test_meeting_features_from_any_mapping_validate_or_build(value: dict[str, Any]) -> None:
    """Whatever mapping is given, construction either succeeds with exactly the members given
    (either spelling) or raises one ValidationError; it never crashes."""
    try:
        request = CreateMeetingRequest(meeting_features=value)
    except ValidationError as exc:
        fields = [v.field for v in exc.violations]
    else:
        fields = []
    if fields:
        assert all(f.startswith("meeting_features") for f in fields)
        return
    assert request.meeting_features is not None
    params = request.to_params()["MeetingFeatures"]
    assert set(params) == {k[:1].upper() + k[1:] for k in value if value[k] is not None}
