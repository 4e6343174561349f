"""SqueezeBERT-shaped encoder in the MiniLM shape, trainable from the dense MiniLM weights.

Layout is channels-last ([batch, seq, hidden]) so every grouped 1x1 convolution of SqueezeBERT is
a grouped linear map. `GroupedLinear.alpha` fades the off-diagonal blocks from the dense teacher
(alpha=1) to true SqueezeBERT (alpha=0); at alpha=0 only the diagonal blocks are computed, and the
ONNX export writes one MatMul per group (int8-friendly, no ConvInteger, no layout transposes).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class EncoderConfig:
    vocab_size: int = 30522
    hidden: int = 384
    layers: int = 6
    heads: int = 12
    intermediate: int = 1536
    max_positions: int = 512
    type_vocab_size: int = 2
    q_groups: int = 4
    k_groups: int = 4
    v_groups: int = 4
    post_attention_groups: int = 1
    intermediate_groups: int = 4
    output_groups: int = 4
    layer_norm_eps: float = 1e-12
    dropout: float = 0.1

    def architecture(self) -> dict[str, object]:
        """The architecture numbers written into a bundle's config.json."""
        keys = ("layers", "hidden", "heads", "intermediate", "q_groups", "k_groups", "v_groups")
        keys += ("post_attention_groups", "intermediate_groups", "output_groups")
        return {"type": "squeezebert"} | {k: asdict(self)[k] for k in keys}


def block_mask(d_out: int, d_in: int, groups: int) -> torch.Tensor:
    """1 on the diagonal blocks that a grouped convolution keeps, 0 elsewhere."""
    rows = torch.arange(d_out) // (d_out // groups)
    cols = torch.arange(d_in) // (d_in // groups)
    return (rows[:, None] == cols[None, :]).float()


