"""Batch dialog: progress to the end, Cancel part-way, export exactly what the table shows."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from assistant.batch_files import read_items
from assistant.batch_items import BatchRow
from assistant.batch_output import write_results, write_rows
from assistant.gui.application import apply_font_size
from assistant.gui.file_drops import LINKS_REFUSED
from assistant.gui.settings import Settings
from assistant.gui.widgets.batch_dialog import BatchDialog
from assistant.gui.widgets.batch_results import BatchResults
from assistant.gui.widgets.batch_table import (
    COLUMNS,
    BatchTableModel,
    BatchTableView,
    column_of,
    display,
)
from assistant.gui.workers import AFTER_THE_ANSWER
from assistant.text_files import not_text
from assistant.wording import LONG_REQUEST_NOTE, LONG_REQUEST_WORDS

from .drops import drop, file_drop

TIMEOUT_MS = 10_000
TEXTS = [
    "What's the weather like?",
    "I hate mondays, awful.",
    "Change the language",
    "Hello there",
]


class Questions(list):
    """The "discard the results?" questions asked; each gets the last of ``answers``."""

    def __init__(self) -> None:
        super().__init__()
        self.answers = [QMessageBox.StandardButton.Discard]

    def __call__(self, _parent, _title, text, *_buttons) -> QMessageBox.StandardButton:
        self.append(text)
        return self.answers[-1]


@pytest.fixture(autouse=True)
def questions(monkeypatch) -> Questions:
    asked = Questions()
    monkeypatch.setattr(QMessageBox, "question", asked)
    return asked


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "utterance"])
        for number in range(rows):
            writer.writerow([number, TEXTS[number % len(TEXTS)]])
    return path


def open_on(window, path: Path) -> BatchDialog:
    """The batch window, opened with ``path`` chosen."""
    dialog = window.open_batch()
    dialog.set_file(path)
    return dialog


def table_cells(dialog: BatchDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [
            model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            for column in range(len(COLUMNS))
        ]
        for row in range(model.rowCount())
    ]


def analysed(qtbot, window, tmp_path: Path) -> BatchDialog:
    """The batch window after a run over three texts."""
    dialog = open_on(window, write_csv(tmp_path / "in.csv", 3))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    return dialog


def slow_writes(monkeypatch) -> threading.Event:
    """Exports wait for the event returned (a slow drive) before writing."""
    release = threading.Event()

    def slow_write(path: Path, rows: list) -> None:
        release.wait(TIMEOUT_MS / 1000)
        write_results(path, rows)

    monkeypatch.setattr("assistant.gui.widgets.batch_export.write_results", slow_write)
    return release


def export(qtbot, dialog: BatchDialog, path: Path) -> bool:
    """Start an export and wait for it; whether the file was written."""
    with qtbot.waitSignal(dialog.export_finished, timeout=TIMEOUT_MS) as finished:
        assert dialog.export(path)
    return finished.args[0]


def exported_cells(records: list[dict]) -> list[list[str]]:
    return [
        [display(field, record[field]) for _header, field, _format in COLUMNS]
        for record in records
    ]


def test_batch_runs_with_progress_and_exports_what_the_table_shows(
    qtbot, window, tmp_path
) -> None:
    dialog = window.open_batch()
    dialog.show()
    assert not dialog.column_combo.isEnabled()  # nothing to choose from yet
    assert dialog.progress.isHidden() and dialog.chart.isHidden()  # no empty boxes
    assert dialog.set_file(write_csv(tmp_path / "in.csv", 70))
    assert [dialog.column_combo.itemText(i) for i in range(dialog.column_combo.count())] == [
        "id",
        "utterance",
    ]
    assert dialog.column_combo.currentText() == "utterance"  # the text column is preselected
    progress: list[tuple[int, int]] = []
    window.service.batch_progress.connect(lambda done, total: progress.append((done, total)))

    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS) as finished:
        dialog.run_button.click()

    assert finished.args == [False, ""]
    assert progress[-1] == (70, 70)
    assert dialog.progress.value() == dialog.progress.maximum() == 70
    assert dialog.status.text().startswith("Done: 70 texts")
    cells = table_cells(dialog)
    assert cells[0][1:6] == ["What's the weather like?", "Positive", "80%", "Weather", "93%"]
    assert cells[1][2] == "Negative"
    assert dialog.chart.summary.sentiments == {"positive": 52, "negative": 18}
    assert dialog.chart.summary.intents.most_common(1) == [("oos", 35)]
    assert dialog.chart.isVisible()
    qtbot.waitUntil(lambda: not dialog.chart.grab().isNull(), timeout=TIMEOUT_MS)  # laid out

    assert export(qtbot, dialog, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        records = [
            {
                k: (None if v == "" else float(v) if k.endswith("_score") else v)
                for k, v in r.items()
            }
            for r in csv.DictReader(stream)
        ]
    assert exported_cells(records) == cells

    assert export(qtbot, dialog, tmp_path / "out.json")
    assert exported_cells(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == cells


def test_batch_cancel_stops_part_way(qtbot, window, engine, tmp_path) -> None:
    dialog = open_on(window, write_csv(tmp_path / "in.csv", 200))
    dialog.column_combo.setCurrentText("utterance")
    dialog.intent_box.setChecked(False)
    engine.gate.clear()
    dialog.run()
    assert dialog.cancel_button.isEnabled() and not dialog.run_button.isEnabled()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)

    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS) as finished:
        dialog.cancel_button.click()
        engine.gate.set()

    assert finished.args == [True, ""]
    assert 0 < len(dialog.model.rows) < 200
    assert dialog.status.text().startswith("Cancelled after")
    assert all(row.intent is None for row in dialog.model.rows)
    assert dialog.run_button.isEnabled() and dialog.export_csv_button.isEnabled()


def test_closing_the_dialog_cancels_a_running_batch(qtbot, window, engine, tmp_path) -> None:
    dialog = open_on(window, write_csv(tmp_path / "in.csv", 200))
    engine.gate.clear()
    dialog.run()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)

    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        engine.gate.set()

    assert finished.args == [True, ""]


def test_results_not_exported_are_not_lost_to_a_stray_escape_or_return(
    qtbot, window, tmp_path, questions
) -> None:
    source = write_csv(tmp_path / "reviews.csv", 3)
    dialog = open_on(window, source)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    questions.answers.append(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog.column_combo, Qt.Key.Key_Return)  # runs nothing
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and len(dialog.model.rows) == 3
    assert questions == ["Discard the results of 3 texts? They have not been exported."]

    assert not dialog.export(source)
    assert "is a file being analysed" in dialog.status.text()
    assert source.read_text(encoding="utf-8").startswith("id,utterance")
    assert export(qtbot, dialog, tmp_path / "out.csv")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and len(questions) == 1


def test_another_file_chosen_clears_the_last_results_once_they_may_go(
    qtbot, window, tmp_path, questions
) -> None:
    """A file chosen after a run was named above the last file's rows and chart, which Export
    then wrote as the new file's."""
    dialog = analysed(qtbot, window, tmp_path)
    source = dialog.file_edit.text()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    questions.answers.append(QMessageBox.StandardButton.Cancel)
    assert not dialog.set_file(empty)  # kept: the last file stays chosen, with its results
    assert dialog.file_edit.text() == source and len(dialog.model.rows) == 3
    assert questions == ["Discard the results of 3 texts? They have not been exported."]

    questions.answers.append(QMessageBox.StandardButton.Discard)
    assert dialog.set_file(empty)
    assert dialog.status.text() == "⚠ empty.txt holds no texts to analyse."
    assert not dialog.model.rows and dialog.chart.isHidden() and dialog.progress.isHidden()
    assert not dialog.export_csv_button.isEnabled() and not dialog.export(empty)  # chosen

    dialog.set_file(write_csv(tmp_path / "in.csv", 2))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert export(qtbot, dialog, tmp_path / "out.csv")
    assert not dialog.set_file(tmp_path / "nothing.pdf")  # exported: cleared unasked
    assert not dialog.model.rows and len(questions) == 2


