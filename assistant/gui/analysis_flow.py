"""The main window's analysis: which tasks to ask the worker, and what to do with its answers.

Typing restarts a short debounce; when it fires, the tasks whose input changed are sent to the
worker. Older requests still queued are skipped, and answers to them are dropped (see
workers.py). When every sent task has answered, the results are announced once and the analysis
is kept in the history (``text_keeper.py``). A kept analysis reopened shows its stored results as
they were, without running the models again.

Kept apart from ``main_window.py``, which builds the widgets and runs the commands: this is the
state that must stay consistent between requests and answers (what was sent, what is due, what
came back for which text), in one place to read.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from assistant.answers import found_answers, is_unsure
from assistant.gui.announce import announce
from assistant.gui.shortcuts import analyse_now_hint
from assistant.gui.text_keeper import TextKeeper
from assistant.gui.widgets.intent_panel import IntentPanel
from assistant.gui.widgets.notice_banner import NoticeBanner
from assistant.gui.widgets.qa_panel import QaPanel
from assistant.gui.widgets.result_panel import ResultPanel
from assistant.gui.widgets.sentiment_panel import SentimentPanel
from assistant.gui.widgets.text_editor import TextEditor
from assistant.gui.wording import one_line
from assistant.gui.workers import EngineState, InferenceService, QaRequest
from assistant.history import HistoryEntry, from_stored, to_stored
from assistant.language_check import language_caveat
from assistant.tasks import TASK_WORDS, TASKS

LOADING_MODEL = "Loading model…"
"""What each panel says until the models have loaded (or failed to)."""
WAITING_FOR_MODELS = "Waiting for the models to load…"
"""What a panel asked for a result says until the models have loaded."""

if TYPE_CHECKING:
    from assistant.engine import Answer

DEBOUNCE_MS = 300


class AnalysisFlow(QObject):
    """Sends the window's text and question to ``service`` and shows the answers on the panels.

    ``window`` is the parent and the source of the screen-reader notices. The window tells
    this object what changed (``text_changed``, ``question_changed``, ``text_replaced``,
    ``models_ready``); the worker's answers arrive here directly. ``answer_shown`` is emitted
    when an answer is put on the question panel, for the window to scroll it into view.
    """

    answer_shown = Signal()
    folders_skipped = Signal(str)  # a folder of bundles is skipped: said where problems stay

    def __init__(
        self,
        window: QWidget,
        service: InferenceService,
        editor: TextEditor,
        sentiment_panel: SentimentPanel,
        intent_panel: IntentPanel,
        qa_panel: QaPanel,
        language_notice: NoticeBanner,
        keeper: TextKeeper,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._editor = editor
        self._sentiment_panel = sentiment_panel
        self._intent_panel = intent_panel
        self._qa_panel = qa_panel
        self._panels: dict[str, ResultPanel] = {
            "sentiment": sentiment_panel,
            "intent": intent_panel,
            "qa": qa_panel,
        }
        self._language_notice = language_notice
        self._keeper = keeper
        self.engine_state: EngineState | None = None  # None until the models have loaded
        self._dirty: set[str] = set()  # tasks whose input changed since the last request
        self._pending: set[str] = set()  # tasks sent and not answered yet
        self._results: dict[str, Any] = {}  # task -> result as the history stores it
        self._analysed_text = ""
        self._analysed_question = ""
        self._unannounced: set[str] = set()  # tasks answered since the last announcement
        self._announced = ""  # the last results announced
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.analyse_changed)
        service.answer_progress.connect(self._on_answer_progress)
        service.result.connect(self._on_result)
        service.error.connect(self._on_error)

    # --- what changed in the window ----------------------------------------------------------

    def text_changed(self) -> None:
        """Every task reads the text: all of them are asked again after the pause in typing."""
        self._dirty.update(TASKS)
        self._debounce.start()

    def question_changed(self) -> None:
        self._announced = ""  # a new question's answer is said even if it reads the same
        self._dirty.add("qa")
        self._debounce.start()

    def text_replaced(self) -> None:
        """A paste over the whole text, or all of it deleted, starts a new history entry:
        only edits of a text update its entry, a new text must not overwrite it. The replaced
        text is kept with the results it has when some are still due (a long answer)."""
        if self._pending:  # the replaced text keeps what it has (a long answer may be due)
            if self._finished_results():
                self._keep_in_history()
            for task in self._pending:
                self._service.forget(task)
                self._panels[task].show_state("")  # no "Reading…: 25%" or a dead Stop
            self._pending.clear()
        self._keeper.leave_entry(self._analysed_text, self._analysed_question)

    def models_ready(self, state: EngineState) -> None:
        """The worker loaded the models: a panel whose model failed says so, with the repair;
        a folder whose bundles are skipped is said on the status line."""
        self.engine_state = state
        self._say_skipped(state.skipped)
        broken = {
            _in_general(error, task): error for task in TASKS if (error := self._model_error(task))
        }  # one bundle's problem once, though it names each of its tasks
        if broken:  # once, here: results announced later leave these out
            announce(self._window, " ".join(broken.values()), urgent=True)
        for task, panel in self._panels.items():
            error = self._model_error(task)
            if error:
                panel.show_error(error, self._unrepeated(task, error))
                continue
            if panel.error or panel.state_label.text() in (LOADING_MODEL, WAITING_FOR_MODELS):
                panel.show_state("")  # a result's own note stays: "Leans negative" needs it
            if task in self._pending:
                panel.show_analysing()
        if not self._editor.toPlainText().strip():
            self._ask_for_a_text()

    def _say_skipped(self, skipped: tuple[str, ...]) -> None:
        """A folder whose bundles are skipped (a mistyped SQUEEZE_ASSISTANT_MODELS), said as the
        command line says it before each analysis: a problem that stays on the status line,
        since the other folders' models answer as if they were the named folder's."""
        if skipped:
            self.folders_skipped.emit(" ".join(skipped))

    def closing(self) -> None:
        """The window closes: a pause in typing no longer sends anything."""
        self._debounce.stop()

    # --- asking the worker -------------------------------------------------------------------

    def analyse_now(self) -> None:
        """Analyse everything at once, without waiting for the debounce; the results are
        announced even where they read as before (they were asked for)."""
        self._announced = ""
        self._dirty.update(TASKS)
        self.analyse_changed()

    def analyse_changed(self) -> None:
        """Send the tasks whose input changed since the last request."""
        self._debounce.stop()
        tasks, self._dirty = self._dirty, set()
        text = self._editor.toPlainText()
        question = self._qa_panel.question.text().strip()
        if not text.strip():
            self._clear_results()
            return
        asked_before = self._analysed_question
        self._analysed_text, self._analysed_question = text, question
        self._language_notice.show_notice(language_caveat(text))
        for task in (task for task in TASKS if task in tasks):
            if task == "qa" and not question:
                self._show_idle("qa")
                self._editor.clear_answer()
                continue
            argument = QaRequest(question, text) if task == "qa" else text
            self._service.submit(task, argument)
            self._pending.add(task)
            self._show_waiting(self._panels[task])
        question_cleared = asked_before and not question and not self._pending
        if question_cleared and self._keeper.entry_id is not None:
            self._keep_in_history()  # its entry must not keep the question

    def _show_waiting(self, panel: ResultPanel) -> None:
        """A request sent: the panel says it is analysing, or, before the models have
        loaded, what it waits for (a line of its own then: a start shows no results yet)."""
        if self.engine_state:
            panel.show_analysing()
        else:
            panel.show_state(WAITING_FOR_MODELS)

    def reopen(self, entry: HistoryEntry) -> None:
        """Show ``entry``'s stored results as they were, then ask only for the tasks it holds
        no readable result for (they failed then). The window has put its text back."""
        self._analysed_text, self._analysed_question = entry.text, entry.question.strip()
        self._results = {}
        self._editor.clear_results()
        stored = from_stored(entry.results)
        for task in (task for task in TASKS if task in stored):
            self._service.forget(task)
            self._pending.discard(task)
            self._results[task] = entry.results[task]
            self._show_result(task, stored[task])
            self._unannounced.add(task)  # said as fresh results are: nothing was
        self._announced = ""
        self._dirty = set(TASKS) - stored.keys()
        self.analyse_changed()  # first: it sets the other-alphabet note for this text
        if not self._pending:  # else said with the results asked for again
            self._announce_results()

    def stop_answer(self) -> None:
        """The Stop button of a long answer: the question waits until it is asked again."""
        if "qa" not in self._pending:  # the answer came in as the button was pressed
            return
        self._service.forget("qa")
        self._results.pop("qa", None)
        self._editor.clear_answer()
        self._qa_panel.clear()  # an answer to an earlier question must not stay beside it
        self._qa_panel.show_state(
            f"Stopped. Edit the question or press {analyse_now_hint()} to ask again."
        )
        self._task_done("qa")

    def _show_idle(self, task: str) -> None:
        """No input for ``task``: drop what is in flight; keep a model error visible."""
        self._service.forget(task)
        self._pending.discard(task)
        self._unannounced.discard(task)
        self._results.pop(task, None)
        self._panels[task].clear()
        error = self._model_error(task)
        if error:
            self._panels[task].show_error(error, self._unrepeated(task, error))

    def _model_error(self, task: str) -> str | None:
        """Why ``task``'s model could not be loaded, with how to repair it (the worker knows
        which bundle failed, and so what mends it); None if it works."""
        return self.engine_state.errors.get(task) if self.engine_state else None

    def _clear_results(self) -> None:
        self._announced = ""
        self._language_notice.show_notice(None)
        for task in self._panels:
            self._show_idle(task)
        self._ask_for_a_text()
        self._editor.clear_results()
        self._keeper.entry_id = None

    def _ask_for_a_text(self) -> None:
        """A question typed before any text: say where its answer would come from."""
        if self._qa_panel.question.text().strip() and not self._model_error("qa"):
            self._qa_panel.show_state("The answer comes from the text: paste or type it first.")

    # --- answers from the worker -------------------------------------------------------------

    def _on_result(self, task: str, payload: Any) -> None:
        if task not in self._panels:
            return
        self._show_result(task, payload)
        self._results[task] = to_stored(task, payload)
        self._unannounced.add(task)
        self._task_done(task)

    def _show_result(self, task: str, payload: Any) -> None:
        """Put one result on its panel and the text: fresh from the worker or from the history."""
        text_unchanged = self._editor.toPlainText() == self._analysed_text
        if task == "sentiment":
            self._sentiment_panel.show_result(payload)
            if text_unchanged:
                self._editor.show_sentences(payload.sentences)
        elif task == "intent":
            self._intent_panel.show_result(payload, self._analysed_text)
        else:
            self._qa_panel.show_answers(payload)
            self.answer_shown.emit()
            found = found_answers(payload)
            if found and not is_unsure(found[0]):  # a guess is marked only when chosen
                self._highlight(found[0])
            else:
                self._editor.clear_answer()

    def _on_error(self, task: str, message: str) -> None:
        if task not in self._panels:
            return
        error = self._model_error(task) or message
        self._panels[task].show_error(error, self._unrepeated(task, error))
        self._results.pop(task, None)
        if task == "qa":
            self._editor.clear_answer()
        elif task == "sentiment":
            self._editor.show_sentences([])  # tints of an earlier text would mislead
        self._unannounced.add(task)
        self._task_done(task)

    def _shows_model_error(self, task: str) -> bool:
        error = self._panels[task].error
        return error is not None and error == self._model_error(task)

    def _unrepeated(self, task: str, message: str) -> str:
        """``message``, or a pointer to a panel above that shows it (or will, once it is done
        analysing: a model error stays): the same 40-70 words (an emoji-only text, a damaged
        classifier) in red twice pushed the question down."""
        said = _in_general(message, task)
        for other, panel in self._panels.items():
            if other == task:
                break
            shown = [panel.error] + ([self._model_error(other)] if other in self._pending else [])
            if said in (_in_general(text, other) for text in shown if text):
                return f"The same problem as under {panel.name}."
        return message

    def _on_answer_progress(self, done: int, total: int) -> None:
        if "qa" in self._pending:
            self._qa_panel.show_progress(done, total)

    def choose_answer(self, answer: Answer) -> None:
        """An answer picked in the list is marked in the text, and the marking said."""
        if self._highlight(answer):
            announce(self._window, f"Marked in the text: {one_line(answer.answer)}")

    def _highlight(self, answer: Answer) -> bool:
        """Mark ``answer`` in the text, unless the text has changed since it was analysed."""
        if self._editor.toPlainText() != self._analysed_text:
            return False
        self._editor.highlight_answer(answer.start, answer.end)
        return True

    def _task_done(self, task: str) -> None:
        self._pending.discard(task)
        if self._pending:
            return
        self._announce_results()
        if self._results:
            self._keep_in_history()

    def _announce_results(self) -> None:
        """Once every task sent has answered, what they said in one notice: a screen reader
        does not read labels that change away from its focus."""
        tasks, self._unannounced = self._unannounced, set()
        # A model that cannot load was said once, when the models loaded: not at every pause.
        told = [task for task in TASKS if task in tasks and not self._shows_model_error(task)]
        # A panel pointing to one above it is heard as it reads when that one is said too.
        said = [
            self._panels[task].summary(briefly=any(self._panels[t].error for t in told[:n]))
            for n, task in enumerate(told)
        ]
        if self._language_notice.isVisibleTo(self._window):
            said.append(self._language_notice.text())
        notice = ". ".join(line.rstrip(".") for line in said if line)
        if notice != self._announced:  # not the same results again at every pause in typing
            self._announced = notice
            announce(self._window, notice, urgent=any(self._panels[task].error for task in told))

    # --- keeping in the history --------------------------------------------------------------

    def _finished_results(self) -> dict[str, Any]:
        return {task: r for task, r in self._results.items() if task not in self._pending}

    def _keep_in_history(self) -> None:
        """Keep the analysed text with its finished results; reopening it runs what is missing."""
        self._keeper.keep(self._analysed_text, self._analysed_question, self._finished_results())

    def keep_unanalysed_edit(self) -> sqlite3.Error | None:
        """At close, an edit of this window's entry that the models have not answered yet (a
        question typed just before quitting) goes into that entry with the results that still
        hold: the next start then reopens the entry instead of analysing the edit into a twin.
        Returns the error if that failed."""
        text, question = self._editor.toPlainText(), self._qa_panel.question.text().strip()
        if self._keeper.entry_id is None or not text.strip():
            return None
        if (text, question) == self._keeper.entry_holds:
            return None
        return self._keeper.keep(text, question, self._results_holding_for(text, question))

    def _results_holding_for(self, text: str, question: str) -> dict[str, Any]:
        """The finished results that still hold for ``text`` and ``question``: every task's
        result depends on the text, the answer on the question too."""
        if text != self._analysed_text:
            return {}
        results = self._finished_results()
        if question != self._analysed_question:
            results.pop("qa", None)
        return results


def _in_general(message: str, task: str) -> str:
    """``message`` without what only names its task ("The intent model cannot be used", "The
    text to search holds no word"), to tell the same problem under two panels."""
    return message.replace(f"The {TASK_WORDS[task]} model", "The model").replace(
        "The text to search ", "The text "
    )
