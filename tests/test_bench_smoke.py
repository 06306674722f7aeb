"""The benchmarks still run (a few iterations); their timings are never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = {"per-call", "validation", "import", "cold-start", "threads"}


@pytest.mark.slow
def test_bench_smoke_produces_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(out.read_text())
    rows = result["rows"]
    assert {row["section"] for row in rows} == SECTIONS
    assert {row["name"] for row in rows if row["section"] == "per-call"} == {
        "create_sip_media_application_call",
        "create_meeting",
        "get_meeting",
        "create_meeting_with_attendees",
        "batch_create_attendee",
    }
    for row in rows:
        assert row["facade"]["n"] >= 1, row
        assert row["raw"]["n"] >= 1, row
    assert {"machine", "python", "boto3", "botocore", "attrs"} <= set(result["environment"])
    assert "| per-call | create_meeting |" in done.stdout  # the printed table
