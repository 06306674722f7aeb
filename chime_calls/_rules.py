"""Constraint rules, built from the generated service-model data, and the checker that applies them.

A rule is made once per (service, shape) from ``chime_calls._shapes`` and cached; request and
result types never restate a constraint. Rules apply Smithy's semantics as AWS enforces them:
lengths count Unicode scalar values (a surrogate pair given as two code points is one character
on the wire), a lone surrogate cannot be sent at all, patterns must match the whole value with
ECMAScript meaning (``chime_calls._ecma``), and a value over its maximum length is not
pattern-checked, which bounds the work on hostile input. Every violation is collected before
anything is raised, and none carries the offending value: many are phone numbers or tokens.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

import attrs

from chime_calls import _shapes
from chime_calls._ecma import compile_pattern
from chime_calls.values import SensitiveValue

__all__ = [
    "ListRule",
    "MapRule",
    "Rule",
    "StringRule",
    "StructRule",
    "Violation",
    "rule_for",
]


class _Struct:
    """``__repr__``, ``__eq__`` and ``__hash__`` for the package's frozen attrs classes.

    They behave as the ones attrs generates (``Name(field=value!r, ...)`` with the same guard
    against recursion, a field's ``repr=False`` or ``repr=callable`` honoured; equal when of the
    same class with equal ``eq`` fields; a hash of those fields), but are written once here
    instead of being generated and compiled for every class on import (the classes pass
    ``repr=False, eq=False`` to attrs and inherit these).
    """

    __slots__ = ()
    __attrs_attrs__: tuple[Any, ...]

    def __repr__(self) -> str:
        cls = type(self)
        seen: set[int] | None = getattr(_REPRING, "ids", None)
        if seen is None:
            seen = _REPRING.ids = set()
        if id(self) in seen:
            return "..."
        seen.add(id(self))
        try:
            fields = ", ".join(f"{n}={show(getattr(self, n))}" for n, show in _repr_fields(cls))
            return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({fields})"
        finally:
            seen.discard(id(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _eq_fields(type(self)))

    def __hash__(self) -> int:
        cls = type(self)
        return hash((cls.__qualname__, *(getattr(self, n) for n in _eq_fields(cls))))


_REPRING = threading.local()
_REPR_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}
_EQ_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _repr_fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    fields = _REPR_FIELDS.get(cls)
    if fields is None:
        fields = _REPR_FIELDS[cls] = tuple(
            (a.name, a.repr if callable(a.repr) else repr)
            for a in cls.__attrs_attrs__
            if a.repr is not False
        )
    return fields


def _eq_fields(cls: type[Any]) -> tuple[str, ...]:
    names = _EQ_FIELDS.get(cls)
    if names is None:
        names = _EQ_FIELDS[cls] = tuple(a.name for a in cls.__attrs_attrs__ if a.eq)
    return names


@attrs.frozen(repr=False, eq=False)
class Violation(_Struct):
    """One broken constraint: where (``field``), which ``rule``, and a sentence for humans.

    Never carries the offending value: many members are sensitive (phone numbers, tokens).
    """

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar_text(value: str) -> str:
    """``value`` with surrogate pairs joined into the characters they encode.

    Raises ``UnicodeDecodeError`` for a lone surrogate: no wire encoding can carry it.
    """
    if _SURROGATE.search(value) is None:
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _lone_surrogate(value: str) -> int:
    for index, ch in enumerate(value):
        if "\ud800" <= ch <= "\udbff":
            nxt = value[index + 1 : index + 2]
            if not ("\udc00" <= nxt <= "\udfff"):
                return index
        elif "\udc00" <= ch <= "\udfff" and not ("\ud800" <= value[index - 1 : index] <= "\udbff"):
            return index
    return -1  # pragma: no cover - only called when decoding failed


def _type_name(value: object) -> str:
    return type(value).__name__


class Rule:
    """A shape's constraints. ``check`` appends violations; ``key`` identifies the constraints
    (not the shape's name or sensitivity), so two namespaces' rules compare equal exactly when
    they accept the same values. ``service`` is empty for a rule of the package's own (an SMA
    action's limit, documented by AWS but in no model)."""

    __slots__ = ("service", "shape")
    kind = "?"

    def __init__(self, shape: str, *, service: str = "") -> None:
        self.service = service
        self.shape = shape

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        raise NotImplementedError

    def key(self) -> tuple[Any, ...]:
        return (self.kind,)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.service} {self.shape}>"


