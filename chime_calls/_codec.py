"""Between the package's types and AWS's dicts: converting what users pass, serialising
requests, parsing answers. Each type's serialiser and parser is compiled once, from its fields'
member names and annotations, into straight-line code (see ``_fields.compile_function``).
"""

from __future__ import annotations

import threading
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from chime_calls._fields import compile_function, fields, flatten, hints, member_name
from chime_calls._rules import _Struct, scalar_text
from chime_calls.values import SensitiveMap, SensitiveValue

__all__ = ["ResponseShapeError", "dump", "params_of", "parse", "to_struct"]

S = TypeVar("S")
_lock = threading.RLock()


class ResponseShapeError(ValueError):
    """An answer lacks a member the result type requires (the facade reports it as
    ``InvalidResponseError``)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path} {problem}")
        self.path = path
        self.problem = problem


# --- converters: what users may pass for a structure ---------------------------------------------

_NAMES: dict[type[Any], dict[str, str]] = {}


def _names(cls: type[Any]) -> dict[str, str]:
    """Both spellings of a structure's members (``"Audio"`` and ``"audio"``) -> field name."""
    names = _NAMES.get(cls)
    if names is None:
        names = {}
        for field in fields(cls):
            names[field.name] = names[member_name(field)] = field.name
        _NAMES[cls] = names
    return names


def to_struct(cls: type[S], value: object) -> S:
    """An instance of ``cls`` from an instance or a mapping (snake_case or AWS PascalCase keys).

    Anything else, or a mapping with an unknown, repeated or missing member, is returned
    unchanged (typed as ``S`` for the converters' sake) so that validation reports it with
    its field path.
    """
    if type(value) is cls:
        return value
    if type(value) is dict or isinstance(value, Mapping):
        names = _NAMES.get(cls) or _names(cls)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            name = names.get(key) if type(key) is str else None
            if name is None or name in kwargs:
                return value  # type: ignore[return-value]
            kwargs[name] = item
        try:
            return cls(**kwargs)
        except TypeError:  # a required member is missing: reported by validation
            return value  # type: ignore[return-value]
    return value  # type: ignore[return-value]


# --- serialisation ---------------------------------------------------------------------------


