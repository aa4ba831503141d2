"""Classes and their students: joining with a code, resuming with a personal code, recording work.

The functions on top work on the database for the student pages and JSON API below, the
instructor dashboard and the CLI alike. Nothing about a student is stored beyond the display name
they typed (or picked from the roster), their class and their attempts and drafts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from sqlite_utils import Database
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..domain import codes, scores
from ..domain.content import Exercise
from ..domain.grading import expand_stored, snap, unit_spans
from ..domain.roster import RosterEntry
from ..store.db import get_db, with_retry
from ..store.records import now
from .api import json_body, parse_answer
from .catalog import available_lessons, get_catalog, get_exercise
from .learners import current_learner, submit
from .security import per_session

bp = Blueprint("classroom", __name__)

MAX_NAME_LENGTH = 40
SUBMISSION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class JoinRefused(Exception):
    """Why a student cannot join, as an HTTP status and a message for the student."""

    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


# --- classes ------------------------------------------------------------------------------------


def create_class(db: Database, instructor_id: int, title: str) -> dict:
    """A new class, open for joining, with every exercise assigned and the best attempt counting."""
    def write():
        code = codes.unique_code(codes.JOIN_CODE_LENGTH, lambda c: db["classes"].count_where("code = ?", [c]) > 0)
        row = {
            "code": code, "title": title, "instructor_id": instructor_id, "open": 1, "assigned": None,
            "attempts_allowed": None, "counting": "best", "show_solutions": 1, "created_at": now(),
        }
        row["id"] = db["classes"].insert(row).last_pk
        return row

    return with_retry(write)


def find_class(db: Database, code: str) -> dict | None:
    return next(db["classes"].rows_where("code = ?", [codes.normalise(code)]), None)


def assigned_exercises(klass: dict) -> list[Exercise]:
    """The class's exercises in lesson flow order (every available one when `assigned` is NULL)."""
    assigned = None if klass["assigned"] is None else set(json.loads(klass["assigned"]))
    return [ex for lesson in available_lessons(klass["instructor_id"]) for ex in lesson.exercises
            if assigned is None or ex.id in assigned]


def class_students(db: Database, class_id: int) -> list[dict]:
    """The class's students with their roster ids; the roster's spelling of a name wins."""
    return list(db.query(
        "select s.id, coalesce(r.name, s.name) as name, r.roster_id from students s "
        "left join roster r on r.id = s.roster_entry_id where s.class_id = ? order by s.id",
        [class_id],
    ))


# The attempt columns that scores and exports need; the stored answers and feedback (most of a
# row's bytes) are read only by the views that analyse them (details=True).
SCORE_COLUMNS = "a.id, a.student_id, a.exercise_id, a.points, a.max_points, a.score, a.created_at"
DETAIL_COLUMNS = SCORE_COLUMNS + ", a.answer, a.result"


def class_scores(db: Database, klass: dict, student_id: int | None = None, details: bool = False
                 ) -> tuple[list[Exercise], list[scores.StudentScores]]:
    """The class's exercises and the derived scores of every student (or of one)."""
    students = class_students(db, klass["id"])
    columns = DETAIL_COLUMNS if details else SCORE_COLUMNS
    # Only the two constant column lists above are interpolated (bandit B608 reviewed).
    sql = f"select {columns} from attempts a join students s on s.id = a.student_id where s.class_id = ?"  # noqa: S608  # nosec B608
    params = [klass["id"]]
    if student_id is not None:
        students = [student for student in students if student["id"] == student_id]
        sql += " and a.student_id = ?"
        params.append(student_id)
    exercises = assigned_exercises(klass)
    attempts = list(db.query(sql + " order by a.id", params))
    return exercises, scores.class_scores(students, exercises, attempts, klass["counting"])


def _delete_students(db: Database, student_ids: list[int]) -> None:
    """Delete these students with their attempts and drafts (call inside a transaction)."""
    rows = [(student_id,) for student_id in student_ids]
    db.conn.executemany("delete from attempts where student_id = ?", rows)
    db.conn.executemany("delete from drafts where owner = 'student:' || ?", rows)
    db.conn.executemany("delete from students where id = ?", rows)


def delete_student(db: Database, student_id: int) -> None:
    """Delete a student with their attempts and drafts: nothing about them is left."""
    def write():
        with db.atomic():
            _delete_students(db, [student_id])

    with_retry(write)


def delete_class(db: Database, class_id: int) -> None:
    def write():
        with db.atomic():
            ids = [row[0] for row in db.execute("select id from students where class_id = ?", [class_id])]
            _delete_students(db, ids)
            db.execute("delete from roster where class_id = ?", [class_id])
            db.execute("delete from classes where id = ?", [class_id])

    with_retry(write)


