"""Tests of viewer.core.loading: formats, encodings, newlines, paragraphs, errors, offsets."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from viewer.core.errors import LoadError
from viewer.core.loading import MAX_BYTES, article_from_text, build_article, load_article
from viewer.core.model import Article

# Realistic paragraphs: charset detection needs real text, not three bytes.
FRENCH = (
    "Le président a déclaré mercredi que la réforme des retraites serait présentée "
    "à l'Assemblée nationale avant l'été. « Nous irons jusqu'au bout », a-t-il ajouté "
    "devant les élus réunis à Matignon, où les syndicats étaient également présents.\n"
    "Les négociations reprendront la semaine prochaine après une pause d'une dizaine de jours."
)
ENGLISH_CP1252 = (
    "The company said on Tuesday that it expected revenue of about €4.2 billion this year, "
    "slightly above the forecast it gave in March. “We’re cautiously optimistic,” the chief "
    "executive told reporters — adding that demand in Europe remained “fragile”.\n"
    "Analysts had expected a weaker outlook after the summer’s disappointing results."
)
RUSSIAN = (
    "Президент заявил в среду, что реформа пенсионной системы будет представлена "
    "парламенту до конца лета. По его словам, правительство готово к переговорам с "
    "профсоюзами, которые возобновятся на следующей неделе.\n"
    "Аналитики ожидают, что обсуждение законопроекта займёт несколько месяцев."
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_tiles(article: Article) -> None:
    """The model's invariant: blocks tile the text, joined by single newlines."""
    assert [b.id for b in article.blocks] == list(range(len(article.blocks)))
    assert article.text == "\n".join(b.text for b in article.blocks)
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
        assert block.text and block.text == block.text.strip()
        assert "\n" not in block.text and "  " not in block.text


def texts(article: Article) -> list[str]:
    return [b.text for b in article.blocks]


def shape(article: Article) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in article.blocks]


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "codec", "prefix", "expected_encoding"),
    [
        (FRENCH, "utf-8", b"", "utf-8"),
        (FRENCH, "utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        (FRENCH, "utf-16-le", b"\xff\xfe", "utf-16"),
        (FRENCH, "utf-16-be", b"\xfe\xff", "utf-16"),
        (RUSSIAN, "utf-16-le", b"\xff\xfe", "utf-16"),
        (ENGLISH_CP1252, "cp1252", b"", "cp1252"),
        (FRENCH, "latin-1", b"", None),  # cp1252 and latin-1 agree on these letters
        (RUSSIAN, "cp1251", b"", "cp1251"),
    ],
    ids=[
        "utf-8",
        "utf-8-sig",
        "utf-16-le",
        "utf-16-be",
        "utf-16-cyrillic",
        "cp1252",
        "latin-1",
        "cp1251",
    ],
)
def test_encodings(
    tmp_path: Path, text: str, codec: str, prefix: bytes, expected_encoding: str | None
) -> None:
    path = write(tmp_path, "a.txt", prefix + text.encode(codec))
    article = load_article(path)
    assert article.text == text
    assert article.warnings == ()
    if expected_encoding is not None:
        assert article.encoding == expected_encoding
    else:
        assert article.encoding in ("cp1252", "iso8859-1", "iso8859-15")
    assert_tiles(article)


def test_utf16_without_bom_is_text_not_binary(tmp_path: Path) -> None:
    article = load_article(
        write(tmp_path, "a.txt", "Plain English text.\nSecond line.".encode("utf-16-le"))
    )
    assert texts(article) == ["Plain English text.", "Second line."]
    assert article.encoding == "utf-16-le"


def test_invalid_bytes_in_utf8_are_replaced_with_a_warning(tmp_path: Path) -> None:
    data = FRENCH.encode("utf-8")
    data = data[:40] + b"\xff" + data[40:120] + b"\x80" + data[120:]
    damaged = data.replace(b"Matignon", b"Mat\xe9gnon")  # a stray latin-1 byte
    article = load_article(write(tmp_path, "a.txt", damaged))
    assert article.encoding == "utf-8"
    assert "présentée" in article.text and "Mat\ufffdgnon" in article.text
    assert article.warnings == ("3 invalid UTF-8 byte sequences replaced with \ufffd",)
    assert_tiles(article)


