"""Every fault kind the fake injects, seen through a plain boto3 client (retries off)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from chime_calls.testing import ChimeFake, MagicNumbers
from tests.conftest import FROM, REGION, TO, make_session

NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def voice(config: Config = NO_RETRIES) -> Any:
    return make_session().client("chime-sdk-voice", config=config)


def meetings() -> Any:
    return make_session().client("chime-sdk-meetings", config=NO_RETRIES)


def place(client: Any, to: str = TO) -> dict[str, Any]:
    response: dict[str, Any] = client.create_sip_media_application_call(
        FromPhoneNumber=FROM, ToPhoneNumber=to, SipMediaApplicationId="sma-1"
    )
    return response


def test_fail_next_with_modelled_and_unmodelled_codes(fake: ChimeFake) -> None:
    fake.fail_next("CreateSipMediaApplicationCall", "ServiceUnavailableException", times=2)
    fake.fail_next("CreateSipMediaApplicationCall", "ValidationException", message="nope")
    client = voice()
    for _ in range(2):
        with pytest.raises(ClientError) as unavailable:
            place(client)
        assert unavailable.value.response["Error"]["Code"] == "ServiceUnavailableException"
        assert unavailable.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    with pytest.raises(ClientError) as undeclared:
        place(client)
    assert undeclared.value.response["Error"] == {"Code": "ValidationException", "Message": "nope"}
    assert undeclared.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    place(client)
    assert len(fake.calls) == 1
    assert [r.fault for r in fake.requests] == ["fail_next"] * 3 + [None]


def test_fail_next_any_operation_and_explicit_status(fake: ChimeFake) -> None:
    fake.fail_next(None, "Teapot", status=418)
    with pytest.raises(ClientError) as teapot:
        meetings().get_meeting(MeetingId=str(uuid.uuid4()))
    assert teapot.value.response["ResponseMetadata"]["HTTPStatusCode"] == 418
    with pytest.raises(ValueError, match="at least 1"):
        fake.fail_next("GetMeeting", times=0)


def test_throttle_uses_each_service_code_and_retry_after(fake: ChimeFake) -> None:
    fake.throttle("CreateSipMediaApplicationCall", retry_after=2)
    fake.throttle("CreateMeeting")
    with pytest.raises(ClientError) as voice_throttle:
        place(voice())
    response = voice_throttle.value.response
    assert response["Error"]["Code"] == "ThrottledClientException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "2"
    with pytest.raises(ClientError) as meetings_throttle:
        meetings().create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
    assert meetings_throttle.value.response["Error"]["Code"] == "ThrottlingException"
    assert fake.calls == []
    assert fake.meetings == []


def test_rate_limit_throttles_bursts(fake: ChimeFake) -> None:
    fake.rate_limit("CreateSipMediaApplicationCall", per_second=0.001, burst=2)
    client = voice()
    place(client)
    place(client)
    with pytest.raises(ClientError) as burst:
        place(client)
    assert burst.value.response["Error"]["Code"] == "ThrottledClientException"
    assert len(fake.calls) == 2
    assert fake.requests[-1].fault == "rate_limit"


def test_latency_delays_but_answers(fake: ChimeFake) -> None:
    fake.latency(0.01, "CreateSipMediaApplicationCall")
    assert place(voice())["SipMediaApplicationCall"]["TransactionId"]
    fake.latency(0, "CreateSipMediaApplicationCall")
    assert fake._latency == []


@pytest.mark.parametrize(
    ("kind", "exception"),
    [
        ("refused", EndpointConnectionError),
        ("dns", EndpointConnectionError),
        ("connect-timeout", ConnectTimeoutError),
    ],
)
def test_connection_failures_change_nothing(
    fake: ChimeFake, kind: Any, exception: type[Exception]
) -> None:
    fake.fail_connection("CreateSipMediaApplicationCall", kind=kind)
    with pytest.raises(exception):
        place(voice())
    assert fake.calls == []
    assert fake.requests[0].status is None
    assert fake.requests[0].fault == f"connect:{kind}"
    place(voice())
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    ("kind", "exception", "status"),
    [
        ("read-timeout", ReadTimeoutError, None),
        ("connection-closed", ConnectionClosedError, None),
        ("500", ClientError, 500),
        ("503", ClientError, 503),
        ("504", ClientError, 504),
    ],
)
def test_lost_answers_still_change_state(
    fake: ChimeFake, kind: Any, exception: type[Exception], status: int | None
) -> None:
    fake.lose_answer("CreateSipMediaApplicationCall", kind=kind)
    with pytest.raises(exception):
        place(voice())
    assert len(fake.calls) == 1, "the phone rang even though the client saw a failure"
    assert fake.requests[0].status == status
    fake.lose_answer("CreateMeeting", kind=kind)
    with pytest.raises(exception):
        meetings().create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
    assert len(fake.meetings) == 1


# botocore's own backoff before the retry is under a second: AWS's 1/s quota would throttle it
@pytest.mark.chime_fake(quotas=False)
def test_raw_boto3_retries_ring_the_phone_twice(fake: ChimeFake) -> None:
    """What chime-calls exists to prevent: botocore's default retries re-send the POST."""
    fake.lose_answer("CreateSipMediaApplicationCall", kind="500")
    client = voice(Config(retries={"mode": "standard", "max_attempts": 3}))
    place(client)
    assert len(fake.calls) == 2


