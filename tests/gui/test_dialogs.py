"""Settings, models and about dialogs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QFontDatabase, QScreen
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QScrollArea

from assistant.engine import BundleInfo, FileCheck
from assistant.gui.application import apply_font_size
from assistant.gui.screen_fit import SCREEN_SHARE
from assistant.gui.settings import MIN_FONT_SIZE, Settings
from assistant.gui.widgets.about_dialog import AboutDialog, about_html, package_license
from assistant.gui.widgets.models_dialog import bundle_markdown
from assistant.gui.widgets.settings_dialog import SettingsDialog
from assistant.locations import DATA_DIR_ENV, MODELS_DIR_ENV

TIMEOUT_MS = 5000


def test_settings_dialog_stores_choices_and_the_engine_follows(
    qtbot, window, engine, settings
) -> None:
    dialog = window.open_settings()
    assert dialog.oos_default.isChecked() and dialog.threads.text() == "Automatic"
    dialog.threads.setValue(2)
    dialog.oos_default.setChecked(False)
    dialog.oos.setValue(0.7)
    dialog.font_size.setValue(14)
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        dialog.accept()

    assert (settings.threads(), settings.oos_threshold(), settings.font_size()) == (2, 0.7, 14)
    assert engine.oos_threshold == 0.7
    assert window.font().pointSize() == 14

    dialog = window.open_settings()
    dialog.oos_default.setChecked(True)
    dialog.font_size.setValue(dialog.font_size.minimum())
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        dialog.accept()
    assert settings.oos_threshold() is None and settings.font_size() is None
    assert engine.oos_threshold == 0.5
    assert not window.status_line.problem_label.text()


def test_settings_say_what_they_do_on_screen_and_step_up_from_the_default_font(
    qtbot, window
) -> None:
    dialog = window.open_settings()
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())
    assert "processor's cores" in shown and "Out of scope" in shown
    assert "Out of scope" in dialog.oos.accessibleDescription()
    dialog.font_size.stepUp()  # from "System default": above the system's size, not 8 pt
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSize()
    assert dialog.font_size.value() == max(system + 1, MIN_FONT_SIZE)
    dialog.font_size.stepDown()
    assert dialog.font_size.value() == max(system, MIN_FONT_SIZE)  # steps by one from there
    dialog.font_size.setValue(dialog.font_size.minimum())
    dialog.font_size.lineEdit().selectAll()
    qtbot.keyClicks(dialog.font_size, str(MIN_FONT_SIZE))  # typed over "System default"
    assert dialog.font_size.value() == MIN_FONT_SIZE  # taken as typed
    dialog.reject()


def test_settings_that_cannot_be_saved_hold_for_this_session_and_say_so(
    qtbot, make_window, tmp_path
) -> None:
    (tmp_path / "config").write_text("")  # a file where the settings folder should be
    qsettings = QSettings(str(tmp_path / "config" / "s.ini"), QSettings.Format.IniFormat)
    window = make_window(settings=Settings(qsettings))
    dialog = window.open_settings()
    dialog.threads.setValue(1)
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        dialog.accept()
    assert window.settings.threads() == 1
    problem = window.status_line.problem_label.text()
    assert "The settings apply only until Squeeze Assistant closes" in problem
    assert f"({tmp_path / 'config' / 's.ini'} cannot be written)" in problem


def test_a_settings_file_found_damaged_is_written_anew_without_a_warning(
    qtbot, make_window, tmp_path
) -> None:
    path = tmp_path / "damaged.ini"
    path.write_text("[General]\na line that is no setting\n")  # Qt reads it as a FormatError
    window = make_window(settings=Settings(QSettings(str(path), QSettings.Format.IniFormat)))
    dialog = window.open_settings()
    dialog.threads.setValue(1)
    with qtbot.waitSignal(window.service.ready, timeout=TIMEOUT_MS):
        dialog.accept()
    assert not window.status_line.problem_label.text()
    assert Settings(QSettings(str(path), QSettings.Format.IniFormat)).threads() == 1


def test_settings_before_the_models_load_claim_no_calibrated_value(qtbot, settings) -> None:
    dialog = SettingsDialog(settings, default_oos=None)
    qtbot.addWidget(dialog)
    assert "known once the models have loaded" in dialog.oos_default.text()
    assert dialog.oos_default.isChecked() and not dialog.oos_default.isEnabled()
    dialog.accept()
    assert settings.oos_threshold() is None
    loaded = SettingsDialog(settings, default_oos=0.31)
    assert "(0.31)" in loaded.oos_default.text() and loaded.oos.value() == 0.31


def test_each_setting_has_its_own_access_key(qtbot, settings) -> None:
    """GNOME's platform theme names the buttons "&OK" and "&Cancel": Alt+O must not be one of
    the settings' keys too, where it only moves between the two."""
    dialog = SettingsDialog(settings, default_oos=0.31)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    texts += [box.text() for box in dialog.findChildren(QCheckBox)] + ["&OK", "&Cancel"]
    keys = [match.lower() for text in texts for match in re.findall(r"&(\w)", text)]
    assert len(keys) == len(set(keys)) == 6, keys


