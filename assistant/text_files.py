"""A user's file (or standard input) as text: one rule for the editor, the CLI and batch files.

UTF-8, with or without a byte order mark, and UTF-16 with one (Windows Notepad's "Unicode") or
without one when its NUL bytes and characters say so; other NUL bytes mean a document or a
program (a PDF, a Word file), not text. A line that is not UTF-8 but looks like Western
European text is read as Windows-1252 (``decode_line``): what Excel's "CSV (Comma delimited)"
and Notepad's "ANSI" write on a Western European Windows, where every accented word would
otherwise be lost. Batch files use the same rules but are read line by line
(``decoded_lines``), so that a file of any size streams.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from assistant.batch_items import BatchFileError
from assistant.wording import plural

SNIFF_BYTES = 65_536
"""Bytes looked at to tell UTF-16 without a byte order mark from a binary file."""
UTF16_NUL_SHARE = 0.9
"""Share of the high bytes that must be NUL for UTF-16 without a byte order mark (mostly Latin
text: every other byte NUL). Text never holds U+0000, so a NUL pair means a binary file."""


def byte_kind(head: bytes) -> str:
    """ "utf-16", "utf-16-le" or "utf-16-be" (a byte order mark says so, or the NULs of Latin
    text in UTF-16, or lines of another script read in pairs), "binary" (other NUL bytes: a
    PDF, a program) or "text"."""
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
    sample = head[: 2 * pairs]
    if not _decodes(sample, "utf-8"):  # else a UTF-8 file with a stray NUL
        for kind in ("utf-16-le", "utf-16-be"):
            if _is_lines(_decodes(sample, kind)):
                return kind
    return "binary"


def _decodes(sample: bytes, encoding: str) -> str:
    """The sample's text in `encoding`, or "" where it is not valid; a character cut at the
    sample's end is left out."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample)
    except UnicodeDecodeError:
        return ""


def _is_lines(text: str) -> bool:
    """Whether text reads as lines of printable characters: what UTF-16 without a mark that is
    mostly not Latin (Chinese, say, with NULs only beside spaces, digits and line breaks) gives,
    and a text file with a stray NUL rarely does: read in pairs, its ", " and "e " become
    format and unassigned characters, and a line break seldom falls into place."""
    has_break = "\n" in text or "\r" in text
    return has_break and all(
        char.isprintable() or char.isspace() or char in _JOINERS for char in text
    )  # isspace: the ideographic space that indents Chinese and Japanese paragraphs


_JOINERS = "\u200c\u200d\u200e\u200f"
"""Format characters of ordinary text: the (non-)joiners inside emoji and Indic words, and the
direction marks of mixed Arabic or Hebrew."""


LEGACY_ENCODING = "cp1252"
_UTF8_EVIDENCE = re.compile("[\u0080-\u00ff\u0800-\ufffc\ufffe-\U0010ffff]")  # not U+FFFD
"""Characters a UTF-8 line holds and Windows-1252 text almost never forms by accident: Latin-1
letters (a UTF-8 "é" is "Ã©" in Windows-1252) and 3- or 4-byte characters. The accidental pairs
of Windows-1252 text ("ß”" is U+07D4) fall between."""
_HIGH_RUN = re.compile(rb"[\x80-\xff]{4,}")
"""Four bytes above 127 in a row: not a Western European letter or mark between plain text
(Chinese GBK or Japanese Shift-JIS, say), so not Windows-1252."""


class Line(NamedTuple):
    """One decoded line: its text, whether it was read without loss, and whether as
    Windows-1252 (so that the person can be told, should the guess be wrong)."""

    text: str
    ok: bool
    legacy: bool = False


class Decoded(NamedTuple):
    """A whole file's text, whether some bytes became U+FFFD, and how many of its lines were
    read as Windows-1252."""

    text: str
    damaged: bool
    legacy_lines: int = 0


def decode_line(raw: bytes, utf8_only: bool = False) -> Line:
    """One line as text, and whether it was read without loss. A line that is not UTF-8 is
    Windows-1252 when its bytes above 127 look like Western European letters and marks and none
    of them forms a UTF-8 letter (_UTF8_EVIDENCE, _HIGH_RUN); otherwise, or in a file that
    starts with a UTF-8 byte order mark (``utf8_only``), it is damaged UTF-8, its bad bytes
    shown as U+FFFD and reported rather than garbled. Decided line by line, so that one stray
    byte does not turn a whole UTF-8 file into Windows-1252, nor a first page of plain ASCII
    decide for the rest."""
    try:
        return Line(raw.decode("utf-8"), True)
    except UnicodeDecodeError:
        pass
    as_utf8 = raw.decode("utf-8", errors="replace")
    if utf8_only or _UTF8_EVIDENCE.search(as_utf8) or _HIGH_RUN.search(raw):
        return Line(as_utf8, False)
    try:
        return Line(raw.decode(LEGACY_ENCODING), True, legacy=True)
    except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined
        return Line(raw.decode(LEGACY_ENCODING, errors="replace"), False, legacy=True)


