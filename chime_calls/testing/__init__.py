"""A stateful Amazon Chime fake for tests: what moto does for other services, for Chime.



    from chime_calls.testing import mock_chime

    with mock_chime() as chime:                 # alone, inside moto's mock_aws, or as decorator
        my_app.start_standup()                  # plain boto3 or ChimeCalls
        assert chime.calls[0].to_phone_number == "+14255550199"

Requests are answered at botocore's HTTP layer (``before-send``), so they go through real
serialization, HTTP status codes and error parsing. While a fake is active no Chime request
leaves the process, whichever session or client sends it and whenever it was created; see
chime-calls docs testing.

Importing this package is cheap: it loads the fake itself on first use of a name. It only adds
the hint to moto's ``404 Not yet implemented`` for Chime requests (``_hook``).
"""

from __future__ import annotations

import contextlib
import types
from typing import TYPE_CHECKING, Any

from chime_calls.testing import _hook

if TYPE_CHECKING:
    from chime_calls._clock import VirtualClock
    from chime_calls.testing._fake import ChimeFake, SmaHandler, Unfired
    from chime_calls.testing._faults import (
        MagicNumbers,
        OperationName,
        UnfiredFaultsError,
        UnfiredFaultsWarning,
    )
    from chime_calls.testing._meetings import AutoEndPolicy
    from chime_calls.testing._records import (
        CallUpdate,
        FakeAttendee,
        FakeMeeting,
        PlacedCall,
        ReceivedRequest,
    )
    from chime_calls.testing._sma import SmaCallRecord
    from chime_calls.testing._sma_check import SmaCheckReport, SmaFinding, check_sma_handler
    from chime_calls.testing._voice import (
        FakePhoneNumber,
        FakePhoneNumberOrder,
        FakeSipMediaApplication,
        FakeSipRule,
        ProvisionedSipMediaApplication,
        VoiceBackend,
    )

__all__ = [
    "AutoEndPolicy",
    "CallUpdate",
    "ChimeFake",
    "FakeAttendee",
    "FakeMeeting",
    "FakePhoneNumber",
    "FakePhoneNumberOrder",
    "FakeSipMediaApplication",
    "FakeSipRule",
    "MagicNumbers",
    "OperationName",
    "PlacedCall",
    "ProvisionedSipMediaApplication",
    "ReceivedRequest",
    "SmaCallRecord",
    "SmaCheckReport",
    "SmaFinding",
    "SmaHandler",
    "UnfiredFaultsError",
    "UnfiredFaultsWarning",
    "VirtualClock",
    "VoiceBackend",
    "active_fake",
    "check_sma_handler",
    "mock_chime",
]

_EXPORTS: dict[str, str] = {
    "AutoEndPolicy": "chime_calls.testing._meetings",
    "VirtualClock": "chime_calls._clock",
    "ChimeFake": "chime_calls.testing._fake",
    "SmaHandler": "chime_calls.testing._fake",
    "MagicNumbers": "chime_calls.testing._faults",
    "OperationName": "chime_calls.testing._faults",
    "UnfiredFaultsError": "chime_calls.testing._faults",
    "UnfiredFaultsWarning": "chime_calls.testing._faults",
    "CallUpdate": "chime_calls.testing._records",
    "FakeAttendee": "chime_calls.testing._records",
    "FakeMeeting": "chime_calls.testing._records",
    "PlacedCall": "chime_calls.testing._records",
    "ReceivedRequest": "chime_calls.testing._records",
    "SmaCallRecord": "chime_calls.testing._sma",
    "SmaCheckReport": "chime_calls.testing._sma_check",
    "SmaFinding": "chime_calls.testing._sma_check",
    "check_sma_handler": "chime_calls.testing._sma_check",
    "FakePhoneNumber": "chime_calls.testing._voice",
    "FakePhoneNumberOrder": "chime_calls.testing._voice",
    "FakeSipMediaApplication": "chime_calls.testing._voice",
    "FakeSipRule": "chime_calls.testing._voice",
    "ProvisionedSipMediaApplication": "chime_calls.testing._voice",
    "VoiceBackend": "chime_calls.testing._voice",
}


def mock_chime(
    *,
    account_id: str = "123456789012",
    legacy_access: bool = True,
    credentials: bool = True,
    real_time: bool = False,
    quotas: bool = True,
    unfired_faults: Unfired = "warn",
    auto_end: AutoEndPolicy | None = None,
) -> ChimeFake:
    """A fresh ``ChimeFake``, to use as ``with mock_chime() as chime:`` or ``@mock_chime()``.

    ``legacy_access=False`` makes the legacy ``chime`` namespace refuse meeting and call
    operations like AWS does for accounts that never used them. ``credentials=True`` sets
    dummy AWS credentials in the environment while active (signing happens before the fake
    answers), restoring the previous values afterwards. Time is virtual unless
    ``real_time=True``: retries, pacing, quotas and injected latency advance ``chime.clock``
    instead of sleeping. ``quotas=False`` turns off AWS's documented default request rates.
    ``unfired_faults`` says what leaving the block with faults still queued does: ``"warn"``
    (``UnfiredFaultsWarning``), ``"raise"`` (``UnfiredFaultsError``) or ``"ignore"``.
    ``auto_end`` says when meetings end on their own (``AutoEndPolicy``; AWS's rules by
    default).
    """
    from chime_calls.testing._fake import ChimeFake

    return ChimeFake(
        account_id=account_id,
        legacy_access=legacy_access,
        credentials=credentials,
        real_time=real_time,
        quotas=quotas,
        unfired_faults=unfired_faults,
        auto_end=auto_end,
    )


def active_fake() -> ChimeFake | None:
    """The innermost active fake (handy inside ``@mock_chime()``-decorated tests)."""
    return _hook.active()


for _function in (mock_chime, active_fake):
    _function.__module__ = __name__
del _function


if not TYPE_CHECKING:  # type checkers see the imports above

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        if isinstance(value, (type, types.FunctionType)) and module.startswith(__name__):
            # reprs and docs say chime_calls.testing.ChimeFake, not a private module
            with contextlib.suppress(AttributeError, TypeError):
                value.__module__ = __name__
        globals()[name] = value  # later look-ups skip this hook
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
