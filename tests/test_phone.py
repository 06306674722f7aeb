"""What people type becomes E.164 (``PhoneNumber.parse``, the ``phone`` extra); nothing is
guessed, and the number never appears in a message."""

from __future__ import annotations

import sys

import pytest

from chime_calls import PhoneNumber, ValidationError

TYPED = [
    ("(425) 555-0199", "US", "+14255550199"),
    ("425-555-0199", "US", "+14255550199"),
    ("+1 206 555 0100", None, "+12065550100"),
    ("+1-425-555-0199", None, "+14255550199"),
    ("+1 (425) 555-0199", "GB", "+14255550199"),  # an explicit country code wins
    ("020 7946 0958", "GB", "+442079460958"),
    ("0044 20 7946 0958", "GB", "+442079460958"),  # (which international prefix is the region's)
    ("  +44 20 7946 0958  ", None, "+442079460958"),
]


@pytest.mark.parametrize(("text", "region", "expected"), TYPED)
def test_typed_numbers_become_e164(text: str, region: str | None, expected: str) -> None:
    number = PhoneNumber.parse(text, region=region)
    assert number == expected
    assert isinstance(number, PhoneNumber)


@pytest.mark.parametrize(
    ("text", "region", "rule", "says"),
    [
        ("425-555-0199", None, "country", "region='US'"),
        ("555-0199", "US", "phone", "local number without its area code"),
        ("12", "US", "phone", "too short"),
        ("+1 425 555 0199 0199 0199", None, "phone", "too long"),
        ("call me", "US", "phone", "not a phone number"),
        ("+999 1234567", None, "phone", ""),
    ],
)
def test_what_cannot_be_a_number_is_refused_without_guessing(
    text: str, region: str | None, rule: str, says: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        PhoneNumber.parse(text, region=region)
    (violation,) = raised.value.violations
    assert violation.rule == rule
    assert says in violation.message
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= 4:
        assert digits not in str(raised.value)


def test_a_bad_region_and_a_wrong_type_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="ISO 3166"):
        PhoneNumber.parse("(425) 555-0199", region="USA")
    with pytest.raises(TypeError):
        PhoneNumber.parse(4255550199, region="US")  # type: ignore[arg-type]


def test_the_e164_message_says_what_e164_is_and_how_to_get_there() -> None:
    with pytest.raises(ValidationError) as raised:
        PhoneNumber("(425) 555-0199")
    message = str(raised.value)
    assert "'+', the country code" in message
    assert "PhoneNumber.parse" in message
    assert "425" not in message


def test_without_the_extra_the_message_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "phonenumbers", None)
    with pytest.raises(ModuleNotFoundError, match=r"chime-calls\[phone\]"):
        PhoneNumber.parse("+14255550199")
