"""docs/testing.md is code users paste: every example runs as written, every signature it
shows is the code's, and its shell example works against ``chime-calls fake serve``."""

from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chime_calls.testing import ChimeFake, mock_chime
from chime_calls.testing._server import FakeServer
from tests._docs import run_test

DOC = Path(__file__).resolve().parents[2] / "chime_calls" / "docs" / "testing.md"
TEXT = DOC.read_text(encoding="utf-8")
PYTHON = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)
BASH = re.findall(r"```bash\n(.*?)```", TEXT, re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON)), ids=[f"block{i}" for i in range(len(PYTHON))])
def test_every_python_example_runs_as_written(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    namespace: dict[str, Any] = {"__name__": f"docs_testing_{index}"}
    exec(compile(PYTHON[index], f"docs/testing.md#block{index}", "exec"), namespace)  # noqa: S102 - our docs
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    for function in tests:
        run_test(function)


def test_there_are_examples_to_run() -> None:
    assert len(PYTHON) >= 10
    assert sum(block.count("def test_") for block in PYTHON) >= 10


_CALL = re.compile(r"`chime\.(\w+)\((.*?)\)`")


def _documented(name: str, args: str) -> inspect.Signature:
    tree = ast.parse(f"def {name}(self, {args}): pass")
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module([function], []), "doc", "exec"), namespace)  # noqa: S102 - parsed above
    return inspect.signature(namespace[name])


def test_every_documented_fault_signature_is_the_codes() -> None:
    rows = _CALL.findall(TEXT.split("## Fault injection", 1)[1].split("`operation` is", 1)[0])
    assert {name for name, _ in rows} == {
        "fail_next",
        "throttle",
        "rate_limit",
        "latency",
        "fail_connection",
        "lose_answer",
        "limit_concurrent_calls",
    }
    for name, args in rows:
        documented = _documented(name, args)
        actual = inspect.signature(getattr(ChimeFake, name))
        shape = [
            (p.name, p.kind, p.default if p.default is not p.empty else None)
            for p in actual.parameters.values()
        ]
        assert [
            (p.name, p.kind, p.default if p.default is not p.empty else None)
            for p in documented.parameters.values()
        ] == shape, name


def test_the_documented_options_are_mock_chimes() -> None:
    table = TEXT.split("Options, the same for", 1)[1].split("### The pytest fixture", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \| `?([^`|]+?)`? \|", table, re.MULTILINE)
    actual = inspect.signature(mock_chime).parameters
    assert [name for name, _ in documented] == list(actual)
    for name, default in documented:
        assert repr(actual[name].default).replace("'", '"') == default.strip(), name


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("aws") and shutil.which("curl")), reason="needs the AWS CLI and curl"
)
def test_the_shell_example_runs_against_the_server() -> None:
    (block,) = BASH
    with FakeServer(port=0) as server:
        port = server.url.rsplit(":", 1)[1]
        script = "\n".join(
            line for line in block.splitlines() if not line.startswith("chime-calls fake serve")
        ).replace("4577", port)
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607 - bash from PATH
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        )
        assert done.returncode == 0, done.stderr
        assert '"MeetingId"' in done.stdout
        assert '"TransactionId"' in done.stdout
        assert "throttle('CreateMeeting'): 2 of 2 left" in done.stdout
        assert server.fake.meetings == []  # the example ends with a reset
