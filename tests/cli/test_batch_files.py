"""Reading, analysing and writing batch files: bad lines are reported, the batch goes on."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.batch_analysis import analyse_items
from assistant.batch_columns import Column, default_position
from assistant.batch_files import count_items, guessed_column, list_columns, read_items
from assistant.batch_items import BatchFileError, BatchItem, BatchRow
from assistant.batch_output import STALE_PARTIAL_S, output_format, same_file, write_results
from assistant.batch_summary import BatchSummary
from assistant.cli import main
from assistant.engine import Intent, ModelError
from assistant.text_files import not_a_file
from assistant.wording import INTENT_CUT_NOTE, LONG_REQUEST_NOTE, LONG_REQUEST_WORDS, intent_note

from .conftest import FakeEngine


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _texts(path: Path, column: Column = None) -> list[tuple[str | None, str | None]]:
    return [(item.text, item.error) for item in read_items(path, column)]


def test_txt_lines_with_bom_crlf_blank_and_bad_bytes(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "in.txt",
        b"\xef\xbb\xbfI love it\r\n\nbad \x81 byte\ncaf\xc3\xa9 \xf0\x9f\x98\x80\n",
    )
    items = list(read_items(path))
    assert [item.index for item in items] == [1, 2, 3, 4]
    assert [(item.text, item.error) for item in items] == [
        ("I love it", None),
        (None, "empty line"),
        (None, "not valid UTF-8 text"),
        ("café 😀", None),
    ]
    assert count_items(path) == 4
    assert list_columns(path) == []


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("in.txt", b"one\n \ntwo\n\n  \r\n\n", [(1, "one"), (2, None), (3, "two")]),
        ("in.csv", b"text,id\none,1\n,\ntwo,2\n,\n,,\n\n", [(1, "one"), (2, None), (3, "two")]),
        ("in.jsonl", b'"one"\n\n"two"\n\n\n', [(1, "one"), (2, None), (3, "two")]),
        ("in.txt", b"\n\n", []),
    ],
)
def test_blank_lines_inside_are_items_and_at_the_end_are_not(
    tmp_path: Path, name: str, data: bytes, expected: list[tuple[int, str | None]]
) -> None:
    items = list(read_items(_write(tmp_path, name, data)))
    assert [(item.index, item.text) for item in items] == expected
    assert all(item.error == "empty line" for item in items if item.text is None)
    assert count_items(tmp_path / name) == len(expected)


def test_csv_picks_text_column_and_keeps_multiline_records(tmp_path: Path) -> None:
    data = b'id,Text\n1,"first, with comma"\n2,"two\nlines"\n3,\n4\n'
    path = _write(tmp_path, "in.csv", data)
    assert list_columns(path) == ["id", "Text"]
    assert _texts(path) == [
        ("first, with comma", None),
        ("two\nlines", None),
        (None, "empty text"),
        (None, "missing value"),
    ]
    assert _texts(path, "id") == [("1", None), ("2", None), ("3", None), ("4", None)]


def test_csv_semicolons_and_first_column_default(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"review;stars\ngood; 5\nbad;1\n")
    assert _texts(path) == [("good", None), ("bad", None)]


def test_plural_text_column_names_and_the_prose_column_guess(tmp_path: Path) -> None:
    plural = _write(tmp_path, "plural.csv", b"Nr;Reviews\n1;good\n")
    assert _texts(plural) == [("good", None)] and guessed_column(plural) is None
    unnamed = _write(tmp_path, "de.csv", b"Nr;Kommentar\n1;gut\n")
    assert guessed_column(unnamed) == "'Kommentar'"  # not the numbers of "Nr"


@pytest.mark.parametrize(
    "data",
    [
        b",,,\nid,text\n1,good\n",  # a spreadsheet's blank first row
        b"  ;  \nid;text\n1;good\n",
        b'"row\nid",text\n1,good\n',  # a header name spanning two lines
    ],
)
def test_csv_header_is_the_first_record_with_content(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path, "in.csv", data)
    assert list_columns(path)[-1] == "text"
    assert _texts(path) == [("good", None)]


def test_csv_undecodable_record_is_an_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"text\nok \xc3\xa9\nbad \x81\nok two\n")
    assert _texts(path) == [("ok é", None), (None, "not valid UTF-8 text"), ("ok two", None)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (  # a quote never closed, on lines that hold a row each: a stray quote, kept as such
            b'id,text\n1,fine\n2,"Best pizza\n3,more\n',
            [("fine", None), ('"Best pizza', None), ("more", None)],
        ),
        (  # a quote never closed where the lines are not rows: said, not swallowed
            b'id,text\n1,fine\n2,"Best pizza\nin town\n',
            [("fine", None), (None, "lines 3-4: a quote opened here is never closed, so the rest"
              " of the file ran into this row")],
        ),
        (  # text after a closing quote, on a line that is a row: the quotes are characters
            b'id,text\n1,"Best" pizza\n2,ok\n',
            [('"Best" pizza', None), ("ok", None)],
        ),
        (  # text after a closing quote, on a line that is not a row: said, then the batch goes on
            b'id,text\n1,"a"b,c\n2,ok\n',
            [(None, 'line 2: text follows a closing quote (a quote inside a quoted cell is'
              ' written "")'), ("ok", None)],
        ),
        (  # an unquoted comma in a one-column file would have cut the text short
            b"review\nI liked it, but the ending was awful\n\"quoted, fine\"\nplain,\n",
            [("I liked it, but the ending was awful",
              "2 cells where the header has 1: put a text holding ',' in quotes"),
             ("quoted, fine", None), ("plain", None)],
        ),
        (  # a quoted cell across lines that each hold a row, ids 1, 2 going on to the next
            # row's 3: two stray quotes (other quoted cells stay one text, as tested below)
            b'id,text\n1,"first line\n2,second"\n3,ok\n',
            [('"first line', None), ('second"', None), ("ok", None)],
        ),
        (b"id,text\r1,I love it\r2,I hate it\r", [("I love it", None), ("I hate it", None)]),
        (  # Excel's delimiter line
            b"sep=;\nid;text\n1;I loved it, really\n",
            [("I loved it, really", None)],
        ),
    ],
)  # fmt: skip
def test_csv_problems_are_said_in_their_rows(
    tmp_path: Path, data: bytes, expected: list[tuple[str | None, str | None]]
) -> None:
    assert _texts(_write(tmp_path, "in.csv", data)) == expected


def test_a_stray_quote_in_a_tsv_does_not_join_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "in.tsv",
        b'id\ttext\n1\tok\n2\t"great service\n3\tawful food\n4\tthe TV is 55"\n\n5\tfine\n',
    )
    assert _texts(path) == [
        ("ok", None), ('"great service', None), ("awful food", None), ('the TV is 55"', None),
        (None, "empty line"), ("fine", None),
    ]  # fmt: skip
    assert count_items(path) == 6


def test_rows_split_from_a_stray_quote_keep_their_own_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "in.csv", b'id,text\n1,"stray quote\n2,fine row\n3,\x81\x81 bad\n4,after\n'
    )
    assert _texts(path) == [
        ('"stray quote', None), ("fine row", None), (None, "not valid UTF-8 text"), ("after", None)
    ]  # fmt: skip


def test_lines_are_not_split_when_one_would_hold_more_cells_than_a_row(tmp_path: Path) -> None:
    # the quoted cell of line 3 ends in a comma: read alone, that line holds three cells
    data = b'id,text\n1,"stray\n2,"Dear team,\nthanks for the food"\n3,fine\n'
    first, second, third = _texts(_write(tmp_path, "in.csv", data))
    assert first[0] is None and "text follows a closing quote" in (first[1] or "")
    assert second == (None, "missing value")  # the rest of the broken cell, said, not analysed
    assert third == ("fine", None)


def test_a_quoted_tsv_cell_across_lines_stays_one_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.tsv", b'id\ttext\n1\t"He said ""hi""\nand left"\n2\tok\n')
    assert _texts(path) == [('He said "hi"\nand left', None), ("ok", None)]


def test_a_column_by_position_reads_unnamed_and_repeated_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"id,,text,text\n1,blank name,first,second\n")
    assert [_texts(path, position) for position in (1, 2, 3)] == [
        [("blank name", None)], [("first", None)], [("second", None)]
    ]  # fmt: skip
    with pytest.raises(BatchFileError, match="no column number 5"):
        read_items(path, 4)


def test_an_excel_csv_in_windows_1252_keeps_its_accents(tmp_path: Path) -> None:
    data = "identité;avis\n1;Très bien, café “parfait”\n2;Nul\n".encode("cp1252")
    path = _write(tmp_path, "excel.csv", data)
    assert list_columns(path) == ["identité", "avis"]
    assert _texts(path, "avis") == [("Très bien, café “parfait”", None), ("Nul", None)]


def test_the_encoding_is_decided_line_by_line(tmp_path: Path) -> None:
    ascii_page = b"plain ascii line\n" * 5000  # more than the first 64 KB
    data = b"text\nit\x92s fine\n" + ascii_page + "très bon café 😀\n".encode()
    texts = [text for text, _error in _texts(_write(tmp_path, "mixed.csv", data))]
    assert texts[0] == "it\u2019s fine" and texts[-1] == "très bon café 😀"  # not Ã¨
    late = ascii_page + "„Gruß” aus München\n".encode("cp1252")
    assert _texts(_write(tmp_path, "late.txt", late))[-1] == ("„Gruß” aus München", None)
    damaged = _write(tmp_path, "damaged.txt", b"caf\xc3\xa9 cr\xc3\xa8me \xff\n")
    assert _texts(damaged) == [(None, "not valid UTF-8 text")]  # UTF-8 with a bad byte


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("„Viel Spaß“ sagte er\n".encode("cp1252"), ("„Viel Spaß“ sagte er", None)),
        ("Très bien, CAFÉ\n".encode("cp1252"), ("Très bien, CAFÉ", None)),
        ("这个产品很好\n".encode("gbk"), (None, "not valid UTF-8 text")),  # not Western
        ("配送が遅かった\n".encode("shift_jis"), (None, "not valid UTF-8 text")),
        ("café 😀\n".encode().replace(b"\x98", b"A"), (None, "not valid UTF-8 text")),
        ("好的\n".encode()[1:], (None, "not valid UTF-8 text")),  # a cut UTF-8 character
        (b"\xef\xbb\xbfok\nbad \xff byte\n", (None, "not valid UTF-8 text")),  # marked UTF-8
    ],
)
def test_a_line_is_windows_1252_only_when_it_looks_so(
    tmp_path: Path, data: bytes, expected: tuple[str | None, str | None]
) -> None:
    assert _texts(_write(tmp_path, "in.txt", data))[-1] == expected


def test_tsv_and_lone_carriage_returns(tmp_path: Path) -> None:
    tsv = _write(tmp_path, "in.tsv", b"id\ttext\n1\tgood, yes; fine\n")
    assert list_columns(tsv) == ["id", "text"]
    assert _texts(tsv) == [("good, yes; fine", None)]
    assert _texts(_write(tmp_path, "mac.txt", b"a\rb\r\nc")) == [
        ("a", None), ("b", None), ("c", None)
    ]  # fmt: skip


def test_an_interrupted_write_leaves_the_earlier_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_results(path, [BatchRow(1, "kept")])

    def rows_then_interrupt():
        yield BatchRow(1, "new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_results(path, rows_then_interrupt())
    assert [row["text"] for row in json.loads(path.read_text())] == ["kept"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_two_batches_writing_one_file_do_not_mix(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"

    def rows_with_another_batch_meanwhile():
        yield BatchRow(1, "first a")
        write_results(path, [BatchRow(1, "second a"), BatchRow(2, "second b")])
        yield BatchRow(2, "first b")

    write_results(path, rows_with_another_batch_meanwhile())
    assert [json.loads(line)["text"] for line in path.read_text().splitlines()] == [
        "first a", "first b"
    ]  # fmt: skip


def test_results_that_cannot_replace_the_file_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.csv"

    def held_open(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(
        BatchFileError, match=r"Permission denied\. The results are kept in"
    ) as err:
        write_results(path, [BatchRow(1, "hours of work")])
    kept = Path(str(err.value).rsplit(" kept in ", 1)[1].rstrip("."))
    assert "hours of work" in kept.read_text(encoding="utf-8-sig")


def test_a_partial_file_a_killed_batch_left_goes_when_the_next_one_ends(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    stale, fresh = (
        tmp_path / ".out.jsonl.0badf00d.partial",
        tmp_path / ".out.jsonl.c0ffee00.partial",
    )
    stale.write_text("half")
    fresh.write_text("another batch is writing this one")
    day_ago = time.time() - STALE_PARTIAL_S - 60
    os.utime(stale, (day_ago, day_ago))
    write_results(path, [BatchRow(1, "ok")])
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name, "out.jsonl"]


def test_a_folder_is_refused_before_any_row_is_made(tmp_path: Path) -> None:
    (tmp_path / "out.csv").mkdir()

    def rows():
        raise AssertionError("no row may be made for a write that cannot happen")
        yield

    with pytest.raises(BatchFileError, match="is a folder, not a file"):
        write_results(tmp_path / "out.csv", rows())


def test_one_file_spelt_through_a_missing_folder_is_the_same_file(tmp_path: Path) -> None:
    source = _write(tmp_path, "in.csv", b"text\nhi\n")
    assert same_file(tmp_path / "missing" / ".." / "in.csv", source)
    assert not same_file(tmp_path / "other.csv", source)


def test_a_long_non_ascii_name_and_a_link_loop_are_written_or_refused_in_words(
    tmp_path: Path,
) -> None:
    long_name = tmp_path / ("é" * 125 + ".csv")  # 254 bytes: the hidden file must be shorter
    assert write_results(long_name, [BatchRow(1, "ok")]) == 1 and long_name.exists()
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    with pytest.raises(BatchFileError, match="Cannot write"):
        write_results(loop, [BatchRow(1, "ok")])


def test_a_write_goes_through_a_link_keeps_permissions_and_spares_an_earlier_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "real.json"
    write_results(target, [BatchRow(1, "old")])
    target.chmod(0o600)
    link = tmp_path / "out.json"
    link.symlink_to(target)
    assert write_results(link, [BatchRow(1, "new")]) == 1
    assert link.is_symlink() and json.loads(target.read_text())[0]["text"] == "new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert write_results(link, [], replace_if=lambda: False) == 0
    assert json.loads(target.read_text())[0]["text"] == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "real.json"]


def test_csv_cell_longer_than_the_csv_modules_default_cap_is_one_item(tmp_path: Path) -> None:
    long_text = "word " * 40_000  # 200,000 characters: over csv's default 131,072
    path = _write(tmp_path, "in.csv", f"text\n{long_text}\nshort one\n".encode())
    assert _texts(path) == [(long_text, None), ("short one", None)]


def test_csv_unknown_column_names_the_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"a,b\n1,2\n")
    with pytest.raises(BatchFileError, match=r"no column 'text' \(columns: a, b\)"):
        read_items(path, "text")


def test_jsonl_objects_strings_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "utterance": "hello thére"}',
        '"a bare string"',
        "{not json",
        "[" * 5000 + "]" * 5000,  # deeper than json's recursion allows
        "[1, 2]",
        '{"id": 5}',
        '{"utterance": 7}',
        "",
    ]
    path = _write(tmp_path, "in.jsonl", "\n".join(lines).encode() + b"\n\x81\n")
    assert list_columns(path) == ["id", "utterance"]
    assert _texts(path) == [
        ("hello thére", None),
        ("a bare string", None),
        (None, "not valid JSON"),
        (None, "not valid JSON"),
        (None, "not a JSON object"),
        (None, "no field 'utterance'"),
        (None, "field 'utterance' is not text"),
        (None, "empty line"),
        (None, "not valid UTF-8 text"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("in.xlsx", b"x", "use a .txt"),
        ("in.txt", b"PK\x03\x04\x00\x00binary", "not a text file"),
        ("in.csv", b"", "empty"),
    ],
)
def test_unusable_files_raise_a_human_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(BatchFileError, match=message):
        read_items(_write(tmp_path, name, data))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BatchFileError, match="No such file"):
        read_items(tmp_path / "absent.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(BatchFileError, match="folder"):
        read_items(tmp_path / "dir.txt")
    with pytest.raises(BatchFileError, match="folder, not a file"):  # not "use a .txt file"
        read_items(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.parametrize("name", ["texts.txt", "texts.csv", "texts.jsonl"])
def test_a_named_pipe_is_refused_without_waiting_on_it(tmp_path: Path, name: str) -> None:
    """A batch reads its file more than once: a pipe's second reading waits forever."""
    pipe = tmp_path / name
    os.mkfifo(pipe)
    refusals: list[str] = []

    def read_all() -> None:
        for read in (list_columns, guessed_column, read_items, count_items):
            try:
                read(pipe)
            except BatchFileError as exc:
                refusals.append(str(exc))

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # the old code: let its open() of the pipe return, then fail
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the batch waited on the named pipe")
    assert len(refusals) == 4
    assert all(r.startswith(f"{pipe} is not a regular file") for r in refusals)


