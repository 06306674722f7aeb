"""How a type's fields meet a model shape: names, annotations, and compiled checks.

A field's member is its name in PascalCase, or ``attrs.field(metadata={"member": "ResourceARN"})``;
``metadata={"shape": {namespace or "*": (service, shape)}}`` gives a field that is no member
(a dial-out's) a shape's rule; ``metadata={"local": True}`` keeps a field out of every request
and answer; ``metadata={"printable": reason}`` documents why a value the model marks sensitive
may be printed. Checks against a shape are compiled, once per (type, shape), into one
straight-line function, so validating a request costs about what hand-written checks cost.
"""

from __future__ import annotations

import sys
import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from botocore import xform_name

from chime_calls._rules import Rule, StructRule, Violation, _Struct, rule_for
from chime_calls.values import SensitiveMap, SensitiveValue

__all__ = [
    "Check",
    "SpecError",
    "binding",
    "check_struct",
    "compile_function",
    "fields",
    "hints",
    "member_name",
    "snake",
]

_lock = threading.RLock()


class SpecError(TypeError):
    """A request or result type does not fit its operation's model (a bug in chime-calls)."""


def snake(member: str) -> str:
    """A member's Python name, as boto3 spells methods and parameters (``xform_name``)."""
    return str(xform_name(member))


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def member_name(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("member") or _pascal(field.name))


def fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields that travel to and from AWS (not the ``local`` ones)."""
    return tuple(f for f in attrs.fields(cls) if not f.metadata.get("local"))


_HINTS: dict[type[Any], dict[str, Any]] = {}


def hints(cls: type[Any]) -> dict[str, Any]:
    """The evaluated annotations of ``cls``'s attrs fields (each in its defining module)."""
    found = _HINTS.get(cls)
    if found is None:
        names = {f.name for f in attrs.fields(cls)}
        found = {}
        for klass in reversed(cls.__mro__):
            own = vars(klass).get("__annotations__", {})
            # (the class's own: a subclass defined elsewhere does not inherit its base's)
            module = sys.modules[vars(klass).get("_defined_in") or klass.__module__]
            for name, annotation in own.items():
                if name in names:
                    found[name] = (
                        eval(annotation, vars(module))  # noqa: S307 - our own annotations
                        if isinstance(annotation, str)
                        else annotation
                    )
        _HINTS[cls] = found
    return found


