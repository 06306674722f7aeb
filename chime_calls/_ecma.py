"""Evaluate AWS model patterns the way the service does, with Python's ``re``.

AWS service models are Smithy models, and Smithy's ``pattern`` trait is an ECMA-262 regular
expression that is *not* implicitly anchored: a value conforms when the expression matches
anywhere in it (JavaScript's ``RegExp.prototype.test``). Python reads the same pattern text
differently in several corners, each of which would make a validator stricter or looser than
the service:

* ``$`` in Python also matches before a trailing ``"\\n"`` (``"+12065550100\\n"`` would pass);
  in ECMAScript (without the ``m`` flag) it matches only at the very end.
* ``\\d`` and ``\\w`` in Python match any Unicode digit or word character (Arabic-Indic
  U+0662 is a digit to Python); in ECMAScript they are ASCII only.
* ``\\s`` differs in both directions: Python counts U+001C..U+001F and U+0085 as whitespace,
  ECMAScript does not; ECMAScript counts U+FEFF, Python does not.
* ``.`` in ECMAScript excludes all four line terminators (LF, CR, U+2028, U+2029); Python
  excludes only LF.

This module rewrites those tokens into explicit Python equivalents, so the compiled expression
decides every string exactly as an ECMAScript engine would. It handles the syntax the Chime
models use (classes, groups, lookarounds, back-references, quantifiers); anything it does not
understand raises instead of guessing.
"""

from __future__ import annotations

import functools
import re

__all__ = ["compile_pattern", "conforms"]

# ECMA-262 WhiteSpace and LineTerminator code points (the set \s matches).
_ECMA_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def _class_body(chars: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


_WS = _class_body(_ECMA_WHITESPACE)
# Inside a character class: what each escape stands for as class members.
_IN_CLASS = {"d": "0-9", "w": "A-Za-z0-9_", "s": _WS}
# Outside a class: a complete atom.
_ATOMS = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "s": f"[{_WS}]",
    "S": f"[^{_WS}]",
}
_DOT = "[^\\n\\r\\u2028\\u2029]"
# Escapes whose meaning is the same in both engines: anchors and controls. An escaped
# punctuation character is that character in both (an "identity escape").
_PASSTHROUGH_ESCAPES = set("bBtnrfv0")


def _same_in_both(esc: str) -> str | None:
    if esc in _PASSTHROUGH_ESCAPES:
        return "\\" + esc
    if not esc.isalnum():
        return re.escape(esc)
    return None


def _translate(pattern: str) -> str:  # noqa: PLR0912, PLR0915 - one tokenizer loop reads best
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise ValueError(f"dangling escape in pattern {pattern!r}")
            esc = pattern[i + 1]
            if esc in _ATOMS:
                out.append(_ATOMS[esc])
            elif esc.isdigit() and esc != "0":
                out.append("\\" + esc)  # back-reference
            elif (same := _same_in_both(esc)) is not None:
                out.append(same)
            else:
                raise ValueError(f"unsupported escape \\{esc} in pattern {pattern!r}")
            i += 2
        elif ch == "[":
            j = i + 1
            body: list[str] = []
            if j < n and pattern[j] == "^":
                body.append("^")
                j += 1
            while j < n and pattern[j] != "]":
                c = pattern[j]
                if c == "\\":
                    if j + 1 >= n:
                        raise ValueError(f"dangling escape in pattern {pattern!r}")
                    esc = pattern[j + 1]
                    if esc in _IN_CLASS:
                        body.append(_IN_CLASS[esc])
                    elif (same := _same_in_both(esc)) is not None and esc not in "bB":
                        body.append(same)
                    else:
                        raise ValueError(f"unsupported class escape \\{esc} in {pattern!r}")
                    j += 2
                    continue
                # "[" is literal inside an ECMAScript class; Python warns about it.
                body.append("\\[" if c == "[" else c)
                j += 1
            if j >= n:
                raise ValueError(f"unterminated character class in {pattern!r}")
            out.append("[" + "".join(body) + "]")
            i = j + 1
        elif ch == ".":
            out.append(_DOT)
            i += 1
        elif ch == "^":
            out.append("\\A")
            i += 1
        elif ch == "$":
            out.append("\\Z")  # Python's \Z is the very end, like ECMAScript's $
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern to a Python regex with ECMAScript meaning; use ``.search``."""
    return re.compile(_translate(pattern))


def conforms(pattern: str, value: str) -> bool:
    """Whether ``value`` satisfies the Smithy ``pattern`` trait ``pattern`` (unanchored)."""
    return compile_pattern(pattern).search(value) is not None
