"""``migrate scan`` and ``migrate fix`` read what they are given, safely: bounded memory,
printable output, and no reading through links out of the tree (an adversarial review found
a 20 MB file taking 3.25 GB, a newline in a file name forging a finding line, and a symlink
reading /etc/passwd)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from chime_calls.cli import main
from chime_calls.migration import scan_paths
from chime_calls.migration._cli import run_scan

LEGACY = 'import boto3\nchime = boto3.client("chime")\nchime.create_meeting(MediaRegion="x")\n'


def test_a_file_over_the_limit_is_reported_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text(LEGACY + "#" * 5000 + "\n")
    result = scan_paths([tmp_path], max_bytes=1000)
    assert result.findings == ()
    (error,) = result.errors
    assert error.reason.startswith("skipped:")
    assert "--max-file-size" in error.reason
    assert scan_paths([tmp_path], max_bytes=10_000).findings  # and read when allowed


def test_the_cli_takes_the_limit_in_megabytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.py").write_text(LEGACY + "#" * 3000)
    assert main(["migrate", "scan", str(tmp_path), "--max-file-size", "0.001"]) == 1
    assert "skipped" in capsys.readouterr().out
    assert main(["migrate", "scan", str(tmp_path), "--max-file-size", "1"]) == 1
    assert "CreateMeeting ->" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name", ["x\nforged.py:1:1: fake finding.py", "esc\x1b[31mred.py", "tab\tx.py"]
)
def test_file_names_cannot_forge_lines_or_reach_the_terminal(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(LEGACY)
    out = io.StringIO()
    assert run_scan([str(tmp_path)], "text", out) == 1
    text = out.getvalue()
    assert "\x1b" not in text
    assert "\t" not in text
    finding_lines = [line for line in text.splitlines() if "CreateMeeting ->" in line]
    assert len(finding_lines) == 1  # one finding, one line
    assert not any(line.startswith("forged.py") for line in text.splitlines())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_links_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.py"
    secret.write_text(LEGACY)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.py").symlink_to(secret)
    (tree / "inside.py").write_text("x = 1\n")
    (tree / "same.py").symlink_to(tree / "inside.py")  # a link within the tree is fine
    result = scan_paths([tree])
    assert result.findings == ()
    (error,) = result.errors
    assert error.path.endswith("link.py")
    assert "outside the scanned tree" in error.reason
    assert result.files_scanned == 2
    followed = scan_paths([tree], follow_symlinks=True)
    assert len(followed.findings) == 1
    assert followed.errors == ()
