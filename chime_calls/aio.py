"""The ``AsyncChimeCalls`` facade: ``ChimeCalls`` on asyncio and
aiobotocore (``pip install 'chime-calls[async]'``), with the same request and result types,
the same errors and the same call-safety rules.

Both facades drive one ``chime_calls._pipeline.Exchange`` per request: what to validate,
where to route, what to retry, how long to wait and what an error means are decided there,
once. This module only awaits the attempt and the waits. chime-calls docs async has the guide.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from chime_calls import _pipeline, _redaction, models
from chime_calls import errors as _errors
from chime_calls._operations import CallOperations, MeetingOperations, Paging, VoiceGroups
from chime_calls._ops import Async
from chime_calls.client import _client_error, _Facade
from chime_calls.namespaces import SERVICES

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self

    from chime_calls._spec import Request
    from chime_calls.models import DialOut, DialOutRequest, SipMediaApplicationCall
    from chime_calls.values import JoinToken, PhoneNumber

__all__ = ["AsyncChimeCalls"]

R = TypeVar("R")


class AsyncChimeCalls(
    _Facade[Any, Any],
    MeetingOperations[Async],
    CallOperations[Async],
    VoiceGroups[Async],
    Paging[Async],
):
    """``ChimeCalls`` for asyncio: every operation method is a coroutine.



        async with AsyncChimeCalls(region_name="eu-west-2") as calls:
            meeting = await calls.create_meeting(external_meeting_id="standup",
                                                 media_region="eu-west-2")

    It takes the same parameters as ``ChimeCalls``, checked here, with an aiobotocore
    ``AioSession`` as ``session`` (default: a new one) and aiobotocore clients as ``clients``
    (made with ``config=chime_calls.client_config()``; they stay yours: the facade never
    closes them). Clients the facade creates are created on first use, once even when many
    tasks ask at the same time, and closed when the ``async with`` block ends (or by
    ``aclose``); a closed facade refuses to send. Like an aiohttp session, a facade belongs
    to the event loop that first used it. ``clock`` must have ``asleep`` (retries and pacing
    await it; an active ``mock_chime()`` fake's virtual clock by default).

    Cancelling a task in the middle of an operation that is not idempotent (a call-placing one
    above all) leaves its outcome unknown: the ``CancelledError`` propagates unchanged, with a
    note saying so, and a call-placing operation logs the same WARNING as any other unknown
    outcome. Nothing is re-sent (chime-calls docs async).

    *New in 0.2.0.*
    """

    _session_method = "create_client"
    _session_kind = "an aiobotocore AioSession"
    _new_lock = asyncio.Lock
    _clock_wait = "asleep"

    async def __aenter__(self) -> Self:
        self._check_open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the clients this facade created (not those passed in); then refuse to send."""
        self._closed = True
        stack = getattr(self, "_stack", None)
        if stack is not None:
            self._stack = None
            await stack.aclose()

    _closed = False
    _stack: contextlib.AsyncExitStack | None = None

    def _check_open(self) -> None:
        if self._closed:
            raise _errors.ConfigurationError(
                "this AsyncChimeCalls is closed (its async with block ended, or aclose() was "
                "called) and its clients with it: create a new one"
            )

    # --- clients ---------------------------------------------------------------------------

    async def client(self, service: str) -> Any:
        """The aiobotocore client for ``service``, created on first use with
        ``client_config`` (see ``ChimeCalls.client``). Two tasks asking
        at once get the same client."""
        existing = self._clients.get(service)
        if existing is not None:
            return existing
        if service not in SERVICES:
            raise _errors.ConfigurationError(
                f"no Chime service {service!r}; one of {', '.join(SERVICES)}"
            )
        async with self._lock:
            existing = self._clients.get(service)
            if existing is None:
                existing = await self._create_client(service)
                self._clients[service] = existing
            return existing

    async def _create_client(self, service: str) -> Any:
        self._check_open()
        if self._session is None:
            from aiobotocore.session import get_session

            self._session = get_session()
        if self._stack is None:
            self._stack = contextlib.AsyncExitStack()
        creating = self._session.create_client(
            service, region_name=self._region_for(service), config=self._config
        )
        error: _errors.ChimeCallsError | None = None
        try:
            client = await self._stack.enter_async_context(creating)
        except Exception as exc:  # noqa: BLE001 - every botocore failure is translated
            error = _client_error(exc, service)
        if error is not None:
            raise error  # (outside the handler: nothing chained)
        client.meta.events.register("before-parse", _pipeline.note_status)
        return client

    # --- the pipeline ----------------------------------------------------------------------

    async def send(self, request: Request[R]) -> R:
        """Send any request type (see ``ChimeCalls.send``): the same exchange, awaited."""
        if self._closed:
            self._check_open()
        spec = _pipeline.spec_of(request)
        if not spec.services:  # a request no AWS operation takes as is (dial-out)
            return await self._dial_out(request)  # type: ignore[arg-type,return-value]
        namespace = self.namespace
        prepared = _pipeline.prepare(request, spec, namespace)
        route = self._routes.get((namespace, spec.operation)) or await self._route(prepared)
        params = request.to_params()
        if route.unmodelled:
            _pipeline.check_modelled(route, params, prepared)
        clock = self._clock or _pipeline.current_clock()
        exchange = _pipeline.Exchange(prepared, params, self._policy, clock)
        method = route.method
        # botocore logs the request and the answer at DEBUG: a RedactingFilter needs to know
        # this request's secrets while it is in flight (a context variable: per task)
        redacting = _redaction.enter(request.sensitive_values) if _redaction.active else None
        try:
            while True:
                wait = exchange.pace()
                if wait:
                    await clock.asleep(wait)
                try:
                    response = await method(**params)
                except Exception as exc:  # noqa: BLE001 - translated by the exchange
                    step = exchange.failed(exc)
                except BaseException as exc:  # cancelled in flight: the exchange says so
                    exchange.interrupted(exc)
                    raise
                else:
                    step = exchange.succeeded(response)
                if step.retry_in is not None:
                    await clock.asleep(step.retry_in)
                    continue
                if step.error is not None:
                    raise step.error  # (outside the handler: nothing chained)
                result: R = step.result
                return result
        finally:
            if redacting is not None:
                _redaction.leave(redacting)

    async def _route(self, prepared: _pipeline.Prepared) -> _pipeline.Route:
        key = (prepared.namespace, prepared.spec.operation)
        route = self._routes.get(key)
        if route is None:
            route = _pipeline.make_route(prepared, await self.client(prepared.service))
            self._routes[key] = route
        return route

    # --- operations --------------------------------------------------------------------------

    async def dial_out(
        self,
        *,
        meeting_id: str,
        from_phone_number: str | PhoneNumber,
        to_phone_number: str | PhoneNumber,
        join_token: str | JoinToken,
        correlation_id: str | None = None,
    ) -> DialOut:
        """Ring a phone into a meeting by the path this namespace has (see
        ``ChimeCalls.dial_out``); call-placing, never re-sent after an ambiguous failure."""
        kwargs = {} if correlation_id is None else {"correlation_id": correlation_id}
        return await self._dial_out(
            models.DialOutRequest(
                meeting_id=meeting_id,
                from_phone_number=from_phone_number,
                to_phone_number=to_phone_number,
                join_token=join_token,
                **kwargs,
            )
        )

    async def _dial_out(self, request: DialOutRequest) -> DialOut:
        return self._dialled(request, await self.send(self._dial_out_request(request)))

    async def update_sip_media_application_call(
        self,
        *,
        transaction_id: str,
        arguments: Mapping[str, str],
        sip_media_application_id: str | None = None,
    ) -> SipMediaApplicationCall:
        """Hand new arguments to a running call's Lambda (see
        ``ChimeCalls.update_sip_media_application_call``)."""
        return await self.send(
            self._update_request(transaction_id, arguments, sip_media_application_id)
        )
