"""Stage 2: sentiment (SST-2) and intent (CLINC150 + oos) heads on one converted encoder.

One encoder, two heads: the app gets both answers from a single pass per paste. Batches hold one
task each, interleaved; CLINC150 is repeated per epoch so both tasks see similar step counts.
Tuning data: a fixed 2,000-sentence slice of SST-2 train and CLINC150 val (+ oos_val).

    python -m training classify
"""

from __future__ import annotations

import json
import random

import numpy as np
import torch
import torch.nn.functional as F

from training import convert, data
from training.common import (
    RUNS_DIR,
    load_checkpoint,
    load_config,
    pick_device,
    save_checkpoint,
    seed_everything,
    stage_logger,
)
from training.loop import Progress, train_loop
from training.model import Classifier, EncoderConfig
from training.teacher import load_tokenizer

STAGE = "classify"
CHECKPOINT = RUNS_DIR / STAGE / "state.pt"
RESULT = RUNS_DIR / STAGE / "model.pt"
SST2_TUNE_SIZE = 2000


def sst2_split(seed: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """SST-2 train minus a fixed tuning slice, and that slice."""
    rows = data.sst2("train")
    random.Random(seed).shuffle(rows)
    return rows[SST2_TUNE_SIZE:], rows[:SST2_TUNE_SIZE]


def intent_labels() -> list[str]:
    """The 150 CLINC150 intents (sorted) and 'oos' last."""
    return [*sorted({label for _, label in data.clinc()["train"]}), "oos"]


def encode(tokenizer, texts: list[str], max_len: int) -> list[list[int]]:
    tokenizer.enable_truncation(max_length=max_len)
    try:
        return [e.ids for e in tokenizer.encode_batch(texts)]
    finally:
        tokenizer.no_truncation()


@torch.no_grad()
def predict(model: Classifier, sequences: list[list[int]], task: str, device) -> np.ndarray:
    """Softmax probabilities in input order."""
    model.eval()
    out = np.zeros((len(sequences), model.heads[task].out_features), dtype=np.float32)
    for batch in data.epoch_batches(sequences, max_tokens=8192, max_batch=128, seed=0):
        logits = model(batch.input_ids.to(device), batch.attention_mask.to(device))[task]
        out[batch.indices] = logits.softmax(-1).cpu().numpy()
    return out


def run() -> dict:
    cfg = load_config(STAGE)
    log = stage_logger(STAGE)
    seed_everything(cfg["seed"])
    device = pick_device()
    tokenizer = load_tokenizer()
    labels = intent_labels()
    label_index = {label: i for i, label in enumerate(labels)}
    sst_train, sst_tune = sst2_split(cfg["seed"])
    clinc = data.clinc()
    clinc_train = clinc["train"] + clinc["oos_train"]
    clinc_val = clinc["val"] + clinc["oos_val"]
    examples = {
        "sentiment": (
            encode(tokenizer, [t for t, _ in sst_train], cfg["max_len"]),
            [y for _, y in sst_train],
        ),
        "intent": (
            encode(tokenizer, [t for t, _ in clinc_train], cfg["max_len"]),
            [label_index[y] for _, y in clinc_train],
        ),
    }

    model = Classifier(
        EncoderConfig(dropout=cfg["dropout"]), {"sentiment": 2, "intent": len(labels)}
    )
    state = load_checkpoint(CHECKPOINT)
    if state is None:
        encoder, conversion = convert.converted_encoder()
        model.encoder.load_state_dict(encoder)
        state = {"progress": Progress().as_dict(), "conversion": conversion}
    else:
        model.load_state_dict(state["model"])
    model.encoder.set_alpha(0.0)
    model.to(device)
    head_params = [p for n, p in model.named_parameters() if n.startswith("heads.")]
    body_params = [p for n, p in model.named_parameters() if not n.startswith("heads.")]
    optimizer = torch.optim.AdamW(
        [{"params": body_params, "lr": cfg["lr"]}, {"params": head_params, "lr": cfg["head_lr"]}],
        weight_decay=0.01,
    )
    if "optimizer" in state:
        optimizer.load_state_dict(state["optimizer"])
    base_lrs = [cfg["lr"], cfg["head_lr"]]

    def epoch_batches(epoch: int) -> list[tuple[str, data.Batch, torch.Tensor]]:
        batches = []
        for task, (seqs, ys) in examples.items():
            repeats = cfg["intent_repeats"] if task == "intent" else 1
            for r in range(repeats):
                for b in data.epoch_batches(
                    seqs, cfg["max_tokens"], cfg["max_batch"], cfg["seed"] + 97 * epoch + r
                ):
                    batches.append((task, b, torch.tensor([ys[i] for i in b.indices])))
        random.Random(cfg["seed"] + epoch).shuffle(batches)
        return batches

    steps_per_epoch = len(epoch_batches(0))
    total_steps = int(steps_per_epoch * cfg["epochs"])
    warmup = int(total_steps * cfg["warmup_fraction"])
    log.info("%d steps per epoch, %d in all", steps_per_epoch, total_steps)

    def train_step(item, step: int) -> dict[str, float]:
        task, batch, targets = item
        scale = (
            (step + 1) / warmup if step < warmup else (total_steps - step) / (total_steps - warmup)
        )
        for group, lr in zip(optimizer.param_groups, base_lrs, strict=True):
            group["lr"] = lr * scale
        model.train()
        logits = model(batch.input_ids.to(device), batch.attention_mask.to(device))[task]
        loss = F.cross_entropy(logits, targets.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return {task: loss.item()}

    def save(progress: Progress) -> None:
        save_checkpoint(
            CHECKPOINT,
            {
                "progress": progress.as_dict(),
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "conversion": state["conversion"],
            },
        )

    progress = train_loop(
        Progress.from_state(state["progress"]),
        total_steps,
        epoch_batches,
        train_step,
        save,
        log,
        cfg["log_every"],
        cfg["checkpoint_minutes"],
    )
    sst_probs = predict(
        model, encode(tokenizer, [t for t, _ in sst_tune], cfg["max_len"]), "sentiment", device
    )
    val_probs = predict(
        model, encode(tokenizer, [t for t, _ in clinc_val], cfg["max_len"]), "intent", device
    )
    val_labels = np.array([label_index[y] for _, y in clinc_val])
    tune = {
        "sst2_tune_accuracy": float(
            (sst_probs.argmax(1) == np.array([y for _, y in sst_tune])).mean()
        ),
        "clinc_val_argmax_accuracy": float((val_probs.argmax(1) == val_labels).mean()),
        "minutes": round(progress.spent / 60, 1),
    }
    log.info("tuning metrics: %s", json.dumps(tune))
    save_checkpoint(
        RESULT,
        {
            "model": model.state_dict(),
            "intent_labels": labels,
            "tune": tune,
            "conversion": state["conversion"],
        },
    )
    return tune
