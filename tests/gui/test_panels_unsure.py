"""A result the model is unsure of, or one only the threshold in force put out of scope,
reads so on screen and to a screen reader, without contradicting itself."""

from __future__ import annotations

from assistant.engine import Intent, Sentiment
from assistant.gui.widgets.intent_panel import IntentPanel
from assistant.gui.widgets.qa_panel import QaPanel
from assistant.gui.widgets.sentiment_panel import SentimentPanel
from assistant.wording import UNSURE_SENTIMENT_NOTE


def shown_sentiment(qtbot, sentiment: Sentiment) -> SentimentPanel:
    panel = SentimentPanel()
    qtbot.addWidget(panel)
    panel.show_result(sentiment)
    return panel


def shown_intent(qtbot, intent: Intent) -> IntentPanel:
    panel = IntentPanel()
    qtbot.addWidget(panel)
    panel.show_result(intent, "what's my balance")
    return panel


def test_an_unsure_sentiment_leans_and_says_why_to_a_screen_reader_too(qtbot) -> None:
    """Neutral text read as a verdict: "set an alarm for 7am", "Negative" at 68%."""
    panel = shown_sentiment(qtbot, Sentiment("negative", 0.68))
    assert panel.label.text() == "Leans negative"
    assert panel.state_label.text() == UNSURE_SENTIMENT_NOTE
    said = f"{UNSURE_SENTIMENT_NOTE[:1].lower()}{UNSURE_SENTIMENT_NOTE[1:]}"  # mid-sentence
    assert panel.summary() == f"Sentiment: Leans negative, 68% confident, {said}"


def test_a_sure_sentiment_is_a_verdict_with_no_note(qtbot) -> None:
    panel = shown_sentiment(qtbot, Sentiment("positive", 0.8))
    assert panel.summary() == "Sentiment: Positive, 80% confident"


def test_a_likely_intent_out_of_scope_only_by_the_threshold_says_so(qtbot) -> None:
    """At a threshold of 0.90 it read "Out of scope … None of the known intents fits this text.
    … 14% confident … Nearest intents: Balance 86%"."""
    nearest = (("balance", 0.86), ("transfer", 0.05))
    panel = shown_intent(qtbot, Intent("oos", 0.14, None, nearest))
    said = (
        "likeliest intent, Balance (86%), is under the out-of-scope threshold in force"
        " (Settings can change it)."
    )
    assert panel.description.text() == f"The {said}"
    assert panel.summary() == f"Intent: Out of scope, the {said}"  # no "14% confident"


def test_an_unlikely_nearest_intent_leaves_out_of_scope_as_it_was(qtbot) -> None:
    panel = shown_intent(qtbot, Intent("oos", 0.79, None, (("play_music", 0.21),)))
    assert panel.description.text() == "None of the known intents fits this text."
    assert "79% confident" in panel.summary()


def test_a_panel_without_a_result_says_its_note_alone(qtbot) -> None:
    """A stopped answer was heard as "Question: —, Stopped…"."""
    panel = QaPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.clear()
    panel.show_state("Stopped: the text is not fully read.")
    assert panel.summary() == "Question: Stopped: the text is not fully read."
