"""Find calls of moved legacy ``chime`` operations in Python sources, without running them.

Each file is read as bytes, decoded as Python does (PEP 263), parsed with ``ast`` and walked;
user code is never imported or executed. The walk is a small abstract interpretation: it tracks
which names, ``self.`` attributes, class attributes and function results hold a client of the
``chime`` service, following straight-line assignments and merging branches (a name that *may*
be a legacy client after an ``if`` is treated as one). A call is a finding when its receiver is
such a client and its method is an operation in ``MAPPING``.

A client is recognised when it is built with the literal service name ``"chime"`` (or a name
bound to that literal in the same file): ``boto3.client``, ``from boto3 import client``, any
``<x>.client(...)`` (boto3 and aioboto3 sessions) or ``<x>.create_client(...)`` (botocore
sessions), positional or ``service_name=``; or a parameter annotated ``ChimeClient`` from
``mypy_boto3_chime``. Every file is parsed, so one that does not parse is always reported; the
walk is skipped for files without the text ``chime``, which no recognised form can lack.

A client value remembers which constructions it may come from, so ``migrate fix`` knows which
dedicated clients each construction has to become.
"""

from __future__ import annotations

import ast
import io
import os
import re
import stat
import tokenize
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TypeVar

import attrs

from chime_calls.migration import _mapping_data
from chime_calls.migration.mapping import (
    Note,
    Replacement,
    replacement_for,
)

__all__ = [
    "Finding",
    "ScanError",
    "ScanResult",
    "iter_python_files",
    "scan_file",
    "scan_paths",
    "scan_source",
]

_SKIP_DIRS = frozenset(("__pycache__", "node_modules", "site-packages"))
_NEWLINE = re.compile(r"\r\n?|\n")


@attrs.frozen(kw_only=True)
class Finding:
    """A call of a legacy operation on a ``chime`` client. ``line`` and ``column`` are 1-based;
    the column counts Unicode code points and points at the method name (at the quoted name for
    ``get_paginator("...")`` and ``getattr(client, "...")``), so a chained call spread over
    several lines is reported where its operation is written."""

    path: str
    line: int
    column: int
    method: str
    replacement: Replacement
    #: The replacement's notes that apply to this call: a note about a member (``Tags``,
    #: ``NotificationsConfiguration``, ``MediaRegion``) is left out when the call's keyword
    #: arguments show it does not apply.
    notes: tuple[Note, ...] = attrs.field(
        default=attrs.Factory(lambda self: self.replacement.notes, takes_self=True)
    )

    @property
    def operation(self) -> str:
        """The legacy operation, PascalCase (``CreateMeeting``)."""
        return self.replacement.legacy_operation


@attrs.frozen(kw_only=True)
class ScanError:
    """A file that could not be read, decoded or parsed; the scan went on without it."""

    path: str
    reason: str


@attrs.frozen(kw_only=True)
class ScanResult:
    """Everything one scan found. ``missing`` lists paths given that do not exist."""

    findings: tuple[Finding, ...]
    errors: tuple[ScanError, ...]
    missing: tuple[str, ...]
    files_scanned: int


# --- abstract values ----------------------------------------------------------------------------
# A value is a legacy chime client (a frozenset of the construction sites it may come from: the
# id() of each ``boto3.client("chime")`` call node, _EXTERNAL for a client from outside, known
# by its ChimeClient annotation), or a short string: "q:<dotted>" for an imported name,
# "s:<text>" for a string constant, "f:<key>" for a function, "c:<key>" for a class,
# "i:<key>" for an instance of that class; None is anything else (and shadows outer bindings).

