"""Students of classes (SQL only). Anonymous practice learners have no row: their attempts and
drafts carry the browser's practice token instead."""

from __future__ import annotations

import sqlite3
import time

from ..domain import codes
from ..domain.names import distinct_name, same_name
from .accounts import new_token
from .clock import now
from .db import AppDatabase, transaction


class RosterNameTaken(ValueError):
    """Another browser joined as this roster entry first."""


class NameTaken(ValueError):
    """A student of the class already shows this name (the one who joins may be them)."""


def _shown_names(db: AppDatabase, class_id: int) -> list[str]:
    return [row[0] for row in db.execute(
        "select coalesce(r.name, s.name) from students s left join roster r on r.id = s.roster_entry_id "
        "where s.class_id = ?", [class_id])]


def add_student(db: AppDatabase, class_id: int, name: str, roster_entry_id: int | None = None,
                same: str = "allow") -> dict:
    """A new student with a fresh resume code and session token. Joining as a roster entry that
    someone claimed meanwhile raises RosterNameTaken (the unique index decides the race).

    `same` says what happens when a student of the class already shows this name: "allow",
    "refuse" (NameTaken) or "number" (the new student becomes "Chloe 2"). The check runs in the
    write transaction, so two browsers joining at once cannot both become "Chloe 2".
    """
    try:
        with transaction(db):
            if same != "allow":
                shown = _shown_names(db, class_id)
                if same == "refuse" and any(same_name(name, other) for other in shown):
                    raise NameTaken(name)
                name = distinct_name(name, shown)
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
    return next(db.query("select * from students where id = ?", [student_id]), None)


def class_student(db: AppDatabase, class_id: int, student_id: int) -> dict | None:
    return next(db.query("select * from students where id = ? and class_id = ?", [student_id, class_id]), None)


def _any_locked(db: AppDatabase, student_ids: list[int], window: float, limit: int) -> bool:
    marks = ", ".join("?" * len(student_ids))
    return db.execute(f"select 1 from resume_failures where student_id in ({marks}) and at > ? "  # noqa: S608
                      "group by student_id having count(*) >= ?",  # nosec B608 - only placeholders
                      [*student_ids, time.time() - window, limit]).fetchone() is not None


def resume_code_locked(db: AppDatabase, student_id: int, window: float, limit: int) -> bool:
    """Whether wrong codes have locked this student's resume code (see `resume`)."""
    return _any_locked(db, [student_id], window, limit)


class ResumeCodeLocked(Exception):
    """Too many wrong codes were counted against this student lately: none is checked now."""


def resume(db: AppDatabase, typed: str, window: float, limit: int) -> dict | None:
    """The student whose resume code was typed, or None.

    A wrong code that shares a group of four with a student's code (ABCD-···· or ····-EFGH) is
    counted against that student: it is their typo, or a guess by someone who saw half of it. A
    code that shares neither names no one, so it counts against no one (the per-address limits
    bound those guesses). Once `limit` wrong codes are counted against a student within `window`
    seconds, no code of theirs is checked, the right one included: ResumeCodeLocked, until the
    window passes or their teacher issues a new code (`reissue_resume_code` clears the count).

    Checking and counting happen in one write transaction, so however many guesses arrive at
    once, across workers, exactly `limit` are answered before the lock.
    """
    code = codes.normalise(typed)
    groups = codes.resume_code_groups(code)
    with transaction(db):
        db.execute("delete from resume_failures where at <= ?", [time.time() - window])
        student = next(db.query("select * from students where resume_code = ?", [code]), None)
        if student is not None:
            targets = [student["id"]]
        elif groups is not None:
            targets = [row[0] for row in db.execute(
                "select id from students where substr(resume_code, 1, 4) = ? or substr(resume_code, 5) = ?",
                list(groups))]
        else:
            targets = []
        if not targets:
            return None
        if _any_locked(db, targets, window, limit):
            raise ResumeCodeLocked(code)
        if student is None:
            db.conn.executemany("insert into resume_failures (student_id, at) values (?, ?)",
                           [(student_id, time.time()) for student_id in targets])
    return student


def class_students(db: AppDatabase, class_id: int) -> list[dict]:
    """The class's students with their roster ids; the roster's spelling of a name wins."""
    return list(db.query(
        "select s.id, coalesce(r.name, s.name) as name, r.roster_id from students s "
        "left join roster r on r.id = s.roster_entry_id where s.class_id = ? order by s.id", [class_id]))


def rotate_student_token(db: AppDatabase, student_id: int) -> None:
    """Sign the student out everywhere: every cookie issued to them stops working."""
    with transaction(db):
        db.execute("update students set session_token = ? where id = ?", [new_token(), student_id])


