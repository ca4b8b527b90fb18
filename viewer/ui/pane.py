"""One article pane: a header and a read-only, word-wrapped view of the article.

The pane shows what it is given and measures where its blocks are drawn; the window
uses those extents for scroll sync, the gutter and the overview.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QTextCursor, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QTextEdit, QToolTip, QVBoxLayout, QWidget

from viewer.core.model import Article, Block, Span
from viewer.ui.document import TAG_SPACE, SliceRunner, build_document
from viewer.ui.highlight import LIGHT, Colours, char_formats, side_ranges
from viewer.ui.positions import PositionMap

SERIF = ["Noto Serif", "Georgia", "Source Serif Pro", "DejaVu Serif", "Liberation Serif", "serif"]
BASE_POINT_SIZE = 12
HOLD_BLOCKS = 400  # documents this long keep their position through a reflow (see hold_position)
MEASURE_SLICE = 20  # blocks laid out and measured per step (wrapping makes this the slow part)


class ArticleView(QTextEdit):
    """Read-only text view that accepts dropped files and paints outlines and tags."""

    file_dropped = Signal(str)
    width_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.overlay: Pane | None = None
        self._width = -1

    def dragEnterEvent(self, event):  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event):  # noqa: N802
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.file_dropped.emit(urls[0].toLocalFile())
        else:
            super().dropEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            if self.overlay is not None:
                self.overlay.clicked_at(event.position().toPoint())

    def viewportEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and self.overlay is not None:
            text = self.overlay.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event):  # noqa: N802
        if event.size().width() != event.oldSize().width() and self.overlay is not None:
            self.overlay.hold_position()  # before Qt lays out everything above the view
        super().resizeEvent(event)
        if self.viewport().width() != self._width:
            self._width = self.viewport().width()
            self.width_changed.emit()

    def paintEvent(self, event):  # noqa: N802
        if self.overlay is not None and self.overlay.reflowing:
            painter = QPainter(self.viewport())
            painter.fillRect(self.viewport().rect(), self.palette().base())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, "Reflowing…")
            painter.end()
            return
        super().paintEvent(event)
        if self.overlay is not None:
            painter = QPainter(self.viewport())
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                self.overlay.paint_overlay(painter)
            finally:
                painter.end()


class _TimerGate(QObject):
    """Event filter that swallows timer events of the object it is installed on."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        return event.type() == QEvent.Type.Timer


