"""How the fake is switched on: context, decorator, fixture, inside moto, isolation, threads."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

import chime_calls
from chime_calls import ChimeCalls, NotFoundError
from chime_calls.testing import ChimeFake, active_fake, mock_chime
from tests.conftest import FROM, REGION, TO, make_calls, make_session


def _create_meeting() -> str:
    client = make_session().client("chime-sdk-meetings")
    meeting_id: str = client.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)["Meeting"][
        "MeetingId"
    ]
    return meeting_id


@pytest.mark.parametrize("fake_inside", [True, False])
def test_composes_with_mock_aws(fake_inside: bool) -> None:
    moto = mock_aws()
    chime = mock_chime()
    outer, inner = (moto, chime) if fake_inside else (chime, moto)
    with outer, inner:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="recordings")
        s3.put_object(Bucket="recordings", Key="k", Body=b"audio")
        meeting_id = _create_meeting()
        calls = ChimeCalls(region_name=REGION)
        assert calls.get_meeting(meeting_id=meeting_id).meeting_id == meeting_id
        assert s3.get_object(Bucket="recordings", Key="k")["Body"].read() == b"audio"
        sns = boto3.client("sns", region_name=REGION)
        assert sns.create_topic(Name="meeting-events")["TopicArn"].endswith(":meeting-events")
    assert len(chime.meetings) == 1


def test_chime_calls_and_plain_boto3_share_state() -> None:
    with mock_aws(), mock_chime() as fake:
        meeting_id = _create_meeting()
        calls = ChimeCalls(session=boto3.Session(region_name=REGION))
        alice = calls.create_attendee(meeting_id=meeting_id, external_user_id="alice")
        assert fake.meeting(meeting_id).attendees[0].attendee_id == alice.attendee_id


@mock_chime()
def test_decorator_gives_fresh_state() -> None:
    fake = active_fake()
    assert fake is not None
    assert fake.meetings == []
    _create_meeting()
    assert len(fake.meetings) == 1


def test_decorator_state_does_not_leak() -> None:
    test_decorator_gives_fresh_state()
    test_decorator_gives_fresh_state()
    assert active_fake() is None


def test_pytest_fixture(chime_fake: ChimeFake) -> None:
    assert active_fake() is chime_fake
    _create_meeting()
    assert len(chime_fake.meetings) == 1


def test_pytest_fixture_for_a_sip_media_application(chime_fake: ChimeFake, chime_sma: Any) -> None:
    from chime_calls import ChimeCalls

    calls = ChimeCalls(
        region_name=chime_sma.region, sip_media_application_id=chime_sma.sip_media_application_id
    )
    call = calls.create_sip_media_application_call(
        sip_media_application_id=chime_sma.sip_media_application_id,
        from_phone_number=chime_sma.phone_number,
        to_phone_number=TO,
    )
    assert chime_fake.calls[-1].transaction_id == call.transaction_id


def test_each_context_starts_empty_and_nesting_uses_the_innermost() -> None:
    with mock_chime() as outer:
        _create_meeting()
        with mock_chime() as inner:
            _create_meeting()
            assert len(inner.meetings) == 1
        assert len(outer.meetings) == 1
        assert active_fake() is outer
    assert active_fake() is None


def test_state_does_not_outlive_the_context() -> None:
    with mock_chime():
        meeting_id = _create_meeting()
    with mock_chime():
        calls = make_calls()
        with pytest.raises(NotFoundError):
            calls.get_meeting(meeting_id=meeting_id)


def test_reset_forgets_everything(fake: ChimeFake) -> None:
    _create_meeting()
    fake.throttle("GetMeeting")
    fake.reset()
    assert fake.meetings == []
    assert fake.requests == []
    assert fake.voice.sip_media_applications == []  # the fixture's sma-1 is gone too
    assert fake.voice.phone_numbers == []
    with pytest.raises(ClientError) as missing:
        make_session().client("chime-sdk-meetings").get_meeting(MeetingId=str(uuid.uuid4()))
    assert missing.value.response["Error"]["Code"] == "NotFoundException"


def test_credentials_are_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session")
    with mock_chime():
        import os

        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert "AWS_SESSION_TOKEN" not in os.environ
    import os

    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert os.environ["AWS_SESSION_TOKEN"] == "session"


def test_clients_of_an_older_default_session_are_answered() -> None:
    boto3.setup_default_session(region_name=REGION)
    try:
        with mock_chime() as fake:
            fake.provision_sip_media_application("sma-1", phone_number=FROM, region=REGION)
            boto3.client("chime-sdk-voice").create_sip_media_application_call(
                FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
            )
        assert len(fake.calls) == 1, "answered once, although the handler is registered twice"
    finally:
        boto3.DEFAULT_SESSION = None


@pytest.mark.chime_fake(quotas=False)  # 80 calls at once, far beyond AWS's 1/s
def test_threads_share_one_fake(fake: ChimeFake) -> None:
    client: Any = make_session().client("chime-sdk-voice")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                client.create_sip_media_application_call(
                    FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
                )
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(fake.calls) == 80
    assert len({call.transaction_id for call in fake.calls}) == 80


@pytest.mark.parametrize("with_moto", [False, True], ids=["alone", "inside-mock_aws"])
def test_scenarios_alone_and_inside_moto(with_moto: bool) -> None:
    import contextlib

    outer = mock_aws() if with_moto else contextlib.nullcontext()
    with outer, mock_chime() as fake:
        fake.provision_sip_media_application("sma-1", phone_number=FROM, region=REGION)
        # plain boto3
        raw = make_session().client("chime-sdk-voice")
        raw.create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
        )
        fake.throttle("CreateSipMediaApplicationCall")
        with pytest.raises(ClientError):
            make_session().client(
                "chime-sdk-voice", config=chime_calls.client_config()
            ).create_sip_media_application_call(
                FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
            )
        # ChimeCalls, with a fault the facade retries
        calls = make_calls(retry=chime_calls.RetryPolicy(base_delay=0, max_delay=0))
        meeting = calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        fake.fail_connection("CreateAttendee")
        attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
        if with_moto:
            sqs = boto3.client("sqs", region_name=REGION)
            url = sqs.create_queue(QueueName="events")["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody=attendee.attendee_id)
            got = sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]
            assert got == attendee.attendee_id
    assert len(fake.calls) == 1
    assert fake.meeting(meeting.meeting_id).attendees[0].attendee_id == attendee.attendee_id
