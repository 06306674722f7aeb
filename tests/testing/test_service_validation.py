"""The fake's service-side validation, one constraint kind at a time.

botocore's own parameter validation is switched off in these clients so that what reaches the
fake is what a client with a looser (or no) validator would send: the fake must answer like
the service, from the model, whatever the SDK checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chime_calls.testing import ChimeFake
from tests.conftest import FROM, REGION, TO, make_session

_UNCHECKED = Config(parameter_validation=False, retries={"total_max_attempts": 1})
MEETING_ID = "11111111-2222-4333-8444-555555555555"


def client(service: str) -> Any:
    return make_session(REGION).client(service, config=_UNCHECKED)


def refusal(call: Any, /, **params: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error = caught.value.response
    assert error["Error"]["Code"] == "BadRequestException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    message: str = error["Error"]["Message"]
    return message


def test_enum_members_of_nested_structures(fake: ChimeFake) -> None:
    message = refusal(
        client("chime-sdk-meetings").create_meeting,
        ExternalMeetingId="mt",
        MediaRegion="eu-west-2",
        MeetingFeatures={"Audio": {"EchoReduction": "SOMETIMES"}},
    )
    assert (
        "Value 'SOMETIMES' at 'meetingFeatures.audio.echoReduction' failed to satisfy "
        "constraint: Member must satisfy enum value set: [AVAILABLE, UNAVAILABLE]"
    ) in message
    assert fake.meetings == []


def test_numeric_ranges_from_the_query_string(fake: ChimeFake) -> None:
    meetings = client("chime-sdk-meetings")
    meeting_id = meetings.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")[
        "Meeting"
    ]["MeetingId"]
    too_many = refusal(meetings.list_attendees, MeetingId=meeting_id, MaxResults=101)
    assert "Member must have value less than or equal to 100" in too_many
    too_few = refusal(meetings.list_attendees, MeetingId=meeting_id, MaxResults=0)
    assert "Member must have value greater than or equal to 1" in too_few
    assert meetings.list_attendees(MeetingId=meeting_id, MaxResults=100)["Attendees"] == []


def test_list_sizes_and_their_members(fake: ChimeFake) -> None:
    meetings = client("chime-sdk-meetings")
    meeting_id = meetings.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")[
        "Meeting"
    ]["MeetingId"]
    empty = refusal(meetings.batch_create_attendee, MeetingId=meeting_id, Attendees=[])
    assert "at 'attendees' failed to satisfy constraint" in empty
    assert "length greater than or equal to 1" in empty
    over = refusal(
        meetings.batch_create_attendee,
        MeetingId=meeting_id,
        Attendees=[{"ExternalUserId": f"user-{n:03d}"} for n in range(101)],
    )
    assert "length less than or equal to 100" in over
    short_member = refusal(
        meetings.batch_create_attendee,
        MeetingId=meeting_id,
        Attendees=[{"ExternalUserId": "ok-user"}, {"ExternalUserId": "a"}],
    )
    assert "at 'attendees.2.member.externalUserId'" in short_member
    assert fake.attendees == []


def test_map_sizes_keys_and_values(fake: ChimeFake) -> None:
    voice = client("chime-sdk-voice")
    base = {"FromPhoneNumber": FROM, "ToPhoneNumber": TO, "SipMediaApplicationId": "sma-1"}
    over = refusal(
        voice.create_sip_media_application_call,
        **base,
        ArgumentsMap={f"k{n}": "v" for n in range(21)},
    )
    assert "at 'argumentsMap' failed to satisfy constraint" in over
    assert "length less than or equal to 20" in over
    assert fake.calls == []
    fake.advance(1)  # the refused request counted against AWS's 1/s quota too
    voice.create_sip_media_application_call(**base, ArgumentsMap={f"k{n}": "v" for n in range(20)})
    assert len(fake.calls) == 1


def test_missing_required_members_are_named(fake: ChimeFake) -> None:
    message = refusal(
        client("chime-sdk-meetings").create_attendee, MeetingId=MEETING_ID, ExternalUserId=None
    )
    assert (
        "Value null at 'externalUserId' failed to satisfy constraint: Member must not be null"
    ) in message


def test_wrong_json_types_are_refused_not_crashed_on(fake: ChimeFake) -> None:
    meetings = client("chime-sdk-meetings")
    not_a_string = refusal(meetings.create_meeting, ExternalMeetingId=42, MediaRegion="eu-west-2")
    assert "at 'externalMeetingId' failed to satisfy constraint: must be a string" in not_a_string
    not_a_list = refusal(
        meetings.create_meeting, ExternalMeetingId="mt", MediaRegion="eu-west-2", TenantIds="t1"
    )
    # botocore's serializer iterates the string: the service sees ["t", "1"] and refuses both.
    assert "Value 't' at 'tenantIds.1.member'" in not_a_list
    assert "Value '1' at 'tenantIds.2.member'" in not_a_list
    assert fake.meetings == []


def test_lengths_count_code_points_not_utf16_units(fake: ChimeFake) -> None:
    """64 astral characters are 128 UTF-16 units; the service counts 64 and accepts them."""
    meetings = client("chime-sdk-meetings")
    accepted = meetings.create_meeting(ExternalMeetingId="\U0001f4de" * 64, MediaRegion="eu-west-2")
    assert accepted["Meeting"]["ExternalMeetingId"] == "\U0001f4de" * 64
    message = refusal(
        meetings.create_meeting, ExternalMeetingId="\U0001f4de" * 65, MediaRegion="eu-west-2"
    )
    assert "length less than or equal to 64" in message
