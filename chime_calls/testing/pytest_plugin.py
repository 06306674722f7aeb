"""pytest plugin (registered through the ``pytest11`` entry point): the ``chime_fake`` fixture.

Loading the plugin imports :mod:`chime_calls.testing` at pytest start-up, so the fake's hook is
in every boto3 session a test creates.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chime_calls.testing import ChimeFake, mock_chime

__all__ = ["chime_fake"]


@pytest.fixture
def chime_fake() -> Iterator[ChimeFake]:
    """A fresh, active Chime fake for one test; composes with moto's ``mock_aws``."""
    with mock_chime() as fake:
        yield fake
