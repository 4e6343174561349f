"""History and draft: kept across restarts, searchable, re-openable, deletable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from assistant.history import HistoryStore

TIMEOUT_MS = 5000


def test_store_adds_searches_updates_and_deletes(tmp_path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    first = store.add("It rains in Porto.", "", {"sentiment": {"label": "negative"}})
    second = store.add("100% sure_thing", "Why?", {})

    assert [e.id for e in store.search()] == [second, first]
    assert [e.id for e in store.search("porto")] == [first]
    assert [e.id for e in store.search("%")] == [second]
    assert [e.id for e in store.search("_")] == [second]
    assert [e.id for e in store.search("why")] == [second]
    assert [e.text for e in store.search("porto", text_chars=5)] == ["It ra"]
    assert store.search("porto")[0].text == "It rains in Porto."

    assert store.update(first, "It shines in Porto.", "Where?", {"x": 1})
    assert store.get(first).results == {"x": 1}
    store.delete(first)
    assert not store.update(first, "gone", "", {})
    assert store.get(first) is None
    store.clear()
    assert store.search() == []
    store.close()


def test_draft_is_saved_on_every_change(tmp_path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.save_draft("half a sent", "who?")
    # A second connection sees it at once: nothing waits for a clean exit.
    other = HistoryStore(path)
    assert other.load_draft().text == "half a sent"
    assert other.load_draft().question == "who?"
    store.close()
    other.close()


def test_draft_survives_closing_without_saving(qtbot, make_window, history_path) -> None:
    window = make_window()
    qtbot.keyClicks(window.editor, "Unsaved thoughts about the weather")
    window.qa_panel.question.setText("About what?")
    window.close()

    reopened_store = HistoryStore(history_path)
    again = make_window(store=reopened_store)
    assert again.editor.toPlainText() == "Unsaved thoughts about the weather"
    assert again.qa_panel.question.text() == "About what?"
    again.close()
    reopened_store.close()


def test_history_survives_a_restart_and_reopens(qtbot, make_window, history_path) -> None:
    window = make_window()
    window.editor.setPlainText("The weather is lovely.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    window.editor.setPlainText("The weather is lovely today.")
    qtbot.waitUntil(
        lambda: window.store.search()[0].text == "The weather is lovely today.", timeout=TIMEOUT_MS
    )
    assert window.history_panel.list.count() == 1  # edits of one text update one entry
    window.new_analysis()
    window.editor.setPlainText("Change my language to French.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 2, timeout=TIMEOUT_MS)
    window.close()

    store = HistoryStore(history_path)
    again = make_window(store=store)
    entries = store.search()
    assert [e.text for e in entries] == [
        "Change my language to French.",
        "The weather is lovely today.",
    ]
    assert entries[1].results["intent"]["label"] == "weather"
    assert again.history_panel.list.count() == 2

    again.history_panel.search.setText("lovely")
    assert again.history_panel.list.count() == 1
    again.history_panel.list.setCurrentRow(0)
    again.history_panel.open_button.click()
    assert again.editor.toPlainText() == "The weather is lovely today."
    qtbot.waitUntil(lambda: again.intent_panel.label.text() == "Weather", timeout=TIMEOUT_MS)
    again.close()
    store.close()


@pytest.mark.parametrize(
    "confirm", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
)
def test_delete_one_and_delete_all(qtbot, window, store, monkeypatch, confirm) -> None:
    for text in ("one", "two", "three"):
        store.add(text, "", {})
    window.history_panel.refresh()
    window.history_panel.list.setCurrentRow(0)
    window.history_panel.delete_button.click()
    assert [e.text for e in store.search()] == ["two", "one"]

    monkeypatch.setattr(QMessageBox, "question", lambda *args: confirm)
    window.history_panel.clear_button.click()
    expected = 0 if confirm == QMessageBox.StandardButton.Yes else 2
    assert window.history_panel.list.count() == expected == len(store.search())


def test_an_unreadable_history_is_set_aside_and_a_new_one_begun(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = HistoryStore.open_or_recover(path)
    assert store.search() == []
    store.close()
    assert [p.name.startswith("history.sqlite3.damaged-") for p in tmp_path.iterdir()].count(
        True
    ) == 1


def test_delete_key_removes_the_selected_entry(qtbot, window, store) -> None:
    store.add("keep", "", {})
    store.add("remove", "", {})
    window.history_panel.refresh()
    window.history_panel.list.setCurrentRow(0)
    window.history_panel.list.setFocus()
    qtbot.keyClick(window.history_panel.list, Qt.Key.Key_Delete)
    assert [e.text for e in store.search()] == ["keep"]
