"""The JSON API: thin adapters over the check service, for other tools and the browser."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, jsonify, request, url_for
from flask_wtf.csrf import generate_csrf

from ..domain import checking
from ..domain.analysis import suggest
from ..domain.authoring import MAX_ARTICLE_CHARS
from ..domain.kinds import KINDS, AnswerError
from ..store import attempts
from ..store.db import get_db
from .catalog import get_exercise, visible_lessons
from .checks import run_check
from .learners import attempt_log, current_learner
from .openapi import description
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


def parse_answer(exercise, data: dict):
    """The learner's answer from a JSON body (`spans` for marking, `answers` for a quiz: the kind knows).

    A body that also carries another kind's answer field is refused, not half-read: the client
    has the exercise's kind wrong, and checking only the part that fits would grade an answer
    the learner did not give (and leave the rest unvalidated)."""
    field = exercise.plugin.answer_field
    stray = sorted(({kind.answer_field for kind in KINDS.values()} - {"", field}) & data.keys())
    if stray:
        abort(400, f"This exercise is answered with '{field}'; {', '.join(map(repr, stray))} is for another "
                   "kind of exercise.")
    try:
        return exercise.plugin.parse_answer(exercise, data)
    except AnswerError as exc:
        abort(400, str(exc))


def refused(refusal: checking.CheckRefused):
    return jsonify(error=refusal.message), refusal.status


def exercise_summary(exercise) -> dict:
    return {"id": exercise.id, "kind": exercise.kind, "unit": exercise.unit, "title": exercise.title,
            "url": url_for("learn.exercise", exercise_id=exercise.id)}


@bp.get("/lessons")
def lessons():
    """The lessons this visitor may see: the built-in ones, and case studies only to their owner
    and to students of classes they are assigned to."""
    return jsonify(lessons=[
        {"slug": lesson.slug, "title": lesson.title, "url": url_for("learn.lesson", slug=lesson.slug),
         "exercises": [exercise_summary(ex) for ex in lesson.exercises if ex.plugin.needs_article],
         "quizzes": [exercise_summary(ex) for ex in lesson.exercises if not ex.plugin.needs_article]}
        for lesson in visible_lessons()
    ])


def assigned_exercise(exercise_id: str):
    exercise, me = get_exercise(exercise_id), current_learner()
    if not me.is_assigned(exercise.id):
        abort(403, "This exercise is not assigned to your class.")
    return exercise, me


@bp.get("/exercises/<exercise_id>")
def exercise_detail(exercise_id):
    """The exercise as this learner sees it (quiz options in their own order), never the key."""
    exercise, me = assigned_exercise(exercise_id)
    status = checking.solution_status(attempt_log(), me.learner, exercise)
    return jsonify({"id": exercise.id, "kind": exercise.kind, "unit": exercise.unit, "title": exercise.title,
                    "instructions": exercise.instructions, "attempts_used": status.attempts_used,
                    "attempts_allowed": status.attempts_allowed, "solution_visible": status.may_see_solution,
                    **exercise.plugin.public_detail(exercise, me.learner.key)})


@bp.get("/openapi.json")
def openapi_description():
    """The OpenAPI 3.1 description of this API (webapp/web/openapi.py)."""
    return jsonify(description())


@bp.get("/csrf-token")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


@bp.post("/exercises/<exercise_id>/grade")
@per_session
def grade_exercise(exercise_id):
    """Grade a practice answer and log it as an anonymous practice attempt.

    A class's students check through POST /api/submissions, which applies their class's rules."""
    exercise, me = assigned_exercise(exercise_id)
    if me.student is not None:
        abort(403, "You are in a class: send your answers to POST /api/submissions, which keeps your "
                   "class's attempts and solution rules.")
    answer = parse_answer(exercise, json_body())
    try:
        outcome = run_check(me, exercise, answer, uuid.uuid4().hex)
    except checking.CheckRefused as refusal:
        return refused(refusal)
    return jsonify(outcome.visible)


@bp.post("/exercises/<exercise_id>/finish")
@per_session
def finish_exercise(exercise_id):
    """"Finish and show the solution": ends the learner's attempts; the solution opens."""
    exercise, me = assigned_exercise(exercise_id)
    try:
        status = checking.finish(attempt_log(), me.learner, exercise)
    except checking.CheckRefused as refusal:
        return refused(refusal)
    return jsonify(solution_visible=status.may_see_solution)


@bp.put("/drafts/<exercise_id>")
@per_session
def save_draft(exercise_id):
    """Autosave the answer in progress, so a reload or a crashed browser loses nothing."""
    exercise, me = assigned_exercise(exercise_id)
    answer = parse_answer(exercise, json_body())
    attempts.save_draft(get_db(), me.learner.owner, exercise.id, answer)
    return "", 204


@bp.get("/drafts/<exercise_id>")
def get_draft(exercise_id):
    exercise, me = assigned_exercise(exercise_id)
    draft = attempts.load_draft(get_db(), me.learner.owner, exercise.id)
    return jsonify(spans=draft or []) if exercise.plugin.needs_article else jsonify(answers=draft or {})


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
