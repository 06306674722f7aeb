"""Every exception chime-calls raises, and the one place botocore's errors are translated.



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
    │   │   └── MeetingEndedError              "The meeting has ended" (not: never existed)
    │   ├── ConflictError                      409
    │   ├── UnprocessableEntityError           422
    │   ├── ResourceLimitExceededError         quota: LimitExceeded / ResourceLimitExceeded /
    │   │                                      TooManyTags
    │   ├── ThrottledError                     429 Throttling / ThrottledClient
    │   ├── ServiceFailureError                500
    │   └── ServiceUnavailableError            503
    ├── InvalidResponseError                   AWS answered 2xx, but not with what it must
    └── TransportError                         no answer from AWS
        ├── ConnectError                       never reached AWS (DNS, refused, connect timeout)
        └── ResponseLostError                  sent, but the answer was lost (read timeout,
                                               connection dropped): outcome unknown

Every error has ``operation``, ``service``, ``status_code``, ``request_id`` and
``retry_after`` (``None`` where they do not apply), ``retryable`` (sending the same request
again is safe for this operation) and ``outcome_unknown`` (it may have taken effect); both at
once only for an idempotent operation, where re-sending cannot duplicate the effect.

Both Chime naming families map to one class each (``ThrottlingException`` and
``ThrottledClientException`` are both ``ThrottledError``), matched on the error code
string, never on botocore's generated per-client classes (which cannot be pickled). Codes the
models do not declare stay a plain ``ServiceError`` carrying the code.

Nothing an error prints contains a sensitive value: AWS's message is scrubbed of the request's
secrets (in the forms the service echoes them: as sent, URL-encoded, JSON-escaped, with the
characters a surrogate pair encodes) and of anything that looks like a phone number, however it
is punctuated. The errors carry no ``__cause__`` or ``__context__`` (botocore's exception holds
the unscrubbed text); ``ChimeCallsError.unredacted_cause`` keeps it reachable on purpose,
for a debugger, and never pickles.
"""

from __future__ import annotations

import contextlib
import math
import re
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import deprecated

    from chime_calls._rules import Violation
else:
    _F = TypeVar("_F")

    def deprecated(message: str) -> Callable[[_F], _F]:
        """``typing_extensions.deprecated`` at run time: warns, and sets ``__deprecated__``.

        Importing typing_extensions costs about 7 ms, the largest part of what a SIP media
        application Lambda's ``import chime_calls.sma`` would load for this module
        (``chime-calls docs benchmarks``); type checkers still see the real decorator.
        """

        def wrap(func: _F) -> _F:
            import functools
            import warnings

            @functools.wraps(func)  # type: ignore[arg-type]
            def warned(*args: Any, **kwargs: Any) -> Any:
                warnings.warn(message, DeprecationWarning, stacklevel=2)
                return func(*args, **kwargs)  # type: ignore[operator]

            warned.__deprecated__ = message  # type: ignore[attr-defined]
            return warned  # type: ignore[return-value]

        return wrap


__all__ = [
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
    "translate",
]


class ChimeCallsError(Exception):
    """Base of everything this package raises.

    ``outcome_unknown`` is true when a request may or may not have taken effect (a call may
    have been placed): never re-send such a request blindly. ``retryable`` says whether sending
    the same request again is safe *for this operation* (chime-calls docs reliability). The other
    attributes are ``None`` when they do not apply: ``operation`` (AWS's name, e.g.
    ``"GetMeeting"``), ``service`` (the boto3 service, e.g. ``"chime-sdk-meetings"``),
    ``status_code``, ``request_id`` and ``retry_after`` (seconds).
    """

    outcome_unknown: bool = False
    retryable: bool = False
    operation: str | None = None
    service: str | None = None
    status_code: int | None = None
    request_id: str | None = None
    retry_after: float | None = None
    _unredacted: BaseException | None = None

    @property
    def unredacted_cause(self) -> BaseException | None:
        """The botocore exception this error was translated from, **unredacted**.

        It may hold phone numbers, join tokens and AWS's raw message: look at it in a debugger,
        never log or report it. It is not chained (``__cause__`` is ``None``) and not pickled.
        """
        return self._unredacted

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive BaseException's default pickling; the
        # unredacted cause is left behind on purpose.
        state = {k: v for k, v in self.__dict__.items() if k != "_unredacted"}
        return (_rebuild, (type(self), state, self.args))


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

    Raised before anything is sent. ``namespace`` is the facade's (``"sdk"`` or ``"legacy"``);
    ``replacement`` names what to use instead, e.g.
    ``"chime-sdk-voice CreateSipMediaApplicationCall"``.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        namespace: str,
        replacement: str | None,
        service: str | None = None,
    ):
        super().__init__(message)
        self.operation = operation
        self.namespace = namespace
        self.replacement = replacement
        self.service = service


