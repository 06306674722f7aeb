"""pytest plugin for chime-calls (the ``pytest11`` entry point): the ``chime_fake`` fixture.

It loads in every pytest run of every project that installs chime-calls, so it costs nothing
until a test uses it: it imports no part of chime-calls (nor botocore) at start-up or during
collection. The fake needs no early import: while it is active it answers every Chime request,
whatever the age of the session that sends it. Once a test runs in a process that already
imported botocore, the plugin imports :mod:`chime_calls.testing` (cheap: the fake itself loads
on first use), whose only effect is the hint it adds to moto's ``404 Not yet implemented`` for
Chime requests.

It also lives outside the ``chime_calls`` package so that coverage measurement of code using
chime-calls (or of chime-calls itself) sees every line: plugins load before pytest-cov starts.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from chime_calls.testing import ChimeFake, ProvisionedSipMediaApplication

__all__ = [
    "chime_fake",
    "chime_sma",
    "pytest_configure",
    "pytest_runtest_makereport",
    "pytest_runtest_setup",
]

_MARKER = "chime_fake"
_state = {"hinted": False}
_FAILED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): options of the chime_fake fixture, as mock_chime() takes them "
        "(quotas=False, unfired_faults='warn', account_id=..., legacy_access=False, ...)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _state["hinted"] and "botocore.handlers" in sys.modules:
        _state["hinted"] = True
        import chime_calls.testing  # noqa: F401 - moto's 404 for Chime gets a hint


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    if call.when == "call":  # a failing test's own error says more than its leftover faults
        item.stash[_FAILED] = outcome.get_result().failed


@pytest.fixture
def chime_fake(request: pytest.FixtureRequest) -> Iterator[ChimeFake]:
    """A fresh, active Chime fake for one test; composes with moto's ``mock_aws``.

    Faults still queued when the test ends fail it (:class:`~chime_calls.testing.
    UnfiredFaultsError`). ``@pytest.mark.chime_fake(...)`` passes options to
    :func:`~chime_calls.testing.mock_chime` (``quotas=False``, ``unfired_faults="warn"``, ...).
    """
    from chime_calls.testing import mock_chime

    options: dict[str, Any] = {"unfired_faults": "raise"}
    for marker in reversed(list(request.node.iter_markers(_MARKER))):  # the closest one wins
        if marker.args:
            raise TypeError("@pytest.mark.chime_fake takes keyword arguments only")
        options.update(marker.kwargs)
    with mock_chime(**options) as fake:
        yield fake
        if request.node.stash.get(_FAILED, False):
            fake.unfired_faults = "ignore"


@pytest.fixture
def chime_sma(chime_fake: ChimeFake) -> ProvisionedSipMediaApplication:
    """A SIP media application of ``chime_fake`` that calls can be placed on, in
    ``AWS_DEFAULT_REGION`` (or us-east-1): its ``sip_media_application_id``, the
    ``phone_number`` to call from, its ``sip_rule_id`` and ``region``."""
    import os

    return chime_fake.provision_sip_media_application(
        region=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
