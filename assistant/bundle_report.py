"""How a model bundle is told to a person: sizes and metrics, alike in the CLI and the window."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from assistant.tasks import TASK_WORDS


def human_size(size_bytes: int) -> str:
    """'16.3 MB' for a model, '712 kB' for a tokenizer, '3 kB' for a config: never '0.0 MB'."""
    return f"{size_bytes / 1e6:.1f} MB" if size_bytes >= 100_000 else f"{size_bytes / 1e3:.0f} kB"


# What each metric a bundle reports measures, in words, and whether it is a percentage; a
# metric not named here is shown by its key.
METRIC_WORDS = {
    "sst2_dev_accuracy": ("accuracy on SST-2 dev (movie-review sentences)", True),
    "clinc_test_inscope_accuracy": ("accuracy on CLINC150 test requests it handles", True),
    "clinc_oos_test_recall": ("out-of-scope requests recognised (CLINC150 test)", True),
    "clinc_oos_threshold": ("confidence below which a request is out of scope", False),
    "squad_dev_exact_match": ("answers exactly right (SQuAD v1.1 dev)", True),
    "squad_dev_f1": ("overlap of words with the right answers, F1 (SQuAD v1.1 dev)", True),
}


def described_metrics(metrics: Mapping[str, Any], task: str = "") -> Iterator[str]:
    """Each metric as a line for a person: 'sentiment: accuracy on SST-2 dev (...): 90.71%'."""
    for key, value in metrics.items():
        if isinstance(value, Mapping):
            yield from described_metrics(value, TASK_WORDS.get(key, key))
            continue
        words, percent = METRIC_WORDS.get(key, (key, False))
        shown = f"{value}%" if percent else str(value)
        yield f"{task}: {words}: {shown}" if task else f"{words}: {shown}"