def test_html_meta_charset_is_honoured_when_utf8_fails(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    article = load_article(write(tmp_path, "a.html", page.encode("cp1251")))
    assert article.encoding == "cp1251"
    assert texts(article) == [" ".join(RUSSIAN.split())]


def test_utf8_html_with_wrong_meta_charset_stays_utf8(tmp_path: Path) -> None:
    page = f'<meta charset="iso-8859-1"><p>{FRENCH}</p>'
    article = load_article(write(tmp_path, "a.html", page))
    assert article.encoding == "utf-8"
    assert "déclaré" in article.text


# ----------------------------------------------------------------------------- newlines, NFC


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"one\r\ntwo\r\nthree\r\n", ["one", "two", "three"]),
        (b"one\rtwo\rthree", ["one", "two", "three"]),
        (b"one\ntwo\nthree", ["one", "two", "three"]),  # no final newline
        (b"\n\n  one  \n\n\ntwo\t\tand  a\xc2\xa0half\n\n", ["one", "two and a\u00a0half"]),
        (b"caf\x65\xcc\x81 au lait", ["caf\u00e9 au lait"]),  # NFD becomes NFC
        (b"\xef\xbb\xbf\xef\xbb\xbfdouble BOM", ["double BOM"]),
        (b"a bell rings\x07 in the quiet village", ["a bell rings in the quiet village"]),
    ],
)
def test_newlines_whitespace_and_normalisation(
    tmp_path: Path, raw: bytes, expected: list[str]
) -> None:
    article = load_article(write(tmp_path, "a.txt", raw))
    assert texts(article) == expected
    assert_tiles(article)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_c0_controls_are_removed_with_a_warning_c1_kept(fmt: str) -> None:
    article = article_from_text("ok\x07 bell\x1b, we\x92re here", fmt=fmt)
    assert texts(article) == ["ok bell, we\x92re here"]
    assert article.warnings == ("2 control characters removed",)


# ----------------------------------------------------------------------------- plain paragraphs

WRAPPED = """\
Headline of the story

The government announced on Monday a new plan to reduce the number of
cars in the city centre, with a congestion charge starting next spring
and more buses on the busiest routes.

Opposition parties said the plan would hurt small shops and called for
a referendum before any charge is introduced in the historic centre.

Officials expect the measure to cut traffic by a fifth within two years
of its introduction, according to the report published this morning.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            WRAPPED,
            [
                "Headline of the story",
                "The government announced on Monday a new plan to reduce the number of cars in "
                "the city centre, with a congestion charge starting next spring and more buses "
                "on the busiest routes.",
                "Opposition parties said the plan would hurt small shops and called for a "
                "referendum before any charge is introduced in the historic centre.",
                "Officials expect the measure to cut traffic by a fifth within two years of its "
                "introduction, according to the report published this morning.",
            ],
        ),
        # blank lines between single-line paragraphs: one paragraph per line
        (
            "First paragraph.\n\nSecond paragraph.\n\nThird one.\n",
            ["First paragraph.", "Second paragraph.", "Third one."],
        ),
        # corpus style, no blank lines: exactly one block per non-empty line, even short ones
        (
            "Home\nWorld\nA long first paragraph of the article.\nShare\n",
            ["Home", "World", "A long first paragraph of the article.", "Share"],
        ),
        # blank-line chunks whose first line is a short title are not joined
        (
            "Title one\nA paragraph long enough to look like a real one in a file here.\n\n"
            "Title two\nAnother paragraph long enough to look like a real one in a file.\n",
            [
                "Title one",
                "A paragraph long enough to look like a real one in a file here.",
                "Title two",
                "Another paragraph long enough to look like a real one in a file.",
            ],
        ),
        ("* bullet one\n* bullet two\n- dash\n", ["* bullet one", "* bullet two", "- dash"]),
    ],
)
def test_plain_text_paragraphs(text: str, expected: list[str]) -> None:
    article = article_from_text(text)
    assert texts(article) == expected
    assert {b.kind for b in article.blocks} == {"paragraph"}
    assert_tiles(article)


def test_wrapped_chunk_keeps_list_lines_apart() -> None:
    text = WRAPPED + "\nThe plan lists three measures that will be introduced next year:\n"
    text += "- a charge\n- more buses\n"
    assert texts(article_from_text(text))[-3:] == [
        "The plan lists three measures that will be introduced next year:",
        "- a charge",
        "- more buses",
    ]


def test_seed_files_give_one_block_per_line(seed_paths: tuple[Path, Path]) -> None:
    for path in seed_paths:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        article = load_article(path)
        assert len(article.blocks) == len(lines)
        assert_tiles(article)


# ----------------------------------------------------------------------------- markdown

MARKDOWN = """\
# Big news

