"""Rewrite legacy ``chime`` calls onto the dedicated namespaces (``chime-calls migrate fix``).

The scanner's analysis says which construction each legacy call's client comes from; this module
decides, per construction, which dedicated client(s) its calls need, and per call the smallest
correct change: the construction's service name (with ``region_name="us-east-1"`` when it had
none: the legacy endpoint always was us-east-1), the operation's new name, a member renamed
where the value carries over, a second client next to the first when the calls need two
namespaces (or still need ``chime``). Whatever is not mechanical (CreateMeeting's required
``MediaRegion`` and ``ExternalMeetingId``, a meeting ARN instead of its ID, an operation with no
replacement) gets a ``# TODO(chime-calls):`` comment above the statement and stays in the report.

Decisions are made on Python's ``ast`` (the scanner's); the edits are applied with libcst, so
formatting and comments are preserved. libcst is an optional extra: ``pip install
'chime-calls[migrate]'``. A second run changes nothing.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from chime_calls.migration._calendar import retirement
from chime_calls.migration.mapping import (
    MEMBER_RENAMES,
    Replacement,
    replacement_for,
)
from chime_calls.migration.scan import (
    _EXTERNAL,
    _NEWLINE,
    MAX_FILE_BYTES,
    Finding,
    ScanError,
    _analyse,
    _char_column,
    _decode,
    _Use,
    findings_of,
    on_file,
    passed_members,
    scan_source,
    walk_paths,
)

__all__ = [
    "MISSING_LIBCST",
    "TODO_MARKER",
    "Edit",
    "FileFix",
    "FixResult",
    "FixUnavailableError",
    "Todo",
    "fix_paths",
    "fix_source",
]

#: Every comment ``migrate fix`` leaves starts with this; a later run recognises its own.
TODO_MARKER = "# TODO(chime-calls):"
MISSING_LIBCST = (
    "chime-calls migrate fix needs libcst, an optional extra: pip install 'chime-calls[migrate]'"
)
LEGACY = "chime"
_LEGACY_REGION = "us-east-1"
_TODO_WIDTH = 99  # comment lines end by column 99, as ruff's default line length asks
_TODO_LINE = re.compile(r"^[ \t]*# TODO\(chime-calls\): ?(.*)$")
_TODO_MORE = re.compile(r"^[ \t]*#   (.*)$")
_SUFFIX = {
    "chime-sdk-meetings": "meetings",
    "chime-sdk-voice": "voice",
    "chime-sdk-messaging": "messaging",
    "chime-sdk-identity": "identity",
    "chime-sdk-media-pipelines": "media_pipelines",
}
# Range: (start line, start column, end line, end column); columns count characters, 0-based,
# as libcst's PositionProvider does.
Range = tuple[int, int, int, int]


class FixUnavailableError(RuntimeError):
    """libcst is not installed: ``migrate fix`` cannot rewrite code (``migrate scan`` can
    still find it)."""


@attrs.frozen(kw_only=True)
class Edit:
    """One change made to a file. ``line``/``column`` (1-based) are in the original file.

    ``action``: ``client`` (a construction now makes a dedicated client), ``new-client`` (a
    second client added next to it), ``region`` (``region_name="us-east-1"`` added), ``rename``
    (the operation's new name), ``member`` (a keyword renamed), ``receiver`` (the call now uses
    the added client), ``todo`` (a TODO comment left above the statement).
    """

    line: int
    column: int
    action: str
    detail: str
    operation: str | None = None


@attrs.frozen(kw_only=True)
class Todo:
    """A ``# TODO(chime-calls):`` comment in the rewritten file (new or left by an earlier run);
    ``line`` is where it is in the rewritten file."""

    line: int
    text: str


@attrs.frozen(kw_only=True)
class FileFix:
    """One file's rewrite: ``original`` and ``fixed`` text, the ``edits``, the ``findings`` of
    the original, the findings still ``remaining`` in the rewritten text (each has a TODO) and
    every TODO it holds."""

    path: str
    original: str
    fixed: str
    edits: tuple[Edit, ...]
    findings: tuple[Finding, ...]
    remaining: tuple[Finding, ...]
    todos: tuple[Todo, ...]

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff (``a/PATH`` -> ``b/PATH``) that ``git apply`` and ``patch -p1`` take."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        out = []
        for line in lines:
            out.append(
                line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
            )
        return "".join(out)


@attrs.frozen(kw_only=True)
class FixResult:
    """Everything one run did or would do. ``missing`` lists paths that do not exist."""

    files: tuple[FileFix, ...]
    errors: tuple[ScanError, ...]
    missing: tuple[str, ...]
    files_scanned: int
    written: bool


# --- decisions (ast) ----------------------------------------------------------------------------


@attrs.define
class _Plan:
    """Edits by the source range of the node they apply to, for the libcst pass."""

    names: dict[Range, str] = attrs.Factory(dict)  # method name -> new method name
    strings: dict[Range, str] = attrs.Factory(dict)  # "list_meetings" literal -> new text
    receivers: dict[Range, str] = attrs.Factory(dict)  # Name id / Attribute attr -> new
    services: dict[Range, str] = attrs.Factory(dict)  # service-name argument -> new service
    # calls are keyed by their callee's range: parentheses around a call do not change it
    regions: set[Range] = attrs.Factory(set)  # constructions that get region_name
    keywords: dict[Range, dict[str, str]] = attrs.Factory(dict)  # call -> {old: new}
    # statement's first line -> comment lines (each TODO wrapped to fit its indentation)
    todos: dict[int, list[list[str]]] = attrs.Factory(dict)
    # construction statement's first line -> clients to add after it: (name, service, whether
    # it gets region_name="us-east-1")
    inserts: dict[int, list[tuple[str, str, bool]]] = attrs.Factory(dict)

    def empty(self) -> bool:
        return not any(attrs.astuple(self, recurse=False))


@attrs.define
class _Site:
    """What one ``boto3.client("chime")`` construction becomes."""

    call: ast.Call
    uses: list[_Use] = attrs.Factory(list)
    primary: str = LEGACY
    extra: dict[str, str] = attrs.Factory(dict)  # service -> name of the added client
    blocked: tuple[str, ...] = ()  # the services it would need if it could be split


def _service_arg(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "service_name":
            return kw.value
    return call.args[0] if call.args else None


def _has_region(call: ast.Call) -> bool | None:
    """Whether the construction names a region; ``None`` when ``**kwargs`` may hold one."""
    if len(call.args) >= 2 or any(kw.arg == "region_name" for kw in call.keywords):
        return True
    if any(kw.arg is None for kw in call.keywords) or any(
        isinstance(a, ast.Starred) for a in call.args
    ):
        return None
    return False


class _Source:
    """Positions in one text: ast's UTF-8 byte offsets -> libcst's character columns."""

    def __init__(self, text: str) -> None:
        self.lines = _NEWLINE.split(text)

    def col(self, line: int, offset: int) -> int:
        return _char_column(self.lines[line - 1], offset)

    def range(self, node: ast.AST) -> Range:
        line, end_line = node.lineno, node.end_lineno  # type: ignore[attr-defined]
        end = node.end_col_offset  # type: ignore[attr-defined]
        assert end_line is not None  # noqa: S101 - ast.parse sets every position
        assert end is not None  # noqa: S101
        return (line, self.col(line, node.col_offset), end_line, self.col(end_line, end))  # type: ignore[attr-defined]


def _needed_service(replacement: Replacement | None, site_services: Counter[str]) -> str | None:
    """The namespace a use needs: ``chime`` when it stays there (or has no supported
    replacement), ``None`` when it cannot be told (the generic tagging operations, on a client
    whose other calls do not say which namespace owns the ARN)."""
    if replacement is None or replacement.operation is None or replacement.kind == "legacy-only":
        return LEGACY
    if len(replacement.services) == 1:
        return replacement.services[0]
    known = [s for s in site_services if s in replacement.services]
    return known[0] if len(known) == 1 else None


def _statement(node: ast.AST, parents: Mapping[int, ast.AST]) -> ast.stmt:
    while not isinstance(node, ast.stmt):
        node = parents[id(node)]
    return node


def _identifiers(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return target.attr
    return None


def _declared_global(stmt: ast.stmt, name: str, parents: Mapping[int, ast.AST]) -> bool:
    node: ast.AST = stmt
    while id(node) in parents:
        node = parents[id(node)]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return any(
                isinstance(s, (ast.Global, ast.Nonlocal)) and name in s.names
                for s in ast.walk(node)
            )
    return False


def _split_target(site: _Site, parents: Mapping[int, ast.AST]) -> tuple[ast.stmt, str] | None:
    """The statement ``X = <construction>`` (a name, or an attribute such as ``self.x``)
    next to which a second client can be added, and ``X``'s name."""
    stmt = parents.get(id(site.call))
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    name = _target_name(stmt.targets[0])
    if name is None or not isinstance(
        parents.get(id(stmt)), (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    ):
        return None
    if isinstance(stmt.targets[0], ast.Name) and _declared_global(stmt, name, parents):
        return None
    if stmt not in getattr(parents[id(stmt)], "body", []):  # not in an else/finally branch
        return None
    return stmt, name


def _receiver_names(receiver: ast.expr, name: str) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id == name
    return isinstance(receiver, ast.Attribute) and receiver.attr == name


def _fresh(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


class _Planner:
    """Decides every edit of one module from its ``ast`` and the scanner's analysis."""

    def __init__(
        self,
        text: str,
        tree: ast.Module,
        uses: Sequence[_Use],
        constructions: Mapping[int, ast.Call],
    ) -> None:
        self.tree = tree
        self.uses = uses
        self.constructions = constructions
        self.plan = _Plan()
        self.edits: list[Edit] = []
        self.src = _Source(text)
        self.parents: dict[int, ast.AST] = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }

    # -- helpers --

    def where(self, node: ast.AST) -> tuple[int, int]:
        return node.lineno, self.src.col(node.lineno, node.col_offset) + 1  # type: ignore[attr-defined]

    def edit(
        self, *, line: int, column: int, action: str, detail: str, operation: str | None = None
    ) -> None:
        self.edits.append(
            Edit(line=line, column=column, action=action, detail=detail, operation=operation)
        )

    def use_where(self, use: _Use) -> tuple[int, int]:
        return use.line, self.src.col(use.line, use.offset) + 1

    def todo(self, node: ast.AST, text: str, operation: str | None = None) -> None:
        stmt = _statement(node, self.parents)
        comments = self.plan.todos.setdefault(stmt.lineno, [])
        indent = self.src.col(stmt.lineno, stmt.col_offset)
        lines = textwrap.wrap(
            text,
            _TODO_WIDTH - indent,
            initial_indent=f"{TODO_MARKER} ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
            break_long_words=False,
        )
        if lines not in comments:
            comments.append(lines)
            line, column = self.where(node)
            self.edit(line=line, column=column, action="todo", detail=text, operation=operation)

    # -- sites --

    def sites(self) -> dict[int, _Site]:
        sites = {key: _Site(call) for key, call in self.constructions.items()}
        for use in self.uses:
            for key in use.sites:
                if key in sites:
                    sites[key].uses.append(use)
        for site in sites.values():
            self.decide(site)
        return sites

    def decide(self, site: _Site) -> None:
        counts: Counter[str] = Counter()
        for use in site.uses:
            r = replacement_for(use.method)
            if r is not None and r.operation is not None and len(r.services) == 1:
                counts[r.services[0]] += 1
        needs: Counter[str] = Counter()
        for use in site.uses:
            service = _needed_service(replacement_for(use.method), counts)
            if service is not None:
                needs[service] += 1
        dedicated = sorted((s for s in needs if s != LEGACY), key=lambda s: (-needs[s], s))
        if not dedicated:
            return
        if len(dedicated) == 1 and LEGACY not in needs:
            site.primary = dedicated[0]
            return
        primary = LEGACY if LEGACY in needs else dedicated[0]
        split = _split_target(site, self.parents)
        extra = [s for s in dedicated if s != primary]
        movable = split is not None and all(
            len(use.sites) == 1 and _receiver_names(use.receiver, split[1])
            for use in site.uses
            if _needed_service(replacement_for(use.method), counts) in extra
        )
        if split is None or not movable:
            site.blocked = tuple(sorted(needs))
            return
        site.primary = primary
        taken = _identifiers(self.tree)
        stmt, name = split
        for service in extra:
            suffix = _SUFFIX[service].upper() if name.isupper() else _SUFFIX[service]
            site.extra[service] = _fresh(f"{name}_{suffix}", taken)
        # the added clients copy the construction as rewritten: it has region_name already
        # unless it stays a chime client
        region = primary == LEGACY and _has_region(site.call) is False
        self.plan.inserts[stmt.lineno] = [(site.extra[s], s, region) for s in extra]

    def rewrite_site(self, site: _Site) -> None:
        call = site.call
        line, column = self.where(call)
        if site.blocked:
            services = ", ".join(
                "calls that stay in chime" if s == LEGACY else s for s in site.blocked
            )
            self.todo(
                call,
                f"this chime client is used for {services}: create one client per namespace and "
                "call each operation on its own (the TODOs at the calls say which).",
            )
            return
        if site.primary == LEGACY and not site.extra:
            return
        region = _has_region(call)
        arg = _service_arg(call)
        assert arg is not None  # noqa: S101 - the scanner matched the literal "chime" there
        if site.primary != LEGACY:
            self.plan.services[self.src.range(arg)] = site.primary
            self.edit(line=line, column=column, action="client", detail=f"chime -> {site.primary}")
        if region is False:
            if site.primary != LEGACY:
                self.plan.regions.add(self.src.range(call.func))
            self.edit(
                line=line,
                column=column,
                action="region",
                detail=f"region_name={_LEGACY_REGION!r}, where the legacy client always went",
            )
        for service, name in site.extra.items():
            self.edit(
                line=line, column=column, action="new-client", detail=f"{name} = a {service} client"
            )
        if region is None and (site.primary != LEGACY or site.extra):
            self.todo(
                call,
                f"the legacy client always used {_LEGACY_REGION}; make sure the region this "
                "client gets (from **kwargs or the session) is where your meetings are.",
            )

    # -- uses --

    def rewrite_use(self, use: _Use, sites: Mapping[int, _Site]) -> None:
        r = replacement_for(use.method)
        if r is None:
            return  # stays in chime; the construction keeps a chime client for it
        operation = r.legacy_operation
        node = use.node
        gone = _no_replacement_todo(r)
        if gone is not None:
            self.todo(node, gone, operation)
            return
        assert r.operation is not None  # noqa: S101 - _no_replacement_todo covers None
        if _EXTERNAL in use.sites:
            where = r.service if len(r.services) == 1 else "dedicated-namespace"
            self.todo(
                node,
                f"this client comes from the caller (annotated ChimeClient): pass a {where} "
                f"client here and call {botocore_name(r)} on it.",
                operation,
            )
            return
        site_list = [sites[s] for s in use.sites if s in sites]
        counts: Counter[str] = Counter(s.primary for s in site_list if s.primary != LEGACY)
        service = _needed_service(r, counts)
        if service is None:
            self.todo(
                node,
                f"{r.operation} exists in every dedicated namespace: call it on the client of the "
                "namespace that owns the resource ARN.",
                operation,
            )
            return
        receiver_name: str | None = None
        for site in site_list:
            if site.primary == service:
                continue
            if service in site.extra:
                receiver_name = site.extra[service]
                continue
            renamed = "" if r.operation == operation else f" ({r.operation})"
            self.todo(
                node,
                f"{operation} needs a {service} client{renamed}; this chime client cannot "
                "become one here (see the TODO where it is created).",
                operation,
            )
            return
        line, column = self.use_where(use)
        if receiver_name is not None:
            self.plan.receivers[self.src.range(use.receiver)] = receiver_name
            self.edit(
                line=line,
                column=column,
                action="receiver",
                detail=f"on {receiver_name} ({service})",
                operation=operation,
            )
        new_method = botocore_name(r)
        if new_method != use.method:
            self.rename(use, new_method)
            self.edit(
                line=line,
                column=column,
                action="rename",
                detail=f"{use.method} -> {new_method}",
                operation=operation,
            )
        if use.kind == "call" and isinstance(node, ast.Call):
            self.members(use, node, r, service)

    def rename(self, use: _Use, new_method: str) -> None:
        if use.kind in ("call", "reference"):
            start = self.src.col(use.line, use.offset)
            self.plan.names[(use.line, start, use.line, start + len(use.method))] = new_method
        else:  # get_paginator("...") / getattr(client, "...")
            assert isinstance(use.node, ast.Call)  # noqa: S101
            literal = use.node.args[0 if use.kind == "paginator" else 1]
            self.plan.strings[self.src.range(literal)] = new_method

    def members(self, use: _Use, call: ast.Call, r: Replacement, service: str) -> None:
        assert r.operation is not None  # noqa: S101
        operation = r.legacy_operation
        model = _input_members(service, r.operation)
        if model is None:  # pragma: no cover - the tests check every target exists
            return
        members, required = model
        passed = passed_members(call)
        renames = {old: new for (op, old), new in MEMBER_RENAMES.items() if op == operation}
        line, column = self.use_where(use)
        renamed: dict[str, str] = {}
        unknown: list[str] = []
        for kw in call.keywords:
            if kw.arg is None:
                continue
            if kw.arg in renames:
                renamed[kw.arg] = renames[kw.arg]
                self.edit(
                    line=line,
                    column=column,
                    action="member",
                    detail=f"{kw.arg} -> {renames[kw.arg]}",
                    operation=operation,
                )
            elif kw.arg not in members:
                unknown.append(kw.arg)
        if renamed:
            self.plan.keywords[self.src.range(call.func)] = renamed
        given = None if passed is None else {renamed.get(m, m) for m in passed}
        missing = [m for m in required if given is not None and m not in given]
        if "MeetingId" in unknown and "ResourceARN" in missing:  # one TODO says both
            missing.remove("ResourceARN")
        for member in unknown:
            self.todo(call, _unknown_member(service, r.operation, member), operation)
        if missing:
            self.todo(call, _required(service, r.operation, missing, known=True), operation)
        elif given is None and "required-members" in {n.id for n in r.notes}:
            self.todo(call, _required(service, r.operation, required, known=False), operation)

    def run(self) -> None:
        sites = self.sites()
        for site in sites.values():
            self.rewrite_site(site)
        for use in self.uses:
            self.rewrite_use(use, sites)


def botocore_name(r: Replacement) -> str:
    import botocore

    return botocore.xform_name(r.operation) if r.operation else r.method


_BY_ARN = frozenset(("TagResource", "UntagResource", "ListTagsForResource"))


def _no_replacement_todo(r: Replacement) -> str | None:
    """The TODO for a call that no dedicated namespace can take; ``None`` for the others."""
    operation = r.legacy_operation
    if r.end_of_support is not None:
        return (
            f"chime {operation} has no supported replacement: {r.end_of_support.describe()}: "
            "remove the feature or rebuild it on another service."
        )
    if r.kind == "legacy-only":
        ended = retirement("chime-service-end").date.isoformat()
        return (
            f"{operation} exists only in chime, and AWS ended support for the Amazon Chime "
            f"service on {ended}: ring the number with chime-sdk-voice "
            "CreateSipMediaApplicationCall and join it to the meeting from a SIP media "
            "application (chime-calls docs dial-out)."
        )
    if r.operation is None:
        deprecated = retirement("legacy-deprecated").date.isoformat()
        return (
            f"chime {operation} has no replacement in {' or '.join(r.services)} (AWS "
            f"deprecated it on {deprecated} with no successor): remove the call or redesign "
            "the feature around it."
        )
    return None


_HINTS = {
    "MediaRegion": f'MediaRegion="{_LEGACY_REGION}" keeps the region the legacy endpoint always '
    "used",
    "ExternalMeetingId": "ExternalMeetingId is your own ID for the meeting (2-64 characters)",
    "ChimeBearer": "ChimeBearer is the ARN of the AppInstanceUser or AppInstanceBot that calls",
}


def _required(service: str, operation: str, missing: Sequence[str], *, known: bool) -> str:
    names = " and ".join(missing) if len(missing) < 3 else ", ".join(missing)
    hints = "; ".join(_HINTS[m] for m in missing if m in _HINTS)
    text = f"{service} {operation} requires {names}"
    if not known:
        text += " (pass them unless **kwargs has them)"
    return f"{text}: {hints}." if hints else f"{text}."


def _unknown_member(service: str, operation: str, member: str) -> str:
    if member == "Tags" and operation in ("CreateAttendee", "BatchCreateAttendee"):
        return (
            f"{service} {operation} has no Tags: attendee tags do not exist there; drop them or "
            "keep them in your own store keyed by AttendeeId."
        )
    if member == "MeetingId" and operation in _BY_ARN:
        return (
            f"{service} {operation} takes the meeting's ARN: pass ResourceARN=<Meeting.MeetingArn> "
            "instead of MeetingId."
        )
    return f"{service} {operation} has no member {member}: remove it or find where it moved."


_MODELS: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]] | None] = {}


