"""App factory and storage: config from the environment, instance folder, schema, pragmas."""

import sqlite3

import pytest

from webapp import create_app
from webapp.store.db import connect, init_db, migrations


def test_config_defaults_to_the_instance_folder(monkeypatch):
    monkeypatch.delenv("SPOTCHECK_DB", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["DATABASE"].startswith(app.instance_path)


def test_spotcheck_db_names_the_database(monkeypatch, tmp_path):
    path = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("SPOTCHECK_DB", str(path))
    app = create_app()
    assert app.config["DATABASE"] == str(path) and path.exists()


def test_secret_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SPOTCHECK_SECRET_KEY", "from-env")
    monkeypatch.setenv("SPOTCHECK_DB", str(tmp_path / "db.sqlite"))
    assert create_app().secret_key == "from-env"


def test_generated_secret_key_is_kept_across_restarts(monkeypatch, tmp_path):
    monkeypatch.delenv("SPOTCHECK_SECRET_KEY", raising=False)
    monkeypatch.setenv("SPOTCHECK_DB", str(tmp_path / "db.sqlite"))
    first, second = create_app(), create_app()
    assert first.secret_key and first.secret_key == second.secret_key


def test_schema_is_migrated_with_wal_and_foreign_keys(app):
    db = connect(app.config["DATABASE"])
    assert not migrations.pending(db)
    assert {"attempts", "drafts", "students", "classes", "instructors"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_restart_on_an_existing_database_keeps_data(app, client):
    client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    again = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"], "SECRET_KEY": "x"})
    db = connect(again.config["DATABASE"])
    assert db["attempts"].count == 1
    db.close()


ATTEMPT_LOOKUPS = [
    ("select * from attempts where student_id = ? and submission_id = ?", [1, "s"]),
    ("select * from attempts where practice_session = ? and submission_id = ?", ["p", "s"]),
    ("select count(*) from attempts where student_id = ? and exercise_id = ?", [1, "e"]),
    ("select * from attempts where student_id = ? order by id", [1]),
    ("select a.id from attempts a join students s on s.id = a.student_id where s.class_id = ?", [1]),
    ("delete from attempts where student_id = ?", [1]),
]


@pytest.mark.parametrize(("sql", "params"), ATTEMPT_LOOKUPS)
def test_attempt_lookups_use_the_partial_indexes(app, sql, params):
    db = connect(app.config["DATABASE"])
    plan = " ".join(row[3] for row in db.execute(f"explain query plan {sql}", params))
    db.close()
    assert "INDEX idx_attempts_" in plan and "SCAN a" not in plan


def test_upgrading_to_partial_indexes_keeps_attempts_and_their_uniqueness(tmp_path):
    path = str(tmp_path / "old.sqlite")
    db = connect(path)
    migrations.apply(db, stop_before="m004_partial_attempt_indexes")
    db["instructors"].insert({"id": 1, "email": "t@example.org"})
    db["classes"].insert({"id": 1, "code": "ABC", "title": "P3", "instructor_id": 1})
    db["students"].insert({"id": 1, "class_id": 1, "name": "Ada"})
    db["attempts"].insert_all([{"student_id": 1, "submission_id": "s1", "exercise_id": "e"},
                               {"practice_session": "p", "submission_id": "s1", "exercise_id": "e"}])
    db.close()
    init_db(path)
    db = connect(path)
    assert not migrations.pending(db) and db["attempts"].count == 2
    assert len(db["attempts"].indexes) == 3
    assert all(" where " in sql for (sql,) in db.execute(
        "select sql from sqlite_master where type = 'index' and tbl_name = 'attempts'"))
    for duplicate in ({"student_id": 1, "submission_id": "s1"}, {"practice_session": "p", "submission_id": "s1"}):
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("insert into attempts (student_id, practice_session, submission_id) values (?, ?, ?)",
                       [duplicate.get("student_id"), duplicate.get("practice_session"), duplicate["submission_id"]])
    db.close()


def test_json_goes_through_orjson_and_falls_back_for_what_it_cannot_write(app):
    with app.app_context():
        assert app.json.dumps({"b": 1, 2: "a"}, sort_keys=True) == '{"2":"a","b":1}'
        assert app.json.dumps({"n": 2**70}) == '{"n": 1180591620717411303424}'  # the standard library's
        assert app.json.response(n=2**70).get_json() == {"n": 2**70}
        with pytest.raises(TypeError):
            app.json.dumps({"x": object()})
