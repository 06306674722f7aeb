"""Test helpers that read the installed botocore models, never chime_calls' generated data.

They give every request type of the package a valid request built from the model alone, so the
contract, proof, fuzz and linear-time tests cover a new operation without a new table: a new
pattern needs one example in ``PATTERN_EXAMPLES``, nothing else.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from chime_calls._ecma import conforms
from chime_calls._spec import Request, all_request_types

SESSION = botocore.session.get_session()
GUID = "11111111-2222-3333-4444-555555555555"
PHONE = "+12065550100"

#: One valid value per model pattern (the whole value must match). A new pattern in a new
#: botocore fails tests/test_model_helpers.py until it has one.
PATTERN_EXAMPLES: dict[str, str] = {
    # (also a VoiceConnectorId: botocore 1.37.1 gives that member the shape NonEmptyString)
    r".*\S.*": "abcdefghij0123456789a",
    r"[a-zA-Z0-9 _.-]+": "my app",
    r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}": GUID,
    r"^arn[\/\:\-\_\.a-zA-Z0-9]+$": "arn:aws:sns:us-east-1:111122223333:topic",
    r"[-_a-zA-Z0-9]*": "token-0001",
    r"[A-Z]{2}": "US",
    r"^$|^[a-zA-Z0-9 ]{2,15}$": "Acme",
    r"^\+?[1-9]\d{1,14}$": PHONE,
    r"^8(00|33|44|55|66|77|88)$": "800",
    r"^arn:.*": "arn:aws:chime:us-east-1:111122223333:meeting/" + GUID,
    r"^[a-zA-Z+-=._:/]+$": "team",
    r"[\s\w+-=\.:/@]*": "ops",
    r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$": "tenant-1",
    r"^[0-9a-zA-Z._-]+": "model-1",
    r"^[a-zA-Z-,]+": "en-US,es-US",
    r"^[A-Z_, ]+": "NAME,ADDRESS",
    r"^[a-zA-Z0-9,-._]+": "vocabulary-1",
    r"amzn1\.application-oa2-client\.[0-9a-fA-F]{32}": "amzn1.application-oa2-client." + "a" * 32,
    r"^$|^[0-9]{3,3}$": "206",
    r"^[-_a-zA-Z0-9]*${2,64}$": "request-1",
    r"^$|^[A-Z]{2,2}$": "US",
    r"arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:function:"
    r"[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?": (
        "arn:aws:lambda:us-east-1:111122223333:function:dial-out"
    ),
    r"^$|^[a-zA-Z0-9\,\.\_\-]+(\s+[a-zA-Z0-9\,\.\_\-]+)*$": "Front desk",
    r"^$|^[a-zA-Z0-9 ]{0,30}$": "session",
    r"(?!(^xn--|.+-s3alias$))^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$": "my-bucket",
    r"([a-z0-9]{21,22}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})": (
        "abcdefghij0123456789a"
    ),
    r"^[a-zA-Z0-9+/]+$": "am9pbnRva2Vu",
}


def service_model(service: str) -> Any:
    return SESSION.get_service_model(service)


def request_types() -> list[type[Request[Any]]]:
    """The package's request types (not the ones tests define to check the spec's errors,
    which live as long as the garbage collector lets them)."""
    return [
        cls
        for cls in all_request_types()
        if vars(cls).get("_defined_in", cls.__module__).startswith("chime_calls")
    ]


def aws_requests() -> list[type[Request[Any]]]:
    """Request types that are one AWS operation (not the virtual dial-out)."""
    return [cls for cls in request_types() if cls.spec.services]


def routes(*, with_input: bool = False) -> Iterator[Any]:
    """pytest params (namespace, request type, service) for every request type and namespace
    (``with_input``: only operations that take parameters, for tests that alter them)."""
    for cls in aws_requests():
        for namespace, service in cls.spec.services.items():
            if with_input and not has_input(service, cls.spec.operation):
                continue
            yield pytest.param(namespace, cls, service, id=f"{namespace}-{cls.spec.operation}")


def has_input(service: str, operation: str) -> bool:
    """Whether the installed model gives ``operation`` an input (``GetGlobalSettings`` has
    none); an operation this botocore lacks counts as having one (its tests skip)."""
    model = service_model(service)
    if operation not in model.operation_names:
        return True
    return model.operation_model(operation).input_shape is not None


def operation_model(service: str, operation: str) -> Any:
    model = service_model(service)
    if operation not in model.operation_names:
        pytest.skip(f"this botocore's {service} model has no {operation}")
    return model.operation_model(operation)


def example(shape: Any, depth: int = 0) -> Any:  # noqa: PLR0911 - one return per type
    """A valid value for ``shape`` that sets every member (the whole value matches patterns)."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        pattern = meta.get("pattern")
        # a sensitive value is recognisable, so tests can assert it is never printed
        plain = "s3cr3t-value" if meta.get("sensitive") else "value"
        value = PATTERN_EXAMPLES[pattern] if pattern else plain
        if pattern and meta.get("sensitive") and conforms(pattern, plain):
            value = plain  # (``.*\S.*`` takes it: not the example a plain ID also gets)
        low = meta.get("min", 0)
        if len(value) < low:
            value = value + "x" * (low - len(value)) if not pattern else value
        return value[: meta["max"]] if "max" in meta else value
    if kind in ("integer", "long"):
        return max(meta.get("min", 1), 1) if "max" not in meta else meta.get("min", 1)
    if kind == "boolean":
        return True
    if kind in ("float", "double"):
        return 1.0
    if kind == "timestamp":
        import datetime

        return datetime.datetime(2026, 11, 29, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return b"blob"
    if kind == "list":
        return [example(shape.member, depth + 1) for _ in range(max(1, meta.get("min", 1)))]
    if kind == "map":
        return {example(shape.key, depth + 1): example(shape.value, depth + 1)}
    assert kind == "structure", kind
    return {name: example(member, depth + 1) for name, member in shape.members.items()}


@functools.cache
def full(service: str, operation: str) -> dict[str, Any]:
    """A valid request for ``operation`` that sets every input member."""
    shape = operation_model(service, operation).input_shape
    return {} if shape is None else dict(example(shape))


def declared(cls: type[Request[Any]]) -> set[str]:
    """The members a request type has fields for (a legacy-only member, such as legacy
    CreateAttendee's ``Tags``, has none: the facade never sends it)."""
    import attrs

    from chime_calls._fields import member_name

    return {member_name(f) for f in attrs.fields(cls) if not f.metadata.get("local")}


def full_for(cls: type[Request[Any]], service: str) -> dict[str, Any]:
    """:func:`full`, restricted to the members ``cls`` declares."""
    names = declared(cls)
    return {k: v for k, v in full(service, cls.spec.operation).items() if k in names}


def kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The request type's keyword arguments for botocore-style parameters (nested structures
    are passed as AWS-cased mappings, which the request types accept)."""
    return {xform_name(k): v for k, v in params.items()}


def walk(shape: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (member path, shape) under ``shape``; ``"[]"`` steps into lists, ``"{}"`` into map
    values and ``"{key}"`` into map keys."""
    if shape is None:  # an operation without input
        return
    yield path, shape
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            yield from walk(member, (*path, name))
    elif shape.type_name == "list":
        yield from walk(shape.member, (*path, "[]"))
    elif shape.type_name == "map":
        yield from walk(shape.key, (*path, "{key}"))
        yield from walk(shape.value, (*path, "{}"))


