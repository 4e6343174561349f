"""The QA student's start: a SqueezeBERT cut of the dense MiniLM already fine-tuned on SQuAD.

The general checkpoint (convert.py) keeps enough for classification, but QA trained from it
stays flat (quick-test F1 under 10 after 150 steps, where the dense model has 51). So QA takes the
task-specific route (TinyBERT style): fine-tune the dense MiniLM on SQuAD first
(`python -m training qa-dense`), permute and cut that model, refit the kept blocks by least
squares on QA windows (question + context, both segments), and then train the student on the
labels while distilling the teacher's span logits, hidden states and attention.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import torch

from training import data
from training.common import RUNS_DIR, load_checkpoint
from training.convert import layer_cosines
from training.model import EncoderConfig, QuestionAnswerer
from training.permute import permute_for_blocks
from training.reconstruct import reconstruct

TEACHER = RUNS_DIR / "qa-dense" / "model.pt"


def load_teacher() -> QuestionAnswerer:
    """The dense QA model, frozen, in eval mode."""
    trained = load_checkpoint(TEACHER)
    if trained is None:
        raise SystemExit("Train the dense QA teacher first: python -m training qa-dense")
    teacher = QuestionAnswerer(EncoderConfig(dropout=0.0))
    teacher.load_state_dict(trained["model"])
    teacher.encoder.set_alpha(1.0)
    return teacher.eval().requires_grad_(False)


@torch.no_grad()
def convert_teacher(
    teacher: QuestionAnswerer,
    student: QuestionAnswerer,
    windows: tuple[Sequence[list[int]], Sequence[list[int]]],
    heldout: tuple[Sequence[list[int]], Sequence[list[int]]],
    cfg: dict,
    log,
) -> dict:
    """Permute `teacher` in place (same function) and make `student` its refitted cut.

    `windows` and `heldout` are (token ids, token type ids) of training and held-out QA windows.
    Returns the conversion report.
    """
    ids, types = windows
    pick = random.Random(cfg["seed"]).sample(range(len(ids)), cfg["reconstruct_windows"])
    batches = list(
        data.epoch_batches([ids[i] for i in pick], 8192, 64, 0, [types[i] for i in pick])
    )
    permuted = permute_for_blocks(
        teacher.encoder, [(b.input_ids, b.attention_mask) for b in batches], cfg["seed"]
    )
    teacher.span.weight.copy_(teacher.span.weight[:, permuted.hidden_order])
    student.load_state_dict(teacher.state_dict())
    student.eval().encoder.set_alpha(0.0)
    cut = layer_cosines(student.encoder, teacher.encoder, heldout[0], "cpu", heldout[1])
    reconstruct(student.encoder, teacher.encoder, batches, cfg["ridge"], log)
    refit = layer_cosines(student.encoder, teacher.encoder, heldout[0], "cpu", heldout[1])
    log.info(
        "one-shot cosine per layer (held-out QA windows): cut %s, least squares %s", cut, refit
    )
    return {
        "method": (
            "The dense MiniLM was first fine-tuned on SQuAD (`python -m training qa-dense`); its "
            "channels were permuted so SqueezeBERT's diagonal blocks keep the most weight "
            "importance, then it was cut to the diagonal blocks and each kept block refitted by "
            f"least squares, layer by layer, on {len(pick)} QA windows (`training/reconstruct.py`)"
            "; the student then trained on SQuAD labels while distilling the dense model's span "
            "logits (KL), hidden states (MSE) and attention distributions (KL)."
        ),
        "kept_importance_plain_cut": permuted.kept_plain,
        "kept_importance_permuted": permuted.kept_permuted,
        "one_shot_cosine_per_layer_qa_heldout": {"cut": cut, "least_squares": refit},
    }
