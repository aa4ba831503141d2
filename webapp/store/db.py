"""The SQLite connection and the one way to write: `transaction()`.

Each worker thread keeps one connection between requests (opening and configuring a connection
cost more than the rest of a grading request); `get_db()` hands it to the request on `g`, and
`close_db` at the end of the request rolls back anything left open, so the next request starts
clean. WAL mode is stored in the file (enabled once by `init_db`); foreign keys, the busy timeout
and the fsync policy are per connection, so `connect` sets them every time.

Writers take turns through `transaction()`: the threads of a process by a mutex, processes by
flock on a side file, then `BEGIN IMMEDIATE`. Both locks wake the next writer at once, where
SQLite's own busy handler sleeps in steps of milliseconds; the busy timeout stays as the safety
net for writers outside the app (the CLI, a backup). Reads need no lock (WAL readers see the last
commit).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g
from sqlite_utils import Database
from sqlite_utils.utils import dedupe_keys

BUSY_TIMEOUT_MS = 5000


class WriteUnavailable(RuntimeError):
    """The database cannot take writes (read-only file, full disk): reading still works."""


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

    def query(self, sql: str, params=None) -> Iterator[dict]:
        """Rows as dictionaries, as sqlite-utils gives them. sqlite-utils runs every query inside a
        savepoint, so that a statement that returns no rows can be undone before it refuses it: three
        statements for each read. A SELECT changes nothing, so it runs alone."""
        if sql.lstrip()[:6].lower() != "select":
            return super().query(sql, params)
        cursor = self.conn.execute(sql, params if params is not None else ())
        keys = dedupe_keys(column[0] for column in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)


def connect(path: str) -> AppDatabase:
    db = AppDatabase(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA synchronous = {synchronous_mode()}")
    return db


_thread = threading.local()


def get_db() -> AppDatabase:
    """This request's connection: the worker thread's own, for the app's current database path
    (tests switch databases; a thread never holds two)."""
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
    """End of request: hand the thread's connection back clean (never inside a transaction).
    The connection itself stays open for the thread's next request."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


_write_mutex = threading.Lock()
_lock_files: dict[str, int] = {}
UNAVAILABLE_MESSAGES = ("readonly", "read-only", "disk is full", "disk i/o error", "unable to open")


@contextmanager
def writer_turn(path: str) -> Iterator[None]:
    """Hold the turn to write the database at `path`: no other thread of this process and no
    other process of the app writes until the block ends."""
    with _write_mutex:
        if path not in _lock_files:
            _lock_files[path] = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fd = _lock_files[path]
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def transaction(db: AppDatabase) -> Iterator[AppDatabase]:
    """Run the block as one write transaction, taking turns with every other writer of the app.

    Everything in the block commits together or not at all. A database that cannot take writes
    raises WriteUnavailable (the web layer answers 503), with nothing half-written.
    """
    with writer_turn(db.path):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.conn.rollback()
                raise
            db.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if db.conn.in_transaction:
                db.conn.rollback()
            if any(message in str(exc).lower() for message in UNAVAILABLE_MESSAGES):
                raise WriteUnavailable(str(exc)) from exc
            raise


def init_app(app):
    app.teardown_appcontext(close_db)
