"""Status sinks for the AWS services users already route call events through.

Each sink is a callable taking a ``chime_calls.sma.status.StatusEvent``, so it plugs
into ``chime_calls.sma.DialOutHandler`` (``sinks=[...]``) or
``chime_calls.sma.track_status`` next to plain Python callbacks. The message is the
event's ``chime_calls.sma.status.StatusEvent.to_dict`` as JSON (numbers masked, no
token); its ``status`` and ``correlation_id`` also go out as message attributes, for
subscription filters.

Order: a call's events are published one after another, in order, from consecutive Lambda
invocations. A FIFO queue or topic (its name ends ``.fifo``) keeps that order per correlation
ID (the message group) and drops a re-delivery of the same step (the deduplication ID is the
transaction ID and the status); a standard queue or topic does not promise order, so readers
sort by ``sequence``. EventBridge does not promise order either.

boto3 is imported, and each client created, when the first event is sent (a Lambda that
routes nothing pays nothing); pass ``client=`` to reuse one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chime_calls.sma.status import StatusEvent

__all__ = ["EventBridgeSink", "SinkDeliveryError", "SnsSink", "SqsSink"]

#: EventBridge ``DetailType`` of the events ``EventBridgeSink`` puts.
DETAIL_TYPE = "Chime Call Status"
#: EventBridge ``Source`` of those events, unless told otherwise.
SOURCE = "chime-calls"


class SinkDeliveryError(Exception):
    """The service accepted the request but not the event (EventBridge's failed entries)."""


class _AwsSink:
    """A lazily created boto3 client of one service."""

    _service = ""

    def __init__(self, *, client: Any = None, region_name: str | None = None) -> None:
        self._client = client
        self._region_name = region_name
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3

                    session: Any = boto3.session.Session()
                    self._client = session.client(self._service, region_name=self._region_name)
        return self._client


def _body(event: StatusEvent) -> str:
    import json  # (not at import: a Lambda's runtime has it loaded; elsewhere it costs)

    return json.dumps(event.to_dict(), separators=(",", ":"), sort_keys=True)


def _attributes(event: StatusEvent) -> dict[str, dict[str, str]]:
    out = {"status": {"DataType": "String", "StringValue": event.status}}
    if event.correlation_id:
        out["correlation_id"] = {"DataType": "String", "StringValue": event.correlation_id}
    return out


def _fifo(event: StatusEvent) -> dict[str, str]:
    return {
        "MessageGroupId": event.correlation_id or event.transaction_id,
        "MessageDeduplicationId": f"{event.transaction_id}-{event.status}",
    }


class SqsSink(_AwsSink):
    """Send each event to an SQS queue (``SendMessage``); FIFO queues keep a call's order."""

    _service = "sqs"

    def __init__(
        self, queue_url: str, *, client: Any = None, region_name: str | None = None
    ) -> None:
        super().__init__(client=client, region_name=region_name)
        self.queue_url = queue_url
        self.fifo = queue_url.endswith(".fifo")

    def __repr__(self) -> str:
        return f"SqsSink({self.queue_url!r})"

    def __call__(self, event: StatusEvent) -> None:
        extra = _fifo(event) if self.fifo else {}
        self.client.send_message(
            QueueUrl=self.queue_url,
            MessageBody=_body(event),
            MessageAttributes=_attributes(event),
            **extra,
        )


class SnsSink(_AwsSink):
    """Publish each event to an SNS topic (``Publish``); FIFO topics keep a call's order."""

    _service = "sns"

    def __init__(
        self, topic_arn: str, *, client: Any = None, region_name: str | None = None
    ) -> None:
        super().__init__(client=client, region_name=region_name)
        self.topic_arn = topic_arn
        self.fifo = topic_arn.endswith(".fifo")

    def __repr__(self) -> str:
        return f"SnsSink({self.topic_arn!r})"

    def __call__(self, event: StatusEvent) -> None:
        extra = _fifo(event) if self.fifo else {}
        self.client.publish(
            TopicArn=self.topic_arn,
            Message=_body(event),
            MessageAttributes=_attributes(event),
            **extra,
        )


class EventBridgeSink(_AwsSink):
    """Put each event on an EventBridge bus (``PutEvents``), as ``DetailType`` ``"Chime Call
    Status"`` from ``source`` (default ``"chime-calls"``): a rule matching
    ``{"source": ["chime-calls"], "detail": {"status": ["completed"]}}`` routes it anywhere
    EventBridge reaches. A failed entry raises ``SinkDeliveryError``."""

    _service = "events"

    def __init__(
        self,
        event_bus_name: str = "default",
        *,
        source: str = SOURCE,
        detail_type: str = DETAIL_TYPE,
        client: Any = None,
        region_name: str | None = None,
    ) -> None:
        super().__init__(client=client, region_name=region_name)
        self.event_bus_name = event_bus_name
        self.source = source
        self.detail_type = detail_type

    def __repr__(self) -> str:
        return f"EventBridgeSink({self.event_bus_name!r}, source={self.source!r})"

    def __call__(self, event: StatusEvent) -> None:
        answer = self.client.put_events(
            Entries=[
                {
                    "Source": self.source,
                    "DetailType": self.detail_type,
                    "Detail": _body(event),
                    "EventBusName": self.event_bus_name,
                }
            ]
        )
        if answer.get("FailedEntryCount"):
            entry = (answer.get("Entries") or [{}])[0]
            raise SinkDeliveryError(
                f"EventBridge refused the {event.status} event of transaction "
                f"{event.transaction_id}: {entry.get('ErrorCode', 'unknown error')}"
            )
