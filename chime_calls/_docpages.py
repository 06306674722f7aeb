"""The documentation ships inside the package (``chime_calls/docs``, the mkdocs site's source),
so that what an error message or a ``migrate`` note points to is there wherever chime-calls is
installed: ``chime-calls docs NAME`` prints a page."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

__all__ = ["DOCS", "pages", "read"]

DOCS = Path(__file__).resolve().parent / "docs"
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def pages() -> dict[str, str]:
    """Page name (``dial-out``) -> its title, in name order."""
    found = {}
    for path in sorted(DOCS.glob("*.md")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        found[path.stem] = first.lstrip("# ").strip()
    return found


def read(name: str) -> str:
    """The Markdown of page ``name`` (``dial-out``, ``dial-out.md`` and ``docs/dial-out.md``
    all name it); ``LookupError`` with the closest names for anything else."""
    stem = Path(name.removeprefix("docs/")).name.removesuffix(".md")
    known = pages()
    if stem not in known:
        close = difflib.get_close_matches(stem, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise LookupError(f"no page {name!r}{hint} (pages: {', '.join(known)})")
    text = (DOCS / f"{stem}.md").read_text(encoding="utf-8")
    # what the site does not show either: the test harness's setup blocks, notes to authors
    return _COMMENT.sub("", text)
