"""One operation, one place: the spec every request type carries, and what is derived from it.

A request type is an attrs class whose fields are the operation's input members (see
``chime_calls._fields`` for how a field names its member), decorated with ``operation``,
which states the facts no model holds: the AWS operation, the service per namespace, how safe it
is to send twice, the documented rate, and how its answer becomes the result type (the ``R`` of
``Request[R]``). Everything else is derived, once per class and on first use, from the generated
model data (``chime_calls._shapes``):

* which constraints each field has, and which of them differ by namespace (checked when the
  request is sent) or not (checked when it is built);
* which fields travel in the URL path (``"."``, ``".."`` and ``""`` are refused there: they
  would re-target the request);
* how the request is serialised and how the answer is parsed (from the result type's
  annotations), and which result fields AWS must send (those without a default);
* how a listing operation pages (``page_tokens``: the request's and the result's token
  fields), so every facade can follow the pages (``next_page``).

Routing, retries, pacing and parsing read the spec; nothing else switches on operation names.
A field that names no member, a sensitive member held in a plain ``str``, or a spec naming an
operation the data lacks fails when the plan is built, which ``tests/test_spec.py`` does for
every request type.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
import threading
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import attrs

from chime_calls import _shapes
from chime_calls._codec import ResponseShapeError, params_of, parse, to_struct
from chime_calls._fields import (
    Check,
    Common,
    SpecError,
    checks_for,
    compile_checks,
    fields,
    member_name,
    snake,
)
from chime_calls._policy import OperationKind
from chime_calls._rules import Rule, StructRule, Violation, _Struct, rule_for
from chime_calls.values import SensitiveMap, SensitiveValue

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "Model",
    "OperationSpec",
    "Request",
    "ResponseShapeError",
    "SpecError",
    "all_request_types",
    "next_page",
    "operation",
    "parse_result",
    "plan",
    "snake",
    "to_struct",
]

R = TypeVar("R")
_T = TypeVar("_T")
_lock = threading.RLock()


# --- the spec -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OperationSpec:
    """The facts about one operation that no service model holds.

    ``services`` maps each namespace that can carry the request to the boto3 service that
    serves it; ``rate`` is AWS's documented default requests per second (``None``: none
    published); ``unwrap`` names the output member that holds the result (``"Meeting"``);
    ``gone_after_retry`` makes a ``NotFound`` after an attempt whose outcome was unknown a
    success (a DeleteMeeting that did delete). ``page_tokens`` names, for a listing operation,
    the request field that asks for a page and the result field that names the next one
    (``("next_token", "next_token")``).
    """

    operation: str
    services: Mapping[str, str]
    namespaces: tuple[str, ...]
    kind: OperationKind
    rate: float | None
    result: Any
    unwrap: str | None = None
    gone_after_retry: bool = False
    successor: str | None = None
    advice: str | None = None
    page_tokens: tuple[str, str] | None = None

    def replacement(self) -> str | None:
        """What serves this operation outside the legacy namespace, e.g.
        ``"chime-sdk-meetings CreateMeeting"``."""
        if self.successor is not None:
            return self.successor
        service = self.services.get("sdk")
        return f"{service} {self.operation}" if service and service != "chime" else None

    def legacy_advice(self) -> str:
        """What to do when the legacy namespace refuses or lacks the operation."""
        if self.advice is not None:
            return self.advice
        return f"use ChimeCalls(namespace='sdk'), which sends it to {self.replacement()}"


def operation(
    name: str,
    *,
    service: str | None,
    kind: OperationKind,
    rate: float | None = None,
    legacy: bool = False,
    unwrap: str | None = None,
    gone_after_retry: bool = False,
    virtual: tuple[str, ...] = (),
    successor: str | None = None,
    advice: str | None = None,
    page_tokens: tuple[str, str] | None = None,
) -> Callable[[type[_T]], type[_T]]:
    """Attach an ``OperationSpec`` to a request type (apply it above ``@attrs.frozen``).

    ``service`` serves the operation in the ``"sdk"`` namespace; ``legacy=True`` adds the
    legacy ``chime`` client, where the operation has the same name. The result type is the
    ``R`` of the class's ``Request[R]`` base. A ``virtual`` request (dial-out) is no AWS
    operation: it names the namespaces it can be sent in, and the facade turns it into one;
    its fields name their shapes (``metadata={"shape": {namespace or "*": (service, shape)}}``).
    ``successor`` and ``advice`` name what replaces an operation that only the legacy
    namespace has, for the messages of a legacy refusal.
    """

    def attach(cls: type[_T]) -> type[_T]:
        services: dict[str, str] = {}
        if service is not None:
            services["sdk"] = service
        if legacy:
            services["legacy"] = "chime"
        spec = OperationSpec(
            operation=name,
            services=services,
            namespaces=tuple(services) or virtual,
            kind=kind,
            rate=rate,
            result=_result_type(cls),
            unwrap=unwrap,
            gone_after_retry=gone_after_retry,
            successor=successor,
            advice=advice,
            page_tokens=page_tokens,
        )
        cls.spec = spec  # type: ignore[attr-defined]
        return cls

    return attach


def _result_type(cls: type[Any]) -> Any:
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            if typing.get_origin(base) is Request:
                (result,) = typing.get_args(base)
                return None if result is type(None) else result
    raise SpecError(f"{cls.__name__} must derive from Request[ResultType]")


# --- models ----------------------------------------------------------------------------------


class Model(_Struct):
    """Base of the nested and result types: built from and turned into AWS's shape.

    An instance parsed from an answer keeps that answer privately (``_aws``: not a field, so
    never in its repr, str, equality, hash or pickle), and ``to_aws`` gives back the
    members its type does not model as AWS sent them: a member AWS adds later reaches whoever
    is handed ``to_aws()`` (a browser's Chime SDK, say) before this package knows it.
    """

    __slots__ = ("_aws",)
    #: the parser stores the answer in ``_aws`` (chime_calls._codec)
    _keeps_answer: ClassVar[bool] = True

    @classmethod
    def from_aws(cls, data: Mapping[str, Any]) -> Self:
        """Parse AWS's (PascalCase) mapping, ignoring members this type does not know (but
        keeping them for ``to_aws``)."""
        return parse(cls, data)

    def to_aws(self) -> dict[str, Any]:
        """AWS's (PascalCase) shape, with real values, plus the members of the answer this
        instance was parsed from that its type does not model (``ResponseMetadata`` aside),
        at every level. For sending and for handing on; never for logging."""
        cls = type(self)
        out = params_of(cls)(self)
        for field in fields(cls):
            value = getattr(self, field.name)
            if isinstance(value, Model):
                out[member_name(field)] = value.to_aws()
            elif type(value) is tuple and value and isinstance(value[0], Model):
                out[member_name(field)] = [item.to_aws() for item in value]
        answer: Mapping[str, Any] | None = getattr(self, "_aws", None)
        if answer:
            known = _MEMBERS.get(cls) or _members(cls)
            for key, item in answer.items():
                if key not in known:
                    out[key] = copy.deepcopy(item)
        return out


_MEMBERS: dict[type[Any], frozenset[str]] = {}


def _members(cls: type[Any]) -> frozenset[str]:
    """The members ``cls`` models (and ``ResponseMetadata``, which is no member of anything)."""
    found = _MEMBERS[cls] = frozenset({*(member_name(f) for f in fields(cls)), "ResponseMetadata"})
    return found


def parse_result(spec: OperationSpec, response: Mapping[str, Any]) -> Any:
    """The result of one answer, as the spec says (``None`` for operations without one)."""
    result = spec.result
    if result is None:
        return None
    if spec.unwrap is not None:
        inner = response.get(spec.unwrap)
        if not isinstance(inner, Mapping):
            raise ResponseShapeError(spec.unwrap, "is missing")
        return parse(result, inner, spec.unwrap)
    return parse(result, response)


def next_page(
    request: Request[Any], page: object, seen: set[str] | None = None
) -> Request[Any] | None:
    """The request for the page after ``page`` (``None``: ``page`` was the last), by the spec's
    ``page_tokens``. A token equal to the one just sent, or to any in ``seen`` (the walk's
    tokens so far, which this adds to), would page forever: it raises
    ``InvalidResponseError`` instead."""
    tokens = type(request).spec.page_tokens
    if tokens is None:
        raise SpecError(f"{type(request).__name__} is not pageable (no page_tokens in its spec)")
    asked, answered = tokens
    token = getattr(page, answered)
    if not token:
        return None
    if token == getattr(request, asked) or (seen is not None and token in seen):
        from chime_calls.errors import InvalidResponseError

        spec = type(request).spec
        raise InvalidResponseError(
            f"{spec.operation} answered with a page token it had returned before; stopping "
            "instead of asking for the same page forever",
            operation=spec.operation,
            service=next(iter(spec.services.values()), ""),
            status_code=None,
            request_id=None,
            idempotent=True,
        )
    if seen is not None:
        seen.add(token)
    return attrs.evolve(request, **{asked: token})  # type: ignore[misc]


# --- requests --------------------------------------------------------------------------------


class _Plan:
    """A request type's checks: those every namespace shares, and each namespace's own."""

    __slots__ = ("by_namespace", "check", "check_for", "params", "shared", "to_params")

    def __init__(self, cls: type[Request[Any]]) -> None:
        spec = vars(cls).get("spec")
        if not isinstance(spec, OperationSpec):
            raise SpecError(f"{cls.__name__} has no @operation spec")
        per_ns: dict[str, dict[str, Check]] = {}
        for namespace in spec.namespaces:
            shape: StructRule | None = None
            service = spec.services.get(namespace)
            if service is not None:
                row = _shapes.load(service).OPERATIONS.get(spec.operation)
                if row is None:
                    raise SpecError(f"{cls.__name__}: {service} has no {spec.operation}")
                if row[3] is not None:  # (an operation without input has no shape)
                    found = rule_for(service, row[3])
                    assert isinstance(found, StructRule)  # noqa: S101 - inputs are structures
                    shape = found
            per_ns[namespace] = checks_for(cls, shape, namespace, strict=False)
        shared: list[Check | Common] = []
        by_namespace: dict[str, list[Check]] = {ns: [] for ns in per_ns}
        for field in fields(cls):
            found_in = {ns: c[field.name] for ns, c in per_ns.items() if field.name in c}
            if not found_in:
                raise SpecError(
                    f"{cls.__name__}.{field.name}: {member_name(field)} is not a member of "
                    f"{spec.operation}'s input in any namespace"
                )
            checks = list(found_in.values())
            if len({(c.rule.key(), c.path_segment) for c in checks}) > 1:
                # The rules differ: on construction, what every namespace refuses; the rest
                # when the namespace is known.
                shared.append(
                    Common(
                        [Check(c.field, c.member, c.rule, False, c.path_segment) for c in checks]
                    )
                )
                for ns, check in found_in.items():
                    by_namespace[ns].append(check)
                continue
            # One rule wherever the member exists: checked on construction. Required only
            # where every namespace requires it; elsewhere "required" waits for the namespace.
            required = len(found_in) == len(per_ns) and all(c.required for c in checks)
            first = checks[0]
            shared.append(
                Check(first.field, first.member, first.rule, required, first.path_segment)
            )
            for ns, check in found_in.items():
                if check.required and not required:
                    by_namespace[ns].append(Check(check.field, check.member, _ANY, True, False))
        self.shared = tuple(shared)
        self.by_namespace = {ns: tuple(checks) for ns, checks in by_namespace.items()}
        self.check: Callable[[object, list[Violation]], None] = compile_checks(shared, nested=False)
        self.check_for = {
            ns: compile_checks(checks, nested=False)
            for ns, checks in by_namespace.items()
            if checks
        }
        in_path = frozenset(
            name for checks in per_ns.values() for name, c in checks.items() if c.path_segment
        )
        self.to_params: Callable[[object], dict[str, Any]] = params_of(cls, in_path)


class _AnyRule(Rule):
    """Accepts every value: the namespace check that only adds "is required"."""

    __slots__ = ()

    def check(self, value: object, field: str, out: list[Violation]) -> None:
        return None


_ANY = _AnyRule("(any)")
_PLANS: dict[type[Any], _Plan] = {}


def plan(cls: type[Request[Any]]) -> _Plan:
    found = _PLANS.get(cls)
    if found is None:
        with _lock:
            found = _PLANS.get(cls)
            if found is None:
                found = _PLANS[cls] = _Plan(cls)
    return found


class Request(_Struct, Generic[R]):
    """Base of every request type: ``send(request)`` returns its ``R``.

    Construction checks every constraint the namespaces share and raises
    ``ValidationError`` listing all violations; the few that differ by
    namespace are checked by ``validate_for`` when the request is sent.

    *New in 0.2.0.*
    """

    __slots__ = ()
    spec: ClassVar[OperationSpec]
    #: whether the type adds to its result (``_finish``); read on every send
    _finishes: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._finishes = "_finish" in vars(cls) or cls._finishes

    def __attrs_post_init__(self) -> None:
        the_plan = _PLANS.get(type(self)) or plan(type(self))
        out: list[Violation] = []
        the_plan.check(self, out)
        if out:
            from chime_calls.errors import ValidationError

            raise ValidationError(out)

    def violations(self, namespace: str | None = None) -> list[Violation]:
        """Every violation for ``namespace`` (``None``: only the rules all namespaces share)."""
        the_plan = plan(type(self))
        out: list[Violation] = []
        the_plan.check(self, out)
        if namespace is not None and namespace in the_plan.check_for:
            the_plan.check_for[namespace](self, out)
        return out

    def validate_for(self, namespace: str) -> None:
        """Raise unless the request is valid for ``namespace``.

        Construction already checked the shared rules (the instance is frozen, so they still
        hold); only the rules that differ by namespace are checked here.
        """
        check = (_PLANS.get(type(self)) or plan(type(self))).check_for.get(namespace)
        if check is not None:
            out: list[Violation] = []
            check(self, out)
            if out:
                from chime_calls.errors import ValidationError

                raise ValidationError(out)

    def to_params(self) -> dict[str, Any]:
        """The botocore parameters: real values, AWS member names, absent members left out."""
        return (_PLANS.get(type(self)) or plan(type(self))).to_params(self)

    def _finish(self, result: R) -> R:
        """The result of a successful send; a request type may add what only it knows."""
        return result

    def sensitive_values(self) -> list[str]:
        """Real values of every secret the request carries, to scrub from what AWS echoes."""
        found: list[str] = []
        _collect_secrets(self, found)
        return found


def _collect_secrets(value: Any, out: list[str]) -> None:
    if isinstance(value, SensitiveValue):
        out.append(value.reveal())
    elif isinstance(value, SensitiveMap):
        for k, v in value.items():
            out.extend((k, v))
    elif isinstance(value, _Struct) and attrs.has(type(value)):
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]
            _collect_secrets(getattr(value, field.name), out)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _collect_secrets(item, out)


# --- every request type ------------------------------------------------------------------------

#: Modules that define no request types (and the fake, whose import installs a botocore hook).
_NOT_MODELS = frozenset(
    {"testing", "migration", "sma", "cli", "__main__", "_demo", "_shapes", "_version"}
)


def all_request_types() -> list[type[Request[Any]]]:
    """Every concrete request type of the package (imports every module that may define one)."""
    import chime_calls

    pending: list[tuple[Any, str]] = [(chime_calls.__path__, "chime_calls.")]
    while pending:
        path, prefix = pending.pop()
        for info in pkgutil.iter_modules(path, prefix):
            if info.name.rsplit(".", 1)[1] in _NOT_MODELS:
                continue
            module = importlib.import_module(info.name)
            if info.ispkg:
                pending.append((module.__path__, info.name + "."))
    found: set[type[Request[Any]]] = set()
    stack: list[type[Any]] = [Request]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            home = getattr(sub, "_defined_in", sub.__module__)
            if "spec" in vars(sub) and home.split(".")[0] == "chime_calls":
                found.add(sub)
    return sorted(found, key=lambda c: c.__name__)


from chime_calls._public import publish as _publish  # noqa: E402 - runs after the definitions

_publish(globals(), __name__)
