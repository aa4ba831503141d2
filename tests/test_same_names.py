"""Two students with the same name: asked whether they are the same person, then told apart."""

from __future__ import annotations

import io

import pytest
from classroom_support import join_class

from webapp.domain.names import distinct_name
from webapp.store.db import get_db


def test_distinct_name_numbers_and_fits():
    assert distinct_name("Chloe", []) == "Chloe"
    assert distinct_name("Chloe", ["chloe"]) == "Chloe 2"
    assert distinct_name("Chloe", ["Chloe", "Chloe 2"]) == "Chloe 3"
    long = "x" * 40
    assert distinct_name(long, [long]) == "x" * 38 + " 2"


def test_api_join_with_a_taken_name_asks_then_tells_apart(app, klass):
    join_class(app.test_client(), klass["code"], "Chloe")
    second = app.test_client()
    refused = second.post("/api/join", json={"code": klass["code"], "name": "chloe"})
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["name_taken"] is True and "resume code" in body["error"]
    # Nothing was recorded, and the browser has no session.
    assert second.post("/api/submissions", json={"exercise_id": "demo-hedge", "submission_id": "abcdefgh1"}
                       ).status_code == 401
    again = second.post("/api/join", json={"code": klass["code"], "name": "Chloe", "new_student": True})
    assert again.status_code == 200 and again.get_json()["student"]["name"] == "Chloe 2"
    third = app.test_client().post("/api/join", json={"code": klass["code"], "name": "Chloe", "new_student": True})
    assert third.get_json()["student"]["name"] == "Chloe 3"


@pytest.mark.parametrize("value", ["yes", 1, None, [True]])
def test_new_student_must_be_a_boolean(app, klass, value):
    response = app.test_client().post("/api/join", json={"code": klass["code"], "name": "Ada", "new_student": value})
    assert response.status_code == 400 and "new_student" in response.get_json()["error"]


def test_new_student_with_a_free_name_keeps_it(app, klass):
    body = app.test_client().post("/api/join", json={"code": klass["code"], "name": "Ada", "new_student": True})
    assert body.get_json()["student"]["name"] == "Ada"


def test_join_page_offers_both_choices(app, klass):
    app.test_client().post("/join", data={"code": klass["code"], "name": "Chloe"})
    client = app.test_client()
    page = client.post("/join", data={"code": klass["code"], "name": "Chloe"})
    text = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "already joined as Chloe" in text and "/resume" in text and 'name="new_student" value="1"' in text
    joined = client.post("/join", data={"code": klass["code"], "name": "Chloe", "new_student": "1"})
    assert joined.status_code == 302
    assert "Welcome, Chloe 2!" in client.get(joined.location, follow_redirects=True).get_data(as_text=True)
    assert "Chloe 2" in client.get("/my-work").get_data(as_text=True)


def test_names_are_told_apart_on_the_dashboard_and_in_exports(app, client, klass):
    join_class(app.test_client(), klass["code"], "Chloe")
    app.test_client().post("/api/join", json={"code": klass["code"], "name": "Chloe", "new_student": True})
    dashboard = client.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True)
    assert "Chloe 2" in dashboard
    csv = client.get(f"/teacher/classes/{klass['id']}/export/csv").get_data(as_text=True)
    assert "Chloe 2" in csv


def test_a_roster_uploaded_later_is_matched_to_students_who_joined_before(app, client, klass):
    chloe = join_class(app.test_client(), klass["code"], "Chloe")["student"]
    client.post(f"/teacher/classes/{klass['id']}/roster",
                data={"file": (io.BytesIO(b"name,id\nChloe Martin,S-1\nAda,S-2\n"), "r.csv")})
    settings = client.get(f"/teacher/classes/{klass['id']}/settings").get_data(as_text=True)
    assert "Match" in settings and f'value="{chloe["id"]}"' in settings
    with app.app_context():
        entries = {row["name"]: row["id"] for row in get_db().query("select * from roster")}
    linked = client.post(f"/teacher/classes/{klass['id']}/roster/{entries['Chloe Martin']}/link",
                         data={"student_id": chloe["id"]})
    assert linked.status_code == 302
    csv = client.get(f"/teacher/classes/{klass['id']}/export/csv").get_data(as_text=True)
    assert "Chloe Martin" in csv and "S-1" in csv
    # The entry is now claimed: nobody else can join as it, nor be matched to it.
    other = join_class(app.test_client(), klass["code"], "Ada")["student"]
    assert client.post(f"/teacher/classes/{klass['id']}/roster/{entries['Chloe Martin']}/link",
                       data={"student_id": other["id"]}).status_code == 409


@pytest.mark.parametrize("student_id", ["", "abc", "99999"])
def test_matching_refuses_bad_input(app, client, klass, student_id):
    client.post(f"/teacher/classes/{klass['id']}/roster", data={"file": (io.BytesIO(b"name,id\nAda,S-2\n"), "r.csv")})
    with app.app_context():
        entry_id = get_db().execute("select id from roster").fetchone()[0]
    response = client.post(f"/teacher/classes/{klass['id']}/roster/{entry_id}/link", data={"student_id": student_id})
    assert response.status_code in (400, 404)
    assert client.post(f"/teacher/classes/{klass['id']}/roster/99999/link", data={"student_id": "1"}).status_code == 404
