"""``assistant models`` and ``assistant --self-test``: what is installed, and whether it works;
and the check, before any work, that the models a command needs are there."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from assistant.bundle_report import described_metrics, human_size
from assistant.cli.errors import EXIT_MODEL, EXIT_OK, CliError
from assistant.cli.output import emit_json
from assistant.engine import Engine
from assistant.engine.bundle_check import BundleInfo
from assistant.engine.manifest import search_dirs, where_looked
from assistant.repair_hint import SEE_MODELS_COMMAND, repair_hint, with_repair_hint
from assistant.self_test import run_self_test

NO_MODELS = (
    "No model bundle is installed, so nothing can be analysed (looked in {looked})."
    " Reinstalling restores the bundles the app came with; or pass --models-dir PATH, or set"
    " SQUEEZE_ASSISTANT_MODELS."
)


def models(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """List each bundle with its tasks, size, checksum state and metrics; exit 3 if one is
    broken."""
    bundles = engine.bundles()
    if not bundles:
        raise _no_models(args)
    for info in bundles:
        if args.json:
            emit_json(out, info.to_dict())
            continue
        if info.kind == "manifest":  # an unreadable manifest: nothing more is known
            out.write(f"{info.name}  PROBLEM: {info.problem}\n")
            _write_mend(out, info, args.models_dir)
            continue
        # A broken config.json is no checksum problem, and leaves the bundle without tasks.
        state = "SHA-256 ok" if info.ok else f"PROBLEM: {info.problem}"
        out.write(f"{info.name} {info.version}  {', '.join(info.tasks) or 'no tasks'}  ")
        out.write(f"{human_size(info.size_bytes)}  {state}\n  {info.path}\n")
        _write_mend(out, info, args.models_dir)
        for line in described_metrics(info.metrics):
            out.write(f"  {line}\n")
    return EXIT_OK if all(info.ok for info in bundles) else EXIT_MODEL


def _write_mend(out: TextIO, info: BundleInfo, models_dir: Path | None) -> None:
    """Under a broken bundle, how to mend it, as Tools → Models says it (no pointer to the
    listing the person is reading)."""
    if not info.ok:
        mend = repair_hint(info.path, in_models_window=True, models_dir=models_dir)
        out.write(f"  {mend}\n")


def self_test(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Run the fixed checks (the installer's smoke test); exit 3 if one fails."""
    require_models(args, engine)
    results = run_self_test(engine)
    for result in results:
        if args.json:
            emit_json(out, result.to_dict())
        else:
            verdict = "PASS" if result.passed else "FAIL"
            out.write(f"{verdict}  {result.task:<9}  {result.name}: {result.detail}\n")
    failed = sum(not result.passed for result in results)
    if not args.json:
        verdict = (
            "all checks passed" if not failed else f"{failed} of {len(results)} checks failed"
        )
        summary = f"Self-test: {verdict}."
        if failed:
            summary = with_repair_hint(summary, SEE_MODELS_COMMAND, args.models_dir)
        out.write(summary + "\n")
    return EXIT_MODEL if failed else EXIT_OK


def require_models(args: argparse.Namespace, engine: Engine, tasks: Iterable[str] = ()) -> None:
    """Stop before any work when no bundle is installed or a needed task cannot run (its
    ModelError, worded by ``cli.main`` as one met during the work)."""
    if not engine.installed():
        raise _no_models(args)
    for task in tasks:
        problem = engine.task_error(task)
        if problem:
            raise problem


def note_skipped_folders(engine: Engine) -> None:
    """Before an analysis, a note for each folder whose bundles are skipped, as the window
    says it when its models load."""
    for skipped in engine.skipped_folders():
        print(f"note: {skipped}", file=sys.stderr)


def _no_models(args: argparse.Namespace) -> CliError:
    """The error for an empty models folder, naming where the engine looked."""
    looked = where_looked(search_dirs(args.models_dir))
    return CliError(NO_MODELS.format(looked=looked), EXIT_MODEL)
