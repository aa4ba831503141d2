"""The access matrix: another instructor, another student and anonymous visitors, over every protected URL."""

from __future__ import annotations

import io

import pytest
from classroom_support import MAY_HAVE, create_class, create_instructor, join_class, login, submit, without_tokens

from webapp.store.db import get_db

# (method, path template): every instructor URL that names a class (and a student) by id.
INSTRUCTOR_URLS = [
    ("GET", "/teacher/classes/{class_id}"),
    ("GET", "/teacher/classes/{class_id}/progress.json"),
    ("GET", "/teacher/classes/{class_id}/settings"),
    ("POST", "/teacher/classes/{class_id}/settings"),
    ("POST", "/teacher/classes/{class_id}/roster"),
    ("GET", "/teacher/classes/{class_id}/exercises/demo-hedge"),
    ("GET", "/teacher/classes/{class_id}/heatmap/demo-hedge"),
    ("GET", "/teacher/classes/{class_id}/students/{student_id}/delete"),
    ("POST", "/teacher/classes/{class_id}/students/{student_id}/delete"),
    ("GET", "/teacher/classes/{class_id}/delete"),
    ("POST", "/teacher/classes/{class_id}/delete"),
    ("GET", "/teacher/classes/{class_id}/export/csv"),
    ("GET", "/teacher/classes/{class_id}/export/json"),
    ("GET", "/teacher/classes/{class_id}/export/canvas"),
    ("GET", "/teacher/classes/{class_id}/export/long"),
]
SETTINGS = {"title": "Taken over", "counting": "last", "exercises": ["demo-hedge"]}


@pytest.fixture
def world(app, client, klass):
    """The owner's class with Ada and one attempt; Mallory, an instructor with a class of her own;
    Eve, a student of another class."""
    ada = app.test_client()
    ada_id = join_class(ada, klass["code"], "Ada")["student"]["id"]
    attempt_id = submit(ada, "demo-hedge", "ada-00000001", spans=[MAY_HAVE]).get_json()["attempt"]
    mallory = create_instructor(app, "mallory@example.org")
    mallory_class = create_class(app, mallory["id"], "Mallory's class")
    eve = app.test_client()
    join_class(eve, mallory_class["code"], "Eve")
    return {"class": klass, "ada": ada, "ada_id": ada_id, "attempt_id": attempt_id, "mallory": mallory,
            "mallory_class": mallory_class, "eve": eve}


def actor(app, world, who: str):
    if who == "anonymous":
        return app.test_client()
    if who == "another student":
        return world["eve"]
    client = app.test_client()
    assert login(client, "mallory@example.org").status_code == 302
    return client


def request(client, method: str, path: str):
    return client.post(path, data=SETTINGS) if method == "POST" else client.get(path)


def assert_nothing_changed(app, world):
    with app.app_context():
        db = get_db()
        assert db["classes"].get(world["class"]["id"]) == world["class"]
        assert db["students"].count_where("id = ?", [world["ada_id"]]) == 1
        assert db["attempts"].count_where("student_id = ?", [world["ada_id"]]) == 1


@pytest.mark.parametrize("method, template", INSTRUCTOR_URLS)
@pytest.mark.parametrize("who", ["anonymous", "another student", "another instructor"])
def test_instructor_urls_refuse_everyone_but_the_owner(app, world, who, method, template):
    path = template.format(class_id=world["class"]["id"], student_id=world["ada_id"])
    response = request(actor(app, world, who), method, path)
    if who == "another instructor":
        assert response.status_code == 404
        assert "Ada" not in without_tokens(response.data)
    else:
        assert response.status_code == 302 and response.location.startswith("/auth/login")
    assert_nothing_changed(app, world)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_student_of_another_class_cannot_be_reached_through_ones_own_class(app, world, method):
    mallory = actor(app, world, "another instructor")
    path = f"/teacher/classes/{world['mallory_class']['id']}/students/{world['ada_id']}/delete"
    assert request(mallory, method, path).status_code == 404
    assert_nothing_changed(app, world)


@pytest.mark.parametrize("method, template", INSTRUCTOR_URLS)
def test_the_owner_reaches_every_url(client, world, method, template):
    path = template.format(class_id=world["class"]["id"], student_id=world["ada_id"])
    response = request(client, method, path)
    assert response.status_code in (200, 302, 400)  # 400: the roster upload without a file
    assert "/auth/login" not in (response.location or "")


def test_the_class_list_shows_only_ones_own_classes(app, world):
    page = actor(app, world, "another instructor").get("/teacher/").get_data(as_text=True)
    assert "Mallory&#39;s class" in page and world["class"]["code"] not in page


@pytest.mark.parametrize("who", ["anonymous", "another student", "another instructor"])
def test_a_students_attempt_is_theirs_alone(app, world, who):
    response = actor(app, world, who).get(f"/attempts/{world['attempt_id']}")
    assert response.status_code == 404
    assert world["ada"].get(f"/attempts/{world['attempt_id']}").status_code == 200


def test_a_classmate_cannot_see_anothers_attempt_or_drafts(app, world):
    classmate = app.test_client()
    join_class(classmate, world["class"]["code"], "Bob")
    world["ada"].put("/api/drafts/demo-hedge", json={"spans": [MAY_HAVE]})
    assert classmate.get(f"/attempts/{world['attempt_id']}").status_code == 404
    assert classmate.get("/api/drafts/demo-hedge").get_json() == {"spans": []}
    assert "Ada" not in without_tokens(classmate.get("/my-work").data)


def test_my_work_sends_visitors_without_a_class_to_join(app):
    response = app.test_client().get("/my-work")
    assert response.status_code == 302 and response.location.startswith("/join")


def test_student_api_refuses_visitors_without_a_class(app, world):
    response = submit(app.test_client(), "demo-hedge", "anon-0000001", spans=[MAY_HAVE])
    assert response.status_code == 401


def test_roster_ids_never_reach_students(app, client, world):
    client.post(f"/teacher/classes/{world['class']['id']}/roster",
                data={"file": (io.BytesIO(b"name,id\nZed,SECRET-ID-1\n"), "r.csv")})
    student = app.test_client()
    join_class(student, world["class"]["code"], "Zed")
    for path in ("/my-work", f"/join?code={world['class']['code']}", "/"):
        assert "SECRET-ID-1" not in student.get(path).get_data(as_text=True)
