"""Counts, cut texts and unsure results worded by one rule in the command line, the window and
the files."""

from assistant.engine import Intent
from assistant.wording import (
    UNSURE_SENTIMENT_NOTE,
    hedged_sentiment,
    nearest_below_threshold,
    plural,
    sentiment_note,
    shortened,
)


def test_plural_counts_with_thousands() -> None:
    assert (plural(1, "text"), plural(0, "text"), plural(1024, "row")) == (
        "1 text",
        "0 texts",
        "1,024 rows",
    )


def test_shortened_keeps_short_texts_and_cuts_long_ones_to_the_limit() -> None:
    assert shortened("abc", 3) == "abc"
    assert shortened("abcdef", 4) == "abc…"
    assert shortened("abcdef", 5, "...") == "ab..."
    assert len(shortened("x" * 10_000, 1000)) == 1000
    assert shortened("abcdef", 2, "...") == "ab"  # no room for the mark


def test_a_sentiment_under_80_percent_reads_as_a_lean_with_a_note() -> None:
    """Neutral text read as a verdict: "set an alarm for 7am", Negative at 68%."""
    assert (hedged_sentiment("Negative", 0.68), sentiment_note(0.68)) == (
        "Leans negative",
        UNSURE_SENTIMENT_NOTE,
    )
    assert (hedged_sentiment("Positive", 0.8), sentiment_note(0.8)) == ("Positive", None)
    # judged as shown: 0.7977 shows as 80% and 0.80, which "Under 80% sure" would belie
    assert (hedged_sentiment("Positive", 0.7977), sentiment_note(0.7977)) == ("Positive", None)
    assert "Under 80% sure" in UNSURE_SENTIMENT_NOTE


def test_only_a_likely_nearest_intent_is_said_to_be_under_the_threshold() -> None:
    """At a threshold of 1.00 "set an alarm" was out of scope at 2% beside Alarm at 98%."""
    raised = Intent("oos", 0.02, None, (("alarm", 0.98), ("timer", 0.01)))
    assert nearest_below_threshold(raised) == ("alarm", 0.98)
    unfit = Intent("oos", 0.79, None, (("play_music", 0.21),))
    found = Intent("alarm", 0.98, "utility", (("timer", 0.01),))
    assert nearest_below_threshold(unfit) is nearest_below_threshold(found) is None
    assert nearest_below_threshold(Intent("oos", 1.0, None)) is None
