"""chime-calls against raw boto3, side by side, in one run (docs/benchmarks.md).

    python bench/run.py                  # every section, full repetitions (a few minutes)
    python bench/run.py --smoke          # every section, a few iterations: checks they run
    python bench/run.py --only per-call validation --rounds 15 --json bench/results/run.json

Both sides go through the same botocore pipeline (serialise, endpoint rules, SigV4, the
``before-send`` event, parse) and are answered in-process by the same static responder: one
``before-send`` handler registered on each boto3 session, returning a canned HTTP response per
operation. Nothing touches the network. Facade and raw runs are interleaved (ABBA...) so
machine noise hits both alike; every figure is the median, min and max over rounds.

Sections: ``per-call``, ``validation``, ``import``, ``cold-start``, ``threads``, ``async``,
``campaign``. The import and cold-start sections start fresh interpreters (this script with
``--child``, or ``python -c`` for whole-process timings), with bytecode cached in a temporary
``PYTHONPYCACHEPREFIX`` as it is for an installed package. The async section runs
``AsyncChimeCalls`` against raw aiobotocore the same way, with the same canned answers as
aiobotocore reads them (an ``AioAWSResponse`` whose body is awaited). The campaign section
runs campaigns on the Chime fake and measures their rate on its virtual clock, and the call
ledger's cost per call against the same canned answers as the per-call section.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REGION = "us-east-1"
# Static credentials: no provider chain, no network.
ACCESS_KEY = SECRET_KEY = "bench"  # noqa: S105 - not a secret
GUID = "11111111-2222-3333-4444-555555555555"
SMA_ID = "sma-bench"
FROM = "+12065550100"
TO = "+14255550199"
SERVICES = ("chime-sdk-meetings", "chime-sdk-voice", "chime")
SECTIONS = ("per-call", "validation", "import", "cold-start", "threads", "async", "campaign")
TARGETS = {
    "per-call": 1.05,
    "import": 15.0,
    "cold-start": 1.05,
    "async": 1.05,
    "tasks": 0.95,
    "sma-import": 1.3,
    "campaign-rate": 0.95,
    "ledger": 1.05,
}

_MEETING = {
    "MeetingId": GUID,
    "MeetingArn": f"arn:aws:chime:{REGION}:111122223333:meeting/{GUID}",
    "ExternalMeetingId": "standup-42",
    "MediaRegion": REGION,
    "MediaPlacement": {
        name: f"wss://media.example.com/{name.lower()}"
        for name in (
            "AudioHostUrl",
            "AudioFallbackUrl",
            "SignalingUrl",
            "TurnControlUrl",
            "ScreenDataUrl",
            "ScreenViewingUrl",
            "ScreenSharingUrl",
            "EventIngestionUrl",
        )
    },
    "MeetingFeatures": {"Audio": {"EchoReduction": "AVAILABLE"}},
}


def _attendee(index: int) -> dict[str, Any]:
    return {
        "ExternalUserId": f"user-{index}",
        "AttendeeId": f"{index:08d}-2222-3333-4444-555555555555",
        "JoinToken": "am9pbi10b2tlbi1iZW5jaC1hdHRlbmRlZS10b2tlbg",
        "Capabilities": {"Audio": "SendReceive", "Video": "SendReceive", "Content": "SendReceive"},
    }


# operation -> (HTTP status, JSON body), as the service answers them.
CANNED: Mapping[str, tuple[int, dict[str, Any]]] = {
    "CreateSipMediaApplicationCall": (
        201,
        {"SipMediaApplicationCall": {"TransactionId": "0d6e1c5a-2f5b-4b1e-9c0a-bench"}},
    ),
    "CreateMeeting": (200, {"Meeting": _MEETING}),
    "GetMeeting": (200, {"Meeting": _MEETING}),
    "CreateMeetingWithAttendees": (
        200,
        {"Meeting": _MEETING, "Attendees": [_attendee(i) for i in range(5)], "Errors": []},
    ),
    "BatchCreateAttendee": (200, {"Attendees": [_attendee(i) for i in range(10)], "Errors": []}),
}


# --- the responder both sides share ---------------------------------------------------------


class _Body(io.BytesIO):
    """The ``stream()`` interface ``AWSResponse`` reads urllib3 bodies through."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


