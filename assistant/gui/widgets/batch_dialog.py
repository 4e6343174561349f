"""Batch analysis of a .txt/.csv/.tsv/.jsonl file, chosen or dropped on the window: progress,
time left, Cancel, table, chart, export.

The work runs on the inference worker, and an export on a thread of its own (``batch_export``);
this dialog only shows what they report, in the form, results and words of their own modules
(``batch_form``, ``batch_results``, ``batch_wording``), and keeps results not yet exported from
being lost unasked: they are kept nowhere else.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.batch_files import column_choice
from assistant.batch_output import same_file
from assistant.gui.announce import announce
from assistant.gui.file_drops import FileDrops
from assistant.gui.screen_fit import ScrollingPage, fit_to_screen
from assistant.gui.settings import Settings
from assistant.gui.widgets.batch_export import BatchExport, ask_export_path
from assistant.gui.widgets.batch_form import BatchForm
from assistant.gui.widgets.batch_no_texts import holds_no_texts, no_texts_warning
from assistant.gui.widgets.batch_results import BatchResults
from assistant.gui.widgets.batch_wording import discard_question, ended_line, progress_line
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.gui.workers import BatchJob, InferenceService
from assistant.language_check import batch_caveat
from assistant.wording import plural

INPUT_FILTER = "Texts (*.txt *.csv *.tsv *.jsonl);;All files (*)"


class BatchDialog(QDialog):
    """``export_finished(written)`` when an export started by ``export`` has ended."""

    export_finished = Signal(bool)

    def __init__(
        self, service: InferenceService, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Batch analysis")
        fit_to_screen(self, 900, 640)
        self._service = service
        self._settings = settings
        self._path: Path | None = None
        self._started = 0.0
        self.running = False
        self._exported = True  # nothing to lose yet
        self._export = BatchExport(self)
        self._export_button: QPushButton | None = None  # the one the export was started from
        self.closing_after_export = False  # asked to close: it will, once the file is whole

        self.form = BatchForm()
        self.form.choose_button.clicked.connect(self.choose_file)
        self.form.tasks_changed.connect(self._update_buttons)
        # The form's widgets, under the names the dialog has always given them.
        self.file_edit, self.choose_button = self.form.file_edit, self.form.choose_button
        self.column_combo = self.form.column_combo
        self.sentiment_box, self.intent_box = self.form.sentiment_box, self.form.intent_box
        drops = FileDrops(self, refuse_links=True)
        drops.take_drops_on(self)  # over any part: none takes drags (the file box is read-only)
        # Once the drop has ended: a question asked within it holds the file manager's drag.
        drops.dropped.connect(self._take_dropped, Qt.ConnectionType.QueuedConnection)
        drops.refused.connect(self._refuse_drop, Qt.ConnectionType.QueuedConnection)

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
        self.language_notice = NoticeBanner("Language warning")
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)

        self.results = BatchResults()
        # The results' widgets, too, under the names the dialog has always given them.
        self.chart, self.table = self.results.chart, self.results.table
        self.model = self.results.model  # the rows an export writes

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
        layout.addWidget(self.form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.language_notice)
        layout.addWidget(self.results, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(ScrollingPage(page), 1)  # the buttons below it stay in reach
        outer.addLayout(bottom)

        service.batch_progress.connect(self._on_progress)
        service.batch_rows.connect(self._on_rows)
        service.batch_finished.connect(self._on_finished)
        self._export.written.connect(self._on_written)
        self._update_buttons()
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.choose_button.setFocus()

    def tasks(self) -> tuple[str, ...]:
        return self.form.tasks()

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Choose a file to analyse", self._settings.last_folder(), INPUT_FILTER
        )
        if name:
            self._settings.set_value(Settings.Key.LAST_FOLDER, str(Path(name).parent))
            self.set_file(Path(name))

    def _take_dropped(self, path: Path) -> None:
        """A file dropped on the window is chosen as with Choose file…, which is disabled while
        a batch runs or an export is written: a new file would clear the rows still coming in,
        or being written."""
        if self.choose_button.isEnabled():
            self.set_file(path)
        elif self.running:
            self._refuse_drop(
                f"{path.name} was not chosen: a batch is running. Cancel it, or let it end,"
                " then drop the file again."
            )
        else:
            self._refuse_drop(
                f"{path.name} was not chosen: the results are being exported."
                " Drop it again once they are written."
            )

    def _refuse_file(self, problem: str) -> None:
        """A file that cannot be read: in a box while a batch runs or its results are not
        exported, which stay with the file they came from; else on the status line, with no
        file chosen (exported results go, as they would for a file that can be read)."""
        if self.running or (self.model.rows and not self._exported):
            QMessageBox.information(self, "Batch analysis", problem)
            return
        self._forget_results()
        self._path = None
        self.form.clear_file()
        self.status.setText(f"⚠ {problem}")
        self._update_buttons()

    def _refuse_drop(self, message: str) -> None:
        """Say why a drop chose nothing in a box of its own: the status line holds what the
        window has to say about its file (a run's summary, "check the column"), which a stray
        drop wiped for good, and a batch's progress or an export would write over it."""
        QMessageBox.information(self, "Batch analysis", message)

    def set_file(self, path: Path) -> bool:
        """Pick the input file and offer its columns, once the last file's results may go: kept
        (asked when not exported), that file stays chosen and this says False. A file that
        cannot be read says why (False) and changes nothing where results are not exported
        (they were discarded first, for a .pdf dropped by mistake); one holding no texts says
        so at once, yet stays runnable: it may be filled before Run, which looks again."""
        try:
            columns, read, unheaded = column_choice(path)
        except (OSError, ValueError) as exc:
            self._refuse_file(str(exc))
            return False
        if not self._may_discard():
            return False
        self._forget_results()
        self._path = path
        self.form.show_file(path, columns, read)
        if holds_no_texts(path):
            self.status.setText(no_texts_warning(path))
        else:
            # One is picked already, maybe by a guess: "Choose the column" read as if none were.
            ready = (
                "Check the column picked for the text, then Run."
                if len(columns) > 1
                else "Ready to run."
            )
            self.status.setText(f"Note: {unheaded} {ready}" if unheaded else ready)
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
        self._forget_results()
        self.running = True
        self._started = time.monotonic()
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(self._service.waiting_note() or "Counting the texts…")
        run_had_focus = self.focusWidget() is self.run_button
        self._update_buttons()
        if run_had_focus:  # not the next widget Qt would pick, the results table
            self.cancel_button.setFocus()
        self._service.submit_batch(BatchJob(self._path, self.form.column(), self.tasks()))

    def _forget_results(self) -> None:
        """Clear what the last run showed: under another file's name its rows read as that
        file's, and Export wrote them as such."""
        self.results.clear()
        self.language_notice.show_notice(None)
        self.progress.setVisible(False)

    def cancel(self) -> None:
        if self.running:
            self.status.setText("Cancelling…")
            self._service.cancel_batch()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(progress_line(done, total, time.monotonic() - self._started))

    def _on_rows(self, rows: list) -> None:
        self.results.add_rows(rows)
        self.language_notice.show_notice(batch_caveat(self.results.summary.not_english))

    def _on_finished(self, cancelled: bool, error: str) -> None:
        self.running = False
        rows = len(self.model.rows)
        if error:
            self.status.setText(f"⚠ {error}")
        elif rows == 0 and not cancelled and self._path is not None:
            self.status.setText(no_texts_warning(self._path))
        else:
            seconds = time.monotonic() - self._started
            failed = len(self.results.summary.errors)
            self.status.setText(ended_line(rows, failed, seconds, cancelled))
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        cancel_had_focus = self.focusWidget() is self.cancel_button
        self._update_buttons()
        if cancel_had_focus:
            enabled = self.export_csv_button.isEnabled()
            (self.export_csv_button if enabled else self.run_button).setFocus()
        announce(self, self.status.text(), urgent=self.status.text().startswith("⚠"))

    def choose_export(self, suffix: str) -> None:
        """Export the rows, to a file asked for beside the one they come from (the export
        buttons are enabled only while rows of a chosen file are shown)."""
        if self._path is None:
            return
        path = ask_export_path(self, self._path, suffix)
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> bool:
        """Start writing the table's rows; the format follows the suffix (.csv or .json; in a
        CSV a text starting like a formula gets a leading apostrophe, ``write_rows``), beside
        the window (``BatchExport``). False when refused at once (a file being analysed); else
        ``export_finished`` follows."""
        if self._path is not None and same_file(path, self._path):
            self.status.setText(f"⚠ {path.name} is a file being analysed; choose another name.")
            return False
        rows = list(self.model.rows)
        self.status.setText(f"Exporting {plural(len(rows), 'row')}…")
        focused = self.focusWidget()
        buttons = (self.export_csv_button, self.export_json_button)
        self._export_button = focused if focused in buttons else None
        self._export.start(path, rows)
        self._update_buttons()
        return True

    def _on_written(self, path: str, rows: int, error: str) -> None:
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
        idle = not self.running and not self._export.busy
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
        if self._export.busy:  # the window closes once the file is whole, not before
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
        answer = QMessageBox.question(
            self,
            "Batch analysis",
            discard_question(len(self.model.rows), self.running),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
