"""Notes are written in Markdown; this turns them into HTML that is safe to show anywhere.

The Markdown package passes raw HTML straight through, so its output is never trusted:
nh3 (the Rust ``ammonia`` sanitiser) keeps a short list of formatting tags, drops
scripts, styles, event handlers and images (an image would be an external request in
an offline report), and allows links only to http, https and mailto.
"""

from __future__ import annotations

import markdown  # type: ignore[import-untyped]
import nh3
from markupsafe import Markup

# Formatting a note may use; anything else is removed, its text kept.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "sub",
        "sup",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "abbr",
        "mark",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ("fenced_code", "tables", "sane_lists")


def sanitise_html(html: str) -> Markup:
    """Reduce ``html`` to the allowed tags and attributes; safe to insert into a page."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised just above


def render_markdown(text: str) -> Markup:
    """HTML of a note's Markdown ``text``, sanitised; empty text gives empty markup."""
    if not text.strip():
        return Markup("")
    html = markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    return sanitise_html(html)