Some *emphasised* text
on two lines.

## Details

- first
- second
    - nested
1. numbered

> A quoted paragraph.
>
> ## Quoted heading

<div class="x"><script>alert("x")</script>raw <b>html</b> text</div>

<img src=x onerror="alert(1)">
"""


def test_markdown_blocks(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.md", MARKDOWN))
    assert article.format == "markdown"
    assert shape(article) == [
        ("heading", 1, "Big news"),
        ("paragraph", 0, "Some emphasised text on two lines."),
        ("heading", 2, "Details"),
        ("list_item", 1, "first"),
        ("list_item", 1, "second"),
        ("list_item", 2, "nested"),
        ("list_item", 1, "numbered"),
        ("quote", 0, "A quoted paragraph."),
        ("heading", 2, "Quoted heading"),
        ("paragraph", 0, "raw html text"),
    ]
    assert "alert" not in article.text
    assert_tiles(article)


@pytest.mark.parametrize("suffix", [".markdown", ".MD"])
def test_markdown_extensions(tmp_path: Path, suffix: str) -> None:
    assert load_article(write(tmp_path, "a" + suffix, "# Hi\n\ntext")).format == "markdown"


# ----------------------------------------------------------------------------- html

HTML = """<!DOCTYPE html>
<html><head><title>Page title</title><style>p { color: red }</style>
<script>var x = "<p>not text</p>";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Headline &amp; more</h1>
<div>Direct text <span>with <b>inline</b> tags</span>
  <div>Nested div &eacute;t&eacute; &#8364;5&nbsp;000</div>
  tail text
