"""The instructor dashboard: classes, their settings and roster, progress, per-exercise views, exports.

Every view that takes a class id (and a student id) fetches it through `owned()`, the one place
that checks the class belongs to the logged-in instructor; anything else is a 404, so another
teacher cannot even learn that a class exists.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from flask import Blueprint, Response, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain import checking, codes, export, scores
from ..domain.names import NameRefused, clean_display_name
from ..domain.roster import RosterError, parse_roster
from ..domain.summary import class_skill_summary
from ..store import attempts, classes, clock, learners
from ..store.db import get_db
from . import classroom
from .auth import login_required
from .catalog import available_lessons, get_catalog
from .forms import ConfirmForm
from .rendering import plural, split_paragraphs

bp = Blueprint("instructor", __name__, url_prefix="/teacher")
HEAT_LEVELS = 10
MAX_ATTEMPTS_SETTING = 100


def owned(class_id: int, student_id: int | None = None) -> tuple[dict, dict | None]:
    """The logged-in instructor's class, and one of its students when asked; 404 otherwise."""
    db = get_db()
    klass = classes.get_class(db, class_id)
    if klass is None or klass["instructor_id"] != g.instructor["id"]:
        abort(404, "No such class.")
    student = None
    if student_id is not None:
        student = learners.class_student(db, class_id, student_id)
        if student is None:
            abort(404, "No such student in this class.")
    return klass, student


def class_exercise(klass: dict, exercise_id: str):
    exercise = next((ex for ex in classroom.assigned_exercises(get_db(), klass) if ex.id == exercise_id), None)
    if exercise is None:
        abort(404, f"The exercise {exercise_id!r} is not assigned to this class.")
    return exercise


@bp.app_template_filter("when")
def when(timestamp: str | None) -> str:
    """ISO time as "2025-03-04 09:15 UTC" (the server cannot know the teacher's time zone)."""
    return f"{timestamp[:10]} {timestamp[11:16]} UTC" if timestamp else "—"


# --- class list ---------------------------------------------------------------------------------


class ClassForm(FlaskForm):
    title = StringField("Class name", validators=[DataRequired(), Length(max=120)])
    create = SubmitField("Create class")


@bp.get("/")
@login_required
def index():
    return render_template("instructor/index.html", classes=classes.classes_of(get_db(), g.instructor["id"]),
                           form=ClassForm())


@bp.post("/classes")
@login_required
def create_class():
    form = ClassForm()
    if not form.validate():
        flash("Please give the class a name (at most 120 characters).", "error")
        return redirect(url_for(".index"))
    klass = classroom.create_class(get_db(), g.instructor["id"], form.title.data.strip())
    flash(f"Class “{klass['title']}” created. Join code: {klass['code']}", "info")
    return redirect(url_for(".class_page", class_id=klass["id"]))


# --- progress -----------------------------------------------------------------------------------


def progress_context(klass: dict) -> dict:
    """The students × exercises table, sorted as the query string asks (?sort=…&dir=desc)."""
    exercises, rows = classroom.class_scores(get_db(), klass)
    sort = request.args.get("sort", "name")
    if sort not in {"name", "total", "last", *(ex.id for ex in exercises)}:
        sort = "name"
    descending = request.args.get("dir") == "desc"
    return {
        "klass": klass, "exercises": exercises, "rows": scores.sort_rows(rows, sort, descending),
        "summaries": scores.column_summaries(rows, exercises),
        "mean_total": sum(row.total for row in rows) / len(rows) if rows else None,
        "sort": sort, "descending": descending, "skills": class_skills(exercises, rows),
        "released": classes.released_exercise_ids(get_db(), klass["id"]), "release_form": ConfirmForm(),
    }


