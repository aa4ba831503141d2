"""App factory and storage: config from the environment, instance folder, schema, pragmas."""

from webapp import create_app
from webapp.db import connect, migrations


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