@pytest.mark.parametrize(
    ("number", "code", "status"),
    [
        (MagicNumbers.THROTTLED, "ThrottledClientException", 429),
        (MagicNumbers.FAILURE, "ServiceFailureException", 500),
        (MagicNumbers.UNAVAILABLE, "ServiceUnavailableException", 503),
    ],
)
def test_magic_numbers_that_never_place(
    fake: ChimeFake, number: str, code: str, status: int
) -> None:
    for _ in range(2):
        with pytest.raises(ClientError) as failed:
            place(voice(), number)
        assert failed.value.response["Error"]["Code"] == code
        assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
        fake.advance(1)  # AWS's quota: one CreateSipMediaApplicationCall per second
    assert fake.calls == []


def test_magic_numbers_that_place(fake: ChimeFake) -> None:
    place(voice(), MagicNumbers.BUSY)
    fake.advance(1)  # AWS's quota: one CreateSipMediaApplicationCall per second
    place(voice(), MagicNumbers.NO_ANSWER)
    fake.advance(1)
    with pytest.raises(ReadTimeoutError):
        place(voice(), MagicNumbers.ANSWER_LOST)
    assert [call.answer for call in fake.calls] == ["busy", "no-answer", "answered"]
    assert fake.requests[-1].fault == "magic:answer-lost"


def test_magic_unavailable_sends_retry_after(fake: ChimeFake) -> None:
    with pytest.raises(ClientError) as unavailable:
        place(voice(), MagicNumbers.UNAVAILABLE)
    assert unavailable.value.response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"


def test_faults_are_consumed_in_order_and_per_operation(fake: ChimeFake) -> None:
    fake.fail_next("GetMeeting", "NotFoundException")
    fake.throttle("CreateSipMediaApplicationCall")
    place_error = None
    try:
        place(voice())
    except ClientError as exc:
        place_error = exc.response["Error"]["Code"]
    assert place_error == "ThrottledClientException"
    place(voice())
    assert fake.attempts("CreateSipMediaApplicationCall") == 2
    assert len(fake.calls) == 1
    assert fake.pending_faults == ["fail_next('GetMeeting', 'NotFoundException'): 1 of 1 left"]
    with pytest.raises(ClientError) as not_found:
        meetings().get_meeting(MeetingId=str(uuid.uuid4()))
    assert not_found.value.response["Error"]["Code"] == "NotFoundException"
    assert fake.pending_faults == []
