"""Proof that the facade may skip botocore's parameter validation for its own clients.

The facade's clients are created with ``Config(parameter_validation=False)``, which skips
botocore's ``ParamValidator`` pass (types, required members, ``min`` lengths and sizes, unknown
members). That is only sound if nothing the facade can send would fail that pass. For every
wrapped operation, in every namespace the installed botocore models it in:

* the input shape uses only what these tests exercise (structures, strings, integers, lists,
  maps; no unions, documents, JSON-value headers or host labels);
* every constraint ParamValidator checks, derived from the model and violated one at a time
  on an otherwise valid request, is rejected by the package before anything is sent;
* for requests generated from the model (valid, boundary and wrong-typed values), whenever the
  package accepts one, ParamValidator finds nothing wrong with what the package serialises.

Also here: ``validate_for`` (which re-checks only the namespace-dependent rules) raises exactly
when ``violations(namespace)`` is non-empty.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections.abc import Iterator
from typing import Any

import attrs
import botocore.session
import pytest
from botocore import xform_name
from botocore.validate import ParamValidationDecorator, ParamValidator
from hypothesis import example, given
from hypothesis import strategies as st

from chime_calls import (
    ChimeCalls,
    DialOutRequest,
    UnsupportedOperationError,
    ValidationError,
    _shapes,
)
from chime_calls._pipeline import unmodelled
from chime_calls._spec import Request
from tests._model import examples_for, full_for, kwargs, operation_model, routes

SESSION = botocore.session.get_session()
GUID = "11111111-2222-3333-4444-555555555555"
PHONE = "+12065550100"
SUPPORTED_TYPES = {"structure", "string", "integer", "list", "map", "boolean"}
CASES = list(routes(with_input=True))


def _package_sends(
    cls: type[Request[Any]], params: dict[str, Any], namespace: str, op: Any
) -> dict[str, Any] | None:
    """What the facade would hand botocore for these parameters, or None if it refuses."""
    try:
        request = cls(**kwargs(params))
        request.validate_for(namespace)
        sent = request.to_params()
        for path in unmodelled(cls, op.input_shape):  # the facade's installed-model check
            value: Any = sent
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                raise UnsupportedOperationError(
                    "unmodelled", operation=op.name, namespace=namespace, replacement=None
                )
    except (ValidationError, UnsupportedOperationError):
        return None
    except TypeError as exc:  # a required or unknown keyword argument: nothing is sent
        if "keyword" not in str(exc):
            raise
        return None
    return sent


def _botocore_errors(params: dict[str, Any], shape: Any) -> str:
    report = ParamValidator().validate(params, shape)
    return str(report.generate_report()) if report.has_errors() else ""


# --- the shapes use only what is exercised below ------------------------------------------


def _walk(shape: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, shape
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            yield from _walk(member, f"{path}.{name}")
    elif shape.type_name == "list":
        yield from _walk(shape.member, f"{path}[]")
    elif shape.type_name == "map":
        yield from _walk(shape.key, f"{path}{{key}}")
        yield from _walk(shape.value, f"{path}{{value}}")


@pytest.mark.parametrize(("namespace", "cls", "service"), CASES)
def test_input_shapes_use_only_exercised_features(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    op = operation_model(service, cls.spec.operation)
    for path, shape in _walk(op.input_shape, cls.spec.operation):
        assert shape.type_name in SUPPORTED_TYPES, (path, shape.type_name)
        assert not shape.metadata.get("union"), path
        assert not shape.metadata.get("document"), path
        assert not (shape.serialization or {}).get("hostLabel"), path
        assert not (shape.serialization or {}).get("jsonvalue"), path


# --- every checked constraint, violated one at a time --------------------------------------


def _at(params: dict[str, Any], steps: tuple[Any, ...]) -> Any:
    for step in steps:
        params = params[step]
    return params


def _violations(
    shape: Any, value: Any, steps: tuple[Any, ...], service: str = ""
) -> Iterator[tuple[str, tuple[Any, ...], Any]]:
    """(description, where, replacement) for each check ParamValidator makes on ``value``."""
    where = "/".join(map(str, steps)) or "(request)"
    kind = shape.type_name
    if steps:  # (the request itself is keyword arguments, never another type)
        yield f"{where}: wrong type", steps, 3.5 if kind != "integer" else "1"
    minimum = shape.metadata.get("min")
    if kind == "string" and minimum:
        yield f"{where}: shorter than {minimum}", steps, "a" * (minimum - 1)
    if kind == "integer" and minimum is not None:
        yield f"{where}: below {minimum}", steps, minimum - 1
    if kind == "list":
        if minimum:
            yield f"{where}: fewer than {minimum} items", steps, value[: minimum - 1]
        for i, item in enumerate(value):
            yield from _violations(shape.member, item, (*steps, i), service)
    if kind == "map":
        for key, item in value.items():
            yield f"{where}: non-string key", steps, {**value, 7: item}
            yield from _violations(shape.value, item, (*steps, key), service)
    if kind == "structure":
        for name in shape.required_members:
            if not _still_required(service, shape, name):
                continue  # required by an older model only: the package follows the newer
            yield (
                f"{where}: missing {name}",
                steps,
                {k: v for k, v in value.items() if k != name},
            )
        yield f"{where}: unknown member", steps, {**value, "NotAMember": "x"}
        for name, item in value.items():
            yield from _violations(shape.members[name], item, (*steps, name), service)


def _still_required(service: str, shape: Any, name: str) -> bool:
    """Whether the data chime-calls is built from also requires ``name`` (botocore 1.37.1
    required VoiceConnectorItem's Priority; the current model does not)."""
    row = _shapes.load(service).SHAPES.get(shape.name) if service else None
    return row is None or name in row[2]


def _replace(params: dict[str, Any], steps: tuple[Any, ...], value: Any) -> dict[str, Any]:
    if not steps:
        return value  # type: ignore[no-any-return]
    out = copy.deepcopy(params)
    _at(out, steps[:-1])[steps[-1]] = value
    return out


def _fit(value: Any, shape: Any) -> Any:
    """``value`` without the structure members ``shape`` (this botocore's model) lacks."""
    if shape.type_name == "structure":
        return {k: _fit(v, shape.members[k]) for k, v in value.items() if k in shape.members}
    if shape.type_name == "list":
        return [_fit(item, shape.member) for item in value]
    return value


def _full(op: Any, cls: type[Request[Any]]) -> dict[str, Any]:
    """A valid request setting every member the request type declares, from this botocore's
    model (a legacy-only member such as legacy CreateAttendee's Tags has no field: the facade
    never sends it)."""
    return full_for(cls, op.service_model.service_name)


@pytest.mark.parametrize(("namespace", "cls", "service"), CASES)
def test_each_checked_constraint_is_enforced_by_the_package(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    op = operation_model(service, cls.spec.operation)
    shape = op.input_shape
    base = _full(op, cls)
    assert _botocore_errors(base, shape) == ""
    sent = _package_sends(cls, base, namespace, op)
    assert sent is not None, "the base request must be valid for the package"
    # Required members the package fills in itself (CreateMeeting's idempotency token,
    # UpdateSipMediaApplicationCall's Arguments, empty by default).
    defaults = {a.alias for a in attrs.fields(cls) if isinstance(a.default, attrs.Factory)}
    filled = {
        f"(request): missing {name}"
        for name in shape.required_members
        if xform_name(name) in defaults
    }
    checked = 0
    for description, steps, value in _violations(shape, base, (), service):
        params = _replace(base, steps, value)
        if not _botocore_errors(params, shape):
            continue  # e.g. a wrong type botocore happens to accept
        checked += 1
        sent = _package_sends(cls, params, namespace, op)
        if description in filled:
            assert sent is not None
            assert _botocore_errors(sent, shape) == ""
        else:
            assert sent is None, description
    assert checked >= len(base)


# --- generated requests ---------------------------------------------------------------------

NOT_STRINGS = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans())


def _strings(shape: Any) -> st.SearchStrategy[Any]:
    meta = shape.metadata
    parts: list[st.SearchStrategy[Any]] = [st.text(max_size=12), NOT_STRINGS]
    lengths = {0, 1, 2, 3}
    for bound in (meta.get("min"), meta.get("max")):
        if bound is not None:
            lengths |= {bound - 1, bound, bound + 1}
    parts.append(st.sampled_from(sorted(n for n in lengths if n >= 0)).map(lambda n: "7" * n))
    if shape.enum:
        parts.append(st.sampled_from(list(shape.enum)))
    if meta.get("pattern"):
        pattern = meta["pattern"].replace("\\d", "[0-9]")
        with contextlib.suppress(re.error):  # (ClientRequestId's ``${2,64}`` is no Python regex)
            parts.append(st.from_regex(re.compile(pattern), fullmatch=False))
    return st.one_of(parts)


def _values(shape: Any) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "string":
        return _strings(shape)
    if kind == "integer":
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", low + 10)
        return st.one_of(st.integers(low - 2, high + 2), st.booleans(), st.just("5"))
    if kind == "boolean":
        return st.one_of(st.booleans(), st.none(), st.integers(0, 1), st.just("true"))
    if kind == "list":
        return st.one_of(st.lists(_values(shape.member), max_size=6), NOT_STRINGS, st.text())
    if kind == "map":
        return st.one_of(
            st.dictionaries(
                st.one_of(_values(shape.key), st.integers()), _values(shape.value), max_size=4
            ),
            NOT_STRINGS,
        )
    assert kind == "structure", kind
    members = {name: _values(member) for name, member in shape.members.items()}
    required = {name: members[name] for name in shape.required_members}
    optional = {k: v for k, v in members.items() if k not in required}
    return st.one_of(
        st.fixed_dictionaries(required, optional=optional),
        st.fixed_dictionaries({}, optional=members),
        st.fixed_dictionaries(required, optional={**optional, "NotAMember": st.text()}),
        NOT_STRINGS,
    )


def _requests(op: Any, cls: type[Request[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Whole requests: the valid one with up to two members generated and up to two left out."""
    base = _full(op, cls)
    members = op.input_shape.members
    names = st.sets(st.sampled_from(sorted(members)), max_size=2)

    def build(choice: tuple[set[str], set[str]]) -> st.SearchStrategy[dict[str, Any]]:
        generated, dropped = choice
        kept = {k: v for k, v in base.items() if k not in dropped}
        return st.fixed_dictionaries(
            {
                n: st.one_of(st.just(base[n]), _values(members[n]))
                if n in base
                else _values(members[n])
                for n in generated
            }
        ).map(lambda values: {**kept, **values})

    return st.tuples(names, names).flatmap(build)


@pytest.mark.parametrize(("namespace", "cls", "service"), CASES)
def test_whatever_the_package_sends_passes_botocore_validation(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    op = operation_model(service, cls.spec.operation)
    shape = op.input_shape
    outcomes = {"sent": 0, "refused": 0}
    # Always one request the package must refuse (a member of the wrong type), so that an
    # operation whose members are all optional and loosely constrained cannot pass vacuously.
    wrong = {**_full(op, cls), sorted(shape.members)[0]: object()}

    @examples_for(shape)
    @given(_requests(op, cls))
    @example(wrong)
    def check(params: dict[str, Any]) -> None:
        sent = _package_sends(cls, params, namespace, op)
        if sent is None:
            outcomes["refused"] += 1
            return
        outcomes["sent"] += 1
        assert _botocore_errors(sent, shape) == ""

    check()
    assert outcomes["sent"] >= 1, outcomes  # the property was exercised, not vacuous
    assert outcomes["refused"] >= 1, outcomes


# --- validate_for re-checks only what differs by namespace ----------------------------------


@pytest.mark.parametrize(("namespace", "cls", "service"), CASES)
def test_validate_for_raises_exactly_when_the_namespace_has_violations(
    namespace: str, cls: type[Request[Any]], service: str
) -> None:
    op = operation_model(service, cls.spec.operation)

    @examples_for(op.input_shape)
    @given(_requests(op, cls))
    def check(params: dict[str, Any]) -> None:
        try:
            request = cls(**kwargs(params))
        except (ValidationError, TypeError):
            return
        assert request.violations(None) == []  # construction checked the shared rules
        assert _raised(request, namespace) == request.violations(namespace)

    check()


def _raised(request: Request[Any], namespace: str) -> list[Any]:
    """The violations ``validate_for`` raises (none when it does not raise)."""
    try:
        request.validate_for(namespace)
    except ValidationError as exc:
        return list(exc.violations)
    return []


@pytest.mark.parametrize("namespace", ["sdk", "legacy"])
@given(token=st.one_of(st.text(max_size=8), st.from_regex(r"[a-zA-Z0-9+/]{2,6}", fullmatch=True)))
def test_validate_for_agrees_with_violations_dial_out(namespace: str, token: str) -> None:
    try:
        request = DialOutRequest(
            meeting_id=GUID, from_phone_number=PHONE, to_phone_number=PHONE, join_token=token
        )
    except ValidationError:
        return
    assert _raised(request, namespace) == request.violations(namespace)


# --- the facade uses it only for its own clients --------------------------------------------


def _validates(client: Any) -> bool:
    # botocore wraps the serializer in ParamValidationDecorator when validation is on (the
    # client's meta.config does not record the setting).
    return isinstance(client._serializer, ParamValidationDecorator)


def test_only_the_facades_own_clients_skip_botocore_validation() -> None:
    import boto3
    from botocore.config import Config

    from chime_calls import client_config

    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    assert _validates(session.client("chime-sdk-meetings"))
    own = ChimeCalls(session=session, region_name="us-east-1").client("chime-sdk-meetings")
    assert not _validates(own)
    mine = session.client("chime-sdk-voice", config=client_config())
    assert _validates(mine)  # client_config() leaves botocore's validation on
    assert _validates(ChimeCalls(clients={"chime-sdk-voice": mine}).client("chime-sdk-voice"))
    explicit = ChimeCalls(
        session=session, region_name="us-east-1", config=Config(parameter_validation=True)
    ).client("chime-sdk-meetings")
    assert _validates(explicit)  # an explicit choice wins
