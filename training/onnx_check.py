"""Prove an export still works: torch vs fp32 ONNX (exact) and fp32 vs int8 (quantization error).

``python -m training.onnx_check [OUT_DIR]`` builds both graphs from MiniLM's weights cut to the
SqueezeBERT shape (realistic activations; the heads stay random) and prints the differences.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from training.model import Classifier, EncoderConfig, QuestionAnswerer
from training.onnx_export import build_onnx, export_classifier, export_qa
from training.teacher import load_teacher_state


def _with_teacher(model: Classifier | QuestionAnswerer) -> Classifier | QuestionAnswerer:
    torch.manual_seed(0)
    model.encoder.load_state_dict(load_teacher_state())
    return model.eval()


def _run(path: Path, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {i.name: feed[i.name] for i in session.get_inputs()})


def _feed(batch: int = 4, seq: int = 48) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 20000, (batch, seq))
    mask = np.ones_like(ids)
    for row in range(1, batch):  # padded rows of different lengths
        mask[row, seq - 9 * row :] = 0
    types = np.zeros_like(ids)
    types[:, seq // 3 :] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def check(out_dir: Path) -> dict[str, float]:
    """Max |torch - fp32|, max |fp32 - int8| and argmax agreement, per graph output."""
    cfg = EncoderConfig(dropout=0.0)
    feed = _feed()
    t = {k: torch.from_numpy(v) for k, v in feed.items()}
    report: dict[str, float] = {}
    cases = [
        ("classify", Classifier(cfg, {"sentiment": 2, "intent": 151}), export_classifier),
        ("qa", QuestionAnswerer(cfg), export_qa),
    ]
    for name, model, export in cases:
        model = _with_teacher(model)
        with torch.no_grad():
            if name == "qa":
                ref = list(model(t["input_ids"], t["attention_mask"], t["token_type_ids"]))
            else:
                ref = list(model(t["input_ids"], t["attention_mask"]).values())
        paths = build_onnx(export, model, out_dir / name, EncoderConfig())
        fp32, int8 = _run(paths["fp32"], feed), _run(paths["int8"], feed)
        valid = feed["attention_mask"].astype(bool)
        for k, (r, a, b) in enumerate(zip(ref, fp32, int8, strict=True)):
            keep = valid if a.shape == valid.shape else slice(None)
            r, a, b = r.numpy()[keep], a[keep], b[keep]
            report[f"{name}[{k}] max|torch-fp32|"] = float(np.abs(r - a).max())
            report[f"{name}[{k}] max|fp32-int8|"] = float(np.abs(a - b).max())
            report[f"{name}[{k}] range"] = float(np.abs(a).max())
            cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
            report[f"{name}[{k}] min cosine fp32/int8"] = float(np.min(cos))
    return report


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory() as tmp:
        for key, value in check(Path(args[0]) if args else Path(tmp)).items():
            print(f"{key:40s} {value:.3g}")


if __name__ == "__main__":
    main()
