"""Turn a file into an :class:`~viewer.core.model.Article`: formats, encodings, errors.

Formats are chosen by extension: ``.md``/``.markdown`` are rendered with the ``markdown``
package, ``.html``/``.htm`` are parsed with lxml, anything else is read as plain text.
Every visible block is kept; boilerplate is flagged later by the extraneous detector.

Encodings: strict UTF-8 is tried first (the fast path, no detection); then a BOM-less
UTF-16 guess, "UTF-8 with a few damaged bytes" (decoded with U+FFFD and a warning), an
HTML ``<meta charset>``, and finally charset-normalizer for legacy 8-bit encodings.

Files larger than :data:`MAX_BYTES` (25 MiB) are refused. Every bad input raises
:class:`~viewer.core.errors.LoadError` with a short message and the path; nothing else
escapes :func:`load_article`.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from viewer.core.errors import LoadError
from viewer.core.model import BLOCK_KINDS, Article, Block
from viewer.core.native import field_names, instances
from viewer.core.native import native as _native

if TYPE_CHECKING:
    from viewer.core.markup import Piece

MAX_BYTES: int = 25 * 1024 * 1024


_BINARY = "is not a text file (binary content)"
_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Expressions are compiled where they are used (re keeps them): most serve only paths that
# the usual UTF-8 text with the extension built never takes, and every command-line run
# would pay for compiling them.
_NBSPS = ("\u00a0", "\u202f", "\u2007")
_ODD_SPACE = r"[^\S \n\u00a0\u202f\u2007]"
_SPACES = r" {2,}"
_SPACE_RUN = r"[ \u00a0\u202f\u2007]{2,}"
# Control characters that are not whitespace: many mean binary. Stray C0 ones are removed
# (noise that libxml2 would turn into U+FFFD); C1 ones are kept, as they are usually
# mojibake of cp1252 punctuation ("we\x92re") and removing them would lose information.
_CONTROL = r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
_C0_CONTROL = r"[\x00-\x08\x0e-\x1f\x7f]"
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"
_BULLET = r"(?:[-*+\u2022]|\d{1,3}[.)])\s"
_META_CHARSET = rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})"


# --------------------------------------------------------------------------- public API


def load_article(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Article:
    """Read, decode and split one file; every failure is a LoadError naming the file.

    An empty or whitespace-only file is an error ("is empty"): comparing against nothing
    is never what the user meant, and saying so beats showing an empty pane.
    """
    name = os.fspath(path)
    data = _read_bytes(name, max_bytes)
    fmt = _FORMATS.get(os.path.splitext(name)[1].lower(), "text")
    if not data or data.isspace():  # (no stripped copy of the whole file)
        raise LoadError("is empty", name)
    try:
        text, encoding, warnings = _decode(data, fmt, name)
        if not text or text.isspace():
            raise LoadError("is empty", name)
        article = article_from_text(text, name, fmt, encoding, warnings)
    except LoadError:
        raise
    except Exception as exc:
        # A parser failing on hostile input means a bad file, not a crash: the user gets
        # one sentence, never a traceback.
        raise LoadError(f"cannot be read as {fmt} ({type(exc).__name__})", name) from exc
    if not article.blocks:
        raise LoadError("has no visible text", name)
    return article


def article_from_text(
    text: str,
    path: str = "<text>",
    fmt: str = "text",
    encoding: str = "utf-8",
    warnings: tuple[str, ...] = (),
) -> Article:
    """Build an article from already-decoded text in format ``fmt`` ("text", "markdown", "html").

    Newlines are normalised, the text is NFC-normalised and stray control characters are
    removed (with a warning). Unlike :func:`load_article`, empty text gives an article
    with no blocks, so callers comparing pasted text never have to catch anything.
    """
    text, extra, printable = _normalise(text)
    if fmt == "text":
        text = _collapse(text, printable)
        if _native is not None:  # lines to blocks in one C pass, unless some may be wrapped
            found = _native.plain_blocks(Block, field_names(Block), text)
            if found is not None:
                joined, blocks = found
                return Article(path, joined, tuple(blocks), encoding, fmt, tuple(warnings) + extra)
        pieces = _split_plain(text)
    elif fmt in ("markdown", "html"):
        from viewer.core.markup import render_markdown, split_html  # (not for plain text)

        markup = render_markdown(text) if fmt == "markdown" else text
        pieces, parse_warnings = split_html(markup)
        extra += parse_warnings
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return _assemble(path, pieces, encoding, fmt, tuple(warnings) + extra, clean=True)


def build_article(
    path: str,
    pieces: Sequence[Piece],
    encoding: str = "utf-8",
    fmt: str = "text",
    warnings: tuple[str, ...] = (),
) -> Article:
    """Join (kind, level, text) pieces into an Article whose blocks tile its text.

    Whitespace runs inside a piece collapse to one space and the ends are stripped;
    pieces left empty are dropped. Blocks are joined with one newline, numbered from 0,
    and ``article.text[b.start:b.end] == b.text`` holds for every block.
    """
    return _assemble(path, pieces, encoding, fmt, warnings, clean=False)


def _assemble(
    path: str,
    pieces: Sequence[Piece],
    encoding: str,
    fmt: str,
    warnings: tuple[str, ...],
    *,
    clean: bool,
) -> Article:
    """build_article; ``clean`` pieces are already collapsed and stripped (the fast path)."""
    for kind in {kind for kind, _level, _text in pieces}:
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
    texts: Sequence[str] = [t for _k, _l, t in pieces]
    if not clean and texts:  # whole-text passes instead of one regex call per piece
        joined = "\n".join(t.replace("\n", " ") for t in texts)
        texts = [t.strip() for t in _collapse(joined, _printable(joined)).split("\n")]
    rows: list[tuple[int, int, int, str, str, int, None]] = []
    start = 0
    for (kind, level, _raw), text in zip(pieces, texts, strict=True):
        if text:
            rows.append((len(rows), start, start + len(text), text, kind, level, None))
            start += len(text) + 1
    blocks = instances(Block, rows)
    joined = "\n".join(block.text for block in blocks)
    return Article(path, joined, tuple(blocks), encoding, fmt, tuple(warnings))


def _collapse(text: str, printable: bool) -> str:
    """Collapse whitespace runs to one space, keeping newlines and single no-break spaces.

    Odd whitespace (tabs, ideographic spaces...) becomes a space first; ``printable``
    text has none. Where the extension is built, one scan in C does it all.
    """
    if _native is not None:
        collapsed: str = _native.collapse_spaces(text, not printable)
        return collapsed
    if not printable:
        text = re.sub(_ODD_SPACE, " ", text)
    if "  " in text:
        text = re.sub(_SPACES, " ", text)
    if any(nbsp in text for nbsp in _NBSPS):
        text = re.sub(_SPACE_RUN, " ", text)
    return text


def _printable(text: str) -> bool:
    """True when ``text`` has no control, format or non-space whitespace characters but newlines.

    str.isprintable runs in C: checking it first spares the regex passes on clean text.
    """
    if _native is not None:  # (the same without copying the text)
        return bool(_native.printable(text))
    return text.replace("\n", " ").isprintable()


# --------------------------------------------------------------------------- reading


def _read_bytes(name: str, max_bytes: int) -> bytes:
    """Return the file's bytes, or raise LoadError for anything that is not a readable file."""
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError("is a folder, not a file", name)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError("is not a regular file", name)
        if info.st_size > max_bytes:
            raise LoadError(_too_large(info.st_size, max_bytes), name)
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except LoadError:
        raise
    except (FileNotFoundError, NotADirectoryError):
        raise LoadError("no such file", name) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", name) from None
    except PermissionError:
        raise LoadError("cannot be read: permission denied", name) from None
    except (OSError, ValueError) as exc:  # ValueError: NUL byte in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise LoadError(f"cannot be read: {reason[:1].lower()}{reason[1:]}", name) from None
    if len(data) > max_bytes:  # the file grew after stat()
        raise LoadError(_too_large(len(data), max_bytes), name)
    return data


