"""Tokenizer loading and padded model inputs; ``tokenizers`` only, never ``transformers``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tokenizers import Encoding, Tokenizer


def load_tokenizer(path: Path) -> Tokenizer:
    """Load ``tokenizer.json`` with padding and truncation off; each task sets its own."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def pad_id(tokenizer: Tokenizer) -> int:
    """The padding id: ``[PAD]`` when the vocabulary has it, else 0 (masked out anyway)."""
    token_id = tokenizer.token_to_id("[PAD]")
    return 0 if token_id is None else token_id


def unknown_id(tokenizer: Tokenizer) -> int | None:
    """The id of ``[UNK]``, all the vocabulary has for emoji and most symbols (None: no such)."""
    return tokenizer.token_to_id("[UNK]")


def reads_a_word(encoding: Encoding, unknown: int | None, sequence: int | None = None) -> bool:
    """Whether the model sees anything but ``[UNK]`` in ``encoding`` or the parts truncation
    cut off (in one ``sequence`` of a pair, if given): a text of emoji or symbols alone is
    ``[UNK]`` only, and the model would still give it a confident label."""
    return unknown is None or any(
        token != unknown
        for part in (encoding, *encoding.overflowing)
        for token, special, which in zip(
            part.ids, part.special_tokens_mask, part.sequence_ids, strict=True
        )
        if not special and (sequence is None or which == sequence)
    )


def to_arrays(encodings: Sequence[Encoding], padding_id: int) -> dict[str, np.ndarray]:
    """Stack encodings into int64 ``[batch, longest]`` arrays (dynamic padding to this batch)."""
    width = max(len(encoding.ids) for encoding in encodings)
    shape = (len(encodings), width)
    input_ids = np.full(shape, padding_id, dtype=np.int64)
    attention_mask = np.zeros(shape, dtype=np.int64)
    token_type_ids = np.zeros(shape, dtype=np.int64)
    for row, encoding in enumerate(encodings):
        length = len(encoding.ids)
        input_ids[row, :length] = encoding.ids
        attention_mask[row, :length] = encoding.attention_mask
        token_type_ids[row, :length] = encoding.type_ids
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "token_type_ids": token_type_ids,
    }
