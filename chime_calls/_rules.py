"""Constraint rules copied from the AWS service models, and the checker that applies them.

Each rule names the model shape it comes from; ``tests/test_contract.py`` reads the installed
botocore models and fails if any number, pattern, enum or sensitivity flag here drifts. Rules are
applied with Smithy's semantics: lengths count code points, patterns are ECMA-262 and unanchored
(see :mod:`chime_calls._ecma`), and every violation is collected before anything is raised.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import attrs

from chime_calls._ecma import compile_pattern

__all__ = [
    "ARN",
    "ATTENDEE_MAX",
    "CLIENT_REQUEST_TOKEN",
    "CONTENT_RESOLUTION",
    "E164_PHONE_NUMBER",
    "EXTERNAL_ID",
    "GUID",
    "JOIN_TOKEN",
    "JOIN_TOKEN_DIAL_OUT",
    "MEDIA_CAPABILITY",
    "MEDIA_PLACEMENT_NETWORK_TYPE",
    "MEDIA_REGION",
    "MEETING_FEATURE_STATUS",
    "NON_EMPTY",
    "PRIMARY_MEETING_ID",
    "SMA_MAP",
    "TAG_KEY",
    "TAG_LIST",
    "TAG_VALUE",
    "TENANT_ID",
    "TENANT_ID_LIST",
    "VIDEO_RESOLUTION",
    "IntRule",
    "MapRule",
    "SizeRule",
    "StringRule",
    "Violation",
]


class _Struct:
    """``__repr__``, ``__eq__`` and ``__hash__`` for the package's frozen attrs classes.

    They behave as the ones attrs generates (``Name(field=value!r, ...)`` with the same guard
    against recursion; equal when of the same class with equal fields; a hash of the fields), but
    are written once here instead of being generated and compiled for every class on import,
    which was about half of the time attrs spent building the facade's classes (the classes
    pass ``repr=False, eq=False`` to attrs and inherit these).
    """

    __slots__ = ()
    __attrs_attrs__: tuple[Any, ...]

    def __repr__(self) -> str:
        cls = type(self)
        seen: set[int] | None = getattr(_REPRING, "ids", None)
        if seen is None:
            seen = _REPRING.ids = set()
        if id(self) in seen:
            return "..."
        seen.add(id(self))
        try:
            fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in _field_names(cls))
            return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({fields})"
        finally:
            seen.discard(id(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _field_names(type(self)))

    def __hash__(self) -> int:
        cls = type(self)
        return hash((cls.__qualname__, *(getattr(self, n) for n in _field_names(cls))))


_REPRING = threading.local()
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(a.name for a in cls.__attrs_attrs__)
    return names


@attrs.frozen(repr=False, eq=False)
class Violation(_Struct):
    """One broken constraint: where (``field``), which rule, and a sentence for humans.

    Never carries the offending value: many members are sensitive (phone numbers, tokens).
    """

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@attrs.frozen(repr=False, eq=False)
class StringRule(_Struct):
    """A string shape's constraints, exactly as the service model states them."""

    shape: str
    min_len: int | None = None
    max_len: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    sensitive: bool = False

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if not isinstance(value, str):
            out.append(Violation(field, "type", f"must be a string, not {type(value).__name__}"))
            return
        n = len(value)
        if self.min_len is not None and n < self.min_len:
            out.append(
                Violation(
                    field,
                    "min_length",
                    f"must be at least {self.min_len} characters ({self.shape}); got {n}",
                )
            )
        if self.max_len is not None and n > self.max_len:
            out.append(
                Violation(
                    field,
                    "max_length",
                    f"must be at most {self.max_len} characters ({self.shape}); got {n}",
                )
            )
        if self.pattern is not None and compile_pattern(self.pattern).search(value) is None:
            out.append(
                Violation(field, "pattern", f"must match {self.shape} pattern {self.pattern}")
            )
        if self.enum is not None and value not in self.enum:
            allowed = ", ".join(self.enum)
            out.append(Violation(field, "enum", f"must be one of {allowed} ({self.shape})"))


@attrs.frozen(repr=False, eq=False)
class IntRule(_Struct):
    shape: str
    min_value: int | None = None
    max_value: int | None = None

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(Violation(field, "type", f"must be an integer, not {type(value).__name__}"))
            return
        if self.min_value is not None and value < self.min_value:
            out.append(Violation(field, "min", f"must be at least {self.min_value} ({self.shape})"))
        if self.max_value is not None and value > self.max_value:
            out.append(Violation(field, "max", f"must be at most {self.max_value} ({self.shape})"))


