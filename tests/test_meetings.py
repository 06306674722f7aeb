"""The meetings surface through ChimeCalls and real boto3, answered by the fake: every
chime-sdk-meetings operation, join info, attendees at scale, meetings that end, capabilities."""

from __future__ import annotations

import asyncio
import json
import pickle
from typing import Any

import pytest

import chime_calls
from chime_calls import (
    ChimeCalls,
    ConflictError,
    CreateMeetingRequest,
    MeetingEndedError,
    NotFoundError,
    Pacing,
    ResponseLostError,
    ServiceFailureError,
    ValidationError,
)
from chime_calls import meetings as m
from chime_calls._operations import MeetingOperations
from chime_calls._ops import Async, Sync
from chime_calls._spec import Request
from chime_calls.testing import AutoEndPolicy, ChimeFake, VirtualClock
from tests._model import service_model
from tests.conftest import REGION, make_calls, make_session

GUID = "11111111-2222-3333-4444-555555555555"

#: MeetingFeatures' Video, Content and Attendee members (botocore 1.34.0 models only Audio).
needs_meeting_features = pytest.mark.skipif(
    "Attendee"
    not in service_model("chime-sdk-meetings").shape_for("MeetingFeaturesConfiguration").members,
    reason="this botocore's MeetingFeatures has no Video, Content or Attendee",
)


def _room(calls: ChimeCalls, name: str = "standup") -> chime_calls.Meeting:
    return calls.create_meeting(external_meeting_id=name, media_region=REGION)


# --- every operation ----------------------------------------------------------------------------


