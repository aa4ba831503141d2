"""Teacher accounts, their session tokens and failed logins (SQL only; the rules are in web/auth.py)."""

from __future__ import annotations

import secrets
import sqlite3
import time

from .clock import now
from .db import AppDatabase, transaction


class EmailTaken(ValueError):
    pass


def new_token() -> str:
    """A session token: cookies must carry it, and changing it makes every earlier cookie worthless."""
    return secrets.token_urlsafe(24)


def create_instructor(db: AppDatabase, email: str, password_hash: str) -> dict:
    row = {"email": email, "password_hash": password_hash, "session_token": new_token(), "created_at": now()}
    try:
        with transaction(db):
            row["id"] = db.execute(
                "insert into instructors (email, password_hash, session_token, created_at) values (?, ?, ?, ?)",
                [row["email"], row["password_hash"], row["session_token"], row["created_at"]]).lastrowid
    except sqlite3.IntegrityError:
        raise EmailTaken(email) from None
    return row


def find_instructor(db: AppDatabase, email: str) -> dict | None:
    return next(db.query("select * from instructors where email = ?", [email]), None)


def get_instructor(db: AppDatabase, instructor_id: int) -> dict | None:
    return next(db.query("select * from instructors where id = ?", [instructor_id]), None)


def rotate_instructor_token(db: AppDatabase, instructor_id: int) -> None:
    with transaction(db):
        db.execute("update instructors set session_token = ? where id = ?", [new_token(), instructor_id])


# --- failed logins: `device` is a browser's device-cookie nonce, or None for all other browsers --


def recent_failures(db: AppDatabase, email: str, device: str | None, window: float) -> int:
    return db["login_failures"].count_where("email = ? and device is ? and at > ?",
                                            [email, device, time.time() - window])


def reserve_login_attempt(db: AppDatabase, email: str, device: str | None, window: float, limit: int) -> bool:
    """Count a login attempt as failed before its password is checked, unless `limit` failures
    are already counted: then False, and the password must not be checked at all. A login that
    succeeds clears the count (`clear_failures`).

    Counting before checking, in one write transaction, makes the limit exact under concurrency:
    eight simultaneous guesses against a limit of five get five checks and three refusals."""
    with transaction(db):
        db.execute("delete from login_failures where at <= ?", [time.time() - window])
        if recent_failures(db, email, device, window) >= limit:
            return False
        db.execute("insert into login_failures (email, device, at) values (?, ?, ?)", [email, device, time.time()])
    return True


def clear_failures(db: AppDatabase, email: str, device: str | None) -> None:
    with transaction(db):
        db.execute("delete from login_failures where email = ? and device is ?", [email, device])
