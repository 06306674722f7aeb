"""Campaigns against the fake, on its clock: paced, limited, journaled, resumable, at most once
per number, through real boto3 clients and a real SIP media application handler."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from chime_calls import ChimeCalls
from chime_calls.campaign import (
    Campaign,
    CampaignError,
    CampaignProgress,
    StderrProgress,
    read_numbers,
    rows_from,
)
from chime_calls.cli import main
from chime_calls.ledger import CallLedger, MemoryLedger, SqliteLedger
from chime_calls.sma import Speak, StatusEvent, response, track_status
from chime_calls.testing import ChimeFake, MagicNumbers, mock_chime

REGION = "eu-west-2"


def speaks(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A reminder: says its piece when answered; the callee hangs up when they like."""
    if event["InvocationEventType"] == "CALL_ANSWERED":
        leg = event["CallDetails"]["Participants"][0]
        return response(Speak(text="Your appointment is tomorrow", call_id=leg["CallId"]))
    return response()


class Crash(BaseException):
    """A crash: nothing catches it, nothing is cleaned up."""


@pytest.fixture
def chime() -> Iterator[ChimeFake]:
    with mock_chime() as fake:
        yield fake


def _setup(
    chime: ChimeFake, ledger: CallLedger | None, sinks: list[Any] | None = None
) -> tuple[ChimeCalls, str]:
    handler = track_status(speaks, sinks or [], ledger=ledger)
    sma = chime.provision_sip_media_application("sma-1", region=REGION, handler=handler)
    chime.callee_rule(talk_seconds=10)  # callees listen, then hang up (later rules win)
    calls = ChimeCalls(session=boto3.Session(region_name=REGION), sip_media_application_id="sma-1")
    return calls, sma.phone_number


def _numbers(count: int, start: int = 0) -> list[str]:
    return [f"+1425555{i:04d}" for i in range(start, start + count)]


def test_200_numbers_through_throttles_lost_answers_and_a_crash_each_dialed_at_most_once(
    chime: ChimeFake, tmp_path: Path
) -> None:
    journal = tmp_path / "campaign.journal"
    ledger = SqliteLedger(journal)
    calls, from_number = _setup(chime, ledger)
    chime.callee_rule(ring_seconds=4, talk_seconds=25)
    chime.callee_rule(lambda n: n.endswith("7"), answer="no-answer", ring_seconds=30)
    chime.limit_concurrent_calls(10)
    numbers = _numbers(200)
    numbers[11] = MagicNumbers.BUSY
    numbers[12] = MagicNumbers.UNAVAILABLE  # 503: never placed, but the facade cannot know
    chime.throttle("CreateSipMediaApplicationCall", times=4)
    chime.lose_answer("CreateSipMediaApplicationCall", times=3)

    def crash_at_90(progress: CampaignProgress) -> None:
        if progress.placed == 90:
            raise Crash

    first = Campaign(
        calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger,
        progress=crash_at_90, call_timeout=120,
    )  # fmt: skip
    with pytest.raises(Crash):
        first.run()
    assert 85 <= len(chime.calls) <= 91
    chime.advance(5)  # the process is gone; the calls it placed go on

    resumed = Campaign(
        calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger,
        call_timeout=120,
    )  # fmt: skip
    assert resumed.campaign_id == first.campaign_id
    report = resumed.run()

    dialed = Counter(call.to_phone_number for call in chime.calls)
    assert max(dialed.values()) == 1  # nobody dialed twice
    by_number = {numbers[r.row - 1]: r for r in report.results}
    for number, result in by_number.items():
        if result.outcome in ("completed", "busy", "no-answer", "failed", "no-status"):
            assert dialed[number] == 1, (number, result)
        else:  # never dialed, or reported as unknown
            assert result.outcome == "unknown", (number, result)
    assert by_number[MagicNumbers.BUSY].outcome == "busy"
    assert by_number[MagicNumbers.UNAVAILABLE].outcome == "unknown"
    assert by_number[numbers[7]].outcome == "no-answer"
    assert report.counts["completed"] == 200 - 1 - 1 - sum(1 for n in numbers if n[-1] == "7")
    assert report.finished
    assert not any(r.outcome == "not-dialed" for r in report.results)
    assert not [r for r in chime.requests if r.fault == "concurrent_calls"]
    completed = next(r for r in report.results if r.outcome == "completed")
    assert completed.talk_seconds == pytest.approx(25)
    assert completed.ring_seconds == pytest.approx(4)


