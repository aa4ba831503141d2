"""Classes and their students: joining with a code, resuming with a personal code, recording work.

The functions on top combine the store with the catalog for the student pages and JSON API below,
the instructor dashboard and the CLI alike. Nothing about a student is stored beyond the display
name they typed (or picked from the roster), their class and their attempts and drafts.
"""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..domain import checking, codes, scores
from ..domain.content import Exercise
from ..domain.names import NameRefused, clean_display_name
from ..store import attempts, classes, learners
from ..store.db import AppDatabase, get_db
from .api import json_body, parse_answer
from .catalog import available_lessons, get_catalog, get_exercise
from .checks import run_check
from .forms import SUBMISSION_ID_PATTERN
from .learners import current_learner, end_student_session, start_student_session
from .security import code_guesses_per_address, code_guesses_per_browser, per_session

bp = Blueprint("classroom", __name__)

MAX_NAME_LENGTH = 40
SUBMISSION_ID_RE = re.compile(SUBMISSION_ID_PATTERN)


class JoinRefused(Exception):
    """Why a student cannot join, as an HTTP status and a message for the student."""

    def __init__(self, status: int, message: str, name_taken: bool = False):
        self.status, self.message, self.name_taken = status, message, name_taken
        super().__init__(message)


# --- classes ------------------------------------------------------------------------------------


def default_exercise_ids() -> list[str]:
    """What a new class is assigned unless told otherwise: every built-in lesson's exercises."""
    return [ex.id for lesson in get_catalog().lessons.values() if lesson.owner_id is None for ex in lesson.exercises]


def lesson_exercise_ids(instructor_id: int, slugs: list[str]) -> list[str]:
    """The exercises of these lessons (built-in or the teacher's own), in order; ValueError names
    a slug the teacher cannot use."""
    lessons = {lesson.slug: lesson for lesson in available_lessons(instructor_id)}
    unknown = [slug for slug in slugs if slug not in lessons]
    if unknown:
        raise ValueError(f"no lesson {', '.join(map(repr, unknown))} (choose from {', '.join(lessons)})")
    return [ex.id for slug in slugs for ex in lessons[slug].exercises]


def create_class(db: AppDatabase, instructor_id: int, title: str, exercise_ids: list[str] | None = None,
                 **settings) -> dict:
    """A new class, open for joining; by default every built-in exercise is assigned."""
    ids = default_exercise_ids() if exercise_ids is None else exercise_ids
    return classes.create_class(db, instructor_id, title, ids, **settings)


def assigned_exercises(db: AppDatabase, klass: dict) -> list[Exercise]:
    """The class's exercises (those that still exist), in the lessons' order and each lesson's flow."""
    assigned = set(classes.assigned_exercise_ids(db, klass["id"]))
    return [ex for lesson in get_catalog().lessons.values() for ex in lesson.exercises if ex.id in assigned]


def class_scores(db: AppDatabase, klass: dict, student_id: int | None = None, details: bool = False
                 ) -> tuple[list[Exercise], list[scores.StudentScores]]:
    """The class's exercises and the derived scores of every student (or of one)."""
    students = learners.class_students(db, klass["id"])
    if student_id is not None:
        students = [student for student in students if student["id"] == student_id]
    rows = attempts.class_attempts(db, klass["id"], student_id, details)
    exercises = assigned_exercises(db, klass)
    return exercises, scores.class_scores(students, exercises, rows, klass["counting"])


# --- students -----------------------------------------------------------------------------------


def clean_name(raw) -> str:
    """A typed display name, checked like roster names (domain/names.py), or a 400 saying why."""
    if raw is not None and not isinstance(raw, str):
        raise JoinRefused(400, "The name must be text.")
    try:
        return clean_display_name(raw or "", MAX_NAME_LENGTH)
    except NameRefused as exc:
        raise JoinRefused(400, str(exc)) from None


