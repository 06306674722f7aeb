"""The :class:`ChimeCalls` facade: validated requests in, typed results or typed errors out."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from chime_calls import errors as _errors
from chime_calls._policy import OperationKind, Pacing, RetryPolicy, _Pacer, kind_of
from chime_calls._version import __version__
from chime_calls.models import (
    Attendee,
    AttendeeCapabilities,
    CreateAttendeeRequest,
    CreateMeetingDialOutRequest,
    CreateMeetingRequest,
    CreateSipMediaApplicationCallRequest,
    DeleteMeetingRequest,
    DialOut,
    DialOutRequest,
    GetMeetingRequest,
    Meeting,
    MeetingDialOut,
    MeetingFeatures,
    NotificationsConfiguration,
    SipMediaApplicationCall,
    Tag,
    UpdateSipMediaApplicationCallRequest,
    _Request,
)
from chime_calls.namespaces import (
    LEGACY,
    LEGACY_REGION,
    NAMESPACES,
    Namespace,
    check_members,
    check_operation,
    service_for,
)
from chime_calls.values import (
    ClientRequestToken,
    ExternalId,
    JoinToken,
    NotificationTarget,
    PhoneNumber,
)

if TYPE_CHECKING:
    import boto3
    from botocore.client import BaseClient
    from botocore.config import Config

__all__ = ["ChimeCalls", "client_config"]

logger = logging.getLogger("chime_calls")
_R = TypeVar("_R")
# (service name, the boto3 client's bound method, botocore OperationModel, operation kind)
_Route = tuple[str, Callable[..., Any], Any, OperationKind]


def client_config(config: Config | None = None) -> Config:
    """The botocore ``Config`` the facade's clients use: yours, with botocore's own retries
    pinned off (the facade retries by operation kind) and a user-agent suffix.

    Use it for clients you create yourself and pass in with ``clients=``.
    """
    from botocore.config import Config

    ours = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        user_agent_extra=f"chime-calls/{__version__}",
    )
    return config.merge(ours) if config is not None else ours


def _own_client_config(config: Config | None) -> Config:
    """:func:`client_config` plus ``parameter_validation=False`` (unless ``config`` sets it),
    for the clients the facade creates itself and never hands a request it has not validated.

    botocore's ParamValidator checks types, required members, minimum lengths and sizes and
    unknown members; the request models check all of that and more before anything is sent
    (tests/test_param_validation_proof.py proves it per wrapped operation), so a second pass
    only costs time. Clients passed in with ``clients=`` are left exactly as they are.
    """
    from botocore.config import Config

    return Config(parameter_validation=False).merge(client_config(config))


def _max_attempts(client: Any) -> int | None:
    retries = getattr(client.meta.config, "retries", None) or {}
    if "total_max_attempts" in retries:
        return int(retries["total_max_attempts"])
    if "max_attempts" in retries:
        return int(retries["max_attempts"]) + 1
    return None


class ChimeCalls:
    """One facade over the Chime namespaces.

    ``namespace="sdk"`` (default) sends meetings operations to ``chime-sdk-meetings``, voice
    operations to ``chime-sdk-voice`` and ``CreateMeetingDialOut`` (which has no dedicated
    equivalent) to the legacy ``chime`` client; ``namespace="legacy"`` sends everything to
    ``chime`` in us-east-1. Clients are created lazily, only those an operation needs, once,
    thread-safely; the facade is safe to share between threads.

    Pass a ``session`` (a ``boto3.Session``) or ready-made ``clients`` keyed by service name
    (``"chime-sdk-meetings"``, ``"chime-sdk-voice"``, ``"chime"``). Ready-made clients should
    be created with :func:`client_config` so botocore does not retry behind the facade's back;
    one that would is refused with :class:`~chime_calls.ConfigurationError`.

    ``sip_media_application_id`` is the SIP media application :meth:`dial_out` uses in the SDK
    namespace (docs/dial-out.md).
    """

    def __init__(
        self,
        *,
        session: boto3.Session | None = None,
        namespace: Namespace = "sdk",
        region_name: str | None = None,
        config: Config | None = None,
        clients: Mapping[str, BaseClient] | None = None,
        retry: RetryPolicy | None = None,
        pacing: Pacing | None = None,
        sip_media_application_id: str | None = None,
    ) -> None:
        if namespace not in NAMESPACES:
            raise _errors.ConfigurationError(
                f"namespace must be one of {', '.join(NAMESPACES)}, not {namespace!r}"
            )
        self.namespace: Namespace = namespace
        self.retry = retry if retry is not None else RetryPolicy()
        self.pacing = pacing
        self.sip_media_application_id = sip_media_application_id
        self._session = session
        self._region_name = region_name
        self._config = _own_client_config(config)
        self._clients: dict[str, BaseClient] = {}
        self._routes: dict[tuple[str, str], _Route] = {}
        for service, client in (clients or {}).items():
            attempts = _max_attempts(client)
            if attempts is None or attempts > 1:
                raise _errors.ConfigurationError(
                    f"the {service!r} client lets botocore retry on its own, which can re-send a "
                    "call-placing request; create it with config=chime_calls.client_config()"
                )
            self._clients[service] = client
        self._lock = threading.Lock()
        self._pacer = _Pacer(pacing)
        self._rng = random.Random()  # noqa: S311 - jitter, not cryptography
        self._sleep: Callable[[float], None] = time.sleep

    def __repr__(self) -> str:
        return f"ChimeCalls(namespace={self.namespace!r}, region_name={self._region_name!r})"

    # --- clients ---------------------------------------------------------------------------

    def client(self, service: str) -> BaseClient:
        """The boto3 client for ``service``, created on first use with :func:`client_config`.

        A client the facade created skips botocore's parameter validation (the facade's
        models check more, before sending). Calling operations the facade does not wrap on it
        directly leaves their checking to the service; pass ``config=Config(
        parameter_validation=True)`` to the facade to keep botocore's pass everywhere.
        """
        existing = self._clients.get(service)
        if existing is not None:
            return existing
        with self._lock:
            existing = self._clients.get(service)
            if existing is None:
                existing = self._create_client(service)
                self._clients[service] = existing
            return existing

    def _create_client(self, service: str) -> BaseClient:
        if self._session is None:
            import boto3

            self._session = boto3.session.Session()
        region = LEGACY_REGION if service == LEGACY else self._region_name
        try:
            return self._session.client(service, region_name=region, config=self._config)  # type: ignore[call-overload,no-any-return]
        except Exception as exc:
            raise _errors.from_botocore(
                exc, operation="(client)", namespace=service, secrets=(), idempotent=False
            ) from exc

    # --- the pipeline --------------------------------------------------------------------------

    def send(self, request: _Request) -> Any:
        """Send any request model; the typed methods below are thin wrappers around this."""
        if isinstance(request, DialOutRequest):
            return self._dial_out(request)
        parse = _PARSERS[type(request)]
        return self._invoke(request, parse)

    def _route(self, namespace: Namespace, operation: str) -> _Route:
        """Service, bound client method and operation model for ``operation``: looked up and
        checked against the installed model once per namespace, then reused."""
        key = (namespace, operation)
        route = self._routes.get(key)
        if route is None:
            service = service_for(namespace, operation)
            client = self.client(service)
            service_model = client.meta.service_model
            check_operation(service_model, operation, namespace)
            route = (
                service,
                getattr(client, _snake(operation)),
                service_model.operation_model(operation),
                kind_of(operation),
            )
            self._routes[key] = route
        return route

    def _invoke(self, request: _Request, parse: Callable[[_Request, Any], _R]) -> _R:
        namespace = self.namespace
        operation = request.operation
        request.validate_for(namespace)
        service, method, operation_model, kind = self._route(namespace, operation)
        params = request.to_params()
        check_members(operation_model, params, namespace, service)
        idempotent = kind is OperationKind.IDEMPOTENT
        secrets: list[str] | None = None  # computed only if an error message needs scrubbing
        outcome_was_unknown = False
        attempt = 0
        while True:
            attempt += 1
            self._pacer.acquire(operation)
            started = time.perf_counter()
            try:
                response = method(**params)
            except Exception as exc:
                latency = (time.perf_counter() - started) * 1000
                if secrets is None:
                    secrets = request.sensitive_values()
                error = _errors.from_botocore(
                    exc,
                    operation=operation,
                    namespace=service,
                    secrets=secrets,
                    idempotent=idempotent,
                )
                request_id = getattr(error, "request_id", None)
                if (
                    outcome_was_unknown
                    and operation == "DeleteMeeting"
                    and isinstance(error, _errors.NotFoundError)
                ):
                    # An earlier attempt may have deleted it; the goal state holds.
                    self._log(
                        operation,
                        service,
                        attempt=attempt,
                        latency_ms=latency,
                        request_id=request_id,
                        outcome="gone-after-retry",
                    )
                    return parse(request, {})
                delay = None
                if error.retryable and attempt < self.retry.max_attempts:
                    delay = self.retry.delay(
                        attempt, getattr(error, "retry_after", None), self._rng
                    )
                outcome = type(error).__name__
                if delay is None:
                    self._log(
                        operation,
                        service,
                        attempt=attempt,
                        latency_ms=latency,
                        request_id=request_id,
                        outcome=outcome,
                    )
                    if error.outcome_unknown and kind is OperationKind.CALL_PLACING:
                        logger.warning(
                            "%s (%s): outcome unknown after attempt %d (%s); the call may have "
                            "been placed and is NOT being re-sent",
                            operation,
                            service,
                            attempt,
                            outcome,
                            extra={"chime_operation": operation, "chime_namespace": service},
                        )
                    raise error from exc
                outcome_was_unknown = outcome_was_unknown or error.outcome_unknown
                self._log(
                    operation,
                    service,
                    attempt=attempt,
                    latency_ms=latency,
                    request_id=request_id,
                    outcome=f"{outcome}; retry",
                )
                self._sleep(delay)
                continue
            if logger.isEnabledFor(logging.DEBUG):
                self._log(
                    operation,
                    service,
                    attempt=attempt,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    request_id=(response.get("ResponseMetadata") or {}).get("RequestId"),
                    outcome="ok",
                )
            return parse(request, response)

    @staticmethod
    def _log(
        operation: str,
        namespace: str,
        *,
        attempt: int,
        latency_ms: float,
        request_id: str | None,
        outcome: str,
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s (%s) attempt %d: %s in %.1f ms, request %s",
                operation,
                namespace,
                attempt,
                outcome,
                latency_ms,
                request_id,
                extra={
                    "chime_operation": operation,
                    "chime_namespace": namespace,
                    "chime_attempt": attempt,
                    "chime_latency_ms": latency_ms,
                    "chime_request_id": request_id,
                    "chime_outcome": outcome,
                },
            )

    # --- operations ----------------------------------------------------------------------------

    def create_meeting(
        self,
        *,
        external_meeting_id: str | ExternalId | None = None,
        media_region: str | None = None,
        meeting_host_id: str | ExternalId | None = None,
        notifications_configuration: NotificationsConfiguration
        | Mapping[str, str | NotificationTarget]
        | None = None,
        meeting_features: MeetingFeatures | Mapping[str, Any] | None = None,
        primary_meeting_id: str | None = None,
        tenant_ids: Iterable[str] | None = None,
        tags: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None = None,
        media_placement_network_type: str | None = None,
        client_request_token: str | ClientRequestToken | None = None,
    ) -> Meeting:
        """Create a meeting (``CreateMeeting``).

        The idempotency token is generated before the first attempt when not given and reused
        on every retry; it is on the result (``meeting.client_request_token``) so a later retry
        of your own can reuse it and get the same meeting back.
        """
        kwargs: dict[str, Any] = {}
        if client_request_token is not None:
            kwargs["client_request_token"] = client_request_token
        request = CreateMeetingRequest(
            external_meeting_id=external_meeting_id,
            media_region=media_region,
            meeting_host_id=meeting_host_id,
            notifications_configuration=notifications_configuration,
            meeting_features=meeting_features,
            primary_meeting_id=primary_meeting_id,
            tenant_ids=tenant_ids,
            tags=tags,
            media_placement_network_type=media_placement_network_type,
            **kwargs,
        )
        result: Meeting = self.send(request)
        return result

    def create_attendee(
        self,
        *,
        meeting_id: str,
        external_user_id: str | ExternalId,
        capabilities: AttendeeCapabilities | Mapping[str, str] | None = None,
    ) -> Attendee:
        """Add an attendee (``CreateAttendee``); the result carries its join token."""
        request = CreateAttendeeRequest(
            meeting_id=meeting_id, external_user_id=external_user_id, capabilities=capabilities
        )
        result: Attendee = self.send(request)
        return result

    def get_meeting(self, *, meeting_id: str) -> Meeting:
        """Describe a meeting (``GetMeeting``); a deleted or unknown one is NotFoundError."""
        result: Meeting = self.send(GetMeetingRequest(meeting_id=meeting_id))
        return result

    def delete_meeting(self, *, meeting_id: str) -> None:
        """End a meeting for everyone (``DeleteMeeting``)."""
        self.send(DeleteMeetingRequest(meeting_id=meeting_id))

    def create_meeting_dial_out(
        self,
        *,
        meeting_id: str,
        from_phone_number: str | PhoneNumber,
        to_phone_number: str | PhoneNumber,
        join_token: str | JoinToken,
    ) -> MeetingDialOut:
        """Ring a phone into a meeting (legacy ``CreateMeetingDialOut``, in every namespace).

        AWS refuses it for accounts that never used the legacy API
        (:class:`~chime_calls.LegacyNamespaceRefusedError`); the SIP media application path is
        the replacement (docs/dial-out.md).
        """
        request = CreateMeetingDialOutRequest(
            meeting_id=meeting_id,
            from_phone_number=from_phone_number,
            to_phone_number=to_phone_number,
            join_token=join_token,
        )
        result: MeetingDialOut = self.send(request)
        return result

    def dial_out(
        self,
        *,
        meeting_id: str,
        from_phone_number: str | PhoneNumber,
        to_phone_number: str | PhoneNumber,
        join_token: str | JoinToken,
        correlation_id: str | None = None,
    ) -> DialOut:
        """Ring a phone into a meeting by the path this namespace has.

        ``namespace="legacy"``: ``CreateMeetingDialOut``. ``namespace="sdk"``:
        ``CreateSipMediaApplicationCall`` on the facade's ``sip_media_application_id``, with the
        meeting ID, join token and correlation ID in ``ArgumentsMap`` for the application's
        Lambda (``chime_calls.sma.dial_out_handler`` implements the other half). Either way it
        is call-placing: never re-sent after an ambiguous failure.
        """
        kwargs = {} if correlation_id is None else {"correlation_id": correlation_id}
        request = DialOutRequest(
            meeting_id=meeting_id,
            from_phone_number=from_phone_number,
            to_phone_number=to_phone_number,
            join_token=join_token,
            **kwargs,
        )
        return self._dial_out(request)

    def _dial_out(self, request: DialOutRequest) -> DialOut:
        request.validate_for(self.namespace)
        if self.namespace == "legacy":
            legacy: MeetingDialOut = self.send(request.to_legacy())
            return DialOut(
                transaction_id=legacy.transaction_id,
                path="legacy",
                correlation_id=request.correlation_id,
            )
        if not self.sip_media_application_id:
            raise _errors.ConfigurationError(
                "dial_out in the SDK namespace goes through a SIP media application: pass "
                "ChimeCalls(sip_media_application_id=...) (see docs/dial-out.md), or use "
                "create_meeting_dial_out() for the legacy CreateMeetingDialOut"
            )
        call: SipMediaApplicationCall = self.send(
            request.to_sip_media_application_call(self.sip_media_application_id)
        )
        return DialOut(
            transaction_id=call.transaction_id,
            path="sip-media-application",
            correlation_id=request.correlation_id,
        )

    def create_sip_media_application_call(
        self,
        *,
        sip_media_application_id: str,
        from_phone_number: str | PhoneNumber,
        to_phone_number: str | PhoneNumber,
        sip_headers: Mapping[str, str] | None = None,
        arguments_map: Mapping[str, str] | None = None,
    ) -> SipMediaApplicationCall:
        """Place an outbound call through a SIP media application."""
        request = CreateSipMediaApplicationCallRequest(
            sip_media_application_id=sip_media_application_id,
            from_phone_number=from_phone_number,
            to_phone_number=to_phone_number,
            sip_headers=sip_headers,
            arguments_map=arguments_map,
        )
        result: SipMediaApplicationCall = self.send(request)
        return result

    def update_sip_media_application_call(
        self,
        *,
        transaction_id: str,
        arguments: Mapping[str, str],
        sip_media_application_id: str | None = None,
    ) -> SipMediaApplicationCall:
        """Hand new arguments to a running call's Lambda (``CALL_UPDATE_REQUESTED``).

        ``sip_media_application_id`` defaults to the facade's, so a call placed with
        :meth:`dial_out` is updated with just its ``transaction_id``.
        """
        application = (
            self.sip_media_application_id
            if sip_media_application_id is None
            else sip_media_application_id
        )
        if application is None:
            raise _errors.ConfigurationError(
                "update_sip_media_application_call needs sip_media_application_id=, or "
                "ChimeCalls(sip_media_application_id=...)"
            )
        request = UpdateSipMediaApplicationCallRequest(
            sip_media_application_id=application,
            transaction_id=transaction_id,
            arguments=arguments,
        )
        result: SipMediaApplicationCall = self.send(request)
        return result


def _snake(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))


def _parse_meeting(request: _Request, response: Any) -> Meeting:
    token = request.client_request_token if isinstance(request, CreateMeetingRequest) else None
    return Meeting.from_aws(response.get("Meeting") or {}, client_request_token=token)


def _parse_attendee(request: _Request, response: Any) -> Attendee:
    return Attendee.from_aws(response.get("Attendee") or {})


def _parse_nothing(request: _Request, response: Any) -> None:
    return None


def _parse_dial_out(request: _Request, response: Any) -> MeetingDialOut:
    return MeetingDialOut(transaction_id=str(response.get("TransactionId", "")))


def _parse_sma_call(request: _Request, response: Any) -> SipMediaApplicationCall:
    call = response.get("SipMediaApplicationCall") or {}
    return SipMediaApplicationCall(transaction_id=str(call.get("TransactionId", "")))


_PARSERS: Mapping[type[_Request], Callable[[_Request, Any], Any]] = {
    CreateMeetingRequest: _parse_meeting,
    GetMeetingRequest: _parse_meeting,
    DeleteMeetingRequest: _parse_nothing,
    CreateAttendeeRequest: _parse_attendee,
    CreateMeetingDialOutRequest: _parse_dial_out,
    CreateSipMediaApplicationCallRequest: _parse_sma_call,
    UpdateSipMediaApplicationCallRequest: _parse_sma_call,
}
