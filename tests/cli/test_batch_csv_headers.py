"""A .csv or .tsv file's first line: a header, or a row where it clearly is not one; and the
column (or JSON field) read when none is asked for: a named one, else the one whose cells hold
the most words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.batch_columns import default_position
from assistant.batch_files import guessed_column, list_columns, no_header_note, read_items
from assistant.cli import main

from .conftest import FakeEngine

REVIEWS = b"Terrible room, dirty sheets\nLovely staff\nWould not stay again\n"
GERMAN = b"ID;Kommentar;Datum\n101;Sehr gut, gerne wieder;2024-01-05\n102;Schlecht;2024-02-01\n"


def _file(tmp_path: Path, data: bytes, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path, column: str | None = None) -> list[tuple[str | None, str | None]]:
    return [(item.text, item.error) for item in read_items(path, column)]


def test_a_list_of_texts_saved_as_csv_keeps_its_first_text(tmp_path: Path) -> None:
    """Its first line was taken for a header of two columns, "Terrible room" and "dirty
    sheets": the first review was lost with only a note about the column read."""
    path = _file(tmp_path, REVIEWS + b"Great location, but noisy\n")
    assert list_columns(path) == ["column 1"]
    assert _read(path) == [
        ("Terrible room, dirty sheets",
         "2 cells where the other rows have 1: put a text holding ',' in quotes"),
        ("Lovely staff", None),
        ("Would not stay again", None),
        ("Great location, but noisy",
         "2 cells where the other rows have 1: put a text holding ',' in quotes"),
    ]  # fmt: skip
    assert no_header_note(path) == (
        "the first line of in.csv is read as the first row: most lines below it hold a single"
        " text."
    )


@pytest.mark.parametrize("name", ["in.csv", "in.tsv"])
def test_a_first_line_holding_a_number_or_date_is_a_row(tmp_path: Path, name: str) -> None:
    data = GERMAN.split(b"\n", 1)[1]
    path = _file(tmp_path, data.replace(b";", b"\t") if name == "in.tsv" else data, name)
    assert list_columns(path) == ["column 1", "column 2", "column 3"]
    assert _read(path) == [("Sehr gut, gerne wieder", None), ("Schlecht", None)]
    assert _read(path, "column 3") == [("2024-01-05", None), ("2024-02-01", None)]
    assert no_header_note(path) == (
        f"the first line of {name} is read as the first row: it holds a number or a date."
    )  # it said "...not as column names: it holds a number or a date, not column names."


@pytest.mark.parametrize(
    "data",
    [
        b"text\nI love it\nTerrible\n",
        b"title,review\nA,Great\nBB,Bad stuff here\n",
        b'Timestamp,How was your stay?,Any other comments?\n2024/01/05 10:00:00,Great,"Clean"\n',
        b"Q1,Q2,Q3\nGood,Very,Clean rooms\nBad,Not,Dirty\n",
        b"review\nI liked it, but the ending was awful\nplain,\n",  # one column, commas below
        b"id,text\n1,hi\n",
    ],
)
def test_a_header_is_not_taken_for_a_row(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data)
    assert list_columns(path) == data.decode().split("\n", 1)[0].split(",")
    assert no_header_note(path) is None


@pytest.mark.parametrize(
    ("data", "column", "text"),
    [
        (GERMAN, "Kommentar", "Sehr gut, gerne wieder"),  # not "101", analysed as positive
        (b"Timestamp,Q1\n2024/01/05 10:00:00,Clean and quiet\n", "Q1", "Clean and quiet"),
        (b"Nr;Produkt;Bewertung\n1;B00X4WHP5E;Sehr gut\n", "Bewertung", "Sehr gut"),
        (b"a;b\n1;2\n", "a", "1"),  # no column holds prose: the first
    ],
)
def test_the_column_read_passes_over_numbers_dates_and_ids(
    tmp_path: Path, data: bytes, column: str, text: str
) -> None:
    path = _file(tmp_path, data)
    assert _read(path)[0] == (text, None)
    assert guessed_column(path) == repr(column)  # the command line's note names it


def test_a_column_of_numbers_is_still_read_when_asked_for(tmp_path: Path) -> None:
    path = _file(tmp_path, GERMAN)
    assert _read(path, "id") == [("101", None), ("102", None)]


