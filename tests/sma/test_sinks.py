"""The AWS status sinks, on moto: every call's events arrive in each sink, in order, with no
number or token in them (SQS standard and FIFO, SNS to SQS, EventBridge to SQS)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chime_calls import ChimeCalls
from chime_calls.sma import DialOutHandler, EventBridgeSink, SnsSink, SqsSink
from chime_calls.sma.sinks import SinkDeliveryError
from chime_calls.sma.status import StatusEvent
from chime_calls.testing import ChimeFake, MagicNumbers, mock_chime

REGION = "eu-west-2"
ORDER = ["initiated", "ringing", "answered", "joined", "completed"]


@pytest.fixture
def aws() -> Iterator[ChimeFake]:
    with mock_aws(), mock_chime(quotas=False) as chime:
        yield chime


def _drain(queue_url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name=REGION)
    out: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not got:
            return out
        for message in got:
            out.append(message)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def _place_calls(chime: ChimeFake, sinks: list[Any]) -> list[str]:
    """Two calls, each answered, joined and hung up; a third busy. Their transaction IDs."""
    sma = chime.provision_sip_media_application(
        "sma-1", region=REGION, handler=DialOutHandler(sinks=sinks)
    )
    chime.callee_rule(ring_seconds=3, talk_seconds=20)
    calls = ChimeCalls(session=boto3.Session(region_name=REGION), sip_media_application_id="sma-1")
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    transactions = []
    for index, number in enumerate(("+14255550101", "+14255550102", MagicNumbers.BUSY)):
        attendee = calls.create_attendee(
            meeting_id=meeting.meeting_id, external_user_id=f"p{index}"
        )
        assert attendee.join_token is not None
        placed = calls.dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=sma.phone_number,
            to_phone_number=number,
            join_token=attendee.join_token,
            correlation_id=f"c-{index}",
        )
        transactions.append(placed.transaction_id)
        chime.advance(1)
    chime.advance(60)
    return transactions


def _check(bodies: list[dict[str, Any]], transactions: list[str]) -> None:
    for index, transaction in enumerate(transactions[:2]):
        steps = [b for b in bodies if b["transaction_id"] == transaction]
        assert [b["status"] for b in steps] == ORDER, index
        assert {b["correlation_id"] for b in steps} == {f"c-{index}"}
    busy = [b["status"] for b in bodies if b["transaction_id"] == transactions[2]]
    assert busy == ["initiated", "busy"]
    text = json.dumps(bodies)
    assert "4255550101" not in text
    assert "JoinToken" not in text


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_sqs_receives_every_call_in_order(aws: ChimeFake, fifo: bool) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    name, attributes = ("status.fifo", {"FifoQueue": "true"}) if fifo else ("status", {})
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    transactions = _place_calls(aws, [SqsSink(url, region_name=REGION)])
    messages = _drain(url)
    bodies = [json.loads(m["Body"]) for m in messages]
    _check(bodies, transactions)
    first = messages[0]["MessageAttributes"]
    assert first["status"]["StringValue"] == "initiated"
    assert first["correlation_id"]["StringValue"] == "c-0"


def test_sns_delivers_every_call_in_order_to_its_subscribers(aws: ChimeFake) -> None:
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name="call-status")["TopicArn"]
    url = sqs.create_queue(QueueName="subscriber")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    transactions = _place_calls(aws, [SnsSink(topic, region_name=REGION)])
    bodies = [json.loads(json.loads(m["Body"])["Message"]) for m in _drain(url)]
    _check(bodies, transactions)


def test_eventbridge_routes_every_call_in_order(aws: ChimeFake) -> None:
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="from-eventbridge")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="calls", EventPattern=json.dumps({"source": ["chime-calls"]}))
    events.put_targets(Rule="calls", Targets=[{"Id": "queue", "Arn": arn}])
    transactions = _place_calls(aws, [EventBridgeSink(region_name=REGION)])
    routed = [json.loads(m["Body"]) for m in _drain(url)]
    assert {r["detail-type"] for r in routed} == {"Chime Call Status"}
    _check([r["detail"] for r in routed], transactions)


def test_a_refused_eventbridge_entry_is_an_error() -> None:
    class Refusing:
        def put_events(self, **_: Any) -> dict[str, Any]:
            return {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalFailure"}]}

    sink = EventBridgeSink(client=Refusing())
    event = StatusEvent(status="initiated", transaction_id="t-1", time=0.0)
    with pytest.raises(SinkDeliveryError, match="InternalFailure"):
        sink(event)
    assert "default" in repr(sink)
    assert repr(SqsSink("https://q/x.fifo")) == "SqsSink('https://q/x.fifo')"
    assert SqsSink("https://q/x.fifo").fifo
    assert not SnsSink("arn:aws:sns:r:1:t").fifo
