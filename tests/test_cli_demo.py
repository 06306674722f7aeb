"""The README's main command: ``chime-calls demo`` runs the whole flow on the embedded fake."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from chime_calls._demo import run_demo
from chime_calls.cli import main
from chime_calls.testing import active_fake


def test_demo_runs_every_step_and_cleans_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for step in range(1, 9):
        assert f"\n{step}. " in out
    assert "ValidationError" in out
    assert "to_phone_number" in out
    assert "outcome_unknown=True" in out
    assert "none twice" in out
    assert "+14255550199" not in out, "the demo prints masked numbers only"
    assert active_fake() is None


def test_demo_reports_failure_when_a_check_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    import chime_calls._demo as demo

    def broken(*args: object) -> None:
        demo._check(False, "deliberately broken")

    monkeypatch.setattr(demo, "_flow", broken)
    out = io.StringIO()
    assert run_demo(out) == 1
    assert "DEMO FAILED: deliberately broken" in out.getvalue()


def test_console_entry_point_in_a_fresh_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "chime_calls", "demo"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Done:" in done.stdout


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["frobnicate"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0
    assert "chime-calls 0." in capsys.readouterr().out
