"""Tiny model bundles built on the fly: a WordPiece tokenizer and hand-made ONNX graphs.

The graphs are deterministic stand-ins for the real models, so tests can predict the answers:
- classifier: embedding -> masked mean -> two heads (``sentiment_logits``, ``intent_logits``);
  sentiment follows good/bad words, intent follows hello/bye/weather words, other text is ``oos``;
- QA (no ``token_type_ids`` input, like some SqueezeBERT exports): the token ``zebra`` has the
  highest start logit and ``yak`` the highest end logit, so the answer is "zebra ... yak".
"""

from __future__ import annotations

import hashlib
import json
import shutil
import string
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from assistant.engine import Engine

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CONCEPTS = {  # embedding dimension -> words carrying it
    0: ["good", "great", "love"],
    1: ["bad", "awful", "hate"],
    2: ["hello", "hi"],
    3: ["bye", "goodbye"],
    4: ["weather", "rain", "sunny"],
}
OTHER_WORDS = ["zebra", "yak", "the", "a", "is", "what", "where", "who", "it", "and"]
PUNCTUATION = list(".,!?;:'\"()-")
VOCAB = list(
    dict.fromkeys(
        SPECIALS
        + [w for words in CONCEPTS.values() for w in words]
        + OTHER_WORDS
        + PUNCTUATION
        + list(string.ascii_lowercase + string.digits)
        + ["##" + c for c in string.ascii_lowercase + string.digits]
    )
)
INTENTS = ["greeting", "goodbye", "weather", "oos"]
DOMAINS = {"greeting": "small_talk", "goodbye": "small_talk", "weather": "utility"}
HIDDEN = 6  # five concepts + a bias dimension every token carries
CLASSIFY_MAX_LENGTH = 32
QA_MAX_LENGTH = 64
QA_STRIDE = 16
QA_MAX_QUESTION = 16
QA_MAX_ANSWER = 30


