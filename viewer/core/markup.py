"""Visible blocks of HTML and Markdown, in document order (used by loading.py).

Markdown is rendered to HTML with the markdown package and read by the same extractor,
so raw HTML inside a ``.md`` is only ever read as text. Every visible block is kept:
boilerplate is flagged later by the extraneous detector, never dropped here.
"""

from __future__ import annotations

import re
from typing import Any

Piece = tuple[str, int, str]  # (kind, level, text)

# A run of two or more whitespace characters, or one that is neither a plain space nor a
# no-break space: both become one space (a single no-break space is typography, kept).
WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S \u00a0\u202f\u2007]")


def render_markdown(text: str) -> str:
    """Markdown to HTML; raw HTML passes through and is only ever read as text."""
    import markdown  # type: ignore[import-untyped]

    return str(markdown.markdown(text))


_SKIP = frozenset(
    "script style noscript template head title meta link svg math iframe object embed "
    "canvas audio video map select datalist textarea".split()
)
_BLOCK = frozenset(
    "html body address article aside blockquote center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main "
    "menu nav ol p pre section summary table caption thead tbody tfoot tr td th ul legend "
    "button".split()
)
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_Context = tuple[str, int, bool]  # (kind, level, inside <pre>)


class _BlockCollector:
    """Gathers inline text into pieces, flushing at every block boundary and <br>."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.contexts: list[_Context] = [("paragraph", 0, False)]
        self.list_depth = 0
        self._buffer: list[str] = []

    def add(self, text: str | None) -> None:
        if not text:
            return
        if not self.contexts[-1][2]:
            self._buffer.append(text)
            return
        first, *rest = text.split("\n")  # inside <pre> every line is a block
        self._buffer.append(first)
        for line in rest:
            self.flush()
            self._buffer.append(line)

    def flush(self) -> None:
        text = WHITESPACE_RUN.sub(" ", "".join(self._buffer)).strip()
        self._buffer.clear()
        if text:
            kind, level, _pre = self.contexts[-1]
            self.pieces.append((kind, level, text))

    def open(self, tag: str) -> None:
        self.flush()
        kind, level, pre = self.contexts[-1]
        if tag in _LISTS:
            self.list_depth += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kind, level = "heading", int(tag[1])
        elif tag == "li":
            kind, level = "list_item", max(self.list_depth, 1)
        elif tag == "blockquote" and kind == "paragraph":
            kind = "quote"
        self.contexts.append((kind, level, pre or tag == "pre"))

    def close(self, tag: str) -> None:
        self.flush()
        if tag in _LISTS:
            self.list_depth -= 1
        self.contexts.pop()


def split_html(markup: str) -> tuple[list[Piece], tuple[str, ...]]:
    """Every visible block of an HTML document, in document order, and parser warnings."""
    from lxml import etree  # type: ignore[import-untyped]

    # huge_tree lifts libxml2's nesting limit from 256 to 2048 levels; files are capped anyway.
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    fatal = [error.message for error in parser.error_log if error.level_name == "FATAL"]
    warnings = tuple(f"HTML parsing stopped early: {message}" for message in fatal[:1])
    collector = _BlockCollector()
    if root is None:
        return [], warnings
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:  # iterative, so deeply nested markup cannot exhaust the Python stack
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if closing:
            if tag in _BLOCK:
                collector.close(tag)
            collector.add(element.tail)
            continue
        if not tag or tag in _SKIP or _is_hidden(element):
            collector.add(element.tail)
            continue
        if tag == "br":
            collector.flush()
            collector.add(element.tail)
            continue
        if tag in _BLOCK:
            collector.open(tag)
        collector.add(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    collector.flush()
    return collector.pieces, warnings


def _is_hidden(element: Any) -> bool:
    """Elements the browser does not show: the hidden attribute or an inline display:none."""
    attrib = element.attrib
    return "hidden" in attrib or bool(_HIDDEN_STYLE.search(attrib.get("style", "")))
