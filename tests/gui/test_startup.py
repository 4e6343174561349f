"""Start-up pieces: logging into the log folder, the real entry point, the folder buttons."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QPushButton

from assistant.gui import paths
from assistant.gui.logging_setup import LOG_FILE_NAME, setup_logging
from assistant.gui.widgets import models_dialog

REPO = Path(__file__).resolve().parents[2]


def test_logging_goes_to_a_rotating_file_in_the_log_folder(tmp_path) -> None:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        path = setup_logging(tmp_path / "logs")
        logging.getLogger("assistant.test").info("hello log")
        added = [h for h in root.handlers if h not in before]
        rotating = [h for h in added if isinstance(h, RotatingFileHandler)]
        assert rotating and rotating[0].backupCount > 0 and rotating[0].maxBytes > 0
        rotating[0].flush()
        assert path == tmp_path / "logs" / LOG_FILE_NAME
        assert "hello log" in path.read_text(encoding="utf-8")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


def test_paths_follow_the_overrides(data_dirs) -> None:
    assert paths.log_dir() == data_dirs / "logs"


def test_open_logs_folder_button(qtbot, window, monkeypatch, data_dirs) -> None:
    opened: list[str] = []

    class DesktopServices:  # patching the Qt class itself corrupts PySide6's refcounts
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            opened.append(url.toLocalFile())
            return True

    monkeypatch.setattr(models_dialog, "QDesktopServices", DesktopServices)
    dialog = window.open_models()
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    buttons["Open &logs folder"].click()
    assert opened == [str(data_dirs / "logs")]
    assert (data_dirs / "logs").is_dir()


def _start_app(tmp_path: Path, before: str = "") -> subprocess.Popen:
    """The real entry point in a child process (``before`` runs first), once its engine is
    ready: offscreen, without models, on this test's folders."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SQUEEZE_ASSISTANT_DATA_DIR=str(tmp_path / "data"),
        SQUEEZE_ASSISTANT_LOG_DIR=str(tmp_path / "logs"),
        SQUEEZE_ASSISTANT_MODELS=str(tmp_path / "no-models"),
    )
    code = f"{before}\nfrom assistant.gui.main import main; raise SystemExit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    log = tmp_path / "logs" / LOG_FILE_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "Engine ready" not in _read(log):
        if process.poll() is not None:
            pytest.fail("the app exited on its own")
        time.sleep(0.1)
    return process


def test_main_starts_the_app_and_ctrl_c_closes_it(tmp_path) -> None:
    process = _start_app(tmp_path)
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


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""
