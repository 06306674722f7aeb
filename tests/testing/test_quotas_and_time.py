"""Time is virtual and AWS's documented quotas apply by default, without slowing any test."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chime_calls import ChimeCalls, Pacing, ThrottledError
from chime_calls._spec import all_request_types
from chime_calls.testing import ChimeFake, mock_chime
from tests.conftest import FROM, REGION, SMA, TO, make_session

NO_RETRIES = Config(retries={"total_max_attempts": 1})


def voice(region: str = REGION) -> Any:
    return make_session(region).client("chime-sdk-voice", config=NO_RETRIES)


def meetings() -> Any:
    return make_session().client("chime-sdk-meetings", config=NO_RETRIES)


def place(client: Any, sma: str = SMA) -> None:
    client.create_sip_media_application_call(
        FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId=sma
    )


def test_the_documented_rates_come_from_the_specs() -> None:
    rates = {cls.spec.operation: cls.spec.rate for cls in all_request_types() if cls.spec.rate}
    assert rates["CreateSipMediaApplicationCall"] == 1.0
    assert rates["CreateMeeting"] == rates["CreateAttendee"] == 10.0


def test_one_sip_media_application_call_per_second(fake: ChimeFake) -> None:
    client = voice()
    place(client)
    with pytest.raises(ClientError) as throttled:
        place(client)
    assert throttled.value.response["Error"]["Code"] == "ThrottledClientException"
    assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert fake.requests[-1].fault == "quota"
    fake.provision_sip_media_application("sma-east", phone_number=FROM, region="us-east-1")
    place(voice("us-east-1"), "sma-east")  # quotas are per region
    fake.advance(1)
    place(client)
    assert len(fake.calls) == 3


def test_meetings_at_ten_per_second(fake: ChimeFake) -> None:
    client = meetings()
    for n in range(10):
        client.create_meeting(ExternalMeetingId=f"m{n}", MediaRegion=REGION)
    with pytest.raises(ClientError) as throttled:
        client.create_meeting(ExternalMeetingId="m10", MediaRegion=REGION)
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
    fake.advance(0.1)  # a tenth of a second buys one more
    client.create_meeting(ExternalMeetingId="m10", MediaRegion=REGION)
    assert len(fake.meetings) == 11


def test_quotas_can_be_turned_off_or_replaced() -> None:
    with mock_chime(quotas=False) as fake:
        fake.provision_sip_media_application(SMA, phone_number=FROM, region=REGION)
        client = voice()
        for _ in range(5):
            place(client)
        assert len(fake.calls) == 5
    with mock_chime() as fake:
        fake.provision_sip_media_application(SMA, phone_number=FROM, region=REGION)
        fake.rate_limit("create_sip_media_application_call", per_second=5, burst=5)
        client = voice()
        for _ in range(5):
            place(client)
        with pytest.raises(ClientError):
            place(client)
        assert fake.requests[-1].fault == "rate_limit"


def test_the_facade_paces_on_the_fakes_clock(fake: ChimeFake) -> None:
    calls = ChimeCalls(
        session=make_session(), region_name=REGION, pacing=Pacing.documented_quotas()
    )
    for _ in range(3):
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    assert len(fake.calls) == fake.attempts("CreateSipMediaApplicationCall") == 3
    assert fake.clock.monotonic() == pytest.approx(2.0)  # two waits of a second, none real


def test_a_throttled_facade_retries_after_virtual_time(fake: ChimeFake) -> None:
    calls = ChimeCalls(session=make_session(), region_name=REGION)
    fake.throttle("CreateMeeting", retry_after=20)
    meeting = calls.create_meeting(external_meeting_id="mt", media_region=REGION)
    assert fake.meeting(meeting.meeting_id).meeting_id == meeting.meeting_id
    assert fake.clock.sleeps[0] >= 20  # Retry-After honoured on the fake's clock
    place(voice())
    with pytest.raises(ThrottledError):  # the facade's short backoff cannot wait out 1/s
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )


def test_latency_passes_on_the_clock(fake: ChimeFake) -> None:
    fake.latency(30, "GetMeeting")
    fake.latency(2)
    meetings().create_meeting(ExternalMeetingId="mt", MediaRegion=REGION)
    assert fake.clock.monotonic() == 2
    with pytest.raises(ClientError):
        meetings().get_meeting(MeetingId="11111111-2222-3333-4444-555555555555")
    assert fake.clock.monotonic() == 34


def test_real_time_is_opt_in() -> None:
    with mock_chime(real_time=True) as fake:
        with pytest.raises(TypeError, match="virtual clock"):
            fake.advance(1)
        assert fake.quotas
