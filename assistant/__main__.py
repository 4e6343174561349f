"""`assistant` and `python -m assistant`: the window with no arguments, else the command line."""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

NO_WINDOW = "cannot open the window ({}). The command line still works: assistant --help"

X_SOCKETS = Path("/tmp/.X11-unix")
"""Where a local X server's socket ``X<N>`` lies."""
UNIX_SOCKETS = Path("/proc/net/unix")
"""Linux's list of listening local sockets: an X server in another mount namespace (a
container without /tmp/.X11-unix) is still reached at its abstract ``@/tmp/.X11-unix/X<N>``."""
_LOCAL_X = re.compile(r"(?:unix)?:(\d+)(?:\.\d+)?")


def _missing_display() -> str | None:
    """Why Qt would abort the process for want of a screen (Linux/BSD), or None. Local sockets
    are looked for, never connected to; a remote DISPLAY (``host:0``) is left to Qt."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    wanted = [
        name.split(":")[0].strip()
        for name in os.environ.get("QT_QPA_PLATFORM", "").split(";")
        if name.strip()
    ]
    if wanted and not all(name == "xcb" or name.startswith("wayland") for name in wanted):
        return None  # offscreen, minimal, vnc, eglfs...: no display server needed
    display = os.environ.get("DISPLAY", "") if not wanted or "xcb" in wanted else ""
    wayland = ""
    if not wanted or any(name.startswith("wayland") for name in wanted):
        if os.environ.get("WAYLAND_SOCKET"):  # a connection handed over by the compositor
            return None
        wayland = os.environ.get("WAYLAND_DISPLAY", "")
    if not display and not wayland:
        return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set"
    found = ([_x_problem(display)] if display else []) + (
        [_wayland_problem(wayland)] if wayland else []
    )
    problems = [problem for problem in found if problem]
    return None if len(problems) < len(found) else "; ".join(problems)  # one display will do


def _x_problem(display: str) -> str | None:
    """Why a local DISPLAY (``:0``, ``:0.1``, ``unix:0``) has no server, or None."""
    local = _LOCAL_X.fullmatch(display)
    if not local:
        return None  # another host, or a form Qt knows better
    socket = X_SOCKETS / f"X{local[1]}"
    if socket.exists() or f" @{socket}\n" in _listening_sockets():
        return None
    return f"no X server for DISPLAY={display}: no {socket}"


def _listening_sockets() -> str:
    """The text of /proc/net/unix ('' where there is none, on BSD)."""
    try:
        return UNIX_SOCKETS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _wayland_problem(name: str) -> str | None:
    """Why WAYLAND_DISPLAY names no compositor's socket, or None."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.path.isabs(name) and not runtime:
        return f"WAYLAND_DISPLAY={name}, but XDG_RUNTIME_DIR is not set"
    socket = Path(runtime, name)  # an absolute name stands alone
    if socket.exists():
        return None
    return f"no Wayland compositor for WAYLAND_DISPLAY={name}: no {socket}"


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