def class_skills(exercises, rows) -> list[tuple]:
    """(lesson, per-skill rows) for each assigned lesson with a transfer article."""
    catalog, result = get_catalog(), []
    for slug in dict.fromkeys(ex.lesson for ex in exercises):
        lesson = catalog.lessons[slug]
        if lesson.transfer_article_path:
            student_scores = [{ex_id: p.score for ex_id, p in row.progress.items()} for row in rows]
            result.append((lesson, class_skill_summary(lesson, student_scores)))
    return result


@bp.get("/classes/<id:class_id>")
@login_required
def class_page(class_id):
    klass, _ = owned(class_id)
    return render_template("instructor/class.html", **progress_context(klass))


@bp.get("/classes/<id:class_id>/progress.json")
@login_required
def progress(class_id):
    """The progress table for the dashboard's live refresh (static/spotcheck.js polls it)."""
    klass, _ = owned(class_id)
    context = progress_context(klass)
    return jsonify(html=render_template("instructor/_progress.html", **context), students=len(context["rows"]))


@bp.get("/classes/<id:class_id>/projector")
@login_required
def projector(class_id):
    """The join code as large as a projector needs, with where to type it."""
    klass, _ = owned(class_id)
    marking = [ex for ex in classroom.assigned_exercises(get_db(), klass) if ex.unit is not None]
    return render_template("instructor/projector.html", klass=klass, marking=marking)


# --- settings and roster ------------------------------------------------------------------------


class SettingsForm(FlaskForm):
    title = StringField("Class name", validators=[DataRequired(), Length(max=120)])
    open = BooleanField("Open for joining")
    attempts_allowed = IntegerField(
        "Attempts allowed per exercise", validators=[Optional(), NumberRange(1, MAX_ATTEMPTS_SETTING)],
        description="Leave empty for unlimited attempts.",
    )
    counting = RadioField("Which attempt counts",
                          choices=[SelectChoice("best", "The best attempt"), SelectChoice("last", "The last attempt")])
    solutions = RadioField("When students see the solutions", choices=[
        SelectChoice("after-finishing", "After their last attempt, or when they choose to finish an exercise"),
        SelectChoice("when-released", "When I release them, exercise by exercise, on the dashboard"),
        SelectChoice("never", "Never")])
    exercises = SelectMultipleField("Assigned exercises", option_widget=CheckboxInput(), widget=ListWidget())
    save = SubmitField("Save settings")

    def validate_exercises(self, field):
        if not field.data:
            raise ValidationError("Assign at least one exercise.")


class RosterForm(FlaskForm):
    file = FileField("Roster CSV file", validators=[FileRequired("Choose a CSV file to upload.")])
    upload = SubmitField("Import roster")


def available_exercise_ids(klass: dict) -> list[str]:
    return [ex.id for lesson in available_lessons(klass["instructor_id"]) for ex in lesson.exercises]


def settings_form(klass: dict, formdata=None) -> SettingsForm:
    all_ids = available_exercise_ids(klass)
    form = SettingsForm(
        formdata=formdata, title=klass["title"], open=bool(klass["open"]),
        attempts_allowed=klass["attempts_allowed"], counting=klass["counting"], solutions=klass["solutions"],
        exercises=classes.assigned_exercise_ids(get_db(), klass["id"]),
    )
    form.exercises.choices = [(ex_id, ex_id) for ex_id in all_ids]
    return form


def render_settings(klass: dict, form: SettingsForm, status: int = 200):
    return render_template(
        "instructor/settings.html", klass=klass, form=form, roster_form=RosterForm(),
        lessons=available_lessons(klass["instructor_id"]),
        roster=classes.roster_entries(get_db(), klass["id"]),
        unlinked=learners.unlinked_students(get_db(), klass["id"]), link_form=ConfirmForm(),
    ), status


