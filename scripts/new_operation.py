"""Print a request/result skeleton for an operation, from the installed botocore model.

    python scripts/new_operation.py chime-sdk-voice GetSipRule [MORE OPERATIONS...]

A starting point for "Adding an operation" (DEVELOPERS.md), not a generator of committed code:
it guesses the retry kind from the verb, the result type from the output shape and the field
types from the member shapes (sensitive strings in ``chime_calls.values`` types, lists and
structures with the named converters of ``chime_calls.voice._common``), and prints
``TODO`` where a person decides: the docstring (what AWS does, from the API reference), the
kind, and which result fields AWS always sends (only IDs lose their default here). Nested
structure types are printed once each, after the requests that need them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import botocore.session
from botocore import xform_name

#: model type -> the field's annotation, for the types that need no converter
_SCALARS = {
    "string": "str",
    "integer": "int",
    "long": "int",
    "boolean": "bool",
    "float": "float",
    "double": "float",
    "timestamp": "datetime.datetime",
    "map": "SensitiveMap",
}

#: verb -> (kind, extra spec arguments); anything else is AT_MOST_ONCE until a person decides
_KINDS = {
    "Get": ("IDEMPOTENT", ""),
    "List": ("IDEMPOTENT", ""),
    "Search": ("IDEMPOTENT", ""),
    "Validate": ("IDEMPOTENT", ""),
    "Put": ("IDEMPOTENT", ""),
    "Update": ("IDEMPOTENT", ""),
    "Delete": ("IDEMPOTENT", ", gone_after_retry=True"),
}


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _field_name(member: str) -> tuple[str, str]:
    """The field's name, and its ``metadata`` when PascalCase would not give the member back."""
    name = str(xform_name(member))
    return name, "" if _pascal(name) == member else f'metadata={{"member": "{member}"}}'


