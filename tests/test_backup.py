"""Backup through SQLite's online API, and restore."""

import sqlite3

from webapp.store.db import connect


def attempt_count(path):
    db = connect(path)
    try:
        return db["attempts"].count
    finally:
        db.close()


def test_backup_and_restore_roundtrip(app, client, runner, tmp_path):
    client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    target = tmp_path / "backup.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert attempt_count(str(target)) == 1

    client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    assert attempt_count(app.config["DATABASE"]) == 2
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert attempt_count(app.config["DATABASE"]) == 1


def test_backup_while_another_connection_writes(app, client, runner, tmp_path):
    writer = sqlite3.connect(app.config["DATABASE"])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("insert into drafts (practice_session, exercise_id, answer, updated_at) "
                   "values ('x', 'y', '[]', 'now')")
    result = runner.invoke(args=["backup", str(tmp_path / "during.sqlite")])
    writer.commit()
    writer.close()
    assert result.exit_code == 0, result.output


def test_backup_refuses_to_overwrite_and_restore_refuses_foreign_files(runner, tmp_path):
    existing = tmp_path / "taken.sqlite"
    existing.write_text("")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    stranger = tmp_path / "other.sqlite"
    sqlite3.connect(stranger).execute("create table t (x)").connection.commit()
    result = runner.invoke(args=["restore", "--yes", str(stranger)])
    assert result.exit_code == 1 and "not a Spotcheck database" in result.output
