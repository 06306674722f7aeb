"""AsyncChimeCalls through real aiobotocore clients answered by the fake: the same methods,
types and errors as ChimeCalls; the asyncio lifecycle; cancellation; pages."""

from __future__ import annotations

import pytest

# The async extra's aiobotocore pins botocore, so these run in CI's async environment
# (pip install -e '.[test,async]'); elsewhere they are skipped.
pytest.importorskip("aiobotocore")

import asyncio
import inspect
import logging
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import boto3
import pytest
from aiobotocore.session import AioSession

import chime_calls
from chime_calls import (
    ChimeCalls,
    ConfigurationError,
    ConnectError,
    InvalidResponseError,
    Meeting,
    NotFoundError,
    ResponseLostError,
    RetryPolicy,
    ValidationError,
)
from chime_calls.aio import AsyncChimeCalls
from chime_calls.models import AttendeesPage, GetMeetingRequest, ListAttendeesRequest
from chime_calls.testing import ChimeFake, VirtualClock
from tests._aio import make_aio_session, make_async_calls
from tests.conftest import FROM, REGION, TO

# --- the same operations, types and errors as ChimeCalls -----------------------------------------


async def test_the_quickstart_flow(fake: ChimeFake) -> None:
    async with make_async_calls(sip_media_application_id="sma-1") as calls:
        meeting = await calls.create_meeting(external_meeting_id="standup", media_region=REGION)
        alice = await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="al")
        assert alice.join_token is not None
        dial = await calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=FROM,
            to_phone_number=TO,
            join_token=alice.join_token,
        )
        updated = await calls.update_sip_media_application_call(
            transaction_id=dial.transaction_id, arguments={"action": "hangup"}
        )
        legacy = await calls.create_meeting_dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=FROM,
            to_phone_number=TO,
            join_token=alice.join_token,
        )
        assert await calls.delete_meeting(meeting_id=meeting.meeting_id) is None
    assert isinstance(meeting, Meeting)
    assert dial.path == "sip-media-application"
    (placed, dialled) = fake.calls
    assert placed.transaction_id == dial.transaction_id == updated.transaction_id
    assert placed.arguments_map["MeetingId"] == meeting.meeting_id
    assert placed.arguments_map["CorrelationId"] == dial.correlation_id
    assert dialled.transaction_id == legacy.transaction_id
    assert fake.call_updates[0].arguments == {"action": "hangup"}
    assert fake.meeting(meeting.meeting_id).deleted
    assert [(r.service, r.operation) for r in fake.requests] == [
        ("chime-sdk-meetings", "CreateMeeting"),
        ("chime-sdk-meetings", "CreateAttendee"),
        ("chime-sdk-voice", "CreateSipMediaApplicationCall"),
        ("chime-sdk-voice", "UpdateSipMediaApplicationCall"),
        ("chime", "CreateMeetingDialOut"),
        ("chime-sdk-meetings", "DeleteMeeting"),
    ]


async def test_results_equal_the_sync_facades(fake: ChimeFake) -> None:
    sync = ChimeCalls(session=boto3.Session(region_name=REGION), region_name=REGION)
    meeting = sync.create_meeting(external_meeting_id="mt", media_region=REGION)
    async with make_async_calls() as calls:
        got = await calls.get_meeting(meeting_id=meeting.meeting_id)
        sent = await calls.send(GetMeetingRequest(meeting_id=meeting.meeting_id))
    assert got == sent == sync.get_meeting(meeting_id=meeting.meeting_id)
    assert repr(got) == repr(sync.get_meeting(meeting_id=meeting.meeting_id))


