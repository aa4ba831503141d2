"""The JSON API against its OpenAPI description: bugs the fuzzing found, each with its regression test."""

from __future__ import annotations

import pytest
from classroom_support import create_class, create_instructor


def join_a_class(app, client):
    """`client` joined to a class that has every built-in exercise, limited to 3 attempts."""
    teacher = create_instructor(app, "openapi-teacher@example.org")
    klass = create_class(app, teacher["id"], attempts_allowed=3)
    assert client.post("/api/join", json={"code": klass["code"], "name": "Fuzz"}).status_code == 200
    return client


@pytest.fixture
def student(app, client):
    return join_a_class(app, client)



# --- what the fuzzing found -----------------------------------------------------------------------


def test_a_submission_id_reused_for_another_exercise_is_a_conflict_not_a_server_error(app, student):
    first = student.post("/api/submissions", json={"exercise_id": "cz-pardon-quiz", "submission_id": "same-id-1",
                                                   "answers": {}})
    assert first.status_code == 200
    for exercise_id in ("cz-pardon-hedge", "cz-pardon-unsourced"):
        again = student.post("/api/submissions", json={"exercise_id": exercise_id, "submission_id": "same-id-1",
                                                       "spans": []})
        assert again.status_code == 409 and "another exercise" in again.get_json()["error"]
    repeat = student.post("/api/submissions", json={"exercise_id": "cz-pardon-quiz", "submission_id": "same-id-1",
                                                    "answers": {}})
    assert repeat.status_code == 200 and repeat.get_json()["attempt"] == first.get_json()["attempt"]


@pytest.mark.parametrize(("exercise_id", "body"), [
    ("cz-pardon-hedge", {"spans": [], "answers": {"x": [{}]}}),
    ("cz-pardon-quiz", {"answers": {}, "spans": [["not", "a span"]]}),
])
def test_a_body_with_another_kinds_answer_is_refused_not_half_read(client, student, exercise_id, body):
    assert client.post(f"/api/exercises/{exercise_id}/grade", json=body).status_code == 403  # a student
    anonymous = client.application.test_client()
    for response in (anonymous.post(f"/api/exercises/{exercise_id}/grade", json=body),
                     anonymous.put(f"/api/drafts/{exercise_id}", json=body),
                     student.post("/api/submissions", json={"exercise_id": exercise_id, "submission_id": "abcdefgh",
                                                            **body})):
        assert response.status_code == 400, response.get_json()
        assert "another kind of exercise" in response.get_json()["error"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("put", "/api/lessons", {"GET", "HEAD", "OPTIONS"}),
    ("delete", "/api/drafts/cz-pardon-hedge", {"GET", "HEAD", "OPTIONS", "PUT"}),
    ("post", "/my-work", {"GET", "HEAD", "OPTIONS"}),  # an HTML page: the same rule
])
def test_a_405_says_which_methods_are_allowed(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert {name.strip() for name in response.headers["Allow"].split(",")} == allowed
    assert response.is_json == path.startswith("/api/")
