"""Start-up pieces: logging into the log folder, the real entry point, the folder buttons."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from assistant.gui import paths
from assistant.gui.application import install_excepthook
from assistant.gui.logging_setup import LOG_FILE_NAME, setup_logging
from assistant.gui.paths import LOG_DIR_ENV
from assistant.locations import DATA_DIR_ENV

REPO = Path(__file__).resolve().parents[2]


LoggingSetUp = Callable[[Path], tuple[str | None, list[logging.Handler]]]


@pytest.fixture
def set_up_logging() -> Iterator[LoggingSetUp]:
    """setup_logging, returning also the handlers it added; they go after the test."""
    root = logging.getLogger()
    level = root.level
    added: list[logging.Handler] = []

    def set_up(folder: Path) -> tuple[str | None, list[logging.Handler]]:
        before = list(root.handlers)
        problem = setup_logging(folder)
        added.extend(h for h in root.handlers if h not in before)
        return problem, added

    yield set_up
    for handler in added:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_logging_goes_to_a_rotating_file_in_the_log_folder(tmp_path, set_up_logging) -> None:
    problem, added = set_up_logging(tmp_path / "logs")
    assert problem is None
    logging.getLogger("assistant.test").info("hello log")
    rotating = [h for h in added if isinstance(h, RotatingFileHandler)]
    assert rotating and rotating[0].backupCount > 0 and rotating[0].maxBytes > 0
    rotating[0].flush()
    assert "hello log" in (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")


def test_a_log_folder_that_cannot_be_used_leaves_logging_to_stderr_and_says_why(
    tmp_path, set_up_logging
) -> None:
    state = tmp_path / "state"
    state.write_text("")  # XDG_STATE_HOME set to a file, say
    problem, added = set_up_logging(state / "squeeze-assistant" / "log")
    assert problem is not None and problem.startswith("No log file is kept this session: ")
    assert str(state / "squeeze-assistant" / "log" / LOG_FILE_NAME) in problem
    assert [type(h) for h in added] == [logging.StreamHandler]


def test_paths_follow_the_overrides(data_dirs) -> None:
    assert paths.log_dir() == data_dirs / "logs"


def test_open_logs_folder_button(qtbot, window, monkeypatch, data_dirs) -> None:
    opened: list[str] = []

    class DesktopServices:  # patching the Qt class itself corrupts PySide6's refcounts
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            opened.append(url.toLocalFile())
            return True

    monkeypatch.setattr(paths, "QDesktopServices", DesktopServices)
    dialog = window.open_models()
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    buttons["Open &logs folder"].click()
    assert opened == [str(data_dirs / "logs")]
    assert (data_dirs / "logs").is_dir()


def _app_process(
    tmp_path: Path, before: str = "", log_dir: Path | None = None
) -> subprocess.Popen:
    """The real entry point in a child process (``before`` runs first): offscreen, without
    models, on this test's folders; its output read through pipes."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SQUEEZE_ASSISTANT_DATA_DIR=str(tmp_path / "data"),
        SQUEEZE_ASSISTANT_LOG_DIR=str(log_dir or tmp_path / "logs"),
        SQUEEZE_ASSISTANT_MODELS=str(tmp_path / "no-models"),
    )
    code = f"{before}\nfrom assistant.gui.main import main; raise SystemExit(main())"
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )


