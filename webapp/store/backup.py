"""Online backup and restore of the SQLite database (safe while the app is serving)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def backup(source: str, target: str) -> int:
    """Copy `source` into a new file `target` with SQLite's online backup API; return its pages.

    The backup API copies a consistent snapshot even while other connections write (WAL mode),
    unlike copying the file, which can catch a half-written page.
    """
    if Path(target).exists():
        raise FileExistsError(f"{target} already exists; choose a new file name")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise RuntimeError(f"the backup failed its integrity check: {check}")
    return pages


def restore(backup_file: str, target: str) -> None:
    """Replace the database at `target` with the backup's content (stop the server first)."""
    with sqlite3.connect(backup_file) as src:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError(f"{backup_file} is damaged; nothing was restored")
        if not src.execute("select 1 from sqlite_master where name = '_sqlite_migrations'").fetchone():
            raise RuntimeError(f"{backup_file} is not a Spotcheck database; nothing was restored")
        with sqlite3.connect(target) as dst:
            src.backup(dst)


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
