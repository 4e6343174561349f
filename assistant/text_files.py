"""A user's file (or standard input) as text: one rule for the editor and the CLI.

UTF-8, with or without a byte order mark, and UTF-16 with one (Windows Notepad's "Unicode") or
without one when its NUL bytes say so. Other NUL bytes mean a document or a program (a PDF, a
Word file), not text. Batch files use the same sniffing (``byte_kind``) but, read line by line,
refuse UTF-16.
"""

from __future__ import annotations

UTF16_NUL_SHARE = 0.9
"""Share of the high bytes that must be NUL for UTF-16 without a byte order mark (mostly Latin
text: every other byte NUL)..."""
UTF16_LOW_NUL_SHARE = 0.02
"""...and the most of the low bytes that may be (U+2500, U+4E00: a few characters end in 00);
a binary file has NULs at both places."""


def byte_kind(head: bytes) -> str:
    """ "utf-16", "utf-16-le" or "utf-16-be" (a byte order mark, or the NULs of Latin text
    in UTF-16, say so), "binary" (other NUL bytes: a PDF, a program) or "text"."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" not in head:
        return "text"
    pairs = len(head) // 2
    even_nuls, odd_nuls = head[: 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    high, low = UTF16_NUL_SHARE * pairs, UTF16_LOW_NUL_SHARE * pairs
    if pairs and odd_nuls >= high and even_nuls <= low:
        return "utf-16-le"
    if pairs and even_nuls >= high and odd_nuls <= low:
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
