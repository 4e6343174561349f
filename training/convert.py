"""The general conversion: the dense MiniLM into a task-agnostic SqueezeBERT checkpoint.

Not part of `python -m training all`: it keeps too little for QA and less than the task route for
classification, so both shipped students are cut from their dense task teacher instead
(task_conversion.py). It stays as the measured baseline of that route, with its report.

1. Permute channels (training/permute.py) so the diagonal blocks hold the most of MiniLM.
2. Cut to the diagonal blocks and refit them by least squares, layer by layer, to reproduce the
   teacher's activations (training/reconstruct.py): minutes, and most of the repair.
3. Distill the dense teacher's hidden states (MSE, every layer) and attention distributions (KL)
   on unlabeled text: SQuAD train contexts, SST-2 train, CLINC150 train. An optional fade
   (`fade_fraction` > 0) instead starts from the dense weights and shrinks the off-diagonal
   blocks to zero over the first part of training (gradual pruning; it replaces step 2).
Resumable: a checkpoint every few minutes; rerunning continues where it stopped.

    python -m training convert
"""

from __future__ import annotations

import json
import math
import random

import torch
import torch.nn.functional as F

from training import data
from training.common import (
    RUNS_DIR,
    load_checkpoint,
    load_config,
    pick_device,
    save_checkpoint,
    seed_everything,
    stage_logger,
)
from training.loop import Progress, optimizer_step, train_loop
from training.model import Encoder, EncoderConfig
from training.permute import permute_for_blocks
from training.reconstruct import reconstruct
from training.teacher import dense_teacher, load_tokenizer

STAGE = "convert"
CHECKPOINT = RUNS_DIR / STAGE / "state.pt"
RESULT = RUNS_DIR / STAGE / "student.pt"
REPORT = RUNS_DIR / STAGE / "report.json"


def train_corpus(tokenizer, max_len: int) -> list[list[int]]:
    train_articles, _ = data.squad_train_split()
    texts = data.squad_contexts(train_articles)
    texts += [s for s, _ in data.sst2("train")]
    texts += [t for split in ("train", "oos_train") for t, _ in data.clinc()[split]]
    return data.chunk_texts(tokenizer, texts, max_len)


