"""The campaigns page is code users paste: every example runs as written, on the fake."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[1] / "chime_calls" / "docs" / "campaigns.md"
PYTHON = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON)), ids=[f"block{i}" for i in range(len(PYTHON))])
def test_every_python_example_runs_as_written(
    index: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.chdir(tmp_path)  # where the examples write their results
    namespace: dict[str, Any] = {"__name__": f"docs_campaigns_{index}"}
    exec(compile(PYTHON[index], f"docs/campaigns.md#block{index}", "exec"), namespace)  # noqa: S102 - our docs


def test_there_are_examples_to_run() -> None:
    assert len(PYTHON) >= 4


def test_the_schema_table_lists_every_field() -> None:
    from chime_calls.sma import StatusEvent

    fields = StatusEvent(status="initiated", transaction_id="t", time=0.0).to_dict()
    table = DOC.read_text(encoding="utf-8").split("### The event schema", 1)[1].split("###")[0]
    documented = set(re.findall(r"^\| `([a-z_]+)`", table, re.MULTILINE))
    documented |= {"sip_media_application_id", "region", "to", "from"}
    assert set(fields) == documented
