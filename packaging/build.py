"""Build Squeeze Assistant's onedir app and its installer, in one command.

    python packaging/build.py            # Linux: dist/squeeze-assistant/ and
                                         #        dist/squeeze-assistant-<version>-linux-x86_64.run
    python packaging/build.py --app-only # only the PyInstaller onedir app (any OS)

Run it with the Python that has the app and PyInstaller installed (pip install -e ".[package]").
Linux also needs makeself (apt-get install makeself). On Windows it then runs Inno Setup's ISCC
(packaging/windows/installer.iss) and on macOS it makes the .dmg with hdiutil; those two are
written for the CI runners in .github/workflows/package.yml and are NOT built or tested on the
Linux machine this project is developed on.

The models are whatever resources/models/manifest.json lists when the build runs (or the folder
named by SQUEEZE_BUILD_MODELS, same layout).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
WORK = ROOT / "build"
APP_NAME = "squeeze-assistant"
ONEDIR = DIST / APP_NAME
INTERNAL = ONEDIR / "_internal"
EXE = ONEDIR / ("assistant.exe" if sys.platform == "win32" else "assistant")


def version() -> str:
    """The one version, from assistant/__init__.py (read as text: nothing is imported)."""
    text = (ROOT / "assistant" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M)
    if not match:
        raise SystemExit("build: no __version__ in assistant/__init__.py")
    return match.group(1)


def step(message: str) -> None:
    print(f"\n== {message}", flush=True)


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.1f} {unit}" if unit != "B" else f"{int(size)} B"
        size /= 1024
    return f"{size:.1f} GiB"


def tree_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# --- 1. the onedir app -------------------------------------------------------------------------
def run_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            f"build: PyInstaller is missing for {sys.executable}; "
            'install it with: pip install -e ".[package]"'
        ) from None
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(WORK / "pyinstaller"),
        str(PACKAGING / "app.spec"),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT)


def strip_binaries() -> None:
    """Linux: drop the DWARF debug sections some libraries carry (libpython: 23 -> 6 MB).

    ``strip --strip-debug`` keeps every symbol, all code and data, so nothing that runs changes.
    Only files with debug sections are touched: the wheels' libraries have none, and stripping
    more (--strip-unneeded) breaks libraries that auditwheel patched with patchelf (numpy's
    OpenBLAS: "ELF load command address/offset not page-aligned"). The executables are left
    alone: PyInstaller appends its archive to them.
    """
    if (
        not sys.platform.startswith("linux")
        or not shutil.which("strip")
        or not shutil.which("readelf")
    ):
        print("   strip/readelf not found: binaries left as they are")
        return
    saved = 0
    for path in sorted(INTERNAL.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        sections = subprocess.run(
            ["readelf", "-S", "-W", str(path)], capture_output=True, text=True, check=False
        ).stdout
        if " .debug_" not in sections:
            continue
        before = path.stat().st_size
        subprocess.run(["strip", "--strip-debug", str(path)], check=True)
        saved += before - path.stat().st_size
    print(f"   stripped debug info: {human(saved)} saved")


# --- 2. checks on the result -------------------------------------------------------------------
def check_models() -> list[str]:
    """The bundled models are byte-identical to what the manifest lists."""
    manifest = INTERNAL / "resources" / "models" / "manifest.json"
    if not manifest.is_file():
        print("   models: NONE bundled (resources/models has no manifest.json)")
        return []
    bundles = json.loads(manifest.read_text(encoding="utf-8"))["bundles"]
    problems = []
    for name, entry in bundles.items():
        for file_name, meta in entry["files"].items():
            path = manifest.parent / name / file_name
            if not path.is_file():
                problems.append(f"model file missing: {path}")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != meta["sha256"]:
                problems.append(f"model file differs from the manifest: {path}")
    print(f"   models: {', '.join(bundles) or 'none'}")
    return problems


def check_onnxruntime() -> list[str]:
    capi = INTERNAL / "onnxruntime" / "capi"
    found = sorted(p.name for p in capi.glob("*")) if capi.is_dir() else []
    print(f"   onnxruntime native files: {', '.join(found) or 'NONE'}")
    if not any(name.startswith("onnxruntime_pybind11_state") for name in found):
        return ["onnxruntime's native binding is not in the bundle"]
    return []


def _elf_needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def check_linked_libraries() -> list[str]:
    """Linux: every shared library in the bundle finds what it links, in the bundle or system.

    A Qt library missing from the bundle is an error (the spec trimmed too much); a system
    library missing on the build machine (say GTK for the GTK theme plugin) is only reported:
    Qt loads that plugin when the user's system has the library and skips it otherwise.
    """
    if not sys.platform.startswith("linux") or shutil.which("readelf") is None:
        return []
    elves = [
        p
        for p in ONEDIR.rglob("*")
        if p.is_file() and not p.is_symlink() and p.open("rb").read(4) == b"\x7fELF"
    ]
    bundled = {p.name for p in ONEDIR.rglob("*")}
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    system = set(
        re.findall(r"^\s*(\S+) \(", subprocess.run(
            [ldconfig, "-p"], capture_output=True, text=True, check=False
        ).stdout, re.M)
    )  # fmt: skip
    problems: list[str] = []
    notes: dict[str, list[str]] = {}
    for elf in elves:
        for lib in _elf_needed(elf):
            if lib in bundled or lib in system:
                continue
            where = elf.relative_to(ONEDIR)
            if lib.startswith(("libQt6", "libpyside6", "libshiboken6", "libpython")):
                problems.append(f"{where} needs {lib}, which is not in the bundle")
            else:
                notes.setdefault(lib, []).append(where.name)
    print(f"   shared libraries checked: {len(elves)}")
    for lib, users in sorted(notes.items()):
        shown = ", ".join(users[:3]) + (f" and {len(users) - 3} more" if len(users) > 3 else "")
        print(f"   note: {lib} is not on this build machine; {shown} use the user's copy")
    return problems


def glibc_needed() -> str | None:
    """Linux: the newest glibc symbol version the bundle uses = the oldest glibc it runs on."""
    if not sys.platform.startswith("linux") or shutil.which("objdump") is None:
        return None
    newest: tuple[int, ...] = ()
    for path in ONEDIR.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, text=True, check=False
        ).stdout
        for found in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out):
            newest = max(newest, tuple(int(n) for n in found.split(".")))
    return ".".join(map(str, newest)) if newest else None


def check_runs(expected: str) -> list[str]:
    out = subprocess.run(
        [str(EXE), "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    text = (out.stdout + out.stderr).strip()
    print(f"   {EXE.name} --version: {text}")
    return [] if expected in text else [f"{EXE.name} --version said {text!r}, not {expected}"]


def size_report(limit: int = 20) -> None:
    entries = sorted(((tree_size(p), p) for p in INTERNAL.iterdir()), reverse=True)
    print(f"   onedir total: {human(tree_size(ONEDIR))}; largest parts of _internal/:")
    for size, path in entries[:limit]:
        print(f"   {human(size):>10}  {path.name}")


# --- 3. the Linux installer --------------------------------------------------------------------
def stage_linux_payload(ver: str, onedir: Path, stage: Path) -> Path:
    """The installer's payload: app/ (the onedir), install.sh, uninstall.sh, .desktop, icons/."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    shutil.copytree(onedir, stage / "app", symlinks=True)
    linux = PACKAGING / "linux"
    install = (linux / "install.sh").read_text(encoding="utf-8")
    if 'VERSION="@VERSION@"' not in install:
        raise SystemExit('build: install.sh lost its VERSION="@VERSION@" line')
    install = install.replace('VERSION="@VERSION@"', f'VERSION="{ver}"', 1)
    (stage / "install.sh").write_text(install, encoding="utf-8")
    shutil.copy2(linux / "uninstall.sh", stage / "uninstall.sh")
    shutil.copy2(linux / f"{APP_NAME}.desktop", stage / f"{APP_NAME}.desktop")
    (stage / "icons").mkdir()
    for name in ("squeeze-assistant.png", "squeeze-assistant.svg"):
        shutil.copy2(PACKAGING / "icons" / name, stage / "icons" / name)
    for script in ("install.sh", "uninstall.sh"):
        (stage / script).chmod(0o755)
    return stage


