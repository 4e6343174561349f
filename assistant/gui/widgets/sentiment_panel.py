"""Overall sentiment in words with a confidence bar, and how the sentences split."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from assistant.gui import theme
from assistant.gui.announce import announce
from assistant.gui.widgets.confidence_bar import ConfidenceBar
from assistant.gui.widgets.result_panel import NO_RESULT, ResultPanel, show_text
from assistant.gui.wording import isolated, one_line, percent, plain_label
from assistant.wording import hedged_sentiment, sentiment_note, shortened

QUOTE_CHARS = 120  # of the sentence quoted against the overall sentiment
QUOTE_MIN_WORDS = 4
"""A sentence quoted against the overall sentiment has at least this many words, else none is
quoted (the counts and tints still show it): an email's "Best, Laura" and "Hi team," were
quoted as its most positive sentence (>99%)."""

SENTIMENT_HINT = "Positive or negative, overall and by sentence."

if TYPE_CHECKING:
    from assistant.engine import Sentiment


class SentimentPanel(ResultPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sentiment", SENTIMENT_HINT, parent)
        self.label = self.headline("Overall sentiment")
        self.bar = ConfidenceBar("Sentiment confidence")
        self.cut_note = QLabel()  # what the model could not read: said with the headline
        self.cut_note.setWordWrap(True)
        self.cut_note.setAccessibleDescription("What the analysis left out")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleDescription("Sentence breakdown")
        self.at_cursor = QLabel()
        self.at_cursor.setWordWrap(True)  # one line, it widened the column past the window
        self.at_cursor.setAccessibleDescription("Sentiment of the sentence at the cursor")
        self.fill(self.label, self.bar, self.cut_note, self.detail, self.at_cursor)
        self.spoken += [self.bar.label, self.cut_note]
        self.clear()

    def show_result(self, sentiment: Sentiment) -> None:
        """``sentiment``, read as a lean where the model is unsure (``wording.sentiment_note``,
        on the state line, which a screen reader hears with the headline)."""
        score = sentiment.score
        self.label.setText(hedged_sentiment(plain_label(sentiment.label), score))
        self.bar.set_score(score)
        self.bar.setVisible(True)
        show_text(self.cut_note, sentiment.note or "")  # it qualifies the headline
        show_text(self.detail, self._breakdown(sentiment))
        self.show_state(sentiment_note(score) or "")

    @staticmethod
    def _breakdown(sentiment: Sentiment) -> str:
        sentences = sentiment.sentences
        lines = []
        if len(sentences) > 1:
            positive = sum(1 for s in sentences if s.label == "positive")
            lines.append(
                f"{len(sentences)} sentences: {positive} positive"
                f" ({theme.sentiment_color_name('positive')}), {len(sentences) - positive}"
                f" negative ({theme.sentiment_color_name('negative')}). Hover a tinted"
                " sentence, or put the cursor in it, for its score."
            )
            against = [
                s
                for s in sentences
                if s.label != sentiment.label and len(s.text.split()) >= QUOTE_MIN_WORDS
            ]
            if against:  # in words too: the tint is colour and the tooltip needs a mouse
                most = max(against, key=lambda s: s.score)
                quoted = shortened(one_line(most.text), QUOTE_CHARS)
                lines.append(
                    f"Most {plain_label(most.label).lower()}: “{isolated(quoted)}”"
                    f" ({percent(most.score)})"
                )
        return "\n".join(lines)

    def show_sentence_at_cursor(self, said: str, moved: bool = False) -> None:
        """The score of the tinted sentence the cursor is in, for keyboard users; said to a
        screen reader where the caret was ``moved`` into it (as this panel asks them to)."""
        line = f"Sentence at the cursor: {said}" if said else ""
        show_text(self.at_cursor, line)
        if line and moved:
            announce(self, line)

    def clear(self) -> None:
        self.label.setText(NO_RESULT)
        self.bar.setVisible(False)
        show_text(self.cut_note, "")
        show_text(self.detail, "")
        show_text(self.at_cursor, "")
        super().clear()
