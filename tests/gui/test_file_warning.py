"""A warning about how a file was read belongs to its text: it goes when the text goes, and its
path stays out of the status line, where a long one was broken across two lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from assistant.gui.main_window import MainWindow

WARNING = "read as Windows-1252"


def open_legacy_file(window: MainWindow, folder: Path) -> Path:
    path = folder / "some folder with a long name" / "cp1252.txt"
    path.parent.mkdir()
    path.write_bytes(b"Caf\xe9 cr\xe8me was lovely. The bill was fair.")
    assert window.editor.load_file(path)
    return path


def paste_over(window: MainWindow, _folder: Path) -> None:
    QApplication.clipboard().setText("A text pasted over the file's.")
    window.editor.selectAll()
    window.editor.paste()


def open_another(window: MainWindow, folder: Path) -> None:
    path = folder / "plain.txt"
    path.write_text("A plain UTF-8 file.", encoding="utf-8")
    assert window.editor.load_file(path)


@pytest.mark.parametrize(
    "replace",
    [
        paste_over,
        open_another,
        lambda window, _folder: window.editor.clear(),
        lambda window, _folder: window.new_analysis(),
        lambda window, _folder: window.editor.undo(),  # the file's text taken back
    ],
    ids=["paste", "another file", "cleared", "new analysis", "undo"],
)
def test_a_file_s_warning_goes_with_its_text(
    window: MainWindow, tmp_path: Path, replace: Callable[[MainWindow, Path], None]
) -> None:
    window.editor.setPlainText("Typed before the file.")
    path = open_legacy_file(window, tmp_path)
    label = window.status_line.problem_label
    assert WARNING in label.text()
    assert str(path.parent) not in label.text()  # in the tooltip, not broken over two lines
    assert str(path) in label.toolTip()

    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText(" An edit.")  # the file's text is still there
    assert WARNING in label.text()

    replace(window, tmp_path)
    assert WARNING not in label.text()
    assert not label.toolTip()


def test_a_paste_at_the_start_of_a_one_line_file_keeps_the_warning(
    window: MainWindow, tmp_path: Path
) -> None:
    """Qt tells of it as the whole paragraph removed and written anew."""
    open_legacy_file(window, tmp_path)
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    QApplication.clipboard().setText("Review 12: ")
    window.editor.paste()
    assert window.editor.toPlainText().startswith("Review 12: Café")
    assert WARNING in window.status_line.problem_label.text()


def test_another_problem_shown_since_stays(window: MainWindow, tmp_path: Path) -> None:
    open_legacy_file(window, tmp_path)
    window.status_line.show_problem("The history could not be saved (disk full).")
    window.editor.clear()
    assert "disk full" in window.status_line.problem_label.text()


ROWS = "id,review\n0,What's the weather like?\n1,The room was lovely.\n"
ROWS_HINT = "File → Batch analysis… opens it and reads each row as a text of its own."


@pytest.mark.parametrize("name", ["reviews.csv", "reviews.tsv", "reviews.jsonl", "REVIEWS.CSV"])
def test_a_file_of_rows_opens_as_one_text_and_points_to_the_batch_window(
    window: MainWindow, tmp_path: Path, name: str
) -> None:
    """A CSV opened or dropped here was read as a 639-sentence text with no word of the batch
    window, which reads each row as a text. It still opens: a person may want its raw text."""
    path = tmp_path / name
    path.write_text(ROWS, encoding="utf-8")
    assert window.editor.load_file(path)
    assert window.editor.toPlainText() == ROWS
    label = window.status_line.problem_label
    assert label.text() == f"{name} is analysed as one text: {ROWS_HINT}"  # advice: no ⚠
    assert str(path) in label.toolTip()

    paste_over(window, tmp_path)  # the hint goes with the file's text, as a warning does
    assert not label.text()


def test_the_batch_window_opens_on_the_file_of_rows_the_text_box_shows(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    """The hint sent the person to Batch analysis, which then asked them to find the file."""
    path = tmp_path / "reviews.csv"
    path.write_text(ROWS, encoding="utf-8")
    assert window.editor.load_file(path)
    dialog = window.open_batch()
    assert dialog.file_edit.text() == str(path) and dialog.run_button.isEnabled()
    dialog.reject()
    paste_over(window, tmp_path)  # another text: the batch window starts with no file
    dialog = window.open_batch()
    assert dialog.file_edit.text() == ""
    dialog.reject()


def test_a_text_file_of_rows_gets_no_hint_and_a_damaged_table_gets_both(
    window: MainWindow, tmp_path: Path
) -> None:
    """A .txt file is mostly prose; how a table was read still comes first."""
    text_file = tmp_path / "reviews.txt"
    text_file.write_text(ROWS, encoding="utf-8")
    assert window.editor.load_file(text_file)
    assert ROWS_HINT not in window.status_line.problem_label.text()

    table = tmp_path / "latin1.csv"
    table.write_bytes(b"id,review\n0,Caf\xe9 cr\xe8me was lovely.\n")
    assert window.editor.load_file(table)
    said = window.status_line.problem_label.text()
    assert WARNING in said and said.endswith(ROWS_HINT)
    assert said.index(WARNING) < said.index(ROWS_HINT)
