"""Sensitive value types: validated, immutable, redacted everywhere but ``reveal()``."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

from chime_calls import (
    ClientRequestToken,
    ExternalId,
    JoinToken,
    NotificationTarget,
    PhoneNumber,
    SensitiveMap,
    ValidationError,
)
from chime_calls.values import mask_phone_number

NUMBER = "+14255550199"


def test_phone_number_is_masked_in_every_rendering() -> None:
    phone = PhoneNumber(NUMBER)
    for text in (
        repr(phone),
        str(phone),
        f"{phone}",
        f"{phone!r}",
        "%s" % (phone,),  # noqa: UP031 - %-formatting is a rendering path too
        [phone].__repr__(),
    ):
        assert NUMBER not in text
        assert "4255550199" not in text
    assert str(phone) == "+1********99"
    assert phone.reveal() == NUMBER


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+14255550199", "+1********99"),
        ("14255550199", "1********99"),
        ("+12", "<redacted>"),
        ("not a number", "<redacted>"),
        ("+1\uff12\uff10\uff16\uff15\uff15\uff15", "<redacted>"),
    ],
)
def test_mask_phone_number(value: str, masked: str) -> None:
    assert mask_phone_number(value) == masked


@pytest.mark.parametrize(
    ("cls", "value"),
    [
        (JoinToken, "dG9rZW4tc2VjcmV0"),
        (ClientRequestToken, "token-123"),
        (ExternalId, "alice@example.com"),
        (NotificationTarget, "arn:aws:sns:us-east-1:123456789012:secret-topic"),
    ],
)
def test_secrets_show_nothing(cls: type[JoinToken], value: str) -> None:
    secret = cls(value)
    assert value not in repr(secret)
    assert str(secret) == "<redacted>"
    assert repr(secret) == f"{cls.__name__}('<redacted>')"
    assert secret.reveal() == value


def test_values_validate_on_construction() -> None:
    with pytest.raises(ValidationError) as info:
        PhoneNumber("+12065550100\n")
    assert info.value.fields == ("PhoneNumber",)
    assert "+12065550100" not in str(info.value)
    with pytest.raises(ValidationError, match="at most 2048"):
        JoinToken("a" * 2049)
    with pytest.raises(ValidationError, match="must be a string"):
        PhoneNumber(12065550100)  # type: ignore[arg-type]


def test_values_are_immutable_hashable_and_picklable() -> None:
    phone = PhoneNumber(NUMBER)
    with pytest.raises(AttributeError):
        phone._value = "+1"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del phone._value
    assert phone == PhoneNumber(NUMBER)
    assert phone != PhoneNumber("+12065550100")
    # equal to the plain string it holds (constant-time), so code can check a value without
    # revealing it; a hash equal to the string's, as equality requires
    assert phone == NUMBER
    assert phone != "+12065550100"
    assert hash(phone) == hash(NUMBER)
    assert phone != JoinToken("14255550199")  # different kinds never compare equal
    assert len({phone, PhoneNumber(NUMBER)}) == 1
    assert pickle.loads(pickle.dumps(phone)) == phone  # noqa: S301 - our own bytes
    assert copy.deepcopy(phone) == phone
    assert len(phone) == len(NUMBER)


def test_sensitive_map_hides_keys_and_values() -> None:
    headers = SensitiveMap({"X-Secret-Header": "s3cr3t"})
    assert repr(headers) == "SensitiveMap(<1 redacted entries>)"
    assert str(headers) == repr(headers)
    assert dict(headers) == {"X-Secret-Header": "s3cr3t"}
    assert headers.reveal() == {"X-Secret-Header": "s3cr3t"}
    assert headers == SensitiveMap({"X-Secret-Header": "s3cr3t"})
    assert hash(headers) == hash(SensitiveMap({"X-Secret-Header": "s3cr3t"}))
    assert pickle.loads(pickle.dumps(headers)) == headers  # noqa: S301 - our own bytes
    with pytest.raises(AttributeError):
        headers.x = 1  # type: ignore[attr-defined]
    assert SensitiveMap.coerce(None) is None
    assert SensitiveMap.coerce({"a": 1}) == {"a": 1}  # left for validation to report


def test_logging_a_value_does_not_leak(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("app").info("calling %s with %r", PhoneNumber(NUMBER), JoinToken("tok"))
    assert NUMBER not in caplog.text
    assert "'tok'" not in caplog.text