_ENCODED = {op: (status, json.dumps(body).encode()) for op, (status, body) in CANNED.items()}
_HEADERS = {"content-type": "application/json", "x-amzn-requestid": "bench-request-id"}


def _canned(event_name: str) -> tuple[int, Any, bytes]:
    """Status, headers and body of the canned answer to the operation in the event name."""
    from botocore.compat import HTTPHeaders

    status, body = _ENCODED[event_name.rsplit(".", 1)[1]]
    headers = HTTPHeaders()
    for name, value in _HEADERS.items():
        headers[name] = value
    return status, headers, body


def respond(request: Any, event_name: str = "", **_: Any) -> Any:
    """``before-send`` handler: the canned answer for the operation in the event name."""
    from botocore.awsrequest import AWSResponse

    status, headers, body = _canned(event_name)
    return AWSResponse(request.url, status, headers, _Body(body))


def bench_session() -> Any:
    """A boto3 session with static credentials, answered by :func:`respond`."""
    import boto3

    session = boto3.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )
    for service in SERVICES:
        session.events.register(f"before-send.{service}", respond)
    return session


class _AioBody:
    """What ``AioAWSResponse`` awaits its content from (aiohttp's ``read()``), with the
    ``raw_headers`` aiobotocore before 2.12 read the headers from."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self.raw_headers = [(k.encode(), v.encode()) for k, v in _HEADERS.items()]

    async def read(self) -> bytes:
        return self._body


def respond_aio(request: Any, event_name: str = "", **_: Any) -> Any:
    """The same canned answer, as aiobotocore reads an HTTP response."""
    from aiobotocore.awsrequest import AioAWSResponse

    status, headers, body = _canned(event_name)
    return AioAWSResponse(request.url, status, headers, _AioBody(body))


def bench_aio_session() -> Any:
    """An aiobotocore session with static credentials, answered by :func:`respond_aio`."""
    from aiobotocore.session import get_session

    session = get_session()
    session.set_credentials(ACCESS_KEY, SECRET_KEY)
    for service in SERVICES:
        session.register(f"before-send.{service}", respond_aio)
    return session


# --- the work, both ways --------------------------------------------------------------------

ARGUMENTS = {"MeetingId": GUID, "JoinToken": "am9pbi10b2tlbg", "CorrelationId": "c-1"}
FEATURES = {"Audio": {"EchoReduction": "AVAILABLE"}}
TOKEN = "6f1c2b7e-5d0a-4c8e-9b3f-2a1d0c9e8b7a"  # noqa: S105 - an idempotency token
# The same attendee items on both sides (the facade also takes plain external user IDs).
FIVE = [{"ExternalUserId": f"user-{i}"} for i in range(5)]
TEN = [{"ExternalUserId": f"user-{i}"} for i in range(10)]


def raw_work(voice: Any, meetings: Any) -> dict[str, Callable[[], Any]]:
    """The operations as raw client calls (botocore fills the create operations' token); with
    aiobotocore clients each returns the coroutine to await."""
    return {
        "create_sip_media_application_call": lambda: voice.create_sip_media_application_call(
            SipMediaApplicationId=SMA_ID,
            FromPhoneNumber=FROM,
            ToPhoneNumber=TO,
            ArgumentsMap=ARGUMENTS,
        ),
        "create_meeting": lambda: meetings.create_meeting(
            ExternalMeetingId="standup-42", MediaRegion=REGION, MeetingFeatures=FEATURES
        ),
        "get_meeting": lambda: meetings.get_meeting(MeetingId=GUID),
        "create_meeting_with_attendees": lambda: meetings.create_meeting_with_attendees(
            ExternalMeetingId="standup-42", MediaRegion=REGION, Attendees=FIVE
        ),
        "batch_create_attendee": lambda: meetings.batch_create_attendee(
            MeetingId=GUID, Attendees=TEN
        ),
    }


def facade_work(calls: Any) -> dict[str, Callable[[], Any]]:
    """The same operations through one facade (``ChimeCalls`` or ``AsyncChimeCalls``)."""
    return {
        "create_sip_media_application_call": lambda: calls.create_sip_media_application_call(
            sip_media_application_id=SMA_ID,
            from_phone_number=FROM,
            to_phone_number=TO,
            arguments_map=ARGUMENTS,
        ),
        "create_meeting": lambda: calls.create_meeting(
            external_meeting_id="standup-42", media_region=REGION, meeting_features=FEATURES
        ),
        "get_meeting": lambda: calls.get_meeting(meeting_id=GUID),
        "create_meeting_with_attendees": lambda: calls.create_meeting_with_attendees(
            external_meeting_id="standup-42", media_region=REGION, attendees=FIVE
        ),
        "batch_create_attendee": lambda: calls.batch_create_attendee(
            meeting_id=GUID, attendees=TEN
        ),
    }


def raw_calls(session: Any) -> dict[str, Callable[[], object]]:
    return raw_work(session.client("chime-sdk-voice"), session.client("chime-sdk-meetings"))


def facade_calls(session: Any) -> dict[str, Callable[[], object]]:
    from chime_calls import ChimeCalls

    return facade_work(ChimeCalls(session=session, region_name=REGION))


async def raw_aio_calls(session: Any, stack: Any) -> dict[str, Callable[[], Awaitable[object]]]:
    """:func:`raw_work` on aiobotocore clients, which ``stack`` closes."""
    clients = [
        await stack.enter_async_context(session.create_client(service, region_name=REGION))
        for service in ("chime-sdk-voice", "chime-sdk-meetings")
    ]
    return raw_work(*clients)


async def facade_aio_calls(session: Any, stack: Any) -> dict[str, Callable[[], Awaitable[object]]]:
    """:func:`facade_work` on one ``AsyncChimeCalls``, which ``stack`` closes."""
    from chime_calls.aio import AsyncChimeCalls

    calls = await stack.enter_async_context(AsyncChimeCalls(session=session, region_name=REGION))
    return facade_work(calls)


# --- statistics and reporting ---------------------------------------------------------------


@dataclass
class Row:
    section: str
    name: str
    unit: str
    facade: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    target: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "name": self.name,
            "unit": self.unit,
            "facade": summary(self.facade),
            "raw": summary(self.raw),
            "ratio": summary(self.ratios),
            "target": self.target,
            "note": self.note,
        }


def summary(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": float(len(values)),
    }


def _fmt(values: Sequence[float], digits: int = 1) -> str:
    if not values:
        return "-"
    med, lo, hi = statistics.median(values), min(values), max(values)
    return f"{med:.{digits}f} ({lo:.{digits}f}..{hi:.{digits}f})"


def markdown(rows: Sequence[Row]) -> str:
    lines = [
        "| section | measurement | unit | chime_calls | raw boto3 / botocore / aiobotocore "
        "| ratio or delta "
        "| target |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        # an import row's last column is milliseconds, unless it is a ratio
        digits = 1 if row.section == "import" and not row.target.startswith("ratio") else 3
        lines.append(
            f"| {row.section} | {row.name} | {row.unit} | {_fmt(row.facade)} | {_fmt(row.raw)} "
            f"| {_fmt(row.ratios, digits)} | {row.target} |"
        )
    lines.append("")
    lines.append("Each cell: median (min..max) over rounds.")
    notes = [f"- {row.section} / {row.name}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + notes)


def _interleaved(
    rounds: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Run ``first`` and ``second`` once per round, ABBA order, so drift hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            a.append(first())
            b.append(second())
        else:
            b.append(second())
            a.append(first())
    return a, b


#: The clock of the in-process sections: CPU time of this process by default, so other
#: processes competing for the machine's cores do not inflate either side (``--clock wall``).
CLOCK: Callable[[], float] = time.process_time


def _per_call_us(fn: Callable[[], object], calls: int) -> Callable[[], float]:
    def run() -> float:
        started = CLOCK()
        for _ in range(calls):
            fn()
        return (CLOCK() - started) / calls * 1e6

    return run


# --- sections -------------------------------------------------------------------------------


def section_per_call(rounds: int, calls: int) -> list[Row]:
    facade = facade_calls(bench_session())
    raw = raw_calls(bench_session())
    rows = []
    for name in raw:
        for fn in (facade[name], raw[name]):  # warm: clients, endpoint caches, regexes
            for _ in range(max(3, calls // 10)):
                fn()
        a, b = _interleaved(
            rounds, _per_call_us(facade[name], calls), _per_call_us(raw[name], calls)
        )
        rows.append(
            Row(
                "per-call",
                name,
                "µs/call",
                a,
                b,
                [x / y for x, y in zip(a, b, strict=True)],
                target=f"ratio <= {TARGETS['per-call']}",
            )
        )
    return rows


def section_validation(rounds: int, calls: int) -> list[Row]:
    import botocore.session
    from botocore.validate import ParamValidator

    from chime_calls import (
        CreateMeetingRequest,
        CreateSipMediaApplicationCallRequest,
        GetMeetingRequest,
    )

    models = botocore.session.get_session()
    cases: list[tuple[str, str, Callable[[], Any]]] = [
        (
            "create_sip_media_application_call",
            "chime-sdk-voice",
            lambda: CreateSipMediaApplicationCallRequest(
                sip_media_application_id=SMA_ID,
                from_phone_number=FROM,
                to_phone_number=TO,
                arguments_map=ARGUMENTS,
            ),
        ),
        (
            "create_meeting",
            "chime-sdk-meetings",
            lambda: CreateMeetingRequest(
                external_meeting_id="standup-42",
                media_region=REGION,
                meeting_features=FEATURES,
                client_request_token=TOKEN,  # the same token on both sides: no uuid4 here
            ),
        ),
        ("get_meeting", "chime-sdk-meetings", lambda: GetMeetingRequest(meeting_id=GUID)),
    ]
    validator = ParamValidator()
    rows = []
    for name, service, build in cases:
        request = build()
        shape = (
            models.get_service_model(service).operation_model(request.spec.operation).input_shape
        )
        params = request.to_params()

        def ours(build: Callable[[], Any] = build) -> None:
            build().validate_for("sdk")

        def theirs(params: dict[str, Any] = params, shape: Any = shape) -> None:
            report = validator.validate(params, shape)
            assert not report.has_errors()

        a, b = _interleaved(
            rounds, _per_call_us(ours, calls * 10), _per_call_us(theirs, calls * 10)
        )
        rows.append(
            Row(
                "validation",
                name,
                "µs/request",
                a,
                b,
                [x / y for x, y in zip(a, b, strict=True)],
                note=""
                if name != "get_meeting"
                else (
                    "chime_calls column: build the request model (type conversion and every "
                    "model constraint) plus the namespace check; botocore column: "
                    "ParamValidator on the same parameters (types, required, min, unknown)"
                ),
            )
        )
    return rows


def _child_env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return env


def _child(mode: str, env: Mapping[str, str]) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), "--child", mode],
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {mode} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


#: What a SIP media application Lambda imports: the handler, status events and an AWS sink.
SMA_IMPORT = "from chime_calls.sma import DialOutHandler, StatusTracker, SqsSink"


def _whole_process_ms(statement: str, env: Mapping[str, str]) -> float:
    """Wall time of ``python -c statement``, start-up included (what a cold start pays)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], env=dict(env), check=True)  # noqa: S603
    return (time.perf_counter() - started) * 1000