def dump(value: Any) -> Any:
    """Any field value as botocore takes it: real values of secrets, dicts for structures."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float:
        return value
    if isinstance(value, (SensitiveValue, SensitiveMap)):
        return value.reveal()
    if isinstance(value, _Struct) and attrs.has(kind):
        return params_of(kind)(value)
    if kind is tuple or kind is list:
        return [dump(item) for item in value]
    if isinstance(value, Mapping):
        return {k: dump(v) for k, v in value.items()}
    return value


def _dump_expr(annotation: Any, env: dict[str, Any]) -> str:
    """An expression turning ``v`` (already validated, so of its annotated type) into botocore's
    form; the generic ``dump`` for anything else."""
    kinds = flatten(annotation)
    if len(kinds) == 1:
        kind = kinds[0]
        if kind in (str, int, bool, float):
            return "v"
        if isinstance(kind, type) and issubclass(kind, (SensitiveValue, SensitiveMap)):
            return "v.reveal()"
        if isinstance(kind, type) and attrs.has(kind) and issubclass(kind, _Struct):
            name = f"S_{kind.__name__}"
            env[name] = params_of(kind)
            env[f"{name}_type"] = kind
            return f"{name}(v) if type(v) is {name}_type else dump(v)"
        if typing.get_origin(kind) is tuple:
            (item, *_) = typing.get_args(kind) or (Any,)
            if item in (str, int):
                return "list(v)"
            if isinstance(item, type) and attrs.has(item) and issubclass(item, _Struct):
                name = f"S_{item.__name__}"
                env[name] = params_of(item)
                env[f"{name}_type"] = item
                return f"[{name}(x) if type(x) is {name}_type else dump(x) for x in v]"
    return "dump(v)"


_PARAMS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {}


def params_of(
    cls: type[Any], path_members: frozenset[str] = frozenset()
) -> Callable[[Any], dict[str, Any]]:
    """The compiled serialiser of ``cls``: absent members left out, AWS member names.

    ``path_members`` (a request's URL-bound fields) are sent with surrogate pairs joined: a URL
    is UTF-8, which cannot encode the halves.
    """
    found = _PARAMS.get(cls)
    if found is None:
        with _lock:
            found = _PARAMS.get(cls)
            if found is None:
                found = _PARAMS[cls] = _compile_params(cls, path_members)
    return found


def _compile_params(
    cls: type[Any], path_members: frozenset[str]
) -> Callable[[Any], dict[str, Any]]:
    env: dict[str, Any] = {"dump": dump, "scalar_text": scalar_text}
    annotations = hints(cls)
    lines = ["def params(obj):", "    p = {}"]
    for field in fields(cls):
        if "shape" in field.metadata:  # a virtual request's field: no member of its own
            continue
        expr = _dump_expr(annotations.get(field.name, Any), env)
        if field.name in path_members:
            expr = f"scalar_text({expr}) if type(v) is str else {expr}"
        lines += [
            f"    v = obj.{field.name}",
            "    if v is not None:",
            f"        p[{member_name(field)!r}] = {expr}",
        ]
    lines.append("    return p")
    return compile_function("params", lines, env)


# --- parsing answers -----------------------------------------------------------------------------


def _parse_expr(  # noqa: PLR0911 - one return per kind of annotation
    annotation: Any, env: dict[str, Any], index: int
) -> str | None:
    """An expression turning an answer's ``v`` into the annotated type (``None``: as it is)."""
    kinds = flatten(annotation)
    if len(kinds) != 1:
        return None
    kind = kinds[0]
    origin = typing.get_origin(kind)
    if origin is tuple:
        args = typing.get_args(kind)
        item = _parse_expr(args[0], env, index) if args else None
        if item is None:
            return "tuple(v) if type(v) is list else None"
        env[f"item{index}"] = compile_function(
            f"item{index}", [f"def item{index}(v, path):", f"    return {item}"], env
        )
        if f"P{index}" in env:  # structures: botocore's dicts skip the item function
            return (
                f"tuple([P{index}(x, path) if type(x) is dict else item{index}(x, path) "
                "for x in v]) if type(v) is list else None"
            )
        return f"tuple([item{index}(x, path) for x in v]) if type(v) is list else None"
    if not isinstance(kind, type):
        return None
    if issubclass(kind, SensitiveValue):
        env[f"W{index}"] = kind._unchecked
        return f"W{index}(v) if type(v) is str else None"
    if issubclass(kind, SensitiveMap):
        env["SensitiveMap"] = SensitiveMap
        return "SensitiveMap.coerce(v) if isinstance(v, Mapping) else None"
    if attrs.has(kind) and issubclass(kind, _Struct):
        env[f"P{index}"] = parser_of(kind)  # (result types are not recursive)
        return f"P{index}(v, path) if type(v) is dict or isinstance(v, Mapping) else None"
    return None


_PARSERS: dict[type[Any], Callable[[Mapping[str, Any], str], Any]] = {}


def parser_of(cls: type[S]) -> Callable[[Mapping[str, Any], str], S]:
    """The compiled parser of result type ``cls``: ``parse(data, path) -> instance``."""
    found = _PARSERS.get(cls)
    if found is None:
        with _lock:
            found = _PARSERS.get(cls)
            if found is None:
                found = _PARSERS[cls] = _compile_parser(cls)
    return found


def _compile_parser(cls: type[Any]) -> Callable[[Mapping[str, Any], str], Any]:
    """Lenient, as Smithy prescribes for output: unknown members ignored, absent ones ``None``
    (or the field's default), except that a field without a default is one AWS always sends:
    its absence, or an empty string, means the answer is not what it seems. A type that keeps
    its answer (``Model``) is handed the mapping it was parsed from."""
    env: dict[str, Any] = {
        "new": object.__new__,
        "set": object.__setattr__,
        "cls": cls,
        "Mapping": Mapping,
        "RSE": ResponseShapeError,
    }
    annotations = hints(cls)
    lines = ["def parse(d, path):", "    inst = new(cls)", "    get = d.get"]
    for index, field in enumerate(attrs.fields(cls)):
        required = field.default is attrs.NOTHING
        if required or field.default is None:
            default = "None"
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            env[f"F{index}"] = field.default.factory
            default = f"F{index}()"
        else:
            env[f"D{index}"] = field.default
            default = f"D{index}"
        if field.metadata.get("local"):
            lines.append(f"    set(inst, {field.name!r}, {default})")
            continue
        member = member_name(field)
        expr = _parse_expr(annotations.get(field.name, Any), env, index)
        lines.append(f"    v = get({member!r})")
        if expr is not None:
            lines.append(f"    if v is not None: v = {expr}")
        if required:
            lines += [
                "    if v is None or v == '':",
                f"        raise RSE((path + '.' if path else '') + {member!r}, "
                "'is missing' if v is None else 'is empty')",
            ]
        elif default != "None":
            lines.append(f"    if v is None: v = {default}")
        lines.append(f"    set(inst, {field.name!r}, v)")
    if getattr(cls, "_keeps_answer", False):  # a Model: the answer, for to_aws()
        lines.append("    set(inst, '_aws', d)")
    lines.append("    return inst")
    return compile_function("parse", lines, env)


def parse(cls: type[S], data: Mapping[str, Any], path: str = "") -> S:
    """An instance of result type ``cls`` from an answer's mapping (see ``parser_of``)."""
    return parser_of(cls)(data, path)
