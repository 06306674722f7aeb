"""The stateful Chime fake: meetings, attendees and calls, answered at botocore's HTTP layer."""

from __future__ import annotations

import datetime
import functools
import logging
import os
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from chime_calls import _clock
from chime_calls._clock import SYSTEM, Clock, VirtualClock
from chime_calls.testing import _calls as call_operations
from chime_calls.testing import _meetings as meeting_operations
from chime_calls.testing import _voice as voice_operations
from chime_calls.testing import _wire
from chime_calls.testing._answers import (
    LEGACY,
    MEETINGS,
    VOICE,
    Answer,
    Ctx,
    Operation,
    quota_code,
    throttle_code,
)
from chime_calls.testing._faults import (
    CalleeRule,
    ConnectKind,
    Fault,
    LostKind,
    MagicNumbers,
    OperationName,
    RateLimiter,
    UnfiredFaultsError,
    UnfiredFaultsWarning,
    operation_name,
)
from chime_calls.testing._hook import _moto_active
from chime_calls.testing._meetings import (
    AutoEndPolicy,
    _Meeting,
    check_new_meeting,
    meeting_data,
)
from chime_calls.testing._records import (
    CallUpdate,
    FakeAttendee,
    FakeMeeting,
    PlacedCall,
    ReceivedRequest,
)
from chime_calls.testing._validate import validate
from chime_calls.testing._voice import ProvisionedSipMediaApplication, VoiceBackend

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse
    from botocore.model import OperationModel

    from chime_calls.testing._sma import (
        BotAnswer,
        Recording,
        SmaCallRecord,
        SmaEnvironment,
    )

__all__ = ["ChimeFake", "SmaHandler", "Unfired"]

SmaHandler = Callable[[dict[str, Any], Any], "dict[str, Any] | None"]
#: What deactivating a fake does about faults still queued: raise
#: ``UnfiredFaultsError``, warn
#: (``UnfiredFaultsWarning``), or nothing.
Unfired = Literal["raise", "warn", "ignore"]
_LOGGER = logging.getLogger("chime_calls.testing")
_F = TypeVar("_F", bound=Callable[..., Any])

_LEGACY_REFUSAL = (
    "User: arn:aws:iam::{account}:user/test is not authorized to call deprecated Amazon Chime "
    'SDK API on the "chime" endpoint. Use the Amazon Chime SDK {replacement} namespace.'
)
_CALL_PLACING = frozenset({"CreateSipMediaApplicationCall", "CreateMeetingDialOut"})
_CREDENTIAL_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
_TOKEN_VARS = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