def section_import(rounds: int, cache: str) -> list[Row]:
    env = _child_env(cache)
    _child("import-package", env)  # write the bytecode cache once
    _whole_process_ms(SMA_IMPORT, env)
    sma, attrs_only = _interleaved(
        max(rounds, 5),
        lambda: _whole_process_ms(SMA_IMPORT, env),
        lambda: _whole_process_ms("import attrs", env),
    )
    samples: dict[str, list[float]] = {"package": [], "facade": []}
    base: list[float] = []
    for i in range(rounds):
        for what in ("package", "facade") if i % 2 == 0 else ("facade", "package"):
            result = _child(f"import-{what}", env)
            samples[what].append(result["ms"])
            base.append(result["boto3_ms"])
    rows = [
        Row(
            "import",
            "`import chime_calls` after `import boto3`",
            "ms",
            samples["package"],
            base,
            samples["package"],
            target=f"<= +{TARGETS['import']:.0f} ms",
            note="fresh interpreter per sample; the import statement alone, timed inside the "
            "process; raw column: `import boto3` itself in the same processes, for scale",
        ),
        Row(
            "import",
            "`from chime_calls import ChimeCalls, PhoneNumber` after `import boto3`",
            "ms",
            samples["facade"],
            base,
            samples["facade"],
            note="what a Lambda handler module does before it can build a facade",
        ),
        Row(
            "import",
            f"`{SMA_IMPORT}` vs `import attrs`, whole process",
            "ms",
            sma,
            attrs_only,
            [x / y for x, y in zip(sma, attrs_only, strict=True)],
            target=f"ratio <= {TARGETS['sma-import']}",
            note="a SIP media application Lambda's imports; each sample a fresh `python -c`, "
            "interpreter start-up included on both sides; raw column: `import attrs`",
        ),
    ]
    return rows


