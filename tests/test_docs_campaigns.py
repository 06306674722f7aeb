"""The campaigns page documents the status events' schema exactly (its examples run with every
other page's, in tests/test_docs_code.py)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "chime_calls" / "docs" / "campaigns.md"


def test_the_schema_table_lists_every_field() -> None:
    from chime_calls.sma import StatusEvent

    fields = StatusEvent(status="initiated", transaction_id="t", time=0.0).to_dict()
    table = DOC.read_text(encoding="utf-8").split("### The event schema", 1)[1].split("###")[0]
    documented = set(re.findall(r"^\| `([a-z_]+)`", table, re.MULTILINE))
    documented |= {"sip_media_application_id", "region", "to", "from"}
    assert set(fields) == documented
