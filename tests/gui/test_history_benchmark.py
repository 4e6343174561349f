"""``python -m benchmarks history`` builds its history and measures searches on it (the
figures themselves are the benchmark's to report, not a test's)."""

from __future__ import annotations

from pathlib import Path

from assistant.history import HistoryStore
from benchmarks import history_search
from benchmarks.__main__ import main


def test_the_benchmark_history_holds_long_texts_of_every_kind(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history_search.make_history(path, 40)
    store = HistoryStore(path)
    texts = [entry.text for entry in store.search(limit=100)]
    store.close()
    assert len(texts) == 40
    assert all(len(text) >= history_search.TEXT_CHARS for text in texts)
    assert any(not text.isascii() for text in texts) and any(text.isascii() for text in texts)


def test_each_query_is_measured_and_finds_nothing(qapp, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history_search.make_history(path, 10)
    results = history_search.measure(path, rounds=1)
    assert [row["query"] for row in results] == list(history_search.QUERIES)
    assert all(row["search_ms"] > 0 and row["longest_stall_ms"] > 0 for row in results)


def test_an_unknown_benchmark_is_refused_with_the_list(capsys) -> None:
    assert main(["nonsense"]) == 2
    assert "{speed,accuracy,qa-long,probe,history}" in capsys.readouterr().err
