"""``chime-calls migrate scan`` end to end: output formats, SARIF structure, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chime_calls import __version__
from chime_calls.cli import main
from chime_calls.migration import MAPPING, NOTES
from tests.migration._helpers import FIXTURES, ROOT, expected_findings

APP = FIXTURES / "app"
LEGACY_SOURCE = """import boto3

chime = boto3.client("chime", region_name="us-east-1")


def start(token):
    meeting = chime.create_meeting(ClientRequestToken=token)["Meeting"]
    chime.tag_meeting(MeetingId=meeting["MeetingId"], Tags=[])
    return chime.list_meetings()
"""
FINDING_KEYS = {
    "path",
    "line",
    "column",
    "operation",
    "replacement_service",
    "replacement_operation",
    "notes",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small repository, scanned from its root with relative paths as CI does."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "meetings.py").write_text(LEGACY_SOURCE, encoding="utf-8")
    (tmp_path / "app" / "broken.py").write_text('boto3.client("chime"\n', encoding="utf-8")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "sdk.py").write_text(
        'import boto3\nboto3.client("chime-sdk-meetings").create_meeting()\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["migrate", "scan", *args])
    return status, capsys.readouterr().out


def test_text_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "app", "clean")
    assert status == 1
    lines = out.splitlines()
    assert lines[:3] == [
        "app/meetings.py:7:21: chime CreateMeeting -> chime-sdk-meetings CreateMeeting "
        "[namespace-deprecated, regional-endpoint, required-members]",
        "app/meetings.py:8:11: chime TagMeeting -> chime-sdk-meetings TagResource "
        "[namespace-deprecated, regional-endpoint, meeting-arn]",
        "app/meetings.py:9:18: chime ListMeetings has no replacement in chime-sdk-meetings "
        "[namespace-deprecated, no-replacement]",
    ]
    assert lines[3].startswith("app/broken.py: error: syntax error: ")
    assert "Notes (see chime-calls docs migration):" in lines
    assert f"  meeting-arn: {NOTES['meeting-arn'].text}" in lines
    # only the notes the findings refer to, in the order of NOTES
    listed = [line.split(":")[0].strip() for line in lines if line.startswith("  ")]
    assert listed == [
        "namespace-deprecated",
        "regional-endpoint",
        "required-members",
        "meeting-arn",
        "no-replacement",
    ]
    assert "2023-06-29" in NOTES["namespace-deprecated"].text
    assert "2025-02-26" in NOTES["namespace-deprecated"].text
    assert lines[-1] == "3 findings in 1 file; 3 files scanned, 1 error"


def test_exit_status(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "clean") == (0, "\n0 findings in 0 files; 1 file scanned, 0 errors\n")
    assert _run(capsys, "app/meetings.py")[0] == 1
    assert _run(capsys, "app/broken.py")[0] == 1  # a file it could not check is not clean
    status, out = _run(capsys, "clean", "missing")
    assert status == 2
    assert "missing: error: no such file or directory" in out
    for argv in (["migrate", "scan"], ["migrate", "scan", "--format", "xml", "clean"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
    capsys.readouterr()


def test_json_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "--format", "json", "app", "clean", "nowhere")
    assert status == 2
    document = json.loads(out)
    findings = document["findings"]
    assert [(f["path"], f["line"], f["column"], f["operation"]) for f in findings] == [
        ("app/meetings.py", 7, 21, "CreateMeeting"),
        ("app/meetings.py", 8, 11, "TagMeeting"),
        ("app/meetings.py", 9, 18, "ListMeetings"),
    ]
    for f in findings:
        assert set(f) >= FINDING_KEYS
        assert f["end_of_support"] is None
    # the call passes no Tags and no NotificationsConfiguration: those notes do not apply
    assert findings[0]["notes"] == ["namespace-deprecated", "regional-endpoint", "required-members"]
    assert findings[1]["notes"] == [n.id for n in MAPPING["TagMeeting"].notes]
    assert findings[0]["replacement_service"] == "chime-sdk-meetings"
    assert findings[1]["replacement_operation"] == "TagResource"
    assert findings[2]["replacement_operation"] is None
    assert findings[2]["replacement_service"] == "chime-sdk-meetings"
    assert document["errors"][0]["path"] == "app/broken.py"
    assert document["errors"][0]["reason"].startswith("syntax error: ")
    assert document["errors"][1] == {"path": "nowhere", "reason": "no such file or directory"}
    assert list(document["notes"]) == [
        "namespace-deprecated",
        "regional-endpoint",
        "required-members",
        "meeting-arn",
        "no-replacement",
    ]
    assert document["notes"]["meeting-arn"] == NOTES["meeting-arn"].text


def test_json_notes_are_empty_for_a_clean_tree(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(capsys, "--format", "json", "clean")
    assert status == 0
    assert json.loads(out) == {"findings": [], "errors": [], "files_scanned": 1, "notes": {}}


def test_a_retired_replacement_is_reported_with_its_date(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "proxy.py").write_text(
        'import boto3\nboto3.client("chime").create_proxy_session(VoiceConnectorId="v")\n',
        encoding="utf-8",
    )
    status, out = _run(capsys, "proxy.py")
    assert status == 1
    assert out.splitlines()[0] == (
        "proxy.py:2:23: chime CreateProxySession has no supported replacement: chime-sdk-voice "
        "CreateProxySession reached end of support on 2026-04-07 "
        "[namespace-deprecated, end-of-support]"
    )
    status, out = _run(capsys, "--format", "json", "proxy.py")
    (finding,) = json.loads(out)["findings"]
    assert finding["kind"] == "retired"
    assert finding["replacement_operation"] is None
    eos = finding["end_of_support"]
    assert (eos["service"], eos["operation"], eos["date"]) == (
        "chime-sdk-voice",
        "CreateProxySession",
        "2026-04-07",
    )
    assert eos["source"].startswith("https://")
    status, sarif = _sarif(capsys, "proxy.py")
    (result,) = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("CHIME005", "error")


def test_json_report_of_the_fixture_tree(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "--format", "json", str(APP))
    assert status == 1
    document = json.loads(out)
    assert document["errors"] == []
    found = {(f["path"], f["line"], f["operation"]) for f in document["findings"]}
    assert found == expected_findings(APP)
    dial_out = next(f for f in document["findings"] if f["operation"] == "CreateMeetingDialOut")
    assert (dial_out["replacement_service"], dial_out["replacement_operation"]) == (
        "chime-sdk-voice",
        "CreateSipMediaApplicationCall",
    )
    assert "sip-media-application" in dial_out["notes"]


def _sarif(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status, out = _run(capsys, "--format", "sarif", *args)
    return status, json.loads(out)


def test_sarif_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, sarif = _sarif(capsys, "app", "clean")
    assert status == 1
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("chime-calls", __version__)
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) == 5
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"note", "warning", "error"}
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.as_uri() + "/"
    results = run["results"]
    assert len(results) == 3
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"note", "warning", "error"}
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "app/meetings.py", "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert region["startLine"] == result["properties"]["line"]
        assert region["startColumn"] == result["properties"]["column"]
    assert [
        r["region"]["startLine"] for r in (x["locations"][0]["physicalLocation"] for x in results)
    ] == [7, 8, 9]
    removed = results[2]
    assert rules[removed["ruleIndex"]]["defaultConfiguration"]["level"] == "error"
    assert NOTES["no-replacement"].text in removed["message"]["text"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith("syntax error: ")
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "app/broken.py"
    )


def test_sarif_uris_are_escaped_and_absolute_paths_are_file_uris(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spaced = project / "my app"
    spaced.mkdir()
    (spaced / "calls.py").write_text(LEGACY_SOURCE, encoding="utf-8")
    _, relative = _sarif(capsys, "my app")
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in relative["runs"][0]["results"]
    }
    assert uris == {"my%20app/calls.py"}
    status, absolute = _sarif(capsys, str(spaced), str(project / "gone"))
    assert status == 2
    run = absolute["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (spaced / "calls.py").as_uri()}
    assert run["invocations"][0]["executionSuccessful"] is False


def test_a_clean_tree_gives_an_empty_sarif_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, sarif = _sarif(capsys, "clean")
    assert status == 0
    assert sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"] == []


def test_the_console_script_in_a_fresh_interpreter(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "chime_calls", "migrate", "scan", "--format", "json", "app"],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)["findings"]) == 3


def test_import_chime_calls_does_not_load_the_migration_package() -> None:
    code = (
        "import sys, chime_calls, chime_calls.cli\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('chime_calls.migration'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
