"""Runs a classification graph over many texts, one text per call, several calls at once.

The int8 graph quantizes activations with one scale per call, so a text batched with others got
a score that depended on them (an intent's score moved by up to 0.49 on CLINC150, and 26 of its
4,500 test labels changed): one text per call makes a text's result its own, the same in the
window, on the command line and in a batch file. Calls run on ``workers`` threads at once, each
on one core, which on two cores is as fast as batches of 32 run on both (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Encoding

from assistant.engine.bundle_config import ClassificationTask
from assistant.engine.session import OnnxModel
from assistant.engine.tokenization import (
    load_tokenizer,
    pad_id,
    reads_a_word,
    to_arrays,
    unknown_id,
)

CACHE_SIZE = 512
"""Texts whose scores are kept: typing re-sends the same sentences many times."""


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in float64 so that probabilities sum to 1 tightly."""
    shifted = np.asarray(logits, dtype=np.float64)
    shifted = np.exp(shifted - shifted.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def ranking(labels: Sequence[str], probs: np.ndarray) -> tuple[tuple[str, float], ...]:
    """Every label with its probability, best first (ties keep label order)."""
    order = np.argsort(-probs, kind="stable")
    return tuple(zip([labels[i] for i in order.tolist()], probs[order].tolist(), strict=True))


@dataclass(frozen=True)
class Scored:
    """Model outputs for one text: logits per output name, tokens read, whether it was cut,
    and whether any token was a word of the vocabulary (not ``[UNK]`` only)."""

    logits: dict[str, np.ndarray]
    tokens: int
    truncated: bool
    has_words: bool


def probabilities(task: ClassificationTask, scored: Scored) -> np.ndarray:
    """The head's softmax after its temperature: what every score the user sees comes from."""
    return softmax(scored.logits[task.output] / task.temperature)


class Classifier:
    """One encoder pass yields every head's logits; results are cached per text (LRU).

    Because all heads come from the same pass, sentiment and then intent of the same text cost one
    ONNX run. ``model`` should run on one thread when ``workers`` is above 1.
    """

    def __init__(
        self,
        tokenizer_path: Path,
        model: OnnxModel,
        outputs: tuple[str, ...],
        max_length: int,
        workers: int = 1,
    ) -> None:
        self._tokenizer = load_tokenizer(tokenizer_path)
        self._tokenizer.enable_truncation(max_length)
        self._pad_id = pad_id(self._tokenizer)
        self._unknown_id = unknown_id(self._tokenizer)
        self._model = model
        self._outputs = outputs
        self._cache: OrderedDict[bytes, Scored] = OrderedDict()
        self._lock = threading.Lock()
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self.max_length = max_length

    def score(self, texts: Sequence[str]) -> list[Scored]:
        """Scores for ``texts`` (sanitised, so UTF-8 encodable), in input order."""
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        unique = dict(zip(keys, texts, strict=True))  # a digest, not a 1 MB text, is kept
        with self._lock:
            known = {k: self._cache[k] for k in unique if k in self._cache}
        missing = [k for k in unique if k not in known]
        if missing:
            known.update(zip(missing, self._run([unique[k] for k in missing]), strict=True))
        with self._lock:
            for key in unique:
                self._cache[key] = known[key]
                self._cache.move_to_end(key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return [known[k] for k in keys]

    def _run(self, texts: list[str]) -> list[Scored]:
        encodings = self._tokenizer.encode_batch(texts)
        if self._workers < 2 or len(encodings) == 1:
            return [self._score(encoding) for encoding in encodings]
        return list(self._executor().map(self._score, encodings))

    def _executor(self) -> ThreadPoolExecutor:
        """This process's pool, made on first use: a forked child inherits the parent's pool but
        not its threads, and work handed to it would wait forever."""
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self._workers, "classify")
                self._pool_pid = os.getpid()
            return self._pool

    def _score(self, encoding: Encoding) -> Scored:
        logits = self._model.run(to_arrays([encoding], self._pad_id), self._outputs)
        return Scored(
            logits={name: out[0] for name, out in zip(self._outputs, logits, strict=True)},
            tokens=max(1, len(encoding.special_tokens_mask) - sum(encoding.special_tokens_mask)),
            truncated=bool(encoding.overflowing),
            has_words=reads_a_word(encoding, self._unknown_id),
        )
