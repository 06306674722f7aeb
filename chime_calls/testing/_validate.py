"""Service-side validation, computed from the installed botocore model.

Deliberately independent of ``chime_calls._rules`` (the SDK's own validators): the fake must
catch what a client-side validator misses, so it walks the service model's shapes itself and
applies every constraint the service enforces (required members, string lengths in code points,
ECMAScript patterns, enums, numeric ranges, list and map sizes). Only the pattern *engine*
(``chime_calls._ecma``, proven against a JavaScript engine in the test suite) is shared.

Messages follow the service's format and, like the service, echo the offending value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chime_calls._ecma import conforms

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["validate"]


def validate(shape: Shape | None, params: Mapping[str, Any]) -> list[str]:
    """Every violation in ``params``, in the service's wording; empty when it is acceptable."""
    problems: list[str] = []
    if shape is not None:
        _check(shape, dict(params), "", problems)
    return problems


def _member_path(parent: str, name: str) -> str:
    name = name[:1].lower() + name[1:]
    return f"{parent}.{name}" if parent else name


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(shape, value, path, problems)
    elif kind == "string":
        _check_string(shape, value, path, problems)
    elif kind in ("integer", "long"):
        _check_number(shape, value, path, problems)
    elif kind == "list":
        _check_size(shape, value, path, problems, list)
        if isinstance(value, list):
            for index, item in enumerate(value):
                _check(shape.member, item, f"{path}.{index + 1}.member", problems)  # type: ignore[attr-defined]
    elif kind == "map":
        _check_size(shape, value, path, problems, dict)
        if isinstance(value, dict):
            for key, item in value.items():
                _check(shape.key, key, f"{path}.key", problems)  # type: ignore[attr-defined]
                _check(shape.value, item, f"{path}.value", problems)  # type: ignore[attr-defined]


def _check_structure(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"Value at '{path}' failed to satisfy constraint: must be an object")
        return
    members = shape.members  # type: ignore[attr-defined]
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(
                f"Value null at '{_member_path(path, name)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for name, item in value.items():
        if name in members and item is not None:
            _check(members[name], item, _member_path(path, name), problems)


def _check_string(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"Value at '{path}' failed to satisfy constraint: must be a string")
        return
    meta = shape.metadata
    length = len(value)
    if "min" in meta and length < meta["min"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and length > meta["max"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )
    if "pattern" in meta and not conforms(meta["pattern"], value):
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {meta['pattern']}"
        )
    enum = shape.enum  # type: ignore[attr-defined]
    if enum and value not in enum:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(enum)}]"
        )


def _check_number(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"Value at '{path}' failed to satisfy constraint: must be an integer")
        return
    meta = shape.metadata
    if "min" in meta and value < meta["min"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {meta['min']}"
        )
    if "max" in meta and value > meta["max"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {meta['max']}"
        )


def _check_size(
    shape: Shape, value: Any, path: str, problems: list[str], expected: type[Any]
) -> None:
    if not isinstance(value, expected):
        problems.append(f"Value at '{path}' failed to satisfy constraint: wrong type")
        return
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"]:
        problems.append(
            f"Value at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and len(value) > meta["max"]:
        problems.append(
            f"Value at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )
