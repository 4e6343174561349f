"""Frozen result types; ``to_dict()`` gives the shapes known from the transformers pipelines."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

Ranking = tuple[tuple[str, float], ...]


def ranking_dicts(ranking: Ranking) -> list[dict[str, Any]]:
    """``{"label", "score"}`` per label, as the transformers pipelines give a ranking."""
    return [{"label": label, "score": score} for label, score in ranking]


@dataclass(frozen=True)
class SentenceSentiment:
    """One sentence of the input with its character offsets: ``input[start:end] == text``."""

    text: str
    start: int
    end: int
    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Sentiment:
    """Overall sentiment plus per-sentence results.

    ``probabilities`` holds every label with its probability, best first (they sum to 1).
    ``truncated`` is True when only part of the input was read; ``note`` then says which part.
    """

    label: str
    score: float
    sentences: tuple[SentenceSentiment, ...] = ()
    truncated: bool = False
    note: str | None = None
    probabilities: Ranking = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": self.score,
            "sentences": [s.to_dict() for s in self.sentences],
            "truncated": self.truncated,
            "note": self.note,
            "probabilities": ranking_dicts(self.probabilities),
        }


@dataclass(frozen=True)
class Intent:
    """Intent decision after the out-of-scope rule (docs/MODEL_BUNDLES.md).

    ``alternatives`` are the best in-scope intents other than ``label``, so the nearest intents
    stay visible when the answer is out of scope. ``probabilities`` is the model's distribution
    over every label (``oos`` included; softmax after the bundle's temperature), best first.
    ``truncated`` is True when the text was longer than the model reads (only its beginning
    was). ``description`` says in a few words what ``label`` covers (from the bundle's config;
    None out of scope or where the bundle has none).
    """

    label: str
    score: float
    domain: str | None
    alternatives: Ranking = ()
    oos_label: str = "oos"
    probabilities: Ranking = ()
    truncated: bool = False
    description: str | None = None

    @property
    def is_oos(self) -> bool:
        return self.label == self.oos_label

    def to_dict(self) -> dict[str, Any]:
        """The decision and its alternatives; the 151-label ``probabilities`` are left out,
        because they would be most of every JSON line and history entry."""
        return {
            "label": self.label,
            "score": self.score,
            "domain": self.domain,
            "description": self.description,
            "is_oos": self.is_oos,
            "alternatives": ranking_dicts(self.alternatives),
            "truncated": self.truncated,
        }


@dataclass(frozen=True)
class Answer:
    """An extracted answer; ``context[start:end] == answer`` on the ORIGINAL context string."""

    answer: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "start": self.start, "end": self.end, "answer": self.answer}
