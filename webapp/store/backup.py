"""Online backup and restore of the SQLite database (safe while the app is serving).

`restore` accepts only a Spotcheck database: a file that SQLite reads without damage, whose
schema (after the app's own migrations bring an older backup up to date) is exactly the one
`init_db` creates today, with nothing of its own besides (no trigger, view, table, index or
column), and whose foreign keys all point at rows. A restored file becomes the live database,
so a trigger or an extra object in it would run or stay inside the app from then on.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def backup(source: str, target: str) -> int:
    """Copy `source` into a new file `target` with SQLite's online backup API; return its pages.

    The backup API copies a consistent snapshot even while other connections write (WAL mode),
    unlike copying the file, which can catch a half-written page. The copy is switched out of
    WAL mode, so it is one self-contained file, and both connections are closed on return
    (a `with` block on a sqlite3 connection only commits: the file stayed open, with its -wal
    and -shm beside it, until the garbage collector found the connection).
    """
    if Path(target).exists():
        raise FileExistsError(f"{target} already exists; choose a new file name")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise RuntimeError(f"the backup failed its integrity check: {check}")
    return pages


SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's own bookkeeping tables: AUTOINCREMENT's counters and ANALYZE's statistics.
SQLITE_INTERNAL_RE = re.compile(r"sqlite_(sequence|stat\d)$")


class RestoreRefused(RuntimeError):
    """The file is not a sound Spotcheck database; the message says why. Nothing was restored."""


def _normal_sql(sql: str | None) -> str | None:
    """An object's CREATE statement with quoting, case and spacing evened out, so a schema
    written by another sqlite-utils version ("[id]" vs '"id"') compares equal."""
    if sql is None:
        return None
    text = re.sub(r'["`\[\]]', "", sql.lower())
    text = re.sub(r"\s*([(),])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _structure(conn: sqlite3.Connection, kind: str, name: str, table: str) -> tuple:
    """What SQLite itself reports of a table or index (columns with their types, NOT NULL,
    defaults, keys and generated flags; foreign keys; an index's columns, uniqueness and
    partiality), compared besides the SQL text: no comment or spacing can hide a difference."""
    if kind == "table":
        columns = conn.execute("select * from pragma_table_xinfo(?)", [name]).fetchall()
        keys = sorted(conn.execute("select * from pragma_foreign_key_list(?)", [name]).fetchall(), key=repr)
        return columns, keys
    if kind == "index":
        columns = conn.execute("select * from pragma_index_xinfo(?)", [name]).fetchall()
        flags = [row[2:] for row in conn.execute("select * from pragma_index_list(?)", [table]) if row[1] == name]
        return columns, flags
    return ()


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple]:
    """(type, name) -> (table, normalised SQL, structure) for every table, index, trigger and
    view but SQLite's own bookkeeping tables."""
    rows = conn.execute("select type, name, tbl_name, sql from sqlite_master").fetchall()
    return {(kind, name): (table, _normal_sql(sql), _structure(conn, kind, name, table))
            for kind, name, table, sql in rows if not (kind == "table" and SQLITE_INTERNAL_RE.match(name))}


def _names(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = conn.execute("select type, name from sqlite_master").fetchall()
    return {(kind, name) for kind, name in rows if not (kind == "table" and SQLITE_INTERNAL_RE.match(name))}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute("select * from pragma_table_xinfo(?)", [table])]
    except sqlite3.Error:
        return []


