"""What every operation of the fake shares: its context, its error answer, the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from chime_calls.testing._fake import ChimeFake

__all__ = [
    "LEGACY",
    "MEETINGS",
    "VOICE",
    "Answer",
    "Ctx",
    "Operation",
    "quota_code",
    "throttle_code",
]

MEETINGS = "chime-sdk-meetings"
VOICE = "chime-sdk-voice"
LEGACY = "chime"


class Answer(Exception):  # noqa: N818 - control flow inside the fake, never escapes it
    """An error answer from an operation implementation."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        retry_after: float | datetime.datetime | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.status = status


@attrs.define
class Ctx:
    service: str
    operation: str
    region: str
    fault: str | None = None


#: An operation of the fake: (fake, context, parsed parameters) -> the answer's body.
Operation = Callable[["ChimeFake", Ctx, dict[str, Any]], dict[str, Any]]


def quota_code(service: str) -> str:
    return "LimitExceededException" if service == MEETINGS else "ResourceLimitExceededException"


def throttle_code(service: str) -> str:
    return "ThrottlingException" if service == MEETINGS else "ThrottledClientException"
