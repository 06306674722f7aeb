"""``chime-calls migrate scan`` and ``migrate fix``: report formats (text, JSON, SARIF 2.1.0 for
the scan; a unified diff or JSON for the fix) and the exit status.

Exit status, like linters: 0 nothing found (nothing left to change), 1 findings or files that
could not be scanned (for the fix: changes not yet written, TODOs or findings left), 2 a path
that does not exist (a usage error; the other paths are still scanned and reported).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from chime_calls.migration.mapping import NOTES, Kind
from chime_calls.migration.scan import MAX_FILE_BYTES, Finding, ScanResult, scan_paths

if TYPE_CHECKING:
    from chime_calls.migration.fix import Edit, FixResult

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
    "fix_to_json",
    "render",
    "run_fix",
    "run_scan",
    "to_json",
    "to_sarif",
]

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION_URI = "https://pypi.org/project/chime-calls/"
_DOCS = "chime-calls docs migration"
#: One SARIF rule per kind of change; ``level`` is how urgent the edit is.
_RULES: dict[Kind, tuple[str, str, str]] = {
    "moved": ("CHIME001", "warning", "Legacy chime operation moved to a dedicated namespace"),
    "renamed": ("CHIME002", "warning", "Legacy chime operation replaced by another operation"),
    "removed": ("CHIME003", "error", "Legacy chime operation has no replacement"),
    "retired": (
        "CHIME005",
        "error",
        "Legacy chime operation whose replacement reached end of support",
    ),
    "legacy-only": (
        "CHIME004",
        "warning",
        "Legacy-only chime operation; the SDK path is a SIP media application call",
    ),
}


def _message(finding: Finding) -> str:
    r = finding.replacement
    if r.end_of_support is not None:
        return f"chime {finding.operation} has no supported replacement: " + (
            r.end_of_support.describe()
        )
    if r.operation is None:
        where = " or ".join(r.services)
        return f"chime {finding.operation} has no replacement in {where}"
    where = " / ".join(r.services)
    if r.kind == "legacy-only":
        return f"chime {finding.operation} -> {where} {r.operation} via a SIP media application"
    return f"chime {finding.operation} -> {where} {r.operation}"


def _exit_status(result: ScanResult) -> int:
    if result.missing:
        return EXIT_USAGE
    if result.findings or result.errors:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _note_ids(finding: Finding) -> str:
    return ", ".join(n.id for n in finding.notes)


def used_notes(findings: Iterable[Finding]) -> dict[str, str]:
    """The notes the findings refer to, in the order of ``NOTES``."""
    used = {n.id for f in findings for n in f.notes}
    return {n.id: n.text for n in NOTES.values() if n.id in used}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def shown(path: str) -> str:
    """A file name as text output may print it: control characters escaped, so a name with a
    newline cannot forge a report line and an escape sequence cannot reach the terminal."""
    if path.isprintable():
        return path
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)


def _text(result: ScanResult) -> str:
    lines = [
        f"{shown(f.path)}:{f.line}:{f.column}: {_message(f)} [{_note_ids(f)}]"
        for f in result.findings
    ]
    lines += [f"{shown(e.path)}: error: {e.reason}" for e in result.errors]
    lines += [f"{shown(m)}: error: no such file or directory" for m in result.missing]
    used = used_notes(result.findings)
    if used:
        lines += ["", "Notes (see chime-calls docs migration):"]
        lines += [f"  {note_id}: {text}" for note_id, text in used.items()]
    files = len({f.path for f in result.findings})
    errors = len(result.errors) + len(result.missing)
    lines += [
        "",
        f"{_count(len(result.findings), 'finding')} in {_count(files, 'file')}; "
        f"{_count(result.files_scanned, 'file')} scanned, {_count(errors, 'error')}",
    ]
    return "\n".join(lines) + "\n"


def _end_of_support_json(f: Finding) -> dict[str, Any] | None:
    eos = f.replacement.end_of_support
    if eos is None:
        return None
    return {
        "service": eos.service,
        "operation": eos.operation,
        "date": eos.date.isoformat() if eos.date else None,
        "notice": eos.notice,
        "source": eos.source,
    }


def _finding_json(f: Finding) -> dict[str, Any]:
    r = f.replacement
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "operation": f.operation,
        "method": f.method,
        "kind": r.kind,
        "replacement_service": r.service,
        "replacement_services": list(r.services),
        "replacement_operation": r.operation,
        "end_of_support": _end_of_support_json(f),
        "notes": [n.id for n in f.notes],
        "message": _message(f),
    }


def to_json(result: ScanResult) -> dict[str, Any]:
    """The ``--format json`` document: ``findings``, ``errors`` and a summary."""
    errors = [{"path": e.path, "reason": e.reason} for e in result.errors]
    errors += [{"path": m, "reason": "no such file or directory"} for m in result.missing]
    return {
        "findings": [_finding_json(f) for f in result.findings],
        "errors": errors,
        "files_scanned": result.files_scanned,
        "notes": used_notes(result.findings),
    }


def _artifact(path: str) -> dict[str, str]:
    """A SARIF artifact location: relative paths resolve against ``%SRCROOT%`` (the working
    directory), so code-scanning tools match them to files in the repository."""
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(posix.as_posix()), "uriBaseId": "%SRCROOT%"}


def to_sarif(result: ScanResult) -> dict[str, Any]:
    """The ``--format sarif`` document (SARIF 2.1.0), one rule per kind of change."""
    from chime_calls import __version__

    kinds = list(_RULES)
    rules = [
        {
            "id": rule_id,
            "name": kind.title().replace("-", ""),
            "shortDescription": {"text": text},
            "fullDescription": {"text": f"{text}. See {_DOCS} for what to change."},
            "helpUri": f"{_INFORMATION_URI}#migration",
            "help": {"text": f"See {_DOCS} in the chime-calls documentation."},
            "defaultConfiguration": {"level": level},
        }
        for kind, (rule_id, level, text) in _RULES.items()
    ]
    results = []
    for f in result.findings:
        rule_id, level, _ = _RULES[f.replacement.kind]
        notes = " ".join(n.text for n in f.notes)
        results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": kinds.index(f.replacement.kind),
                "level": level,
                "message": {"text": f"{_message(f)}. {notes}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": _artifact(f.path),
                            "region": {"startLine": f.line, "startColumn": f.column},
                        }
                    }
                ],
                "properties": _finding_json(f),
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": reason},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(path)}}],
        }
        for path, reason in [(e.path, e.reason) for e in result.errors]
        + [(m, "no such file or directory") for m in result.missing]
    ]
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "chime-calls",
                        "version": __version__,
                        "informationUri": _INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": not result.missing,
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }


def render(result: ScanResult, fmt: str) -> str:
    """The report in ``fmt`` (``text``, ``json`` or ``sarif``)."""
    if fmt == "text":
        return _text(result)
    if fmt == "json":
        return json.dumps(to_json(result), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(result), indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def run_scan(
    paths: Sequence[str],
    fmt: str,
    out: TextIO,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    follow_symlinks: bool = False,
) -> int:
    """Scan ``paths``, write the report to ``out``, return the exit status."""
    result = scan_paths(paths, max_bytes=max_bytes, follow_symlinks=follow_symlinks)
    out.write(render(result, fmt))
    return _exit_status(result)


# --- migrate fix --------------------------------------------------------------------------------


def _fix_status(result: FixResult) -> int:
    if result.missing:
        return EXIT_USAGE
    pending = any(
        (f.changed and not result.written) or f.todos or f.remaining for f in result.files
    )
    return EXIT_FINDINGS if pending or result.errors else EXIT_CLEAN


def _edit_json(e: Edit) -> dict[str, Any]:
    return {
        "line": e.line,
        "column": e.column,
        "action": e.action,
        "operation": e.operation,
        "detail": e.detail,
    }


def fix_to_json(result: FixResult) -> dict[str, Any]:
    """The ``migrate fix --format json`` document: per file what changed (``edits``, ``diff``),
    the TODOs it holds and the findings left; files with nothing to report are left out."""
    files = [
        {
            "path": f.path,
            "changed": f.changed,
            "written": f.changed and result.written,
            "edits": [_edit_json(e) for e in f.edits],
            "todos": [{"line": t.line, "text": t.text} for t in f.todos],
            "remaining": [_finding_json(r) for r in f.remaining],
            "diff": f.diff(),
        }
        for f in result.files
        if f.changed or f.todos or f.remaining
    ]
    errors = [{"path": e.path, "reason": e.reason} for e in result.errors]
    errors += [{"path": m, "reason": "no such file or directory"} for m in result.missing]
    return {
        "files": files,
        "errors": errors,
        "files_scanned": result.files_scanned,
        "written": result.written,
        "summary": _fix_summary(result),
        "notes": used_notes(r for f in result.files for r in f.remaining),
    }


def _fix_summary(result: FixResult) -> dict[str, int]:
    return {
        "files_changed": sum(f.changed for f in result.files),
        "edits": sum(len(f.edits) for f in result.files if f.changed),
        "todos": sum(len(f.todos) for f in result.files),
        "remaining": sum(len(f.remaining) for f in result.files),
        "errors": len(result.errors) + len(result.missing),
    }


def _fix_report(result: FixResult) -> str:
    lines = [f"{shown(f.path)}:{t.line}: TODO {t.text}" for f in result.files for t in f.todos]
    lines += [f"{shown(e.path)}: error: {e.reason}" for e in result.errors]
    lines += [f"{shown(m)}: error: no such file or directory" for m in result.missing]
    s = _fix_summary(result)
    verb = "changed" if result.written else "to change"
    lines += [
        "",
        f"{_count(s['files_changed'], 'file')} {verb} ({_count(s['edits'], 'edit')}), "
        f"{_count(s['todos'], 'TODO')} left; {_count(result.files_scanned, 'file')} scanned, "
        f"{_count(s['errors'], 'error')}",
    ]
    if s["files_changed"] and not result.written:
        lines.append("Run again with --write to apply the changes.")
    return "\n".join(lines) + "\n"


def run_fix(
    paths: Sequence[str],
    fmt: str,
    out: TextIO,
    err: TextIO,
    *,
    write: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    follow_symlinks: bool = False,
) -> int:
    """Rewrite ``paths`` (only with ``write``), report, return the exit status: 0 nothing left
    to do, 1 changes to make or TODOs/findings left or files that could not be rewritten,
    2 a path that does not exist or libcst missing. Text: the unified diff on ``out`` (unless
    ``write``) and the report on ``err``, so ``| git apply`` takes the diff alone."""
    from chime_calls.migration.fix import FixUnavailableError, fix_paths

    try:
        result = fix_paths(paths, write=write, max_bytes=max_bytes, follow_symlinks=follow_symlinks)
    except FixUnavailableError as exc:
        err.write(f"chime-calls: error: {exc}\n")
        return EXIT_USAGE
    if fmt == "json":
        out.write(json.dumps(fix_to_json(result), indent=2) + "\n")
    elif write:
        out.write(_fix_report(result))
    else:
        out.write("".join(f.diff() for f in result.files))
        err.write(_fix_report(result))
    return _fix_status(result)
