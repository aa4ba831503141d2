"""Learner pages: lessons, exercises (JavaScript and no-JavaScript), feedback and solutions."""

from __future__ import annotations

import json
import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..domain.grading import AnswerError, expand_stored, parse_spans, snap, unit_spans
from ..domain.summary import skill_summary
from ..store.db import get_db
from ..store.records import load_draft, save_draft
from .catalog import available_lessons, get_catalog, get_exercise, get_lesson
from .forms import CheckForm, UnitCheckboxesForm, quiz_answers, quiz_form
from .learners import current_learner, submit
from .rendering import markdown, marking_html, split_paragraphs
from .security import per_session

bp = Blueprint("learn", __name__)
bp.add_app_template_filter(markdown, "markdown")


@bp.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def index():
    """The built-in lessons, plus the case studies of the visitor's own teacher."""
    learner = current_learner()
    teacher = g.instructor["id"] if g.instructor else learner.klass["instructor_id"] if learner.klass else None
    lessons = available_lessons(teacher) if teacher is not None else [
        lesson for lesson in get_catalog().lessons.values() if lesson.owner_id is None]
    return render_template("learn/index.html", lessons=lessons)


@bp.get("/lessons/<slug>")
def lesson(slug):
    lesson, learner = get_lesson(slug), current_learner()
    return render_template("learn/lesson.html", lesson=lesson, steps=assigned_steps(lesson, learner),
                           scores=learner.scores())


def assigned_steps(lesson, learner) -> list:
    """The lesson's exercises this learner may do (a class sees only what it is assigned)."""
    return [exercise for exercise in lesson.exercises if learner.is_assigned(exercise.id)]


@bp.get("/lessons/<slug>/summary")
def summary(slug):
    """The end of the lesson flow: per skill, the case-study score beside the transfer score."""
    lesson, learner = get_lesson(slug), current_learner()
    scores = learner.scores()
    return render_template("learn/summary.html", lesson=lesson, rows=skill_summary(lesson, scores), scores=scores,
                           steps=assigned_steps(lesson, learner))


def assigned_exercise(exercise_id: str):
    exercise = get_exercise(exercise_id)
    learner = current_learner()
    if not learner.is_assigned(exercise.id):
        abort(403, "This exercise is not assigned to your class.")
    return exercise, learner


def next_step(exercise, learner):
    """The next exercise of the lesson's flow that the learner may do, or None at the end."""
    flow = get_lesson(exercise.lesson).exercises
    return next((later for later in flow[flow.index(exercise) + 1:] if learner.is_assigned(later.id)), None)


def draft_units(exercise, learner) -> set[int]:
    spans = load_draft(get_db(), learner.owner, exercise.id) or []
    try:
        valid = parse_spans(spans, len(exercise.article.text), len(exercise.article.units(exercise.unit)))
    except AnswerError:
        return set()  # a draft from an older version of the text: start clean
    return snap(exercise, valid)


@bp.get("/exercises/<exercise_id>")
def exercise(exercise_id):
    exercise, learner = assigned_exercise(exercise_id)
    if exercise.kind == "quiz":
        form = quiz_form(exercise)
        form.submission_id.data = uuid.uuid4().hex
        return render_template("learn/quiz.html", exercise=exercise, form=form)
    marked = draft_units(exercise, learner)
    form = CheckForm(submission_id=uuid.uuid4().hex, spans=json.dumps(unit_spans(exercise, marked)))
    return render_template("learn/exercise.html", exercise=exercise, form=form,
                           article_html=marking_html(exercise.article, exercise.unit, marked))


@bp.post("/exercises/<exercise_id>/check")
@per_session
def check(exercise_id):
    exercise, learner = assigned_exercise(exercise_id)
    if exercise.kind == "quiz":
        form = quiz_form(exercise, formdata=request.form)
        if not form.validate():
            flash("Please answer with the options shown.", "error")
            return redirect(url_for(".exercise", exercise_id=exercise.id))
        answer = quiz_answers(form, exercise)
    else:
        form = CheckForm()
        if not form.validate():
            flash("Your marks could not be read. Please mark again and check.", "error")
            return redirect(url_for(".exercise", exercise_id=exercise.id))
        try:
            spans = parse_spans(form.spans.parsed, len(exercise.article.text),
                                len(exercise.article.units(exercise.unit)))
        except AnswerError as exc:
            abort(400, str(exc))
        answer = unit_spans(exercise, snap(exercise, spans))
        save_draft(get_db(), learner.owner, exercise.id, answer)
    attempt, _ = submit(learner, exercise, answer, form.submission_id.data)
    return redirect(url_for(".feedback", attempt_id=attempt["id"]))