def _input_members(service: str, operation: str) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The installed model's input members and required members of a target operation."""
    key = (service, operation)
    if key not in _MODELS:
        import botocore.session
        from botocore.exceptions import BotoCoreError
        from botocore.model import OperationNotFoundError

        try:
            model = botocore.session.get_session().get_service_model(service)
            shape = model.operation_model(operation).input_shape
        except (BotoCoreError, OperationNotFoundError):  # pragma: no cover - an older botocore
            _MODELS[key] = None
        else:
            members = frozenset(shape.members) if shape is not None else frozenset()
            required = tuple(shape.required_members) if shape is not None else ()
            _MODELS[key] = (members, required)
    return _MODELS[key]


# --- the libcst pass ----------------------------------------------------------------------------


def _libcst() -> Any:
    try:
        import libcst
    except ImportError as exc:
        raise FixUnavailableError(MISSING_LIBCST) from exc
    return libcst


def _todos(text: str) -> tuple[Todo, ...]:
    """Every TODO comment in ``text``, continuation lines (``#   ...``) joined."""
    if "TODO(chime-calls)" not in text:
        return ()
    found: list[Todo] = []
    open_todo = False
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        if m := _TODO_LINE.match(line):
            found.append(Todo(line=number, text=m.group(1)))
            open_todo = True
        elif open_todo and (more := _TODO_MORE.match(line)):
            found[-1] = attrs.evolve(found[-1], text=f"{found[-1].text} {more.group(1)}")
        else:
            open_todo = False
    return tuple(found)


