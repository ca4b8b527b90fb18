"""The sidebar: the list of changes and the list of extraneous blocks.

List models expose item roles so later features (notes, overrides) can add markers
without touching the views: ``NOTE_ROLE`` is already shown as a marker.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QListView, QSplitter, QVBoxLayout, QWidget

from viewer.core.model import Block, Change
from viewer.core.snippets import excerpt
from viewer.ui.highlight import LIGHT, Colours

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # change id / block id
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # change kind / side of the block
NOTE_ROLE = Qt.ItemDataRole.UserRole + 3  # note text or None

_SYMBOL = {"insert": "+", "delete": "−", "replace": "⇄", "move": "↕"}


def change_label(change: Change) -> str:
    """One-line description: "stated → said", "+ in exchange", "− kept"."""
    if change.kind == "replace":
        return f"{excerpt(change.left_text, 30)} → {excerpt(change.right_text, 30)}"
    if change.kind == "insert":
        return f"added “{excerpt(change.right_text, 48)}”"
    if change.kind == "delete":
        return f"removed “{excerpt(change.left_text, 48)}”"
    return f"moved “{excerpt(change.left_text or change.right_text, 48)}”"


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ChangeListModel(QAbstractListModel):
    """The comparison's changes; ``set_notes`` marks those with a note."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._changes: tuple[Change, ...] = ()
        self._notes: dict[int, str] = {}
        self.set_colours(LIGHT)

    def set_colours(self, colours: Colours) -> None:
        self._icons = {
            "insert": _swatch(colours.insert_bg),
            "delete": _swatch(colours.delete_bg),
            "replace": _swatch(colours.replace_old_bg),
            "move": _swatch(colours.moved_band),
        }

    def set_changes(self, changes: tuple[Change, ...]) -> None:
        self.beginResetModel()
        self._changes = changes
        self.endResetModel()

    def set_notes(self, notes: dict[int, str]) -> None:
        """Change id -> note text; items with a note show a marker."""
        self._notes = dict(notes)
        if self._changes:
            self.dataChanged.emit(self.index(0), self.index(len(self._changes) - 1))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt override
        return 0 if parent.isValid() else len(self._changes)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid():
            return None
        change = self._changes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            marker = " ✎" if change.id in self._notes else ""
            return f"{change.id + 1}. {_SYMBOL[change.kind]} {change_label(change)}{marker}"
        if role == Qt.ItemDataRole.ToolTipRole:
            note = self._notes.get(change.id)
            text = f"{change.kind}: “{change.left_text}” → “{change.right_text}”"
            return text + (f"\nNote: {note}" if note else "")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(change.kind)
        if role == ID_ROLE:
            return change.id
        if role == KIND_ROLE:
            return change.kind
        if role == NOTE_ROLE:
            return self._notes.get(change.id)
        return None


class ExtraneousListModel(QAbstractListModel):
    """Extraneous blocks of both sides: side, category, first words, reason."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, Block]] = []
        self._notes: dict[tuple[str, int], str] = {}

    def set_blocks(self, items: list[tuple[str, Block]]) -> None:
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def set_notes(self, notes: dict[tuple[str, int], str]) -> None:
        """(side, block id) -> note text; items with a note show a marker."""
        self._notes = dict(notes)
        if self._items:
            self.dataChanged.emit(self.index(0), self.index(len(self._items) - 1))

    def items(self) -> list[tuple[str, Block]]:
        return list(self._items)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid():
            return None
        side, block = self._items[index.row()]
        extraneous = block.extraneous
        category = extraneous.category if extraneous else "?"
        note = self._notes.get((side, block.id))
        if role == Qt.ItemDataRole.DisplayRole:
            arrow = "◀" if side == "left" else "▶"
            reason = f"\n    {excerpt(extraneous.reason, 60)}" if extraneous else ""
            marker = " ✎" if note else ""
            return f"{arrow} {category}: {excerpt(block.text, 40)}{marker}{reason}"
        if role == Qt.ItemDataRole.ToolTipRole:
            why = extraneous.reason if extraneous else ""
            return f"{side} · {category}\n{block.text}\n\n{why}" + (
                f"\n\nNote: {note}" if note else ""
            )
        if role == NOTE_ROLE:
            return note
        if role == ID_ROLE:
            return block.id
        if role == KIND_ROLE:
            return side
        return None


class Sidebar(QWidget):
    """Both lists plus the "Hide extraneous" toggle."""

    change_selected = Signal(int)  # change id
    extraneous_selected = Signal(str, int)  # side, block id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        self.changes = ChangeListModel(self)
        self.extraneous = ExtraneousListModel(self)
        self.change_view = self._list(self.changes, "changeList")
        self.extraneous_view = self._list(self.extraneous, "extraneousList")
        self.change_title = QLabel("Changes", self)
        self.extraneous_title = QLabel("Extraneous blocks", self)
        self.hide_box = QCheckBox("Hide extraneous", self)
        self.hide_box.setToolTip("Take extraneous blocks out of the panes and the comparison")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for title, view, extra in (
            (self.change_title, self.change_view, None),
            (self.extraneous_title, self.extraneous_view, self.hide_box),
        ):
            box = QWidget(splitter)
            layout = QVBoxLayout(box)
            layout.setContentsMargins(4, 4, 4, 0)
            layout.addWidget(title)
            layout.addWidget(view, 1)
            if extra is not None:
                layout.addWidget(extra)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.change_view.selectionModel().currentChanged.connect(
            self._on_change_view_current_changed
        )
        self.extraneous_view.selectionModel().currentChanged.connect(
            self._on_extraneous_view_current_changed
        )

    def _list(self, model: QAbstractListModel, name: str) -> QListView:
        view = QListView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setUniformItemSizes(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return view

    def set_content(self, changes: tuple[Change, ...], extraneous: list[tuple[str, Block]]) -> None:
        self.changes.set_changes(changes)
        self.extraneous.set_blocks(extraneous)
        self.change_title.setText(f"Changes ({len(changes)})")
        self.extraneous_title.setText(f"Extraneous blocks ({len(extraneous)})")

    def select_change(self, change_id: int | None) -> None:
        """Follow the current change without re-emitting ``change_selected``."""
        view = self.change_view
        blocker = view.selectionModel().blockSignals(True)
        if change_id is None:
            view.clearSelection()
        else:
            index = self.changes.index(change_id)
            view.setCurrentIndex(index)
            view.scrollTo(index)
        view.selectionModel().blockSignals(blocker)
        view.viewport().update()

    def select_extraneous(self, row: int | None) -> None:
        view = self.extraneous_view
        blocker = view.selectionModel().blockSignals(True)
        if row is None:
            view.clearSelection()
        else:
            view.setCurrentIndex(self.extraneous.index(row))
            view.scrollTo(self.extraneous.index(row))
        view.selectionModel().blockSignals(blocker)
        view.viewport().update()

    def _on_change_view_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.change_selected.emit(int(current.data(ID_ROLE)))

    def _on_extraneous_view_current_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        if current.isValid():
            self.extraneous_selected.emit(str(current.data(KIND_ROLE)), int(current.data(ID_ROLE)))
