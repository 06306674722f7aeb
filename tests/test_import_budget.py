"""What each import loads, checked in a fresh interpreter (a behaviour test: no timings).

``import chime_calls`` loads nothing but the package and its version; the facade and models
load with the first name used from them, boto3 with the first client, and the fake, migration,
SIP media application helpers and CLI only when imported (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = {
    "chime_calls",
    "chime_calls._ecma",
    "chime_calls._policy",
    "chime_calls._rules",
    "chime_calls._version",
    "chime_calls.client",
    "chime_calls.errors",
    "chime_calls.models",
    "chime_calls.namespaces",
    "chime_calls.values",
}
NEVER_EAGER = (
    "chime_calls.testing",
    "chime_calls.migration",
    "chime_calls.sma",
    "chime_calls.cli",
    "chime_calls._demo",
    "_chime_calls_pytest_plugin",
    "moto",
    "hypothesis",
    "pytest",
    "responses",
    "yaml",
    "jinja2",
)


def _loaded_after(statement: str) -> set[str]:
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules for p in NEVER_EAGER if m == p or m.startswith(f"{p}.")}


def test_import_chime_calls_loads_only_the_package() -> None:
    loaded = _loaded_after("import chime_calls")
    assert {m for m in loaded if m.startswith("chime_calls")} == {
        "chime_calls",
        "chime_calls._version",
    }
    assert not {m for m in loaded if m.split(".")[0] in {"attr", "attrs", "boto3", "botocore"}}


def test_the_facade_loads_the_core_but_not_boto3() -> None:
    loaded = _loaded_after("from chime_calls import ChimeCalls, PhoneNumber, ValidationError")
    assert {m for m in loaded if m.startswith("chime_calls")} == CORE
    assert not _heavy(loaded)
    # boto3 and botocore load when the first client is created, not before.
    assert not {m for m in loaded if m.split(".")[0] in {"boto3", "botocore"}}


def test_the_first_call_creates_only_the_client_it_needs() -> None:
    statement = (
        "import boto3\n"
        "from chime_calls import ChimeCalls\n"
        "from chime_calls.testing import mock_chime\n"
        "session = boto3.Session(aws_access_key_id='k', aws_secret_access_key='s',\n"
        "                        region_name='us-east-1')\n"
        "with mock_chime():\n"
        "    calls = ChimeCalls(session=session, region_name='us-east-1')\n"
        "    calls.create_sip_media_application_call(sip_media_application_id='sma-1',\n"
        "        from_phone_number='+12065550100', to_phone_number='+14255550199')\n"
        "    assert set(calls._clients) == {'chime-sdk-voice'}, calls._clients\n"
    )
    _loaded_after(statement)  # raises CalledProcessError if the assertion fails


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        ("import chime_calls.sma", "chime_calls.sma"),
        ("import chime_calls.testing", "chime_calls.testing"),
    ],
)
def test_subpackages_load_only_themselves(statement: str, allowed: str) -> None:
    loaded = _loaded_after(statement)
    assert {m for m in _heavy(loaded) if not m.startswith(allowed)} == set()


def test_names_resolve_lazily_to_their_defining_modules() -> None:
    code = (
        "import chime_calls, sys\n"
        "assert 'chime_calls.models' not in sys.modules\n"
        "from chime_calls import CreateMeetingRequest, errors\n"
        "import chime_calls.models as models\n"
        "assert CreateMeetingRequest is models.CreateMeetingRequest\n"
        "assert errors is sys.modules['chime_calls.errors']\n"
        "assert set(chime_calls.__all__) <= set(dir(chime_calls))\n"
        "try:\n"
        "    chime_calls.NoSuchName\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('expected AttributeError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