@bp.route("/classes/<id:class_id>/settings", methods=["GET", "POST"])
@login_required
def settings(class_id):
    klass, _ = owned(class_id)
    if request.method == "GET":
        return render_settings(klass, settings_form(klass))
    form = settings_form(klass, formdata=request.form)
    if not form.validate():
        flash("The settings were not saved: " + "; ".join(sum(form.errors.values(), [])), "error")
        return render_settings(klass, form, 400)
    chosen = set(form.exercises.data)
    classes.update_settings(
        get_db(), klass["id"], title=form.title.data.strip(), open_for_joining=form.open.data,
        attempts_allowed=form.attempts_allowed.data, counting=form.counting.data, solutions=form.solutions.data,
        exercise_ids=[ex_id for ex_id in available_exercise_ids(klass) if ex_id in chosen])
    flash("Settings saved.", "info")
    return redirect(url_for(".settings", class_id=klass["id"]))


@bp.post("/classes/<id:class_id>/roster")
@login_required
def upload_roster(class_id):
    klass, _ = owned(class_id)
    form = RosterForm()
    if not form.validate():
        flash("Choose a CSV file to upload.", "error")
        return render_settings(klass, settings_form(klass), 400)
    try:
        entries = parse_roster(form.file.data.read())
    except RosterError as exc:
        flash("The roster was not imported. " + " ".join(exc.problems), "error")
        return render_settings(klass, settings_form(klass), 400)
    flash(classes.import_roster(get_db(), klass["id"], entries).summary(), "info")
    return redirect(url_for(".settings", class_id=klass["id"]))


@bp.post("/classes/<id:class_id>/roster/<id:entry_id>/link")
@login_required
def link_roster(class_id, entry_id):
    """Match a student who joined before the roster was uploaded with their roster entry."""
    klass, _ = owned(class_id)
    db = get_db()
    entry = next((row for row in classes.roster_entries(db, klass["id"]) if row["id"] == entry_id), None)
    if entry is None:
        abort(404, "No such name on this class's roster.")
    try:
        student_id = int(request.form.get("student_id", ""))
    except ValueError:
        abort(400, "Choose the student who joined as this roster name.")
    _, student = owned(klass["id"], student_id)
    if entry["student_id"] is not None:
        abort(409, f"A student has already joined as {entry['name']}.")
    try:
        learners.link_to_roster(db, klass["id"], student["id"], entry["id"])
    except learners.RosterNameTaken:
        abort(409, f"A student has already joined as {entry['name']}.")
    flash(f"{student['name']} is now {entry['name']} ({entry['roster_id']}) on the dashboard and in exports.", "info")
    return redirect(url_for(".settings", class_id=klass["id"], _anchor="roster"))


# --- per exercise -------------------------------------------------------------------------------


@bp.get("/classes/<id:class_id>/exercises/<exercise_id>")
@login_required
def exercise_stats(class_id, exercise_id):
    klass, _ = owned(class_id)
    exercise = class_exercise(klass, exercise_id)
    _, rows = classroom.class_scores(get_db(), klass, details=True)
    prompts = {question.id: question.prompt for question in exercise.questions}
    stats = scores.exercise_stats(rows, exercise)
    # The top ten of each list; a false alarm only when two students or more made it (one
    # student's slip is not the class's misconception).
    missed, missed_left = scores.top_items(stats.missed)
    false_alarms, false_left = scores.top_items(stats.false_alarms, min_count=2)
    return render_template("instructor/exercise.html", klass=klass, exercise=exercise, prompts=prompts,
                           stats=stats, missed=missed, missed_left=missed_left, false_alarms=false_alarms,
                           false_left=false_left,
                           sentences=scores.repeated_word_sentences(exercise, missed + false_alarms))


def heat_level(share: float) -> int:
    return math.ceil(share * HEAT_LEVELS)


