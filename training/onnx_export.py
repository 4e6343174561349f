"""Torch modules -> fused fp32 ONNX -> offline-optimised -> int8, one function each.

The graphs are written from the weights by ``training.onnx_graph`` (not traced), already in the
operator form onnxruntime runs fastest on a CPU, and ``training.onnx_quant`` turns every weight
MatMul into one int8 ``DynamicQuantizeMatMul``. docs/BENCHMARKS.md has the measurements behind
each choice.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import onnx
import onnxruntime as ort
from torch import nn

from training.model import Classifier, EncoderConfig, QuestionAnswerer
from training.onnx_graph import OPSET, classifier_graph, qa_graph
from training.onnx_quant import quantize_graph

__all__ = ["OPSET", "build_onnx", "export_classifier", "export_qa", "optimize", "quantize"]


def export_classifier(model: Classifier, path: Path, dense: bool = False) -> list[str]:
    """Write the fp32 graph; returns its output names (<task>_logits)."""
    model.eval()
    onnx.save(classifier_graph(model, dense=dense), str(path))
    return [f"{t}_logits" for t in model.heads]


def export_qa(model: QuestionAnswerer, path: Path, dense: bool = False) -> None:
    """Write the fp32 QA graph (inputs + token_type_ids; start_logits, end_logits)."""
    model.eval()
    onnx.save(qa_graph(model, dense=dense), str(path))


def optimize(src: Path, dst: Path, cfg: EncoderConfig) -> None:
    """onnxruntime's portable (basic-level) rewrites, saved, so sessions start on a folded graph.

    The transformer fusions that ``onnxruntime.transformers.optimizer`` would add
    (SkipLayerNormalization, BiasGelu) are left out on purpose: their CPU kernels measured
    several times slower than the LayerNormalization and Erf they replace. ``cfg`` is kept for
    callers; the graph already carries the shapes.
    """
    del cfg
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(dst)
    ort.InferenceSession(str(src), options, providers=["CPUExecutionProvider"])
    onnx.checker.check_model(str(dst))


def quantize(src: Path, dst: Path, reduce_range: bool = False) -> None:
    """Dynamic int8: per-column int8 weights in one fused operator per MatMul, int8 word table."""
    onnx.save(quantize_graph(onnx.load(str(src)), reduce_range=reduce_range), str(dst))
    onnx.checker.check_model(str(dst))


def build_onnx(
    export: Callable[..., object], model: nn.Module, out_dir: Path, cfg: EncoderConfig
) -> dict[str, Path]:
    """Export, optimise and quantize; returns paths of the fp32 (optimised) and int8 graphs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fp32, int8 = out_dir / "model.fp32.onnx", out_dir / "model.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.onnx"
        export(model, raw)
        optimize(raw, fp32, cfg)
    quantize(fp32, int8)
    return {"fp32": fp32, "int8": int8}
