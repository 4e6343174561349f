"""Batch analysis of a .txt/.csv/.tsv/.jsonl file: progress, time left, Cancel, table, chart,
export.

The work runs on the inference worker, and an export on a thread of its own; this dialog only
shows what they report.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from assistant.batch_columns import default_column
from assistant.batch_files import list_columns, read_items
from assistant.batch_items import BatchRow
from assistant.batch_output import same_file, write_results
from assistant.batch_summary import BatchSummary
from assistant.gui.announce import announce
from assistant.gui.screen_fit import fit_to_screen
from assistant.gui.settings import Settings
from assistant.gui.widgets.batch_chart import BatchChart
from assistant.gui.widgets.batch_table import BatchTableModel, BatchTableView, column_of
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.gui.wording import duration
from assistant.gui.workers import BatchJob, InferenceService
from assistant.script_check import batch_caveat
from assistant.wording import plural

log = logging.getLogger(__name__)

INPUT_FILTER = "Texts (*.txt *.csv *.tsv *.jsonl);;All files (*)"

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


class BatchDialog(QDialog):
    """``export_finished(written)`` when an export started by ``export`` has ended."""

    export_finished = Signal(bool)
    _written = Signal(str, int, str)  # from the export thread: path, rows, error or ""

    def __init__(
        self, service: InferenceService, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Batch analysis")
        fit_to_screen(self, 900, 640)
        self._service = service
        self._settings = settings
        self._path: Path | None = None
        self._source: Path | None = None  # the file the rows in the table came from
        self._started = 0.0
        self._summary = BatchSummary()
        self.running = False
        self._exported = True  # nothing to lose yet
        self._export: threading.Thread | None = None  # writing a file, off this thread
        self._export_button: QPushButton | None = None  # the one it was started from
        self.closing_after_export = False  # asked to close: it will, once the file is whole

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setAccessibleName("File to analyse")
        self.file_edit.setPlaceholderText("A .txt file (one text per line), .csv, .tsv or .jsonl")
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        self.column_combo = QComboBox()
        self.column_combo.setAccessibleName("Column or field holding the text")
        self.column_combo.setEnabled(False)  # until a file with columns is chosen
        self.sentiment_box = QCheckBox("&Sentiment")
        self.intent_box = QCheckBox("&Intent")
        for box in (self.sentiment_box, self.intent_box):
            box.setChecked(True)
            box.toggled.connect(self._update_buttons)

        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit)
        file_row.addWidget(self.choose_button)
        tasks_row = QHBoxLayout()
        tasks_row.addWidget(self.sentiment_box)
        tasks_row.addWidget(self.intent_box)
        tasks_row.addStretch()
        form = QFormLayout()
        # Alt+letter reaches each row (the column box was only reachable by Tab); the letters
        # are none of the buttons': C, S, I, R, N, V, J.
        for text, buddy, row in (
            ("&File:", self.file_edit, file_row),
            ("C&olumn:", self.column_combo, self.column_combo),
            ("&Tasks:", self.sentiment_box, tasks_row),
        ):
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, row)

        self.run_button = QPushButton("&Run")  # not the default: Return would run it again
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Ca&ncel")
        self.cancel_button.setAccessibleName("Cancel the batch")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Batch progress")
        self.progress.setTextVisible(False)  # white on the fill read 1.9:1 in a dark theme;
        # the line beside it says how many texts are done
        self.progress.setVisible(False)  # empty, it looks like a text box to fill in
        self.status = QLabel()
        self.status.setAccessibleDescription("Batch status")
        self.status.setWordWrap(True)
        self.script_notice = NoticeBanner("Language warning")
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.chart = BatchChart()
        self.chart.setVisible(False)  # titles over nothing until the first rows
        self.model = BatchTableModel()
        self.table = BatchTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Batch results")
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setMinimumHeight(4 * rows.defaultSectionSize())  # a header and three rows
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)  # the headers, any font
        char = self.fontMetrics().averageCharWidth()
        for field, chars in (("text", 40), ("intent", 18), ("intent_domain", 17)):
            self.table.setColumnWidth(column_of(field), chars * char)

        self.export_csv_button = QPushButton("Export CS&V…")
        self.export_csv_button.clicked.connect(lambda: self.choose_export(".csv"))
        self.export_json_button = QPushButton("Export &JSON…")
        self.export_json_button.clicked.connect(lambda: self.choose_export(".json"))
        close_button = QPushButton("Close")
        close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_csv_button)
        bottom.addWidget(self.export_json_button)
        bottom.addStretch()
        bottom.addWidget(close_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.script_notice)
        results = QSplitter(Qt.Orientation.Vertical)
        results.setChildrenCollapsible(False)
        results.addWidget(self.chart)
        results.addWidget(self.table)
        results.setStretchFactor(1, 1)
        layout.addWidget(results, 1)
        # A large font on a small screen (24 pt at 200%) made the dialog taller than the screen,
        # its buttons out of reach: the page scrolls instead, the buttons stay below it.
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # an invisible Tab stop otherwise
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(bottom)

        service.batch_progress.connect(self._on_progress)
        service.batch_rows.connect(self._on_rows)
        service.batch_finished.connect(self._on_finished)
        self._written.connect(self._on_written)
        self._update_buttons()
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.choose_button.setFocus()

    def tasks(self) -> tuple[str, ...]:
        boxes = (("sentiment", self.sentiment_box), ("intent", self.intent_box))
        return tuple(task for task, box in boxes if box.isChecked())

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Choose a file to analyse", self._settings.last_folder(), INPUT_FILTER
        )
        if name:
            self._settings.set_value(Settings.Key.LAST_FOLDER, str(Path(name).parent))
            self.set_file(Path(name))

    def set_file(self, path: Path) -> bool:
        """Pick the input file and offer its columns; a file that cannot be read says why, and
        one holding no texts says so at once, yet stays runnable: it may be filled before Run,
        which looks again."""
        self.column_combo.clear()
        try:
            columns = list_columns(path)
        except (OSError, ValueError) as exc:
            self._path = None
            self.column_combo.setEnabled(False)
            self.file_edit.clear()  # the file named in the warning is not the one chosen
            self.status.setText(f"⚠ {exc}")
            self._update_buttons()
            return False
        self._path = path
        self.file_edit.setText(str(path))
        self.column_combo.addItems(columns)
        if columns:
            self.column_combo.setCurrentText(default_column(columns))
        self.column_combo.setEnabled(bool(columns))  # a header alone still names them
        if holds_no_texts(path):
            self.status.setText(no_texts_warning(path))
        else:
            self.status.setText(
                "Choose the column with the text, then Run." if columns else "Ready to run."
            )
        self._update_buttons()
        return True

    def run(self) -> None:
        """Start the batch; the file is looked at again (it may have been filled or emptied
        since it was chosen, and is at most 16 KiB when this reads it through)."""
        if self._path is None or self.running or not self.tasks():
            return
        if holds_no_texts(self._path):
            self.status.setText(no_texts_warning(self._path))
            announce(self, self.status.text(), urgent=True)
            return
        if not self._may_discard():
            return
        self._exported = False
        self._source = self._path
        column = self.column_combo.currentIndex() if self.column_combo.count() else None
        self.model.clear()
        self._summary = BatchSummary()
        self.chart.show_summary(self._summary)
        self.script_notice.show_notice(None)
        self.running = True
        self._started = time.monotonic()
        self.chart.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(self._service.waiting_note() or "Counting the texts…")
        run_had_focus = self.focusWidget() is self.run_button
        self._update_buttons()
        if run_had_focus:  # not the next widget Qt would pick, the results table
            self.cancel_button.setFocus()
        self._service.submit_batch(BatchJob(self._path, column, self.tasks()))

    def cancel(self) -> None:
        if self.running:
            self.status.setText("Cancelling…")
            self._service.cancel_batch()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        elapsed = time.monotonic() - self._started
        text = f"{done:,} of {plural(total, 'text')}"
        left = elapsed / done * (total - done) if done else 0.0
        if left >= 1:
            text += f" · about {duration(left)} left"
        self.status.setText(text)

    def _on_rows(self, rows: list) -> None:
        self.model.add_rows(rows)
        for row in rows:
            self._summary.add(row)
        self.chart.show_summary(self._summary)
        self.chart.setVisible(self.chart.has_counts())
        self.script_notice.show_notice(batch_caveat(self._summary.other_script))

    def _on_finished(self, cancelled: bool, error: str) -> None:
        self.running = False
        rows = len(self.model.rows)
        elapsed = duration(time.monotonic() - self._started)
        if error:
            self.status.setText(f"⚠ {error}")
        elif cancelled:
            self.status.setText(f"Cancelled after {plural(rows, 'text')} ({elapsed}).")
        elif rows == 0 and self._path is not None:
            self.status.setText(no_texts_warning(self._path))
        else:
            failed = len(self._summary.errors)
            problems = f"; {failed:,} could not be analysed (see Problem)" if failed else ""
            self.status.setText(f"Done: {plural(rows, 'text')} in {elapsed}{problems}.")
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        cancel_had_focus = self.focusWidget() is self.cancel_button
        self._update_buttons()
        if cancel_had_focus:
            enabled = self.export_csv_button.isEnabled()
            (self.export_csv_button if enabled else self.run_button).setFocus()
        announce(self, self.status.text(), urgent=self.status.text().startswith("⚠"))

    def choose_export(self, suffix: str) -> None:
        """The save dialog adds the suffix itself, so that its "replace?" question is about
        the file that will be written (a name typed without one used to overwrite unasked)."""
        kind = "CSV (*.csv)" if suffix == ".csv" else "JSON (*.json)"
        start = str(Path(self._settings.last_folder()) / f"results{suffix}")
        dialog = QFileDialog(self, "Export results", start, kind)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        if dialog.exec() and dialog.selectedFiles():
            self.export(Path(dialog.selectedFiles()[0]))

    def export(self, path: Path) -> bool:
        """Start writing the table's rows; the format follows the suffix (.csv or .json; in a
        CSV a text starting like a formula gets a leading apostrophe, ``write_rows``). On a
        thread of its own: 50,000 rows take most of a second, which froze the window.
        False when refused at once (a file being analysed); else ``export_finished`` follows."""
        if any(same_file(path, used) for used in (self._source, self._path) if used):
            self.status.setText(f"⚠ {path.name} is a file being analysed; choose another name.")
            return False
        rows = list(self.model.rows)
        self.status.setText(f"Exporting {plural(len(rows), 'row')}…")
        focused = self.focusWidget()
        buttons = (self.export_csv_button, self.export_json_button)
        self._export_button = focused if focused in buttons else None
        export = threading.Thread(
            target=self._write, args=(path, rows), name="batch-export", daemon=True
        )
        export.start()
        self._export = export
        self._update_buttons()
        return True

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
            self._written.emit(str(path), len(rows), error)
        except RuntimeError:  # the app quit meanwhile (a second Ctrl+C): no window to tell
            log.info("Export to %s ended after its window closed", path)

    def _on_written(self, path: str, rows: int, error: str) -> None:
        self._export = None
        done = f"Exported {plural(rows, 'row')} to {path}."
        self.status.setText(f"⚠ {error}" if error else done)
        if not error:
            self._exported = True
        self._update_buttons()
        if self._export_button is not None:  # disabled meanwhile, focus went to Close
            self._export_button.setFocus()
            self._export_button = None
        announce(self, self.status.text(), urgent=bool(error))
        self.export_finished.emit(not error)
        if self.closing_after_export:
            self.closing_after_export = False
            self.reject()

    def _update_buttons(self) -> None:
        idle = not self.running and self._export is None
        runnable = self._path is not None and bool(self.tasks())
        self.run_button.setEnabled(idle and runnable)
        self.cancel_button.setEnabled(self.running)
        self.choose_button.setEnabled(idle)
        has_rows = idle and bool(self.model.rows)
        self.export_csv_button.setEnabled(has_rows)
        self.export_json_button.setEnabled(has_rows)

    def reject(self) -> None:
        """Escape, Close and the window's close button all end here: stop a running batch,
        after asking when that would throw away results (they are kept nowhere else)."""
        if self._export is not None:  # the window closes once the file is whole, not before
            self.closing_after_export = True
            self.status.setText("Closing once the export is written…")
            return
        if not self._may_discard():
            return
        self.cancel()
        super().reject()

    def _may_discard(self) -> bool:
        """Whether the user agrees to lose a running batch or results not exported."""
        if not self.running and (self._exported or not self.model.rows):
            return True
        done = plural(len(self.model.rows), "text")
        question = f"Discard the results of {done}? They have not been exported."
        if self.running:
            lost = f" and discard the {done} analysed so far" if self.model.rows else ""
            question = f"Stop the batch{lost}?"
        answer = QMessageBox.question(
            self,
            "Batch analysis",
            question,
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