def test_a_file_that_cannot_be_read_leaves_the_results_not_exported(
    qtbot, window, tmp_path, questions, monkeypatch
) -> None:
    """A .pdf dropped by mistake asked to discard the results, then could not be read: the
    rows were gone and no file chosen."""
    dialog = analysed(qtbot, window, tmp_path)
    source = dialog.file_edit.text()
    told = Told()
    monkeypatch.setattr(QMessageBox, "information", told)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\x00\x01\x02 binary")
    assert drop(dialog, file_drop(pdf))
    qtbot.waitUntil(lambda: bool(told), timeout=TIMEOUT_MS)  # once the drop has ended
    assert questions == [] and len(told) == 1 and "report.pdf" in told[0]
    assert dialog.file_edit.text() == source and len(dialog.model.rows) == 3


def test_a_batch_started_after_a_cancel_does_not_undo_the_cancel(
    qtbot, window, engine, tmp_path
) -> None:
    path = write_csv(tmp_path / "in.csv", 200)
    first = open_on(window, path)
    engine.gate.clear()
    first.run()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)
    qtbot.keyClick(first, Qt.Key.Key_Escape)  # cancels the first batch, which is still waiting
    finished: list[tuple[int, bool]] = []
    window.service.worker.batch_finished.connect(
        lambda request_id, cancelled, _error: finished.append((request_id, cancelled))
    )
    second = open_on(window, path)

    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS) as done:
        second.run()
        engine.gate.set()

    assert done.args == [False, ""]
    assert [cancelled for _id, cancelled in finished] == [True, False]
    assert len(second.model.rows) == 200


