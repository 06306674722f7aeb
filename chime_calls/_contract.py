"""The dial-out ``ArgumentsMap`` contract's keys (``chime-calls docs dial-out``), on their own.

Both halves use them: the place side (``chime_calls.models.DialOutRequest``) writes them
into ``CreateSipMediaApplicationCall``'s ``ArgumentsMap``, and the Lambda side
(``chime_calls.sma``) reads them. Keeping them here lets a SIP media application Lambda read
them without importing the request models, which would cost its cold start more than the rest
of ``chime_calls.sma`` together.
"""

from __future__ import annotations

__all__ = ["ARG_CORRELATION_ID", "ARG_JOIN_TOKEN", "ARG_MEETING_ID"]

#: The meeting to join (``JoinChimeMeeting.MeetingId``).
ARG_MEETING_ID = "MeetingId"
#: The attendee's join token (``JoinChimeMeeting.JoinToken``).
ARG_JOIN_TOKEN = "JoinToken"  # noqa: S105 - a key name, not a secret
#: Yours, or a generated UUID: ties the call's logs, status events and ledger entry to the
#: request that placed it.
ARG_CORRELATION_ID = "CorrelationId"
