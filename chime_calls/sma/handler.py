"""The Lambda half of ``ChimeCalls.dial_out``: answer the call, join it to the meeting.

``ChimeCalls.dial_out`` (SDK namespace) calls ``CreateSipMediaApplicationCall`` with an
``ArgumentsMap`` of three keys (``ARG_MEETING_ID``,
``ARG_JOIN_TOKEN``, ``ARG_CORRELATION_ID``).
The service shows them to the Lambda only on ``NEW_OUTBOUND_CALL``
(``ActionData.Parameters.Arguments``), so ``DialOutHandler`` stores them in
``TransactionAttributes`` there (the service echoes those on every later event of the call;
actions returned to ``NEW_OUTBOUND_CALL`` are ignored) and on ``CALL_ANSWERED`` returns
``JoinChimeMeeting``.

What happens to the call when something goes wrong, each logged on the ``chime_calls.sma``
logger with the correlation ID, the transaction ID and AWS's error type:

* answered without a usable join token or meeting ID, ``JoinChimeMeeting`` failed, the
  service refused a response, or a hook raised before the callee was in the meeting: leg A is
  hung up (a silent open line helps nobody, and is billed);
* an action failed once the callee is in the meeting (a message that could not be spoken):
  logged, the call stays up;
* a leg hung up (the callee, or the meeting ended): the other leg is hung up too, since the
  service leaves it up.

The join token rides in ``TransactionAttributes`` only from ``NEW_OUTBOUND_CALL`` until the
join succeeds, because ``CALL_ANSWERED`` is where it is needed and nothing else carries it
there; it is dropped from the attributes as soon as ``JoinChimeMeeting`` succeeds
(``carry_join_token=False`` keeps it out of them altogether). It never reaches a log record:
messages name keys, IDs and error types, and AWS's error messages are scrubbed of the token
and of anything phone-number-like.

``UpdateSipMediaApplicationCall`` ``Arguments`` contract (``CALL_UPDATE_REQUESTED``):

| ``Arguments`` | what the handler does |
|---|---|
| ``{"Action": "Hangup"}`` | hang up leg A (optional ``"SipResponseCode"``: 0, 480, 486) |
| ``{"Action": "Speak", ...}`` | speak ``"Text"`` on leg A (optional: ``"VoiceId"``, ...) |
| ``{"Action": "PlayAudio"}`` | play S3 ``"BucketName"`` / ``"Key"`` on leg A |

``Speak`` also takes ``"Engine"``, ``"LanguageCode"`` and ``"TextType"``; ``PlayAudio``
takes ``"Repeat"``.

Anything else is logged and ignored; ``hangup_arguments`` and ``speak_arguments``
build valid maps for the facade's ``update_sip_media_application_call``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from chime_calls._contract import ARG_CORRELATION_ID, ARG_JOIN_TOKEN, ARG_MEETING_ID
from chime_calls.errors import ValidationError, scrub
from chime_calls.sma._logger import LoggerAttribute
from chime_calls.sma.actions import (
    Action,
    AudioSource,
    Hangup,
    JoinChimeMeeting,
    PlayAudio,
    Speak,
    response,
)
from chime_calls.sma.events import EventType, InvalidEventError, InvocationEvent, parse_event
from chime_calls.values import JoinToken

if TYPE_CHECKING:
    import logging

    from chime_calls._clock import Clock
    from chime_calls.sma.status import StatusLedger, StatusSink, StatusTracker

__all__ = [
    "UPDATE_ACTION",
    "DialOutHandler",
    "dial_out_handler",
    "hangup_arguments",
    "speak_arguments",
]

#: The ``Arguments`` key of ``UpdateSipMediaApplicationCall`` that names what to do.
UPDATE_ACTION: Final = "Action"

ActionLike = Action | Mapping[str, Any]
_SPEAK_OPTIONS: Final = {
    "VoiceId": "voice_id",
    "Engine": "engine",
    "LanguageCode": "language_code",
    "TextType": "text_type",
}


def hangup_arguments(*, sip_response_code: str | None = None) -> dict[str, str]:
    """``Arguments`` asking ``DialOutHandler`` to hang up a running call."""
    args = {UPDATE_ACTION: "Hangup"}
    if sip_response_code is not None:
        args["SipResponseCode"] = sip_response_code
    return args


def speak_arguments(
    text: str,
    *,
    voice_id: str | None = None,
    engine: str | None = None,
    language_code: str | None = None,
    text_type: str | None = None,
) -> dict[str, str]:
    """``Arguments`` asking ``DialOutHandler`` to speak ``text`` on a running call."""
    args = {UPDATE_ACTION: "Speak", "Text": text}
    options = {
        "VoiceId": voice_id,
        "Engine": engine,
        "LanguageCode": language_code,
        "TextType": text_type,
    }
    args.update({k: v for k, v in options.items() if v is not None})
    return args


class DialOutHandler:
    """A SIP media application Lambda handler for the dial-out ``ArgumentsMap`` contract.

    Deploy an instance as is (``lambda_handler = chime_calls.sma.dial_out_handler``) or
    subclass and override a hook. Every ``on_*`` hook takes the parsed ``InvocationEvent``
    and returns the actions to run (typed actions or plain dicts); ``transaction_attributes``
    decides what the service stores for the next event, ``on_error`` what happens when a
    hook raises, ``hang_up`` how the call is ended. ``carry_join_token=False`` keeps the
    token out of ``TransactionAttributes``; then override ``join_token`` to fetch it from
    your own store by transaction or correlation ID.
    """

    #: Where it logs (``chime_calls.sma`` unless given ``logger=``).
    logger = LoggerAttribute()

    def __init__(
        self,
        *,
        carry_join_token: bool = True,
        logger: logging.Logger | None = None,
        sinks: Iterable[StatusSink] = (),
        ledger: StatusLedger | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.carry_join_token = carry_join_token
        self.logger = logger
        #: Publishes each call's status events to ``sinks`` and ``ledger`` (``None`` without
        #: either); with a ledger, a second call for a correlation ID is hung up unanswered.
        self.tracker: StatusTracker | None = None
        sinks = tuple(sinks)
        if sinks or ledger is not None:
            from chime_calls.sma.status import StatusTracker

            self.tracker = StatusTracker(sinks, ledger=ledger, clock=clock, logger=self.logger)

    def __repr__(self) -> str:
        tracked = "" if self.tracker is None else f", tracker={self.tracker!r}"
        return f"{type(self).__name__}(carry_join_token={self.carry_join_token!r}{tracked})"

    # --- entry points ------------------------------------------------------------------------

    def __call__(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        """The Lambda entry point: raw event in, SMA response out."""
        try:
            parsed = parse_event(event)
        except InvalidEventError as exc:
            self.logger.error("unusable SIP media application event, no actions: %s", exc)
            return response()
        return self.handle(parsed)

    def handle(self, event: InvocationEvent) -> dict[str, Any]:
        """Dispatch a parsed event to its hook and build the response.

        A hook that raises, or returns what ``response`` refuses, does not
        take the Lambda down (the service would retry and then drop the caller): the error is
        logged by type, ``on_error`` decides what happens to the call, and the stored
        ``TransactionAttributes`` are kept. With ``sinks`` or a ``ledger``, the call's status
        events are published first (``chime_calls.sma.status``).
        """
        if self.tracker is not None:
            answer: dict[str, Any] = self.tracker.run(event, lambda: self._respond(event))
            return answer
        return self._respond(event)

    def _respond(self, event: InvocationEvent) -> dict[str, Any]:
        wanted = self.transaction_attributes(event)
        # {} clears what the service stores; send it only when something is stored.
        attributes = wanted if wanted or event.transaction_attributes else None
        hook = self._hooks().get(event.event_type, self.on_other_event)
        try:
            return response(*hook(event), transaction_attributes=attributes)
        except Exception as exc:  # noqa: BLE001 - a Lambda must answer; on_error decides how
            actions = self.on_error(event, exc)
            return response(*actions, transaction_attributes=attributes)

    def _hooks(self) -> dict[str, Callable[[InvocationEvent], Sequence[ActionLike]]]:
        return {
            EventType.NEW_OUTBOUND_CALL: self.on_new_outbound_call,
            EventType.RINGING: self.on_ringing,
            EventType.CALL_ANSWERED: self.on_answered,
            EventType.ACTION_SUCCESSFUL: self.on_action_successful,
            EventType.ACTION_FAILED: self.on_action_failed,
            EventType.HANGUP: self.on_hangup,
            EventType.CALL_UPDATE_REQUESTED: self.on_call_update_requested,
            EventType.INVALID_LAMBDA_RESPONSE: self.on_invalid_lambda_response,
        }

    # --- what the call carries ---------------------------------------------------------------

    def meeting_id(self, event: InvocationEvent) -> str | None:
        return event.arguments.get(ARG_MEETING_ID) or event.transaction_attributes.get(
            ARG_MEETING_ID
        )

    def correlation_id(self, event: InvocationEvent) -> str | None:
        return event.arguments.get(ARG_CORRELATION_ID) or event.transaction_attributes.get(
            ARG_CORRELATION_ID
        )

    def join_token(self, event: InvocationEvent) -> JoinToken | None:
        """The attendee's join token: from the ``ArgumentsMap`` of this event, else from the
        ``TransactionAttributes`` stored on ``NEW_OUTBOUND_CALL``."""
        value = event.arguments.get(ARG_JOIN_TOKEN) or event.transaction_attributes.get(
            ARG_JOIN_TOKEN
        )
        return JoinToken.coerce(value) if value else None

    def transaction_attributes(self, event: InvocationEvent) -> dict[str, str]:
        """Attributes to store for the next event: the previous ones, plus the dial-out
        context on ``NEW_OUTBOUND_CALL``, minus the join token once the join succeeded."""
        attributes = dict(event.transaction_attributes)
        if event.event_type == EventType.NEW_OUTBOUND_CALL:
            keys = [ARG_MEETING_ID, ARG_CORRELATION_ID]
            if self.carry_join_token:
                keys.append(ARG_JOIN_TOKEN)
            attributes.update({k: event.arguments[k] for k in keys if k in event.arguments})
        if _action_type(event) == JoinChimeMeeting.type and (
            event.event_type == EventType.ACTION_SUCCESSFUL
        ):
            attributes.pop(ARG_JOIN_TOKEN, None)
        return attributes

    # --- hooks -------------------------------------------------------------------------------

    def on_new_outbound_call(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """The call is being placed; the service ignores actions here. Checks the contract."""
        missing = [k for k in (ARG_MEETING_ID, ARG_JOIN_TOKEN) if k not in event.arguments]
        if missing:
            self.logger.warning(
                "dial-out %s (transaction %s): ArgumentsMap lacks %s; the call cannot join a "
                "meeting (was it placed with ChimeCalls.dial_out?)",
                self._cid(event),
                event.transaction_id,
                ", ".join(missing),
            )
        else:
            self.logger.info(
                "dial-out %s (transaction %s): calling for meeting %s",
                self._cid(event),
                event.transaction_id,
                self.meeting_id(event),
            )
        return []

    def on_ringing(self, event: InvocationEvent) -> Sequence[ActionLike]:
        return []

    def on_answered(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """The callee picked up: join leg A to the meeting, or hang up if we cannot."""
        leg = event.call_details.leg_a
        call_id = leg.call_id if leg else None
        token = self.join_token(event)
        if token is None:
            self.logger.warning(
                "dial-out %s (transaction %s): answered but no join token (ArgumentsMap key "
                "%r); hanging up",
                self._cid(event),
                event.transaction_id,
                ARG_JOIN_TOKEN,
            )
            return self.hang_up(event)
        try:
            join = JoinChimeMeeting(
                join_token=token, meeting_id=self.meeting_id(event), call_id=call_id
            )
        except ValidationError as exc:
            self.logger.warning(
                "dial-out %s (transaction %s): invalid dial-out arguments, hanging up: %s",
                self._cid(event),
                event.transaction_id,
                exc,
            )
            return self.hang_up(event)
        return [join]

    def on_action_successful(self, event: InvocationEvent) -> Sequence[ActionLike]:
        if _action_type(event) == JoinChimeMeeting.type:
            self.logger.info(
                "dial-out %s (transaction %s): callee joined meeting %s",
                self._cid(event),
                event.transaction_id,
                self.meeting_id(event),
            )
        return []

    def on_action_failed(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """Log AWS's reason clearly, then hang up unless the callee is already in the meeting.

        A failed ``JoinChimeMeeting`` (or any failure before the join) ends the call: a silent
        open line helps nobody and is billed. A failed ``Speak`` or ``PlayAudio`` on a callee
        who is in the meeting only costs the message, so the call stays up.
        """
        action_type = _action_type(event) or "action"
        token = self.join_token(event)
        message = scrub(event.error_message or "", [token.reveal()] if token else [])
        keep = action_type != JoinChimeMeeting.type and _in_meeting(event)
        self.logger.warning(
            "dial-out %s (transaction %s): %s failed with %s: %s; %s",
            self._cid(event),
            event.transaction_id,
            action_type,
            event.error_type or "unknown error",
            message or "(no message)",
            "the callee stays in the meeting" if keep else "hanging up",
        )
        if action_type == Hangup.type or keep:
            return []
        return self.hang_up(event)

    def on_hangup(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """A leg ended. The service does not end the other leg of a two-leg call (the meeting
        leg after ``JoinChimeMeeting``) on its own, and keeps billing it: hang it up."""
        code = None
        if event.action_data is not None:
            code = event.action_data.parameters.get("SipResponseCode")
        remaining = event.call_details.connected_legs
        self.logger.info(
            "dial-out %s (transaction %s): a leg ended%s%s",
            self._cid(event),
            event.transaction_id,
            f" (SIP {code})" if str(code) not in ("None", "", "0") else "",
            f"; hanging up {len(remaining)} remaining leg(s)" if remaining else "",
        )
        return [Hangup(call_id=leg.call_id) for leg in remaining if leg.call_id]

    def on_call_update_requested(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """Apply the ``Arguments`` contract of the module docstring."""
        args = event.arguments
        requested = args.get(UPDATE_ACTION)
        leg = event.call_details.leg_a
        call_id = leg.call_id if leg else None
        try:
            if requested == "Hangup":
                code = args.get("SipResponseCode", "0")
                return [Hangup(call_id=call_id, sip_response_code=code)]
            if requested == "Speak":
                options = {attr: args[key] for key, attr in _SPEAK_OPTIONS.items() if key in args}
                return [Speak(text=args.get("Text", ""), call_id=call_id or "", **options)]
            if requested == "PlayAudio":
                repeat = args.get("Repeat")
                source = AudioSource(
                    bucket_name=args.get("BucketName", ""), key=args.get("Key", "")
                )
                return [
                    PlayAudio(
                        audio_source=source,
                        call_id=call_id,
                        participant_tag=None if call_id else "LEG-A",
                        repeat=int(repeat) if repeat and repeat.isdigit() else None,
                    )
                ]
        except ValidationError as exc:
            self.logger.warning(
                "dial-out %s (transaction %s): ignoring invalid update %r: %s",
                self._cid(event),
                event.transaction_id,
                requested,
                exc,
            )
            return []
        # Arguments are sensitive in the service model: log their number, not their content.
        self.logger.warning(
            "dial-out %s (transaction %s): ignoring update without a supported %r "
            "(Hangup, Speak, PlayAudio) among its %d arguments",
            self._cid(event),
            event.transaction_id,
            UPDATE_ACTION,
            len(args),
        )
        return []

    def on_invalid_lambda_response(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """The service refused this handler's last answer: log it, and end a call that never
        reached the meeting (the callee would hear silence)."""
        keep = _in_meeting(event)
        self.logger.error(
            "dial-out %s (transaction %s): the service rejected this handler's response: %s; %s",
            self._cid(event),
            event.transaction_id,
            event.error_type or "unknown error",
            "the callee stays in the meeting" if keep else "hanging up",
        )
        return [] if keep else self.hang_up(event)

    def on_error(self, event: InvocationEvent, error: Exception) -> Sequence[ActionLike]:
        """A hook raised ``error`` (or returned an invalid response). Logs the error's type,
        never its message (it may quote the event), and ends a call that is not in a meeting."""
        keep = _in_meeting(event)
        self.logger.error(
            "dial-out %s (transaction %s): %s while handling %s; %s",
            self._cid(event),
            event.transaction_id,
            type(error).__name__,
            event.event_type,
            "the callee stays in the meeting" if keep else "hanging up",
        )
        return [] if keep else self.hang_up(event)

    def hang_up(self, event: InvocationEvent) -> list[ActionLike]:
        """The actions that end this call: ``Hangup`` of leg A (the service then reports
        ``HANGUP``, and ``on_hangup`` ends any meeting leg)."""
        leg = event.call_details.leg_a
        return [Hangup(call_id=leg.call_id if leg else None)]

    def on_other_event(self, event: InvocationEvent) -> Sequence[ActionLike]:
        """Events this handler has no use for (DTMF, inbound calls, types AWS adds later)."""
        self.logger.debug(
            "dial-out %s (transaction %s): no action for %s",
            self._cid(event),
            event.transaction_id,
            event.event_type,
        )
        return []

    def _cid(self, event: InvocationEvent) -> str:
        return self.correlation_id(event) or "<no correlation id>"


def _action_type(event: InvocationEvent) -> str | None:
    return event.action_data.type if event.action_data is not None else None


def _in_meeting(event: InvocationEvent) -> bool:
    """Leg A is up and a second leg (the meeting leg, after ``JoinChimeMeeting``) is too."""
    leg_a, leg_b = event.call_details.leg_a, event.call_details.leg_b
    return bool(leg_a and leg_a.connected and leg_b and leg_b.connected)


#: A ready handler: ``from chime_calls.sma import dial_out_handler as handler``.
dial_out_handler = DialOutHandler()
