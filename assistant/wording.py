"""How counts, cut texts, lists of intents and unsure results read in the messages of the
command line, the window and the file notes, so that "1 text" and "2 texts" are worded by one
rule (the window's labels and scores are worded in `gui/wording.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.engine import Intent

SHOWN_ALTERNATIVES = 3
"""How many next likeliest intents the window and the command line list after the top one, so
both show the same; the engine returns more (for JSON and the history)."""
LISTED_FROM = 0.01
"""An alternative (answer or intent) scored under this is not listed beside the best: "My
flight <1%" or "meal_suggestion 0.00" reads as noise, not as a candidate."""
INTENT_CUT_NOTE = "Only the beginning of this text was read for its intent."
LONG_REQUEST_WORDS = 30
"""More words than any CLINC150 request the intent model learned from (at most 28): a whole
email got "Card declined, 66%" with nothing to say that intent is for one short request."""
LONG_REQUEST_NOTE = (
    "A long text for a request: the model learned from requests of under"
    f" {LONG_REQUEST_WORDS} words, so take this as a rough guide."
)
HEDGED_BELOW = 0.5
"""Under this confidence an intent's description reads as the closest match, not as what the
text does: "Great phone, the battery lasts two days." got "Asks how to jump-start a dead car
battery" at 47%."""

SENTIMENT_HEDGED_BELOW = 0.8
"""Under this confidence a sentiment reads as a lean, not a verdict: neutral text got flat
ones ("set an alarm for 7am" Negative 68%, a link Positive 50%). Measured through the engine:
of 1,500 SST-2 train sentences of 6+ words, the 1,441 scored from 0.8 were 97.9% right, the 59
under it 66%; of 1,500 CLINC150 validation requests (neutral texts) 67.9% scored under it."""
UNSURE_SENTIMENT_NOTE = (
    f"Under {SENTIMENT_HEDGED_BELOW:.0%} sure, where neutral or mixed text (a request,"
    " a question, a link) lands: read it as a lean, not a verdict."
)


def hedged_sentiment(label: str, score: float) -> str:
    """A sentiment's label as shown ("Negative"), as a lean where the model is unsure of it:
    "Leans negative"."""
    if _unsure(score):
        return f"Leans {label[:1].lower()}{label[1:]}"
    return label


def sentiment_note(score: float) -> str | None:
    """What a sentiment scored ``score`` is to be read with, in the window and on the command
    line alike; None where the model is sure enough for its label to stand alone."""
    return UNSURE_SENTIMENT_NOTE if _unsure(score) else None


def _unsure(score: float) -> bool:
    """Judged on the score as shown (0.7977 shows as 0.80 and 80%): "80% confident" beside
    "Under 80% sure" read as a contradiction."""
    return round(score, 2) < SENTIMENT_HEDGED_BELOW


def hedged_description(description: str | None, score: float) -> str:
    """What an intent covers ("" where the bundle says nothing), hedged where the model is
    unsure of it: "Closest match: asks how to …"."""
    said = description or ""
    if said and score < HEDGED_BELOW:
        return f"Closest match: {said[:1].lower()}{said[1:]}"
    return said


def intent_note(intent: Intent, text: str) -> str | None:
    """What ``intent`` of ``text`` is to be read with, wherever it is shown (window, command
    line, batch rows): the text was cut short, or is longer than any request the model learned
    from. None where there is nothing to say; out of scope is the sound reading of a long text."""
    if intent.truncated:
        return INTENT_CUT_NOTE
    if len(text.split()) > LONG_REQUEST_WORDS and not intent.is_oos:
        return LONG_REQUEST_NOTE
    return None


def nearest_below_threshold(intent: Intent) -> tuple[str, float] | None:
    """The nearest intent of an out-of-scope text where it is likelier than not (so the model's
    first choice): only the threshold in force put the text out of scope (Settings can raise it
    to 1.00), and "Out of scope, 2% confident" over "Alarm 98%" read as a contradiction. None
    otherwise: a nearest intent at 21% is no contradiction of out of scope."""
    nearest = intent.alternatives[:1]
    if intent.is_oos and nearest and nearest[0][1] >= 0.5:
        return nearest[0]
    return None


def listed_alternatives(alternatives: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The next likeliest intents worth listing: the first ``SHOWN_ALTERNATIVES``, each from
    ``LISTED_FROM``."""
    return [pair for pair in alternatives[:SHOWN_ALTERNATIVES] if pair[1] >= LISTED_FROM]


def plural(number: int, noun: str) -> str:
    """``"1 text"``, ``"1,024 texts"``: a number with its noun, plural unless it is one."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def shortened(text: str, limit: int, mark: str = "…") -> str:
    """``text`` if it has at most ``limit`` characters, else its beginning and ``mark``, together
    ``limit`` characters long: a quote, preview or tooltip must not grow with the text."""
    if len(text) <= limit:
        return text
    return text[: limit - len(mark)] + mark if limit > len(mark) else text[:limit]