def test_the_column_by_names_alone_is_the_one_with_most_words() -> None:
    names = ["Nr", "Kommentar", "Datum"]
    assert default_position(names) == 0  # nothing known of the cells: the first
    assert default_position(names, words=[0, 2.5, 0]) == 1
    assert default_position(names, words=[0, 0, 0]) == 0
    assert default_position(names, words=[2, 0, 2]) == 0  # the first of equals
    assert default_position(["ID", "comment"], words=[3, 0]) == 1  # a name comes first


def test_the_command_line_reads_the_prose_column(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    path = _file(tmp_path, GERMAN)
    assert main(["batch", str(path), "--tasks", "sentiment"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["text"] for line in out.splitlines()] == [
        "Sehr gut, gerne wieder",
        "Schlecht",
    ]
    assert "so 'Kommentar' is read" in err


def test_a_list_of_texts_whose_first_holds_a_number_keeps_it_whole(tmp_path: Path) -> None:
    """The number rule came first: "Loved it, 10/10" made two columns, and ", 10/10" was lost
    without a word."""
    path = _file(tmp_path, b"Loved it, 10/10\nGreat product\nTerrible\nOkay\n")
    assert list_columns(path) == ["column 1"]
    assert _read(path)[:2] == [
        ("Loved it, 10/10",
         "2 cells where the other rows have 1: put a text holding ',' in quotes"),
        ("Great product", None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "texts"),
    [
        (b"text,label\nI loved it\nTerrible\nOkay,neutral\n", ["I loved it", "Terrible", "Okay"]),
        (b"Comment,2023,2024\nGreat year,5,3\nSlow start,4,4\n", ["Great year", "Slow start"]),
    ],
)
def test_a_first_line_naming_a_text_column_is_the_header(
    tmp_path: Path, data: bytes, texts: list[str]
) -> None:
    """Most rows holding one cell, or a year among the names, made the header a row: the
    name "Comment" was analysed, and --column text found no such column."""
    path = _file(tmp_path, data)
    assert list_columns(path) == data.decode().split("\n", 1)[0].split(",")
    assert [text for text, _ in _read(path)] == texts
    assert no_header_note(path) is None


def test_a_first_line_naming_the_column_asked_for_is_the_header(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    path = _file(tmp_path, b"Name,2023\nAlice,5\nBob,4\n")  # a lone year: a row
    assert _read(path) == [("Name", None), ("Alice", None), ("Bob", None)]  # asked for none
    assert _read(path, "name") == [("Alice", None), ("Bob", None)]
    assert main(["batch", str(path), "--column", "Name", "--tasks", "sentiment"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "first line" not in err


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (  # Google Forms
            b"Timestamp,How satisfied are you?,What could we improve?\n"
            b"2024/03/05 10:12:33 AM GMT+1,4,Faster delivery please\n",
            "Faster delivery please",
        ),
        (b"Date,Remarks\n3/5/2024 10:12 AM,Good stuff\n", "Good stuff"),
        (b"Date,Remarks\nJan 5 2024,Good stuff\n", "Good stuff"),
        (b"created,remark\n2024-01-05T10:00:00Z,Good stuff\n", "Good stuff"),
        (
            b"Name,Email,Feedback\nJohn Smith,john@example.com,The box came damaged\n"
            b"Jane Doe,jane@example.com,Fine\n",
            "The box came damaged",
        ),
        (b"Would you recommend us?,Anything else?\nYes,Great value\nNo,Too slow\n", "Great value"),
        (b"Rating,Remark\n5,Good\nN/A,Fine\n-,Okay\n", "Good"),
    ],
)
def test_the_column_read_is_the_one_with_the_most_words(
    tmp_path: Path, data: bytes, text: str
) -> None:
    """The first column holding a letter was read: timestamps with AM or GMT, dates naming
    a month, names, yes/no answers, and numbers with one N/A."""
    path = _file(tmp_path, data)
    assert _read(path)[0] == (text, None)


def test_a_jsonl_field_is_read_by_the_same_rule(tmp_path: Path) -> None:
    """The first field was read: "id", whose numbers are no text, failed every line."""
    path = _file(
        tmp_path,
        b'{"id": 1, "date": "2024-01-02", "feedback": "Great value"}\n'
        b'{"id": 2, "date": "2024-01-03", "feedback": "Too slow"}\n',
        "in.jsonl",
    )
    assert _read(path) == [("Great value", None), ("Too slow", None)]
    assert guessed_column(path) == "'feedback'"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"id,\n1,Great value\n", "column 2 (unnamed)"),  # it said "so '' is read"
        (b"Notes,Notes\n12,Great value\n", "'Notes' (column 2)"),
        (b"Response ID,Comments,Comments\n1,Great,Slow\n", "'Comments' (column 2)"),
        (b"id,Text,text\n1,Great,Slow\n", "'Text' (column 2)"),  # "text" was not said
        (b"1,Great value\n2,Too slow\n", "'column 2'"),
        (b"Great value\nToo slow\n", None),  # no other column to choose
    ],
)
def test_the_note_names_the_column_read_in_words(
    tmp_path: Path, data: bytes, said: str | None
) -> None:
    path = _file(tmp_path, data)
    assert guessed_column(path) == said


