"""Stage sentiment-augment: new sentiment text for the classifier student, labelled by mpnet.

A student copies its teacher best from many inputs. On SST-2 train itself mpnet's labels are
nearly the hard labels (it was fit to them), so they add little. As in TinyBERT's augmentation,
each new text is an SST-2 train row (never the tuning slice) with each word swapped, at a set
rate, for one of its nearest words in MiniLM's word table (within SST-2's own vocabulary:
"good" -> "excellent", "bad", "decent"; "movie" -> "film"); the swap may flip the sentiment, so
mpnet (`sentiment-teacher`) labels every new text. Labelled in chunks, so a stopped run resumes.
Writes texts.json and logits.npy; `classify` reads them when its student block names this stage.

    python -m training sentiment-augment
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter

import numpy as np
from safetensors.numpy import load_file

from training.classify import sst2_split
from training.common import RUNS_DIR, load_config, pick_device, stage_logger
from training.sentiment_teacher import load_mpnet_tokenizer, logits_of, trained_teacher
from training.teacher import load_tokenizer, teacher_dir

STAGE = "sentiment-augment"
TEXTS = RUNS_DIR / STAGE / "texts.json"
LOGITS = RUNS_DIR / STAGE / "logits.npy"
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


def run() -> dict:
    cfg = load_config(STAGE)
    seed = load_config("classify")["seed"]  # the classifier's train/tuning split
    log = stage_logger(STAGE)
    rows = [text for text, _ in sst2_split(seed)[0]]
    table = neighbours(list(Counter(w for r in rows for w in r.split())), cfg["neighbours"])
    texts = augment(rows, cfg["texts"], table, cfg["replace_rate"], cfg["min_words"], seed)
    log.info("%d new texts from %d rows, e.g. %s", len(texts), len(rows), texts[:3])
    teacher_cfg = load_config("sentiment-teacher")
    tokenizer = load_mpnet_tokenizer(teacher_cfg["max_len"])
    device = pick_device()
    model = trained_teacher(device)
    # Asking for more texts only appends to the same list (the generator is seeded), so the
    # count is left out of the chunks' name: a larger run reuses a smaller one's labels.
    made_by = {k: v for k, v in cfg.items() if k != "texts"}
    settings = hashlib.sha256(json.dumps(made_by, sort_keys=True).encode()).hexdigest()[:12]
    chunks = []
    for start in range(0, len(texts), cfg["chunk"]):  # a chunk of other settings is not reused
        path = RUNS_DIR / STAGE / f"logits-{settings}-{start:07d}.npy"
        if not path.exists():
            chunk = texts[start : start + cfg["chunk"]]
            np.save(path, logits_of(model, tokenizer, chunk, teacher_cfg, device))
            log.info("labelled %d of %d", min(start + cfg["chunk"], len(texts)), len(texts))
        chunks.append(np.load(path))
    logits = np.concatenate(chunks)
    np.save(LOGITS, logits)
    TEXTS.write_text(json.dumps(texts))
    summary = {"texts": len(texts), "positive_share": float((logits.argmax(1) == 1).mean())}
    log.info("done: %s", json.dumps(summary))
    return summary
