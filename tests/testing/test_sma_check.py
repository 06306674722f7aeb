"""``chime-calls sma check`` and ``check_sma_handler``: AWS's standard sequences, replayed
against a handler, every answer checked against the SIP media application contract."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from chime_calls.cli import main
from chime_calls.sma import dial_out_handler
from chime_calls.testing import check_sma_handler
from chime_calls.testing._sma_check import SCENARIOS, load_handler, run_check

MEETING_ARGUMENTS = {"MeetingId": "5b8c4a8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "JoinToken": "dG9rZW4"}


def answering(*actions: dict[str, Any], **extra: Any) -> Any:
    """A handler answering CALL_ANSWERED / NEW_INBOUND_CALL with ``actions`` on leg A."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["InvocationEventType"] not in ("CALL_ANSWERED", "NEW_INBOUND_CALL"):
            return {"SchemaVersion": "1.0", "Actions": []}
        call_id = event["CallDetails"]["Participants"][0]["CallId"]
        on_leg_a = [
            {**a, "Parameters": {"CallId": call_id, **a["Parameters"]}} if "Parameters" in a else a
            for a in actions
        ]
        return {"SchemaVersion": "1.0", "Actions": on_leg_a, **extra}

    return handler


SPEAK = {"Type": "Speak", "Parameters": {"Text": "Hello"}}


def test_a_good_handler_passes_every_sequence() -> None:
    report = check_sma_handler(answering(SPEAK))
    assert report.ok, report.render()
    assert [s.name for s in report.scenarios] == list(SCENARIOS)
    by_name = {s.name: s for s in report.scenarios}
    assert by_name["busy"].events == ("NEW_OUTBOUND_CALL", "HANGUP")
    assert by_name["action-failed"].events[-1] == "ACTION_FAILED"
    assert by_name["call-update"].events[-1] == "CALL_UPDATE_REQUESTED"
    assert by_name["caller-hang-up"].events[-1] == "HANGUP"
    assert by_name["inbound"].events[0] == "NEW_INBOUND_CALL"
    report.assert_ok()


def test_the_dial_out_handler_keeps_the_contract() -> None:
    check_sma_handler(dial_out_handler, arguments=MEETING_ARGUMENTS).assert_ok()


def test_an_api_gateway_response_is_named() -> None:
    def gateway(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "body": json.dumps({"SchemaVersion": "1.0", "Actions": []})}

    report = check_sma_handler(gateway, scenarios=["answered"])
    (finding,) = report.findings
    assert (finding.rule, finding.error_type) == ("api-gateway-response", "SchemaVersionMismatch")
    assert (finding.event, finding.sequence) == ("CALL_ANSWERED", 3)
    assert finding.repeated > 0  # INVALID_LAMBDA_RESPONSE answered the same way, folded
    with pytest.raises(AssertionError, match="API Gateway proxy response"):
        report.assert_ok()


@pytest.mark.parametrize(
    ("handler", "rule", "error_type", "text"),
    [
        (answering(*[SPEAK] * 11), "response-schema", "InvalidResponse", "at most 10 actions"),
        (answering({"Type": "Dance"}), "response-schema", "InvalidResponse", "not supported"),
        (
            answering(SPEAK, TransactionAttributes={str(n): "v" for n in range(101)}),
            "response-schema",
            "TransactionAttributesInvalidMapSize",
            "too many mappings",
        ),
        (
            answering(SPEAK, TransactionAttributes={"n": 1}),
            "response-schema",
            "InvalidResponse",
            "must be strings",
        ),
        (
            answering({"Type": "Speak", "Parameters": {}}),
            "action-parameters",
            "MissingRequiredActionParameter",
            "Text is a required parameter",
        ),
        (
            lambda event, context: {"SchemaVersion": "2.0", "Actions": []},
            "response-schema",
            "SchemaVersionMismatch",
            "not supported",
        ),
    ],
    ids=["11 actions", "unknown type", "101 attributes", "number attribute", "no text", "2.0"],
)
def test_each_rule_of_the_contract(handler: Any, rule: str, error_type: str, text: str) -> None:
    report = check_sma_handler(handler, scenarios=["answered"])
    assert report.findings, report.render()
    finding = report.findings[0]
    assert (finding.rule, finding.error_type) == (rule, error_type)
    assert text in finding.message


def test_a_raising_handler_and_a_meeting_leg_left_up() -> None:
    def raising(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    (finding,) = check_sma_handler(raising, scenarios=["busy"]).findings
    assert finding.rule == "handler-raised"
    assert "RuntimeError: boom" in str(finding)

    def joins_and_forgets(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["InvocationEventType"] == "CALL_ANSWERED":
            join = {
                "Type": "JoinChimeMeeting",
                "Parameters": {"JoinToken": "dG9rZW4", "MeetingId": MEETING_ARGUMENTS["MeetingId"]},
            }
            return {"SchemaVersion": "1.0", "Actions": [join]}
        return {"SchemaVersion": "1.0", "Actions": []}

    report = check_sma_handler(joins_and_forgets, scenarios=["caller-hang-up"])
    assert [f.rule for f in report.findings] == ["meeting-leg-left-up"]


def test_unknown_scenarios_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown scenario 'sideways'"):
        check_sma_handler(answering(SPEAK), scenarios=["sideways"])


@pytest.fixture
def handlers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "my_handlers.py").write_text(
        "import json\n"
        "def gateway(event, context):\n"
        "    return {'statusCode': 200, 'body': json.dumps({})}\n"
        "def good(event, context):\n"
        "    return {'SchemaVersion': '1.0', 'Actions': []}\n"
        "NOT_CALLABLE = 1\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield tmp_path
    sys.modules.pop("my_handlers", None)


def test_the_command_exit_status_and_formats(
    handlers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sma", "check", "my_handlers:good"]) == 0
    assert "no findings" in capsys.readouterr().out
    assert main(["sma", "check", "my_handlers:gateway", "--scenario", "answered"]) == 1
    assert "[api-gateway-response]" in capsys.readouterr().out
    assert main(["sma", "check", "my_handlers:gateway", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {f["rule"] for f in report["findings"]} == {"api-gateway-response"}
    assert [s["name"] for s in report["scenarios"]] == list(SCENARIOS)
    out, err = io.StringIO(), io.StringIO()
    assert run_check(str(handlers / "my_handlers.py") + ":good", "text", out, err) == 0


@pytest.mark.parametrize(
    ("spec", "extra", "message"),
    [
        ("my_handlers", [], "expected module:function"),
        ("no_such_module:f", [], "cannot import no_such_module"),
        ("my_handlers:missing", [], "my_handlers has no missing"),
        ("my_handlers:NOT_CALLABLE", [], "is not callable"),
        ("my_handlers:good", ["--argument", "novalue"], "--argument takes KEY=VALUE"),
        ("my_handlers:good", ["--scenario", "sideways"], "unknown scenario"),
    ],
)
def test_usage_errors_exit_2(
    handlers: Path, capsys: pytest.CaptureFixture[str], spec: str, extra: list[str], message: str
) -> None:
    assert main(["sma", "check", spec, *extra]) == 2
    assert message in capsys.readouterr().err


def test_load_handler_finds_nested_attributes(handlers: Path) -> None:
    assert load_handler("chime_calls.sma:dial_out_handler") is dial_out_handler
