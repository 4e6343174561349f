"""The timed callables: one per (candidate, task), at a given thread count.

The ONNX candidates (ours, our fp32, dense MiniLM int8) all run through the app's Engine, so
tokenisation, batching and answer decoding are identical and the ratios isolate the model.
"Sentiment + intent" is one call of each task on the same text: one pass for our two-head bundle
(the engine caches the pass), two passes for MiniLM (one model per task). The PyTorch peer runs
transformers' ``text-classification`` pipeline (both tasks' labels in one head) and, for QA, the
same work by hand with our QA head (transformers 5 has no question-answering pipeline).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from transformers import AutoTokenizer, pipeline

from assistant.engine import Engine
from benchmarks.hf_squeezebert import hf_classifier, hf_qa
from benchmarks.models import QA_MAX_LENGTH, QA_STRIDE, Prepared
from training.teacher import teacher_dir

Call = Callable[[object], object]
ENGINE_CANDIDATES = {"ours": "ours", "fp32 onnx (c)": "fp32", "minilm int8 (b)": "minilm"}
TORCH = "torch pipeline (a)"


def engine_calls(engine: Engine) -> dict[str, Call]:
    """Task name -> callable on a workload item."""

    def both(text: object) -> object:
        return engine.sentiment(text), engine.intent(text)  # type: ignore[arg-type]

    def answer(pair: object) -> object:
        question, context = pair  # type: ignore[misc]
        return engine.answer(question, context)

    def batch(texts: object) -> object:
        return engine.sentiment(texts), engine.intent(texts)  # type: ignore[arg-type]

    return {"sentiment+intent": both, "qa": answer, "batch": batch}


class TorchPeer:
    """transformers pipelines on our SqueezeBERT weights, PyTorch fp32 on the CPU."""

    def __init__(self, prepared: Prepared) -> None:
        tokenizer = AutoTokenizer.from_pretrained(str(teacher_dir()))
        self.classify = pipeline(
            "text-classification",
            model=hf_classifier(prepared.classifier),
            tokenizer=tokenizer,
            device="cpu",
            top_k=None,
        )
        self.tokenizer = tokenizer
        self.qa_model = hf_qa(prepared.qa)

    def answer(self, question: str, context: str) -> str:
        """transformers 5 dropped the question-answering pipeline; this does its work by hand:
        the tokenizer's strided windows, one forward pass over all, best span per window."""
        enc = self.tokenizer(
            question,
            context,
            truncation="only_second",
            max_length=QA_MAX_LENGTH,
            stride=QA_STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            padding=True,
            return_tensors="pt",
        )
        offsets = enc.pop("offset_mapping")
        enc.pop("overflow_to_sample_mapping", None)
        out = self.qa_model(**enc)
        best, span = -float("inf"), (0, 0)
        for w in range(len(offsets)):
            context_tokens = torch.tensor([s == 1 for s in enc.sequence_ids(w)])
            start = out.start_logits[w].masked_fill(~context_tokens, -1e4)
            end = out.end_logits[w].masked_fill(~context_tokens, -1e4)
            scores = start[:, None] + end[None, :]
            scores = torch.triu(scores) - torch.triu(torch.ones_like(scores) * 1e4, diagonal=30)
            flat = int(scores.argmax())
            s, e = divmod(flat, scores.shape[1])
            if float(scores[s, e]) > best:
                best, span = float(scores[s, e]), (int(offsets[w][s][0]), int(offsets[w][e][1]))
        return context[span[0] : span[1]]

    def calls(self, threads: int) -> dict[str, Call]:
        def threaded(fn: Call) -> Call:
            def run(item: object) -> object:
                torch.set_num_threads(threads)
                with torch.inference_mode():
                    return fn(item)

            return run

        def classify(item: object) -> object:
            return self.classify(item, truncation=True, max_length=128)

        def batch(texts: object) -> object:
            return self.classify(list(texts), truncation=True, max_length=128, batch_size=32)  # type: ignore[call-overload]

        def answer(pair: object) -> object:
            question, context = pair  # type: ignore[misc]
            return self.answer(question, context)

        return {
            "sentiment+intent": threaded(classify),
            "qa": threaded(answer),
            "batch": threaded(batch),
        }


def all_calls(
    prepared: Prepared, peer: TorchPeer | None, threads: int
) -> dict[str, dict[str, Call]]:
    """task -> candidate -> callable, for one thread count (fresh engines load lazily)."""
    dirs: dict[str, Path] = {
        name: getattr(prepared, attr) for name, attr in ENGINE_CANDIDATES.items()
    }
    out: dict[str, dict[str, Call]] = {}
    for name, folder in dirs.items():
        for task, call in engine_calls(Engine(models_dir=folder, threads=threads)).items():
            out.setdefault(task, {})[name] = call
    if peer is not None:
        for task, call in peer.calls(threads).items():
            out[task][TORCH] = call
    return out