@bp.get("/classes/<id:class_id>/heatmap/<exercise_id>")
@login_required
def heatmap(class_id, exercise_id):
    """The article shaded by the share of students who marked each unit, the key outlined."""
    klass, _ = owned(class_id)
    exercise = class_exercise(klass, exercise_id)
    if exercise.unit is None:
        abort(404, "This exercise has no article to shade: see its statistics instead.")
    _, rows = classroom.class_scores(get_db(), klass, details=True)
    shares, students = scores.heat_shares(exercise, rows)
    key = scores.key_units(exercise)
    units = exercise.article.units(exercise.unit)
    cells = [(unit.start, unit.end, (heat_level(shares[i]), round(shares[i] * 100), key.get(i)))
             for i, unit in enumerate(units) if shares[i] or i in key]
    marking = [ex for ex in classroom.assigned_exercises(get_db(), klass) if ex.unit is not None]
    return render_template("instructor/heatmap.html", klass=klass, exercise=exercise, students=students,
                           paragraphs=split_paragraphs(exercise.article, cells), marking=marking,
                           levels=range(1, HEAT_LEVELS + 1), step=100 // HEAT_LEVELS)


# --- one student ---------------------------------------------------------------------------------


def student_url(klass: dict, student: dict) -> str:
    return url_for(".student_page", class_id=klass["id"], student_id=student["id"])


def draft_summary(exercise, answer) -> str:
    """A draft in a few words: the marked passages of a marking exercise, or how many answers."""
    if exercise is not None and exercise.unit is not None and isinstance(answer, list):
        text = exercise.article.text
        marks = [text[span[0]:span[1]] for span in answer
                 if isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span)]
        return f"{plural(len(marks), 'mark')}" + (": " + ", ".join(f"“{mark}”" for mark in marks) if marks else "")
    if isinstance(answer, dict):
        return plural(sum(1 for value in answer.values() if value), "answered question")
    return "saved marks"


@bp.get("/classes/<id:class_id>/students/<id:student_id>")
@login_required
def student_page(class_id, student_id):
    """One student: resume code, scores, every attempt with its marks, work in progress, and actions."""
    klass, student = owned(class_id, student_id)
    db = get_db()
    exercises, rows = classroom.class_scores(db, klass, student["id"])
    catalog = get_catalog()
    history = []
    for attempt in reversed(attempts.learner_attempts(db, ("student_id", student["id"]))):
        exercise = catalog.exercises.get(attempt["exercise_id"])
        result = checking.restored_result(exercise, attempt) if exercise else None
        history.append((attempt, exercise, result))
    drafts = [(draft, catalog.exercises.get(draft["exercise_id"]),
               draft_summary(catalog.exercises.get(draft["exercise_id"]), draft["answer"]))
              for draft in attempts.student_drafts(db, student["id"])]
    return render_template("instructor/student.html", klass=klass, student=student, row=rows[0],
                           exercises=exercises, history=history, drafts=drafts,
                           resume_code=codes.format_resume_code(student["resume_code"]),
                           resume_code_locked=learners.resume_code_locked(
                               db, student["id"], classroom.RESUME_FAILURE_WINDOW, classroom.RESUME_FAILURES_ALLOWED))


@bp.get("/classes/<id:class_id>/students/<id:student_id>/attempts/<id:attempt_id>")
@login_required
def student_attempt(class_id, student_id, attempt_id):
    """One attempt, rendered by the exercise's own feedback page, with every missed item shown."""
    klass, student = owned(class_id, student_id)
    attempt = attempts.get_attempt(get_db(), attempt_id)
    if attempt is None or attempt["student_id"] != student["id"]:
        abort(404, "No such attempt of this student.")
    exercise = get_catalog().exercises.get(attempt["exercise_id"])
    if exercise is None:
        abort(404, "This attempt's exercise no longer exists.")
    result = checking.visible_result(checking.restored_result(exercise, attempt), True)
    # No actions of the student's own (retry, finish, next) on the teacher's copy.
    status = SimpleNamespace(attempts_used=None, attempts_allowed=None, finished=False, may_check=False,
                             may_see_solution=False, can_finish=False, policy="teacher")
    flash(f"{student['name']}'s attempt of {when(attempt['created_at'])}, as they saw it; every missed item "
          "is shown to you, whether or not they have seen the solution.", "info")
    return render_template(exercise.plugin.feedback_template, exercise=exercise, attempt=attempt, result=result,
                           solution=status, form=ConfirmForm(), teacher_view=True,
                           view=exercise.plugin.page_context(exercise, f"student:{student['id']}", None),
                           next_exercise=None, student=student, klass=klass, back=student_url(klass, student))


class RenameForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(), Length(max=200)])
    rename = SubmitField("Rename")


@bp.route("/classes/<id:class_id>/students/<id:student_id>/rename", methods=["GET", "POST"])
@login_required
def rename_student(class_id, student_id):
    klass, student = owned(class_id, student_id)
    form = RenameForm(formdata=request.form if request.method == "POST" else None, name=student["name"])
    status = 200
    if request.method == "POST":
        try:
            name = clean_display_name(form.name.data or "", classroom.MAX_NAME_LENGTH)
            learners.rename_student(get_db(), klass["id"], student["id"], name)
        except NameRefused as exc:
            flash(f"Not renamed: {exc}", "error")
            status = 400
        except learners.NameTaken:
            flash(f"Not renamed: another student of the class is called {name}. To combine two entries of "
                  "one student, merge them instead.", "error")
            status = 409
        else:
            flash(f"Renamed {student['name']} to {name}.", "info")
            return redirect(student_url(klass, student))
    return render_template("instructor/student_action.html", klass=klass, student=student, form=form,
                           action="rename"), status


@bp.route("/classes/<id:class_id>/students/<id:student_id>/resume-code", methods=["GET", "POST"])
@login_required
def reissue_code(class_id, student_id):
    klass, student = owned(class_id, student_id)
    if request.method == "POST":
        code = learners.reissue_resume_code(get_db(), student["id"])
        flash(f"New resume code for {student['name']}: {codes.format_resume_code(code)}. The old code no longer "
              "works and every browser signed in as them is signed out.", "info")
        return redirect(student_url(klass, student))
    return render_template("instructor/student_action.html", klass=klass, student=student, form=ConfirmForm(),
                           action="reissue")


@bp.route("/classes/<id:class_id>/students/<id:student_id>/merge", methods=["GET", "POST"])
@login_required
def merge_student(class_id, student_id):
    """Combine two entries of one student: `student_id` stays, the other (`other`) goes into it."""
    klass, student = owned(class_id, student_id)
    db = get_db()
    others = [row for row in learners.class_students(db, klass["id"]) if row["id"] != student["id"]]
    raw = request.values.get("other")
    other = None
    if raw is not None:
        try:
            other_id = int(raw)
        except ValueError:
            abort(400, "Choose the other entry of this student from the list.")
        _, other = owned(klass["id"], other_id)
        if other["id"] == student["id"]:
            abort(400, "A student cannot be merged with themselves: choose another entry.")
        if other["roster_entry_id"] and student["roster_entry_id"]:
            abort(409, "Both entries are names on the roster: two roster names are two students.")
    if request.method == "POST":
        if other is None:
            abort(400, "Choose the other entry of this student from the list.")
        moved = learners.merge_students(db, student["id"], other["id"])
        flash(f"Merged {other['name']} into {student['name']}: {plural(moved['attempts'], 'attempt')} moved, "
              "nothing lost. The other entry's resume code no longer works.", "info")
        return redirect(student_url(klass, student))
    count = len(attempts.learner_attempts(db, ("student_id", other["id"]))) if other else 0
    return render_template("instructor/student_action.html", klass=klass, student=student, form=ConfirmForm(),
                           action="merge", others=others, other=other, other_count=count)


