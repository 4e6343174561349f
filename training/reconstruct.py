"""One-shot least-squares repair of a cut student, layer by layer (no gradients, minutes on a CPU).

Cutting a dense projection to its diagonal blocks throws away what the off-diagonal inputs
contributed. Hidden channels are strongly correlated, so much of that can be recovered by
re-fitting each kept block to reproduce the dense teacher's output from the inputs the block still
sees (ordinary least squares with a small ridge). Layers are fitted in order on the student's own
activations (as SparseGPT does), so each fit also corrects the error the layers before it left:
the residual branches (post-attention and FFN output) are fitted to the teacher's residual sum
minus the student's residual input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn

from training.data import Batch
from training.model import Encoder, GroupedLinear, Layer, attention_bias

# Module names inside a Layer whose inputs and outputs the fits need.
_WATCHED = (
    "attention.query",
    "attention.key",
    "attention.value",
    "attention.output",
    "attention.norm",
    "intermediate",
    "output",
    "norm",
)


class BlockLeastSquares:
    """Accumulates X^T X and X^T Y per diagonal block (float64), then solves for weight + bias."""

    def __init__(self, module: GroupedLinear) -> None:
        self.module = module
        g = module.groups
        d_out, d_in = module.weight.shape
        self.d_in, self.d_out = d_in // g, d_out // g
        self.gram = torch.zeros(g, self.d_in + 1, self.d_in + 1, dtype=torch.float64)
        self.cross = torch.zeros(g, self.d_in + 1, self.d_out, dtype=torch.float64)

    def add(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """x: [tokens, d_in], y: [tokens, d_out] (real tokens only)."""
        ones = torch.ones(x.shape[0], 1, dtype=torch.float64)
        for k in range(self.module.groups):
            xk = torch.cat([x[:, k * self.d_in : (k + 1) * self.d_in].double(), ones], dim=1)
            yk = y[:, k * self.d_out : (k + 1) * self.d_out].double()
            self.gram[k] += xk.T @ xk
            self.cross[k] += xk.T @ yk

    @torch.no_grad()
    def solve_into_module(self, ridge: float) -> None:
        weight, bias = self.module.weight, self.module.bias
        for k in range(self.module.groups):
            gram = self.gram[k]
            penalty = torch.eye(self.d_in + 1, dtype=torch.float64)
            penalty[-1, -1] = 0.0  # the bias is not shrunk
            scale = ridge * gram.diagonal()[:-1].mean()
            solution = torch.linalg.solve(gram + scale * penalty, self.cross[k])
            rows = slice(k * self.d_out, (k + 1) * self.d_out)
            cols = slice(k * self.d_in, (k + 1) * self.d_in)
            weight[rows, cols] = solution[:-1].T.to(weight.dtype)
            bias[rows] = solution[-1].to(bias.dtype)


@contextmanager
def recording(layer: Layer) -> Iterator[dict[str, torch.Tensor]]:
    """Capture the input ('<name>.in') and output ('<name>.out') of the watched modules."""
    seen: dict[str, torch.Tensor] = {}
    handles = []
    for name in _WATCHED:
        module: nn.Module = layer.get_submodule(name)

        def hook(_m, args, out, name=name) -> None:
            seen[f"{name}.in"] = args[0]
            seen[f"{name}.out"] = out

        handles.append(module.register_forward_hook(hook))
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()


def _fit_targets(step: str, s: dict, t: dict) -> list[tuple[str, torch.Tensor, torch.Tensor]]:
    """(module name, student input, target output) for one fitting step of a layer."""
    if step == "qkv":
        names = ("attention.query", "attention.key", "attention.value")
        return [(n, s[f"{n}.in"], t[f"{n}.out"]) for n in names]
    if step == "attention.output":  # student residual + branch should equal the teacher's sum
        return [(step, s[f"{step}.in"], t["attention.norm.in"] - s["attention.query.in"])]
    if step == "intermediate":
        return [(step, s["intermediate.in"], t["intermediate.out"])]
    return [(step, s["output.in"], t["norm.in"] - s["intermediate.in"])]


@torch.no_grad()
def reconstruct(
    student: Encoder,
    teacher: Encoder,
    batches: Sequence[Batch],
    ridge: float = 1e-3,
    log=None,
) -> None:
    """Refit every kept block of `student` (alpha must be 0) against `teacher` (dense)."""
    student.eval()
    teacher.eval()
    xs = [student.embed(b.input_ids, b.token_type_ids) for b in batches]
    xt = [teacher.embed(b.input_ids, b.token_type_ids) for b in batches]
    biases = [attention_bias(b.attention_mask, torch.float32) for b in batches]
    tokens = [b.attention_mask.bool() for b in batches]
    for index, (s_layer, t_layer) in enumerate(zip(student.layers, teacher.layers, strict=True)):
        for step in ("qkv", "attention.output", "intermediate", "output"):
            fits: dict[str, BlockLeastSquares] = {}
            for x_s, x_t, bias, real in zip(xs, xt, biases, tokens, strict=True):
                with recording(s_layer) as s_seen:
                    s_layer(x_s, bias)
                with recording(t_layer) as t_seen:
                    t_layer(x_t, bias)
                for name, inputs, target in _fit_targets(step, s_seen, t_seen):
                    module = s_layer.get_submodule(name)
                    fit = fits.setdefault(name, BlockLeastSquares(module))
                    fit.add(inputs[real], target[real])
            for fit in fits.values():
                fit.solve_into_module(ridge)
        xs = [s_layer(x, bias)[0] for x, bias in zip(xs, biases, strict=True)]
        xt = [t_layer(x, bias)[0] for x, bias in zip(xt, biases, strict=True)]
        if log is not None:
            cos = sum(
                torch.nn.functional.cosine_similarity(s[r], t[r], dim=-1).sum()
                for s, t, r in zip(xs, xt, tokens, strict=True)
            ) / sum(int(r.sum()) for r in tokens)
            log.info("reconstructed layer %d: cosine to teacher %.4f", index + 1, float(cos))
