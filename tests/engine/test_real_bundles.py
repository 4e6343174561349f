"""The shipped bundles in resources/models, when present (skipped with a reason until then)."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest

from assistant import pipeline
from assistant.engine import Engine
from assistant.engine.bundle_config import parse_config
from assistant.engine.qa import QuestionAnswerer
from assistant.engine.session import OnnxModel
from assistant.limits import MAX_TOP_K

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "resources" / "models"
CLASSIFY = "squeezebert-classify"
QA = "squeezebert-qa"
EIFFEL = (
    "The Eiffel Tower is a wrought-iron lattice tower in Paris, France. It is named after the "
    "engineer Gustave Eiffel, whose company designed and built the tower. It was completed in "
    "1889 as the entrance arch to the World's Fair."
)


def _installed() -> set[str]:
    try:
        return set(json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))["bundles"])
    except (OSError, ValueError, KeyError):
        return set()


def _engine(bundle: str) -> Engine:
    if bundle not in _installed():
        pytest.skip(f"bundle {bundle} is not in {MODELS} yet (built by training/)")
    return Engine(models_dir=MODELS)


@pytest.fixture(scope="module")
def classify() -> Engine:
    return _engine(CLASSIFY)


@pytest.fixture(scope="module")
def qa() -> Engine:
    return _engine(QA)


def test_files_match_manifest(classify: Engine) -> None:
    for info in classify.bundles():
        assert info.ok, info.problem
        assert info.version and info.model_card


def test_sentiment(classify: Engine) -> None:
    good, bad = classify.sentiment(
        ["I absolutely loved this film, it was wonderful.", "A dull, boring waste of time."]
    )
    assert (good.label, bad.label) == ("positive", "negative")
    mixed = classify.sentiment("The food was wonderful. The service was terrible and rude.")
    assert [s.label for s in mixed.sentences] == ["positive", "negative"]


def test_intent(classify: Engine) -> None:
    flight, translate = classify.intent(
        ["book me a flight from boston to chicago", "how do you say thank you in french"]
    )
    assert (flight.label, flight.domain) == ("book_flight", "travel")
    assert translate.label == "translate"
    assert len(flight.alternatives) >= 3
    assert flight.description == "Asks to find or book a flight"


def test_every_intent_is_described_as_training_describes_it(classify: Engine) -> None:
    """The window shows these under the intent's name; export writes them from training's file."""
    config = json.loads((MODELS / CLASSIFY / "config.json").read_text(encoding="utf-8"))
    intent = config["tasks"]["intent"]
    in_scope = set(intent["labels"]) - {intent["oos_label"]}
    written = json.loads(
        (REPO / "training" / "configs" / "intent_descriptions.json").read_text(encoding="utf-8")
    )
    assert intent["descriptions"] == written
    assert set(written) == in_scope


def test_batch_equals_single(classify: Engine) -> None:
    texts = ["What a great day!", "set an alarm for 7 am", "This is awful.", "hello"]
    batch = Engine(models_dir=MODELS).intent(texts)
    for text, result in zip(texts, batch, strict=True):
        single = Engine(models_dir=MODELS).intent(text)
        assert single.label == result.label
        # int8 activations share one scale per batch: an unsure score ("What a great day!" as
        # a greeting, 0.68 alone) moves with its neighbours, a sure one barely does.
        tolerance = 0.02 if single.score > 0.9 else 0.15
        assert single.score == pytest.approx(result.score, abs=tolerance)


def test_probabilities_sum_to_one(classify: Engine) -> None:
    for task in ("sentiment-analysis", "intent"):
        ranking = pipeline(task, classify)("Is it going to rain tomorrow?", top_k=None)
        assert sum(row["score"] for row in ranking) == pytest.approx(1.0, abs=1e-6)


def test_answer(qa: Engine) -> None:
    (when,) = qa.answer("When was the Eiffel Tower completed?", EIFFEL)
    assert when.answer == "1889"
    assert EIFFEL[when.start : when.end] == when.answer
    who = qa.answer("Who designed the tower?", EIFFEL)[0]
    assert "Eiffel" in who.answer


def test_answer_after_5000_words(qa: Engine) -> None:
    filler = "The river flows slowly past the old mill near the village. " * 500
    context = filler + EIFFEL
    (when,) = qa.answer("When was the Eiffel Tower completed?", context)
    assert when.answer == "1889" and when.start > len(filler)


def test_a_long_text_answers_from_the_passage_that_holds_the_answer(qa: Engine) -> None:
    """Seven unrelated passages (news, a hotel's rules, an email with a budget of €2,000, a
    lease...): each window's scores are its own softmax, and the email's "€2,000" at 0.94
    answered questions about the news and the lease until windows were weighted by their odds
    of holding an answer."""
    text = (Path(__file__).parent / "texts" / "seven_passages.txt").read_text(encoding="utf-8")
    assert qa.answer("How much will the trial cost?", text)[0].answer == "$240,000"
    assert qa.answer("What is the late payment fee?", text)[0].answer.startswith("5%")


def test_tricky_unicode_offsets(qa: Engine) -> None:
    context = "😀 Caf\u00e9 e\u0301\r\n\t" + EIFFEL.replace("Paris", "Pa\u0301ris 🗼") + " مرحبا"
    for answer in qa.answer("Who was the engineer?", context, top_k=5):
        assert context[answer.start : answer.end] == answer.answer


def _on_word_edges(context: str, start: int, end: int) -> bool:
    before = context[start - 1] if start else " "
    after = context[end] if end < len(context) else " "
    inner = context[start:end]
    return not (before.isalnum() and inner[0].isalnum()) and not (
        after.isalnum() and inner[-1].isalnum()
    )


def test_answers_start_and_end_on_whole_words(qa: Engine) -> None:
    context = EIFFEL + " الخدمة كانت سيئة جدا في المطعم"
    answers = qa.answer("Who is the tower named after?", context, top_k=MAX_TOP_K)
    assert len(answers) == MAX_TOP_K  # spans that become the same words count once, yet all remain
    for answer in answers:
        assert _on_word_edges(context, answer.start, answer.end), answer


def test_answers_from_many_windows_start_and_end_on_whole_words() -> None:
    if QA not in _installed():
        pytest.skip(f"bundle {QA} is not in {MODELS} yet")
    config = parse_config(json.loads((MODELS / QA / "config.json").read_text(encoding="utf-8")))
    task = dataclasses.replace(config.tasks["qa"], doc_stride=8)
    model = OnnxModel(MODELS / QA / "model.onnx", threads=1)
    answerer = QuestionAnswerer(MODELS / QA / "tokenizer.json", model, task, 32)  # small windows
    context = "The Eiffelization of towers began in Paris with Jose\u0301 Rene\u0301. " * 5
    answers = answerer.answer("Who began it?", context, context, 300, None, False)
    assert len(answers) > 100
    for answer in answers:
        assert _on_word_edges(context, answer.start, answer.end), answer
        assert answer.end == len(context) or not unicodedata.combining(context[answer.end])


def test_an_answer_in_the_part_windows_share_keeps_its_whole_score() -> None:
    """Each window holding it counts (weighted): kept at its best window's weighted score, an
    answer three windows were sure of scored a third, and read as unsure."""
    if QA not in _installed():
        pytest.skip(f"bundle {QA} is not in {MODELS} yet")
    config = parse_config(json.loads((MODELS / QA / "config.json").read_text(encoding="utf-8")))
    model = OnnxModel(MODELS / QA / "model.onnx", threads=1)
    question = "When was the Eiffel Tower completed?"
    scores = []
    for length, stride in ((256, 96), (48, 24)):  # one window; three overlapping ones
        task = dataclasses.replace(config.tasks["qa"], doc_stride=stride)
        answerer = QuestionAnswerer(MODELS / QA / "tokenizer.json", model, task, length)
        (best,) = answerer.answer(question, EIFFEL, EIFFEL, 1, None, False)
        assert best.answer == "1889"
        scores.append(best.score)
    assert scores[1] == pytest.approx(scores[0], abs=0.05)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_text_s_result_does_not_depend_on_what_was_analysed_with_it(threads: int) -> None:
    # The int8 graph quantizes activations per call: batched, this text's sentiment moved with
    # its company (negative alone, positive beside the three others).
    text, others = "Bad loved movie.", ["Awful actors felt and.", "Awful good and.", "Fine."]
    alone = _engine(CLASSIFY).sentiment(text)
    batched = Engine(models_dir=MODELS, threads=threads).sentiment([text, *others])[0]
    assert batched == alone
    engine = Engine(models_dir=MODELS, threads=threads)
    engine.sentiment([*others, text])  # the cache keeps what a call computed
    assert engine.intent(text) == _engine(CLASSIFY).intent(text)