@bp.route("/classes/<id:class_id>/students/<id:student_id>/exercises/<exercise_id>/reset", methods=["GET", "POST"])
@login_required
def reset_exercise(class_id, student_id, exercise_id):
    klass, student = owned(class_id, student_id)
    exercise = get_catalog().exercises.get(exercise_id)
    if exercise is None:
        abort(404, f"No exercise {exercise_id!r}.")
    if request.method == "POST":
        count = attempts.reset_exercise(get_db(), student["id"], exercise.id)
        flash(f"Reset “{exercise.title}” for {student['name']}: {plural(count, 'attempt')} deleted; they start "
              "again with every attempt.", "info")
        return redirect(student_url(klass, student))
    count = attempts.attempt_count(get_db(), ("student_id", student["id"]), exercise.id)
    return render_template("instructor/student_action.html", klass=klass, student=student, form=ConfirmForm(),
                           action="reset", exercise=exercise, count=count)


# --- deleting -----------------------------------------------------------------------------------


@bp.route("/classes/<id:class_id>/students/<id:student_id>/delete", methods=["GET", "POST"])
@login_required
def delete_student(class_id, student_id):
    klass, student = owned(class_id, student_id)
    if request.method == "POST":
        learners.delete_student(get_db(), student["id"])
        flash(f"Deleted {student['name']} and all of their work.", "info")
        return redirect(url_for(".class_page", class_id=klass["id"]))
    count = len(attempts.learner_attempts(get_db(), ("student_id", student["id"])))
    return render_template("instructor/confirm_delete.html", klass=klass, form=ConfirmForm(),
                           what=f"the student {student['name']}",
                           consequence=f"Their {plural(count, 'recorded attempt')} and saved drafts are deleted "
                                       "for good.",
                           cancel=student_url(klass, student))


@bp.route("/classes/<id:class_id>/delete", methods=["GET", "POST"])
@login_required
def delete_class(class_id):
    klass, _ = owned(class_id)
    if request.method == "POST":
        classes.delete_class(get_db(), klass["id"])
        flash(f"Deleted the class {klass['title']} and all of its students' work.", "info")
        return redirect(url_for(".index"))
    count = len(learners.class_students(get_db(), klass["id"]))
    return render_template("instructor/confirm_delete.html", klass=klass, form=ConfirmForm(),
                           what=f"the class {klass['title']} ({klass['code']})",
                           consequence=f"Its {plural(count, 'student')}, their attempts and drafts, and the roster are "
                                       "deleted for good. Download an export first if you need the scores.",
                           cancel=url_for(".class_page", class_id=klass["id"]))


# --- exports ------------------------------------------------------------------------------------


@bp.get("/classes/<id:class_id>/export/<format_name>")
@login_required
def download(class_id, format_name):
    """A download; before a Canvas import that would leave students unmatched, a warning page
    (?anyway=1 downloads all the same)."""
    klass, _ = owned(class_id)
    chosen = export.FORMATS.get(format_name)
    if chosen is None:
        abort(404, f"Unknown export format {format_name!r}: choose one of {', '.join(export.FORMATS)}.")
    exercises, rows = classroom.class_scores(get_db(), klass)
    unmatched = export.students_without_roster_id(rows)
    if format_name == "canvas" and unmatched and request.args.get("anyway") != "1":
        return render_template("instructor/canvas_warning.html", klass=klass, unmatched=unmatched,
                               total=len(rows)), 200
    day = clock.now()[:10]
    return Response(
        chosen.render(klass, exercises, rows).encode("utf-8"), content_type=chosen.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename(klass, format_name, day)}"'},
    )


# --- solutions ------------------------------------------------------------------------------------


@bp.post("/classes/<id:class_id>/solutions/<exercise_id>")
@login_required
def release_solution(class_id, exercise_id):
    """Release (or withdraw) an exercise's solution for a class that shows them when released."""
    klass, _ = owned(class_id)
    exercise = class_exercise(klass, exercise_id)
    if not ConfirmForm().validate():
        abort(400, "The form expired; reload the page and try again.")
    release = request.form.get("release") == "1"
    classes.set_released(get_db(), klass["id"], exercise.id, release)
    flash(f"{'Released' if release else 'Withdrew'} the solution of “{exercise.title}”.", "info")
    return redirect(url_for(".class_page", class_id=klass["id"]))