</div>
<p>Line one<br>Line two<br/>Line three</p>
<!-- a comment -->
<noscript>Enable JavaScript</noscript>
<template><p>hidden template</p></template>
<p hidden>hidden paragraph</p>
<ul><li>Item one<ul><li>Sub item</li></ul></li><li>Item two</li></ul>
<blockquote><p>Quoted text</p>loose quote</blockquote>
<table><tr><th>Head</th><td>Cell</td></tr></table>
<figure><img src="x.png" alt="alt"><figcaption>A caption</figcaption></figure>
<dl><dt>Term</dt><dd>Definition</dd></dl>
<pre>code line 1
code line 2</pre>
<h3>Sub <em>heading</em></h3>
</article>
<footer>Cookie settings <button>Accept</button></footer>
</body></html>
"""


def test_html_blocks(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.html", HTML))
    assert article.format == "html"
    assert shape(article) == [
        ("paragraph", 0, "Home | World"),
        ("heading", 1, "Headline & more"),
        ("paragraph", 0, "Direct text with inline tags"),
        ("paragraph", 0, "Nested div été €5\u00a0000"),
        ("paragraph", 0, "tail text"),
        ("paragraph", 0, "Line one"),
        ("paragraph", 0, "Line two"),
        ("paragraph", 0, "Line three"),
        ("list_item", 1, "Item one"),
        ("list_item", 2, "Sub item"),
        ("list_item", 1, "Item two"),
        ("quote", 0, "Quoted text"),
        ("quote", 0, "loose quote"),
        ("paragraph", 0, "Head"),
        ("paragraph", 0, "Cell"),
        ("paragraph", 0, "A caption"),
        ("paragraph", 0, "Term"),
        ("paragraph", 0, "Definition"),
        ("paragraph", 0, "code line 1"),
        ("paragraph", 0, "code line 2"),
        ("heading", 3, "Sub heading"),
        ("paragraph", 0, "Cookie settings"),
        ("paragraph", 0, "Accept"),
    ]
    assert_tiles(article)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("plain text without tags", ["plain text without tags"]),
        ("<p>a</p>" * 3, ["a", "a", "a"]),
        ("<div>" * 500 + "deep" + "</div>" * 500, ["deep"]),
        ("<p>unclosed <b>bold<p>next", ["unclosed bold", "next"]),
        ("<?xml version='1.0' encoding='latin-1'?><p>x</p>", ["x"]),
        ("<p style='display: none'>gone</p><p>kept</p>", ["kept"]),
    ],
    ids=["no-tags", "repeated", "deep-nesting", "unclosed", "xml-declaration", "display-none"],
)
def test_html_edge_cases(markup: str, expected: list[str]) -> None:
    article = article_from_text(markup, fmt="html")
    assert texts(article) == expected
    assert_tiles(article)


def test_htm_extension(tmp_path: Path) -> None:
    assert load_article(write(tmp_path, "a.HTM", "<p>x</p>")).format == "html"


def test_unknown_extension_is_plain_text(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "notes.rst", "<p>x</p>\nline"))
    assert article.format == "text"
    assert texts(article) == ["<p>x</p>", "line"]


# ----------------------------------------------------------------------------- offsets


EMOJI = ["Hello 😀 world 𝄞 music", "ZWJ 👩‍👩‍👧 family and flags 🇺🇦🇫🇷", "end 🎉 e\u0301"]


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("text", "\n".join(EMOJI)),
        ("markdown", "\n\n".join(EMOJI)),
        ("html", "".join(f"<p>{line}</p>" for line in EMOJI)),
    ],
)
def test_offsets_with_emoji_and_non_bmp(fmt: str, source: str) -> None:
    article = article_from_text(source, fmt=fmt)
    assert texts(article) == EMOJI[:2] + ["end 🎉 \u00e9"]
    assert_tiles(article)


def test_too_deep_html_keeps_what_it_can_and_warns() -> None:
    article = article_from_text("<p>before</p>" + "<div>" * 3000 + "deep", fmt="html")
    assert texts(article)[0] == "before"
    assert article.warnings and "stopped early" in article.warnings[0]


def test_build_article_cleans_pieces() -> None:
    article = build_article(
        "p",
        [
            ("heading", 1, "  Title \n"),
            ("paragraph", 0, " \t "),
            ("quote", 0, "a\n\nb\t c"),
            ("list_item", 2, "x"),
        ],
        "utf-8",
        "html",
        ("w",),
    )
    assert shape(article) == [("heading", 1, "Title"), ("quote", 0, "a b c"), ("list_item", 2, "x")]
    assert article.warnings == ("w",) and article.format == "html" and article.path == "p"
    assert_tiles(article)


def test_build_article_of_no_pieces_is_empty() -> None:
    article = build_article("p", [])
    assert article.blocks == () and article.text == ""


def test_build_article_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        build_article("p", [("table", 0, "x")], "utf-8", "text", ())


def test_article_from_text_empty_gives_no_blocks() -> None:
    article = article_from_text("  \n ")
    assert article.blocks == () and article.text == ""


# ----------------------------------------------------------------------------- errors


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(LoadError) as info:
        load_article(path)
    assert info.value.message == "no such file"
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: no such file"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\t\r\n  ", "is empty"),
        ("bom.txt", b"\xef\xbb\xbf\n", "is empty"),
        ("bom16.txt", b"\xff\xfe \x00\n\x00", "is empty"),
        ("nul.txt", b"some text\x00 with a NUL byte", "is not a text file (contains NUL bytes)"),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "is not a text file (contains NUL bytes)",
        ),
        ("controls.txt", bytes(range(1, 9)) * 20 + b"text", "is not a text file (binary content)"),
        ("script.html", b"<script>only()</script>", "has no visible text"),
    ],
)
def test_bad_content(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(LoadError) as info:
        load_article(path)
    assert info.value.message == message
    assert info.value.path == str(path)


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a folder, not a file"):
        load_article(tmp_path)


def test_path_with_nul_character_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot be read"):
        load_article(str(tmp_path / "a\x00b.txt"))


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "text")
    path.chmod(0)
    try:
        with pytest.raises(LoadError, match="cannot be read: permission denied"):
            load_article(path)
    finally:
        path.chmod(0o600)


def test_permission_error_when_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case as above, simulated, so it also runs as root."""
    path = write(tmp_path, "secret.txt", "text")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(LoadError) as info:
        load_article(path)
    assert info.value.message == "cannot be read: permission denied"


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (101, 100, "is too large (101 bytes; the limit is 100 bytes)"),
        (3 * 1024, 2048, "is too large (3 KiB; the limit is 2 KiB)"),
    ],
)
def test_too_large(tmp_path: Path, size: int, limit: int, message: str) -> None:
    path = write(tmp_path, "big.txt", b"x" * size)
    with pytest.raises(LoadError) as info:
        load_article(path, max_bytes=limit)
    assert info.value.message == message
    assert load_article(path, max_bytes=size).text == "x" * size