def test_the_command_line_names_no_column_names_in_a_file_without_them(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    """It said 'no column is named just text, ...' of a file that names no column."""
    path = _file(tmp_path, b"1,Great value\n2,Too slow\n")
    assert main(["batch", str(path), "--tasks", "sentiment"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        "note: the first line of in.csv is read as the first row: it holds a number or a date.",
        "note: 'column 2' is read; choose another with --column.",
    ]


def test_the_command_line_does_not_say_no_column_is_named_text_of_two_that_are(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    """It said "no column is named just text, …, so 'Comments' (column 2) is read"."""
    path = _file(tmp_path, b"Response ID,Comments,Comments\n1,Great,Slow\n")
    assert main(["batch", str(path), "--tasks", "sentiment"]) == 0
    err = capsys.readouterr().err
    assert (
        err.splitlines()[0] == "note: 'Comments' (column 2) is read; choose another with --column."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"Name,2023,2024\nAlice,5,3\nBob,4,\n",
        b"Product;2022;2023;2024\nPhone;1200;1350;1500\nCase;80;95;110\n",
        b"Feedback,Rating 2023\nGreat value,5\n",
        b"Name,2024,2023,2022\nAlice,5,3,1\n",  # newest first
        b"Country,2000,2005,2010\nPeru,5,7,9\n",  # evenly spaced
    ],
)
def test_a_header_naming_years_is_a_header(tmp_path: Path, data: bytes) -> None:
    """The header "Name,2023,2024" was read as a row, its years taken for numbers, unless
    --column Name was given: "Name" was analysed as a text."""
    path = _file(tmp_path, data)
    assert list_columns(path) == data.decode().split("\n", 1)[0].replace(";", ",").split(",")
    assert no_header_note(path) is None


@pytest.mark.parametrize(
    "data",
    [
        b"Great phone,2019,2021\nOkay phone,2020,2022\n",  # years under the years: dates
        b"Great phone,2023\nBad phone,15\n",  # one year may be a price
        b"Great phone,2023,2024\n",  # nothing below to tell
        b"Great lamp for the price,1999,2049\nNice chair but wobbly,15,49\n",  # prices
        b"Great phone,2023,2023\nOkay phone,5,3\n",  # one year twice
        b"Great phone,2022,2024\nOkay phone,5,3\n",  # a year left out
    ],
)
def test_a_first_row_holding_years_is_still_a_row(tmp_path: Path, data: bytes) -> None:
    path = _file(tmp_path, data)
    assert _read(path)[0] == (data.decode().split(",")[0], None)
    assert no_header_note(path) is not None


def test_a_column_number_asked_for_does_not_make_a_first_row_a_header(
    capsys: pytest.CaptureFixture[str], fake_engine: FakeEngine, tmp_path: Path
) -> None:
    """--column 2 named the first line's "2": that row was taken for the header, and its
    ratings were analysed."""
    path = _file(tmp_path, b"2,Crashes when I open the camera\n5,Love the new design\n1,Lost\n")
    assert _read(path, "2") == [
        ("Crashes when I open the camera", None), ("Love the new design", None), ("Lost", None)
    ]  # fmt: skip
    assert main(["batch", str(path), "--column", "2", "--tasks", "sentiment"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3
    assert err.splitlines()[0] == (
        "note: the first line of in.csv is read as the first row: it holds a number or a date."
    )


def test_a_year_asked_for_that_is_no_column_number_names_the_header(tmp_path: Path) -> None:
    path = _file(tmp_path, b"Name,2023\nAlice,5\nBob,4\n")  # a lone year: a row unless asked
    assert _read(path, "2023") == [("5", None), ("4", None)]
    assert no_header_note(path, "2023") is None
