"""Facade methods that send more than one request: page listings and multi-step flows.

Like ``Op``, each is declared once in a ``Group``
and works on every facade: a sync facade's method returns the result (or an iterator), an async
facade's returns a coroutine (or an async iterator). The logic never does I/O itself:

* ``Pages`` and ``Items`` follow a listing's pages by its spec's ``page_tokens``
  (``chime_calls._spec.next_page``), so any pageable request type gets both with one line:

      iter_attendees = Items(lambda: models.ListAttendeesRequest, lambda page: page.attendees)

* ``Flow`` drives a generator of *steps*: the generator yields request objects and is sent
  each result back (or thrown the ``ChimeCallsError`` it raised), and returns
  the flow's result. ``run`` drives it with ``facade.send``, ``arun`` awaits an async
  facade's ``send``; both pace the requests at AWS's documented rates (each request type's
  spec) on the facade's clock, unless the facade has a ``Pacing`` of its own,
  which then paces every request anyway.

An async facade is told apart by its ``send`` being a coroutine function.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import Self

    from chime_calls._clock import Clock
    from chime_calls._ops import Async, Group, Sync
    from chime_calls._policy import Pacer
    from chime_calls._spec import Request

__all__ = ["Flow", "Items", "Pages", "Steps", "arun", "pages", "run"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

#: A flow's logic: yields requests, is sent their results, returns the flow's result.
Steps = Generator["Request[Any]", Any, T]


def _is_async(obj: object) -> bool:
    import inspect  # (not at import: the facade's import stays light)

    return inspect.iscoroutinefunction(getattr(obj, "send", None))


class _Method(Generic[P, R]):
    """What ``Pages``, ``Items`` and ``Flow`` share: a lazily loaded callable,
    bound per instance on first access (the way ``Op`` binds). A
    subclass says what calling it does (``_call``); its ``__get__`` overloads only type it."""

    def __init__(self, load: Callable[[], Callable[P, Any]]) -> None:
        self._load = load
        self._target: Callable[P, Any] | None = None
        self._name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def target(self) -> Callable[P, Any]:
        if self._target is None:
            self._target = self._load()
        return self._target

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self.target().__doc__

    def _call(self, obj: Any, made: Any, is_async: bool) -> Any:
        """The method's result for what the target made from the arguments."""
        raise NotImplementedError

    def _get(self, obj: Any) -> Any:
        if obj is None:
            return self
        target = self.target()
        is_async = _is_async(obj)
        call = self._call

        def method(*args: Any, **kwargs: Any) -> Any:
            return call(obj, target(*args, **kwargs), is_async)

        functools.update_wrapper(method, target)
        method.__name__ = method.__qualname__ = self._name
        vars(obj)[self._name] = method  # later look-ups skip the descriptor
        return method


class Pages(_Method[P, R]):
    """Every page of a listing, following its spec's ``page_tokens`` from the first page (or
    from the ``next_token`` given)."""

    def __init__(self, request_type: Callable[[], Callable[P, Request[R]]]) -> None:
        super().__init__(request_type)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, obj: Group[Sync], owner: type[Any]) -> Callable[P, Iterator[R]]: ...

    @overload
    def __get__(self, obj: Group[Async], owner: type[Any]) -> Callable[P, AsyncIterator[R]]: ...

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self._get(obj)

    def _call(self, obj: Any, made: Any, is_async: bool) -> Any:
        return (_apages if is_async else _pages)(obj.send, made)


class Items(_Method[P, R], Generic[P, R, T]):
    """Every item of every page of a listing: ``items(page)`` says which."""

    def __init__(
        self,
        request_type: Callable[[], Callable[P, Request[R]]],
        items: Callable[[R], Iterable[T]],
    ) -> None:
        super().__init__(request_type)
        self._items = items

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, obj: Group[Sync], owner: type[Any]) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(self, obj: Group[Async], owner: type[Any]) -> Callable[P, AsyncIterator[T]]: ...

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self._get(obj)

    def _call(self, obj: Any, made: Any, is_async: bool) -> Any:
        if is_async:
            return _aitems(obj.send, made, self._items)
        return (item for page in _pages(obj.send, made) for item in self._items(page))


