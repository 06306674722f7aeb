"""Type-checked, never run: the voice groups' methods carry their request types' signatures."""

from __future__ import annotations

from typing_extensions import assert_type

from chime_calls import ChimeCalls, PhoneNumber
from chime_calls.aio import AsyncChimeCalls
from chime_calls.voice.phone_numbers import PhoneNumberOrder, PhoneNumbersPage
from chime_calls.voice.setup import DialOutSetup, setup_dial_out
from chime_calls.voice.sip_media_applications import SipMediaApplication
from chime_calls.voice.sip_rules import (
    GetSipRuleRequest,
    ListSipRulesRequest,
    SipRule,
    SipRulesPage,
)


def groups(calls: ChimeCalls) -> None:
    sma = calls.sip_media_applications.create(
        aws_region="us-east-1",
        name="dial-out",
        endpoints=[{"lambda_arn": "arn:aws:lambda:us-east-1:111122223333:function:f"}],
    )
    assert_type(sma, SipMediaApplication)
    assert_type(sma.sip_media_application_id, str)
    rule = calls.sip_rules.create(
        name="dial-out",
        trigger_type="ToPhoneNumber",
        trigger_value="+12065550100",
        target_applications=[{"sip_media_application_id": sma.sip_media_application_id}],
    )
    assert_type(rule, SipRule)
    order = calls.phone_numbers.create_order(
        product_type="SipMediaApplicationDialIn", e164_phone_numbers=["+12065550100"]
    )
    assert_type(order, PhoneNumberOrder)
    page = calls.phone_numbers.list(max_results=10)
    assert_type(page, PhoneNumbersPage)
    assert_type(page.phone_numbers[0].phone_number_id, PhoneNumber)
    assert_type(calls.sip_rules.delete(sip_rule_id=rule.sip_rule_id), None)
    calls.sip_rules.get(sip_rule_id=1)  # type: ignore[arg-type]
    calls.sip_rules.get(rule_id="x")  # type: ignore[call-arg]
    for listed in calls.pages(ListSipRulesRequest(max_results=10)):
        assert_type(listed, SipRulesPage)
    calls.pages(GetSipRuleRequest(sip_rule_id="r"))  # type: ignore[type-var]


def setup() -> None:
    done = setup_dial_out(lambda_arn="arn:aws:lambda:us-east-1:1:function:f", area_code="206")
    assert_type(done, DialOutSetup)
    assert_type(done.phone_number, PhoneNumber | None)


async def async_groups(calls: AsyncChimeCalls) -> None:
    # the same groups on the async facade: each method returns a coroutine of the same result
    sma = await calls.sip_media_applications.get(sip_media_application_id="sma-1")
    assert_type(sma, SipMediaApplication)
    page = await calls.phone_numbers.list(max_results=10)
    assert_type(page, PhoneNumbersPage)
    assert_type(await calls.sip_rules.delete(sip_rule_id="rule-1"), None)
    await calls.sip_rules.get(sip_rule_id=1)  # type: ignore[arg-type]
