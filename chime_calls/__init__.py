"""chime-calls: typed, validated Amazon Chime SDK meetings and calls on boto3.

``import chime_calls`` is nearly free: every public name loads its module on first use (PEP
562), so ``from chime_calls import ChimeCalls`` loads the facade, models and errors (not boto3,
which loads when the first client is created), and a SIP media application Lambda that imports
only :mod:`chime_calls.sma` never loads the facade. The fake (:mod:`chime_calls.testing`), the
migration helper (:mod:`chime_calls.migration`), the SIP media application helpers
(:mod:`chime_calls.sma`) and the CLI load only when imported. docs/benchmarks.md has the
numbers.
"""

from typing import TYPE_CHECKING, Any

from chime_calls._version import __version__

if TYPE_CHECKING:
    from chime_calls._policy import OperationKind, Pacing, RetryPolicy
    from chime_calls.client import ChimeCalls, client_config
    from chime_calls.errors import (
        BadRequestError,
        ChimeCallsError,
        ConfigurationError,
        ConflictError,
        ConnectError,
        CredentialsError,
        ForbiddenError,
        LegacyNamespaceRefusedError,
        NotFoundError,
        ResourceLimitExceededError,
        ResponseLostError,
        ServiceError,
        ServiceFailureError,
        ServiceUnavailableError,
        ThrottledError,
        TransportError,
        UnauthorizedError,
        UnprocessableEntityError,
        UnsupportedOperationError,
        ValidationError,
        is_retry_safe,
    )
    from chime_calls.models import (
        Attendee,
        AttendeeCapabilities,
        AttendeeFeatures,
        AudioFeatures,
        ContentFeatures,
        CreateAttendeeRequest,
        CreateMeetingDialOutRequest,
        CreateMeetingRequest,
        CreateSipMediaApplicationCallRequest,
        DeleteMeetingRequest,
        DialOut,
        DialOutRequest,
        GetMeetingRequest,
        MediaPlacement,
        Meeting,
        MeetingDialOut,
        MeetingFeatures,
        NotificationsConfiguration,
        SipMediaApplicationCall,
        Tag,
        UpdateSipMediaApplicationCallRequest,
        VideoFeatures,
    )
    from chime_calls.values import (
        ClientRequestToken,
        ExternalId,
        JoinToken,
        NotificationTarget,
        PhoneNumber,
        SensitiveMap,
    )

__all__ = [
    "Attendee",
    "AttendeeCapabilities",
    "AttendeeFeatures",
    "AudioFeatures",
    "BadRequestError",
    "ChimeCalls",
    "ChimeCallsError",
    "ClientRequestToken",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "ContentFeatures",
    "CreateAttendeeRequest",
    "CreateMeetingDialOutRequest",
    "CreateMeetingRequest",
    "CreateSipMediaApplicationCallRequest",
    "CredentialsError",
    "DeleteMeetingRequest",
    "DialOut",
    "DialOutRequest",
    "ExternalId",
    "ForbiddenError",
    "GetMeetingRequest",
    "JoinToken",
    "LegacyNamespaceRefusedError",
    "MediaPlacement",
    "Meeting",
    "MeetingDialOut",
    "MeetingFeatures",
    "NotFoundError",
    "NotificationTarget",
    "NotificationsConfiguration",
    "OperationKind",
    "Pacing",
    "PhoneNumber",
    "ResourceLimitExceededError",
    "ResponseLostError",
    "RetryPolicy",
    "SensitiveMap",
    "ServiceError",
    "ServiceFailureError",
    "ServiceUnavailableError",
    "SipMediaApplicationCall",
    "Tag",
    "ThrottledError",
    "TransportError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "UnsupportedOperationError",
    "UpdateSipMediaApplicationCallRequest",
    "ValidationError",
    "VideoFeatures",
    "__version__",
    "client_config",
    "is_retry_safe",
]

# public name -> the module that defines it, imported on first access
_EXPORTS: dict[str, str] = {
    "Attendee": "chime_calls.models",
    "AttendeeCapabilities": "chime_calls.models",
    "AttendeeFeatures": "chime_calls.models",
    "AudioFeatures": "chime_calls.models",
    "BadRequestError": "chime_calls.errors",
    "ChimeCalls": "chime_calls.client",
    "ChimeCallsError": "chime_calls.errors",
    "ClientRequestToken": "chime_calls.values",
    "ConfigurationError": "chime_calls.errors",
    "ConflictError": "chime_calls.errors",
    "ConnectError": "chime_calls.errors",
    "ContentFeatures": "chime_calls.models",
    "CreateAttendeeRequest": "chime_calls.models",
    "CreateMeetingDialOutRequest": "chime_calls.models",
    "CreateMeetingRequest": "chime_calls.models",
    "CreateSipMediaApplicationCallRequest": "chime_calls.models",
    "CredentialsError": "chime_calls.errors",
    "DeleteMeetingRequest": "chime_calls.models",
    "DialOut": "chime_calls.models",
    "DialOutRequest": "chime_calls.models",
    "ExternalId": "chime_calls.values",
    "ForbiddenError": "chime_calls.errors",
    "GetMeetingRequest": "chime_calls.models",
    "JoinToken": "chime_calls.values",
    "LegacyNamespaceRefusedError": "chime_calls.errors",
    "MediaPlacement": "chime_calls.models",
    "Meeting": "chime_calls.models",
    "MeetingDialOut": "chime_calls.models",
    "MeetingFeatures": "chime_calls.models",
    "NotFoundError": "chime_calls.errors",
    "NotificationTarget": "chime_calls.values",
    "NotificationsConfiguration": "chime_calls.models",
    "OperationKind": "chime_calls._policy",
    "Pacing": "chime_calls._policy",
    "PhoneNumber": "chime_calls.values",
    "ResourceLimitExceededError": "chime_calls.errors",
    "ResponseLostError": "chime_calls.errors",
    "RetryPolicy": "chime_calls._policy",
    "SensitiveMap": "chime_calls.values",
    "ServiceError": "chime_calls.errors",
    "ServiceFailureError": "chime_calls.errors",
    "ServiceUnavailableError": "chime_calls.errors",
    "SipMediaApplicationCall": "chime_calls.models",
    "Tag": "chime_calls.models",
    "ThrottledError": "chime_calls.errors",
    "TransportError": "chime_calls.errors",
    "UnauthorizedError": "chime_calls.errors",
    "UnprocessableEntityError": "chime_calls.errors",
    "UnsupportedOperationError": "chime_calls.errors",
    "UpdateSipMediaApplicationCallRequest": "chime_calls.models",
    "ValidationError": "chime_calls.errors",
    "VideoFeatures": "chime_calls.models",
    "client_config": "chime_calls.client",
    "is_retry_safe": "chime_calls.errors",
}
# Submodules that ``import chime_calls`` used to bind as attributes.
_SUBMODULES = frozenset({"client", "errors", "models", "namespaces", "values"})


if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all __getattr__

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None and name in _SUBMODULES:
            module = f"chime_calls.{name}"
            name = ""
        if module is None:
            raise AttributeError(f"module 'chime_calls' has no attribute {name!r}")
        import importlib

        loaded = importlib.import_module(module)
        value = getattr(loaded, name) if name else loaded
        globals()[name or module.rsplit(".", 1)[1]] = value  # later look-ups skip this hook
        return value


def __dir__() -> list[str]:
    loaded = {n for n in globals() if n.startswith("__") or n in _SUBMODULES}
    return sorted(loaded | set(__all__) | _SUBMODULES)
