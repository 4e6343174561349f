"""Run one training stage, or all of them in order: python -m training STAGE (or all).

`classify-dense` and `qa-dense` fine-tune the dense MiniLM on the task: the teacher the task's
student is cut from and distils (`task_conversion.py`); `qa-dense` is also the QA quick test's
baseline.
"""

from __future__ import annotations

import argparse
import importlib

# What `all` runs: everything the shipped bundles need. `convert` (the general checkpoint and its
# report) is not among them: both students are cut from their dense task teacher instead.
STAGES = (
    "classify-dense",
    "sentiment-teacher",
    "sentiment-augment",
    "classify",
    "qa-dense",
    "qa",
    "export",
    "publish",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument(
        "stage",
        choices=(*STAGES, "convert", "qa-more", "all"),
    )
    parser.add_argument(
        "--task",
        choices=("sentiment", "intent"),
        help="classify stages only: train this head alone (the shared encoder's yardstick)",
    )
    args = parser.parse_args()
    if args.task and not args.stage.startswith("classify"):
        parser.error("--task goes with classify-dense or classify")
    extra = {"only_task": args.task} if args.task else {}
    for name in STAGES if args.stage == "all" else (args.stage,):
        if name.endswith(("-dense", "-more")):
            base, variant = name.rsplit("-", 1)
            importlib.import_module(f"training.{base}").run(**{variant: True}, **extra)
        else:
            importlib.import_module(f"training.{name.replace('-', '_')}").run(**extra)


if __name__ == "__main__":
    main()
