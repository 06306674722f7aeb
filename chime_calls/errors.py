"""Every exception chime-calls raises, and the one place botocore's errors are translated.

::

    ChimeCallsError
    ├── ValidationError (also ValueError)      bad input; nothing was sent
    ├── UnsupportedOperationError              the namespace / installed botocore cannot do it;
    │                                          nothing was sent
    ├── CredentialsError                       no usable AWS credentials; nothing was sent
    ├── ConfigurationError                     no region, or clients the facade cannot use safely
    ├── ServiceError                           AWS answered with an error
    │   ├── BadRequestError                    400 BadRequest, ValidationException
    │   ├── UnauthorizedError                  401 Unauthorized / UnauthorizedClient
    │   ├── ForbiddenError                     403 Forbidden / AccessDenied
    │   │   └── LegacyNamespaceRefusedError    "not authorized to call deprecated ... API"
    │   ├── NotFoundError                      404
    │   ├── ConflictError                      409
    │   ├── UnprocessableEntityError           422
    │   ├── ResourceLimitExceededError         quota: LimitExceeded / ResourceLimitExceeded
    │   ├── ThrottledError                     429 Throttling / ThrottledClient
    │   ├── ServiceFailureError                500
    │   └── ServiceUnavailableError            503
    └── TransportError                         no answer from AWS
        ├── ConnectError                       never reached AWS (DNS, refused, connect timeout)
        └── ResponseLostError                  sent, but the answer was lost (read timeout,
                                               connection dropped): outcome unknown

Both Chime naming families map to one class each (``ThrottlingException`` and
``ThrottledClientException`` are both :class:`ThrottledError`), matched on the error code
string, never on botocore's generated per-client classes (which cannot be pickled). Codes the
models do not declare stay a plain :class:`ServiceError` carrying the code.

Messages never contain sensitive values: the service sometimes echoes what it was sent, so the
values of the request's sensitive members are scrubbed from AWS's message before it is stored.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chime_calls._rules import Violation

__all__ = [
    "BadRequestError",
    "ChimeCallsError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "CredentialsError",
    "ForbiddenError",
    "LegacyNamespaceRefusedError",
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
]


class ChimeCallsError(Exception):
    """Base of everything this package raises.

    ``outcome_unknown`` is true when a request may or may not have taken effect (a call may
    have been placed): never re-send such a request blindly. ``retryable`` says whether sending
    the same request again is safe *for this operation* (see docs/reliability.md).
    """

    outcome_unknown: bool = False
    retryable: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive BaseException's default pickling.
        return (_rebuild, (type(self), self.__dict__.copy(), self.args))


def _rebuild(cls: type[ChimeCallsError], state: dict[str, Any], args: tuple[Any, ...]) -> Any:
    inst = cls.__new__(cls)
    Exception.__init__(inst, *args)
    inst.__dict__.update(state)
    return inst


class ValidationError(ChimeCallsError, ValueError):
    """A request broke one or more service-model constraints. Nothing was sent.

    ``violations`` lists every problem at once, each with its field path and rule; the
    offending values are never included (many are phone numbers or tokens).
    """

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        n = len(self.violations)
        super().__init__(f"{n} invalid field{'s' if n != 1 else ''}:\n{lines}")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(v.field for v in self.violations)


class UnsupportedOperationError(ChimeCallsError):
    """The chosen namespace or the installed botocore cannot carry this request.

    Raised before anything is sent. ``replacement`` names what to use instead, e.g.
    ``"chime-sdk-voice CreateSipMediaApplicationCall"``.
    """

    def __init__(self, message: str, *, operation: str, namespace: str, replacement: str | None):
        super().__init__(message)
        self.operation = operation
        self.namespace = namespace
        self.replacement = replacement


class CredentialsError(ChimeCallsError):
    """botocore found no usable credentials. Nothing was sent."""


class ConfigurationError(ChimeCallsError):
    """The facade cannot be used as configured (e.g. no region for the SDK namespaces)."""


class ServiceError(ChimeCallsError):
    """AWS answered with an error.

    ``str()`` leads with the request ID, which AWS support asks for first. ``fault`` is
    ``"client"`` for 4xx and ``"server"`` for 5xx; ``retry_after`` is the server's
    ``Retry-After`` in seconds when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int | None,
        request_id: str | None,
        operation: str,
        namespace: str,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        self.operation = operation
        self.namespace = namespace
        self.retryable = retryable
        self.retry_after = retry_after
        self.outcome_unknown = self.fault == "server"

    @property
    def fault(self) -> str:
        return "server" if (self.status_code or 0) >= 500 else "client"

    @property
    def is_throttling_error(self) -> bool:
        return isinstance(self, ThrottledError)

    def __str__(self) -> str:
        status = f" ({self.status_code})" if self.status_code else ""
        return (
            f"[request {self.request_id or 'unknown'}] {self.code}{status} in "
            f"{self.operation} ({self.namespace}): {self.message}"
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, code={self.code!r}, "
            f"status_code={self.status_code!r}, request_id={self.request_id!r})"
        )


