"""Dialing campaigns: ring a list of numbers within AWS's quotas, at most once each.

``Campaign`` places one ``CreateSipMediaApplicationCall`` per number of a list
(appointment reminders, outbound notifications): the SIP media application's Lambda does the
talking, with the ``ArgumentsMap`` the campaign gives each call. What it adds to a loop:

* **Paced**: calls go out at ``rate`` per second (AWS's documented default quota for
  CreateSipMediaApplicationCall is 1 per second), and no more than ``concurrency`` are going
  on at once (AWS's default: 10 concurrent calls). A throttle slows the campaign down (the
  rate halves, then recovers) instead of failing it.
* **At most once**: every number gets a correlation ID (``<campaign ID>-<row>``), claimed in a
  call ledger (``chime_calls.ledger``) before the call is placed; a journal records each
  step before it happens, so a campaign that crashed or was stopped resumes from its journal
  without dialing anyone twice. A call whose outcome is unknown (a lost answer) is never
  re-sent: it is reported, or confirmed by the ledger when the application saw it start.
* **Watched**: with the SIP media application reporting status to the same ledger
  (``DialOutHandler(ledger=...)`` or ``chime_calls.sma.track_status``), the campaign knows
  when each call ends and how (completed, busy, no answer, failed), which frees its slot.
  Without it, a call holds its slot for ``call_timeout`` seconds.
* **Checked first**: malformed numbers and duplicates are reported before the first call;
  ``Campaign.plan`` is the dry run.

The command line is ``chime-calls dial`` (``chime-calls docs campaigns``).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import secrets
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

import attrs

from chime_calls._contract import ARG_CORRELATION_ID
from chime_calls._rules import _Struct
from chime_calls.values import PhoneNumber

if TYPE_CHECKING:
    from chime_calls._clock import Clock
    from chime_calls.client import ChimeCalls
    from chime_calls.ledger import CallLedger, LedgerEntry

__all__ = [
    "CallResult",
    "Campaign",
    "CampaignError",
    "CampaignPlan",
    "CampaignProgress",
    "CampaignReport",
    "CampaignRow",
    "StderrProgress",
    "read_numbers",
]

#: AWS's documented default rate for CreateSipMediaApplicationCall, per account and region.
DEFAULT_RATE: Final = 1.0
#: AWS's documented default of concurrent SIP media application calls.
DEFAULT_CONCURRENCY: Final = 10
_OPERATION: Final = "CreateSipMediaApplicationCall"
_NUMBER_COLUMNS: Final = ("number", "phone", "phone_number", "to", "to_phone_number")
#: Outcomes of a row (``CallResult.outcome``).
OUTCOMES: Final = (
    "completed",
    "busy",
    "no-answer",
    "failed",
    "no-status",
    "unknown",
    "not-placed",
    "already-placed",
    "invalid",
    "duplicate",
    "not-dialed",
)
_CALL_FINAL: Final = frozenset({"completed", "busy", "no-answer", "failed"})
# What the progress display counts as failed: every way a number was not reached.
_FAILED: Final = frozenset({"busy", "no-answer", "failed", "not-placed", "unknown"})
# A throttled number is tried again after the campaign slowed down; after this many throttles
# in a row without a call going out, it is reported not placed (a quota of zero would loop).
_MAX_THROTTLES: Final = 30
_MIN_RATE: Final = 1 / 60


class CampaignError(Exception):
    """The campaign cannot start or resume as asked (a journal of another list, a bad setting)."""


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CampaignRow(_Struct):
    """One number of the list: ``row`` is its line (1-based), ``arguments`` the row's extra
    ``ArgumentsMap`` entries (the other CSV columns), ``problem`` why it is not dialed
    (``invalid``: not an E.164 number; ``duplicate``: the same number on an earlier row)."""

    row: int
    number: PhoneNumber | None
    arguments: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    problem: str | None = None
    detail: str | None = None


def read_numbers(path: str | os.PathLike[str]) -> list[CampaignRow]:
    """Read a list of numbers: one per line, or a CSV file with a header whose ``number``
    (or ``phone``, ``phone_number``, ``to``) column holds them, the other columns becoming
    ``ArgumentsMap`` entries of that row's call. Blank lines and ``#`` comments are skipped."""
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)]
    content = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not content or "," not in content[0][1]:
        return rows_from((line.strip() for _, line in content), rows=[n for n, _ in content])
    reader = csv.reader(io.StringIO("\n".join(line for _, line in content)))
    columns = [c.strip() for c in next(reader)]
    lowered = [c.lower() for c in columns]
    index = next((lowered.index(c) for c in _NUMBER_COLUMNS if c in lowered), 0)
    entries: list[Mapping[str, str]] = []
    numbers: list[int] = []
    for (line_number, _), values in zip(content[1:], reader, strict=False):
        entry = {columns[i]: v.strip() for i, v in enumerate(values) if i < len(columns)}
        entry["__number__"] = values[index].strip() if index < len(values) else ""
        entries.append(entry)
        numbers.append(line_number)
    number_column = columns[index]
    return rows_from(
        (
            {
                "number": e["__number__"],
                **{k: v for k, v in e.items() if k not in ("__number__", number_column)},
            }
            for e in entries
        ),
        rows=numbers,
    )


