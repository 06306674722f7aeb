"""Property-based fuzzing of every validated member against an oracle built from the model.

The oracle reads the constraint straight from the installed botocore model (never from
chime_calls._rules) and evaluates patterns with ECMAScript semantics (chime_calls._ecma, which
tests/test_ecma.py checks against a real ECMAScript engine). The validator must agree on every
input, and nothing but ValidationError may ever escape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chime_calls import (
    ClientRequestToken,
    CreateAttendeeRequest,
    CreateMeetingDialOutRequest,
    CreateMeetingRequest,
    CreateSipMediaApplicationCallRequest,
    ExternalId,
    JoinToken,
    NotificationTarget,
    PhoneNumber,
    UpdateSipMediaApplicationCallRequest,
    ValidationError,
)
from chime_calls._ecma import conforms

SESSION = botocore.session.get_session()
GUID = "11111111-2222-3333-4444-555555555555"
PHONE = "+12065550100"


def _shape(service: str, operation: str, path: str) -> Any:
    shape = SESSION.get_service_model(service).operation_model(operation).input_shape
    for part in path.split("."):
        if part != "[]" and part not in shape.members:
            # e.g. MediaPlacementNetworkType, newer than botocore 1.37.1 (the legacy CI run)
            pytest.skip(f"{operation}.{path} is not in this botocore's model")
        shape = shape.member if part == "[]" else shape.members[part]
    return shape


def oracle(shape: Any, value: object) -> bool:
    """Would the service accept ``value`` for this string shape?"""
    if not isinstance(value, str):
        return False
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"]:
        return False
    if "max" in meta and len(value) > meta["max"]:
        return False
    if "pattern" in meta and not conforms(meta["pattern"], value):
        return False
    return not (shape.enum and value not in shape.enum)


TRICKY = [
    *"+0123456789abcdefABCDEF-_/=:.@ \t\n\r!#$",
    "\u00a0",
    "\ufeff",
    "\x1c",
    "\x85",
    "\u2028",
    "\u0663",
    "\uff11",
    "\u00e9",
    "\U0001f4de",
    "\x00",
]
tricky_text = st.text(alphabet=st.sampled_from(TRICKY), max_size=24)
any_text = st.text(max_size=80)
long_text = st.integers(min_value=0, max_value=2100).map(lambda n: "a" * n)
# (None means "absent" for optional members, so it is not a bad value in itself.)
non_strings = st.one_of(st.integers(), st.floats(), st.binary(), st.lists(st.integers()))


def candidates(pattern: str | None) -> st.SearchStrategy[object]:
    parts: list[st.SearchStrategy[Any]] = [tricky_text, any_text, long_text, non_strings]
    if pattern:
        # Near-valid values: Python's reading of the pattern, plus edge characters around it.
        near = st.from_regex(pattern.replace("\\d", "[0-9]"), fullmatch=False)
        parts.append(near)
        parts.append(st.tuples(near, st.sampled_from(["\n", "\u00a0", "", " "])).map("".join))
    return st.one_of(parts)


FUZZ_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# (service, operation, member path, build: value -> constructs something that validates it)
CASES: list[tuple[str, str, str, Callable[[Any], object]]] = [
    ("chime-sdk-voice", "CreateSipMediaApplicationCall", "ToPhoneNumber", PhoneNumber),
    (
        "chime-sdk-voice",
        "CreateSipMediaApplicationCall",
        "FromPhoneNumber",
        lambda v: CreateSipMediaApplicationCallRequest(
            sip_media_application_id="sma", from_phone_number=v, to_phone_number=PHONE
        ),
    ),
    (
        "chime-sdk-voice",
        "CreateSipMediaApplicationCall",
        "SipMediaApplicationId",
        lambda v: CreateSipMediaApplicationCallRequest(
            sip_media_application_id=v, from_phone_number=PHONE, to_phone_number=PHONE
        ),
    ),
    (
        "chime-sdk-voice",
        "UpdateSipMediaApplicationCall",
        "TransactionId",
        lambda v: UpdateSipMediaApplicationCallRequest(
            sip_media_application_id="sma", transaction_id=v, arguments={}
        ),
    ),
    (
        "chime-sdk-meetings",
        "GetMeeting",
        "MeetingId",
        lambda v: CreateAttendeeRequest(meeting_id=v, external_user_id="alice"),
    ),
    ("chime-sdk-meetings", "CreateAttendee", "ExternalUserId", ExternalId),
    ("chime-sdk-meetings", "CreateMeeting", "ClientRequestToken", ClientRequestToken),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "NotificationsConfiguration.SqsQueueArn",
        NotificationTarget,
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "PrimaryMeetingId",
        lambda v: CreateMeetingRequest(primary_meeting_id=v),
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "TenantIds.[]",
        lambda v: CreateMeetingRequest(tenant_ids=[v]),
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "MediaPlacementNetworkType",
        lambda v: CreateMeetingRequest(media_placement_network_type=v),
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "MediaRegion",
        lambda v: CreateMeetingRequest(external_meeting_id="m1", media_region=v).validate_for(
            "sdk"
        ),
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "Tags.[].Key",
        lambda v: CreateMeetingRequest(
            external_meeting_id="m1", media_region="us-east-1", tags=[{"Key": v, "Value": "x"}]
        ).validate_for("sdk"),
    ),
    (
        "chime-sdk-meetings",
        "CreateMeeting",
        "Tags.[].Value",
        lambda v: CreateMeetingRequest(
            external_meeting_id="m1", media_region="us-east-1", tags=[{"Key": "k", "Value": v}]
        ).validate_for("sdk"),
    ),
    (
        "chime-sdk-meetings",
        "CreateAttendee",
        "Capabilities.Audio",
        lambda v: CreateAttendeeRequest(
            meeting_id=GUID,
            external_user_id="alice",
            capabilities={"audio": v, "video": "None", "content": "None"},
        ),
    ),
    (
        "chime",
        "CreateMeetingDialOut",
        "JoinToken",
        lambda v: CreateMeetingDialOutRequest(
            meeting_id=GUID, from_phone_number=PHONE, to_phone_number=PHONE, join_token=v
        ),
    ),
]
CASES.append(
    (
        "chime-sdk-meetings",
        "CreateMeetingWithAttendees",
        "Attendees.[].ExternalUserId",
        ExternalId,
    )
)


def _join_token_shape() -> Any:
    return SESSION.get_service_model("chime-sdk-meetings").shape_for("JoinTokenString")


@pytest.mark.parametrize(
    ("service", "operation", "path", "build"), CASES, ids=[f"{c[1]}.{c[2]}" for c in CASES]
)
def test_validator_agrees_with_the_model_oracle(
    service: str, operation: str, path: str, build: Callable[[Any], object]
) -> None:
    shape = _shape(service, operation, path)

    @FUZZ_SETTINGS
    @given(candidates(shape.metadata.get("pattern")))
    def check(value: object) -> None:
        try:
            build(value)
        except ValidationError:
            accepted = False
        else:
            accepted = True
        assert accepted is oracle(shape, value), repr(value)

    check()


@FUZZ_SETTINGS
@given(candidates(None))
def test_join_token_agrees_with_the_model_oracle(value: object) -> None:
    try:
        JoinToken(value)  # type: ignore[arg-type]
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted is oracle(_join_token_shape(), value)


@FUZZ_SETTINGS
@given(
    st.dictionaries(
        st.one_of(st.text(max_size=5), st.integers()),
        st.one_of(st.text(max_size=5), st.none()),
        max_size=25,
    )
)
def test_sip_maps_agree_with_the_model(mapping: dict[Any, Any]) -> None:
    shape = _shape("chime-sdk-voice", "CreateSipMediaApplicationCall", "SipHeaders")
    expected = len(mapping) <= shape.metadata["max"] and all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    )
    try:
        CreateSipMediaApplicationCallRequest(
            sip_media_application_id="sma",
            from_phone_number=PHONE,
            to_phone_number=PHONE,
            sip_headers=mapping,
        )
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted is expected


@FUZZ_SETTINGS
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "external_meeting_id": st.one_of(tricky_text, non_strings),
            "media_region": st.one_of(tricky_text, non_strings),
            "meeting_host_id": st.one_of(tricky_text, non_strings),
            "meeting_features": st.one_of(
                non_strings,
                st.dictionaries(
                    st.sampled_from(["audio", "Video", "bogus"]),
                    st.one_of(
                        non_strings,
                        st.dictionaries(st.text(max_size=12), non_strings | tricky_text),
                    ),
                ),
            ),
            "tags": st.one_of(non_strings, st.dictionaries(tricky_text, tricky_text, max_size=3)),
            "tenant_ids": st.one_of(non_strings, st.lists(tricky_text, max_size=6)),
            "notifications_configuration": st.one_of(
                non_strings, st.dictionaries(st.sampled_from(["SnsTopicArn", "x"]), tricky_text)
            ),
        },
    )
)
def test_only_validation_errors_escape_create_meeting(kwargs: dict[str, Any]) -> None:
    for namespace in ("sdk", "legacy"):
        violations: tuple[object, ...] = ("none raised",)
        try:
            CreateMeetingRequest(**kwargs).validate_for(namespace)
        except ValidationError as exc:
            violations = exc.violations
        assert violations
