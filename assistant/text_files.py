"""A user's file (or standard input) as text: one rule for the editor and the CLI.

UTF-8, with or without a byte order mark, and UTF-16 with one (Windows Notepad's "Unicode") or
without one when its NUL bytes say so. A file whose bytes above 127 never form UTF-8 is read as
Windows-1252: what Excel's "CSV (Comma delimited)" and Notepad's "ANSI" write on a Western
European Windows, where every accented word would otherwise be lost. Other NUL bytes mean a
document or a program (a PDF, a Word file), not text. Batch files use the same sniffing
(``byte_kind``, ``text_encoding``) but, read line by line, refuse UTF-16.
"""

from __future__ import annotations

import re

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


LEGACY_ENCODING = "cp1252"
_NOT_ASCII_OR_REPLACED = re.compile("[^\x00-\x7f\ufffd]")


def text_encoding(sample: bytes) -> str:
    """ "utf-8", or LEGACY_ENCODING when the sample is not UTF-8 and none of its bytes above 127
    form a UTF-8 character (one that does means a UTF-8 file with a damaged line)."""
    cut = sample.rfind(b"\n")
    sample = sample[: cut + 1] if cut >= 0 else sample  # whole lines: no character cut short
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        decoded = sample.decode("utf-8", errors="replace")
        if not _NOT_ASCII_OR_REPLACED.search(decoded):
            return LEGACY_ENCODING
    return "utf-8"


def decode_text(data: bytes, name: str) -> tuple[str, bool]:
    """The text, and whether some bytes were not valid in its encoding (each became U+FFFD).

    Raises ValueError, worded for a person, for a binary file.
    """
    kind = byte_kind(data)
    if kind == "binary":
        raise ValueError(f"{name} is not a text file (a PDF or Word file, say): save it as text.")
    encoding = kind
    if kind == "text":
        encoding = "utf-8-sig" if text_encoding(data[:SNIFF_BYTES]) == "utf-8" else LEGACY_ENCODING
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True
