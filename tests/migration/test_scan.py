"""The static scanner: every client construction form, the negatives, and files it cannot read."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import botocore
import botocore.session
import pytest

from chime_calls.migration import (
    MAPPING,
    iter_python_files,
    scan_file,
    scan_paths,
    scan_source,
)
from tests.migration._helpers import FIXTURES, expected_findings

APP = FIXTURES / "app"


def _found(paths: list[Path]) -> set[tuple[str, int, str]]:
    result = scan_paths(paths)
    assert result.errors == ()
    return {(f.path, f.line, f.operation) for f in result.findings}


def _ops(source: str) -> list[str]:
    return [f.operation for f in scan_source(textwrap.dedent(source))]


# --- the fixture application --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in APP.rglob("*.py")))
def test_each_fixture_file_yields_exactly_its_expected_findings(name: str) -> None:
    (path,) = APP.rglob(name)
    expected = {e for e in expected_findings(APP) if e[0] == path.as_posix()}
    assert _found([path]) == expected


def test_the_whole_fixture_tree_in_one_scan() -> None:
    result = scan_paths([APP])
    assert {(f.path, f.line, f.operation) for f in result.findings} == expected_findings(APP)
    assert result.files_scanned == len(list(APP.rglob("*.py")))
    assert len(result.findings) == len(expected_findings(APP)) >= 45
    kinds = {f.replacement.kind for f in result.findings}
    assert kinds == {"moved", "renamed", "removed", "retired", "legacy-only"}


def test_negative_fixtures_yield_nothing() -> None:
    for name in ("negatives.py", "more_negatives.py"):
        findings, error = scan_file(APP / name)
        assert (findings, error) == ([], None)


def test_columns_point_at_the_operation_name() -> None:
    by_line = {(Path(f.path).name, f.line): f for f in scan_paths([APP]).findings}
    chain = by_line[("more_forms.py", 56)]  # `.batch_create_attendee(` on its own line
    assert (chain.operation, chain.column) == ("BatchCreateAttendee", 10)
    paginator = by_line[("meetings_globals.py", 31)]  # CHIME.get_paginator("list_meetings")
    assert (paginator.operation, paginator.column) == ("ListMeetings", 33)
    accented = by_line[("misc_forms.py", 107)]  # after "réunion": columns count characters
    line = (APP / "misc_forms.py").read_text(encoding="utf-8").splitlines()[106]
    assert line[accented.column - 1 :].startswith("get_meeting(")


# --- every construction form, and its twin on a dedicated namespace -----------------------------

FORMS = {
    "boto3.client positional": """
        import boto3
        c = boto3.client({svc!r}, region_name="us-east-1")
        c.create_meeting(ClientRequestToken="t")
    """,
    "boto3.client service_name=": """
        import boto3
        c = boto3.client(service_name={svc!r})
        c.get_meeting(MeetingId="m")
    """,
    "Session().client": """
        import boto3
        c = boto3.Session(profile_name="prod").client({svc!r})
        c.delete_meeting(MeetingId="m")
    """,
    "boto3.session.Session": """
        import boto3.session
        session = boto3.session.Session()
        c = session.client(service_name={svc!r})
        c.create_attendee(MeetingId="m", ExternalUserId="u")
    """,
    "botocore create_client": """
        import botocore.session
        c = botocore.session.get_session().create_client({svc!r}, region_name="us-east-1")
        c.list_attendees(MeetingId="m")
    """,
    "botocore create_client service_name=": """
        from botocore.session import Session
        c = Session().create_client(service_name={svc!r})
        c.batch_create_attendee(MeetingId="m", Attendees=[])
    """,
    "aliased module": """
        import boto3 as aws
        c = aws.client({svc!r})
        c.get_attendee(MeetingId="m", AttendeeId="a")
    """,
    "aliased function": """
        from boto3 import client as new_client
        c = new_client({svc!r})
        c.delete_attendee(MeetingId="m", AttendeeId="a")
    """,
    "service name in a constant": """
        import boto3
        SERVICE = {svc!r}
        c = boto3.client(SERVICE)
        c.create_sip_media_application_call(SipMediaApplicationId="s")
    """,
    "module global used in a function": """
        import boto3
        def handler(event, context):
            return CLIENT.list_sip_media_applications()
        CLIENT = boto3.client({svc!r})
    """,
    "self attribute": """
        import boto3
        class Service:
            def run(self):
                return self.client.update_sip_media_application_call(TransactionId="t")
            def __init__(self, session):
                self.client = session.client({svc!r})
    """,
    "inherited self attribute": """
        import boto3
        class Base:
            def __init__(self):
                self._chime = boto3.client({svc!r})
        class Child(Base):
            def go(self):
                return self._chime.list_voice_connectors()
    """,
    "property": """
        import boto3
        class Service:
            @property
            def chime(self):
                return boto3.client({svc!r})
            def end(self):
                self.chime.delete_attendee(MeetingId="m", AttendeeId="a")
    """,
    "instance attribute from outside": """
        import boto3
        class Clients:
            def __init__(self):
                self.meetings = boto3.client({svc!r})
        clients = Clients()
        clients.meetings.list_attendees(MeetingId="m")
    """,
    "factory function": """
        import boto3
        def make():
            return boto3.client({svc!r})
        make().start_meeting_transcription(MeetingId="m")
    """,
    "or-default": """
        import boto3
        def run(client=None):
            client = client or boto3.client({svc!r})
            client.get_meeting(MeetingId="m")
    """,
    "async with aioboto3": """
        import aioboto3
        async def run():
            async with aioboto3.Session().client({svc!r}) as c:
                await c.delete_meeting(MeetingId="m")
    """,
    "get_paginator": """
        import boto3
        c = boto3.client({svc!r})
        c.get_paginator("list_attendees").paginate(MeetingId="m")
    """,
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_construction_form_is_found_only_for_the_legacy_service(form: str) -> None:
    legacy = _ops(FORMS[form].format(svc="chime"))
    assert len(legacy) == 1, legacy
    assert MAPPING[legacy[0]].kind == "moved"
    for service in ("chime-sdk-meetings", "chime-sdk-voice", "chime-sdk-messaging"):
        assert _ops(FORMS[form].format(svc=service)) == []


def test_every_moved_operation_is_found_and_every_staying_one_is_not() -> None:
    methods = {r.method: op for op, r in MAPPING.items()}
    model = botocore.session.get_session().get_service_model("chime")
    staying = [
        botocore.xform_name(op)
        for op in model.operation_names
        if not model.operation_model(op).deprecated and op != "CreateMeetingDialOut"
    ]
    assert len(staying) == 61
    calls = "\n".join(f"client.{m}()" for m in [*methods, *staying])
    findings = scan_source(f"import boto3\nclient = boto3.client('chime')\n{calls}\n")
    assert [(f.method, f.operation) for f in findings] == list(methods.items())
    assert [f.line for f in findings] == list(range(3, 3 + len(methods)))


def test_look_alikes_are_not_findings() -> None:
    assert (
        _ops(
            """
            import boto3
            legacy = boto3.client("chime")

            class Calendar:
                def create_meeting(self, title):
                    return title

            def plan(chime):  # a parameter named chime is not known to be a client
                Calendar().create_meeting("retro")
                chime.create_meeting(ClientRequestToken="t")
                legacy.CreateMeeting()  # not a boto3 method name
                legacy.meta.create_meeting()  # an attribute of the client, not the client
                getattr(legacy, "get_account")()  # stays in the legacy namespace

            def shadow():
                legacy = Calendar()
                legacy.create_meeting("x")
            """
        )
        == []
    )


def test_branches_merge_to_may_be_a_client() -> None:
    source = """
        import boto3
        def run(flag):
            client = boto3.client("chime-sdk-meetings")
            for _ in range(3):
                if flag:
                    client = boto3.client("chime")
            client.get_meeting(MeetingId="m")
            client = boto3.client("chime-sdk-meetings")
            client.get_meeting(MeetingId="m")
    """
    findings = scan_source(textwrap.dedent(source))
    assert [(f.line, f.operation) for f in findings] == [(8, "GetMeeting")]


def test_a_broken_file_is_reported_even_without_chime_in_it(tmp_path: Path) -> None:
    """ "Could not parse" is reported for every file, not only for likely candidates: a tree
    that does not parse cannot be called clean."""
    (tmp_path / "unrelated_broken.py").write_text("def broken(:\n", encoding="utf-8")
    (tmp_path / "fine.py").write_text("import os\n", encoding="utf-8")
    result = scan_paths([tmp_path])
    assert not result.findings
    (error,) = result.errors
    assert error.path.endswith("unrelated_broken.py")
    assert error.reason.startswith("syntax error")
    with pytest.raises(SyntaxError):
        scan_source("def broken(:\n")
    assert scan_source("x = 1\n") == []


# --- never running user code --------------------------------------------------------------------


def test_scanning_never_imports_or_runs_the_scanned_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "marker"
    monkeypatch.setenv("CHIME_CALLS_SCAN_MARKER", str(marker))
    before = set(sys.modules)
    result = scan_paths([APP / "side_effects.py"])
    assert [f.operation for f in result.findings] == ["GetMeeting"]
    assert not marker.exists()
    assert not [m for m in set(sys.modules) - before if "side_effects" in m]
    # the fixture really does what the test guards against when run
    with pytest.raises(SystemExit, match="imported user code"):
        exec(compile((APP / "side_effects.py").read_text(), "side_effects.py", "exec"), {})  # noqa: S102
    assert marker.read_text() == "ran"


# --- files it cannot read or parse --------------------------------------------------------------

GOOD = 'import boto3\nboto3.client("chime").get_meeting(MeetingId="m")\n'


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_bad_files_are_reported_and_the_scan_goes_on(tmp_path: Path) -> None:
    _write(tmp_path / "a_good.py", GOOD)
    _write(tmp_path / "b_syntax.py", 'import boto3\nc = boto3.client("chime"\ndef f(:\n')
    _write(tmp_path / "c_undecodable.py", b'# "chime"\nname = "caf\xe9"\n')
    _write(tmp_path / "c_undecodable_later.py", b'import boto3  # chime\n\n\nname = "caf\xe9"\n')
    _write(tmp_path / "d_nul.py", b'import boto3\nboto3.client("chime")\x00\n')
    _write(tmp_path / "e_cookie.py", b"# -*- coding: klingon -*-\nimport boto3  # chime\n")
    _write(tmp_path / "f_indent.py", 'import boto3\n  c = boto3.client("chime")\n')
    (tmp_path / "g_dangling.py").symlink_to(tmp_path / "nowhere.py")
    os.mkfifo(tmp_path / "h_fifo.py")
    _write(tmp_path / "z_good.py", GOOD)
    result = scan_paths([tmp_path])
    assert [Path(f.path).name for f in result.findings] == ["a_good.py", "z_good.py"]
    reasons = {Path(e.path).name: e.reason for e in result.errors}
    assert reasons["b_syntax.py"].startswith("syntax error: ")
    assert "(line 2)" in reasons["b_syntax.py"] or "(line 3)" in reasons["b_syntax.py"]
    assert reasons["c_undecodable.py"].startswith("cannot decode: ")
    assert reasons["c_undecodable_later.py"].startswith("cannot decode: ")
    assert reasons["d_nul.py"].startswith(("cannot parse: ", "syntax error: "))
    assert reasons["e_cookie.py"] == "cannot decode: unknown encoding: klingon"
    assert reasons["f_indent.py"].startswith("syntax error: ")
    assert reasons["g_dangling.py"].startswith("cannot read: ")
    assert reasons["h_fifo.py"] == "cannot read: not a regular file"
    assert set(reasons) == {
        "b_syntax.py",
        "c_undecodable.py",
        "c_undecodable_later.py",
        "d_nul.py",
        "e_cookie.py",
        "f_indent.py",
        "g_dangling.py",
        "h_fifo.py",
    }
    assert result.files_scanned == 10
    assert result.missing == ()


def test_a_declared_encoding_is_honoured(tmp_path: Path) -> None:
    source = (
        "# -*- coding: latin-1 -*-\n"
        "import boto3\n"
        'x = {"café": boto3.client("chime").list_meetings()}\n'
    )
    path = _write(tmp_path / "latin.py", source.encode("latin-1"))
    (finding,) = scan_file(path)[0]
    assert (finding.line, finding.operation) == (3, "ListMeetings")
    assert finding.column == source.splitlines()[2].index("list_meetings") + 1


def test_crlf_and_bom(tmp_path: Path) -> None:
    source = (
        "\ufeffimport boto3\r\n\r\nc = boto3.client('chime')\r\nc.delete_meeting(MeetingId='m')\r\n"
    )
    (finding,) = scan_file(_write(tmp_path / "win.py", source))[0]
    assert (finding.line, finding.column) == (4, 3)


def test_directories_missing_paths_and_explicit_files(tmp_path: Path) -> None:
    _write(tmp_path / "src" / "pkg" / "mod.py", GOOD)
    _write(tmp_path / "src" / ".venv" / "lib" / "boto_user.py", GOOD)
    _write(tmp_path / "src" / "__pycache__" / "mod.py", GOOD)
    _write(tmp_path / "src" / "node_modules" / "x.py", GOOD)
    _write(tmp_path / "src" / "notes.txt", GOOD)
    script = _write(tmp_path / "bin" / "provision", GOOD)  # no suffix: scanned when named
    (tmp_path / "src" / "loop").symlink_to(tmp_path / "src", target_is_directory=True)
    listed = [Path(p).relative_to(tmp_path).as_posix() for p in iter_python_files(tmp_path)]
    assert listed == ["src/pkg/mod.py"]
    result = scan_paths([tmp_path / "src", script, tmp_path / "gone", tmp_path / "gone.py"])
    assert [Path(f.path).name for f in result.findings] == ["mod.py", "provision"]
    assert result.missing == ((tmp_path / "gone").as_posix(), (tmp_path / "gone.py").as_posix())
    assert result.files_scanned == 2
    assert scan_paths([]).files_scanned == 0


# --- method references and per-call notes -------------------------------------------------------


def test_method_references_that_are_never_called_are_found() -> None:
    findings = scan_source(
        textwrap.dedent(
            """
            import boto3
            client = boto3.client("chime")
            handlers = [client.get_meeting, client.delete_meeting]
            dispatch = {"end": client.delete_attendee}
            client.get_account  # stays in the legacy namespace: not a finding
            client.create_meeting = None  # an assignment, not a use
            print(client.meta.region_name, client.list_meetings())
            """
        )
    )
    assert [(f.line, f.column, f.operation) for f in findings] == [
        (4, 20, "GetMeeting"),
        (4, 40, "DeleteMeeting"),
        (5, 27, "DeleteAttendee"),
        (8, 39, "ListMeetings"),
    ]


def _notes(source: str) -> list[list[str]]:
    return [[n.id for n in f.notes] for f in scan_source(textwrap.dedent(source))]


def test_member_notes_apply_only_when_the_call_shows_they_do() -> None:
    assert _notes(
        """
        import boto3
        c = boto3.client("chime")
        c.create_attendee(MeetingId="m", ExternalUserId="u")
        c.create_attendee(MeetingId="m", ExternalUserId="u", Tags=[])
        c.create_attendee(**params)
        c.create_attendee("positional")
        """
    ) == [
        ["namespace-deprecated", "regional-endpoint"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
    ]
    assert _notes(
        """
        import boto3
        c = boto3.client("chime")
        c.batch_create_attendee(MeetingId="m", Attendees=[{"ExternalUserId": "u"}])
        c.batch_create_attendee(MeetingId="m", Attendees=[{"ExternalUserId": "u", "Tags": []}])
        c.batch_create_attendee(MeetingId="m", Attendees=people)
        c.batch_create_attendee(MeetingId="m", Attendees=[{**person}])
        """
    ) == [
        ["namespace-deprecated", "regional-endpoint"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
        ["namespace-deprecated", "regional-endpoint", "attendee-tags"],
    ]
    assert _notes(
        """
        import boto3
        c = boto3.client("chime")
        c.create_meeting(ClientRequestToken="t", ExternalMeetingId="e", MediaRegion="eu-west-2")
        c.create_meeting(ClientRequestToken="t", MediaRegion="eu-west-2", Tags=[],
                         NotificationsConfiguration={})
        getattr(c, "create_meeting")
        """
    ) == [
        ["namespace-deprecated", "regional-endpoint"],
        [
            "namespace-deprecated",
            "regional-endpoint",
            "required-members",
            "notification-principal",
            "tags-to-tag-resource",
        ],
        [n.id for n in MAPPING["CreateMeeting"].notes],  # no arguments to look at
    ]
