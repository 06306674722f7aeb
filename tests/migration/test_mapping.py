"""The legacy -> SDK mapping: generated from botocore's model, and every target really exists."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import botocore
import botocore.session
import pytest

from chime_calls.migration import MAPPING, NOTES, operation_for_method, replacement_for
from chime_calls.migration import _mapping_data as data
from tests.migration._helpers import ROOT, load_generator

SESSION = botocore.session.get_session()
GEN = load_generator()
DATA_FILE = ROOT / "chime_calls" / "migration" / "_mapping_data.py"


def _operations(service: str) -> set[str]:
    return set(SESSION.get_service_model(service).operation_names)


def test_every_deprecated_operation_and_dial_out_is_mapped() -> None:
    assert len(data.DEPRECATED) == 129
    assert set(MAPPING) == set(data.DEPRECATED) | {"CreateMeetingDialOut"}


@pytest.mark.parametrize("operation", sorted(MAPPING))
def test_every_target_exists_in_the_installed_dedicated_namespaces(operation: str) -> None:
    r = MAPPING[operation]
    assert r.services, operation
    for service in r.services:
        assert service.startswith("chime-sdk-")
        available = _operations(service)  # raises UnknownServiceError for a wrong name
        if r.operation is not None:
            assert r.operation in available, f"{operation} -> {service} {r.operation}"


def test_removed_operations_are_absent_from_the_namespace_the_message_names() -> None:
    removed = {op: r for op, r in MAPPING.items() if r.kind == "removed"}
    assert set(removed) == {"ListAttendeeTags", "ListMeetings", "TagAttendee", "UntagAttendee"}
    for op, r in removed.items():
        assert r.operation is None
        assert op not in _operations(r.services[0])
        assert [n.id for n in r.notes] == ["namespace-deprecated", "no-replacement"]


def test_renamed_and_multi_namespace_entries() -> None:
    assert replacement_for("TagMeeting").describe() == (  # type: ignore[union-attr]
        "TagMeeting -> chime-sdk-meetings TagResource"
    )
    assert replacement_for("ListMeetingTags").operation == "ListTagsForResource"  # type: ignore[union-attr]
    tag = MAPPING["TagResource"]
    assert set(tag.services) == {
        "chime-sdk-meetings",
        "chime-sdk-voice",
        "chime-sdk-identity",
        "chime-sdk-messaging",
        "chime-sdk-media-pipelines",
    }
    assert "resource-namespace" in {n.id for n in tag.notes}


def test_dial_out_maps_to_a_sip_media_application_call() -> None:
    r = MAPPING["CreateMeetingDialOut"]
    assert (r.kind, r.service, r.operation) == (
        "legacy-only",
        "chime-sdk-voice",
        "CreateSipMediaApplicationCall",
    )
    assert "sip-media-application" in {n.id for n in r.notes}
    # still legacy-only in the installed botocore: nothing else offers it
    assert "CreateMeetingDialOut" in _operations("chime")
    for service in ("chime-sdk-meetings", "chime-sdk-voice"):
        assert "CreateMeetingDialOut" not in _operations(service)


def test_create_meeting_notes_name_every_difference() -> None:
    ids = [n.id for n in MAPPING["CreateMeeting"].notes]
    assert ids == [
        "namespace-deprecated",
        "regional-endpoint",
        "required-members",
        "notification-principal",
        "tags-to-tag-resource",
    ]
    assert "meetings.chime.amazonaws.com" in NOTES["notification-principal"].text


def test_required_members_note_matches_the_sdk_model() -> None:
    shape = SESSION.get_service_model("chime-sdk-meetings").operation_model("CreateMeeting")
    assert {"ExternalMeetingId", "MediaRegion"} <= set(shape.input_shape.required_members)


def test_attendee_tags_note_matches_the_sdk_model() -> None:
    meetings = SESSION.get_service_model("chime-sdk-meetings")
    for operation in ("CreateAttendee", "BatchCreateAttendee"):
        assert "attendee-tags" in {n.id for n in MAPPING[operation].notes}
        assert "Tags" not in meetings.operation_model(operation).input_shape.members


def test_operations_that_stay_legacy_are_not_mapped() -> None:
    legacy = SESSION.get_service_model("chime")
    staying = {
        op
        for op in legacy.operation_names  # under botocore <= 1.37.1 the moved ones are here too
        if not legacy.operation_model(op).deprecated and op != "CreateMeetingDialOut"
    }
    assert len(staying) == 61
    assert {"GetAccount", "ListUsers", "GetPhoneNumberOrder"} <= staying
    for operation in sorted(staying):
        assert replacement_for(operation) is None, operation


def test_streaming_configuration_corrections_are_still_needed() -> None:
    """AWS's messages name AppInstance*StreamingConfigurations in chime-sdk-messaging, which
    has only the Messaging* operations: the mapping points there, and says so in a note."""
    messaging = _operations("chime-sdk-messaging")
    for verb in ("Delete", "Get", "Put"):
        r = MAPPING[f"{verb}AppInstanceStreamingConfigurations"]
        assert r.aws_message is not None
        assert f"{verb}AppInstanceStreamingConfigurations" in r.aws_message
        assert f"{verb}AppInstanceStreamingConfigurations" not in messaging
        assert (r.kind, r.services, r.operation) == (
            "renamed",
            ("chime-sdk-messaging",),
            f"{verb}MessagingStreamingConfigurations",
        )
        assert "streaming-configurations" in {n.id for n in r.notes}


def test_method_names_round_trip() -> None:
    assert len(data.METHODS) == 191
    assert operation_for_method("create_meeting") == "CreateMeeting"
    assert operation_for_method("create_sip_media_application_call") == (
        "CreateSipMediaApplicationCall"
    )
    for operation, r in MAPPING.items():
        assert botocore.xform_name(operation) == r.method
        assert replacement_for(r.method) is r
    assert replacement_for("get_account") is None
    assert replacement_for("NoSuchOperation") is None


def test_every_note_is_used_and_documented() -> None:
    used = {n.id for r in MAPPING.values() for n in r.notes}
    assert used == set(NOTES)
    docs = (ROOT / "chime_calls" / "docs" / "migration.md").read_text(encoding="utf-8")
    for note_id in NOTES:
        assert f"`{note_id}`" in docs, note_id


# --- the generator ------------------------------------------------------------------------------


def test_generator_parses_each_message_form() -> None:
    parse = GEN.parse_message
    assert parse(
        "CreateMeeting", "Replaced by CreateMeeting in the Amazon Chime SDK Meetings Namespace"
    ) == (
        "moved",
        ("chime-sdk-meetings",),
        "CreateMeeting",
        "Replaced by CreateMeeting in the Amazon Chime SDK Meetings Namespace",
    )
    kind, services, target, _ = parse(
        "TagResource",
        "Replaced by TagResource in the Amazon Chime SDK Voice, Amazon Chime SDK Meetings, and "
        "Amazon Chime SDK Media Pipelines Namespaces",
    )
    assert (kind, services, target) == (
        "moved",
        ("chime-sdk-voice", "chime-sdk-meetings", "chime-sdk-media-pipelines"),
        "TagResource",
    )
    assert parse("TagMeeting", "Use TagResource in the Amazon Chime SDK Meetings Namespace.")[
        :3
    ] == (
        "renamed",
        ("chime-sdk-meetings",),
        "TagResource",
    )
    assert parse(
        "ListMeetings",
        "ListMeetings is not supported in the Amazon Chime SDK Meetings Namespace. Update your "
        "application to remove calls to this API.",
    )[:3] == ("removed", ("chime-sdk-meetings",), None)
    with pytest.raises(ValueError, match="unrecognised"):
        parse("X", "Gone for good.")
    with pytest.raises(ValueError, match="unknown namespace"):
        parse("X", "Replaced by X in the Amazon Chime SDK Meetings, and Amazon Foo Namespaces")


def _model(operations: dict[str, dict[str, object]]) -> dict[str, object]:
    return {"metadata": {"apiVersion": "2018-05-01"}, "operations": operations}


def test_generator_falls_back_to_the_documentation() -> None:
    model = _model(
        {
            "GetMeeting": {
                "deprecated": True,
                "documentation": "<p>Gets a meeting.</p> <important><p>Replaced by GetMeeting in "
                "the Amazon Chime SDK Meetings Namespace.</p></important>",
            },
            "GetAccount": {},
        }
    )
    assert GEN.entries(model) == {
        "GetMeeting": (
            "moved",
            ("chime-sdk-meetings",),
            "GetMeeting",
            "Replaced by GetMeeting in the Amazon Chime SDK Meetings Namespace.",
        )
    }
    with pytest.raises(ValueError, match="names no replacement"):
        GEN.entries(_model({"GetMeeting": {"deprecated": True, "documentation": "<p>Old.</p>"}}))


def test_generator_reads_a_wheel_and_output_is_ruff_formatted(tmp_path: Path) -> None:
    """A synthetic wheel with a gzipped model, as botocore ships it; output passes ruff."""
    import gzip
    import shutil
    import subprocess
    import sys

    model = _model(
        {
            "CreateMeeting": {
                "deprecated": True,
                "deprecatedMessage": "Replaced by CreateMeeting in the Amazon Chime SDK "
                "Meetings Namespace",
            },
            "GetAccount": {},
        }
    )
    wheel = tmp_path / "botocore-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(GEN.MODEL_PATH + ".gz", gzip.compress(json.dumps(model).encode()))
    out = tmp_path / "data.py"
    assert GEN.main(["--wheel", str(wheel), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'BOTOCORE_VERSION = "9.9.9"' in text
    assert '"create_meeting": "CreateMeeting",' in text
    assert GEN.main(["--wheel", str(wheel), "--output", str(out), "--check"]) == 0
    out.write_text(text + "# edited\n", encoding="utf-8")
    assert GEN.main(["--wheel", str(wheel), "--output", str(out), "--check"]) == 1
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed here")
    out.write_text(text, encoding="utf-8")
    for args in (["format", "--check"], ["check"]):
        subprocess.run(
            [ruff, *args, "--config", str(ROOT / "pyproject.toml"), str(out)], check=True
        )


def test_checked_in_data_is_formatted_like_the_generator_writes_it() -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.startswith("# GENERATED by scripts/gen_migration_mapping.py")
    assert f"# Source: botocore {data.BOTOCORE_VERSION}," in text


@pytest.mark.legacy_botocore
def test_regenerating_from_the_installed_legacy_model_reproduces_the_checked_in_data() -> None:
    """Run under botocore 1.37.1 (``/tmp/legacy-venv``): the model there is the source."""
    model = SESSION.get_component("data_loader").load_service_model("chime", "service-2")
    if "CreateMeeting" not in model["operations"]:
        pytest.skip("this botocore no longer models the legacy meeting operations")
    if botocore.__version__ != data.BOTOCORE_VERSION:
        pytest.skip(f"the data was generated from botocore {data.BOTOCORE_VERSION}")
    assert GEN.render(model, botocore.__version__) == DATA_FILE.read_text(encoding="utf-8")
