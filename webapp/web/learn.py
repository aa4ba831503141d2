"""Learner pages: lessons, exercises (JavaScript and no-JavaScript), feedback and solutions.

Every check goes through the check service (domain/checking.py); what the pages show of a result
is decided there too. Which template shows an exercise is its kind's business (domain/kinds/).
"""

from __future__ import annotations

import uuid

import orjson
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ..domain import checking
from ..domain.kinds import AnswerError
from ..domain.summary import skill_summary
from ..store import attempts
from ..store.db import get_db
from .catalog import get_exercise, get_lesson, notes_visible, visible_lessons
from .checks import run_check
from .forms import CheckForm, ConfirmForm, UnitCheckboxesForm
from .learners import attempt_log, current_learner
from .rendering import markdown, split_paragraphs
from .security import per_session

bp = Blueprint("learn", __name__)
bp.add_app_template_filter(markdown, "markdown")


@bp.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/")
def index():
    """The built-in lessons, plus the case studies the visitor may see."""
    return render_template("learn/index.html", lessons=visible_lessons())


def assigned_steps(lesson, me) -> list:
    """The lesson's exercises this learner may do (a class sees only what it is assigned)."""
    return [exercise for exercise in lesson.exercises if me.is_assigned(exercise.id)]


@bp.get("/lessons/<slug>")
def lesson(slug):
    lesson, me = get_lesson(slug), current_learner()
    return render_template("learn/lesson.html", lesson=lesson, steps=assigned_steps(lesson, me),
                           scores=me.scores(), show_notes=notes_visible(lesson))


@bp.get("/lessons/<slug>/summary")
def summary(slug):
    """The end of the lesson flow: per skill, the case-study score beside the transfer score."""
    lesson, me = get_lesson(slug), current_learner()
    scores = me.scores()
    return render_template("learn/summary.html", lesson=lesson, rows=skill_summary(lesson, scores), scores=scores,
                           steps=assigned_steps(lesson, me))


def assigned_exercise(exercise_id: str):
    exercise, me = get_exercise(exercise_id), current_learner()
    if not me.is_assigned(exercise.id):
        abort(403, "This exercise is not assigned to your class.")
    return exercise, me


def next_step(exercise, me):
    """The next exercise of the lesson's flow that the learner may do, or None at the end."""
    flow = get_lesson(exercise.lesson).exercises
    return next((later for later in flow[flow.index(exercise) + 1:] if me.is_assigned(later.id)), None)


def latest_answer(exercise, me):
    """What the page starts from: the marks in progress, else those of the last check (a check
    clears the draft), so Retry means improving the last answer, not starting over."""
    db = get_db()
    draft = attempts.load_draft(db, me.learner.owner, exercise.id)
    if draft is not None:
        return draft
    previous = attempts.latest_attempt(db, me.learner.owner, exercise.id)
    return orjson.loads(previous["answer"]) if previous else None


def render_exercise(exercise, me, answer=None, confirm_empty=False, status=200):
    """The exercise page; `answer` is the learner's unsaved answer when the page asks to confirm it."""
    solution = checking.solution_status(attempt_log(), me.learner, exercise)
    draft = answer if answer is not None else latest_answer(exercise, me)
    form = CheckForm(formdata=None, submission_id=uuid.uuid4().hex)
    return render_template(
        exercise.plugin.page_template, exercise=exercise, form=form, solution=solution,
        view=exercise.plugin.page_context(exercise, me.learner.key, draft), confirm_empty=confirm_empty,
        next_exercise=next_step(exercise, me)), status


@bp.get("/exercises/<exercise_id>")
def exercise(exercise_id):
    exercise, me = assigned_exercise(exercise_id)
    return render_exercise(exercise, me)


def check_and_show(exercise, me, answer, submission_id):
    """Run the check service; on to the feedback page, or back with the reason it was refused."""
    try:
        outcome = run_check(me, exercise, answer, submission_id)
    except checking.CheckRefused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".exercise", exercise_id=exercise.id))
    return redirect(url_for(".feedback", attempt_id=outcome.attempt["id"]))


