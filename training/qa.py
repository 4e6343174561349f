"""Stages qa-dense and qa: extractive QA (SQuAD v1.1), the dense MiniLM, then the SqueezeBERT
student cut from it and distilled (task_conversion.py).

Question first, context cut into windows by the tokenizer (only_second truncation with a stride),
length-bucketed batches with dynamic padding. Windows without the answer point at [CLS]. Every
`eval_every` steps the model is exported to fp32 ONNX and scored through the app's own engine on
600 questions of SQuAD train articles held out from all training (dev stays for reported numbers).

    python -m training qa-dense && python -m training qa
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from benchmarks.squad_metric import score
from training import convert, data, task_conversion
from training.bundle import write_bundle, write_manifest
from training.common import (
    RUNS_DIR,
    device_name,
    load_checkpoint,
    load_config,
    mixed_precision,
    pick_device,
    run_config,
    save_checkpoint,
    seed_everything,
    stage_logger,
)
from training.loop import Progress, checkpointer, optimizer_step, train_loop, warmup_linear
from training.model import EncoderConfig, QuestionAnswerer
from training.onnx_export import export_qa, optimize
from training.permute import align_to_student
from training.teacher import load_tokenizer

STAGE = "qa"
MORE_STAGE = "qa-more"
ALIGN_WINDOWS = 256
RESULT = RUNS_DIR / STAGE / "model.pt"
TEACHER = RUNS_DIR / "qa-dense" / "model.pt"
METHOD_WORDS = {
    "task": "SQuAD",
    "dense_stage": "qa-dense",
    "inputs": "QA windows (question + context)",
    "outputs": "span logits",
}
QUICK_TEST_QUESTIONS = 600


@dataclass
class Windows:
    ids: list[list[int]] = field(default_factory=list)
    types: list[list[int]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)


def as_float(start_logits, end_logits, internals):
    """fp32 copies of a forward pass's outputs: the losses are computed in full precision."""
    hidden, scores = internals
    return (
        start_logits.float(),
        end_logits.float(),
        ([h.float() for h in hidden], [a.float() for a in scores]),
    )


def step_loss(
    model: QuestionAnswerer,
    teacher: QuestionAnswerer | None,
    inputs: tuple[torch.Tensor, torch.Tensor, torch.Tensor],
    labels: tuple[torch.Tensor, torch.Tensor],
    cfg: dict,
) -> tuple[torch.Tensor, dict[str, float]]:
    """One batch's loss: span cross-entropy on the labels and, for a student, the dense
    teacher's span logits (KL), hidden states (MSE) and attention (KL); plus what to log."""
    with mixed_precision(inputs[0].device, cfg):
        start_logits, end_logits, internals = model.with_internals(*inputs)
    start_logits, end_logits, internals = as_float(start_logits, end_logits, internals)
    masked = (1 - inputs[1]) * -10000.0
    loss = (
        F.cross_entropy(start_logits + masked, labels[0])
        + F.cross_entropy(end_logits + masked, labels[1])
    ) / 2
    shown = {"loss": loss.item()}
    if teacher is not None:
        with torch.no_grad(), mixed_precision(inputs[0].device, cfg):
            t_start, t_end, t_internals = as_float(*teacher.with_internals(*inputs))
        soft = (
            task_conversion.output_kl(start_logits + masked, t_start + masked)
            + task_conversion.output_kl(end_logits + masked, t_end + masked)
        ) / 2
        hidden, attention = convert.distill_loss(internals, t_internals, inputs[1])
        loss = loss + cfg["kd_weight"] * soft + cfg["hidden_weight"] * (hidden + attention)
        shown |= {"kd": soft.item(), "hidden": hidden.item(), "attention": attention.item()}
    return loss, shown


def squad_questions(articles: list[dict]) -> list[dict]:
    """Flat list of {question, context, answers: [(start, text)]}."""
    return [
        {
            "question": qa["question"],
            "context": p["context"],
            "answers": [(a["answer_start"], a["text"]) for a in qa["answers"]],
        }
        for article in articles
        for p in article["paragraphs"]
        for qa in p["qas"]
    ]


def token_span(window, char_start: int, char_end: int) -> tuple[int, int]:
    """Token indices of the answer inside this window's context, or (0, 0) for [CLS]."""
    context = [i for i, sid in enumerate(window.sequence_ids) if sid == 1]
    offsets = window.offsets
    if not context or offsets[context[0]][0] > char_start or offsets[context[-1]][1] < char_end:
        return 0, 0
    start = next(i for i in context if offsets[i][1] > char_start)
    end = next(i for i in reversed(context) if offsets[i][0] < char_end)
    return start, end


