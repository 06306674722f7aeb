"""Shared helpers for the migration tests."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_EXPECT = re.compile(r"\s*# expect: (\w+)")


def load_script(relative: str) -> ModuleType:
    """A repository script (``scripts/``, ``bench/`` are not packages), imported by path."""
    return load_path(ROOT / relative)


def load_path(path: Path) -> ModuleType:
    """The module at ``path``, imported (and run) without adding it to ``sys.modules``."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_generator() -> ModuleType:
    """scripts/gen_migration_mapping.py, which writes ``_mapping_data.py``."""
    return load_script("scripts/gen_migration_mapping.py")


def expected_findings(root: Path) -> set[tuple[str, int, str]]:
    """``# expect: Operation`` on the line above each call the scanner must report."""
    expected = set()
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if m := _EXPECT.fullmatch(line):
                expected.add((path.as_posix(), number + 1, m.group(1)))
    return expected
