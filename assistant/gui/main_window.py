"""The main window: text on the left, results on the right, history docked, work on the worker.

The window builds the widgets, wires them and runs the commands of its menus. What is sent to
the worker and what its answers do (the debounce, the results, the history entry they go to) is
``analysis_flow.py``; the history entry and the draft are ``text_keeper.py``; the results'
scrolling is ``results_column.py``; the word on an opened file is ``file_notice.py``; New's
undo is ``undoable_new.py``; the window's size and docks at the next start are
``window_placement.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from assistant.gui.analysis_flow import LOADING_MODEL, AnalysisFlow
from assistant.gui.application import apply_font_size
from assistant.gui.file_notice import FileNotice
from assistant.gui.main_menus import build_menus
from assistant.gui.results_column import ResultsColumn
from assistant.gui.screen_fit import fit_to_screen
from assistant.gui.settings import Settings
from assistant.gui.text_keeper import TextKeeper
from assistant.gui.text_room import TextRoom
from assistant.gui.undoable_new import UndoableNew
from assistant.gui.widgets.batch_dialog import BatchDialog
from assistant.gui.widgets.dock_title import DockTitle
from assistant.gui.widgets.history_panel import HistoryPanel
from assistant.gui.widgets.intent_panel import IntentPanel
from assistant.gui.widgets.models_dialog import ModelsDialog
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.gui.widgets.qa_panel import QaPanel
from assistant.gui.widgets.result_panel import ResultPanel
from assistant.gui.widgets.sentiment_panel import SentimentPanel
from assistant.gui.widgets.settings_dialog import SettingsDialog
from assistant.gui.widgets.status_line import StatusLine
from assistant.gui.widgets.text_editor import TextEditor
from assistant.gui.window_placement import keep_placement, restore_placement
from assistant.gui.wording import one_line
from assistant.gui.workers import EngineFactory, EngineState, InferenceService, create_engine
from assistant.history import HistoryEntry, HistoryStore

WIDTH_FOR_HISTORY = 1000
"""Narrower than this at the first start, the history starts hidden (Ctrl+H shows it): beside
it and the results the text box would be a strip a few words wide."""
TEXT_FILTER = "Text files (*.txt *.md);;All files (*)"


class MainWindow(QMainWindow):
    """Builds the widgets and wires them; the menus' commands are its public methods.

    ``analysis`` (``AnalysisFlow``) asks the worker and shows its answers; ``keeper``
    (``TextKeeper``) keeps the text in the history and the draft. What stays here is what the
    user does with the window: typing, opening, the dialogs, closing.
    """

    def __init__(
        self,
        settings: Settings,
        store: HistoryStore,
        engine_factory: EngineFactory = create_engine,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Squeeze Assistant")
        self.setObjectName("mainWindow")
        self.settings = settings
        self.store = store
        self.service = InferenceService(
            engine_factory, settings.threads(), settings.oos_threshold(), self
        )
        self.editor = TextEditor()
        self.sentiment_panel = SentimentPanel()
        self.intent_panel = IntentPanel()
        self.qa_panel = QaPanel()
        self.language_notice = NoticeBanner("Language warning")
        self.panels: dict[str, ResultPanel] = {
            "sentiment": self.sentiment_panel,
            "intent": self.intent_panel,
            "qa": self.qa_panel,
        }
        store.on_replaced = self._on_history_replaced  # before the panel's first read
        self.history_panel = HistoryPanel(store)
        self._build_layout()
        self.status_line = StatusLine()
        self.setStatusBar(self.status_line)
        build_menus(self)
        self.keeper = TextKeeper(
            store,
            self._text_and_question,
            self.status_line,
            self.history_panel.entry_written,
            self,
        )
        self.analysis = AnalysisFlow(
            self,
            self.service,
            self.editor,
            self.sentiment_panel,
            self.intent_panel,
            self.qa_panel,
            self.language_notice,
            self.keeper,
        )
        self._connect()
        self._restore_window()
        for panel in self.panels.values():
            panel.show_state(LOADING_MODEL)
        self.service.start()  # first: what the draft sends waits behind the models' loading
        self._restore_draft()

    # --- building ----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.results_column = ResultsColumn(
            self.language_notice, self.sentiment_panel, self.intent_panel, self.qa_panel
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.results_column)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)  # a dragged handle must not hide the text
        self.setCentralWidget(splitter)
        self._splitter = splitter
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history_panel)
        self.history_dock.setTitleBarWidget(DockTitle(self.history_dock, "Hide the history"))
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.history_dock)
        self.resizeDocks([self.history_dock], [230], Qt.Orientation.Horizontal)
        self.setTabOrder(self.editor, self.qa_panel.question)
        self.setTabOrder(self.qa_panel.question, self.qa_panel.stop_button)
        self.setTabOrder(self.qa_panel.stop_button, self.qa_panel.answers)
        self.setTabOrder(self.qa_panel.answers, self.history_panel.search)
        self.setTabOrder(self.history_panel.search, self.history_panel.list)
        self.setTabOrder(self.history_panel.list, self.history_panel.open_button)
        fit_to_screen(self, 1200, 780)
        self.text_room = TextRoom(self, splitter, self.editor, self.history_dock)

    def _connect(self) -> None:
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.text_arrived.connect(self.analysis.analyse_changed)
        self.editor.text_replaced.connect(self.analysis.text_replaced)
        self._undoable_new = UndoableNew(self.editor, self.qa_panel.question)
        self.editor.file_failed.connect(self.status_line.show_problem)
        self.editor.file_loaded.connect(self._start_an_entry)
        self._file_notice = FileNotice(self.editor, self.status_line)
        # A file dropped on the question or search box became its text, and the rest of the
        # window (the history too, floating in its own) refused it: it opens wherever it lands.
        drop_targets = (self, self.history_dock, self.qa_panel.question, self.history_panel.search)
        self.editor.take_file_drops_on(*drop_targets)
        self.editor.sentence_at_cursor.connect(self.sentiment_panel.show_sentence_at_cursor)
        self.qa_panel.question_changed.connect(self._on_question_changed)
        self.qa_panel.answer_chosen.connect(self.analysis.choose_answer)
        self.analysis.answer_shown.connect(self.results_column.show_answer)
        self.analysis.folders_skipped.connect(self.status_line.show_problem)
        self.qa_panel.stop_requested.connect(self.analysis.stop_answer)
        self.history_panel.open_requested.connect(self.reopen)
        self.service.status.connect(self.status_line.engine_label.setText)
        self.service.ready.connect(self._on_ready)  # results and errors go to self.analysis

    def _restore_window(self) -> None:
        self.text_room.fit_widths()
        docks_kept = restore_placement(self, self._splitter, self.settings)
        if not docks_kept and self.width() < WIDTH_FOR_HISTORY:
            self.history_dock.hide()  # a small screen's first start: the text comes first
        if self.history_panel.notice.text():
            self.history_dock.show()  # it says the history was set aside or is not saved

    def _restore_draft(self) -> None:
        """The text this window's slot had at the last exit; when it is kept in the history
        as it is, that analysis comes back with its results (no twin entry, no model run)."""
        restored = self.keeper.read_draft()
        if restored is not None:
            draft, entry = restored
            if entry is not None:
                self.reopen(entry, draft.question)
            else:
                self.qa_panel.question.setText(draft.question)
                self.editor.setPlainText(draft.text)
        self.keeper.started()

    # --- typing ------------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        self.keeper.draft_timer.start()
        self.analysis.text_changed()

    def _on_question_changed(self) -> None:
        self.keeper.draft_timer.start()
        self.analysis.question_changed()

    def _on_history_replaced(self) -> None:
        """The history file turned out damaged and another took its place (store.py): show
        where it went. Queued, since the store call that found it may be the panel's own."""
        QTimer.singleShot(0, self, self._show_history_notice)

    def _show_history_notice(self) -> None:
        self.history_panel.refresh()
        self.history_dock.show()

    # --- the worker and the results ----------------------------------------------------------

    @property
    def engine_state(self) -> EngineState | None:
        """What the worker said about its models once they loaded; None before."""
        return self.analysis.engine_state

    def _on_ready(self, state: EngineState) -> None:
        """The models loaded (or some failed): the panels and the status line say which.
        A method of the window: benchmarks/gui_probe.py wraps it to time the start."""
        self.analysis.models_ready(state)
        broken = sum(1 for error in state.errors.values() if error)
        self.status_line.show_models_loaded(broken, len(self.panels))

    # --- commands ----------------------------------------------------------------------------

    def new_analysis(self) -> None:
        """An empty window for a new text; Undo in the editor brings the last one back."""
        self._undoable_new.clear()
        self._start_an_entry()
        self.editor.setFocus()

    def open_text_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Open a text file", self.settings.last_folder(), TEXT_FILTER
        )
        if name:
            self.settings.set_value(Settings.Key.LAST_FOLDER, str(Path(name).parent))
            self.editor.load_file(Path(name))

    def _start_an_entry(self) -> None:
        """The text is a new one (a file opened, New): its analysis goes in an entry of its
        own, not in the one whose text it replaced."""
        self.keeper.entry_id = None

    def reopen(self, entry: HistoryEntry, typed_question: str | None = None) -> None:
        """Put a kept analysis back with its stored results, so no model runs again.

        Only a task the entry holds no readable result for (it failed then) is analysed. Later
        edits are analysed as usual and update this entry in place. ``typed_question``: the
        entry's question as it was typed, kept by a draft (the entry keeps it stripped).
        """
        self._undoable_new.forget()
        self.qa_panel.question.setText(
            entry.question if typed_question is None else typed_question
        )
        self.editor.replace_text(entry.text)
        self.keeper.open_entry(entry)
        self.analysis.reopen(entry)
        self.editor.setFocus()

    def analyse_now(self) -> None:
        """Ctrl+Enter: analyse everything at once, without waiting for the debounce."""
        self.analysis.analyse_now()

    def analyse_changed(self) -> None:
        """Send the tasks whose input changed now, as the pause in typing would."""
        self.analysis.analyse_changed()

    def stop_answer(self) -> None:
        """Escape: stop a long answer; the question waits until it is asked again."""
        self.analysis.stop_answer()

    def copy_answer(self) -> None:
        """The highlighted answer to the clipboard (a best guess once it is chosen): the answer
        label is selectable only by mouse, and a sure answer alone has no list to pick from."""
        answer = (self.editor.answer_text() or "").replace("\u2029", "\n")  # Qt's paragraph end
        if answer:
            QApplication.clipboard().setText(answer)
            message = f"Copied the answer: {one_line(answer)}"  # the clipboard keeps it whole
        elif self.qa_panel.answers.count():  # a best guess, marked only when chosen
            message = "Choose an answer in the list to mark it in the text, then copy it."
        else:
            message = "There is no answer to copy yet: ask a question about the text."
        self.status_line.show_message(message)

    def focus_question(self) -> None:
        self.qa_panel.question.setFocus()
        self.qa_panel.question.selectAll()

    def focus_history(self) -> None:
        self.history_dock.show()
        self.history_panel.search.setFocus()

    def open_batch(self) -> BatchDialog:
        """The batch window, on the file of rows the text box shows, if it does: the hint on
        the status bar sent the person here for it."""
        dialog = _opened(BatchDialog(self.service, self.settings, self))
        if self._file_notice.table_file is not None:
            dialog.set_file(self._file_notice.table_file)
        return dialog

    def open_models(self) -> ModelsDialog:
        return _opened(ModelsDialog(self.service, self))

    def open_settings(self) -> SettingsDialog:
        default = self.engine_state.default_oos_threshold if self.engine_state else None
        dialog = SettingsDialog(self.settings, default, self)
        dialog.accepted.connect(self.apply_settings)
        return _opened(dialog)

    def apply_settings(self) -> None:
        """Send engine settings to the worker and re-analyse, since results may change. Say so
        when they could not be saved: the user would expect them at the next start."""
        apply_font_size(QApplication.instance(), self.settings.font_size())
        self.service.configure(self.settings.threads(), self.settings.oos_threshold())
        self.analyse_now()
        if problem := self.settings.write_problem():
            self.status_line.show_problem(
                "The settings apply only until Squeeze Assistant closes: they could not be"
                f" saved ({problem})."
            )

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep the draft and layout, then stop the worker (bounded wait).

        The service goes quiet first: answers still on their way must not touch a closing window.
        An open batch window asks first if it holds results not exported (it may keep the app),
        and so does this one if the text it holds cannot be saved.
        """
        staying = [d for d in self.findChildren(BatchDialog) if d.isVisible() and not d.close()]
        for dialog in staying:
            if dialog.closing_after_export:  # it closes once its file is written; this after it
                dialog.finished.connect(self.close, Qt.ConnectionType.UniqueConnection)
        if staying:
            event.ignore()
            return
        if not self._draft_saved_or_given_up():
            event.ignore()
            return
        self.analysis.closing()
        self.history_panel.stop_searching()
        self.service.blockSignals(True)
        self.keeper.slot.release()
        keep_placement(self, self._splitter, self.settings)
        self.hide()  # at once: the worker may take seconds to stop (a long text being read)
        self.service.stop()
        super().closeEvent(event)

    def _draft_saved_or_given_up(self) -> bool:
        """Save the draft for the next start. When the text will not be there then, ask until
        it is saved or the user lets it go; False keeps the window open, so the text can be
        copied."""
        while problem := self.keeper.why_lost_after_saving(self.analysis.keep_unanalysed_edit):
            can_retry = self.store.unsaved_reason is None  # memory only: retrying cannot help
            answer = self._ask_about_unsaved_text(problem, can_retry)
            if answer != QMessageBox.StandardButton.Retry:
                return answer == QMessageBox.StandardButton.Discard
        return True

    def _text_and_question(self) -> tuple[str, str]:
        """The editor's text and the question as typed: what the draft keeps."""
        return self.editor.toPlainText(), self.qa_panel.question.text()

    def _ask_about_unsaved_text(self, problem: str, can_retry: bool) -> QMessageBox.StandardButton:
        """The question at close about text that will not be there at the next start (tests
        answer it). Retry is offered only where trying again may help."""
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        if can_retry:
            buttons |= QMessageBox.StandardButton.Retry
        first_choice = "Try again, close" if can_retry else "Close"
        return QMessageBox.warning(
            self,
            "Text not saved",
            f"{problem}\n\n{first_choice} and lose the text, or cancel to keep the window open"
            " and copy the text somewhere safe.",
            buttons,
            QMessageBox.StandardButton.Cancel,
        )


Dialog = TypeVar("Dialog", bound=QDialog)


def _opened(dialog: Dialog) -> Dialog:
    """Shown window-modal, and deleted once closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
