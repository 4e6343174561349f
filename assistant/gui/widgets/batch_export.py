"""Exporting the batch window's rows: the file to write, asked for, and the writing, on a thread
of its own (50,000 rows take most of a second, which froze the window)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from assistant.batch_items import BatchRow
from assistant.batch_output import write_results

log = logging.getLogger(__name__)


def ask_export_path(parent: QWidget, source: Path, suffix: str) -> Path | None:
    """The file to export the results of ``source`` to, or None when the person changes their
    mind. It is proposed beside ``source``, named after it, where they will be looked for,
    however the file was chosen (a dropped one left the folder of the last file chosen). The
    save dialog adds the suffix itself, so that its "replace?" question is about the file that
    will be written (a name typed without one used to overwrite unasked)."""
    kind = "CSV (*.csv)" if suffix == ".csv" else "JSON (*.json)"
    proposed = source.with_name(f"{source.stem}-results{suffix}")
    dialog = QFileDialog(parent, "Export results", str(proposed), kind)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    if dialog.exec() and dialog.selectedFiles():
        return Path(dialog.selectedFiles()[0])
    return None


class BatchExport(QObject):
    """Writes rows to a file off the window's thread; ``written(path, rows, error or "")``
    follows on the window's thread, and only then is it no longer ``busy``."""

    written = Signal(str, int, str)
    _ended = Signal(str, int, str)  # from the export thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._ended.connect(self._on_ended)

    @property
    def busy(self) -> bool:
        """Whether a file is being written: the window must not close before it is whole."""
        return self._thread is not None

    def start(self, path: Path, rows: list[BatchRow]) -> None:
        """Write ``rows`` to ``path``; the format follows the suffix (``write_results``)."""
        thread = threading.Thread(
            target=self._write, args=(path, rows), name="batch-export", daemon=True
        )
        thread.start()
        self._thread = thread

    def _write(self, path: Path, rows: list[BatchRow]) -> None:
        """On the export thread: write, then always report back through a queued signal."""
        error = ""
        try:
            write_results(path, rows)
        except (OSError, ValueError) as exc:
            error = str(exc)
        except Exception:  # a bug: logged, and the window must not stay "Exporting…"
            log.exception("Exporting to %s failed", path)
            error = "The export failed unexpectedly; the log file has the details."
        try:
            self._ended.emit(str(path), len(rows), error)
        except RuntimeError:  # the app quit meanwhile (a second Ctrl+C): no window to tell
            log.info("Export to %s ended after its window closed", path)

    def _on_ended(self, path: str, rows: int, error: str) -> None:
        self._thread = None
        self.written.emit(path, rows, error)