def linux_installer(ver: str, complevel: int) -> Path:
    makeself = shutil.which("makeself") or shutil.which("makeself.sh")
    if makeself is None:
        raise SystemExit("build: makeself is missing (apt-get install makeself)")
    machine = platform.machine().lower()
    arch = {"amd64": "x86_64"}.get(machine, machine)
    stage = stage_linux_payload(ver, ONEDIR, WORK / "installer" / "stage")

    target = DIST / f"{APP_NAME}-{ver}-linux-{arch}.run"
    target.unlink(missing_ok=True)
    threads = str(max(1, min(4, os.cpu_count() or 1)))
    command = [
        makeself, "--xz", "--complevel", str(complevel), "--threads", threads,
        "--sha256", "--nox11", "--tar-quietly",
        "--tar-extra", "--owner=0 --group=0 --numeric-owner",
        "--help-header", str(PACKAGING / "linux" / "help-header.txt"),
        str(stage), str(target), f"Squeeze Assistant {ver}", "./install.sh",
    ]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(stage)
    return target


# --- Windows and macOS (CI runners only; not built or tested on the Linux dev machine) ----------
def windows_installer(ver: str) -> Path:
    iscc = shutil.which("iscc") or r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe"
    if not Path(iscc).exists() and shutil.which(iscc) is None:
        raise SystemExit("build: Inno Setup's ISCC.exe is missing (choco install innosetup)")
    script = PACKAGING / "windows" / "installer.iss"
    subprocess.run([iscc, f"/DAppVersion={ver}", str(script)], check=True)
    return DIST / f"{APP_NAME}-{ver}-windows-x64-setup.exe"


