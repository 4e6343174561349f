"""Every model the speed benchmark runs, as engine bundles in one scratch folder.

* ours: the shipped int8 bundles from resources/models when they exist, else the same graphs
  exported from randomly initialised weights (latency does not depend on weight values);
* fp32: our own fp32 ONNX of the same weights (peer c), same bundle configs;
* minilm: dense all-MiniLM-L6-v2 exported the usual way (transformers -> torch.onnx ->
  onnxruntime's BERT optimizer -> quantize_dynamic), one bundle per task (peer b). No fine-tune
  of equal accuracy exists for it, so its heads are random: only its latency is used;
* the torch modules behind ours, for the transformers pipeline (peer a).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model
from transformers import BertForQuestionAnswering, BertForSequenceClassification

from training import classify, qa
from training.bundle import write_bundle, write_manifest
from training.common import MODELS_DIR, load_checkpoint, load_config
from training.export import classify_config, qa_result
from training.model import Classifier, EncoderConfig, QuestionAnswerer
from training.onnx_export import build_onnx, export_classifier, export_qa
from training.teacher import teacher_dir

CLASSIFY, QA = "squeezebert-classify", "squeezebert-qa"
BENCH_VERSION = "0.0.0-bench"
_QA_TRAINING = load_config("qa")  # the windows the QA bundle is trained and shipped with
QA_MAX_LENGTH, QA_STRIDE = _QA_TRAINING["max_len"], _QA_TRAINING["stride"]
RANDOM_INTENTS = [f"intent_{i}" for i in range(150)] + ["oos"]


@dataclass
class Prepared:
    ours: Path
    fp32: Path
    minilm: Path
    classifier: Classifier
    qa: QuestionAnswerer
    provenance: dict[str, str] = field(default_factory=dict)


def _qa_config(name: str = QA) -> dict:
    config = qa.qa_config(BENCH_VERSION, QA_MAX_LENGTH, QA_STRIDE, {})
    return config | {"name": name}


def _shipped(name: str) -> Path | None:
    manifest = MODELS_DIR / "manifest.json"
    if not manifest.exists() or name not in json.loads(manifest.read_text())["bundles"]:
        return None
    return MODELS_DIR / name


def _weights(model: torch.nn.Module, checkpoint: Path) -> str:
    """Load trained weights when the training run left them, else keep the random ones."""
    state = load_checkpoint(checkpoint)
    if state is None:
        return "random weights (seed 0)"
    model.load_state_dict(state["model"])
    return f"trained weights ({checkpoint.name})"


def _our_bundles(work: Path, p: Prepared) -> None:
    """Build int8 + fp32 bundles of both models; prefer the shipped int8 bundle for ours."""
    state = load_checkpoint(classify.RESULT)
    labels = state["intent_labels"] if state else RANDOM_INTENTS
    p.classifier = Classifier(EncoderConfig(dropout=0.0), {"sentiment": 2, "intent": len(labels)})
    p.provenance["classify weights"] = _weights(p.classifier, classify.RESULT)
    p.qa = QuestionAnswerer(EncoderConfig(dropout=0.0))
    p.provenance["qa weights"] = _weights(p.qa, qa_result())
    builds = [
        (CLASSIFY, export_classifier, p.classifier, classify_config(labels, 0.5, BENCH_VERSION)),
        (QA, export_qa, p.qa, _qa_config()),
    ]
    for name, export, model, config in builds:
        graphs = build_onnx(export, model, work / "graphs" / name, EncoderConfig())
        shipped = _shipped(name)
        if shipped is not None:
            config = json.loads((shipped / "config.json").read_text())
            shutil.copytree(shipped, p.ours / name)
            p.provenance[f"{name} int8"] = "shipped bundle resources/models/" + name
        else:
            write_bundle(p.ours / name, graphs["int8"], config)
            p.provenance[f"{name} int8"] = "exported now from the weights above"
        write_bundle(p.fp32 / name, graphs["fp32"], config)
    write_manifest(p.ours)
    write_manifest(p.fp32)


def usual_onnx(model: torch.nn.Module, path: Path, outputs: list[str]) -> None:
    """How a user would ship a BERT: torch.onnx.export, BERT fusions, quantize_dynamic int8."""
    ids = torch.randint(1000, 2000, (1, 16))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "seq"} for n in names} | {o: {0: "batch"} for o in outputs}
    with tempfile.TemporaryDirectory() as tmp:
        raw, fused = Path(tmp) / "raw.onnx", Path(tmp) / "fused.onnx"
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(raw),
            input_names=names,
            output_names=outputs,
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
        optimize_model(
            str(raw), model_type="bert", num_heads=12, hidden_size=384
        ).save_model_to_file(str(fused))
        # DefaultTensorType: what this onnxruntime's error message asks for on fused BERT graphs.
        quantize_dynamic(
            str(fused),
            str(path),
            weight_type=QuantType.QInt8,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


class _Logits(torch.nn.Module):
    """Plain tensor outputs for the export (transformers returns a ModelOutput)."""

    def __init__(self, model: torch.nn.Module, fields: list[str]) -> None:
        super().__init__()
        self.model, self.fields = model.eval(), fields

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        return tuple(getattr(out, f) for f in self.fields)


def _minilm_bundles(work: Path, p: Prepared, intents: int) -> None:
    """Peer (b): one dense MiniLM int8 bundle per task."""
    torch.manual_seed(0)
    src = teacher_dir()
    specs = [
        (
            "minilm-sentiment",
            BertForSequenceClassification.from_pretrained(src, num_labels=2),
            ["logits"],
            classify_config(["negative", "positive"], 0.5, BENCH_VERSION, "minilm-sentiment"),
        ),
        (
            "minilm-intent",
            BertForSequenceClassification.from_pretrained(src, num_labels=intents),
            ["logits"],
            classify_config(RANDOM_INTENTS[-intents:], 0.5, BENCH_VERSION, "minilm-intent"),
        ),
        (
            "minilm-qa",
            BertForQuestionAnswering.from_pretrained(src),
            ["start_logits", "end_logits"],
            _qa_config("minilm-qa"),
        ),
    ]
    for name, model, fields, config in specs:
        graph = work / "graphs" / f"{name}.onnx"
        usual_onnx(_Logits(model, fields), graph, fields)
        tasks = config["tasks"]
        if "qa" not in tasks:  # one task per bundle, reading the graph's "logits"
            keep = "sentiment" if name.endswith("sentiment") else "intent"
            config["tasks"] = {keep: tasks[keep] | {"output": "logits"}}
        write_bundle(p.minilm / name, graph, config)
    write_manifest(p.minilm)
    p.provenance["minilm"] = "all-MiniLM-L6-v2 encoder, random task heads, usual int8 export"


def prepare(work: Path) -> Prepared:
    """Build (or copy) every candidate's bundles under ``work``."""
    torch.manual_seed(0)
    p = Prepared(work / "ours", work / "fp32", work / "minilm", None, None)  # type: ignore[arg-type]
    for folder in (p.ours, p.fp32, p.minilm):
        folder.mkdir(parents=True, exist_ok=True)
    _our_bundles(work, p)
    _minilm_bundles(work, p, p.classifier.heads["intent"].out_features)
    return p
