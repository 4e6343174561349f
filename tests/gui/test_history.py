"""History and draft: kept across restarts, searchable, re-openable, deletable."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, suppress
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox

from assistant.engine.results import Answer
from assistant.gui.analysis_flow import DEBOUNCE_MS
from assistant.gui.draft_slot import DraftSlot
from assistant.gui.main_window import MainWindow
from assistant.gui.widgets.history_panel import HistoryPanel
from assistant.history import Draft, HistoryStore, damage, schema, search, to_stored
from assistant.tasks import TASKS

from .fake_engine import FakeEngine

TIMEOUT_MS = 5000
ASK_ABOUT_UNSAVED_TEXT = MainWindow._ask_about_unsaved_text  # before conftest answers for it


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
    accented = store.add("ÉCOLE fermée, café froid", "", {})
    assert [e.id for e in store.search("école")] == [e.id for e in store.search("CAFÉ")]
    assert [e.id for e in store.search("CAFÉ")] == [accented]
    assert store.search("école", text_chars=12)[0].text == "ÉCOLE fermée"  # characters, not bytes
    store.delete(accented)
    assert store.search("porto")[0].text == "It rains in Porto."

    rains = ("It rains in Porto.", "")
    assert store.update(first, "It shines in Porto.", "Where?", {"x": 1}, if_holds=rains)
    assert store.get(first).results == {"x": 1}
    assert not store.update(first, "Changed by another.", "", {}, if_holds=rains)
    assert store.get(first).text == "It shines in Porto."
    store.delete(first)
    assert not store.update(first, "gone", "", {}, if_holds=("It shines in Porto.", "Where?"))
    assert store.get(first) is None
    store.clear()
    assert store.search() == []
    store.close()


def test_a_search_finds_entries_holding_every_word_in_any_order(store) -> None:
    both = store.add("The parcel came late and damaged.", "", {})
    split = store.add("A DAMAGED box.", "Was it late?", {})  # one word in each
    store.add("Late again.", "", {})
    belated = store.add("Damaged, and belated.", "", {})  # a word inside another counts, as before
    accented = store.add("ÉCOLE fermée", "Café froid ?", {})

    assert [e.id for e in store.search("damaged late")] == [belated, split, both]
    assert len(store.search("  late\tDAMAGED ")) == 3
    assert [e.id for e in store.search("froid école")] == [accented]  # casefolded per word
    assert store.search("damaged porto") == []
    assert len(store.search(" \t")) == 5  # no words: everything
    assert store.count() == 5


def test_a_saved_draft_is_seen_by_another_connection_at_once(tmp_path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.save_draft(Draft("half a sent", "who?", 7))
    store.save_draft(Draft("another window's", ""), slot=2)
    # A second connection sees it at once: nothing waits for a clean exit.
    other = HistoryStore(path)
    assert other.load_draft() == Draft("half a sent", "who?", 7)
    assert other.load_draft(2) == Draft("another window's", "")
    assert other.load_draft(3) == Draft()
    store.close()
    other.close()


def _old_history(path: Path, version: int, *statements: str) -> Path:
    """A history file as an earlier version of the app left it."""
    with closing(sqlite3.connect(path)) as old, old:
        for statement in statements:
            old.execute(statement)
        old.execute(f"PRAGMA user_version={version}")
    return path


def test_the_single_draft_of_a_version_1_history_is_kept(tmp_path) -> None:
    path = _old_history(
        tmp_path / "h.sqlite3",
        1,
        "CREATE TABLE draft (id INTEGER PRIMARY KEY CHECK (id = 1), text TEXT NOT NULL,"
        " question TEXT NOT NULL, updated TEXT NOT NULL)",
        "INSERT INTO draft VALUES (1, 'typed before', 'asked?', '2026-01-01')",
    )
    for _ in range(2):  # migrated once, then read as the current version
        store = HistoryStore(path)
        assert store.load_draft() == Draft("typed before", "asked?")
        store.close()


def test_a_version_2_draft_gains_the_entry_it_is_kept_in(tmp_path) -> None:
    path = _old_history(
        tmp_path / "h.sqlite3",
        2,
        "CREATE TABLE drafts (slot INTEGER PRIMARY KEY CHECK (slot >= 1), text TEXT NOT NULL,"
        " question TEXT NOT NULL, updated TEXT NOT NULL)",
        "INSERT INTO drafts VALUES (1, 'typed before', '', '2026-01-01')",
    )
    with closing(HistoryStore(path)) as store:
        assert store.load_draft() == Draft("typed before", "")
        store.save_draft(Draft("typed now", "", 3))
        assert store.load_draft() == Draft("typed now", "", 3)


def test_a_second_opener_that_finds_the_migration_done_is_not_damage(
    tmp_path, monkeypatch
) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(HistoryStore(path)) as first:
        first.save_draft(Draft("typed", "", None))
    real = schema._table_columns
    raced: list[str] = []

    def racing(db: sqlite3.Connection, table: str) -> set[str]:
        """The other window adds the column between this one's look and its ALTER TABLE."""
        columns = real(db, table)
        if table == "drafts" and not raced:
            raced.append(table)
            return columns - {"entry"}
        return columns

    monkeypatch.setattr(schema, "_table_columns", racing)
    with closing(HistoryStore.open_or_recover(path)) as second:
        assert raced and second.set_aside_note is None and second.unsaved_reason is None
        assert second.load_draft() == Draft("typed", "")


def test_a_second_opener_that_finds_version_1_migrated_is_not_damage(
    tmp_path, monkeypatch
) -> None:
    path = _old_history(
        tmp_path / "h.sqlite3",
        1,
        "CREATE TABLE draft (id INTEGER PRIMARY KEY CHECK (id = 1), text TEXT NOT NULL,"
        " question TEXT NOT NULL, updated TEXT NOT NULL)",
        "INSERT INTO draft VALUES (1, 'typed before', '', '2026-01-01')",
    )
    HistoryStore(path).close()  # the other window migrates it
    monkeypatch.setattr(schema, "_has_table", lambda db, name: True)  # looked before
    with closing(HistoryStore.open_or_recover(path)) as second:
        assert second.set_aside_note is None and second.unsaved_reason is None
        assert second.load_draft() == Draft("typed before", "")


def test_typing_saves_the_draft_after_a_pause_not_per_keystroke(
    qtbot, make_window, history_path, monkeypatch
) -> None:
    window = make_window()
    saves: list[str] = []
    save = window.store.save_draft
    monkeypatch.setattr(
        window.store,
        "save_draft",
        lambda draft, *rest: (saves.append(draft.text), save(draft, *rest)),
    )
    qtbot.keyClicks(window.editor, "Typed while the app keeps running")
    reader = HistoryStore(history_path)  # as the next start would see it after a crash
    qtbot.waitUntil(
        lambda: reader.load_draft().text == "Typed while the app keeps running",
        timeout=TIMEOUT_MS,
    )
    assert saves[-1] == "Typed while the app keeps running"
    assert len(saves) <= 3  # one per pause in typing (a slow machine may pause), not 33
    reader.close()


def test_the_draft_is_saved_half_a_second_after_typing_however_long_the_analysis_takes(
    qtbot, make_window, history_path, engine: FakeEngine
) -> None:
    """Killed 0.72 s after typing stopped, the app came back with the text typed before: the
    analysis, kept in a new entry, put the draft that names it off by another half second."""
    window = make_window()
    timer = window.keeper.draft_timer
    engine.gate.clear()
    qtbot.keyClicks(window.editor, "Beta text typed by the user")
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT_MS)  # the pause in typing sent it
    left = timer.remainingTime()
    engine.gate.set()
    qtbot.waitUntil(lambda: window.keeper.entry_id is not None, timeout=TIMEOUT_MS)

    assert not timer.isActive() or timer.remainingTime() <= left  # not put off
    reader = HistoryStore(history_path)  # as the next start would see it after a crash
    draft = Draft("Beta text typed by the user", "", window.keeper.entry_id)
    assert reader.load_draft(window.keeper.slot.number) == draft  # at once, naming its entry
    reader.close()


def test_two_open_windows_keep_their_own_drafts_and_a_lone_start_takes_the_one_closed_last(
    qtbot, make_window, history_path
) -> None:
    first, second = make_window(), make_window()
    first.editor.setPlainText("The first window's text")
    second.editor.setPlainText("The second window's text")
    first.close()
    time.sleep(0.01)  # the drafts' save times differ
    second.editor.setPlainText("The second window's text, typed on after the first closed")
    typed_last = second.editor.toPlainText()
    second.close()

    store = HistoryStore(history_path)
    alone = make_window(store=store)
    assert alone.editor.toPlainText() == typed_last
    beside = make_window(store=store)  # the older draft waits for a window opened beside it
    assert beside.editor.toPlainText() == "The first window's text"
    alone.close()
    beside.close()
    store.close()


def test_a_window_closed_last_unused_does_not_hide_another_s_text(
    qtbot, make_window, history_path
) -> None:
    unused, typed_in = make_window(), make_window()
    typed_in.editor.setPlainText("Typed in the second window")
    typed_in.close()
    time.sleep(0.01)
    unused.close()  # its empty draft is the newest

    with closing(HistoryStore(history_path)) as store:
        alone = make_window(store=store)
        assert alone.editor.toPlainText() == "Typed in the second window"
        alone.close()


def test_a_window_closed_last_unchanged_does_not_hide_the_text_edited_in_another(
    qtbot, make_window, store, history_path
) -> None:
    store.save_draft(Draft("The older text"), 2)
    time.sleep(0.01)
    store.save_draft(Draft("The newer text"), 1)
    edited, beside = make_window(), make_window()
    assert beside.editor.toPlainText() == "The older text"
    edited.editor.setPlainText("The newer text, edited")
    edited.close()
    time.sleep(0.01)
    beside.close()  # its draft as it was, though its analysis now names an entry

    with closing(HistoryStore(history_path)) as again:
        alone = make_window(store=again)
        assert alone.editor.toPlainText() == "The newer text, edited"
        alone.close()


