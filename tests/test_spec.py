"""Every request type has a complete spec that fits its operation's model (no table to update).

A new request type is covered here by existing: its spec names an operation the data has, each
field names a member of the model, sensitive members are held in redacting types, its result
type's fields are members of the answer, and a request built from the model alone round-trips.
"""

from __future__ import annotations

from typing import Any

import attrs
import botocore
import pytest

from chime_calls import ChimeCalls, OperationKind, Request, _shapes, models
from chime_calls._codec import parse
from chime_calls._fields import SpecError, flatten, hints, member_name
from chime_calls._rules import _Struct
from chime_calls._spec import operation, plan
from chime_calls.values import SensitiveMap, SensitiveValue
from tests._model import (
    aws_requests,
    example,
    full,
    kwargs,
    operation_model,
    request_types,
    routes,
)

REQUESTS = [pytest.param(cls, id=cls.__name__) for cls in request_types()]


def test_the_seed_operations_and_more_are_found() -> None:
    names = {cls.spec.operation for cls in request_types()}
    assert {
        "CreateMeeting",
        "CreateAttendee",
        "GetMeeting",
        "DeleteMeeting",
        "CreateMeetingDialOut",
        "CreateSipMediaApplicationCall",
        "UpdateSipMediaApplicationCall",
        "DialOut",
    } <= names


@pytest.mark.parametrize("cls", REQUESTS)
def test_spec_is_complete_and_the_plan_builds(cls: type[Request[Any]]) -> None:
    spec = cls.spec
    assert isinstance(spec.kind, OperationKind)
    assert spec.namespaces, "a request must be sendable somewhere"
    assert set(spec.services) <= {"sdk", "legacy"}
    assert spec.rate is None or spec.rate > 0
    assert spec.result is None or (attrs.has(spec.result) and issubclass(spec.result, _Struct))
    if spec.kind is OperationKind.CALL_PLACING:
        assert "Call" in spec.operation or "DialOut" in spec.operation
    built = plan(cls)  # every field names a member; sensitive members are redacted
    assert built.check is not None


