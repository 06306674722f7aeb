"""A call ledger: at most one call per correlation ID, across threads, processes and machines.

A phone call cannot be taken back, and three things can place one twice: two workers taking
the same job, a retry of the user's own job queue after a crash, and a second client (another
service's botocore, which re-sends a POST after a 5xx; a JavaScript backend). The ledger stops
all three with two records per correlation ID (the dial-out ``ArgumentsMap["CorrelationId"]``):

* **the place side claims before dialing** (``CallLedger.claim``, or ``place``, which
  claims, sends and records the outcome): a conditional write that only one claimant wins;
* **the SIP media application notes each call it sees start**
  (``CallLedger.note_outbound``, called by ``chime_calls.sma.DialOutHandler`` and
  ``chime_calls.sma.track_status`` given ``ledger=``): a second ``NEW_OUTBOUND_CALL`` for
  the same correlation ID is a duplicate, and is hung up without being handed to the
  application.

It is also how a caller settles ``outcome_unknown``: after a lost answer the call may or may
not exist; ``CallLedger.get`` says whether the application saw it start (then it was
placed, and its status events say what became of it) or not.

Three stores, one behaviour (the tests run the same suite on each):

* ``MemoryLedger``: one process (threads share it);
* ``SqliteLedger``: one machine (processes share a file; WAL mode, a write per step);
* ``DynamoDBLedger``: anywhere, with conditional writes on a DynamoDB table (the Lambda
  and the workers share it).
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from chime_calls._contract import ARG_CORRELATION_ID
from chime_calls._rules import _Struct
from chime_calls.errors import ChimeCallsError

if TYPE_CHECKING:
    from chime_calls._spec import Request
    from chime_calls.sma.status import StatusEvent

__all__ = [
    "CallLedger",
    "DynamoDBLedger",
    "LedgerEntry",
    "MemoryLedger",
    "Placement",
    "SqliteLedger",
    "default_holder",
    "place",
]

R = TypeVar("R")

#: ``LedgerEntry.state``: the place side's word on the call.
CLAIMED: Final = "claimed"
PLACED: Final = "placed"
UNKNOWN: Final = "unknown"
NOT_PLACED: Final = "not-placed"
_ANSWERED: Final = frozenset({"answered", "joined", "completed"})


@functools.cache
def _host() -> str:
    return socket.gethostname()


def default_holder() -> str:
    """``host:pid:thread``: who holds a claim, for the humans reading the ledger."""
    return f"{_host()}:{os.getpid()}:{threading.get_ident()}"


@attrs.frozen(kw_only=True, repr=False, eq=False)
class LedgerEntry(_Struct):
    """What the ledger knows of one correlation ID.

    ``state`` is the place side's record (``"claimed"``, ``"placed"``, ``"unknown"``,
    ``"not-placed"``; ``None`` when only the application saw the call, placed by a client that
    does not use the ledger). ``transaction_id`` is from CreateSipMediaApplicationCall's answer,
    ``sma_transaction_id`` from the first ``NEW_OUTBOUND_CALL`` the application saw;
    ``duplicates`` counts the later ones, which it hung up. ``status`` and ``event`` are the
    call's latest status event (``chime_calls.sma.StatusEvent`` as a dict, numbers
    masked); ``answered`` and ``joined`` stay true once reached.
    """

    correlation_id: str
    state: str | None = None
    holder: str | None = None
    claimed_at: float | None = None
    transaction_id: str | None = None
    sma_transaction_id: str | None = None
    duplicates: int = 0
    status: str | None = None
    status_time: float | None = None
    final: bool = False
    answered: bool = False
    joined: bool = False
    reason: str | None = None
    event: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    @property
    def outcome(self) -> str:
        """What became of the call: ``"placed"`` when AWS's answer or the application says so,
        else the place side's ``state`` (``"unknown"`` after a lost answer that the
        application has not confirmed, ``"claimed"`` while someone is placing it, or if they
        crashed doing so)."""
        if self.transaction_id or self.sma_transaction_id:
            return PLACED
        return self.state or UNKNOWN

    @property
    def call_transaction_id(self) -> str | None:
        """The call's transaction ID, from whichever side knows it."""
        return self.transaction_id or self.sma_transaction_id


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Placement(_Struct):
    """What ``place`` did: ``placed`` (``transaction_id`` set), or ``duplicate`` (the
    ledger already had a claim or a call for the correlation ID: nothing was sent; ``entry``
    says what is known)."""

    correlation_id: str
    outcome: str
    transaction_id: str | None = None
    entry: LedgerEntry | None = None


