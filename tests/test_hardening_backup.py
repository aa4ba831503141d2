"""Issue #13: `flask restore` takes only a sound Spotcheck database, and a refusal changes nothing."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from webapp.store.backup import RestoreRefused, backup, restore
from webapp.store.db import connect
from webapp.store.schema import init_db, migrations


def fingerprint(path: Path) -> dict:
    """The bytes of the database and of its WAL, to show a refused restore wrote nothing."""
    return {suffix: hashlib.sha256(Path(f"{path}{suffix}").read_bytes()).hexdigest()
            for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists()}


@pytest.fixture
def target(tmp_path):
    """The live database, with one instructor in it."""
    path = tmp_path / "live.sqlite"
    init_db(str(path))
    tamper(path, "insert into instructors (email, password_hash, session_token, created_at) "
                 "values ('live@example.org', 'x', 't', 'now')")
    return path


@pytest.fixture
def good_backup(tmp_path):
    """A backup made by the app of a database with a class, a student and an attempt."""
    source = tmp_path / "source.sqlite"
    init_db(str(source))
    tamper(source,
           "insert into instructors (id, email, password_hash, session_token, created_at) "
           "values (1, 't@example.org', 'x', 't', 'now')",
           "insert into classes (id, code, title, instructor_id, created_at) values (1, 'ABC', 'Class', 1, 'now')",
           "insert into students (id, class_id, name, resume_code, session_token, created_at) "
           "values (1, 1, 'Ada', 'R1', 't', 'now')",
           "insert into attempts (exercise_id, student_id, submission_id, answer, points, max_points, score, result, "
           "created_at) values ('e', 1, 's1', '[]', 1, 1, 1.0, '{}', 'now')")
    path = tmp_path / "backup.sqlite"
    backup(str(source), str(path))
    return path


def emails(path):
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("select email from instructors order by id")]
    finally:
        conn.close()


def tamper(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def assert_refused(backup_file, target, *fragments):
    before = fingerprint(target)
    with pytest.raises(RestoreRefused) as error:
        restore(str(backup_file), str(target))
    message = str(error.value)
    assert "nothing was restored" in message
    for fragment in fragments:
        assert fragment in message
    assert fingerprint(target) == before
    assert emails(target) == ["live@example.org"]
    return message


def test_a_backup_made_by_the_app_restores(good_backup, target):
    restore(str(good_backup), str(target))
    assert emails(target) == ["t@example.org"]
    conn = sqlite3.connect(target)
    assert conn.execute("select count(*) from attempts").fetchone() == (1,)
    conn.close()


def test_an_older_backup_is_brought_up_to_date(tmp_path, target):
    # A backup made before the newest migration: restore runs it, as the app does at start.
    older = tmp_path / "older.sqlite"
    db = connect(str(older))
    newest = migrations.pending(db)[-1].name
    migrations.apply(db, stop_before=newest)
    db.close()
    columns = [row[1] for row in sqlite3.connect(older).execute("pragma table_info(instructors)") if row[1] != "id"]
    values = ["'old@example.org'" if column == "email" else "'x'" for column in columns]
    tamper(older, f"insert into instructors ({', '.join(columns)}) values ({', '.join(values)})")
    restore(str(older), str(target))
    assert emails(target) == ["old@example.org"]
    conn = sqlite3.connect(target)
    assert ("spotcheck", newest) in conn.execute("select migration_set, name from _sqlite_migrations").fetchall()
    conn.close()


def test_the_restore_command_reports_a_refusal(app, runner, good_backup):
    tamper(good_backup, "create view v as select 1")
    result = runner.invoke(args=["restore", "--yes", str(good_backup)])
    assert result.exit_code == 1 and "view 'v'" in result.output and "nothing was restored" in result.output


@pytest.mark.parametrize("statements, fragments", [
    (["create trigger t after insert on attempts begin delete from attempts; end"], ["trigger 't'"]),
    (["create trigger m after insert on _sqlite_migrations begin delete from instructors; end"], ["trigger 'm'"]),
    (["create view v as select * from instructors"], ["view 'v'"]),
    (["create table notes (x)"], ["table 'notes'"]),
    (["create index idx_extra on attempts (score)"], ["index 'idx_extra'"]),
    (["create virtual table search using fts5(body)"], ["table 'search'"]),
    (["alter table attempts add column secret text"], ["table 'attempts' differs", "extra columns ['secret']"]),
    (["drop index idx_students_class_id"], ["lacks index 'idx_students_class_id'"]),
    (["drop index idx_students_class_id", "create index idx_students_class_id on students (name)"],
     ["index 'idx_students_class_id' differs"]),
    (["PRAGMA writable_schema = ON",
      "update sqlite_master set sql = substr(sql, 1, length(sql) - 1) || ', check (length(name) < 999))' "
      "where name = 'students'"],
     ["table 'students' differs"]),
    (["alter table students rename column name to full_name"], ["table 'students' differs"]),
    (["insert into students (class_id, name, resume_code, session_token, created_at) "
      "values (999, 'Ghost', 'R2', 't', 'now')"],
     ["point at nothing", "students"]),
    (["insert into _sqlite_migrations (migration_set, name, applied_at) values ('spotcheck', 'm999_future', 'x')"],
     ["newer Spotcheck", "m999_future"]),
    (["drop table _sqlite_migrations"], ["not a Spotcheck database"]),
])
def test_a_database_with_anything_of_its_own_is_refused(good_backup, target, statements, fragments):
    assert_refused(tamper(good_backup, *statements), target, *fragments)


def test_a_foreign_database_is_refused(tmp_path, target):
    stranger = tamper(tmp_path / "other.sqlite", "create table t (x)")
    assert_refused(stranger, target, "not a Spotcheck database")


@pytest.mark.parametrize("content, fragment", [
    (b"", "is empty"),
    (b"name,id\nAda,1\n", "not a SQLite database"),
    (b"%PDF-1.7\n" + b"\x00" * 5000, "not a SQLite database"),
    (b"SQLite format 3\x00" + b"\xff" * 200, "cannot be read"),
])
def test_a_file_that_is_not_a_database_is_refused(tmp_path, target, content, fragment):
    path = tmp_path / "not.sqlite"
    path.write_bytes(content)
    assert_refused(path, target, fragment)


def test_a_damaged_database_is_refused(good_backup, target):
    conn = sqlite3.connect(good_backup)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.executemany("insert into drafts (practice_session, exercise_id, answer, updated_at) values (?, ?, ?, 'x')",
                     [(f"o{i}", f"e{i}", "x" * 500) for i in range(200)])
    conn.commit()
    page_size = conn.execute("pragma page_size").fetchone()[0]
    conn.close()
    data = bytearray(good_backup.read_bytes())
    for page in range(3, len(data) // page_size):
        data[page * page_size + 8: page * page_size + 64] = b"\xee" * 56
    good_backup.write_bytes(bytes(data))
    message = assert_refused(good_backup, target)
    assert "damaged" in message or "cannot be read" in message


def test_the_backup_file_itself_is_not_changed(good_backup, target):
    tamper(good_backup, "create view v as select 1")
    before = fingerprint(good_backup)
    assert_refused(good_backup, target)
    assert fingerprint(good_backup) == before


def test_a_backup_is_one_closed_file(tmp_path):
    source = tmp_path / "source.sqlite"
    init_db(str(source))
    backup(str(source), str(tmp_path / "copy.sqlite"))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.sqlite"]
    conn = sqlite3.connect(tmp_path / "copy.sqlite")
    assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
    conn.close()


def hold_in_wal(path: Path, statement: str):
    """Commit `statement` to the backup's -wal file, kept there by a second open connection."""
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode = WAL")
    reader = sqlite3.connect(path)
    reader.execute("select count(*) from instructors").fetchone()
    writer.execute(statement)
    writer.commit()
    assert Path(f"{path}-wal").stat().st_size > 0
    return writer, reader


def test_what_the_backup_holds_in_its_wal_file_is_restored(good_backup, target):
    connections = hold_in_wal(good_backup, "insert into instructors (email, password_hash, session_token, created_at) "
                                           "values ('wal@example.org', 'x', 't', 'y')")
    restore(str(good_backup), str(target))
    assert emails(target) == ["t@example.org", "wal@example.org"]
    for conn in connections:
        conn.close()


def test_a_view_hidden_in_the_wal_file_is_refused(good_backup, target):
    connections = hold_in_wal(good_backup, "create view hidden as select 1")
    assert_refused(good_backup, target, "view 'hidden'")
    for conn in connections:
        conn.close()