def _too_large(size: int, limit: int) -> str:
    return f"is too large ({_human_size(size)}; the limit is {_human_size(limit)})"


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    value, unit = (n / 1024, "KiB") if n < 1024 * 1024 else (n / (1024 * 1024), "MiB")
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes, fmt: str, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes to text: (text, encoding name, warnings). Raises LoadError for binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, encoding, warnings = _decode_replacing(data, encoding)
            return _checked(text, encoding, warnings, name)
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise LoadError("is not a text file (contains NUL bytes)", name)
        return _checked(data.decode(guess, "replace"), guess, (), name)
    # Plain text's final newline ends its last line and is never part of a block: decoded
    # without it, a text already in the form its blocks are joined in (a paragraph a line)
    # becomes the article's text as it is, with no second copy (native.plain_blocks).
    final = fmt == "text" and data.endswith(b"\n")
    try:
        text = str(memoryview(data)[:-1], "utf-8") if final else data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # the fast path: count control characters without a regex pass over the text
        if _native is not None:
            controls = _native.count_controls(text)  # (one pass in C, no copy)
        else:
            controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls * 20 > len(text) + final:
            raise LoadError(_BINARY, name)
        return text, "utf-8", ()
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return _checked(damaged[0], "utf-8", damaged[1], name)
    declared = _meta_charset(data) if fmt == "html" else None
    encoding = declared or _detect(data) or "cp1252"
    text, _enc, warnings = _decode_replacing(data, encoding)
    return _checked(text, encoding, warnings, name)


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode, replacing undecodable bytes and saying how many there were."""
    try:
        return data.decode(encoding), encoding, ()
    except UnicodeDecodeError:
        text = data.decode(encoding, "replace")
    bad = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
    return text, encoding, (_replaced(bad, encoding),)


def _replaced(count: int, encoding: str) -> str:
    """The warning for ``count`` byte sequences replaced with U+FFFD."""
    label = "UTF-8" if encoding.startswith("utf-8") else encoding
    noun = "sequence" if count == 1 else "sequences"
    return f"{count} invalid {label} byte {noun} replaced with \ufffd"


def _checked(
    text: str, encoding: str, warnings: tuple[str, ...], name: str
) -> tuple[str, str, tuple[str, ...]]:
    """Refuse text that is mostly control characters: that is a binary file."""
    if re.search(_CONTROL, text) and len(re.findall(_CONTROL, text)) * 20 > len(text):
        raise LoadError(_BINARY, name)
    return text, encoding, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where the NUL bytes sit (ASCII-heavy text only)."""
    if len(data) % 2:
        return None
    for codec, zeros, other in (
        ("utf-16-le", data[1::2], data[0::2]),
        ("utf-16-be", data[0::2], data[1::2]),
    ):
        if zeros.count(0) * 10 >= len(zeros) * 7 and other.count(0) * 100 <= len(other):
            return codec
    return None