def test_the_rate_and_the_concurrency_hold(chime: ChimeFake) -> None:
    started: list[StatusEvent] = []
    ledger = MemoryLedger()
    calls, from_number = _setup(
        chime, ledger, [lambda e: started.append(e) if e.status == "initiated" else None]
    )
    chime.callee_rule(talk_seconds=2)
    chime.limit_concurrent_calls(3)
    chime.rate_limit("CreateSipMediaApplicationCall", 2.0)
    report = Campaign(
        calls, _numbers(30), from_phone_number=from_number, ledger=ledger, rate=2.0, concurrency=3
    ).run()
    assert report.counts == {"completed": 30}
    gaps = [b.time - a.time for a, b in itertools.pairwise(started)]
    assert min(gaps) >= 0.5 - 1e-6
    assert not [r for r in chime.requests if r.fault in ("concurrent_calls", "rate_limit")]


def test_throttles_slow_it_down_and_fail_nothing(chime: ChimeFake) -> None:
    started: list[float] = []
    ledger = MemoryLedger()
    calls, from_number = _setup(
        chime, ledger, [lambda e: started.append(e.time) if e.status == "initiated" else None]
    )
    chime.throttle("CreateSipMediaApplicationCall", times=6)  # twice the facade's attempts
    report = Campaign(calls, _numbers(6), from_phone_number=from_number, ledger=ledger).run()
    assert report.counts == {"completed": 6}
    assert chime.attempts("CreateSipMediaApplicationCall") == 12
    assert started[1] - started[0] > 1.0  # slower than the configured rate after throttles


def test_bad_rows_are_reported_before_the_first_call(chime: ChimeFake) -> None:
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    numbers = ["+14255550101", "555-0199", "+14255550101", "", "+14255550102"]
    campaign = Campaign(calls, numbers, from_phone_number=from_number, ledger=ledger)
    plan = campaign.plan()
    assert [(r.row, r.problem) for r in plan.bad_rows] == [
        (2, "invalid"),
        (3, "duplicate"),
        (4, "invalid"),
    ]
    assert "row 3: duplicate (+1********01): the same number as row 1" in plan.describe()
    assert "555-0199" not in plan.describe()
    assert chime.calls == []
    report = campaign.run()
    assert [r.outcome for r in report.results] == [
        "completed",
        "invalid",
        "duplicate",
        "invalid",
        "completed",
    ]
    assert len(chime.calls) == 2


def test_a_dry_run_dials_nothing_and_counts_what_is_left(chime: ChimeFake, tmp_path: Path) -> None:
    calls, from_number = _setup(chime, None)
    journal = tmp_path / "j"
    plan = Campaign(calls, _numbers(12), from_phone_number=from_number, journal=journal).plan()
    assert len(plan.to_dial) == 12
    assert plan.minimum_seconds == 11.0
    assert "12 number(s) to dial at 1/s, at most 10 at once" in plan.describe()
    assert chime.calls == []


def test_stop_lets_the_calls_going_on_finish_and_a_resume_dials_the_rest(
    chime: ChimeFake, tmp_path: Path
) -> None:
    journal = tmp_path / "j"
    ledger = SqliteLedger(journal)
    calls, from_number = _setup(chime, ledger)
    chime.callee_rule(talk_seconds=30)
    numbers = _numbers(20)
    seen: list[CampaignProgress] = []

    def stop_after_5(progress: CampaignProgress) -> None:
        seen.append(progress)
        if progress.placed == 5:
            campaign.stop()

    campaign = Campaign(
        calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger,
        progress=stop_after_5,
    )  # fmt: skip
    report = campaign.run()
    assert report.stopped
    assert not report.finished
    assert report.counts == {"completed": 5, "not-dialed": 15}  # the five finished their calls
    assert seen[-1].stopping
    assert seen[-1].in_flight == 0
    resumed = Campaign(
        calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger
    ).run()
    assert resumed.counts == {"completed": 20}
    assert resumed.finished
    assert len(chime.calls) == 20


def test_stop_now_leaves_the_calls_going_on_to_the_next_run(
    chime: ChimeFake, tmp_path: Path
) -> None:
    journal = tmp_path / "j"
    ledger = SqliteLedger(journal)
    calls, from_number = _setup(chime, ledger)
    chime.callee_rule(talk_seconds=30)

    def abort_after_3(progress: CampaignProgress) -> None:
        if progress.placed == 3:
            campaign.stop(now=True)

    campaign = Campaign(
        calls, _numbers(6), from_phone_number=from_number, journal=journal, ledger=ledger,
        progress=abort_after_3,
    )  # fmt: skip
    report = campaign.run()
    assert report.counts == {"no-status": 3, "not-dialed": 3}  # going on, as far as it knows
    again = Campaign(
        calls, _numbers(6), from_phone_number=from_number, journal=journal, ledger=ledger
    ).run()
    assert again.counts == {"completed": 6}
    assert len(chime.calls) == 6


