"""``migrate fix``: every construction form rewritten and re-scanned clean (or left with the TODO
that says why), golden diffs, idempotence, and rewritten code running against the fake."""

from __future__ import annotations

import ast
import os
import re
import sys
import textwrap
from pathlib import Path

import boto3
import botocore
import botocore.session
import pytest

from chime_calls.migration import (
    MAPPING,
    MEMBER_RENAMES,
    FileFix,
    Finding,
    fix_paths,
    fix_source,
    scan_paths,
    scan_source,
)
from chime_calls.migration.fix import TODO_MARKER
from chime_calls.testing import mock_chime
from tests.migration._helpers import FIXTURES, load_path
from tests.migration.test_scan import FORMS

APP = FIXTURES / "app"
FIX = FIXTURES / "fix"
GOLDEN = FIX / "golden"
SESSION = botocore.session.get_session()


def _fix(source: str, path: str = "mod.py") -> FileFix:
    return fix_source(textwrap.dedent(source), path)


def _todo_above(text: str, finding: Finding) -> bool:
    """A TODO comment among the comment lines right above the statement that holds the
    finding (the finding may sit on a continuation line of that statement)."""
    lines = text.splitlines()
    tree = ast.parse(text)
    statements = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.stmt) and n.lineno <= finding.line <= (n.end_lineno or n.lineno)
    ]
    start = max(s.lineno for s in statements)  # the innermost statement
    above = start - 2
    while above >= 0 and lines[above].lstrip().startswith("#"):
        if lines[above].lstrip().startswith(TODO_MARKER):
            return True
        above -= 1
    return False


def _check_rewrite(result: FileFix) -> None:
    """Parses, re-scans clean apart from findings with a TODO above them, and a second run
    changes nothing."""
    ast.parse(result.fixed)
    for finding in scan_source(result.fixed, result.path):
        assert _todo_above(result.fixed, finding), (finding.line, finding.operation)
    again = fix_source(result.fixed, result.path)
    assert again.fixed == result.fixed
    assert not again.changed
    assert [t.text for t in again.todos] == [t.text for t in result.todos]


# --- the scanner's construction forms -----------------------------------------------------------


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_construction_form_is_rewritten_and_rescans_clean(form: str) -> None:
    source = textwrap.dedent(FORMS[form].format(svc="chime"))
    result = fix_source(source, "form.py")
    assert result.changed
    assert len(result.findings) == 1
    _check_rewrite(result)
    (finding,) = result.findings
    assert "chime-sdk-" in result.fixed
    if "SERVICE" not in source:  # a constant is replaced at the call, and stays as it is
        assert '"chime"' not in result.fixed
    assert scan_source(result.fixed) == []
    # the forms' calls pass few members: a TODO names those the installed model requires
    r = finding.replacement
    assert r.operation is not None
    shape = SESSION.get_service_model(r.service or "").operation_model(r.operation).input_shape
    tree = ast.parse(source)
    call = next(
        (
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == finding.method
        ),
        None,
    )
    passed = set() if call is None else {k.arg for k in call.keywords}
    missing = [m for m in shape.required_members if call is not None and m not in passed]
    if missing:
        (todo,) = result.todos
        assert todo.text.startswith(f"{r.service} {r.operation} requires ")
        assert all(m in todo.text for m in missing)
    else:
        assert result.todos == ()
    if finding.operation == "CreateMeeting":
        hint = 'MediaRegion="us-east-1" keeps the region the legacy endpoint'
        assert hint in result.todos[0].text


@pytest.mark.parametrize("form", sorted(FORMS))
def test_forms_on_dedicated_namespaces_are_left_alone(form: str) -> None:
    for service in ("chime-sdk-meetings", "chime-sdk-voice"):
        result = fix_source(textwrap.dedent(FORMS[form].format(svc=service)), "form.py")
        assert not result.changed
        assert result.edits == ()


def test_the_fixture_application_is_rewritten_and_rescans_clean_or_explained() -> None:
    paths = sorted(APP.rglob("*.py"))
    total = remaining = 0
    for path in paths:
        result = fix_source(path.read_bytes(), path.as_posix())
        _check_rewrite(result)
        total += len(result.findings)
        remaining += len(result.remaining)
    assert total == len(scan_paths([APP]).findings)
    # what is left is what no dedicated namespace can take or the analysis cannot decide
    assert remaining < total / 2


