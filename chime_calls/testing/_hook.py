"""Where the fake meets botocore: every Chime request, from any session of any age.

botocore emits ``before-send.<service-id>.<Operation>`` on the client's event emitter just
before a signed request would go on the wire, and uses the first non-``None`` answer. A handler
registered for the service-specific name runs before generic ``before-send`` handlers such as
moto's, so the two compose: Chime is answered here, everything else by moto.

A handler in ``botocore.handlers.BUILTIN_HANDLERS`` only reaches sessions created after it was
added, and each client copies its session's emitter when it is created, so a session or client
made before ``import chime_calls.testing`` would never see it and its requests would go to AWS.
Instead, while a fake is active, ``botocore.endpoint.Endpoint`` (which every client of
every session sends through) is wrapped, and undone again when the last fake deactivates:

* ``make_request`` registers the fake's handler on the emitter of each Chime client the first
  time that client sends, so no Chime request leaves the process, whatever its session's age;
* botocore's endpoint sleeps between its own retries through its module's ``time``: while a
  fake is active that name is an object whose ``sleep`` waits on the fake's clock for a Chime
  request (everything else sleeps for real), so a plain boto3 client's retries take no real
  time either.

Other services' requests go through untouched. A request carries a marker and is
answered once, however many copies of the handler its emitter holds. aiobotocore's endpoint
inherits ``make_request``, so its clients are hooked the same way; the answer is readable by
both (``_aio.answer``).

Apart from that, importing this module adds one ``after-call`` handler for the three Chime
services to ``BUILTIN_HANDLERS`` (and to an existing ``boto3.DEFAULT_SESSION``): under moto's
``mock_aws`` without the fake, moto answers Chime ``404 Not yet implemented``, and the handler
adds to that error's message how to get a Chime fake. It is registered for the Chime services'
event names only, so botocore never calls it for another service.
"""

from __future__ import annotations

import contextvars
import sys
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any

from botocore import handlers
from botocore.endpoint import Endpoint

from chime_calls.testing import _aio

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse
    from botocore.model import OperationModel

    from chime_calls.testing._fake import ChimeFake

__all__ = ["MOTO_HINT", "SERVICES", "activate", "active", "deactivate"]

SERVICES = ("chime-sdk-meetings", "chime-sdk-voice", "chime")
MOTO_HINT = (
    " (moto has no Chime backend: answer Chime requests with chime_calls.testing.mock_chime(), "
    "alone or inside mock_aws; chime-calls docs testing)"
)
_MARK = "_chime_calls_fake_answer"
_UNIQUE_ID = "chime-calls-testing-before-send"
_stack: list[ChimeFake] = []
_lock = threading.RLock()
#: Emitters that already carry the handler (weakly held: clients come and go).
_hooked: weakref.WeakSet[Any] = weakref.WeakSet()
_original: dict[str, Any] = {}


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
    response = _aio.answer(fake.handle(service, operation, request))
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


#: True while this thread (or task) is inside a Chime request of some client.
_IN_CHIME: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "chime_calls_fake_request", default=False
)


def _make_request(self: Endpoint, operation_model: OperationModel, request_dict: Any) -> Any:
    service = _service_of(operation_model)
    if service is None or active() is None:
        return _original_make_request(self, operation_model, request_dict)
    _hook_emitter(self._event_emitter, service)  # type: ignore[attr-defined]
    token = _IN_CHIME.set(True)
    try:
        return _original_make_request(self, operation_model, request_dict)
    finally:
        _IN_CHIME.reset(token)


class _Time:
    """Stands in for the ``time`` module botocore's endpoint sleeps with between its own
    retries: a Chime request's waits go to the active fake's clock, everything else to time."""

    def sleep(self, seconds: float) -> None:
        fake = active()
        if fake is not None and _IN_CHIME.get():
            fake.clock.sleep(seconds)
        else:
            time.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def _original_make_request(self: Endpoint, operation_model: Any, request_dict: Any) -> Any:
    result: Any = _original["make_request"](self, operation_model, request_dict)
    return result


def _patch_endpoint() -> None:
    import botocore.endpoint

    _original["make_request"] = Endpoint.make_request
    Endpoint.make_request = _make_request  # type: ignore[method-assign]
    _original["time"] = vars(botocore.endpoint)["time"]
    setattr(botocore.endpoint, "time", _Time())  # noqa: B010 - not exported, so not typed


def _unpatch_endpoint() -> None:
    import botocore.endpoint

    Endpoint.make_request = _original.pop("make_request")  # type: ignore[method-assign]
    setattr(botocore.endpoint, "time", _original.pop("time"))  # noqa: B010


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