def test_an_unreadable_file_is_explained(window, tmp_path) -> None:
    dialog = window.open_batch()
    assert dialog.set_file(write_csv(tmp_path / "in.csv", 2))
    assert not dialog.set_file(tmp_path / "nothing.pdf")
    assert dialog.status.text().startswith("⚠")
    assert not dialog.run_button.isEnabled()
    assert dialog.file_edit.text() == ""  # not the earlier file's name
    binary = tmp_path / "report.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01")
    assert not dialog.set_file(binary)
    assert dialog.status.text() == f"⚠ {not_text('report.txt')}"


def test_the_preselected_column_is_the_one_the_cli_reads(window, tmp_path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("id,Text,text\n1,first,second\n", encoding="utf-8")
    dialog = window.open_batch()
    assert dialog.set_file(path)
    (item,) = read_items(path)
    assert item.text == "first" and dialog.column_combo.currentText() == "Text (column 2)"


def test_a_file_that_breaks_during_the_run_is_explained_in_words(qtbot, window, tmp_path) -> None:
    dialog = window.open_batch()
    path = tmp_path / "in.txt"
    path.write_text("Hello there\n")
    assert dialog.set_file(path)
    path.write_bytes(b"\x00\x01 now binary")  # changed between choosing and running
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert dialog.status.text() == f"⚠ {not_text('in.txt')}"


def test_one_text_and_no_texts_read_as_such(qtbot, window, tmp_path, monkeypatch) -> None:
    dialog = window.open_batch()
    assert dialog.set_file(write_csv(tmp_path / "one.csv", 1))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert dialog.status.text().startswith("Done: 1 text in ")
    none = write_csv(tmp_path / "none.csv", 1)
    assert dialog.set_file(none)
    write_csv(none, 0)  # emptied between choosing and running: Run looks again
    dialog.run()
    assert not dialog.running and dialog.status.text() == "⚠ none.csv holds no texts to analyse."
    # a file too big to read through at Run: the run itself finds no texts, and says so
    monkeypatch.setattr("assistant.gui.widgets.batch_dialog.holds_no_texts", lambda _path: False)
    dialog.status.clear()
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert dialog.status.text() == "⚠ none.csv holds no texts to analyse."


def test_a_file_without_texts_says_so_once_chosen(window, tmp_path) -> None:
    """An empty file said "Ready to run."; only Run said that it held nothing to analyse."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n", encoding="utf-8")
    dialog = window.open_batch()
    for path in (empty, blank, write_csv(tmp_path / "header.csv", 0)):
        assert dialog.set_file(path)  # chosen: it is named, and can be exported next to
        assert dialog.status.text() == f"⚠ {path.name} holds no texts to analyse."
        assert dialog.run_button.isEnabled()  # it may be filled before Run
        dialog.status.clear()
        dialog.run()  # still empty: Run says so again, and starts nothing
        assert not dialog.running
        assert dialog.status.text() == f"⚠ {path.name} holds no texts to analyse."
    assert dialog.set_file(write_csv(tmp_path / "in.csv", 1))
    assert dialog.run_button.isEnabled()


def test_a_file_filled_after_it_was_chosen_empty_runs(qtbot, window, tmp_path) -> None:
    """Whether a file held texts was decided once, when chosen: a header-only CSV filled
    afterwards kept Run disabled and said "holds no texts" until chosen again."""
    path = write_csv(tmp_path / "in.csv", 0)
    dialog = window.open_batch()
    assert dialog.set_file(path)
    assert dialog.status.text() == "⚠ in.csv holds no texts to analyse."
    assert dialog.column_combo.isEnabled()  # the header names the columns to choose from
    assert dialog.column_combo.currentText() == "utterance"
    write_csv(path, 2)
    assert dialog.run_button.isEnabled()
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run_button.click()
        assert dialog.running
    assert [row.text for row in dialog.model.rows] == TEXTS[:2]
    assert dialog.status.text().startswith("Done: 2 texts")
    dialog._exported = True


def test_each_row_of_the_form_has_its_own_access_key(qtbot, window, tmp_path) -> None:
    """The column box was reachable only by Tab: Alt+F, Alt+O, Alt+T go to each row, with
    letters no button of the dialog uses."""
    dialog = open_on(window, write_csv(tmp_path / "in.csv", 1))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=TIMEOUT_MS)
    for key, target in (
        (Qt.Key.Key_O, dialog.column_combo),
        (Qt.Key.Key_T, dialog.sentiment_box),
        (Qt.Key.Key_F, dialog.file_edit),
    ):
        qtbot.keyClick(dialog.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() is target
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    texts += [button.text() for button in dialog.findChildren(QAbstractButton)]
    letters = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(letters) == len(set(letters)) and {"f", "o", "t"} <= set(letters)


def test_copy_in_the_table_copies_the_selected_rows_as_shown(qtbot, window, tmp_path) -> None:
    """Ctrl+C copied the current cell alone ("2"); now each selected row, tab-separated."""
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,Hello there\n2,"Change\tthe language"\n3,Hi\n', "utf-8")
    dialog = open_on(window, path)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    table, model = dialog.table, dialog.model
    table.setCurrentIndex(model.index(2, 0))  # a cell of the last row, then one before it
    table.selectionModel().select(model.index(1, 3), table.selectionModel().SelectionFlag.Select)
    copy = QKeySequence(QKeySequence.StandardKey.Copy)[0]
    QApplication.clipboard().clear()
    qtbot.keyClick(table, copy.key(), copy.keyboardModifiers())
    cells = table_cells(dialog)
    cells[1][1] = "Change the language"  # the tab inside the text would split its row
    expected = "\n".join("\t".join(cells[row]) for row in (1, 2))  # in the table's order
    assert QApplication.clipboard().text() == expected
    assert cells[0][0] == "1" and cells[0][1] == "Hello there"  # the values as displayed
    dialog._exported = True


def table_of(rows: list[BatchRow]) -> BatchTableView:
    model = BatchTableModel()
    model.add_rows(rows)
    table = BatchTableView()
    table.setModel(model)
    return table


def test_copied_cells_are_escaped_as_a_csv_export_is(qtbot) -> None:
    """Ctrl+C copied "=HYPERLINK(...)" as it was, while Export CSV wrote "'=HYPERLINK(...)":
    a spreadsheet evaluates a formula pasted as tab-separated text just as one in a file."""
    link = '=HYPERLINK("http://evil.example","click")'
    rows = [
        BatchRow(1, link, "positive", 0.8, "weather", 0.9, "travel"),
        BatchRow(2, "-great", error="+1 @everyone"),
        BatchRow(3, "\t=1+1"),  # a tab cannot stay a tab in a copied cell: a space, inert
    ]
    table = table_of(rows)
    qtbot.addWidget(table)
    table.selectAll()
    stream = io.StringIO()
    write_rows(stream, rows, ".csv")
    stream.seek(0)
    exported = [list(record.values()) for record in csv.DictReader(stream)]
    copied = [line.split("\t") for line in table.selected_text().split("\n")]
    assert copied[0][1] == "'" + link
    assert [cells[1] for cells in copied] == [exported[0][1], exported[1][1], " =1+1"]
    assert copied[1][-1] == exported[1][-1] == "'+1 @everyone"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cells in copied for cell in cells)


class IndexesRefused(QItemSelectionModel):
    """Ctrl+A over 100,000 rows made ``selectedIndexes`` build 800,000 indexes (2 s, and the
    copy 8 s in all): a copy must read the selection's ranges instead."""

    def selectedIndexes(self) -> list:
        raise AssertionError("a copy must not list every selected index")


def test_copy_reads_the_selected_ranges_once_each_row_in_the_views_order(qtbot) -> None:
    table = table_of([BatchRow(number, f"text {number}") for number in range(1000)])
    qtbot.addWidget(table)
    model = table.model()
    table.setSelectionModel(IndexesRefused(model))
    select = QItemSelectionModel.SelectionFlag.Select
    ranges = QItemSelection(model.index(5, 0), model.index(10, 2))
    ranges.select(model.index(8, 4), model.index(12, 5))  # overlaps rows 8 to 10
    ranges.select(model.index(2, 7), model.index(2, 7))
    table.selectionModel().select(ranges, select)
    table.verticalHeader().moveSection(12, 0)  # row 12 is shown first
    copied = [line.split("\t")[1] for line in table.selected_text().split("\n")]
    assert copied == [f"text {number}" for number in (12, 2, 5, 6, 7, 8, 9, 10, 11)]

    table.selectAll()
    assert len(table.selected_text().split("\n")) == 1000


def test_batch_notes_texts_not_in_english_until_the_next_run(qtbot, window, tmp_path) -> None:
    dialog = window.open_batch()
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("مرحبا كيف حالك\nHello there\n这是一个很好的产品\n", encoding="utf-8")
    dialog.set_file(mixed)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert dialog.language_notice.isVisibleTo(dialog)
    assert dialog.language_notice.text().startswith("Note: 2 items do not look like English")

    dialog.set_file(write_csv(tmp_path / "in.csv", 4))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert not dialog.language_notice.isVisibleTo(dialog)


def test_done_says_how_many_texts_could_not_be_analysed(qtbot, window, tmp_path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_text("I loved it.\n\nTerrible.\n\n\nFine.\n", encoding="utf-8")
    dialog = window.open_batch()
    assert dialog.set_file(lines)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert dialog.status.text().startswith("Done: 6 texts in ")
    assert dialog.status.text().endswith("; 3 could not be analysed (see Problem).")


def test_a_batch_behind_a_long_answer_says_what_it_waits_for(
    qtbot, window, engine, tmp_path
) -> None:
    engine.gated_tasks = {"qa"}
    engine.gate.clear()  # a question about a book-length text is being answered
    window.qa_panel.question.setText("Where?")
    window.editor.setPlainText("The weather in Lisbon is lovely.")
    window.analyse_now()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)
    dialog = window.open_batch()
    assert dialog.set_file(write_csv(tmp_path / "in.csv", 3))
    dialog.run()
    assert dialog.status.text() == AFTER_THE_ANSWER
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        engine.gate.set()
    assert dialog.status.text().startswith("Done: 3 texts")
    assert window.service.waiting_note() is None  # the answer came back


def test_quitting_asks_about_batch_results_not_exported(
    qtbot, window, tmp_path, questions
) -> None:
    dialog = open_on(window, write_csv(tmp_path / "in.csv", 2))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    questions.answers.append(QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and dialog.isVisible() and len(questions) == 1


def test_the_column_picked_is_read_even_unnamed_or_repeated(qtbot, window, tmp_path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,,text,text\n1,blank name,first,second\n", encoding="utf-8")
    dialog = open_on(window, path)
    assert [dialog.column_combo.itemText(i) for i in range(dialog.column_combo.count())] == [
        "id",
        "column 2 (unnamed)",
        "text (column 3)",
        "text (column 4)",
    ]
    for position, expected in ((1, "blank name"), (3, "second")):
        dialog.column_combo.setCurrentIndex(position)
        with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
            dialog.run()
        assert [row.text for row in dialog.model.rows] == [expected]


def test_a_large_font_on_a_small_screen_leaves_the_table_rows(qtbot, window, tmp_path) -> None:
    app = QApplication.instance()
    apply_font_size(app, 20)
    try:
        dialog = open_on(window, write_csv(tmp_path / "many.csv", 40))
        dialog.resize(900, 640)
        dialog.show()
        with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
            dialog.run()
        row = dialog.table.verticalHeader().defaultSectionSize()
        qtbot.waitUntil(lambda: dialog.table.height() >= 4 * row, timeout=TIMEOUT_MS)
        dialog._exported = True  # nothing to ask on close
        dialog.close()
    finally:
        apply_font_size(app, None)


def test_no_chart_titles_over_nothing_when_every_row_failed(qtbot, window, tmp_path) -> None:
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": 1}\n{"id": 2}\n', encoding="utf-8")
    dialog = open_on(window, path)
    dialog.show()
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert len(dialog.model.rows) == 2 and dialog.chart.isHidden()
    dialog._exported = True
    dialog.close()


def test_an_export_runs_beside_the_window_and_closing_waits_for_the_file(
    qtbot, window, tmp_path, monkeypatch, questions
) -> None:
    """50,000 rows take most of a second to write: the window stays live meanwhile, and
    closing it then neither cuts the file short nor asks about rows being written."""
    dialog = analysed(qtbot, window, tmp_path)
    release = slow_writes(monkeypatch)
    assert dialog.export(tmp_path / "out.csv")  # back at once, the file not yet written
    assert dialog.status.text() == "Exporting 3 rows…" and not (tmp_path / "out.csv").exists()
    assert not dialog.export_csv_button.isEnabled() and not dialog.run_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the window stays live; it closes once written
    assert dialog.isVisible() and dialog.status.text() == "Closing once the export is written…"
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT_MS):
        release.set()
    assert questions == []
    assert len((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()) == 4


def test_an_export_that_fails_unexpectedly_does_not_leave_the_window_stuck(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    dialog = analysed(qtbot, window, tmp_path)

    def broken_write(_path: Path, _rows: list) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("assistant.gui.widgets.batch_export.write_results", broken_write)
    dialog.activateWindow()
    dialog.export_csv_button.setFocus()
    assert not export(qtbot, dialog, tmp_path / "out.csv")
    assert "failed unexpectedly" in dialog.status.text()
    assert dialog.export_csv_button.isEnabled() and dialog.run_button.isEnabled()
    assert dialog.focusWidget() is dialog.export_csv_button  # not left on Close


def test_an_export_that_fails_says_why_and_keeps_the_results_guarded(
    qtbot, window, tmp_path, questions
) -> None:
    dialog = analysed(qtbot, window, tmp_path)
    (tmp_path / "folder.csv").mkdir()
    assert not export(qtbot, dialog, tmp_path / "folder.csv")
    assert dialog.status.text().endswith("folder.csv is a folder, not a file.")
    assert dialog.export_csv_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert questions == ["Discard the results of 3 texts? They have not been exported."]


def test_quitting_during_an_export_quits_once_the_file_is_written(
    qtbot, window, tmp_path, monkeypatch, questions
) -> None:
    dialog = analysed(qtbot, window, tmp_path)
    release = slow_writes(monkeypatch)
    assert dialog.export(tmp_path / "out.csv")
    window.close()
    window.close()  # asked twice: it still closes once
    assert window.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT_MS)
    assert questions == [] and (tmp_path / "out.csv").exists()


def test_the_texts_take_the_width_the_other_columns_leave(qtbot) -> None:
    """Texts were cut at 40 characters ("Delivery was late and the box was d…") while the last
    column, an empty Problem, stretched over the width left."""
    results = BatchResults()
    qtbot.addWidget(results)
    results.resize(1200, 400)
    results.show()
    table, header = results.table, results.table.horizontalHeader()
    text, problem, intent = column_of("text"), column_of("error"), column_of("intent")
    usual_text = 40 * table.fontMetrics().averageCharWidth()
    narrow = header.sectionSizeHint(problem)

    def filled() -> bool:  # no gap at the right, nothing to scroll sideways to
        return header.length() == table.viewport().width()

    results.add_rows([BatchRow(1, "Delivery was late and the box was damaged.", "negative")])
    qtbot.waitUntil(filled, timeout=TIMEOUT_MS)
    assert header.sectionSize(problem) == narrow and header.sectionSize(text) > usual_text
    results.add_rows([BatchRow(2, None, error="empty text")])
    assert header.sectionSize(problem) > narrow and filled()  # room for a usual problem
    header.resizeSection(intent, header.sectionSize(intent) + 50)  # by hand: from the texts
    assert filled()
    results.resize(500, 400)  # too narrow: room for a usual text, and the table scrolls
    qtbot.waitUntil(lambda: header.sectionSize(text) == usual_text, timeout=TIMEOUT_MS)
    results.clear()
    assert header.sectionSize(problem) == narrow


def test_an_intent_cell_tells_what_the_intent_covers(qtbot) -> None:
    table = table_of([BatchRow(1, "rain?", intent="weather", intent_description="Asks for rain")])
    model, tip = table.model(), Qt.ItemDataRole.ToolTipRole
    assert model.index(0, column_of("intent")).data(tip) == "Asks for rain"
    described = Qt.ItemDataRole.AccessibleDescriptionRole  # for a screen reader too
    assert model.index(0, column_of("intent")).data(described) == "Asks for rain"
    assert model.index(0, column_of("text")).data(described) is None  # already its name
    horizontal = Qt.Orientation.Horizontal
    assert "sentiment" in model.headerData(column_of("sentiment_score"), horizontal, described)
    assert model.index(0, column_of("intent_score")).data(tip) is None


def test_the_two_confidence_columns_say_whose_they_are() -> None:
    model = BatchTableModel()
    horizontal, tip = Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    tips = [model.headerData(column, horizontal, tip) for column in range(len(COLUMNS))]
    confidence = [i for i, (header, _field, _fmt) in enumerate(COLUMNS) if header == "Confidence"]
    assert len(confidence) == 2
    assert "sentiment" in tips[confidence[0]] and "intent" in tips[confidence[1]]


DESCRIBED = "Asks for the weather forecast"  # what the fake engine's weather intent covers


def test_an_intent_cell_gives_a_long_texts_caveat(qtbot, window, tmp_path) -> None:
    """The window called the intent of a text over 30 words a rough guide; the batch table
    showed the same intent for the same text without a word."""
    path = tmp_path / "in.txt"
    path.write_text(f"{'weather ' * (LONG_REQUEST_WORDS + 1)}\nweather today\n", encoding="utf-8")
    dialog = open_on(window, path)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    cells = [dialog.model.index(row, column_of("intent")) for row in range(2)]
    for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
        described = [cell.data(role) for cell in cells]
        assert described == [f"{DESCRIBED}\n{LONG_REQUEST_NOTE}", DESCRIBED]
    dialog._exported = True


def test_a_damaged_line_of_a_utf16_file_is_not_called_utf8(qtbot, window, tmp_path) -> None:
    """Notepad's "Unicode" file is read as UTF-16: its damaged line was "not valid UTF-8"."""
    damaged = b"\x00\xd8x\x00\n\x00"  # a lone surrogate in UTF-16-LE
    path = tmp_path / "in.txt"
    path.write_bytes(b"\xff\xfe" + "Hello there\n".encode("utf-16-le") + damaged)
    dialog = open_on(window, path)
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()
    assert [row[-1] for row in table_cells(dialog)] == ["", "not valid UTF-16 text"]
    dialog._exported = True
    header = tmp_path / "in.csv"
    header.write_bytes(b"\xff\xfe" + damaged)
    assert not dialog.set_file(header)
    assert dialog.status.text() == "⚠ The header of in.csv is not valid UTF-16 text."


def test_the_window_preselects_the_column_the_command_line_reads(window, tmp_path) -> None:
    """Without a column named like a text the window offered "ID" (numbers) where the command
    line reads the first column holding prose."""
    path = tmp_path / "in.csv"
    path.write_text("ID;Kommentar;Datum\n101;Zimmer war schmutzig;2024-01-01\n", encoding="utf-8")
    dialog = open_on(window, path)
    assert dialog.column_combo.currentText() == "Kommentar"
    dialog._exported = True


def test_a_csv_without_a_header_says_its_first_line_is_a_text(window, tmp_path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text("Terrible room, dirty sheets\nLovely staff\nNot again\n", encoding="utf-8")
    dialog = open_on(window, path)
    assert dialog.status.text().startswith(
        "Note: the first line of reviews.csv is read as the first row: most lines below it"
    )
    assert dialog.column_combo.currentText() == "column 1"
    dialog._exported = True


@pytest.mark.parametrize(
    "data",
    [
        "id,\n1,Great value for money\n2,Far too slow\n",  # an empty name
        "Notes,Notes\n12,Great value for money\n13,Far too slow\n",  # a repeated one
    ],
)
def test_the_window_preselects_by_position_what_the_command_line_reads(
    window, tmp_path, data: str
) -> None:
    """The window selected by name: the column named "" (none) or the first "Notes", where
    the command line reads the second column."""
    path = tmp_path / "in.csv"
    path.write_text(data, encoding="utf-8")
    dialog = open_on(window, path)
    assert dialog.column_combo.currentIndex() == 1
    assert next(read_items(path)).text == "Great value for money"
    dialog._exported = True


def dropped(qtbot, dialog: BatchDialog, target: QWidget, given: QMimeData) -> None:
    """Drop ``given`` on ``target`` and let the window take it (it does once the drop ended)."""
    before = dialog.status.text()
    assert drop(target, given)
    qtbot.waitUntil(lambda: dialog.status.text() != before, timeout=TIMEOUT_MS)


@pytest.mark.parametrize("where", ["window", "file box", "table"])
def test_a_file_dropped_on_the_batch_window_is_chosen_as_with_choose_file(
    qtbot, window, tmp_path, where: str
) -> None:
    """A CSV dragged from the file manager was refused wherever it landed."""
    dialog = window.open_batch()
    target = {
        "window": dialog,
        "file box": dialog.file_edit,
        "table": dialog.table.viewport(),
    }[where]
    path = write_csv(tmp_path / "reviews.csv", 2)

    dropped(qtbot, dialog, target, file_drop(path))

    assert dialog.file_edit.text() == str(path)
    assert dialog.column_combo.currentText() == "utterance"
    assert dialog.status.text() == "Check the column picked for the text, then Run."
    assert dialog.run_button.isEnabled()


def test_a_file_dropped_after_a_run_asks_before_the_results_go(
    qtbot, window, tmp_path, questions: Questions
) -> None:
    dialog = analysed(qtbot, window, tmp_path)
    source = dialog.file_edit.text()
    other = write_csv(tmp_path / "other.csv", 2)
    questions.answers.append(QMessageBox.StandardButton.Cancel)
    assert drop(dialog, file_drop(other))
    qtbot.waitUntil(lambda: len(questions) == 1, timeout=TIMEOUT_MS)
    assert questions == ["Discard the results of 3 texts? They have not been exported."]
    assert dialog.file_edit.text() == source and len(dialog.model.rows) == 3

    questions.answers.append(QMessageBox.StandardButton.Discard)
    dropped(qtbot, dialog, dialog, file_drop(other))
    assert dialog.file_edit.text() == str(other) and not dialog.model.rows


class Told(list):
    """The messages shown by ``QMessageBox.information``."""

    def __call__(self, _parent, _title, text, *_buttons) -> QMessageBox.StandardButton:
        self.append(text)
        return QMessageBox.StandardButton.Ok


@pytest.mark.parametrize(
    ("links", "said"),
    [
        (["one.csv", "two.csv"], "Drop one file at a time: 2 files were dropped."),
        (["one.csv", "https://example.org/b.csv"], "Drop one file at a time: 1 file and 1 link"),
        (["https://example.org/b.csv"], LINKS_REFUSED),
    ],
    ids=["two files", "a file and a link", "a link"],
)
def test_several_files_or_a_link_are_refused_in_words(
    qtbot, window, tmp_path, monkeypatch, links: list[str], said: str
) -> None:
    """Taking one of several files would leave the rest out unseen; a link cannot be fetched.
    The status line keeps its word on the file chosen."""
    told = Told()
    monkeypatch.setattr(QMessageBox, "information", told)
    dialog = window.open_batch()
    chosen = write_csv(tmp_path / "chosen.csv", 2)
    assert dialog.set_file(chosen)
    given = QMimeData()
    given.setUrls(
        [QUrl(link) if ":" in link else QUrl.fromLocalFile(str(tmp_path / link)) for link in links]
    )

    assert drop(dialog, given)
    qtbot.waitUntil(lambda: bool(told), timeout=TIMEOUT_MS)

    assert len(told) == 1 and told[0].startswith(said)
    assert dialog.status.text() == "Check the column picked for the text, then Run."
    assert dialog.file_edit.text() == str(chosen) and dialog.run_button.isEnabled()


def test_a_link_dropped_after_a_run_leaves_its_summary(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    """ "Done: 3,000 texts in 19 s." gave way to the link's refusal, and was not seen again."""
    told = Told()
    monkeypatch.setattr(QMessageBox, "information", told)
    dialog = analysed(qtbot, window, tmp_path)
    summary = dialog.status.text()
    assert summary.startswith("Done: 3 texts")
    given = QMimeData()
    given.setUrls([QUrl("https://example.org/b.csv")])

    assert drop(dialog, given)
    qtbot.waitUntil(lambda: bool(told), timeout=TIMEOUT_MS)

    assert told == [LINKS_REFUSED]
    assert dialog.status.text() == summary


def test_the_export_is_proposed_beside_the_file_dropped(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    """A dropped file left the folder of the last file chosen (the app's working folder at
    first), and the results of any file were proposed as "results.csv"."""
    window.settings.set_value(Settings.Key.LAST_FOLDER, str(tmp_path))
    (tmp_path / "reviews").mkdir()
    source = write_csv(tmp_path / "reviews" / "march.csv", 3)
    proposed: list[str] = []

    def cancelled(dialog: QFileDialog) -> int:
        proposed.extend(dialog.selectedFiles())
        return 0

    monkeypatch.setattr(QFileDialog, "exec", cancelled)
    dialog = window.open_batch()
    dropped(qtbot, dialog, dialog, file_drop(source))
    with qtbot.waitSignal(window.service.batch_finished, timeout=TIMEOUT_MS):
        dialog.run()

    dialog.export_json_button.click()
    assert proposed == [str(source.with_name("march-results.json"))]


def test_a_dropped_folder_is_said_to_be_one(qtbot, window, tmp_path) -> None:
    dialog = window.open_batch()
    folder = tmp_path / "exports"
    folder.mkdir()

    dropped(qtbot, dialog, dialog, file_drop(folder))

    assert dialog.status.text() == f"⚠ {folder} is a folder, not a file."
    assert dialog.file_edit.text() == "" and not dialog.run_button.isEnabled()


def test_text_dropped_on_the_batch_window_is_not_taken(window) -> None:
    dialog = window.open_batch()
    given = QMimeData()
    given.setText("reviews.csv")
    assert not drop(dialog, given)
    assert dialog.file_edit.text() == ""


@pytest.mark.parametrize("busy", ["running", "exporting"])
def test_a_file_dropped_while_the_window_is_busy_is_refused_in_words(
    qtbot, window, engine, tmp_path, monkeypatch, questions: Questions, busy: str
) -> None:
    """Choose file… is disabled then: a new file would clear the rows still coming in, or being
    written. The status line is no place to say so: progress rewrites it ten times a second."""
    told = Told()
    monkeypatch.setattr(QMessageBox, "information", told)
    if busy == "running":
        dialog = window.open_batch()
        dialog.set_file(write_csv(tmp_path / "in.csv", 200))
        engine.gate.clear()
        dialog.run()
        qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)
        expected = "a batch is running. Cancel it, or let it end, then drop the file again."
    else:
        dialog = analysed(qtbot, window, tmp_path)
        release = slow_writes(monkeypatch)
        assert dialog.export(tmp_path / "out.csv")
        expected = "the results are being exported. Drop it again once they are written."
    source = dialog.file_edit.text()

    assert drop(dialog, file_drop(write_csv(tmp_path / "other.csv", 2)))
    qtbot.waitUntil(lambda: bool(told), timeout=TIMEOUT_MS)

    assert told == [f"other.csv was not chosen: {expected}"]
    assert dialog.file_edit.text() == source and questions == []
    with qtbot.waitSignal(
        window.service.batch_finished if busy == "running" else dialog.export_finished,
        timeout=TIMEOUT_MS,
    ):
        (engine.gate if busy == "running" else release).set()
