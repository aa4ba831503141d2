"""Every call from LTI (webapp/web/lti.py) into the rest of Spotcheck, in one place.

LTI code never reads the app's tables or calls its modules except through these functions, so a
redesign of the store or the check service only has to re-implement the bodies here. Each
function says what it must do; `db` is the request's database (webapp.store.db.get_db()).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets

from flask import session, url_for
from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from ..domain.names import MAX_LENGTH as NAME_LENGTH
from ..domain.scores import Progress
from ..store import accounts, attempts, classes, learners
from .auth import start_instructor_session as _start_instructor_session
from .catalog import available_lessons, get_catalog
from .learners import start_student_session as _start_student_session

MAX_NAME_LENGTH = NAME_LENGTH


# --- classes ------------------------------------------------------------------------------------


def create_class(db: Database, title: str, instructor_id: int | None) -> dict:
    """A new class titled after the LMS course, owned by `instructor_id` (None until a teacher launches).
    Returns the class as a dict with at least `id`, `title` and `instructor_id`."""
    from .classroom import create_class as create  # noqa: PLC0415 - classroom's checks call LTI back

    return create(db, instructor_id, title[:120] or "LMS course")  # type: ignore[arg-type]


def get_class(db: Database, class_id: int) -> dict | None:
    """The class (a dict with `id`, `title`, `instructor_id`), or None if it was deleted."""
    return classes.get_class(db, class_id)


def set_class_instructor(db: Database, class_id: int, instructor_id: int) -> None:
    """Make `instructor_id` the teacher of a class that has none yet (created by a learner's launch)."""
    classes.adopt_class(db, class_id, instructor_id)


def class_token(klass: dict) -> str:
    """A value that tells this class apart from a later class given the same id (its join code)."""
    return klass["code"]


def class_dashboard_url(class_id: int) -> str:
    """Where a teacher's launch lands: the class's dashboard."""
    return url_for("instructor.class_page", class_id=class_id)


# --- students -----------------------------------------------------------------------------------


def create_student(db: Database, class_id: int, name: str) -> dict:
    """A new student of the class with the name the LMS sent (no join code, no roster entry).
    Returns a dict with at least `id` and `name`. Whether the class is open for joining does not
    matter: the LMS vouches for the student."""
    display = " ".join(name.split())[:MAX_NAME_LENGTH] or "Student"
    return learners.add_student(db, class_id, display)


def get_student(db: Database, student_id: int) -> dict | None:
    """The student (a dict with `id`, `name`, `class_id`), or None if the teacher deleted them."""
    return learners.get_student(db, student_id)


def student_token(student: dict) -> str:
    """A value that tells this student apart from a later student given the same id (resume code)."""
    return student["resume_code"] or f"created:{student['created_at']}"


def rename_student(db: Database, student_id: int, name: str) -> None:
    """Keep the student's display name in step with the name the LMS sends."""
    display = " ".join(name.split())[:MAX_NAME_LENGTH]
    student = learners.get_student(db, student_id)
    if display and student is not None and display != student["name"]:
        # Another student of the class showing that name: keep this one's, told apart.
        with contextlib.suppress(learners.NameTaken):
            learners.rename_student(db, student["class_id"], student_id, display)


def start_student_session(student: dict) -> None:
    """This browser is now this student (and no teacher), as after joining a class."""
    _start_student_session(student)


def student_landing_url(exercise_id: str | None, lesson_slug: str | None) -> str:
    """Where a learner's launch lands: the exercise or lesson of the link, else the student's own page."""
    if exercise_id and exercise_id in get_catalog().exercises:
        return url_for("learn.exercise", exercise_id=exercise_id)
    if lesson_slug and lesson_slug in get_catalog().lessons:
        return url_for("learn.lesson", slug=lesson_slug)
    return url_for("classroom.my_work")


# --- instructors --------------------------------------------------------------------------------


def create_instructor(db: Database, lms_key: str) -> dict:
    """An instructor account for a teacher who arrives from an LMS: no password (only LTI launches
    log it in) and no real email (a placeholder derived from `lms_key`, the issuer and LMS user id)."""
    digest = hashlib.sha256(lms_key.encode()).hexdigest()[:24]
    email = f"lti-{digest}@lti.invalid"
    existing = accounts.find_instructor(db, email)
    if existing:
        return existing
    # A hash of a random secret nobody knows: the password login can never succeed.
    unusable = generate_password_hash(secrets.token_urlsafe(32), method="pbkdf2:sha256:1000")
    try:
        return accounts.create_instructor(db, email, unusable)
    except accounts.EmailTaken:  # a simultaneous first launch of the same teacher
        return accounts.find_instructor(db, email)


def get_instructor(db: Database, instructor_id: int) -> dict | None:
    return accounts.get_instructor(db, instructor_id)


def logged_in_instructor_id() -> int | None:
    """The Spotcheck teacher logged in on this browser, if any (a first launch links to that account)."""
    remembered = session.get("instructor")
    return remembered[0] if isinstance(remembered, list) and remembered else None


def start_instructor_session(instructor: dict) -> None:
    """This browser is now this teacher, as after a password login."""
    _start_instructor_session(instructor)


def owns_class(instructor_id: int | None, klass: dict) -> bool:
    return instructor_id is not None and klass.get("instructor_id") == instructor_id


# --- content ------------------------------------------------------------------------------------


def picker_lessons(instructor_id: int | None) -> list[dict]:
    """What a teacher can pick in deep linking: lessons, each with its exercises
    ({slug, title, max_points, exercises: [{id, title, max_points}]})."""
    lessons = []
    for lesson in available_lessons(instructor_id):  # type: ignore[arg-type]
        exercises = [{"id": ex.id, "title": ex.title, "max_points": ex.max_points} for ex in lesson.exercises]
        lessons.append({"slug": lesson.slug, "title": lesson.title, "exercises": exercises,
                        "max_points": sum(ex["max_points"] for ex in exercises)})
    return lessons


def exercise_info(exercise_id: str) -> dict | None:
    """{id, title, max_points} of an exercise, or None if there is no such exercise."""
    exercise = get_catalog().exercises.get(exercise_id)
    return {"id": exercise.id, "title": exercise.title, "max_points": exercise.max_points} if exercise else None


def lesson_info(slug: str) -> dict | None:
    """{slug, title, max_points, exercise_ids} of a lesson, or None."""
    lesson = get_catalog().lessons.get(slug)
    if lesson is None:
        return None
    return {"slug": lesson.slug, "title": lesson.title, "exercise_ids": [ex.id for ex in lesson.exercises],
            "max_points": sum(ex.max_points for ex in lesson.exercises)}


# --- scores -------------------------------------------------------------------------------------


def counting_score(db: Database, student_id: int, exercise_ids: list[str]) -> tuple[float, bool] | None:
    """The student's counting score over these exercises, by the class's rule (best or last attempt
    per exercise), weighted by each exercise's points, as a fraction 0..1; an exercise not attempted
    counts 0. Returns (fraction, every exercise attempted), or None when none was attempted."""
    student = get_student(db, student_id)
    if student is None:
        return None
    klass = get_class(db, student["class_id"])
    counting = klass["counting"] if klass else "best"
    exercises = get_catalog().exercises
    wanted = [exercises[eid] for eid in exercise_ids if eid in exercises]
    if not wanted:
        return None
    rows: dict[str, list[dict]] = {}
    ids = {ex.id for ex in wanted}
    for attempt in attempts.learner_attempts(db, ("student_id", student_id)):
        if attempt["exercise_id"] in ids:
            rows.setdefault(attempt["exercise_id"], []).append(attempt)
    if not rows:
        return None
    possible = sum(ex.max_points for ex in wanted)
    earned = 0.0
    for ex in wanted:
        if ex.id in rows:  # points over max points: exact, where the stored score is rounded
            counted = Progress(rows[ex.id], counting).counted
            earned += counted["points"] / counted["max_points"] * ex.max_points if counted["max_points"] else 0.0
    return (earned / possible if possible else 0.0), len(rows) == len(wanted)

