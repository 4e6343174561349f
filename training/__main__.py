"""Run one training stage, or all of them in order: python -m training STAGE (or all).

`qa-dense` fine-tunes the dense MiniLM on SQuAD: the teacher the QA student is cut from and
distils, and the baseline of the QA quick test.
"""

from __future__ import annotations

import argparse
import importlib

STAGES = ("convert", "classify", "qa-dense", "qa", "export", "publish")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument("stage", choices=(*STAGES, "all"))
    stage = parser.parse_args().stage
    for name in STAGES if stage == "all" else (stage,):
        if name == "qa-dense":
            importlib.import_module("training.qa").run(dense=True)
        else:
            importlib.import_module(f"training.{name}").run()


if __name__ == "__main__":
    main()
