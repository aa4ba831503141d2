"""Instructor accounts: the CLI, hashing, login and logout, the optional sign-up, the failed-login limit."""

from __future__ import annotations

import pytest
from classroom_support import PASSWORD, create_instructor, login

from webapp.store.db import get_db
from webapp.web.auth import MAX_FAILURES


def test_create_instructor_reads_the_password_from_stdin_and_hashes_it(app, runner):
    result = runner.invoke(args=["create-instructor", "Teacher@Example.org"], input=PASSWORD + "\n")
    assert result.exit_code == 0 and "teacher@example.org" in result.output
    with app.app_context():
        row = get_db()["instructors"].get(1)
    assert row["email"] == "teacher@example.org"
    # The tests' cheap method (conftest.py); without that setting, scrypt:
    assert row["password_hash"].startswith("pbkdf2:") and PASSWORD not in row["password_hash"]


def test_passwords_are_hashed_with_scrypt_unless_configured(tmp_path):
    from webapp import create_app

    production = create_app({"DATABASE": str(tmp_path / "p.sqlite"), "SECRET_KEY": "k"})
    result = production.test_cli_runner().invoke(args=["create-instructor", "t@example.org"], input=PASSWORD + "\n")
    assert result.exit_code == 0
    with production.app_context():
        assert get_db()["instructors"].get(1)["password_hash"].startswith("scrypt:")


@pytest.mark.parametrize("email, password, message", [
    ("not-an-email", PASSWORD, "not an email address"),
    ("t@example.org", "short", "at least 10 characters"),
    ("t@example.org", "", "at least 10 characters"),
])
def test_create_instructor_refuses_bad_input_with_a_non_zero_exit(runner, email, password, message):
    result = runner.invoke(args=["create-instructor", email], input=password + "\n")
    assert result.exit_code == 1 and message in result.output


