"""Packaging contract: version, metadata, public names, lazy imports, the README's commands."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import chime_calls

ROOT = Path(__file__).resolve().parents[1]


def test_version_matches_metadata() -> None:
    assert importlib.metadata.version("chime-calls") == chime_calls.__version__


def test_runtime_dependencies_are_exactly_the_four() -> None:
    requires = importlib.metadata.requires("chime-calls") or []
    runtime = {re.split(r"[<>=!~ ;\[]", r)[0].lower() for r in requires if "extra ==" not in r}
    assert runtime == {"boto3", "botocore", "attrs", "typing-extensions"}


def test_py_typed_is_shipped() -> None:
    assert (Path(chime_calls.__file__).parent / "py.typed").is_file()


def test_console_script_and_pytest_plugin_are_registered() -> None:
    eps = importlib.metadata.entry_points()
    scripts = {ep.name: ep.value for ep in eps.select(group="console_scripts")}
    assert scripts["chime-calls"] == "chime_calls.cli:main"
    plugins = {ep.name: ep.value for ep in eps.select(group="pytest11")}
    assert plugins["chime_calls"] == "_chime_calls_pytest_plugin"


def test_all_is_sorted_complete_and_importable() -> None:
    names = chime_calls.__all__
    assert names == sorted(names)
    # the lazy-export table and __all__ list the same names (one cannot drift from the other)
    assert set(chime_calls._EXPORTS) == set(names) - {"__version__"}
    for name, module in chime_calls._EXPORTS.items():
        assert getattr(importlib.import_module(module), name) is getattr(chime_calls, name)
    for name in names:
        assert hasattr(chime_calls, name), name
    # (pytest rewrites plugin packages and adds "@py_builtins"-style names; skip those)
    public = {n for n in dir(chime_calls) if not n.startswith(("_", "@"))}
    modules = {
        "client",
        "errors",
        "models",
        "namespaces",
        "values",
        "cli",
        "testing",
        "migration",
        "sma",
    }
    assert public - modules - set(names) == set()


def test_every_public_name_says_chime_calls() -> None:
    """Reprs, tracebacks, pickles and the docs name the path users import."""
    aliases = {"Namespace"}  # a typing alias (Literal["sdk", "legacy"]) has no module of its own
    for name in set(chime_calls.__all__) - aliases:
        obj = getattr(chime_calls, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__module__ == "chime_calls", name


def test_import_stays_light() -> None:
    """`import chime_calls` must not load the fake, migration, SMA helpers, CLI or moto."""
    code = (
        "import sys, chime_calls; "
        "heavy = [m for m in sys.modules if m == 'chime_calls.cli' or m.startswith(("
        "'chime_calls.testing', 'chime_calls.migration', 'chime_calls.sma', 'moto', 'boto3'))]; "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    demo = "python3 -m venv .venv && . .venv/bin/activate && pip install . && chime-calls demo"
    tests = (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' "
        "&& python -m pytest"
    )
    for command in (demo, tests):
        assert command in readme
        assert command in ci
