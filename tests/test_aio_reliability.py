"""Call safety of AsyncChimeCalls: the sync suite's fault matrix (tests/test_reliability.py),
through aiobotocore, and many tasks on one facade. Never a duplicate call, never a lost one."""

from __future__ import annotations

import pytest

# The async extra's aiobotocore pins botocore, so these run in CI's async environment
# (pip install -e '.[test,async]'); elsewhere they are skipped.
pytest.importorskip("aiobotocore")

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from chime_calls import (
    ChimeCallsError,
    NotFoundError,
    Pacing,
    ResponseLostError,
    RetryPolicy,
    ServiceFailureError,
    ServiceUnavailableError,
)
from chime_calls.aio import AsyncChimeCalls
from chime_calls.testing import ChimeFake, VirtualClock
from tests._aio import make_async_calls
from tests.conftest import FROM, REGION, TO
from tests.test_reliability import CALL_PLACING, FAULTS


async def _placer(calls: AsyncChimeCalls, operation: str) -> Callable[[], Awaitable[Any]]:
    if operation == "CreateSipMediaApplicationCall":
        return lambda: calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
    attendee = await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert attendee.join_token is not None
    token = attendee.join_token
    return lambda: calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=token
    )


@pytest.mark.parametrize("operation", CALL_PLACING)
@pytest.mark.parametrize(("name", "inject", "error", "placed"), FAULTS, ids=[f[0] for f in FAULTS])
async def test_call_placing_never_duplicates(
    fake: ChimeFake,
    clock: VirtualClock,
    operation: str,
    name: str,
    inject: Callable[[ChimeFake, str], None],
    error: type[BaseException] | None,
    placed: int,
) -> None:
    async with make_async_calls(clock) as calls:
        place = await _placer(calls, operation)
        inject(fake, operation)
        if error is None:
            await place()
        else:
            with pytest.raises(error) as raised:
                await place()
            unknown = raised.value.outcome_unknown  # type: ignore[attr-defined]
            assert unknown or placed == 0
            assert unknown is (
                error in (ServiceFailureError, ServiceUnavailableError, ResponseLostError)
            )
    assert len(fake.calls) == placed
    assert fake.attempts(operation) <= calls.retry.max_attempts


async def test_idempotent_operations_are_retried_and_the_token_is_reused(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    async with make_async_calls(clock) as calls:
        fake.lose_answer("CreateMeeting", kind="read-timeout")
        fake.throttle("CreateMeeting", retry_after=3)
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        fake.fail_next("GetMeeting", "ServiceFailureException")
        fake.lose_answer("GetMeeting", kind="tls")
        got = await calls.get_meeting(meeting_id=meeting.meeting_id)
        fake.lose_answer("DeleteMeeting")
        await calls.delete_meeting(meeting_id=meeting.meeting_id)  # NotFound on retry: done
        with pytest.raises(NotFoundError):
            await calls.delete_meeting(meeting_id=meeting.meeting_id)
    assert got.meeting_id == meeting.meeting_id
    assert len(fake.meetings) == 1
    assert (
        len(
            {
                r.params["ClientRequestToken"]
                for r in fake.requests
                if r.params.get("ClientRequestToken")
            }
        )
        == 1
    )
    assert 3.0 in clock.sleeps  # Retry-After is a floor
    assert fake.attempts("GetMeeting") == 3
    assert fake.attempts("DeleteMeeting") == 3


async def test_unknown_outcome_is_sent_once_even_with_many_attempts(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    async with make_async_calls(clock, retry=RetryPolicy(max_attempts=10)) as calls:
        fake.lose_answer("CreateAttendee", kind="500")
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        with pytest.raises(ServiceFailureError):
            await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert fake.attempts("CreateAttendee") == 1
    assert len(fake.meeting(meeting.meeting_id).attendees) == 1
    assert clock.sleeps == []


async def test_the_fakes_virtual_clock_is_the_default(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:  # no clock of its own
        fake.throttle("CreateSipMediaApplicationCall", retry_after=20)
        await calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    assert isinstance(fake.clock, VirtualClock)
    assert fake.clock.sleeps == [20.0]


async def test_concurrent_tasks_stay_under_the_paced_rate(fake: ChimeFake) -> None:
    """Pacing reserves a slot per request, so tasks queue behind each other on the clock."""
    fake.rate_limit("CreateSipMediaApplicationCall", per_second=2, burst=1)
    pacing = Pacing(rates={"CreateSipMediaApplicationCall": 1.0})
    async with make_async_calls(retry=RetryPolicy.off(), pacing=pacing) as calls:
        await asyncio.gather(
            *(
                calls.create_sip_media_application_call(
                    sip_media_application_id="sma-1",
                    from_phone_number=FROM,
                    to_phone_number=f"+1425555{i:04d}",
                )
                for i in range(8)
            )
        )
    assert len(fake.calls) == 8
    assert all(r.error_code is None for r in fake.requests)
    assert isinstance(fake.clock, VirtualClock)
    assert sorted(fake.clock.sleeps) == [float(n) for n in range(1, 8)]
    assert fake.clock.monotonic() == 7.0  # the waits overlapped, as they do in real time


async def test_concurrent_virtual_waits_overlap_and_wake_in_order() -> None:
    clock = VirtualClock()
    woke: list[tuple[str, float]] = []

    async def wait(name: str, seconds: float) -> None:
        await clock.asleep(seconds)
        woke.append((name, clock.monotonic()))

    cancelled = asyncio.create_task(wait("cancelled", 1.5))
    waits = [asyncio.create_task(wait(n, s)) for n, s in (("b", 2.0), ("a", 1.0), ("c", 2.0))]
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.gather(*waits)
    assert woke == [("a", 1.0), ("b", 2.0), ("c", 2.0)]
    assert clock.monotonic() == 2.0
    assert clock.sleeps == [1.5, 2.0, 1.0, 2.0]


@pytest.mark.chime_fake(quotas=False)  # 120 calls at once: the injected faults are the test
async def test_many_tasks_share_one_facade_and_every_call_is_accounted_for(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_async_calls(clock, retry=RetryPolicy(max_attempts=10, base_delay=0))
    fake.throttle("CreateSipMediaApplicationCall", times=5)
    fake.lose_answer("CreateSipMediaApplicationCall", times=3)
    fake.fail_connection("CreateSipMediaApplicationCall", times=4)
    counter = itertools.count()

    async def work() -> list[str]:
        outcomes = []
        for _ in range(10):
            number = f"+1425555{next(counter):04d}"
            try:
                await calls.create_sip_media_application_call(
                    sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=number
                )
                outcomes.append("ok")
            except ChimeCallsError as exc:
                outcomes.append("unknown" if exc.outcome_unknown else type(exc).__name__)
        return outcomes

    async with calls:
        results = await asyncio.gather(*(work() for _ in range(12)))
    outcomes = [outcome for result in results for outcome in result]
    assert len(outcomes) == 120
    assert outcomes.count("unknown") == 3
    assert outcomes.count("ok") == 117
    numbers = [call.to_phone_number for call in fake.calls]
    assert len(numbers) == len(set(numbers)) == 120, "each number rang exactly once"
