"""Every hint is right for the configuration it is given in (a hint that tells a user on
``namespace="sdk"`` to use ``namespace="sdk"`` costs them an hour)."""

from __future__ import annotations

import pytest

from chime_calls import (
    ChimeCalls,
    ConfigurationError,
    LegacyNamespaceRefusedError,
    UnsupportedOperationError,
)
from chime_calls.testing import mock_chime
from tests.conftest import (
    FROM,
    REGION,
    TO,
    make_calls,
    needs_current_botocore,
    needs_legacy_botocore,
)

GUID = "11111111-2222-3333-4444-555555555555"
TOKEN = "am9pbnRva2Vu"


def _dial_out_refusal(namespace: str) -> str:
    with mock_chime(legacy_access=False, quotas=False) as chime:
        calls = make_calls(namespace=namespace)
        meeting_id = GUID
        if namespace == "sdk":
            meeting_id = calls.create_meeting(
                external_meeting_id="m1", media_region=REGION
            ).meeting_id
        with pytest.raises(LegacyNamespaceRefusedError) as raised:
            calls.create_meeting_dial_out(
                meeting_id=meeting_id, from_phone_number=FROM, to_phone_number=TO, join_token=TOKEN
            )
        assert chime.attempts("CreateMeetingDialOut") == 1
    return str(raised.value)


def test_a_refused_dial_out_on_the_sdk_namespace_points_to_the_sma_path() -> None:
    message = _dial_out_refusal("sdk")
    assert "dial_out(" in message
    assert "sip_media_application_id" in message
    assert "namespace='sdk')" not in message.replace("namespace='sdk', sip", "")


@needs_legacy_botocore
def test_a_refused_dial_out_on_the_legacy_namespace_points_to_the_sma_path_too() -> None:
    message = _dial_out_refusal("legacy")
    assert "dial_out(" in message
    assert "sip_media_application_id" in message


@needs_legacy_botocore
@pytest.mark.parametrize(
    ("method", "service"),
    [
        ("create_meeting", "chime-sdk-meetings"),
        ("create_sip_media_application_call", "chime-sdk-voice"),
    ],
)
def test_a_refused_legacy_operation_points_to_its_dedicated_namespace(
    method: str, service: str
) -> None:
    with mock_chime(legacy_access=False, quotas=False):
        calls = make_calls(namespace="legacy")
        kwargs = (
            {"external_meeting_id": "m1", "media_region": REGION}
            if method == "create_meeting"
            else {
                "sip_media_application_id": "sma-1",
                "from_phone_number": FROM,
                "to_phone_number": TO,
            }
        )
        with pytest.raises(LegacyNamespaceRefusedError) as raised:
            getattr(calls, method)(**kwargs)
    message = str(raised.value)
    assert "ChimeCalls(namespace='sdk')" in message
    assert service in message


@needs_current_botocore
def test_a_legacy_operation_botocore_no_longer_models_names_its_replacement() -> None:
    calls = ChimeCalls(namespace="legacy", region_name=REGION)
    with mock_chime(), pytest.raises(UnsupportedOperationError) as raised:
        calls.create_meeting(external_meeting_id="m1", media_region=REGION)
    message = str(raised.value)
    assert "1.37.2" in message
    assert "ChimeCalls(namespace='sdk')" in message
    assert "chime-sdk-meetings CreateMeeting" in message
    assert raised.value.replacement == "chime-sdk-meetings CreateMeeting"


def test_an_sdk_only_operation_on_the_legacy_namespace_says_which_namespace() -> None:
    calls = ChimeCalls(namespace="legacy", region_name=REGION)
    with pytest.raises(UnsupportedOperationError) as raised:
        calls.list_attendees(meeting_id=GUID)
    message = str(raised.value)
    assert "'sdk'" in message
    assert "chime-sdk-meetings ListAttendees" in message


def test_dial_out_without_an_application_says_how_to_configure_one() -> None:
    calls = ChimeCalls(region_name=REGION)
    with pytest.raises(ConfigurationError) as raised:
        calls.dial_out(
            meeting_id=GUID, from_phone_number=FROM, to_phone_number=TO, join_token=TOKEN
        )
    message = str(raised.value)
    assert "sip_media_application_id" in message
    assert "create_meeting_dial_out" in message  # the legacy path, named as an alternative
