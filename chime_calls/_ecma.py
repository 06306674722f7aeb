"""Apply AWS model patterns the way the service does: whole value, ECMAScript meaning, linear time.

Smithy's ``pattern`` trait is an ECMA-262 regular expression, and AWS services refuse a value
unless the *entire* value matches it, whatever the pattern's anchors say (``[-_a-zA-Z0-9]*``
refuses ``"a b"``; ../shared/DOMAIN.md has the public evidence). Python's ``re`` reads the same
text differently in several corners, each of which would make a validator stricter or looser:

* ``$`` in Python also matches before a trailing ``"\\n"``; in ECMAScript only at the very end.
* ``\\d`` and ``\\w`` are Unicode-aware in Python, ASCII in ECMAScript.
* ``\\s`` differs both ways (Python: U+001C..U+001F, U+0085; ECMAScript: U+FEFF).
* ``.`` excludes LF, CR, U+2028 and U+2029 in ECMAScript, only LF in Python.
* Inside a class, ``[0-9-_]`` and ``[+-=]`` follow ECMAScript's range rules.

So this module parses the pattern itself (the subset the Chime models use: classes, groups,
alternation, greedy and lazy quantifiers, lookaheads, back-references) and emits a Python
expression whose every character class is spelled out as code-point ranges; the result is
applied with ``fullmatch``. Anything it does not understand raises instead of guessing.

Two more guarantees:

* **Linear time.** Backtracking engines can take quadratic or exponential time on hostile input
  (``.*\\S.*`` over 64 K spaces took 85 s). ``is_linear`` proves, for the parsed pattern,
  that every unbounded repetition is followed by characters it cannot consume, so backtracking
  is bounded; patterns that fail the proof either sit on shapes with a maximum length (checked
  first, so the work is bounded) or have a hand-written linear equivalent in
  ``_LINEAR_EQUIVALENTS``, tested against the original. ``scripts/gen_shapes.py`` refuses
  any other.
* **A quantified assertion** (``${2,64}`` in ``ClientRequestId``) is a syntax error in
  ECMAScript; the service reads it (as Java's engine does) as the assertion itself, which is
  also what repeating a zero-width match means. It is applied that way: never stricter.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["compile_pattern", "conforms", "is_linear"]

_MAX = 0x10FFFF
CharSet = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges


def _norm(ranges: list[tuple[int, int]]) -> CharSet:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _complement(cs: CharSet) -> CharSet:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in cs:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= _MAX:
        out.append((start, _MAX))
    return tuple(out)


def _overlap(a: CharSet, b: CharSet) -> bool:
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


def _chars(text: str) -> CharSet:
    return _norm([(ord(c), ord(c)) for c in text])


# ECMA-262 WhiteSpace and LineTerminator code points (the set \s matches).
_WS = _chars(
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DIGIT: CharSet = ((0x30, 0x39),)
_WORD = _norm([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
_LINE_TERMINATORS = _chars("\n\r\u2028\u2029")
_DOT = _complement(_LINE_TERMINATORS)
_ALL: CharSet = ((0, _MAX),)
_CLASS_ESCAPES = {
    "d": _DIGIT,
    "D": _complement(_DIGIT),
    "w": _WORD,
    "W": _complement(_WORD),
    "s": _WS,
    "S": _complement(_WS),
}
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}

_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")
_HEX = re.compile(r"x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})")

# --- a small parser: nodes are tuples --------------------------------------------------------
# ("set", CharSet)                      one character from the set
# ("seq", [node, ...])                  concatenation
# ("alt", [node, ...])                  alternation
# ("group", node, capturing)            (...) / (?:...)
# ("look", node, ahead, negative)       (?=...) (?!...) (?<=...) (?<!...)
# ("rep", node, min, max|None, lazy)    quantifier
# ("bol",) ("eol",) ("wordb", negative) assertions
# ("backref", n)
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.groups = 0

    def fail(self, what: str) -> ValueError:
        return ValueError(f"{what} at position {self.i} in pattern {self.p!r}")

    def peek(self) -> str:
        return self.p[self.i] if self.i < len(self.p) else ""

    def parse(self) -> Node:
        node = self.disjunction()
        if self.i != len(self.p):
            raise self.fail("unbalanced ')'")
        return node

    def disjunction(self) -> Node:
        branches = [self.alternative()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.alternative())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def alternative(self) -> Node:
        terms: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            terms.append(self.term())
        return ("seq", terms)

    def term(self) -> Node:
        ch = self.peek()
        if ch in ("^", "$"):
            self.i += 1
            node: Node = ("bol",) if ch == "^" else ("eol",)
        else:
            node = self.atom()
        quantified = self.quantifier(node)
        if quantified is node or node[0] not in ("bol", "eol", "look", "wordb"):
            return quantified
        if node[0] == "wordb":
            raise self.fail("nothing to repeat")
        # A quantified assertion (``${2,64}``; Annex B also allows ``(?=a)*``): repeating a
        # zero-width match is the match itself, or nothing at all with a minimum of 0.
        return node if quantified[2] >= 1 else ("seq", [])

    def quantifier(self, atom: Node) -> Node:
        ch = self.peek()
        lo: int
        hi: int | None
        if ch == "*":
            lo, hi = 0, None
            self.i += 1
        elif ch == "+":
            lo, hi = 1, None
            self.i += 1
        elif ch == "?":
            lo, hi = 0, 1
            self.i += 1
        elif ch == "{" and (m := _QUANTIFIER.match(self.p, self.i)):
            lo = int(m.group(1))
            hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            if hi is not None and hi < lo:
                raise self.fail("numbers out of order in {} quantifier")
            self.i = m.end()
        else:
            return atom
        lazy = self.peek() == "?"
        if lazy:
            self.i += 1
        return ("rep", atom, lo, hi, lazy)

    def atom(self) -> Node:
        ch = self.peek()
        if ch == "(":
            return self.group()
        if ch == "[":
            return ("set", self.char_class())
        if ch == ".":
            self.i += 1
            return ("set", _DOT)
        if ch == "\\":
            return self.escape()
        if ch in "*+?" or (ch == "{" and _QUANTIFIER.match(self.p, self.i)):
            raise self.fail("nothing to repeat")
        self.i += 1  # a literal; Annex B also reads a lone "{", "}" or "]" as one
        return ("set", _chars(ch))

    def group(self) -> Node:
        self.i += 1
        if self.p.startswith("?:", self.i):
            self.i += 2
            node = self.disjunction()
            self.expect(")")
            return ("group", node, False)
        for prefix, ahead, negative in (
            ("?=", True, False),
            ("?!", True, True),
            ("?<=", False, False),
            ("?<!", False, True),
        ):
            if self.p.startswith(prefix, self.i):
                self.i += len(prefix)
                node = self.disjunction()
                self.expect(")")
                return ("look", node, ahead, negative)
        if self.peek() == "?":
            raise self.fail("unsupported group syntax")
        self.groups += 1
        node = self.disjunction()
        self.expect(")")
        return ("group", node, True)

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise self.fail(f"expected {ch!r}")
        self.i += 1

    def escape(self) -> Node:
        if self.i + 1 >= len(self.p):
            raise self.fail("dangling escape")
        esc = self.p[self.i + 1]
        self.i += 2
        if esc in _CLASS_ESCAPES:
            return ("set", _CLASS_ESCAPES[esc])
        if esc in "bB":
            return ("wordb", esc == "B")
        if esc.isdigit() and esc != "0":
            return ("backref", int(esc))
        if esc in _CONTROL_ESCAPES:
            return ("set", _chars(_CONTROL_ESCAPES[esc]))
        if esc in "xu":
            cp = self.hex_escape()
            return ("set", ((cp, cp),))
        if not esc.isalnum():
            return ("set", _chars(esc))  # identity escape
        raise self.fail(f"unsupported escape \\{esc}")

    def hex_escape(self) -> int:
        m = _HEX.match(self.p, self.i - 1)
        if m is None:
            raise self.fail("malformed \\x or \\u escape")
        self.i = m.end()
        return int(m.group(1) or m.group(2), 16)

    def char_class(self) -> CharSet:
        self.i += 1
        negate = self.peek() == "^"
        if negate:
            self.i += 1
        ranges: list[tuple[int, int]] = []
        while True:
            ch = self.peek()
            if ch == "":
                raise self.fail("unterminated character class")
            if ch == "]":
                self.i += 1
                break
            low = self.class_atom()
            # A range needs single characters on both sides; ``[\d-x]`` and ``[0-9-_]`` keep
            # the dash literal (Annex B).
            if (
                self.peek() == "-"
                and self.i + 1 < len(self.p)
                and self.p[self.i + 1] != "]"
                and isinstance(low, int)
            ):
                save = self.i
                self.i += 1
                high = self.class_atom()
                if isinstance(high, int):
                    if high < low:
                        raise self.fail("range out of order in character class")
                    ranges.append((low, high))
                    continue
                self.i = save
            if isinstance(low, int):
                ranges.append((low, low))
            else:
                ranges.extend(low)
        cs = _norm(ranges)
        return _complement(cs) if negate else cs

    def class_atom(self) -> int | CharSet:
        ch = self.peek()
        if ch == "\\":
            if self.i + 1 >= len(self.p):
                raise self.fail("dangling escape")
            esc = self.p[self.i + 1]
            self.i += 2
            if esc in _CLASS_ESCAPES:
                return _CLASS_ESCAPES[esc]
            if esc == "b":
                return 8
            if esc in _CONTROL_ESCAPES:
                return ord(_CONTROL_ESCAPES[esc])
            if esc in "xu":
                return self.hex_escape()
            if not esc.isalnum():
                return ord(esc)
            raise self.fail(f"unsupported class escape \\{esc}")
        self.i += 1
        return ord(ch)


# --- emitting Python -------------------------------------------------------------------------


def _emit_set(cs: CharSet) -> str:
    if cs == _ALL:
        return "[\\s\\S]"
    if not cs:
        return "(?!)"
    complement = _complement(cs)
    negate = len(complement) < len(cs)  # (a short class compiles much faster than a long one)
    parts = [_range(lo, hi) for lo, hi in (complement if negate else cs)]
    return ("[^" if negate else "[") + "".join(parts) + "]"


def _range(lo: int, hi: int) -> str:
    return _char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}"


def _char(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\x{cp:02x}" if cp < 0x100 else (f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")


def _emit(node: Node) -> str:  # noqa: PLR0911 - one return per node kind
    kind = node[0]
    if kind == "set":
        return _emit_set(node[1])
    if kind == "seq":
        return "".join(_emit(n) for n in node[1])
    if kind == "alt":
        return "|".join(_emit(n) for n in node[1])
    if kind == "group":
        return ("(" if node[2] else "(?:") + _emit(node[1]) + ")"
    if kind == "look":
        head = ("(?" if node[2] else "(?<") + ("!" if node[3] else "=")
        return head + _emit(node[1]) + ")"
    if kind == "rep":
        _, body, lo, hi, lazy = node
        inner = _emit(body)
        if body[0] not in ("set", "group", "backref"):
            inner = f"(?:{inner})"
        quant = f"{{{lo},}}" if hi is None else (f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}")
        return inner + quant + ("?" if lazy else "")
    if kind == "bol":
        return "\\A"
    if kind == "eol":
        return "\\Z"  # Python's \Z is the very end, like ECMAScript's $ without the m flag
    if kind == "wordb":
        # ECMAScript's \b uses its ASCII \w; spell it out instead of Python's Unicode one.
        w = _emit_set(_WORD)
        boundary = f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
        return f"(?!{boundary})" if node[1] else boundary
    if kind == "backref":
        return f"(?:\\{node[1]})"
    raise AssertionError(kind)  # pragma: no cover


# --- the linear-time proof -------------------------------------------------------------------


def _first(node: Node) -> tuple[CharSet, bool]:  # noqa: PLR0911 - one per node kind
    """(characters a non-empty match can start with, whether the node can match empty)."""
    kind = node[0]
    if kind == "set":
        return node[1], False
    if kind == "seq":
        acc: list[tuple[int, int]] = []
        for item in node[1]:
            cs, nullable = _first(item)
            acc.extend(cs)
            if not nullable:
                return _norm(acc), False
        return _norm(acc), True
    if kind == "alt":
        acc = []
        any_nullable = False
        for item in node[1]:
            cs, nullable = _first(item)
            acc.extend(cs)
            any_nullable = any_nullable or nullable
        return _norm(acc), any_nullable
    if kind == "group":
        return _first(node[1])
    if kind == "rep":
        cs, nullable = _first(node[1])
        return cs, nullable or node[2] == 0
    if kind == "backref":
        return _ALL, True
    return (), True  # assertions and lookarounds consume nothing


def _linear(  # noqa: PLR0911 - one case per node kind
    node: Node, follow: CharSet, in_loop: bool
) -> bool:
    """Whether backtracking over ``node``, followed by ``follow``, stays linear."""
    kind = node[0]
    if kind in ("set", "bol", "eol", "wordb", "backref"):
        return True
    if kind == "group":
        return _linear(node[1], follow, in_loop)
    if kind == "look":
        # The body is tried where the lookaround stands; it ends as soon as it matches.
        return _linear(node[1], (), in_loop)
    if kind == "seq":
        items = node[1]
        for index, item in enumerate(items):
            rest_first, rest_nullable = _first(("seq", items[index + 1 :]))
            item_follow = _norm([*rest_first, *(follow if rest_nullable else ())])
            if not _linear(item, item_follow, in_loop):
                return False
        return True
    if kind == "alt":
        branches = node[1]
        if in_loop:  # overlapping branches inside a loop multiply the paths per iteration
            firsts = [_first(b)[0] for b in branches]
            for i, a in enumerate(firsts):
                if any(_overlap(a, b) for b in firsts[i + 1 :]):
                    return False
        return all(_linear(b, follow, in_loop) for b in branches)
    if kind == "rep":
        _, body, lo, hi, _lazy = node
        body_first, body_nullable = _first(body)
        optional = hi is None or hi > lo
        ambiguous = _overlap(body_first, follow) or (hi is None and body_nullable)
        # Each optional iteration is a choice point: it must be decided by the next character,
        # so the body's first characters may not also start what follows. A bounded choice
        # outside any loop only costs a constant factor.
        if optional and ambiguous and (hi is None or in_loop):
            return False
        loop_follow = _norm([*body_first, *follow]) if (hi is None or hi > 1) else follow
        return _linear(body, loop_follow, in_loop or hi is None)
    raise AssertionError(kind)  # pragma: no cover


# Patterns on shapes without a maximum length that backtracking would make super-linear, each
# with an equivalent ECMAScript pattern written so that it is linear. tests/test_ecma.py checks
# each pair for equivalence, here and in a real ECMAScript engine.
_LINEAR_EQUIVALENTS: dict[str, str] = {
    # No line terminator anywhere, and at least one non-whitespace character: a run of
    # whitespace that is not a line terminator, the first non-whitespace character, the rest.
    r".*\S.*": r"[\t\x0b\x0c \xa0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]*\S.*",
}


@functools.cache
def _tree(pattern: str) -> Node:
    return _Parser(_LINEAR_EQUIVALENTS.get(pattern, pattern)).parse()


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The model ``pattern`` as a Python regex with ECMAScript meaning; use ``.fullmatch``."""
    return re.compile(_emit(_tree(pattern)))


def is_linear(pattern: str) -> bool:
    """Whether whole-value matching of ``pattern`` is proven linear in the input's length."""
    return _linear(_tree(pattern), (), False)


def conforms(pattern: str, value: str) -> bool:
    """Whether the whole of ``value`` satisfies the Smithy ``pattern`` trait ``pattern``."""
    return compile_pattern(pattern).fullmatch(value) is not None
