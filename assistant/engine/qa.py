"""Extractive question answering over contexts of any length.

The pair ``[CLS] question [SEP] context [SEP]`` is cut into overlapping windows by the tokenizer
itself (``only_second`` truncation with a stride, overflowing encodings). Each window gets an
n-best span search; spans from all windows are merged, and token offsets (which ``tokenizers``
reports in characters of the string it was given) map each span back to the original context.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from tokenizers import Encoding

from assistant.engine.bundles import QATask
from assistant.engine.classification import softmax
from assistant.engine.inputs import strip_span
from assistant.engine.results import Answer
from assistant.engine.session import OnnxModel
from assistant.engine.tokenization import load_tokenizer, pad_id, to_arrays

N_BEST = 20
# Windows per onnxruntime call. Larger batches run no faster on a laptop CPU, but onnxruntime's
# arena keeps the peak activation memory of the largest batch for the life of the process.
WINDOWS_PER_BATCH = 4
Span = tuple[int, int, float]  # character start, character end, score


class QuestionAnswerer:
    """Finds answer spans in a context with a start/end-logits QA graph."""

    def __init__(
        self,
        tokenizer_path: Path,
        model: OnnxModel,
        task: QATask,
        max_length: int,
    ) -> None:
        self._questions = load_tokenizer(tokenizer_path)
        self._pairs = load_tokenizer(tokenizer_path)
        self._pairs.enable_truncation(max_length, stride=task.doc_stride, strategy="only_second")
        self._pad_id = pad_id(self._pairs)
        self._model = model
        self._task = task

    def answer(
        self,
        question: str,
        context: str,
        original: str,
        top_k: int,
        max_answer_len: int | None,
        handle_impossible_answer: bool,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Answer]:
        """Best ``top_k`` answers; ``context`` is the sanitised ``original`` (same length).
        ``should_stop`` is asked between batches of windows; if it says stop, the answer is [].
        ``progress(windows done, windows in all)`` is told after each batch."""
        max_len = self._task.max_answer_len if max_answer_len is None else max_answer_len
        # encode_batch lets go of the GIL while it works (encode does not): cutting 2,000,000
        # characters into windows takes ~2 s, and the window's thread must not wait for it.
        (first,) = self._pairs.encode_batch([(self._cut_question(question), context)])
        windows = [first, *first.overflowing]
        words = _word_chars(windows)
        best: dict[tuple[int, int], float] = {}
        null_score = 1.0
        outputs = (self._task.start_output, self._task.end_output)
        done = 0
        for batch in equal_length_batches(windows, WINDOWS_PER_BATCH):
            if should_stop is not None and should_stop():
                return []
            starts, ends = self._model.run(to_arrays(batch, self._pad_id), outputs)
            for row, window in enumerate(batch):
                length = len(window.ids)
                spans, null = _window_spans(
                    window,
                    words,
                    starts[row, :length],
                    ends[row, :length],
                    max_len,
                    max(N_BEST, top_k),
                )
                null_score = min(null_score, null)
                for start, end, score in spans:
                    key = strip_span(context, start, end)
                    if key[1] > key[0] and score > best.get(key, -1.0):
                        best[key] = score
            done += len(batch)
            if progress is not None:
                progress(done, len(windows))
        answers = [Answer(original[s:e], s, e, score) for (s, e), score in best.items()]
        if handle_impossible_answer or not answers:
            answers.append(Answer("", 0, 0, null_score))
        answers.sort(key=lambda a: (-a.score, a.start, a.end))
        return answers[:top_k]

    def _cut_question(self, question: str) -> str:
        """Keep the first ``max_question_len`` tokens of the question, as HF's pipeline does."""
        limit = self._task.max_question_len
        encoding = self._questions.encode(question, add_special_tokens=False)
        if len(encoding.ids) <= limit:
            return question
        return question[: encoding.offsets[limit - 1][1]]


def equal_length_batches(windows: list[Encoding], size: int) -> list[list[Encoding]]:
    """Runs of at most ``size`` windows of one length each. The tokenizer fills every window but
    the last to the full length, so the short last one runs alone instead of padded."""
    by_length: dict[int, list[Encoding]] = {}
    for window in windows:
        by_length.setdefault(len(window.ids), []).append(window)
    return [
        group[first : first + size]
        for group in by_length.values()
        for first in range(0, len(group), size)
    ]


def _word_chars(windows: list[Encoding]) -> dict[int, tuple[int, int]]:
    """Each context word's characters (start, end), over all windows: word ids count words of
    the whole context, so a word a window cuts at its edge ("##ization") is known whole."""
    words: dict[int, tuple[int, int]] = {}
    for window in windows:
        for word, sequence, (start, end) in zip(
            window.word_ids, window.sequence_ids, window.offsets, strict=True
        ):
            if sequence == 1 and word is not None and end > start:
                known = words.get(word, (start, end))
                words[word] = (min(known[0], start), max(known[1], end))
    return words


def _window_spans(
    window: Encoding,
    words: dict[int, tuple[int, int]],
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    max_answer_len: int,
    n_best: int,
) -> tuple[list[Span], float]:
    """Candidate spans of one window and its no-answer score (``[CLS]`` as start and end).

    A span begins and ends on whole words (``words``, from ``_word_chars``): the best start
    token can be a word's inner piece ("##iffel" of "Eiffel"), and an answer cut inside a word
    helps no one. Spans that become the same characters count once, at their best score.
    ``max_answer_len`` counts the tokens the model chose, before the widening.
    """
    offsets = window.offsets
    context = np.array(
        [
            sid == 1 and end > start
            for sid, (start, end) in zip(window.sequence_ids, offsets, strict=True)
        ]
    )
    keep = context.copy()
    keep[0] = True  # [CLS] stays in the softmax: it carries the "no answer" score.
    p_start = softmax(np.where(keep, start_logits, -np.inf))
    p_end = softmax(np.where(keep, end_logits, -np.inf))
    null = float(p_start[0] * p_end[0])
    tokens = np.flatnonzero(context)
    starts = tokens[np.argsort(-p_start[tokens], kind="stable")[:n_best]]
    ends = tokens[np.argsort(-p_end[tokens], kind="stable")[:n_best]]
    s, e = np.meshgrid(starts, ends, indexing="ij")
    valid = (e >= s) & (e - s < max_answer_len)
    scores = p_start[s] * p_end[e]
    s, e, scores = s[valid], e[valid], scores[valid]
    word_ids = window.word_ids
    chars = np.array(
        [[words[word_ids[a]][0], words[word_ids[b]][1]] for a, b in zip(s, e, strict=True)],
        dtype=np.int64,
    ).reshape(-1, 2)
    order = np.argsort(-scores, kind="stable")
    _, first_seen = np.unique(chars[order], axis=0, return_index=True)
    best = order[np.sort(first_seen)][:n_best]  # bounded work per window on long contexts
    spans = [(int(chars[k, 0]), int(chars[k, 1]), float(scores[k])) for k in best]
    return spans, null
