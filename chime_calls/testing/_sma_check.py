"""Check a SIP media application handler before deploying it (``chime-calls sma check``).

The handler is played through AWS's standard event sequences by the fake's simulator
(``chime_calls.testing._sma``): an outbound call answered, busy, not answered, the callee
hanging up, ``CALL_UPDATE_REQUESTED``, an action that fails, and an inbound call. Every answer
is checked against the SIP media application contract as the service applies it: the answer
is the schema itself (``{"SchemaVersion": "1.0", "Actions": [...]}``; an API Gateway proxy
response such as ``{"statusCode": 200, "body": "..."}`` fails with ``SchemaVersionMismatch``),
at most 10 actions of documented types whose parameters meet AWS's constraints
(``chime_calls.sma.parse_action``), ``TransactionAttributes`` within AWS's limits. A handler
that raises, or leaves the meeting leg up after the callee hung up, is a finding too.

Exit status of the command, like ``migrate scan``: 0 no findings, 1 findings, 2 the handler
could not be loaded or the arguments are wrong.
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from chime_calls._clock import VirtualClock
from chime_calls.testing._sma import (
    _IGNORED_RESPONSES,
    SmaCallRecord,
    SmaEnvironment,
    describe_action_error,
    refusal,
    simulate_inbound_call,
    simulate_outbound_call,
    simulate_remote_hangup,
    simulate_update,
)

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
    "SCENARIOS",
    "SmaCheckReport",
    "SmaFinding",
    "check_sma_handler",
    "load_handler",
    "run_check",
]

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: AWS's standard event sequences, in the order they are played.
SCENARIOS = (
    "answered",
    "busy",
    "no-answer",
    "caller-hang-up",
    "call-update",
    "action-failed",
    "inbound",
)
_FROM = "+12065550100"
_TO = "+14255550199"
_SMA_ID = "sma-check"
#: The error a service-side failure of an action carries (the "action-failed" sequence).
_SYSTEM_FAILURE = ("SystemException", "System error while running action.")

Handler = Callable[[dict[str, Any], Any], Any]


@attrs.frozen(kw_only=True)
class SmaFinding:
    """One way the handler breaks the contract: in which sequence, answering which event
    (``sequence`` is the event's ``Sequence``), the rule, and what AWS would answer."""

    scenario: str
    rule: str
    message: str
    sequence: int | None = None
    event: str | None = None
    error_type: str | None = None
    #: How many more answers of the same sequence broke the same rule the same way.
    repeated: int = 0

    def __str__(self) -> str:
        where = f"{self.scenario}"
        if self.event is not None:
            where += f", answer to {self.event} #{self.sequence}"
        aws = f" (AWS: {self.error_type})" if self.error_type else ""
        again = f"; {self.repeated} more answers alike" if self.repeated else ""
        return f"{where}: {self.message}{aws} [{self.rule}]{again}"

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class SmaScenarioResult:
    """What one sequence did: the events the handler got, and how the call ended."""

    name: str
    events: tuple[str, ...]
    outcome: str
    reason: str | None


@attrs.frozen(kw_only=True)
class SmaCheckReport:
    """Every finding of ``check_sma_handler``, per sequence.

    ``ok`` is true when there are none; ``assert_ok`` raises ``AssertionError`` listing
    them (the pytest helper); ``render`` is the readable report, ``to_json`` the
    machine one.
    """

    handler: str
    scenarios: tuple[SmaScenarioResult, ...]
    findings: tuple[SmaFinding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    def render(self) -> str:
        lines = [f"sma check {self.handler}"]
        for scenario in self.scenarios:
            count = sum(1 for f in self.findings if f.scenario == scenario.name)
            status = "ok" if count == 0 else f"{count} finding{'s' * (count > 1)}"
            lines.append(
                f"  {scenario.name:<15} {status:<11} {_sequence(scenario.events)}"
                f" => {scenario.outcome}"
            )
        if self.findings:
            lines.append("")
            lines.extend(f"  - {finding}" for finding in self.findings)
        total = len(self.findings)
        lines.append("")
        lines.append(
            "no findings: the handler answers every sequence within the SMA contract"
            if total == 0
            else f"{total} finding{'s' * (total > 1)}"
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "handler": self.handler,
            "ok": self.ok,
            "scenarios": [attrs.asdict(s) for s in self.scenarios],
            "findings": [f.to_json() for f in self.findings],
        }

    def assert_ok(self) -> None:
        if self.findings:
            raise AssertionError(self.render())


def _sequence(events: Sequence[str]) -> str:
    """``A > B x3 > C``: the events in order, runs of one type folded."""
    parts: list[tuple[str, int]] = []
    for event in events:
        if parts and parts[-1][0] == event:
            parts[-1] = (event, parts[-1][1] + 1)
        else:
            parts.append((event, 1))
    return " > ".join(event if n == 1 else f"{event} x{n}" for event, n in parts)


def _folded(findings: Sequence[SmaFinding]) -> list[SmaFinding]:
    """One finding per (rule, message, error type) of a sequence, counting the repeats (a
    handler answering every ``INVALID_LAMBDA_RESPONSE`` the same way is one mistake)."""
    first: dict[tuple[str, str, str | None], int] = {}
    out: list[SmaFinding] = []
    for finding in findings:
        key = (finding.rule, finding.message, finding.error_type)
        if key in first:
            index = first[key]
            out[index] = attrs.evolve(out[index], repeated=out[index].repeated + 1)
        else:
            first[key] = len(out)
            out.append(finding)
    return out


def check_sma_handler(
    handler: Handler,
    *,
    arguments: Mapping[str, str] | None = None,
    update_arguments: Mapping[str, str] | None = None,
    scenarios: Sequence[str] = SCENARIOS,
    name: str | None = None,
) -> SmaCheckReport:
    """Play ``handler`` (a Lambda function ``(event, context) -> dict``) through AWS's standard
    event sequences and check every answer against the SIP media application contract.

    ``arguments`` is the ``ArgumentsMap`` of the outbound calls (what your
    ``CreateSipMediaApplicationCall`` sends; joins to any meeting succeed), ``update_arguments``
    the ``Arguments`` of the ``CALL_UPDATE_REQUESTED`` sequence. ``scenarios`` picks sequences
    from ``SCENARIOS``. Use it in a test as ``check_sma_handler(handler).assert_ok()``.
    """
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    results: list[SmaScenarioResult] = []
    findings: list[SmaFinding] = []
    for scenario in scenarios:
        result, found = _play(
            handler, scenario, dict(arguments or {}), dict(update_arguments or {})
        )
        results.append(result)
        findings.extend(_folded(found))
    label = name or f"{getattr(handler, '__module__', '?')}:{getattr(handler, '__qualname__', '?')}"
    return SmaCheckReport(handler=label, scenarios=tuple(results), findings=tuple(findings))


class _Everyone(frozenset[str]):
    """Every attendee belongs to every meeting (the check has no meetings of its own)."""

    def __contains__(self, item: object) -> bool:
        return True


def _play(
    handler: Handler, scenario: str, arguments: dict[str, str], update: dict[str, str]
) -> tuple[SmaScenarioResult, list[SmaFinding]]:
    findings: list[SmaFinding] = []
    failed_once: list[bool] = []

    def recording(event: dict[str, Any], context: Any) -> Any:
        kind, sequence = str(event.get("InvocationEventType")), event.get("Sequence")
        try:
            answer = handler(copy.deepcopy(event), context)
        except Exception as exc:
            findings.append(
                SmaFinding(
                    scenario=scenario,
                    rule="handler-raised",
                    message=f"the handler raised {type(exc).__name__}: {exc}",
                    sequence=sequence,
                    event=kind,
                )
            )
            raise
        findings.extend(_check_answer(scenario, kind, sequence, answer))
        return answer

    def fail_first(action: Mapping[str, Any]) -> tuple[str, str] | None:
        if scenario != "action-failed" or failed_once:
            return None
        failed_once.append(True)
        return _SYSTEM_FAILURE

    env = SmaEnvironment(
        clock=VirtualClock(),
        join=lambda meeting_id, token: None,
        attendees=lambda meeting_id: _Everyone(),
        fail=fail_first,
    )
    record = _run(recording, scenario, env, arguments, update)
    if record.reason is not None and "left LEG-B connected" in record.reason:
        findings.append(
            SmaFinding(
                scenario=scenario,
                rule="meeting-leg-left-up",
                message="after the callee hung up, the handler left the meeting leg (LEG-B) "
                "connected: answer the HANGUP of LEG-A with a Hangup of LEG-B",
            )
        )
    if record.reason is not None and record.reason.startswith("loop guard"):
        findings.append(SmaFinding(scenario=scenario, rule="no-progress", message=record.reason))
    result = SmaScenarioResult(
        name=scenario, events=record.event_types, outcome=record.outcome, reason=record.reason
    )
    return result, findings


def _run(
    handler: Handler,
    scenario: str,
    env: SmaEnvironment,
    arguments: dict[str, str],
    update: dict[str, str],
) -> SmaCallRecord:
    def join(meeting_id: str | None, token: str) -> str | None:
        return None

    common: dict[str, Any] = {
        "transaction_id": "7c1e7a9e-9c0e-4b4e-8f1e-3f2a1d0c5b6a",
        "sip_media_application_id": _SMA_ID,
        "region": "us-east-1",
        "account_id": "123456789012",
        "from_number": _FROM,
        "to_number": _TO,
        "env": env,
    }
    if scenario == "inbound":
        record = simulate_inbound_call(handler, **common)
        return simulate_remote_hangup(handler, record, "LEG-A", join=join)
    answer = {"busy": "busy", "no-answer": "no-answer"}.get(scenario, "answered")
    record = simulate_outbound_call(
        handler, **common, sip_headers={}, arguments=arguments, join=join, answer=answer
    )
    if scenario == "caller-hang-up":
        return simulate_remote_hangup(handler, record, "LEG-A", join=join)
    if scenario == "call-update":
        return simulate_update(handler, record, update, join=join)
    return record


def _check_answer(scenario: str, event: str, sequence: Any, answer: object) -> list[SmaFinding]:
    """Every way one answer breaks the contract (the service stops at the first)."""
    found: list[SmaFinding] = []

    def finding(rule: str, message: str, error_type: str | None) -> None:
        found.append(
            SmaFinding(
                scenario=scenario,
                rule=rule,
                message=message,
                sequence=sequence if isinstance(sequence, int) else None,
                event=event,
                error_type=error_type,
            )
        )

    if answer is None or event in _IGNORED_RESPONSES:  # AWS reads no answer to these
        return found
    if isinstance(answer, Mapping) and "statusCode" in answer and "SchemaVersion" not in answer:
        finding(
            "api-gateway-response",
            "returned an API Gateway proxy response ({'statusCode': ..., 'body': ...}); a SIP "
            "media application invokes the Lambda directly and needs "
            "{'SchemaVersion': '1.0', 'Actions': [...]} itself",
            "SchemaVersionMismatch",
        )
        return found
    why = refusal(answer)
    if why is not None:
        finding("response-schema", why[1], why[0])
        return found
    assert isinstance(answer, Mapping)  # noqa: S101 - refusal() checked it
    from chime_calls.errors import ValidationError
    from chime_calls.sma.actions import parse_action

    for index, action in enumerate(answer.get("Actions", [])):
        try:
            parse_action(action)
        except ValidationError as exc:
            error_type, message = describe_action_error(str(action.get("Type")), exc)
            finding(
                "action-parameters",
                f"Actions[{index}] {action.get('Type')}: {message} ({exc.violations[0]})",
                error_type,
            )
    return found


# --- the command ------------------------------------------------------------------------------


def load_handler(spec: str) -> Handler:
    """``module:function`` (or ``path/to/file.py:function``), imported with the current
    directory on ``sys.path`` as ``python -m`` would. ``ValueError`` says what is wrong."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"expected module:function, got {spec!r}")
    if module_name.endswith(".py"):
        path = Path(module_name)
        sys.path.insert(0, str(path.resolve().parent))
        module_name = path.stem
    elif str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(f"cannot import {module_name}: {exc}") from None
    target: Any = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ValueError(f"{module_name} has no {attribute}")
        target = getattr(target, part)
    if not callable(target):
        raise ValueError(f"{spec} is not callable")
    handler: Handler = target
    return handler


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, item = value.partition("=")
        if not sep or not key:
            raise ValueError(f"{option} takes KEY=VALUE, got {value!r}")
        out[key] = item
    return out


def run_check(  # noqa: PLR0917 - the command's options, passed on as they are
    spec: str,
    output_format: str,
    out: TextIO,
    err: TextIO,
    arguments: Sequence[str] = (),
    update_arguments: Sequence[str] = (),
    scenarios: Sequence[str] | None = None,
) -> int:
    """``chime-calls sma check``: the report on ``out``, usage errors on ``err``."""
    try:
        handler = load_handler(spec)
        report = check_sma_handler(
            handler,
            arguments=_pairs(arguments, "--argument"),
            update_arguments=_pairs(update_arguments, "--update-argument"),
            scenarios=scenarios or SCENARIOS,
            name=spec,
        )
    except ValueError as exc:
        print(f"chime-calls sma check: {exc}", file=err)
        return EXIT_USAGE
    if output_format == "json":
        json.dump(report.to_json(), out, indent=2)
        out.write("\n")
    else:
        print(report.render(), file=out)
    return EXIT_CLEAN if report.ok else EXIT_FINDINGS
