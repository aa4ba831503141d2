"""Fixtures in the flaskr style: `app` on a temporary database, `client`, `runner`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from classroom_support import DEMO_ARTICLE, DEMO_KEY, DEMO_LESSON, create_class, create_instructor, login

from webapp import create_app
from webapp.store.schema import init_db

CASE_STUDY = "seeds/000_1c820eb4196e347a.txt"


def _compile_url_builders_once() -> None:
    """Werkzeug turns each URL rule into a Python function (built as an AST and compiled) whenever
    an app registers it: ~30 ms of CPU per `create_app`, and the suite creates a thousand apps with
    the same 64 rules. The function depends only on the rule's parsed parts and defaults (it reads
    converters from the rule it is bound to), so each worker builds it once per distinct rule."""
    from werkzeug.routing import Rule

    build = getattr(Rule, "_compile_builder", None)
    if build is None:  # another werkzeug: leave it be, the suite is only slower
        return
    built = {}

    def compile_builder_once(rule: Rule, append_unknown: bool = True):
        key = (rule.rule, rule.subdomain, rule.host, tuple(rule._trace),
               repr(sorted((rule.defaults or {}).items())), append_unknown)
        if key not in built:
            built[key] = build(rule, append_unknown)
        return built[key]

    Rule._compile_builder = compile_builder_once


_compile_url_builders_once()


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory) -> Path:
    """A database with the whole schema, made once: each test starts from a copy of it (creating
    the schema by migrations for each of 600 tests would take a minute)."""
    path = tmp_path_factory.mktemp("template") / "spotcheck.sqlite"
    init_db(str(path))
    return path


@pytest.fixture
def app(tmp_path, empty_database):
    database = tmp_path / "spotcheck.sqlite"
    shutil.copyfile(empty_database, database)
    app = create_app({
        "TESTING": True,
        "DATABASE": str(database),
        "SECRET_KEY": "test-secret",
        # Most tests post forms directly; tests/test_csrf.py turns protection back on.
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # scrypt takes a tenth of a second per hash; tests create hundreds of accounts.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def catalog(app):
    from webapp.web.catalog import get_catalog

    with app.app_context():
        return get_catalog()


@pytest.fixture
def hedge(catalog):
    return catalog.exercises["cz-pardon-hedge"]


@pytest.fixture
def unsourced(catalog):
    return catalog.exercises["cz-pardon-unsourced"]


@pytest.fixture
def filler(catalog):
    return catalog.exercises["cz-pardon-filler"]


# --- classrooms: the demo lesson (tests/classroom_support.py), instructors and classes ---------


@pytest.fixture
def demo_content(app, tmp_path):
    """The demo lesson in place of the real content, so tests can state exact scores and exports."""
    root = tmp_path / "content"
    for relative, text in {"seeds/bus.txt": DEMO_ARTICLE, "quizzes/demo.yaml": DEMO_KEY,
                           "lessons/demo.md": DEMO_LESSON}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    app.config["CONTENT_ROOT"] = str(root)  # the catalog loads on first use, so this takes effect
    return root


@pytest.fixture
def demo_catalog(app, demo_content):
    from webapp.web.catalog import get_catalog

    with app.app_context():
        return get_catalog()


@pytest.fixture
def instructor(app, client):
    """teacher@example.org, logged in on `client`."""
    teacher = create_instructor(app)
    assert login(client, teacher["email"]).status_code == 302
    return teacher


@pytest.fixture
def klass(app, instructor, demo_content):
    """A class of `instructor` with the demo lesson: every exercise assigned, best attempt counts."""
    return create_class(app, instructor["id"])
