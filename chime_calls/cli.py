"""The ``chime-calls`` console script.

Subcommands import their implementation lazily, so ``chime-calls --help`` stays fast and a
broken optional piece cannot stop the others.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chime-calls",
        description="Typed Amazon Chime SDK calls: demo on the embedded fake, migration tools, "
        "the fake as an HTTP server, a SIP media application handler check, dial-out setup, "
        "dialing campaigns, and the documentation ('chime-calls docs').",
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

    _add_tool_commands(sub)
    _add_setup_commands(sub)
    docs = sub.add_parser(
        "docs",
        help="list the documentation pages, or print one",
        description="The documentation ships with the package: without NAME, list the pages; "
        "with NAME (as error messages and notes name them: 'chime-calls docs dial-out'), "
        "print that page's Markdown.",
        epilog="exit status: 0 done; 2 no such page.",
    )
    docs.add_argument("name", nargs="?", metavar="NAME", help="a page, e.g. dial-out")
    docs.set_defaults(func=_run_docs)
    _add_campaign_commands(sub)
    return parser


def _add_tool_commands(sub: Any) -> None:
    """``fake serve`` and ``sma check``: the testing tools."""
    serve = _group(sub, "fake", "the Chime fake for other languages and tools").add_parser(
        "serve",
        help="serve chime-sdk-meetings, chime-sdk-voice and chime over HTTP (--endpoint-url)",
        description="Run the Chime fake as a local HTTP server speaking the three services' "
        "wire protocols, for the AWS CLI, the JavaScript and Java SDKs and anything else with "
        "an endpoint URL. Signatures are accepted unchecked. State, faults and the clock are "
        "under /_chime/ (JSON); see chime-calls docs testing.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4577, help="port (default 4577; 0: any)")
    serve.add_argument("--no-quotas", action="store_true", help="no AWS default request rates")
    serve.add_argument(
        "--real-time", action="store_true", help="the system clock instead of a virtual one"
    )
    serve.add_argument(
        "--sma-handler",
        action="append",
        default=[],
        metavar="SMA_ID=MODULE:FUNCTION",
        help="play a SIP media application with this Lambda handler (repeatable)",
    )
    serve.set_defaults(func=_run_fake_serve)

    check = _group(sub, "sma", "SIP media application tools").add_parser(
        "check",
        help="replay AWS's standard event sequences against a handler and check its answers",
        description="Play a SIP media application Lambda handler through AWS's standard event "
        "sequences (answered, busy, no answer, the callee hanging up, CALL_UPDATE_REQUESTED, "
        "an action failing, an inbound call) and check every answer against the SMA contract.",
        epilog="exit status: 0 no findings; 1 findings; 2 the handler could not be loaded or "
        "bad arguments.",
    )
    check.add_argument("handler", metavar="MODULE:FUNCTION", help="the Lambda handler")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--argument",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="ArgumentsMap entry of the outbound calls (repeatable)",
    )
    check.add_argument(
        "--update-argument",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="Arguments of the CALL_UPDATE_REQUESTED sequence (repeatable)",
    )
    check.add_argument(
        "--scenario", action="append", default=None, help="play only these sequences"
    )
    check.set_defaults(func=_run_sma_check)


def _add_setup_commands(sub: Any) -> None:
    """``setup dial-out`` and ``teardown dial-out``: what a feature needs in an AWS account."""
    setup = sub.add_parser("setup", help="provision what a feature needs in your AWS account")
    setup_sub = setup.add_subparsers(dest="setup_command", metavar="SUBCOMMAND")
    setup_sub.required = True
    dial = setup_sub.add_parser(
        "dial-out",
        help="a caller-ID number, a SIP media application and its SIP rule, for dial_out",
        description="Find or create what ChimeCalls.dial_out needs, idempotently: a phone "
        "number (ordered in --area-code, or --phone-number of your inventory), a SIP media "
        "application for --lambda-arn and the SIP rule that ties them. Prints what it did and "
        "the ChimeCalls(...) line to use (chime-calls docs dial-out).",
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


def _add_campaign_commands(sub: Any) -> None:
    """``dial``: a campaign over a list of numbers (chime_calls.campaign)."""
    dial = sub.add_parser(
        "dial",
        help="ring a list of numbers through a SIP media application, at most once each",
        description="Place one CreateSipMediaApplicationCall per number of --numbers (one per "
        "line, or a CSV whose other columns become ArgumentsMap entries), paced to --rate "
        "calls per second and --concurrency calls at once (AWS's default quotas: 1/s, 10), "
        "with a progress display on standard error. Malformed and repeated numbers are "
        "reported before the first call. A journal records every step: run the same command "
        "again to resume a crashed or stopped campaign without dialing anyone twice. Ctrl-C "
        "stops placing calls and waits for those going on; a second Ctrl-C stops waiting "
        "('chime-calls docs campaigns').",
        epilog="exit status: 0 every number has its outcome (completed, busy, ...); 1 the "
        "campaign was stopped, or an outcome is unknown; 2 bad arguments, an unreadable list, "
        "bad rows with --strict, or a journal of another list; 130 interrupted.",
    )
    dial.add_argument("--numbers", required=True, metavar="FILE", help="the list to dial")
    dial.add_argument("--from", dest="from_number", required=True, help="the caller ID (E.164)")
    dial.add_argument("--sip-media-application-id", required=True, help="where calls go out")
    dial.add_argument("--region", help="the application's region (default: the environment's)")
    dial.add_argument("--profile", help="the AWS profile to use (default: the environment's)")
    dial.add_argument("--rate", type=float, default=1.0, help="calls per second (default 1)")
    dial.add_argument("--concurrency", type=int, default=10, help="calls at once (default 10)")
    dial.add_argument("--call-timeout", type=float, default=900.0, help=argparse.SUPPRESS)
    dial.add_argument(
        "--argument", action="append", default=[], metavar="KEY=VALUE",
        help="ArgumentsMap entry of every call (repeatable)",
    )  # fmt: skip
    dial.add_argument("--journal", help="the journal file (default: FILE.journal)")
    dial.add_argument(
        "--ledger-table", help="a DynamoDB table to claim calls in (default: the journal)"
    )
    dial.add_argument("--results", metavar="PATH", help="write per-number results (.json, .csv)")
    dial.add_argument("--format", choices=("json", "csv"), help="of --results (default: suffix)")
    dial.add_argument("--dry-run", action="store_true", help="check the list, print the plan")
    dial.add_argument("--strict", action="store_true", help="refuse to start with bad rows")
    dial.add_argument(
        "--show-phone-numbers", action="store_true", help="unmasked numbers in the results"
    )
    dial.set_defaults(func=_run_dial)


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


def _group(sub: Any, name: str, help_text: str) -> Any:
    """A command whose subcommand is required (``chime-calls fake serve``)."""
    group = sub.add_parser(name, help=help_text).add_subparsers(
        dest=f"{name}_command", metavar="SUBCOMMAND"
    )
    group.required = True
    return group


def _common_dial_out_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", default="chime-calls-dial-out", help="what setup names things")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--profile", help="the AWS profile to use (default: the environment's)")


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


def _run_fake_serve(args: argparse.Namespace) -> int:
    from chime_calls.testing._server import run_server

    return run_server(
        args.host,
        args.port,
        out=sys.stdout,
        err=sys.stderr,
        quotas=not args.no_quotas,
        real_time=args.real_time,
        sma_handlers=args.sma_handler,
    )


def _run_docs(args: argparse.Namespace) -> int:
    from chime_calls import _docpages

    if args.name is None:
        known = _docpages.pages()
        width = max(map(len, known))
        for name, title in known.items():
            print(f"{name:<{width}}  {title}")
        print(f"\n'chime-calls docs NAME' prints a page; the files are in {_docpages.DOCS}")
        return 0
    try:
        print(_docpages.read(args.name), end="")
    except LookupError as exc:
        print(f"chime-calls docs: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


def _run_sma_check(args: argparse.Namespace) -> int:
    from chime_calls.testing._sma_check import run_check

    return run_check(
        args.handler,
        args.format,
        sys.stdout,
        sys.stderr,
        arguments=args.argument,
        update_arguments=args.update_argument,
        scenarios=args.scenario,
    )


def _run_setup(args: argparse.Namespace) -> int:
    from chime_calls.voice.setup import run_cli

    return run_cli("setup", args, sys.stdout, sys.stderr)


def _run_teardown(args: argparse.Namespace) -> int:
    from chime_calls.voice.setup import run_cli

    return run_cli("teardown", args, sys.stdout, sys.stderr)


def _run_dial(args: argparse.Namespace) -> int:
    from chime_calls.campaign import run_cli

    return run_cli(args, sys.stdout, sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
