"""Check the built distributions before anyone installs them: what is in them, what is not.

Usage::

    python -m build --outdir dist . && python scripts/check_dist.py dist

The wheel must hold the package with its ``py.typed`` marker, the generated constraint data,
the pytest plugin module, the console script and the licence, and nothing else: no tests, no
caches, no bytecode, no development files. The sdist must also carry the licence, the README,
the changelog and ``pyproject.toml``. Exit status 1 with every problem listed.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import Path

WHEEL_MUST = (
    "chime_calls/__init__.py",
    "chime_calls/py.typed",
    "chime_calls/_shapes/meetings.py",
    "chime_calls/_shapes/voice.py",
    "chime_calls/_shapes/legacy.py",
    "_chime_calls_pytest_plugin.py",
    "chime_calls/docs/index.md",  # `chime-calls docs` reads the pages from the package
)
WHEEL_NEVER = ("tests/", "bench/", "scripts/", "typing_tests/", "__pycache__", ".pyc")
SDIST_MUST = ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "chime_calls/py.typed")


def check_wheel(path: Path) -> list[str]:
    problems = []
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = wheel.read(metadata).decode()
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entries = wheel.read(entry_points).decode()
    for must in WHEEL_MUST:
        if must not in names:
            problems.append(f"{path.name}: missing {must}")
    for name in names:
        if any(bad in name for bad in WHEEL_NEVER) or name.startswith("docs/"):
            problems.append(f"{path.name}: should not contain {name}")
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append(f"{path.name}: no licence file in .dist-info/licenses")
    for field in (
        "License-Expression: Apache-2.0",
        "Requires-Python: >=3.10",
        "Typing :: Typed",
        "Project-URL: Documentation, ",
    ):
        if field not in meta:
            problems.append(f"{path.name}: METADATA lacks {field!r}")
    for line in ("chime-calls = chime_calls.cli:main", "chime_calls = _chime_calls_pytest_plugin"):
        if line not in entries:
            problems.append(f"{path.name}: entry points lack {line!r}")
    return problems


def check_sdist(path: Path) -> list[str]:
    with tarfile.open(path) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    problems = [f"{path.name}: missing {must}" for must in SDIST_MUST if must not in names]
    problems += [f"{path.name}: should not contain {n}" for n in names if "__pycache__" in n]
    return problems


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist")
    wheels = sorted(folder.glob("*.whl"))
    sdists = sorted(folder.glob("*.tar.gz"))
    problems = [] if wheels and sdists else [f"{folder}: needs one wheel and one sdist"]
    for wheel in wheels:
        problems += check_wheel(wheel)
    for sdist in sdists:
        problems += check_sdist(sdist)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{', '.join(p.name for p in (*wheels, *sdists))}: contents and metadata as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