@needs_meeting_features
def test_create_meeting_with_attendees_reports_partial_failure(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    result = calls.create_meeting_with_attendees(
        external_meeting_id="standup",
        media_region=REGION,
        attendees=["alice", m.NewAttendee(external_user_id="bob"), {"ExternalUserId": "aws:x"}],
        meeting_features={"Attendee": {"MaxCount": 2}},
    )
    assert [a.external_user_id for a in result.attendees] == ["alice", "bob"]
    (error,) = result.errors
    assert error.external_user_id == "aws:x"
    assert error.error_code == "BadRequest"
    assert "aws:x" not in repr(result)  # (external IDs are redacted)
    info = result.join_info("bob")
    assert info.attendee.external_user_id == "bob"
    assert info.reveal_for_client()["Meeting"]["MeetingId"] == result.meeting.meeting_id
    with pytest.raises(KeyError):
        result.join_info("aws:x")
    assert result.meeting.client_request_token is not None
    again = calls.create_meeting_with_attendees(
        external_meeting_id="standup",
        media_region=REGION,
        attendees=["alice", "bob", "aws:x"],
        meeting_features={"Attendee": {"MaxCount": 2}},
        client_request_token=result.meeting.client_request_token,
    )
    assert again.meeting.meeting_id == result.meeting.meeting_id
    assert len(fake.meetings) == 1
    with pytest.raises(ValidationError, match=r"attendees: must have at most 20"):
        calls.create_meeting_with_attendees(
            external_meeting_id="big", media_region=REGION, attendees=[f"u{i}" for i in range(21)]
        )


@needs_meeting_features
def test_batch_create_attendee_answers_per_attendee(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = calls.create_meeting(
        external_meeting_id="standup",
        media_region=REGION,
        meeting_features={"Attendee": {"MaxCount": 3}},
    )
    batch = calls.batch_create_attendee(
        meeting_id=meeting.meeting_id, attendees=["a1", "a2", "a3", "a4"]
    )
    assert len(batch.attendees) == 3
    (full,) = batch.errors
    assert (full.external_user_id, full.error_code) == ("a4", "LimitExceeded")
    assert full.error_message is not None
    assert "a4" not in full.error_message  # (scrubbed like any error message)
    with pytest.raises(ValidationError, match="at most 100"):
        calls.batch_create_attendee(
            meeting_id=meeting.meeting_id, attendees=[f"u{i}" for i in range(101)]
        )
    assert fake.attempts("BatchCreateAttendee") == 1


def test_get_update_and_delete_an_attendee(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    got = calls.get_attendee(meeting_id=meeting.meeting_id, attendee_id=alice.attendee_id)
    assert got.join_token == alice.join_token
    updated = calls.update_attendee_capabilities(
        meeting_id=meeting.meeting_id, attendee_id=alice.attendee_id, capabilities=m.WATCH_ONLY
    )
    assert updated.capabilities == m.WATCH_ONLY
    calls.delete_attendee(meeting_id=meeting.meeting_id, attendee_id=alice.attendee_id)
    assert fake.meeting(meeting.meeting_id).attendees[0].deleted
    with pytest.raises(NotFoundError) as gone:
        calls.get_attendee(meeting_id=meeting.meeting_id, attendee_id=alice.attendee_id)
    assert not isinstance(gone.value, MeetingEndedError)


def test_delete_attendee_after_a_lost_answer_is_done(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    fake.lose_answer("DeleteAttendee")  # deleted, answer lost; the retry finds it gone
    calls.delete_attendee(meeting_id=meeting.meeting_id, attendee_id=alice.attendee_id)
    assert fake.attempts("DeleteAttendee") == 2


def test_mute_everyone_but_the_host(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    host, *others = calls.add_attendees(
        meeting_id=meeting.meeting_id, attendees=["host", "ann", "bob"]
    ).created
    calls.batch_update_attendee_capabilities_except(
        meeting_id=meeting.meeting_id,
        excluded_attendee_ids=[host.attendee_id],
        capabilities=m.MUTED,
    )
    by_id = {a.attendee_id: a.capabilities for a in fake.meeting(meeting.meeting_id).attendees}
    assert by_id[host.attendee_id]["Audio"] == "SendReceive"
    assert {by_id[a.attendee_id]["Audio"] for a in others} == {"Receive"}
    assert {by_id[a.attendee_id]["Video"] for a in others} == {"SendReceive"}


def test_capability_combinations_aws_refuses_are_refused_before_sending(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    meeting = _room(calls)
    with pytest.raises(ValidationError) as refused:
        calls.create_attendee(
            meeting_id=meeting.meeting_id,
            external_user_id="viewer",
            capabilities=m.capabilities(video="None", content="Receive"),
        )
    (violation,) = refused.value.violations
    assert (violation.field, violation.rule) == ("capabilities.content", "documented")
    with pytest.raises(ValidationError, match=r"attendees\[1\].capabilities.content"):
        calls.add_attendees(
            meeting_id=meeting.meeting_id,
            attendees=["ann", m.NewAttendee(external_user_id="bob", capabilities=_no_video())],
        )
    with pytest.raises(ValidationError, match=r"capabilities\.video"):
        calls.update_attendee_capabilities(
            meeting_id=meeting.meeting_id,
            attendee_id=GUID,
            capabilities={"Audio": "Receive", "Video": "Sometimes", "Content": "None"},
        )
    assert fake.attempts("CreateAttendee") == fake.attempts("BatchCreateAttendee") == 0
    watcher = calls.create_attendee(
        meeting_id=meeting.meeting_id,
        external_user_id="viewer",
        capabilities=m.capabilities(video="Receive", content="None"),
    )
    assert watcher.capabilities == m.capabilities(video="Receive", content="None")


def _no_video() -> Any:
    return {"Audio": "SendReceive", "Video": "None", "Content": "SendReceive"}


def test_transcription_starts_and_stops(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    calls.start_meeting_transcription(
        meeting_id=meeting.meeting_id,
        transcription_configuration={
            "EngineTranscribeSettings": {"LanguageCode": "en-GB", "IdentifyLanguage": False}
        },
    )
    assert fake.meeting(meeting.meeting_id).transcription == {
        "EngineTranscribeSettings": {"LanguageCode": "en-GB", "IdentifyLanguage": False}
    }
    calls.stop_meeting_transcription(meeting_id=meeting.meeting_id)
    assert fake.meeting(meeting.meeting_id).transcription is None
    with pytest.raises(ValidationError, match="transcription_configuration: must contain"):
        calls.start_meeting_transcription(
            meeting_id=meeting.meeting_id, transcription_configuration={}
        )
    with pytest.raises(ValidationError, match="language_code"):
        calls.start_meeting_transcription(
            meeting_id=meeting.meeting_id,
            transcription_configuration=m.TranscriptionConfiguration(
                engine_transcribe_settings={"LanguageCode": "xx-XX"}
            ),
        )


def test_tags_by_meeting_arn(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = calls.create_meeting(
        external_meeting_id="standup", media_region=REGION, tags={"team": "ops"}
    )
    assert meeting.meeting_arn is not None
    calls.tag_meeting(resource_arn=meeting.meeting_arn, tags={"cost-centre": "42"})
    listed = calls.list_meeting_tags(resource_arn=meeting.meeting_arn)
    assert {(t.key, t.value) for t in listed.tags} == {("team", "ops"), ("cost-centre", "42")}
    calls.untag_meeting(resource_arn=meeting.meeting_arn, tag_keys=["team", "absent"])
    assert fake.meeting(meeting.meeting_id).tags == {"cost-centre": "42"}
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    with pytest.raises(NotFoundError) as gone:
        calls.list_meeting_tags(resource_arn=meeting.meeting_arn)
    assert gone.value.code == "ResourceNotFoundException"


def test_the_migration_tag_resource_recipe_works_under_the_fake(fake: ChimeFake) -> None:
    from chime_calls.migration.convert import convert_create_meeting

    converted = convert_create_meeting(
        {
            "ClientRequestToken": "t-1",
            "ExternalMeetingId": "standup",
            "MediaRegion": REGION,
            "Tags": [{"Key": "team", "Value": "ops"}],
        }
    )
    client = make_session().client("chime-sdk-meetings")
    params = converted.request.to_params()
    meeting = client.create_meeting(**params)["Meeting"]
    (step,) = converted.follow_ups
    client.tag_resource(**step.to_params(meeting["MeetingArn"]))
    tags = client.list_tags_for_resource(ResourceARN=meeting["MeetingArn"])["Tags"]
    assert {"Key": "team", "Value": "ops"} in tags


# --- join info ------------------------------------------------------------------------------------


def test_join_info_is_aws_shape_for_the_client_and_redacted_everywhere_else(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    meeting = _room(calls)
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    info = m.join_info(meeting, alice)
    token = alice.join_token.reveal() if alice.join_token else ""
    for text in (repr(info), str(info), repr(meeting), repr(alice)):
        assert token not in text
        assert "standup" not in text
        assert "alice" not in text
    payload = json.loads(json.dumps(info.reveal_for_client()))
    raw = fake.meeting(meeting.meeting_id).raw
    assert payload["Meeting"]["MeetingId"] == meeting.meeting_id
    assert payload["Meeting"]["MediaPlacement"] == raw["MediaPlacement"]
    assert payload["Meeting"]["ExternalMeetingId"] == "standup"
    assert payload["Attendee"] == {
        "AttendeeId": alice.attendee_id,
        "ExternalUserId": "alice",
        "JoinToken": token,
        "Capabilities": {"Audio": "SendReceive", "Video": "SendReceive", "Content": "SendReceive"},
    }
    assert "ResponseMetadata" not in payload["Meeting"]
    assert "ClientRequestToken" not in json.dumps(payload)
    assert meeting.external_meeting_id == "standup"  # values compare equal to plain strings


def test_members_aws_adds_later_reach_the_client_but_no_repr_or_pickle(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    """An answer member this package does not model (AWS adds them: EventIngestionUrl came
    late) is kept with the parsed result for to_aws(), and nowhere else."""
    meeting = _room(calls)
    alice = calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="alice")
    answer = {
        "Meeting": {
            **fake.meeting(meeting.meeting_id).raw,
            "NewMember": {"Nested": "value-1"},
            "MediaPlacement": {"AudioHostUrl": "h", "FutureUrl": "wss://future"},
        },
        "ResponseMetadata": {"RequestId": "r"},
    }
    parsed = chime_calls.Meeting.from_aws(answer["Meeting"])
    out = m.join_info(parsed, alice).reveal_for_client()["Meeting"]
    assert out["NewMember"] == {"Nested": "value-1"}
    assert out["MediaPlacement"] == {"AudioHostUrl": "h", "FutureUrl": "wss://future"}
    out["NewMember"]["Nested"] = "changed"  # a copy: the parsed result is not mutated
    assert parsed.to_aws()["NewMember"] == {"Nested": "value-1"}
    assert "NewMember" not in repr(parsed)
    assert "future" not in repr(parsed)
    restored = pickle.loads(pickle.dumps(parsed))  # noqa: S301 - our own object
    assert restored == parsed
    assert "NewMember" not in restored.to_aws()  # the kept answer is never pickled
    built = m.MeetingTags.from_aws({"Tags": [{"Key": "k", "Value": "v", "New": 1}], "Other": 2})
    assert built.to_aws() == {"Tags": [{"Key": "k", "Value": "v", "New": 1}], "Other": 2}


def test_join_info_needs_a_join_token(calls: ChimeCalls) -> None:
    meeting = _room(calls)
    with pytest.raises(ValidationError, match=r"attendee.join_token: is required"):
        m.join_info(meeting, chime_calls.Attendee(attendee_id=GUID))
    with pytest.raises(TypeError, match=r"takes a chime_calls\.Meeting"):
        m.join_info({"MeetingId": GUID}, chime_calls.Attendee(attendee_id=GUID))  # type: ignore[arg-type]


# --- pagination -----------------------------------------------------------------------------------


def test_iter_attendees_follows_every_page(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    names = [f"user-{i:03}" for i in range(230)]
    calls.add_attendees(meeting_id=meeting.meeting_id, attendees=names)
    before = fake.attempts("ListAttendees")
    assert [a.external_user_id for a in calls.iter_attendees(meeting_id=meeting.meeting_id)] == (
        names
    )
    assert fake.attempts("ListAttendees") - before == 3  # 100 + 100 + 30
    pages = list(calls.iter_attendee_pages(meeting_id=meeting.meeting_id, max_results=50))
    assert [len(p.attendees) for p in pages] == [50, 50, 50, 50, 30]
    assert pages[-1].next_token is None
    rest = list(calls.iter_attendees(meeting_id=meeting.meeting_id, next_token=pages[3].next_token))
    assert [a.external_user_id for a in rest] == names[200:]


def test_pages_follows_any_pageable_request_and_refuses_the_rest(
    fake: ChimeFake, calls: ChimeCalls
) -> None:
    meeting = calls.create_meeting(external_meeting_id="mt", media_region=REGION)
    calls.add_attendees(meeting_id=meeting.meeting_id, attendees=["al", "bo", "cy"])
    listing = chime_calls.models.ListAttendeesRequest(meeting_id=meeting.meeting_id, max_results=2)
    before = len(fake.requests)
    walk = calls.pages(listing)
    assert len(fake.requests) == before  # nothing sent until the loop asks
    assert [len(page.attendees) for page in walk] == [2, 1]
    with pytest.raises(TypeError, match="paginated operation"):
        calls.pages(chime_calls.GetMeetingRequest(meeting_id=meeting.meeting_id))  # type: ignore[type-var]
    assert len(fake.requests) == before + 2


def test_a_page_token_that_does_not_move_stops_the_iteration() -> None:
    request = chime_calls.models.ListAttendeesRequest(meeting_id=GUID, next_token="same")
    page = chime_calls.models.AttendeesPage(next_token="same")
    from chime_calls._spec import next_page

    with pytest.raises(chime_calls.InvalidResponseError, match="same page forever"):
        next_page(request, page)
    assert next_page(request, chime_calls.models.AttendeesPage()) is None
    with pytest.raises(chime_calls._spec.SpecError, match="not pageable"):
        next_page(chime_calls.GetMeetingRequest(meeting_id=GUID), page)


# --- attendees at scale ---------------------------------------------------------------------------


def test_create_meeting_with_all_attendees_chunks_20_then_100(
    fake: ChimeFake, clock: VirtualClock
) -> None:
    calls = make_calls(clock)
    names = [f"user-{i:03}" for i in range(245)]
    new = calls.create_meeting_with_all_attendees(
        meeting=CreateMeetingRequest(external_meeting_id="town-hall", media_region=REGION),
        attendees=[*names, "user-007"],  # one asked for twice: created once
    )
    assert new.attendees.ok
    assert len(new.attendees) == 246
    assert new.attendees[-1] is new.attendees[7]
    assert [len(r.params["Attendees"]) for r in fake.requests] == [20, 100, 100, 25]
    assert len(fake.meeting(new.meeting.meeting_id).active_attendees) == 245
    # paced at the documented 10 requests/s on the facade's clock: the 3 batches wait
    assert sum(clock.sleeps) == pytest.approx(0.2)
    info = new.join_info("user-200")
    assert info.attendee.external_user_id == "user-200"
    with pytest.raises(KeyError):
        new.join_info("nobody")


@needs_meeting_features
def test_add_attendees_reports_every_attendee_and_drops_none(
    calls: ChimeCalls, fake: ChimeFake, clock: VirtualClock
) -> None:
    meeting = calls.create_meeting(
        external_meeting_id="small",
        media_region=REGION,
        meeting_features={"Attendee": {"MaxCount": 150}},
    )
    # the second batch fails, retries included: the fault is set while the flow waits for
    # its turn at the documented rate (0.1 s on the facade's clock)
    clock.call_later(
        0.05, lambda: fake.fail_next("BatchCreateAttendee", "ServiceFailureException", times=3)
    )
    names = [f"u{i}" for i in range(230)]
    outcomes = calls.add_attendees(meeting_id=meeting.meeting_id, attendees=names)
    assert len(outcomes) == 230
    assert [o.status for o in outcomes][:100] == ["created"] * 100
    assert isinstance(outcomes.error, ServiceFailureError)
    assert {o.status for o in outcomes[100:200]} == {"failed"}
    assert {o.error_code for o in outcomes[100:200]} == {"ServiceFailureException"}
    assert {o.status for o in outcomes[200:]} == {"not_sent"}
    assert not outcomes.ok
    assert len(outcomes.created) == 100
    assert len(outcomes.failed) == 130
    assert outcomes.get("u150").error is outcomes.error
    with pytest.raises(KeyError):
        outcomes.get("nobody")
    # asking again for the failed ones is safe; AWS's per-attendee errors come back per attendee
    retry = calls.add_attendees(
        meeting_id=meeting.meeting_id,
        attendees=[o.external_user_id for o in outcomes.failed] + ["u0"],
    )
    assert [o.status for o in retry].count("created") == 51  # 50 new up to 150, and u0 again
    limited = [o for o in retry if not o.ok]
    assert {(o.status, o.error_code) for o in limited} == {("failed", "LimitExceeded")}
    assert retry.get("u0").attendee == outcomes.get("u0").attendee
    assert len(fake.meeting(meeting.meeting_id).active_attendees) == 150


def test_a_lost_batch_answer_is_resent_and_creates_nobody_twice(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    meeting = _room(calls)
    fake.lose_answer("BatchCreateAttendee", kind="503")
    outcomes = calls.add_attendees(meeting_id=meeting.meeting_id, attendees=["ann", "bob", "cat"])
    assert outcomes.ok
    assert fake.attempts("BatchCreateAttendee") == 2
    assert len(fake.meeting(meeting.meeting_id).attendees) == 3


def test_add_attendees_to_an_ended_meeting(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    calls.delete_meeting(meeting_id=meeting.meeting_id)
    outcomes = calls.add_attendees(meeting_id=meeting.meeting_id, attendees=["ann"])
    assert isinstance(outcomes.error, MeetingEndedError)
    assert outcomes[0].error_code == "NotFoundException"


def test_bad_attendees_are_refused_before_anything_is_sent(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    with pytest.raises(ValidationError) as bad:
        calls.add_attendees(meeting_id=GUID, attendees=["ok", "x", 5])  # type: ignore[list-item]
    assert {v.field for v in bad.value.violations} == {
        "attendees[1].external_user_id",
        "attendees[2]",
    }
    with pytest.raises(ValidationError, match="attendees: must be a list"):
        calls.add_attendees(meeting_id=GUID, attendees="alice")
    with pytest.raises(ValidationError, match="meeting_id"):
        calls.add_attendees(meeting_id="nope", attendees=["alice"])
    with pytest.raises(TypeError, match="meeting= takes"):
        calls.create_meeting_with_all_attendees(meeting={}, attendees=["a"])  # type: ignore[arg-type]
    assert fake.requests == []


def test_a_meeting_without_attendees_is_created_plainly(calls: ChimeCalls, fake: ChimeFake) -> None:
    new = calls.create_meeting_with_all_attendees(
        meeting=CreateMeetingRequest(external_meeting_id="empty", media_region=REGION),
        attendees=[],
    )
    assert len(new.attendees) == 0
    assert [r.operation for r in fake.requests] == ["CreateMeeting"]


def test_a_facade_with_its_own_pacing_paces_the_flows(fake: ChimeFake, clock: VirtualClock) -> None:
    calls = make_calls(clock, pacing=Pacing(rates={"BatchCreateAttendee": 1.0}))
    meeting = _room(calls)
    calls.add_attendees(meeting_id=meeting.meeting_id, attendees=[f"u{i}" for i in range(250)])
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


# --- meetings that end ----------------------------------------------------------------------------


def test_meeting_ended_is_told_apart_from_never_existed(calls: ChimeCalls, fake: ChimeFake) -> None:
    meeting = _room(calls)
    fake.advance(301)  # nobody joined within 5 minutes
    with pytest.raises(MeetingEndedError) as ended:
        calls.create_attendee(meeting_id=meeting.meeting_id, external_user_id="late")
    assert isinstance(ended.value, NotFoundError)
    assert "has ended" in str(ended.value)
    with pytest.raises(NotFoundError) as never:
        calls.create_attendee(meeting_id=GUID, external_user_id="late")
    assert type(never.value) is NotFoundError


def test_join_meeting_reuses_the_live_meeting_and_replaces_an_ended_one(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    first = calls.join_meeting(
        external_meeting_id="room-42", media_region=REGION, external_user_id="alice"
    )
    other_server = make_calls(VirtualClock())
    second = other_server.join_meeting(
        external_meeting_id="room-42", media_region=REGION, external_user_id="bob"
    )
    assert second.meeting.meeting_id == first.meeting.meeting_id
    again = calls.join_meeting(
        external_meeting_id="room-42", media_region=REGION, external_user_id="alice"
    )
    assert again.attendee.attendee_id == first.attendee.attendee_id  # AWS: the same attendee
    fake.advance(301)  # nobody connected: the meeting ends
    assert fake.meeting(first.meeting.meeting_id).ended_reason == "nobody connected for 300 s"
    revived = calls.join_meeting(
        external_meeting_id="room-42", media_region=REGION, external_user_id="alice"
    )
    assert revived.meeting.meeting_id != first.meeting.meeting_id
    elsewhere = other_server.join_meeting(
        external_meeting_id="room-42", media_region=REGION, external_user_id="bob"
    )
    assert elsewhere.meeting.meeting_id == revived.meeting.meeting_id
    assert len(fake.meetings) == 2
    assert revived.meeting.client_request_token == m.live_meeting_token(
        "room-42", first.meeting.meeting_id
    )


def test_join_meeting_with_a_known_meeting_id_skips_the_search(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    first = calls.join_meeting(
        external_meeting_id="room-7", media_region=REGION, external_user_id="alice"
    )
    before = len(fake.requests)
    calls.join_meeting(
        external_meeting_id="room-7",
        media_region=REGION,
        external_user_id="bob",
        known_meeting_id=first.meeting.meeting_id,
    )
    assert [r.operation for r in fake.requests[before:]] == ["GetMeeting", "CreateAttendee"]
    calls.delete_meeting(meeting_id=first.meeting.meeting_id)
    replaced = calls.join_meeting(
        external_meeting_id="room-7",
        media_region=REGION,
        external_user_id="bob",
        known_meeting_id=first.meeting.meeting_id,
    )
    assert replaced.meeting.meeting_id != first.meeting.meeting_id
    other = _room(calls, "another-room")
    with pytest.raises(ValidationError, match="known_meeting_id"):
        calls.join_meeting(
            external_meeting_id="room-7",
            media_region=REGION,
            external_user_id="bob",
            known_meeting_id=other.meeting_id,
        )


def test_live_meeting_finds_or_creates(calls: ChimeCalls, fake: ChimeFake) -> None:
    live = calls.live_meeting(external_meeting_id="lobby", media_region=REGION)
    assert calls.live_meeting(external_meeting_id="lobby", media_region=REGION) == live
    known = calls.live_meeting(
        external_meeting_id="lobby", media_region=REGION, known_meeting_id=live.meeting_id
    )
    assert known.meeting_id == live.meeting_id
    fake.advance(301)
    after = calls.live_meeting(external_meeting_id="lobby", media_region=REGION)
    assert after.meeting_id != live.meeting_id
    assert calls.get_meeting(meeting_id=after.meeting_id).meeting_id == after.meeting_id


def test_the_search_gives_up_after_ten_ended_meetings(calls: ChimeCalls, fake: ChimeFake) -> None:
    for _ in range(10):
        calls.live_meeting(external_meeting_id="flaky", media_region=REGION)
        fake.advance(301)
    with pytest.raises(chime_calls.ChimeCallsError, match="known_meeting_id"):
        calls.live_meeting(external_meeting_id="flaky", media_region=REGION)


def test_a_token_replayed_with_other_parameters_is_a_conflict(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    calls.live_meeting(external_meeting_id="room-9", media_region=REGION)
    with pytest.raises(ConflictError):
        calls.live_meeting(external_meeting_id="room-9", media_region="us-east-1")


def test_create_attendee_is_still_not_resent_after_an_unknown_outcome(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    meeting = _room(calls)
    fake.lose_answer("CreateAttendee")
    with pytest.raises(ResponseLostError):
        calls.join_meeting(
            external_meeting_id="standup",
            media_region=REGION,
            external_user_id="alice",
            known_meeting_id=meeting.meeting_id,
        )


# --- an async facade gets the same methods -------------------------------------------------------


class AsyncOverSync(MeetingOperations[Async]):
    """A stand-in async facade: the real one sends with aiobotocore; this awaits the sync
    facade's send, which is enough to run the flows' and pages' async drivers."""

    def __init__(self, sync: ChimeCalls) -> None:
        self._sync = sync
        self.pacing = None
        self._clock = sync._clock

    async def send(self, request: Request[Any]) -> Any:
        await asyncio.sleep(0)
        return self._sync.send(request)


def test_flows_and_pages_run_on_an_async_facade(calls: ChimeCalls, fake: ChimeFake) -> None:
    facade = AsyncOverSync(calls)

    async def scenario() -> tuple[m.JoinInfo, list[str], m.AttendeeOutcomes]:
        info = await facade.join_meeting(
            external_meeting_id="async-room", media_region=REGION, external_user_id="alice"
        )
        added = await facade.add_attendees(
            meeting_id=info.meeting.meeting_id, attendees=[f"u{i}" for i in range(120)]
        )
        names = [
            a.external_user_id.reveal() if a.external_user_id else ""
            async for a in facade.iter_attendees(meeting_id=info.meeting.meeting_id)
        ]
        pages = [p async for p in facade.iter_attendee_pages(meeting_id=info.meeting.meeting_id)]
        assert len(pages) == 2
        return info, names, added

    info, names, added = asyncio.run(scenario())
    assert added.ok
    assert names == ["alice", *(f"u{i}" for i in range(120))]
    assert info.meeting.external_meeting_id == "async-room"
    fake.advance(301)

    async def ended() -> None:
        await facade.create_attendee(meeting_id=info.meeting.meeting_id, external_user_id="xx")

    with pytest.raises(MeetingEndedError):
        asyncio.run(ended())

    async def rejoin() -> m.JoinInfo:  # the flow is thrown the error, and moves on
        return await facade.join_meeting(
            external_meeting_id="async-room", media_region=REGION, external_user_id="alice"
        )

    assert asyncio.run(rejoin()).meeting.meeting_id != info.meeting.meeting_id


class Broken(MeetingOperations[Sync]):
    """A facade whose send fails with something that is no chime_calls error (a bug)."""

    pacing = None

    def send(self, request: Request[Any]) -> Any:
        raise RuntimeError("not an answer")


def test_a_flow_does_not_swallow_what_is_not_a_chime_calls_error() -> None:
    with pytest.raises(RuntimeError, match="not an answer"):
        Broken().add_attendees(meeting_id=GUID, attendees=["alice"])


def test_an_answer_that_leaves_an_attendee_out_is_reported(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    ledger = m._Ledger(m._checked(["alice", "bob"]))
    alice = chime_calls.Attendee(attendee_id=GUID, external_user_id="alice", join_token="tok")
    ledger.answered(ledger.unique, [alice], [])
    outcomes = ledger.outcomes()
    assert outcomes.get("alice").ok
    assert outcomes.get("bob").status == "failed"
    assert "neither as created nor as failed" in (outcomes.get("bob").error_message or "")


def test_a_known_meeting_that_ends_between_the_two_requests_is_replaced(
    calls: ChimeCalls, fake: ChimeFake
) -> None:
    first = calls.join_meeting(
        external_meeting_id="room-5", media_region=REGION, external_user_id="alice"
    )
    fake.fail_next("CreateAttendee", "NotFoundException", message="The meeting has ended")
    second = calls.join_meeting(
        external_meeting_id="room-5",
        media_region=REGION,
        external_user_id="bob",
        known_meeting_id=first.meeting.meeting_id,
    )
    assert second.meeting.meeting_id != first.meeting.meeting_id
    assert second.meeting.client_request_token == m.live_meeting_token(
        "room-5", first.meeting.meeting_id
    )


def test_auto_end_policy_is_configurable(calls: ChimeCalls, fake: ChimeFake) -> None:
    fake.auto_end = AutoEndPolicy.never()
    meeting = _room(calls)
    fake.advance(7 * 86400)
    assert calls.get_meeting(meeting_id=meeting.meeting_id).meeting_id == meeting.meeting_id
