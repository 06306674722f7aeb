"""What each import loads, checked in a fresh interpreter (a behaviour test: no timings).

``import chime_calls`` loads nothing but the package, its version and its export list; the
facade loads with its errors and namespaces; the models, the pipeline and attrs when the first
facade is built; each service's generated constraints when a request of that service is first
built; boto3 with the first client; and the fake, migration, SIP media application helpers and
CLI only when imported, and the async facade too (aiobotocore with its first client)
(docs/benchmarks.md). A SIP media application Lambda's handler, status events and sinks load
neither the models nor boto3, nor what its runtime already has (logging, json).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PACKAGE = {"chime_calls", "chime_calls._public", "chime_calls._version"}
FACADE = {
    *PACKAGE,
    "chime_calls._flows",
    "chime_calls._operations",
    "chime_calls._ops",
    "chime_calls._redaction",
    "chime_calls.client",
    "chime_calls.errors",
    "chime_calls.namespaces",
}
BUILT = {
    *FACADE,
    "chime_calls._clock",
    "chime_calls._contract",
    "chime_calls._codec",
    "chime_calls._ecma",
    "chime_calls._fields",
    "chime_calls._pipeline",
    "chime_calls._policy",
    "chime_calls._rules",
    "chime_calls._shapes",
    "chime_calls._spec",
    "chime_calls.models",
    "chime_calls.values",
}
NEVER_EAGER = (
    "chime_calls.aio",
    "aiobotocore",
    "aiohttp",
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
    assert {m for m in loaded if m.startswith("chime_calls")} == PACKAGE
    assert not {m for m in loaded if m.split(".")[0] in {"attr", "attrs", "boto3", "botocore"}}


def test_the_facade_loads_neither_the_models_nor_attrs_nor_boto3() -> None:
    loaded = _loaded_after("from chime_calls import ChimeCalls, PhoneNumber, ValidationError")
    assert {m for m in loaded if m.startswith("chime_calls")} == {*FACADE, "chime_calls.values"}
    assert not _heavy(loaded)
    assert not {m for m in loaded if m.split(".")[0] in {"attr", "attrs", "boto3", "botocore"}}


def test_a_built_facade_loads_the_models_but_no_generated_data_until_a_request() -> None:
    loaded = _loaded_after(
        "from chime_calls import ChimeCalls\n"
        "ChimeCalls(region_name='eu-west-2')\n"
        "import sys\n"
        "assert not [m for m in sys.modules if m.startswith('chime_calls._shapes.')]\n"
        "from chime_calls import GetMeetingRequest\n"
        "GetMeetingRequest(meeting_id='11111111-2222-3333-4444-555555555555')"
    )
    assert {m for m in loaded if m.startswith("chime_calls")} == {
        *BUILT,
        "chime_calls._shapes.meetings",  # only the service the request needs, and the
        "chime_calls._shapes.legacy",  # legacy twin it is compared with (7 operations)
    }
    assert not _heavy(loaded)
    assert not {m for m in loaded if m.split(".")[0] == "boto3"}


def test_the_first_call_creates_only_the_client_it_needs() -> None:
    statement = (
        "import boto3\n"
        "from chime_calls import ChimeCalls\n"
        "from chime_calls.testing import mock_chime\n"
        "session = boto3.Session(aws_access_key_id='k', aws_secret_access_key='s',\n"
        "                        region_name='us-east-1')\n"
        "with mock_chime() as chime:\n"
        "    chime.provision_sip_media_application('sma-1', phone_number='+12065550100')\n"
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
        ("import chime_calls.aio", "chime_calls.aio"),  # aiobotocore with the first client
    ],
)
def test_subpackages_load_only_themselves(statement: str, allowed: str) -> None:
    loaded = _loaded_after(statement)
    assert {m for m in _heavy(loaded) if not m.startswith(allowed)} == set()


#: What a SIP media application Lambda loads: the handler, its actions and events, status
#: events and sinks, and the few core modules they check values with.
SMA = {
    *PACKAGE,
    "chime_calls._contract",
    "chime_calls._ecma",
    "chime_calls._rules",
    "chime_calls._shapes",
    "chime_calls.errors",
    "chime_calls.values",
    "chime_calls.sma",
    "chime_calls.sma._logger",
    "chime_calls.sma.actions",
    "chime_calls.sma.events",
    "chime_calls.sma.handler",
    "chime_calls.sma.sinks",
    "chime_calls.sma.status",
}


def test_the_sma_handler_with_status_events_loads_no_models_and_no_boto3() -> None:
    loaded = _loaded_after(
        "from chime_calls.sma import DialOutHandler, StatusTracker, SqsSink, dial_out_handler"
    )
    assert {m for m in loaded if m.startswith("chime_calls")} == SMA
    heavy = {"boto3", "botocore", "typing_extensions", "logging", "json", "sqlite3", "difflib"}
    assert not {m for m in loaded if m.split(".")[0] in heavy}


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
