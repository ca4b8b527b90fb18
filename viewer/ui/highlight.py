"""Kinds of difference -> colours and text formats, for light and dark palettes.

Core hands over spans with kinds; only this module decides how they look. Meaning
never rests on colour alone: deletions are struck through, insertions underlined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextLayout

from viewer.core.model import Segment
from viewer.ui.positions import PositionMap

# Span kinds as seen from one side: a replace shows as "replace_old" on the left.
SIDE_KINDS = {
    ("delete", "left"): "delete",
    ("insert", "right"): "insert",
    ("replace", "left"): "replace_old",
    ("replace", "right"): "replace_new",
}


@dataclass(frozen=True, slots=True)
class Colours:
    """Every colour the window uses, as hex strings."""

    delete_bg: str
    delete_fg: str
    insert_bg: str
    insert_fg: str
    replace_old_bg: str
    replace_old_fg: str
    replace_new_bg: str
    replace_new_fg: str
    moved_bg: str
    moved_band: str
    extraneous_bg: str
    extraneous_fg: str
    band: str
    band_changed: str
    band_merged: str
    current: str
    tag_bg: str
    tag_fg: str


LIGHT = Colours(
    delete_bg="#ffd4d1",
    delete_fg="#86181d",
    insert_bg="#c9f0d2",
    insert_fg="#14532d",
    replace_old_bg="#ffe5a8",
    replace_old_fg="#6b4400",
    replace_new_bg="#cfe2ff",
    replace_new_fg="#0b3b8c",
    moved_bg="#efe7fd",
    moved_band="#8b5cf6",
    extraneous_bg="#f1f1f1",
    extraneous_fg="#8a8a8a",
    band="#c9ced6",
    band_changed="#9ab8e6",
    band_merged="#7cc4bd",
    current="#e05d00",
    tag_bg="#d9d9d9",
    tag_fg="#444444",
)

DARK = Colours(
    delete_bg="#5e2327",
    delete_fg="#ffc1bc",
    insert_bg="#1e4d2b",
    insert_fg="#b4f1c3",
    replace_old_bg="#5a4512",
    replace_old_fg="#ffdf99",
    replace_new_bg="#1f3c6b",
    replace_new_fg="#c3dbff",
    moved_bg="#34294f",
    moved_band="#a78bfa",
    extraneous_bg="#2b2b2b",
    extraneous_fg="#8c8c8c",
    band="#4a4f57",
    band_changed="#3f5f8f",
    band_merged="#2f7c74",
    current="#ff9a4d",
    tag_bg="#454545",
    tag_fg="#d0d0d0",
)


def colours_for(palette: QPalette) -> Colours:
    """The colour set that reads well on ``palette``'s base colour."""
    return DARK if palette.color(QPalette.ColorRole.Base).lightness() < 128 else LIGHT


def char_formats(colours: Colours) -> dict[str, QTextCharFormat]:
    """One QTextCharFormat per side kind."""
    formats: dict[str, QTextCharFormat] = {}
    for kind in ("delete", "insert", "replace_old", "replace_new"):
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(getattr(colours, f"{kind}_bg")))
        fmt.setForeground(QColor(getattr(colours, f"{kind}_fg")))
        if kind in ("delete", "replace_old"):
            fmt.setFontStrikeOut(True)
        else:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        formats[kind] = fmt
    return formats


def side_ranges(
    segments: Iterable[Segment],
    side: str,
    positions: PositionMap,
    ranges: dict[int, list[tuple[int, int, str]]] | None = None,
) -> dict[int, list[tuple[int, int, str]]]:
    """Highlight ranges per shown block: (UTF-16 start, UTF-16 length, side kind).

    Pass ``ranges`` to add to it (the panes feed segments in slices).
    """
    ranges = defaultdict(list) if ranges is None else ranges
    for segment in segments:
        kind = SIDE_KINDS.get((segment.kind, side))
        if kind is None:
            continue
        span = segment.left if side == "left" else segment.right
        for index, start, length in positions.split(span):
            ranges[index].append((start, length, kind))
    return ranges


def format_ranges(
    ranges: list[tuple[int, int, str]], formats: dict[str, QTextCharFormat]
) -> list[QTextLayout.FormatRange]:
    """QTextLayout format ranges for one block."""
    out = []
    for start, length, kind in ranges:
        item = QTextLayout.FormatRange()
        item.start, item.length, item.format = start, length, formats[kind]
        out.append(item)
    return out


def legend_html(colours: Colours) -> str:
    """A one-line key to the highlight colours and marks, for the status bar."""
    c = colours
    items = (
        (f"background:{c.delete_bg};color:{c.delete_fg};text-decoration:line-through", "deleted"),
        (f"background:{c.insert_bg};color:{c.insert_fg};text-decoration:underline", "inserted"),
        (
            f"background:{c.replace_old_bg};color:{c.replace_old_fg};text-decoration:line-through",
            "replaced",
        ),
        (f"background:{c.replace_new_bg};color:{c.replace_new_fg};text-decoration:underline", "by"),
        (f"background:{c.moved_bg};color:{c.moved_band}", "moved"),
        (f"background:{c.extraneous_bg};color:{c.extraneous_fg}", "extraneous"),
    )
    return "&nbsp;".join(
        f'<span style="{style}">&nbsp;{text}&nbsp;</span>' for style, text in items
    )