def heldout_corpora(tokenizer, max_len: int, per_set: int) -> dict[str, list[list[int]]]:
    """Held-out text for the cosine report: SQuAD dev contexts, SST-2 dev, CLINC150 val."""
    squad_dev = data.chunk_texts(tokenizer, data.squad_contexts(data.squad("dev")), max_len)
    return {
        "squad_dev_chunks": squad_dev[:: max(1, len(squad_dev) // per_set)][:per_set],
        "sst2_dev": data.chunk_texts(
            tokenizer, [s for s, _ in data.sst2("dev")][:per_set], max_len
        ),
        "clinc_val": data.chunk_texts(
            tokenizer, [t for t, _ in data.clinc()["val"]][:per_set], max_len
        ),
    }


def distill_loss(
    student_out, teacher_out, mask: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean over layers of hidden-state MSE and attention KL, on real tokens only."""
    s_hidden, s_scores = student_out
    t_hidden, t_scores = teacher_out
    tokens = mask.bool()
    hidden = sum(
        F.mse_loss(s[tokens], t[tokens]) for s, t in zip(s_hidden[1:], t_hidden[1:], strict=True)
    )
    query_weight = mask[:, None, :, None].float()
    attention = 0.0
    for s, t in zip(s_scores, t_scores, strict=True):
        kl = (t.softmax(-1) * (t.log_softmax(-1) - s.log_softmax(-1))) * query_weight
        attention = attention + kl.sum() / (query_weight.sum() * s.shape[1])
    layers = len(s_scores)
    return hidden / layers, attention / layers


@torch.no_grad()
def layer_cosines(
    student: Encoder, teacher: Encoder, sequences, device, types=None
) -> list[float]:
    """Mean cosine similarity of each layer's token vectors (index 0 = embeddings)."""
    sums = None
    count = 0
    for batch in data.epoch_batches(sequences, max_tokens=8192, max_batch=64, seed=0, types=types):
        ids, mask = batch.input_ids.to(device), batch.attention_mask.to(device)
        type_ids = batch.token_type_ids.to(device)
        s_hidden, _ = student(ids, mask, type_ids)
        t_hidden, _ = teacher(ids, mask, type_ids)
        tokens = mask.bool()
        cos = torch.stack(
            [
                F.cosine_similarity(s[tokens], t[tokens], dim=-1).sum()
                for s, t in zip(s_hidden, t_hidden, strict=True)
            ]
        )
        sums = cos if sums is None else sums + cos
        count += int(tokens.sum())
    return [round(float(v) / count, 4) for v in sums]


def conversion_method(cfg: dict, state: dict) -> str:
    """One sentence for the model card: how this checkpoint was made."""
    start = (
        "the off-diagonal blocks faded to zero (cubic schedule) during distillation"
        if cfg["fade_fraction"] > 0
        else "each kept block refitted by least squares, layer by layer, to reproduce MiniLM's "
        "activations (`training/reconstruct.py`; last-layer cosine on SQuAD dev chunks "
        f"{state['one_shot_cosine_cut'][-1]:.3f} after the cut, "
        f"{state['one_shot_cosine_least_squares'][-1]:.3f} after the refit)"
    )
    return (
        "MiniLM's channels were permuted so SqueezeBERT's diagonal blocks keep the most weight "
        f"importance, cut to those blocks, {start}, and MiniLM's hidden states (MSE) and "
        "attention distributions (KL) distilled on SQuAD train contexts, SST-2 train and "
        "CLINC150 train text."
    )


def alpha_at(step: int, fade_steps: int) -> float:
    """Share of the off-diagonal weights still applied: cubic decay to 0 (gradual pruning)."""
    if step >= fade_steps:
        return 0.0
    return (1.0 - step / fade_steps) ** 3


def lr_at(step: int, cfg: dict) -> float:
    warmup, total = cfg["warmup_steps"], cfg["total_steps"]
    if step < warmup:
        return cfg["lr"] * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return cfg["lr"] * (
        cfg["min_lr_ratio"] + (1 - cfg["min_lr_ratio"]) * 0.5 * (1 + math.cos(math.pi * progress))
    )


def prepare(cfg: dict, corpus: list[list[int]], heldout: list[list[int]], log) -> dict:
    """Teacher moments -> grouping search -> permuted dense teacher (exactly MiniLM, reordered)
    -> the student: cut and refit by least squares (or left dense, to be faded)."""
    teacher = dense_teacher(EncoderConfig(dropout=0.0)).eval()
    sample = list(data.epoch_batches(corpus, max_tokens=4096, max_batch=64, seed=cfg["seed"]))[
        : cfg["moment_batches"]
    ]
    permuted = permute_for_blocks(
        teacher, [(b.input_ids, b.attention_mask) for b in sample], cfg["seed"]
    )
    plain, searched = permuted.kept_plain, permuted.kept_permuted
    log.info(
        "kept importance inside diagonal blocks: plain cut %.3f, permuted %.3f", plain, searched
    )
    prepared = {"teacher": teacher.state_dict(), "kept_plain": plain, "kept_permuted": searched}
    student = Encoder(teacher.cfg)
    student.load_state_dict(prepared["teacher"])
    if cfg["fade_fraction"] == 0:
        student.set_alpha(0.0)
        probe = heldout[:64]
        prepared["one_shot_cosine_cut"] = layer_cosines(student, teacher, probe, "cpu")
        rng = random.Random(cfg["seed"])
        fit_text = rng.sample(corpus, min(len(corpus), cfg["reconstruct_sequences"]))
        fit_batches = data.epoch_batches(fit_text, max_tokens=8192, max_batch=64, seed=0)
        reconstruct(student, teacher, list(fit_batches), cfg["ridge"], log)
        prepared["one_shot_cosine_least_squares"] = layer_cosines(student, teacher, probe, "cpu")
        log.info(
            "one-shot cosine per layer (SQuAD dev chunks): cut %s, least squares %s",
            prepared["one_shot_cosine_cut"],
            prepared["one_shot_cosine_least_squares"],
        )
    prepared["student"] = student.state_dict()
    return prepared


def run() -> dict:
    cfg = load_config(STAGE)
    log = stage_logger(STAGE)
    seed_everything(cfg["seed"])
    device = pick_device()
    tokenizer = load_tokenizer()
    corpus = train_corpus(tokenizer, cfg["max_len"])
    log.info("distillation corpus: %d sequences, %d tokens", len(corpus), sum(map(len, corpus)))

    heldout = heldout_corpora(tokenizer, cfg["max_len"], cfg["eval_per_set"])
    state = load_checkpoint(CHECKPOINT)
    if state is None:
        state = prepare(cfg, corpus, heldout["squad_dev_chunks"], log)
        save_checkpoint(CHECKPOINT, state)
    enc_cfg = EncoderConfig(dropout=0.0)
    teacher, student = Encoder(enc_cfg), Encoder(enc_cfg)
    teacher.load_state_dict(state["teacher"])
    student.load_state_dict(state["student"])
    teacher.set_alpha(1.0)
    teacher.to(device).eval().requires_grad_(False)
    student.to(device).eval()
    optimizer = torch.optim.AdamW(student.parameters(), lr=cfg["lr"], weight_decay=0.01)
    if "optimizer" in state:
        optimizer.load_state_dict(state["optimizer"])

    fade_steps = int(cfg["total_steps"] * cfg["fade_fraction"])

    def epoch_batches(epoch: int) -> list[data.Batch]:
        return list(
            data.epoch_batches(corpus, cfg["max_tokens"], cfg["max_batch"], cfg["seed"] + epoch)
        )

    def train_step(batch: data.Batch, step: int) -> dict[str, float]:
        alpha = alpha_at(step, fade_steps)
        student.set_alpha(alpha)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, cfg)
        ids, mask = batch.input_ids.to(device), batch.attention_mask.to(device)
        with torch.no_grad():
            target = teacher(ids, mask)
        hidden_loss, attention_loss = distill_loss(student(ids, mask), target, mask)
        loss = hidden_loss + cfg["attention_weight"] * attention_loss
        optimizer_step(student, optimizer, loss)
        return {"alpha": alpha, "hidden": hidden_loss.item(), "attention": attention_loss.item()}

    def after_step(step: int) -> None:
        if step % cfg["eval_every"] == 0:
            cos = layer_cosines(student, teacher, heldout["squad_dev_chunks"][:64], device)
            log.info("step %d cosine per layer (SQuAD dev chunks): %s", step, cos)

    def save(progress: Progress) -> None:
        weights = {"student": student.state_dict(), "optimizer": optimizer.state_dict()}
        save_checkpoint(CHECKPOINT, state | weights | {"progress": progress.as_dict()})

    progress = train_loop(
        Progress.from_state(state.get("progress", state)),
        cfg["total_steps"],
        epoch_batches,
        train_step,
        save,
        log,
        cfg["log_every"],
        cfg["checkpoint_minutes"],
        after_step,
    )
    student.set_alpha(0.0)
    report = {
        "method": conversion_method(cfg, state),
        "kept_importance_plain_cut": state["kept_plain"],
        "kept_importance_permuted": state["kept_permuted"],
        "one_shot_cosine_per_layer_squad_dev": {
            "cut": state.get("one_shot_cosine_cut"),
            "least_squares": state.get("one_shot_cosine_least_squares"),
        },
        "steps": progress.step,
        "minutes": round(progress.spent / 60, 1),
        "cosine_per_layer": {
            name: layer_cosines(student, teacher, seqs, device) for name, seqs in heldout.items()
        },
    }
    REPORT.write_text(json.dumps(report, indent=2))
    save_checkpoint(RESULT, {"encoder": student.state_dict(), "report": report})
    log.info("conversion done: %s", json.dumps(report))
    return report
