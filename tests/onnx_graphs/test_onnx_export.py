"""The hand-written ONNX graphs reproduce the PyTorch modules, and int8 stays close to fp32."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

torch = pytest.importorskip("torch", reason="the export needs the [train] extra")

from training.model import Classifier, EncoderConfig, QuestionAnswerer  # noqa: E402
from training.onnx_export import build_onnx, export_classifier, export_qa  # noqa: E402

CFG = EncoderConfig(layers=2, vocab_size=500, max_positions=64, dropout=0.0)


def _randomise(model: torch.nn.Module) -> torch.nn.Module:
    """Non-trivial biases and norms, so that a misplaced bias or scale shows."""
    torch.manual_seed(0)
    for p in model.parameters():
        torch.nn.init.normal_(p, 1.0 if p.dim() == 1 and p.shape[0] == CFG.hidden else 0.0, 0.05)
    return model.eval()


def _feed() -> dict[str, np.ndarray]:
    ids = np.random.default_rng(0).integers(5, 500, (3, 21))
    mask = np.ones_like(ids)
    mask[1, 13:] = 0
    mask[2, 4:] = 0
    types = np.zeros_like(ids)
    types[:, 8:] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def _run(path: Path, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {i.name: feed[i.name] for i in session.get_inputs()})


@pytest.mark.parametrize("kind", ["classify", "dense classify", "qa"])
def test_graphs_match_torch_and_int8_stays_close(kind: str, tmp_path: Path) -> None:
    """Also the dense teacher's graph: every block kept, one group per projection."""
    feed = _feed()
    t = {k: torch.from_numpy(v) for k, v in feed.items()}
    if kind.endswith("classify"):
        dense = kind.startswith("dense")
        model = _randomise(Classifier(CFG, {"sentiment": 2, "intent": 7}))
        model.encoder.set_alpha(1.0 if dense else 0.0)
        with torch.no_grad():
            ref = [r.numpy() for r in model(t["input_ids"], t["attention_mask"]).values()]
        paths = build_onnx(partial(export_classifier, dense=dense), model, tmp_path, CFG)
    else:
        model = _randomise(QuestionAnswerer(CFG))
        with torch.no_grad():
            ref = [
                r.numpy() for r in model(t["input_ids"], t["attention_mask"], t["token_type_ids"])
            ]
        paths = build_onnx(export_qa, model, tmp_path, CFG)
    fp32, int8 = _run(paths["fp32"], feed), _run(paths["int8"], feed)
    real = feed["attention_mask"].astype(bool)
    for r, a, b in zip(ref, fp32, int8, strict=True):
        keep = real if a.shape == real.shape else slice(None)
        np.testing.assert_allclose(a[keep], r[keep], atol=2e-5)
        assert np.abs(b[keep] - a[keep]).max() < 0.05 * np.abs(a[keep]).max() + 0.02


def test_int8_graph_has_one_int8_operator_per_weight_matmul(tmp_path: Path) -> None:
    model = _randomise(Classifier(CFG, {"sentiment": 2}))
    paths = build_onnx(export_classifier, model, tmp_path, CFG)
    ops = [n.op_type for n in onnx.load(str(paths["int8"])).graph.node]
    # per layer: 4 QKV groups + 1 attention output + 4 + 4 FFN groups
    assert ops.count("DynamicQuantizeMatMul") == CFG.layers * 13
    assert not {"MatMulInteger", "ConvInteger", "DynamicQuantizeLinear"} & set(ops)
    assert not {"SkipLayerNormalization", "BiasGelu", "Gelu"} & set(ops)


def test_export_tunes_the_oos_rule_on_the_logits_the_engine_computes(tmp_path: Path) -> None:
    """int8 logits depend on the batch a text runs in, so export must batch as the engine does."""
    from assistant.engine import Engine
    from assistant.engine.classification import softmax
    from training.bundle import write_bundle, write_manifest
    from training.export import classify_config, engine_logits

    cfg = EncoderConfig(layers=1, max_positions=128, dropout=0.0)
    labels = ["greeting", "goodbye", "weather", "oos"]
    model = _randomise(Classifier(cfg, {"sentiment": 2, "intent": len(labels)}))
    int8 = build_onnx(export_classifier, model, tmp_path / "graphs", cfg)["int8"]
    models = tmp_path / "models"
    write_bundle(models / "squeezebert-classify", int8, classify_config(labels, 0.0, "0.0.1"))
    write_manifest(models)
    rng = np.random.default_rng(1)
    words = ["river", "table", "quiet", "seven", "orange", "music", "bright", "window"]
    texts = [" ".join(rng.choice(words, rng.integers(1, 60))) for _ in range(70)]

    shown = Engine(models_dir=models).intent(texts)
    tuned_on = softmax(engine_logits(int8, texts, "intent_logits"))

    for result, probs in zip(shown, tuned_on, strict=True):
        by_label = dict(result.probabilities)
        np.testing.assert_allclose([by_label[label] for label in labels], probs, atol=1e-6)