def test_analyse_items_batches_and_isolates_bad_items() -> None:
    engine = FakeEngine()
    items = [
        BatchItem(1, "I love it"),
        BatchItem(2, None, "not valid UTF-8 text"),
        BatchItem(3, "REFUSE this one"),
        BatchItem(4, "what's the weather"),
    ]
    rows = list(analyse_items(engine, items, ["sentiment", "intent"], batch_size=3))
    assert [row.index for row in rows] == [1, 2, 3, 4]
    assert (rows[0].sentiment, rows[0].sentiment_score, rows[0].intent) == ("positive", 0.9, "oos")
    assert rows[1].error == "not valid UTF-8 text"
    assert rows[2].sentiment is None
    assert rows[2].error is not None and rows[2].error.startswith("sentiment and intent: ")
    assert rows[2].error.count("refused") == 1  # one message for both tasks, said once
    assert (rows[3].intent, rows[3].intent_domain, rows[3].error) == ("weather", "utility", None)
    # first chunk: one batched call that fails, then one call per good text; second chunk batched
    assert engine.calls[:3] == [("sentiment", 2), ("sentiment", 1), ("sentiment", 1)]
    assert ("sentiment", 1) in engine.calls[3:]


def test_an_intent_of_a_long_text_carries_the_windows_caveat_into_its_row() -> None:
    """The window called the intent of a text over 30 words a rough guide; a batch row (its
    table cell and its exports) said nothing."""
    long_words = LONG_REQUEST_WORDS + 1
    items = [
        BatchItem(1, "weather " * LONG_REQUEST_WORDS),
        BatchItem(2, "weather " * long_words),
        BatchItem(3, "nothing " * long_words),  # out of scope: the sound reading of a long text
    ]
    rows = list(analyse_items(FakeEngine(), items, ["sentiment", "intent"]))
    assert [row.intent_note for row in rows] == [None, LONG_REQUEST_NOTE, None]
    sentiment_only = analyse_items(FakeEngine(), items[1:2], ["sentiment"])
    assert next(sentiment_only).intent_note is None