# --- rosters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterChanges:
    added: int
    renamed: int
    removed: int
    kept: int  # entries missing from the new file that a student already joined as

    def summary(self) -> str:
        text = f"Roster imported: {self.added} added, {self.renamed} renamed, {self.removed} removed."
        if self.kept:
            text += f" {self.kept} student(s) not in the new file had already joined and were kept."
        return text


def import_roster(db: Database, class_id: int, entries: list[RosterEntry]) -> RosterChanges:
    """Make the class roster match `entries`, matched by roster id, in one transaction."""
    def write():
        with db.atomic():
            existing = {row["roster_id"]: row for row in db["roster"].rows_where("class_id = ?", [class_id])}
            claimed = {row["roster_entry_id"] for row in db.query(
                "select roster_entry_id from students where class_id = ? and roster_entry_id is not null", [class_id]
            )}
            added = renamed = 0
            for entry in entries:
                row = existing.pop(entry.roster_id, None)
                if row is None:
                    db["roster"].insert({"class_id": class_id, "name": entry.name, "roster_id": entry.roster_id})
                    added += 1
                elif row["name"] != entry.name:
                    db["roster"].update(row["id"], {"name": entry.name})
                    renamed += 1
            removable = [row["id"] for row in existing.values() if row["id"] not in claimed]
            for entry_id in removable:
                db["roster"].delete(entry_id)
            return RosterChanges(added, renamed, len(removable), len(existing) - len(removable))

    return with_retry(write)


def roster_entries(db: Database, class_id: int) -> list[dict]:
    """The roster, by name, each entry with the id of the student who joined as it (or None)."""
    return list(db.query(
        "select r.*, s.id as student_id from roster r left join students s on s.roster_entry_id = r.id "
        "where r.class_id = ? order by r.name collate nocase, r.id",
        [class_id],
    ))


# --- students -----------------------------------------------------------------------------------


def clean_name(raw) -> str:
    name = " ".join(str(raw or "").split())
    if not name:
        raise JoinRefused(400, "Please type the name your teacher will know you by.")
    if len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise JoinRefused(400, f"Please use a shorter name (at most {MAX_NAME_LENGTH} letters).")
    return name


def join(db: Database, code, name=None, roster_entry_id: int | None = None) -> tuple[dict, dict]:
    """Add a student to the class with this join code; return (class, student).

    With a roster, the student is the roster entry chosen by id (the join page) or the one entry
    whose name matches (the JSON API); each entry can be joined once.
    """
    klass = find_class(db, str(code or ""))
    if klass is None:
        raise JoinRefused(404, "No class has that code. Check it with your teacher.")
    if not klass["open"]:
        raise JoinRefused(403, "This class is closed for joining. Ask your teacher to open it.")
    roster = roster_entries(db, klass["id"])
    entry = None
    if roster:
        if roster_entry_id is not None:
            matches = [row for row in roster if row["id"] == roster_entry_id]
        else:
            wanted = clean_name(name).casefold()
            matches = [row for row in roster if row["name"].casefold() == wanted]
        if not matches:
            raise JoinRefused(404, "That name is not on the class list. Check the spelling with your teacher.")
        if len(matches) > 1:
            raise JoinRefused(409, "Two students on the class list have that name: join on the join page.")
        entry = matches[0]
        if entry["student_id"] is not None:
            raise JoinRefused(409, f"Someone has already joined as {entry['name']}. "
                                   "If that was you, continue with your resume code.")
    display_name = entry["name"] if entry else clean_name(name)

    def write():
        resume_code = codes.unique_code(
            codes.RESUME_CODE_LENGTH, lambda c: db["students"].count_where("resume_code = ?", [c]) > 0
        )
        row = {"class_id": klass["id"], "name": display_name, "roster_entry_id": entry["id"] if entry else None,
               "resume_code": resume_code, "created_at": now()}
        row["id"] = db["students"].insert(row).last_pk
        return row

    return klass, with_retry(write)


def find_student_by_resume_code(db: Database, typed: str) -> dict | None:
    return next(db["students"].rows_where("resume_code = ?", [codes.normalise(typed)]), None)


def start_student_session(student: dict) -> None:
    # A student joining on a teacher's logged-in computer must not inherit the teacher's access.
    session.pop("instructor_id", None)
    session["student_id"] = student["id"]


# --- student pages ------------------------------------------------------------------------------


class JoinForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(), Length(max=20)])
    name = StringField("Your name", validators=[Length(max=200)])
    roster_entry = SelectField("Your name", coerce=int, validate_choice=False)
    join = SubmitField("Join the class")


class ResumeForm(FlaskForm):
    code = StringField("Your resume code", validators=[DataRequired(), Length(max=20)])
    resume = SubmitField("Continue")