def section_cold_start(rounds: int, cache: str) -> list[Row]:
    env = _child_env(cache)
    _child("cold-facade", env)  # bytecode cache
    _child("cold-raw", env)
    first: dict[str, list[float]] = {"facade": [], "raw": []}
    total: dict[str, list[float]] = {"facade": [], "raw": []}
    no_gc: dict[str, list[float]] = {"facade": [], "raw": []}
    full: dict[str, int] = {"facade": 0, "raw": 0, "control": 0}
    control: list[float] = []
    clients: set[int] = set()
    for i in range(rounds):
        for side in ("facade", "raw") if i % 2 == 0 else ("raw", "facade"):
            result = _child(f"cold-{side}", env)
            first[side].append(result["first_call_ms"])
            no_gc[side].append(result["first_call_ms"] - result["gc_ms"])
            total[side].append(result["import_ms"] + result["first_call_ms"])
            full[side] += result["full_collections"]
            if side == "facade":
                clients.add(result["clients"])
        result = _child("cold-control", env)
        control.append(result["first_call_ms"])
        full["control"] += result["full_collections"]
    return [
        Row(
            "cold-start",
            "session + client + first create_sip_media_application_call",
            "ms",
            first["facade"],
            first["raw"],
            [x / y for x, y in zip(first["facade"], first["raw"], strict=True)],
            target=f"ratio <= {TARGETS['cold-start']}",
            note=f"fresh interpreter per sample, libraries already imported; the facade created "
            f"{sorted(clients)} client(s); full (generation 2) garbage collections inside the "
            f"timed window over all samples: facade {full['facade']}, raw {full['raw']}",
        ),
        Row(
            "cold-start",
            "the same, garbage-collector pauses subtracted",
            "ms",
            no_gc["facade"],
            no_gc["raw"],
            [x / y for x, y in zip(no_gc["facade"], no_gc["raw"], strict=True)],
            note="the work itself: the interpreter's collector runs when allocation counts "
            "cross its thresholds, so which side pays a full collection depends on everything "
            "imported before (docs/benchmarks.md)",
        ),
        Row(
            "cold-start",
            "imports + session + client + first call",
            "ms",
            total["facade"],
            total["raw"],
            [x / y for x, y in zip(total["facade"], total["raw"], strict=True)],
            note="a Lambda cold start as the handler sees it (interpreter start-up excluded)",
        ),
        Row(
            "cold-start",
            "control: raw boto3 after `import attrs` (first column) vs raw boto3",
            "ms",
            control,
            first["raw"],
            [x / y for x, y in zip(control, first["raw"], strict=True)],
            note=f"no chime_calls at all; full collections in the window: {full['control']} "
            "(an unrelated import moves the collector's next full pass into the window)",
        ),
    ]


