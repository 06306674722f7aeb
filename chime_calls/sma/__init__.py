"""Helpers for the Lambda behind a SIP media application (SMA).

* :mod:`~chime_calls.sma.events`: :func:`parse_event` turns an invocation event into frozen,
  repr-safe objects, tolerating fields and event types AWS adds later.
* :mod:`~chime_calls.sma.actions`: typed actions (:class:`JoinChimeMeeting`, :class:`Speak`,
  :class:`Hangup`, ...) checked at construction, and :func:`response` to return them.
* :mod:`~chime_calls.sma.handler`: :data:`dial_out_handler`, the ready Lambda for
  ``ChimeCalls.dial_out``'s ``ArgumentsMap`` contract, and :class:`DialOutHandler` to extend.

Not imported by ``import chime_calls``: a Lambda that only handles events pays for what it uses.
See docs/sma.md and docs/dial-out.md.
"""

from __future__ import annotations

import contextlib

from chime_calls.sma.actions import (
    MAX_ACTIONS,
    MAX_TRANSACTION_ATTRIBUTES,
    SCHEMA_VERSION,
    Action,
    AudioSource,
    BridgeEndpoint,
    CallAndBridge,
    Hangup,
    JoinChimeMeeting,
    Pause,
    PlayAudio,
    Speak,
    response,
)
from chime_calls.sma.events import (
    KNOWN_EVENT_TYPES,
    LEG_A,
    LEG_B,
    ActionData,
    CallDetails,
    EventType,
    InvalidEventError,
    InvocationEvent,
    Participant,
    parse_event,
)
from chime_calls.sma.handler import (
    UPDATE_ACTION,
    DialOutHandler,
    dial_out_handler,
    hangup_arguments,
    speak_arguments,
)

__all__ = [
    "KNOWN_EVENT_TYPES",
    "LEG_A",
    "LEG_B",
    "MAX_ACTIONS",
    "MAX_TRANSACTION_ATTRIBUTES",
    "SCHEMA_VERSION",
    "UPDATE_ACTION",
    "Action",
    "ActionData",
    "AudioSource",
    "BridgeEndpoint",
    "CallAndBridge",
    "CallDetails",
    "DialOutHandler",
    "EventType",
    "Hangup",
    "InvalidEventError",
    "InvocationEvent",
    "JoinChimeMeeting",
    "Participant",
    "Pause",
    "PlayAudio",
    "Speak",
    "dial_out_handler",
    "hangup_arguments",
    "parse_event",
    "response",
    "speak_arguments",
]

for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        with contextlib.suppress(AttributeError, TypeError):
            _obj.__module__ = __name__
del _name, _obj