def fix_source(source: bytes | str, path: str = "<string>") -> FileFix:
    """Rewrite one module. Raises ``SyntaxError``, ``UnicodeDecodeError`` or ``ValueError`` for
    sources Python itself would refuse, ``FixUnavailableError`` without libcst."""
    cst = _libcst()
    from chime_calls.migration import _rewrite

    text = _decode(source) if isinstance(source, bytes) else source
    tree = ast.parse(text, filename=path)
    if "chime" not in text:
        return FileFix(
            path=path, original=text, fixed=text, edits=(), findings=(), remaining=(), todos=()
        )
    analysis = _analyse(tree)
    findings = tuple(findings_of(analysis.uses, text, path))
    planner = _Planner(text, tree, analysis.uses, analysis.constructions)
    planner.run()
    fixed = text
    if not planner.plan.empty():
        module = cst.parse_module(text)
        fixed = _rewrite.apply(module, planner.plan)
    remaining = tuple(scan_source(fixed, path)) if fixed != text else findings
    edits = tuple(sorted(planner.edits, key=lambda e: (e.line, e.column, e.action)))
    return FileFix(
        path=path,
        original=text,
        fixed=fixed,
        edits=edits,
        findings=findings,
        remaining=remaining,
        todos=_todos(fixed),
    )


