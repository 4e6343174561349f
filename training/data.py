"""Readers for SST-2, CLINC150 and SQuAD v1.1, and length-bucketed dynamic-padding batches."""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch
from tokenizers import Tokenizer

from training.common import DATA_DIR

SQUAD_HELDOUT_ARTICLES = 20  # train articles kept out of all training, for tuning/quick QA tests


def sst2(split: str) -> list[tuple[str, int]]:
    """SST-2 rows (sentence, label) from GLUE's tsv; label 1 = positive."""
    with open(DATA_DIR / "sst2" / f"{split}.tsv", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["sentence"].strip(), int(r["label"])) for r in rows]


def clinc() -> dict[str, list[tuple[str, str]]]:
    """CLINC150 data_full.json: split name -> (text, intent); oos splits have intent 'oos'."""
    raw = json.loads((DATA_DIR / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    return {split: [(text, label) for text, label in rows] for split, rows in raw.items()}


def clinc_domains() -> dict[str, str]:
    """Intent -> domain, from domains.json."""
    raw = json.loads((DATA_DIR / "clinc150" / "domains.json").read_text(encoding="utf-8"))
    return {intent: domain for domain, intents in raw.items() for intent in intents}


def squad(split: str) -> list[dict]:
    """SQuAD v1.1 articles ('train' or 'dev') as in the official json."""
    with gzip.open(DATA_DIR / "squad_v1.1" / f"{split}-v1.1.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)["data"]


def squad_train_split() -> tuple[list[dict], list[dict]]:
    """Train articles minus a fixed held-out tail (used for tuning and the QA quick test)."""
    articles = squad("train")
    return articles[:-SQUAD_HELDOUT_ARTICLES], articles[-SQUAD_HELDOUT_ARTICLES:]


def squad_contexts(articles: list[dict]) -> list[str]:
    return [p["context"] for a in articles for p in a["paragraphs"]]


def chunk_texts(tokenizer: Tokenizer, texts: Sequence[str], max_len: int) -> list[list[int]]:
    """Token ids with [CLS]/[SEP], long texts cut into consecutive chunks of at most max_len."""
    tokenizer.enable_truncation(max_length=max_len, stride=0)
    try:
        chunks = []
        for enc in tokenizer.encode_batch(list(texts)):
            chunks.append(enc.ids)
            chunks.extend(o.ids for o in enc.overflowing)
        return chunks
    finally:
        tokenizer.no_truncation()


@dataclass
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    token_type_ids: torch.Tensor
    indices: list[int]


def pad_batch(
    sequences: Sequence[Sequence[int]], indices: list[int], types: Sequence[Sequence[int]] | None
) -> Batch:
    width = max(len(s) for s in sequences)
    ids = torch.zeros(len(sequences), width, dtype=torch.long)
    mask = torch.zeros_like(ids)
    type_ids = torch.zeros_like(ids)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
        if types is not None:
            type_ids[row, : len(seq)] = torch.tensor(types[row])
    return Batch(ids, mask, type_ids, indices)


def bucketed_batches(
    lengths: Sequence[int], max_tokens: int, max_batch: int, seed: int
) -> list[list[int]]:
    """Index batches of similar length (little padding), at most max_tokens padded tokens each,
    in a shuffled order that is fixed by the seed (so a resumed run replays the same order)."""
    rng = random.Random(seed)
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches, current, width = [], [], 0
    for i in order:
        new_width = max(width, lengths[i])
        if current and (new_width * (len(current) + 1) > max_tokens or len(current) >= max_batch):
            batches.append(current)
            current, new_width = [], lengths[i]
        current.append(i)
        width = new_width
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def epoch_batches(
    sequences: Sequence[Sequence[int]],
    max_tokens: int,
    max_batch: int,
    seed: int,
    types: Sequence[Sequence[int]] | None = None,
) -> Iterator[Batch]:
    for idx in bucketed_batches([len(s) for s in sequences], max_tokens, max_batch, seed):
        yield pad_batch(
            [sequences[i] for i in idx], idx, [types[i] for i in idx] if types else None
        )
