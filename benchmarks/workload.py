"""Benchmark inputs: texts of an exact token count and QA contexts of an exact word count.

Every timed call gets a text it has not seen, so the engine's result cache never answers instead of
the model. Words are whole-word WordPiece tokens, so a text of n words is n + 2 tokens with
[CLS] and [SEP], for every tokenizer built on bert-base-uncased's vocabulary (ours and MiniLM's).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Tokenizer

SENTENCE_TOKENS = {"sentence": 16, "tweet": 40, "paragraph": 128}
QA_WORDS = (100, 400, 2000)
QUESTION_WORDS = 9


@dataclass(frozen=True)
class Words:
    """A pool of common lower-case words that are single tokens."""

    pool: tuple[str, ...]

    @classmethod
    def from_tokenizer(cls, tokenizer_json: Path) -> Words:
        vocab = Tokenizer.from_file(str(tokenizer_json)).get_vocab()
        common = sorted((i, w) for w, i in vocab.items() if w.isalpha() and len(w) >= 3)
        return cls(tuple(w for i, w in common if 2000 <= i < 12000))

    def text(self, rng: random.Random, words: int) -> str:
        sentence = " ".join(rng.choice(self.pool) for _ in range(words))
        return sentence[0].upper() + sentence[1:] + "."  # "." is one more token


def sentence(words: Words, rng: random.Random, tokens: int) -> str:
    """A text of exactly ``tokens`` tokens with [CLS] and [SEP] (the final '.' is one)."""
    return words.text(rng, tokens - 3)


def qa_pair(words: Words, rng: random.Random, context_words: int) -> tuple[str, str]:
    """(question, context) with a context of ``context_words`` words."""
    return words.text(rng, QUESTION_WORDS)[:-1] + "?", words.text(rng, context_words)


def mixed(words: Words, rng: random.Random, max_words: int) -> tuple[str, tuple[str, ...]]:
    """A random task with a random length up to ``max_words`` words: (task, arguments)."""
    task = rng.choice(("sentiment", "intent", "qa"))
    length = rng.randint(1, max_words)
    if task == "qa":
        return task, qa_pair(words, rng, length)
    return task, (words.text(rng, length),)
