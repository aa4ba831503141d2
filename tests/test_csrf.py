"""Every state-changing request, form or JSON, is refused without a CSRF token (and works with one)."""

from __future__ import annotations

import re

import pytest
from classroom_support import PASSWORD, create_class, create_instructor

from webapp.store import learners
from webapp.store.db import get_db

STATE_CHANGING = [
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
    ("POST", "/auth/signup"),
    ("POST", "/join"),
    ("POST", "/resume"),
    ("POST", "/leave"),
    ("POST", "/api/join"),
    ("POST", "/api/submissions"),
    ("PUT", "/api/drafts/demo-hedge"),
    ("POST", "/api/exercises/demo-hedge/grade"),
    ("POST", "/api/exercises/demo-hedge/finish"),
    ("POST", "/exercises/demo-hedge/check"),
    ("POST", "/exercises/demo-hedge/finish"),
    ("POST", "/teacher/classes/{class_id}/solutions/demo-hedge"),
    ("POST", "/teacher/classes"),
    ("POST", "/teacher/classes/{class_id}/settings"),
    ("POST", "/teacher/classes/{class_id}/roster"),
    ("POST", "/teacher/classes/{class_id}/students/{student_id}/delete"),
    ("POST", "/teacher/classes/{class_id}/delete"),
]


@pytest.fixture
def protected(app, demo_content):
    """CSRF protection on; a logged-in instructor's client (logging in with a token) and a class with a student."""
    app.config.update(WTF_CSRF_ENABLED=True, ALLOW_SIGNUP=True)
    teacher = create_instructor(app, "teacher@example.org")
    klass = create_class(app, teacher["id"])
    with app.app_context():
        db = get_db()
        student_id = learners.add_student(db, klass["id"], "Ada")["id"]
    client = app.test_client()
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", data={"email": teacher["email"], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client, klass, student_id


def csrf_token(client, page: str) -> str:
    page_text = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text).group(1)


@pytest.mark.parametrize("method, template", STATE_CHANGING)
def test_refused_without_a_token(app, protected, method, template):
    client, klass, student_id = protected
    path = template.format(class_id=klass["id"], student_id=student_id)
    form = client.open(path, method=method, data={"title": "x", "code": klass["code"], "name": "Mallory"})
    assert form.status_code == 400, path
    as_json = client.open(path, method=method, json={"code": klass["code"], "name": "Mallory"})
    assert as_json.status_code == 400
    if path.startswith("/api/"):
        assert "CSRF" in as_json.get_json()["error"]
    with app.app_context():
        db = get_db()
        assert db["classes"].count == 1 and db["students"].count == 1 and db["classes"].get(klass["id"]) == klass


def test_json_api_works_with_the_token_from_the_api(app, protected):
    _, klass, _ = protected
    student = app.test_client()
    token = student.get("/api/csrf-token").get_json()["csrf_token"]
    response = student.post("/api/join", json={"code": klass["code"], "name": "Grace"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_dashboard_forms_work_with_their_token(app, protected):
    client, klass, _ = protected
    token = csrf_token(client, f"/teacher/classes/{klass['id']}/settings")
    response = client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "csrf_token": token, "title": "Renamed", "counting": "best", "exercises": ["demo-hedge"]})
    assert response.status_code == 302
    token = csrf_token(client, "/teacher/")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