@pytest.mark.parametrize("font_size", [None, 20])
def test_settings_fit_the_screen_and_show_their_help_whole(qapp, qtbot, window, font_size) -> None:
    """At 24 pt on a 1280x800 screen the help was cut mid-line, at 16 pt on 1024x600 its last
    line was missing, and at 24 pt on 1024x600 OK and Cancel lay past the screen's edge; at
    any size a help text stood a line too far from its setting."""
    apply_font_size(qapp, font_size)
    try:
        dialog = window.open_settings()
        qtbot.waitExposed(dialog)
    finally:
        apply_font_size(qapp, None)
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    lines = [label for label in dialog.findChildren(QLabel) if label.wordWrap()]
    assert len(lines) == 3  # the help of two settings, and the theme's
    for label in lines:  # exactly as tall as its lines: neither cut nor padded
        assert label.height() == label.heightForWidth(label.width()), label.text()
    scroll = dialog.findChild(QScrollArea)
    page = scroll.widget()
    assert page.height() >= page.heightForWidth(page.width())  # the rest scrolls into view
    assert page.width() <= scroll.viewport().width()  # nothing to scroll sideways to
    if font_size is None:  # room for all of it where the screen has it
        assert not scroll.verticalScrollBar().isVisible()
    dialog.reject()


def test_settings_ignore_values_out_of_range(settings) -> None:
    settings.set_value(Settings.Key.THREADS, "many")
    settings.set_value(Settings.Key.OOS_THRESHOLD, 3)
    settings.set_value(Settings.Key.FONT_SIZE, 200)
    assert (settings.threads(), settings.oos_threshold(), settings.font_size()) == (
        None,
        None,
        None,
    )


def fake_bundle(tmp_path: Path) -> BundleInfo:
    files = (
        FileCheck("model.onnx", "ab" * 32, 12_000_000, "ok", "ab" * 32, 12_000_000),
        FileCheck("config.json", "cd" * 32, 2_345, "ok", "cd" * 32, 2_345),
    )
    return BundleInfo(
        "squeezebert-qa",
        "1.0.0",
        ("qa",),
        tmp_path / "squeezebert-qa",
        12_500_000,
        files,
        {"qa": {"squad_dev_f1": 72.5, "new_score": 0.8}},
        "# SqueezeBERT QA\nTrained on SQuAD.\n\n```bash\n# a shell comment\n```\n##### Deep",
    )


def test_a_file_cut_short_shows_its_real_size_beside_the_manifests(tmp_path) -> None:
    cut = FileCheck("model.onnx", "ab" * 32, 16_100_000, "mismatch", "ef" * 32, 8_000_000)
    gone = FileCheck("tokenizer.json", "cd" * 32, 711_000, "missing")
    info = dataclasses.replace(fake_bundle(tmp_path), files=(cut, gone))
    text = bundle_markdown(info)
    assert "| model.onnx | 8,000,000 bytes (should be 16,100,000) |" in text
    assert "| tokenizer.json | — |" in text


def test_a_damaged_bundle_says_how_to_mend_it_in_the_models_dialog(tmp_path) -> None:
    """The panels send the user here, where only the damage was told, not the way out."""
    info = dataclasses.replace(fake_bundle(tmp_path), problem="file model.onnx is missing")
    text = bundle_markdown(info)
    assert "file model.onnx is missing. Reinstalling Squeeze Assistant restores" in text
    assert "restores the models it came with.  \n" in text  # not sent to the window it is in