def featurize(tokenizer, questions: list[dict], max_len: int, stride: int) -> Windows:
    tokenizer.enable_truncation(max_length=max_len, stride=stride, strategy="only_second")
    try:
        pairs = [(q["question"], q["context"]) for q in questions]
        encodings = tokenizer.encode_batch(pairs)
    finally:
        tokenizer.no_truncation()
    windows = Windows()
    for q, enc in zip(questions, encodings, strict=True):
        char_start, text = q["answers"][0]
        for window in [enc, *enc.overflowing]:
            start, end = token_span(window, char_start, char_start + len(text))
            windows.ids.append(window.ids)
            windows.types.append(window.type_ids)
            windows.starts.append(start)
            windows.ends.append(end)
    return windows


def qa_config(version: str, max_length: int, doc_stride: int, metrics: dict) -> dict:
    return {
        "name": "squeezebert-qa",
        "version": version,
        "architecture": EncoderConfig().architecture(),
        "max_length": max_length,
        "tasks": {
            "qa": {
                "kind": "extractive_qa",
                "start_output": "start_logits",
                "end_output": "end_logits",
                "doc_stride": doc_stride,
                "max_question_len": 64,
                "max_answer_len": 30,
            }
        },
        "metrics": metrics,
    }


def engine_scores(model: QuestionAnswerer, questions: list[dict], dense: bool) -> dict[str, float]:
    """EM/F1 through the app's engine on an fp32 ONNX export of the current weights."""
    from assistant.engine import Engine

    cfg = load_config(STAGE)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "squeezebert-qa"
        bundle.mkdir()
        raw = Path(tmp) / "raw.onnx"
        export_qa(model, raw, dense=dense)
        optimize(raw, bundle / "model.fp32.onnx", EncoderConfig())
        write_bundle(
            bundle, bundle / "model.fp32.onnx", qa_config("dev", cfg["max_len"], cfg["stride"], {})
        )
        (bundle / "model.fp32.onnx").unlink()
        write_manifest(Path(tmp))
        engine = Engine(models_dir=Path(tmp))
        predictions = [engine.answer(q["question"], q["context"])[0].answer for q in questions]
    model.train()
    return score(predictions, [[t for _, t in q["answers"]] for q in questions])


@torch.no_grad()
def continue_student(
    model: QuestionAnswerer, teacher: QuestionAnswerer, windows: Windows, cfg: dict, log
) -> dict:
    """Start `model` from the finished student (`qa`) and line the dense `teacher` up with it
    (the cut's channel order was not kept: `permute.align_to_student` finds it again), so hidden
    states and attention can still be distilled. Refuses when the realigned teacher does not
    give the last-layer cosine the student finished with."""
    finished = load_checkpoint(RESULT)
    if finished is None:
        raise SystemExit("Train the student first: python -m training qa")
    model.load_state_dict(finished["model"])
    model.eval().encoder.set_alpha(0.0)
    pick = random.Random(cfg["seed"]).sample(range(len(windows.ids)), ALIGN_WINDOWS)
    batches = data.epoch_batches([windows.ids[i] for i in pick], 8192, 32, 0)
    hidden = align_to_student(
        teacher.encoder, model.encoder, [(b.input_ids, b.attention_mask) for b in batches]
    )
    teacher.span.weight.copy_(teacher.span.weight[:, hidden])
    ids, types = [windows.ids[i] for i in pick[:100]], [windows.types[i] for i in pick[:100]]
    cosine = convert.layer_cosines(model.encoder, teacher.encoder, ids, "cpu", types)
    before = finished["conversion"]["cosine_per_layer"]["squad_heldout_qa_windows"][-1]
    log.info(
        "realigned teacher: last-layer cosine %.3f (the student finished at %.3f)",
        cosine[-1],
        before,
    )
    if cosine[-1] < before - 0.05:
        raise SystemExit(f"The realigned teacher does not match the student ({cosine[-1]:.3f})")
    return finished["conversion"] | {
        "continued_from": {
            "steps": finished["conversion"]["steps"],
            "curve": finished["curve"],
            "config": finished["config"],
        }
    }


