"""Shared frame of the three result panels: a title, a body, one line of state or error, and
while the panel holds nothing, a line on what it will show. While new results are on their way,
the title says so."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from assistant.gui import theme

NO_RESULT = "—"
"""What a panel's headline says while it holds no result."""
ANALYSING = "analysing…"
"""Put after a panel's name in its title while new results are on their way."""


class ResultPanel(QGroupBox):
    """Subclasses ``fill`` the panel and call the ``show_*`` state methods; ``column`` holds
    what they fill it with, then the state line and the hint, then what a subclass adds."""

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name = title  # the title while not analysing: what the panel is called elsewhere
        self._show_analysing(False)
        self.column = QVBoxLayout(self)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleDescription(f"{title} status")
        # A first look at the window showed a lone "—" in each panel and no word on what it is for.
        self.hint = hint
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self._tint_hint()
        self.error: str | None = None
        self._error_shown = ""  # the error's words on screen: ``error`` or a pointer to it
        self._headlines: list[QLabel] = []
        self.spoken: list[QLabel] = []  # what ``summary`` reads, in order

    def fill(self, *widgets: QWidget) -> None:
        """Lay out ``widgets``, then the state line and the hint under them. A widget joins the
        panel's children (what a screen reader lists) and its focus chain as it is laid out, so
        both follow the order on screen: the lines, laid out first, came before the headline."""
        for widget in (*widgets, self.state_label, self.hint_label):
            self.column.addWidget(widget)

    def show_analysing(self) -> None:
        """New results are on their way: the title says so, on the line it has anyway. As a
        line of the panel, "Analysing…" came at every pause in typing and went with the
        results, pushing the panels below down and back. A result stays meanwhile, with its
        note; a state without one ("Stopped.", "Waiting for the models…") is over."""
        if not self._shows_result():
            self.show_state("")
        self._show_analysing(True)

    def _show_analysing(self, analysing: bool) -> None:
        """The title, and the name a screen reader hears for the panel, with or without
        ``ANALYSING``."""
        self._analysing = analysing
        self._fit_title()
        self.setAccessibleName(f"{self.name} results{f', {ANALYSING}' if analysing else ''}")

    def _fit_title(self) -> None:
        """The name, and while analysing ``ANALYSING`` after it as far as the panel's width
        goes: at a large font the results column is too narrow for all of it."""
        title = f"{self.name} — {ANALYSING}" if self._analysing else self.name
        metrics = self.fontMetrics()
        room = max(self.contentsRect().width(), metrics.horizontalAdvance(self.name))
        self.setTitle(metrics.elidedText(title, Qt.TextElideMode.ElideRight, room))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_title()
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        """As wide as the panel's name needs, whatever follows it in the title: at 24 pt the
        whole of "— analysing…" widened the results column into a sideways scroll."""
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        extra = metrics.horizontalAdvance(self.title()) - metrics.horizontalAdvance(self.name)
        least = QWidget.minimumSizeHint(self).width()  # what the panel's lines need
        return QSize(max(hint.width() - extra, least), hint.height())

    def show_state(self, text: str) -> None:
        """A neutral line such as "Loading model…"; results stay visible. Whatever the
        panel shows next ends ``show_analysing``: every result and error comes through here."""
        self._show_analysing(False)
        self.error = None
        self.state_label.setPalette(self.palette())
        show_text(self.state_label, text)
        self._show_hint()

    def show_error(self, message: str, shown: str | None = None) -> None:
        """An engine error in words; the previous result is cleared so it cannot mislead.
        ``shown`` puts other words on screen (a pointer to a panel above that shows the same
        problem); ``error`` and a screen reader keep the message itself."""
        self.clear()
        self.error, self._error_shown = message, shown or message
        palette = self.state_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, theme.error_color(self.palette()))
        self.state_label.setPalette(palette)
        self.state_label.setText(f"⚠ {self._error_shown}")
        self.state_label.setVisible(True)
        self._show_hint()

    def clear(self) -> None:
        """Forget the result (subclasses extend this, setting their headlines to ``NO_RESULT``)
        and the state line."""
        self.show_state("")

    def _show_hint(self) -> None:
        """The hint, while the panel has no result, state or error to show."""
        empty = not self._shows_result()
        show_text(self.hint_label, self.hint if empty and not self.state_label.text() else "")

    def _shows_result(self) -> bool:
        return any(label.text() not in ("", NO_RESULT) for label in self._headlines)

    def headline(self, description: str) -> QLabel:
        """The large bold label holding a panel's main result. A screen reader reads its text;
        the description says what it is (a fixed accessible name would be read instead)."""
        label = QLabel()
        label.setAccessibleDescription(description)
        label.setWordWrap(True)
        self._headlines.append(label)
        self.spoken.append(label)
        _enlarge(label, self.font())
        return label

    def summary(self, briefly: bool = False) -> str:
        """The panel's result or error in one line, for a screen reader to announce: the
        spoken labels, then the state line's note (a caveat a sighted user reads too). An error
        is said in full unless ``briefly`` (a panel said just before shows it): then as shown."""
        if self.error:
            error = self._error_shown if briefly else self.error
            return f"{self.name}: {error}"
        labels = [*self.spoken, self.state_label]
        said = [  # not the "—" of no result: "Question: —, Stopped" was heard
            label.text()
            for label in labels
            if label.isVisibleTo(self) and label.text() not in ("", NO_RESULT)
        ]
        return f"{self.name}: {_listed(said)}" if said else ""

    def changeEvent(self, event: QEvent) -> None:
        """A new font size setting reaches the panel (its font is inherited) but not the
        headlines, whose size was set: set it again."""
        if event.type() == QEvent.Type.FontChange:
            for label in self._headlines:
                _enlarge(label, self.font())
        if event.type() == QEvent.Type.PaletteChange:
            self._tint_hint()
        super().changeEvent(event)

    def _tint_hint(self) -> None:
        """The hint in the colour of the editor's placeholder text: a caption, not a result,
        but readable (the disabled grey measured 1.5:1 against the panel)."""
        palette = self.hint_label.palette()
        placeholder = self.palette().color(QPalette.ColorRole.PlaceholderText)
        palette.setColor(QPalette.ColorRole.WindowText, placeholder)
        self.hint_label.setPalette(palette)


def show_text(label: QLabel, text: str) -> None:
    """Set a panel's line, hidden while empty: an empty label still takes its share of the
    layout's spacing, which left uneven gaps in an empty or failed panel."""
    label.setText(text)
    label.setVisible(bool(text))


def _listed(parts: list[str]) -> str:
    """``parts`` joined by commas as one sentence: each but the last without its final period
    (a screen reader heard "None of the known intents fits this text., 94% confident"), each
    but the first begun in lower case ("56% confident, Under 80% sure" was heard)."""
    said = [part.rstrip(".") for part in parts[:-1]] + parts[-1:]
    return ", ".join(said[:1] + [_mid_sentence(part) for part in said[1:]])


def _mid_sentence(part: str) -> str:
    """A line of a panel as words within a sentence: "Under 80% sure" -> "under 80% sure",
    "A long text…" -> "a long text…"; an abbreviation ("PTO") or "I" keeps its capital."""
    first = part.split(maxsplit=1)[0] if part.strip() else ""
    if first == "I" or (len(first) > 1 and first.isupper()):
        return part
    return part[:1].lower() + part[1:]


def _enlarge(label: QLabel, base: QFont) -> None:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
