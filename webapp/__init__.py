"""Spotcheck: a media-literacy teaching module. `create_app()` wires config, store, blueprints, CLI.

The package has three layers: `domain/` (pure Python: articles, content, exercise kinds, the check
service, scores), `store/` (all SQL) and `web/` (blueprints, forms, templates, static files).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from .web.jsonprovider import OrjsonProvider

CONTENT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: str) -> str:
    """SPOTCHECK_SECRET_KEY, else a key generated once and kept in the instance folder."""
    if os.environ.get("SPOTCHECK_SECRET_KEY"):
        return os.environ["SPOTCHECK_SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder="web/templates", static_folder="web/static")
    app.json = OrjsonProvider(app)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE=os.environ.get("SPOTCHECK_DB") or os.path.join(app.instance_path, "spotcheck.sqlite"),
        CONTENT_ROOT=str(CONTENT_ROOT),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SPOTCHECK_HTTPS") == "1",
        WTF_CSRF_TIME_LIMIT=None,  # a lesson can stay open all day on a student's tab
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)

    from . import cli
    from .store import backup, db, schema
    from .web import api, auth, casestudy, classroom, instructor, learn, lti, rendering, security
    from .web.converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    db.init_app(app)
    schema.init_db(app.config["DATABASE"])
    security.init_app(app)
    rendering.init_app(app)
    cli.init_app(app)
    backup.init_app(app)
    app.register_blueprint(learn.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(classroom.bp)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(casestudy.bp)
    lti.init_app(app)  # LTI 1.3: blueprint, CLI, iframe cookies (webapp/web/lti.py)
    return app