_Sites = frozenset[int]
_EXTERNAL = 0
_NONE: _Sites = frozenset()
_UNBOUND = "unbound"
_CLIENT_FUNCS = frozenset(("q:boto3.client",))
_CLIENT_ANNOTATIONS = frozenset(
    ("q:mypy_boto3_chime.ChimeClient", "q:mypy_boto3_chime.client.ChimeClient")
)
_FACTORY_METHODS = frozenset(("client", "create_client"))
_LEGACY_METHODS = frozenset(_mapping_data.METHODS)  # every method of a legacy chime client
_PROPERTIES = frozenset(("property", "cached_property"))
_MAX_WALKS = 5  # each walk can only add facts; real modules settle in two or three
_Value = str | _Sites | None
_Scope = dict[str, _Value]


def _sites(value: _Value) -> _Sites:
    return value if isinstance(value, frozenset) else _NONE


def _str(value: _Value) -> str | None:
    return value if isinstance(value, str) else None


@attrs.frozen
class _Use:
    """One legacy operation named on a client: ``kind`` is ``call``, ``reference`` (a method
    never called here), ``paginator`` or ``getattr``; ``node`` is the call (the attribute for a
    reference); ``line`` and ``offset`` (UTF-8 bytes, as ``ast`` counts) locate the name."""

    line: int
    offset: int
    method: str
    sites: _Sites
    kind: str
    node: ast.expr
    receiver: ast.expr


def _method_position(node: ast.Attribute) -> tuple[int, int]:
    """Where the method name of ``receiver.method`` starts: it ends the attribute."""
    assert node.end_lineno is not None  # noqa: S101 - ast.parse always sets positions
    assert node.end_col_offset is not None  # noqa: S101
    return node.end_lineno, node.end_col_offset - len(node.attr)


def _merge(base: _Scope, branches: Sequence[_Scope]) -> _Scope:
    """After branches, a name is a client if it may be one; otherwise its value if all paths
    that bind it agree (``if TYPE_CHECKING: from x import Y`` keeps ``Y``)."""
    merged: _Scope = {}
    for name in set(base).union(*branches):
        values = {b[name] if name in b else base.get(name, _UNBOUND) for b in branches}
        if len(values) > 1:
            values.discard(_UNBOUND)
        clients = _NONE.union(*(_sites(v) for v in values))
        if clients:
            merged[name] = clients
        elif len(values) == 1:
            value = values.pop()
            merged[name] = None if value == _UNBOUND else value
        else:
            merged[name] = None
    return merged


@attrs.define
class _Tables:
    """What one pass learns for the next: facts that are used before the code that sets them."""

    module: _Scope = attrs.Factory(dict)
    # (class key, attribute) -> sites of the client it holds
    attrs_: dict[tuple[str, str], _Sites] = attrs.Factory(dict)
    returns: dict[str, _Sites] = attrs.Factory(dict)  # function key -> sites of the client returned
    bases: dict[str, tuple[str, ...]] = attrs.Factory(dict)  # class key -> base class keys

    def add_attr(self, key: tuple[str, str], sites: _Sites) -> None:
        self.attrs_[key] = self.attrs_.get(key, _NONE) | sites

    def add_return(self, key: str, sites: _Sites) -> None:
        self.returns[key] = self.returns.get(key, _NONE) | sites

    def size(self) -> tuple[int, int, int]:
        return (
            sum(map(len, self.attrs_.values())),
            sum(map(len, self.returns.values())),
            sum(len(_sites(v)) for v in self.module.values()),
        )


@attrs.define
class _Frame:
    scope: _Scope
    key: str  # qualified name of the function or class ("" for the module)
    cls: str | None  # the class whose method this is (for self.x)
    self_name: str | None
    is_class_body: bool = False
    globals_: set[str] = attrs.Factory(set)


