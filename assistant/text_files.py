"""A user's file (or standard input) as text: one rule for the editor and the CLI.

UTF-8, with or without a byte order mark, and UTF-16 with one (Windows Notepad's "Unicode").
NUL bytes mean a document or a program (a PDF, a Word file), not text. Batch files use the same
sniffing (``byte_kind``) but, read line by line, refuse UTF-16.
"""

from __future__ import annotations


def byte_kind(head: bytes) -> str:
    """ "utf-16" (a byte order mark says so), "binary" (NUL bytes: a PDF, a program) or "text"."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "binary" if b"\x00" in head else "text"


def decode_text(data: bytes, name: str) -> tuple[str, bool]:
    """The text, and whether some bytes were not valid in its encoding (each became U+FFFD).

    Raises ValueError, worded for a person, for a binary file.
    """
    kind = byte_kind(data)
    if kind == "binary":
        raise ValueError(f"{name} is not a text file (a PDF or Word file, say): save it as text.")
    encoding = "utf-16" if kind == "utf-16" else "utf-8-sig"
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), True
