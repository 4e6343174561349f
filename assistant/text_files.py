"""A user's file (or standard input) as text: one rule for the editor and the CLI.

UTF-8, with or without a byte order mark, and UTF-16 with one (Windows Notepad's "Unicode") or
without one when its NUL bytes say so. Other NUL bytes mean a document or a program (a PDF, a
Word file), not text. Batch files use the same sniffing (``byte_kind``) but, read line by line,
refuse UTF-16.
"""

from __future__ import annotations

SNIFF_BYTES = 65_536
"""Bytes looked at to tell UTF-16 without a byte order mark from a binary file."""
UTF16_NUL_SHARE = 0.9
"""Share of the high bytes that must be NUL for UTF-16 without a byte order mark (mostly Latin
text: every other byte NUL). Text never holds U+0000, so a NUL pair means a binary file."""


def byte_kind(head: bytes) -> str:
    """ "utf-16", "utf-16-le" or "utf-16-be" (a byte order mark, or the NULs of Latin text
    in UTF-16, say so), "binary" (other NUL bytes: a PDF, a program) or "text"."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" not in head:
        return "text"
    pairs = min(len(head), SNIFF_BYTES) // 2  # a sample: the editor passes whole files
    low, high = head[: 2 * pairs : 2], head[1 : 2 * pairs : 2]
    if not pairs or any(a == b == 0 for a, b in zip(low, high, strict=True)):
        return "binary"
    if high.count(0) >= UTF16_NUL_SHARE * pairs:
        return "utf-16-le"
    if low.count(0) >= UTF16_NUL_SHARE * pairs:
        return "utf-16-be"
    return "binary"


def decode_text(data: bytes, name: str) -> tuple[str, bool]:
    """The text, and whether some bytes were not valid in its encoding (each became U+FFFD).

    Raises ValueError, worded for a person, for a binary file.
    """
    kind = byte_kind(data)
    if kind == "binary":
        raise ValueError(f"{name} is not a text file (a PDF or Word file, say): save it as text.")
    encoding = "utf-8-sig" if kind == "text" else kind
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True