def test_a_draft_saved_again_unchanged_keeps_its_place_but_takes_its_entry(tmp_path) -> None:
    with closing(HistoryStore(tmp_path / "history.sqlite3")) as store:
        store.save_draft(Draft("older"), 1)
        time.sleep(0.01)
        store.save_draft(Draft("newer"), 2)
        time.sleep(0.01)
        entry = store.add("older", "", {})
        store.save_draft(Draft("older", "", entry), 1)
        assert store.draft_slots_newest_first() == [2, 1]
        assert store.load_draft(1) == Draft("older", "", entry)
        store.save_draft(Draft("older", "asked?", entry), 1)
        assert store.draft_slots_newest_first() == [1, 2]


def test_a_draft_slot_is_held_while_its_process_lives(tmp_path) -> None:
    lock = tmp_path / "draft-1.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from PySide6.QtCore import QLockFile;"
            f"lock = QLockFile({str(lock)!r}); lock.tryLock(0); print('held', flush=True);"
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        an_hour_ago = time.time() - 3600
        os.utime(lock, (an_hour_ago, an_hour_ago))  # old, but its holder is alive
        taken = DraftSlot(tmp_path)
        assert taken.number == 2
        taken.release()
    finally:
        holder.kill()
        holder.wait()
    freed = DraftSlot(tmp_path)  # its holder died without unlocking
    assert freed.number == 1
    freed.release()


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


@pytest.mark.parametrize("question", ["Where?", "Where was it "])  # half typed: a word comes next
def test_a_restart_reopens_the_draft_s_analysis_instead_of_adding_a_twin(
    qtbot, make_window, history_path, engine: FakeEngine, question: str
) -> None:
    window = make_window()
    window.qa_panel.question.setText(question)
    window.editor.setPlainText("The soup in Porto was cold.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    shown = window.intent_panel.label.text()
    window.close()
    analyses = [call for call in engine.calls if call[0] != "warm_up"]

    for _ in range(2):
        store = HistoryStore(history_path)
        again = make_window(store=store)
        assert again.editor.toPlainText() == "The soup in Porto was cold."
        assert again.qa_panel.question.text() == question  # as typed
        assert again.intent_panel.label.text() == shown  # the stored results, at once
        qtbot.wait(DEBOUNCE_MS * 2)
        assert [call for call in engine.calls if call[0] != "warm_up"] == analyses  # none ran
        again.close()
        assert len(store.search()) == 1
        store.close()


def test_a_question_typed_just_before_quitting_adds_no_twin_at_the_next_start(
    qtbot, make_window, history_path
) -> None:
    window = make_window()
    window.editor.setPlainText("The soup in Porto was cold.")
    qtbot.waitUntil(lambda: len(window.store.search()) == 1, timeout=TIMEOUT_MS)
    window.qa_panel.question.setText("Where?")
    window.close()  # before the pause in typing that sends the question

    with closing(HistoryStore(history_path)) as store:
        again = make_window(store=store)
        qtbot.waitUntil(lambda: "qa" in store.search()[0].results, timeout=TIMEOUT_MS)
        kept = [(e.text, e.question) for e in store.search()]
        assert kept == [("The soup in Porto was cold.", "Where?")]
        again.close()


def test_clearing_the_question_clears_it_from_the_entry_and_a_restart_adds_no_twin(
    qtbot, make_window, history_path
) -> None:
    window = make_window()
    window.qa_panel.question.setText("Who sat?")
    window.editor.setPlainText("The cat sat on the mat.")
    qtbot.waitUntil(
        lambda: [set(e.results) for e in window.store.search()] == [set(TASKS)],
        timeout=TIMEOUT_MS,
    )
    window.qa_panel.question.clear()
    qtbot.waitUntil(lambda: window.store.search()[0].question == "", timeout=TIMEOUT_MS)
    assert "qa" not in window.store.search()[0].results
    qtbot.wait(DEBOUNCE_MS * 2)  # the draft saved after the pause
    window.close()
    store = HistoryStore(history_path)
    again = make_window(store=store)
    qtbot.wait(DEBOUNCE_MS * 2)
    assert [(e.text, e.question) for e in store.search()] == [("The cat sat on the mat.", "")]
    again.close()
    store.close()


def test_undoing_new_brings_back_the_question_and_the_same_history_entry(
    qtbot, window: MainWindow
) -> None:
    window.qa_panel.question.setText("Where was Marie Curie born?")
    window.editor.setPlainText("Marie Curie was born in Warsaw.")
    qtbot.waitUntil(lambda: window.store.search()[:1] != [], timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "qa" in window.store.search()[0].results, timeout=TIMEOUT_MS)
    window.new_analysis()
    window.editor.undo()

    assert window.qa_panel.question.text() == "Where was Marie Curie born?"
    qtbot.wait(DEBOUNCE_MS * 3)
    kept = [(e.text, e.question) for e in window.store.search()]
    assert kept == [("Marie Curie was born in Warsaw.", "Where was Marie Curie born?")]


def test_a_paste_at_the_start_of_a_text_edits_its_entry(qtbot, window, store) -> None:
    window.editor.setPlainText("The soup was cold and the bill was high.")
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    window.editor.moveCursor(QTextCursor.MoveOperation.Start)
    QApplication.clipboard().setText("Note: ")
    window.editor.paste()
    qtbot.waitUntil(lambda: store.search()[0].text.startswith("Note: "), timeout=TIMEOUT_MS)
    assert len(store.search()) == 1


SIGNATURE = "\nBest regards, Anna Berg, Customer Service"


@pytest.mark.parametrize(
    "typed_over",
    [
        lambda editor: [editor.insertPlainText(key) for key in "The weather is bad."],
        lambda editor: editor.insertPlainText("Please refund my order." + SIGNATURE),
    ],
    ids=["typed", "another email, the same signature"],
)
def test_a_text_typed_or_pasted_over_all_of_another_is_a_new_entry(
    qtbot, window, store, typed_over
) -> None:
    window.editor.setPlainText("The soup was cold and the bill was high." + SIGNATURE)
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    window.editor.selectAll()
    typed_over(window.editor)
    qtbot.waitUntil(lambda: len(store.search()) == 2, timeout=TIMEOUT_MS)
    assert store.search()[1].text.startswith("The soup was cold")


BODY = "the order shipped today and arrives on Monday, with the invoice attached to it."


def test_a_paste_over_the_greeting_of_a_longer_text_edits_its_entry(qtbot, window, store):
    """Qt tells of it as everything up to the body's end removed and written anew."""
    window.editor.setPlainText("Dear team,\n" + BODY)
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    cursor = window.editor.textCursor()
    cursor.setPosition(11, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    QApplication.clipboard().setText("Hello all, ")
    window.editor.paste()
    qtbot.waitUntil(lambda: store.search()[0].text.startswith("Hello all"), timeout=TIMEOUT_MS)
    assert len(store.search()) == 1


def _two_entries_ending_alike(qtbot, window, store) -> list:
    """The "Hi Anna, …" entry shown, the "Dear Anna, …" one kept before it: newest first."""
    window.editor.setPlainText("Dear Anna, " + BODY)
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    window.new_analysis()
    window.editor.setPlainText("Hi Anna, " + BODY)
    qtbot.waitUntil(lambda: len(store.search()) == 2, timeout=TIMEOUT_MS)
    return store.search()


def test_undo_after_reopening_goes_back_to_the_entry_shown_before(qtbot, window, store):
    """However alike the two texts end, the reopened entry keeps its own text."""
    _hi, dear = _two_entries_ending_alike(qtbot, window, store)
    window.reopen(dear)
    window.editor.undo()
    assert window.editor.toPlainText().startswith("Hi Anna")
    qtbot.wait(DEBOUNCE_MS * 3)
    assert sorted(e.text[:8] for e in store.search()) == ["Dear Ann", "Hi Anna,"]


def test_undo_after_reopening_never_overwrites_the_reopened_entry(qtbot, window, store):
    """Even where the text it replaced is no longer in the history to go back to."""
    hi, dear = _two_entries_ending_alike(qtbot, window, store)
    window.reopen(dear)
    store.delete(hi.id)
    window.editor.undo()
    qtbot.wait(DEBOUNCE_MS * 3)
    assert store.get(dear.id) is not None and store.get(dear.id).text == dear.text
    assert sorted(e.text[:8] for e in store.search()) == ["Dear Ann", "Hi Anna,"]


def test_a_text_edited_into_another_entry_s_text_stays_in_its_own_entry(
    qtbot, window, store
) -> None:
    _hi, dear = _two_entries_ending_alike(qtbot, window, store)
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(2, QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "Dear")  # now the text of the first entry
    qtbot.wait(DEBOUNCE_MS * 2)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, " PS")
    qtbot.wait(DEBOUNCE_MS * 3)
    assert store.get(dear.id).text == dear.text
    assert len(store.search()) == 2


def test_reopening_an_entry_shows_its_alphabet_note(qtbot, window, store) -> None:
    window.qa_panel.question.setText("何?")
    window.editor.setPlainText("这家酒店位于巴黎市中心。")
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: "qa" in store.search()[0].results, timeout=TIMEOUT_MS)
    chinese = store.search()[0]
    window.new_analysis()
    window.qa_panel.question.setText("Who?")
    window.editor.setPlainText("Anna wrote it.")
    qtbot.waitUntil(lambda: len(store.search()) == 2, timeout=TIMEOUT_MS)
    assert window.language_notice.isHidden()
    window.reopen(chinese)
    assert not window.language_notice.isHidden()


