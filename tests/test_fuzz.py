"""Property-based fuzzing of every validated member of every request type against an oracle.

The oracle reads each constraint straight from the installed botocore model (never from
chime_calls' generated data) and applies it as the service does: the whole value must match the
pattern (ECMAScript semantics: chime_calls._ecma, which tests/test_ecma.py checks against a real
ECMAScript engine), lengths count Unicode scalar values, and a lone surrogate cannot be sent.
The package must agree on every input, and nothing but ValidationError may ever escape.

Cases come from the model (tests/_model.py): a new request type is fuzzed without a new row.
The example count follows the hypothesis profile (conftest.py): small by default, full in CI.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chime_calls import DialOutRequest, JoinToken, ValidationError
from chime_calls._ecma import conforms
from chime_calls._spec import Request
from tests._model import (
    aws_requests,
    examples_for,
    full_for,
    kwargs,
    older_than_the_data,
    operation_model,
    routes,
    service_model,
    walk,
)

GUID = "11111111-2222-3333-4444-555555555555"
PHONE = "+12065550100"


def oracle(shape: Any, value: object) -> bool:  # noqa: PLR0911 - one rule per return
    """Would the service accept ``value`` for this scalar shape?"""
    meta = shape.metadata
    if shape.type_name in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        return meta.get("min", value) <= value <= meta.get("max", value)
    if not isinstance(value, str):
        return False
    try:
        text = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return False  # a lone surrogate: no request can carry it
    if "min" in meta and len(text) < meta["min"]:
        return False
    if "max" in meta and len(text) > meta["max"]:
        return False
    if "pattern" in meta and not conforms(meta["pattern"], text):
        return False
    return not (shape.enum and text not in shape.enum)


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
    "\ud83d",  # a lone surrogate
    "\x00",
]
tricky_text = st.text(alphabet=st.sampled_from(TRICKY), max_size=24)
long_text = st.integers(min_value=0, max_value=2100).map(lambda n: "a" * n)
non_strings = st.one_of(st.integers(), st.floats(), st.binary(), st.lists(st.integers()))


def candidates(shape: Any) -> st.SearchStrategy[object]:
    meta = shape.metadata
    if shape.type_name in ("integer", "long"):
        low = meta.get("min", 0)
        high = meta.get("max", low + 100)
        return st.one_of(st.integers(low - 3, high + 3), st.booleans(), st.just("5"))
    parts: list[st.SearchStrategy[Any]] = [tricky_text, st.text(max_size=80), long_text]
    parts.append(non_strings)
    pattern = meta.get("pattern")
    if pattern and "${" not in pattern:
        # Near-valid values: Python's reading of the pattern, plus edge characters around it.
        near = st.from_regex(pattern.replace("\\d", "[0-9]"), fullmatch=False)
        parts += [near, st.tuples(near, st.sampled_from(["\n", "\u00a0", "", " "])).map("".join)]
    if shape.enum:
        parts.append(st.sampled_from(list(shape.enum)))
    return st.one_of(parts)


def _replace(params: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """``params`` with the value at ``path`` replaced (a list at index 0, a map at its first
    entry: its value for ``{}``, its key for ``{key}``)."""
    out = copy.deepcopy(params)
    node: Any = out
    *steps, last = path
    for step in steps:
        if step == "[]":
            node = node[0]
        elif step == "{}":
            node = node[next(iter(node))]
        else:
            node = node[step]
    if last == "[]":
        node[0] = value
    elif last == "{}":
        node[next(iter(node))] = value
    elif last == "{key}":
        node[value] = node.pop(next(iter(node)))
    else:
        node[last] = value
    return out


def _member_cases() -> list[Any]:
    cases = []
    for param in routes():
        namespace, cls, service = param.values
        model = operation_model_or_none(service, cls.spec.operation)
        if model is None:
            continue
        for path, shape in walk(model.input_shape):
            if path and older_than_the_data(service, cls.spec.operation, path, shape):
                continue  # (an older botocore's constraint: the package applies the newer)
            if path and shape.type_name in ("string", "integer", "long"):
                where = ".".join(map(str, path))
                cases.append(
                    pytest.param(
                        namespace,
                        cls,
                        service,
                        path,
                        id=f"{namespace}-{cls.spec.operation}.{where}",
                    )
                )
    return cases


def operation_model_or_none(service: str, operation: str) -> Any:
    model = service_model(service)
    return model.operation_model(operation) if operation in model.operation_names else None


def _shape_at(shape: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if step == "[]":
            shape = shape.member
        elif step == "{}":
            shape = shape.value
        elif step == "{key}":
            shape = shape.key
        else:
            shape = shape.members[step]
    return shape


@pytest.mark.parametrize(("namespace", "cls", "service", "path"), _member_cases())
def test_every_member_agrees_with_the_model_oracle(
    namespace: str, cls: type[Request[Any]], service: str, path: tuple[Any, ...]
) -> None:
    op = operation_model(service, cls.spec.operation)
    shape = _shape_at(op.input_shape, path)
    base = full_for(cls, service)
    if path[0] not in base:
        pytest.skip(f"{cls.__name__} declares no {path[0]} (a member only this model has)")

    values = candidates(shape)
    if path[-1] == "{key}":  # a map key must be hashable to be a key at all
        values = values.filter(lambda v: isinstance(v, (str, int, float, bytes)))

    @examples_for(shape)
    @given(values)
    def check(value: object) -> None:
        params = _replace(base, path, value)
        documented = False
        try:
            request = cls(**kwargs(params))
            request.validate_for(namespace)
        except ValidationError as exc:
            accepted = False
            # a rule AWS states across members (content needs video), which this per-member
            # oracle cannot see; checked only once every member is valid on its own
            documented = all(v.rule == "documented" for v in exc.violations)
        else:
            accepted = True
        # A URL path segment of "." or ".." would address another resource: the package
        # refuses it on purpose (chime_calls._fields._path_segment), the model cannot say so.
        in_path = (
            len(path) == 1
            and op.input_shape.members[path[0]].serialization.get("location") == "uri"
        )
        expected = oracle(shape, value) and not (in_path and value in (".", ".."))
        assert accepted is expected or documented, repr(value)

    check()


_TOKEN = service_model("chime-sdk-meetings").shape_for("JoinTokenString")


@given(candidates(_TOKEN))
def test_join_token_agrees_with_the_model_oracle(value: object) -> None:
    shape = _TOKEN
    try:
        JoinToken(value)  # type: ignore[arg-type]
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted is oracle(shape, value)


@pytest.mark.parametrize("namespace", ["sdk", "legacy"])
@given(token=st.one_of(tricky_text, st.from_regex(r"[a-zA-Z0-9+/]{2,6}", fullmatch=True)))
def test_dial_out_token_agrees_with_each_namespaces_model(namespace: str, token: str) -> None:
    service = "chime" if namespace == "legacy" else "chime-sdk-meetings"
    shape = service_model(service).shape_for("JoinTokenString")
    try:
        DialOutRequest(
            meeting_id=GUID, from_phone_number=PHONE, to_phone_number=PHONE, join_token=token
        ).validate_for(namespace)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted is oracle(shape, token)


garbage = st.one_of(
    st.none(),
    tricky_text,
    non_strings,
    st.dictionaries(st.one_of(tricky_text, st.integers()), st.one_of(tricky_text, st.none())),
    st.lists(st.one_of(tricky_text, st.dictionaries(tricky_text, tricky_text)), max_size=3),
)


@pytest.mark.parametrize("cls", [pytest.param(c, id=c.__name__) for c in aws_requests()])
def test_only_validation_errors_escape(cls: type[Request[Any]]) -> None:
    """Garbage for any field: the request is built, or one ValidationError says why."""
    import attrs

    fields = [f.name for f in attrs.fields(cls) if not f.metadata.get("local")]

    @given(st.fixed_dictionaries({}, optional={name: garbage for name in fields}))
    def check(values: dict[str, Any]) -> None:
        required = {
            f.name: values.get(f.name) for f in attrs.fields(cls) if f.default is attrs.NOTHING
        }
        for namespace in cls.spec.namespaces:
            for violation in _violations(cls, {**values, **required}, namespace):
                assert violation.field.split(".")[0].split("[")[0] in fields

    check()


def _violations(cls: type[Request[Any]], values: dict[str, Any], namespace: str) -> list[Any]:
    """The violations building and validating the request raises (only ValidationError may
    escape, and it names at least one)."""
    try:
        cls(**values).validate_for(namespace)
    except ValidationError as exc:
        assert exc.violations  # noqa: PT017 - the exception is the result under test
        return list(exc.violations)
    return []


def test_sip_maps_agree_with_the_model() -> None:
    """The SIP maps' size limit and str-to-str rule, from the model."""
    service, operation = "chime-sdk-voice", "CreateSipMediaApplicationCall"
    shape = operation_model(service, operation).input_shape.members["SipHeaders"]
    cls = next(c for c in aws_requests() if c.spec.operation == operation)

    @given(
        st.dictionaries(
            st.one_of(st.text(max_size=5), st.integers()),
            st.one_of(st.text(max_size=5), st.none()),
            max_size=25,
        )
    )
    def check(mapping: dict[Any, Any]) -> None:
        expected = len(mapping) <= shape.metadata["max"] and all(
            oracle(shape.key, k) and oracle(shape.value, v) for k, v in mapping.items()
        )
        params = {**full_for(cls, service), "SipHeaders": mapping}
        try:
            cls(**kwargs(params))
        except ValidationError:
            accepted = False
        else:
            accepted = True
        assert accepted is expected

    check()
