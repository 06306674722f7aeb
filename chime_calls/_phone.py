"""What people type, as E.164: parsing on Google's libphonenumber (the ``phone`` extra)."""

from __future__ import annotations

__all__ = ["to_e164"]

_FIELD = "phone_number"


def _refuse(rule: str, message: str) -> Exception:
    from chime_calls._rules import Violation
    from chime_calls.errors import ValidationError

    return ValidationError([Violation(_FIELD, rule, message)])


def to_e164(text: object, region: str | None) -> str:
    """``text`` in E.164, or a ValidationError naming what is wrong (never the number)."""
    try:
        import phonenumbers
    except ImportError:  # pragma: no cover - the test extra installs it
        raise ModuleNotFoundError(
            "PhoneNumber.parse needs libphonenumber: pip install 'chime-calls[phone]'"
        ) from None
    if not isinstance(text, str):
        raise TypeError(f"PhoneNumber.parse takes a str, not {type(text).__name__}")
    if region is not None and region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"region must be an ISO 3166 two-letter country code such as 'US', not {region!r}"
        )
    if region is None and not text.strip().startswith("+"):
        raise _refuse(
            "country",
            "has no country code: start it with '+' and the country code (e.g. +12065550123), "
            "or give the country of numbers written without one: PhoneNumber.parse(text, "
            "region='US')",
        )
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        raise _refuse("phone", f"is not a phone number ({_reason(exc)})") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise _refuse("phone", f"cannot be a complete number: {_possible(reason)}")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _reason(exc: object) -> str:
    kind = getattr(exc, "error_type", None)
    names = {
        0: "no valid country code",
        1: "not a number",
        2: "too short after the international prefix",
        3: "too short",
        4: "too long",
    }
    return names.get(int(kind) if kind is not None else -1, "unreadable")


def _possible(reason: int) -> str:
    import phonenumbers

    result = phonenumbers.ValidationResult
    return {
        result.IS_POSSIBLE_LOCAL_ONLY: "a local number without its area code",
        result.INVALID_COUNTRY_CODE: "no such country code",
        result.TOO_SHORT: "too short",
        result.TOO_LONG: "too long",
        result.INVALID_LENGTH: "a length no number of that country has",
    }.get(reason, "not a possible number")
