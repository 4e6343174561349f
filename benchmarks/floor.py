"""Where the time goes (operator profile) and the compute floor (FLOPs / measured throughput).

Throughput is measured, not taken from a data sheet: a graph of 24 independent
DynamicQuantizeMatMul (or fp32 MatMul) nodes of one shape, run at the thread count in question;
the best of several runs (the machine is shared) over the node count gives GOP/s. The floor of a
forward pass is its weight-MatMul FLOPs at the int8 rate plus its attention FLOPs (score and
context products, fp32 in every graph here) at the fp32 rate; everything else is counted as free.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from training.model import EncoderConfig

NODES = 24
CONFIG = EncoderConfig()


def _session(model: onnx.ModelProto | str, threads: int, profile: str | None = None):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if profile:
        options.enable_profiling = True
        options.profile_file_prefix = profile
    source = model if isinstance(model, str) else model.SerializeToString()
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def _matmul_graph(m: int, k: int, n: int, int8: bool) -> onnx.ModelProto:
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    for i in range(NODES):
        if int8:
            w = rng.integers(-127, 128, (k, n), dtype=np.int8)
            inits += [
                numpy_helper.from_array(w, f"w{i}"),
                numpy_helper.from_array(np.full(n, 0.01, np.float32), f"s{i}"),
                numpy_helper.from_array(np.zeros(n, np.int8), f"z{i}"),
            ]
            nodes.append(
                helper.make_node(
                    "DynamicQuantizeMatMul",
                    ["x", f"w{i}", f"s{i}", f"z{i}"],
                    [f"y{i}"],
                    domain="com.microsoft",
                )
            )
        else:
            inits.append(numpy_helper.from_array(rng.random((k, n), np.float32), f"w{i}"))
            nodes.append(helper.make_node("MatMul", ["x", f"w{i}"], [f"y{i}"]))
    graph = helper.make_graph(
        nodes,
        "throughput",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, m, k])],
        [helper.make_tensor_value_info(f"y{i}", TensorProto.FLOAT, None) for i in range(NODES)],
        inits,
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    return model


def throughput(m: int, k: int, n: int, int8: bool, threads: int, runs: int = 15) -> float:
    """GOP/s of one [m,k]x[k,n] product (2 ops per multiply-add), best of ``runs``."""
    session = _session(_matmul_graph(m, k, n, int8), threads)
    feed = {"x": np.random.default_rng(1).random((1, m, k), np.float32)}
    session.run(None, feed)
    best = min(_timed(session, feed) for _ in range(runs))
    return 2 * m * k * n * NODES / best / 1e9


def _timed(session, feed) -> float:
    t0 = time.perf_counter()
    session.run(None, feed)
    return time.perf_counter() - t0


def forward_flops(seq: int, cfg: EncoderConfig = CONFIG) -> dict[str, float]:
    """Multiply-adds x 2 of one SqueezeBERT forward pass over ``seq`` tokens (batch 1)."""
    h, i = cfg.hidden, cfg.intermediate
    per_token = (
        h * h / cfg.q_groups
        + h * h / cfg.k_groups
        + h * h / cfg.v_groups
        + h * h / cfg.post_attention_groups
        + h * i / cfg.intermediate_groups
        + i * h / cfg.output_groups
    )
    weights = 2 * seq * per_token * cfg.layers
    attention = 2 * 2 * seq * seq * h * cfg.layers  # scores and context
    return {"weight_matmul_flops": weights, "attention_flops": attention}


def rates(threads: int, cfg: EncoderConfig = CONFIG) -> dict[str, float]:
    """Measured GOP/s: int8 at our grouped FFN shape and dense, fp32 dense (attention's rate)."""
    g = cfg.intermediate_groups
    return {
        "int8_dense_384x1536_gops": throughput(128, cfg.hidden, cfg.intermediate, True, threads),
        "int8_group_96x384_gops": throughput(
            128, cfg.hidden // g, cfg.intermediate // g, True, threads
        ),
        "fp32_dense_384x384_gflops": throughput(128, cfg.hidden, cfg.hidden, False, threads),
    }


def floor_ms(seq: int, rate: dict[str, float]) -> float:
    """Compute floor of one forward pass in ms at the best measured int8 and fp32 rates."""
    flops = forward_flops(seq)
    int8 = max(rate["int8_dense_384x1536_gops"], rate["int8_group_96x384_gops"])
    return 1e3 * (
        flops["weight_matmul_flops"] / int8 / 1e9
        + flops["attention_flops"] / rate["fp32_dense_384x384_gflops"] / 1e9
    )


def op_profile(graph: Path, seq: int, threads: int = 1, runs: int = 40) -> dict[str, object]:
    """Per operator type: ms per forward pass (sum over nodes of each node's median) and share."""
    with tempfile.TemporaryDirectory() as tmp:
        session = _session(str(graph), threads, profile=os.path.join(tmp, "p"))
        names = {i.name for i in session.get_inputs()}
        ids = np.random.default_rng(0).integers(1000, 20000, (1, seq))
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        feed = {k: v for k, v in feed.items() if k in names}
        for _ in range(runs):
            session.run(None, feed)
        events = json.loads(Path(session.end_profiling()).read_text())
    per_node: dict[str, list[float]] = defaultdict(list)
    kind: dict[str, str] = {}
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            per_node[e["name"]].append(e["dur"] / 1e3)
            kind[e["name"]] = e["args"]["op_name"]
    by_op: dict[str, float] = defaultdict(float)
    for node, values in per_node.items():
        by_op[kind[node]] += float(np.median(values[len(values) // 4 :]))
    total = sum(by_op.values())
    ranked = sorted(by_op.items(), key=lambda kv: -kv[1])
    return {
        "seq": seq,
        "threads": threads,
        "kernel_ms": round(total, 3),
        "nodes": len(per_node),
        "by_op": {op: {"ms": round(ms, 3), "share": round(ms / total, 3)} for op, ms in ranked},
    }
