"""Fast checks of the Linux installer's scripts on a fake app (no PyInstaller, no makeself).

The real installer is checked end to end by packaging/smoke_test.sh; these run in a second and
cover install, reinstall, uninstall (keeping or purging the user's data) and the PREFIX option.
Run: .venv/bin/python -m pytest packaging/tests
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PACKAGING))

import build  # noqa: E402

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("sh") is None,
    reason="the Linux installer scripts need a POSIX shell on Linux",
)


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """A fake onedir app staged as the installer payload, and a HOME as a desktop leaves it."""
    onedir = tmp_path / "onedir"
    (onedir / "_internal").mkdir(parents=True)
    (onedir / "_internal" / "lib.so").write_bytes(b"\0" * 10)
    exe = onedir / "assistant"
    exe.write_text('#!/bin/sh\necho "assistant 9.8.7 $*"\n', encoding="utf-8")
    exe.chmod(0o755)
    stage = build.stage_linux_payload("9.8.7", onedir, tmp_path / "stage")
    home = tmp_path / "home"
    for folder in (".config", ".cache", ".local/share", ".local/state"):
        (home / folder).mkdir(parents=True)
    return {"stage": stage, "home": home, "root": tmp_path}


def _run(world: dict[str, Path], *command: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(world["home"]), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run(
        [str(c) for c in command], env=env, capture_output=True, text=True, timeout=60, check=True
    )


def _install(world: dict[str, Path], *args: str) -> None:
    # makeself unpacks a fresh copy of the payload for every run; so do we
    fresh = world["root"] / "unpacked"
    if fresh.exists():
        shutil.rmtree(fresh)
    shutil.copytree(world["stage"], fresh, symlinks=True)
    _run(world, "sh", fresh / "install.sh", "--quiet", *args)


def test_default_install_uninstall_keeps_then_purges_user_data(world: dict[str, Path]) -> None:
    home = world["home"]
    before = _tree(home)
    _install(world)
    app = home / ".local/share/squeeze-assistant/app"
    launcher = home / ".local/bin/assistant"
    desktop = home / ".local/share/applications/squeeze-assistant.desktop"
    assert _run(world, launcher, "--version").stdout.strip() == "assistant 9.8.7 --version"
    entry = desktop.read_text(encoding="utf-8")
    assert f'Exec="{app}/assistant"' in entry
    assert "Icon=squeeze-assistant\n" in entry  # ~/.local/share is an XDG data folder
    assert "@" not in entry
    assert (home / ".local/share/icons/hicolor/256x256/apps/squeeze-assistant.png").is_file()
    assert (home / ".local/share/icons/hicolor/scalable/apps/squeeze-assistant.svg").is_file()

    # the user's own data, as the app would write it
    (home / ".local/share/squeeze-assistant/history.sqlite3").write_text("h", encoding="utf-8")
    (home / ".local/state/squeeze-assistant/log").mkdir(parents=True)
    (home / ".config/Squeeze Assistant").mkdir()
    (home / ".config/Squeeze Assistant/Squeeze Assistant.conf").write_text("", encoding="utf-8")

    _install(world)  # reinstall over the top: the old copy goes first, the data stays
    assert launcher.is_file()
    assert (home / ".local/share/squeeze-assistant/history.sqlite3").is_file()

    _run(world, app / "uninstall.sh", "--yes")
    left = _tree(home)
    assert not app.exists() and not launcher.exists() and not desktop.exists()
    assert not (home / ".local/bin").exists()  # the installer made it, so it goes when empty
    assert ".local/share/squeeze-assistant/history.sqlite3" in left
    assert ".config/Squeeze Assistant/Squeeze Assistant.conf" in left

    _install(world)
    _run(world, app / "uninstall.sh", "--yes", "--purge")
    assert _tree(home) == before


def test_prefix_install_uses_full_icon_path_and_leaves_nothing(world: dict[str, Path]) -> None:
    prefix = world["root"] / "opt" / "sa"
    before = _tree(world["root"] / "home")
    _install(world, "--prefix", str(prefix))
    app = prefix / "share/squeeze-assistant/app"
    assert _run(world, prefix / "bin/assistant").stdout.strip() == "assistant 9.8.7"
    entry = (prefix / "share/applications/squeeze-assistant.desktop").read_text(encoding="utf-8")
    icon = re.search(r"^Icon=(.*)$", entry, re.M).group(1)
    assert Path(icon).is_file()  # PREFIX/share is no XDG data folder: the full path
    listed = (app / "installed-files.txt").read_text(encoding="utf-8")
    assert f"dir {world['root'] / 'opt'}" in listed  # created folders are recorded
    _run(world, app / "uninstall.sh", "--yes", "--purge")
    assert not (world["root"] / "opt").exists()
    assert _tree(world["root"] / "home") == before


def test_uninstall_without_a_terminal_or_yes_removes_nothing(world: dict[str, Path]) -> None:
    _install(world)
    app = world["home"] / ".local/share/squeeze-assistant/app"
    result = _run(world, app / "uninstall.sh")
    assert "Nothing removed" in result.stdout
    assert (app / "assistant").is_file()


def test_version_comes_from_the_package() -> None:
    sys.path.insert(0, str(PACKAGING.parent))
    import assistant

    assert build.version() == assistant.__version__


def test_a_strict_umask_still_installs_for_every_user(world: dict[str, Path]) -> None:
    """makeself runs install.sh with umask 077; a sudo install must be usable by everyone."""
    prefix = world["root"] / "usr local"
    fresh = world["root"] / "unpacked"
    shutil.copytree(world["stage"], fresh, symlinks=True)
    _run(world, "sh", "-c", f'umask 077; sh "{fresh}/install.sh" --quiet --prefix "{prefix}"')
    for path in [prefix, *prefix.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode & 0o005 == 0o005 if path.is_dir() else mode & 0o004, (path, oct(mode))


@pytest.mark.parametrize("folder", ["R&D apps", "100% apps", "a|b"])
def test_desktop_entry_survives_special_characters_in_the_folder(
    world: dict[str, Path], folder: str
) -> None:
    prefix = world["root"] / folder
    _install(world, "--prefix", str(prefix))
    entry = (prefix / "share/applications/squeeze-assistant.desktop").read_text(encoding="utf-8")
    app = f"{prefix}/share/squeeze-assistant/app"
    assert f'Exec="{app.replace("%", "%%")}/assistant"\n' in entry
    assert f"Icon={app.rsplit('/squeeze-assistant/app', 1)[0]}/icons/" in entry


def test_a_folder_name_the_desktop_entry_cannot_quote_is_refused(world: dict[str, Path]) -> None:
    fresh = world["root"] / "unpacked"
    shutil.copytree(world["stage"], fresh, symlinks=True)
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _run(world, "sh", fresh / "install.sh", "--prefix", str(world["root"] / 'say "hi"'))
    assert failed.value.returncode == 2
    assert "must not contain" in failed.value.stderr
    assert not (world["root"] / 'say "hi"').exists()


def test_a_relative_prefix_is_taken_from_where_the_user_started(world: dict[str, Path]) -> None:
    """makeself runs install.sh in its temporary folder and exports USER_PWD."""
    fresh = world["root"] / "unpacked"
    shutil.copytree(world["stage"], fresh, symlinks=True)
    env = {"HOME": str(world["home"]), "PATH": os.environ["PATH"], "USER_PWD": str(world["root"])}
    subprocess.run(
        ["sh", "install.sh", "--quiet", "--prefix", "apps"], cwd=fresh, env=env, check=True
    )
    assert (world["root"] / "apps/bin/assistant").is_file()
    assert not (fresh / "apps").exists()


def _install_with(
    world: dict[str, Path], shims: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Install a fresh payload with stand-ins for some commands (a full disk, a failing mv)."""
    folder = world["root"] / "shims"
    folder.mkdir(exist_ok=True)
    for name, script in shims.items():
        (folder / name).write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    fresh = world["root"] / "unpacked"
    if fresh.exists():
        shutil.rmtree(fresh)
    shutil.copytree(world["stage"], fresh, symlinks=True)
    env = {"HOME": str(world["home"]), "PATH": f"{folder}:{os.environ['PATH']}"}
    command = ["sh", str(fresh / "install.sh"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_a_reinstall_without_room_keeps_the_installed_copy(world: dict[str, Path]) -> None:
    prefix = world["root"] / "opt"
    _install(world, "--prefix", str(prefix))
    unpacked = world["root"] / "unpacked"
    result = _install_with(
        world,
        {  # the payload and the prefix on different disks, and the prefix's disk full
            "stat": f'case "$3" in {unpacked}*) echo 1 ;; *) echo 2 ;; esac',
            "df": "echo 'Filesystem 1024-blocks Used Available Capacity Mounted'\n"
            "echo 'fake 100 100 0 100% /'",
        },
        "--prefix",
        str(prefix),
    )
    assert result.returncode == 1 and "Free some space" in result.stderr
    assert "Replacing" not in result.stdout
    assert _run(world, prefix / "bin/assistant").stdout.strip() == "assistant 9.8.7"


def test_a_failed_copy_leaves_nothing_and_says_why(world: dict[str, Path]) -> None:
    prefix = world["root"] / "new" / "prefix"
    failing_mv = "echo \"mv: error writing 'lib.so': No space left on device\" >&2; exit 1"
    result = _install_with(world, {"mv": failing_mv}, "--prefix", str(prefix))
    assert result.returncode == 1
    assert "No space left on device" in result.stderr and "nothing was installed" in result.stderr
    assert not (world["root"] / "new").exists()  # the folders it made are gone again


def test_running_an_unpacked_installer_twice_keeps_the_first_install(
    world: dict[str, Path],
) -> None:
    prefix = world["root"] / "opt"
    fresh = world["root"] / "unpacked"
    shutil.copytree(world["stage"], fresh, symlinks=True)
    _run(world, "sh", fresh / "install.sh", "--quiet", "--prefix", str(prefix))  # moves app/
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _run(world, "sh", fresh / "install.sh", "--prefix", str(prefix))
    assert "the program to install is missing" in failed.value.stderr
    assert _run(world, prefix / "bin/assistant").stdout.strip() == "assistant 9.8.7"
