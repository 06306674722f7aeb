"""The libcst half of ``migrate fix``: apply a plan made on ``ast`` to the concrete syntax tree,
so everything the plan does not touch (formatting, comments, quotes) stays byte for byte.

Nodes are matched by source range: ``ast`` and libcst's ``PositionProvider`` agree on where an
expression starts and ends (lines 1-based, columns in characters). Calls are matched by the
range of their callee, which parentheses around the call cannot change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

if TYPE_CHECKING:
    from chime_calls.migration.fix import Range, _Plan

__all__ = ["apply"]

_REGION = "us-east-1"


def _string(service: str, like: cst.BaseExpression | None) -> cst.SimpleString:
    """A string literal in the quote style of the one it replaces."""
    quote = '"'
    if isinstance(like, cst.SimpleString) and like.value[-1:] in ("'", '"'):
        quote = like.value[-1]
    return cst.SimpleString(f"{quote}{service}{quote}")


def _service_index(args: Sequence[cst.Arg]) -> int:
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == "service_name":
            return i
    return 0


def _with_service(call: cst.Call, service: str) -> cst.Call:
    args = list(call.args)
    i = _service_index(args)
    args[i] = args[i].with_changes(value=_string(service, args[i].value))
    return call.with_changes(args=args)


def _copy(call: cst.Call, service: str, *, region: bool) -> cst.Call:
    copy = _with_service(call, service)
    return _with_region(copy) if region else copy


def _with_region(call: cst.Call) -> cst.Call:
    """``region_name="us-east-1"`` right after the service name, in its comma's style."""
    args = list(call.args)
    i = _service_index(args)
    service = args[i]
    region = cst.Arg(
        keyword=cst.Name("region_name"),
        value=_string(_REGION, service.value),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
        comma=service.comma,
    )
    args[i] = service.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    args.insert(i + 1, region)
    return call.with_changes(args=args)


class _Rewriter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, plan: _Plan) -> None:
        super().__init__()
        self.plan = plan

    def _range(self, node: cst.CSTNode) -> Range:
        r = self.get_metadata(PositionProvider, node)
        return (r.start.line, r.start.column, r.end.line, r.end.column)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        key = self._range(original_node)
        new = self.plan.names.get(key) or self.plan.receivers.get(key)
        return updated_node if new is None else updated_node.with_changes(value=new)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        new = self.plan.receivers.get(self._range(original_node))
        return updated_node if new is None else updated_node.with_changes(attr=cst.Name(new))

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        new = self.plan.strings.get(self._range(original_node))
        if new is None:
            return updated_node
        value = updated_node.value
        prefix = value[: len(value) - len(value.lstrip("rbuRBU"))]
        quote = value[len(prefix)]
        return updated_node.with_changes(value=f"{prefix}{quote}{new}{quote}")

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        service = self.plan.services.get(self._range(original_node.value))
        if service is None:
            return updated_node
        return updated_node.with_changes(value=_string(service, original_node.value))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        key = self._range(original_node.func)
        keywords = self.plan.keywords.get(key)
        if keywords:
            updated_node = updated_node.with_changes(
                args=[
                    a.with_changes(keyword=cst.Name(keywords[a.keyword.value]))
                    if a.keyword is not None and a.keyword.value in keywords
                    else a
                    for a in updated_node.args
                ]
            )
        if key in self.plan.regions:
            updated_node = _with_region(updated_node)
        return updated_node

    @staticmethod
    def _comments(todos: Sequence[list[str]], existing: Sequence[cst.EmptyLine]) -> list[str]:
        present = {line.comment.value for line in existing if line.comment is not None}
        out: list[str] = []
        for lines in todos:
            if lines[0] not in present:  # left by an earlier run: do not repeat it
                out += lines
        return out

    def on_leave(
        self, original_node: cst.CSTNodeT, updated_node: cst.CSTNodeT
    ) -> cst.CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNodeT]:
        result = super().on_leave(original_node, updated_node)
        if not isinstance(original_node, _STATEMENTS) or not isinstance(result, _STATEMENTS):
            return result
        line = self.get_metadata(PositionProvider, original_node).start.line
        done = self._statement(line, result)
        return cast("cst.CSTNodeT | cst.FlattenSentinel[cst.CSTNodeT]", done)

    def _statement(
        self, line: int, node: cst.SimpleStatementLine | cst.BaseCompoundStatement
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        """TODO comments above the statement that starts on ``line``; clients added after it."""
        todos = self.plan.todos.get(line)
        if todos:
            comments = self._comments(todos, node.leading_lines)
            if comments:
                added = [cst.EmptyLine(indent=True, comment=cst.Comment(c)) for c in comments]
                node = node.with_changes(leading_lines=[*node.leading_lines, *added])
        inserts = self.plan.inserts.get(line)
        if not inserts or not isinstance(node, cst.SimpleStatementLine):
            return node
        assign = node.body[0]
        if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Call):
            return node  # pragma: no cover - the planner only splits `X = <call>`
        target = assign.targets[0].target
        clients: list[cst.BaseStatement] = [node]
        for name, service, region in inserts:
            new_target: cst.BaseAssignTargetExpression = (
                target.with_changes(attr=cst.Name(name))
                if isinstance(target, cst.Attribute)
                else cst.Name(name)
            )
            value = _copy(assign.value, service, region=region)
            clients.append(
                cst.SimpleStatementLine(
                    body=[cst.Assign(targets=[cst.AssignTarget(target=new_target)], value=value)]
                )
            )
        return cst.FlattenSentinel(clients)


_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


def apply(module: cst.Module, plan: _Plan) -> str:
    """The module's code with ``plan`` applied."""
    # the module was parsed for this call alone: no need for the wrapper's defensive deep copy
    return MetadataWrapper(module, unsafe_skip_copy=True).visit(_Rewriter(plan)).code
