"""Class rosters from CSV files: student names and the ids the school's LMS knows them by.

Pure module (no Flask). `parse_roster(data)` takes the uploaded bytes and returns every entry,
or raises `RosterError` listing every bad row by line number: a roster is imported whole or not
at all. Files from Excel arrive as UTF-8 (with or without BOM), as UTF-16 ("Unicode text", with
its byte-order mark, tab-separated) or as Windows-1252, comma- or semicolon-separated depending
on the locale; webapp/domain/textfiles.py decodes them and refuses a workbook or a PDF by name.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from .names import NameRefused, clean_display_name
from .textfiles import NotText, decode_text

NAME_HEADERS = ("name", "student", "student name", "full name", "display name")
ID_HEADERS = (
    "id", "sis id", "sis user id", "student id", "roster id", "email", "e-mail", "login id", "sis login id",
)
MAX_ENTRIES = 2000
MAX_NAME_LENGTH = 80
MAX_ID_LENGTH = 120
MAX_REPORTED = 20  # more errors than this means the wrong file, not a few typos
# An id may hold any printable character and spaces; control characters, format characters
# (direction overrides, zero-width), private-use, unassigned and separators are refused.
UNPRINTABLE_ID_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass(frozen=True)
class RosterEntry:
    name: str
    roster_id: str


class RosterError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def decode(data: bytes) -> str:
    """The roster file's text, or a RosterError saying what the file looks like instead."""
    try:
        return decode_text(data, "roster", save_as="CSV (in Excel: File › Save As › CSV UTF-8)")
    except NotText as exc:
        raise RosterError([str(exc)]) from None


def _header_key(cell: str) -> str:
    return re.sub(r"[\s_]+", " ", cell.strip().lower())


def _columns(header: list[str]) -> tuple[int, int]:
    keys = [_header_key(cell) for cell in header]
    name = next((i for i, key in enumerate(keys) if key in NAME_HEADERS), None)
    ident = next((i for i, key in enumerate(keys) if key in ID_HEADERS), None)
    missing = []
    if name is None:
        missing.append(f"a name column (headed {' or '.join(repr(h) for h in NAME_HEADERS[:2])})")
    if ident is None:
        missing.append(f"an id column (headed {', '.join(repr(h) for h in ID_HEADERS[:3])} or 'email')")
    if missing:
        raise RosterError([f"line 1: the header row needs {' and '.join(missing)}; found {', '.join(header)!r}"])
    return name, ident


def parse_roster(data: bytes) -> list[RosterEntry]:
    text = decode(data)
    lines = text.strip().splitlines()
    delimiter = max(",;\t", key=lines[0].count) if lines else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            raise RosterError(["The file is empty."])
        name_col, id_col = _columns(header)
        entries: list[RosterEntry] = []
        problems: list[str] = []
        first_line_of: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            name = row[name_col].strip() if name_col < len(row) else ""
            roster_id = row[id_col].strip() if id_col < len(row) else ""
            problem = _row_problem(name, roster_id, first_line_of.get(roster_id.lower()))
            if problem:
                problems.append(f"line {line}: {problem}")
                continue
            first_line_of[roster_id.lower()] = line
            entries.append(RosterEntry(clean_display_name(name, MAX_NAME_LENGTH), roster_id))
    except csv.Error as exc:
        raise RosterError([f"line {reader.line_num}: {exc}"]) from None
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"… and {len(problems) - MAX_REPORTED} more")
        raise RosterError(shown)
    if not entries:
        raise RosterError(["The file has a header row but no students."])
    if len(entries) > MAX_ENTRIES:
        raise RosterError([f"The file lists {len(entries)} students; a class roster holds at most {MAX_ENTRIES}."])
    return entries


def _row_problem(name: str, roster_id: str, duplicate_of: int | None) -> str | None:
    if not name:
        return "the name is empty"
    if not roster_id:
        return f"{name!r} has no id"
    try:
        # The same checks as a name typed on the join page (webapp/domain/names.py).
        clean_display_name(name, MAX_NAME_LENGTH)
    except NameRefused as exc:
        message = str(exc)
        return message[:1].lower() + message[1:]
    if len(roster_id) > MAX_ID_LENGTH:
        return f"the id is longer than {MAX_ID_LENGTH} characters"
    if any(unicodedata.category(char) in UNPRINTABLE_ID_CATEGORIES for char in roster_id):
        return "the id contains a control character or an invisible character"
    if duplicate_of is not None:
        return f"the id {roster_id!r} is already used on line {duplicate_of}"
    return None
