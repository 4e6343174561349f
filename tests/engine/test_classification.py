"""Sentiment and intent: batching, sentences with offsets, long input, the shared output cache."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.engine import Engine, Intent, Sentiment
from assistant.engine import sentiment as sentiment_module
from assistant.engine.bundle_config import ClassificationTask, parse_config
from assistant.engine.intent import decide_intent

from .conftest import CLASSIFY_CONFIG, CLASSIFY_MAX_LENGTH, DOMAINS, INTENTS, write_manifest

TEXTS = [
    "This is good.",
    "Awful, bad and awful again!",
    "hello",
    "What is the weather? Rain or sunny. I love it.",
    "xq zzv plo",
    "good " * 40,
]


def test_batch_equals_single(fresh_engine: Callable[[], Engine]) -> None:
    batched = fresh_engine()
    single = fresh_engine()
    sentiments = batched.sentiment(TEXTS)
    intents = batched.intent(TEXTS)
    for text, sentiment, intent in zip(TEXTS, sentiments, intents, strict=True):
        _assert_close(sentiment, single.sentiment(text))
        _assert_close(intent, single.intent(text))


def _assert_close(a: Sentiment | Intent, b: Sentiment | Intent) -> None:
    assert a.label == b.label
    assert a.score == pytest.approx(b.score, abs=1e-6)


def test_sentiment_labels_and_sentences(engine: Engine) -> None:
    text = "  This is good.  That was awful!\r\n\tHello there. "
    result = engine.sentiment(text)
    assert [s.text for s in result.sentences] == [
        "This is good.",
        "That was awful!",
        "Hello there.",
    ]
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.label for s in result.sentences][:2] == ["positive", "negative"]
    assert result.truncated is False and result.note is None
    assert sum(p for _, p in result.probabilities) == pytest.approx(1.0)


def test_text_longer_than_max_length_uses_weighted_sentences(engine: Engine) -> None:
    text = "good. " * (CLASSIFY_MAX_LENGTH * 2) + "bad."
    result = engine.sentiment(text)
    assert result.label == "positive"
    assert not result.truncated  # every sentence fits, so all of the text was read
    assert len(result.sentences) == CLASSIFY_MAX_LENGTH * 2 + 1


def test_long_sentence_is_marked_truncated(engine: Engine) -> None:
    result = engine.sentiment("bad " * (CLASSIFY_MAX_LENGTH * 3))
    assert result.label == "negative"
    assert result.truncated
    assert result.note and str(CLASSIFY_MAX_LENGTH) in result.note


def test_intent_says_when_it_read_only_the_beginning(engine: Engine) -> None:
    assert not engine.intent("What's the weather like?").truncated
    long_text = engine.intent("weather " * (CLASSIFY_MAX_LENGTH * 2))
    assert long_text.truncated and long_text.to_dict()["truncated"] is True


def test_huge_input_reads_first_sentences(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentiment_module, "MAX_SENTENCES", 5)
    result = engine.sentiment("Good day. " * 12)
    assert len(result.sentences) == 5
    assert result.truncated
    assert result.note == (
        "Only the first 5 of 12 sentences were analysed; the overall sentiment is theirs."
    )


def test_one_megabyte_paste(engine: Engine) -> None:
    text = ("The weather is good today, I love it. " * 30_000)[:1_000_000]
    result = engine.sentiment(text)
    assert result.label == "positive"
    assert result.truncated and result.note
    assert len(result.sentences) == sentiment_module.MAX_SENTENCES


def test_sentiment_then_intent_costs_one_run(
    fresh_engine: Callable[[], Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_engine()
    engine.warm_up(["sentiment"])
    classifier, _ = engine._classifier("sentiment")
    calls = []
    run = classifier._model.run
    monkeypatch.setattr(classifier._model, "run", lambda *a: calls.append(1) or run(*a))
    engine.sentiment("What a lovely sunny day")
    engine.intent("What a lovely sunny day")
    assert len(calls) == 1


def test_intent_labels_domains_and_alternatives(engine: Engine) -> None:
    hello, weather, gibberish = engine.intent(["hello", "weather", "xq zzv plo"])
    assert (hello.label, hello.domain, hello.is_oos) == ("greeting", "small_talk", False)
    assert (weather.label, weather.domain) == ("weather", "utility")
    assert gibberish.is_oos and gibberish.domain is None
    assert (weather.description, hello.description) == ("Asks for the weather forecast", None)
    assert gibberish.description is None  # out of scope names no intent to describe
    assert weather.to_dict()["description"] == "Asks for the weather forecast"
    assert hello.label not in dict(hello.alternatives)
    assert [label for label, _ in gibberish.alternatives] == ["greeting", "goodbye", "weather"]
    assert sum(p for _, p in hello.probabilities) == pytest.approx(1.0)


def test_oos_threshold_default_comes_from_config_and_is_settable(
    fresh_engine: Callable[[], Engine],
) -> None:
    engine = fresh_engine()
    assert engine.oos_threshold == 0.5
    assert engine.intent("weather").label == "weather"
    engine.oos_threshold = 0.99
    assert engine.intent("weather").is_oos
    with pytest.raises(ValueError):
        engine.oos_threshold = 1.5
    engine.oos_threshold = None  # back to the bundle's own
    assert engine.oos_threshold == engine.bundle_oos_threshold == 0.5
    assert engine.intent("weather").label == "weather"


TASK = ClassificationTask(
    output="intent_logits", labels=tuple(INTENTS), oos_label="oos", domains=DOMAINS
)


@pytest.mark.parametrize(
    ("probs", "threshold", "label", "score"),
    [
        ([0.7, 0.1, 0.1, 0.1], 0.5, "greeting", 0.7),  # confident in-scope
        ([0.4, 0.05, 0.05, 0.5], 0.3, "oos", 0.6),  # argmax is oos, even above threshold
        ([0.45, 0.3, 0.2, 0.05], 0.5, "oos", 0.55),  # best in-scope below threshold
        ([0.05, 0.1, 0.5, 0.35], 0.5, "weather", 0.5),  # exactly at threshold is in scope
    ],
)
def test_out_of_scope_rule(probs: list[float], threshold: float, label: str, score: float) -> None:
    intent = decide_intent(TASK, np.array(probs), threshold)
    assert intent.label == label
    assert intent.score == pytest.approx(score)
    in_scope = [(lab, p) for lab, p in zip(INTENTS, probs, strict=True) if lab != "oos"]
    best = sorted(in_scope, key=lambda pair: -pair[1])
    expected = best if intent.is_oos else best[1:]
    assert [lab for lab, _ in intent.alternatives] == [lab for lab, _ in expected]


def test_concurrent_first_use_loads_once_and_agrees(fresh_engine: Callable[[], Engine]) -> None:
    engine = fresh_engine()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(engine.sentiment, TEXTS * 3))
    assert len(engine._loaded) == 1
    assert [r.label for r in results] == [r.label for r in engine.sentiment(TEXTS * 3)]


def test_to_dict_shapes_are_json(engine: Engine) -> None:
    sentiment = engine.sentiment("Good. Bad.").to_dict()
    intent = engine.intent("hello").to_dict()
    assert {"label", "score", "sentences", "truncated", "note"} <= set(sentiment)
    assert {"label", "score", "domain", "alternatives", "is_oos"} <= set(intent)
    assert set(sentiment["sentences"][0]) == {"text", "start", "end", "label", "score"}
    json.dumps([sentiment, intent])


def test_temperature_softens_every_probability_of_its_head(models_copy: Path) -> None:
    plain = Engine(models_dir=models_copy, threads=1)
    before = plain.sentiment("This is good."), plain.intent("weather")
    config_path = models_copy / CLASSIFY_CONFIG["name"] / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    for task in config["tasks"].values():
        task["temperature"] = 4.0
    config_path.write_text(json.dumps(config), encoding="utf-8")
    write_manifest(models_copy)
    softened = Engine(models_dir=models_copy, threads=1)
    after = softened.sentiment("This is good."), softened.intent("weather")
    for old, new in zip(before, after, strict=True):
        p, q = dict(old.probabilities), dict(new.probabilities)
        ratios = [(p[a] / p[b]) ** 0.25 for a, b in pairwise(p)]
        assert [q[a] / q[b] for a, b in pairwise(p)] == pytest.approx(ratios)
        assert max(q.values()) < max(p.values())


@pytest.mark.parametrize("temperature", [0, -1.0])
def test_temperature_must_be_positive(temperature: float) -> None:
    config = json.loads(json.dumps(CLASSIFY_CONFIG))
    config["tasks"]["intent"]["temperature"] = temperature
    with pytest.raises(ValueError, match="temperature"):
        parse_config(config)


def _sentiments_in_child(engine: Engine, texts: list[str], out: Any) -> None:
    out.put([result.label for result in engine.sentiment(texts)])


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
def test_a_forked_child_can_use_the_engine_its_parent_loaded(tiny_models: Path) -> None:
    engine = Engine(models_dir=tiny_models, threads=2)  # texts side by side on two threads
    assert [r.label for r in engine.sentiment(["good", "bad"])] == ["positive", "negative"]
    fork = multiprocessing.get_context("fork")
    out = fork.Queue()
    child = fork.Process(target=_sentiments_in_child, args=(engine, ["great", "awful"], out))
    child.start()
    try:
        assert out.get(timeout=60) == ["positive", "negative"]  # it waited forever before
    finally:
        child.join(timeout=10)
        child.kill()
