"""The resumable step loop every stage shares: epochs, skipping done batches, timed checkpoints."""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import torch

from training.common import Timer, save_checkpoint

# Unix time after which a run stops early and saves: a lent GPU machine ends each command at a
# fixed limit, and a stage stopped there must still leave its result to bring back.
DEADLINE_ENV = "SQUEEZE_DEADLINE"


@dataclass
class Progress:
    step: int = 0
    epoch: int = 0
    step_in_epoch: int = 0
    spent: float = 0.0

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Progress:
        return cls(**{k: state[k] for k in asdict(cls()) if k in state})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def warmup_linear(
    step: int, total: int, warmup_fraction: float, restart_at: Sequence[int] = ()
) -> float:
    """Learning-rate factor: linear warm-up, then linear decay to 0 at `total`. Each step in
    `restart_at` ends one such schedule and starts the next over the steps up to the following
    one, so a finished run can be extended while the steps it already took keep their rates."""
    bounds = [0, *sorted(restart_at), total]
    begin, end = next((a, b) for a, b in itertools.pairwise(bounds) if step < b or b == total)
    warmup = int((end - begin) * warmup_fraction)
    if step - begin < warmup:
        return (step - begin + 1) / warmup
    return max(0.0, (end - step) / (end - begin - warmup))


def optimizer_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer, loss) -> None:
    """Every stage's update: gradients of `loss`, clipped to norm 1, then one optimizer step."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


def checkpointer(path, state: dict[str, Any], model, optimizer) -> Callable[[Progress], None]:
    """A stage's `save`: its state plus progress, model and optimizer, written atomically."""

    def save(progress: Progress) -> None:
        save_checkpoint(
            path,
            state
            | {
                "progress": progress.as_dict(),
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
            },
        )

    return save


def train_loop(
    progress: Progress,
    total_steps: int,
    epoch_batches: Callable[[int], Sequence[Any]],
    train_step: Callable[[Any, int], dict[str, float]],
    save: Callable[[Progress], None],
    log: logging.Logger,
    log_every: int,
    checkpoint_minutes: float,
    after_step: Callable[[int], None] | None = None,
) -> Progress:
    """Run train_step over the batches of each epoch until total_steps, resuming mid-epoch.

    Batch order depends only on the epoch number (epoch_batches is seeded by it), so a run that
    was stopped and resumed sees exactly the batches it would have seen. Past SQUEEZE_DEADLINE
    the loop stops early (logged), as if total_steps were reached.
    """
    timer = Timer(progress.spent)
    last_save = timer.spent
    deadline = float(os.environ.get(DEADLINE_ENV) or "inf")
    while progress.step < total_steps:
        batches = epoch_batches(progress.epoch)
        for batch in batches[progress.step_in_epoch :]:
            if time.time() > deadline:
                log.warning(
                    "deadline reached: stopping at step %d of %d", progress.step, total_steps
                )
                total_steps = progress.step
            if progress.step >= total_steps:
                break
            losses = train_step(batch, progress.step)
            progress.step += 1
            progress.step_in_epoch += 1
            progress.spent = timer.spent
            if progress.step % log_every == 0:
                shown = " ".join(f"{k} {v:.4f}" for k, v in losses.items())
                log.info(
                    "step %d/%d %s (%.1f min)", progress.step, total_steps, shown, timer.spent / 60
                )
            if after_step is not None:
                after_step(progress.step)
            if timer.spent - last_save > checkpoint_minutes * 60:
                save(progress)
                last_save = timer.spent
        else:
            progress.epoch += 1
            progress.step_in_epoch = 0
    progress.spent = timer.spent
    save(progress)
    return progress