def test_default_limit_is_25_mib() -> None:
    assert MAX_BYTES == 25 * 1024 * 1024


def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    with pytest.raises(LoadError, match="is not a regular file"):
        load_article(path)


def test_string_and_pathlike_paths(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "x")
    assert load_article(str(path)).path == str(path)
    assert load_article(path).path == str(path)
    assert load_article(path).name == "a.txt"


# ----------------------------------------------------------------------------- decisions


def test_ascii_with_one_high_byte_is_legacy_not_damaged_utf8(tmp_path: Path) -> None:
    """Without valid multi-byte UTF-8 as evidence, a lone high byte means a legacy file."""
    article = load_article(write(tmp_path, "a.txt", b"The caf\xe9 on the corner reopened today."))
    assert article.text == "The café on the corner reopened today."
    assert article.warnings == ()


def test_damaged_utf8_with_bom_warns_the_same_way(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.txt", b"\xef\xbb\xbfcaf\xc3\xa9 \xff ok"))
    assert article.encoding == "utf-8-sig"
    assert article.warnings == ("1 invalid UTF-8 byte sequence replaced with \ufffd",)


def test_legacy_html_without_meta_is_detected(tmp_path: Path) -> None:
    page = f"<html><body><p>{ENGLISH_CP1252}</p></body></html>".encode("cp1252")
    article = load_article(write(tmp_path, "a.html", page))
    assert "“We’re cautiously optimistic,”" in article.text and "€4.2" in article.text


def test_hard_wrapped_crlf_file(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.txt", WRAPPED.replace("\n", "\r\n")))
    assert len(article.blocks) == 4


def test_parser_failure_becomes_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_markup: str) -> None:
        raise AssertionError("parser bug")

    monkeypatch.setattr("viewer.core.markup.split_html", explode)
    with pytest.raises(LoadError, match=r"cannot be read as html \(AssertionError\)"):
        load_article(write(tmp_path, "a.html", "<p>x</p>"))


def test_a_final_newline_changes_nothing(tmp_path: Path) -> None:
    # plain text is decoded without its final newline (no copy of a text already in block
    # form): the same article, and the same verdict on control characters at the limit
    texts = {
        "lf": b"One \xc3\xa9\nTwo \xf0\x9f\x98\x80\n",
        "none": b"One \xc3\xa9\nTwo \xf0\x9f\x98\x80",
    }
    texts["crlf"] = texts["lf"].replace(b"\n", b"\r\n")
    articles = []
    for name, data in texts.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(data)
        articles.append(load_article(path))
    assert {(a.text, a.blocks) for a in articles} == {(articles[0].text, articles[0].blocks)}
    assert articles[0].text == "One é\nTwo 😀"
    edge = tmp_path / "edge.txt"  # one control character in 20: text, not binary
    edge.write_bytes(b"\x01" + b"a" * 18 + b"\n")
    assert load_article(edge).text == "a" * 18
    edge.write_bytes(b"\x01\x02" + b"a" * 17 + b"\n")  # two in 20: binary
    with pytest.raises(LoadError, match="not a text file"):
        load_article(edge)
