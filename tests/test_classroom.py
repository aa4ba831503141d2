"""Students: joining a class, resuming, recording checks (idempotent), autosave, their own page."""

from __future__ import annotations

import io
import json
import re

import pytest
from classroom_support import (
    EVERYONE_SENTENCE,
    LIKELY,
    MAY_HAVE,
    OFFICIALS_SENTENCE,
    REPORTEDLY,
    TUESDAY,
    assign,
    join_class,
    submit,
    update_class,
)

from webapp.store.db import get_db


def attempt_rows(app, **where):
    with app.app_context():
        clause = " and ".join(f"{column} = ?" for column in where) or "1"
        return list(get_db().query(f"select * from attempts where {clause} order by id", list(where.values())))


# --- joining ------------------------------------------------------------------------------------


def test_api_join_answers_the_contract_and_sets_a_session(app, klass):
    student_client = app.test_client()
    body = join_class(student_client, klass["code"].lower(), "  Ada   L. ")
    assert body["student"]["name"] == "Ada L."
    assert body["class"] == {"code": klass["code"], "title": "Period 3"}
    assert len(body["resume_code"]) == 9 and body["resume_code"][4] == "-"
    assert student_client.get("/my-work").status_code == 200


@pytest.mark.parametrize("change, status", [({"open": 0}, 403), ({"code": "ZZZZZZZ"}, 404)])
def test_api_join_refuses_closed_or_unknown_codes_with_json(app, client, klass, change, status):
    update_class(app, klass["id"], **change)
    response = app.test_client().post("/api/join", json={"code": klass["code"], "name": "Ada"})
    assert response.status_code == status
    assert "error" in response.get_json()


@pytest.mark.parametrize("body", [{"code": "X"}, {"name": "Ada"}, [], {"code": 3, "name": ["x"]}])
def test_api_join_rejects_malformed_bodies_without_a_500(app, klass, body):
    response = app.test_client().post("/api/join", json=body)
    assert 400 <= response.status_code < 500
    assert "error" in response.get_json()


def test_api_join_rejects_blank_and_overlong_names(app, klass):
    client = app.test_client()
    assert client.post("/api/join", json={"code": klass["code"], "name": "   "}).status_code == 400
    assert client.post("/api/join", json={"code": klass["code"], "name": "x" * 41}).status_code == 400


def test_join_page_flow_without_javascript(app, klass):
    client = app.test_client()
    assert b"Class code" in client.get("/join").data
    response = client.post("/join", data={"code": klass["code"], "name": "Grace"})
    # The student lands on the class's first lesson, its teaching text before the exercises.
    assert response.status_code == 302 and response.location.endswith("/lessons/demo")
    lesson = client.get(response.location).get_data(as_text=True)
    assert "Welcome, Grace!" in lesson and "Read closely." in lesson
    page = client.get("/my-work").get_data(as_text=True)
    assert "Grace" in page and "Period 3" in page and "resume code" in page


def test_a_class_with_nothing_assigned_lands_on_my_work(app, klass):
    assign(app, klass["id"], [])
    response = app.test_client().post("/join", data={"code": klass["code"], "name": "Grace"})
    assert response.status_code == 302 and response.location.endswith("/my-work")


def test_a_teacher_trying_the_join_page_is_warned_and_then_loses_no_more_than_the_dashboard(client, klass):
    # `client` is the teacher's logged-in browser (the `instructor` fixture).
    page = client.get("/join").get_data(as_text=True)
    assert "You are logged in as the teacher teacher@example.org" in page and "private window" in page
    assert client.post("/join", data={"code": klass["code"], "name": "Demo"}).status_code == 302
    assert client.get("/teacher/").status_code == 302  # the student session has no teacher access
    assert "You are logged in as the teacher" not in client.get("/join").get_data(as_text=True)


def test_join_page_explains_a_wrong_code(app, klass):
    response = app.test_client().post("/join", data={"code": "NOPE234", "name": "Grace"})
    assert response.status_code == 404
    assert "No class has that code" in response.get_data(as_text=True)


def test_student_name_is_escaped(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "<script>alert(1)</script>")
    page = client.get("/my-work").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_nothing_but_the_name_is_stored(app, klass):
    join_class(app.test_client(), klass["code"], "Ada")
    with app.app_context():
        assert set(get_db()["students"].columns_dict) == {
            "id", "class_id", "name", "roster_entry_id", "resume_code", "session_token", "created_at"}


# --- rosters ------------------------------------------------------------------------------------