def flatten(annotation: Any) -> tuple[Any, ...]:
    """``X | None`` -> ``(X,)``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)


def check_redaction(cls: type[Any], field: attrs.Attribute[Any], rule: Rule) -> None:
    """A sensitive string must be held in a type that never prints it."""
    if rule.kind != "string" or not getattr(rule, "sensitive", False):
        return
    if field.metadata.get("printable"):  # a documented exception, with its reason
        return
    if not any(
        isinstance(t, type) and issubclass(t, (SensitiveValue, SensitiveMap))
        for t in flatten(hints(cls).get(field.name))
    ):
        raise SpecError(
            f"{cls.__name__}.{field.name}: {rule.shape} is sensitive; hold it in a "
            "chime_calls.values type, never a plain str"
        )


# --- checks ----------------------------------------------------------------------------------


class Check:
    """One field's check against one namespace's member."""

    __slots__ = ("field", "member", "path_segment", "required", "rule")

    def __init__(
        self, field: str, member: str, rule: Rule, required: bool, path_segment: bool
    ) -> None:
        self.field = field
        self.member = member
        self.rule = rule
        self.required = required
        self.path_segment = path_segment

    def run(self, value: object, path: str, out: list[Violation]) -> None:
        if value is None:
            if self.required:
                out.append(Violation(path, "required", "is required"))
            return
        before = len(out)
        self.rule.check(value, path, out)
        if self.path_segment and len(out) == before:
            text = value.reveal() if isinstance(value, SensitiveValue) else value
            if text in ("", ".", ".."):
                _path_segment(text, path, out)


def _path_segment(text: object, path: str, out: list[Violation]) -> None:
    """A URL path segment that would address another resource (``GET /meetings/..``)."""
    if out and out[-1].field == path:
        return  # the rule already refused it (e.g. its minimum length)
    out.append(
        Violation(
            path,
            "path_segment",
            f"must not be {text!r}: it is part of the request's URL path, where it would "
            "address a different resource",
        )
    )


class Common:
    """A field whose rule differs by namespace, checked on construction for what every
    namespace refuses (an ARN that is no ARN anywhere); the rest waits for the namespace."""

    __slots__ = ("checks", "field", "required")

    def __init__(self, checks: list[Check]) -> None:
        self.checks = tuple(checks)
        self.field = checks[0].field
        self.required = False

    def run(self, value: object, path: str, out: list[Violation]) -> None:
        if value is None:
            return
        common: dict[tuple[str, str], Violation] | None = None
        for check in self.checks:
            found: list[Violation] = []
            check.run(value, path, found)
            if not found:
                return
            these = {(v.field, v.rule): v for v in found}
            common = these if common is None else {k: v for k, v in common.items() if k in these}
            if not common:
                return
        out.extend((common or {}).values())


def checks_for(
    cls: type[Any], shape: StructRule | None, namespace: str, *, strict: bool
) -> dict[str, Check]:
    """Field name -> its check against ``shape`` (or the shape the field names itself)."""
    found: dict[str, Check] = {}
    for field in fields(cls):
        explicit = field.metadata.get("shape")
        if explicit is not None:
            target = explicit.get(namespace) or explicit.get("*")
            if target is not None:
                rule = rule_for(*target)
                check_redaction(cls, field, rule)
                required = field.default is attrs.NOTHING
                found[field.name] = Check(field.name, "", rule, required, False)
            continue
        name = member_name(field)
        member = shape.members.get(name) if shape is not None else None
        if member is None:
            if strict:
                where = f"{shape.service} {shape.shape}" if shape is not None else "no shape"
                members = ", ".join(shape.members) if shape is not None else ""
                raise SpecError(
                    f"{cls.__name__}.{field.name}: {name} is not a member of {where} "
                    f"(members: {members}); name it with attrs.field(metadata={{'member': ...}})"
                )
            continue
        check_redaction(cls, field, member.rule)
        found[field.name] = Check(
            field.name, name, member.rule, member.required, member.location == "uri"
        )
    return found


def compile_function(name: str, lines: list[str], env: dict[str, Any]) -> Callable[..., Any]:
    """``def`` one function from source lines (the way attrs builds ``__init__``)."""
    namespace: dict[str, Any] = dict(env)
    exec("\n".join(lines), namespace)  # noqa: S102 - source built here from field names
    function: Callable[..., Any] = namespace[name]
    function.__source__ = "\n".join(lines)  # type: ignore[attr-defined] # for debugging
    return function


def compile_checks(checks: typing.Sequence[Check | Common], *, nested: bool) -> Callable[..., None]:
    """One function running every check, straight-line.

    Top level: ``run(obj, out)``, paths are the field names. Nested: ``run(obj, prefix, out)``;
    every field is probed with an empty path first and only a field with a violation is checked
    again with its real path, so valid input formats no paths.
    """
    env: dict[str, Any] = {"V": Violation, "path_segment": _path_segment}
    head = "def run(obj, prefix, out):" if nested else "def run(obj, out):"
    lines = [head]
    if nested:
        lines.append("    probe = []")
    for index, check in enumerate(checks):
        fn = f"c{index}"
        if isinstance(check, Check) and not (check.path_segment and nested):
            env[fn] = check.rule.check
        else:
            env[fn] = check.run
        field = check.field
        lines.append(f"    v = obj.{field}")
        if isinstance(check, Check):
            lines.append("    if v is None:")
            if check.required:
                path = f"prefix + '.{field}'" if nested else repr(field)
                lines.append(f"        out.append(V({path}, 'required', 'is required'))")
            else:
                lines.append("        pass")
            lines.append("    else:")
            indent = "        "
        else:
            indent = "    "
        if nested:
            lines.append(f"{indent}{fn}(v, '', probe)")
            lines.append(f"{indent}if probe:")
            lines.append(f"{indent}    probe.clear()")
            lines.append(f"{indent}    {fn}(v, prefix + '.{field}', out)")
        else:
            lines.append(f"{indent}{fn}(v, {field!r}, out)")
            if isinstance(check, Check) and check.path_segment:
                lines.append(f"{indent}if v in ('', '.', '..'): path_segment(v, {field!r}, out)")
    if len(lines) == (2 if nested else 1):
        lines.append("    return None")
    return compile_function("run", lines, env)


def binding(cls: type[Any], shape: StructRule) -> Callable[..., None]:
    """The compiled checks of a nested structure type against the shape of its member (and
    the type's ``_documented_rules``, if it has any).

    Non-strict: a field this shape lacks (``LambdaFunctionArn`` in the legacy model's
    ``NotificationsConfiguration``) is the installed-model check's business at send time;
    ``tests/test_spec.py`` checks every field names a member somewhere.
    """
    found: Callable[..., None] | None = shape.bindings.get(cls)
    if found is None:
        with _lock:
            found = shape.bindings.get(cls)
            if found is None:
                checks = list(checks_for(cls, shape, "*", strict=False).values())
                found = compile_checks(checks, nested=True)
                together = getattr(cls, "_documented_rules", None)
                if together is not None:
                    found = _with_documented_rules(found, together)
                shape.bindings[cls] = found
    return found


def _with_documented_rules(
    members: Callable[..., None], together: Callable[..., None]
) -> Callable[..., None]:
    """A structure's checks plus the rules AWS documents across its members (in prose, not in
    the model: "content needs video"), defined by the type as ``_documented_rules(self, path,
    out)``; run only once every member is valid on its own. Their violations' rule is
    ``"documented"``."""

    def run(obj: object, prefix: str, out: list[Violation]) -> None:
        before = len(out)
        members(obj, prefix, out)
        if len(out) == before:
            together(obj, prefix, out)

    return run


def check_struct(rule: StructRule, value: object, field: str, out: list[Violation]) -> None:
    """Validate a nested structure value (an attrs type of this package, or a raw mapping)."""
    cls = type(value)
    if isinstance(value, _Struct) and attrs.has(cls):
        binding(cls, rule)(value, field, out)
        return
    if isinstance(value, Mapping):
        rule.report_mapping(value, field, out)
        return
    out.append(Violation(field, "type", f"must be a {rule.shape} or a mapping, not {cls.__name__}"))
