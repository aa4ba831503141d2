"""Headers, cookies, body size, and errors that never leak a traceback."""

import pytest

from webapp import create_app


@pytest.mark.parametrize("url", ["/", "/exercises/cz-pardon-hedge", "/api/lessons", "/healthz", "/nope"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client):
    client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure


def test_session_cookie_is_secure_when_configured_for_https(monkeypatch, tmp_path):
    monkeypatch.setenv("SPOTCHECK_HTTPS", "1")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "db.sqlite"), "SECRET_KEY": "x",
                      "WTF_CSRF_ENABLED": False})
    response = app.test_client().post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    assert "Secure" in response.headers["Set-Cookie"]


def test_unexpected_errors_are_a_clean_500_without_traceback(app, client, monkeypatch):
    from webapp.web import api

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.checking, "check", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[0, 5]]})
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert response.get_json()["error"]


def test_max_content_length_is_set(app):
    assert 0 < app.config["MAX_CONTENT_LENGTH"] <= 4 * 1024 * 1024
