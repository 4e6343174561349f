"""`assistant` and `python -m assistant`: the window with no arguments, else the command line."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

NO_WINDOW = "cannot open the window ({}). The command line still works: assistant --help"


def _missing_display() -> str | None:
    """Why Qt would abort the process for want of a screen (Linux/BSD), or None."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    if any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set"


def _exit_on_signal(number: int, _frame: object) -> None:
    """Unwind like Ctrl+C, once: a second signal (``timeout`` sends one to the process and one
    to its group) must not land in the unwinding itself."""
    for name in _ENDING_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    sys.exit(128 + number)


_ENDING_SIGNALS = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
"""Signals that end a command line on request: `timeout`, a closed terminal."""


def main(argv: Sequence[str] | None = None) -> int:
    """Start the GUI or the CLI; imports stay lazy so the CLI never loads Qt."""
    args = list(sys.argv[1:] if argv is None else argv)
    smoke = args == ["--gui-smoke"]
    if args and not smoke:
        # A terminated command line (`timeout`, a closed terminal) unwinds like Ctrl+C, so a
        # batch's unfinished output file is removed; Ctrl+C while it loads is no traceback.
        for name in _ENDING_SIGNALS:
            signal.signal(getattr(signal, name), _exit_on_signal)
        try:
            from assistant.cli import main as cli_main
        except KeyboardInterrupt:
            return 130
        return cli_main(args)
    problem = _missing_display()
    if problem:
        print(f"assistant: {NO_WINDOW.format(problem)}", file=sys.stderr)
        return 1
    try:
        from assistant.gui.main import main as gui_main
    except ImportError as exc:
        print(f"assistant: {NO_WINDOW.format(exc)}", file=sys.stderr)
        return 1
    return gui_main(smoke=smoke)


if __name__ == "__main__":
    sys.exit(main())
