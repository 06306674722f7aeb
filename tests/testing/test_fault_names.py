"""Nothing silently inert: operation names are checked at once (both spellings), and faults
still queued when the fake deactivates are reported."""

from __future__ import annotations

import typing
import uuid
import warnings
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from chime_calls import _shapes
from chime_calls._fields import snake
from chime_calls.testing import (
    ChimeFake,
    OperationName,
    UnfiredFaultsError,
    UnfiredFaultsWarning,
    mock_chime,
)
from tests.conftest import FROM, REGION, TO, make_session

NO_RETRIES = Config(retries={"total_max_attempts": 1})


def voice() -> Any:
    return make_session().client("chime-sdk-voice", config=NO_RETRIES)


def place() -> None:
    voice().create_sip_media_application_call(
        FromPhoneNumber=FROM, ToPhoneNumber=TO, SipMediaApplicationId="sma-1"
    )


def test_snake_case_names_fire(fake: ChimeFake) -> None:
    fake.throttle("create_sip_media_application_call")
    with pytest.raises(ClientError) as throttled:
        place()
    assert throttled.value.response["Error"]["Code"] == "ThrottledClientException"
    assert fake.attempts("create_sip_media_application_call") == 1
    assert fake.attempts("CreateSipMediaApplicationCall") == 1


@pytest.mark.parametrize(
    "inject",
    [
        lambda f: f.fail_next("CreateSipMediaApplicationCal"),
        lambda f: f.throttle("createSipMediaApplicationCall"),
        lambda f: f.fail_connection("create-sip-media-application-call"),
        lambda f: f.lose_answer("CreateSipMediaApplicationCalls"),
        lambda f: f.rate_limit("CreateSipMediaApplicationCal", 1),
        lambda f: f.latency(1, "CreateSipMediaApplicationCal"),
        lambda f: f.attempts("CreateSipMediaApplicationCal"),
    ],
    ids=["fail_next", "throttle", "fail_connection", "lose_answer", "rate_limit", "latency",
         "attempts"],
)  # fmt: skip
def test_unknown_names_fail_at_once_with_the_valid_names(fake: ChimeFake, inject: Any) -> None:
    with pytest.raises(ValueError, match="is not an operation of chime-sdk-meetings") as refused:
        inject(fake)
    message = str(refused.value)
    assert "did you mean 'CreateSipMediaApplicationCall'" in message or (
        "did you mean 'create_sip_media_application_call'" in message
    )
    assert "valid names: " in message
    assert "UpdateSipMediaApplicationCall" in message
    assert fake.pending_faults == []


def test_the_literal_type_lists_every_generated_operation_in_both_spellings() -> None:
    names = {
        spelling
        for service in _shapes.MODULES
        for operation in _shapes.load(service).OPERATIONS
        for spelling in (operation, snake(operation))
    }
    assert set(typing.get_args(OperationName)) == names


def test_a_fault_for_an_operation_the_fake_does_not_serve_still_fires(fake: ChimeFake) -> None:
    client = make_session().client("chime-sdk-voice", config=NO_RETRIES)
    fake.fail_next("ListVoiceConnectors", "ForbiddenException", message="no")
    with pytest.raises(ClientError) as forbidden:
        client.list_voice_connectors()
    assert forbidden.value.response["Error"]["Code"] == "ForbiddenException"
    with pytest.raises(ClientError) as unserved:  # no fault left: the fake says it cannot serve
        client.list_voice_connectors()
    assert unserved.value.response["Error"]["Code"] == "NotImplemented"


def test_lose_answer_needs_an_operation_that_acts(fake: ChimeFake) -> None:
    with pytest.raises(ValueError, match="does not serve ListVoiceConnectors"):
        fake.lose_answer("list_voice_connectors")


def test_a_lost_answer_waits_for_a_request_that_takes_effect(fake: ChimeFake) -> None:
    fake.lose_answer("CreateSipMediaApplicationCall", kind="500")
    with pytest.raises(ClientError):  # refused by validation: nothing took effect
        voice().create_sip_media_application_call(
            FromPhoneNumber=FROM, ToPhoneNumber="555-0199", SipMediaApplicationId="sma-1"
        )
    assert fake.pending_faults == [
        "lose_answer('CreateSipMediaApplicationCall', kind='500'): 1 of 1 left"
    ]
    fake.advance(1)  # AWS's quota: one call per second
    with pytest.raises(ClientError) as lost:
        place()
    assert lost.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert len(fake.calls) == 1


def test_mock_chime_warns_about_faults_that_never_fired() -> None:
    fake = mock_chime().__enter__()  # a with block, spelt out to catch what its exit warns
    fake.throttle("GetMeeting", times=2)
    fake.fail_next(None, "BadRequestException")
    with pytest.raises(ClientError):
        place()  # consumes the fault for any operation, not the throttles
    with pytest.warns(UnfiredFaultsWarning) as warned:
        fake.__exit__(None, None, None)
    (warning,) = warned
    message = str(warning.message)
    assert message.startswith("1 injected fault never fired: throttle('GetMeeting'): 2 of 2 left")
    assert "The fake received CreateSipMediaApplicationCall" in message
    assert "unfired_faults='ignore'" in message


def test_unfired_faults_can_raise_or_be_ignored() -> None:
    with pytest.raises(UnfiredFaultsError, match=r"lose_answer\('CreateMeeting'"):  # noqa: SIM117
        with mock_chime(unfired_faults="raise") as fake:
            fake.lose_answer("CreateMeeting")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with mock_chime(unfired_faults="ignore") as fake:
            fake.lose_answer("CreateMeeting")
    with pytest.raises(ValueError, match="unfired_faults must be"):
        mock_chime(unfired_faults="loud")  # type: ignore[arg-type]


def test_a_failing_block_is_not_masked_by_its_unfired_faults() -> None:
    def failing_test() -> None:
        with mock_chime(unfired_faults="raise") as fake:
            fake.throttle("GetMeeting")
            raise KeyError("the test's own failure")

    with pytest.raises(KeyError):
        failing_test()


def test_reset_and_used_faults_leave_nothing_to_report() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with mock_chime(unfired_faults="raise") as fake:
            fake.throttle("GetMeeting")
            fake.reset()
            fake.fail_next("get_meeting", "NotFoundException")
            with pytest.raises(ClientError):
                make_session().client("chime-sdk-meetings", region_name=REGION).get_meeting(
                    MeetingId=str(uuid.uuid4())
                )
            assert fake.pending_faults == []


def test_the_fixture_fails_a_test_that_leaves_faults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_leaves_one(chime_fake):
            chime_fake.throttle("CreateMeeting")

        @pytest.mark.chime_fake(unfired_faults="ignore")
        def test_opted_out(chime_fake):
            chime_fake.throttle("CreateMeeting")

        def test_fails_on_its_own(chime_fake):
            chime_fake.throttle("CreateMeeting")
            assert False, "its own failure"

        @pytest.mark.chime_fake(quotas=False)
        def test_marker_options_reach_the_fake(chime_fake):
            assert chime_fake.quotas is False
        """
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:asyncio", "-q"
    )
    result.assert_outcomes(passed=3, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaves_one*",
            "*UnfiredFaultsError: 1 injected fault never fired: throttle('CreateMeeting')*",
        ]
    )
    assert "ERROR at teardown of test_fails_on_its_own" not in result.stdout.str()
