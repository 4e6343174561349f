"""How a model bundle is told to a person: sizes and metrics, alike in the CLI and the window."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def human_size(size_bytes: int) -> str:
    """'16.3 MB' for a model, '712 kB' for a tokenizer, '3 kB' for a config: never '0.0 MB'."""
    return f"{size_bytes / 1e6:.1f} MB" if size_bytes >= 100_000 else f"{size_bytes / 1e3:.0f} kB"


def flat_metrics(metrics: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested metric dicts as dotted names, e.g. ('sentiment.sst2_dev_accuracy', 90.83)."""
    for key, value in metrics.items():
        if isinstance(value, Mapping):
            yield from flat_metrics(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
