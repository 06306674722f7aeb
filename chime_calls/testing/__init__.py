"""A stateful Amazon Chime fake for tests: what moto does for other services, for Chime.

::

    from chime_calls.testing import mock_chime

    with mock_chime() as chime:                 # alone, inside moto's mock_aws, or as decorator
        my_app.start_standup()                  # plain boto3 or ChimeCalls
        assert chime.calls[0].to_phone_number == "+14255550199"

Requests are answered at botocore's HTTP layer (``before-send``), so they go through real
serialization, HTTP status codes and error parsing. Import this module before creating the
boto3 sessions you test with (the pytest plugin, which provides the ``chime_fake`` fixture,
does so at start-up); see docs/testing.md.
"""

from __future__ import annotations

import contextlib

from chime_calls._clock import VirtualClock
from chime_calls.testing import _hook
from chime_calls.testing._fake import ChimeFake, SmaHandler
from chime_calls.testing._faults import MagicNumbers
from chime_calls.testing._records import (
    CallUpdate,
    FakeAttendee,
    FakeMeeting,
    PlacedCall,
    ReceivedRequest,
)
from chime_calls.testing._sma import SmaCallRecord
from chime_calls.testing._voice import (
    FakePhoneNumber,
    FakePhoneNumberOrder,
    FakeSipMediaApplication,
    FakeSipRule,
    ProvisionedSipMediaApplication,
    VoiceBackend,
)

__all__ = [
    "CallUpdate",
    "ChimeFake",
    "FakeAttendee",
    "FakeMeeting",
    "FakePhoneNumber",
    "FakePhoneNumberOrder",
    "FakeSipMediaApplication",
    "FakeSipRule",
    "MagicNumbers",
    "PlacedCall",
    "ProvisionedSipMediaApplication",
    "ReceivedRequest",
    "SmaCallRecord",
    "SmaHandler",
    "VirtualClock",
    "VoiceBackend",
    "active_fake",
    "mock_chime",
]


def mock_chime(
    *,
    account_id: str = "123456789012",
    legacy_access: bool = True,
    credentials: bool = True,
    real_time: bool = False,
) -> ChimeFake:
    """A fresh :class:`ChimeFake`, to use as ``with mock_chime() as chime:`` or ``@mock_chime()``.

    ``legacy_access=False`` makes the legacy ``chime`` namespace refuse meeting and call
    operations like AWS does for accounts that never used them. ``credentials=True`` sets
    dummy AWS credentials in the environment while active (signing happens before the fake
    answers), restoring the previous values afterwards. Time is virtual unless
    ``real_time=True``: the facade's retries and pacing advance ``chime.clock`` instead of
    sleeping.
    """
    return ChimeFake(
        account_id=account_id,
        legacy_access=legacy_access,
        credentials=credentials,
        real_time=real_time,
    )


def active_fake() -> ChimeFake | None:
    """The innermost active fake (handy inside ``@mock_chime()``-decorated tests)."""
    return _hook.active()


for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        with contextlib.suppress(AttributeError, TypeError):  # typing aliases refuse it
            _obj.__module__ = __name__
del _name, _obj
