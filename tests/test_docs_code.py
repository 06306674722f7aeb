"""Every ```python block of README.md and chime_calls/docs/*.md runs as a test, so that the
documentation cannot drift from the code (DEVELOPERS.md, "Code in the documentation").

A page is a notebook: its blocks run in order in one namespace, in an empty working directory
and an environment without the machine's AWS configuration (dummy credentials only, no
network), under one active fake where the SIP media application ``sma-1`` exists in eu-west-2
and may call from +12065550100 (what the quickstarts' ``chime-calls setup dial-out`` made). A
block with top-level ``await`` is awaited on the page's event loop; the ``test_*`` functions a
block defines are called as pytest would (``tests._docs.run_test``). In the Markdown:

- ``<!-- setup`` ... ``-->`` right before a block: Python the harness runs first, for context
  the reader need not see (the signed-in ``user``, an event a Lambda received); while it runs,
  ``harness.enter_context(cm)`` keeps ``cm`` open until the page ends (moto, for one);
- ``<!-- not run: REASON -->`` right before a block that needs a real AWS account: it must
  fail here (a marker on a block that runs is an error) and it is type-checked instead;
- ``print(expr)  # EXPECTED``: what the call prints, whitespace collapsed, starts with
  EXPECTED (``...`` matches anything, text after a ``;`` is prose); full-line comments right
  below the print, at its indentation, continue EXPECTED. A bare expression with a comment
  that states a value (``x.kind  # 'renamed'``) is refused: write ``print(x.kind)  # renamed``.

A page whose blocks another test runs is listed in ``RUN_ELSEWHERE``, and checked to be run
there block for block.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import importlib
import importlib.util
import inspect
import io
import logging
import os
import re
import socket
import subprocess
import sys
import textwrap
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chime_calls.testing import mock_chime
from tests._docs import run_test

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "chime_calls" / "docs"  # mkdocs' docs_dir
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
PYTHON_INFO = {"python", "py", "python3"}
# optional extras' modules (pyproject.toml): a page that needs one that is not installed is
# skipped, by name; CI's async environment runs this module with aiobotocore
EXTRAS = {"aiobotocore": "async", "libcst": "migrate", "phonenumbers": "phone", "flask": "example"}

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)[^`]*$")
_ANY_PYTHON_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:python3?|py)\b", re.MULTILINE)
_MARKER = re.compile(r"<!--\s*(?P<kind>setup|not[\s_-]*run)\b(?P<rest>.*?)-->\s*\Z", re.S | re.I)
_VALUE_LIKE = re.compile(r"""^(?:['"(\[{<]|-?\d|None\b|True\b|False\b|->|=>)""")


class DocError(AssertionError):
    """A page breaks the rules of its code blocks (misplaced marker, unchecked value, ...)."""


@dataclass(frozen=True)
class Block:
    path: Path
    index: int  # among the page's python blocks
    line: int  # of the opening fence (1-based)
    code: str
    setup: tuple[tuple[int, str], ...] = ()  # (line of the code's first line, code)
    not_run: str | None = None  # the reason

    @property
    def name(self) -> str:
        return f"{relative(self.path)}:{self.line} (block {self.index})"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


class _Parser:
    """Reads a page line by line: comments (markers or not), fences, and the text between."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.blocks: list[Block] = []
        self.setup: list[tuple[int, str]] = []
        self.not_run: str | None = None
        self.pending_at = 0  # the line of the first marker waiting for its block

    def fail(self, line: int, message: str) -> DocError:
        return DocError(f"{relative(self.path)}:{line}: {message}")

    def parse(self) -> list[Block]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if line.strip().startswith("<!--"):
                i = self.comment(i)
            elif (opening := _OPEN.match(line)) is not None:
                i = self.fence(i, opening)
            else:
                if self.pending_at and line.strip():
                    raise self.fail(
                        self.pending_at,
                        "a setup or not-run marker must be right before the python block it is "
                        "for (only blank lines between)",
                    )
                i += 1
        if self.pending_at:
            raise self.fail(self.pending_at, "a marker with no python block after it")
        return self.blocks

    def comment(self, start: int) -> int:
        end = start
        while "-->" not in self.lines[end] and end + 1 < len(self.lines):
            end += 1
        marker = _MARKER.match("\n".join(self.lines[start : end + 1]).strip())
        if marker is None:
            return end + 1
        self.pending_at = self.pending_at or start + 1
        if marker["kind"].lower() == "setup":
            first, *body = marker["rest"].split("\n", 1)
            if first.strip() or not body or not body[0].strip():
                raise self.fail(
                    start + 1, "a setup comment is '<!-- setup', Python on the lines below, '-->'"
                )
            self.setup.append((start + 2, textwrap.dedent(body[0])))
        else:
            reason = marker["rest"].strip()
            if not reason.startswith(":") or not reason[1:].strip():
                raise self.fail(
                    start + 1,
                    "'<!-- not run: REASON -->' needs a reason (what the block needs that the "
                    "fake cannot give)",
                )
            self.not_run = reason[1:].strip()
        return end + 1

    def fence(self, start: int, opening: re.Match[str]) -> int:
        indent, fence = opening["indent"], opening["fence"]
        close = re.compile(rf"^[ \t]*{fence[0]}{{{len(fence)},}}[ \t]*$")
        end = start + 1
        while end < len(self.lines) and not close.match(self.lines[end]):
            end += 1
        info = opening["info"].lower().lstrip("{.")
        if info in PYTHON_INFO:
            body = [
                row[len(indent) :] if row.startswith(indent) else row.lstrip()
                for row in self.lines[start + 1 : end]
            ]
            self.blocks.append(
                Block(
                    self.path,
                    len(self.blocks),
                    start + 1,
                    "\n".join(body) + "\n",
                    tuple(self.setup),
                    self.not_run,
                )
            )
        elif self.pending_at:
            raise self.fail(
                self.pending_at,
                f"a setup or not-run marker before a {info or 'plain'} block: markers go right "
                "before a python block",
            )
        self.setup, self.not_run, self.pending_at = [], None, 0
        return end + 1


def parse_page(path: Path, text: str | None = None) -> list[Block]:
    """The page's python blocks, each with the setup and not-run markers right before it."""
    text = path.read_text(encoding="utf-8") if text is None else text
    blocks = _Parser(path, text).parse()
    fences = len(_ANY_PYTHON_FENCE.findall(text))
    if fences != len(blocks):
        raise DocError(
            f"{relative(path)}: {fences} python fences in the text, but {len(blocks)} blocks "
            "parsed: a fence the harness does not understand (inside a comment or another block?)"
        )
    return blocks


# ---------------------------------------------------------------------------- output comments


@dataclass
class Expectation:
    line: int  # in the block
    expected: str
    printed: list[str] = field(default_factory=list)


def _comments(code: str) -> dict[int, tuple[int, str, bool]]:
    """Block line -> (column, text after '#', whether the line holds only the comment)."""
    found: dict[int, tuple[int, str, bool]] = {}
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    code_lines: set[int] = set()
    for token in tokens:
        if token.type == tokenize.COMMENT:
            row, col = token.start
            found[row] = (col, token.string[1:].strip(), row not in code_lines)
        elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            code_lines.update(range(token.start[0], token.end[0] + 1))
    return found


def _collapse(text: str) -> str:
    return " ".join(text.split())


def matches(expected: str, printed: str) -> bool:
    """Whether ``printed`` (whitespace collapsed) starts with ``expected``, ``...`` matching
    anything."""
    pattern = ".*?".join(re.escape(part) for part in _collapse(expected).split("..."))
    return re.match(pattern, _collapse(printed), re.DOTALL) is not None


def _is_print(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    )


def expectations(block: Block, tree: ast.Module) -> dict[int, Expectation]:
    """The output comments of the block's print calls, by the call's first line; refuses a
    bare expression whose comment states a value nobody checks."""
    comments = _comments(block.code)
    found: dict[int, Expectation] = {}
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.Expr):
            continue
        node = statement.value
        end = statement.end_lineno or statement.lineno
        trailing = comments.get(end)
        if trailing is not None and trailing[2]:
            trailing = None  # a comment line of its own is not this statement's
        if not _is_print(node):
            if trailing is not None and _VALUE_LIKE.match(trailing[1]):
                raise DocError(
                    f"{relative(block.path)}:{block.line + end}: `{ast.unparse(node)}  # "
                    f"{trailing[1]}` states a value nothing checks: write "
                    f"`print({ast.unparse(node)})  # VALUE` (see this module's docstring)"
                )
            continue
        # prose after a ';' on the print's line; the lines below are output only
        parts = [trailing[1].split(";", 1)[0]] if trailing is not None else []
        row = end + 1
        while (below := comments.get(row)) is not None and below[2]:
            if below[0] != statement.col_offset:
                break
            parts.append(below[1])
            row += 1
        if not parts:
            continue
        expected = _collapse(" ".join(parts))
        if not expected:
            raise DocError(
                f"{relative(block.path)}:{block.line + end}: an output comment says nothing "
                "before its ';'"
            )
        found[node.lineno] = Expectation(node.lineno, expected)
    return found


class _Recording(ast.NodeTransformer):
    """``print(...)`` calls with an output comment call ``recorder(line, ...)`` instead."""

    def __init__(self, lines: set[int], recorder: str) -> None:
        self.lines = lines
        self.recorder = recorder

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _is_print(node) and node.lineno in self.lines:
            line = ast.Constant(node.lineno)
            return ast.Call(ast.Name(self.recorder, ast.Load()), [line, *node.args], node.keywords)
        return node


def _recorder(found: dict[int, Expectation]) -> Callable[..., None]:
    def record(line: int, *args: Any, **kwargs: Any) -> None:
        target = kwargs.pop("file", None)
        buffer = io.StringIO()
        print(*args, **kwargs, file=buffer)  # what the doc's print would print
        found[line].printed.append(buffer.getvalue())
        print(buffer.getvalue(), end="", file=target)

    return record


def check_output(block: Block, found: dict[int, Expectation]) -> None:
    for expectation in found.values():
        where = f"{relative(block.path)}:{block.line + expectation.line}"
        if not expectation.printed:
            raise DocError(f"{where}: this print never ran, so its output comment is unchecked")
        for printed in expectation.printed:
            if not matches(expectation.expected, printed):
                raise DocError(
                    f"{where}: printed\n    {_collapse(printed)!r}\nbut its comment says\n"
                    f"    {expectation.expected!r}"
                )


# -------------------------------------------------------------------------------- the sandbox


class NetworkUsedError(AssertionError):
    pass


@contextlib.contextmanager
def _no_network(reached: list[str]) -> Iterator[None]:
    """Name resolution fails for anything but this machine, as if offline; what was asked for
    is recorded (botocore turns the failure into its own error)."""
    original = socket.getaddrinfo

    def refuse(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in ("localhost", "127.0.0.1", "::1"):
            return original(host, *args, **kwargs)
        reached.append(name)
        raise socket.gaierror(socket.EAI_NONAME, f"no network in the docs' tests: {name}")

    socket.getaddrinfo = refuse
    try:
        yield
    finally:
        socket.getaddrinfo = original


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    """Blocks configure logging (``redact_botocore_logging()``, a logger's level): undo it."""
    manager = logging.Logger.manager
    saved = {
        name: (logger.level, list(logger.filters), list(logger.handlers), logger.propagate)
        for name, logger in [("", logging.root), *manager.loggerDict.items()]
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        for name, logger in [("", logging.root), *manager.loggerDict.items()]:
            if not isinstance(logger, logging.Logger):
                continue
            level, filters, handlers, propagate = saved.get(name, (logging.NOTSET, [], None, True))
            if logger.level != level:  # setLevel clears every logger's cache: only if needed
                logger.setLevel(level)
            logger.filters[:] = filters
            if handlers is not None:
                logger.handlers[:] = handlers
            logger.propagate = propagate


@contextlib.contextmanager
def clean_environment(directory: Path) -> Iterator[None]:
    """What a new user has: no AWS configuration but dummy credentials, an empty directory."""
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    for name in list(os.environ):
        if name.startswith(("AWS_", "BOTO_")):
            del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(directory / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(directory / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


# ------------------------------------------------------------------------------- running pages


@dataclass
class PageRun:
    ran: list[Block] = field(default_factory=list)
    not_run: list[Block] = field(default_factory=list)
    skipped: str | None = None  # why the rest of the page was not run


def _compile(code: str, path: Path, first_line: int, tree: ast.Module | None = None) -> Any:
    tree = ast.parse(code) if tree is None else tree
    ast.increment_lineno(tree, first_line - 1)  # tracebacks name the page's own lines
    return compile(tree, str(path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def _execute(compiled: Any, namespace: dict[str, Any], loop: asyncio.AbstractEventLoop) -> None:
    if compiled.co_flags & inspect.CO_COROUTINE:
        loop.run_until_complete(eval(compiled, namespace))  # noqa: S307 - our own docs
    else:
        exec(compiled, namespace)  # noqa: S102 - our own docs


def _missing_extra(exc: BaseException) -> str | None:
    while exc is not None:
        if (
            isinstance(exc, ModuleNotFoundError)
            and exc.name in EXTRAS
            and importlib.util.find_spec(exc.name) is None
        ):
            return f"the {EXTRAS[exc.name]} extra ({exc.name}), which is not installed"
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


def _tests_defined(before: dict[str, Any], namespace: dict[str, Any]) -> list[Callable[..., Any]]:
    return [
        value
        for name, value in namespace.items()
        if name.startswith("test_") and callable(value) and before.get(name) is not value
    ]


@dataclass
class Notebook:
    """A page's run: one namespace, one event loop, what the blocks reached for, and what setup
    keeps open until the page ends (``harness``)."""

    loop: asyncio.AbstractEventLoop
    harness: contextlib.ExitStack
    namespace: dict[str, Any] = field(default_factory=lambda: {"__name__": "__docs__"})
    reached: list[str] = field(default_factory=list)

    def run(self, block: Block, namespace: dict[str, Any] | None = None) -> None:
        namespace = self.namespace if namespace is None else namespace
        for first_line, code in block.setup:
            namespace["harness"] = self.harness
            try:
                _execute(_compile(code, block.path, first_line), namespace, self.loop)
            finally:
                del namespace["harness"]
        tree = ast.parse(block.code)
        found = expectations(block, tree)
        recorder = f"__docs_print_{block.index}__"  # the block's own, for functions called later
        tree = _Recording(set(found), recorder).visit(tree)
        ast.fix_missing_locations(tree)
        compiled = _compile(block.code, block.path, block.line + 1, tree)
        namespace[recorder] = _recorder(found)
        before = dict(namespace)
        _execute(compiled, namespace, self.loop)
        for test in _tests_defined(before, namespace):
            run_test(test, run=self.loop.run_until_complete)
        if self.reached:
            where = sorted(set(self.reached))
            raise NetworkUsedError(f"{block.name} reached for the network: {where}")
        check_output(block, found)

    def expect_failure_without_aws(self, block: Block) -> None:
        """A block marked not run must fail here: if the fake can run it, it should run. It
        runs on a copy of the namespace, so that what it defines does not reach later blocks."""
        os.environ["AWS_MAX_ATTEMPTS"] = "1"  # botocore's own retries would wait for real
        try:
            self.run(block, dict(self.namespace))
        except Exception:  # noqa: BLE001 - any failure proves the point
            return
        finally:
            os.environ.pop("AWS_MAX_ATTEMPTS", None)
            self.reached.clear()
        raise DocError(
            f"{block.name} is marked 'not run: {block.not_run}', but it runs on the fake: "
            "remove the marker"
        )


def run_page(blocks: list[Block], directory: Path) -> PageRun:
    """Run a page's blocks in order, as a notebook (see the module's docstring)."""
    outcome = PageRun()
    loop = asyncio.new_event_loop()
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(clean_environment(directory))
            stack.enter_context(_logging_restored())
            page = Notebook(loop, contextlib.ExitStack())
            stack.enter_context(_no_network(page.reached))
            chime = stack.enter_context(mock_chime(unfired_faults="raise"))
            stack.enter_context(page.harness)  # closed first: before the fake, with the page
            chime.provision_sip_media_application(
                "sma-1", phone_number="+12065550100", region="eu-west-2"
            )
            for block in blocks:
                if block.not_run is not None:
                    page.expect_failure_without_aws(block)
                    outcome.not_run.append(block)
                    continue
                try:
                    page.run(block)
                except Exception as exc:
                    missing = _missing_extra(exc)
                    if missing is None:
                        raise
                    outcome.skipped = f"{block.name} needs {missing}"
                    return outcome
                outcome.ran.append(block)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    return outcome


# pages whose blocks another test runs, as it must: page -> (module, its list of the blocks)
RUN_ELSEWHERE = {
    # each block alone, with no fake active: some show what happens without one
    "chime_calls/docs/testing.md": ("tests.testing.test_docs_testing", "PYTHON"),
}


def _check_run_elsewhere(path: Path, blocks: list[Block]) -> None:
    module_name, attribute = RUN_ELSEWHERE[relative(path)]
    runs = getattr(importlib.import_module(module_name), attribute)
    assert [block.code for block in blocks] == list(runs), f"{module_name} runs other blocks"
    for block in blocks:
        if block.setup or block.not_run is not None:
            raise DocError(f"{block.name}: {module_name} runs its blocks without markers")
        if expectations(block, ast.parse(block.code)):
            raise DocError(f"{block.name}: {module_name} does not check output comments")


@pytest.mark.parametrize("path", PAGES, ids=relative)
def test_every_python_block_runs(path: Path, tmp_path: Path) -> None:
    blocks = parse_page(path)
    if relative(path) in RUN_ELSEWHERE:
        _check_run_elsewhere(path, blocks)
        return
    outcome = run_page(blocks, tmp_path)
    if outcome.skipped:
        pytest.skip(f"ran {len(outcome.ran)} of {len(blocks)} blocks; {outcome.skipped}")
    # nothing silently skipped: every block ran, or is marked not run with its reason
    accounted = sorted(b.index for b in [*outcome.ran, *outcome.not_run])
    assert accounted == list(range(len(blocks)))


# ------------------------------------------------------------------ blocks marked "not run"

MYPY_CONFIG = """\
[mypy]
# doc snippets are unannotated, as readers write them: checked, not held to --strict
check_untyped_defs = True
ignore_missing_imports = True
disable_error_code = top-level-await
"""


def type_check(pages: dict[Path, list[Block]], directory: Path) -> list[str]:
    """mypy's errors in the blocks marked not run, as ``page:line: message``. Each page is
    checked as one module (its setup and blocks at their own lines, so that names from earlier
    blocks are known and errors name the page's lines); only errors in marked blocks count."""
    files: dict[Path, tuple[Path, set[int]]] = {}
    for number, (path, blocks) in enumerate(pages.items()):
        marked = [block for block in blocks if block.not_run is not None]
        if not marked:
            continue
        total = path.read_text(encoding="utf-8").count("\n") + 1
        lines = [""] * total
        for block in blocks:
            for first_line, code in block.setup:
                for offset, row in enumerate(code.splitlines()):
                    lines[first_line - 1 + offset] = row
            for offset, row in enumerate(block.code.splitlines()):
                lines[block.line + offset] = row
        module = directory / f"docs_page_{number}.py"
        module.write_text("\n".join(lines) + "\n", encoding="utf-8")
        counted = {
            block.line + 1 + offset for block in marked for offset in range(block.code.count("\n"))
        }
        files[module] = (path, counted)
    if not files:
        return []
    config = directory / "mypy.ini"
    config.write_text(MYPY_CONFIG, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(ROOT / ".mypy_cache" / "docs-blocks"),
            "--no-error-summary",
            "--show-error-codes",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    errors = []
    for row in done.stdout.splitlines():
        found = re.match(r"^(?P<file>.+?):(?P<line>\d+): error: (?P<message>.*)$", row)
        if found is None:
            continue
        # by name: mypy may name a module by the path its cache saw it at
        page, counted = files[directory / Path(found["file"]).name]
        if int(found["line"]) in counted:
            errors.append(f"{relative(page)}:{found['line']}: {found['message']}")
    if done.returncode not in (0, 1) or (done.returncode == 1 and not done.stdout.strip()):
        raise AssertionError(f"mypy did not run: {done.stderr or done.stdout}")
    return errors


@pytest.mark.slow  # mypy with the boto3 stubs takes seconds, more with a cold cache
def test_blocks_marked_not_run_type_check(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is a dev dependency (pip install -e '.[dev]')")
    pages = {path: parse_page(path) for path in PAGES}
    marked = [block for blocks in pages.values() for block in blocks if block.not_run]
    if not marked:
        pytest.skip("no block of the documentation is marked not run: nothing to type-check")
    assert type_check(pages, tmp_path) == []


# ------------------------------------------------------------------------ the harness itself


def _page(tmp_path: Path, text: str) -> tuple[Path, list[Block]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "page.md"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path, parse_page(path)


def _run(tmp_path: Path, text: str) -> PageRun:
    _, blocks = _page(tmp_path, text)
    work = tmp_path / "work"
    work.mkdir()
    return run_page(blocks, work)


def test_a_page_is_a_notebook_and_output_comments_hold(tmp_path: Path) -> None:
    outcome = _run(
        tmp_path,
        """\
        # A page

        ```python
        greeting = "hello,   world"
        print(greeting)  # hello, world; prose after the semicolon
        ```

        Indented, as in an admonition, with setup the reader does not see:

            <!-- setup
            import asyncio

            name = "carol"
            -->

            ```python
            await asyncio.sleep(0)
            print(greeting.upper(), name)  # HELLO, ... carol
            for part in ["a b", "a c"]:
                print(part)  # a ...
            print("4 fields:\\n  - x: one\\n  - y: two; ok")
            # 4 fields:
            #   - x: one
            #   - y: two; ok
            ```
        """,
    )
    assert [block.index for block in outcome.ran] == [0, 1]


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        ('print("hello")  # goodbye', "but its comment says"),
        ('print("hello")\n# hello there', "but its comment says"),
        ('if False:\n    print("hello")  # hello', "never ran"),
        ("len([1, 2])  # 2", "states a value nothing checks"),
        ("x = 1\nx  # '1'", "states a value nothing checks"),
        ('print("hello")  # ; nothing before the semicolon', "says nothing"),
    ],
)
def test_output_comments_that_do_not_hold_fail(tmp_path: Path, block: str, complaint: str) -> None:
    with pytest.raises(DocError, match=complaint):
        _run(tmp_path, f"```python\n{block}\n```\n")


def test_prose_comments_are_left_alone(tmp_path: Path) -> None:
    _run(tmp_path, '```python\nx = "a"\nx  # the value, for later\nlen(x)  # a count\n```\n')


def test_the_tests_a_block_defines_are_run(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="the sync test ran"):
        _run(
            tmp_path,
            '```python\ndef test_it():\n    raise AssertionError("the sync test ran")\n```',
        )
    with pytest.raises(AssertionError, match="the async test ran"):
        _run(
            tmp_path / "async",
            "```python\nasync def test_it(chime_fake):\n    assert chime_fake.requests == []\n"
            '    raise AssertionError("the async test ran")\n```',
        )


def _marker_page(marker: str, after: str = "```python\nx = 1\n```\n") -> str:
    return f"# Page\n\n{marker}\n\n{after}"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (_marker_page("<!-- not run -->"), "needs a reason"),
        (_marker_page("<!-- not run: -->"), "needs a reason"),
        (_marker_page("<!-- setup x = 1 -->"), "a setup comment is"),
        (_marker_page("<!-- setup\nx = 1\n-->", "```bash\nls\n```\n"), "before a bash block"),
        (
            _marker_page("<!-- setup\nx = 1\n-->", "Some text.\n\n```python\nx\n```\n"),
            "right before",
        ),
        (_marker_page("<!-- not run: needs AWS -->", "The end.\n"), "right before"),
        ("# Page\n\n<!-- not run: needs AWS -->\n", "no python block after it"),
        ("<!-- a comment\n```python\nx = 1\n```\n-->\n", "python fences in the text"),
    ],
)
def test_misplaced_or_incomplete_markers_fail(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(DocError, match=complaint):
        _page(tmp_path, text)


def test_a_block_marked_not_run_must_need_aws(tmp_path: Path) -> None:
    needs_aws = """\
        <!-- not run: a real Lambda function -->

        ```python
        import boto3

        boto3.client("lambda", region_name="us-east-1").get_function(FunctionName="dial-out")
        ```

        ```python
        print("after it")  # after it
        ```
        """
    outcome = _run(tmp_path, needs_aws)
    assert [b.index for b in outcome.not_run] == [0]
    assert [b.index for b in outcome.ran] == [1]
    with pytest.raises(DocError, match="runs on the fake: remove the marker"):
        _run(tmp_path / "runs", "<!-- not run: AWS -->\n```python\nx = 1\n```\n")


def test_a_block_that_reaches_for_the_network_fails(tmp_path: Path) -> None:
    block = """\
        ```python
        import boto3

        try:
            boto3.client("lambda", region_name="us-east-1").list_functions()
        except Exception:
            pass
        ```
        """
    with pytest.raises(NetworkUsedError, match=r"lambda\.us-east-1\.amazonaws\.com"):
        _run(tmp_path, block)


def test_a_missing_extra_skips_the_rest_of_the_page_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(EXTRAS, "no_such_module_for_the_docs", "imaginary")
    text = "```python\nx = 1\n```\n\n```python\nimport no_such_module_for_the_docs\n```\n"
    outcome = _run(tmp_path, text)
    assert [b.index for b in outcome.ran] == [0]
    assert outcome.skipped is not None
    assert "the imaginary extra (no_such_module_for_the_docs)" in outcome.skipped
    with pytest.raises(ModuleNotFoundError):  # a module no extra provides is an error
        _run(tmp_path / "other", "```python\nimport no_such_module_anywhere\n```\n")


def test_what_a_page_changes_is_undone(tmp_path: Path) -> None:
    before = (dict(os.environ), Path.cwd(), logging.getLogger("botocore").filters[:])
    _run(
        tmp_path,
        """\
        ```python
        import logging
        import os

        import chime_calls

        os.environ["CHIME_DOCS_PAGE"] = "1"
        os.chdir("/")
        chime_calls.redact_botocore_logging()
        logging.getLogger("chime_calls.sma").setLevel(logging.INFO)
        ```
        """,
    )
    assert (dict(os.environ), Path.cwd(), logging.getLogger("botocore").filters) == before
    assert logging.getLogger("chime_calls.sma").level == logging.NOTSET


@pytest.mark.slow  # runs mypy
def test_type_errors_in_blocks_marked_not_run_are_reported(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is a dev dependency (pip install -e '.[dev]')")
    path, blocks = _page(
        tmp_path,
        """\
        ```python
        from chime_calls import ChimeCalls

        calls = ChimeCalls(region_name="us-east-1")
        ```

        <!-- not run: real AWS -->

        ```python
        calls.create_meeting(external_meeting_id=42, media_region="us-east-1")
        calls.no_such_method()
        ```
        """,
    )
    errors = type_check({path: blocks}, tmp_path)
    assert len(errors) == 2, errors
    assert errors[0].startswith('page.md:10: Argument "external_meeting_id"')
    assert errors[1].startswith('page.md:11: "ChimeCalls" has no attribute "no_such_method"')


def test_fences_in_the_docs_start_at_the_margin() -> None:
    """mkdocs' fenced_code reads a fence only at the left margin: one indented in an admonition
    or a list item renders as text, fences and all."""
    indented = [
        f"{relative(path)}:{number}"
        for path in PAGES
        if path.is_relative_to(DOCS)
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if re.match(r"^[ \t]+(`{3,}|~{3,})", line)
    ]
    assert indented == []