def not_text(name: str) -> str:
    """The one wording for a binary file, whether opened into the text box or as a batch."""
    return f"{name} is not a text file (a PDF or Word file, say): save it as text."


def decode_text(data: bytes, name: str) -> Decoded:
    """The text, whether some bytes were not valid in its encoding (each became U+FFFD), and
    how many lines were read as Windows-1252.

    Raises ValueError, worded for a person, for a binary file.
    """
    kind = byte_kind(data)
    if kind == "binary":
        raise ValueError(not_text(name))
    if kind != "text":
        try:
            return Decoded(data.decode(kind), False)
        except UnicodeDecodeError:
            return Decoded(data.decode(kind, errors="replace"), True)
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return Decoded(body.decode("utf-8"), False)
    except UnicodeDecodeError:
        marked = len(body) < len(data)
        lines = [decode_line(raw, marked) for raw in body.splitlines(keepends=True)]
        return Decoded(
            "".join(line.text for line in lines),
            not all(line.ok for line in lines),
            sum(line.legacy for line in lines),
        )


def legacy_note(name: str, decoded: Decoded) -> str | None:
    """What to tell the person when some lines were guessed to be Windows-1252."""
    if not decoded.legacy_lines:
        return None
    count = decoded.legacy_lines
    verb = "was" if count == 1 else "were"
    return (
        f"{plural(count, 'line')} of {name} {verb} not UTF-8 and {verb} read as Windows-1252"
        " (Western European); if accents look wrong, save the file as UTF-8."
    )


def cannot_read(name: str | Path, exc: OSError) -> str:
    """Why a file cannot be read, in the same words wherever it is read (a batch, ``ask
    --context``)."""
    if isinstance(exc, FileNotFoundError):
        return f"No such file: {name}"
    if isinstance(exc, IsADirectoryError):
        return not_a_file(name)
    return f"Cannot read {name}: {exc.strerror or exc}"


def not_a_file(name: str | Path) -> str:
    """A folder named where a file belongs, found when opened or before (a batch checks it)."""
    return f"{name} is a folder, not a file."


def check_readable(path: Path) -> str:
    """Fail early, in words, for a missing, unreadable or binary batch file; else its kind
    (``byte_kind``: "text" or a UTF-16 encoding)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise BatchFileError(cannot_read(path, exc)) from None
    kind = byte_kind(head)
    if kind == "binary":
        raise BatchFileError(not_text(path.name))
    return kind


_UNREAD = "\udcff"
"""Stands for bytes UTF-16 cannot read: decoded UTF-16 never holds a lone surrogate, while a
U+FFFD (what ``errors="replace"`` gives) may be in the text itself."""
_UNREAD_UTF16 = "squeeze-assistant-unread"


def _mark_unread(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler that puts ``_UNREAD`` where UTF-16 bytes cannot be read."""
    assert isinstance(error, UnicodeDecodeError)  # registered for decoding only
    return _UNREAD, error.end


codecs.register_error(_UNREAD_UTF16, _mark_unread)


def decoded_lines(path: Path) -> Iterator[tuple[str, str | None]]:
    """Yield (line, damaged) per physical line of a batch file, UTF-8 or Windows-1252
    (``decode_line``), so that a file of any size streams; a line with bytes neither reads
    comes with the file's encoding as ``damaged`` ("UTF-8", "UTF-16"), else None, so that its
    error names the encoding the file was read in. A line ends at LF, CRLF or a lone CR (old
    Mac and Excel for Mac files). A UTF-16 file (Notepad's "Unicode", which the text box opens
    too) streams as such: its lines are whole only once decoded."""
    kind = check_readable(path)
    try:
        if kind != "text":
            with path.open(encoding=kind, errors=_UNREAD_UTF16, newline="") as text_stream:
                for text in text_stream:  # newline="": split at LF, CRLF or CR, kept as written
                    yield text.replace(_UNREAD, "\ufffd"), "UTF-16" if _UNREAD in text else None
            return
        with path.open("rb") as stream:
            marked = False  # a UTF-8 byte order mark: every line is UTF-8, damaged or not
            for number, chunk in enumerate(stream):
                if number == 0 and chunk.startswith(b"\xef\xbb\xbf"):
                    chunk, marked = chunk[3:], True
                for raw in chunk.splitlines(keepends=True):
                    line = decode_line(raw, marked)
                    yield line.text, None if line.ok else "UTF-8"
    except OSError as exc:  # gone or unreadable since the check, a disk error mid-file
        raise BatchFileError(cannot_read(path, exc)) from None
