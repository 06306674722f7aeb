"""Helpers for the async tests: real aiobotocore sessions, answered by the fake when active."""

from __future__ import annotations

from typing import Any

from aiobotocore.session import AioSession, get_session

from chime_calls import RetryPolicy
from chime_calls.aio import AsyncChimeCalls
from chime_calls.testing import VirtualClock
from tests.conftest import REGION


def make_aio_session() -> AioSession:
    session = get_session()
    session.set_credentials("testing", "testing")
    return session


def make_async_calls(
    clock: VirtualClock | None = None, *, namespace: str = "sdk", **kwargs: Any
) -> AsyncChimeCalls:
    """The async twin of ``tests.conftest.make_calls``: same retry policy, same region."""
    kwargs.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    kwargs.setdefault("session", make_aio_session())
    return AsyncChimeCalls(namespace=namespace, region_name=REGION, clock=clock, **kwargs)  # type: ignore[arg-type]
