"""Attempts (an append-only log), drafts (marks in progress) and finished exercises (SQL only).

A learner is named by an owner: ("student_id", id) for a class student, ("practice_session",
token) for an anonymous practice browser. Scores shown anywhere are derived from the attempts
rows; nothing is edited in place.
"""

from __future__ import annotations

import sqlite3

import orjson

from ..domain.checking import AttemptsOver
from .clock import now
from .db import AppDatabase, transaction

Owner = tuple[str, object]
OWNER_COLUMNS = ("student_id", "practice_session")
# The new id is above every id in the table and every id deleted from it (`attempt_ids.last`,
# kept by a trigger): never one used before, and in the order attempts are recorded (schema.m010).
INSERT_ATTEMPT = (
    "insert into attempts (id, exercise_id, student_id, practice_session, submission_id, answer, points, "
    "max_points, score, result, created_at) values ("
    "(select max(coalesce((select max(id) from attempts), 0), last) + 1 from attempt_ids), "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _where(owner: Owner) -> str:
    column, _ = owner
    if column not in OWNER_COLUMNS:
        raise ValueError(f"unknown owner column {column!r}")
    return f"{column} = ?"


def find_attempt(db: AppDatabase, owner: Owner, submission_id: str) -> dict | None:
    return next(db.query(f"select * from attempts where {_where(owner)} and submission_id = ?",  # noqa: S608  # nosec B608
                         [owner[1], submission_id]), None)


def get_attempt(db: AppDatabase, attempt_id: int) -> dict | None:
    return next(db.query("select * from attempts where id = ?", [attempt_id]), None)


def attempt_count(db: AppDatabase, owner: Owner, exercise_id: str) -> int:
    return db.execute(f"select count(*) from attempts where {_where(owner)} and exercise_id = ?",  # noqa: S608  # nosec B608
                      [owner[1], exercise_id]).fetchone()[0]


def learner_attempts(db: AppDatabase, owner: Owner, exercise_id: str | None = None) -> list[dict]:
    """The learner's attempts, oldest first (at one exercise, or at all)."""
    sql, params = f"select * from attempts where {_where(owner)}", [owner[1]]  # noqa: S608  # nosec B608
    if exercise_id is not None:
        sql, params = sql + " and exercise_id = ?", [*params, exercise_id]
    return list(db.query(sql + " order by id", params))


def latest_attempt(db: AppDatabase, owner: Owner, exercise_id: str) -> dict | None:
    return next(db.query(f"select * from attempts where {_where(owner)} and exercise_id = ? "  # noqa: S608  # nosec B608
                         "order by id desc limit 1", [owner[1], exercise_id]), None)


def record_attempt(db: AppDatabase, owner: Owner, *, exercise_id: str, submission_id: str, answer, points: float,
                   max_points: int, score: float, result: dict, limit: int | None) -> tuple[dict, bool]:
    """Append one attempt and clear the learner's draft of the exercise, in one transaction.

    Returns (row, created). A submission id this learner used before returns the first row, so a
    double click or a retried request counts once. Raises AttemptsOver when `limit` attempts
    are recorded already or the learner has finished the exercise: checked inside the write
    transaction, so ten simultaneous checks against a limit of one record exactly one.
    """
    column, value = owner
    row = {"exercise_id": exercise_id, "student_id": value if column == "student_id" else None,
           "practice_session": value if column == "practice_session" else None, "submission_id": submission_id,
           "answer": orjson.dumps(answer).decode(), "points": points, "max_points": max_points, "score": score,
           "result": orjson.dumps(result).decode(), "created_at": now()}
    # The insert comes first and the unique index on (learner, submission id) recognises a repeat,
    # so the usual check costs no lookup of earlier submissions; only a refusal looks for one (a
    # repeat of a recorded check is answered with it, even after the attempts ran out).
    try:
        with transaction(db):
            refusal = None
            if is_finished(db, owner, exercise_id):
                refusal = "You finished this exercise: its attempts are over."
            elif limit is not None and attempt_count(db, owner, exercise_id) >= limit:
                refusal = f"You have used all {limit} attempts at this exercise."
            if refusal:
                existing = find_attempt(db, owner, submission_id)
                if existing:
                    return existing, False
                raise AttemptsOver(refusal)
            row["id"] = db.conn.execute(INSERT_ATTEMPT, [row[key] for key in (
                "exercise_id", "student_id", "practice_session", "submission_id", "answer", "points", "max_points",
                "score", "result", "created_at")]).lastrowid
            db.conn.execute(f"delete from drafts where {_where(owner)} and exercise_id = ?", [value, exercise_id])  # noqa: S608  # nosec B608
    except sqlite3.IntegrityError:
        existing = find_attempt(db, owner, submission_id)
        if existing is None:
            raise
        return existing, False
    return row, True


# The attempt columns that scores and exports need; the stored answers and feedback (most of a
# row's bytes) are read only by the views that analyse them (details=True).
SCORE_COLUMNS = "a.id, a.student_id, a.exercise_id, a.points, a.max_points, a.score, a.created_at"
DETAIL_COLUMNS = SCORE_COLUMNS + ", a.answer, a.result"


def class_attempts(db: AppDatabase, class_id: int, student_id: int | None = None, details: bool = False) -> list[dict]:
    """Every attempt of the class's students (or of one), oldest first."""
    columns = DETAIL_COLUMNS if details else SCORE_COLUMNS
    # Only the two constant column lists above are interpolated (bandit B608 reviewed).
    sql = f"select {columns} from attempts a join students s on s.id = a.student_id where s.class_id = ?"  # noqa: S608  # nosec B608
    params: list = [class_id]
    if student_id is not None:
        sql += " and a.student_id = ?"
        params.append(student_id)
    return list(db.query(sql + " order by a.id", params))


# --- drafts -------------------------------------------------------------------------------------


def save_draft(db: AppDatabase, owner: Owner, exercise_id: str, answer) -> None:
    column, value = owner
    _where(owner)
    with transaction(db):
        db.execute(f"insert into drafts ({column}, exercise_id, answer, updated_at) values (?, ?, ?, ?) "  # noqa: S608  # nosec B608
                   f"on conflict ({column}, exercise_id) where {column} is not null do update set "
                   "answer = excluded.answer, updated_at = excluded.updated_at",
                   [value, exercise_id, orjson.dumps(answer).decode(), now()])


def load_draft(db: AppDatabase, owner: Owner, exercise_id: str):
    row = db.execute(f"select answer from drafts where {_where(owner)} and exercise_id = ?",  # noqa: S608  # nosec B608
                     [owner[1], exercise_id]).fetchone()
    return orjson.loads(row[0]) if row else None


def class_drafts(db: AppDatabase, class_id: int) -> list[dict]:
    """Work in progress: every saved draft of the class's students."""
    return list(db.query("select d.* from drafts d join students s on s.id = d.student_id where s.class_id = ? "
                         "order by d.updated_at", [class_id]))


def student_drafts(db: AppDatabase, student_id: int) -> list[dict]:
    """A student's work in progress, one row per exercise, answers decoded."""
    return [{**row, "answer": orjson.loads(row["answer"])} for row in db.query(
        "select exercise_id, answer, updated_at from drafts where student_id = ? order by updated_at desc",
        [student_id])]


def reset_exercise(db: AppDatabase, student_id: int, exercise_id: str) -> int:
    """Delete a student's attempts at one exercise and its "finished" mark (their draft stays): they
    start the exercise again with every attempt. Returns the number of attempts deleted."""
    with transaction(db):
        count = db.execute("delete from attempts where student_id = ? and exercise_id = ?",
                           [student_id, exercise_id]).rowcount
        db.execute("delete from finished where student_id = ? and exercise_id = ?", [student_id, exercise_id])
    return count


# --- finishing ----------------------------------------------------------------------------------


def finish(db: AppDatabase, owner: Owner, exercise_id: str) -> None:
    """The learner ends their attempts at the exercise (to see its solution)."""
    column, value = owner
    _where(owner)
    try:
        with transaction(db):
            db.execute(f"insert into finished ({column}, exercise_id, finished_at) values (?, ?, ?)",  # noqa: S608  # nosec B608
                       [value, exercise_id, now()])
    except sqlite3.IntegrityError:
        pass  # finished before: nothing changes


def is_finished(db: AppDatabase, owner: Owner, exercise_id: str) -> bool:
    return db.execute(f"select 1 from finished where {_where(owner)} and exercise_id = ?",  # noqa: S608  # nosec B608
                      [owner[1], exercise_id]).fetchone() is not None


# --- retention ----------------------------------------------------------------------------------


def prune(db: AppDatabase, before: str) -> dict[str, int]:
    """Delete anonymous practice attempts, drafts and finished marks from before `before` (ISO time).

    Reads the attempts table through: an index by time would cost every practice check a page
    write for the sake of this maintenance command (schema.m009)."""
    with transaction(db):
        counts = {
            "attempts": db.execute("delete from attempts where practice_session is not null and created_at < ?",
                                   [before]).rowcount,
            "drafts": db.execute("delete from drafts where practice_session is not null and updated_at < ?",
                                 [before]).rowcount,
            "finished": db.execute("delete from finished where practice_session is not null and finished_at < ?",
                                   [before]).rowcount,
        }
    return counts


class AttemptLog:
    """The attempts log of one database, in the shape the check service asks for
    (webapp.domain.checking.AttemptLog)."""

    def __init__(self, db: AppDatabase):
        self.db = db

    def record(self, owner: Owner, **attempt) -> tuple[dict, bool]:
        return record_attempt(self.db, owner, **attempt)

    def count(self, owner: Owner, exercise_id: str) -> int:
        return attempt_count(self.db, owner, exercise_id)

    def is_finished(self, owner: Owner, exercise_id: str) -> bool:
        return is_finished(self.db, owner, exercise_id)

    def finish(self, owner: Owner, exercise_id: str) -> None:
        finish(self.db, owner, exercise_id)