# --- golden diffs -------------------------------------------------------------------------------

GOLDEN_INPUTS = {
    "meetings_globals": APP / "meetings_globals.py",
    "service": APP / "service.py",
    "misc_forms": APP / "misc_forms.py",
    "more_forms": APP / "more_forms.py",
    "aliases": APP / "aliases.py",
    "dial_out_lambda": APP / "handlers" / "dial_out_lambda.py",
    "two_namespaces": FIX / "two_namespaces.py",
    "runnable_legacy": FIX / "runnable_legacy.py",
}


@pytest.mark.parametrize("name", sorted(GOLDEN_INPUTS))
def test_golden_diffs(name: str) -> None:
    """The diff for each input, byte for byte. To accept a deliberate change, run with
    CHIME_CALLS_UPDATE_GOLDEN=1 and review the .diff files in the commit."""
    source = GOLDEN_INPUTS[name]
    relative = source.relative_to(FIXTURES).as_posix()
    diff = fix_source(source.read_bytes(), relative).diff()
    golden = GOLDEN / f"{name}.diff"
    if os.environ.get("CHIME_CALLS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(diff, encoding="utf-8")
        pytest.skip(f"wrote {golden.name}")
    assert diff == golden.read_text(encoding="utf-8")


def test_formatting_and_comments_outside_the_edits_are_kept() -> None:
    source = FIX / "two_namespaces.py"
    original = source.read_text(encoding="utf-8")
    fixed = fix_source(original, "two_namespaces.py").fixed
    for line in original.splitlines():
        if "#" in line:
            comment = line[line.index("#") :]
            assert comment in fixed
    # untouched lines stay byte for byte, in order
    untouched = [
        line
        for line in original.splitlines()
        if "chime" not in line and "StreamingConfigurations" not in line
    ]
    kept = iter(fixed.splitlines())
    assert all(any(line == other for other in kept) for line in untouched)


# --- what each kind of finding becomes ----------------------------------------------------------


def test_a_file_that_needs_two_clients_gets_two() -> None:
    result = fix_source((FIX / "runnable_legacy.py").read_text(encoding="utf-8"), "r.py")
    assert 'chime = boto3.client("chime-sdk-meetings", region_name="us-east-1")' in result.fixed
    assert 'chime_voice = boto3.client("chime-sdk-voice", region_name="us-east-1")' in (
        result.fixed
    )
    assert "chime_voice.create_sip_media_application_call(" in result.fixed
    assert "chime_voice.update_sip_media_application_call(" in result.fixed
    assert "chime.create_meeting(" in result.fixed
    assert result.todos == ()
    assert result.remaining == ()
    actions = {e.action for e in result.edits}
    assert actions == {"client", "region", "new-client", "receiver"}


def test_a_client_kept_for_operations_that_stay_in_chime() -> None:
    result = fix_source((FIX / "two_namespaces.py").read_text(encoding="utf-8"), "t.py")
    fixed = result.fixed
    assert "self.chime.get_account(" in fixed  # stays on the legacy client
    assert "self.chime_meetings.create_attendee(" in fixed
    assert "self.chime_voice.create_sip_media_application_call(" in fixed
    assert "[self.chime_meetings.get_meeting, self.chime_meetings.delete_meeting]" in fixed
    # a member renamed with its operation
    assert "self.chime_messaging.put_messaging_streaming_configurations(" in fixed
    assert "StreamingConfigurations=configs" in fixed
    assert "AppInstanceStreamingConfigurations" not in fixed
    # a retired replacement: left on the legacy client, with the date
    (left,) = result.remaining
    assert left.operation == "ListProxySessions"
    (todo,) = result.todos
    assert "end of support on 2026-04-07" in todo.text


def test_renamed_operations_and_members_that_are_not_mechanical() -> None:
    result = _fix(
        """
        import boto3
        c = boto3.client("chime")
        c.tag_meeting(MeetingId="m", Tags=[])
        c.create_attendee(MeetingId="m", ExternalUserId="u", Tags=[{"Key": "k", "Value": "v"}])
        c.create_meeting(**params)
        """
    )
    fixed = result.fixed
    assert 'c = boto3.client("chime-sdk-meetings", region_name="us-east-1")' in fixed
    assert 'c.tag_resource(MeetingId="m", Tags=[])' in fixed  # renamed; the ARN is the TODO
    texts = [t.text for t in result.todos]
    assert any("ResourceARN=<Meeting.MeetingArn> instead of MeetingId" in t for t in texts)
    assert any("has no Tags: attendee tags do not exist there" in t for t in texts)
    assert any("unless **kwargs has them" in t for t in texts)
    _check_rewrite(result)


def test_operations_without_replacement_keep_the_legacy_client() -> None:
    result = _fix(
        """
        import boto3
        c = boto3.client("chime")
        c.list_meetings()
        c.create_meeting_dial_out(MeetingId="m", FromPhoneNumber="+1", ToPhoneNumber="+2",
                                  JoinToken="t")
        c.get_proxy_session(VoiceConnectorId="v", ProxySessionId="p")
        """
    )
    assert 'boto3.client("chime")' in result.fixed  # nothing else to move
    assert [f.operation for f in result.remaining] == [
        "ListMeetings",
        "CreateMeetingDialOut",
        "GetProxySession",
    ]
    texts = [t.text for t in result.todos]
    assert "2023-06-29" in texts[0]
    assert "2026-02-20" in texts[1]
    assert "SIP media application" in texts[1]
    assert "end of support on 2026-04-07" in texts[2]
    _check_rewrite(result)


def test_a_client_that_cannot_be_split_gets_todos_not_a_guess() -> None:
    result = fix_source((APP / "handlers" / "dial_out_lambda.py").read_bytes(), "h.py")
    assert 'boto3.client("chime", region_name="us-east-1", config=_RETRIES)' in result.fixed
    texts = [t.text for t in result.todos]
    assert any(t.startswith("this chime client is used for") for t in texts)
    assert any(t.startswith("DeleteAttendee needs a chime-sdk-meetings client") for t in texts)
    _check_rewrite(result)


def test_a_generic_tagging_call_follows_the_clients_other_calls() -> None:
    result = _fix(
        """
        import boto3
        c = boto3.client("chime")
        c.create_meeting(ClientRequestToken="t", ExternalMeetingId="e", MediaRegion="eu-west-2")
        c.tag_resource(ResourceARN="arn", Tags=[])
        """
    )
    assert "chime-sdk-meetings" in result.fixed
    assert result.todos == ()
    assert result.remaining == ()


def test_region_handling() -> None:
    kept = _fix(
        'import boto3\nc = boto3.client("chime", "eu-west-1")\nc.get_meeting(MeetingId="m")\n'
    )
    assert 'boto3.client("chime-sdk-meetings", "eu-west-1")' in kept.fixed
    unknown = _fix(
        'import boto3\nc = boto3.client("chime", **opts)\nc.get_meeting(MeetingId="m")\n'
    )
    assert 'boto3.client("chime-sdk-meetings", **opts)' in unknown.fixed
    assert "always used us-east-1" in unknown.todos[0].text
    quoted = _fix("import boto3\nc = boto3.client('chime')\nc.get_meeting(MeetingId='m')\n")
    assert "boto3.client('chime-sdk-meetings', region_name='us-east-1')" in quoted.fixed


def test_renamed_paginator_and_getattr_names() -> None:
    result = _fix(
        """
        import boto3
        c = boto3.client("chime")
        getattr(c, "list_meeting_tags")(MeetingId="m")
        c.get_paginator("list_attendees")
        """
    )
    assert 'getattr(c, "list_tags_for_resource")' in result.fixed
    assert 'c.get_paginator("list_attendees")' in result.fixed
    assert 'boto3.client("chime-sdk-meetings"' in result.fixed


def test_every_rename_target_exists_on_the_installed_clients() -> None:
    """Each method name the fix writes is a method of the installed botocore's client."""
    checked = 0
    clients: dict[str, object] = {}
    for r in MAPPING.values():
        if r.operation is None or r.kind == "legacy-only":
            continue
        for service in r.services:
            if service not in clients:
                clients[service] = boto3.client(service, region_name="us-east-1")
            method = botocore.xform_name(r.operation)
            assert hasattr(clients[service], method), (service, r.operation)
            checked += 1
    assert checked > 100
    for (legacy, old), new in MEMBER_RENAMES.items():
        r = MAPPING[legacy]
        assert r.operation is not None
        shape = SESSION.get_service_model(r.service or "").operation_model(r.operation)
        members = shape.input_shape.members
        assert new in members
        assert old not in members


def test_annotated_clients_from_the_caller_are_explained() -> None:
    result = _fix(
        """
        from mypy_boto3_chime import ChimeClient
        def end(client: ChimeClient) -> None:
            client.delete_meeting(MeetingId="m")
        """
    )
    assert not result.changed or result.todos
    (todo,) = result.todos
    assert todo.text.startswith("this client comes from the caller")


# --- rewritten code runs against the fake -------------------------------------------------------


def test_rewritten_code_runs_against_the_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backend_fixed.py"
    target.write_bytes((FIX / "runnable_legacy.py").read_bytes())
    result = fix_paths([target], write=True)
    assert [f.changed for f in result.files] == [True]
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")  # the legacy client ignored this
    with mock_chime() as chime:
        backend = load_path(target)
        started = backend.start("order-17", "alice")
        meeting_id = started["meeting"]["MeetingId"]
        assert chime.meeting(meeting_id).external_meeting_id == "order-17"
        assert [a.external_user_id for a in chime.attendees] == ["alice"]
        chime.provision_sip_media_application("sma-1", phone_number="+12065550100")
        transaction = backend.ring("sma-1", "+14255550199")
        backend.hang_up("sma-1", transaction)
        assert backend.finish(meeting_id)
        assert chime.meeting(meeting_id).deleted
        assert [c.transaction_id for c in chime.calls] == [transaction]
        assert [u.transaction_id for u in chime.call_updates] == [transaction]
        # pinned to where the legacy endpoint always was, whatever the environment says
        assert {r.region for r in chime.requests} == {"us-east-1"}
        assert {r.service for r in chime.requests} == {"chime-sdk-meetings", "chime-sdk-voice"}
    assert scan_paths([target]).findings == ()
    assert sys.modules.get("backend_fixed") is None


def test_the_legacy_code_itself_cannot_run_on_a_current_botocore(tmp_path: Path) -> None:
    if "CreateMeeting" in SESSION.get_service_model("chime").operation_names:
        pytest.skip("this botocore still models the legacy CreateMeeting")
    target = tmp_path / "backend_legacy.py"
    target.write_bytes((FIX / "runnable_legacy.py").read_bytes())
    with mock_chime():
        backend = load_path(target)
        with pytest.raises(AttributeError, match="create_meeting"):
            backend.start("order-17", "alice")


# --- files, encodings, errors -------------------------------------------------------------------

LEGACY = 'import boto3\nc = boto3.client("chime")\nc.get_meeting(MeetingId="m")\n'


def test_write_keeps_encoding_newlines_and_bom(tmp_path: Path) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes(
        ("# -*- coding: latin-1 -*-\n" + LEGACY.replace('"m"', '"café"')).encode("latin-1")
    )
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(("\ufeff" + LEGACY).replace("\n", "\r\n").encode("utf-8"))
    result = fix_paths([tmp_path], write=True)
    assert sorted(f.path for f in result.files if f.changed) == [
        crlf.as_posix(),
        latin.as_posix(),
    ]
    assert "café".encode("latin-1") in latin.read_bytes()
    assert b"chime-sdk-meetings" in latin.read_bytes()
    data = crlf.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3
    assert b"\n" not in data.replace(b"\r\n", b"")
    again = fix_paths([tmp_path], write=True)
    assert not any(f.changed for f in again.files)


def test_files_that_do_not_parse_are_reported_and_left_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_bytes(b'import boto3\nc = boto3.client("chime"\nc.get_meeting(\n')
    undecodable = tmp_path / "bytes.py"
    undecodable.write_bytes(b'import boto3  # chime\nname = "caf\xe9"\n')
    good = tmp_path / "good.py"
    good.write_text(LEGACY, encoding="utf-8")
    before = {p: p.read_bytes() for p in (broken, undecodable)}
    result = fix_paths([tmp_path, tmp_path / "gone.py"], write=True)
    reasons = {Path(e.path).name: e.reason for e in result.errors}
    assert reasons["broken.py"].startswith("syntax error")
    assert reasons["bytes.py"].startswith("cannot decode")
    assert {p: p.read_bytes() for p in before} == before
    assert "chime-sdk-meetings" in good.read_text(encoding="utf-8")
    assert result.missing == ((tmp_path / "gone.py").as_posix(),)
    assert result.files_scanned == 3


def test_diff_is_a_unified_diff_with_a_b_prefixes() -> None:
    result = fix_source(LEGACY, "app/x.py")
    diff = result.diff()
    assert diff.startswith("--- a/app/x.py\n+++ b/app/x.py\n@@ ")
    assert '-c = boto3.client("chime")\n' in diff
    assert '+c = boto3.client("chime-sdk-meetings", region_name="us-east-1")\n' in diff
    assert fix_source(result.fixed, "app/x.py").diff() == ""
    no_newline = fix_source(LEGACY.rstrip("\n"), "y.py").diff()
    assert no_newline.endswith("\\ No newline at end of file\n")


def test_todos_from_an_earlier_run_are_reported_again() -> None:
    first = _fix('import boto3\nc = boto3.client("chime")\nc.list_meetings()\n')
    second = fix_source(first.fixed, "mod.py")
    assert not second.changed
    assert [t.text for t in second.todos] == [t.text for t in first.todos]
    assert re.search(r"TODO\(chime-calls\)", first.fixed)


# --- where a second client cannot be added ------------------------------------------------------

TWO = """
import boto3
{setup}
def meet():
    return {receiver}.get_meeting(MeetingId="m")
def ring():
    return {receiver}.create_sip_media_application_call(
        FromPhoneNumber="+12065550100", ToPhoneNumber="+12065550101", SipMediaApplicationId="s"
    )
"""


@pytest.mark.parametrize(
    ("setup", "receiver"),
    [
        pytest.param(
            'def make():\n    global CLIENT\n    CLIENT = boto3.client("chime")\n',
            "CLIENT",
            id="global",
        ),
        pytest.param('a, b = boto3.client("chime"), None\n', "a", id="tuple"),
        pytest.param(
            'if True:\n    CLIENT = boto3.client("chime")\nelse:\n    CLIENT = None\n',
            "CLIENT",
            id="branch",
        ),
        pytest.param('a = b = boto3.client("chime")\n', "a", id="two-targets"),
    ],
)
def test_clients_that_cannot_be_split_get_a_todo(setup: str, receiver: str) -> None:
    result = fix_source(TWO.format(setup=setup, receiver=receiver), "two.py")
    texts = [t.text for t in result.todos]
    assert texts[0].startswith(
        "this chime client is used for chime-sdk-meetings, chime-sdk-voice: create one client"
    )
    assert 'boto3.client("chime")' in result.fixed  # left as it was
    assert [f.operation for f in result.remaining] == [
        "GetMeeting",
        "CreateSipMediaApplicationCall",
    ]
    _check_rewrite(result)


def test_a_new_client_name_never_shadows_an_existing_one() -> None:
    result = fix_source(
        TWO.format(setup='chime = boto3.client("chime")\nchime_voice = 1\n', receiver="chime"),
        "two.py",
    )
    assert 'chime_voice_2 = boto3.client("chime-sdk-voice", region_name="us-east-1")' in (
        result.fixed
    )
    assert "chime_voice_2.create_sip_media_application_call(" in result.fixed
    assert "chime_voice = 1" in result.fixed


def test_a_member_the_replacement_does_not_have() -> None:
    result = _fix('import boto3\nc = boto3.client("chime")\nc.get_meeting(MeetingId="m", X=1)\n')
    (todo,) = result.todos
    assert todo.text == (
        "chime-sdk-meetings GetMeeting has no member X: remove it or find where it moved."
    )


def test_without_libcst_fix_raises_and_the_cli_says_which_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from chime_calls.cli import main
    from chime_calls.migration import FixUnavailableError

    (tmp_path / "a.py").write_text(LEGACY, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "libcst", None)
    with pytest.raises(FixUnavailableError, match=r"pip install 'chime-calls\[migrate\]'"):
        fix_source(LEGACY)
    assert main(["migrate", "fix", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "pip install 'chime-calls[migrate]'" in captured.err
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == LEGACY


def test_a_file_libcst_cannot_rewrite_is_reported_and_left_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """libcst refusing a file ast accepted (a parser difference) is a per-file error."""
    from chime_calls.migration import _rewrite

    def refuse(*args: object) -> str:
        raise RuntimeError("parser difference")

    monkeypatch.setattr(_rewrite, "apply", refuse)
    path = tmp_path / "a.py"
    path.write_text(LEGACY, encoding="utf-8")
    result = fix_paths([path], write=True)
    assert result.files == ()
    (error,) = result.errors
    assert error.reason == "cannot parse: libcst: RuntimeError: parser difference"
    assert path.read_text(encoding="utf-8") == LEGACY
