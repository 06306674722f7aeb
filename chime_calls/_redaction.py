"""Keeping botocore's DEBUG logging without its secrets.

botocore ignores the models' ``sensitive`` flag: at DEBUG, ``botocore.endpoint`` logs every
request's parameters and body (phone numbers, join tokens, external IDs) and the session token
header, and ``botocore.parsers`` logs every answer's body (the attendee's ``JoinToken``).
``RedactingFilter`` rewrites such records: it removes the secrets of the requests the
facade has in flight (it knows their real values), every value of a member the Chime models mark
sensitive (by name, so an answer's join token too), credentials headers, and anything that
looks like a phone number. ``redact_botocore_logging`` installs it where botocore logs.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = ["RedactingFilter", "enter", "leave", "redact", "redact_botocore_logging"]

#: Whether a RedactingFilter exists: the facade registers its requests' secrets only then.
active = False
_IN_FLIGHT: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "chime_calls_secrets_in_flight", default=()
)
_CREDENTIAL_HEADERS = ("X-Amz-Security-Token", "Authorization")


def enter(secrets: Callable[[], Sequence[str]]) -> contextvars.Token[tuple[str, ...]]:
    """Scrub ``secrets()`` from this thread's (or task's) log records until ``leave``.
    A facade calls it around a request's attempts only while a filter exists (``active``)."""
    return _IN_FLIGHT.set(tuple(secrets()))


def leave(token: contextvars.Token[tuple[str, ...]]) -> None:
    _IN_FLIGHT.reset(token)


@functools.cache
def _sensitive_members() -> re.Pattern[str]:
    """``"Member": "value"`` (JSON or a Python repr) for every member of the Chime models whose
    value is sensitive; a sensitive map's whole ``{...}``."""
    from chime_calls import _shapes

    scalar: set[str] = set()
    maps: set[str] = set()
    for service in _shapes.MODULES:
        shapes = _shapes.load(service).SHAPES
        for row in shapes.values():
            if row[0] != "structure":
                continue
            for member, target, *_ in row[1]:
                shape = shapes[target]
                if shape[0] == "string" and shape[5]:
                    scalar.add(member)
                elif shape[0] == "map" and (
                    shape[5] or shapes[shape[1]][-1] is True or shapes[shape[2]][-1] is True
                ):
                    maps.add(member)
    names = "|".join(sorted(map(re.escape, scalar | set(_CREDENTIAL_HEADERS))))
    map_names = "|".join(sorted(map(re.escape, maps)))
    return re.compile(
        rf"""(?P<q>["']?)\b(?P<name>{names})(?P=q)(?P<sep>\s*[:=]\s*b?)"""
        rf"""(?P<vq>["'])(?:(?!(?P=vq))[^\\]|\\.)*(?P=vq)"""
        rf"""|(?P<mq>["']?)\b(?P<map>{map_names})(?P=mq)(?P<msep>\s*[:=]\s*)\{{[^{{}}]*\}}"""
    )


def _member(match: re.Match[str]) -> str:
    if match.group("name") is not None:
        quote, value_quote = match.group("q"), match.group("vq")
        name = f"{quote}{match.group('name')}{quote}{match.group('sep')}"
        return f"{name}{value_quote}<redacted>{value_quote}"
    quote = match.group("mq")
    return f"{quote}{match.group('map')}{quote}{match.group('msep')}<redacted>"


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secrets, sensitive members' values or phone-like numbers."""
    from chime_calls.errors import scrub

    return scrub(_sensitive_members().sub(_member, text), secrets)


class RedactingFilter(logging.Filter):
    """A logging filter that removes Chime secrets from every record it sees.

    Add it to a handler (``handler.addFilter(chime_calls.RedactingFilter())``) to cover every
    logger that handler serves, or let ``redact_botocore_logging`` add it to botocore's
    loggers. The record's message is formatted once and replaced by its redacted form.

    *New in 0.2.0.*
    """

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        global active  # noqa: PLW0603 - the facade registers secrets once a filter exists
        active = True

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left as it is
            return True
        cleaned = redact(message, _IN_FLIGHT.get())
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def redact_botocore_logging(filter_: RedactingFilter | None = None) -> RedactingFilter:
    """Add a ``RedactingFilter`` to every logger of botocore, aiobotocore, boto3 and
    urllib3 (those that exist and those their modules will create), and return it.

    A filter on a logger applies to the records logged on that logger, so every module's logger
    gets it; a handler-level filter (``handler.addFilter(RedactingFilter())``) is the
    alternative that also covers loggers created later by other code.

    *New in 0.2.0.*
    """
    the_filter = filter_ if filter_ is not None else RedactingFilter()
    for name in _logger_names():
        logger = logging.getLogger(name)
        if the_filter not in logger.filters:
            logger.addFilter(the_filter)
    return the_filter


def _logger_names() -> Iterator[str]:
    """The names of the loggers those libraries' modules create (``getLogger(__name__)``),
    read from their files without importing them, and those that exist already."""
    import importlib.util

    roots = ("botocore", "aiobotocore", "boto3", "urllib3")
    for root in roots:
        yield root
        spec = importlib.util.find_spec(root)
        for folder in (spec.submodule_search_locations or []) if spec is not None else []:
            for directory, _, files in os.walk(folder):
                package = os.path.relpath(directory, folder).replace(os.sep, ".")
                prefix = root if package == "." else f"{root}.{package}"
                for file in files:
                    if file.endswith(".py") and file != "__init__.py":
                        yield f"{prefix}.{file[:-3]}"
                if package != ".":
                    yield prefix
    for name in list(logging.Logger.manager.loggerDict):
        if name.split(".", 1)[0] in roots:
            yield name


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