@pytest.mark.parametrize("crash_in", ["claim", "mark_placed"])
def test_a_crash_around_the_request_never_dials_twice(
    chime: ChimeFake, tmp_path: Path, crash_in: str
) -> None:
    journal = tmp_path / "j"

    class Crashing(SqliteLedger):
        armed = True

        def claim(self, correlation_id: str, *, holder: str | None = None) -> bool:
            won = super().claim(correlation_id, holder=holder)
            if crash_in == "claim" and self.armed and correlation_id.endswith("-3"):
                raise Crash  # claimed, never sent
            return won

        def mark_placed(self, correlation_id: str, transaction_id: str) -> None:
            if crash_in == "mark_placed" and self.armed and correlation_id.endswith("-3"):
                raise Crash  # sent and placed, never recorded
            super().mark_placed(correlation_id, transaction_id)

    ledger = Crashing(journal)
    calls, from_number = _setup(chime, ledger)
    numbers = _numbers(5)
    with pytest.raises(Crash):
        Campaign(
            calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger
        ).run()
    ledger.armed = False
    report = Campaign(
        calls, numbers, from_phone_number=from_number, journal=journal, ledger=ledger,
        call_timeout=30,
    ).run()  # fmt: skip
    dialed = Counter(call.to_phone_number for call in chime.calls)
    assert max(dialed.values()) == 1
    third = report.results[2]
    if crash_in == "claim":  # it may have gone out: reported, never re-sent
        assert third.outcome == "unknown"
        assert dialed[numbers[2]] == 0
    else:  # the application saw it start: the ledger settles it
        assert third.outcome == "completed"
        assert dialed[numbers[2]] == 1


def test_without_status_a_call_holds_its_slot_for_call_timeout(chime: ChimeFake) -> None:
    calls, from_number = _setup(chime, None)  # the application reports to no ledger
    report = Campaign(
        calls, _numbers(4), from_phone_number=from_number, concurrency=2, call_timeout=60
    ).run()
    assert report.counts == {"no-status": 4}
    assert chime.clock.monotonic() >= 120  # two rounds of two slots, each held 60 s


def test_another_campaign_with_the_same_ledger_dials_nobody_again(chime: ChimeFake) -> None:
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    numbers = _numbers(3)
    Campaign(calls, numbers, from_phone_number=from_number, ledger=ledger, campaign_id="c7").run()
    again = Campaign(
        calls, numbers, from_phone_number=from_number, ledger=ledger, campaign_id="c7"
    ).run()
    assert again.counts == {"already-placed": 3}
    assert len(chime.calls) == 3
    assert again.results[0].status == "completed"


def test_a_journal_belongs_to_one_list(chime: ChimeFake, tmp_path: Path) -> None:
    calls, from_number = _setup(chime, None)
    journal = tmp_path / "j"
    Campaign(calls, _numbers(2), from_phone_number=from_number, journal=journal, campaign_id="a")
    with pytest.raises(CampaignError, match="another list of numbers"):
        Campaign(calls, _numbers(3), from_phone_number=from_number, journal=journal)
    with pytest.raises(CampaignError, match="belongs to campaign 'a', not 'b'"):
        Campaign(
            calls, _numbers(2), from_phone_number=from_number, journal=journal, campaign_id="b"
        )
    assert "4255550000" not in (tmp_path / "j").read_bytes().decode("latin-1")


def test_settings_are_checked(chime: ChimeFake) -> None:
    calls, from_number = _setup(chime, None)
    with pytest.raises(ValueError, match="rate"):
        Campaign(calls, [], from_phone_number=from_number, rate=0)
    with pytest.raises(ValueError, match="concurrency"):
        Campaign(calls, [], from_phone_number=from_number, concurrency=0)
    bare = ChimeCalls(session=boto3.Session(region_name=REGION))
    with pytest.raises(CampaignError, match="sip_media_application_id"):
        Campaign(bare, [], from_phone_number=from_number)


def test_results_mask_numbers_unless_asked(chime: ChimeFake, tmp_path: Path) -> None:
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    report = Campaign(
        calls, ["+14255550101", "nope"], from_phone_number=from_number, ledger=ledger
    ).run()
    report.write(tmp_path / "r.json")
    report.write(tmp_path / "r.csv")
    text = (tmp_path / "r.json").read_text() + (tmp_path / "r.csv").read_text()
    assert "4255550101" not in text
    assert "+1********01" in text
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["counts"] == {"completed": 1, "invalid": 1}
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert [r["outcome"] for r in rows] == ["completed", "invalid"]
    out = io.StringIO()
    report.write(out, format="csv", reveal_numbers=True)
    assert "+14255550101" in out.getvalue()
    with pytest.raises(ValueError, match="format"):
        report.write(out, format="xml")


