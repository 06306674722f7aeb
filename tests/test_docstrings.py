"""Docstrings are rendered as Markdown by the API reference (mkdocstrings): reStructuredText
in them would show up raw, so it fails here and fails ``mkdocs build`` (scripts/mkdocs_hooks.py)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _hooks() -> Any:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts/mkdocs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _docstrings() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "chime_calls").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = [tree, *ast.walk(tree)]
        for node in nodes:
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node, clean=True)
                if doc:
                    where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 1)}"
                    found.append((where, doc))
    return found


def test_no_docstring_carries_restructuredtext() -> None:
    leftovers = _hooks()._LEFTOVERS
    offending = [
        f"{where}: {match.group(0).strip()}"
        for where, doc in _docstrings()
        for match in leftovers.finditer(doc)
    ]
    assert offending == []
    assert len(_docstrings()) > 300  # the scan saw the package


@pytest.mark.parametrize(
    "leftover",
    [
        "see :class:`~chime_calls.ChimeCalls`",
        ".. versionadded:: 0.2.0",
        "Use it like this::",
        "=====  =====\na      b\n=====  =====",
        "+------+------+",
    ],
)
def test_the_docs_build_fails_on_restructuredtext(leftover: str) -> None:
    pytest.importorskip("mkdocs", reason="needs the docs extra (CI's dev environment has it)")
    page = SimpleNamespace(file=SimpleNamespace(src_path="api.md"))
    with pytest.raises(Exception, match="reStructuredText the docs render raw"):
        _hooks().on_page_content(f"<p>{leftover}</p>", page=page)
    assert _hooks().on_page_content("<p>fine: <code>x::y</code></p>", page=page)
