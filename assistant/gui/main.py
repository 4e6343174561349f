"""Start the desktop app: safe streams, logging, the application, the window, the event loop."""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from signal import SIGINT, SIGTERM
from typing import TYPE_CHECKING

from assistant.gui.paths import LOG_DIR_ENV
from assistant.locations import DATA_DIR_ENV

if TYPE_CHECKING:
    from assistant.engine import Sentiment
    from assistant.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def _patch_std_streams() -> None:
    """A windowed (no console) frozen app has None streams; writing to them would crash."""
    if sys.stdout is None:
        sys.stdout = io.StringIO()
    if sys.stderr is None:
        sys.stderr = io.StringIO()


SMOKE_TEXT = "I love this little app, it works beautifully."
SMOKE_TIMEOUT_MS = 60_000


def main(smoke: bool = False) -> int:
    """Run the app; ``smoke`` opens the real window on throwaway data, analyses SMOKE_TEXT,
    prints the sentiment and exits (0 on a result, 1 on an error or after a minute): the
    installer's smoke test uses it to prove the frozen window answers."""
    multiprocessing.freeze_support()
    _patch_std_streams()
    scratch = tempfile.mkdtemp(prefix="squeeze-smoke-") if smoke else None
    if scratch:
        os.environ[DATA_DIR_ENV] = os.path.join(scratch, "data")
        os.environ[LOG_DIR_ENV] = os.path.join(scratch, "log")

    from PySide6.QtCore import QSettings

    from assistant.gui import paths
    from assistant.gui.application import (
        Application,
        apply_font_size,
        install_excepthook,
        tell_the_end,
    )
    from assistant.gui.logging_setup import LOG_FILE_NAME, setup_logging
    from assistant.gui.main_window import MainWindow
    from assistant.gui.qt_messages import hold_startup_messages
    from assistant.gui.settings import Settings
    from assistant.history import HistoryStore

    log_file = paths.log_dir() / LOG_FILE_NAME
    no_log_file = setup_logging(log_file.parent)
    install_excepthook(None if no_log_file else log_file)
    qt_messages = hold_startup_messages()
    try:
        app = Application(sys.argv)
    finally:  # a handler left in place crashes the exit
        qt_messages.started()
    ini = QSettings.Format.IniFormat
    try:
        scratch_ini = os.path.join(scratch, "settings.ini") if scratch else None
        settings = Settings(QSettings(scratch_ini, ini) if scratch_ini else None)
        apply_font_size(app, settings.font_size())
        store = HistoryStore.open_or_recover()
        log.info("Starting; log file %s, history %s", log_file, store.path)
        window = MainWindow(settings, store)
        if no_log_file:
            window.status_line.show_problem(no_log_file)
        window.show()
        if smoke:
            _run_smoke(window)
    except Exception as error:  # a bug or a broken install: said, not a traceback
        tell_the_end("cannot run", error, None if no_log_file else log_file)
        return 1
    try:
        with _closing_on_signals(window):
            code = app.exec()
        store.close()
    except Exception as error:  # the window has closed: no "keeps running" now
        tell_the_end("did not close cleanly", error, None if no_log_file else log_file)
        return 1
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    if window.service.is_running():
        # Still inside an uninterruptible model load; everything is saved, so leave now rather
        # than tear Python down under a thread that is inside onnxruntime.
        log.warning("Exiting while the inference thread is busy")
        logging.shutdown()
        os._exit(code)
    return code


@contextlib.contextmanager
def _closing_on_signals(window: MainWindow) -> Iterator[None]:
    """While the app runs, Ctrl+C in the terminal that started it (or SIGTERM) closes the window
    the user's way, keeping the draft; a second one quits even if the window asked to wait (a
    batch's results not saved). Python runs signal handlers only when it gets control, which
    Qt's event loop never gives it: the signal's byte on a socket wakes a notifier that does."""
    from PySide6.QtCore import QSocketNotifier
    from PySide6.QtWidgets import QApplication

    try:
        wakeup, sink = socket.socketpair()  # on Windows a loopback connection, which may fail
    except OSError as exc:
        log.warning("Ctrl+C will not close the window: %s", exc)
        yield
        return
    signals_seen: list[int] = []

    def on_signal(number: int, _frame: object) -> None:
        signals_seen.append(number)
        if len(signals_seen) == 1:
            window.close()
        else:
            QApplication.exit(128 + number)

    for end in (wakeup, sink):
        end.setblocking(False)
    notifier = QSocketNotifier(wakeup.fileno(), QSocketNotifier.Type.Read)

    def drain() -> None:
        # Python runs the handler as this slot starts; a dialog the handler opens (closing
        # asks about unsaved batch results) can drain the socket first, in its own event loop.
        with contextlib.suppress(BlockingIOError):
            wakeup.recv(64)

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(sink.fileno())
    previous = {number: signal.signal(number, on_signal) for number in (SIGINT, SIGTERM)}
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        for number, handler in previous.items():
            signal.signal(number, handler)
        notifier.setEnabled(False)
        wakeup.close()
        sink.close()


def _run_smoke(window: MainWindow) -> None:
    """Type SMOKE_TEXT into the window; close it at the first sentiment result or error."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def finish(code: int, message: str) -> None:
        print(message, flush=True)
        window.close()  # the user's way out: saves the draft and stops the worker
        QApplication.exit(code)

    def on_result(task: str, payload: Sentiment) -> None:
        if task == "sentiment":
            finish(0, f"window answered: {payload.label} {payload.score:.2f}")

    def on_error(task: str, message: str) -> None:
        if task == "sentiment":
            finish(1, f"{task}: {message}")

    window.service.result.connect(on_result)
    window.service.error.connect(on_error)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: finish(1, "no result within a minute"))
    window.editor.setPlainText(SMOKE_TEXT)
    window.analyse_now()