def test_an_intent_read_in_part_is_said_so_before_a_long_text_is() -> None:
    cut = Intent("weather", 0.8, "utility", truncated=True)
    assert intent_note(cut, "word " * LONG_REQUEST_WORDS * 10) == INTENT_CUT_NOTE
    assert intent_note(dataclasses.replace(cut, truncated=False), "three words here") is None


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_exports_carry_the_intent_note(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    write_results(path, [BatchRow(1, "a long text", intent="weather", intent_note="rough")])
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            (record,) = csv.DictReader(stream)
    else:
        (record,) = json.loads(path.read_text(encoding="utf-8"))
    assert record["intent_note"] == "rough"


def test_analyse_items_only_requested_tasks() -> None:
    rows = list(analyse_items(FakeEngine(), [BatchItem(1, "great")], ["sentiment"]))
    assert rows == [BatchRow(1, "great", sentiment="positive", sentiment_score=0.9)]
    with pytest.raises(ValueError, match="batch tasks"):
        list(analyse_items(FakeEngine(), [], ["qa"]))


def test_model_error_stops_the_batch() -> None:
    with pytest.raises(ModelError):
        list(analyse_items(FakeEngine(bundles=[]), [BatchItem(1, "hi")], ["intent"]))


ROWS = [
    BatchRow(1, 'I love it, "really"', "positive", 0.9, "oos", 0.6, None, None),
    BatchRow(2, None, error="not valid UTF-8 text"),
    BatchRow(3, "línea\ncon 😀", "negative", 0.75, "weather", 0.8, "utility", None),
]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_write_results_round_trip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    write_results(path, iter(ROWS))
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            records = list(csv.DictReader(stream))
        assert records[0]["sentiment_score"] == "0.9"
        assert records[1]["text"] == "" and records[2]["text"] == ROWS[2].text
    else:
        text = path.read_text(encoding="utf-8")
        records = (
            json.loads(text) if suffix == ".json" else [json.loads(x) for x in text.splitlines()]
        )
        assert records == [row.to_dict() for row in ROWS]
    if suffix != ".json":
        assert [item.text for item in read_items(path)] == [ROWS[0].text, None, ROWS[2].text]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_a_lone_surrogate_read_from_json_is_written_as_its_escape(
    tmp_path: Path, suffix: str
) -> None:
    source = _write(tmp_path, "in.jsonl", b'{"text": "good \\ud800 day"}\n')
    [item] = read_items(source)
    assert item.text == "good \ud800 day"
    path = tmp_path / f"out{suffix}"
    assert write_results(path, [BatchRow(1, item.text)]) == 1
    assert "good \\ud800 day" in path.read_text(encoding="utf-8")
    if suffix == ".jsonl":
        assert [row.text for row in read_items(path)] == [item.text]  # the escape is JSON's own


@pytest.mark.skipif(getattr(os, "geteuid", lambda: 1)() == 0, reason="root may write anyway")
def test_a_read_only_output_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_results(path, [BatchRow(1, "kept")])
    path.chmod(0o444)
    with pytest.raises(BatchFileError, match="read-only"):
        write_results(path, [BatchRow(1, "new")])
    assert "kept" in path.read_text(encoding="utf-8-sig")


def test_write_results_empty_json_is_valid(tmp_path: Path) -> None:
    write_results(tmp_path / "out.json", [])
    assert json.loads((tmp_path / "out.json").read_text()) == []


def test_write_results_rejects_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(BatchFileError, match=r"\.csv, \.jsonl or \.json"):
        write_results(tmp_path / "out.xlsx", ROWS)


def test_summary_counts_and_describes() -> None:
    summary = BatchSummary()
    for row in ROWS:
        summary.add(row)
    assert summary.to_dict()["items"] == 3
    assert summary.to_dict()["errors"] == 1
    text = "\n".join(summary.describe())
    assert "3 items" in text and "1 error" in text and "1 errors" not in text
    assert "positive 1 (50%)" in text and "top intents: oos 1, weather 1" in text
    assert "item 2: not valid UTF-8 text" in text
    assert summary.to_dict()["not_english"] == 0  # "línea con": too few words to tell


def test_summary_notes_items_not_in_english() -> None:
    summary = BatchSummary()
    texts = ["这是一个很好的产品", "Great phone.", "Привет, мир", "Très déçu."]
    for index, text in enumerate(texts, start=1):
        summary.add(BatchRow(index, text, sentiment="positive", sentiment_score=0.9))
    summary.add(BatchRow(5, "这个产品非常好", error="no word the models know"))
    assert summary.to_dict()["not_english"] == 3  # not the item without results
    assert "note: 3 items do not look like English" in "\n".join(summary.describe())


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
).filter(lambda t: t.rstrip("\r\n").strip())


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=5))
def test_csv_round_trip_of_arbitrary_text(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    path = tmp_path_factory.mktemp("prop") / "out.csv"
    write_results(path, [BatchRow(i, t) for i, t in enumerate(texts, start=1)])
    inert = ["'" + t if t.startswith(("=", "+", "-", "@", "\t", "\r")) else t for t in texts]
    assert [item.text for item in read_items(path, "text")] == [t.rstrip("\r\n") for t in inert]


def test_csv_cells_that_start_like_a_formula_stay_text_in_a_spreadsheet(tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://x","y")', "-great", "+1", "@me", "fine = ok"]
    for suffix in (".csv", ".jsonl"):
        path = tmp_path / f"out{suffix}"
        write_results(path, [BatchRow(i, t) for i, t in enumerate(texts, start=1)])
        kept = [item.text for item in read_items(path, "text")]
        if suffix == ".csv":
            assert kept == ['\'=HYPERLINK("http://x","y")', "'-great", "'+1", "'@me", "fine = ok"]
        else:
            assert kept == texts  # JSON is read by programs, not spreadsheets


def test_jsonl_fields_come_from_every_object_not_only_the_first(tmp_path: Path) -> None:
    lines = ['{"id": 1}', '{"id": 2, "text": "I loved it"}', '{"id": 3, "note": "x"}']
    path = _write(tmp_path, "mixed.jsonl", ("\n".join(lines) + "\n").encode())
    assert list_columns(path) == ["id", "text", "note"]
    assert _texts(path) == [
        (None, "no field 'text'"),
        ("I loved it", None),
        (None, "no field 'text'"),
    ]
    assert [item.text for item in read_items(path, "text")] == [None, "I loved it", None]
    with pytest.raises(BatchFileError, match=r"no column 'txet' \(columns: id, text, note\)"):
        read_items(path, "txet")


@pytest.mark.parametrize(
    ("names", "read"),
    [
        (["id", "text"], "text"),
        (["Text", "ID"], "Text"),
        (["review_id", "review_text"], "review_text"),
        (["review_date", "rating", "review_body"], "review_body"),  # not the dates
        (["comment_count", "title", "comment_body"], "comment_body"),  # not the counts
        (["review_headline", "review_body"], "review_body"),
        (["reviewerID", "reviewText"], "reviewText"),  # camelCase
        (["comments", "comment_id"], "comments"),
        (["product", "num_reviews", "review_content"], "review_content"),  # not the counts
        (["id", "n_messages", "last_message"], "last_message"),
        (["id", "title", "selftext", "num_comments"], "id"),  # nothing fits: the first
        (["Nr", "Kommentar"], "Nr"),  # nothing says text, nor what the cells hold: the first
    ],
)
def test_the_text_column_is_the_one_a_name_says_holds_text(names: list[str], read: str) -> None:
    assert names[default_position(names)] == read


@pytest.mark.parametrize(
    ("data", "asked", "numbers"),
    [
        (b"Text,TEXT\na,b\n", "text", "1 and 2"),
        # It said they were "in different cases" and to "give the exact one", which was
        # refused too.
        (b"id,review,review\n1,first,second\n", "REVIEW", "2 and 3"),
    ],
)
def test_a_column_asked_for_in_another_case_must_be_unambiguous(
    tmp_path: Path, data: bytes, asked: str, numbers: str
) -> None:
    path = _write(tmp_path, "in.csv", data)
    with pytest.raises(BatchFileError) as refused:
        read_items(path, asked)
    assert str(refused.value) == (
        f"in.csv has 2 columns named {asked!r} in some case, columns {numbers}: give the"
        " number of the one to read."
    )


def test_a_column_asked_for_in_its_own_case_wins_over_another_case(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"Text,TEXT\na,b\n")
    assert [item.text for item in read_items(path, "TEXT")] == ["b"]


def test_a_file_that_fails_while_it_is_read_says_so_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "in.txt", b"one\ntwo\n")

    real_open, opened = Path.open, []

    def open_then_fail(self: Path, *args, **kwargs):  # the check reads, the reading fails
        opened.append(self)
        if len(opened) > 2:  # the checks at the call and at the first read pass
            raise OSError(5, "Input/output error")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_then_fail)
    with pytest.raises(BatchFileError, match=r"Cannot read .*in\.txt: Input/output error"):
        list(read_items(path))
    assert len(opened) == 3


