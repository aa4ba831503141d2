"""Students of classes (SQL only). Anonymous practice learners have no row: their attempts and
drafts carry the browser's practice token instead."""

from __future__ import annotations

import sqlite3

from ..domain import codes
from .accounts import new_token
from .clock import now
from .db import AppDatabase, transaction


class RosterNameTaken(ValueError):
    """Another browser joined as this roster entry first."""


def add_student(db: AppDatabase, class_id: int, name: str, roster_entry_id: int | None = None) -> dict:
    """A new student with a fresh resume code and session token. Joining as a roster entry that
    someone claimed meanwhile raises RosterNameTaken (the unique index decides the race)."""
    try:
        with transaction(db):
            resume_code = codes.unique_code(
                codes.RESUME_CODE_LENGTH,
                lambda c: db.execute("select 1 from students where resume_code = ?", [c]).fetchone())
            student_id = db.execute(
                "insert into students (class_id, name, roster_entry_id, resume_code, session_token, created_at) "
                "values (?, ?, ?, ?, ?, ?)",
                [class_id, name, roster_entry_id, resume_code, new_token(), now()]).lastrowid
    except sqlite3.IntegrityError:
        raise RosterNameTaken(name) from None
    return get_student(db, student_id)


def get_student(db: AppDatabase, student_id: int) -> dict | None:
    return next(db["students"].rows_where("id = ?", [student_id]), None)


def class_student(db: AppDatabase, class_id: int, student_id: int) -> dict | None:
    return next(db["students"].rows_where("id = ? and class_id = ?", [student_id, class_id]), None)


def find_by_resume_code(db: AppDatabase, typed: str) -> dict | None:
    return next(db["students"].rows_where("resume_code = ?", [codes.normalise(typed)]), None)


def class_students(db: AppDatabase, class_id: int) -> list[dict]:
    """The class's students with their roster ids; the roster's spelling of a name wins."""
    return list(db.query(
        "select s.id, coalesce(r.name, s.name) as name, r.roster_id from students s "
        "left join roster r on r.id = s.roster_entry_id where s.class_id = ? order by s.id", [class_id]))


def rename_student(db: AppDatabase, student_id: int, name: str) -> None:
    with transaction(db):
        db.execute("update students set name = ? where id = ?", [name, student_id])


def rotate_student_token(db: AppDatabase, student_id: int) -> None:
    """Sign the student out everywhere: every cookie issued to them stops working."""
    with transaction(db):
        db.execute("update students set session_token = ? where id = ?", [new_token(), student_id])


def delete_student(db: AppDatabase, student_id: int) -> None:
    """The student with their attempts, drafts and finished marks (cascading foreign keys)."""
    with transaction(db):
        db.execute("delete from students where id = ?", [student_id])
