"""The ``ChimeCalls`` facade: validated requests in, typed results or typed errors out.

Importing this module loads neither boto3 nor the models (``chime-calls docs benchmarks``): the
request and result types, their generated constraints and the pipeline load when the first
facade is built, and each boto3 client when the first operation that needs it is sent.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from chime_calls import _redaction
from chime_calls import errors as _errors
from chime_calls._operations import CallOperations, MeetingOperations, Paging, VoiceGroups
from chime_calls._ops import Sync
from chime_calls._version import __version__
from chime_calls.namespaces import LEGACY, LEGACY_REGION, NAMESPACES, SERVICES, Namespace

if TYPE_CHECKING:
    import boto3  # noqa: F401 - named in a string in ChimeCalls's bases
    from botocore.client import BaseClient
    from botocore.config import Config

    from chime_calls import _pipeline, models
    from chime_calls._clock import Clock
    from chime_calls._policy import Pacing, RetryPolicy
    from chime_calls._spec import Request
    from chime_calls.models import (
        DialOut,
        DialOutRequest,
        MeetingDialOut,
        SipMediaApplicationCall,
        UpdateSipMediaApplicationCallRequest,
    )
    from chime_calls.values import (
        JoinToken,
        PhoneNumber,
    )
else:
    _pipeline = models = None  # loaded by _load(), when the first facade is built

__all__ = ["ChimeCalls", "client_config"]

R = TypeVar("R")
SessionT = TypeVar("SessionT")
ClientT = TypeVar("ClientT")
# botocore's own region check (botocore.utils.validate_region_name), before any client exists.
_REGION = r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$"


def _load() -> None:
    global _pipeline, models
    if _pipeline is None:
        from chime_calls import _pipeline as pipeline
        from chime_calls import models as model_types

        _pipeline, models = pipeline, model_types


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
    """``client_config`` plus ``parameter_validation=False`` (unless ``config`` sets it),
    for the clients the facade creates itself and never hands a request it has not validated.

    botocore's ParamValidator checks types, required members, minimum lengths and sizes and
    unknown members; the request models check all of that and more before anything is sent
    (tests/test_param_validation_proof.py proves it for every request type), so a second pass
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


def _misconfigured(
    parameter: str, takes: str, value: object, facade: str = "ChimeCalls"
) -> TypeError:
    return TypeError(f"{facade}({parameter}=...) takes {takes}, not {type(value).__name__}")