def test_lists_as_text_or_csv_with_arguments(chime: ChimeFake, tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("# reminders\n+14255550101\n\n+14255550102\n")
    assert [(r.row, r.problem) for r in read_numbers(tmp_path / "list.txt")] == [
        (2, None),
        (4, None),
    ]
    (tmp_path / "list.csv").write_text("Name,Phone,When\nAda,+14255550101,9am\nBob,x,10am\n")
    rows = read_numbers(tmp_path / "list.csv")
    assert [(r.row, r.problem, dict(r.arguments)) for r in rows] == [
        (2, None, {"Name": "Ada", "When": "9am"}),
        (3, "invalid", {"Name": "Bob", "When": "10am"}),
    ]
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    Campaign(
        calls, rows, from_phone_number=from_number, ledger=ledger, arguments={"Clinic": "North"}
    ).run()
    (call,) = chime.calls
    assert call.arguments_map["Name"] == "Ada"
    assert call.arguments_map["Clinic"] == "North"
    assert call.arguments_map["CorrelationId"].endswith("-2")
    assert [r.problem for r in rows_from([{"number": "+14255550101", "Name": "x"}])] == [None]


def test_the_progress_display(chime: ChimeFake) -> None:
    stream = io.StringIO()
    display = StderrProgress(stream)
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    Campaign(
        calls, _numbers(3), from_phone_number=from_number, ledger=ledger, progress=display
    ).run()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[      0 s] placed 0/3")
    assert lines[-1] == (
        "[     12 s] placed 3/3, answered 3, failed 0, going on 0, remaining 0, 1.00 calls/s"
    )  # the last line comes whenever the campaign ends

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    live = StderrProgress(tty)
    live(CampaignProgress(total=2, placed=1, answered=0, failed=0, in_flight=1, remaining=1,
                          rate=0.0, elapsed=1.0))  # fmt: skip
    live.close()
    assert tty.getvalue().startswith("\rplaced 1/2")
    assert tty.getvalue().endswith("\n")


# --- chime-calls dial -----------------------------------------------------------------------


def _dial(*args: str) -> int:
    return main(["dial", "--sip-media-application-id", "sma-1", "--region", REGION, *args])


def test_the_command_dials_resumes_and_writes_results(
    chime: ChimeFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger_path = tmp_path / "list.txt.journal"
    _calls, from_number = _setup(chime, SqliteLedger(ledger_path))
    numbers = tmp_path / "list.txt"
    numbers.write_text("+14255550101\n+14255550102\nbad\n")
    assert _dial("--numbers", str(numbers), "--from", from_number, "--dry-run") == 0
    assert chime.calls == []
    assert _dial("--numbers", str(numbers), "--from", from_number, "--strict") == 2
    results = tmp_path / "results.csv"
    status = _dial(
        "--numbers", str(numbers), "--from", from_number, "--results", str(results),
        "--argument", "Clinic=North",
    )  # fmt: skip
    assert status == 0
    out, err = capsys.readouterr()
    assert "completed" in out
    assert "row 3: invalid" in err
    assert "placed 2/2" in err
    assert "4255550101" not in out + err + results.read_text()
    assert chime.calls[0].arguments_map["Clinic"] == "North"
    assert _dial("--numbers", str(numbers), "--from", from_number) == 0  # resumed: nothing left
    assert len(chime.calls) == 2


def test_the_command_refuses_what_it_cannot_use(
    chime: ChimeFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _dial("--numbers", str(tmp_path / "missing"), "--from", "+12065550100") == 2
    numbers = tmp_path / "list.txt"
    numbers.write_text("+14255550101\n")
    assert _dial("--numbers", str(numbers), "--from", "+12065550100", "--argument", "x") == 2
    assert _dial("--numbers", str(numbers), "--from", "12-34") == 2
    err = capsys.readouterr().err
    assert "cannot read" in err
    assert "KEY=VALUE" in err
    assert "invalid field" in err
    assert chime.calls == []


@pytest.mark.slow
def test_1000_numbers_in_seconds_of_real_time(chime: ChimeFake) -> None:
    ledger = MemoryLedger()
    calls, from_number = _setup(chime, ledger)
    chime.callee_rule(ring_seconds=3, talk_seconds=5)
    chime.limit_concurrent_calls(10)
    report = Campaign(calls, _numbers(1000), from_phone_number=from_number, ledger=ledger).run()
    assert report.counts == {"completed": 1000}
    assert len(chime.calls) == 1000
    assert 999 <= chime.clock.monotonic() < 1100  # paced at 1/s, never above
