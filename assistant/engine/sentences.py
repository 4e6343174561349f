"""Sentence splitting with the maintained ``sentencex`` segmenter, keeping character offsets."""

from __future__ import annotations

import sentencex

from assistant.engine.inputs import strip_span


def sentence_spans(text: str, limit: int | None = None) -> tuple[list[tuple[int, int]], int]:
    """``(start, end)`` of the first ``limit`` sentences of ``text`` and the number of sentences.

    Spans exclude outer whitespace; whitespace-only pieces are not sentences, and a text in which
    the splitter finds none is one sentence. ``text`` must be UTF-8 encodable (see
    ``inputs.sanitize``) and not blank. Offsets count code points, so they index the Python string.
    """
    pieces = [p for p in sentencex.get_sentence_boundaries("en", text) if p["text"].strip()]
    spans = [strip_span(text, p["start_index"], p["end_index"]) for p in pieces[:limit]]
    return spans or [strip_span(text, 0, len(text))], max(len(pieces), 1)