def join(db: AppDatabase, code, name=None, roster_entry_id: int | None = None,
         new_student: bool = False) -> tuple[dict, dict]:
    """Add a student to the class with this join code; return (class, student).

    With a roster, the student is the roster entry chosen by id (the join page) or the one entry
    whose name matches (the JSON API); each entry can be joined once. Without one, a name that a
    student of the class already shows is refused with `name_taken` (it may be them: they resume
    with their code) unless `new_student` says this is someone else, who becomes "Chloe 2".
    """
    if code is not None and not isinstance(code, str):
        raise JoinRefused(400, "The class code must be text.")
    if not isinstance(new_student, bool):
        raise JoinRefused(400, "'new_student' must be true or false.")
    klass = classes.find_class(db, code or "")
    if klass is None:
        raise JoinRefused(404, "No class has that code. Check it with your teacher.")
    if not klass["open"]:
        raise JoinRefused(403, "This class is closed for joining. Ask your teacher to open it.")
    roster = classes.roster_entries(db, klass["id"])
    entry = None
    if roster:
        if roster_entry_id is not None:
            matches = [row for row in roster if row["id"] == roster_entry_id]
        else:
            wanted = clean_name(name).casefold()
            # Rosters imported before names were normalised may hold other forms of the same letters.
            matches = [row for row in roster if unicodedata.normalize("NFC", row["name"]).casefold() == wanted]
        if not matches:
            raise JoinRefused(404, "That name is not on the class list. Check the spelling with your teacher.")
        if len(matches) > 1:
            raise JoinRefused(409, "Two students on the class list have that name: join on the join page.")
        entry = matches[0]
        if entry["student_id"] is not None:
            raise JoinRefused(409, f"Someone has already joined as {entry['name']}. "
                                   "If that was you, continue with your resume code.")
    display_name = entry["name"] if entry else clean_name(name)
    try:
        student = learners.add_student(db, klass["id"], display_name, entry["id"] if entry else None,
                                       same="allow" if entry else "number" if new_student else "refuse")
    except learners.NameTaken:
        raise JoinRefused(409, f"Someone in this class has already joined as {display_name}. If that was you, "
                               "continue with your resume code; if not, join as a new student "
                               "(\"new_student\": true) and a number after your name will tell you apart.",
                          name_taken=True) from None
    except learners.RosterNameTaken:
        raise JoinRefused(409, f"Someone has just joined as {display_name}. "
                               "If that was you, continue with your resume code.") from None
    return klass, student


# --- student pages ------------------------------------------------------------------------------


class JoinForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(), Length(max=20)])
    name = StringField("Your name", validators=[Length(max=200)])
    roster_entry = SelectField("Your name", coerce=int, validate_choice=False)
    new_student = HiddenField()
    join = SubmitField("Join the class")


class ResumeForm(FlaskForm):
    code = StringField("Your resume code", validators=[DataRequired(), Length(max=20)])
    resume = SubmitField("Continue")


def render_join(form: JoinForm, klass: dict | None, status: int = 200, name_taken: str | None = None):
    roster = classes.roster_entries(get_db(), klass["id"]) if klass else []
    # Names already joined are left out: their owners continue with a resume code.
    form.roster_entry.choices = [(0, "Choose your name")] + [
        (row["id"], row["name"]) for row in roster if row["student_id"] is None]
    return render_template("classroom/join.html", form=form, klass=klass, has_roster=bool(roster),
                           name_taken=name_taken), status


@bp.get("/join")
def join_page():
    """Step one: the class code and a name; with ?code= of a class with a roster, pick the name."""
    code = codes.normalise(request.args.get("code", ""))
    form = JoinForm(formdata=None, code=code)
    klass = classes.find_class(get_db(), code) if code else None
    return render_join(form, klass if klass and klass["open"] else None)


@bp.post("/join")
@per_session
@code_guesses_per_address
@code_guesses_per_browser
def join_submit():
    form = JoinForm()
    db = get_db()
    klass = classes.find_class(db, form.code.data or "")
    if not form.validate():
        flash("Please type the class code your teacher gave you, and your name.", "error")
        return render_join(form, None, 400)
    has_roster = klass is not None and bool(classes.roster_entries(db, klass["id"]))
    if has_roster and not form.roster_entry.data:
        # Step two of joining a class with a roster: pick your name from the list.
        flash("Pick your name from the class list.", "info")
        return redirect(url_for(".join_page", code=klass["code"]))
    try:
        klass, student = join(db, form.code.data, form.name.data, form.roster_entry.data if has_roster else None,
                              new_student=form.new_student.data == "1")
    except JoinRefused as refusal:
        if refusal.name_taken:
            # Not an error yet: the page asks whether they are that student or someone else.
            return render_join(form, klass, refusal.status, name_taken=clean_name(form.name.data))
        flash(refusal.message, "error")
        return render_join(form, klass if klass and klass["open"] else None, refusal.status)
    start_student_session(student)
    flash(f"Welcome, {student['name']}! Write down your resume code {codes.format_resume_code(student['resume_code'])}"
          " to continue on another device.", "info")
    return redirect(first_lesson_url(db, klass))


