"""Stage 4: trained heads -> int8 ONNX bundles in resources/models (+ fp32 twins for benchmarks,
and the dense teachers as fp32 bundles, so `python -m benchmarks accuracy` can score them too).

The out-of-scope temperature and threshold are chosen here, on CLINC150 val + oos_val, with the
int8 graph that ships: the highest OOS recall that costs at most `max_inscope_drop` of in-scope
val accuracy (training/oos.py).

    python -m training export
"""

from __future__ import annotations

import json
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
from torch import nn

from assistant.engine.classification import Classifier as EngineClassifier
from assistant.engine.inputs import sanitize
from assistant.engine.session import OnnxModel
from training import classify, data, qa
from training.bundle import write_bundle, write_manifest
from training.common import MODELS_DIR, RUNS_DIR, load_checkpoint, load_config, stage_logger
from training.model import Classifier, EncoderConfig, QuestionAnswerer
from training.onnx_export import build_onnx, export_classifier, export_qa
from training.oos import choose_rule
from training.teacher import load_tokenizer

STAGE = "export"
FP32_MODELS_DIR = RUNS_DIR / "bundles-fp32"
DENSE_MODELS_DIR = RUNS_DIR / "bundles-dense-fp32"
CLASSIFY_BUNDLE = "squeezebert-classify"
QA_BUNDLE = "squeezebert-qa"
CLASSIFY_MAX_LENGTH = 128


def qa_result() -> Path:
    """The QA student to ship: `qa`'s, or `qa-more`'s once its further training beats it
    (`qa_stage` in configs/export.json)."""
    return RUNS_DIR / load_config(STAGE)["qa_stage"] / "model.pt"


