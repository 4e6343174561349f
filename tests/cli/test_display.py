"""The entry point's look for a display before Qt starts: Qt aborts the process (exit 134, many
lines) when the display it is given cannot be reached, where one line and exit 1 are promised."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from assistant import __main__ as entry

GUI_RAN = 7


@pytest.fixture
def screens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No display variables, X sockets looked for under tmp_path, and a window that returns
    GUI_RAN instead of opening; returns the runtime folder (XDG_RUNTIME_DIR)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    (tmp_path / "x11").mkdir()
    monkeypatch.setattr(entry, "X_SOCKETS", tmp_path / "x11")
    (tmp_path / "unix").write_text("Num       RefCount Protocol Flags    Type St Inode Path\n")
    monkeypatch.setattr(entry, "UNIX_SOCKETS", tmp_path / "unix")
    runtime = tmp_path / "run"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    gui = types.ModuleType("assistant.gui.main")
    gui.main = lambda smoke=False: GUI_RAN  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.gui.main", gui)
    return runtime


def start(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = entry.main([])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("display", [":99", ":99.0", "unix:99"])
def test_a_local_display_with_no_x_server_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    screens: Path,
    display: str,
) -> None:
    monkeypatch.setenv("DISPLAY", display)
    code, err = start(capsys)
    assert code == 1 and err.count("\n") == 1
    assert f"cannot open the window (no X server for DISPLAY={display}: no " in err
    assert err.endswith("The command line still works: assistant --help\n")


@pytest.mark.parametrize(
    "display", [":0", ":0.1", "unix:0", "localhost:10.0", "server.example:0", "[::1]:0"]
)
def test_a_local_display_with_its_socket_or_a_remote_one_opens_the_window(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    screens: Path,
    display: str,
) -> None:
    """A remote display (ssh -X) is left to Qt: looking for it would mean a connection."""
    (entry.X_SOCKETS / "X0").touch()
    monkeypatch.setenv("DISPLAY", display)
    assert start(capsys) == (GUI_RAN, "")


def test_an_x_server_in_another_mount_namespace_is_found_by_its_abstract_socket(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, screens: Path
) -> None:
    with entry.UNIX_SOCKETS.open("a") as table:
        table.write(
            f"0000000000000000: 00000002 00000000 00010000 0001 01 1234 @{entry.X_SOCKETS}/X1\n"
        )
    monkeypatch.setenv("DISPLAY", ":1")
    assert start(capsys) == (GUI_RAN, "")


def test_wayland_is_looked_for_in_the_runtime_folder_or_at_an_absolute_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, screens: Path
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    code, err = start(capsys)
    assert code == 1
    assert (
        f"no Wayland compositor for WAYLAND_DISPLAY=wayland-1: no {screens / 'wayland-1'}" in err
    )
    (screens / "wayland-1").touch()
    assert start(capsys) == (GUI_RAN, "")
    monkeypatch.setenv("WAYLAND_DISPLAY", str(screens / "wayland-1"))
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert start(capsys) == (GUI_RAN, "")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    code, err = start(capsys)
    assert code == 1 and "WAYLAND_DISPLAY=wayland-1, but XDG_RUNTIME_DIR is not set" in err


def test_one_reachable_display_is_enough(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, screens: Path
) -> None:
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    code, err = start(capsys)
    assert code == 1 and "DISPLAY=:99" in err and "WAYLAND_DISPLAY=wayland-0" in err
    (screens / "wayland-0").touch()
    assert start(capsys) == (GUI_RAN, "")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")  # Qt is told to use X alone
    assert start(capsys)[0] == 1
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("WAYLAND_SOCKET", "3")  # a compositor's connection, handed over
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
    assert start(capsys) == (GUI_RAN, "")


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "vnc:size=800x600", "xcb;offscreen"])
def test_a_platform_that_needs_no_display_server_opens_the_window(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    screens: Path,
    platform: str,
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    assert start(capsys) == (GUI_RAN, "")
    monkeypatch.setenv("DISPLAY", ":99")  # set but unreachable: not used
    assert start(capsys) == (GUI_RAN, "")


def test_qt_told_to_use_x_without_a_display_is_said(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, screens: Path
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    code, err = start(capsys)
    assert code == 1 and "neither DISPLAY nor WAYLAND_DISPLAY is set" in err