async def test_voice_groups_send_through_the_async_facade(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        assert calls.sip_rules is calls.sip_rules  # one group per facade
        assert inspect.iscoroutinefunction(calls.sip_media_applications.get)
        sma = await calls.sip_media_applications.get(sip_media_application_id="sma-1")
        assert sma.aws_region == REGION  # the fixture provisioned it
        with pytest.raises(NotFoundError):
            await calls.sip_media_applications.get(
                sip_media_application_id="11111111-2222-3333-4444-555555555555"
            )
        with pytest.raises(ValidationError, match="sip_media_application_id"):
            await calls.sip_media_applications.get(sip_media_application_id=" ")
    assert [r.operation for r in fake.requests] == ["GetSipMediaApplication"] * 2


async def test_operation_methods_are_coroutine_functions(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        for name in ("create_meeting", "get_meeting", "list_attendees", "dial_out", "send"):
            assert inspect.iscoroutinefunction(getattr(calls, name)), name
        assert calls.get_meeting.__name__ == "get_meeting"
        assert calls.get_meeting.__doc__ == GetMeetingRequest.__doc__


async def test_bad_input_raises_when_awaited_and_sends_nothing(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        pending = calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number="555-0199"
        )
        with pytest.raises(ValidationError) as invalid:
            await pending
        with pytest.raises(ValidationError):
            await calls.dial_out(
                meeting_id="not-a-guid", from_phone_number=FROM, to_phone_number=TO, join_token="t"
            )
        with pytest.raises(TypeError, match="send\\(\\) takes a chime_calls request"):
            await calls.send({"MeetingId": "x"})  # type: ignore[arg-type]
    assert invalid.value.fields == ("to_phone_number",)
    assert fake.requests == []


async def test_typed_errors(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        with pytest.raises(NotFoundError) as missing:
            await calls.get_meeting(meeting_id="00000000-0000-0000-0000-000000000000")
        with pytest.raises(ConfigurationError, match="AsyncChimeCalls\\(sip_media_application_id"):
            await calls.dial_out(
                meeting_id="00000000-0000-0000-0000-000000000000",
                from_phone_number=FROM,
                to_phone_number=TO,
                join_token="dG9rZW4",
            )
        with pytest.raises(ConfigurationError, match="update_sip_media_application_call needs"):
            await calls.update_sip_media_application_call(transaction_id="t", arguments={})
    assert missing.value.status_code == 404
    assert missing.value.__cause__ is None
    assert missing.value.__context__ is None


async def test_legacy_namespace_dial_out(fake: ChimeFake) -> None:
    async with make_async_calls(namespace="legacy") as calls:
        meetings = make_async_calls()
        async with meetings:
            meeting = await meetings.create_meeting(external_meeting_id="mt", media_region=REGION)
            alice = await meetings.create_attendee(
                meeting_id=meeting.meeting_id, external_user_id="al"
            )
        assert alice.join_token is not None
        dial = await calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=FROM,
            to_phone_number=TO,
            join_token=alice.join_token,
            correlation_id="job-7",
        )
    assert dial.path == "legacy"
    assert dial.correlation_id == "job-7"
    assert fake.dial_outs[0].transaction_id == dial.transaction_id


class _RecordingSession(AioSession):
    """A real aiobotocore session that records the clients it creates and closes and, like a
    slow credential provider, lets other tasks run while creating one."""

    def __init__(self) -> None:
        super().__init__()
        self.set_credentials("testing", "testing")
        self.created: list[str] = []

    def create_client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
        self.created.append(service_name)
        creating = super().create_client(service_name, *args, **kwargs)
        session = self

        class _Slow:
            async def __aenter__(self) -> Any:
                await asyncio.sleep(0)
                return await creating.__aenter__()

            async def __aexit__(self, *exc: object) -> None:
                session.created.append(f"closed {service_name}")
                await creating.__aexit__(*exc)

        return _Slow()


@pytest.mark.chime_fake(quotas=False)  # calls back to back; about what is logged
@pytest.mark.parametrize("redacting", [True, False], ids=["redact_botocore_logging", "without"])
async def test_botocore_debug_logs_under_aiobotocore(fake: ChimeFake, redacting: bool) -> None:
    """aiobotocore logs through botocore's loggers; the redacting filter knows the secrets of
    each task's request in flight (without it, they are there: the test can fail)."""
    import io

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    botocore_logger = logging.getLogger("botocore")
    old_level = botocore_logger.level
    botocore_logger.setLevel(logging.DEBUG)
    botocore_logger.addHandler(handler)
    the_filter = chime_calls.redact_botocore_logging() if redacting else None
    number = "+14255550142"
    try:
        async with make_async_calls(sip_media_application_id="sma-1") as calls:
            meeting = await calls.create_meeting(
                external_meeting_id="standup-secret", media_region=REGION
            )
            alice = await calls.create_attendee(
                meeting_id=meeting.meeting_id, external_user_id="alice-secret"
            )
            assert alice.join_token is not None
            await asyncio.gather(
                *(
                    calls.dial_out(
                        meeting_id=meeting.meeting_id,
                        from_phone_number=FROM,
                        to_phone_number=to,
                        join_token=alice.join_token,
                    )
                    for to in (number, TO)
                )
            )
            # a service message echoing a value: only the request's own secrets can catch it
            fake.fail_next("CreateAttendee", "BadRequestException", message="No: bob-secret")
            with pytest.raises(chime_calls.BadRequestError):
                await calls.create_attendee(
                    meeting_id=meeting.meeting_id, external_user_id="bob-secret"
                )
    finally:
        botocore_logger.removeHandler(handler)
        botocore_logger.setLevel(old_level)
        if the_filter is not None:
            for name in list(logging.Logger.manager.loggerDict):
                logging.getLogger(name).removeFilter(the_filter)
    log = stream.getvalue()
    assert "ToPhoneNumber" in log  # botocore did log the requests
    token = alice.join_token.reveal()
    secrets = (number, TO, FROM, token, "standup-secret", "alice-secret", "bob-secret")
    assert all((secret in log) is not redacting for secret in secrets)


async def test_send_takes_the_dial_out_request_and_refuses_what_legacy_cannot_do(
    fake: ChimeFake,
) -> None:
    from chime_calls import DialOutRequest, UnsupportedOperationError

    async with make_async_calls(sip_media_application_id="sma-1") as calls:
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        alice = await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="al")
        assert alice.join_token is not None
        dial = await calls.send(
            DialOutRequest(
                meeting_id=meeting.meeting_id,
                from_phone_number=FROM,
                to_phone_number=TO,
                join_token=alice.join_token,
            )
        )
    assert dial.transaction_id == fake.calls[0].transaction_id
    async with make_async_calls(namespace="legacy") as legacy:
        with pytest.raises(UnsupportedOperationError, match="only in the 'sdk' namespace"):
            await legacy.list_attendees(meeting_id=meeting.meeting_id)
    assert len(fake.requests) == 3


async def test_client_creation_errors_are_typed(
    fake: ChimeFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/chime-calls-test-config")
    async with AsyncChimeCalls(session=make_aio_session()) as calls:  # no region anywhere
        with pytest.raises(ConfigurationError, match="no AWS region") as missing:
            await calls.get_meeting(meeting_id="00000000-0000-0000-0000-000000000000")
    assert missing.value.__cause__ is None
    assert missing.value.__context__ is None
    assert fake.requests == []


# --- construction --------------------------------------------------------------------------------


def test_parameters_are_checked_at_construction() -> None:
    with pytest.raises(TypeError, match=r"AsyncChimeCalls\(session=\.\.\.\) takes an aiobotocore"):
        AsyncChimeCalls(session=boto3.Session())
    with pytest.raises(TypeError, match="a clock \\(monotonic, time, asleep\\)"):
        AsyncChimeCalls(clock=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"AsyncChimeCalls\(retry=\.\.\.\)"):
        AsyncChimeCalls(retry=3)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="namespace must be one of"):
        AsyncChimeCalls(namespace="v2")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        AsyncChimeCalls(sip_media_application_id="  ")
    assert repr(AsyncChimeCalls(region_name=REGION)) == (
        "AsyncChimeCalls(namespace='sdk', region_name='eu-west-2')"
    )


async def test_ready_made_clients_must_not_retry_and_stay_open(fake: ChimeFake) -> None:
    session = _RecordingSession()
    async with session.create_client("chime-sdk-meetings", region_name=REGION) as retrying:
        with pytest.raises(ConfigurationError, match="lets botocore retry"):
            AsyncChimeCalls(clients={"chime-sdk-meetings": retrying})
    async with session.create_client(
        "chime-sdk-meetings", region_name=REGION, config=chime_calls.client_config()
    ) as mine:
        async with AsyncChimeCalls(clients={"chime-sdk-meetings": mine}) as calls:
            meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
            assert await calls.client("chime-sdk-meetings") is mine
        # the facade is closed; the client it was given is not
        assert session.created[-1] == "chime-sdk-meetings"
        got = await mine.get_meeting(MeetingId=meeting.meeting_id)
    assert session.created[-1] == "closed chime-sdk-meetings"  # by its owner
    assert got["Meeting"]["MeetingId"] == meeting.meeting_id


# --- lifecycle -----------------------------------------------------------------------------------


async def test_async_with_closes_the_clients_it_created(fake: ChimeFake) -> None:
    session = _RecordingSession()
    calls = make_async_calls(session=session)
    async with calls as entered:
        assert entered is calls
        assert session.created == []  # lazy: nothing created yet
        await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        assert session.created == ["chime-sdk-meetings"]  # only what was used
    assert session.created == ["chime-sdk-meetings", "closed chime-sdk-meetings"]
    with pytest.raises(ConfigurationError, match="closed"):
        await calls.get_meeting(meeting_id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ConfigurationError, match="closed"):
        async with calls:
            pass
    assert [r.operation for r in fake.requests] == ["CreateMeeting"]
    await calls.aclose()  # closing twice is harmless


async def test_aclose_without_async_with(fake: ChimeFake) -> None:
    session = _RecordingSession()
    calls = make_async_calls(session=session)
    await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
    await calls.aclose()
    assert session.created == ["chime-sdk-meetings", "closed chime-sdk-meetings"]
    with pytest.raises(ConfigurationError, match="closed"):
        await calls.client("chime-sdk-voice")


async def test_unknown_service_is_refused(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        with pytest.raises(ConfigurationError, match="no Chime service 's3'"):
            await calls.client("s3")


@pytest.mark.chime_fake(quotas=False)  # twenty meetings at once; about client creation
async def test_concurrent_first_use_creates_each_client_once(fake: ChimeFake) -> None:
    session = _RecordingSession()
    async with make_async_calls(session=session) as calls:
        clients = await asyncio.gather(*(calls.client("chime-sdk-voice") for _ in range(20)))
        placed = await asyncio.gather(
            *(
                calls.create_meeting(external_meeting_id=f"m{i}", media_region=REGION)
                for i in range(20)
            )
        )
        assert len({id(client) for client in clients}) == 1
        assert session.created == ["chime-sdk-voice", "chime-sdk-meetings"]
    assert session.created[2:] == ["closed chime-sdk-meetings", "closed chime-sdk-voice"]
    assert len(placed) == len(fake.meetings) == 20


# --- cancellation: an outcome-unknown case that says so ------------------------------------------


async def _cancel_in_flight(
    fake: ChimeFake, operation: str, start: Callable[[], Awaitable[object]]
) -> asyncio.CancelledError:
    """Cancel ``start()`` once its request has reached the fake, before it has the answer."""

    async def run() -> object:
        return await start()

    task = asyncio.create_task(run())
    before = fake.attempts(operation)
    for _ in range(200):
        await asyncio.sleep(0)
        if fake.attempts(operation) > before:
            break
    assert fake.attempts(operation) == before + 1, "the request reached the service"
    assert task.cancel(), "and the task was still waiting for the answer"
    with pytest.raises(asyncio.CancelledError) as cancelled:
        await task
    return cancelled.value


async def test_cancelling_a_call_in_flight_is_an_unknown_outcome(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_async_calls(sip_media_application_id="sma-1") as calls:
        with caplog.at_level(logging.WARNING, logger="chime_calls"):
            cancelled = await _cancel_in_flight(
                fake,
                "CreateSipMediaApplicationCall",
                lambda: calls.create_sip_media_application_call(
                    sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
                ),
            )
        # the facade is still usable: nothing was left half-done on its side
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
    assert len(fake.calls) == 1, "the phone rang; the caller does not know"
    assert fake.attempts("CreateSipMediaApplicationCall") == 1, "and it was not re-sent"
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "outcome unknown" in warning.getMessage()
    assert "CancelledError" in warning.getMessage()
    assert warning.chime_operation == "CreateSipMediaApplicationCall"  # type: ignore[attr-defined]
    if hasattr(cancelled, "add_note"):  # notes: Python 3.11+
        (note,) = cancelled.__notes__
        assert "CreateSipMediaApplicationCall" in note
        assert "the call may have been placed" in note
    assert TO not in caplog.text
    assert meeting.meeting_id == fake.meetings[0].meeting_id


async def test_cancelling_dial_out_in_flight(fake: ChimeFake) -> None:
    async with make_async_calls(sip_media_application_id="sma-1") as calls:
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        alice = await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="al")
        assert alice.join_token is not None
        token = alice.join_token
        await _cancel_in_flight(
            fake,
            "CreateSipMediaApplicationCall",
            lambda: calls.dial_out(
                meeting_id=meeting.meeting_id,
                from_phone_number=FROM,
                to_phone_number=TO,
                join_token=token,
            ),
        )
    assert len(fake.calls) == 1


async def test_cancelling_an_idempotent_request_says_nothing(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_async_calls() as calls:
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        with caplog.at_level(logging.DEBUG, logger="chime_calls"):
            cancelled = await _cancel_in_flight(
                fake, "GetMeeting", lambda: calls.get_meeting(meeting_id=meeting.meeting_id)
            )
            attendee = await _cancel_in_flight(
                fake,
                "CreateAttendee",
                lambda: calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="al"),
            )
    assert not getattr(cancelled, "__notes__", None)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # at-most-once: the note says what happened, without the call-placing warning
    if hasattr(attendee, "add_note"):
        (note,) = attendee.__notes__
        assert "CreateAttendee" in note
        assert "it may have taken effect" in note


async def test_cancelling_during_a_retry_wait_is_not_in_flight(
    fake: ChimeFake, caplog: pytest.LogCaptureFixture
) -> None:
    """A throttled attempt proves nothing was placed; cancelled while waiting to retry, the
    outcome is known: no call, no warning."""
    waiting = asyncio.Event()

    class _Clock(VirtualClock):
        async def asleep(self, seconds: float) -> None:
            waiting.set()
            await asyncio.Event().wait()  # until cancelled

    async with make_async_calls(_Clock()) as calls:
        fake.throttle("CreateSipMediaApplicationCall")
        task = asyncio.create_task(
            calls.create_sip_media_application_call(
                sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
            )
        )
        waited = asyncio.ensure_future(waiting.wait())
        await asyncio.wait({task, waited}, return_when=asyncio.FIRST_COMPLETED)
        assert waiting.is_set(), "the throttled attempt is waiting to retry"
        task.cancel()
        with (
            caplog.at_level(logging.WARNING, logger="chime_calls"),
            pytest.raises(asyncio.CancelledError) as cancelled,
        ):
            await task
    assert fake.calls == []
    assert fake.attempts("CreateSipMediaApplicationCall") == 1
    assert caplog.records == []
    assert not getattr(cancelled.value, "__notes__", None)


# --- pages ---------------------------------------------------------------------------------------


async def test_pages_iterates_every_page_lazily(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        created = await asyncio.gather(
            *(
                calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id=f"u{i}")
                for i in range(5)
            )
        )
        pages = calls.pages(ListAttendeesRequest(meeting_id=meeting.meeting_id, max_results=2))
        assert isinstance(pages, AsyncIterator)
        assert fake.attempts("ListAttendees") == 0  # nothing sent before the loop asks
        seen: list[AttendeesPage] = [page async for page in pages]
    assert [len(page.attendees) for page in seen] == [2, 2, 1]
    assert seen[-1].next_token is None
    listed = [a.attendee_id for page in seen for a in page.attendees]
    assert sorted(listed) == sorted(a.attendee_id for a in created)
    assert fake.attempts("ListAttendees") == 3


async def test_pages_retries_a_page_by_the_operations_rules(fake: ChimeFake) -> None:
    async with make_async_calls(VirtualClock()) as calls:
        meeting = await calls.create_meeting(external_meeting_id="mt", media_region=REGION)
        for i in range(3):
            await calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id=f"u{i}")
        fake.lose_answer("ListAttendees")  # idempotent: retried
        listed = [
            attendee
            async for page in calls.pages(
                ListAttendeesRequest(meeting_id=meeting.meeting_id, max_results=2)
            )
            for attendee in page.attendees
        ]
    assert len(listed) == 3
    assert fake.attempts("ListAttendees") == 3


async def test_pages_refuses_what_is_not_paginated(fake: ChimeFake) -> None:
    async with make_async_calls() as calls:
        with pytest.raises(TypeError, match="paginated operation"):
            async for _ in calls.pages(
                GetMeetingRequest(meeting_id="00000000-0000-0000-0000-000000000000")
            ):  # type: ignore[type-var]
                pass
    assert fake.requests == []


async def test_pages_stops_on_a_repeated_token() -> None:
    """A service that hands back a token it gave before would make the loop endless."""
    import json

    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders

    from chime_calls.testing._aio import answer

    class _Raw:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def stream(self, **_: Any) -> Any:
            yield self.body

    def same_token(request: Any, **_: Any) -> AWSResponse:
        body = json.dumps({"Attendees": [], "NextToken": "again"}).encode()
        headers = HTTPHeaders()
        headers["content-type"] = "application/json"
        return answer(AWSResponse(request.url, 200, headers, _Raw(body)))

    session = make_aio_session()
    session.register("before-send.chime-sdk-meetings.ListAttendees", same_token)
    async with make_async_calls(session=session) as calls:
        pages = calls.pages(ListAttendeesRequest(meeting_id="00000000-0000-0000-0000-000000000000"))
        with pytest.raises(InvalidResponseError, match="page token it had returned before"):
            async for _ in pages:
                pass


# --- a real network connection: what aiohttp reports is translated right -------------------------


async def _resetting_server() -> tuple[asyncio.Server, list[bytes]]:
    """A loopback server that reads each request in full, then resets the connection."""
    received: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in data.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            ),
            0,
        )
        received.append(data + await reader.readexactly(length))
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # RST: the request arrived, the answer never leaves

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, received


