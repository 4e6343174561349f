"""A task's SqueezeBERT student, cut from the dense MiniLM already fine-tuned on that task.

The general checkpoint (convert.py) keeps too little of MiniLM: QA trained from it stays flat, and
classification tops out below the dense model. A dense model fine-tuned on the task is much easier
to cut (last-layer cosine .83 on QA windows, against .64 for raw MiniLM), so each task takes this
route (TinyBERT style): fine-tune the dense MiniLM first (`classify-dense`, `qa-dense`), permute
and cut that model, refit the kept blocks by least squares on the task's own inputs, then train the
student on the labels while distilling the teacher's outputs, hidden states and attention.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from training import data
from training.common import load_checkpoint, save_checkpoint
from training.convert import layer_cosines
from training.permute import permute_for_blocks
from training.reconstruct import reconstruct
from training.teacher import dense_teacher

METHOD = (
    "The dense MiniLM was first fine-tuned on {task} (`python -m training {dense_stage}`); its "
    "channels were permuted so SqueezeBERT's diagonal blocks keep the most weight importance, "
    "then it was cut to the diagonal blocks and each kept block refitted by least squares, layer "
    "by layer, on {count} {inputs} (`training/reconstruct.py`); the student then trained on the "
    "labels while distilling the dense model's {outputs} (KL), hidden states (MSE) and attention "
    "distributions (KL)."
)


def output_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor) -> torch.Tensor:
    """KL(teacher || student) of the output distributions (classes, or span positions), averaged
    over examples: the soft-label part of the student's loss."""
    return F.kl_div(
        student_logits.log_softmax(-1),
        teacher_logits.log_softmax(-1),
        log_target=True,
        reduction="batchmean",
    )


def set_trainable(model: nn.Module, dense: bool, cfg: dict) -> None:
    """Every block (dense) or the diagonal blocks only (student); the word table frozen where the
    config says so (GPU runs: it then still equals MiniLM's and need not be sent back)."""
    model.encoder.set_alpha(1.0 if dense else 0.0)
    model.encoder.word_embeddings.requires_grad_(not cfg.get("freeze_word_embeddings", False))


def load_teacher(model: nn.Module, path: Path, dense_stage: str) -> nn.Module:
    """`model` with the dense task model's weights from `path`, frozen, in eval mode."""
    trained = load_checkpoint(path)
    if trained is None:
        raise SystemExit(f"Train the dense teacher first: python -m training {dense_stage}")
    model.load_state_dict(trained["model"])
    model.encoder.set_alpha(1.0)
    return model.eval().requires_grad_(False)


def resume_or_start(
    model: nn.Module,
    teacher: nn.Module | None,
    checkpoint_path: Path,
    fresh: dict,
    cut: Callable[[], dict],
) -> dict:
    """A task run's state, resumed from its checkpoint or begun: the dense run (no teacher) starts
    from MiniLM; the student from `cut()` (cut_teacher), saved at once so the refit is not redone.
    `fresh` is the new run's state before that."""
    state = load_checkpoint(checkpoint_path)
    if state is not None:
        model.load_state_dict(state["model"])
        if teacher is not None:
            teacher.load_state_dict(state["teacher"])
        return state
    state = fresh
    if teacher is None:
        model.encoder.load_state_dict(dense_teacher().state_dict())
        return state
    state["conversion"] = cut()
    state["teacher"] = teacher.state_dict()
    save_checkpoint(checkpoint_path, state | {"model": model.state_dict()})
    return state


@torch.no_grad()
def cut_teacher(
    teacher: nn.Module,
    student: nn.Module,
    heads: Sequence[nn.Linear],
    inputs: tuple[Sequence[list[int]], Sequence[list[int]] | None],
    heldout: tuple[Sequence[list[int]], Sequence[list[int]] | None],
    cfg: dict,
    method: dict[str, str],
    log,
) -> dict:
    """Permute `teacher` in place (same function) and make `student` its refitted cut.

    `heads` are the teacher's output layers that read the last hidden state; `inputs` and
    `heldout` are (token ids, token type ids or None) of training and held-out task inputs; a
    sample of `cfg["reconstruct_sequences"]` training inputs drives the refit. `method` fills
    METHOD's task words. Returns the conversion report.
    """
    ids, types = inputs
    pick = random.Random(cfg["seed"]).sample(range(len(ids)), cfg["reconstruct_sequences"])
    batches = list(
        data.epoch_batches(
            [ids[i] for i in pick], 8192, 64, 0, [types[i] for i in pick] if types else None
        )
    )
    permuted = permute_for_blocks(
        teacher.encoder, [(b.input_ids, b.attention_mask) for b in batches], cfg["seed"]
    )
    for head in heads:
        head.weight.copy_(head.weight[:, permuted.hidden_order])
    student.load_state_dict(teacher.state_dict())
    student.eval().encoder.set_alpha(0.0)
    cut = layer_cosines(student.encoder, teacher.encoder, heldout[0], "cpu", heldout[1])
    reconstruct(student.encoder, teacher.encoder, batches, cfg["ridge"], log)
    refit = layer_cosines(student.encoder, teacher.encoder, heldout[0], "cpu", heldout[1])
    log.info("one-shot cosine per layer (held-out inputs): cut %s, least squares %s", cut, refit)
    return {
        "method": METHOD.format(count=len(pick), **method),
        "kept_importance_plain_cut": permuted.kept_plain,
        "kept_importance_permuted": permuted.kept_permuted,
        "one_shot_cosine_per_layer_heldout": {"cut": cut, "least_squares": refit},
    }