@bp.post("/exercises/<exercise_id>/check")
@per_session
def check(exercise_id):
    exercise, me = assigned_exercise(exercise_id)
    form = CheckForm()
    if not form.validate():
        flash("Your answer could not be read. Please reload the page and try again.", "error")
        return redirect(url_for(".exercise", exercise_id=exercise.id))
    try:
        answer = exercise.plugin.answer_from_form(exercise, request.form)
    except AnswerError as exc:  # no page of ours sends this: a clear 400, not a silent retry
        abort(400, str(exc))
    if exercise.plugin.empty(answer) and form.confirm_empty.data != "1":
        return render_exercise(exercise, me, answer=answer, confirm_empty=True)
    return check_and_show(exercise, me, answer, form.submission_id.data)


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
    """An exercise marked on an article, as plain HTML checkboxes, for browsers without JavaScript."""
    exercise, me = assigned_exercise(exercise_id)
    if exercise.unit is None:  # nothing to mark unit by unit: the exercise page is a plain form already
        return redirect(url_for(".exercise", exercise_id=exercise.id))
    plugin, db, owner = exercise.plugin, get_db(), me.learner.owner
    parts = form_parts(exercise)
    part = request.args.get("part", 1, type=int)
    if not 1 <= part <= len(parts):
        abort(404, f"This exercise has parts 1 to {len(parts)}.")
    indices = parts[part - 1]
    units = exercise.article.units(exercise.unit)
    form = UnitCheckboxesForm()
    form.units.choices = [SelectChoice(i, exercise.article.text[units[i].start:units[i].end]) for i in indices]
    marked = plugin.marked_units(exercise, attempts.load_draft(db, owner, exercise.id))
    if form.validate_on_submit():
        marked = (marked - set(indices)) | set(form.units.data)
        answer = plugin.unit_spans(exercise, marked)
        attempts.save_draft(db, owner, exercise.id, answer)
        if form.check.data:
            if not marked:
                return render_exercise(exercise, me, answer=answer, confirm_empty=True)
            return check_and_show(exercise, me, answer, form.submission_id.data)
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


def owned_attempt(attempt_id: int):
    """The attempt, if it belongs to the current learner; 404 otherwise (no hint that it exists)."""
    me = current_learner()
    attempt = attempts.get_attempt(get_db(), attempt_id)
    column, value = me.learner.owner
    if attempt is None or attempt[column] != value:
        abort(404, "No such attempt.")
    return attempt, me


@bp.get("/attempts/<id:attempt_id>")
def feedback(attempt_id):
    attempt, me = owned_attempt(attempt_id)
    exercise = get_exercise(attempt["exercise_id"])
    outcome = checking.outcome_of(attempt_log(), me.learner, exercise, attempt)
    return render_template(exercise.plugin.feedback_template, exercise=exercise, attempt=attempt,
                           result=outcome.visible, solution=outcome.status, form=ConfirmForm(),
                           view=exercise.plugin.page_context(exercise, me.learner.key, None),
                           next_exercise=next_step(exercise, me), student=me.student, klass=me.klass)


@bp.post("/exercises/<exercise_id>/finish")
@per_session
def finish(exercise_id):
    """"Finish and show the solution": the learner's attempts at the exercise end here."""
    exercise, me = assigned_exercise(exercise_id)
    if not ConfirmForm().validate():
        abort(400, "The form expired; reload the page and try again.")
    try:
        checking.finish(attempt_log(), me.learner, exercise)
    except checking.CheckRefused as refusal:
        abort(refusal.status, refusal.message)
    return redirect(url_for(".solution", exercise_id=exercise.id))


@bp.get("/exercises/<exercise_id>/solution")
def solution(exercise_id):
    exercise, me = assigned_exercise(exercise_id)
    try:
        checking.require_solution(attempt_log(), me.learner, exercise)
    except checking.CheckRefused as refusal:
        abort(refusal.status, refusal.message)
    return render_template(exercise.plugin.solution_template, exercise=exercise,
                           view=exercise.plugin.page_context(exercise, me.learner.key, None),
                           next_exercise=next_step(exercise, me))


