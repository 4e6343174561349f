"""``pipeline(task)``: the engine behind the calling conventions of transformers' pipelines.

The engine (and onnxruntime) is imported on the first ``pipeline()`` call, so ``import assistant``
stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assistant.limits import is_positive_int

if TYPE_CHECKING:
    from assistant.engine import Answer, Engine, Intent, Sentiment

PIPELINE_TASKS = ("sentiment-analysis", "intent", "question-answering")
_DEFAULT: Any = object()  # "top_k not given": single results come back as dicts, as in HF


def pipeline(
    task: str,
    engine: Engine | None = None,
    *,
    models_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> ClassificationPipeline | QuestionAnsweringPipeline:
    """A pipeline for ``task`` on ``engine`` (default: a new Engine on the bundled models)."""
    if task not in PIPELINE_TASKS:
        raise ValueError(f"Unknown task {task!r}; available tasks: {', '.join(PIPELINE_TASKS)}")
    if engine is None:
        from assistant.engine import Engine

        engine = Engine(models_dir=models_dir, threads=threads)
    if task == "question-answering":
        return QuestionAnsweringPipeline(engine)
    return ClassificationPipeline(
        engine, "sentiment" if task == "sentiment-analysis" else "intent"
    )


class ClassificationPipeline:
    """``clf(text | texts, top_k=...)`` returning ``{"label", "score"}`` dicts like HF.

    Without ``top_k``: one dict per input (a one-element list for a str). With ``top_k`` (``None``
    for all labels, sorted): a list of dicts per input. For intent, the top-1 result is the
    decision after the out-of-scope threshold; longer rankings are the model's distribution over
    every label (``oos`` included, after the bundle's temperature), which sums to 1.
    """

    def __init__(self, engine: Engine, task: str) -> None:
        self.engine = engine
        self.task = task

    def __call__(self, inputs: str | Sequence[str], top_k: int | None = _DEFAULT) -> list[Any]:
        if top_k is not None and top_k is not _DEFAULT and not is_positive_int(top_k):
            raise ValueError(f"top_k must be a positive integer or None, not {top_k!r}")
        run = self.engine.sentiment if self.task == "sentiment" else self.engine.intent
        results = run([inputs] if isinstance(inputs, str) else list(inputs))
        if top_k is _DEFAULT:
            return [self._decision(result) for result in results]
        rows = [self._ranking(result, top_k) for result in results]
        return rows[0] if isinstance(inputs, str) else rows

    @staticmethod
    def _decision(result: Sentiment | Intent) -> dict[str, Any]:
        return {"label": result.label, "score": result.score}

    def _ranking(self, result: Sentiment | Intent, top_k: int | None) -> list[dict[str, Any]]:
        if top_k == 1:
            return [self._decision(result)]
        from assistant.engine.results import ranking_dicts  # loaded with the engine by now

        return ranking_dicts(result.probabilities[:top_k])


class QuestionAnsweringPipeline:
    """``qa(question=..., context=..., top_k=1, ...)``: a dict for ``top_k=1``, else a list.

    ``question`` may be a list (with one context for all, or a list of contexts); the results are
    then a list, one entry per question (a list of one gives its result alone, as in
    transformers). As in transformers, ``qa({"question": ..., "context": ...})`` or a list of
    such dicts works too. ``max_answer_len=None`` uses the bundle's value.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(
        self,
        question: str | Sequence[str] | Mapping[str, str] | Sequence[Mapping[str, str]],
        context: str | Sequence[str] | None = None,
        top_k: int = 1,
        max_answer_len: int | None = None,
        handle_impossible_answer: bool = False,
    ) -> Any:
        if context is None:  # transformers' dict inputs
            pairs = [question] if isinstance(question, Mapping) else question
            questions, contexts = _split_pairs(pairs)
            return self(questions, contexts, top_k, max_answer_len, handle_impossible_answer)
        if isinstance(question, Mapping):  # its keys would be taken for questions
            raise ValueError(_PAIRS_ONLY)
        if isinstance(question, str):
            return self._one(question, context, top_k, max_answer_len, handle_impossible_answer)
        contexts = [context] * len(question) if isinstance(context, str) else list(context)
        if len(contexts) != len(question):
            raise ValueError("question and context lists must have the same length")
        results = [
            self._one(q, c, top_k, max_answer_len, handle_impossible_answer)
            for q, c in zip(question, contexts, strict=True)
        ]
        return results[0] if len(results) == 1 else results  # as transformers does

    def _one(
        self, question: Any, context: Any, top_k: int, max_answer_len: int | None, impossible: bool
    ) -> dict[str, Any] | list[dict[str, Any]]:
        """One question's answers; the engine refuses a question or context that is no text."""
        answers: list[Answer] = self.engine.answer(
            question,
            context,
            top_k=top_k,
            max_answer_len=max_answer_len,
            handle_impossible_answer=impossible,
        )
        dicts = [answer.to_dict() for answer in answers]
        return dicts[0] if top_k == 1 else dicts


_PAIRS_ONLY = "give question= and context=, or dicts with the keys 'question' and 'context'"


def _split_pairs(pairs: Any) -> tuple[list[str], list[str]]:
    """The questions and the contexts of ``{"question", "context"}`` dicts."""
    try:
        return [p["question"] for p in pairs], [p["context"] for p in pairs]
    except (TypeError, KeyError):
        raise ValueError(_PAIRS_ONLY) from None