class ChimeFake:
    """A stateful stand-in for the Chime services, for tests.

    Use it through ``mock_chime`` (a context manager and decorator),
    or the ``chime_fake`` pytest fixture. While active, every boto3 client of
    ``chime-sdk-meetings``, ``chime-sdk-voice`` and ``chime`` is answered here, through
    botocore's real serialization, HTTP status and error parsing; other services go on to moto
    (when ``mock_aws`` is active) or the network. State is fresh per instance and guarded by a
    lock, so threads may share it.
    """

    def __init__(
        self,
        *,
        account_id: str = "123456789012",
        legacy_access: bool = True,
        credentials: bool = True,
        clock: VirtualClock | None = None,
        real_time: bool = False,
        quotas: bool = True,
        unfired_faults: Unfired = "warn",
        auto_end: AutoEndPolicy | None = None,
    ) -> None:
        if auto_end is not None and not isinstance(auto_end, AutoEndPolicy):
            raise TypeError(
                "auto_end takes a chime_calls.testing.AutoEndPolicy, not " + type(auto_end).__name__
            )
        if unfired_faults not in ("raise", "warn", "ignore"):
            raise ValueError(
                f"unfired_faults must be 'raise', 'warn' or 'ignore', not {unfired_faults!r}"
            )
        self.account_id = account_id
        #: AWS's documented default request rates (each request type's spec states its rate:
        #: CreateSipMediaApplicationCall 1/s, the meetings operations 10/s), per region, on
        #: ``clock``; ``False`` throttles nothing unless ``rate_limit`` says so.
        self.quotas = quotas
        #: When meetings end on their own, on ``clock`` (AWS's rules by default).
        self.auto_end: AutoEndPolicy = auto_end if auto_end is not None else AutoEndPolicy()
        self.unfired_faults: Unfired = unfired_faults
        #: The fake's time: the facade's waits, quotas and injected latency run on it while the
        #: fake is active, so no test sleeps for real (``real_time=True`` waits for real).
        self.clock: Clock = (
            clock if clock is not None else (SYSTEM if real_time else VirtualClock())
        )
        self._real_time = real_time
        #: ``False`` answers every legacy ``chime`` meeting and call operation with the
        #: refusal AWS sends accounts that never used the deprecated namespace.
        self.legacy_access = legacy_access
        self._set_credentials = credentials
        self._lock = threading.RLock()
        self._meetings: dict[str, _Meeting] = {}
        self._tokens: dict[tuple[str, str, str], str] = {}
        self._calls: list[PlacedCall] = []
        self._updates: list[CallUpdate] = []
        self._requests: list[ReceivedRequest] = []
        self._faults: list[Fault] = []
        self._latency: list[tuple[str | None, float]] = []
        self._limits: dict[str, RateLimiter] = {}
        self._quota_limits: dict[str, RateLimiter] = {}
        self._handlers: dict[str, SmaHandler] = {}
        self._handler_errors: list[BaseException] = []
        self._bots: dict[str, BotAnswer] = {}
        self._callee_rules: list[CalleeRule] = []
        self._concurrent_limit: int | None = None
        self._live: set[str] = set()  # transaction IDs of simulated calls still going on
        self._call_index: dict[str, int] = {}  # transaction ID -> its index in _calls
        self._timers: set[tuple[str, float]] = set()  # (transaction ID, due) scheduled
        self._recordings: list[Recording] = []
        self._s3: dict[str, Any] = {}
        #: chime-sdk-voice provisioning: phone numbers, orders, SIP media applications, SIP
        #: rules (inspection, ``order_delay``, ``add_phone_number``; chime-calls docs testing)
        self.voice = VoiceBackend(self)
        if isinstance(self.clock, VirtualClock):  # SMA timers fire as the time passes
            self.clock.on_advance(self._tick_calls)
        self._saved_env: dict[str, str | None] = {}

    def __repr__(self) -> str:
        return (
            f"ChimeFake(meetings={len(self._meetings)}, calls={len(self._calls)}, "
            f"requests={len(self._requests)})"
        )

    # --- activation ----------------------------------------------------------------------

    def __enter__(self) -> ChimeFake:
        from chime_calls.testing import _hook

        if self._set_credentials:
            for name in (*_CREDENTIAL_VARS, *_TOKEN_VARS):
                self._saved_env[name] = os.environ.get(name)
            for name in _CREDENTIAL_VARS:
                os.environ[name] = "testing"
            for name in _TOKEN_VARS:
                os.environ.pop(name, None)
        _hook.activate(self)
        _clock.push(self.clock)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        from chime_calls.testing import _hook

        _hook.deactivate(self)
        _clock.pop(self.clock)
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env.clear()
        if exc_type is None:  # a failing test's own error says more than leftover faults
            self._report_unfired()

    def _report_unfired(self) -> None:
        pending = self.pending_faults
        if not pending or self.unfired_faults == "ignore":
            return
        seen = sorted({request.operation for request in self.requests})
        message = (
            f"{len(pending)} injected fault{'s' if len(pending) > 1 else ''} never fired: "
            + "; ".join(pending)
            + f". The fake received {', '.join(seen) or 'no requests'}. The code under test "
            "never sent the requests these faults were for, so the test did not exercise them "
            "(fewer attempts than faults, another operation, or another fake). Queue only the "
            "faults the test needs, or pass unfired_faults='ignore'."
        )
        if self.unfired_faults == "raise":
            raise UnfiredFaultsError(message)
        warnings.warn(message, UnfiredFaultsWarning, stacklevel=3)

    @property
    def pending_faults(self) -> list[str]:
        """Faults queued and not yet used up, as ``fail_next('GetMeeting', ...): 1 of 1 left``.
        Deactivating the fake reports them (``unfired_faults``)."""
        with self._lock:
            return [fault.describe() for fault in self._faults if fault.remaining > 0]

    def __call__(self, func: _F) -> _F:
        """Decorate a test: it runs with a fresh fake configured like this one."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with ChimeFake(
                account_id=self.account_id,
                legacy_access=self.legacy_access,
                credentials=self._set_credentials,
                real_time=self._real_time,
                quotas=self.quotas,
                unfired_faults=self.unfired_faults,
                auto_end=self.auto_end,
            ):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    # --- inspection ----------------------------------------------------------------------

    @property
    def calls(self) -> list[PlacedCall]:
        """Every call placed (SIP media application calls and legacy dial-outs), in order."""
        with self._lock:
            return list(self._calls)

    @property
    def dial_outs(self) -> list[PlacedCall]:
        """Calls placed by legacy CreateMeetingDialOut."""
        return [call for call in self.calls if call.kind == "meeting-dial-out"]

    @property
    def sip_media_application_calls(self) -> list[PlacedCall]:
        """Calls placed by CreateSipMediaApplicationCall."""
        return [call for call in self.calls if call.kind == "sip-media-application"]

    @property
    def call_updates(self) -> list[CallUpdate]:
        """Every UpdateSipMediaApplicationCall accepted, in order."""
        with self._lock:
            return list(self._updates)

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request received, including refused and faulted ones, in order."""
        with self._lock:
            return list(self._requests)

    def attempts(self, operation: OperationName) -> int:
        """How many requests for ``operation`` reached the fake."""
        name = operation_name(operation)
        return sum(1 for request in self.requests if request.operation == name)

    @property
    def meetings(self) -> list[FakeMeeting]:
        """Every meeting created, deleted ones included (``deleted=True``)."""
        with self._lock:
            return [self._snapshot(meeting) for meeting in self._meetings.values()]

    def meeting(self, meeting_id: str) -> FakeMeeting:
        """One meeting by ID (``KeyError`` when the fake never created it)."""
        with self._lock:
            return self._snapshot(self._meetings[meeting_id])

    @property
    def attendees(self) -> list[FakeAttendee]:
        """Every attendee of every meeting."""
        return [attendee for meeting in self.meetings for attendee in meeting.attendees]

    @property
    def handler_errors(self) -> list[BaseException]:
        """Exceptions raised by registered SIP media application handlers."""
        with self._lock:
            return list(self._handler_errors)

    def advance(self, seconds: float) -> None:
        """Move ``clock`` forward (a virtual clock only): timers that fall due on the way
        fire in order (SIP media application gathers and recordings, and anything else the fake
        scheduled), as they do when the facade waits on the clock."""
        if not isinstance(self.clock, VirtualClock):
            raise TypeError(
                "advance() needs the fake's virtual clock (mock_chime(real_time=False))"
            )
        self.clock.advance(seconds)

    def reset(self) -> None:
        """Forget all state, records, faults and handlers."""
        with self._lock:
            self._meetings.clear()
            self._tokens.clear()
            self._calls.clear()
            self._call_index.clear()
            self._updates.clear()
            self._requests.clear()
            self._faults.clear()
            self._latency.clear()
            self._limits.clear()
            self._quota_limits.clear()
            self._handlers.clear()
            self._handler_errors.clear()
            self._bots.clear()
            self._recordings.clear()
            self._callee_rules.clear()
            self._concurrent_limit = None
            self._live.clear()
            self._timers.clear()
            self.voice.reset()

    # --- configuration and fault injection ------------------------------------------------

    def register_sma_handler(self, sip_media_application_id: str, handler: SmaHandler) -> None:
        """Play ``handler`` as the Lambda of a SIP media application.

        Calls placed on that application invoke it with realistic events; the actions it
        returns are applied and the outcome lands on ``PlacedCall.sma``.
        """
        with self._lock:
            self._handlers[sip_media_application_id] = handler

    def provision_sip_media_application(
        self,
        sip_media_application_id: str | None = None,
        *,
        phone_number: str | None = None,
        region: str = "us-east-1",
        name: str | None = None,
        lambda_arn: str | None = None,
        handler: SmaHandler | None = None,
    ) -> ProvisionedSipMediaApplication:
        """A SIP media application that can place calls, in one line: ``phone_number`` (a
        fictional +1 206 555-01xx one by default) in the inventory with product type
        ``SipMediaApplicationDialIn``, the application in ``region`` (any ID you like, a GUID by
        default; AWS's are GUIDs) and the SIP rule that ties the number to it; ``handler`` plays
        its Lambda (``register_sma_handler``). Calling it again for the same application
        and number changes nothing."""
        return self.voice.provision(
            sip_media_application_id,
            phone_number=phone_number,
            region=region,
            name=name,
            lambda_arn=lambda_arn,
            handler=handler,
        )

    def _tick_calls(self) -> None:
        """Fire every SIP media application call's timers that fell due, in order: gather
        attempts time out, ``RecordAudio`` durations end, ``ReceiveDigits`` entries are matched
        or flushed, callees pick up and hang up (the clock calls this whenever it moves)."""
        now = self.clock.now()
        with self._lock:
            due = [
                transaction_id
                for transaction_id in list(self._live)
                if self._due(transaction_id, now)
            ]
            for transaction_id in due:
                self._fire(transaction_id)

    def _due(self, transaction_id: str, now: float) -> bool:
        index = self._index_of(transaction_id)
        call = self._calls[index] if index is not None else None
        if call is None or call.sma is None or call.sma.ended:
            self._live.discard(transaction_id)
            return False
        return bool(call.sma.state is not None and call.sma.state.due(now))

    def _fire(self, transaction_id: str) -> None:
        """Fire the timers of one call that are due now."""
        from chime_calls.testing._sma import simulate_tick

        with self._lock:
            index = self._index_of(transaction_id)
            if index is None:
                return
            call = self._calls[index]
            handler = self._handlers.get(call.sip_media_application_id or "")
            if handler is not None and call.sma is not None and not call.sma.ended:
                self._calls[index] = self._with_sma(call, simulate_tick(handler, call.sma))

    def _index_of(self, transaction_id: str) -> int | None:
        return self._call_index.get(transaction_id)

    def _append_call(self, call: PlacedCall) -> None:
        self._call_index[call.transaction_id] = len(self._calls)
        self._calls.append(call)

    def callee_rule(
        self,
        match: str | Callable[[str], bool] | None = None,
        *,
        answer: Literal["answered", "busy", "no-answer", "failed"] = "answered",
        ring_seconds: float = 0.0,
        talk_seconds: float | None = None,
    ) -> None:
        """How callees behave: the phone rings ``ring_seconds`` of ``clock``, then
        answered, busy, unanswered or failed as ``answer`` says, and an answered callee hangs
        up after ``talk_seconds`` (``None``: stays until hung up). ``match`` is a number, a
        predicate on the number, or ``None`` for every number; the latest matching rule wins,
        and the ``MagicNumbers`` ``BUSY`` and ``NO_ANSWER`` win over every rule. Without
        a rule, callees answer at once and stay (how the fake always behaved)."""
        if answer not in ("answered", "busy", "no-answer", "failed"):
            raise ValueError(
                f"answer must be 'answered', 'busy', 'no-answer' or 'failed', not {answer!r}"
            )
        if ring_seconds < 0 or (talk_seconds is not None and talk_seconds < 0):
            raise ValueError("ring_seconds and talk_seconds must not be negative")
        rule = CalleeRule(
            match=match, answer=answer, ring_seconds=ring_seconds, talk_seconds=talk_seconds
        )
        with self._lock:
            self._callee_rules.append(rule)

    def limit_concurrent_calls(self, limit: int | None) -> None:
        """Refuse ``CreateSipMediaApplicationCall`` with ``ResourceLimitExceededException``
        while ``limit`` SIP media application calls are going on in the region (AWS's default
        quota is 10); ``None`` lifts it. Only calls a registered handler plays are counted:
        the fake knows when those end."""
        if limit is not None and limit < 1:
            raise ValueError("limit must be at least 1, or None")
        with self._lock:
            self._concurrent_limit = limit

    def _callee(self, to_number: str) -> CalleeRule:
        if to_number == MagicNumbers.BUSY:
            return CalleeRule(answer="busy")
        if to_number == MagicNumbers.NO_ANSWER:
            return CalleeRule(answer="no-answer")
        for rule in reversed(self._callee_rules):
            if rule.applies(to_number):
                return rule
        return CalleeRule()

    def _check_concurrency(self, ctx: Ctx) -> None:
        limit = self._concurrent_limit
        if limit is None:
            return
        going_on = sum(
            1
            for transaction_id in self._live
            if (index := self._index_of(transaction_id)) is not None
            and self._calls[index].region == ctx.region
            and (record := self._calls[index].sma) is not None
            and not record.ended
        )
        if going_on >= limit:
            ctx.fault = "concurrent_calls"
            raise Answer(
                quota_code(ctx.service),
                f"The maximum of {limit} concurrent SIP media application calls is reached",
            )

    def press_digits(
        self, transaction_id: str, digits: str, *, participant_tag: str = "LEG-A"
    ) -> PlacedCall:
        """The person on ``participant_tag`` of a running call presses ``digits`` (``0-9``,
        ``*``, ``#``), one after another at the clock's current time. A
        ``PlayAudioAndGetDigits`` / ``SpeakAndGetDigits`` in progress takes them, a
        ``RecordAudio`` stops on a terminator, a ``ReceiveDigits`` buffers them; otherwise the
        service discards them. Returns the call as it stands afterwards."""
        from chime_calls.testing._sma import simulate_digits

        with self._lock:
            index, handler, record = self._running(transaction_id)
            after = simulate_digits(handler, record, digits, participant_tag=participant_tag)
            self._calls[index] = self._with_sma(self._calls[index], after)
            return self._calls[index]

    def register_bot(
        self,
        bot_alias_arn: str,
        intent: str | Callable[[Mapping[str, Any]], Mapping[str, Any]],
        *,
        slots: Mapping[str, str | None] | None = None,
        state: str = "ReadyForFulfillment",
        confirmation_state: str = "None",
        session_attributes: Mapping[str, str] | None = None,
    ) -> None:
        """Play an Amazon Lex V2 bot for ``StartBotConversation``: the conversation ends with
        intent ``intent`` (``slots`` maps slot names to what the caller said, ``None`` for an
        unfilled slot), shaped like AWS's ``IntentResult``. Pass a function instead to build
        the whole ``IntentResult`` from the action's parameters. A bot alias ARN nobody
        registered fails the action with ``ResourceNotFound``."""
        if callable(intent):
            answer: BotAnswer = intent
        else:
            intent_body = {
                "Name": intent,
                "Slots": {
                    name: None
                    if value is None
                    else {
                        "Value": {
                            "OriginalValue": value,
                            "InterpretedValue": value,
                            "ResolvedValues": [value],
                        },
                        "Values": [],
                    }
                    for name, value in (slots or {}).items()
                },
                "State": state,
                "ConfirmationState": confirmation_state,
            }
            answer = {
                "SessionState": {
                    "SessionAttributes": dict(session_attributes or {}),
                    "Intent": intent_body,
                },
                "Interpretations": [{"NluConfidence": {"Score": 1.0}, "Intent": intent_body}],
            }
        with self._lock:
            self._bots[bot_alias_arn] = answer

    @property
    def recordings(self) -> list[Recording]:
        """Every recording delivered (``RecordAudio``, ``StartCallRecording``), in order.

        Under moto's ``mock_aws`` each was written to its S3 bucket with a real boto3 client
        (``stored_in == "s3"``; a missing bucket fails the action with
        ``NoAccessToDestination``, as on AWS). Without moto nothing is sent anywhere: the
        recording is kept here only (``stored_in == "memory"``) and a warning is logged."""
        with self._lock:
            return list(self._recordings)

    def receive_call(
        self,
        sip_media_application_id: str,
        *,
        from_phone_number: str,
        to_phone_number: str,
        region: str = "us-east-1",
    ) -> PlacedCall:
        """Someone calls ``to_phone_number``, whose SIP rule targets the application: its
        registered handler gets ``NEW_INBOUND_CALL`` and the call runs as on AWS."""
        from chime_calls.testing._sma import simulate_inbound_call

        with self._lock:
            handler = self._handlers.get(sip_media_application_id)
            if handler is None:
                raise KeyError(f"no handler registered for {sip_media_application_id}")
            call = PlacedCall(
                kind="inbound",
                transaction_id=str(uuid.uuid4()),
                service=VOICE,
                region=region,
                from_phone_number=from_phone_number,
                to_phone_number=to_phone_number,
                sip_media_application_id=sip_media_application_id,
            )
            record = simulate_inbound_call(
                handler,
                transaction_id=call.transaction_id,
                sip_media_application_id=sip_media_application_id,
                region=region,
                account_id=self.account_id,
                from_number=from_phone_number,
                to_number=to_phone_number,
                env=self._sma_env(),
            )
            call = self._with_sma(call, record)
            self._append_call(call)
            return call

    def fail_next(
        self,
        operation: OperationName | None,
        code: str = "ServiceFailureException",
        *,
        times: int = 1,
        message: str | None = None,
        status: int | None = None,
        retry_after: float | datetime.datetime | None = None,
    ) -> None:
        """Answer the next ``times`` requests of ``operation`` (``None``: any) with an error.

        ``operation`` is AWS's name or its snake_case form (anything else is a ``ValueError``
        listing the valid names), for this and every other fault. ``code`` is any error code,
        modelled or not; the HTTP status comes from the service model's error shape unless
        given. ``retry_after`` goes out as delay-seconds, or as an HTTP date when it is a
        datetime. Nothing changes on the service side.
        """
        self._add(
            Fault(
                kind="error",
                operation=operation,
                remaining=times,
                code=code,
                status=status,
                message=message,
                retry_after=retry_after,
            )
        )

    def throttle(
        self,
        operation: OperationName | None,
        *,
        times: int = 1,
        retry_after: float | datetime.datetime | None = None,
    ) -> None:
        """Throttle the next ``times`` requests with the service's own 429 code."""
        self._add(
            Fault(kind="throttle", operation=operation, remaining=times, retry_after=retry_after)
        )

    def rate_limit(
        self, operation: OperationName, per_second: float, *, burst: int | None = None
    ) -> None:
        """Throttle ``operation`` beyond ``per_second`` per region, like the service's quotas
        (it replaces the documented quota the fake applies by default), on ``clock``."""
        name = operation_name(operation)
        with self._lock:
            self._limits[name] = RateLimiter(per_second, burst)

    def latency(self, seconds: float, operation: OperationName | None = None) -> None:
        """Delay every answer (to ``operation``, or all) by ``seconds`` of ``clock``; 0
        clears it."""
        name = None if operation is None else operation_name(operation)
        with self._lock:
            self._latency = [item for item in self._latency if item[0] != name]
            if seconds > 0:
                self._latency.append((name, seconds))

    def fail_connection(
        self, operation: OperationName | None, *, times: int = 1, kind: ConnectKind = "refused"
    ) -> None:
        """Fail the next ``times`` requests before they reach the service."""
        self._add(Fault(kind="connect", operation=operation, remaining=times, variant=kind))

    def lose_answer(
        self, operation: OperationName | None, *, times: int = 1, kind: LostKind = "read-timeout"
    ) -> None:
        """Let the next ``times`` requests take effect, then lose the answer.

        ``kind``: ``"read-timeout"``, ``"connection-closed"``, ``"tls"`` (a TLS failure
        mid-response), or a ``"500"``, ``"503"`` or ``"504"`` answer after the fact. The
        operation must be one the fake serves (something has to take effect).
        """
        if operation is not None and operation_name(operation) not in _SERVED_NAMES:
            raise ValueError(
                f"lose_answer({operation!r}): the fake does not serve {operation_name(operation)}"
                f", so nothing would take effect; it serves {', '.join(sorted(_SERVED_NAMES))}"
            )
        self._add(Fault(kind="lost", operation=operation, remaining=times, variant=kind))

    def _add(self, fault: Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        if fault.operation is not None:
            fault.operation = operation_name(fault.operation)
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, operation: str) -> Fault | None:
        for fault in self._faults:
            if fault.matches(operation):
                fault.remaining -= 1
                return fault
        return None

    # --- the HTTP entry point --------------------------------------------------------------

    def handle(self, service: str, operation: str, request: AWSPreparedRequest) -> AWSResponse:
        """Answer one request botocore is about to send (or raise what the network would)."""
        model = _wire.service_model(service)
        region = _wire.region_of(request)
        served = _SERVED[service]
        if operation not in served and operation in model.operation_names:
            with self._lock:  # a fault injected for an operation the fake does not serve
                fault = self._take_fault(operation)
                if fault is not None and fault.kind != "lost":
                    return self._faulted(
                        Ctx(service, operation, region),
                        model.operation_model(operation),
                        fault,
                        request,
                    )
        if operation not in served or operation not in model.operation_names:
            response, _, status = _wire.error_response(
                model,
                request.url,
                "NotImplemented",
                f"chime_calls.testing does not implement {service} {operation}",
                status=501,
            )
            self._record(service, operation, region, status, "NotImplemented", None, {})
            return response
        op_model = model.operation_model(operation)
        params = _wire.parse_request(op_model, request)
        for target, seconds in list(self._latency):
            if target in (None, operation):
                self.clock.sleep(seconds)
        with self._lock:
            return self._handle_locked(Ctx(service, operation, region), op_model, params, request)

    def _handle_locked(
        self,
        ctx: Ctx,
        op_model: OperationModel,
        params: dict[str, Any],
        request: AWSPreparedRequest,
    ) -> AWSResponse:
        from botocore import exceptions as bx

        url = request.url
        fault = self._take_fault(ctx.operation)
        if fault is not None and fault.kind == "connect":
            self._record_ctx(ctx, None, None, f"connect:{fault.variant}", params)
            if fault.variant == "connect-timeout":
                raise bx.ConnectTimeoutError(endpoint_url=url)
            raise bx.EndpointConnectionError(endpoint_url=url)
        try:
            self._gatekeep(ctx, op_model, params, fault)
            body = _SERVED[ctx.service][ctx.operation](self, ctx, params)
        except Answer as answer:
            if fault is not None and fault.kind == "lost":
                fault.remaining += 1  # nothing took effect: the fault waits for a request that does
            return self._error(ctx, url, answer, params)
        if fault is not None and fault.kind == "lost":
            return self._lose(ctx, url, fault.variant or "read-timeout", params)
        if ctx.fault == "magic:answer-lost":
            return self._lose(ctx, url, "read-timeout", params)
        response, _ = _wire.response(op_model, url, body)
        self._record_ctx(ctx, response.status_code, None, ctx.fault, params)
        return response

    def _gatekeep(
        self, ctx: Ctx, op_model: OperationModel, params: dict[str, Any], fault: Fault | None
    ) -> None:
        """Everything that answers before the operation runs: faults, quotas, validation."""
        if fault is not None and fault.kind == "error":
            ctx.fault = "fail_next"
            raise Answer(
                fault.code or "ServiceFailureException",
                fault.message or "Injected failure",
                retry_after=fault.retry_after,
                status=fault.status,
            )
        if fault is not None and fault.kind == "throttle":
            ctx.fault = "throttle"
            raise Answer(throttle_code(ctx.service), "Rate exceeded", retry_after=fault.retry_after)
        limiter, why = self._limits.get(ctx.operation), "rate_limit"
        if limiter is None and self.quotas:
            limiter, why = self._quota(ctx.operation), "quota"
        key = f"{ctx.service}/{ctx.region}"
        if limiter is not None and not limiter.allow(key, self.clock.monotonic()):
            ctx.fault = why
            raise Answer(throttle_code(ctx.service), "Rate exceeded")
        if ctx.service == LEGACY and not self.legacy_access:
            ctx.fault = "legacy_refused"
            replacement = "Voice" if "SipMediaApplication" in ctx.operation else "Meetings"
            raise Answer(
                "ForbiddenException",
                _LEGACY_REFUSAL.format(account=self.account_id, replacement=replacement),
            )
        problems = validate(op_model.input_shape, params)
        if problems:
            raise Answer(
                "BadRequestException",
                f"{len(problems)} validation error{'s' if len(problems) > 1 else ''} "
                f"detected: {'; '.join(problems)}",
            )
        if ctx.operation in _CALL_PLACING:
            self._magic(ctx, str(params.get("ToPhoneNumber", "")))

    def _quota(self, operation: str) -> RateLimiter | None:
        """The documented default quota of ``operation`` (its request type's ``spec.rate``)."""
        limiter = self._quota_limits.get(operation)
        if limiter is None:
            rate = _documented_rates().get(operation)
            if rate is None:
                return None
            limiter = self._quota_limits[operation] = RateLimiter(rate, None)
        return limiter

    def _faulted(
        self, ctx: Ctx, op_model: OperationModel, fault: Fault, request: AWSPreparedRequest
    ) -> AWSResponse:
        """The answer to a request a fault decides alone (the operation never runs)."""
        from botocore import exceptions as bx

        params = _wire.parse_request(op_model, request)
        if fault.kind == "connect":
            self._record_ctx(ctx, None, None, f"connect:{fault.variant}", params)
            if fault.variant == "connect-timeout":
                raise bx.ConnectTimeoutError(endpoint_url=request.url)
            raise bx.EndpointConnectionError(endpoint_url=request.url)
        try:
            self._gatekeep(ctx, op_model, params, fault)
        except Answer as answer:
            return self._error(ctx, request.url, answer, params)
        raise AssertionError("an error or throttle fault always answers")  # pragma: no cover

    def _magic(self, ctx: Ctx, to_number: str) -> None:
        if to_number == MagicNumbers.THROTTLED:
            ctx.fault = "magic:throttled"
            raise Answer(throttle_code(ctx.service), "Rate exceeded")
        if to_number == MagicNumbers.FAILURE:
            ctx.fault = "magic:failure"
            raise Answer("ServiceFailureException", "The service encountered an error")
        if to_number == MagicNumbers.UNAVAILABLE:
            ctx.fault = "magic:unavailable"
            raise Answer("ServiceUnavailableException", "The service is unavailable", retry_after=1)
        if to_number == MagicNumbers.ANSWER_LOST:
            ctx.fault = "magic:answer-lost"

    def _error(self, ctx: Ctx, url: str, answer: Answer, params: dict[str, Any]) -> AWSResponse:
        response, _, status = _wire.error_response(
            _wire.service_model(ctx.service),
            url,
            answer.code,
            answer.message,
            retry_after=answer.retry_after,
            status=answer.status,
        )
        self._record_ctx(ctx, status, answer.code, ctx.fault, params)
        return response

    def _lose(self, ctx: Ctx, url: str, variant: str, params: dict[str, Any]) -> AWSResponse:
        from botocore import exceptions as bx

        fault = ctx.fault or f"lost:{variant}"
        if variant in ("500", "503"):
            code = "ServiceFailureException" if variant == "500" else "ServiceUnavailableException"
            response, _, status = _wire.error_response(
                _wire.service_model(ctx.service), url, code, "Internal error"
            )
            self._record_ctx(ctx, status, code, fault, params)
            return response
        if variant == "504":
            self._record_ctx(ctx, 504, None, fault, params)
            return _wire.plain_response(url, 504, "<html><body>Gateway Timeout</body></html>")
        self._record_ctx(ctx, None, None, fault, params)
        if variant == "connection-closed":
            raise bx.ConnectionClosedError(endpoint_url=url)
        if variant == "tls":
            raise bx.SSLError(endpoint_url=url, error=ConnectionResetError("TLS EOF mid-response"))
        raise bx.ReadTimeoutError(endpoint_url=url)

    def _record_ctx(
        self,
        ctx: Ctx,
        status: int | None,
        code: str | None,
        fault: str | None,
        params: dict[str, Any],
    ) -> None:
        self._record(ctx.service, ctx.operation, ctx.region, status, code, fault, params)

    def _record(  # noqa: PLR0917 - one flat record of what was seen
        self,
        service: str,
        operation: str,
        region: str,
        status: int | None,
        code: str | None,
        fault: str | None,
        params: Mapping[str, Any],
    ) -> None:
        with self._lock:
            self._requests.append(
                ReceivedRequest(
                    service=service,
                    operation=operation,
                    region=region,
                    status=status,
                    error_code=code,
                    fault=fault,
                    params=dict(params),
                )
            )

    # --- state helpers ---------------------------------------------------------------------

    def _snapshot(self, meeting: _Meeting) -> FakeMeeting:
        self._expire(meeting)
        attendees = tuple(
            FakeAttendee(
                attendee_id=attendee_id,
                meeting_id=meeting.meeting_id,
                external_user_id=data.get("ExternalUserId"),
                join_token=data["JoinToken"],
                deleted=attendee_id in meeting.deleted_attendees,
                capabilities=dict(data["Capabilities"]),
                connected=attendee_id in meeting.connected,
            )
            for attendee_id, data in meeting.attendees.items()
        )
        return FakeMeeting(
            meeting_id=meeting.meeting_id,
            service=meeting.service,
            region=meeting.region,
            media_region=meeting.data["MediaRegion"],
            external_meeting_id=meeting.data.get("ExternalMeetingId"),
            client_request_token=meeting.token,
            deleted=meeting.deleted,
            attendees=attendees,
            tags=dict(meeting.tags),
            meeting_features=meeting.data.get("MeetingFeatures"),
            notifications_configuration=meeting.notifications,
            raw=dict(meeting.data),
            ended_reason=meeting.ended_reason,
            max_attendees=meeting.max_attendees,
            transcription=meeting.transcription,
        )

    def _live_meeting(self, ctx: Ctx, meeting_id: str, *, ended: str | None = None) -> _Meeting:
        """The meeting, unless it never existed here (or in this region) or has ended; an
        ended one answers ``ended`` when given (CreateAttendee's "The meeting has ended")."""
        meeting = self._meetings.get(meeting_id)
        if meeting is not None:
            self._expire(meeting)
        if meeting is None or meeting.region != ctx.region or meeting.deleted:
            message = ended if meeting is not None and meeting.deleted and ended else None
            raise Answer("NotFoundException", message or "The requested meeting was not found.")
        return meeting

    def _new_meeting(self, ctx: Ctx, params: Mapping[str, Any]) -> tuple[_Meeting, bool]:
        """A new meeting, or (``True``) the one a replayed ``ClientRequestToken`` created.

        A token replayed with other parameters (or by the other create operation) is refused
        with 409 ``ConflictException``: AWS does not document the case, its API declares
        ConflictException, and answering with a meeting that is not the one asked for would
        hide the bug (chime-calls docs testing).
        """
        token = params.get("ClientRequestToken")
        key = (ctx.service, ctx.region, str(token))
        asked = (ctx.operation, {k: v for k, v in params.items() if k != "ClientRequestToken"})
        if token is not None and key in self._tokens:
            meeting = self._meetings[self._tokens[key]]
            if meeting.request != asked:
                raise Answer(
                    "ConflictException",
                    "The ClientRequestToken was already used with different parameters",
                )
            self._expire(meeting)
            return meeting, True  # (an ended meeting too: a token only works while it lives)
        max_attendees = check_new_meeting(params)
        meeting_id = str(uuid.uuid4())
        now = self.clock.monotonic()
        meeting = _Meeting(
            meeting_id=meeting_id,
            service=ctx.service,
            region=ctx.region,
            data=meeting_data(ctx, self.account_id, meeting_id, params),
            token=token,
            tags={tag["Key"]: tag.get("Value", "") for tag in params.get("Tags") or []},
            notifications=params.get("NotificationsConfiguration"),
            request=asked,
            max_attendees=max_attendees,
            created_at=now,
            empty_since=now,
        )
        self._meetings[meeting_id] = meeting
        if token is not None:
            self._tokens[key] = meeting_id
        self._schedule_auto_end(meeting)
        return meeting, False

    def _live_attendee(self, meeting: _Meeting, attendee_id: str) -> dict[str, Any]:
        data = meeting.attendees.get(attendee_id)
        if data is None or attendee_id in meeting.deleted_attendees:
            raise Answer("NotFoundException", "The requested attendee was not found.")
        return data

    # --- meetings that end ---------------------------------------------------------------------

    def attendee_joined(self, meeting_id: str, attendee_id: str) -> None:
        """The attendee's client connects to the meeting's media (what AWS's auto-end rules
        count). ``KeyError`` for an unknown meeting or attendee, ``ValueError`` when the meeting
        has ended."""
        with self._lock:
            meeting = self._meetings[meeting_id]
            self._expire(meeting)
            if meeting.deleted:
                raise ValueError(f"the meeting has ended ({meeting.ended_reason})")
            if meeting.attendees.get(attendee_id) is None or (
                attendee_id in meeting.deleted_attendees
            ):
                raise KeyError(f"no attendee {attendee_id} in the meeting")
            self._connect(meeting, attendee_id)

    def attendee_left(self, meeting_id: str, attendee_id: str) -> None:
        """The attendee's client disconnects (``KeyError`` when it was not connected)."""
        with self._lock:
            meeting = self._meetings[meeting_id]
            self._expire(meeting)
            if attendee_id not in meeting.connected:
                raise KeyError(f"attendee {attendee_id} is not connected to the meeting")
            self._disconnect(meeting, attendee_id)

    def _connect(self, meeting: _Meeting, attendee_id: str) -> None:
        if attendee_id not in meeting.connected:
            meeting.connected.add(attendee_id)
            meeting.presence_changed(self.clock.monotonic())
            self._schedule_auto_end(meeting)

    def _disconnect(self, meeting: _Meeting, attendee_id: str) -> None:
        if attendee_id in meeting.connected:
            meeting.connected.discard(attendee_id)
            meeting.presence_changed(self.clock.monotonic())
            self._schedule_auto_end(meeting)

    def _expire(self, meeting: _Meeting) -> None:
        """End the meeting if the auto-end policy says it ended by now (checked on every look,
        so a clock without timers ends meetings too)."""
        if meeting.deleted:
            return
        due = meeting.deadline(self.auto_end)
        if due is not None and due[0] <= self.clock.monotonic():
            self._end_meeting(meeting, due[1])

    def _end_meeting(self, meeting: _Meeting, reason: str) -> None:
        """The meeting ends: its attendees' tokens stop working, joined call legs are dropped,
        and its replicas end too."""
        if meeting.deleted:
            return
        meeting.deleted = True
        meeting.ended_reason = reason
        meeting.connected.clear()
        meeting.timer += 1  # (cancels a scheduled auto-end)
        self._meeting_ended(meeting.meeting_id)
        for replica in list(self._meetings.values()):
            if replica.data.get("PrimaryMeetingId") == meeting.meeting_id:
                self._end_meeting(replica, "its primary meeting ended")

    def _schedule_auto_end(self, meeting: _Meeting) -> None:
        """On a virtual clock, end the meeting when its deadline passes (``advance()``)."""
        if not isinstance(self.clock, VirtualClock):
            return
        due = meeting.deadline(self.auto_end)
        meeting.timer += 1
        if due is None:
            return
        generation = meeting.timer
        meeting_id = meeting.meeting_id
        self.clock.call_later(
            max(0.0, due[0] - self.clock.monotonic()),
            lambda: self._auto_end_due(meeting_id, generation),
        )

    def _auto_end_due(self, meeting_id: str, generation: int) -> None:
        with self._lock:
            meeting = self._meetings.get(meeting_id)
            if meeting is None or meeting.timer != generation:
                return  # (reset, ended, or its presence changed since)
            self._expire(meeting)
            if not meeting.deleted:  # the policy changed since: look again later
                self._schedule_auto_end(meeting)

    def _join(self, meeting_id: str | None, join_token: str) -> str | None:
        """Why the holder of ``join_token`` cannot join ``meeting_id`` (``None``: they can)."""
        with self._lock:
            candidates = (
                [self._meetings[meeting_id]]
                if meeting_id is not None and meeting_id in self._meetings
                else []
                if meeting_id is not None
                else list(self._meetings.values())
            )
            if not candidates:
                return "meeting not found"
            for meeting in candidates:
                self._expire(meeting)
                for attendee_id, data in meeting.attendees.items():
                    if data["JoinToken"] == join_token:
                        if meeting.deleted:
                            return "meeting has ended"
                        if attendee_id in meeting.deleted_attendees:
                            return "attendee was deleted"
                        if meeting_id is None and meeting.service == MEETINGS:
                            # AWS: MeetingId is required for chime-sdk-meetings meetings.
                            return "MeetingId is required for a chime-sdk-meetings meeting"
                        self._connect(meeting, attendee_id)  # (the call leg is in the meeting)
                        return None
            return "join token does not belong to an attendee of the meeting"

    def _sma_env(self) -> SmaEnvironment:
        from chime_calls.testing._sma import SmaEnvironment

        return SmaEnvironment(
            clock=self.clock,
            join=self._join,
            attendees=self._attendee_ids,
            bots=self._bots,
            store=self._store_recording,
            bucket_ok=self._bucket_ok,
        )

    def _attendee_ids(self, meeting_id: str) -> frozenset[str] | None:
        meeting = self._meetings.get(meeting_id)
        if meeting is not None:
            self._expire(meeting)
        if meeting is None or meeting.deleted:
            return None
        return frozenset(meeting.attendees) - meeting.deleted_attendees

    def _s3_client(self, region: str) -> Any:
        if region not in self._s3:
            import boto3

            self._s3[region] = boto3.session.Session(region_name=region).client("s3")
        return self._s3[region]

    def _bucket_ok(self, region: str, bucket: str) -> bool:
        if not _moto_active():
            return True
        from botocore.exceptions import ClientError

        try:
            self._s3_client(region).head_bucket(Bucket=bucket)
        except ClientError:
            return False
        return True

    def _store_recording(self, recording: Recording) -> Recording | str:
        """Deliver a recording where AWS would: S3 under moto, else kept here only."""
        if _moto_active():
            from botocore.exceptions import ClientError

            region = next(
                (c.region for c in self._calls if c.transaction_id == recording.transaction_id),
                "us-east-1",
            )
            try:
                self._s3_client(region).put_object(
                    Bucket=recording.bucket,
                    Key=recording.key,
                    Body=recording.body,
                    Metadata=dict(recording.metadata),
                )
            except ClientError:
                return "NoAccessToDestination"
            stored = attrs.evolve(recording, stored_in="s3")
        else:
            _LOGGER.warning(
                "moto's mock_aws is not active: recording s3://%s/%s kept in memory only "
                "(ChimeFake.recordings), nothing was sent to S3",
                recording.bucket,
                recording.key,
            )
            stored = attrs.evolve(recording, stored_in="memory")
        self._recordings.append(stored)
        return stored

    def _schedule(self, transaction_id: str, record: SmaCallRecord) -> None:
        """Keep a call that is going on in ``_live``, and have the clock fire its callee
        timers (pick-up, hang-up) at their own instants, so events are stamped when they
        happen even when a test advances the clock by more."""
        state = record.state
        if record.ended or state is None:
            self._live.discard(transaction_id)
            return
        self._live.add(transaction_id)
        if not isinstance(self.clock, VirtualClock):
            return
        for due in (state.pickup[0] if state.pickup else None, state.leaves_at):
            if due is not None and (transaction_id, due) not in self._timers:
                self._timers.add((transaction_id, due))
                self.clock.call_later(
                    max(0.0, due - self.clock.now()), functools.partial(self._fire, transaction_id)
                )

    def _running(self, transaction_id: str) -> tuple[int, SmaHandler, SmaCallRecord]:
        for index in range(len(self._calls) - 1, -1, -1):
            call = self._calls[index]
            if call.transaction_id != transaction_id:
                continue
            handler = self._handlers.get(call.sip_media_application_id or "")
            if handler is None or call.sma is None:
                raise ValueError("no SIP media application handler plays this call")
            return index, handler, call.sma
        raise KeyError(transaction_id)

    def _place(
        self, call: PlacedCall, handler: SmaHandler | None, callee: CalleeRule | None = None
    ) -> PlacedCall:
        if handler is not None and call.kind == "sip-media-application":
            from chime_calls.testing._sma import simulate_outbound_call

            record = simulate_outbound_call(
                handler,
                transaction_id=call.transaction_id,
                sip_media_application_id=call.sip_media_application_id or "",
                region=call.region,
                account_id=self.account_id,
                from_number=call.from_phone_number,
                to_number=call.to_phone_number,
                sip_headers=call.sip_headers,
                arguments=call.arguments_map,
                join=self._join,
                answer=call.answer,
                env=self._sma_env(),
                ring_seconds=callee.ring_seconds if callee is not None else 0.0,
                talk_seconds=callee.talk_seconds if callee is not None else None,
            )
            call = self._with_sma(call, record)
        self._append_call(call)
        return call

    def _with_sma(self, call: PlacedCall, record: SmaCallRecord) -> PlacedCall:
        self._schedule(call.transaction_id, record)
        error = record.error
        known = call.sma.error if call.sma is not None else None
        if error is not None and error is not known:  # a resumed record keeps its old error
            self._handler_errors.append(error)
        return attrs.evolve(
            call, sma=record, joined_meeting_id=record.joined_meeting_id, reason=record.reason
        )

    def hang_up_callee(self, transaction_id: str) -> PlacedCall:
        """The callee of a placed SIP media application call hangs up.

        The registered handler gets ``HANGUP`` for ``LEG-A`` and its answer runs (it should end
        the meeting leg). Returns the call as it stands afterwards; ``KeyError`` when no call
        has that transaction ID.
        """
        with self._lock:
            index = next(
                (i for i, call in enumerate(self._calls) if call.transaction_id == transaction_id),
                None,
            )
            if index is None:
                raise KeyError(transaction_id)
            self._remote_hangup(index, "LEG-A")
            return self._calls[index]

    def _remote_hangup(self, index: int, tag: str) -> None:
        call = self._calls[index]
        handler = self._handlers.get(call.sip_media_application_id or "")
        if handler is None or call.sma is None:
            return
        from chime_calls.testing._sma import simulate_remote_hangup

        record = simulate_remote_hangup(handler, call.sma, tag, join=self._join)
        self._calls[index] = self._with_sma(call, record)

    def _meeting_ended(self, meeting_id: str) -> None:
        """Deleting a meeting drops the meeting legs of the calls that joined it."""
        for index, call in enumerate(self._calls):
            if (
                call.sma is not None
                and call.sma.in_meeting
                and (call.sma.joined_meeting_id == meeting_id)
            ):
                self._remote_hangup(index, "LEG-B")

    def _iter_calls(self, sip_media_application_id: str, transaction_id: str) -> Iterator[int]:
        for index, call in enumerate(self._calls):
            if (
                call.transaction_id == transaction_id
                and call.sip_media_application_id == sip_media_application_id
            ):
                yield index


@functools.cache
def _documented_rates() -> dict[str, float]:
    """Operation -> AWS's documented default rate, from every request type's spec."""
    from chime_calls._spec import all_request_types

    return {
        cls.spec.operation: cls.spec.rate
        for cls in all_request_types()
        if cls.spec.rate is not None
    }


# --- operations: (fake, ctx, params) -> response body, one module per domain ------------------

#: service -> operation name -> handler: what the fake serves, per service (the services share
#: some operation names, e.g. TagResource, for different resources)
_SERVED: Mapping[str, Mapping[str, Operation]] = {
    service: {
        name: handler
        for module in (meeting_operations, call_operations, voice_operations)
        for name, handler in module.SERVED.get(service, {}).items()
    }
    for service in (MEETINGS, VOICE, LEGACY)
}
_SERVED_NAMES = frozenset(name for served in _SERVED.values() for name in served)