@attrs.frozen(repr=False, eq=False)
class SizeRule(_Struct):
    """Entry-count limits of a list or map shape."""

    shape: str
    min_len: int | None = None
    max_len: int | None = None

    def check(self, size: int, field: str, out: list[Violation]) -> None:
        if self.min_len is not None and size < self.min_len:
            out.append(
                Violation(
                    field,
                    "min_items",
                    f"must have at least {self.min_len} entries ({self.shape}); got {size}",
                )
            )
        if self.max_len is not None and size > self.max_len:
            out.append(
                Violation(
                    field,
                    "max_items",
                    f"must have at most {self.max_len} entries ({self.shape}); got {size}",
                )
            )


@attrs.frozen(repr=False, eq=False)
class MapRule(_Struct):
    """A string-to-string map shape. SIP maps mark keys and values sensitive: paths never
    show a key, only its position."""

    size: SizeRule
    key: StringRule
    value: StringRule

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):  # (dict: fast path)
            out.append(Violation(field, "type", f"must be a mapping, not {type(value).__name__}"))
            return
        self.size.check(len(value), field, out)
        probe: list[Violation] = []
        for i, (k, v) in enumerate(value.items()):
            self.key.check(k, "", probe)
            self.value.check(v, "", probe)
            if not probe:
                continue  # the common case: no per-entry path to format
            probe.clear()
            where = f"{field}[#{i}]" if self.key.sensitive else f"{field}[{k!r}]"
            self.key.check(k, f"{where}.key", out)
            self.value.check(v, f"{where}.value", out)


# --- the shapes (names as in the botocore models) ---------------------------------------------

E164_PHONE_NUMBER = StringRule("E164PhoneNumber", pattern=r"^\+?[1-9]\d{1,14}$", sensitive=True)
GUID = StringRule("GuidString", pattern=r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}")
JOIN_TOKEN = StringRule("JoinTokenString", min_len=2, max_len=2048, sensitive=True)
# CreateMeetingDialOut's JoinTokenString (legacy model) adds a pattern.
JOIN_TOKEN_DIAL_OUT = StringRule(
    "JoinTokenString", min_len=2, max_len=2048, pattern=r"^[a-zA-Z0-9+/]+$", sensitive=True
)
CLIENT_REQUEST_TOKEN = StringRule(
    "ClientRequestToken", min_len=2, max_len=64, pattern=r"[-_a-zA-Z0-9]*", sensitive=True
)
EXTERNAL_ID = StringRule("ExternalUserId", min_len=2, max_len=64, sensitive=True)
MEDIA_REGION = StringRule("MediaRegion", min_len=2, max_len=64)
PRIMARY_MEETING_ID = StringRule("PrimaryMeetingId", min_len=2, max_len=64)
TENANT_ID = StringRule(
    "TenantId", min_len=2, max_len=256, pattern=r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$"
)
TENANT_ID_LIST = SizeRule("TenantIdList", min_len=1, max_len=5)
NON_EMPTY = StringRule("NonEmptyString", pattern=r".*\S.*")
ARN = StringRule(
    "Arn", min_len=1, max_len=1024, pattern=r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", sensitive=True
)
TAG_KEY = StringRule("TagKey", min_len=1, max_len=128, pattern=r"^[a-zA-Z+-=._:/]+$")
TAG_VALUE = StringRule("TagValue", min_len=0, max_len=256, pattern=r"[\s\w+-=\.:/@]*")
TAG_LIST = SizeRule("TagList", min_len=0, max_len=50)
MEDIA_CAPABILITY = StringRule("MediaCapabilities", enum=("SendReceive", "Send", "Receive", "None"))
MEETING_FEATURE_STATUS = StringRule("MeetingFeatureStatus", enum=("AVAILABLE", "UNAVAILABLE"))
VIDEO_RESOLUTION = StringRule("VideoResolution", enum=("None", "HD", "FHD"))
CONTENT_RESOLUTION = StringRule("ContentResolution", enum=("None", "FHD", "UHD"))
MEDIA_PLACEMENT_NETWORK_TYPE = StringRule(
    "MediaPlacementNetworkType", enum=("Ipv4Only", "DualStack")
)
ATTENDEE_MAX = IntRule("AttendeeMax", min_value=1, max_value=250)
_SENSITIVE_STRING = StringRule("SensitiveString", sensitive=True)
SMA_MAP = MapRule(
    SizeRule("SMACreateCallArgumentsMap", 0, 20), _SENSITIVE_STRING, _SENSITIVE_STRING
)
