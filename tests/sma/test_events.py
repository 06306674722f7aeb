"""parse_event: AWS's documented shapes, the fields AWS adds later, and what is unusable."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from chime_calls import ValidationError
from chime_calls.sma import EventType, InvalidEventError, InvocationEvent, parse_event
from chime_calls.values import PhoneNumber, SensitiveMap

from ._events import (
    ARGUMENTS,
    CALL_ID,
    FROM,
    JOIN_TOKEN,
    MEETING_ID,
    TO,
    TRANSACTION_ID,
    event,
    new_outbound_call,
)


def test_new_outbound_call_exposes_the_arguments_map_and_call_details() -> None:
    parsed = parse_event(new_outbound_call())
    assert parsed.event_type == EventType.NEW_OUTBOUND_CALL
    assert parsed.sequence == 1
    assert parsed.schema_version == "1.0"
    assert parsed.transaction_id == TRANSACTION_ID
    assert dict(parsed.arguments) == ARGUMENTS
    assert parsed.action_data is not None
    assert parsed.action_data.type == "CallCreateRequest"
    details = parsed.call_details
    assert details.aws_region == "us-east-1"
    assert details.aws_account_id == "123456789012"
    assert details.sip_media_application_id == "b89ecad8-3f43-426b-a778-582a7fdb4db1"
    leg = details.leg_a
    assert leg is not None
    assert leg.call_id == CALL_ID
    assert leg.direction == "Outbound"
    assert leg.start_time_ms == 1668005596390
    assert leg.status is None
    assert not leg.connected
    assert leg.to_number == PhoneNumber(TO)
    assert leg.from_number is not None
    assert leg.from_number.reveal() == FROM


def test_call_update_requested_arguments() -> None:
    raw = event(
        "CALL_UPDATE_REQUESTED",
        sequence=7,
        action_data={
            "Type": "CallUpdateRequest",
            "Parameters": {"Arguments": {"Action": "Hangup"}},
        },
        attributes={"MeetingId": MEETING_ID},
    )
    parsed = parse_event(raw)
    assert dict(parsed.arguments) == {"Action": "Hangup"}
    assert dict(parsed.transaction_attributes) == {"MeetingId": MEETING_ID}
    assert parsed.sequence == 7


def test_action_failed_reads_error_from_action_data() -> None:
    raw = event(
        "ACTION_FAILED",
        action_data={
            "Type": "JoinChimeMeeting",
            "Parameters": {"JoinToken": JOIN_TOKEN, "CallId": CALL_ID},
            "ErrorType": "InvalidActionParameter",
            "ErrorMessage": "JoinToken parameter value is invalid.",
        },
    )
    parsed = parse_event(raw)
    assert parsed.error_type == "InvalidActionParameter"
    assert parsed.error_message == "JoinToken parameter value is invalid."
    assert parsed.action_data is not None
    assert parsed.action_data.parameters["JoinToken"] == JOIN_TOKEN


def test_top_level_error_fields_are_read_too() -> None:
    raw = event("INVALID_LAMBDA_RESPONSE", ErrorType="InvalidResponse", ErrorMessage="bad")
    parsed = parse_event(raw)
    assert (parsed.error_type, parsed.error_message) == ("InvalidResponse", "bad")
    assert parsed.action_data is None


def test_unknown_fields_and_event_types_are_tolerated() -> None:
    raw = event("SOMETHING_AWS_ADDS_IN_2030", NewTopLevel={"x": 1})
    raw["CallDetails"]["SipRuleId"] = "rule-1"
    raw["CallDetails"]["NewDetail"] = [1, 2, 3]
    raw["CallDetails"]["Participants"][0]["NewLegField"] = True
    raw["CallDetails"]["Participants"].append("not a mapping")
    parsed = parse_event(raw)
    assert parsed.event_type == "SOMETHING_AWS_ADDS_IN_2030"
    assert not parsed.is_known_type
    assert parsed.call_details.sip_rule_id == "rule-1"
    assert len(parsed.call_details.participants) == 1
    assert parsed.raw["NewTopLevel"] == {"x": 1}


def test_documented_spelling_variants() -> None:
    """AWS's own examples use SipApplicationId and InvocationEvent in places."""
    raw = event("ACTION_SUCCESSFUL")
    raw["InvocationEvent"] = raw.pop("InvocationEventType")
    raw["CallDetails"]["SipApplicationId"] = raw["CallDetails"].pop("SipMediaApplicationId")
    parsed = parse_event(raw)
    assert parsed.event_type == "ACTION_SUCCESSFUL"
    assert parsed.call_details.sip_media_application_id == "b89ecad8-3f43-426b-a778-582a7fdb4db1"


