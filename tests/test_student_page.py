"""The teacher's page of one student: resume code, rename, merge, reset, delete, attempts and drafts."""

from __future__ import annotations

import pytest
from classroom_support import LIKELY, MAY_HAVE, TUESDAY, join_class, submit

from webapp.store.db import get_db


def student_url(klass, student_id, tail=""):
    return f"/teacher/classes/{klass['id']}/students/{student_id}{tail}"


def test_dashboard_links_each_name_to_the_student_page(app, client, klass):
    ada = join_class(app.test_client(), klass["code"], "Ada")["student"]
    dashboard = client.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True)
    assert student_url(klass, ada["id"]) in dashboard


def test_student_page_shows_code_attempts_with_marks_and_drafts(app, client, klass):
    student = app.test_client()
    body = join_class(student, klass["code"], "Ada")
    submit(student, "demo-hedge", "first-try-1", spans=[MAY_HAVE, TUESDAY])
    student.put("/api/drafts/demo-unsourced", json={"spans": []})
    with app.app_context():
        get_db().execute("insert into drafts (student_id, exercise_id, answer, updated_at) values (?, ?, ?, ?)",
                         [body["student"]["id"], "demo-hedge", f"[{LIKELY}]".replace(" ", ""), "2026-12-02T09:00:00"])
        get_db().conn.commit()
    page = client.get(student_url(klass, body["student"]["id"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body["resume_code"] in text
    assert "1 found, 2 missed, 1 false alarm" in text
    assert "1 mark: “likely”" in text
    attempt_id = next(int(part.split('"')[0]) for part in text.split("/attempts/")[1:])
    marks = client.get(student_url(klass, body["student"]["id"], f"/attempts/{attempt_id}"))
    marks_text = marks.get_data(as_text=True)
    assert marks.status_code == 200
    assert 'class="m-found"' in marks_text and 'class="m-false_alarms"' in marks_text
    assert "Missed (2)" in marks_text and "Retry" not in marks_text and "Back to Ada" in marks_text


def test_reissuing_the_resume_code_ends_the_old_sessions(app, client, klass):
    student = app.test_client()
    body = join_class(student, klass["code"], "Ada")
    sid = body["student"]["id"]
    confirm = client.get(student_url(klass, sid, "/resume-code"))
    assert confirm.status_code == 200 and "Issue a new code" in confirm.get_data(as_text=True)
    assert client.post(student_url(klass, sid, "/resume-code")).status_code == 302
    assert submit(student, "demo-hedge", "after-reissue", spans=[MAY_HAVE]).status_code == 401
    old = app.test_client().post("/resume", data={"code": body["resume_code"]})
    assert old.status_code == 404
    with app.app_context():
        new_code = get_db()["students"].get(sid)["resume_code"]
    assert new_code != body["resume_code"].replace("-", "")
    assert app.test_client().post("/resume", data={"code": new_code}).status_code == 302


def test_rename_refuses_taken_and_bad_names(app, client, klass):
    ada = join_class(app.test_client(), klass["code"], "Ada")["student"]
    join_class(app.test_client(), klass["code"], "Alan")
    assert client.get(student_url(klass, ada["id"], "/rename")).status_code == 200
    taken = client.post(student_url(klass, ada["id"], "/rename"), data={"name": "alan"})
    assert taken.status_code == 409 and "merge them instead" in taken.get_data(as_text=True)
    bad = client.post(student_url(klass, ada["id"], "/rename"), data={"name": "\u202eevil"})
    assert bad.status_code == 400
    assert client.post(student_url(klass, ada["id"], "/rename"), data={"name": ""}).status_code == 400
    done = client.post(student_url(klass, ada["id"], "/rename"), data={"name": "Ada Lovelace"})
    assert done.status_code == 302
    assert "Ada Lovelace" in client.get(f"/teacher/classes/{klass['id']}").get_data(as_text=True)


def test_merge_combines_attempts_and_drafts_and_loses_nothing(app, client, klass):
    first, second = app.test_client(), app.test_client()
    ada = join_class(first, klass["code"], "Ada")
    again = second.post("/api/join", json={"code": klass["code"], "name": "Ada", "new_student": True}).get_json()
    submit(first, "demo-hedge", "same-id-123", spans=[MAY_HAVE])
    submit(second, "demo-hedge", "same-id-123", spans=[MAY_HAVE, LIKELY])
    submit(second, "demo-unsourced", "other-id-1", spans=[])
    keep, remove = ada["student"]["id"], again["student"]["id"]
    choose = client.get(student_url(klass, keep, "/merge"))
    assert choose.status_code == 200 and "Ada 2" in choose.get_data(as_text=True)
    confirm = client.get(student_url(klass, keep, f"/merge?other={remove}"))
    assert confirm.status_code == 200 and "2 attempts" in confirm.get_data(as_text=True)
    assert client.post(student_url(klass, keep, "/merge"), data={"other": remove}).status_code == 302
    with app.app_context():
        db = get_db()
        rows = list(db.query("select student_id from attempts"))
        assert len(rows) == 3 and {row["student_id"] for row in rows} == {keep}
        assert db["students"].count == 1
    # The removed entry's browser is signed out; the kept one works on.
    assert submit(second, "demo-hedge", "later-1234", spans=[MAY_HAVE]).status_code == 401
    assert submit(first, "demo-hedge", "later-1234", spans=[MAY_HAVE]).status_code == 200


@pytest.mark.parametrize("other", ["abc", "99999", "self"])
def test_merge_refuses_bad_choices(app, client, klass, other):
    ada = join_class(app.test_client(), klass["code"], "Ada")["student"]
    value = str(ada["id"]) if other == "self" else other
    response = client.post(student_url(klass, ada["id"], "/merge"), data={"other": value})
    assert response.status_code in (400, 404)
    assert client.post(student_url(klass, ada["id"], "/merge"), data={}).status_code == 400


def test_reset_one_exercise(app, client, klass):
    student = app.test_client()
    ada = join_class(student, klass["code"], "Ada")["student"]
    submit(student, "demo-hedge", "reset-me-1", spans=[MAY_HAVE])
    submit(student, "demo-unsourced", "keep-me-1", spans=[])
    confirm = client.get(student_url(klass, ada["id"], "/exercises/demo-hedge/reset"))
    assert confirm.status_code == 200 and "1 attempt" in confirm.get_data(as_text=True)
    assert client.post(student_url(klass, ada["id"], "/exercises/demo-hedge/reset")).status_code == 302
    with app.app_context():
        assert [row["exercise_id"] for row in get_db().query("select exercise_id from attempts")] == ["demo-unsourced"]
    assert client.get(student_url(klass, ada["id"], "/exercises/nope/reset")).status_code == 404


def test_delete_from_the_student_page(app, client, klass):
    ada = join_class(app.test_client(), klass["code"], "Ada")["student"]
    page = client.get(student_url(klass, ada["id"])).get_data(as_text=True)
    assert student_url(klass, ada["id"], "/delete") in page
    assert client.post(student_url(klass, ada["id"], "/delete")).status_code == 302
    assert client.get(student_url(klass, ada["id"])).status_code == 404


def test_another_teachers_student_pages_are_404(app, klass):
    from classroom_support import create_instructor, login

    ada = join_class(app.test_client(), klass["code"], "Ada")["student"]
    create_instructor(app, "other@example.org")
    other = app.test_client()
    login(other, "other@example.org")
    for tail in ("", "/rename", "/resume-code", "/merge", "/exercises/demo-hedge/reset", "/attempts/1"):
        assert other.get(student_url(klass, ada["id"], tail)).status_code == 404, tail
