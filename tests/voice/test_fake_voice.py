"""The fake serves the provisioning lifecycle statefully, with AWS's errors, through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from chime_calls import (
    BadRequestError,
    ChimeCalls,
    ConflictError,
    ForbiddenError,
    NotFoundError,
)
from chime_calls.testing import ChimeFake, mock_chime
from tests.conftest import FROM, REGION, TO, make_calls, make_session

DIAL_IN = "SipMediaApplicationDialIn"
LAMBDA = f"arn:aws:lambda:{REGION}:123456789012:function:dial-out"


def voice(region: str = REGION) -> Any:
    return make_session(region).client("chime-sdk-voice")


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def new_sma(calls: ChimeCalls, name: str = "app") -> str:
    return calls.sip_media_applications.create(
        aws_region=REGION, name=name, endpoints=[{"lambda_arn": LAMBDA}]
    ).sip_media_application_id


def rule_for(calls: ChimeCalls, number: str, sma_id: str, name: str = "rule") -> str:
    return calls.sip_rules.create(
        name=name,
        trigger_type="ToPhoneNumber",
        trigger_value=number,
        target_applications=[
            {"sip_media_application_id": sma_id, "priority": 1, "aws_region": REGION}
        ],
    ).sip_rule_id


# --- numbers and orders ---------------------------------------------------------------------------


def test_an_order_is_processing_until_the_fakes_clock_says_otherwise(fake: ChimeFake) -> None:
    calls = make_calls()
    found = calls.phone_numbers.search_available(area_code="425", max_results=2)
    assert len(found.e164_phone_numbers) == 2
    number = found.e164_phone_numbers[0]
    assert number.reveal().startswith("+1425")
    order = calls.phone_numbers.create_order(
        product_type=DIAL_IN, e164_phone_numbers=[number], name="mine"
    )
    assert order.status == "Processing"
    assert [(n.e164_phone_number, n.status) for n in order.ordered_phone_numbers] == [
        (number, "Processing")
    ]
    pending = calls.phone_numbers.get(phone_number_id=number)
    assert (pending.status, pending.order_id) == ("AcquireInProgress", order.phone_number_order_id)

    fake.advance(fake.voice.order_delay - 1)  # type: ignore[operator]
    assert (
        calls.phone_numbers.get_order(phone_number_order_id=order.phone_number_order_id).status
        == "Processing"
    )
    fake.advance(1)
    done = calls.phone_numbers.get_order(phone_number_order_id=order.phone_number_order_id)
    assert done.status == "Successful"
    assert done.ordered_phone_numbers[0].status == "Acquired"
    owned = calls.phone_numbers.get(phone_number_id=number)
    assert (owned.status, owned.product_type, owned.name) == ("Unassigned", DIAL_IN, "mine")
    assert number not in calls.phone_numbers.search_available(area_code="425").e164_phone_numbers
    assert [
        o.phone_number_order_id for o in calls.phone_numbers.list_orders().phone_number_orders
    ] == [order.phone_number_order_id]


def test_a_number_asked_for_twice_fails_the_later_order(fake: ChimeFake) -> None:
    calls = make_calls()
    (number,) = calls.phone_numbers.search_available(
        area_code="206", max_results=1
    ).e164_phone_numbers
    first = calls.phone_numbers.create_order(product_type=DIAL_IN, e164_phone_numbers=[number])
    assert number in calls.phone_numbers.search_available(area_code="206").e164_phone_numbers
    second = calls.phone_numbers.create_order(product_type=DIAL_IN, e164_phone_numbers=[number])
    fake.advance(60)
    get = calls.phone_numbers.get_order
    assert get(phone_number_order_id=first.phone_number_order_id).status == "Successful"
    lost = get(phone_number_order_id=second.phone_number_order_id)
    assert (lost.status, lost.ordered_phone_numbers[0].status) == ("Failed", "Failed")
    holders = [n.order_id for n in fake.voice.phone_numbers if n.phone_number == number]
    assert holders == [first.phone_number_order_id]


def test_an_order_can_stay_processing_for_ever(fake: ChimeFake) -> None:
    fake.voice.order_delay = None
    calls = make_calls()
    order = calls.phone_numbers.create_order(product_type=DIAL_IN, e164_phone_numbers=[TO])
    fake.advance(7 * 24 * 3600)
    assert (
        calls.phone_numbers.get_order(phone_number_order_id=order.phone_number_order_id).status
        == "Processing"
    )
    with pytest.raises(NotFoundError):
        calls.phone_numbers.get_order(phone_number_order_id="11111111-2222-3333-4444-555555555555")


def test_inventory_pages_updates_deletion_queue_and_restore(fake: ChimeFake) -> None:
    calls = make_calls()
    numbers = [f"+1425555{n:04d}" for n in range(150, 155)]
    for number in numbers:
        fake.voice.add_phone_number(number, product_type="VoiceConnector")
    first = calls.phone_numbers.list(product_type="VoiceConnector", max_results=2)
    assert len(first.phone_numbers) == 2
    assert first.next_token
    from chime_calls.voice.phone_numbers import ListPhoneNumbersRequest

    listing = ListPhoneNumbersRequest(product_type="VoiceConnector", max_results=2)
    walked = [n.phone_number_id for page in calls.pages(listing) for n in page.phone_numbers]
    assert walked == numbers

    with pytest.raises(BadRequestError, match="one of"):
        calls.phone_numbers.update(phone_number_id=numbers[0], product_type=DIAL_IN, name="x")
    updated = calls.phone_numbers.update(phone_number_id=numbers[0], product_type=DIAL_IN)
    assert updated.product_type == DIAL_IN
    batch = calls.phone_numbers.batch_update(
        update_phone_number_request_items=[
            {"phone_number_id": numbers[1], "name": "front desk"},
            {"phone_number_id": "+14255550999", "name": "nobody"},
        ]
    )
    assert [(e.phone_number_id, e.error_code) for e in batch.phone_number_errors] == [
        ("+14255550999", "NotFound")
    ]

    calls.phone_numbers.delete(phone_number_id=numbers[2])
    queued = calls.phone_numbers.get(phone_number_id=numbers[2])
    assert queued.status == "DeleteInProgress"
    assert queued.deletion_timestamp is not None
    restored = calls.phone_numbers.restore(phone_number_id=numbers[2])
    assert restored.status == "Unassigned"
    with pytest.raises(BadRequestError, match="deletion queue"):
        calls.phone_numbers.restore(phone_number_id=numbers[2])

    result = calls.phone_numbers.batch_delete(phone_number_ids=[numbers[3], numbers[4]])
    assert result.phone_number_errors == ()
    fake.advance(7 * 24 * 3600)  # AWS keeps deleted numbers 7 days
    with pytest.raises(NotFoundError):
        calls.phone_numbers.get(phone_number_id=numbers[3])
    assert calls.phone_numbers.list(status="DeleteInProgress").phone_numbers == ()


def test_settings_and_countries(fake: ChimeFake) -> None:
    calls = make_calls()
    assert calls.phone_numbers.get_settings().calling_name is None
    calls.phone_numbers.update_settings(calling_name="Acme")
    assert calls.phone_numbers.get_settings().calling_name == "Acme"
    countries = calls.phone_numbers.list_supported_countries(product_type=DIAL_IN)
    assert [c.country_code for c in countries.phone_number_countries] == ["US"]


def test_a_bad_page_token_is_a_bad_request(fake: ChimeFake) -> None:
    with pytest.raises(ClientError) as bad:
        voice().list_phone_numbers(NextToken="not-ours")
    assert code(bad) == "BadRequestException"


# --- SIP media applications and SIP rules ---------------------------------------------------------


def test_sip_media_applications_by_region_with_conflicts_and_lambda_checks(fake: ChimeFake) -> None:
    calls = make_calls()
    sma_id = new_sma(calls)
    with pytest.raises(ConflictError, match="already exists"):
        new_sma(calls)
    with pytest.raises(BadRequestError, match="same AWS Region"):
        calls.sip_media_applications.create(
            aws_region=REGION,
            name="elsewhere",
            endpoints=[{"lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:f"}],
        )
    got = calls.sip_media_applications.get(sip_media_application_id=sma_id)
    assert got.name == "app"
    assert got.endpoints[0].lambda_arn == LAMBDA
    assert got.sip_media_application_arn == f"arn:aws:chime:{REGION}:123456789012:sma/{sma_id}"
    with pytest.raises(ClientError) as elsewhere:
        voice("us-east-1").get_sip_media_application(SipMediaApplicationId=sma_id)
    assert code(elsewhere) == "NotFoundException"
    listed = calls.sip_media_applications.list().sip_media_applications
    assert sorted(s.name for s in listed) == ["app", "sma-sma-1"]  # and the fixture's

    renamed = calls.sip_media_applications.update(sip_media_application_id=sma_id, name="app2")
    assert renamed.name == "app2"
    logging = calls.sip_media_applications.put_logging_configuration(
        sip_media_application_id=sma_id,
        sip_media_application_logging_configuration={
            "enable_sip_media_application_message_logs": True
        },
    )
    assert logging.enable_sip_media_application_message_logs is True
    assert calls.sip_media_applications.get_logging_configuration(
        sip_media_application_id=sma_id
    ).enable_sip_media_application_message_logs
    calls.sip_media_applications.delete(sip_media_application_id=sma_id)
    with pytest.raises(NotFoundError):
        calls.sip_media_applications.delete(sip_media_application_id=sma_id)


def test_sip_rules_need_an_owned_dial_in_number_and_existing_targets(fake: ChimeFake) -> None:
    calls = make_calls()
    sma_id = new_sma(calls)
    with pytest.raises(BadRequestError, match="not a phone number of your inventory"):
        rule_for(calls, TO, sma_id)
    fake.voice.add_phone_number(TO, product_type="VoiceConnector")
    with pytest.raises(BadRequestError, match=DIAL_IN):
        rule_for(calls, TO, sma_id)
    calls.phone_numbers.update(phone_number_id=TO, product_type=DIAL_IN)
    with pytest.raises(BadRequestError, match="was not found in"):
        rule_for(calls, TO, "11111111-2222-3333-4444-555555555555")
    with pytest.raises(BadRequestError, match="one SIP media application per AWS Region"):
        calls.sip_rules.create(
            name="two",
            trigger_type="ToPhoneNumber",
            trigger_value=TO,
            target_applications=[
                {"sip_media_application_id": sma_id, "priority": 1, "aws_region": REGION},
                {"sip_media_application_id": "sma-1", "priority": 2, "aws_region": REGION},
            ],
        )
    rule_id = rule_for(calls, TO, sma_id)
    number = calls.phone_numbers.get(phone_number_id=TO)
    assert number.status == "Assigned"
    assert [(a.name, a.value) for a in number.associations] == [("SipRuleId", rule_id)]
    with pytest.raises(ConflictError, match="already exists"):
        rule_for(calls, TO, sma_id, name="again")
    by_rule = calls.phone_numbers.list(filter_name="SipRuleId", filter_value=rule_id)
    assert [n.phone_number_id for n in by_rule.phone_numbers] == [TO]
    assert [
        r.sip_rule_id for r in calls.sip_rules.list(sip_media_application_id=sma_id).sip_rules
    ] == [rule_id]
    with pytest.raises(BadRequestError, match="SIP rule"):
        calls.phone_numbers.delete(phone_number_id=TO)
    with pytest.raises(BadRequestError, match="cannot"):
        calls.phone_numbers.update(phone_number_id=TO, product_type="VoiceConnector")

    # AWS: disable a rule before deleting it, or an application it targets
    with pytest.raises(ConflictError, match="disable"):
        calls.sip_rules.delete(sip_rule_id=rule_id)
    with pytest.raises(ConflictError, match="disable"):
        calls.sip_media_applications.delete(sip_media_application_id=sma_id)
    assert calls.sip_rules.update(sip_rule_id=rule_id, name="rule", disabled=True).disabled
    calls.sip_rules.delete(sip_rule_id=rule_id)
    calls.sip_media_applications.delete(sip_media_application_id=sma_id)
    assert calls.phone_numbers.get(phone_number_id=TO).status == "Unassigned"
    with pytest.raises(NotFoundError):
        calls.sip_rules.get(sip_rule_id=rule_id)


# --- placing a call -----------------------------------------------------------------------------


def test_a_call_needs_an_existing_application_and_a_caller_id_a_rule_ties_to_it() -> None:
    with mock_chime(quotas=False) as fake:  # six calls back to back: beyond AWS's 1/s
        calls = make_calls()
        place = calls.create_sip_media_application_call
        with pytest.raises(NotFoundError, match="SIP media application was not found"):
            place(sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO)
        sma_id = new_sma(calls)
        with pytest.raises(ForbiddenError, match=r"Caller Id .* is not valid: it is not"):
            place(sip_media_application_id=sma_id, from_phone_number=FROM, to_phone_number=TO)
        fake.voice.add_phone_number(FROM)
        with pytest.raises(ForbiddenError, match="no SIP rule ties it"):
            place(sip_media_application_id=sma_id, from_phone_number=FROM, to_phone_number=TO)
        rule_for(calls, FROM, sma_id)
        call = place(sip_media_application_id=sma_id, from_phone_number=FROM, to_phone_number=TO)
        assert fake.calls[-1].transaction_id == call.transaction_id
        other = fake.provision_sip_media_application(phone_number="+12065550199", region=REGION)
        with pytest.raises(ForbiddenError, match="no SIP rule ties it"):
            place(
                sip_media_application_id=other.sip_media_application_id,
                from_phone_number=FROM,
                to_phone_number=TO,
            )
        assert len(fake.calls) == 1  # nothing refused ever rang


def test_provisioning_is_one_line_and_idempotent(fake: ChimeFake) -> None:
    made = fake.provision_sip_media_application("sma-x", phone_number="+12065550142", region=REGION)
    assert made == fake.provision_sip_media_application(
        "sma-x", phone_number="+12065550142", region=REGION
    )
    assert "+12065550142" not in repr(made)
    failover = fake.provision_sip_media_application("sma-y", phone_number="+12065550142")
    assert failover.sip_rule_id == made.sip_rule_id  # another region: a second target
    (rule,) = [r for r in fake.voice.sip_rules if r.sip_rule_id == made.sip_rule_id]
    assert [t[:2] for t in rule.targets] == [("sma-x", REGION), ("sma-y", "us-east-1")]
    with pytest.raises(ValueError, match="AWS allows one per region"):
        fake.provision_sip_media_application("sma-z", phone_number="+12065550142", region=REGION)
    with pytest.raises(ValueError, match="exists in"):
        fake.provision_sip_media_application("sma-x", region="us-west-2")
    with pytest.raises(ValueError, match="region 'us-east-9' has no SIP media applications"):
        fake.provision_sip_media_application("sma-w", region="us-east-9")
    generated = fake.provision_sip_media_application()
    assert generated.phone_number.startswith("+1206555")
    assert len(generated.sip_media_application_id) == 36


def test_the_legacy_endpoint_does_not_serve_voice_provisioning(fake: ChimeFake) -> None:
    legacy = make_session("us-east-1").client("chime")
    if "ListPhoneNumbers" not in legacy.meta.service_model.operation_names:
        pytest.skip("this botocore's chime model has no ListPhoneNumbers")
    with pytest.raises(ClientError) as refused:
        legacy.list_phone_numbers()
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
