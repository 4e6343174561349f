"""How the window and the command line present answers: without the overlapping variants of a
better one, and with a caveat when the model is unsure. Light to import (no onnxruntime)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.wording import LISTED_FROM

if TYPE_CHECKING:
    from assistant.engine import Answer

ANSWERS_CONSIDERED = 20
"""Answers asked of the engine, so that enough are left once overlapping ones are dropped."""
UNSURE_BELOW = 0.21
"""A best answer scored below this is shown with ``UNSURE_NOTE``. Measured for squeezebert-qa
0.3.2 on the 4,301 questions of the 20 held-out SQuAD train articles, each also asked of another
paragraph of its article (threshold chosen on half of them): on the other half it marks 75% of
the answers taken from the wrong paragraph and 24% of those from the right one, whose F1 is 40
against 77 for the unmarked (docs/BENCHMARKS.md)."""
UNSURE_NOTE = "Unsure: the text may not hold the answer to this question."


def distinct(answers: Sequence[Answer]) -> list[Answer]:
    """Best first, without the answers that overlap a better one or repeat its words: "Ferreira
    family" and "by the Ferreira family" under "the Ferreira family" only split its score, and
    a name the text says five times is one answer, not five; an answer of other words elsewhere
    in the text is a real alternative."""
    kept: list[Answer] = []
    said: set[str] = set()
    for answer in answers:
        start, end = answer.start, answer.end
        words = " ".join(answer.answer.casefold().split())
        if words not in said and all(end <= k.start or start >= k.end for k in kept):
            kept.append(answer)
            said.add(words)
    return kept


def found_answers(answers: Sequence[Answer]) -> list[Answer]:
    """The answers worth showing, best first: ``distinct`` ones, without the empty "no answer",
    and the best one's alternatives only from ``LISTED_FROM``."""
    found = distinct([answer for answer in answers if answer.answer])
    return found[:1] + [answer for answer in found[1:] if answer.score >= LISTED_FROM]


def is_unsure(best: Answer) -> bool:
    """Whether the best answer scores too low to be shown as the answer (``UNSURE_BELOW``)."""
    return best.score < UNSURE_BELOW


def unsure_note(best: Answer) -> str | None:
    """``UNSURE_NOTE`` when the best answer's score is low, else None."""
    return UNSURE_NOTE if is_unsure(best) else None
