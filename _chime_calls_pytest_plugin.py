"""pytest plugin for chime-calls (the ``pytest11`` entry point): the ``chime_fake`` fixture.

It lives outside the ``chime_calls`` package and imports it only from ``pytest_configure``,
after coverage measurement has started, so a project measuring coverage of code that uses
chime-calls (or of chime-calls itself) sees every line; plugins are imported before
pytest-cov starts. Importing :mod:`chime_calls.testing` there, before any test creates a boto3
session, puts the fake's botocore hook into every session tests create.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from chime_calls.testing import ChimeFake, ProvisionedSipMediaApplication

__all__ = ["chime_fake", "chime_sma", "pytest_configure"]


def pytest_configure(config: pytest.Config) -> None:
    import chime_calls.testing  # noqa: F401 - installs the botocore hook


@pytest.fixture
def chime_fake() -> Iterator[ChimeFake]:
    """A fresh, active Chime fake for one test; composes with moto's ``mock_aws``."""
    from chime_calls.testing import mock_chime

    with mock_chime() as fake:
        yield fake


@pytest.fixture
def chime_sma(chime_fake: ChimeFake) -> ProvisionedSipMediaApplication:
    """A SIP media application of ``chime_fake`` that calls can be placed on, in
    ``AWS_DEFAULT_REGION`` (or us-east-1): its ``sip_media_application_id``, the
    ``phone_number`` to call from, its ``sip_rule_id`` and ``region``."""
    import os

    return chime_fake.provision_sip_media_application(
        region=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
