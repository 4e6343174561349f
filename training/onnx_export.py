"""Torch -> ONNX (per-group MatMuls) -> onnxruntime fusions -> dynamic int8, one function each."""

from __future__ import annotations

import tempfile
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model
from torch import nn

from training.model import Classifier, EncoderConfig, QuestionAnswerer

OPSET = 17


class _ClassifierGraph(nn.Module):
    """Named outputs, one per head, in a fixed order."""

    def __init__(self, model: Classifier) -> None:
        super().__init__()
        self.model = model
        self.tasks = list(model.heads)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        logits = self.model(input_ids, attention_mask)
        return tuple(logits[t] for t in self.tasks)


def _prepare(model: nn.Module, dense: bool) -> None:
    model.eval()
    encoder = model.encoder
    encoder.set_alpha(1.0 if dense else 0.0)
    if not dense:
        encoder.freeze_for_export()


def export_classifier(model: Classifier, path: Path, dense: bool = False) -> list[str]:
    """Write the fp32 graph; returns its output names (<task>_logits)."""
    _prepare(model, dense)
    graph = _ClassifierGraph(model)
    outputs = [f"{t}_logits" for t in graph.tasks]
    ids = torch.randint(1000, 2000, (2, 12))
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}}
    axes |= {name: {0: "batch"} for name in outputs}
    torch.onnx.export(
        graph,
        (ids, torch.ones_like(ids)),
        str(path),
        input_names=list(axes)[:2],
        output_names=outputs,
        dynamic_axes=axes,
        opset_version=OPSET,
        dynamo=False,
    )
    return outputs


def export_qa(model: QuestionAnswerer, path: Path, dense: bool = False) -> None:
    _prepare(model, dense)
    ids = torch.randint(1000, 2000, (2, 24))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "seq"} for name in [*names, "start_logits", "end_logits"]}
    torch.onnx.export(
        model,
        (ids, torch.ones_like(ids), torch.zeros_like(ids)),
        str(path),
        input_names=names,
        output_names=["start_logits", "end_logits"],
        dynamic_axes=axes,
        opset_version=OPSET,
        dynamo=False,
    )


def optimize(src: Path, dst: Path, cfg: EncoderConfig) -> None:
    """onnxruntime's transformer fusions (LayerNorm, SkipLayerNorm, Gelu, ...), saved optimised."""
    optimized = optimize_model(
        str(src), model_type="bert", num_heads=cfg.heads, hidden_size=cfg.hidden, opt_level=1
    )
    optimized.save_model_to_file(str(dst))


def quantize(src: Path, dst: Path) -> None:
    """Dynamic int8: weights of every MatMul and the embedding Gathers, activations at run time."""
    quantize_dynamic(
        str(src),
        str(dst),
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gather"],
        per_channel=False,
        extra_options={"MatMulConstBOnly": True, "DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    onnx.checker.check_model(str(dst))


def build_onnx(export, model: nn.Module, out_dir: Path, cfg: EncoderConfig) -> dict[str, Path]:
    """Export, fuse and quantize; returns paths of the fp32 (fused) and int8 graphs."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fp32, int8 = out_dir / "model.fp32.onnx", out_dir / "model.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.onnx"
        export(model, raw)
        optimize(raw, fp32, cfg)
    quantize(fp32, int8)
    return {"fp32": fp32, "int8": int8}
