"""What a message points to must be there for an installed user: the pages ship in the
package, ``chime-calls docs NAME`` prints them, and nothing in the package names a path of the
source tree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chime_calls import _docpages
from chime_calls.cli import main

ROOT = Path(__file__).resolve().parents[1]
_NAMED = re.compile(r"chime-calls docs ([a-z][a-z-]*)")


def _package_text() -> dict[Path, str]:
    files = [*ROOT.joinpath("chime_calls").rglob("*.py"), *_docpages.DOCS.glob("*.md")]
    return {path: path.read_text(encoding="utf-8") for path in files}


def test_every_page_a_message_names_exists() -> None:
    known = set(_docpages.pages())
    named = {
        (path.name, name) for path, text in _package_text().items() for name in _NAMED.findall(text)
    }
    assert len(named) > 20  # the scan saw the messages
    assert {(where, name) for where, name in named if name not in known} == set()


def test_nothing_in_the_package_points_into_the_source_tree() -> None:
    leftovers = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path, text in _package_text().items()
        if path.suffix == ".py"
        for match in re.finditer(r"\bdocs/[a-z-]+\.md", text)
        if path.name != "_docpages.py"  # which accepts that spelling of a name
    ]
    assert leftovers == []


def test_the_pages_are_the_mkdocs_sites() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: chime_calls/docs" in nav
    assert set(_docpages.pages()) == set(re.findall(r": ([a-z-]+)\.md", nav))
    assert _docpages.pages()["dial-out"].startswith("Dial-out")


def test_the_command_lists_and_prints_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out
    assert "dial-out" in listing
    assert str(_docpages.DOCS) in listing
    for name in ("dial-out", "dial-out.md", "docs/dial-out.md"):
        assert main(["docs", name]) == 0
        assert capsys.readouterr().out == _docpages.read("dial-out")
    page = _docpages.read("dial-out")
    assert "<!--" in (_docpages.DOCS / "dial-out.md").read_text(encoding="utf-8")
    assert "<!--" not in page  # the harness's hidden setup, hidden here as on the site
    assert "```python" in page
    assert main(["docs", "dail-out"]) == 2
    assert "did you mean dial-out?" in capsys.readouterr().err


def test_a_configuration_error_names_a_page_that_exists() -> None:
    from chime_calls import ChimeCalls, ConfigurationError, DialOutRequest

    calls = ChimeCalls(region_name="eu-west-2")
    with pytest.raises(ConfigurationError) as refused:
        calls.send(
            DialOutRequest(
                meeting_id="11111111-2222-3333-4444-555555555555",
                from_phone_number="+12065550100",
                to_phone_number="+14255550199",
                join_token="am9pbi10b2tlbg",
            )
        )
    (name,) = _NAMED.findall(str(refused.value))
    assert _docpages.read(name).startswith("# Dial-out")
