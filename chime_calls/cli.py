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

    demo = sub.add_parser("demo", help="run the whole flow against the embedded fake (no AWS)")
    demo.set_defaults(func=_run_demo)

    migrate = sub.add_parser("migrate", help="move code off the legacy 'chime' namespace")
    migrate_sub = migrate.add_subparsers(dest="migrate_command", metavar="SUBCOMMAND")
    migrate_sub.required = True
    scan = migrate_sub.add_parser("scan", help="find legacy Chime SDK calls in Python sources")
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    scan.add_argument("--format", choices=("text", "json", "sarif"), default="text")
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
    fix.set_defaults(func=_run_migrate_fix)
    return parser


def _run_demo(args: argparse.Namespace) -> int:
    from chime_calls._demo import run_demo

    return run_demo(sys.stdout)


def _run_migrate_scan(args: argparse.Namespace) -> int:
    from chime_calls.migration._cli import run_scan

    status: int = run_scan(args.paths, args.format, sys.stdout)
    return status


def _run_migrate_fix(args: argparse.Namespace) -> int:
    from chime_calls.migration._cli import run_fix

    status: int = run_fix(args.paths, args.format, sys.stdout, sys.stderr, write=args.write)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
