"""Extractive question answering over contexts of any length.

The pair ``[CLS] question [SEP] context [SEP]`` is cut into overlapping windows by the tokenizer
itself (``only_second`` truncation with a stride, overflowing encodings). Each window gets an
n-best span search; spans from all windows are merged, each window's scores weighted by its odds
of holding an answer (``window_weights``), and token offsets (which ``tokenizers`` reports in
characters of the string it was given) map each span back to the original context.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tokenizers import Encoding

from assistant.engine.bundle_config import QATask
from assistant.engine.classification import softmax
from assistant.engine.errors import InputError
from assistant.engine.inputs import strip_span, unreadable_error
from assistant.engine.results import Answer
from assistant.engine.session import OnnxModel
from assistant.engine.tokenization import (
    load_tokenizer,
    pad_id,
    reads_a_word,
    to_arrays,
    unknown_id,
)

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
        self._unknown_id = unknown_id(self._pairs)
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
        (first,) = self._pairs.encode_batch([(self._checked_question(question), context)])
        if not reads_a_word(first, self._unknown_id, sequence=1):
            raise unreadable_error("text to search")
        windows = [first, *first.overflowing]
        found: list[tuple[list[Span], float]] = []  # per window: its spans, its no-answer score
        outputs = (self._task.start_output, self._task.end_output)
        for batch in equal_length_batches(windows, WINDOWS_PER_BATCH):
            if should_stop is not None and should_stop():
                return []
            starts, ends = self._model.run(to_arrays(batch, self._pad_id), outputs)
            for row, window in enumerate(batch):
                length = len(window.ids)
                found.append(
                    _window_spans(
                        window,
                        (window is not windows[0], window is not windows[-1]),
                        starts[row, :length],
                        ends[row, :length],
                        max_len,
                        max(N_BEST, top_k),
                    )
                )
            if progress is not None:
                progress(len(found), len(windows))
        nulls = np.array([null for _, null in found])
        weights = window_weights(nulls)
        scores: dict[tuple[int, int], float] = {}  # a span two windows share: both count
        for (spans, _), weight in zip(found, weights, strict=True):
            for key, score in _distinct_spans(context, spans).items():
                scores[key] = scores.get(key, 0.0) + float(score * weight)
        answers = [Answer(original[s:e], s, e, score) for (s, e), score in scores.items()]
        if handle_impossible_answer or not answers:
            answers.append(Answer("", 0, 0, float(weights @ nulls)))  # "no answer" in all
        answers.sort(key=lambda a: (-a.score, a.start, a.end))
        return answers[:top_k]

    def _checked_question(self, question: str) -> str:
        """The question, if the model can read it whole; else InputError. A question cut to its
        first ``max_question_len`` tokens (as HF's pipeline cuts it) lost its point after a
        long lead-in and got a confident wrong answer, with nothing to say it had been cut."""
        limit = self._task.max_question_len
        encoding = self._questions.encode(question, add_special_tokens=False)
        if not reads_a_word(encoding, self._unknown_id):
            raise unreadable_error("question")
        if len(encoding.ids) > limit:
            raise InputError(
                f"The question is longer than the model reads ({len(encoding.ids)} word pieces,"
                f" the parts it reads words in; {limit} fit): ask it in fewer words. The text to"
                " search may be as long as you like."
            )
        return question


def _distinct_spans(context: str, spans: list[Span]) -> dict[tuple[int, int], float]:
    """One window's spans as the characters they answer with, each at its best score: spans
    that strip to the same characters are one answer, not two (nor its score twice)."""
    best: dict[tuple[int, int], float] = {}
    for start, end, score in spans:
        key = strip_span(context, start, _past_marks(context, end))
        if key[1] > key[0] and score > best.get(key, -1.0):
            best[key] = score
    return best


def window_weights(nulls: np.ndarray) -> np.ndarray:
    """How much each window's span scores count beside the others': in proportion to 1 / its
    no-answer score, so a window sure that it holds an answer counts most.

    Each window's scores are a softmax of its own: a window without the answer still gives
    some span most of its mass, and on a long text such a window's 0.9 beat the right
    window's 0.6. Weighted, the spans of all windows rank by their odds against their own
    window's "no answer" (start + end logits minus those of [CLS]), and the scores stay
    probabilities that add up to at most 1 over all windows (a span in the part two windows
    share adds both of its weighted scores). One window keeps its scores.
    """
    log_weights = -np.log(np.maximum(nulls, np.finfo(np.float64).tiny))
    weights = np.exp(log_weights - log_weights.max())
    return weights / weights.sum()


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


def _window_spans(
    window: Encoding,
    cut: tuple[bool, bool],
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    max_answer_len: int,
    n_best: int,
) -> tuple[list[Span], float]:
    """Candidate spans of one window and its no-answer score (``[CLS]`` as start and end).

    A span begins and ends on whole words (``_word_bounds``): the best start token can be a
    word's inner piece ("##iffel" of "Eiffel"), and an answer cut inside a word helps no one.
    ``cut`` says whether the context goes on before and after this window, whose edge may then
    cut a word: spans touching such an edge are left to the window beside it, which overlaps
    this one by ``doc_stride`` tokens and holds the whole word. Spans that become the same
    characters count once, at their best score. ``max_answer_len`` counts the tokens the model
    chose, before the widening.
    """
    offsets = np.array(window.offsets, dtype=np.int64).reshape(-1, 2)
    context = np.array(window.sequence_ids) == 1
    context &= offsets[:, 1] > offsets[:, 0]
    first, last = _word_bounds(window.word_ids, context)
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
    if cut[0]:
        valid &= first[s] != tokens[0]
    if cut[1]:
        valid &= last[e] != tokens[-1]
    scores = p_start[s] * p_end[e]
    s, e, scores = s[valid], e[valid], scores[valid]
    chars = np.stack([offsets[first[s], 0], offsets[last[e], 1]], axis=1)
    order = np.argsort(-scores, kind="stable")
    _, first_seen = np.unique(chars[order], axis=0, return_index=True)
    best = order[np.sort(first_seen)][:n_best]  # bounded work per window on long contexts
    spans = [(int(chars[k, 0]), int(chars[k, 1]), float(scores[k])) for k in best]
    return spans, null


def _word_bounds(word_ids: list[int | None], context: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each token, the first and the last token of its word (context tokens only)."""
    words = np.where(context, [-1 if w is None else w for w in word_ids], -1)
    index = np.arange(len(words))
    continues = np.r_[False, (words[1:] == words[:-1]) & (words[1:] >= 0)]
    first = np.maximum.accumulate(np.where(continues, 0, index))
    goes_on = np.r_[continues[1:], False]
    last = np.minimum.accumulate(np.where(goes_on, len(words), index)[::-1])[::-1]
    return first, last


def _past_marks(text: str, end: int) -> int:
    """``end`` moved past combining marks: the tokenizer strips accents, so the mark of a
    final "José" written as e + U+0301 lies outside every token."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end