class CredentialsError(ChimeCallsError):
    """botocore found no usable credentials. Nothing was sent."""


class ConfigurationError(ChimeCallsError):
    """The facade cannot be used as configured (a parameter it cannot use, no region, ...)."""


class _Located(ChimeCallsError):  # noqa: N818 - a private base, not raised itself
    """An error of one operation on one service (``namespace`` is the old name of ``service``)."""

    @property
    @deprecated("use .service, the boto3 service name (namespace is the facade's setting)")
    def namespace(self) -> str | None:
        """Deprecated since 0.2.0: the boto3 service name, now ``service``.

        (``typing_extensions.deprecated``: type checkers flag the use, Python warns at run time.)
        """
        return self.service


class ServiceError(_Located):
    """AWS answered with an error.

    ``str()`` leads with the request ID, which AWS support asks for first. ``fault`` is
    ``"client"`` for 4xx and ``"server"`` for 5xx.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int | None,
        request_id: str | None,
        operation: str,
        service: str,
        retryable: bool = False,
        retry_after: float | None = None,
        outcome_unknown: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.request_id = request_id
        self.operation = operation
        self.service = service
        self.retry_after = retry_after
        self.outcome_unknown = (
            self.fault == "server" if outcome_unknown is None else outcome_unknown
        )
        self.retryable = retryable

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
            f"{self.operation} ({self.service}): {self.message}"
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

    Accounts that never used those deprecated operations cannot start now; the message says
    what to use instead for the operation refused.
    """


class NotFoundError(ServiceError):
    pass


class MeetingEndedError(NotFoundError):
    """AWS says "The meeting has ended": the meeting existed and ended (deleted, or ended by
    AWS's auto-end rules), as opposed to an ID that never existed. Create a new meeting (see
    ``join_meeting`` in chime-calls docs meetings); a ``ClientRequestToken`` of the ended meeting
    returns the ended meeting again."""


class ConflictError(ServiceError):
    pass


class UnprocessableEntityError(ServiceError):
    pass


class ResourceLimitExceededError(ServiceError):
    """A quota (attendees per meeting, concurrent calls, ...), not a rate: waiting rarely helps."""


class ThrottledError(ServiceError):
    """A rate limit. Retried by the facade, unless it came with a 5xx status on an operation
    that is not idempotent: a server fault may have followed the request's effect."""


class ServiceFailureError(ServiceError):
    pass


class ServiceUnavailableError(ServiceError):
    pass


