"""The :class:`ChimeCalls` facade: validated requests in, typed results or typed errors out.

Importing this module loads neither boto3 nor the models (``docs/benchmarks.md``): the request
and result types, their generated constraints and the pipeline load when the first facade is
built, and each boto3 client when the first operation that needs it is sent.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from chime_calls import errors as _errors
from chime_calls._operations import CallOperations, MeetingOperations
from chime_calls._ops import Sync, lazy_module
from chime_calls._version import __version__
from chime_calls.namespaces import LEGACY, LEGACY_REGION, NAMESPACES, SERVICES, Namespace

if TYPE_CHECKING:
    import boto3
    from botocore.client import BaseClient
    from botocore.config import Config

    from chime_calls import _pipeline, models
    from chime_calls._clock import Clock
    from chime_calls._policy import Pacing, RetryPolicy
    from chime_calls._spec import Request
    from chime_calls.models import (
        DialOut,
        DialOutRequest,
        SipMediaApplicationCall,
    )
    from chime_calls.values import (
        JoinToken,
        PhoneNumber,
    )
    from chime_calls.voice import _groups as voice
else:
    _pipeline = models = None  # loaded by _load(), when the first facade is built
    voice = lazy_module("chime_calls.voice._groups")

__all__ = ["ChimeCalls", "client_config"]

R = TypeVar("R")
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
    """:func:`client_config` plus ``parameter_validation=False`` (unless ``config`` sets it),
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


def _misconfigured(parameter: str, takes: str, value: object) -> TypeError:
    return TypeError(f"ChimeCalls({parameter}=...) takes {takes}, not {type(value).__name__}")


