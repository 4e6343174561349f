"""The confidence percentage sits beside the bar in the window's text colour, never on the fill."""

from __future__ import annotations

from assistant.gui.widgets.confidence_bar import ConfidenceBar


def test_the_percentage_is_written_beside_the_bar(qtbot) -> None:
    confidence = ConfidenceBar("Sentiment confidence")
    qtbot.addWidget(confidence)
    confidence.resize(300, 30)
    confidence.show()

    confidence.set_score(0.973)

    assert not confidence.bar.isTextVisible()
    assert confidence.bar.value() == 97
    assert confidence.bar.accessibleName() == "Sentiment confidence"
    assert confidence.label.text() == "97% confident"
    assert not confidence.bar.geometry().intersects(confidence.label.geometry())


def test_the_bar_keeps_its_length_whatever_the_percentage(qtbot) -> None:
    confidence = ConfidenceBar("Intent confidence")
    qtbot.addWidget(confidence)
    confidence.resize(300, 30)
    confidence.show()
    widths = []
    for score in (0.05, 0.5, 0.999, 1.0):
        confidence.set_score(score)
        confidence.layout().activate()
        widths.append(confidence.bar.width())

    assert len(set(widths)) == 1


def test_where_bar_and_words_do_not_fit_side_by_side_the_words_go_under_it(qtbot) -> None:
    confidence = ConfidenceBar("Sentiment confidence")
    qtbot.addWidget(confidence)
    confidence.set_score(0.54)
    confidence.resize(90, 60)  # narrower than bar and "54% confident" side by side
    confidence.show()
    confidence.layout().activate()

    assert confidence.minimumSizeHint().width() <= 90  # it does not force a sideways scroll
    assert confidence.label.geometry().top() >= confidence.bar.geometry().bottom()
    confidence.resize(300, 30)
    confidence.layout().activate()
    assert confidence.label.geometry().left() >= confidence.bar.geometry().right()