class Skeleton:
    def __init__(self, service: str) -> None:
        self.model = botocore.session.get_session().get_service_model(service)
        self.nested: dict[str, Any] = {}
        self.converters: dict[str, str] = {}
        self.used: set[str] = set()

    def annotation(self, shape: Any, member: str) -> tuple[str, str]:
        """(annotation, converter or "") of a member's value."""
        kind = shape.type_name
        if kind == "string" and shape.metadata.get("sensitive"):
            if shape.name == "E164PhoneNumber" or member == "PhoneNumberId":
                return "PhoneNumber", "phone"
            return "SensitiveText", "text"
        if kind in _SCALARS:
            return _SCALARS[kind], ""
        if kind == "list":
            return self._list(shape, member)
        if kind != "structure":
            raise SystemExit(f"{shape.name}: no field type for a {kind} yet")
        self.nested.setdefault(shape.name, shape)
        name = f"_{xform_name(shape.name)}"
        self.converters[name] = shape.name
        return shape.name, name

    def _list(self, shape: Any, member: str) -> tuple[str, str]:
        item, convert = self.annotation(shape.member, member)
        if item == "Tag":  # chime_calls.voice._common's: takes {"key": "value"} too
            name = "tags"
        elif shape.member.type_name == "structure":
            name = f"_{xform_name(shape.member.name)}s"
            self.converters[name] = shape.member.name
        else:
            name = {"phone": "phones", "text": "texts", "": "strings"}[convert]
        return f"tuple[{item}, ...]", name

    def fields(self, shape: Any, *, request: bool, required_ids: bool) -> list[str]:
        lines = []
        required = set(getattr(shape, "required_members", ()))
        for member, target in shape.members.items():
            name, metadata = self._field(member)
            annotation, convert = self.annotation(target, member)
            must = member in required if request else (required_ids and member == shape_id(shape))
            args = []
            if not must:
                args.append("default=None")
            if convert:
                args.append(f"converter={self._converter(convert, must)}")
            if metadata:
                args.append(metadata)
            optional = "" if must else " | None"
            if args == ["default=None"]:
                lines.append(f"    {name}: {annotation}{optional} = None")
            elif args:
                lines.append(f"    {name}: {annotation}{optional} = attrs.field({', '.join(args)})")
            else:
                lines.append(f"    {name}: {annotation}")
        return lines or ["    pass"]

    def _converter(self, name: str, required: bool) -> str:
        if required:
            self.used.add(name)
            return name
        optional = f"_opt{name}" if name.startswith("_") else f"opt_{name}"
        self.used.add(optional)
        return optional

    @staticmethod
    def _field(member: str) -> tuple[str, str]:
        return _field_name(member)

    def request(self, operation: str) -> str:
        op = self.model.operation_model(operation)
        verb = next((v for v in _KINDS if operation.startswith(v)), "")
        kind, extra = _KINDS.get(verb, ("AT_MOST_ONCE", ""))
        result, unwrap = self.result(op)
        spec = f'@operation("{operation}", service=VOICE, kind={kind}{extra}{unwrap})'
        doc = f'    """TODO: what AWS does (``{operation}``)."""'
        body = (
            self.fields(op.input_shape, request=True, required_ids=False) if op.input_shape else []
        )
        return "\n".join(
            [
                spec,
                "@attrs.frozen(kw_only=True, repr=False, eq=False)",
                f"class {operation}Request(Request[{result}]):",
                doc,
                "",
                *[line for line in body if line != "    pass"],
            ]
        )

    def result(self, op: Any) -> tuple[str, str]:
        shape = op.output_shape
        if shape is None or not shape.members:
            return "None", ""
        if len(shape.members) == 1:
            ((member, target),) = shape.members.items()
            if target.type_name == "structure":
                self.nested.setdefault(target.name, target)
                return target.name, f', unwrap="{member}"'
        name = f"{op.name}Result"
        self.nested.setdefault(name, shape)
        return name, ""

    def structures(self) -> list[str]:
        out = []
        done: set[str] = set()
        while len(done) < len(self.nested):
            for name, shape in list(self.nested.items()):
                if name in done:
                    continue
                done.add(name)
                out.append(
                    "\n".join(
                        [
                            "@attrs.frozen(kw_only=True, repr=False, eq=False)",
                            f"class {name}(Model):",
                            f'    """TODO ({shape.name})."""',
                            "",
                            *self.fields(shape, request=False, required_ids=True),
                        ]
                    )
                )
        return out


def converters(skeleton: Skeleton) -> list[str]:
    """The named converters the fields use (mypy's attrs plugin needs a named function)."""
    out = []
    for name in sorted(skeleton.used):
        base = name.replace("_opt_", "_") if name.startswith("_opt_") else name
        target = skeleton.converters.get(base)
        if target is None:
            continue  # one of chime_calls.voice._common's
        optional = name != base
        many = base.endswith("s") and base != f"_{xform_name(target)}"
        given = f"{target} | Mapping[str, Any]"
        if many:
            given, made, helper = f"Iterable[{given}]", f"tuple[{target}, ...]", "structs"
        else:
            made, helper = target, "struct"
        if optional:
            given, made = f"{given} | None", f"{made} | None"
        out.append(
            "\n".join(
                [
                    f"def {name}(value: {given}) -> {made}:",
                    f"    return {helper}({target}, value)",
                ]
            )
        )
    return out


def shape_id(shape: Any) -> str:
    """The member that identifies a structure (``SipRule`` -> ``SipRuleId``)."""
    return f"{shape.name}Id"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("service", help="boto3 service name, e.g. chime-sdk-voice")
    parser.add_argument("operations", nargs="+", metavar="OPERATION")
    args = parser.parse_args(argv)
    skeleton = Skeleton(args.service)
    missing = [op for op in args.operations if op not in skeleton.model.operation_names]
    if missing:
        print(f"{args.service} has no {', '.join(missing)}", file=sys.stderr)
        return 2
    blocks = [skeleton.request(op) for op in args.operations]
    blocks += skeleton.structures()
    blocks += converters(skeleton)
    print("\n\n\n".join(blocks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