class InvalidResponseError(_Located):
    """AWS answered with success (2xx), but without what the answer must contain (an ID), or
    with a body that cannot be read.

    The service accepted the request, so its effect may have happened (a call may be ringing)
    with nothing to track it by: ``outcome_unknown`` is true, and ``retryable`` only for
    idempotent operations.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        service: str,
        status_code: int | None,
        request_id: str | None,
        idempotent: bool,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.service = service
        self.status_code = status_code
        self.request_id = request_id
        self.retryable = idempotent
        self.outcome_unknown = True


class TransportError(_Located):
    """No answer from AWS."""

    def __init__(self, message: str, *, operation: str, service: str) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.service = service


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


# --- scrubbing ---------------------------------------------------------------------------------

# A run of digits, possibly punctuated as people write numbers (+1 (425) 555-0199, 425.555.0199)
# or URL-encoded (%2B14255550199); redacted when it holds 7 to 15 digits, like a phone number.
# Runs inside an ID (letters or hyphens around them, as in a GUID) are left alone.
_PHONE_LIKE = (
    r"(?<![0-9A-Za-z_-])(?:\+|%2[bB])?\(?[0-9](?:[0-9]|[ .()-](?=[0-9(]))*[0-9](?![0-9A-Za-z_])"
)


def _phone_or_not(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text) - (2 if text[:3].lower() == "%2b" else 0)
    return "<redacted>" if 7 <= digits <= 15 else text


def _variants(secret: str) -> set[str]:
    """The forms in which a service may echo ``secret`` back."""
    import json  # (not at import: only an error to scrub needs it; the SMA import stays light)

    from chime_calls._rules import scalar_text

    forms = {secret}
    with contextlib.suppress(UnicodeDecodeError):
        forms.add(scalar_text(secret))
    for form in list(forms):
        forms.add(urllib.parse.quote(form.encode("utf-8", "surrogatepass"), safe=""))
        forms.add(urllib.parse.quote_plus(form.encode("utf-8", "surrogatepass"), safe=""))
        forms.add(json.dumps(form)[1:-1])
        forms.add(json.dumps(form, ensure_ascii=False)[1:-1])
    return {f for f in forms if len(f) >= 2}


def scrub(message: str, secrets: Iterable[str]) -> str:
    """Remove sensitive request values (in every form they are echoed, longest first) and
    anything phone-number-like."""
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) >= 2:
            forms |= _variants(secret)
    for form in sorted(forms, key=len, reverse=True):
        message = message.replace(form, "<redacted>")
    return re.sub(_PHONE_LIKE, _phone_or_not, message)  # (compiled once, by re's cache)


# --- translation from botocore -------------------------------------------------------------------

_BY_CODE: dict[str, type[ServiceError]] = {
    "BadRequest": BadRequestError,
    "Validation": BadRequestError,
    "Unauthorized": UnauthorizedError,
    "UnauthorizedClient": UnauthorizedError,
    "Forbidden": ForbiddenError,
    "AccessDenied": ForbiddenError,
    "NotFound": NotFoundError,
    "ResourceNotFound": NotFoundError,  # TagResource & co.: no resource with that ARN
    "Conflict": ConflictError,
    "UnprocessableEntity": UnprocessableEntityError,
    "LimitExceeded": ResourceLimitExceededError,
    "ResourceLimitExceeded": ResourceLimitExceededError,
    "TooManyTags": ResourceLimitExceededError,  # a resource's 50 tags
    "Throttling": ThrottledError,
    "ThrottledClient": ThrottledError,
    "ServiceFailure": ServiceFailureError,
    "ServiceUnavailable": ServiceUnavailableError,
}
_LEGACY_REFUSAL = "not authorized to call deprecated amazon chime sdk api"
_MEETING_ENDED = "the meeting has ended"


def short_code(code: str) -> str:
    """``NotFoundException`` and the body-only ``NotFound`` are the same code."""
    return code[: -len("Exception")] if code.endswith("Exception") else code


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (delay-seconds or an HTTP date), ``None`` when absent."""
    raw: str | None = None
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value
            break
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and math.isfinite(seconds) else None
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def from_client_error(
    exc: Any,
    *,
    operation: str,
    service: str,
    secrets: Iterable[str],
    idempotent: bool,
    legacy_advice: str | None = None,
) -> ServiceError:
    """Translate a botocore ``ClientError`` (duck-typed: ``exc.response``)."""
    response: Mapping[str, Any] = getattr(exc, "response", None) or {}
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "Unknown")
    status = meta.get("HTTPStatusCode")
    status_code = int(status) if status is not None else None
    message = scrub(str(error.get("Message") or ""), secrets)
    cls = _BY_CODE.get(short_code(code), ServiceError)
    if cls is ServiceError and status_code == 429:
        cls = ThrottledError
    elif cls is NotFoundError and _MEETING_ENDED in message.lower():
        cls = MeetingEndedError
    if status_code is not None and 400 <= status_code < 500 and _LEGACY_REFUSAL in message.lower():
        cls = LegacyNamespaceRefusedError
        advice = legacy_advice or (
            "use ChimeCalls(namespace='sdk'), which sends it to the dedicated Amazon Chime SDK "
            "namespace"
        )
        message = (
            f"{message} -- this account cannot use the legacy 'chime' namespace for "
            f"{operation}; {advice} (`chime-calls migrate scan` finds the code to change)"
        )
    server_fault = status_code is not None and status_code >= 500
    # A server fault may have followed the request's effect, whatever code it carries (a 503
    # ThrottledClientException included): the outcome is unknown, and only an idempotent
    # operation may be sent again. A throttle with a 4xx status was refused, so it may.
    outcome_unknown = server_fault
    retryable = idempotent if server_fault else cls is ThrottledError
    return cls(
        message,
        code=code,
        status_code=status_code,
        request_id=meta.get("RequestId") or error.get("RequestId"),
        operation=operation,
        service=service,
        retryable=retryable,
        retry_after=parse_retry_after(meta.get("HTTPHeaders") or {}),
        outcome_unknown=outcome_unknown,
    )


