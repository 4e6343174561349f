"""Top intent in plain words with what it covers, its domain and confidence, plus the nearest
alternatives.

Out of scope is said plainly, and the nearest in-scope intents stay listed under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from assistant.gui.widgets.confidence_bar import ConfidenceBar
from assistant.gui.widgets.result_panel import NO_RESULT, ResultPanel, show_text
from assistant.gui.wording import percent, plain_label
from assistant.wording import INTENT_CUT_NOTE, hedged_description, listed_alternatives

INTENT_HINT = "What a request asks for, among 150 kinds (banking, travel, home…), or none."

LONG_REQUEST_WORDS = 30
"""More words than any CLINC150 request the intent model learned from (at most 28): a whole
email got "Card declined, 66%" with nothing to say that intent is for one short request."""

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
        for widget in (self.label, self.description, self.domain, self.bar, self.alternatives):
            self.body.addWidget(widget)
        self.spoken[1:1] = [self.description]  # after the name: what it covers, or "none fits"
        self.spoken.append(self.bar.label)
        self.clear()

    def show_result(self, intent: Intent, words: int = 0) -> None:
        """``intent`` of a text of ``words`` words."""
        is_oos = intent.is_oos
        self.label.setText(plain_label(intent.label))
        if is_oos:
            show_text(self.description, "None of the known intents fits this text.")
        else:
            show_text(self.description, hedged_description(intent.description, intent.score))
        domain = intent.domain
        show_text(self.domain, f"Domain: {plain_label(domain)}" if domain else "")
        self.bar.set_score(intent.score)
        self.bar.setVisible(True)
        shown = listed_alternatives(intent.alternatives)
        heading = "Nearest intents" if is_oos else "Next"
        show_text(
            self.alternatives,
            f"{heading}: " + ", ".join(f"{plain_label(name)} {percent(p)}" for name, p in shown)
            if shown
            else "",
        )
        if intent.truncated:
            self.show_state(INTENT_CUT_NOTE)
        elif words > LONG_REQUEST_WORDS and not is_oos:  # out of scope is the sound reading
            self.show_state(
                f"A long text for a request: the model learned from requests of under"
                f" {LONG_REQUEST_WORDS} words, so take this as a rough guide."
            )
        else:
            self.show_state("")

    def clear(self) -> None:
        self.label.setText(NO_RESULT)
        show_text(self.description, "")
        show_text(self.domain, "")
        self.bar.setVisible(False)
        show_text(self.alternatives, "")
        super().clear()
