"""The hardening functions are used where input arrives: login's next=, account creation, joining,
article uploads and the CLI."""

from __future__ import annotations

import io

import pytest
from classroom_support import PASSWORD, create_class, create_instructor


@pytest.mark.parametrize("target", ["%2F%09%2Fevil.example", "//evil.example", "/%5Cevil.example",
                                    "https://evil.example/", "/ok%0A//evil"])
def test_login_never_redirects_off_the_site(app, client, target):
    create_instructor(app, "t@example.org")
    response = client.post(f"/auth/login?next={target}", data={"email": "t@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/teacher/", "http://localhost/teacher/")


def test_login_follows_a_path_on_the_site(app, client):
    create_instructor(app, "t@example.org")
    response = client.post("/auth/login?next=/teacher/classes/1", data={"email": "t@example.org",
                                                                        "password": PASSWORD})
    assert response.headers["Location"].endswith("/teacher/classes/1")


@pytest.mark.parametrize("password, message", [
    ("password123", "10,000 most common passwords"),
    ("aaaaaaaaaaaa", "one character"),
    ("            ", "only spaces"),
])
def test_create_instructor_refuses_weak_passwords_and_says_why(runner, password, message):
    result = runner.invoke(args=["create-instructor", "t@example.org"], input=password + "\n")
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize("name", ["Ada\u202eecilA", "Ad\u200ba", "\x07bell", "A" * 41])
def test_joining_refuses_names_with_hidden_characters(app, instructor, demo_content, name):
    klass = create_class(app, instructor["id"])
    response = app.test_client().post("/api/join", json={"code": klass["code"], "name": name})
    assert response.status_code == 400 and response.get_json()["error"]


def test_a_pdf_upload_is_refused_by_name(client, instructor):
    response = client.post("/teacher/case-studies/new", data={
        "title": "A PDF", "upload": (io.BytesIO(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "article.txt")})
    assert response.status_code == 422 and b"PDF" in response.data


def test_a_utf16_upload_is_read(client, instructor):
    text = "A council vote. Officials may approve the plan, reports suggest.\n"
    response = client.post("/teacher/case-studies/new", data={
        "title": "UTF-16", "upload": (io.BytesIO(text.encode("utf-16")), "article.txt")})
    assert response.status_code == 200 and b"Officials may approve the plan" in response.data
