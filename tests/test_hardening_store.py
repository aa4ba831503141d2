"""Hardening of the store and the flows over it: a database that cannot take writes, retention,
the exact login lockout, teacher notes that stay the teacher's, and answers that cost little."""

from __future__ import annotations

import threading

import pytest
from classroom_support import PASSWORD, create_class, create_instructor, join_class, submit
from test_casestudy import review_fields, start

from webapp.store.db import get_db


def test_a_read_only_database_still_reads_and_refuses_writes_with_a_503(app, client, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    student = app.test_client()
    join_class(student, klass["code"], "Ada")
    assert submit(student, "demo-hedge", "before-0001", spans=[[30, 38]]).status_code == 200
    import webapp.store.db as module

    original = module.connect
    try:
        module.connect = lambda path: _read_only(original, path)
        module._thread = threading.local()
        assert client.get(f"/teacher/classes/{klass['id']}").status_code == 200  # the dashboard reads
        assert client.get(f"/teacher/classes/{klass['id']}/export/csv").status_code == 200
        refused = submit(student, "demo-hedge", "during-0001", spans=[[30, 38]])
        assert refused.status_code == 503 and "cannot save" in refused.get_json()["error"]
        page = student.post("/exercises/demo-hedge/check", data={"spans": "[[30, 38]]", "submission_id": "form-0001"})
        assert page.status_code == 503 and b"Nothing was half-saved" in page.data
    finally:
        module.connect = original
        module._thread = threading.local()
    with app.app_context():
        assert get_db()["attempts"].count == 1  # nothing half-written


def _read_only(connect, path):
    database = connect(path)
    database.execute("PRAGMA query_only = ON")  # the same refusal SQLite gives a read-only file
    return database


def test_prune_deletes_old_practice_data_and_keeps_class_work(app, runner, instructor, demo_content):
    klass = create_class(app, instructor["id"])
    student, visitor = app.test_client(), app.test_client()
    join_class(student, klass["code"], "Ada")
    submit(student, "demo-hedge", "class-0001", spans=[[30, 38]])
    visitor.post("/api/exercises/demo-hedge/grade", json={"spans": [[30, 38]]})
    visitor.put("/api/drafts/demo-hedge", json={"spans": [[30, 38]]})
    with app.app_context():
        db = get_db()
        db.execute("update attempts set created_at = '2020-01-01' where practice_session is not null")
        db.execute("update drafts set updated_at = '2020-01-01' where practice_session is not null")
        db.conn.commit()
    result = runner.invoke(args=["prune", "--older-than", "30"])
    assert result.exit_code == 0 and "Pruned 1 practice attempts, 1 drafts" in result.output
    with app.app_context():
        assert [row["student_id"] is not None for row in get_db()["attempts"].rows] == [True]
    assert runner.invoke(args=["prune", "--older-than", "0"]).exit_code == 2
    assert runner.invoke(args=["prune"]).exit_code == 2


def test_simultaneous_wrong_passwords_get_exactly_the_limit(app):
    create_instructor(app, "t@example.org")
    clients = [app.test_client() for _ in range(8)]
    barrier, statuses = threading.Barrier(8), []

    def guess(client):
        barrier.wait()
        statuses.append(client.post("/auth/login", data={"email": "t@example.org", "password": "wrong guess 1"})
                        .status_code)

    threads = [threading.Thread(target=guess, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 3
    locked = app.test_client().post("/auth/login", data={"email": "t@example.org", "password": PASSWORD})
    assert locked.status_code == 429  # the right password waits out the lockout too, from an unknown browser


def test_a_heading_in_teacher_notes_does_not_reach_students(client, instructor):
    fields = review_fields(start(client).get_data(as_text=True))
    fields["teacher_notes"] = "Watch the second paragraph.\n## Answers\nThe hedge is in line 3."
    slug = client.post("/teacher/case-studies/save", data=fields).headers["Location"].rsplit("/", 1)[-1]
    page = client.get(f"/lessons/{slug}").get_data(as_text=True)
    assert page.count("The hedge is in line 3.") == 1 and "shown to instructors only" in page
    client.post("/auth/logout")


def test_a_case_study_titled_transfer_gets_ids_of_its_own(client, instructor):
    fields = review_fields(start(client, title="Transfer").get_data(as_text=True))
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    assert slug != "transfer"  # "transfer-hedge" is the built-in lesson's exercise
    assert client.get(f"/lessons/{slug}").status_code == 200
    assert client.get("/exercises/transfer-hedge").status_code == 200


def test_the_costliest_accepted_answer_is_snapped_in_one_pass(hedge):
    """Thousands of overlapping whole-text spans (the most a learner may send) are merged before
    snapping, so the answer marks every word without visiting every word per span (bench/feedback.py
    times it); one span more than there are words is refused."""
    whole = [[0, len(hedge.article.text)]] * len(hedge.article.words)
    answer = hedge.plugin.parse_answer(hedge, {"spans": whole})
    assert len(answer) == len(hedge.article.words)
    too_many = whole + [[0, 1]]
    with pytest.raises(ValueError, match="too many spans"):
        hedge.plugin.parse_answer(hedge, {"spans": too_many})
