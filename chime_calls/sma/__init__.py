"""Helpers for the Lambda behind a SIP media application (SMA).

* ``events``: ``parse_event`` turns an invocation event into frozen,
  repr-safe objects, tolerating fields and event types AWS adds later.
* ``actions``: every action AWS documents (``JoinChimeMeeting``,
  ``Speak``, ``PlayAudioAndGetDigits``, ``StartCallRecording``, ...) typed and
  checked at construction, and ``response`` to return them.
* ``handler``: ``dial_out_handler``, the ready Lambda for
  ``ChimeCalls.dial_out``'s ``ArgumentsMap`` contract, and ``DialOutHandler`` to extend.
* ``status``: each call's status events (initiated, ringing, answered, joined, completed,
  busy, no-answer, failed) for sinks (``sinks``: EventBridge, SQS, SNS, or any callable) and
  a call ledger; ``track_status`` wraps any handler.

Not imported by ``import chime_calls``, and lazy itself: each name loads its module the first
time it is used, so a Lambda pays for what it uses. See ``chime-calls docs sma`` and
``chime-calls docs dial-out``.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chime_calls.sma.actions import (
        ACTION_TYPES,
        MAX_ACTIONS,
        MAX_TRANSACTION_ATTRIBUTES,
        MAX_TRANSACTION_ATTRIBUTES_BYTES,
        SCHEMA_VERSION,
        Action,
        AudioSource,
        BridgeEndpoint,
        CallAndBridge,
        Hangup,
        JoinChimeMeeting,
        ModifyChimeMeetingAttendees,
        Pause,
        PauseCallRecording,
        PlayAudio,
        PlayAudioAndGetDigits,
        ReceiveDigits,
        RecordAudio,
        ResumeCallRecording,
        SendDigits,
        Speak,
        SpeakAndGetDigits,
        SpeechParameters,
        StartBotConversation,
        StartCallRecording,
        StopCallRecording,
        VoiceFocus,
        WelcomeMessage,
        parse_action,
        response,
    )
    from chime_calls.sma.events import (
        KNOWN_EVENT_TYPES,
        LEG_A,
        LEG_B,
        ActionData,
        CallDetails,
        EventType,
        Intent,
        IntentResult,
        Interpretation,
        InvalidEventError,
        InvocationEvent,
        Participant,
        Slot,
        parse_event,
    )
    from chime_calls.sma.handler import (
        UPDATE_ACTION,
        DialOutHandler,
        dial_out_handler,
        hangup_arguments,
        speak_arguments,
    )
    from chime_calls.sma.sinks import EventBridgeSink, SnsSink, SqsSink
    from chime_calls.sma.status import (
        FINAL_STATUSES,
        CallStatus,
        StatusEvent,
        StatusTracker,
        track_status,
    )

_ACTIONS = "chime_calls.sma.actions"
_EVENTS = "chime_calls.sma.events"
_HANDLER = "chime_calls.sma.handler"
_STATUS = "chime_calls.sma.status"
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "ACTION_TYPES",
            "MAX_ACTIONS",
            "MAX_TRANSACTION_ATTRIBUTES",
            "MAX_TRANSACTION_ATTRIBUTES_BYTES",
            "SCHEMA_VERSION",
            "Action",
            "AudioSource",
            "BridgeEndpoint",
            "CallAndBridge",
            "Hangup",
            "JoinChimeMeeting",
            "ModifyChimeMeetingAttendees",
            "Pause",
            "PauseCallRecording",
            "PlayAudio",
            "PlayAudioAndGetDigits",
            "ReceiveDigits",
            "RecordAudio",
            "ResumeCallRecording",
            "SendDigits",
            "Speak",
            "SpeakAndGetDigits",
            "SpeechParameters",
            "StartBotConversation",
            "StartCallRecording",
            "StopCallRecording",
            "VoiceFocus",
            "WelcomeMessage",
            "parse_action",
            "response",
        ),
        _ACTIONS,
    ),
    **dict.fromkeys(
        (
            "KNOWN_EVENT_TYPES",
            "LEG_A",
            "LEG_B",
            "ActionData",
            "CallDetails",
            "EventType",
            "Intent",
            "IntentResult",
            "Interpretation",
            "InvalidEventError",
            "InvocationEvent",
            "Participant",
            "Slot",
            "parse_event",
        ),
        _EVENTS,
    ),
    **dict.fromkeys(
        (
            "UPDATE_ACTION",
            "DialOutHandler",
            "dial_out_handler",
            "hangup_arguments",
            "speak_arguments",
        ),
        _HANDLER,
    ),
    **dict.fromkeys(
        ("FINAL_STATUSES", "CallStatus", "StatusEvent", "StatusTracker", "track_status"), _STATUS
    ),
    **dict.fromkeys(("EventBridgeSink", "SnsSink", "SqsSink"), "chime_calls.sma.sinks"),
}

__all__ = [
    "ACTION_TYPES",
    "FINAL_STATUSES",
    "KNOWN_EVENT_TYPES",
    "LEG_A",
    "LEG_B",
    "MAX_ACTIONS",
    "MAX_TRANSACTION_ATTRIBUTES",
    "MAX_TRANSACTION_ATTRIBUTES_BYTES",
    "SCHEMA_VERSION",
    "UPDATE_ACTION",
    "Action",
    "ActionData",
    "AudioSource",
    "BridgeEndpoint",
    "CallAndBridge",
    "CallDetails",
    "CallStatus",
    "DialOutHandler",
    "EventBridgeSink",
    "EventType",
    "Hangup",
    "Intent",
    "IntentResult",
    "Interpretation",
    "InvalidEventError",
    "InvocationEvent",
    "JoinChimeMeeting",
    "ModifyChimeMeetingAttendees",
    "Participant",
    "Pause",
    "PauseCallRecording",
    "PlayAudio",
    "PlayAudioAndGetDigits",
    "ReceiveDigits",
    "RecordAudio",
    "ResumeCallRecording",
    "SendDigits",
    "Slot",
    "SnsSink",
    "Speak",
    "SpeakAndGetDigits",
    "SpeechParameters",
    "SqsSink",
    "StartBotConversation",
    "StartCallRecording",
    "StatusEvent",
    "StatusTracker",
    "StopCallRecording",
    "VoiceFocus",
    "WelcomeMessage",
    "dial_out_handler",
    "hangup_arguments",
    "parse_action",
    "parse_event",
    "response",
    "speak_arguments",
    "track_status",
]

if not TYPE_CHECKING:  # type checkers see the imports above

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        if isinstance(value, type) or callable(value):
            # reprs and docs say chime_calls.sma.Speak, not a private module
            with contextlib.suppress(AttributeError, TypeError):
                value.__module__ = __name__
        globals()[name] = value  # later look-ups skip this hook
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