class CallLedger:
    """The ledger's operations; each store implements the atomic ones."""

    def claim(self, correlation_id: str, *, holder: str | None = None) -> bool:
        """Claim the right to place the call: ``True`` for exactly one claimant. A correlation
        ID whose earlier attempt provably placed nothing (``not-placed``) can be claimed
        again; one that is claimed, placed or unknown cannot."""
        raise NotImplementedError

    def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
        """The application saw ``transaction_id`` start: ``False`` when another transaction
        of the same correlation ID did first (a duplicate call)."""
        raise NotImplementedError

    def record_status(self, event: StatusEvent) -> None:
        """Keep ``event`` as the call's status, unless a later status is already there."""
        raise NotImplementedError

    def get(self, correlation_id: str) -> LedgerEntry | None:
        """Everything known of ``correlation_id`` (``None``: nothing)."""
        raise NotImplementedError

    def _set(self, correlation_id: str, fields: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def mark_placed(self, correlation_id: str, transaction_id: str) -> None:
        """AWS answered: the call exists."""
        self._set(correlation_id, {"state": PLACED, "transaction_id": transaction_id})

    def mark_unknown(self, correlation_id: str, reason: str) -> None:
        """The request may have placed the call (a lost answer, a 5xx): never re-send it."""
        self._set(correlation_id, {"state": UNKNOWN, "reason": reason})

    def mark_not_placed(self, correlation_id: str, reason: str) -> None:
        """The request provably placed nothing (refused, throttled, never sent): the
        correlation ID may be claimed again."""
        self._set(correlation_id, {"state": NOT_PLACED, "reason": reason})


def _row_entry(row: Mapping[str, Any]) -> LedgerEntry:
    event = row.get("event")
    if isinstance(event, str):
        event = json.loads(event)
    return LedgerEntry(
        correlation_id=row["correlation_id"],
        state=row.get("state"),
        holder=row.get("holder"),
        claimed_at=row.get("claimed_at"),
        transaction_id=row.get("transaction_id"),
        sma_transaction_id=row.get("sma_transaction_id"),
        duplicates=int(row.get("duplicates") or 0),
        status=row.get("status"),
        status_time=row.get("status_time"),
        final=bool(row.get("final")),
        answered=bool(row.get("answered")),
        joined=bool(row.get("joined")),
        reason=row.get("reason"),
        event=event,
    )


def _status_fields(event: StatusEvent) -> dict[str, Any]:
    from chime_calls.sma.status import status_rank

    return {
        "status": event.status,
        "status_rank": status_rank(event.status),
        "status_time": event.time,
        "final": event.final,
        "answered": event.status in _ANSWERED,
        "joined": event.status == "joined",
        "event": event.to_dict(),
    }


class MemoryLedger(CallLedger):
    """A ledger in this process's memory: threads share it; nothing survives the process."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryLedger(entries={len(self._rows)})"

    def claim(self, correlation_id: str, *, holder: str | None = None) -> bool:
        with self._lock:
            row = self._rows.get(correlation_id)
            if row is not None and not (
                row.get("state") == NOT_PLACED and not row.get("sma_transaction_id")
            ):
                return False
            self._rows[correlation_id] = {
                "correlation_id": correlation_id,
                "state": CLAIMED,
                "holder": holder or default_holder(),
                "claimed_at": time.time(),
            }
            return True

    def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
        with self._lock:
            row = self._rows.setdefault(correlation_id, {"correlation_id": correlation_id})
            seen = row.get("sma_transaction_id")
            if seen is None or seen == transaction_id:
                row["sma_transaction_id"] = transaction_id
                return True
            row["duplicates"] = int(row.get("duplicates") or 0) + 1
            return False

    def record_status(self, event: StatusEvent) -> None:
        if not event.correlation_id:
            return
        fields = _status_fields(event)
        with self._lock:
            row = self._rows.setdefault(
                event.correlation_id, {"correlation_id": event.correlation_id}
            )
            if int(row.get("status_rank") or 0) >= fields["status_rank"]:
                return
            fields["answered"] = fields["answered"] or bool(row.get("answered"))
            fields["joined"] = fields["joined"] or bool(row.get("joined"))
            row.update(fields)

    def get(self, correlation_id: str) -> LedgerEntry | None:
        with self._lock:
            row = self._rows.get(correlation_id)
            return None if row is None else _row_entry(dict(row))

    def _set(self, correlation_id: str, fields: Mapping[str, Any]) -> None:
        with self._lock:
            row = self._rows.setdefault(correlation_id, {"correlation_id": correlation_id})
            row.update(fields)


_COLUMNS: Final = (
    "correlation_id TEXT PRIMARY KEY, state TEXT, holder TEXT, claimed_at REAL, "
    "transaction_id TEXT, sma_transaction_id TEXT, duplicates INTEGER NOT NULL DEFAULT 0, "
    "status TEXT, status_rank INTEGER NOT NULL DEFAULT 0, status_time REAL, "
    "final INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0, "
    "joined INTEGER NOT NULL DEFAULT 0, reason TEXT, event TEXT, updated_at REAL"
)


class SqliteLedger(CallLedger):
    """A ledger in an SQLite file: the processes of one machine share it.

    Each step is one transaction in WAL mode (one statement, except noting a call the
    application saw, which reads before it writes). ``durable=False`` (the default) survives a
    crashed or killed process, as SQLite's ``synchronous=NORMAL`` does; ``durable=True``
    (``synchronous=FULL``) also survives a power cut, at the cost of a disk flush per step.
    ``":memory:"`` is a private, in-memory database.
    """

    #: The table it keeps its entries in.
    TABLE: Final = "chime_calls_ledger"

    def __init__(self, path: str | os.PathLike[str], *, durable: bool = False) -> None:
        import sqlite3

        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        self._db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        self._db.execute(f"CREATE TABLE IF NOT EXISTS chime_calls_ledger ({_COLUMNS})")

    def __repr__(self) -> str:
        return f"SqliteLedger({self.path!r})"

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteLedger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _one(self, sql: str, args: tuple[Any, ...]) -> int:
        """Run one statement (atomic on its own: an implicit transaction); rows changed."""
        with self._lock:
            changed: int = self._db.execute(sql, args).rowcount
            return changed

    def _write(self, body: Callable[[Any], R]) -> R:
        """Run ``body(connection)`` in one immediate transaction (other writers wait)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = body(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return result

    def claim(self, correlation_id: str, *, holder: str | None = None) -> bool:
        now = time.time()
        sql = (
            "INSERT INTO chime_calls_ledger "
            "(correlation_id, state, holder, claimed_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(correlation_id) DO UPDATE SET "
            "state = excluded.state, holder = excluded.holder, claimed_at = excluded.claimed_at, "
            "updated_at = excluded.updated_at, reason = NULL "
            "WHERE state = ? AND sma_transaction_id IS NULL"
        )
        args = (correlation_id, CLAIMED, holder or default_holder(), now, now, NOT_PLACED)
        return self._one(sql, args) == 1

    def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
        def note(db: Any) -> bool:
            row = db.execute(
                "SELECT sma_transaction_id FROM chime_calls_ledger WHERE correlation_id = ?",
                (correlation_id,),
            ).fetchone()
            seen = None if row is None else row[0]
            if seen is not None and seen != transaction_id:
                db.execute(
                    "UPDATE chime_calls_ledger SET duplicates = duplicates + 1 "
                    "WHERE correlation_id = ?",
                    (correlation_id,),
                )
                return False
            db.execute(
                "INSERT INTO chime_calls_ledger (correlation_id, sma_transaction_id, updated_at) "
                "VALUES (?, ?, ?) ON CONFLICT(correlation_id) DO UPDATE SET "
                "sma_transaction_id = excluded.sma_transaction_id, "
                "updated_at = excluded.updated_at",
                (correlation_id, transaction_id, time.time()),
            )
            return True

        return self._write(note)

    def record_status(self, event: StatusEvent) -> None:
        if not event.correlation_id:
            return
        fields = _status_fields(event)
        sql = (
            "INSERT INTO chime_calls_ledger (correlation_id, status, status_rank, status_time, "
            "final, answered, joined, event, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(correlation_id) DO UPDATE SET status = excluded.status, "
            "status_rank = excluded.status_rank, status_time = excluded.status_time, "
            "final = excluded.final, answered = max(answered, excluded.answered), "
            "joined = max(joined, excluded.joined), event = excluded.event, "
            "updated_at = excluded.updated_at WHERE status_rank < excluded.status_rank"
        )
        args = (
            event.correlation_id,
            fields["status"],
            fields["status_rank"],
            fields["status_time"],
            int(fields["final"]),
            int(fields["answered"]),
            int(fields["joined"]),
            json.dumps(fields["event"]),
            time.time(),
        )
        self._one(sql, args)

    def get(self, correlation_id: str) -> LedgerEntry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM chime_calls_ledger WHERE correlation_id = ?", (correlation_id,)
            ).fetchone()
        return None if row is None else _row_entry(dict(row))

    def _set(self, correlation_id: str, fields: Mapping[str, Any]) -> None:
        names = list(fields)
        sql = (
            # column names are the ledger's own field names, never user input
            f"INSERT INTO chime_calls_ledger (correlation_id, {', '.join(names)}, updated_at) "  # noqa: S608
            f"VALUES (?, {', '.join('?' for _ in names)}, ?) ON CONFLICT(correlation_id) DO "
            f"UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in names)}, "
            "updated_at = excluded.updated_at"
        )
        args = (correlation_id, *fields.values(), time.time())
        self._one(sql, args)


# DynamoDB attribute names of each field (the table's key is CorrelationId).
_DYNAMO: Final = {
    "correlation_id": "CorrelationId",
    "state": "State",
    "holder": "Holder",
    "claimed_at": "ClaimedAt",
    "transaction_id": "TransactionId",
    "sma_transaction_id": "SmaTransactionId",
    "duplicates": "Duplicates",
    "status": "CallStatus",
    "status_rank": "StatusRank",
    "status_time": "StatusTime",
    "final": "Final",
    "answered": "Answered",
    "joined": "Joined",
    "reason": "Reason",
    "event": "StatusEvent",
    "updated_at": "UpdatedAt",
    "expires_at": "ExpiresAt",
}
_FROM_DYNAMO: Final = {v: k for k, v in _DYNAMO.items()}


def _to_dynamo(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": repr(value)}
    if isinstance(value, Mapping):
        return {"S": json.dumps(value)}
    return {"S": str(value)}


def _from_dynamo(value: Mapping[str, Any]) -> Any:
    if "BOOL" in value:
        return value["BOOL"]
    if "N" in value:
        number = float(value["N"])
        return int(number) if number.is_integer() and "." not in value["N"] else number
    return value.get("S")


def _conditional_failed(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, Mapping) else None
    return code == "ConditionalCheckFailedException"


class DynamoDBLedger(CallLedger):
    """A ledger in a DynamoDB table (key ``CorrelationId``, a string), with conditional writes:
    workers on any machine and the SIP media application's Lambda share it.

    ``client`` is a boto3 DynamoDB client (created from ``session`` / ``region_name`` /
    ``endpoint_url`` when not given, on first use). ``create_table`` makes a suitable
    on-demand table. ``ttl_seconds`` writes ``ExpiresAt`` (epoch seconds) on each claim; turn on
    the table's time to live on that attribute to let DynamoDB forget old calls.
    """

    def __init__(
        self,
        table_name: str,
        *,
        client: Any = None,
        session: Any = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        ttl_seconds: float | None = None,
    ) -> None:
        self.table_name = table_name
        self.ttl_seconds = ttl_seconds
        self._client = client
        self._session = session
        self._region_name = region_name
        self._endpoint_url = endpoint_url
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DynamoDBLedger({self.table_name!r})"

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    session = self._session
                    if session is None:
                        import boto3

                        session = boto3.session.Session()
                    self._client = session.client(
                        "dynamodb", region_name=self._region_name, endpoint_url=self._endpoint_url
                    )
        return self._client

    def create_table(self, *, wait: bool = True) -> None:
        """Create the table (on demand, key ``CorrelationId``) if it does not exist."""
        client = self.client
        try:
            client.create_table(
                TableName=self.table_name,
                KeySchema=[{"AttributeName": "CorrelationId", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "CorrelationId", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code != "ResourceInUseException":
                raise
        if wait:
            client.get_waiter("table_exists").wait(TableName=self.table_name)

    def _key(self, correlation_id: str) -> dict[str, Any]:
        return {"CorrelationId": {"S": correlation_id}}

    def claim(self, correlation_id: str, *, holder: str | None = None) -> bool:
        now = time.time()
        item = {
            "CorrelationId": {"S": correlation_id},
            "State": {"S": CLAIMED},
            "Holder": {"S": holder or default_holder()},
            "ClaimedAt": _to_dynamo(now),
            "UpdatedAt": _to_dynamo(now),
        }
        if self.ttl_seconds is not None:
            item["ExpiresAt"] = {"N": str(int(now + self.ttl_seconds))}
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(CorrelationId) OR "
                "(#state = :not_placed AND attribute_not_exists(SmaTransactionId))",
                ExpressionAttributeNames={"#state": "State"},
                ExpressionAttributeValues={":not_placed": {"S": NOT_PLACED}},
            )
        except Exception as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def note_outbound(self, correlation_id: str, transaction_id: str) -> bool:
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(correlation_id),
                UpdateExpression="SET SmaTransactionId = :t, UpdatedAt = :now",
                ConditionExpression="attribute_not_exists(SmaTransactionId) OR "
                "SmaTransactionId = :t",
                ExpressionAttributeValues={
                    ":t": {"S": transaction_id},
                    ":now": _to_dynamo(time.time()),
                },
            )
        except Exception as exc:
            if not _conditional_failed(exc):
                raise
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(correlation_id),
                UpdateExpression="ADD Duplicates :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )
            return False
        return True

    def record_status(self, event: StatusEvent) -> None:
        if not event.correlation_id:
            return
        fields = _status_fields(event)
        sets = ["#status = :status", "StatusRank = :rank", "StatusTime = :time", "#final = :final"]
        sets += ["StatusEvent = :event", "UpdatedAt = :now"]
        values = {
            ":status": {"S": fields["status"]},
            ":rank": _to_dynamo(fields["status_rank"]),
            ":time": _to_dynamo(fields["status_time"]),
            ":final": {"BOOL": fields["final"]},
            ":event": _to_dynamo(fields["event"]),
            ":now": _to_dynamo(time.time()),
        }
        for flag, attribute in (("answered", "Answered"), ("joined", "Joined")):
            if fields[flag]:  # once true, never written back to false
                sets.append(f"{attribute} = :true")
                values[":true"] = {"BOOL": True}
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=self._key(event.correlation_id),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="attribute_not_exists(StatusRank) OR StatusRank < :rank",
                ExpressionAttributeNames={"#status": "CallStatus", "#final": "Final"},
                ExpressionAttributeValues=values,
            )
        except Exception as exc:
            if not _conditional_failed(exc):  # a later status is already there
                raise

    def get(self, correlation_id: str) -> LedgerEntry | None:
        answer = self.client.get_item(
            TableName=self.table_name, Key=self._key(correlation_id), ConsistentRead=True
        )
        item = answer.get("Item")
        if not item:
            return None
        row = {_FROM_DYNAMO[k]: _from_dynamo(v) for k, v in item.items() if k in _FROM_DYNAMO}
        return _row_entry(row)

    def _set(self, correlation_id: str, fields: Mapping[str, Any]) -> None:
        names = {f"#{name}": _DYNAMO[name] for name in (*fields, "updated_at")}
        values = {f":{name}": _to_dynamo(value) for name, value in fields.items()}
        values[":updated_at"] = _to_dynamo(time.time())
        self.client.update_item(
            TableName=self.table_name,
            Key=self._key(correlation_id),
            UpdateExpression="SET " + ", ".join(f"#{n} = :{n}" for n in (*fields, "updated_at")),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )


def correlation_id_of(request: Request[Any]) -> str:
    """The correlation ID a request carries: ``DialOutRequest.correlation_id``, or
    ``ArgumentsMap["CorrelationId"]`` of a ``CreateSipMediaApplicationCallRequest``."""
    direct = getattr(request, "correlation_id", None)
    if isinstance(direct, str) and direct:
        return direct
    arguments = getattr(request, "arguments_map", None)
    value = arguments.get(ARG_CORRELATION_ID) if arguments is not None else None
    if not value:
        raise ValueError(
            f"{type(request).__name__} carries no correlation ID: the ledger needs one "
            f"(DialOutRequest.correlation_id, or ArgumentsMap[{ARG_CORRELATION_ID!r}])"
        )
    return str(value)


def place(
    calls: Any,
    request: Request[Any],
    *,
    ledger: CallLedger,
    holder: str | None = None,
) -> Placement:
    """Place a call at most once for its correlation ID: claim it in ``ledger``, send
    ``request`` through ``calls`` (a ``chime_calls.ChimeCalls``), record the outcome.

    ``request`` is a ``chime_calls.DialOutRequest`` or a
    ``chime_calls.CreateSipMediaApplicationCallRequest`` whose ``ArgumentsMap`` has a
    ``CorrelationId``. Returns ``Placement`` ``placed``, or ``duplicate`` without sending
    anything when the correlation ID is already claimed or placed. An error is recorded and
    raised: ``outcome_unknown`` ones as ``unknown`` (never re-sent: ask ``CallLedger.get``
    later), others as ``not-placed`` (the correlation ID may be claimed again); anything that
    interrupts the send (``KeyboardInterrupt``) counts as unknown.
    """
    correlation_id = correlation_id_of(request)
    if not ledger.claim(correlation_id, holder=holder):
        return Placement(
            correlation_id=correlation_id, outcome="duplicate", entry=ledger.get(correlation_id)
        )
    try:
        result = calls.send(request)
    except ChimeCallsError as exc:
        reason = getattr(exc, "code", None) or type(exc).__name__
        if exc.outcome_unknown:
            ledger.mark_unknown(correlation_id, reason)
        else:
            ledger.mark_not_placed(correlation_id, reason)
        raise
    except BaseException as exc:
        ledger.mark_unknown(correlation_id, type(exc).__name__)
        raise
    if hasattr(result, "__await__"):  # an AsyncChimeCalls: nothing is sent until awaited
        result.close()
        ledger.mark_not_placed(correlation_id, "not sent")
        raise TypeError(
            "place() takes a ChimeCalls; an AsyncChimeCalls' send() must be awaited (nothing "
            "was sent)"
        )
    ledger.mark_placed(correlation_id, result.transaction_id)
    return Placement(
        correlation_id=correlation_id, outcome="placed", transaction_id=result.transaction_id
    )
