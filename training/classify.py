"""Stages classify-dense and classify: sentiment (SST-2) and intent (CLINC150 + oos) heads on one
encoder, first on the dense MiniLM, then on the SqueezeBERT student cut from it and distilled
(task_conversion.py).

One encoder, two heads: the app gets both answers from a single pass per paste. Batches hold one
task each, interleaved; CLINC150 is repeated per epoch so both tasks see similar step counts.
`--task sentiment` (or intent) trains one head alone, into `<stage>-<task>/`: what sharing the
encoder costs each task is measured against it.
With `sentiment_logits` in the config (the student's block), the sentiment soft labels come from
that stage's `logits.npy` (sentiment_teacher.py: mpnet) instead of the dense MiniLM's; the
MiniLM still gives the hidden states and attention the student copies. With
`sentiment_augmented`, each epoch also trains the sentiment head on `augmented_per_epoch` new
texts of that stage (sentiment_augment.py), a fresh slice each epoch, with their mpnet labels.
Tuning data: a fixed slice of 2,000 SST-2 train rows of at least 10 words (sentences like the dev
set's, not the short phrases most of train is) and CLINC150 val (+ oos_val).

    python -m training classify-dense && python -m training classify
"""

from __future__ import annotations

import json
import random

import numpy as np
import torch
import torch.nn.functional as F

from training import convert, data, sst2_tuning, task_conversion
from training.common import (
    RUNS_DIR,
    device_name,
    load_config,
    pick_device,
    run_config,
    save_checkpoint,
    seed_everything,
    stage_logger,
)
from training.loop import Progress, checkpointer, optimizer_step, train_loop, warmup_linear
from training.model import Classifier, EncoderConfig
from training.teacher import load_tokenizer

STAGE = "classify"
RESULT = RUNS_DIR / STAGE / "model.pt"
TEACHER = RUNS_DIR / "classify-dense" / "model.pt"
SST2_TUNE_SIZE = 2000
SST2_TUNE_MIN_WORDS = 10
SST2_TUNE_SENTENCES = 800
HELDOUT_PER_SET = 300
AUGMENTED = "sentiment-augmented"  # a stream of extra examples for the sentiment head
METHOD_WORDS = {
    "task": "SST-2 and CLINC150 (two heads)",
    "dense_stage": "classify-dense",
    "inputs": "SST-2 and CLINC150 train sentences",
    "outputs": "class probabilities",
}