class ChimeCalls(MeetingOperations[Sync], CallOperations[Sync]):
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

    Each operation is a method taking its request type's keyword arguments and returning its
    result type (``create_meeting``, ``get_meeting``, ...; docs/api.md lists them), and
    :meth:`send` takes any request object. ``sip_media_application_id`` is the SIP media
    application :meth:`dial_out` uses in the SDK namespace (docs/dial-out.md). ``clock`` is
    what retries and pacing wait on: by default the system clock, or the virtual clock of an
    active :func:`chime_calls.testing.mock_chime`. Every parameter is checked here, not at the
    first call.
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
        clock: Clock | None = None,
    ) -> None:
        _load()
        from chime_calls._policy import Pacer, Pacing, RetryPolicy

        if namespace not in NAMESPACES:
            raise _errors.ConfigurationError(
                f"namespace must be one of {', '.join(map(repr, NAMESPACES))}, not {namespace!r}"
            )
        if session is not None and not callable(getattr(session, "client", None)):
            raise _misconfigured("session", "a boto3.Session", session)
        if region_name is not None:
            if not isinstance(region_name, str):
                raise _misconfigured(
                    "region_name", "a region name such as 'eu-west-2'", region_name
                )
            if not re.match(_REGION, region_name):
                raise _errors.ConfigurationError(
                    f"region_name {region_name!r} is not a valid AWS region name "
                    "(letters, digits and hyphens, e.g. 'eu-west-2')"
                )
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise _misconfigured("retry", "a chime_calls.RetryPolicy", retry)
        if pacing is not None and not isinstance(pacing, Pacing):
            raise _misconfigured("pacing", "a chime_calls.Pacing", pacing)
        if clock is not None and not (
            callable(getattr(clock, "monotonic", None)) and callable(getattr(clock, "sleep", None))
        ):
            raise _misconfigured("clock", "a clock (monotonic, time, sleep)", clock)
        if sip_media_application_id is not None:
            _check_application_id(sip_media_application_id)
        self.namespace: Namespace = namespace
        self.retry = retry if retry is not None else RetryPolicy()
        self.pacing = pacing
        self.sip_media_application_id = sip_media_application_id
        self._session = session
        self._region_name = region_name
        self._config = _own_client_config(_checked_config(config))
        self._clock = clock
        self._clients: dict[str, BaseClient] = {}
        self._routes: dict[tuple[str, str], _pipeline.Route] = {}
        for service, client in _checked_clients(clients).items():
            attempts = _max_attempts(client)
            if attempts is None or attempts > 1:
                raise _errors.ConfigurationError(
                    f"the {service!r} client lets botocore retry on its own, which can re-send a "
                    "call-placing request; create it with config=chime_calls.client_config()"
                )
            client.meta.events.register("before-parse", _pipeline.note_status)
            self._clients[service] = client
        self._lock = threading.Lock()
        self._policy = _pipeline.Policy(self.retry, Pacer(pacing) if pacing is not None else None)

    def __repr__(self) -> str:
        return f"ChimeCalls(namespace={self.namespace!r}, region_name={self._region_name!r})"

    # --- clients ---------------------------------------------------------------------------

    def client(self, service: str) -> BaseClient:
        """The boto3 client for ``service``, created on first use with :func:`client_config`.

        A client the facade created skips botocore's parameter validation (the facade's
        models check more, before sending). Calling operations the facade does not wrap on it
        directly leaves their checking to the service; pass ``config=Config(
        parameter_validation=True)`` to the facade to keep botocore's pass everywhere, and
        turn its errors into this package's with :func:`chime_calls.errors.translate`.
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
        region = LEGACY_REGION if service == LEGACY else self._region_name
        error: _errors.ChimeCallsError | None = None
        try:
            client: BaseClient = self._session.client(  # type: ignore[call-overload]
                service, region_name=region, config=self._config
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

        ``send(GetMeetingRequest(meeting_id=...))`` returns a :class:`~chime_calls.Meeting`,
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

    def _route(self, prepared: _pipeline.Prepared) -> _pipeline.Route:
        """Client method and installed operation model of a prepared request: looked up and
        checked against the installed model once per namespace and operation, then reused."""
        key = (prepared.namespace, prepared.spec.operation)
        route = self._routes.get(key)
        if route is None:
            route = _pipeline.make_route(prepared, self.client(prepared.service))
            self._routes[key] = route
        return route

    # --- chime-sdk-voice, one group per resource (chime_calls.voice, docs/voice.md) ------------

    @functools.cached_property
    def phone_numbers(self) -> voice.PhoneNumbers[Sync]:
        """Phone numbers: ``search_available``, ``create_order``, ``get``, ``list``, ..."""
        return voice.PhoneNumbers(self)

    @functools.cached_property
    def sip_media_applications(self) -> voice.SipMediaApplications[Sync]:
        """SIP media applications: ``create``, ``get``, ``list``, ``update``, ``delete``, ..."""
        return voice.SipMediaApplications(self)

    @functools.cached_property
    def sip_rules(self) -> voice.SipRules[Sync]:
        """SIP rules: ``create``, ``get``, ``list``, ``update``, ``delete``."""
        return voice.SipRules(self)

    @functools.cached_property
    def voice_connectors(self) -> voice.VoiceConnectors[Sync]:
        """Voice Connectors, their settings and the account's Voice Connector settings."""
        return voice.VoiceConnectors(self)

    @functools.cached_property
    def voice_connector_groups(self) -> voice.VoiceConnectorGroups[Sync]:
        """Voice Connector groups."""
        return voice.VoiceConnectorGroups(self)

    @functools.cached_property
    def voice_profile_domains(self) -> voice.VoiceProfileDomains[Sync]:
        """Voice profile domains (speaker search)."""
        return voice.VoiceProfileDomains(self)

    @functools.cached_property
    def voice_profiles(self) -> voice.VoiceProfiles[Sync]:
        """Voice profiles (speaker search)."""
        return voice.VoiceProfiles(self)

    @functools.cached_property
    def voice_analytics(self) -> voice.VoiceAnalytics[Sync]:
        """Speaker search and voice tone analysis tasks."""
        return voice.VoiceAnalytics(self)

    @functools.cached_property
    def voice_tags(self) -> voice.VoiceTags[Sync]:
        """Tags of voice resources: ``list``, ``tag``, ``untag``."""
        return voice.VoiceTags(self)

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
        request.validate_for(self.namespace)
        if self.namespace == "legacy":
            legacy = self.send(request.to_legacy())
            return models.DialOut(
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
        call = self.send(request.to_sip_media_application_call(self.sip_media_application_id))
        return models.DialOut(
            transaction_id=call.transaction_id,
            path="sip-media-application",
            correlation_id=request.correlation_id,
        )

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
        return self.send(
            models.UpdateSipMediaApplicationCallRequest(
                sip_media_application_id=application,
                transaction_id=transaction_id,
                arguments=arguments,
            )
        )


def _checked_config(config: object) -> Config | None:
    if config is None:
        return None
    from botocore.config import Config

    if not isinstance(config, Config):
        raise _misconfigured("config", "a botocore.config.Config", config)
    return config


def _checked_clients(clients: object) -> Mapping[str, BaseClient]:
    if clients is None:
        return {}
    if not isinstance(clients, Mapping):
        raise _misconfigured("clients", "a mapping of service name to boto3 client", clients)
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
            raise _misconfigured(f"clients[{service!r}]", "a boto3 client", client)
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