def test_a_row_with_a_cell_too_many_does_not_cost_the_rows_a_stray_quote_ran_into(
    tmp_path: Path,
) -> None:
    """One row of five cells after a quote left open made lines 3-6 one error: three good rows
    were lost, and the rows split from a stray quote kept their own quotes."""
    data = (
        b'id,text,stars\n1,"fine",5\n2,"unclosed quote here,2\n3,slow,3,extra\n4,,4\n'
        b'5,"Book me a table",5\n'
    )
    assert _texts(_write(tmp_path, "in.csv", data)) == [
        ("fine", None),
        ('"unclosed quote here', None),
        ("3,slow,3,extra", "4 cells where the header has 3: put a text holding ',' in quotes"),
        (None, "empty text"),
        ("Book me a table", None),
    ]


STRAY_QUOTE_AND_COMMA = (
    b'id,review,stars\n1,Great value,5\n2,"Loved it, really,5\n3,Broke in a week,1\n'
    b"4,Fine for the price,3\n5,Would buy again,5\n"
)


@pytest.mark.parametrize(
    "data",
    [
        STRAY_QUOTE_AND_COMMA,
        (  # the text in the first column
            b'review,stars\nGreat value,5\n"Loved it, really,5\nBroke in a week,1\n'
            b"Fine for the price,3\nWould buy again,5\n"
        ),
        STRAY_QUOTE_AND_COMMA.replace(b"Loved it, really,5", b"Loved it"),  # and a cell short
    ],
)
def test_a_line_whose_quote_is_never_closed_is_a_row_of_its_own(
    tmp_path: Path, data: bytes
) -> None:
    """A stray quote before a comma made lines 3-6 one error: the line read with the quote as a
    character holds a cell too many and is not CSV, so the lines after it were not split."""
    assert _texts(_write(tmp_path, "in.csv", data)) == [
        ("Great value", None),
        (None, "line 3: a quote opened here is never closed"),
        ("Broke in a week", None),
        ("Fine for the price", None),
        ("Would buy again", None),
    ]


