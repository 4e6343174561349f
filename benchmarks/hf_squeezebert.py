"""Peer (a): our weights in transformers' own SqueezeBERT classes, for the PyTorch pipeline.

Our Encoder is channels-last: a grouped projection is a Linear weight [out, in] of which only
the diagonal blocks count. transformers' SqueezeBERT keeps channels first and stores a grouped
Conv1d weight [out, in / groups, 1] holding exactly those blocks, so the mapping is lossless
(``encoder_difference`` measures it).

Heads: the QA head maps exactly (a Linear on every token). The classifier cannot: ours pools the
mean of the real tokens and has one Linear per task, while SqueezeBertForSequenceClassification
pools [CLS] through a dense+tanh pooler. The peer gets one classifier over both tasks' labels
(one pass serves both, as in ours) with our head weights and a freshly initialised pooler; its
latency is what matters here, and the two heads cost the same to within a 384x384 matvec.
"""

from __future__ import annotations

import torch
from transformers import (
    SqueezeBertConfig,
    SqueezeBertForQuestionAnswering,
    SqueezeBertForSequenceClassification,
)

from training.model import Classifier, Encoder, EncoderConfig, GroupedLinear, QuestionAnswerer


def hf_config(cfg: EncoderConfig, num_labels: int = 2) -> SqueezeBertConfig:
    return SqueezeBertConfig(
        vocab_size=cfg.vocab_size,
        hidden_size=cfg.hidden,
        embedding_size=cfg.hidden,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        intermediate_size=cfg.intermediate,
        max_position_embeddings=cfg.max_positions,
        type_vocab_size=cfg.type_vocab_size,
        q_groups=cfg.q_groups,
        k_groups=cfg.k_groups,
        v_groups=cfg.v_groups,
        post_attention_groups=cfg.post_attention_groups,
        intermediate_groups=cfg.intermediate_groups,
        output_groups=cfg.output_groups,
        layer_norm_eps=cfg.layer_norm_eps,
        hidden_act="gelu",
        num_labels=num_labels,
    )


def _conv(linear: GroupedLinear) -> torch.Tensor:
    """[out, in] with diagonal blocks -> Conv1d weight [out, in / groups, 1]."""
    if linear.groups == 1:
        return linear.weight.detach()[:, :, None].clone()
    return torch.cat(list(linear.blocks().detach()), dim=0)[:, :, None].clone()


def encoder_state(encoder: Encoder, prefix: str = "transformer.") -> dict[str, torch.Tensor]:
    """Our Encoder's weights under transformers' SqueezeBertModel names."""
    out = {
        "embeddings.word_embeddings.weight": encoder.word_embeddings.weight,
        "embeddings.position_embeddings.weight": encoder.position_embeddings.weight,
        "embeddings.token_type_embeddings.weight": encoder.token_type_embeddings.weight,
        "embeddings.LayerNorm.weight": encoder.embedding_norm.weight,
        "embeddings.LayerNorm.bias": encoder.embedding_norm.bias,
    }
    for i, layer in enumerate(encoder.layers):
        att, p = layer.attention, f"encoder.layers.{i}."
        convs = {
            "attention.query": att.query,
            "attention.key": att.key,
            "attention.value": att.value,
            "post_attention.conv1d": att.output,
            "intermediate.conv1d": layer.intermediate,
            "output.conv1d": layer.output,
        }
        for name, linear in convs.items():
            out[f"{p}{name}.weight"] = _conv(linear)
            out[f"{p}{name}.bias"] = linear.bias
        for name, norm in {
            "post_attention.layernorm": att.norm,
            "output.layernorm": layer.norm,
        }.items():
            out[f"{p}{name}.weight"] = norm.weight
            out[f"{p}{name}.bias"] = norm.bias
    return {prefix + k: v.detach().clone() for k, v in out.items()}


def hf_classifier(model: Classifier) -> SqueezeBertForSequenceClassification:
    """One SqueezeBERT classifier over the concatenated labels of all our heads."""
    heads = list(model.heads.values())
    cfg = model.encoder.cfg
    hf = SqueezeBertForSequenceClassification(hf_config(cfg, sum(h.out_features for h in heads)))
    state = encoder_state(model.encoder)
    state["classifier.weight"] = torch.cat([h.weight.detach() for h in heads])
    state["classifier.bias"] = torch.cat([h.bias.detach() for h in heads])
    missing, unexpected = hf.load_state_dict(state, strict=False)
    assert not unexpected and all(k.startswith("transformer.pooler.") for k in missing), missing
    return hf.eval()


def hf_qa(model: QuestionAnswerer) -> SqueezeBertForQuestionAnswering:
    """SqueezeBERT for QA with our encoder and our span head (exactly our model)."""
    hf = SqueezeBertForQuestionAnswering(hf_config(model.encoder.cfg))
    state = encoder_state(model.encoder)
    state["qa_outputs.weight"] = model.span.weight.detach().clone()
    state["qa_outputs.bias"] = model.span.bias.detach().clone()
    missing, unexpected = hf.load_state_dict(state, strict=False)
    assert not unexpected and all(k.startswith("transformer.pooler.") for k in missing), missing
    return hf.eval()


@torch.no_grad()
def encoder_difference(encoder: Encoder, hf_encoder: torch.nn.Module) -> float:
    """Max |ours - transformers'| over the last hidden state of real tokens, padded batch."""
    encoder.eval()
    encoder.set_alpha(0.0)
    ids = torch.randint(1000, 20000, (3, 40))
    mask = torch.ones_like(ids)
    mask[1, 30:] = 0
    mask[2, 11:] = 0
    types = torch.zeros_like(ids)
    types[:, 20:] = 1
    ours = encoder(ids, mask, types)[0][-1]
    theirs = hf_encoder(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
    keep = mask.bool()
    return float((ours[keep] - theirs[keep]).abs().max())
