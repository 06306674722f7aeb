"""Facade methods made from request types: declared once, for every facade.

``list_attendees = Op(lambda: meetings.ListAttendeesRequest)`` in a ``Group`` gives
``ChimeCalls`` a method ``list_attendees(...)`` with the request type's own keyword arguments,
returning its ``R``; the same line gives ``AsyncChimeCalls`` a coroutine method. mypy sees the
signature (``Op`` captures the request type's ``__init__`` with a ``ParamSpec``), and the
request type's module is imported only when the method is first used, so importing a facade
stays cheap (``lazy_module``).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Coroutine
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import Self

    from chime_calls._spec import Request

__all__ = ["Async", "Group", "M", "Op", "Sync", "lazy_module"]

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound="Mode")


class Mode:
    """How a facade sends: ``Sync`` returns results, ``Async`` returns coroutines."""


class Sync(Mode):
    pass


class Async(Mode):
    pass


class Group(Generic[M]):
    """Operations that send through a facade (the facade itself, or one of its groups)."""

    def send(self, request: Request[Any]) -> Any:
        raise NotImplementedError  # pragma: no cover - facades and groups define it


class Op(Generic[P, R]):
    """A method that builds ``request_type(**kwargs)`` and sends it (see the module doc)."""

    def __init__(self, request_type: Callable[[], Callable[P, Request[R]]]) -> None:
        self._load = request_type
        self._type: Callable[P, Request[R]] | None = None
        self._name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def request_type(self) -> Callable[P, Request[R]]:
        """The request type this method builds (imported on first use)."""
        if self._type is None:
            self._type = self._load()
        return self._type

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self.request_type().__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, obj: Group[Sync], owner: type[Any]) -> Callable[P, R]: ...

    @overload
    def __get__(
        self, obj: Group[Async], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        import inspect

        build = self.request_type()
        send = obj.send
        if inspect.iscoroutinefunction(send):
            # An async facade: a coroutine function too, so bad input raises when awaited,
            # like every ``async def`` (the request is still built, and refused, before I/O).
            @functools.wraps(build)
            async def method(*args: Any, **kwargs: Any) -> Any:
                return await send(build(*args, **kwargs))

        else:

            @functools.wraps(build)
            def method(*args: Any, **kwargs: Any) -> Any:
                return send(build(*args, **kwargs))

        method.__name__ = method.__qualname__ = self._name
        vars(obj)[self._name] = method  # later look-ups skip the descriptor
        return method


class _LazyModule(ModuleType):
    """A module imported on first attribute access."""

    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module(self.__name__)
        return getattr(module, name)


def lazy_module(name: str) -> Any:
    """``name``'s module, imported when an attribute is first read from it."""
    return _LazyModule(name)
