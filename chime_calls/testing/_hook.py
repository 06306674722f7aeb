"""Where the fake meets botocore: a ``before-send`` handler for the three Chime services.

botocore emits ``before-send.<service-id>.<Operation>`` just before a signed request would go
on the wire and uses the first non-``None`` answer. Registering for the service-specific event
names makes this handler run before generic ``before-send`` handlers such as moto's, so the two
compose: Chime is answered here, everything else by moto. The handler is added to
``BUILTIN_HANDLERS`` (copied into every botocore session created afterwards) when this module
is imported, and to ``boto3.DEFAULT_SESSION`` on activation in case that session is older.
botocore calls every handler even after one answered, so a request carries a marker and is
answered once, however many copies of the handler a session holds.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from botocore import handlers

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse

    from chime_calls.testing._fake import ChimeFake

__all__ = ["SERVICES", "activate", "active", "deactivate"]

SERVICES = ("chime-sdk-meetings", "chime-sdk-voice", "chime")
_MARK = "_chime_calls_fake_answer"
_UNIQUE_ID = "chime-calls-testing-before-send"
_stack: list[ChimeFake] = []
_lock = threading.Lock()


def active() -> ChimeFake | None:
    """The innermost active fake, if any."""
    with _lock:
        return _stack[-1] if _stack else None


def activate(fake: ChimeFake) -> None:
    _register_default_session()
    with _lock:
        _stack.append(fake)


def deactivate(fake: ChimeFake) -> None:
    with _lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is fake:
                del _stack[index]
                return


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


def _register_default_session() -> None:
    import boto3

    session = boto3.DEFAULT_SESSION
    if session is None:
        return
    for service in SERVICES:
        # boto3 exposes no public event registration on its session
        session._session.register(
            f"before-send.{service}",
            _before_send,  # type: ignore[arg-type]  # botocore's stub types handlers as -> None
            unique_id=f"{_UNIQUE_ID}-{service}",
        )


def _install() -> None:
    for service in SERVICES:
        entry = (f"before-send.{service}", _before_send)
        if entry not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append(entry)


_install()
