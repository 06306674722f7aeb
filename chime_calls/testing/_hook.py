"""Where the fake meets botocore: every Chime request, from any session of any age.

botocore emits ``before-send.<service-id>.<Operation>`` on the client's event emitter just
before a signed request would go on the wire, and uses the first non-``None`` answer. A handler
registered for the service-specific name runs before generic ``before-send`` handlers such as
moto's, so the two compose: Chime is answered here, everything else by moto.

A handler in ``botocore.handlers.BUILTIN_HANDLERS`` only reaches sessions created after it was
added, and each client copies its session's emitter when it is created, so a session or client
made before ``import chime_calls.testing`` would never see it and its requests would go to AWS.
Instead, while a fake is active, :class:`botocore.endpoint.Endpoint` (which every client of
every session sends through) gets two wrappers, removed again when the last fake deactivates:

* ``make_request`` registers the fake's handler on the emitter of each Chime client the first
  time that client sends, so no Chime request leaves the process, whatever its session's age;
* ``_needs_retry`` waits botocore's own retry delays for Chime requests on the fake's clock
  instead of sleeping (botocore calls ``time.sleep`` there), so a plain boto3 client's retries
  take no real time either.

Other services' requests go through both wrappers untouched. A request carries a marker and is
answered once, however many copies of the handler its emitter holds.

Apart from that, importing this module adds one ``after-call`` handler for the three Chime
services to ``BUILTIN_HANDLERS`` (and to an existing ``boto3.DEFAULT_SESSION``): under moto's
``mock_aws`` without the fake, moto answers Chime ``404 Not yet implemented``, and the handler
adds to that error's message how to get a Chime fake. It is registered for the Chime services'
event names only, so botocore never calls it for another service.
"""

from __future__ import annotations

import sys
import threading
import weakref
from typing import TYPE_CHECKING, Any

from botocore import handlers
from botocore.endpoint import Endpoint

if TYPE_CHECKING:
    from collections.abc import Callable

    from botocore.awsrequest import AWSPreparedRequest, AWSResponse
    from botocore.model import OperationModel

    from chime_calls.testing._fake import ChimeFake

__all__ = ["MOTO_HINT", "SERVICES", "activate", "active", "deactivate"]

SERVICES = ("chime-sdk-meetings", "chime-sdk-voice", "chime")
MOTO_HINT = (
    " (moto has no Chime backend: answer Chime requests with chime_calls.testing.mock_chime(), "
    "alone or inside mock_aws; docs/testing.md)"
)
_MARK = "_chime_calls_fake_answer"
_UNIQUE_ID = "chime-calls-testing-before-send"
_stack: list[ChimeFake] = []
_lock = threading.RLock()
#: Emitters that already carry the handler (weakly held: clients come and go).
_hooked: weakref.WeakSet[Any] = weakref.WeakSet()
_original: dict[str, Callable[..., Any]] = {}


def active() -> ChimeFake | None:
    """The innermost active fake, if any."""
    with _lock:
        return _stack[-1] if _stack else None


def activate(fake: ChimeFake) -> None:
    with _lock:
        if not _stack:
            _patch_endpoint()
        _stack.append(fake)


def deactivate(fake: ChimeFake) -> None:
    with _lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is fake:
                del _stack[index]
                break
        if not _stack:
            _unpatch_endpoint()


def _service_of(operation_model: OperationModel) -> str | None:
    service: str = operation_model.service_model.service_id.hyphenize()
    return service if service in SERVICES else None


def _before_send(request: AWSPreparedRequest, event_name: str = "", **_: Any) -> AWSResponse | None:
    fake = active()
    if fake is None:
        return None
    answered = getattr(request, _MARK, None)
    if answered is not None:
        return answered  # type: ignore[no-any-return]
    service, operation = event_name.split(".")[1:3]
    response = fake.handle(service, operation, request)
    setattr(request, _MARK, response)
    return response


def _hook_emitter(emitter: Any, service: str) -> None:
    with _lock:
        if emitter in _hooked:
            return
        emitter.register(
            f"before-send.{service}", _before_send, unique_id=f"{_UNIQUE_ID}-{service}"
        )
        _hooked.add(emitter)


def _make_request(self: Endpoint, operation_model: OperationModel, request_dict: Any) -> Any:
    service = _service_of(operation_model)
    if service is not None and active() is not None:
        _hook_emitter(self._event_emitter, service)  # type: ignore[attr-defined]
    return _original["make_request"](self, operation_model, request_dict)


def _needs_retry(  # noqa: PLR0917 - botocore's own signature
    self: Endpoint,
    attempts: int,
    operation_model: OperationModel,
    request_dict: Any,
    response: Any = None,
    caught_exception: Any = None,
) -> bool:
    fake = active()
    service = _service_of(operation_model)
    if fake is None or service is None:
        return bool(
            _original["_needs_retry"](
                self, attempts, operation_model, request_dict, response, caught_exception
            )
        )
    # botocore's Endpoint._needs_retry, waiting on the fake's clock instead of time.sleep.
    from botocore.hooks import first_non_none_response

    responses = self._event_emitter.emit(  # type: ignore[attr-defined]
        f"needs-retry.{service}.{operation_model.name}",
        response=response,
        endpoint=self,
        operation=operation_model,
        attempts=attempts,
        caught_exception=caught_exception,
        request_dict=request_dict,
    )
    delay = first_non_none_response(responses)
    if delay is None or delay is False:
        return False
    fake.clock.sleep(float(delay))
    return True


def _patch_endpoint() -> None:
    for name, wrapper in (("make_request", _make_request), ("_needs_retry", _needs_retry)):
        _original[name] = getattr(Endpoint, name)
        setattr(Endpoint, name, wrapper)


def _unpatch_endpoint() -> None:
    for name, original in _original.items():
        setattr(Endpoint, name, original)
    _original.clear()


def _moto_hint(http_response: Any, parsed: Any, **_: Any) -> None:
    """Say how to get a Chime fake when moto answers a Chime request it cannot serve."""
    if active() is not None or getattr(http_response, "status_code", None) != 404:
        return
    if getattr(http_response, "content", None) != b"Not yet implemented" or not _moto_active():
        return
    error = parsed.get("Error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and MOTO_HINT not in str(error.get("Message", "")):
        error["Message"] = f"{error.get('Message', '')}{MOTO_HINT}"


def _moto_active() -> bool:
    """Whether moto's ``mock_aws`` answers AWS requests right now (moto 5 keeps its switch on
    ``moto.core.models.botocore_stubber``; a moto that was never imported is not active)."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def _install() -> None:
    for service in SERVICES:
        entry = (f"after-call.{service}", _moto_hint)
        if entry not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append(entry)
    import boto3

    session = boto3.DEFAULT_SESSION
    if session is not None:  # older than this module: BUILTIN_HANDLERS never reached it
        for service in SERVICES:
            # boto3 exposes no public event registration on its session
            session._session.register(
                f"after-call.{service}",
                _moto_hint,  # type: ignore[arg-type]  # stub: handlers take only **kwargs
                unique_id=f"chime-calls-testing-moto-hint-{service}",
            )


_install()
