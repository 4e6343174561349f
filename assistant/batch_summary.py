"""Running totals over a batch's rows for the lines a person reads at the end; free of the
engine, so that the batch window can show them without loading onnxruntime at start."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.batch_items import BatchRow
from assistant.language_check import batch_caveat, language_caveat
from assistant.wording import plural

TOP_INTENTS = 5
"""Intents named in a batch summary, most common first."""
SHOWN_ERRORS = 5
"""Errors quoted in a batch summary; the rest are counted."""


@dataclass
class BatchSummary:
    """Running totals over a batch's rows, for the line a person reads at the end."""

    items: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    sentiments: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    not_english: int = 0
    seconds: float = 0.0
    _started: float = field(default_factory=time.monotonic, repr=False)

    def add(self, row: BatchRow) -> BatchRow:
        """Count `row` and hand it back, so a summary can sit inside a row stream."""
        self.items += 1
        if row.error:
            self.errors.append((row.index, row.error))
        if row.sentiment:
            self.sentiments[row.sentiment] += 1
        if row.intent:
            self.intents[row.intent] += 1
        analysed = row.sentiment or row.intent
        if analysed and row.text and language_caveat(row.text):  # results that may not mean much
            self.not_english += 1
        self.seconds = time.monotonic() - self._started
        return row

    def any_analysed(self) -> bool:
        """Whether some item got a result: a batch whose every row is an error (the wrong
        column, say) must not pass for one that worked."""
        return len(self.errors) < self.items

    def describe(self) -> list[str]:
        """A few human lines: counts, speed, sentiment split, top intents, first errors."""
        rate = self.items / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{plural(self.items, 'item')} in {self.seconds:.1f} s ({rate:.0f}/s), "
            f"{plural(len(self.errors), 'error')}"
        ]
        if self.sentiments:
            total = sum(self.sentiments.values())
            split = ", ".join(
                f"{label} {count} ({count / total:.0%})"
                for label, count in self.sentiments.most_common()
            )
            lines.append(f"sentiment: {split}")
        if self.intents:
            common = ", ".join(
                f"{label} {n}" for label, n in self.intents.most_common(TOP_INTENTS)
            )
            lines.append(f"top intents: {common}")
        if caveat := batch_caveat(self.not_english):
            lines.append(f"note: {caveat}")
        for index, error in self.errors[:SHOWN_ERRORS]:
            lines.append(f"  item {index}: {error}")
        if len(self.errors) > SHOWN_ERRORS:
            lines.append(f"  ... and {plural(len(self.errors) - SHOWN_ERRORS, 'more error')}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The totals as JSON (``assistant batch --json -o FILE``)."""
        return {
            "items": self.items,
            "errors": len(self.errors),
            "sentiment": dict(self.sentiments),
            "intents": dict(self.intents.most_common()),
            "not_english": self.not_english,
            "seconds": round(self.seconds, 3),
        }
