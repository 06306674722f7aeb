"""The ``chime-calls`` console script.

Subcommands import their implementation lazily, so ``chime-calls --help`` stays fast and a
broken optional piece cannot stop the others.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chime-calls",
        description="Typed Amazon Chime SDK calls: demo on the embedded fake, migration tools.",
    )
    from chime_calls._version import __version__

    parser.add_argument("--version", action="version", version=f"chime-calls {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    demo = sub.add_parser(
        "demo",
        help="run the whole flow against the embedded fake (no AWS)",
        description="Run the whole flow on chime_calls.testing's embedded fake, with no AWS "
        "account and nothing sent anywhere: a meeting, an attendee, a legacy dial-out, a SIP "
        "media application call answered by the dial-out handler, a typed error for a bad "
        "number (nothing sent), a throttled call retried, a lost answer never re-sent, and a "
        "deleted meeting. Exit status 0 when every step behaved as documented.",
    )
    demo.set_defaults(func=_run_demo)

    migrate = sub.add_parser("migrate", help="move code off the legacy 'chime' namespace")
    migrate_sub = migrate.add_subparsers(dest="migrate_command", metavar="SUBCOMMAND")
    migrate_sub.required = True
    scan = migrate_sub.add_parser(
        "scan",
        help="find legacy Chime SDK calls in Python sources",
        description="Find calls to the legacy 'chime' namespace's meeting, voice, messaging "
        "and identity operations in Python files (read, never imported), with what replaces "
        "each and when AWS retired it.",
        epilog="formats: text (one line per finding, then the notes that apply), json (one "
        "document: findings, errors, notes), sarif (SARIF 2.1.0, for code scanning). "
        "Exit status: 0 no legacy call found; 1 findings, or files that could not be read, "
        "decoded or parsed, or were skipped (not known clean); 2 a path that does not exist "
        "or bad arguments.",
    )
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    _add_read_limits(scan)
    scan.set_defaults(func=_run_migrate_scan)

    fix = migrate_sub.add_parser(
        "fix",
        help="rewrite legacy Chime SDK calls onto the dedicated namespaces (needs libcst)",
        description="Rewrite legacy 'chime' calls: each client becomes the dedicated client its "
        "calls need, renamed operations are renamed, and a '# TODO(chime-calls):' comment is "
        "left where the change is not mechanical. Prints a unified diff unless --write. Needs "
        "the optional extra: pip install 'chime-calls[migrate]'.",
        epilog="exit status: 0 nothing left to change; 1 changes not yet written, TODOs or "
        "findings left, or files that could not be read or parsed (left alone); 2 a path that "
        "does not exist, bad arguments, or libcst missing. Text output: the diff on stdout, "
        "the report on stderr (with --write, the report on stdout).",
    )
    fix.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    fix.add_argument("--write", action="store_true", help="apply the changes to the files")
    fix.add_argument("--format", choices=("text", "json"), default="text")
    _add_read_limits(fix)
    fix.set_defaults(func=_run_migrate_fix)
    return parser


def _megabytes(text: str) -> int:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number of megabytes")
    return int(value * 1_000_000)


def _add_read_limits(parser: argparse.ArgumentParser) -> None:
    from chime_calls.migration.scan import MAX_FILE_BYTES

    parser.add_argument(
        "--max-file-size",
        type=_megabytes,
        default=MAX_FILE_BYTES,
        metavar="MB",
        help=f"skip (and report) files larger than this (default {MAX_FILE_BYTES / 1e6:g} MB)",
    )
    parser.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read files that links in a scanned tree lead to outside it (default: reported, "
        "not read)",
    )


def _run_demo(args: argparse.Namespace) -> int:
    from chime_calls._demo import run_demo

    return run_demo(sys.stdout)


def _run_migrate_scan(args: argparse.Namespace) -> int:
    from chime_calls.migration._cli import run_scan

    status: int = run_scan(
        args.paths,
        args.format,
        sys.stdout,
        max_bytes=args.max_file_size,
        follow_symlinks=args.follow_symlinks,
    )
    return status


def _run_migrate_fix(args: argparse.Namespace) -> int:
    from chime_calls.migration._cli import run_fix

    status: int = run_fix(
        args.paths,
        args.format,
        sys.stdout,
        sys.stderr,
        write=args.write,
        max_bytes=args.max_file_size,
        follow_symlinks=args.follow_symlinks,
    )
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