class _Facade(Generic[SessionT, ClientT]):
    """The settings and decisions ``ChimeCalls`` and ``AsyncChimeCalls`` share: every
    parameter checked at construction, the route cache, the retry and pacing policy, and the
    requests the hand-written methods build. The two differ only in how they send and wait
    (``SessionT`` and ``ClientT`` are boto3's or aiobotocore's session and client types)."""

    #: what ``session=`` must have: the method that creates a client, and how to call the type
    _session_method = "client"
    _session_kind = "a boto3.Session"
    #: the lock that makes each client be created once (a thread lock, or an asyncio one)
    _new_lock: Callable[[], Any] = threading.Lock
    #: how the facade waits on its clock (``Clock.sleep``, or ``Clock.asleep``)
    _clock_wait = "sleep"

    def __init__(
        self,
        *,
        session: SessionT | None = None,
        namespace: Namespace = "sdk",
        region_name: str | None = None,
        config: Config | None = None,
        clients: Mapping[str, ClientT] | None = None,
        retry: RetryPolicy | None = None,
        pacing: Pacing | None = None,
        sip_media_application_id: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        _load()
        from chime_calls._policy import Pacer, Pacing, RetryPolicy

        if namespace not in NAMESPACES:
            raise _errors.ConfigurationError(
                f"namespace must be one of {', '.join(map(repr, NAMESPACES))}, not {namespace!r}"
            )
        facade = type(self).__name__
        if session is not None and not callable(getattr(session, self._session_method, None)):
            raise _misconfigured("session", self._session_kind, session, facade)
        if region_name is not None:
            if not isinstance(region_name, str):
                raise _misconfigured(
                    "region_name", "a region name such as 'eu-west-2'", region_name, facade
                )
            if not re.match(_REGION, region_name):
                raise _errors.ConfigurationError(
                    f"region_name {region_name!r} is not a valid AWS region name "
                    "(letters, digits and hyphens, e.g. 'eu-west-2')"
                )
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise _misconfigured("retry", "a chime_calls.RetryPolicy", retry, facade)
        if pacing is not None and not isinstance(pacing, Pacing):
            raise _misconfigured("pacing", "a chime_calls.Pacing", pacing, facade)
        wait = self._clock_wait
        if clock is not None and not (
            callable(getattr(clock, "monotonic", None)) and callable(getattr(clock, wait, None))
        ):
            raise _misconfigured("clock", f"a clock (monotonic, time, {wait})", clock, facade)
        if sip_media_application_id is not None:
            _check_application_id(sip_media_application_id)
        self.namespace: Namespace = namespace
        self.retry = retry if retry is not None else RetryPolicy()
        self.pacing = pacing
        self.sip_media_application_id = sip_media_application_id
        self._session = session
        self._region_name = region_name
        self._config = _own_client_config(_checked_config(config, facade))
        self._clock = clock
        self._clients: dict[str, ClientT] = {}
        self._routes: dict[tuple[str, str], _pipeline.Route] = {}
        for service, client in _checked_clients(clients, facade).items():
            attempts = _max_attempts(client)
            if attempts is None or attempts > 1:
                raise _errors.ConfigurationError(
                    f"the {service!r} client lets botocore retry on its own, which can re-send a "
                    "call-placing request; create it with config=chime_calls.client_config()"
                )
            client.meta.events.register("before-parse", _pipeline.note_status)
            self._clients[service] = client
        self._policy = _pipeline.Policy(self.retry, Pacer(pacing) if pacing is not None else None)
        self._lock = type(self)._new_lock()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(namespace={self.namespace!r}, "
            f"region_name={self._region_name!r})"
        )

    def _region_for(self, service: str) -> str | None:
        return LEGACY_REGION if service == LEGACY else self._region_name

    # --- what the hand-written methods send -----------------------------------------------

    def _dial_out_request(self, request: DialOutRequest) -> Request[Any]:
        """The request ``dial_out`` sends in this namespace (its transaction ID is the call's)."""
        request.validate_for(self.namespace)
        if self.namespace == "legacy":
            return request.to_legacy()
        if not self.sip_media_application_id:
            raise _errors.ConfigurationError(
                "dial_out in the SDK namespace goes through a SIP media application: pass "
                f"{type(self).__name__}(sip_media_application_id=...) "
                "(see 'chime-calls docs dial-out'), "
                "or use create_meeting_dial_out() for the legacy CreateMeetingDialOut"
            )
        return request.to_sip_media_application_call(self.sip_media_application_id)

    def _dialled(
        self, request: DialOutRequest, placed: MeetingDialOut | SipMediaApplicationCall
    ) -> DialOut:
        return models.DialOut(
            transaction_id=placed.transaction_id,
            path="legacy" if self.namespace == "legacy" else "sip-media-application",
            correlation_id=request.correlation_id,
        )

    def _update_request(
        self,
        transaction_id: str,
        arguments: Mapping[str, str],
        sip_media_application_id: str | None,
    ) -> UpdateSipMediaApplicationCallRequest:
        application = (
            self.sip_media_application_id
            if sip_media_application_id is None
            else sip_media_application_id
        )
        if application is None:
            raise _errors.ConfigurationError(
                "update_sip_media_application_call needs sip_media_application_id=, or "
                f"{type(self).__name__}(sip_media_application_id=...)"
            )
        return models.UpdateSipMediaApplicationCallRequest(
            sip_media_application_id=application,
            transaction_id=transaction_id,
            arguments=arguments,
        )


class ChimeCalls(
    _Facade["boto3.Session", "BaseClient"],
    MeetingOperations[Sync],
    CallOperations[Sync],
    VoiceGroups[Sync],
    Paging[Sync],
):
    """One facade over the Chime namespaces.

    ``namespace="sdk"`` (default) sends meetings operations to ``chime-sdk-meetings``, voice
    operations to ``chime-sdk-voice`` and ``CreateMeetingDialOut`` (which has no dedicated
    equivalent) to the legacy ``chime`` client; ``namespace="legacy"`` sends everything to
    ``chime`` in us-east-1. Clients are created lazily, only those an operation needs, once,
    thread-safely; the facade is safe to share between threads.

    Pass a ``session`` (a ``boto3.Session``) or ready-made ``clients`` keyed by service name
    (``"chime-sdk-meetings"``, ``"chime-sdk-voice"``, ``"chime"``). Ready-made clients should
    be created with ``client_config`` so botocore does not retry behind the facade's back;
    one that would is refused with ``ConfigurationError``.

    Each operation is a method taking its request type's keyword arguments and returning its
    result type (``create_meeting``, ``get_meeting``, ...; chime-calls docs api lists them), and
    ``send`` takes any request object. ``sip_media_application_id`` is the SIP media
    application ``dial_out`` uses in the SDK namespace (chime-calls docs dial-out). ``clock`` is
    what retries and pacing wait on: by default the system clock, or the virtual clock of an
    active ``chime_calls.testing.mock_chime``. Every parameter is checked here, not at the
    first call.
    """

    # --- clients ---------------------------------------------------------------------------

    def client(self, service: str) -> BaseClient:
        """The boto3 client for ``service``, created on first use with ``client_config``.

        A client the facade created skips botocore's parameter validation (the facade's
        models check more, before sending). Calling operations the facade does not wrap on it
        directly leaves their checking to the service; pass ``config=Config(
        parameter_validation=True)`` to the facade to keep botocore's pass everywhere, and
        turn its errors into this package's with ``chime_calls.errors.translate``.
        """
        existing = self._clients.get(service)
        if existing is not None:
            return existing
        if service not in SERVICES:
            raise _errors.ConfigurationError(
                f"no Chime service {service!r}; one of {', '.join(SERVICES)}"
            )
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
        error: _errors.ChimeCallsError | None = None
        try:
            client: BaseClient = self._session.client(  # type: ignore[call-overload]
                service, region_name=self._region_for(service), config=self._config
            )
        except Exception as exc:  # noqa: BLE001 - every botocore failure is translated
            error = _client_error(exc, service)
        if error is not None:
            raise error  # (outside the handler: nothing chained)
        client.meta.events.register("before-parse", _pipeline.note_status)
        return client

    # --- the pipeline --------------------------------------------------------------------------

    def send(self, request: Request[R]) -> R:
        """Send any request type; the typed methods below are thin wrappers around this.

        ``send(GetMeetingRequest(meeting_id=...))`` returns a ``Meeting``,
        as its type says (``Request[Meeting]``).
        """
        spec = _pipeline.spec_of(request)
        if not spec.services:  # a request no AWS operation takes as is (dial-out)
            return self._dial_out(request)  # type: ignore[arg-type,return-value]
        namespace = self.namespace
        prepared = _pipeline.prepare(request, spec, namespace)
        route = self._routes.get((namespace, spec.operation)) or self._route(prepared)
        params = request.to_params()
        if route.unmodelled:
            _pipeline.check_modelled(route, params, prepared)
        clock = self._clock or _pipeline.current_clock()
        exchange = _pipeline.Exchange(prepared, params, self._policy, clock)
        method = route.method
        # botocore logs the request and the answer at DEBUG: a RedactingFilter needs to know
        # this request's secrets while it is in flight
        redacting = _redaction.enter(request.sensitive_values) if _redaction.active else None
        try:
            while True:
                wait = exchange.pace()
                if wait:
                    clock.sleep(wait)
                try:
                    response = method(**params)
                except Exception as exc:  # noqa: BLE001 - translated by the exchange
                    step = exchange.failed(exc)
                else:
                    step = exchange.succeeded(response)
                if step.retry_in is not None:
                    clock.sleep(step.retry_in)
                    continue
                if step.error is not None:
                    raise step.error  # (outside the handler: nothing chained)
                result: R = step.result
                return result
        finally:
            if redacting is not None:
                _redaction.leave(redacting)

    def _route(self, prepared: _pipeline.Prepared) -> _pipeline.Route:
        """Client method and installed operation model of a prepared request: looked up and
        checked against the installed model once per namespace and operation, then reused."""
        key = (prepared.namespace, prepared.spec.operation)
        route = self._routes.get(key)
        if route is None:
            route = _pipeline.make_route(prepared, self.client(prepared.service))
            self._routes[key] = route
        return route

    # --- operations ----------------------------------------------------------------------------

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
        return self._dial_out(
            models.DialOutRequest(
                meeting_id=meeting_id,
                from_phone_number=from_phone_number,
                to_phone_number=to_phone_number,
                join_token=join_token,
                **kwargs,
            )
        )

    def _dial_out(self, request: DialOutRequest) -> DialOut:
        return self._dialled(request, self.send(self._dial_out_request(request)))

    def update_sip_media_application_call(
        self,
        *,
        transaction_id: str,
        arguments: Mapping[str, str],
        sip_media_application_id: str | None = None,
    ) -> SipMediaApplicationCall:
        """Hand new arguments to a running call's Lambda (``CALL_UPDATE_REQUESTED``).

        ``sip_media_application_id`` defaults to the facade's, so a call placed with
        ``dial_out`` is updated with just its ``transaction_id``.
        """
        return self.send(self._update_request(transaction_id, arguments, sip_media_application_id))


def _checked_config(config: object, facade: str) -> Config | None:
    if config is None:
        return None
    from botocore.config import Config

    if not isinstance(config, Config):
        raise _misconfigured("config", "a botocore.config.Config", config, facade)
    return config


def _checked_clients(clients: object, facade: str) -> Mapping[str, Any]:
    if clients is None:
        return {}
    if not isinstance(clients, Mapping):
        raise _misconfigured("clients", "a mapping of service name to client", clients, facade)
    for service, client in clients.items():
        if service not in SERVICES:
            import difflib

            close = difflib.get_close_matches(str(service), SERVICES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _errors.ConfigurationError(
                f"clients: {service!r} is not a Chime service (one of {', '.join(SERVICES)}){hint}"
            )
        meta: Any = getattr(client, "meta", None)
        if getattr(meta, "service_model", None) is None:
            raise _misconfigured(f"clients[{service!r}]", "a client", client, facade)
        if meta.service_model.service_name != service:
            raise _errors.ConfigurationError(
                f"clients[{service!r}] is a {meta.service_model.service_name!r} client"
            )
    return clients


def _check_application_id(value: object) -> None:
    from chime_calls._rules import Violation, rule_for

    out: list[Violation] = []
    rule_for("chime-sdk-voice", "NonEmptyString").check(value, "sip_media_application_id", out)
    if not out and isinstance(value, str) and value in (".", ".."):
        out.append(
            Violation("sip_media_application_id", "path_segment", "must not be a dot segment")
        )
    if out:
        raise _errors.ValidationError(out)


def _client_error(exc: Exception, service: str) -> _errors.ChimeCallsError:
    from botocore import exceptions as bx

    if isinstance(exc, bx.InvalidRegionError):
        error: _errors.ChimeCallsError = _errors.ConfigurationError(
            f"cannot create the {service} client: the configured region is not a valid AWS "
            "region name; check ChimeCalls(region_name=...), AWS_DEFAULT_REGION or "
            "boto3.Session(region_name=...)"
        )
        error._unredacted = exc
        error.service = service
        return error
    return _errors.translate(exc, service=service)


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
