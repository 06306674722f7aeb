"""Value types for the strings AWS's models mark ``sensitive``.

Phone numbers, join tokens, client request tokens, external IDs and notification ARNs are PII or
secrets. Wrapping them means no ``repr``, ``str``, f-string, log line or traceback of this
package can show them: phone numbers render masked (``+1*******99``), secrets render as
``<redacted>``. Code that needs the real value asks for it explicitly with ``reveal``, and
the facade sends the real value to AWS.

Constructing a value type validates it against its service-model rule and raises
``ValidationError``; the request models validate again in context so that one
error can list every problem of a request with its field path.

A value compares equal to the plain string it holds (``meeting.external_meeting_id ==
"standup"``), in constant time, so application code can check a token without revealing it;
its hash is the string's hash, as equality requires. Two values of different kinds (a
``PhoneNumber`` and an ``ExternalId``) never compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self

    from chime_calls._rules import StringRule

__all__ = [
    "ClientRequestToken",
    "ExternalId",
    "JoinToken",
    "NotificationTarget",
    "PhoneNumber",
    "SensitiveMap",
    "SensitiveText",
    "SensitiveValue",
    "mask_phone_number",
]


def mask_phone_number(value: str) -> str:
    """Masked form of a phone number: the leading ``+``, first digit and last two digits.

    Enough to tell numbers apart in logs, not enough to dial. Anything shorter than a real
    number, or not a number at all, is masked whole.
    """
    body = value[1:] if value.startswith("+") else value
    if len(body) < 6 or not body.isascii() or not body.isdigit():
        return "<redacted>"
    prefix = "+" if value.startswith("+") else ""
    return f"{prefix}{body[0]}{'*' * (len(body) - 3)}{body[-2:]}"


class _ShapeRule:
    """``cls.rule``: the rule of the class's model shape, built on first use."""

    def __get__(self, obj: object, owner: type[SensitiveValue]) -> StringRule:
        from chime_calls._rules import StringRule, rule_for

        rule = rule_for(*owner._shape)
        assert isinstance(rule, StringRule)  # noqa: S101 - the generated data says so
        return rule


class SensitiveValue:
    """A string the service model marks sensitive. Immutable, hashable, picklable.

    Equality compares the real values (also with a plain ``str``), so two tokens can be
    compared without revealing them.
    """

    __slots__ = ("_value",)
    #: (boto3 service, model shape) whose constraints the value must satisfy
    _shape: ClassVar[tuple[str, str]]
    rule: ClassVar[StringRule] = _ShapeRule()  # type: ignore[assignment]
    _value: str

    def __init__(self, value: str) -> None:
        from chime_calls._rules import Violation

        out: list[Violation] = []
        self.rule.check(value, self._field_name(), out)
        if out:
            from chime_calls.errors import ValidationError

            raise ValidationError(out)
        object.__setattr__(self, "_value", value)

    @classmethod
    def _field_name(cls) -> str:
        return cls.__name__

    @classmethod
    def _unchecked(cls, value: str) -> Self:
        """Wrap without validating: the enclosing request validates with the field path."""
        inst = object.__new__(cls)
        _set_value(inst, value)  # (the slot's own setter: on every parsed ID and token)
        return inst

    @classmethod
    def coerce(cls, value: object) -> Self | Any:
        """Converter for request fields: wrap a ``str``, keep anything else for validation."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls._unchecked(value)
        return value

    def reveal(self) -> str:
        """The real value. Call it only where the value must leave the process (e.g. to AWS)."""
        return self._value

    def masked(self) -> str:
        return "<redacted>"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()

    def __format__(self, spec: str) -> str:
        return format(self.masked(), spec)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            theirs = other._value
        elif isinstance(other, str) and not isinstance(other, SensitiveValue):
            theirs = other
        else:
            return NotImplemented
        import hmac  # (not at import: the facade's import stays light)

        return hmac.compare_digest(
            self._value.encode("utf-8", "surrogatepass"), theirs.encode("utf-8", "surrogatepass")
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unpickle, (type(self), self._value))


_set_value = SensitiveValue.__dict__["_value"].__set__


def _unpickle(cls: type[SensitiveValue], value: str) -> SensitiveValue:
    return cls._unchecked(value)


class PhoneNumber(SensitiveValue):
    """An E.164 number (``E164PhoneNumber``: ``^\\+?[1-9]\\d{1,14}$``, ASCII digits only), e.g.
    ``+14255550199``. ``parse`` turns what people type into one."""

    __slots__ = ()
    _shape = ("chime-sdk-voice", "E164PhoneNumber")

    def masked(self) -> str:
        return mask_phone_number(self._value)

    @classmethod
    def parse(cls, text: str, *, region: str | None = None) -> PhoneNumber:
        """What a person typed (``"(425) 555-0199"``, ``"+1 206-555-0100"``) as E.164.

        ``region`` is the ISO 3166 country (``"US"``, ``"GB"``) of numbers written without
        their country code; without it such a number is refused, never guessed. A number that
        cannot be complete (too short, too long, a local number without its area code) is
        refused; whether it is in service is AWS's to say. Needs the ``phone`` extra, Google's
        libphonenumber for Python: ``pip install 'chime-calls[phone]'``.

        *New in 0.2.0.*
        """
        from chime_calls._phone import to_e164

        return cls(to_e164(text, region))


class JoinToken(SensitiveValue):
    """An attendee's join token (``JoinTokenString``, 2..2048): a bearer secret for a meeting."""

    __slots__ = ()
    _shape = ("chime-sdk-meetings", "JoinTokenString")


