"""Shared fixtures: every test talks to real boto3 clients answered by chime_calls.testing."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import botocore.session
import pytest
from hypothesis import HealthCheck, settings

from chime_calls import ChimeCalls, RetryPolicy
from chime_calls.testing import ChimeFake, VirtualClock

# Hypothesis: a few examples per property by default (the README's test command stays fast);
# full strength in CI (.ci/run sets HYPOTHESIS_PROFILE=ci).
_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=12, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True, scope="session")
def _one_botocore_loader() -> Iterator[None]:
    """Every botocore session of the run shares one model loader (botocore caches what a
    loader has read), so each service model's JSON is parsed once instead of once per test's
    session. Test infrastructure only: the package's behaviour is unchanged."""
    import botocore.loaders

    loaders: dict[object, botocore.loaders.Loader] = {}
    original = botocore.session.create_loader

    def shared(search_path_string: object = None) -> botocore.loaders.Loader:
        if search_path_string not in loaders:
            loaders[search_path_string] = original(search_path_string)
        return loaders[search_path_string]

    botocore.session.create_loader = shared  # type: ignore[assignment]
    yield
    botocore.session.create_loader = original


pytest_plugins = ["pytester"]  # the chime_fake fixture is tested in inner pytest runs

REGION = "eu-west-2"
FROM = "+12065550100"
TO = "+14255550199"
SMA = "sma-1"
OTHER_FROM = "+12065550101"  # for a second SIP media application in REGION

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


@pytest.fixture
def fake(chime_fake: ChimeFake) -> ChimeFake:
    """The plugin's fixture (AWS's documented quotas on, unfired faults fail the test,
    ``@pytest.mark.chime_fake(quotas=False)`` for a test that relies on no quotas), where the
    SIP media application ``sma-1`` exists in REGION and may call from FROM: the fake refuses
    calls on applications and numbers nobody provisioned."""
    chime_fake.provision_sip_media_application(SMA, phone_number=FROM, region=REGION)
    return chime_fake


@pytest.fixture
def clock() -> VirtualClock:
    """The facade's own clock: records every wait instead of sleeping."""
    return VirtualClock()


def make_calls(
    clock: VirtualClock | None = None, *, namespace: str = "sdk", **kwargs: object
) -> ChimeCalls:
    kwargs.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    return ChimeCalls(
        session=make_session(),
        namespace=namespace,  # type: ignore[arg-type]
        region_name=REGION,
        clock=clock,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def calls(fake: ChimeFake, clock: VirtualClock) -> ChimeCalls:
    return make_calls(clock, sip_media_application_id=SMA)