def _rewrite_or_refuse(text: str, path: str) -> FileFix:
    try:
        return fix_source(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError, FixUnavailableError):
        raise
    except Exception as exc:  # libcst refusing what ast took: report it, leave the file alone
        raise ValueError(f"libcst: {type(exc).__name__}: {exc}") from exc


def _fix_file(path: str, *, write: bool, max_bytes: int) -> tuple[FileFix | None, ScanError | None]:
    outcome = on_file(path, _rewrite_or_refuse, max_bytes=max_bytes)
    if isinstance(outcome, ScanError):
        return None, outcome
    result, encoding = outcome
    if write and result.changed:
        Path(path).write_bytes(result.fixed.encode(encoding))
    return result, None


def fix_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    write: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    follow_symlinks: bool = False,
) -> FixResult:
    """Rewrite files and directory trees (walked and limited like ``scan_paths``); ``write``
    applies the changes, otherwise nothing is written. A file that cannot be read or parsed is
    reported and left alone."""
    _libcst()
    files: list[FileFix] = []
    errors: list[ScanError] = []
    missing: list[str] = []
    scanned = 0
    for file in walk_paths(paths, missing, follow_symlinks=follow_symlinks, skipped=errors):
        scanned += 1
        fixed, error = _fix_file(file, write=write, max_bytes=max_bytes)
        if fixed is not None:
            files.append(fixed)
        if error is not None:
            errors.append(error)
    return FixResult(
        files=tuple(files),
        errors=tuple(errors),
        missing=tuple(missing),
        files_scanned=scanned,
        written=write,
    )
