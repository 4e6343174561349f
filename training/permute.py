"""Channel permutation that keeps the most of MiniLM inside SqueezeBERT's diagonal blocks.

A grouped layer keeps only weights whose input and output channels fall in the same group. The
hidden dimension may be permuted (consistently across the whole network), and so may the heads
and each FFN's inner neurons (per layer), without changing what the dense network computes. We
choose group memberships that maximise the kept importance, importance being a weight's share of
its output variance (W[o,i]^2 * E[x_i^2]), by alternating balanced assignments (each step is an
exact linear assignment, so the kept mass never goes down).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

from training.model import Encoder


@dataclass
class LayerImportance:
    heads: np.ndarray  # [heads, hidden]: q, k and v importance summed over each head's rows
    ffn: (
        np.ndarray
    )  # [intermediate, hidden]: intermediate (neuron <- hidden) + output (hidden <- neuron)


@dataclass
class Grouping:
    hidden: np.ndarray  # group of each hidden channel
    heads: list[np.ndarray]  # group of each head, per layer
    ffn: list[np.ndarray]  # group of each FFN neuron, per layer


@torch.no_grad()
def input_second_moments(
    encoder: Encoder, batches: list[tuple[torch.Tensor, torch.Tensor]]
) -> dict[str, torch.Tensor]:
    """E[x^2] of the input of every linear map that will be grouped, over real tokens."""
    sums: dict[str, torch.Tensor] = {}
    count = 0
    hooks = []
    current_mask: list[torch.Tensor] = []

    def hook(name: str):
        def record(_module, inputs, _output):
            x = inputs[0][current_mask[0].bool()]
            sums[name] = sums.get(name, 0) + (x.double() ** 2).sum(0)

        return record

    for i, layer in enumerate(encoder.layers):
        hooks.append(layer.attention.query.register_forward_hook(hook(f"{i}.attn_in")))
        hooks.append(layer.intermediate.register_forward_hook(hook(f"{i}.ffn_in")))
        hooks.append(layer.output.register_forward_hook(hook(f"{i}.ffn_mid")))
    for ids, mask in batches:
        current_mask[:] = [mask]
        encoder(ids, mask)
        count += int(mask.sum())
    for h in hooks:
        h.remove()
    return {name: (total / count).float() for name, total in sums.items()}


def layer_importances(encoder: Encoder, moments: dict[str, torch.Tensor]) -> list[LayerImportance]:
    """Per-layer importance matrices; each projection normalised to sum 1 so all count alike."""

    def share(weight: torch.Tensor, x2: torch.Tensor) -> np.ndarray:
        s = weight.detach().double() ** 2 * x2.double()[None, :]
        return (s / s.sum()).numpy()

    result = []
    n_heads = encoder.cfg.heads
    for i, layer in enumerate(encoder.layers):
        att = layer.attention
        qkv = sum(
            share(m.weight, moments[f"{i}.attn_in"]) for m in (att.query, att.key, att.value)
        )
        heads = qkv.reshape(n_heads, -1, qkv.shape[1]).sum(1)
        ffn_in = share(layer.intermediate.weight, moments[f"{i}.ffn_in"])
        ffn_out = share(layer.output.weight, moments[f"{i}.ffn_mid"])
        result.append(LayerImportance(heads=heads, ffn=ffn_in + ffn_out.T))
    return result


def _balanced_assign(score: np.ndarray) -> np.ndarray:
    """Assign rows to groups (columns), equally many per group, maximising the total score."""
    rows, groups = score.shape
    per_group = rows // groups
    expanded = np.repeat(score, per_group, axis=1)
    _, cols = linear_sum_assignment(expanded, maximize=True)
    return cols // per_group


def _one_hot(groups: np.ndarray, n: int) -> np.ndarray:
    return np.eye(n)[groups]


def kept_fraction(imps: list[LayerImportance], grouping: Grouping, n_groups: int) -> float:
    """Share of all grouped layers' importance that lies inside the diagonal blocks."""
    h = _one_hot(grouping.hidden, n_groups)
    kept = total = 0.0
    for imp, heads, ffn in zip(imps, grouping.heads, grouping.ffn, strict=True):
        kept += (_one_hot(heads, n_groups) * (imp.heads @ h)).sum()
        kept += (_one_hot(ffn, n_groups) * (imp.ffn @ h)).sum()
        total += imp.heads.sum() + imp.ffn.sum()
    return float(kept / total)