def reissue_resume_code(db: AppDatabase, student_id: int) -> str:
    """A new resume code for the student; the old one stops working and so does every session
    (whoever knew the old code may have signed in with it). Wrong codes counted against the old
    one are forgotten, so a student locked out by them gets back in with the new one."""
    with transaction(db):
        code = codes.unique_code(
            codes.RESUME_CODE_LENGTH,
            lambda c: db.execute("select 1 from students where resume_code = ?", [c]).fetchone())
        db.execute("update students set resume_code = ?, session_token = ? where id = ?",
                   [code, new_token(), student_id])
        db.execute("delete from resume_failures where student_id = ?", [student_id])
    return code


def rename_student(db: AppDatabase, class_id: int, student_id: int, name: str) -> None:
    """Change the name the student typed; NameTaken when another student of the class shows it."""
    with transaction(db):
        others = db.execute(
            "select coalesce(r.name, s.name) from students s left join roster r on r.id = s.roster_entry_id "
            "where s.class_id = ? and s.id != ?", [class_id, student_id]).fetchall()
        if any(same_name(name, other) for (other,) in others):
            raise NameTaken(name)
        db.execute("update students set name = ? where id = ? and class_id = ?", [name, student_id, class_id])


def merge_students(db: AppDatabase, keep_id: int, remove_id: int) -> dict[str, int]:
    """Move every attempt, draft and finished mark of `remove_id` to `keep_id` (two entries of one
    student of the same class), then delete `remove_id`, whose sessions end with it.

    Nothing recorded is lost: a submission id both used gets the removed entry's id appended; of
    two drafts of one exercise the newer stays; the earlier "finished" stays; the kept entry
    takes the removed one's roster name when it has none.
    """
    with transaction(db):
        keep = db.execute("select class_id, roster_entry_id from students where id = ?", [keep_id]).fetchone()
        remove = db.execute("select class_id, roster_entry_id from students where id = ?", [remove_id]).fetchone()
        if keep is None or remove is None or keep[0] != remove[0] or keep_id == remove_id:
            raise ValueError("two different students of one class are needed")
        db.execute("update attempts set submission_id = submission_id || '-merged-' || ? where student_id = ? and "
                   "submission_id in (select submission_id from attempts where student_id = ?)",
                   [remove_id, remove_id, keep_id])
        moved = db.execute("update attempts set student_id = ? where student_id = ?", [keep_id, remove_id]).rowcount
        db.execute("delete from drafts where student_id = ? and exists (select 1 from drafts k where "
                   "k.student_id = ? and k.exercise_id = drafts.exercise_id and k.updated_at >= drafts.updated_at)",
                   [remove_id, keep_id])
        db.execute("delete from drafts where student_id = ? and exercise_id in "
                   "(select exercise_id from drafts where student_id = ?)", [keep_id, remove_id])
        db.execute("update drafts set student_id = ? where student_id = ?", [keep_id, remove_id])
        db.execute("delete from finished where student_id = ? and exists (select 1 from finished k where k.student_id "
                   "= ? and k.exercise_id = finished.exercise_id and k.finished_at <= finished.finished_at)",
                   [remove_id, keep_id])
        db.execute("delete from finished where student_id = ? and exercise_id in "
                   "(select exercise_id from finished where student_id = ?)", [keep_id, remove_id])
        db.execute("update finished set student_id = ? where student_id = ?", [keep_id, remove_id])
        db.execute("delete from students where id = ?", [remove_id])
        if keep[1] is None and remove[1] is not None:
            db.execute("update students set roster_entry_id = ? where id = ?", [remove[1], keep_id])
    return {"attempts": moved}


def unlinked_students(db: AppDatabase, class_id: int) -> list[dict]:
    """The class's students who joined without a roster entry, by name."""
    return list(db.query("select id, name from students where class_id = ? and roster_entry_id is null "
                         "order by name collate nocase, id", [class_id]))


def link_to_roster(db: AppDatabase, class_id: int, student_id: int, roster_entry_id: int) -> None:
    """Make a student who joined by typing a name the owner of this roster entry of their class.
    RosterNameTaken when another student owns the entry already; ValueError when either is not
    of the class."""
    try:
        with transaction(db):
            entry = db.execute("select 1 from roster where id = ? and class_id = ?",
                               [roster_entry_id, class_id]).fetchone()
            student = db.execute("select 1 from students where id = ? and class_id = ?",
                                 [student_id, class_id]).fetchone()
            if entry is None or student is None:
                raise ValueError("not of this class")
            db.execute("update students set roster_entry_id = ? where id = ?", [roster_entry_id, student_id])
    except sqlite3.IntegrityError:
        raise RosterNameTaken(str(roster_entry_id)) from None


def delete_student(db: AppDatabase, student_id: int) -> None:
    """The student with their attempts, drafts and finished marks (cascading foreign keys)."""
    with transaction(db):
        db.execute("delete from students where id = ?", [student_id])
