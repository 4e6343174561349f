"""The transformers-style facade: task names, call conventions and result shapes."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import pipeline
from assistant.engine import Engine


def test_unknown_task_lists_tasks() -> None:
    with pytest.raises(ValueError, match=r"sentiment-analysis.*intent.*question-answering"):
        pipeline("translation")


def test_classification_shapes(engine: Engine) -> None:
    clf = pipeline("sentiment-analysis", engine)
    (one,) = clf("This is good")
    assert set(one) == {"label", "score"} and one["label"] == "positive"
    assert [r["label"] for r in clf(["good", "bad"])] == ["positive", "negative"]
    assert len(clf("good", top_k=1)) == 1
    nested = clf(["good", "bad"], top_k=None)
    assert len(nested) == 2 and all(len(row) == 2 for row in nested)


@pytest.mark.parametrize("task", ["sentiment-analysis", "intent"])
def test_top_k_none_gives_every_label_summing_to_one(engine: Engine, task: str) -> None:
    ranking = pipeline(task, engine)("what is the weather like, good or bad?", top_k=None)
    scores = [row["score"] for row in ranking]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-9)
    assert len(ranking) == (2 if task == "sentiment-analysis" else 4)


def test_intent_pipeline_applies_oos_rule(engine: Engine) -> None:
    intent = pipeline("intent", engine)
    assert intent("hello")[0]["label"] == "greeting"
    assert intent("xq zzv")[0]["label"] == "oos"
    assert intent("hello", top_k=2)[0]["label"] == "greeting"


def test_question_answering_shapes(engine: Engine) -> None:
    qa = pipeline("question-answering", engine)
    context = "Look: zebra and yak. Then zebra, yak."
    best = qa(question="What?", context=context)
    assert set(best) == {"score", "start", "end", "answer"}
    assert context[best["start"] : best["end"]] == best["answer"]
    several = qa(question="What?", context=context, top_k=3)
    assert isinstance(several, list) and len(several) == 3
    assert several[0] == best
    batch = qa(question=["What?", "Where is it?"], context=context)
    assert [row["answer"] for row in batch] == [best["answer"]] * 2
    impossible = qa("What?", "nothing here", top_k=5, handle_impossible_answer=True)
    assert {"score": impossible[-1]["score"], "start": 0, "end": 0, "answer": ""} in impossible


def test_pipeline_builds_its_own_engine(tiny_models: object) -> None:
    clf = pipeline("sentiment-analysis", models_dir=str(tiny_models), threads=1)
    assert clf("good")[0]["label"] == "positive"


def test_question_answering_takes_transformers_dict_inputs_and_numpy_counts(
    engine: Engine,
) -> None:
    qa = pipeline("question-answering", engine)
    context = "Look: zebra and yak."
    best = qa(question="What?", context=context)
    assert qa({"question": "What?", "context": context}) == best
    assert qa([{"question": "What?", "context": context}] * 2) == [best, best]
    assert qa([{"question": "What?", "context": context}]) == best  # one example, one result
    assert qa(question="What?", context=context, top_k=np.int64(1)) == best
    assert pipeline("intent", engine)("hello", top_k=np.int64(1))[0]["label"] == "greeting"
    with pytest.raises(ValueError, match="keys 'question' and 'context'"):
        qa({"question": "What?"})
    with pytest.raises(ValueError, match="keys 'question' and 'context'"):
        qa({"question": "What?"}, context=context)
