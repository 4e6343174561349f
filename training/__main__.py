"""Run one training stage, or all of them in order: python -m training STAGE (or all).

`qa-dense` trains the dense MiniLM on QA with the same settings: the baseline of the QA quick
test that tells how much the conversion kept (not part of `all`).
"""

from __future__ import annotations

import argparse
import importlib

STAGES = ("convert", "classify", "qa", "export", "publish")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument("stage", choices=(*STAGES, "all", "qa-dense"))
    stage = parser.parse_args().stage
    if stage == "qa-dense":
        importlib.import_module("training.qa").run(dense=True)
        return
    for name in STAGES if stage == "all" else (stage,):
        importlib.import_module(f"training.{name}").run()


if __name__ == "__main__":
    main()