def test_the_command_line_analyses_the_rows_after_a_stray_quote(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    source, output = _write(tmp_path, "in.csv", STRAY_QUOTE_AND_COMMA), tmp_path / "out.csv"
    assert main(["batch", str(source), "--tasks", "sentiment", "-o", str(output)]) == 0
    with output.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["index"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert [bool(row["sentiment"]) for row in rows] == [True, False, True, True, True]
    assert "item 2: line 3: a quote opened here is never closed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("in.csv", "id,text\r\n1,café crème\r\n2,naïve\r\n".encode("utf-16")),  # with a BOM
        ("in.txt", "café crème\rnaïve\n".encode("utf-16-le")),  # none, as the editor reads too
    ],
)
def test_utf16_batch_files_are_read_as_the_text_box_reads_them(
    tmp_path: Path, name: str, data: bytes
) -> None:
    """Batch said "save it as UTF-8" for a file Notepad saved as "Unicode" that the text box
    opened."""
    assert _texts(_write(tmp_path, name, data)) == [("café crème", None), ("naïve", None)]


UTF16_DAMAGED_LINE = b"\x00\xd8x\x00\n\x00"
"""A lone high surrogate, then "x" and a line break, in UTF-16-LE."""


def test_a_utf16_line_with_its_own_replacement_character_is_text_and_a_damaged_one_is_not(
    tmp_path: Path,
) -> None:
    """U+FFFD in the text itself was taken for bytes UTF-16 could not read; the damaged line
    was said to be "not valid UTF-8 text", an encoding the file was never read in."""
    data = (
        b"\xff\xfe"  # a byte order mark
        + "Caf\ufffd menu\n".encode("utf-16-le")
        + UTF16_DAMAGED_LINE
        + "ok\n".encode("utf-16-le")
    )
    assert _texts(_write(tmp_path, "in.txt", data)) == [
        ("Caf\ufffd menu", None),
        (None, "not valid UTF-16 text"),
        ("ok", None),
    ]