async def _aitems(
    send: Callable[[Request[Any]], Any],
    request: Request[Any],
    items: Callable[[Any], Iterable[Any]],
) -> AsyncIterator[Any]:
    async for page in _apages(send, request):
        for item in items(page):
            yield item


def pages(send: Callable[[Request[Any]], Any], request: Request[Any]) -> Any:
    """Every page from ``request`` on, each sent when the caller asks for it: an iterator, or
    an async iterator when ``send`` is a coroutine function (an async facade's)."""
    if type(request).spec.page_tokens is None:
        raise TypeError(
            f"pages() takes a request of a paginated operation (one whose spec has "
            f"page_tokens), not {type(request).__name__}"
        )
    import inspect

    return (_apages if inspect.iscoroutinefunction(send) else _pages)(send, request)


def _pages(send: Callable[[Request[Any]], Any], request: Request[Any]) -> Iterator[Any]:
    from chime_calls._spec import next_page

    current: Request[Any] | None = request
    seen: set[str] = set()
    while current is not None:
        page = send(current)
        yield page
        current = next_page(current, page, seen)


async def _apages(send: Callable[[Request[Any]], Any], request: Request[Any]) -> AsyncIterator[Any]:
    from chime_calls._spec import next_page

    current: Request[Any] | None = request
    seen: set[str] = set()
    while current is not None:
        page = await send(current)
        yield page
        current = next_page(current, page, seen)


class Flow(_Method[P, T]):
    """A method that runs a generator of steps (see the module doc) through the facade."""

    def __init__(self, steps: Callable[[], Callable[P, Steps[T]]]) -> None:
        super().__init__(steps)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, obj: Group[Sync], owner: type[Any]) -> Callable[P, T]: ...

    @overload
    def __get__(
        self, obj: Group[Async], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        return self._get(obj)

    def _call(self, obj: Any, made: Any, is_async: bool) -> Any:
        return (arun if is_async else run)(obj, made)


def run(facade: Any, steps: Steps[T]) -> T:
    """Drive ``steps`` through a sync facade's ``send``."""
    clock, pacer = _pacing(facade)
    try:
        request = next(steps)
        while True:
            wait = _reserve(pacer, request, clock)
            if wait:
                clock.sleep(wait)
            error = result = None
            try:
                result = facade.send(request)
            except Exception as exc:  # noqa: BLE001 - the steps decide; others re-raise below
                error = _as_step_error(exc)
            # (outside the handler, so nothing the steps raise is chained to it)
            request = steps.throw(error) if error is not None else steps.send(result)
    except StopIteration as stop:
        done: T = stop.value
        return done


async def arun(facade: Any, steps: Steps[T]) -> T:
    """Drive ``steps`` through an async facade's ``send``."""
    clock, pacer = _pacing(facade)
    try:
        request = next(steps)
        while True:
            wait = _reserve(pacer, request, clock)
            if wait:
                await clock.asleep(wait)
            error = result = None
            try:
                result = await facade.send(request)
            except Exception as exc:  # noqa: BLE001 - the steps decide; others re-raise below
                error = _as_step_error(exc)
            request = steps.throw(error) if error is not None else steps.send(result)
    except StopIteration as stop:
        done: T = stop.value
        return done


def _as_step_error(exc: Exception) -> Exception:
    """Errors of this package go to the steps to decide on; anything else is a bug to raise."""
    from chime_calls.errors import ChimeCallsError

    if isinstance(exc, ChimeCallsError):
        return exc
    raise exc


def _pacing(facade: Any) -> tuple[Clock, Pacer | None]:
    """The facade's clock, and the pacer flows use when the facade paces nothing itself (one
    per facade, so concurrent flows share AWS's documented rates)."""
    from chime_calls._clock import current

    clock: Clock = getattr(facade, "_clock", None) or current()
    if getattr(facade, "pacing", None) is not None:
        return clock, None  # the facade's own Pacing applies to every request it sends
    pacer: Pacer | None = vars(facade).get("_flow_pacer")
    if pacer is None:
        from chime_calls._policy import Pacer, Pacing

        pacer = vars(facade).setdefault("_flow_pacer", Pacer(Pacing.documented_quotas()))
    return clock, pacer


def _reserve(pacer: Pacer | None, request: Request[Any], clock: Clock) -> float:
    if pacer is None:
        return 0.0
    spec = type(request).spec
    return pacer.reserve(spec.operation, spec.rate, clock)
