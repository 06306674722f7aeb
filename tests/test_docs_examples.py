"""The README's quickstart is code users paste: it must run as written (on the fake)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from chime_calls.testing import FakeMeeting, PlacedCall, mock_chime

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    following = markdown.find("\n## ", start + len(heading))
    return markdown[start : following if following != -1 else None]


def _run_quickstart(
    path: str, heading: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[FakeMeeting, PlacedCall]:
    """Run the first python block under ``heading`` in ``path`` on the fake; the meeting it
    created and the SIP media application call it placed."""
    page = (ROOT / path).read_text(encoding="utf-8")
    blocks = _FENCE.findall(_section(page, heading))
    assert blocks, f"{path}'s {heading} has no python block"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_chime() as chime:
        # what `chime-calls setup dial-out` makes on AWS: the quickstarts' "sma-1"
        chime.provision_sip_media_application(
            "sma-1", phone_number="+12065550100", region="eu-west-2"
        )
        exec(compile(blocks[0], f"{path}#quickstart", "exec"), {"__name__": "quickstart"})  # noqa: S102 - our own docs
        (meeting,) = chime.meetings
        (call,) = chime.sip_media_application_calls
    return meeting, call


def test_readme_quickstart_runs_and_rings_the_number(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting, call = _run_quickstart("README.md", "## Quickstart", monkeypatch)
    assert meeting.external_meeting_id == "standup"
    assert call.to_phone_number == "+14255550199"
    assert call.sip_media_application_id == "sma-1"
    assert call.arguments_map["MeetingId"] == meeting.meeting_id
    out = capsys.readouterr().out
    assert call.transaction_id in out
    assert "to_phone_number" in out  # the ValidationError it demonstrates
    assert call.arguments_map["JoinToken"] not in out


@pytest.mark.skipif(
    importlib.util.find_spec("aiobotocore") is None, reason="needs the async extra (CI's async run)"
)
def test_async_quickstart_runs_and_rings_the_number(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting, call = _run_quickstart("chime_calls/docs/async.md", "## Quickstart", monkeypatch)
    assert meeting.external_meeting_id == "standup"
    assert sorted(a.external_user_id or "" for a in meeting.attendees) == ["alice", "bob", "carol"]
    assert call.to_phone_number == "+14255550199"
    assert call.arguments_map["MeetingId"] == meeting.meeting_id
    out = capsys.readouterr().out
    assert call.transaction_id in out
    assert "to_phone_number" in out  # the ValidationError it demonstrates
    assert call.arguments_map["JoinToken"] not in out
