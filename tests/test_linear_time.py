"""No value makes validation slow: every validated member against long adversarial strings.

Backtracking regular expressions can take quadratic or exponential time on hostile input (a
whitespace-only ``sip_media_application_id`` of 64 K characters once took 85 s). Every string
member of every request type, at every depth, is validated here against runs of whitespace,
digits and letters, near-matches that fail at the very end, and a mix of line terminators.

The guard is a hang detector, not a timing assertion: the whole test gets SIGALRM after a limit
about a hundred times what linear validation needs, while quadratic validation of these inputs
takes hours (``chime_calls._ecma.is_linear`` is the proof; this is the evidence). The default
run uses 64 K characters; ``-m slow`` (CI) 1 MB.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from chime_calls import ValidationError
from chime_calls._ecma import is_linear
from chime_calls._shapes import MODULES, load
from tests._model import declared, full_for, kwargs, operation_model, routes, walk
from tests.test_fuzz import _replace


def adversarial(n: int) -> list[str]:
    return [
        " " * n,  # .*\S.* without a non-space
        " " * n + "\n",
        "\t\u00a0\ufeff" * (n // 3),
        "1" * n,  # digit runs: phone numbers, area codes
        "+1" + "2" * n,
        "a" * n,
        "a" * n + "\n",  # .*\S.*'s worst case: a line terminator after a long match
        "a" * (n - 1) + "!",  # a near-match failing at the very end
        "a " * (n // 2),
        "x\n" * (n // 2),
        "aaaa" * (n // 4),  # TenantId's repeated-character lookahead
        ("11111111-2222-3333-4444-555555555555" * (n // 36 + 1))[:n],
    ]


def _members() -> Iterator[tuple[Any, tuple[Any, ...]]]:
    for param in routes():
        _namespace, cls, service = param.values
        try:
            op = operation_model(service, cls.spec.operation)
        except pytest.skip.Exception:
            continue
        names = declared(cls)
        for path, shape in walk(op.input_shape):
            if path and path[0] in names and shape.type_name == "string" and path[-1] != "{key}":
                yield param, path


@contextmanager
def _hang_detector(seconds: int) -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"validation did not finish within {seconds} s: not linear")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _validate_everything(n: int) -> int:
    checked = 0
    strings = adversarial(n)
    for param, path in _members():
        namespace, cls, service = param.values
        base = full_for(cls, service)
        for text in strings:
            params = _replace(base, path, text)
            with contextlib.suppress(ValidationError):  # refused is fine: quickly is the point
                cls(**kwargs(params)).validate_for(namespace)
            checked += 1
    return checked


def test_every_member_validates_long_adversarial_strings_quickly() -> None:
    with _hang_detector(60):
        assert _validate_everything(64 * 1024) > 100


@pytest.mark.slow
def test_every_member_validates_a_megabyte_quickly() -> None:
    with _hang_detector(300):
        assert _validate_everything(1024 * 1024) > 100


def test_every_pattern_without_a_maximum_length_is_proven_linear() -> None:
    """The proof the generator also enforces: a pattern applied to values of any length must
    be linear (or have a linear equivalent in chime_calls._ecma)."""
    for service in MODULES:
        for name, row in load(service).SHAPES.items():
            if row[0] == "string" and row[3] is not None and row[2] is None:
                assert is_linear(row[3]), f"{service} {name}: {row[3]}"
