"""Every chime-sdk-voice operation has a typed method, in one group, and round-trips through
real boto3: answered by the fake where it serves the operation, else a typed 501 from it.

The cases come from the installed model (tests/_model.py): a new operation is covered without
a new row here, and docs/voice.md must list every operation the fake does not serve.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from chime_calls import ChimeCalls, ServiceError, ValidationError, _shapes
from chime_calls._ops import Op
from chime_calls._spec import Request
from chime_calls.testing import ChimeFake
from chime_calls.testing._fake import _SERVED
from chime_calls.voice._groups import GROUPS
from tests._model import full, kwargs, request_types, service_model

VOICE = "chime-sdk-voice"
ROOT = Path(__file__).resolve().parents[2]
SEED = {"CreateSipMediaApplicationCall", "UpdateSipMediaApplicationCall"}  # on the facade itself


def _methods() -> dict[str, tuple[str, str]]:
    """AWS operation -> (group property, method name)."""
    found: dict[str, tuple[str, str]] = {}
    for prop, group in GROUPS.items():
        for name, attr in vars(group).items():
            if isinstance(attr, Op):
                operation = attr.request_type().spec.operation  # type: ignore[attr-defined]
                assert operation not in found, f"{operation} has two methods"
                found[operation] = (prop, name)
    return found


METHODS = _methods()


def _deprecated() -> set[str]:
    """What the data chime-calls is built from marks deprecated (tests/test_contract.py keeps
    it equal to the installed model on the botocore it was generated from; an older botocore,
    like the CI's 1.37.1, predates the proxy sessions' end of support)."""
    return {name for name, row in _shapes.load(VOICE).OPERATIONS.items() if row[5]}


def test_every_operation_aws_has_not_deprecated_has_exactly_one_method() -> None:
    generated = set(_shapes.load(VOICE).OPERATIONS)
    assert set(METHODS) | SEED == generated - _deprecated()
    typed = {cls.spec.operation for cls in request_types() if VOICE in cls.spec.services.values()}
    assert typed.isdisjoint(_deprecated()), "a deprecated operation got a request type"


def test_every_deprecated_operation_is_named_in_the_docs() -> None:
    docs = (ROOT / "chime_calls" / "docs" / "voice.md").read_text(encoding="utf-8")
    for name in _deprecated():
        assert f"`{name}`" in docs, f"docs/voice.md does not list deprecated {name}"


def test_every_operation_the_fake_does_not_serve_is_listed_in_the_docs() -> None:
    docs = (ROOT / "chime_calls" / "docs" / "voice.md").read_text(encoding="utf-8")
    section = docs.split("## Not served by the fake", 1)[1].split("\n## ", 1)[0]
    names = set(service_model(VOICE).operation_names)
    listed = {name for name in re.findall(r"`([A-Z][A-Za-z0-9]+)`", section) if name in names}
    unserved = {op for op in METHODS if op not in _SERVED[VOICE]}
    assert unserved == listed


def _cases() -> list[Any]:
    return [pytest.param(op, *where, id=op) for op, where in sorted(METHODS.items())]


@pytest.mark.parametrize(("operation", "group", "method"), _cases())
def test_the_method_round_trips_through_boto3(
    fake: ChimeFake, calls: ChimeCalls, operation: str, group: str, method: str
) -> None:
    """The model's own example request, through the group's method: a typed result from the
    fake, or its typed answer to a request it refuses (NotFound for an ID nobody created,
    BadRequest where the example breaks a rule the fake checks) or does not serve (501)."""
    call = getattr(getattr(calls, group), method)
    params = kwargs(full(VOICE, operation))
    before = len(fake.requests)
    error: ServiceError | None = None
    try:
        result = call(**params)
    except ServiceError as exc:
        error = exc
    if error is None:
        assert operation in _SERVED[VOICE]
        expected = call.__wrapped__.spec.result  # type: ignore[attr-defined]
        assert result is None if expected is None else isinstance(result, expected)
    elif operation in _SERVED[VOICE]:
        assert error.operation == operation
        assert error.code in ("NotFoundException", "BadRequestException", "ConflictException")
    else:
        assert error.operation == operation
        assert (error.code, error.status_code) == ("NotImplemented", 501)
    sent = fake.requests[before:]  # (a 501 is a server error: idempotent ones are retried)
    assert sent
    assert {(r.service, r.operation) for r in sent} == {(VOICE, operation)}


def test_a_bad_value_is_refused_before_anything_is_sent(fake: ChimeFake, calls: ChimeCalls) -> None:
    with pytest.raises(ValidationError, match=r"area_code|max_results"):
        calls.phone_numbers.search_available(max_results=501)
    with pytest.raises(ValidationError, match="trigger_type"):
        calls.sip_rules.create(
            name="r", trigger_type="Phone", trigger_value="+12065550100", target_applications=[]
        )
    assert fake.requests == []


def test_groups_are_generic_in_the_mode_and_built_from_the_facade(calls: ChimeCalls) -> None:
    group = calls.sip_rules
    assert group is calls.sip_rules  # one per facade
    assert repr(calls) in repr(group)
    assert group.send == calls.send  # the facade's own method: the same mode as the facade
    request_type = type(group).create.request_type()  # type: ignore[attr-defined]
    assert issubclass(request_type, Request)  # type: ignore[arg-type]


def test_the_scaffold_script_prints_a_skeleton_from_the_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "new_operation", ROOT / "scripts/new_operation.py"
    )
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["chime-sdk-voice", "GetSipRule", "TagResource"]) == 0
    out = capsys.readouterr().out
    assert '@operation("GetSipRule", service=VOICE, kind=IDEMPOTENT, unwrap="SipRule")' in out
    assert "class GetSipRuleRequest(Request[SipRule]):" in out
    assert 'metadata={"member": "ResourceARN"}' in out  # PascalCase would not give it back
    assert "tags: tuple[Tag, ...] = attrs.field(converter=tags)" in out
    assert script.main(["chime-sdk-voice", "NoSuchOperation"]) == 2
