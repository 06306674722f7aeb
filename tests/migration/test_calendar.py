"""What AWS retired and when: the calendar, the notices read from the installed models, and a
replacement that reached end of support never being offered."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import botocore
import botocore.session
import pytest

from chime_calls.migration import MAPPING, NOTES, RETIREMENTS, mapping
from chime_calls.migration import _mapping_data as data
from chime_calls.migration._calendar import installed_model_loader
from tests.migration._helpers import ROOT

SESSION = botocore.session.get_session()
PROXY = {
    "CreateProxySession",
    "DeleteProxySession",
    "DeleteVoiceConnectorProxy",
    "GetProxySession",
    "GetVoiceConnectorProxy",
    "ListProxySessions",
    "PutVoiceConnectorProxy",
    "UpdateProxySession",
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_proxy_sessions_have_no_supported_replacement() -> None:
    retired = {op for op, r in MAPPING.items() if r.kind == "retired"}
    assert retired == PROXY
    for op in PROXY:
        r = MAPPING[op]
        assert r.operation is None
        assert not r.has_replacement
        assert r.end_of_support is not None
        assert (r.end_of_support.service, r.end_of_support.operation) == ("chime-sdk-voice", op)
        assert r.end_of_support.date == datetime.date(2026, 4, 7)
        assert r.end_of_support.source.startswith("https://")
        assert [n.id for n in r.notes] == ["namespace-deprecated", "end-of-support"]
        assert "end of support on 2026-04-07" in r.describe()
        # AWS's original message, which named the now-retired operation, is kept verbatim
        assert r.aws_message == f"Replaced by {op} in the Amazon Chime SDK Voice Namespace"


def test_every_target_the_installed_models_deprecate_is_retired() -> None:
    """Derived, not listed: whatever mapping target the installed botocore marks deprecated."""
    load = installed_model_loader()
    deprecated = set()
    for op, (_, services, target, _) in data.DEPRECATED.items():
        for service in services:
            spec = load(service)["operations"].get(mapping._CORRECTIONS.get(op, target), {})
            if spec.get("deprecated"):
                deprecated.add(op)
    assert deprecated <= {op for op, r in MAPPING.items() if r.kind == "retired"}
    if _version(botocore.__version__) >= (1, 43, 50):  # the release that marks proxy sessions
        assert deprecated == PROXY
        for op in PROXY:
            eos = MAPPING[op].end_of_support
            assert eos is not None
            assert eos.notice.startswith("End of support notice: On April 7, 2026")
            assert eos.source == (
                "https://docs.aws.amazon.com/chime-sdk/latest/APIReference/"
                f"API_voice-chime_{op}.html"
            )
    else:  # an older botocore: the calendar's date still keeps anyone off them
        assert deprecated == set()


def _loader(
    changes: Mapping[tuple[str, str], Mapping[str, Any]], failing: frozenset[str] = frozenset()
) -> mapping.ModelLoader:
    real = installed_model_loader()

    def load(service: str) -> Mapping[str, Any]:
        if service in failing:
            raise botocore.exceptions.UnknownServiceError(
                service_name=service, known_service_names=""
            )
        model = real(service)
        operations = dict(model["operations"])
        for (changed_service, op), spec in changes.items():
            if changed_service == service:
                operations[op] = {**operations.get(op, {}), **spec}
        return {**model, "operations": operations}

    return load


def test_the_next_retirement_needs_no_code_change() -> None:
    """A model that marks chime-sdk-meetings GetMeeting deprecated (as botocore 1.43.50 did
    for proxy sessions) makes GetMeeting retired, with the date and link from its message."""
    notice = (
        "End of support notice: On May 1, 2027, AWS ended support for GetMeeting. For more "
        "information, refer to https://docs.aws.amazon.com/chime-sdk/latest/APIReference/x.html"
    )
    table = mapping._build(
        _loader(
            {
                ("chime-sdk-meetings", "GetMeeting"): {
                    "deprecated": True,
                    "deprecatedMessage": notice,
                },
                ("chime-sdk-meetings", "GetAttendee"): {"deprecated": True},
            }
        )
    )
    r = table["GetMeeting"]
    assert (r.kind, r.operation) == ("retired", None)
    assert r.end_of_support is not None
    assert r.end_of_support.date == datetime.date(2027, 5, 1)
    assert (
        r.end_of_support.source
        == "https://docs.aws.amazon.com/chime-sdk/latest/APIReference/x.html"
    )
    assert r.end_of_support.notice == notice
    undated = table["GetAttendee"]
    assert undated.end_of_support is not None
    assert undated.end_of_support.date is None
    assert undated.end_of_support.source.startswith(f"botocore {botocore.__version__} ")
    assert undated.describe() == (
        "GetAttendee: no supported replacement (chime-sdk-meetings GetAttendee reached end of "
        "support)"
    )
    assert table["CreateMeeting"].kind == "moved"


def test_a_botocore_without_the_notice_still_retires_what_the_calendar_dates() -> None:
    table = mapping._build(
        _loader(
            {("chime-sdk-voice", op): {"deprecated": False} for op in PROXY},
            failing=frozenset({"chime-sdk-media-pipelines"}),
        )
    )
    for op in PROXY:
        eos = table[op].end_of_support
        assert eos is not None
        assert eos.date == datetime.date(2026, 4, 7)
        assert eos.notice == "AWS ended support for Amazon Chime SDK proxy sessions."
    assert table["TagResource"].kind == "moved"  # a missing model only loses its notices


def test_the_calendar() -> None:
    dates = [r.date for r in RETIREMENTS]
    assert dates == sorted(dates)
    assert [(r.id, r.date.isoformat(), r.botocore) for r in RETIREMENTS] == [
        ("legacy-deprecated", "2023-06-29", "1.29.164"),
        ("legacy-removed", "2025-02-26", "1.37.2"),
        ("chime-service-end", "2026-02-20", None),
        ("proxy-sessions-end", "2026-04-07", "1.43.50"),
    ]
    for r in RETIREMENTS:
        assert r.sources
        assert all(s.startswith("https://") for s in r.sources)
    proxy = RETIREMENTS[-1]
    assert {op for _, op in proxy.operations} == PROXY


def test_the_dated_table_in_the_docs_matches_the_calendar() -> None:
    docs = (ROOT / "chime_calls" / "docs" / "migration.md").read_text(encoding="utf-8")
    for r in RETIREMENTS:
        row = next(line for line in docs.splitlines() if line.startswith(f"| {r.date} |"))
        assert (r.botocore or "-") in row
        for source in r.sources:
            assert source in docs


def test_notes_that_depend_on_a_date_say_it() -> None:
    assert "2023-06-29" in NOTES["namespace-deprecated"].text
    assert "botocore 1.37.2 (2025-02-26)" in NOTES["namespace-deprecated"].text
    assert "2023-06-29" in NOTES["no-replacement"].text
    assert "2026-02-20" in NOTES["sip-media-application"].text
    assert "at risk" in NOTES["sip-media-application"].text
    deprecated_ops = {op for op, r in MAPPING.items() if r.aws_message is not None}
    assert deprecated_ops == set(data.DEPRECATED)
    for op in deprecated_ops:
        assert MAPPING[op].notes[0].id == "namespace-deprecated"
    assert "namespace-deprecated" not in {n.id for n in MAPPING["CreateMeetingDialOut"].notes}


@pytest.mark.parametrize("op", sorted(PROXY))
def test_the_retired_operations_exist_where_aws_said(op: str) -> None:
    assert op in SESSION.get_service_model("chime-sdk-voice").operation_names
