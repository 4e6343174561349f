"""How model labels, scores and durations read in the window: plain words, not identifiers."""

from __future__ import annotations

import re

OOS_LABEL = "oos"

# Words of CLINC150 names that are abbreviations or names, not ordinary words.
_SPECIAL_WORDS = {
    "pto": "PTO",
    "mpg": "MPG",
    "apr": "APR",
    "w2": "W-2",
    "401k": "401(k)",
    "uber": "Uber",
    "ai": "AI",
    "i": "I",  # what_can_i_ask_you
}


def plain_label(label: str | None) -> str:
    """``"change_language"`` -> ``"Change language"``; ``"oos"`` -> ``"Out of scope"``."""
    if not label:
        return ""
    if label == OOS_LABEL:
        return "Out of scope"
    words = [_SPECIAL_WORDS.get(word, word) for word in label.replace("-", "_").split("_") if word]
    if not words:
        return label
    first = words[0]
    words[0] = first if first in _SPECIAL_WORDS.values() else first[:1].upper() + first[1:]
    return " ".join(words)


def percent(score: float) -> str:
    """A probability as a whole percentage, never showing 100% or 0% for an uncertain model."""
    value = round(score * 100)
    if value >= 100 and score < 1.0:
        return ">99%"
    if value <= 0 and score > 0.0:
        return "<1%"
    return f"{value}%"


def duration(seconds: float) -> str:
    """A short, human time span for estimates: ``"12 s"``, ``"3 min 05 s"``, ``"1 h 02 min"``;
    ``"under a second"`` below half a second, where "0 s" would read as nothing done."""
    seconds = max(0, round(seconds))
    if seconds == 0:
        return "under a second"
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def one_line(text: str) -> str:
    """User text quoted in a panel on one line, each run of whitespace a space: an answer or a
    sentence, word for word from the text, kept its line breaks and indentation ("at no⏎
    charge" took two rows); its highlight in the text stays exact."""
    return " ".join(text.split())


def isolated(text: str) -> str:
    """User text inside a line of ours: a left-to-right mark, then the text in a bidi isolate.

    Without it a right-to-left answer takes over the direction of the whole line and carries
    our percentage or date along ("2 — مرح%" instead of "مرح — 2%"), and a label whose line
    starts with it is aligned to the right.
    """
    return f"\u200e\u2068{text}\u2069"


# The invisible marks and embeddings that set the direction of text (Unicode's bidi controls).
_DIRECTION_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def speakable(text: str) -> str:
    """A line of the window as a screen reader is to hear it: without the invisible direction
    marks of ``isolated`` (a reader may name them, or pause on them), each run of whitespace one
    space (the gap shown before an answer's score)."""
    return one_line(_DIRECTION_MARKS.sub("", text))
