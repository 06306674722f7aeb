"""The fake answers raw aiobotocore clients exactly as it answers boto3 clients: the same
state, status codes, error parsing, faults and clock, alone and inside moto's ``mock_aws``."""

from __future__ import annotations

import pytest

# The async extra's aiobotocore pins botocore, so these run in CI's async environment
# (pip install -e '.[test,async]'); elsewhere they are skipped.
pytest.importorskip("aiobotocore")

import asyncio
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from moto import mock_aws

import chime_calls
from chime_calls.testing import ChimeFake, mock_chime
from chime_calls.testing._aio import Body
from tests._aio import make_aio_session
from tests.conftest import FROM, REGION, TO, make_session

NO_RETRIES = chime_calls.client_config()


def _client(service: str, **kwargs: Any) -> Any:
    return make_aio_session().create_client(service, region_name=REGION, **kwargs)


async def test_aiobotocore_and_boto3_share_one_fake(fake: ChimeFake) -> None:
    async with _client("chime-sdk-meetings") as meetings:
        created = await meetings.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
        meeting_id = created["Meeting"]["MeetingId"]
        assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
        attendee = await meetings.create_attendee(MeetingId=meeting_id, ExternalUserId="alice")
    # the same state through a boto3 client
    got = make_session().client("chime-sdk-meetings").get_meeting(MeetingId=meeting_id)
    assert got["Meeting"]["MeetingId"] == meeting_id
    assert fake.meeting(meeting_id).attendees[0].attendee_id == attendee["Attendee"]["AttendeeId"]
    assert [r.operation for r in fake.requests] == ["CreateMeeting", "CreateAttendee", "GetMeeting"]


async def test_errors_parse_as_on_boto3(fake: ChimeFake) -> None:
    async with _client("chime-sdk-meetings") as meetings:
        with pytest.raises(ClientError) as missing:
            await meetings.get_meeting(MeetingId="00000000-0000-0000-0000-000000000000")
        async with _client("chime-sdk-voice", config=NO_RETRIES) as voice:
            fake.throttle("CreateSipMediaApplicationCall", retry_after=2)
            with pytest.raises(ClientError) as throttled:
                await voice.create_sip_media_application_call(
                    SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
                )
    assert missing.value.response["Error"]["Code"] == "NotFoundException"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    error = throttled.value.response
    assert error["Error"]["Code"] == "ThrottledClientException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert error["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "2"
    assert fake.calls == []


async def test_transport_faults_raise_what_aiobotocore_raises(fake: ChimeFake) -> None:
    async with _client("chime-sdk-voice", config=NO_RETRIES) as voice:
        fake.fail_connection("CreateSipMediaApplicationCall")
        with pytest.raises(EndpointConnectionError):
            await voice.create_sip_media_application_call(
                SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
        assert fake.calls == []
        fake.lose_answer("CreateSipMediaApplicationCall")
        with pytest.raises(ReadTimeoutError):
            await voice.create_sip_media_application_call(
                SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
        assert len(fake.calls) == 1  # placed, and the answer lost


async def test_latency_runs_on_the_fakes_clock(fake: ChimeFake) -> None:
    fake.latency(30.0, "GetMeeting")
    async with _client("chime-sdk-meetings") as meetings:
        created = await meetings.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
        before = fake.clock.monotonic()
        await meetings.get_meeting(MeetingId=created["Meeting"]["MeetingId"])
    assert fake.clock.monotonic() - before == 30.0  # virtual: the test took no such time


@pytest.mark.parametrize("fake_inside", [True, False])
async def test_composes_with_mock_aws(fake_inside: bool) -> None:
    """moto does not serve aiobotocore clients (getmoto/moto#8513), but it does not get in the
    way of the fake's answers to them; boto3 clients keep using moto for other services."""
    moto = mock_aws()
    chime = mock_chime()
    outer, inner = (moto, chime) if fake_inside else (chime, moto)
    with outer, inner:
        chime.provision_sip_media_application("sma-1", phone_number=FROM, region=REGION)
        s3 = make_session().client("s3")
        s3.create_bucket(
            Bucket="recordings", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        async with _client("chime-sdk-voice") as voice:
            placed = await voice.create_sip_media_application_call(
                SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
        assert s3.list_buckets()["Buckets"][0]["Name"] == "recordings"
    assert chime.calls[0].transaction_id == (placed["SipMediaApplicationCall"]["TransactionId"])


async def test_reading_an_answer_gives_the_loop_a_turn(fake: ChimeFake) -> None:
    """Between the service acting and the client holding the answer other tasks run, as on a
    network: that is the window a cancellation can fall into."""
    async with _client("chime-sdk-voice") as voice:
        task = asyncio.create_task(
            voice.create_sip_media_application_call(
                SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
        )
        for _ in range(100):
            await asyncio.sleep(0)
            if fake.calls:
                break
        assert fake.calls, "the call was placed"
        assert not task.done(), "and its answer is still on the way"
        placed = await task
    assert placed["SipMediaApplicationCall"]["TransactionId"] == fake.calls[0].transaction_id


def test_answer_bodies_are_plain_bytes_outside_a_loop() -> None:
    body = Body(b'{"a": 1}')
    assert body == b'{"a": 1}'
    generator = body.__await__()
    with pytest.raises(StopIteration) as done:
        next(generator)  # no running loop: nothing to yield to
    assert done.value.value == b'{"a": 1}'
    assert type(done.value.value) is bytes


async def test_a_client_created_before_the_fake_is_answered() -> None:
    """Like boto3 clients, aiobotocore clients of any age are answered while a fake is active
    (aiobotocore's endpoint inherits botocore's ``make_request``, which the fake hooks)."""
    async with make_aio_session().create_client(
        "chime-sdk-voice", region_name=REGION, config=NO_RETRIES
    ) as voice:
        with mock_chime() as fake:
            fake.provision_sip_media_application("sma-1", phone_number=FROM, region=REGION)
            placed = await voice.create_sip_media_application_call(
                SipMediaApplicationId="sma-1", FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
    assert fake.calls[0].transaction_id == placed["SipMediaApplicationCall"]["TransactionId"]
