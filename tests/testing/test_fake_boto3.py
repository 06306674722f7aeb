"""The fake through plain boto3 clients: state, wire format, service-side validation."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chime_calls.testing import ChimeFake, mock_chime
from tests.conftest import FROM, REGION, TO, make_session, needs_current_botocore

GUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def meetings(region: str = REGION) -> Any:
    return make_session(region).client("chime-sdk-meetings")


def voice(region: str = REGION) -> Any:
    return make_session(region).client("chime-sdk-voice")


def error_of(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = exc.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def test_create_meeting_is_realistic(fake: ChimeFake) -> None:
    response = meetings().create_meeting(ExternalMeetingId="standup", MediaRegion="eu-west-2")
    meeting = response["Meeting"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert GUID.match(response["ResponseMetadata"]["RequestId"])
    meeting_id = meeting["MeetingId"]
    assert GUID.match(meeting_id)
    assert meeting["MeetingArn"] == f"arn:aws:chime:{REGION}:123456789012:meeting/{meeting_id}"
    placement = meeting["MediaPlacement"]
    assert re.match(r"^[0-9a-f]{32}\.k\.m3\.ew2\.app\.chime\.aws:3478$", placement["AudioHostUrl"])
    assert placement["SignalingUrl"] == f"wss://signal.m3.ew2.app.chime.aws/control/{meeting_id}"
    assert placement["TurnControlUrl"].startswith(f"https://{meeting_id[-4:]}.cell.{REGION}.")
    assert meeting["ExternalMeetingId"] == "standup"
    assert fake.meeting(meeting_id).media_region == "eu-west-2"


def test_client_request_token_replays_the_same_meeting(fake: ChimeFake) -> None:
    client = meetings()
    first = client.create_meeting(
        ExternalMeetingId="mt", MediaRegion="eu-west-2", ClientRequestToken="token-1"
    )["Meeting"]
    again = client.create_meeting(
        ExternalMeetingId="mt", MediaRegion="eu-west-2", ClientRequestToken="token-1"
    )["Meeting"]
    other = client.create_meeting(
        ExternalMeetingId="mt", MediaRegion="eu-west-2", ClientRequestToken="token-2"
    )["Meeting"]
    assert first["MeetingId"] == again["MeetingId"] != other["MeetingId"]
    assert len(fake.meetings) == 2


def test_unknown_and_deleted_meetings_are_not_found(fake: ChimeFake) -> None:
    client = meetings()
    with pytest.raises(ClientError) as unknown:
        client.get_meeting(MeetingId=str(uuid.uuid4()))
    assert error_of(unknown)[:2] == ("NotFoundException", 404)
    meeting_id = client.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")["Meeting"][
        "MeetingId"
    ]
    deleted = client.delete_meeting(MeetingId=meeting_id)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as gone:
        client.get_meeting(MeetingId=meeting_id)
    assert error_of(gone)[:2] == ("NotFoundException", 404)
    with pytest.raises(ClientError) as ended:
        client.create_attendee(MeetingId=meeting_id, ExternalUserId="late")
    assert error_of(ended) == ("NotFoundException", 404, "The meeting has ended")
    assert fake.meeting(meeting_id).deleted


def test_state_is_per_region(fake: ChimeFake) -> None:
    meeting_id = meetings("eu-west-2").create_meeting(
        ExternalMeetingId="mt", MediaRegion="eu-west-2"
    )["Meeting"]["MeetingId"]
    with pytest.raises(ClientError) as elsewhere:
        meetings("us-east-1").get_meeting(MeetingId=meeting_id)
    assert error_of(elsewhere)[0] == "NotFoundException"
    assert meetings("eu-west-2").get_meeting(MeetingId=meeting_id)["Meeting"]["MeetingId"]


def test_attendees_lifecycle_and_pagination(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = client.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")["Meeting"][
        "MeetingId"
    ]
    created = [
        client.create_attendee(MeetingId=meeting_id, ExternalUserId=f"user-{i}")["Attendee"]
        for i in range(5)
    ]
    token = created[0]["JoinToken"]
    decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode()
    assert decoded.startswith(created[0]["AttendeeId"] + ":")
    got = client.get_attendee(MeetingId=meeting_id, AttendeeId=created[1]["AttendeeId"])
    assert got["Attendee"]["ExternalUserId"] == "user-1"
    client.delete_attendee(MeetingId=meeting_id, AttendeeId=created[1]["AttendeeId"])
    with pytest.raises(ClientError) as gone:
        client.get_attendee(MeetingId=meeting_id, AttendeeId=created[1]["AttendeeId"])
    assert error_of(gone)[0] == "NotFoundException"
    listed: list[str] = []
    kwargs: dict[str, Any] = {"MeetingId": meeting_id, "MaxResults": 2}
    while True:
        page = client.list_attendees(**kwargs)
        listed += [a["ExternalUserId"] for a in page["Attendees"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert listed == ["user-0", "user-2", "user-3", "user-4"]
    assert len(fake.meeting(meeting_id).active_attendees) == 4


def test_batch_and_with_attendees(fake: ChimeFake) -> None:
    client = meetings()
    both = client.create_meeting_with_attendees(
        ExternalMeetingId="mt",
        MediaRegion="eu-west-2",
        Attendees=[{"ExternalUserId": "a1"}, {"ExternalUserId": "a2"}],
    )
    meeting_id = both["Meeting"]["MeetingId"]
    assert [a["ExternalUserId"] for a in both["Attendees"]] == ["a1", "a2"]
    batch = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": "b1"}, {"ExternalUserId": "b2"}]
    )
    assert len(batch["Attendees"]) == 2
    assert batch["Errors"] == []
    assert len(fake.meeting(meeting_id).attendees) == 4


def test_attendee_limit_is_250(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = client.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")["Meeting"][
        "MeetingId"
    ]
    for start in range(0, 250, 100):
        batch = client.batch_create_attendee(
            MeetingId=meeting_id,
            Attendees=[{"ExternalUserId": f"u-{i}"} for i in range(start, min(start + 100, 250))],
        )
        assert batch["Errors"] == []
    with pytest.raises(ClientError) as full:
        client.create_attendee(MeetingId=meeting_id, ExternalUserId="one-too-many")
    assert error_of(full)[:2] == ("LimitExceededException", 400)
    overflow = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": "x1"}]
    )
    assert overflow["Errors"][0]["ErrorCode"] == "LimitExceeded"


def test_service_side_validation_answers_bad_request(fake: ChimeFake) -> None:
    """botocore lets these through; the service (and so the fake) does not."""
    with pytest.raises(ClientError) as bad:
        voice().create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber="425-555-0199", SipMediaApplicationId="   "
        )
    code, status, message = error_of(bad)
    assert (code, status) == ("BadRequestException", 400)
    assert "2 validation errors" in message
    assert "'toPhoneNumber'" in message
    assert "'sipMediaApplicationId'" in message
    with pytest.raises(ClientError) as long_id:
        meetings().create_meeting(ExternalMeetingId="x" * 65, MediaRegion="eu-west-2")
    assert "length less than or equal to 64" in error_of(long_id)[2]
    with pytest.raises(ClientError) as bad_guid:
        meetings().get_meeting(MeetingId="not-a-guid")
    assert "regular expression pattern" in error_of(bad_guid)[2]
    assert fake.calls == []
    assert len(fake.meetings) == 0


def test_unknown_media_region_is_refused(fake: ChimeFake) -> None:
    with pytest.raises(ClientError) as bad:
        meetings().create_meeting(ExternalMeetingId="mt", MediaRegion="moon")
    assert error_of(bad)[0] == "BadRequestException"
    with pytest.raises(ClientError) as plausible:  # shaped like a region, but no media region
        meetings().create_meeting(ExternalMeetingId="mt", MediaRegion="us-east-9")
    assert error_of(plausible)[:2] == ("BadRequestException", 400)


def test_sip_media_application_call_and_update(fake: ChimeFake) -> None:
    client = voice()
    response = client.create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId="sma-1",
        SipHeaders={"X-Campaign": "c1"},
        ArgumentsMap={"ticket": "42"},
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    transaction_id = response["SipMediaApplicationCall"]["TransactionId"]
    call = fake.calls[0]
    assert (call.kind, call.transaction_id, call.to_phone_number) == (
        "sip-media-application",
        transaction_id,
        TO,
    )
    assert call.sip_headers == {"X-Campaign": "c1"}
    assert call.arguments_map == {"ticket": "42"}
    updated = client.update_sip_media_application_call(
        SipMediaApplicationId="sma-1", TransactionId=transaction_id, Arguments={"Action": "Hangup"}
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert fake.call_updates[0].arguments == {"Action": "Hangup"}
    with pytest.raises(ClientError) as unknown:
        client.update_sip_media_application_call(
            SipMediaApplicationId="sma-1", TransactionId=str(uuid.uuid4()), Arguments={}
        )
    assert error_of(unknown)[:2] == ("NotFoundException", 404)


def test_legacy_dial_out(fake: ChimeFake) -> None:
    meeting_id = meetings("us-east-1").create_meeting(
        ExternalMeetingId="mt", MediaRegion="us-east-1"
    )["Meeting"]["MeetingId"]
    token = meetings("us-east-1").create_attendee(MeetingId=meeting_id, ExternalUserId="ab")[
        "Attendee"
    ]["JoinToken"]
    legacy = make_session("us-east-1").client("chime")
    response = legacy.create_meeting_dial_out(
        MeetingId=meeting_id, FromPhoneNumber=FROM, ToPhoneNumber=TO, JoinToken=token
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert GUID.match(response["TransactionId"])
    (dial_out,) = fake.dial_outs
    assert dial_out.joined_meeting_id == meeting_id
    assert dial_out.join_token == token
    legacy.create_meeting_dial_out(
        MeetingId=meeting_id, FromPhoneNumber=FROM, ToPhoneNumber=TO, JoinToken="bm90LWEtdG9rZW4"
    )
    assert fake.dial_outs[1].joined_meeting_id is None
    assert fake.dial_outs[1].reason == "join token does not belong to an attendee of the meeting"


def test_legacy_refusal_for_accounts_that_never_used_it() -> None:
    with mock_chime(legacy_access=False) as fake:
        with pytest.raises(ClientError) as refused:
            make_session("us-east-1").client("chime").create_meeting_dial_out(
                MeetingId=str(uuid.uuid4()),
                FromPhoneNumber=FROM,
                ToPhoneNumber=TO,
                JoinToken="dG9rZW4",
            )
        code, status, message = error_of(refused)
        assert (code, status) == ("ForbiddenException", 403)
        assert 'not authorized to call deprecated Amazon Chime SDK API on the "chime"' in message
        assert fake.calls == []


def test_operations_the_fake_does_not_serve_say_so(fake: ChimeFake) -> None:
    with pytest.raises(ClientError) as unknown:  # (the meetings namespace's is served)
        voice().list_tags_for_resource(ResourceARN="arn:aws:chime:eu-west-2:1:sma/x")
    code, status, message = error_of(unknown)
    assert (code, status) == ("NotImplemented", 501)
    assert "chime-sdk-voice ListTagsForResource" in message


def test_records_never_print_secrets(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = client.create_meeting(ExternalMeetingId="secret-meeting", MediaRegion="eu-west-2")[
        "Meeting"
    ]["MeetingId"]
    token = client.create_attendee(MeetingId=meeting_id, ExternalUserId="secret-user")["Attendee"][
        "JoinToken"
    ]
    voice().create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId="sma-1",
        ArgumentsMap={"JoinToken": token},
    )
    shown = repr(fake.meetings) + repr(fake.calls) + repr(fake.requests) + repr(fake.attendees)
    for secret in ("secret-meeting", "secret-user", token, FROM, TO):
        assert secret not in shown
    assert "+1********99" in shown


@needs_current_botocore
def test_without_the_fake_moto_answers_404() -> None:
    """The reason this package exists: moto alone has no Chime backend."""
    from moto import mock_aws

    with mock_aws(), pytest.raises(ClientError) as missing:
        meetings().get_meeting(MeetingId=str(uuid.uuid4()))
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