@pytest.mark.parametrize(
    ("name", "head"),
    [("in.csv", "id,text\n1,fine\n2,"), ("in.jsonl", '"fine"\n"')],
)
def test_a_damaged_utf16_record_names_utf16(tmp_path: Path, name: str, head: str) -> None:
    data = b"\xff\xfe" + head.encode("utf-16-le") + UTF16_DAMAGED_LINE
    assert _texts(_write(tmp_path, name, data))[-1] == (None, "not valid UTF-16 text")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [(b"\xff\xfe" + UTF16_DAMAGED_LINE, "UTF-16"), (b"te\x81xt\n", "UTF-8")],
)
def test_a_damaged_header_names_the_files_encoding(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = _write(tmp_path, "in.csv", data)
    with pytest.raises(BatchFileError) as refused:
        list_columns(path)
    assert str(refused.value) == f"The header of in.csv is not valid {encoding} text."


def test_the_command_line_names_utf16_for_a_damaged_line(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    data = b"\xff\xfe" + "fine\n".encode("utf-16-le") + UTF16_DAMAGED_LINE
    assert main(["batch", str(_write(tmp_path, "in.txt", data))]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["error"] for row in rows] == [None, "not valid UTF-16 text"]


def test_a_tsv_cell_across_lines_with_tabs_in_it_stays_one_text(tmp_path: Path) -> None:
    """Only a record CSV cannot read is split into lines of more cells than a row."""
    data = b'id\ttext\n1\t"a cell with a table\nb\tc\td\ne\tf"\n2\tok\n'
    assert _texts(_write(tmp_path, "in.tsv", data)) == [
        ("a cell with a table\nb\tc\td\ne\tf", None),
        ("ok", None),
    ]


TWO_STRAY_QUOTES = (
    b'id,review,stars\n1,"Bright 5"" screen",5\n2,"Best phone I have had,5\n'
    b'3,Battery lasts all day,4\n4,Too big for my 12",2\n5,Fine,3\n'
)


def test_two_stray_quotes_do_not_join_the_rows_between_them(tmp_path: Path) -> None:
    """A quote opening line 3's text and one ending line 5's read as one quoted cell across
    lines 3-5, which CSV allows: rows 3 and 4 were lost inside row 2's text without a word."""
    assert _texts(_write(tmp_path, "in.csv", TWO_STRAY_QUOTES)) == [
        ('Bright 5" screen', None),
        ('"Best phone I have had', None),
        ("Battery lasts all day", None),
        ('Too big for my 12"', None),
        ("Fine", None),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b'id,text\n1,"Great food\nService was slow, though"\n2,ok\n',
        b'id,text,stars\n1,"Dear team, thanks\nfor all, really",5\n2,ok,4\n',
    ],
)
def test_a_quoted_cell_across_lines_of_prose_stays_one_text(tmp_path: Path, data: bytes) -> None:
    """Each line holds as many cells as a row, but not an id where the rows hold ids."""
    text = data.decode().split('"')[1]
    assert _texts(_write(tmp_path, "in.csv", data)) == [(text, None), ("ok", None)]


def test_the_command_line_analyses_every_row_between_two_stray_quotes(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    source = _write(tmp_path, "in.csv", TWO_STRAY_QUOTES)
    assert main(["batch", str(source), "--tasks", "sentiment"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(row["index"], row["error"]) for row in rows] == [(n, None) for n in range(1, 6)]


REPEATED_NOTES = b"id,Notes,text,Notes\n1,first note,Great value,second note\n"


def test_a_repeated_column_name_is_refused_with_the_numbers_that_tell_them_apart(
    tmp_path: Path,
) -> None:
    """--column Notes read the first of two columns named Notes without a word."""
    path = _write(tmp_path, "in.csv", REPEATED_NOTES)
    with pytest.raises(BatchFileError) as refused:
        read_items(path, "Notes")
    assert str(refused.value) == (
        "in.csv has 2 columns named 'Notes', columns 2 and 4: give the number of the one to read."
    )
    assert [_texts(path, number) for number in ("2", "4")] == [
        [("first note", None)], [("second note", None)]
    ]  # fmt: skip


def test_a_column_is_named_before_it_is_numbered(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.csv", b"text,2,1\nAlice,one,two\n")
    assert [_texts(path, column) for column in ("1", "2", "3")] == [
        [("two", None)], [("one", None)], [("two", None)]
    ]  # fmt: skip
    with pytest.raises(BatchFileError, match=r"no column '4' \(columns: text, 2, 1\)"):
        read_items(path, "4")


def test_the_command_line_reads_a_repeated_column_by_its_number(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    path = _write(tmp_path, "in.csv", REPEATED_NOTES)
    assert main(["batch", str(path), "--column", "Notes"]) == 2
    assert "columns 2 and 4: give the number" in capsys.readouterr().err
    assert main(["batch", str(path), "--column", "4", "--tasks", "sentiment"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "second note"


def test_an_output_folder_is_said_in_the_words_of_an_input_folder(tmp_path: Path) -> None:
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(BatchFileError) as refused:
        write_results(tmp_path / "out.csv", [BatchRow(1, "ok")])
    assert str(refused.value) == not_a_file(tmp_path / "out.csv")


def test_an_output_folder_without_a_suffix_is_said_to_be_a_folder(tmp_path: Path) -> None:
    """It was told to use a .csv, .jsonl or .json file name, as if it were a file."""
    (tmp_path / "results").mkdir()
    with pytest.raises(BatchFileError) as refused:
        output_format(tmp_path / "results")
    assert str(refused.value) == not_a_file(tmp_path / "results")


@pytest.mark.parametrize(
    ("data", "column"),
    [
        (  # times start the lines, not ids
            b'id,notes\n101,"Customer called about the invoice.\n10:30, asked for a refund\n'
            b'11:15, refund issued"\n102,All good\n',
            1,
        ),
        (b'id,comment\n1,"Delivery was late.\nNo, I will not order again."\n2,Fine\n', 1),
        (  # 10 is no id after 1
            b'id,review\r\n1,"Tracks my walks well.\r\n10,000 steps a day is easy to hit now."'
            b"\r\n2,Battery is weak\r\n",
            1,
        ),
        (
            b'customer_id,address\n5531,"Flat 4\n12, MG Road\n560001, Bengaluru"\n'
            b'5532,"1 Main St"\n',
            1,
        ),
        (b'id,review\n1,"Items:\n2, both broken"\n2,Fine\n', 1),  # the next row is not 3
        (b'id,review\n1,"Items:\n3, both broken"\n2,Fine\n', 1),  # ids in no order
        (b'id,review\n1,"Items:\n7, both broken"\n', 1),  # no id counts on: no row after
        (b'id,review\n1,"Top 3:\n2, fast\n3, cheap"\n2,meh\n', 1),
        (
            b'id,rating,review\n1,5,"Great app.\n1,000,000 downloads cannot be wrong."\n2,1,Bad\n',
            2,
        ),
        (b'id,text\n1,"Great food\nService was slow, though"\n2,ok\n', 1),
        (b'Would you recommend us?,Why?\r\nYes,"Mostly good.\nYes, I would."\r\nNo,Slow\r\n', 1),
    ],
)
def test_a_quoted_cell_across_lines_is_one_text_where_no_ids_count_on(
    tmp_path: Path, data: bytes, column: int
) -> None:
    """Lines that each held a row's cells, none holding a word in a column of ids, were split
    into rows: a valid file gained rows, and lost its quotes and its texts' line breaks."""
    records = list(csv.reader(data.decode().splitlines(keepends=True)))[1:]
    assert _texts(_write(tmp_path, "in.csv", data)) == [(cells[column], None) for cells in records]


@pytest.mark.parametrize(
    "data",
    [
        b'id,review\n1,"Great TV\n2,Nice\n3,The size is 12"\n4,Ok\n',  # no row before
        b'id,review\n7,Ok\n8,"Great TV\n9,Nice\n10,The size is 12"\n',  # no row after
        b'review,id\nOk,7\n"Great TV,8\nNice,9\nThe size is 12",10\nFine,11\n,\n',
        b'id,review\n9,Ok\n8,"Great TV\n7,Nice\n6,The size is 12"\n5,Fine\n',  # newest first
        b'id,review\n101,Ok\n104,"Great TV\n109,Nice\n110,The size is 12"\n112,Fine\n',  # gaps
    ],
)
def test_two_stray_quotes_are_rows_where_the_ids_count_on_across_them(
    tmp_path: Path, data: bytes
) -> None:
    texts = [text for text, _ in _texts(_write(tmp_path, "in.csv", data))]
    assert '"Great TV' in texts and "Nice" in texts and 'The size is 12"' in texts


def test_columns_named_by_a_number_are_read_by_number(tmp_path: Path) -> None:
    """Two columns named "2" were refused by name and "2" could not be asked for by number."""
    path = _write(tmp_path, "in.csv", b"text,2,2\nhello there,one,two\n")
    assert [_texts(path, column) for column in ("2", "3")] == [[("one", None)], [("two", None)]]


def test_a_column_number_is_read_as_a_name_is_and_a_wrong_one_is_said(tmp_path: Path) -> None:
    """A 5,000-digit --column raised ValueError; " 2" was no column; 0 was said as any name."""
    path = _write(tmp_path, "in.csv", b"id,review\n1,Great\n")
    assert _texts(path, " 2") == _texts(path, "review ") == [("Great", None)]
    with pytest.raises(BatchFileError, match=r"no column '1{5000}'"):
        read_items(path, "1" * 5000)
    with pytest.raises(BatchFileError) as refused:
        read_items(path, "0")
    assert str(refused.value) == (
        "in.csv has no column '0' (columns: id, review): numbers start at 1."
    )


def test_an_output_name_too_long_for_the_system_is_refused_in_words(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    """is_dir() raised "File name too long" as a traceback."""
    output = tmp_path / f"{'r' * 300}.csv"
    with pytest.raises(BatchFileError, match="too long"):
        output_format(output)
    source = _write(tmp_path, "in.txt", b"Great\n")
    assert main(["batch", str(source), "-o", str(output), "--tasks", "sentiment"]) == 2
    assert "too long" in capsys.readouterr().err
