"""``python -m benchmarks history``: how long a history search takes, and how long the window's
thread stalls meanwhile, over a history of thousands of long texts.

The history is made here (fixed seed) in a scratch folder: ``--entries`` texts of about
18,000 characters, English mostly, some with typographic quotes, accents or French, and 5% with
Arabic, Chinese and Russian words among the English. Each search looks for words no text holds,
so it reads every text: the slowest a search gets. A 5 ms timer on the window's thread
records the longest gap between its ticks while the search runs; results go to
``benchmarks/results/history.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "history.json"
QUERIES = ("council zzqx", "совет zzqx", "café zzqx budget harbour late")
TICK_MS = 5
TEXT_CHARS = 18_000

_ENGLISH = (
    "the council approved budget residents northern districts debate public transport fares"
    " rising delays complained after while about months city harbour bridge designed in of for"
    " and a to was were is said would could new old plan park street ferry market shops owners"
    " weather lovely parcel late damaged support battery product answered emails"
)
_ACCENTED = "café naïve José Zürich résumé façade crème Ångström São Paulo Málaga déjà"
_FRENCH = (
    "le conseil a approuvé le budget les résidents du quartier été très déçus à cause des"
    " délais où ça coûte plus cher qu\u2019avant même si la mairie a promis une réponse rapide"
)
_OTHER = (
    "أحببت هذا الفندق كثيرا المجلس الميزانية 市议会 批准 了 预算 居民 抱怨 延误"
    " совет утвердил бюджет жители жаловались"
)
_SMART = "\u2019s \u2014 \u201cquoted\u201d \u2026 don\u2019t"
"""Words of the kinds of text, space-separated; the smart kind's typographic marks."""
_KINDS = {"english": 55, "smart": 20, "accented": 15, "french": 5, "other": 5}
"""The share of each kind of text in the history, in percent."""


def _text(rng: random.Random, kind: str) -> str:
    words = {"french": _FRENCH, "other": f"{_OTHER} {_ENGLISH}"}.get(kind, _ENGLISH).split()
    sentences: list[str] = []
    size = 0
    while size < TEXT_CHARS:
        sentence = [rng.choice(words) for _ in range(rng.randint(6, 16))]
        if kind == "accented" and rng.random() < 0.1:
            sentence[rng.randrange(len(sentence))] = rng.choice(_ACCENTED.split())
        if kind in ("smart", "accented") and rng.random() < 0.3:
            sentence[rng.randrange(len(sentence))] = rng.choice(_SMART.split())
        sentences.append(" ".join(sentence).capitalize() + ". ")
        size += len(sentences[-1])
    return "".join(sentences)


def make_history(path: Path, entries: int, seed: int = 24) -> None:
    """A history file of ``entries`` long texts, the newest last."""
    from assistant.history import HistoryStore

    rng = random.Random(seed)
    kinds = [kind for kind, share in _KINDS.items() for _ in range(share)]
    rows = [(f"2026-01-01T00:00:{n:05d}", _text(rng, rng.choice(kinds))) for n in range(entries)]
    store = HistoryStore(path)
    with store._db:  # thousands of rows in one transaction, as no window writes them
        store._db.executemany(
            "INSERT INTO analyses (created, updated, text, question, results)"
            " VALUES (?1, ?1, ?2, '', '{}')",
            rows,
        )
    store.close()


def measure(path: Path, rounds: int) -> list[dict[str, object]]:
    """Each query searched ``rounds`` times in a history panel: the search's time (Enter to
    the list shown) and the window thread's longest gap between 5 ms ticks meanwhile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from assistant.gui.widgets.history_panel import HistoryPanel
    from assistant.history import HistoryStore

    app = QApplication.instance() or QApplication([])
    store = HistoryStore(path)
    panel = HistoryPanel(store)
    store.search("warm up", limit=1)  # the first search works out the folding tables (50 ms)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    results = []
    for query in QUERIES:
        searches, stalls = [], []
        for _ in range(rounds):
            loop = QEventLoop()
            panel.listed.connect(loop.quit)
            ticks[:] = [time.perf_counter()]
            timer.start()
            panel.search.setText(query)
            panel.search.returnPressed.emit()
            loop.exec()
            ticks.append(time.perf_counter())  # the stretch since the last tick counts too
            timer.stop()
            panel.listed.disconnect(loop.quit)
            searches.append(ticks[-1] - ticks[0])
            stalls.append(max(b - a for a, b in itertools.pairwise(ticks)))
        results.append(
            {
                "query": query,
                "search_ms": round(statistics.median(searches) * 1000, 1),
                "longest_stall_ms": round(max(stalls) * 1000, 1),
                "median_stall_ms": round(statistics.median(stalls) * 1000, 1),
            }
        )
    panel.stop_searching()
    store.close()
    app.processEvents()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks history", description=__doc__)
    parser.add_argument("--entries", type=int, default=5000, help="texts in the history")
    parser.add_argument("--rounds", type=int, default=5, help="searches per query")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "history.sqlite3"
        make_history(path, args.entries)
        results = measure(path, args.rounds)
    print(f"{args.entries:,} texts of ~{TEXT_CHARS:,} characters; {args.rounds} searches each")
    print("| query (no text holds it) | search, median ms | window stall, longest ms (median) |")
    print("|---|---|---|")
    for row in results:
        print(
            f"| {row['query']} | {row['search_ms']} |"
            f" {row['longest_stall_ms']} ({row['median_stall_ms']}) |"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {"entries": args.entries, "rounds": args.rounds, "results": results}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0
