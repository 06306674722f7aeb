"""Helpers for the tests that run the documentation's code (tests/test_docs_code.py,
tests/testing/test_docs_testing.py)."""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Callable, Coroutine
from typing import Any

from chime_calls.testing import mock_chime


def run_test(
    function: Callable[..., Any],
    run: Callable[[Coroutine[Any, Any, Any]], Any] = asyncio.run,
) -> None:
    """Call a documented test as pytest would, with the ``chime_fake`` fixture's semantics
    (``chime_sma`` as the plugin makes it, the ``chime_fake`` marker's options); an ``async def``
    test is awaited with ``run``, as pytest-asyncio would."""
    wanted = inspect.signature(function).parameters
    if "chime_fake" not in wanted:
        _finish(function(), run)
        return
    options: dict[str, Any] = {"unfired_faults": "raise"}
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "chime_fake":
            options.update(mark.kwargs)
    with mock_chime(**options) as fake:
        fixtures: dict[str, Any] = {"chime_fake": fake}
        if "chime_sma" in wanted:  # as the plugin's fixture makes it
            region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
            fixtures["chime_sma"] = fake.provision_sip_media_application(region=region)
        _finish(function(**fixtures), run)


def _finish(result: Any, run: Callable[[Coroutine[Any, Any, Any]], Any]) -> None:
    if inspect.iscoroutine(result):
        run(result)
