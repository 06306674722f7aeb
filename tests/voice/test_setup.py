"""``setup_dial_out`` / ``chime-calls setup dial-out`` end to end: moto serves the Lambda, the
fake serves Chime, and the result rings a phone."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from chime_calls import ChimeCalls, ValidationError
from chime_calls.cli import main
from chime_calls.sma import DialOutHandler
from chime_calls.testing import ChimeFake, mock_chime
from chime_calls.voice.setup import (
    DEFAULT_NAME,
    DIAL_IN,
    PRINCIPAL,
    SetupError,
    setup_dial_out,
    supported_regions,
    teardown_dial_out,
)

REGION = "us-east-1"
MUTATING = ("Create", "Update", "Delete", "Put", "Batch", "Restore")


def _function(region: str = REGION, *, invocable: bool = True) -> str:
    iam = boto3.client("iam", region_name=region)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(
        RoleName=f"dial-out-{region}", AssumeRolePolicyDocument=json.dumps(trust)
    )
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr(
            "lambda_function.py", "def lambda_handler(event, context):\n    return {}\n"
        )
    client = boto3.client("lambda", region_name=region)
    arn = client.create_function(
        FunctionName="dial-out",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="lambda_function.lambda_handler",
        Code={"ZipFile": code.getvalue()},
    )["FunctionArn"]
    if invocable:
        client.add_permission(
            FunctionName=arn,
            StatementId="chime-sma",
            Action="lambda:InvokeFunction",
            Principal=PRINCIPAL,
        )
    return str(arn)


@pytest.fixture
def aws() -> Iterator[ChimeFake]:
    """An empty account: moto for IAM and Lambda, the fake for Chime."""
    with mock_aws(), mock_chime() as chime:
        yield chime


@pytest.fixture
def function(aws: ChimeFake) -> str:
    return _function()


def mutations(fake: ChimeFake, since: int = 0) -> list[str]:
    return [r.operation for r in fake.requests[since:] if r.operation.startswith(MUTATING)]


def test_from_an_empty_account_to_a_ringing_phone(aws: ChimeFake, function: str) -> None:
    lines: list[str] = []
    done = setup_dial_out(lambda_arn=function, area_code="206", progress=lines.append)
    assert done.changed
    assert [(s.resource, s.action) for s in done.steps] == [
        ("Lambda function", "checked"),
        ("SIP media application", "created"),
        ("phone number", "ordered"),
        ("phone-number order", "completed"),
        ("SIP rule", "created"),
    ]
    assert done.warnings == ()
    assert any("waiting for phone-number order" in line for line in lines)  # progress shown
    assert done.phone_number is not None
    report = done.report()
    assert done.chime_calls_line() in report
    assert done.phone_number.reveal() not in report  # masked unless asked
    assert done.phone_number.reveal() in done.report(show_phone_number=True)

    # the line it printed works: the phone rings and joins the meeting
    aws.register_sma_handler(done.sip_media_application_id or "", DialOutHandler())
    calls = ChimeCalls(
        region_name=done.region, sip_media_application_id=done.sip_media_application_id
    )
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="phone")
    assert attendee.join_token is not None
    calls.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=done.phone_number,
        to_phone_number="+14255550199",
        join_token=attendee.join_token,
    )
    assert aws.calls[-1].joined_meeting_id == meeting.meeting_id


def test_a_second_run_changes_nothing_and_says_so(aws: ChimeFake, function: str) -> None:
    first = setup_dial_out(lambda_arn=function, area_code="206")
    before = len(aws.requests)
    second = setup_dial_out(lambda_arn=function, area_code="206")
    assert mutations(aws, before) == []
    assert not second.changed
    assert {s.action for s in second.steps} == {"checked", "reused"}
    assert "nothing changed" in second.report()
    assert (second.sip_media_application_id, second.phone_number, second.sip_rule_id) == (
        first.sip_media_application_id,
        first.phone_number,
        first.sip_rule_id,
    )


def test_dry_run_prints_the_plan_and_changes_nothing(aws: ChimeFake, function: str) -> None:
    plan = setup_dial_out(lambda_arn=function, area_code="425", dry_run=True)
    assert mutations(aws) == []
    assert [s.action for s in plan.steps] == [
        "checked",
        "would create",
        "would order",
        "would create",
    ]
    assert plan.report().startswith("dry run: nothing was changed")
    assert not plan.changed
    assert aws.voice.sip_media_applications == []


def test_an_interrupted_run_is_reported_and_resumed(aws: ChimeFake, function: str) -> None:
    heard: list[str] = []

    def impatient(line: str) -> None:
        heard.append(line)
        if "waiting for phone-number order" in line:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        setup_dial_out(lambda_arn=function, area_code="206", progress=impatient)
    report = heard[-1]
    assert "interrupted" in report
    assert "SIP media application" in report  # what was made is listed
    assert "still pending: phone-number order" in report
    assert "to resume: chime-calls setup dial-out --region us-east-1" in report
    assert "to remove what was made: chime-calls teardown dial-out --region us-east-1" in report

    resumed = setup_dial_out(lambda_arn=function, area_code="206")
    assert [(s.resource, s.action) for s in resumed.steps][1:] == [
        ("SIP media application", "reused"),
        ("phone number", "reused"),
        ("phone-number order", "completed"),
        ("SIP rule", "created"),
    ]
    assert len(aws.voice.phone_number_orders) == 1  # the same order, not a second one


def test_an_order_that_times_out_says_what_is_pending(aws: ChimeFake, function: str) -> None:
    aws.voice.order_delay = None  # an order AWS never completes
    with pytest.raises(SetupError) as stopped:
        setup_dial_out(lambda_arn=function, area_code="206", timeout=60, poll_interval=15)
    error = stopped.value
    assert "timed out after 60 s" in str(error)
    assert "still Processing" in str(error)
    assert [step.resource for step in error.made] == ["SIP media application", "phone number"]
    assert error.pending
    assert error.pending[0].startswith("phone-number order")
    assert error.resume.startswith("chime-calls setup dial-out")
    assert "+1206" not in str(error)  # numbers masked in the report


def test_an_order_that_fails_is_reported_and_a_rerun_orders_another(
    aws: ChimeFake, function: str
) -> None:
    calls = ChimeCalls(region_name=REGION)
    (taken,) = calls.phone_numbers.search_available(
        area_code="206", max_results=1
    ).e164_phone_numbers
    calls.phone_numbers.create_order(product_type=DIAL_IN, e164_phone_numbers=[taken])
    with pytest.raises(SetupError) as stopped:
        setup_dial_out(lambda_arn=function, area_code="206")
    assert "ended Failed" in str(stopped.value)
    assert [s.resource for s in stopped.value.made] == ["SIP media application", "phone number"]
    done = setup_dial_out(lambda_arn=function, area_code="206")
    assert done.phone_number is not None
    assert done.phone_number != taken
    assert [s.action for s in done.steps[1:3]] == ["reused", "ordered"]


@pytest.mark.parametrize(
    ("arn", "region", "message"),
    [
        ("arn:aws:lambda:eu-north-1:123456789012:function:f", None, "not available in eu-north-1"),
        ("arn:aws:lambda:us-east-1:123456789012:function:f", "us-west-2", "same region"),
    ],
)
def test_regions_are_checked_before_anything_is_sent(
    aws: ChimeFake, arn: str, region: str | None, message: str
) -> None:
    with pytest.raises(SetupError, match=message):
        setup_dial_out(lambda_arn=arn, region=region, area_code="206")
    with pytest.raises(ValidationError, match="lambda_arn"):
        setup_dial_out(lambda_arn="my-function", area_code="206")
    assert aws.requests == []
    assert "us-east-1" in supported_regions()


def test_a_missing_lambda_stops_before_anything_is_made(aws: ChimeFake) -> None:
    with pytest.raises(SetupError, match="does not exist"):
        setup_dial_out(
            lambda_arn=f"arn:aws:lambda:{REGION}:123456789012:function:nope", area_code="206"
        )
    assert aws.requests == []


def test_a_lambda_the_service_may_not_invoke_is_a_warning(aws: ChimeFake) -> None:
    arn = _function(invocable=False)
    done = setup_dial_out(lambda_arn=arn, area_code="206")
    (warning,) = done.warnings
    assert "aws lambda add-permission" in warning
    assert PRINCIPAL in warning


def test_an_existing_number_is_used_as_it_is(aws: ChimeFake, function: str) -> None:
    number = "+12065550177"
    with pytest.raises(SetupError, match="not a number of your Chime SDK inventory"):
        setup_dial_out(lambda_arn=function, phone_number=number)
    aws.voice.add_phone_number(number, product_type="VoiceConnector")
    done = setup_dial_out(lambda_arn=function, phone_number=number)
    assert ("phone number", "updated") in [(s.resource, s.action) for s in done.steps]
    assert done.phone_number == number
    teardown_dial_out(region=REGION)
    assert [n.status for n in aws.voice.phone_numbers] == ["Unassigned"]  # yours: kept


def test_a_number_routed_to_another_application_is_not_taken(aws: ChimeFake, function: str) -> None:
    other = aws.provision_sip_media_application("theirs", phone_number="+12065550188")
    with pytest.raises(SetupError, match="already routes to theirs"):
        setup_dial_out(lambda_arn=function, phone_number=other.phone_number)


def test_teardown_removes_what_setup_made_once(aws: ChimeFake, function: str) -> None:
    setup_dial_out(lambda_arn=function, area_code="206")
    plan = teardown_dial_out(region=REGION, dry_run=True)
    assert [s.action for s in plan.steps] == [
        "would disable",
        "would delete",
        "would delete",
        "would delete",
    ]
    assert aws.voice.sip_rules != []
    removed = teardown_dial_out(region=REGION)
    assert [(s.resource, s.action) for s in removed.steps] == [
        ("SIP rule", "disabled"),
        ("SIP rule", "deleted"),
        ("SIP media application", "deleted"),
        ("phone number", "deleted"),
    ]
    assert aws.voice.sip_rules == []
    assert aws.voice.sip_media_applications == []
    assert [n.status for n in aws.voice.phone_numbers] == ["DeleteInProgress"]
    again = teardown_dial_out(region=REGION)
    assert again.steps == ()
    assert "nothing named" in again.report()


def test_teardown_can_keep_the_number_and_waits_for_pending_orders(
    aws: ChimeFake, function: str
) -> None:
    setup_dial_out(lambda_arn=function, area_code="206")
    kept = teardown_dial_out(region=REGION, keep_phone_number=True)
    assert kept.steps[-1].action == "kept"
    aws.voice.order_delay = None
    with pytest.raises(SetupError):
        setup_dial_out(lambda_arn=function, area_code="425", name="other", timeout=10)
    pending = teardown_dial_out(region=REGION, name="other")
    assert any("still being ordered" in w for w in pending.warnings)


# --- the command line ---------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_setup_and_teardown(
    aws: ChimeFake, function: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["setup", "dial-out", "--lambda-arn", function, "--area-code", "206"], capsys
    )
    assert status == 0, err
    assert "dial-out is set up" in out
    assert 'calls = ChimeCalls(region_name="us-east-1", sip_media_application_id=' in out
    assert "waiting for phone-number order" in err
    status, out, _ = run(
        [
            "setup",
            "dial-out",
            "--lambda-arn",
            function,
            "--area-code",
            "206",
            "--show-phone-number",
        ],
        capsys,
    )
    assert status == 0
    assert "nothing changed" in out
    assert 'from_phone_number="+1206' in out
    status, out, _ = run(["teardown", "dial-out", "--region", REGION, "--dry-run"], capsys)
    assert (status, out.splitlines()[0]) == (0, "dry run: nothing was changed; a real run would:")
    status, out, _ = run(["teardown", "dial-out", "--region", REGION], capsys)
    assert (status, out.splitlines()[0]) == (0, "dial-out removed:")


def test_cli_errors(aws: ChimeFake, function: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        [
            "setup",
            "dial-out",
            "--lambda-arn",
            "arn:aws:lambda:eu-north-1:1:function:f",
            "--area-code",
            "206",
        ],
        capsys,
    )
    assert status == 2  # a malformed ARN: the account ID has 12 digits
    assert "lambda_arn" in err
    aws.voice.order_delay = None
    status, _, err = run(
        ["setup", "dial-out", "--lambda-arn", function, "--area-code", "206", "--timeout", "20"],
        capsys,
    )
    assert status == 1
    assert "to resume: chime-calls setup dial-out" in err
    with pytest.raises(SystemExit):
        main(["setup", "dial-out", "--lambda-arn", function])  # no number preference
    capsys.readouterr()


def test_the_default_name_names_everything(aws: ChimeFake, function: str) -> None:
    setup_dial_out(lambda_arn=function, area_code="206")
    (sma,) = aws.voice.sip_media_applications
    (rule,) = aws.voice.sip_rules
    assert (sma.name, rule.name) == (DEFAULT_NAME, DEFAULT_NAME)
    with pytest.raises(ValidationError, match="name"):
        setup_dial_out(lambda_arn=function, area_code="206", name="no/slashes")
