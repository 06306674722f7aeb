"""Type-checked, never run: the fake's operation names are a ``Literal`` (mypy --strict)."""

from __future__ import annotations

from chime_calls.testing import ChimeFake, OperationName, mock_chime


def faults(fake: ChimeFake) -> None:
    fake.throttle("CreateSipMediaApplicationCall")
    fake.throttle("create_sip_media_application_call")
    fake.fail_next("GetMeeting", "NotFoundException", times=2)
    fake.latency(0.5, operation="CreateMeeting")
    fake.rate_limit("CreateAttendee", per_second=10)
    fake.lose_answer(None, kind="503")
    # A misspelt operation is a type error, not a fault that never fires:
    fake.throttle("CreateSipMediaApplicationCal")  # type: ignore[arg-type]
    fake.fail_next("createMeeting")  # type: ignore[arg-type]
    name: OperationName = "GetMeeting"
    assert fake.attempts(name) >= 0


def options() -> None:
    with mock_chime(quotas=False, unfired_faults="raise") as fake:
        faults(fake)
    mock_chime(unfired_faults="loudly")  # type: ignore[arg-type]
