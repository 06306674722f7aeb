"""The pytest plugin loads in every pytest run of every project that installs chime-calls: it
must cost nothing until a test uses it (timings are in the CHANGELOG; this pins the cause)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.mark.slow
def test_collecting_imports_neither_chime_calls_nor_botocore(tmp_path: Path) -> None:
    (tmp_path / "test_trivial.py").write_text("def test_one():\n    assert True\n")
    script = textwrap.dedent(
        f"""
        import sys
        import pytest

        code = pytest.main(["--co", "-q", "-p", "no:cacheprovider", {str(tmp_path)!r}])
        assert "_chime_calls_pytest_plugin" in sys.modules, "the plugin was not loaded"
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("chime_calls", "botocore"))
        print(code, loaded)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