def rows_from(
    numbers: Iterable[str | Mapping[str, str]], *, rows: Sequence[int] | None = None
) -> list[CampaignRow]:
    """The campaign's rows from numbers (strings, or mappings with a ``"number"`` and the
    row's extra ``ArgumentsMap`` entries), each checked: malformed numbers and repeats are
    marked with their problem, never dialed."""
    from chime_calls.errors import ValidationError

    out: list[CampaignRow] = []
    seen: dict[str, int] = {}
    for position, item in enumerate(numbers):
        row = rows[position] if rows is not None else position + 1
        if isinstance(item, Mapping):
            text = str(item.get("number", ""))
            arguments = {str(k): str(v) for k, v in item.items() if k != "number"}
        else:
            text, arguments = str(item), {}
        text = text.strip()
        try:
            number = PhoneNumber(text)
        except ValidationError:
            out.append(
                CampaignRow(
                    row=row,
                    number=None,
                    arguments=arguments,
                    problem="invalid",
                    detail="not an E.164 number (+ and 2 to 15 digits, e.g. +14255550199)",
                )
            )
            continue
        key = text.lstrip("+")
        if key in seen:
            out.append(
                CampaignRow(
                    row=row,
                    number=number,
                    arguments=arguments,
                    problem="duplicate",
                    detail=f"the same number as row {seen[key]}",
                )
            )
            continue
        seen[key] = row
        out.append(CampaignRow(row=row, number=number, arguments=arguments))
    return out


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CallResult(_Struct):
    """What became of one row. ``outcome`` is one of ``OUTCOMES``: a call's end as its
    status said (``completed``, ``busy``, ``no-answer``, ``failed``); ``no-status`` (placed,
    no final status within ``call_timeout``); ``unknown`` (the answer was lost and nothing
    confirmed the call: never re-sent); ``not-placed`` (AWS refused it: ``reason``);
    ``already-placed`` (the ledger had the correlation ID: another worker or run);
    ``invalid`` / ``duplicate`` (bad rows); ``not-dialed`` (the campaign stopped first)."""

    row: int
    number: PhoneNumber | None
    correlation_id: str | None
    outcome: str
    status: str | None = None
    transaction_id: str | None = None
    reason: str | None = None
    answered: bool = False
    joined: bool = False
    ring_seconds: float | None = None
    talk_seconds: float | None = None
    duration_seconds: float | None = None

    def to_dict(self, *, reveal_numbers: bool = False) -> dict[str, Any]:
        number = None
        if self.number is not None:
            number = self.number.reveal() if reveal_numbers else self.number.masked()
        return {
            "row": self.row,
            "number": number,
            "correlation_id": self.correlation_id,
            "outcome": self.outcome,
            "status": self.status,
            "transaction_id": self.transaction_id,
            "reason": self.reason,
            "answered": self.answered,
            "joined": self.joined,
            "ring_seconds": self.ring_seconds,
            "talk_seconds": self.talk_seconds,
            "duration_seconds": self.duration_seconds,
        }


_FIELDS: Final = tuple(attrs.fields_dict(CallResult))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CampaignProgress(_Struct):
    """A snapshot for a progress display. ``rate`` is the calls this run placed per second of
    the clock, from its first call to its latest."""

    total: int
    placed: int
    answered: int
    failed: int
    in_flight: int
    remaining: int
    rate: float
    elapsed: float
    stopping: bool = False


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CampaignPlan(_Struct):
    """What a run would do (the dry run): rows it would dial, rows already done or going on
    according to the journal, bad rows, and the shortest time it can take at ``rate``."""

    campaign_id: str
    to_dial: tuple[CampaignRow, ...]
    done: int
    in_flight: int
    bad_rows: tuple[CampaignRow, ...]
    rate: float
    concurrency: int

    @property
    def minimum_seconds(self) -> float:
        return max(0.0, (len(self.to_dial) - 1) / self.rate) if self.to_dial else 0.0

    def describe(self) -> str:
        lines = [
            f"campaign {self.campaign_id}: {len(self.to_dial)} number(s) to dial at "
            f"{self.rate:g}/s, at most {self.concurrency} at once (at least "
            f"{self.minimum_seconds:.0f} s)"
        ]
        if self.done or self.in_flight:
            lines.append(f"  from the journal: {self.done} done, {self.in_flight} going on")
        lines.extend(_bad_row_line(row) for row in self.bad_rows)
        return "\n".join(lines)