def run(dense: bool = False, more: bool = False) -> dict:
    """Train the QA student, distilling the dense QA model (task_conversion.py); or, with
    dense=True, fine-tune the dense MiniLM itself: the teacher and the quick test's baseline.
    With more=True (stage qa-more), train the finished student further, on the settings of
    configs/qa-more.json over the student's."""
    cfg = run_config(STAGE, dense) | (load_config(MORE_STAGE) if more else {})
    stage = MORE_STAGE if more else STAGE + ("-dense" if dense else "")
    log = stage_logger(stage)
    checkpoint_path = RUNS_DIR / stage / "state.pt"
    seed_everything(cfg["seed"])
    device = pick_device()
    tokenizer = load_tokenizer()
    train_articles, heldout_articles = data.squad_train_split()
    heldout = squad_questions(heldout_articles)
    quick = random.Random(cfg["seed"]).sample(heldout, min(QUICK_TEST_QUESTIONS, len(heldout)))
    started = time.monotonic()
    windows = featurize(tokenizer, squad_questions(train_articles), cfg["max_len"], cfg["stride"])
    log.info("%d training windows (%.0f s to build)", len(windows.ids), time.monotonic() - started)

    model = QuestionAnswerer(EncoderConfig(dropout=cfg["dropout"]))
    teacher = (
        None
        if dense
        else task_conversion.load_teacher(
            QuestionAnswerer(EncoderConfig(dropout=0.0)), TEACHER, "qa-dense"
        )
    )
    quick_windows = featurize(tokenizer, quick, cfg["max_len"], cfg["stride"])  # for cosines
    state = task_conversion.resume_or_start(
        model,
        teacher,
        checkpoint_path,
        {"progress": Progress().as_dict(), "curve": [], "eval_seconds": 0.0},
        (lambda: continue_student(model, teacher, windows, cfg, log))
        if more
        else lambda: task_conversion.cut_teacher(
            teacher,
            model,
            [teacher.span],
            (windows.ids, windows.types),
            (quick_windows.ids, quick_windows.types),
            cfg,
            METHOD_WORDS,
            log,
        ),
    )
    task_conversion.set_trainable(model, dense, cfg)
    model.to(device).train()
    if teacher is not None:
        teacher.to(device)
    head = [p for n, p in model.named_parameters() if n.startswith("span.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("span.")]
    base_lrs = [cfg["lr"], cfg["head_lr"]]
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": base_lrs[0]}, {"params": head, "lr": base_lrs[1]}],
        weight_decay=0.01,
    )
    if "optimizer" in state:
        optimizer.load_state_dict(state["optimizer"])
    total = cfg["total_steps"]
    targets = torch.tensor(windows.starts), torch.tensor(windows.ends)

    def epoch_batches(epoch: int) -> list[data.Batch]:
        return list(
            data.epoch_batches(
                windows.ids,
                cfg["max_tokens"],
                cfg["max_batch"],
                cfg["seed"] + epoch,
                windows.types,
            )
        )

    def train_step(batch: data.Batch, step: int) -> dict[str, float]:
        scale = warmup_linear(step, total, cfg["warmup_fraction"], cfg.get("restart_at", ()))
        for group, lr in zip(optimizer.param_groups, base_lrs, strict=True):
            group["lr"] = lr * scale
        inputs = (
            batch.input_ids.to(device),
            batch.attention_mask.to(device),
            batch.token_type_ids.to(device),
        )
        idx = torch.tensor(batch.indices)
        labels = targets[0][idx].to(device), targets[1][idx].to(device)
        loss, shown = step_loss(model, teacher, inputs, labels, cfg)
        optimizer_step(model, optimizer, loss)
        state["windows_seen"] = state.get("windows_seen", 0) + len(batch.indices)
        return shown

    progress = Progress.from_state(state["progress"])

    save = checkpointer(checkpoint_path, state, model, optimizer)

    def evaluate(step: int) -> None:
        if step % cfg["eval_every"] and step != total:
            return
        began = time.monotonic()
        result = engine_scores(model, quick, dense)
        state["eval_seconds"] += time.monotonic() - began
        minutes = (progress.spent - state["eval_seconds"]) / 60
        state["curve"].append(
            {
                "step": step,
                "train_minutes": round(minutes, 1),
                "windows_seen": state.get("windows_seen", 0),
            }
            | result
        )
        log.info(
            "quick test at step %d (%.1f training minutes): EM %.1f F1 %.1f",
            step,
            minutes,
            result["exact_match"],
            result["f1"],
        )

    train_loop(
        progress,
        total,
        epoch_batches,
        train_step,
        save,
        log,
        cfg["log_every"],
        cfg["checkpoint_minutes"],
        after_step=evaluate,
    )
    (RUNS_DIR / stage / "curve.json").write_text(json.dumps(state["curve"], indent=2))
    result = {"model": model.state_dict(), "curve": state["curve"], "config": cfg}
    if teacher is not None:
        cosines = convert.layer_cosines(
            model.encoder.eval(), teacher.encoder, quick_windows.ids, device, quick_windows.types
        )
        this_run = {
            "steps": progress.step,
            "minutes": round(progress.spent / 60, 1),
            "device": device_name(device),
        }
        result["conversion"] = (
            state["conversion"]
            | ({"continued": this_run} if more else this_run)
            | {"cosine_per_layer": {"squad_heldout_qa_windows": cosines}}
        )
    save_checkpoint(RUNS_DIR / stage / "model.pt", result)
    return {"curve": state["curve"]}