def first_lesson_url(db: AppDatabase, klass: dict) -> str:
    """Where a student starts: the lesson of the class's first exercise (its teaching text comes
    before the exercises), or their work page when nothing is assigned."""
    exercises = assigned_exercises(db, klass)
    if exercises and exercises[0].lesson:
        return url_for("learn.lesson", slug=exercises[0].lesson)
    return url_for(".my_work")


# Wrong resume codes that share a group of four with a student's code count against that student
# (webapp/store/learners.py: `resume`): ten in a day is more than any student's typos, and leaves
# someone who saw half a code (31**4 possible other halves) 10 guesses a day wherever they come
# from. The teacher's "new resume code" ends a lockout at once.
RESUME_FAILURES_ALLOWED = 10
RESUME_FAILURE_WINDOW = 24 * 3600
RESUME_LOCKED_MESSAGE = ("This resume code is locked: too many wrong codes like it were tried today. Your work is "
                         "safe. Please ask your teacher for a new resume code (they can issue one on your page of "
                         "their dashboard); it works at once.")


@bp.route("/resume", methods=["GET", "POST"])
@per_session
@code_guesses_per_address
@code_guesses_per_browser
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        try:
            student = learners.resume(get_db(), form.code.data, RESUME_FAILURE_WINDOW, RESUME_FAILURES_ALLOWED)
        except learners.ResumeCodeLocked:
            flash(RESUME_LOCKED_MESSAGE, "error")
            return render_template("classroom/resume.html", form=form), 429
        if student is not None:
            start_student_session(student)
            flash(f"Welcome back, {student['name']}.", "info")
            return redirect(url_for(".my_work"))
        flash("No student has that resume code. Check it, or ask your teacher.", "error")
        return render_template("classroom/resume.html", form=form), 404
    if request.method == "POST":
        flash("Please type your resume code.", "error")
        return render_template("classroom/resume.html", form=form), 400
    return render_template("classroom/resume.html", form=form)


@bp.post("/leave")
def leave():
    """Sign out: every cookie issued to this student stops working; the resume code brings them back."""
    end_student_session()
    flash("You have signed out. Your work is saved: continue with your resume code.", "info")
    return redirect(url_for("learn.index"))


@bp.get("/my-work")
def my_work():
    me = current_learner()
    if me.student is None:
        flash("Join your class first.", "info")
        return redirect(url_for(".join_page"))
    db = get_db()
    exercises, rows = class_scores(db, me.klass, me.student_id)
    catalog = get_catalog()
    history = [(attempt, catalog.exercises.get(attempt["exercise_id"]))
               for attempt in reversed(attempts.learner_attempts(db, me.learner.owner))]
    return render_template("classroom/my_work.html", student=rows[0].student, klass=me.klass, exercises=exercises,
                           row=rows[0], attempts=history,
                           resume_code=codes.format_resume_code(me.student["resume_code"]))


# --- the JSON API for classroom sessions --------------------------------------------------------


@bp.post("/api/join")
@per_session
@code_guesses_per_address
@code_guesses_per_browser
def api_join():
    data = json_body()
    try:
        klass, student = join(get_db(), data.get("code"), data.get("name"), new_student=data.get("new_student", False))
    except JoinRefused as refusal:
        if refusal.name_taken:
            return jsonify(error=refusal.message, name_taken=True), refusal.status
        return jsonify(error=refusal.message), refusal.status
    start_student_session(student)
    return jsonify(student={"id": student["id"], "name": student["name"]},
                   **{"class": {"code": klass["code"], "title": klass["title"]}},
                   resume_code=codes.format_resume_code(student["resume_code"]))


@bp.post("/api/submissions")
@per_session
def api_submit():
    """Record one check of a class student; a repeated submission_id returns the first result."""
    me = current_learner()
    if me.student is None:
        abort(401, "Join a class first (POST /api/join).")
    data = json_body()
    exercise_id, submission_id = data.get("exercise_id"), data.get("submission_id")
    if not isinstance(exercise_id, str):
        abort(400, "'exercise_id' must be a text.")
    if not isinstance(submission_id, str) or not SUBMISSION_ID_RE.match(submission_id):
        abort(400, "'submission_id' must be 8 to 64 letters, digits, '-' or '_', chosen by the client.")
    exercise = get_exercise(exercise_id)
    answer = parse_answer(exercise, data)
    try:
        outcome = run_check(me, exercise, answer, submission_id)
    except checking.CheckRefused as refusal:
        return jsonify(error=refusal.message), refusal.status
    return jsonify(attempt=outcome.attempt["id"], **outcome.visible)
