"""mkdocs hooks: the API reference renders docstrings as Markdown, so reStructuredText that
would show up raw on the page (roles, directives, ``::`` literal markers, RST tables) fails the
build instead (``mkdocs build --strict`` runs it in CI)."""

from __future__ import annotations

import html
import re
from typing import Any

_LEFTOVERS = re.compile(
    r":(?:class|meth|func|mod|attr|exc|data|obj|ref):`"  # a Sphinx role
    r"|\.\. [a-z-]+::"  # a directive (versionadded, note, code-block, ...)
    r"|^\s*={3,}(?: +={3,})+\s*$"  # a simple RST table border
    r"|^\s*\+-{3,}"  # a grid RST table border
    r"|\w::\s*$",  # a literal-block marker left at the end of a line
    re.MULTILINE,
)


def on_page_content(html_text: str, page: Any, **_: Any) -> str:
    from mkdocs.exceptions import PluginError  # (the docstring test reads _LEFTOVERS without it)

    text = html.unescape(re.sub(r"<[^>]+>", "\n", html_text))
    found = sorted({m.group(0).strip() for m in _LEFTOVERS.finditer(text)})
    if found:
        raise PluginError(
            f"{page.file.src_path}: reStructuredText the docs render raw: {', '.join(found)} "
            "(write docstrings in Markdown: ``code``, | tables |, no roles or directives)"
        )
    return html_text
