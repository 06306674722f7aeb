"""The fake's meetings through plain boto3: AWS's limits and rules, and meetings that end."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chime_calls.testing import AutoEndPolicy, ChimeFake, active_fake, mock_chime
from chime_calls.testing._meetings import MEDIA_REGIONS
from tests._model import service_model
from tests.conftest import FROM, REGION, TO
from tests.testing.test_fake_boto3 import error_of, meetings, voice

#: MeetingFeatures' Video, Content and Attendee members (botocore 1.34.0 models only Audio).
needs_meeting_features = pytest.mark.skipif(
    "Attendee"
    not in service_model("chime-sdk-meetings").shape_for("MeetingFeaturesConfiguration").members,
    reason="this botocore's MeetingFeatures has no Video, Content or Attendee",
)


def new_meeting(client: Any, **kwargs: Any) -> str:
    kwargs.setdefault("ExternalMeetingId", "standup")
    kwargs.setdefault("MediaRegion", REGION)
    return str(client.create_meeting(**kwargs)["Meeting"]["MeetingId"])


# --- what AWS refuses ---------------------------------------------------------------------------


def test_media_regions_are_the_documented_ones() -> None:
    """The list equals the "Available values" the installed model documents for MediaRegion."""
    doc = (
        service_model("chime-sdk-meetings")
        .shape_for("CreateMeetingRequest")
        .members["MediaRegion"]
        .documentation
    )
    documented = set(re.findall(r"\b[a-z]{2}(?:-gov)?-[a-z]+-\d\b", doc))
    if not documented:
        pytest.skip("this botocore's model does not list the media regions")
    assert documented == MEDIA_REGIONS


@pytest.mark.parametrize("region", sorted(MEDIA_REGIONS))
def test_every_media_region_is_served(fake: ChimeFake, region: str) -> None:
    meeting = meetings().create_meeting(ExternalMeetingId="mt", MediaRegion=region)["Meeting"]
    assert meeting["MediaRegion"] == region


def test_reserved_external_ids_are_refused(fake: ChimeFake) -> None:
    client = meetings()
    with pytest.raises(ClientError) as meeting:
        client.create_meeting(ExternalMeetingId="AWS:standup", MediaRegion=REGION)
    assert error_of(meeting)[:2] == ("BadRequestException", 400)
    meeting_id = new_meeting(client)
    with pytest.raises(ClientError) as user:
        client.create_attendee(MeetingId=meeting_id, ExternalUserId="aws:bot")
    assert error_of(user)[:2] == ("BadRequestException", 400)
    batch = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": "Aws:x1"}, {"ExternalUserId": "ok"}]
    )
    assert [e["ExternalUserId"] for e in batch["Errors"]] == ["Aws:x1"]
    assert batch["Errors"][0]["ErrorCode"] == "BadRequest"
    assert [a["ExternalUserId"] for a in batch["Attendees"]] == ["ok"]


def test_an_external_user_id_already_in_the_meeting_returns_that_attendee(
    fake: ChimeFake,
) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    first = client.create_attendee(MeetingId=meeting_id, ExternalUserId="alice")["Attendee"]
    again = client.create_attendee(
        MeetingId=meeting_id,
        ExternalUserId="alice",
        Capabilities={"Audio": "Receive", "Video": "Receive", "Content": "Receive"},
    )["Attendee"]
    assert again == first
    batch = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": "alice"}, {"ExternalUserId": "bob"}]
    )
    assert batch["Attendees"][0] == first
    assert len(fake.meeting(meeting_id).attendees) == 2
    client.delete_attendee(MeetingId=meeting_id, AttendeeId=first["AttendeeId"])
    renewed = client.create_attendee(MeetingId=meeting_id, ExternalUserId="alice")["Attendee"]
    assert renewed["AttendeeId"] != first["AttendeeId"]  # a deleted attendee is not returned


@needs_meeting_features
def test_max_count_caps_attendees(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client, MeetingFeatures={"Attendee": {"MaxCount": 2}})
    client.create_attendee(MeetingId=meeting_id, ExternalUserId="u1")
    batch = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": "u2"}, {"ExternalUserId": "u3"}]
    )
    assert [e["ErrorCode"] for e in batch["Errors"]] == ["LimitExceeded"]
    with pytest.raises(ClientError) as full:
        client.create_attendee(MeetingId=meeting_id, ExternalUserId="u4")
    assert error_of(full)[:2] == ("LimitExceededException", 400)
    assert client.create_attendee(MeetingId=meeting_id, ExternalUserId="u1")  # already in
    assert fake.meeting(meeting_id).max_attendees == 2


@needs_meeting_features
@pytest.mark.parametrize(
    "features", [{"Video": {"MaxResolution": "FHD"}}, {"Content": {"MaxResolution": "UHD"}}]
)
def test_high_resolution_meetings_take_25(fake: ChimeFake, features: dict[str, Any]) -> None:
    client = meetings()
    meeting_id = new_meeting(client, MeetingFeatures=features)
    created = client.create_meeting_with_attendees(
        ExternalMeetingId="hd",
        MediaRegion=REGION,
        MeetingFeatures=features,
        Attendees=[{"ExternalUserId": f"u{i}"} for i in range(20)],
    )
    assert len(created["Attendees"]) == 20
    batch = client.batch_create_attendee(
        MeetingId=meeting_id, Attendees=[{"ExternalUserId": f"u{i}"} for i in range(30)]
    )
    assert (len(batch["Attendees"]), len(batch["Errors"])) == (25, 5)


@needs_meeting_features
def test_capabilities_follow_the_meeting_features(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(
        client, MeetingFeatures={"Video": {"MaxResolution": "None"}, "Content": {}}
    )
    default = client.create_attendee(MeetingId=meeting_id, ExternalUserId="u1")["Attendee"]
    assert default["Capabilities"] == {
        "Audio": "SendReceive",
        "Video": "Receive",
        "Content": "SendReceive",
    }
    with pytest.raises(ClientError) as video:
        client.create_attendee(
            MeetingId=meeting_id,
            ExternalUserId="u2",
            Capabilities={"Audio": "SendReceive", "Video": "Receive", "Content": "None"},
        )
    assert "Video capabilities must be None" in error_of(video)[2]
    with pytest.raises(ClientError) as content:  # what the package refuses before sending
        client.update_attendee_capabilities(
            MeetingId=meeting_id,
            AttendeeId=default["AttendeeId"],
            Capabilities={"Audio": "SendReceive", "Video": "None", "Content": "Receive"},
        )
    assert error_of(content)[:2] == ("BadRequestException", 400)
    plain = new_meeting(client, ExternalMeetingId="plain")
    ok = client.update_attendee_capabilities(
        MeetingId=plain,
        AttendeeId=client.create_attendee(MeetingId=plain, ExternalUserId="u3")["Attendee"][
            "AttendeeId"
        ],
        Capabilities={"Audio": "Receive", "Video": "Receive", "Content": "None"},
    )["Attendee"]
    assert ok["Capabilities"]["Content"] == "None"
    no_media = new_meeting(
        client,
        ExternalMeetingId="audio-only",
        MeetingFeatures={"Video": {"MaxResolution": "None"}, "Content": {"MaxResolution": "None"}},
    )
    audio_only = client.create_attendee(MeetingId=no_media, ExternalUserId="u4")["Attendee"]
    assert audio_only["Capabilities"] == {
        "Audio": "SendReceive",
        "Video": "None",
        "Content": "None",
    }


def test_a_token_replayed_with_other_parameters_conflicts(fake: ChimeFake) -> None:
    client = meetings()
    first = client.create_meeting(
        ExternalMeetingId="mt", MediaRegion=REGION, ClientRequestToken="token-1"
    )["Meeting"]
    with pytest.raises(ClientError) as other:
        client.create_meeting(
            ExternalMeetingId="other", MediaRegion=REGION, ClientRequestToken="token-1"
        )
    assert error_of(other)[:2] == ("ConflictException", 409)
    with pytest.raises(ClientError) as other_operation:
        client.create_meeting_with_attendees(
            ExternalMeetingId="mt",
            MediaRegion=REGION,
            ClientRequestToken="token-1",
            Attendees=[{"ExternalUserId": "u1"}],
        )
    assert error_of(other_operation)[0] == "ConflictException"
    assert (
        client.create_meeting(
            ExternalMeetingId="mt", MediaRegion=REGION, ClientRequestToken="token-1"
        )["Meeting"]
        == first
    )


@needs_meeting_features
def test_create_meeting_with_attendees_replays_its_first_answer(fake: ChimeFake) -> None:
    client = meetings()
    kwargs: dict[str, Any] = {
        "ExternalMeetingId": "mt",
        "MediaRegion": REGION,
        "ClientRequestToken": "token-2",
        "MeetingFeatures": {"Attendee": {"MaxCount": 1}},
        "Attendees": [{"ExternalUserId": "u1"}, {"ExternalUserId": "u2"}],
    }
    first = client.create_meeting_with_attendees(**kwargs)
    again = client.create_meeting_with_attendees(**kwargs)
    assert (len(first["Attendees"]), len(first["Errors"])) == (1, 1)
    assert {k: again[k] for k in ("Meeting", "Attendees", "Errors")} == {
        k: first[k] for k in ("Meeting", "Attendees", "Errors")
    }


def test_list_attendees_refuses_a_token_it_never_gave(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    with pytest.raises(ClientError) as bad:
        client.list_attendees(MeetingId=meeting_id, NextToken="42")
    assert error_of(bad) == ("BadRequestException", 400, "Invalid NextToken")


def test_transcription_needs_an_engine(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    with pytest.raises(ClientError) as bad:
        client.start_meeting_transcription(MeetingId=meeting_id, TranscriptionConfiguration={})
    assert error_of(bad)[:2] == ("BadRequestException", 400)
    client.start_meeting_transcription(
        MeetingId=meeting_id,
        TranscriptionConfiguration={
            "EngineTranscribeMedicalSettings": {
                "LanguageCode": "en-US",
                "Specialty": "PRIMARYCARE",
                "Type": "CONVERSATION",
            }
        },
    )
    assert fake.meeting(meeting_id).transcription is not None


def test_tags_are_per_meeting_arn_with_aws_limits(fake: ChimeFake) -> None:
    client = meetings()
    meeting = client.create_meeting(
        ExternalMeetingId="mt", MediaRegion=REGION, Tags=[{"Key": "k0", "Value": "v"}]
    )["Meeting"]
    arn = meeting["MeetingArn"]
    client.tag_resource(
        ResourceARN=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(1, 50)]
    )
    with pytest.raises(ClientError) as too_many:
        client.tag_resource(ResourceARN=arn, Tags=[{"Key": "k50", "Value": "v"}])
    assert error_of(too_many)[:2] == ("TooManyTagsException", 400)
    assert len(client.list_tags_for_resource(ResourceARN=arn)["Tags"]) == 50
    with pytest.raises(ClientError) as elsewhere:  # tags are regional, like the meeting
        meetings("us-east-1").list_tags_for_resource(ResourceARN=arn)
    assert error_of(elsewhere)[:2] == ("ResourceNotFoundException", 404)


# --- meetings that end --------------------------------------------------------------------------


def test_nobody_joining_ends_a_meeting_after_five_minutes(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    fake.advance(299)
    assert not fake.meeting(meeting_id).deleted
    fake.advance(1)
    ended = fake.meeting(meeting_id)
    assert (ended.deleted, ended.ended_reason) == (True, "nobody connected for 300 s")
    with pytest.raises(ClientError) as late:
        client.create_attendee(MeetingId=meeting_id, ExternalUserId="late")
    assert error_of(late) == ("NotFoundException", 404, "The meeting has ended")
    with pytest.raises(ClientError) as get:
        client.get_meeting(MeetingId=meeting_id)
    assert error_of(get)[:2] == ("NotFoundException", 404)


def test_attendees_connecting_keep_it_alive_and_one_alone_ends_it(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    a, b = (
        client.create_attendee(MeetingId=meeting_id, ExternalUserId=name)["Attendee"]["AttendeeId"]
        for name in ("alice", "bob")
    )
    fake.attendee_joined(meeting_id, a)
    fake.attendee_joined(meeting_id, b)
    fake.advance(3600)
    assert not fake.meeting(meeting_id).deleted
    assert {x.attendee_id for x in fake.meeting(meeting_id).attendees if x.connected} == {a, b}
    fake.attendee_left(meeting_id, b)
    fake.advance(1799)
    assert not fake.meeting(meeting_id).deleted
    fake.advance(1)
    assert fake.meeting(meeting_id).ended_reason == "one attendee alone for 1800 s"


def test_everyone_leaving_starts_the_five_minutes_again(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    alice = client.create_attendee(MeetingId=meeting_id, ExternalUserId="alice")["Attendee"]
    fake.advance(200)
    fake.attendee_joined(meeting_id, alice["AttendeeId"])
    fake.advance(200)
    client.delete_attendee(MeetingId=meeting_id, AttendeeId=alice["AttendeeId"])  # disconnects
    fake.advance(299)
    assert not fake.meeting(meeting_id).deleted
    fake.advance(1)
    assert fake.meeting(meeting_id).deleted


def test_the_policy_is_configurable(fake: ChimeFake) -> None:
    fake.auto_end = AutoEndPolicy(empty_for=None, alone_for=None, max_duration=6 * 3600)
    client = meetings()
    meeting_id = new_meeting(client)
    fake.advance(6 * 3600 - 1)
    assert not fake.meeting(meeting_id).deleted
    fake.advance(1)
    assert fake.meeting(meeting_id).ended_reason == "active for 21600 s"


def test_a_policy_changed_later_applies_to_meetings_already_running(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    fake.auto_end = AutoEndPolicy(empty_for=600)
    fake.advance(301)  # the timer set for 300 s looks again
    assert not fake.meeting(meeting_id).deleted
    fake.advance(299)
    assert fake.meeting(meeting_id).deleted


def test_a_replica_ends_with_its_primary(fake: ChimeFake) -> None:
    client = meetings()
    fake.auto_end = AutoEndPolicy.never()
    primary = new_meeting(client)
    replica = new_meeting(client, ExternalMeetingId="replica", PrimaryMeetingId=primary)
    client.delete_meeting(MeetingId=primary)
    assert fake.meeting(replica).ended_reason == "its primary meeting ended"


def test_meetings_end_on_a_real_clock_too() -> None:
    """Without timers (real time) a meeting is found ended when next looked at."""
    with mock_chime(real_time=True) as fake:
        fake.auto_end = AutoEndPolicy(max_duration=0.0)
        client = meetings()
        meeting_id = new_meeting(client)
        with pytest.raises(ClientError) as ended:
            client.create_attendee(MeetingId=meeting_id, ExternalUserId="late")
        assert error_of(ended)[2] == "The meeting has ended"


def test_attendee_presence_helpers_refuse_what_cannot_happen(fake: ChimeFake) -> None:
    client = meetings()
    meeting_id = new_meeting(client)
    with pytest.raises(KeyError):
        fake.attendee_joined(meeting_id, "11111111-2222-3333-4444-555555555555")
    with pytest.raises(KeyError):
        fake.attendee_left(meeting_id, "11111111-2222-3333-4444-555555555555")
    with pytest.raises(KeyError):
        fake.attendee_joined("11111111-2222-3333-4444-555555555555", "x")
    alice = client.create_attendee(MeetingId=meeting_id, ExternalUserId="alice")["Attendee"]
    client.delete_meeting(MeetingId=meeting_id)
    with pytest.raises(ValueError, match="has ended"):
        fake.attendee_joined(meeting_id, alice["AttendeeId"])


def test_a_phone_leg_in_the_meeting_counts_as_connected(fake: ChimeFake) -> None:
    from chime_calls.sma import dial_out_handler

    client = meetings()
    meeting_id = new_meeting(client)
    attendee = client.create_attendee(MeetingId=meeting_id, ExternalUserId="phone")["Attendee"]
    fake.register_sma_handler("sma-1", dial_out_handler)
    voice().create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId="sma-1",
        ArgumentsMap={"MeetingId": meeting_id, "JoinToken": attendee["JoinToken"]},
    )
    assert fake.calls[-1].joined_meeting_id == meeting_id
    fake.advance(600)
    assert not fake.meeting(meeting_id).deleted
    assert fake.meeting(meeting_id).attendees[0].connected


@pytest.mark.chime_fake(auto_end=AutoEndPolicy(empty_for=60))
def test_the_policy_is_an_option_of_the_fixture(chime_fake: ChimeFake) -> None:
    meeting_id = new_meeting(meetings())
    chime_fake.advance(60)
    assert chime_fake.meeting(meeting_id).ended_reason == "nobody connected for 60 s"


def test_the_policy_is_an_option_of_mock_chime_and_its_decorator() -> None:
    never = AutoEndPolicy.never()
    outer = mock_chime(auto_end=never)

    @outer
    def scenario() -> None:
        fake = active_fake()
        assert fake is not None
        assert fake.auto_end is never
        meeting_id = new_meeting(meetings())
        fake.advance(10 * 86400)
        assert not fake.meeting(meeting_id).deleted

    scenario()
    with pytest.raises(TypeError, match="AutoEndPolicy"):
        mock_chime(auto_end=300)  # type: ignore[arg-type]
