"""All SQL of LTI 1.3 (webapp/lti, webapp/web/lti.py): registrations, keys, logins, links, line items,
the queue of score posts. `migrate(db)` creates the tables if they are missing (idempotent)."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime

from sqlite_utils import Database

from ..lti.launch import Registration
from .db import transaction

LOGIN_LIFETIME = 600  # seconds from /lti/login to /lti/launch
NONCE_LIFETIME = 2 * 3600

SCHEMA = """
create table if not exists lti_registrations (
    id integer primary key, issuer text not null, client_id text not null, auth_login_url text not null,
    auth_token_url text not null, keyset_url text not null, store_email integer not null default 0,
    created_at text, unique (issuer, client_id));
create table if not exists lti_deployments (
    registration_id integer not null references lti_registrations(id), deployment_id text not null,
    primary key (registration_id, deployment_id));
create table if not exists lti_keys (
    kid text primary key, private_pem text not null, created_at real not null,
    retired_at real, expires_at real);
create table if not exists lti_platform_jwks (
    registration_id integer primary key references lti_registrations(id), jwks text not null, fetched_at real);
create table if not exists lti_logins (
    state text primary key, nonce text not null, registration_id integer not null, created_at real not null);
create table if not exists lti_nonces (nonce text primary key, expires_at real not null);
create table if not exists lti_contexts (
    id integer primary key, registration_id integer not null references lti_registrations(id),
    context_id text not null, class_id integer not null, class_token text, title text, nrps_url text,
    lineitems_url text,
    unique (registration_id, context_id));
create table if not exists lti_users (
    id integer primary key, registration_id integer not null references lti_registrations(id),
    sub text not null, name text, roles text, email text, instructor_id integer,
    unique (registration_id, sub));
create table if not exists lti_students (
    lti_user_id integer not null references lti_users(id), class_id integer not null,
    student_id integer not null unique, student_token text, primary key (lti_user_id, class_id));
create table if not exists lti_lineitems (
    id integer primary key, context_id integer not null references lti_contexts(id), class_id integer not null,
    resource_link_id text, lineitem_url text not null unique, exercise_id text, lesson_slug text,
    score_maximum real, label text);
create table if not exists lti_resource_links (
    context_id integer not null references lti_contexts(id), resource_link_id text not null,
    exercise_id text, lesson_slug text, primary key (context_id, resource_link_id));
create table if not exists lti_scores (
    id integer primary key, lineitem_id integer not null references lti_lineitems(id), student_id integer not null,
    user_sub text not null, score_given real not null, score_maximum real not null, timestamp text not null,
    status text not null, tries integer not null default 0, next_try_at real, last_error text, sent_at text,
    unique (lineitem_id, student_id));
