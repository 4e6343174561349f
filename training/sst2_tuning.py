"""A tuning slice of SST-2 train that the rest of train does not contain.

SST-2's train rows are the phrases of its sentences' parse trees, so a random long row is nearly
always part of a sentence the model trains on: 76% of the 2,000 rows of at least 10 words that
`classify.sst2_split` sets aside by default appear word for word inside another train row, and
such a slice measures memory. Here the slice is whole sentences (rows of at least MIN_WORDS words
that sit inside no other row), and train loses every row of two or more words found inside one.
"""

from __future__ import annotations

import random
from collections import Counter

MIN_WORDS = 10
MIN_PHRASE_WORDS = 2

Row = tuple[str, int]


def _padded(texts: list[str]) -> str:
    """One text per line, each between spaces, so that ' phrase ' only matches whole words."""
    return "\n".join(f" {t} " for t in texts)


def whole_sentences(rows: list[Row]) -> list[int]:
    """Indices of rows of at least MIN_WORDS words found inside no other row (copies aside)."""
    texts = [text for text, _ in rows]
    corpus, copies = _padded(texts), Counter(texts)
    return [
        i
        for i, text in enumerate(texts)
        if len(text.split()) >= MIN_WORDS and corpus.count(f" {text} ") == copies[text]
    ]


def split(rows: list[Row], size: int, seed: int) -> tuple[list[Row], list[Row]]:
    """(train, tune): `size` whole sentences drawn with `seed`, and the rows none of them holds."""
    tune = sorted(random.Random(seed).sample(whole_sentences(rows), size))
    held = _padded([rows[i][0] for i in tune])
    train = [
        (text, label)
        for text, label in rows
        if len(text.split()) < MIN_PHRASE_WORDS or f" {text} " not in held
    ]
    return train, [rows[i] for i in tune]