def engine_outputs(
    path: Path, texts: list[str], outputs: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Outputs of a classification graph for `texts`, in input order, computed the way the app's
    engine computes them: its tokenizer settings, a text per call. The int8 graph quantizes
    activations per call, so how texts are grouped is part of what a threshold sees."""
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer = Path(tmp) / "tokenizer.json"
        load_tokenizer().save(str(tokenizer))
        classifier = EngineClassifier(tokenizer, OnnxModel(path), outputs, CLASSIFY_MAX_LENGTH)
    scored = classifier.score([sanitize(t) for t in texts])
    return {name: np.stack([s.logits[name] for s in scored]) for name in outputs}


def engine_logits(path: Path, texts: list[str], output: str) -> np.ndarray:
    """One output of `engine_outputs`."""
    return engine_outputs(path, texts, (output,))[output]


def classify_config(
    labels: list[str],
    oos_threshold: float,
    version: str,
    name: str = CLASSIFY_BUNDLE,
    domains: dict[str, str] | None = None,
    temperature: float = 1.0,
    descriptions: dict[str, str] | None = None,
) -> dict:
    """config.json of a sentiment + intent bundle (docs/MODEL_BUNDLES.md)."""
    intent = {
        "kind": "classification",
        "output": "intent_logits",
        "labels": labels,
        "oos_label": "oos",
        "oos_threshold": oos_threshold,
        "temperature": temperature,
    }
    if domains is not None:
        intent["domains"] = {label: domains[label] for label in labels if label in domains}
    if descriptions is not None:
        intent["descriptions"] = {
            label: descriptions[label] for label in labels if label in descriptions
        }
    sentiment = {
        "kind": "classification",
        "output": "sentiment_logits",
        "labels": ["negative", "positive"],
    }
    return {
        "name": name,
        "version": version,
        "architecture": EncoderConfig().architecture(),
        "max_length": CLASSIFY_MAX_LENGTH,
        "tasks": {"sentiment": sentiment, "intent": intent},
        "metrics": {},
    }


def graphs(export, model: nn.Module, name: str, dense: bool) -> dict[str, Path]:
    """fp32 and int8 graphs of `model` (every block kept when `dense`)."""
    out_dir = RUNS_DIR / STAGE / (name + ("-dense" if dense else ""))
    return build_onnx(partial(export, dense=dense), model, out_dir, EncoderConfig())


def provenance(trained: dict, dense: bool) -> dict:
    """config.json keys that tell a dense teacher (its shape) from a student (its conversion and
    the settings it was trained with)."""
    if not dense:
        return {"conversion": trained["conversion"], "training_config": trained["config"]}
    shape = EncoderConfig().architecture()
    return {
        "architecture": {"type": "bert"}
        | {k: v for k, v in shape.items() if not k.endswith("groups")}
    }


def classification_bundle(trained: dict, dense: bool, log) -> tuple[dict[str, Path], dict]:
    """Graphs (fp32, int8) and config.json of a trained two-head model. The OOS threshold is
    chosen on the graph that is scored: int8 for the student that ships, fp32 for the teacher."""
    cfg = load_config(STAGE)
    labels = trained["intent_labels"]
    model = Classifier(EncoderConfig(dropout=0.0), {"sentiment": 2, "intent": len(labels)})
    model.load_state_dict(trained["model"])
    paths = graphs(export_classifier, model, CLASSIFY_BUNDLE, dense)
    clinc = data.clinc()
    val = clinc["val"] + clinc["oos_val"]
    index = {label: i for i, label in enumerate(labels)}
    val_labels = np.array([index[y] for _, y in val])
    _, sst_tune = classify.sst2_split(load_config("classify")["seed"])
    tune = {}
    for kind, path in paths.items():
        sst = engine_logits(path, [t for t, _ in sst_tune], "sentiment_logits").argmax(1)
        tune[f"{kind}_sst2_tune_accuracy"] = float(
            (sst == np.array([y for _, y in sst_tune])).mean()
        )
    val_texts = [t for t, _ in val]
    logits = engine_logits(paths["fp32" if dense else "int8"], val_texts, "intent_logits")
    rule = choose_rule(
        logits, val_labels, index["oos"], cfg["max_inscope_drop"], cfg["oos_temperatures"]
    )
    log.info(
        "classifier tuning (dense: %s; val/tune splits): %s %s",
        dense,
        json.dumps(tune),
        json.dumps(rule),
    )
    config = classify_config(
        labels,
        rule["threshold"],
        cfg["classify_version"],
        domains=data.clinc_domains(),
        temperature=rule["temperature"],
        descriptions=load_config("intent_descriptions"),
    )
    config["tuning"] = trained["tune"] | tune | rule
    return paths, config | provenance(trained, dense)


def qa_bundle(trained: dict, dense: bool) -> tuple[dict[str, Path], dict]:
    """Graphs (fp32, int8) and config.json of a trained QA model; it keeps the window length
    and stride it was trained with."""
    model = QuestionAnswerer(EncoderConfig(dropout=0.0))
    model.load_state_dict(trained["model"])
    paths = graphs(export_qa, model, QA_BUNDLE, dense)
    qa_cfg = load_config("qa")
    config = qa.qa_config(
        load_config(STAGE)["qa_version"], qa_cfg["max_len"], qa_cfg["stride"], {}
    )
    config["tuning"] = {"quick_test_curve": trained["curve"]}
    return paths, config | provenance(trained, dense)


def run() -> None:
    """Export every stage that has finished training: the students as the shipped int8 bundles
    (+ fp32 twins), the dense teachers as fp32 bundles for the accuracy comparison."""
    log = stage_logger(STAGE)
    stages = [
        (
            classify.RESULT,
            classify.TEACHER,
            CLASSIFY_BUNDLE,
            partial(classification_bundle, log=log),
        ),
        (qa_result(), qa.TEACHER, QA_BUNDLE, qa_bundle),
    ]
    for student, teacher, name, bundle in stages:
        if (trained := load_checkpoint(student)) is not None:
            paths, config = bundle(trained, dense=False)
            write_bundle(MODELS_DIR / name, paths["int8"], config)
            write_bundle(FP32_MODELS_DIR / name, paths["fp32"], config)
        if (trained := load_checkpoint(teacher)) is not None:
            paths, config = bundle(trained, dense=True)
            write_bundle(DENSE_MODELS_DIR / name, paths["fp32"], config)
    for models_dir in (MODELS_DIR, FP32_MODELS_DIR, DENSE_MODELS_DIR):
        write_manifest(models_dir)
    log.info(
        "bundles written to %s (fp32 twins in %s, dense teachers in %s)",
        MODELS_DIR,
        FP32_MODELS_DIR,
        DENSE_MODELS_DIR,
    )