def identity_grouping(imps: list[LayerImportance], n_groups: int) -> Grouping:
    """The plain block-diagonal cut of the original channel order."""

    def contiguous(n: int) -> np.ndarray:
        return np.arange(n) // (n // n_groups)

    hidden = imps[0].heads.shape[1]
    return Grouping(
        hidden=contiguous(hidden),
        heads=[contiguous(imp.heads.shape[0]) for imp in imps],
        ffn=[contiguous(imp.ffn.shape[0]) for imp in imps],
    )


def search_grouping(
    imps: list[LayerImportance], n_groups: int, restarts: int = 2, rounds: int = 12, seed: int = 0
) -> Grouping:
    """Alternate exact balanced assignments of (heads, FFN neurons) and hidden channels."""
    rng = np.random.default_rng(seed)
    hidden_size = imps[0].heads.shape[1]
    best: Grouping | None = None
    best_kept = -1.0
    starts = [identity_grouping(imps, n_groups).hidden] + [
        rng.permutation(identity_grouping(imps, n_groups).hidden) for _ in range(restarts - 1)
    ]
    for hidden in starts:
        for _ in range(rounds):
            h = _one_hot(hidden, n_groups)
            heads = [_balanced_assign(imp.heads @ h) for imp in imps]
            ffn = [_balanced_assign(imp.ffn @ h) for imp in imps]
            score = np.zeros((hidden_size, n_groups))
            for imp, hg, fg in zip(imps, heads, ffn, strict=True):
                score += imp.heads.T @ _one_hot(hg, n_groups) + imp.ffn.T @ _one_hot(fg, n_groups)
            new_hidden = _balanced_assign(score)
            if np.array_equal(new_hidden, hidden):
                break
            hidden = new_hidden
        grouping = Grouping(hidden=hidden, heads=heads, ffn=ffn)
        kept = kept_fraction(imps, grouping, n_groups)
        if kept > best_kept:
            best, best_kept = grouping, kept
    assert best is not None
    return best


def _order(groups: np.ndarray) -> torch.Tensor:
    """New position -> old index, grouped by group number (stable)."""
    return torch.from_numpy(np.argsort(groups, kind="stable"))


def _expand_heads(head_order: torch.Tensor, head_dim: int) -> torch.Tensor:
    return (head_order[:, None] * head_dim + torch.arange(head_dim)[None, :]).reshape(-1)


@torch.no_grad()
def apply_grouping(encoder: Encoder, grouping: Grouping) -> None:
    """Permute the dense weights in place; the network computes the same function, permuted."""
    apply_orders(
        encoder,
        _order(grouping.hidden),
        [_order(groups) for groups in grouping.heads],
        [_order(groups) for groups in grouping.ffn],
    )


@torch.no_grad()
def apply_orders(
    encoder: Encoder,
    hidden: torch.Tensor,
    heads: list[torch.Tensor] | None = None,
    ffn: list[torch.Tensor] | None = None,
) -> None:
    """Reorder hidden channels, and each layer's heads and FFN neurons (new position -> old
    index; None keeps a layer's order), in place: the same function, permuted."""
    for emb in (
        encoder.word_embeddings,
        encoder.position_embeddings,
        encoder.token_type_embeddings,
    ):
        emb.weight.copy_(emb.weight[:, hidden])
    _permute_norm(encoder.embedding_norm, hidden)
    cfg = encoder.cfg
    head_dim = cfg.hidden // cfg.heads
    for i, layer in enumerate(encoder.layers):
        att = layer.attention
        ch = _expand_heads(heads[i] if heads else torch.arange(cfg.heads), head_dim)
        for proj in (att.query, att.key, att.value):
            _permute_linear(proj, rows=ch, cols=hidden)
        _permute_linear(att.output, rows=hidden, cols=ch)
        _permute_norm(att.norm, hidden)
        neurons = ffn[i] if ffn else torch.arange(cfg.intermediate)
        _permute_linear(layer.intermediate, rows=neurons, cols=hidden)
        _permute_linear(layer.output, rows=hidden, cols=neurons)
        _permute_norm(layer.norm, hidden)