def form_parts(exercise) -> list[list[int]]:
    """Unit indices per page of the no-JS form: one page per section for word marking (a
    checkbox per word of the whole article would be too heavy a page), one page otherwise."""
    units = exercise.article.units(exercise.unit)
    if exercise.unit != "word":
        return [list(range(len(units)))]
    headings = {p.index for p in exercise.article.paragraphs if p.is_heading}
    parts: list[list[int]] = []
    previous = None
    for index, unit in enumerate(units):
        opens_section = unit.paragraph != previous and unit.paragraph in headings and unit.paragraph - 1 not in headings
        if not parts or opens_section:
            parts.append([])
        parts[-1].append(index)
        previous = unit.paragraph
    return parts


@bp.route("/exercises/<exercise_id>/form", methods=["GET", "POST"])
def checkbox_form(exercise_id):
    """The same exercise as plain HTML checkboxes, for browsers without JavaScript."""
    exercise, learner = assigned_exercise(exercise_id)
    if exercise.kind == "quiz":
        return redirect(url_for(".exercise", exercise_id=exercise.id))
    parts = form_parts(exercise)
    part = request.args.get("part", 1, type=int)
    if not 1 <= part <= len(parts):
        abort(404, f"This exercise has parts 1 to {len(parts)}.")
    indices = parts[part - 1]
    units = exercise.article.units(exercise.unit)
    form = UnitCheckboxesForm()
    form.units.choices = [SelectChoice(i, exercise.article.text[units[i].start:units[i].end]) for i in indices]
    marked = draft_units(exercise, learner)
    if form.validate_on_submit():
        marked = (marked - set(indices)) | set(form.units.data)
        answer = unit_spans(exercise, marked)
        save_draft(get_db(), learner.owner, exercise.id, answer)
        if form.check.data:
            attempt, _ = submit(learner, exercise, answer, form.submission_id.data)
            return redirect(url_for(".feedback", attempt_id=attempt["id"]))
        target = part + 1 if part < len(parts) else part
        flash(f"Part {part} saved.", "info")
        return redirect(url_for(".checkbox_form", exercise_id=exercise.id, part=target))
    if request.method == "POST":
        flash("Those marks could not be saved: " + "; ".join(sum(form.errors.values(), [])), "error")
    form.submission_id.data = uuid.uuid4().hex
    form.units.data = sorted(marked & set(indices))
    paragraphs = split_paragraphs(exercise.article, [(units[i].start, units[i].end, i) for i in indices])
    paragraphs = [p for p in paragraphs if any(payload is not None for _, payload in p.pieces)]
    return render_template("learn/form.html", exercise=exercise, form=form, paragraphs=paragraphs,
                           part=part, part_count=len(parts), marked=marked)


def owned_attempt(attempt_id: int) -> tuple[dict, object]:
    """The attempt, if it belongs to the current learner; 404 otherwise (no hint that it exists)."""
    learner = current_learner()
    attempt = next(iter(get_db().query("select * from attempts where id = ?", [attempt_id])), None)
    if attempt is None or not learner.owns_attempt(attempt):
        abort(404, "No such attempt.")
    return attempt, learner


def marks_for(exercise, result: dict, show_solutions: bool) -> list[tuple[int, int, dict]]:
    marks = []
    groups = [("found", "found"), ("false_alarms", "false alarm")]
    if show_solutions:
        groups.insert(1, ("missed", "missed"))
    for key, label in groups:
        for item in result.get(key, []):
            marks.append((item["start"], item["end"], {"kind": key, "label": label}))
    marks.sort(key=lambda mark: mark[0])
    for number, mark in enumerate(marks, 1):
        mark[2]["number"] = number
    return marks


@bp.get("/attempts/<int:attempt_id>")
def feedback(attempt_id):
    attempt, learner = owned_attempt(attempt_id)
    exercise = get_exercise(attempt["exercise_id"])
    result = expand_stored(exercise, json.loads(attempt["result"]))
    context = {"exercise": exercise, "attempt": attempt, "result": result,
               "show_solutions": learner.shows_solutions, "next_exercise": next_step(exercise, learner)}
    if exercise.kind == "quiz":
        return render_template("learn/quiz_feedback.html", **context)
    marks = marks_for(exercise, result, learner.shows_solutions)
    paragraphs = split_paragraphs(exercise.article, marks)
    return render_template("learn/feedback.html", paragraphs=paragraphs, marks=marks, **context)


@bp.get("/exercises/<exercise_id>/solution")
def solution(exercise_id):
    exercise, learner = assigned_exercise(exercise_id)
    if not learner.shows_solutions:
        abort(403, "Your teacher has not made the solutions visible.")
    if exercise.kind == "quiz":
        return render_template("learn/quiz_solution.html", exercise=exercise)
    marks = [(item.start, item.end, {"kind": "solution" if item.required else "acceptable", "item": item,
                                     "number": number})
             for number, item in enumerate(exercise.items, 1)]
    paragraphs = split_paragraphs(exercise.article, marks)
    return render_template("learn/solution.html", exercise=exercise, paragraphs=paragraphs, marks=marks,
                           next_exercise=next_step(exercise, learner))
