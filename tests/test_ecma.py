"""The pattern engine decides like an ECMAScript engine, which is what the service runs."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest

from chime_calls import _rules
from chime_calls._ecma import compile_pattern, conforms

PATTERNS = sorted(
    {
        rule.pattern
        for rule in vars(_rules).values()
        if isinstance(rule, _rules.StringRule) and rule.pattern
    }
)

# Each row is a corner where Python's `re` on the raw pattern text disagrees with ECMAScript.
CORNERS = [
    (r"^\+?[1-9]\d{1,14}$", "+12065550100\n", False),  # $ before a final newline
    (r"^\+?[1-9]\d{1,14}$", "+1\uff12\uff10\uff16", False),  # fullwidth digits
    (r"^\+?[1-9]\d{1,14}$", "+1\u0662\u0660\u0666", False),  # Arabic-Indic digits
    (r"^\+?[1-9]\d{1,14}$", "+12065550100", True),
    (r".*\S.*", "\ufeff", False),  # ECMAScript whitespace, not Python's
    (r".*\S.*", "\u00a0\u2028\u3000", False),
    (r".*\S.*", "\x1c", True),  # Python whitespace, not ECMAScript's
    (r".*\S.*", "\x85", True),
    (r".*\S.*", " \t\n\r\x0b\x0c ", False),
    (r".*\S.*", " sma-1 ", True),
    # the whole value must match: a GUID inside a longer string is no GUID
    (
        r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}",
        "x-" + "a" * 8 + "-1111" * 3 + "-" + "b" * 12 + "-y",
        False,
    ),
    (
        r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}",
        "a" * 8 + "-1111" * 3 + "-" + "b" * 12,
        True,
    ),
    (r"[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}", "not-a-guid", False),
    (r"[-_a-zA-Z0-9]*", "any thing!", False),  # matches the empty string inside, not the whole
    (r"[-_a-zA-Z0-9]*", "any-thing_1", True),
    (r"^[a-zA-Z0-9+/]+$", "dG9r\n", False),
    (r"^[a-zA-Z+-=._:/]+$", "team,1<", True),  # +-= is a range that includes , digits <
    (r"^[a-zA-Z+-=._:/]+$", "a b", False),
    (r"[\s\w+-=\.:/@]*", "", True),
    (r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$", "aaab", True),
    (r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$", "xaaaa", False),
    (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn:aws:sns:us-east-1:123456789012:t", True),
    (r"^arn[\/\:\-\_\.a-zA-Z0-9]+$", "arn:aws:sns\n", False),
]


@pytest.mark.parametrize(("pattern", "value", "expected"), CORNERS)
def test_corners(pattern: str, value: str, expected: bool) -> None:
    assert conforms(pattern, value) is expected


def test_compiled_patterns_are_cached() -> None:
    assert compile_pattern(r".*\S.*") is compile_pattern(r".*\S.*")


@pytest.mark.parametrize("pattern", ["\\", "[abc", r"\p{L}", r"[\p]"])
def test_unsupported_syntax_is_refused_not_guessed(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"pattern|class|escape"):
        compile_pattern(pattern)


ALPHABET = [
    *"+0123456789abcdefABCDEF-_ \t\n\r:/=.@arn!#$,<",
    "\u00a0",
    "\ufeff",
    "\x1c",
    "\x85",
    "\u2028",
    "\u0663",
    "\uff11",
    "\u00e9",
    "\U0001f600",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is the ECMAScript oracle")
def test_agrees_with_a_real_ecmascript_engine() -> None:
    rng = random.Random(20261125)
    cases = [
        (p, "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 18))))
        for p in PATTERNS
        for _ in range(2000)
    ]
    cases += [(p, value) for p in PATTERNS for _, value, _ in CORNERS]
    script = (
        "const c=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "process.stdout.write(JSON.stringify(c.map(([p,s])=>new RegExp(p).test(s))))"
    )
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    verdicts = json.loads(done.stdout)
    mismatches = [
        (p, s, v) for (p, s), v in zip(cases, verdicts, strict=True) if conforms(p, s) is not v
    ]
    assert mismatches == []
