"""A meetings backend: one endpoint that puts the signed-in user into a meeting and returns what
their browser or mobile Chime SDK client joins with.

    pip install 'chime-calls[example]'     # Flask, for this example only
    flask --app examples/meetings_backend/app.py run     # Flask finds create_app()

    POST /meetings/<name>/attendees        (the user comes from your authentication)
    -> 200 {"Meeting": {...}, "Attendee": {...}}   (what MeetingSessionConfiguration takes)

The meeting for ``<name>`` is created on first use and reused while it lives; when AWS has ended
it (nobody joined in time, or it ran too long), the next join creates its successor, the same
one on every server (docs/meetings.md). Tested against the fake in
tests/test_example_backend.py.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from flask import Flask, jsonify, request

from chime_calls import ChimeCalls, ChimeCallsError, ValidationError


class KnownMeetings:
    """Meeting ID per meeting name, so a join skips the search for the live meeting. Keep it in
    your database in production; the IDs are a hint, never trusted blindly (a stale one is
    found ended and replaced)."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._ids.get(name)

    def put(self, name: str, meeting_id: str) -> None:
        with self._lock:
            self._ids[name] = meeting_id


def current_user() -> str | None:
    """Stand-in for your authentication: who is asking. Never take it from the request body:
    whoever knows another user's ID would join as them."""
    return request.headers.get("X-User")


def create_app(calls: ChimeCalls | None = None, *, media_region: str | None = None) -> Flask:
    app = Flask(__name__)
    chime = calls if calls is not None else ChimeCalls()
    region = media_region or os.environ.get("MEDIA_REGION", "us-east-1")
    known = KnownMeetings()

    @app.post("/meetings/<name>/attendees")
    def join(name: str) -> Any:
        user = current_user()
        if not user:
            return jsonify({"error": "sign in first"}), 401
        info = chime.join_meeting(
            external_meeting_id=name,
            media_region=region,
            external_user_id=user,
            known_meeting_id=known.get(name),
        )
        known.put(name, info.meeting.meeting_id)
        response = jsonify(info.reveal_for_client())  # the one place the join token leaves
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(ValidationError)
    def bad_request(error: ValidationError) -> Any:
        # Field names and rules only: validation messages never contain the values.
        return jsonify({"error": [str(v) for v in error.violations]}), 400

    @app.errorhandler(ChimeCallsError)
    def unavailable(error: ChimeCallsError) -> Any:
        app.logger.warning("joining failed: %s", error)  # (messages are scrubbed of secrets)
        return jsonify({"error": "meetings are unavailable, try again"}), 503

    return app