def test_non_e164_numbers_parse_and_stay_masked() -> None:
    raw = event("NEW_INBOUND_CALL")
    raw["CallDetails"]["Participants"][0]["From"] = "sip:+12065550100@10.0.0.1:5060"
    raw["CallDetails"]["Participants"][0]["To"] = 14255550199  # wrong type: dropped
    parsed = parse_event(raw)
    leg = parsed.call_details.participants[0]
    assert leg.from_number is not None
    assert leg.from_number.reveal() == "sip:+12065550100@10.0.0.1:5060"
    assert leg.to_number is None
    assert "2065550100" not in repr(parsed)


def test_lenient_scalars() -> None:
    raw = event("RINGING", sequence="three")  # type: ignore[arg-type]
    raw["CallDetails"]["Participants"][0]["StartTimeInMilliseconds"] = "soon"
    raw["ActionData"] = {"Type": "CallCreateRequest", "Parameters": {"Arguments": {"k": 1}}}
    parsed = parse_event(raw)
    assert parsed.sequence is None
    assert parsed.call_details.participants[0].start_time_ms is None
    assert dict(parsed.arguments) == {}


def test_repr_hides_tokens_numbers_arguments_and_attributes() -> None:
    raw = event(
        "ACTION_SUCCESSFUL",
        action_data={"Type": "JoinChimeMeeting", "Parameters": {"JoinToken": JOIN_TOKEN}},
        attributes={"JoinToken": JOIN_TOKEN, "MeetingId": MEETING_ID},
    )
    raw["ActionData"]["Parameters"]["Arguments"] = dict(ARGUMENTS)
    text = repr(parse_event(raw)) + str(parse_event(new_outbound_call()))
    for secret in (JOIN_TOKEN, FROM, TO, "2065550100", "4255550199"):
        assert secret not in text
    assert "+1********99" in text  # masked, still tells legs apart


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        ("not an event", ("event",)),
        ({}, ("InvocationEventType", "CallDetails")),
        ({"InvocationEventType": "RINGING", "CallDetails": []}, ("CallDetails",)),
        (
            {"InvocationEventType": "RINGING", "CallDetails": {"TransactionId": ""}},
            ("CallDetails.TransactionId",),
        ),
        (
            {"InvocationEventType": 3, "CallDetails": {"TransactionId": "t"}},
            ("InvocationEventType",),
        ),
    ],
)
def test_structurally_unusable_events_raise_a_typed_error(
    raw: Any, fields: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidEventError) as info:
        parse_event(raw)
    assert info.value.fields == fields
    assert isinstance(info.value, ValidationError)
    assert isinstance(info.value, ValueError)


def test_error_never_echoes_event_values() -> None:
    raw = {"InvocationEventType": "", "CallDetails": {"TransactionId": JOIN_TOKEN * 0, "To": TO}}
    with pytest.raises(InvalidEventError) as info:
        parse_event(raw)
    assert TO not in str(info.value)


def test_events_are_frozen_and_comparable() -> None:
    first = parse_event(new_outbound_call())
    second = parse_event(new_outbound_call())
    assert first == second
    assert isinstance(first.arguments, SensitiveMap)
    with pytest.raises(AttributeError):
        first.event_type = "HANGUP"  # type: ignore[misc]
    # Frozen and made of immutable parts: a deep copy is an equal, independent value.
    clone = copy.deepcopy(first)
    assert isinstance(clone, InvocationEvent)
    assert clone == first
    assert clone.arguments.reveal() == ARGUMENTS


def test_aws_example_spellings_of_leg_tags_and_sip_headers() -> None:
    """AWS's "Ending a call" example tags legs ``Leg-A`` / ``Leg-B`` and bridged legs carry
    SipHeaders; neither may confuse the leg lookup or leak into a repr."""
    raw = event("HANGUP", action_data={"Type": "Hangup", "Parameters": {"CallId": CALL_ID}})
    leg_a = raw["CallDetails"]["Participants"][0]
    leg_a["ParticipantTag"] = "Leg-A"
    leg_a["SipHeaders"] = {"X-Ticket": "t-77", "User-to-User": "6373693d31;encoding=hex"}
    raw["CallDetails"]["Participants"].append(
        {"CallId": "call-2", "ParticipantTag": "Leg-B", "From": "SMA", "Status": "Disconnected"}
    )
    parsed = parse_event(raw)
    details = parsed.call_details
    assert details.leg_a is not None
    assert details.leg_a.call_id == CALL_ID
    assert details.leg_a.sip_headers["X-Ticket"] == "t-77"
    assert details.leg_b is not None
    assert details.leg_b.call_id == "call-2"
    assert [leg.call_id for leg in details.connected_legs] == [CALL_ID]
    assert "t-77" not in repr(parsed)
    assert "X-Ticket" not in repr(parsed)
