"""Showing notes safely, and the dialog that edits one: Markdown on the left, preview on the right.

Notes are rendered by core (Markdown, then the nh3 sanitiser) and shown in a
``NoteBrowser``: a QTextBrowser that never fetches anything (no images, no remote
resources) and opens a link in the system browser only when it is clicked, and only
for http, https and mailto.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer.core.markdown_render import URL_SCHEMES, render_markdown

PREVIEW_DELAY_MS = 150


class NoteBrowser(QTextBrowser):
    """Read-only view of a rendered note; links open externally on click only."""

    link_opened = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)

    def show_markdown(self, text: str, placeholder: str = "") -> None:
        html = str(render_markdown(text))
        self.setHtml(html or f"<p style='color:gray'><i>{placeholder}</i></p>")

    def loadResource(self, _type: int, _name: QUrl):  # noqa: N802 - Qt override
        return None  # nothing is ever fetched: no images, no style sheets, local or remote

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in URL_SCHEMES:
            self.link_opened.emit(url)
            QDesktopServices.openUrl(url)


class NoteEditor(QDialog):
    """Plain-text Markdown editor with a live, sanitised preview."""

    def __init__(self, title: str, context: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        self.context = QLabel(context, self)
        self.context.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("noteEditor")
        self.editor.setFont(QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)))
        self.editor.setPlaceholderText("Markdown: **bold**, *italic*, - lists, [link](https://…)")
        self.editor.setPlainText(text)
        self.preview = NoteBrowser(self)
        self.preview.setObjectName("notePreview")
        splitter = QSplitter(self)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.context)
        layout.addWidget(splitter, 1)
        layout.addWidget(QLabel("An empty note is deleted.", self))
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(self._timer.start)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.update_preview()

    def update_preview(self) -> None:
        self.preview.show_markdown(self.text(), "Preview")

    def text(self) -> str:
        return self.editor.toPlainText()


def ask_note(parent: QWidget, title: str, context: str, text: str) -> str | None:
    """Edit a note's Markdown in a modal dialog; None when cancelled. (Tests replace this.)"""
    dialog = NoteEditor(title, context, text, parent)
    try:
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