def _bad_row_line(row: CampaignRow) -> str:
    shown = row.number.masked() if row.number is not None else "-"
    return f"  row {row.row}: {row.problem} ({shown}): {row.detail}"


@attrs.frozen(kw_only=True, repr=False, eq=False)
class CampaignReport(_Struct):
    """Every row's ``CallResult``, in list order. ``stopped``: the campaign was stopped
    before every number was dialed (run it again with the same journal to go on)."""

    campaign_id: str
    results: tuple[CallResult, ...]
    stopped: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(OUTCOMES, 0)
        for result in self.results:
            out[result.outcome] = out.get(result.outcome, 0) + 1
        return {k: v for k, v in out.items() if v}

    @property
    def finished(self) -> bool:
        """Every row has a final outcome (nothing left to dial or to wait for)."""
        return not self.stopped and all(r.outcome != "not-dialed" for r in self.results)

    def to_dict(self, *, reveal_numbers: bool = False) -> dict[str, Any]:
        return {
            "campaign_id": self.campaign_id,
            "stopped": self.stopped,
            "counts": self.counts,
            "results": [r.to_dict(reveal_numbers=reveal_numbers) for r in self.results],
        }

    def write(
        self,
        target: str | os.PathLike[str] | TextIO,
        *,
        format: str | None = None,
        reveal_numbers: bool = False,
    ) -> None:
        """Write the per-number results as ``"json"`` or ``"csv"`` (by default from the file
        name's suffix). Numbers are masked unless ``reveal_numbers``."""
        if format is None:
            suffix = Path(target).suffix.lower() if not hasattr(target, "write") else ".json"
            format = "csv" if suffix == ".csv" else "json"
        if format not in ("json", "csv"):
            raise ValueError(f"format must be 'json' or 'csv', not {format!r}")
        if hasattr(target, "write"):
            self._write_to(target, format, reveal_numbers)  # type: ignore[arg-type]
            return
        with open(target, "w", encoding="utf-8", newline="") as out:
            self._write_to(out, format, reveal_numbers)

    def _write_to(self, out: TextIO, format: str, reveal: bool) -> None:
        if format == "json":
            json.dump(self.to_dict(reveal_numbers=reveal), out, indent=2)
            out.write("\n")
            return
        writer = csv.DictWriter(out, fieldnames=list(_FIELDS))
        writer.writeheader()
        for result in self.results:
            writer.writerow(result.to_dict(reveal_numbers=reveal))


