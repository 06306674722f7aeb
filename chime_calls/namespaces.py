"""The Chime namespaces, and what the installed botocore can carry in each.

The Chime API is split: the legacy ``chime`` client (endpoint always in us-east-1; its meeting
and voice operations deprecated and, since botocore 1.37.2, no longer modelled) and the
dedicated ``chime-sdk-meetings`` / ``chime-sdk-voice`` clients. Which service serves an
operation in each namespace is part of the operation's spec (``chime_calls._spec``);
``CreateMeetingDialOut`` exists only in the legacy service, so its spec routes the ``"sdk"``
namespace there too.

Capability checks read the installed botocore model rather than a version table: an operation
is available when the model has it (here), and a request member is accepted when the
operation's input shape has it (``chime_calls._pipeline``). Both are checked before anything is
sent.
"""

from __future__ import annotations

from typing import Any, Literal

from chime_calls.errors import UnsupportedOperationError

__all__ = [
    "LEGACY",
    "LEGACY_REGION",
    "MEETINGS",
    "NAMESPACES",
    "SERVICES",
    "VOICE",
    "Namespace",
    "check_operation",
]

#: The facade's namespaces: ``"sdk"`` (the dedicated services) or ``"legacy"`` (``chime``).
Namespace = Literal["sdk", "legacy"]
NAMESPACES: tuple[Namespace, ...] = ("sdk", "legacy")

LEGACY = "chime"
MEETINGS = "chime-sdk-meetings"
VOICE = "chime-sdk-voice"
#: The boto3 services chime-calls talks to.
SERVICES: tuple[str, ...] = (MEETINGS, VOICE, LEGACY)
LEGACY_REGION = "us-east-1"


def check_operation(
    service_model: Any,
    operation: str,
    namespace: str,
    replacement: str | None = None,
    advice: str | None = None,
) -> None:
    """Raise ``UnsupportedOperationError`` when the installed botocore lacks the operation.

    ``replacement`` names what serves it elsewhere and ``advice`` says what to do (the spec's).
    """
    if operation in service_model.operation_names:
        return
    import botocore

    where = service_model.service_name
    if namespace == "legacy":
        message = (
            f"{operation} is not in the installed botocore's '{where}' model (botocore "
            f"{botocore.__version__}; the legacy meeting and voice operations were removed in "
            f"1.37.2): {advice or 'use ChimeCalls(namespace=' + repr('sdk') + ')'}."
        )
    else:
        message = (
            f"{operation} is not in the installed botocore's '{where}' model (botocore "
            f"{botocore.__version__}); upgrade botocore."
        )
    raise UnsupportedOperationError(
        message,
        operation=operation,
        namespace=namespace,
        replacement=replacement if namespace == "legacy" else None,
        service=where,
    )