def older_than_the_data(service: str, operation: str, path: tuple[Any, ...], shape: Any) -> bool:
    """Whether this botocore gives the member at ``path`` of ``operation``'s input other
    constraints than the data chime-calls is built from (an older botocore, like the CI's
    1.37.1: VoiceConnectorId members were plain NonEmptyStrings there). The package applies the
    data's; tests/test_contract.py proves the data equal to the model of the botocore it was
    generated from."""
    from chime_calls import _shapes

    data = _shapes.load(service)
    name = data.OPERATIONS[operation][3]
    for step in path:
        row = data.SHAPES[name]
        if step == "[]":
            name = row[1]
        elif step in ("{}", "{key}"):
            name = row[2] if step == "{}" else row[1]
        else:
            targets = {member: target for member, target, *_ in row[1]}
            if step not in targets:
                return True
            name = targets[step]
    row = data.SHAPES[name]
    meta = shape.metadata
    if shape.type_name == "string":
        return row[1:5] != (
            meta.get("min"),
            meta.get("max"),
            meta.get("pattern"),
            shape.enum or None,
        )
    if shape.type_name in ("integer", "long"):
        return row[1:3] != (meta.get("min"), meta.get("max"))
    return False


def examples_for(shape: Any, *, per_leaf: int = 40, floor: int = 20) -> Any:
    """Hypothesis settings for a property over ``shape``: the loaded profile's examples, scaled
    to the shape's size. A one-string input has little room to explore and saturates within a
    few dozen examples; CI's full strength (``HYPOTHESIS_PROFILE=ci``) goes to the shapes with
    many members, patterns and nesting. The default profile is unchanged (it is lower)."""
    from hypothesis import settings

    leaves = sum(
        1
        for _, member in walk(shape)
        if member.type_name not in ("structure", "list", "map")
        or (member.type_name == "structure" and not member.members)
    )
    if shape is not None and shape.type_name == "string" and shape.metadata.get("pattern"):
        leaves = max(leaves, 8)  # a pattern is where the oracle and the package can disagree
    current = settings().max_examples
    return settings(max_examples=min(current, max(floor, per_leaf * leaves)))