def macos_dmg(ver: str) -> Path:
    app = DIST / "Squeeze Assistant.app"
    if not app.is_dir():
        raise SystemExit(f"build: {app} was not built")
    arch = platform.machine().lower()
    target = DIST / f"{APP_NAME}-{ver}-macos-{arch}.dmg"
    target.unlink(missing_ok=True)
    stage = WORK / "dmg"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    subprocess.run(["ditto", str(app), str(stage / app.name)], check=True)
    (stage / "Applications").symlink_to("/Applications")
    subprocess.run(
        ["hdiutil", "create", "-volname", f"Squeeze Assistant {ver}", "-srcfolder", str(stage),
         "-fs", "HFS+", "-format", "UDZO", "-ov", str(target)],
        check=True,
    )  # fmt: skip
    shutil.rmtree(stage)
    return target


def _use_project_venv() -> None:
    """`python packaging/build.py` from any Python: hop into the project's .venv if this one lacks
    the app's dependencies or PyInstaller (the frozen app is built from the running Python)."""
    import importlib.util

    needed = ("PyInstaller", "PySide6", "onnxruntime", "tokenizers", "assistant")
    if all(importlib.util.find_spec(name) for name in needed):
        return
    venv = ROOT / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if venv.is_file() and not os.environ.get("SQUEEZE_BUILD_REEXEC"):
        os.environ["SQUEEZE_BUILD_REEXEC"] = "1"
        print(f"build: using {venv.relative_to(ROOT)} (this Python lacks the app or PyInstaller)")
        sys.stdout.flush()
        os.execv(str(venv), [str(venv), str(Path(__file__).resolve()), *sys.argv[1:]])
    missing = [name for name in needed if not importlib.util.find_spec(name)]
    raise SystemExit(
        f"build: {sys.executable} lacks {', '.join(missing)}; "
        'install with: pip install -e ".[package]"'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-only", action="store_true", help="skip the installer")
    parser.add_argument(
        "--skip-pyinstaller", action="store_true", help="reuse dist/squeeze-assistant as it is"
    )
    parser.add_argument(
        "--complevel", type=int, default=9, help="xz level for the Linux installer (default 9)"
    )
    args = parser.parse_args(argv)
    _use_project_venv()
    ver = version()
    started = time.monotonic()
    print(f"Squeeze Assistant {ver}: building on {platform.system()} {platform.machine()}")

    if not args.skip_pyinstaller:
        step("PyInstaller onedir app (packaging/app.spec)")
        run_pyinstaller()
        strip_binaries()
    app_done = time.monotonic()

    step(f"Checking {ONEDIR.relative_to(ROOT)}")
    problems = check_models() + check_onnxruntime() + check_linked_libraries() + check_runs(ver)
    size_report()
    glibc = glibc_needed()
    if glibc:
        print(f"   runs on Linux with glibc >= {glibc} (the newest glibc symbol it uses)")
    if problems:
        for problem in problems:
            print(f"build: PROBLEM: {problem}", file=sys.stderr)
        return 1

    installer = None
    if not args.app_only:
        if sys.platform.startswith("linux"):
            step("Linux installer (makeself, xz)")
            installer = linux_installer(ver, args.complevel)
        elif sys.platform == "win32":
            step("Windows installer (Inno Setup)")
            installer = windows_installer(ver)
        elif sys.platform == "darwin":
            step("macOS disk image (hdiutil)")
            installer = macos_dmg(ver)
    done = time.monotonic()

    step("Done")
    print(f"   app:       {ONEDIR.relative_to(ROOT)}  {human(tree_size(ONEDIR))}")
    if installer is not None:
        digest = hashlib.sha256(installer.read_bytes()).hexdigest()
        checksum = installer.with_name(installer.name + ".sha256")
        checksum.write_text(f"{digest}  {installer.name}\n", encoding="utf-8")
        print(f"   installer: {installer.relative_to(ROOT)}  {human(installer.stat().st_size)}")
        print(f"   sha256:    {digest}  ({checksum.name})")
    print(f"   time:      app {app_done - started:.0f} s, installer {done - app_done:.0f} s,"
          f" total {done - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
