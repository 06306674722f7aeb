"""The fake's callees: rules for how they answer, on the clock, and the concurrent-call quota."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chime_calls.sma import response
from chime_calls.testing import ChimeFake, MagicNumbers

TO = "+14255550199"


def listens(event: object, context: object) -> dict[str, object]:
    """Answers with nothing: the call stays up until the callee hangs up."""
    return response()


def _place(chime: ChimeFake, to: str = TO) -> str:
    voice = boto3.client(
        "chime-sdk-voice", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )
    return str(
        voice.create_sip_media_application_call(
            FromPhoneNumber="+12065550100", ToPhoneNumber=to, SipMediaApplicationId="sma-1"
        )["SipMediaApplicationCall"]["TransactionId"]
    )


@pytest.mark.chime_fake(quotas=False)
def test_callees_ring_answer_and_hang_up_on_the_clock(chime_fake: ChimeFake) -> None:
    chime_fake.provision_sip_media_application(
        "sma-1", phone_number="+12065550100", handler=listens
    )
    chime_fake.callee_rule(ring_seconds=5, talk_seconds=20)
    chime_fake.callee_rule(lambda number: number.endswith("98"), answer="busy", ring_seconds=2)
    _place(chime_fake)
    _place(chime_fake, "+14255550198")
    _place(chime_fake, MagicNumbers.NO_ANSWER)  # magic numbers win over rules
    ringing, busy, unanswered = (call.sma for call in chime_fake.calls)
    assert ringing is not None
    assert busy is not None
    assert unanswered is not None
    assert (ringing.outcome, busy.outcome) == ("ringing", "ringing")
    assert unanswered.outcome == "unanswered"  # magic numbers win over rules, at once
    chime_fake.advance(5)
    ringing, busy, unanswered = (call.sma for call in chime_fake.calls)
    assert ringing is not None
    assert busy is not None
    assert unanswered is not None
    assert ringing.outcome == "connected"
    assert ringing.event_types[-1] == "CALL_ANSWERED"
    assert ringing.events[-1]["Sequence"] == 3
    assert (busy.outcome, busy.reason, unanswered.reason) == ("unanswered", "busy", "no-answer")
    chime_fake.advance(20)
    done = chime_fake.calls[0].sma
    assert done is not None
    assert done.ended
    assert done.event_types[-1] == "HANGUP"
    stamps = [
        int(e["CallDetails"]["Participants"][0]["StartTimeInMilliseconds"]) for e in done.events
    ]
    assert len(set(stamps)) == 1  # the leg's start, as AWS sends it on every event


def test_rules_are_checked(chime_fake: ChimeFake) -> None:
    with pytest.raises(ValueError, match="answer must be"):
        chime_fake.callee_rule(answer="voicemail")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        chime_fake.callee_rule(ring_seconds=-1)
    with pytest.raises(ValueError, match="at least 1"):
        chime_fake.limit_concurrent_calls(0)


@pytest.mark.chime_fake(quotas=False)
def test_the_concurrent_call_quota(chime_fake: ChimeFake) -> None:
    chime_fake.provision_sip_media_application(
        "sma-1", phone_number="+12065550100", handler=listens
    )
    chime_fake.callee_rule(talk_seconds=30)
    chime_fake.limit_concurrent_calls(2)
    _place(chime_fake)
    _place(chime_fake)
    with pytest.raises(ClientError) as refused:
        _place(chime_fake)
    assert refused.value.response["Error"]["Code"] == "ResourceLimitExceededException"
    assert chime_fake.requests[-1].fault == "concurrent_calls"
    chime_fake.advance(30)  # both callees hang up
    _place(chime_fake)
    chime_fake.limit_concurrent_calls(None)
    _place(chime_fake)
    assert len(chime_fake.calls) == 4