def render_join(form: JoinForm, klass: dict | None, status: int = 200):
    roster = roster_entries(get_db(), klass["id"]) if klass else []
    # Names already joined are left out: their owners continue with a resume code.
    form.roster_entry.choices = [(0, "Choose your name")] + [
        (row["id"], row["name"]) for row in roster if row["student_id"] is None]
    return render_template("classroom/join.html", form=form, klass=klass, has_roster=bool(roster)), status


@bp.get("/join")
def join_page():
    """Step one: the class code and a name; with ?code= of a class with a roster, pick the name."""
    code = codes.normalise(request.args.get("code", ""))
    form = JoinForm(formdata=None, code=code)
    klass = find_class(get_db(), code) if code else None
    return render_join(form, klass if klass and klass["open"] else None)


@bp.post("/join")
@per_session
def join_submit():
    form = JoinForm()
    db = get_db()
    klass = find_class(db, form.code.data or "")
    if not form.validate():
        flash("Please type the class code your teacher gave you, and your name.", "error")
        return render_join(form, None, 400)
    has_roster = klass is not None and bool(roster_entries(db, klass["id"]))
    if has_roster and not form.roster_entry.data:
        # Step two of joining a class with a roster: pick your name from the list.
        flash("Pick your name from the class list.", "info")
        return redirect(url_for(".join_page", code=klass["code"]))
    try:
        klass, student = join(db, form.code.data, form.name.data, form.roster_entry.data if has_roster else None)
    except JoinRefused as refusal:
        flash(refusal.message, "error")
        return render_join(form, klass if klass and klass["open"] else None, refusal.status)
    start_student_session(student)
    flash(f"Welcome, {student['name']}! Write down your resume code {codes.format_resume_code(student['resume_code'])}"
          " to continue on another device.", "info")
    return redirect(url_for(".my_work"))


@bp.route("/resume", methods=["GET", "POST"])
@per_session
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        student = find_student_by_resume_code(get_db(), form.code.data)
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
    session.pop("student_id", None)
    flash("You have signed out on this computer. Your work is saved: continue with your resume code.", "info")
    return redirect(url_for("learn.index"))


@bp.get("/my-work")
def my_work():
    learner = current_learner()
    if learner.student is None:
        flash("Join your class first.", "info")
        return redirect(url_for(".join_page"))
    db = get_db()
    exercises, rows = class_scores(db, learner.klass, learner.student_id)
    attempts = [(attempt, get_catalog().exercises.get(attempt["exercise_id"]))
                for attempt in db.query("select * from attempts where student_id = ? order by id desc",
                                        [learner.student_id])]
    return render_template("classroom/my_work.html", student=rows[0].student, klass=learner.klass, exercises=exercises,
                           row=rows[0], attempts=attempts,
                           resume_code=codes.format_resume_code(learner.student["resume_code"]))


# --- the JSON API for classroom sessions --------------------------------------------------------


@bp.post("/api/join")
@per_session
def api_join():
    data = json_body()
    try:
        klass, student = join(get_db(), data.get("code"), data.get("name"))
    except JoinRefused as refusal:
        return jsonify(error=refusal.message), refusal.status
    start_student_session(student)
    return jsonify(student={"id": student["id"], "name": student["name"]},
                   **{"class": {"code": klass["code"], "title": klass["title"]}},
                   resume_code=codes.format_resume_code(student["resume_code"]))


@bp.post("/api/submissions")
@per_session
def api_submit():
    """Record one check of a class student; a repeated submission_id returns the first result."""
    learner = current_learner()
    if learner.student is None:
        abort(401, "Join a class first (POST /api/join).")
    data = json_body()
    exercise_id, submission_id = data.get("exercise_id"), data.get("submission_id")
    if not isinstance(exercise_id, str):
        abort(400, "'exercise_id' must be a text.")
    if not isinstance(submission_id, str) or not SUBMISSION_ID_RE.match(submission_id):
        abort(400, "'submission_id' must be 8 to 64 letters, digits, '-' or '_', chosen by the client.")
    exercise = get_exercise(exercise_id)
    answer = parse_answer(exercise, data)
    if exercise.kind != "quiz":
        answer = unit_spans(exercise, snap(exercise, answer))  # stored like the HTML pages store it
    attempt, _ = submit(learner, exercise, answer, submission_id)
    result = expand_stored(exercise, json.loads(attempt["result"]))
    body = {"attempt": attempt["id"], "score": result["score"], "points": result["points"],
            "max_points": result["max_points"], "false_alarms": result["false_alarms"]}
    if learner.shows_solutions:
        body.update(found=result["found"], missed=result["missed"])
    return jsonify(body)
