"""Stage sentiment-teacher: all-mpnet-base-v2 (110M) fine-tuned on SST-2, a stronger sentiment
teacher than MiniLM, whose logits on every SST-2 train row the classifier student distils.

The classifier student already matches its MiniLM teacher on the tuning slice, so only a better
teacher can lift its sentiment accuracy. mpnet has another vocabulary, so it cannot share the
student's hidden-state distillation; it gives sentence-level soft labels, written once to
`logits.npy` (one row per SST-2 train row; `classify` reads them when its config names this
stage). Same train/tuning split as `classify` (its seed). Training runs in fp32; the label pass
in bf16 (`bf16`). SST-2 dev accuracy is logged for the report only, never for a choice.

    python -m training sentiment-teacher
"""

from __future__ import annotations

import json

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer
from transformers import AutoModelForSequenceClassification

from training import data
from training.classify import sst2_split
from training.common import (
    RUNS_DIR,
    load_checkpoint,
    load_config,
    mixed_precision,
    pick_device,
    seed_everything,
    stage_logger,
)
from training.loop import Progress, checkpointer, optimizer_step, train_loop, warmup_linear
from training.mpnet import mpnet_dir

STAGE = "sentiment-teacher"
LOGITS = RUNS_DIR / STAGE / "logits.npy"
PAD = "<pad>"  # mpnet's own pad token (its positions skip pads)


def load_mpnet_tokenizer(max_len: int) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(mpnet_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_len)
    return tokenizer


def batches_of(sequences: list[list[int]], cfg: dict, seed: int, pad_id: int) -> list[data.Batch]:
    """Length-bucketed batches, padded with mpnet's own pad id (its positions skip pads)."""
    out = []
    for batch in data.epoch_batches(sequences, cfg["max_tokens"], cfg["max_batch"], seed):
        batch.input_ids[batch.attention_mask == 0] = pad_id
        out.append(batch)
    return out


@torch.no_grad()
def logits_of(model, tokenizer: Tokenizer, texts: list[str], cfg: dict, device) -> np.ndarray:
    """The model's logits for each text, in input order."""
    model.eval()
    sequences = [e.ids for e in tokenizer.encode_batch(texts)]
    out = np.zeros((len(sequences), 2), dtype=np.float32)
    inference = cfg | {"max_tokens": 8192, "max_batch": 128}
    for batch in batches_of(sequences, inference, 0, tokenizer.token_to_id(PAD)):
        ids, mask = batch.input_ids.to(device), batch.attention_mask.to(device)
        with mixed_precision(device, cfg):
            logits = model(input_ids=ids, attention_mask=mask).logits
        out[batch.indices] = logits.float().cpu().numpy()
    return out


def mpnet_classifier():
    """all-mpnet-base-v2 with a fresh two-way head."""
    return AutoModelForSequenceClassification.from_pretrained(mpnet_dir(), num_labels=2)


def trained_teacher(device):
    """The fine-tuned mpnet of a finished run (its checkpoint), for labelling new text."""
    state = load_checkpoint(RUNS_DIR / STAGE / "state.pt")
    if state is None or not LOGITS.exists():
        raise SystemExit("Train the sentiment teacher first: python -m training sentiment-teacher")
    model = mpnet_classifier()
    model.load_state_dict(state["model"])
    return model.to(device)


def run() -> dict:
    cfg = load_config(STAGE)
    cfg["seed"] = load_config("classify")["seed"]  # the classifier's train/tuning split
    log = stage_logger(STAGE)
    checkpoint_path = RUNS_DIR / STAGE / "state.pt"
    seed_everything(cfg["seed"])
    device = pick_device()
    tokenizer = load_mpnet_tokenizer(cfg["max_len"])
    pad_id = tokenizer.token_to_id(PAD)
    train_rows, tune_rows = sst2_split(cfg["seed"])
    train_ids = [e.ids for e in tokenizer.encode_batch([t for t, _ in train_rows])]
    train_labels = [y for _, y in train_rows]
    model = mpnet_classifier()
    model.get_input_embeddings().requires_grad_(False)  # a word table barely moves in 1 epoch
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=cfg["lr"], weight_decay=0.01)
    state = load_checkpoint(checkpoint_path) or {"progress": Progress().as_dict()}
    if "model" in state:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
    model.to(device)

    def epoch_batches(epoch: int) -> list[data.Batch]:
        return batches_of(train_ids, cfg, cfg["seed"] + 97 * epoch, pad_id)

    total_steps = int(len(epoch_batches(0)) * cfg["epochs"])
    log.info("%d steps", total_steps)

    def train_step(batch: data.Batch, step: int) -> dict[str, float]:
        scale = warmup_linear(step, total_steps, cfg["warmup_fraction"])
        optimizer.param_groups[0]["lr"] = cfg["lr"] * scale
        model.train()
        logits = model(
            input_ids=batch.input_ids.to(device), attention_mask=batch.attention_mask.to(device)
        ).logits
        loss = F.cross_entropy(
            logits, torch.tensor([train_labels[i] for i in batch.indices], device=device)
        )
        optimizer_step(model, optimizer, loss)
        return {"loss": loss.item()}

    save = checkpointer(checkpoint_path, state, model, optimizer)

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
    all_rows = data.sst2("train")
    logits = logits_of(model, tokenizer, [t for t, _ in all_rows], cfg, device)
    np.save(LOGITS, logits)
    row_of = {text: i for i, (text, _) in enumerate(all_rows)}
    tune_pred = logits[[row_of[t] for t, _ in tune_rows]].argmax(1)
    dev_rows = data.sst2("dev")
    dev_pred = logits_of(model, tokenizer, [t for t, _ in dev_rows], cfg, device).argmax(1)
    tune = {
        "sst2_tune_accuracy": float((tune_pred == np.array([y for _, y in tune_rows])).mean()),
        "train_accuracy": float((logits.argmax(1) == np.array([y for _, y in all_rows])).mean()),
        "sst2_dev_accuracy_reported_only": float(
            (dev_pred == np.array([y for _, y in dev_rows])).mean()
        ),
        "minutes": round(progress.spent / 60, 1),
    }
    log.info("tuning metrics: %s", json.dumps(tune))
    (RUNS_DIR / STAGE / "tune.json").write_text(json.dumps(tune | {"config": cfg}, indent=2))
    return tune
