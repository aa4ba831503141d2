"""The JSON API: the same grading core as the HTML pages, for other tools and the browser."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, jsonify, request, url_for
from flask_wtf.csrf import generate_csrf

from ..domain.analysis import suggest
from ..domain.authoring import MAX_ARTICLE_CHARS
from ..domain.grading import AnswerError, grade, parse_quiz_answers, parse_spans, snap, unit_spans
from ..store import records
from ..store.db import get_db
from .catalog import get_catalog, get_exercise
from .learners import current_learner, practice_token
from .security import per_session

bp = Blueprint("api", __name__, url_prefix="/api")


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        abort(400, "Expected a JSON body (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Expected a JSON object; the body is not one (or is not valid JSON).")
    return data


def exercise_summary(exercise) -> dict:
    return {
        "id": exercise.id, "kind": exercise.kind, "unit": exercise.unit, "title": exercise.title,
        "url": url_for("learn.exercise", exercise_id=exercise.id),
    }


@bp.get("/lessons")
def lessons():
    return jsonify(lessons=[
        {
            "slug": lesson.slug, "title": lesson.title,
            "url": url_for("learn.lesson", slug=lesson.slug),
            "exercises": [exercise_summary(ex) for ex in lesson.exercises if ex.kind != "quiz"],
            "quizzes": [exercise_summary(ex) for ex in lesson.exercises if ex.kind == "quiz"],
        }
        for lesson in get_catalog().lessons.values()
    ])


@bp.get("/exercises/<exercise_id>")
def exercise_detail(exercise_id):
    exercise = get_exercise(exercise_id)
    data = {"id": exercise.id, "kind": exercise.kind, "unit": exercise.unit, "title": exercise.title,
            "instructions": exercise.instructions}
    if exercise.kind == "quiz":
        data["questions"] = [
            {"id": q.id, "type": q.type, "prompt": q.prompt, "options": [o.text for o in q.options]}
            for q in exercise.questions
        ]
    else:
        data["text"] = exercise.article.text
        data["units"] = [{"id": u.id, "start": u.start, "end": u.end} for u in exercise.article.units(exercise.unit)]
    return jsonify(data)


@bp.get("/csrf-token")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


def parse_answer(exercise, data: dict):
    """The learner's answer from a JSON body: `spans` for marking, `answers` for a quiz."""
    try:
        if exercise.kind == "quiz":
            return parse_quiz_answers(data.get("answers"), exercise)
        units = exercise.article.units(exercise.unit)
        return parse_spans(data.get("spans"), len(exercise.article.text), len(units))
    except AnswerError as exc:
        abort(400, str(exc))


@bp.post("/exercises/<exercise_id>/grade")
@per_session
def grade_exercise(exercise_id):
    """Grade a practice answer and log it as an anonymous practice attempt."""
    exercise = get_exercise(exercise_id)
    answer = parse_answer(exercise, json_body())
    result = grade(exercise, answer)
    records.record_attempt(
        get_db(), exercise_id=exercise.id, answer=answer, result=result, submission_id=uuid.uuid4().hex,
        practice_session=practice_token(),
    )
    return jsonify(result.as_dict())


@bp.put("/drafts/<exercise_id>")
@per_session
def save_draft(exercise_id):
    """Autosave the marks in progress, so a reload or a crashed browser loses nothing."""
    exercise = get_exercise(exercise_id)
    if exercise.kind == "quiz":
        abort(400, "Quizzes have no drafts.")
    learner = current_learner()
    if not learner.is_assigned(exercise.id):
        abort(403, "This exercise is not assigned to your class.")
    spans = parse_answer(exercise, json_body())
    records.save_draft(get_db(), learner.owner, exercise.id, unit_spans(exercise, snap(exercise, spans)))
    return "", 204


@bp.get("/drafts/<exercise_id>")
def get_draft(exercise_id):
    exercise = get_exercise(exercise_id)
    return jsonify(spans=records.load_draft(get_db(), current_learner().owner, exercise.id) or [])


@bp.post("/analyze")
@per_session
def analyze():
    """Answer-key suggestions for any English text (up to 200 KB)."""
    text = json_body().get("text")
    if not isinstance(text, str):
        abort(400, "Expected {\"text\": \"...\"} with the article as a string.")
    if len(text.encode("utf-8")) > MAX_ARTICLE_CHARS:
        abort(413, f"The text is too long: at most {MAX_ARTICLE_CHARS // 1000} KB.")
    return jsonify(spans=[
        {"start": s.start, "end": s.end, "kind": s.kind, "reason": s.reason} for s in suggest(text)
    ])
