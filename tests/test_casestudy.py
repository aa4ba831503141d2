"""A teacher creates, validates and assigns a new case study without editing files;
the answer-key assistant behind it is reachable by API and CLI."""

from __future__ import annotations

import io
import re

import yaml

ARTICLE = """School Gardens Are Growing

Reports suggest that school gardens may have improved lunch choices across the county.
The county health department published a survey on 3 March 2025 covering 40 schools.
Our research suggests the gardens are the best idea in a decade.
At Garden News, we are the definitive resource for everything about school gardens.
"""


def start(client, text=ARTICLE, title="School gardens"):
    return client.post("/teacher/case-studies/new", data={"title": title, "text": text})


def review_fields(page: str) -> dict:
    """The review form as a browser would submit it, from the rendered HTML."""
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields[name] = value
    for name in re.findall(r'<input[^>]*name="([^"]+)"(?![^>]*value=)[^>]*>', page):
        fields.setdefault(name, "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = body.removeprefix("\r\n").removeprefix("\n")  # the parser drops the first line break
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        first = re.search(r'<option[^>]*value="([^"]*)"', body).group(1)  # what a browser sends by default
        fields[name] = next(g for g in selected.groups() if g is not None) if selected else first
    import html

    return {k: html.unescape(v) for k, v in fields.items()}


def test_new_case_study_requires_login(client):
    response = client.get("/teacher/case-studies/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/teacher/case-studies/save", data={}).status_code == 302


def test_teacher_creates_validates_and_assigns_a_case_study(app, client, instructor):
    page = start(client).get_data(as_text=True)
    assert "<mark" in page and "Reports suggest" in page  # suggestions are highlighted in context
    fields = review_fields(page)
    kinds = {k: v for k, v in fields.items() if k.endswith("-kind")}
    assert set(kinds.values()) >= {"hedge", "unsourced", "seo_filler"}
    # Adjust: make the first suggestion acceptable with the teacher's own explanation.
    fields["items-0-status"] = "acceptable"
    fields["items-0-explanation"] = "A judgement call: discuss it in class."
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    assert slug.startswith("school-gardens")

    lessons = client.get("/api/lessons").get_json()["lessons"]
    created = next(lesson for lesson in lessons if lesson["slug"] == slug)
    assert {e["kind"] for e in created["exercises"]} == {"hedge", "unsourced", "seo_filler"}
    hedge_id = next(e["id"] for e in created["exercises"] if e["kind"] == "hedge")
    assert client.get(f"/exercises/{hedge_id}").status_code == 200
    exercise = client.get(f"/api/exercises/{hedge_id}").get_json()
    assert exercise["text"].startswith("School Gardens Are Growing")

    # It can be assigned to a class like the built-in lesson.
    from webapp.store.db import get_db
    from webapp.web.catalog import get_catalog
    from webapp.web.classroom import assigned_exercises, create_class

    with app.test_request_context():
        klass = create_class(get_db(), instructor["id"], "Period 1")
    settings = client.get(f"/teacher/classes/{klass['id']}/settings").get_data(as_text=True)
    assert f'value="{hedge_id}"' in settings  # offered on the class's settings page
    response = client.post(f"/teacher/classes/{klass['id']}/settings", data={
        "title": "Period 1", "open": "y", "counting": "best", "solutions": "after-finishing", "exercises": [hedge_id]})
    assert response.status_code == 302
    with app.test_request_context():
        klass = get_db()["classes"].get(klass["id"])
        assert [e.id for e in assigned_exercises(get_db(), klass)] == [hedge_id]
        assert get_catalog().lessons[slug].owner_id == instructor["id"]


def test_a_key_that_does_not_validate_is_shown_with_its_problems(client, instructor):
    fields = review_fields(start(client).get_data(as_text=True))
    fields["items-0-text"] = "words that are not in the article"
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 422
    assert "text not found in the article" in response.get_data(as_text=True)


def test_rejecting_everything_is_refused_with_a_message(client, instructor):
    fields = review_fields(start(client).get_data(as_text=True))
    for name in [k for k in fields if k.endswith("-status")]:
        fields[name] = "reject"
    response = client.post("/teacher/case-studies/save", data=fields)
    assert response.status_code == 422 and "exercises" in response.get_data(as_text=True)


def test_upload_of_a_cp1252_text_file(client, instructor):
    data = {"title": "Café gardens", "upload": (io.BytesIO("Café news\n\nIt may rain.".encode("cp1252")), "a.txt")}
    response = client.post("/teacher/case-studies/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "Café news" in response.get_data(as_text=True)


def test_empty_or_wrong_uploads_are_refused(client, instructor):
    assert start(client, text="   ").status_code == 422
    data = {"title": "x", "upload": (io.BytesIO(b"x"), "a.pdf")}
    response = client.post("/teacher/case-studies/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and ".txt or .md" in response.get_data(as_text=True)


def test_api_analyze_returns_spans_with_kinds_and_reasons(client):
    response = client.post("/api/analyze", json={"text": ARTICLE})
    spans = response.get_json()["spans"]
    assert response.status_code == 200
    assert {"start", "end", "kind", "reason"} == set(spans[0])
    canonical = ARTICLE.strip()
    hedges = [canonical[s["start"]:s["end"]] for s in spans if s["kind"] == "hedge"]
    assert "may have" in hedges
    assert any(canonical[s["start"]:s["end"]].startswith("At Garden News") for s in spans if s["kind"] == "seo_filler")


def test_api_analyze_limits(client):
    assert client.post("/api/analyze", json={"text": "x" * 200_001}).status_code == 413
    assert client.post("/api/analyze", json={"text": 5}).status_code == 400
    assert client.post("/api/analyze", json={"text": ""}).get_json() == {"spans": []}


def test_suggest_command_writes_a_draft_key_that_validates(runner, tmp_path):
    article = tmp_path / "gardens.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "key.yaml"
    result = runner.invoke(args=["suggest", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    key = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [e["id"] for e in key["exercises"]] == ["gardens-hedge", "gardens-unsourced", "gardens-filler"]

    from pathlib import Path

    from webapp.domain.content import ArticleStore, parse_quiz_file

    store = ArticleStore(Path("/"), extra={key["article"]: ARTICLE})
    assert parse_quiz_file(out.read_text(encoding="utf-8"), "key.yaml", store)


def test_suggest_command_errors(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  ")
    assert runner.invoke(args=["suggest", str(empty)]).exit_code == 1
    assert runner.invoke(args=["suggest", str(tmp_path / "missing.txt")]).exit_code == 2


def test_another_teachers_case_study_is_not_open_to_my_class(app, client, instructor):
    """A class with everything assigned still only sees its own teacher's case studies."""
    from classroom_support import create_class, create_instructor, join_class, login

    fields = review_fields(start(client).get_data(as_text=True))
    slug = client.post("/teacher/case-studies/save", data=fields).headers["Location"].rsplit("/", 1)[-1]
    hedge_id = f"{slug}-hedge"

    other = create_instructor(app, "other@example.org")
    their_class = create_class(app, other["id"], "Elsewhere")
    student = app.test_client()
    join_class(student, their_class["code"], "Sam")
    # Not theirs to see: as if it did not exist.
    assert student.get(f"/exercises/{hedge_id}").status_code == 404
    assert student.put(f"/api/drafts/{hedge_id}", json={"spans": []}).status_code == 404
    assert slug.encode() not in student.get("/").data
    assert student.get("/exercises/cz-pardon-hedge").status_code == 200  # built-in lessons stay open

    mine = create_class(app, instructor["id"], "Mine", exercise_ids=[hedge_id, "cz-pardon-hedge"])
    my_student = app.test_client()
    join_class(my_student, mine["code"], "Ria")
    assert my_student.get(f"/exercises/{hedge_id}").status_code == 200
    assert slug.encode() in my_student.get("/").data
    other_teacher = app.test_client()
    login(other_teacher, "other@example.org")
    assert slug.encode() not in other_teacher.get("/").data
