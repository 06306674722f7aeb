"""The example meetings backend (examples/meetings_backend) against the fake, as a browser would
call it: the join info it returns is what the Chime SDK client takes, and only for the caller."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from chime_calls.testing import ChimeFake
from tests.conftest import REGION, make_calls

ROOT = Path(__file__).resolve().parents[1]


def _load_example() -> Any:
    path = ROOT / "examples" / "meetings_backend" / "app.py"
    spec = importlib.util.spec_from_file_location("meetings_backend_example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client(fake: ChimeFake) -> Any:
    app = _load_example().create_app(make_calls(), media_region=REGION)
    return app.test_client()


def test_a_join_returns_the_callers_join_info(client: Any, fake: ChimeFake) -> None:
    answer = client.post("/meetings/room-42/attendees", headers={"X-User": "alice"})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    body = json.loads(answer.data)
    assert set(body) == {"Meeting", "Attendee"}
    (meeting,) = fake.meetings
    (attendee,) = meeting.attendees
    assert body["Meeting"] == {k: v for k, v in meeting.raw.items() if v is not None}
    assert body["Attendee"]["JoinToken"] == attendee.join_token
    assert body["Attendee"]["ExternalUserId"] == "alice"
    bob = json.loads(client.post("/meetings/room-42/attendees", headers={"X-User": "bob"}).data)
    assert bob["Meeting"]["MeetingId"] == meeting.meeting_id
    assert bob["Attendee"]["JoinToken"] != attendee.join_token


def test_an_ended_meeting_is_replaced(client: Any, fake: ChimeFake) -> None:
    first = json.loads(client.post("/meetings/room-1/attendees", headers={"X-User": "ann"}).data)
    fake.advance(301)  # nobody joined: AWS ends the meeting
    second = json.loads(client.post("/meetings/room-1/attendees", headers={"X-User": "ann"}).data)
    assert second["Meeting"]["MeetingId"] != first["Meeting"]["MeetingId"]
    assert fake.meeting(first["Meeting"]["MeetingId"]).deleted


def test_who_may_join_and_with_what(client: Any, fake: ChimeFake) -> None:
    assert client.post("/meetings/room-1/attendees").status_code == 401
    bad = client.post("/meetings/room-1/attendees", headers={"X-User": "x"})
    assert bad.status_code == 400
    assert json.loads(bad.data) == {
        "error": ["external_user_id: must be at least 2 characters (ExternalUserId); got 1"]
    }
    fake.fail_next("CreateMeeting", "ServiceUnavailableException", times=3)
    down = client.post("/meetings/room-1/attendees", headers={"X-User": "ann"})
    assert down.status_code == 503
    assert fake.meetings == []
