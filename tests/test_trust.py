"""What a teacher must be able to trust: attempt limits under concurrency, identities that die with
their owner, teachers' case studies private, and no key item shown before its time."""

from __future__ import annotations

import html
import threading

import pytest
from classroom_support import (
    DEMO_ARTICLE,
    DEMO_KEY,
    DEMO_LESSON,
    MAY_HAVE,
    create_class,
    create_instructor,
    join_class,
    login,
    submit,
    without_tokens,
)

from webapp.domain.authoring import article_path
from webapp.store import case_studies
from webapp.store.db import get_db
from webapp.web.catalog import forget_stored_lessons

# --- attempt limits --------------------------------------------------------------------------------


def test_ten_simultaneous_checks_against_a_limit_of_one_record_exactly_one(app, instructor, demo_content):
    klass = create_class(app, instructor["id"], attempts_allowed=1)
    first = app.test_client()
    join_class(first, klass["code"], "Ada")
    cookie = first.get_cookie("session").value
    clients = []
    for _ in range(10):
        client = app.test_client()
        client.set_cookie("session", cookie)
        clients.append(client)
    barrier, statuses = threading.Barrier(10), []

    def check(client, number):
        barrier.wait()
        statuses.append(submit(client, "demo-hedge", f"race-{number:05d}", spans=[MAY_HAVE]).status_code)

    threads = [threading.Thread(target=check, args=(client, n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [403] * 9
    with app.app_context():
        assert get_db()["attempts"].count == 1


def test_the_page_counts_attempts_and_offers_next_when_they_are_used_up(app, instructor, demo_content):
    klass = create_class(app, instructor["id"], attempts_allowed=2)
    student = app.test_client()
    join_class(student, klass["code"], "Ada")
    assert "Attempt 1 of 2." in student.get("/exercises/demo-hedge").get_data(as_text=True)
    submit(student, "demo-hedge", "limit-00001", spans=[MAY_HAVE])
    assert "Attempt 2 of 2." in student.get("/exercises/demo-hedge").get_data(as_text=True)
    body = submit(student, "demo-hedge", "limit-00002", spans=[MAY_HAVE]).get_json()
    assert body["solution_visible"] is True  # the last attempt opens the solution
    page = student.get(f"/attempts/{body['attempt']}").get_data(as_text=True)
    assert ">Retry<" not in page and "Next: Unsourced claims" in page and "Show the solution" in page
    assert "You have used all 2 attempts" in student.get("/exercises/demo-hedge").get_data(as_text=True)


# --- identity --------------------------------------------------------------------------------------


def test_a_deleted_students_cookie_opens_nobody_elses_work(app, client, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    ada = app.test_client()
    ada_id = join_class(ada, klass["code"], "Ada")["student"]["id"]
    submit(ada, "demo-hedge", "ada-0000001", spans=[MAY_HAVE])
    stolen = ada.get_cookie("session").value
    client.post(f"/teacher/classes/{klass['id']}/students/{ada_id}/delete")
    other_class = create_class(app, instructor["id"], "Period 4")
    bea = app.test_client()
    bea_id = join_class(bea, other_class["code"], "Bea")["student"]["id"]
    assert bea_id != ada_id  # ids are never reused
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/my-work").status_code == 302  # back to joining: the cookie names no one
    assert "Bea" not in replay.get("/my-work", follow_redirects=True).get_data(as_text=True)
    assert replay.post("/api/submissions", json={"exercise_id": "demo-hedge", "submission_id": "replay-001",
                                                 "spans": []}).status_code == 401


def test_deleting_a_class_ends_its_students_sessions(app, client, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    ada = app.test_client()
    join_class(ada, klass["code"], "Ada")
    client.post(f"/teacher/classes/{klass['id']}/delete")
    assert ada.get("/my-work").status_code == 302


def test_signing_out_ends_every_cookie_of_the_student(app, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    ada = app.test_client()
    join_class(ada, klass["code"], "Ada")
    copy = app.test_client()
    copy.set_cookie("session", ada.get_cookie("session").value)
    ada.post("/leave")
    assert copy.get("/my-work").status_code == 302


def test_a_teachers_cookie_captured_before_logout_opens_nothing_after(app, client, instructor):
    captured = app.test_client()
    captured.set_cookie("session", client.get_cookie("session").value)
    assert captured.get("/teacher/").status_code == 200
    client.post("/auth/logout")
    assert captured.get("/teacher/").status_code == 302
    assert login(client, instructor["email"]).status_code == 302  # logging in again works
    assert captured.get("/teacher/").status_code == 302  # and the old cookie stays dead


# --- teachers' case studies are private ------------------------------------------------------------


@pytest.fixture
def privacy(app, demo_content):
    """Teacher Ona's case study "ona", assigned to her class (student Sam); Theo's class (student Tia)."""
    ona, theo = create_instructor(app, "ona@example.org"), create_instructor(app, "theo@example.org")
    with app.test_request_context():
        case_studies.add_case_study(
            get_db(), slug="ona", title="Ona's study", instructor_id=ona["id"], article=DEMO_ARTICLE,
            key_yaml=DEMO_KEY.replace("seeds/bus.txt", article_path("ona")).replace("demo-", "ona-"),
            lesson_md=DEMO_LESSON.replace("slug: demo", "slug: ona").replace("demo-", "ona-")
            + "\n## Teacher notes\n\nThe private judgement calls of Ona.\n")
        forget_stored_lessons()
    ona_class = create_class(app, ona["id"], "Ona's class", exercise_ids=["ona-hedge", "ona-quiz"])
    theo_class = create_class(app, theo["id"], "Theo's class")
    users = {"anonymous": app.test_client(), "owner": app.test_client(), "another teacher": app.test_client(),
             "assigned student": app.test_client(), "student of another class": app.test_client()}
    login(users["owner"], "ona@example.org")
    login(users["another teacher"], "theo@example.org")
    join_class(users["assigned student"], ona_class["code"], "Sam")
    join_class(users["student of another class"], theo_class["code"], "Tia")
    return users


PRIVATE_URLS = ["/lessons/ona", "/lessons/ona/summary", "/exercises/ona-hedge", "/exercises/ona-hedge/form",
                "/exercises/ona-hedge/solution", "/exercises/ona-quiz", "/exercises/ona-quiz/solution",
                "/api/exercises/ona-hedge", "/api/exercises/ona-quiz", "/api/drafts/ona-hedge"]


@pytest.mark.parametrize("user", ["anonymous", "another teacher", "student of another class"])
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_case_study_is_not_there_for_anyone_else(privacy, user, url):
    response = privacy[user].get(url)
    assert response.status_code == 404
    page = without_tokens(response.data)
    assert "Ona" not in page and "may have" not in page


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_the_owner_and_the_assigned_student_may_open_it(privacy, url):
    assert privacy["owner"].get(url).status_code in (200, 302)  # the no-JS form of a quiz redirects
    # A teacher previewing their own case study sees its solutions at once.
    expected = 403 if url.endswith("/solution") else (200, 302)  # the solution waits for finishing
    assert privacy["assigned student"].get(url).status_code in (expected if isinstance(expected, tuple)
                                                               else (expected,))


@pytest.mark.parametrize("user", ["anonymous", "another teacher", "student of another class", "owner",
                                  "assigned student"])
def test_lesson_lists_and_teacher_notes(privacy, user):
    listed = [lesson["slug"] for lesson in privacy[user].get("/api/lessons").get_json()["lessons"]]
    assert ("ona" in listed) == (user in ("owner", "assigned student"))
    assert (b"/lessons/ona" in privacy[user].get("/").data) == (user in ("owner", "assigned student"))
    notes = b"The private judgement calls of Ona" in privacy[user].get("/lessons/ona").data
    assert notes == (user == "owner")


# --- nothing of the key before its time ------------------------------------------------------------


def test_no_response_reveals_a_key_item_the_student_did_not_find(app, catalog, instructor):
    """A class student, before finishing: every request they can make, including signing out and
    back in and the practice endpoint, shows no explanation of a required item they missed."""
    klass = create_class(app, instructor["id"])
    student = app.test_client()
    resume_code = join_class(student, klass["code"], "Ada")["resume_code"]
    hedge, quiz = catalog.exercises["cz-pardon-hedge"], catalog.exercises["cz-pardon-quiz"]
    found = next(item for item in hedge.required_items)
    secrets = {item.explanation for item in hedge.items if item is not found}
    secrets |= {option.explanation for question in quiz.questions for option in question.options if option.correct}
    bodies = []

    def collect(response):
        bodies.append(html.unescape(response.get_data(as_text=True)))
        return response

    def visit_everything(client):
        for exercise in (hedge, quiz):
            for path in ("", "/form", "/solution"):
                collect(client.get(f"/exercises/{exercise.id}{path}"))
            collect(client.get(f"/api/exercises/{exercise.id}"))
            collect(client.get(f"/api/drafts/{exercise.id}"))
        collect(client.get("/my-work"))
        collect(client.get("/lessons/cz-pardon"))
        collect(client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": []}))

    visit_everything(student)
    checked = collect(submit(student, hedge.id, "leak-000001", spans=[[found.start, found.end]]))
    collect(student.get(f"/attempts/{checked.get_json()['attempt']}"))
    wrong = {q.id: [next(o.id for o in q.options if not o.correct)] for q in quiz.questions}
    quiz_check = collect(submit(student, quiz.id, "leak-000002", answers=wrong))
    collect(student.get(f"/attempts/{quiz_check.get_json()['attempt']}"))
    form_check = student.post(f"/exercises/{hedge.id}/check",
                              data={"spans": f"[[{found.start}, {found.end}]]", "submission_id": "leak-000003"})
    collect(student.get(form_check.headers["Location"]))
    visit_everything(student)
    collect(student.post("/leave"))
    visit_everything(student)  # signed out: an anonymous practice browser, which has not finished either
    student.post("/resume", data={"code": resume_code})
    visit_everything(student)
    for body in bodies:
        assert not [secret for secret in secrets if secret in body]
        assert "m-missed" not in body and '"correct"' not in body
    assert found.explanation in "".join(bodies)  # what they found is explained