class Pane(QWidget):
    """Header plus ArticleView for one side ("left" or "right")."""

    ready = Signal()  # content built and measured
    geometry_changed = Signal()  # block extents re-measured (resize, zoom)
    file_dropped = Signal(str)
    offset_clicked = Signal(int)  # article offset under a plain click

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.colours: Colours = LIGHT
        self.article: Article | None = None
        self.positions: PositionMap | None = None
        self.blocks: tuple[Block, ...] = ()
        self.index_of: dict[int, int] = {}  # block id -> shown index
        self.tops: list[float] = []
        self.bottoms: list[float] = []
        self.measured = False
        self._current: Span | None = None
        # While reflowing: (block index, fraction of its height, pixels past its bottom).
        self._anchor: tuple[int, float, float] | None = None
        self._height: float | None = None
        # Set by the window: describes the difference at an article offset, for tooltips.
        self.describe: Callable[[int], str | None] | None = None
        # Both panes build at once and Qt fires both due timers in one pass: half the
        # default budget keeps a left+right pair of slices near one slice's stall.
        self._runner = SliceRunner(budget_ms=6.0, parent=self)
        self._timer_gate = _TimerGate(self)
        self._create_widgets()

    def _create_widgets(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("paneTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self.title.setFont(title_font)
        self.details = QLabel(self)
        self.details.setObjectName("paneDetails")
        self.details.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.view = ArticleView(self)
        self.view.overlay = self
        if self.side == "left":  # the gutter sits right of this pane; the overview scrolls it
            self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont()
        font.setFamilies(SERIF)
        font.setPointSize(BASE_POINT_SIZE)
        self.view.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QWidget(self)
        header.setObjectName("paneHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(10, 6, 10, 6)
        header_layout.setSpacing(1)
        header_layout.addWidget(self.title)
        header_layout.addWidget(self.details)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)
        self.view.file_dropped.connect(self.file_dropped)
        self.view.width_changed.connect(self.remeasure)
        self.show_message("Drop a file here or use File → Open")

    # Content -------------------------------------------------------------------------------

    def show_message(self, text: str, title: str = "") -> None:
        """Replace the content with a hint (no article on this side)."""
        self._runner.stop()
        self.article, self.positions, self.blocks = None, None, ()
        self.index_of, self.tops, self.bottoms, self.measured = {}, [], [], False
        self._anchor, self._height = None, None
        self.title.setText(title or ("Left" if self.side == "left" else "Right"))
        self.details.setText("")
        document = QTextDocument(self.view)
        document.setDefaultFont(self.view.font())
        document.setPlainText(text)
        self._set_document(document)

    def show_article(
        self,
        article: Article,
        blocks: tuple[Block, ...],
        segments,
        moved_ids: set[int],
        words: int,
        colours: Colours,
    ) -> None:
        """Show ``blocks`` highlighted per ``segments``; ``ready`` follows once measured."""
        self._runner.stop()
        self.article, self.blocks, self.colours = article, blocks, colours
        self.positions = None
        self.index_of = {b.id: i for i, b in enumerate(blocks)}
        self.tops, self.bottoms, self.measured, self._current = [], [], False, None
        self._anchor, self._height = None, None
        self.title.setText(article.name)
        self.title.setToolTip(article.path)
        fmt = {"markdown": "Markdown", "html": "HTML"}.get(article.format, "plain text")
        self.details.setText(f"{article.encoding} · {fmt} · {words:,} words")
        self._runner.start(self._build_then_measure(article, blocks, segments, moved_ids))

    def _build_then_measure(
        self, article: Article, blocks: tuple[Block, ...], segments, moved_ids: set[int]
    ) -> Iterator[None]:
        """Every step of showing an article, in slices: highlights, document, layout."""
        positions = PositionMap(article.text, blocks)
        yield
        ranges: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for start in range(0, len(segments), 1500):
            side_ranges(segments[start : start + 1500], self.side, positions, ranges)
            yield
        document = QTextDocument(self.view)
        document.setDefaultFont(self.view.font())
        document.setDocumentMargin(16)
        formats = char_formats(self.colours)
        yield from build_document(document, blocks, moved_ids, ranges, formats, self.colours)
        self.positions = positions
        self._set_document(document)
        yield from self._measure_steps()
        self.ready.emit()

    def _set_document(self, document: QTextDocument) -> None:
        # The view deletes the previous document itself: it is the view's child.
        self.view.setDocument(document)

    # Geometry ------------------------------------------------------------------------------

    @property
    def reflowing(self) -> bool:
        """True while a big document is laid out again and its position is held."""
        return self._anchor is not None

    def hold_position(self) -> None:
        """Before a reflow of a big document: remember the paragraph at the top and go to
        the start, so Qt lays out one screen instead of everything above the view. The
        measuring slices lay out the rest; the position is restored when they finish."""
        if not self.measured or len(self.blocks) < HOLD_BLOCKS or not self.tops:
            return
        if self._anchor is None:
            value = self.scroll_value()
            index = max(bisect_right(self.tops, value) - 1, 0)
            height = max(self.bottoms[index] - self.tops[index], 1.0)
            fraction = min(max((value - self.tops[index]) / height, 0.0), 1.0)
            # Past the block's text (in the gap before the next): keep those pixels as such.
            self._anchor = (index, fraction, max(value - self.bottoms[index], 0.0))
        self.view.verticalScrollBar().setValue(0)

    def _restore_position(self) -> None:
        if self._anchor is not None and self.tops:
            index, fraction, extra = self._anchor
            index = min(index, len(self.tops) - 1)
            top, bottom = self.tops[index], self.bottoms[index]
            value = top + fraction * (bottom - top) + extra
            # Still "reflowing" here, so the scroll does not drag the other pane by stale links.
            self.view.verticalScrollBar().setValue(round(value))
        self._anchor = None
        self.view.viewport().update()

    def remeasure(self) -> None:
        """Measure block extents again after the layout width or font changed."""
        if self.article is None or (self._runner.running and not self.measured):
            return
        self._runner.start(self._remeasure_steps())

    def _remeasure_steps(self) -> Iterator[None]:
        yield from self._measure_steps()
        self._restore_position()
        self.geometry_changed.emit()

    def _measure_steps(self) -> Iterator[None]:
        """Read every block's bounding rect, a slice at a time (forcing the lazy layout)."""
        self.measured = False
        layout = self.view.document().documentLayout()
        # Qt's own lazy layout grows its steps to 200,000 characters (tens of ms each, per
        # pane); while we lay out in small slices here, its timer events are held back.
        layout.installEventFilter(self._timer_gate)
        try:
            yield from self._measure_blocks(layout)
        finally:
            layout.removeEventFilter(self._timer_gate)
        # The held-back timer would have reported the new size; report it now, so the
        # scroll bar's range is right before a position is restored.
        layout.documentSizeChanged.emit(layout.documentSize())

    def _measure_blocks(self, layout) -> Iterator[None]:  # type: ignore[no-untyped-def]
        tops: list[float] = []
        bottoms: list[float] = []
        block = self.view.document().begin()
        while block.isValid():
            # The rect is the text's own extent: block margins lie outside it.
            rect = layout.blockBoundingRect(block)
            tops.append(rect.top())
            bottoms.append(rect.bottom())
            block = block.next()
            if len(tops) % MEASURE_SLICE == 0:
                yield
        self.tops, self.bottoms, self.measured = tops, bottoms, True
        self._height = self.view.document().size().height()  # laid out by now: cheap
        self.view.viewport().update()

    def extents(self) -> dict[int, tuple[float, float]]:
        """Block id -> (top, bottom) in document coordinates."""
        if not self.measured:
            return {}
        return {b.id: (self.tops[i], self.bottoms[i]) for i, b in enumerate(self.blocks)}

    def doc_height(self) -> float:
        """Height of the laid-out document, as of the last measurement.

        Never QTextDocument.size() in between: that finishes the whole layout
        synchronously, which on a big document is a stall of hundreds of ms.
        """
        if self._height is not None:
            return self._height
        bar = self.view.verticalScrollBar()
        return float(bar.maximum() + bar.pageStep())

    def scroll_value(self) -> int:
        return self.view.verticalScrollBar().value()

    def page_height(self) -> int:
        return self.view.viewport().height()

    def visible_range(self) -> tuple[int, int]:
        """Indices [first, last) of the shown blocks intersecting the viewport."""
        top = self.scroll_value()
        first = max(bisect_right(self.bottoms, top), 0)
        last = bisect_right(self.tops, top + self.page_height())
        return first, max(first, last)

    # Spans ---------------------------------------------------------------------------------

    def span_rect(self, span: Span) -> QRectF | None:
        """Rectangle covering ``span`` in document coordinates (None if not shown)."""
        ends = [self._cursor_rect(span[0]), self._cursor_rect(span[1])]
        if ends[0] is None or ends[1] is None:
            return None
        first, last = ends
        if abs(first.top() - last.top()) < 1:
            return QRectF(
                first.left(), first.top(), max(last.right() - first.left(), 3), first.height()
            )
        width = self.view.viewport().width()
        return QRectF(8, first.top(), width - 16, last.bottom() - first.top())

    def _cursor_rect(self, offset: int) -> QRectF | None:
        if self.positions is None:
            return None
        located = self.positions.locate(offset)
        if located is None:
            return None
        index, utf16 = located
        block = self.view.document().findBlockByNumber(index)
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(min(block.position() + utf16, block.position() + block.length() - 1))
        rect = QRectF(self.view.cursorRect(cursor))
        return rect.translated(0, self.scroll_value())

    def offset_at(self, point: QPoint) -> int | None:
        """Article offset of the character at viewport ``point``."""
        if self.positions is None or not self.blocks:
            return None
        cursor = self.view.cursorForPosition(point)
        block = cursor.block()
        index = block.blockNumber()
        if not 0 <= index < len(self.blocks):
            return None
        return self.positions.offset(index, cursor.position() - block.position())

    def clicked_at(self, point: QPoint) -> None:
        offset = self.offset_at(point)
        if offset is not None:
            self.offset_clicked.emit(offset)

    def tooltip_at(self, point: QPoint) -> str | None:
        offset = self.offset_at(point)
        return self.describe(offset) if offset is not None and self.describe else None

    def set_current(self, span: Span | None) -> None:
        """Outline ``span`` as the current change (None: no outline)."""
        self._current = span
        self.view.viewport().update()

    def center_on(self, span: Span) -> None:
        """Scroll so ``span`` is in the middle of the view."""
        rect = self.span_rect(span)
        if rect is not None:
            bar = self.view.verticalScrollBar()
            bar.setValue(int(rect.center().y() - self.page_height() / 2))

    def center_on_block(self, block_id: int) -> None:
        index = self.index_of.get(block_id)
        if index is not None and self.measured:
            middle = (
                self.tops[index] + min(self.bottoms[index], self.tops[index] + self.page_height())
            ) / 2
            self.view.verticalScrollBar().setValue(int(middle - self.page_height() / 2))

    def scroll_to_fraction(self, fraction: float) -> None:
        """Centre the view on ``fraction`` (0..1) of the document height."""
        bar = self.view.verticalScrollBar()
        bar.setValue(int(fraction * self.doc_height() - self.page_height() / 2))

    # Painting ------------------------------------------------------------------------------

    def paint_overlay(self, painter: QPainter) -> None:
        """Category tags of extraneous blocks and the current change's outline."""
        offset = self.scroll_value()
        if self.measured:
            first, last = self.visible_range()
            for index in range(first, last):
                extraneous = self.blocks[index].extraneous
                if extraneous is not None:
                    self._paint_tag(
                        painter, extraneous.category, self.tops[index] - TAG_SPACE - offset
                    )
        if self._current is not None:
            rect = self.span_rect(self._current)
            if rect is not None:
                painter.setPen(QPen(QColor(self.colours.current), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.translated(0, -offset).adjusted(-3, -1, 3, 1), 4, 4)

    def _paint_tag(self, painter: QPainter, category: str, top: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(self.font().pointSizeF() * 0.8, 7))
        font.setBold(True)
        painter.setFont(font)
        text = f"EXTRANEOUS · {category.upper()}"
        width = painter.fontMetrics().horizontalAdvance(text) + 12
        rect = QRectF(16, top + 2, width, TAG_SPACE - 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.colours.tag_bg))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor(self.colours.tag_fg))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def set_zoom(self, steps: int) -> None:
        """Base font size plus ``steps`` points (headings scale with it)."""
        self.hold_position()
        font = QFont(self.view.font())
        font.setPointSize(max(6, BASE_POINT_SIZE + steps))
        self.view.setFont(font)
        self.view.document().setDefaultFont(font)
        self.remeasure()
