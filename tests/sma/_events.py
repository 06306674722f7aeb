"""Realistic SIP media application events, shaped like AWS's documented examples."""

from __future__ import annotations

import copy
from typing import Any

MEETING_ID = "0d0b8197-e912-418f-9dd7-35005da707c3"
JOIN_TOKEN = "MGQwYjgxOTctZTkxMi00MThmOjlkZDctMzUwMDVkYTcwN2Mz"
CORRELATION_ID = "corr-4f1c"
TRANSACTION_ID = "c7942500-f035-4738-998d-0f959e94cd52"
CALL_ID = "2adfe491-55b4-4a4c-9a3a-5d0c1a3e8f10"
FROM = "+12065550100"
TO = "+14255550199"
ARGUMENTS = {"MeetingId": MEETING_ID, "JoinToken": JOIN_TOKEN, "CorrelationId": CORRELATION_ID}


def event(
    event_type: str,
    *,
    sequence: int = 1,
    action_data: dict[str, Any] | None = None,
    attributes: dict[str, str] | None = None,
    status: str | None = "Connected",
    **extra: Any,
) -> dict[str, Any]:
    leg: dict[str, Any] = {
        "CallId": CALL_ID,
        "ParticipantTag": "LEG-A",
        "To": TO,
        "From": FROM,
        "Direction": "Outbound",
        "StartTimeInMilliseconds": "1668005596390",
    }
    if status is not None:
        leg["Status"] = status
    details: dict[str, Any] = {
        "TransactionId": TRANSACTION_ID,
        "AwsAccountId": "123456789012",
        "AwsRegion": "us-east-1",
        "SipMediaApplicationId": "b89ecad8-3f43-426b-a778-582a7fdb4db1",
        "Participants": [leg],
    }
    if attributes:
        details["TransactionAttributes"] = dict(attributes)
    out: dict[str, Any] = {
        "SchemaVersion": "1.0",
        "Sequence": sequence,
        "InvocationEventType": event_type,
        "CallDetails": details,
    }
    if action_data is not None:
        out["ActionData"] = copy.deepcopy(action_data)
    out.update(extra)
    return out


def new_outbound_call(arguments: dict[str, str] | None = None) -> dict[str, Any]:
    return event(
        "NEW_OUTBOUND_CALL",
        status=None,
        action_data={
            "Type": "CallCreateRequest",
            "Parameters": {"Arguments": dict(ARGUMENTS if arguments is None else arguments)},
        },
    )
