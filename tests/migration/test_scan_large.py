"""A few thousand generated modules: every planted call is found, nothing else, broken files
reported on the way. No timing here: throughput is measured by ``bench/scan_throughput.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from chime_calls.migration import scan_paths
from tests.migration._helpers import expected_findings, load_script


@pytest.mark.slow
def test_a_large_generated_tree(tmp_path: Path) -> None:
    modules = 3000
    # the benchmark's generator, so the test and the measurement scan the same kind of tree
    planted = load_script("bench/scan_throughput.py").generate(tmp_path, modules, every=3)
    broken = tmp_path / "pkg_007" / "half_written.py"
    broken.write_text('import boto3\nclient = boto3.client("chime"\n', encoding="utf-8")
    result = scan_paths([tmp_path])
    packages = (modules + 99) // 100
    assert result.files_scanned == modules + packages + 1  # + __init__.py files + the broken one
    assert len(result.findings) == planted == 2500
    found = {(f.path, f.line, f.operation) for f in result.findings}
    assert found == expected_findings(tmp_path)
    assert [e.path for e in result.errors] == [broken.as_posix()]
    operations = {f.operation for f in result.findings}
    assert operations == {
        "CreateAttendee",
        "CreateMeeting",
        "CreateSipMediaApplicationCall",
        "DeleteMeeting",
        "ListMeetings",
    }


@pytest.mark.slow
def test_fix_on_a_generated_tree(tmp_path: Path) -> None:
    """The benchmark's tree, rewritten in place: every planted finding is fixed or carries a
    TODO, a second run changes nothing. Throughput: ``bench/scan_throughput.py --fix``."""
    from chime_calls.migration import fix_paths

    planted = load_script("bench/scan_throughput.py").generate(tmp_path, 200, every=2)
    first = fix_paths([tmp_path], write=True)
    assert first.errors == ()
    assert sum(len(f.findings) for f in first.files) == planted
    assert sum(f.changed for f in first.files) == 100
    left = scan_paths([tmp_path]).findings
    assert {f.operation for f in left} == {"ListMeetings"}  # no replacement: each has a TODO
    todo_lines = {
        (f.path, t.line) for f in first.files for t in f.todos
    }  # each remaining finding sits under a TODO block
    assert len(left) <= len(todo_lines)
    again = fix_paths([tmp_path], write=True)
    assert not any(f.changed for f in again.files)
