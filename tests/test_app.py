"""App factory and storage: config from the environment, instance folder, schema, pragmas."""

import multiprocessing
import sqlite3

import pytest

from webapp import create_app
from webapp.store import attempts
from webapp.store.db import connect
from webapp.store.schema import init_db, migrations


def test_config_defaults_to_the_instance_folder(monkeypatch):
    monkeypatch.delenv("SPOTCHECK_DB", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["DATABASE"].startswith(app.instance_path)


def test_spotcheck_db_names_the_database(monkeypatch, tmp_path):
    path = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("SPOTCHECK_DB", str(path))
    app = create_app()
    assert app.config["DATABASE"] == str(path) and path.exists()


def insert_practice_attempt(db, session: str, submission_id: str, created_at: str = "x") -> None:
    """A practice attempt written as SQL, so that it works at any migration (the store's insert needs
    the latest schema)."""
    db.execute("insert into attempts (exercise_id, practice_session, submission_id, answer, points, max_points, "
               "score, result, created_at) values ('e', ?, ?, '[]', 0, 1, 0, '{}', ?)",
               [session, submission_id, created_at])


def test_secret_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SPOTCHECK_SECRET_KEY", "from-env")
    monkeypatch.setenv("SPOTCHECK_DB", str(tmp_path / "db.sqlite"))
    assert create_app().secret_key == "from-env"


def test_an_older_database_loses_the_practice_time_index_and_still_prunes(tmp_path):
    """m009: every practice check wrote a page of this index; prune reads the table through instead."""
    path = str(tmp_path / "old.sqlite")
    db = connect(path)
    migrations.apply(db, stop_before="m009_no_practice_time_index")
    assert "idx_attempts_practice_created_at" in {index.name for index in db["attempts"].indexes}
    insert_practice_attempt(db, "p", "s", created_at="2020-01-01T00:00:00.000")
    db.conn.commit()
    db.close()
    init_db(path)
    db = connect(path)
    assert "idx_attempts_practice_created_at" not in {index.name for index in db["attempts"].indexes}
    assert attempts.prune(db, "2021-01-01")["attempts"] == 1
    db.close()


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


def old_database(path: str):
    """A database of the first version (migrations up to m005) with a little of everything."""
    db = connect(path)
    migrations.apply(db, stop_before="m006_ids_never_reused_and_owned_rows")
    db["instructors"].insert({"id": 1, "email": "t@example.org", "password_hash": "x", "created_at": "2025"})
    db["classes"].insert_all([
        {"id": 1, "code": "ABC", "title": "P3", "instructor_id": 1, "open": 1, "assigned": None, "counting": "best",
         "show_solutions": 1, "created_at": "2025"},
        {"id": 2, "code": "DEF", "title": "P4", "instructor_id": 1, "open": 0, "assigned": '["cz-pardon-quiz"]',
         "attempts_allowed": 2, "counting": "last", "show_solutions": 0, "created_at": "2025"}])
    db["roster"].insert({"id": 1, "class_id": 1, "name": "Ada L", "roster_id": "S1"})
    db["students"].insert_all([
        {"id": 1, "class_id": 1, "name": "Ada", "roster_entry_id": 1, "resume_code": "AAAA2222",
         "created_at": "2025"},
        {"id": 7, "class_id": 2, "name": "Bo", "roster_entry_id": None, "resume_code": "BBBB2222",
         "created_at": "2025"}])
    attempt = {"exercise_id": "e", "answer": "[]", "points": 0, "max_points": 1, "score": 0, "result": "{}",
               "created_at": "2025"}
    db["attempts"].insert_all([{**attempt, "student_id": 1, "submission_id": "s1"},
                               {**attempt, "practice_session": "p", "submission_id": "s1"}])
    db["drafts"].insert_all([{"owner": "student:1", "exercise_id": "e", "answer": "[]", "updated_at": "2025"},
                             {"owner": "practice:tok", "exercise_id": "e", "answer": "[]", "updated_at": "2025"},
                             {"owner": "student:99", "exercise_id": "e", "answer": "[]", "updated_at": "2025"}])
    db.close()


def test_upgrading_an_old_database_keeps_its_data_and_never_reuses_an_id(tmp_path):
    path = str(tmp_path / "old.sqlite")
    old_database(path)
    init_db(path)
    db = connect(path)
    assert not migrations.pending(db)
    assert db["attempts"].count == 2 and db["students"].count == 2
    classes = {row["code"]: row for row in db["classes"].rows}
    assert (classes["ABC"]["solutions"], classes["DEF"]["solutions"]) == ("after-finishing", "never")
    assigned = [row[0] for row in db.execute("select exercise_id from class_exercises where class_id = 2")]
    assert assigned == ["cz-pardon-quiz"]
    everything = [row[0] for row in db.execute("select exercise_id from class_exercises where class_id = 1 "
                                               "order by position")]
    assert everything[:2] == ["cz-pardon-hedge", "cz-pardon-unsourced"]  # "every exercise" became rows
    drafts = [(row["student_id"], row["practice_session"]) for row in db["drafts"].rows]
    assert sorted(drafts, key=str) == sorted([(1, None), (None, "tok")], key=str)  # the orphan is gone
    assert all(row["session_token"] for row in db["students"].rows)
    # Every table keeps counting from its highest old id: a deleted student's id comes back to no one.
    db.execute("delete from students where id = 7")
    new_id = db.execute("insert into students (class_id, name, resume_code, session_token, created_at) "
                        "values (1, 'Cy', 'CCCC2222', 't', '2026')").lastrowid
    assert new_id == 8
    # Deleting a class takes its students, their attempts and drafts, and its roster with it.
    db.execute("delete from classes where id = 1")
    assert db["attempts"].count == 1 and db["roster"].count == 0
    assert [row["practice_session"] for row in db["drafts"].rows] == ["tok"]
    # A practice browser's submission id still counts once.
    with pytest.raises(sqlite3.IntegrityError):
        insert_practice_attempt(db, "p", "s1")
    db.close()


def record(db, owner, submission_id: str) -> int:
    return attempts.record_attempt(db, owner, exercise_id="e", submission_id=submission_id, answer=[], points=0,
                                   max_points=1, score=0, result={}, limit=None)[0]["id"]


def test_attempt_ids_grow_in_order_and_are_never_given_twice(app):
    """m010: no sqlite_sequence row for attempts (a page write at every check), and still no id comes back."""
    db = connect(app.config["DATABASE"])
    practice = ("practice_session", "tok")
    assert [record(db, practice, f"s{i}") for i in range(3)] == [1, 2, 3]
    db.execute("delete from attempts where id = 3")  # the newest, as a reset or `flask prune` would
    assert record(db, practice, "s3") == 4
    db.execute("insert into instructors (email, password_hash, session_token, created_at) values ('t', 'x', 't', 'x')")
    db.execute("insert into classes (code, title, instructor_id, created_at) values ('C', 'T', 1, 'x')")
    db.execute("insert into students (class_id, name, resume_code, session_token, created_at) "
               "values (1, 'S', 'R', 't', 'x')")
    assert record(db, ("student_id", 1), "s1") == 5
    db.execute("delete from classes where id = 1")  # cascades to the student and the attempt
    assert record(db, practice, "s4") == 6
    assert db.execute("select count(*) from sqlite_sequence where name = 'attempts'").fetchone()[0] == 0
    db.close()


def test_upgrading_to_m010_keeps_attempt_ids_above_the_deleted_ones(tmp_path):
    path = str(tmp_path / "m009.sqlite")
    db = connect(path)
    migrations.apply(db, stop_before="m010_attempt_ids_without_a_sequence_row")
    for submission_id in ("a", "b", "c"):
        insert_practice_attempt(db, "p", submission_id)
    db.execute("delete from attempts where submission_id = 'c'")  # id 3, remembered by sqlite_sequence
    db.conn.commit()
    db.close()
    init_db(path)
    db = connect(path)
    assert [row[0] for row in db.execute("select id from attempts order by id")] == [1, 2]
    assert record(db, ("practice_session", "p"), "d") == 4
    with pytest.raises(sqlite3.IntegrityError):  # the indexes came along
        insert_practice_attempt(db, "p", "a")
    db.close()


def test_json_goes_through_orjson_and_falls_back_for_what_it_cannot_write(app):
    with app.app_context():
        assert app.json.dumps({"b": 1, 2: "a"}, sort_keys=True) == '{"2":"a","b":1}'
        assert app.json.dumps({"n": 2**70}) == '{"n": 1180591620717411303424}'  # the standard library's
        assert app.json.response(n=2**70).get_json() == {"n": 2**70}
        with pytest.raises(TypeError):
            app.json.dumps({"x": object()})


def _start_worker(path: str) -> None:
    init_db(path)


def test_workers_starting_together_on_a_new_database_all_start(tmp_path):
    # gunicorn starts its workers at once, and each creates the app: on a new database all of them
    # used to run the migrations together, and a third of `make serve` starts lost a worker
    # ("table ... already exists"), which stops gunicorn.
    path = str(tmp_path / "new.sqlite")
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=_start_worker, args=(path,)) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * 6
    assert not migrations.pending(connect(path))
