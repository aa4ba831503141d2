"""Attempts (an append-only log) and drafts (marks in progress), on top of the database.

Scores shown anywhere are derived from the attempts rows; nothing is edited in place.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import orjson
from sqlite_utils import Database

from ..domain.grading import GradeResult, stored_form
from .db import AppDatabase, with_retry, write_lock


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


ATTEMPT_COLUMNS = ("exercise_id", "student_id", "practice_session", "submission_id", "answer", "points",
                   "max_points", "score", "result", "created_at")
INSERT_ATTEMPT = (
    "insert into attempts (exercise_id, student_id, practice_session, submission_id, answer, points, max_points, "
    "score, result, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def find_attempt(db: Database, *, submission_id: str, student_id=None, practice_session=None) -> dict | None:
    if student_id:
        rows = db.query("select * from attempts where student_id = ? and submission_id = ?",
                        [student_id, submission_id])
    else:
        rows = db.query("select * from attempts where practice_session = ? and submission_id = ?",
                        [practice_session, submission_id])
    return next(iter(rows), None)


def record_attempt(
    db: AppDatabase, *, exercise_id: str, answer, result: GradeResult, submission_id: str,
    student_id: int | None = None, practice_session: str | None = None,
) -> tuple[dict, bool]:
    """Append one attempt; return (row, created). A repeated submission_id returns the first row."""

    row = {
        "exercise_id": exercise_id, "student_id": student_id, "practice_session": practice_session,
        "submission_id": submission_id, "answer": orjson.dumps(answer).decode(), "points": result.points,
        "max_points": result.max_points, "score": result.score,
        "result": orjson.dumps(stored_form(result)).decode(), "created_at": now(),
    }

    def write():
        # The insert is the transaction's first statement, so it takes the write lock at once
        # (waiting out other writers through the busy timeout). Reading first would pin a
        # snapshot that another writer's commit can invalidate, failing with SQLITE_BUSY.
        # Plain SQL: sqlite-utils' insert() inspects the table's columns on every call.
        with write_lock(db.path), db.atomic():
            row["id"] = db.execute(INSERT_ATTEMPT, [row[column] for column in ATTEMPT_COLUMNS]).lastrowid
        return row, True

    try:
        return with_retry(write)
    except sqlite3.IntegrityError:
        # The unique index on (learner, submission_id): this submission was recorded before.
        existing = find_attempt(db, submission_id=submission_id, student_id=student_id,
                                practice_session=practice_session)
        return existing, False


def attempt_count(db: Database, *, exercise_id: str, student_id: int) -> int:
    return db["attempts"].count_where("student_id = ? and exercise_id = ?", [student_id, exercise_id])


def save_draft(db: Database, owner: str, exercise_id: str, answer) -> None:
    with_retry(lambda: db["drafts"].upsert(
        {"owner": owner, "exercise_id": exercise_id, "answer": json.dumps(answer), "updated_at": now()},
        pk=("owner", "exercise_id"),
    ))


def load_draft(db: Database, owner: str, exercise_id: str):
    rows = list(db["drafts"].rows_where("owner = ? and exercise_id = ?", [owner, exercise_id]))
    return json.loads(rows[0]["answer"]) if rows else None