def _permute_linear(linear, rows: torch.Tensor, cols: torch.Tensor) -> None:
    linear.weight.copy_(linear.weight[rows][:, cols])
    linear.bias.copy_(linear.bias[rows])


def _permute_norm(norm: torch.nn.LayerNorm, order: torch.Tensor) -> None:
    norm.weight.copy_(norm.weight[order])
    norm.bias.copy_(norm.bias[order])


@dataclass
class Permuted:
    hidden_order: torch.Tensor  # new hidden position -> old channel (for heads on top)
    kept_plain: float  # share of importance a cut of the original order keeps
    kept_permuted: float  # share the searched permutation keeps


@torch.no_grad()
def permute_for_blocks(
    encoder: Encoder, batches: list[tuple[torch.Tensor, torch.Tensor]], seed: int
) -> Permuted:
    """Measure importances on `batches`, search the grouping and apply it to `encoder`."""
    imps = layer_importances(encoder, input_second_moments(encoder, batches))
    groups = encoder.cfg.q_groups
    plain = kept_fraction(imps, identity_grouping(imps, groups), groups)
    grouping = search_grouping(imps, groups, seed=seed)
    searched = kept_fraction(imps, grouping, groups)
    apply_grouping(encoder, grouping)
    return Permuted(_order(grouping.hidden), plain, searched)


@torch.no_grad()
def align_to_student(
    teacher: Encoder, student: Encoder, batches: list[tuple[torch.Tensor, torch.Tensor]]
) -> torch.Tensor:
    """Reorder the dense `teacher` (in place, same function) so its hidden channels and heads line
    up with a student cut from it in an order that was not kept, for distilling hidden states
    and attention again. The hidden order is read off the word tables (each student column is
    its teacher column after some training); each layer's head order off the attention maps.
    Returns the hidden order (new position -> old channel), for the heads on top."""
    s_words = F.normalize(student.word_embeddings.weight, dim=0)
    t_words = F.normalize(teacher.word_embeddings.weight, dim=0)
    _, hidden = linear_sum_assignment(-(s_words.T @ t_words).numpy())
    apply_orders(teacher, torch.from_numpy(hidden))
    kl = torch.zeros(teacher.cfg.layers, teacher.cfg.heads, teacher.cfg.heads, dtype=torch.float64)
    for ids, mask in batches:
        s_scores, t_scores = student(ids, mask)[1], teacher(ids, mask)[1]
        queries = mask.bool()
        for layer, (s, t) in enumerate(zip(s_scores, t_scores, strict=True)):
            s_log = s.log_softmax(-1).transpose(0, 1)[:, queries]  # [heads, tokens, keys]
            t_log = t.log_softmax(-1).transpose(0, 1)[:, queries]
            # kl[layer, i, j]: KL(teacher head j || student head i), summed over query tokens
            kl[layer] += torch.einsum("jtk,jtk->j", t_log.exp(), t_log)[None, :] - torch.einsum(
                "jtk,itk->ij", t_log.exp(), s_log
            )
    heads = [torch.from_numpy(linear_sum_assignment(cost.numpy())[1]) for cost in kl]
    apply_orders(teacher, torch.arange(teacher.cfg.hidden), heads)
    return torch.from_numpy(hidden)