create index if not exists idx_lti_scores_status on lti_scores (status, next_try_at);
"""


def migrate(db: Database) -> None:
    """Create the LTI tables (schema.py's migration m007 runs this once)."""
    db.conn.executescript("begin;" + SCHEMA + "commit;")


def _write(db, action):
    """Run a write as one transaction of the store (store/db.py's transaction())."""
    with transaction(db):
        return action()


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- registrations ------------------------------------------------------------------------------


def add_registration(db: Database, issuer: str, client_id: str, deployment_id: str, auth_login_url: str,
                     auth_token_url: str, keyset_url: str, store_email: bool = False) -> tuple[int, bool]:
    """Add a platform, or a deployment to one already known; update its URLs. (id, created)."""
    def write():
        with db.atomic():
            row = db.execute("select id from lti_registrations where issuer = ? and client_id = ?",
                             [issuer, client_id]).fetchone()
            values = {"auth_login_url": auth_login_url, "auth_token_url": auth_token_url, "keyset_url": keyset_url,
                      "store_email": int(store_email)}
            if row:
                db["lti_registrations"].update(row[0], values)
                reg_id, created = row[0], False
            else:
                reg_id = db["lti_registrations"].insert({"issuer": issuer, "client_id": client_id, **values,
                                                         "created_at": _now_text()}).last_pk
                created = True
            db.execute("insert or ignore into lti_deployments (registration_id, deployment_id) values (?, ?)",
                       [reg_id, deployment_id])
            return reg_id, created

    return _write(db, write)


def _registration(db: Database, row) -> Registration:
    deployments = [r[0] for r in db.execute(
        "select deployment_id from lti_deployments where registration_id = ?", [row["id"]])]
    return Registration(id=row["id"], issuer=row["issuer"], client_id=row["client_id"],
                        auth_login_url=row["auth_login_url"], auth_token_url=row["auth_token_url"],
                        keyset_url=row["keyset_url"], deployments=deployments, store_email=bool(row["store_email"]))


def get_registration(db: Database, registration_id: int) -> Registration | None:
    row = next(db.query("select * from lti_registrations where id = ?", [registration_id]), None)
    return _registration(db, row) if row else None


def find_registrations(db: Database, issuer: str, client_id: str | None = None) -> list[Registration]:
    if client_id:
        rows = db.query("select * from lti_registrations where issuer = ? and client_id = ?", [issuer, client_id])
    else:
        rows = db.query("select * from lti_registrations where issuer = ?", [issuer])
    return [_registration(db, row) for row in rows]


def all_registrations(db: Database) -> list[Registration]:
    return [_registration(db, row) for row in db.query("select * from lti_registrations order by id")]


# --- the tool's keys ----------------------------------------------------------------------------


def add_key(db: Database, kid: str, private_pem: str) -> None:
    _write(db, lambda: db["lti_keys"].insert({"kid": kid, "private_pem": private_pem, "created_at": time.time()}))


def signing_key(db: Database) -> tuple[str, str] | None:
    """(kid, pem) of the newest key that is not retired."""
    row = db.execute("select kid, private_pem from lti_keys where retired_at is null order by created_at desc, "
                     "rowid desc limit 1").fetchone()
    return (row[0], row[1]) if row else None


def published_keys(db: Database, now: float | None = None) -> list[tuple[str, str]]:
    """Every key the JWKS shows: the signing key, and retired keys until their grace period ends."""
    now = time.time() if now is None else now
    return [(r[0], r[1]) for r in db.execute(
        "select kid, private_pem from lti_keys where expires_at is null or expires_at > ? order by created_at",
        [now])]


def retire_keys_except(db: Database, kid: str, grace_seconds: float) -> int:
    """Stop signing with every other key; they stay published for `grace_seconds` more."""
    now = time.time()
    return _write(db, lambda: db.execute(
        "update lti_keys set retired_at = ?, expires_at = ? where kid != ? and retired_at is null",
        [now, now + grace_seconds, kid]).rowcount)


def prune_keys(db: Database, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return _write(db, lambda: db.execute("delete from lti_keys where expires_at is not null and expires_at <= ?",
                                          [now]).rowcount)


def list_keys(db: Database) -> list[dict]:
    return list(db.query("select kid, created_at, retired_at, expires_at from lti_keys order by created_at"))


# --- platform key sets (cache) ------------------------------------------------------------------


def cached_jwks(db: Database, registration_id: int) -> tuple[dict, float] | None:
    row = db.execute("select jwks, fetched_at from lti_platform_jwks where registration_id = ?",
                     [registration_id]).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def save_jwks(db: Database, registration_id: int, jwks: dict) -> None:
    _write(db, lambda: db.execute("insert or replace into lti_platform_jwks values (?, ?, ?)",
                                  [registration_id, json.dumps(jwks), time.time()]))


# --- OIDC login state and nonces ----------------------------------------------------------------


def save_login(db: Database, state: str, nonce: str, registration_id: int) -> None:
    def write():
        with db.atomic():
            db.execute("delete from lti_logins where created_at < ?", [time.time() - LOGIN_LIFETIME])
            db.execute("insert into lti_logins values (?, ?, ?, ?)", [state, nonce, registration_id, time.time()])

    _write(db, write)


def find_login(db: Database, state: str) -> dict | None:
    """The unexpired login this state was issued for."""
    return next(db.query("select * from lti_logins where state = ? and created_at >= ?",
                         [state, time.time() - LOGIN_LIFETIME]), None)


def use_login(db: Database, state: str, nonce: str) -> bool:
    """Consume the state and record the nonce as used, in one transaction; False if either was used."""
    def write():
        with db.atomic():
            db.execute("delete from lti_nonces where expires_at < ?", [time.time()])
            if db.execute("delete from lti_logins where state = ?", [state]).rowcount != 1:
                return False
            try:
                db.execute("insert into lti_nonces values (?, ?)", [nonce, time.time() + NONCE_LIFETIME])
            except sqlite3.IntegrityError:
                return False
            return True

    return _write(db, write)


def nonce_used(db: Database, nonce: str) -> bool:
    return db.execute("select 1 from lti_nonces where nonce = ?", [nonce]).fetchone() is not None


# --- contexts, users, students ------------------------------------------------------------------


def find_context(db: Database, registration_id: int, context_id: str) -> dict | None:
    return next(db.query("select * from lti_contexts where registration_id = ? and context_id = ?",
                                              [registration_id, context_id]), None)


def get_context(db: Database, context_row_id: int) -> dict | None:
    return next(db.query("select * from lti_contexts where id = ?", [context_row_id]), None)


def contexts_of_class(db: Database, class_id: int) -> list[dict]:
    return list(db.query("select * from lti_contexts where class_id = ?", [class_id]))


def add_context(db: Database, registration_id: int, context_id: str, class_id: int, class_token: str,
                title: str) -> dict:
    """Bind an LMS course to a class. `class_token` tells the class apart from a later one that reuses
    its id after a deletion (SQLite reuses the highest rowid)."""
    row = {"registration_id": registration_id, "context_id": context_id, "class_id": class_id,
           "class_token": class_token, "title": title}
    row["id"] = _write(db, lambda: db["lti_contexts"].insert(row).last_pk)
    return row


def rebind_context(db: Database, context_row_id: int, class_id: int, class_token: str) -> dict:
    """Bind the LMS course to a new class (its earlier class was deleted); its line items follow."""
    def write():
        with db.atomic():
            db.execute("update lti_contexts set class_id = ?, class_token = ? where id = ?",
                       [class_id, class_token, context_row_id])
            db.execute("update lti_lineitems set class_id = ? where context_id = ?", [class_id, context_row_id])

    _write(db, write)
    return get_context(db, context_row_id)


def update_context_services(db: Database, context_row_id: int, nrps_url: str | None,
                            lineitems_url: str | None) -> None:
    changes = {key: value for key, value in (("nrps_url", nrps_url), ("lineitems_url", lineitems_url)) if value}
    if changes:
        _write(db, lambda: db["lti_contexts"].update(context_row_id, changes))


def upsert_user(db: Database, registration_id: int, sub: str, name: str | None, roles: list[str] | None,
                email: str | None) -> dict:
    """The LMS user: the id, the name and roles the LMS sends (email only when given, i.e. opted in)."""
    def write():
        with db.atomic():
            row = next(db.query("select * from lti_users where registration_id = ? and sub = ?",
                                [registration_id, sub]), None)
            values = {"name": name} if name else {}
            if roles is not None:
                values["roles"] = json.dumps(roles)
            if email:
                values["email"] = email
            if row is None:
                pk = db["lti_users"].insert({"registration_id": registration_id, "sub": sub, **values}).last_pk
            else:
                pk = row["id"]
                if values:
                    db["lti_users"].update(pk, values)
            return db["lti_users"].get(pk)

    return _write(db, write)


def link_instructor(db: Database, lti_user_id: int, instructor_id: int) -> None:
    _write(db, lambda: db["lti_users"].update(lti_user_id, {"instructor_id": instructor_id}))


def student_link(db: Database, lti_user_id: int, class_id: int) -> tuple[int, str] | None:
    """(student id, student token) of the LMS user's student in the class."""
    row = db.execute("select student_id, student_token from lti_students where lti_user_id = ? and class_id = ?",
                     [lti_user_id, class_id]).fetchone()
    return (row[0], row[1]) if row else None


def link_student(db: Database, lti_user_id: int, class_id: int, student_id: int, student_token: str) -> None:
    """Link the LMS user to the student; `student_token` tells the student apart from a later one that
    reuses the id after a deletion."""
    def write():
        with db.atomic():
            db.execute("delete from lti_students where student_id = ?", [student_id])
            db.execute("insert or replace into lti_students values (?, ?, ?, ?)",
                       [lti_user_id, class_id, student_id, student_token])

    _write(db, write)


def student_lms_user(db: Database, student_id: int) -> dict | None:
    """The LMS user of an LTI-linked student, with the link's `student_token` and `class_id`."""
    return next(db.query("select u.*, s.student_token, s.class_id as link_class_id from lti_students s "
                         "join lti_users u on u.id = s.lti_user_id where s.student_id = ?", [student_id]), None)


# --- resource links and line items ---------------------------------------------------------------


def save_resource_link(db: Database, context_row_id: int, resource_link_id: str, exercise_id: str | None,
                       lesson_slug: str | None) -> None:
    _write(db, lambda: db.execute("insert or replace into lti_resource_links values (?, ?, ?, ?)",
                                  [context_row_id, resource_link_id, exercise_id, lesson_slug]))


def find_resource_link(db: Database, context_row_id: int, resource_link_id: str) -> dict | None:
    return next(db.query("select * from lti_resource_links where context_id = ? and resource_link_id = ?",
                         [context_row_id, resource_link_id]), None)


def upsert_lineitem(db: Database, context: dict, lineitem_url: str, resource_link_id: str | None,
                    exercise_id: str | None, lesson_slug: str | None, score_maximum: float | None,
                    label: str | None) -> int:
    def write():
        with db.atomic():
            row = db.execute("select id from lti_lineitems where lineitem_url = ?", [lineitem_url]).fetchone()
            values = {"context_id": context["id"], "class_id": context["class_id"],
                      "resource_link_id": resource_link_id, "exercise_id": exercise_id, "lesson_slug": lesson_slug,
                      "score_maximum": score_maximum, "label": label}
            if row:
                db["lti_lineitems"].update(row[0], values)
                return row[0]
            return db["lti_lineitems"].insert({"lineitem_url": lineitem_url, **values}).last_pk

    return _write(db, write)


def lineitems_of_class(db: Database, class_id: int) -> list[dict]:
    return list(db.query("select * from lti_lineitems where class_id = ? order by id", [class_id]))


# --- the queue of score posts --------------------------------------------------------------------


def queue_score(db: Database, lineitem_id: int, student_id: int, user_sub: str, score_given: float,
                score_maximum: float, timestamp: str) -> int:
    """The latest score of a student on a line item, to send; it replaces one not yet sent."""
    def write():
        db.execute(
            "insert into lti_scores (lineitem_id, student_id, user_sub, score_given, score_maximum, timestamp, "
            "status, tries, next_try_at) values (?, ?, ?, ?, ?, ?, 'pending', 0, ?) "
            "on conflict (lineitem_id, student_id) do update set score_given = excluded.score_given, "
            "score_maximum = excluded.score_maximum, timestamp = excluded.timestamp, user_sub = excluded.user_sub, "
            "status = 'pending', tries = 0, next_try_at = excluded.next_try_at, last_error = null",
            [lineitem_id, student_id, user_sub, score_given, score_maximum, timestamp, time.time()])
        return db.execute("select id from lti_scores where lineitem_id = ? and student_id = ?",
                          [lineitem_id, student_id]).fetchone()[0]

    return _write(db, write)


def due_scores(db: Database, now: float | None = None, limit: int = 50) -> list[dict]:
    now = time.time() if now is None else now
    return list(db.query("select * from lti_scores where status = 'pending' and next_try_at <= ? order by id "
                         "limit ?", [now, limit]))


def get_score(db: Database, score_id: int) -> dict | None:
    return next(db.query("select * from lti_scores where id = ?", [score_id]), None)


def get_lineitem(db: Database, lineitem_id: int) -> dict | None:
    return next(db.query("select * from lti_lineitems where id = ?", [lineitem_id]), None)


def mark_sent(db: Database, score_id: int, timestamp: str) -> None:
    """Sent, unless a newer score replaced it meanwhile (its timestamp differs)."""
    _write(db, lambda: db.execute(
        "update lti_scores set status = 'sent', sent_at = ?, last_error = null where id = ? and timestamp = ?",
        [_now_text(), score_id, timestamp]))


def mark_failed(db: Database, score_id: int, error: str, next_try_at: float | None) -> None:
    """A failed post: pending again at next_try_at, or 'failed' (waits for a resend) when None."""
    _write(db, lambda: db.execute(
        "update lti_scores set tries = tries + 1, last_error = ?, next_try_at = ?, "
        "status = case when ? is null then 'failed' else 'pending' end where id = ?",
        [error[:500], next_try_at, next_try_at, score_id]))


def resend(db: Database, class_id: int, score_ids: list[int] | None = None) -> int:
    """Make the class's unsent scores (or these) due now."""
    sql = ("update lti_scores set status = 'pending', next_try_at = ?, tries = 0 where status != 'sent' and "
           "lineitem_id in (select id from lti_lineitems where class_id = ?)")
    params: list = [time.time(), class_id]
    if score_ids:
        sql += f" and id in ({','.join('?' * len(score_ids))})"
        params += score_ids
    return _write(db, lambda: db.execute(sql, params).rowcount)


def unsent_scores(db: Database, class_id: int) -> list[dict]:
    return list(db.query(
        "select sc.*, li.label, li.exercise_id, li.lesson_slug from lti_scores sc "
        "join lti_lineitems li on li.id = sc.lineitem_id where li.class_id = ? and sc.status != 'sent' "
        "order by sc.id", [class_id]))


def score_rows(db: Database, class_id: int) -> list[dict]:
    return list(db.query("select sc.* from lti_scores sc join lti_lineitems li on li.id = sc.lineitem_id "
                         "where li.class_id = ? order by sc.id", [class_id]))