class _Walker:
    """One pass over a module: fills ``tables`` for the next pass, using ``previous`` (what the
    last pass learnt) for facts not yet seen in this one."""

    def __init__(self, tables: _Tables, previous: _Tables) -> None:
        self.tables = tables
        self.previous = previous
        self.frames: list[_Frame] = []
        self.found: list[_Use] = []
        self.constructions: dict[int, ast.Call] = {}  # site -> the call that makes the client
        self.saw_client = False

    # --- scopes ---

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def lookup(self, name: str) -> _Value:
        frame = self.frame
        if name in frame.globals_:
            return self._global(name)
        for f in reversed(self.frames):
            if f.is_class_body and f is not frame:
                continue  # class bodies do not enclose their methods
            if f.key == "":
                break
            if name in f.scope:
                return f.scope[name]
        return self._global(name)

    def _global(self, name: str) -> _Value:
        if len(self.frames) == 1:
            return self.frames[0].scope.get(name)
        # Inside a function the module has run to completion: use the last pass's final state.
        if name in self.previous.module:
            return self.previous.module[name]
        return self.frames[0].scope.get(name)

    def bind(self, name: str, value: _Value) -> None:
        frame = self.frame
        scope = self.frames[0].scope if name in frame.globals_ else frame.scope
        scope[name] = value
        if frame.is_class_body and isinstance(value, frozenset):
            self.tables.add_attr((frame.key, name), value)

    def _attr_sites(self, cls: str, attr: str, seen: set[str] | None = None) -> _Sites:
        key = (cls, attr)
        found = self.tables.attrs_.get(key, _NONE) | self.previous.attrs_.get(key, _NONE)
        seen = seen or set()
        seen.add(cls)
        bases = self.tables.bases.get(cls) or self.previous.bases.get(cls, ())
        return found.union(*(self._attr_sites(b, attr, seen) for b in bases if b not in seen))

    def _return_sites(self, key: str) -> _Sites:
        return self.tables.returns.get(key, _NONE) | self.previous.returns.get(key, _NONE)

    # --- expressions ---

    def value(self, node: ast.expr | None) -> _Value:  # noqa: PLR0911 - one return per form
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return f"s:{node.value}" if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.NamedExpr):
            value = self.value(node.value)
            self.bind(node.target.id, value)
            return value
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Await):
            return self.value(node.value)
        if isinstance(node, (ast.BoolOp, ast.IfExp)):  # `client or boto3.client("chime")`
            parts = node.values if isinstance(node, ast.BoolOp) else [node.body, node.orelse]
            return _NONE.union(*(_sites(self.value(part)) for part in parts)) or None
        return None

    def _attribute(self, node: ast.Attribute) -> _Value:
        base = node.value
        frame = self.frame
        if isinstance(base, ast.Name) and frame.cls is not None and base.id == frame.self_name:
            return self._attr_sites(frame.cls, node.attr) or None
        owner = _str(self.value(base))
        if owner is None:
            return None
        if owner.startswith("q:"):
            return f"{owner}.{node.attr}"
        if owner.startswith(("c:", "i:")):
            return self._attr_sites(owner[2:], node.attr) or None
        return None

    def _service(self, call: ast.Call) -> str | None:
        arg: ast.expr | None = call.args[0] if call.args else None
        for kw in call.keywords:
            if kw.arg == "service_name":
                arg = kw.value
        if arg is None or isinstance(arg, ast.Starred):
            return None
        value = _str(self.value(arg))
        return value[2:] if value and value.startswith("s:") else None

    def _call(self, call: ast.Call) -> _Value:  # noqa: PLR0911 - one return per form
        func = call.func
        factory = isinstance(func, ast.Attribute) and func.attr in _FACTORY_METHODS
        if factory and (made := self._client_if_chime(call)):
            return made
        if isinstance(func, ast.Attribute):  # a method: self._client(), Service()._client()
            frame = self.frame
            base = func.value
            if isinstance(base, ast.Name) and frame.cls is not None and base.id == frame.self_name:
                return self._method_returns(frame.cls, func.attr) or None
            owner = _str(self.value(base))
            if owner is not None and owner.startswith(("c:", "i:")):
                return self._method_returns(owner[2:], func.attr) or None
        callee = _str(self.value(func))
        if callee in _CLIENT_FUNCS:
            return self._client_if_chime(call)
        if callee is not None and callee.startswith("f:"):
            return self._return_sites(callee[2:]) or None
        if callee is not None and callee.startswith("c:"):
            return f"i:{callee[2:]}"
        return None

    def _method_returns(self, cls: str, name: str, seen: set[str] | None = None) -> _Sites:
        found = self._return_sites(f"{cls}.{name}")
        seen = seen or set()
        seen.add(cls)
        bases = self.tables.bases.get(cls) or self.previous.bases.get(cls, ())
        return found.union(*(self._method_returns(b, name, seen) for b in bases if b not in seen))

    def _client_if_chime(self, call: ast.Call) -> _Sites | None:
        if self._service(call) == "chime":
            self.saw_client = True
            self.constructions[id(call)] = call
            return frozenset((id(call),))
        return None

    def scan_expr(self, node: ast.AST | None) -> None:
        """Record every legacy call inside an expression (lambdas and comprehensions included),
        and every legacy method named without being called (``handlers = [c.get_meeting]``)."""
        if node is None:
            return
        called: set[int] = set()
        references: list[ast.Attribute] = []
        for sub in ast.walk(node):
            kind = type(sub)  # exact types: this loop sees every node of the module
            if kind is ast.Attribute:
                if sub.attr in _LEGACY_METHODS and type(sub.ctx) is ast.Load:  # type: ignore[attr-defined]
                    references.append(sub)  # type: ignore[arg-type]
            elif kind is ast.Call:
                self._scan_call(sub)  # type: ignore[arg-type]
                called.add(id(sub.func))  # type: ignore[attr-defined]
            elif kind is ast.NamedExpr:
                self.value(sub)  # type: ignore[arg-type]
        for ref in references:
            if id(ref) not in called:
                self._check(ref.value, ref.attr, _method_position(ref), ref, "reference")

    def _scan_call(self, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr == "get_paginator" and call.args:
                self._check_literal(func.value, call.args[0], call, "paginator")
            elif func.attr in _LEGACY_METHODS:
                self._check(func.value, func.attr, _method_position(func), call, "call")
        elif isinstance(func, ast.Name) and func.id == "getattr" and len(call.args) >= 2:
            self._check_literal(call.args[0], call.args[1], call, "getattr")

    def _check_literal(self, receiver: ast.expr, name: ast.expr, node: ast.Call, kind: str) -> None:
        """``get_paginator("list_meetings")`` or ``getattr(client, "create_meeting")``."""
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            self._check(receiver, name.value, (name.lineno, name.col_offset), node, kind)

    def _check(
        self, receiver: ast.expr, name: str, where: tuple[int, int], node: ast.expr, kind: str
    ) -> None:
        # operations that stay in chime are recorded too: `migrate fix` keeps a chime client
        # for them; they are never findings
        if name not in _LEGACY_METHODS:
            return
        if sites := _sites(self.value(receiver)):
            self.found.append(_Use(*where, name, sites, kind, node, receiver))

    # --- statements ---

    def run(self, tree: ast.Module) -> None:
        self.frames.append(_Frame(scope={}, key="", cls=None, self_name=None))
        self.body(tree.body)
        self.tables.module = self.frames[0].scope

    def body(self, stmts: Iterable[ast.stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def _branches(self, *bodies: Sequence[ast.stmt]) -> None:
        """Run each body from the same state, then merge (an empty body = not taken)."""
        frame = self.frame
        base = frame.scope
        results = []
        for body in bodies:
            frame.scope = dict(base)
            self.body(body)
            results.append(frame.scope)
        frame.scope = _merge(base, results)

    def stmt(self, node: ast.stmt) -> None:  # noqa: PLR0912 - one branch per statement kind
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.Assign):
            self.scan_expr(node.value)
            for target in node.targets:
                self.scan_expr(target)
                self._assign(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            self.scan_expr(node.value)
            if self._annotated_client(node.annotation):
                self._bind_target(node.target, frozenset((_EXTERNAL,)))
            elif node.value is not None:
                self._bind_target(node.target, self.value(node.value))
        elif isinstance(node, ast.AugAssign):
            self.scan_expr(node)
            self._bind_target(node.target, None)
        elif isinstance(node, ast.If):
            self.scan_expr(node.test)
            self._branches(node.body, node.orelse)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.scan_expr(node.iter)
            self._bind_target(node.target, None)
            self._branches(node.body, [])  # the body may run zero or more times
            self._branches(node.orelse, [])
        elif isinstance(node, ast.While):
            self.scan_expr(node.test)
            self._branches(node.body, [])
            self._branches(node.orelse, [])
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.scan_expr(item.context_expr)
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, self.value(item.context_expr))
            self.body(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self._try(node)
        elif isinstance(node, ast.Match):
            self.scan_expr(node.subject)
            self._branches(*(case.body for case in node.cases), [])
        elif isinstance(node, ast.Return):
            self.scan_expr(node.value)
            if node.value is not None and (sites := _sites(self.value(node.value))):
                self.tables.add_return(self.frame.key, sites)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            if isinstance(node, ast.Global):
                self.frame.globals_.update(node.names)
        else:
            self.scan_expr(node)

    def _try(self, node: ast.stmt) -> None:
        body: list[ast.stmt] = getattr(node, "body", [])
        handlers: list[ast.ExceptHandler] = getattr(node, "handlers", [])
        for handler in handlers:
            self.scan_expr(handler.type)
        self._branches(body, *(h.body for h in handlers), [])
        self._branches(getattr(node, "orelse", []), [])
        self.body(getattr(node, "finalbody", []))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bind(alias.asname, f"q:{alias.name}")
                else:  # `import a.b` binds `a`
                    top = alias.name.split(".")[0]
                    self.bind(top, f"q:{top}")
            return
        if node.level or node.module is None:
            for alias in node.names:
                self.bind(alias.asname or alias.name, None)
            return
        for alias in node.names:
            self.bind(alias.asname or alias.name, f"q:{node.module}.{alias.name}")

    def _annotated_client(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return False
        if isinstance(annotation, ast.BinOp):  # ChimeClient | None
            return self._annotated_client(annotation.left) or self._annotated_client(
                annotation.right
            )
        if isinstance(annotation, ast.Subscript):  # Optional[ChimeClient]
            return self._annotated_client(annotation.slice)
        if self.value(annotation) in _CLIENT_ANNOTATIONS:
            self.saw_client = True
            return True
        return False

    def _assign(self, target: ast.expr, value: ast.expr) -> None:
        sequences = (ast.Tuple, ast.List)
        if (
            isinstance(target, sequences)
            and isinstance(value, sequences)
            and len(target.elts) == len(value.elts)
        ):
            for t, v in zip(target.elts, value.elts, strict=True):
                self._assign(t, v)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self._bind_target(t, None)
            return
        self._bind_target(target, self.value(value))

    def _bind_target(self, target: ast.expr, value: _Value) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, ast.Attribute) and isinstance(value, frozenset):
            owner = target.value
            frame = self.frame
            if isinstance(owner, ast.Name) and frame.cls and owner.id == frame.self_name:
                self.tables.add_attr((frame.cls, target.attr), value)
            else:
                owner_value = _str(self.value(owner))
                if owner_value is not None and owner_value.startswith("c:"):
                    self.tables.add_attr((owner_value[2:], target.attr), value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self._bind_target(t, None)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, None)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.frame
        for decorator in node.decorator_list:
            self.scan_expr(decorator)
        args = node.args
        for default in (*args.defaults, *args.kw_defaults):
            self.scan_expr(default)
        key = f"{outer.key}.{node.name}" if outer.key else node.name
        method_of = outer.key if outer.is_class_body else None
        params = [*args.posonlyargs, *args.args]
        static = any(
            (isinstance(d, ast.Name) and d.id == "staticmethod")
            or (isinstance(d, ast.Attribute) and d.attr == "staticmethod")
            for d in node.decorator_list
        )
        if method_of is not None and static:
            self_name = None
        elif method_of is not None and params:
            self_name = params[0].arg
        else:
            self_name = outer.self_name
        cls = method_of if method_of is not None else outer.cls
        scope: _Scope = {}
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += list(args.defaults)
        pairs = [
            *zip(positional, defaults, strict=True),
            *zip(args.kwonlyargs, args.kw_defaults, strict=True),
        ]
        for arg, default in pairs:
            sites = _sites(self.value(default))
            if self._annotated_client(arg.annotation):
                sites |= {_EXTERNAL}
            scope[arg.arg] = sites or None
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope[extra.arg] = None
        if self_name is not None and method_of is not None:
            scope.pop(self_name, None)  # `self` is resolved through the class tables
        self.frames.append(
            _Frame(scope=scope, key=key, cls=cls, self_name=self_name if cls else None)
        )
        self.body(node.body)
        self.frames.pop()
        if self._annotated_client(node.returns) and not self._return_sites(key):
            # annotated `-> ChimeClient` and no construction seen in its returns
            self.tables.add_return(key, frozenset((_EXTERNAL,)))
        is_property = any(
            (isinstance(d, ast.Name) and d.id in _PROPERTIES)
            or (isinstance(d, ast.Attribute) and d.attr in _PROPERTIES)
            for d in node.decorator_list
        )
        if method_of is not None and is_property and (sites := self._return_sites(key)):
            self.tables.add_attr((method_of, node.name), sites)
        self.bind(node.name, f"f:{key}")

    def _class(self, node: ast.ClassDef) -> None:
        outer = self.frame
        for expr in (*node.bases, *node.decorator_list, *(k.value for k in node.keywords)):
            self.scan_expr(expr)
        key = f"{outer.key}.{node.name}" if outer.key else node.name
        bases = []
        for base in node.bases:
            value = _str(self.value(base))
            if value is not None and value.startswith("c:"):
                bases.append(value[2:])
        self.tables.bases[key] = tuple(bases)
        self.frames.append(
            _Frame(scope={}, key=key, cls=outer.cls, self_name=outer.self_name, is_class_body=True)
        )
        self.body(node.body)
        self.frames.pop()
        self.bind(node.name, f"c:{key}")


@attrs.frozen
class _Analysis:
    uses: tuple[_Use, ...]
    constructions: Mapping[int, ast.Call]  # site -> the ``boto3.client("chime")`` call


def _analyse(tree: ast.Module) -> _Analysis:
    """Walk until the tables stop growing (facts used before the code that sets them, such as
    a method defined after its caller); the walk that adds nothing new saw every fact."""
    previous = _Tables()
    for _ in range(_MAX_WALKS):
        walker = _Walker(_Tables(), previous)
        walker.run(tree)
        if not walker.saw_client:
            return _Analysis((), {})
        if walker.tables.size() == previous.size():
            break
        previous = walker.tables
    unique: dict[tuple[int, int, str], _Use] = {}
    for use in walker.found:  # a use seen twice in one walk keeps every site it may come from
        key = (use.line, use.offset, use.method)
        seen = unique.get(key)
        unique[key] = use if seen is None else attrs.evolve(seen, sites=seen.sites | use.sites)
    return _Analysis(tuple(unique[k] for k in sorted(unique)), walker.constructions)


def _encoding(data: bytes) -> str:
    """The encoding Python reads the source in (PEP 263 cookie, BOM, else UTF-8)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return encoding


def _decode(data: bytes) -> str:
    return data.decode(_encoding(data))


def _char_column(line: str, offset: int) -> int:
    """``ast`` columns count UTF-8 bytes; people and editors count characters (0-based)."""
    return len(line.encode("utf-8")[:offset].decode("utf-8", "replace"))


# A note about a member applies when the call passes it; `required-members` when it does not
# pass every one of them.
_WHEN_PASSED = {
    "notification-principal": "NotificationsConfiguration",
    "tags-to-tag-resource": "Tags",
    "attendee-tags": "Tags",
}
_REQUIRED = ("ExternalMeetingId", "MediaRegion")


def passed_members(call: ast.Call) -> set[str] | None:
    """The keyword members a call passes, or ``None`` when they cannot be known statically
    (positional arguments or ``**params``)."""
    if call.args or any(kw.arg is None for kw in call.keywords):
        return None
    return {kw.arg for kw in call.keywords if kw.arg is not None}


def _attendees_have_tags(call: ast.Call) -> bool:
    """``Attendees=[{"ExternalUserId": ..., "Tags": ...}]``: tags unless a literal shows none."""
    value = next((kw.value for kw in call.keywords if kw.arg == "Attendees"), None)
    if value is None:
        return False
    if not isinstance(value, (ast.List, ast.Tuple)):
        return True
    for item in value.elts:
        if not isinstance(item, ast.Dict) or None in item.keys:
            return True
        keys = [k.value if isinstance(k, ast.Constant) else None for k in item.keys]
        if None in keys or "Tags" in keys:
            return True
    return False


def call_notes(replacement: Replacement, use: _Use) -> tuple[Note, ...]:
    """The notes that apply to this use: member notes only where the call shows they apply."""
    if use.kind != "call" or not isinstance(use.node, ast.Call):
        return replacement.notes
    passed = passed_members(use.node)
    if passed is None:
        return replacement.notes
    batch = "Attendees" in passed and replacement.legacy_operation != "CreateAttendee"
    kept = []
    for note in replacement.notes:
        if note.id == "required-members" and all(m in passed for m in _REQUIRED):
            continue
        member = _WHEN_PASSED.get(note.id)
        in_items = note.id == "attendee-tags" and batch and _attendees_have_tags(use.node)
        if member is not None and member not in passed and not in_items:
            continue
        kept.append(note)
    return tuple(kept)


def scan_source(source: bytes | str, path: str = "<string>") -> list[Finding]:
    """Findings in one module's source. Raises ``SyntaxError``, ``UnicodeDecodeError`` or
    ``ValueError`` for sources Python itself would refuse."""
    text = _decode(source) if isinstance(source, bytes) else source
    tree = ast.parse(text, filename=path)
    if "chime" not in text:  # every recognised construction names the service literally
        return []
    return findings_of(_analyse(tree).uses, text, path)


def findings_of(uses: Iterable[_Use], text: str, path: str) -> list[Finding]:
    lines = _NEWLINE.split(text) if uses else []
    findings = []
    for use in uses:
        replacement = replacement_for(use.method)
        if replacement is None:  # stays in the legacy namespace
            continue
        findings.append(
            Finding(
                path=path,
                line=use.line,
                column=_char_column(lines[use.line - 1], use.offset) + 1,
                method=use.method,
                replacement=replacement,
                notes=call_notes(replacement, use),
            )
        )
    return findings


#: Files larger than this are reported and not read: Python sources are far smaller, and the
#: parser needs about 160 times a file's size in memory (a 20 MB file took 3.25 GB and 77 s).
MAX_FILE_BYTES = 4_000_000


class _TooLarge(Exception):  # noqa: N818 - a reason, caught in on_file
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size)
        self.size = size
        self.limit = limit


def _read(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise OSError("not a regular file")
    if info.st_size > max_bytes:
        raise _TooLarge(info.st_size, max_bytes)
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)  # (it may have grown since)
    if len(data) > max_bytes:
        raise _TooLarge(len(data), max_bytes)
    return data


_T = TypeVar("_T")


def on_file(
    path: str | os.PathLike[str],
    work: Callable[[str, str], _T],
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[_T, str] | ScanError:
    """Read and decode a file and run ``work(text, shown path)`` on it: its result and the
    file's encoding, or why the file could not be read, decoded or parsed (or was too large
    to read: over ``max_bytes``)."""
    shown = PurePath(path).as_posix()
    try:
        data = _read(path, max_bytes)
    except _TooLarge as exc:
        return ScanError(
            path=shown,
            reason=f"skipped: {exc.size / 1e6:.1f} MB is over the {exc.limit / 1e6:g} MB limit "
            "(--max-file-size)",
        )
    except OSError as exc:
        return ScanError(path=shown, reason=f"cannot read: {exc.strerror or exc}")
    try:
        encoding = _encoding(data)
        text = data.decode(encoding)
    # detect_encoding raises SyntaxError for an unknown coding or bad bytes in lines 1-2
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return ScanError(path=shown, reason=f"cannot decode: {exc}")
    reason: str
    try:
        return work(text, shown), encoding
    except SyntaxError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        reason = f"syntax error: {exc.msg}{where}"
    except ValueError as exc:  # null bytes, on some Python versions
        reason = f"cannot parse: {exc}"
    except (RecursionError, MemoryError):
        reason = "cannot parse: nested too deeply"
    return ScanError(path=shown, reason=reason)


def scan_file(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[list[Finding], ScanError | None]:
    """Findings in one file, or why it could not be scanned. Never raises for a bad file."""
    outcome = on_file(path, scan_source, max_bytes=max_bytes)
    if isinstance(outcome, ScanError):
        return [], outcome
    return outcome[0], None


def iter_python_files(
    root: str | os.PathLike[str],
    *,
    follow_symlinks: bool = False,
    skipped: list[ScanError] | None = None,
) -> Iterator[str]:
    """``*.py`` files under ``root`` in a stable order, skipping hidden directories,
    ``__pycache__``, ``node_modules`` and ``site-packages``. Directory links are not followed,
    and a file link that leads out of ``root`` is not read (it is appended to ``skipped``)
    unless ``follow_symlinks``: a tree must not make the scanner read ``/etc/passwd``."""
    inside = os.path.realpath(root)
    stack = [os.fspath(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            yield directory  # scan_file reports why it cannot be read
            continue
        subdirs = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith(".") and entry.name not in _SKIP_DIRS:
                    subdirs.append(entry.path)
            elif entry.name.endswith(".py"):
                if entry.is_symlink() and not follow_symlinks:
                    target = os.path.realpath(entry.path)
                    if os.path.commonpath([inside, target]) != inside:
                        if skipped is not None:
                            skipped.append(
                                ScanError(
                                    path=PurePath(entry.path).as_posix(),
                                    reason="skipped: a link to a file outside the scanned "
                                    "tree (--follow-symlinks reads it)",
                                )
                            )
                        continue
                yield entry.path
        stack.extend(reversed(subdirs))


def walk_paths(
    paths: Iterable[str | os.PathLike[str]],
    missing: list[str],
    *,
    follow_symlinks: bool = False,
    skipped: list[ScanError] | None = None,
) -> Iterator[str]:
    """The files to process: each file given (whatever its suffix) and the ``*.py`` files under
    each directory given (see ``iter_python_files`` for links). Paths that do not exist
    are appended to ``missing``."""
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            missing.append(PurePath(given).as_posix())
        elif path.is_dir():
            yield from iter_python_files(path, follow_symlinks=follow_symlinks, skipped=skipped)
        else:
            yield os.fspath(path)


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    follow_symlinks: bool = False,
) -> ScanResult:
    """Scan files and directory trees. A file given by name is scanned whatever its suffix;
    files over ``max_bytes`` and links out of a tree are reported, not read."""
    findings: list[Finding] = []
    errors: list[ScanError] = []
    missing: list[str] = []
    scanned = 0
    for file in walk_paths(paths, missing, follow_symlinks=follow_symlinks, skipped=errors):
        found, error = scan_file(file, max_bytes=max_bytes)
        scanned += 1
        findings.extend(found)
        if error is not None:
            errors.append(error)
    return ScanResult(
        findings=tuple(findings),
        errors=tuple(errors),
        missing=tuple(missing),
        files_scanned=scanned,
    )
