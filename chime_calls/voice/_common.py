"""What the voice modules share: converters, the voice ``Tag``, per-number errors.

Converters take plain Python values (``str``, mappings with snake_case or AWS PascalCase keys,
lists) or the typed objects, and hand anything of the wrong type through unchanged, so that
validation reports it with its field path. Each is a named function: mypy's attrs plugin types
``__init__`` from a converter's signature only when it is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, cast

import attrs

from chime_calls._policy import OperationKind
from chime_calls._spec import Model, to_struct
from chime_calls.namespaces import VOICE
from chime_calls.values import PhoneNumber, SensitiveText

__all__ = [
    "AT_MOST_ONCE",
    "IDEMPOTENT",
    "VOICE",
    "PhoneNumberError",
    "PhoneNumberErrors",
    "Tag",
    "opt_phone",
    "opt_strings",
    "opt_tags",
    "opt_text",
    "phone",
    "phones",
    "strings",
    "struct",
    "structs",
    "tags",
    "text",
    "texts",
]

IDEMPOTENT = OperationKind.IDEMPOTENT
AT_MOST_ONCE = OperationKind.AT_MOST_ONCE

S = TypeVar("S")


def struct(cls: type[S], value: object) -> S:
    """``cls`` from an instance or a mapping (``None`` and wrong types are handed through)."""
    return cast("S", value) if value is None else to_struct(cls, value)


def structs(cls: type[S], value: object) -> tuple[S, ...]:
    """A tuple of ``cls`` from an iterable of instances or mappings (``None`` and wrong types
    are handed through)."""
    if value is None or isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return cast("tuple[S, ...]", value)  # reported by validation
    if type(value) is tuple and all(type(item) is cls for item in value):
        return value
    return tuple(to_struct(cls, item) for item in value)


def phone(value: str | PhoneNumber) -> PhoneNumber:
    if type(value) is str:
        return PhoneNumber._unchecked(value)
    return cast("PhoneNumber", PhoneNumber.coerce(value))


def opt_phone(value: str | PhoneNumber | None) -> PhoneNumber | None:
    return None if value is None else phone(value)


def text(value: str | SensitiveText) -> SensitiveText:
    if type(value) is str:
        return SensitiveText._unchecked(value)
    return cast("SensitiveText", SensitiveText.coerce(value))


def opt_text(value: str | SensitiveText | None) -> SensitiveText | None:
    return None if value is None else text(value)


def _each(convert: Callable[[Any], Any], value: object) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value  # reported by validation
    return tuple(convert(item) for item in value)


def phones(value: Iterable[str | PhoneNumber]) -> tuple[PhoneNumber, ...]:
    return cast("tuple[PhoneNumber, ...]", _each(phone, value))


def texts(value: Iterable[str | SensitiveText]) -> tuple[SensitiveText, ...]:
    return cast("tuple[SensitiveText, ...]", _each(text, value))


def strings(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is tuple:
        return value
    return cast("tuple[str, ...]", _each(lambda item: item, value))


def opt_strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else strings(value)


# --- shared shapes ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Tag(Model):
    """A chime-sdk-voice tag. Its model marks keys and values sensitive (the meetings model does
    not), so both are held redacted; ``tag.key.reveal()`` reads one."""

    key: SensitiveText = attrs.field(converter=text)
    value: SensitiveText = attrs.field(converter=text)


def tags(
    value: Mapping[str, str] | Iterable[Tag | Mapping[str, str]],
) -> tuple[Tag, ...]:
    """``{"team": "ops"}``, ``[Tag(...)]`` or ``[{"Key": ..., "Value": ...}]``."""
    if isinstance(value, Mapping):
        return tuple(Tag(key=k, value=v) for k, v in value.items())
    return cast("tuple[Tag, ...]", structs(Tag, value))


def opt_tags(
    value: Mapping[str, str] | Iterable[Tag | Mapping[str, str]] | None,
) -> tuple[Tag, ...] | None:
    return None if value is None else tags(value)


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberError(Model):
    """Why one number of a batch was not processed: ``error_code`` is AWS's (``NotFound``,
    ``Conflict``, ...), the rest of the batch went ahead."""

    phone_number_id: PhoneNumber | None = None
    error_code: str | None = None
    error_message: str | None = None


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PhoneNumberErrors(Model):
    """The answer of a batch over phone numbers: an empty ``phone_number_errors`` means every
    number was processed. A partial failure is a 200, not an exception: check it."""

    phone_number_errors: tuple[PhoneNumberError, ...] = ()
