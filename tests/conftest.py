"""Shared fixtures: every test talks to real boto3 clients answered by chime_calls.testing."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import botocore.session
import pytest

from chime_calls import ChimeCalls, RetryPolicy
from chime_calls.testing import ChimeFake, mock_chime

REGION = "eu-west-2"
FROM = "+12065550100"
TO = "+14255550199"

LEGACY_MODELS_MEETINGS = (
    "CreateMeeting" in botocore.session.get_session().get_service_model("chime").operation_names
)
needs_legacy_botocore = pytest.mark.skipif(
    not LEGACY_MODELS_MEETINGS,
    reason="this botocore no longer models the legacy meeting and voice operations",
)
needs_current_botocore = pytest.mark.skipif(
    LEGACY_MODELS_MEETINGS, reason="this botocore still models the legacy operations"
)


def make_session(region: str = REGION) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=region,
    )


class SleepRecorder:
    """Stands in for ``time.sleep`` in the facade's retry loop: records instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def fake() -> Iterator[ChimeFake]:
    with mock_chime() as chime:
        yield chime


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


def make_calls(
    sleeps: SleepRecorder | None = None, *, namespace: str = "sdk", **kwargs: object
) -> ChimeCalls:
    kwargs.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    calls = ChimeCalls(
        session=make_session(),
        namespace=namespace,  # type: ignore[arg-type]
        region_name=REGION,
        **kwargs,  # type: ignore[arg-type]
    )
    if sleeps is not None:
        calls._sleep = sleeps  # the facade's clock, not its behaviour
    return calls


@pytest.fixture
def calls(fake: ChimeFake, sleeps: SleepRecorder) -> ChimeCalls:
    return make_calls(sleeps, sip_media_application_id="sma-1")