def section_threads(rounds: int, calls: int, threads: int) -> list[Row]:
    from chime_calls import ChimeCalls

    facade = ChimeCalls(session=bench_session(), region_name=REGION)
    raw = bench_session().client("chime-sdk-meetings")

    def hammer(call: Callable[[], object]) -> Callable[[], float]:
        def run() -> float:
            barrier = threading.Barrier(threads + 1)

            def work() -> None:
                barrier.wait()
                for _ in range(calls):
                    call()

            pool = [threading.Thread(target=work) for _ in range(threads)]
            for t in pool:
                t.start()
            barrier.wait()
            started = time.perf_counter()
            for t in pool:
                t.join()
            return threads * calls / (time.perf_counter() - started)

        return run

    def via_facade() -> object:
        return facade.get_meeting(meeting_id=GUID)

    def via_raw() -> object:
        return raw.get_meeting(MeetingId=GUID)

    via_facade()
    via_raw()
    a, b = _interleaved(rounds, hammer(via_facade), hammer(via_raw))
    return [
        Row(
            "threads",
            f"{threads} threads sharing one facade / one client, get_meeting",
            "calls/s",
            a,
            b,
            [x / y for x, y in zip(a, b, strict=True)],
            note="ratio is facade / raw throughput: higher is better, 1.0 is parity",
        )
    ]


