"""The benchmarks still run (a few iterations); their timings are never asserted."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The async section needs the async extra, whose aiobotocore pins botocore: CI runs it in an
#: environment of its own.
HAS_AIO = importlib.util.find_spec("aiobotocore") is not None
SECTIONS = {"per-call", "validation", "import", "cold-start", "threads", "campaign"} | (
    {"async"} if HAS_AIO else set()
)


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
    assert {
        "create_sip_media_application_call, awaited one after another",
        "create_meeting, awaited one after another",
        "get_meeting, awaited one after another",
        "create_meeting_with_attendees, awaited one after another",
        "batch_create_attendee, awaited one after another",
        "10 concurrent tasks sharing one facade / one client, get_meeting",
    } == {row["name"] for row in rows if row["section"] == "async"} or not HAS_AIO
    campaign = [row for row in rows if row["section"] == "campaign"]
    assert [row["name"].split(":")[0] for row in campaign[:2]] == [
        "20 calls at 1/s, no throttles",
        "20 calls at 5/s, no throttles",
    ]
    assert {row["name"].split(" vs ")[0] for row in campaign[2:]} == {
        "place() with a MemoryLedger",
        "place() with a SqliteLedger (a file, WAL)",
    }
    assert any("chime_calls.sma" in row["name"] for row in rows if row["section"] == "import")
    assert {"machine", "python", "boto3", "botocore", "aiobotocore", "attrs"} <= set(
        result["environment"]
    )
    assert "| per-call | create_meeting |" in done.stdout  # the printed table
