"""SQLite through sqlite-utils: one connection per request on `g`, schema by migrations.

sqlite-utils 4.x commits each write on its own, so code that writes several rows for one
action groups them in `db.atomic()`. WAL mode is enabled once (it is stored in the file);
foreign keys and the busy timeout are per connection, so they are set on every connect.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import click
from flask import current_app, g
from flask.cli import with_appcontext
from sqlite_utils import Database, Migrations

migrations = Migrations("spotcheck")
T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000


@migrations()
def m001_core(db: Database):
    db["instructors"].create(
        {"id": int, "email": str, "password_hash": str, "created_at": str}, pk="id", not_null={"email"}
    )
    db["instructors"].create_index(["email"], unique=True)
    db["classes"].create(
        {
            "id": int, "code": str, "title": str, "instructor_id": int, "open": int,
            "assigned": str,  # JSON list of exercise ids; NULL = every exercise
            "attempts_allowed": int,  # NULL = unlimited
            "counting": str,  # "best" or "last"
            "show_solutions": int, "created_at": str,
        },
        pk="id", foreign_keys=[("instructor_id", "instructors", "id")], not_null={"code", "title"},
    )
    db["classes"].create_index(["code"], unique=True)
    db["roster"].create(
        {"id": int, "class_id": int, "name": str, "roster_id": str},
        pk="id", foreign_keys=[("class_id", "classes", "id")],
    )
    db["roster"].create_index(["class_id", "roster_id"], unique=True)
    db["students"].create(
        {"id": int, "class_id": int, "name": str, "roster_entry_id": int, "resume_code": str, "created_at": str},
        pk="id", foreign_keys=[("class_id", "classes", "id"), ("roster_entry_id", "roster", "id")],
    )
    db["students"].create_index(["resume_code"], unique=True)
    db["students"].create_index(["class_id"])
    # The append-only log of every check. Practice attempts have a practice_session and no
    # student; classroom attempts have a student and the client's submission_id.
    db["attempts"].create(
        {
            "id": int, "exercise_id": str, "student_id": int, "practice_session": str,
            "submission_id": str, "answer": str, "points": float, "max_points": int,
            "score": float, "result": str, "created_at": str,
        },
        pk="id", foreign_keys=[("student_id", "students", "id")],
    )
    db["attempts"].create_index(["student_id", "submission_id"], unique=True)
    db["attempts"].create_index(["practice_session", "submission_id"], unique=True)
    db["attempts"].create_index(["student_id", "exercise_id"])
    # Marks in progress, one row per learner ("student:12" or "practice:<token>") and exercise.
    db["drafts"].create(
        {"owner": str, "exercise_id": str, "answer": str, "updated_at": str}, pk=("owner", "exercise_id")
    )
    db["login_failures"].create({"email": str, "at": float}, not_null={"email"})
    db["login_failures"].create_index(["email"])


@migrations()
def m002_roster_claims(db: Database):
    # A roster name can be joined once: a second "Alex Kim" must resume with Alex's code.
    db["students"].create_index(["roster_entry_id"], unique=True)


@migrations()
def m003_case_studies(db: Database):
    # Case studies teachers create in the app: the article and the same lesson + key text
    # formats as the files in lessons/ and quizzes/, validated by the same parser.
    db["case_studies"].create(
        {"id": int, "slug": str, "title": str, "instructor_id": int, "article": str, "key_yaml": str,
         "lesson_md": str, "created_at": str},
        pk="id", foreign_keys=[("instructor_id", "instructors", "id")], not_null={"slug", "article"},
    )
    db["case_studies"].create_index(["slug"], unique=True)


@migrations()
def m004_partial_attempt_indexes(db: Database):
    # A practice attempt has no student and a classroom attempt no practice session. Indexing
    # those NULLs made every check update two indexes that never find it: under a class's load
    # the write is the costliest step of a check. Queries on student_id = ? (or
    # practice_session = ?) imply IS NOT NULL, so SQLite still uses these (tests/test_app.py).
    for statement in (
        "drop index idx_attempts_student_id_submission_id",
        "drop index idx_attempts_practice_session_submission_id",
        "drop index idx_attempts_student_id_exercise_id",
        "create unique index idx_attempts_student_id_submission_id on attempts (student_id, submission_id) "
        "where student_id is not null",
        "create unique index idx_attempts_practice_session_submission_id on attempts "
        "(practice_session, submission_id) where practice_session is not null",
        "create index idx_attempts_student_id_exercise_id on attempts (student_id, exercise_id) "
        "where student_id is not null",
    ):
        db.execute(statement)


@migrations()
def m005_login_failures_by_device(db: Database):
    # NULL for browsers without a device cookie (webapp/auth.py): their failures are counted together.
    db["login_failures"].add_column("device", str)


def synchronous_mode() -> str:
    """SQLite's fsync policy. In WAL mode NORMAL keeps every committed write through a crash or
    SIGKILL of the server (tests/test_crash.py) and never corrupts the file; only a power cut
    or OS crash can undo the last commits. It saves an fsync per submission. Schools that want
    power-cut durability too set SPOTCHECK_SYNCHRONOUS=FULL."""
    mode = os.environ.get("SPOTCHECK_SYNCHRONOUS", "NORMAL").upper()
    return mode if mode in ("NORMAL", "FULL", "EXTRA") else "NORMAL"


class AppDatabase(Database):
    """A sqlite-utils Database that remembers its file, for the write lock beside it."""

    def __init__(self, path: str):
        super().__init__(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False))
        self.path = path


def connect(path: str) -> AppDatabase:
    db = AppDatabase(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA synchronous = {synchronous_mode()}")
    return db


# Each worker thread keeps its connection between requests: opening, configuring and closing a
# SQLite connection cost more than the rest of a grading request. One per thread, for the most
# recent database path (tests switch databases; a thread never holds two).
_thread = threading.local()


def get_db() -> AppDatabase:
    if "db" not in g:
        path = current_app.config["DATABASE"]
        cached = getattr(_thread, "db", None)
        if cached is None or cached[0] != path:
            if cached is not None:
                cached[1].close()
            cached = _thread.db = (path, connect(path))
        g.db = cached[1]
    return g.db


def close_db(exc=None):
    """End of request: hand the thread's connection back clean (never inside a transaction)."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_db(path: str) -> None:
    from . import lti as lti_store

    """Create or upgrade the schema and switch the file to WAL mode (both idempotent)."""
    db = connect(path)
    try:
        with_retry(lambda: migrations.apply(db))
        with_retry(lambda: lti_store.migrate(db))  # LTI 1.3 tables (webapp/store/lti.py); a migration at merge
        db.enable_wal()
    finally:
        db.close()


_write_mutex = threading.Lock()
_lock_files: dict[str, int] = {}


@contextmanager
def write_lock(path: str):
    """Take turns at writing: the threads of a process by a mutex, processes by flock on a side
    file. Both wake the next writer at once, where SQLite's own busy handler sleeps in steps of
    milliseconds; the busy timeout stays as the safety net for any other writer."""
    with _write_mutex:
        if path not in _lock_files:
            _lock_files[path] = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fd = _lock_files[path]
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def with_retry(action: Callable[[], T], attempts: int = 8) -> T:
    """Run a write, retrying when another writer holds the lock past the busy timeout."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (also done automatically at start)."""
    init_db(current_app.config["DATABASE"])
    click.echo(f"Database ready at {current_app.config['DATABASE']}")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
