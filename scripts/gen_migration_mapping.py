"""Regenerate ``chime_calls/migration/_mapping_data.py`` from botocore's legacy ``chime`` model.

botocore <= 1.37.1 still models the legacy meeting, voice, messaging and identity operations,
each marked ``deprecated`` with a message naming its replacement. This script turns those
messages into data, so the mapping is derived from AWS's own model instead of typed by hand.

Usage::

    python scripts/gen_migration_mapping.py                    # downloads botocore==1.37.1
    python scripts/gen_migration_mapping.py --wheel botocore-1.37.1-py3-none-any.whl
    python scripts/gen_migration_mapping.py --check            # exit 1 if the file is stale

The output is deterministic (sorted, already in ``ruff format`` style), so regenerating from the
same wheel reproduces the checked-in file byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import botocore

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "chime_calls" / "migration" / "_mapping_data.py"
DEFAULT_VERSION = "1.37.1"
MODEL_PATH = "botocore/data/chime/2018-05-01/service-2.json"

#: The namespace names AWS's messages use -> boto3 service names.
NAMESPACES = {
    "Meetings": "chime-sdk-meetings",
    "Voice": "chime-sdk-voice",
    "Identity": "chime-sdk-identity",
    "Messaging": "chime-sdk-messaging",
    "Media Pipelines": "chime-sdk-media-pipelines",
}
_NS = "|".join(re.escape(name) for name in NAMESPACES)
_REPLACED_ONE = re.compile(rf"Replaced by (\w+) in the Amazon Chime SDK ({_NS}) Namespace\.?")
_REPLACED_MANY = re.compile(r"Replaced by (\w+) in the (.+) Namespaces\.?")
_USE = re.compile(rf"Use (\w+) in the Amazon Chime SDK ({_NS}) Namespace\.?")
_UNSUPPORTED = re.compile(
    rf".+ (?:is|are) not supported in the Amazon Chime SDK ({_NS}) Namespace\..*"
)
_TAGS = re.compile(r"<[^>]+>")

_LONG_LINES_MARKER = "# ruff: noqa: E501"
Entry = tuple[str, tuple[str, ...], str | None, str]


def _services(listing: str) -> tuple[str, ...]:
    """``Amazon Chime SDK Voice, Amazon Chime SDK Meetings, and ...`` -> boto3 names, in order."""
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", listing)
    found = []
    for name in names:
        short = name.strip().removeprefix("Amazon Chime SDK ").strip()
        if short not in NAMESPACES:
            raise ValueError(f"unknown namespace {name!r} in {listing!r}")
        found.append(NAMESPACES[short])
    return tuple(found)


def parse_message(operation: str, message: str) -> Entry:
    """One deprecated operation's message -> (kind, services, replacement operation, message)."""
    message = " ".join(message.split())
    if m := _REPLACED_ONE.fullmatch(message):
        kind = "moved" if m.group(1) == operation else "renamed"
        return (kind, (NAMESPACES[m.group(2)],), m.group(1), message)
    if m := _REPLACED_MANY.fullmatch(message):
        kind = "moved" if m.group(1) == operation else "renamed"
        return (kind, _services(m.group(2)), m.group(1), message)
    if m := _USE.fullmatch(message):
        kind = "moved" if m.group(1) == operation else "renamed"
        return (kind, (NAMESPACES[m.group(2)],), m.group(1), message)
    if m := _UNSUPPORTED.fullmatch(message):
        return ("removed", (NAMESPACES[m.group(1)],), None, message)
    raise ValueError(f"{operation}: unrecognised deprecation message {message!r}")


def _message(operation: str, spec: Mapping[str, Any]) -> str:
    """The ``deprecatedMessage``, else the sentence of the documentation that names the change."""
    if spec.get("deprecatedMessage"):
        return str(spec["deprecatedMessage"])
    text = " ".join(_TAGS.sub(" ", str(spec.get("documentation", ""))).split())
    for sentence in re.split(r"(?<=\.)\s+", text):
        if "Namespace" in sentence and ("Replaced by" in sentence or "not supported" in sentence):
            return sentence
    raise ValueError(f"{operation} is deprecated but names no replacement")


