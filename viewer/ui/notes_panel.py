"""The Notes panel: the note on the current change or block, the note on the whole
comparison, the session's warnings and the orphaned notes (never silently dropped).

It only shows what it is given; its buttons are the window's actions (notes.edit,
notes.delete, notes.overall), so shortcuts, menus and buttons stay one thing.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.notes import Note, Orphan
from viewer.core.snippets import excerpt
from viewer.ui.note_editor import NoteBrowser

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _button(action: QAction, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class NotesPanel(QWidget):
    """Current note, overall note, warnings and orphans."""

    delete_orphan_requested = Signal(str)  # note id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(260)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("sessionWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "background:#fff3c4;color:#4a3b00;padding:4px;border-radius:3px"
        )
        self.warnings.hide()
        self.target = QLabel("Select a change or an extraneous block.", self)
        self.target.setObjectName("noteTarget")
        self.target.setWordWrap(True)
        self.target.setTextFormat(Qt.TextFormat.PlainText)
        self.browser = NoteBrowser(self)
        self.browser.setObjectName("noteView")
        self.overall_title = QLabel("<b>Note on the comparison</b>", self)
        self.overall = NoteBrowser(self)
        self.overall.setObjectName("overallNoteView")
        self.overall.setMaximumHeight(120)  # room below for the orphans
        self.orphan_title = QLabel(self)
        self.orphans = QListWidget(self)
        self.orphans.setObjectName("orphanList")
        self.orphans.setWordWrap(True)
        self.orphans.setMinimumHeight(60)
        self.delete_orphan = QPushButton("Delete Orphaned Note", self)
        self.delete_orphan.setEnabled(False)
        self._layout()
        self.orphans.currentItemChanged.connect(self._on_orphans_current_item_changed)
        self.delete_orphan.clicked.connect(self._on_delete_orphan_clicked)
        self.show_orphans([])

    def _layout(self) -> None:
        self.note_buttons = QHBoxLayout()
        self.overall_buttons = QHBoxLayout()
        top = QWidget(self)
        box = QVBoxLayout(top)
        box.setContentsMargins(4, 4, 4, 0)
        for widget in (self.warnings, self.target, self.browser):
            box.addWidget(widget, 1 if widget is self.browser else 0)
        box.addLayout(self.note_buttons)
        box.addWidget(self.overall_title)
        box.addWidget(self.overall, 1)
        box.addLayout(self.overall_buttons)
        self.orphan_box = bottom = QWidget(self)
        box = QVBoxLayout(bottom)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.orphan_title)
        box.addWidget(self.orphans, 1)
        box.addWidget(self.delete_orphan)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def set_actions(self, edit: QAction, delete: QAction, overall: QAction) -> None:
        """Buttons for the window's note actions."""
        for layout, actions in (
            (self.note_buttons, (edit, delete)),
            (self.overall_buttons, (overall,)),
        ):
            for action in actions:
                layout.addWidget(_button(action, self))
            layout.addStretch(1)

    def show_target(self, label: str, note: Note | None) -> None:
        """What is selected (``label``) and its note, rendered."""
        self.target.setText(label)
        self.browser.show_markdown(note.body if note else "", "No note yet.")

    def show_overall(self, note: Note | None) -> None:
        self.overall.show_markdown(note.body if note else "", "No note on the whole comparison.")

    def show_warnings(self, warnings: tuple[str, ...]) -> None:
        self.warnings.setText("<br>".join(f"⚠ {escape(w)}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def show_orphans(self, orphans: list[Orphan]) -> None:
        """Notes whose words are gone, each with why; kept in the session until deleted."""
        self.orphans.clear()
        for note, reason in orphans:
            quote = " / ".join(a.text for a in note.anchors)
            item = QListWidgetItem(
                f"“{excerpt(quote, 40)}”: {excerpt(note.body, 60)}\n    {reason}"
            )
            item.setData(NOTE_ID_ROLE, note.id)
            item.setToolTip(f"{note.target} note, orphaned because {reason}\n\n{note.body}")
            self.orphans.addItem(item)
        self.orphan_title.setText(f"<b>Orphaned notes ({len(orphans)})</b>")
        self.orphan_title.setToolTip(
            "Notes whose words were not found again. They stay in the session until deleted."
        )
        self.delete_orphan.setEnabled(False)
        self.orphan_box.setVisible(bool(orphans))

    def _on_orphans_current_item_changed(self, current: QListWidgetItem | None, _previous) -> None:
        self.delete_orphan.setEnabled(current is not None)

    def _on_delete_orphan_clicked(self) -> None:
        item = self.orphans.currentItem()
        if item is not None:
            self.delete_orphan_requested.emit(str(item.data(NOTE_ID_ROLE)))
