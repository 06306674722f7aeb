"""Regenerate ``chime_calls/_shapes/*.py``: the service models' constraints, as data.

Every operation of ``chime-sdk-meetings`` and ``chime-sdk-voice`` in the installed botocore, and
the legacy ``chime`` operations that a request type of chime-calls routes to (their shapes from
botocore 1.37.1, the last release that models the legacy meeting and voice operations), with
every shape their input and output reach: types, lengths, ranges, patterns, enums, sensitivity,
required members and HTTP bindings. Request types name their fields; the constraints come from
here, so nothing is typed by hand (``tests/test_contract.py`` compares the data with the models).

Usage::

    python scripts/gen_shapes.py                   # write the modules (downloads botocore 1.37.1)
    python scripts/gen_shapes.py --wheel botocore-1.37.1-py3-none-any.whl
    python scripts/gen_shapes.py --check           # exit 1 if a module is stale (CI)

The output is deterministic and already in ``ruff format`` style. Every pattern must be one the
package's pattern engine (``chime_calls._ecma``) compiles and can evaluate in linear time; the
script refuses to write data it could not apply.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import botocore
import botocore.session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chime_calls import _ecma  # noqa: E402 - after the path tweak, so a checkout works uninstalled

OUT_DIR = ROOT / "chime_calls" / "_shapes"
LEGACY_VERSION = "1.37.1"
LEGACY_MODEL = "botocore/data/chime/2018-05-01/service-2.json"
#: boto3 service name -> (module name, where the model comes from)
SERVICES = {
    "chime-sdk-meetings": "meetings",
    "chime-sdk-voice": "voice",
    "chime": "legacy",
}
_SCALARS = {"boolean", "timestamp", "blob", "float", "double", "document"}


def _legacy_operations() -> list[str]:
    """The legacy operations some request type routes to (``@operation(..., legacy=True)``)."""
    from chime_calls._spec import all_request_types

    return sorted(
        {cls.spec.operation for cls in all_request_types() if "legacy" in cls.spec.services}
    )


def _reachable(model: Mapping[str, Any], roots: Iterable[str]) -> list[str]:
    shapes = model["shapes"]
    seen: set[str] = set()
    stack = [r for r in roots if r]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        kind = shape["type"]
        if kind == "structure":
            stack.extend(m["shape"] for m in shape.get("members", {}).values())
        elif kind == "list":
            stack.append(shape["member"]["shape"])
        elif kind == "map":
            stack.extend((shape["key"]["shape"], shape["value"]["shape"]))
    return sorted(seen)


def _check_pattern(service: str, name: str, pattern: str, max_len: int | None) -> None:
    try:
        _ecma.compile_pattern(pattern)
    except ValueError as exc:
        raise SystemExit(f"{service} {name}: {exc}") from None
    if max_len is None and not _ecma.is_linear(pattern):
        raise SystemExit(
            f"{service} {name}: pattern {pattern!r} has no maximum length and is not provably "
            "linear; add a linear equivalent to chime_calls._ecma._LINEAR_EQUIVALENTS"
        )


def _shape_row(service: str, name: str, shape: Mapping[str, Any]) -> tuple[Any, ...]:
    kind = shape["type"]
    sensitive = bool(shape.get("sensitive"))
    if kind == "string":
        pattern = shape.get("pattern")
        if pattern is not None:
            _check_pattern(service, name, pattern, shape.get("max"))
        enum = tuple(shape["enum"]) if shape.get("enum") else None
        return ("string", shape.get("min"), shape.get("max"), pattern, enum, sensitive)
    if kind in ("integer", "long"):
        return ("integer", shape.get("min"), shape.get("max"))
    if kind in _SCALARS:
        return (kind,)
    if kind == "list":
        return ("list", shape["member"]["shape"], shape.get("min"), shape.get("max"), sensitive)
    if kind == "map":
        return (
            "map",
            shape["key"]["shape"],
            shape["value"]["shape"],
            shape.get("min"),
            shape.get("max"),
            sensitive,
        )
    if kind == "structure":
        members = tuple(
            (
                member,
                ref["shape"],
                ref.get("location", ""),
                ref.get("locationName", ""),
                bool(ref.get("idempotencyToken")),
            )
            for member, ref in shape.get("members", {}).items()
        )
        return ("structure", members, tuple(shape.get("required", ())), sensitive)
    raise SystemExit(f"{service} {name}: unknown shape type {kind!r}")


def _deprecation(op: Mapping[str, Any]) -> str | None:
    if not op.get("deprecated"):
        return None
    return " ".join(str(op.get("deprecatedMessage") or "deprecated").split())


def build(service: str, model: Mapping[str, Any], operations: Iterable[str]) -> dict[str, Any]:
    """The data of one module: the chosen operations and every shape they reach."""
    ops: dict[str, tuple[Any, ...]] = {}
    roots: list[str] = []
    for name in sorted(operations):
        op = model["operations"][name]
        http = op["http"]
        inp = (op.get("input") or {}).get("shape")
        out = (op.get("output") or {}).get("shape")
        roots += [inp, out]
        ops[name] = (
            http["method"],
            http["requestUri"],
            int(http.get("responseCode", 200)),
            inp,
            out,
            _deprecation(op),
        )
    shapes = {
        name: _shape_row(service, name, model["shapes"][name]) for name in _reachable(model, roots)
    }
    return {"operations": ops, "shapes": shapes}


# --- rendering ------------------------------------------------------------------------------


def _lit(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(_lit(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def _entry(key: str, value: tuple[Any, ...], indent: str = "    ") -> list[str]:
    """One ``key: (...)`` dict entry, wrapped the way ``ruff format`` wraps it."""
    one = f"{indent}{_lit(key)}: {_lit(value)},"
    if len(one) <= 100:
        return [one]
    lines = [f"{indent}{_lit(key)}: ("]
    for item in value:
        lines += _item(item, indent + "    ")
    return [*lines, f"{indent}),"]


def _item(value: Any, indent: str) -> list[str]:
    one = f"{indent}{_lit(value)},"
    if len(one) <= 100 or not isinstance(value, tuple) or not value:
        return [one]
    lines = [f"{indent}("]
    for item in value:
        lines += _item(item, indent + "    ")
    return [*lines, f"{indent}),"]


def render(service: str, data: Mapping[str, Any], source: str) -> str:
    ops = data["operations"]
    shapes = data["shapes"]
    out = [
        "# GENERATED by scripts/gen_shapes.py -- do not edit by hand.",
        "# Regenerate: python scripts/gen_shapes.py [--wheel BOTOCORE_1.37.1_WHEEL]",
        f'"""Constraint data of ``{service}`` ({len(ops)} operations, {len(shapes)} shapes)."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any",
        "",
        f"SOURCE = {_lit(source)}",
        "",
        "#: operation -> (HTTP method, request URI, success status, input shape, output shape,",
        "#: deprecation message or None)",
        "OPERATIONS: dict[str, tuple[Any, ...]] = {",
    ]
    for name, row in ops.items():
        out += _entry(name, row)
    out += [
        "}",
        "",
        "#: shape -> (type, ...): string (min, max, pattern, enum, sensitive); integer (min,",
        "#: max); list (member, min, max, sensitive); map (key, value, min, max, sensitive);",
        "#: structure ((member, target, location, location name, idempotency token), required,",
        "#: sensitive); boolean, timestamp, blob, float, double, document ()",
        "SHAPES: dict[str, tuple[Any, ...]] = {",
    ]
    for name, row in shapes.items():
        out += _entry(name, row)
    out += ["}", ""]
    if any(len(line) > 100 for line in out):  # AWS's long deprecation messages, kept whole
        out.insert(2, "# ruff: noqa: E501")
    return "\n".join(out)