class StringRule(Rule):
    __slots__ = ("_enum", "_regex", "enum", "max_len", "min_len", "pattern", "sensitive")
    kind = "string"

    def __init__(  # noqa: PLR0917 - the generated row, in order
        self,
        shape: str,
        min_len: int | None = None,
        max_len: int | None = None,
        pattern: str | None = None,
        enum: tuple[str, ...] | None = None,
        sensitive: bool = False,
        *,
        service: str = "",
    ) -> None:
        super().__init__(shape, service=service)
        self.min_len = min_len
        self.max_len = max_len
        self.pattern = pattern
        self.enum = enum
        self.sensitive = sensitive
        self._regex = compile_pattern(pattern) if pattern is not None else None
        self._enum = frozenset(enum) if enum else None

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.min_len, self.max_len, self.pattern, self.enum)

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if type(value) is str:
            text = value
        elif isinstance(value, SensitiveValue):
            text = value.reveal()
        elif isinstance(value, str):
            text = str(value)
        elif value is None:
            out.append(Violation(field, "required", "is required"))
            return
        else:
            out.append(Violation(field, "type", f"must be a string, not {_type_name(value)}"))
            return
        if not text.isascii() and _SURROGATE.search(text) is not None:
            try:
                text = scalar_text(text)
            except UnicodeDecodeError:
                at = _lone_surrogate(text)
                out.append(
                    Violation(
                        field,
                        "unicode",
                        f"contains a lone surrogate (U+{ord(text[at]):04X} at position {at}), "
                        "which no request can carry",
                    )
                )
                return
        n = len(text)
        if self.min_len is not None and n < self.min_len:
            out.append(
                Violation(
                    field,
                    "min_length",
                    f"must be at least {self.min_len} characters ({self.shape}); got {n}",
                )
            )
        if self.max_len is not None and n > self.max_len:
            out.append(
                Violation(
                    field,
                    "max_length",
                    f"must be at most {self.max_len} characters ({self.shape}); got {n}",
                )
            )
            return  # the pattern is not applied to an over-long value: bounded work
        if self._regex is not None and self._regex.fullmatch(text) is None:
            out.append(Violation(field, "pattern", _pattern_message(self)))
        if self._enum is not None and text not in self._enum:
            allowed = ", ".join(self.enum or ())
            out.append(Violation(field, "enum", f"must be one of {allowed} ({self.shape})"))


#: What a pattern means, for shapes whose pattern alone would not tell a newcomer.
_PATTERN_HINTS = {
    "E164PhoneNumber": (
        "must be an E.164 phone number: '+', the country code and the number, digits only, "
        "e.g. +12065550123 (PhoneNumber.parse(text, region='US') turns what people type into "
        "one)"
    ),
    "GuidString": "must be a GUID such as 0f3c1a6e-2b9d-4c1e-9a57-6b1e0c2d3f4a",
}


def _pattern_message(rule: StringRule) -> str:
    hint = _PATTERN_HINTS.get(rule.shape)
    where = f"{rule.shape} pattern {rule.pattern}"
    return f"{hint} ({where})" if hint else f"must match {where} (the whole value)"


class IntRule(Rule):
    __slots__ = ("max_value", "min_value")
    kind = "integer"

    def __init__(
        self,
        shape: str,
        min_value: int | None = None,
        max_value: int | None = None,
        *,
        service: str = "",
    ) -> None:
        super().__init__(shape, service=service)
        self.min_value = min_value
        self.max_value = max_value

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.min_value, self.max_value)

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(Violation(field, "type", f"must be an integer, not {_type_name(value)}"))
            return
        if self.min_value is not None and value < self.min_value:
            out.append(Violation(field, "min", f"must be at least {self.min_value} ({self.shape})"))
        if self.max_value is not None and value > self.max_value:
            out.append(Violation(field, "max", f"must be at most {self.max_value} ({self.shape})"))