@pytest.mark.parametrize(("namespace", "cls", "service"), list(routes()))
def test_fields_are_the_operations_members(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    op = operation_model(service, cls.spec.operation)
    members = op.input_shape.members if op.input_shape is not None else {}
    declared = {member_name(f) for f in attrs.fields(cls) if not f.metadata.get("local")}
    if namespace == "sdk":  # the SDK namespace's every member can be set
        assert set(members) <= declared, f"{cls.__name__} lacks {set(members) - declared}"
    if not members:  # an operation without input (GetGlobalSettings): a type without fields
        assert declared == set()
        return
    assert declared & set(members), "no field names a member of this namespace's input"


@pytest.mark.parametrize(("namespace", "cls", "service"), list(routes()))
def test_a_request_built_from_the_model_round_trips(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    params = full(service, cls.spec.operation)
    declared = {member_name(f) for f in attrs.fields(cls) if not f.metadata.get("local")}
    params = {k: v for k, v in params.items() if k in declared}
    request = cls(**kwargs(params))
    request.validate_for(namespace)
    sent = request.to_params()
    expected = dict(params)
    for name, value in sent.items():  # members the request type fills itself (a token)
        expected.setdefault(name, value)
    assert sent == expected
    printable = _printable_values(request)  # tags: documented as labels (models.Tag)
    for secret in request.sensitive_values():  # no other secret in the repr
        if secret not in printable:
            assert secret not in repr(request)


def _printable_values(value: Any) -> set[str]:
    """Values of fields documented as printable although a model marks them sensitive."""
    found: set[str] = set()
    if isinstance(value, (tuple, list)):
        for item in value:
            found |= _printable_values(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.metadata.get("printable") and isinstance(item, str):
                found.add(item)
            else:
                found |= _printable_values(item)
    return found


def _result_shape(cls: type[Request[Any]], service: str) -> Any:
    op = operation_model(service, cls.spec.operation)
    shape = op.output_shape
    if cls.spec.unwrap is not None:
        shape = shape.members[cls.spec.unwrap]
    return shape


def _check_result_type(
    result: type[Any], shape: Any, seen: set[type[Any]], *, at_source: bool = True
) -> None:
    """Every field is a member of the answer. An older botocore than the one the package is
    built from may lack newer members: those fields must then have a default (they parse as
    ``None``, as an older service's answer would)."""
    if result in seen:
        return
    seen.add(result)
    annotations = hints(result)
    for field in attrs.fields(result):
        if field.metadata.get("local"):
            continue
        name = member_name(field)
        if name not in shape.members and not at_source:
            assert field.default is not attrs.NOTHING, f"{result.__name__}.{field.name}"
            continue
        assert name in shape.members, f"{result.__name__}.{field.name}: no {name} in {shape.name}"
        member = shape.members[name]
        kinds = flatten(annotations[field.name])
        if member.type_name == "string" and member.metadata.get("sensitive"):
            assert any(
                isinstance(k, type) and issubclass(k, (SensitiveValue, SensitiveMap)) for k in kinds
            ), f"{result.__name__}.{field.name} holds a sensitive {member.name} in plain text"
        for kind in kinds:
            if isinstance(kind, type) and attrs.has(kind):
                _check_result_type(kind, member, seen, at_source=at_source)
            for arg in getattr(kind, "__args__", ()):
                if isinstance(arg, type) and attrs.has(arg) and member.type_name == "list":
                    _check_result_type(arg, member.member, seen, at_source=at_source)


@pytest.mark.parametrize(("namespace", "cls", "service"), list(routes()))
def test_result_types_are_the_answers_members(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    result = cls.spec.result
    if result is None:
        return
    shape = _result_shape(cls, service)
    if namespace == "sdk":  # the legacy answers lack newer members (they parse as None)
        source = _shapes.load(service).SOURCE
        at_source = source.startswith(f"botocore {botocore.__version__},")
        _check_result_type(result, shape, set(), at_source=at_source)
    answer = example(shape)
    parsed = parse(result, answer)
    assert isinstance(parsed, result)
    assert "ResponseMetadata" not in repr(parsed)


def test_a_field_naming_no_member_fails_when_the_plan_is_built() -> None:
    @operation("GetMeeting", service="chime-sdk-meetings", kind=OperationKind.IDEMPOTENT)
    @attrs.frozen(kw_only=True)
    class Misspelt(Request[models.Meeting]):
        meeting_idd: str

    with pytest.raises(SpecError, match="MeetingIdd is not a member"):
        plan(Misspelt)


def test_a_sensitive_member_in_a_plain_str_fails_when_the_plan_is_built() -> None:
    @operation("CreateAttendee", service="chime-sdk-meetings", kind=OperationKind.AT_MOST_ONCE)
    @attrs.frozen(kw_only=True)
    class Leaky(Request[models.Attendee]):
        meeting_id: str
        external_user_id: str

    with pytest.raises(SpecError, match="ExternalUserId is sensitive"):
        plan(Leaky)


def test_a_request_type_without_a_spec_is_refused() -> None:
    @attrs.frozen(kw_only=True)
    class NoSpec(Request[models.Meeting]):
        meeting_id: str

    with pytest.raises(SpecError, match="no @operation spec"):
        NoSpec(meeting_id="x")


@pytest.mark.parametrize("bad", [None, "GetMeeting", {"MeetingId": "x"}, object()])
def test_send_refuses_what_is_not_a_request(bad: object) -> None:
    calls = ChimeCalls(region_name="eu-west-2")
    with pytest.raises(TypeError, match=r"send\(\) takes a chime_calls request"):
        calls.send(bad)  # type: ignore[arg-type]


def test_every_aws_request_type_has_a_documented_rate_or_none() -> None:
    rated = {cls.spec.operation: cls.spec.rate for cls in aws_requests() if cls.spec.rate}
    assert rated["CreateSipMediaApplicationCall"] == 1.0
    assert rated["CreateMeeting"] == 10.0