def _migrations(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return set(conn.execute("select migration_set, name from _sqlite_migrations").fetchall())


def _describe(objects: set[tuple[str, str]]) -> str:
    return ", ".join(f"{kind} {name!r}" for kind, name in sorted(objects))


def _check_file(path: Path, name: str) -> None:
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        raise RestoreRefused(f"{name} is empty, not a Spotcheck backup; nothing was restored")
    if header != SQLITE_HEADER:
        raise RestoreRefused(f"{name} is not a SQLite database, so not a Spotcheck backup; nothing was restored")


def _copy(source: Path, copy: Path, name: str) -> None:
    """The backup's content, as SQLite reads it (a -wal file beside it included), into `copy`,
    through a read-only connection: the backup file itself is never written."""
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src, \
                closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{name} cannot be read as a database ({exc}); nothing was restored") from None


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    # Defence in depth while reading a file from elsewhere: functions with side effects may not
    # run from its schema (views, triggers, defaults, generated columns).
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _check_before_upgrade(conn: sqlite3.Connection, reference: set[tuple[str, str]], name: str) -> None:
    problems = conn.execute("PRAGMA integrity_check").fetchall()
    if problems != [("ok",)]:
        raise RestoreRefused(f"{name} is damaged ({problems[0][0]}); nothing was restored")
    names = _names(conn)
    if ("table", "_sqlite_migrations") not in names:
        raise RestoreRefused(f"{name} is not a Spotcheck database; nothing was restored")
    # Before the migrations run on it, the objects that run code: a trigger of its own would fire
    # during the upgrade. Extra tables and indexes are refused after it (an older backup still
    # has the indexes that a later migration replaces).
    extra = {(kind, object_name) for kind, object_name in names - reference if kind in ("trigger", "view")}
    if extra:
        raise RestoreRefused(
            f"{name} is not a Spotcheck database as this version creates it: it has {_describe(extra)}, "
            "which Spotcheck does not create; nothing was restored"
        )


def _check_after_upgrade(conn: sqlite3.Connection, ref: sqlite3.Connection, name: str) -> None:
    mine, reference = _migrations(conn), _migrations(ref)
    if mine - reference:
        newer = ", ".join(sorted(migration for _, migration in mine - reference))
        raise RestoreRefused(f"{name} was made by a newer Spotcheck (migrations {newer}); "
                             "upgrade this one first; nothing was restored")
    objects, expected = _objects(conn), _objects(ref)
    extra, missing = set(objects) - set(expected), set(expected) - set(objects)
    if extra or missing:
        parts = ([f"it has {_describe(extra)}, which Spotcheck does not create"] if extra else []) + (
            [f"it lacks {_describe(missing)}"] if missing else [])
        raise RestoreRefused(f"{name} is not a Spotcheck database: {'; '.join(parts)}; nothing was restored")
    for key in sorted(expected):
        if objects[key] != expected[key]:
            kind, object_name = key
            detail = ""
            if kind == "table":
                have, want = _columns(conn, object_name), _columns(ref, object_name)
                added, lost = [c for c in have if c not in want], [c for c in want if c not in have]
                detail = (f"; extra columns {added}" if added else "") + (f"; missing columns {lost}" if lost else "")
            raise RestoreRefused(
                f"{name} is not a Spotcheck database: its {kind} {object_name!r} differs from Spotcheck's{detail}; "
                "nothing was restored"
            )
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise RestoreRefused(
            f"{name} has {len(broken)} row(s) whose references point at nothing (first: {table} row {rowid} "
            f"-> {parent}); nothing was restored"
        )


def restore(backup_file: str, target: str) -> None:
    """Replace the database at `target` with the backup's content (stop the server first).

    The backup is copied to a temporary folder and checked there; the target is opened only
    once every check has passed, so a refused file (RestoreRefused, a RuntimeError) leaves it
    exactly as it was. An older Spotcheck backup is brought up to date by the app's migrations
    first; one from a newer Spotcheck is refused.
    """
    from .schema import init_db

    source = Path(backup_file)
    _check_file(source, backup_file)
    refused = "; nothing was restored"
    with tempfile.TemporaryDirectory(prefix="spotcheck-restore-") as folder:
        copy, fresh = Path(folder) / "backup.sqlite", Path(folder) / "reference.sqlite"
        _copy(source, copy, backup_file)
        init_db(str(fresh))
        with closing(_open(fresh)) as ref:
            try:
                with closing(_open(copy)) as conn:
                    _check_before_upgrade(conn, _names(ref), backup_file)
            except sqlite3.DatabaseError as exc:
                raise RestoreRefused(f"{backup_file} cannot be read as a database ({exc}){refused}") from None
            try:
                init_db(str(copy))
            except sqlite3.Error as exc:
                raise RestoreRefused(f"{backup_file} could not be brought up to date ({exc}){refused}") from None
            with closing(_open(copy)) as conn:
                _check_after_upgrade(conn, ref, backup_file)
                with closing(sqlite3.connect(target)) as dst:
                    conn.backup(dst)


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False))
def backup_command(file):
    """Write a consistent copy of the database to FILE, even while the app serves requests."""
    try:
        pages = backup(current_app.config["DATABASE"], file)
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {pages} pages to {file}")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="This replaces every class, student and attempt in the database. Continue?")
def restore_command(file):
    """Replace the database with the backup FILE. Stop the server first."""
    try:
        restore(file, current_app.config["DATABASE"])
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {file} into {current_app.config['DATABASE']}")


def init_app(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