def test_new_cannot_be_undone_into_a_later_text(qtbot, window) -> None:
    """Undo brings the question back only right after New; the next text is a new one."""
    window.qa_panel.question.setText("Who?")
    window.editor.setPlainText("Anna wrote it.")
    window.new_analysis()
    window.editor.insertPlainText("Something else")
    window.editor.selectAll()
    window.editor.insertPlainText("Anna wrote it.")  # the same text, typed again later
    assert window.qa_panel.question.text() == ""


def test_looking_at_an_entry_without_a_question_writes_nothing(qtbot, window, store) -> None:
    window.editor.setPlainText("First text about the weather.")
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    window.new_analysis()
    window.editor.setPlainText("Second text, bad news.")
    qtbot.waitUntil(lambda: len(store.search()) == 2, timeout=TIMEOUT_MS)
    before = store.search()
    time.sleep(0.01)  # a write now would change the times
    window.reopen(before[1])
    qtbot.wait(DEBOUNCE_MS * 2)
    window.qa_panel.question.setText(" ")  # a space is no question
    qtbot.wait(DEBOUNCE_MS * 2)
    assert [(e.id, e.updated) for e in store.search()] == [(e.id, e.updated) for e in before]


def test_clearing_the_question_clears_it_even_when_no_other_model_works(
    qtbot, make_window
) -> None:
    window = make_window(engine=FakeEngine(broken={"sentiment", "intent"}))
    window.qa_panel.question.setText("Who sat?")
    window.editor.setPlainText("The cat sat on the mat.")
    qtbot.waitUntil(
        lambda: [set(e.results) for e in window.store.search()] == [{"qa"}], timeout=TIMEOUT_MS
    )
    window.qa_panel.question.clear()
    qtbot.waitUntil(lambda: window.store.search()[0].question == "", timeout=TIMEOUT_MS)
    window.close()


def test_a_restart_runs_what_the_draft_s_entry_lacks(qtbot, store, make_window, engine) -> None:
    text, question = "The weather in Porto is lovely.", "Where is it lovely?"
    kept = store.add(text, question, {})  # an answer stopped, say, before the app was closed
    store.save_draft(Draft(text, question, kept))

    window = make_window()
    qtbot.waitUntil(lambda: window.qa_panel.best.text() not in ("", "—"), timeout=TIMEOUT_MS)
    assert engine.texts("qa") == [(question, text)] and engine.texts("intent") == [text]
    qtbot.waitUntil(lambda: set(store.get(kept).results) == {"sentiment", "intent", "qa"})
    assert len(store.search()) == 1


def test_a_reopened_unsure_answer_keeps_its_note_once_the_models_are_ready(
    qtbot, store, make_window
) -> None:
    text, question = "The Eiffel Tower is in Paris.", "How many people live in Tokyo?"
    unsure = [Answer("Paris", 23, 28, 0.12)]
    kept = store.add(text, question, {"qa": to_stored("qa", unsure)})
    store.save_draft(Draft(text, question, kept))

    window = make_window()  # waits until the models are ready
    assert window.qa_panel.best.text().startswith("Best guess: ")
    assert "12%" in window.qa_panel.best.text()
    assert "may not hold the answer" in window.qa_panel.caveat.text()
    assert window.qa_panel.caveat.isVisible()
    assert window.editor.answer_text() is None  # a guess is not marked as the answer
    assert not window.qa_panel.answers.isHidden()  # but choosing it marks it
    qa_list = window.qa_panel.answers
    assert qa_list.currentRow() == -1  # nor does it look chosen
    window.copy_answer()
    assert "Choose an answer in the list" in window.statusBar().currentMessage()
    qa_list.itemClicked.emit(qa_list.item(0))
    assert window.editor.answer_text() == "Paris"


def test_a_mended_model_s_error_goes_when_the_models_are_ready_again(
    qtbot, store, make_window, engine
) -> None:
    text = "The soup in Porto was cold."
    kept = store.add(text, "", {"sentiment": to_stored("sentiment", engine.sentiment(text))})
    store.save_draft(Draft(text, "", kept))
    engine.broken.add("sentiment")

    window = make_window()
    assert window.sentiment_panel.error
    engine.broken.clear()  # the model file put back
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        window.service.configure(None, None)  # the models loaded again, nothing re-analysed
    assert not window.sentiment_panel.state_label.text().startswith("⚠")


def test_a_draft_whose_entry_was_deleted_or_edited_is_analysed_afresh(
    qtbot, make_window, history_path
) -> None:
    window = make_window()
    window.editor.setPlainText("The soup in Porto was cold.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    window.close()
    store = HistoryStore(history_path)
    [entry] = store.search()
    store.update(
        entry.id, "Another window changed it.", "", entry.results, if_holds=(entry.text, "")
    )

    again = make_window(store=store)
    assert again.editor.toPlainText() == "The soup in Porto was cold."
    qtbot.waitUntil(lambda: len(store.search()) == 2, timeout=TIMEOUT_MS)
    assert store.get(entry.id).text == "Another window changed it."  # never taken over
    again.close()
    store.close()


def test_two_windows_editing_one_reopened_entry_keep_both_texts(qtbot, store, make_window) -> None:
    kept = store.add("The soup was cold.", "", {})
    first, second = make_window(), make_window()
    first.reopen(store.get(kept))
    second.reopen(store.get(kept))
    for window, words in ((first, " Really."), (second, " Truly.")):
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(window.editor, words)
        qtbot.waitUntil(lambda w=words: store.search()[0].text.endswith(w), timeout=TIMEOUT_MS)
    assert len(store.search()) == 2
    assert store.get(kept).text == "The soup was cold. Really."  # not overwritten by the second
    assert store.search()[0].text == "The soup was cold. Truly."
    first.close()
    second.close()


def test_history_survives_a_restart_and_reopens(qtbot, make_window, history_path) -> None:
    window = make_window()
    window.editor.setPlainText("The weather is lovely.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    cursor = window.editor.textCursor()
    cursor.setPosition(len("The weather is lovely"))
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, " today")
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
    qtbot.waitUntil(lambda: again.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    again.history_panel.list.setCurrentRow(0)
    again.history_panel.open_button.click()
    assert again.editor.toPlainText() == "The weather is lovely today."
    qtbot.waitUntil(lambda: again.intent_panel.label.text() == "Weather", timeout=TIMEOUT_MS)
    again.close()
    store.close()


def test_a_text_pasted_over_the_whole_text_gets_its_own_entry(qtbot, window) -> None:
    window.editor.setPlainText("I loved the first film.")
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 1, timeout=TIMEOUT_MS)
    for pasted in ("Terrible second film.", "Book me a table for two."):
        QApplication.clipboard().setText(pasted)
        window.editor.selectAll()
        window.editor.paste()
        qtbot.waitUntil(lambda p=pasted: window.store.search()[0].text == p, timeout=TIMEOUT_MS)
    assert [entry.text for entry in window.store.search()] == [
        "Book me a table for two.",
        "Terrible second film.",
        "I loved the first film.",
    ]


@pytest.mark.parametrize(
    "confirm", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel]
)
def test_delete_one_and_delete_all(qtbot, window, store, monkeypatch, confirm) -> None:
    for text in ("one", "two", "three"):
        store.add(text, "", {})
    window.history_panel.refresh()
    window.history_panel.list.setCurrentRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: confirm)
    window.history_panel.delete_button.click()
    kept = ["two", "one"] if confirm == QMessageBox.StandardButton.Yes else ["three", "two", "one"]
    assert [e.text for e in store.search()] == kept

    window.history_panel.clear_button.click()
    expected = 0 if confirm == QMessageBox.StandardButton.Yes else 3
    assert window.history_panel.list.count() == expected == len(store.search())