class GroupedLinear(nn.Module):
    """A linear map restricted to `groups` diagonal blocks (SqueezeBERT's grouped 1x1 conv)."""

    def __init__(self, d_in: int, d_out: int, groups: int) -> None:
        super().__init__()
        self.groups = groups
        self.weight = nn.Parameter(torch.empty(d_out, d_in))
        self.bias = nn.Parameter(torch.zeros(d_out))
        self.register_buffer("mask", block_mask(d_out, d_in, groups), persistent=False)
        self.alpha = 0.0
        self.export_blocks: nn.ParameterList | None = None
        nn.init.normal_(self.weight, std=0.02)

    def blocks(self) -> torch.Tensor:
        """Diagonal blocks as [groups, out/groups, in/groups]."""
        g = self.groups
        o, i = self.weight.shape[0] // g, self.weight.shape[1] // g
        return torch.stack(
            [self.weight[k * o : (k + 1) * o, k * i : (k + 1) * i] for k in range(g)]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.groups == 1 or self.alpha >= 1.0:
            return F.linear(x, self.weight, self.bias)
        if self.alpha > 0.0:
            kept = self.mask + self.alpha * (1.0 - self.mask)
            return F.linear(x, self.weight * kept, self.bias)
        if self.export_blocks is not None:
            return self._per_group_matmuls(x)
        blocks = self.blocks()
        xs = x.reshape(*x.shape[:-1], self.groups, x.shape[-1] // self.groups)
        y = torch.einsum("...gi,goi->...go", xs, blocks)
        return y.reshape(*x.shape[:-1], -1) + self.bias

    def freeze_for_export(self) -> None:
        """Store each diagonal block transposed, so the graph holds one constant per MatMul."""
        blocks = [nn.Parameter(b.t().contiguous()) for b in self.blocks().detach()]
        self.export_blocks = nn.ParameterList(blocks)

    def _per_group_matmuls(self, x: torch.Tensor) -> torch.Tensor:
        """One MatMul per group: what dynamic int8 quantization turns into MatMulInteger."""
        assert self.export_blocks is not None
        chunks = torch.split(x, x.shape[-1] // self.groups, dim=-1)
        outs = [chunk @ block for chunk, block in zip(chunks, self.export_blocks, strict=True)]
        return torch.cat(outs, dim=-1) + self.bias


class Attention(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        h = cfg.hidden
        self.heads = cfg.heads
        self.query = GroupedLinear(h, h, cfg.q_groups)
        self.key = GroupedLinear(h, h, cfg.k_groups)
        self.value = GroupedLinear(h, h, cfg.v_groups)
        self.output = GroupedLinear(h, h, cfg.post_attention_groups)
        self.norm = nn.LayerNorm(h, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, s, h = x.shape
        return x.view(b, s, self.heads, h // self.heads).transpose(1, 2)

    def forward(
        self, x: torch.Tensor, mask_bias: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask_bias
        probs = self.dropout(scores.softmax(-1))
        context = (probs @ v).transpose(1, 2).reshape(x.shape)
        return self.norm(x + self.dropout(self.output(context))), scores


class Layer(nn.Module):
    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.attention = Attention(cfg)
        self.intermediate = GroupedLinear(cfg.hidden, cfg.intermediate, cfg.intermediate_groups)
        self.output = GroupedLinear(cfg.intermediate, cfg.hidden, cfg.output_groups)
        self.norm = nn.LayerNorm(cfg.hidden, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(
        self, x: torch.Tensor, mask_bias: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        x, scores = self.attention(x, mask_bias)
        ffn = self.output(F.gelu(self.intermediate(x)))
        return self.norm(x + self.dropout(ffn)), scores


class Encoder(nn.Module):
    """Embeddings + SqueezeBERT layers; returns all hidden states and attention scores."""

    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden)
        self.embedding_norm = nn.LayerNorm(cfg.hidden, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.dropout)
        self.layers = nn.ModuleList(Layer(cfg) for _ in range(cfg.layers))

    def grouped_linears(self) -> list[GroupedLinear]:
        return [m for m in self.modules() if isinstance(m, GroupedLinear) and m.groups > 1]

    def set_alpha(self, alpha: float) -> None:
        for module in self.grouped_linears():
            module.alpha = alpha

    def freeze_for_export(self) -> None:
        for module in self.grouped_linears():
            module.freeze_for_export()

    def embed(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None
    ) -> torch.Tensor:
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None, :]
        x = (
            self.word_embeddings(input_ids)
            + self.position_embeddings(positions)
            + self.token_type_embeddings(token_type_ids)
        )
        return self.dropout(self.embedding_norm(x))

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
    ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        x = self.embed(input_ids, token_type_ids)
        mask_bias = attention_bias(attention_mask, x.dtype)
        hidden, scores = [x], []
        for layer in self.layers:
            x, layer_scores = layer(x, mask_bias)
            hidden.append(x)
            scores.append(layer_scores)
        return hidden, scores


def attention_bias(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Additive score bias that hides padding keys from every query."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * -10000.0


def masked_mean(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens: the pooling all-MiniLM-L6-v2 was trained with."""
    mask = attention_mask[..., None].to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


class Classifier(nn.Module):
    """One encoder, a linear head per task on the mean-pooled last layer (one pass, all heads)."""

    def __init__(self, cfg: EncoderConfig, heads: dict[str, int]) -> None:
        super().__init__()
        self.encoder = Encoder(cfg)
        self.dropout = nn.Dropout(cfg.dropout)
        self.heads = nn.ModuleDict({name: nn.Linear(cfg.hidden, n) for name, n in heads.items()})

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        return self.with_internals(input_ids, attention_mask)[0]

    def with_internals(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[dict[str, torch.Tensor], tuple[list[torch.Tensor], list[torch.Tensor]]]:
        """Logits per head, plus the encoder's hidden states and attention scores."""
        internals = self.encoder(input_ids, attention_mask)
        pooled = self.dropout(masked_mean(internals[0][-1], attention_mask))
        return {name: head(pooled) for name, head in self.heads.items()}, internals


class QuestionAnswerer(nn.Module):
    """Start/end logits per token, as in BERT for SQuAD."""

    def __init__(self, cfg: EncoderConfig) -> None:
        super().__init__()
        self.encoder = Encoder(cfg)
        self.span = nn.Linear(cfg.hidden, 2)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        start, end, _ = self.with_internals(input_ids, attention_mask, token_type_ids)
        return start, end

    def with_internals(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, tuple[list[torch.Tensor], list[torch.Tensor]]]:
        """Start and end logits, plus the encoder's hidden states and attention scores."""
        internals = self.encoder(input_ids, attention_mask, token_type_ids)
        logits = self.span(internals[0][-1])
        return logits[..., 0], logits[..., 1], internals
