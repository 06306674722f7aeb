"""Nothing escapes to AWS: every Chime request is answered while a fake is active, whatever the
age of its session or client; botocore's own retries wait on the fake's clock; moto's 404 for
Chime says how to get a fake, and nothing else about moto changes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import boto3
import pytest
from botocore.config import Config
from botocore.endpoint import Endpoint
from botocore.exceptions import ClientError
from moto import mock_aws

from chime_calls.testing import ChimeFake, mock_chime
from tests.conftest import FROM, REGION, TO, make_session


def test_a_session_and_client_made_before_the_fake_are_answered() -> None:
    session = boto3.Session(
        aws_access_key_id="old", aws_secret_access_key="old", region_name=REGION
    )
    meetings = session.client("chime-sdk-meetings")  # made before any fake was active
    with mock_chime() as fake:
        fake.provision_sip_media_application("sma-1", phone_number=FROM, region=REGION)
        meeting = meetings.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)["Meeting"]
        session.client("chime-sdk-voice").create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
        )
    assert [r.operation for r in fake.requests] == [
        "CreateMeeting",
        "CreateSipMediaApplicationCall",
    ]
    assert fake.meetings[0].meeting_id == meeting["MeetingId"]
    assert len(fake.calls) == 1


def test_botocore_is_left_as_it_was_after_the_last_fake() -> None:
    original = (Endpoint.make_request, Endpoint._needs_retry)
    with mock_chime(), mock_chime():
        assert Endpoint.make_request is not original[0]
    assert (Endpoint.make_request, Endpoint._needs_retry) == original


@pytest.mark.slow
def test_a_session_created_before_importing_the_package_never_reaches_aws() -> None:
    """The issue's exact sequence, in a fresh interpreter: session first, import after."""
    script = textwrap.dedent(
        """
        import boto3
        from botocore.config import Config

        session = boto3.Session(region_name="eu-west-2")
        # If the request escaped it would fail fast on this port instead of reaching AWS.
        client = session.client(
            "chime-sdk-meetings",
            config=Config(connect_timeout=1, retries={"total_max_attempts": 1}),
        )
        from chime_calls.testing import mock_chime

        with mock_chime() as fake:
            client.create_meeting(ExternalMeetingId="mt", MediaRegion="eu-west-2")
        print(len(fake.requests), len(fake.meetings))
        """
    )
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "mine", "AWS_SECRET_ACCESS_KEY": "mine"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]


def test_raw_boto3_retries_wait_on_the_fakes_clock(fake: ChimeFake) -> None:
    client = make_session().client(
        "chime-sdk-meetings", config=Config(retries={"mode": "standard", "max_attempts": 3})
    )
    fake.fail_next("GetMeeting", "ServiceUnavailableException", times=2)
    with pytest.raises(ClientError) as missing:
        client.get_meeting(MeetingId=str(uuid.uuid4()))
    assert missing.value.response["Error"]["Code"] == "NotFoundException"
    assert fake.attempts("GetMeeting") == 3
    # botocore's two backoff waits were taken on the virtual clock, not slept
    assert len(fake.clock.sleeps) == 2
    assert fake.clock.monotonic() == pytest.approx(sum(fake.clock.sleeps))


def test_moto_alone_answers_chime_404_with_a_hint() -> None:
    with mock_aws():
        client = boto3.client("chime-sdk-voice", region_name=REGION)
        with pytest.raises(ClientError) as unserved:
            client.create_sip_media_application_call(
                FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
            )
    error = unserved.value.response["Error"]
    assert error["Code"] == "404"
    assert error["Message"].startswith("Not yet implemented (moto has no Chime backend")
    assert "chime_calls.testing.mock_chime()" in error["Message"]


def test_the_hint_touches_no_other_service() -> None:
    """moto's 404 for another service it does not implement stays exactly as moto sent it."""
    with mock_aws():
        client = boto3.client("chime-sdk-messaging", region_name=REGION)
        with pytest.raises(ClientError) as unserved:
            client.list_channel_flows(AppInstanceArn="arn:aws:chime:us-east-1:1:app-instance/x")
    assert unserved.value.response["Error"] == {"Message": "Not yet implemented", "Code": "404"}


def test_no_hint_for_a_real_chime_404(fake: ChimeFake) -> None:
    with mock_aws(), pytest.raises(ClientError) as missing:
        make_session().client("chime-sdk-meetings").get_meeting(MeetingId=str(uuid.uuid4()))
    assert "moto" not in missing.value.response["Error"]["Message"]
