"""The ``chime_calls`` logger and error messages never carry sensitive values."""

from __future__ import annotations

import logging

import pytest

from chime_calls import BadRequestError, ChimeCalls, ResponseLostError, RetryPolicy
from chime_calls.testing import ChimeFake, VirtualClock
from tests.conftest import FROM, TO, make_calls

SECRET_MEETING = "secret-standup-7"
SECRET_USER = "alice@example.com"


def _everything(calls: ChimeCalls) -> list[str]:
    """Run every operation; return the sensitive values involved."""
    meeting = calls.create_meeting(
        external_meeting_id=SECRET_MEETING,
        media_region="eu-west-2",
        meeting_host_id="host-secret-1",
    )
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id=SECRET_USER)
    assert attendee.join_token is not None
    token = attendee.join_token.reveal()
    calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-1",
        from_phone_number=FROM,
        to_phone_number=TO,
        sip_headers={"X-Secret-Header": "header-value-9"},
        arguments_map={"ticket-key-3": "argument-value-4"},
    )
    calls.update_sip_media_application_call(
        sip_media_application_id="sma-1",
        transaction_id=call.transaction_id,
        arguments={"update-key-5": "update-value-6"},
    )
    calls.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=FROM,
        to_phone_number=TO,
        join_token=token,
        correlation_id="corr-1",
    )
    calls.get_meeting(meeting_id=meeting.meeting_id)
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    assert meeting.client_request_token is not None
    return [
        SECRET_MEETING,
        SECRET_USER,
        "host-secret-1",
        token,
        FROM,
        TO,
        FROM[2:],
        TO[2:],
        "X-Secret-Header",
        "header-value-9",
        "ticket-key-3",
        "argument-value-4",
        "update-key-5",
        "update-value-6",
        meeting.client_request_token.reveal(),
    ]


def _rendered(record: logging.LogRecord) -> str:
    return record.getMessage() + repr(record.__dict__)


@pytest.mark.chime_fake(quotas=False)  # calls back to back; about what is logged
def test_one_debug_record_per_attempt_without_secrets(
    fake: ChimeFake, calls: ChimeCalls, caplog: pytest.LogCaptureFixture
) -> None:
    fake.throttle("GetMeeting")
    with caplog.at_level(logging.DEBUG, logger="chime_calls"):
        secrets = _everything(calls)
    ours = [r for r in caplog.records if r.name.startswith("chime_calls")]
    attempts = [r for r in ours if hasattr(r, "chime_attempt")]
    assert len(attempts) == len(fake.requests)
    throttled = [r for r in attempts if r.chime_operation == "GetMeeting"]
    assert [(r.chime_attempt, r.chime_outcome) for r in throttled] == [
        (1, "ThrottledError; retry"),
        (2, "ok"),
    ]
    for record in attempts:
        assert record.levelno == logging.DEBUG
        assert record.chime_service in {"chime-sdk-meetings", "chime-sdk-voice", "chime"}
        assert record.chime_latency_ms >= 0
        assert record.chime_request_id is not None
    for record in ours:
        text = _rendered(record)
        for secret in secrets:
            assert secret not in text, (secret, record.getMessage())


def test_warning_on_unknown_outcome(
    fake: ChimeFake, clock: VirtualClock, caplog: pytest.LogCaptureFixture
) -> None:
    calls = make_calls(clock)
    fake.lose_answer("CreateSipMediaApplicationCall")
    with (
        caplog.at_level(logging.WARNING, logger="chime_calls"),
        pytest.raises(ResponseLostError),
    ):
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "NOT being re-sent" in warning.getMessage()
    assert warning.chime_operation == "CreateSipMediaApplicationCall"
    assert TO not in _rendered(warning)


def test_service_messages_that_echo_values_are_scrubbed(fake: ChimeFake, calls: ChimeCalls) -> None:
    echoed = f"Invalid number {TO} from {FROM} with argument-value-4 (also 14255550199)"
    fake.fail_next("CreateSipMediaApplicationCall", "BadRequestException", message=echoed)
    with pytest.raises(BadRequestError) as bad:
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1",
            from_phone_number=FROM,
            to_phone_number=TO,
            arguments_map={"k": "argument-value-4"},
        )
    error = bad.value
    for text in (str(error), repr(error), error.message, *map(str, error.args)):
        assert TO not in text
        assert FROM not in text
        assert "14255550199" not in text
        assert "argument-value-4" not in text
    assert "<redacted>" in error.message


def test_join_token_echoed_by_the_service_is_scrubbed(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, retry=RetryPolicy.off())
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert attendee.join_token is not None
    token = attendee.join_token.reveal()
    fake.fail_next("CreateMeetingDialOut", "BadRequestException", message=f"bad token {token}")
    with pytest.raises(BadRequestError) as bad:
        calls.create_meeting_dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=FROM,
            to_phone_number=TO,
            join_token=token,
        )
    assert token not in str(bad.value)
    assert token not in repr(bad.value)


def test_facade_and_results_reprs(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting = calls.create_meeting(external_meeting_id=SECRET_MEETING, media_region="eu-west-2")
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id=SECRET_USER)
    shown = repr(calls) + repr(meeting) + repr(attendee) + str(attendee)
    assert SECRET_MEETING not in shown
    assert SECRET_USER not in shown
    assert attendee.join_token is not None
    assert attendee.join_token.reveal() not in shown
