"""Score exports: the same class scores as CSV, JSON, a Canvas gradebook import, or one row per attempt.

Pure module (no Flask). Each format is a function (class, exercises, rows from
`scores.class_scores`) -> text, registered in `FORMATS` with its media type and file extension;
the dashboard's downloads and `flask export-scores` both look formats up there.

Spreadsheet safety: a cell that starts with =, +, -, @ (or a tab or carriage return) would be
run as a formula by Excel, LibreOffice and Google Sheets, so it gets a leading apostrophe. The
CSV files for people open in Excel start with a UTF-8 BOM, without which Excel guesses the
encoding and mangles accented names; the Canvas file has none, as Canvas's importer expects.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .content import Exercise
from .scores import StudentScores

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def number(value: float) -> str:
    """2 -> "2", 2.5 -> "2.5", 2.3333 -> "2.33": what a gradebook cell should show."""
    return f"{round(value, 2):g}"


def percent(fraction: float) -> str:
    return f"{round(fraction * 100, 1):g}"


def spreadsheet_time(timestamp: str) -> str:
    """ISO "2025-03-04T09:01:00.000+00:00" (UTC) as "2025-03-04 09:01:00", which Excel, LibreOffice
    and Google Sheets read as a date and time (the column heading says UTC)."""
    return f"{timestamp[:10]} {timestamp[11:19]}"


def _csv_text(rows: list[list], bom: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return (BOM if bom else "") + buffer.getvalue()


def scores_csv(klass: dict, exercises: list[Exercise], rows: list[StudentScores]) -> str:
    """One row per student: name, roster id, the counting score per exercise in percent, total."""
    table = [["Name", "Roster ID", *(exercise.title for exercise in exercises), "Total"]]
    for row in rows:
        cells = [percent(row.progress[ex.id].score) if ex.id in row.progress else "" for ex in exercises]
        table.append([row.student["name"], row.student["roster_id"] or "", *cells, percent(row.total)])
    return _csv_text(table, bom=True)


def scores_json(klass: dict, exercises: list[Exercise], rows: list[StudentScores]) -> str:
    """Fractions 0..1; an exercise not attempted has best and last null and 0 attempts."""
    def exercise_scores(row: StudentScores) -> dict:
        scores = {}
        for exercise in exercises:
            progress = row.progress.get(exercise.id)
            scores[exercise.id] = {
                "best": progress.best["score"] if progress else None,
                "last": progress.last["score"] if progress else None,
                "attempts": len(progress.attempts) if progress else 0,
            }
        return scores

    document = {
        "class": {"code": klass["code"], "title": klass["title"]},
        "exercises": [{"id": ex.id, "title": ex.title, "max_points": ex.max_points} for ex in exercises],
        "students": [
            {"name": row.student["name"], "roster_id": row.student["roster_id"], "scores": exercise_scores(row),
             "total": row.total}
            for row in rows
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def canvas_csv(klass: dict, exercises: list[Exercise], rows: list[StudentScores]) -> str:
    """The Canvas gradebook import layout, points per exercise.

    Canvas matches students by SIS User ID or SIS Login ID: a roster id that is an email goes in
    SIS Login ID, any other roster id in SIS User ID. Students without a roster id get empty ids,
    and Canvas lists them as unmatched for the teacher to resolve.
    """
    table = [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *(ex.title for ex in exercises)],
        ["Points Possible", "", "", "", "", *(ex.max_points for ex in exercises)],
    ]
    for row in rows:
        roster_id = row.student["roster_id"] or ""
        login_id, user_id = (roster_id, "") if "@" in roster_id else ("", roster_id)
        points = [number(row.progress[ex.id].score * ex.max_points) if ex.id in row.progress else ""
                  for ex in exercises]
        table.append([row.student["name"], "", user_id, login_id, klass["title"], *points])
    return _csv_text(table, bom=False)


def attempts_csv(klass: dict, exercises: list[Exercise], rows: list[StudentScores]) -> str:
    """The long format: one row per attempt, in the order they were made, for teachers' own analysis."""
    titles = {exercise.id: exercise.title for exercise in exercises}
    entries = []
    for row in rows:
        for exercise_id, progress in row.progress.items():
            counted = progress.counted
            for attempt_number, attempt in enumerate(progress.attempts, 1):
                entries.append((attempt, row.student, exercise_id, attempt_number, attempt is counted))
    entries.sort(key=lambda entry: (entry[0]["created_at"], entry[0]["id"]))
    table = [["Name", "Roster ID", "Exercise ID", "Exercise", "Attempt", "Submitted at (UTC)", "Points",
              "Max points", "Score (%)", "Counts"]]
    for attempt, student, exercise_id, attempt_number, counts in entries:
        table.append([
            student["name"], student["roster_id"] or "", exercise_id, titles[exercise_id], attempt_number,
            spreadsheet_time(attempt["created_at"]), number(attempt["points"]), attempt["max_points"],
            percent(attempt["score"]), "yes" if counts else "no",
        ])
    return _csv_text(table, bom=True)


@dataclass(frozen=True)
class ExportFormat:
    render: Callable[[dict, list[Exercise], list[StudentScores]], str]
    media_type: str
    extension: str


FORMATS = {
    "csv": ExportFormat(scores_csv, "text/csv; charset=utf-8", "csv"),
    "json": ExportFormat(scores_json, "application/json", "json"),
    "canvas": ExportFormat(canvas_csv, "text/csv; charset=utf-8", "csv"),
    "long": ExportFormat(attempts_csv, "text/csv; charset=utf-8", "csv"),
}


# What each download is called: "period-3-scores-2026-12-02.csv".
FILE_KINDS = {"csv": "scores", "json": "scores", "canvas": "canvas-gradebook", "long": "attempts"}


def title_slug(title: str) -> str:
    """The class title in ASCII letters, digits and hyphens ("Période 3 (B)" -> "periode-3-b")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")


def filename(klass: dict, format_name: str, day: str) -> str:
    """The class title, what the file holds and the day (YYYY-MM-DD); the join code stands in for
    a title with no ASCII letter or digit."""
    name = title_slug(klass["title"]) or klass["code"].lower()
    return f"{name}-{FILE_KINDS[format_name]}-{day}.{FORMATS[format_name].extension}"


def students_without_roster_id(rows: list[StudentScores]) -> list[dict]:
    """Students a gradebook import cannot match: no roster id."""
    return [row.student for row in rows if not row.student["roster_id"]]