async def _place_call_at(port: int, clock: VirtualClock) -> BaseException:
    """Place a call through a facade whose voice client talks to 127.0.0.1:``port``; the
    error it raises (the test fails if it raises none)."""
    async with make_aio_session().create_client(
        "chime-sdk-voice",
        region_name=REGION,
        endpoint_url=f"http://127.0.0.1:{port}",
        config=chime_calls.client_config(),
    ) as voice:
        calls = AsyncChimeCalls(clients={"chime-sdk-voice": voice}, clock=clock)
        with pytest.raises(chime_calls.ChimeCallsError) as raised:
            await calls.create_sip_media_application_call(
                sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
            )
    return raised.value


async def test_a_connection_reset_after_sending_is_never_retried() -> None:
    """aiobotocore reports aiohttp's ``ClientOSError(104)`` as ``EndpointConnectionError``
    ("could not connect"), although the request went out: the facade must not re-send."""
    server, received = await _resetting_server()
    clock = VirtualClock()
    try:
        lost = await _place_call_at(server.sockets[0].getsockname()[1], clock)
    finally:
        server.close()
        await server.wait_closed()
    assert isinstance(lost, ResponseLostError)
    assert lost.outcome_unknown
    assert not lost.retryable
    assert "ClientOSError" in str(lost)
    assert len(received) == 1, "sent once, never again"
    assert b"POST /sip-media-applications/sma-1/calls" in received[0]
    assert clock.sleeps == []


async def test_a_refused_connection_is_retried() -> None:
    clock = VirtualClock()
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = await _place_call_at(port, clock)
    assert isinstance(refused, ConnectError)
    assert not refused.outcome_unknown
    assert len(clock.sleeps) == RetryPolicy().max_attempts - 1  # safe to retry: never sent