def _damaged_utf8(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """Return (text, warnings) if ``data`` is UTF-8 with a few invalid bytes, else None.

    Legacy 8-bit text almost never contains valid multi-byte UTF-8 sequences, while a
    damaged UTF-8 file mostly does: if at most a fifth of the non-ASCII sequences are
    invalid, the file is UTF-8 and the bad bytes become U+FFFD.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if bad * 5 > non_ascii:
        return None
    return text, (_replaced(bad, "utf-8"),)


def _meta_charset(data: bytes) -> str | None:
    """The encoding an HTML file declares in ``<meta charset>``, if Python knows it."""
    match = re.search(_META_CHARSET, data[:4096], re.I)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name.startswith("utf"):  # declared UTF-8/16 but the bytes are not: ignore it
        return None
    return "cp1252" if name in ("ascii", "iso8859-1") else name  # as browsers do (WHATWG)


def _detect(data: bytes) -> str | None:
    """Best legacy encoding according to charset-normalizer, as a Python codec name."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        name = codecs.lookup(best.encoding).name
        # When cp1252 reads the bytes the same way (cp1250 and cp1252 share curly quotes,
        # dashes and the euro sign), report the far more common one.
        if name != "cp1252" and data.decode("cp1252") == data.decode(name):
            return "cp1252"
        return name
    except (LookupError, UnicodeDecodeError):
        return None


# --------------------------------------------------------------------------- text


def _normalise(text: str) -> tuple[str, tuple[str, ...], bool]:
    """Unify newlines, drop a leading BOM and stray control characters, apply NFC.

    Whitespace is left alone (Markdown indentation matters); the third value says whether
    the text was printable, so the plain-text path can skip the whitespace regex.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    warnings: tuple[str, ...] = ()
    printable = _printable(text)
    if not printable:
        text, count = (
            re.subn(_C0_CONTROL, "", text) if _native is None else _native.drop_controls(text)
        )
        if count:
            warnings = (f"{count} control characters removed",)
    if (
        not text.isascii()
        and not (_native is not None and _native.nfc_sure(text))  # (a scan in C)
        and not unicodedata.is_normalized("NFC", text)
    ):
        text = unicodedata.normalize("NFC", text)
    return text, warnings, printable


def _split_plain(text: str) -> list[Piece]:
    """Paragraphs of plain text: one per line, or per blank-line chunk if hard-wrapped."""
    lines = [line.strip() for line in text.split("\n")]
    chunks = _chunks(lines)
    if not _is_hard_wrapped(chunks):
        return [("paragraph", 0, line) for line in lines if line]
    pieces: list[Piece] = []
    for chunk in chunks:
        current: list[str] = []
        for line in chunk:
            if current and re.match(_BULLET, line):  # a list inside a wrapped chunk
                pieces.append(("paragraph", 0, " ".join(current)))
                current = []
            current.append(line)
        pieces.append(("paragraph", 0, " ".join(current)))
    return pieces


def _chunks(lines: list[str]) -> list[list[str]]:
    """Runs of non-empty lines separated by blank lines."""
    if "" not in lines:
        return [lines]
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line:
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _is_hard_wrapped(chunks: list[list[str]]) -> bool:
    """True when paragraphs are blank-line separated and their lines wrapped near a margin.

    Needs at least two chunks (a file without blank lines is one paragraph per line, as
    in the corpus), most chunks multi-line, and most non-final lines 30-100 columns wide.
    """
    if len(chunks) < 2:
        return False
    multi = [chunk for chunk in chunks if len(chunk) > 1]
    if len(multi) * 2 < len(chunks):
        return False
    inner = [len(line) for chunk in multi for line in chunk[:-1]]
    wrapped = sum(1 for width in inner if 30 <= width <= 100)
    return wrapped * 5 >= len(inner) * 4
