"""``chime-calls migrate fix`` end to end: diff, --write, JSON, exit status, libcst missing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chime_calls.cli import main
from chime_calls.migration import NOTES
from tests.migration._helpers import ROOT

MEETINGS = """import boto3

chime = boto3.client("chime")  # legacy


def start(token, order_id):
    return chime.create_meeting(
        ClientRequestToken=token, ExternalMeetingId=order_id, MediaRegion="us-east-1"
    )
"""
LISTING = 'import boto3\n\nboto3.client("chime").list_meetings()\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "meetings.py").write_text(MEETINGS, encoding="utf-8")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "sdk.py").write_text(
        'import boto3\nboto3.client("chime-sdk-meetings").get_meeting(MeetingId="m")\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["migrate", "fix", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_diff_on_stdout_report_on_stderr_nothing_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "app", "clean")
    assert status == 1  # changes not yet written
    assert out.startswith("--- a/app/meetings.py\n+++ b/app/meetings.py\n")
    assert '+chime = boto3.client("chime-sdk-meetings", region_name="us-east-1")  # legacy\n' in out
    assert err.splitlines()[-2:] == [
        "1 file to change (2 edits), 0 TODOs left; 2 files scanned, 0 errors",
        "Run again with --write to apply the changes.",
    ]
    assert (project / "app" / "meetings.py").read_text(encoding="utf-8") == MEETINGS


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to apply the diff")
def test_the_diff_applies_with_git_and_equals_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, diff, _ = _run(capsys, "app")
    (project / "fix.diff").write_text(diff, encoding="utf-8")
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", str(project)], check=True)
    subprocess.run([git, "apply", "fix.diff"], check=True, cwd=project)
    applied = (project / "app" / "meetings.py").read_text(encoding="utf-8")
    (project / "app" / "meetings.py").write_text(MEETINGS, encoding="utf-8")
    assert _run(capsys, "--write", "app")[0] == 0  # all changed, nothing left
    assert (project / "app" / "meetings.py").read_text(encoding="utf-8") == applied


def test_write_then_nothing_left(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "--write", "app")
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == (
        "1 file changed (2 edits), 0 TODOs left; 1 file scanned, 0 errors"
    )
    assert _run(capsys, "app") == (
        0,
        "",
        "\n0 files to change (0 edits), 0 TODOs left; 1 file scanned, 0 errors\n",
    )


def test_todos_keep_the_status_at_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app" / "listing.py").write_text(LISTING, encoding="utf-8")
    status, out, _ = _run(capsys, "--write", "app")
    assert status == 1
    todo_line = next(line for line in out.splitlines() if "TODO" in line)
    assert todo_line.startswith("app/listing.py:3: TODO chime ListMeetings has no replacement")
    status, out, _ = _run(capsys, "--write", "app")
    assert status == 1  # the TODO comment is still there until someone resolves it
    assert "0 files changed (0 edits), 1 TODO left" in out


def test_json_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "app" / "listing.py").write_text(LISTING, encoding="utf-8")
    (project / "app" / "broken.py").write_text('boto3.client("chime"\n', encoding="utf-8")
    status, out, err = _run(capsys, "--format", "json", "app", "clean", "nowhere")
    assert (status, err) == (2, "")
    document = json.loads(out)
    files = {f["path"]: f for f in document["files"]}
    assert set(files) == {"app/listing.py", "app/meetings.py"}  # clean/sdk.py: nothing to say
    meetings = files["app/meetings.py"]
    assert (meetings["changed"], meetings["written"]) == (True, False)
    assert [(e["line"], e["action"]) for e in meetings["edits"]] == [(3, "client"), (3, "region")]
    assert meetings["diff"].startswith("--- a/app/meetings.py")
    assert meetings["todos"] == meetings["remaining"] == []
    listing = files["app/listing.py"]
    assert [t["line"] for t in listing["todos"]] == [3]
    (left,) = listing["remaining"]
    assert (left["operation"], left["kind"], left["line"]) == ("ListMeetings", "removed", 5)
    assert document["notes"] == {
        n: NOTES[n].text for n in ("namespace-deprecated", "no-replacement")
    }
    assert document["errors"][0]["path"] == "app/broken.py"
    assert document["errors"][1] == {"path": "nowhere", "reason": "no such file or directory"}
    assert document["summary"] == {
        "files_changed": 2,
        "edits": 3,
        "todos": 1,
        "remaining": 1,
        "errors": 2,
    }
    assert document["written"] is False
    assert (project / "app" / "listing.py").read_text(encoding="utf-8") == LISTING


def test_exit_status_and_help(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "clean")[0] == 0
    assert _run(capsys, "clean", "missing")[0] == 2
    (project / "bad.py").write_text("def f(:\n", encoding="utf-8")
    assert _run(capsys, "bad.py")[0] == 1  # not known to be clean
    for argv in (["migrate", "fix"], ["migrate", "fix", "--format", "sarif", "clean"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    with pytest.raises(SystemExit):
        main(["migrate", "fix", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "exit status: 0 nothing left to change; 1 changes not yet written" in text
    assert "pip install 'chime-calls[migrate]'" in text


def test_without_libcst_fix_names_the_extra_and_scan_still_works(project: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['libcst'] = None  # as if the extra were not installed\n"
        "from chime_calls.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    fix = subprocess.run(
        [sys.executable, "-c", code, "migrate", "fix", "app"],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert fix.returncode == 2
    assert fix.stdout == ""
    assert fix.stderr == (
        "chime-calls: error: chime-calls migrate fix needs libcst, an optional extra: "
        "pip install 'chime-calls[migrate]'\n"
    )
    scan = subprocess.run(
        [sys.executable, "-c", code, "migrate", "scan", "--format", "json", "app"],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert scan.returncode == 1, scan.stderr
    assert [f["operation"] for f in json.loads(scan.stdout)["findings"]] == ["CreateMeeting"]
    assert (project / "app" / "meetings.py").read_text(encoding="utf-8") == MEETINGS
