"""Dynamic int8 for the fused encoder graph, written as the operators onnxruntime runs fastest.

Why not ``quantize_dynamic``: it writes DynamicQuantizeLinear + MatMulInteger + Cast + Mul chains
(and a DynamicQuantizeLinear per group chunk) that onnxruntime must re-fuse at every session
start, and it cannot use per-column weight scales through that fusion. Here every MatMul with a
constant 2-D weight becomes one ``com.microsoft.DynamicQuantizeMatMul`` (activations quantized to
uint8 at run time, weights int8 symmetric with a scale per output column), and the embedding
tables become int8 Gathers followed by one dequantizing Mul.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MS = "com.microsoft"
EMBEDDING_MIN_ROWS = 1000  # only the word table is worth int8; small tables stay fp32


def _int8(
    weight: np.ndarray, axis: int | None, reduce_range: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with a scale per slice along ``axis`` (or one scale)."""
    limit = 63.0 if reduce_range else 127.0
    peak = (
        np.abs(weight).max(axis=axis, keepdims=axis is not None)
        if axis is not None
        else (np.abs(weight).max())
    )
    scale = np.maximum(np.asarray(peak, np.float32), 1e-12) / limit
    q = np.clip(np.rint(weight / scale), -limit, limit).astype(np.int8)
    return q, scale.astype(np.float32)


def quantize_graph(model: onnx.ModelProto, reduce_range: bool = False) -> onnx.ModelProto:
    """A copy of ``model`` with int8 MatMul weights and an int8 word-embedding table."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    bias_of = _bias_adds(graph, inits, consumers)
    folded = {add.name for add, _ in bias_of.values()}
    new_nodes: list[onnx.NodeProto] = []
    dropped: set[str] = set()
    added: list[onnx.TensorProto] = []
    for node in graph.node:
        w = inits.get(node.input[1]) if len(node.input) > 1 else None
        if node.op_type == "MatMul" and w is not None and len(w.dims) == 2:
            weight = numpy_helper.to_array(w)
            q, scale = _int8(weight, 0, reduce_range)  # one scale per output column
            names = [f"{w.name}_q", f"{w.name}_scale", f"{w.name}_zp"]
            added += [
                numpy_helper.from_array(q, names[0]),
                numpy_helper.from_array(scale.reshape(-1), names[1]),
                numpy_helper.from_array(np.zeros(q.shape[1], np.int8), names[2]),
            ]
            dropped.add(w.name)
            outputs = list(node.output)
            if node.output[0] in bias_of:  # MatMul -> Add(bias) becomes one operator
                add, bias = bias_of[node.output[0]]
                names.append(bias)
                outputs = list(add.output)
            new_nodes.append(
                helper.make_node(
                    "DynamicQuantizeMatMul",
                    [node.input[0], *names],
                    outputs,
                    name=node.name,
                    domain=MS,
                )
            )
            continue
        if node.name in folded:
            continue
        w = inits.get(node.input[0]) if node.input else None
        if node.op_type == "Gather" and w is not None and w.dims[0] >= EMBEDDING_MIN_ROWS:
            q, scale = _int8(numpy_helper.to_array(w), None, False)
            qname, sname = f"{w.name}_q", f"{w.name}_scale"
            added += [numpy_helper.from_array(q, qname), numpy_helper.from_array(scale, sname)]
            dropped.add(w.name)
            rows = f"{node.output[0]}_int8"
            new_nodes += [
                helper.make_node("Gather", [qname, *node.input[1:]], [rows], name=node.name),
                helper.make_node("Cast", [rows], [rows + "_f"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [rows + "_f", sname], list(node.output)),
            ]
            continue
        new_nodes.append(node)
    del graph.node[:]
    graph.node.extend(new_nodes)
    kept = [i for i in graph.initializer if i.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    return model


def _bias_adds(graph: onnx.GraphProto, inits: dict, consumers: dict[str, int]) -> dict:
    """MatMul output name -> (the Add that only adds a constant 1-D bias to it, the bias name)."""
    found = {}
    matmuls = {n.output[0] for n in graph.node if n.op_type == "MatMul" and n.input[1] in inits}
    for node in graph.node:
        if node.op_type != "Add" or node.input[0] not in matmuls or consumers[node.input[0]] != 1:
            continue
        bias = inits.get(node.input[1])
        if bias is not None and len(bias.dims) == 1:
            found[node.input[0]] = (node, node.input[1])
    return found