def section_async(rounds: int, calls: int, tasks: int) -> list[Row]:
    """Per call (sequential awaits), and throughput of ``tasks`` concurrent tasks sharing one
    facade / one client, both against raw aiobotocore, in one event loop."""
    import contextlib

    loop = asyncio.new_event_loop()
    stack = contextlib.AsyncExitStack()
    try:
        facade = loop.run_until_complete(facade_aio_calls(bench_aio_session(), stack))
        raw = loop.run_until_complete(raw_aio_calls(bench_aio_session(), stack))

        def sequential(fn: Callable[[], Awaitable[object]], n: int) -> Callable[[], float]:
            async def run() -> None:
                for _ in range(n):
                    await fn()

            def timed() -> float:
                started = CLOCK()
                loop.run_until_complete(run())
                return (CLOCK() - started) / n * 1e6

            return timed

        def concurrent(fn: Callable[[], Awaitable[object]], each: int) -> Callable[[], float]:
            async def task() -> None:
                for _ in range(each):
                    await fn()

            async def run() -> None:
                await asyncio.gather(*(task() for _ in range(tasks)))

            def timed() -> float:
                started = CLOCK()
                loop.run_until_complete(run())
                return tasks * each / (CLOCK() - started)

            return timed

        rows = []
        for name in raw:
            for fn in (facade[name], raw[name]):  # warm: clients, endpoint caches, regexes
                sequential(fn, max(3, calls // 10))()
            a, b = _interleaved(
                rounds, sequential(facade[name], calls), sequential(raw[name], calls)
            )
            rows.append(
                Row(
                    "async",
                    f"{name}, awaited one after another",
                    "µs/call",
                    a,
                    b,
                    [x / y for x, y in zip(a, b, strict=True)],
                    target=f"ratio <= {TARGETS['async']}",
                    note=""
                    if name != "get_meeting"
                    else "AsyncChimeCalls against raw aiobotocore clients, same canned answers",
                )
            )
        each = max(1, calls // 20)
        a, b = _interleaved(
            rounds,
            concurrent(facade["get_meeting"], each),
            concurrent(raw["get_meeting"], each),
        )
        rows.append(
            Row(
                "async",
                f"{tasks} concurrent tasks sharing one facade / one client, get_meeting",
                "calls/s",
                a,
                b,
                [x / y for x, y in zip(a, b, strict=True)],
                target=f"ratio >= {TARGETS['tasks']}",
                note=f"{each} calls per task per round, per second of the run's clock (CPU "
                "time by default: one thread, no I/O); ratio is facade / raw throughput: higher "
                "is better, 1.0 is parity",
            )
        )
        return rows
    finally:
        loop.run_until_complete(stack.aclose())
        loop.close()


def _campaign_rate(rate: float, numbers: int) -> tuple[float, float]:
    """A campaign of ``numbers`` calls at ``rate`` on the fake (quotas on, no throttles):
    the rate it sustained on the fake's clock, and the real seconds it took."""
    import boto3

    from chime_calls import ChimeCalls
    from chime_calls.campaign import Campaign
    from chime_calls.ledger import MemoryLedger
    from chime_calls.sma import response, track_status
    from chime_calls.testing import mock_chime

    started: list[float] = []
    ledger = MemoryLedger()

    def note(event: Any) -> None:
        if event.status == "initiated":
            started.append(event.time)

    handler = track_status(lambda event, context: response(), [note], ledger=ledger)
    real = time.perf_counter()
    with mock_chime() as chime:
        sma = chime.provision_sip_media_application("sma-1", region=REGION, handler=handler)
        chime.callee_rule(ring_seconds=0.5, talk_seconds=1.0)
        chime.rate_limit("CreateSipMediaApplicationCall", rate)  # the account's quota
        chime.limit_concurrent_calls(10)
        calls = ChimeCalls(
            session=boto3.Session(region_name=REGION), sip_media_application_id="sma-1"
        )
        numbers_list = [f"+1425555{i:04d}" for i in range(numbers)]
        report = Campaign(
            calls, numbers_list, from_phone_number=sma.phone_number, ledger=ledger, rate=rate
        ).run()
        throttled = [r for r in chime.requests if r.status == 429]
    if report.counts != {"completed": numbers} or throttled:
        raise RuntimeError(f"the campaign did not run cleanly: {report.counts}, {throttled}")
    sustained = (len(started) - 1) / (started[-1] - started[0])
    return sustained, time.perf_counter() - real


def _ledger_work(ledger_factory: Callable[[], Any], calls: int) -> Callable[[], float]:
    """Per-call µs of ``place()`` with a fresh ledger of ``ledger_factory`` per round, or of
    ``send()`` alone when the factory gives ``None``."""
    from chime_calls import ChimeCalls
    from chime_calls.ledger import place
    from chime_calls.models import CreateSipMediaApplicationCallRequest

    facade = ChimeCalls(session=bench_session(), region_name=REGION)
    counter = iter(range(10**9))

    def run() -> float:
        ledger = ledger_factory()
        requests = [
            CreateSipMediaApplicationCallRequest(
                sip_media_application_id=SMA_ID,
                from_phone_number=FROM,
                to_phone_number=TO,
                arguments_map={**ARGUMENTS, "CorrelationId": f"c-{next(counter)}"},
            )
            for _ in range(calls)
        ]
        started = CLOCK()
        if ledger is None:
            for request in requests:
                facade.send(request)
        else:
            for request in requests:
                place(facade, request, ledger=ledger)
        return (CLOCK() - started) / calls * 1e6

    return run


def section_campaign(rounds: int, calls: int, numbers: int) -> list[Row]:
    from chime_calls.ledger import MemoryLedger, SqliteLedger

    rows = []
    for rate in (1.0, 5.0):
        sustained, real = [], []
        for _ in range(max(1, rounds // 10)):
            achieved, seconds = _campaign_rate(rate, numbers)
            sustained.append(achieved)
            real.append(seconds / numbers * 1000)
        rows.append(
            Row(
                "campaign",
                f"{numbers} calls at {rate:g}/s, no throttles: sustained rate on the fake's clock",
                "calls/s",
                sustained,
                [rate] * len(sustained),
                [x / rate for x in sustained],
                target=f"ratio >= {TARGETS['campaign-rate']}",
                note=f"the account's quota set to the campaign's rate, 10 concurrent calls, "
                f"callees ring 0.5 s and talk 1 s; real time per call "
                f"{statistics.median(real):.2f} ms (fake, SIP media application, ledger)",
            )
        )
    with tempfile.TemporaryDirectory(prefix="chime-calls-bench-ledger-") as folder:
        stores: dict[str, Callable[[], Any]] = {
            "MemoryLedger": MemoryLedger,
            "SqliteLedger (a file, WAL)": lambda: SqliteLedger(
                Path(folder) / f"{time.perf_counter_ns()}.sqlite"
            ),
        }
        plain = _ledger_work(lambda: None, calls)
        for _ in range(3):
            plain()  # warm the client and the route
        for name, factory in stores.items():
            with_ledger = _ledger_work(factory, calls)
            with_ledger()
            a, b = _interleaved(rounds, with_ledger, plain)
            rows.append(
                Row(
                    "campaign",
                    f"place() with a {name} vs send(), create_sip_media_application_call",
                    "µs/call",
                    a,
                    b,
                    [x / y for x, y in zip(a, b, strict=True)],
                    target=f"ratio <= {TARGETS['ledger']}",
                    note="the claim before the call and the record after it; answered "
                    "in-process as in the per-call section (a real call's round trip is "
                    "hundreds of times longer)",
                )
            )
    return rows


# --- child processes (import and cold-start samples) ----------------------------------------


def child(mode: str) -> dict[str, Any]:
    if mode.startswith("import-"):
        started = time.perf_counter()
        import boto3  # the baseline every sample starts from

        imported = time.perf_counter()
        if mode == "import-package":
            import chime_calls
        elif mode == "import-facade":
            from chime_calls import ChimeCalls, PhoneNumber  # noqa: F401
        else:
            raise SystemExit(f"unknown child mode {mode!r}")
        done = time.perf_counter()
        return {"boto3_ms": (imported - started) * 1000, "ms": (done - imported) * 1000}
    if mode in ("cold-facade", "cold-raw", "cold-control"):
        import gc

        pauses: list[float] = []
        collections = [0, 0, 0]

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                collections[info["generation"]] += 1
                pauses.append(-time.perf_counter())
            elif pauses:
                pauses[-1] += time.perf_counter()

        started = time.perf_counter()
        import boto3

        if mode == "cold-facade":
            # The library's modules, as a Lambda's imports load them before the handler runs
            # (the facade's import alone no longer loads the models).
            import chime_calls.models  # noqa: F401
            from chime_calls import ChimeCalls
        elif mode == "cold-control":
            import attrs  # noqa: F401 - the control: raw boto3 after an unrelated import
        imported = time.perf_counter()
        gc.callbacks.append(on_gc)
        session = boto3.Session(
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
        )
        for service in SERVICES:
            session.events.register(f"before-send.{service}", respond)
        clients = 1
        if mode == "cold-facade":
            calls = ChimeCalls(session=session, region_name=REGION)
            calls.create_sip_media_application_call(
                sip_media_application_id=SMA_ID, from_phone_number=FROM, to_phone_number=TO
            )
            clients = len(calls._clients)
        else:
            session.client("chime-sdk-voice").create_sip_media_application_call(
                SipMediaApplicationId=SMA_ID, FromPhoneNumber=FROM, ToPhoneNumber=TO
            )
        done = time.perf_counter()
        gc.callbacks.remove(on_gc)
        return {
            "import_ms": (imported - started) * 1000,
            "first_call_ms": (done - imported) * 1000,
            "gc_ms": sum(p for p in pauses if p > 0) * 1000,
            "full_collections": collections[2],
            "clients": clients,
        }
    raise SystemExit(f"unknown child mode {mode!r}")


# --- main -----------------------------------------------------------------------------------


def _has_aiobotocore() -> bool:
    import importlib.util

    return importlib.util.find_spec("aiobotocore") is not None


def environment() -> dict[str, str]:
    import attrs
    import boto3
    import botocore

    import chime_calls

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    return {
        "machine": " ".join(platform.uname()),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": sys.version.split()[0],
        "chime_calls": chime_calls.__version__,
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "aiobotocore": _aiobotocore_version(),
        "attrs": attrs.__version__,
    }


def _aiobotocore_version() -> str:
    if not _has_aiobotocore():
        return "not installed (the async section is skipped)"
    import aiobotocore

    return str(aiobotocore.__version__)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--smoke", action="store_true", help="few iterations: check it runs")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per measurement")
    parser.add_argument("--calls", type=int, help="calls per round (per-call, threads)")
    parser.add_argument("--threads", type=int, default=8, help="threads in the threads section")
    parser.add_argument("--tasks", type=int, default=100, help="tasks in the async section")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="per-call and validation clock: process CPU time (default) or wall time",
    )
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    global CLOCK  # noqa: PLW0603 - one switch for the whole run
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    rounds = args.rounds or (2 if args.smoke else 31)
    calls = args.calls or (3 if args.smoke else 200)
    spawn_rounds = args.rounds or (2 if args.smoke else 20)
    threads = 2 if args.smoke else args.threads
    sections = args.only or list(SECTIONS)
    env = environment()
    print("# chime-calls benchmarks" + (" (smoke run: timings meaningless)" if args.smoke else ""))
    for key, value in env.items():
        print(f"- {key}: {value}")
    print()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="chime-calls-bench-pyc-") as cache:
        for section in sections:
            started = time.perf_counter()
            if section == "per-call":
                rows += section_per_call(rounds, calls)
            elif section == "validation":
                rows += section_validation(rounds, calls)
            elif section == "import":
                rows += section_import(spawn_rounds, cache)
            elif section == "cold-start":
                rows += section_cold_start(spawn_rounds, cache)
            elif section == "threads":
                rows += section_threads(rounds, max(1, calls // 3), threads)
            elif section == "async":
                if not _has_aiobotocore():  # (the async extra pins botocore: its own environment)
                    print("[async: skipped, aiobotocore is not installed]", file=sys.stderr)
                    continue
                rows += section_async(rounds, calls, 10 if args.smoke else args.tasks)
            elif section == "campaign":
                rows += section_campaign(rounds, calls, 20 if args.smoke else 300)
            print(f"[{section}: {time.perf_counter() - started:.1f} s]", file=sys.stderr)
    print(markdown(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"environment": env, "smoke": args.smoke, "rows": [r.as_dict() for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