def test_an_unreadable_history_is_set_aside_and_a_new_one_begun(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store = HistoryStore.open_or_recover(path)
    assert store.search() == []
    assert f"the old one is kept as {tmp_path}" in (store.set_aside_note or "")
    assert HistoryPanel(store).notice.text().startswith("Note: The history file was damaged")
    store.close()
    assert [p.name.startswith("history.sqlite3.damaged-") for p in tmp_path.iterdir()].count(
        True
    ) == 1


@pytest.mark.parametrize("leave", ["new analysis", "paste over it", "reopen another"])
def test_a_text_left_before_its_answer_arrives_is_kept_with_what_it_has(
    qtbot, window, engine, store, leave
) -> None:
    store.add("an older text", "", {})
    window.history_panel.refresh()
    engine.gated_tasks = {"qa"}
    engine.gate.clear()  # the answer takes long, as it does for a book-length text
    window.qa_panel.question.setText("Where?")
    window.editor.setPlainText("The weather in Lisbon is lovely.")
    window.analyse_now()
    qtbot.waitUntil(
        lambda: (
            {"sentiment", "intent"} <= window.analysis._results.keys() and engine.waiting.is_set()
        ),
        timeout=TIMEOUT_MS,
    )
    if leave == "new analysis":
        window.new_analysis()
    elif leave == "paste over it":
        window.editor.selectAll()
        window.editor.insertPlainText("Something else entirely.")
    else:
        window.history_panel.list.setCurrentRow(0)
        window.history_panel.open_button.click()
    engine.gate.set()

    kept = [e for e in store.search() if e.text == "The weather in Lisbon is lovely."]
    assert len(kept) == 1
    assert kept[0].results.keys() == {"sentiment", "intent"}  # reopening it asks again
    qtbot.wait(200)  # the held answer, now stale, must not add a second entry
    assert len([e for e in store.search() if e.text.startswith("The weather")]) == 1


def test_texts_replaced_while_the_models_load_leave_no_empty_entries(
    qtbot, make_window, store
) -> None:
    slow = FakeEngine()
    slow.gate.clear()  # the models are still loading: every request waits
    window = make_window(engine=slow, wait_ready=False)
    for text in ("First text typed while loading.", "Second text."):
        window.editor.setPlainText(text)
        window.analyse_now()
        window.new_analysis()
    slow.gate.set()
    assert store.search() == []


def test_an_undone_paste_gives_back_one_entry_with_every_result(
    qtbot, window, engine, store
) -> None:
    original = "The weather in Lisbon is lovely."
    engine.gated_tasks = {"qa"}
    engine.gate.clear()
    window.qa_panel.question.setText("Where?")
    window.editor.setPlainText(original)
    window.analyse_now()
    qtbot.waitUntil(
        lambda: {"sentiment", "intent"} <= window.analysis._results.keys(), timeout=TIMEOUT_MS
    )
    window.editor.selectAll()
    window.editor.insertPlainText("Pasted by mistake.")  # before the answer came
    window.editor.undo()
    engine.gate.set()
    window.analyse_now()
    qtbot.waitUntil(
        lambda: not window.analysis._pending and "qa" in window.analysis._results,
        timeout=TIMEOUT_MS,
    )
    (kept,) = [e for e in store.search()]
    assert kept.text == original and kept.results.keys() == {"sentiment", "intent", "qa"}


def test_two_windows_with_the_same_text_keep_an_entry_each(qtbot, make_window, store) -> None:
    windows = {" Edited in the first.": make_window(), " Edited in the second.": make_window()}

    def analysed(window) -> None:
        window.analyse_now()
        qtbot.waitUntil(
            lambda: not window.analysis._pending and bool(window.analysis._results),
            timeout=TIMEOUT_MS,
        )

    for window in windows.values():  # both analyse the same text, then each edits it
        window.editor.setPlainText("The weather in Lisbon is lovely.")
        analysed(window)
    for edit, window in windows.items():
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        window.editor.insertPlainText(edit)
        analysed(window)
    assert sorted(e.text for e in store.search()) == [
        "The weather in Lisbon is lovely. Edited in the first.",
        "The weather in Lisbon is lovely. Edited in the second.",
    ]


def test_undoing_a_paste_that_was_analysed_gives_no_twin(qtbot, window, store) -> None:
    def analysed() -> None:
        window.analyse_now()
        qtbot.waitUntil(lambda: not window.analysis._pending, timeout=TIMEOUT_MS)

    window.editor.setPlainText("The weather in Lisbon is lovely.")
    analysed()
    window.editor.selectAll()
    window.editor.insertPlainText("Pasted by mistake.")
    analysed()
    window.editor.undo()
    analysed()
    assert sorted(e.text for e in store.search()) == [
        "Pasted by mistake.",
        "The weather in Lisbon is lovely.",
    ]


def test_a_locked_history_is_left_alone_and_this_session_kept_in_memory(
    qtbot, make_window, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "history.sqlite3"
    with closing(HistoryStore(path)) as first:
        first.add("kept from before", "", {})
    monkeypatch.setattr("assistant.history.store.LOCK_WAIT_S", 0.1)
    make_window().close()  # saves a window state with the history hidden
    with closing(sqlite3.connect(path)) as holder:
        holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
        store = HistoryStore.open_or_recover(path)
        assert "cannot be written (database is locked)" in (store.unsaved_reason or "")
        window = make_window(store=store)  # a narrow window, whose last start hid the history
        assert window.history_panel.notice.isVisible()
        assert "kept only until the app closes" in window.history_panel.notice.text()
        store.add("this session", "", {})
        assert [e.text for e in store.search()] == ["this session", "kept from before"]
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "damaged" in p.name) == []
    with closing(HistoryStore(path)) as again:
        assert [e.text for e in again.search()] == ["kept from before"]


def _disk_full(*args: object, **kwargs: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def test_a_failing_history_write_is_told_in_the_status_bar(
    qtbot, window, store, monkeypatch
) -> None:
    monkeypatch.setattr(store, "save_draft", _disk_full)
    monkeypatch.setattr(store, "add", _disk_full)
    monkeypatch.setattr(
        QMessageBox, "critical", lambda *args: pytest.fail("a dialog at every pause in typing")
    )
    qtbot.keyClicks(window.editor, "I loved it.")
    qtbot.waitUntil(
        lambda: (
            "could not be saved (database or disk is full)"
            in window.status_line.problem_label.text()
        ),
        timeout=TIMEOUT_MS,
    )
    assert window.editor.toPlainText() == "I loved it."


@pytest.mark.parametrize("shown_meanwhile", [None, "Some characters of notes.txt are unreadable."])
def test_the_history_warning_goes_once_saving_works_again_but_not_a_later_problem(
    qtbot, window, store, monkeypatch, shown_meanwhile
) -> None:
    _failing_draft_saves(store, monkeypatch, failures=1)
    qtbot.keyClicks(window.editor, "I loved it.")
    qtbot.waitUntil(
        lambda: (
            "could not be saved (database or disk is full)"
            in window.status_line.problem_label.text()
        ),
        timeout=TIMEOUT_MS,
    )
    if shown_meanwhile:
        window.status_line.show_problem(shown_meanwhile)
    qtbot.keyClicks(window.editor, " Really.")
    qtbot.waitUntil(
        lambda: store.load_draft(window.keeper.slot.number).text == "I loved it. Really.",
        timeout=TIMEOUT_MS,
    )
    assert window.status_line.problem_label.toolTip() == (shown_meanwhile or "")


def test_a_window_opens_on_a_history_with_a_broken_page_and_says_where_it_went(
    qtbot, make_window, tmp_path
) -> None:
    path = tmp_path / "elsewhere" / "history.sqlite3"
    path.parent.mkdir()
    _history_with_a_broken_page(path)
    store = HistoryStore.open_or_recover(path)
    window = make_window(store=store)  # listing the history reads the broken page
    assert "could still be read" in window.history_panel.notice.text()
    assert window.history_dock.isVisible()
    assert window.editor.toPlainText() == "typed before the damage"
    assert window.history_panel.list.count() == len(store.search()) >= 280
    window.close()
    store.close()


def test_a_history_locked_by_another_program_is_told_in_the_panel(
    qtbot, window, store, monkeypatch
) -> None:
    store.add("kept", "", {})
    window.history_panel.refresh()
    window.history_panel.list.setCurrentRow(0)

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    for name in ("search", "delete", "get"):
        monkeypatch.setattr(store, name, locked)
    monkeypatch.setattr("assistant.gui.history_searcher.select_entries", locked)  # its thread's
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    for action in (
        window.history_panel.delete_selected,
        lambda: window.history_panel.open_button.click(),
        lambda: qtbot.keyClicks(window.history_panel.search, "k\r"),  # Enter: search now
    ):
        window.history_panel.notice.show_notice(None)
        action()
        qtbot.waitUntil(
            lambda: (
                "cannot be used just now (database is locked)"
                in window.history_panel.notice.text()
            ),
            timeout=TIMEOUT_MS,
        )


def test_a_history_of_the_wrong_shape_is_set_aside_not_kept_in_memory(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute(  # another program's table of the same name
            "CREATE TABLE analyses (id INTEGER PRIMARY KEY, created, updated, text TEXT)"
        )
        other.commit()
    store = HistoryStore.open_or_recover(path)
    assert store.unsaved_reason is None and store.search() == []
    store.close()
    assert len(_set_aside(tmp_path)) == 1


def _set_aside(folder: Path) -> list[Path]:
    """The damaged history files moved aside (not their journals)."""
    pattern = r"history\.sqlite3\.damaged-\d{8}T\d{6}"
    return [p for p in folder.iterdir() if re.fullmatch(pattern, p.name)]


def _history_with_a_broken_page(path: Path, rows: int = 300) -> None:
    """A history whose file has one page of garbage in the middle of its analyses: SQLite
    opens it and reads past it until a query touches that page."""
    with closing(HistoryStore(path)) as store:
        for number in range(rows):
            store.add(f"Analysis {number}. " + "Some words. " * 80, "", {})
        store.save_draft(Draft("typed before the damage", "", None))
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every row into the file itself
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[page * 19 : page * 20] = random.Random(7).randbytes(page)  # page 20 of ~110
    path.write_bytes(data)


def test_a_page_found_broken_while_in_use_sets_the_file_aside_keeping_what_reads(
    tmp_path,
) -> None:
    path = tmp_path / "history.sqlite3"
    _history_with_a_broken_page(path)
    store = HistoryStore.open_or_recover(path)
    assert store.set_aside_note is None  # nothing read the broken page yet
    kept = store.search()  # reads every row: the broken page is found, the file set aside
    assert 280 <= len(kept) < 300
    assert f"with the {len(kept)} analyses that could still be read" in store.set_aside_note
    assert store.load_draft().text == "typed before the damage"
    assert store.add("after the damage", "", {}) > 0
    store.close()
    assert len(_set_aside(tmp_path)) == 1


def test_a_window_sharing_the_file_follows_when_another_sets_it_aside(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    _history_with_a_broken_page(path)
    finder = HistoryStore.open_or_recover(path)
    other = HistoryStore.open_or_recover(path)  # another window's process, say
    found = len(finder.search())  # the broken page: the file goes aside
    other.save_draft(Draft("typed in the other window", "", None), slot=2)
    other.add("analysed in the other window", "", {})
    assert "was replaced while this window was open" in (other.set_aside_note or "")
    finder.close()
    other.close()
    with closing(HistoryStore(path)) as again:  # the next start sees both windows' work
        assert again.load_draft(2).text == "typed in the other window"
        assert len(again.search()) == found + 1


def test_a_damaged_file_that_cannot_be_moved_keeps_the_session_in_memory_once(
    qtbot, make_window, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "elsewhere" / "history.sqlite3"
    path.parent.mkdir()
    _history_with_a_broken_page(path)
    store = HistoryStore.open_or_recover(path)
    moves = []

    def open_elsewhere(self, target):  # Windows, while another window has the file open
        moves.append(self)
        raise PermissionError(13, "The file is being used by another process", str(self))

    monkeypatch.setattr(Path, "replace", open_elsewhere)
    window = make_window(store=store)  # the panel's first listing finds the broken page
    qtbot.wait(200)  # the queued refresh has run: no new attempt at every refresh
    assert len(moves) == 1
    assert "damaged and cannot be moved aside" in window.history_panel.notice.text()
    assert "kept only until the app closes" in window.history_panel.notice.text()
    assert window.history_dock.isVisible()
    window.close()
    store.close()


def test_damage_found_by_a_save_shows_the_history_and_where_the_file_went(
    qtbot, make_window, store
) -> None:
    store.add("kept before", "", {})
    window = make_window()  # a small window: the history starts hidden
    assert not window.history_dock.isVisible()
    healthy = store._db

    class FailsOnDraftSave:  # SQLite meeting a broken page while saving the draft
        def __getattr__(self, name):
            return getattr(healthy, name)

        def __enter__(self):
            return healthy.__enter__()

        def __exit__(self, *exc):
            return healthy.__exit__(*exc)

        def execute(self, sql, *args):
            if sql.startswith("INSERT INTO drafts"):
                raise sqlite3.DatabaseError("database disk image is malformed")
            return healthy.execute(sql, *args)

    store._db = FailsOnDraftSave()
    qtbot.keyClicks(window.editor, "typed when the damage showed")
    qtbot.waitUntil(window.history_dock.isVisible, timeout=TIMEOUT_MS)
    assert re.search(r"begun with the \d analyses", window.history_panel.notice.text())
    assert store.load_draft(window.keeper.slot.number).text == "typed when the damage showed"
    window.close()


def test_a_relative_data_folder_still_salvages_a_damaged_history(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("data") / "history.sqlite3"
    path.parent.mkdir()
    _history_with_a_broken_page(path)
    store = HistoryStore.open_or_recover(path)
    assert len(store.search()) >= 280
    store.close()


def test_two_files_set_aside_in_one_second_keep_both(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    first = damage.aside_name(path)
    first.write_bytes(b"set aside a moment ago")
    second = damage.aside_name(path)
    assert second != first and not second.exists()


def test_salvage_keeps_an_analysis_whose_id_another_window_took(tmp_path) -> None:
    damaged = tmp_path / "old.sqlite3"
    with closing(HistoryStore(damaged)) as old:
        old.add("first of the old file", "", {})
        old.add("second of the old file", "", {})
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.add("added by another window meanwhile", "", {})  # took id 1
    assert store._salvage(damaged) == 2
    assert sorted(e.text for e in store.search()) == [
        "added by another window meanwhile",
        "first of the old file",
        "second of the old file",
    ]
    store.close()


def test_a_history_from_a_newer_version_is_left_as_it_is(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    with closing(HistoryStore(path)) as first:
        first.add("kept by a newer version", "", {})
    with closing(sqlite3.connect(path)) as newer:
        newer.execute("PRAGMA user_version = 99")
    store = HistoryStore.open_or_recover(path)
    assert "written by a newer version" in (store.unsaved_reason or "")
    store.close()
    with closing(sqlite3.connect(path)) as after:
        assert after.execute("PRAGMA user_version").fetchone()[0] == 99  # not migrated down
        assert after.execute("SELECT text FROM analyses").fetchall() == [
            ("kept by a newer version",)
        ]


def test_rows_with_unreadable_values_still_open_with_the_rest(
    qtbot, make_window, store, history_path
) -> None:
    good = store.add("A good row.", "", {})
    for _ in range(3):
        store.add("A row another program edited.", "", {})
    with closing(sqlite3.connect(history_path)) as other:
        other.execute("UPDATE analyses SET updated = 'next Tuesday' WHERE id = ?", (good + 1,))
        other.execute("UPDATE analyses SET updated = '0001-01-01' WHERE id = ?", (good + 3,))
        other.execute("UPDATE analyses SET results = '{broken' WHERE id = ?", (good + 2,))
        other.execute("UPDATE analyses SET text = X'C3A9FF' WHERE id = ?", (good,))
        other.commit()
    window = make_window()
    window.history_dock.show()
    assert window.history_panel.list.count() == 4
    assert store.get(good).text == "é\ufffd"
    assert store.get(good + 2).results == {}
    assert sorted(e.id for e in store.search("another")) == [good + 1, good + 2, good + 3]


def test_a_damaged_history_that_cannot_be_moved_is_left_and_the_session_kept_in_memory(
    tmp_path, monkeypatch
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)

    def read_only_folder(self, target):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "replace", read_only_folder)
    store = HistoryStore.open_or_recover(path)
    assert "damaged and cannot be moved aside" in (store.unsaved_reason or "")
    store.add("this session", "", {})
    assert [e.text for e in store.search()] == ["this session"]
    store.close()
    assert path.read_bytes().startswith(b"this is not a database")


def test_delete_key_removes_the_selected_entry(qtbot, window, store, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    store.add("keep", "", {})
    store.add("remove", "", {})
    window.history_panel.refresh()
    window.history_dock.show()  # hidden at the first start of a window as small as the test's
    window.history_panel.list.setCurrentRow(0)
    window.history_panel.list.setFocus()
    qtbot.keyClick(window.history_panel.list, Qt.Key.Key_Delete)
    assert [e.text for e in store.search()] == ["keep"]


def test_a_history_row_s_time_is_as_short_as_it_can_be(qtbot, make_window, store) -> None:
    from datetime import datetime

    from assistant.gui.widgets.history_wording import _when

    now = datetime(2026, 11, 25, 9, 30)
    assert _when(datetime(2026, 11, 25, 0, 15), now) == "00:15"  # today: the time
    assert _when(datetime(2026, 11, 24, 23, 59), now) == "24 Nov"  # this year: the day
    assert _when(datetime(2025, 3, 1, 12, 0), now) == "1 Mar 2025"
    store.add("Kept a moment ago.", "Who kept it?", {})
    window = make_window()
    window.history_dock.show()
    item = window.history_panel.list.item(0)
    assert re.match(r"(\d\d:\d\d|\d{1,2} \w{3})  ", item.text())  # the day: past midnight
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d\n\n", item.toolTip())  # the full time
    assert item.toolTip().endswith("Kept a moment ago.\n\nQuestion: Who kept it?")


def test_the_history_relabels_its_rows_at_midnight(make_window) -> None:
    from datetime import datetime, timedelta

    window = make_window()
    timer = window.history_panel._midnight
    assert timer.isActive()
    due = datetime.now() + timedelta(milliseconds=timer.remainingTime())
    assert due.date() == datetime.now().date() + timedelta(days=1)  # just after midnight


def test_bytes_that_are_not_utf8_read_as_replacement_characters_and_the_app_starts(
    qtbot, make_window, store, history_path
) -> None:
    store.add("A good row.", "", {})
    spoilt = store.add("A row another program spoils.", "Which?", {})
    store.save_draft(Draft("typed last time", ""))
    with closing(sqlite3.connect(history_path)) as other, other:
        other.execute("UPDATE drafts SET text = CAST(X'476F6FFF' AS TEXT)")
        spoil = "UPDATE analyses SET text = CAST(X'476F6FFF' AS TEXT) WHERE id = ?"
        other.execute(spoil, (spoilt,))
    window = make_window()
    assert window.editor.toPlainText() == "Goo\ufffd"
    assert window.history_panel.list.count() == 2
    assert not window.history_panel.notice.text()
    assert store.get(spoilt).text == "Goo\ufffd"
    assert [e.id for e in store.search("GOO\ufffd")] == [e.id for e in store.search("which")]
    assert [e.id for e in store.search("which")] == [spoilt]


def test_a_draft_that_cannot_be_read_leaves_the_window_empty_and_the_draft_kept(
    qtbot, make_window, store, history_path, monkeypatch
) -> None:
    store.save_draft(Draft("typed last time", "asked?"))

    def locked(*args: object) -> None:  # by another program, for longer than the wait
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "load_draft", locked)
    window = make_window()
    assert window.editor.toPlainText() == ""
    assert "could not be read (database is locked)" in window.status_line.problem_label.text()
    assert window.close()
    with closing(HistoryStore(history_path)) as reader:
        assert reader.load_draft() == Draft("typed last time", "asked?")


def _failing_draft_saves(store: HistoryStore, monkeypatch, failures: int) -> None:
    """The next ``failures`` draft saves fail as on a full disk; later ones work."""
    save = store.save_draft
    left = [sqlite3.OperationalError("database or disk is full")] * failures

    def full(*args: object) -> None:
        if left:
            raise left.pop()
        save(*args)

    monkeypatch.setattr(store, "save_draft", full)


DISK_FULL_AT_CLOSE = (
    "The text in this window could not be saved for the next start (database or disk is full)."
)


def test_quitting_asks_when_the_text_cannot_be_saved_and_cancel_keeps_the_window(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    _failing_draft_saves(store, monkeypatch, failures=2)
    window.editor.setPlainText("Typed and kept nowhere yet.")
    retry, cancel = QMessageBox.StandardButton.Retry, QMessageBox.StandardButton.Cancel
    unsaved_text_questions.answers = [retry, cancel]
    assert not window.close()
    assert unsaved_text_questions == [DISK_FULL_AT_CLOSE] * 2
    assert window.isVisible() and window.editor.toPlainText() == "Typed and kept nowhere yet."
    assert not window.service.signalsBlocked()  # its analyses still come in
    assert window.close()  # the disk has room again: saved without a question
    assert len(unsaved_text_questions) == 2
    assert store.load_draft(window.keeper.slot.number).text == "Typed and kept nowhere yet."


def test_quitting_with_text_that_cannot_be_saved_closes_on_discard(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    _failing_draft_saves(store, monkeypatch, failures=1)
    window.editor.setPlainText("Typed and let go.")
    assert window.close()
    assert unsaved_text_questions == [DISK_FULL_AT_CLOSE]
    assert store.load_draft(window.keeper.slot.number).text == ""


def test_quitting_asks_nothing_when_the_text_is_kept_in_the_history(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    window.editor.setPlainText("Analysed and kept in the history.")
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    _failing_draft_saves(store, monkeypatch, failures=1)
    assert window.close()
    assert unsaved_text_questions == []


def test_quitting_asks_when_a_question_typed_to_a_kept_text_cannot_be_saved(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    window.editor.setPlainText("Analysed and kept in the history.")
    qtbot.waitUntil(lambda: len(store.search()) == 1, timeout=TIMEOUT_MS)
    for name in ("save_draft", "update", "add"):
        monkeypatch.setattr(store, name, _disk_full)
    window.qa_panel.question.setText("Where?")  # the entry holds the text without it
    assert window.close()
    assert unsaved_text_questions == [DISK_FULL_AT_CLOSE]


def test_a_history_that_cannot_be_written_still_shows_its_analyses_and_draft(
    qtbot, make_window, tmp_path, monkeypatch, unsaved_text_questions
) -> None:
    path = tmp_path / "history.sqlite3"
    with closing(HistoryStore(path)) as before:
        before.add("kept from before", "", {})
        before.save_draft(Draft("typed last time", "asked?"))
    connect = sqlite3.connect

    def read_only_file(database: object, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        """As a read-only file opens (chmod does not stop root, who may run the tests)."""
        if database == path:
            return connect(f"{path.as_uri()}?mode=ro", *args, uri=True, **kwargs)
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_file)
    store = HistoryStore.open_or_recover(path)
    window = make_window(store=store)
    assert window.editor.toPlainText() == "typed last time"
    assert window.qa_panel.question.text() == "asked?"
    assert window.history_panel.list.count() == 1
    notice = window.history_panel.notice.text()
    assert "cannot be written (attempt to write a readonly database)" in notice
    assert "kept only until the app closes" in notice
    window.close()
    assert unsaved_text_questions == []  # the draft shown is still in the file
    store.close()


def _sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    """An error as SQLite raises it, with its extended result code."""
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def _no_index_can_be_made(monkeypatch, path: Path, error: sqlite3.Error) -> None:
    """``path`` opens as on a full disk or in a read-only folder: it cannot be written, and a
    plain read-only open fails with ``error`` for want of the -shm index of its WAL file."""
    connect = sqlite3.connect

    class ReadsFail(sqlite3.Connection):
        def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
            raise error

    def opening(database: object, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if database == path:
            raise error
        if isinstance(database, str) and database.endswith("?mode=ro"):
            kwargs["factory"] = ReadsFail
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", opening)


NO_INDEX_CAN_BE_MADE = [
    pytest.param(_sqlite_error("disk I/O error", 4874), id="disk full (SQLITE_IOERR_SHMSIZE)"),
    pytest.param(_sqlite_error("unable to open database file", 14), id="read-only folder"),
]


def _history_holding(tmp_path: Path, text: str, draft: Draft | None = None) -> Path:
    """A history file with one entry of ``text`` (and ``draft``), closed again."""
    path = tmp_path / "history.sqlite3"
    with closing(HistoryStore(path)) as before:
        before.add(text, "", {})
        if draft is not None:
            before.save_draft(draft)
    return path


def _opened_without_an_index(monkeypatch, path: Path, error: sqlite3.Error) -> closing:
    """``open_or_recover`` on ``path`` where no index (-shm) file can be made."""
    _no_index_can_be_made(monkeypatch, path, error)
    return closing(HistoryStore.open_or_recover(path))


@pytest.mark.parametrize("error", NO_INDEX_CAN_BE_MADE)
def test_a_history_whose_index_cannot_be_made_still_shows_what_its_file_holds(
    tmp_path, monkeypatch, error
) -> None:
    path = _history_holding(tmp_path, "kept from before", Draft("typed last time"))
    with _opened_without_an_index(monkeypatch, path, error) as store:
        assert f"cannot be written ({error})" in (store.unsaved_reason or "")
        assert [e.text for e in store.search()] == ["kept from before"]
        assert store.load_draft() == Draft("typed last time")


@pytest.mark.parametrize("error", NO_INDEX_CAN_BE_MADE)
def test_a_history_with_rows_still_in_its_wal_file_shows_none_rather_than_a_stale_part(
    tmp_path, monkeypatch, error
) -> None:
    path = _history_holding(tmp_path, "in the file itself")
    with closing(HistoryStore(path)) as writer:  # held open: its rows stay in the -wal file
        writer.add("only in the -wal file", "", {})
        with _opened_without_an_index(monkeypatch, path, error) as store:
            assert store.unsaved_reason is not None
            assert store.search() == []


def _answer_the_message_box(
    button: QMessageBox.StandardButton,
    shown: list[tuple[str, set[QMessageBox.StandardButton]]],
    tries: int = 500,
) -> None:
    """Click ``button`` in the message box about to open, noting its text and buttons; looks
    for it for 5 s at most (a test that fails before showing it must not leave this running)."""
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    box = next((box for box in boxes if box.isVisible()), None)
    if box is None and tries > 0:  # not shown yet
        QTimer.singleShot(10, lambda: _answer_the_message_box(button, shown, tries - 1))
        return
    if box is None:
        return
    shown.append((box.text(), {box.standardButton(b) for b in box.buttons()}))
    box.button(button).click()


def test_the_question_at_close_names_the_problem_and_can_be_cancelled(
    qtbot, window, store, monkeypatch
) -> None:
    monkeypatch.setattr(MainWindow, "_ask_about_unsaved_text", ASK_ABOUT_UNSAVED_TEXT)
    _failing_draft_saves(store, monkeypatch, failures=1)
    window.editor.setPlainText("Typed and kept nowhere yet.")
    shown: list[tuple[str, set[QMessageBox.StandardButton]]] = []
    QTimer.singleShot(0, lambda: _answer_the_message_box(QMessageBox.StandardButton.Cancel, shown))
    assert not window.close()
    text, buttons = shown[0]
    assert "could not be saved for the next start (database or disk is full)" in text
    assert QMessageBox.StandardButton.Retry in buttons


def _kept_in_memory(path: Path, salvaged: Draft) -> HistoryStore:
    """A session's history kept in memory since its file cannot be written, holding the draft
    read from that file."""
    reason = f"The history file {path} cannot be written (attempt to write a readonly database)."
    store = HistoryStore(path, unsaved_reason=reason)
    store.save_draft(salvaged)
    return store


def _lost_at_close(store: HistoryStore) -> str:
    """What the question at close says of a session kept in memory."""
    lost = "So the text in this window will not be there at the next start."
    return f"{store.unsaved_reason} {lost}"


@pytest.mark.parametrize("change", ["text", "question"])
def test_closing_a_session_kept_in_memory_asks_about_what_was_typed_in_it(
    qtbot, make_window, history_path, unsaved_text_questions, change
) -> None:
    with closing(_kept_in_memory(history_path, Draft("typed last time", "asked?"))) as store:
        window = make_window(store=store)
        if change == "text":
            window.editor.setPlainText("typed last time, and more this time")
        else:
            window.qa_panel.question.setText("asked again?")
        unsaved_text_questions.answers = [QMessageBox.StandardButton.Cancel]
        assert not window.close()
        assert unsaved_text_questions == [_lost_at_close(store)]
        assert window.close()  # Discard
        assert len(unsaved_text_questions) == 2


@pytest.mark.parametrize("salvaged", [Draft("typed last time", "asked?"), Draft()])
def test_closing_a_session_kept_in_memory_asks_nothing_when_nothing_was_typed(
    qtbot, make_window, history_path, unsaved_text_questions, salvaged
) -> None:
    with closing(_kept_in_memory(history_path, salvaged)) as store:
        window = make_window(store=store)
        qtbot.wait(DEBOUNCE_MS * 2)  # the restored text is analysed and kept meanwhile
        assert window.close()
        assert unsaved_text_questions == []


def test_the_question_at_close_of_a_session_kept_in_memory_offers_no_retry(
    qtbot, make_window, history_path, monkeypatch
) -> None:
    monkeypatch.setattr(MainWindow, "_ask_about_unsaved_text", ASK_ABOUT_UNSAVED_TEXT)
    with closing(_kept_in_memory(history_path, Draft())) as store:
        window = make_window(store=store)
        window.editor.setPlainText("Typed in a session kept in memory.")
        shown: list[tuple[str, set[QMessageBox.StandardButton]]] = []
        discard = QMessageBox.StandardButton.Discard
        QTimer.singleShot(0, lambda: _answer_the_message_box(discard, shown))
        assert window.close()
        text, buttons = shown[0]
        assert _lost_at_close(store) in text
        assert "Close and lose the text, or cancel to keep the window open" in text
        assert buttons == {discard, QMessageBox.StandardButton.Cancel}


def test_the_history_is_searched_once_typing_pauses_or_at_once_on_enter(
    qtbot, tmp_path, monkeypatch
) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.add("The weather is lovely today.", "", {})
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    searches: list[str] = []
    search = panel._searcher.search
    monkeypatch.setattr(
        panel._searcher,
        "search",
        lambda request: searches.append(request.query) or search(request),
    )
    for typed in ("l", "lo", "lov", "love"):  # a key at a time, faster than the pause
        panel.search.setText(typed)
    qtbot.waitUntil(lambda: searches == ["love"], timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.search.setText("rain")
        panel.search.editingFinished.emit()  # Enter
    assert searches[-1] == "rain" and panel.list.count() == 0
    store.close()


def test_closing_on_a_locked_history_waits_once_before_asking(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    window.reopen(store.get(store.add("Kept text.", "", {})))
    window.qa_panel.question.setText("Typed just before quitting?")
    writes: list[str] = []

    def locked(*args: object, **kwargs: object) -> None:
        writes.append("waited 5 s")  # each write waits out the lock before failing
        raise sqlite3.OperationalError("database is locked")

    for name in ("update", "add", "save_draft"):
        monkeypatch.setattr(store, name, locked)
    unsaved_text_questions.answers = [QMessageBox.StandardButton.Cancel]
    assert not window.close()
    assert writes == ["waited 5 s"] and len(unsaved_text_questions) == 1


def _writes_fail(store: HistoryStore, monkeypatch, message: str, *names: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError(message)

    for name in names:
        monkeypatch.setattr(store, name, fail)


def test_closing_asks_nothing_when_the_draft_in_the_file_already_holds_the_text(
    qtbot, make_window, store, monkeypatch, unsaved_text_questions
) -> None:
    store.save_draft(Draft("Restored, untouched."))
    window = make_window(wait_ready=False)  # no model answers, so no entry holds it
    _writes_fail(store, monkeypatch, "database is locked", "update", "add", "save_draft")
    assert window.close()
    assert unsaved_text_questions == []


def test_a_draft_is_saved_at_close_even_when_its_entry_could_not_be(
    qtbot, window, store, monkeypatch, unsaved_text_questions
) -> None:
    window.reopen(store.get(store.add("Kept text.", "", {})))
    window.qa_panel.question.setText("Typed just before quitting?")
    _writes_fail(store, monkeypatch, "database or disk is full", "update", "add")
    assert window.close()
    assert unsaved_text_questions == []
    assert store.load_draft().question == "Typed just before quitting?"


@pytest.fixture
def two_entry_panel(qtbot, tmp_path) -> Iterator[tuple[HistoryPanel, list[Any]]]:
    """A history panel over two entries, newest first (Porto's rain, then the lovely weather),
    with the list of entries it asked to open."""
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.add("The weather is lovely today.", "", {})
    store.add("Rain again in Porto.", "", {})
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    opened: list[Any] = []
    panel.open_requested.connect(opened.append)
    yield panel, opened
    store.close()


def test_a_pick_from_a_list_a_search_is_about_to_replace_is_not_acted_on(
    qtbot, two_entry_panel
) -> None:
    panel, opened = two_entry_panel
    panel.search.setText("lovely")  # Down, Enter at once: the list still shows both
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.open_button.click()
    assert opened == [] and panel.list.count() == 1  # the search ran instead
    panel.list.setCurrentRow(0)
    panel.open_button.click()
    assert [entry.text for entry in opened] == ["The weather is lovely today."]


def test_closing_asks_when_a_draft_of_the_session_replaced_the_start_text_and_saving_fails(
    qtbot, make_window, store, monkeypatch, unsaved_text_questions
) -> None:
    store.save_draft(Draft("Start text."))
    window = make_window(wait_ready=False)
    window.editor.setPlainText("Start text. Added later.")
    assert window.keeper.save_draft() is None  # as the draft timer does
    window.editor.setPlainText("Start text.")  # undone: the file's draft no longer holds it
    _writes_fail(store, monkeypatch, "database or disk is full", "update", "add", "save_draft")
    assert window.close()
    assert unsaved_text_questions == [
        "The text in this window could not be saved for the next start (database or disk is full)."
    ]


@pytest.mark.parametrize("lost", [False, True], ids=["entry of the file", "entry lost"])
def test_closing_a_session_kept_in_memory_asks_only_for_an_entry_the_store_lost(
    qtbot, make_window, history_path, unsaved_text_questions, lost: bool
) -> None:
    with closing(_kept_in_memory(history_path, Draft())) as store:
        entry = store.add("Read from the history file.", "", {})
        window = make_window(store=store)
        window.reopen(store.get(entry))
        if lost:
            store.delete(entry)  # as a page found damaged takes it with it
        assert window.close()
        assert len(unsaved_text_questions) == (1 if lost else 0)


def test_enter_in_the_search_box_reads_the_list_again(qtbot, tmp_path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.add("First.", "", {})
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    store.add("Added by another window.", "", {})
    panel.search.returnPressed.emit()
    assert panel.list.count() == 2
    store.close()


def test_a_pick_that_a_waiting_search_keeps_opens_once_it_is_listed(
    qtbot, two_entry_panel
) -> None:
    panel, opened = two_entry_panel
    panel.list.setCurrentRow(1)  # the lovely one, older
    panel.search.setText("lovely")
    panel.open_button.click()
    qtbot.waitUntil(lambda: opened != [], timeout=TIMEOUT_MS)
    assert [entry.text for entry in opened] == ["The weather is lovely today."]


def _moves_refused(monkeypatch) -> None:  # a read-only folder
    def refused(self, target):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "replace", refused)


def _no_room_for_a_new_file(monkeypatch) -> None:  # moved aside, then the disk is full
    begun = HistoryStore.__init__

    def no_room(self, where=None, **kwargs):
        if kwargs.get("unsaved_reason") is None and not Path(str(where)).exists():
            raise sqlite3.OperationalError("database or disk is full")
        begun(self, where, **kwargs)

    monkeypatch.setattr(HistoryStore, "__init__", no_room)


@pytest.mark.parametrize(
    ("fail", "said"),
    [
        (_moves_refused, "is damaged and cannot be moved aside"),
        (_no_room_for_a_new_file, "was damaged and is kept as"),
    ],
)
def test_a_damaged_history_with_no_new_file_still_shows_what_can_be_read(
    tmp_path, monkeypatch, fail, said
) -> None:
    path = tmp_path / "history.sqlite3"
    _history_with_a_broken_page(path)
    fail(monkeypatch)
    store = HistoryStore._set_aside(path)
    assert said in (store.unsaved_reason or "")
    assert len(store.search()) >= 280  # the rows outside the broken page, read where they are
    store.close()


START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _panel_over(qtbot, store: HistoryStore, texts: list[str]) -> HistoryPanel:
    with store._db:  # hundreds of rows at once, oldest first
        store._db.executemany(
            "INSERT INTO analyses (created, updated, text, question, results)"
            " VALUES (?1, ?1, ?2, '', '{}')",
            [((START + timedelta(minutes=n)).isoformat(), text) for n, text in enumerate(texts)],
        )
    panel = HistoryPanel(store)
    qtbot.addWidget(panel)
    return panel


def _search(qtbot, panel: HistoryPanel, query: str) -> str:
    """The list's note once ``query`` was searched for, at once as on Enter ("" if none)."""
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.search.setText(query)
        panel.search.returnPressed.emit()
    assert panel.list_note.isVisible() == bool(panel.list_note.text())
    return panel.list_note.text().replace("\u200e", "").replace("\u2068", "").replace("\u2069", "")


def test_the_history_says_when_it_shows_only_the_newest_entries(qtbot, store) -> None:
    texts = [f"Parcel {n} was {'late' if n % 5 else 'on time'}." for n in range(602)]
    panel = _panel_over(qtbot, store, texts)
    panel.show()
    assert panel.list.count() == 500
    assert panel.list.item(0).toolTip().endswith("Parcel 601 was late.")
    assert _search(qtbot, panel, "") == "Showing the newest 500 of 602: search to find older ones."
    assert (
        _search(qtbot, panel, "parcel")
        == "Showing the newest 500 matches: add words to narrow it."
    )
    assert (_search(qtbot, panel, "late"), panel.list.count()) == (
        "",
        481,
    )  # all shown: nothing said
    assert (_search(qtbot, panel, "60 parcel"), panel.list.count()) == ("", 8)  # 60, 160… 601


def test_a_search_over_500_matches_says_so_without_counting_them(
    qtbot, store, monkeypatch
) -> None:
    """Counting a search's matches read every text again: a second for 5,000 long entries."""
    panel = _panel_over(qtbot, store, [f"Parcel {n} was late." for n in range(502)])
    panel.show()
    counted: list[int] = []
    count = store.count
    monkeypatch.setattr(store, "count", lambda: counted.append(count()) or counted[-1])
    assert (
        _search(qtbot, panel, "late parcel")
        == "Showing the newest 500 matches: add words to narrow it."
    )
    assert panel.list.count() == 500 and counted == []
    assert _search(qtbot, panel, "") == "Showing the newest 500 of 502: search to find older ones."
    assert counted == [502]  # no query: the index alone is counted


def test_a_pasted_paragraph_searches_its_first_words_each_once(qtbot, store) -> None:
    """SQLite refused a query of 1,000 words (an expression tree too deep) and the panel said
    the history could not be used."""
    kept = store.add(" ".join(f"w{n}" for n in range(40)), "", {})
    store.add("w0 w1 w2", "", {})
    paragraph = " ".join(f"W{n}" for n in range(1000))
    assert [e.id for e in store.search(paragraph)] == [kept]  # words past the 32nd not sought
    assert [e.id for e in store.search("w0 " * 999 + "w35")] == [kept]  # repeats count once
    panel = _panel_over(qtbot, store, [])
    panel.show()
    only = "Only the first 32 different words are searched for."
    assert (_search(qtbot, panel, paragraph), panel.list.count()) == (only, 1)  # said, not silent
    assert panel.notice.isHidden()
    assert _search(qtbot, panel, "w0 " * 999) == ""  # one word, however often


def test_a_search_for_no_word_is_said_as_no_search(qtbot, store) -> None:
    """A lone accent folds to no word: the newest 500 showed, said as "500 matches"."""
    panel = _panel_over(qtbot, store, [f"Parcel {n}." for n in range(502)])
    panel.show()
    assert _search(qtbot, panel, "\u00b4") == (
        "Showing the newest 500 of 502: search to find older ones."
    )


def test_a_search_that_finds_nothing_says_so_but_an_empty_history_says_nothing(
    qtbot, store
) -> None:
    panel = _panel_over(qtbot, store, [])
    panel.show()
    assert (_search(qtbot, panel, ""), _search(qtbot, panel, "  ")) == ("", "")
    store.add("The parcel came late.", "", {})
    assert _search(qtbot, panel, "  parcel   damaged ") == "No analyses match “parcel damaged”."
    assert panel.list.count() == 0
    assert _search(qtbot, panel, "parcel") == ""
    assert _search(qtbot, panel, "x" * 100) == f"No analyses match “{'x' * 59}…”."


def test_delete_all_deletes_every_analysis_even_while_a_search_shows_some(
    qtbot, store, monkeypatch
) -> None:
    panel = _panel_over(qtbot, store, ["The parcel came late.", "Rain in Porto."])
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda parent, title, text, *args: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.search.setText("porto")
        panel.search.returnPressed.emit()
    assert panel.list.count() == 1
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        panel.clear_button.click()
    assert "every kept analysis" in asked[0]
    assert store.search() == [] and panel.list.count() == 0


def test_a_count_that_fails_after_the_search_worked_says_so_and_raises_nothing(
    qtbot, store, monkeypatch
) -> None:
    """The search's 501 rows stayed counted while the count failed (another window writing):
    the note then formatted None and the list's refresh raised TypeError."""
    panel = _panel_over(qtbot, store, [f"Parcel {n}" for n in range(501)])

    def locked() -> int:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "count", locked)
    assert _search(qtbot, panel, "") == ""
    assert panel.list.count() == 0 and "database is locked" in panel.notice.text()


def test_a_search_leaves_accents_out_of_the_words_and_the_texts(store) -> None:
    cafe = store.add("Le café était délicieux.", "", {})
    naive = store.add("The naïve CAFE owner smiled.", "", {})
    pasted = store.add("Straße “quoted” … ™", "Déjà vu?", {})  # folded by the Western table
    scripts = store.add("Ἀθῆναι, كِتَابٌ, Łódź", "", {})  # and without it
    cant = store.add("I can't believe it!", "", {})

    def found(query: str) -> list[int]:
        return [entry.id for entry in store.search(query)]

    assert found("cafe") == found("CAFÉ") == found("Café") == [naive, cafe]
    assert found("naive") == found("naïve") == [naive]
    assert found("etait delicieux") == [cafe]
    assert found("strasse ... tm deja") == [pasted]  # "deja" in the question
    assert found("αθηναι") == found("كتاب") == found("lodz") == [scripts]
    assert (found("can't"), found("cant")) == ([cant], [])  # an apostrophe still counts
    mail = store.add("Don\u2019t worry, Søren: Cœur de København.", "", {})  # as pasted
    assert found("don't soren coeur kobenhavn") == found("DON\u2019T") == [mail]
    assert search.folded("\u01feRSTED \u01e2LFRIC") == "orsted aelfric"  # Ǿ, Ǣ: decomposed first


def test_a_western_text_folds_by_its_table_as_any_text_folds() -> None:
    """Texts in Windows-1252 fold by a table, as fast as casefolding: it must fold them alike."""
    western = []
    for byte in range(256):
        with suppress(UnicodeDecodeError):  # five bytes stand for no character
            western.append(bytes([byte]).decode("cp1252"))
    rng = random.Random(1252)
    texts = western + ["".join(rng.choices(western, k=60)) for _ in range(300)]
    assert [search.folded(t) for t in texts] == [search._folded_slowly(t) for t in texts]


def test_any_text_folds_run_by_run_as_it_folds_whole() -> None:
    """Other texts fold only their runs of characters that folding changes: it must fold them
    alike, whether runs are few or many, with accents of every combining class at their ends
    (normalizing reorders those) and characters past the first plane."""
    kept = list("the cat 9.,'\0\n市议会жизнь حب אב กข कख\ufffd\ud800")
    changing = list("ÉéŁłøæßẞıİſﬁＡ①™…“\u2019µǾأЙйёἈ한がヴ\u00a0\u3000")
    changing += list("\U0001d400\U0001f600\U0001f130")
    changing += [chr(code) for code in (0x301, 0x323, 0x334, 0x34F, 0x344, 0x5B0, 0x670, 0x93C)]
    changing += [chr(code) for code in (0x94D, 0xF71, 0xF72, 0xF73, 0x3099, 0x1D15E, 0x11046)]
    rng = random.Random(65536)
    texts = [chr(code) for code in range(0x10000)]
    for share in (0.01, 0.1, 0.5):  # of the characters, changing
        weights = [share / len(changing)] * len(changing) + [(1 - share) / len(kept)] * len(kept)
        texts += [
            "".join(rng.choices(changing + kept, weights, k=length))
            for length in (60, 600, 6000)
            for _ in range(30)
        ]
    assert [search.folded(t) for t in texts] == [search._folded_slowly(t) for t in texts]
    rows = [text.encode("utf-8", "surrogatepass") for text in texts]  # a lone one is not UTF-8
    assert [search._folded(row) for row in rows] == [
        search._folded_slowly(row.decode("utf-8", "replace")) for row in rows
    ]


def test_a_long_text_among_english_normalizes_only_what_folding_changes(monkeypatch) -> None:
    """Searching 5,000 texts of 18,000 characters in Chinese, Russian and English took 1.7 s
    while each was normalized whole. Only the runs that folding changes are now, and the ASCII
    capitals are lowered beforehand, not a run each. Where runs are close together (Korean), a
    text is normalized whole: run by run would be slower."""
    search.folded("Łódź")  # the first such text works out which characters folding changes
    normalized: list[str] = []
    fold = search._folded_slowly

    def recorded(text: str) -> str:
        normalized.append(text)
        return fold(text)

    monkeypatch.setattr(search, "_folded_slowly", recorded)
    text = "The Council approved the budget: 市议会批准了预算, Жизнь идёт своим чередом. " * 300
    text += "Łódź"

    assert search.contains_every_folded(text.encode(), b"", ["lodz", "жизнь", "council"])
    assert len("".join(normalized)) < len(text) / 10
    assert not re.search("[A-Z]", "".join(normalized))
    normalized.clear()
    korean = "한국어 텍스트 검색 " * 1000
    assert search.folded(korean) == fold(korean)
    assert normalized == [korean]


class _EscapesToTheWindow(QObject):
    """Records the Escape keys that reach the window it filters."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.seen += event.key() == Qt.Key.Key_Escape
        return False


def test_escape_empties_the_history_search_and_an_empty_one_leaves_it_to_the_window(
    qtbot, window, store
) -> None:
    store.add("Rain in Porto.", "", {})
    store.add("Sun in Faro.", "", {})
    panel = window.history_panel
    escapes = _EscapesToTheWindow()
    window.installEventFilter(escapes)
    window.activateWindow()
    window.focus_history()
    with qtbot.waitSignal(panel.listed, timeout=TIMEOUT_MS):
        qtbot.keyClicks(panel.search, "porto\r")
    assert panel.list.count() == 1
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == "" and escapes.seen == 0
    assert panel.list.count() == store.count() == 2  # at once, not after the typing pause
    assert QApplication.focusWidget() is panel.search
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)  # an empty box: as before
    assert escapes.seen == 1


def test_escape_in_the_history_search_stops_a_long_answer_first(
    qtbot, window, engine, monkeypatch
) -> None:
    """The menus' keys win over the text boxes' own: while an answer is read, Escape stops it
    from anywhere in the window (one key, not an ambiguous pair that does nothing)."""
    monkeypatch.setattr("assistant.gui.workers.ANSWER_PROGRESS_S", 0.0)
    engine.gated_tasks = {"qa"}
    engine.gate.clear()
    window.qa_panel.question.setText("Where is the weather lovely?")
    window.editor.setPlainText("The weather in Lisbon is lovely.")
    window.analyse_now()
    qtbot.waitUntil(window.qa_panel.stop_button.isVisible, timeout=TIMEOUT_MS)
    window.activateWindow()
    window.focus_history()
    qtbot.keyClicks(window.history_panel.search, "lisbon")
    qtbot.keyClick(window.history_panel.search, Qt.Key.Key_Escape)
    assert window.qa_panel.state_label.text().startswith("Stopped.")
    assert window.history_panel.search.text() == "lisbon"
    engine.gate.set()
    qtbot.keyClick(window.history_panel.search, Qt.Key.Key_Escape)  # nothing to stop now
    assert window.history_panel.search.text() == ""


def test_a_text_with_control_characters_shows_whole_in_the_history_list(qtbot, store) -> None:
    """SQLite's substr ended the list's text at a NUL: the row showed "Great product" alone."""
    store.add("Great product\x00 but\x07 the battery\x1b dies fast.", "Why\x00?", {})
    assert store.search(text_chars=16)[0].text == "Great product\x00 b"
    panel = _panel_over(qtbot, store, [])
    row = panel.list.item(0)
    assert row.text().endswith("Great product but the battery dies fast.\u2069")
    assert row.toolTip().endswith(
        "\n\nGreat product  but  the battery  dies fast.\n\nQuestion: Why ?"
    )