def test_create_instructor_refuses_a_duplicate(app, runner):
    create_instructor(app, "t@example.org")
    result = runner.invoke(args=["create-instructor", "T@example.org"], input=PASSWORD + "\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_login_logout(app, client):
    create_instructor(app, "t@example.org")
    assert client.get("/teacher/").status_code == 302
    response = login(client, "T@Example.org ")
    assert response.status_code == 302 and response.location.endswith("/teacher/")
    page = client.get("/teacher/").get_data(as_text=True)
    assert "Your classes" in page and "Log out" in page and "Teacher login" not in page
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/teacher/").status_code == 302


def test_login_returns_to_the_page_asked_for_but_never_off_site(app, client):
    create_instructor(app, "t@example.org")
    response = client.post("/auth/login?next=/teacher/%3Fx%3D1", data={"email": "t@example.org", "password": PASSWORD})
    assert response.location == "/teacher/?x=1"
    client.post("/auth/logout")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"):
        response = client.post("/auth/login", query_string={"next": target},
                               data={"email": "t@example.org", "password": PASSWORD})
        assert response.location == "/teacher/", target
        client.post("/auth/logout")


def test_wrong_password_and_unknown_email_look_the_same(app, client):
    create_instructor(app, "t@example.org")
    wrong = login(client, "t@example.org", "wrong password!")
    unknown = login(client, "nobody@example.org", "wrong password!")
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.get_data(as_text=True) and "do not match" in unknown.get_data(as_text=True)


def test_failed_logins_are_limited_per_email(app, client):
    create_instructor(app, "t@example.org")
    for _ in range(MAX_FAILURES):
        assert login(client, "t@example.org", "wrong password!").status_code == 401
    blocked = login(client, "t@example.org")  # even the right password waits out the window
    assert blocked.status_code == 429 and "Too many failed logins" in blocked.get_data(as_text=True)
    create_instructor(app, "other@example.org")
    assert login(app.test_client(), "other@example.org").status_code == 302  # other accounts are unaffected
    with app.app_context():
        get_db().execute("update login_failures set at = at - 3600")
    assert login(client, "t@example.org").status_code == 302


def test_a_successful_login_clears_earlier_failures(app, client):
    create_instructor(app, "t@example.org")
    for _ in range(MAX_FAILURES - 1):
        login(client, "t@example.org", "wrong password!")
    assert login(client, "t@example.org").status_code == 302
    with app.app_context():
        assert get_db()["login_failures"].count == 0


def test_empty_login_form_is_a_400(client):
    assert client.post("/auth/login", data={}).status_code == 400


def test_signup_is_off_by_default(client):
    assert client.get("/auth/signup").status_code == 404
    assert client.post("/auth/signup", data={"email": "a@b.org", "password": PASSWORD,
                                             "confirm": PASSWORD}).status_code == 404
    assert "Sign up" not in client.get("/auth/login").get_data(as_text=True)


def test_signup_when_enabled(app, client):
    app.config["ALLOW_SIGNUP"] = True
    assert "Sign up" in client.get("/auth/login").get_data(as_text=True)
    short = client.post("/auth/signup", data={"email": "a@b.org", "password": "short", "confirm": "short"})
    assert short.status_code == 400
    mismatch = client.post("/auth/signup", data={"email": "a@b.org", "password": PASSWORD, "confirm": PASSWORD + "x"})
    assert mismatch.status_code == 400 and "do not match" in mismatch.get_data(as_text=True)
    response = client.post("/auth/signup", data={"email": "a@b.org", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert login(client, "a@b.org").status_code == 302 and client.get("/teacher/").status_code == 200
    # Signing up with an email that has an account looks exactly the same: nobody learns it exists.
    stranger = app.test_client()
    again = stranger.post("/auth/signup", data={"email": "A@b.org", "password": "another long passphrase",
                                                "confirm": "another long passphrase"})
    assert (again.status_code, again.headers["Location"]) == (response.status_code, response.headers["Location"])
    assert stranger.get("/auth/login").get_data(as_text=True).count("If that email can be used") == 1
    assert login(stranger, "a@b.org", "another long passphrase").status_code == 401  # the account is unchanged


def test_signup_can_be_enabled_from_the_environment(app, client, monkeypatch):
    monkeypatch.setenv("SPOTCHECK_ALLOW_SIGNUP", "1")
    assert client.get("/auth/signup").status_code == 200


def test_nav_shows_what_each_visitor_can_do(app, client, klass):
    anonymous = app.test_client().get("/").get_data(as_text=True)
    assert "Join a class" in anonymous and "Teacher login" in anonymous and "Dashboard" not in anonymous
    teacher = client.get("/").get_data(as_text=True)
    assert "Dashboard" in teacher and "Log out" in teacher and "Teacher login" not in teacher
    student = app.test_client()
    student.post("/api/join", json={"code": klass["code"], "name": "Ada"})
    page = student.get("/").get_data(as_text=True)
    assert "My work" in page and "Join a class" not in page


def test_a_student_joining_on_a_teachers_browser_ends_the_teacher_session(client, klass):
    client.post("/api/join", json={"code": klass["code"], "name": "Ada"})
    assert client.get("/teacher/").status_code == 302


def test_a_session_for_a_removed_account_is_simply_logged_out(app, client, instructor):
    from webapp.store.db import get_db

    with app.app_context():
        get_db()["instructors"].delete(instructor["id"])
    response = client.get("/teacher/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- device cookies: a class typing wrong passwords cannot lock the teacher out ------------------


def lock_out(client, email="t@example.org"):
    for _ in range(MAX_FAILURES):
        assert login(client, email, "wrong password!").status_code == 401
    return login(client, email)


def test_a_browser_that_logged_in_before_is_not_locked_out_by_others(app):
    create_instructor(app, "t@example.org")
    teacher = app.test_client()
    assert login(teacher, "t@example.org").status_code == 302
    teacher.post("/auth/logout")
    students = app.test_client()
    blocked = lock_out(students)
    assert blocked.status_code == 429
    assert "browser you have logged in from before" in blocked.get_data(as_text=True)
    assert login(app.test_client(), "t@example.org").status_code == 429  # any other unknown browser too
    assert login(teacher, "t@example.org").status_code == 302


def test_failures_in_a_known_browser_lock_only_that_browser(app):
    create_instructor(app, "t@example.org")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert login(device, "t@example.org").status_code == 302
        device.post("/auth/logout")
    blocked = lock_out(laptop)
    assert blocked.status_code == 429 and "from this browser" in blocked.get_data(as_text=True)
    assert login(phone, "t@example.org").status_code == 302
    assert login(app.test_client(), "t@example.org").status_code == 302


@pytest.mark.parametrize("cookie", ["not-a-token", "forged.signature", None])
def test_a_device_cookie_counts_only_when_signed_for_that_account(app, cookie):
    create_instructor(app, "t@example.org")
    create_instructor(app, "other@example.org")
    browser = app.test_client()
    assert login(browser, "other@example.org").status_code == 302  # trusted for another account only
    browser.post("/auth/logout")
    if cookie:
        browser.set_cookie("spotcheck_device", cookie, path="/auth/login")
    lock_out(app.test_client())
    assert login(browser, "t@example.org").status_code == 429


def device_cookie(client) -> str:
    headers = login(client, "t@example.org").headers.getlist("Set-Cookie")
    return next(header for header in headers if header.startswith("spotcheck_device="))


def test_the_device_cookie_is_httponly_lax_and_kept_to_the_login_page(app, client):
    create_instructor(app, "t@example.org")
    cookie = device_cookie(client)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/auth/login" in cookie
    assert "Max-Age=31536000" in cookie and "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True  # what SPOTCHECK_HTTPS=1 sets
    assert "Secure" in device_cookie(client)
