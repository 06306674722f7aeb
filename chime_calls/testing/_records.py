"""What a test can inspect after the fact: frozen snapshots of what the fake saw and did.

Records keep the real values (tests assert on them) but their reprs follow the package rule:
phone numbers masked, join tokens and external IDs hidden, map values hidden, so a failing
assertion's output never prints a secret into CI logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from chime_calls.values import mask_phone_number

if TYPE_CHECKING:
    from chime_calls.testing._sma import SmaCallRecord

__all__ = ["CallUpdate", "FakeAttendee", "FakeMeeting", "PlacedCall", "ReceivedRequest"]


def _mask_map(value: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{key!r}: '***'" for key in value) + "}" if value else "{}"


def _hidden(value: object) -> str:
    return "None" if value is None else "'***'"


@attrs.frozen(kw_only=True)
class ReceivedRequest:
    """One HTTP request the fake answered (or refused to let through).

    ``status`` is the HTTP status sent back, ``None`` when the fault injected a transport
    failure instead; ``fault`` names the injected fault or magic number that shaped the answer.
    ``params`` holds the request's members as sent, keyed by AWS member name.
    """

    service: str
    operation: str
    region: str
    status: int | None
    error_code: str | None = None
    fault: str | None = None
    params: Mapping[str, Any] = attrs.field(factory=dict, repr=False)


@attrs.frozen(kw_only=True)
class PlacedCall:
    """A phone call the fake placed: a phone would have rung.

    ``kind`` is ``"sip-media-application"`` (CreateSipMediaApplicationCall) or
    ``"meeting-dial-out"`` (legacy CreateMeetingDialOut). ``answer`` is how the callee
    behaved (``"answered"``, ``"busy"``, ``"no-answer"``; see ``MagicNumbers``).
    ``sma`` is what the registered SIP media application handler did with the call, ``None``
    when no handler was registered. ``joined_meeting_id`` is set once the callee is in a
    meeting; ``reason`` says why not, when known.
    """

    kind: str
    transaction_id: str
    service: str
    region: str
    from_phone_number: str = attrs.field(repr=mask_phone_number)
    to_phone_number: str = attrs.field(repr=mask_phone_number)
    sip_media_application_id: str | None = None
    meeting_id: str | None = None
    join_token: str | None = attrs.field(default=None, repr=_hidden)
    sip_headers: Mapping[str, str] = attrs.field(factory=dict, repr=_mask_map)
    arguments_map: Mapping[str, str] = attrs.field(factory=dict, repr=_mask_map)
    answer: str = "answered"
    joined_meeting_id: str | None = None
    reason: str | None = None
    sma: SmaCallRecord | None = None


@attrs.frozen(kw_only=True)
class CallUpdate:
    """One UpdateSipMediaApplicationCall the fake accepted."""

    transaction_id: str
    sip_media_application_id: str
    region: str
    arguments: Mapping[str, str] = attrs.field(factory=dict, repr=_mask_map)


@attrs.frozen(kw_only=True)
class FakeAttendee:
    """An attendee as the fake holds it: ``capabilities`` as AWS would answer them,
    ``connected`` while its client is in the meeting (``ChimeFake.attendee_joined``)."""

    attendee_id: str
    meeting_id: str
    external_user_id: str | None = attrs.field(repr=_hidden)
    join_token: str = attrs.field(repr=_hidden)
    deleted: bool = False
    capabilities: Mapping[str, str] = attrs.field(factory=dict)
    connected: bool = False


@attrs.frozen(kw_only=True)
class FakeMeeting:
    """A meeting as the fake holds it, with its attendees.

    ``service`` is the namespace that created it (``"chime-sdk-meetings"`` or ``"chime"``),
    ``region`` the control region it lives in (a request signed for another region does not
    find it, like the service). ``deleted`` is true once the meeting has ended, deleted or
    ended on its own, and ``ended_reason`` says which (``"deleted"``, ``"nobody connected for
    300 s"``, ...). ``max_attendees`` is its limit (250, ``MeetingFeatures.Attendee.MaxCount``
    or 25 at FHD video / UHD content); ``transcription`` the running transcription's
    configuration.
    """

    meeting_id: str
    service: str
    region: str
    media_region: str
    external_meeting_id: str | None = attrs.field(repr=_hidden)
    client_request_token: str | None = attrs.field(repr=_hidden)
    deleted: bool = False
    attendees: tuple[FakeAttendee, ...] = ()
    tags: Mapping[str, str] = attrs.field(factory=dict)
    meeting_features: Mapping[str, Any] | None = None
    notifications_configuration: Mapping[str, str] | None = attrs.field(default=None, repr=_hidden)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
    ended_reason: str | None = None
    max_attendees: int = 250
    transcription: Mapping[str, Any] | None = None

    @property
    def active_attendees(self) -> tuple[FakeAttendee, ...]:
        """Attendees not deleted."""
        return tuple(a for a in self.attendees if not a.deleted)
