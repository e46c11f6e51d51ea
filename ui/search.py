"""Search everything: the box in the main window's toolbar and the page of results it fills.

Typing pauses for a moment, then the words go to
:func:`caseworker.services.search.fulltext.search` with the window's context (the database's own
full-text index, over the cases the officer may see; tens of milliseconds at 250,000 cases). The
results are grouped by case: the case row shows reference, complainant, service and status;
under it, where each match is (an issue, a note, an interview, a letter, an email) with the words
in bold. Enter or a double-click opens the case at the tab that shows the match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from caseworker_ui.case_tabs.common import reason
from caseworker_ui.grouped_page import GroupedTree, body_with_empty_page
from caseworker_ui.models.search import CASE_ID_ROLE, HTML_ROLE, SECTION_ROLE, SearchResultsModel
from caseworker_ui.reports.worker import NewestAnswer
from caseworker_ui.search_box import HINT, SearchBox, make_search_box

if TYPE_CHECKING:
    from caseworker.services.context import Context


SEARCH_DELAY_MS = 250
"""How long typing must pause before the search runs."""
LIMIT = 50
"""Cases shown at most (best first)."""


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet's rich text (the matching words in bold) where the model gives one."""

    def _document(self, option: QStyleOptionViewItem, html: str) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(html)
        return document

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        html = index.data(HTML_ROLE)
        if not html:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(option, html)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        top = option.rect.top() + max(0, (option.rect.height() - document.size().height()) / 2)
        painter.translate(option.rect.left(), top)
        clip = QRectF(0, 0, option.rect.width(), option.rect.height())
        painter.setClipRect(clip)
        context.clip = clip
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        html = index.data(HTML_ROLE)
        if not html:
            return super().sizeHint(option, index)
        document = self._document(option, html)
        base = super().sizeHint(option, index)
        return QSize(int(document.idealWidth()), max(base.height(), int(document.size().height())))


class SearchPanel(QWidget):
    """The results page; its :attr:`box` goes wherever the window puts it (the toolbar)."""

    open_requested = Signal(int, str)
    """Open this case (its id) at this part of its file (see ``CaseWindow.open_at``)."""
    closed = Signal()
    """The search was cleared: show what was there before."""

    def __init__(
        self,
        ctx: Context | None,
        parent: QWidget | None = None,
        *,
        box: SearchBox | None = None,
    ) -> None:
        """``ctx``: the database and the officer searching; None while the app is still
        loading: what is typed meanwhile is searched for once :meth:`set_context` gives it.
        ``box``: one already in the window's toolbar (by default the panel makes its own)."""
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._ctx = ctx
        self.query = ""
        self.error: str | None = None
        self.searches = NewestAnswer(self, "a search")
        """Searches on a worker thread (:meth:`run`); the window waits for one on closing."""
        self._searching_for = ""

        self.box = box if box is not None else make_search_box()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)

        self.title = QLabel("Search everything")
        self.title.setObjectName("searchTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.status = QLabel(HINT)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.model = SearchResultsModel(self)
        self.tree = GroupedTree(
            self.model,
            name="searchResults",
            accessible="Search results, grouped by case",
            widths={
                SearchResultsModel.CASE: ("CW-2026-000000", 70),
                SearchResultsModel.SERVICE: ("Waste and recycling", 24),
                SearchResultsModel.STATUS: ("Closed — partially upheld", 24),
            },
            stretch=SearchResultsModel.DETAIL,
            uniform_rows=False,
        )  # snippets wrap
        self.tree.setItemDelegateForColumn(SearchResultsModel.DETAIL, SnippetDelegate(self.tree))
        self.body, self.empty_page = body_with_empty_page(self.tree, "searchEmpty")

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.status)
        column.addWidget(self.body, 1)

        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self._enter)
        self.box.escaped.connect(self.closed)
        self.box.down.connect(self._into_results)
        self._timer.timeout.connect(self.run)
        self.tree.activated.connect(self.open_index)

    def set_context(self, ctx: Context) -> None:
        """The app has loaded: search for whatever was typed while it did."""
        self._ctx = ctx
        if self.box.text().strip() and not self._timer.isActive():
            self.run()

    # -- doing -------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.show_results("", [])
            self.closed.emit()
            return
        self._timer.start()

    def _enter(self) -> None:
        """Enter in the box: search now, or open the first case if the results are current."""
        if self._timer.isActive() or self.box.text() != self.query:
            if not (self.searching and self._searching_for == self.box.text()):
                self.run()
            return
        first = self.model.index(0, 0)
        if first.isValid():
            self.open_index(first)

    def _into_results(self) -> None:
        if self.model.rowCount():
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            self.tree.setCurrentIndex(self.model.index(0, 0))

    def run(self) -> None:
        """Search for what is in the box now, on a worker thread: the window keeps taking keys
        while the database answers (a common word, or an officer's own login on a team's
        server, can take most of 0.1 s). The results shown stay until the answer comes; only
        the newest search's answer is shown (:attr:`searching` says one is awaited)."""
        self._timer.stop()
        query = self.box.text()
        self.searches.forget()  # a search under way is no longer wanted
        if not query.strip():
            self.show_results("", [])
            return
        if self._ctx is None:
            self.status.setText("Searching as soon as the app has loaded…")
            self.empty_page.label.setText(self.status.text())
            return
        from caseworker.services.search.fulltext import search

        ctx = self._ctx
        self._searching_for = query

        def found(results: list[Any]) -> None:
            self.error = None
            self.show_results(query, results)

        def failed(error: Exception) -> None:  # the page says what went wrong; the box keeps it
            self.error = reason(error)
            self.show_results(query, [])

        self.searches.ask(lambda: search(ctx, query, LIMIT), found, failed)

    @property
    def searching(self) -> bool:
        """Whether an answer of :meth:`run` is awaited."""
        return self.searches.waiting

    def show_results(self, query: str, found) -> None:  # noqa: ANN001
        self.query = query
        self.model.set_results(found)
        self.tree.expandAll()
        shown = query.strip()
        if not shown:
            self.status.setText(HINT)
        elif self.error is not None:
            self.status.setText(f"The search could not run: {self.error}")
        elif not found:
            self.status.setText(
                f"No case mentions “{shown}”. Check the spelling, or try fewer "
                "or shorter words (every word must appear)."
            )
        else:
            cases = len(found)
            more = f" (the best {LIMIT}; add a word to narrow it)" if cases >= LIMIT else ""
            self.status.setText(
                f"{cases} case{'s mention' if cases != 1 else ' mentions'} “{shown}”{more}. "
                "Press Enter "
                "or double-click a line to open the case there."
            )
        self.empty_page.label.setText(self.status.text())
        self.body.setCurrentWidget(self.tree if found else self.empty_page)
        self.status.setVisible(bool(found))

    def open_index(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.open_requested.emit(int(case_id), index.data(SECTION_ROLE) or "overview")

    def focus_box(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()
