"""A batch file holding no texts, told when it is chosen rather than only once it has run."""

from __future__ import annotations

from pathlib import Path

from assistant.batch_files import read_items

NO_TEXTS_CHECK_BYTES = 16 * 1024
"""A chosen file up to this size is read through at once to see whether it holds any text at
all (an empty file said "Ready to run.", and only Run said it held none): at worst 16 KiB of
blank lines, some 40 ms. A bigger file is read only by the run, off this thread, which says so."""


def holds_no_texts(path: Path) -> bool:
    """Whether running ``path`` would surely find no texts: it is empty, or small and holds no
    item (only blank lines, or a CSV header alone). False when unsure; the run tells then."""
    try:
        size = path.stat().st_size
        if size > NO_TEXTS_CHECK_BYTES:
            return False
        return size == 0 or next(read_items(path), None) is None  # stops at the first item
    except (OSError, ValueError):
        return False


def no_texts_warning(path: Path) -> str:
    """Said when ``path`` is chosen, when Run finds it still empty, and when a run read none."""
    return f"⚠ {path.name} holds no texts to analyse."
