"""Time the QA student's training step by batch size, to size `configs/qa-gpu.json` on a lent
GPU: random weights, full 256-token windows, the loss of `training.qa.step_loss`.

    python3 -m training.lease.step_time 32 64 128 [--bf16]
"""

from __future__ import annotations

import argparse
import time

import torch

from training.common import pick_device, run_config
from training.model import EncoderConfig, QuestionAnswerer
from training.qa import step_loss
from training.task_conversion import set_trainable

WINDOW = 256
WARMUP_STEPS, TIMED_STEPS = 10, 30


def milliseconds_per_step(batch: int, cfg: dict, device: torch.device) -> float:
    torch.manual_seed(0)
    student = QuestionAnswerer(EncoderConfig(dropout=cfg["dropout"])).to(device).train()
    teacher = QuestionAnswerer(EncoderConfig(dropout=0.0)).to(device).eval()
    set_trainable(student, dense=False, cfg=cfg)
    teacher.encoder.set_alpha(1.0)
    optimizer = torch.optim.AdamW(student.parameters(), lr=cfg["lr"], weight_decay=0.01)
    ids = torch.randint(1000, 30000, (batch, WINDOW))
    inputs = ids, torch.ones_like(ids), torch.zeros_like(ids)
    labels = torch.randint(0, WINDOW, (batch,)), torch.randint(0, WINDOW, (batch,))

    def step() -> None:
        loss, _ = step_loss(
            student,
            teacher,
            tuple(t.to(device) for t in inputs),
            tuple(t.to(device) for t in labels),
            cfg,
        )
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        optimizer.step()

    for _ in range(WARMUP_STEPS):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    began = time.perf_counter()
    for _ in range(TIMED_STEPS):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - began) / TIMED_STEPS * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m training.lease.step_time", description=__doc__
    )
    parser.add_argument("batches", nargs="+", type=int)
    parser.add_argument("--bf16", action="store_true", help="bf16 autocast (else TF32 on a GPU)")
    args = parser.parse_args()
    cfg = run_config("qa", dense=False) | {"bf16": args.bf16}
    device = pick_device()
    for batch in args.batches:
        ms = milliseconds_per_step(batch, cfg, device)
        print(f"batch {batch}: {ms:.1f} ms a step, {batch / ms * 1000:.0f} windows/s", flush=True)


if __name__ == "__main__":
    main()