def test_with_a_roster_students_pick_their_name_once(app, client, klass):
    client.post(f"/teacher/classes/{klass['id']}/roster",
                data={"file": (io.BytesIO(b"name,id\nAda Lovelace,S-1\nAlan Turing,S-2\n"), "r.csv")})
    student = app.test_client()
    page = student.get(f"/join?code={klass['code']}").get_data(as_text=True)
    assert "Ada Lovelace" in page and "S-1" not in page  # roster ids are never shown to students
    first = student.post("/join", data={"code": klass["code"]})
    assert first.status_code == 302 and f"code={klass['code']}" in first.location
    ada_id = re.search(r'<option value="(\d+)">Ada Lovelace</option>', page).group(1)
    assert student.post("/join", data={"code": klass["code"], "roster_entry": ada_id}).status_code == 302
    again = app.test_client().post("/api/join", json={"code": klass["code"], "name": "ada lovelace"})
    assert again.status_code == 409 and "resume code" in again.get_json()["error"]
    stranger = app.test_client().post("/api/join", json={"code": klass["code"], "name": "Someone Else"})
    assert stranger.status_code == 404
    assert join_class(app.test_client(), klass["code"], "Alan Turing")["student"]["name"] == "Alan Turing"


# --- resuming -----------------------------------------------------------------------------------


