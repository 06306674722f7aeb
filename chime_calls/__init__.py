"""chime-calls: typed, validated Amazon Chime SDK meetings and calls on boto3.

``import chime_calls`` is nearly free: every public name loads its module on first use (PEP
562), so ``from chime_calls import ChimeCalls`` loads the facade and its errors (the models,
their generated constraints and boto3 load when the first facade is built and used), and a SIP
media application Lambda that imports only ``chime_calls.sma`` never loads the facade. The
fake (``chime_calls.testing``), the migration helper (``chime_calls.migration``), the SIP
media application helpers (``chime_calls.sma``) and the CLI load only when imported.
chime-calls docs benchmarks has the numbers.
"""

from typing import TYPE_CHECKING, Any

from chime_calls._public import EXPORTS as _GROUPS
from chime_calls._version import __version__ as __version__

if TYPE_CHECKING:  # explicit re-exports ("X as X"), for type checkers only
    from chime_calls._policy import (
        OperationKind as OperationKind,
    )
    from chime_calls._policy import (
        Pacing as Pacing,
    )
    from chime_calls._policy import (
        RetryPolicy as RetryPolicy,
    )
    from chime_calls._redaction import (
        RedactingFilter as RedactingFilter,
    )
    from chime_calls._redaction import (
        redact_botocore_logging as redact_botocore_logging,
    )
    from chime_calls._rules import (
        Violation as Violation,
    )
    from chime_calls._spec import (
        Request as Request,
    )
    from chime_calls.client import (
        ChimeCalls as ChimeCalls,
    )
    from chime_calls.client import (
        client_config as client_config,
    )
    from chime_calls.errors import (
        BadRequestError as BadRequestError,
    )
    from chime_calls.errors import (
        ChimeCallsError as ChimeCallsError,
    )
    from chime_calls.errors import (
        ConfigurationError as ConfigurationError,
    )
    from chime_calls.errors import (
        ConflictError as ConflictError,
    )
    from chime_calls.errors import (
        ConnectError as ConnectError,
    )
    from chime_calls.errors import (
        CredentialsError as CredentialsError,
    )
    from chime_calls.errors import (
        ForbiddenError as ForbiddenError,
    )
    from chime_calls.errors import (
        InvalidResponseError as InvalidResponseError,
    )
    from chime_calls.errors import (
        LegacyNamespaceRefusedError as LegacyNamespaceRefusedError,
    )
    from chime_calls.errors import (
        MeetingEndedError as MeetingEndedError,
    )
    from chime_calls.errors import (
        NotFoundError as NotFoundError,
    )
    from chime_calls.errors import (
        ResourceLimitExceededError as ResourceLimitExceededError,
    )
    from chime_calls.errors import (
        ResponseLostError as ResponseLostError,
    )
    from chime_calls.errors import (
        ServiceError as ServiceError,
    )
    from chime_calls.errors import (
        ServiceFailureError as ServiceFailureError,
    )
    from chime_calls.errors import (
        ServiceUnavailableError as ServiceUnavailableError,
    )
    from chime_calls.errors import (
        ThrottledError as ThrottledError,
    )
    from chime_calls.errors import (
        TransportError as TransportError,
    )
    from chime_calls.errors import (
        UnauthorizedError as UnauthorizedError,
    )
    from chime_calls.errors import (
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from chime_calls.errors import (
        UnsupportedOperationError as UnsupportedOperationError,
    )
    from chime_calls.errors import (
        ValidationError as ValidationError,
    )
    from chime_calls.errors import (
        is_retry_safe as is_retry_safe,
    )
    from chime_calls.models import (
        Attendee as Attendee,
    )
    from chime_calls.models import (
        AttendeeCapabilities as AttendeeCapabilities,
    )
    from chime_calls.models import (
        AttendeeFeatures as AttendeeFeatures,
    )
    from chime_calls.models import (
        AudioFeatures as AudioFeatures,
    )
    from chime_calls.models import (
        ContentFeatures as ContentFeatures,
    )
    from chime_calls.models import (
        CreateAttendeeRequest as CreateAttendeeRequest,
    )
    from chime_calls.models import (
        CreateMeetingDialOutRequest as CreateMeetingDialOutRequest,
    )
    from chime_calls.models import (
        CreateMeetingRequest as CreateMeetingRequest,
    )
    from chime_calls.models import (
        CreateSipMediaApplicationCallRequest as CreateSipMediaApplicationCallRequest,
    )
    from chime_calls.models import (
        DeleteMeetingRequest as DeleteMeetingRequest,
    )
    from chime_calls.models import (
        DialOut as DialOut,
    )
    from chime_calls.models import (
        DialOutRequest as DialOutRequest,
    )
    from chime_calls.models import (
        GetMeetingRequest as GetMeetingRequest,
    )
    from chime_calls.models import (
        MediaPlacement as MediaPlacement,
    )
    from chime_calls.models import (
        Meeting as Meeting,
    )
    from chime_calls.models import (
        MeetingDialOut as MeetingDialOut,
    )
    from chime_calls.models import (
        MeetingFeatures as MeetingFeatures,
    )
    from chime_calls.models import (
        NotificationsConfiguration as NotificationsConfiguration,
    )
    from chime_calls.models import (
        SipMediaApplicationCall as SipMediaApplicationCall,
    )
    from chime_calls.models import (
        Tag as Tag,
    )
    from chime_calls.models import (
        UpdateSipMediaApplicationCallRequest as UpdateSipMediaApplicationCallRequest,
    )
    from chime_calls.models import (
        VideoFeatures as VideoFeatures,
    )
    from chime_calls.namespaces import (
        Namespace as Namespace,
    )
    from chime_calls.values import (
        ClientRequestToken as ClientRequestToken,
    )
    from chime_calls.values import (
        ExternalId as ExternalId,
    )
    from chime_calls.values import (
        JoinToken as JoinToken,
    )
    from chime_calls.values import (
        NotificationTarget as NotificationTarget,
    )
    from chime_calls.values import (
        PhoneNumber as PhoneNumber,
    )
    from chime_calls.values import (
        SensitiveMap as SensitiveMap,
    )

# public name -> the module that defines it, imported on first access (one source: _public)
_EXPORTS: dict[str, str] = {name: module for module, group in _GROUPS.items() for name in group}
__all__ = sorted([*_EXPORTS, "__version__"])  # noqa: PLE0605 - derived from the one list
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