class ScalarRule(Rule):
    """boolean, float, double, timestamp, blob, document: type checks only."""

    __slots__ = ("type_name",)

    def __init__(self, shape: str, type_name: str, *, service: str = "") -> None:
        super().__init__(shape, service=service)
        self.type_name = type_name

    def key(self) -> tuple[Any, ...]:
        return (self.type_name,)

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        import datetime
        import math

        kind = self.type_name
        if kind == "boolean":
            ok = isinstance(value, bool)
            expected = "a bool"
        elif kind in ("float", "double"):
            ok = (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
            expected = "a finite number"
        elif kind == "timestamp":
            ok = isinstance(value, datetime.datetime)
            expected = "a datetime"
        elif kind == "blob":
            ok = isinstance(value, (bytes, bytearray))
            expected = "bytes"
        else:  # document: any JSON value
            ok = True
            expected = ""
        if not ok:
            out.append(Violation(field, "type", f"must be {expected}, not {_type_name(value)}"))


class ListRule(Rule):
    __slots__ = ("max_len", "member", "min_len", "sensitive")
    kind = "list"

    def __init__(
        self,
        shape: str,
        member: Rule,
        min_len: int | None = None,
        max_len: int | None = None,
        sensitive: bool = False,
        *,
        service: str = "",
    ) -> None:
        super().__init__(shape, service=service)
        self.member = member
        self.min_len = min_len
        self.max_len = max_len
        self.sensitive = sensitive

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.min_len, self.max_len, self.member.key())

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if type(value) is not tuple and not isinstance(value, (list, tuple)):
            out.append(Violation(field, "type", f"must be a list, not {_type_name(value)}"))
            return
        _check_size(self, len(value), field, out)
        check = self.member.check
        for index, item in enumerate(value):
            check(item, f"{field}[{index}]", out)


def _check_size(rule: ListRule | MapRule, size: int, field: str, out: list[Violation]) -> None:
    if rule.min_len is not None and size < rule.min_len:
        out.append(
            Violation(
                field,
                "min_items",
                f"must have at least {rule.min_len} entries ({rule.shape}); got {size}",
            )
        )
    if rule.max_len is not None and size > rule.max_len:
        out.append(
            Violation(
                field,
                "max_items",
                f"must have at most {rule.max_len} entries ({rule.shape}); got {size}",
            )
        )


class MapRule(Rule):
    """A map shape. When keys are sensitive (SIP headers, SMA arguments) paths name an entry
    by position, never by its key."""

    __slots__ = ("key_rule", "max_len", "min_len", "sensitive", "value_rule")
    kind = "map"

    def __init__(  # noqa: PLR0917 - the generated row, in order
        self,
        shape: str,
        key_rule: Rule,
        value_rule: Rule,
        min_len: int | None = None,
        max_len: int | None = None,
        sensitive: bool = False,
        *,
        service: str = "",
    ) -> None:
        super().__init__(shape, service=service)
        self.key_rule = key_rule
        self.value_rule = value_rule
        self.min_len = min_len
        self.max_len = max_len
        self.sensitive = sensitive

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.min_len, self.max_len, self.key_rule.key(), self.value_rule.key())

    def _hides_keys(self) -> bool:
        return self.sensitive or bool(getattr(self.key_rule, "sensitive", False))

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):  # (dict: fast path)
            out.append(Violation(field, "type", f"must be a mapping, not {_type_name(value)}"))
            return
        _check_size(self, len(value), field, out)
        probe: list[Violation] = []
        for index, (k, v) in enumerate(value.items()):
            self.key_rule.check(k, "", probe)
            self.value_rule.check(v, "", probe)
            if not probe:
                continue  # the common case: no per-entry path to format
            probe.clear()
            where = f"{field}[#{index}]" if self._hides_keys() else f"{field}[{k!r}]"
            self.key_rule.check(k, f"{where}.key", out)
            self.value_rule.check(v, f"{where}.value", out)


class Member:
    """One member of a structure shape: its rule and where it travels (body, URI, ...)."""

    __slots__ = ("_rule", "idempotency_token", "location", "name", "required", "target")

    def __init__(  # noqa: PLR0917 - the generated row, in order
        self,
        service: str,
        name: str,
        target: str,
        location: str,
        required: bool,
        idempotency_token: bool,
    ) -> None:
        self.name = name
        self.target = (service, target)
        self.location = location
        self.required = required
        self.idempotency_token = idempotency_token
        self._rule: Rule | None = None

    @property
    def rule(self) -> Rule:
        if self._rule is None:
            self._rule = rule_for(*self.target)
        return self._rule


