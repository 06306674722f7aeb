"""The public names of ``chime_calls``: the one list ``__all__``, the lazy imports and the
type checkers' view are checked against (``tests/test_packaging.py``)."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

__all__ = ["EXPORTS", "publish"]

#: defining module -> the public names it defines, each importable as ``chime_calls.<name>``
EXPORTS: dict[str, tuple[str, ...]] = {
    "chime_calls._policy": ("OperationKind", "Pacing", "RetryPolicy"),
    "chime_calls._redaction": ("RedactingFilter", "redact_botocore_logging"),
    "chime_calls._rules": ("Violation",),
    "chime_calls._spec": ("Request",),
    "chime_calls.client": ("ChimeCalls", "client_config"),
    "chime_calls.errors": (
        "BadRequestError",
        "ChimeCallsError",
        "ConfigurationError",
        "ConflictError",
        "ConnectError",
        "CredentialsError",
        "ForbiddenError",
        "InvalidResponseError",
        "LegacyNamespaceRefusedError",
        "MeetingEndedError",
        "NotFoundError",
        "ResourceLimitExceededError",
        "ResponseLostError",
        "ServiceError",
        "ServiceFailureError",
        "ServiceUnavailableError",
        "ThrottledError",
        "TransportError",
        "UnauthorizedError",
        "UnprocessableEntityError",
        "UnsupportedOperationError",
        "ValidationError",
        "is_retry_safe",
    ),
    "chime_calls.models": (
        "Attendee",
        "AttendeeCapabilities",
        "AttendeeFeatures",
        "AudioFeatures",
        "ContentFeatures",
        "CreateAttendeeRequest",
        "CreateMeetingDialOutRequest",
        "CreateMeetingRequest",
        "CreateSipMediaApplicationCallRequest",
        "DeleteMeetingRequest",
        "DialOut",
        "DialOutRequest",
        "GetMeetingRequest",
        "MediaPlacement",
        "Meeting",
        "MeetingDialOut",
        "MeetingFeatures",
        "NotificationsConfiguration",
        "SipMediaApplicationCall",
        "Tag",
        "UpdateSipMediaApplicationCallRequest",
        "VideoFeatures",
    ),
    "chime_calls.namespaces": ("Namespace",),
    "chime_calls.values": (
        "ClientRequestToken",
        "ExternalId",
        "JoinToken",
        "NotificationTarget",
        "PhoneNumber",
        "SensitiveMap",
    ),
}


def publish(namespace: MutableMapping[str, Any], module: str) -> None:
    """Make the public objects ``module`` defines say ``chime_calls.<name>``.

    Reprs, tracebacks, pickles and the docs then name the import path users write; the
    defining module is kept as ``_defined_in`` for code that must evaluate annotations there.
    Call it at the end of a defining module: ``publish(globals(), __name__)``.
    """
    for name in EXPORTS.get(module, ()):
        _rename(namespace[name], module)


def _rename(obj: Any, module: str) -> None:
    if isinstance(obj, type):
        obj._defined_in = module  # type: ignore[attr-defined]
        obj.__module__ = "chime_calls"
    elif callable(obj) and hasattr(obj, "__module__"):
        obj.__module__ = "chime_calls"


def names() -> Iterable[str]:
    for group in EXPORTS.values():
        yield from group
