"""Which boto3 client serves which operation, and what each namespace can carry.

The Chime API is split: the legacy ``chime`` client (endpoint always in us-east-1; its meeting
and voice operations deprecated and, since botocore 1.37.2, no longer modelled) and the
dedicated ``chime-sdk-meetings`` / ``chime-sdk-voice`` clients. ``CreateMeetingDialOut`` exists
only in the legacy namespace, so the ``"sdk"`` namespace still routes that one operation there.

Capability checks read the installed botocore model rather than a version table: an operation
is available when the model has it, and a request member is accepted when the operation's input
shape has it. Both are checked before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from chime_calls.errors import UnsupportedOperationError

__all__ = [
    "LEGACY",
    "LEGACY_REGION",
    "MEETINGS",
    "NAMESPACES",
    "VOICE",
    "Namespace",
    "check_members",
    "check_operation",
    "service_for",
]

Namespace = Literal["sdk", "legacy"]
NAMESPACES: tuple[Namespace, ...] = ("sdk", "legacy")

LEGACY = "chime"
MEETINGS = "chime-sdk-meetings"
VOICE = "chime-sdk-voice"
LEGACY_REGION = "us-east-1"

_SDK_ROUTES: Mapping[str, str] = {
    "CreateMeeting": MEETINGS,
    "CreateAttendee": MEETINGS,
    "GetMeeting": MEETINGS,
    "DeleteMeeting": MEETINGS,
    "CreateMeetingDialOut": LEGACY,  # no dedicated-namespace equivalent exists
    "CreateSipMediaApplicationCall": VOICE,
    "UpdateSipMediaApplicationCall": VOICE,
}


def service_for(namespace: Namespace, operation: str) -> str:
    """The boto3 service name that serves ``operation`` in ``namespace``."""
    if namespace == "legacy":
        return LEGACY
    return _SDK_ROUTES[operation]


def _replacement(operation: str) -> str:
    if operation == "CreateMeetingDialOut":
        return f"{VOICE} CreateSipMediaApplicationCall (a SIP media application; docs/dial-out.md)"
    return f"{_SDK_ROUTES[operation]} {operation}"


def check_operation(service_model: Any, operation: str, namespace: Namespace) -> None:
    """Raise :class:`UnsupportedOperationError` when the installed botocore lacks the operation."""
    if operation in service_model.operation_names:
        return
    import botocore

    where = service_model.service_name
    if namespace == "legacy":
        message = (
            f"{operation} is not in the installed botocore's '{where}' model (botocore "
            f"{botocore.__version__}; the legacy meeting and voice operations were removed in "
            "1.37.2). Use ChimeCalls(namespace='sdk'), which sends it to "
            f"{_replacement(operation)}."
        )
    else:  # pragma: no cover - every SDK route exists in every supported botocore
        message = f"{operation} is not in the installed botocore's '{where}' model."
    raise UnsupportedOperationError(
        message,
        operation=operation,
        namespace=namespace,
        replacement=_replacement(operation) if namespace == "legacy" else None,
    )


def _unknown_members(shape: Any, params: Mapping[str, Any], prefix: str) -> list[str]:
    found: list[str] = []
    members = shape.members
    for key, value in params.items():
        if key not in members:
            found.append(f"{prefix}{key}")
            continue
        member = members[key]
        if member.type_name == "structure" and (type(value) is dict or isinstance(value, Mapping)):
            found.extend(_unknown_members(member, value, f"{prefix}{key}."))
    return found


def check_members(
    operation_model: Any, params: Mapping[str, Any], namespace: Namespace, service: str
) -> None:
    """Raise when the request carries members this namespace's model does not have.

    Examples: ``ArgumentsMap`` on legacy CreateSipMediaApplicationCall, ``MeetingFeatures`` or
    ``TenantIds`` on legacy CreateMeeting, ``MediaPlacementNetworkType`` on a botocore too old to
    model it. Silently dropping them would change what the call does.
    """
    unknown = _unknown_members(operation_model.input_shape, params, "")
    if not unknown:
        return
    operation = operation_model.name
    names = ", ".join(unknown)
    hint = (
        f" Use ChimeCalls(namespace='sdk') ({_replacement(operation)})."
        if namespace == "legacy" and operation in _SDK_ROUTES
        else " Upgrade botocore to a version whose model has them."
    )
    raise UnsupportedOperationError(
        f"{operation} in the '{service}' namespace does not accept {names}.{hint}",
        operation=operation,
        namespace=namespace,
        replacement=_replacement(operation) if namespace == "legacy" else None,
    )