def test_a_display_qt_cannot_reach_ends_in_one_line_and_exit_1(tmp_path) -> None:
    """Qt itself aborts (exit 134, a page of text) where it cannot reach its display."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="xcb",
        DISPLAY=":7391",  # no X server there
        QT_DEBUG_PLUGINS="1",  # many lines of debugging, none the cause
        SQUEEZE_ASSISTANT_DATA_DIR=str(tmp_path / "data"),
        SQUEEZE_ASSISTANT_LOG_DIR=str(tmp_path / "logs"),
    )
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "assistant"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("assistant: cannot open the window (") and (
        done.stderr.count("\n") == 1
    )
    assert "checking directory" not in done.stderr  # the cause, not a debugging line
    assert "Qt could not start" in _read(tmp_path / "logs" / LOG_FILE_NAME)


def _start_app(tmp_path: Path, before: str = "") -> subprocess.Popen:
    """The app in a child process (see _app_process), once its engine is ready."""
    process = _app_process(tmp_path, before)
    log = tmp_path / "logs" / LOG_FILE_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "Engine ready" not in _read(log):
        if process.poll() is not None:
            pytest.fail("the app exited on its own")
        time.sleep(0.1)
    return process


@pytest.mark.parametrize("qt_debug", ["", "1"], ids=["quiet", "QT_DEBUG_PLUGINS"])
def test_main_starts_the_app_and_ctrl_c_closes_it(tmp_path, qt_debug: str) -> None:
    """Qt talks at exit with QT_DEBUG_PLUGINS: a Python handler still installed then crashed."""
    process = _start_app(tmp_path, f"import os; os.environ['QT_DEBUG_PLUGINS'] = '{qt_debug}'")
    try:
        assert "Engine ready" in _read(tmp_path / "logs" / LOG_FILE_NAME)
        process.send_signal(signal.SIGINT)  # Ctrl+C in the terminal: the window closes
        assert process.wait(10) == 0
    finally:
        process.kill()
    assert (tmp_path / "data" / "history.sqlite3").is_file()


def test_a_second_signal_quits_a_window_that_asked_to_wait(tmp_path) -> None:
    refuse = (
        "from assistant.gui.main_window import MainWindow\n"
        "MainWindow.closeEvent = lambda self, event: (print('asked', flush=True), event.ignore())"
    )
    process = _start_app(tmp_path, refuse)
    try:
        process.send_signal(signal.SIGTERM)
        assert process.stdout is not None and process.stdout.readline() == "asked\n"
        assert process.poll() is None  # the window is still open, waiting
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 128 + signal.SIGTERM
    finally:
        process.kill()


def test_the_app_starts_and_says_so_when_its_log_folder_cannot_be_used(tmp_path) -> None:
    (tmp_path / "state").write_text("")  # XDG_STATE_HOME set to a file, say
    show_the_problem_and_quit = (
        "from assistant.gui.application import Application\n"
        "from assistant.gui.main_window import MainWindow\n"
        "MainWindow.show = lambda self: print(self.status_line.problem_label.text(), flush=True)\n"
        "Application.exec = lambda self: 0"
    )
    process = _app_process(tmp_path, show_the_problem_and_quit, tmp_path / "state" / "log")
    try:
        shown, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0
    assert f"No log file is kept this session: {tmp_path / 'state' / 'log'}" in shown


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@pytest.mark.parametrize("log_file", [Path("/logs/Assistant.log"), None])
def test_an_unexpected_error_is_told_with_where_its_details_are(
    qtbot, monkeypatch: pytest.MonkeyPatch, log_file: Path | None
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_excepthook(log_file)
    QTimer.singleShot(0, lambda: sys.excepthook(ValueError, ValueError("boom"), None))
    qtbot.waitUntil(lambda: bool(told), timeout=5000)  # inside the event loop
    where = f"the details are in {log_file}" if log_file else "no log file keeps the details"
    assert told == [f"Something went wrong: boom\n\nThe app keeps running; {where}."]


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_an_error_before_the_event_loop_runs_waits_for_no_click_offscreen(
    qapp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], platform: str
) -> None:
    """A slot's error as the window is built: the app goes on, so it says so; offscreen (the
    installer's smoke test) nobody could click a modal dialog away."""
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(QApplication, "platformName", staticmethod(lambda: platform))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(Path("/logs/Assistant.log"))
    sys.excepthook(OSError, OSError(), None)
    line = "assistant: unexpected error: OSError (the details are in /logs/Assistant.log)\n"
    dialog = "Something went wrong: OSError\n\nThe app keeps running; the details are in"
    if platform == "offscreen":
        assert capsys.readouterr().err == line and told == []
    else:
        assert told == [f"{dialog} /logs/Assistant.log."]


def test_a_window_that_cannot_be_built_ends_in_one_line_and_exit_1(tmp_path: Path) -> None:
    code = (
        "import sys, assistant.gui.main_window as m\n"
        "def broken(*args, **kwargs): raise RuntimeError('settings are damaged')\n"
        "m.MainWindow.__init__ = broken\n"
        "from assistant.__main__ import main\n"
        "sys.exit(main([]))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env[DATA_DIR_ENV], env[LOG_DIR_ENV] = str(tmp_path / "data"), str(tmp_path / "log")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 1
    assert "assistant: cannot run: settings are damaged (the details are in" in done.stderr
    assert "Traceback" not in done.stderr  # that is in the log file


def test_an_error_as_the_window_closes_is_not_told_as_keeping_it_running(tmp_path: Path) -> None:
    code = (
        "import sys, assistant.history.store as s\n"
        "def broken(self): raise OSError('disk I/O error')\n"
        "s.HistoryStore.close = broken\n"
        "from assistant.__main__ import main\n"
        "sys.exit(main(['--gui-smoke']))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 1
    assert "assistant: did not close cleanly: disk I/O error (the details are in" in done.stderr
    assert "keeps running" not in done.stderr
