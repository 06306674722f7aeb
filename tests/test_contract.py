"""The generated constraint data equals the installed botocore models, shape by shape.

chime_calls applies the constraints in ``chime_calls/_shapes`` (written by
``scripts/gen_shapes.py``). These tests read the same shapes through botocore's own model API,
independently of the generator, and fail if any operation, member, length, pattern, enum,
sensitivity flag or HTTP binding differs: if AWS changes a constraint, the SDK must not silently
become stricter (blocking real calls) or looser (sending what AWS rejects).

Against another botocore than the one the data was generated from (the CI's legacy and lowest
supported runs), a model may lack newer members and carry older constraints: there every
installed member must still be in the data with the same types (the facade refuses, before
sending, a member the installed model lacks), and the constraints are the newer ones AWS applies.
"""

from __future__ import annotations

from typing import Any

import pytest

from chime_calls import _shapes
from tests._model import service_model

SERVICES = ["chime-sdk-meetings", "chime-sdk-voice", "chime"]


def _installed(service: str) -> Any:
    return service_model(service)


def _generated(service: str) -> Any:
    return _shapes.load(service)


def _same_botocore(service: str) -> bool:
    import botocore

    return bool(_generated(service).SOURCE.startswith(f"botocore {botocore.__version__},"))


def _shape_cases() -> list[Any]:
    cases = []
    for service in SERVICES:
        for name in _generated(service).SHAPES:
            cases.append(pytest.param(service, name, id=f"{service}:{name}"))
    return cases


@pytest.mark.parametrize(("service", "name"), _shape_cases())
def test_every_generated_shape_equals_the_installed_model(service: str, name: str) -> None:
    model = _installed(service)
    if name not in model.shape_names:
        pytest.skip(f"this botocore's {service} model has no {name}")
    shape = model.shape_for(name)
    row = _generated(service).SHAPES[name]
    meta = shape.metadata
    kind = {"long": "integer"}.get(shape.type_name, shape.type_name)
    assert row[0] == kind
    if not _same_botocore(service):
        if kind == "structure":  # (shapes are renamed across releases: compare members)
            assert set(shape.members) <= {member for member, *_ in row[1]}
        return
    if kind == "string":
        assert row[1:] == (
            meta.get("min"),
            meta.get("max"),
            meta.get("pattern"),
            tuple(shape.enum) or None,
            bool(meta.get("sensitive")),
        )
    elif kind == "integer":
        assert row[1:] == (meta.get("min"), meta.get("max"))
    elif kind == "list":
        assert row[1:] == (
            shape.member.name,
            meta.get("min"),
            meta.get("max"),
            bool(meta.get("sensitive")),
        )
    elif kind == "map":
        assert row[1:] == (
            shape.key.name,
            shape.value.name,
            meta.get("min"),
            meta.get("max"),
            bool(meta.get("sensitive")),
        )
    elif kind == "structure":
        members, required, sensitive = row[1:]
        installed = {
            member: (
                target.name,
                target.serialization.get("location", ""),
                bool(target.metadata.get("idempotencyToken")),
            )
            for member, target in shape.members.items()
        }
        generated = {m: (t, loc, token) for m, t, loc, _name, token in members}
        assert generated == installed
        assert set(required) == set(shape.required_members)
        assert sensitive == bool(meta.get("sensitive"))
    else:
        assert row == (kind,)


def _operation_cases() -> list[Any]:
    return [
        pytest.param(service, name, id=f"{service}:{name}")
        for service in SERVICES
        for name in _generated(service).OPERATIONS
    ]


@pytest.mark.parametrize(("service", "name"), _operation_cases())
def test_every_generated_operation_equals_the_installed_model(service: str, name: str) -> None:
    model = _installed(service)
    if name not in model.operation_names:
        pytest.skip(f"this botocore's {service} model has no {name}")
    op = model.operation_model(name)
    method, uri, status, input_shape, output_shape, deprecated = _generated(service).OPERATIONS[
        name
    ]
    assert (method, uri) == (op.http["method"], op.http["requestUri"])
    if not _same_botocore(service):
        return
    assert status == int(op.http.get("responseCode", 200))
    assert input_shape == (op.input_shape.name if op.input_shape else None)
    assert output_shape == (op.output_shape.name if op.output_shape else None)
    assert (deprecated is not None) == bool(op.deprecated)


@pytest.mark.parametrize("service", ["chime-sdk-meetings", "chime-sdk-voice"])
def test_every_installed_operation_is_generated(service: str) -> None:
    """A botocore that models a new operation fails here until the data is regenerated
    (``python scripts/gen_shapes.py``), so nothing is missed silently."""
    missing = set(_installed(service).operation_names) - set(_generated(service).OPERATIONS)
    assert missing == set(), f"run scripts/gen_shapes.py: {sorted(missing)}"
    if _same_botocore(service):  # and none that botocore no longer has
        assert set(_generated(service).OPERATIONS) == set(_installed(service).operation_names)


def test_the_generator_would_write_what_is_committed() -> None:
    """``scripts/gen_shapes.py --check`` in-process for the services read from the installed
    botocore (the legacy module needs botocore 1.37.1's wheel; CI runs the script itself)."""
    import importlib.util
    from pathlib import Path

    import botocore

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("gen_shapes", root / "scripts/gen_shapes.py")
    assert spec is not None
    assert spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for service in ("chime-sdk-meetings", "chime-sdk-voice"):
        raw = gen._installed(service)
        data = gen.build(service, raw, raw["operations"])
        source = f"botocore {botocore.__version__}, {service} {raw['metadata']['apiVersion']}"
        text = gen.render(service, data, source)
        path = root / "chime_calls" / "_shapes" / f"{_shapes.MODULES[service]}.py"
        committed = path.read_text(encoding="utf-8")
        if _generated(service).SOURCE.split(",")[0] != f"botocore {botocore.__version__}":
            continue  # another botocore: the tests above name any difference shape by shape
        assert gen._without_source(committed) == gen._without_source(text), service
