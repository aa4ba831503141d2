"""The JSON API contract that other tools rely on."""

from __future__ import annotations

import pytest


def test_lessons_lists_exercises_with_kind_unit_and_page_url(client):
    data = client.get("/api/lessons").get_json()
    lesson = next(item for item in data["lessons"] if item["slug"] == "cz-pardon")
    case_study = {e["id"]: e for e in lesson["exercises"]}
    assert case_study["cz-pardon-hedge"]["kind"] == "hedge"
    assert case_study["cz-pardon-hedge"]["unit"] == "word"
    assert case_study["cz-pardon-unsourced"] == {
        "id": "cz-pardon-unsourced", "kind": "unsourced", "unit": "sentence",
        "title": case_study["cz-pardon-unsourced"]["title"], "url": "/exercises/cz-pardon-unsourced",
    }
    assert case_study["cz-pardon-filler"]["kind"] == "seo_filler"
    assert {e["kind"] for e in lesson["exercises"]} <= {"hedge", "unsourced", "seo_filler"}
    for exercise in lesson["exercises"]:
        assert client.get(exercise["url"]).status_code == 200


def test_exercise_has_canonical_text_and_unit_offsets(client):
    data = client.get("/api/exercises/cz-pardon-unsourced").get_json()
    assert {"id", "kind", "unit", "instructions", "text", "units"} <= set(data)
    text = data["text"]
    assert text.startswith("Changpeng Zhao’s Pardon Pursuit")
    assert [u["id"] for u in data["units"][:3]] == ["s0", "s1", "s2"]
    assert text[data["units"][0]["start"]:data["units"][0]["end"]].endswith("Trump’s Clemency")
    assert all(0 <= u["start"] < u["end"] <= len(text) for u in data["units"])


def test_unknown_exercise_is_a_json_404(client):
    response = client.get("/api/exercises/no-such-thing")
    assert response.status_code == 404 and "error" in response.get_json()
    response = client.post("/api/exercises/no-such-thing/grade", json={"spans": []})
    assert response.status_code == 404 and "error" in response.get_json()


def test_csrf_token_endpoint(client):
    assert client.get("/api/csrf-token").get_json()["csrf_token"]


def test_grade_returns_score_and_explained_items(client, hedge):
    item = next(i for i in hedge.items if i.required)
    response = client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": [[item.start, item.end]]})
    data = response.get_json()
    assert response.status_code == 200
    assert data["points"] == 1 and data["max_points"] == hedge.max_points
    assert data["score"] == pytest.approx(1 / hedge.max_points, abs=1e-4)
    assert data["found"] == [{"start": item.start, "end": item.end, "text": item.text,
                              "explanation": item.explanation}]
    # Practice follows the default solution policy: the missed items only after finishing.
    assert data["missed"] == [] and data["missed_count"] == hedge.max_points - 1 and data["false_alarms"] == []
    assert data["solution_visible"] is False
    assert client.post("/api/exercises/cz-pardon-hedge/finish").get_json() == {"solution_visible": True}
    assert client.post("/api/exercises/cz-pardon-hedge/grade", json={"spans": []}).status_code == 403


def test_grade_records_a_practice_attempt(app, client):
    client.post("/api/exercises/cz-pardon-filler/grade", json={"spans": [[0, 5]]})
    with app.app_context():
        from webapp.store.db import get_db

        rows = list(get_db()["attempts"].rows)
    assert len(rows) == 1
    assert rows[0]["exercise_id"] == "cz-pardon-filler" and rows[0]["practice_session"]
    assert rows[0]["student_id"] is None and rows[0]["created_at"]


@pytest.mark.parametrize("body", [
    {"spans": "0-5"}, {"spans": [[0]]}, {"spans": [[5, 2]]}, {"spans": [[-1, 2]]},
    {"spans": [[0, 10**7]]}, {"spans": [["a", "b"]]}, {"spans": [[0, 1]] * 3000}, {}, [],
])
def test_malformed_answers_are_400_with_a_message(client, body):
    response = client.post("/api/exercises/cz-pardon-unsourced/grade", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]


NESTED_TOO_DEEP = '{"spans": ' + "[" * 5000 + "]" * 5000 + "}"


@pytest.mark.parametrize("path", ["/api/exercises/cz-pardon-hedge/grade", "/api/join", "/api/analyze"])
@pytest.mark.parametrize("data", ["{not json", "NaN", "[" * 100_000, NESTED_TOO_DEEP, b"\xff\xfe"])
def test_invalid_json_is_400(client, path, data):
    # Deep nesting once overflowed the JSON parser's stack: a RecursionError, a 500.
    response = client.post(path, data=data, content_type="application/json")
    assert response.status_code == 400 and "not valid JSON" in response.get_json()["error"]


def test_a_body_without_the_json_content_type_is_400_saying_so(client):
    response = client.post("/api/exercises/cz-pardon-hedge/grade", data='{"spans": []}', content_type="text/plain")
    assert response.status_code == 400 and "Content-Type: application/json" in response.get_json()["error"]


def test_too_large_body_is_413(client):
    response = client.post("/api/exercises/cz-pardon-hedge/grade", data="x" * (3 * 1024 * 1024),
                           content_type="application/json")
    assert response.status_code == 413 and "error" in response.get_json()


def test_quiz_is_graded_through_the_same_endpoint(client, catalog):
    quiz = catalog.exercises["cz-pardon-quiz"]
    answers = {q.id: [o.id for o in q.options if o.correct] for q in quiz.questions}
    response = client.post("/api/exercises/cz-pardon-quiz/grade", json={"answers": answers})
    assert response.get_json()["score"] == 1.0
    bad = client.post("/api/exercises/cz-pardon-quiz/grade", json={"answers": {"nope": [0]}})
    assert bad.status_code == 400


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok"


def test_draft_roundtrip_snaps_to_units(client, hedge):
    word = hedge.article.words[10]
    response = client.put("/api/drafts/cz-pardon-hedge", json={"spans": [[word.start + 1, word.start + 2]]})
    assert response.status_code == 204
    assert client.get("/api/drafts/cz-pardon-hedge").get_json() == {"spans": [[word.start, word.end]]}
    assert client.put("/api/drafts/cz-pardon-hedge", json={"spans": [[3, 1]]}).status_code == 400