def build_tokenizer() -> Tokenizer:
    """BERT-style WordPiece; NFKC first, so offset mapping meets a length-changing normalizer."""
    tokenizer = Tokenizer(models.WordPiece({t: i for i, t in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.BertNormalizer(lowercase=True)]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", VOCAB.index("[CLS]")), ("[SEP]", VOCAB.index("[SEP]"))],
    )
    return tokenizer


def _inputs(token_type_ids: bool) -> list[onnx.ValueInfoProto]:
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if token_type_ids else [])
    return [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"]) for n in names]


def _model(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def build_classifier(token_type_ids: bool = True) -> onnx.ModelProto:
    embedding = np.zeros((len(VOCAB), HIDDEN), dtype=np.float32)
    embedding[:, HIDDEN - 1] = 1.0
    for dim, words in CONCEPTS.items():
        for word in words:
            embedding[VOCAB.index(word), dim] = 1.0
    sentiment = np.zeros((HIDDEN, 2), dtype=np.float32)
    sentiment[1, 0] = sentiment[0, 1] = 8.0  # columns: negative, positive
    intent = np.zeros((HIDDEN, len(INTENTS)), dtype=np.float32)
    intent[2, 0] = intent[3, 1] = intent[4, 2] = 12.0
    intent[HIDDEN - 1, 3] = 1.0  # every token leans a little towards oos
    init = [
        numpy_helper.from_array(embedding, "embedding"),
        numpy_helper.from_array(sentiment, "w_sentiment"),
        numpy_helper.from_array(intent, "w_intent"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", "input_ids"], ["emb"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["emb", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["count"], keepdims=0),
        helper.make_node("Div", ["summed", "count"], ["pooled"]),
        helper.make_node("MatMul", ["pooled", "w_sentiment"], ["sentiment_logits"]),
        helper.make_node("MatMul", ["pooled", "w_intent"], ["intent_logits"]),
    ]
    outputs = [
        helper.make_tensor_value_info("sentiment_logits", TensorProto.FLOAT, ["batch", 2]),
        helper.make_tensor_value_info("intent_logits", TensorProto.FLOAT, ["batch", len(INTENTS)]),
    ]
    graph = helper.make_graph(nodes, "tiny-classify", _inputs(token_type_ids), outputs, init)
    return _model(graph)


def build_qa(token_type_ids: bool = False) -> onnx.ModelProto:
    start = np.zeros(len(VOCAB), dtype=np.float32)
    end = np.zeros(len(VOCAB), dtype=np.float32)
    start[VOCAB.index("zebra")] = end[VOCAB.index("yak")] = 10.0
    init = [
        numpy_helper.from_array(start, "start_table"),
        numpy_helper.from_array(end, "end_table"),
    ]
    nodes = [
        helper.make_node("Gather", ["start_table", "input_ids"], ["start_logits"], axis=0),
        helper.make_node("Gather", ["end_table", "input_ids"], ["end_logits"], axis=0),
    ]
    outputs = [
        helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", "seq"])
        for n in ("start_logits", "end_logits")
    ]
    return _model(helper.make_graph(nodes, "tiny-qa", _inputs(token_type_ids), outputs, init))


CLASSIFY_CONFIG = {
    "name": "tiny-classify",
    "version": "0.0.1",
    "architecture": {"type": "tiny"},
    "max_length": CLASSIFY_MAX_LENGTH,
    "tasks": {
        "sentiment": {
            "kind": "classification",
            "output": "sentiment_logits",
            "labels": ["negative", "positive"],
        },
        "intent": {
            "kind": "classification",
            "output": "intent_logits",
            "labels": INTENTS,
            "oos_label": "oos",
            "oos_threshold": 0.5,
            "domains": DOMAINS,
            "descriptions": {"weather": "Asks for the weather forecast"},
        },
    },
    "metrics": {"sentiment": {"sst2_dev_accuracy": 0.5}},
}
QA_CONFIG = {
    "name": "tiny-qa",
    "version": "0.0.2",
    "architecture": {"type": "tiny"},
    "max_length": QA_MAX_LENGTH,
    "tasks": {
        "qa": {
            "kind": "extractive_qa",
            "start_output": "start_logits",
            "end_output": "end_logits",
            "doc_stride": QA_STRIDE,
            "max_question_len": QA_MAX_QUESTION,
            "max_answer_len": QA_MAX_ANSWER,
        }
    },
    "metrics": {"qa": {"squad_v1_dev_f1": 0.0}},
}


def write_bundle(models_dir: Path, config: dict, model: onnx.ModelProto) -> None:
    folder = models_dir / config["name"]
    folder.mkdir(parents=True)
    onnx.save(model, folder / "model.onnx")
    build_tokenizer().save(str(folder / "tokenizer.json"))
    (folder / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(f"# {config['name']}\nA test model.\n", "utf-8")


def write_manifest(models_dir: Path) -> None:
    """List every file of every bundle folder with its real SHA-256 and size."""
    bundles = {}
    for folder in sorted(p for p in models_dir.iterdir() if p.is_dir()):
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        files = {
            f.name: {
                "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
                "size": f.stat().st_size,
            }
            for f in sorted(folder.iterdir())
        }
        bundles[folder.name] = {"version": config["version"], "files": files}
    manifest = {"format": 1, "bundles": bundles}
    (models_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def build_tiny_models(models_dir: Path) -> Path:
    """Write ``tiny-classify`` (sentiment, intent), ``tiny-qa`` and their manifest."""
    write_bundle(models_dir, CLASSIFY_CONFIG, build_classifier())
    write_bundle(models_dir, QA_CONFIG, build_qa())
    write_manifest(models_dir)
    return models_dir


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with ``tiny-classify`` and ``tiny-qa``; read-only."""
    return build_tiny_models(tmp_path_factory.mktemp("models"))


@pytest.fixture
def models_copy(tiny_models: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny models that a test may damage."""
    return Path(shutil.copytree(tiny_models, tmp_path / "models"))


@pytest.fixture(scope="session")
def engine(tiny_models: Path) -> Engine:
    """One engine on the tiny models, shared by tests that do not change its state."""
    return Engine(models_dir=tiny_models, threads=1)


@pytest.fixture
def fresh_engine(tiny_models: Path) -> Callable[[], Engine]:
    """Factory for engines with an empty cache (for comparisons the cache would make trivial)."""
    return lambda: Engine(models_dir=tiny_models, threads=1)
