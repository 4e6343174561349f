"""The installed model bundles: version, size, checksum state, metrics and model card.

Bundle details come from the worker (checking SHA-256 reads every file, so not on this thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assistant.bundle_report import described_metrics, human_size
from assistant.gui import paths
from assistant.gui.paths import open_folder
from assistant.gui.screen_fit import fit_to_screen
from assistant.gui.workers import InferenceService
from assistant.repair_hint import repair_hint
from assistant.tasks import TASK_WORDS

CARD_INTRO = (
    "*The model card follows: how the model was made (data, training, licenses), written for"
    " developers; its numbers use the training tools' names.*"
)


def bundle_markdown(info: Any) -> str:
    """One bundle as Markdown: facts, file checks, metrics, then its model card."""
    # How to mend it here too: the panels send the user to this window for the files' checks.
    mend = repair_hint(Path(info.path), in_models_window=True)
    if info.kind == "manifest":  # an unreadable manifest.json: nothing more is known
        return f"## {info.name}\n\n**problem:** {info.problem}. {mend}\n\nFolder: `{info.path}`"
    problem = info.problem or "see files"
    state = "all files verified" if info.ok else f"**problem:** {problem}. {mend}"
    lines = [
        f"## {info.name} {info.version}",
        f"Tasks: {', '.join(TASK_WORDS.get(task, task) for task in info.tasks)}  ",
        f"Size: {human_size(info.size_bytes)}  ",
        f"State: {state}  ",
        f"Folder: `{info.path}`",
        "",
        "| File | Size | SHA-256 | State |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {f.name} | {_file_size(f)} | `{f.sha256[:16]}…` | {f.state} |" for f in info.files
    ]
    lines += ["", "### Metrics", ""]
    lines += [f"- {line}" for line in described_metrics(info.metrics)] or ["- none recorded"]
    card = _demoted(info.model_card) if info.model_card else "*No model card.*"
    lines += ["", "---", "", CARD_INTRO, "", card]
    return "\n".join(lines)


def _file_size(check: Any) -> str:
    """The file's real size, and the manifest's where they differ (a copy cut short), in
    bytes then: a byte too few or too many rounds to the same megabytes."""
    if check.actual_size is None:
        return "—"
    if check.actual_size == check.size:
        return human_size(check.size)
    return f"{check.actual_size:,} bytes (should be {check.size:,})"


def _demoted(markdown: str) -> str:
    """The model card with its headings two levels down, so that its title does not stand
    above the bundle's own heading; lines in code blocks (shell comments) are left alone."""
    lines, in_code = [], False
    for line in markdown.splitlines():
        if line.startswith(("```", "~~~")):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#")
            line = "#" * min(len(line) - len(title) + 2, 6) + title  # Markdown has six levels
        lines.append(line)
    return "\n".join(lines)


class ModelsDialog(QDialog):
    def __init__(self, service: InferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        fit_to_screen(self, 860, 600)
        self._bundles: list[Any] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Installed model bundles")
        self.list.currentRowChanged.connect(self._show_bundle)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Bundle details and model card")
        self.details.setOpenExternalLinks(False)
        self.details.setPlainText(service.waiting_note() or "Checking the model files…")
        self.splitter = QSplitter()
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.details)
        self.splitter.setSizes([220, 640])
        models_button = QPushButton("Open &models folder")
        models_button.clicked.connect(lambda: open_folder(self.models_folder()))
        logs_button = QPushButton("Open &logs folder")
        logs_button.clicked.connect(lambda: open_folder(paths.log_dir()))
        close_button = QPushButton("Close")
        close_button.clicked.connect(self.accept)
        for button in (models_button, logs_button):
            button.setAutoDefault(False)  # Return closes the dialog, it opens no file manager
        close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(models_button)
        buttons.addWidget(logs_button)
        buttons.addStretch()
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        service.bundles.connect(self.show_bundles)
        service.bundles_failed.connect(self._show_problem)
        service.request_bundles()

    def models_folder(self) -> Path:
        """The folder of the first bundle found on disk: a mistyped folder that
        ``SQUEEZE_ASSISTANT_MODELS`` names comes first, and opening it would create it."""
        for info in self._bundles:
            folder = Path(info.path) if info.kind == "manifest" else Path(info.path).parent
            if folder.is_dir():
                return folder
        return paths.models_dir()

    def show_bundles(self, bundles: Sequence[Any]) -> None:
        self._bundles = list(bundles)
        self.list.clear()
        for info in self._bundles:
            mark = "✓" if info.ok else "⚠"
            self.list.addItem(f"{mark} {info.name} {info.version}".rstrip())
        if self._bundles:
            self.list.setCurrentRow(0)
            # As wide as the longest name at this font, which a fixed width cut at 24 pt.
            wanted = self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + 8
            total = sum(self.splitter.sizes())
            left = min(wanted, total // 2)
            self.splitter.setSizes([left, total - left])
        else:
            self.details.setPlainText(
                f"No model bundles are installed. They belong in {paths.models_dir()}."
            )

    def _show_bundle(self, row: int) -> None:
        if 0 <= row < len(self._bundles):
            self.details.setMarkdown(bundle_markdown(self._bundles[row]))

    def _show_problem(self, message: str) -> None:
        self.details.setPlainText(f"⚠ {message}")
