"""The call ledger: one behaviour on each store (memory, SQLite, DynamoDB on moto), racing
threads and worker processes, and place() against the fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chime_calls import ChimeCalls, ResponseLostError, ThrottledError
from chime_calls.ledger import (
    CallLedger,
    DynamoDBLedger,
    MemoryLedger,
    SqliteLedger,
    place,
)
from chime_calls.models import CreateSipMediaApplicationCallRequest, DialOutRequest
from chime_calls.sma import DialOutHandler
from chime_calls.sma.status import StatusEvent
from chime_calls.testing import ChimeFake, mock_chime

REGION = "eu-west-2"
TO = "+14255550199"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CallLedger]:
    if request.param == "memory":
        yield MemoryLedger()
    elif request.param == "sqlite":
        with SqliteLedger(tmp_path / "ledger.sqlite") as sqlite:
            yield sqlite
    else:
        with mock_aws():
            dynamo = DynamoDBLedger("calls", region_name=REGION)
            dynamo.create_table()
            yield dynamo


def _event(status: str, correlation_id: str = "c-1", **extra: object) -> StatusEvent:
    return StatusEvent(
        status=status, transaction_id="t-1", correlation_id=correlation_id, time=1.0, **extra
    )  # type: ignore[arg-type]


def test_one_claim_wins(ledger: CallLedger) -> None:
    assert ledger.claim("c-1", holder="worker-1")
    assert not ledger.claim("c-1", holder="worker-2")
    entry = ledger.get("c-1")
    assert entry is not None
    assert entry.state == "claimed"
    assert entry.holder == "worker-1"
    assert entry.outcome == "claimed"
    assert ledger.get("c-2") is None


def test_only_a_call_that_was_provably_not_placed_can_be_claimed_again(
    ledger: CallLedger,
) -> None:
    assert ledger.claim("c-1")
    ledger.mark_not_placed("c-1", "ThrottledClientException")
    assert ledger.claim("c-1")
    ledger.mark_unknown("c-1", "ResponseLostError")
    assert not ledger.claim("c-1")
    assert ledger.claim("c-2")
    ledger.mark_placed("c-2", "t-2")
    assert not ledger.claim("c-2")
    entry = ledger.get("c-2")
    assert entry is not None
    assert entry.outcome == "placed"
    assert entry.transaction_id == "t-2"


def test_the_application_settles_an_unknown_outcome(ledger: CallLedger) -> None:
    assert ledger.claim("c-1")
    ledger.mark_unknown("c-1", "ResponseLostError")
    entry = ledger.get("c-1")
    assert entry is not None
    assert entry.outcome == "unknown"
    assert ledger.note_outbound("c-1", "t-1")  # the SIP media application saw it start
    entry = ledger.get("c-1")
    assert entry is not None
    assert entry.outcome == "placed"
    assert entry.call_transaction_id == "t-1"
    assert entry.state == "unknown"  # what the place side knew stays on record


def test_a_second_transaction_is_a_duplicate(ledger: CallLedger) -> None:
    assert ledger.note_outbound("c-1", "t-1")
    assert ledger.note_outbound("c-1", "t-1")  # the same call again (a Lambda retry)
    assert not ledger.note_outbound("c-1", "t-2")
    assert not ledger.note_outbound("c-1", "t-3")
    entry = ledger.get("c-1")
    assert entry is not None
    assert entry.sma_transaction_id == "t-1"
    assert entry.duplicates == 2
    assert entry.state is None  # placed by a client that does not use the ledger
    assert not ledger.claim("c-1")  # and nobody may place it again


def test_statuses_only_move_forward(ledger: CallLedger) -> None:
    ledger.record_status(_event("ringing"))
    ledger.record_status(_event("answered", ring_seconds=3.0))
    ledger.record_status(_event("initiated"))  # late, out of order
    entry = ledger.get("c-1")
    assert entry is not None
    assert entry.status == "answered"
    assert entry.answered
    ledger.record_status(_event("joined"))
    ledger.record_status(_event("completed", talk_seconds=9.5, reason="hung up by the callee"))
    ledger.record_status(_event("busy"))  # a second final status never replaces the first
    entry = ledger.get("c-1")
    assert entry is not None
    assert (entry.status, entry.final, entry.answered, entry.joined) == (
        "completed",
        True,
        True,
        True,
    )
    assert entry.event is not None
    assert entry.event["talk_seconds"] == 9.5
    ledger.record_status(
        StatusEvent(status="initiated", transaction_id="t-9", time=1.0)
    )  # no correlation ID: nothing to key it by
    assert ledger.get("t-9") is None


def test_racing_threads_claim_once(ledger: CallLedger) -> None:
    if isinstance(ledger, DynamoDBLedger):
        pytest.skip(
            "moto's in-process DynamoDB checks a condition and writes without a lock, so "
            "threads calling it at once can both pass; DynamoDB applies each conditional write "
            "atomically (the worker-process test below gives moto's server that atomicity)"
        )
    wins: list[str] = []
    barrier = threading.Barrier(8)

    def worker(name: str) -> None:
        barrier.wait()
        for index in range(20):
            if ledger.claim(f"c-{index}", holder=name):
                wins.append(f"c-{index}")

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == sorted(f"c-{i}" for i in range(20))


def test_reprs_say_which_store() -> None:
    assert repr(MemoryLedger()) == "MemoryLedger(entries=0)"
    assert repr(SqliteLedger(":memory:")) == "SqliteLedger(':memory:')"
    assert repr(DynamoDBLedger("calls")) == "DynamoDBLedger('calls')"


# --- place() through the facade and the fake ------------------------------------------------


@pytest.fixture
def fake() -> Iterator[ChimeFake]:
    with mock_chime() as chime:
        yield chime


def _sma_call(from_number: str, cid: str, to: str = TO) -> CreateSipMediaApplicationCallRequest:
    return CreateSipMediaApplicationCallRequest(
        sip_media_application_id="sma-1",
        from_phone_number=from_number,
        to_phone_number=to,
        arguments_map={"CorrelationId": cid},
    )


def test_place_dials_once_per_correlation_id(fake: ChimeFake) -> None:
    sma = fake.provision_sip_media_application("sma-1", region=REGION)
    calls = ChimeCalls(session=boto3.Session(region_name=REGION))
    ledger = MemoryLedger()
    first = place(calls, _sma_call(sma.phone_number, "job-7"), ledger=ledger)
    again = place(calls, _sma_call(sma.phone_number, "job-7"), ledger=ledger)
    assert first.outcome == "placed"
    assert first.transaction_id == fake.calls[0].transaction_id
    assert again.outcome == "duplicate"
    assert again.transaction_id is None
    assert again.entry is not None
    assert again.entry.transaction_id == first.transaction_id
    assert len(fake.calls) == 1


def test_place_records_what_it_cannot_know(fake: ChimeFake) -> None:
    ledger = MemoryLedger()
    sma = fake.provision_sip_media_application(
        "sma-1", region=REGION, handler=DialOutHandler(ledger=ledger)
    )
    calls = ChimeCalls(session=boto3.Session(region_name=REGION))
    fake.lose_answer("CreateSipMediaApplicationCall")
    with pytest.raises(ResponseLostError) as lost:
        place(calls, _sma_call(sma.phone_number, "job-1"), ledger=ledger)
    assert lost.value.outcome_unknown
    entry = ledger.get("job-1")
    assert entry is not None
    assert entry.state == "unknown"
    assert entry.outcome == "placed"  # the application saw it: settled
    assert entry.call_transaction_id == fake.calls[0].transaction_id
    assert place(calls, _sma_call(sma.phone_number, "job-1"), ledger=ledger).outcome == (
        "duplicate"
    )
    assert len(fake.calls) == 1

    fake.advance(1)
    fake.throttle("CreateSipMediaApplicationCall", times=3)  # every attempt the facade makes
    with pytest.raises(ThrottledError):
        place(calls, _sma_call(sma.phone_number, "job-2"), ledger=ledger)
    entry = ledger.get("job-2")
    assert entry is not None
    assert entry.outcome == "not-placed"
    fake.advance(1)
    assert place(calls, _sma_call(sma.phone_number, "job-2"), ledger=ledger).outcome == "placed"


def test_place_takes_a_dial_out_request(fake: ChimeFake) -> None:
    sma = fake.provision_sip_media_application("sma-1", region=REGION)
    calls = ChimeCalls(session=boto3.Session(region_name=REGION), sip_media_application_id="sma-1")
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="phone")
    assert attendee.join_token is not None
    request = DialOutRequest(
        meeting_id=meeting.meeting_id,
        from_phone_number=sma.phone_number,
        to_phone_number=TO,
        join_token=attendee.join_token,
        correlation_id="ticket-4711",
    )
    ledger = MemoryLedger()
    assert place(calls, request, ledger=ledger).outcome == "placed"
    assert place(calls, request, ledger=ledger).outcome == "duplicate"
    assert fake.calls[0].arguments_map["CorrelationId"] == "ticket-4711"


def test_place_refuses_a_facade_whose_send_must_be_awaited() -> None:
    class Awaited:
        def send(self, request: object) -> object:
            async def never_awaited() -> None:
                raise AssertionError("not sent")

            return never_awaited()

    ledger = MemoryLedger()
    with pytest.raises(TypeError, match="must be awaited"):
        place(Awaited(), _sma_call("+12065550100", "job-1"), ledger=ledger)
    entry = ledger.get("job-1")
    assert entry is not None
    assert entry.outcome == "not-placed"


def test_place_needs_a_correlation_id(fake: ChimeFake) -> None:
    calls = ChimeCalls(session=boto3.Session(region_name=REGION))
    request = CreateSipMediaApplicationCallRequest(
        sip_media_application_id="sma-1", from_phone_number=TO, to_phone_number=TO
    )
    with pytest.raises(ValueError, match="carries no correlation ID"):
        place(calls, request, ledger=MemoryLedger())
    assert fake.calls == []


# --- worker processes sharing one store -----------------------------------------------------

_WORKER = textwrap.dedent(
    """
    import json, sys, boto3
    from chime_calls import ChimeCalls
    from chime_calls.ledger import DynamoDBLedger, SqliteLedger, place
    from chime_calls.models import CreateSipMediaApplicationCallRequest
    from chime_calls.testing import mock_chime

    store, where, order = sys.argv[1], sys.argv[2], sys.argv[3]
    ids = [f"job-{i}" for i in range(40)]
    if order == "reversed":
        ids.reverse()
    with mock_chime(quotas=False) as chime:
        sma = chime.provision_sip_media_application("sma-1", region="us-east-1")
        calls = ChimeCalls(session=boto3.Session(region_name="us-east-1"))
        if store == "dynamodb":
            ledger = DynamoDBLedger("calls", region_name="us-east-1", endpoint_url=where)
        else:
            ledger = SqliteLedger(where)
        for cid in ids:
            place(calls, CreateSipMediaApplicationCallRequest(
                sip_media_application_id="sma-1", from_phone_number=sma.phone_number,
                to_phone_number="+14255550199", arguments_map={"CorrelationId": cid},
            ), ledger=ledger)
        print(json.dumps([c.arguments_map["CorrelationId"] for c in chime.calls]))
    """
)


def _workers(store: str, where: str) -> list[list[str]]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, store, where, order],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for order in ("forward", "reversed")
    ]
    dialed = []
    for process in running:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        dialed.append(json.loads(out.strip().splitlines()[-1]))
    return dialed


def _assert_each_once(dialed: list[list[str]]) -> None:
    everything = [cid for worker in dialed for cid in worker]
    assert sorted(everything) == sorted(f"job-{i}" for i in range(40))  # each once, none lost
    assert all(worker for worker in dialed)  # both workers did some of the work


def _moto_server() -> object:
    """moto's server, answering one request at a time.

    moto's DynamoDB checks a write's condition and then writes, without a lock: two threads of
    its usual threaded server can both pass the same condition, which DynamoDB itself never
    lets happen (each conditional write is atomic). Answering one request at a time gives the
    workers the service's atomicity; their requests still interleave, which is the race.
    """
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class OneAtATime(ThreadedMotoServer):  # type: ignore[misc]
        def _server_entry(self) -> None:
            app = DomainDispatcherApplication(create_backend_app)
            self._server = make_server(
                "127.0.0.1", 0, app, threaded=False, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return OneAtATime(ip_address="127.0.0.1", port=0, verbose=False)


@pytest.mark.slow
def test_two_worker_processes_on_one_moto_server_never_dial_twice() -> None:
    server: Any = _moto_server()
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        DynamoDBLedger(
            "calls",
            client=boto3.client(
                "dynamodb",
                region_name="us-east-1",
                endpoint_url=endpoint,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            ),
        ).create_table()
        _assert_each_once(_workers("dynamodb", endpoint))
    finally:
        server.stop()


@pytest.mark.slow
def test_two_worker_processes_on_one_sqlite_file_never_dial_twice(tmp_path: Path) -> None:
    _assert_each_once(_workers("sqlite", str(tmp_path / "ledger.sqlite")))