# --- sources ----------------------------------------------------------------------------------


def _installed(service: str) -> dict[str, Any]:
    loader = botocore.session.get_session().get_component("data_loader")
    return dict(loader.load_service_model(service, "service-2"))


def _legacy_from_wheel(wheel: Path) -> tuple[dict[str, Any], str]:
    version = wheel.name.split("-")[1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        if LEGACY_MODEL in names:
            raw = archive.read(LEGACY_MODEL)
        elif LEGACY_MODEL + ".gz" in names:
            raw = gzip.decompress(archive.read(LEGACY_MODEL + ".gz"))
        else:
            raise SystemExit(f"{wheel} has no {LEGACY_MODEL}")
    return json.loads(raw), version


def _download(version: str, into: Path) -> Path:
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "-q", "--no-deps"),
            *("--only-binary=:all:", f"botocore=={version}", "-d", str(into)),
        ],
        check=True,
    )
    return next(into.glob("botocore-*.whl"))


def render_names(operations: Iterable[str]) -> str:
    """``names.py``: every operation name in AWS's spelling and in snake_case, as a ``Literal``
    (what the fake's ``operation`` parameters accept, so mypy catches a misspelling)."""
    from chime_calls._fields import snake

    names = sorted({spelling for name in operations for spelling in (name, snake(name))})
    out = [
        "# GENERATED by scripts/gen_shapes.py -- do not edit by hand.",
        "# Regenerate: python scripts/gen_shapes.py [--wheel BOTOCORE_1.37.1_WHEEL]",
        '"""Every operation name of the generated services, in AWS\'s spelling and snake_case."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Literal",
        "",
        '__all__ = ["OperationName"]',
        "",
        "#: An operation of chime-sdk-meetings, chime-sdk-voice or (legacy) chime, e.g.",
        '#: ``"CreateSipMediaApplicationCall"`` or ``"create_sip_media_application_call"``.',
        "OperationName = Literal[",
        *(f"    {_lit(name)}," for name in names),
        "]",
        "",
    ]
    return "\n".join(out)


def generate(wheel: Path | None) -> dict[Path, str]:
    """Path -> source text of every generated module."""
    files: dict[Path, str] = {}
    operations: set[str] = set()
    for service in ("chime-sdk-meetings", "chime-sdk-voice"):
        model = _installed(service)
        data = build(service, model, model["operations"])
        source = f"botocore {botocore.__version__}, {service} {model['metadata']['apiVersion']}"
        files[OUT_DIR / f"{SERVICES[service]}.py"] = render(service, data, source)
        operations.update(model["operations"])
    with tempfile.TemporaryDirectory() as tmp:
        legacy, version = _legacy_from_wheel(wheel or _download(LEGACY_VERSION, Path(tmp)))
    legacy_operations = _legacy_operations()
    data = build("chime", legacy, legacy_operations)
    source = f"botocore {version}, chime {legacy['metadata']['apiVersion']}"
    files[OUT_DIR / "legacy.py"] = render("chime", data, source)
    files[OUT_DIR / "names.py"] = render_names([*operations, *legacy_operations])
    return files


def _without_source(text: str) -> str:
    """Compare data, not the botocore release it was read from (same data, newer botocore)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("SOURCE = "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a botocore {LEGACY_VERSION} wheel")
    parser.add_argument("--check", action="store_true", help="fail if a module is stale")
    args = parser.parse_args(argv)
    files = generate(args.wheel)
    stale = []
    for path, text in files.items():
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if _without_source(current) != _without_source(text):
                stale.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"stale: {names}; run python scripts/gen_shapes.py", file=sys.stderr)
        return 1
    if args.check:
        print("chime_calls/_shapes is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