class _Journal:
    """Each row's state, written before each step, in an SQLite file (``:memory:``: none)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS chime_calls_campaign_meta "
            "(key TEXT PRIMARY KEY, value TEXT)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS chime_calls_campaign (row INTEGER PRIMARY KEY, "
            "correlation_id TEXT, state TEXT, outcome TEXT, status TEXT, transaction_id TEXT, "
            "reason TEXT, answered INTEGER DEFAULT 0, joined INTEGER DEFAULT 0, "
            "ring_seconds REAL, talk_seconds REAL, duration_seconds REAL, since REAL)"
        )

    def close(self) -> None:
        self._db.close()

    def meta(self, key: str) -> str | None:
        row = self._db.execute(
            "SELECT value FROM chime_calls_campaign_meta WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO chime_calls_campaign_meta (key, value) VALUES (?, ?)",
            (key, value),
        )

    def rows(self) -> dict[int, dict[str, Any]]:
        return {
            int(r["row"]): dict(r) for r in self._db.execute("SELECT * FROM chime_calls_campaign")
        }

    def put(self, row: int, **fields: Any) -> None:
        names = ["row", *fields]
        self._db.execute(
            # the column names are this class's own, never input
            f"INSERT INTO chime_calls_campaign ({', '.join(names)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT(row) DO UPDATE SET "
            + ", ".join(f"{n} = excluded.{n}" for n in fields),
            (row, *fields.values()),
        )

    def forget(self, row: int) -> None:
        self._db.execute("DELETE FROM chime_calls_campaign WHERE row = ?", (row,))


def _fingerprint(rows: Sequence[CampaignRow], salt: str) -> str:
    """A keyed digest of the list: tells a resumed run it has the same list, and says nothing
    about the numbers to whoever reads the journal without the list."""
    digest = hmac.new(salt.encode(), digestmod=hashlib.sha256)
    for row in rows:
        number = row.number.reveal() if row.number is not None else ""
        digest.update(f"{row.row}\x1f{number}\x1e".encode())
    return digest.hexdigest()


@attrs.define
class _InFlight:
    row: CampaignRow
    correlation_id: str
    since: float
    known: bool  # AWS answered, or the application saw the call start
    transaction_id: str | None = None


class Campaign:
    """Dial ``numbers`` (strings, mappings with a ``"number"`` and extra ``ArgumentsMap``
    entries, or ``CampaignRow``s from ``read_numbers``) through ``calls``.

    Each call is a ``CreateSipMediaApplicationCall`` from ``from_phone_number`` on
    ``sip_media_application_id`` (default: the facade's), with ``ArgumentsMap`` =
    ``{"CorrelationId": <campaign ID>-<row>, **arguments, **the row's own}``.

    ``journal`` (a file path; default: none, so nothing to resume) records every step;
    ``ledger`` (default: an ``chime_calls.ledger.SqliteLedger`` in the journal's file,
    else a ``chime_calls.ledger.MemoryLedger``) holds the claims and, when the SIP media
    application reports to it, each call's status. ``rate`` (calls per second) and
    ``concurrency`` default to AWS's documented quotas; ``call_timeout`` is how long a call
    without a final status holds its slot. Waits run on ``clock`` (default: the facade's, or
    the active fake's virtual clock, else real time). ``progress`` is called with a
    ``CampaignProgress`` after every step.
    """

    def __init__(
        self,
        calls: ChimeCalls,
        numbers: Iterable[str | Mapping[str, str] | CampaignRow],
        *,
        from_phone_number: str | PhoneNumber,
        sip_media_application_id: str | None = None,
        journal: str | os.PathLike[str] | None = None,
        ledger: CallLedger | None = None,
        campaign_id: str | None = None,
        rate: float = DEFAULT_RATE,
        concurrency: int = DEFAULT_CONCURRENCY,
        arguments: Mapping[str, str] | None = None,
        call_timeout: float = 900.0,
        poll_interval: float = 1.0,
        clock: Clock | None = None,
        progress: Callable[[CampaignProgress], object] | None = None,
    ) -> None:
        if not (isinstance(rate, (int, float)) and rate >= _MIN_RATE):
            raise ValueError(f"rate must be at least one call a minute, not {rate!r}")
        if not (isinstance(concurrency, int) and concurrency >= 1):
            raise ValueError(f"concurrency must be an int of at least 1, not {concurrency!r}")
        if call_timeout <= 0 or poll_interval <= 0:
            raise ValueError("call_timeout and poll_interval must be positive")
        application = sip_media_application_id or calls.sip_media_application_id
        if not application:
            raise CampaignError(
                "a campaign places calls on a SIP media application: pass "
                "sip_media_application_id=..., or ChimeCalls(sip_media_application_id=...)"
            )
        given = list(numbers)
        if given and all(isinstance(n, CampaignRow) for n in given):
            self.rows: list[CampaignRow] = given  # type: ignore[assignment]
        else:
            self.rows = rows_from(
                n if not isinstance(n, CampaignRow) else _row_as_item(n) for n in given
            )
        self.calls = calls
        self.from_phone_number = PhoneNumber(
            from_phone_number.reveal()
            if isinstance(from_phone_number, PhoneNumber)
            else from_phone_number
        )
        self.sip_media_application_id = application
        self.rate = float(rate)
        self.concurrency = concurrency
        self.arguments = dict(arguments or {})
        self.call_timeout = call_timeout
        self.poll_interval = poll_interval
        self.progress = progress
        self._clock = clock
        self._journal = _Journal(str(journal) if journal is not None else ":memory:")
        self.campaign_id = self._identify(campaign_id)
        if ledger is None:
            from chime_calls.ledger import MemoryLedger, SqliteLedger

            ledger = SqliteLedger(journal) if journal is not None else MemoryLedger()
        self.ledger = ledger
        self._stop = threading.Event()
        self._abort = threading.Event()

    def __repr__(self) -> str:
        return (
            f"Campaign({self.campaign_id!r}, rows={len(self.rows)}, rate={self.rate:g}, "
            f"concurrency={self.concurrency})"
        )

    @property
    def bad_rows(self) -> list[CampaignRow]:
        """Rows that will not be dialed: malformed numbers and repeats."""
        return [row for row in self.rows if row.problem is not None]

    def correlation_id(self, row: CampaignRow) -> str:
        return f"{self.campaign_id}-{row.row}"

    def _identify(self, campaign_id: str | None) -> str:
        journal = self._journal
        known = journal.meta("campaign_id")
        salt = journal.meta("salt") or secrets.token_hex(16)
        fingerprint = _fingerprint(self.rows, salt)
        if known is None:
            known = campaign_id or secrets.token_hex(6)
            journal.set_meta("campaign_id", known)
            journal.set_meta("salt", salt)
            journal.set_meta("fingerprint", fingerprint)
            return known
        if campaign_id is not None and campaign_id != known:
            raise CampaignError(
                f"the journal {journal.path} belongs to campaign {known!r}, not {campaign_id!r}"
            )
        if journal.meta("fingerprint") != fingerprint:
            raise CampaignError(
                f"the journal {journal.path} was written for another list of numbers: resume "
                "with the same list, or start a new campaign with a new journal"
            )
        return known

    # --- the dry run ---------------------------------------------------------------------------

    def plan(self) -> CampaignPlan:
        """What ``run`` would do, without placing a call or writing anything."""
        journaled = self._journal.rows()
        done = sum(1 for r in journaled.values() if r["state"] == "done")
        going = sum(1 for r in journaled.values() if r["state"] in ("placed", "unknown", "dialing"))
        return CampaignPlan(
            campaign_id=self.campaign_id,
            to_dial=tuple(
                r for r in self.rows if r.problem is None and journaled.get(r.row) is None
            ),
            done=done,
            in_flight=going,
            bad_rows=tuple(self.bad_rows),
            rate=self.rate,
            concurrency=self.concurrency,
        )

    # --- stopping ------------------------------------------------------------------------------

    def stop(self, *, now: bool = False) -> None:
        """Place no more calls; ``run`` returns once the calls going on have ended (or
        held their slot for ``call_timeout``). ``now=True`` returns without waiting for them
        (the journal keeps them: a resumed run goes on watching). Thread- and signal-safe."""
        self._stop.set()
        if now:
            self._abort.set()

    # --- the run -------------------------------------------------------------------------------

    def run(self) -> CampaignReport:
        """Dial every row not yet dialed (resuming from the journal), watch the calls to
        their end, and return every row's result."""
        from chime_calls import _clock

        clock = self._clock or getattr(self.calls, "_clock", None) or _clock.current()
        run = _Run(self, clock)
        run.loop()
        return self.report()

    def report(self) -> CampaignReport:
        """Every row's result as the journal has it now."""
        journaled = self._journal.rows()
        results = []
        for row in self.rows:
            results.append(self._result(row, journaled.get(row.row)))
        stopped = any(r.outcome == "not-dialed" for r in results) or any(
            j["state"] != "done" for j in journaled.values()
        )
        return CampaignReport(campaign_id=self.campaign_id, results=tuple(results), stopped=stopped)

    def _result(self, row: CampaignRow, journaled: Mapping[str, Any] | None) -> CallResult:
        if row.problem is not None:
            return CallResult(
                row=row.row,
                number=row.number,
                correlation_id=None,
                outcome=row.problem,
                reason=row.detail,
            )
        if journaled is None:
            return CallResult(
                row=row.row,
                number=row.number,
                correlation_id=self.correlation_id(row),
                outcome="not-dialed",
            )
        # a row still going on when the run was stopped: what is known so far
        going_on = {"placed": "no-status", "unknown": "unknown", "dialing": "unknown"}
        outcome = (
            journaled["outcome"]
            if journaled["state"] == "done"
            else going_on.get(journaled["state"], "unknown")
        )
        return CallResult(
            row=row.row,
            number=row.number,
            correlation_id=journaled["correlation_id"],
            outcome=outcome,
            status=journaled["status"],
            transaction_id=journaled["transaction_id"],
            reason=journaled["reason"],
            answered=bool(journaled["answered"]),
            joined=bool(journaled["joined"]),
            ring_seconds=journaled["ring_seconds"],
            talk_seconds=journaled["talk_seconds"],
            duration_seconds=journaled["duration_seconds"],
        )


def _row_as_item(row: CampaignRow) -> Mapping[str, str] | str:
    return row.number.reveal() if row.number is not None else ""


class _Run:
    """One run of a campaign: the loop, its pacing and its in-flight calls."""

    def __init__(self, campaign: Campaign, clock: Clock) -> None:
        from chime_calls.ledger import default_holder

        self.c = campaign
        self.clock = clock
        self.journal = campaign._journal
        self.ledger = campaign.ledger
        self.holder = f"campaign {campaign.campaign_id} on {default_holder()}"
        self.pending: deque[CampaignRow] = deque()
        self.in_flight: dict[str, _InFlight] = {}
        self.rate = campaign.rate
        self.next_send = clock.monotonic()
        self.first_send: float | None = None
        self.last_send = 0.0
        self.sent = 0  # calls this run placed (AWS answered): what the rate counts
        self.placed = self.answered = self.failed = 0
        self.throttles: dict[int, int] = {}
        self.started = clock.monotonic()
        self._resume()

    # --- resuming ------------------------------------------------------------------------------

    def _resume(self) -> None:
        journaled = self.journal.rows()
        now = self.clock.monotonic()
        for row in self.c.rows:
            if row.problem is not None:
                continue
            entry = journaled.get(row.row)
            cid = self.c.correlation_id(row)
            if entry is None:
                self.pending.append(row)
                continue
            state = entry["state"]
            if state == "done":
                self._count(entry["outcome"], bool(entry["answered"]))
                continue
            if state == "dialing":  # stopped between the journal and the answer
                ledger_entry = self.ledger.get(cid)
                if ledger_entry is None or ledger_entry.outcome == "not-placed":
                    self.journal.forget(row.row)  # never claimed, or provably not placed
                    self.pending.append(row)
                    continue
                state = "placed" if ledger_entry.outcome == "placed" else "unknown"
                self.journal.put(
                    row.row, state=state, transaction_id=ledger_entry.call_transaction_id
                )
            self.in_flight[cid] = _InFlight(
                row=row,
                correlation_id=cid,
                since=now,
                known=state == "placed",
                transaction_id=entry["transaction_id"],
            )

    def _count(self, outcome: str | None, answered: bool) -> None:
        if outcome in _CALL_FINAL or outcome == "no-status":
            self.placed += 1
        if answered:
            self.answered += 1
        if outcome in _FAILED:
            self.failed += 1

    # --- the loop ------------------------------------------------------------------------------

    def loop(self) -> None:
        self._report_progress()
        while True:
            self._collect()
            if self.c._abort.is_set():
                break
            stopping = self.c._stop.is_set()
            if (stopping or not self.pending) and not self.in_flight:
                break
            if stopping or not self.pending or len(self.in_flight) >= self.c.concurrency:
                self._wait(self.c.poll_interval)
                continue
            wait = self.next_send - self.clock.monotonic()
            if wait > 0:
                self._wait(min(wait, self.c.poll_interval))
                continue
            self._dial(self.pending.popleft())
        self._report_progress()

    def _wait(self, seconds: float) -> None:
        self.clock.sleep(seconds)

    def _dial(self, row: CampaignRow) -> None:
        from chime_calls import errors
        from chime_calls.models import CreateSipMediaApplicationCallRequest

        assert row.number is not None  # noqa: S101 - bad rows never reach here
        cid = self.c.correlation_id(row)
        now = self.clock.monotonic()
        self.next_send = now + 1.0 / self.rate
        self.journal.put(row.row, correlation_id=cid, state="dialing", since=now)
        if not self.ledger.claim(cid, holder=self.holder):
            self._already(row, cid)
            return
        arguments = {**self.c.arguments, **row.arguments, ARG_CORRELATION_ID: cid}
        try:
            answer = self.calls_send(
                CreateSipMediaApplicationCallRequest(
                    sip_media_application_id=self.c.sip_media_application_id,
                    from_phone_number=self.c.from_phone_number,
                    to_phone_number=row.number,
                    arguments_map=arguments,
                )
            )
        except errors.ChimeCallsError as exc:
            self._failed(row, cid, exc)
            return
        except BaseException as exc:  # interrupted while the request may be out
            self.ledger.mark_unknown(cid, type(exc).__name__)
            self.journal.put(row.row, state="unknown", reason=type(exc).__name__)
            raise
        self.ledger.mark_placed(cid, answer.transaction_id)
        self.journal.put(row.row, state="placed", transaction_id=answer.transaction_id)
        self.in_flight[cid] = _InFlight(
            row=row, correlation_id=cid, since=now, known=True, transaction_id=answer.transaction_id
        )
        self.throttles.pop(row.row, None)
        self.placed += 1
        self.sent += 1
        self.last_send = now
        if self.first_send is None:
            self.first_send = now
        self.rate = min(self.c.rate, self.rate * 1.25)  # recover after a throttle
        self._report_progress()

    def calls_send(self, request: Any) -> Any:
        return self.c.calls.send(request)

    def _already(self, row: CampaignRow, cid: str) -> None:
        entry = self.ledger.get(cid)
        self._finish(
            row,
            cid,
            "already-placed",
            entry,
            reason="the ledger already had this correlation ID (another worker or run)",
        )

    def _failed(self, row: CampaignRow, cid: str, exc: Exception) -> None:
        from chime_calls import errors

        code = getattr(exc, "code", None) or type(exc).__name__
        if getattr(exc, "outcome_unknown", False):
            self.ledger.mark_unknown(cid, code)
            self.journal.put(row.row, state="unknown", reason=code)
            self.in_flight[cid] = _InFlight(
                row=row, correlation_id=cid, since=self.clock.monotonic(), known=False
            )
            self._report_progress()
            return
        self.ledger.mark_not_placed(cid, code)
        slowed = isinstance(exc, (errors.ThrottledError, errors.ResourceLimitExceededError))
        if (slowed or getattr(exc, "retryable", False)) and self._retry(row, exc):
            return
        self.journal.put(row.row, state="done", outcome="not-placed", reason=code)
        self.failed += 1
        self._report_progress()

    def _retry(self, row: CampaignRow, exc: Exception) -> bool:
        """Put a provably unplaced row back at the front, slowing down; ``False`` when it has
        been tried too often."""
        count = self.throttles.get(row.row, 0) + 1
        if count > _MAX_THROTTLES:
            return False
        self.throttles[row.row] = count
        self.journal.forget(row.row)
        self.pending.appendleft(row)
        self.rate = max(_MIN_RATE, self.rate / 2)
        retry_after = getattr(exc, "retry_after", None) or 0.0
        self.next_send = self.clock.monotonic() + max(retry_after, 1.0 / self.rate)
        return True

    # --- watching the calls --------------------------------------------------------------------

    def _collect(self) -> None:
        now = self.clock.monotonic()
        for cid, flight in list(self.in_flight.items()):
            entry = self.ledger.get(cid)
            if entry is not None and entry.sma_transaction_id and not flight.known:
                flight.known = True  # the application saw it start: it was placed
                flight.transaction_id = entry.sma_transaction_id
                self.journal.put(
                    flight.row.row, state="placed", transaction_id=entry.sma_transaction_id
                )
                self.placed += 1
            if entry is not None and entry.final and entry.status is not None:
                self._finish(flight.row, cid, entry.status, entry)
            elif now - flight.since >= self.c.call_timeout:
                outcome = "no-status" if flight.known else "unknown"
                self._finish(flight.row, cid, outcome, entry)

    def _finish(
        self,
        row: CampaignRow,
        cid: str,
        outcome: str,
        entry: LedgerEntry | None,
        *,
        reason: str | None = None,
    ) -> None:
        event: Mapping[str, Any] = (entry.event if entry is not None else None) or {}
        answered = bool(entry.answered) if entry is not None else False
        self.journal.put(
            row.row,
            correlation_id=cid,
            state="done",
            outcome=outcome,
            status=entry.status if entry is not None else None,
            transaction_id=entry.call_transaction_id if entry is not None else None,
            reason=reason or event.get("reason") or (entry.reason if entry else None),
            answered=int(answered),
            joined=int(bool(entry.joined) if entry is not None else False),
            ring_seconds=event.get("ring_seconds"),
            talk_seconds=event.get("talk_seconds"),
            duration_seconds=event.get("duration_seconds"),
        )
        self.in_flight.pop(cid, None)
        if answered:
            self.answered += 1
        if outcome in _FAILED:
            self.failed += 1
        self._report_progress()

    def _report_progress(self) -> None:
        if self.c.progress is None:
            return
        now = self.clock.monotonic()
        elapsed = now - self.started
        sending = (self.last_send - self.first_send) if self.first_send is not None else 0.0
        rate = (self.sent - 1) / sending if sending > 0 else 0.0
        self.c.progress(
            CampaignProgress(
                total=sum(1 for r in self.c.rows if r.problem is None),
                placed=self.placed,
                answered=self.answered,
                failed=self.failed,
                in_flight=len(self.in_flight),
                remaining=len(self.pending),
                rate=rate,
                elapsed=elapsed,
                stopping=self.c._stop.is_set(),
            )
        )


class StderrProgress:
    """A progress display on a stream (standard error by default): one line rewritten in
    place on a terminal, else a line every ``every`` seconds of the campaign's clock, and one
    when nothing is left to dial or to wait for."""

    def __init__(self, stream: TextIO | None = None, *, every: float = 30.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last: float | None = None
        self._width = 0

    def __call__(self, progress: CampaignProgress) -> None:
        line = (
            f"placed {progress.placed}/{progress.total}, answered {progress.answered}, "
            f"failed {progress.failed}, going on {progress.in_flight}, remaining "
            f"{progress.remaining}, {progress.rate:.2f} calls/s"
            + (" (stopping: waiting for the calls going on)" if progress.stopping else "")
        )
        if self._tty:
            self.stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
            self.stream.flush()
            return
        done = progress.remaining == 0 and progress.in_flight == 0
        if self._last is None or done or progress.elapsed - self._last >= self.every:
            self._last = progress.elapsed
            self.stream.write(f"[{progress.elapsed:7.0f} s] {line}\n")
            self.stream.flush()

    def close(self) -> None:
        if self._tty and self._width:
            self.stream.write("\n")
            self.stream.flush()


# --- chime-calls dial ------------------------------------------------------------------------


def run_cli(args: Any, out: TextIO, err: TextIO) -> int:
    """``chime-calls dial``: the campaign behind the command line (exit status in its help)."""
    campaign = _cli_prepare(args, err)
    if isinstance(campaign, int):
        return campaign
    plan = campaign.plan()
    err.write(plan.describe() + "\n")
    if plan.bad_rows and args.strict:
        err.write("chime-calls dial: --strict: nothing dialed because of the rows above\n")
        return 2
    if args.dry_run:
        err.write("dry run: nothing was dialed\n")
        return 0
    report = _cli_run(campaign, err)
    if report is None:
        return 130
    counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts.items())
    out.write(f"campaign {report.campaign_id}: {counts or 'nothing to dial'}\n")
    if args.results:
        report.write(args.results, format=args.format, reveal_numbers=args.show_phone_numbers)
        out.write(f"results: {args.results}\n")
    if report.stopped:
        out.write("stopped: run the same command again to go on\n")
        return 1
    return 1 if report.counts.get("unknown") else 0


def _cli_prepare(args: Any, err: TextIO) -> Campaign | int:
    from chime_calls.errors import ChimeCallsError, ValidationError

    try:
        rows = read_numbers(args.numbers)
    except OSError as exc:
        err.write(f"chime-calls dial: cannot read {args.numbers}: {exc.strerror or exc}\n")
        return 2
    arguments: dict[str, str] = {}
    for item in args.argument:
        key, sep, value = item.partition("=")
        if not sep or not key:
            err.write(f"chime-calls dial: --argument takes KEY=VALUE, not {item!r}\n")
            return 2
        arguments[key] = value
    try:
        return _cli_campaign(args, rows, arguments)
    except (CampaignError, ValidationError, ValueError, ChimeCallsError) as exc:
        err.write(f"chime-calls dial: {exc}\n")
        return 2


def _cli_run(campaign: Campaign, err: TextIO) -> CampaignReport | None:
    """Run with a progress display; Ctrl-C stops placing calls, a second stops waiting for
    those going on, a third interrupts (``None``)."""
    import signal

    presses = 0

    def interrupted(signum: int, frame: Any) -> None:
        nonlocal presses
        presses += 1
        if presses == 1:
            err.write("\nstopping: no new calls; waiting for the calls going on (Ctrl-C again "
                      "to stop waiting)\n")  # fmt: skip
            campaign.stop()
        elif presses == 2:
            campaign.stop(now=True)
        else:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupted)
    display = StderrProgress(err)
    campaign.progress = display
    try:
        return campaign.run()
    except KeyboardInterrupt:
        err.write("\ninterrupted: run the same command again to resume\n")
        return None
    finally:
        signal.signal(signal.SIGINT, previous)
        display.close()


def _cli_campaign(args: Any, rows: list[CampaignRow], arguments: dict[str, str]) -> Campaign:
    import boto3

    from chime_calls.client import ChimeCalls

    session = boto3.session.Session(profile_name=args.profile, region_name=args.region)
    calls = ChimeCalls(session=session, sip_media_application_id=args.sip_media_application_id)
    journal = args.journal or f"{args.numbers}.journal"
    ledger: CallLedger | None = None
    if args.ledger_table:
        from chime_calls.ledger import DynamoDBLedger

        ledger = DynamoDBLedger(args.ledger_table, session=session)
    return Campaign(
        calls,
        rows,
        from_phone_number=args.from_number,
        journal=journal,
        ledger=ledger,
        rate=args.rate,
        concurrency=args.concurrency,
        arguments=arguments,
        call_timeout=args.call_timeout,
    )