class BadRequestError(ServiceError):
    pass


class UnauthorizedError(ServiceError):
    pass


class ForbiddenError(ServiceError):
    pass


class LegacyNamespaceRefusedError(ForbiddenError):
    """AWS refuses the legacy ``chime`` namespace's meeting/voice API for this account.

    Accounts that never used those deprecated operations cannot start now. Move to
    ``namespace="sdk"``; ``chime-calls migrate scan`` finds the code to change.
    """


class NotFoundError(ServiceError):
    pass


class ConflictError(ServiceError):
    pass


class UnprocessableEntityError(ServiceError):
    pass


class ResourceLimitExceededError(ServiceError):
    """A quota (attendees per meeting, concurrent calls, ...), not a rate: waiting rarely helps."""


class ThrottledError(ServiceError):
    pass


class ServiceFailureError(ServiceError):
    pass


class ServiceUnavailableError(ServiceError):
    pass


class TransportError(ChimeCallsError):
    """No answer from AWS."""

    def __init__(self, message: str, *, operation: str, namespace: str) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.namespace = namespace


class ConnectError(TransportError):
    """The request never reached AWS (DNS failure, connection refused, connect timeout)."""

    retryable = True


class ResponseLostError(TransportError):
    """The request was sent but no answer arrived: it may or may not have taken effect."""

    outcome_unknown = True


def is_retry_safe(exc: BaseException) -> bool:
    """Predicate for retry libraries (e.g. ``stamina.retry(on=chime_calls.is_retry_safe)``).

    True only when re-sending the same request cannot duplicate an effect: a throttle, a
    failure before the request left the process, or a server error on an idempotent operation.
    """
    return isinstance(exc, ChimeCallsError) and exc.retryable


# --- translation from botocore ------------------------------------------------------------------

_BY_CODE: dict[str, type[ServiceError]] = {
    "BadRequest": BadRequestError,
    "Validation": BadRequestError,
    "Unauthorized": UnauthorizedError,
    "UnauthorizedClient": UnauthorizedError,
    "Forbidden": ForbiddenError,
    "AccessDenied": ForbiddenError,
    "NotFound": NotFoundError,
    "Conflict": ConflictError,
    "UnprocessableEntity": UnprocessableEntityError,
    "LimitExceeded": ResourceLimitExceededError,
    "ResourceLimitExceeded": ResourceLimitExceededError,
    "Throttling": ThrottledError,
    "ThrottledClient": ThrottledError,
    "ServiceFailure": ServiceFailureError,
    "ServiceUnavailable": ServiceUnavailableError,
}
_LEGACY_REFUSAL = "not authorized to call deprecated amazon chime sdk api"
# Digit runs as long as a phone number, but not inside an ID such as a meeting GUID.
_PHONE_LIKE = re.compile(r"(?<![0-9A-Za-z-])\+?[1-9][0-9]{6,14}(?![0-9A-Za-z-])")


def short_code(code: str) -> str:
    """``NotFoundException`` and the body-only ``NotFound`` are the same code."""
    return code[: -len("Exception")] if code.endswith("Exception") else code