def sst2_split(seed: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """SST-2 train minus a fixed tuning slice, and that slice. `sst2_tune` in
    configs/classify.json picks it: "rows" (2,000 rows of at least 10 words; what the shipped
    classifier used, though most of them sit inside other train rows) or "whole-sentences"
    (800 sentences that the rest of train does not contain: `training/sst2_tuning.py`)."""
    rows = data.sst2("train")
    if load_config(STAGE)["sst2_tune"] == "whole-sentences":
        return sst2_tuning.split(rows, SST2_TUNE_SENTENCES, seed)
    sentences = [i for i, (text, _) in enumerate(rows) if len(text.split()) >= SST2_TUNE_MIN_WORDS]
    tune = set(random.Random(seed).sample(sentences, SST2_TUNE_SIZE))
    return [r for i, r in enumerate(rows) if i not in tune], [rows[i] for i in sorted(tune)]


def intent_labels() -> list[str]:
    """The 150 CLINC150 intents (sorted) and 'oos' last."""
    return [*sorted({label for _, label in data.clinc()["train"]}), "oos"]


def encode(tokenizer, texts: list[str], max_len: int) -> list[list[int]]:
    tokenizer.enable_truncation(max_length=max_len)
    try:
        return [e.ids for e in tokenizer.encode_batch(texts)]
    finally:
        tokenizer.no_truncation()


def outside_teacher_logits(stage: str, rows: list[tuple[str, int]]) -> torch.Tensor:
    """Another teacher's logits for `rows` (SST-2 train rows), from its `logits.npy` (one row
    per SST-2 train row, in file order)."""
    path = RUNS_DIR / stage / "logits.npy"
    if not path.exists():
        raise SystemExit(f"Train that teacher first: python -m training {stage}")
    logits = np.load(path)
    row_of = {text: i for i, (text, _) in enumerate(data.sst2("train"))}
    return torch.from_numpy(logits[[row_of[text] for text, _ in rows]])


def augmented_texts(stage: str) -> tuple[list[str], torch.Tensor]:
    """New sentiment texts and their teacher's logits (sentiment_augment.py)."""
    folder = RUNS_DIR / stage
    if not (folder / "logits.npy").exists():
        raise SystemExit(f"Label the new texts first: python -m training {stage}")
    texts = json.loads((folder / "texts.json").read_text())
    return texts, torch.from_numpy(np.load(folder / "logits.npy"))


def augmented_slice(count: int, size: int, epoch: int) -> list[int]:
    """The augmented texts an epoch trains on: the next `size` of the `count`, wrapping around,
    so each epoch sees new ones while they last."""
    return [(epoch * size + i) % count for i in range(size)]


def step_loss(
    model: Classifier,
    teacher: Classifier | None,
    inputs: tuple[torch.Tensor, torch.Tensor],
    task: str,
    labels: torch.Tensor,
    soft_target: torch.Tensor | None,
    cfg: dict,
) -> tuple[torch.Tensor, dict[str, float]]:
    """One batch's loss: cross-entropy on the labels and, for a student, KL to the soft labels
    (`soft_target`, else the teacher's logits), the teacher's hidden states (MSE) and attention
    (KL); plus what to log."""
    logits, internals = model.with_internals(*inputs)
    loss = F.cross_entropy(logits[task], labels)
    shown = {task: loss.item()}
    if teacher is not None:
        with torch.no_grad():
            t_logits, t_internals = teacher.with_internals(*inputs)
        target = t_logits[task] if soft_target is None else soft_target
        soft = task_conversion.output_kl(logits[task], target)
        hidden, attention = convert.distill_loss(internals, t_internals, inputs[1])
        loss = loss + cfg["kd_weight"] * soft + cfg["hidden_weight"] * (hidden + attention)
        shown |= {"kd": soft.item(), "hidden": hidden.item(), "attention": attention.item()}
    return loss, shown


@torch.no_grad()
def predict(model: Classifier, sequences: list[list[int]], task: str, device) -> np.ndarray:
    """Softmax probabilities in input order."""
    model.eval()
    out = np.zeros((len(sequences), model.heads[task].out_features), dtype=np.float32)
    for batch in data.epoch_batches(sequences, max_tokens=8192, max_batch=128, seed=0):
        logits = model(batch.input_ids.to(device), batch.attention_mask.to(device))[task]
        out[batch.indices] = logits.softmax(-1).cpu().numpy()
    return out


def run(dense: bool = False, only_task: str | None = None) -> dict:
    """Train the student, distilling the dense two-head model; or, with dense=True, fine-tune
    the dense MiniLM itself (the teacher). With `only_task`, only that head is trained."""
    cfg = run_config(STAGE, dense)
    stage = STAGE + ("-dense" if dense else "") + (f"-{only_task}" if only_task else "")
    log = stage_logger(stage)
    checkpoint_path = RUNS_DIR / stage / "state.pt"
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
    tune_inputs = {
        "sst2_tune": encode(tokenizer, [t for t, _ in sst_tune], cfg["max_len"]),
        "clinc_val": encode(tokenizer, [t for t, _ in clinc_val], cfg["max_len"]),
    }
    heldout = [s for seqs in tune_inputs.values() for s in seqs[:HELDOUT_PER_SET]]

    if only_task is not None:
        examples = {only_task: examples[only_task]}
    soft_targets = {}
    if cfg.get("sentiment_logits") and "sentiment" in examples:
        soft_targets["sentiment"] = outside_teacher_logits(cfg["sentiment_logits"], sst_train)
    sizes = {"sentiment": 2, "intent": len(labels)}
    heads = {name: sizes[name] for name in examples}
    all_inputs = [s for seqs, _ in examples.values() for s in seqs]  # the cut's refit inputs
    if cfg.get("sentiment_augmented") and "sentiment" in examples:
        texts, soft_targets[AUGMENTED] = augmented_texts(cfg["sentiment_augmented"])
        examples[AUGMENTED] = (
            encode(tokenizer, texts, cfg["max_len"]),
            soft_targets[AUGMENTED].argmax(1).tolist(),
        )
    model = Classifier(EncoderConfig(dropout=cfg["dropout"]), heads)
    teacher = (
        None
        if dense
        else task_conversion.load_teacher(
            Classifier(EncoderConfig(dropout=0.0), sizes), TEACHER, "classify-dense"
        )
    )
    if teacher is not None:  # the student copies the teacher's state: keep only its heads
        for unused in set(sizes) - set(heads):
            del teacher.heads[unused]
    state = task_conversion.resume_or_start(
        model,
        teacher,
        checkpoint_path,
        {"progress": Progress().as_dict()},
        lambda: task_conversion.cut_teacher(
            teacher,
            model,
            list(teacher.heads.values()),
            (all_inputs, None),
            (heldout, None),
            cfg,
            METHOD_WORDS,
            log,
        ),
    )
    task_conversion.set_trainable(model, dense, cfg)
    model.to(device)
    if teacher is not None:
        teacher.to(device)
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
        for stream, (seqs, ys) in examples.items():
            rows = (
                augmented_slice(len(seqs), cfg["augmented_per_epoch"], epoch)
                if stream == AUGMENTED
                else list(range(len(seqs)))
            )
            repeats = cfg["intent_repeats"] if stream == "intent" else 1
            for r in range(repeats):
                for b in data.epoch_batches(
                    [seqs[i] for i in rows],
                    cfg["max_tokens"],
                    cfg["max_batch"],
                    cfg["seed"] + 97 * epoch + r,
                ):
                    b.indices = [rows[i] for i in b.indices]
                    batches.append((stream, b, torch.tensor([ys[i] for i in b.indices])))
        random.Random(cfg["seed"] + epoch).shuffle(batches)
        return batches

    steps_per_epoch = len(epoch_batches(0))
    total_steps = int(steps_per_epoch * cfg["epochs"])
    log.info("%d steps per epoch, %d in all", steps_per_epoch, total_steps)

    def train_step(item, step: int) -> dict[str, float]:
        stream, batch, targets = item
        task = "sentiment" if stream == AUGMENTED else stream
        scale = warmup_linear(step, total_steps, cfg["warmup_fraction"])
        for group, lr in zip(optimizer.param_groups, base_lrs, strict=True):
            group["lr"] = lr * scale
        model.train()
        inputs = batch.input_ids.to(device), batch.attention_mask.to(device)
        soft_target = (
            soft_targets[stream][batch.indices].to(device) if stream in soft_targets else None
        )
        loss, shown = step_loss(model, teacher, inputs, task, targets.to(device), soft_target, cfg)
        optimizer_step(model, optimizer, loss)
        return shown

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
    tune: dict[str, float] = {}
    if "sentiment" in heads:
        sst_probs = predict(model, tune_inputs["sst2_tune"], "sentiment", device)
        tune["sst2_tune_accuracy"] = float(
            (sst_probs.argmax(1) == np.array([y for _, y in sst_tune])).mean()
        )
    if "intent" in heads:
        val_probs = predict(model, tune_inputs["clinc_val"], "intent", device)
        val_labels = np.array([label_index[y] for _, y in clinc_val])
        tune["clinc_val_argmax_accuracy"] = float((val_probs.argmax(1) == val_labels).mean())
    tune["minutes"] = round(progress.spent / 60, 1)
    log.info("tuning metrics: %s", json.dumps(tune))
    result = {"model": model.state_dict(), "intent_labels": labels, "tune": tune, "config": cfg}
    if teacher is not None:
        cosines = {
            name: convert.layer_cosines(
                model.encoder.eval(), teacher.encoder, seqs[:HELDOUT_PER_SET], device
            )
            for name, seqs in tune_inputs.items()
        }
        result["conversion"] = state["conversion"] | {
            "steps": progress.step,
            "minutes": round(progress.spent / 60, 1),
            "device": device_name(device),
            "cosine_per_layer": cosines,
        }
    save_checkpoint(RUNS_DIR / stage / "model.pt", result)
    return tune
