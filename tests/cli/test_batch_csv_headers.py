"""A .csv or .tsv file's first line: a header, or a row where it clearly is not one; and the
column read when none is asked for: a named one, else the first holding prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.batch_columns import default_column
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
        "the first line of in.csv is read as a text, not as column names: most lines below it"
        " hold a single text."
    )


@pytest.mark.parametrize("name", ["in.csv", "in.tsv"])
def test_a_first_line_holding_a_number_or_date_is_a_row(tmp_path: Path, name: str) -> None:
    data = GERMAN.split(b"\n", 1)[1]
    path = _file(tmp_path, data.replace(b";", b"\t") if name == "in.tsv" else data, name)
    assert list_columns(path) == ["column 1", "column 2", "column 3"]
    assert _read(path) == [("Sehr gut, gerne wieder", None), ("Schlecht", None)]
    assert _read(path, "column 3") == [("2024-01-05", None), ("2024-02-01", None)]
    assert "it holds a number or a date, not column names" in (no_header_note(path) or "")


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
    assert guessed_column(path) == column  # the command line's note names it


def test_a_column_of_numbers_is_still_read_when_asked_for(tmp_path: Path) -> None:
    path = _file(tmp_path, GERMAN)
    assert _read(path, "id") == [("101", None), ("102", None)]


def test_the_column_by_names_alone_is_the_first_holding_prose() -> None:
    names = ["Nr", "Kommentar", "Datum"]
    assert default_column(names) == "Nr"  # nothing known of the cells: the first
    assert default_column(names, prose={1}) == "Kommentar"
    assert default_column(names, prose=set()) == "Nr"
    assert default_column(["ID", "comment"], prose={0}) == "comment"  # a name comes first


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