def test_resume_code_continues_on_another_device(app, klass):
    first = app.test_client()
    body = join_class(first, klass["code"], "Ada")
    assert submit(first, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200
    other = app.test_client()
    response = other.post("/resume", data={"code": body["resume_code"].lower().replace("-", " ")})
    assert response.status_code == 302
    page = other.get("/my-work").get_data(as_text=True)
    assert "Ada" in page and "33%" in page


def test_wrong_resume_code_is_a_clear_404(app, klass):
    response = app.test_client().post("/resume", data={"code": "AAAA-AAAA"})
    assert response.status_code == 404 and "No student has that resume code" in response.get_data(as_text=True)


def test_empty_resume_code_is_a_400(app, klass):
    assert app.test_client().post("/resume", data={"code": ""}).status_code == 400


def test_signing_out_forgets_the_student_on_this_browser(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    assert client.post("/leave").status_code == 302
    assert client.get("/my-work").status_code == 302


# --- submissions --------------------------------------------------------------------------------


def test_submission_contract_and_solutions_setting(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    body = submit(client, "demo-hedge", "sub-00000001", spans=[MAY_HAVE, LIKELY, TUESDAY]).get_json()
    assert set(body) == {"attempt", "score", "points", "max_points", "found", "missed", "missed_count", "false_alarms",
                         "acceptable", "notes", "solution_visible"}
    assert (body["points"], body["max_points"], body["score"]) == (1, 3, 0.3333)
    # after-finishing (the default): the missed item is counted, not shown, until the student finishes.
    assert body["missed"] == [] and body["missed_count"] == 1 and not body["solution_visible"]
    assert client.post("/api/exercises/demo-hedge/finish").get_json() == {"solution_visible": True}
    refused = submit(client, "demo-hedge", "sub-00000002", spans=[REPORTEDLY])
    assert refused.status_code == 403 and "finished" in refused.get_json()["error"]
    again = submit(client, "demo-hedge", "sub-00000001", spans=[MAY_HAVE, LIKELY, TUESDAY]).get_json()
    assert [item["text"] for item in again["missed"]] == ["reportedly"]  # the same attempt, now with its solution


def test_a_repeated_submission_id_counts_once(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    first = submit(client, "demo-unsourced", "double-click-1", spans=[OFFICIALS_SENTENCE])
    second = submit(client, "demo-unsourced", "double-click-1", spans=[OFFICIALS_SENTENCE, EVERYONE_SENTENCE])
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    assert len(attempt_rows(app)) == 1


def test_the_same_submission_id_from_two_students_is_two_attempts(app, klass):
    for name in ("Ada", "Alan"):
        client = app.test_client()
        join_class(client, klass["code"], name)
        submit(client, "demo-hedge", "same-id-123", spans=[MAY_HAVE])
    assert len(attempt_rows(app)) == 2


def test_quiz_submissions_take_answers(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    body = submit(client, "demo-quiz", "quiz-0000001", answers={"source": ["a"], "hedges": ["a", "c"]}).get_json()
    assert (body["points"], body["max_points"]) == (1, 2)


def test_unassigned_exercise_is_403_and_records_nothing(app, klass):
    assign(app, klass["id"], ["demo-hedge"])
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    response = submit(client, "demo-unsourced", "sub-00000001", spans=[OFFICIALS_SENTENCE])
    assert response.status_code == 403 and "not assigned" in response.get_json()["error"]
    assert attempt_rows(app) == []


def test_attempts_allowed_is_enforced_but_a_retry_of_the_same_id_is_not_a_new_attempt(app, klass):
    update_class(app, klass["id"], attempts_allowed=1)
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    assert submit(client, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200
    assert submit(client, "demo-hedge", "sub-00000001", spans=[MAY_HAVE]).status_code == 200
    refused = submit(client, "demo-hedge", "sub-00000002", spans=[MAY_HAVE])
    assert refused.status_code == 403 and "used all 1 attempts" in refused.get_json()["error"]


@pytest.mark.parametrize("body, status", [
    ({"exercise_id": "demo-hedge", "submission_id": "short", "spans": []}, 400),
    ({"exercise_id": "demo-hedge", "submission_id": "sub-00000001", "spans": [[5, 2]]}, 400),
    ({"exercise_id": "demo-hedge", "submission_id": "sub-00000001", "spans": "all"}, 400),
    ({"exercise_id": "demo-quiz", "submission_id": "sub-00000001", "answers": {"nope": [0]}}, 400),
    ({"exercise_id": ["demo-hedge"], "submission_id": "sub-00000001", "spans": []}, 400),
    ({"exercise_id": "no-such-exercise", "submission_id": "sub-00000001", "spans": []}, 404),
])
def test_bad_submissions_are_4xx_with_a_message(app, klass, body, status):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    response = client.post("/api/submissions", json=body)
    assert response.status_code == status and response.get_json()["error"]


def test_submissions_need_a_student_session(app, klass):
    response = submit(app.test_client(), "demo-hedge", "sub-00000001", spans=[MAY_HAVE])
    assert response.status_code == 401 and "Join a class" in response.get_json()["error"]


def test_spans_are_stored_snapped_to_units(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Ada")
    submit(client, "demo-hedge", "sub-00000001", spans=[[31, 36]])  # inside "may" and "have"
    assert json.loads(attempt_rows(app)[0]["answer"]) == [[30, 33], [34, 38]]


# --- autosave -----------------------------------------------------------------------------------


def test_student_drafts_are_autosaved_and_restored(app, klass):
    client = app.test_client()
    student_id = join_class(client, klass["code"], "Ada")["student"]["id"]
    assert client.put("/api/drafts/demo-hedge", json={"spans": [MAY_HAVE, [99, 101]]}).status_code == 204
    assert client.get("/api/drafts/demo-hedge").get_json() == {"spans": [[30, 33], [34, 38], LIKELY]}
    with app.app_context():
        assert get_db()["drafts"].count_where("student_id = ?", [student_id]) == 1
    # After a crash the student resumes elsewhere: the exercise page comes back with the marks on.
    other = app.test_client()
    with app.app_context():
        code = get_db()["students"].get(student_id)["resume_code"]
    other.post("/resume", data={"code": code})
    page = other.get("/exercises/demo-hedge").get_data(as_text=True)
    assert "[[30,33],[34,38],[98,104]]" in page


def test_drafts_are_per_student(app, klass):
    ada, alan = app.test_client(), app.test_client()
    join_class(ada, klass["code"], "Ada")
    join_class(alan, klass["code"], "Alan")
    ada.put("/api/drafts/demo-hedge", json={"spans": [MAY_HAVE]})
    assert alan.get("/api/drafts/demo-hedge").get_json() == {"spans": []}


def test_a_deleted_student_loses_the_session_and_the_drafts(app, client, klass):
    student = app.test_client()
    student_id = join_class(student, klass["code"], "Ada")["student"]["id"]
    student.put("/api/drafts/demo-hedge", json={"spans": [MAY_HAVE]})
    submit(student, "demo-hedge", "sub-00000001", spans=[MAY_HAVE])
    client.post(f"/teacher/classes/{klass['id']}/students/{student_id}/delete")
    with app.app_context():
        db = get_db()
        assert db["drafts"].count == 0 and db["attempts"].count == 0 and db["students"].count == 0
    assert student.get("/my-work").status_code == 302
    assert submit(student, "demo-hedge", "sub-00000002", spans=[MAY_HAVE]).status_code == 401


# --- my work ------------------------------------------------------------------------------------


def test_my_work_lists_only_my_attempts_with_the_counting_score(app, klass):
    ada, alan = app.test_client(), app.test_client()
    join_class(ada, klass["code"], "Ada")
    join_class(alan, klass["code"], "Alan")
    submit(ada, "demo-hedge", "sub-00000001", spans=[MAY_HAVE, LIKELY, REPORTEDLY])
    submit(ada, "demo-hedge", "sub-00000002", spans=[MAY_HAVE])
    submit(alan, "demo-unsourced", "sub-00000003", spans=[OFFICIALS_SENTENCE])
    page = ada.get("/my-work").get_data(as_text=True)
    assert page.count("/attempts/") == 2 and "100%" in page
    assert "Unsourced claims</a>: " not in page


def test_the_printed_feedback_names_the_student_and_the_class(app, klass):
    client = app.test_client()
    join_class(client, klass["code"], "Grace")
    attempt = submit(client, "demo-hedge", "print-me-1", spans=[MAY_HAVE]).get_json()["attempt"]
    page = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    assert '<span class="muted">(Grace, Period 3)</span>' in page