def entries(model: Mapping[str, Any]) -> dict[str, Entry]:
    """Every deprecated operation of a legacy ``chime`` model, parsed."""
    return {
        name: parse_message(name, _message(name, spec))
        for name, spec in sorted(model["operations"].items())
        if spec.get("deprecated")
    }


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _tuple(items: tuple[str, ...]) -> list[str]:
    """A tuple element at depth 2, laid out the way ``ruff format`` would."""
    one_line = f"        ({', '.join(_q(i) for i in items)}{',' if len(items) == 1 else ''}),"
    if len(one_line) <= 100:
        return [one_line]
    return ["        (", *(f"            {_q(i)}," for i in items), "        ),"]


def render(model: Mapping[str, Any], botocore_version: str) -> str:
    """The whole ``_mapping_data.py`` source for ``model`` (a parsed ``service-2.json``)."""
    api = model["metadata"]["apiVersion"]
    out = [
        "# GENERATED by scripts/gen_migration_mapping.py -- do not edit by hand.",
        f"# Source: botocore {botocore_version}, botocore/data/chime/{api}/service-2.json",
        "# Regenerate: python scripts/gen_migration_mapping.py [--wheel BOTOCORE_WHEEL]",
        _LONG_LINES_MARKER,
        '"""Legacy ``chime`` operations marked deprecated, and every legacy method name."""',
        "",
        "from __future__ import annotations",
        "",
        f"BOTOCORE_VERSION = {_q(botocore_version)}",
        f"API_VERSION = {_q(api)}",
        "",
        "#: Deprecated legacy operation -> (kind, replacement services, replacement operation or",
        "#: None, AWS's deprecation message). kind: moved, renamed or removed.",
        "DEPRECATED: dict[str, tuple[str, tuple[str, ...], str | None, str]] = {",
    ]
    for name, (kind, services, target, message) in entries(model).items():
        out += [f"    {_q(name)}: (", f"        {_q(kind)},", *_tuple(services)]
        out += [
            f"        {_q(target) if target else 'None'},",
            f"        {_q(message)},",
            "    ),",
        ]
    out += [
        "}",
        "",
        "#: boto3 method name on a legacy ``chime`` client -> operation, for every operation.",
        "METHODS: dict[str, str] = {",
    ]
    methods = {botocore.xform_name(name): name for name in model["operations"]}
    out += [f"    {_q(method)}: {_q(name)}," for method, name in sorted(methods.items())]
    out += ["}", ""]
    if not any(len(line) > 100 for line in out):  # else ruff flags the exemption as unused
        out.remove(_LONG_LINES_MARKER)
    return "\n".join(out)


def model_from_wheel(wheel: Path) -> tuple[dict[str, Any], str]:
    """Read the legacy ``chime`` model (plain or gzipped) and botocore's version from a wheel."""
    version = wheel.name.split("-")[1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        if MODEL_PATH in names:
            raw = archive.read(MODEL_PATH)
        elif MODEL_PATH + ".gz" in names:
            raw = gzip.decompress(archive.read(MODEL_PATH + ".gz"))
        else:
            raise SystemExit(f"{wheel} has no {MODEL_PATH}: not a botocore <= 1.37.1 wheel?")
    return json.loads(raw), version


def download(version: str, into: Path) -> Path:
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "-q", "--no-deps"),
            *("--only-binary=:all:", f"botocore=={version}", "-d", str(into)),
        ],
        check=True,
    )
    return next(into.glob("botocore-*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a botocore wheel (default: download one)")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="botocore version to download")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download(args.version, Path(tmp))
        model, version = model_from_wheel(wheel)
    text = render(model, version)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(entries(model))} deprecated operations (botocore {version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
