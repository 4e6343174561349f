"""Top intent in plain words with what it covers, its domain and confidence, plus the nearest
alternatives.

Out of scope is said plainly, and the nearest in-scope intents stay listed under it; where only
the threshold set in Settings put the text there, the panel says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from assistant.gui.widgets.confidence_bar import ConfidenceBar
from assistant.gui.widgets.result_panel import NO_RESULT, ResultPanel, show_text
from assistant.gui.wording import percent, plain_label
from assistant.wording import (
    hedged_description,
    intent_note,
    listed_alternatives,
    nearest_below_threshold,
)

INTENT_HINT = "What a request asks for, among 150 kinds (banking, travel, home…), or none."

if TYPE_CHECKING:
    from assistant.engine import Intent


class IntentPanel(ResultPanel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Intent", INTENT_HINT, parent)
        self.label = self.headline("Top intent")
        self.description = QLabel()
        self.description.setAccessibleDescription("What the intent covers")
        self.description.setWordWrap(True)
        self.domain = QLabel()
        self.domain.setAccessibleDescription("Intent domain")
        self.domain.setWordWrap(True)  # else its width sets the narrowest the results can be
        self.bar = ConfidenceBar("Intent confidence")
        self.alternatives = QLabel()
        self.alternatives.setWordWrap(True)
        self.alternatives.setAccessibleDescription("Other likely intents")
        self.fill(self.label, self.description, self.domain, self.bar, self.alternatives)
        self.spoken[1:1] = [self.description]  # after the name: what it covers, or "none fits"
        self.spoken.append(self.bar.label)
        self.clear()

    def show_result(self, intent: Intent, text: str = "") -> None:
        """``intent`` of ``text``, with the caveat to read it with (``wording.intent_note``)."""
        nearest = nearest_below_threshold(intent)
        self.label.setText(plain_label(intent.label))
        show_text(self.description, self._description(intent, nearest))
        domain = intent.domain
        show_text(self.domain, f"Domain: {plain_label(domain)}" if domain else "")
        self.bar.set_score(intent.score)
        self.bar.setVisible(nearest is None)  # its "2% confident" belied the nearest's 98%
        shown = listed_alternatives(intent.alternatives)
        heading = "Nearest intents" if intent.is_oos else "Next"
        show_text(
            self.alternatives,
            f"{heading}: " + ", ".join(f"{plain_label(name)} {percent(p)}" for name, p in shown)
            if shown
            else "",
        )
        self.show_state(intent_note(intent, text) or "")

    @staticmethod
    def _description(intent: Intent, nearest: tuple[str, float] | None) -> str:
        """What the intent covers, or why none fits: the model found none, or the ``nearest``
        it found is under the threshold (a value the panel is not told, so not given)."""
        if nearest:
            name, probability = nearest
            return (
                f"The likeliest intent, {plain_label(name)} ({percent(probability)}), is under"
                " the out-of-scope threshold in force (Settings can change it)."
            )
        if intent.is_oos:
            return "None of the known intents fits this text."
        return hedged_description(intent.description, intent.score)

    def clear(self) -> None:
        self.label.setText(NO_RESULT)
        show_text(self.description, "")
        show_text(self.domain, "")
        self.bar.setVisible(False)
        show_text(self.alternatives, "")
        super().clear()
