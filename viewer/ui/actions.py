"""The action table: every command of the window, its text, shortcuts and icon.

Menus and the toolbar are lists of ids into this table; handlers are looked up on
the window by name (``_on_<id with dots as underscores>``) so the table stays data.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QWidget

from viewer.resources import resource_path


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str
    text: str
    shortcuts: tuple[str, ...] = ()
    icon: str = ""
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "file.open", "&Open Pair…", ("Ctrl+O",), "open", "Choose the left and the right file"
    ),
    ActionSpec("file.open_left", "Open &Left…", ("Ctrl+Shift+L",), "", "Replace the left file"),
    ActionSpec("file.open_right", "Open &Right…", ("Ctrl+Shift+R",), "", "Replace the right file"),
    ActionSpec(
        "file.open_session",
        "Open &Session…",
        ("Ctrl+Shift+O",),
        "",
        "Open a saved session: both files, options, notes and overrides",
    ),
    ActionSpec(
        "file.save_session", "&Save Session", ("Ctrl+S",), "", "Save the notes and overrides"
    ),
    ActionSpec("file.save_session_as", "Save Session &As…", ("Ctrl+Shift+S",)),
    ActionSpec(
        "file.export_html",
        "&Export HTML…",
        ("Ctrl+E",),
        "",
        "Write a self-contained HTML report with the notes",
    ),
    ActionSpec("file.reload", "Re&load", ("F5",), "reload", "Load both files again and compare"),
    ActionSpec("file.quit", "&Quit", ("Ctrl+Q",)),
    ActionSpec("view.zoom_in", "Zoom &In", ("Ctrl++", "Ctrl+=")),
    ActionSpec("view.zoom_out", "Zoom &Out", ("Ctrl+-",)),
    ActionSpec("view.zoom_reset", "&Normal Size", ("Ctrl+0",)),
    ActionSpec(
        "go.prev_change", "&Previous Change", ("Alt+Up",), "prev", "Previous change (Alt+Up)"
    ),
    ActionSpec("go.next_change", "&Next Change", ("Alt+Down",), "next", "Next change (Alt+Down)"),
    ActionSpec(
        "go.first_change", "&First Change", ("Alt+Home",), "first", "First change (Alt+Home)"
    ),
    ActionSpec("go.last_change", "&Last Change", ("Alt+End",), "last", "Last change (Alt+End)"),
    ActionSpec(
        "go.prev_extraneous",
        "Previous &Extraneous Block",
        ("Alt+Shift+Up",),
        "prev_extra",
        "Previous extraneous block (Alt+Shift+Up)",
    ),
    ActionSpec(
        "go.next_extraneous",
        "Next E&xtraneous Block",
        ("Alt+Shift+Down",),
        "next_extra",
        "Next extraneous block (Alt+Shift+Down)",
    ),
    ActionSpec("options.ignore_case", "Ignore &Case", (), "", "", True),
    ActionSpec("options.ignore_punctuation", "Ignore &Punctuation", (), "", "", True),
    ActionSpec("options.fold_typography", "Fold &Typographic Quotes", (), "", "", True),
    ActionSpec(
        "options.hide_extraneous",
        "&Hide Extraneous Blocks",
        ("Ctrl+Shift+H",),
        "hide",
        "Take extraneous blocks out of the panes and the comparison",
        True,
    ),
    ActionSpec(
        "notes.edit",
        "&Add or Edit Note…",
        ("Ctrl+Alt+M",),
        "",
        "Write a note on the current change or block (Markdown)",
    ),
    ActionSpec("notes.delete", "&Delete Note", ("Ctrl+Alt+D",), "", "Delete the note shown"),
    ActionSpec(
        "notes.overall",
        "Note on the &Comparison…",
        ("Ctrl+Shift+M",),
        "",
        "Write the note on the whole comparison",
    ),
    ActionSpec(
        "notes.mark_not_extraneous",
        "Mark as &Not Extraneous",
        ("Ctrl+Alt+N",),
        "",
        "Overrule the detector: this block is part of the article",
    ),
    ActionSpec(
        "notes.mark_extraneous",
        "Mark as &Extraneous",
        ("Ctrl+Alt+E",),
        "",
        "Overrule the detector: this block is not part of the article",
    ),
    ActionSpec(
        "notes.clear_override",
        "&Use the Detector's Verdict",
        (),
        "",
        "Forget your verdict on this block",
    ),
    ActionSpec("help.shortcuts", "&Keyboard Shortcuts", ("F1",)),
    ActionSpec("help.about", "&About Article Diff"),
)

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "file.open",
            "file.open_left",
            "file.open_right",
            "@recent",
            "-",
            "file.open_session",
            "file.save_session",
            "file.save_session_as",
            "-",
            "file.export_html",
            "-",
            "file.reload",
            "-",
            "file.quit",
        ),
    ),
    ("&View", ("view.zoom_in", "view.zoom_out", "view.zoom_reset", "-", "@sidebar", "@notes")),
    (
        "&Go",
        (
            "go.prev_change",
            "go.next_change",
            "go.first_change",
            "go.last_change",
            "-",
            "go.prev_extraneous",
            "go.next_extraneous",
        ),
    ),
    (
        "&Options",
        (
            "options.ignore_case",
            "options.ignore_punctuation",
            "options.fold_typography",
            "-",
            "options.hide_extraneous",
        ),
    ),
    (
        "&Notes",
        (
            "notes.edit",
            "notes.delete",
            "notes.overall",
            "-",
            "notes.mark_not_extraneous",
            "notes.mark_extraneous",
            "notes.clear_override",
        ),
    ),
    ("&Help", ("help.shortcuts", "-", "help.about")),
)

TOOLBAR: tuple[str, ...] = (
    "file.open",
    "file.reload",
    "-",
    "go.first_change",
    "go.prev_change",
    "go.next_change",
    "go.last_change",
    "-",
    "go.prev_extraneous",
    "go.next_extraneous",
    "-",
    "options.hide_extraneous",
)


def icon(name: str) -> QIcon:
    """An icon from resources/icons, or an empty one if the file is missing."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def create_actions(parent: QWidget) -> dict[str, QAction]:
    """QActions for the whole table, owned by ``parent``; handlers are connected by the caller."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, parent)
        action.setObjectName(spec.id)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        if spec.icon:
            action.setIcon(icon(spec.icon))
        if spec.tip:
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        actions[spec.id] = action
    return actions


def handler_name(action_id: str) -> str:
    """Name of the window method that handles ``action_id``."""
    return "_on_" + action_id.replace(".", "_")


def shortcut_rows() -> list[tuple[str, str]]:
    """(command, shortcuts) for the Help listing, in table order."""
    rows = []
    for spec in ACTIONS:
        if spec.shortcuts:
            keys = ", ".join(
                QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
                for s in spec.shortcuts
            )
            rows.append((spec.text.replace("&", "").rstrip("…"), keys))
    return rows
