"""New training text from old, as in TinyBERT's data augmentation: each word of a train row is
swapped, at a set rate, for one of its nearest words in MiniLM's word table ("good" -> "great",
"bad"; "movie" -> "film"). A teacher labels the new texts, so a swap that changes the
meaning teaches the student what the teacher makes of it."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
from safetensors.numpy import load_file

from training.teacher import load_tokenizer, teacher_dir

MAX_TRIES_PER_TEXT = 50


def neighbours(words: list[str], k: int) -> dict[str, list[str]]:
    """Each word's k nearest others among `words` by cosine of MiniLM's word vectors; only
    alphabetic words that are one WordPiece take part."""
    vocab = load_tokenizer().get_vocab()
    table = load_file(str(teacher_dir() / "model.safetensors"))[
        "embeddings.word_embeddings.weight"
    ]
    known = sorted({w for w in words if w.isalpha() and w in vocab})
    vectors = table[[vocab[w] for w in known]].astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argpartition(-similarity, k, axis=1)[:, :k]
    return {w: [known[j] for j in row] for w, row in zip(known, nearest, strict=True)}


def augment(
    rows: list[str],
    count: int,
    table: dict[str, list[str]],
    rate: float,
    min_words: int,
    seed: int,
) -> list[str]:
    """Up to `count` new texts, each a random row of at least `min_words` words with every word
    that has neighbours swapped for a random one of them with probability `rate`; no text twice
    and none equal to a row (fewer when the rows run out of new swaps)."""
    rng = random.Random(seed)
    sources = [r.split() for r in rows if len(r.split()) >= min_words]
    seen, texts = set(rows), []
    for _ in range(count * MAX_TRIES_PER_TEXT):
        if len(texts) == count:
            break
        words = rng.choice(sources)
        text = " ".join(
            rng.choice(table[w]) if w in table and rng.random() < rate else w for w in words
        )
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def swapped_texts(rows: list[str], count: int, settings: dict, seed: int) -> list[str]:
    """`augment` with neighbours drawn from the rows' own vocabulary; `settings` holds
    `neighbours`, `replace_rate` and `min_words`."""
    table = neighbours(list(Counter(w for r in rows for w in r.split())), settings["neighbours"])
    return augment(rows, count, table, settings["replace_rate"], settings["min_words"], seed)