class StructRule(Rule):
    """A structure shape. Values are the package's attrs types (bound to the shape member by
    member, see ``chime_calls._spec``), or mappings that their converter could not turn into
    one, which are reported here with what was wrong."""

    __slots__ = ("bindings", "members", "required", "sensitive")
    kind = "structure"

    def __init__(
        self,
        shape: str,
        members: dict[str, Member],
        sensitive: bool = False,
        *,
        service: str = "",
    ) -> None:
        super().__init__(shape, service=service)
        self.members = members
        self.required = tuple(m.name for m in members.values() if m.required)
        self.sensitive = sensitive
        #: type -> its compiled checks against this shape (chime_calls._fields.binding)
        self.bindings: dict[type[Any], Any] = {}

    def key(self) -> tuple[Any, ...]:
        return (
            self.kind,
            tuple((m.name, m.required, m.rule.key()) for m in self.members.values()),
        )

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        run = self.bindings.get(type(value))
        if run is not None:  # the common case: a type already bound to this shape
            run(value, field, out)
            return
        from chime_calls._fields import check_struct

        check_struct(self, value, field, out)

    def report_mapping(self, value: Mapping[Any, Any], field: str, out: list[Violation]) -> None:
        """A mapping the converter could not turn into the structure: say which key is wrong."""
        from chime_calls._fields import snake

        known = {snake(name): name for name in self.members}
        allowed = sorted(known)
        given: dict[str, str] = {}
        before = len(out)
        for key in value:
            if not isinstance(key, str):
                out.append(
                    Violation(field, "members", f"has a non-string key of type {_type_name(key)}")
                )
                continue
            name = key if key in self.members else known.get(key)
            if name is not None:
                if name in given:
                    out.append(
                        Violation(
                            f"{field}.{snake(name)}",
                            "members",
                            f"is given twice, as {given[name]!r} and {key!r}",
                        )
                    )
                    continue
                given[name] = key
                item = value[key]
                rule = self.members[name].rule
                if isinstance(rule, StructRule) and isinstance(item, Mapping):
                    rule.report_mapping(item, f"{field}.{snake(name)}", out)
                continue
            import difflib  # (not at import: only a misspelt member needs it)

            close = difflib.get_close_matches(key, [*allowed, *self.members], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            out.append(
                Violation(
                    f"{field}.{key}",
                    "members",
                    f"is not a member of {self.shape} (members: {', '.join(allowed)}){hint}",
                )
            )
        for name in self.required:
            if name not in given:
                out.append(Violation(f"{field}.{snake(name)}", "required", "is required"))
        if len(out) == before:  # never let an unconverted mapping through unreported
            out.append(Violation(field, "type", f"is not a valid {self.shape}"))


_lock = threading.Lock()
_RULES: dict[tuple[str, str], Rule] = {}


def rule_for(service: str, shape: str) -> Rule:
    """The rule of ``shape`` in ``service``'s generated data, built once."""
    key = (service, shape)
    rule = _RULES.get(key)
    if rule is None:
        with _lock:
            rule = _RULES.get(key)
            if rule is None:
                rule = _RULES[key] = _build(service, shape)
    return rule


def _build(service: str, shape: str) -> Rule:
    row = _shapes.load(service).SHAPES[shape]
    kind = row[0]
    if kind == "string":
        return StringRule(shape, *row[1:], service=service)
    if kind == "integer":
        return IntRule(shape, row[1], row[2], service=service)
    if kind == "list":
        _, member, lo, hi, sensitive = row
        return ListRule(shape, _build_ref(service, member), lo, hi, sensitive, service=service)
    if kind == "map":
        _, key, value, lo, hi, sensitive = row
        return MapRule(
            shape,
            _build_ref(service, key),
            _build_ref(service, value),
            lo,
            hi,
            sensitive,
            service=service,
        )
    if kind == "structure":
        _, members, required, sensitive = row
        required_set = set(required)
        return StructRule(
            shape,
            {
                name: Member(service, name, target, location, name in required_set, token)
                for name, target, location, _location_name, token in members
            },
            sensitive,
            service=service,
        )
    return ScalarRule(shape, kind, service=service)


def _build_ref(service: str, shape: str) -> Rule:
    # Nested rules are built eagerly below lists and maps (no Chime shape is recursive there);
    # structures resolve their members lazily.
    key = (service, shape)
    rule = _RULES.get(key)
    if rule is None:
        rule = _RULES[key] = _build(service, shape)
    return rule


#: Rules other modules name directly (the SMA action limits reuse them): name -> model shape.
_NAMED = {
    "ARN": ("chime-sdk-meetings", "Arn"),
    "E164_PHONE_NUMBER": ("chime-sdk-voice", "E164PhoneNumber"),
    "GUID": ("chime-sdk-meetings", "GuidString"),
    "JOIN_TOKEN": ("chime-sdk-meetings", "JoinTokenString"),
    "NON_EMPTY": ("chime-sdk-voice", "NonEmptyString"),
}


def __getattr__(name: str) -> Rule:
    target = _NAMED.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return rule_for(*target)


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
