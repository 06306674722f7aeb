"""``chime-calls fake serve``: the fake over a real socket, for boto3 with ``endpoint_url`` and
for plain HTTP clients (what the AWS CLI and the JavaScript and Java SDKs send)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from chime_calls.sma import dial_out_handler
from chime_calls.testing._server import FakeServer
from tests.conftest import FROM, OTHER_FROM, REGION, TO

NO_RETRIES = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(sma_handlers={"sma-1": dial_out_handler}) as running:
        # as AWS needs them: the applications, the numbers they call from, the SIP rules
        for sma, number in (("sma-1", FROM), ("sma-2", OTHER_FROM)):
            body = {"sip_media_application_id": sma, "phone_number": number, "region": REGION}
            assert http(running, "POST", "/_chime/provision", body)[0] == 200
        yield running


def client(server: FakeServer, service: str, path: str = "", config: Config = NO_RETRIES) -> Any:
    return boto3.Session(
        aws_access_key_id="any", aws_secret_access_key="any", region_name=REGION
    ).client(service, endpoint_url=server.url + path, config=config)


def http(server: FakeServer, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our server
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_boto3_meetings_and_calls_over_a_socket(server: FakeServer) -> None:
    meetings = client(server, "chime-sdk-meetings")
    meeting = meetings.create_meeting(ExternalMeetingId="standup", MediaRegion=REGION)["Meeting"]
    attendee = meetings.create_attendee(MeetingId=meeting["MeetingId"], ExternalUserId="bob")[
        "Attendee"
    ]
    assert meetings.get_meeting(MeetingId=meeting["MeetingId"])["Meeting"] == meeting
    voice = client(server, "chime-sdk-voice")
    placed = voice.create_sip_media_application_call(
        FromPhoneNumber=FROM,
        ToPhoneNumber=TO,
        SipMediaApplicationId="sma-1",
        ArgumentsMap={"MeetingId": meeting["MeetingId"], "JoinToken": attendee["JoinToken"]},
    )
    assert placed["ResponseMetadata"]["HTTPStatusCode"] == 201
    (call,) = server.fake.calls
    assert call.transaction_id == placed["SipMediaApplicationCall"]["TransactionId"]
    assert call.joined_meeting_id == meeting["MeetingId"]  # the SMA handler played it
    assert call.region == REGION  # read from the signature's credential scope
    deleted = meetings.delete_meeting(MeetingId=meeting["MeetingId"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_errors_keep_the_wire_format(server: FakeServer) -> None:
    meetings = client(server, "chime-sdk-meetings")
    with pytest.raises(ClientError) as missing:
        meetings.get_meeting(MeetingId="11111111-2222-3333-4444-555555555555")
    assert missing.value.response["Error"]["Code"] == "NotFoundException"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as invalid:  # boto3's own validation is off here
        client(
            server, "chime-sdk-voice", config=NO_RETRIES.merge(Config(parameter_validation=False))
        ).create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber="555-0199", SipMediaApplicationId="sma-1"
        )
    assert invalid.value.response["Error"]["Code"] == "BadRequestException"
    assert "toPhoneNumber" in invalid.value.response["Error"]["Message"]


def test_a_service_path_prefix_picks_the_namespace(server: FakeServer) -> None:
    voice = client(server, "chime-sdk-voice", "/chime-sdk-voice")
    voice.create_sip_media_application_call(
        FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
    )
    assert server.fake.requests[-1].service == "chime-sdk-voice"
    meetings = client(server, "chime-sdk-meetings", "/chime-sdk-meetings")
    meetings.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
    assert server.fake.requests[-1].operation == "CreateMeeting"


def test_state_reset_and_faults_over_http(server: FakeServer) -> None:
    meetings = client(server, "chime-sdk-meetings")
    meeting_id = meetings.create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)["Meeting"][
        "MeetingId"
    ]
    status, state = http(server, "GET", "/_chime/state")
    assert status == 200
    assert [m["meeting_id"] for m in state["meetings"]] == [meeting_id]
    assert state["requests"][0]["operation"] == "CreateMeeting"

    status, faults = http(
        server, "POST", "/_chime/faults", {"fault": "throttle", "operation": "get_meeting"}
    )
    assert (status, faults) == (200, {"pending_faults": ["throttle('GetMeeting'): 1 of 1 left"]})
    with pytest.raises(ClientError) as throttled:
        meetings.get_meeting(MeetingId=meeting_id)
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"

    status, refused = http(
        server, "POST", "/_chime/faults", {"fault": "throttle", "operation": "GetMeetin"}
    )
    assert status == 400
    assert "did you mean 'GetMeeting'" in refused["error"]
    status, refused = http(server, "POST", "/_chime/faults", {"fault": "explode"})
    assert status == 400

    assert http(server, "POST", "/_chime/reset", {}) == (200, {"ok": True})
    assert http(server, "GET", "/_chime/state")[1]["meetings"] == []


def test_provisioning_over_http(server: FakeServer) -> None:
    status, refused = http(server, "POST", "/_chime/provision", {"handler": "x"})
    assert status == 400
    assert "unknown option(s) 'handler'" in refused["error"]
    status, refused = http(server, "POST", "/_chime/provision", {"region": "us-east-9"})
    assert status == 400  # the fake's own check, as a ValueError
    status, made = http(server, "POST", "/_chime/provision", {"region": "us-east-1"})
    assert status == 200
    assert made["region"] == "us-east-1"
    assert made["phone_number"].startswith("+1206555")
    voice = boto3.Session(
        aws_access_key_id="any", aws_secret_access_key="any", region_name="us-east-1"
    ).client("chime-sdk-voice", endpoint_url=server.url, config=NO_RETRIES)
    voice.create_sip_media_application_call(
        FromPhoneNumber=made["phone_number"],
        ToPhoneNumber=TO,
        SipMediaApplicationId=made["sip_media_application_id"],
    )
    # the application given --sma-handler plays its handler once provisioned
    assert server.fake.calls[-1].sma is None
    assert http(server, "POST", "/_chime/reset", {}) == (200, {"ok": True})
    with pytest.raises(ClientError) as gone:  # reset forgets what was provisioned
        client(server, "chime-sdk-voice").create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
        )
    assert gone.value.response["Error"]["Code"] == "NotFoundException"


def test_transport_faults_drop_the_connection(server: FakeServer) -> None:
    http(
        server,
        "POST",
        "/_chime/faults",
        {"fault": "lose_answer", "operation": "CreateSipMediaApplicationCall"},
    )
    voice = client(server, "chime-sdk-voice")
    with pytest.raises(ConnectionClosedError):
        voice.create_sip_media_application_call(
            FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
        )
    assert len(server.fake.calls) == 1  # it acted, then the answer was lost


def test_the_virtual_clock_moves_over_http(server: FakeServer) -> None:
    voice = client(server, "chime-sdk-voice")
    voice.create_sip_media_application_call(
        FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
    )
    with pytest.raises(ClientError) as throttled:  # AWS's quota: one call per second
        voice.create_sip_media_application_call(
            FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
        )
    assert throttled.value.response["Error"]["Code"] == "ThrottledClientException"
    assert http(server, "POST", "/_chime/advance", {"seconds": 1}) == (200, {"monotonic": 1.0})
    voice.create_sip_media_application_call(
        FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
    )


def test_plain_http_as_other_sdks_send_it(server: FakeServer) -> None:
    """What an unsigned client in another language sends: JSON on the documented path."""
    body = {"ExternalMeetingId": "js", "MediaRegion": "us-east-1", "ClientRequestToken": "t-1"}
    status, created = http(server, "POST", "/meetings", body)
    assert status == 200
    meeting_id = created["Meeting"]["MeetingId"]
    status, attendee = http(
        server, "POST", f"/meetings/{meeting_id}/attendees", {"ExternalUserId": "js-user"}
    )
    assert status == 200
    assert attendee["Attendee"]["JoinToken"]
    status, unknown = http(server, "GET", "/no-such-thing")
    assert status == 404
    assert "no Chime operation" in unknown["error"]
    status, unserved = http(server, "GET", "/voice-connectors")
    assert (status, unserved["Code"]) == (501, "NotImplemented")


def test_calls_can_be_driven_over_http(server: FakeServer) -> None:
    placed = client(server, "chime-sdk-voice").create_sip_media_application_call(
        FromPhoneNumber=OTHER_FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-2"
    )
    transaction = placed["SipMediaApplicationCall"]["TransactionId"]
    status, _ = http(server, "POST", f"/_chime/calls/{transaction}/hang-up", {})
    assert status == 200
    status, missing = http(server, "POST", "/_chime/calls/nope/hang-up", {})
    assert status == 400
    assert "KeyError" in missing["error"]


@pytest.mark.slow
def test_the_command_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "chime_calls", "fake", "serve", "--port", "0", "--no-quotas"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" on ")[1].split(" ")[0]
        meetings = boto3.Session(
            aws_access_key_id="any", aws_secret_access_key="any", region_name=REGION
        ).client("chime-sdk-meetings", endpoint_url=url, config=NO_RETRIES)
        meeting = meetings.create_meeting(ExternalMeetingId="cli", MediaRegion=REGION)
        assert meeting["Meeting"]["ExternalMeetingId"] == "cli"
        assert "quotas off" in banner
    finally:
        process.terminate()
        process.communicate(timeout=30)
