"""Stage sentiment-augment: new sentiment text for the classifier student, labelled by mpnet.

A student copies its teacher best from many inputs. On SST-2 train itself mpnet's labels are
nearly the hard labels (it was fit to them), so they add little. Each new text is an SST-2 train
row (never the tuning slice) with words swapped for their neighbours (`word_swap.py`, within
SST-2's own vocabulary: "good" -> "excellent", "bad", "decent"; "movie" -> "film"); the swap may
flip the sentiment, so mpnet (`sentiment-teacher`) labels every new text. Labelled in chunks, so
a stopped run resumes. Writes texts.json and logits.npy; `classify` reads them when its student
block names this stage.

    python -m training sentiment-augment
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from training.classify import sst2_split
from training.common import RUNS_DIR, load_config, pick_device, stage_logger
from training.sentiment_teacher import load_mpnet_tokenizer, logits_of, trained_teacher
from training.word_swap import swapped_texts

STAGE = "sentiment-augment"
TEXTS = RUNS_DIR / STAGE / "texts.json"
LOGITS = RUNS_DIR / STAGE / "logits.npy"


def run() -> dict:
    cfg = load_config(STAGE)
    seed = load_config("classify")["seed"]  # the classifier's train/tuning split
    log = stage_logger(STAGE)
    rows = [text for text, _ in sst2_split(seed)[0]]
    texts = swapped_texts(rows, cfg["texts"], cfg, seed)
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
