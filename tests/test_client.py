"""The facade through real boto3 clients answered by the fake: routing, parsing, errors."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.credentials import CredentialResolver
from botocore.exceptions import ClientError

import chime_calls
from chime_calls import (
    Attendee,
    ChimeCalls,
    ConfigurationError,
    ConnectError,
    CredentialsError,
    LegacyNamespaceRefusedError,
    Meeting,
    NotFoundError,
    ResponseLostError,
    RetryPolicy,
    ServiceError,
    UnsupportedOperationError,
    ValidationError,
    client_config,
)
from chime_calls.testing import ChimeFake, VirtualClock, mock_chime
from tests.conftest import (
    FROM,
    OTHER_FROM,
    REGION,
    TO,
    make_calls,
    make_session,
    needs_current_botocore,
    needs_legacy_botocore,
)


def services_used(fake: ChimeFake) -> list[tuple[str, str, str]]:
    return [(r.service, r.operation, r.region) for r in fake.requests]


def test_the_issue_example_end_to_end(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting = calls.create_meeting(
        external_meeting_id="standup", media_region="eu-west-2", tags={"team": "ops"}
    )
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    assert alice.join_token is not None
    dial_out = calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=FROM,
        to_phone_number=TO,
        join_token=alice.join_token,
    )
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-1",
        from_phone_number=FROM,
        to_phone_number=TO,
        sip_headers={"X-Campaign": "c1"},
        arguments_map={"ticket": "42"},
    )
    assert isinstance(meeting, Meeting)
    assert isinstance(alice, Attendee)
    assert dial_out.transaction_id == fake.dial_outs[0].transaction_id
    assert call.transaction_id == fake.sip_media_application_calls[0].transaction_id
    assert fake.meeting(meeting.meeting_id).tags == {"team": "ops"}
    assert fake.dial_outs[0].joined_meeting_id == meeting.meeting_id
    assert services_used(fake) == [
        ("chime-sdk-meetings", "CreateMeeting", REGION),
        ("chime-sdk-meetings", "CreateAttendee", REGION),
        ("chime", "CreateMeetingDialOut", "us-east-1"),
        ("chime-sdk-voice", "CreateSipMediaApplicationCall", REGION),
    ]


def test_responses_parse_into_typed_objects(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting = calls.create_meeting(external_meeting_id="standup", media_region="eu-west-2")
    got = calls.get_meeting(meeting_id=meeting.meeting_id)
    assert got.meeting_id == meeting.meeting_id
    assert got.media_region == "eu-west-2"
    assert got.media_placement is not None
    assert (
        got.media_placement.signaling_url
        == fake.meeting(meeting.meeting_id).raw["MediaPlacement"]["SignalingUrl"]
    )
    assert got.meeting_arn is not None
    assert got.meeting_arn.endswith(meeting.meeting_id)
    assert got.meeting_features is None
    assert got.external_meeting_id is not None
    assert got.external_meeting_id.reveal() == "standup"
    assert calls.delete_meeting(meeting_id=meeting.meeting_id) is None
    with pytest.raises(NotFoundError):
        calls.get_meeting(meeting_id=meeting.meeting_id)


def test_plain_values_and_typed_objects_are_both_accepted(
    fake: ChimeFake, calls: ChimeCalls
) -> None:
    from chime_calls import PhoneNumber

    calls.create_sip_media_application_call(
        sip_media_application_id="sma-1",
        from_phone_number=PhoneNumber(FROM),
        to_phone_number=TO,
    )
    assert fake.calls[0].from_phone_number == FROM


def test_invalid_input_names_every_field_and_sends_nothing(
    fake: ChimeFake, calls: ChimeCalls
) -> None:
    with pytest.raises(ValidationError) as bad:
        calls.create_sip_media_application_call(
            sip_media_application_id=" ",
            from_phone_number="+0123",
            to_phone_number="425-555-0199",
            arguments_map={f"k{i}": "v" for i in range(21)},
        )
    assert set(bad.value.fields) >= {
        "sip_media_application_id",
        "from_phone_number",
        "to_phone_number",
        "arguments_map",
    }
    assert isinstance(bad.value, ValueError)
    assert "425-555-0199" not in str(bad.value)
    assert fake.requests == []


def test_clients_are_lazy_and_reused(fake: ChimeFake) -> None:
    calls = make_calls()
    calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    assert set(calls._clients) == {"chime-sdk-meetings"}
    first = calls.client("chime-sdk-meetings")
    calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    assert calls.client("chime-sdk-meetings") is first
    assert first.meta.config.retries["total_max_attempts"] == 1
    assert "chime-calls/" in first.meta.config.user_agent_extra


def test_ready_made_clients_must_not_retry(fake: ChimeFake) -> None:
    session = make_session()
    retrying = session.client("chime-sdk-voice")
    with pytest.raises(ConfigurationError, match="client_config"):
        ChimeCalls(clients={"chime-sdk-voice": retrying})
    safe = session.client("chime-sdk-voice", config=client_config(Config(connect_timeout=2)))
    calls = ChimeCalls(clients={"chime-sdk-voice": safe})
    calls.create_sip_media_application_call(
        sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
    )
    assert calls.client("chime-sdk-voice") is safe
    assert safe.meta.config.connect_timeout == 2
    assert len(fake.calls) == 1


def test_environment_retry_settings_cannot_sneak_in(
    fake: ChimeFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    calls = make_calls(retry=RetryPolicy.off())
    fake.lose_answer("CreateSipMediaApplicationCall", kind="500")
    with pytest.raises(ServiceError):
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    assert fake.attempts("CreateSipMediaApplicationCall") == 1


def test_bad_namespace_and_missing_region() -> None:
    with pytest.raises(ConfigurationError, match="namespace"):
        ChimeCalls(namespace="v2")  # type: ignore[arg-type]
    with mock_chime():
        calls = ChimeCalls(session=boto3.Session(region_name=None))
        if calls._session is not None and calls._session.region_name:
            pytest.skip("a default region is configured on this machine")
        with pytest.raises(ConfigurationError, match="region"):
            calls.get_meeting(meeting_id=str(uuid.uuid4()))


def test_no_credentials_is_a_typed_error() -> None:
    core = botocore.session.Session()
    core.register_component("credential_provider", CredentialResolver(providers=[]))
    with mock_chime(credentials=False) as fake:
        calls = ChimeCalls(session=boto3.Session(botocore_session=core, region_name=REGION))
        with pytest.raises(CredentialsError):
            calls.get_meeting(meeting_id=str(uuid.uuid4()))
        assert fake.requests == []


@needs_current_botocore
@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("create_meeting", {"external_meeting_id": "mt", "media_region": "us-east-1"}),
        ("get_meeting", {"meeting_id": "00000000-0000-0000-0000-000000000000"}),
        (
            "create_sip_media_application_call",
            {"sip_media_application_id": "sma-1", "from_phone_number": FROM, "to_phone_number": TO},
        ),
    ],
)
def test_legacy_namespace_without_the_operation_names_the_replacement(
    fake: ChimeFake, method: str, kwargs: dict[str, Any]
) -> None:
    calls = make_calls(namespace="legacy")
    with pytest.raises(UnsupportedOperationError) as unsupported:
        getattr(calls, method)(**kwargs)
    assert unsupported.value.replacement is not None
    assert "namespace='sdk'" in str(unsupported.value)
    assert fake.requests == []


@needs_legacy_botocore
def test_legacy_namespace_really_works_where_botocore_models_it(fake: ChimeFake) -> None:
    calls = make_calls(namespace="legacy")
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="us-east-1")
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert calls.get_meeting(meeting_id=meeting.meeting_id).meeting_id == meeting.meeting_id
    assert attendee.join_token is not None
    calls.create_meeting_dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=FROM,
        to_phone_number=TO,
        join_token=attendee.join_token,
    )
    fake.provision_sip_media_application("sma-legacy", phone_number=FROM, region="us-east-1")
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-legacy", from_phone_number=FROM, to_phone_number=TO
    )
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    assert {r.service for r in fake.requests} == {"chime"}
    assert {r.region for r in fake.requests} == {"us-east-1"}
    assert fake.calls[-1].transaction_id == call.transaction_id
    assert fake.meeting(meeting.meeting_id).deleted


@needs_legacy_botocore
def test_legacy_namespace_refuses_members_it_cannot_carry(fake: ChimeFake) -> None:
    calls = make_calls(namespace="legacy")
    with pytest.raises(UnsupportedOperationError, match="ArgumentsMap"):
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1",
            from_phone_number=FROM,
            to_phone_number=TO,
            arguments_map={"a": "b"},
        )
    assert fake.requests == []


def test_legacy_refusal_points_to_the_migration() -> None:
    with mock_chime(legacy_access=False) as fake:
        calls = make_calls()
        meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
        attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
        assert attendee.join_token is not None
        with pytest.raises(LegacyNamespaceRefusedError) as refused:
            calls.create_meeting_dial_out(
                meeting_id=meeting.meeting_id,
                from_phone_number=FROM,
                to_phone_number=TO,
                join_token=attendee.join_token,
            )
        assert isinstance(refused.value, chime_calls.ForbiddenError)
        assert "migrate scan" in str(refused.value)
        assert refused.value.status_code == 403
        assert fake.calls == []


ERROR_CASES = [
    # (code the fake sends, operation, expected class, retryable)
    ("BadRequestException", "GetMeeting", chime_calls.BadRequestError, False),
    ("ValidationException", "GetMeeting", chime_calls.BadRequestError, False),
    ("UnauthorizedException", "GetMeeting", chime_calls.UnauthorizedError, False),
    ("ForbiddenException", "GetMeeting", chime_calls.ForbiddenError, False),
    ("NotFoundException", "GetMeeting", chime_calls.NotFoundError, False),
    ("ConflictException", "GetMeeting", chime_calls.ConflictError, False),
    ("UnprocessableEntityException", "GetMeeting", chime_calls.UnprocessableEntityError, False),
    ("LimitExceededException", "GetMeeting", chime_calls.ResourceLimitExceededError, False),
    ("ThrottlingException", "GetMeeting", chime_calls.ThrottledError, True),
    ("ServiceFailureException", "GetMeeting", chime_calls.ServiceFailureError, True),
    ("ServiceUnavailableException", "GetMeeting", chime_calls.ServiceUnavailableError, True),
    (
        "UnauthorizedClientException",
        "CreateSipMediaApplicationCall",
        chime_calls.UnauthorizedError,
        False,
    ),
    ("AccessDeniedException", "CreateSipMediaApplicationCall", chime_calls.ForbiddenError, False),
    (
        "ResourceLimitExceededException",
        "CreateSipMediaApplicationCall",
        chime_calls.ResourceLimitExceededError,
        False,
    ),
    ("ThrottledClientException", "CreateSipMediaApplicationCall", chime_calls.ThrottledError, True),
    (
        "ServiceFailureException",
        "CreateSipMediaApplicationCall",
        chime_calls.ServiceFailureError,
        False,
    ),
    ("GoneException", "CreateSipMediaApplicationCall", chime_calls.ServiceError, False),
    ("SomethingNewException", "GetMeeting", chime_calls.ServiceError, False),
]


def _call(calls: ChimeCalls, operation: str) -> None:
    if operation == "GetMeeting":
        calls.get_meeting(meeting_id=str(uuid.uuid4()))
    else:
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )


@pytest.mark.parametrize(("code", "operation", "expected", "retryable"), ERROR_CASES)
def test_every_error_code_maps_to_its_class(
    fake: ChimeFake, code: str, operation: str, expected: type[ServiceError], retryable: bool
) -> None:
    calls = make_calls(retry=RetryPolicy.off())
    fake.fail_next(operation, code, message="told you so")
    with pytest.raises(ServiceError) as raised:
        _call(calls, operation)
    error = raised.value
    assert type(error) is expected
    assert error.code == code
    assert error.operation == operation
    assert error.service == (
        "chime-sdk-meetings" if operation == "GetMeeting" else "chime-sdk-voice"
    )
    assert error.message == "told you so"
    assert error.request_id is not None
    assert len(error.request_id) == 36
    assert error.retryable is retryable
    assert error.status_code == fake.requests[-1].status
    assert error.status_code is not None
    assert error.status_code >= 400
    assert error.outcome_unknown is (error.status_code >= 500)
    # nothing chained (botocore's exception holds AWS's unscrubbed text); reachable on purpose
    assert error.__cause__ is None
    assert error.__context__ is None
    assert isinstance(error.unredacted_cause, ClientError)
    assert str(error).startswith(f"[request {error.request_id}]")
    clone = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(clone), clone.code, clone.request_id) == (expected, code, error.request_id)


def test_undeclared_429_is_a_throttle(fake: ChimeFake) -> None:
    fake.fail_next("GetMeeting", "TooManyRequests", status=429)
    with pytest.raises(chime_calls.ThrottledError):
        make_calls(retry=RetryPolicy.off()).get_meeting(meeting_id=str(uuid.uuid4()))


def test_transport_errors_are_typed(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, retry=RetryPolicy.off())
    fake.fail_connection("GetMeeting", kind="dns")
    with pytest.raises(ConnectError) as connect:
        calls.get_meeting(meeting_id=str(uuid.uuid4()))
    assert connect.value.retryable
    assert not connect.value.outcome_unknown
    assert connect.value.operation == "GetMeeting"
    fake.lose_answer("CreateSipMediaApplicationCall", kind="read-timeout")
    with pytest.raises(ResponseLostError) as lost:
        calls.create_sip_media_application_call(
            sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
        )
    assert lost.value.outcome_unknown
    assert not lost.value.retryable
    assert chime_calls.is_retry_safe(connect.value)
    assert not chime_calls.is_retry_safe(lost.value)
    assert not chime_calls.is_retry_safe(ValueError())


def test_gateway_timeout_without_json_is_a_server_error(fake: ChimeFake) -> None:
    calls = make_calls(retry=RetryPolicy.off())
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    fake.lose_answer("GetMeeting", kind="504")
    with pytest.raises(ServiceError) as gateway:
        calls.get_meeting(meeting_id=meeting.meeting_id)
    assert gateway.value.status_code == 504
    assert gateway.value.fault == "server"
    assert gateway.value.outcome_unknown


def test_update_sip_media_application_call(fake: ChimeFake, calls: ChimeCalls) -> None:
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-1", from_phone_number=FROM, to_phone_number=TO
    )
    updated = calls.update_sip_media_application_call(
        sip_media_application_id="sma-1",
        transaction_id=call.transaction_id,
        arguments={"Action": "Hangup"},
    )
    assert updated.transaction_id == call.transaction_id
    assert fake.call_updates[0].arguments == {"Action": "Hangup"}
    with pytest.raises(NotFoundError):
        calls.update_sip_media_application_call(
            sip_media_application_id="sma-1", transaction_id=str(uuid.uuid4()), arguments={}
        )


def test_update_defaults_to_the_facades_sip_media_application(fake: ChimeFake) -> None:
    fake.provision_sip_media_application("sma-2", phone_number=OTHER_FROM, region=REGION)
    calls = make_calls(sip_media_application_id="sma-2")
    call = calls.create_sip_media_application_call(
        sip_media_application_id="sma-2", from_phone_number=OTHER_FROM, to_phone_number=TO
    )
    calls.update_sip_media_application_call(
        transaction_id=call.transaction_id, arguments={"Action": "Hangup"}
    )
    assert [u.sip_media_application_id for u in fake.call_updates] == ["sma-2"]
    with pytest.raises(ValidationError, match="sip_media_application_id"):
        calls.update_sip_media_application_call(
            sip_media_application_id=" ", transaction_id=call.transaction_id, arguments={}
        )
    with pytest.raises(ConfigurationError, match="sip_media_application_id"):
        make_calls().update_sip_media_application_call(
            transaction_id=call.transaction_id, arguments={}
        )
    assert len(fake.call_updates) == 1


def test_dial_out_by_namespace(fake: ChimeFake, calls: ChimeCalls) -> None:
    meeting = calls.create_meeting(external_meeting_id="mt", media_region="eu-west-2")
    attendee = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="ab")
    assert attendee.join_token is not None
    via_sma = calls.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=FROM,
        to_phone_number=TO,
        join_token=attendee.join_token,
        correlation_id="c-1",
    )
    assert via_sma.path == "sip-media-application"
    placed = fake.calls[-1]
    assert placed.sip_media_application_id == "sma-1"
    assert placed.arguments_map == {
        chime_calls.models.ARG_MEETING_ID: meeting.meeting_id,
        chime_calls.models.ARG_JOIN_TOKEN: attendee.join_token.reveal(),
        chime_calls.models.ARG_CORRELATION_ID: "c-1",
    }
    legacy = make_calls(namespace="legacy")
    via_legacy = legacy.dial_out(
        meeting_id=meeting.meeting_id,
        from_phone_number=FROM,
        to_phone_number=TO,
        join_token=attendee.join_token,
    )
    assert via_legacy.path == "legacy"
    assert fake.calls[-1].kind == "meeting-dial-out"
    with pytest.raises(ConfigurationError, match="sip_media_application_id"):
        make_calls().dial_out(
            meeting_id=meeting.meeting_id,
            from_phone_number=FROM,
            to_phone_number=TO,
            join_token=attendee.join_token,
        )


def test_list_attendees_pages_through_a_meeting(calls: ChimeCalls) -> None:
    meeting = calls.create_meeting(external_meeting_id="standup", media_region=REGION)
    for name in ("alice", "bob", "carol"):
        calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id=name)
    first = calls.list_attendees(meeting_id=meeting.meeting_id, max_results=2)
    assert len(first.attendees) == 2
    assert first.next_token is not None
    rest = calls.list_attendees(meeting_id=meeting.meeting_id, next_token=first.next_token)
    assert rest.next_token is None
    seen = [a.external_user_id for a in (*first.attendees, *rest.attendees)]
    assert seen == ["alice", "bob", "carol"]  # compare equal to the plain strings
    with pytest.raises(chime_calls.ValidationError, match="max_results"):
        calls.list_attendees(meeting_id=meeting.meeting_id, max_results=101)
