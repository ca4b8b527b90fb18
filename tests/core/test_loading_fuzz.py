"""Bounded fuzz test: load_article on any bytes gives a valid Article or raises LoadError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.errors import LoadError
from viewer.core.loading import load_article

# Random bytes rarely look like text or markup, so mix in fragments that steer the loaders
# into their interesting branches: BOMs, tags, Markdown syntax, legacy and broken UTF-8.
FRAGMENTS = [
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"<p>",
    b"</p>",
    b"<br>",
    b"<li>",
    b"<ul>",
    b"<script>",
    b"<h2>",
    b"<blockquote>",
    b"<pre>",
    b"&amp;",
    b"&#0;",
    b"# ",
    b"> ",
    b"- ",
    b"    ",
    b"\t",
    b"\r\n",
    b"\n\n",
    b"\r",
    b"caf\xc3\xa9",
    b"\xe9t\xe9",
    b"\xe2\x80\x9c",
    b"\x00",
    b"\x80",
    b"\xc3",
    b"\xf0\x9f\x98\x80",
    b"e\xcc\x81",
    b"\xc2\xa0",
    b"word ",
    b"<meta charset=koi8-r>",
]
CONTENT = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=8)), max_size=60).map(
        b"".join
    ),
    st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=CONTENT)
def test_load_article_never_raises_anything_but_load_error(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("fuzz" + suffix)
        path.write_bytes(data)
        try:
            article = load_article(path)
        except LoadError as exc:
            assert exc.path == str(path) and exc.message
            return
    assert article.blocks
    assert [b.id for b in article.blocks] == list(range(len(article.blocks)))
    assert article.text == "\n".join(b.text for b in article.blocks)
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
        assert block.text == block.text.strip() and "\n" not in block.text