def test_a_damaged_bundle_the_app_did_not_ship_is_not_mended_by_reinstalling(
    tmp_path, monkeypatch
) -> None:
    """Reinstalling restores the shipped bundles only: one added to the data folder, or in
    the folder ``MODELS_DIR_ENV`` names, stays as broken as it was."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    added = tmp_path / "data" / "models"
    broken = dataclasses.replace(
        fake_bundle(added), path=added / "squeezebert-qa", problem="file model.onnx is missing"
    )
    text = bundle_markdown(broken)
    assert f"It is a bundle added to {added}, which reinstalling leaves alone" in text
    assert "Reinstalling" not in text

    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "mine"))
    shipped = dataclasses.replace(broken, path=tmp_path / "shipped" / "squeezebert-qa")
    assert "Reinstalling Squeeze Assistant restores" in bundle_markdown(shipped)
    own = dataclasses.replace(broken, path=tmp_path / "mine" / "squeezebert-qa")
    assert f"The models come first from {tmp_path / 'mine'}" in bundle_markdown(own)


def test_an_unreadable_manifest_says_how_to_mend_it(tmp_path) -> None:
    info = dataclasses.replace(
        fake_bundle(tmp_path), kind="manifest", path=tmp_path, problem="it is not JSON"
    )
    text = bundle_markdown(info)
    assert "**problem:** it is not JSON. Reinstalling Squeeze Assistant restores" in text


def test_models_dialog_lists_bundles_from_the_worker(qtbot, window, engine, tmp_path) -> None:
    engine.bundles = lambda: [fake_bundle(tmp_path)]  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=TIMEOUT_MS)

    assert dialog.list.item(0).text() == "✓ squeezebert-qa 1.0.0"
    assert "Trained on SQuAD" in dialog.details.toPlainText()
    assert dialog.models_folder() == tmp_path


def test_the_models_folder_opened_is_one_that_exists(qtbot, window, engine, tmp_path) -> None:
    """A mistyped folder named by the variable is listed first; opening it would create it."""
    mistyped = dataclasses.replace(
        fake_bundle(tmp_path), kind="manifest", path=tmp_path / "typo", problem="no such folder"
    )
    engine.bundles = lambda: [mistyped, fake_bundle(tmp_path)]  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=TIMEOUT_MS)
    assert dialog.models_folder() == tmp_path


def test_a_failed_model_check_reads_as_a_problem_in_the_models_dialog(
    qtbot, window, engine
) -> None:
    def bundles() -> list[object]:
        raise OSError("disk on fire")

    engine.bundles = bundles  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.details.toPlainText().startswith("⚠"), timeout=TIMEOUT_MS)

    assert "model check: disk on fire" in dialog.details.toPlainText()
    assert dialog.list.count() == 0


def test_bundle_markdown_shows_size_checks_and_metrics(tmp_path) -> None:
    text = bundle_markdown(fake_bundle(tmp_path))
    assert "Size: 12.5 MB" in text and "all files verified" in text
    assert "Tasks: question answering" in text  # words, not the identifier "qa"
    assert "`abababababababab…`" in text and "| config.json | 2 kB |" in text
    assert "- question answering: overlap of words with the right answers, F1" in text
    assert "(SQuAD v1.1 dev): 72.5%" in text and "- question answering: new_score: 0.8" in text
    assert "{" not in text
    assert text.startswith("## squeezebert-qa 1.0.0")
    assert "\n### SqueezeBERT QA\n" in text  # the card's title under the bundle's heading
    assert text.index("model card follows") < text.index("### SqueezeBERT QA")
    assert "\n# a shell comment\n" in text  # code left alone
    assert text.endswith("\n###### Deep")  # Markdown has six levels, no seventh


def test_the_models_list_is_as_wide_as_its_longest_name(qtbot, window, engine, tmp_path) -> None:
    engine.bundles = lambda: [fake_bundle(tmp_path)]  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=TIMEOUT_MS)
    assert dialog.list.width() >= dialog.list.sizeHintForColumn(0)


def test_about_lists_component_licenses() -> None:
    assert package_license("no-such-package-here") == "not installed"
    html = about_html()
    assert "ONNX Runtime" in html and "Apache-2.0" in html


def test_return_in_the_models_dialog_closes_it(qtbot, window, engine, tmp_path) -> None:
    engine.bundles = lambda: [fake_bundle(tmp_path)]  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=TIMEOUT_MS)
    default = [b for b in dialog.findChildren(QPushButton) if b.isDefault()]
    assert [b.text() for b in default] == ["Close"]
    assert not any(b.autoDefault() for b in dialog.findChildren(QPushButton) if b not in default)


def test_windows_fit_a_small_screen(qapp, window) -> None:
    available = window.screen().availableGeometry()
    apply_font_size(qapp, 20)
    try:
        about = AboutDialog(window)
    finally:
        apply_font_size(qapp, None)
    for widget in (window, window.open_batch(), window.open_models(), about):
        assert widget.width() <= available.width() and widget.height() <= available.height()
    wide_enough = 50 * about.fontMetrics().averageCharWidth()  # a license on one line
    assert about.width() >= min(wide_enough, int(available.width() * 0.9))


@pytest.mark.parametrize("font_size", [None, 16, 20, 24])
@pytest.mark.parametrize(
    "screen", [QSize(1024, 600), QSize(800, 1280)], ids=["1024x600", "800x1280"]
)
def test_about_fits_a_small_screen_and_scrolls_only_what_it_has_no_room_for(
    qapp, qtbot, monkeypatch, screen: QSize, font_size
) -> None:
    """As Settings: at a large font the text scrolls, Close stays in reach and nothing is wider
    than the screen. Where 60 characters were wider than the screen let the window be, the
    text was measured at 60 all the same: at 20 pt on 800x1280 it opened 778 px tall where it
    wraps to 906, and scrolled with room to spare."""
    available = QRect(QPoint(0, 0), screen)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: available)
    apply_font_size(qapp, font_size)
    try:
        about = AboutDialog()
        qtbot.addWidget(about)
        about.show()
        qtbot.waitExposed(about)
        qapp.processEvents()  # the scroll bar shown at first for a moment goes again
        scroll = about.findChild(QScrollArea)
        page = scroll.widget()
        room = scroll.maximumViewportSize()  # the area less its scroll bars
        assert about.width() <= available.width() and about.height() <= available.height()
        assert page.height() >= page.heightForWidth(page.width())  # the rest scrolls into view
        assert page.width() <= scroll.viewport().width()  # nothing to scroll sideways to
        as_tall_as_it_may = about.height() == int(available.height() * SCREEN_SHARE)
        assert as_tall_as_it_may or room.height() >= page.heightForWidth(room.width())
    finally:
        apply_font_size(qapp, None)


@pytest.fixture
def tall_about(qapp, qtbot) -> Iterator[AboutDialog]:
    """The About dialog shown at 24 pt: its text taller than the screen."""
    apply_font_size(qapp, 24)
    try:
        about = AboutDialog()
        qtbot.addWidget(about)
        about.show()
        qtbot.waitExposed(about)
        yield about
    finally:
        apply_font_size(qapp, None)


def test_the_keyboard_scrolls_the_about_text(qtbot, tall_about: AboutDialog) -> None:
    """Nothing on the text takes focus to bring it into view: Tab reaches the area itself."""
    scroll = tall_about.findChild(QScrollArea)
    qtbot.keyClick(tall_about.focusWidget(), Qt.Key.Key_Tab)
    assert tall_about.focusWidget() is scroll
    qtbot.keyClick(scroll, Qt.Key.Key_PageDown)
    assert scroll.verticalScrollBar().value() > 0


def test_home_and_end_take_the_about_text_to_its_top_and_its_end(
    qtbot, tall_about: AboutDialog
) -> None:
    """As in a read-only text box: a scroll area maps only the arrows and Page Up and Down."""
    page = tall_about.findChild(QScrollArea)
    page.setFocus()
    bar = page.verticalScrollBar()
    qtbot.keyClick(page, Qt.Key.Key_End)
    assert bar.value() == bar.maximum() > 0
    qtbot.keyClick(page, Qt.Key.Key_Home)
    assert bar.value() == 0


def test_an_unreadable_manifest_reads_as_one_problem_in_the_models_dialog(
    qtbot, window, engine, tmp_path
) -> None:
    broken = BundleInfo(
        f"manifest.json in {tmp_path}", "", (), tmp_path, 0, (), {}, "",
        problem=f"{tmp_path}/manifest.json is not valid JSON", kind="manifest",
    )  # fmt: skip
    engine.bundles = lambda: [broken, fake_bundle(tmp_path)]  # type: ignore[method-assign]
    dialog = window.open_models()
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=TIMEOUT_MS)
    assert dialog.list.item(0).text() == f"⚠ manifest.json in {tmp_path}"
    assert "Size" not in dialog.details.toPlainText()
    assert "not valid JSON" in dialog.details.toPlainText()
    assert dialog.models_folder() == tmp_path  # that folder, not its parent