class ClientRequestToken(SensitiveValue):
    """CreateMeeting's idempotency token (``ClientRequestToken``: 2..64, ``[-_a-zA-Z0-9]*``).

    Keep it to retry a CreateMeeting later: AWS answers the same token with the same meeting.
    """

    __slots__ = ()
    _shape = ("chime-sdk-meetings", "ClientRequestToken")


class ExternalId(SensitiveValue):
    """An application's own ID for a user, meeting or host (2..64 characters, sensitive)."""

    __slots__ = ()
    _shape = ("chime-sdk-meetings", "ExternalUserId")


class NotificationTarget(SensitiveValue):
    """An SNS topic, SQS queue or Lambda function ARN for meeting events (``Arn``)."""

    __slots__ = ()
    _shape = ("chime-sdk-meetings", "Arn")


class SensitiveText(SensitiveValue):
    """Any other string the model marks sensitive (``SensitiveString``): an address line, a
    calling name, a credential, a tag of chime-sdk-voice. The request or result field it is in
    applies its own shape's constraints.

    *New in 0.2.0.*
    """

    __slots__ = ()
    _shape = ("chime-sdk-voice", "SensitiveString")


class SensitiveMap(Mapping[str, str]):
    """SIP headers and SMA arguments: keys and values are sensitive, so the repr shows only the
    number of entries. It is a read-only ``Mapping``; iterate it to get the real entries."""

    __slots__ = ("_data",)
    _data: dict[str, str]

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        if data is None:
            data = {}
        elif not isinstance(data, Mapping):
            raise TypeError(
                f"SensitiveMap takes a mapping of str to str (or None), not {type(data).__name__}"
            )
        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(
                    "SensitiveMap keys and values must be str, not "
                    f"{type(key).__name__}: {type(value).__name__}"
                )
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("SensitiveMap is immutable")

    def __repr__(self) -> str:
        return f"SensitiveMap(<{len(self._data)} redacted entries>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SensitiveMap):
            return self._data == other._data
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items())))

    def __reduce__(self) -> tuple[Any, ...]:
        return (SensitiveMap, (self._data,))

    def reveal(self) -> dict[str, str]:
        """A plain ``dict`` copy with the real keys and values."""
        return dict(self._data)

    @classmethod
    def coerce(cls, value: object) -> SensitiveMap | Any:
        if value is None or isinstance(value, SensitiveMap):
            return value
        if isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return cls(value)
        return value  # wrong types: left for validation to report with the field path


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
