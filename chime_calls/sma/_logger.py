"""The SMA helpers' logger, looked up when first used.

``logging`` costs a Lambda nothing (its Python runtime has imported it before the handler
module), but in any other interpreter it is a tenth of what ``import chime_calls.sma`` would
load; so the handler and the status tracker import it when they first log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import logging

__all__ = ["LOGGER_NAME", "LoggerAttribute"]

#: The logger the SMA helpers use unless given another.
LOGGER_NAME = "chime_calls.sma"


class LoggerAttribute:
    """An instance attribute holding a logger: the one assigned, or ``chime_calls.sma``'s,
    looked up on first read when ``None`` was assigned."""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._slot = f"_{name}"

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> LoggerAttribute: ...

    @overload
    def __get__(self, obj: object, owner: type[Any]) -> logging.Logger: ...

    def __get__(self, obj: object, owner: type[Any]) -> LoggerAttribute | logging.Logger:
        if obj is None:
            return self
        value: logging.Logger | None = vars(obj).get(self._slot)
        if value is None:
            import logging

            value = logging.getLogger(LOGGER_NAME)
            vars(obj)[self._slot] = value
        return value

    def __set__(self, obj: object, value: logging.Logger | None) -> None:
        vars(obj)[self._slot] = value