def translate(
    exc: BaseException,
    *,
    operation: str | None = None,
    service: str | None = None,
    secrets: Iterable[str] = (),
    idempotent: bool = False,
    legacy_advice: str | None = None,
) -> ChimeCallsError:
    """The ``ChimeCallsError`` for a botocore exception: the single mapping point.

    Use it for calls you make on ``calls.client(...)`` directly:

        try:
            client.list_attendees(MeetingId=meeting_id)
        except Exception as exc:
            error = chime_calls.errors.translate(exc, operation="ListAttendees")
            raise error from None

    ``operation`` and ``service`` default to what the exception knows; ``secrets`` are values
    to scrub from AWS's message; ``idempotent`` says whether re-sending is safe (it decides
    ``retryable`` after server faults and lost answers); ``legacy_advice`` is what a refusal
    of the legacy namespace should tell the user to do instead. Transport failures are split by
    whether the request can have reached AWS: a refused or timed-out *connect* cannot have
    placed a call; a read timeout or a connection dropped after sending can have, so it is
    reported with ``outcome_unknown``. TLS errors count as the latter, because urllib3 can
    raise them mid-response too, and so does an aiobotocore ``EndpointConnectionError`` that
    wraps a connection reset rather than a failed connect. The result is not chained to
    ``exc``; it keeps it as ``unredacted_cause``.
    """
    error = _translate(exc, operation, service, list(secrets), idempotent, legacy_advice)
    error._unredacted = exc
    return error


def _translate(  # noqa: PLR0917 - one return per family keeps the mapping flat
    exc: BaseException,
    operation: str | None,
    service: str | None,
    secrets: list[str],
    idempotent: bool,
    legacy_advice: str | None,
) -> ChimeCallsError:
    if isinstance(exc, ChimeCallsError):
        return exc
    from botocore import exceptions as bx

    operation = operation or getattr(exc, "operation_name", None)
    where = (
        f"{operation} ({service or 'unknown service'})" if operation else f"the {service} client"
    )
    if isinstance(exc, bx.ClientError):
        return from_client_error(
            exc,
            operation=operation or "(unknown operation)",
            service=service or "(unknown service)",
            secrets=secrets,
            idempotent=idempotent,
            legacy_advice=legacy_advice,
        )
    transport_operation = operation or "(no operation)"
    transport_service = service or "(unknown service)"
    if isinstance(exc, bx.SSLError):
        lost = ResponseLostError(
            f"TLS failure during {where}; the request may have been sent",
            operation=transport_operation,
            service=transport_service,
        )
        lost.retryable = idempotent
        return lost
    reset = _reset_after_connecting(exc)
    if reset is not None or isinstance(exc, bx.HTTPClientError):
        lost = ResponseLostError(
            f"no answer for {where} ({type(reset or exc).__name__}); the request was sent and "
            "may have taken effect",
            operation=transport_operation,
            service=transport_service,
        )
        lost.retryable = idempotent
        return lost
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionError)):
        return ConnectError(
            f"could not connect for {where}: {type(exc).__name__}; nothing was sent",
            operation=transport_operation,
            service=transport_service,
        )
    credential_errors = (
        bx.NoCredentialsError,
        bx.PartialCredentialsError,
        bx.CredentialRetrievalError,
        bx.TokenRetrievalError,
        bx.SSOError,
    )
    if isinstance(exc, credential_errors):
        error: ChimeCallsError = CredentialsError(
            f"no usable AWS credentials for {where}: {type(exc).__name__}"
        )
    elif isinstance(exc, bx.NoRegionError):
        error = ConfigurationError(no_region_message(service or "Chime"))
    elif isinstance(exc, bx.ParamValidationError):
        from chime_calls._rules import Violation

        error = ValidationError([Violation("request", "botocore", scrub(str(exc), secrets))])
    else:
        # Nothing says whether the request left the process (botocore older than 1.35 does
        # not announce an answer before parsing it, so a 2xx with an unreadable body lands
        # here): as unknown as a lost answer.
        error = ChimeCallsError(
            f"{type(exc).__name__} during {where}; the request may have been sent"
        )
        error.outcome_unknown = True
        error.retryable = idempotent
    error.operation = operation
    error.service = service
    return error


def _reset_after_connecting(exc: BaseException) -> BaseException | None:
    """The aiohttp error behind an ``EndpointConnectionError`` raised after connecting.

    botocore raises ``EndpointConnectionError`` only when connecting fails. aiobotocore also
    raises it for any other ``aiohttp.ClientConnectionError``, such as a connection reset
    while the answer is awaited (``ClientOSError: [Errno 104] Connection reset by peer``),
    when the request has gone out. Only ``ClientConnectorError`` (connecting, DNS included)
    proves nothing was sent.
    """
    from botocore.exceptions import EndpointConnectionError

    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is None or not isinstance(exc, EndpointConnectionError):
        return None
    cause = exc.kwargs.get("error")
    if isinstance(cause, aiohttp.ClientConnectionError) and not isinstance(
        cause, aiohttp.ClientConnectorError
    ):
        return cause  # type: ignore[no-any-return]  # aiohttp's exception, untyped here
    return None


def no_region_message(service: str) -> str:
    return (
        f"no AWS region configured for the {service} client: pass ChimeCalls(region_name=...), "
        "set AWS_DEFAULT_REGION, or give a boto3.Session(region_name=...)"
    )


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
