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
        description="Typed Amazon Chime SDK calls: demo on the embedded fake, migration tools, "
        "dial-out setup.",
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

    setup = sub.add_parser("setup", help="provision what a feature needs in your AWS account")
    setup_sub = setup.add_subparsers(dest="setup_command", metavar="SUBCOMMAND")
    setup_sub.required = True
    dial = setup_sub.add_parser(
        "dial-out",
        help="a caller-ID number, a SIP media application and its SIP rule, for dial_out",
        description="Find or create what ChimeCalls.dial_out needs, idempotently: a phone "
        "number (ordered in --area-code, or --phone-number of your inventory), a SIP media "
        "application for --lambda-arn and the SIP rule that ties them. Prints what it did and "
        "the ChimeCalls(...) line to use (docs/dial-out.md).",
        epilog="exit status: 0 done or nothing to do; 1 stopped (what was made so far and how "
        "to resume or remove it are printed); 2 bad arguments; 130 interrupted.",
    )
    dial.add_argument("--lambda-arn", required=True, help="the function the application runs")
    dial.add_argument("--region", help="default: the Lambda's region (they must be the same)")
    choice = dial.add_mutually_exclusive_group(required=True)
    choice.add_argument("--area-code", help="order a number in this area code (e.g. 206)")
    choice.add_argument("--phone-number", help="use this E.164 number of your inventory")
    _common_dial_out_options(dial)
    dial.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for an order")
    dial.add_argument("--poll-interval", type=float, default=10.0, help=argparse.SUPPRESS)
    dial.add_argument(
        "--skip-lambda-check", action="store_true", help="do not look the Lambda function up"
    )
    dial.add_argument("--show-phone-number", action="store_true", help="print the number unmasked")
    dial.set_defaults(func=_run_setup)

    teardown = sub.add_parser("teardown", help="remove what 'chime-calls setup' made")
    teardown_sub = teardown.add_subparsers(dest="teardown_command", metavar="SUBCOMMAND")
    teardown_sub.required = True
    undo = teardown_sub.add_parser(
        "dial-out",
        help="remove the SIP rule, the SIP media application and the number setup ordered",
        epilog="exit status: 0 done or nothing to remove; 1 stopped (what was removed so far "
        "is printed); 2 bad arguments.",
    )
    undo.add_argument("--region", required=True)
    _common_dial_out_options(undo)
    undo.add_argument(
        "--keep-phone-number", action="store_true", help="do not delete the number setup ordered"
    )
    undo.set_defaults(func=_run_teardown)
    return parser


def _common_dial_out_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="chime-calls-dial-out", help="what setup names things")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--profile", help="the AWS profile to use (default: the environment's)")


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


def _run_setup(args: argparse.Namespace) -> int:
    from chime_calls.voice.setup import run_cli

    return run_cli("setup", args, sys.stdout, sys.stderr)


def _run_teardown(args: argparse.Namespace) -> int:
    from chime_calls.voice.setup import run_cli

    return run_cli("teardown", args, sys.stdout, sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