def scrub(message: str, secrets: Iterable[str]) -> str:
    """Remove sensitive request values (longest first) and anything phone-number-like."""
    for secret in sorted({s for s in secrets if len(s) >= 2}, key=len, reverse=True):
        message = message.replace(secret, "<redacted>")
    return _PHONE_LIKE.sub("<redacted>", message)


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    raw: str | None = None
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value
            break
    if raw is None:
        return None
    raw = raw.strip()
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def from_client_error(
    exc: Any,
    *,
    operation: str,
    namespace: str,
    secrets: Iterable[str],
    idempotent: bool,
) -> ServiceError:
    """Translate a botocore ``ClientError`` (duck-typed: ``exc.response``)."""
    response: Mapping[str, Any] = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "Unknown")
    status = meta.get("HTTPStatusCode")
    status_code = int(status) if status is not None else None
    message = scrub(str(error.get("Message") or ""), secrets)
    short = short_code(code)
    cls = _BY_CODE.get(short, ServiceError)
    if cls is ServiceError and status_code == 429:
        cls = ThrottledError
    if status_code is not None and 400 <= status_code < 500 and _LEGACY_REFUSAL in message.lower():
        cls = LegacyNamespaceRefusedError
        message = (
            f"{message} -- this account cannot use the legacy 'chime' namespace; use "
            "ChimeCalls(namespace='sdk') (see `chime-calls migrate scan` and docs/migration.md)"
        )
    server_fault = status_code is not None and status_code >= 500
    retryable = cls is ThrottledError or (server_fault and idempotent)
    return cls(
        message,
        code=code,
        status_code=status_code,
        request_id=meta.get("RequestId") or error.get("RequestId"),
        operation=operation,
        namespace=namespace,
        retryable=retryable,
        retry_after=parse_retry_after(meta.get("HTTPHeaders") or {}),
    )


def from_botocore(  # noqa: PLR0911 - one return per family keeps the mapping flat
    exc: Exception,
    *,
    operation: str,
    namespace: str,
    secrets: Iterable[str],
    idempotent: bool,
) -> ChimeCallsError:
    """Translate any botocore exception; the single mapping point, most specific first.

    Transport failures are split by whether the request can have reached AWS: a refused or
    timed-out *connect* cannot have placed a call; a read timeout or a connection dropped after
    sending can have, so it is reported with ``outcome_unknown``. TLS errors are treated as the
    latter, because urllib3 can raise them mid-response too.
    """
    from botocore import exceptions as bx

    where = f"{operation} ({namespace})"
    if isinstance(exc, bx.ClientError):
        return from_client_error(
            exc, operation=operation, namespace=namespace, secrets=secrets, idempotent=idempotent
        )
    if isinstance(exc, bx.SSLError):
        lost = ResponseLostError(
            f"TLS failure during {where}; the request may have been sent",
            operation=operation,
            namespace=namespace,
        )
        lost.retryable = idempotent
        return lost
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionError)):
        return ConnectError(
            f"could not connect for {where}: {type(exc).__name__}; nothing was sent",
            operation=operation,
            namespace=namespace,
        )
    if isinstance(exc, bx.HTTPClientError):
        lost = ResponseLostError(
            f"no answer for {where} ({type(exc).__name__}); the request was sent and may have "
            "taken effect",
            operation=operation,
            namespace=namespace,
        )
        lost.retryable = idempotent
        return lost
    credential_errors = (
        bx.NoCredentialsError,
        bx.PartialCredentialsError,
        bx.CredentialRetrievalError,
        bx.TokenRetrievalError,
        bx.SSOError,
    )
    if isinstance(exc, credential_errors):
        return CredentialsError(f"no usable AWS credentials for {where}: {type(exc).__name__}")
    if isinstance(exc, bx.NoRegionError):
        return ConfigurationError(f"no AWS region configured for {where}; pass region_name=")
    if isinstance(exc, bx.ParamValidationError):
        from chime_calls._rules import Violation

        return ValidationError([Violation("request", "botocore", scrub(str(exc), secrets))])
    return ChimeCallsError(f"{type(exc).__name__} during {where}")
