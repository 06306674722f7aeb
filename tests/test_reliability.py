"""Call safety on the fake: retries by operation kind, owned idempotency, pacing, threads.

The fault suite counts the calls the fake actually placed: never a duplicate, never a request
lost without the caller being told.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest

from chime_calls import (
    ChimeCalls,
    ChimeCallsError,
    ConnectError,
    CreateMeetingRequest,
    CreateSipMediaApplicationCallRequest,
    NotFoundError,
    Pacing,
    ResourceLimitExceededError,
    ResponseLostError,
    RetryPolicy,
    ServiceFailureError,
    ServiceUnavailableError,
    ThrottledError,
)
from chime_calls.testing import ChimeFake, MagicNumbers, VirtualClock
from tests.conftest import FROM, TO, make_calls

CALL_PLACING = ("CreateSipMediaApplicationCall", "CreateMeetingDialOut")


def _meeting_with_token(calls: ChimeCalls) -> tuple[str, str]:
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert attendee.join_token is not None
    return meeting.meeting_id, attendee.join_token.reveal()


def _placer(calls: ChimeCalls, operation: str) -> Callable[[], Any]:
    if operation == "CreateSipMediaApplicationCall":
        return lambda: calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    meeting_id, token = _meeting_with_token(calls)
    return lambda: calls.create_meeting_dial_out(
        meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )


# --- the fault suite: calls placed under every fault --------------------------------------------

FAULTS: list[tuple[str, Callable[[ChimeFake, str], None], type[BaseException] | None, int]] = [
    # (name, inject, error the caller sees (None: success), calls placed)
    ("throttle burst", lambda f, op: f.throttle(op, times=2), None, 1),
    ("throttle on every attempt", lambda f, op: f.throttle(op, times=3), ThrottledError, 0),
    ("connection refused", lambda f, op: f.fail_connection(op, times=2), None, 1),
    ("dns failure", lambda f, op: f.fail_connection(op, kind="dns"), None, 1),
    ("connect timeout", lambda f, op: f.fail_connection(op, kind="connect-timeout"), None, 1),
    ("connection down", lambda f, op: f.fail_connection(op, times=3), ConnectError, 0),
    ("500 before acting", lambda f, op: f.fail_next(op), ServiceFailureError, 0),
    ("503 before acting", lambda f, op: f.fail_next(op, "ServiceUnavailableException"),
     ServiceUnavailableError, 0),
    ("500 after acting", lambda f, op: f.lose_answer(op, kind="500"), ServiceFailureError, 1),
    ("503 after acting", lambda f, op: f.lose_answer(op, kind="503"), ServiceUnavailableError, 1),
    ("read timeout", lambda f, op: f.lose_answer(op), ResponseLostError, 1),
    ("connection dropped", lambda f, op: f.lose_answer(op, kind="connection-closed"),
     ResponseLostError, 1),
    ("quota", lambda f, op: f.fail_next(op, "ResourceLimitExceededException"),
     ResourceLimitExceededError, 0),
]  # fmt: skip


@pytest.mark.parametrize("operation", CALL_PLACING)
@pytest.mark.parametrize(("name", "inject", "error", "placed"), FAULTS, ids=[f[0] for f in FAULTS])
def test_call_placing_never_duplicates(
    fake: ChimeFake,
    clock: VirtualClock,
    operation: str,
    name: str,
    inject: Callable[[ChimeFake, str], None],
    error: type[BaseException] | None,
    placed: int,
) -> None:
    calls = make_calls(clock)
    place = _placer(calls, operation)
    inject(fake, operation)
    if error is None:
        place()
    else:
        with pytest.raises(error) as raised:
            place()
        # Whenever the phone may have rung the caller is told so (a 5xx is ambiguous even
        # when the service did nothing: the client cannot tell).
        unknown = raised.value.outcome_unknown  # type: ignore[attr-defined]
        assert unknown or placed == 0
        assert unknown is (
            error in (ServiceFailureError, ServiceUnavailableError, ResponseLostError)
        )
    assert len(fake.calls) == placed
    assert fake.attempts(operation) <= calls.retry.max_attempts


@pytest.mark.chime_fake(unfired_faults="ignore")  # the 9 faults left over are the point
def test_unknown_outcome_is_sent_exactly_once_even_with_many_attempts(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock, retry=RetryPolicy(max_attempts=10))
    fake.lose_answer("CreateSipMediaApplicationCall", kind="500", times=10)
    with pytest.raises(ServiceFailureError):
        _placer(calls, "CreateSipMediaApplicationCall")()
    assert fake.attempts("CreateSipMediaApplicationCall") == 1
    assert fake.pending_faults == [
        "lose_answer('CreateSipMediaApplicationCall', kind='500'): 9 of 10 left"
    ]
    assert clock.sleeps == []


# --- idempotent operations ---------------------------------------------------------------------


def test_get_meeting_retries_server_errors_and_lost_answers(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    fake.fail_next("GetMeeting", "ServiceFailureException")
    fake.lose_answer("GetMeeting")
    assert calls.get_meeting(meeting_id=meeting.meeting_id).meeting_id == meeting.meeting_id
    assert fake.attempts("GetMeeting") == 3
    assert len(clock.sleeps) == 2


def test_create_meeting_reuses_its_token_so_a_lost_answer_makes_one_meeting(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    fake.lose_answer("CreateMeeting", kind="read-timeout")
    fake.throttle("CreateMeeting")
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    assert len(fake.meetings) == 1
    assert fake.meetings[0].meeting_id == meeting.meeting_id
    tokens = {r.params["ClientRequestToken"] for r in fake.requests}
    assert len(tokens) == 1
    assert meeting.client_request_token is not None
    assert meeting.client_request_token.reveal() == tokens.pop()


def test_caller_token_makes_a_later_retry_safe(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, retry=RetryPolicy.off())
    fake.lose_answer("CreateMeeting")
    with pytest.raises(ResponseLostError) as lost:
        calls.create_meeting(
            external_meeting_id="mt", media_region="eu-west-2", client_request_token="job-42"
        )
    assert lost.value.retryable
    again = calls.create_meeting(
        external_meeting_id="mt", media_region="eu-west-2", client_request_token="job-42"
    )
    assert [m.meeting_id for m in fake.meetings] == [again.meeting_id]


def test_delete_meeting_not_found_after_a_lost_answer_is_success(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    fake.lose_answer("DeleteMeeting")
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    assert fake.attempts("DeleteMeeting") == 2
    assert fake.meeting(meeting.meeting_id).deleted
    with pytest.raises(NotFoundError):
        calls.delete_meeting(meeting_id=meeting.meeting_id)


def test_quota_errors_are_never_retried(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock)
    fake.fail_next("CreateMeeting", "LimitExceededException")
    with pytest.raises(ResourceLimitExceededError):
        calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    assert fake.attempts("CreateMeeting") == 1


def test_create_attendee_is_not_resent_after_an_unknown_outcome(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    fake.lose_answer("CreateAttendee")
    with pytest.raises(ResponseLostError):
        calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert len(fake.meeting(meeting.meeting_id).attendees) == 1


# --- Retry-After and policy knobs ---------------------------------------------------------------


def test_retry_after_is_a_floor(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock)
    fake.throttle("CreateSipMediaApplicationCall", retry_after=3)
    _placer(calls, "CreateSipMediaApplicationCall")()
    assert clock.sleeps == [3.0]
    assert len(fake.calls) == 1


def test_magic_unavailable_number_retry_after_on_idempotent_ops_only(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    with pytest.raises(ServiceUnavailableError) as unavailable:
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1",
            from_phone_number=FROM,
            to_phone_number=MagicNumbers.UNAVAILABLE,
        )
    assert unavailable.value.retry_after == 1.0
    assert fake.attempts("CreateSipMediaApplicationCall") == 1


def test_retry_after_as_an_http_date(fake: ChimeFake, clock: VirtualClock) -> None:
    """RFC 9110 allows an HTTP date; it becomes the seconds left until then."""
    calls = make_calls(clock)
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=10)
    fake.throttle("GetMeeting", retry_after=when)
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    assert calls.get_meeting(meeting_id=meeting.meeting_id).meeting_id == meeting.meeting_id
    (wait,) = clock.sleeps
    assert 5.0 <= wait <= 10.0  # whole seconds on the wire, minus the time the test took
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    fake.fail_next("GetMeeting", "ServiceUnavailableException", retry_after=past)
    calls.get_meeting(meeting_id=meeting.meeting_id)
    assert clock.sleeps[1] < 1.0  # a date in the past is no floor at all


def test_tls_failure_after_sending_is_an_unknown_outcome(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    """A TLS error can come mid-response, after the call was placed: never re-sent."""
    calls = make_calls(clock)
    fake.lose_answer("CreateSipMediaApplicationCall", kind="tls")
    with pytest.raises(ResponseLostError) as lost:
        _placer(calls, "CreateSipMediaApplicationCall")()
    assert lost.value.outcome_unknown
    assert fake.attempts("CreateSipMediaApplicationCall") == 1
    assert len(fake.calls) == 1  # it was placed; the client only lost the answer
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    fake.lose_answer("GetMeeting", kind="tls")
    assert calls.get_meeting(meeting_id=meeting.meeting_id).meeting_id == meeting.meeting_id
    assert fake.attempts("GetMeeting") == 2  # idempotent: retried


def test_retry_after_beyond_the_limit_gives_up(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, retry=RetryPolicy(max_retry_after=5))
    fake.throttle("GetMeeting", retry_after=60)
    with pytest.raises(ThrottledError) as throttled:
        calls.get_meeting(meeting_id="00000000-0000-0000-0000-000000000000")
    assert throttled.value.retry_after == 60
    assert clock.sleeps == []


def test_ignoring_retry_after_and_backoff_bounds(fake: ChimeFake, clock: VirtualClock) -> None:
    policy = RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=1.0, honour_retry_after=False)
    calls = make_calls(clock, retry=policy)
    fake.throttle("CreateSipMediaApplicationCall", times=3, retry_after=30)
    _placer(calls, "CreateSipMediaApplicationCall")()
    assert len(clock.sleeps) == 3
    assert all(0 <= wait <= 1.0 for wait in clock.sleeps)


def test_retries_off(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, retry=RetryPolicy.off())
    fake.throttle("CreateSipMediaApplicationCall")
    with pytest.raises(ThrottledError) as throttled:
        _placer(calls, "CreateSipMediaApplicationCall")()
    assert throttled.value.retryable
    assert fake.attempts("CreateSipMediaApplicationCall") == 1


def test_pacing_keeps_a_burst_under_the_service_rate(fake: ChimeFake) -> None:
    """The fake throttles beyond its rate like the service; paced calls stay under it."""
    fake.rate_limit("CreateSipMediaApplicationCall", per_second=20, burst=1)
    calls = make_calls(
        retry=RetryPolicy.off(), pacing=Pacing(rates={"CreateSipMediaApplicationCall": 10})
    )
    for _ in range(4):
        _placer(calls, "CreateSipMediaApplicationCall")()
    assert len(fake.calls) == 4
    assert all(r.error_code is None for r in fake.requests)


def test_documented_quotas_come_from_each_operations_spec() -> None:
    pacing = Pacing.documented_quotas()
    assert (
        pacing.rate_for(
            "CreateSipMediaApplicationCall", CreateSipMediaApplicationCallRequest.spec.rate
        )
        == 1
    )
    assert pacing.rate_for("CreateMeeting", CreateMeetingRequest.spec.rate) == 10
    # an explicit rate (your account's raised quota) wins over the documented one
    raised = Pacing(rates={"CreateMeeting": 25.0}, documented=True)
    assert raised.rate_for("CreateMeeting", CreateMeetingRequest.spec.rate) == 25.0


# --- threads ------------------------------------------------------------------------------------


@pytest.mark.chime_fake(quotas=False)  # 120 calls at once: about the faults, not AWS's 1/s
def test_many_threads_share_one_facade_and_every_call_is_accounted_for(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock, retry=RetryPolicy(max_attempts=10, base_delay=0))
    fake.throttle("CreateSipMediaApplicationCall", times=5)
    fake.lose_answer("CreateSipMediaApplicationCall", times=3)
    fake.fail_connection("CreateSipMediaApplicationCall", times=4)
    outcomes: list[str] = []
    lock = threading.Lock()
    counter = itertools.count()

    def work() -> None:
        for _ in range(10):
            number = f"+1425555{next(counter):04d}"
            try:
                calls.create_sip_media_application_call(
                    sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=number
                )
                result = "ok"
            except ChimeCallsError as exc:
                result = "unknown" if exc.outcome_unknown else type(exc).__name__
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 120
    assert outcomes.count("unknown") == 3
    assert outcomes.count("ok") == 117
    numbers = [call.to_phone_number for call in fake.calls]
    assert len(numbers) == len(set(numbers)) == 120, "each number rang exactly once"
    assert len(calls._clients) == 1
