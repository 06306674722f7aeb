"""Legacy request -> SDK request: every difference explicit, nothing sensitive leaked."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from chime_calls import ChimeCalls, Meeting
from chime_calls.migration import (
    CONVERTIBLE,
    MAPPING,
    Conversion,
    MigrationError,
    TagResourceStep,
    convert,
    convert_create_attendee,
    convert_create_meeting,
    convert_create_meeting_dial_out,
)
from chime_calls.models import CreateMeetingRequest, MeetingFeatures
from chime_calls.testing import ChimeFake
from tests.conftest import FROM, TO, needs_legacy_botocore

SESSION = botocore.session.get_session()
MEETING_ID = "6c1e2a3b-1f2e-4d5c-8b9a-0a1b2c3d4e5f"
TRANSACTION_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
JOIN_TOKEN = "YWJjZGVmMTIzNDU2Nzg5MDpkZWFkYmVlZg"
SECRET_HOST = "host-4471-secret"
SECRET_EXTERNAL = "ext-9932-secret"
TOPIC = "arn:aws:sns:us-east-1:111122223333:meeting-events"

#: One realistic legacy request per convertible operation, with the conversion options it needs.
LEGACY: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "CreateMeeting": (
        {
            "ClientRequestToken": "legacy-token-1",
            "MeetingHostId": SECRET_HOST,
            "Tags": [{"Key": "team", "Value": "ops"}],
            "NotificationsConfiguration": {"SnsTopicArn": TOPIC},
        },
        {"external_meeting_id": SECRET_EXTERNAL, "media_region": "us-east-1"},
    ),
    "CreateAttendee": ({"MeetingId": MEETING_ID, "ExternalUserId": SECRET_EXTERNAL}, {}),
    "GetMeeting": ({"MeetingId": MEETING_ID}, {}),
    "DeleteMeeting": ({"MeetingId": MEETING_ID}, {}),
    "CreateSipMediaApplicationCall": (
        {"SipMediaApplicationId": "sma-1", "FromPhoneNumber": FROM, "ToPhoneNumber": TO},
        {},
    ),
    "UpdateSipMediaApplicationCall": (
        {
            "SipMediaApplicationId": "sma-1",
            "TransactionId": TRANSACTION_ID,
            "Arguments": {"action": "hangup"},
        },
        {},
    ),
    "CreateMeetingDialOut": (
        {
            "MeetingId": MEETING_ID,
            "FromPhoneNumber": FROM,
            "ToPhoneNumber": TO,
            "JoinToken": JOIN_TOKEN,
        },
        {"sip_media_application_id": "sma-1"},
    ),
}


def _shape_errors(service: str, operation: str, params: dict[str, Any]) -> str:
    shape = SESSION.get_service_model(service).operation_model(operation).input_shape
    return ParamValidator().validate(params, shape).generate_report()


def test_the_samples_cover_every_convertible_operation() -> None:
    assert set(LEGACY) == CONVERTIBLE
    assert set(MAPPING) >= CONVERTIBLE


@pytest.mark.parametrize("operation", sorted(LEGACY))
def test_conversion_is_valid_for_the_sdk_model_and_matches_the_mapping(operation: str) -> None:
    legacy, options = LEGACY[operation]
    conversion = convert(operation, legacy, **options)
    assert conversion.legacy_operation == operation
    r = MAPPING[operation]
    assert (conversion.service, conversion.operation) == (r.service, r.operation)
    params = conversion.request.to_params()
    assert _shape_errors(conversion.service, conversion.operation, params) == ""
    assert "regional-endpoint" in {n.id for n in conversion.notes}


@needs_legacy_botocore
@pytest.mark.parametrize("operation", sorted(LEGACY))
def test_the_samples_are_valid_legacy_requests(operation: str) -> None:
    """Under botocore <= 1.37.1 the legacy model checks the samples are what old code sent."""
    assert _shape_errors("chime", operation, LEGACY[operation][0]) == ""


@needs_legacy_botocore
@pytest.mark.parametrize("operation", sorted(LEGACY))
def test_every_legacy_member_is_accepted(operation: str) -> None:
    """A converter must not refuse a member the legacy model has (it may refuse others)."""
    members = SESSION.get_service_model("chime").operation_model(operation).input_shape.members
    legacy, options = LEGACY[operation]
    unknown = {name: "xx" for name in members if name not in legacy}
    refused: list[str] = []
    try:
        convert(operation, {**legacy, **unknown}, **options)
    except MigrationError as exc:
        refused = [v.field for v in exc.violations if "not a legacy" in v.message]
    except ValueError:  # the model rejected a placeholder value: the member itself was accepted
        pass
    assert refused == []


# --- CreateMeeting ------------------------------------------------------------------------------


def test_create_meeting_refuses_to_guess_the_required_members() -> None:
    legacy = {"ClientRequestToken": "legacy-token-1", "MeetingHostId": SECRET_HOST}
    with pytest.raises(MigrationError) as caught:
        convert_create_meeting(legacy)
    assert caught.value.fields == ("external_meeting_id", "media_region")
    message = str(caught.value)
    assert "media_region='us-east-1'" in message  # says how to keep the legacy default
    assert SECRET_HOST not in message
    assert "legacy-token-1" not in message


def test_create_meeting_takes_the_decisions_from_the_caller_or_the_legacy_request() -> None:
    converted = convert_create_meeting(
        {"ExternalMeetingId": SECRET_EXTERNAL, "ClientRequestToken": "legacy-token-1"},
        media_region="eu-west-2",
    )
    params = converted.request.to_params()
    assert params["ExternalMeetingId"] == SECRET_EXTERNAL
    assert params["MediaRegion"] == "eu-west-2"
    assert params["ClientRequestToken"] == "legacy-token-1"  # idempotency survives the move
    assert [n.id for n in converted.notes] == ["regional-endpoint"]
    assert converted.follow_ups == ()
    # agreeing values are fine, differing ones are a decision for the caller
    convert_create_meeting(
        {"ExternalMeetingId": SECRET_EXTERNAL, "MediaRegion": "us-east-1"},
        external_meeting_id=SECRET_EXTERNAL,
        media_region="us-east-1",
    )
    with pytest.raises(MigrationError) as caught:
        convert_create_meeting(
            {"ExternalMeetingId": SECRET_EXTERNAL, "MediaRegion": "us-east-1"},
            media_region="eu-west-2",
        )
    assert caught.value.fields == ("media_region",)
    assert SECRET_EXTERNAL not in str(caught.value)


def test_create_meeting_moves_tags_to_a_tag_resource_step() -> None:
    legacy, options = LEGACY["CreateMeeting"]
    converted = convert_create_meeting(legacy, **options)
    assert "Tags" not in converted.request.to_params()
    (step,) = converted.follow_ups
    assert isinstance(step, TagResourceStep)
    assert (step.service, step.operation) == ("chime-sdk-meetings", "TagResource")
    arn = f"arn:aws:chime:us-east-1:111122223333:meeting/{MEETING_ID}"
    params = step.to_params(arn)
    assert params == {"ResourceARN": arn, "Tags": [{"Key": "team", "Value": "ops"}]}
    assert _shape_errors("chime-sdk-meetings", "TagResource", params) == ""
    assert "ops" not in repr(step)
    assert [n.id for n in converted.notes] == [
        "regional-endpoint",
        "notification-principal",
        "tags-to-tag-resource",
    ]
    assert "meetings.chime.amazonaws.com" in str(converted.notes[1])


def test_create_meeting_checks_sdk_rules_before_returning() -> None:
    with pytest.raises(MigrationError) as caught:
        convert_create_meeting({"MediaRegion": "us-east-1", "Tags": {"team": "ops"}})
    assert caught.value.fields == ("external_meeting_id",)
    with pytest.raises(ValueError, match="tags"):
        convert_create_meeting(
            {"Tags": [{"Key": "", "Value": "ops"}]},
            external_meeting_id=SECRET_EXTERNAL,
            media_region="us-east-1",
        )


def test_create_meeting_from_a_model_keeps_its_sdk_only_fields() -> None:
    model = CreateMeetingRequest(
        meeting_host_id=SECRET_HOST,
        meeting_features={"Audio": {"EchoReduction": "AVAILABLE"}},
        tenant_ids=["tenant-a"],
    )
    converted = convert_create_meeting(
        model, external_meeting_id=SECRET_EXTERNAL, media_region="eu-central-1"
    )
    request = converted.request
    assert isinstance(request.meeting_features, MeetingFeatures)
    assert request.tenant_ids == ("tenant-a",)
    assert request.client_request_token == model.client_request_token
    assert request.to_params()["MediaRegion"] == "eu-central-1"


def test_unknown_members_and_wrong_inputs_are_refused() -> None:
    with pytest.raises(MigrationError) as caught:
        convert_create_meeting({"MeetingFeatures": {}, "MediaRegion": "us-east-1"})
    assert caught.value.fields == ("MeetingFeatures",)
    with pytest.raises(TypeError, match="CreateMeetingRequest or a mapping"):
        convert_create_meeting(["MediaRegion", "us-east-1"])  # type: ignore[arg-type]


# --- the other operations -----------------------------------------------------------------------


def test_attendee_tags_are_dropped_only_when_asked() -> None:
    legacy = {
        "MeetingId": MEETING_ID,
        "ExternalUserId": SECRET_EXTERNAL,
        "Tags": [{"Key": "role", "Value": "host"}],
    }
    with pytest.raises(MigrationError) as caught:
        convert_create_attendee(legacy)
    assert caught.value.fields == ("Tags",)
    assert "drop_attendee_tags=True" in str(caught.value)
    converted = convert_create_attendee(legacy, drop_attendee_tags=True)
    assert converted.request.to_params() == {
        "MeetingId": MEETING_ID,
        "ExternalUserId": SECRET_EXTERNAL,
    }
    assert [n.id for n in converted.notes] == ["regional-endpoint", "attendee-tags"]


def test_dial_out_becomes_a_sip_media_application_call() -> None:
    legacy, _ = LEGACY["CreateMeetingDialOut"]
    converted = convert_create_meeting_dial_out(
        legacy, sip_media_application_id="sma-1", correlation_id="corr-7"
    )
    assert (converted.service, converted.operation) == (
        "chime-sdk-voice",
        "CreateSipMediaApplicationCall",
    )
    params = converted.request.to_params()
    assert params["SipMediaApplicationId"] == "sma-1"
    assert (params["FromPhoneNumber"], params["ToPhoneNumber"]) == (FROM, TO)
    assert params["ArgumentsMap"] == {
        "MeetingId": MEETING_ID,
        "JoinToken": JOIN_TOKEN,
        "CorrelationId": "corr-7",
    }
    assert [n.id for n in converted.notes] == ["regional-endpoint", "sip-media-application"]
    shown = repr(converted)
    for secret in (FROM, TO, JOIN_TOKEN):
        assert secret not in shown
    with pytest.raises(TypeError):
        convert("CreateMeetingDialOut", legacy)  # the SIP media application is required


def test_sip_media_application_calls_move_to_the_voice_namespace() -> None:
    create = convert("CreateSipMediaApplicationCall", LEGACY["CreateSipMediaApplicationCall"][0])
    assert create.service == "chime-sdk-voice"
    assert "ArgumentsMap" not in create.request.to_params()
    update = convert("UpdateSipMediaApplicationCall", LEGACY["UpdateSipMediaApplicationCall"][0])
    assert update.request.to_params()["Arguments"] == {"action": "hangup"}


def test_convert_names_what_it_can_do() -> None:
    with pytest.raises(MigrationError) as caught:
        convert("ListMeetings", {})
    assert caught.value.fields == ("operation",)
    assert "CreateMeeting" in str(caught.value)


def test_converted_requests_run_on_the_sdk_namespace(fake: ChimeFake, calls: ChimeCalls) -> None:
    """What a conversion returns is sent as is by the facade, to the regional endpoint."""
    meeting_conversion: Conversion[CreateMeetingRequest] = convert_create_meeting(
        {"ClientRequestToken": "legacy-token-2", "MeetingHostId": SECRET_HOST},
        external_meeting_id=SECRET_EXTERNAL,
        media_region="eu-west-2",
    )
    meeting = calls.send(meeting_conversion.request)
    assert isinstance(meeting, Meeting)
    assert meeting.media_region == "eu-west-2"
    attendee = calls.send(
        convert(
            "CreateAttendee", {"MeetingId": meeting.meeting_id, "ExternalUserId": "alice-1"}
        ).request
    )
    assert attendee.attendee_id
    assert [(r.service, r.operation) for r in fake.requests] == [
        ("chime-sdk-meetings", "CreateMeeting"),
        ("chime-sdk-meetings", "CreateAttendee"),
    ]
